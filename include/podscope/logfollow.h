#ifndef PODSCOPE_LOGFOLLOW_H
#define PODSCOPE_LOGFOLLOW_H

#include <stdbool.h>

#include "podscope/client.h"
#include "podscope/logstore.h"
#include "podscope/podlog.h"

struct ploop;

/*
 * One container's log read into a logstore stream, on the loop. Read once,
 * or followed: when a followed stream ends (the container exited, restarted
 * or has not started yet) it is asked again from its last line's second
 * after LOGFOLLOW_RETRY_MIN_MS, doubling to LOGFOLLOW_RETRY_MAX_MS while
 * nothing comes, and the lines already taken are skipped. The owner stops it
 * (logfollow_free) when the pod goes. Used by `podscope logs` and meant for
 * the dashboard's log pane alike.
 */

#define LOGFOLLOW_RETRY_MIN_MS 500
#define LOGFOLLOW_RETRY_MAX_MS 5000

struct logfollow;

/* Bytes came (resp NULL), or a read-once log ended (resp: its status and
 * error; for a follow this is never called with a response). Not allowed
 * to free f. */
typedef void (*logfollow_fn)(void *ud, struct logfollow *f, const struct kresp *resp);
typedef void (*logfollow_line_fn)(void *ud, const struct logline *l);

/* Start reading ns/pod's log (o->follow: following) into the store's stream
 * named key. NULL + err when it cannot start (no room for a stream: the
 * store's cap). */
struct logfollow *logfollow_new(struct ploop *loop, struct kclient *c, struct logstore *st,
				const char *key, const char *ns, const char *pod,
				const struct podlog_opts *o, logfollow_fn fn, void *ud,
				struct perr *err);
/* Stop, and forget the stream. NULL is fine. */
void logfollow_free(struct logfollow *f);

/* Hand each line not taken yet to fn, oldest first, skipping what a
 * reconnect sent again. */
void logfollow_take(struct logfollow *f, logfollow_line_fn fn, void *ud);
struct logstream *logfollow_stream(const struct logfollow *f);
/* A read-once log has ended. */
bool logfollow_done(const struct logfollow *f);

#endif
