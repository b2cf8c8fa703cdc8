#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "evloop.h"
#include "events.h"
#include "nodefit.h"
#include "podreq.h"
#include "resources.h"
#include "sched.h"
#include "sched_fiterr.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"

/*
 * Level-triggered like the real scheduler's queue: a pod event marks the pod
 * dirty, a 0 ms timer schedules every dirty pod that is still unbound.
 */
struct simsched {
	struct sim *sim;
	const struct simres *pods, *nodes;
	struct evtimer *timer;
	char **dirty; /* "ns/name" */
	size_t n, cap;
	bool requeue; /* look at every unschedulable pod again */
};

static void sync(void *ud);

static const cJSON *path(const cJSON *o, const char *a, const char *b)
{
	o = cJSON_GetObjectItemCaseSensitive(o, a);
	return b ? cJSON_GetObjectItemCaseSensitive(o, b) : o;
}

static bool unbound(const cJSON *pod)
{
	const char *node = simjson_string(path(pod, "spec", NULL), "nodeName");
	const char *frozen =
	    simjson_string(path(pod, "metadata", "annotations"), "sim.podscope.dev/frozen");
	return (!node || !*node) && !path(pod, "metadata", "deletionTimestamp") &&
	       !(frozen && strcmp(frozen, "true") == 0);
}

static bool selector_fits(const cJSON *pod, const cJSON *node)
{
	const cJSON *sel = path(pod, "spec", "nodeSelector");
	const cJSON *labels = path(node, "metadata", "labels");
	const cJSON *kv;
	cJSON_ArrayForEach(kv, sel)
	{
		const char *v = simjson_string(labels, kv->string);
		if (!cJSON_IsString(kv) || !v || strcmp(v, kv->valuestring) != 0)
			return false;
	}
	return true;
}

