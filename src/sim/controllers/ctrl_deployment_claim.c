#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrl_deployment_int.h"
#include "podscope/xalloc.h"
#include "sim.h"
#include "simobj.h"

/*
 * ClaimPods and ClaimReplicaSets (controller_ref_manager.go): a controller
 * adopts the orphans its selector matches and releases what it controls
 * but no longer matches, by adding or removing its controller
 * ownerReference.
 */

static bool value_in(const char *v, const cJSON *values)
{
	const cJSON *x;
	cJSON_ArrayForEach(x, values)
	{
		if (cJSON_IsString(x) && strcmp(x->valuestring, v) == 0)
			return true;
	}
	return false;
}

bool cj_selector_matches(const cJSON *sel, const cJSON *labels)
{
	const cJSON *l;
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(sel, "matchLabels"))
	{
		const char *v = cj_str(labels, l->string);
		if (!cJSON_IsString(l) || !v || strcmp(v, l->valuestring) != 0)
			return false;
	}
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(sel, "matchExpressions"))
	{
		const char *key = cj_str(e, "key"), *op = cj_str(e, "operator");
		const cJSON *vals = cJSON_GetObjectItemCaseSensitive(e, "values");
		const char *v = key ? cj_str(labels, key) : NULL;
		if (!key || !op)
			return false;
		if (strcmp(op, "In") == 0) {
			if (!v || !value_in(v, vals))
				return false;
		} else if (strcmp(op, "NotIn") == 0) {
			if (v && value_in(v, vals))
				return false;
		} else if (strcmp(op, "Exists") == 0) {
			if (!v)
				return false;
		} else if (strcmp(op, "DoesNotExist") == 0) {
			if (v)
				return false;
		} else {
			return false;
		}
	}
	return true;
}

static bool deleting(const cJSON *o)
{
	return cj_path(o, "metadata", "deletionTimestamp", NULL) != NULL;
}

static const cJSON *labels_of(const cJSON *o)
{
	return cj_path(o, "metadata", "labels", NULL);
}

/* The first live owner candidate in ns (by name) whose selector matches. */
static const struct simobj *find_owner(struct ctrlapps *c, const struct simres *owners,
				       const char *ns, const cJSON *labels)
{
	struct simsnap *s = simstore_snapshot(c->sim->store, owners);
	char *prefix = xasprintf("%s/", ns);
	const struct simobj *found = NULL;
	for (size_t i = simsnap_seek(s, prefix, true); i < s->n && !found; i++) {
		const struct simobj *o = s->items[i];
		if (strncmp(o->key, prefix, strlen(prefix)) != 0)
			break;
		const cJSON *sel = cj_path(o->json, "spec", "selector", NULL);
		/* An empty selector selects nothing for adoption (SelectingAll). */
		if (deleting(o->json) || cJSON_GetArraySize(sel) == 0)
			continue;
		if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sel, "matchLabels")) == 0 &&
		    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sel, "matchExpressions")) ==
			0)
			continue;
		if (cj_selector_matches(sel, labels))
			found = o;
	}
	free(prefix);
	simsnap_unref(s);
	return found;
}

static void adopt(struct ctrlapps *c, const struct simres *res, const char *key,
		  const struct simres *owners)
{
	char ns[256], name[256];
	cj_split_key(key, ns, name);
	const struct simobj *o = simstore_get(c->sim->store, res, ns, name);
	if (!o || deleting(o->json) || cj_controller_ref(o->json))
		return;
	const struct simobj *owner = find_owner(c, owners, ns, labels_of(o->json));
	if (!owner)
		return;
	cJSON *j = simobj_copy(o);
	cJSON *md = simjson_object(j, "metadata");
	cJSON *refs = cJSON_GetObjectItemCaseSensitive(md, "ownerReferences");
	if (!cJSON_IsArray(refs)) {
		cJSON_DeleteItemFromObjectCaseSensitive(md, "ownerReferences");
		refs = cJSON_AddArrayToObject(md, "ownerReferences");
	}
	cJSON *ref = cJSON_CreateObject();
	cJSON_AddStringToObject(ref, "apiVersion", owner->res->api_version);
	cJSON_AddStringToObject(ref, "kind", owner->res->kind);
	cJSON_AddStringToObject(ref, "name", owner->name);
	cJSON_AddStringToObject(ref, "uid", cj_str(cj_path(owner->json, "metadata", NULL), "uid"));
	cJSON_AddTrueToObject(ref, "controller");
	cJSON_AddTrueToObject(ref, "blockOwnerDeletion");
	cJSON_AddItemToArray(refs, ref);
	simstore_update(c->sim->store, res, j, 0, NULL);
}

void ctrl_adopt_pod(struct ctrlapps *c, const char *key)
{
	if (c->rs_on)
		adopt(c, c->pods, key, c->rss);
}

void ctrl_adopt_rs(struct ctrlapps *c, const char *key)
{
	if (c->dep_on)
		adopt(c, c->rss, key, c->deps);
}

bool ctrl_release_unmatched(struct ctrlapps *c, const struct simres *res, const struct simobj *o,
			    const cJSON *selector, const char *owner_uid)
{
	if (cj_selector_matches(selector, labels_of(o->json)))
		return false;
	cJSON *j = simobj_copy(o);
	cJSON *refs = (cJSON *)cj_path(j, "metadata", "ownerReferences", NULL);
	cJSON *r = refs ? refs->child : NULL;
	while (r) {
		cJSON *next = r->next;
		const char *uid = cj_str(r, "uid");
		if (uid && strcmp(uid, owner_uid) == 0)
			cJSON_Delete(cJSON_DetachItemViaPointer(refs, r));
		r = next;
	}
	if (refs && !refs->child)
		cJSON_DeleteItemFromObjectCaseSensitive(simjson_object(j, "metadata"),
							"ownerReferences");
	simstore_update(c->sim->store, res, j, 0, NULL);
	return true;
}
