#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "ctrl_daemonset_int.h"
#include "ctrl_deployment_logic.h"
#include "ctrl_history.h"
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
/* The set controllers look at every pod of a set's namespace on each sync. */
#define SETS_PER_NAMESPACE 10

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
static cJSON *pod_template(const char *kind, const struct simobj *rs, const char *now)
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
	cJSON_AddItemToObject(md, "ownerReferences", owner(kind, rs));
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

/* Bind a pod copy to sim-node-NODE with the addresses its kubelet gives it (k: a serial). */
static void place(cJSON *p, int node, unsigned long k)
{
	char buf[120];
	snprintf(buf, sizeof(buf), "sim-node-%d", node);
	cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(
				 cJSON_GetObjectItemCaseSensitive(p, "spec"), "nodeName"),
			     buf);
	cJSON *st = cJSON_GetObjectItemCaseSensitive(p, "status");
	snprintf(buf, sizeof(buf), "172.18.0.%d", (node + 1) % 256);
	cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(st, "hostIP"), buf);
	snprintf(buf, sizeof(buf), "10.%lu.%lu.%lu", 64 + (k >> 16) % 64, (k >> 8) & 255, k & 255);
	cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(st, "podIP"), buf);
	snprintf(buf, sizeof(buf), "containerd://%016lx%048lx", k, k * 2654435761u);
	cJSON_SetValuestring(
	    cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(st, "containerStatuses"), 0),
		"containerID"),
	    buf);
}

/* A copy of tmpl named as generateName BASE- gives it (k: a serial). */
static cJSON *generated_copy(const cJSON *tmpl, const char *base, unsigned long k)
{
	cJSON *p = cJSON_Duplicate(tmpl, 1);
	cJSON *md = cJSON_GetObjectItemCaseSensitive(p, "metadata");
	char sfx[6], buf[300];
	suffix(k * 7919u, sfx);
	snprintf(buf, sizeof(buf), "%s-%s", base, sfx);
	cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(md, "name"), buf);
	snprintf(buf, sizeof(buf), "%s-", base);
	cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(md, "generateName"), buf);
	return p;
}

static void make_pods(struct sim *sim, const struct simobj *rs, int reps, const char *now,
		      unsigned long *serial)
{
	const struct simres *pods = simres_find("", "v1", "pods");
	cJSON *tmpl = pod_template("ReplicaSet", rs, now);
	int nodes = sim->cfg.nodes > 0 ? sim->cfg.nodes : 1;
	for (int i = 0; i < reps; i++) {
		unsigned long k = ++*serial;
		cJSON *p = generated_copy(tmpl, rs->name, k);
		place(p, (int)(k % (unsigned long)nodes) + 1, k);
		simstore_create(sim->store, pods, p, NULL);
	}
	cJSON_Delete(tmpl);
}

static void set_status(struct sim *sim, const struct simobj *o, cJSON *st)
{
	cJSON *d = simobj_copy(o);
	cJSON_DeleteItemFromObjectCaseSensitive(d, "status");
	cJSON_AddItemToObject(d, "status", st);
	simstore_update(sim->store, o->res, d, 0, NULL);
}

/* A StatefulSet or DaemonSet of that name, made and defaulted; a new reference. */
static struct simobj *make_set(struct sim *sim, const char *resource, const char *kind,
			       const char *ns, const char *name, int reps)
{
	cJSON *d =
	    parse("{\"apiVersion\":\"apps/v1\",\"kind\":\"%s\",\"metadata\":{\"name\":\"%s\","
		  "\"namespace\":\"%s\",\"labels\":{\"app\":\"%s\"}},\"spec\":{"
		  "\"selector\":{\"matchLabels\":{\"app\":\"%s\"}},\"template\":{\"metadata\":"
		  "{\"labels\":{\"app\":\"%s\"}},\"spec\":{\"containers\":[{\"name\":\"app\","
		  "\"image\":\"nginx:1.27\",\"ports\":[{\"containerPort\":80}]}]}}}}",
		  kind, name, ns, name, name, name);
	if (reps >= 0) {
		cJSON *spec = simjson_object(d, "spec");
		cJSON_AddNumberToObject(spec, "replicas", reps);
		cJSON_AddStringToObject(spec, "serviceName", name);
	} else {
		/* What the API server's create gives a DaemonSet (see api_write_prep.c). */
		cJSON_AddItemToObject(
		    simjson_object(d, "metadata"), "annotations",
		    parse("{\"deprecated.daemonset.template.generation\":\"1\"}"));
	}
	objdefaults_apply(kind, d);
	struct simobj *out = NULL;
	if (simstore_create(sim->store, simres_find("apps", "v1", resource), d, &out) !=
		SIMSTORE_OK ||
	    !out)
		return NULL;
	return simobj_ref(out);
}

