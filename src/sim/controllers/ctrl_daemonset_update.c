#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "ctrl_daemonset_int.h"
#include "kintstr.h"
#include "sim.h"
#include "simobj.h"

/*
 * What the DaemonSet controller does to the pods: manage
 * (podsShouldBeOnNode on every node, with the failed pods' back-off) and
 * update.go's rollingUpdate, without surge (delete old pods within
 * maxUnavailable) or with it (a new pod beside the old one, within
 * maxSurge). Nodes go in name order, where upstream walks a Go map.
 */

/* --- manage ------------------------------------------------------------------------------- */

struct namelist {
	const char **v;
	size_t n, cap;
};

static void add_name(struct namelist *l, const char *name)
{
	if (l->n == l->cap)
		l->v = xrealloc(l->v, (l->cap = l->cap ? l->cap * 2 : 16) * sizeof(*l->v));
	l->v[l->n++] = name;
}

/* As many of the candidates as room allows (none when it is negative). */
static void take(struct namelist *to, const struct namelist *cand, int64_t room)
{
	for (int64_t i = 0; i < room && i < (int64_t)cand->n; i++)
		add_name(to, cand->v[i]);
}

/* util.SurgeCount / UnavailableCount over n nodes (0 when not rolling). */
static int64_t budget(const cJSON *spec, const char *field, int64_t n, bool *ok)
{
	const cJSON *strategy = cj_path(spec, "updateStrategy", NULL);
	const char *type = cj_str(strategy, "type");
	if (!type || strcmp(type, "RollingUpdate") != 0)
		return 0;
	const cJSON *v = cj_path(strategy, "rollingUpdate", field, NULL);
	if (!v)
		return 0;
	struct kintstr k;
	kintstr_from_json(v, &k);
	int64_t out = 0;
	if (!kintstr_scaled(&k, n, true, &out))
		*ok = false;
	return out;
}

static bool allows_surge(const struct dssync *s)
{
	bool ok = true;
	return budget(s->spec, "maxSurge", 1, &ok) > 0 && ok;
}

bool dsupd_budgets(const cJSON *spec, int64_t desired, int64_t *surge, int64_t *unavailable)
{
	bool ok = true;
	*unavailable = budget(spec, "maxUnavailable", desired, &ok);
	*surge = budget(spec, "maxSurge", desired, &ok);
	/* An impossible configuration obeys the default of unavailable=1. */
	if (ok && desired > 0 && *unavailable == 0 && *surge == 0)
		*unavailable = 1;
	return ok;
}

/* podsShouldBeOnNode for node ni of s->nodes. */
static void should_be_on_node(struct dssync *s, size_t ni, struct namelist *add,
			      struct namelist *del)
{
	const char *nname = dspod_name(s->nodes->items[ni]->json);
	bool run = s->run[ni], cont = s->cont[ni];
	const struct dsgroup *g = dspod_group(s, nname);
	if (run && !g) {
		add_name(add, nname);
		return;
	}
	if (!cont) {
		for (size_t i = 0; g && i < g->n; i++)
			if (!dspod_deleted(g->pods[i]))
				add_name(del, dspod_name(g->pods[i]));
		return;
	}
	const cJSON **running = xcalloc(g->n + 1, sizeof(*running));
	size_t nr = 0;
	for (size_t i = 0; i < g->n; i++) {
		const cJSON *p = g->pods[i];
		if (dspod_deleted(p))
			continue;
		if (strcmp(dspod_phase(p), "Failed") == 0) {
			/* The controller often fights a kubelet that rejects the
			 * pod: a back-off per node keeps it from hot-looping. */
			char *key =
			    xasprintf("%s/%lld/%s", cj_str(cj_path(s->ds, "metadata", NULL), "uid"),
				      (long long)cj_int(cj_path(s->ds, "status", NULL),
							"observedGeneration", 0),
				      nname);
			int64_t delay;
			if (dsctl_in_backoff(s->c, key, s->now, &delay)) {
				dsctl_wake_at(s->c, s->key, s->now + delay);
				free(key);
				continue;
			}
			dsctl_backoff_next(s->c, key, s->now);
			free(key);
			char *msg = xasprintf("Found failed daemon pod %s/%s on node %s, will try "
					      "to kill it",
					      s->ns, dspod_name(p), nname);
			dsctl_event(s, "Warning", "FailedDaemonPod", msg);
			free(msg);
			add_name(del, dspod_name(p));
		} else if (strcmp(dspod_phase(p), "Succeeded") == 0) {
			add_name(del, dspod_name(p));
		} else {
			running[nr++] = p;
		}
	}
	qsort(running, nr, sizeof(*running), dspod_cmp_age);
	if (!allows_surge(s)) {
		/* More than one: all but the oldest go. */
		for (size_t i = 1; i < nr; i++)
			add_name(del, dspod_name(running[i]));
	} else if (nr == 0) {
		if (run)
			add_name(add, nname);
	} else if (nr > 1) {
		/* Two pods only while the new one is not yet available and the
		 * old one is ready. */
		const cJSON *new_pod = NULL, *old_pod = NULL;
		for (size_t i = 0; i < nr; i++) {
			const char *h =
			    cj_str(cj_path(running[i], "metadata", "labels", NULL), DS_HASH_LABEL);
			bool is_new = h && strcmp(h, s->hash) == 0;
			if (is_new && !new_pod)
				new_pod = running[i];
			else if (!is_new && !old_pod)
				old_pod = running[i];
			else
				add_name(del, dspod_name(running[i]));
		}
		if (new_pod && old_pod && (!dspod_ready(old_pod) || dspod_available(s, new_pod)))
			add_name(del, dspod_name(old_pod));
	}
	free(running);
}

