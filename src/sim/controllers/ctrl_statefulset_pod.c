#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "api_write.h"
#include "ctrl_statefulset_int.h"
#include "events.h"
#include "objdefaults.h"
#include "poddelete.h"
#include "sim.h"
#include "simobj.h"

/*
 * The StatefulSet's pods and claims (stateful_pod_control.go and the
 * identity and storage parts of stateful_set_utils.go): a pod NAME-ORDINAL
 * from a template, its claims TEMPLATE-NAME-ORDINAL with the owners the
 * retention policy wants, and the events the controller records for each.
 */

static const struct simevent_source src = {"statefulset-controller", NULL};

static void pod_event(struct stssync *s, const char *verb, const char *pod)
{
	const struct simobj *o = simstore_get(s->c->sim->store, s->c->sets, s->ns, s->name);
	if (!o)
		return;
	char reason[32];
	snprintf(reason, sizeof(reason), "Successful%c%s", verb[0] - 'a' + 'A', verb + 1);
	simevents_record(s->c->sim, o->json, NULL, &src, "Normal", reason,
			 "%s Pod %s in StatefulSet %s successful", verb, pod, s->name);
}

static char *claim_name(const cJSON *tmpl, const char *set, int32_t ord)
{
	return xasprintf("%s-%s-%d", cj_str(cj_path(tmpl, "metadata", NULL), "name"), set, ord);
}

/* A controller reference to obj (a pod or the set). */
static cJSON *ref_to(const char *api_version, const char *kind, const cJSON *obj)
{
	const cJSON *md = cj_path(obj, "metadata", NULL);
	cJSON *ref = cJSON_CreateObject();
	cJSON_AddStringToObject(ref, "apiVersion", api_version);
	cJSON_AddStringToObject(ref, "kind", kind);
	cJSON_AddStringToObject(ref, "name", cj_str(md, "name") ? cj_str(md, "name") : "");
	cJSON_AddStringToObject(ref, "uid", cj_str(md, "uid") ? cj_str(md, "uid") : "");
	cJSON_AddTrueToObject(ref, "controller");
	cJSON_AddTrueToObject(ref, "blockOwnerDeletion");
	return ref;
}

cJSON *stspod_controller_ref(const struct stssync *s)
{
	return ref_to("apps/v1", "StatefulSet", s->set);
}

static bool policy_is(const struct stssync *s, const char *when, const char *what)
{
	const char *v =
	    cj_str(cj_path(s->spec, "persistentVolumeClaimRetentionPolicy", NULL), when);
	return v && strcmp(v, what) == 0;
}

/* createPersistentVolumeClaims: every missing claim of the pod. */
void stspod_create_claims(struct stssync *s, int32_t ord, const char *pod)
{
	struct stsctl *c = s->c;
	const cJSON *t;
	cJSON_ArrayForEach(t, cj_path(s->spec, "volumeClaimTemplates", NULL))
	{
		if (!cj_str(cj_path(t, "metadata", NULL), "name"))
			continue;
		char *name = claim_name(t, s->name, ord);
		if (simstore_get(c->sim->store, c->pvcs, s->ns, name)) {
			free(name);
			continue;
		}
		cJSON *pvc = cJSON_CreateObject();
		cJSON_AddStringToObject(pvc, "apiVersion", "v1");
		cJSON_AddStringToObject(pvc, "kind", "PersistentVolumeClaim");
		cJSON *md = cJSON_AddObjectToObject(pvc, "metadata");
		cJSON_AddStringToObject(md, "name", name);
		cJSON_AddStringToObject(md, "namespace", s->ns);
		const cJSON *tl = cj_path(t, "metadata", "labels", NULL);
		cJSON *l = tl ? cJSON_Duplicate(tl, 1) : cJSON_CreateObject();
		cJSON_AddItemToObject(md, "labels", l);
		const cJSON *ml;
		cJSON_ArrayForEach(ml, cj_path(s->spec, "selector", "matchLabels", NULL))
		{
			if (cJSON_IsString(ml))
				simjson_set_string(l, ml->string, ml->valuestring);
		}
		const cJSON *ts = cJSON_GetObjectItemCaseSensitive(t, "spec");
		cJSON_AddItemToObject(pvc, "spec",
				      ts ? cJSON_Duplicate(ts, 1) : cJSON_CreateObject());
		objdefaults_apply("PersistentVolumeClaim", pvc);
		/* A new claim's pod is not scaled down: only whenDeleted applies. */
		if (policy_is(s, "whenDeleted", "Delete"))
			cJSON_AddItemToArray(cJSON_AddArrayToObject(md, "ownerReferences"),
					     ref_to("apps/v1", "StatefulSet", s->set));
		if (simstore_create(c->sim->store, c->pvcs, pvc, NULL) == SIMSTORE_OK) {
			const struct simobj *o =
			    simstore_get(c->sim->store, c->sets, s->ns, s->name);
			if (o)
				simevents_record(c->sim, o->json, NULL, &src, "Normal",
						 "SuccessfulCreate",
						 "create Claim %s Pod %s in StatefulSet %s success",
						 name, pod, s->name);
		}
		free(name);
	}
}

