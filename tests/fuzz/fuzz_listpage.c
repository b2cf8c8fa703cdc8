#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "podscope/jsonscan.h"
#include "podscope/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What jscan accepts, cJSON must parse: the informer relies on it. */
static void agree(struct jspan v)
{
	cJSON *j = cJSON_ParseWithLength(v.p, v.len);
	if (!j)
		abort();
	cJSON_Delete(j);
}

/*
 * A list page as the informer takes it apart: members of the top object,
 * the items one at a time into a store of pods; every span the scanner
 * accepts must parse.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *end = text + size;
	const char *stop = jscan_skip(text, end);
	if (stop)
		agree((struct jspan){text, (size_t)(stop - text)});
	struct store *st = store_new();
	struct jscan it, arr;
	struct jspan key, val;
	jscan_open(&it, text, end, '{');
	while (jscan_next(&it, &key, &val)) {
		agree(val);
		if (!jspan_eq(key, "items") || !jscan_open(&arr, val.p, val.p + val.len, '['))
			continue;
		while (jscan_next(&arr, NULL, &val)) {
			cJSON *item = cJSON_ParseWithLength(val.p, val.len);
			if (!item)
				abort();
			store_upsert_json(st, STORE_PODS, item, NULL);
			cJSON_Delete(item);
		}
		if (arr.bad)
			abort(); /* the whole value scanned, so its elements do */
	}
	store_free(st);
	return 0;
}
