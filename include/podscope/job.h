#ifndef PODSCOPE_JOB_H
#define PODSCOPE_JOB_H

/*
 * Jobs and CronJobs as kubectl and the Job controller see them: the cells
 * of printJob and printCronJob (pkg/printers/internalversion/printers.go),
 * the back-off before a Job's next pod (pkg/controller/job/backoff_utils.go,
 * v1.33) and the deadline left. Pure: times are Unix milliseconds and "now"
 * is the caller's.
 */

#include <stddef.h>
#include <stdint.h>

#include "podscope/model.h"

/* The controller's pod-failure back-off: 10 s, doubling, at most 10 min. */
#define JOB_BACKOFF_BASE_MS INT64_C(10000)
#define JOB_BACKOFF_MAX_MS  (INT64_C(10) * 60 * 1000)

/* The condition of that type (the first, as hasJobCondition), or NULL. */
const struct job_condition *job_condition(const struct job *j, const char *type);
/* Whether that condition is there with status True. */
int job_condition_true(const struct job *j, const char *type);

/* The STATUS cell: Complete, Failed, Terminating, Suspended, FailureTarget,
 * SuccessCriteriaMet or Running, in printJob's order. */
const char *job_status_cell(const struct job *j);
/* The COMPLETIONS cell: "1/3", "0/1 of 4" (no completions, parallelism > 1). */
void job_completions_cell(const struct job *j, char *buf, size_t n);
/* The DURATION cell: completion - start, or now - start; "" without a start. */
void job_duration_cell(const struct job *j, int64_t now, char *buf, size_t n);

/* How a Job ended: kubectl wait's complete and failed conditions. */
enum job_outcome { JOB_RUNNING = 0, JOB_COMPLETE, JOB_FAILED };
/* Complete or Failed with status True; the condition itself in *cond. */
enum job_outcome job_outcome(const struct job *j, const struct job_condition **cond);

/*
 * When a finished pod finished (getFinishedTime): the latest finishedAt when
 * every container terminated, else the Ready=False transition, else the
 * deletion time less its grace period, else the creation time.
 */
int64_t job_pod_finished_time(const struct pod *p);

/* The exit code of the pod's first container that terminated, its reason
 * in *reason; -1 (and the pod's status.reason) when none has. */
int job_pod_exit_code(const struct pod *p, const char **reason);

/*
 * The back-off before the Job's next pod, from its finished pods (phase
 * Failed or Succeeded, any order): the failures after the last success
 * count, the newest one's time starts the wait. 0 when none is due. The
 * count goes to *failures when it is not NULL.
 */
int64_t job_backoff_left(const struct pod *const *pods, size_t n, int64_t now, int32_t *failures);

/* getRemainingTimeForFailuresCount: base doubled per failure after the
 * first, capped at max, less the time since the last failure; 0 once over. */
int64_t job_backoff_for(int32_t failures, int64_t last_failure, int64_t now, int64_t base,
			int64_t max);

/* activeDeadlineSeconds left from startTime: -1 when there is no deadline
 * or no start, 0 once past. */
int64_t job_deadline_left(const struct job *j, int64_t now);

/* printCronJob's cells: SUSPEND ("True", "False", "<unset>"), TIMEZONE
 * ("<none>" when unset), LAST SCHEDULE ("<none>" or the age). */
const char *cronjob_suspend_cell(const struct cronjob *cj);
const char *cronjob_timezone_cell(const struct cronjob *cj);
void cronjob_last_schedule_cell(const struct cronjob *cj, int64_t now, char *buf, size_t n);

#endif
