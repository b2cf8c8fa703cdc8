#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "objdefaults.h"

/* Defaults as the API server sets them (pkg/apis/core/v1/defaults.go and
 * pkg/apis/apps/v1/defaults.go): only where a field is absent. */

static cJSON *ensure_obj(cJSON *parent, const char *key)
{
	cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, key);
	if (cJSON_IsObject(o))
		return o;
	if (o)
		cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
	return cJSON_AddObjectToObject(parent, key);
}

static void def_num(cJSON *o, const char *key, double v)
{
	if (!cJSON_GetObjectItemCaseSensitive(o, key))
		cJSON_AddNumberToObject(o, key, v);
}

static void def_str(cJSON *o, const char *key, const char *v)
{
	const cJSON *cur = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cur || (cJSON_IsString(cur) && !*cur->valuestring)) {
		if (cur)
			cJSON_DeleteItemFromObjectCaseSensitive(o, key);
		cJSON_AddStringToObject(o, key, v);
	}
}

static void default_probe(cJSON *probe)
{
	if (!cJSON_IsObject(probe))
		return;
	def_num(probe, "timeoutSeconds", 1);
	def_num(probe, "periodSeconds", 10);
	def_num(probe, "successThreshold", 1);
	def_num(probe, "failureThreshold", 3);
	cJSON *http = cJSON_GetObjectItemCaseSensitive(probe, "httpGet");
	if (cJSON_IsObject(http)) {
		def_str(http, "path", "/");
		def_str(http, "scheme", "HTTP");
	}
}

/* Always for :latest or no tag, IfNotPresent otherwise (digests too). */
static const char *pull_policy(const char *image)
{
	if (strchr(image, '@'))
		return "IfNotPresent";
	const char *slash = strrchr(image, '/');
	const char *colon = strrchr(slash ? slash : image, ':');
	if (!colon || strcmp(colon, ":latest") == 0)
		return "Always";
	return "IfNotPresent";
}

static void default_containers(cJSON *list)
{
	cJSON *c;
	cJSON_ArrayForEach(c, list)
	{
		if (!cJSON_IsObject(c))
			continue;
		def_str(c, "terminationMessagePath", "/dev/termination-log");
		def_str(c, "terminationMessagePolicy", "File");
		const cJSON *image = cJSON_GetObjectItemCaseSensitive(c, "image");
		if (cJSON_IsString(image))
			def_str(c, "imagePullPolicy", pull_policy(image->valuestring));
		ensure_obj(c, "resources");
		cJSON *port;
		cJSON_ArrayForEach(port, cJSON_GetObjectItemCaseSensitive(c, "ports"))
		{
			if (cJSON_IsObject(port))
				def_str(port, "protocol", "TCP");
		}
		default_probe(cJSON_GetObjectItemCaseSensitive(c, "livenessProbe"));
		default_probe(cJSON_GetObjectItemCaseSensitive(c, "readinessProbe"));
		default_probe(cJSON_GetObjectItemCaseSensitive(c, "startupProbe"));
	}
}

static void default_pod_spec(cJSON *spec)
{
	def_str(spec, "restartPolicy", "Always");
	def_num(spec, "terminationGracePeriodSeconds", 30);
	def_str(spec, "dnsPolicy", "ClusterFirst");
	def_str(spec, "schedulerName", "default-scheduler");
	ensure_obj(spec, "securityContext");
	default_containers(cJSON_GetObjectItemCaseSensitive(spec, "initContainers"));
	default_containers(cJSON_GetObjectItemCaseSensitive(spec, "containers"));
}

static void default_template(cJSON *spec)
{
	cJSON *tmpl = ensure_obj(spec, "template");
	ensure_obj(tmpl, "metadata");
	default_pod_spec(ensure_obj(tmpl, "spec"));
}

