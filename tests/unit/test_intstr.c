#include "config.h"

#include <stdint.h>
#include <string.h>

#include <check.h>

#include "podscope/intstr.h"
#include "testutil.h"

/* Brace initialisers, so that the tables below stay constant expressions. */
#define I(v) {.type = INTSTR_INT, .ival = (v)}
#define S(s) {.type = INTSTR_STRING, .sval = (s)}
#define NIL {.type = INTSTR_NONE}

/*
 * GetScaledValueFromIntOrPercent. Rows marked TestGetIntFromIntOrPercent
 * restate staging/.../intstr/intstr_test.go; the error texts are Go's.
 */
static const struct {
	struct intstr in;
	int64_t total;
	bool round_up;
	int64_t want;
	const char *err; /* NULL: success */
} scaled_cases[] = {
	{I(123), 0, false, 123, NULL},                 /* TestGetIntFromIntOrPercent */
	{S("90%"), 100, true, 90, NULL},               /* TestGetIntFromIntOrPercent */
	{S("90%"), 95, true, 86, NULL},                /* TestGetIntFromIntOrPercent */
	{S("90%"), 95, false, 85, NULL},               /* TestGetIntFromIntOrPercent */
	{S("%"), 0, false, 0,                          /* TestGetIntFromIntOrPercent */
	 "invalid value for IntOrString: invalid value \"%\": strconv.Atoi: parsing \"\": invalid "
	 "syntax"},
	{S("90#"), 0, false, 0,                        /* TestGetIntFromIntOrPercent */
	 "invalid value for IntOrString: invalid type: string is not a percentage"},
	{S("#%"), 0, false, 0,                         /* TestGetIntFromIntOrPercent */
	 "invalid value for IntOrString: invalid value \"#%\": "
	 "strconv.Atoi: parsing \"#\": invalid syntax"},
	{S("90"), 0, false, 0,                         /* TestGetIntFromIntOrPercent */
	 "invalid value for IntOrString: invalid type: string is not a percentage"},
	{NIL, 0, false, 0, "nil value for IntOrString"}, /* TestGetValueFromIntOrPercentNil */
	/* TestGetIntFromIntOrString (getIntOrPercentValueSafely) through the scaler */
	{S("200"), 100, true, 0,
	 "invalid value for IntOrString: invalid type: string is not a percentage"},
	{S("30%0"), 100, true, 0,
	 "invalid value for IntOrString: invalid type: string is not a percentage"},
	{S("40%"), 100, true, 40, NULL},
	{S("a%"), 100, true, 0,
	 "invalid value for IntOrString: invalid value \"a%\": "
	 "strconv.Atoi: parsing \"a\": invalid syntax"},
	{S("a"), 100, true, 0,
	 "invalid value for IntOrString: invalid type: string is not a percentage"},
	{S("40#"), 100, true, 0,
	 "invalid value for IntOrString: invalid type: string is not a percentage"},
	{S("40%%"), 100, true, 0,
	 "invalid value for IntOrString: invalid value \"40%%\": strconv.Atoi: parsing \"40%\": "
	 "invalid syntax"},
	/* the deployment defaults, both ways of rounding */
	{S("25%"), 10, true, 3, NULL},
	{S("25%"), 10, false, 2, NULL},
	{S("25%"), 1, true, 1, NULL},
	{S("25%"), 1, false, 0, NULL},
	{S("+50%"), 3, false, 1, NULL},
	{S("-50%"), 3, true, -1, NULL},
	/* issue 10: hostile percentages stay honest numbers (int64, saturated) */
	{S("99999999999%"), 3, true, 3000000000, NULL},
	{S("99999999999%"), 7, false, 6999999999, NULL},
	{S("9223372036854775807%"), 1000, true, INT64_MAX, NULL},
	{S("-9223372036854775808%"), 1000, false, INT64_MIN, NULL},
	{S("99999999999999999999%"), 1, true, 0,
	 "invalid value for IntOrString: invalid value \"99999999999999999999%\": strconv.Atoi: "
	 "parsing \"99999999999999999999\": value out of range"},
};

