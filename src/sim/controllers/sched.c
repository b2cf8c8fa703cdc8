#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "evloop.h"
#include "events.h"
#include "nodefit.h"
#include "resources.h"
#include "sched.h"
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
};

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

static bool node_usable(const cJSON *node)
{
	if (cJSON_IsTrue(path(node, "spec", "unschedulable")))
		return false;
	const cJSON *c;
	cJSON_ArrayForEach(c, path(node, "status", "conditions"))
	{
		const char *t = simjson_string(c, "type");
		if (t && strcmp(t, "Ready") == 0) {
			const char *s = simjson_string(c, "status");
			return s && strcmp(s, "True") == 0;
		}
	}
	return false;
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

/* A cordoned but Ready node: only pods that tolerate its taint go there. */
static bool sched_cordoned_ready(const cJSON *node)
{
	cJSON *copy = cJSON_Duplicate(node, 1);
	cJSON_DeleteItemFromObjectCaseSensitive(simjson_object(copy, "spec"), "unschedulable");
	bool ok = cJSON_IsTrue(path(node, "spec", "unschedulable")) && node_usable(copy);
	cJSON_Delete(copy);
	return ok;
}

static bool terminal(const cJSON *pod)
{
	const char *phase = simjson_string(path(pod, "status", NULL), "phase");
	return phase && (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0);
}

static void set_condition(cJSON *pod, const char *status, const char *reason, const char *msg,
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
		    strcmp(simjson_string(found, "reason") ? simjson_string(found, "reason") : "",
			   reason) == 0)
			return;
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
	size_t pods;
};

/*
 * Why node l does not fit pod, in the words of the first filter that rejects
 * it (NodeUnschedulable, TaintToleration, then NodeAffinity, which also
 * checks matchFields metadata.name: how the DaemonSet controller pins its
 * pods), or NULL when it fits. A cordoned node carries
 * node.kubernetes.io/unschedulable, which only some pods tolerate.
 */
static const char *sched_unfit(const cJSON *pod, const struct load *l, char *buf, size_t n)
{
	const cJSON *spec = path(pod, "spec", NULL);
	const cJSON *tols = path(spec, "tolerations", NULL);
	/* Most nodes have no taint: no copy of them for every pod. */
	if (cJSON_GetArraySize(path(l->node, "spec", "taints")) ||
	    cJSON_IsTrue(path(l->node, "spec", "unschedulable"))) {
		cJSON *taints = simnode_taints(l->node);
		const cJSON *t =
		    simnode_untolerated(taints, tols, SIMNODE_NO_SCHEDULE | SIMNODE_NO_EXECUTE);
		const char *key = t ? simjson_string(t, "key") : NULL;
		const char *value = t ? simjson_string(t, "value") : NULL;
		if (key && strcmp(key, SIMNODE_TAINT_UNSCHEDULABLE) == 0)
			snprintf(buf, n, "node(s) were unschedulable");
		else if (t)
			snprintf(buf, n, "node(s) had untolerated taint {%s: %s}", key ? key : "",
				 value ? value : "");
		cJSON_Delete(taints);
		if (t)
			return buf;
	}
	if (!selector_fits(pod, l->node) || !simnode_affinity_matches(spec, l->node))
		return "node(s) didn't match Pod's node affinity/selector";
	return NULL;
}

/* The scheduler's FitError: "0/N nodes are available: " and each reason
 * with its count, sorted, then the preemption part. */
struct sched_why {
	char text[160];
	size_t n;
};

static int sched_by_text(const void *a, const void *b)
{
	return strcmp(((const struct sched_why *)a)->text, ((const struct sched_why *)b)->text);
}

