#ifndef PODSCOPE_SIM_CTRL_JOB_QUEUE_H
#define PODSCOPE_SIM_CTRL_JOB_QUEUE_H

#include <stdint.h>

/*
 * The work queue of the Job and CronJob controllers: "ns/name" keys without
 * duplicates, worked from a 0 ms loop timer by the queue's sync function (a
 * slice at a time), and keys to work again at a time of the simulated clock
 * (AddAfter; the earliest asked wins).
 */

struct sim;
struct jobq;

typedef void (*jobq_sync_fn)(void *ud, const char *key);

struct jobq *jobq_new(struct sim *sim, jobq_sync_fn sync, void *ud);
/* Cancels the timers; the sync function is not called again. */
void jobq_free(struct jobq *q);
void jobq_push(struct jobq *q, const char *key);
void jobq_push2(struct jobq *q, const char *ns, const char *name);
void jobq_wake_at(struct jobq *q, const char *key, int64_t t);

#endif
