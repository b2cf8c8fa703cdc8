#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "ctrl_deployment_int.h"
#include "ctrl_deployment_logic.h"
#include "test_sim_deploy.h"
#include "testutil.h"

/*
 * The deployment controller's status and conditions (progress_test.go
 * restated), the ReplicaSet controller's pod ranking
 * (controller_utils_test.go's TestSortingActivePods, restated) and the
 * pod-template-hash.
 */

/* --- progress_test.go --------------------------------------------------------------- */

#define TEST_TIME INT64_C(1487184540000) /* 2017-02-15T18:49:00Z */

enum { C_NONE, C_UPDATED, C_AVAILABLE, C_TIMEDOUT, C_STUCK };

static void add_cond(struct dl_status *st, int which)
{
	struct dl_cond c;
	switch (which) {
	case C_UPDATED:
		dl_new_condition(&c, "Progressing", DL_COND_TRUE, "ReplicaSetUpdated", "",
				 TEST_TIME);
		break;
	case C_AVAILABLE:
		dl_new_condition(&c, "Progressing", DL_COND_TRUE, "NewReplicaSetAvailable", "",
				 TEST_TIME);
		break;
	case C_TIMEDOUT:
		dl_new_condition(&c, "Progressing", DL_COND_FALSE, "ProgressDeadlineExceeded", "",
				 0);
		break;
	case C_STUCK:
		dl_new_condition(&c, "Progressing", DL_COND_TRUE, "", "", TEST_TIME);
		c.last_transition = 0;
		break;
	default:
		return;
	}
	st->conds[st->nconds++] = c;
}

/* currentDeployment(): Recreate, status replicas/updated/available. */
static struct dl_deployment curdep(int32_t pds, int32_t spec, int32_t r, int32_t u, int32_t a)
{
	struct dl_deployment d = {0};
	d.progress_deadline_seconds = pds;
	d.spec_replicas = spec;
	d.has_spec_replicas = 1;
	d.strategy.type = KSTRATEGY_RECREATE;
	d.replicas = r;
	d.updated_replicas = u;
	d.available_replicas = a;
	return d;
}

START_TEST(test_requeue_stuck)
{
	static const struct {
		int32_t pds, spec, r, u, a;
		int cond;
		int64_t now;
		int64_t want; /* -1 never, else ms from now */
	} rows[] = {
	    {-1, 4, 3, 3, 2, C_NONE, TEST_TIME, -1},
	    {INT32_MAX, 4, 3, 3, 2, C_NONE, TEST_TIME, -1},
	    {60, 4, 3, 3, 2, C_NONE, TEST_TIME, -1},
	    {60, 3, 3, 3, 3, C_NONE, TEST_TIME, -1}, /* complete */
	    {60, 3, 3, 3, 0, C_TIMEDOUT, TEST_TIME, -1},
	    {60, 3, 3, 3, 1, C_STUCK, TEST_TIME + 30000, 30000},
	    {60, 3, 3, 3, 1, C_STUCK, TEST_TIME + 59000, 1000},
	    {60, 3, 3, 3, 1, C_STUCK, TEST_TIME + 59001, 0},
	    {60, 3, 3, 3, 1, C_STUCK, TEST_TIME + 60000, 0},
	    {60, 3, 3, 3, 1, C_STUCK, TEST_TIME + 61000, 0},
	    {60, 3, 3, 3, 1, C_STUCK, TEST_TIME + 120000, 0},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct dl_deployment d =
		    curdep(rows[i].pds, rows[i].spec, rows[i].r, rows[i].u, rows[i].a);
		struct dl_status st;
		dl_status_from(&d, 0, false, &st);
		add_cond(&st, rows[i].cond);
		int64_t got = dl_requeue_stuck_after(&d, &st, rows[i].now);
		ck_assert_msg(got == rows[i].want, "row %zu: %lld", i, (long long)got);
	}
}
END_TEST

