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
#include "cronsched.h"
#include "ctrl_cronjob.h"
#include "ctrl_job_int.h"
#include "objdefaults.h"
#include "printer.h"
#include "simcluster.h"
#include "store.h"
#include "testutil.h"

/*
 * The CronJob controller: the schedule parser and Next against robfig/cron's
 * tables (parser_test.go, spec_test.go), mostRecentScheduleTime against
 * utils_test.go's, printCronJob, then CronJobs in an in-process store on the
 * simulated clock after cronjob_controllerv2_test.go's cases.
 */

/* "2026-12-07T10:02:30Z" in ms. */
static int64_t at(const char *ts)
{
	int64_t t = simprint_time_ms(ts);
	ck_assert_msg(t != 0, "bad time %s", ts);
	return t;
}

static const char *fmt(int64_t t, const char *tz)
{
	static char buf[40];
	if (!t)
		return "never";
	simcron_format(t, tz, buf, sizeof(buf));
	return buf;
}

START_TEST(test_parse_errors)
{
	static const struct {
		const char *spec;
		const char *err; /* NULL: valid */
	} rows[] = {
	    {"* * * * *", NULL},
	    {"*/5 1-3,7 ? jan-mar MON-FRI", NULL},
	    {"@hourly", NULL},
	    {"@every 1h30m", NULL},
	    {"", "empty spec string"},
	    {"* * * *", "expected exactly 5 fields, found 4: [* * * *]"},
	    {"* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"},
	    {"60 * * * *", "end of range (60) above maximum (59): 60"},
	    {"* 24 * * *", "end of range (24) above maximum (23): 24"},
	    {"* * 0 * *", "beginning of range (0) below minimum (1): 0"},
	    {"* * * 13 *", "end of range (13) above maximum (12): 13"},
	    {"* * * * 7", "end of range (7) above maximum (6): 7"},
	    {"5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"},
	    {"*/0 * * * *", "step of range should be a positive number: */0"},
	    {"1-2-3 * * * *", "too many hyphens: 1-2-3"},
	    {"*/2/3 * * * *", "too many slashes: */2/3"},
	    {"x * * * *",
	     "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"},
	    {"@fortnightly", "unrecognized descriptor: @fortnightly"},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char err[256] = "";
		struct simcron *c = simcron_parse(rows[i].spec, err, sizeof(err));
		if (rows[i].err) {
			ck_assert_msg(c == NULL, "%s parsed", rows[i].spec);
			ck_assert_str_eq(err, rows[i].err);
		} else {
			ck_assert_msg(c != NULL, "%s: %s", rows[i].spec, err);
		}
		simcron_free(c);
	}
}
END_TEST

