#include "config.h"

#include <string.h>

#include "ctrl_daemonset_int.h"
#include "nodefit.h"
#include "simobj.h"

/*
 * pkg/controller/daemon/util (daemonset_util.go) and
 * NodeShouldRunDaemonPod with its predicates (daemon_controller.go).
 */

static bool same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* v1helper.AddOrUpdateTolerationInPodSpec: an equal toleration (MatchToleration:
 * key, operator, value, effect) is kept, else it is appended. */
static void add_toleration(cJSON *spec, const char *key, const char *effect)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(spec, "tolerations");
	if (!cJSON_IsArray(list)) {
		cJSON_DeleteItemFromObjectCaseSensitive(spec, "tolerations");
		list = cJSON_AddArrayToObject(spec, "tolerations");
	}
	const cJSON *t;
	cJSON_ArrayForEach(t, list)
	{
		if (same(cj_str(t, "key"), key) && same(cj_str(t, "operator"), "Exists") &&
		    same(cj_str(t, "value"), NULL) && same(cj_str(t, "effect"), effect))
			return;
	}
	cJSON *n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "key", key);
	cJSON_AddStringToObject(n, "operator", "Exists");
	cJSON_AddStringToObject(n, "effect", effect);
	cJSON_AddItemToArray(list, n);
}

void dsutil_add_tolerations(cJSON *spec)
{
	/* DaemonSet pods survive the node controller's taint-based eviction
	 * and run on cordoned or pressured nodes. */
	add_toleration(spec, SIMNODE_TAINT_NOT_READY, "NoExecute");
	add_toleration(spec, "node.kubernetes.io/unreachable", "NoExecute");
	add_toleration(spec, "node.kubernetes.io/disk-pressure", "NoSchedule");
	add_toleration(spec, "node.kubernetes.io/memory-pressure", "NoSchedule");
	add_toleration(spec, "node.kubernetes.io/pid-pressure", "NoSchedule");
	add_toleration(spec, SIMNODE_TAINT_UNSCHEDULABLE, "NoSchedule");
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(spec, "hostNetwork")))
		add_toleration(spec, "node.kubernetes.io/network-unavailable", "NoSchedule");
}

cJSON *dsutil_new_pod_spec(const cJSON *ds)
{
	const cJSON *tspec = cj_path(ds, "spec", "template", "spec", NULL);
	cJSON *spec = tspec ? cJSON_Duplicate(tspec, 1) : cJSON_CreateObject();
	dsutil_add_tolerations(spec);
	return spec;
}

void dsutil_node_fits(const cJSON *spec, const cJSON *node, bool *should_run, bool *should_continue)
{
	*should_run = *should_continue = false;
	const char *want = cj_str(spec, "nodeName");
	const char *name = cj_str(cj_path(node, "metadata", NULL), "name");
	if ((want && *want && !same(want, name)) || !simnode_affinity_matches(spec, node))
		return;
	cJSON *taints = simnode_taints(node);
	const cJSON *tols = cJSON_GetObjectItemCaseSensitive(spec, "tolerations");
	bool fits = !simnode_untolerated(taints, tols, SIMNODE_NO_SCHEDULE | SIMNODE_NO_EXECUTE);
	*should_run = fits;
	/* Scheduled pods keep running where they tolerate the NoExecute taints. */
	*should_continue = fits || !simnode_untolerated(taints, tols, SIMNODE_NO_EXECUTE);
	cJSON_Delete(taints);
}

void dsutil_should_run(const cJSON *ds, const cJSON *node, bool *should_run, bool *should_continue)
{
	cJSON *spec = dsutil_new_pod_spec(ds);
	dsutil_node_fits(spec, node, should_run, should_continue);
	cJSON_Delete(spec);
}

void dsutil_pin_to_node(cJSON *spec, const char *node)
{
	cJSON *req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "key", "metadata.name");
	cJSON_AddStringToObject(req, "operator", "In");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "values"), cJSON_CreateString(node));
	cJSON *term = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(term, "matchFields"), req);
	cJSON *na = simjson_object(simjson_object(spec, "affinity"), "nodeAffinity");
	cJSON *sel = simjson_object(na, "requiredDuringSchedulingIgnoredDuringExecution");
	/* Only the terms are replaced: nothing else in the node selector. */
	cJSON_DeleteItemFromObjectCaseSensitive(sel, "nodeSelectorTerms");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(sel, "nodeSelectorTerms"), term);
}

const char *dsutil_target_node(const cJSON *pod)
{
	const char *n = cj_str(cj_path(pod, "spec", NULL), "nodeName");
	if (n && *n)
		return n;
	const cJSON *term, *f;
	cJSON_ArrayForEach(term, cj_path(pod, "spec", "affinity", "nodeAffinity",
					 "requiredDuringSchedulingIgnoredDuringExecution",
					 "nodeSelectorTerms", NULL))
	{
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(term, "matchFields"))
		{
			if (!same(cj_str(f, "key"), "metadata.name") ||
			    !same(cj_str(f, "operator"), "In"))
				continue;
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(f, "values");
			if (cJSON_GetArraySize(v) != 1 || !cJSON_IsString(v->child))
				return NULL;
			return v->child->valuestring;
		}
	}
	return NULL;
}

bool dsutil_pod_updated(const cJSON *pod, const char *hash, const char *gen)
{
	const cJSON *labels = cj_path(pod, "metadata", "labels", NULL);
	const char *h = cj_str(labels, DS_HASH_LABEL), *g = cj_str(labels, DS_GENERATION_LABEL);
	return (hash && *hash && same(h, hash)) || (gen && g && strcmp(g, gen) == 0);
}