static bool terminal(const cJSON *pod)
{
	const char *phase = simjson_string(path(pod, "status", NULL), "phase");
	return phase && (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* podutil.UpdatePodCondition: false when the condition is already so. */
static bool set_condition(cJSON *pod, const char *status, const char *reason, const char *msg,
			  const char *when)
{
	cJSON *st = simjson_object(pod, "status");
	cJSON *conds = cJSON_GetObjectItemCaseSensitive(st, "conditions");
	if (!cJSON_IsArray(conds)) {
		conds = cJSON_CreateArray();
		cJSON_DeleteItemFromObjectCaseSensitive(st, "conditions");
		cJSON_AddItemToObject(st, "conditions", conds);
	}
	cJSON *c, *found = NULL;
	cJSON_ArrayForEach(c, conds)
	{
		const char *t = simjson_string(c, "type");
		if (t && strcmp(t, "PodScheduled") == 0)
			found = c;
	}
	if (found) {
		const char *old = simjson_string(found, "status");
		if (old && strcmp(old, status) == 0 && reason &&
		    strcmp(or_empty(simjson_string(found, "reason")), reason) == 0 &&
		    strcmp(or_empty(simjson_string(found, "message")), or_empty(msg)) == 0)
			return false;
		cJSON_DetachItemViaPointer(conds, found);
		cJSON_Delete(found);
	}
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "type", "PodScheduled");
	cJSON_AddStringToObject(c, "status", status);
	cJSON_AddNullToObject(c, "lastProbeTime");
	cJSON_AddStringToObject(c, "lastTransitionTime", when);
	if (reason)
		cJSON_AddStringToObject(c, "reason", reason);
	if (msg)
		cJSON_AddStringToObject(c, "message", msg);
	cJSON_AddItemToArray(conds, c);
	if (!simjson_string(st, "phase"))
		simjson_set_string(st, "phase", "Pending");
	return true;
}

/*
 * schedulingGates: a gated pod is not scheduled (the SchedulingGates
 * plugin's PreEnqueue keeps it out of the queue) and shows PodScheduled
 * False, reason SchedulingGated, as the pod strategy's
 * applySchedulingGatedCondition writes it at creation. True when the pod is
 * gated; the condition is written here, at the first look, so that pods
 * made by any path (scenario files skip the API's) get it.
 */
static bool sched_gated(struct sim *sim, const struct simres *pods, struct simobj *o)
{
	if (cJSON_GetArraySize(path(o->json, "spec", "schedulingGates")) == 0)
		return false;
	const cJSON *c;
	cJSON_ArrayForEach(c, path(o->json, "status", "conditions"))
	{
		const char *t = simjson_string(c, "type");
		if (t && strcmp(t, "PodScheduled") == 0)
			return true;
	}
	cJSON *pod = simobj_copy(o);
	cJSON *st = simjson_object(pod, "status");
	cJSON *g = cJSON_CreateObject();
	cJSON_AddStringToObject(g, "type", "PodScheduled");
	cJSON_AddStringToObject(g, "status", "False");
	cJSON_AddNullToObject(g, "lastProbeTime");
	char when[40];
	simclock_format(simclock_now(&sim->clock), when, sizeof(when));
	cJSON_AddStringToObject(g, "lastTransitionTime", when);
	cJSON_AddStringToObject(g, "reason", "SchedulingGated");
	cJSON_AddStringToObject(g, "message",
				"Scheduling is blocked due to non-empty scheduling gates");
	cJSON *conds = cJSON_DetachItemFromObjectCaseSensitive(st, "conditions");
	if (!cJSON_IsArray(conds)) {
		cJSON_Delete(conds);
		conds = cJSON_CreateArray();
	}
	cJSON_AddItemToArray(conds, g);
	cJSON_AddItemToObject(st, "conditions", conds);
	if (!simjson_string(st, "phase"))
		simjson_set_string(st, "phase", "Pending");
	simstore_update(sim->store, pods, pod, 0, NULL);
	return true;
}

struct load {
	const char *name;
	const cJSON *node;
	bool tainted; /* spec.taints, cordoned or not Ready: the taints to look at */
	size_t pods;
	int64_t cpu, mem;           /* requested by the pods bound there, in thousandths */
	int64_t acpu, amem, apods; /* status.allocatable */
};

/* The reasons a node refuses a pod (at most the three of NodeResourcesFit),
 * and whether preemption could help (Unschedulable, not
 * UnschedulableAndUnresolvable). */
struct unfit {
	char text[3][160];
	size_t n;
	bool resolvable;
};

/*
 * Why node l does not fit pod, in the words of the first filter that rejects
 * it: NodeUnschedulable, TaintToleration, NodeAffinity (which also checks
 * matchFields metadata.name: how the DaemonSet controller pins its pods),
 * then NodeResourcesFit's fitsRequest, which names every resource short
 * ("Too many pods", "Insufficient cpu", "Insufficient memory"). u->n is 0
 * when it fits. A cordoned node carries node.kubernetes.io/unschedulable,
 * which only some pods tolerate; a NotReady one node.kubernetes.io/not-ready.
 */
static void sched_unfit(const cJSON *pod, const struct load *l, int64_t cpu, int64_t mem,
			struct unfit *u)
{
	const cJSON *spec = path(pod, "spec", NULL);
	const cJSON *tols = path(spec, "tolerations", NULL);
	u->n = 0;
	u->resolvable = false;
	/* Most nodes have no taint: no copy of them for every pod. */
	if (l->tainted) {
		cJSON *taints = simnode_taints(l->node);
		const cJSON *t =
		    simnode_untolerated(taints, tols, SIMNODE_NO_SCHEDULE | SIMNODE_NO_EXECUTE);
		const char *key = t ? simjson_string(t, "key") : NULL;
		const char *value = t ? simjson_string(t, "value") : NULL;
		if (key && strcmp(key, SIMNODE_TAINT_UNSCHEDULABLE) == 0)
			snprintf(u->text[u->n++], sizeof(u->text[0]), "node(s) were unschedulable");
		else if (t)
			snprintf(u->text[u->n++], sizeof(u->text[0]),
				 "node(s) had untolerated taint {%s: %s}", key ? key : "",
				 value ? value : "");
		cJSON_Delete(taints);
		if (u->n)
			return;
	}
	if (!selector_fits(pod, l->node) || !simnode_affinity_matches(spec, l->node)) {
		snprintf(u->text[u->n++], sizeof(u->text[0]),
			 "node(s) didn't match Pod's node affinity/selector");
		return;
	}
	if ((int64_t)l->pods + 1 > l->apods)
		snprintf(u->text[u->n++], sizeof(u->text[0]), "Too many pods");
	if (cpu > 0 && cpu > l->acpu - l->cpu)
		snprintf(u->text[u->n++], sizeof(u->text[0]), "Insufficient cpu");
	if (mem > 0 && mem > l->amem - l->mem)
		snprintf(u->text[u->n++], sizeof(u->text[0]), "Insufficient memory");
	u->resolvable = u->n > 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct load *)a)->name, ((const struct load *)b)->name);
}

