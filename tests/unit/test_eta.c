#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "podscope/eta.h"
#include "podscope/generations.h"

/* The rollout ETA: the estimate from observations, its words, and a
 * Deployment's pods read into it. */

#define S 1000 /* ms */

static void text(const struct eta *e, const char *want)
{
	char buf[64];
	eta_format(e, buf, sizeof(buf));
	ck_assert_str_eq(buf, want);
}

START_TEST(unknown_without_observations)
{
	int64_t age[] = {5 * S};
	struct eta_input in = {.inflight_age = age, .n_inflight = 1, .to_create = 4, .width = 2,
			       .now_ms = 100 * S, .last_move_ms = 95 * S};
	struct eta e;
	eta_estimate(&in, &e);
	ck_assert_int_eq(e.state, ETA_UNKNOWN);
	ck_assert_int_eq(e.pods_left, 5);
	text(&e, "unknown");
	ck_assert_str_eq(eta_state_name(&e), "unknown");
}
END_TEST

/* Steady 30 s pods, 2 at a time: one pod 10 s into its start and 4 to
 * create (2 waves). The true time left is 20 + 2*30 = 80 s; the range
 * holds it and is not a point. */
START_TEST(steady_waves)
{
	int64_t done[] = {30 * S, 30 * S, 30 * S}, age[] = {10 * S};
	struct eta_input in = {.new_avail = done, .n_new = 3, .inflight_age = age,
			       .n_inflight = 1, .to_create = 4, .width = 2,
			       .now_ms = 1000 * S, .last_move_ms = 990 * S};
	struct eta e;
	eta_estimate(&in, &e);
	ck_assert_int_eq(e.state, ETA_RANGE);
	ck_assert_int_eq(e.samples, 3);
	ck_assert_int_eq(e.samples_new, 3);
	ck_assert_int_le(e.low_ms, 80 * S);
	ck_assert_int_ge(e.high_ms, 80 * S);
	ck_assert_int_lt(e.low_ms, e.high_ms);
	ck_assert_int_le(e.high_ms, 120 * S);
	text(&e, "about 1-2 min");
}
END_TEST

/* With fewer than three of its own, earlier rollouts' times count too;
 * with three or more, only this rollout's. */
START_TEST(earlier_rollouts)
{
	int64_t mine[] = {10 * S}, old[] = {100 * S, 100 * S};
	struct eta_input in = {.new_avail = mine, .n_new = 1, .old_avail = old, .n_old = 2,
			       .to_create = 1, .width = 1, .now_ms = 500 * S};
	struct eta e;
	eta_estimate(&in, &e);
	ck_assert_int_eq(e.samples, 3);
	ck_assert_int_eq(e.samples_new, 1);
	ck_assert_int_ge(e.high_ms, 100 * S);
	int64_t mine3[] = {10 * S, 10 * S, 10 * S};
	in.new_avail = mine3;
	in.n_new = 3;
	eta_estimate(&in, &e);
	ck_assert_int_eq(e.samples, 3);
	ck_assert_int_lt(e.high_ms, 20 * S);
	/* Nothing observed in this rollout: the earlier ones alone. */
	in.n_new = 0;
	eta_estimate(&in, &e);
	ck_assert_int_eq(e.state, ETA_RANGE);
	ck_assert_int_eq(e.samples_new, 0);
	ck_assert_int_ge(e.high_ms, 100 * S);
}
END_TEST

/* Nothing moved for over twice the slowest time (and over a minute). */
START_TEST(stalled)
{
	int64_t done[] = {20 * S}, age[] = {200 * S};
	struct eta_input in = {.new_avail = done, .n_new = 1, .inflight_age = age,
			       .n_inflight = 1, .width = 1, .now_ms = 1000 * S,
			       .last_move_ms = 800 * S};
	struct eta e;
	eta_estimate(&in, &e);
	ck_assert_int_eq(e.state, ETA_STALLED);
	ck_assert_int_eq(e.idle_ms, 200 * S);
	text(&e, "stalled");
	/* 50 s idle is within a minute: a pod slower than any seen gets
	 * another half of the slowest time. */
	in.last_move_ms = 950 * S;
	in.inflight_age = (int64_t[]){50 * S};
	eta_estimate(&in, &e);
	ck_assert_int_eq(e.state, ETA_RANGE);
	ck_assert_int_eq(e.low_ms, 0);
	ck_assert_int_gt(e.high_ms, 0);
}
END_TEST

START_TEST(nothing_left)
{
	struct eta_input in = {.width = 1, .now_ms = 10 * S};
	struct eta e;
	eta_estimate(&in, &e);
	ck_assert_int_eq(e.state, ETA_RANGE);
	ck_assert_int_eq(e.pods_left, 0);
	text(&e, "under 10 s");
}
END_TEST

/* Huge counts saturate instead of overflowing. */
START_TEST(hostile_counts)
{
	int64_t done[] = {INT64_MAX / 2, -5};
	struct eta_input in = {.new_avail = done, .n_new = 2, .to_create = INT32_MAX,
			       .width = 0, .now_ms = 1};
	struct eta e;
	eta_estimate(&in, &e);
	ck_assert_int_eq(e.state, ETA_RANGE);
	ck_assert_int_eq(e.samples, 1);
	ck_assert_int_ge(e.high_ms, e.low_ms);
	ck_assert_int_le(e.high_ms, (int64_t)1000 * 1000 * 1000);
	char buf[64];
	eta_format(&e, buf, sizeof(buf));
	ck_assert_int_gt((int)strlen(buf), 0);
}
END_TEST

