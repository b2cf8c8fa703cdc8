#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/job.h"
#include "glyphs.h"
#include "podscope/loop.h"
#include "podscope/pod_status.h"
#include "podscope/rollout.h"
#include "podscope/sort.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "badge.h"
#include "overview.h"
#include "setview.h"
#include "stage.h"
#include "ui_cluster.h"
#include "ui_int.h"

/*
 * Overview: every Deployment, StatefulSet, DaemonSet, Job and CronJob
 * (rollouts in progress and trouble first), a set's pods under it, a
 * CronJob's recent Jobs under it (their pods folded), then the pods no
 * workload in the store owns, grouped by their owner. Rows are rebuilt from
 * the store whenever they are needed (a frame, a key), so they never point
 * at objects the store has replaced; the selection follows its object by key.
 */

static struct row *add_row(struct overview *ov, enum row_kind k, const void *obj)
{
	if (ov->n == ov->cap) {
		ov->cap = ov->cap ? ov->cap * 2 : 64;
		ov->rows = xrealloc(ov->rows, ov->cap * sizeof(*ov->rows));
	}
	struct row *r = &ov->rows[ov->n++];
	memset(r, 0, sizeof(*r));
	r->kind = k;
	r->obj = obj;
	return r;
}

struct row *overview_add_row(struct overview *ov, enum row_kind k, const void *obj)
{
	return add_row(ov, k, obj);
}

/* Deployments and sets by namespace and name, then kind. */
static int by_name(const struct row *x, const struct row *y)
{
	int c = strcmp(store_obj_namespace(x->obj), store_obj_namespace(y->obj));
	if (!c)
		c = strcmp(store_obj_name(x->obj), store_obj_name(y->obj));
	return c ? c : (int)x->kind - (int)y->kind + (int)x->set_kind - (int)y->set_kind;
}

static int by_badge(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->badge.badge != y->badge.badge)
		return x->badge.badge < y->badge.badge ? -1 : 1;
	return by_name(x, y);
}

/* Low bandwidth: only trouble comes first; a rollout that starts or ends
 * does not move two rows (which rewrites both). */
static bool in_trouble(const struct row *r)
{
	return r->badge.badge == BADGE_FAILED || r->badge.badge == BADGE_STALLED;
}

static int by_trouble(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (in_trouble(x) != in_trouble(y))
		return in_trouble(x) ? -1 : 1;
	return by_name(x, y);
}

/* Pods in a steady order: rows that jump while one reads them are useless.
 * A set's pods by ordinal. */
static int by_pod_name(const void *a, const void *b)
{
	const struct pod *x = ((const struct row *)a)->obj, *y = ((const struct row *)b)->obj;
	int c = strcmp(x->namespace, y->namespace);
	return c ? c : sort_name_cmp(x->name, y->name);
}

const char *overview_row_kind(const struct row *r, bool short_name)
{
	switch (r->kind) {
	case ROW_DEPLOY:
		return short_name ? "deploy" : "Deployment";
	case ROW_SET:
		if (r->set_kind == STORE_JOBS)
			return short_name ? "job" : "Job";
		if (r->set_kind == STORE_CRONJOBS)
			return short_name ? "cj" : "CronJob";
		if (r->set_kind == STORE_STATEFULSETS)
			return short_name ? "sts" : "StatefulSet";
		return short_name ? "ds" : "DaemonSet";
	case ROW_POD:
		return short_name ? "pod" : "Pod";
	case ROW_GROUP:
		break;
	}
	return "";
}

int64_t overview_set_created(const struct row *r)
{
	switch (r->set_kind) {
	case STORE_STATEFULSETS:
		return ((const struct statefulset *)r->obj)->w.created;
	case STORE_JOBS:
		return ((const struct job *)r->obj)->w.created;
	case STORE_CRONJOBS:
		return ((const struct cronjob *)r->obj)->created;
	default:
		return ((const struct daemonset *)r->obj)->w.created;
	}
}

struct group_ctx {
	struct ui *ui;
	struct overview *ov;
	int64_t now;
};

