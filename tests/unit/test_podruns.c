#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/duration.h"
#include "podscope/lifecycle.h"
#include "podscope/podruns.h"
#include "podscope/store.h"

/* Each run of a container on the pod's timeline: from the API alone (the
 * two instances it keeps, the first and latest of a folded event) and from
 * what a dashboard's store saw update by update (podruns). */

static int64_t at(int sec)
{
	char buf[40];
	snprintf(buf, sizeof(buf), "2024-05-01T12:%02d:%02dZ", sec / 60, sec % 60);
	int64_t t = 0;
	ck_assert(duration_parse_rfc3339(buf, &t, NULL) == 0);
	return t;
}

static void stamp(char *buf, size_t n, int sec)
{
	snprintf(buf, n, "2024-05-01T12:%02d:%02dZ", sec / 60, sec % 60);
}

/* A pod of one container "app" that has restarted `restarts` times: its
 * previous instance ran from last_start to last_end (exit 1), and it now
 * waits in CrashLoopBackOff (cur_start 0) or runs since cur_start. */
static void pod_json(char *out, size_t n, const char *name, const char *uid, int restarts,
		     int last_start, int last_end, int cur_start)
{
	char ls[32], le[32], cs[32];
	stamp(ls, sizeof(ls), last_start);
	stamp(le, sizeof(le), last_end);
	stamp(cs, sizeof(cs), cur_start);
	char state[160], last[256] = "";
	if (cur_start)
		snprintf(state, sizeof(state), "{\"running\":{\"startedAt\":\"%s\"}}", cs);
	else
		snprintf(state, sizeof(state),
			 "{\"waiting\":{\"reason\":\"CrashLoopBackOff\",\"message\":\"back-off\"}}");
	if (restarts)
		snprintf(last, sizeof(last),
			 ",\"lastState\":{\"terminated\":{\"exitCode\":1,\"reason\":\"Error\","
			 "\"startedAt\":\"%s\",\"finishedAt\":\"%s\"}}",
			 ls, le);
	snprintf(out, n,
		 "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"shop\",\"uid\":\"%s\","
		 "\"resourceVersion\":\"%d%d\",\"creationTimestamp\":\"2024-05-01T12:00:00Z\"},"
		 "\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"app\",\"image\":"
		 "\"crasher\"}]},\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":"
		 "\"PodScheduled\",\"status\":\"True\",\"lastTransitionTime\":"
		 "\"2024-05-01T12:00:01Z\"}],\"containerStatuses\":[{\"name\":\"app\",\"ready\":"
		 "false,\"restartCount\":%d,\"state\":%s%s}]}}",
		 name, uid, restarts, cur_start, restarts, state, last);
}

/* The kubelet's folded event for the container: reason, count, first and
 * last occurrence. */
static void event_json(char *out, size_t n, const char *ev_name, const char *pod,
		       const char *reason, int count, int first, int last)
{
	char f[32], l[32];
	stamp(f, sizeof(f), first);
	stamp(l, sizeof(l), last);
	snprintf(out, n,
		 "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"shop\",\"resourceVersion\":\"%d\"},"
		 "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"%s\",\"namespace\":\"shop\","
		 "\"fieldPath\":\"spec.containers{app}\"},\"reason\":\"%s\",\"message\":\"m\","
		 "\"count\":%d,\"firstTimestamp\":\"%s\",\"lastTimestamp\":\"%s\"}",
		 ev_name, count, pod, reason, count, f, l);
}

static void upsert(struct store *s, enum store_kind k, const char *json)
{
	cJSON *o = cJSON_Parse(json);
	ck_assert_msg(o != NULL, "bad JSON: %s", json);
	struct perr err = {0};
	ck_assert_int_ge(store_upsert_json(s, k, o, &err), 0);
	cJSON_Delete(o);
}

static size_t timeline(const struct store *s, const struct podruns *r, const char *pod,
		       struct lc_step *out, size_t max)
{
	const struct pod *p = store_get_pod(s, "shop", pod);
	ck_assert_ptr_nonnull(p);
	size_t n_ev = 0;
	const struct event *ev[8];
	struct store_iter it;
	store_iter_all(&it, s, STORE_EVENTS, NULL);
	const void *obj;
	while ((obj = store_iter_next(&it)) != NULL)
		if (n_ev < 8)
			ev[n_ev++] = obj;
	return lifecycle_timeline_runs(p, ev, n_ev, r, out, max);
}

static size_t count_kind(const struct lc_step *s, size_t n, enum lc_step_kind k)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += s[i].kind == k;
	return c;
}

static const struct lc_step *nth_kind(const struct lc_step *s, size_t n, enum lc_step_kind k,
				      size_t which)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].kind == k && which-- == 0)
			return &s[i];
	return NULL;
}

/* From the API alone: the earlier instance, the back-off still under way,
 * and the first and the latest pull of a folded Pulling event. */
