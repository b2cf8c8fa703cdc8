#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/actions_kube.h"
#include "podscope/blockers.h"
#include "podscope/xalloc.h"
#include "ui_cluster.h"
#include "ui_int.h"

/* Drawing the confirmation dialog and the choices above the 'a' prompt. */

#define MAX_LINES 64

struct lines {
	char *v[MAX_LINES];
	enum theme_role role[MAX_LINES];
	int n;
};

/* s cut into pieces of at most w bytes (the plan is ASCII but for names). */
static void wrap(struct lines *l, const char *s, int w, enum theme_role role)
{
	size_t len = strlen(s);
	if (w < 8)
		w = 8;
	do {
		if (l->n >= MAX_LINES)
			return;
		size_t take = len > (size_t)w ? (size_t)w : len;
		/* Break at a space when there is one in the second half. */
		if (take < len)
			for (size_t i = take; i > take / 2; i--)
				if (s[i] == ' ') {
					take = i + 1;
					break;
				}
		l->role[l->n] = role;
		l->v[l->n++] = xasprintf("%.*s", (int)take, s);
		s += take;
		len -= take;
	} while (len > 0);
}

static void draw_box(struct ui *ui, struct lines *l, int top, int w)
{
	int x = (ui->cols - w) / 2;
	for (int i = 0; i < l->n; i++) {
		draw_fill(top + i, x, w, ROLE_STATUS);
		draw_text(top + i, x + 2, w - 4, l->role[i], l->v[i]);
		free(l->v[i]);
	}
	l->n = 0;
}

/* A scale of a Deployment or StatefulSet that an HPA targets: it will be undone. */
static void hpa_warning(struct ui *ui, const struct kact_plan *p, struct lines *l, int tw)
{
	const char *obj = p->object ? p->object : "", *kind = NULL;
	if (strncmp(obj, "deploy/", 7) == 0)
		kind = "Deployment";
	else if (strncmp(obj, "sts/", 4) == 0)
		kind = "StatefulSet";
	if (p->kind != KACT_SCALE || !kind)
		return;
	const struct hpa *h = blockers_hpa_of(ui->store, p->ns, kind, strchr(obj, '/') + 1);
	if (!h)
		return;
	char buf[600];
	snprintf(buf, sizeof(buf),
		 "HorizontalPodAutoscaler %s owns the replica count (%d..%d): it will undo this",
		 h->name, (int)h->min_replicas, (int)h->max_replicas);
	wrap(l, buf, tw, ROLE_WARNING);
}

static void draw_plan(struct ui *ui, const struct kact_plan *p)
{
	int w = ui->cols - 4 < 100 ? ui->cols - 4 : 100;
	int tw = w - 4;
	struct lines l = {0};
	char buf[600];
	wrap(&l, "", tw, ROLE_STATUS);
	snprintf(buf, sizeof(buf), "Confirm %s on %s (namespace %s)", kact_kind_name(p->kind),
		 p->object, p->ns);
	/* Many contexts: the dialog names the one cluster it goes to. */
	if (ui->n_clusters)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " in context %s",
			 ui_cluster_context(ui, ui->act.cluster));
	wrap(&l, buf, tw, ROLE_HEADER);
	wrap(&l, "", tw, ROLE_STATUS);
	wrap(&l, p->summary, tw, ROLE_STATUS);
	hpa_warning(ui, p, &l, tw);
	if (p->kind == KACT_SWITCH_SERVICE) {
		snprintf(buf, sizeof(buf), "traffic now to: %s;  after: %s",
			 p->selects_before && *p->selects_before ? p->selects_before : "(none)",
			 p->selects_after && *p->selects_after ? p->selects_after : "(none)");
		wrap(&l, buf, tw, ROLE_STATUS);
	}
	if (p->n_diff)
		wrap(&l, "the template, now -> after:", tw, ROLE_DIM);
	for (size_t i = 0; i < p->n_diff; i++) {
		snprintf(buf, sizeof(buf), "  %s", p->diff[i]);
		wrap(&l, buf, tw, ROLE_STATUS);
	}
	wrap(&l, "", tw, ROLE_STATUS);
	snprintf(buf, sizeof(buf), "%s %s", p->method, p->path);
	wrap(&l, buf, tw, ROLE_KEY);
	if (p->content_type) {
		snprintf(buf, sizeof(buf), "Content-Type: %s", p->content_type);
		wrap(&l, buf, tw, ROLE_DIM);
	}
	if (p->body)
		wrap(&l, p->body, tw, ROLE_STATUS);
	wrap(&l, "", tw, ROLE_STATUS);
	char keys[160];
	keymap_hint(&ui->cfg.keys, "{confirm}: apply    {cancel}: cancel (nothing is sent)", keys,
		    sizeof(keys));
	wrap(&l, keys, tw, ROLE_KEY);
	wrap(&l, "", tw, ROLE_STATUS);
	int room = ui->rows - 2;
	if (l.n > room) {
		for (int i = room; i < l.n; i++)
			free(l.v[i]);
		l.n = room;
		/* The keys stay visible whatever was cut. */
		free(l.v[l.n - 1]);
		l.v[l.n - 1] = xasprintf("... %s", keys);
		l.role[l.n - 1] = ROLE_KEY;
	}
	draw_box(ui, &l, 1 + (room - l.n) / 2, w);
}

static void draw_choices(struct ui *ui)
{
	int w = ui->cols - 4 < 100 ? ui->cols - 4 : 100;
	struct lines l = {0};
	int room = ui->rows - 4;
	size_t first = ui->act.n_choices > (size_t)room ? ui->act.n_choices - (size_t)room : 0;
	wrap(&l,
	     ui->act.id == ACT_UNDO ? "REVISION  IMAGES  CHANGE-CAUSE" : "choices (Tab completes)",
	     w - 4, ROLE_HEADER);
	for (size_t i = first; i < ui->act.n_choices && l.n < MAX_LINES; i++) {
		l.role[l.n] = ROLE_STATUS;
		l.v[l.n++] = xstrdup(ui->act.choices[i]);
	}
	draw_box(ui, &l, ui->rows - 1 - l.n, w);
}

void ui_act_draw(struct ui *ui)
{
	if (ui->act.plan)
		draw_plan(ui, ui->act.plan);
	else if (ui->prompt == 'a' && ui->act.n_choices > 0)
		draw_choices(ui);
}
