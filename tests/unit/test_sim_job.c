#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "api_write.h"
#include "clock.h"
#include "ctrl_job.h"
#include "ctrl_job_int.h"
#include "objdefaults.h"
#include "printer.h"
#include "simcluster.h"
#include "store.h"
#include "testutil.h"
#include "util.h"

/*
 * The Job controller: its rules against upstream's tables
 * (backoff_utils_test.go, pod_failure_policy_test.go, success_policy_test.go,
 * indexed_job_utils_test.go), then whole Jobs in an in-process store after
 * job_controller_test.go's cases, on the test's trivial kubelet
 * (tests/lib/simcluster.h), the test playing the container runtime that
 * ends each pod.
 */

static cJSON *parse(const char *s)
{
	cJSON *j = cJSON_Parse(s);
	ck_assert_msg(j != NULL, "bad JSON: %s", s);
	return j;
}

/* A finished pod whose one container ended at t_s with that exit code. */
static cJSON *finished_pod(const char *phase, int t_s, int code)
{
	char ts[40], buf[1024];
	simclock_format((int64_t)t_s * 1000, ts, sizeof(ts));
	snprintf(buf, sizeof(buf),
		 "{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"status\":{\"phase\":"
		 "\"%s\",\"containerStatuses\":[{\"name\":\"main\",\"state\":{\"terminated\":"
		 "{\"exitCode\":%d,\"finishedAt\":\"%s\"}}}]}}",
		 phase, code, ts);
	return parse(buf);
}

/* --- back-off ------------------------------------------------------------------ */

