#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/blockers.h"
#include "podscope/informer.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "overview.h"
#include "pager.h"
#include "ui_int.h"

/*
 * The blockers panel: what a Deployment's, StatefulSet's or DaemonSet's
 * rollout depends on besides its pods (core/blockers.c), with what blocks
 * highlighted. Drawn from the store at every frame: it follows the cluster.
 */

struct blockersview {
	struct pager pg;
	int kind; /* STORE_DEPLOYMENTS, STORE_STATEFULSETS, STORE_DAEMONSETS */
	char ns[254];
	char name[254];
};

static void *bl_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	struct blockersview *v = xcalloc(1, sizeof(*v));
	v->kind = STORE_DEPLOYMENTS;
	snprintf(v->ns, sizeof(v->ns), "%s", ns ? ns : "");
	snprintf(v->name, sizeof(v->name), "%s", name ? name : "");
	return v;
}

static void bl_close(void *st)
{
	free(st);
}

static const char *short_kind(int kind)
{
	return kind == STORE_STATEFULSETS ? "sts" : kind == STORE_DAEMONSETS ? "ds" : "deploy";
}

/* A kind the operator may not list: say so under its heading. */
static bool forbidden(struct ui *ui, enum store_kind k)
{
	const struct informer_status *st = ui->inf ? informer_set_status(ui->inf, k) : NULL;
	return st && (st->state == INFORMER_FORBIDDEN || st->state == INFORMER_NOT_SERVED);
}

static void heading(struct ui *ui, struct blockersview *v, const char *title, enum store_kind k)
{
	int h = pager_row(&v->pg);
	if (h < 0)
		return;
	draw_text(h, 1, ui->cols - 2, ROLE_GROUP, title);
	if (forbidden(ui, k))
		draw_textf(h, 2 + draw_width(title), ui->cols - 3 - draw_width(title), ROLE_DIM,
			   "(not allowed to list %s)", store_kind_name(k));
}

static void line_none(struct ui *ui, struct blockersview *v, const char *what)
{
	int y = pager_row(&v->pg);
	if (y >= 0)
		draw_text(y, 3, ui->cols - 4, ROLE_DIM, what);
}

static void draw_pdbs(struct ui *ui, struct blockersview *v, const struct blockers *b)
{
	heading(ui, v, "PodDisruptionBudgets", STORE_PDBS);
	if (!b->n_pdbs)
		line_none(ui, v, "none selects its pods");
	for (size_t i = 0; i < b->n_pdbs; i++) {
		const struct pdb *p = b->pdbs[i].pdb;
		int y = pager_row(&v->pg);
		if (y < 0)
			continue;
		char rule[64];
		blockers_pdb_rule(p, rule, sizeof(rule));
		int x = 3;
		x += draw_textf(y, x, 32, ROLE_NORMAL, "%-30s", p->name);
		x += draw_textf(y, x, 24, ROLE_DIM, "%-22s", rule);
		x += draw_textf(y, x, 20, ROLE_NORMAL, "healthy %d/%d  ", (int)p->current_healthy,
				(int)p->desired_healthy);
		enum theme_role role = b->pdbs[i].blocks ? ROLE_ERROR : ROLE_OK;
		draw_textf(y, x, ui->cols - x - 1, role, "%d disruption%s allowed%s",
			   (int)p->disruptions_allowed, p->disruptions_allowed == 1 ? "" : "s",
			   b->pdbs[i].blocks ? ": evictions (a drain) blocked" : "");
	}
	if (b->pdbs_capped)
		line_none(ui, v, "(more not shown)");
}

static void draw_quotas(struct ui *ui, struct blockersview *v, const struct blockers *b)
{
	heading(ui, v, "ResourceQuotas", STORE_QUOTAS);
	if (!b->n_quotas)
		line_none(ui, v, "none in its namespace");
	for (size_t i = 0; i < b->n_quotas; i++) {
		const struct blocker_quota *q = &b->quotas[i];
		int y = pager_row(&v->pg);
		if (y < 0)
			continue;
		int x = 3;
		x += draw_textf(y, x, 32, ROLE_NORMAL, "%-30s", q->quota->name);
		x += draw_textf(y, x, 30, ROLE_NORMAL, "%-28s", q->item->resource);
		enum theme_role role = q->at_hard ? ROLE_ERROR : ROLE_NORMAL;
		draw_textf(y, x, ui->cols - x - 1, role, "%s/%s used%s",
			   *q->item->used ? q->item->used : "?", q->item->hard,
			   q->at_hard ? ": at hard, new pods refused" : "");
	}
	if (b->quotas_capped)
		line_none(ui, v, "(more not shown)");
}

