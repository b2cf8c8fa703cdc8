#ifndef PODSCOPE_WHYLOG_H
#define PODSCOPE_WHYLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The last log line of a container for the why line (why.h's why_log_fn):
 * "new pods CrashLoopBackOff (exit 1), last log line: panic: ...". Asked for
 * a line it does not have, it starts one small request on the loop (the
 * previous container's log when the container is not running and has
 * restarted, else the current one: tailLines=1, limitBytes, a 3 s timeout)
 * and answers with what it knows now: the line of an earlier run of the same
 * container, or nothing. Never blocks; errors are skipped. Lines are cached
 * per pod, container and restart count (a running container's again after
 * WHYLOG_REFRESH_MS), at most WHYLOG_MAX entries, WHYLOG_MAX_INFLIGHT
 * requests at a time. The line is raw API text, cut to WHYLOG_LINE bytes:
 * print it through the sanitiser (the why line is).
 */

#define WHYLOG_MAX          128
#define WHYLOG_MAX_INFLIGHT 4
#define WHYLOG_LINE         160
#define WHYLOG_LIMIT_BYTES  4096
#define WHYLOG_TIMEOUT_MS   3000
#define WHYLOG_REFRESH_MS   10000

struct kclient;
struct pod;
struct whylog;

/* changed (may be NULL) is called on the loop when a fetched line arrives. */
struct whylog *whylog_new(struct kclient *c, void (*changed)(void *ud), void *ud);
/* Cancels what is in flight. */
void whylog_free(struct whylog *wl);

/* why_log_fn with ud the whylog. */
bool whylog_line(void *ud, const struct pod *p, const char *container, char *buf, size_t n);

/* Requests in flight (a headless command waits for them, with a deadline). */
size_t whylog_inflight(const struct whylog *wl);

/* The last non-empty line of a log body (with or without the kubelet's time
 * prefix) into buf, without the prefix and the line end; false when none. */
bool whylog_last_line(const char *body, size_t len, char *buf, size_t n);

#endif
