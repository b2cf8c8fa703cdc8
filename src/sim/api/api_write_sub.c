#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "api_write.h"
#include "patch.h"
#include "sim.h"
#include "simobj.h"

/*
 * The /scale subresource (autoscaling/v1 Scale) of Deployments and
 * ReplicaSets: GET, PUT and PATCH, with the resourceVersion precondition and
 * the Scale's own validation.
 */

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* metav1.FormatLabelSelector: requirements sorted by key. */
static void format_selector(struct buf *out, const cJSON *sel)
{
	const cJSON *ml = get(sel, "matchLabels"), *it;
	size_t n = 0, i = 0;
	cJSON_ArrayForEach(it, ml) n++;
	const cJSON **items = xcalloc(n + 1, sizeof(*items));
	cJSON_ArrayForEach(it, ml) items[i++] = it;
	qsort(items, n, sizeof(*items), cmp_item);
	for (i = 0; i < n; i++)
		if (cJSON_IsString(items[i]))
			buf_printf(out, "%s%s=%s", out->len ? "," : "", items[i]->string,
				   items[i]->valuestring);
	free(items);
	cJSON_ArrayForEach(it, get(sel, "matchExpressions"))
	{
		const char *key = simjson_string(it, "key"), *op = simjson_string(it, "operator");
		if (!key || !op)
			continue;
		if (out->len)
			buf_addc(out, ',');
		if (strcmp(op, "Exists") == 0) {
			buf_adds(out, key);
		} else if (strcmp(op, "DoesNotExist") == 0) {
			buf_printf(out, "!%s", key);
		} else {
			buf_printf(out, "%s %s (", key, strcmp(op, "In") == 0 ? "in" : "notin");
			const cJSON *v;
			int j = 0;
			cJSON_ArrayForEach(v, get(it, "values"))
			{
				if (cJSON_IsString(v))
					buf_printf(out, "%s%s", j++ ? "," : "", v->valuestring);
			}
			buf_addc(out, ')');
		}
	}
}

cJSON *simwrite_scale_of(const struct simobj *o)
{
	const cJSON *md = get(o->json, "metadata"), *spec = get(o->json, "spec");
	cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "kind", "Scale");
	cJSON_AddStringToObject(s, "apiVersion", "autoscaling/v1");
	cJSON *smd = cJSON_AddObjectToObject(s, "metadata");
	const char *keys[] = {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"};
	for (int i = 0; i < 5; i++) {
		const char *v = simjson_string(md, keys[i]);
		if (v)
			cJSON_AddStringToObject(smd, keys[i], v);
	}
	const cJSON *want = get(spec, "replicas");
	const cJSON *have = get(get(o->json, "status"), "replicas");
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(s, "spec"), "replicas",
				cJSON_IsNumber(want) ? want->valuedouble : 1);
	cJSON *st = cJSON_AddObjectToObject(s, "status");
	cJSON_AddNumberToObject(st, "replicas", cJSON_IsNumber(have) ? have->valuedouble : 0);
	struct buf sel = BUF_INIT;
	format_selector(&sel, get(spec, "selector"));
	if (sel.len)
		cJSON_AddStringToObject(st, "selector", sel.data);
	buf_free(&sel);
	return s;
}

static void reply_scale(struct simreq *r, const struct simobj *o)
{
	cJSON *s = simwrite_scale_of(o);
	char *txt = cJSON_PrintUnformatted(s);
	struct buf b = BUF_INIT;
	buf_adds(&b, txt);
	free(txt);
	cJSON_Delete(s);
	simreq_reply(r, 200, &b);
}

static void scale_invalid(struct simreq *r, const char *name, const cJSON *value, const char *why)
{
	char *v = value ? cJSON_PrintUnformatted(value) : xstrdup("null");
	char *detail = xasprintf("Invalid value: %s: %s", v, why);
	char *m = xasprintf("Scale.autoscaling \"%s\" is invalid: spec.replicas: %s", name, detail);
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "name", name);
	cJSON_AddStringToObject(d, "group", "autoscaling");
	cJSON_AddStringToObject(d, "kind", "Scale");
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "reason", "FieldValueInvalid");
	cJSON_AddStringToObject(c, "message", detail);
	cJSON_AddStringToObject(c, "field", "spec.replicas");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(d, "causes"), c);
	simreq_reply_status(r, 422, "Invalid", m, d);
	free(m);
	free(detail);
	free(v);
}

static bool is_ctype(const char *ct, const char *want)
{
	return ct && strncmp(ct, want, strlen(want)) == 0;
}

