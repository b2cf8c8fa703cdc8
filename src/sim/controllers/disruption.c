#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "ctrl_deployment_int.h"
#include "ctrl_queue.h"
#include "disruption.h"
#include "nsqueue.h"
#include "poddelete.h"
#include "resources.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"

#define MAX_CONTROLLERS 256

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static bool eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static bool pod_ready(const cJSON *pod)
{
	int64_t since;
	return cj_pod_ready(pod, &since);
}

static const struct simres *res_of(const char *g, const char *v, const char *p)
{
	return simres_find(g, v, p);
}

static bool selects(const cJSON *pdb, const cJSON *pod)
{
	const cJSON *sel = get(get(pdb, "spec"), "selector");
	/* policy/v1: an empty selector selects every pod of the namespace; a
	 * null one none. */
	if (!cJSON_IsObject(sel))
		return false;
	return cj_selector_matches(sel, get(get(pod, "metadata"), "labels"));
}

/* The scale of a pod's controller (getExpectedScale's finders), once per
 * controller: a Deployment through its ReplicaSet, a ReplicaSet, a
 * StatefulSet; a pod without one counts as 1. */
static int64_t controller_scale(struct sim *sim, const cJSON *pod, const char **seen, size_t *nseen)
{
	const cJSON *ref = cj_controller_ref(pod);
	const char *kind = cj_str(ref, "kind"), *name = cj_str(ref, "name");
	const char *ns = cj_str(get(pod, "metadata"), "namespace");
	if (!ref || !kind || !name)
		return 1;
	const struct simobj *o = NULL;
	if (eq(kind, "ReplicaSet")) {
		o = simstore_get(sim->store, res_of("apps", "v1", "replicasets"), ns, name);
		const cJSON *dref = o ? cj_controller_ref(o->json) : NULL;
		if (dref && eq(cj_str(dref, "kind"), "Deployment") && cj_str(dref, "name"))
			o = simstore_get(sim->store, res_of("apps", "v1", "deployments"), ns,
					 cj_str(dref, "name"));
	} else if (eq(kind, "StatefulSet")) {
		o = simstore_get(sim->store, res_of("apps", "v1", "statefulsets"), ns, name);
	}
	if (!o)
		return 1;
	const char *uid = cj_str(get(o->json, "metadata"), "uid");
	for (size_t i = 0; i < *nseen; i++)
		if (eq(seen[i], uid))
			return 0;
	if (*nseen < MAX_CONTROLLERS && uid)
		seen[(*nseen)++] = uid;
	return cj_int(get(o->json, "spec"), "replicas", 1);
}

/* GetScaledValueFromIntOrPercent, rounding up. */
static int64_t scaled(const cJSON *v, int64_t total)
{
	if (cJSON_IsNumber(v))
		return (int64_t)v->valuedouble;
	if (!cJSON_IsString(v))
		return 0;
	char *end;
	double pct = strtod(v->valuestring, &end);
	if (strcmp(end, "%") != 0)
		return 0;
	return (int64_t)ceil(pct * (double)total / 100.0);
}

struct counts {
	int64_t expected, desired, healthy, allowed;
};

static void count(struct sim *sim, const cJSON *pdb, struct counts *c)
{
	const char *ns = cj_str(get(pdb, "metadata"), "namespace");
	const cJSON *spec = get(pdb, "spec");
	const cJSON *min = get(spec, "minAvailable"), *max = get(spec, "maxUnavailable");
	struct simsnap *ps = simstore_snapshot(sim->store, res_of("", "v1", "pods"));
	const char *seen[MAX_CONTROLLERS];
	size_t nseen = 0;
	int64_t npods = 0, scale = 0;
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < ps->n; i++) {
		const cJSON *p = ps->items[i]->json;
		if (!eq(ps->items[i]->ns, ns) || !selects(pdb, p))
			continue;
		npods++;
		scale += controller_scale(sim, p, seen, &nseen);
		/* countHealthyPods: Ready and not being deleted. */
		if (!get(get(p, "metadata"), "deletionTimestamp") && pod_ready(p))
			c->healthy++;
	}
	simsnap_unref(ps);
	if (cJSON_IsNumber(min)) {
		c->expected = npods;
		c->desired = (int64_t)min->valuedouble;
	} else if (min) {
		c->expected = scale;
		c->desired = scaled(min, scale);
	} else if (max) {
		c->expected = scale;
		c->desired = scale - scaled(max, scale);
		if (c->desired < 0)
			c->desired = 0;
	}
	c->allowed = c->healthy - c->desired;
	if (c->allowed < 0)
		c->allowed = 0;
}

