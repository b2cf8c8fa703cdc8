#ifndef PODSCOPE_SIM_REQLOG_H
#define PODSCOPE_SIM_REQLOG_H

#include "podscope/err.h"

/*
 * The request log: one line per request, flushed at once so that tests can
 * read it while the simulator runs:
 *   RFC3339-time user method path?query status
 * The URI is logged as the client sent it; credentials never appear in it.
 */
struct reqlog;

/* Open (append, create 0600) path; NULL with err set on failure. */
struct reqlog *reqlog_open(const char *path, struct perr *err);
void reqlog_close(struct reqlog *l);

/* A NULL l is allowed (no log). */
void reqlog_write(struct reqlog *l, const char *user, const char *method, const char *uri,
                  unsigned status);

#endif
