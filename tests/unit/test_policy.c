#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/blockers.h"
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

static void add_pod(struct store *s, const char *name, const char *node, const char *app,
		    const char *cpu, int created_s)
{
	char *j = xasprintf(
	    "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"x\",\"uid\":\"u-%s\","
	    "\"creationTimestamp\":\"2026-01-01T00:00:%02dZ\",\"labels\":{\"app\":\"%s\"},"
	    "\"ownerReferences\":[{\"kind\":\"ReplicaSet\",\"name\":\"web-1\",\"uid\":\"rs1\","
	    "\"controller\":true}]},\"spec\":{\"nodeName\":\"%s\",\"containers\":[{\"name\":\"a\","
	    "\"resources\":{\"requests\":{\"cpu\":\"%s\",\"memory\":\"64Mi\"}}}]},"
	    "\"status\":{\"phase\":\"%s\"}}",
	    name, name, created_s, app, node, cpu, *node ? "Running" : "Pending");
	ck_assert_int_eq(test_upsert(s, STORE_PODS, j), 1);
	free(j);
}

static void add_node(struct store *s, const char *name, bool cordoned, const char *ready,
		     const char *cpu)
{
	char *j = xasprintf("{\"metadata\":{\"name\":\"%s\"},\"spec\":{\"unschedulable\":%s},"
			    "\"status\":{\"allocatable\":{\"cpu\":\"%s\",\"memory\":\"4Gi\"},"
			    "\"conditions\":[{\"type\":\"Ready\",\"status\":\"%s\"}]}}",
			    name, cordoned ? "true" : "false", cpu, ready);
	ck_assert_int_eq(test_upsert(s, STORE_NODES, j), 1);
	free(j);
}

static void add_web(struct store *s)
{
	ck_assert_int_eq(test_upsert(s, STORE_DEPLOYMENTS,
				     "{\"metadata\":{\"name\":\"web\",\"namespace\":\"x\","
				     "\"uid\":\"d1\"},\"spec\":{\"selector\":{\"matchLabels\":{"
				     "\"app\":\"web\"}}}}"),
			 1);
}

