#ifndef PODSCOPE_CRON_H
#define PODSCOPE_CRON_H

/*
 * A CronJob's schedule as the CronJob controller reads it (robfig/cron v3's
 * standard parser: five fields, names, ranges, steps, @descriptors and
 * @every), for the next schedule time. Podscope's own: the simulator's
 * scheduler is not shared, so each checks the other. Times are Unix
 * milliseconds, in UTC: podscope knows no other zone.
 */

#include <stdint.h>

#include "podscope/err.h"

struct cron_sched {
	uint64_t minute, hour, dom, month, dow; /* bit n: value n; bit 63: the field was "*" */
	int64_t every_ms;                       /* @every: the delay; 0 for field schedules */
};

/* 0, or -1 with err (PERR_USAGE) in robfig's words ("expected exactly 5
 * fields, found 4: ..."); TZ= and CRON_TZ= are taken for UTC only. */
int cron_parse(const char *spec, struct cron_sched *out, struct perr *err);

/* The first time strictly after `after` (to the second) that the schedule
 * fires; 0 when none comes within five years (30 February). */
int64_t cron_next(const struct cron_sched *s, int64_t after);

/* cron_parse of spec and the time zone, then cron_next; 0 when either
 * fails or the zone is not UTC. */
int64_t cron_next_of(const char *spec, const char *time_zone, int64_t after);

#endif