START_TEST(test_scaled)
{
	for (size_t i = 0; i < sizeof(scaled_cases) / sizeof(scaled_cases[0]); i++) {
		struct perr err = {0};
		int64_t got = -999;
		int rc = intstr_scaled_value(&scaled_cases[i].in, scaled_cases[i].total,
					     scaled_cases[i].round_up, &got, &err);
		if (scaled_cases[i].err) {
			ck_assert_msg(rc < 0, "row %zu accepted", i);
			ck_assert_msg(strcmp(perr_msg(&err), scaled_cases[i].err) == 0,
				      "row %zu: got [%s]", i, perr_msg(&err));
		} else {
			ck_assert_msg(rc == 0, "row %zu: %s", i, perr_msg(&err));
			ck_assert_msg(got == scaled_cases[i].want, "row %zu: got %lld want %lld", i,
				      (long long)got, (long long)scaled_cases[i].want);
		}
		perr_clear(&err);
	}
	int64_t v;
	ck_assert_int_eq(intstr_scaled_value(NULL, 10, true, &v, NULL), -1);
}
END_TEST

/* ResolveFenceposts: every row of TestResolveFenceposts (deployment_util_test.go). */
static const struct {
	struct intstr surge, unavail;
	int32_t desired, want_surge, want_unavail;
	bool err;
} fence_cases[] = {
	{S("0%"), S("0%"), 0, 0, 1, false},  /* TestResolveFenceposts */
	{S("39%"), S("39%"), 10, 4, 3, false}, /* TestResolveFenceposts */
	{S("oops"), S("39%"), 10, 0, 0, true}, /* TestResolveFenceposts */
	{S("55%"), S("urg"), 10, 0, 0, true},  /* TestResolveFenceposts */
	{NIL, S("39%"), 10, 0, 3, false},      /* TestResolveFenceposts */
	{S("39%"), NIL, 10, 4, 0, false},      /* TestResolveFenceposts */
	{NIL, NIL, 10, 0, 1, false},           /* TestResolveFenceposts */
	/* the reference's worked example: 10 replicas, 25%/25% */
	{S("25%"), S("25%"), 10, 3, 2, false},
	{I(0), I(0), 3, 0, 1, false},
	{I(2), I(5), 3, 2, 5, false},
	/* issue 10: where Go's int32() wraps, these saturate */
	{S("99999999999%"), S("25%"), 3, INT32_MAX, 0, false},
	{S("25%"), S("99999999999%"), 5, 2, INT32_MAX, false},
	{S("-99999999999%"), S("0%"), 3, INT32_MIN, 0, false},
};

START_TEST(test_fenceposts)
{
	for (size_t i = 0; i < sizeof(fence_cases) / sizeof(fence_cases[0]); i++) {
		struct perr err = {0};
		int32_t s = -1, u = -1;
		int rc = intstr_resolve_fenceposts(&fence_cases[i].surge, &fence_cases[i].unavail,
						   fence_cases[i].desired, &s, &u, &err);
		ck_assert_msg((rc < 0) == fence_cases[i].err, "row %zu: rc %d (%s)", i, rc,
			      perr_msg(&err));
		ck_assert_msg(s == fence_cases[i].want_surge && u == fence_cases[i].want_unavail,
			      "row %zu: got %d:%d want %d:%d", i, s, u, fence_cases[i].want_surge,
			      fence_cases[i].want_unavail);
		perr_clear(&err);
	}
}
END_TEST

#define ROLLING(su, un) {DEPLOY_ROLLING_UPDATE, su, un}
#define RECREATE {.type = DEPLOY_RECREATE}

/* TestMaxUnavailable: maxSurge 1 with the given maxUnavailable. */
static const struct {
	struct deploy_strategy st;
	int32_t replicas, want;
} max_unavail_cases[] = {
	{ROLLING(I(1), I(5)), 10, 5},      /* maxUnavailable less than replicas */
	{ROLLING(I(1), I(10)), 10, 10},    /* maxUnavailable equal replicas */
	{ROLLING(I(1), I(10)), 5, 5},      /* maxUnavailable greater than replicas */
	{ROLLING(I(1), I(10)), 0, 0},      /* maxUnavailable with replicas is 0 */
	{RECREATE, 0, 0},                  /* maxUnavailable with Recreate deployment strategy */
	{ROLLING(I(1), S("50%")), 10, 5},  /* less than replicas with percents */
	{ROLLING(I(1), S("100%")), 10, 10}, /* equal replicas with percents */
	{ROLLING(I(1), S("100%")), 5, 5},  /* greater than replicas with percents */
};

