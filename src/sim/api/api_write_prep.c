#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "api_write.h"
#include "objdefaults.h"
#include "sim.h"
#include "simobj.h"
#include "util.h"

/*
 * The per-kind strategies of kube-apiserver (PrepareForCreate,
 * PrepareForUpdate, ValidateUpdate): what the server owns, what a user may
 * not change, and the Service IP allocators.
 */

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static void set_item(cJSON *o, const char *k, cJSON *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, k);
	if (v)
		cJSON_AddItemToObject(o, k, v);
}

static void copy_from(cJSON *to, const cJSON *from, const char *k)
{
	const cJSON *v = get(from, k);
	set_item(to, k, v ? cJSON_Duplicate(v, 1) : NULL);
}

/* A 422 Status like objvalidate's, with one cause. */
static cJSON *invalid(const struct simres *res, const cJSON *obj, const char *field,
		      const char *reason, const char *detail)
{
	const char *name = simjson_string(get(obj, "metadata"), "name");
	char *m = xasprintf("%s%s%s \"%s\" is invalid: %s: %s", res->kind, *res->group ? "." : "",
			    res->group, name ? name : "", field, detail);
	cJSON *st = cJSON_CreateObject();
	cJSON_AddStringToObject(st, "kind", "Status");
	cJSON_AddStringToObject(st, "apiVersion", "v1");
	cJSON_AddObjectToObject(st, "metadata");
	cJSON_AddStringToObject(st, "status", "Failure");
	cJSON_AddStringToObject(st, "message", m);
	cJSON_AddStringToObject(st, "reason", "Invalid");
	cJSON *d = cJSON_AddObjectToObject(st, "details");
	cJSON_AddStringToObject(d, "name", name ? name : "");
	cJSON_AddStringToObject(d, "group", res->group);
	cJSON_AddStringToObject(d, "kind", res->kind);
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "reason", reason);
	cJSON_AddStringToObject(c, "message", detail);
	cJSON_AddStringToObject(c, "field", field);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(d, "causes"), c);
	cJSON_AddNumberToObject(st, "code", 422);
	free(m);
	return st;
}

static cJSON *immutable(const struct simres *res, const cJSON *obj, const char *field,
			const cJSON *value)
{
	char *v = value ? cJSON_PrintUnformatted(value) : xstrdup("null");
	char *d = xasprintf("Invalid value: %s: field is immutable", v);
	cJSON *st = invalid(res, obj, field, "FieldValueInvalid", d);
	free(d);
	free(v);
	return st;
}

/* --- Service IPs and node ports ------------------------------------------ */

static bool ip_taken(struct sim *sim, const char *ip)
{
	const struct simres *svc = simres_find("", "v1", "services");
	struct simsnap *s = simstore_snapshot(sim->store, svc);
	bool taken = false;
	for (size_t i = 0; i < s->n && !taken; i++) {
		const char *c = simjson_string(get(s->items[i]->json, "spec"), "clusterIP");
		taken = c && strcmp(c, ip) == 0;
	}
	simsnap_unref(s);
	return taken;
}

static bool port_taken(struct sim *sim, int port)
{
	const struct simres *svc = simres_find("", "v1", "services");
	struct simsnap *s = simstore_snapshot(sim->store, svc);
	bool taken = false;
	for (size_t i = 0; i < s->n && !taken; i++) {
		const cJSON *p;
		cJSON_ArrayForEach(p, get(get(s->items[i]->json, "spec"), "ports"))
		{
			const cJSON *np = get(p, "nodePort");
			if (cJSON_IsNumber(np) && np->valueint == port)
				taken = true;
		}
	}
	simsnap_unref(s);
	return taken;
}

/* 10.96.0.0/12, as kube-apiserver's default --service-cluster-ip-range;
 * .1 is the kubernetes Service's and .10 the DNS Service's by convention. */
