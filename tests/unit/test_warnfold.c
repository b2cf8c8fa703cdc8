#include "config.h"

#include <stdio.h>
#include <string.h>

#include <check.h>

#include "podscope/warnfold.h"
#include "testutil.h"

/* Warning events folded by reason for the rollout view. */

static struct event ev(const char *reason, const char *uid, int32_t count, int64_t last,
		       const char *msg, bool warning)
{
	return (struct event){.reason = reason, .involved_uid = uid, .count = count, .last = last,
			      .message = msg, .warning = warning};
}

START_TEST(test_fold)
{
	struct event e[] = {
	    ev("Failed", "p1", 3, 1000, "Failed to pull image", true),
	    ev("Failed", "p2", 2, 3000, "Error: ImagePullBackOff", true),
	    ev("BackOff", "p1", 7, 2000, "Back-off pulling image", false), /* Normal */
	    ev("Failed", "p1", 0, 2500, "Error: ErrImagePull", true),      /* count 0 counts 1 */
	    ev("FailedCreate", "rs", 1, 500, "exceeded quota", true),
	    ev(NULL, "p3", 1, 100, "no reason", true),
	};
	const struct event *p[6];
	for (int i = 0; i < 6; i++)
		p[i] = &e[i];
	struct warnfold w[WARNFOLD_MAX];
	size_t n = warnfold(p, 6, w, WARNFOLD_MAX);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(w[0].reason, "Failed");
	ck_assert_int_eq(w[0].count, 6);
	ck_assert_int_eq(w[0].objects, 2);
	ck_assert_int_eq(w[0].last, 3000);
	ck_assert_str_eq(w[0].message, "Error: ImagePullBackOff");
	ck_assert_str_eq(w[1].reason, "FailedCreate");
	ck_assert_str_eq(w[2].reason, "Warning");
	ck_assert_uint_eq(warnfold(p, 6, w, 1), 1);
	ck_assert_str_eq(w[0].reason, "Failed");
	ck_assert_uint_eq(warnfold(p, 0, w, 2), 0);
}
END_TEST

/* Many reasons: the ones heard from last are kept, the counts never wrap. */
START_TEST(test_many)
{
	static struct event e[40];
	static char reasons[40][16];
	const struct event *p[41];
	for (int i = 0; i < 40; i++) {
		snprintf(reasons[i], sizeof(reasons[i]), "R%02d", i);
		e[i] = ev(reasons[i], "x", 1, 1000 + i, "m", true);
		p[i] = &e[i];
	}
	struct event big = ev("R39", "y", 2147483647, 5000, "big", true);
	p[40] = &big;
	struct warnfold w[WARNFOLD_MAX];
	size_t n = warnfold(p, 41, w, 100);
	ck_assert_uint_eq(n, WARNFOLD_MAX);
	ck_assert_str_eq(w[0].reason, "R39");
	ck_assert_int_eq(w[0].count, 2147483648L);
	ck_assert_int_eq(w[0].objects, 2);
	ck_assert_str_eq(w[1].reason, "R38");
	ck_assert_str_eq(w[WARNFOLD_MAX - 1].reason, "R32");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("warnfold");
	TCase *tc = tcase_create("warnfold");
	tcase_add_test(tc, test_fold);
	tcase_add_test(tc, test_many);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