/* newStatefulSetPod: the template with the identity and the storage. */
cJSON *stspod_new(const struct stssync *s, const cJSON *set, int32_t ord, const char *revision)
{
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(set, "spec");
	const cJSON *tmpl = cJSON_GetObjectItemCaseSensitive(spec, "template");
	const cJSON *tmeta = cJSON_GetObjectItemCaseSensitive(tmpl, "metadata");
	cJSON *pod = cJSON_CreateObject();
	cJSON_AddStringToObject(pod, "apiVersion", "v1");
	cJSON_AddStringToObject(pod, "kind", "Pod");
	cJSON *md = cJSON_AddObjectToObject(pod, "metadata");
	char *name = xasprintf("%s-%d", s->name, ord);
	cJSON_AddStringToObject(md, "name", name);
	cJSON_AddStringToObject(md, "namespace", s->ns);
	const char *keys[] = {"labels", "annotations", "finalizers"};
	for (int i = 0; i < 3; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(tmeta, keys[i]);
		if (v)
			cJSON_AddItemToObject(md, keys[i], cJSON_Duplicate(v, 1));
	}
	cJSON_AddItemToArray(cJSON_AddArrayToObject(md, "ownerReferences"),
			     stspod_controller_ref(s));
	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(tmpl, "spec");
	cJSON *pspec = ps ? cJSON_Duplicate(ps, 1) : cJSON_CreateObject();
	cJSON_AddItemToObject(pod, "spec", pspec);
	/* initIdentity */
	cJSON *labels = simjson_object(md, "labels");
	simjson_set_string(labels, "statefulset.kubernetes.io/pod-name", name);
	char ordtxt[16];
	snprintf(ordtxt, sizeof(ordtxt), "%d", ord);
	simjson_set_string(labels, "apps.kubernetes.io/pod-index", ordtxt);
	simjson_set_string(pspec, "hostname", name);
	const char *svc = cj_str(spec, "serviceName");
	if (svc && *svc)
		simjson_set_string(pspec, "subdomain", svc);
	/* updateStorage: a volume per claim template, replacing the template's. */
	const cJSON *t;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(spec, "volumeClaimTemplates"))
	{
		const char *vname = cj_str(cj_path(t, "metadata", NULL), "name");
		if (!vname)
			continue;
		cJSON *vols = cJSON_GetObjectItemCaseSensitive(pspec, "volumes");
		if (!cJSON_IsArray(vols)) {
			cJSON_DeleteItemFromObjectCaseSensitive(pspec, "volumes");
			vols = cJSON_AddArrayToObject(pspec, "volumes");
		}
		int idx = 0;
		const cJSON *v;
		cJSON_ArrayForEach(v, vols)
		{
			const char *n = cj_str(v, "name");
			if (n && strcmp(n, vname) == 0)
				break;
			idx++;
		}
		cJSON *vol = cJSON_CreateObject();
		cJSON_AddStringToObject(vol, "name", vname);
		char *cn = claim_name(t, s->name, ord);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(vol, "persistentVolumeClaim"),
					"claimName", cn);
		free(cn);
		if (v)
			cJSON_ReplaceItemInArray(vols, idx, vol);
		else
			cJSON_AddItemToArray(vols, vol);
	}
	simjson_set_string(labels, STS_REVISION_LABEL, revision);
	free(name);
	return pod;
}

/*
 * updateClaimOwnerRefForSetAndPod: the claim's references to the set and the
 * pod as the retention policy wants them (whenDeleted Delete: the set owns
 * it; whenScaled Delete: a scaled-down pod owns it). True when changed.
 * A claim controlled by someone else is left alone.
 */