static bool in_range(const char *ip)
{
	unsigned a, b, c, d;
	char extra;
	if (sscanf(ip, "%u.%u.%u.%u%c", &a, &b, &c, &d, &extra) != 4)
		return false;
	return a == 10 && b >= 96 && b <= 111 && c <= 255 && d <= 255;
}

static void set_cluster_ips(cJSON *spec, const char *ip)
{
	simjson_set_string(spec, "clusterIP", ip);
	cJSON *ips = cJSON_CreateArray();
	cJSON_AddItemToArray(ips, cJSON_CreateString(ip));
	set_item(spec, "clusterIPs", ips);
}

static cJSON *allocate_service(struct sim *sim, const struct simres *res, cJSON *obj)
{
	cJSON *spec = simjson_object(obj, "spec");
	const char *type = simjson_string(spec, "type");
	if (type && strcmp(type, "ExternalName") == 0)
		return NULL;
	const char *ip = simjson_string(spec, "clusterIP");
	if (ip && strcmp(ip, "None") == 0) {
		set_cluster_ips(spec, "None");
	} else if (ip && *ip) {
		if (!in_range(ip) || ip_taken(sim, ip)) {
			char *d = xasprintf("Invalid value: [\"%s\"]: failed to allocate IP %s: %s",
					    ip, ip,
					    in_range(ip) ? "provided IP is already allocated"
							 : "the provided IP is not in the valid "
							   "range. The range of valid IPs is "
							   "10.96.0.0/12");
			cJSON *st = invalid(res, obj, "spec.clusterIPs", "FieldValueInvalid", d);
			free(d);
			return st;
		}
		set_cluster_ips(spec, ip);
	} else {
		char buf[32];
		do {
			unsigned n = 2 + (unsigned)rand() % ((1u << 20) - 3);
			snprintf(buf, sizeof(buf), "10.%u.%u.%u", 96 + (n >> 16), (n >> 8) & 255,
				 n & 255);
		} while (strcmp(buf, "10.96.0.10") == 0 || ip_taken(sim, buf));
		set_cluster_ips(spec, buf);
	}
	if (!get(spec, "ipFamilies")) {
		cJSON *f = cJSON_AddArrayToObject(spec, "ipFamilies");
		cJSON_AddItemToArray(f, cJSON_CreateString("IPv4"));
	}
	if (!get(spec, "ipFamilyPolicy"))
		cJSON_AddStringToObject(spec, "ipFamilyPolicy", "SingleStack");
	if (!get(spec, "internalTrafficPolicy"))
		cJSON_AddStringToObject(spec, "internalTrafficPolicy", "Cluster");
	bool nodeports =
	    type && (strcmp(type, "NodePort") == 0 || strcmp(type, "LoadBalancer") == 0);
	if (!nodeports)
		return NULL;
	if (!get(spec, "externalTrafficPolicy"))
		cJSON_AddStringToObject(spec, "externalTrafficPolicy", "Cluster");
	cJSON *p;
	cJSON_ArrayForEach(p, get(spec, "ports"))
	{
		const cJSON *np = get(p, "nodePort");
		if (cJSON_IsNumber(np) && np->valueint != 0)
			continue;
		int port;
		do
			port = 30000 + rand() % 2768;
		while (port_taken(sim, port));
		set_item(p, "nodePort", cJSON_CreateNumber(port));
	}
	return NULL;
}

/* --- create ---------------------------------------------------------------- */

static bool has_resources(const cJSON *c, const char *which)
{
	const cJSON *m = get(get(c, "resources"), which);
	return m && m->child;
}

/* The pod's QoS class (GetPodQOS, simplified to cpu and memory). */
static const char *qos_class(const cJSON *spec)
{
	bool any = false, guaranteed = true;
	const char *lists[] = {"initContainers", "containers"};
	for (int l = 0; l < 2; l++) {
		const cJSON *c;
		cJSON_ArrayForEach(c, get(spec, lists[l]))
		{
			if (has_resources(c, "requests") || has_resources(c, "limits"))
				any = true;
			const cJSON *lim = get(get(c, "resources"), "limits");
			const cJSON *req = get(get(c, "resources"), "requests");
			const char *keys[] = {"cpu", "memory"};
			for (int k = 0; k < 2; k++) {
				const cJSON *lv = get(lim, keys[k]), *rv = get(req, keys[k]);
				if (!lv || (rv && !cJSON_Compare(lv, rv, true)))
					guaranteed = false;
			}
		}
	}
	if (!any)
		return "BestEffort";
	return guaranteed ? "Guaranteed" : "Burstable";
}

