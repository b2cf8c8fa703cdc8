#include "config.h"

#include <string.h>

#include "podscope/jsonscan.h"

static const char *ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* The value of four hex digits at p, or -1. */
static long hex4(const char *p, const char *end)
{
	long v = 0;
	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static const char *digits(const char *p, const char *end)
{
	const char *s = p;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p == s ? NULL : p;
}

/* cJSON reads at most 63 characters of a number and trips over the rest. */
#define JSCAN_MAX_NUMBER 63

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static const char *scan_number(const char *p, const char *end)
{
	const char *start = p;
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (!(p = digits(p, end)))
		return NULL;
	if (p < end && *p == '.' && !(p = digits(p + 1, end)))
		return NULL;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (!(p = digits(p, end)))
			return NULL;
	}
	/* A number runs into the next delimiter, never into letters or a
	 * digit after a leading zero. */
	if (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '.' ||
			(*p >= '0' && *p <= '9')))
		return NULL;
	return p - start > JSCAN_MAX_NUMBER ? NULL : p;
}

/* What the scanner expects next. */
enum {
	JS_VALUE = 0, /* a value */
	JS_ARR_FIRST, /* an element or ']' */
	JS_OBJ_FIRST, /* a key or '}' */
	JS_KEY,       /* a key */
	JS_COLON,     /* ':' after a key */
	JS_STR,       /* the rest of a string */
	JS_AFTER,     /* after a value: ',' or the closing bracket, or the end */
};

void jscan_init(struct jscan *s)
{
	memset(s, 0, sizeof(*s));
}

/* p at a backslash inside a string: past the escape, NULL when invalid, or
 * p itself when the escape goes on after end. */
static const char *scan_escape(const char *p, const char *end)
{
	if (end - p < 2)
		return p;
	switch (p[1]) {
	case '"':
	case '\\':
	case '/':
	case 'b':
	case 'f':
	case 'n':
	case 'r':
	case 't':
		return p + 2;
	case 'u':
		break;
	default:
		return NULL;
	}
	/* As cJSON: a high surrogate needs a low one after it, and a low one
	 * alone is an error. */
	if (end - p < 6)
		return p;
	long u = hex4(p + 2, end);
	if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF))
		return NULL;
	if (u < 0xD800 || u > 0xDBFF)
		return p + 6;
	if (end - p < 12)
		return p;
	if (p[6] != '\\' || p[7] != 'u')
		return NULL;
	long lo = hex4(p + 8, end);
	if (lo < 0xDC00 || lo > 0xDFFF)
		return NULL;
	return p + 12;
}

/* Inside a string: past the closing quote (JSCAN_DONE), or where to go on
 * from (JSCAN_MORE: the end, or an escape cut by it). */
static enum jscan_rc scan_string_on(const char **pp, const char *end)
{
	for (const char *p = *pp; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"') {
			*pp = p + 1;
			return JSCAN_DONE;
		}
		if (c < 0x20)
			return JSCAN_BAD;
		if (c != '\\')
			continue;
		const char *e = scan_escape(p, end);
		if (!e)
			return JSCAN_BAD;
		if (e == p) {
			*pp = p;
			return JSCAN_MORE;
		}
		p = e - 1;
	}
	*pp = end;
	return JSCAN_MORE;
}

/* A literal or a number at *pp: past it, or JSCAN_MORE (*pp unchanged) when
 * it may go on after end. Both are short: waiting costs little. */
static enum jscan_rc scan_token(const char **pp, const char *end, bool final)
{
	const char *p = *pp;
	const char *lit = *p == 't' ? "true" : *p == 'f' ? "false" : *p == 'n' ? "null" : NULL;
	if (lit) {
		size_t n = strlen(lit), avail = (size_t)(end - p);
		if (avail < n)
			return !final && memcmp(p, lit, avail) == 0 ? JSCAN_MORE : JSCAN_BAD;
		if (memcmp(p, lit, n) != 0)
			return JSCAN_BAD;
		*pp = p + n;
		return JSCAN_DONE;
	}
	const char *q = p;
	while (q < end && q - p <= JSCAN_MAX_NUMBER && *q && strchr("0123456789+-.eE", *q))
		q++;
	if (q - p > JSCAN_MAX_NUMBER)
		return JSCAN_BAD;
	if (q == end && !final)
		return JSCAN_MORE;
	if (!(q = scan_number(p, end)))
		return JSCAN_BAD;
	*pp = q;
	return JSCAN_DONE;
}