static void schedule_one(struct simsched *s, const char *key, struct load *nodes, size_t nn)
{
	struct sim *sim = s->sim;
	char *ns = xstrdup(key), *slash = strchr(ns, '/');
	if (!slash) {
		free(ns);
		return;
	}
	*slash = '\0';
	struct simobj *o = simstore_get(sim->store, s->pods, ns, slash + 1);
	if (!o || !unbound(o->json) || sched_gated(sim, s->pods, o)) {
		free(ns);
		return;
	}
	const cJSON *spec = path(o->json, "spec", NULL);
	int64_t cpu = simpod_request(spec, "cpu"), mem = simpod_request(spec, "memory");
	struct load *best = NULL;
	size_t cap = 3 * nn + 1, nwhy = 0, resolvable = 0;
	struct sched_why *why = xcalloc(cap, sizeof(*why));
	for (size_t i = 0; i < nn; i++) {
		struct unfit u;
		sched_unfit(o->json, &nodes[i], cpu, mem, &u);
		if (u.n) {
			for (size_t k = 0; k < u.n; k++)
				sched_why_add(why, &nwhy, cap, u.text[k]);
			resolvable += u.resolvable;
			continue;
		}
		if (!best || nodes[i].pods < best->pods)
			best = &nodes[i];
	}
	char when[40];
	simclock_format(simclock_now(&sim->clock), when, sizeof(when));
	const struct simevent_source src = {"default-scheduler", NULL};
	cJSON *pod = simobj_copy(o);
	if (!best) {
		char msg[1024];
		sched_fit_error(msg, sizeof(msg), why, nwhy, resolvable, nn);
		free(why);
		if (nn == 0)
			snprintf(msg, sizeof(msg), "no nodes available to schedule pods");
		/* The condition is written when it changes; the event every time
		 * (the recorder counts the repeats). */
		bool ok = true;
		if (set_condition(pod, "False", "Unschedulable", msg, when))
			ok = simstore_update(sim->store, s->pods, pod, 0, &o) == SIMSTORE_OK;
		else
			cJSON_Delete(pod);
		if (ok)
			simevents_record(sim, o->json, NULL, &src, "Warning", "FailedScheduling",
					 "%s", msg);
		free(ns);
		return;
	}
	free(why);
	simjson_set_string(simjson_object(pod, "spec"), "nodeName", best->name);
	set_condition(pod, "True", NULL, NULL, when);
	if (simstore_update(sim->store, s->pods, pod, 0, &o) == SIMSTORE_OK) {
		best->pods++;
		best->cpu += cpu;
		best->mem += mem;
		simevents_record(sim, o->json, NULL, &src, "Normal", "Scheduled",
				 "Successfully assigned %s/%s to %s", ns, slash + 1, best->name);
	}
	free(ns);
}

static bool node_ready(const cJSON *node)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, path(node, "status", "conditions"))
	{
		const char *t = simjson_string(c, "type");
		if (t && strcmp(t, "Ready") == 0) {
			const char *st = simjson_string(c, "status");
			return st && strcmp(st, "True") == 0;
		}
	}
	return false;
}

/* An allocatable resource in thousandths; a node made without it (a test's
 * or a scenario's bare Node, where a kubelet would have registered it) has
 * what the sim's own nodes have. */