/*
 * The DaemonSet strategy's spec.templateGeneration, which apps/v1 carries as
 * an annotation: 1 on create, the stored value on update, plus one when the
 * template changes (a client's own value is overwritten, as the conversion
 * drops it).
 */
static void ds_template_generation(const cJSON *cur, cJSON *obj)
{
	static const char key[] = "deprecated.daemonset.template.generation";
	long long gen = 1;
	if (cur) {
		const char *old = simjson_string(get(get(cur, "metadata"), "annotations"), key);
		gen = old ? strtoll(old, NULL, 10) : 0;
		if (gen < 1)
			gen = 1;
		/* Defaults come after this step: compare the template as stored. */
		cJSON *next = cJSON_Duplicate(obj, 1);
		objdefaults_apply("DaemonSet", next);
		if (!cJSON_Compare(get(get(cur, "spec"), "template"),
				   get(get(next, "spec"), "template"), true))
			gen++;
		cJSON_Delete(next);
	}
	char txt[24];
	snprintf(txt, sizeof(txt), "%lld", gen);
	simjson_set_string(simjson_object(simjson_object(obj, "metadata"), "annotations"), key,
			   txt);
}

/* --- Jobs and CronJobs ---------------------------------------------------- */

/* The labels of a Job's pods (batch/v1's ControllerUidLabel, JobNameLabel and
 * their legacy twins) that generateSelector adds. */
static const char *const job_labels[][2] = {
    {"batch.kubernetes.io/controller-uid", "uid"},
    {"batch.kubernetes.io/job-name", "name"},
    {"controller-uid", "uid"},
    {"job-name", "name"},
};

/*
 * jobStrategy's create (PrepareForCreate, then generateSelector from
 * Validate): a uid now, so that the selector can name it (the store keeps
 * it), the template labelled with it and the Job's name, the selector
 * matching batch.kubernetes.io/controller-uid. The Job's labels are
 * defaulted from its template's first, as the first defaulting does, before
 * the generated labels exist.
 */
void simprep_job(cJSON *obj)
{
	set_item(obj, "status", cJSON_CreateObject());
	cJSON *md = simjson_object(obj, "metadata");
	cJSON *spec = simjson_object(obj, "spec");
	cJSON *tmd = simjson_object(simjson_object(spec, "template"), "metadata");
	const cJSON *tl = get(tmd, "labels"), *jl = get(md, "labels");
	if (cJSON_IsObject(tl) && tl->child && (!cJSON_IsObject(jl) || !jl->child))
		set_item(md, "labels", cJSON_Duplicate(tl, 1));
	char uid[37];
	simutil_uuid(uid);
	simjson_set_string(md, "uid", uid);
	if (cJSON_IsTrue(get(spec, "manualSelector")))
		return;
	const char *name = simjson_string(md, "name");
	cJSON *labels = simjson_object(tmd, "labels");
	for (size_t i = 0; i < sizeof(job_labels) / sizeof(job_labels[0]); i++)
		if (!get(labels, job_labels[i][0]))
			cJSON_AddStringToObject(labels, job_labels[i][0],
						job_labels[i][1][0] == 'u' ? uid
									   : (name ? name : ""));
	cJSON *ml = simjson_object(simjson_object(spec, "selector"), "matchLabels");
	if (!get(ml, job_labels[0][0]))
		cJSON_AddStringToObject(ml, job_labels[0][0], uid);
}

/* Whether the two objects' specs are the same once strip has taken out
 * what may change. */
