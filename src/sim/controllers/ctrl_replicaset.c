#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ctrl_deployment_int.h"
#include "ctrl_deployment_logic.h"
#include "resourcequota.h"
#include "events.h"
#include "objdefaults.h"
#include "podscope/xalloc.h"
#include "poddelete.h"
#include "sim.h"
#include "simobj.h"

/*
 * The ReplicaSet controller (pkg/controller/replicaset, v1.28): make the
 * active pods number spec.replicas, creating from the template or deleting
 * the pods ActivePodsWithRanks puts first, then write status (replicas,
 * fullyLabeledReplicas, readyReplicas, availableReplicas with
 * minReadySeconds on the simulated clock, observedGeneration).
 */

#define BURST_REPLICAS 500

static const struct simevent_source src = {"replicaset-controller", NULL};

/* One pod of the ReplicaSet, as read at the start of the sync. */
struct rspod {
	char *name;
	const struct simobj *obj; /* borrowed; only until the first write */
	bool active;
	bool ready;
	int64_t ready_since;
};

static bool is_active(const cJSON *pod)
{
	const char *phase = cj_str(cj_path(pod, "status", NULL), "phase");
	if (phase && (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0))
		return false;
	return !cj_path(pod, "metadata", "deletionTimestamp", NULL);
}

/* The pods whose controller is the RS uid (the owner index, checked). */
static size_t load_pods(struct ctrlapps *c, const char *ns, const char *uid, struct rspod **out)
{
	size_t n, k = 0;
	char *const *keys = ownidx_get(&c->pods_by_rs, uid, &n);
	struct rspod *v = xcalloc(n ? n : 1, sizeof(*v));
	char pns[256], name[256];
	for (size_t i = 0; i < n; i++) {
		cj_split_key(keys[i], pns, name);
		const struct simobj *p = simstore_get(c->sim->store, c->pods, pns, name);
		const cJSON *ref = cj_controller_ref(p ? p->json : NULL);
		const char *ruid = cj_str(ref, "uid");
		if (!p || strcmp(pns, ns) != 0 || !ruid || strcmp(ruid, uid) != 0)
			continue;
		v[k].name = xstrdup(name);
		v[k].obj = p;
		v[k].active = is_active(p->json);
		v[k].ready = cj_pod_ready(p->json, &v[k].ready_since);
		k++;
	}
	*out = v;
	return k;
}

/* ClaimPods' release: pods whose labels left the selector are let go. */
static void release_unmatched(struct ctrlapps *c, const struct simobj *rs, const char *uid)
{
	const cJSON *sel = cj_path(rs->json, "spec", "selector", NULL);
	size_t n;
	char *const *keys = ownidx_get(&c->pods_by_rs, uid, &n);
	char **copy = xcalloc(n ? n : 1, sizeof(*copy));
	for (size_t i = 0; i < n; i++)
		copy[i] = xstrdup(keys[i]);
	char ns[256], name[256];
	for (size_t i = 0; i < n; i++) {
		cj_split_key(copy[i], ns, name);
		const struct simobj *p = simstore_get(c->sim->store, c->pods, ns, name);
		const char *ruid = cj_str(cj_controller_ref(p ? p->json : NULL), "uid");
		if (p && ruid && strcmp(ruid, uid) == 0)
			ctrl_release_unmatched(c, c->pods, p, sel, uid);
		free(copy[i]);
	}
	free(copy);
}

