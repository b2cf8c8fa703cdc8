#ifndef PODSCOPE_SIM_CTRL_CRONJOB_H
#define PODSCOPE_SIM_CTRL_CRONJOB_H

#include <stdint.h>

/*
 * The CronJob controller (pkg/controller/cronjob, v1.33's ControllerV2) on
 * the simulated clock: a Job NAME-MINUTES for each time the schedule
 * (cronsched.h, in spec.timeZone) comes round, with the annotation
 * batch.kubernetes.io/cronjob-scheduled-timestamp; concurrencyPolicy Allow,
 * Forbid or Replace; startingDeadlineSeconds; suspend; status.active,
 * lastScheduleTime and lastSuccessfulTime; and the finished Jobs beyond
 * successfulJobsHistoryLimit and failedJobsHistoryLimit deleted, oldest
 * first.
 */

struct sim;
struct simcron;

/* A row of controllers.c. */
int simcronjob_start(struct sim *sim);
/* Safe when never started. */
void simcronjob_stop(struct sim *sim);

/*
 * mostRecentScheduleTime (utils.go), times in ms: *earliest gets the last
 * schedule time or the creation time (or now - startingDeadlineSeconds when
 * later and deadline_s >= 0), and the result is the most recent activation
 * not after now, 0 when none, -1 when the schedule has no two activations
 * a second apart (an impossible date). *many (may be NULL) is set when more
 * than 100 were missed.
 */
int64_t simcronjob_most_recent(const struct simcron *sched, const char *tz, int64_t created,
			       int64_t last_schedule, int64_t deadline_s, int64_t now,
			       int64_t *earliest, int *missed);

#endif
