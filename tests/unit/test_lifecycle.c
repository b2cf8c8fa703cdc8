#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/duration.h"
#include "podscope/lifecycle.h"

#include "testutil.h"

/* Lifecycle stages and timelines: the fixture pods of tests/fixtures/pods
 * (their "stage" expectation) and hand-written pods with events. */

static int64_t ts(const char *s)
{
	int64_t t = 0;
	ck_assert_msg(duration_parse_rfc3339(s, &t, NULL) == 0, "bad time %s", s);
	return t;
}

/* A decoded pod and its events, all in one arena. */
struct tpod {
	struct model_arena arena;
	struct pod pod;
	struct event ev[16];
	const struct event *evp[16];
	size_t n_ev;
};

static void tpod_load(struct tpod *t, const char *pod_json, const char *events_json)
{
	memset(t, 0, sizeof(*t));
	cJSON *p = cJSON_Parse(pod_json);
	ck_assert_msg(p != NULL, "pod JSON does not parse");
	struct perr err = {0};
	ck_assert_int_eq(model_decode_pod(p, &t->pod, &t->arena, NULL, &err), 0);
	cJSON_Delete(p);
	if (!events_json)
		return;
	cJSON *ev = cJSON_Parse(events_json), *e;
	ck_assert_msg(cJSON_IsArray(ev), "events JSON is no array");
	cJSON_ArrayForEach(e, ev)
	{
		ck_assert_uint_lt(t->n_ev, 16);
		ck_assert_int_eq(model_decode_event(e, &t->ev[t->n_ev], &t->arena, NULL, &err), 0);
		t->evp[t->n_ev] = &t->ev[t->n_ev];
		t->n_ev++;
	}
	cJSON_Delete(ev);
}

static void tpod_stage(struct tpod *t, int64_t now, struct lc_pod *out)
{
	lifecycle_pod(&t->pod, t->evp, t->n_ev, now, out);
}

static void tpod_free(struct tpod *t)
{
	model_arena_free(&t->arena);
}

/* ---- fixtures ---- */

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int check_fixture(const char *dir, const char *name)
{
	char path[8448];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *text = test_slurp(path);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	cJSON *doc = cJSON_Parse(text);
	ck_assert_msg(doc != NULL, "%s: not JSON", name);
	const cJSON *expect = cJSON_GetObjectItemCaseSensitive(doc, "expect");
	const char *want = jstr(expect, "stage");
	if (!want) {
		cJSON_Delete(doc);
		free(text);
		return 0;
	}
	int64_t now = ts(jstr(doc, "now") ? jstr(doc, "now") : "2024-05-01T12:34:56Z");
	char *pod = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(doc, "pod"));
	const cJSON *evs = cJSON_GetObjectItemCaseSensitive(doc, "events");
	char *ev = evs ? cJSON_PrintUnformatted(evs) : NULL;
	struct tpod t;
	tpod_load(&t, pod, ev);
	struct lc_pod lc;
	tpod_stage(&t, now, &lc);
	ck_assert_msg(strcmp(lc_stage_name(lc.stage), want) == 0, "%s: stage %s, want %s (%s)",
		      name, lc_stage_name(lc.stage), want, lc.why);
	const char *why = jstr(expect, "why");
	if (why)
		ck_assert_msg(strstr(lc.why, why), "%s: why [%s] lacks [%s]", name, lc.why, why);
	ck_assert_msg(lc.why[0] != '\0', "%s: no why", name);
	lifecycle_pod_free(&lc);
	tpod_free(&t);
	free(pod);
	free(ev);
	cJSON_Delete(doc);
	free(text);
	return 1;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(test_fixtures)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/pods", test_srcdir());
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	char *names[512];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 512) {
		size_t l = strlen(e->d_name);
		if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	int checked = 0;
	for (size_t i = 0; i < n; i++) {
		checked += check_fixture(dir, names[i]);
		free(names[i]);
	}
	ck_assert_msg(checked >= 15, "only %d fixtures with a stage", checked);
}
END_TEST

/* ---- hand-written pods ---- */

#define META                                                                                       \
	"\"metadata\":{\"name\":\"web-1\",\"namespace\":\"shop\",\"uid\":\"u1\","                  \
	"\"creationTimestamp\":\"2024-05-01T12:00:00Z\"}"

