#ifndef PODSCOPE_SIM_CTRL_JOB_H
#define PODSCOPE_SIM_CTRL_JOB_H

/*
 * The Job controller (pkg/controller/job, v1.33) with the TTL-after-finished
 * controller: pods up to parallelism until completions succeed, NonIndexed
 * or Indexed (completion index annotation and label, hostname), the
 * exponential back-off between failed pods (10 s doubling to 10 min), the
 * backoffLimit, activeDeadlineSeconds, suspend, podFailurePolicy,
 * successPolicy, the FailureTarget and SuccessCriteriaMet conditions before
 * Failed and Complete, the job-tracking finalizer on every pod, and the
 * deletion of a finished Job after ttlSecondsAfterFinished.
 */

struct sim;

/* A row of controllers.c. */
int simjob_start(struct sim *sim);
/* Safe when never started. */
void simjob_stop(struct sim *sim);

#endif
