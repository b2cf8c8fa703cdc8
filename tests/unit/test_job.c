#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/cron.h"
#include "podscope/duration.h"
#include "podscope/job.h"
#include "testutil.h"

static int64_t at(const char *rfc3339)
{
	int64_t t = 0;
	ck_assert_msg(duration_parse_rfc3339(rfc3339, &t, NULL) == 0, "%s", rfc3339);
	return t;
}

static cJSON *fixture(const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/tests/fixtures/batch/%s", test_srcdir(), name);
	char *text = test_slurp(path);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	cJSON *obj = cJSON_Parse(text);
	free(text);
	ck_assert_ptr_nonnull(obj);
	return obj;
}

static void decode_job(const char *json, struct job *j, struct model_arena *arena)
{
	struct perr err = {0};
	cJSON *obj = cJSON_Parse(json);
	ck_assert_msg(obj != NULL, "bad JSON: %s", json);
	ck_assert_msg(model_decode_job(obj, j, arena, NULL, &err) == 0, "%s: %s", json,
		      perr_msg(&err));
	cJSON_Delete(obj);
}

/* The time the cases run at: translateTimestampSince and Duration read it. */
#define NOW "2026-03-01T12:00:00Z"

/*
 * pkg/printers/internalversion/printers_test.go, TestPrintJob (v1.33): the
 * STATUS, COMPLETIONS and DURATION cells, one row per case, then cases of
 * our own for what the table leaves out (parallelism, a condition that is
 * not True, the order of the conditions).
 */
static const struct {
	const char *name;
	const char *json;
	const char *status, *completions, *duration;
} print_job_cases[] = {
    {"upstream: no generate options", "{\"spec\":{\"completions\":2},\"status\":{\"succeeded\":1}}",
     "Running", "1/2", ""},
    {"upstream: no completions (ten-year age)", "{\"spec\":{},\"status\":{\"succeeded\":0}}",
     "Running", "0/1", ""},
    {"upstream: with duration",
     "{\"spec\":{},\"status\":{\"succeeded\":0,\"startTime\":\"2016-01-01T00:00:00Z\","
     "\"completionTime\":\"2016-01-01T00:31:00Z\"}}",
     "Running", "0/1", "31m"},
    {"upstream: without completion time",
     "{\"spec\":{},\"status\":{\"succeeded\":0,\"startTime\":\"2026-03-01T11:40:00Z\"}}", "Running",
     "0/1", "20m"},
    {"upstream: Complete condition",
     "{\"spec\":{\"completions\":2},\"status\":{\"succeeded\":2,\"conditions\":[{\"type\":"
     "\"Complete\",\"status\":\"True\"}]}}",
     "Complete", "2/2", ""},
    {"upstream: Failed condition",
     "{\"spec\":{\"completions\":2},\"status\":{\"failed\":1,\"conditions\":[{\"type\":"
     "\"Failed\",\"status\":\"True\"}]}}",
     "Failed", "0/2", ""},
    {"upstream: Suspended condition",
     "{\"spec\":{\"completions\":2},\"status\":{\"conditions\":[{\"type\":\"Suspended\","
     "\"status\":\"True\"}]}}",
     "Suspended", "0/2", ""},
    {"upstream: FailureTarget condition",
     "{\"spec\":{\"completions\":2},\"status\":{\"conditions\":[{\"type\":\"FailureTarget\","
     "\"status\":\"True\"}]}}",
     "FailureTarget", "0/2", ""},
    {"upstream: SuccessCriteriaMet condition",
     "{\"spec\":{\"completions\":2},\"status\":{\"succeeded\":2,\"conditions\":[{\"type\":"
     "\"SuccessCriteriaMet\",\"status\":\"True\"}]}}",
     "SuccessCriteriaMet", "2/2", ""},
    {"upstream: being deleted",
     "{\"metadata\":{\"deletionTimestamp\":\"2026-03-01T11:59:00Z\"},\"spec\":{"
     "\"completions\":2},\"status\":{}}",
     "Terminating", "0/2", ""},
    {"parallelism without completions",
     "{\"spec\":{\"parallelism\":4},\"status\":{\"succeeded\":3}}", "Running", "3/1 of 4", ""},
    {"parallelism 1 without completions", "{\"spec\":{\"parallelism\":1},\"status\":{}}", "Running",
     "0/1", ""},
    {"completions win over parallelism", "{\"spec\":{\"completions\":5,\"parallelism\":4}}",
     "Running", "0/5", ""},
    {"a Complete condition that is False",
     "{\"status\":{\"conditions\":[{\"type\":\"Complete\",\"status\":\"False\"}]}}", "Running",
     "0/1", ""},
    {"the first condition of a type decides",
     "{\"status\":{\"conditions\":[{\"type\":\"Failed\",\"status\":\"False\"},{\"type\":"
     "\"Failed\",\"status\":\"True\"}]}}",
     "Running", "0/1", ""},
    {"Complete before Failed, Failed before Terminating",
     "{\"metadata\":{\"deletionTimestamp\":\"2026-03-01T11:59:00Z\"},\"status\":{"
     "\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\"},{\"type\":\"Complete\","
     "\"status\":\"True\"}]}}",
     "Complete", "0/1", ""},
    {"Terminating before Suspended",
     "{\"metadata\":{\"deletionTimestamp\":\"2026-03-01T11:59:00Z\"},\"status\":{"
     "\"conditions\":[{\"type\":\"Suspended\",\"status\":\"True\"}]}}",
     "Terminating", "0/1", ""},
    {"Suspended before FailureTarget",
     "{\"status\":{\"conditions\":[{\"type\":\"FailureTarget\",\"status\":\"True\"},"
     "{\"type\":\"Suspended\",\"status\":\"True\"}]}}",
     "Suspended", "0/1", ""},
    {"a start in the future (kubectl: <invalid>)",
     "{\"status\":{\"startTime\":\"2026-03-01T12:00:10Z\"}}", "Running", "0/1", "0s"},
};

