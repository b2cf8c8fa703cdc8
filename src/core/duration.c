#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/duration.h"
#include "podscope/strfmt.h"
#include "podscope/xalloc.h"

/* "<a><u1><b><u2>", the second part left out when b is 0. */
static void two_units(char *buf, size_t n, long long a, char u1, long long b, char u2)
{
	struct strfmt f;
	strfmt_init(&f, buf, n);
	strfmt_int(&f, a);
	strfmt_char(&f, u1);
	if (b) {
		strfmt_int(&f, b);
		strfmt_char(&f, u2);
	}
}

void duration_human(int64_t d_ms, char *buf, size_t n)
{
	int64_t seconds = d_ms / 1000; /* truncates toward zero, as Go's int() */

	/* kubectl prints "<invalid>" below -1 s (a timestamp in the client's
	 * future: the server's clock is ahead). podscope corrects for the
	 * server's clock (serverclock.h) and never prints it: a time still in
	 * the future after that is "0s". */
	if (seconds < 0)
		seconds = 0;
	if (seconds < 60 * 2) {
		two_units(buf, n, seconds, 's', 0, 0);
		return;
	}
	long long minutes = seconds / 60;
	if (minutes < 10) {
		two_units(buf, n, minutes, 'm', seconds % 60, 's');
		return;
	}
	if (minutes < 60 * 3) {
		two_units(buf, n, minutes, 'm', 0, 0);
		return;
	}
	long long hours = seconds / 3600;
	if (hours < 8)
		two_units(buf, n, hours, 'h', minutes % 60, 'm');
	else if (hours < 48)
		two_units(buf, n, hours, 'h', 0, 0);
	else if (hours < 24 * 8)
		two_units(buf, n, hours / 24, 'd', hours % 24, 'h');
	else if (hours < 24 * 365 * 2)
		two_units(buf, n, hours / 24, 'd', 0, 0);
	else if (hours < 24 * 365 * 8)
		two_units(buf, n, hours / 24 / 365, 'y', (hours / 24) % 365, 'd');
	else
		two_units(buf, n, hours / 24 / 365, 'y', 0, 0);
}

void duration_since(int64_t t_ms, int64_t now_ms, char *buf, size_t n)
{
	if (t_ms == 0) {
		snprintf(buf, n, "<unknown>");
		return;
	}
	duration_human(now_ms - t_ms, buf, n);
}

/*
 * Go's fmtFrac: write ".ddd" for v % 10^prec into the tail of buf (ending
 * before *w), trailing zeros dropped, and return v / 10^prec.
 */
static uint64_t fmt_frac(char *buf, int *w, uint64_t v, int prec)
{
	bool print = false;
	for (int i = 0; i < prec; i++) {
		int digit = (int)(v % 10);
		print = print || digit != 0;
		if (print)
			buf[--*w] = (char)('0' + digit);
		v /= 10;
	}
	if (print)
		buf[--*w] = '.';
	return v;
}

static void fmt_int(char *buf, int *w, uint64_t v)
{
	if (v == 0) {
		buf[--*w] = '0';
		return;
	}
	while (v > 0) {
		buf[--*w] = (char)('0' + v % 10);
		v /= 10;
	}
}

void duration_go_string(int64_t d_ns, char *out, size_t n)
{
	char buf[40];
	int w = (int)sizeof(buf) - 1;
	bool neg = d_ns < 0;
	uint64_t u = neg ? (uint64_t)0 - (uint64_t)d_ns : (uint64_t)d_ns;

	buf[w] = '\0';
	if (u < (uint64_t)DURATION_NS_PER_SEC) {
		int prec;
		buf[--w] = 's';
		if (u == 0) {
			buf[--w] = '0';
			snprintf(out, n, "%s", buf + w);
			return;
		} else if (u < 1000) {
			prec = 0;
			buf[--w] = 'n';
		} else if (u < 1000000) {
			prec = 3;
			buf[--w] = (char)0xb5; /* U+00B5 MICRO SIGN in UTF-8 */
			buf[--w] = (char)0xc2;
		} else {
			prec = 6;
			buf[--w] = 'm';
		}
		u = fmt_frac(buf, &w, u, prec);
		fmt_int(buf, &w, u);
	} else {
		buf[--w] = 's';
		u = fmt_frac(buf, &w, u, 9);
		fmt_int(buf, &w, u % 60);
		u /= 60;
		if (u > 0) {
			buf[--w] = 'm';
			fmt_int(buf, &w, u % 60);
			u /= 60;
			if (u > 0) {
				buf[--w] = 'h';
				fmt_int(buf, &w, u);
			}
		}
	}
	if (neg)
		buf[--w] = '-';
	snprintf(out, n, "%s", buf + w);
}