/* A Deployment's blockers: PDBs by its pods' labels, quotas, nodes, its HPA. */
START_TEST(test_blockers)
{
	struct store *s = store_new();
	add_web(s);
	ck_assert_int_eq(
	    test_upsert(s, STORE_REPLICASETS,
			"{\"metadata\":{\"name\":\"web-1\",\"namespace\":\"x\","
			"\"uid\":\"rs1\",\"ownerReferences\":[{\"kind\":\"Deployment\","
			"\"name\":\"web\",\"uid\":\"d1\",\"controller\":true}]}}"),
	    1);
	add_pod(s, "web-a", "n1", "web", "800m", 1);
	add_pod(s, "web-b", "", "web", "500m", 2); /* the newest: Pending */
	add_node(s, "n1", false, "True", "1");
	add_node(s, "n2", true, "True", "4");
	add_node(s, "n3", false, "False", "4");
	/* Matching (0 allowed), matching by expression (1 allowed), another app,
	 * another namespace, no selector. */
	ck_assert_int_eq(
	    test_upsert(s, STORE_PDBS,
			"{\"metadata\":{\"name\":\"p0\",\"namespace\":\"x\"},\"spec\":{"
			"\"selector\":{\"matchLabels\":{\"app\":\"web\"}}},\"status\":{"
			"\"disruptionsAllowed\":0,\"currentHealthy\":1,"
			"\"desiredHealthy\":2}}"),
	    1);
	ck_assert_int_eq(
	    test_upsert(s, STORE_PDBS,
			"{\"metadata\":{\"name\":\"p1\",\"namespace\":\"x\"},\"spec\":{"
			"\"selector\":{\"matchExpressions\":[{\"key\":\"app\","
			"\"operator\":\"In\",\"values\":[\"db\",\"web\"]}]}},"
			"\"status\":{\"disruptionsAllowed\":1}}"),
	    1);
	ck_assert_int_eq(
	    test_upsert(s, STORE_PDBS,
			"{\"metadata\":{\"name\":\"p2\",\"namespace\":\"x\"},\"spec\":{"
			"\"selector\":{\"matchLabels\":{\"app\":\"db\"}}}}"),
	    1);
	ck_assert_int_eq(
	    test_upsert(s, STORE_PDBS,
			"{\"metadata\":{\"name\":\"p3\",\"namespace\":\"y\"},\"spec\":{"
			"\"selector\":{}}}"),
	    1);
	ck_assert_int_eq(
	    test_upsert(s, STORE_PDBS, "{\"metadata\":{\"name\":\"p4\",\"namespace\":\"x\"}}"), 1);
	ck_assert_int_eq(
	    test_upsert(s, STORE_QUOTAS,
			"{\"metadata\":{\"name\":\"q\",\"namespace\":\"x\"},\"status\":{"
			"\"hard\":{\"pods\":\"2\",\"requests.cpu\":\"4\"},\"used\":{"
			"\"pods\":\"2\",\"requests.cpu\":\"1300m\"}}}"),
	    1);
	ck_assert_int_eq(
	    test_upsert(s, STORE_QUOTAS,
			"{\"metadata\":{\"name\":\"other\",\"namespace\":\"y\"},"
			"\"status\":{\"hard\":{\"pods\":\"0\"},\"used\":{\"pods\":\"0\"}}}"),
	    1);
	ck_assert_int_eq(test_upsert(s, STORE_HPAS,
				     "{\"metadata\":{\"name\":\"web-hpa\",\"namespace\":\"x\"},"
				     "\"spec\":{\"scaleTargetRef\":{\"kind\":\"Deployment\","
				     "\"name\":\"web\"},\"minReplicas\":2,\"maxReplicas\":5}}"),
			 1);
	struct blockers b;
	blockers_of(s, STORE_DEPLOYMENTS, store_get_deployment(s, "x", "web"), &b);
	ck_assert_uint_eq(b.n_pdbs, 2);
	const struct pdb *p0 =
	    b.pdbs[0].pdb->disruptions_allowed == 0 ? b.pdbs[0].pdb : b.pdbs[1].pdb;
	ck_assert_str_eq(p0->name, "p0");
	ck_assert_int_eq(b.pdbs[0].blocks + b.pdbs[1].blocks, 1);
	ck_assert_uint_eq(b.n_quotas, 2);
	ck_assert_str_eq(b.quotas[0].item->resource, "pods");
	ck_assert(b.quotas[0].at_hard);
	ck_assert(!b.quotas[1].at_hard);
	ck_assert_int_eq(b.nodes.total, 3);
	ck_assert_int_eq(b.nodes.schedulable, 1);
	ck_assert_int_eq(b.nodes.cordoned, 1);
	ck_assert_int_eq(b.nodes.not_ready, 1);
	ck_assert_int_eq(b.nodes.pending, 1);
	ck_assert_int_eq(b.nodes.pod_cpu_milli, 500);
	ck_assert_int_eq(b.nodes.pod_mem_bytes, 64LL << 20);
	ck_assert_int_eq(b.nodes.alloc_cpu_milli, 1000);
	ck_assert_int_eq(b.nodes.used_cpu_milli, 800);
	ck_assert_int_eq(b.nodes.with_room, 0); /* 800m + 500m > 1 cpu */
	ck_assert(b.no_room);
	ck_assert_ptr_nonnull(b.hpa);
	ck_assert_str_eq(b.hpa->name, "web-hpa");
	ck_assert_int_eq(b.n_blocking, 4); /* p0, pods at hard, no room, the HPA */
	ck_assert_ptr_null(blockers_hpa_of(s, "x", "StatefulSet", "web"));
	/* Room again: a bigger node. */
	add_node(s, "n4", false, "True", "2");
	blockers_of(s, STORE_DEPLOYMENTS, store_get_deployment(s, "x", "web"), &b);
	ck_assert_int_eq(b.nodes.with_room, 1);
	ck_assert(!b.no_room);
	test_store_clear_free(s);
}
END_TEST