static void add_group(void *ud, const struct store_group *g)
{
	struct group_ctx *c = ud;
	const char *ns = ui_namespace(c->ui);
	size_t head = c->ov->n;
	struct row *h = add_row(c->ov, ROW_GROUP, NULL);
	if (g->kind && *g->kind)
		snprintf(h->group, sizeof(h->group), "%s %s", g->kind, g->name);
	else
		snprintf(h->group, sizeof(h->group), "standalone pods");
	snprintf(h->key, sizeof(h->key), "g/%s/%s", g->kind, g->name);
	struct store_iter it;
	store_iter_children(&it, c->ui->store, STORE_PODS, g->uid);
	const struct pod *p;
	size_t first = c->ov->n;
	while ((p = store_iter_next(&it))) {
		if (ns && strcmp(p->namespace, ns) != 0)
			continue;
		if (!ui_filter_match(c->ui, p->namespace, p->name) &&
		    !ui_filter_match(c->ui, NULL, h->group))
			continue;
		struct row *r = add_row(c->ov, ROW_POD, p);
		snprintf(r->key, sizeof(r->key), "p/%s/%s", p->namespace, p->name);
	}
	if (c->ov->n == first)
		c->ov->n = head; /* nothing of it passes the filter */
	else if (c->ov->n - first > 1)
		qsort(c->ov->rows + first, c->ov->n - first, sizeof(struct row), by_pod_name);
}

static int by_group(const void *a, const void *b)
{
	const struct store_group *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);
	return c ? c : strcmp(x->name, y->name);
}

struct groups {
	struct store_group *g;
	size_t n, cap;
};

static void collect_group(void *ud, const struct store_group *g)
{
	struct groups *gs = ud;
	if (gs->n == gs->cap) {
		gs->cap = gs->cap ? gs->cap * 2 : 16;
		gs->g = xrealloc(gs->g, gs->cap * sizeof(*gs->g));
	}
	gs->g[gs->n++] = *g;
}

/* The StatefulSets and DaemonSets that pass the filter (by their name or a
 * pod's), as rows after the deployments. */
static void add_sets(struct ui *ui, struct overview *ov, int64_t now)
{
	static const enum store_kind kinds[] = {STORE_STATEFULSETS, STORE_DAEMONSETS, STORE_JOBS};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct store_iter it;
		const void *set;
		store_iter_all(&it, ui->store, kinds[k], ui_namespace(ui));
		while ((set = store_iter_next(&it))) {
			const char *ns = store_obj_namespace(set), *name = store_obj_name(set);
			/* A CronJob's Jobs are rows under their CronJob's. */
			if (kinds[k] == STORE_JOBS && store_job_cronjob(ui->store, set))
				continue;
			bool match = ui_filter_match(ui, ns, name);
			struct store_iter pit;
			const struct pod *p;
			store_iter_children(&pit, ui->store, STORE_PODS, store_obj_uid(set));
			while (!match && *store_obj_uid(set) && (p = store_iter_next(&pit)))
				match = ui_filter_match(ui, p->namespace, p->name);
			if (!match)
				continue;
			struct row *r = add_row(ov, ROW_SET, set);
			r->set_kind = (uint8_t)kinds[k];
			if (kinds[k] == STORE_JOBS)
				badge_of_job(ui->store, set, &r->badge);
			else
				badge_of_set(ui->store, kinds[k], set, now, &r->badge);
			snprintf(r->key, sizeof(r->key), "%s/%s/%s",
				 kinds[k] == STORE_STATEFULSETS ? "s"
				 : kinds[k] == STORE_JOBS       ? "j"
								: "ds",
				 ns, name);
		}
	}
}

/* A CronJob's Jobs, newest first, at most OV_CRON_JOBS of them. */
#define OV_CRON_JOBS 8

static size_t cron_jobs(const struct store *s, const struct cronjob *cj, const struct job **out)
{
	size_t n = 0;
	struct store_iter it;
	const struct job *j;
	if (!*cj->uid)
		return 0;
	store_iter_children(&it, s, STORE_JOBS, cj->uid);
	while ((j = store_iter_next(&it))) {
		if (store_job_cronjob(s, j) != cj)
			continue;
		/* Insertion into the newest OV_CRON_JOBS. */
		size_t i = n < OV_CRON_JOBS ? n++ : OV_CRON_JOBS;
		while (i > 0 && (out[i - 1]->w.created < j->w.created ||
				 (out[i - 1]->w.created == j->w.created &&
				  strcmp(out[i - 1]->w.name, j->w.name) < 0))) {
			if (i < OV_CRON_JOBS)
				out[i] = out[i - 1];
			i--;
		}
		if (i < OV_CRON_JOBS)
			out[i] = j;
	}
	return n;
}

/* A CronJob's ROLLOUT cell: suspended, active N, its newest Job's outcome
 * (complete or failed), or scheduled before its first run; the brief says
 * when it last ran (kubectl's LAST SCHEDULE). */
