#ifndef PODSCOPE_SIM_YAMLPOS_H
#define PODSCOPE_SIM_YAMLPOS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Where each node of a YAML stream starts, so that a check made on the
 * cJSON tree (yamljson) can still name FILE:LINE:COLUMN. Documents are
 * counted as yamljson_parse_all counts them (null documents skipped, from
 * 0); paths are keys and sequence indexes joined by '/', e.g.
 * "steps/2/image". Both a mapping key and its value are recorded.
 */

struct yamlpos;

/* Scan text; NULL when it is not valid YAML (yamljson says why). */
struct yamlpos *yamlpos_scan(const char *text, size_t len);
void yamlpos_free(struct yamlpos *p);

/*
 * Line and column (from 1) of path in document doc: of the key when key is
 * true and the path ends in a mapping key, else of the value. A path that
 * is not there falls back to its nearest recorded parent; false only when
 * not even the document is known.
 */
bool yamlpos_find(const struct yamlpos *p, int doc, const char *path, bool key, unsigned *line,
		  unsigned *col);

#endif