START_TEST(test_print_job)
{
	int64_t now = at(NOW);
	for (size_t i = 0; i < sizeof(print_job_cases) / sizeof(print_job_cases[0]); i++) {
		struct model_arena arena = MODEL_ARENA_INIT;
		struct job j;
		char comp[64], dur[64];
		decode_job(print_job_cases[i].json, &j, &arena);
		job_completions_cell(&j, comp, sizeof(comp));
		job_duration_cell(&j, now, dur, sizeof(dur));
		ck_assert_msg(strcmp(job_status_cell(&j), print_job_cases[i].status) == 0,
			      "%s: status %s", print_job_cases[i].name, job_status_cell(&j));
		ck_assert_msg(strcmp(comp, print_job_cases[i].completions) == 0,
			      "%s: completions %s", print_job_cases[i].name, comp);
		ck_assert_msg(strcmp(dur, print_job_cases[i].duration) == 0, "%s: duration %s",
			      print_job_cases[i].name, dur);
		model_arena_free(&arena);
	}
}
END_TEST

/*
 * TestPrintCronJob (v1.33): SCHEDULE verbatim, TIMEZONE, SUSPEND, ACTIVE,
 * LAST SCHEDULE; then a suspend left unset.
 */
START_TEST(test_print_cronjob)
{
	static const struct {
		const char *json;
		const char *tz, *suspend, *last;
		int active;
	} cases[] = {
	    {"{\"spec\":{\"schedule\":\"0/5 * * * ?\",\"suspend\":false},\"status\":{"
	     "\"lastScheduleTime\":\"2026-03-01T12:00:01.9Z\"}}",
	     "<none>", "False", "0s", 0},
	    {"{\"spec\":{\"schedule\":\"0/5 * * * ?\",\"suspend\":false},\"status\":{"
	     "\"lastScheduleTime\":\"2026-03-01T11:59:30Z\"}}",
	     "<none>", "False", "30s", 0},
	    {"{\"spec\":{\"schedule\":\"0/5 * * * ?\",\"suspend\":false},\"status\":{}}", "<none>",
	     "False", "<none>", 0},
	    {"{\"spec\":{\"schedule\":\"0/5 * * * ?\",\"timeZone\":\"Asia/Shanghai\","
	     "\"suspend\":true},\"status\":{\"active\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}",
	     "Asia/Shanghai", "True", "<none>", 2},
	    {"{\"spec\":{\"schedule\":\"@hourly\",\"suspend\":\"yes\"}}", "<none>", "<unset>",
	     "<none>", 0},
	};
	int64_t now = at(NOW);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct model_arena arena = MODEL_ARENA_INIT;
		struct cronjob cj;
		struct perr err = {0};
		char last[64];
		cJSON *obj = cJSON_Parse(cases[i].json);
		ck_assert_int_eq(model_decode_cronjob(obj, &cj, &arena, NULL, &err), 0);
		cJSON_Delete(obj);
		cronjob_last_schedule_cell(&cj, now, last, sizeof(last));
		ck_assert_str_eq(cronjob_timezone_cell(&cj), cases[i].tz);
		ck_assert_str_eq(cronjob_suspend_cell(&cj), cases[i].suspend);
		ck_assert_str_eq(last, cases[i].last);
		ck_assert_int_eq(cj.n_active, cases[i].active);
		model_arena_free(&arena);
	}
}
END_TEST

