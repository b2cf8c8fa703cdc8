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

/*
 * What one context prints, on its way to stdout without being held whole
 * (20,000 pods are megabytes of text): a stream (fopencookie) that writes
 * each line after the CONTEXT column, or, for JSON, the snapshot with
 * "context" as its first member and no trailing newline.
 */
struct filter {
	FILE *to;
	const char *shown; /* text: the context, escaped */
	int width;
	const char *json_ctx; /* JSON: the context, NULL for text */
	bool first;           /* JSON: the first snapshot (no comma before) */
	bool started;         /* JSON: the opening brace was written */
	struct buf line;      /* text: the line so far; JSON: newlines held back */
	/* text: the column as written before each line, made once (a line
	 * costs a copy, not a formatted print: 20,000 pods a context) */
	struct buf prefix, hprefix;
};

/* A pod table's header line: "    NAME  READY ..." (a name is lower case). */
static bool header_line(const char *line, size_t len)
{
	size_t i = 0;
	while (i < len && line[i] == ' ')
		i++;
	return len - i >= 5 && memcmp(line + i, "NAME ", 5) == 0;
}

static void put_line(struct filter *f, const char *line, size_t len)
{
	if (!f->prefix.len) {
		int pad = f->width - (int)sanitize_width(f->shown, SANITIZE_COL_MAX);
		buf_printf(&f->prefix, "%s%*s  ", f->shown, pad > 0 ? pad : 0, "");
		buf_printf(&f->hprefix, "CONTEXT%*s  ", f->width > 7 ? f->width - 7 : 0, "");
	}
	const struct buf *pre = header_line(line, len) ? &f->hprefix : &f->prefix;
	fwrite(pre->data, 1, pre->len, f->to);
	fwrite(line, 1, len, f->to);
	if (!len || line[len - 1] != '\n')
		fputc('\n', f->to);
}

static void put_json(struct filter *f, const char *data, size_t len)
{
	size_t i = 0;
	if (!f->started) {
		while (i < len && data[i] != '{')
			i++;
		if (i == len)
			return;
		struct buf b = BUF_INIT;
		buf_adds(&b, f->first ? "{" : ",{");
		cmd_json_str(&b, "context", f->json_ctx, false);
		buf_addc(&b, ',');
		fwrite(b.data, 1, b.len, f->to);
		buf_free(&b);
		f->started = true;
		i++;
	}
	/* Newlines at the end are held: the last ones are dropped. */
	size_t end = len;
	while (end > i && data[end - 1] == '\n')
		end--;
	if (end > i) {
		if (f->line.len) /* an empty buf has no data at all */
			fwrite(f->line.data, 1, f->line.len, f->to);
		buf_reset(&f->line);
		fwrite(data + i, 1, end - i, f->to);
	}
	buf_add(&f->line, data + end, len - end);
}

static ssize_t filter_write(void *cookie, const char *data, size_t len)
{
	struct filter *f = cookie;
	if (f->json_ctx) {
		put_json(f, data, len);
		return (ssize_t)len;
	}
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - data) + 1 : len;
		if (nl && f->line.len == 0) {
			put_line(f, data + i, end - i);
		} else {
			buf_add(&f->line, data + i, end - i);
			if (nl) {
				put_line(f, f->line.data, f->line.len);
				buf_reset(&f->line);
			}
		}
		i = end;
	}
	return (ssize_t)len;
}

static int filter_close(void *cookie)
{
	struct filter *f = cookie;
	if (!f->json_ctx && f->line.len)
		put_line(f, f->line.data, f->line.len);
	buf_free(&f->line);
	buf_free(&f->prefix);
	buf_free(&f->hprefix);
	return 0;
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
	for (size_t i = 0; i < f->n; i++) {
		struct cmd_fleet_member *m = &f->m[i];
		if (!m->live)
			continue;
		serverclock_follow(m->ses.client);
		struct filter flt = {.to = stdout,
				     .shown = m->shown,
				     .width = width,
				     .json_ctx = json ? m->context : NULL,
				     .first = first};
		cookie_io_functions_t io = {.write = filter_write, .close = filter_close};
		FILE *to = fopencookie(&flt, "w", io);
		if (!to) {
			fprintf(stderr, "podscope get: out of memory\n");
			exit(1);
		}
		struct cmd_capture cap;
		cmd_capture_begin_to(&cap, to);
		if (get_print_store_logs(m->ses.store, m->ses.ns, kind, name, out, cmd_wall_ms(),
					 wl[i]))
			rc = 1;
		cmd_capture_end_err(&cap, "get", m->shown);
		fclose(to);
		first = first && !flt.started;
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