START_TEST(test_backoff_remaining)
{
	/* TestGetRemainingBackoffTime: default 5 s, max 15 s. */
	static const struct {
		int32_t failures;
		int64_t since_ms; /* now - last failure */
		int64_t want_ms;
	} rows[] = {
	    {0, 0, 0},     {1, 0, 5000},      {1, 1000, 4000}, {1, 5000, 0},
	    {1, 6000, 0},  {2, 0, 10000},     {3, 0, 15000},   {3, 10000, 5000},
	    {4, 0, 15000}, {30, 14000, 1000}, {2, 20000, 0},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		ck_assert_msg(simjob_backoff_remaining(rows[i].failures, 100000,
						       100000 + rows[i].since_ms, 5000,
						       15000) == rows[i].want_ms,
			      "row %zu", i);
	/* The controller's own constants: 10 s doubling to 10 min. */
	ck_assert_int_eq(
	    simjob_backoff_remaining(1, 0, 0, SIMJOB_BACKOFF_MS, SIMJOB_BACKOFF_MAX_MS), 10000);
	ck_assert_int_eq(
	    simjob_backoff_remaining(7, 0, 0, SIMJOB_BACKOFF_MS, SIMJOB_BACKOFF_MAX_MS), 600000);
}
END_TEST

START_TEST(test_backoff_record)
{
	/* TestNewBackoffRecord. */
	cJSON *f10 = finished_pod("Failed", 10, 1), *f20 = finished_pod("Failed", 20, 1);
	cJSON *f40 = finished_pod("Failed", 40, 1), *s30 = finished_pod("Succeeded", 30, 0);
	struct simjob_backoff old = {2, 5000};
	/* No new pods: the record as it was. */
	struct simjob_backoff b = simjob_backoff_next(old, NULL, 0, NULL, 0);
	ck_assert_int_eq(b.failures, 2);
	ck_assert_int_eq(b.last_failure, 5000);
	/* Failures only: counted on, the latest time kept. */
	const cJSON *bad[] = {f20, f10};
	b = simjob_backoff_next(old, NULL, 0, bad, 2);
	ck_assert_int_eq(b.failures, 4);
	ck_assert_int_eq(b.last_failure, 20000);
	/* A success alone resets. */
	const cJSON *ok[] = {s30};
	b = simjob_backoff_next(old, ok, 1, NULL, 0);
	ck_assert_int_eq(b.failures, 0);
	ck_assert_int_eq(b.last_failure, 0);
	/* Only the failures after the last success count. */
	const cJSON *mixed[] = {f10, f40, f20};
	b = simjob_backoff_next(old, ok, 1, mixed, 3);
	ck_assert_int_eq(b.failures, 1);
	ck_assert_int_eq(b.last_failure, 40000);
	/* getFinishedTime: a Ready=False transition when a container has not
	 * terminated, else the deletion estimate, else the creation. */
	cJSON *p = parse("{\"metadata\":{\"creationTimestamp\":\"1970-01-01T00:00:07Z\"},"
			 "\"status\":{\"containerStatuses\":[{\"state\":{\"running\":{}}}],"
			 "\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\","
			 "\"lastTransitionTime\":\"1970-01-01T00:00:09Z\"}]}}");
	ck_assert_int_eq(simjob_finished_time(p), 9000);
	cJSON_Delete(p);
	p = parse("{\"metadata\":{\"creationTimestamp\":\"1970-01-01T00:00:07Z\","
		  "\"deletionTimestamp\":\"1970-01-01T00:01:00Z\",\"deletionGracePeriodSeconds\":"
		  "30}}");
	ck_assert_int_eq(simjob_finished_time(p), 30000);
	cJSON_Delete(p);
	p = parse("{\"metadata\":{\"creationTimestamp\":\"1970-01-01T00:00:07Z\"}}");
	ck_assert_int_eq(simjob_finished_time(p), 7000);
	cJSON_Delete(p);
	cJSON_Delete(f10);
	cJSON_Delete(f20);
	cJSON_Delete(f40);
	cJSON_Delete(s30);
}
END_TEST

/* --- pod failure policy ------------------------------------------------------------ */

START_TEST(test_pod_failure_policy)
{
	/* TestMatchPodFailurePolicy. */
	static const struct {
		const char *rules;
		const char *pod_status;
		const char *want_action; /* NULL: no rule */
		bool want_count;
		const char *want_msg;
	} rows[] = {
	    {"[{\"action\":\"FailJob\",\"onExitCodes\":{\"containerName\":\"main\","
	     "\"operator\":\"In\",\"values\":[1,2,3]}}]",
	     "\"containerStatuses\":[{\"name\":\"main\",\"state\":{\"terminated\":"
	     "{\"exitCode\":2}}}]",
	     "FailJob", true,
	     "Container main for pod ns/p failed with exit code 2 matching FailJob rule at index "
	     "0"},
	    {"[{\"action\":\"FailJob\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[1]}}]",
	     "\"containerStatuses\":[{\"name\":\"main\",\"state\":{\"terminated\":"
	     "{\"exitCode\":2}}}]",
	     NULL, true, NULL},
	    {"[{\"action\":\"FailJob\",\"onExitCodes\":{\"containerName\":\"other\","
	     "\"operator\":\"In\",\"values\":[2]}}]",
	     "\"containerStatuses\":[{\"name\":\"main\",\"state\":{\"terminated\":"
	     "{\"exitCode\":2}}}]",
	     NULL, true, NULL},
	    /* NotIn never matches exit code 0. */
	    {"[{\"action\":\"FailJob\",\"onExitCodes\":{\"operator\":\"NotIn\",\"values\":[1]}}]",
	     "\"containerStatuses\":[{\"name\":\"main\",\"state\":{\"terminated\":"
	     "{\"exitCode\":0}}}]",
	     NULL, true, NULL},
	    {"[{\"action\":\"Ignore\",\"onExitCodes\":{\"operator\":\"NotIn\",\"values\":[1]}}]",
	     "\"containerStatuses\":[{\"name\":\"main\",\"state\":{\"terminated\":"
	     "{\"exitCode\":137}}}]",
	     "Ignore", false, NULL},
	    {"[{\"action\":\"Count\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[5]}},"
	     "{\"action\":\"FailJob\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[5]}}]",
	     "\"initContainerStatuses\":[{\"name\":\"init\",\"state\":{\"terminated\":"
	     "{\"exitCode\":5}}}]",
	     "Count", true, NULL},
	    {"[{\"action\":\"Ignore\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[9]}},"
	     "{\"action\":\"FailJob\",\"onPodConditions\":[{\"type\":\"DisruptionTarget\","
	     "\"status\":\"True\"}]}]",
	     "\"conditions\":[{\"type\":\"DisruptionTarget\",\"status\":\"True\"}]", "FailJob",
	     true, "Pod ns/p has condition DisruptionTarget matching FailJob rule at index 1"},
	    {"[{\"action\":\"Ignore\",\"onPodConditions\":[{\"type\":\"DisruptionTarget\","
	     "\"status\":\"True\"}]}]",
	     "\"conditions\":[{\"type\":\"DisruptionTarget\",\"status\":\"False\"}]", NULL, true,
	     NULL},
	    {"[{\"action\":\"FailIndex\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[3]}}]",
	     "\"containerStatuses\":[{\"name\":\"main\",\"state\":{\"terminated\":"
	     "{\"exitCode\":3}}}]",
	     "FailIndex", true, NULL},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char buf[2048];
		snprintf(buf, sizeof(buf), "{\"rules\":%s}", rows[i].rules);
		cJSON *policy = parse(buf);
		snprintf(buf, sizeof(buf),
			 "{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"status\":{"
			 "\"phase\":\"Failed\",%s}}",
			 rows[i].pod_status);
		cJSON *pod = parse(buf);
		char *msg;
		bool count;
		const char *a = simjob_match_pod_failure_policy(policy, pod, &msg, &count);
		if (rows[i].want_action)
			ck_assert_msg(a && strcmp(a, rows[i].want_action) == 0, "row %zu: %s", i,
				      a ? a : "(none)");
		else
			ck_assert_msg(a == NULL, "row %zu: %s", i, a);
		ck_assert_msg(count == rows[i].want_count, "row %zu", i);
		if (rows[i].want_msg)
			ck_assert_str_eq(msg, rows[i].want_msg);
		else
			ck_assert_ptr_null(msg);
		free(msg);
		cJSON_Delete(policy);
		cJSON_Delete(pod);
	}
}
END_TEST

/* --- indexes and the success policy ------------------------------------------------ */

static char *ivals_of(const char *s, int32_t completions)
{
	struct simjob_ivals v = {0};
	simjob_ivals_parse(&v, s, completions);
	char *out = simjob_ivals_string(&v);
	simjob_ivals_free(&v);
	return out;
}

START_TEST(test_indexes)
{
	/* TestParseIndexesFromString and withOrderedIndexes. */
	static const struct {
		const char *in;
		int32_t completions;
		const char *want;
	} rows[] = {
	    {"", 5, ""},           {"1", 5, "1"},     {"1,3-4", 5, "1,3-4"},
	    {"1,3-6", 5, "1,3-4"}, {"5", 5, ""},      {"0-1,2", 5, "0-2"},
	    {"x,2", 5, "2"},       {"3-1,2", 5, "2"}, {"0-4", 3, "0-2"},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *got = ivals_of(rows[i].in, rows[i].completions);
		ck_assert_msg(strcmp(got, rows[i].want) == 0, "%s: %s", rows[i].in, got);
		free(got);
	}
	struct simjob_ivals v = {0};
	simjob_ivals_parse(&v, "1,5-6", 10);
	simjob_ivals_add(&v, 0);
	simjob_ivals_add(&v, 4);
	simjob_ivals_add(&v, 9);
	simjob_ivals_add(&v, 5);
	char *s = simjob_ivals_string(&v);
	ck_assert_str_eq(s, "0-1,4-6,9");
	free(s);
	ck_assert_int_eq(simjob_ivals_total(&v), 6);
	ck_assert(simjob_ivals_has(&v, 4));
	ck_assert(!simjob_ivals_has(&v, 3));
	simjob_ivals_free(&v);
	cJSON *pod = parse("{\"metadata\":{\"annotations\":{"
			   "\"batch.kubernetes.io/job-completion-index\":\"3\"}}}");
	ck_assert_int_eq(simjob_pod_index(pod), 3);
	cJSON_Delete(pod);
	pod = parse("{\"metadata\":{\"annotations\":{"
		    "\"batch.kubernetes.io/job-completion-index\":\"03\"}}}");
	ck_assert_int_eq(simjob_pod_index(pod), -1);
	cJSON_Delete(pod);
}
END_TEST

START_TEST(test_success_policy)
{
	/* TestMatchSuccessPolicy. */
	static const struct {
		const char *rules;
		const char *succeeded;
		bool want;
		const char *msg;
	} rows[] = {
	    {"[{\"succeededIndexes\":\"0-2\"}]", "0-1", false, NULL},
	    {"[{\"succeededIndexes\":\"0-2\"}]", "0-3", true, "Matched rules at index 0"},
	    {"[{\"succeededIndexes\":\"0-2\",\"succeededCount\":2}]", "1,5", false, NULL},
	    {"[{\"succeededIndexes\":\"0-2\",\"succeededCount\":2}]", "0,2", true,
	     "Matched rules at index 0"},
	    {"[{\"succeededCount\":5},{\"succeededCount\":3}]", "1,3,7", true,
	     "Matched rules at index 1"},
	    {"[{\"succeededIndexes\":\"9\"}]", "9", false, NULL}, /* beyond completions */
	    {"[{\"succeededCount\":1}]", "", false, NULL},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char buf[512];
		snprintf(buf, sizeof(buf), "{\"rules\":%s}", rows[i].rules);
		cJSON *policy = parse(buf);
		struct simjob_ivals ok = {0};
		simjob_ivals_parse(&ok, rows[i].succeeded, 8);
		char *msg;
		ck_assert_msg(simjob_match_success_policy(policy, 8, &ok, &msg) == rows[i].want,
			      "row %zu", i);
		if (rows[i].msg)
			ck_assert_str_eq(msg, rows[i].msg);
		free(msg);
		simjob_ivals_free(&ok);
		cJSON_Delete(policy);
	}
}
END_TEST

START_TEST(test_printer_cells)
{
	/* printJob: STATUS, COMPLETIONS, DURATION, AGE, CONTAINERS, IMAGES, SELECTOR. */
	cJSON *job = parse(
	    "{\"metadata\":{\"name\":\"pi\",\"creationTimestamp\":\"1970-01-01T00:00:01Z\"},"
	    "\"spec\":{\"completions\":3,\"parallelism\":1,\"selector\":{\"matchLabels\":"
	    "{\"batch.kubernetes.io/controller-uid\":\"u\"}},\"template\":{\"spec\":"
	    "{\"containers\":[{\"name\":\"pi\",\"image\":\"perl:5\"}]}}},\"status\":{"
	    "\"succeeded\":2,\"startTime\":\"1970-01-01T00:00:10Z\",\"conditions\":[{\"type\":"
	    "\"FailureTarget\",\"status\":\"True\"}]}}");
	struct buf b = BUF_INIT;
	simprint_job_cells(&b, job, 100000);
	ck_assert_str_eq(b.data, ",\"FailureTarget\",\"2/3\",\"90s\",\"99s\",\"pi\",\"perl:5\","
				 "\"batch.kubernetes.io/controller-uid=u\"");
	buf_free(&b);
	cJSON_Delete(job);
	job = parse("{\"metadata\":{\"name\":\"x\"},\"spec\":{\"parallelism\":4},\"status\":{"
		    "\"succeeded\":1,\"startTime\":\"1970-01-01T00:00:10Z\",\"completionTime\":"
		    "\"1970-01-01T00:01:10Z\",\"conditions\":[{\"type\":\"Suspended\",\"status\":"
		    "\"False\"},{\"type\":\"Complete\",\"status\":\"True\"}]}}");
	b = (struct buf)BUF_INIT;
	simprint_job_cells(&b, job, 0);
	ck_assert_str_eq(b.data, ",\"Complete\",\"1/1 of 4\",\"60s\",\"<unknown>\",\"\",\"\","
				 "\"<none>\"");
	buf_free(&b);
	cJSON_Delete(job);
	job = parse("{\"metadata\":{\"name\":\"x\"},\"spec\":{\"parallelism\":1},\"status\":{"
		    "\"conditions\":[{\"type\":\"Suspended\",\"status\":\"True\"}]}}");
	b = (struct buf)BUF_INIT;
	simprint_job_cells(&b, job, 0);
	ck_assert_str_eq(b.data, ",\"Suspended\",\"0/1\",\"\",\"<unknown>\",\"\",\"\",\"<none>\"");
	buf_free(&b);
	cJSON_Delete(job);
}
END_TEST

/* --- whole Jobs ------------------------------------------------------------------------ */

static struct tc_cluster *C;
static const struct simres *JOBS;
/* The template's restartPolicy for the next create_job. */
static const char *restart_policy = "Never";

static void setup(void)
{
	/* The back-off, deadline and TTL checks bound simulated time from
	 * above: at a quarter of the usual speed, 60 ms of a loaded loop (two
	 * valgrind runs at once) cost 3 s of simulated time, not 12. */
	C = tc_up_speed(TC_SPEED / 4);
	restart_policy = "Never";
	JOBS = simres_find("batch", "v1", "jobs");
	ck_assert_int_eq(simjob_start(&C->sim), 0);
}

static void teardown(void)
{
	simjob_stop(&C->sim);
	tc_down();
}

/* A Job "j" as the API server stores it; extra: more members of its spec. */
static void create_job(const char *extra, const char *command)
{
	char buf[4096];
	snprintf(buf, sizeof(buf),
		 "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\","
		 "\"metadata\":{\"name\":\"j\",\"namespace\":\"default\"},"
		 "\"spec\":{\"template\":{\"spec\":{\"restartPolicy\":\"%s\","
		 "\"containers\":[{\"name\":\"main\",\"image\":\"busybox\",\"command\":[\"%s\"]}]}}"
		 "%s%s}}",
		 restart_policy, command ? command : "true", extra ? "," : "", extra ? extra : "");
	cJSON *o = parse(buf);
	cJSON *err = simprep_create(&C->sim, JOBS, o);
	ck_assert_ptr_null(err);
	objdefaults_apply("Job", o);
	err = objvalidate("Job", "batch", o);
	if (err) {
		char *s = cJSON_PrintUnformatted(err);
		ck_abort_msg("invalid: %s", s);
	}
	ck_assert_int_eq(simstore_create(C->sim.store, JOBS, o, NULL), SIMSTORE_OK);
}

static const cJSON *job(void)
{
	struct simobj *o = simstore_get(C->sim.store, JOBS, "default", "j");
	return o ? o->json : NULL;
}

static int64_t st_int(const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(job(), "status"), key);
	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static const char *st_str(const char *key)
{
	return simjson_string(cJSON_GetObjectItem(job(), "status"), key);
}

/* The condition's status and reason, "" when absent. */
static const char *cond(const char *type, const char **reason)
{
	const cJSON *c = simjob_condition(job(), type);
	if (reason)
		*reason = c ? simjson_string(c, "reason") : "";
	return c ? simjson_string(c, "status") : "";
}

/* The pods of the Job, up to max, in creation order (store order by name
 * otherwise), borrowed. */
static size_t pods(struct simobj **out, size_t max, bool live_only)
{
	struct simsnap *s = simstore_snapshot(C->sim.store, C->pods);
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++) {
		const char *ph =
		    simjson_string(cJSON_GetObjectItem(s->items[i]->json, "status"), "phase");
		bool done = ph && (!strcmp(ph, "Succeeded") || !strcmp(ph, "Failed"));
		bool dying = tc_jpath(s->items[i]->json, "metadata", "deletionTimestamp") != NULL;
		if (live_only && (done || dying))
			continue;
		if (n < max)
			out[n] = simstore_get(C->sim.store, C->pods, "default", s->items[i]->name);
		n++;
	}
	simsnap_unref(s);
	return n;
}