START_TEST(test_api_alone)
{
	struct store *s = store_new();
	char buf[2048];
	pod_json(buf, sizeof(buf), "web", "u1", 3, 100, 130, 0);
	upsert(s, STORE_PODS, buf);
	event_json(buf, sizeof(buf), "e1", "web", "Pulling", 4, 2, 95);
	upsert(s, STORE_EVENTS, buf);
	event_json(buf, sizeof(buf), "e2", "web", "Pulled", 4, 5, 97);
	upsert(s, STORE_EVENTS, buf);
	struct lc_step st[32];
	size_t n = timeline(s, NULL, "web", st, 32);
	ck_assert_uint_le(n, 32);
	/* Two pulls, not one from the first to the last. */
	ck_assert_uint_eq(count_kind(st, n, LC_STEP_PULL), 2);
	const struct lc_step *p1 = nth_kind(st, n, LC_STEP_PULL, 0);
	const struct lc_step *p2 = nth_kind(st, n, LC_STEP_PULL, 1);
	ck_assert_int_eq(p1->start_ms, at(2));
	ck_assert_int_eq(p1->end_ms, at(5));
	ck_assert_int_eq(p2->start_ms, at(95));
	ck_assert_int_eq(p2->end_ms, at(97));
	/* The earlier instance, number 3, and the wait after it. */
	ck_assert_uint_eq(count_kind(st, n, LC_STEP_RUN), 1);
	const struct lc_step *r = nth_kind(st, n, LC_STEP_RUN, 0);
	ck_assert_int_eq(r->start_ms, at(100));
	ck_assert_int_eq(r->end_ms, at(130));
	ck_assert_int_eq(r->exit_code, 1);
	ck_assert_str_eq(r->reason, "Error");
	ck_assert_uint_eq(r->run, 3);
	const struct lc_step *b = nth_kind(st, n, LC_STEP_BACKOFF, 0);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->start_ms, at(130));
	ck_assert_int_eq(b->end_ms, 0);
	ck_assert(!b->done);
	/* No start of a current instance: the container waits. */
	ck_assert_uint_eq(count_kind(st, n, LC_STEP_STARTED), 0);
	ck_assert_str_eq(lc_step_name(LC_STEP_BACKOFF), "back-off");
	ck_assert_str_eq(lc_step_name(LC_STEP_RUN), "run");
	store_free(s);
}
END_TEST

/* A dashboard that watched the pod crash three times keeps every run and
 * every pull, each with the back-off after it. */