/* No pods yet: a PDB matches by the Deployment's selector; nothing else. */
START_TEST(test_blockers_no_pods)
{
	struct store *s = store_new();
	add_web(s);
	ck_assert_int_eq(
	    test_upsert(s, STORE_PDBS,
			"{\"metadata\":{\"name\":\"p\",\"namespace\":\"x\"},\"spec\":{"
			"\"selector\":{\"matchExpressions\":[{\"key\":\"app\","
			"\"operator\":\"Exists\"}]}},\"status\":{\"disruptionsAllowed\":2}}"),
	    1);
	struct blockers b;
	blockers_of(s, STORE_DEPLOYMENTS, store_get_deployment(s, "x", "web"), &b);
	ck_assert_uint_eq(b.n_pdbs, 1);
	ck_assert(!b.pdbs[0].blocks);
	ck_assert_int_eq(b.nodes.total, 0);
	ck_assert(!b.no_room);
	ck_assert_ptr_null(b.hpa);
	ck_assert_int_eq(b.n_blocking, 0);
	blockers_of(s, STORE_PODS, NULL, &b);
	ck_assert_int_eq(b.n_blocking, 0);
	test_store_clear_free(s);
}
END_TEST

START_TEST(test_selector)
{
	const struct model_kv labels[] = {{"app", "web"}, {"tier", "fe"}};
	const char *vals[] = {"fe", "be"};
	struct label_expr e = {"tier", "In", vals, 2};
	ck_assert(label_selector_matches(NULL, 0, NULL, 0, labels, 2));
	ck_assert(label_selector_matches(labels, 1, &e, 1, labels, 2));
	e.op = "NotIn";
	ck_assert(!label_selector_matches(NULL, 0, &e, 1, labels, 2));
	e.key = "zone"; /* NotIn matches an absent label */
	ck_assert(label_selector_matches(NULL, 0, &e, 1, labels, 2));
	e.op = "DoesNotExist";
	ck_assert(label_selector_matches(NULL, 0, &e, 1, labels, 2));
	e.op = "Exists";
	ck_assert(!label_selector_matches(NULL, 0, &e, 1, labels, 2));
	e.op = "Bogus";
	e.key = "app";
	ck_assert(!label_selector_matches(NULL, 0, &e, 1, labels, 2));
	const struct model_kv other[] = {{"app", "db"}};
	ck_assert(!label_selector_matches(other, 1, NULL, 0, labels, 2));
}
END_TEST

/* A StatefulSet's pods are its own children; its HPA names kind StatefulSet.
 * Requests past what the fields hold count as none. */
