#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "api_write.h"
#include "ctrl_daemonset_int.h"
#include "events.h"
#include "objdefaults.h"
#include "poddelete.h"
#include "sim.h"
#include "simobj.h"

/*
 * The DaemonSet's pods: the predicates the controller applies to them,
 * CreatePodTemplate and syncNodes (podControl's creates and deletes, with
 * their events), and ClaimPods with getNodesToDaemonPods.
 */

#define BURST_REPLICAS 250

static const struct simevent_source src = {"daemonset-controller", NULL};

const char *dspod_name(const cJSON *o)
{
	const char *n = cj_str(cj_path(o, "metadata", NULL), "name");
	return n ? n : "";
}

const char *dspod_phase(const cJSON *pod)
{
	const char *p = cj_str(cj_path(pod, "status", NULL), "phase");
	return p ? p : "";
}

bool dspod_deleted(const cJSON *pod)
{
	return cj_path(pod, "metadata", "deletionTimestamp", NULL) != NULL;
}

bool dspod_terminal(const cJSON *pod)
{
	return !strcmp(dspod_phase(pod), "Failed") || !strcmp(dspod_phase(pod), "Succeeded");
}

bool dspod_ready(const cJSON *pod)
{
	int64_t since;
	return cj_pod_ready(pod, &since);
}

/* podutil.IsPodAvailable; records when a ready pod will become available. */
bool dspod_available(struct dssync *s, const cJSON *pod)
{
	return cj_pod_available(pod, s->min_ready, s->now, &s->next_wake);
}

/* podByCreationTimestampAndPhase: scheduled first, then oldest, then name. */
int dspod_cmp_age(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	const char *nx = cj_str(cj_path(x, "spec", NULL), "nodeName");
	const char *ny = cj_str(cj_path(y, "spec", NULL), "nodeName");
	bool sx = nx && *nx, sy = ny && *ny;
	if (sx != sy)
		return sx ? -1 : 1;
	int64_t tx = cj_time(cj_path(x, "metadata", NULL), "creationTimestamp");
	int64_t ty = cj_time(cj_path(y, "metadata", NULL), "creationTimestamp");
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return strcmp(dspod_name(x), dspod_name(y));
}

cJSON *dspod_controller_ref(const struct dssync *s)
{
	cJSON *ref = cJSON_CreateObject();
	cJSON_AddStringToObject(ref, "apiVersion", "apps/v1");
	cJSON_AddStringToObject(ref, "kind", "DaemonSet");
	cJSON_AddStringToObject(ref, "name", s->name);
	const char *uid = cj_str(cj_path(s->ds, "metadata", NULL), "uid");
	cJSON_AddStringToObject(ref, "uid", uid ? uid : "");
	cJSON_AddTrueToObject(ref, "controller");
	cJSON_AddTrueToObject(ref, "blockOwnerDeletion");
	return ref;
}

void dsctl_event(struct dssync *s, const char *type, const char *reason, const char *msg)
{
	const struct simobj *o = simstore_get(s->c->sim->store, s->c->sets, s->ns, s->name);
	if (o)
		simevents_record(s->c->sim, o->json, NULL, &src, type, reason, "%s", msg);
}

