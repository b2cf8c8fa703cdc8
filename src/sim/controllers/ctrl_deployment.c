#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ctrl_deployment_int.h"
#include "ctrl_deployment_logic.h"
#include "ctrl_deployment_sync.h"
#include "events.h"
#include "podscope/xalloc.h"
#include "sim.h"
#include "simobj.h"

/*
 * syncDeployment (deployment_controller.go) and the strategies around the
 * pure decisions of ctrl_deployment_logic.h: read the Deployment and its
 * ReplicaSets, decide, apply the scalings in order, write the status.
 */

const struct simevent_source dsync_src = {"deployment-controller", NULL};

/* A copy of the keys of the RSs owned by uid (releasing changes the index). */
static char **owned_keys(struct ctrlapps *c, const char *uid, size_t *n)
{
	char *const *keys = ownidx_get(&c->rs_by_dep, uid, n);
	char **copy = xcalloc(*n ? *n : 1, sizeof(*copy));
	for (size_t i = 0; i < *n; i++)
		copy[i] = xstrdup(keys[i]);
	return copy;
}

static bool load(struct dsync *s, struct ctrlapps *c, const char *key)
{
	memset(s, 0, sizeof(*s));
	s->c = c;
	s->key = key;
	s->nw = DL_NONE;
	cj_split_key(key, s->ns, s->name);
	const struct simobj *o = simstore_get(c->sim->store, c->deps, s->ns, s->name);
	if (!o || !cj_path(o->json, "spec", "template", NULL))
		return false;
	s->dj = simobj_copy(o);
	dl_deployment_decode(s->dj, &s->d);
	if (!s->d.has_spec_replicas)
		s->d.spec_replicas = 1;
	s->now = simclock_now(&c->sim->clock);
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(s->dj, "spec");
	s->rhl = (int32_t)cj_int(spec, "revisionHistoryLimit", -1);
	const cJSON *cc = cj_path(s->dj, "status", "collisionCount", NULL);
	dl_status_from(&s->d, cJSON_IsNumber(cc) ? (int32_t)cc->valuedouble : 0, cJSON_IsNumber(cc),
		       &s->st);
	s->uid = cj_str(cj_path(s->dj, "metadata", NULL), "uid");

	/* The ReplicaSets this deployment controls (ClaimReplicaSets). */
	size_t n;
	char **keys = owned_keys(c, s->uid, &n);
	const cJSON *sel = cj_path(s->dj, "spec", "selector", NULL);
	bool dying = cj_path(s->dj, "metadata", "deletionTimestamp", NULL) != NULL;
	s->cap = n + 1;
	s->rs = xcalloc(s->cap, sizeof(*s->rs));
	s->ri = xcalloc(s->cap, sizeof(*s->ri));
	const cJSON *tmpl = cj_path(s->dj, "spec", "template", NULL);
	char ns[256], name[256];
	for (size_t i = 0; i < n; i++) {
		cj_split_key(keys[i], ns, name);
		const struct simobj *r = simstore_get(c->sim->store, c->rss, ns, name);
		const char *ouid = cj_str(cj_controller_ref(r ? r->json : NULL), "uid");
		if (!r || !ouid || strcmp(ouid, s->uid) != 0)
			continue;
		if (!dying && ctrl_release_unmatched(c, c->rss, r, sel, s->uid))
			continue;
		dsync_add_rs(s, r);
		s->ri[s->n - 1].tmatch =
		    cj_template_equal_ignore_hash(tmpl, cj_path(r->json, "spec", "template", NULL));
	}
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	return true;
}

static void unload(struct dsync *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->ri[i].name);
	free(s->rs);
	free(s->ri);
	cJSON_Delete(s->dj);
}

/* FindNewReplicaSet: the oldest RS whose template matches. */
static size_t find_new(const struct dsync *s)
{
	size_t nw = DL_NONE;
	for (size_t i = 0; i < s->n; i++) {
		if (!s->ri[i].tmatch)
			continue;
		if (nw == DL_NONE || s->rs[i].created_ms < s->rs[nw].created_ms ||
		    (s->rs[i].created_ms == s->rs[nw].created_ms &&
		     strcmp(s->rs[i].name, s->rs[nw].name) < 0))
			nw = i;
	}
	return nw;
}

/* syncRolloutStatus */
static void rollout_status(struct dsync *s)
{
	struct dl_status out;
	dl_rollout_status(&s->d, &s->st, s->rs, s->n, s->nw, s->name, s->now, &out);
	if (!dl_status_equal(&s->st, &out)) {
		s->st = out;
		dsync_write_dep(s);
		return;
	}
	int64_t after = dl_requeue_stuck_after(&s->d, &out, s->now);
	if (after > 0)
		ctrlapps_wake_at(s->c, 'd', s->key, s->now + after + 1000);
	else if (after == 0)
		ctrlapps_wake_at(s->c, 'd', s->key, s->now + 1000); /* the rate limiter's pace */
}

/* syncDeploymentStatus: counts and Available only. */
static void sync_status(struct dsync *s)
{
	struct dl_status out;
	dl_calc_status(&s->d, &s->st, s->rs, s->n, s->nw, s->now, &out);
	if (!dl_status_equal(&s->st, &out)) {
		s->st = out;
		dsync_write_dep(s);
	}
}

