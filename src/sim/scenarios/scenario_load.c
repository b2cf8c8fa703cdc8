#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "ctrl_deployment_logic.h"
#include "objdefaults.h"
#include "scenario_int.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"

/*
 * The `load` scenario: N deployments with M pods between them, made
 * directly in the store as a settled cluster would hold them (each
 * Deployment complete, its one ReplicaSet with the controller's hash and
 * annotations, every pod bound, Running and Ready), so that the controllers
 * and kubelets find nothing to do and the simulator starts in seconds even
 * at 100,000 pods. Deployments are spread over namespaces of 100.
 */

#define PER_NAMESPACE 100

static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";

static void suffix(unsigned long v, char out[6])
{
	for (int i = 4; i >= 0; i--) {
		out[i] = alphabet[v % 27];
		v /= 27;
	}
	out[5] = '\0';
}

static cJSON *owner(const char *kind, const struct simobj *o)
{
	cJSON *refs = cJSON_CreateArray();
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "apiVersion", "apps/v1");
	cJSON_AddStringToObject(r, "kind", kind);
	cJSON_AddStringToObject(r, "name", o->name);
	cJSON_AddStringToObject(r, "uid",
				simjson_string(simjson_object(o->json, "metadata"), "uid"));
	cJSON_AddTrueToObject(r, "controller");
	cJSON_AddTrueToObject(r, "blockOwnerDeletion");
	cJSON_AddItemToArray(refs, r);
	return refs;
}

static cJSON *parse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static cJSON *parse(const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return cJSON_Parse(buf);
}

static struct simobj *make_deployment(struct sim *sim, const char *ns, const char *name, int reps)
{
	cJSON *d = parse(
	    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"%s\","
	    "\"namespace\":\"%s\",\"labels\":{\"app\":\"%s\"},\"annotations\":"
	    "{\"deployment.kubernetes.io/revision\":\"1\"}},\"spec\":{\"replicas\":%d,"
	    "\"selector\":{\"matchLabels\":{\"app\":\"%s\"}},\"template\":{\"metadata\":"
	    "{\"labels\":{\"app\":\"%s\"}},\"spec\":{\"containers\":[{\"name\":\"app\","
	    "\"image\":\"nginx:1.27\",\"ports\":[{\"containerPort\":80}]}]}}}}",
	    name, ns, name, reps, name, name);
	objdefaults_apply("Deployment", d);
	struct simobj *out = NULL;
	simstore_create(sim->store, simres_find("apps", "v1", "deployments"), d, &out);
	return out;
}