static size_t npods_live(void)
{
	struct simobj *v[64];
	return pods(v, 64, true);
}

static bool has_n_live(void *ud)
{
	return npods_live() == *(size_t *)ud;
}

static bool has_n_running(void *ud)
{
	struct simobj *v[64];
	size_t n = pods(v, 64, true), running = 0;
	for (size_t i = 0; i < n && i < 64; i++)
		running += simjob_is_phase(v[i]->json, "Running");
	return n == running && running == *(size_t *)ud;
}

/* n live pods, all Running (the test's kubelet has started them: ending
 * one earlier would be undone when it does). */
static void wait_running(size_t n)
{
	ck_assert_msg(tc_run_until(has_n_running, &n, 10000), "running pods: not %zu", n);
}

/* The runtime ends the pod's container with that exit code, now. */
static void end_pod(const struct simobj *p, int code)
{
	char ts[40];
	simclock_format(simclock_now(&C->sim.clock), ts, sizeof(ts));
	cJSON *j = simobj_copy(p);
	cJSON *st = simjson_object(j, "status");
	simjson_set_string(st, "phase", code ? "Failed" : "Succeeded");
	cJSON_DeleteItemFromObject(st, "containerStatuses");
	char buf[256];
	snprintf(buf, sizeof(buf),
		 "[{\"name\":\"main\",\"state\":{\"terminated\":{\"exitCode\":%d,\"reason\":"
		 "\"%s\",\"finishedAt\":\"%s\"}}}]",
		 code, code ? "Error" : "Completed", ts);
	cJSON_AddItemToObject(st, "containerStatuses", parse(buf));
	ck_assert_int_eq(simstore_update(C->sim.store, C->pods, j, 0, NULL), SIMSTORE_OK);
}

