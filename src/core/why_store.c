#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/generations.h"
#include "podscope/job.h"
#include "podscope/rollout.h"
#include "podscope/why.h"
#include "podscope/xalloc.h"

/* why.c's inputs gathered from the store: the new pods with their stages
 * and events, the new ReplicaSet's conditions and the Warning events of
 * the workload and its new ReplicaSet. */

#define WHY_MAX_PODS   4096 /* new pods looked at, at most */
#define WHY_MAX_EVENTS 1024 /* events of one object looked at, at most */

struct evs {
	const struct event **v;
	size_t n, cap;
};

static void ev_push(struct evs *e, const struct event *ev)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->v = xrealloc(e->v, e->cap * sizeof(*e->v));
	}
	e->v[e->n++] = ev;
}

/* Events about uid (and, when none carry a uid, about name by name). */
static void ev_of(const struct store *st, const char *uid, const char *name, struct evs *e)
{
	struct store_iter it;
	const struct event *ev;
	size_t start = e->n;
	if (uid && *uid) {
		store_iter_children(&it, st, STORE_EVENTS, uid);
		while (e->n - start < WHY_MAX_EVENTS && (ev = store_iter_next(&it)))
			ev_push(e, ev);
	}
	if (!name || store_children_count(st, STORE_EVENTS, "") == 0)
		return;
	store_iter_children(&it, st, STORE_EVENTS, "");
	while (e->n - start < WHY_MAX_EVENTS && (ev = store_iter_next(&it)))
		if (ev->involved_name && strcmp(ev->involved_name, name) == 0)
			ev_push(e, ev);
}

/* An old pod's refused evictions (a drain the PodDisruptionBudget holds):
 * its Warning events that name a disruption budget. */
static void ev_budget_of(const struct store *st, const struct pod *p, struct evs *e)
{
	struct evs all = {0};
	ev_of(st, p->uid, p->name, &all);
	for (size_t i = 0; i < all.n; i++)
		if (all.v[i]->warning && all.v[i]->message &&
		    (strstr(all.v[i]->message, "disruption budget") ||
		     strstr(all.v[i]->message, "DisruptionBudget")))
			ev_push(e, all.v[i]);
	free(all.v);
}

struct gather {
	struct why_pod *pods;
	struct lc_pod *lcs;
	size_t *ev_off; /* where each pod's events start in pev */
	size_t n, cap;
	struct evs pev; /* the pods' events, one run per pod */
	struct evs oev; /* the workload's */
};

static void add_pod(const struct store *st, struct gather *g, const struct pod *p, int64_t now)
{
	if (g->n == WHY_MAX_PODS)
		return;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 8;
		g->pods = xrealloc(g->pods, g->cap * sizeof(*g->pods));
		g->lcs = xrealloc(g->lcs, g->cap * sizeof(*g->lcs));
		g->ev_off = xrealloc(g->ev_off, (g->cap + 1) * sizeof(*g->ev_off));
	}
	size_t start = g->pev.n;
	ev_of(st, p->uid, p->name, &g->pev);
	g->ev_off[g->n] = start;
	lifecycle_pod(p, g->pev.v ? g->pev.v + start : NULL, g->pev.n - start, now, &g->lcs[g->n]);
	g->pods[g->n].pod = p;
	g->n++;
}

/* Point the pods at their stages and events (pev may have moved). */
static void finish(struct gather *g, struct why_in *in)
{
	if (!g->ev_off)
		g->ev_off = xcalloc(1, sizeof(*g->ev_off));
	g->ev_off[g->n] = g->pev.n;
	for (size_t i = 0; i < g->n; i++) {
		g->pods[i].lc = &g->lcs[i];
		g->pods[i].events = g->pev.v ? g->pev.v + g->ev_off[i] : NULL;
		g->pods[i].n_events = g->ev_off[i + 1] - g->ev_off[i];
	}
	in->pods = g->pods;
	in->n_pods = g->n;
	in->events = g->oev.v;
	in->n_events = g->oev.n;
}

static void gather_free(struct gather *g)
{
	for (size_t i = 0; i < g->n; i++)
		lifecycle_pod_free(&g->lcs[i]);
	free(g->pods);
	free(g->lcs);
	free(g->ev_off);
	free(g->pev.v);
	free(g->oev.v);
}

static void none(struct why *out)
{
	memset(out, 0, sizeof(*out));
}

