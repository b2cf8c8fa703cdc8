#ifndef PODSCOPE_SIM_SCHED_H
#define PODSCOPE_SIM_SCHED_H

/*
 * podscope-sim's default-scheduler: binds every pod without spec.nodeName
 * to the least-loaded Ready Node that its nodeSelector allows (ties: the
 * node name order), sets the PodScheduled condition and records the
 * Scheduled event, or PodScheduled=False / FailedScheduling when no node
 * fits. Pods being deleted are left alone.
 */

struct sim;

/* A row of controllers.c. */
int sched_start(struct sim *sim);
/* Safe when never started. */
void sched_stop(struct sim *sim);

#endif
