#include "config.h"

#include <string.h>

#include "podscope/jsonscan.h"

/* cJSON's CJSON_NESTING_LIMIT: deeper text would pass here and fail there. */
#define JSCAN_MAX_DEPTH 1000

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

/* p at the opening quote; past the closing one, or NULL. */
static const char *scan_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL;
		if (c != '\\')
			continue;
		if (++p == end)
			return NULL;
		switch (*p) {
		case '"':
		case '\\':
		case '/':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			break;
		case 'u': {
			/* As cJSON: a high surrogate needs a low one after it,
			 * and a low one alone is an error. */
			long u = hex4(p + 1, end);
			if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF))
				return NULL;
			p += 4;
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (end - p < 3 || p[1] != '\\' || p[2] != 'u')
					return NULL;
				long lo = hex4(p + 3, end);
				if (lo < 0xDC00 || lo > 0xDFFF)
					return NULL;
				p += 6;
			}
			break;
		}
		default:
			return NULL;
		}
	}
	return NULL;
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

static const char *scan_literal(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(end - p) < n || memcmp(p, lit, n) != 0)
		return NULL;
	return p + n;
}

/* One scalar at p (not '{' or '['); past it, or NULL. */
static const char *scan_scalar(const char *p, const char *end)
{
	switch (*p) {
	case '"':
		return scan_string(p, end);
	case 't':
		return scan_literal(p, end, "true");
	case 'f':
		return scan_literal(p, end, "false");
	case 'n':
		return scan_literal(p, end, "null");
	default:
		return scan_number(p, end);
	}
}

const char *jscan_skip(const char *p, const char *end)
{
	char stack[JSCAN_MAX_DEPTH]; /* the closing bracket of each open container */
	int depth = 0;
value:
	p = ws(p, end);
	if (p == end)
		return NULL;
	if (*p == '{' || *p == '[') {
		if (depth == JSCAN_MAX_DEPTH)
			return NULL;
		char close = *p == '{' ? '}' : ']';
		stack[depth++] = close;
		p = ws(p + 1, end);
		if (p < end && *p == close) {
			p++;
			depth--;
			goto after;
		}
		if (close == ']')
			goto value;
		goto key;
	}
	if (!(p = scan_scalar(p, end)))
		return NULL;
after:
	if (depth == 0)
		return p;
	p = ws(p, end);
	if (p == end)
		return NULL;
	if (*p == stack[depth - 1]) {
		p++;
		depth--;
		goto after;
	}
	if (*p != ',')
		return NULL;
	p++;
	if (stack[depth - 1] == ']')
		goto value;
key:
	p = ws(p, end);
	if (p == end || *p != '"' || !(p = scan_string(p, end)))
		return NULL;
	p = ws(p, end);
	if (p == end || *p != ':')
		return NULL;
	p++;
	goto value;
}

bool jspan_eq(struct jspan k, const char *s)
{
	size_t n = strlen(s);
	return k.p && k.len == n && memcmp(k.p, s, n) == 0;
}
