#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"
#include "podscope/yamljson.h"

#include "api_write.h"
#include "resourcequota.h"
#include "objdefaults.h"
#include "patch.h"
#include "sim.h"
#include "simobj.h"

/* --- answers -------------------------------------------------------------- */

void simwrite_qualified(const struct simres *res, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s", res->plural, *res->group ? "." : "", res->group);
}

static cJSON *details(const struct simres *res, const char *name)
{
	cJSON *d = cJSON_CreateObject();
	if (name && *name)
		cJSON_AddStringToObject(d, "name", name);
	if (*res->group)
		cJSON_AddStringToObject(d, "group", res->group);
	cJSON_AddStringToObject(d, "kind", res->plural);
	return d;
}

void simwrite_bad_request(struct simreq *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = NULL;
	if (vasprintf(&m, fmt, ap) < 0)
		m = NULL;
	va_end(ap);
	simreq_reply_status(r, 400, "BadRequest", m ? m : "bad request", NULL);
	free(m);
}

void simwrite_conflict(struct simreq *r, const struct simres *res, const char *name)
{
	char q[128];
	simwrite_qualified(res, q, sizeof(q));
	char *m = xasprintf("Operation cannot be fulfilled on %s \"%s\": the object has been "
			    "modified; please apply your changes to the latest version and try "
			    "again",
			    q, name);
	simreq_reply_status(r, 409, "Conflict", m, details(res, name));
	free(m);
}

static void already_exists(struct simreq *r, const struct simres *res, const char *name)
{
	char q[128];
	simwrite_qualified(res, q, sizeof(q));
	char *m = xasprintf("%s \"%s\" already exists", q, name);
	simreq_reply_status(r, 409, "AlreadyExists", m, details(res, name));
	free(m);
}

/* What a ResourceQuota on count/<resource> answers; the store's limit is one. */
void simwrite_full(struct simreq *r, const struct simres *res, const char *name)
{
	char q[128];
	simwrite_qualified(res, q, sizeof(q));
	size_t max = simstore_max_objects(r->sim->store);
	char *m = xasprintf("%s \"%s\" is forbidden: exceeded quota: podscope-sim-max-objects, "
			    "requested: count/%s=1, used: count/%s=%zu, limited: count/%s=%zu",
			    q, name ? name : "", q, q, max, q, max);
	simreq_reply_status(r, 403, "Forbidden", m, details(res, name));
	free(m);
}

void simwrite_reply_status_json(struct simreq *r, cJSON *status)
{
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(status, "code");
	char *s = cJSON_PrintUnformatted(status);
	struct buf b = BUF_INIT;
	buf_adds(&b, s);
	free(s);
	simreq_reply(r, cJSON_IsNumber(code) ? (unsigned)code->valueint : 500, &b);
	cJSON_Delete(status);
}

void simwrite_invalid(struct simreq *r, const struct simres *res, const char *name,
		      const char *field, const char *reason, const char *detail)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "name", name ? name : "");
	cJSON_AddStringToObject(d, "group", res->group);
	cJSON_AddStringToObject(d, "kind", res->kind);
	cJSON *causes = cJSON_AddArrayToObject(d, "causes");
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "reason", reason);
	cJSON_AddStringToObject(c, "message", detail);
	cJSON_AddStringToObject(c, "field", field);
	cJSON_AddItemToArray(causes, c);
	char *m = xasprintf("%s%s%s \"%s\" is invalid: %s: %s", res->kind, *res->group ? "." : "",
			    res->group, name ? name : "", field, detail);
	simreq_reply_status(r, 422, "Invalid", m, d);
	free(m);
}

void simwrite_reply_obj(struct simreq *r, unsigned code, const struct simobj *o)
{
	struct buf b = BUF_INIT;
	buf_add(&b, o->ser, o->ser_len);
	simreq_reply(r, code, &b);
}

static void reply_json(struct simreq *r, unsigned code, const cJSON *obj)
{
	char *s = cJSON_PrintUnformatted(obj);
	struct buf b = BUF_INIT;
	buf_adds(&b, s);
	free(s);
	simreq_reply(r, code, &b);
}

bool simwrite_dry_run(const struct simreq *r)
{
	const char *d = simreq_arg(r, "dryRun");
	return d && strcmp(d, "All") == 0;
}

/* --- request bodies ------------------------------------------------------- */