/* TestMinAvailable: maxSurge 1 with the given maxUnavailable. */
static const struct {
	struct deploy_strategy st;
	int32_t replicas, want;
} min_avail_cases[] = {
	{ROLLING(I(1), I(5)), 10, 5},     /* replicas greater than maxUnavailable */
	{ROLLING(I(1), I(10)), 10, 0},    /* replicas equal maxUnavailable */
	{ROLLING(I(1), I(10)), 5, 0},     /* replicas less than maxUnavailable */
	{ROLLING(I(1), I(10)), 0, 0},     /* replicas is 0 */
	{RECREATE, 10, 0},                /* minAvailable with Recreate deployment strategy */
	{ROLLING(I(1), S("60%")), 10, 4}, /* replicas greater than maxUnavailable with percents */
	{ROLLING(I(1), S("100%")), 10, 0}, /* replicas equal maxUnavailable with percents */
	{ROLLING(I(1), S("100%")), 5, 0}, /* replicas less than maxUnavailable with percents */
};

START_TEST(test_max_min)
{
	for (size_t i = 0; i < sizeof(max_unavail_cases) / sizeof(max_unavail_cases[0]); i++) {
		int32_t got = intstr_max_unavailable(&max_unavail_cases[i].st,
						     max_unavail_cases[i].replicas);
		ck_assert_msg(got == max_unavail_cases[i].want, "MaxUnavailable row %zu: got %d", i,
			      got);
	}
	for (size_t i = 0; i < sizeof(min_avail_cases) / sizeof(min_avail_cases[0]); i++) {
		int32_t got =
			intstr_min_available(&min_avail_cases[i].st, min_avail_cases[i].replicas);
		ck_assert_msg(got == min_avail_cases[i].want, "MinAvailable row %zu: got %d", i,
			      got);
	}
	/* MaxSurge: defaults, Recreate, and a broken value (the controller ignores the error). */
	struct deploy_strategy d = ROLLING(S("25%"), S("25%"));
	ck_assert_int_eq(intstr_max_surge(&d, 10), 3);
	ck_assert_int_eq(intstr_max_unavailable(&d, 10), 2);
	ck_assert_int_eq(intstr_min_available(&d, 10), 8);
	ck_assert_int_eq(intstr_max_surge(&(struct deploy_strategy)RECREATE, 10), 0);
	struct deploy_strategy bad = ROLLING(S("x"), S("25%"));
	ck_assert_int_eq(intstr_max_surge(&bad, 10), 0);
	/* issue 10: 99999999999% showed as -705032703 and the like; never wrapped now. */
	struct deploy_strategy huge = ROLLING(S("99999999999%"), S("99999999999%"));
	for (int32_t r = 1; r <= 100; r++) {
		ck_assert_int_eq(intstr_max_surge(&huge, r), r <= 2 ? r * 1000000000 : INT32_MAX);
		ck_assert_int_eq(intstr_max_unavailable(&huge, r), r);
		ck_assert_int_eq(intstr_min_available(&huge, r), 0);
	}
	ck_assert_int_eq(intstr_max_surge(&huge, INT32_MAX), INT32_MAX);
}
END_TEST

/*
 * TestNewRSNewReplicas: the other RS (rs5) has 5 replicas and is the only
 * one counted in allRSs; maxUnavailable 1, maxSurge as given.
 */
static const struct {
	const char *name;
	uint8_t type;
	int32_t dep_replicas, new_rs_replicas, max_surge, want;
} new_rs_cases[] = {
	{"can not scale up - to newRSReplicas", DEPLOY_ROLLING_UPDATE, 1, 5, 1, 5},
	{"scale up - to depReplicas", DEPLOY_ROLLING_UPDATE, 6, 2, 10, 6},
	{"recreate - to depReplicas", DEPLOY_RECREATE, 3, 1, 1, 3},
};