/* End every live pod of the Job with code. */
static void end_all(int code)
{
	struct simobj *v[64];
	size_t n = pods(v, 64, true);
	char names[64][128];
	for (size_t i = 0; i < n; i++)
		snprintf(names[i], sizeof(names[i]), "%s", v[i]->name);
	for (size_t i = 0; i < n; i++)
		end_pod(simstore_get(C->sim.store, C->pods, "default", names[i]), code);
}

static bool cond_true(void *ud)
{
	return job() && strcmp(cond((const char *)ud, NULL), "True") == 0;
}

static void wait_cond(const char *type)
{
	ck_assert_msg(tc_run_until(cond_true, (void *)type, 10000), "no %s condition", type);
}

static void wait_live(size_t n)
{
	ck_assert_msg(tc_run_until(has_n_live, &n, 10000), "live pods: %zu, not %zu", npods_live(),
		      n);
}

static bool no_finalizers(void *ud)
{
	(void)ud;
	struct simobj *v[64];
	size_t n = pods(v, 64, false);
	for (size_t i = 0; i < n && i < 64; i++)
		if (simjob_has_finalizer(v[i]->json))
			return false;
	return true;
}

START_TEST(test_completions_parallelism)
{
	/* TestControllerSyncJob "parallelism < completions": 2 at a time up to 3. */
	create_job("\"completions\":3,\"parallelism\":2", NULL);
	wait_running(2);
	tc_run_for(2000);
	ck_assert_uint_eq(npods_live(), 2);
	ck_assert_int_eq(st_int("active"), 2);
	struct simobj *v[4];
	ck_assert_uint_eq(pods(v, 4, true), 2);
	ck_assert(simjob_has_finalizer(v[0]->json));
	const cJSON *ref =
	    cJSON_GetArrayItem(tc_jpath(v[0]->json, "metadata", "ownerReferences"), 0);
	ck_assert_str_eq(simjson_string(ref, "kind"), "Job");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(ref, "controller")));
	ck_assert_str_eq(simjson_string(tc_jpath(v[0]->json, "metadata", "labels"),
					"batch.kubernetes.io/job-name"),
			 "j");
	ck_assert(strncmp(v[0]->name, "j-", 2) == 0);
	end_all(0);
	wait_running(1);
	end_all(0);
	wait_cond("Complete");
	const char *reason;
	ck_assert_str_eq(cond("SuccessCriteriaMet", &reason), "True");
	ck_assert_str_eq(reason, "CompletionsReached");
	ck_assert_str_eq(cond("Complete", &reason), "True");
	ck_assert_str_eq(reason, "CompletionsReached");
	ck_assert_int_eq(st_int("succeeded"), 3);
	ck_assert_int_eq(st_int("failed"), 0);
	ck_assert_int_eq(st_int("active"), 0);
	ck_assert_ptr_nonnull(st_str("completionTime"));
	ck_assert_ptr_nonnull(st_str("startTime"));
	/* SuccessCriteriaMet comes first in the list. */
	const cJSON *c0 = cJSON_GetArrayItem(tc_jpath(job(), "status", "conditions"), 0);
	ck_assert_str_eq(simjson_string(c0, "type"), "SuccessCriteriaMet");
	ck_assert(tc_run_until(no_finalizers, NULL, 5000));
	ck_assert(tc_has_event("Completed", "Job completed"));
}
END_TEST