static bool ctype_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct && strncmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* The body as JSON: JSON, YAML or (for the typed clients) protobuf. NULL
 * with an answer queued when it cannot be read. */
static cJSON *decode_body(struct simreq *r, const struct simres *res, const char *kind)
{
	const char *ct = simreq_header(r, "Content-Type");
	if (!r->body.len) {
		simwrite_bad_request(r, "the body of the request was empty");
		return NULL;
	}
	cJSON *obj = NULL;
	if (ctype_is(ct, "application/vnd.kubernetes.protobuf")) {
		obj = simwrite_from_protobuf(r->body.data, r->body.len, kind);
		if (!obj) {
			simreq_reply_status(r, 415, "UnsupportedMediaType",
					    "podscope-sim cannot decode this protobuf body; "
					    "send application/json",
					    NULL);
			return NULL;
		}
		cJSON_AddStringToObject(obj, "kind", kind);
		cJSON_AddStringToObject(obj, "apiVersion",
					res && strcmp(kind, res->kind) == 0 ? res->api_version
									    : "v1");
		return obj;
	}
	if (ctype_is(ct, "application/yaml") || ctype_is(ct, "application/apply-patch+yaml")) {
		struct perr err = {0};
		obj = yamljson_parse("body", r->body.data, r->body.len, &err);
		if (!obj) {
			simwrite_bad_request(r, "error decoding YAML: %s", perr_msg(&err));
			perr_clear(&err);
		}
		return obj;
	}
	obj = cJSON_ParseWithLength(r->body.data, r->body.len);
	if (!obj) {
		const char *e = cJSON_GetErrorPtr();
		size_t off = e && e >= r->body.data && e <= r->body.data + r->body.len
				 ? (size_t)(e - r->body.data)
				 : 0;
		simwrite_bad_request(r, "error decoding request body: invalid JSON at offset %zu",
				     off);
	}
	return obj;
}

/* Check the body's kind and apiVersion against the URL's resource. */
static bool check_type(struct simreq *r, const struct simres *res, const cJSON *obj)
{
	if (!cJSON_IsObject(obj)) {
		simwrite_bad_request(r, "the body of the request must be a JSON object");
		return false;
	}
	const char *kind = simjson_string(obj, "kind");
	const char *api = simjson_string(obj, "apiVersion");
	if (kind && *kind && strcmp(kind, res->kind) != 0) {
		simwrite_bad_request(r,
				     "the kind of the provided object (%s) does not match the "
				     "kind of the request (%s)",
				     kind, res->kind);
		return false;
	}
	if (api && *api && strcmp(api, res->api_version) != 0) {
		simwrite_bad_request(r,
				     "the API version in the data (%s) does not match the expected "
				     "API version (%s)",
				     api, res->api_version);
		return false;
	}
	return true;
}

/* The URL's namespace must agree with the body's; the body gets the URL's. */
static bool check_meta(struct simreq *r, const struct simroute *rt, cJSON *obj)
{
	cJSON *md = simjson_object(obj, "metadata");
	const char *ns = simjson_string(md, "namespace");
	if (rt->res->namespaced) {
		if (ns && *ns && rt->ns && strcmp(ns, rt->ns) != 0) {
			simwrite_bad_request(r, "the namespace of the provided object does not "
						"match the namespace sent on the request");
			return false;
		}
		if (rt->ns)
			simjson_set_string(md, "namespace", rt->ns);
	} else {
		cJSON_DeleteItemFromObjectCaseSensitive(md, "namespace");
	}
	const char *name = simjson_string(md, "name");
	if (rt->name && name && *name && strcmp(name, rt->name) != 0) {
		simwrite_bad_request(r,
				     "the name of the object (%s) does not match the name on the "
				     "URL (%s)",
				     name, rt->name);
		return false;
	}
	if (rt->name && (!name || !*name))
		simjson_set_string(md, "name", rt->name);
	cJSON_DeleteItemFromObjectCaseSensitive(md, "managedFields");
	cJSON_DeleteItemFromObjectCaseSensitive(md, "selfLink");
	return true;
}

/* --- create ---------------------------------------------------------------- */

