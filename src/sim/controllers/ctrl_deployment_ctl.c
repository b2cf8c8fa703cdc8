#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ctrl_deployment.h"
#include "ctrl_deployment_int.h"
#include "ctrl_deployment_logic.h"
#include "ctrl_queue.h"
#include "evloop.h"
#include "podscope/xalloc.h"
#include "resources.h"
#include "sim.h"

/*
 * Start, stop and the work loop of the two controllers: the store listener
 * (owner indexes, dirty keys), the 0 ms timer that drains the queues and
 * the wake-ups on the simulated clock. (Deleting what a deleted Deployment
 * or ReplicaSet owned is the garbage collector's job: ctrl_gc.c.)
 */

/* This state's tag in the registry of controllers' states (ctrl_queue.h). */
static const char apps_tag;

struct ctrlapps *ctrlapps_of(struct sim *sim)
{
	return ctrlreg_get(&apps_tag, sim);
}

struct wake {
	struct ctrlapps *c;
	char kind;
	char *key;
	int64_t at;
	struct evtimer *t;
	struct wake *next;
};

/* At most this many syncs per loop iteration, so the API stays responsive. */
#define SYNC_BUDGET 4000

static void run(void *ud);

static void kick(struct ctrlapps *c)
{
	if (!c->kick)
		c->kick = evloop_timer_in(c->sim->loop, 0, run, c);
}

void ctrlapps_dirty_rs(struct ctrlapps *c, const char *key)
{
	if (!c->rs_on)
		return;
	keyq_push(&c->rs_dirty, key);
	kick(c);
}

void ctrlapps_dirty_dep(struct ctrlapps *c, const char *key)
{
	if (!c->dep_on)
		return;
	keyq_push(&c->dep_dirty, key);
	kick(c);
}

/* --- wake-ups -------------------------------------------------------------- */

