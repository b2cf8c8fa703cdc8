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
 * The deployment controller's scaling decisions, with Kubernetes' own test
 * tables restated as data (pkg/controller/deployment rolling_test.go,
 * sync_test.go).
 */

/* --- rolling_test.go ---------------------------------------------------------- */

static const struct {
	int32_t d, surge, old, nw;
	bool scale;
	int32_t want;
} new_rows[] = {
    {10, 0, 10, 0, false, 0}, /* should not scale up */
    {10, 2, 10, 0, true, 2},  {10, 2, 5, 0, true, 7},
    {10, 2, 10, 2, false, 0}, {10, 2, 2, 11, true, 10}, /* should scale down */
};

START_TEST(test_reconcile_new)
{
	for (size_t i = 0; i < sizeof(new_rows) / sizeof(new_rows[0]); i++) {
		struct dl_deployment d = mkdep(new_rows[i].d, new_rows[i].surge, 0);
		struct dl_rs rs[2] = {mkrs("foo-v2", new_rows[i].nw, T0),
				      mkrs("foo-v1", new_rows[i].old, T0)};
		struct dl_ops ops = {0};
		bool scaled = dl_reconcile_new(&d, rs, 2, 0, &ops);
		ck_assert_msg(scaled == new_rows[i].scale, "row %zu", i);
		if (scaled) {
			ck_assert_uint_eq(ops.n, 1);
			ck_assert_int_eq(ops.v[0].to, new_rows[i].want);
			ck_assert_int_eq(rs[0].spec, new_rows[i].want);
		} else {
			ck_assert_uint_eq(ops.n, 0);
		}
		dl_ops_free(&ops);
	}
}
END_TEST

static const struct {
	int32_t d, unavail, old, nw, ready_old, ready_new;
	bool scale;
	int32_t want_old;
} old_rows[] = {
    {10, 0, 10, 0, 10, 0, true, 9}, /* both 0: one may be unavailable */
    {10, 2, 10, 0, 10, 0, true, 8},
    {10, 2, 10, 0, 8, 0, true, 8}, /* unhealthy old replicas cleaned up */
    {10, 2, 10, 0, 9, 0, true, 8}, /* 1 unhealthy cleaned up, 1 ready scaled down */
    {10, 2, 8, 2, 8, 0, false, 8}, /* the new RS's unavailable pods hold it */
};

START_TEST(test_reconcile_old)
{
	for (size_t i = 0; i < sizeof(old_rows) / sizeof(old_rows[0]); i++) {
		struct dl_deployment d = mkdep(old_rows[i].d, 0, old_rows[i].unavail);
		struct dl_rs rs[2] = {mkrs("foo-old", old_rows[i].old, T0),
				      mkrs("foo-new", old_rows[i].nw, T0)};
		rs[0].available = old_rows[i].ready_old;
		rs[1].available = old_rows[i].ready_new;
		struct dl_ops ops = {0};
		bool scaled = dl_reconcile_old(&d, rs, 2, 1, &ops);
		ck_assert_msg(scaled == old_rows[i].scale, "row %zu", i);
		ck_assert_msg(rs[0].spec == old_rows[i].want_old, "row %zu: old %d", i, rs[0].spec);
		ck_assert_int_eq(rs[1].spec, old_rows[i].nw);
		dl_ops_free(&ops);
	}
}
END_TEST

static const struct {
	int32_t old, ready, max, want;
} unhealthy_rows[] = {
    {10, 8, 1, 1},
    {10, 8, 3, 2},
    {10, 8, 0, 0},
    {10, 10, 3, 0},
};

START_TEST(test_cleanup_unhealthy)
{
	for (size_t i = 0; i < sizeof(unhealthy_rows) / sizeof(unhealthy_rows[0]); i++) {
		struct dl_rs rs[1] = {mkrs("foo-v2", unhealthy_rows[i].old, T0)};
		rs[0].available = unhealthy_rows[i].ready;
		size_t old[1] = {0};
		struct dl_ops ops = {0};
		int32_t n = dl_cleanup_unhealthy(rs, old, 1, unhealthy_rows[i].max, &ops);
		ck_assert_msg(n == unhealthy_rows[i].want, "row %zu: %d", i, n);
		ck_assert_int_eq(rs[0].spec, unhealthy_rows[i].old - n);
		dl_ops_free(&ops);
	}
}
END_TEST

