#include "config.h"

#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/intern.h"
#include "podscope/store.h"
#include "testutil.h"

/* Jobs and CronJobs in the store: keys, ownership, no string left behind. */

static int upsert(struct store *s, enum store_kind k, const char *json)
{
	cJSON *o = cJSON_Parse(json);
	ck_assert_ptr_nonnull(o);
	struct perr err = {0};
	int rc = store_upsert_json(s, k, o, &err);
	perr_clear(&err);
	cJSON_Delete(o);
	return rc;
}

#define CJ_UID  "c0000000-0000-4000-8000-000000000001"
#define JOB_UID "j0000000-0000-4000-8000-000000000001"

static const char cronjob[] =
    "{\"metadata\":{\"name\":\"nightly\",\"namespace\":\"b\",\"uid\":\"" CJ_UID "\"},"
    "\"spec\":{\"schedule\":\"@daily\",\"suspend\":false},\"status\":{\"active\":"
    "[{\"namespace\":\"b\",\"name\":\"nightly-1\",\"uid\":\"" JOB_UID "\"}]}}";

static const char job[] =
    "{\"metadata\":{\"name\":\"nightly-1\",\"namespace\":\"b\",\"uid\":\"" JOB_UID "\","
    "\"ownerReferences\":[{\"kind\":\"CronJob\",\"name\":\"nightly\",\"uid\":\"" CJ_UID "\","
    "\"controller\":true}]},\"spec\":{\"completions\":2},\"status\":{\"succeeded\":1,"
    "\"conditions\":[{\"type\":\"Failed\",\"status\":\"False\",\"reason\":\"r\","
    "\"message\":\"m\"}]}}";

static const char pod[] =
    "{\"metadata\":{\"name\":\"nightly-1-x\",\"namespace\":\"b\",\"uid\":\"p1\","
    "\"ownerReferences\":[{\"kind\":\"Job\",\"name\":\"nightly-1\",\"uid\":\"" JOB_UID "\","
    "\"controller\":true}]},\"status\":{\"phase\":\"Failed\"}}";

START_TEST(test_store_batch)
{
	struct store *s = store_new();
	struct store_iter it;

	ck_assert_int_eq(upsert(s, STORE_CRONJOBS, cronjob), 1);
	ck_assert_int_eq(upsert(s, STORE_JOBS, job), 1);
	ck_assert_int_eq(upsert(s, STORE_PODS, pod), 1);
	const struct job *j = store_get_job(s, "b", "nightly-1");
	const struct cronjob *cj = store_get_cronjob(s, "b", "nightly");
	ck_assert_ptr_nonnull(j);
	ck_assert_ptr_nonnull(cj);
	ck_assert_str_eq(store_obj_uid(j), JOB_UID);
	ck_assert_str_eq(store_obj_name(cj), "nightly");
	ck_assert_str_eq(j->conditions[0].message, "m");
	ck_assert_str_eq(cj->active[0].name, "nightly-1");
	ck_assert_ptr_eq(store_job_cronjob(s, j), cj);
	ck_assert_ptr_eq(store_pod_job(s, store_get_pod(s, "b", "nightly-1-x")), j);
	/* The CronJob's Jobs by its uid, as ReplicaSets by their Deployment's. */
	store_iter_children(&it, s, STORE_JOBS, CJ_UID);
	ck_assert_ptr_eq(store_iter_next(&it), j);
	ck_assert_ptr_null(store_iter_next(&it));
	ck_assert_uint_eq(store_children_count(s, STORE_PODS, JOB_UID), 1);

	/* A uid that does not match is another object. */
	ck_assert_int_eq(upsert(s, STORE_CRONJOBS,
				"{\"metadata\":{\"name\":\"nightly\",\"namespace\":\"b\","
				"\"uid\":\"other\"},\"spec\":{}}"),
			 1);
	ck_assert_ptr_null(store_job_cronjob(s, j));

	/* A refused Job stores nothing and leaks nothing. */
	ck_assert_int_eq(upsert(s, STORE_JOBS,
				"{\"metadata\":{\"name\":\"bad\",\"namespace\":\"b\",\"labels\":"
				"{\"x\":\"y\"}},\"spec\":{\"parallelism\":1e300}}"),
			 -1);
	ck_assert_ptr_null(store_get_job(s, "b", "bad"));

	ck_assert_int_eq(store_kind_parse("jobs"), STORE_JOBS);
	ck_assert_int_eq(store_kind_parse("Job"), STORE_JOBS);
	ck_assert_int_eq(store_kind_parse("cj"), STORE_CRONJOBS);
	ck_assert_int_eq(store_kind_parse("cronjobs"), STORE_CRONJOBS);
	ck_assert_str_eq(store_kind_name(STORE_CRONJOBS), "cronjobs");
	ck_assert_str_eq(store_kind_kind(STORE_JOBS), "Job");

	for (int k = 0; k < STORE_NKINDS; k++)
		store_clear(s, (enum store_kind)k);
	ck_assert_uint_eq(intern_count(store_strings(s)), 0);
	store_free(s);
}
END_TEST

static Suite *store_batch_suite(void)
{
	Suite *s = suite_create("store_batch");
	TCase *tc = tcase_create("store_batch");
	tcase_add_test(tc, test_store_batch);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(store_batch_suite());
}