static bool n_pods_total(void *ud)
{
	struct simobj *v[64];
	return pods(v, 64, false) >= *(size_t *)ud;
}

START_TEST(test_backoff_limit)
{
	/* The exponential back-off (10 s, then 20 s) and BackoffLimitExceeded. */
	create_job("\"backoffLimit\":2", NULL);
	wait_running(1);
	int64_t t0 = simclock_now(&C->sim.clock);
	end_all(1);
	size_t two = 2;
	ck_assert(tc_run_until(n_pods_total, &two, 10000));
	int64_t d1 = simclock_now(&C->sim.clock) - t0;
	/* finishedAt has whole seconds: the back-off counts from up to 1 s
	 * before the failure. */
	ck_assert_msg(d1 >= 9000 && d1 < 19000, "first back-off %lld ms", (long long)d1);
	ck_assert_int_eq(st_int("failed"), 1);
	wait_running(1);
	t0 = simclock_now(&C->sim.clock);
	end_all(2);
	size_t three = 3;
	ck_assert(tc_run_until(n_pods_total, &three, 10000));
	int64_t d2 = simclock_now(&C->sim.clock) - t0;
	ck_assert_msg(d2 >= 19000 && d2 < 39000, "second back-off %lld ms", (long long)d2);
	wait_running(1);
	end_all(3);
	wait_cond("Failed");
	const char *reason;
	ck_assert_str_eq(cond("FailureTarget", &reason), "True");
	ck_assert_str_eq(reason, "BackoffLimitExceeded");
	ck_assert_str_eq(cond("Failed", &reason), "True");
	ck_assert_str_eq(reason, "BackoffLimitExceeded");
	ck_assert_int_eq(st_int("failed"), 3);
	ck_assert_ptr_null(st_str("completionTime"));
	ck_assert(
	    tc_has_event("BackoffLimitExceeded", "Job has reached the specified backoff limit"));
	/* No new pod once failed. */
	tc_run_for(30000);
	struct simobj *v[8];
	ck_assert_uint_eq(pods(v, 8, false), 3);
}
END_TEST

