#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glyphs.h"
#include "podscope/dsnodes.h"
#include "podscope/informer.h"
#include "podscope/intstr.h"
#include "podscope/loop.h"
#include "podscope/rollout.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "setview.h"
#include "ui_int.h"
#include "warnlines.h"

/*
 * A DaemonSet's rollout: the nodes as rows (podscope/dsnodes.h), each with
 * its daemon pod and the revision that pod runs, sorted by node, and marks
 * for cordoned, NotReady and misscheduled nodes and surges. A node in a
 * surge holds two pods (the old one until the new one is available): one
 * row each, the node named once. Nodes that should not run the pod and have
 * none are counted in the title line. When nodes may not be listed, the
 * nodes are those the pods name.
 */

#define HEADER_ROWS 5

struct ds_view {
	char ns[254];
	char name[254];
	size_t sel, top;
	int rows_top;
	int height;
	/* The rows, gathered at each draw: grown, never shrunk, so that a
	 * frame allocates nothing once the arrays are big enough. */
	struct ds_rows r;
	struct setview_logsrc logsrc; /* what its log pane lists */
	struct logpane *pane;         /* the pods' merged log when open (L) */
};

static void *dv_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	struct ds_view *v = xcalloc(1, sizeof(*v));
	snprintf(v->ns, sizeof(v->ns), "%s", ns);
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->logsrc.kind = STORE_DAEMONSETS;
	snprintf(v->logsrc.ns, sizeof(v->logsrc.ns), "%s", ns);
	snprintf(v->logsrc.name, sizeof(v->logsrc.name), "%s", name);
	return v;
}

static void dv_close(void *st)
{
	struct ds_view *v = st;
	ds_rows_free(&v->r);
	logpane_free(v->pane);
	free(v);
}

/* Gather the set's rows; NULL when the set is gone. */
static const struct daemonset *gather(struct ui *ui, struct ds_view *v)
{
	v->r.n = 0;
	const struct daemonset *ds = store_get_daemonset(ui->store, v->ns, v->name);
	if (ds)
		ds_rows_gather(&v->r, ui->store, ds);
	return ds;
}

/* What the title line says of the nodes: excluded ones, or that nodes may not be listed. */
static void draw_nodes_note(struct ui *ui, const struct ds_view *v, int y, int x)
{
	const struct informer_status *st =
	    ui->inf ? informer_set_status(ui->inf, STORE_NODES) : NULL;
	if (st && st->state == INFORMER_FORBIDDEN)
		draw_text(y, x, ui->cols - 1 - x, ROLE_DIM, "  nodes: not allowed to list");
	else if (v->r.excluded)
		draw_textf(y, x, ui->cols - 1 - x, ROLE_DIM,
			   "  %zu node%s excluded by nodeSelector/taints", v->r.excluded,
			   v->r.excluded == 1 ? "" : "s");
}

static int64_t budget(const struct intstr *v, int64_t total, int64_t dflt)
{
	int64_t out;
	struct perr err;
	if (v->type == INTSTR_NONE || intstr_scaled_value(v, total, true, &out, &err) != 0)
		return dflt;
	return out;
}

static void draw_budget(struct ui *ui, int y, int x, const char *what, int used, int64_t max)
{
	int gw = ui->cols >= 100 ? 12 : 8;
	x += draw_textf(y, x, 18, ROLE_NORMAL, "%s %lld ", what, (long long)max);
	draw_gauge(y, x, gw, used, (int)max);
	x += gw;
	draw_textf(y, x, 12, ROLE_NORMAL, " %d/%lld in use", used, (long long)max);
}

