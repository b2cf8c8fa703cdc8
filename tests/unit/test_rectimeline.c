#include "config.h"

#include <check.h>

#include "podscope/recfile.h"
#include "podscope/rectimeline.h"
#include "testutil.h"

/* The replay time bar's index: transitions found before and after a
 * moment, rollout starts, and the gaps (not listed yet, an outage, between
 * segments). */

#define BACKOFF 4
#define WATCHING 2

static void ev(struct rec_timeline *tl, unsigned long seg, int64_t t, int op, int kind, int64_t v)
{
	struct rec_event e = {.t_ms = t, .op = (uint8_t)op, .kind = (uint8_t)kind, .value = v};
	rec_timeline_event(tl, &e, seg);
}

START_TEST(test_transitions)
{
	struct rec_timeline tl;
	rec_timeline_init(&tl, BACKOFF);
	ck_assert_int_eq(rec_timeline_next(&tl, 0), -1);
	ck_assert_int_eq(rec_timeline_prev(&tl, 100), -1);
	rec_timeline_transition(&tl, 10);
	rec_timeline_transition(&tl, 20);
	rec_timeline_transition(&tl, 20); /* the same moment once */
	rec_timeline_transition(&tl, 15); /* never backwards */
	rec_timeline_transition(&tl, 40);
	ck_assert_uint_eq(tl.n_trans, 3);
	ck_assert_int_eq(rec_timeline_next(&tl, 0), 10);
	ck_assert_int_eq(rec_timeline_next(&tl, 10), 20);
	ck_assert_int_eq(rec_timeline_next(&tl, 19), 20);
	ck_assert_int_eq(rec_timeline_next(&tl, 40), -1);
	ck_assert_int_eq(rec_timeline_prev(&tl, 40), 20);
	ck_assert_int_eq(rec_timeline_prev(&tl, 41), 40);
	ck_assert_int_eq(rec_timeline_prev(&tl, 10), -1);
	ck_assert_int_eq(rec_timeline_prev(&tl, 11), 10);
	rec_timeline_rollout(&tl, 12);
	rec_timeline_rollout(&tl, 30);
	ck_assert_int_eq(rec_timeline_next_rollout(&tl, 0), 12);
	ck_assert_int_eq(rec_timeline_next_rollout(&tl, 12), 30);
	ck_assert_int_eq(rec_timeline_next_rollout(&tl, 30), -1);
	rec_timeline_free(&tl);
}
END_TEST

START_TEST(test_gaps)
{
	struct rec_timeline tl;
	rec_timeline_init(&tl, BACKOFF);
	/* Segment 1: listing from 1000, pods and deployments listed by 1500. */
	ev(&tl, 1, 1000, REC_STATUS, 0, 1);
	ev(&tl, 1, 1100, REC_LIST_BEGIN, 0, 0);
	ev(&tl, 1, 1200, REC_LIST_BEGIN, 1, 0);
	ev(&tl, 1, 1300, REC_LIST_END, 0, 0);
	ev(&tl, 1, 1500, REC_LIST_END, 1, 0);
	ev(&tl, 1, 2000, REC_UPSERT, 0, 0);
	/* An outage of pods from 3000 to 4000; a relist in between is no gap
	 * of its own. */
	ev(&tl, 1, 3000, REC_STATUS, 0, BACKOFF);
	ev(&tl, 1, 3500, REC_LIST_BEGIN, 0, 0);
	ev(&tl, 1, 4000, REC_STATUS, 0, WATCHING);
	ev(&tl, 1, 5000, REC_UPSERT, 0, 0);
	/* Segment 2 at 9000, listed at 9400. */
	ev(&tl, 2, 9000, REC_LIST_BEGIN, 0, 0);
	ev(&tl, 2, 9400, REC_LIST_END, 0, 0);
	ev(&tl, 2, 9900, REC_UPSERT, 0, 0);
	rec_timeline_end(&tl);
	ck_assert_int_eq(tl.first_ms, 1000);
	ck_assert_int_eq(tl.last_ms, 9900);
	ck_assert_uint_eq(tl.n_gaps, 3);
	ck_assert_int_eq(tl.gaps[0].from_ms, 1000);
	ck_assert_int_eq(tl.gaps[0].to_ms, 1500);
	ck_assert_int_eq(tl.gaps[1].from_ms, 3000);
	ck_assert_int_eq(tl.gaps[1].to_ms, 4000);
	/* Between the segments, and until the second one has listed. */
	ck_assert_int_eq(tl.gaps[2].from_ms, 5000);
	ck_assert_int_eq(tl.gaps[2].to_ms, 9400);
	ck_assert(rec_timeline_in_gap(&tl, 1000));
	ck_assert(!rec_timeline_in_gap(&tl, 1500));
	ck_assert(rec_timeline_in_gap(&tl, 3999));
	ck_assert(!rec_timeline_in_gap(&tl, 4000));
	ck_assert(rec_timeline_in_gap(&tl, 7000));
	ck_assert_int_eq(rec_timeline_covered(&tl, 1000), 1500);
	ck_assert_int_eq(rec_timeline_covered(&tl, 2000), 2000);
	ck_assert_int_eq(rec_timeline_covered(&tl, 6000), 9400);
	rec_timeline_free(&tl);
}
END_TEST

START_TEST(test_gap_open_at_end)
{
	struct rec_timeline tl;
	rec_timeline_init(&tl, BACKOFF);
	ev(&tl, 1, 100, REC_LIST_BEGIN, 0, 0);
	ev(&tl, 1, 200, REC_LIST_END, 0, 0);
	ev(&tl, 1, 300, REC_STATUS, 0, BACKOFF);
	ev(&tl, 1, 250, REC_UPSERT, 0, 0); /* a clock that ran back stays at 300 */
	ev(&tl, 1, 800, REC_STATUS, 0, BACKOFF);
	rec_timeline_end(&tl);
	ck_assert_int_eq(tl.last_ms, 800);
	ck_assert_uint_eq(tl.n_gaps, 2);
	ck_assert_int_eq(tl.gaps[1].from_ms, 300);
	ck_assert_int_eq(tl.gaps[1].to_ms, 800);
	/* Never listed: the whole recording is a gap. */
	struct rec_timeline t2;
	rec_timeline_init(&t2, BACKOFF);
	ev(&t2, 1, 100, REC_STATUS, 0, 1);
	ev(&t2, 1, 900, REC_STATUS, 0, BACKOFF);
	rec_timeline_end(&t2);
	ck_assert_uint_eq(t2.n_gaps, 1);
	ck_assert_int_eq(t2.gaps[0].from_ms, 100);
	ck_assert_int_eq(t2.gaps[0].to_ms, 900);
	rec_timeline_free(&t2);
	rec_timeline_free(&tl);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rectimeline");
	TCase *tc = tcase_create("rectimeline");
	tcase_add_test(tc, test_transitions);
	tcase_add_test(tc, test_gaps);
	tcase_add_test(tc, test_gap_open_at_end);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