START_TEST(test_sync_rollout_status)
{
	static const struct {
		const char *name;
		int32_t pds, spec, r, u, a;
		int cond;
		int32_t rs[2][3];   /* old, new: spec, replicas, available; spec -1: none */
		const char *reason; /* NULL: no Progressing condition */
		uint8_t status;
		bool keep_update, keep_transition;
	} rows[] = {
	    {"no deadline: no Progressing",
	     -1,
	     3,
	     2,
	     2,
	     2,
	     C_UPDATED,
	     {{0, 1, 1}, {3, 2, 2}},
	     NULL,
	     0,
	     false,
	     false},
	    {"one active RS: no estimate",
	     60,
	     3,
	     3,
	     3,
	     3,
	     C_AVAILABLE,
	     {{3, 3, 3}, {-1, 0, 0}},
	     "NewReplicaSetAvailable",
	     DL_COND_TRUE,
	     true,
	     true},
	    {"progressing: keep lastTransitionTime",
	     60,
	     3,
	     2,
	     2,
	     2,
	     C_UPDATED,
	     {{0, 1, 1}, {3, 2, 2}},
	     "ReplicaSetUpdated",
	     DL_COND_TRUE,
	     false,
	     true},
	    {"progressing: update all after False",
	     60,
	     3,
	     2,
	     2,
	     2,
	     C_TIMEDOUT,
	     {{0, 1, 1}, {3, 2, 2}},
	     "ReplicaSetUpdated",
	     DL_COND_TRUE,
	     false,
	     false},
	    {"progressing: create the condition",
	     60,
	     3,
	     2,
	     2,
	     2,
	     C_NONE,
	     {{0, 1, 1}, {3, 2, 2}},
	     "ReplicaSetUpdated",
	     DL_COND_TRUE,
	     false,
	     false},
	    {"complete: keep lastTransitionTime",
	     60,
	     3,
	     3,
	     3,
	     3,
	     C_UPDATED,
	     {{-1, 0, 0}, {3, 3, 3}},
	     "NewReplicaSetAvailable",
	     DL_COND_TRUE,
	     false,
	     true},
	    {"complete: update all after False",
	     60,
	     3,
	     3,
	     3,
	     3,
	     C_TIMEDOUT,
	     {{-1, 0, 0}, {3, 3, 3}},
	     "NewReplicaSetAvailable",
	     DL_COND_TRUE,
	     false,
	     false},
	    {"complete: create the condition",
	     60,
	     3,
	     3,
	     3,
	     3,
	     C_NONE,
	     {{-1, 0, 0}, {3, 3, 3}},
	     "NewReplicaSetAvailable",
	     DL_COND_TRUE,
	     false,
	     false},
	    {"complete: no new RS",
	     60,
	     0,
	     3,
	     3,
	     3,
	     C_UPDATED,
	     {{0, 0, 0}, {-1, 0, 0}},
	     "NewReplicaSetAvailable",
	     DL_COND_TRUE,
	     false,
	     false},
	    {"timed out",
	     60,
	     3,
	     2,
	     2,
	     2,
	     C_UPDATED,
	     {{-1, 0, 0}, {3, 2, 2}},
	     "ProgressDeadlineExceeded",
	     DL_COND_FALSE,
	     false,
	     false},
	    {"timed out already: no change",
	     60,
	     3,
	     2,
	     2,
	     2,
	     C_TIMEDOUT,
	     {{-1, 0, 0}, {3, 2, 2}},
	     "ProgressDeadlineExceeded",
	     DL_COND_FALSE,
	     true,
	     true},
	};
	int64_t now = TEST_TIME + 10 * 60 * 1000;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct dl_deployment d =
		    curdep(rows[i].pds, rows[i].spec, rows[i].r, rows[i].u, rows[i].a);
		struct dl_status cur, out;
		dl_status_from(&d, 0, false, &cur);
		add_cond(&cur, rows[i].cond);
		struct dl_rs rs[2];
		size_t n = 0, nw = DL_NONE;
		static const char *names[] = {"bar", "foo"};
		for (int k = 0; k < 2; k++) {
			if (rows[i].rs[k][0] < 0)
				continue;
			rs[n] = mkrs(names[k], rows[i].rs[k][0], 0);
			rs[n].replicas = rows[i].rs[k][1];
			rs[n].available = rows[i].rs[k][2];
			if (k == 1)
				nw = n;
			n++;
		}
		const struct dl_cond *was = dl_get_condition(&cur, "Progressing");
		int64_t was_update = was ? was->last_update : 0;
		int64_t was_trans = was ? was->last_transition : 0;
		dl_rollout_status(&d, &cur, rs, n, nw, "progress-test", now, &out);
		const struct dl_cond *c = dl_get_condition(&out, "Progressing");
		if (!rows[i].reason) {
			ck_assert_msg(c == NULL, "%s", rows[i].name);
			continue;
		}
		ck_assert_msg(c != NULL, "%s", rows[i].name);
		ck_assert_msg(strcmp(c->reason, rows[i].reason) == 0, "%s: %s", rows[i].name,
			      c->reason);
		ck_assert_msg(c->status == rows[i].status, "%s", rows[i].name);
		if (rows[i].keep_update)
			ck_assert_msg(c->last_update == was_update, "%s", rows[i].name);
		if (rows[i].keep_transition)
			ck_assert_msg(c->last_transition == was_trans, "%s", rows[i].name);
	}
}
END_TEST

