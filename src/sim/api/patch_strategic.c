#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "patch.h"
#include "podscope/xalloc.h"

/*
 * Strategic merge patch: JSON merge patch plus Kubernetes' knowledge of
 * which lists merge by a key. The key table restates the patchMergeKey tags
 * of the core/v1 and apps/v1 types that kubectl patches.
 */

struct merge_key {
	const char *field;
	const char *key; /* "" = a list of primitives that merges as a set */
};

static const struct merge_key merge_keys[] = {
	{"containers", "name"},
	{"initContainers", "name"},
	{"ephemeralContainers", "name"},
	{"volumes", "name"},
	{"imagePullSecrets", "name"},
	{"env", "name"},
	{"schedulingGates", "name"},
	{"resourceClaims", "name"},
	{"volumeMounts", "mountPath"},
	{"volumeDevices", "devicePath"},
	{"conditions", "type"},
	{"ownerReferences", "uid"},
	{"hostAliases", "ip"},
	{"topologySpreadConstraints", "topologyKey"},
	{"finalizers", ""},
};

const char *patch_merge_key(const char *field, const cJSON *sample)
{
	if (strcmp(field, "ports") == 0) {
		/* Container ports merge on containerPort, Service ports on port. */
		if (sample && cJSON_GetObjectItemCaseSensitive(sample, "containerPort"))
			return "containerPort";
		return "port";
	}
	for (size_t i = 0; i < sizeof(merge_keys) / sizeof(merge_keys[0]); i++)
		if (strcmp(merge_keys[i].field, field) == 0)
			return merge_keys[i].key;
	return NULL;
}

static const char *directive(const cJSON *obj)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(obj, "$patch");
	return cJSON_IsString(d) ? d->valuestring : NULL;
}

/* A copy of a patch map without its directive keys, nested ones too. */
static cJSON *strip_directives(const cJSON *v)
{
	if (cJSON_IsArray(v)) {
		cJSON *out = cJSON_CreateArray();
		for (const cJSON *it = v->child; it; it = it->next) {
			if (cJSON_IsObject(it) && directive(it))
				continue;
			cJSON_AddItemToArray(out, strip_directives(it));
		}
		return out;
	}
	if (!cJSON_IsObject(v))
		return cJSON_Duplicate(v, 1);
	cJSON *out = cJSON_CreateObject();
	for (const cJSON *it = v->child; it; it = it->next) {
		if (it->string[0] == '$')
			continue;
		if (cJSON_IsNull(it))
			continue;
		cJSON_AddItemToObject(out, it->string, strip_directives(it));
	}
	return out;
}

static cJSON *find_by_key(cJSON *list, const char *key, const cJSON *val)
{
	for (cJSON *it = list->child; it; it = it->next) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(it, key);
		if (k && cJSON_Compare(k, val, 1))
			return it;
	}
	return NULL;
}

static bool contains(const cJSON *list, const cJSON *val)
{
	for (const cJSON *it = list->child; it; it = it->next)
		if (cJSON_Compare(it, val, 1))
			return true;
	return false;
}

static cJSON *smp_map(const cJSON *orig, const cJSON *patch, bool *deleted, struct perr *err);

static cJSON *smp_list(const cJSON *orig, const cJSON *patch, const char *field, struct perr *err)
{
	const char *key = patch_merge_key(field, patch->child ? patch->child : orig ? orig->child
										 : NULL);
	if (!key)
		return strip_directives(patch);
	for (const cJSON *it = patch->child; it && *key; it = it->next) {
		if (cJSON_IsObject(it) && directive(it) &&
		    strcmp(directive(it), "replace") == 0)
			continue;
		if (!cJSON_IsObject(it) || !cJSON_GetObjectItemCaseSensitive(it, key)) {
			perr_set(err, PERR_USAGE, "strategic merge patch: an element of %s has no %s",
				 field, key);
			return NULL;
		}
	}
	if (!cJSON_IsArray(orig))
		return strip_directives(patch);
	/* A {"$patch": "replace"} element makes the whole list a replacement. */
	for (const cJSON *it = patch->child; it; it = it->next) {
		const char *d = cJSON_IsObject(it) ? directive(it) : NULL;
		if (d && strcmp(d, "replace") == 0)
			return strip_directives(patch);
	}
	cJSON *out = cJSON_Duplicate(orig, 1);
	if (*key == '\0') {
		for (const cJSON *it = patch->child; it; it = it->next)
			if (!contains(out, it))
				cJSON_AddItemToArray(out, cJSON_Duplicate(it, 1));
		return out;
	}
	for (const cJSON *it = patch->child; it; it = it->next) {
		const cJSON *kv = cJSON_GetObjectItemCaseSensitive(it, key);
		cJSON *cur = find_by_key(out, key, kv);
		const char *d = directive(it);
		if (d && strcmp(d, "delete") == 0) {
			if (cur)
				cJSON_Delete(cJSON_DetachItemViaPointer(out, cur));
			continue;
		}
		if (!cur) {
			cJSON_AddItemToArray(out, strip_directives(it));
			continue;
		}
		bool gone = false;
		cJSON *merged = smp_map(cur, it, &gone, err);
		if (!merged && !gone) {
			cJSON_Delete(out);
			return NULL;
		}
		if (gone)
			cJSON_Delete(cJSON_DetachItemViaPointer(out, cur));
		else
			cJSON_ReplaceItemViaPointer(out, cur, merged);
	}
	return out;
}

