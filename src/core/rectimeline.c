#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/recfile.h"
#include "podscope/rectimeline.h"
#include "podscope/xalloc.h"

/* The time line of a recording: see rectimeline.h. */

void rec_timeline_init(struct rec_timeline *tl, int backoff_state)
{
	memset(tl, 0, sizeof(*tl));
	tl->backoff_state = backoff_state;
}

void rec_timeline_free(struct rec_timeline *tl)
{
	free(tl->trans);
	free(tl->rollouts);
	free(tl->gaps);
	memset(tl, 0, sizeof(*tl));
}

static void push(int64_t **v, size_t *n, size_t *cap, int64_t t)
{
	if (*n && (*v)[*n - 1] >= t)
		return; /* one moment once, in order */
	if (*n >= REC_TL_MAX_MOMENTS)
		return;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = t;
}

void rec_timeline_transition(struct rec_timeline *tl, int64_t t)
{
	push(&tl->trans, &tl->n_trans, &tl->cap_trans, t);
}

void rec_timeline_rollout(struct rec_timeline *tl, int64_t t)
{
	push(&tl->rollouts, &tl->n_rollouts, &tl->cap_rollouts, t);
}

static void gap_open(struct rec_timeline *tl, int64_t t)
{
	if (tl->in_gap)
		return;
	tl->in_gap = true;
	tl->gap_from = t;
}

static void gap_close(struct rec_timeline *tl, int64_t t)
{
	if (!tl->in_gap)
		return;
	tl->in_gap = false;
	if (t <= tl->gap_from || tl->n_gaps >= REC_TL_MAX_GAPS)
		return;
	/* Touching the one before: one gap. */
	if (tl->n_gaps && tl->gaps[tl->n_gaps - 1].to_ms >= tl->gap_from) {
		tl->gaps[tl->n_gaps - 1].to_ms = t;
		return;
	}
	if (tl->n_gaps == tl->cap_gaps) {
		tl->cap_gaps = tl->cap_gaps ? tl->cap_gaps * 2 : 16;
		tl->gaps = xrealloc(tl->gaps, tl->cap_gaps * sizeof(*tl->gaps));
	}
	tl->gaps[tl->n_gaps++] = (struct rec_gap){tl->gap_from, t};
}

void rec_timeline_event(struct rec_timeline *tl, const struct rec_event *ev,
			unsigned long segment)
{
	int64_t t = ev->t_ms;
	if (!tl->segment) {
		tl->first_ms = t;
	} else if (t < tl->last_ms) {
		t = tl->last_ms; /* time never runs back on the bar */
	}
	if (segment != tl->segment) {
		/* A new run or file: nothing between the two, and nothing
		 * until its informers have listed. */
		gap_open(tl, tl->segment ? tl->last_ms : t);
		tl->segment = segment;
		tl->begun = tl->ended = tl->backoff = 0;
		tl->synced = false;
	}
	tl->last_ms = t;
	uint64_t bit = ev->kind < 64 ? 1ull << ev->kind : 0;
	switch (ev->op) {
	case REC_LIST_BEGIN:
		if (!tl->synced)
			tl->begun |= bit;
		break;
	case REC_LIST_END:
		if (!tl->synced) {
			tl->ended |= bit;
			tl->synced = (tl->begun & ~tl->ended) == 0;
		}
		break;
	case REC_STATUS:
		if (ev->value == tl->backoff_state)
			tl->backoff |= bit;
		else
			tl->backoff &= ~bit;
		break;
	default:
		break;
	}
	if (!tl->synced || tl->backoff)
		gap_open(tl, t);
	else
		gap_close(tl, t);
}

void rec_timeline_end(struct rec_timeline *tl)
{
	gap_close(tl, tl->last_ms);
}

int64_t rec_timeline_next(const struct rec_timeline *tl, int64_t t)
{
	size_t lo = 0, hi = tl->n_trans;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tl->trans[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < tl->n_trans ? tl->trans[lo] : -1;
}

int64_t rec_timeline_prev(const struct rec_timeline *tl, int64_t t)
{
	size_t lo = 0, hi = tl->n_trans;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tl->trans[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? tl->trans[lo - 1] : -1;
}

int64_t rec_timeline_next_rollout(const struct rec_timeline *tl, int64_t t)
{
	for (size_t i = 0; i < tl->n_rollouts; i++)
		if (tl->rollouts[i] > t)
			return tl->rollouts[i];
	return -1;
}

bool rec_timeline_in_gap(const struct rec_timeline *tl, int64_t t)
{
	return rec_timeline_covered(tl, t) != t;
}

int64_t rec_timeline_covered(const struct rec_timeline *tl, int64_t t)
{
	for (size_t i = 0; i < tl->n_gaps; i++)
		if (t >= tl->gaps[i].from_ms && t < tl->gaps[i].to_ms)
			return tl->gaps[i].to_ms;
	return t;
}