static void write_status(struct sim *sim, const struct simobj *o, const struct counts *c,
			 int64_t allowed)
{
	cJSON *obj = simobj_copy(o);
	cJSON *st = simjson_object(obj, "status");
	int64_t gen = cj_int(get(obj, "metadata"), "generation", 0);
	cj_set_int(st, "currentHealthy", c->healthy);
	cj_set_int(st, "desiredHealthy", c->desired);
	cj_set_int(st, "disruptionsAllowed", allowed);
	cj_set_int(st, "expectedPods", c->expected);
	cj_set_int(st, "observedGeneration", gen);
	const char *status = allowed > 0 ? "True" : "False";
	const char *reason = allowed > 0 ? "SufficientPods" : "InsufficientPods";
	cJSON *conds = cJSON_DetachItemFromObjectCaseSensitive(st, "conditions");
	cJSON *cond = NULL, *x;
	cJSON_ArrayForEach(x, conds)
	{
		if (eq(cj_str(x, "type"), "DisruptionAllowed"))
			cond = x;
	}
	if (!cond || !eq(cj_str(cond, "status"), status) || !eq(cj_str(cond, "reason"), reason) ||
	    cj_int(cond, "observedGeneration", -1) != gen) {
		char when[40];
		if (cond && eq(cj_str(cond, "status"), status) && cj_str(cond, "lastTransitionTime"))
			snprintf(when, sizeof(when), "%s", cj_str(cond, "lastTransitionTime"));
		else
			simclock_format(simclock_now(&sim->clock), when, sizeof(when));
		if (cond) {
			cJSON_DetachItemViaPointer(conds, cond);
			cJSON_Delete(cond);
		}
		if (!cJSON_IsArray(conds)) {
			cJSON_Delete(conds);
			conds = cJSON_CreateArray();
		}
		cond = cJSON_CreateObject();
		cJSON_AddStringToObject(cond, "type", "DisruptionAllowed");
		cJSON_AddStringToObject(cond, "status", status);
		cJSON_AddNumberToObject(cond, "observedGeneration", (double)gen);
		cJSON_AddStringToObject(cond, "lastTransitionTime", when);
		cJSON_AddStringToObject(cond, "reason", reason);
		cJSON_AddStringToObject(cond, "message", "");
		cJSON_AddItemToArray(conds, cond);
	}
	cJSON_AddItemToObject(st, "conditions", conds);
	simstore_update(sim->store, o->res, obj, 0, NULL);
}

/* --- eviction ------------------------------------------------------------ */

static void set_disruption_target(struct sim *sim, const struct simobj *pod)
{
	cJSON *p = simobj_copy(pod);
	cJSON *st = simjson_object(p, "status");
	cJSON *conds = cJSON_GetObjectItemCaseSensitive(st, "conditions");
	if (!cJSON_IsArray(conds)) {
		cJSON_DeleteItemFromObjectCaseSensitive(st, "conditions");
		conds = cJSON_AddArrayToObject(st, "conditions");
	}
	char when[40];
	simclock_format(simclock_now(&sim->clock), when, sizeof(when));
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "type", "DisruptionTarget");
	cJSON_AddStringToObject(c, "status", "True");
	cJSON_AddNullToObject(c, "lastProbeTime");
	cJSON_AddStringToObject(c, "lastTransitionTime", when);
	cJSON_AddStringToObject(c, "reason", "EvictionByEvictionAPI");
	cJSON_AddStringToObject(c, "message", "Eviction API: evicting");
	cJSON_AddItemToArray(conds, c);
	simstore_update(sim->store, pod->res, p, 0, NULL);
}

static void evicted(struct sim *sim, const struct simobj *pod, const char *ns, const char *name,
		    int64_t grace_s, struct simevict *out)
{
	set_disruption_target(sim, pod);
	simpod_delete(sim, ns, name, grace_s, NULL);
	out->code = 201;
}

