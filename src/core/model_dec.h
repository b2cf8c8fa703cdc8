#ifndef PODSCOPE_MODEL_DEC_H
#define PODSCOPE_MODEL_DEC_H

/* Helpers the model decoders share (src/core/model_*.c, pod_decode.c only). */

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "podscope/model.h"

struct dec {
	struct model_arena *arena;
	const struct model_decode_opts *opts;
};

/* A string that repeats across objects: interned when there is a hook. */
const char *dec_str(const struct dec *d, const cJSON *obj, const char *key);
/* A string of this object alone: in the arena when opts->unique_in_arena. */
const char *dec_ustr(const struct dec *d, const cJSON *obj, const char *key);
const char *dec_intern(const struct dec *d, const char *s);
int64_t dec_int(const cJSON *obj, const char *key, int64_t dflt, uint8_t *present);
bool dec_bool(const cJSON *obj, const char *key, uint8_t *tri);
int64_t dec_time(const cJSON *obj, const char *key);
const cJSON *obj_item(const cJSON *obj, const char *key);
/* The array under key and its length, capped to what a uint16_t holds. */
const cJSON *arr_item(const cJSON *obj, const char *key, uint16_t *n);
uint8_t dec_cond_status(const cJSON *obj);
int dec_not_object(const cJSON *obj, const char *kind, struct perr *err);
void dec_meta(const struct dec *d, const cJSON *obj, const char **ns, const char **name,
	      const char **uid, int64_t *created);
/* A string-to-string map (labels, a selector) as pairs; NULL when empty. */
struct model_kv *dec_kv(const struct dec *d, const cJSON *map, uint16_t *n);
struct owner_ref *dec_owners(const struct dec *d, const cJSON *meta, uint16_t *n);
void dec_intstr(const struct dec *d, const cJSON *obj, const char *key, struct intstr *v);
/* The images of a pod template's containers (key "containers" or "initContainers"). */
const char **dec_images(const struct dec *d, const cJSON *podspec, const char *key, uint16_t *n);
/* A string array joined by spaces (exec commands), interned. */
const char *dec_joined(const struct dec *d, const cJSON *arr);

#endif
