#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/rollout.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "badge.h"
#include "glyphs.h"
#include "overview.h"
#include "ui_cluster.h"
#include "ui_int.h"

/*
 * The fleet view (F on a workload of the overview, with several contexts):
 * one Deployment, StatefulSet or DaemonSet (the same kind, namespace and
 * name) in every watched cluster side by side: revision, ready, up-to-date
 * and available, its images, kubectl's rollout status message and the why
 * line. The clusters whose images or revision differ from the majority's
 * are marked (DIFFERS); a cluster without it says so, one that is stale
 * says its rows are as last seen. Enter opens the selected cluster's view.
 */

#define FLEET_IMAGES 200

struct fleet_row {
	bool found;
	char images[FLEET_IMAGES];
	char revision[64];
	char ready[32];
	int32_t updated, available;
	char status[320];
	char why[WHY_LINE];
	enum theme_role role; /* the badge's colour */
	char differs[32];     /* "image", "revision", "image, revision", "" */
};

struct fleetview {
	int kind; /* STORE_DEPLOYMENTS, STORE_STATEFULSETS or STORE_DAEMONSETS */
	int home; /* the current cluster when it opened: the views under it show it */
	char ns[254], name[254];
	size_t sel;
	struct fleet_row *rows; /* one per cluster, rebuilt at every frame */
	int n;
};

static void join_images(const char **img, int n, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? "," : "", img[i]);
}

static void strip_nl(char *s)
{
	size_t n = strlen(s);
	while (n && s[n - 1] == '\n')
		s[--n] = '\0';
}

/* The current store's object (ui_cluster_use points it at a cluster). */
static void fill(struct ui *ui, const struct fleetview *fv, struct fleet_row *r, int64_t now)
{
	memset(r, 0, sizeof(*r));
	const void *obj = store_get(ui->store, (enum store_kind)fv->kind, fv->ns, fv->name);
	if (!obj)
		return;
	r->found = true;
	struct badge_info b;
	struct rollout_result rr = {0};
	if (fv->kind == STORE_DEPLOYMENTS) {
		const struct deployment *d = obj;
		struct rollout_deploy_row dr;
		rollout_deploy_row(d, now, &dr);
		join_images(d->images, d->n_images, r->images, sizeof(r->images));
		snprintf(r->revision, sizeof(r->revision), "%s", d->revision ? d->revision : "");
		snprintf(r->ready, sizeof(r->ready), "%s", dr.ready);
		r->updated = dr.up_to_date;
		r->available = dr.available;
		rollout_status(d, 0, &rr);
		badge_of(ui->store, d, now, &b);
	} else if (fv->kind == STORE_STATEFULSETS) {
		const struct statefulset *s = obj;
		join_images(s->w.images, s->w.n_images, r->images, sizeof(r->images));
		/* The ControllerRevision's number, as a Deployment's; its
		 * name (a hash) while that revision is not listed. */
		int64_t rev = store_update_revision(ui->store, STORE_STATEFULSETS, s);
		if (rev > 0)
			snprintf(r->revision, sizeof(r->revision), "%lld", (long long)rev);
		else
			snprintf(r->revision, sizeof(r->revision), "%s",
				 s->update_revision ? s->update_revision : "");
		snprintf(r->ready, sizeof(r->ready), "%d/%d", (int)s->ready_replicas,
			 (int)(s->has_spec_replicas ? s->spec_replicas : 1));
		r->updated = s->updated_replicas;
		r->available = s->available_replicas;
		rollout_statefulset_status(s, &rr);
		badge_of_set(ui->store, STORE_STATEFULSETS, s, now, &b);
	} else {
		const struct daemonset *s = obj;
		join_images(s->w.images, s->w.n_images, r->images, sizeof(r->images));
		/* Its newest ControllerRevision (a DaemonSet's status names none). */
		int64_t rev = store_update_revision(ui->store, STORE_DAEMONSETS, s);
		if (rev > 0)
			snprintf(r->revision, sizeof(r->revision), "%lld", (long long)rev);
		snprintf(r->ready, sizeof(r->ready), "%d/%d", (int)s->number_ready,
			 (int)s->desired_number_scheduled);
		r->updated = s->updated_number_scheduled;
		r->available = s->number_available;
		rollout_daemonset_status(s, &rr);
		badge_of_set(ui->store, STORE_DAEMONSETS, s, now, &b);
	}
	snprintf(r->status, sizeof(r->status), "%s", rr.msg);
	strip_nl(r->status);
	snprintf(r->why, sizeof(r->why), "%s", b.why);
	r->role = b.role;
}