static void default_deployment(cJSON *obj)
{
	cJSON *spec = ensure_obj(obj, "spec");
	def_num(spec, "replicas", 1);
	cJSON *strategy = ensure_obj(spec, "strategy");
	def_str(strategy, "type", "RollingUpdate");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(strategy, "type");
	if (cJSON_IsString(type) && strcmp(type->valuestring, "RollingUpdate") == 0) {
		cJSON *ru = ensure_obj(strategy, "rollingUpdate");
		if (!cJSON_GetObjectItemCaseSensitive(ru, "maxUnavailable"))
			cJSON_AddStringToObject(ru, "maxUnavailable", "25%");
		if (!cJSON_GetObjectItemCaseSensitive(ru, "maxSurge"))
			cJSON_AddStringToObject(ru, "maxSurge", "25%");
	}
	def_num(spec, "revisionHistoryLimit", 10);
	def_num(spec, "progressDeadlineSeconds", 600);
	default_template(spec);
}

/* A PersistentVolumeClaim's spec and status (SetDefaults_PersistentVolumeClaim
 * and _Spec); used for the claims and for a StatefulSet's claim templates,
 * which the API server defaults as whole PersistentVolumeClaims. */
static void default_pvc(cJSON *pvc)
{
	def_str(ensure_obj(pvc, "spec"), "volumeMode", "Filesystem");
	def_str(ensure_obj(pvc, "status"), "phase", "Pending");
}

/* SetDefaults_StatefulSet (apps/v1, MaxUnavailableStatefulSet off as in
 * v1.33's defaults: maxUnavailable stays absent unless set). */
static void default_statefulset(cJSON *obj)
{
	cJSON *spec = ensure_obj(obj, "spec");
	def_str(spec, "podManagementPolicy", "OrderedReady");
	cJSON *strategy = ensure_obj(spec, "updateStrategy");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(strategy, "type");
	if (!type || (cJSON_IsString(type) && !*type->valuestring)) {
		def_str(strategy, "type", "RollingUpdate");
		ensure_obj(strategy, "rollingUpdate");
	}
	type = cJSON_GetObjectItemCaseSensitive(strategy, "type");
	cJSON *ru = cJSON_GetObjectItemCaseSensitive(strategy, "rollingUpdate");
	if (cJSON_IsString(type) && strcmp(type->valuestring, "RollingUpdate") == 0 &&
	    cJSON_IsObject(ru))
		def_num(ru, "partition", 0);
	cJSON *ret = ensure_obj(spec, "persistentVolumeClaimRetentionPolicy");
	def_str(ret, "whenDeleted", "Retain");
	def_str(ret, "whenScaled", "Retain");
	def_num(spec, "replicas", 1);
	def_num(spec, "revisionHistoryLimit", 10);
	default_template(spec);
	cJSON *claim;
	cJSON_ArrayForEach(claim, cJSON_GetObjectItemCaseSensitive(spec, "volumeClaimTemplates"))
	{
		if (!cJSON_IsObject(claim))
			continue;
		def_str(claim, "apiVersion", "v1");
		def_str(claim, "kind", "PersistentVolumeClaim");
		default_pvc(claim);
	}
}

/* SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0,
 * revisionHistoryLimit 10; the template as for every workload. */
static void default_daemonset(cJSON *obj)
{
	cJSON *spec = ensure_obj(obj, "spec");
	cJSON *strategy = ensure_obj(spec, "updateStrategy");
	def_str(strategy, "type", "RollingUpdate");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(strategy, "type");
	if (cJSON_IsString(type) && strcmp(type->valuestring, "RollingUpdate") == 0) {
		cJSON *ru = ensure_obj(strategy, "rollingUpdate");
		def_num(ru, "maxUnavailable", 1);
		def_num(ru, "maxSurge", 0);
	}
	def_num(spec, "revisionHistoryLimit", 10);
	default_template(spec);
}

/* SetDefaults_Job (batch/v1, v1.33): completions and parallelism 1 when
 * both are absent, backoffLimit 6 (MaxInt32 with backoffLimitPerIndex),
 * the Job's labels from its template's when it has none, NonIndexed,
 * not suspended, podReplacementPolicy Failed with a podFailurePolicy
 * (TerminatingOrFailed without), onPodConditions' status True. */