static const char *stage_of(const char *pod, const char *events, int64_t now, char *why, size_t n)
{
	struct tpod t;
	tpod_load(&t, pod, events);
	struct lc_pod lc;
	tpod_stage(&t, now, &lc);
	const char *s = lc_stage_name(lc.stage);
	if (why)
		snprintf(why, n, "%s", lc.why);
	lifecycle_pod_free(&lc);
	tpod_free(&t);
	return s;
}

START_TEST(test_pulling_then_post_start)
{
	const char *pod =
	    "{" META ",\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"web\","
	    "\"image\":\"nginx:1.27\",\"lifecycle\":{\"postStart\":{\"exec\":{"
	    "\"command\":[\"sh\",\"-c\",\"sleep 5\"]}}}}]},\"status\":{\"phase\":"
	    "\"Pending\",\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"True\"}],"
	    "\"containerStatuses\":[{\"name\":\"web\",\"ready\":false,\"restartCount\":0,"
	    "\"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}}}]}}";
	const char *pulling =
	    "[{\"metadata\":{\"name\":\"e1\",\"namespace\":\"shop\"},"
	    "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"web-1\",\"uid\":\"u1\","
	    "\"fieldPath\":\"spec.containers{web}\"},\"reason\":\"Pulling\","
	    "\"message\":\"Pulling image \\\"nginx:1.27\\\"\",\"firstTimestamp\":"
	    "\"2024-05-01T12:00:01Z\",\"lastTimestamp\":\"2024-05-01T12:00:01Z\"}]";
	char why[320];
	int64_t now = ts("2024-05-01T12:00:05Z");
	ck_assert_str_eq(stage_of(pod, NULL, now, why, sizeof(why)), "scheduled");
	ck_assert_str_eq(stage_of(pod, pulling, now, why, sizeof(why)), "pulling-image");
	ck_assert_msg(strstr(why, "pulling image nginx:1.27"), "%s", why);

	const char *started =
	    "[{\"metadata\":{\"name\":\"e1\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":"
	    "\"web-1\",\"fieldPath\":\"spec.containers{web}\"},\"reason\":\"Pulling\","
	    "\"firstTimestamp\":\"2024-05-01T12:00:01Z\",\"lastTimestamp\":\"2024-05-01T12:00:"
	    "01Z\"},"
	    "{\"metadata\":{\"name\":\"e2\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"web-"
	    "1\","
	    "\"fieldPath\":\"spec.containers{web}\"},\"reason\":\"Pulled\",\"firstTimestamp\":"
	    "\"2024-05-01T12:00:03Z\",\"lastTimestamp\":\"2024-05-01T12:00:03Z\"},"
	    "{\"metadata\":{\"name\":\"e3\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"web-"
	    "1\","
	    "\"fieldPath\":\"spec.containers{web}\"},\"reason\":\"Started\",\"firstTimestamp\":"
	    "\"2024-05-01T12:00:04Z\",\"lastTimestamp\":\"2024-05-01T12:00:04Z\"}]";
	ck_assert_str_eq(stage_of(pod, started, now, why, sizeof(why)), "post-start");
	ck_assert_msg(strstr(why, "container web: started, postStart hook running"), "%s", why);
	ck_assert_msg(strstr(why, "postStart"), "%s", why);

	/* An event about another pod of the same name prefix changes nothing. */
	const char *other =
	    "[{\"metadata\":{\"name\":\"e1\"},\"involvedObject\":{\"kind\":\"Pod\","
	    "\"name\":\"web-10\",\"fieldPath\":\"spec.containers{web}\"},\"reason\":"
	    "\"Pulling\",\"firstTimestamp\":\"2024-05-01T12:00:01Z\"}]";
	ck_assert_str_eq(stage_of(pod, other, now, NULL, 0), "scheduled");
	/* ... and so does one for the same name but another uid (a pod made again). */
	const char *olduid =
	    "[{\"metadata\":{\"name\":\"e1\"},\"involvedObject\":{\"kind\":\"Pod\","
	    "\"name\":\"web-1\",\"uid\":\"u0\",\"fieldPath\":\"spec.containers{web}\"},"
	    "\"reason\":\"Pulling\",\"firstTimestamp\":\"2024-05-01T12:00:01Z\"}]";
	ck_assert_str_eq(stage_of(pod, olduid, now, NULL, 0), "scheduled");
}
END_TEST

