#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "podscope/duration.h"
#include "podscope/strfmt.h"
#include "testutil.h"

#define SEC INT64_C(1000)
#define MIN (60 * SEC)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

/* HumanDuration: each branch and its edges, plus upstream TestTranslateTimestampSince. */
static const struct {
	int64_t ms;
	const char *want;
} human_cases[] = {
	{0, "0s"},
	{1 * SEC, "1s"},
	{70 * SEC, "70s"},
	{119 * SEC + 999, "119s"},
	{120 * SEC, "2m"},
	{190 * SEC, "3m10s"},
	{599 * SEC, "9m59s"},
	{600 * SEC, "10m"},
	{70 * MIN, "70m"},
	{179 * MIN + 59 * SEC, "179m"},
	{180 * MIN, "3h"},
	{3 * HOUR + 4 * MIN, "3h4m"},
	{7 * HOUR + 59 * MIN, "7h59m"},
	{8 * HOUR, "8h"},
	{47 * HOUR, "47h"},
	{48 * HOUR, "2d"},
	{49 * HOUR, "2d1h"},
	{(8 * 24 + 2) * HOUR, "8d"},
	{367 * DAY, "367d"},
	{729 * DAY, "729d"},
	{730 * DAY, "2y"},
	{(365 * 2 * 24 + 25) * HOUR, "2y1d"},
	{(365 * 8 * 24 + 2) * HOUR, "8y"},
	/* TestTranslateTimestampSince (printers_test.go) */
	{-2100, "0s"}, /* "a while from now": kubectl's "<invalid>", never podscope's */
	{-1900, "0s"},        /* "almost now" */
	{30 * SEC, "30s"},    /* "30 seconds ago" */
	{5 * MIN, "5m"},      /* "5 minutes ago" */
	{100 * MIN, "100m"},  /* "an hour ago" (6e12 ns) */
	{2 * DAY, "2d"},      /* "2 days ago" */
	{90 * DAY, "90d"},    /* "months ago" */
	{10 * 365 * DAY, "10y"}, /* "10 years ago" */
	{-2000, "0s"},
	{-5 * MIN, "0s"},
	{-1999, "0s"},
};

START_TEST(test_human)
{
	char buf[DURATION_BUF];
	for (size_t i = 0; i < sizeof(human_cases) / sizeof(human_cases[0]); i++) {
		duration_human(human_cases[i].ms, buf, sizeof(buf));
		ck_assert_msg(strcmp(buf, human_cases[i].want) == 0,
			      "row %zu: %lld ms: got %s want %s", i, (long long)human_cases[i].ms,
			      buf, human_cases[i].want);
	}
	duration_since(0, 1000, buf, sizeof(buf)); /* "unknown" */
	ck_assert_str_eq(buf, "<unknown>");
	duration_since(1000, 31000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "30s");
}
END_TEST

/* Go's time.Duration.String: durationTests in time_test.go, plus the kubelet's back-off steps. */
static const struct {
	int64_t ns;
	const char *want;
} go_string_cases[] = {
	{0, "0s"},
	{1, "1ns"},
	{1100, "1.1\xc2\xb5s"},
	{2200000, "2.2ms"},
	{3300000000, "3.3s"},
	{(4 * 60 + 5) * DURATION_NS_PER_SEC, "4m5s"},
	{4 * 60 * DURATION_NS_PER_SEC + 5001 * DURATION_NS_PER_MS, "4m5.001s"},
	{(5 * 3600 + 6 * 60) * DURATION_NS_PER_SEC + 7001 * DURATION_NS_PER_MS, "5h6m7.001s"},
	{8 * 60 * DURATION_NS_PER_SEC + 1, "8m0.000000001s"},
	{INT64_MAX, "2562047h47m16.854775807s"},
	{INT64_MIN, "-2562047h47m16.854775808s"},
	{250 * DURATION_NS_PER_MS, "250ms"},
	{10 * DURATION_NS_PER_SEC, "10s"},
	{80 * DURATION_NS_PER_SEC, "1m20s"},
	{160 * DURATION_NS_PER_SEC, "2m40s"},
	{300 * DURATION_NS_PER_SEC, "5m0s"},
	{3600 * DURATION_NS_PER_SEC, "1h0m0s"},
	{-1 * DURATION_NS_PER_SEC, "-1s"},
};

