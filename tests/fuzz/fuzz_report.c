#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/report.h"
#include "podscope/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* No byte a browser or a terminal showing the source could be fooled by:
 * controls but \n, DEL. (C1 and bidi are escaped by the same sanitiser the
 * unit tests check; this looks for what a slip in the writer would leak.) */
static void check(const struct buf *b)
{
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			abort();
	}
	if (b->data && (strstr(b->data, "<script") || strstr(b->data, "<iframe")))
		abort();
}

/*
 * Lines "K JSON": K says the kind (d deployment, r ReplicaSet, p pod, e event,
 * x a delete of the pod named), the JSON the object. Each line is applied to
 * a store that a report on default/web watches, then sampled a second
 * later; the page and the chart are written and checked.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 20))
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct store *st = store_new();
	struct report *r = report_new("default", "web");
	report_attach(r, st);
	int64_t t = 1714564800000LL;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strlen(line) < 2)
			continue;
		cJSON *o = cJSON_Parse(line + 2);
		if (!o)
			continue;
		static const enum store_kind kinds[] = {['d'] = STORE_DEPLOYMENTS,
							['r'] = STORE_REPLICASETS,
							['p'] = STORE_PODS,
							['e'] = STORE_EVENTS,
							['x'] = STORE_PODS};
		unsigned char k = (unsigned char)line[0];
		if (k == 'x')
			store_delete_json(st, STORE_PODS, o);
		else if (k < sizeof(kinds) / sizeof(kinds[0]) &&
			 (k == 'd' || k == 'r' || k == 'p' || k == 'e'))
			store_upsert_json(st, kinds[k], o, NULL);
		cJSON_Delete(o);
		t += 1000;
		report_sample(r, st, t);
	}
	report_gap(r, t - 500, t, "gap \x1b[2J <script>");
	report_audit(r, text, 0, NULL, 0);
	report_detach(r, st);
	report_finish(r, t + 1000);
	struct buf b = BUF_INIT;
	report_write_html(r, &b);
	check(&b);
	buf_reset(&b);
	report_write_svg(r, &b);
	check(&b);
	buf_reset(&b);
	/* the live reconstruction over the same store */
	struct report *lv = report_new("default", "web");
	report_set_source(lv, "fuzz", true);
	if (report_live_build(lv, st, t - 3600000, t) == 0) {
		report_write_html(lv, &b);
		check(&b);
	}
	buf_free(&b);
	report_free(lv);
	report_free(r);
	store_free(st);
	free(text);
	return 0;
}
