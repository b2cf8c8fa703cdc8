#ifndef PODSCOPE_SERVERCLOCK_H
#define PODSCOPE_SERVERCLOCK_H

#include <stdint.h>

/*
 * The API server's clock, as podscope sees it: one per process. The kube
 * client feeds it the Date header of every response (see
 * podscope/clockskew.h for the estimate); everything that shows an age or
 * a countdown takes "now" from serverclock_now_ms(), so that a client clock
 * minutes off the server's neither prints ages of fresh objects as
 * "<invalid>" nor counts a back-off down from the wrong instant.
 */

/* The local wall clock, ms since the epoch. */
int64_t serverclock_wall_ms(void);

/* The server's clock now: the local wall clock plus the estimated skew. */
int64_t serverclock_now_ms(void);

/* Server minus local, ms (whole seconds); 0 until a Date was seen or while
 * within the Date's own resolution. */
int64_t serverclock_skew_ms(void);

/* One response's Date header value, and the local wall times (ms) at which
 * its request was sent and its headers came. */
void serverclock_sample(const char *date, int64_t sent_ms, int64_t headers_ms);

#endif