static void draw_header(struct ui *ui, const struct ds_view *v, const struct daemonset *ds, int y)
{
	const char *strategy = ds->update_strategy == UPDATE_ROLLING_UPDATE ? "RollingUpdate"
			       : ds->update_strategy == UPDATE_ON_DELETE    ? "OnDelete"
									    : "-";
	int x = 1 + draw_textf(y, 1, ui->cols - 2, ROLE_RS_NEW, "ds/%s", ds->w.name);
	x += draw_textf(y, x, ui->cols - 1 - x, ROLE_NORMAL, "  %s  ", strategy);
	int64_t rev = store_update_revision(ui->store, STORE_DAEMONSETS, ds);
	x += draw_text(y, x, ui->cols - 1 - x, ROLE_NORMAL, "update revision ");
	x += draw_textf(y, x, ui->cols - 1 - x, ROLE_RS_NEW, "%s %lld", glyph(GLYPH_REV_NEW),
			(long long)rev);
	draw_nodes_note(ui, v, y, x);
	y++;
	int pw = ui->cols >= 100 ? 30 : 16;
	x = 1 + draw_text(y, 1, 10, ROLE_NORMAL, "updated ");
	draw_gauge(y, x, pw, ds->updated_number_scheduled, ds->desired_number_scheduled);
	x += pw;
	x += draw_textf(y, x, ui->cols - 1 - x, ds->number_misscheduled ? ROLE_WARNING : ROLE_NORMAL,
		   " desired %d  current %d  updated %d  ready %d  available %d  misscheduled %d  ",
		   (int)ds->desired_number_scheduled, (int)ds->current_number_scheduled,
		   (int)ds->updated_number_scheduled, (int)ds->number_ready,
		   (int)ds->number_available, (int)ds->number_misscheduled);
	ui_draw_eta(ui, STORE_DAEMONSETS, ds, y, x, ui_clock(NULL));
	y++;
	if (ds->update_strategy == UPDATE_ROLLING_UPDATE) {
		/* The controller's budgets: both round up, and both 0 means one unavailable. */
		int64_t desired = ds->desired_number_scheduled;
		int64_t surge = budget(&ds->max_surge, desired, 0);
		int64_t unav = budget(&ds->max_unavailable, desired, 1);
		if (surge == 0 && unav == 0)
			unav = 1;
		int unav_used = ds->desired_number_scheduled - ds->number_available;
		draw_budget(ui, y, 1, "maxSurge", v->r.surge_used, surge);
		draw_budget(ui, y, ui->cols / 2, "maxUnavailable", unav_used > 0 ? unav_used : 0,
			    unav);
	} else {
		draw_text(y, 1, ui->cols - 2, ROLE_DIM,
			  "OnDelete: a pod takes the new revision when it is deleted");
	}
	y++;
	struct rollout_result r;
	rollout_daemonset_status(ds, &r);
	setview_status_line(ui, y, r.state, r.msg);
}

#define NODE_X 3

static void draw_row(struct ui *ui, const struct ds_view *v, int64_t uprev, size_t i, int y,
		     bool sel, int64_t now, int64_t mono)
{
	const struct ds_row *row = &v->r.rows[i];
	const struct pod *p = row->pod;
	enum theme_role base = sel ? ROLE_SELECTED : ROLE_NORMAL;
	if (sel && !ui->lowbw)
		draw_fill(y, 0, ui->cols, ROLE_SELECTED);
	if (sel && ui->lowbw)
		draw_text(y, 0, 1, ROLE_SELECTED, glyph(GLYPH_CURSOR));
	if (p)
		setview_pod_glyph(ui, p, y, 1, sel, now, mono);
	int nw = ui->cols >= 110 ? 20 : 16, pw = ui->cols >= 110 ? 24 : 20;
	if (!*row->node)
		draw_text(y, NODE_X, nw - 1, sel ? base : ROLE_DIM, "(not scheduled)");
	else if (row->first)
		draw_text(y, NODE_X, nw - 1, base, row->node);
	int x = NODE_X + nw;
	if (!p) {
		draw_text(y, x, pw - 1, sel ? base : ROLE_DIM, "no pod");
		x += pw + 12 + SETVIEW_CELLS_W + 1;
	} else {
		draw_text(y, x, pw - 1, base, p->name);
		x += pw;
		int64_t rev = store_pod_revision(ui->store, p);
		bool update = rev > 0 && rev == uprev;
		setview_rev_cell(y, x, 7, update, rev, "", sel);
		draw_text(y, x + 7, 5,
			  sel      ? base
			  : update ? ROLE_RS_NEW
				   : ROLE_RS_OLD,
			  update ? "new" : "old");
		x += 12;
		int cw = ui->cols - x - 1 < SETVIEW_CELLS_W ? ui->cols - x - 1 : SETVIEW_CELLS_W;
		setview_pod_cells(ui, p, "", y, x, cw, now, base);
		x += cw + 1;
	}
	/* The marks: the node's state, a misscheduled pod, a surge. */
	char marks[64];
	ds_row_marks(row, marks, sizeof(marks));
	if (*marks && x < ui->cols - 4)
		draw_textf(y, x, ui->cols - x - 1, sel ? ROLE_SELECTED : ROLE_WARNING, "%s %s",
			   glyph(GLYPH_ARROW), marks);
}

