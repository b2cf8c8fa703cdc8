#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "disruption.h"
#include "events.h"
#include "nodefit.h"
#include "resources.h"
#include "scenario_int.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"

/*
 * The steps on nodes. node-not-ready: the kubelet reports the node NotReady
 * (Ready False, reason KubeletNotReady) and the node lifecycle controller
 * taints it node.kubernetes.io/not-ready, NoSchedule (TaintNodesByCondition)
 * and NoExecute (with timeAdded); node-ready undoes both. The pods on it are
 * not evicted (no taint-based eviction in the sim). drain: one pass of
 * kubectl drain --ignore-daemonsets: cordon, then an eviction for every pod
 * on the node that no DaemonSet owns; the ones a budget refuses stay (repeat
 * the step as kubectl retries), each with a Warning event EvictionBlocked
 * carrying the 429's message and cause, as drain controllers (node
 * upgraders, autoscalers) report it; kubectl drain itself only prints it.
 */

static int fail(struct perr *err, long status, const char *msg)
{
	perr_set(err, PERR_API, "%s", msg);
	err->http_status = status;
	return -1;
}

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static void set_ready(cJSON *node, bool ready, const char *msg, const char *when)
{
	cJSON *st = simjson_object(node, "status");
	cJSON *conds = cJSON_GetObjectItemCaseSensitive(st, "conditions");
	if (!cJSON_IsArray(conds)) {
		cJSON_DeleteItemFromObjectCaseSensitive(st, "conditions");
		conds = cJSON_AddArrayToObject(st, "conditions");
	}
	cJSON *c, *found = NULL;
	cJSON_ArrayForEach(c, conds)
	{
		const char *t = simjson_string(c, "type");
		if (t && strcmp(t, "Ready") == 0)
			found = c;
	}
	const char *status = ready ? "True" : "False";
	if (found) {
		const char *old = simjson_string(found, "status");
		if (old && strcmp(old, status) == 0)
			return;
		cJSON_DetachItemViaPointer(conds, found);
		cJSON_Delete(found);
	}
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "type", "Ready");
	cJSON_AddStringToObject(c, "status", status);
	cJSON_AddStringToObject(c, "lastHeartbeatTime", when);
	cJSON_AddStringToObject(c, "lastTransitionTime", when);
	cJSON_AddStringToObject(c, "reason", ready ? "KubeletReady" : "KubeletNotReady");
	cJSON_AddStringToObject(c, "message", ready ? "kubelet is posting ready status" : msg);
	cJSON_AddItemToArray(conds, c);
}

static void set_taints(cJSON *node, bool ready, const char *when)
{
	cJSON *spec = simjson_object(node, "spec");
	cJSON *taints = cJSON_GetObjectItemCaseSensitive(spec, "taints");
	if (!cJSON_IsArray(taints)) {
		cJSON_DeleteItemFromObjectCaseSensitive(spec, "taints");
		taints = cJSON_AddArrayToObject(spec, "taints");
	}
	/* Drop the not-ready taints, then add them back when NotReady. */
	cJSON *t = taints->child;
	while (t) {
		cJSON *next = t->next;
		const char *k = simjson_string(t, "key");
		if (k && strcmp(k, SIMNODE_TAINT_NOT_READY) == 0)
			cJSON_Delete(cJSON_DetachItemViaPointer(taints, t));
		t = next;
	}
	if (!ready) {
		t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "key", SIMNODE_TAINT_NOT_READY);
		cJSON_AddStringToObject(t, "effect", "NoSchedule");
		cJSON_AddItemToArray(taints, t);
		t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "key", SIMNODE_TAINT_NOT_READY);
		cJSON_AddStringToObject(t, "effect", "NoExecute");
		cJSON_AddStringToObject(t, "timeAdded", when);
		cJSON_AddItemToArray(taints, t);
	}
	if (cJSON_GetArraySize(taints) == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(spec, "taints");
}

static bool daemonset_pod(const cJSON *pod)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, get(get(pod, "metadata"), "ownerReferences"))
	{
		const char *k = simjson_string(r, "kind");
		if (cJSON_IsTrue(get(r, "controller")) && k && strcmp(k, "DaemonSet") == 0)
			return true;
	}
	return false;
}

static void drain(struct sim *sim, const char *node)
{
	const struct simres *pods = simres_find("", "v1", "pods");
	struct simsnap *s = simstore_snapshot(sim->store, pods);
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *p = s->items[i]->json;
		const char *n = simjson_string(get(p, "spec"), "nodeName");
		if (!n || strcmp(n, node) != 0 || daemonset_pod(p) ||
		    get(get(p, "metadata"), "deletionTimestamp"))
			continue;
		struct simevict e;
		simpdb_evict(sim, s->items[i]->ns, s->items[i]->name, -1, &e);
		if (e.code == 429) {
			const struct simevent_source src = {"node-drain", node};
			simevents_record(sim, p, NULL, &src, "Warning", "EvictionBlocked", "%s%s%s",
					 e.message ? e.message : "", e.cause ? " " : "",
					 e.cause ? e.cause : "");
		}
		simevict_clear(&e);
	}
	simsnap_unref(s);
}

int simstep_run_node(struct sim *sim, const struct simstep *s, struct perr *err)
{
	struct simobj *o = simstore_get(sim->store, s->res, NULL, s->name);
	if (!o)
		return fail(err, 404, "no such node");
	char when[40];
	simclock_format(simclock_now(&sim->clock), when, sizeof(when));
	cJSON *node = simobj_copy(o);
	if (s->act == SIMACT_DRAIN) {
		cJSON_DeleteItemFromObjectCaseSensitive(simjson_object(node, "spec"), "unschedulable");
		cJSON_AddTrueToObject(simjson_object(node, "spec"), "unschedulable");
	} else {
		bool ready = s->act == SIMACT_NODE_READY;
		const char *msg = simjson_string(s->spec, "message");
		set_ready(node, ready, msg ? msg : "container runtime is down", when);
		set_taints(node, ready, when);
	}
	if (simstore_update(sim->store, s->res, node, 0, NULL) != SIMSTORE_OK)
		return fail(err, 409, "the node could not be updated");
	if (s->act == SIMACT_DRAIN)
		drain(sim, s->name);
	return 0;
}
