#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "podscope/backoff.h"
#include "testutil.h"

#define SEC INT64_C(1000)

/*
 * A container that exits run_ms after each start, under a kubelet that
 * syncs the pod every second; records how long each exit waited before its
 * restart. This is the sequence the issue and kubelet_lifecycle.md ask for.
 */
static void crash_loop(int64_t run_ms, int n, int64_t *waits)
{
	const struct backoff_policy pol = BACKOFF_POLICY_KUBELET;
	struct backoff_entry e = {0};
	int64_t now = 1000 * SEC;
	int64_t finished = now + run_ms;

	for (int i = 0; i < n; i++) {
		int64_t t = finished;
		int64_t at = -1;
		while (!backoff_decide(&pol, &e, finished, t, &at)) {
			ck_assert_int_eq(at, finished + e.delay_ms);
			t += SEC;
		}
		ck_assert_int_eq(at, t);
		waits[i] = t - finished;
		finished = t + run_ms;
	}
}

START_TEST(test_crash_loop_sequence)
{
	static const int64_t want[] = {0, 10, 20, 40, 80, 160, 300, 300, 300};
	int64_t got[9];
	crash_loop(0, 9, got);
	for (int i = 0; i < 9; i++)
		ck_assert_msg(got[i] == want[i] * SEC, "exit %d waited %lld ms, want %lld s", i + 1,
			      (long long)got[i], (long long)want[i]);

	/* A container that runs 5 s each time: the delay counts from its exit, not its start. */
	crash_loop(5 * SEC, 5, got);
	ck_assert_int_eq(got[0], 0);
	ck_assert_int_eq(got[1], 10 * SEC);
	ck_assert_int_eq(got[2], 20 * SEC);
	ck_assert_int_eq(got[4], 80 * SEC);
}
END_TEST

START_TEST(test_reset_after_ten_minutes)
{
	const struct backoff_policy pol = BACKOFF_POLICY_KUBELET;
	struct backoff_entry e = {0};
	int64_t t = 0;

	/* Build the back-off up to 40 s. */
	ck_assert(backoff_decide(&pol, &e, t, t, NULL)); /* 1st exit: at once, entry 10 s */
	ck_assert(backoff_decide(&pol, &e, t + 10 * SEC, t + 20 * SEC, NULL)); /* 20 s */
	ck_assert(backoff_decide(&pol, &e, t + 20 * SEC, t + 40 * SEC, NULL)); /* 40 s */
	ck_assert_int_eq(e.delay_ms, 40 * SEC);
	ck_assert_int_eq(e.last_update_ms, 40 * SEC);

	/*
	 * Ran exactly 600 s after its restart: not expired, so a sync at the exit waits; but
	 * one second later the kubelet's GC (every 2 s) has dropped the entry, so it restarts
	 * at once, back at 10 s.
	 */
	struct backoff_entry keep = e;
	int64_t fin = keep.last_update_ms + 600 * SEC;
	ck_assert(!backoff_expired(&pol, &keep, fin));
	ck_assert(!backoff_decide(&pol, &keep, fin, fin, NULL));
	ck_assert_int_eq(keep.delay_ms, 40 * SEC);
	ck_assert(backoff_decide(&pol, &keep, fin, fin + SEC, NULL));
	ck_assert_int_eq(keep.delay_ms, 10 * SEC);

	/* Without GC (backoff_next alone), the same exit doubles the delay. */
	keep = e;
	backoff_next(&pol, &keep, fin, fin + 40 * SEC);
	ck_assert_int_eq(keep.delay_ms, 80 * SEC);

	/* Ran more than 600 s: expired, restarts at once and starts again at 10 s. */
	fin = e.last_update_ms + 600 * SEC + 1;
	ck_assert(backoff_expired(&pol, &e, fin));
	ck_assert(!backoff_in_backoff(&pol, &e, fin, fin));
	ck_assert(backoff_decide(&pol, &e, fin, fin, NULL));
	ck_assert_int_eq(e.delay_ms, 10 * SEC);
	ck_assert_int_eq(e.last_update_ms, fin);
}
END_TEST

START_TEST(test_gc_and_cap)
{
	const struct backoff_policy pol = BACKOFF_POLICY_KUBELET;
	struct backoff_entry e = {.delay_ms = 300 * SEC, .last_update_ms = 0};

	backoff_gc(&pol, &e, 600 * SEC); /* exactly 2*max: kept */
	ck_assert_int_eq(e.delay_ms, 300 * SEC);
	backoff_next(&pol, &e, 700 * SEC, 700 * SEC); /* expired by the event time */
	ck_assert_int_eq(e.delay_ms, 10 * SEC);
	e.delay_ms = 300 * SEC;
	backoff_next(&pol, &e, 700 * SEC, 710 * SEC); /* capped at max */
	ck_assert_int_eq(e.delay_ms, 300 * SEC);
	backoff_gc(&pol, &e, 710 * SEC + 600 * SEC + 1);
	ck_assert_int_eq(e.delay_ms, 0);
	ck_assert_int_eq(e.last_update_ms, 0);

	/* An empty entry is never in back-off. */
	ck_assert(!backoff_in_backoff(&pol, &e, 0, 0));
}
END_TEST

START_TEST(test_messages)
{
	static const struct {
		int64_t delay_ms;
		const char *go;
	} steps[] = {{10 * SEC, "10s"},    {20 * SEC, "20s"},    {40 * SEC, "40s"},
		     {80 * SEC, "1m20s"}, {160 * SEC, "2m40s"}, {300 * SEC, "5m0s"}};
	char buf[256], want[256];

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct backoff_entry e = {.delay_ms = steps[i].delay_ms};
		backoff_message(&e, "app", "web-1", "default", "1234", buf, sizeof(buf));
		snprintf(want, sizeof(want),
			 "back-off %s restarting failed container=app pod=web-1_default(1234)",
			 steps[i].go);
		ck_assert_str_eq(buf, want);
	}
	backoff_event_message("app", "web-1", "default", "1234", buf, sizeof(buf));
	ck_assert_str_eq(buf,
			 "Back-off restarting failed container app in pod web-1_default(1234)");
}
END_TEST

static Suite *backoff_suite(void)
{
	Suite *s = suite_create("backoff");
	TCase *tc = tcase_create("backoff");
	tcase_add_test(tc, test_crash_loop_sequence);
	tcase_add_test(tc, test_reset_after_ten_minutes);
	tcase_add_test(tc, test_gc_and_cap);
	tcase_add_test(tc, test_messages);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(backoff_suite());
}
