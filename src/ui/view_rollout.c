#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/generations.h"
#include "glyphs.h"
#include "podscope/loop.h"
#include "podscope/rollout.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "badge.h"
#include "logpane.h"
#include "stage.h"
#include "ui_int.h"
#include "warnlines.h"

/*
 * Rollout: one deployment's ReplicaSet generations side by side, oldest on
 * the left, newest on the right, each with its pods as tiles. The header
 * shows the strategy, the budgets as gauges, progress and conditions.
 */

#define MAX_GENS    64
#define COL_MIN     24
#define HEADER_ROWS 5

struct rollout {
	char ns[254];
	char name[254];
	int col;    /* selected generation, from the right: 0 = newest shown */
	size_t pod; /* selected pod in it */
	int height;
	int tiles_top; /* screen row of the first tile, for clicks */
	int col_w, ncols;
	struct logpane *pane; /* the pods' merged log when open (L) */
};

static void *ro_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	struct rollout *r = xcalloc(1, sizeof(*r));
	snprintf(r->ns, sizeof(r->ns), "%s", ns);
	snprintf(r->name, sizeof(r->name), "%s", name);
	return r;
}

static void ro_close(void *st)
{
	struct rollout *ro = st;
	logpane_free(ro->pane);
	free(ro);
}

/* The generations worth a column: any with pods or replicas wanted, the new
 * one (generations.h decides which that is), and always the newest. */
static size_t shown_gens(const struct store *s, const struct deployment *d,
			 const struct replicaset **out, bool *is_new)
{
	const struct replicaset *all[MAX_GENS];
	size_t n = uigens_collect(s, d, all, MAX_GENS), k = 0;
	struct generations g;
	generations_build(d, all, n, &g);
	for (size_t i = 0; i < g.n; i++) {
		const struct replicaset *rs = g.rs[i].rs;
		bool active = rs->spec_replicas > 0 || rs->replicas > 0 ||
			      store_children_count(s, STORE_PODS, rs->uid) > 0;
		if (active || g.rs[i].is_new || i == g.n - 1) {
			is_new[k] = g.rs[i].is_new;
			out[k++] = rs;
		}
	}
	generations_free(&g);
	return k;
}

static int by_name(const void *a, const void *b)
{
	const struct pod *x = *(const struct pod *const *)a, *y = *(const struct pod *const *)b;
	return strcmp(x->name, y->name);
}

static size_t gen_pods(const struct store *s, const struct replicaset *rs, const struct pod **out,
		       size_t max)
{
	struct store_iter it;
	store_iter_children(&it, s, STORE_PODS, rs->uid);
	size_t n = 0;
	const struct pod *p;
	while ((p = store_iter_next(&it)) && n < max)
		out[n++] = p;
	if (n > 1)
		qsort(out, n, sizeof(*out), by_name);
	return n;
}

/* The merged log pane's pods: those of the new generation, the old ones or both. */
static size_t pane_pods(struct ui *ui, void *ud, enum logpane_gen g, const struct pod **out,
			size_t max)
{
	struct rollout *ro = ud;
	const struct deployment *d = store_get_deployment(ui->store, ro->ns, ro->name);
	if (!d)
		return 0;
	const struct replicaset *gens[MAX_GENS];
	bool is_new[MAX_GENS];
	size_t ng = shown_gens(ui->store, d, gens, is_new), n = 0;
	for (size_t i = 0; i < ng; i++) {
		if ((g == LOGPANE_GEN_NEW && !is_new[i]) || (g == LOGPANE_GEN_OLD && is_new[i]))
			continue;
		/* All of them counted, those that fit listed. */
		if (n < max)
			gen_pods(ui->store, gens[i], out + n, max - n);
		n += store_children_count(ui->store, STORE_PODS, gens[i]->uid);
	}
	return n;
}

static const char *tag_of(const char *image)
{
	const char *slash = strrchr(image, '/');
	const char *colon = strrchr(slash ? slash : image, ':');
	const char *at = strchr(image, '@');
	return at ? at : colon ? colon : ":latest";
}

