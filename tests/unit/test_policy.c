#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "podscope/intern.h"
#include "podscope/policy.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "store_testutil.h"
#include "testutil.h"

/* PodDisruptionBudgets, ResourceQuotas, HorizontalPodAutoscalers in the store. */

START_TEST(test_pdb_decode)
{
	struct store *s = store_new();
	ck_assert_int_eq(
	    test_upsert(s, STORE_PDBS,
			"{\"metadata\":{\"name\":\"web-pdb\",\"namespace\":\"x\",\"uid\":\"p1\","
			"\"generation\":2},\"spec\":{\"minAvailable\":\"50%\",\"selector\":{"
			"\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"tier\","
			"\"operator\":\"In\",\"values\":[\"a\",\"b\"]}]}},\"status\":{"
			"\"observedGeneration\":2,\"currentHealthy\":3,\"desiredHealthy\":3,"
			"\"disruptionsAllowed\":0,\"expectedPods\":3}}"),
	    1);
	const struct pdb *p = store_get(s, STORE_PDBS, "x", "web-pdb");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->has_selector, 1);
	ck_assert_int_eq(p->n_match_labels, 1);
	ck_assert_str_eq(p->match_labels[0].value, "web");
	ck_assert_int_eq(p->n_match_exprs, 1);
	ck_assert_int_eq(p->match_exprs[0].n_values, 2);
	ck_assert_int_eq(p->min_available.type, INTSTR_STRING);
	ck_assert_str_eq(p->min_available.sval, "50%");
	ck_assert_int_eq(p->max_unavailable.type, INTSTR_NONE);
	ck_assert_int_eq(p->current_healthy, 3);
	ck_assert_int_eq(p->desired_healthy, 3);
	ck_assert_int_eq(p->disruptions_allowed, 0);
	ck_assert_int_eq(p->expected_pods, 3);
	ck_assert_int_eq(p->observed_generation, 2);
	ck_assert_int_eq(store_kind_parse("pdb"), STORE_PDBS);
	ck_assert_int_eq(store_kind_parse("PodDisruptionBudget"), STORE_PDBS);
	ck_assert_int_eq(store_kind_parse("quota"), STORE_QUOTAS);
	ck_assert_int_eq(store_kind_parse("hpa"), STORE_HPAS);
	ck_assert_str_eq(store_kind_name(STORE_HPAS), "horizontalpodautoscalers");
	ck_assert(store_kind_optional(STORE_PDBS) && !store_kind_optional(STORE_PODS));
	/* No selector: none; an int maxUnavailable. */
	ck_assert_int_eq(test_upsert(s, STORE_PDBS,
				     "{\"metadata\":{\"name\":\"b\",\"namespace\":\"x\"},"
				     "\"spec\":{\"maxUnavailable\":1}}"),
			 1);
	p = store_get(s, STORE_PDBS, "x", "b");
	ck_assert_int_eq(p->has_selector, 0);
	ck_assert_int_eq(p->max_unavailable.type, INTSTR_INT);
	ck_assert_int_eq(p->max_unavailable.ival, 1);
	test_store_clear_free(s);
}
END_TEST

START_TEST(test_quota_decode)
{
	struct store *s = store_new();
	ck_assert_int_eq(
	    test_upsert(
		s, STORE_QUOTAS,
		"{\"metadata\":{\"name\":\"q\",\"namespace\":\"x\",\"uid\":\"q1\"},"
		"\"spec\":{\"hard\":{\"pods\":\"9\"}},\"status\":{\"hard\":{\"pods\":\"3\","
		"\"requests.cpu\":\"2\",\"requests.memory\":\"1Gi\"},\"used\":{\"pods\":\"3\","
		"\"requests.cpu\":\"1500m\"}}}"),
	    1);
	const struct resource_quota *q = store_get(s, STORE_QUOTAS, "x", "q");
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(q->n_items, 3);
	ck_assert_str_eq(q->items[0].resource, "pods");
	ck_assert_str_eq(q->items[0].hard, "3"); /* status.hard wins over spec.hard */
	ck_assert_int_eq(q->items[0].hard_v, 3000);
	ck_assert_int_eq(q->items[0].used_v, 3000);
	ck_assert_int_eq(q->items[1].hard_v, 2000);
	ck_assert_int_eq(q->items[1].used_v, 1500);
	ck_assert_str_eq(q->items[2].used, "");
	ck_assert_int_eq(q->items[2].used_v, -1);
	ck_assert_int_eq(q->items[2].hard_v, 1024LL * 1024 * 1024 * 1000);
	/* Before the controller ran: spec.hard. */
	ck_assert_int_eq(test_upsert(s, STORE_QUOTAS,
				     "{\"metadata\":{\"name\":\"n\",\"namespace\":\"x\"},"
				     "\"spec\":{\"hard\":{\"pods\":\"9\"}}}"),
			 1);
	q = store_get(s, STORE_QUOTAS, "x", "n");
	ck_assert_int_eq(q->n_items, 1);
	ck_assert_int_eq(q->items[0].hard_v, 9000);
	test_store_clear_free(s);
}
END_TEST