START_TEST(test_indexed)
{
	/* Indexed: the index annotation, label, hostname and name; completedIndexes. */
	create_job("\"completions\":3,\"parallelism\":3,\"completionMode\":\"Indexed\"", NULL);
	wait_running(3);
	struct simobj *v[4];
	ck_assert_uint_eq(pods(v, 4, true), 3);
	bool seen[3] = {false, false, false};
	char one[128] = "";
	for (int i = 0; i < 3; i++) {
		int32_t ix = simjob_pod_index(v[i]->json);
		ck_assert(ix >= 0 && ix < 3);
		seen[ix] = true;
		char want[32];
		snprintf(want, sizeof(want), "j-%d", ix);
		ck_assert_str_eq(
		    simjson_string(cJSON_GetObjectItem(v[i]->json, "spec"), "hostname"), want);
		ck_assert(strncmp(v[i]->name, want, strlen(want)) == 0);
		ck_assert_int_eq(atoi(simjson_string(tc_jpath(v[i]->json, "metadata", "labels"),
						     SIMJOB_INDEX_LABEL)),
				 ix);
		if (ix == 1)
			snprintf(one, sizeof(one), "%s", v[i]->name);
	}
	ck_assert(seen[0] && seen[1] && seen[2]);
	end_pod(simstore_get(C->sim.store, C->pods, "default", one), 0);
	tc_run_for(2000);
	ck_assert_str_eq(st_str("completedIndexes"), "1");
	ck_assert_int_eq(st_int("succeeded"), 1);
	end_all(0);
	wait_cond("Complete");
	ck_assert_str_eq(st_str("completedIndexes"), "0-2");
}
END_TEST

static void patch_spec_bool(const char *key, bool v)
{
	cJSON *j = simobj_copy(simstore_get(C->sim.store, JOBS, "default", "j"));
	cJSON *spec = cJSON_GetObjectItem(j, "spec");
	cJSON_DeleteItemFromObject(spec, key);
	cJSON_AddBoolToObject(spec, key, v);
	ck_assert_int_eq(simstore_update(C->sim.store, JOBS, j, 0, NULL), SIMSTORE_OK);
}

START_TEST(test_suspend_resume)
{
	/* TestSyncJobWithJobSuspend/resume: no pods while suspended, pods deleted
	 * on suspend, startTime set anew on resume. */
	create_job("\"suspend\":true", "sleep");
	wait_cond("Suspended");
	ck_assert_uint_eq(npods_live(), 0);
	ck_assert_ptr_null(st_str("startTime"));
	const char *reason;
	cond("Suspended", &reason);
	ck_assert_str_eq(reason, "JobSuspended");
	tc_run_for(5000);
	patch_spec_bool("suspend", false);
	wait_running(1);
	ck_assert_str_eq(cond("Suspended", &reason), "False");
	ck_assert_str_eq(reason, "JobResumed");
	char start1[40];
	snprintf(start1, sizeof(start1), "%s", st_str("startTime"));
	tc_run_for(5000);
	patch_spec_bool("suspend", true);
	wait_live(0);
	wait_cond("Suspended");
	ck_assert(tc_has_event("Suspended", "Job suspended"));
	ck_assert(tc_has_event("Resumed", "Job resumed"));
	tc_run_for(5000);
	patch_spec_bool("suspend", false);
	wait_running(1);
	ck_assert_str_ne(st_str("startTime"), start1);
	/* The pods of a suspended Job lose the finalizer before they are
	 * deleted: they are not counted as failed. */
	ck_assert_int_eq(st_int("failed"), 0);
}
END_TEST

