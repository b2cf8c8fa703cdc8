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

/* Does the raw key equal s? */
bool jspan_eq(struct jspan k, const char *s);

#endif
