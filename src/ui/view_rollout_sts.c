#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glyphs.h"
#include "podscope/loop.h"
#include "podscope/pod_status.h"
#include "podscope/rollout.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "setview.h"
#include "ui_int.h"
#include "warnlines.h"

/*
 * A StatefulSet's rollout: its ordinals as a ladder, one row per ordinal,
 * each with the revision its pod runs. The controller updates from the
 * highest ordinal down to the partition, so the partition is a line across
 * the ladder: the rows below it take the update revision.
 */

#define HEADER_ROWS 5
/* Ordinals shown at most: a hostile replicas or pod name cannot make the
 * ladder endless. */
#define MAX_LADDER 100000

struct sts_view {
	char ns[254];
	char name[254];
	size_t sel;   /* selected ordinal, from ordinals.start */
	size_t top;   /* first display row shown */
	int rows_top; /* the ladder's first row, relative to the view's top */
	int height;
	struct setview_logsrc logsrc; /* what its log pane lists */
	struct logpane *pane;         /* the pods' merged log when open (L) */
};

struct ladder {
	int32_t start; /* spec.ordinals.start */
	size_t n;      /* ordinals shown */
	size_t line;   /* the partition line goes before this index; n + 1: none */
	int32_t want;
	bool rolling; /* the update revision is not everywhere yet */
};

static void *sv_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	struct sts_view *v = xcalloc(1, sizeof(*v));
	snprintf(v->ns, sizeof(v->ns), "%s", ns);
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->logsrc.kind = STORE_STATEFULSETS;
	snprintf(v->logsrc.ns, sizeof(v->logsrc.ns), "%s", ns);
	snprintf(v->logsrc.name, sizeof(v->logsrc.name), "%s", name);
	return v;
}

static void sv_close(void *st)
{
	struct sts_view *v = st;
	logpane_free(v->pane);
	free(v);
}

/* The ordinal of a pod named SET-N, -1 when it is not one of the set's names. */
static int64_t ordinal_of(const char *set, const char *pod)
{
	size_t l = strlen(set);
	if (strncmp(pod, set, l) != 0 || pod[l] != '-' || !pod[l + 1])
		return -1;
	int64_t v = 0;
	for (const char *c = pod + l + 1; *c; c++) {
		if (*c < '0' || *c > '9' || v > MAX_LADDER * 10LL)
			return -1;
		v = v * 10 + (*c - '0');
	}
	return v;
}

static void ladder_of(const struct store *s, const struct statefulset *ss, struct ladder *l)
{
	l->start = ss->ordinals_start > 0 ? ss->ordinals_start : 0;
	l->want = ss->has_spec_replicas ? ss->spec_replicas : 1;
	if (l->want < 0)
		l->want = 0;
	int64_t hi = (int64_t)l->start + l->want - 1;
	/* Pods above the replicas wanted still run while the set scales down. */
	struct store_iter it;
	store_iter_children(&it, s, STORE_PODS, ss->w.uid);
	const struct pod *p;
	while ((p = store_iter_next(&it))) {
		int64_t o = ordinal_of(ss->w.name, p->name);
		if (o > hi)
			hi = o;
	}
	int64_t n = hi - l->start + 1;
	l->n = n <= 0 ? 0 : n > MAX_LADDER ? MAX_LADDER : (size_t)n;
	l->line = l->n + 1;
	if (ss->update_strategy == UPDATE_ROLLING_UPDATE && ss->has_partition &&
	    ss->partition > 0 && (size_t)ss->partition <= l->n)
		l->line = (size_t)ss->partition;
	l->rolling = strcmp(ss->current_revision, ss->update_revision) != 0 ||
		     ss->updated_replicas < l->want;
}

static size_t display_rows(const struct ladder *l)
{
	return l->n + (l->line <= l->n ? 1 : 0);
}

static size_t display_of(const struct ladder *l, size_t i)
{
	return i + (l->line <= i ? 1 : 0);
}

/* The ordinal index at display row d; -1 for the partition line. */
static int64_t index_at(const struct ladder *l, size_t d)
{
	if (l->line <= l->n && d == l->line)
		return -1;
	return (int64_t)(l->line <= l->n && d > l->line ? d - 1 : d);
}