START_TEST(test_go_string)
{
	char buf[DURATION_BUF];
	for (size_t i = 0; i < sizeof(go_string_cases) / sizeof(go_string_cases[0]); i++) {
		duration_go_string(go_string_cases[i].ns, buf, sizeof(buf));
		ck_assert_msg(strcmp(buf, go_string_cases[i].want) == 0,
			      "row %zu: got %s want %s", i, buf, go_string_cases[i].want);
	}
}
END_TEST

/* time.ParseDuration: parseDurationTests in time_test.go. */
#define NS DURATION_NS_PER_SEC
static const struct {
	const char *in;
	int64_t want;
} parse_cases[] = {
	{"0", 0},
	{"5s", 5 * NS},
	{"30s", 30 * NS},
	{"1478s", 1478 * NS},
	{"-5s", -5 * NS},
	{"+5s", 5 * NS},
	{"-0", 0},
	{"+0", 0},
	{"5.0s", 5 * NS},
	{"5.6s", 5 * NS + 600 * DURATION_NS_PER_MS},
	{"5.s", 5 * NS},
	{".5s", 500 * DURATION_NS_PER_MS},
	{"1.0s", 1 * NS},
	{"1.00s", 1 * NS},
	{"1.004s", 1 * NS + 4 * DURATION_NS_PER_MS},
	{"1.0040s", 1 * NS + 4 * DURATION_NS_PER_MS},
	{"100.00100s", 100 * NS + 1 * DURATION_NS_PER_MS},
	{"10ns", 10},
	{"11us", 11000},
	{"12\xc2\xb5s", 12000},
	{"12\xce\xbcs", 12000},
	{"13ms", 13 * DURATION_NS_PER_MS},
	{"14s", 14 * NS},
	{"15m", 15 * 60 * NS},
	{"16h", 16 * 3600 * NS},
	{"3h30m", (3 * 3600 + 30 * 60) * NS},
	{"10.5s4m", (4 * 60 + 10) * NS + 500 * DURATION_NS_PER_MS},
	{"-2m3.4s", -((2 * 60 + 3) * NS + 400 * DURATION_NS_PER_MS)},
	{"1h2m3s4ms5us6ns", (3600 + 120 + 3) * NS + 4 * DURATION_NS_PER_MS + 5000 + 6},
	{"39h9m14.425s", (39 * 3600 + 9 * 60 + 14) * NS + 425 * DURATION_NS_PER_MS},
	{"52763797000ns", 52763797000},
	{"0.3333333333333333333h", 20 * 60 * NS},
	{"9007199254740993ns", (INT64_C(1) << 53) + 1},
	{"9223372036854775807ns", INT64_MAX},
	{"9223372036854775.807us", INT64_MAX},
	{"9223372036s854ms775us807ns", INT64_MAX},
	{"-9223372036854775808ns", INT64_MIN},
	{"-9223372036854775.808us", INT64_MIN},
	{"-9223372036s854ms775us808ns", INT64_MIN},
	{"-2562047h47m16.854775808s", INT64_MIN},
	{"0.100000000000000000000h", 6 * 60 * NS},
	{"0.830103483285477580700h", (49 * 60 + 48) * NS + 372539827},
	/* what kubectl users type */
	{"250ms", 250 * DURATION_NS_PER_MS},
	{"1h30m", 5400 * NS},
};

