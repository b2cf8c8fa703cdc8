#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/job.h"
#include "glyphs.h"
#include "podscope/pod_status.h"
#include "podscope/rollout.h"
#include "podscope/store.h"
#include "overview.h"
#include "stage.h"
#include "ui_cluster.h"
#include "ui_int.h"

/*
 * Low bandwidth: a compact table in the terminal's own colours, laid out for
 * the bytes it costs on the wire. Columns are as wide as their widest cell
 * over all rows (scrolling moves none) and two spaces apart, so that short
 * gaps go as spaces, not cursor moves; a namespace is written only where it
 * changes. What changes together sits together: RESTARTS (right-aligned),
 * READY and STATUS end the row, within a few columns of each other, because
 * curses reaches a cell more than 8 columns away with a full cursor address
 * (8 bytes) and a nearer one with 2 to 5. STATUS, last, holds a
 * deployment's rollout or a pod's stage, with no symbol, and after it what
 * only the selected row shows: a rollout's progress, a countdown, the
 * object's age and the last restart's. Time-driven text is the selected
 * row's alone, ages included: an AGE column would rewrite every row as its
 * coarse steps pass. Blank cells cost nothing.
 */
#define LEAN_GAP 2

struct lean {
	int x_ns, ns, x_kind, kind, x_name, name, x_restarts, restarts, x_ready, x_status;
};

/* A row's namespace (NULL for a group) or name. */
static const char *row_field(const struct row *r, bool name)
{
	if (r->kind == ROW_GROUP)
		return NULL;
	return name ? store_obj_name(r->obj) : store_obj_namespace(r->obj);
}

/* A set's READY column as kubectl get prints it; a CronJob's SCHEDULE. */
static void set_ready(const struct row *r, char *buf, size_t n)
{
	if (r->set_kind == STORE_CRONJOBS) {
		snprintf(buf, n, "%s", ((const struct cronjob *)r->obj)->schedule);
	} else if (r->set_kind == STORE_JOBS) {
		job_completions_cell(r->obj, buf, n); /* kubectl's COMPLETIONS */
	} else if (r->set_kind == STORE_STATEFULSETS) {
		const struct statefulset *ss = r->obj;
		snprintf(buf, n, "%d/%d", (int)ss->ready_replicas,
			 (int)(ss->has_spec_replicas ? ss->spec_replicas : 1));
	} else {
		const struct daemonset *ds = r->obj;
		snprintf(buf, n, "%d/%d", (int)ds->number_ready, (int)ds->desired_number_scheduled);
	}
}

static int widest(int w, const char *s)
{
	int n = s ? draw_width(s) : 0;
	return n > w ? n : w;
}

static void lean_layout(const struct ui *ui, const struct overview *ov, int64_t now, struct lean *c)
{
	c->ns = ui->all_ns ? draw_width("NAMESPACE") : 0;
	c->kind = draw_width("KIND");
	c->name = draw_width("NAME");
	c->restarts = draw_width("RESTARTS");
	int ready = draw_width("READY");
	for (size_t i = 0; i < ov->n; i++) {
		const struct row *r = &ov->rows[i];
		if (c->ns)
			c->ns = widest(c->ns, row_field(r, false));
		int nw =
		    draw_width(row_field(r, true) ? row_field(r, true) : "") + (r->sub ? 2 : 0);
		c->name = nw > c->name ? nw : c->name;
		c->kind = widest(c->kind, overview_row_kind(r, true));
		if (r->kind == ROW_DEPLOY) {
			struct rollout_deploy_row dr;
			rollout_deploy_row(r->obj, now, &dr);
			ready = widest(ready, dr.ready);
		} else if (r->kind == ROW_SET) {
			char sr[32];
			set_ready(r, sr, sizeof(sr));
			ready = widest(ready, sr);
		}
	}
	if (c->ns > 20)
		c->ns = 20;
	/* The name gets what is left, down to 12 columns; STATUS at least 16. */
	int fixed = 2 + (c->ns ? c->ns + LEAN_GAP : 0) + c->kind + LEAN_GAP + LEAN_GAP +
		    c->restarts + LEAN_GAP + ready + LEAN_GAP + 16;
	if (c->name > ui->cols - fixed)
		c->name = ui->cols - fixed > 12 ? ui->cols - fixed : 12;
	c->x_ns = 2;
	c->x_kind = c->ns ? c->x_ns + c->ns + LEAN_GAP : 2;
	c->x_name = c->x_kind + c->kind + LEAN_GAP;
	c->x_restarts = c->x_name + c->name + LEAN_GAP;
	c->x_ready = c->x_restarts + c->restarts + LEAN_GAP;
	c->x_status = c->x_ready + ready + LEAN_GAP;
}