static void badge_of_cronjob(const struct store *s, const struct cronjob *cj, int64_t now,
			     struct badge_info *out)
{
	const struct job *jobs[OV_CRON_JOBS];
	size_t n = cron_jobs(s, cj, jobs);
	char ago[24] = "";
	out->detail[0] = '\0';
	out->brief[0] = '\0';
	if (cj->last_schedule)
		duration_since(cj->last_schedule, now, ago, sizeof(ago));
	if (cj->suspend == MODEL_TRUE) {
		out->badge = BADGE_PAUSED;
		out->text = "suspended";
		out->role = ROLE_BADGE_PAUSED;
	} else if (cj->n_active) {
		/* The brief follows the word: "active 1, last run 5s ago". */
		out->badge = BADGE_PROGRESSING;
		out->text = "active";
		out->role = ROLE_BADGE_PROGRESSING;
		snprintf(out->brief, sizeof(out->brief), "%d%s%s%s", (int)cj->n_active,
			 *ago ? ", last run " : "", ago, *ago ? " ago" : "");
		return;
	} else if (n && job_outcome(jobs[0], NULL) == JOB_FAILED) {
		out->badge = BADGE_FAILED;
		out->text = "failed";
		out->role = ROLE_BADGE_FAILED;
	} else {
		out->badge = BADGE_COMPLETE;
		out->text = n ? "complete" : "scheduled";
		out->role = ROLE_BADGE_COMPLETE;
	}
	if (*ago)
		snprintf(out->brief, sizeof(out->brief), "last run %s ago", ago);
}

/* The CronJobs that pass the filter (by their name or a recent Job's). */
static void add_cronjobs(struct ui *ui, struct overview *ov, int64_t now)
{
	struct store_iter it;
	const struct cronjob *cj;
	store_iter_all(&it, ui->store, STORE_CRONJOBS, ui_namespace(ui));
	while ((cj = store_iter_next(&it))) {
		bool match = ui_filter_match(ui, cj->namespace, cj->name);
		const struct job *jobs[OV_CRON_JOBS];
		size_t n = match ? 0 : cron_jobs(ui->store, cj, jobs);
		for (size_t i = 0; i < n && !match; i++)
			match = ui_filter_match(ui, jobs[i]->w.namespace, jobs[i]->w.name);
		if (!match)
			continue;
		struct row *r = add_row(ov, ROW_SET, cj);
		r->set_kind = STORE_CRONJOBS;
		badge_of_cronjob(ui->store, cj, now, &r->badge);
		snprintf(r->key, sizeof(r->key), "cj/%s/%s", cj->namespace, cj->name);
	}
}

/* Under a CronJob's row, its recent Jobs (all when the CronJob's name
 * passes the filter), their pods folded: one per Job and run, they would
 * push everything else off the screen; the Job view lists them. */
static void add_cron_job_rows(struct ui *ui, struct overview *ov, const struct cronjob *cj)
{
	const struct job *jobs[OV_CRON_JOBS];
	size_t n = cron_jobs(ui->store, cj, jobs);
	bool all = ui_filter_match(ui, cj->namespace, cj->name);
	for (size_t i = 0; i < n; i++) {
		if (!all && !ui_filter_match(ui, jobs[i]->w.namespace, jobs[i]->w.name))
			continue;
		struct row *r = add_row(ov, ROW_SET, jobs[i]);
		r->set_kind = STORE_JOBS;
		r->sub = 1;
		badge_of_job(ui->store, jobs[i], &r->badge);
		snprintf(r->key, sizeof(r->key), "j/%s/%s", jobs[i]->w.namespace, jobs[i]->w.name);
	}
}

/* After each set's row, its pods (those the filter passes, or all when the
 * set's name passes it), by ordinal. */
static void add_set_pods(struct ui *ui, struct overview *ov, size_t base)
{
	size_t nhead = ov->n - base;
	struct row *heads = xmalloc((nhead ? nhead : 1) * sizeof(*heads));
	if (nhead) /* ov->rows is NULL before the first row */
		memcpy(heads, ov->rows + base, nhead * sizeof(*heads));
	ov->n = base;
	for (size_t i = 0; i < nhead; i++) {
		*add_row(ov, heads[i].kind, heads[i].obj) = heads[i];
		if (heads[i].kind != ROW_SET || !*store_obj_uid(heads[i].obj))
			continue;
		if (heads[i].set_kind == STORE_CRONJOBS) {
			add_cron_job_rows(ui, ov, heads[i].obj);
			continue;
		}
		const void *set = heads[i].obj;
		bool all = ui_filter_match(ui, store_obj_namespace(set), store_obj_name(set));
		struct store_iter it;
		const struct pod *p;
		size_t first = ov->n;
		store_iter_children(&it, ui->store, STORE_PODS, store_obj_uid(set));
		while ((p = store_iter_next(&it))) {
			if (!all && !ui_filter_match(ui, p->namespace, p->name))
				continue;
			struct row *r = add_row(ov, ROW_POD, p);
			snprintf(r->key, sizeof(r->key), "p/%s/%s", p->namespace, p->name);
		}
		if (ov->n - first > 1)
			qsort(ov->rows + first, ov->n - first, sizeof(struct row), by_pod_name);
	}
	free(heads);
}

