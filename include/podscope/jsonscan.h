#ifndef PODSCOPE_JSONSCAN_H
#define PODSCOPE_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A validating scanner over JSON text that builds nothing: it finds where a
 * value ends, so that a large document (a list page of 500 pods, see
 * listsplit.h) can be handed to cJSON one element at a time instead of as
 * one tree. Checks the whole grammar of RFC 8259 (strings and their escapes,
 * numbers, literals, nesting; not UTF-8) and cJSON's own limits (1000
 * levels of nesting, numbers of at most 63 characters, no lone UTF-16
 * surrogate in an escape): text that passes is text cJSON parses. Pure
 * memory, no recursion, no allocation.
 */

/* A span of the text: one value, or an object member's key (raw, quotes
 * stripped, escapes left as they are). */
struct jspan {
	const char *p;
	size_t len;
};

/* The end of the value that starts at p (after optional whitespace), or
 * NULL when there is no complete, valid value before end. */
const char *jscan_skip(const char *p, const char *end);

/* cJSON's CJSON_NESTING_LIMIT: deeper text would pass here and fail there. */
#define JSCAN_MAX_DEPTH 1000

/*
 * The same scan, resumable: a value that arrives in chunks is scanned once,
 * each call going on from where the last one stopped (a long string is not
 * read again from its start). The state is plain memory: no allocation.
 */
struct jscan {
	size_t off;                                    /* bytes of the value scanned for sure */
	unsigned depth;                                /* open containers */
	unsigned char mode;                            /* what comes next (see jsonscan.c) */
	unsigned char after;                           /* in a string: what follows it */
	unsigned char objs[(JSCAN_MAX_DEPTH + 7) / 8]; /* bit set: that level is an object */
	size_t scanned; /* bytes looked at over all calls (how much work it took) */
};

enum jscan_rc {
	JSCAN_MORE = 0, /* valid so far; the value goes on after end */
	JSCAN_DONE,     /* a whole value: *vend is just past it */
	JSCAN_BAD,      /* not JSON (or beyond cJSON's limits) */
};

void jscan_init(struct jscan *s);

/*
 * Scan on. start is the value's first byte (or the blanks before it); the
 * text from start must be the text of the earlier calls, maybe moved, with
 * more after it. final: end is the end of all the text (a number that
 * reaches it is whole). Without final, a value counts as whole only when
 * nothing after it could still be part of it.
 */
enum jscan_rc jscan_feed(struct jscan *s, const char *start, const char *end, bool final,
			 const char **vend);

/* Does the raw key equal s? */
bool jspan_eq(struct jspan k, const char *s);

#endif