/* parseDurationErrorTests, with Go's messages. */
static const struct {
	const char *in;
	const char *msg;
} parse_errors[] = {
	{"", "time: invalid duration \"\""},
	{"3", "time: missing unit in duration \"3\""},
	{"-", "time: invalid duration \"-\""},
	{"s", "time: invalid duration \"s\""},
	{".", "time: invalid duration \".\""},
	{"-.", "time: invalid duration \"-.\""},
	{".s", "time: invalid duration \".s\""},
	{"+.s", "time: invalid duration \"+.s\""},
	{"1d", "time: unknown unit \"d\" in duration \"1d\""},
	{"\x85\x85", "time: invalid duration \"\\x85\\x85\""},
	{"\xff" "ff", "time: invalid duration \"\\xffff\""},
	{"hello \xff" "ff world", "time: invalid duration \"hello \\xffff world\""},
	{"9223372036854775810ns", "time: invalid duration \"9223372036854775810ns\""},
	{"9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\""},
	{"-9223372036854775809ns", "time: invalid duration \"-9223372036854775809ns\""},
	{"9223372036854775.808us", "time: invalid duration \"9223372036854775.808us\""},
	{"9223372036854ms775us808ns", "time: invalid duration \"9223372036854ms775us808ns\""},
	{"30", "time: missing unit in duration \"30\""},
};

START_TEST(test_parse)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		struct perr err = {0};
		int64_t got = -42;
		int rc = duration_parse(parse_cases[i].in, &got, &err);
		ck_assert_msg(rc == 0, "row %zu (%s): %s", i, parse_cases[i].in, perr_msg(&err));
		ck_assert_msg(got == parse_cases[i].want, "row %zu (%s): got %lld want %lld", i,
			      parse_cases[i].in, (long long)got, (long long)parse_cases[i].want);
		perr_clear(&err);
	}
	for (size_t i = 0; i < sizeof(parse_errors) / sizeof(parse_errors[0]); i++) {
		struct perr err = {0};
		int64_t got;
		ck_assert_msg(duration_parse(parse_errors[i].in, &got, &err) < 0,
			      "row %zu accepted", i);
		ck_assert_msg(strcmp(perr_msg(&err), parse_errors[i].msg) == 0,
			      "row %zu: got [%s] want [%s]", i, perr_msg(&err),
			      parse_errors[i].msg);
		ck_assert_int_eq(err.kind, PERR_USAGE);
		perr_clear(&err);
	}
}
END_TEST

static const struct {
	const char *in;
	int64_t ms;
	const char *back; /* duration_format_rfc3339(ms, 0) */
} rfc_cases[] = {
	{"2024-05-01T12:34:56Z", INT64_C(1714566896000), "2024-05-01T12:34:56Z"},
	{"1970-01-01T00:00:00Z", 0, "1970-01-01T00:00:00Z"},
	{"2000-02-29T23:59:59Z", INT64_C(951868799000), "2000-02-29T23:59:59Z"},
	{"1969-12-31T23:59:59Z", -1000, "1969-12-31T23:59:59Z"},
	{"1969-12-31T23:59:59.500Z", -500, "1969-12-31T23:59:59Z"},
	{"2016-01-01T00:01:09Z", INT64_C(1451606469000), "2016-01-01T00:01:09Z"},
	{"9999-12-31T23:59:59Z", INT64_C(253402300799000), "9999-12-31T23:59:59Z"},
	{"0001-01-01T00:00:00Z", INT64_C(-62135596800000), "0001-01-01T00:00:00Z"},
	{"2024-05-01T14:34:56+02:00", INT64_C(1714566896000), "2024-05-01T12:34:56Z"},
	{"2024-05-01T07:04:56-05:30", INT64_C(1714566896000), "2024-05-01T12:34:56Z"},
	{"2024-05-01T12:34:56.123456789Z", INT64_C(1714566896123), "2024-05-01T12:34:56Z"},
	{"2024-05-01T12:34:56.1Z", INT64_C(1714566896100), "2024-05-01T12:34:56Z"},
	{"2024-05-01t12:34:56z", INT64_C(1714566896000), "2024-05-01T12:34:56Z"},
	{"2024-01-01T00:30:00+01:00", INT64_C(1704065400000), "2023-12-31T23:30:00Z"},
};

static const char *const rfc_bad[] = {
	"",
	"2024-05-01",
	"2024-05-01 12:34:56Z",
	"2024-05-01T12:34:56",
	"2024-05-01T12:34:56+0200",
	"2024-05-01T12:34:56.Z",
	"2024-13-01T00:00:00Z",
	"2023-02-29T00:00:00Z",
	"2024-04-31T00:00:00Z",
	"2024-05-01T24:00:00Z",
	"2024-05-01T12:60:00Z",
	"2024-05-01T12:34:60Z",
	"2024-05-01T12:34:56Zjunk",
	"24-05-01T12:34:56Z",
	"2024-05-01T12:34:56+24:00",
};