/* The rows of the store shown (one cluster's), after ov->n's. */
static void build_rows(struct ui *ui, struct overview *ov, int64_t now)
{
	size_t base = ov->n;
	struct store_iter it;
	store_iter_all(&it, ui->store, STORE_DEPLOYMENTS, ui_namespace(ui));
	const struct deployment *d;
	while ((d = store_iter_next(&it))) {
		if (!ui_filter_match(ui, d->namespace, d->name))
			continue;
		struct row *r = add_row(ov, ROW_DEPLOY, d);
		badge_of(ui->store, d, now, &r->badge);
		snprintf(r->key, sizeof(r->key), "d/%s/%s", d->namespace, d->name);
	}
	add_sets(ui, ov, now);
	add_cronjobs(ui, ov, now);
	if (ov->n - base > 1)
		qsort(ov->rows + base, ov->n - base, sizeof(*ov->rows),
		      ui->lowbw ? by_trouble : by_badge);
	add_set_pods(ui, ov, base);
	/* Groups in a stable order: kind, then name. */
	struct groups gs = {0};
	store_foreach_unowned_group(ui->store, collect_group, &gs);
	if (gs.n > 1)
		qsort(gs.g, gs.n, sizeof(*gs.g), by_group);
	struct group_ctx c = {ui, ov, now};
	for (size_t i = 0; i < gs.n; i++)
		add_group(&c, &gs.g[i]);
	free(gs.g);
}

static void build(struct ui *ui, struct overview *ov, int64_t now)
{
	ov->n = 0;
	if (ui->n_clusters)
		overview_fleet_rows(ui, ov, now, build_rows);
	else
		build_rows(ui, ov, now);
	/* The selection follows its object. */
	for (size_t i = 0; i < ov->n; i++)
		if (strcmp(ov->rows[i].key, ov->sel_key) == 0) {
			ov->sel = i;
			break;
		}
	ui_scroll(ov->n, &ov->sel, &ov->top, ov->height - 1);
	if (ov->n)
		snprintf(ov->sel_key, sizeof(ov->sel_key), "%s", ov->rows[ov->sel].key);
}

static void *ov_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	(void)ns;
	(void)name;
	struct overview *ov = xcalloc(1, sizeof(*ov));
	ov->height = 10;
	return ov;
}

static void ov_close(void *st)
{
	struct overview *ov = st;
	free(ov->rows);
	free(ov);
}

/* Column layout for a width. */
struct cols {
	int ctx, x_ctx, ns, kind, name, strat, ready, upd, avail, age, x_ns, x_kind, x_name,
	    x_strat, x_ready, x_upd, x_avail, x_age, x_badge, badge;
};

static void layout(const struct ui *ui, struct cols *c)
{
	c->ctx = ui->n_clusters ? (ui->cols >= 120 ? 14 : 10) : 0;
	c->ns = ui->all_ns ? (ui->cols >= 100 ? 16 : 12) : 0;
	c->strat = 9;
	c->ready = 8;
	c->upd = 11;
	c->avail = 10;
	c->age = 7;
	int fixed =
	    2 + c->ctx + (c->ns ? c->ns + 1 : 0) + c->strat + c->ready + c->upd + c->avail + c->age;
	int rest = ui->cols - fixed;
	c->name = rest / 2 < 12 ? 12 : rest / 2 > 48 ? 48 : rest / 2;
	/* KIND comes out of ROLLOUT's share: kubectl's short names ("sts"), or
	 * none where ROLLOUT would no longer fit its word. "StatefulSet" where
	 * there is room, its extra width from NAME's share, so that ROLLOUT
	 * keeps "complete partition 3". */
	c->kind = ui->cols >= 120 ? 12 : ui->cols >= 90 ? 7 : 0;
	if (c->kind == 12)
		c->name = c->name - 5 < 12 ? 12 : c->name - 5;
	c->x_ctx = 2;
	c->x_ns = 2 + c->ctx;
	c->x_kind = c->x_ns + (c->ns ? c->ns + 1 : 0);
	c->x_name = c->x_kind + c->kind;
	c->x_strat = c->x_name + c->name;
	c->x_ready = c->x_strat + c->strat;
	c->x_upd = c->x_ready + c->ready;
	c->x_avail = c->x_upd + c->upd;
	c->x_age = c->x_avail + c->avail;
	c->x_badge = c->x_age + c->age;
	c->badge = ui->cols - c->x_badge;
}

static void draw_badge(const struct row *r, const struct cols *c, int y, bool sel);

