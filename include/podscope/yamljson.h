#ifndef PODSCOPE_YAMLJSON_H
#define PODSCOPE_YAMLJSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "podscope/err.h"

/*
 * YAML (1.1 as Kubernetes writes it) to cJSON, from memory: no files are read
 * here. Plain scalars become null, booleans, numbers or strings by the YAML
 * 1.1 core rules (true/false/yes/no/on/off, ~/null, ints, floats); quoted ones
 * stay strings. Anchors and aliases are resolved; merge keys (<<) are merged.
 *
 * yamljson_parse_all returns every document of the stream as a cJSON array
 * (empty documents are skipped); yamljson_parse returns the first document,
 * or an empty object when the stream has none.
 *
 * On a syntax error both return NULL and set err (PERR_CONFIG) to
 * "NAME:LINE:COLUMN: problem", NAME being what the caller passes (a path).
 * Lines and columns count from 1.
 */
cJSON *yamljson_parse(const char *name, const char *text, size_t len, struct perr *err);
cJSON *yamljson_parse_all(const char *name, const char *text, size_t len, struct perr *err);

#endif