static const struct {
	int32_t d, unavail, ready, old;
	bool scale;
	int32_t want;
} down_rows[] = {
    {10, 0, 10, 10, true, 9}, {10, 2, 10, 10, true, 8},  {10, 2, 8, 10, false, 10},
    {10, 2, 10, 0, false, 0}, {10, 2, 1, 10, false, 10},
};

START_TEST(test_scale_down_old_rolling)
{
	for (size_t i = 0; i < sizeof(down_rows) / sizeof(down_rows[0]); i++) {
		struct dl_deployment d = mkdep(down_rows[i].d, 0, down_rows[i].unavail);
		struct dl_rs rs[1] = {mkrs("foo-v2", down_rows[i].old, T0)};
		rs[0].available = down_rows[i].ready;
		size_t all[1] = {0}, old[1] = {0};
		struct dl_ops ops = {0};
		int32_t n = dl_scale_down_old_rolling(&d, rs, all, 1, old, 1, &ops);
		ck_assert_msg((n > 0) == down_rows[i].scale, "row %zu", i);
		ck_assert_msg(rs[0].spec == down_rows[i].want, "row %zu: %d", i, rs[0].spec);
		ck_assert_uint_eq(ops.n, n > 0 ? 1 : 0);
		dl_ops_free(&ops);
	}
}
END_TEST

/* --- sync_test.go TestScale ------------------------------------------------------ */

struct scale_row {
	const char *name;
	int32_t d, d_surge, d_unavail; /* the deployment now */
	int32_t was, was_surge;        /* oldDeployment: the annotations' values */
	int32_t nw;                    /* new RS spec, -1: no new RS */
	int32_t nw_avail;              /* -1: = spec */
	int32_t old[2];                /* old RS specs (-1: none), newer first */
	int32_t want_new;
	int32_t want_old[2];
	const char *desired_override; /* desired-replicas annotation of old[0], or NULL */
};

static const struct scale_row scale_rows[] = {
    {"normal scaling event: 10 -> 12", 12, 0, 0, 10, 0, 10, -1, {-1, -1}, 12, {-1, -1}, NULL},
    {"normal scaling event: 10 -> 5", 5, 0, 0, 10, 0, 10, -1, {-1, -1}, 5, {-1, -1}, NULL},
    {"proportional scaling: 5 -> 10", 10, 0, 0, 5, 0, 2, -1, {3, -1}, 4, {6, -1}, NULL},
    {"proportional scaling: 5 -> 3", 3, 0, 0, 5, 0, 2, -1, {3, -1}, 1, {2, -1}, NULL},
    {"proportional scaling: 9 -> 4", 4, 0, 0, 9, 0, 8, -1, {1, -1}, 4, {0, -1}, NULL},
    {"proportional scaling: 7 -> 10", 10, 0, 0, 7, 0, 2, -1, {3, 2}, 3, {4, 3}, NULL},
    {"proportional scaling: 13 -> 8", 8, 0, 0, 13, 0, 2, -1, {8, 3}, 1, {5, 2}, NULL},
    {"leftover distribution: 3 -> 4", 4, 0, 0, 3, 0, 1, -1, {1, 1}, 2, {1, 1}, NULL},
    {"leftover distribution: 3 -> 2", 2, 0, 0, 3, 0, 1, -1, {1, 1}, 1, {1, 0}, NULL},
    {"proportional scaling (no new rs): 4 -> 5", 5, 0, 0, 4, 0, -1, -1, {2, 2}, -1, {3, 2}, NULL},
    {"proportional scaling: 6 -> 0", 0, 0, 0, 6, 0, 3, -1, {2, 1}, 0, {0, 0}, NULL},
    {"proportional scaling: 0 -> 6", 6, 0, 0, 6, 0, 0, -1, {0, 0}, 6, {0, 0}, NULL},
    /* "failed rs update": foo-v2's update is the one that goes through */
    {"failed rs update", 5, 0, 0, 5, 0, 2, -1, {1, 1}, 2, {2, 1}, "3"},
    {"deployment with surge pods", 20, 2, 0, 10, 2, 6, -1, {6, -1}, 11, {11, -1}, NULL},
    {"change both surge and size", 50, 6, 0, 10, 3, 5, -1, {8, -1}, 22, {34, -1}, NULL},
    {"saturated but broken new replica set does not affect old pods",
     2,
     1,
     1,
     2,
     1,
     2,
     0,
     {1, -1},
     2,
     {1, -1},
     NULL},
};

