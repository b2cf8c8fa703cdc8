#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "podscope/xalloc.h"

#include "util.h"

void simutil_rfc3339(time_t t, char out[SIMUTIL_TIME_LEN])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, SIMUTIL_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

time_t simutil_parse_rfc3339(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (!s)
		return -1;
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end)
		return -1;
	if (*end == '.')
		for (end++; *end >= '0' && *end <= '9'; end++)
			;
	if (*end != 'Z' || end[1])
		return -1;
	return timegm(&tm);
}

static void encode(struct buf *out, const unsigned char *p, size_t len, const char *alphabet,
                   int pad)
{
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;
		if (n > 1)
			v |= (unsigned)p[i + 1] << 8;
		if (n > 2)
			v |= p[i + 2];
		char q[4] = {alphabet[(v >> 18) & 63], alphabet[(v >> 12) & 63],
		             alphabet[(v >> 6) & 63], alphabet[v & 63]};
		if (n < 3)
			q[3] = '=';
		if (n < 2)
			q[2] = '=';
		size_t emit = 4;
		if (!pad)
			emit = n + 1;
		buf_add(out, q, emit);
	}
}

void simutil_base64(struct buf *out, const void *data, size_t len)
{
	encode(out, data, len, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
	       1);
}

void simutil_base64url(struct buf *out, const void *data, size_t len)
{
	encode(out, data, len, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
	       0);
}

static int url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

char *simutil_unbase64url(const char *s, size_t *len)
{
	size_t n = strlen(s);
	if (n % 4 == 1)
		return NULL;
	char *out = xmalloc(n * 3 / 4 + 2);
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = url_value(s[i]);
		if (v < 0) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	*len = o;
	return out;
}

void simutil_uuid(char out[37])
{
	unsigned char r[16];
	if (gnutls_rnd(GNUTLS_RND_NONCE, r, sizeof(r)) < 0)
		memset(r, 0x5a, sizeof(r));
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[r[i] >> 4];
		out[o++] = hex[r[i] & 15];
	}
	out[o] = '\0';
}

void simutil_human_duration(long long s, char out[SIMUTIL_TIME_LEN])
{
	if (s < -1) {
		snprintf(out, SIMUTIL_TIME_LEN, "<invalid>");
		return;
	}
	if (s < 0)
		s = 0;
	long long m = s / 60, h = s / 3600, d = h / 24, y = h / (24 * 365);
	if (s < 120)
		snprintf(out, SIMUTIL_TIME_LEN, "%llds", s);
	else if (m < 10 && s % 60)
		snprintf(out, SIMUTIL_TIME_LEN, "%lldm%llds", m, s % 60);
	else if (m < 180)
		snprintf(out, SIMUTIL_TIME_LEN, "%lldm", m);
	else if (h < 8 && m % 60)
		snprintf(out, SIMUTIL_TIME_LEN, "%lldh%lldm", h, m % 60);
	else if (h < 48)
		snprintf(out, SIMUTIL_TIME_LEN, "%lldh", h);
	else if (h < 192 && h % 24)
		snprintf(out, SIMUTIL_TIME_LEN, "%lldd%lldh", d, h % 24);
	else if (h < 2 * 8760)
		snprintf(out, SIMUTIL_TIME_LEN, "%lldd", d);
	else if (h < 8 * 8760 && d % 365)
		snprintf(out, SIMUTIL_TIME_LEN, "%lldy%lldd", y, d % 365);
	else
		snprintf(out, SIMUTIL_TIME_LEN, "%lldy", y);
}

void simutil_age(const char *ts, time_t now, char out[SIMUTIL_TIME_LEN])
{
	time_t t = simutil_parse_rfc3339(ts);
	if (t < 0) {
		snprintf(out, SIMUTIL_TIME_LEN, "<unknown>");
		return;
	}
	simutil_human_duration((long long)(now - t), out);
}
