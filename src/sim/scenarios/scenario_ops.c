#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "api_write.h"
#include "clock.h"
#include "objdefaults.h"
#include "patch.h"
#include "scenario_int.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"

/*
 * Doing a step: the changes a user would make through the API (set image,
 * scale, restart, pause, resume, patch, create, delete, switch a selector)
 * go through the API server's own preparation, defaults and validation;
 * what a user does inside a container (exec, a probe, a kill) and the image
 * registry go to the kubelet (scenario_ext.c).
 */

static int api_error(struct perr *err, long status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int api_error(struct perr *err, long status, const char *fmt, ...)
{
	char m[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	perr_set(err, PERR_API, "%s", m);
	err->http_status = status;
	return -1;
}

static int not_found(const struct simstep *s, struct perr *err)
{
	char q[96];
	simwrite_qualified(s->res, q, sizeof(q));
	return api_error(err, 404, "%s \"%s\" not found", q, s->name);
}

/* Take a Status (422, 403...) as the error. */
static int status_error(cJSON *st, struct perr *err)
{
	const char *m = simjson_string(st, "message");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(st, "code");
	perr_set(err, PERR_API, "%s", m ? m : "invalid");
	err->http_status = cJSON_IsNumber(code) ? code->valueint : 422;
	cJSON_Delete(st);
	return -1;
}

/* Write next (taken) over the stored version cur, as an update through the API would. */
static int commit(struct sim *sim, const struct simstep *s, const struct simobj *cur, cJSON *next,
		  struct perr *err)
{
	const char *cause = simjson_string(s->spec, "cause");
	if (cause)
		simjson_set_string(simjson_object(simjson_object(next, "metadata"), "annotations"),
				   "kubernetes.io/change-cause", cause);
	cJSON *st = simprep_update(sim, s->res, cur->json, next, false);
	if (!st) {
		objdefaults_apply(s->res->kind, next);
		st = objvalidate(s->res->kind, s->res->group, next);
	}
	if (st) {
		cJSON_Delete(next);
		return status_error(st, err);
	}
	enum simstore_rc rc = simstore_update(sim->store, s->res, next, cur->rv, NULL);
	if (rc == SIMSTORE_NOT_FOUND)
		return not_found(s, err);
	if (rc == SIMSTORE_CONFLICT)
		return api_error(err, 409, "%s \"%s\" changed meanwhile", s->res->plural, s->name);
	return rc == SIMSTORE_OK
		   ? 0
		   : api_error(err, 422, "%s %s: cannot store", s->res->plural, s->name);
}

enum ptype { P_MERGE, P_STRATEGIC, P_JSON };

static int apply_patch(struct sim *sim, const struct simstep *s, enum ptype t, const cJSON *patch,
		       struct perr *err)
{
	struct simobj *o = simstore_get(sim->store, s->res, s->ns, s->name);
	if (!o)
		return not_found(s, err);
	o = simobj_ref(o);
	struct perr perr = {0};
	cJSON *next = t == P_MERGE  ? patch_merge(o->json, patch, &perr)
		      : t == P_JSON ? patch_json(o->json, patch, &perr)
				    : patch_strategic(o->json, patch, &perr);
	int rc;
	if (!next) {
		rc = api_error(err, perr.http_status ? perr.http_status : 400, "%s",
			       perr_msg(&perr));
	} else {
		rc = commit(sim, s, o, next, err);
	}
	perr_clear(&perr);
	simobj_unref(o);
	return rc;
}

/* The template's pod spec (deployments, replicasets) or the spec (pods). */
static const char *spec_path(const struct simstep *s)
{
	return strcmp(s->res->plural, "pods") == 0 ? "spec" : "spec.template.spec";
}

/* {"spec":{"template":{"spec":X}}} or {"spec":X} around x (taken). */
static cJSON *wrap_spec(const struct simstep *s, cJSON *x)
{
	cJSON *p = cJSON_CreateObject();
	if (strcmp(s->res->plural, "pods") == 0) {
		cJSON_AddItemToObject(p, "spec", x);
	} else {
		cJSON *t = cJSON_AddObjectToObject(cJSON_AddObjectToObject(p, "spec"), "template");
		cJSON_AddItemToObject(t, "spec", x);
	}
	return p;
}

/* kubectl set image: a strategic merge patch of one container's image. */
static int set_image(struct sim *sim, const struct simstep *s, struct perr *err)
{
	struct simobj *o = simstore_get(sim->store, s->res, s->ns, s->name);
	if (!o)
		return not_found(s, err);
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(o->json, "spec");
	if (strcmp(s->res->plural, "pods") != 0)
		spec = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(spec, "template"), "spec");
	const cJSON *ctrs = cJSON_GetObjectItemCaseSensitive(spec, "containers");
	const char *want = simjson_string(s->spec, "container");
	const char *name = NULL;
	const cJSON *c;
	cJSON_ArrayForEach(c, ctrs)
	{
		const char *n = simjson_string(c, "name");
		if (n && (!want || !strcmp(n, want)) && !name)
			name = n;
		else if (!want && n)
			return api_error(err, 422,
					 "%s has more than one container: say which (container: "
					 "NAME)",
					 spec_path(s));
	}
	if (!name)
		return api_error(err, 422, "unable to find container named \"%s\"",
				 want ? want : "");
	cJSON *x = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(x, "containers");
	cJSON *one = cJSON_CreateObject();
	cJSON_AddStringToObject(one, "name", name);
	cJSON_AddStringToObject(one, "image", simjson_string(s->spec, "image"));
	cJSON_AddItemToArray(list, one);
	cJSON *p = wrap_spec(s, x);
	int rc = apply_patch(sim, s, P_STRATEGIC, p, err);
	cJSON_Delete(p);
	return rc;
}

static int merge_spec_field(struct sim *sim, const struct simstep *s, const char *key, cJSON *v,
			    struct perr *err)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddItemToObject(cJSON_AddObjectToObject(p, "spec"), key, v);
	int rc = apply_patch(sim, s, P_MERGE, p, err);
	cJSON_Delete(p);
	return rc;
}

