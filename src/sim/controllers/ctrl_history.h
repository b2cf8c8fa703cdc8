#ifndef PODSCOPE_SIM_CTRL_HISTORY_H
#define PODSCOPE_SIM_CTRL_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/*
 * ControllerRevisions as pkg/controller/history (v1.33) and the
 * StatefulSet controller's use of them (getPatch, newRevision,
 * ApplyRevision, nextRevision) restate them: a revision's data is the
 * workload's spec.template as a "$patch: replace" strategic merge patch,
 * marshalled as Go's encoding/json does (keys sorted, HTML characters
 * escaped); its name is PARENT-HASH where HASH is the FNV-32 of those bytes
 * (and the collision count), spelled by rand.SafeEncodeString.
 */

#define SIMHIST_HASH_LEN 16

/* Go's json.Marshal of a value that went through map[string]interface{}:
 * compact, object keys sorted, <, >, & and U+2028/9 escaped. Caller frees. */
char *simhist_go_json(const cJSON *v);

/* getPatch: {"spec":{"template":{...,"$patch":"replace"}}} of a workload
 * (Go-marshalled, see above). NULL when it has no spec.template. */
char *simhist_patch(const cJSON *workload);

/* HashControllerRevision over raw (n bytes) and the probe (the collision
 * count; NULL for none). */
void simhist_hash(const char *raw, size_t n, const int32_t *probe, char out[SIMHIST_HASH_LEN]);

/* ControllerRevisionName: the parent's name cut to 223 bytes, "-", hash.
 * Caller frees. */
char *simhist_name(const char *parent, const char *hash);

/* One revision as the controller reads it. */
struct simhist_rev {
	const char *name;
	const cJSON *obj; /* the ControllerRevision */
	int64_t revision;
	int64_t created_ms;
};

/* SortControllerRevisions: by revision, then creation time, then name. */
void simhist_sort(struct simhist_rev *v, size_t n);

/* EqualRevision on the data: the same bytes once both are marshalled. */
bool simhist_equal_data(const cJSON *a, const cJSON *b);

/* ApplyRevision: a copy of workload with spec.template taken from the
 * revision's data (the patch replaces it whole). Caller frees. */
cJSON *simhist_apply(const cJSON *workload, const cJSON *revision);

#endif