static void set_deploy_status(struct sim *sim, const struct simobj *dep, const char *rs, int reps,
			      const char *now)
{
	cJSON *d = simobj_copy(dep);
	cJSON_DeleteItemFromObjectCaseSensitive(d, "status");
	cJSON *st = parse("{\"observedGeneration\":1,\"replicas\":%d,\"updatedReplicas\":%d,"
			  "\"readyReplicas\":%d,\"availableReplicas\":%d,\"conditions\":["
			  "{\"type\":\"Available\",\"status\":\"True\",\"lastUpdateTime\":\"%s\","
			  "\"lastTransitionTime\":\"%s\",\"reason\":\"MinimumReplicasAvailable\","
			  "\"message\":\"Deployment has minimum availability.\"},"
			  "{\"type\":\"Progressing\",\"status\":\"True\",\"lastUpdateTime\":\"%s\","
			  "\"lastTransitionTime\":\"%s\",\"reason\":\"NewReplicaSetAvailable\","
			  "\"message\":\"ReplicaSet \\\"%s\\\" has successfully progressed.\"}]}",
			  reps, reps, reps, reps, now, now, now, now, rs);
	if (reps == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(st, "readyReplicas");
	cJSON_AddItemToObject(d, "status", st);
	simstore_update(sim->store, dep->res, d, 0, NULL);
}

static struct simobj *make_rs(struct sim *sim, const struct simobj *dep, const char *hash, int reps,
			      char *rsname, size_t len)
{
	const cJSON *tmpl = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(dep->json, "spec"), "template");
	snprintf(rsname, len, "%s-%s", dep->name, hash);
	int surge = (reps + 3) / 4;
	cJSON *rs = parse(
	    "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"%s\","
	    "\"namespace\":\"%s\",\"labels\":{\"app\":\"%s\",\"pod-template-hash\":\"%s\"},"
	    "\"annotations\":{\"deployment.kubernetes.io/desired-replicas\":\"%d\","
	    "\"deployment.kubernetes.io/max-replicas\":\"%d\","
	    "\"deployment.kubernetes.io/revision\":\"1\"}},\"spec\":{\"replicas\":%d,"
	    "\"selector\":{\"matchLabels\":{\"app\":\"%s\",\"pod-template-hash\":\"%s\"}}},"
	    "\"status\":{\"replicas\":%d,\"fullyLabeledReplicas\":%d,\"readyReplicas\":%d,"
	    "\"availableReplicas\":%d,\"observedGeneration\":1}}",
	    rsname, dep->ns, dep->name, hash, reps, reps + surge, reps, dep->name, hash, reps, reps,
	    reps, reps);
	cJSON *t = cJSON_Duplicate(tmpl, 1);
	simjson_set_string(simjson_object(simjson_object(t, "metadata"), "labels"),
			   "pod-template-hash", hash);
	cJSON_AddItemToObject(simjson_object(rs, "spec"), "template", t);
	cJSON_AddItemToObject(simjson_object(rs, "metadata"), "ownerReferences",
			      owner("Deployment", dep));
	struct simobj *out = NULL;
	simstore_create(sim->store, simres_find("apps", "v1", "replicasets"), rs, &out);
	return out;
}

/* A pod as the kubelet leaves it once it runs and is ready; the names are set per copy. */
static cJSON *pod_template(const struct simobj *rs, const char *now)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(rs->json, "spec"), "template");
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "apiVersion", "v1");
	cJSON_AddStringToObject(p, "kind", "Pod");
	cJSON *md = cJSON_AddObjectToObject(p, "metadata");
	cJSON_AddStringToObject(md, "name", "");
	cJSON_AddStringToObject(md, "generateName", "");
	cJSON_AddStringToObject(md, "namespace", rs->ns);
	cJSON_AddItemToObject(
	    md, "labels",
	    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(t, "metadata"), "labels"),
			    1));
	cJSON_AddItemToObject(md, "ownerReferences", owner("ReplicaSet", rs));
	cJSON *spec = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(t, "spec"), 1);
	cJSON_AddItemToObject(p, "spec", spec);
	objdefaults_apply("Pod", p);
	simjson_set_string(spec, "nodeName", "");
	cJSON *st = parse(
	    "{\"phase\":\"Running\",\"conditions\":["
	    "{\"type\":\"PodReadyToStartContainers\",\"status\":\"True\",\"lastProbeTime\":null,"
	    "\"lastTransitionTime\":\"%s\"},"
	    "{\"type\":\"Initialized\",\"status\":\"True\",\"lastProbeTime\":null,"
	    "\"lastTransitionTime\":\"%s\"},"
	    "{\"type\":\"Ready\",\"status\":\"True\",\"lastProbeTime\":null,"
	    "\"lastTransitionTime\":\"%s\"},"
	    "{\"type\":\"ContainersReady\",\"status\":\"True\",\"lastProbeTime\":null,"
	    "\"lastTransitionTime\":\"%s\"},"
	    "{\"type\":\"PodScheduled\",\"status\":\"True\",\"lastProbeTime\":null,"
	    "\"lastTransitionTime\":\"%s\"}],\"hostIP\":\"\",\"podIP\":\"\",\"startTime\":\"%s\","
	    "\"containerStatuses\":[{\"name\":\"app\",\"state\":{\"running\":{\"startedAt\":"
	    "\"%s\"}},\"lastState\":{},\"ready\":true,\"restartCount\":0,\"image\":"
	    "\"docker.io/library/nginx:1.27\",\"imageID\":\"docker.io/library/nginx@sha256:"
	    "0000000000000000000000000000000000000000000000000000000000000000\","
	    "\"containerID\":\"\",\"started\":true}],\"qosClass\":\"BestEffort\"}",
	    now, now, now, now, now, now, now);
	cJSON_AddItemToObject(p, "status", st);
	return p;
}