static void draw_header(struct ui *ui, const struct deployment *d, int y, int64_t now)
{
	struct rollout_budget b;
	rollout_budget(d, &b);
	int32_t want = d->has_spec_replicas ? d->spec_replicas : 1;
	bool recreate = d->strategy.type == DEPLOY_RECREATE;
	int x = draw_textf(y, 1, ui->cols - 2, ROLE_RS_NEW, "deploy/%s", d->name);
	x += draw_textf(y, 1 + x, ui->cols - 2 - x, ROLE_NORMAL, "  %s  revision %s  replicas %d",
			recreate ? "Recreate" : "RollingUpdate", d->revision ? d->revision : "-",
			want);
	if (d->paused)
		draw_text(y, 2 + x, ui->cols - 3 - x, ROLE_BADGE_PAUSED, " PAUSED ");
	/* The budgets, resolved to pods, as gauges. */
	y++;
	int gw = ui->cols >= 100 ? 12 : 8;
	if (recreate && d->replicas == 0 && want > 0) {
		draw_text(y, 1, ui->cols - 2, ROLE_BANNER,
			  " GAP: no pods run while Recreate replaces the old generation ");
	} else if (recreate) {
		draw_text(y, 1, ui->cols - 2, ROLE_DIM,
			  "Recreate: every old pod stops before the new ones start (a gap with "
			  "no pods)");
	} else {
		x = 1 + draw_textf(y, 1, 14, ROLE_NORMAL, "maxSurge %d ", b.max_surge);
		draw_gauge(y, x, gw, b.surge_used, b.max_surge);
		x += gw;
		x += draw_textf(y, x, 8, ROLE_NORMAL, " %d/%d", b.surge_used, b.max_surge);
		x += 3;
		x += draw_textf(y, x, 20, ROLE_NORMAL, "maxUnavailable %d ", b.max_unavailable);
		draw_gauge(y, x, gw, b.unavailable_used, b.max_unavailable);
		x += gw;
		draw_textf(y, x, 8, ROLE_NORMAL, " %d/%d", b.unavailable_used, b.max_unavailable);
	}
	/* Progress: updated and available against the replicas wanted. */
	y++;
	int pw = ui->cols >= 100 ? 30 : 20;
	x = 1 + draw_text(y, 1, 10, ROLE_NORMAL, "progress ");
	draw_gauge(y, x, pw, d->updated_replicas, want > 0 ? want : 0);
	x += pw;
	x += draw_textf(y, x, ui->cols - x, ROLE_NORMAL, " %d/%d updated, %d available, %d ready",
			d->updated_replicas, want, d->available_replicas, d->ready_replicas);
	/* Conditions and the progress deadline. */
	y++;
	x = 1;
	const struct deploy_condition *prog = NULL;
	for (int i = 0; i < d->n_conditions && x < ui->cols - 4; i++) {
		const struct deploy_condition *c = &d->conditions[i];
		if (strcmp(c->type, "Progressing") == 0)
			prog = c;
		enum theme_role r = c->status == MODEL_COND_TRUE ? ROLE_OK : ROLE_WARNING;
		x += draw_textf(y, x, ui->cols - x - 1, r, "%s=%s", c->type,
				c->status == MODEL_COND_TRUE    ? "True"
				: c->status == MODEL_COND_FALSE ? "False"
								: "Unknown");
		x += draw_textf(y, x, ui->cols - x - 1, ROLE_DIM, " %s  ", c->reason);
	}
	struct badge_info bi;
	badge_of(ui->store, d, now, &bi);
	if (prog && d->progress_deadline_seconds > 0 && bi.badge != BADGE_COMPLETE && !d->paused &&
	    prog->last_update) {
		int64_t left =
		    prog->last_update + (int64_t)d->progress_deadline_seconds * 1000 - now;
		char buf[DURATION_BUF];
		duration_human(left > 0 ? left : 0, buf, sizeof(buf));
		x += 2 + draw_textf(y, x, ui->cols - x - 1, left > 0 ? ROLE_INFO : ROLE_ERROR,
				    "deadline %s%s", left > 0 ? "in " : "passed ",
				    left > 0 ? buf : "");
	}
	ui_draw_eta(ui, STORE_DEPLOYMENTS, d, y, x, now);
	y++;
	x = 1 + draw_text(y, 1, ui->cols - 2, bi.role, bi.text);
	/* kubectl's message, then the root cause (the same when stalled: once). */
	if (strcmp(bi.detail, bi.why) != 0)
		x += 1 + draw_text(y, x + 1, ui->cols - x - 2, ROLE_DIM, bi.detail);
	if (bi.why[0])
		draw_textf(y, x + 2, ui->cols - x - 3, ROLE_WARNING, "why: %s", bi.why);
}