/* The cells a workload's row has, whatever its kind. */
struct wl_cells {
	const char *ns, *name, *strategy;
	char ready[32];
	char age[24];
	int32_t updated, available;
};

static void draw_workload(const struct row *r, const struct cols *c, int y, bool sel,
			  const struct wl_cells *w)
{
	enum theme_role base = sel ? ROLE_SELECTED : ROLE_NORMAL;
	if (c->ns)
		draw_text(y, c->x_ns, c->ns - 1, base, w->ns);
	if (c->kind)
		draw_text(y, c->x_kind, c->kind - 1, base, overview_row_kind(r, c->kind < 12));
	draw_text(y, c->x_name, c->name - 1, base, w->name);
	draw_text(y, c->x_strat, c->strat - 1, base, w->strategy);
	draw_text(y, c->x_ready, c->ready - 1, base, w->ready);
	draw_textf(y, c->x_upd, c->upd - 1, base, "%d", (int)w->updated);
	draw_textf(y, c->x_avail, c->avail - 1, base, "%d", (int)w->available);
	draw_text(y, c->x_age, c->age - 1, base, w->age);
	draw_badge(r, c, y, sel);
}

static void draw_deploy(struct ui *ui, const struct row *r, const struct cols *c, int y, bool sel,
			int64_t now)
{
	const struct deployment *d = r->obj;
	struct rollout_deploy_row dr;
	struct wl_cells w = {
	    .ns = d->namespace,
	    .name = d->name,
	    .strategy = d->strategy.type == DEPLOY_RECREATE ? "Recreate" : "Rolling",
	};
	rollout_deploy_row(d, now, &dr);
	snprintf(w.ready, sizeof(w.ready), "%s", dr.ready);
	w.updated = dr.up_to_date;
	w.available = dr.available;
	ui_age(ui, d->created, now, w.age, sizeof(w.age));
	draw_workload(r, c, y, sel, &w);
}

/* A CronJob's row: kubectl get's SCHEDULE over STRATEGY and READY (a cron
 * line is wider than a strategy), SUSPEND under UP-TO-DATE, ACTIVE under
 * AVAILABLE; LAST SCHEDULE is in ROLLOUT's brief ("last run 5s ago"). */
static void draw_cronjob(struct ui *ui, const struct row *r, const struct cols *c, int y, bool sel,
			 int64_t now)
{
	const struct cronjob *cj = r->obj;
	enum theme_role base = sel ? ROLE_SELECTED : ROLE_NORMAL;
	char age[24];
	if (c->ns)
		draw_text(y, c->x_ns, c->ns - 1, base, cj->namespace);
	if (c->kind)
		draw_text(y, c->x_kind, c->kind - 1, base, overview_row_kind(r, c->kind < 12));
	draw_text(y, c->x_name, c->name - 1, base, cj->name);
	draw_text(y, c->x_strat, c->strat + c->ready - 1, base, cj->schedule);
	draw_text(y, c->x_upd, c->upd - 1, base, cronjob_suspend_cell(cj));
	draw_textf(y, c->x_avail, c->avail - 1, base, "%d", (int)cj->n_active);
	ui_age(ui, cj->created, now, age, sizeof(age));
	draw_text(y, c->x_age, c->age - 1, base, age);
	draw_badge(r, c, y, sel);
}

/* A StatefulSet's or DaemonSet's row: kubectl get's READY, the updated and
 * available counts, its strategy. */
static void draw_set(struct ui *ui, const struct row *r, const struct cols *c, int y, bool sel,
		     int64_t now)
{
	const struct workload *wl;
	uint8_t strategy;
	struct wl_cells w;
	if (r->set_kind == STORE_CRONJOBS) {
		draw_cronjob(ui, r, c, y, sel, now);
		return;
	}
	if (r->set_kind == STORE_JOBS) {
		/* READY is kubectl's COMPLETIONS; then succeeded and active pods. */
		const struct job *j = r->obj;
		wl = &j->w;
		strategy = UPDATE_STRATEGY_NONE;
		job_completions_cell(j, w.ready, sizeof(w.ready));
		w.updated = j->succeeded;
		w.available = j->active;
	} else if (r->set_kind == STORE_STATEFULSETS) {
		const struct statefulset *ss = r->obj;
		wl = &ss->w;
		strategy = ss->update_strategy;
		snprintf(w.ready, sizeof(w.ready), "%d/%d", (int)ss->ready_replicas,
			 (int)(ss->has_spec_replicas ? ss->spec_replicas : 1));
		w.updated = ss->updated_replicas;
		w.available = ss->available_replicas;
	} else {
		const struct daemonset *ds = r->obj;
		wl = &ds->w;
		strategy = ds->update_strategy;
		snprintf(w.ready, sizeof(w.ready), "%d/%d", (int)ds->number_ready,
			 (int)ds->desired_number_scheduled);
		w.updated = ds->updated_number_scheduled;
		w.available = ds->number_available;
	}
	w.ns = wl->namespace;
	w.name = wl->name;
	w.strategy = strategy == UPDATE_ROLLING_UPDATE ? "Rolling"
		     : strategy == UPDATE_ON_DELETE    ? "OnDelete"
						       : "";
	ui_age(ui, wl->created, now, w.age, sizeof(w.age));
	draw_workload(r, c, y, sel, &w);
	/* A CronJob's Job sits under it, indented like a set's pods. */
	if (r->sub)
		draw_textf(y, c->x_name, c->name - 1, sel ? ROLE_SELECTED : ROLE_NORMAL, "  %s",
			   wl->name);
}

