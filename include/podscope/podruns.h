#ifndef PODSCOPE_PODRUNS_H
#define PODSCOPE_PODRUNS_H

/*
 * What podscope saw of each container's runs and pulls.
 *
 * The API keeps two instances of a container (the current one and
 * lastState) and folds repeated events into one with a count, so a pod that
 * crash-looped ten times reads as one pull from the first to the last and
 * one earlier run. A dashboard sees every update on its watch; this keeps
 * the runs and pulls in between, so the pod view can draw each one.
 * Everything is bounded: pods that never restarted or pulled twice cost
 * nothing, and the rest are capped below (the least recently changed pod
 * goes first).
 */

#include <stddef.h>
#include <stdint.h>

#include "podscope/model.h"
#include "podscope/store.h"

#define PODRUNS_MAX_PODS 1024
#define PODRUNS_MAX_CONTAINERS 8 /* per pod */
#define PODRUNS_MAX_TOTAL_CONTAINERS 2048 /* about 1.1 KB each */
#define PODRUNS_MAX_RUNS 16  /* per container, the newest */
#define PODRUNS_MAX_PULLS 16 /* per container, the newest */

struct podrun {
	int64_t start_ms; /* terminated.startedAt (0: unknown) */
	int64_t end_ms;   /* terminated.finishedAt */
	int32_t exit_code;
	int32_t signal;
	char reason[24]; /* terminated.reason, cut */
};

struct podpull {
	int64_t start_ms; /* a Pulling event's time */
	int64_t end_ms;   /* the Pulled event after it (0: not seen) */
};

/* One container's history, oldest first. */
struct podruns_container {
	size_t n_runs, n_pulls;
	uint32_t dropped_runs, dropped_pulls; /* older ones no longer kept */
	struct podrun runs[PODRUNS_MAX_RUNS];
	struct podpull pulls[PODRUNS_MAX_PULLS];
};

struct podruns;

struct podruns *podruns_new(void);
void podruns_free(struct podruns *r);

/* A store_change_fn (store_subscribe it with the podruns as ud): pods and
 * their Pulling/Pulled events are recorded, everything else ignored. */
void podruns_observe(void *ud, enum store_kind k, const void *old_obj, const void *new_obj);

/* What was kept of a container of p, NULL when nothing. */
const struct podruns_container *podruns_get(const struct podruns *r, const struct pod *p,
					    const char *container);

/* Pods kept (tests, statistics). */
size_t podruns_count(const struct podruns *r);

#endif
