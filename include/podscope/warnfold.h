#ifndef PODSCOPE_WARNFOLD_H
#define PODSCOPE_WARNFOLD_H

#include <stddef.h>
#include <stdint.h>

#include "podscope/model.h"

/*
 * Warning events folded for the rollout view, to be shown next to what they
 * concern (a generation's column): one entry per reason, with how many
 * times it happened (the events' counts summed), on how many objects, and
 * the latest event's message and time. Pure: events in, entries out.
 */

#define WARNFOLD_MAX 8 /* reasons kept, the latest first */

struct warnfold {
	const char *reason;  /* points into the events given */
	const char *message; /* the latest event's */
	int64_t last;        /* its time, ms */
	long count;          /* sum of the events' counts */
	int objects;         /* distinct involved objects */
};

/* Fold the Warning events among ev[0..n) (others are skipped); entries
 * sorted latest first, at most max (<= WARNFOLD_MAX). Returns how many. */
size_t warnfold(const struct event *const *ev, size_t n, struct warnfold *out, size_t max);

#endif
