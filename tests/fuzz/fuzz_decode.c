#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "podscope/intern.h"
#include "podscope/rollout.h"
#include "podscope/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * One JSON object decoded as every kind, into the store (interned, packed)
 * and into an arena (no intern hook); replaced, then deleted: every string
 * reference must come back (the interner ends empty).
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *obj = cJSON_ParseWithLength((const char *)data, size);
	if (!obj)
		return 0;
	struct store *s = store_new();
	for (int k = 0; k < STORE_NKINDS; k++) {
		store_replace_begin(s, (enum store_kind)k);
		store_upsert_json(s, (enum store_kind)k, obj, NULL);
		store_upsert_json(s, (enum store_kind)k, obj, NULL);
		store_replace_end(s, (enum store_kind)k);
		store_clear(s, (enum store_kind)k);
	}
	if (intern_count(store_strings(s)) != 0)
		abort();
	store_free(s);

	struct model_arena a = MODEL_ARENA_INIT;
	struct pod p;
	struct deployment d;
	struct replicaset rs;
	struct statefulset sts;
	struct daemonset ds;
	struct rollout_result r;
	model_decode_pod(obj, &p, &a, NULL, NULL);
	model_decode_deployment(obj, &d, &a, NULL, NULL);
	model_decode_replicaset(obj, &rs, &a, NULL, NULL);
	if (model_decode_statefulset(obj, &sts, &a, NULL, NULL) == 0)
		rollout_statefulset_status(&sts, &r);
	if (model_decode_daemonset(obj, &ds, &a, NULL, NULL) == 0)
		rollout_daemonset_status(&ds, &r);
	model_arena_free(&a);
	cJSON_Delete(obj);
	return 0;
}