static void free_pods(struct rspod *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* GetPodQOSClass, roughly: requests and limits of cpu and memory. */
static const char *qos_class(const cJSON *spec)
{
	bool any = false, guaranteed = true;
	const cJSON *ctr;
	cJSON_ArrayForEach(ctr, cJSON_GetObjectItemCaseSensitive(spec, "containers"))
	{
		const cJSON *lim = cj_path(ctr, "resources", "limits", NULL);
		const cJSON *req = cj_path(ctr, "resources", "requests", NULL);
		if (cJSON_GetArraySize(lim) || cJSON_GetArraySize(req))
			any = true;
		const char *res[] = {"cpu", "memory"};
		for (int i = 0; i < 2; i++) {
			const char *l = cj_str(lim, res[i]), *r = cj_str(req, res[i]);
			if (!l || (r && strcmp(l, r) != 0))
				guaranteed = false;
		}
	}
	if (!any)
		return "BestEffort";
	return guaranteed ? "Guaranteed" : "Burstable";
}

/* GetPodFromTemplate with the RS as controller, stored like a POST would.
 * False when the store refused it (its --max-objects limit), with the
 * FailedCreate event the controller records for a refused create. */
static bool create_pod(struct ctrlapps *c, const struct simobj *rs, char **failure)
{
	const cJSON *tmpl = cj_path(rs->json, "spec", "template", NULL);
	const cJSON *tmeta = cJSON_GetObjectItemCaseSensitive(tmpl, "metadata");
	cJSON *pod = cJSON_CreateObject();
	cJSON *md = cJSON_AddObjectToObject(pod, "metadata");
	char *gen = xasprintf("%s-", rs->name);
	cJSON_AddStringToObject(md, "generateName", gen);
	free(gen);
	cJSON_AddStringToObject(md, "namespace", rs->ns);
	const char *keys[] = {"labels", "annotations", "finalizers"};
	for (int i = 0; i < 3; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(tmeta, keys[i]);
		if (v)
			cJSON_AddItemToObject(md, keys[i], cJSON_Duplicate(v, 1));
	}
	cJSON *refs = cJSON_AddArrayToObject(md, "ownerReferences");
	cJSON *ref = cJSON_CreateObject();
	cJSON_AddStringToObject(ref, "apiVersion", "apps/v1");
	cJSON_AddStringToObject(ref, "kind", "ReplicaSet");
	cJSON_AddStringToObject(ref, "name", rs->name);
	cJSON_AddStringToObject(ref, "uid", cj_str(cj_path(rs->json, "metadata", NULL), "uid"));
	cJSON_AddTrueToObject(ref, "controller");
	cJSON_AddTrueToObject(ref, "blockOwnerDeletion");
	cJSON_AddItemToArray(refs, ref);
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(tmpl, "spec");
	cJSON_AddItemToObject(pod, "spec", spec ? cJSON_Duplicate(spec, 1) : cJSON_CreateObject());
	objdefaults_apply("Pod", pod);
	cJSON *st = cJSON_AddObjectToObject(pod, "status");
	cJSON_AddStringToObject(st, "phase", "Pending");
	cJSON_AddStringToObject(st, "qosClass", qos_class(cJSON_GetObjectItem(pod, "spec")));

	/* The API server's ResourceQuota admission: refused, the controller
	 * records the error (FailedCreate) and the ReplicaFailure condition. */
	char *refused = simquota_admit_pod(c->sim, pod, true);
	if (refused) {
		*failure = xasprintf("pods \"%s-\" is forbidden: %s", rs->name, refused);
		free(refused);
		cJSON_Delete(pod);
		simevents_record(c->sim, rs->json, NULL, &src, "Warning", "FailedCreate",
				 "Error creating: %s", *failure);
		return false;
	}
	struct simobj *made = NULL;
	enum simstore_rc rc = simstore_create(c->sim->store, c->pods, pod, &made);
	if (rc == SIMSTORE_FULL) {
		size_t max = simstore_max_objects(c->sim->store);
		simevents_record(c->sim, rs->json, NULL, &src, "Warning", "FailedCreate",
				 "Error creating: pods \"%s-\" is forbidden: exceeded quota: "
				 "podscope-sim-max-objects, requested: count/pods=1, used: "
				 "count/pods=%zu, limited: count/pods=%zu",
				 rs->name, max, max);
		return false;
	}
	if (rc != SIMSTORE_OK)
		return true;
	/* The event goes on the RS; re-get it, the create may have changed it. */
	char *name = xstrdup(made->name);
	const struct simobj *cur = simstore_get(c->sim->store, c->rss, rs->ns, rs->name);
	if (cur)
		simevents_record(c->sim, cur->json, NULL, &src, "Normal", "SuccessfulCreate",
				 "Created pod: %s", name);
	free(name);
	return true;
}

#define RS_FAILURE_RETRY_MS 10000

/* calculateStatus's ReplicaFailure: set (reason FailedCreate, the error as
 * message) when a create failed and there is none, removed when none did. */
static void rs_replica_failure(cJSON *st, const char *failure, int64_t now)
{
	cJSON *conds = cJSON_GetObjectItemCaseSensitive(st, "conditions");
	cJSON *c, *found = NULL;
	cJSON_ArrayForEach(c, conds)
	{
		const char *t = cj_str(c, "type");
		if (t && strcmp(t, "ReplicaFailure") == 0)
			found = c;
	}
	if (failure && !found) {
		if (!cJSON_IsArray(conds)) {
			cJSON_DeleteItemFromObjectCaseSensitive(st, "conditions");
			conds = cJSON_AddArrayToObject(st, "conditions");
		}
		char when[40];
		simclock_format(now, when, sizeof(when));
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "type", "ReplicaFailure");
		cJSON_AddStringToObject(c, "status", "True");
		cJSON_AddStringToObject(c, "lastTransitionTime", when);
		cJSON_AddStringToObject(c, "reason", "FailedCreate");
		cJSON_AddStringToObject(c, "message", failure);
		cJSON_AddItemToArray(conds, c);
	} else if (!failure && found) {
		cJSON_DetachItemViaPointer(conds, found);
		cJSON_Delete(found);
		if (cJSON_GetArraySize(conds) == 0)
			cJSON_DeleteItemFromObjectCaseSensitive(st, "conditions");
	}
}