static bool specs_same_but(const cJSON *cur, const cJSON *obj, void (*strip)(cJSON *spec))
{
	cJSON *a = cJSON_Duplicate(get(cur, "spec"), 1);
	cJSON *b = cJSON_Duplicate(get(obj, "spec"), 1);
	strip(a);
	strip(b);
	bool same = (!a && !b) || (a && b && cJSON_Compare(a, b, true));
	cJSON_Delete(a);
	cJSON_Delete(b);
	return same;
}

/* ValidateStatefulSetUpdate (v1.33): only these fields of the spec may
 * change. */
static void strip_sts_mutable(cJSON *spec)
{
	static const char *const mutable_fields[] = {
	    "replicas",	  "ordinals", "template", "updateStrategy", "revisionHistoryLimit",
	    "persistentVolumeClaimRetentionPolicy", "minReadySeconds"};
	for (size_t i = 0; i < sizeof(mutable_fields) / sizeof(mutable_fields[0]); i++)
		cJSON_DeleteItemFromObjectCaseSensitive(spec, mutable_fields[i]);
}

static cJSON *sts_update_rules(const struct simres *res, const cJSON *cur, const cJSON *obj)
{
	if (specs_same_but(cur, obj, strip_sts_mutable))
		return NULL;
	return invalid(res, obj, "spec", "FieldValueForbidden",
		       "Forbidden: updates to statefulset spec for fields other than 'replicas', "
		       "'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', "
		       "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
}

/* ValidateJobSpecUpdate's immutable fields (the template's scheduling
 * directives of a suspended Job that never started are not singled out). */
static cJSON *job_update_rules(const struct simres *res, const cJSON *cur, cJSON *obj)
{
	/* Compared as stored: the update is defaulted first. */
	objdefaults_apply("Job", obj);
	const cJSON *a = get(cur, "spec"), *b = get(obj, "spec");
	static const char *const fields[] = {"selector", "template", "completionMode",
					     "podFailurePolicy", "backoffLimitPerIndex"};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const cJSON *x = get(a, fields[i]), *y = get(b, fields[i]);
		if ((x || y) && !(x && y && cJSON_Compare(x, y, true))) {
			char field[64];
			snprintf(field, sizeof(field), "spec.%s", fields[i]);
			return immutable(res, obj, field, y);
		}
	}
	const cJSON *ca = get(a, "completions"), *cb = get(b, "completions");
	if (ca && cb && !cJSON_Compare(ca, cb, true))
		return immutable(res, obj, "spec.completions", cb);
	return NULL;
}

static const char *const server_meta[] = {
    "uid",        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
    "generation", "managedFields",     "selfLink",          NULL,
};

cJSON *simprep_create(struct sim *sim, const struct simres *res, cJSON *obj)
{
	cJSON *md = simjson_object(obj, "metadata");
	for (size_t i = 0; server_meta[i]; i++)
		cJSON_DeleteItemFromObjectCaseSensitive(md, server_meta[i]);
	const char *k = res->kind;
	if (strcmp(k, "Deployment") == 0 || strcmp(k, "ReplicaSet") == 0) {
		set_item(obj, "status", cJSON_CreateObject());
	} else if (strcmp(k, "Pod") == 0) {
		cJSON *st = cJSON_CreateObject();
		cJSON_AddStringToObject(st, "phase", "Pending");
		cJSON_AddStringToObject(st, "qosClass", qos_class(get(obj, "spec")));
		set_item(obj, "status", st);
	} else if (strcmp(k, "Namespace") == 0) {
		cJSON *fin = cJSON_CreateArray();
		cJSON_AddItemToArray(fin, cJSON_CreateString("kubernetes"));
		set_item(simjson_object(obj, "spec"), "finalizers", fin);
		cJSON *st = cJSON_CreateObject();
		cJSON_AddStringToObject(st, "phase", "Active");
		set_item(obj, "status", st);
		const char *name = simjson_string(md, "name");
		if (name)
			simjson_set_string(simjson_object(md, "labels"),
					   "kubernetes.io/metadata.name", name);
	} else if (strcmp(k, "Service") == 0) {
		cJSON *st = cJSON_CreateObject();
		cJSON_AddObjectToObject(st, "loadBalancer");
		set_item(obj, "status", st);
		return allocate_service(sim, res, obj);
	} else if (strcmp(k, "DaemonSet") == 0) {
		set_item(obj, "status", cJSON_CreateObject());
		ds_template_generation(NULL, obj);
	} else if (strcmp(k, "Job") == 0) {
		simprep_job(obj);
	} else if (strcmp(k, "CronJob") == 0) {
		set_item(obj, "status", cJSON_CreateObject());
	}
	return NULL;
}