/* The time package's quote(): bytes outside printable ASCII become \xNN. */
static char *go_quote(const char *s)
{
	struct buf b = BUF_INIT;
	buf_addc(&b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			buf_addc(&b, '\\');
			buf_addc(&b, (char)*p);
		} else if (*p < 0x20 || *p >= 0x80) {
			buf_printf(&b, "\\x%02x", *p);
		} else {
			buf_addc(&b, (char)*p);
		}
	}
	buf_addc(&b, '"');
	return buf_steal(&b);
}

static int parse_fail(struct perr *err, const char *what, const char *orig)
{
	char *q = go_quote(orig);
	perr_set(err, PERR_USAGE, "time: %s %s", what, q);
	free(q);
	return -1;
}

static int unknown_unit(struct perr *err, const char *unit, size_t ulen, const char *orig)
{
	char *u = xstrndup(unit, ulen);
	char *qu = go_quote(u);
	char *q = go_quote(orig);
	perr_set(err, PERR_USAGE, "time: unknown unit %s in duration %s", qu, q);
	free(q);
	free(qu);
	free(u);
	return -1;
}

static const struct {
	const char *name;
	uint64_t ns;
} go_units[] = {
	{"ns", 1},
	{"us", 1000},
	{"\xc2\xb5s", 1000}, /* U+00B5 micro sign */
	{"\xce\xbcs", 1000}, /* U+03BC Greek mu */
	{"ms", 1000000},
	{"s", 1000000000},
	{"m", UINT64_C(60000000000)},
	{"h", UINT64_C(3600000000000)},
};