/* cleanupDeployment */
static void cleanup(struct dsync *s)
{
	size_t *v = xcalloc(s->n ? s->n : 1, sizeof(*v));
	size_t k = dl_cleanup_victims(s->rhl, s->rs, s->n, s->nw, v);
	for (size_t i = 0; i < k; i++)
		simstore_delete(s->c->sim->store, s->c->rss, s->ns, s->rs[v[i]].name, 0, NULL);
	free(v);
}

static bool has_rollback(const struct dsync *s)
{
	return cj_str(cj_path(s->dj, "metadata", "annotations", NULL),
		      "deprecated.deployment.rollback.to") != NULL;
}

/* sync(): scaling only (paused deployments and scaling events). */
static void sync_scale(struct dsync *s)
{
	s->nw = dsync_get_all(s, false);
	struct dl_ops ops = {0};
	dl_scale(&s->d, s->rs, s->n, s->nw, &ops);
	dsync_apply(s, &ops);
	dl_ops_free(&ops);
	if (s->d.paused && !has_rollback(s))
		cleanup(s);
	sync_status(s);
}

static void rolling(struct dsync *s)
{
	s->nw = dsync_get_all(s, true);
	if (s->nw == DL_NONE)
		return;
	struct dl_ops ops = {0};
	bool scaled = dl_reconcile_new(&s->d, s->rs, s->n, s->nw, &ops) ||
		      dl_reconcile_old(&s->d, s->rs, s->n, s->nw, &ops);
	dsync_apply(s, &ops);
	dl_ops_free(&ops);
	if (!scaled && dl_complete(&s->d, &s->st))
		cleanup(s);
	rollout_status(s);
}

/* oldPodsRunning: old RSs with pods, or old pods not Failed or Succeeded. */
static bool old_pods_running(struct dsync *s)
{
	for (size_t i = 0; i < s->n; i++) {
		if (i == s->nw)
			continue;
		if (s->rs[i].replicas > 0)
			return true;
		size_t np;
		char *const *pk = ownidx_get(&s->c->pods_by_rs, s->ri[i].uid, &np);
		char ns[256], name[256];
		for (size_t k = 0; k < np; k++) {
			cj_split_key(pk[k], ns, name);
			const struct simobj *p =
			    simstore_get(s->c->sim->store, s->c->pods, ns, name);
			if (!p)
				continue;
			const char *ph = cj_str(cj_path(p->json, "status", NULL), "phase");
			if (!ph || (strcmp(ph, "Failed") != 0 && strcmp(ph, "Succeeded") != 0))
				return true;
		}
	}
	return false;
}

static void recreate(struct dsync *s)
{
	s->nw = dsync_get_all(s, false);
	struct dl_ops ops = {0};
	bool scaled = dl_scale_down_old_recreate(s->rs, s->n, s->nw, &ops);
	dsync_apply(s, &ops);
	dl_ops_free(&ops);
	if (scaled || old_pods_running(s)) {
		rollout_status(s);
		return;
	}
	if (s->nw == DL_NONE)
		s->nw = dsync_get_all(s, true);
	if (s->nw == DL_NONE)
		return;
	dl_scale_to(s->rs, s->nw, s->d.spec_replicas, &ops);
	dsync_apply(s, &ops);
	dl_ops_free(&ops);
	if (dl_complete(&s->d, &s->st))
		cleanup(s);
	rollout_status(s);
}

static bool selects_all(const struct dsync *s)
{
	const cJSON *sel = cj_path(s->dj, "spec", "selector", NULL);
	return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sel, "matchLabels")) == 0 &&
	       cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sel, "matchExpressions")) == 0;
}

void ctrl_dep_sync(struct ctrlapps *c, const char *key)
{
	struct dsync s;
	if (!load(&s, c, key))
		return;
	if (selects_all(&s)) {
		simevents_record(c->sim, s.dj, NULL, &dsync_src, "Warning", "SelectingAll",
				 "This deployment is selecting all pods. A non-empty selector is "
				 "required.");
		if (s.st.observed_generation < s.d.generation) {
			s.st.observed_generation = s.d.generation;
			dsync_write_dep(&s);
		}
	} else if (cj_path(s.dj, "metadata", "deletionTimestamp", NULL)) {
		s.nw = find_new(&s);
		sync_status(&s);
	} else {
		if (dl_paused_conditions(&s.d, &s.st, s.now))
			dsync_write_dep(&s);
		if (s.d.paused) {
			sync_scale(&s);
		} else if (has_rollback(&s)) {
			dsync_rollback(&s);
		} else {
			s.nw = dsync_get_all(&s, false);
			if (dl_is_scaling_event(&s.d, s.rs, s.n))
				sync_scale(&s);
			else if (s.d.strategy.type == KSTRATEGY_RECREATE)
				recreate(&s);
			else if (s.d.strategy.type == KSTRATEGY_ROLLING_UPDATE)
				rolling(&s);
		}
	}
	unload(&s);
}

size_t dsync_find_new(const struct dsync *s)
{
	return find_new(s);
}