/* --- update ---------------------------------------------------------------- */

/* obj becomes cur with obj's status (and resourceVersion precondition). */
static void status_only_update(const cJSON *cur, cJSON *obj)
{
	cJSON *status = cJSON_DetachItemFromObjectCaseSensitive(obj, "status");
	const char *rv = simjson_string(get(obj, "metadata"), "resourceVersion");
	char *keep_rv = rv ? xstrdup(rv) : NULL;
	while (obj->child)
		cJSON_Delete(cJSON_DetachItemViaPointer(obj, obj->child));
	const cJSON *it;
	cJSON_ArrayForEach(it, cur)
	{
		if (strcmp(it->string, "status") != 0)
			cJSON_AddItemToObject(obj, it->string, cJSON_Duplicate(it, 1));
	}
	if (status)
		cJSON_AddItemToObject(obj, "status", status);
	cJSON *md = simjson_object(obj, "metadata");
	if (keep_rv)
		simjson_set_string(md, "resourceVersion", keep_rv);
	else
		cJSON_DeleteItemFromObjectCaseSensitive(md, "resourceVersion");
	free(keep_rv);
}

/* Fields of a pod spec an update may change (ValidatePodUpdate). */
static void strip_mutable(cJSON *spec)
{
	const char *lists[] = {"initContainers", "containers"};
	for (int l = 0; l < 2; l++) {
		cJSON *c;
		cJSON_ArrayForEach(c, get(spec, lists[l]))
		{
			cJSON_DeleteItemFromObjectCaseSensitive(c, "image");
			/* imagePullPolicy follows the image's tag when defaulted. */
			cJSON_DeleteItemFromObjectCaseSensitive(c, "imagePullPolicy");
		}
	}
	cJSON_DeleteItemFromObjectCaseSensitive(spec, "activeDeadlineSeconds");
	cJSON_DeleteItemFromObjectCaseSensitive(spec, "tolerations");
	cJSON_DeleteItemFromObjectCaseSensitive(spec, "schedulingGates");
}

/* validateOnlyDeletedSchedulingGates: a gate may be removed, never added. */
static cJSON *pod_gates_rule(const struct simres *res, const cJSON *cur, const cJSON *obj)
{
	const cJSON *old = get(get(cur, "spec"), "schedulingGates"), *g, *o;
	int i = 0;
	cJSON_ArrayForEach(g, get(get(obj, "spec"), "schedulingGates"))
	{
		const char *name = simjson_string(g, "name");
		bool known = false;
		cJSON_ArrayForEach(o, old)
		{
			const char *on = simjson_string(o, "name");
			known |= on && name && strcmp(on, name) == 0;
		}
		if (!known) {
			char field[64], msg[400];
			snprintf(field, sizeof(field), "spec.schedulingGates[%d].name", i);
			snprintf(
			    msg, sizeof(msg),
			    "Forbidden: only deletion is allowed, but found new scheduling gate "
			    "'%.300s'",
			    name ? name : "");
			return invalid(res, obj, field, "FieldValueForbidden", msg);
		}
		i++;
	}
	return NULL;
}