void simpdb_evict(struct sim *sim, const char *ns, const char *name, int64_t grace_s,
		  struct simevict *out)
{
	memset(out, 0, sizeof(*out));
	const struct simres *pods = res_of("", "v1", "pods");
	const struct simres *pdbs = res_of("policy", "v1", "poddisruptionbudgets");
	struct simobj *pod = simstore_get(sim->store, pods, ns, name);
	if (!pod) {
		out->code = 404;
		out->message = xasprintf("pods \"%s\" not found", name);
		return;
	}
	/* canIgnorePDB: a finished, pending or already deleting pod goes. */
	const char *phase = cj_str(get(pod->json, "status"), "phase");
	if (eq(phase, "Succeeded") || eq(phase, "Failed") || eq(phase, "Pending") ||
	    get(get(pod->json, "metadata"), "deletionTimestamp")) {
		simpod_delete(sim, ns, name, grace_s, NULL);
		out->code = 201;
		return;
	}
	struct simsnap *s = simstore_snapshot(sim->store, pdbs);
	const struct simobj *pdb = NULL;
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		if (eq(s->items[i]->ns, ns) && selects(s->items[i]->json, pod->json)) {
			pdb = s->items[i];
			n++;
		}
	if (n > 1) {
		out->code = 500;
		out->message = xstrdup("This pod has more than one PodDisruptionBudget, which the "
				       "eviction subresource does not support.");
	} else if (n == 0) {
		evicted(sim, pod, ns, name, grace_s, out);
	} else {
		const cJSON *st = get(pdb->json, "status");
		int64_t allowed = cj_int(st, "disruptionsAllowed", 0);
		int64_t desired = cj_int(st, "desiredHealthy", 0);
		int64_t healthy = cj_int(st, "currentHealthy", 0);
		const char *policy = cj_str(get(pdb->json, "spec"), "unhealthyPodEvictionPolicy");
		bool ready = pod_ready(pod->json);
		if (cj_int(st, "observedGeneration", 0) <
		    cj_int(get(pdb->json, "metadata"), "generation", 0)) {
			out->code = 429;
			out->message = xstrdup("Cannot evict pod as it would violate the pod's "
					       "disruption budget.");
			out->cause = xasprintf("The disruption budget %s is still being processed "
					       "by the server.",
					       pdb->name);
		} else if (!ready && (eq(policy, "AlwaysAllow") || (healthy >= desired && desired > 0))) {
			/* An unhealthy pod, the budget met: no disruption taken. */
			evicted(sim, pod, ns, name, grace_s, out);
		} else if (allowed <= 0) {
			out->code = 429;
			out->message = xstrdup("Cannot evict pod as it would violate the pod's "
					       "disruption budget.");
			out->cause = xasprintf("The disruption budget %s needs %lld healthy pods and "
					       "has %lld currently",
					       pdb->name, (long long)desired, (long long)healthy);
		} else {
			/* checkAndDecrement, then the deletion. */
			struct counts c = {cj_int(st, "expectedPods", 0), desired, healthy, allowed};
			write_status(sim, pdb, &c, allowed - 1);
			evicted(sim, pod, ns, name, grace_s, out);
		}
	}
	simsnap_unref(s);
}

void simevict_clear(struct simevict *e)
{
	free(e->message);
	free(e->cause);
	memset(e, 0, sizeof(*e));
}

/* --- the controller ------------------------------------------------------ */

struct simpdbctl {
	struct sim *sim;
	const struct simres *pdbs, *pods;
	struct nsqueue q;
};

static const char tag = 'd';

static void sync_one(void *ud, const struct simobj *pdb)
{
	struct simpdbctl *c = ud;
	struct counts cnt;
	count(c->sim, pdb->json, &cnt);
	write_status(c->sim, pdb, &cnt, cnt.allowed);
}

static void on_event(void *ud, const struct simevent *ev)
{
	struct simpdbctl *c = ud;
	if (ev->obj->res == c->pdbs) {
		if (ev->type == SIMEV_DELETED)
			return;
		/* Its own status writes: only a new generation counts again. */
		if (ev->type == SIMEV_MODIFIED && ev->prev &&
		    cj_int(get(ev->prev->json, "metadata"), "generation", 0) ==
			cj_int(get(ev->obj->json, "metadata"), "generation", 0) &&
		    get(ev->prev->json, "status"))
			return;
	} else if (!nsq_has(&c->q, ev->obj->ns)) {
		/* A pod of a namespace with a budget, or a controller's scale. */
		return;
	}
	nsq_mark(&c->q, ev->obj->ns);
}

int simpdb_start(struct sim *sim)
{
	struct simpdbctl *c = xcalloc(1, sizeof(*c));
	c->sim = sim;
	c->pdbs = res_of("policy", "v1", "poddisruptionbudgets");
	c->pods = res_of("", "v1", "pods");
	nsq_init(&c->q, sim, c->pdbs, sync_one, c);
	ctrlreg_put(&tag, sim, c);
	simstore_listen(sim->store, c->pdbs, on_event, c);
	simstore_listen(sim->store, c->pods, on_event, c);
	simstore_listen(sim->store, res_of("apps", "v1", "deployments"), on_event, c);
	simstore_listen(sim->store, res_of("apps", "v1", "statefulsets"), on_event, c);
	nsq_mark_all(&c->q);
	return 0;
}

void simpdb_stop(struct sim *sim)
{
	struct simpdbctl *c = ctrlreg_take(&tag, sim);
	if (!c)
		return;
	simstore_unlisten(sim->store, on_event, c);
	nsq_clear(&c->q);
	free(c);
}
