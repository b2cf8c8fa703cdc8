#ifndef PODSCOPE_JSONSCAN_H
#define PODSCOPE_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A validating scanner over JSON text that builds nothing: it finds where
 * values begin and end, so that a large document (a list page of 500 pods)
 * can be handed to cJSON one member or element at a time instead of as one
 * tree. Checks the whole grammar of RFC 8259 (strings and their escapes,
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

/* An iterator over the members of an object or the elements of an array. */
struct jscan {
	const char *p, *end;
	char close; /* '}' or ']' */
	bool first;
	bool bad; /* the text is not valid JSON */
};

/*
 * Start iterating the object (want '{') or array (want '[') that starts at
 * p (after optional whitespace). Returns false (it->bad) when something
 * else is there.
 */
bool jscan_open(struct jscan *it, const char *p, const char *end, char want);

/*
 * The next element (key NULL) or member (key set) into *val. Returns true
 * for one; false at the closing bracket (it->bad false) or on invalid text
 * (it->bad true). After the closing bracket, it->p points past it.
 */
bool jscan_next(struct jscan *it, struct jspan *key, struct jspan *val);

/* Is span the literal null? Does the raw key equal s? */
bool jspan_is_null(struct jspan v);
bool jspan_eq(struct jspan k, const char *s);

#endif