static const struct pod *pod_at(const struct store *s, const struct statefulset *ss,
				const struct ladder *l, size_t i)
{
	char name[300];
	snprintf(name, sizeof(name), "%s-%lld", ss->w.name, (long long)l->start + (long long)i);
	const struct pod *p = store_get_pod(s, ss->w.namespace, name);
	/* Another controller's pod of that name is not the set's. */
	if (p) {
		const struct owner_ref *o = model_controller_of(p->owners, p->n_owners);
		if (!o || strcmp(o->uid, ss->w.uid) != 0)
			p = NULL;
	}
	return p;
}

static void draw_header(struct ui *ui, const struct statefulset *ss, const struct ladder *l, int y)
{
	const char *strategy = ss->update_strategy == UPDATE_ROLLING_UPDATE ? "RollingUpdate"
			       : ss->update_strategy == UPDATE_ON_DELETE    ? "OnDelete"
									    : "-";
	int x = 1 + draw_textf(y, 1, ui->cols - 2, ROLE_RS_NEW, "sts/%s", ss->w.name);
	x += draw_textf(y, x, ui->cols - 1 - x, ROLE_NORMAL, "  %s", strategy);
	if (ss->update_strategy == UPDATE_ROLLING_UPDATE)
		x += draw_textf(y, x, ui->cols - 1 - x,
				ss->has_partition && ss->partition > 0 ? ROLE_WARNING : ROLE_NORMAL,
				"  partition %d", ss->has_partition ? (int)ss->partition : 0);
	if (ss->max_unavailable.type == INTSTR_INT)
		x += draw_textf(y, x, ui->cols - 1 - x, ROLE_NORMAL, "  maxUnavailable %d",
				(int)ss->max_unavailable.ival);
	else if (ss->max_unavailable.type == INTSTR_STRING)
		x += draw_textf(y, x, ui->cols - 1 - x, ROLE_NORMAL, "  maxUnavailable %s",
				ss->max_unavailable.sval);
	draw_textf(y, x, ui->cols - 1 - x, ROLE_DIM, "  %s",
		   ss->pod_management_policy[0] ? ss->pod_management_policy : "OrderedReady");
	y++;
	x = 1 + draw_text(y, 1, 18, ROLE_NORMAL, "currentRevision ");
	x += setview_rev_cell(y, x, ui->cols / 2 - x, false,
			      store_revision_number(ui->store, ss->w.uid, ss->current_revision),
			      ss->current_revision, false);
	x += draw_text(y, x + 2, 16, ROLE_NORMAL, "updateRevision ") + 2;
	setview_rev_cell(y, x, ui->cols - 1 - x, true,
			 store_update_revision(ui->store, STORE_STATEFULSETS, ss),
			 ss->update_revision, false);
	y++;
	int pw = ui->cols >= 100 ? 30 : 16;
	x = 1 + draw_text(y, 1, 10, ROLE_NORMAL, "updated ");
	draw_gauge(y, x, pw, ss->updated_replicas, l->want);
	x += pw;
	x += draw_textf(y, x, ui->cols - 1 - x, ROLE_NORMAL,
		   " replicas %d/%d  ready %d  current %d  updated %d  available %d  ",
		   (int)ss->replicas, (int)l->want, (int)ss->ready_replicas,
		   (int)ss->current_replicas, (int)ss->updated_replicas,
		   (int)ss->available_replicas);
	ui_draw_eta(ui, STORE_STATEFULSETS, ss, y, x, ui_clock(NULL));
	y++;
	struct rollout_result r;
	rollout_statefulset_status(ss, &r);
	setview_status_line(ui, y, r.state, r.msg);
}

/* Whether the row's pod is the one being replaced now, and why. */
static const char *replacing(const struct statefulset *ss, const struct ladder *l, size_t i,
			     const struct pod *p, bool update)
{
	bool above = l->line > l->n || i >= l->line;
	if (!p)
		return (int64_t)i < l->want
			   ? (l->rolling && above ? "being replaced" : "not created yet")
			   : NULL;
	if (p->deleted)
		return l->rolling && !update ? "being replaced" : "terminating";
	if (l->rolling && update && above) {
		const struct pod_condition *c = model_pod_condition(p, "Ready");
		if (!c || c->status != MODEL_COND_TRUE)
			return "being replaced";
	}
	(void)ss;
	return NULL;
}