/* kubectl rollout restart: the restartedAt annotation of the template. */
static int restart(struct sim *sim, const struct simstep *s, struct perr *err)
{
	char ts[40];
	simclock_format(simclock_now(&sim->clock), ts, sizeof(ts));
	cJSON *p = cJSON_CreateObject();
	cJSON *ann = cJSON_AddObjectToObject(
	    cJSON_AddObjectToObject(
		cJSON_AddObjectToObject(cJSON_AddObjectToObject(p, "spec"), "template"),
		"metadata"),
	    "annotations");
	cJSON_AddStringToObject(ann, "kubectl.kubernetes.io/restartedAt", ts);
	int rc = apply_patch(sim, s, P_STRATEGIC, p, err);
	cJSON_Delete(p);
	return rc;
}

static int patch(struct sim *sim, const struct simstep *s, struct perr *err)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(s->spec, "patch");
	const char *type = simjson_string(s->spec, "type");
	enum ptype t = cJSON_IsArray(p) ? P_JSON : P_STRATEGIC;
	if (type)
		t = !strcmp(type, "merge") ? P_MERGE : !strcmp(type, "json") ? P_JSON : P_STRATEGIC;
	return apply_patch(sim, s, t, p, err);
}

/* Blue-green: the Service selects exactly these labels from now on. */
static int switch_selector(struct sim *sim, const struct simstep *s, struct perr *err)
{
	struct simobj *o = simstore_get(sim->store, s->res, s->ns, s->name);
	if (!o)
		return not_found(s, err);
	cJSON *next = simobj_copy(o);
	cJSON *spec = simjson_object(next, "spec");
	cJSON_DeleteItemFromObjectCaseSensitive(spec, "selector");
	cJSON_AddItemToObject(
	    spec, "selector",
	    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(s->spec, "selector"), 1));
	return commit(sim, s, o, next, err);
}

int simscen_create_object(struct sim *sim, cJSON *obj, struct perr *err)
{
	const struct simres *res =
	    simres_by_kind(simjson_string(obj, "apiVersion"), simjson_string(obj, "kind"));
	cJSON *md = simjson_object(obj, "metadata");
	if (!res) {
		cJSON_Delete(obj);
		return api_error(err, 404, "the server could not find the requested resource");
	}
	if (res->namespaced) {
		if (!simjson_string(md, "namespace"))
			simjson_set_string(md, "namespace", "default");
		simscen_ensure_namespace(sim->store, simjson_string(md, "namespace"));
	} else {
		cJSON_DeleteItemFromObjectCaseSensitive(md, "namespace");
	}
	cJSON *st = simprep_create(sim, res, obj);
	if (!st) {
		objdefaults_apply(res->kind, obj);
		st = objvalidate(res->kind, res->group, obj);
	}
	if (st) {
		cJSON_Delete(obj);
		return status_error(st, err);
	}
	char *name = xstrdup(simjson_string(md, "name"));
	enum simstore_rc rc = simstore_create(sim->store, res, obj, NULL);
	int out = 0;
	if (rc == SIMSTORE_EXISTS)
		out = api_error(err, 409, "%s \"%s\" already exists", res->plural, name);
	else if (rc != SIMSTORE_OK)
		out = api_error(err, 422, "%s \"%s\": cannot store", res->plural, name);
	free(name);
	return out;
}