/* After the selected row's status, from x: "age 3m" and more. */
static void lean_more(struct ui *ui, int y, int x, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void lean_more(struct ui *ui, int y, int x, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (x + 2 < ui->cols)
		draw_text(y, x + 2, ui->cols - x - 2, ROLE_NORMAL, buf);
}

static void lean_row(struct ui *ui, const struct row *r, const struct lean *c, int y, bool sel,
		     bool show_ns, int64_t now)
{
	int room = ui->cols - c->x_status;
	if (show_ns && c->ns)
		draw_text(y, c->x_ns, c->ns, ROLE_NORMAL, row_field(r, false));
	if (r->kind == ROW_GROUP) {
		draw_text(y, 2, ui->cols - 2, sel ? ROLE_SELECTED : ROLE_NORMAL, r->group);
		return;
	}
	draw_text(y, c->x_kind, c->kind, ROLE_NORMAL, overview_row_kind(r, true));
	/* A CronJob's Job, under its CronJob's row, indented. */
	draw_textf(y, c->x_name, c->name, sel ? ROLE_SELECTED : ROLE_NORMAL, "%s%s",
		   r->sub ? "  " : "", row_field(r, true));
	char age[24];
	if (r->kind == ROW_DEPLOY || r->kind == ROW_SET) {
		char ready[32];
		int64_t created;
		if (r->kind == ROW_DEPLOY) {
			struct rollout_deploy_row dr;
			rollout_deploy_row(r->obj, now, &dr);
			snprintf(ready, sizeof(ready), "%s", dr.ready);
			created = ((const struct deployment *)r->obj)->created;
		} else {
			set_ready(r, ready, sizeof(ready));
			created = overview_set_created(r);
		}
		draw_text(y, c->x_ready, c->x_status - c->x_ready - 1, ROLE_NORMAL, ready);
		int x = c->x_status + draw_text(y, c->x_status, room, r->badge.role, r->badge.text);
		if (!sel)
			return;
		ui_age(ui, created, now, age, sizeof(age));
		if (r->badge.brief[0])
			lean_more(ui, y, x, "%s, age %s", r->badge.brief, age);
		else
			lean_more(ui, y, x, "age %s", age);
		return;
	}
	const struct pod *p = r->obj;
	struct uistage st;
	uistage_pod(ui->store, p, now, &st);
	struct pod_row pr;
	pod_status_row(p, now, &pr);
	if (pr.restart_count > 0) {
		char n[16];
		snprintf(n, sizeof(n), "%d", (int)pr.restart_count);
		int w = draw_width(n);
		draw_text(y, c->x_restarts + (w < c->restarts ? c->restarts - w : 0), c->restarts,
			  ROLE_NORMAL, n);
	}
	draw_text(y, c->x_ready, c->x_status - c->x_ready - 1, ROLE_NORMAL, pr.ready);
	if (!sel)
		st.label[st.base] = '\0'; /* the countdown */
	int x = c->x_status + draw_text(y, c->x_status, room, st.role, st.label);
	if (!sel)
		return;
	ui_age(ui, p->created, now, age, sizeof(age));
	if (pr.restart_count > 0 && pr.last_restart > 0) {
		char ago[24];
		duration_since(pr.last_restart, now, ago, sizeof(ago));
		lean_more(ui, y, x, "age %s, last restart %s ago", age, ago);
	} else {
		lean_more(ui, y, x, "age %s", age);
	}
}

void overview_lean_draw(struct ui *ui, struct overview *ov, int top, int height, int64_t now)
{
	struct lean c;
	lean_layout(ui, ov, now, &c);
	if (c.ns)
		draw_text(top, c.x_ns, c.ns, ROLE_HEADER, "NAMESPACE");
	draw_text(top, c.x_kind, c.kind, ROLE_HEADER, "KIND");
	draw_text(top, c.x_name, c.name, ROLE_HEADER, "NAME");
	draw_text(top, c.x_restarts, c.restarts, ROLE_HEADER, "RESTARTS");
	draw_text(top, c.x_ready, c.x_status - c.x_ready, ROLE_HEADER, "READY");
	draw_text(top, c.x_status, ui->cols - c.x_status, ROLE_HEADER, "STATUS");
	const char *prev = NULL;
	for (int i = 0; i + 1 < height && ov->top + (size_t)i < ov->n; i++) {
		size_t idx = ov->top + (size_t)i;
		const struct row *r = &ov->rows[idx];
		const char *ns = row_field(r, false);
		bool sel = idx == ov->sel;
		if (sel)
			draw_text(top + 1 + i, 0, 1, ROLE_NORMAL, glyph(GLYPH_CURSOR));
		/* Many contexts: the row's cluster's store (no CONTEXT column
		 * here: each cluster's rows follow its own line). */
		if (ui->n_clusters)
			ui_cluster_use(ui, r->cluster);
		lean_row(ui, r, &c, top + 1 + i, sel, ns && (!prev || strcmp(prev, ns) != 0), now);
		prev = ns;
	}
	if (ui->n_clusters)
		ui_cluster_use(ui, ui->cur);
}