START_TEST(test_next)
{
	/* TestNext (spec_test.go) for the five-field forms. */
	static const struct {
		const char *from, *spec, *tz, *want; /* want NULL: never */
	} rows[] = {
	    {"2026-12-07T10:02:30Z", "*/5 * * * *", NULL, "2026-12-07T10:05:00Z"},
	    {"2026-12-07T10:05:00Z", "*/5 * * * *", NULL, "2026-12-07T10:10:00Z"},
	    {"2026-12-07T10:59:59Z", "* * * * *", NULL, "2026-12-07T11:00:00Z"},
	    {"2026-12-07T10:00:00Z", "@hourly", NULL, "2026-12-07T11:00:00Z"},
	    {"2026-12-07T10:00:00Z", "@daily", NULL, "2026-12-08T00:00:00Z"},
	    {"2026-12-07T10:00:00Z", "@weekly", NULL, "2026-12-13T00:00:00Z"},
	    {"2026-12-07T10:00:00Z", "@monthly", NULL, "2027-01-01T00:00:00Z"},
	    {"2026-12-07T10:00:00Z", "@yearly", NULL, "2027-01-01T00:00:00Z"},
	    {"2026-12-07T10:00:00Z", "@every 90s", NULL, "2026-12-07T10:01:30Z"},
	    /* Both day fields restricted: either matches (the 13th or a Friday). */
	    {"2026-12-07T10:00:00Z", "0 0 13 * 5", NULL, "2026-12-11T00:00:00Z"},
	    {"2026-12-11T10:00:00Z", "0 0 13 * 5", NULL, "2026-12-13T00:00:00Z"},
	    /* One of them *: both must. */
	    {"2026-12-07T10:00:00Z", "0 0 * * 5", NULL, "2026-12-11T00:00:00Z"},
	    {"2026-12-07T10:00:00Z", "30 6-16/4 * * 1-5", NULL, "2026-12-07T10:30:00Z"},
	    {"2026-12-07T16:31:00Z", "30 6-16/4 * * 1-5", NULL, "2026-12-08T06:30:00Z"},
	    {"2026-12-11T16:31:00Z", "30 6-16/4 * * 1-5", NULL, "2026-12-14T06:30:00Z"},
	    {"2026-12-07T10:00:00Z", "0 0 29 2 *", NULL, "2028-02-29T00:00:00Z"},
	    {"2026-12-07T10:00:00Z", "59 23 31 2 *", NULL, NULL},
	    {"2026-12-07T10:00:00Z", "0 JAN-FEB/1 1 * *", NULL, NULL},
	    /* In a zone: 09:00 in Paris is 08:00 UTC in winter, 07:00 in summer. */
	    {"2026-12-07T10:00:00Z", "0 9 * * *", "Europe/Paris", "2026-12-08T09:00:00+01:00"},
	    {"2026-06-07T10:00:00Z", "0 9 * * *", "Europe/Paris", "2026-06-08T09:00:00+02:00"},
	    {"2026-12-07T10:00:00Z", "0 9 * * *", "UTC", "2026-12-08T09:00:00Z"},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char err[256];
		struct simcron *c = simcron_parse(rows[i].spec, err, sizeof(err));
		if (!c) {
			/* "0 JAN-FEB/1 1 * *": an hour field of names is an error. */
			ck_assert_msg(rows[i].want == NULL, "%s: %s", rows[i].spec, err);
			continue;
		}
		int64_t next = simcron_next(c, rows[i].tz, at(rows[i].from));
		ck_assert_msg(
		    strcmp(fmt(next, rows[i].tz), rows[i].want ? rows[i].want : "never") == 0,
		    "%s from %s: %s", rows[i].spec, rows[i].from, fmt(next, rows[i].tz));
		simcron_free(c);
	}
	ck_assert(simcron_zone_valid("Europe/Paris"));
	ck_assert(simcron_zone_valid("UTC"));
	ck_assert(!simcron_zone_valid("Local"));
	ck_assert(!simcron_zone_valid("Mars/Olympus"));
	ck_assert(!simcron_zone_valid("../etc/passwd"));
	ck_assert(!simcron_zone_valid(""));
}
END_TEST

START_TEST(test_most_recent)
{
	/* TestMostRecentScheduleTime (utils_test.go). */
	static const struct {
		const char *name, *spec, *created, *last, *now;
		int64_t deadline_s;
		const char *want; /* NULL: none; "error": the impossible schedule */
		int missed;
	} rows[] = {
	    {"now before next schedule", "0 * * * *", "2026-12-07T10:00:00Z", NULL,
	     "2026-12-07T10:30:00Z", -1, NULL, 0},
	    {"now just after next schedule", "0 * * * *", "2026-12-07T10:00:00Z", NULL,
	     "2026-12-07T11:00:05Z", -1, "2026-12-07T11:00:00Z", 0},
	    {"missed 5 schedules", "0 * * * *", "2026-12-07T10:00:00Z", NULL,
	     "2026-12-07T15:10:00Z", -1, "2026-12-07T15:00:00Z", 1},
	    {"from the last schedule time", "0 * * * *", "2026-12-07T01:00:00Z",
	     "2026-12-07T14:00:00Z", "2026-12-07T15:10:00Z", -1, "2026-12-07T15:00:00Z", 0},
	    {"complex schedule", "30 6-16/4 * * 1-5", "2026-12-07T00:00:00Z", NULL,
	     "2026-12-08T07:00:00Z", -1, "2026-12-08T06:30:00Z", 1},
	    {"with a starting deadline", "*/1 * * * *", "2026-12-07T00:00:00Z", NULL,
	     "2026-12-07T12:00:30Z", 200, "2026-12-07T12:00:00Z", 1},
	    {"too many missed", "*/1 * * * *", "2026-12-07T00:00:00Z", NULL, "2026-12-07T12:00:30Z",
	     -1, "2026-12-07T12:00:00Z", 2},
	    {"rogue cronjob", "59 23 31 2 *", "2026-12-07T00:00:00Z", NULL, "2027-12-07T00:00:00Z",
	     -1, NULL, 0},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char err[256];
		struct simcron *c = simcron_parse(rows[i].spec, err, sizeof(err));
		ck_assert_msg(c != NULL, "%s: %s", rows[i].spec, err);
		int64_t earliest;
		int missed;
		int64_t r = simcronjob_most_recent(
		    c, NULL, at(rows[i].created), rows[i].last ? at(rows[i].last) : 0,
		    rows[i].deadline_s, at(rows[i].now), &earliest, &missed);
		if (rows[i].want)
			ck_assert_msg(r == at(rows[i].want), "%s: %s", rows[i].name, fmt(r, NULL));
		else
			ck_assert_msg(r == 0, "%s: %lld", rows[i].name, (long long)r);
		if (rows[i].want)
			ck_assert_msg(missed == rows[i].missed, "%s: missed %d", rows[i].name,
				      missed);
		simcron_free(c);
	}
}
END_TEST

