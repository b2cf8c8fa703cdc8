#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "podscope/xalloc.h"

#include "cronsched.h"

/*
 * robfig/cron v3's standard parser and SpecSchedule.Next, restated: each
 * field is a bit set, bit 63 (starBit) marking a field written * or ?.
 */

#define STAR_BIT (1ULL << 63)

struct simcron {
	uint64_t minute, hour, dom, month, dow;
	int64_t every_s; /* @every: a constant delay, else 0 */
};

struct bounds {
	unsigned min, max;
	const char *const *names; /* index = value, NULL-terminated list */
};

static const char *const month_names[] = {"",    "jan", "feb", "mar", "apr", "may", "jun",
					  "jul", "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const dow_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

static const struct bounds b_minute = {0, 59, NULL}, b_hour = {0, 23, NULL}, b_dom = {1, 31, NULL},
			   b_month = {1, 12, month_names}, b_dow = {0, 6, dow_names};

static uint64_t bits(unsigned lo, unsigned hi, unsigned step)
{
	uint64_t b = 0;
	for (unsigned i = lo; i <= hi; i += step)
		b |= 1ULL << i;
	return b;
}

/* mustParseInt / parseIntOrName */
static bool parse_int(const char *s, unsigned *out, const char *const *names, char *err, size_t n)
{
	if (names)
		for (unsigned i = 0; names[i]; i++)
			if (*names[i] && strcasecmp(s, names[i]) == 0) {
				*out = i;
				return true;
			}
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || (s[0] == '+' && !isdigit((unsigned char)s[1]))) {
		snprintf(err, n,
			 "failed to parse int from %s: strconv.Atoi: parsing \"%s\": "
			 "invalid syntax",
			 s, s);
		return false;
	}
	if (v < 0) {
		snprintf(err, n, "negative number (%ld) not allowed: %s", v, s);
		return false;
	}
	if (v > 1000000) {
		snprintf(err, n, "end of range (%ld) above maximum: %s", v, s);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

/* getRange of one comma-separated part. */
static bool get_range(const char *expr, const struct bounds *r, uint64_t *out, char *err, size_t n)
{
	char buf[128];
	if (strlen(expr) >= sizeof(buf)) {
		snprintf(err, n, "failed to parse int from %.40s...", expr);
		return false;
	}
	snprintf(buf, sizeof(buf), "%s", expr);
	char *slash = strchr(buf, '/');
	if (slash && strchr(slash + 1, '/')) {
		snprintf(err, n, "too many slashes: %s", expr);
		return false;
	}
	if (slash)
		*slash = '\0';
	char *dash = strchr(buf, '-');
	if (dash && strchr(dash + 1, '-')) {
		snprintf(err, n, "too many hyphens: %s", expr);
		return false;
	}
	unsigned start, end, step = 1;
	uint64_t extra = 0;
	bool single = !dash;
	if (strcmp(buf, "*") == 0 || strcmp(buf, "?") == 0) {
		start = r->min;
		end = r->max;
		extra = STAR_BIT;
	} else {
		if (dash)
			*dash = '\0';
		if (!parse_int(buf, &start, r->names, err, n))
			return false;
		end = start;
		if (dash && !parse_int(dash + 1, &end, r->names, err, n))
			return false;
	}
	if (slash) {
		if (!parse_int(slash + 1, &step, NULL, err, n))
			return false;
		/* "N/step" means "N-max/step". */
		if (single)
			end = r->max;
		if (step > 1)
			extra = 0;
	}
	if (start < r->min) {
		snprintf(err, n, "beginning of range (%u) below minimum (%u): %s", start, r->min,
			 expr);
		return false;
	}
	if (end > r->max) {
		snprintf(err, n, "end of range (%u) above maximum (%u): %s", end, r->max, expr);
		return false;
	}
	if (start > end) {
		snprintf(err, n, "beginning of range (%u) beyond end of range (%u): %s", start, end,
			 expr);
		return false;
	}
	if (step == 0) {
		snprintf(err, n, "step of range should be a positive number: %s", expr);
		return false;
	}
	*out = bits(start, end, step) | extra;
	return true;
}

static bool get_field(const char *field, const struct bounds *r, uint64_t *out, char *err, size_t n)
{
	*out = 0;
	char *copy = xstrdup(field), *save = NULL;
	bool ok = true;
	for (char *part = strtok_r(copy, ",", &save); part && ok;
	     part = strtok_r(NULL, ",", &save)) {
		uint64_t b;
		ok = get_range(part, r, &b, err, n);
		*out |= b;
	}
	free(copy);
	return ok;
}

/* time.ParseDuration for what @every takes: [0-9.]+(ns|us|ms|s|m|h), repeated. */
static bool parse_duration(const char *s, int64_t *out_s)
{
	double total = 0;
	const char *p = s;
	if (!*p)
		return false;
	if (strcmp(p, "0") == 0) {
		*out_s = 0;
		return true;
	}
	while (*p) {
		char *end;
		double v = strtod(p, &end);
		if (end == p || v < 0)
			return false;
		p = end;
		static const struct {
			const char *u;
			double s;
		} units[] = {{"ns", 1e-9}, {"us", 1e-6}, {"µs", 1e-6}, {"ms", 1e-3},
			     {"s", 1},     {"m", 60},    {"h", 3600}};
		bool found = false;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]) && !found; i++) {
			size_t len = strlen(units[i].u);
			if (strncmp(p, units[i].u, len) == 0 &&
			    !(units[i].u[0] == 'm' && len == 1 && p[1] == 's')) {
				total += v * units[i].s;
				p += len;
				found = true;
			}
		}
		if (!found)
			return false;
	}
	*out_s = (int64_t)total;
	return true;
}