static void draw_badge(const struct row *r, const struct cols *c, int y, bool sel)
{
	int x = c->x_badge;
	int w = draw_text(y, x, c->badge, sel ? ROLE_SELECTED : r->badge.role, r->badge.text);
	/* A complete rollout says nothing more, unless it is a canary. */
	if ((r->badge.badge != BADGE_COMPLETE || r->kind == ROW_SET) && r->badge.brief[0] &&
	    c->badge - w > 4)
		draw_text(y, x + w + 1, c->badge - w - 1, sel ? ROLE_SELECTED : ROLE_DIM,
			  r->badge.brief);
}

static void draw_pod(struct ui *ui, const struct row *r, const struct cols *c, int y, bool sel,
		     int64_t now, int64_t mono)
{
	const struct pod *p = r->obj;
	enum theme_role base = sel ? ROLE_SELECTED : ROLE_NORMAL;
	struct uistage st;
	uistage_pod(ui->store, p, now, &st);
	struct pod_row pr;
	pod_status_row(p, now, &pr);
	ui_age(ui, p->created, now, pr.age, sizeof(pr.age));
	/* A restart flashes once: time-based, so it is the same on every frame. */
	if (ui_flashing(ui, p->uid, mono) && (mono / 500) % 2)
		draw_text(y, c->x_name, 1, ROLE_BANNER, glyph(GLYPH_FLASH));
	else
		draw_text(y, c->x_name, 2, sel ? ROLE_SELECTED : st.role, glyph(st.glyph));
	if (c->ns)
		draw_text(y, c->x_ns, c->ns - 1, base, p->namespace);
	draw_text(y, c->x_name + 2, c->name - 3, base, p->name);
	draw_text(y, c->x_ready, c->ready - 1, base, pr.ready);
	if (c->kind)
		draw_text(y, c->x_kind, c->kind - 1, sel ? ROLE_SELECTED : ROLE_DIM,
			  overview_row_kind(r, c->kind < 12));
	/* The stage in its colour, a countdown after it in the row's own, so
	 * that its ticks change digits, not colours. */
	char *count = st.label + st.base;
	char word[sizeof(st.label)];
	snprintf(word, sizeof(word), "%.*s", (int)st.base, st.label);
	int lw = draw_text(y, c->x_upd, c->upd + c->avail - 1, sel ? base : st.role, word);
	if (*count && c->upd + c->avail - 1 - lw > 0)
		draw_text(y, c->x_upd + lw, c->upd + c->avail - 1 - lw, base, count);
	draw_text(y, c->x_age, c->age - 1, base, pr.age);
	if (pr.restart_count > 0)
		draw_textf(y, c->x_badge, c->badge, base, "restarts %s", pr.restarts);
}

static void draw_empty(struct ui *ui, int top)
{
	const char *msg = !ui->synced     ? "listing the cluster..."
			  : ui->filter[0] ? "nothing matches the filter"
					  : "no workloads or pods here";
	draw_text(top + 2, 2, ui->cols - 4, ROLE_DIM, msg);
}