static void make_pods(struct sim *sim, const struct simobj *rs, int reps, const char *now,
		      unsigned long *serial)
{
	const struct simres *pods = simres_find("", "v1", "pods");
	cJSON *tmpl = pod_template(rs, now);
	int nodes = sim->cfg.nodes > 0 ? sim->cfg.nodes : 1;
	for (int i = 0; i < reps; i++) {
		unsigned long k = ++*serial;
		cJSON *p = cJSON_Duplicate(tmpl, 1);
		cJSON *md = cJSON_GetObjectItemCaseSensitive(p, "metadata");
		char sfx[6], buf[300];
		suffix(k * 7919u, sfx);
		snprintf(buf, sizeof(buf), "%s-%s", rs->name, sfx);
		cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(md, "name"), buf);
		snprintf(buf, sizeof(buf), "%s-", rs->name);
		cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(md, "generateName"), buf);
		int node = (int)(k % (unsigned long)nodes) + 1;
		snprintf(buf, sizeof(buf), "sim-node-%d", node);
		cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(
					 cJSON_GetObjectItemCaseSensitive(p, "spec"), "nodeName"),
				     buf);
		cJSON *st = cJSON_GetObjectItemCaseSensitive(p, "status");
		snprintf(buf, sizeof(buf), "172.18.0.%d", (node + 1) % 256);
		cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(st, "hostIP"), buf);
		snprintf(buf, sizeof(buf), "10.%lu.%lu.%lu", 64 + (k >> 16) % 64, (k >> 8) & 255,
			 k & 255);
		cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(st, "podIP"), buf);
		snprintf(buf, sizeof(buf), "containerd://%016lx%048lx", k, k * 2654435761u);
		cJSON_SetValuestring(
		    cJSON_GetObjectItemCaseSensitive(
			cJSON_GetArrayItem(
			    cJSON_GetObjectItemCaseSensitive(st, "containerStatuses"), 0),
			"containerID"),
		    buf);
		simstore_create(sim->store, pods, p, NULL);
	}
	cJSON_Delete(tmpl);
}

int simscen_make_load(struct sim *sim, int deployments, int pods, struct perr *err)
{
	if (deployments < 1 || pods < 0) {
		perr_set(err, PERR_USAGE, "load: at least one deployment is needed");
		return -1;
	}
	char now[40];
	simclock_format(simclock_now(&sim->clock), now, sizeof(now));
	unsigned long serial = 0;
	for (int d = 0; d < deployments; d++) {
		char ns[32], name[32], rsname[64], hash[11];
		snprintf(ns, sizeof(ns), "load-%d", d / PER_NAMESPACE + 1);
		snprintf(name, sizeof(name), "load-%05d", d + 1);
		if (simstore_get(sim->store, simres_find("apps", "v1", "deployments"), ns, name)) {
			perr_set(err, PERR_CONFIG, "load: deployments \"%s\" already exists", name);
			return -1;
		}
		simscen_ensure_namespace(sim->store, ns);
		int reps = pods / deployments + (d < pods % deployments ? 1 : 0);
		struct simobj *dep = make_deployment(sim, ns, name, reps);
		if (!dep)
			continue;
		dep = simobj_ref(dep);
		dl_template_hash(
		    cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(dep->json, "spec"), "template"),
		    -1, hash);
		struct simobj *rs = make_rs(sim, dep, hash, reps, rsname, sizeof(rsname));
		if (rs) {
			rs = simobj_ref(rs);
			make_pods(sim, rs, reps, now, &serial);
			simobj_unref(rs);
		}
		set_deploy_status(sim, dep, rsname, reps, now);
		simobj_unref(dep);
	}
	return 0;
}