static void wake_fire(void *ud)
{
	struct wake *w = ud;
	struct ctrlapps *c = w->c;
	for (struct wake **pp = &c->wakes; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	if (w->kind == 'r')
		ctrlapps_dirty_rs(c, w->key);
	else
		ctrlapps_dirty_dep(c, w->key);
	free(w->key);
	free(w);
}

void ctrlapps_wake_at(struct ctrlapps *c, char kind, const char *key, int64_t t)
{
	struct wake *w;
	for (w = c->wakes; w; w = w->next)
		if (w->kind == kind && strcmp(w->key, key) == 0)
			break;
	if (w) {
		if (w->at <= t)
			return;
		evloop_timer_cancel(c->sim->loop, w->t);
	} else {
		w = xcalloc(1, sizeof(*w));
		w->c = c;
		w->kind = kind;
		w->key = xstrdup(key);
		w->next = c->wakes;
		c->wakes = w;
	}
	w->at = t;
	w->t = simclock_timer_at(&c->sim->clock, c->sim->loop, t, wake_fire, w);
}

/* --- the store listener ------------------------------------------------------ */

/* The controller ownerReference of o if it is of that kind. */
static const cJSON *owner_of(const struct simobj *o, const char *kind)
{
	if (!o)
		return NULL;
	const cJSON *r = cj_controller_ref(o->json);
	const char *k = cj_str(r, "kind");
	if (!r || !k || strcmp(k, kind) != 0 || !cj_str(r, "uid") || !cj_str(r, "name"))
		return NULL;
	return r;
}

static void dirty_named(struct ctrlapps *c, char kind, const char *ns, const char *name)
{
	char *key = xasprintf("%s/%s", ns, name);
	if (kind == 'r')
		ctrlapps_dirty_rs(c, key);
	else
		ctrlapps_dirty_dep(c, key);
	free(key);
}

/* The deployment that controls the ReplicaSet ns/name, marked dirty. */
static void dirty_dep_of_rs(struct ctrlapps *c, const char *ns, const char *name)
{
	const struct simobj *rs = simstore_get(c->sim->store, c->rss, ns, name);
	const cJSON *ref = owner_of(rs, "Deployment");
	if (ref)
		dirty_named(c, 'd', ns, cj_str(ref, "name"));
}

/* An object without a controller that may have become adoptable: new, just
 * released, or relabelled (not every status update of a bare pod). */
static bool orphan_changed(const struct simevent *ev)
{
	if (ev->type == SIMEV_ADDED || !ev->prev || cj_controller_ref(ev->prev->json))
		return true;
	return !cJSON_Compare(cj_path(ev->obj->json, "metadata", "labels", NULL),
			      cj_path(ev->prev->json, "metadata", "labels", NULL), true);
}

static void push_orphan(struct ctrlapps *c, struct keyq *q, const char *key)
{
	keyq_push(q, key);
	kick(c);
}

static void on_pod(struct ctrlapps *c, const struct simevent *ev)
{
	const struct simobj *cur = ev->type == SIMEV_DELETED ? NULL : ev->obj;
	const struct simobj *before = ev->type == SIMEV_DELETED ? ev->obj : ev->prev;
	const cJSON *was = owner_of(before, "ReplicaSet"), *now = owner_of(cur, "ReplicaSet");
	const char *ns = ev->obj->ns;
	if (was && (!now || strcmp(cj_str(was, "uid"), cj_str(now, "uid")) != 0)) {
		ownidx_del(&c->pods_by_rs, cj_str(was, "uid"), ev->obj->key);
		dirty_named(c, 'r', ns, cj_str(was, "name"));
	}
	if (now) {
		ownidx_add(&c->pods_by_rs, cj_str(now, "uid"), ev->obj->key);
		dirty_named(c, 'r', ns, cj_str(now, "name"));
	}
	/* The deployment controller's deletePod: Recreate waits for old pods to go. */
	if (ev->type == SIMEV_DELETED && was)
		dirty_dep_of_rs(c, ns, cj_str(was, "name"));
	if (cur && !cj_controller_ref(cur->json) && orphan_changed(ev))
		push_orphan(c, &c->orphan_pods, ev->obj->key);
}

static void on_rs(struct ctrlapps *c, const struct simevent *ev)
{
	const struct simobj *cur = ev->type == SIMEV_DELETED ? NULL : ev->obj;
	const struct simobj *before = ev->type == SIMEV_DELETED ? ev->obj : ev->prev;
	const cJSON *was = owner_of(before, "Deployment"), *now = owner_of(cur, "Deployment");
	const char *ns = ev->obj->ns;
	if (was && (!now || strcmp(cj_str(was, "uid"), cj_str(now, "uid")) != 0)) {
		ownidx_del(&c->rs_by_dep, cj_str(was, "uid"), ev->obj->key);
		dirty_named(c, 'd', ns, cj_str(was, "name"));
	}
	if (now) {
		ownidx_add(&c->rs_by_dep, cj_str(now, "uid"), ev->obj->key);
		dirty_named(c, 'd', ns, cj_str(now, "name"));
	}
	if (cur)
		ctrlapps_dirty_rs(c, ev->obj->key);
	if (cur && !cj_controller_ref(cur->json) && orphan_changed(ev))
		push_orphan(c, &c->orphan_rss, ev->obj->key);
}

static void on_dep(struct ctrlapps *c, const struct simevent *ev)
{
	if (ev->type != SIMEV_DELETED)
		ctrlapps_dirty_dep(c, ev->obj->key);
	if (ev->type != SIMEV_ADDED)
		return;
	/* A new deployment may adopt the orphan ReplicaSets of its namespace. */
	struct simsnap *s = simstore_snapshot(c->sim->store, c->rss);
	char *prefix = xasprintf("%s/", ev->obj->ns);
	for (size_t i = simsnap_seek(s, prefix, true); i < s->n; i++) {
		if (strncmp(s->items[i]->key, prefix, strlen(prefix)) != 0)
			break;
		if (!cj_controller_ref(s->items[i]->json))
			push_orphan(c, &c->orphan_rss, s->items[i]->key);
	}
	free(prefix);
	simsnap_unref(s);
}

static void on_event(void *ud, const struct simevent *ev)
{
	struct ctrlapps *c = ud;
	const struct simres *r = ev->obj->res;
	if (r == c->pods)
		on_pod(c, ev);
	else if (r == c->rss)
		on_rs(c, ev);
	else if (r == c->deps)
		on_dep(c, ev);
}

/* --- the work loop ------------------------------------------------------------ */

static void run(void *ud)
{
	struct ctrlapps *c = ud;
	c->kick = NULL;
	int64_t start = evloop_now_ms();
	/* A ReplicaSet's own pod events mark it dirty again: the same key can come
	 * back many times, so the slice is bounded by time as well as by count. */
	for (int budget = SYNC_BUDGET; budget > 0 && !evloop_slice_over(c->sim->loop, start);
	     budget--) {
		char *k;
		if ((k = keyq_pop(&c->orphan_rss)))
			ctrl_adopt_rs(c, k);
		else if ((k = keyq_pop(&c->orphan_pods)))
			ctrl_adopt_pod(c, k);
		else if ((k = keyq_pop(&c->rs_dirty)))
			ctrl_rs_sync(c, k);
		else if ((k = keyq_pop(&c->dep_dirty)))
			ctrl_dep_sync(c, k);
		else
			return;
		free(k);
	}
	kick(c);
}

static void mark_all(struct ctrlapps *c, const struct simres *res, char kind)
{
	struct simsnap *s = simstore_snapshot(c->sim->store, res);
	for (size_t i = 0; i < s->n; i++) {
		if (kind == 'r')
			ctrlapps_dirty_rs(c, s->items[i]->key);
		else
			ctrlapps_dirty_dep(c, s->items[i]->key);
	}
	simsnap_unref(s);
}

void simdeploy_resync_all(struct sim *sim)
{
	struct ctrlapps *c = ctrlapps_of(sim);
	if (!c)
		return;
	mark_all(c, c->rss, 'r');
	mark_all(c, c->deps, 'd');
	/* Timers keep real deadlines across simclock_advance: re-arm them. */
	for (struct wake *w = c->wakes; w; w = w->next) {
		evloop_timer_cancel(sim->loop, w->t);
		w->t = simclock_timer_at(&sim->clock, sim->loop, w->at, wake_fire, w);
	}
}

/* --- start and stop ------------------------------------------------------------ */

static void index_all(struct ctrlapps *c, const struct simres *res)
{
	struct simsnap *s = simstore_snapshot(c->sim->store, res);
	for (size_t i = 0; i < s->n; i++) {
		struct simevent ev = {.type = SIMEV_ADDED, .obj = s->items[i]};
		if (res == c->pods)
			on_pod(c, &ev);
		else
			on_rs(c, &ev);
	}
	simsnap_unref(s);
}

static struct ctrlapps *ensure(struct sim *sim)
{
	struct ctrlapps *c = ctrlapps_of(sim);
	if (c)
		return c;
	c = xcalloc(1, sizeof(*c));
	c->sim = sim;
	c->pods = simres_find("", "v1", "pods");
	c->rss = simres_find("apps", "v1", "replicasets");
	c->deps = simres_find("apps", "v1", "deployments");
	ctrlreg_put(&apps_tag, sim, c);
	/* Index first (nothing is dirty yet: both controllers are still off). */
	index_all(c, c->rss);
	index_all(c, c->pods);
	simstore_listen(sim->store, c->pods, on_event, c);
	simstore_listen(sim->store, c->rss, on_event, c);
	simstore_listen(sim->store, c->deps, on_event, c);
	return c;
}

static void destroy(struct sim *sim)
{
	struct ctrlapps *c = ctrlreg_take(&apps_tag, sim);
	if (!c)
		return;
	if (sim->store)
		simstore_unlisten(sim->store, on_event, c);
	if (c->kick)
		evloop_timer_cancel(sim->loop, c->kick);
	while (c->wakes) {
		struct wake *w = c->wakes;
		c->wakes = w->next;
		evloop_timer_cancel(sim->loop, w->t);
		free(w->key);
		free(w);
	}
	keyq_free(&c->orphan_pods);
	keyq_free(&c->orphan_rss);
	keyq_free(&c->rs_dirty);
	keyq_free(&c->dep_dirty);
	ownidx_free(&c->pods_by_rs);
	ownidx_free(&c->rs_by_dep);
	free(c);
}

int simrsctl_start(struct sim *sim)
{
	struct ctrlapps *c = ensure(sim);
	c->rs_on = true;
	mark_all(c, c->rss, 'r');
	return 0;
}

void simrsctl_stop(struct sim *sim)
{
	struct ctrlapps *c = ctrlapps_of(sim);
	if (!c)
		return;
	c->rs_on = false;
	if (!c->dep_on)
		destroy(sim);
}

int simdeploy_start(struct sim *sim)
{
	struct ctrlapps *c = ensure(sim);
	c->dep_on = true;
	mark_all(c, c->deps, 'd');
	return 0;
}

void simdeploy_stop(struct sim *sim)
{
	struct ctrlapps *c = ctrlapps_of(sim);
	if (!c)
		return;
	c->dep_on = false;
	if (!c->rs_on)
		destroy(sim);
}

void simdeploy_template_hash(const cJSON *template, int64_t cc, char out[11])
{
	dl_template_hash(template, cc, out);
}
