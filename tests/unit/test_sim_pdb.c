#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "disruption.h"
#include "resources.h"
#include "simcluster.h"
#include "simobj.h"
#include "store.h"
#include "testutil.h"

/*
 * PodDisruptionBudget on podscope-sim, in-process (tests/lib/simcluster.h
 * plus the disruption controller): the status the controller keeps for
 * minAvailable and maxUnavailable (percent of the Deployment's scale), and
 * the eviction's answers: 429 with the DisruptionBudget cause, then an
 * eviction that takes a disruption and deletes the pod.
 */

static struct tc_cluster *tc;
static const struct simres *PDBS;

static void setup(void)
{
	tc = tc_up();
	PDBS = simres_find("policy", "v1", "poddisruptionbudgets");
	ck_assert_int_eq(simpdb_start(&tc->sim), 0);
}

static void teardown(void)
{
	simpdb_stop(&tc->sim);
	tc_down();
}

static void put_pdb(const char *spec)
{
	char buf[512];
	snprintf(buf, sizeof(buf),
		 "{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\",\"metadata\":{"
		 "\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"selector\":{"
		 "\"matchLabels\":{\"app\":\"web\"}},%s}}",
		 spec);
	cJSON *p = cJSON_Parse(buf);
	struct simobj *o = simstore_get(tc->sim.store, PDBS, "default", "web");
	if (o) {
		cJSON *cur = simobj_copy(o);
		cJSON_ReplaceItemInObject(cur, "spec", cJSON_DetachItemFromObject(p, "spec"));
		cJSON_Delete(p);
		ck_assert_int_eq(simstore_update(tc->sim.store, PDBS, cur, 0, NULL), SIMSTORE_OK);
	} else {
		ck_assert_int_eq(simstore_create(tc->sim.store, PDBS, p, NULL), SIMSTORE_OK);
	}
}

static long long st(const char *key)
{
	struct simobj *o = simstore_get(tc->sim.store, PDBS, "default", "web");
	const cJSON *v = cJSON_GetObjectItem(tc_jpath(o->json, "status", NULL), key);
	if (!v)
		v = cJSON_GetObjectItem(cJSON_GetObjectItem(o->json, "status"), key);
	return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

static const char *want;
static bool status_is(void *ud)
{
	(void)ud;
	char got[128];
	snprintf(got, sizeof(got), "%lld %lld %lld %lld", st("currentHealthy"), st("desiredHealthy"),
		 st("disruptionsAllowed"), st("expectedPods"));
	return strcmp(got, want) == 0;
}

static const char *cond_reason(void)
{
	struct simobj *o = simstore_get(tc->sim.store, PDBS, "default", "web");
	const cJSON *c = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(o->json, "status"), "conditions"), 0);
	return cJSON_GetStringValue(cJSON_GetObjectItem(c, "reason"));
}

static char *first_pod(void)
{
	struct simsnap *s = simstore_snapshot(tc->sim.store, tc->pods);
	ck_assert_uint_ge(s->n, 1);
	char *name = strdup(s->items[0]->name);
	simsnap_unref(s);
	return name;
}

START_TEST(test_budget_and_eviction)
{
	tc_create_deploy("web", 3, "nginx:1", NULL);
	tc_wait_rolled_out("web");
	put_pdb("\"minAvailable\":3");
	want = "3 3 0 3";
	ck_assert(tc_run_until(status_is, NULL, 5000));
	ck_assert_str_eq(cond_reason(), "InsufficientPods");

	char *victim = first_pod();
	struct simevict e;
	simpdb_evict(&tc->sim, "default", victim, -1, &e);
	ck_assert_uint_eq(e.code, 429);
	ck_assert_str_eq(e.message, "Cannot evict pod as it would violate the pod's disruption budget.");
	ck_assert_str_eq(e.cause, "The disruption budget web needs 3 healthy pods and has 3 currently");
	simevict_clear(&e);
	ck_assert_ptr_null(tc_jpath(simstore_get(tc->sim.store, tc->pods, "default", victim)->json,
				    "metadata", "deletionTimestamp"));

	/* maxUnavailable 34% of the Deployment's 3: 2 desired, 1 allowed. */
	put_pdb("\"maxUnavailable\":\"34%\"");
	want = "3 1 2 3";
	ck_assert(tc_run_until(status_is, NULL, 5000));
	put_pdb("\"maxUnavailable\":\"33%\"");
	want = "3 2 1 3";
	ck_assert(tc_run_until(status_is, NULL, 5000));
	ck_assert_str_eq(cond_reason(), "SufficientPods");
	simpdb_evict(&tc->sim, "default", victim, -1, &e);
	ck_assert_uint_eq(e.code, 201);
	simevict_clear(&e);
	/* The disruption is taken at once: a second eviction is refused. */
	ck_assert_int_eq(st("disruptionsAllowed"), 0);
	char *other = NULL;
	struct simsnap *s = simstore_snapshot(tc->sim.store, tc->pods);
	for (size_t i = 0; i < s->n && !other; i++)
		if (strcmp(s->items[i]->name, victim) != 0 &&
		    !tc_jpath(s->items[i]->json, "metadata", "deletionTimestamp"))
			other = strdup(s->items[i]->name);
	simsnap_unref(s);
	ck_assert_ptr_nonnull(other);
	simpdb_evict(&tc->sim, "default", other, -1, &e);
	ck_assert_uint_eq(e.code, 429);
	simevict_clear(&e);
	/* The evicted pod is replaced and becomes ready: one allowed again. */
	ck_assert(tc_run_until(status_is, NULL, 10000));
	simpdb_evict(&tc->sim, "default", "nope", -1, &e);
	ck_assert_uint_eq(e.code, 404);
	simevict_clear(&e);
	free(victim);
	free(other);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_pdb");
	TCase *t = tcase_create("pdb");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, test_budget_and_eviction);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