START_TEST(test_printer_cells)
{
	cJSON *cj = cJSON_Parse(
	    "{\"metadata\":{\"name\":\"c\",\"creationTimestamp\":\"1970-01-01T00:00:01Z\"},"
	    "\"spec\":{\"schedule\":\"*/5 * * * *\",\"timeZone\":\"Europe/Paris\",\"suspend\":true,"
	    "\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\","
	    "\"image\":\"busybox\"}]}}}}},\"status\":{\"active\":[{\"name\":\"c-1\"}],"
	    "\"lastScheduleTime\":\"1970-01-01T00:01:00Z\"}}");
	struct buf b = BUF_INIT;
	simprint_cronjob_cells(&b, cj, 100000);
	ck_assert_str_eq(b.data,
			 ",\"*/5 * * * *\",\"Europe/Paris\",\"True\",1,\"40s\",\"99s\",\"a\","
			 "\"busybox\",\"<none>\"");
	buf_free(&b);
	cJSON_Delete(cj);
	cj = cJSON_Parse("{\"metadata\":{\"name\":\"c\"},\"spec\":{\"schedule\":\"@daily\"}}");
	b = (struct buf)BUF_INIT;
	simprint_cronjob_cells(&b, cj, 0);
	ck_assert_str_eq(b.data, ",\"@daily\",\"<none>\",\"<unset>\",0,\"<none>\",\"<unknown>\","
				 "\"\",\"\",\"<none>\"");
	buf_free(&b);
	cJSON_Delete(cj);
}
END_TEST

/* --- CronJobs on the simulated clock ------------------------------------------------ */

static struct tc_cluster *C;
static const struct simres *JOBS, *CJS;

static void setup(void)
{
	C = tc_up();
	JOBS = simres_find("batch", "v1", "jobs");
	CJS = simres_find("batch", "v1", "cronjobs");
	ck_assert_int_eq(simcronjob_start(&C->sim), 0);
}

static void teardown(void)
{
	simcronjob_stop(&C->sim);
	tc_down();
}

static void create_cj(const char *extra)
{
	char buf[2048];
	snprintf(buf, sizeof(buf),
		 "{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\","
		 "\"metadata\":{\"name\":\"cj\",\"namespace\":\"default\"},"
		 "\"spec\":{\"schedule\":\"*/1 * * * *\",\"jobTemplate\":{\"spec\":{\"template\":"
		 "{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"main\","
		 "\"image\":\"busybox\"}]}}}}%s%s}}",
		 extra ? "," : "", extra ? extra : "");
	cJSON *o = cJSON_Parse(buf);
	ck_assert_ptr_nonnull(o);
	cJSON *err = simprep_create(&C->sim, CJS, o);
	ck_assert_ptr_null(err);
	objdefaults_apply("CronJob", o);
	ck_assert_ptr_null(objvalidate("CronJob", "batch", o));
	ck_assert_int_eq(simstore_create(C->sim.store, CJS, o, NULL), SIMSTORE_OK);
}

static const cJSON *cj_status(void)
{
	struct simobj *o = simstore_get(C->sim.store, CJS, "default", "cj");
	return o ? cJSON_GetObjectItem(o->json, "status") : NULL;
}

static size_t njobs(void)
{
	return simstore_count(C->sim.store, JOBS);
}

static bool has_jobs(void *ud)
{
	return njobs() >= *(size_t *)ud;
}

/* The next whole simulated minute and a second, when a "* * * * *"
 * CronJob has made its Job. */
static void next_minute(void)
{
	int64_t now = simclock_now(&C->sim.clock);
	tc_run_for(60000 - now % 60000 + 1000);
}

static bool job_of_minute(void *ud)
{
	char name[64];
	snprintf(name, sizeof(name), "cj-%lld", (long long)*(int64_t *)ud);
	return simstore_get(C->sim.store, JOBS, "default", name) != NULL;
}

/* Until the next whole simulated minute's Job of a "* * * * *" CronJob is
 * there (however late a loaded machine runs the controller). */