static void gen_name(cJSON *md)
{
	const char *name = simjson_string(md, "name");
	const char *gen = simjson_string(md, "generateName");
	if ((name && *name) || !gen || !*gen)
		return;
	static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
	char sfx[6];
	for (int i = 0; i < 5; i++)
		sfx[i] = alphabet[(unsigned)rand() % (sizeof(alphabet) - 1)];
	sfx[5] = '\0';
	char *n = xasprintf("%.58s%s", gen, sfx);
	simjson_set_string(md, "name", n);
	free(n);
}

unsigned simwrite_check_namespace(struct simreq *r, const struct simres *res, const char *ns,
				  const char *name)
{
	if (!res->namespaced)
		return 0;
	const struct simres *nsres = simres_find("", "v1", "namespaces");
	struct simobj *o = r ? simstore_get(r->sim->store, nsres, NULL, ns) : NULL;
	if (!o) {
		if (r)
			simapi_not_found(r, nsres, ns);
		return 404;
	}
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(o->json, "metadata");
	if (!cJSON_GetObjectItemCaseSensitive(md, "deletionTimestamp"))
		return 0;
	char q[128];
	simwrite_qualified(res, q, sizeof(q));
	char *m = xasprintf("%s \"%s\" is forbidden: unable to create new content in namespace "
			    "%s because it is being terminated",
			    q, name ? name : "", ns);
	cJSON *d = details(res, name);
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "reason", "NamespaceTerminating");
	char *cm = xasprintf("namespace %s is being terminated", ns);
	cJSON_AddStringToObject(c, "message", cm);
	free(cm);
	cJSON_AddStringToObject(c, "field", "metadata.namespace");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(d, "causes"), c);
	simreq_reply_status(r, 403, "Forbidden", m, d);
	free(m);
	return 403;
}

static void create(struct simreq *r, const struct simroute *rt)
{
	const struct simres *res = rt->res;
	if (rt->name || rt->sub || (res->namespaced && !rt->ns)) {
		simreq_reply_status(r, 405, "MethodNotAllowed",
				    "the server does not allow this method on the requested "
				    "resource",
				    cJSON_CreateObject());
		return;
	}
	cJSON *obj = decode_body(r, res, res->kind);
	if (!obj)
		return;
	if (!simwrite_ints_body(r, res->kind, res->api_version, obj) || !check_type(r, res, obj) ||
	    !check_meta(r, rt, obj)) {
		cJSON_Delete(obj);
		return;
	}
	cJSON *md = simjson_object(obj, "metadata");
	const char *rv = simjson_string(md, "resourceVersion");
	if (rv && *rv) {
		simwrite_bad_request(r, "resourceVersion should not be set on objects to be "
					"created");
		cJSON_Delete(obj);
		return;
	}
	gen_name(md);
	const char *name = simjson_string(md, "name");
	if (simwrite_check_namespace(r, res, rt->ns, name)) {
		cJSON_Delete(obj);
		return;
	}
	cJSON *st = simprep_create(r->sim, res, obj);
	if (!st) {
		objdefaults_apply(res->kind, obj);
		st = objvalidate(res->kind, res->group, obj);
	}
	if (st) {
		simwrite_reply_status_json(r, st);
		cJSON_Delete(obj);
		return;
	}
	name = simjson_string(simjson_object(obj, "metadata"), "name");
	if (simstore_get(r->sim->store, res, rt->ns, name)) {
		already_exists(r, res, name);
		cJSON_Delete(obj);
		return;
	}
	/* The ResourceQuota admission plugin (resourcequota.c). */
	char *refused = strcmp(res->plural, "pods") == 0 && !*res->group
			    ? simquota_admit_pod(r->sim, obj, !simwrite_dry_run(r))
			    : NULL;
	if (refused) {
		char *m = xasprintf("pods \"%s\" is forbidden: %s", name ? name : "", refused);
		simreq_reply_status(r, 403, "Forbidden", m, details(res, name));
		free(m);
		free(refused);
		cJSON_Delete(obj);
		return;
	}
	if (simwrite_dry_run(r)) {
		cJSON_AddStringToObject(obj, "kind", res->kind);
		reply_json(r, 201, obj);
		cJSON_Delete(obj);
		return;
	}
	struct simobj *out = NULL;
	/* The store takes obj, and frees it when it refuses it: name is in obj. */
	char *kept = xstrdup(name ? name : "");
	enum simstore_rc rc = simstore_create(r->sim->store, res, obj, &out);
	if (rc == SIMSTORE_EXISTS)
		already_exists(r, res, kept);
	else if (rc == SIMSTORE_FULL)
		simwrite_full(r, res, kept);
	else if (rc != SIMSTORE_OK)
		simwrite_bad_request(r, "the object could not be stored");
	else
		simwrite_reply_obj(r, 201, out);
	free(kept);
}