/* The Scale the client wants: the PUT body, or the current Scale patched. */
static cJSON *wanted_scale(struct simreq *r, const struct simobj *cur)
{
	const char *ct = simreq_header(r, "Content-Type");
	if (!r->body.len) {
		simwrite_bad_request(r, "the body of the request was empty");
		return NULL;
	}
	if (strcmp(r->method, "PUT") == 0) {
		cJSON *s = NULL;
		if (is_ctype(ct, "application/vnd.kubernetes.protobuf")) {
			simreq_reply_status(r, 415, "UnsupportedMediaType",
					    "podscope-sim cannot decode a protobuf Scale; send "
					    "application/json",
					    NULL);
			return NULL;
		}
		s = cJSON_ParseWithLength(r->body.data, r->body.len);
		if (!cJSON_IsObject(s)) {
			cJSON_Delete(s);
			simwrite_bad_request(r, "error decoding request body: invalid JSON");
			return NULL;
		}
		if (!simwrite_ints_body(r, "Scale", "autoscaling/v1", s)) {
			cJSON_Delete(s);
			return NULL;
		}
		return s;
	}
	cJSON *p = cJSON_ParseWithLength(r->body.data, r->body.len);
	if (!p) {
		simwrite_bad_request(r, "error decoding patch: invalid JSON");
		return NULL;
	}
	cJSON *base = simwrite_scale_of(cur);
	struct perr err = {0};
	cJSON *s;
	if (is_ctype(ct, "application/merge-patch+json"))
		s = patch_merge(base, p, &err);
	else if (is_ctype(ct, "application/strategic-merge-patch+json") ||
		 is_ctype(ct, "application/apply-patch+yaml"))
		s = patch_strategic(base, p, &err);
	else if (is_ctype(ct, "application/json-patch+json"))
		s = patch_json(base, p, &err);
	else {
		s = NULL;
		perr_set(&err, PERR_USAGE, "unsupported patch type");
	}
	if (!s)
		simwrite_bad_request(r, "%s", perr_msg(&err));
	else if (!simwrite_ints_patch(r, "Scale", s, ct)) {
		cJSON_Delete(s);
		s = NULL;
	}
	perr_clear(&err);
	cJSON_Delete(p);
	cJSON_Delete(base);
	return s;
}

void simwrite_scale(struct simreq *r, const struct simroute *rt)
{
	struct simobj *cur = simstore_get(r->sim->store, rt->res, rt->ns, rt->name);
	if (!cur) {
		simapi_not_found(r, rt->res, rt->name);
		return;
	}
	struct simobj *hold = simobj_ref(cur);
	cJSON *s = wanted_scale(r, hold);
	if (!s) {
		simobj_unref(hold);
		return;
	}
	const cJSON *smd = get(s, "metadata");
	const char *sname = simjson_string(smd, "name");
	const cJSON *want = get(get(s, "spec"), "replicas");
	if (sname && *sname && strcmp(sname, rt->name) != 0) {
		simwrite_bad_request(r,
				     "the name of the object (%s) does not match the name on the "
				     "URL (%s)",
				     sname, rt->name);
	} else if (want &&
		   (!cJSON_IsNumber(want) || want->valuedouble != floor(want->valuedouble))) {
		scale_invalid(r, rt->name, want, "must be an integer");
	} else if (cJSON_IsNumber(want) && want->valuedouble < 0) {
		scale_invalid(r, rt->name, want, "must be greater than or equal to 0");
	} else {
		cJSON *obj = simobj_copy(hold);
		cJSON_DeleteItemFromObjectCaseSensitive(obj, "status");
		cJSON *spec = simjson_object(obj, "spec");
		cJSON_DeleteItemFromObjectCaseSensitive(spec, "replicas");
		cJSON_AddNumberToObject(spec, "replicas",
					cJSON_IsNumber(want) ? want->valuedouble : 0);
		cJSON *md = simjson_object(obj, "metadata");
		const char *rv = simjson_string(smd, "resourceVersion");
		if (rv && *rv)
			simjson_set_string(md, "resourceVersion", rv);
		else
			cJSON_DeleteItemFromObjectCaseSensitive(md, "resourceVersion");
		struct simobj *stored = NULL;
		if (simwrite_commit_update(r, rt->res, hold->json, obj, false, &stored) == 200 &&
		    stored) {
			reply_scale(r, stored);
			simobj_unref(stored);
		}
	}
	cJSON_Delete(s);
	simobj_unref(hold);
}