/* The value most clusters have (ties: the first cluster's); NULL when none. */
static const char *majority(const struct fleetview *fv, bool images)
{
	const char *best = NULL;
	int best_n = 0;
	for (int i = 0; i < fv->n; i++) {
		if (!fv->rows[i].found)
			continue;
		const char *v = images ? fv->rows[i].images : fv->rows[i].revision;
		int n = 0;
		for (int j = 0; j < fv->n; j++)
			n += fv->rows[j].found &&
			     strcmp(v, images ? fv->rows[j].images : fv->rows[j].revision) == 0;
		if (n > best_n) {
			best = v;
			best_n = n;
		}
	}
	return best;
}

static void build(struct ui *ui, struct fleetview *fv, int64_t now)
{
	fv->n = ui->n_clusters;
	fv->rows = xrealloc(fv->rows, (size_t)(fv->n ? fv->n : 1) * sizeof(*fv->rows));
	for (int i = 0; i < fv->n; i++) {
		ui_cluster_use(ui, i);
		fill(ui, fv, &fv->rows[i], now);
	}
	ui_cluster_use(ui, ui->cur);
	char img[FLEET_IMAGES], rev[64];
	const char *mi = majority(fv, true), *mr = majority(fv, false);
	snprintf(img, sizeof(img), "%s", mi ? mi : "");
	snprintf(rev, sizeof(rev), "%s", mr ? mr : "");
	for (int i = 0; i < fv->n; i++) {
		struct fleet_row *r = &fv->rows[i];
		if (!r->found)
			continue;
		bool di = strcmp(r->images, img) != 0, dr = strcmp(r->revision, rev) != 0;
		snprintf(r->differs, sizeof(r->differs), "%s%s%s", di ? "image" : "",
			 di && dr ? ", " : "", dr ? "revision" : "");
	}
	if (fv->n && fv->sel >= (size_t)fv->n)
		fv->sel = (size_t)fv->n - 1;
}

static void *fv_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	struct fleetview *fv = xcalloc(1, sizeof(*fv));
	fv->kind = STORE_DEPLOYMENTS;
	snprintf(fv->ns, sizeof(fv->ns), "%s", ns ? ns : "");
	snprintf(fv->name, sizeof(fv->name), "%s", name ? name : "");
	return fv;
}

static void fv_close(void *st)
{
	struct fleetview *fv = st;
	free(fv->rows);
	free(fv);
}

static const char *kind_short(int kind)
{
	return kind == STORE_STATEFULSETS ? "sts" : kind == STORE_DAEMONSETS ? "ds" : "deploy";
}

static void fv_draw(struct ui *ui, void *st, int top, int height)
{
	struct fleetview *fv = st;
	/* Back from a cluster Enter opened: the views under this one show
	 * the cluster that was current when it opened. */
	if (ui->cur != fv->home)
		ui_cluster_focus(ui, fv->home);
	build(ui, fv, ui_clock(NULL));
	int y = top, end = top + height;
	draw_textf(y++, 1, ui->cols - 2, ROLE_HEADER, "%s/%s (namespace %s) in %d contexts",
		   kind_short(fv->kind), fv->name, fv->ns, fv->n);
	int xc = 2, xd = xc + 14, xr = xd + 17, xready = xr + 12, xu = xready + 8, xa = xu + 11,
	    xi = xa + 10, wi = (ui->cols - xi) / 3 > 24 ? (ui->cols - xi) / 3 : 24, xs = xi + wi;
	draw_fill(y, 0, ui->cols, ROLE_HEADER);
	draw_text(y, xc, 13, ROLE_HEADER, "CONTEXT");
	draw_text(y, xd, 16, ROLE_HEADER, "DIFFERS");
	draw_text(y, xr, 11, ROLE_HEADER, "REVISION");
	draw_text(y, xready, 7, ROLE_HEADER, "READY");
	draw_text(y, xu, 10, ROLE_HEADER, "UP-TO-DATE");
	draw_text(y, xa, 9, ROLE_HEADER, "AVAILABLE");
	draw_text(y, xi, wi - 1, ROLE_HEADER, "IMAGES");
	if (xs < ui->cols)
		draw_text(y, xs, ui->cols - xs, ROLE_HEADER, "ROLLOUT");
	y++;
	for (int i = 0; i < fv->n && y < end; i++) {
		const struct fleet_row *r = &fv->rows[i];
		bool sel = (size_t)i == fv->sel;
		enum theme_role base = sel ? ROLE_SELECTED : ROLE_NORMAL;
		if (sel) {
			draw_fill(y, 0, ui->cols, ROLE_SELECTED);
			draw_text(y, 0, 1, ROLE_SELECTED, glyph(GLYPH_CURSOR));
		}
		char why[200];
		bool bad = false;
		const char *state = ui_cluster_state(ui, i, why, sizeof(why), &bad);
		draw_text(y, xc, 13,
			  sel            ? base
			  : state && bad ? ROLE_ERROR
					 : base,
			  ui->clusters[i].context);
		if (!r->found) {
			draw_textf(y, xd, ui->cols - xd, sel ? base : ROLE_WARNING,
				   "missing: no %s/%s in namespace %s%s%s", kind_short(fv->kind),
				   fv->name, fv->ns, state ? "; " : "", state ? state : "");
			y++;
			continue;
		}
		enum theme_role odd = sel ? base : ROLE_WARNING;
		draw_text(y, xd, 16, odd, r->differs);
		draw_text(y, xr, 11, *r->differs ? odd : base, r->revision);
		draw_text(y, xready, 7, base, r->ready);
		draw_textf(y, xu, 10, base, "%d", (int)r->updated);
		draw_textf(y, xa, 9, base, "%d", (int)r->available);
		draw_text(y, xi, wi - 1, strstr(r->differs, "image") ? odd : base, r->images);
		if (xs < ui->cols)
			draw_text(y, xs, ui->cols - xs, sel ? base : r->role, r->status);
		y++;
		/* Under it: the why line, or why the row may be old. */
		const char *under = state ? state : *r->why ? r->why : NULL;
		if (under && y < end)
			draw_textf(y++, xd, ui->cols - xd, state && bad ? ROLE_ERROR : ROLE_DIM,
				   "%s %s", state ? "" : "why:", under);
	}
}

