#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "podscope/store.h"
#include "podscope/watchframe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	struct store *store;
};

static int on_line(void *ud, const char *line, size_t len)
{
	struct ctx *c = ud;
	struct wevent ev;
	if (wevent_parse(line, len, &ev, NULL) < 0)
		return 0;
	if (ev.type == WEV_ADDED || ev.type == WEV_MODIFIED)
		store_upsert_json(c->store, STORE_PODS, ev.object, NULL);
	else if (ev.type == WEV_DELETED)
		store_delete_json(c->store, STORE_PODS, ev.object);
	wevent_free(&ev);
	return 0;
}

/*
 * A watch stream as the server sends it, cut into chunks where the first
 * byte says, framed and applied to a store of pods.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t step = (size_t)data[0] % 61 + 1;
	data++;
	size--;
	struct ctx c = {store_new()};
	struct wframe f;
	struct perr err = {0};
	wframe_init(&f, 4096);
	for (size_t off = 0; off < size; off += step) {
		size_t n = size - off < step ? size - off : step;
		if (wframe_feed(&f, (const char *)data + off, n, on_line, &c, &err) < 0)
			wframe_reset(&f);
	}
	perr_clear(&err);
	wframe_free(&f);
	store_free(c.store);
	return 0;
}