static void default_job_spec(cJSON *spec)
{
	if (!cJSON_GetObjectItemCaseSensitive(spec, "completions") &&
	    !cJSON_GetObjectItemCaseSensitive(spec, "parallelism"))
		def_num(spec, "completions", 1);
	def_num(spec, "parallelism", 1);
	def_num(spec, "backoffLimit",
		cJSON_GetObjectItemCaseSensitive(spec, "backoffLimitPerIndex") ? 2147483647 : 6);
	def_str(spec, "completionMode", "NonIndexed");
	if (!cJSON_GetObjectItemCaseSensitive(spec, "suspend"))
		cJSON_AddFalseToObject(spec, "suspend");
	if (!cJSON_GetObjectItemCaseSensitive(spec, "manualSelector"))
		cJSON_AddFalseToObject(spec, "manualSelector");
	cJSON *pfp = cJSON_GetObjectItemCaseSensitive(spec, "podFailurePolicy");
	def_str(spec, "podReplacementPolicy", pfp ? "Failed" : "TerminatingOrFailed");
	cJSON *rule;
	cJSON_ArrayForEach(rule, cJSON_GetObjectItemCaseSensitive(pfp, "rules"))
	{
		cJSON *pc;
		cJSON_ArrayForEach(pc, cJSON_GetObjectItemCaseSensitive(rule, "onPodConditions"))
		{
			if (cJSON_IsObject(pc))
				def_str(pc, "status", "True");
		}
	}
	default_template(spec);
}

static void default_job(cJSON *obj)
{
	cJSON *spec = ensure_obj(obj, "spec");
	default_job_spec(spec);
	const cJSON *tl = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(spec, "template"),
					     "metadata"),
	    "labels");
	cJSON *md = ensure_obj(obj, "metadata");
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(md, "labels");
	if (cJSON_IsObject(tl) && tl->child && (!cJSON_IsObject(l) || !l->child)) {
		cJSON_DeleteItemFromObjectCaseSensitive(md, "labels");
		cJSON_AddItemToObject(md, "labels", cJSON_Duplicate(tl, 1));
	}
}

/* SetDefaults_CronJob; the job template's pod template gets the pod
 * defaults (SetObjectDefaults_CronJob), its Job spec none. */
static void default_cronjob(cJSON *obj)
{
	cJSON *spec = ensure_obj(obj, "spec");
	def_str(spec, "concurrencyPolicy", "Allow");
	if (!cJSON_GetObjectItemCaseSensitive(spec, "suspend"))
		cJSON_AddFalseToObject(spec, "suspend");
	def_num(spec, "successfulJobsHistoryLimit", 3);
	def_num(spec, "failedJobsHistoryLimit", 1);
	default_template(ensure_obj(ensure_obj(spec, "jobTemplate"), "spec"));
}

static void default_service(cJSON *obj)
{
	cJSON *spec = ensure_obj(obj, "spec");
	def_str(spec, "type", "ClusterIP");
	def_str(spec, "sessionAffinity", "None");
	cJSON *port;
	cJSON_ArrayForEach(port, cJSON_GetObjectItemCaseSensitive(spec, "ports"))
	{
		if (!cJSON_IsObject(port))
			continue;
		def_str(port, "protocol", "TCP");
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(port, "port");
		if (!cJSON_GetObjectItemCaseSensitive(port, "targetPort") && cJSON_IsNumber(p))
			cJSON_AddNumberToObject(port, "targetPort", p->valuedouble);
	}
}

void objdefaults_apply(const char *kind, cJSON *obj)
{
	if (!kind || !cJSON_IsObject(obj))
		return;
	ensure_obj(obj, "metadata");
	if (strcmp(kind, "Deployment") == 0) {
		default_deployment(obj);
	} else if (strcmp(kind, "ReplicaSet") == 0) {
		cJSON *spec = ensure_obj(obj, "spec");
		def_num(spec, "replicas", 1);
		default_template(spec);
	} else if (strcmp(kind, "Pod") == 0) {
		default_pod_spec(ensure_obj(obj, "spec"));
	} else if (strcmp(kind, "Service") == 0) {
		default_service(obj);
	} else if (strcmp(kind, "StatefulSet") == 0) {
		default_statefulset(obj);
	} else if (strcmp(kind, "PersistentVolumeClaim") == 0) {
		default_pvc(obj);
	} else if (strcmp(kind, "DaemonSet") == 0) {
		default_daemonset(obj);
	} else if (strcmp(kind, "Job") == 0) {
		default_job(obj);
	} else if (strcmp(kind, "CronJob") == 0) {
		default_cronjob(obj);
	}
}
