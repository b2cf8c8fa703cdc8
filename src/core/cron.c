#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "podscope/cron.h"
#include "podscope/duration.h"

#define CRON_STAR       (UINT64_C(1) << 63)
#define CRON_MAX_FIELD  64
#define CRON_MAX_TOKENS 128 /* a 255-byte spec has fewer */
#define CRON_SPACE      " \t\n\r\v\f"
#define MS_PER_MIN      INT64_C(60000)
#define MS_PER_DAY      (INT64_C(86400) * 1000)

struct cron_bounds {
	unsigned min, max;
	const char *const *names; /* names[i] is min + i; NULL: numbers only */
};

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",
					  "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const dow_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

static const struct cron_bounds bounds[5] = {
    {0, 59, NULL}, {0, 23, NULL}, {1, 31, NULL}, {1, 12, month_names}, {0, 6, dow_names},
};

/* mustParseInt: strconv.Atoi, then no negative number. */
static int parse_int(const char *s, unsigned *out, struct perr *err)
{
	const char *p = s;
	long v = 0;

	if (*p == '+' || *p == '-')
		p++;
	if (!*p) {
		perr_set(
		    err, PERR_USAGE,
		    "failed to parse int from %s: strconv.Atoi: parsing \"%s\": invalid syntax", s,
		    s);
		return -1;
	}
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p)) {
			perr_set(err, PERR_USAGE,
				 "failed to parse int from %s: strconv.Atoi: parsing \"%s\": "
				 "invalid syntax",
				 s, s);
			return -1;
		}
		if (v < 1000000)
			v = v * 10 + (*p - '0');
	}
	if (*s == '-' && v) {
		perr_set(err, PERR_USAGE, "negative number (-%ld) not allowed: %s", v, s);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int parse_int_or_name(const char *s, const struct cron_bounds *b, unsigned *out,
			     struct perr *err)
{
	if (b->names)
		for (unsigned i = 0; i <= b->max - b->min; i++)
			if (strlen(s) == 3 && strncasecmp(s, b->names[i], 3) == 0) {
				*out = b->min + i;
				return 0;
			}
	return parse_int(s, out, err);
}

/* Split s at c into at most 3 parts (the third says "too many"). */
static int split(char *s, char c, char **parts)
{
	int n = 0;
	parts[n++] = s;
	for (char *p = s; *p; p++)
		if (*p == c) {
			*p = '\0';
			if (n == 3)
				return 3;
			parts[n++] = p + 1;
		}
	return n;
}

/* getRange: one comma-separated part of a field. */
static int get_range(const char *expr, const struct cron_bounds *b, uint64_t *bits,
		     struct perr *err)
{
	char buf[CRON_MAX_FIELD], *rs[3], *lh[3];
	unsigned start = 0, end = 0, step = 1;
	uint64_t extra = 0;
	int nrs, nlh;

	snprintf(buf, sizeof(buf), "%s", expr);
	nrs = split(buf, '/', rs);
	nlh = split(rs[0], '-', lh);
	if (strcmp(lh[0], "*") == 0 || strcmp(lh[0], "?") == 0) {
		start = b->min;
		end = b->max;
		extra = CRON_STAR;
	} else {
		if (parse_int_or_name(lh[0], b, &start, err) < 0)
			return -1;
		if (nlh == 1)
			end = start;
		else if (nlh == 2) {
			if (parse_int_or_name(lh[1], b, &end, err) < 0)
				return -1;
		} else {
			perr_set(err, PERR_USAGE, "too many hyphens: %s", expr);
			return -1;
		}
	}
	if (nrs == 2) {
		if (parse_int(rs[1], &step, err) < 0)
			return -1;
		if (nlh == 1)
			end = b->max; /* "N/step" is "N-max/step" */
		if (step > 1)
			extra = 0;
	} else if (nrs > 2) {
		perr_set(err, PERR_USAGE, "too many slashes: %s", expr);
		return -1;
	}
	if (start < b->min) {
		perr_set(err, PERR_USAGE, "beginning of range (%u) below minimum (%u): %s", start,
			 b->min, expr);
		return -1;
	}
	if (end > b->max) {
		perr_set(err, PERR_USAGE, "end of range (%u) above maximum (%u): %s", end, b->max,
			 expr);
		return -1;
	}
	if (start > end) {
		perr_set(err, PERR_USAGE, "beginning of range (%u) beyond end of range (%u): %s",
			 start, end, expr);
		return -1;
	}
	if (step == 0) {
		perr_set(err, PERR_USAGE, "step of range should be a positive number: %s", expr);
		return -1;
	}
	for (unsigned i = start; i <= end; i += step)
		*bits |= UINT64_C(1) << i;
	*bits |= extra;
	return 0;
}

static int get_field(const char *field, const struct cron_bounds *b, uint64_t *bits,
		     struct perr *err)
{
	char buf[CRON_MAX_FIELD];

	if (strlen(field) >= sizeof(buf)) {
		perr_set(err, PERR_USAGE, "field too long: %.20s...", field);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", field);
	*bits = 0;
	/* Go's strings.Split keeps empty parts, which then fail to parse. */
	for (char *part = buf;;) {
		char *comma = strchr(part, ',');
		if (comma)
			*comma = '\0';
		if (get_range(part, b, bits, err) < 0)
			return -1;
		if (!comma)
			break;
		part = comma + 1;
	}
	return 0;
}

static int parse_descriptor(const char *d, struct cron_sched *s, struct perr *err)
{
	static const struct {
		const char *name;
		const char *fields;
	} desc[] = {
	    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
	    {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
	    {"@hourly", "0 * * * *"},
	};
	for (size_t i = 0; i < sizeof(desc) / sizeof(desc[0]); i++)
		if (strcmp(d, desc[i].name) == 0)
			return cron_parse(desc[i].fields, s, err);
	if (strncmp(d, "@every ", 7) == 0) {
		int64_t ns;
		if (duration_parse(d + 7, &ns, NULL) < 0) {
			perr_set(err, PERR_USAGE,
				 "failed to parse duration %s: time: invalid duration \"%s\"", d,
				 d + 7);
			return -1;
		}
		if (ns < DURATION_NS_PER_SEC)
			ns = DURATION_NS_PER_SEC;
		memset(s, 0, sizeof(*s));
		s->every_ms = ns / DURATION_NS_PER_SEC * 1000;
		return 0;
	}
	perr_set(err, PERR_USAGE, "unrecognized descriptor: %s", d);
	return -1;
}

int cron_parse(const char *spec, struct cron_sched *out, struct perr *err)
{
	const char *fields[CRON_MAX_TOKENS];
	char buf[256];
	int n = 0;

	memset(out, 0, sizeof(*out));
	if (!spec || !*spec) {
		perr_set(err, PERR_USAGE, "empty spec string");
		return -1;
	}
	if (strlen(spec) >= sizeof(buf)) {
		perr_set(err, PERR_USAGE, "schedule too long (%zu bytes)", strlen(spec));
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	char *p = buf;
	if (strncmp(p, "TZ=", 3) == 0 || strncmp(p, "CRON_TZ=", 8) == 0) {
		char *sp = strchr(p, ' ');
		char *zone = strchr(p, '=') + 1;
		if (!sp) {
			perr_set(err, PERR_USAGE, "missing fields after the time zone: %s", spec);
			return -1;
		}
		*sp = '\0';
		if (strcmp(zone, "UTC") != 0 && strcmp(zone, "Etc/UTC") != 0) {
			perr_set(err, PERR_USAGE, "time zone %s: podscope knows UTC only", zone);
			return -1;
		}
		p = sp + 1;
		while (*p == ' ')
			p++;
	}
	if (*p == '@')
		return parse_descriptor(p, out, err);
	char *save = NULL;
	for (char *f = strtok_r(p, CRON_SPACE, &save); f; f = strtok_r(NULL, CRON_SPACE, &save)) {
		if (n < CRON_MAX_TOKENS)
			fields[n] = f;
		n++;
	}
	if (n != 5) {
		/* Go prints the fields as a slice: [a b c]. */
		char list[sizeof(buf) + 2];
		size_t len = 0;
		list[len++] = '[';
		for (int i = 0; i < n && i < CRON_MAX_TOKENS && len < sizeof(list); i++)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
						i ? " " : "", fields[i]);
		if (len < sizeof(list))
			snprintf(list + len, sizeof(list) - len, "]");
		perr_set(err, PERR_USAGE, "expected exactly 5 fields, found %d: %s", n, list);
		return -1;
	}
	uint64_t *bits[5] = {&out->minute, &out->hour, &out->dom, &out->month, &out->dow};
	for (int i = 0; i < 5; i++)
		if (get_field(fields[i], &bounds[i], bits[i], err) < 0)
			return -1;
	return 0;
}

/* dayMatches: with both day fields restricted, either one will do. */
static int day_matches(const struct cron_sched *s, unsigned dom, unsigned dow)
{
	int a = (s->dom >> dom) & 1, b = (s->dow >> dow) & 1;
	if ((s->dom & CRON_STAR) || (s->dow & CRON_STAR))
		return a && b;
	return a || b;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t cron_next(const struct cron_sched *s, int64_t after)
{
	/* Past `after` to the next whole second, as Next adds one and truncates. */
	int64_t t = floor_div(after, 1000) * 1000 + 1000;

	if (s->every_ms)
		return t - 1000 + s->every_ms;
	int64_t first = floor_div(t + MS_PER_MIN - 1, MS_PER_MIN); /* a minute, whole */
	int64_t day = floor_div(first * MS_PER_MIN, MS_PER_DAY);
	int64_t y0, y;
	unsigned m, d;

	duration_civil_from_days(day, &y0, &m, &d);
	for (;; day++) {
		duration_civil_from_days(day, &y, &m, &d);
		if (y > y0 + 5)
			return 0;
		/* 1970-01-01 was a Thursday. */
		unsigned dow = (unsigned)(((day % 7) + 11) % 7);
		if (!((s->month >> m) & 1) || !day_matches(s, d, dow))
			continue;
		for (unsigned h = 0; h < 24; h++) {
			if (!((s->hour >> h) & 1))
				continue;
			for (unsigned mi = 0; mi < 60; mi++) {
				if (!((s->minute >> mi) & 1))
					continue;
				int64_t at = day * 1440 + h * 60 + mi;
				if (at >= first)
					return at * MS_PER_MIN;
			}
		}
	}
}

int64_t cron_next_of(const char *spec, const char *time_zone, int64_t after)
{
	struct cron_sched s;
	struct perr err = {0};

	if (time_zone && *time_zone && strcmp(time_zone, "UTC") != 0 &&
	    strcmp(time_zone, "Etc/UTC") != 0)
		return 0;
	if (cron_parse(spec, &s, &err) < 0) {
		perr_clear(&err);
		return 0;
	}
	return cron_next(&s, after);
}