static void dv_draw(struct ui *ui, void *stp, int top, int height)
{
	struct ds_view *v = stp;
	v->height = height;
	int64_t now = ui_clock(NULL), mono = ploop_now_ms();
	const struct daemonset *ds = gather(ui, v);
	if (!ds) {
		draw_textf(top + 1, 2, ui->cols - 4, ROLE_WARNING,
			   "daemonset %s/%s is gone (Esc goes back)", v->ns, v->name);
		return;
	}
	/* The nodes above, the pods' merged log below. */
	height = logpane_view_draw(ui, v->pane, top, height);
	v->height = height;
	if (height == 0)
		return;
	draw_header(ui, v, ds, top);
	int y = top + HEADER_ROWS - 1;
	int nw = ui->cols >= 110 ? 20 : 16, pw = ui->cols >= 110 ? 24 : 20;
	draw_text(y, NODE_X, nw - 1, ROLE_HEADER, "NODE");
	draw_text(y, NODE_X + nw, pw - 1, ROLE_HEADER, "POD");
	draw_text(y, NODE_X + nw + pw, 11, ROLE_HEADER, "REVISION");
	setview_cells_head(y, NODE_X + nw + pw + 12, ui->cols - NODE_X - nw - pw - 13);
	v->rows_top = HEADER_ROWS;
	int rows = height - HEADER_ROWS;
	if (v->r.n == 0) {
		draw_text(y + 1, NODE_X, ui->cols - 4, ROLE_DIM, "no daemon pods on any node yet");
		return;
	}
	/* The set's and its pods' warnings under the nodes. */
	ui_set_warnings(ui, ds->w.uid, y + 1, &rows, now);
	v->height = HEADER_ROWS + rows;
	ui_scroll(v->r.n, &v->sel, &v->top, rows);
	int64_t uprev = store_update_revision(ui->store, STORE_DAEMONSETS, ds);
	for (int r = 0; r < rows && v->top + (size_t)r < v->r.n; r++)
		draw_row(ui, v, uprev, v->top + (size_t)r, y + 1 + r, v->top + (size_t)r == v->sel,
			 now, mono);
}

static unsigned dv_action(struct ui *ui, void *stp, enum action_id a)
{
	struct ds_view *v = stp;
	unsigned r = logpane_view_action(ui, &v->pane, a, v->ns, v->name, setview_log_pods,
					 &v->logsrc);
	if (!(r & UI_UNHANDLED))
		return r;
	if (setview_move(a, &v->sel, v->height - HEADER_ROWS))
		return UI_DRAW;
	switch (a) {
	case ACT_ENTER:
	case ACT_DELETE_POD: {
		if (!gather(ui, v) || v->sel >= v->r.n || !v->r.rows[v->sel].pod)
			return a == ACT_ENTER ? UI_NONE : UI_UNHANDLED;
		char ns[254], name[254];
		snprintf(ns, sizeof(ns), "%s", v->r.rows[v->sel].pod->namespace);
		snprintf(name, sizeof(name), "%s", v->r.rows[v->sel].pod->name);
		if (a == ACT_DELETE_POD)
			return ui_act_pod(ui, ns, name);
		ui_push(ui, &view_pod, ns, name);
		return UI_DRAW;
	}
	case ACT_BLOCKERS:
		return ui_blockers_show(ui, STORE_DAEMONSETS, v->ns, v->name);
	case ACT_FLEET:
		return ui_fleet_show(ui, STORE_DAEMONSETS, v->ns, v->name);
	default:
		/* The set's own actions, as on its row in the overview. */
		if (actions_table[a].mutates)
			return ui_act_set(ui, a, STORE_DAEMONSETS, v->ns, v->name);
		return UI_UNHANDLED;
	}
}

static unsigned dv_click(struct ui *ui, void *stp, int y, int x, bool dbl)
{
	(void)x;
	(void)ui;
	struct ds_view *v = stp;
	if (y < v->rows_top)
		return UI_NONE;
	v->sel = v->top + (size_t)(y - v->rows_top);
	return dbl ? dv_action(ui, v, ACT_ENTER) : UI_DRAW;
}

static int64_t dv_next_tick(struct ui *ui, void *stp, int64_t mono)
{
	struct ds_view *v = stp;
	if (!gather(ui, v))
		return 0;
	int64_t mq, wall = ui_clock(&mq);
	int64_t next = ui_flash_tick(ui, mono);
	int rows = v->height - HEADER_ROWS;
	for (int r = 0; r < rows && v->top + (size_t)r < v->r.n; r++) {
		size_t i = v->top + (size_t)r;
		/* Low bandwidth: time-driven text is the selected row's alone. */
		if (v->r.rows[i].pod && (!ui->lowbw || i == v->sel))
			next = setview_pod_tick(ui, v->r.rows[i].pod, wall, mq, next);
	}
	return next;
}

const struct view_ops view_rollout_ds = {
    .name = "rollout-ds",
    .mask = VIEWMASK_ROLLOUT,
    .open = dv_open,
    .close = dv_close,
    .draw = dv_draw,
    .action = dv_action,
    .click = dv_click,
    .next_tick = dv_next_tick,
    .hint = "{up}/{down} nodes  {open} pod  {delete-pod} delete pod  {logs} logs  {back} back",
};
