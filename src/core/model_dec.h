#ifndef PODSCOPE_MODEL_DEC_H
#define PODSCOPE_MODEL_DEC_H

/* Helpers the model decoders share (src/core/model_*.c, pod_decode.c only). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "podscope/model.h"

/* The first number that did not fit: the object then fails to decode. */
struct dec_fail {
	struct perr *err;
	bool failed;
};

struct dec {
	struct model_arena *arena;
	const struct model_decode_opts *opts;
	struct dec_fail *fail;
};

/* Go's integer types of the API's fields, as podscope holds them. */
enum dec_type {
	DEC_INT32,     /* int32 */
	DEC_INT32_SIG, /* int32, held in the 24 bits of container_state.signal */
	DEC_INT64,     /* int64, read exactly up to 2^53 (what a double holds) */
	DEC_INT64_SAT, /* int64 seconds held in an int32: beyond, 68 years is as long */
};

/* A string that repeats across objects: interned when there is a hook. */
const char *dec_str(const struct dec *d, const cJSON *obj, const char *key);
/* A string of this object alone: in the arena when opts->unique_in_arena. */
const char *dec_ustr(const struct dec *d, const cJSON *obj, const char *key);
const char *dec_intern(const struct dec *d, const char *s);
/*
 * The integer at obj.key: dflt when absent or not a number (the model's
 * "mistyped fields are left at their default"); *present set when it is a
 * number. A number Go's decoding refuses for the field's type (1.5, 1e300,
 * 2147483648 for an int32, 1e400) is not turned into another: the object
 * fails (d->fail, with Go's words; st is the Go struct holding the field,
 * "ContainerStateTerminated") and dflt comes back.
 */
int64_t dec_int(const struct dec *d, const cJSON *obj, const char *key, const char *st,
		enum dec_type t, int64_t dflt, uint8_t *present);
/* Several int32 fields of one object of Go struct st, each 0 when absent. */
struct dec_field {
	const char *key;
	int32_t *out;
};
void dec_int32s(const struct dec *d, const cJSON *obj, const char *st, const struct dec_field *f,
		size_t n);
/* 0, or -1 with the failure's message in err once a number did not fit. */
int dec_done(const struct dec *d);
bool dec_bool(const cJSON *obj, const char *key, uint8_t *tri);
int64_t dec_time(const cJSON *obj, const char *key);
/* cJSON_GetObjectItemCaseSensitive, the same answer (the first member of
 * that name, NULL for none or for obj NULL or not an object) without a
 * strcmp for each member before it: a pod is some 300 lookups. */
const cJSON *dec_key(const cJSON *obj, const char *key);
const cJSON *obj_item(const cJSON *obj, const char *key);
/* The array under key and its length, capped to what a uint16_t holds. */
const cJSON *arr_item(const cJSON *obj, const char *key, uint16_t *n);
uint8_t dec_cond_status(const cJSON *obj);
int dec_not_object(const cJSON *obj, const char *kind, struct perr *err);
void dec_meta(const struct dec *d, const cJSON *obj, const char **ns, const char **name,
	      const char **uid, int64_t *created);
/* A string-to-string map (labels, a selector) as pairs; NULL when empty. */
struct model_kv *dec_kv(const struct dec *d, const cJSON *map, uint16_t *n);
/* dec_kv without the pairs drop(ud, key, value) claims; they are never
 * interned. */
struct model_kv *dec_kv_but(const struct dec *d, const cJSON *map, uint16_t *n,
			    bool (*drop)(void *ud, const char *key, const char *value), void *ud);
struct owner_ref *dec_owners(const struct dec *d, const cJSON *meta, uint16_t *n);
void dec_intstr(const struct dec *d, const cJSON *obj, const char *key, const char *st,
		struct intstr *v);
/* The images of a pod template's containers (key "containers" or "initContainers"). */
const char **dec_images(const struct dec *d, const cJSON *podspec, const char *key, uint16_t *n);
/* A label selector's matchExpressions (sel is the selector object). */
struct label_expr *dec_label_exprs(const struct dec *d, const cJSON *sel, uint16_t *n);
/* The same under another key (a nodeSelectorTerm's "matchFields"). */
struct label_expr *dec_exprs_key(const struct dec *d, const cJSON *sel, const char *key,
				 uint16_t *n);
/* A DaemonSet's template placement (spec.template.spec): nodeSelector,
 * tolerations, required node affinity, nodeName, hostNetwork. */
void dec_ds_placement(const struct dec *d, const cJSON *pspec, struct daemonset *ds);
/* A string array joined by spaces (exec commands), interned. */
const char *dec_joined(const struct dec *d, const cJSON *arr);

#endif
