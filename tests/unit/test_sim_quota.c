#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "resourcequota.h"
#include "resources.h"
#include "simcluster.h"
#include "simobj.h"
#include "store.h"
#include "testutil.h"

/*
 * ResourceQuota on podscope-sim, in-process (tests/lib/simcluster.h plus the
 * quota controller): status.hard and status.used kept, the admission
 * plugin's refusal in upstream's words, and the ReplicaSet controller's
 * FailedCreate event and ReplicaFailure condition, gone once the quota
 * grows.
 */

static struct tc_cluster *tc;
static const struct simres *QUOTAS;

static void setup(void)
{
	tc = tc_up();
	QUOTAS = simres_find("", "v1", "resourcequotas");
	ck_assert_int_eq(simquota_start(&tc->sim), 0);
}

static void teardown(void)
{
	simquota_stop(&tc->sim);
	tc_down();
}

static void put_quota(const char *hard)
{
	char buf[512];
	snprintf(buf, sizeof(buf),
		 "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"q\","
		 "\"namespace\":\"default\"},\"spec\":{\"hard\":%s}}",
		 hard);
	cJSON *q = cJSON_Parse(buf);
	struct simobj *o = simstore_get(tc->sim.store, QUOTAS, "default", "q");
	if (o) {
		cJSON *cur = simobj_copy(o);
		cJSON_ReplaceItemInObject(cur, "spec", cJSON_DetachItemFromObject(q, "spec"));
		cJSON_Delete(q);
		ck_assert_int_eq(simstore_update(tc->sim.store, QUOTAS, cur, 0, NULL), SIMSTORE_OK);
	} else {
		ck_assert_int_eq(simstore_create(tc->sim.store, QUOTAS, q, NULL), SIMSTORE_OK);
	}
}

static const char *want_used;
static bool used_is(void *ud)
{
	const char *key = ud;
	struct simobj *o = simstore_get(tc->sim.store, QUOTAS, "default", "q");
	const cJSON *u = o ? tc_jpath(o->json, "status", "used") : NULL;
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(u, key));
	return v && strcmp(v, want_used) == 0;
}

static const cJSON *rs_failure(void)
{
	struct simobj *rs[4];
	if (tc_rs_of("web", rs, 4) != 1)
		return NULL;
	const cJSON *c;
	cJSON_ArrayForEach(c, tc_jpath(rs[0]->json, "status", "conditions"))
	{
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(c, "type")), "ReplicaFailure") == 0)
			return c;
	}
	return NULL;
}

/* The Deployment's ReplicaFailure message, "" when none. */
static const char *dep_failure(void)
{
	struct simobj *d = simstore_get(tc->sim.store, tc->deps, "default", "web");
	const cJSON *c, *conds = d ? tc_jpath(d->json, "status", "conditions") : NULL;
	cJSON_ArrayForEach(c, conds)
	{
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(c, "type")), "ReplicaFailure") == 0)
			return cJSON_GetStringValue(cJSON_GetObjectItem(c, "message"));
	}
	return "";
}

static bool dep_failing(void *ud)
{
	(void)ud;
	return *dep_failure() != '\0';
}

static bool dep_healed(void *ud)
{
	(void)ud;
	return *dep_failure() == '\0';
}

static bool failing(void *ud)
{
	(void)ud;
	return rs_failure() != NULL;
}

static bool healed(void *ud)
{
	(void)ud;
	struct simobj *rs[4];
	return tc_rs_of("web", rs, 4) == 1 && !rs_failure() &&
	       tc_rs_int(rs[0], "status", "replicas") == 3;
}