/* $setElementOrder/<field>: the listed elements first, in that order. */
static void set_order(cJSON *obj, const char *field, const cJSON *order)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(obj, field);
	if (!cJSON_IsArray(list) || !cJSON_IsArray(order))
		return;
	const char *key = patch_merge_key(field, list->child);
	cJSON *sorted = cJSON_CreateArray();
	for (const cJSON *o = order->child; o; o = o->next) {
		cJSON *hit = NULL;
		if (key && *key && cJSON_IsObject(o)) {
			const cJSON *kv = cJSON_GetObjectItemCaseSensitive(o, key);
			hit = kv ? find_by_key(list, key, kv) : NULL;
		} else {
			for (cJSON *it = list->child; it && !hit; it = it->next)
				if (cJSON_Compare(it, o, 1))
					hit = it;
		}
		if (hit)
			cJSON_AddItemToArray(sorted, cJSON_DetachItemViaPointer(list, hit));
	}
	cJSON *rest;
	while ((rest = list->child))
		cJSON_AddItemToArray(sorted, cJSON_DetachItemViaPointer(list, rest));
	cJSON_ReplaceItemInObjectCaseSensitive(obj, field, sorted);
}

static void delete_from_primitive_list(cJSON *obj, const char *field, const cJSON *values)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(obj, field);
	if (!cJSON_IsArray(list) || !cJSON_IsArray(values))
		return;
	cJSON *it = list->child;
	while (it) {
		cJSON *next = it->next;
		if (contains(values, it))
			cJSON_Delete(cJSON_DetachItemViaPointer(list, it));
		it = next;
	}
}

static void retain_keys(cJSON *obj, const cJSON *keys)
{
	cJSON *it = obj->child;
	while (it) {
		cJSON *next = it->next;
		bool keep = false;
		for (const cJSON *k = keys->child; k && !keep; k = k->next)
			keep = cJSON_IsString(k) && strcmp(k->valuestring, it->string) == 0;
		if (!keep)
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, it));
		it = next;
	}
}

static cJSON *smp_map(const cJSON *orig, const cJSON *patch, bool *deleted, struct perr *err)
{
	*deleted = false;
	const char *d = directive(patch);
	if (d && strcmp(d, "delete") == 0) {
		*deleted = true;
		return NULL;
	}
	if (d && strcmp(d, "replace") == 0)
		return strip_directives(patch);
	if (d && strcmp(d, "merge") != 0) {
		perr_set(err, PERR_USAGE, "strategic merge patch: unknown $patch \"%s\"", d);
		return NULL;
	}
	cJSON *out = cJSON_IsObject(orig) ? cJSON_Duplicate(orig, 1) : cJSON_CreateObject();
	for (const cJSON *p = patch->child; p; p = p->next) {
		const char *k = p->string;
		if (k[0] == '$')
			continue;
		cJSON *cur = cJSON_GetObjectItemCaseSensitive(out, k);
		cJSON *val = NULL;
		bool gone = cJSON_IsNull(p);
		if (cJSON_IsObject(p)) {
			val = smp_map(cur, p, &gone, err);
			if (!val && !gone)
				goto fail;
		} else if (cJSON_IsArray(p)) {
			val = smp_list(cur, p, k, err);
			if (!val)
				goto fail;
		} else if (!gone) {
			val = cJSON_Duplicate(p, 1);
		}
		if (gone) {
			if (cur)
				cJSON_DeleteItemFromObjectCaseSensitive(out, k);
		} else if (cur) {
			cJSON_ReplaceItemInObjectCaseSensitive(out, k, val);
		} else {
			cJSON_AddItemToObject(out, k, val);
		}
	}
	/* Directives that act on the merged result. */
	for (const cJSON *p = patch->child; p; p = p->next) {
		static const char order[] = "$setElementOrder/";
		static const char delprim[] = "$deleteFromPrimitiveList/";
		if (strncmp(p->string, order, sizeof(order) - 1) == 0)
			set_order(out, p->string + sizeof(order) - 1, p);
		else if (strncmp(p->string, delprim, sizeof(delprim) - 1) == 0)
			delete_from_primitive_list(out, p->string + sizeof(delprim) - 1, p);
		else if (strcmp(p->string, "$retainKeys") == 0 && cJSON_IsArray(p))
			retain_keys(out, p);
	}
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
}

cJSON *patch_strategic(const cJSON *obj, const cJSON *patch, struct perr *err)
{
	if (!cJSON_IsObject(patch)) {
		perr_set(err, PERR_USAGE, "a strategic merge patch must be a JSON object");
		return NULL;
	}
	bool deleted = false;
	cJSON *out = smp_map(obj, patch, &deleted, err);
	if (deleted) {
		perr_set(err, PERR_USAGE, "strategic merge patch: $patch delete on the whole object");
		return NULL;
	}
	return out;
}
