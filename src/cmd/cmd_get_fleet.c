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
	/* The column as wide as the widest context printed (CONTEXT at least). */
	int width = 7;
	for (size_t i = 0; i < f->n; i++) {
		int w = (int)sanitize_width(f->m[i].shown, SANITIZE_COL_MAX);
		if (f->m[i].live && w > width)
			width = w;
	}
	bool first = true;
	if (json)
		fputs("{\"apiVersion\":\"podscope/v1\",\"kind\":\"FleetSnapshot\",\"snapshots\":[",
		      stdout);
	/* Text: the CONTEXT column before each line, made once a context. */
	struct buf line = BUF_INIT, head = BUF_INIT;
	buf_printf(&head, "CONTEXT%*s  ", width > 7 ? width - 7 : 0, "");
	for (size_t i = 0; i < f->n; i++) {
		struct cmd_fleet_member *m = &f->m[i];
		if (!m->live)
			continue;
		serverclock_follow(m->ses.client);
		struct get_ctx ctx = {.name = m->context, .comma = !first};
		if (!json) {
			int pad = width - (int)sanitize_width(m->shown, SANITIZE_COL_MAX);
			buf_reset(&line);
			buf_printf(&line, "%s%*s  ", m->shown, pad > 0 ? pad : 0, "");
			cmd_line_prefix(line.data, head.data);
		}
		struct cmd_capture cap;
		cmd_capture_begin_err(&cap);
		int r = get_print_store_logs(m->ses.store, m->ses.ns, kind, name, out,
					     cmd_wall_ms(), wl[i], json ? &ctx : NULL);
		/* Nothing is printed when it fails (not found); else the
		 * snapshot: the next one after a comma. */
		if (r)
			rc = 1;
		else
			first = false;
		cmd_line_prefix(NULL, NULL);
		cmd_capture_end_err(&cap, "get", m->shown);
		fflush(stdout);
	}
	buf_free(&line);
	buf_free(&head);
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