START_TEST(test_rfc3339)
{
	char buf[DURATION_BUF];
	for (size_t i = 0; i < sizeof(rfc_cases) / sizeof(rfc_cases[0]); i++) {
		struct perr err = {0};
		int64_t ms = 42;
		ck_assert_msg(duration_parse_rfc3339(rfc_cases[i].in, &ms, &err) == 0,
			      "row %zu: %s", i, perr_msg(&err));
		ck_assert_msg(ms == rfc_cases[i].ms, "row %zu: got %lld want %lld", i,
			      (long long)ms, (long long)rfc_cases[i].ms);
		duration_format_rfc3339(ms, 0, buf, sizeof(buf));
		ck_assert_msg(strcmp(buf, rfc_cases[i].back) == 0, "row %zu: formatted %s", i, buf);
	}
	for (size_t i = 0; i < sizeof(rfc_bad) / sizeof(rfc_bad[0]); i++) {
		struct perr err = {0};
		int64_t ms;
		ck_assert_msg(duration_parse_rfc3339(rfc_bad[i], &ms, &err) < 0, "accepted %s",
			      rfc_bad[i]);
		ck_assert_ptr_nonnull(strstr(perr_msg(&err), "RFC 3339"));
		perr_clear(&err);
	}
	duration_format_rfc3339(INT64_C(1714566896123), 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2024-05-01T12:34:56.123000Z");
	/* A small buffer truncates and stays terminated. */
	char tiny[5];
	duration_format_rfc3339(0, 0, tiny, sizeof(tiny));
	ck_assert_str_eq(tiny, "1970");
}
END_TEST

START_TEST(test_civil_roundtrip)
{
	/* Every day from 1600 to 2400 maps back to itself. */
	int64_t first = duration_days_from_civil(1600, 1, 1);
	int64_t last = duration_days_from_civil(2400, 12, 31);
	ck_assert_int_eq(duration_days_from_civil(1970, 1, 1), 0);
	for (int64_t d = first; d <= last; d++) {
		int64_t y;
		unsigned m, day;
		duration_civil_from_days(d, &y, &m, &day);
		ck_assert_int_eq(duration_days_from_civil(y, m, day), d);
	}
}
END_TEST

/* strfmt against snprintf, the oracle: every size of array, truncation
 * included, for numbers at the edges and words around them. */
START_TEST(test_strfmt)
{
	static const long long nums[] = {0, 7, -7, 10, 99, 100, 123456789, -100000, LLONG_MAX,
					 LLONG_MIN};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		for (size_t cap = 0; cap <= 48; cap++) {
			char got[48], want[48];
			memset(got, 'x', sizeof(got));
			memset(want, 'x', sizeof(want));
			struct strfmt f;
			strfmt_init(&f, got, cap);
			strfmt_str(&f, "n=");
			strfmt_int(&f, nums[i]);
			strfmt_char(&f, '/');
			strfmt_int(&f, -nums[i] / 3);
			strfmt_str(&f, " ago)");
			snprintf(want, cap, "n=%lld/%lld ago)", nums[i], -nums[i] / 3);
			ck_assert_msg(memcmp(got, want, sizeof(got)) == 0,
				      "%lld in %zu bytes: got \"%.*s\" want \"%s\"", nums[i], cap,
				      cap ? (int)cap - 1 : 0, got, cap ? want : "");
		}
	}
	/* A human duration cut short as snprintf would cut it. */
	char small[4];
	duration_human(190 * SEC, small, sizeof(small));
	ck_assert_str_eq(small, "3m1");
	duration_human(190 * SEC, small, 1);
	ck_assert_str_eq(small, "");
}
END_TEST

static Suite *duration_suite(void)
{
	Suite *s = suite_create("duration");
	TCase *tc = tcase_create("duration");
	tcase_add_test(tc, test_human);
	tcase_add_test(tc, test_go_string);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_rfc3339);
	tcase_add_test(tc, test_civil_roundtrip);
	tcase_add_test(tc, test_strfmt);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(duration_suite());
}