START_TEST(test_post_start_failed)
{
	const char *pod =
	    "{" META ",\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"web\",\"image\":"
	    "\"nginx\",\"lifecycle\":{\"postStart\":{\"exec\":{\"command\":[\"false\"]}}}}]},"
	    "\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"web\",\"ready\":"
	    "false,\"restartCount\":1,\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}},"
	    "\"lastState\":{\"terminated\":{\"exitCode\":137,\"reason\":\"Error\",\"startedAt\":"
	    "\"2024-05-01T12:00:10Z\",\"finishedAt\":\"2024-05-01T12:00:11Z\"}}}]}}";
	const char *ev =
	    "[{\"metadata\":{\"name\":\"h\"},\"type\":\"Warning\",\"involvedObject\":{\"kind\":"
	    "\"Pod\",\"name\":\"web-1\",\"fieldPath\":\"spec.containers{web}\"},\"reason\":"
	    "\"FailedPostStartHook\",\"message\":\"PostStartHook failed\",\"firstTimestamp\":"
	    "\"2024-05-01T12:00:10Z\",\"lastTimestamp\":\"2024-05-01T12:00:10Z\"}]";
	char why[320];
	ck_assert_str_eq(stage_of(pod, ev, ts("2024-05-01T12:00:12Z"), why, sizeof(why)),
			 "crash-loop-backoff");
	ck_assert_msg(strstr(why, "after its postStart hook failed"), "%s", why);
	ck_assert_msg(strstr(why, "exited with code 137"), "%s", why);
	ck_assert_msg(strstr(why, "next restart in 9s"), "%s", why);
	ck_assert_str_eq(stage_of(pod, NULL, ts("2024-05-01T12:00:12Z"), why, sizeof(why)),
			 "crash-loop-backoff");
	ck_assert_msg(!strstr(why, "postStart"), "%s", why);
}
END_TEST

static const char *probe_pod(bool ready, bool started, bool startup)
{
	static char buf[2048];
	snprintf(
	    buf, sizeof(buf),
	    "{" META ",\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"web\","
	    "\"image\":\"nginx\",%s\"readinessProbe\":{\"httpGet\":{\"path\":\"/\",\"port\":80},"
	    "\"failureThreshold\":3}}]},\"status\":{\"phase\":\"Running\",\"conditions\":[{"
	    "\"type\":\"Ready\",\"status\":\"%s\"}],\"containerStatuses\":[{\"name\":\"web\","
	    "\"ready\":%s,\"started\":%s,\"restartCount\":0,\"state\":{\"running\":{"
	    "\"startedAt\":\"2024-05-01T12:00:10Z\"}}}]}}",
	    startup ? "\"startupProbe\":{\"exec\":{\"command\":[\"true\"]},"
		      "\"failureThreshold\":30},"
		    : "",
	    ready ? "True" : "False", ready ? "true" : "false", started ? "true" : "false");
	return buf;
}

static const char *unhealthy(const char *probe, int count, const char *first, const char *last)
{
	static char buf[1024];
	snprintf(
	    buf, sizeof(buf),
	    "[{\"metadata\":{\"name\":\"u\"},\"type\":\"Warning\",\"involvedObject\":{\"kind\":"
	    "\"Pod\",\"name\":\"web-1\",\"uid\":\"u1\",\"fieldPath\":\"spec.containers{web}\"},"
	    "\"reason\":\"Unhealthy\",\"message\":\"%s probe failed: HTTP probe failed with "
	    "statuscode: 503\",\"count\":%d,\"firstTimestamp\":\"%s\",\"lastTimestamp\":\"%s\"}]",
	    probe, count, first, last);
	return buf;
}