static int64_t alloc_of(const cJSON *alloc, const char *res, const char *dflt)
{
	int64_t m = 0;
	if (cJSON_GetObjectItemCaseSensitive(alloc, res))
		return simq_milli_of(alloc, res);
	simq_milli(dflt, &m);
	return m;
}

/* Every node of the snapshot with what its bound pods request (the
 * scheduler's NodeInfo), sorted by name. */
static struct load *sched_loads(struct simsched *s, struct simsnap *ns, size_t *count)
{
	struct load *nodes = xcalloc(ns->n + 1, sizeof(*nodes));
	size_t nn = 0;
	for (size_t i = 0; i < ns->n; i++) {
		const cJSON *n = ns->items[i]->json;
		const cJSON *alloc = path(n, "status", "allocatable");
		nodes[nn].name = ns->items[i]->name;
		nodes[nn].node = n;
		nodes[nn].tainted = cJSON_GetArraySize(path(n, "spec", "taints")) ||
				    cJSON_IsTrue(path(n, "spec", "unschedulable")) || !node_ready(n);
		nodes[nn].acpu = alloc_of(alloc, "cpu", SIMNODE_DEFAULT_CPU);
		nodes[nn].amem = alloc_of(alloc, "memory", SIMNODE_DEFAULT_MEMORY);
		nodes[nn].apods = alloc_of(alloc, "pods", SIMNODE_DEFAULT_PODS) / 1000;
		nn++;
	}
	qsort(nodes, nn, sizeof(*nodes), by_name);
	struct simsnap *ps = simstore_snapshot(s->sim->store, s->pods);
	for (size_t i = 0; i < ps->n; i++) {
		const cJSON *p = ps->items[i]->json;
		const char *node = simjson_string(path(p, "spec", NULL), "nodeName");
		if (!node || !*node || terminal(p))
			continue;
		struct load k = {.name = node};
		struct load *l = bsearch(&k, nodes, nn, sizeof(*nodes), by_name);
		if (!l)
			continue;
		l->pods++;
		l->cpu += simpod_request(path(p, "spec", NULL), "cpu");
		l->mem += simpod_request(path(p, "spec", NULL), "memory");
	}
	simsnap_unref(ps);
	*count = nn;
	return nodes;
}

static void mark(struct simsched *s, const char *key)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->dirty = xrealloc(s->dirty, s->cap * sizeof(*s->dirty));
	}
	s->dirty[s->n++] = xstrdup(key);
	if (!s->timer)
		s->timer = evloop_timer_in(s->sim->loop, 0, sync, s);
}

static bool unschedulable(const cJSON *pod)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, path(pod, "status", "conditions"))
	{
		const char *r = simjson_string(c, "reason");
		if (r && strcmp(r, "Unschedulable") == 0)
			return true;
	}
	return false;
}

/* qsort has no context: the keys being ordered (one sync at a time). */
static char **sort_keys;

static int by_key_then_index(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(sort_keys[i], sort_keys[j]);
	return c ? c : (i > j) - (i < j);
}