START_TEST(test_scale)
{
	for (size_t i = 0; i < sizeof(scale_rows) / sizeof(scale_rows[0]); i++) {
		const struct scale_row *r = &scale_rows[i];
		struct dl_deployment d = mkdep(r->d, r->d_surge, r->d_unavail);
		struct dl_deployment was = mkdep(r->was, r->was_surge, 0);
		char desired[16], max[16], dover[16];
		snprintf(desired, sizeof(desired), "%d", r->was);
		snprintf(max, sizeof(max), "%d", dl_max_replicas(&was));
		struct dl_rs rs[3];
		size_t n = 0, nw = DL_NONE;
		if (r->nw >= 0) {
			rs[n] = mkrs("foo-v3", r->nw, T0);
			if (r->nw_avail >= 0)
				rs[n].available = r->nw_avail;
			nw = n++;
		}
		size_t first_old = n;
		for (int k = 0; k < 2; k++)
			if (r->old[k] >= 0)
				rs[n++] = mkrs(k == 0 ? "foo-v2" : "foo-v1", r->old[k],
					       T0 - (k + 1) * HOUR);
		for (size_t k = 0; k < n; k++) {
			rs[k].desired_annot = desired;
			rs[k].max_annot = max;
		}
		if (r->desired_override) {
			/* SetReplicasAnnotations(rs, 3, 3 + MaxSurge(old)) */
			snprintf(dover, sizeof(dover), "%s", r->desired_override);
			rs[first_old].desired_annot = dover;
			rs[first_old].max_annot = dover;
		}
		struct dl_ops ops = {0};
		dl_scale(&d, rs, n, nw, &ops);
		if (nw != DL_NONE)
			ck_assert_msg(rs[nw].spec == r->want_new, "%s: new %d", r->name,
				      rs[nw].spec);
		for (int k = 0; k < 2; k++)
			if (r->old[k] >= 0)
				ck_assert_msg(rs[first_old + k].spec == r->want_old[k],
					      "%s: old[%d] %d", r->name, k, rs[first_old + k].spec);
		dl_ops_free(&ops);
	}
}
END_TEST

/* The events' words and the annotation-only updates of proportional scaling. */
START_TEST(test_scale_ops)
{
	struct dl_deployment d = mkdep(10, 0, 0);
	struct dl_rs rs[2] = {mkrs("foo-v2", 2, T0), mkrs("foo-v1", 3, T0 - HOUR)};
	rs[0].desired_annot = rs[1].desired_annot = "5";
	rs[0].max_annot = rs[1].max_annot = "5";
	struct dl_ops ops = {0};
	dl_scale(&d, rs, 2, 0, &ops);
	ck_assert_uint_eq(ops.n, 2);
	ck_assert_str_eq(ops.v[0].dir, "up");
	ck_assert_int_eq(ops.v[0].from, 3); /* the larger first */
	ck_assert_int_eq(ops.v[0].to, 6);
	dl_ops_free(&ops);

	/* A scaling event that changes no size still refreshes the annotations. */
	struct dl_deployment d3 = mkdep(3, 0, 0);
	struct dl_rs r3[2] = {mkrs("a", 2, T0), mkrs("b", 1, T0 - HOUR)};
	r3[0].desired_annot = r3[1].desired_annot = "5";
	r3[0].max_annot = r3[1].max_annot = "3";
	dl_scale(&d3, r3, 2, 0, &ops);
	ck_assert_uint_eq(ops.n, 2);
	ck_assert_int_eq(ops.v[0].from, ops.v[0].to);
	dl_ops_free(&ops);
	ck_assert(dl_is_scaling_event(&d3, r3, 2));
	r3[0].desired_annot = r3[1].desired_annot = "3";
	ck_assert(!dl_is_scaling_event(&d3, r3, 2));
}
END_TEST