START_TEST(test_messages)
{
	struct dl_deployment d = curdep(600, 3, 0, 0, 0);
	d.strategy.type = KSTRATEGY_ROLLING_UPDATE;
	d.strategy.max_surge = KINTSTR_STR("25%");
	d.strategy.max_unavailable = KINTSTR_STR("25%");
	struct dl_status cur, out;
	dl_status_from(&d, 0, false, &cur);
	struct dl_rs rs[1] = {mkrs("web-abc", 3, 0)};
	dl_rollout_status(&d, &cur, rs, 1, 0, "web", TEST_TIME, &out);
	const struct dl_cond *p = dl_get_condition(&out, "Progressing");
	ck_assert_str_eq(p->message, "ReplicaSet \"web-abc\" has successfully progressed.");
	const struct dl_cond *a = dl_get_condition(&out, "Available");
	ck_assert_str_eq(a->reason, "MinimumReplicasAvailable");
	ck_assert_str_eq(a->message, "Deployment has minimum availability.");
	ck_assert_int_eq(out.replicas, 3);
	ck_assert_int_eq(out.updated, 3);
	ck_assert_int_eq(out.unavailable, 0);
	/* Available is the last condition that changed: it moves to the end. */
	ck_assert_str_eq(out.conds[out.nconds - 1].type, "Progressing");

	rs[0].available = 1;
	dl_calc_status(&d, &cur, rs, 1, 0, TEST_TIME, &out);
	a = dl_get_condition(&out, "Available");
	ck_assert_str_eq(a->reason, "MinimumReplicasUnavailable");
	ck_assert_str_eq(a->message, "Deployment does not have minimum availability.");
	ck_assert_int_eq(out.unavailable, 2);

	/* Paused and resumed. */
	d.paused = 1;
	ck_assert(dl_paused_conditions(&d, &cur, TEST_TIME));
	ck_assert_str_eq(dl_get_condition(&cur, "Progressing")->reason, "DeploymentPaused");
	ck_assert_str_eq(dl_get_condition(&cur, "Progressing")->message, "Deployment is paused");
	ck_assert(!dl_paused_conditions(&d, &cur, TEST_TIME));
	d.paused = 0;
	ck_assert(dl_paused_conditions(&d, &cur, TEST_TIME));
	ck_assert_str_eq(dl_get_condition(&cur, "Progressing")->reason, "DeploymentResumed");
	ck_assert_int_eq(dl_get_condition(&cur, "Progressing")->status, DL_COND_UNKNOWN);
}
END_TEST