struct simcron *simcron_parse(const char *spec, char *err, size_t errlen)
{
	if (!spec) {
		snprintf(err, errlen, "empty spec string");
		return NULL;
	}
	while (isspace((unsigned char)*spec))
		spec++;
	if (!*spec) {
		snprintf(err, errlen, "empty spec string");
		return NULL;
	}
	struct simcron c = {0};
	if (spec[0] == '@') {
		static const struct {
			const char *name;
			const char *fields;
		} desc[] = {{"@yearly", "0 0 1 1 *"},  {"@annually", "0 0 1 1 *"},
			    {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
			    {"@daily", "0 0 * * *"},   {"@midnight", "0 0 * * *"},
			    {"@hourly", "0 * * * *"}};
		for (size_t i = 0; i < sizeof(desc) / sizeof(desc[0]); i++)
			if (strcmp(spec, desc[i].name) == 0)
				return simcron_parse(desc[i].fields, err, errlen);
		if (strncmp(spec, "@every ", 7) == 0) {
			int64_t d;
			if (!parse_duration(spec + 7, &d)) {
				snprintf(
				    err, errlen,
				    "failed to parse duration %s: time: invalid duration \"%s\"",
				    spec, spec + 7);
				return NULL;
			}
			c.every_s = d < 1 ? 1 : d;
			struct simcron *out = xcalloc(1, sizeof(*out));
			*out = c;
			return out;
		}
		snprintf(err, errlen, "unrecognized descriptor: %s", spec);
		return NULL;
	}
	char *copy = xstrdup(spec), *save = NULL;
	char *fields[8];
	int nf = 0;
	for (char *f = strtok_r(copy, " \t\n", &save); f; f = strtok_r(NULL, " \t\n", &save)) {
		if (nf < 8)
			fields[nf] = f;
		nf++;
	}
	if (nf != 5) {
		char list[200] = "";
		size_t used = 0;
		for (int i = 0; i < nf && i < 8 && used < sizeof(list) - 1; i++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 i ? " " : "", fields[i]);
		snprintf(err, errlen, "expected exactly 5 fields, found %d: [%s]", nf, list);
		free(copy);
		return NULL;
	}
	const struct bounds *b[] = {&b_minute, &b_hour, &b_dom, &b_month, &b_dow};
	uint64_t *dst[] = {&c.minute, &c.hour, &c.dom, &c.month, &c.dow};
	for (int i = 0; i < 5; i++)
		if (!get_field(fields[i], b[i], dst[i], err, errlen)) {
			free(copy);
			return NULL;
		}
	free(copy);
	struct simcron *out = xcalloc(1, sizeof(*out));
	*out = c;
	return out;
}

void simcron_free(struct simcron *c)
{
	free(c);
}

/* --- time zones ------------------------------------------------------------ */

static bool is_utc(const char *tz)
{
	return !tz || !*tz || strcmp(tz, "UTC") == 0 || strcmp(tz, "Etc/UTC") == 0;
}

bool simcron_zone_valid(const char *tz)
{
	if (!tz || !*tz || strcasecmp(tz, "Local") == 0)
		return false;
	if (is_utc(tz))
		return true;
	/* LoadLocation's rule for names: no "..", no leading slash or backslash. */
	if (tz[0] == '/' || strstr(tz, "..") || strchr(tz, '\\') || strlen(tz) > 200)
		return false;
	char path[256];
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The zone's broken-down time and back. The sim is single-threaded; TZ is
 * set for the call and put back. */
struct zone {
	bool utc;
	char *saved;
	bool had;
};

static void zone_enter(struct zone *z, const char *tz)
{
	z->utc = is_utc(tz) || !simcron_zone_valid(tz);
	if (z->utc)
		return;
	const char *old = getenv("TZ");
	z->had = old != NULL;
	z->saved = old ? xstrdup(old) : NULL;
	setenv("TZ", tz, 1);
	tzset();
}

static void zone_leave(struct zone *z)
{
	if (z->utc)
		return;
	if (z->had)
		setenv("TZ", z->saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(z->saved);
}

static void to_tm(const struct zone *z, time_t t, struct tm *tm)
{
	if (z->utc)
		gmtime_r(&t, tm);
	else
		localtime_r(&t, tm);
}

static time_t from_tm(const struct zone *z, struct tm *tm)
{
	tm->tm_isdst = -1;
	return z->utc ? timegm(tm) : mktime(tm);
}

static bool day_matches(const struct simcron *c, const struct tm *tm)
{
	bool dom = (1ULL << tm->tm_mday) & c->dom, dow = (1ULL << tm->tm_wday) & c->dow;
	if ((c->dom & STAR_BIT) || (c->dow & STAR_BIT))
		return dom && dow;
	return dom || dow;
}

int64_t simcron_next(const struct simcron *c, const char *tz, int64_t t_ms)
{
	/* The upcoming whole second. */
	time_t t = (time_t)((t_ms >= 0 ? t_ms : t_ms - 999) / 1000) + 1;
	if (c->every_s)
		return (int64_t)(t - 1 + c->every_s) * 1000;
	struct zone z = {0};
	zone_enter(&z, tz);
	struct tm tm;
	to_tm(&z, t, &tm);
	bool added = false;
	int year_limit = tm.tm_year + 5;
	time_t result = 0;
wrap:
	if (tm.tm_year > year_limit)
		goto out;
	while (!((1ULL << (tm.tm_mon + 1)) & c->month)) {
		if (!added) {
			added = true;
			tm.tm_mday = 1;
			tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		}
		tm.tm_mon++;
		t = from_tm(&z, &tm);
		to_tm(&z, t, &tm);
		if (tm.tm_mon == 0)
			goto wrap;
	}
	while (!day_matches(c, &tm)) {
		if (!added) {
			added = true;
			tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		}
		tm.tm_mday++;
		t = from_tm(&z, &tm);
		to_tm(&z, t, &tm);
		/* Back to midnight when DST moved it. */
		if (tm.tm_hour != 0) {
			t += tm.tm_hour > 12 ? (24 - tm.tm_hour) * 3600 : -tm.tm_hour * 3600;
			to_tm(&z, t, &tm);
		}
		if (tm.tm_mday == 1)
			goto wrap;
	}
	while (!((1ULL << tm.tm_hour) & c->hour)) {
		if (!added) {
			added = true;
			tm.tm_min = tm.tm_sec = 0;
			t = from_tm(&z, &tm);
		}
		t += 3600;
		to_tm(&z, t, &tm);
		if (tm.tm_hour == 0)
			goto wrap;
	}
	while (!((1ULL << tm.tm_min) & c->minute)) {
		if (!added) {
			added = true;
			t -= tm.tm_sec;
			to_tm(&z, t, &tm);
		}
		t += 60;
		to_tm(&z, t, &tm);
		if (tm.tm_min == 0)
			goto wrap;
	}
	/* The standard parser's seconds field is 0. */
	while (tm.tm_sec != 0) {
		if (!added)
			added = true;
		t += 1;
		to_tm(&z, t, &tm);
		if (tm.tm_sec == 0)
			goto wrap;
	}
	result = from_tm(&z, &tm);
out:
	zone_leave(&z);
	return (int64_t)result * 1000;
}

void simcron_format(int64_t t_ms, const char *tz, char *buf, size_t n)
{
	struct zone z = {0};
	zone_enter(&z, tz);
	time_t t = (time_t)(t_ms / 1000);
	struct tm tm;
	to_tm(&z, t, &tm);
	long off = z.utc ? 0 : tm.tm_gmtoff;
	char date[32];
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	if (off == 0)
		snprintf(buf, n, "%sZ", date);
	else
		snprintf(buf, n, "%s%c%02ld:%02ld", date, off < 0 ? '-' : '+', labs(off) / 3600,
			 (labs(off) % 3600) / 60);
	zone_leave(&z);
}