static void draw_nodes(struct ui *ui, struct blockersview *v, const struct blockers *b)
{
	const struct blocker_nodes *n = &b->nodes;
	heading(ui, v, "Nodes", STORE_NODES);
	if (!n->total) {
		line_none(ui, v, "none known");
		return;
	}
	int y = pager_row(&v->pg);
	if (y >= 0)
		draw_textf(y, 3, ui->cols - 4, ROLE_NORMAL,
			   "%d node%s: %d schedulable, %d cordoned, %d NotReady%s", n->total,
			   n->total == 1 ? "" : "s", n->schedulable, n->cordoned, n->not_ready,
			   n->capped ? " (more not looked at)" : "");
	char c1[32], c2[32], m1[32], m2[32];
	y = pager_row(&v->pg);
	if (y >= 0) {
		blockers_fmt_cpu(n->pod_cpu_milli, c1, sizeof(c1));
		blockers_fmt_mem(n->pod_mem_bytes, m1, sizeof(m1));
		draw_textf(y, 3, ui->cols - 4, b->no_room ? ROLE_ERROR : ROLE_OK,
			   "%d with room for a pod (cpu %s, memory %s)%s", n->with_room, c1, m1,
			   b->no_room ? ": no schedulable node has room, new pods stay Pending"
				      : "");
	}
	y = pager_row(&v->pg);
	if (y >= 0) {
		blockers_fmt_cpu(n->used_cpu_milli, c1, sizeof(c1));
		blockers_fmt_cpu(n->alloc_cpu_milli, c2, sizeof(c2));
		blockers_fmt_mem(n->used_mem_bytes, m1, sizeof(m1));
		blockers_fmt_mem(n->alloc_mem_bytes, m2, sizeof(m2));
		draw_textf(y, 3, ui->cols - 4, ROLE_DIM,
			   "requested on schedulable nodes: cpu %s of %s, memory %s of %s", c1, c2,
			   m1, m2);
	}
	if (n->pending && (y = pager_row(&v->pg)) >= 0)
		draw_textf(y, 3, ui->cols - 4, ROLE_WARNING, "%d of its pods not scheduled",
			   n->pending);
}

static void draw_hpa(struct ui *ui, struct blockersview *v, const struct blockers *b)
{
	heading(ui, v, "HorizontalPodAutoscaler", STORE_HPAS);
	if (!b->hpa) {
		line_none(ui, v, "none targets it");
		return;
	}
	int y = pager_row(&v->pg);
	if (y >= 0) {
		const struct hpa *h = b->hpa;
		draw_textf(y, 3, ui->cols - 4, ROLE_WARNING,
			   "%s: min %d max %d, current %d desired %d: it owns the replica count",
			   h->name, (int)h->min_replicas, (int)h->max_replicas,
			   (int)h->current_replicas, (int)h->desired_replicas);
	}
}

static void bl_draw(struct ui *ui, void *stp, int top, int height)
{
	struct blockersview *v = stp;
	const void *set = store_get(ui->store, (enum store_kind)v->kind, v->ns, v->name);
	draw_fill(top, 0, ui->cols, ROLE_HEADER);
	int x = 1 + draw_textf(top, 1, ui->cols - 2, ROLE_HEADER, "BLOCKERS of %s/%s",
			       short_kind(v->kind), v->name);
	if (!set) {
		draw_text(top + 2, 2, ui->cols - 4, ROLE_DIM, "gone");
		return;
	}
	struct blockers b;
	blockers_of(ui->store, (enum store_kind)v->kind, set, &b);
	if (b.n_blocking)
		draw_textf(top, x + 2, ui->cols - x - 3, ROLE_HEADER, "(%d blocking)",
			   b.n_blocking);
	else
		draw_text(top, x + 2, ui->cols - x - 3, ROLE_HEADER, "(nothing blocks)");
	pager_begin(&v->pg, top + 1, height - 1);
	draw_pdbs(ui, v, &b);
	pager_row(&v->pg);
	draw_quotas(ui, v, &b);
	pager_row(&v->pg);
	draw_nodes(ui, v, &b);
	pager_row(&v->pg);
	draw_hpa(ui, v, &b);
	pager_end(&v->pg);
}

static unsigned bl_action(struct ui *ui, void *stp, enum action_id a)
{
	struct blockersview *v = stp;
	if (a == ACT_BLOCKERS) {
		ui_pop(ui);
		return UI_DRAW;
	}
	return pager_action(&v->pg, a);
}

const struct view_ops view_blockers = {
    .name = "blockers",
    .mask = VIEWMASK_EVENTS,
    .open = bl_open,
    .close = bl_close,
    .draw = bl_draw,
    .action = bl_action,
    .hint = "what blocks: red  {blockers} or {back} back",
};

unsigned ui_blockers_show(struct ui *ui, int kind, const char *ns, const char *name)
{
	int depth = ui->depth;
	ui_push(ui, &view_blockers, ns, name);
	if (ui->depth == depth + 1)
		((struct blockersview *)ui->stack[ui->depth - 1].st)->kind = kind;
	return UI_DRAW;
}

unsigned ui_blockers_row(struct ui *ui, const struct row *r)
{
	int k = r->kind == ROW_DEPLOY ? STORE_DEPLOYMENTS : r->kind == ROW_SET ? r->set_kind : -1;
	if (k != STORE_DEPLOYMENTS && k != STORE_STATEFULSETS && k != STORE_DAEMONSETS) {
		ui_message(ui, ROLE_INFO,
			   "blockers: select a Deployment, StatefulSet or DaemonSet");
		return UI_DRAW;
	}
	return ui_blockers_show(ui, k, store_obj_namespace(r->obj), store_obj_name(r->obj));
}
