#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include <check.h>

#include "podscope/clockskew.h"
#include "testutil.h"

/* Mon, 07 Dec 2026 12:00:00 GMT */
#define T0 INT64_C(1796644800000)

START_TEST(test_parse_date)
{
	int64_t t = 0;
	ck_assert_int_eq(clockskew_parse_date("Mon, 07 Dec 2026 12:00:00 GMT", &t), 0);
	ck_assert_int_eq(t, T0);
	ck_assert_int_eq(clockskew_parse_date(" Sun, 06 Nov 1994 08:49:37 GMT\r\n", &t), 0);
	ck_assert_int_eq(t, INT64_C(784111777000));
	ck_assert_int_eq(clockskew_parse_date("Thu, 29 Feb 2024 23:59:59 GMT", &t), 0);
	static const char *const bad[] = {
	    "", "garbage", "Mon, 07 Dec 2026 12:00:00 UTC", "Mon, 07 Dec 2026 12:00 GMT",
	    "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
	    "Mon, 31 Feb 2026 12:00:00 GMT", "Mon, 07 Dex 2026 12:00:00 GMT",
	    "Mon, 07 Dec 2026 25:00:00 GMT", "Mon, 07 Dec 1900 12:00:00 GMT",
	    "Mon, 07 Dec 2026 12:00:00 GMTx", "Mon, 0a Dec 2026 12:00:00 GMT"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(clockskew_parse_date(bad[i], &t) != 0, "accepted \"%s\"", bad[i]);
	ck_assert_int_ne(clockskew_parse_date(NULL, &t), 0);
}
END_TEST

START_TEST(test_estimate)
{
	struct clockskew c = {0};
	ck_assert_int_eq(clockskew_get(&c), 0);
	/* Server 5 minutes ahead: its Date is 12:05:00 while we are at 12:00:00.2
	 * (its instant lies in 12:05:00.0 to .999). */
	ck_assert_int_eq(clockskew_add(&c, "Mon, 07 Dec 2026 12:05:00 GMT", T0, T0 + 400), 0);
	ck_assert_int_eq(clockskew_get(&c), 300000);
	/* Behind, the median over a window with an outlier. */
	struct clockskew b = {0};
	const char *dates[] = {"Mon, 07 Dec 2026 11:55:00 GMT", "Mon, 07 Dec 2026 11:55:01 GMT",
	                       "Mon, 07 Dec 2026 11:55:02 GMT", "Mon, 07 Dec 2026 13:00:00 GMT",
	                       "Mon, 07 Dec 2026 11:55:04 GMT"};
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(clockskew_add(&b, dates[i], T0 + i * 1000, T0 + i * 1000 + 20), 0);
	ck_assert_int_eq(clockskew_get(&b), -300000);
	/* In step, give or take the Date's resolution: 0, not "1 s off". */
	struct clockskew z = {0};
	ck_assert_int_eq(clockskew_add(&z, "Mon, 07 Dec 2026 12:00:00 GMT", T0 + 900, T0 + 999), 0);
	ck_assert_int_eq(clockskew_get(&z), 0);
	ck_assert_int_eq(clockskew_add(&z, "Mon, 07 Dec 2026 12:00:01 GMT", T0, T0 + 10), 0);
	ck_assert_int_eq(clockskew_get(&z), 0);
}
END_TEST

START_TEST(test_ignored)
{
	struct clockskew c = {0};
	ck_assert_int_eq(clockskew_add(&c, "Mon, 07 Dec 2026 12:02:13 GMT", T0, T0 + 1000), 0);
	ck_assert_int_eq(clockskew_get(&c), 133000);
	/* Unparsable, missing, absurd (over 30 days), a round trip too long to
	 * say anything, the clock going backwards: all ignored. */
	ck_assert_int_ne(clockskew_add(&c, "yesterday", T0, T0), 0);
	ck_assert_int_ne(clockskew_add(&c, NULL, T0, T0), 0);
	ck_assert_int_ne(clockskew_add(&c, "Mon, 07 Dec 2099 12:00:00 GMT", T0, T0), 0);
	ck_assert_int_ne(clockskew_add(&c, "Thu, 01 Jan 1970 00:00:00 GMT", T0, T0), 0);
	ck_assert_int_ne(clockskew_add(&c, "Mon, 07 Dec 2026 12:00:00 GMT", T0, T0 + 6000), 0);
	ck_assert_int_ne(clockskew_add(&c, "Mon, 07 Dec 2026 12:00:00 GMT", T0, T0 - 1), 0);
	ck_assert_int_eq(clockskew_get(&c), 133000);
	ck_assert_uint_eq(c.n, 1);
	/* The window is bounded: the old clock is forgotten. */
	for (int i = 0; i < 2 * CLOCKSKEW_WINDOW; i++)
		clockskew_add(&c, "Mon, 07 Dec 2026 12:00:00 GMT", T0 - 60000, T0 - 59000);
	ck_assert_uint_eq(c.n, CLOCKSKEW_WINDOW);
	ck_assert_int_eq(clockskew_get(&c), 60000);
}
END_TEST

START_TEST(test_format)
{
	char b[32];
	clockskew_format(133000, b, sizeof(b));
	ck_assert_str_eq(b, "+2m13s");
	clockskew_format(-300000, b, sizeof(b));
	ck_assert_str_eq(b, "-5m0s");
	clockskew_format(3600000, b, sizeof(b));
	ck_assert_str_eq(b, "+1h0m0s");
	clockskew_format(-7000, b, sizeof(b));
	ck_assert_str_eq(b, "-7s");
}
END_TEST

static Suite *clockskew_suite(void)
{
	Suite *s = suite_create("clockskew");
	TCase *tc = tcase_create("clockskew");
	tcase_add_test(tc, test_parse_date);
	tcase_add_test(tc, test_estimate);
	tcase_add_test(tc, test_ignored);
	tcase_add_test(tc, test_format);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(clockskew_suite());
}