/* The set's one ControllerRevision as its controller names it; hash gets the
 * hash, the revision's name is returned (caller frees). */
static char *make_revision(struct sim *sim, const struct simobj *set, bool probe,
			   char hash[SIMHIST_HASH_LEN])
{
	char *raw = simhist_patch(set->json);
	int32_t zero = 0;
	simhist_hash(raw, strlen(raw), probe ? &zero : NULL, hash);
	char *name = simhist_name(set->name, hash);
	cJSON *cr = parse("{\"apiVersion\":\"apps/v1\",\"kind\":\"ControllerRevision\","
			  "\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"labels\":"
			  "{\"app\":\"%s\",\"controller-revision-hash\":\"%s\"}},\"revision\":1}",
			  name, set->ns, set->name, hash);
	cJSON_AddItemToObject(
	    simjson_object(cr, "metadata"), "ownerReferences",
	    owner(cJSON_GetObjectItemCaseSensitive(set->json, "kind")->valuestring, set));
	cJSON_AddItemToObject(cr, "data", cJSON_Parse(raw));
	free(raw);
	simstore_create(sim->store, simres_find("apps", "v1", "controllerrevisions"), cr, NULL);
	return name;
}

/* A settled StatefulSet: pods NAME-0 ... by ordinal on revision 1. */
static void make_statefulset(struct sim *sim, const char *ns, const char *name, int reps,
			     const char *now, unsigned long *serial)
{
	struct simobj *set = make_set(sim, "statefulsets", "StatefulSet", ns, name, reps);
	if (!set)
		return;
	char hash[SIMHIST_HASH_LEN];
	char *rev = make_revision(sim, set, true, hash);
	const struct simres *pods = simres_find("", "v1", "pods");
	cJSON *tmpl = pod_template("StatefulSet", set, now);
	cJSON *md = cJSON_GetObjectItemCaseSensitive(tmpl, "metadata");
	cJSON_DeleteItemFromObjectCaseSensitive(md, "generateName");
	cJSON *labels = simjson_object(md, "labels");
	simjson_set_string(labels, "controller-revision-hash", rev);
	simjson_set_string(labels, "statefulset.kubernetes.io/pod-name", "");
	simjson_set_string(labels, "apps.kubernetes.io/pod-index", "");
	cJSON *spec = cJSON_GetObjectItemCaseSensitive(tmpl, "spec");
	simjson_set_string(spec, "hostname", "");
	simjson_set_string(spec, "subdomain", name);
	int nodes = sim->cfg.nodes > 0 ? sim->cfg.nodes : 1;
	for (int i = 0; i < reps; i++) {
		unsigned long k = ++*serial;
		cJSON *p = cJSON_Duplicate(tmpl, 1);
		cJSON *pmd = cJSON_GetObjectItemCaseSensitive(p, "metadata");
		cJSON *pl = cJSON_GetObjectItemCaseSensitive(pmd, "labels");
		char pname[300], ord[16];
		snprintf(pname, sizeof(pname), "%s-%d", name, i);
		snprintf(ord, sizeof(ord), "%d", i);
		cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(pmd, "name"), pname);
		cJSON_SetValuestring(
		    cJSON_GetObjectItemCaseSensitive(pl, "statefulset.kubernetes.io/pod-name"),
		    pname);
		cJSON_SetValuestring(
		    cJSON_GetObjectItemCaseSensitive(pl, "apps.kubernetes.io/pod-index"), ord);
		cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(
					 cJSON_GetObjectItemCaseSensitive(p, "spec"), "hostname"),
				     pname);
		place(p, (int)(k % (unsigned long)nodes) + 1, k);
		simstore_create(sim->store, pods, p, NULL);
	}
	cJSON_Delete(tmpl);
	cJSON *st = parse("{\"observedGeneration\":1,\"replicas\":%d,\"readyReplicas\":%d,"
			  "\"currentReplicas\":%d,\"updatedReplicas\":%d,\"currentRevision\":"
			  "\"%s\",\"updateRevision\":\"%s\",\"collisionCount\":0,"
			  "\"availableReplicas\":%d}",
			  reps, reps, reps, reps, rev, rev, reps);
	set_status(sim, set, st);
	free(rev);
	simobj_unref(set);
}