START_TEST(test_new_rs_new_replicas)
{
	for (size_t i = 0; i < sizeof(new_rs_cases) / sizeof(new_rs_cases[0]); i++) {
		struct deploy_strategy st = {new_rs_cases[i].type, I(new_rs_cases[i].max_surge),
					     I(1)};
		struct perr err = {0};
		int32_t got = -1;
		ck_assert_int_eq(intstr_new_rs_new_replicas(&st, new_rs_cases[i].dep_replicas, 5,
							    new_rs_cases[i].new_rs_replicas, &got,
							    &err),
				 0);
		ck_assert_msg(got == new_rs_cases[i].want, "%s: got %d", new_rs_cases[i].name, got);
	}
	/* The reference's worked example: the new RS of a 10-replica 25%/25% rollout. */
	struct deploy_strategy st = ROLLING(S("25%"), S("25%"));
	int32_t got;
	ck_assert_int_eq(intstr_new_rs_new_replicas(&st, 10, 10, 0, &got, NULL), 0);
	ck_assert_int_eq(got, 3);
	ck_assert_int_eq(intstr_new_rs_new_replicas(&st, 10, 11, 3, &got, NULL), 0);
	ck_assert_int_eq(got, 5);
	struct deploy_strategy other = {.type = DEPLOY_STRATEGY_OTHER};
	struct perr err = {0};
	ck_assert_int_eq(intstr_new_rs_new_replicas(&other, 3, 0, 0, &got, &err), -1);
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "isn't supported"));
	perr_clear(&err);
	/* Past int32: saturated, where Go's int32() would wrap and never scale up. */
	struct deploy_strategy huge = ROLLING(S("99999999999%"), S("25%"));
	ck_assert_int_eq(intstr_new_rs_new_replicas(&huge, 3, 0, 0, &got, NULL), 0);
	ck_assert_int_eq(got, 3);
	struct deploy_strategy max = ROLLING(I(INT32_MAX), I(0));
	ck_assert_int_eq(intstr_new_rs_new_replicas(&max, INT32_MAX, 0, 0, &got, NULL), 0);
	ck_assert_int_eq(got, INT32_MAX);
	struct deploy_strategy nil = ROLLING(NIL, I(1));
	ck_assert_int_eq(intstr_new_rs_new_replicas(&nil, 3, 0, 0, &got, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "nil value for IntOrString");
	perr_clear(&err);
}
END_TEST

/*
 * TestGetReplicaSetFraction: maxUnavailable 1, maxSurge as given; annot is
 * the RS's max-replicas annotation (NULL: none).
 */
static const struct {
	const char *name;
	int32_t d_replicas, d_status_replicas, max_surge, rs_replicas;
	const char *annot;
	int32_t want;
} fraction_cases[] = {
	{"empty deployment always scales to 0", 0, 0, 0, 10, NULL, -10},
	{"unsynced deployment does not scale when max-replicas annotation is missing", 10, 0, 0, 5,
	 NULL, 0},
	{"unsynced deployment does not scale when max-replicas annotation is 0", 10, 0, 0, 5, "0",
	 0},
	{"scale up by 1/5 when max-replicas annotation is missing", 120, 100, 0, 50, NULL, 10},
	{"scale up by 1/5 when max-replicas annotation is 0", 120, 100, 0, 50, "0", 10},
	{"scale up by 1/5 should increase RS replicas by 1/5", 120, 0, 0, 50, "100", 10},
	{"scale up with maxSurge by 1/5", 120, 0, 10, 50, "110", 9},
	{"scale down by 1/6 should decrease RS replicas by 1/6", 10, 0, 0, 6, "12", -1},
	{"scale down with maxSurge by 1/6", 100, 0, 10, 50, "130", -8},
	/* not upstream: an invalid annotation falls back like a missing one */
	{"invalid annotation", 120, 100, 0, 50, "x", 10},
};

