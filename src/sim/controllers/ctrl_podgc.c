#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "ctrl_deployment_int.h"
#include "ctrl_podgc.h"
#include "evloop.h"
#include "poddelete.h"
#include "sim.h"
#include "simobj.h"

#define QUARANTINE_MS (40 * 1000)

struct gcnode {
	struct podgc *gc;
	char *name;
	struct evtimer *t;
	struct gcnode *next;
};

struct podgc {
	struct sim *sim;
	const struct simres *pods, *nodes;
	struct gcnode *pending; /* nodes in quarantine */
	struct podgc *next;
};

/* struct sim has no slot for us: a short list maps each sim to its state. */
static struct podgc *gcs;

static struct podgc *gc_of(struct sim *sim)
{
	for (struct podgc *g = gcs; g; g = g->next)
		if (g->sim == sim)
			return g;
	return NULL;
}

static const char *node_of(const cJSON *pod)
{
	const char *n = cj_str(cj_path(pod, "spec", NULL), "nodeName");
	return n && *n ? n : NULL;
}

/* markFailedAndDeletePodWithCondition. */
static void fail_and_delete(struct podgc *g, const struct simobj *o)
{
	char *ns = xstrdup(o->ns), *name = xstrdup(o->name);
	const char *phase = cj_str(cj_path(o->json, "status", NULL), "phase");
	if (!phase || (strcmp(phase, "Succeeded") != 0 && strcmp(phase, "Failed") != 0)) {
		cJSON *pod = simobj_copy(o);
		cJSON *st = simjson_object(pod, "status");
		simjson_set_string(st, "phase", "Failed");
		cJSON *conds = cJSON_GetObjectItemCaseSensitive(st, "conditions");
		if (!cJSON_IsArray(conds)) {
			cJSON_DeleteItemFromObjectCaseSensitive(st, "conditions");
			conds = cJSON_AddArrayToObject(st, "conditions");
		}
		char when[40];
		simclock_format(simclock_now(&g->sim->clock), when, sizeof(when));
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "type", "DisruptionTarget");
		cJSON_AddStringToObject(c, "status", "True");
		cJSON_AddNullToObject(c, "lastProbeTime");
		cJSON_AddStringToObject(c, "lastTransitionTime", when);
		cJSON_AddStringToObject(c, "reason", "DeletionByPodGC");
		cJSON_AddStringToObject(c, "message", "PodGC: node no longer exists");
		cJSON_AddItemToArray(conds, c);
		simstore_update(g->sim->store, g->pods, pod, 0, NULL);
	}
	simpod_delete(g->sim, ns, name, 0, NULL);
	free(ns);
	free(name);
}

static void collect(void *ud)
{
	struct gcnode *n = ud;
	struct podgc *g = n->gc;
	for (struct gcnode **pp = &g->pending; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	/* Checked again once the quarantine is over: the node may be back. */
	if (!simstore_get(g->sim->store, g->nodes, "", n->name)) {
		struct simsnap *s = simstore_snapshot(g->sim->store, g->pods);
		for (size_t i = 0; i < s->n; i++) {
			const char *node = node_of(s->items[i]->json);
			if (node && strcmp(node, n->name) == 0)
				fail_and_delete(g, s->items[i]);
		}
		simsnap_unref(s);
	}
	free(n->name);
	free(n);
}

static void quarantine(struct podgc *g, const char *node)
{
	for (struct gcnode *n = g->pending; n; n = n->next)
		if (strcmp(n->name, node) == 0)
			return;
	struct gcnode *n = xcalloc(1, sizeof(*n));
	n->gc = g;
	n->name = xstrdup(node);
	n->next = g->pending;
	g->pending = n;
	n->t = simclock_timer_at(&g->sim->clock, g->sim->loop,
				 simclock_now(&g->sim->clock) + QUARANTINE_MS, collect, n);
}

/* Only a node that is deleted: a pod bound to a name that never was a node
 * stays as the simulator has always kept it (no kubelet runs it). */
static void on_event(void *ud, const struct simevent *ev)
{
	struct podgc *g = ud;
	if (ev->type == SIMEV_DELETED)
		quarantine(g, ev->obj->name);
}

int simpodgc_start(struct sim *sim)
{
	if (gc_of(sim))
		return 0;
	struct podgc *g = xcalloc(1, sizeof(*g));
	g->sim = sim;
	g->pods = simres_find("", "v1", "pods");
	g->nodes = simres_find("", "v1", "nodes");
	g->next = gcs;
	gcs = g;
	simstore_listen(sim->store, g->nodes, on_event, g);
	return 0;
}

void simpodgc_stop(struct sim *sim)
{
	struct podgc *g = gc_of(sim);
	if (!g)
		return;
	for (struct podgc **pp = &gcs; *pp; pp = &(*pp)->next)
		if (*pp == g) {
			*pp = g->next;
			break;
		}
	if (sim->store)
		simstore_unlisten(sim->store, on_event, g);
	while (g->pending) {
		struct gcnode *n = g->pending;
		g->pending = n->next;
		evloop_timer_cancel(sim->loop, n->t);
		free(n->name);
		free(n);
	}
	free(g);
}