START_TEST(test_decode_job)
{
	cJSON *obj = fixture("job.json");
	struct model_arena arena = MODEL_ARENA_INIT;
	struct job j;
	struct perr err = {0};

	ck_assert_int_eq(model_decode_job(obj, &j, &arena, NULL, &err), 0);
	cJSON_Delete(obj);
	ck_assert_str_eq(j.w.name, "backoff");
	ck_assert_str_eq(j.w.namespace, "batch");
	ck_assert_int_eq(j.w.created, at("2026-01-02T03:04:00Z"));
	ck_assert_int_eq(j.w.generation, 2);
	ck_assert_str_eq(model_label(j.w.labels, j.w.n_labels, "app"), "etl");
	ck_assert_int_eq(j.w.n_match_labels, 1);
	ck_assert_int_eq(j.w.n_images, 1);
	ck_assert_str_eq(j.w.images[0], "etl:2.1");
	ck_assert_str_eq(j.w.init_images[0], "busybox:1.36");
	const struct owner_ref *o = model_controller_of(j.owners, j.n_owners);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->kind, "CronJob");
	ck_assert_str_eq(o->name, "nightly");
	ck_assert_int_eq(j.completions, 3);
	ck_assert_int_eq(j.parallelism, 2);
	ck_assert_int_eq(j.backoff_limit, 4);
	ck_assert_int_eq(j.has_backoff_limit, 1);
	ck_assert_int_eq(j.active_deadline_s, 600);
	ck_assert_int_eq(j.has_deadline, 1);
	ck_assert_int_eq(j.ttl_after_finished_s, 100);
	ck_assert_int_eq(j.completion_mode, JOB_MODE_INDEXED);
	ck_assert_int_eq(j.suspend, MODEL_FALSE);
	ck_assert_int_eq(j.start_time, at("2026-01-02T03:04:05Z"));
	ck_assert_int_eq(j.completion_time, 0);
	ck_assert_int_eq(j.active, 1);
	ck_assert_int_eq(j.ready, 1);
	ck_assert_int_eq(j.has_ready, 1);
	ck_assert_int_eq(j.terminating, 0);
	ck_assert_int_eq(j.has_terminating, 1);
	ck_assert_int_eq(j.succeeded, 1);
	ck_assert_int_eq(j.failed, 2);
	ck_assert_str_eq(j.completed_indexes, "0");
	ck_assert_int_eq(j.n_conditions, 1);
	ck_assert_str_eq(j.conditions[0].reason, "BackoffLimitExceeded");
	ck_assert_str_eq(j.conditions[0].message, "Job has reached the specified backoff limit");
	ck_assert_int_eq(j.conditions[0].status, MODEL_COND_FALSE);
	/* A False FailureTarget is no status of its own. */
	ck_assert_str_eq(job_status_cell(&j), "Running");
	ck_assert_int_eq(job_outcome(&j, NULL), JOB_RUNNING);
	/* 600 s from 03:04:05, seen at 03:10:00. */
	ck_assert_int_eq(job_deadline_left(&j, at("2026-01-02T03:10:00Z")), 245000);
	ck_assert_int_eq(job_deadline_left(&j, at("2026-01-02T04:00:00Z")), 0);
	model_arena_free(&arena);

	/* Mistyped fields keep their defaults. */
	decode_job("{\"spec\":{\"completions\":\"3\",\"suspend\":1,\"completionMode\":7},"
		   "\"status\":{\"conditions\":{},\"startTime\":5}}",
		   &j, &arena);
	ck_assert_int_eq(j.has_completions, 0);
	ck_assert_int_eq(j.suspend, MODEL_UNSET);
	ck_assert_int_eq(j.completion_mode, JOB_MODE_NONE);
	ck_assert_int_eq(j.n_conditions, 0);
	ck_assert_int_eq(j.start_time, 0);
	ck_assert_int_eq(job_deadline_left(&j, 0), -1);
	ck_assert_str_eq(j.w.name, "");
	model_arena_free(&arena);

	ck_assert_int_eq(model_decode_job(NULL, &j, &arena, NULL, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "cannot decode Job: not a JSON object");
	perr_clear(&err);
}
END_TEST

