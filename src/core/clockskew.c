#include "config.h"

#include <stdio.h>
#include <string.h>

#include "podscope/clockskew.h"
#include "podscope/duration.h"

static int num(const char *s, int digits, int *out)
{
	int v = 0;
	for (int i = 0; i < digits; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int clockskew_parse_date(const char *s, int64_t *out_ms)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	static const char days[] = "MonTueWedThuFriSatSun";
	/* "Sun, 06 Nov 1994 08:49:37 GMT": exactly 29 characters. */
	if (!s)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
	                   s[len - 1] == '\n'))
		len--;
	if (len != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
	    s[16] != ' ' || s[19] != ':' || s[22] != ':' || memcmp(s + 25, " GMT", 4) != 0)
		return -1;
	int wd = -1, mon = -1;
	for (int i = 0; i < 7; i++)
		if (memcmp(s, days + 3 * i, 3) == 0)
			wd = i;
	for (int i = 0; i < 12; i++)
		if (memcmp(s + 8, months + 3 * i, 3) == 0)
			mon = i + 1;
	int d, y, hh, mm, ss;
	if (wd < 0 || mon < 0 || num(s + 5, 2, &d) || num(s + 12, 4, &y) || num(s + 17, 2, &hh) ||
	    num(s + 20, 2, &mm) || num(s + 23, 2, &ss))
		return -1;
	if (d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60 || y < 1970)
		return -1;
	int64_t days_since = duration_days_from_civil(y, (unsigned)mon, (unsigned)d);
	int64_t yy;
	unsigned m2, d2;
	duration_civil_from_days(days_since, &yy, &m2, &d2);
	if (yy != y || (int)m2 != mon || (int)d2 != d) /* 31 Feb */
		return -1;
	*out_ms = ((days_since * 24 + hh) * 60 + mm) * 60000 + (int64_t)ss * 1000;
	return 0;
}


static int64_t median(const struct clockskew *c)
{
	int64_t v[CLOCKSKEW_WINDOW];
	unsigned n = c->n;
	memcpy(v, c->sample, n * sizeof(v[0]));
	/* Insertion sort: n is at most CLOCKSKEW_WINDOW. */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			int64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int clockskew_add(struct clockskew *c, const char *date, int64_t start_ms, int64_t end_ms)
{
	int64_t server;
	if (clockskew_parse_date(date, &server) != 0 || end_ms < start_ms ||
	    end_ms - start_ms > CLOCKSKEW_MAX_RTT_MS)
		return -1;
	/* The server's instant lies somewhere in its second: take the middle. */
	int64_t off = server + 500 - (start_ms + (end_ms - start_ms) / 2);
	if (off > CLOCKSKEW_MAX_MS || off < -CLOCKSKEW_MAX_MS)
		return -1;
	c->sample[c->next] = off;
	c->next = (c->next + 1) % CLOCKSKEW_WINDOW;
	if (c->n < CLOCKSKEW_WINDOW)
		c->n++;
	int64_t m = median(c);
	int64_t r = (m >= 0 ? m + 500 : m - 500) / 1000 * 1000;
	c->estimate = (r > -CLOCKSKEW_NOISE_MS && r < CLOCKSKEW_NOISE_MS) ? 0 : r;
	return 0;
}

int64_t clockskew_get(const struct clockskew *c)
{
	return c->estimate;
}

void clockskew_format(int64_t skew_ms, char *buf, size_t n)
{
	char d[DURATION_BUF];
	int64_t s = skew_ms / 1000;
	duration_go_string((s < 0 ? -s : s) * DURATION_NS_PER_SEC, d, sizeof(d));
	snprintf(buf, n, "%s%s", s < 0 ? "-" : "+", d);
}