static void next_minute_job(void)
{
	int64_t minute = simclock_now(&C->sim.clock) / 60000 + 1;
	ck_assert_msg(tc_run_until(job_of_minute, &minute, 20000), "no Job of minute %lld",
		      (long long)minute);
}

/* No finished Job is in the CronJob's active list any more. */
static bool active_unfinished(void *ud)
{
	(void)ud;
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItem(cj_status(), "active"))
	{
		struct simobj *j = simstore_get(C->sim.store, JOBS, "default",
						simjson_string(a, "name"));
		if (!j || simjob_finished_condition(j->json))
			return false;
	}
	return true;
}

/* successfulJobsHistoryLimit 1 and failedJobsHistoryLimit 1 applied. */
static bool one_of_each(void *ud)
{
	(void)ud;
	size_t complete = 0, failed = 0;
	struct simsnap *s = simstore_snapshot(C->sim.store, JOBS);
	for (size_t i = 0; i < s->n; i++) {
		const char *t =
		    simjson_string(simjob_finished_condition(s->items[i]->json), "type");
		complete += t && !strcmp(t, "Complete");
		failed += t && !strcmp(t, "Failed");
	}
	simsnap_unref(s);
	return complete == 1 && failed == 1;
}

/* The Job the controller makes mark finished, as the Job controller would. */
static void finish_jobs(const char *type)
{
	struct simsnap *s = simstore_snapshot(C->sim.store, JOBS);
	for (size_t i = 0; i < s->n; i++) {
		if (simjob_finished_condition(s->items[i]->json))
			continue;
		cJSON *j = simobj_copy(s->items[i]);
		char ts[40];
		simclock_format(simclock_now(&C->sim.clock), ts, sizeof(ts));
		cJSON *st = simjson_object(j, "status");
		simjson_set_string(st, "startTime", ts);
		if (strcmp(type, "Complete") == 0)
			simjson_set_string(st, "completionTime", ts);
		char c[256];
		snprintf(c, sizeof(c), "[{\"type\":\"%s\",\"status\":\"True\"}]", type);
		cJSON_DeleteItemFromObject(st, "conditions");
		cJSON_AddItemToObject(st, "conditions", cJSON_Parse(c));
		ck_assert_int_eq(simstore_update(C->sim.store, JOBS, j, 0, NULL), SIMSTORE_OK);
	}
	simsnap_unref(s);
}

START_TEST(test_allow)
{
	/* Allow: one Job per minute, named NAME-MINUTES, in the active list. */
	create_cj(NULL);
	size_t two = 2;
	ck_assert(tc_run_until(has_jobs, &two, 20000));
	/* Nothing finishes them here: every one of them is active. */
	const cJSON *st = cj_status();
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(st, "active")), (int)njobs());
	int64_t last = simprint_time_ms(simjson_string(st, "lastScheduleTime"));
	ck_assert_int_eq(last % 60000, 0);
	char name[64];
	snprintf(name, sizeof(name), "cj-%lld", (long long)(last / 60000));
	struct simobj *j = simstore_get(C->sim.store, JOBS, "default", name);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(simjson_string(tc_jpath(j->json, "metadata", "annotations"),
					"batch.kubernetes.io/cronjob-scheduled-timestamp"),
			 simjson_string(st, "lastScheduleTime"));
	const cJSON *ref = cJSON_GetArrayItem(tc_jpath(j->json, "metadata", "ownerReferences"), 0);
	ck_assert_str_eq(simjson_string(ref, "kind"), "CronJob");
	/* The generated selector, as for any Job the API stores. */
	const cJSON *ml = cJSON_GetObjectItem(tc_jpath(j->json, "spec", "selector"), "matchLabels");
	ck_assert_str_eq(simjson_string(ml, "batch.kubernetes.io/controller-uid"),
			 simjson_string(cJSON_GetObjectItem(j->json, "metadata"), "uid"));
	ck_assert(tc_has_event_prefix("SuccessfulCreate", "Created job cj-"));
	/* Finished Jobs leave the active list; lastSuccessfulTime follows. */
	finish_jobs("Complete");
	ck_assert(tc_run_until(active_unfinished, NULL, 20000));
	st = cj_status();
	ck_assert_ptr_nonnull(simjson_string(st, "lastSuccessfulTime"));
	ck_assert(tc_has_event_prefix("SawCompletedJob", "Saw completed job: cj-"));
}
END_TEST

START_TEST(test_forbid)
{
	create_cj("\"concurrencyPolicy\":\"Forbid\"");
	next_minute();
	next_minute();
	next_minute();
	ck_assert_uint_eq(njobs(), 1);
	ck_assert(tc_has_event("JobAlreadyActive", "Not starting job because prior execution is "
						   "running and concurrency policy is Forbid"));
	finish_jobs("Complete");
	size_t two = 2;
	ck_assert(tc_run_until(has_jobs, &two, 20000));
}
END_TEST