static void ov_draw(struct ui *ui, void *stp, int top, int height)
{
	struct overview *ov = stp;
	int64_t now = ui_clock(NULL), mono = ploop_now_ms();
	ov->height = height;
	build(ui, ov, now);
	if (ui->lowbw && ov->n) {
		overview_lean_draw(ui, ov, top, height, now);
		return;
	}
	if (ui->lowbw) {
		/* Until the first list ends, the title's "listing" says it all. */
		if (ui->synced)
			draw_empty(ui, top);
		return;
	}
	struct cols c;
	layout(ui, &c);
	draw_fill(top, 0, ui->cols, ROLE_HEADER);
	if (c.ctx)
		draw_text(top, c.x_ctx, c.ctx, ROLE_HEADER, "CONTEXT");
	if (c.ns)
		draw_text(top, c.x_ns, c.ns, ROLE_HEADER, "NAMESPACE");
	if (c.kind)
		draw_text(top, c.x_kind, c.kind, ROLE_HEADER, "KIND");
	draw_text(top, c.x_name, c.name, ROLE_HEADER, "NAME");
	draw_text(top, c.x_strat, c.strat, ROLE_HEADER, "STRATEGY");
	draw_text(top, c.x_ready, c.ready, ROLE_HEADER, "READY");
	draw_text(top, c.x_upd, c.upd, ROLE_HEADER, "UP-TO-DATE");
	draw_text(top, c.x_avail, c.avail, ROLE_HEADER, "AVAILABLE");
	draw_text(top, c.x_age, c.age, ROLE_HEADER, "AGE");
	draw_text(top, c.x_badge, c.badge, ROLE_HEADER, "ROLLOUT");
	if (ov->n == 0) {
		draw_empty(ui, top);
		return;
	}
	for (int i = 0; i + 1 < height && ov->top + (size_t)i < ov->n; i++) {
		size_t idx = ov->top + (size_t)i;
		const struct row *r = &ov->rows[idx];
		int y = top + 1 + i;
		bool sel = idx == ov->sel;
		if (sel) {
			draw_fill(y, 0, ui->cols, ROLE_SELECTED);
			draw_text(y, 0, 1, ROLE_SELECTED, glyph(GLYPH_CURSOR));
		}
		if (c.ctx)
			overview_fleet_cell(ui, r, y, c.x_ctx, c.ctx - 1, sel);
		switch (r->kind) {
		case ROW_DEPLOY:
			draw_deploy(ui, r, &c, y, sel, now);
			break;
		case ROW_SET:
			draw_set(ui, r, &c, y, sel, now);
			break;
		case ROW_GROUP:
			draw_text(y, c.x_ns, ui->cols - c.x_ns,
				  sel          ? ROLE_SELECTED
				  : r->trouble ? ROLE_ERROR
					       : ROLE_GROUP,
				  r->group);
			break;
		case ROW_POD:
			draw_pod(ui, r, &c, y, sel, now, mono);
			break;
		}
	}
	overview_fleet_done(ui, ov);
}

static unsigned open_selected(struct ui *ui, struct overview *ov)
{
	if (ov->sel >= ov->n)
		return UI_NONE;
	const struct row *r = &ov->rows[ov->sel];
	overview_fleet_done(ui, ov); /* the view shows the row's cluster */
	if (r->kind == ROW_DEPLOY) {
		const struct deployment *d = r->obj;
		ui_push(ui, &view_rollout, d->namespace, d->name);
	} else if (r->kind == ROW_SET && r->set_kind == STORE_CRONJOBS) {
		const struct cronjob *cj = r->obj;
		ui_push(ui, &view_cronjob, cj->namespace, cj->name);
	} else if (r->kind == ROW_SET && r->set_kind == STORE_JOBS) {
		const struct job *j = r->obj;
		ui_push(ui, &view_job, j->w.namespace, j->w.name);
	} else if (r->kind == ROW_SET) {
		const struct workload *w = r->set_kind == STORE_STATEFULSETS
					       ? &((const struct statefulset *)r->obj)->w
					       : &((const struct daemonset *)r->obj)->w;
		const struct view_ops *ops =
		    r->set_kind == STORE_STATEFULSETS ? &view_rollout_sts : &view_rollout_ds;
		ui_push(ui, ops, w->namespace, w->name);
	} else if (r->kind == ROW_POD) {
		const struct pod *p = r->obj;
		ui_push(ui, &view_pod, p->namespace, p->name);
	}
	return UI_DRAW;
}

/* An action on the cluster for the selected row: a deployment's, or delete-pod on a pod. */
static unsigned selected_act(struct ui *ui, struct overview *ov, enum action_id a)
{
	if (a == ACT_BLOCKERS)
		return ov->sel < ov->n ? ui_blockers_row(ui, &ov->rows[ov->sel]) : UI_UNHANDLED;
	if (a == ACT_FLEET)
		return ov->sel < ov->n ? ui_fleet_row(ui, &ov->rows[ov->sel]) : UI_UNHANDLED;
	if (!actions_table[a].mutates || ov->sel >= ov->n)
		return UI_UNHANDLED;
	const struct row *r = &ov->rows[ov->sel];
	overview_fleet_done(ui, ov); /* only the row's cluster is asked */
	if (r->kind == ROW_POD && a == ACT_DELETE_POD) {
		const struct pod *p = r->obj;
		return ui_act_pod(ui, p->namespace, p->name);
	}
	if (r->kind == ROW_DEPLOY && a != ACT_DELETE_POD) {
		const struct deployment *d = r->obj;
		char ns[254], name[254];
		/* Planning runs the loop: the store may replace d meanwhile. */
		snprintf(ns, sizeof(ns), "%s", d->namespace);
		snprintf(name, sizeof(name), "%s", d->name);
		return ui_act_deploy(ui, a, ns, name);
	}
	if (r->kind == ROW_SET && a != ACT_DELETE_POD) {
		char ns[254], name[254];
		snprintf(ns, sizeof(ns), "%s", store_obj_namespace(r->obj));
		snprintf(name, sizeof(name), "%s", store_obj_name(r->obj));
		/* A Job row: suspend, unsuspend and trigger (from its CronJob);
		 * a CronJob row: the same on the CronJob. */
		if (r->set_kind == STORE_JOBS || r->set_kind == STORE_CRONJOBS)
			return ui_act_job(ui, a, r->set_kind, ns, name);
		return ui_act_set(ui, a, r->set_kind, ns, name);
	}
	return UI_UNHANDLED;
}

