#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glyphs.h"
#include "podscope/intstr.h"
#include "podscope/loop.h"
#include "podscope/rollout.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "setview.h"
#include "ui_int.h"

/*
 * A DaemonSet's rollout: the nodes its pods run on as rows, each with its
 * daemon pod and the revision that pod runs, sorted by node. A node in a
 * surge holds two pods (the old one until the new one is available): one
 * row each, the node named once. podscope does not watch nodes, so the
 * nodes are those the pods name.
 */

#define HEADER_ROWS 5
#define MAX_PODS    100000

struct ds_view {
	char ns[254];
	char name[254];
	size_t sel, top;
	int rows_top;
	int height;
	/* The set's pods, gathered at each draw: grown, never shrunk, so that
	 * a frame allocates nothing once the array is big enough. */
	const struct pod **pods;
	size_t n, cap;
	int surge_used; /* nodes holding more than one live pod */
};

static void *dv_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	struct ds_view *v = xcalloc(1, sizeof(*v));
	snprintf(v->ns, sizeof(v->ns), "%s", ns);
	snprintf(v->name, sizeof(v->name), "%s", name);
	return v;
}

static void dv_close(void *st)
{
	struct ds_view *v = st;
	free(v->pods);
	free(v);
}

static const char *node_of(const struct pod *p)
{
	return p->node_name && *p->node_name ? p->node_name : "";
}

