#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "simobj.h"

struct simobj *simobj_ref(struct simobj *o)
{
	if (o)
		o->refs++;
	return o;
}

void simobj_unref(struct simobj *o)
{
	if (!o || --o->refs > 0)
		return;
	cJSON_Delete(o->json);
	free(o->ser);
	free(o->key);
	free(o);
}

cJSON *simobj_copy(const struct simobj *o)
{
	return cJSON_Duplicate(o->json, 1);
}

const cJSON *simobj_labels(const struct simobj *o)
{
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(o->json, "metadata");
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(md, "labels");
	return cJSON_IsObject(l) ? l : NULL;
}

const char *simev_name(enum simev_type t)
{
	switch (t) {
	case SIMEV_ADDED:
		return "ADDED";
	case SIMEV_MODIFIED:
		return "MODIFIED";
	case SIMEV_DELETED:
		return "DELETED";
	}
	return "ERROR";
}

void simjson_set_string(cJSON *obj, const char *key, const char *value)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (item)
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, cJSON_CreateString(value));
	else
		cJSON_AddStringToObject(obj, key, value);
}

void simjson_set_number(cJSON *obj, const char *key, double value)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (item)
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, cJSON_CreateNumber(value));
	else
		cJSON_AddNumberToObject(obj, key, value);
}

const char *simjson_string(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

cJSON *simjson_object(cJSON *obj, const char *key)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (cJSON_IsObject(item))
		return item;
	if (item)
		cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	return cJSON_AddObjectToObject(obj, key);
}

/* Kubernetes writes kind and apiVersion first; keep that order for people reading. */
static void put_type_first(cJSON *json, const struct simres *res)
{
	cJSON_DeleteItemFromObjectCaseSensitive(json, "kind");
	cJSON_DeleteItemFromObjectCaseSensitive(json, "apiVersion");
	cJSON *kind = cJSON_CreateString(res->kind);
	cJSON *api = cJSON_CreateString(res->api_version);
	kind->string = xstrdup("kind");
	api->string = xstrdup("apiVersion");
	api->next = json->child;
	if (json->child)
		json->child->prev = api;
	kind->next = api;
	api->prev = kind;
	json->child = kind;
	/* cJSON keeps the last element in child->prev. */
	cJSON *last = kind;
	while (last->next)
		last = last->next;
	kind->prev = last;
}

struct simobj *simobj_new(const struct simres *res, cJSON *json, uint64_t rv)
{
	char rvs[32];
	snprintf(rvs, sizeof(rvs), "%llu", (unsigned long long)rv);
	put_type_first(json, res);
	cJSON *md = simjson_object(json, "metadata");
	simjson_set_string(md, "resourceVersion", rvs);

	struct simobj *o = xcalloc(1, sizeof(*o));
	o->refs = 1;
	o->res = res;
	o->rv = rv;
	o->json = json;
	const char *ns = simjson_string(md, "namespace");
	o->ns = ns && res->namespaced ? ns : "";
	o->name = simjson_string(md, "name");
	if (!o->name)
		o->name = "";
	o->key = res->namespaced ? xasprintf("%s/%s", o->ns, o->name) : xstrdup(o->name);
	o->ser = cJSON_PrintUnformatted(json);
	if (!o->ser)
		abort();
	o->ser_len = strlen(o->ser);
	return o;
}

struct simobj *simobj_with_rv(const struct simobj *o, uint64_t rv)
{
	return simobj_new(o->res, cJSON_Duplicate(o->json, 1), rv);
}
