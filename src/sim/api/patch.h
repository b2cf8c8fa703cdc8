#ifndef PODSCOPE_SIM_PATCH_H
#define PODSCOPE_SIM_PATCH_H

#include <cjson/cJSON.h>

#include "podscope/err.h"

/*
 * The three PATCH flavours the API server accepts, applied to a copy of an
 * object. Each returns the patched object (a new tree; the input is left
 * alone) or NULL with err set: PERR_USAGE for a malformed patch (HTTP 400),
 * PERR_API with http_status 422 for one that cannot apply (a failed "test",
 * a path that does not exist).
 */

/* application/merge-patch+json (RFC 7386). */
cJSON *patch_merge(const cJSON *obj, const cJSON *patch, struct perr *err);

/* application/json-patch+json (RFC 6902): add, remove, replace, move, copy, test. */
cJSON *patch_json(const cJSON *obj, const cJSON *ops, struct perr *err);

/*
 * application/strategic-merge-patch+json, as far as kubectl uses it: maps
 * merge, lists of containers, volumes, env, ports, conditions... merge by
 * their Kubernetes merge key, other lists are replaced; null deletes; and
 * the directives $patch (replace, delete, merge), $setElementOrder/<list>,
 * $retainKeys and $deleteFromPrimitiveList/<list>.
 */
cJSON *patch_strategic(const cJSON *obj, const cJSON *patch, struct perr *err);

/* The merge key of a list field in Kubernetes' types ("containers" ->
 * "name"), given one of its elements for the ambiguous "ports"; NULL when
 * the list is replaced whole. "" means a list of primitives that merges. */
const char *patch_merge_key(const char *field, const cJSON *sample);

#endif
