#ifndef PODSCOPE_INTERN_H
#define PODSCOPE_INTERN_H

#include <stddef.h>
#include <stdint.h>

/*
 * A string interner: one copy of each distinct string, shared by every
 * object that holds it (namespaces, images, node names, label keys and
 * values, reasons). Each copy is reference-counted, so a dashboard that runs
 * for days does not grow: when the last object holding a string goes away,
 * the string goes too.
 *
 * The empty string is never stored: intern_get("") returns a static "" and
 * intern_release ignores it. Not thread-safe (podscope has one thread).
 */

struct intern;

struct intern *intern_new(void);

/* Free the table and every string in it, whatever the counts. */
void intern_free(struct intern *in);

/*
 * The shared copy of s (NUL-terminated) or of the n bytes at s, with one
 * more reference. The pointer stays valid until as many intern_release
 * calls as intern_get calls have been made for it. Never NULL (a NULL s is
 * treated as "").
 */
const char *intern_get(struct intern *in, const char *s);
const char *intern_getn(struct intern *in, const char *s, size_t n);

/*
 * Drop one reference to a pointer returned by intern_get. Pointers that the
 * table does not hold (a static "", a string elsewhere in memory) are
 * ignored, so that a caller that mixes interned and other strings cannot
 * corrupt the table.
 */
void intern_release(struct intern *in, const char *s);

/* The shared copy of s if the table holds one (no new reference), else NULL. */
const char *intern_find(const struct intern *in, const char *s);

/* How many distinct strings are held, and the heap bytes they take (strings,
 * headers and the table itself). */
/* The table's hash (FNV-1a: short strings, no need for more), for other
 * tables of strings. */
uint32_t intern_hash(const char *s, size_t n);
size_t intern_count(const struct intern *in);
size_t intern_bytes(const struct intern *in);

/* The reference count of an interned pointer (0 when not held): for tests. */
unsigned intern_refs(const struct intern *in, const char *s);

#endif