START_TEST(test_set_condition)
{
	struct dl_status st = {0};
	struct dl_cond c;
	dl_new_condition(&c, "Available", DL_COND_TRUE, "A", "m", 1000);
	dl_set_condition(&st, &c);
	dl_new_condition(&c, "Progressing", DL_COND_TRUE, "B", "m", 2000);
	dl_set_condition(&st, &c);
	/* same status and reason: nothing changes */
	dl_new_condition(&c, "Available", DL_COND_TRUE, "A", "other", 5000);
	dl_set_condition(&st, &c);
	ck_assert_str_eq(st.conds[0].type, "Available");
	ck_assert_int_eq(st.conds[0].last_update, 1000);
	/* same status, new reason: keeps lastTransitionTime, moves to the end */
	dl_new_condition(&c, "Available", DL_COND_TRUE, "C", "m", 6000);
	dl_set_condition(&st, &c);
	ck_assert_str_eq(st.conds[1].type, "Available");
	ck_assert_int_eq(st.conds[1].last_transition, 1000);
	ck_assert_int_eq(st.conds[1].last_update, 6000);
	/* a new status: new lastTransitionTime */
	dl_new_condition(&c, "Available", DL_COND_FALSE, "D", "m", 7000);
	dl_set_condition(&st, &c);
	ck_assert_int_eq(st.conds[1].last_transition, 7000);
	ck_assert_uint_eq(st.nconds, 2);
}
END_TEST

/* --- controller_utils_test.go TestSortingActivePods, restated ---------------------- */

START_TEST(test_rank_pods)
{
	int64_t now = T0 + 10 * HOUR;
	/* From "delete first" to "delete last", one rule apart each. */
	struct dl_pod pods[] = {
	    {.name = "unscheduled", .uid = "a", .phase = "Pending"},
	    {.name = "pending", .uid = "b", .node = "n1", .phase = "Pending"},
	    {.name = "unknown", .uid = "c", .node = "n1", .phase = "Unknown"},
	    {.name = "running-not-ready", .uid = "d", .node = "n1", .phase = "Running"},
	    {.name = "ready-cost-low",
	     .uid = "e",
	     .node = "n1",
	     .phase = "Running",
	     .ready = true,
	     .ready_time = T0,
	     .deletion_cost = -5,
	     .rank = 1},
	    {.name = "ready-doubled",
	     .uid = "f",
	     .node = "n1",
	     .phase = "Running",
	     .ready = true,
	     .ready_time = T0,
	     .rank = 3},
	    {.name = "ready-recently",
	     .uid = "g",
	     .node = "n2",
	     .phase = "Running",
	     .ready = true,
	     .ready_time = now - 1000,
	     .rank = 1},
	    {.name = "ready-long-restarts",
	     .uid = "h",
	     .node = "n2",
	     .phase = "Running",
	     .ready = true,
	     .ready_time = T0,
	     .rank = 1,
	     .restarts = 4},
	    {.name = "ready-long-new",
	     .uid = "i",
	     .node = "n2",
	     .phase = "Running",
	     .ready = true,
	     .ready_time = T0,
	     .rank = 1,
	     .created_ms = now - 1000},
	    {.name = "ready-long-old",
	     .uid = "j",
	     .node = "n2",
	     .phase = "Running",
	     .ready = true,
	     .ready_time = T0,
	     .rank = 1,
	     .created_ms = T0 - 100 * HOUR},
	};
	size_t n = sizeof(pods) / sizeof(pods[0]);
	/* Every rotation of the input gives the same order. */
	for (size_t rot = 0; rot < n; rot++) {
		size_t idx[sizeof(pods) / sizeof(pods[0])];
		for (size_t i = 0; i < n; i++)
			idx[i] = (i + rot) % n;
		dl_rank_pods(pods, idx, n, now);
		for (size_t i = 0; i < n; i++)
			ck_assert_msg(idx[i] == i, "rotation %zu: position %zu is %s", rot, i,
				      pods[idx[i]].name);
	}
	/* Within one logarithmic bucket of ready time, the UID decides. */
	struct dl_pod two[] = {
	    {.name = "p",
	     .uid = "zz",
	     .node = "n",
	     .phase = "Running",
	     .ready = true,
	     .ready_time = now - 3000},
	    {.name = "q",
	     .uid = "aa",
	     .node = "n",
	     .phase = "Running",
	     .ready = true,
	     .ready_time = now - 2500},
	};
	size_t idx[2] = {0, 1};
	dl_rank_pods(two, idx, 2, now);
	ck_assert_str_eq(two[idx[0]].name, "q");

	ck_assert(dl_pod_available(true, 0, 0, now));
	ck_assert(!dl_pod_available(false, now - 100000, 0, now));
	ck_assert(!dl_pod_available(true, now - 10000, 10, now));
	ck_assert(dl_pod_available(true, now - 10001, 10, now));
}
END_TEST

