#ifndef PODSCOPE_SIM_CRONSCHED_H
#define PODSCOPE_SIM_CRONSCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Cron schedules as the CronJob controller reads them (robfig/cron v3's
 * ParseStandard, which Kubernetes uses): five fields (minute, hour, day of
 * month, month, day of week) with *, ?, lists, ranges, steps and the names
 * JAN..DEC and SUN..SAT; or @yearly, @annually, @monthly, @weekly, @daily,
 * @midnight, @hourly and @every DURATION. When both day fields are
 * restricted a day matches either; when one is * (or ?), both must.
 */

struct simcron;

/* NULL with robfig's message in err ("expected exactly 5 fields, found
 * 1: [x]", "end of range (60) above maximum (59): 60", ...). */
struct simcron *simcron_parse(const char *spec, char *err, size_t errlen);
void simcron_free(struct simcron *c);

/* The first activation after t_ms (whole seconds after it, as Next),
 * counted in the time zone tz (IANA name; NULL or "": UTC, the simulated
 * controller manager's local zone). 0 when there is none within five
 * years (an impossible date such as 30 February). */
int64_t simcron_next(const struct simcron *c, const char *tz, int64_t t_ms);

/* time.LoadLocation would accept tz, and it is not "Local" (which a CronJob
 * may not name). */
bool simcron_zone_valid(const char *tz);

/* t_ms as RFC 3339 in zone tz ("2026-12-07T10:00:00+01:00", "...Z" for
 * UTC), as Go's Format(time.RFC3339). buf needs 32 bytes. */
void simcron_format(int64_t t_ms, const char *tz, char *buf, size_t n);

#endif