static void draw_row(struct ui *ui, const struct statefulset *ss, const struct ladder *l, size_t i,
		     int y, bool sel, int64_t now, int64_t mono)
{
	const struct pod *p = pod_at(ui->store, ss, l, i);
	const char *hash =
	    p ? pod_label(p, "controller-revision-hash") : NULL;
	bool update = hash && strcmp(hash, ss->update_revision) == 0;
	enum theme_role base = sel ? ROLE_SELECTED : p ? ROLE_NORMAL : ROLE_DIM;
	if (sel && !ui->lowbw)
		draw_fill(y, 0, ui->cols, ROLE_SELECTED);
	if (sel && ui->lowbw)
		draw_text(y, 0, 1, ROLE_SELECTED, glyph(GLYPH_CURSOR));
	setview_pod_glyph(ui, p, y, 1, sel, now, mono);
	draw_textf(y, 3, 6, base, "%lld", (long long)l->start + (long long)i);
	int nw = ui->cols >= 110 ? 28 : 20;
	char name[300];
	snprintf(name, sizeof(name), "%s-%lld", ss->w.name, (long long)l->start + (long long)i);
	draw_text(y, 9, nw - 1, base, name);
	int x = 9 + nw;
	if (p && hash)
		setview_rev_cell(y, x, 17, update, store_pod_revision(ui->store, p), hash, sel);
	else
		draw_text(y, x, 17, base, "-");
	x += 18;
	int cw = ui->cols - x - 1 < SETVIEW_CELLS_W ? ui->cols - x - 1 : SETVIEW_CELLS_W;
	setview_pod_cells(ui, p, "not created", y, x, cw, now, base);
	x += cw + 1;
	const char *why = replacing(ss, l, i, p, update);
	if (why && x < ui->cols - 4)
		draw_textf(y, x, ui->cols - x - 1, sel ? ROLE_SELECTED : ROLE_WARNING, "%s %s",
			   glyph(GLYPH_ARROW), why);
}

static void draw_line(struct ui *ui, const struct statefulset *ss, int y)
{
	draw_hline(y, 1, ui->cols - 2, ROLE_WARNING);
	draw_textf(y, 4, ui->cols - 8, ROLE_WARNING,
		   " partition %d: ordinals >= %d take the update revision ", (int)ss->partition,
		   (int)ss->partition);
}

static void sv_draw(struct ui *ui, void *stp, int top, int height)
{
	struct sts_view *v = stp;
	v->height = height;
	int64_t now = ui_clock(NULL), mono = ploop_now_ms();
	const struct statefulset *ss = store_get_statefulset(ui->store, v->ns, v->name);
	if (!ss) {
		draw_textf(top + 1, 2, ui->cols - 4, ROLE_WARNING,
			   "statefulset %s/%s is gone (Esc goes back)", v->ns, v->name);
		return;
	}
	/* The ladder above, the pods' merged log below. */
	height = logpane_view_draw(ui, v->pane, top, height);
	v->height = height;
	if (height == 0)
		return;
	struct ladder l;
	ladder_of(ui->store, ss, &l);
	draw_header(ui, ss, &l, top);
	int y = top + HEADER_ROWS - 1;
	draw_text(y, 3, 5, ROLE_HEADER, "ORD");
	int nw = ui->cols >= 110 ? 28 : 20;
	draw_text(y, 9, nw - 1, ROLE_HEADER, "POD");
	draw_text(y, 9 + nw, 17, ROLE_HEADER, "REVISION");
	setview_cells_head(y, 27 + nw, ui->cols - 28 - nw);
	v->rows_top = HEADER_ROWS;
	int rows = height - HEADER_ROWS;
	if (l.n == 0) {
		draw_text(y + 1, 3, ui->cols - 4, ROLE_DIM, "no replicas wanted and no pods");
		return;
	}
	if (v->sel >= l.n)
		v->sel = l.n - 1;
	/* The set's and its pods' warnings under the ladder. */
	ui_set_warnings(ui, ss->w.uid, y + 1, &rows, now);
	v->height = HEADER_ROWS + rows;
	size_t total = display_rows(&l), dsel = display_of(&l, v->sel);
	ui_scroll(total, &dsel, &v->top, rows);
	for (int r = 0; r < rows && v->top + (size_t)r < total; r++) {
		int64_t i = index_at(&l, v->top + (size_t)r);
		if (i < 0)
			draw_line(ui, ss, y + 1 + r);
		else
			draw_row(ui, ss, &l, (size_t)i, y + 1 + r, (size_t)i == v->sel, now, mono);
	}
}