/* What changed against the previous generation: images first. */
static void image_line(char *buf, size_t n, const struct replicaset *rs,
		       const struct replicaset *prev)
{
	buf[0] = '\0';
	for (int i = 0; i < rs->n_images; i++) {
		const char *img = rs->images[i];
		if (prev && i < prev->n_images && strcmp(prev->images[i], img) != 0)
			snprintf(buf, n, "%s (was %s)", img, tag_of(prev->images[i]));
		else if (!buf[0])
			snprintf(buf, n, "%s", img);
		if (prev && i < prev->n_images && strcmp(prev->images[i], img) != 0)
			return;
	}
}

static void draw_column(struct ui *ui, const struct replicaset *rs, const struct replicaset *prev,
			bool newest, int x, int w, int y, int bottom, struct rollout *ro,
			bool sel_col, int64_t now, int64_t mono)
{
	enum theme_role head = newest ? ROLE_RS_NEW : ROLE_RS_OLD;
	enum theme_role text = newest ? ROLE_NORMAL : ROLE_RS_OLD;
	/* Low bandwidth: the selection in the text alone, no filled bar. */
	if (sel_col && !ui->lowbw)
		draw_fill(y, x, w - 1, ROLE_SELECTED);
	draw_textf(y, x, w - 1, sel_col ? ROLE_SELECTED : head, "rev %s %s%s",
		   rs->revision && *rs->revision ? rs->revision : "?", rs->pod_template_hash,
		   newest ? " (new)" : "");
	char img[256];
	image_line(img, sizeof(img), rs, prev);
	draw_text(y + 1, x, w - 1, text, img);
	struct rollout_rs_row rr;
	rollout_rs_row(rs, now, &rr);
	draw_textf(y + 2, x, w - 1, text, "want %d cur %d rdy %d av %d", rr.desired, rr.current,
		   rr.ready, rs->available_replicas);
	if (!ui->lowbw)
		draw_hline(y + 3, x, w - 1, ROLE_DIM);
	const struct pod *pods[256];
	size_t np = gen_pods(ui->store, rs, pods, 256);
	/* Its warnings at the column's foot, next to what they concern: two
	 * at most, and only when a tile row is left above them. */
	struct warnfold warn[2];
	size_t nw = ui_warnings_of(ui->store, rs->uid, pods, np, warn, 2);
	while (nw && bottom - (int)nw <= y + 5)
		nw--;
	bottom -= (int)nw;
	for (size_t i = 0; i < nw; i++)
		ui_draw_warning(ui, &warn[i], bottom + (int)i, x, w - 1, now);
	int ty = y + 4;
	if (np == 0)
		draw_text(ty, x, w - 1, ROLE_DIM, "(no pods)");
	if (sel_col && ro->pod >= np)
		ro->pod = np ? np - 1 : 0;
	for (size_t i = 0; i < np && ty < bottom; i++, ty++) {
		struct uistage st;
		uistage_pod(ui->store, pods[i], now, &st);
		bool sel = sel_col && i == ro->pod;
		/* Low bandwidth: countdowns only on the selected pod, no fading glyph. */
		if (ui->lowbw) {
			st.glyph = uistage_glyph(st.stage);
			if (!sel)
				st.label[st.base] = '\0';
		}
		if (sel && !ui->lowbw)
			draw_fill(ty, x, w - 1, ROLE_SELECTED);
		if (ui_flashing(ui, pods[i]->uid, mono) && (mono / 500) % 2)
			draw_text(ty, x, 1, ROLE_BANNER, glyph(GLYPH_FLASH));
		else
			draw_text(ty, x, 2, sel ? ROLE_SELECTED : st.role, glyph(st.glyph));
		const char *suffix = pods[i]->name;
		size_t len = strlen(suffix);
		if (len > 5 && w < 40)
			suffix += len - 5;
		int used = 2 + draw_text(ty, x + 2, w - 4, sel ? ROLE_SELECTED : text, suffix);
		draw_text(ty, x + used + 1, w - used - 2,
			  sel                    ? ROLE_SELECTED
			  : newest || st.trouble ? st.role
						 : text,
			  st.label);
	}
	if (ty >= bottom && np > (size_t)(bottom - y - 4)) {
		/* In place of the last tile drawn: none of its text is left. */
		draw_fill(bottom - 1, x, w - 1, ROLE_NORMAL);
		draw_textf(bottom - 1, x, w - 1, ROLE_DIM, "%s %zu more", glyph(GLYPH_ELLIPSIS),
			   np - (size_t)(bottom - y - 5));
	}
}