/* CreatePodTemplate and the node pin, then podControl.CreatePods. */
static void create_pod(struct dssync *s, const char *node)
{
	const cJSON *tmpl = cj_path(s->spec, "template", NULL);
	const cJSON *tmeta = cJSON_GetObjectItemCaseSensitive(tmpl, "metadata");
	cJSON *pod = cJSON_CreateObject();
	cJSON_AddStringToObject(pod, "apiVersion", "v1");
	cJSON_AddStringToObject(pod, "kind", "Pod");
	cJSON *md = cJSON_AddObjectToObject(pod, "metadata");
	char *gen = xasprintf("%s-", s->name);
	cJSON_AddStringToObject(md, "generateName", gen);
	free(gen);
	cJSON_AddStringToObject(md, "namespace", s->ns);
	const char *keys[] = {"labels", "annotations", "finalizers"};
	for (int i = 0; i < 3; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(tmeta, keys[i]);
		if (v)
			cJSON_AddItemToObject(md, keys[i], cJSON_Duplicate(v, 1));
	}
	cJSON *labels = simjson_object(md, "labels");
	if (s->gen)
		simjson_set_string(labels, DS_GENERATION_LABEL, s->gen);
	if (*s->hash)
		simjson_set_string(labels, DS_HASH_LABEL, s->hash);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(md, "ownerReferences"),
			     dspod_controller_ref(s));
	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(tmpl, "spec");
	cJSON *spec = ps ? cJSON_Duplicate(ps, 1) : cJSON_CreateObject();
	cJSON_AddItemToObject(pod, "spec", spec);
	dsutil_add_tolerations(spec);
	dsutil_pin_to_node(spec, node);
	objdefaults_apply("Pod", pod);
	struct dsctl *c = s->c;
	cJSON *err = simprep_create(c->sim, c->pods, pod);
	struct simobj *made = NULL;
	enum simstore_rc rc =
	    err ? SIMSTORE_INVALID : simstore_create(c->sim->store, c->pods, pod, &made);
	if (err)
		cJSON_Delete(pod);
	s->acted++;
	if (rc == SIMSTORE_OK && made) {
		char *msg = xasprintf("Created pod: %s", made->name);
		dsctl_event(s, "Normal", "SuccessfulCreate", msg);
		free(msg);
	} else {
		const char *why = err ? cj_str(err, "message") : NULL;
		size_t max = simstore_max_objects(c->sim->store);
		char *msg =
		    rc == SIMSTORE_FULL
			? xasprintf("Error creating: pods \"%s-\" is forbidden: exceeded quota: "
				    "podscope-sim-max-objects, requested: count/pods=1, used: "
				    "count/pods=%zu, limited: count/pods=%zu",
				    s->name, max, max)
			: xasprintf("Error creating: %s", why ? why : "the pod was refused");
		dsctl_event(s, "Warning", "FailedCreate", msg);
		free(msg);
		/* The sync's error: it comes back later, as a rate-limited requeue. */
		dsctl_wake_at(c, s->key, s->now + DS_BACKOFF_INITIAL_MS);
	}
	cJSON_Delete(err);
}

static void delete_pod(struct dssync *s, const char *pod)
{
	char *name = xstrdup(pod);
	s->acted++;
	if (simpod_delete(s->c->sim, s->ns, name, -1, NULL) == SIMSTORE_OK) {
		char *msg = xasprintf("Deleted pod: %s", name);
		dsctl_event(s, "Normal", "SuccessfulDelete", msg);
		free(msg);
	}
	free(name);
}

/* syncNodes: deletes, then creates, each capped at burstReplicas. */
void dspod_sync_nodes(struct dssync *s, const char **del, size_t ndel, const char **add,
		      size_t nadd)
{
	for (size_t i = 0; i < ndel && i < BURST_REPLICAS; i++)
		delete_pod(s, del[i]);
	for (size_t i = 0; i < nadd && i < BURST_REPLICAS; i++)
		create_pod(s, add[i]);
}

/* --- loading --------------------------------------------------------------------- */

/*
 * ClaimPods / ClaimControllerRevisions: copies of the objects of res in the
 * set's namespace that it controls, after adopting the orphans its selector
 * matches and releasing the ones it no longer matches.
 */
