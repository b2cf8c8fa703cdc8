#ifndef PODSCOPE_SERVERCLOCK_H
#define PODSCOPE_SERVERCLOCK_H

#include <stdint.h>

/*
 * The API server's clock, as podscope sees it. Each kube client keeps the
 * estimate of its own server's clock from the Date header of every
 * response (see podscope/clockskew.h and kclient_skew_ms); "now" follows
 * one client at a time, the first one made unless serverclock_follow
 * chose another (with many contexts, the cluster being shown or printed).
 * Everything that shows an age or
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

struct kclient;
/* Take "now" from c's server (NULL: the local clock). */
void serverclock_follow(const struct kclient *c);
const struct kclient *serverclock_following(void);
/* kclient_new: follow c when nothing is followed yet; kclient_free: stop
 * following c. */
void serverclock_adopt(const struct kclient *c);
void serverclock_forget(const struct kclient *c);

#endif
