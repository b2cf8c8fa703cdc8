#ifndef PODSCOPE_SIM_FAULTS_H
#define PODSCOPE_SIM_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/buf.h"
#include "podscope/err.h"

#include "http.h"
#include "resources.h"

/*
 * Faults for testing clients (--fault SPEC, repeatable), each logged on
 * stderr when it fires. SPEC is NAME or NAME:KEY=VALUE,...:
 *
 *   drop-watch:every=30s        end every open watch stream every 30 s
 *   gone:window=N               410 Gone (an ERROR event) for watches from a
 *                               resourceVersion more than N events back
 *   throttle:every=N,retry-after=S
 *                               every Nth request: 429 with Retry-After: S
 *   errors:burst=N,every=S,code=500|503
 *                               every S seconds, the next N requests fail
 *   slow:ms=M                   every answer M ms late
 *   cut-watch:every=N           every Nth watch event is cut in the middle of
 *                               its JSON and the connection closed
 *
 * Times are real (monotonic) time, not the simulated clock: faults are
 * about the client's connection handling. The control interface
 * (/podscope-sim/) is never faulted.
 */

struct sim;

/* Check one spec (main, before anything starts). 0, or -1 with err (PERR_USAGE). */
int simfault_check(const char *spec, struct perr *err);

/* A row of controllers.c: parse sim->cfg.faults and arm the timers. */
int simfault_start(struct sim *sim);
void simfault_stop(struct sim *sim);
/* Let every delayed (slow) request go, before the server stops. */
void simfault_shutdown(struct sim *sim);

/* server.c, before a request is handled: true when a fault answered it or
 * delayed it (the handler is called again later). */
bool simfault_request(struct simreq *r);

/* watch.c: should a watch that starts at ring position seq get 410? *oldest
 * gets the resourceVersion the message names. */
bool simfault_watch_gone(struct sim *sim, const struct simres *res, uint64_t seq, uint64_t *oldest);

/* watch.c, after each event line appended to out from start: true when it
 * was cut (out truncated mid-object); the stream must then end with an error. */
bool simfault_watch_cut(struct sim *sim, struct buf *out, size_t start);

#endif
