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
 *                               resourceVersion more than N events back; the
 *                               history refused stays refused (for watches
 *                               from before it) when the fault is off
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
 * (/podscope-sim/) is never faulted; it changes the faults at run time
 * (control.c). Every function here runs on the simulator's one loop thread
 * (libmicrohttpd is driven from evloop, without threads of its own), so a
 * change made by a request takes effect for the next request, and needs no
 * lock.
 */

struct sim;
struct cJSON;

/* Check one spec (main, before anything starts). 0, or -1 with err (PERR_USAGE). */
int simfault_check(const char *spec, struct perr *err);

/* A row of controllers.c: parse sim->cfg.faults and arm the timers. */
int simfault_start(struct sim *sim);

/*
 * Turn on the fault spec names (the syntax of --fault), replacing that
 * fault's earlier settings; its timers and counters start over from now.
 * 0, or -1 with err (PERR_USAGE; NULL: said on stderr).
 */
int simfault_set(struct sim *sim, const char *spec, struct perr *err);
/* Turn off the fault named name (NULL or "": every fault). Requests a slow
 * fault holds are still answered when due. -1 with err for an unknown name. */
int simfault_clear(struct sim *sim, const char *name, struct perr *err);
/*
 * {"faults": [SPEC, ...], "fired": {"drop-watch": N, ...}}: the faults on,
 * each with all its values (durations in ms), and how many times each fault
 * has fired since the start (streams ended, 410s, 429s, errors, delayed
 * requests, events cut). The caller frees it.
 */
struct cJSON *simfault_json(const struct sim *sim);
void simfault_stop(struct sim *sim);
/* Let every delayed (slow) request go, before the server stops. */
void simfault_shutdown(struct sim *sim);

/* server.c, before a request is handled: true when a fault answered it or
 * delayed it (the handler is called again later). */
bool simfault_request(struct simreq *r);

/* watch.c: should a watch that starts at ring position seq get 410 (from the
 * fault, or from before a history it refused)? *oldest gets the
 * resourceVersion the message names. */
bool simfault_watch_gone(struct sim *sim, const struct simres *res, uint64_t seq, uint64_t *oldest);

/* watch.c, after each event line appended to out from start: true when it
 * was cut (out truncated mid-object); the stream must then end with an error. */
bool simfault_watch_cut(struct sim *sim, struct buf *out, size_t start);

#endif
