#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "podscope/xalloc.h"

#include "util.h"
#include "podscope/duration.h"

/* Time formatting is core's (duration.c), shared with podscope itself. */
void simutil_rfc3339(time_t t, char out[SIMUTIL_TIME_LEN])
{
	duration_format_rfc3339((int64_t)t * 1000, 0, out, SIMUTIL_TIME_LEN);
}

time_t simutil_parse_rfc3339(const char *s)
{
	int64_t ms;
	if (!s || duration_parse_rfc3339(s, &ms, NULL) != 0)
		return -1;
	return (time_t)(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
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
