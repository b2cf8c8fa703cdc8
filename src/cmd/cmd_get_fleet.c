#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/loop.h"
#include "podscope/sanitize.h"
#include "podscope/serverclock.h"
#include "podscope/whylog.h"
#include "podscope/xalloc.h"

#include "cmd_fleet.h"
#include "cmd_get.h"
#include "cmd_print.h"

/*
 * `podscope get` over several contexts: one block per context in the order
 * the flags gave, every line after a CONTEXT column (the pod tables' header
 * lines say CONTEXT there), ages on that context's server clock; -o json,
 * one FleetSnapshot holding a Snapshot per context with its "context", and
 * the contexts that failed (doc/json.md).
 */

/* A pod table's header line: "    NAME  READY ..." (a name is lower case). */
static bool header_line(const char *line, size_t len)
{
	size_t i = 0;
	while (i < len && line[i] == ' ')
		i++;
	return len - i >= 5 && memcmp(line + i, "NAME ", 5) == 0;
}

static void put_column(const char *text, size_t len, const char *shown, int width)
{
	int pad = width - (int)sanitize_width(shown, SANITIZE_COL_MAX);
	int hpad = width - 7;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;
		if (header_line(text + i, end - i))
			printf("CONTEXT%*s  ", hpad > 0 ? hpad : 0, "");
		else
			printf("%s%*s  ", shown, pad > 0 ? pad : 0, "");
		fwrite(text + i, 1, end - i, stdout);
		if (!nl)
			putchar('\n');
		i = end;
	}
}

/* The snapshot's JSON with "context" first, after a comma when not the first. */
static void put_json(const char *text, size_t len, const char *ctx, bool first)
{
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (len < 2 || text[0] != '{')
		return;
	struct buf b = BUF_INIT;
	buf_adds(&b, first ? "{" : ",{");
	cmd_json_str(&b, "context", ctx, false);
	if (text[1] != '}')
		buf_addc(&b, ',');
	fwrite(b.data, 1, b.len, stdout);
	fwrite(text + 1, 1, len - 1, stdout);
	buf_free(&b);
}

int get_fleet(struct cmd_fleet *f, const char *kind, const char *name, const char *out)
{
	int rc = 0;
	bool json = out && strcmp(out, "json") == 0;
	cmd_fleet_sync(f, 0);
	struct whylog **wl = xcalloc(f->n, sizeof(*wl));
	/* The why lines' last log lines, asked of every context at once. */
	for (size_t i = 0; i < f->n; i++) {
		struct cmd_fleet_member *m = &f->m[i];
		if (!m->live)
			continue;
		serverclock_follow(m->ses.client);
		cmd_note_skew(m->label);
		wl[i] = whylog_new(m->ses.client, NULL, NULL);
		get_whylog_ask(m->ses.store, m->ses.ns, kind, name, cmd_wall_ms(), wl[i]);
	}
	int64_t deadline = ploop_now_ms() + GET_WHYLOG_WAIT_MS;
	for (;;) {
		bool inflight = false;
		for (size_t i = 0; i < f->n; i++)
			inflight |= wl[i] && whylog_inflight(wl[i]);
		int64_t left = deadline - ploop_now_ms();
		if (!inflight || left <= 0)
			break;
		ploop_run_once(f->loop, (int)left);
	}
	int width = f->width > 7 ? f->width : 7;
	bool first = true;
	if (json)
		fputs("{\"apiVersion\":\"podscope/v1\",\"kind\":\"FleetSnapshot\",\"snapshots\":[",
		      stdout);
	for (size_t i = 0; i < f->n; i++) {
		struct cmd_fleet_member *m = &f->m[i];
		if (!m->live)
			continue;
		serverclock_follow(m->ses.client);
		struct cmd_capture cap;
		size_t len;
		cmd_capture_begin(&cap);
		if (get_print_store_logs(m->ses.store, m->ses.ns, kind, name, out, cmd_wall_ms(),
					 wl[i]))
			rc = 1;
		char *text = cmd_capture_take(&cap, &len, "get", m->shown);
		if (json) {
			put_json(text, len, m->context, first);
			first = false;
		} else {
			put_column(text, len, m->shown, width);
		}
		free(text);
		fflush(stdout);
	}
	if (json) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "],\"failed\":[");
		first = true;
		for (size_t i = 0; i < f->n; i++) {
			if (!f->m[i].failed)
				continue;
			buf_adds(&b, first ? "{" : ",{");
			cmd_json_str(&b, "context", f->m[i].context, false);
			cmd_json_str(&b, "error", f->m[i].why ? f->m[i].why : "", true);
			buf_addc(&b, '}');
			first = false;
		}
		buf_adds(&b, "]}\n");
		fwrite(b.data, 1, b.len, stdout);
		buf_free(&b);
	}
	fflush(stdout);
	for (size_t i = 0; i < f->n; i++)
		whylog_free(wl[i]);
	free(wl);
	if (f->n_failed)
		rc = 1;
	return rc;
}