START_TEST(test_decode_cronjob)
{
	cJSON *obj = fixture("cronjob.json");
	struct model_arena arena = MODEL_ARENA_INIT;
	struct cronjob cj;
	struct perr err = {0};

	ck_assert_int_eq(model_decode_cronjob(obj, &cj, &arena, NULL, &err), 0);
	cJSON_Delete(obj);
	ck_assert_str_eq(cj.name, "nightly");
	ck_assert_str_eq(cj.namespace, "batch");
	ck_assert_str_eq(cj.schedule, "30 2 * * *");
	ck_assert_str_eq(cj.time_zone, "Etc/UTC");
	ck_assert_str_eq(cj.concurrency_policy, "Forbid");
	ck_assert_int_eq(cj.suspend, MODEL_TRUE);
	ck_assert_int_eq(cj.starting_deadline_s, 200);
	ck_assert_int_eq(cj.successful_history, 3);
	ck_assert_int_eq(cj.failed_history, 1);
	ck_assert_int_eq(cj.has_failed_history, 1);
	ck_assert_int_eq(cj.n_images, 1);
	ck_assert_str_eq(cj.images[0], "etl:2.1");
	ck_assert_int_eq(cj.n_active, 1);
	ck_assert_str_eq(cj.active[0].name, "nightly-29456789");
	ck_assert_str_eq(cj.active[0].namespace, "batch");
	ck_assert_int_eq(cj.last_schedule, at("2026-01-02T02:30:00Z"));
	ck_assert_int_eq(cj.last_successful, at("2026-01-01T02:31:10Z"));
	ck_assert_int_eq(cron_next_of(cj.schedule, cj.time_zone, cj.last_schedule),
			 at("2026-01-03T02:30:00Z"));
	model_arena_free(&arena);

	ck_assert_int_eq(model_decode_cronjob(NULL, &cj, &arena, NULL, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "cannot decode CronJob: not a JSON object");
	perr_clear(&err);
}
END_TEST

/* A number its Go type cannot hold refuses the whole object, in Go's words. */
START_TEST(test_decode_hostile_numbers)
{
	static const struct {
		const char *json;
		bool job;
		const char *err;
	} objs[] = {
	    {"{\"spec\":{\"completions\":2147483648}}", true,
	     "json: cannot unmarshal number 2147483648 into Go struct field JobSpec.completions "
	     "of type int32"},
	    {"{\"spec\":{\"parallelism\":1.5}}", true, "JobSpec.parallelism of type int32"},
	    {"{\"spec\":{\"backoffLimit\":-2147483649}}", true, "JobSpec.backoffLimit"},
	    {"{\"spec\":{\"activeDeadlineSeconds\":1e19}}", true,
	     "JobSpec.activeDeadlineSeconds of type int64"},
	    {"{\"spec\":{\"ttlSecondsAfterFinished\":1e10}}", true,
	     "JobSpec.ttlSecondsAfterFinished of type int32"},
	    {"{\"status\":{\"succeeded\":1e400}}", true,
	     "json: cannot unmarshal number beyond float64 into Go struct field "
	     "JobStatus.succeeded of type int32"},
	    {"{\"status\":{\"failed\":0.5}}", true, "JobStatus.failed"},
	    {"{\"status\":{\"active\":-3e9}}", true, "JobStatus.active"},
	    {"{\"status\":{\"ready\":2147483648}}", true, "JobStatus.ready"},
	    {"{\"status\":{\"terminating\":2147483648}}", true, "JobStatus.terminating"},
	    {"{\"metadata\":{\"generation\":1e19}}", true, "ObjectMeta.generation of type int64"},
	    {"{\"spec\":{\"startingDeadlineSeconds\":1e19}}", false,
	     "CronJobSpec.startingDeadlineSeconds of type int64"},
	    {"{\"spec\":{\"successfulJobsHistoryLimit\":2147483648}}", false,
	     "CronJobSpec.successfulJobsHistoryLimit of type int32"},
	    {"{\"spec\":{\"failedJobsHistoryLimit\":0.1}}", false,
	     "CronJobSpec.failedJobsHistoryLimit"},
	};
	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		struct model_arena arena = MODEL_ARENA_INIT;
		struct perr err = {0};
		struct job j;
		struct cronjob cj;
		cJSON *o = cJSON_Parse(objs[i].json);
		int rc = objs[i].job ? model_decode_job(o, &j, &arena, NULL, &err)
				     : model_decode_cronjob(o, &cj, &arena, NULL, &err);
		ck_assert_msg(rc == -1, "%s was taken", objs[i].json);
		ck_assert_msg(strstr(perr_msg(&err), objs[i].err) != NULL, "%s: %s", objs[i].json,
			      perr_msg(&err));
		perr_clear(&err);
		cJSON_Delete(o);
		model_arena_free(&arena);
	}
}
END_TEST