START_TEST(test_readiness_failures)
{
	int64_t now = ts("2024-05-01T12:01:00Z");
	char why[320];
	const char *pod = probe_pod(false, true, false);
	ck_assert_str_eq(stage_of(pod, NULL, now, why, sizeof(why)), "waiting-for-readiness");
	ck_assert_str_eq(
	    stage_of(pod, unhealthy("Readiness", 2, "2024-05-01T12:00:20Z", "2024-05-01T12:00:30Z"),
		     now, why, sizeof(why)),
	    "waiting-for-readiness");
	ck_assert_msg(strstr(why, "readiness probe 2/3 failures"), "%s", why);
	ck_assert_msg(strstr(why, "statuscode: 503"), "%s", why);
	ck_assert_str_eq(
	    stage_of(pod, unhealthy("Readiness", 4, "2024-05-01T12:00:20Z", "2024-05-01T12:00:50Z"),
		     now, why, sizeof(why)),
	    "not-ready");
	/* Failures from before this container started do not count. */
	ck_assert_str_eq(
	    stage_of(pod, unhealthy("Readiness", 9, "2024-05-01T11:50:00Z", "2024-05-01T11:55:00Z"),
		     now, NULL, 0),
	    "waiting-for-readiness");
	ck_assert_str_eq(stage_of(probe_pod(true, true, false), NULL, now, NULL, 0), "ready");
	/* A startup probe not passed yet: starting, with its own failures. */
	ck_assert_str_eq(
	    stage_of(probe_pod(false, false, true),
		     unhealthy("Startup", 5, "2024-05-01T12:00:20Z", "2024-05-01T12:00:50Z"), now,
		     why, sizeof(why)),
	    "starting");
	ck_assert_msg(strstr(why, "startup probe 5/30 failures"), "%s", why);
}
END_TEST

START_TEST(test_stuck)
{
	int64_t now = ts("2024-05-01T12:01:00Z");
	struct tpod t;
	struct lc_pod lc;
	const struct lc_container *c;
	tpod_load(&t, probe_pod(false, true, false),
		  unhealthy("Readiness", 5, "2024-05-01T12:00:20Z", "2024-05-01T12:00:50Z"));
	tpod_stage(&t, now, &lc);
	ck_assert(!lifecycle_pod_stuck(&lc, &c)); /* not ready, but not twice the threshold */
	lifecycle_pod_free(&lc);
	tpod_free(&t);
	tpod_load(&t, probe_pod(false, true, false),
		  unhealthy("Readiness", 6, "2024-05-01T12:00:20Z", "2024-05-01T12:00:50Z"));
	tpod_stage(&t, now, &lc);
	ck_assert(lifecycle_pod_stuck(&lc, &c));
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->name, "web");
	lifecycle_pod_free(&lc);
	tpod_free(&t);

	const char *pull = "{" META ",\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":"
			   "\"web\",\"image\":\"nginx:nope\"}]},\"status\":{\"phase\":\"Pending\","
			   "\"containerStatuses\":[{\"name\":\"web\",\"restartCount\":0,\"state\":{"
			   "\"waiting\":{\"reason\":\"%s\",\"message\":\"m\"}}}]}}";
	char buf[1024];
	snprintf(buf, sizeof(buf), pull, "ErrImagePull");
	tpod_load(&t, buf, NULL);
	tpod_stage(&t, now, &lc);
	ck_assert_str_eq(lc_stage_name(lc.stage), "image-pull-backoff");
	ck_assert(!lifecycle_pod_stuck(&lc, NULL)); /* the first failure: a back-off follows */
	lifecycle_pod_free(&lc);
	tpod_free(&t);
	snprintf(buf, sizeof(buf), pull, "ImagePullBackOff");
	tpod_load(&t, buf, NULL);
	tpod_stage(&t, now, &lc);
	ck_assert(lifecycle_pod_stuck(&lc, NULL));
	lifecycle_pod_free(&lc);
	tpod_free(&t);
	snprintf(buf, sizeof(buf), pull, "CreateContainerConfigError");
	tpod_load(&t, buf, NULL);
	tpod_stage(&t, now, &lc);
	ck_assert_str_eq(lc_stage_name(lc.stage), "error");
	ck_assert(lifecycle_pod_stuck(&lc, &c));
	ck_assert_str_eq(c->reason, "CreateContainerConfigError");
	lifecycle_pod_free(&lc);
	tpod_free(&t);
}
END_TEST