static int create(struct sim *sim, const struct simstep *s, struct perr *err)
{
	cJSON *obj = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(s->spec, "object"), 1);
	cJSON *md = simjson_object(obj, "metadata");
	if (!simjson_string(md, "namespace"))
		simjson_set_string(md, "namespace", s->ns);
	return simscen_create_object(sim, obj, err);
}

static int delete (struct sim *sim, const struct simstep *s, struct perr *err)
{
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(s->spec, "gracePeriodSeconds");
	int64_t grace = cJSON_IsNumber(g) ? (int64_t)g->valuedouble : -1;
	enum simstore_rc rc =
	    simwrite_delete_object(sim, s->res, s->ns, s->name, grace, NULL, NULL, NULL);
	return rc == SIMSTORE_NOT_FOUND ? not_found(s, err) : 0;
}

/* Bump an annotation of `count` objects, round robin: watch load for the benchmark. */
static int churn(struct sim *sim, const struct simstep *s, struct perr *err)
{
	static unsigned long serial;
	const char *rname = simjson_string(s->spec, "resource");
	const struct simres *res = NULL;
	for (size_t i = 0; i < simres_count() && !res; i++)
		if (!strcmp(simres_at(i)->plural, rname) || !strcmp(simres_at(i)->singular, rname))
			res = simres_at(i);
	if (!res)
		return api_error(err, 404, "no resource %s", rname);
	long count = cJSON_GetObjectItemCaseSensitive(s->spec, "count")->valueint;
	struct simsnap *snap = simstore_snapshot(sim->store, res);
	for (long i = 0; snap->n && i < count; i++) {
		struct simobj *o = snap->items[(size_t)i % snap->n];
		cJSON *next = simobj_copy(o);
		char v[32];
		snprintf(v, sizeof(v), "%lu", ++serial);
		simjson_set_string(simjson_object(simjson_object(next, "metadata"), "annotations"),
				   "sim.podscope.dev/churn", v);
		simstore_update(sim->store, res, next, 0, NULL);
	}
	simsnap_unref(snap);
	return 0;
}

int simstep_run(struct sim *sim, const struct simstep *s, struct perr *err)
{
	switch (s->act) {
	case SIMACT_SET_IMAGE:
		return set_image(sim, s, err);
	case SIMACT_SCALE:
		return merge_spec_field(
		    sim, s, "replicas",
		    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(s->spec, "replicas"), 1), err);
	case SIMACT_RESTART:
		return restart(sim, s, err);
	case SIMACT_PAUSE:
		return merge_spec_field(sim, s, "paused", cJSON_CreateTrue(), err);
	case SIMACT_RESUME:
		return merge_spec_field(sim, s, "paused", cJSON_CreateNull(), err);
	case SIMACT_PATCH:
		return patch(sim, s, err);
	case SIMACT_CREATE:
		return create(sim, s, err);
	case SIMACT_DELETE:
		return delete (sim, s, err);
	case SIMACT_SWITCH_SELECTOR:
		return switch_selector(sim, s, err);
	case SIMACT_CHURN:
		return churn(sim, s, err);
	case SIMACT_EXEC:
	case SIMACT_BREAK_PROBE:
	case SIMACT_HEAL_PROBE:
	case SIMACT_KILL:
	case SIMACT_MARK_IMAGE_MISSING:
	case SIMACT_SET_CONDITION:
		return simstep_run_kubelet(sim, s, err);
	case SIMACT_NODE_NOT_READY:
	case SIMACT_NODE_READY:
	case SIMACT_DRAIN:
		return simstep_run_node(sim, s, err);
	}
	return api_error(err, 501, "unknown action");
}
