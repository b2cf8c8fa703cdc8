#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "podscope/jsonscan.h"
#include "podscope/listsplit.h"
#include "podscope/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What jscan accepts, cJSON must parse: the informer relies on it. */
static void agree(const char *p, size_t len)
{
	cJSON *j = cJSON_ParseWithLength(p, len);
	if (!j)
		abort();
	cJSON_Delete(j);
}

struct sink {
	struct store *st;
	size_t n;
};

static int store_item(void *ud, const char *item, size_t len)
{
	struct sink *k = ud;
	cJSON *obj = cJSON_ParseWithLength(item, len);
	if (!obj)
		abort(); /* lsplit hands over only what jscan validated */
	store_upsert_json(k->st, STORE_PODS, obj, NULL);
	cJSON_Delete(obj);
	k->n++;
	return 0;
}

/*
 * A list page as the informer takes it apart, in chunks the first byte
 * sizes: every item lsplit hands over parses and goes into a store of pods;
 * what jscan accepts as a whole, cJSON parses; and when the text is one
 * valid list, lsplit finds exactly the items cJSON finds.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t step = (size_t)data[0] % 61 + 1;
	const char *text = (const char *)data + 1;
	size--;
	const char *stop = jscan_skip(text, text + size);
	size_t whole_items = 0;
	bool whole_list = false;
	if (stop) {
		agree(text, (size_t)(stop - text));
		cJSON *root = cJSON_ParseWithLength(text, (size_t)(stop - text));
		const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items");
		if (cJSON_IsObject(root) && cJSON_IsArray(items)) {
			whole_list = size < (1 << 16); /* lsplit's limit below */
			whole_items = (size_t)cJSON_GetArraySize(items);
		}
		cJSON_Delete(root);
	}

	struct sink k = {store_new(), 0};
	struct lsplit s;
	struct perr err = {0};
	int rc = 0;
	lsplit_init(&s, 1 << 16);
	for (size_t off = 0; off < size && rc == 0; off += step)
		rc = lsplit_feed(&s, text + off, size - off < step ? size - off : step, store_item,
				 &k, &err);
	if (rc == 0)
		rc = lsplit_end(&s, &err);
	if (whole_list && (rc != 0 || k.n != whole_items))
		abort();
	perr_clear(&err);
	lsplit_free(&s);
	store_free(k.st);
	return 0;
}
