#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/sanitize.h"
#include "podscope/xalloc.h"

/* Escaping of outside text; the contract is in sanitize.h. Widths come
 * from sanitize_width.c. */

/* One shortest-form UTF-8 sequence at s: its length, or 0 when s[0] does
 * not start one (stray continuation, overlong, surrogate, > U+10FFFF, or
 * cut short by the NUL). */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1fu;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0fu;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07u;
		min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Characters that reorder text or show nothing, so a name could hide or
 * fake what follows: bidi controls, zero-width and invisible format
 * characters, line and paragraph separators, tags, Hangul fillers. */
static bool invisible(uint32_t cp)
{
	return cp == 0x061c || cp == 0x115f || cp == 0x1160 || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x3164 || cp == 0xfeff || cp == 0xffa0 ||
	       (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f);
}

/* prefix and v in `digits` lower-case hex digits, NUL-terminated. */
static void hex(char *out, const char *prefix, uint32_t v, int digits)
{
	static const char xd[] = "0123456789abcdef";
	size_t n = strlen(prefix);
	memcpy(out, prefix, n);
	for (int i = digits - 1; i >= 0; i--)
		out[n++] = xd[(v >> (4 * i)) & 0xf];
	out[n] = '\0';
}

size_t sanitize_next(const char *s, unsigned flags, struct sanitize_unit *u)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n = decode(p, &cp);
	u->esc[0] = '\0';
	u->width = 1;
	if (n == 0) {
		u->cp = p[0];
		u->len = 1;
		hex(u->esc, "\\x", p[0], 2);
	} else {
		u->cp = cp;
		u->len = n;
		if (cp == '\t' || cp == '\n' || cp == '\r')
			memcpy(u->esc, cp == '\t' ? "\\t" : cp == '\n' ? "\\n" : "\\r", 3);
		else if (cp < 0x20 || cp == 0x7f)
			hex(u->esc, "\\x", cp, 2);
		else if (cp < 0x7f)
			return n;
		else if (cp <= 0x9f || invisible(cp) || (flags & SANITIZE_ASCII))
			hex(u->esc, cp > 0xffff ? "\\U" : "\\u", cp, cp > 0xffff ? 8 : 4);
		else
			u->width = sanitize_cp_width(cp);
	}
	if (u->esc[0])
		u->width = (int)strlen(u->esc);
	return u->len;
}

static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

size_t sanitize_width(const char *s, size_t max)
{
	size_t cols = 0;
	struct sanitize_unit u;
	while (s && *s && cols < max) {
		if (plain((unsigned char)*s)) {
			cols++;
			s++;
			continue;
		}
		s += sanitize_next(s, 0, &u);
		cols += (size_t)u.width;
	}
	return cols < max ? cols : max;
}

/* Append s[0..end) escaped. */
static void add_range(struct buf *b, const char *s, const char *end)
{
	struct sanitize_unit u;
	while (s < end) {
		const char *run = s;
		while (s < end && plain((unsigned char)*s))
			s++;
		if (s > run)
			buf_add(b, run, (size_t)(s - run));
		if (s == end)
			break;
		s += sanitize_next(s, 0, &u);
		if (u.esc[0])
			buf_adds(b, u.esc);
		else
			buf_add(b, s - u.len, u.len);
	}
}

void sanitize_add(struct buf *b, const char *s)
{
	if (s)
		add_range(b, s, s + strlen(s));
}

size_t sanitize_add_cut(struct buf *b, const char *s, size_t max)
{
	if (!s)
		return 0;
	/* cut: the longest prefix that leaves a column for SANITIZE_CUT. */
	const char *p = s, *cut = s;
	size_t cols = 0, cut_cols = 0;
	struct sanitize_unit u;
	while (*p) {
		size_t len = 1, w = 1;
		if (!plain((unsigned char)*p)) {
			len = sanitize_next(p, 0, &u);
			w = (size_t)u.width;
		}
		if (cols + w > max) {
			add_range(b, s, cut);
			if (max == 0)
				return cut_cols;
			buf_adds(b, SANITIZE_CUT);
			return cut_cols + 1;
		}
		cols += w;
		p += len;
		if (cols < max) {
			cut = p;
			cut_cols = cols;
		}
	}
	add_range(b, s, p);
	return cols;
}