START_TEST(words)
{
	struct eta e = {.state = ETA_RANGE};
	e.low_ms = 20 * S, e.high_ms = 41 * S;
	text(&e, "about 20-45 s");
	e.low_ms = 0, e.high_ms = 30 * S;
	text(&e, "under 30 s");
	e.low_ms = 125 * S, e.high_ms = 170 * S;
	text(&e, "about 2-3 min");
	e.low_ms = 120 * S, e.high_ms = 120 * S;
	text(&e, "about 2 min");
	e.low_ms = 3 * 3600 * S, e.high_ms = 5 * 3600 * S;
	text(&e, "about 3-5 h");
	e.state = ETA_NONE;
	text(&e, "");
	ck_assert_str_eq(eta_state_name(&e), "none");
}
END_TEST

/* A Deployment of 4 replicas, maxSurge 1, maxUnavailable 1, half rolled:
 * two new pods available after 30 s each, one in flight for 10 s, one old
 * pod left (made 40 s to become ready in the earlier rollout). */
static struct pod_condition ready_at(int64_t t)
{
	return (struct pod_condition){.type = "Ready", .status = MODEL_COND_TRUE,
				      .last_transition = t};
}

START_TEST(deployment_half_rolled)
{
	const int64_t now = 1000 * S;
	struct deployment d = {.namespace = "shop", .name = "web", .uid = "d1", .revision = "2",
			       .generation = 2, .observed_generation = 2, .spec_replicas = 4,
			       .has_spec_replicas = 1, .progress_deadline_seconds = 600,
			       .replicas = 5, .updated_replicas = 3, .ready_replicas = 3,
			       .available_replicas = 3, .unavailable_replicas = 1};
	d.strategy.type = DEPLOY_ROLLING_UPDATE;
	d.strategy.max_surge = (struct intstr){.type = INTSTR_INT, .ival = 1};
	d.strategy.max_unavailable = (struct intstr){.type = INTSTR_INT, .ival = 1};
	struct owner_ref od = {.kind = "Deployment", .name = "web", .uid = "d1", .controller = 1};
	struct replicaset rs_old = {.namespace = "shop", .name = "web-1", .uid = "rs1",
				    .owner_uid = "d1", .revision = "1", .created = 100 * S,
				    .owners = &od, .n_owners = 1};
	struct replicaset rs_new = {.namespace = "shop", .name = "web-2", .uid = "rs2",
				    .owner_uid = "d1", .revision = "2", .created = 900 * S,
				    .owners = &od, .n_owners = 1};
	const struct replicaset *rss[] = {&rs_old, &rs_new};
	struct generations g;
	generations_build(&d, rss, 2, &g);
	ck_assert_ptr_nonnull(generations_new(&g));

	struct owner_ref o_old = {.kind = "ReplicaSet", .name = "web-1", .uid = "rs1", .controller = 1};
	struct owner_ref o_new = {.kind = "ReplicaSet", .name = "web-2", .uid = "rs2", .controller = 1};
	struct pod_condition c_old = ready_at(140 * S), c_n1 = ready_at(930 * S),
			     c_n2 = ready_at(960 * S);
	struct pod p_old = {.name = "web-1-a", .created = 100 * S, .conditions = &c_old,
			    .n_conditions = 1, .owners = &o_old, .n_owners = 1};
	struct pod n1 = {.name = "web-2-a", .created = 900 * S, .conditions = &c_n1,
			 .n_conditions = 1, .owners = &o_new, .n_owners = 1};
	struct pod n2 = {.name = "web-2-b", .created = 930 * S, .conditions = &c_n2,
			 .n_conditions = 1, .owners = &o_new, .n_owners = 1};
	struct pod n3 = {.name = "web-2-c", .created = 990 * S, .owners = &o_new, .n_owners = 1};
	struct pod gone = {.name = "web-1-b", .created = 100 * S, .deleted = 990 * S,
			   .owners = &o_old, .n_owners = 1};
	struct pod other = {.name = "x", .created = 10 * S, .conditions = &c_old,
			    .n_conditions = 1};
	const struct pod *pods[] = {&p_old, &n1, &n2, &n3, &gone, &other};
	struct eta e;
	eta_deployment(&g, pods, 6, now, &e);
	ck_assert_int_eq(e.state, ETA_RANGE);
	ck_assert_int_eq(e.pods_left, 2);  /* n3 and one to create */
	/* two of its own, fewer than three, so the earlier pod's too */
	ck_assert_int_eq(e.samples, 3);
	ck_assert_int_eq(e.samples_new, 2);
	/* True end if timings hold: n3 at 1020 s, and the last pod made now
	 * (width 2 allows it) ready at 1030 s. */
	ck_assert_int_le(e.low_ms, 30 * S);
	ck_assert_int_ge(e.high_ms, 30 * S);

	/* A minReadySeconds that has not passed keeps n2 in flight. */
	d.min_ready_seconds = 45;
	eta_deployment(&g, pods, 6, now, &e);
	ck_assert_int_eq(e.pods_left, 3);

	/* Rolled out: nothing to estimate. */
	generations_free(&g);
	d.min_ready_seconds = 0;
	d.replicas = 4, d.updated_replicas = 4, d.available_replicas = 4, d.ready_replicas = 4;
	d.unavailable_replicas = 0;
	generations_build(&d, rss, 2, &g);
	eta_deployment(&g, pods, 6, now, &e);
	ck_assert_int_eq(e.state, ETA_NONE);
	generations_free(&g);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("eta");
	TCase *tc = tcase_create("eta");
	tcase_add_test(tc, unknown_without_observations);
	tcase_add_test(tc, steady_waves);
	tcase_add_test(tc, earlier_rollouts);
	tcase_add_test(tc, stalled);
	tcase_add_test(tc, nothing_left);
	tcase_add_test(tc, hostile_counts);
	tcase_add_test(tc, words);
	tcase_add_test(tc, deployment_half_rolled);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