static cJSON *pod_update_rules(const struct simres *res, const cJSON *cur, cJSON *obj)
{
	objdefaults_apply("Pod", obj);
	cJSON *gates = pod_gates_rule(res, cur, obj);
	if (gates)
		return gates;
	if (specs_same_but(cur, obj, strip_mutable))
		return NULL;
	return invalid(res, obj, "spec", "FieldValueForbidden",
		       "Forbidden: pod updates may not change fields other than "
		       "`spec.containers[*].image`,`spec.initContainers[*].image`,"
		       "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
		       "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to "
		       "be set to 1 if it was previously negative)");
}

static cJSON *service_update_rules(struct sim *sim, const struct simres *res, const cJSON *cur,
				   cJSON *obj)
{
	cJSON *spec = simjson_object(obj, "spec");
	const cJSON *cspec = get(cur, "spec");
	const char *old_ip = simjson_string(cspec, "clusterIP");
	const char *new_ip = simjson_string(spec, "clusterIP");
	const char *type = simjson_string(spec, "type");
	if (type && strcmp(type, "ExternalName") == 0)
		return NULL;
	if (old_ip && *old_ip && (!new_ip || !*new_ip)) {
		copy_from(spec, cspec, "clusterIP");
		copy_from(spec, cspec, "clusterIPs");
	} else if (old_ip && *old_ip && strcmp(old_ip, new_ip) != 0) {
		return immutable(res, obj, "spec.clusterIPs[0]", get(spec, "clusterIP"));
	}
	const char *fields[] = {"clusterIPs", "ipFamilies", "ipFamilyPolicy",
				"internalTrafficPolicy"};
	for (int i = 0; i < 4; i++)
		if (!get(spec, fields[i]))
			copy_from(spec, cspec, fields[i]);
	if (!old_ip || !*old_ip) /* ExternalName to ClusterIP: allocate now */
		return allocate_service(sim, res, obj);
	return NULL;
}

cJSON *simprep_update(struct sim *sim, const struct simres *res, const cJSON *cur, cJSON *obj,
		      bool status_only)
{
	if (status_only) {
		status_only_update(cur, obj);
		return NULL;
	}
	cJSON *md = simjson_object(obj, "metadata");
	const cJSON *cmd = get(cur, "metadata");
	const char *keep[] = {"uid", "creationTimestamp", "deletionTimestamp",
			      "deletionGracePeriodSeconds", "generation"};
	for (int i = 0; i < 5; i++)
		copy_from(md, cmd, keep[i]);
	cJSON_DeleteItemFromObjectCaseSensitive(md, "managedFields");
	if (res->subresources & SIMSUB_STATUS)
		copy_from(obj, cur, "status");
	const char *k = res->kind;
	if (strcmp(k, "Namespace") == 0) {
		copy_from(simjson_object(obj, "spec"), get(cur, "spec"), "finalizers");
		const char *name = simjson_string(md, "name");
		simjson_set_string(simjson_object(md, "labels"), "kubernetes.io/metadata.name",
				   name ? name : "");
	} else if (strcmp(k, "Deployment") == 0 || strcmp(k, "ReplicaSet") == 0) {
		const cJSON *a = get(get(cur, "spec"), "selector");
		const cJSON *b = get(get(obj, "spec"), "selector");
		if (a && !cJSON_Compare(a, b, true))
			return immutable(res, obj, "spec.selector", b);
	} else if (strcmp(k, "Pod") == 0) {
		return pod_update_rules(res, cur, obj);
	} else if (strcmp(k, "DaemonSet") == 0) {
		const cJSON *a = get(get(cur, "spec"), "selector");
		const cJSON *b = get(get(obj, "spec"), "selector");
		if (a && !cJSON_Compare(a, b, true))
			return immutable(res, obj, "spec.selector", b);
		ds_template_generation(cur, obj);
	} else if (strcmp(k, "Service") == 0) {
		return service_update_rules(sim, res, cur, obj);
	} else if (strcmp(k, "Job") == 0) {
		return job_update_rules(res, cur, obj);
	} else if (strcmp(k, "StatefulSet") == 0) {
		return sts_update_rules(res, cur, obj);
	}
	return NULL;
}