/* The pods of every RS with the same controller (getIndirectlyRelatedPods),
 * counted per node when active. */
static int32_t related_on_node(struct ctrlapps *c, const struct simobj *rs, const char *node)
{
	const cJSON *dref = cj_controller_ref(rs->json);
	size_t nrs = 1;
	char *const *rskeys = NULL;
	if (dref && cj_str(dref, "uid"))
		rskeys = ownidx_get(&c->rs_by_dep, cj_str(dref, "uid"), &nrs);
	int32_t count = 0;
	char ns[256], name[256];
	for (size_t r = 0; r < nrs; r++) {
		const struct simobj *o = rs;
		if (rskeys) {
			cj_split_key(rskeys[r], ns, name);
			o = simstore_get(c->sim->store, c->rss, ns, name);
			if (!o)
				continue;
		}
		size_t np;
		const char *uid = cj_str(cj_path(o->json, "metadata", NULL), "uid");
		char *const *pk = ownidx_get(&c->pods_by_rs, uid, &np);
		for (size_t i = 0; i < np; i++) {
			cj_split_key(pk[i], ns, name);
			const struct simobj *p = simstore_get(c->sim->store, c->pods, ns, name);
			if (!p || !is_active(p->json))
				continue;
			const char *pn = cj_str(cj_path(p->json, "spec", NULL), "nodeName");
			if (strcmp(pn ? pn : "", node ? node : "") == 0)
				count++;
		}
	}
	return count;
}

static int32_t max_restarts(const cJSON *pod)
{
	int32_t m = 0;
	const cJSON *cs;
	cJSON_ArrayForEach(cs, cj_path(pod, "status", "containerStatuses", NULL))
	{
		int32_t r = (int32_t)cj_int(cs, "restartCount", 0);
		if (r > m)
			m = r;
	}
	return m;
}

static void delete_pods(struct ctrlapps *c, const struct simobj *rs, struct rspod *pods, size_t n,
			size_t diff)
{
	struct dl_pod *dp = xcalloc(n, sizeof(*dp));
	size_t *idx = xcalloc(n, sizeof(*idx)), na = 0;
	int64_t now = simclock_now(&c->sim->clock);
	for (size_t i = 0; i < n; i++) {
		if (!pods[i].active)
			continue;
		const cJSON *pj = pods[i].obj->json;
		struct dl_pod *p = &dp[na];
		p->name = pods[i].name;
		p->uid = cj_str(cj_path(pj, "metadata", NULL), "uid");
		p->node = cj_str(cj_path(pj, "spec", NULL), "nodeName");
		p->phase = cj_str(cj_path(pj, "status", NULL), "phase");
		p->ready = pods[i].ready;
		p->ready_time = pods[i].ready ? pods[i].ready_since : 0;
		const char *cost = cj_str(cj_path(pj, "metadata", "annotations", NULL),
					  "controller.kubernetes.io/pod-deletion-cost");
		p->deletion_cost = cost ? (int32_t)strtol(cost, NULL, 10) : 0;
		p->restarts = max_restarts(pj);
		p->created_ms = cj_time(cj_path(pj, "metadata", NULL), "creationTimestamp");
		p->rank = related_on_node(c, rs, p->node);
		idx[na] = na;
		na++;
	}
	if (diff < na)
		dl_rank_pods(dp, idx, na, now);
	/* Names first: the deletions below write, so the borrowed objects go. */
	char **victims = xcalloc(diff ? diff : 1, sizeof(*victims));
	size_t nv = 0;
	for (size_t k = 0; k < diff && k < na; k++)
		victims[nv++] = xstrdup(dp[idx[k]].name);
	free(dp);
	free(idx);
	char *ns = xstrdup(rs->ns), *rsname = xstrdup(rs->name);
	for (size_t k = 0; k < nv; k++) {
		if (simpod_delete(c->sim, ns, victims[k], -1, NULL) == SIMSTORE_OK) {
			const struct simobj *cur = simstore_get(c->sim->store, c->rss, ns, rsname);
			if (cur)
				simevents_record(c->sim, cur->json, NULL, &src, "Normal",
						 "SuccessfulDelete", "Deleted pod: %s", victims[k]);
		}
		free(victims[k]);
	}
	free(victims);
	free(ns);
	free(rsname);
}