bool sanitize_url_userinfo(const char *url, size_t *start, size_t *len)
{
	const char *sep = url ? strstr(url, "://") : NULL;
	const char *host = sep ? sep + 3 : url;
	if (!host)
		return false;
	const char *end = host + strcspn(host, "/?#");
	const char *at = NULL;
	for (const char *p = host; p < end; p++)
		if (*p == '@')
			at = p; /* the last '@' of the authority ends the user information */
	if (!at)
		return false;
	*start = (size_t)(host - url);
	*len = (size_t)(at + 1 - host);
	return true;
}

char *sanitize_strip_userinfo(const char *url)
{
	size_t start, len;
	if (!sanitize_url_userinfo(url, &start, &len))
		return xstrdup(url ? url : "");
	return xasprintf("%.*s%s", (int)start, url, url + start + len);
}

char *sanitize_dup(const char *s)
{
	struct buf b = BUF_INIT;
	sanitize_add(&b, s);
	return buf_steal(&b);
}

/* A %s field: escaped, cut, padded to width columns. */
static void add_field(struct buf *b, const char *s, int width, int prec, bool left)
{
	size_t max = width >= 0 ? SANITIZE_COL_MAX : SANITIZE_TEXT_MAX;
	if (prec >= 0 && (size_t)prec < max)
		max = (size_t)prec;
	size_t w = width < 0 ? 0 : width > SANITIZE_COL_MAX ? SANITIZE_COL_MAX : (size_t)width;
	size_t start = b->len;
	size_t cols = sanitize_add_cut(b, s, max);
	if (cols >= w)
		return;
	size_t pad = w - cols, flen = b->len - start;
	for (size_t i = 0; i < pad; i++)
		buf_addc(b, ' ');
	if (!left) {
		memmove(b->data + start + pad, b->data + start, flen);
		memset(b->data + start, ' ', pad);
	}
}

enum arg_len { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T, LEN_BIG_L };

static int read_num(const char **q)
{
	long v = 0;
	while (**q >= '0' && **q <= '9') {
		if (v < INT_MAX / 10)
			v = v * 10 + (**q - '0');
		(*q)++;
	}
	return (int)v;
}

