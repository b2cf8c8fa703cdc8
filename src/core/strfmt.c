#include "config.h"

#include <string.h>

#include "podscope/strfmt.h"

void strfmt_init(struct strfmt *f, char *buf, size_t cap)
{
	f->buf = buf;
	f->cap = cap;
	f->len = 0;
	if (cap)
		buf[0] = '\0';
}

static void add(struct strfmt *f, const char *s, size_t n)
{
	if (f->len + 1 >= f->cap) /* full, or no room at all */
		return;
	size_t room = f->cap - 1 - f->len;
	if (n > room)
		n = room;
	memcpy(f->buf + f->len, s, n);
	f->len += n;
	f->buf[f->len] = '\0';
}

void strfmt_str(struct strfmt *f, const char *s)
{
	add(f, s, strlen(s));
}

void strfmt_char(struct strfmt *f, char c)
{
	add(f, &c, 1);
}

void strfmt_int(struct strfmt *f, long long v)
{
	char d[24];
	size_t w = sizeof(d);
	/* The magnitude as unsigned: LLONG_MIN has no positive long long. */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		d[--w] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		d[--w] = '-';
	add(f, d + w, sizeof(d) - w);
}