static unsigned fv_action(struct ui *ui, void *st, enum action_id a)
{
	struct fleetview *fv = st;
	switch (a) {
	case ACT_UP:
		if (fv->sel)
			fv->sel--;
		return UI_DRAW;
	case ACT_DOWN:
		if (fv->sel + 1 < (size_t)fv->n)
			fv->sel++;
		return UI_DRAW;
	case ACT_FIRST:
		fv->sel = 0;
		return UI_DRAW;
	case ACT_LAST:
		fv->sel = fv->n ? (size_t)fv->n - 1 : 0;
		return UI_DRAW;
	case ACT_ENTER:
		if (fv->sel >= (size_t)fv->n || !fv->rows[fv->sel].found)
			return UI_NONE;
		/* The selected cluster's own view of it. */
		ui_cluster_focus(ui, (int)fv->sel);
		ui_push(ui,
			fv->kind == STORE_STATEFULSETS ? &view_rollout_sts
			: fv->kind == STORE_DAEMONSETS ? &view_rollout_ds
						       : &view_rollout,
			fv->ns, fv->name);
		return UI_DRAW;
	default:
		/* No key acts on several clusters: one at a time, from its view. */
		if (actions_table[a].mutates) {
			ui_message(
			    ui, ROLE_INFO,
			    "fleet: %s acts on one cluster: Enter opens the selected one's view",
			    actions_table[a].name);
			return UI_DRAW;
		}
		return UI_UNHANDLED;
	}
}

const struct view_ops view_fleet = {
    .name = "fleet",
    .mask = VIEWMASK_ROLLOUT, /* a view of one object, its keys */
    .open = fv_open,
    .close = fv_close,
    .draw = fv_draw,
    .action = fv_action,
    .hint = "{open} open in its cluster  {back} back",
};

unsigned ui_fleet_row(struct ui *ui, const struct row *r)
{
	int k = r->kind == ROW_DEPLOY ? STORE_DEPLOYMENTS : r->kind == ROW_SET ? r->set_kind : -1;
	if (k != STORE_DEPLOYMENTS && k != STORE_STATEFULSETS && k != STORE_DAEMONSETS)
		return ui_fleet_show(ui, -1, "", ""); /* a pod, a group: says what to select */
	return ui_fleet_show(ui, k, store_obj_namespace(r->obj), store_obj_name(r->obj));
}

unsigned ui_fleet_show(struct ui *ui, int k, const char *ns, const char *name)
{
	if (!ui->n_clusters) {
		ui_message(ui, ROLE_INFO,
			   "fleet: one context; --context a,b,c (or --contexts, --all-contexts) "
			   "watches several");
		return UI_DRAW;
	}
	if (k < 0) {
		ui_message(ui, ROLE_INFO, "fleet: select a Deployment, StatefulSet or DaemonSet");
		return UI_DRAW;
	}
	int depth = ui->depth;
	ui_push(ui, &view_fleet, ns, name);
	if (ui->depth == depth + 1) {
		struct fleetview *fv = ui->stack[ui->depth - 1].st;
		fv->kind = k;
		fv->home = ui->cur;
	}
	return UI_DRAW;
}