static void sched_fit_error(char *msg, size_t size, struct sched_why *why, size_t nwhy, size_t nn)
{
	qsort(why, nwhy, sizeof(*why), sched_by_text);
	int off = snprintf(msg, size, "0/%zu nodes are available: ", nn);
	for (size_t i = 0; i < nwhy && off > 0 && (size_t)off < size; i++)
		off += snprintf(msg + off, size - (size_t)off, "%s%zu %s", i ? ", " : "", why[i].n,
				why[i].text);
	if (off > 0 && (size_t)off < size)
		snprintf(msg + off, size - (size_t)off,
			 ". preemption: 0/%zu nodes are available: %zu Preemption is not helpful "
			 "for scheduling.",
			 nn, nn);
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
	struct load *best = NULL;
	struct sched_why *why = xcalloc(nn + 1, sizeof(*why));
	size_t nwhy = 0;
	for (size_t i = 0; i < nn; i++) {
		char buf[160];
		const char *r = sched_unfit(o->json, &nodes[i], buf, sizeof(buf));
		if (r) {
			size_t k = 0;
			while (k < nwhy && strcmp(why[k].text, r) != 0)
				k++;
			if (k == nwhy)
				snprintf(why[nwhy++].text, sizeof(why->text), "%s", r);
			why[k].n++;
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
		sched_fit_error(msg, sizeof(msg), why, nwhy, nn);
		free(why);
		if (nn == 0)
			snprintf(msg, sizeof(msg), "no nodes available to schedule pods");
		set_condition(pod, "False", "Unschedulable", msg, when);
		if (simstore_update(sim->store, s->pods, pod, 0, &o) == SIMSTORE_OK)
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
		simevents_record(sim, o->json, NULL, &src, "Normal", "Scheduled",
				 "Successfully assigned %s/%s to %s", ns, slash + 1, best->name);
	}
	free(ns);
}

static void sync(void *ud)
{
	struct simsched *s = ud;
	s->timer = NULL;
	if (s->n == 0)
		return;
	struct simsnap *ns = simstore_snapshot(s->sim->store, s->nodes);
	struct load *nodes = xcalloc(ns->n + 1, sizeof(*nodes));
	size_t nn = 0;
	for (size_t i = 0; i < ns->n; i++) {
		if (!node_usable(ns->items[i]->json) && !sched_cordoned_ready(ns->items[i]->json))
			continue;
		nodes[nn].name = ns->items[i]->name;
		nodes[nn].node = ns->items[i]->json;
		nn++;
	}
	qsort(nodes, nn, sizeof(*nodes), by_name);
	struct simsnap *ps = simstore_snapshot(s->sim->store, s->pods);
	for (size_t i = 0; i < ps->n; i++) {
		const char *node =
		    simjson_string(path(ps->items[i]->json, "spec", NULL), "nodeName");
		if (!node || !*node || terminal(ps->items[i]->json))
			continue;
		for (size_t j = 0; j < nn; j++)
			if (strcmp(nodes[j].name, node) == 0)
				nodes[j].pods++;
	}
	simsnap_unref(ps);

	/* Take the list first: scheduling writes, and writes mark pods dirty again. */
	char **keys = s->dirty;
	size_t n = s->n;
	s->dirty = NULL;
	s->n = s->cap = 0;
	for (size_t i = 0; i < n; i++) {
		schedule_one(s, keys[i], nodes, nn);
		free(keys[i]);
	}
	free(keys);
	free(nodes);
	simsnap_unref(ns);
}

static void on_pod(void *ud, const struct simevent *ev)
{
	struct simsched *s = ud;
	if (ev->type == SIMEV_DELETED || !unbound(ev->obj->json))
		return;
	/* Already refused: no new attempt on every write (no event storm). */
	if (ev->type == SIMEV_MODIFIED) {
		const cJSON *c;
		cJSON_ArrayForEach(c, path(ev->obj->json, "status", "conditions"))
		{
			const char *r = simjson_string(c, "reason");
			if (r && strcmp(r, "Unschedulable") == 0)
				return;
		}
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->dirty = xrealloc(s->dirty, s->cap * sizeof(*s->dirty));
	}
	s->dirty[s->n++] = xstrdup(ev->obj->key);
	if (!s->timer)
		s->timer = evloop_timer_in(s->sim->loop, 0, sync, s);
}

int sched_start(struct sim *sim)
{
	struct simsched *s = xcalloc(1, sizeof(*s));
	s->sim = sim;
	s->pods = simres_find("", "v1", "pods");
	s->nodes = simres_find("", "v1", "nodes");
	sim->sched = s;
	simstore_listen(sim->store, s->pods, on_pod, s);
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
	if (s->timer)
		evloop_timer_cancel(sim->loop, s->timer);
	for (size_t i = 0; i < s->n; i++)
		free(s->dirty[i]);
	free(s->dirty);
	free(s);
	sim->sched = NULL;
}