/* --- update and patch ---------------------------------------------------- */

static bool has_finalizers(const cJSON *md)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(md, "finalizers");
	return cJSON_IsArray(f) && cJSON_GetArraySize(f) > 0;
}

unsigned simwrite_commit_update(struct simreq *r, const struct simres *res, const cJSON *cur,
				cJSON *obj, bool status_only, struct simobj **stored)
{
	struct sim *sim = r->sim;
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(cur, "metadata");
	const char *name = simjson_string(cmd, "name");
	cJSON *st = simprep_update(sim, res, cur, obj, status_only);
	if (!st && !status_only) {
		objdefaults_apply(res->kind, obj);
		st = objvalidate(res->kind, res->group, obj);
	}
	if (st) {
		unsigned code = (unsigned)cJSON_GetObjectItemCaseSensitive(st, "code")->valueint;
		simwrite_reply_status_json(r, st);
		cJSON_Delete(obj);
		return code;
	}
	cJSON *md = simjson_object(obj, "metadata");
	const char *rv = simjson_string(md, "resourceVersion");
	uint64_t expect = rv && *rv ? strtoull(rv, NULL, 10) : 0;
	const char *cur_rv = simjson_string(cmd, "resourceVersion");
	if (expect && cur_rv && expect != strtoull(cur_rv, NULL, 10)) {
		simwrite_conflict(r, res, name);
		cJSON_Delete(obj);
		return 409;
	}
	if (simwrite_dry_run(r)) {
		if (stored) {
			*stored =
			    simobj_new(res, obj, expect ? expect : strtoull(cur_rv, NULL, 10));
			return 200;
		}
		reply_json(r, 200, obj);
		cJSON_Delete(obj);
		return 200;
	}
	/* The last finalizer removed from an object being deleted: it goes now
	 * (a namespace goes when the namespace controller has emptied it). */
	const cJSON *grace = cJSON_GetObjectItemCaseSensitive(md, "deletionGracePeriodSeconds");
	bool gone = strcmp(res->kind, "Namespace") != 0 &&
		    cJSON_GetObjectItemCaseSensitive(md, "deletionTimestamp") &&
		    !has_finalizers(md) && (!cJSON_IsNumber(grace) || grace->valuedouble <= 0);
	const char *ns = simjson_string(md, "namespace");
	struct simobj *out = NULL;
	enum simstore_rc rc = simstore_update(sim->store, res, obj, expect, &out);
	if (rc == SIMSTORE_CONFLICT) {
		simwrite_conflict(r, res, name);
		return 409;
	}
	if (rc == SIMSTORE_NOT_FOUND) {
		simapi_not_found(r, res, name);
		return 404;
	}
	if (rc != SIMSTORE_OK) {
		simwrite_bad_request(r, "the object could not be stored");
		return 400;
	}
	struct simobj *keep = simobj_ref(out);
	if (gone)
		simstore_delete(sim->store, res, ns, name, 0, NULL);
	if (stored)
		*stored = keep;
	else {
		simwrite_reply_obj(r, 200, keep);
		simobj_unref(keep);
	}
	return 200;
}

static void replace(struct simreq *r, const struct simroute *rt)
{
	const struct simres *res = rt->res;
	cJSON *obj = decode_body(r, res, res->kind);
	if (!obj)
		return;
	const char *kind = rt->sub && strcmp(rt->sub, "status") != 0 ? NULL : res->kind;
	if (!simwrite_ints_body(r, kind, res->api_version, obj) || !check_type(r, res, obj) ||
	    !check_meta(r, rt, obj)) {
		cJSON_Delete(obj);
		return;
	}
	struct simobj *cur = simstore_get(r->sim->store, res, rt->ns, rt->name);
	if (!cur) {
		simapi_not_found(r, res, rt->name);
		cJSON_Delete(obj);
		return;
	}
	struct simobj *hold = simobj_ref(cur);
	simwrite_commit_update(r, res, hold->json, obj, rt->sub != NULL, NULL);
	simobj_unref(hold);
}