static int by_node(const void *a, const void *b)
{
	const struct pod *x = *(const struct pod *const *)a, *y = *(const struct pod *const *)b;
	int c = strcmp(node_of(x), node_of(y));
	/* Unscheduled pods last; on one node, the older pod first. */
	if (c && (!*node_of(x) || !*node_of(y)))
		return *node_of(x) ? -1 : 1;
	if (c)
		return c;
	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Gather the set's pods, sorted by node; NULL when the set is gone. */
static const struct daemonset *gather(struct ui *ui, struct ds_view *v)
{
	v->n = 0;
	v->surge_used = 0;
	const struct daemonset *ds = store_get_daemonset(ui->store, v->ns, v->name);
	if (!ds)
		return NULL;
	struct store_iter it;
	store_iter_children(&it, ui->store, STORE_PODS, ds->w.uid);
	const struct pod *p;
	while ((p = store_iter_next(&it)) && v->n < MAX_PODS) {
		if (v->n == v->cap) {
			v->cap = v->cap ? v->cap * 2 : 64;
			v->pods = xrealloc(v->pods, v->cap * sizeof(*v->pods));
		}
		v->pods[v->n++] = p;
	}
	if (v->n > 1)
		qsort(v->pods, v->n, sizeof(*v->pods), by_node);
	for (size_t i = 1; i < v->n; i++) {
		const struct pod *a = v->pods[i - 1], *b = v->pods[i];
		if (*node_of(b) && strcmp(node_of(a), node_of(b)) == 0 && !a->deleted &&
		    !b->deleted && (i < 2 || strcmp(node_of(v->pods[i - 2]), node_of(b)) != 0))
			v->surge_used++;
	}
	return ds;
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
	draw_textf(y, x, ui->cols - 1 - x, ROLE_RS_NEW, "%s %lld", glyph(GLYPH_REV_NEW),
		   (long long)rev);
	y++;
	int pw = ui->cols >= 100 ? 30 : 16;
	x = 1 + draw_text(y, 1, 10, ROLE_NORMAL, "updated ");
	draw_gauge(y, x, pw, ds->updated_number_scheduled, ds->desired_number_scheduled);
	x += pw;
	draw_textf(y, x, ui->cols - 1 - x, ds->number_misscheduled ? ROLE_WARNING : ROLE_NORMAL,
		   " desired %d  current %d  updated %d  ready %d  available %d  misscheduled %d",
		   (int)ds->desired_number_scheduled, (int)ds->current_number_scheduled,
		   (int)ds->updated_number_scheduled, (int)ds->number_ready,
		   (int)ds->number_available, (int)ds->number_misscheduled);
	y++;
	if (ds->update_strategy == UPDATE_ROLLING_UPDATE) {
		/* The controller's budgets: both round up, and both 0 means one unavailable. */
		int64_t desired = ds->desired_number_scheduled;
		int64_t surge = budget(&ds->max_surge, desired, 0);
		int64_t unav = budget(&ds->max_unavailable, desired, 1);
		if (surge == 0 && unav == 0)
			unav = 1;
		int unav_used = ds->desired_number_scheduled - ds->number_available;
		draw_budget(ui, y, 1, "maxSurge", v->surge_used, surge);
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
	const struct pod *p = v->pods[i];
	enum theme_role base = sel ? ROLE_SELECTED : ROLE_NORMAL;
	if (sel && !ui->lowbw)
		draw_fill(y, 0, ui->cols, ROLE_SELECTED);
	if (sel && ui->lowbw)
		draw_text(y, 0, 1, ROLE_SELECTED, glyph(GLYPH_CURSOR));
	setview_pod_glyph(ui, p, y, 1, sel, now, mono);
	int nw = ui->cols >= 110 ? 20 : 16, pw = ui->cols >= 110 ? 24 : 20;
	bool same = i > 0 && strcmp(node_of(v->pods[i - 1]), node_of(p)) == 0;
	if (!*node_of(p))
		draw_text(y, NODE_X, nw - 1, sel ? base : ROLE_DIM, "(not scheduled)");
	else if (!same)
		draw_text(y, NODE_X, nw - 1, base, node_of(p));
	int x = NODE_X + nw;
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
	/* A surge: the node's old pod stays until the new one is available. */
	bool next_same = i + 1 < v->n && strcmp(node_of(v->pods[i + 1]), node_of(p)) == 0;
	const char *state = p->deleted ? "replacing" : NULL;
	if (!state && *node_of(p) && (same || next_same))
		state = "surge";
	if (state && x < ui->cols - 4)
		draw_textf(y, x, ui->cols - x - 1, sel ? ROLE_SELECTED : ROLE_WARNING, "%s %s",
			   glyph(GLYPH_ARROW), state);
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
	draw_header(ui, v, ds, top);
	int y = top + HEADER_ROWS - 1;
	int nw = ui->cols >= 110 ? 20 : 16, pw = ui->cols >= 110 ? 24 : 20;
	draw_text(y, NODE_X, nw - 1, ROLE_HEADER, "NODE");
	draw_text(y, NODE_X + nw, pw - 1, ROLE_HEADER, "POD");
	draw_text(y, NODE_X + nw + pw, 11, ROLE_HEADER, "REVISION");
	setview_cells_head(y, NODE_X + nw + pw + 12, ui->cols - NODE_X - nw - pw - 13);
	v->rows_top = HEADER_ROWS;
	int rows = height - HEADER_ROWS;
	if (v->n == 0) {
		draw_text(y + 1, NODE_X, ui->cols - 4, ROLE_DIM, "no daemon pods on any node yet");
		return;
	}
	ui_scroll(v->n, &v->sel, &v->top, rows);
	int64_t uprev = store_update_revision(ui->store, STORE_DAEMONSETS, ds);
	for (int r = 0; r < rows && v->top + (size_t)r < v->n; r++)
		draw_row(ui, v, uprev, v->top + (size_t)r, y + 1 + r, v->top + (size_t)r == v->sel,
			 now, mono);
}

static unsigned dv_action(struct ui *ui, void *stp, enum action_id a)
{
	struct ds_view *v = stp;
	if (setview_move(a, &v->sel, v->height - HEADER_ROWS))
		return UI_DRAW;
	switch (a) {
	case ACT_ENTER:
	case ACT_DELETE_POD: {
		if (!gather(ui, v) || v->sel >= v->n)
			return a == ACT_ENTER ? UI_NONE : UI_UNHANDLED;
		char ns[254], name[254];
		snprintf(ns, sizeof(ns), "%s", v->pods[v->sel]->namespace);
		snprintf(name, sizeof(name), "%s", v->pods[v->sel]->name);
		if (a == ACT_DELETE_POD)
			return ui_act_pod(ui, ns, name);
		ui_push(ui, &view_pod, ns, name);
		return UI_DRAW;
	}
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
	for (int r = 0; r < rows && v->top + (size_t)r < v->n; r++) {
		size_t i = v->top + (size_t)r;
		/* Low bandwidth: time-driven text is the selected row's alone. */
		if (!ui->lowbw || i == v->sel)
			next = setview_pod_tick(ui, v->pods[i], wall, mq, next);
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
    .hint = "{up}/{down} nodes  {open} pod  {delete-pod} delete pod  {back} back",
};
