#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "podscope/jsonscan.h"
#include "podscope/listsplit.h"
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

static int count_item(void *ud, const char *item, size_t len)
{
	agree((struct jspan){item, len});
	(*(size_t *)ud)++;
	return 0;
}

/*
 * The same page as it arrives, in chunks the first byte sizes: every item
 * handed over parses, and when the text is one valid list the items are the
 * ones the whole-text scan finds.
 */
static void split_agrees(const char *text, size_t size, size_t step, size_t whole_items,
			 bool whole_list)
{
	struct lsplit s;
	struct perr err = {0};
	size_t n = 0;
	int rc = 0;
	lsplit_init(&s, 1 << 16);
	for (size_t off = 0; off < size && rc == 0; off += step)
		rc = lsplit_feed(&s, text + off, size - off < step ? size - off : step, count_item,
				 &n, &err);
	if (rc == 0)
		rc = lsplit_end(&s, &err);
	if (whole_list && (rc != 0 || n != whole_items))
		abort();
	perr_clear(&err);
	lsplit_free(&s);
}

/*
 * A list page as the informer takes it apart: members of the top object,
 * the items one at a time into a store of pods (after a first byte that
 * sizes the chunks of the second pass); every span the scanner
 * accepts must parse.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t step = (size_t)data[0] % 61 + 1;
	data++;
	size--;
	const char *text = (const char *)data, *end = text + size;
	size_t whole_items = 0;
	bool has_items = false;
	const char *stop = jscan_skip(text, end);
	if (stop)
		agree((struct jspan){text, (size_t)(stop - text)});
	struct store *st = store_new();
	struct jscan it, arr;
	struct jspan key, val;
	jscan_open(&it, text, end, '{');
	while (jscan_next(&it, &key, &val)) {
		agree(val);
		/* the first "items" only, as cJSON and lsplit take it */
		if (has_items || !jspan_eq(key, "items"))
			continue;
		if (!jscan_open(&arr, val.p, val.p + val.len, '['))
			break;
		has_items = true;
		while (jscan_next(&arr, NULL, &val)) {
			whole_items++;
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
	/* Valid as a whole, items an array: a list lsplit must agree on (a
	 * value over its 64 KiB limit aside). */
	split_agrees(text, size, step, whole_items,
		     stop && !it.bad && has_items && size < (1 << 16));
	return 0;
}