START_TEST(test_active_deadline)
{
	create_job("\"activeDeadlineSeconds\":20", "sleep");
	wait_live(1);
	wait_cond("Failed");
	const char *reason;
	ck_assert_str_eq(cond("Failed", &reason), "True");
	ck_assert_str_eq(reason, "DeadlineExceeded");
	ck_assert_str_eq(cond("FailureTarget", NULL), "True");
	ck_assert_uint_eq(npods_live(), 0);
	int64_t start = simprint_time_ms(st_str("startTime"));
	const cJSON *ft = simjob_condition(job(), "FailureTarget");
	int64_t at = simprint_time_ms(simjson_string(ft, "lastTransitionTime"));
	ck_assert_msg(at - start >= 20000 && at - start <= 27000, "deadline after %lld ms",
		      (long long)(at - start));
}
END_TEST

START_TEST(test_pod_failure_policy_run)
{
	/* Ignore does not count the failure (the pod is replaced at once);
	 * FailJob fails the Job with its message. */
	create_job("\"backoffLimit\":0,\"podFailurePolicy\":{\"rules\":["
		   "{\"action\":\"Ignore\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[3]}},"
		   "{\"action\":\"FailJob\",\"onExitCodes\":{\"containerName\":\"main\","
		   "\"operator\":\"In\",\"values\":[42]}}]}",
		   "sleep");
	wait_running(1);
	end_all(3);
	size_t two = 2;
	ck_assert(tc_run_until(n_pods_total, &two, 5000));
	ck_assert_int_eq(st_int("failed"), 0);
	ck_assert_str_eq(cond("Failed", NULL), "");
	wait_running(1);
	struct simobj *v[4];
	pods(v, 4, true);
	char msg[256];
	snprintf(msg, sizeof(msg),
		 "Container main for pod default/%s failed with exit code 42 matching FailJob "
		 "rule at index 1",
		 v[0]->name);
	end_all(42);
	wait_cond("Failed");
	const char *reason;
	cond("Failed", &reason);
	ck_assert_str_eq(reason, "PodFailurePolicy");
	ck_assert_str_eq(simjson_string(simjob_condition(job(), "Failed"), "message"), msg);
	ck_assert_int_eq(st_int("failed"), 1);
}
END_TEST

START_TEST(test_success_policy_run)
{
	create_job("\"completions\":3,\"parallelism\":3,\"completionMode\":\"Indexed\","
		   "\"successPolicy\":{\"rules\":[{\"succeededIndexes\":\"0\"}]}",
		   "sleep");
	wait_running(3);
	struct simobj *v[4];
	pods(v, 4, true);
	for (int i = 0; i < 3; i++)
		if (simjob_pod_index(v[i]->json) == 0) {
			end_pod(v[i], 0);
			break;
		}
	wait_cond("Complete");
	const char *reason;
	ck_assert_str_eq(cond("SuccessCriteriaMet", &reason), "True");
	ck_assert_str_eq(reason, "SuccessPolicy");
	ck_assert_str_eq(simjson_string(simjob_condition(job(), "Complete"), "message"),
			 "Matched rules at index 0");
	ck_assert_uint_eq(npods_live(), 0);
	ck_assert_str_eq(st_str("completedIndexes"), "0");
}
END_TEST

/* Deleted: gone, or kept by foregroundDeletion (this cluster has no
 * garbage collector to finish it). */
static bool job_gone(void *ud)
{
	(void)ud;
	return job() == NULL || tc_jpath(job(), "metadata", "deletionTimestamp") != NULL;
}

START_TEST(test_ttl_after_finished)
{
	create_job("\"ttlSecondsAfterFinished\":5", NULL);
	wait_running(1);
	end_all(0);
	wait_cond("Complete");
	/* The controller counts from the finish time, which has whole
	 * seconds: measuring from when this test saw Complete would start
	 * the clock late on a slow (sanitizer) build. */
	time_t fin = simutil_parse_rfc3339(st_str("completionTime"));
	ck_assert(fin > 0);
	int64_t done = (int64_t)fin * 1000;
	ck_assert(tc_run_until(job_gone, NULL, 10000));
	int64_t d = simclock_now(&C->sim.clock) - done;
	ck_assert_msg(d >= 5000 && d < 13000, "deleted %lld ms after completionTime",
		      (long long)d);
}
END_TEST

START_TEST(test_orphans_lose_finalizer)
{
	/* syncOrphanPod: once the Job is gone, its pods' finalizers go. */
	create_job("\"parallelism\":2,\"completions\":4", "sleep");
	wait_running(2);
	ck_assert(!no_finalizers(NULL));
	ck_assert_int_eq(simstore_delete(C->sim.store, JOBS, "default", "j", 0, NULL), SIMSTORE_OK);
	ck_assert(tc_run_until(no_finalizers, NULL, 5000));
}
END_TEST

/* The live pod of an Indexed Job at index ix, or NULL. */
static struct simobj *pod_at(int32_t ix)
{
	struct simobj *v[64];
	size_t n = pods(v, 64, true);
	for (size_t i = 0; i < n && i < 64; i++)
		if (simjob_pod_index(v[i]->json) == ix)
			return v[i];
	return NULL;
}

/* The Job's first pod (any state). */
static struct simobj *pod_first(void)
{
	struct simobj *v[4];
	ck_assert_uint_ge(pods(v, 4, false), 1);
	return v[0];
}

static bool has_pod_at_1(void *ud)
{
	(void)ud;
	struct simobj *p = pod_at(1);
	return p && simjob_is_phase(p->json, "Running");
}