/*
 * backoff_utils_test.go, TestGetRemainingBackoffTime (v1.33): the delay
 * doubles per failure after the first, stops at the cap, and shrinks with
 * the time since the last failure.
 */
START_TEST(test_backoff_table)
{
	static const struct {
		const char *name;
		int32_t failures;
		int64_t since_ms, base_ms, max_ms, want_ms;
	} cases[] = {
	    {"no failures", 0, 0, 5000, 15000, 0},
	    {"one failure; now is the failure time", 1, 0, 5000, 15000, 5000},
	    {"one failure; now after the failure time", 1, 1000, 5000, 15000, 4000},
	    {"one failure; backoff expired", 1, 6000, 5000, 15000, 0},
	    {"three failures; max reached", 3, 0, 5000, 15000, 15000},
	    {"two failures; below max", 2, 1000, 5000, 15000, 9000},
	    {"many failures; the cap holds", 40, 0, 5000, 15000, 15000},
	    {"controller's defaults, 6 failures", 6, 0, JOB_BACKOFF_BASE_MS, JOB_BACKOFF_MAX_MS,
	     320000},
	    {"controller's defaults, 7 failures: 10 min, not 6", 7, 0, JOB_BACKOFF_BASE_MS,
	     JOB_BACKOFF_MAX_MS, 600000},
	    {"exactly expired", 1, 5000, 5000, 15000, 0},
	};
	int64_t t0 = at("2009-11-10T23:00:00Z");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t got = job_backoff_for(cases[i].failures, t0, t0 + cases[i].since_ms,
					      cases[i].base_ms, cases[i].max_ms);
		ck_assert_msg(got == cases[i].want_ms, "%s: %lld", cases[i].name, (long long)got);
	}
}
END_TEST

/* A finished pod: one container terminated at `fin` (0: still running). */
static void mkpod(struct pod *p, struct container_status *cs, const char *phase, int64_t fin)
{
	memset(p, 0, sizeof(*p));
	memset(cs, 0, sizeof(*cs));
	p->phase = phase;
	p->name = "";
	p->created = 1000;
	cs->name = "main";
	cs->state.kind = fin ? CSTATE_TERMINATED : CSTATE_RUNNING;
	cs->state.finished_at = fin;
	p->statuses = cs;
	p->n_statuses = 1;
}