static void ro_draw(struct ui *ui, void *stp, int top, int height)
{
	struct rollout *ro = stp;
	ro->height = height;
	int64_t now = ui_clock(NULL), mono = ploop_now_ms();
	const struct deployment *d = store_get_deployment(ui->store, ro->ns, ro->name);
	if (!d) {
		draw_textf(top + 1, 2, ui->cols - 4, ROLE_WARNING,
			   "deployment %s/%s is gone (Esc goes back)", ro->ns, ro->name);
		return;
	}
	/* The rollout above, the pods' merged log below. */
	height = logpane_view_draw(ui, ro->pane, top, height);
	if (height == 0)
		return;
	draw_header(ui, d, top, now);
	const struct replicaset *gens[MAX_GENS];
	bool is_new[MAX_GENS];
	size_t ng = shown_gens(ui->store, d, gens, is_new);
	int y = top + HEADER_ROWS + 1;
	if (ng == 0) {
		draw_text(y, 2, ui->cols - 4, ROLE_DIM, "no ReplicaSets yet");
		return;
	}
	int fit = ui->cols / COL_MIN;
	int ncols = (int)ng < fit ? (int)ng : fit;
	if (ncols < 1)
		ncols = 1;
	int w = ui->cols / ncols;
	ro->col_w = w;
	ro->ncols = ncols;
	ro->tiles_top = y + 4 - top;
	if (ro->col >= ncols)
		ro->col = ncols - 1;
	size_t first = ng - (size_t)ncols;
	if (first > 0)
		draw_textf(y - 1, 1, ui->cols - 2, ROLE_DIM, "%s %zu older generation%s",
			   glyph(GLYPH_ELLIPSIS), first, first == 1 ? "" : "s");
	for (int c = 0; c < ncols; c++) {
		size_t gi = first + (size_t)c;
		bool newest = is_new[gi];
		bool sel = ncols - 1 - c == ro->col;
		draw_column(ui, gens[gi], gi > 0 ? gens[gi - 1] : NULL, newest, c * w, w, y,
			    top + height, ro, sel, now, mono);
	}
}

