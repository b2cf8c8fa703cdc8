#ifndef PODSCOPE_LIFECYCLE_INT_H
#define PODSCOPE_LIFECYCLE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/model.h"

/* Shared by lifecycle.c and lifecycle_timeline.c: the pod's events, looked up
 * by reason and container. */

struct lc_evset {
	const struct pod *pod;
	const struct event *const *ev;
	size_t n;
};

/* Whether e is about pod (kind Pod or unset, same name; same uid when both are set). */
bool lc_event_for_pod(const struct pod *p, const struct event *e);

/* Whether e's fieldPath names container (spec.containers{NAME},
 * spec.initContainers{NAME}); a NULL container matches events without one. */
bool lc_event_for_container(const struct event *e, const char *container);

/* The newest event (by last time) of this reason for the container, or NULL.
 * prefix: when not NULL, the message must start with it. */
const struct event *lc_event_find(const struct lc_evset *es, const char *reason,
				  const char *container, const char *prefix);

/* The oldest (by first time) such event, or NULL. */
const struct event *lc_event_first(const struct lc_evset *es, const char *reason,
				   const char *container, const char *prefix);

/* A line being written into a fixed buffer: lc_addf appends, truncating
 * at n - 1 bytes (lifecycle_why.c; why.c writes its lines with it too). */
struct lc_out {
	char *buf;
	size_t n;
	size_t len;
};
void lc_addf(struct lc_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fill lp->why (lifecycle_why.c). */
struct lc_pod;
void lifecycle_why(const struct pod *p, struct lc_pod *lp, int64_t now_ms);

static inline bool lc_str_empty(const char *s)
{
	return !s || !*s;
}

#endif