/* newBackoffRecord over the Job's finished pods, then the wait left. */
START_TEST(test_backoff_from_pods)
{
	struct pod pods[5];
	struct container_status cs[5];
	const struct pod *ptr[5] = {&pods[0], &pods[1], &pods[2], &pods[3], &pods[4]};
	int64_t t = at("2026-01-01T00:00:00Z");
	int32_t n = -1;

	ck_assert_int_eq(job_backoff_left(ptr, 0, t, &n), 0);
	ck_assert_int_eq(n, 0);
	/* One failure 3 s ago: 7 s left. */
	mkpod(&pods[0], &cs[0], "Failed", t - 3000);
	ck_assert_int_eq(job_backoff_left(ptr, 1, t, &n), 7000);
	ck_assert_int_eq(n, 1);
	/* A second, newest one at t - 1 s (listed first or last alike): 20 - 1. */
	mkpod(&pods[1], &cs[1], "Failed", t - 1000);
	ck_assert_int_eq(job_backoff_left(ptr, 2, t, &n), 19000);
	ck_assert_int_eq(n, 2);
	const struct pod *rev[2] = {&pods[1], &pods[0]};
	ck_assert_int_eq(job_backoff_left(rev, 2, t, NULL), 19000);
	/* A success after both: no wait. */
	mkpod(&pods[2], &cs[2], "Succeeded", t - 500);
	ck_assert_int_eq(job_backoff_left(ptr, 3, t, &n), 0);
	ck_assert_int_eq(n, 0);
	/* A failure after the success counts alone. */
	mkpod(&pods[3], &cs[3], "Failed", t - 200);
	ck_assert_int_eq(job_backoff_left(ptr, 4, t, &n), 9800);
	ck_assert_int_eq(n, 1);
	/* A failure at the very time of the success does not count. */
	mkpod(&pods[3], &cs[3], "Failed", t - 500);
	ck_assert_int_eq(job_backoff_left(ptr, 4, t, &n), 0);
	/* Running pods count for nothing. */
	mkpod(&pods[4], &cs[4], "Running", 0);
	ck_assert_int_eq(job_backoff_left(ptr + 4, 1, t, &n), 0);
	ck_assert_int_eq(n, 0);
}
END_TEST

/* getFinishedTime's fallbacks. */
START_TEST(test_pod_finished_time)
{
	struct pod p;
	struct container_status cs[2];
	struct container_spec spec = {.name = "sidecar", .restartable = 1};
	struct pod_condition ready = {
	    .type = "Ready", .last_transition = 7000, .status = MODEL_COND_FALSE};

	mkpod(&p, &cs[0], "Failed", 5000);
	ck_assert_int_eq(job_pod_finished_time(&p), 5000);
	const char *reason = NULL;
	cs[0].state.exit_code = 3;
	cs[0].state.reason = "Error";
	ck_assert_int_eq(job_pod_exit_code(&p, &reason), 3);
	ck_assert_str_eq(reason, "Error");
	p.reason = "DeadlineExceeded";
	cs[0].state.kind = CSTATE_RUNNING;
	ck_assert_int_eq(job_pod_exit_code(&p, &reason), -1);
	ck_assert_str_eq(reason, "DeadlineExceeded");
	cs[0].state.kind = CSTATE_TERMINATED;
	/* A sidecar that stopped later decides. */
	memset(&cs[1], 0, sizeof(cs[1]));
	cs[1].name = "sidecar";
	cs[1].state.kind = CSTATE_TERMINATED;
	cs[1].state.finished_at = 6000;
	p.init_statuses = &cs[1];
	p.n_init_statuses = 1;
	p.init_specs = &spec;
	p.n_init_specs = 1;
	ck_assert_int_eq(job_pod_finished_time(&p), 6000);
	/* A plain init container does not. */
	spec.restartable = 0;
	ck_assert_int_eq(job_pod_finished_time(&p), 5000);
	/* A container not terminated: the Ready=False transition. */
	cs[0].state.kind = CSTATE_RUNNING;
	p.conditions = &ready;
	p.n_conditions = 1;
	ck_assert_int_eq(job_pod_finished_time(&p), 7000);
	/* Then the deletion less its grace period, then the creation. */
	p.n_conditions = 0;
	p.deleted = 60000;
	p.grace_period_s = 30;
	ck_assert_int_eq(job_pod_finished_time(&p), 30000);
	p.grace_period_s = -1;
	ck_assert_int_eq(job_pod_finished_time(&p), 60000);
	p.deleted = 0;
	ck_assert_int_eq(job_pod_finished_time(&p), 1000);
	p.n_statuses = 0;
	ck_assert_int_eq(job_pod_finished_time(&p), 1000);
}
END_TEST