START_TEST(test_fraction)
{
	for (size_t i = 0; i < sizeof(fraction_cases) / sizeof(fraction_cases[0]); i++) {
		struct deploy_strategy st = ROLLING(I(fraction_cases[i].max_surge), I(1));
		int32_t got = intstr_rs_fraction(fraction_cases[i].rs_replicas,
						 fraction_cases[i].annot, &st,
						 fraction_cases[i].d_replicas,
						 fraction_cases[i].d_status_replicas);
		ck_assert_msg(got == fraction_cases[i].want, "%s: got %d want %d",
			      fraction_cases[i].name, got, fraction_cases[i].want);
	}
}
END_TEST

START_TEST(test_proportion)
{
	struct deploy_strategy st = ROLLING(I(0), I(1));
	/* GetProportion's guards */
	ck_assert_int_eq(intstr_proportion(0, "100", &st, 120, 0, 20, 0), 0);
	ck_assert_int_eq(intstr_proportion(50, "100", &st, 120, 0, 0, 0), 0);
	ck_assert_int_eq(intstr_proportion(50, "100", &st, 120, 0, 20, 20), 0);
	/* scaling up: min(fraction 10, allowed) */
	ck_assert_int_eq(intstr_proportion(50, "100", &st, 120, 0, 20, 0), 10);
	ck_assert_int_eq(intstr_proportion(50, "100", &st, 120, 0, 20, 15), 5);
	/* scaling down: max(fraction -1, allowed) */
	ck_assert_int_eq(intstr_proportion(6, "12", &st, 10, 0, -2, 0), -1);
	ck_assert_int_eq(intstr_proportion(6, "12", &st, 10, 0, -2, -2), 0);
	ck_assert_int_eq(intstr_proportion(50, "130", &st, 100, 0, -30, -25), -5);
	/* RoundToInt32: half away from zero */
	ck_assert_int_eq(intstr_round_to_int32(2.5), 3);
	ck_assert_int_eq(intstr_round_to_int32(-2.5), -3);
	ck_assert_int_eq(intstr_round_to_int32(2.49), 2);
	ck_assert_int_eq(intstr_round_to_int32(-2.49), -2);
	ck_assert_int_eq(intstr_round_to_int32(0.0), 0);
}
END_TEST

/* TestGetNonNegativeInt32FromAnnotation */
static const struct {
	const char *in;
	int32_t want;
	const char *err; /* substring */
} nonneg_cases[] = {
	{"invalid", 0, "invalid syntax"},
	{"-1", 0, "invalid syntax"},
	{"0", 0, NULL},
	{"13", 13, NULL},
	{"2147483647", INT32_MAX, NULL},
	{"2147483648", 0, "out of range"},
	{"4294967296", 0, "out of range"},
	{"", 0, "invalid syntax"},
};

START_TEST(test_nonneg)
{
	for (size_t i = 0; i < sizeof(nonneg_cases) / sizeof(nonneg_cases[0]); i++) {
		struct perr err = {0};
		int32_t got = -5;
		int rc = intstr_parse_nonneg_int32(nonneg_cases[i].in, &got, &err);
		ck_assert_msg(got == nonneg_cases[i].want, "row %zu: got %d", i, got);
		if (nonneg_cases[i].err) {
			ck_assert_int_eq(rc, -1);
			ck_assert_msg(strstr(perr_msg(&err), nonneg_cases[i].err) != NULL,
				      "row %zu: %s", i, perr_msg(&err));
		} else {
			ck_assert_int_eq(rc, 0);
		}
		perr_clear(&err);
	}
}
END_TEST

static Suite *intstr_suite(void)
{
	Suite *s = suite_create("intstr");
	TCase *tc = tcase_create("intstr");
	tcase_add_test(tc, test_scaled);
	tcase_add_test(tc, test_fenceposts);
	tcase_add_test(tc, test_max_min);
	tcase_add_test(tc, test_new_rs_new_replicas);
	tcase_add_test(tc, test_fraction);
	tcase_add_test(tc, test_proportion);
	tcase_add_test(tc, test_nonneg);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(intstr_suite());
}