START_TEST(test_watched)
{
	struct store *s = store_new();
	struct podruns *r = podruns_new();
	store_subscribe(s, podruns_observe, r);
	char buf[2048];
	/* The first pull and start: nothing worth keeping yet. */
	event_json(buf, sizeof(buf), "e1", "web", "Pulling", 1, 2, 2);
	upsert(s, STORE_EVENTS, buf);
	event_json(buf, sizeof(buf), "e2", "web", "Pulled", 1, 4, 4);
	upsert(s, STORE_EVENTS, buf);
	pod_json(buf, sizeof(buf), "web", "u1", 0, 0, 0, 5);
	upsert(s, STORE_PODS, buf);
	ck_assert_uint_eq(podruns_count(r), 0);
	/* Run 1 ends at 20, pull 2 at 30-31, run 2 from 32 to 40, pull 3 at
	 * 60-62, run 3 from 63 to 70, and the pod waits again. */
	int runs[3][2] = {{5, 20}, {32, 40}, {63, 70}};
	int pulls[2][2] = {{30, 31}, {60, 62}};
	for (int i = 0; i < 3; i++) {
		pod_json(buf, sizeof(buf), "web", "u1", i + 1, runs[i][0], runs[i][1], 0);
		upsert(s, STORE_PODS, buf);
		if (i < 2) {
			event_json(buf, sizeof(buf), "e1", "web", "Pulling", i + 2, 2, pulls[i][0]);
			upsert(s, STORE_EVENTS, buf);
			event_json(buf, sizeof(buf), "e2", "web", "Pulled", i + 2, 4, pulls[i][1]);
			upsert(s, STORE_EVENTS, buf);
			pod_json(buf, sizeof(buf), "web", "u1", i + 1, runs[i][0], runs[i][1],
				 runs[i + 1][0]);
			upsert(s, STORE_PODS, buf);
		}
	}
	ck_assert_uint_eq(podruns_count(r), 1);
	struct lc_step st[64];
	size_t n = timeline(s, r, "web", st, 64);
	ck_assert_uint_le(n, 64);
	ck_assert_uint_eq(count_kind(st, n, LC_STEP_RUN), 3);
	for (size_t i = 0; i < 3; i++) {
		const struct lc_step *x = nth_kind(st, n, LC_STEP_RUN, i);
		ck_assert_int_eq(x->start_ms, at(runs[i][0]));
		ck_assert_int_eq(x->end_ms, at(runs[i][1]));
		ck_assert_uint_eq(x->run, i + 1);
	}
	/* Back-offs: 20-32, 40-63, and 70 on, still waiting. */
	ck_assert_uint_eq(count_kind(st, n, LC_STEP_BACKOFF), 3);
	ck_assert_int_eq(nth_kind(st, n, LC_STEP_BACKOFF, 0)->end_ms, at(32));
	ck_assert_int_eq(nth_kind(st, n, LC_STEP_BACKOFF, 1)->end_ms, at(63));
	ck_assert_int_eq(nth_kind(st, n, LC_STEP_BACKOFF, 2)->end_ms, 0);
	/* Pulls: 2-4 (the event's first), 30-31 (seen), 60-62 (the latest). */
	ck_assert_uint_eq(count_kind(st, n, LC_STEP_PULL), 3);
	ck_assert_int_eq(nth_kind(st, n, LC_STEP_PULL, 0)->end_ms, at(4));
	ck_assert_int_eq(nth_kind(st, n, LC_STEP_PULL, 1)->start_ms, at(30));
	ck_assert_int_eq(nth_kind(st, n, LC_STEP_PULL, 1)->end_ms, at(31));
	ck_assert_int_eq(nth_kind(st, n, LC_STEP_PULL, 2)->end_ms, at(62));
	/* Sorted by start. */
	for (size_t i = 1; i < n; i++)
		if (st[i].start_ms && st[i - 1].start_ms)
			ck_assert_int_le(st[i - 1].start_ms, st[i].start_ms);
	/* Without what the dashboard saw, run 2 and the middle pull are gone. */
	struct lc_step plain[64];
	size_t m = timeline(s, NULL, "web", plain, 64);
	ck_assert_uint_eq(count_kind(plain, m, LC_STEP_RUN), 1);
	ck_assert_uint_eq(count_kind(plain, m, LC_STEP_PULL), 2);

	/* The same name with another uid is another pod: nothing carried over. */
	pod_json(buf, sizeof(buf), "web", "u2", 0, 0, 0, 90);
	upsert(s, STORE_PODS, buf);
	ck_assert_ptr_null(podruns_get(r, store_get_pod(s, "shop", "web"), "app"));
	/* A deleted pod is forgotten. */
	pod_json(buf, sizeof(buf), "web", "u2", 1, 90, 95, 0);
	upsert(s, STORE_PODS, buf);
	ck_assert_uint_eq(podruns_count(r), 1);
	ck_assert_int_eq(store_delete(s, STORE_PODS, "shop", "web"), 1);
	ck_assert_uint_eq(podruns_count(r), 0);
	store_free(s);
	podruns_free(r);
}
END_TEST

/* Every count is capped: pods, runs per container, hostile names. */
START_TEST(test_caps)
{
	struct store *s = store_new();
	struct podruns *r = podruns_new();
	store_subscribe(s, podruns_observe, r);
	char buf[2048], name[32], uid[32];
	for (int i = 0; i < PODRUNS_MAX_PODS + 100; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		snprintf(uid, sizeof(uid), "u%d", i);
		pod_json(buf, sizeof(buf), name, uid, 1, 1, 2, 0);
		upsert(s, STORE_PODS, buf);
	}
	ck_assert_uint_eq(podruns_count(r), PODRUNS_MAX_PODS);
	/* The least recently changed went first. */
	ck_assert_ptr_null(podruns_get(r, store_get_pod(s, "shop", "p0"), "app"));
	ck_assert_ptr_nonnull(podruns_get(r, store_get_pod(s, "shop", "p1123"), "app"));
	/* Runs: the newest PODRUNS_MAX_RUNS. */
	for (int i = 1; i <= PODRUNS_MAX_RUNS + 4; i++) {
		pod_json(buf, sizeof(buf), "p1123", "u1123", i, i * 10, i * 10 + 5, 0);
		upsert(s, STORE_PODS, buf);
	}
	const struct podruns_container *h =
	    podruns_get(r, store_get_pod(s, "shop", "p1123"), "app");
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(h->n_runs, PODRUNS_MAX_RUNS);
	ck_assert_uint_ge(h->dropped_runs, 4);
	ck_assert_int_eq(h->runs[h->n_runs - 1].start_ms, at((PODRUNS_MAX_RUNS + 4) * 10));
	for (size_t i = 1; i < h->n_runs; i++)
		ck_assert_int_lt(h->runs[i - 1].start_ms, h->runs[i].start_ms);
	/* A container name no API server would accept is not kept, and costs
	 * no crash. */
	char long_name[200];
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	ck_assert_ptr_null(podruns_get(r, store_get_pod(s, "shop", "p1123"), long_name));
	store_free(s);
	podruns_free(r);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("podruns");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_api_alone);
	tcase_add_test(tc, test_watched);
	tcase_add_test(tc, test_caps);
	suite_add_tcase(su, tc);
	SRunner *sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