/* Wait: kubectl wait --for=condition=complete / failed. */
START_TEST(test_outcome)
{
	struct model_arena arena = MODEL_ARENA_INIT;
	struct job j;
	const struct job_condition *c = NULL;

	decode_job("{\"status\":{\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\","
		   "\"reason\":\"DeadlineExceeded\",\"message\":\"Job was active longer than "
		   "specified deadline\"}]}}",
		   &j, &arena);
	ck_assert_int_eq(job_outcome(&j, &c), JOB_FAILED);
	ck_assert_str_eq(c->reason, "DeadlineExceeded");
	ck_assert_str_eq(c->message, "Job was active longer than specified deadline");
	model_arena_free(&arena);
	decode_job("{\"status\":{\"conditions\":[{\"type\":\"SuccessCriteriaMet\",\"status\":"
		   "\"True\"},{\"type\":\"Complete\",\"status\":\"True\",\"reason\":"
		   "\"CompletionsReached\"}]}}",
		   &j, &arena);
	ck_assert_int_eq(job_outcome(&j, &c), JOB_COMPLETE);
	ck_assert_str_eq(c->reason, "CompletionsReached");
	model_arena_free(&arena);
	decode_job("{}", &j, &arena);
	ck_assert_int_eq(job_outcome(&j, &c), JOB_RUNNING);
	ck_assert_ptr_null(c);
	model_arena_free(&arena);
}
END_TEST

/*
 * robfig/cron v3 spec_test.go TestNext, as five-field schedules (the
 * seconds field gone), then parse_test.go's errors.
 */