size_t dspod_claim(struct dssync *s, const struct simres *res, cJSON ***out)
{
	struct dsctl *c = s->c;
	const char *uid = cj_str(cj_path(s->ds, "metadata", NULL), "uid");
	const cJSON *sel = cj_path(s->spec, "selector", NULL);
	struct simsnap *snap = simstore_snapshot(c->sim->store, res);
	char *prefix = xasprintf("%s/", s->ns);
	size_t len = strlen(prefix), n = 0, cap = 8;
	cJSON **v = xcalloc(cap, sizeof(*v));
	for (size_t i = simsnap_seek(snap, prefix, true);
	     i < snap->n && strncmp(snap->items[i]->key, prefix, len) == 0; i++) {
		const struct simobj *o = snap->items[i];
		const char *ouid = cj_str(cj_controller_ref(o->json), "uid");
		bool match = cj_selector_matches(sel, cj_path(o->json, "metadata", "labels", NULL));
		bool ours = ouid && strcmp(ouid, uid) == 0;
		cJSON *copy = NULL;
		if (ours && match) {
			copy = cJSON_Duplicate(o->json, 1);
		} else if (ours) {
			/* Released: the controller reference goes. */
			cJSON *rel = cJSON_Duplicate(o->json, 1);
			cJSON *md = simjson_object(rel, "metadata");
			cJSON *refs = cJSON_GetObjectItemCaseSensitive(md, "ownerReferences");
			cJSON *r = refs ? refs->child : NULL;
			while (r) {
				cJSON *next = r->next;
				if (strcmp(cj_str(r, "uid") ? cj_str(r, "uid") : "", uid) == 0)
					cJSON_Delete(cJSON_DetachItemViaPointer(refs, r));
				r = next;
			}
			if (refs && !refs->child)
				cJSON_DeleteItemFromObjectCaseSensitive(md, "ownerReferences");
			simstore_update(c->sim->store, res, rel, 0, NULL);
		} else if (!cj_controller_ref(o->json) && match &&
			   !cj_path(o->json, "metadata", "deletionTimestamp", NULL)) {
			cJSON *adopt = cJSON_Duplicate(o->json, 1);
			cJSON *md = simjson_object(adopt, "metadata");
			cJSON *refs = cJSON_GetObjectItemCaseSensitive(md, "ownerReferences");
			if (!cJSON_IsArray(refs)) {
				cJSON_DeleteItemFromObjectCaseSensitive(md, "ownerReferences");
				refs = cJSON_AddArrayToObject(md, "ownerReferences");
			}
			cJSON_AddItemToArray(refs, dspod_controller_ref(s));
			struct simobj *made = NULL;
			if (simstore_update(c->sim->store, res, adopt, 0, &made) == SIMSTORE_OK &&
			    made)
				copy = cJSON_Duplicate(made->json, 1);
		}
		if (!copy)
			continue;
		if (n == cap)
			v = xrealloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = copy;
	}
	free(prefix);
	simsnap_unref(snap);
	*out = v;
	return n;
}

void dspod_free(struct dssync *s)
{
	for (size_t i = 0; i < s->npods; i++)
		cJSON_Delete(s->pods[i]);
	free(s->pods);
	s->pods = NULL;
	s->npods = 0;
	for (size_t i = 0; i < s->ngroups; i++)
		free(s->groups[i].pods);
	free(s->groups);
	s->groups = NULL;
	s->ngroups = 0;
}

static int cmp_target(const void *a, const void *b)
{
	const char *x = dsutil_target_node(*(const cJSON *const *)a);
	const char *y = dsutil_target_node(*(const cJSON *const *)b);
	int r = strcmp(x ? x : "", y ? y : "");
	return r ? r : dspod_cmp_age(a, b);
}

/* getDaemonPods and getNodesToDaemonPods(includeDeletedTerminal false): the
 * groups keep each node's pods oldest first. */
void dspod_load(struct dssync *s)
{
	dspod_free(s);
	s->npods = dspod_claim(s, s->c->pods, &s->pods);
	const cJSON **v = xcalloc(s->npods + 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < s->npods; i++) {
		const cJSON *p = s->pods[i];
		if (dspod_terminal(p) && dspod_deleted(p))
			continue;
		if (dsutil_target_node(p))
			v[n++] = p;
	}
	qsort(v, n, sizeof(*v), cmp_target);
	s->groups = xcalloc(n + 1, sizeof(*s->groups));
	for (size_t i = 0; i < n;) {
		size_t j = i;
		const char *node = dsutil_target_node(v[i]);
		while (j < n && strcmp(dsutil_target_node(v[j]), node) == 0)
			j++;
		struct dsgroup *g = &s->groups[s->ngroups++];
		g->node = node;
		g->n = j - i;
		g->pods = xcalloc(g->n, sizeof(*g->pods));
		memcpy(g->pods, v + i, g->n * sizeof(*v));
		i = j;
	}
	free(v);
}

const struct dsgroup *dspod_group(const struct dssync *s, const char *node)
{
	size_t lo = 0, hi = s->ngroups;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strcmp(s->groups[mid].node, node);
		if (r == 0)
			return &s->groups[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