static cJSON *apply_patch(struct simreq *r, const cJSON *cur, const char *ct)
{
	struct perr err = {0};
	cJSON *out = NULL;
	if (ctype_is(ct, "application/apply-patch+yaml")) {
		struct perr yerr = {0};
		cJSON *p = yamljson_parse("patch", r->body.data, r->body.len, &yerr);
		if (!p) {
			simwrite_bad_request(r, "error decoding YAML: %s", perr_msg(&yerr));
			perr_clear(&yerr);
			return NULL;
		}
		out = patch_strategic(cur, p, &err);
		cJSON_Delete(p);
	} else {
		cJSON *p = cJSON_ParseWithLength(r->body.data, r->body.len);
		if (!p) {
			simwrite_bad_request(r, "error decoding patch: invalid JSON");
			return NULL;
		}
		if (ctype_is(ct, "application/merge-patch+json"))
			out = patch_merge(cur, p, &err);
		else if (ctype_is(ct, "application/strategic-merge-patch+json"))
			out = patch_strategic(cur, p, &err);
		else
			out = patch_json(cur, p, &err);
		cJSON_Delete(p);
	}
	if (!out) {
		if (err.kind == PERR_API && err.http_status == 422)
			simreq_reply_status(r, 422, "Invalid", perr_msg(&err), NULL);
		else
			simwrite_bad_request(r, "%s", perr_msg(&err));
	}
	perr_clear(&err);
	return out;
}

static bool patch_type_ok(struct simreq *r, const char *ct)
{
	if (ctype_is(ct, "application/merge-patch+json") ||
	    ctype_is(ct, "application/strategic-merge-patch+json") ||
	    ctype_is(ct, "application/json-patch+json") ||
	    ctype_is(ct, "application/apply-patch+yaml"))
		return true;
	char *m = xasprintf("the body of the request was in an unknown format - accepted media "
			    "types include: application/json-patch+json, "
			    "application/merge-patch+json, application/apply-patch+yaml, "
			    "application/strategic-merge-patch+json");
	simreq_reply_status(r, 415, "UnsupportedMediaType", m, NULL);
	free(m);
	return false;
}

static void patch(struct simreq *r, const struct simroute *rt)
{
	const struct simres *res = rt->res;
	const char *ct = simreq_header(r, "Content-Type");
	if (!patch_type_ok(r, ct))
		return;
	if (!r->body.len) {
		simwrite_bad_request(r, "the body of the request was empty");
		return;
	}
	struct simobj *cur = simstore_get(r->sim->store, res, rt->ns, rt->name);
	if (!cur && ctype_is(ct, "application/apply-patch+yaml") && !rt->sub) {
		create(r, &(struct simroute){.res = rt->res, .ns = rt->ns});
		return;
	}
	if (!cur) {
		simapi_not_found(r, res, rt->name);
		return;
	}
	struct simobj *hold = simobj_ref(cur);
	cJSON *obj = apply_patch(r, hold->json, ct);
	const char *kind = rt->sub && strcmp(rt->sub, "status") != 0 ? NULL : res->kind;
	if (obj && (!simwrite_ints_patch(r, kind, obj, ct) || !check_type(r, res, obj) ||
		    !check_meta(r, rt, obj))) {
		cJSON_Delete(obj);
		obj = NULL;
	}
	if (obj)
		simwrite_commit_update(r, res, hold->json, obj, rt->sub != NULL, NULL);
	simobj_unref(hold);
}

void simwrite_handle(struct simreq *r, const struct simroute *rt)
{
	const char *v = rt->verb;
	if (rt->sub && strcmp(rt->sub, "scale") == 0 &&
	    (strcmp(v, "update") == 0 || strcmp(v, "patch") == 0)) {
		simwrite_scale(r, rt);
		return;
	}
	if (strcmp(v, "create") == 0)
		create(r, rt);
	else if (strcmp(v, "update") == 0)
		replace(r, rt);
	else if (strcmp(v, "patch") == 0)
		patch(r, rt);
	else if (strcmp(v, "delete") == 0 && !rt->sub)
		simwrite_delete(r, rt);
	else if (strcmp(v, "deletecollection") == 0 && !rt->sub)
		simwrite_delete_collection(r, rt);
	else
		simreq_reply_status(r, 405, "MethodNotAllowed",
				    "the server does not allow this method on the requested "
				    "resource",
				    cJSON_CreateObject());
}