static unsigned ro_action(struct ui *ui, void *stp, enum action_id a)
{
	struct rollout *ro = stp;
	unsigned r = logpane_view_action(ui, &ro->pane, a, ro->ns, ro->name, pane_pods, ro);
	if (!(r & UI_UNHANDLED))
		return r;
	switch (a) {
	case ACT_UP:
		ro->pod = ro->pod ? ro->pod - 1 : 0;
		return UI_DRAW;
	case ACT_DOWN:
		ro->pod++;
		return UI_DRAW;
	case ACT_FIRST:
		ro->pod = 0;
		return UI_DRAW;
	case ACT_LAST:
		ro->pod = (size_t)-1 / 2;
		return UI_DRAW;
	case ACT_NEXT_COLUMN:
		ro->col = ro->col > 0 ? ro->col - 1 : (ro->ncols > 0 ? ro->ncols - 1 : 0);
		ro->pod = 0;
		return UI_DRAW;
	case ACT_ENTER: {
		const struct deployment *d = store_get_deployment(ui->store, ro->ns, ro->name);
		if (!d)
			return UI_NONE;
		const struct replicaset *gens[MAX_GENS];
		bool is_new[MAX_GENS];
		size_t ng = shown_gens(ui->store, d, gens, is_new);
		if ((size_t)ro->col >= ng)
			return UI_NONE;
		const struct pod *pods[256];
		size_t np = gen_pods(ui->store, gens[ng - 1 - (size_t)ro->col], pods, 256);
		if (ro->pod < np)
			ui_push(ui, &view_pod, pods[ro->pod]->namespace, pods[ro->pod]->name);
		return UI_DRAW;
	}
	case ACT_DELETE_POD: {
		const struct deployment *d = store_get_deployment(ui->store, ro->ns, ro->name);
		if (!d)
			return UI_NONE;
		const struct replicaset *gens[MAX_GENS];
		bool is_new[MAX_GENS];
		size_t ng = shown_gens(ui->store, d, gens, is_new);
		if ((size_t)ro->col >= ng)
			return UI_UNHANDLED;
		const struct pod *pods[256];
		size_t np = gen_pods(ui->store, gens[ng - 1 - (size_t)ro->col], pods, 256);
		if (ro->pod >= np)
			return UI_UNHANDLED;
		char ns[254], name[254];
		snprintf(ns, sizeof(ns), "%s", pods[ro->pod]->namespace);
		snprintf(name, sizeof(name), "%s", pods[ro->pod]->name);
		return ui_act_pod(ui, ns, name);
	}
	case ACT_BLOCKERS:
		return ui_blockers_show(ui, STORE_DEPLOYMENTS, ro->ns, ro->name);
	case ACT_FLEET:
		return ui_fleet_show(ui, STORE_DEPLOYMENTS, ro->ns, ro->name);
	default:
		if (actions_table[a].mutates)
			return ui_act_deploy(ui, a, ro->ns, ro->name);
		return UI_UNHANDLED;
	}
}

static unsigned ro_click(struct ui *ui, void *stp, int y, int x, bool dbl)
{
	struct rollout *ro = stp;
	if (ro->col_w <= 0 || y < ro->tiles_top)
		return UI_NONE;
	int c = x / ro->col_w;
	if (c >= ro->ncols)
		return UI_NONE;
	ro->col = ro->ncols - 1 - c;
	ro->pod = (size_t)(y - ro->tiles_top);
	return dbl ? ro_action(ui, ro, ACT_ENTER) : UI_DRAW;
}

static int64_t ro_next_tick(struct ui *ui, void *stp, int64_t mono)
{
	struct rollout *ro = stp;
	const struct deployment *d = store_get_deployment(ui->store, ro->ns, ro->name);
	if (!d)
		return 0;
	int64_t mq, wall = ui_clock(&mq);
	int64_t next = ui_flash_tick(ui, mono);
	const struct replicaset *gens[MAX_GENS];
	bool is_new[MAX_GENS];
	size_t ng = shown_gens(ui->store, d, gens, is_new);
	/* The selected column's generation (columns show the newest ncols). */
	size_t sel_g = ro->ncols > 0 && (size_t)ro->ncols <= ng
			   ? ng - (size_t)ro->ncols + (size_t)(ro->ncols - 1 - ro->col)
			   : ng;
	for (size_t g = 0; g < ng; g++) {
		const struct pod *pods[256];
		size_t np = gen_pods(ui->store, gens[g], pods, 256);
		for (size_t i = 0; i < np; i++) {
			struct uistage st;
			uistage_pod(ui->store, pods[i], wall, &st);
			if (st.next_ms && (!ui->lowbw || (g == sel_g && i == ro->pod)))
				next = ui_tick_min(next, ui_tick_align(mq + (st.next_ms - wall)));
		}
	}
	struct badge_info bi;
	badge_of(ui->store, d, wall, &bi);
	/* The deadline counts down while a rollout is under way. */
	if (bi.badge != BADGE_COMPLETE && d->progress_deadline_seconds > 0)
		next = ui_tick_min(next, ui_tick_align(mq + 1000));
	return next;
}

const struct view_ops view_rollout = {
    .name = "rollout",
    .mask = VIEWMASK_ROLLOUT,
    .open = ro_open,
    .close = ro_close,
    .draw = ro_draw,
    .action = ro_action,
    .click = ro_click,
    .next_tick = ro_next_tick,
    .hint = "{next-column} next generation  {up}/{down} pods  {open} pod  {logs} logs  {back} back",
};
