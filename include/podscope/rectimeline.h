#ifndef PODSCOPE_RECTIMELINE_H
#define PODSCOPE_RECTIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The time line of a recording (podscope replay's time bar): its span, the
 * moments something changed state (a rollout's or a pod's: the caller says
 * which, in order), the starts of rollouts, and the gaps where nothing was
 * recorded: before a segment's informers had listed, while one was backing
 * off (an outage), and between segments (appended runs, rotated files).
 * Pure: events in, times out.
 */

struct rec_event;

struct rec_gap {
	int64_t from_ms, to_ms; /* from < to */
};

/* Caps: beyond them, later moments are not indexed (the replay still
 * applies them). */
#define REC_TL_MAX_MOMENTS (1u << 20)
#define REC_TL_MAX_GAPS    (1u << 16)

struct rec_timeline {
	int64_t first_ms, last_ms; /* 0, 0 before the first event */
	int64_t *trans;            /* transitions, ascending, no two equal */
	size_t n_trans, cap_trans;
	int64_t *rollouts; /* rollout starts, ascending */
	size_t n_rollouts, cap_rollouts;
	struct rec_gap *gaps; /* ascending, apart */
	size_t n_gaps, cap_gaps;
	/* while building */
	int backoff_state;   /* the informer state of an outage (INFORMER_BACKOFF) */
	unsigned long segment;
	bool in_gap;
	int64_t gap_from;
	uint64_t begun, ended, backoff; /* kinds: first lists begun, ended; backing off */
	bool synced;
};

/* backoff_state: the REC_STATUS value of an informer in an outage. */
void rec_timeline_init(struct rec_timeline *tl, int backoff_state);
void rec_timeline_free(struct rec_timeline *tl);
/* Each event in order, with its segment's number (rec_reader_segment). */
void rec_timeline_event(struct rec_timeline *tl, const struct rec_event *ev,
			unsigned long segment);
/* A transition, or a rollout's start, at t (not before the last one). */
void rec_timeline_transition(struct rec_timeline *tl, int64_t t);
void rec_timeline_rollout(struct rec_timeline *tl, int64_t t);
/* After the last event: an open gap ends at the last event. */
void rec_timeline_end(struct rec_timeline *tl);

/* The first transition after t, the last before t, the first rollout start
 * after t: -1 when there is none. */
int64_t rec_timeline_next(const struct rec_timeline *tl, int64_t t);
int64_t rec_timeline_prev(const struct rec_timeline *tl, int64_t t);
int64_t rec_timeline_next_rollout(const struct rec_timeline *tl, int64_t t);
/* Whether t is in a gap (from <= t < to). */
bool rec_timeline_in_gap(const struct rec_timeline *tl, int64_t t);
/* The first moment at or after t not in a gap (t when it is not in one;
 * the gap's end otherwise). */
int64_t rec_timeline_covered(const struct rec_timeline *tl, int64_t t);

#endif