static bool claim_owner_refs(const struct stssync *s, cJSON *claim, const cJSON *pod, bool scaled)
{
	const char *set_uid = cj_str(cj_path(s->set, "metadata", NULL), "uid");
	const char *pod_uid = cj_str(cj_path(pod, "metadata", NULL), "uid");
	cJSON *md = simjson_object(claim, "metadata");
	const cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(md, "ownerReferences"))
	{
		const char *u = cj_str(r, "uid");
		bool ours =
		    u && ((set_uid && !strcmp(u, set_uid)) || (pod_uid && !strcmp(u, pod_uid)));
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "controller")) && !ours)
			return false;
	}
	cJSON *want = cJSON_CreateArray();
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(md, "ownerReferences"))
	{
		const char *u = cj_str(r, "uid");
		if (!(u && ((set_uid && !strcmp(u, set_uid)) || (pod_uid && !strcmp(u, pod_uid)))))
			cJSON_AddItemToArray(want, cJSON_Duplicate(r, 1));
	}
	bool scaled_delete = policy_is(s, "whenScaled", "Delete");
	if (scaled_delete && scaled && pod_uid)
		cJSON_AddItemToArray(want, ref_to("v1", "Pod", pod));
	else if (policy_is(s, "whenDeleted", "Delete"))
		cJSON_AddItemToArray(want, ref_to("apps/v1", "StatefulSet", s->set));
	const cJSON *have = cJSON_GetObjectItemCaseSensitive(md, "ownerReferences");
	bool same = (cJSON_GetArraySize(have) == 0 && cJSON_GetArraySize(want) == 0) ||
		    cJSON_Compare(have, want, true);
	cJSON_DeleteItemFromObjectCaseSensitive(md, "ownerReferences");
	if (cJSON_GetArraySize(want))
		cJSON_AddItemToObject(md, "ownerReferences", want);
	else
		cJSON_Delete(want);
	return !same;
}

/* UpdatePodClaimForRetentionPolicy over every claim of a created pod. */
void stspod_fix_claims(struct stssync *s, const struct stsslot *p, bool scaled)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, cj_path(s->spec, "volumeClaimTemplates", NULL))
	{
		if (!cj_str(cj_path(t, "metadata", NULL), "name"))
			continue;
		char *name = claim_name(t, s->name, p->ord);
		const struct simobj *o = simstore_get(s->c->sim->store, s->c->pvcs, s->ns, name);
		free(name);
		if (!o)
			continue;
		cJSON *claim = simobj_copy(o);
		if (claim_owner_refs(s, claim, p->pod, scaled))
			simstore_update(s->c->sim->store, s->c->pvcs, claim, 0, NULL);
		else
			cJSON_Delete(claim);
	}
}

/* CreateStatefulPod: the claims first, then the pod. */
void stspod_create(struct stssync *s, cJSON *pod, int32_t ord)
{
	struct stsctl *c = s->c;
	char *name = xstrdup(cj_str(cj_path(pod, "metadata", NULL), "name"));
	stspod_create_claims(s, ord, name);
	cJSON *obj = cJSON_Duplicate(pod, 1);
	objdefaults_apply("Pod", obj);
	cJSON *err = simprep_create(c->sim, c->pods, obj);
	if (err) {
		cJSON_Delete(err);
		cJSON_Delete(obj);
	} else if (simstore_create(c->sim->store, c->pods, obj, NULL) == SIMSTORE_OK) {
		pod_event(s, "create", name);
	}
	free(name);
}

void stspod_delete(struct stssync *s, const cJSON *pod)
{
	char *name = xstrdup(cj_str(cj_path(pod, "metadata", NULL), "name"));
	if (simpod_delete(s->c->sim, s->ns, name, -1, NULL) == SIMSTORE_OK)
		pod_event(s, "delete", name);
	free(name);
}

/* identityMatches' labels, fixed by UpdateStatefulPod. */
void stspod_fix_identity(struct stssync *s, const struct stsslot *p)
{
	const char *name = cj_str(cj_path(p->pod, "metadata", NULL), "name");
	const cJSON *labels = cj_path(p->pod, "metadata", "labels", NULL);
	char ordtxt[16];
	snprintf(ordtxt, sizeof(ordtxt), "%d", p->ord);
	const char *pn = cj_str(labels, "statefulset.kubernetes.io/pod-name");
	const char *pi = cj_str(labels, "apps.kubernetes.io/pod-index");
	if (pn && strcmp(pn, name) == 0 && pi && strcmp(pi, ordtxt) == 0)
		return;
	cJSON *obj = cJSON_Duplicate(p->pod, 1);
	cJSON *l = simjson_object(simjson_object(obj, "metadata"), "labels");
	simjson_set_string(l, "statefulset.kubernetes.io/pod-name", name);
	simjson_set_string(l, "apps.kubernetes.io/pod-index", ordtxt);
	char *n = xstrdup(name);
	if (simstore_update(s->c->sim->store, s->c->pods, obj, 0, NULL) == SIMSTORE_OK)
		pod_event(s, "update", n);
	free(n);
}