START_TEST(test_hash)
{
	cJSON *a =
	    cJSON_Parse("{\"metadata\":{\"labels\":{\"app\":\"web\",\"tier\":\"fe\"}},"
			"\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1\"}]}}");
	cJSON *b =
	    cJSON_Parse("{\"spec\":{\"containers\":[{\"image\":\"nginx:1\",\"name\":\"c\"}]},"
			"\"metadata\":{\"labels\":{\"tier\":\"fe\",\"app\":\"web\"}}}");
	cJSON *c =
	    cJSON_Parse("{\"metadata\":{\"labels\":{\"app\":\"web\",\"tier\":\"fe\"}},"
			"\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:2\"}]}}");
	/* kubectl's rollback sends Go's zero values: creationTimestamp null. */
	cJSON *n = cJSON_Parse("{\"metadata\":{\"creationTimestamp\":null,\"labels\":{\"app\":"
			       "\"web\",\"tier\":\"fe\",\"pod-template-hash\":\"xyz\"}},"
			       "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1\","
			       "\"env\":[]}]}}");
	ck_assert(cj_template_equal_ignore_hash(a, n));
	ck_assert(!cj_template_equal_ignore_hash(a, c));
	char hn[11];
	cJSON_DeleteItemFromObject(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(n, "metadata"), "labels"), "pod-template-hash");
	dl_template_hash(n, -1, hn);
	cJSON_Delete(n);
	char ha[11], hb[11], hc[11], hcc[11];
	dl_template_hash(a, -1, ha);
	dl_template_hash(b, -1, hb);
	dl_template_hash(c, -1, hc);
	dl_template_hash(a, 1, hcc);
	ck_assert_str_eq(ha, hb);
	ck_assert_str_eq(ha, hn);
	ck_assert_str_ne(ha, hc);
	ck_assert_str_ne(ha, hcc);
	ck_assert_uint_ge(strlen(ha), 1);
	ck_assert_uint_le(strlen(ha), 10);
	ck_assert_uint_eq(strspn(ha, "bcdfghjklmnpqrstvwxz2456789"), strlen(ha));
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
}
END_TEST

static Suite *status_suite(void)
{
	Suite *s = suite_create("sim_deploy_status");
	TCase *tc = tcase_create("status");
	tcase_add_test(tc, test_requeue_stuck);
	tcase_add_test(tc, test_sync_rollout_status);
	tcase_add_test(tc, test_messages);
	tcase_add_test(tc, test_set_condition);
	tcase_add_test(tc, test_rank_pods);
	tcase_add_test(tc, test_hash);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(status_suite());
}