START_TEST(test_blockers_sts)
{
	struct store *s = store_new();
	ck_assert_int_eq(test_upsert(s, STORE_STATEFULSETS,
				     "{\"metadata\":{\"name\":\"db\",\"namespace\":\"x\","
				     "\"uid\":\"s1\"},\"spec\":{\"selector\":{\"matchLabels\":{"
				     "\"app\":\"db\"}}}}"),
			 1);
	ck_assert_int_eq(
	    test_upsert(
		s, STORE_PODS,
		"{\"metadata\":{\"name\":\"db-0\",\"namespace\":\"x\",\"uid\":\"p0\","
		"\"labels\":{\"app\":\"db\",\"statefulset.kubernetes.io/pod-name\":\"db-0\"},"
		"\"ownerReferences\":[{\"kind\":\"StatefulSet\","
		"\"name\":\"db\",\"uid\":\"s1\",\"controller\":true}]},\"spec\":{"
		"\"initContainers\":[{\"name\":\"i\",\"resources\":{\"requests\":{\"cpu\":"
		"\"2\"}}},{\"name\":\"side\",\"restartPolicy\":\"Always\",\"resources\":{"
		"\"limits\":{\"cpu\":\"100m\"}}}],\"containers\":[{\"name\":\"a\","
		"\"resources\":{\"requests\":{\"cpu\":\"99999999999\",\"memory\":\"1e400\"}}},"
		"{\"name\":\"b\",\"resources\":{\"requests\":{\"cpu\":\"250m\"}}}]}}"),
	    1);
	ck_assert_int_eq(
	    test_upsert(s, STORE_PDBS,
			"{\"metadata\":{\"name\":\"db\",\"namespace\":\"x\"},\"spec\":{"
			"\"selector\":{\"matchLabels\":{\"app\":\"db\"}}},\"status\":{"
			"\"disruptionsAllowed\":0}}"),
	    1);
	ck_assert_int_eq(
	    test_upsert(s, STORE_HPAS,
			"{\"metadata\":{\"name\":\"db\",\"namespace\":\"x\"},\"spec\":{"
			"\"scaleTargetRef\":{\"kind\":\"StatefulSet\",\"name\":\"db\"},"
			"\"maxReplicas\":3}}"),
	    1);
	/* By a label the pod keeps as a bit (pod_label), with a disruption allowed. */
	ck_assert_int_eq(test_upsert(s, STORE_PDBS,
				     "{\"metadata\":{\"name\":\"db-0\",\"namespace\":\"x\"},"
				     "\"spec\":{\"selector\":{\"matchLabels\":{"
				     "\"statefulset.kubernetes.io/pod-name\":\"db-0\"}}},"
				     "\"status\":{\"disruptionsAllowed\":1}}"),
			 1);
	struct blockers b;
	blockers_of(s, STORE_STATEFULSETS, store_get_statefulset(s, "x", "db"), &b);
	ck_assert_uint_eq(b.n_pdbs, 2);
	ck_assert(b.pdbs[0].blocks != b.pdbs[1].blocks);
	ck_assert_ptr_nonnull(b.hpa);
	ck_assert_int_eq(b.hpa->min_replicas, 1);
	/* max(a (none: too big) + b + the sidecar, the init container). */
	ck_assert_int_eq(b.nodes.pod_cpu_milli, 2000);
	ck_assert_int_eq(b.nodes.pod_mem_bytes, 0);
	ck_assert_int_eq(b.n_blocking, 2);
	const struct pod *p = store_get_pod(s, "x", "db-0");
	ck_assert_int_eq(p->specs[0].req_cpu_milli, 0);
	ck_assert_int_eq(p->init_specs[1].req_cpu_milli, 100); /* the limit stands in */
	int64_t cpu, mem;
	struct pod q = *p;
	q.n_init_specs = 0;
	blockers_pod_requests(&q, &cpu, &mem);
	ck_assert_int_eq(cpu, 250);
	ck_assert_ptr_null(blockers_hpa_of(s, "x", "Deployment", "db"));
	test_store_clear_free(s);
}
END_TEST

START_TEST(test_fmt)
{
	char buf[32];
	blockers_fmt_cpu(500, buf, sizeof(buf));
	ck_assert_str_eq(buf, "500m");
	blockers_fmt_cpu(6000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "6");
	blockers_fmt_mem(64LL << 20, buf, sizeof(buf));
	ck_assert_str_eq(buf, "64Mi");
	blockers_fmt_mem(3584LL << 20, buf, sizeof(buf));
	ck_assert_str_eq(buf, "3.5Gi");
	blockers_fmt_mem(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0");
	struct pdb p = {.max_unavailable = INTSTR_FROM_STR("25%")};
	blockers_pdb_rule(&p, buf, sizeof(buf));
	ck_assert_str_eq(buf, "maxUnavailable 25%");
	p.max_unavailable.type = INTSTR_NONE;
	blockers_pdb_rule(&p, buf, sizeof(buf));
	ck_assert_str_eq(buf, "no rule");
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
	tcase_add_test(tc, test_blockers);
	tcase_add_test(tc, test_blockers_no_pods);
	tcase_add_test(tc, test_selector);
	tcase_add_test(tc, test_blockers_sts);
	tcase_add_test(tc, test_fmt);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
