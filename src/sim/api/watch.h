#ifndef PODSCOPE_SIM_WATCH_H
#define PODSCOPE_SIM_WATCH_H

#include <stddef.h>

#include "http.h"
#include "list.h"
#include "resources.h"

/*
 * Watch streams: long-lived chunked responses, one compact JSON event per
 * line, written as events happen. Each stream reads the store's event ring
 * from its own position (nothing is queued per watcher), so a write costs
 * one ring entry however many watchers there are. A stream with nothing to
 * send is suspended and resumed by the store listener, its bookmark timer or
 * its deadline.
 */

struct sim;
struct watchset;

struct watchset *watchset_new(struct sim *sim);
/* End every stream (before the server stops). */
void watchset_shutdown(struct watchset *ws);
/* Free; streams must have ended (simsrv_stop after watchset_shutdown). */
void watchset_free(struct watchset *ws);
/* Open streams (tests, the benchmark). */
size_t watchset_count(const struct watchset *ws);

/* Open streams at most; one more is refused as kube-apiserver's in-flight
 * limit refuses: 429, Retry-After: 1, "Too many requests, please try again
 * later." in plain text. */
#define SIMWATCH_MAX 1000

/* Answer 429 as the in-flight limit does (log follow streams too). */
void simwatch_too_many(struct simreq *r);

/* Serve GET ...?watch=true. ns NULL: all namespaces. name: the deprecated
 * /watch/.../NAME form (NULL otherwise). */
void simwatch_handle(struct simreq *r, const struct simres *res, const char *ns, const char *name,
                     const struct simfmt *fmt);

#endif