START_TEST(test_backoff_limit_per_index)
{
	/* backoffLimitPerIndex with a FailIndex rule: index 0 fails for good at
	 * once, index 1 is retried with its failure count, the Job fails with
	 * FailedIndexes once every index is done. */
	create_job("\"completions\":2,\"parallelism\":2,\"completionMode\":\"Indexed\","
		   "\"backoffLimitPerIndex\":1,\"podFailurePolicy\":{\"rules\":[{\"action\":"
		   "\"FailIndex\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[7]}}]}",
		   "sleep");
	wait_running(2);
	ck_assert_str_eq(simjson_string(tc_jpath(pod_at(0)->json, "metadata", "annotations"),
					SIMJOB_FAILCOUNT_ANNOTATION),
			 "0");
	end_pod(pod_at(0), 7);
	end_pod(pod_at(1), 1);
	tc_run_for(2000);
	ck_assert_str_eq(st_str("failedIndexes"), "0");
	ck_assert_ptr_null(pod_at(0));
	ck_assert(tc_run_until(has_pod_at_1, NULL, 10000));
	ck_assert_ptr_null(pod_at(0));
	ck_assert_str_eq(simjson_string(tc_jpath(pod_at(1)->json, "metadata", "annotations"),
					SIMJOB_FAILCOUNT_ANNOTATION),
			 "1");
	end_pod(pod_at(1), 0);
	wait_cond("Failed");
	const char *reason;
	cond("Failed", &reason);
	ck_assert_str_eq(reason, "FailedIndexes");
	ck_assert_str_eq(st_str("completedIndexes"), "1");
	ck_assert_str_eq(st_str("failedIndexes"), "0");
}
END_TEST

START_TEST(test_restart_on_failure)
{
	/* pastBackoffLimitOnFailure: with OnFailure the restarts of a running
	 * pod count against backoffLimit. */
	restart_policy = "OnFailure";
	create_job("\"backoffLimit\":2", "sleep");
	wait_running(1);
	struct simobj *v[4];
	pods(v, 4, true);
	cJSON *p = simobj_copy(v[0]);
	cJSON *st = simjson_object(p, "status");
	cJSON_DeleteItemFromObject(st, "containerStatuses");
	cJSON_AddItemToObject(st, "containerStatuses",
			      cJSON_Parse("[{\"name\":\"main\",\"restartCount\":1,\"state\":"
					  "{\"running\":{}}}]"));
	ck_assert_int_eq(simstore_update(C->sim.store, C->pods, p, 0, NULL), SIMSTORE_OK);
	tc_run_for(2000);
	ck_assert_str_eq(cond("FailureTarget", NULL), "");
	p = simobj_copy(v[0] = pod_first());
	st = simjson_object(p, "status");
	cJSON_ReplaceItemInObject(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(st, "containerStatuses"), 0), "restartCount",
	    cJSON_CreateNumber(2));
	ck_assert_int_eq(simstore_update(C->sim.store, C->pods, p, 0, NULL), SIMSTORE_OK);
	wait_cond("Failed");
	const char *reason;
	cond("Failed", &reason);
	ck_assert_str_eq(reason, "BackoffLimitExceeded");
	ck_assert_uint_eq(npods_live(), 0);
}
END_TEST

START_TEST(test_work_queue)
{
	/* No completions: parallelism pods; the first success stops new pods,
	 * the Job completes once none is active. */
	create_job("\"parallelism\":2", "sleep");
	wait_running(2);
	struct simobj *v[4];
	pods(v, 4, true);
	end_pod(v[0], 0);
	tc_run_for(5000);
	ck_assert_uint_eq(npods_live(), 1);
	ck_assert_str_eq(cond("Complete", NULL), "");
	end_all(0);
	wait_cond("Complete");
	ck_assert_int_eq(st_int("succeeded"), 2);
	ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(job(), "spec"), "completions"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_job");
	TCase *u = tcase_create("rules");
	tcase_add_test(u, test_backoff_remaining);
	tcase_add_test(u, test_backoff_record);
	tcase_add_test(u, test_pod_failure_policy);
	tcase_add_test(u, test_indexes);
	tcase_add_test(u, test_success_policy);
	tcase_add_test(u, test_printer_cells);
	suite_add_tcase(s, u);
	TCase *r = tcase_create("jobs");
	tcase_add_checked_fixture(r, setup, teardown);
	tcase_set_timeout(r, 60);
	tcase_add_test(r, test_completions_parallelism);
	tcase_add_test(r, test_backoff_limit);
	tcase_add_test(r, test_indexed);
	tcase_add_test(r, test_suspend_resume);
	tcase_add_test(r, test_active_deadline);
	tcase_add_test(r, test_pod_failure_policy_run);
	tcase_add_test(r, test_success_policy_run);
	tcase_add_test(r, test_ttl_after_finished);
	tcase_add_test(r, test_orphans_lose_finalizer);
	tcase_add_test(r, test_backoff_limit_per_index);
	tcase_add_test(r, test_restart_on_failure);
	tcase_add_test(r, test_work_queue);
	suite_add_tcase(s, r);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