static bool labels_cover(const cJSON *want, const cJSON *have)
{
	const cJSON *l;
	cJSON_ArrayForEach(l, want)
	{
		const char *v = cj_str(have, l->string);
		if (!cJSON_IsString(l) || !v || strcmp(v, l->valuestring) != 0)
			return false;
	}
	return true;
}

void ctrl_rs_sync(struct ctrlapps *c, const char *key)
{
	char ns[256], name[256];
	cj_split_key(key, ns, name);
	const struct simobj *rs = simstore_get(c->sim->store, c->rss, ns, name);
	if (!rs)
		return;
	const char *uid = cj_str(cj_path(rs->json, "metadata", NULL), "uid");
	if (!uid)
		return;
	char *ruid = xstrdup(uid);
	int64_t want = cj_int(cj_path(rs->json, "spec", NULL), "replicas", 1);
	bool deleting = cj_path(rs->json, "metadata", "deletionTimestamp", NULL) != NULL;

	if (!deleting) {
		release_unmatched(c, rs, ruid);
		if (!(rs = simstore_get(c->sim->store, c->rss, ns, name))) {
			free(ruid);
			return;
		}
	}
	struct rspod *pods;
	size_t n = load_pods(c, ns, ruid, &pods), nactive = 0;
	for (size_t i = 0; i < n; i++)
		nactive += pods[i].active;
	bool changed = false;
	char *failure = NULL; /* manageReplicas' error */
	if (!deleting && (int64_t)nactive < want) {
		int64_t diff = want - (int64_t)nactive;
		if (diff > BURST_REPLICAS)
			diff = BURST_REPLICAS;
		/* slowStartBatch stops at the first error. */
		for (int64_t i = 0; i < diff; i++) {
			bool made = create_pod(c, rs, &failure);
			rs = simstore_get(c->sim->store, c->rss, ns, name);
			if (!rs || !made)
				break;
		}
		changed = true;
	} else if (!deleting && (int64_t)nactive > want) {
		size_t diff = nactive - (size_t)want;
		if (diff > BURST_REPLICAS)
			diff = BURST_REPLICAS;
		delete_pods(c, rs, pods, n, diff);
		changed = true;
	}
	if (changed) {
		/* Status from the pods as they are now (one write, not two). */
		free_pods(pods, n);
		rs = simstore_get(c->sim->store, c->rss, ns, name);
		if (!rs) {
			free(ruid);
			return;
		}
		n = load_pods(c, ns, ruid, &pods);
	}

	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(rs->json, "spec");
	int32_t min_ready = (int32_t)cj_int(spec, "minReadySeconds", 0);
	const cJSON *tlabels = cj_path(spec, "template", "metadata", "labels", NULL);
	int64_t now = simclock_now(&c->sim->clock), next = -1;
	int64_t replicas = 0, fully = 0, ready = 0, available = 0;
	for (size_t i = 0; i < n; i++) {
		if (!pods[i].active)
			continue;
		replicas++;
		if (labels_cover(tlabels, cj_path(pods[i].obj->json, "metadata", "labels", NULL)))
			fully++;
		if (!pods[i].ready)
			continue;
		ready++;
		if (dl_pod_available(true, pods[i].ready_since, min_ready, now))
			available++;
		else if (pods[i].ready_since) {
			int64_t at = pods[i].ready_since + (int64_t)min_ready * 1000 + 1;
			if (next < 0 || at < next)
				next = at;
		}
	}
	free_pods(pods, n);

	cJSON *obj = simobj_copy(rs);
	cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(obj, "status");
	cJSON *st = cJSON_AddObjectToObject(obj, "status");
	cj_set_int(st, "replicas", replicas);
	if (fully)
		cj_set_int(st, "fullyLabeledReplicas", fully);
	if (ready)
		cj_set_int(st, "readyReplicas", ready);
	if (available)
		cj_set_int(st, "availableReplicas", available);
	int64_t gen = cj_int(cj_path(rs->json, "metadata", NULL), "generation", 0);
	if (gen)
		cj_set_int(st, "observedGeneration", gen);
	const cJSON *conds = cJSON_GetObjectItemCaseSensitive(old, "conditions");
	if (conds)
		cJSON_AddItemToObject(st, "conditions", cJSON_Duplicate(conds, 1));
	cJSON_Delete(old);
	rs_replica_failure(st, failure, now);
	simstore_update(c->sim->store, c->rss, obj, 0, NULL);
	/* A refused create is tried again (the queue's rate limiter). */
	if (failure && (next < 0 || now + RS_FAILURE_RETRY_MS < next))
		next = now + RS_FAILURE_RETRY_MS;
	free(failure);
	if (next > 0)
		ctrlapps_wake_at(c, 'r', key, next);
	free(ruid);
}
