#ifndef PODSCOPE_JARENA_H
#define PODSCOPE_JARENA_H

#include <stddef.h>

struct cJSON;

/*
 * The JSON tree of one watch event or one list item, parsed into one block
 * that is reused for the next: cJSON's nodes and strings are taken from the
 * block in order and the tree is dropped at once. A pod is some hundred
 * nodes; with malloc each is an allocation and a free, and most of a watch
 * event's cost. Pure memory, no I/O.
 *
 * One tree lives in the block at a time. A parse while it lives, or the
 * part of a tree that does not fit (JARENA_BYTES), comes from malloc, so
 * any size parses. The tree is read-only: nothing is added to it or
 * detached from it, and it is given back with jarena_delete, never
 * cJSON_Delete. Not thread-safe: cJSON's allocation hooks are process-wide,
 * and podscope parses on its one loop thread.
 */

#define JARENA_BYTES (1024u * 1024)

/* cJSON_ParseWithLength into the block: NULL when text is not JSON. */
struct cJSON *jarena_parse(const char *text, size_t len);
/* Give back a tree from jarena_parse (NULL is ignored). */
void jarena_delete(struct cJSON *root);

/* For tests: bytes of the block the live tree uses, and whether a part of
 * it came from malloc. */
size_t jarena_used(void);
int jarena_spilled(void);

#endif