static const struct pod *selected_pod(struct ui *ui, struct sts_view *v)
{
	const struct statefulset *ss = store_get_statefulset(ui->store, v->ns, v->name);
	if (!ss)
		return NULL;
	struct ladder l;
	ladder_of(ui->store, ss, &l);
	return v->sel < l.n ? pod_at(ui->store, ss, &l, v->sel) : NULL;
}

static unsigned sv_action(struct ui *ui, void *stp, enum action_id a)
{
	struct sts_view *v = stp;
	/* Tagged with whole pod names: "web-3". */
	unsigned r = logpane_view_action(ui, &v->pane, a, v->ns, "", setview_log_pods, &v->logsrc);
	if (!(r & UI_UNHANDLED))
		return r;
	if (setview_move(a, &v->sel, v->height - HEADER_ROWS))
		return UI_DRAW;
	switch (a) {
	case ACT_ENTER: {
		const struct pod *p = selected_pod(ui, v);
		if (p)
			ui_push(ui, &view_pod, p->namespace, p->name);
		return UI_DRAW;
	}
	case ACT_DELETE_POD: {
		const struct pod *p = selected_pod(ui, v);
		if (!p)
			return UI_UNHANDLED;
		char ns[254], name[254];
		snprintf(ns, sizeof(ns), "%s", p->namespace);
		snprintf(name, sizeof(name), "%s", p->name);
		return ui_act_pod(ui, ns, name);
	}
	case ACT_BLOCKERS:
		return ui_blockers_show(ui, STORE_STATEFULSETS, v->ns, v->name);
	case ACT_FLEET:
		return ui_fleet_show(ui, STORE_STATEFULSETS, v->ns, v->name);
	default:
		/* The set's own actions, as on its row in the overview. */
		if (actions_table[a].mutates)
			return ui_act_set(ui, a, STORE_STATEFULSETS, v->ns, v->name);
		return UI_UNHANDLED;
	}
}

static unsigned sv_click(struct ui *ui, void *stp, int y, int x, bool dbl)
{
	(void)x;
	struct sts_view *v = stp;
	const struct statefulset *ss = store_get_statefulset(ui->store, v->ns, v->name);
	if (!ss || y < v->rows_top)
		return UI_NONE;
	struct ladder l;
	ladder_of(ui->store, ss, &l);
	size_t d = v->top + (size_t)(y - v->rows_top);
	int64_t i = d < display_rows(&l) ? index_at(&l, d) : -1;
	if (i < 0)
		return UI_NONE;
	v->sel = (size_t)i;
	return dbl ? sv_action(ui, v, ACT_ENTER) : UI_DRAW;
}

static int64_t sv_next_tick(struct ui *ui, void *stp, int64_t mono)
{
	struct sts_view *v = stp;
	const struct statefulset *ss = store_get_statefulset(ui->store, v->ns, v->name);
	if (!ss)
		return 0;
	int64_t mq, wall = ui_clock(&mq);
	int64_t next = ui_flash_tick(ui, mono);
	struct ladder l;
	ladder_of(ui->store, ss, &l);
	int rows = v->height - HEADER_ROWS;
	for (int r = 0; r < rows && v->top + (size_t)r < display_rows(&l); r++) {
		int64_t i = index_at(&l, v->top + (size_t)r);
		/* Low bandwidth: time-driven text is the selected row's alone. */
		if (i < 0 || (ui->lowbw && (size_t)i != v->sel))
			continue;
		const struct pod *p = pod_at(ui->store, ss, &l, (size_t)i);
		if (p)
			next = setview_pod_tick(ui, p, wall, mq, next);
	}
	return next;
}

const struct view_ops view_rollout_sts = {
    .name = "rollout-sts",
    .mask = VIEWMASK_ROLLOUT,
    .open = sv_open,
    .close = sv_close,
    .draw = sv_draw,
    .action = sv_action,
    .click = sv_click,
    .next_tick = sv_next_tick,
    .hint = "{up}/{down} ordinals  {open} pod  {delete-pod} delete pod  {logs} logs  {back} back",
};