/* The CronJob's lastScheduleTime is at least the minute *ud (ms). */
static bool scheduled_since(void *ud)
{
	const char *t = simjson_string(cj_status(), "lastScheduleTime");
	return t && simprint_time_ms(t) >= *(int64_t *)ud;
}

START_TEST(test_replace)
{
	create_cj("\"concurrencyPolicy\":\"Replace\"");
	next_minute();
	size_t one = 1;
	ck_assert(tc_run_until(has_jobs, &one, 20000));
	ck_assert_uint_eq(njobs(), 1);
	int64_t first = simprint_time_ms(simjson_string(cj_status(), "lastScheduleTime"));
	next_minute();
	/* A loaded machine may run the second minute's sync late. */
	int64_t second = first + 60000;
	ck_assert(tc_run_until(scheduled_since, &second, 20000));
	/* The first deleted (Background), the second active alone. */
	const cJSON *active = cJSON_GetObjectItem(cj_status(), "active");
	ck_assert_int_eq(cJSON_GetArraySize(active), 1);
	int64_t last = simprint_time_ms(simjson_string(cj_status(), "lastScheduleTime"));
	char name[64];
	snprintf(name, sizeof(name), "cj-%lld", (long long)(last / 60000));
	ck_assert_str_eq(simjson_string(cJSON_GetArrayItem(active, 0), "name"), name);
	ck_assert(tc_has_event_prefix("SuccessfulDelete", "Deleted job cj-"));
	ck_assert_uint_eq(njobs(), 1);
}
END_TEST

START_TEST(test_suspend)
{
	create_cj("\"suspend\":true");
	next_minute();
	next_minute();
	ck_assert_uint_eq(njobs(), 0);
	ck_assert_ptr_null(simjson_string(cj_status(), "lastScheduleTime"));
}
END_TEST

START_TEST(test_history_limits)
{
	/* successfulJobsHistoryLimit 1, failedJobsHistoryLimit 1: the oldest go. */
	create_cj("\"successfulJobsHistoryLimit\":1,\"failedJobsHistoryLimit\":1");
	for (int i = 0; i < 3; i++) {
		next_minute_job();
		finish_jobs(i < 2 ? "Complete" : "Failed");
	}
	next_minute_job();
	finish_jobs("Failed");
	ck_assert(tc_run_until(one_of_each, NULL, 20000));
}
END_TEST

START_TEST(test_starting_deadline)
{
	/* A schedule missed by more than startingDeadlineSeconds is not run:
	 * the deadline moves the earliest time considered past it. */
	create_cj("\"startingDeadlineSeconds\":10,\"suspend\":true");
	next_minute();
	tc_run_for(30000);
	int64_t resumed = simclock_now(&C->sim.clock);
	cJSON *j = simobj_copy(simstore_get(C->sim.store, CJS, "default", "cj"));
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(j, "spec"), "suspend", cJSON_CreateFalse());
	ck_assert_int_eq(simstore_update(C->sim.store, CJS, j, 0, NULL), SIMSTORE_OK);
	size_t one = 1;
	ck_assert(tc_run_until(has_jobs, &one, 20000));
	struct simsnap *s = simstore_snapshot(C->sim.store, JOBS);
	for (size_t i = 0; i < s->n; i++) {
		const char *ts =
		    simjson_string(tc_jpath(s->items[i]->json, "metadata", "annotations"),
				   "batch.kubernetes.io/cronjob-scheduled-timestamp");
		ck_assert_msg(simprint_time_ms(ts) > resumed, "ran the missed %s", ts);
	}
	simsnap_unref(s);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_cronjob");
	TCase *u = tcase_create("schedules");
	tcase_add_test(u, test_parse_errors);
	tcase_add_test(u, test_next);
	tcase_add_test(u, test_most_recent);
	tcase_add_test(u, test_printer_cells);
	suite_add_tcase(s, u);
	TCase *r = tcase_create("cronjobs");
	tcase_add_checked_fixture(r, setup, teardown);
	tcase_set_timeout(r, 60);
	tcase_add_test(r, test_allow);
	tcase_add_test(r, test_forbid);
	tcase_add_test(r, test_replace);
	tcase_add_test(r, test_suspend);
	tcase_add_test(r, test_history_limits);
	tcase_add_test(r, test_starting_deadline);
	suite_add_tcase(s, r);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