START_TEST(test_liveness_crash)
{
	const char *pod =
	    "{" META ",\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"web\",\"image\":"
	    "\"nginx\",\"livenessProbe\":{\"httpGet\":{\"path\":\"/\",\"port\":80}}}]},"
	    "\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"web\",\"ready\":"
	    "false,\"restartCount\":2,\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\","
	    "\"message\":\"back-off 20s restarting failed container=web pod=web-1_shop(u1)\"}},"
	    "\"lastState\":{\"terminated\":{\"exitCode\":137,\"reason\":\"Error\",\"startedAt\":"
	    "\"2024-05-01T12:00:10Z\",\"finishedAt\":\"2024-05-01T12:00:40Z\"}}}]}}";
	const char *ev =
	    "[{\"metadata\":{\"name\":\"k\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"web-"
	    "1\","
	    "\"fieldPath\":\"spec.containers{web}\"},\"reason\":\"Killing\",\"message\":"
	    "\"Container "
	    "web failed liveness probe, will be "
	    "restarted\",\"firstTimestamp\":\"2024-05-01T12:00:39Z\","
	    "\"lastTimestamp\":\"2024-05-01T12:00:39Z\"},{\"metadata\":{\"name\":\"u\"},"
	    "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"web-1\",\"fieldPath\":"
	    "\"spec.containers{web}\"},\"reason\":\"Unhealthy\",\"message\":\"Liveness probe "
	    "failed: "
	    "HTTP probe failed with statuscode: 404\",\"count\":9,\"firstTimestamp\":"
	    "\"2024-05-01T11:59:00Z\",\"lastTimestamp\":\"2024-05-01T12:00:39Z\"}]";
	struct tpod t;
	struct lc_pod lc;
	tpod_load(&t, pod, ev);
	tpod_stage(&t, ts("2024-05-01T12:00:50Z"), &lc);
	ck_assert_str_eq(lc_stage_name(lc.stage), "crash-loop-backoff");
	const struct lc_container *c = lifecycle_decider(&lc);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->backoff_ms, 20000);
	ck_assert_int_eq(c->next_restart_ms, ts("2024-05-01T12:01:00Z"));
	ck_assert_int_eq(c->probe, LC_PROBE_LIVENESS);
	ck_assert_int_eq(c->probe_failures, 3);
	ck_assert_msg(strstr(lc.why, "after failing its liveness probe"), "%s", lc.why);
	ck_assert_msg(strstr(lc.why, "next restart in 10s"), "%s", lc.why);
	ck_assert_msg(strstr(lc.why, "statuscode: 404"), "%s", lc.why);
	ck_assert(lifecycle_pod_stuck(&lc, NULL));
	lifecycle_pod_free(&lc);
	tpod_free(&t);
}
END_TEST

START_TEST(test_backoff_delay)
{
	ck_assert_int_eq(lifecycle_backoff_delay(0, NULL), 10000);
	ck_assert_int_eq(lifecycle_backoff_delay(1, NULL), 10000);
	ck_assert_int_eq(lifecycle_backoff_delay(2, NULL), 20000);
	ck_assert_int_eq(lifecycle_backoff_delay(5, NULL), 160000);
	ck_assert_int_eq(lifecycle_backoff_delay(6, NULL), 300000);
	ck_assert_int_eq(lifecycle_backoff_delay(60, NULL), 300000);
	ck_assert_int_eq(
	    lifecycle_backoff_delay(1, "back-off 2m40s restarting failed container=a pod=b_c(d)"),
	    160000);
	ck_assert_int_eq(lifecycle_backoff_delay(3, "back-off 5m0s restarting"), 300000);
	/* A message of another shape falls back to the count. */
	ck_assert_int_eq(lifecycle_backoff_delay(3, "back-off soon"), 40000);
	ck_assert_int_eq(lifecycle_backoff_delay(3, "something else"), 40000);
}
END_TEST