START_TEST(test_quota_blocks_replicaset)
{
	put_quota("{\"pods\":\"2\",\"requests.memory\":\"1Gi\"}");
	want_used = "0";
	ck_assert(tc_run_until(used_is, (void *)"pods", 5000));
	struct simobj *q = simstore_get(tc->sim.store, QUOTAS, "default", "q");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(tc_jpath(q->json, "status", "hard"), "pods")), "2");

	tc_create_deploy("web", 3, "nginx:1", NULL);
	cJSON *d = tc_dep_copy("web");
	cJSON *ctr = cJSON_GetArrayItem(tc_jpath(tc_jpath(d, "spec", "template"), "spec", "containers"), 0);
	cJSON_DeleteItemFromObject(ctr, "resources");
	cJSON_AddItemToObject(ctr, "resources",
			      cJSON_Parse("{\"requests\":{\"memory\":\"256Mi\"}}"));
	tc_dep_put(d);
	ck_assert(tc_run_until(failing, NULL, 10000));
	struct simobj *rs[4];
	ck_assert_uint_eq(tc_rs_of("web", rs, 4), 1);
	char want[512];
	snprintf(want, sizeof(want),
		 "pods \"%s-\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, "
		 "limited: pods=2",
		 rs[0]->name);
	const cJSON *c = rs_failure();
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(c, "reason")), "FailedCreate");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(c, "message")), want);
	char ev[600];
	snprintf(ev, sizeof(ev), "Error creating: %s", want);
	ck_assert(tc_has_event("FailedCreate", ev));
	/* getReplicaFailures: the Deployment carries it too. */
	ck_assert(tc_run_until(dep_failing, NULL, 5000));
	ck_assert_str_eq(dep_failure(), want);
	want_used = "2";
	ck_assert(tc_run_until(used_is, (void *)"pods", 5000));
	want_used = "512Mi";
	ck_assert(tc_run_until(used_is, (void *)"requests.memory", 5000));

	/* The quota grows: the retry creates the third pod, the condition goes. */
	put_quota("{\"pods\":\"3\",\"requests.memory\":\"1Gi\"}");
	ck_assert(tc_run_until(healed, NULL, 10000));
	ck_assert(tc_run_until(dep_healed, NULL, 5000));
	want_used = "768Mi";
	ck_assert(tc_run_until(used_is, (void *)"requests.memory", 5000));

	/* Over requests.memory now: several resources, sorted. */
	cJSON *pod = cJSON_Parse("{\"metadata\":{\"name\":\"x\",\"namespace\":\"default\"},"
				 "\"spec\":{\"containers\":[{\"name\":\"b\",\"resources\":{"
				 "\"requests\":{\"memory\":\"300Mi\"}}}]}}");
	char *err = simquota_admit_pod(&tc->sim, pod, false);
	ck_assert_str_eq(err, "exceeded quota: q, requested: pods=1,requests.memory=300Mi, used: "
			      "pods=3,requests.memory=768Mi, limited: pods=3,requests.memory=1Gi");
	free(err);
	cJSON_Delete(pod);
}
END_TEST

START_TEST(test_quota_constraints)
{
	put_quota("{\"requests.cpu\":\"2\",\"limits.memory\":\"1Gi\"}");
	want_used = "0";
	ck_assert(tc_run_until(used_is, (void *)"requests.cpu", 5000));
	cJSON *pod = cJSON_Parse("{\"metadata\":{\"name\":\"x\",\"namespace\":\"default\"},"
				 "\"spec\":{\"containers\":[{\"name\":\"b\"},{\"name\":\"a\","
				 "\"resources\":{\"limits\":{\"cpu\":\"1\"}}}]}}");
	char *err = simquota_admit_pod(&tc->sim, pod, true);
	ck_assert_str_eq(err, "failed quota: q: must specify limits.memory for: a,b; requests.cpu "
			      "for: b");
	free(err);
	cJSON_Delete(pod);
	/* Admitted: status.used goes up at once, before the pod is stored. */
	pod = cJSON_Parse("{\"metadata\":{\"name\":\"y\",\"namespace\":\"default\"},"
			  "\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":{\"limits\":"
			  "{\"cpu\":\"1500m\",\"memory\":\"1Gi\"}}}]}}");
	ck_assert_ptr_null(simquota_admit_pod(&tc->sim, pod, true));
	cJSON_Delete(pod);
	want_used = "1500m";
	ck_assert(used_is((void *)"requests.cpu"));
	/* A quota the controller has not counted yet refuses. */
	cJSON *q = cJSON_Parse("{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":"
			       "{\"name\":\"fresh\",\"namespace\":\"default\"},\"spec\":{\"hard\":"
			       "{\"pods\":\"9\"}}}");
	ck_assert_int_eq(simstore_create(tc->sim.store, QUOTAS, q, NULL), SIMSTORE_OK);
	pod = cJSON_Parse("{\"metadata\":{\"name\":\"z\",\"namespace\":\"default\"},"
			  "\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":{\"limits\":"
			  "{\"cpu\":\"100m\",\"memory\":\"1Mi\"}}}]}}");
	err = simquota_admit_pod(&tc->sim, pod, false);
	ck_assert_str_eq(err, "status unknown for quota: fresh, resource: pods");
	free(err);
	cJSON_Delete(pod);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_quota");
	TCase *tc_ = tcase_create("quota");
	tcase_add_checked_fixture(tc_, setup, teardown);
	tcase_set_timeout(tc_, 60);
	tcase_add_test(tc_, test_quota_blocks_replicaset);
	tcase_add_test(tc_, test_quota_constraints);
	suite_add_tcase(s, tc_);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