static unsigned ov_action(struct ui *ui, void *stp, enum action_id a)
{
	struct overview *ov = stp;
	build(ui, ov, ui_wall_ms());
	size_t page = ov->height > 2 ? (size_t)ov->height - 2 : 1;
	switch (a) {
	case ACT_UP:
		ov->sel = ov->sel ? ov->sel - 1 : 0;
		break;
	case ACT_DOWN:
		ov->sel++;
		break;
	case ACT_PAGE_UP:
		ov->sel = ov->sel > page ? ov->sel - page : 0;
		break;
	case ACT_PAGE_DOWN:
		ov->sel += page;
		break;
	case ACT_FIRST:
		ov->sel = 0;
		break;
	case ACT_LAST:
		ov->sel = ov->n ? ov->n - 1 : 0;
		break;
	case ACT_ENTER:
		return open_selected(ui, ov);
	default:
		return selected_act(ui, ov, a);
	}
	ui_scroll(ov->n, &ov->sel, &ov->top, ov->height - 1);
	if (ov->n)
		snprintf(ov->sel_key, sizeof(ov->sel_key), "%s", ov->rows[ov->sel].key);
	overview_fleet_done(ui, ov);
	return UI_DRAW;
}

static unsigned ov_click(struct ui *ui, void *stp, int y, int x, bool dbl)
{
	(void)x;
	struct overview *ov = stp;
	build(ui, ov, ui_wall_ms());
	if (y < 1 || ov->top + (size_t)(y - 1) >= ov->n)
		return UI_NONE;
	ov->sel = ov->top + (size_t)(y - 1);
	snprintf(ov->sel_key, sizeof(ov->sel_key), "%s", ov->rows[ov->sel].key);
	overview_fleet_done(ui, ov);
	return dbl ? open_selected(ui, ov) : UI_DRAW;
}

static int64_t ov_next_tick(struct ui *ui, void *stp, int64_t mono)
{
	struct overview *ov = stp;
	int64_t mq, wall = ui_clock(&mq);
	int64_t next = ui_flash_tick(ui, mono);
	for (int i = 0; i + 1 < ov->height && ov->top + (size_t)i < ov->n; i++) {
		size_t idx = ov->top + (size_t)i;
		const struct row *r = &ov->rows[idx];
		/* Low bandwidth: time-driven text is the selected row's alone. */
		bool timed = !ui->lowbw || idx == ov->sel;
		if (r->kind == ROW_DEPLOY && timed) {
			const struct deployment *d = r->obj;
			next = ui_tick_min(next, ui_age_tick(ui, d->created, wall, mq));
		} else if (r->kind == ROW_SET && timed) {
			next =
			    ui_tick_min(next, ui_age_tick(ui, overview_set_created(r), wall, mq));
			const struct cronjob *cj = r->obj;
			if (r->set_kind == STORE_CRONJOBS && cj->last_schedule)
				next =
				    ui_tick_min(next, ui_age_tick(ui, cj->last_schedule, wall, mq));
		} else if (r->kind == ROW_POD && timed) {
			if (ui->n_clusters)
				ui_cluster_use(ui, r->cluster);
			next = setview_pod_tick(ui, r->obj, wall, mq, next);
		}
	}
	if (ui->n_clusters)
		ui_cluster_use(ui, ui->cur);
	return next;
}

const struct view_ops view_overview = {
    .name = "overview",
    .mask = VIEWMASK_OVERVIEW,
    .open = ov_open,
    .close = ov_close,
    .draw = ov_draw,
    .action = ov_action,
    .click = ov_click,
    .next_tick = ov_next_tick,
    .hint = "{open} open  {filter} filter  {all-namespaces} all namespaces  {events} events",
};