START_TEST(test_timeline)
{
	const char *pod =
	    "{" META ",\"spec\":{\"nodeName\":\"n1\",\"initContainers\":[{\"name\":\"init\","
	    "\"image\":\"busybox\"}],\"containers\":[{\"name\":\"web\",\"image\":\"nginx\","
	    "\"lifecycle\":{\"postStart\":{\"exec\":{\"command\":[\"true\"]}}}}]},\"status\":{"
	    "\"phase\":\"Running\",\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"True\","
	    "\"lastTransitionTime\":\"2024-05-01T12:00:01Z\"},{\"type\":\"Initialized\",\"status\":"
	    "\"True\"},{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":"
	    "\"2024-05-01T12:00:20Z\"}],\"initContainerStatuses\":[{\"name\":\"init\",\"ready\":"
	    "true,"
	    "\"restartCount\":0,\"state\":{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\","
	    "\"startedAt\":\"2024-05-01T12:00:05Z\",\"finishedAt\":\"2024-05-01T12:00:08Z\"}}}],"
	    "\"containerStatuses\":[{\"name\":\"web\",\"ready\":true,\"started\":true,"
	    "\"restartCount\":0,\"state\":{\"running\":{\"startedAt\":\"2024-05-01T12:00:12Z\"}}}]}"
	    "}";
	const char *ev =
	    "[{\"metadata\":{\"name\":\"a\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"web-"
	    "1\","
	    "\"fieldPath\":\"spec.containers{web}\"},\"reason\":\"Pulling\",\"firstTimestamp\":"
	    "\"2024-05-01T12:00:09Z\",\"lastTimestamp\":\"2024-05-01T12:00:09Z\"},{\"metadata\":{"
	    "\"name\":\"b\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"web-1\",\"fieldPath\":"
	    "\"spec.containers{web}\"},\"reason\":\"Pulled\",\"firstTimestamp\":"
	    "\"2024-05-01T12:00:11Z\",\"lastTimestamp\":\"2024-05-01T12:00:11Z\"}]";
	struct tpod t;
	tpod_load(&t, pod, ev);
	ck_assert_uint_eq(lifecycle_timeline(&t.pod, t.evp, t.n_ev, NULL, 0), 7);
	struct lc_step s[16];
	size_t n = lifecycle_timeline(&t.pod, t.evp, t.n_ev, s, 16);
	ck_assert_uint_eq(n, 7);
	static const char *const want[] = {"created", "scheduled",  "init", "pull",
					   "started", "post-start", "ready"};
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(strcmp(lc_step_name(s[i].kind), want[i]) == 0, "step %zu is %s", i,
			      lc_step_name(s[i].kind));
	ck_assert_int_eq(s[2].end_ms - s[2].start_ms, 3000); /* init ran 3 s */
	ck_assert_str_eq(s[3].container, "web");
	ck_assert_int_eq(s[3].end_ms - s[3].start_ms, 2000); /* pulled in 2 s */
	ck_assert(s[5].done);
	ck_assert_int_eq(s[6].start_ms, ts("2024-05-01T12:00:20Z"));
	/* A short buffer gets the first steps; the count stays the total. */
	ck_assert_uint_eq(lifecycle_timeline(&t.pod, t.evp, t.n_ev, s, 2), 7);
	struct lc_pod lc;
	tpod_stage(&t, ts("2024-05-01T12:01:00Z"), &lc);
	ck_assert_str_eq(lc_stage_name(lc.stage), "ready");
	lifecycle_pod_free(&lc);
	tpod_free(&t);
}
END_TEST

START_TEST(test_names)
{
	for (int s = 0; s < LC_NSTAGES; s++)
		ck_assert_str_ne(lc_stage_name((enum lc_stage)s), "");
	ck_assert_str_eq(lc_stage_name(LC_NSTAGES), "unknown");
	ck_assert_str_eq(lc_stage_name(LC_CRASH_LOOP), "crash-loop-backoff");
	ck_assert(lc_stage_is_failure(LC_CRASH_LOOP));
	ck_assert(!lc_stage_is_failure(LC_READY));
	ck_assert_str_eq(lc_probe_name(LC_PROBE_READINESS), "readiness");
	ck_assert_str_eq(lc_step_name(LC_STEP_POST_START), "post-start");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lifecycle");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_fixtures);
	tcase_add_test(tc, test_pulling_then_post_start);
	tcase_add_test(tc, test_post_start_failed);
	tcase_add_test(tc, test_readiness_failures);
	tcase_add_test(tc, test_stuck);
	tcase_add_test(tc, test_liveness_crash);
	tcase_add_test(tc, test_backoff_delay);
	tcase_add_test(tc, test_timeline);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