START_TEST(test_cron_next)
{
	static const struct {
		const char *after, *spec, *want; /* want NULL: never */
	} cases[] = {
	    {"2012-07-09T14:45:00Z", "0/15 * * * *", "2012-07-09T15:00:00Z"},
	    {"2012-07-09T14:59:00Z", "0/15 * * * *", "2012-07-09T15:00:00Z"},
	    {"2012-07-09T14:59:59Z", "0/15 * * * *", "2012-07-09T15:00:00Z"},
	    {"2012-07-09T15:45:00Z", "20-35/15 * * * *", "2012-07-09T16:20:00Z"},
	    {"2012-07-09T23:46:00Z", "*/15 * * * *", "2012-07-10T00:00:00Z"},
	    {"2012-07-09T23:45:00Z", "20-35/15 * * * *", "2012-07-10T00:20:00Z"},
	    {"2012-07-09T23:35:51Z", "20-35/15 1/2 * * *", "2012-07-10T01:20:00Z"},
	    {"2012-07-09T23:35:51Z", "20-35/15 10-12 * * *", "2012-07-10T10:20:00Z"},
	    {"2012-07-09T23:35:51Z", "20-35/15 1/2 */2 * *", "2012-07-11T01:20:00Z"},
	    {"2012-07-09T23:35:51Z", "20-35/15 * 9-20 * *", "2012-07-10T00:20:00Z"},
	    {"2012-07-09T23:35:51Z", "20-35/15 * 9-20 Jul *", "2012-07-10T00:20:00Z"},
	    {"2012-07-09T23:35:00Z", "0 0 9 Apr-Oct ?", "2012-08-09T00:00:00Z"},
	    {"2012-07-09T23:35:00Z", "0 0 */5 Apr,Aug,Oct Mon", "2012-08-01T00:00:00Z"},
	    {"2012-07-09T23:35:00Z", "0 0 */5 Oct Mon", "2012-10-01T00:00:00Z"},
	    {"2012-07-09T23:35:00Z", "0 0 1 Jan ?", "2013-01-01T00:00:00Z"},
	    {"2012-07-09T23:35:00Z", "0 0 1 Jan *", "2013-01-01T00:00:00Z"},
	    {"2012-07-09T23:35:00Z", "0 0 * * 1,3", "2012-07-11T00:00:00Z"},
	    {"2012-07-09T23:35:00Z", "0 0 * * MON,wed", "2012-07-11T00:00:00Z"},
	    {"2012-07-09T23:35:00Z", "0 0 29 Feb ?", "2016-02-29T00:00:00Z"},
	    {"2012-07-09T23:35:00Z", "0 0 30 Feb ?", NULL},
	    {"2012-07-09T23:35:00Z", "0 0 31 Apr ?", NULL},
	    {"2012-07-09T23:35:00Z", "@yearly", "2013-01-01T00:00:00Z"},
	    {"2012-07-09T23:35:00Z", "@weekly", "2012-07-15T00:00:00Z"},
	    {"2012-07-09T23:35:00Z", "@daily", "2012-07-10T00:00:00Z"},
	    {"2012-07-09T23:35:00Z", "@hourly", "2012-07-10T00:00:00Z"},
	    {"2012-07-09T23:35:00Z", "@monthly", "2012-08-01T00:00:00Z"},
	    {"2012-07-09T23:35:00Z", "@every 1h30m", "2012-07-10T01:05:00Z"},
	    {"2012-07-09T23:35:00.5Z", "@every 10s", "2012-07-09T23:35:10Z"},
	    {"2012-07-09T23:35:00Z", "TZ=UTC 5 * * * *", "2012-07-10T00:05:00Z"},
	    {"2012-07-09T23:35:00Z", "CRON_TZ=Etc/UTC 5 * * * *", "2012-07-10T00:05:00Z"},
	    /* the exact minute is past: the next one */
	    {"2012-07-10T00:05:00Z", "5 * * * *", "2012-07-10T01:05:00Z"},
	    {"1969-12-31T23:59:30Z", "* * * * *", "1970-01-01T00:00:00Z"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cron_sched s;
		struct perr err = {0};
		ck_assert_msg(cron_parse(cases[i].spec, &s, &err) == 0, "%s: %s", cases[i].spec,
			      perr_msg(&err));
		int64_t got = cron_next(&s, at(cases[i].after));
		int64_t want = cases[i].want ? at(cases[i].want) : 0;
		char buf[64];
		duration_format_rfc3339(got, 0, buf, sizeof(buf));
		ck_assert_msg(got == want, "%s after %s: %s", cases[i].spec, cases[i].after, buf);
	}
}
END_TEST

START_TEST(test_cron_errors)
{
	static const struct {
		const char *spec, *err;
	} cases[] = {
	    {"", "empty spec string"},
	    {"* * * *", "expected exactly 5 fields, found 4: [* * * *]"},
	    {"* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"},
	    {"60 * * * *", "end of range (60) above maximum (59): 60"},
	    {"* 24 * * *", "end of range (24) above maximum (23): 24"},
	    {"* * 0 * *", "beginning of range (0) below minimum (1): 0"},
	    {"* * * 13 *", "end of range (13) above maximum (12): 13"},
	    {"* * * * 7", "end of range (7) above maximum (6): 7"},
	    {"5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"},
	    {"1-2-3 * * * *", "too many hyphens: 1-2-3"},
	    {"*/2/3 * * * *", "too many slashes: */2/3"},
	    {"*/0 * * * *", "step of range should be a positive number: */0"},
	    {"a * * * *",
	     "failed to parse int from a: strconv.Atoi: parsing \"a\": invalid syntax"},
	    {"-1 * * * *", "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax"},
	    {"1,,2 * * * *",
	     "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax"},
	    {"* * * foo *",
	     "failed to parse int from foo: strconv.Atoi: parsing \"foo\": invalid syntax"},
	    {"@fortnightly", "unrecognized descriptor: @fortnightly"},
	    {"@every x", "failed to parse duration @every x"},
	    {"TZ=Asia/Tokyo 0 * * * *", "time zone Asia/Tokyo: podscope knows UTC only"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cron_sched s;
		struct perr err = {0};
		ck_assert_msg(cron_parse(cases[i].spec, &s, &err) == -1, "%s was taken",
			      cases[i].spec);
		ck_assert_msg(strstr(perr_msg(&err), cases[i].err) != NULL, "%s: %s", cases[i].spec,
			      perr_msg(&err));
		perr_clear(&err);
	}
	/* Hostile: a field longer than any schedule, a huge spec. */
	char big[4096];
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(cron_next_of(big, NULL, 0), 0);
	ck_assert_int_eq(cron_next_of("0 0 * * *", "Asia/Tokyo", 0), 0);
	ck_assert_int_eq(cron_next_of("0 0 * * *", "UTC", 0), 86400000);
}
END_TEST

static Suite *job_suite(void)
{
	Suite *s = suite_create("job");
	TCase *tc = tcase_create("job");
	tcase_add_test(tc, test_print_job);
	tcase_add_test(tc, test_print_cronjob);
	tcase_add_test(tc, test_decode_job);
	tcase_add_test(tc, test_decode_cronjob);
	tcase_add_test(tc, test_decode_hostile_numbers);
	tcase_add_test(tc, test_backoff_table);
	tcase_add_test(tc, test_backoff_from_pods);
	tcase_add_test(tc, test_pod_finished_time);
	tcase_add_test(tc, test_outcome);
	tcase_add_test(tc, test_cron_next);
	tcase_add_test(tc, test_cron_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(job_suite());
}
