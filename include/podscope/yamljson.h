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
 * A key given twice in one mapping keeps its last value, as kubectl's YAML
 * reader does (yamljson_parse_unique refuses it instead).
 *
 * yamljson_parse_all returns every document of the stream as a cJSON array
 * (empty documents are skipped); yamljson_parse returns the first document,
 * or an empty object when the stream has none.
 *
 * On a syntax error both return NULL and set err (PERR_CONFIG) to
 * "NAME:LINE:COLUMN: problem", NAME being what the caller passes (a path).
 * Lines and columns count from 1.
 *
 * Every input is hostile, so each stream is held to the limits below and
 * refused with NAME:LINE:COLUMN and the limit when it exceeds one. Aliases
 * are what make a 500-byte file expand to gigabytes ("billion laughs"):
 * every node an alias (or an anchor's private copy) makes counts against
 * YAMLJSON_MAX_COPIED, whatever the nesting.
 */
#define YAMLJSON_MAX_BYTES (64u << 20) /* the whole stream */
#define YAMLJSON_MAX_DEPTH 256         /* nesting of the result, aliases included */
#define YAMLJSON_MAX_NODES 2000000     /* nodes made, copies included */
#define YAMLJSON_MAX_ALIASES 10000     /* alias uses (*name) */
#define YAMLJSON_MAX_ANCHORS 1000      /* anchor definitions (&name) */
#define YAMLJSON_MAX_ANCHOR_NAME 256   /* bytes in an anchor's name */
#define YAMLJSON_MAX_COPIED 200000     /* nodes made by aliases and anchors */

cJSON *yamljson_parse(const char *name, const char *text, size_t len, struct perr *err);
cJSON *yamljson_parse_all(const char *name, const char *text, size_t len, struct perr *err);

/* yamljson_parse for podscope's own files (config, themes), where a key set
 * twice is a mistake: "NAME:LINE:COLUMN: key \"K\" is set twice (first on
 * line L)". */
cJSON *yamljson_parse_unique(const char *name, const char *text, size_t len, struct perr *err);

#endif