int duration_parse(const char *orig, int64_t *out_ns, struct perr *err)
{
	const char *s = orig ? orig : "";
	const uint64_t limit = UINT64_C(1) << 63;
	uint64_t d = 0;
	bool neg = false;

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (strcmp(s, "0") == 0) {
		*out_ns = 0;
		return 0;
	}
	if (*s == '\0')
		return parse_fail(err, "invalid duration", orig ? orig : "");
	while (*s) {
		uint64_t v = 0, f = 0;
		double scale = 1.0;
		bool pre = false, post = false, overflow = false;

		if (!(*s == '.' || (*s >= '0' && *s <= '9')))
			return parse_fail(err, "invalid duration", orig);
		for (; *s >= '0' && *s <= '9'; s++) {
			pre = true;
			if (v > (limit - 1) / 10) {
				overflow = true;
				continue;
			}
			v = v * 10 + (uint64_t)(*s - '0');
			if (v > limit)
				overflow = true;
		}
		if (overflow)
			return parse_fail(err, "invalid duration", orig);
		if (*s == '.') {
			s++;
			bool frac_overflow = false;
			for (; *s >= '0' && *s <= '9'; s++) {
				post = true;
				if (frac_overflow)
					continue;
				if (f > (limit - 1) / 10) {
					/* Go ignores further digits too. */
					frac_overflow = true;
					continue;
				}
				uint64_t y = f * 10 + (uint64_t)(*s - '0');
				if (y > limit) {
					frac_overflow = true;
					continue;
				}
				f = y;
				scale *= 10;
			}
		}
		if (!pre && !post)
			return parse_fail(err, "invalid duration", orig);

		size_t ulen = 0;
		while (s[ulen] && s[ulen] != '.' && !(s[ulen] >= '0' && s[ulen] <= '9'))
			ulen++;
		if (ulen == 0)
			return parse_fail(err, "missing unit in duration", orig);
		uint64_t unit = 0;
		for (size_t i = 0; i < sizeof(go_units) / sizeof(go_units[0]); i++) {
			const char *name = go_units[i].name;
			if (strlen(name) == ulen && memcmp(name, s, ulen) == 0)
				unit = go_units[i].ns;
		}
		if (unit == 0)
			return unknown_unit(err, s, ulen, orig);
		s += ulen;
		if (v > limit / unit)
			return parse_fail(err, "invalid duration", orig);
		v *= unit;
		if (f > 0) {
			v += (uint64_t)((double)f * ((double)unit / scale));
			if (v > limit)
				return parse_fail(err, "invalid duration", orig);
		}
		d += v;
		if (d > limit)
			return parse_fail(err, "invalid duration", orig);
	}
	if (neg) {
		*out_ns = d == limit ? INT64_MIN : -(int64_t)d;
		return 0;
	}
	if (d > limit - 1)
		return parse_fail(err, "invalid duration", orig);
	*out_ns = (int64_t)d;
	return 0;
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
int64_t duration_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void duration_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Exactly n decimal digits at *p; advances *p. */
static bool digits(const char **p, int n, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (unsigned)(c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

int duration_parse_rfc3339(const char *s, int64_t *out_ms, struct perr *err)
{
	const char *p = s ? s : "";
	unsigned year, mon, day, hh, mm, ss, oh = 0, om = 0;
	int64_t ms = 0;
	int sign = 0;

	if (!digits(&p, 4, &year) || *p++ != '-' || !digits(&p, 2, &mon) || *p++ != '-' ||
	    !digits(&p, 2, &day) || (*p != 'T' && *p != 't'))
		goto bad;
	p++;
	if (!digits(&p, 2, &hh) || *p++ != ':' || !digits(&p, 2, &mm) || *p++ != ':' ||
	    !digits(&p, 2, &ss))
		goto bad;
	if (*p == '.') {
		p++;
		int nd = 0;
		for (; *p >= '0' && *p <= '9'; p++, nd++) {
			if (nd < 3)
				ms = ms * 10 + (*p - '0');
		}
		if (nd == 0)
			goto bad;
		for (int i = nd; i < 3; i++)
			ms *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		p++;
		if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om))
			goto bad;
	} else {
		goto bad;
	}
	if (*p != '\0')
		goto bad;
	if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) || hh > 23 ||
	    mm > 59 || ss > 59 || oh > 23 || om > 59)
		goto range;

	int64_t days = duration_days_from_civil(year, mon, day);
	int64_t secs = days * 86400 + hh * 3600 + mm * 60 + ss;
	secs -= sign * (int64_t)(oh * 3600 + om * 60);
	*out_ms = secs * 1000 + ms;
	return 0;
bad:
	perr_set(err, PERR_API, "invalid RFC 3339 timestamp \"%s\"", s ? s : "");
	return -1;
range:
	perr_set(err, PERR_API, "RFC 3339 timestamp out of range: \"%s\"", s);
	return -1;
}

void duration_format_rfc3339(int64_t t_ms, int micro, char *buf, size_t n)
{
	int64_t secs = t_ms / 1000, ms = t_ms % 1000;
	if (ms < 0) {
		ms += 1000;
		secs--;
	}
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	duration_civil_from_days(days, &y, &m, &d);
	int hh = (int)(rem / 3600), mi = (int)(rem % 3600 / 60), ss = (int)(rem % 60);
	if (micro)
		snprintf(buf, n, "%04lld-%02u-%02uT%02d:%02d:%02d.%03d000Z", (long long)y, m, d, hh,
			 mi, ss, (int)ms);
	else
		snprintf(buf, n, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d, hh, mi,
			 ss);
}