/*
 * One conversion other than %s and %%, by printf itself. spec is built
 * from the caller's format, which the format attribute has checked against
 * the arguments; the argument is fetched here with the type it names.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void add_conv(struct buf *b, const char *spec, char conv, enum arg_len len, va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i':
	case 'o':
	case 'u':
	case 'x':
	case 'X':
	case 'c':
		switch (len) {
		case LEN_L:
			buf_printf(b, spec, va_arg(*ap, long));
			break;
		case LEN_LL:
			buf_printf(b, spec, va_arg(*ap, long long));
			break;
		case LEN_Z:
			buf_printf(b, spec, va_arg(*ap, size_t));
			break;
		case LEN_J:
			buf_printf(b, spec, va_arg(*ap, intmax_t));
			break;
		case LEN_T:
			buf_printf(b, spec, va_arg(*ap, ptrdiff_t));
			break;
		default:
			buf_printf(b, spec, va_arg(*ap, int));
			break;
		}
		break;
	case 'f':
	case 'F':
	case 'e':
	case 'E':
	case 'g':
	case 'G':
	case 'a':
	case 'A':
		if (len == LEN_BIG_L)
			buf_printf(b, spec, va_arg(*ap, long double));
		else
			buf_printf(b, spec, va_arg(*ap, double));
		break;
	case 'p':
		buf_printf(b, spec, va_arg(*ap, void *));
		break;
	default:
		break;
	}
}
#pragma GCC diagnostic pop

static enum arg_len read_len(const char **q)
{
	switch (**q) {
	case 'h':
		(*q)++;
		if (**q == 'h') {
			(*q)++;
			return LEN_HH;
		}
		return LEN_H;
	case 'l':
		(*q)++;
		if (**q == 'l') {
			(*q)++;
			return LEN_LL;
		}
		return LEN_L;
	case 'z':
		(*q)++;
		return LEN_Z;
	case 'j':
		(*q)++;
		return LEN_J;
	case 't':
		(*q)++;
		return LEN_T;
	case 'L':
		(*q)++;
		return LEN_BIG_L;
	default:
		return LEN_NONE;
	}
}

/* The conversion at q (just after its '%'); returns what follows it. */
static const char *one_conv(struct buf *b, const char *q, va_list *ap)
{
	const char *flags = q;
	bool left = false, neg = false;
	while (*q && strchr("-+ #0", *q))
		left |= *q++ == '-';
	size_t nflags = (size_t)(q - flags);
	int width = -1, prec = -1;
	if (*q == '*') {
		width = va_arg(*ap, int);
		q++;
		if (width < 0) {
			left = neg = true;
			width = width == INT_MIN ? INT_MAX : -width;
		}
	} else if (*q >= '0' && *q <= '9') {
		width = read_num(&q);
	}
	if (*q == '.') {
		q++;
		if (*q == '*') {
			prec = va_arg(*ap, int);
			q++;
		} else {
			prec = read_num(&q);
		}
	}
	if (width > SANITIZE_COL_MAX)
		width = SANITIZE_COL_MAX;
	const char *lenp = q;
	enum arg_len len = read_len(&q);
	char conv = *q;
	if (!conv)
		return q;
	q++;
	if (conv == '%') {
		buf_addc(b, '%');
	} else if (conv == 's') {
		add_field(b, va_arg(*ap, const char *), width, prec, left);
	} else if (conv == 'n') {
		(void)va_arg(*ap, void *);
	} else {
		char spec[48];
		int n = snprintf(spec, sizeof(spec), "%%%.*s%s", (int)(nflags < 8 ? nflags : 8),
				 flags, neg ? "-" : "");
		if (width >= 0)
			n += snprintf(spec + n, sizeof(spec) - (size_t)n, "%d", width);
		if (prec >= 0)
			n += snprintf(spec + n, sizeof(spec) - (size_t)n, ".%d",
				      prec < SANITIZE_COL_MAX ? prec : SANITIZE_COL_MAX);
		snprintf(spec + n, sizeof(spec) - (size_t)n, "%.*s%c", (int)(q - 1 - lenp), lenp,
			 conv);
		add_conv(b, spec, conv, len, ap);
	}
	return q;
}

void sanitize_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	const char *p = fmt;
	while (*p) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			buf_adds(b, p);
			break;
		}
		buf_add(b, p, (size_t)(pct - p));
		p = one_conv(b, pct + 1, &aq);
	}
	va_end(aq);
	if (!b->data)
		buf_add(b, "", 0);
}

void sanitize_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sanitize_vprintf(b, fmt, ap);
	va_end(ap);
}

/* \uXXXX, as a surrogate pair beyond the BMP. */
static void json_u(struct buf *b, uint32_t cp)
{
	char e[8];
	if (cp > 0xffff) {
		cp -= 0x10000;
		json_u(b, 0xd800 + (cp >> 10));
		json_u(b, 0xdc00 + (cp & 0x3ff));
		return;
	}
	hex(e, "\\u", cp, 4);
	buf_adds(b, e);
}

void sanitize_json_string(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		const unsigned char *run = p;
		while (plain(*p) && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			buf_add(b, run, (size_t)(p - run));
		if (!*p)
			break;
		uint32_t cp;
		size_t n = decode(p, &cp);
		if (n == 0) {
			buf_adds(b, "\\ufffd");
			p++;
			continue;
		}
		switch (cp) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		case '\b':
			buf_adds(b, "\\b");
			break;
		case '\f':
			buf_adds(b, "\\f");
			break;
		default:
			if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || invisible(cp))
				json_u(b, cp);
			else
				buf_add(b, p, n);
		}
		p += n;
	}
	buf_addc(b, '"');
}