void why_deployment(const struct store *st, const struct deployment *d, int64_t now_ms,
		    why_log_fn log, void *log_ud, struct why *out)
{
	struct rollout_result r;
	rollout_status(d, 0, &r);
	if (r.state == ROLLOUT_DONE) {
		none(out);
		return;
	}
	size_t nrs;
	const struct replicaset **rss = generations_collect(st, d, &nrs);
	struct store_iter it;
	struct generations gen;
	generations_build(d, rss, nrs, &gen);
	const struct gen_rs *nw = generations_new(&gen);
	struct gather g = {0};
	struct why_in in = {0};
	in.owner_word = "ReplicaSet";
	in.paused = d->paused;
	const struct deploy_condition *pc = model_deploy_condition(d, "Progressing");
	in.deadline = pc && pc->reason && strcmp(pc->reason, "ProgressDeadlineExceeded") == 0;
	if (nw) {
		const struct replicaset *n = nw->rs;
		in.owner_name = n->name;
		in.conds = n->conditions;
		in.n_conds = n->n_conditions;
		const struct pod *p;
		store_iter_children(&it, st, STORE_PODS, n->uid ? n->uid : "");
		while ((p = store_iter_next(&it)))
			if (!p->deleted)
				add_pod(st, &g, p, now_ms);
		/* Creation failures are news only while pods are missing. */
		if (n->replicas < (n->has_spec_replicas ? n->spec_replicas : 0))
			ev_of(st, n->uid, NULL, &g.oev);
	} else {
		/* No new ReplicaSet yet: the Deployment's own ReplicaFailure. */
		in.owner_word = "Deployment";
		in.owner_name = d->name;
		in.conds = d->conditions;
		in.n_conds = d->n_conditions;
	}
	ev_of(st, d->uid, NULL, &g.oev);
	/* The old pods' refused evictions: a drain held by a budget keeps a
	 * node cordoned that the new pods may need. */
	for (size_t i = 0; i < nrs && g.oev.n < WHY_MAX_EVENTS; i++) {
		if (nw && rss[i] == nw->rs)
			continue;
		const struct pod *p;
		store_iter_children(&it, st, STORE_PODS, rss[i]->uid ? rss[i]->uid : "");
		while (g.oev.n < WHY_MAX_EVENTS && (p = store_iter_next(&it)))
			if (!p->deleted)
				ev_budget_of(st, p, &g.oev);
	}
	finish(&g, &in);
	in.last_log = log;
	in.log_ud = log_ud;
	why_compute(&in, now_ms, out);
	gather_free(&g);
	generations_free(&gen);
	free(rss);
}

void why_set(const struct store *st, enum store_kind k, const void *set, int64_t now_ms,
	     why_log_fn log, void *log_ud, struct why *out)
{
	struct rollout_result r;
	int32_t want, have;
	if (k == STORE_STATEFULSETS) {
		const struct statefulset *s = set;
		rollout_statefulset_status(s, &r);
		want = s->has_spec_replicas ? s->spec_replicas : 1;
		have = s->replicas;
	} else {
		const struct daemonset *ds = set;
		rollout_daemonset_status(ds, &r);
		want = ds->desired_number_scheduled;
		have = ds->current_number_scheduled;
	}
	if (r.state != ROLLOUT_WAITING) {
		none(out);
		return;
	}
	int64_t update = store_update_revision(st, k, set);
	struct gather g = {0};
	struct why_in in = {0};
	in.owner_word = k == STORE_STATEFULSETS ? "StatefulSet" : "DaemonSet";
	in.owner_name = store_obj_name(set);
	struct store_iter it;
	const struct pod *p;
	store_iter_children(&it, st, STORE_PODS, store_obj_uid(set));
	while ((p = store_iter_next(&it)))
		if (!p->deleted && (!update || store_pod_revision(st, p) == update))
			add_pod(st, &g, p, now_ms);
	if (have < want)
		ev_of(st, store_obj_uid(set), NULL, &g.oev);
	finish(&g, &in);
	in.last_log = log;
	in.log_ud = log_ud;
	why_compute(&in, now_ms, out);
	gather_free(&g);
}

void why_job(const struct store *st, const struct job *j, int64_t now_ms, why_log_fn log,
	     void *log_ud, struct why *out)
{
	if (job_outcome(j, NULL) != JOB_RUNNING) {
		none(out);
		return;
	}
	struct gather g = {0};
	struct why_in in = {0};
	in.owner_word = "Job";
	in.owner_name = j->w.name;
	in.pod_word = "pod";
	in.paused_word = "suspended";
	in.paused = j->suspend == MODEL_TRUE;
	struct store_iter it;
	const struct pod *p;
	store_iter_children(&it, st, STORE_PODS, j->w.uid ? j->w.uid : "");
	/* The pods that run: finished ones are the Job's history, not its blocker. */
	while ((p = store_iter_next(&it)))
		if (!p->deleted && !(p->phase && (strcmp(p->phase, "Succeeded") == 0 ||
						  strcmp(p->phase, "Failed") == 0)))
			add_pod(st, &g, p, now_ms);
	ev_of(st, j->w.uid, NULL, &g.oev);
	finish(&g, &in);
	in.last_log = log;
	in.log_ud = log_ud;
	why_compute(&in, now_ms, out);
	gather_free(&g);
}
