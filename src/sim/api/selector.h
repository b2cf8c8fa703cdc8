#ifndef PODSCOPE_SIM_SELECTOR_H
#define PODSCOPE_SIM_SELECTOR_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "resources.h"

/*
 * Label selectors (labelSelector=) and field selectors (fieldSelector=) as
 * the API server parses them:
 *   labels: key, !key, key=v, key==v, key!=v, key in (a,b), key notin (a,b),
 *           key>N, key<N; requirements joined by commas, all must hold.
 *   fields: path=v, path==v, path!=v for the paths the resource supports
 *           (metadata.name and metadata.namespace everywhere, plus a few per
 *           resource such as status.phase or involvedObject.name).
 * An empty or NULL string selects everything.
 */

struct simsel;

/* NULL with *err (a heap string) on a syntax error. */
struct simsel *simsel_parse_labels(const char *s, char **err);
struct simsel *simsel_parse_fields(const struct simres *res, const char *s, char **err);
void simsel_free(struct simsel *sel);

/* True when the selector has no requirements (selects everything). */
bool simsel_empty(const struct simsel *sel);

/* Match the labels object (NULL: no labels). */
bool simsel_match_labels(const struct simsel *sel, const cJSON *labels);
/* Match a whole object by its fields. */
bool simsel_match_fields(const struct simsel *sel, const cJSON *obj);

/* Requirement on metadata.name or metadata.namespace with "=": its value, else NULL
 * (lets a list narrow its scan). */
const char *simsel_field_equals(const struct simsel *sel, const char *path);

#endif