START_TEST(test_hpa_decode)
{
	struct store *s = store_new();
	ck_assert_int_eq(
	    test_upsert(s, STORE_HPAS,
			"{\"metadata\":{\"name\":\"web\",\"namespace\":\"x\"},\"spec\":{"
			"\"scaleTargetRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
			"\"name\":\"web\"},\"minReplicas\":2,\"maxReplicas\":10},\"status\":{"
			"\"currentReplicas\":3,\"desiredReplicas\":4}}"),
	    1);
	const struct hpa *h = store_get(s, STORE_HPAS, "x", "web");
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(h->target_kind, "Deployment");
	ck_assert_str_eq(h->target_name, "web");
	ck_assert_int_eq(h->min_replicas, 2);
	ck_assert_int_eq(h->max_replicas, 10);
	ck_assert_int_eq(h->current_replicas, 3);
	ck_assert_int_eq(h->desired_replicas, 4);
	/* minReplicas defaults to 1. */
	ck_assert_int_eq(test_upsert(s, STORE_HPAS,
				     "{\"metadata\":{\"name\":\"d\",\"namespace\":\"x\"},"
				     "\"spec\":{\"maxReplicas\":5}}"),
			 1);
	ck_assert_int_eq(((const struct hpa *)store_get(s, STORE_HPAS, "x", "d"))->min_replicas, 1);
	test_store_clear_free(s);
}
END_TEST

/* Hostile: 5000 quota resources, wrong types everywhere, numbers Go refuses. */
START_TEST(test_policy_hostile)
{
	struct store *s = store_new();
	struct buf b = BUF_INIT;
	buf_adds(&b, "{\"metadata\":{\"name\":\"q\",\"namespace\":\"x\"},\"status\":{\"hard\":{");
	for (int i = 0; i < 5000; i++)
		buf_printf(&b, "%s\"r%d\":\"%d\"", i ? "," : "", i, i);
	buf_adds(&b, ",\"bad\":7,\"huge\":\"99999999999999999999999\"},\"used\":[1]}}");
	ck_assert_int_eq(test_upsert(s, STORE_QUOTAS, b.data), 1);
	const struct resource_quota *q = store_get(s, STORE_QUOTAS, "x", "q");
	ck_assert_int_eq(q->n_items, MODEL_MAX_QUOTA_ITEMS);
	ck_assert_int_eq(q->capped, 1);
	ck_assert_str_eq(q->items[MODEL_MAX_QUOTA_ITEMS - 1].resource, "r63");
	ck_assert_int_eq(q->items[0].used_v, -1);
	buf_free(&b);
	ck_assert_int_eq(
	    test_upsert(s, STORE_QUOTAS,
			"{\"metadata\":{\"name\":\"h\",\"namespace\":\"x\"},\"status\":{"
			"\"hard\":{\"cpu\":\"99999999999999999999999\",\"x\":\"1e999\"}}}"),
	    1);
	q = store_get(s, STORE_QUOTAS, "x", "h");
	ck_assert_int_eq(q->items[0].hard_v, -1);
	ck_assert_int_eq(q->items[1].hard_v, -1);
	/* A PDB with a selector of the wrong type and counts Go would refuse. */
	ck_assert_int_eq(test_upsert(s, STORE_PDBS,
				     "{\"metadata\":{\"name\":\"p\",\"namespace\":\"x\"},\"spec\":{"
				     "\"selector\":[1],\"minAvailable\":{\"a\":1}},\"status\":{"
				     "\"disruptionsAllowed\":\"lots\"}}"),
			 1);
	const struct pdb *p = store_get(s, STORE_PDBS, "x", "p");
	ck_assert_int_eq(p->has_selector, 0);
	ck_assert_int_eq(p->disruptions_allowed, 0);
	ck_assert_int_eq(test_upsert(s, STORE_PDBS,
				     "{\"metadata\":{\"name\":\"big\",\"namespace\":\"x\"},"
				     "\"status\":{\"disruptionsAllowed\":1e300}}"),
			 -1);
	ck_assert_int_eq(test_upsert(s, STORE_HPAS,
				     "{\"metadata\":{\"name\":\"h\",\"namespace\":\"x\"},"
				     "\"spec\":{\"maxReplicas\":2147483648}}"),
			 -1);
	ck_assert_int_eq(test_upsert(s, STORE_HPAS,
				     "{\"metadata\":{\"name\":\"h2\",\"namespace\":\"x\"},"
				     "\"spec\":{\"scaleTargetRef\":\"web\",\"minReplicas\":null}}"),
			 1);
	const struct hpa *h = store_get(s, STORE_HPAS, "x", "h2");
	ck_assert_str_eq(h->target_name, "");
	ck_assert_int_eq(h->min_replicas, 1);
	ck_assert_int_eq(test_upsert(s, STORE_HPAS, "[1]"), -1);
	ck_assert_int_eq(test_upsert(s, STORE_PDBS, "\"x\""), -1);
	test_store_clear_free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");
	tcase_add_test(tc, test_pdb_decode);
	tcase_add_test(tc, test_quota_decode);
	tcase_add_test(tc, test_hpa_decode);
	tcase_add_test(tc, test_policy_hostile);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