/* A settled DaemonSet: one pod on every node, pinned as its controller pins them. */
static void make_daemonset(struct sim *sim, const char *ns, const char *name, const char *now,
			   unsigned long *serial)
{
	struct simobj *set = make_set(sim, "daemonsets", "DaemonSet", ns, name, -1);
	if (!set)
		return;
	char hash[SIMHIST_HASH_LEN];
	free(make_revision(sim, set, false, hash));
	const struct simres *pods = simres_find("", "v1", "pods");
	cJSON *tmpl = pod_template("DaemonSet", set, now);
	cJSON *labels =
	    simjson_object(cJSON_GetObjectItemCaseSensitive(tmpl, "metadata"), "labels");
	simjson_set_string(labels, "controller-revision-hash", hash);
	simjson_set_string(labels, "pod-template-generation", "1");
	dsutil_add_tolerations(cJSON_GetObjectItemCaseSensitive(tmpl, "spec"));
	int nodes = sim->cfg.nodes > 0 ? sim->cfg.nodes : 1;
	for (int n = 1; n <= nodes; n++) {
		unsigned long k = ++*serial;
		cJSON *p = generated_copy(tmpl, name, k);
		char buf[32];
		snprintf(buf, sizeof(buf), "sim-node-%d", n);
		dsutil_pin_to_node(cJSON_GetObjectItemCaseSensitive(p, "spec"), buf);
		place(p, n, k);
		simstore_create(sim->store, pods, p, NULL);
	}
	cJSON_Delete(tmpl);
	cJSON *st = parse("{\"currentNumberScheduled\":%d,\"numberMisscheduled\":0,"
			  "\"desiredNumberScheduled\":%d,\"numberReady\":%d,"
			  "\"observedGeneration\":1,\"updatedNumberScheduled\":%d,"
			  "\"numberAvailable\":%d}",
			  nodes, nodes, nodes, nodes, nodes);
	set_status(sim, set, st);
	simobj_unref(set);
}

/* Pods of workload i of n when pods are shared out evenly, the first ones taking the rest. */
static int share(int pods, int n, int i)
{
	return pods / n + (i < pods % n ? 1 : 0);
}

static bool taken(struct sim *sim, const char *resource, const char *ns, const char *name,
		  struct perr *err)
{
	if (!simstore_get(sim->store, simres_find("apps", "v1", resource), ns, name))
		return false;
	perr_set(err, PERR_CONFIG, "load: %s \"%s\" already exists", resource, name);
	return true;
}

int simscen_make_load(struct sim *sim, const struct simload *l, struct perr *err)
{
	int workloads = l->deployments + l->statefulsets;
	if (l->deployments < 0 || l->statefulsets < 0 || l->daemonsets < 0 || l->pods < 0 ||
	    (workloads < 1 && l->daemonsets < 1)) {
		perr_set(err, PERR_USAGE, "load: at least one deployment or set is needed");
		return -1;
	}
	char now[40];
	simclock_format(simclock_now(&sim->clock), now, sizeof(now));
	unsigned long serial = 0;
	for (int d = 0; d < l->deployments; d++) {
		char ns[32], name[32], rsname[64], hash[11];
		snprintf(ns, sizeof(ns), "load-%d", d / PER_NAMESPACE + 1);
		snprintf(name, sizeof(name), "load-%05d", d + 1);
		if (taken(sim, "deployments", ns, name, err))
			return -1;
		simscen_ensure_namespace(sim->store, ns);
		int reps = share(l->pods, workloads, d);
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
	for (int i = 0; i < l->statefulsets; i++) {
		char ns[32], name[32];
		snprintf(ns, sizeof(ns), "load-%d", i / SETS_PER_NAMESPACE + 1);
		snprintf(name, sizeof(name), "load-sts-%05d", i + 1);
		if (taken(sim, "statefulsets", ns, name, err))
			return -1;
		simscen_ensure_namespace(sim->store, ns);
		make_statefulset(sim, ns, name, share(l->pods, workloads, l->deployments + i), now,
				 &serial);
	}
	for (int i = 0; i < l->daemonsets; i++) {
		char ns[32], name[32];
		snprintf(ns, sizeof(ns), "load-%d", i / SETS_PER_NAMESPACE + 1);
		snprintf(name, sizeof(name), "load-ds-%05d", i + 1);
		if (taken(sim, "daemonsets", ns, name, err))
			return -1;
		simscen_ensure_namespace(sim->store, ns);
		make_daemonset(sim, ns, name, now, &serial);
	}
	return 0;
}