static void sync(void *ud)
{
	struct simsched *s = ud;
	s->timer = NULL;
	/* A cluster event moved the unschedulable pods back to the active
	 * queue (MoveAllToActiveOrBackoffQueue). */
	if (s->requeue) {
		s->requeue = false;
		struct simsnap *ps = simstore_snapshot(s->sim->store, s->pods);
		for (size_t i = 0; i < ps->n; i++)
			if (unbound(ps->items[i]->json) && unschedulable(ps->items[i]->json))
				mark(s, ps->items[i]->key);
		simsnap_unref(ps);
		if (s->timer) {
			evloop_timer_cancel(s->sim->loop, s->timer);
			s->timer = NULL;
		}
	}
	if (s->n == 0)
		return;
	/* Take the list first: scheduling writes, and writes mark pods dirty
	 * again. Each pod once per round. */
	char **keys = s->dirty;
	size_t n = s->n;
	s->dirty = NULL;
	s->n = s->cap = 0;
	/* In arrival order (the queue is FIFO), a pod's later marks dropped. */
	size_t *order = xcalloc(n + 1, sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sort_keys = keys;
	qsort(order, n, sizeof(*order), by_key_then_index);
	bool *skip = xcalloc(n + 1, sizeof(*skip));
	for (size_t i = 1; i < n; i++)
		if (strcmp(keys[order[i]], keys[order[i - 1]]) == 0)
			skip[order[i]] = true;
	free(order);
	struct simsnap *ns = simstore_snapshot(s->sim->store, s->nodes);
	size_t nn;
	struct load *nodes = sched_loads(s, ns, &nn);
	for (size_t i = 0; i < n; i++) {
		if (!skip[i])
			schedule_one(s, keys[i], nodes, nn);
		free(keys[i]);
	}
	free(skip);
	free(keys);
	free(nodes);
	simsnap_unref(ns);
}

static void requeue(struct simsched *s)
{
	s->requeue = true;
	if (!s->timer)
		s->timer = evloop_timer_in(s->sim->loop, 0, sync, s);
}

static void on_pod(void *ud, const struct simevent *ev)
{
	struct simsched *s = ud;
	const cJSON *p = ev->obj->json;
	/* A bound pod that goes away or finishes frees its node's room. */
	if (ev->type == SIMEV_DELETED) {
		if (!unbound(p) && !terminal(p))
			requeue(s);
		return;
	}
	if (ev->type == SIMEV_MODIFIED && ev->prev && terminal(p) && !terminal(ev->prev->json))
		requeue(s);
	if (!unbound(p))
		return;
	/* Already refused: no new attempt on every write (no event storm). */
	if (ev->type == SIMEV_MODIFIED && unschedulable(p))
		return;
	mark(s, ev->obj->key);
}

/* What of a node the filters read: a change there may let a pod in
 * (the scheduler's NodeAdd/NodeUpdate cluster events). */
static char *node_fingerprint(const cJSON *node)
{
	cJSON *f = cJSON_CreateObject();
	cJSON_AddItemToObject(f, "spec", cJSON_Duplicate(path(node, "spec", NULL), 1));
	cJSON_AddItemToObject(f, "labels", cJSON_Duplicate(path(node, "metadata", "labels"), 1));
	cJSON_AddItemToObject(f, "alloc", cJSON_Duplicate(path(node, "status", "allocatable"), 1));
	cJSON_AddBoolToObject(f, "ready", node_ready(node));
	char *s = cJSON_PrintUnformatted(f);
	cJSON_Delete(f);
	return s;
}

static void on_node(void *ud, const struct simevent *ev)
{
	struct simsched *s = ud;
	if (ev->type == SIMEV_DELETED)
		return;
	if (ev->type == SIMEV_MODIFIED && ev->prev) {
		char *a = node_fingerprint(ev->prev->json), *b = node_fingerprint(ev->obj->json);
		bool same = a && b && strcmp(a, b) == 0;
		cJSON_free(a);
		cJSON_free(b);
		if (same)
			return;
	}
	requeue(s);
}

int sched_start(struct sim *sim)
{
	struct simsched *s = xcalloc(1, sizeof(*s));
	s->sim = sim;
	s->pods = simres_find("", "v1", "pods");
	s->nodes = simres_find("", "v1", "nodes");
	sim->sched = s;
	simstore_listen(sim->store, s->pods, on_pod, s);
	simstore_listen(sim->store, s->nodes, on_node, s);
	/* Pods that were there before we started (scenario files). */
	struct simsnap *ps = simstore_snapshot(sim->store, s->pods);
	for (size_t i = 0; i < ps->n; i++) {
		struct simevent ev = {.type = SIMEV_ADDED, .obj = ps->items[i]};
		on_pod(s, &ev);
	}
	simsnap_unref(ps);
	return 0;
}

void sched_stop(struct sim *sim)
{
	struct simsched *s = sim->sched;
	if (!s)
		return;
	simstore_unlisten(sim->store, on_pod, s);
	simstore_unlisten(sim->store, on_node, s);
	if (s->timer)
		evloop_timer_cancel(sim->loop, s->timer);
	for (size_t i = 0; i < s->n; i++)
		free(s->dirty[i]);
	free(s->dirty);
	free(s);
	sim->sched = NULL;
}