static bool level_is_object(const struct jscan *s, unsigned level)
{
	return s->objs[level / 8] & (1u << (level % 8));
}

static bool open_container(struct jscan *s, char c)
{
	if (s->depth == JSCAN_MAX_DEPTH)
		return false;
	unsigned char bit = (unsigned char)(1u << (s->depth % 8));
	if (c == '{')
		s->objs[s->depth / 8] |= bit;
	else
		s->objs[s->depth / 8] &= (unsigned char)~bit;
	s->depth++;
	s->mode = c == '{' ? JS_OBJ_FIRST : JS_ARR_FIRST;
	return true;
}

enum jscan_rc jscan_feed(struct jscan *s, const char *start, const char *end, bool final,
			 const char **vend)
{
	const char *p = start + s->off;
	enum jscan_rc rc;
	if (p < end)
		s->scanned += (size_t)(end - p);
	for (;;) {
		if (s->mode != JS_STR && !(s->mode == JS_AFTER && s->depth == 0) &&
		    (p = ws(p, end)) == end)
			goto more;
		switch (s->mode) {
		case JS_VALUE:
			if (*p == '{' || *p == '[') {
				if (!open_container(s, *p))
					return JSCAN_BAD;
				p++;
			} else if (*p == '"') {
				s->mode = JS_STR;
				s->after = JS_AFTER;
				p++;
			} else {
				if ((rc = scan_token(&p, end, final)) == JSCAN_BAD)
					return JSCAN_BAD;
				if (rc == JSCAN_MORE)
					goto more;
				s->mode = JS_AFTER;
			}
			continue;
		case JS_ARR_FIRST:
		case JS_OBJ_FIRST:
			if (*p == (s->mode == JS_ARR_FIRST ? ']' : '}')) {
				s->depth--;
				s->mode = JS_AFTER;
				p++;
			} else {
				s->mode = s->mode == JS_ARR_FIRST ? JS_VALUE : JS_KEY;
			}
			continue;
		case JS_KEY:
			if (*p != '"')
				return JSCAN_BAD;
			s->mode = JS_STR;
			s->after = JS_COLON;
			p++;
			continue;
		case JS_COLON:
			if (*p != ':')
				return JSCAN_BAD;
			s->mode = JS_VALUE;
			p++;
			continue;
		case JS_STR:
			if ((rc = scan_string_on(&p, end)) == JSCAN_BAD)
				return JSCAN_BAD;
			if (rc == JSCAN_MORE)
				goto more;
			s->mode = s->after;
			continue;
		case JS_AFTER:
			if (s->depth == 0) {
				s->off = (size_t)(p - start);
				*vend = p;
				return JSCAN_DONE;
			}
			bool obj = level_is_object(s, s->depth - 1);
			if (*p == (obj ? '}' : ']')) {
				s->depth--;
				p++;
				continue;
			}
			if (*p != ',')
				return JSCAN_BAD;
			s->mode = obj ? JS_KEY : JS_VALUE;
			p++;
			continue;
		}
		return JSCAN_BAD;
	}
more:
	s->off = (size_t)(p - start);
	return final ? JSCAN_BAD : JSCAN_MORE;
}

const char *jscan_skip(const char *p, const char *end)
{
	struct jscan s;
	const char *vend;
	jscan_init(&s);
	return jscan_feed(&s, p, end, true, &vend) == JSCAN_DONE ? vend : NULL;
}

bool jspan_eq(struct jspan k, const char *s)
{
	size_t n = strlen(s);
	return k.p && k.len == n && memcmp(k.p, s, n) == 0;
}