static bool node_exists(const struct dssync *s, const char *name)
{
	return simstore_get(s->c->sim->store, s->c->nodes, "", name) != NULL;
}

void dsupd_manage(struct dssync *s)
{
	struct namelist add = {0}, del = {0};
	for (size_t i = 0; i < s->nodes->n; i++)
		should_be_on_node(s, i, &add, &del);
	/* getUnscheduledPodsWithoutNode: nothing else would ever remove them. */
	for (size_t i = 0; i < s->ngroups; i++) {
		if (node_exists(s, s->groups[i].node))
			continue;
		for (size_t k = 0; k < s->groups[i].n; k++) {
			const char *n =
			    cj_str(cj_path(s->groups[i].pods[k], "spec", NULL), "nodeName");
			if (!n || !*n)
				add_name(&del, dspod_name(s->groups[i].pods[k]));
		}
	}
	dspod_sync_nodes(s, del.v, del.n, add.v, add.n);
	free(add.v);
	free(del.v);
}

/* --- rollingUpdate ------------------------------------------------------------------------ */

/* findUpdatedPodsOnNode: false when the node has more than one of either. */
static bool updated_on_node(const struct dssync *s, const struct dsgroup *g, const cJSON **new_pod,
			    const cJSON **old_pod)
{
	*new_pod = *old_pod = NULL;
	for (size_t i = 0; g && i < g->n; i++) {
		const cJSON *p = g->pods[i];
		if (dspod_deleted(p))
			continue;
		const cJSON **slot = dsutil_pod_updated(p, s->hash, s->gen) ? new_pod : old_pod;
		if (*slot)
			return false;
		*slot = p;
	}
	return true;
}

/* The nodes of nodeToDaemonPods after updatedDesiredNodeCounts: every node
 * with pods and every node that should run one, in name order. */
static size_t rolling_nodes(struct dssync *s, const char ***out, int64_t *desired)
{
	const char **v = xcalloc(s->ngroups + s->nodes->n + 1, sizeof(*v));
	size_t n = 0, gi = 0;
	*desired = 0;
	for (size_t i = 0; i < s->nodes->n; i++) {
		const char *name = dspod_name(s->nodes->items[i]->json);
		bool run = s->run[i];
		if (run)
			(*desired)++;
		while (gi < s->ngroups && strcmp(s->groups[gi].node, name) < 0)
			v[n++] = s->groups[gi++].node;
		bool has = gi < s->ngroups && strcmp(s->groups[gi].node, name) == 0;
		if (has)
			v[n++] = s->groups[gi++].node;
		else if (run)
			v[n++] = name;
	}
	while (gi < s->ngroups)
		v[n++] = s->groups[gi++].node;
	*out = v;
	return n;
}

void dsupd_rolling(struct dssync *s)
{
	const char **nodes;
	int64_t desired;
	size_t nn = rolling_nodes(s, &nodes, &desired);
	int64_t max_unavailable, max_surge;
	if (!dsupd_budgets(s->spec, desired, &max_surge, &max_unavailable)) {
		free(nodes);
		return;
	}
	struct namelist del = {0}, add = {0}, candidates = {0};
	if (max_surge == 0) {
		/* Delete just enough old pods to stay within maxUnavailable; manage
		 * creates their replacements. */
		int64_t unavailable = 0;
		for (size_t i = 0; i < nn; i++) {
			const cJSON *np, *op;
			if (!updated_on_node(s, dspod_group(s, nodes[i]), &np, &op) ||
			    (!np) == (!op)) {
				unavailable++;
			} else if (np) {
				if (!dspod_available(s, np))
					unavailable++;
			} else if (!dspod_available(s, op)) {
				add_name(&del, dspod_name(op));
			} else if (unavailable < max_unavailable) {
				add_name(&candidates, dspod_name(op));
			}
		}
		take(&del, &candidates, max_unavailable - unavailable);
	} else {
		/* Surge: a new pod beside each old one, at most maxSurge at a time;
		 * the old one goes once the new one is available. */
		int64_t surge = 0;
		for (size_t i = 0; i < nn; i++) {
			const cJSON *np, *op;
			if (!updated_on_node(s, dspod_group(s, nodes[i]), &np, &op)) {
				surge++;
			} else if (!op) {
				continue;
			} else if (!np) {
				if (!dspod_available(s, op))
					add_name(&add, nodes[i]);
				else if (surge < max_surge)
					add_name(&candidates, nodes[i]);
			} else if (!dspod_available(s, np)) {
				surge++;
			} else {
				add_name(&del, dspod_name(op));
			}
		}
		take(&add, &candidates, max_surge - surge);
	}
	dspod_sync_nodes(s, del.v, del.n, add.v, add.n);
	free(del.v);
	free(add.v);
	free(candidates.v);
	free(nodes);
}