START_TEST(test_recreate)
{
	struct dl_rs rs[3] = {mkrs("new", 0, T0), mkrs("a", 3, T0 - HOUR),
			      mkrs("b", 0, T0 - 2 * HOUR)};
	struct dl_ops ops = {0};
	ck_assert(dl_scale_down_old_recreate(rs, 3, 0, &ops));
	ck_assert_uint_eq(ops.n, 1);
	ck_assert_str_eq(ops.v[0].dir, "down");
	ck_assert_int_eq(rs[1].spec, 0);
	ck_assert(!dl_scale_down_old_recreate(rs, 3, 0, &ops));
	dl_ops_free(&ops);
}
END_TEST

/* --- sync_test.go TestDeploymentController_cleanupDeployment ------------------- */

START_TEST(test_cleanup)
{
	static const struct {
		int32_t spec[4], status[4];
		size_t n;
		bool deleting;
		int32_t limit;
		size_t want;
	} rows[] = {
	    {{0, 0, 0}, {0, 0, 0}, 3, false, 1, 2},
	    {{0, 0, 1, 1}, {0, 1, 0, 1}, 4, false, 0, 1}, /* only spec = status = 0 */
	    {{0, 0}, {0, 0}, 2, false, 0, 2},
	    {{1, 1}, {1, 1}, 2, false, 0, 0},
	    {{0}, {0}, 1, true, 0, 0}, /* already being deleted */
	    {{0, 0, 0}, {0, 0, 0}, 3, false, INT32_MAX, 0},
	};
	static const char *names[] = {"foo-1", "foo-2", "foo-3", "foo-4"};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct dl_rs rs[4];
		size_t out[4];
		for (size_t k = 0; k < rows[i].n; k++) {
			rs[k] = mkrs(names[k], rows[i].spec[k], 0);
			rs[k].replicas = rows[i].status[k];
			rs[k].deleting = rows[i].deleting;
		}
		size_t got = dl_cleanup_victims(rows[i].limit, rs, rows[i].n, DL_NONE, out);
		ck_assert_msg(got == rows[i].want, "row %zu: %zu", i, got);
	}
	/* Oldest revision first; a missing annotation is revision 0. */
	struct dl_rs rs[3] = {mkrs("x", 0, T0), mkrs("y", 0, T0 - HOUR), mkrs("z", 0, T0)};
	rs[0].revision = 1;
	rs[1].revision = 5;
	rs[2].revision = 0;
	size_t out[3];
	ck_assert_uint_eq(dl_cleanup_victims(1, rs, 3, DL_NONE, out), 2);
	ck_assert_str_eq(rs[out[0]].name, "z");
	ck_assert_str_eq(rs[out[1]].name, "x");
	/* The new RS is never a candidate; a skipped RS is not replaced. */
	rs[2].spec = 1;
	ck_assert_uint_eq(dl_cleanup_victims(1, rs, 3, 1, out), 0);
	ck_assert_uint_eq(dl_cleanup_victims(0, rs, 3, 1, out), 1);
	ck_assert_str_eq(rs[out[0]].name, "x");
}
END_TEST

static Suite *deploy_suite(void)
{
	Suite *s = suite_create("sim_deploy");
	TCase *tc = tcase_create("scaling");
	tcase_add_test(tc, test_reconcile_new);
	tcase_add_test(tc, test_reconcile_old);
	tcase_add_test(tc, test_cleanup_unhealthy);
	tcase_add_test(tc, test_scale_down_old_rolling);
	tcase_add_test(tc, test_scale);
	tcase_add_test(tc, test_scale_ops);
	tcase_add_test(tc, test_recreate);
	tcase_add_test(tc, test_cleanup);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(deploy_suite());
}
