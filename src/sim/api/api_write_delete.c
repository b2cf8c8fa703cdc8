#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "api_write.h"
#include "ctrl_gc.h"
#include "list.h"
#include "poddelete.h"
#include "selector.h"
#include "sim.h"
#include "simobj.h"

/*
 * DELETE: DeleteOptions from the body or the query (gracePeriodSeconds,
 * propagationPolicy, orphanDependents, preconditions, dryRun), graceful
 * deletion of pods, finalizers, namespaces that go Terminating, and the
 * three propagation policies (the garbage collector does the cascading).
 */

struct delopts {
	int64_t grace; /* -1: not given */
	char propagation[16];
	char *uid, *rv; /* preconditions */
	bool dry_run;
};

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static bool parse_opts(struct simreq *r, struct delopts *o)
{
	memset(o, 0, sizeof(*o));
	o->grace = -1;
	const char *q = simreq_arg(r, "gracePeriodSeconds");
	if (q && *q) {
		char *end;
		long long g = strtoll(q, &end, 10);
		if (*end) {
			simwrite_bad_request(r, "gracePeriodSeconds must be an integer");
			return false;
		}
		o->grace = g < 0 ? 0 : g;
	}
	if ((q = simreq_arg(r, "propagationPolicy")))
		snprintf(o->propagation, sizeof(o->propagation), "%s", q);
	if ((q = simreq_arg(r, "orphanDependents")) && simlist_bool(q))
		snprintf(o->propagation, sizeof(o->propagation), "Orphan");
	o->dry_run = simwrite_dry_run(r);
	if (!r->body.len)
		return true;
	cJSON *b = cJSON_ParseWithLength(r->body.data, r->body.len);
	if (!cJSON_IsObject(b)) {
		cJSON_Delete(b);
		simwrite_bad_request(r, "error decoding DeleteOptions: invalid JSON");
		return false;
	}
	const cJSON *g = get(b, "gracePeriodSeconds");
	if (cJSON_IsNumber(g))
		o->grace = g->valuedouble < 0 ? 0 : (int64_t)g->valuedouble;
	const char *p = simjson_string(b, "propagationPolicy");
	if (p)
		snprintf(o->propagation, sizeof(o->propagation), "%s", p);
	if (cJSON_IsTrue(get(b, "orphanDependents")))
		snprintf(o->propagation, sizeof(o->propagation), "Orphan");
	const cJSON *pre = get(b, "preconditions");
	if (simjson_string(pre, "uid"))
		o->uid = xstrdup(simjson_string(pre, "uid"));
	if (simjson_string(pre, "resourceVersion"))
		o->rv = xstrdup(simjson_string(pre, "resourceVersion"));
	const cJSON *d;
	cJSON_ArrayForEach(d, get(b, "dryRun"))
	{
		if (cJSON_IsString(d) && strcmp(d->valuestring, "All") == 0)
			o->dry_run = true;
	}
	cJSON_Delete(b);
	if (*o->propagation && strcmp(o->propagation, "Background") != 0 &&
	    strcmp(o->propagation, "Foreground") != 0 && strcmp(o->propagation, "Orphan") != 0) {
		simwrite_bad_request(r,
				     "propagationPolicy: Unsupported value: \"%s\": supported "
				     "values: \"Orphan\", \"Background\", \"Foreground\"",
				     o->propagation);
		return false;
	}
	return true;
}

static void opts_free(struct delopts *o)
{
	free(o->uid);
	free(o->rv);
}

static bool protected_namespace(const char *name)
{
	return strcmp(name, "default") == 0 || strcmp(name, "kube-system") == 0 ||
	       strcmp(name, "kube-public") == 0;
}

/* An update of the object's metadata for a deletion that waits. */
static enum simstore_rc mark_deleting(struct sim *sim, const struct simres *res,
				      const struct simobj *cur, const char *add_finalizer,
				      struct simobj **out)
{
	cJSON *obj = simobj_copy(cur);
	cJSON *md = simjson_object(obj, "metadata");
	if (!get(md, "deletionTimestamp")) {
		char ts[32];
		simclock_format(simclock_now(&sim->clock), ts, sizeof(ts));
		simjson_set_string(md, "deletionTimestamp", ts);
		simjson_set_number(md, "deletionGracePeriodSeconds", 0);
	}
	if (add_finalizer) {
		cJSON *f = cJSON_GetObjectItemCaseSensitive(md, "finalizers");
		if (!cJSON_IsArray(f)) {
			cJSON_DeleteItemFromObjectCaseSensitive(md, "finalizers");
			f = cJSON_AddArrayToObject(md, "finalizers");
		}
		bool have = false;
		const cJSON *it;
		cJSON_ArrayForEach(it, f) have |=
		    cJSON_IsString(it) && strcmp(it->valuestring, add_finalizer) == 0;
		if (!have)
			cJSON_AddItemToArray(f, cJSON_CreateString(add_finalizer));
	}
	if (strcmp(res->kind, "Namespace") == 0)
		simjson_set_string(simjson_object(obj, "status"), "phase", "Terminating");
	return simstore_update(sim->store, res, obj, 0, out);
}

enum simstore_rc simwrite_delete_object(struct sim *sim, const struct simres *res, const char *ns,
					const char *name, int64_t grace_s, const char *propagation,
					const char *expect_uid, struct simobj **out)
{
	struct simobj *cur = simstore_get(sim->store, res, ns, name);
	if (!cur)
		return SIMSTORE_NOT_FOUND;
	const cJSON *md = get(cur->json, "metadata");
	const char *uid = simjson_string(md, "uid");
	if (expect_uid && (!uid || strcmp(uid, expect_uid) != 0))
		return SIMSTORE_CONFLICT;
	if (strcmp(res->kind, "Pod") == 0)
		return simpod_delete(sim, ns, name, grace_s, out);
	if (strcmp(res->kind, "Namespace") == 0) {
		if (out)
			*out = cur;
		if (get(md, "deletionTimestamp"))
			return SIMSTORE_OK;
		return mark_deleting(sim, res, cur, NULL, out);
	}
	if (get(md, "deletionTimestamp")) {
		if (out)
			*out = cur;
		return SIMSTORE_OK;
	}
	if (propagation && strcmp(propagation, "Orphan") == 0) {
		simgc_orphan(sim, ns, uid);
		cur = simstore_get(sim->store, res, ns, name);
		if (!cur)
			return SIMSTORE_NOT_FOUND;
		md = get(cur->json, "metadata");
	}
	const cJSON *fin = get(md, "finalizers");
	bool has_fin = cJSON_IsArray(fin) && cJSON_GetArraySize(fin) > 0;
	if (propagation && strcmp(propagation, "Foreground") == 0 &&
	    simgc_has_dependents(sim, ns, uid))
		return mark_deleting(sim, res, cur, "foregroundDeletion", out);
	if (has_fin)
		return mark_deleting(sim, res, cur, NULL, out);
	return simstore_delete(sim->store, res, ns, name, 0, out);
}

static void precondition_failed(struct simreq *r, const struct simres *res, const char *name,
				const char *what, const char *want, const char *have)
{
	char q[128];
	simwrite_qualified(res, q, sizeof(q));
	char *m = xasprintf("Operation cannot be fulfilled on %s \"%s\": Precondition failed: %s "
			    "in precondition: %s, %s in object meta: %s",
			    q, name, what, want, what, have ? have : "");
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "name", name);
	if (*res->group)
		cJSON_AddStringToObject(d, "group", res->group);
	cJSON_AddStringToObject(d, "kind", res->plural);
	simreq_reply_status(r, 409, "Conflict", m, d);
	free(m);
}

/* Status Success, as kube-apiserver answers a deletion that is done. */
static void reply_success(struct simreq *r, const struct simres *res, const char *name,
			  const char *uid)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
		     "\"Success\",\"details\":{\"name\":");
	buf_add_json_string(&b, name);
	if (*res->group) {
		buf_adds(&b, ",\"group\":");
		buf_add_json_string(&b, res->group);
	}
	buf_adds(&b, ",\"kind\":");
	buf_add_json_string(&b, res->plural);
	if (uid) {
		buf_adds(&b, ",\"uid\":");
		buf_add_json_string(&b, uid);
	}
	buf_adds(&b, "}}");
	simreq_reply(r, 200, &b);
}

void simwrite_delete(struct simreq *r, const struct simroute *rt)
{
	const struct simres *res = rt->res;
	struct delopts o;
	if (!parse_opts(r, &o))
		return;
	struct simobj *cur = simstore_get(r->sim->store, res, rt->ns, rt->name);
	const cJSON *md = cur ? get(cur->json, "metadata") : NULL;
	const char *uid = simjson_string(md, "uid");
	const char *rv = simjson_string(md, "resourceVersion");
	if (!cur) {
		simapi_not_found(r, res, rt->name);
	} else if (o.uid && (!uid || strcmp(o.uid, uid) != 0)) {
		precondition_failed(r, res, rt->name, "UID", o.uid, uid);
	} else if (o.rv && (!rv || strcmp(o.rv, rv) != 0)) {
		precondition_failed(r, res, rt->name, "ResourceVersion", o.rv, rv);
	} else if (strcmp(res->kind, "Namespace") == 0 && protected_namespace(rt->name)) {
		char *m = xasprintf("namespaces \"%s\" is forbidden: this namespace may not be "
				    "deleted",
				    rt->name);
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "name", rt->name);
		cJSON_AddStringToObject(d, "kind", "namespaces");
		simreq_reply_status(r, 403, "Forbidden", m, d);
		free(m);
	} else if (o.dry_run) {
		simwrite_reply_obj(r, 200, cur);
	} else {
		char *keep_uid = xstrdup(uid ? uid : "");
		struct simobj *out = NULL;
		enum simstore_rc rc = simwrite_delete_object(r->sim, res, rt->ns, rt->name, o.grace,
							     o.propagation, NULL, &out);
		struct simobj *now = simstore_get(r->sim->store, res, rt->ns, rt->name);
		if (rc == SIMSTORE_NOT_FOUND)
			simapi_not_found(r, res, rt->name);
		else if (rc != SIMSTORE_OK)
			simwrite_conflict(r, res, rt->name);
		else if (now || strcmp(res->kind, "Pod") == 0)
			simwrite_reply_obj(r, 200, now ? now : out);
		else
			reply_success(r, res, rt->name, keep_uid);
		free(keep_uid);
	}
	opts_free(&o);
}

void simwrite_delete_collection(struct simreq *r, const struct simroute *rt)
{
	const struct simres *res = rt->res;
	struct delopts o;
	if (!parse_opts(r, &o))
		return;
	char *err = NULL;
	struct simsel *lsel = simsel_parse_labels(simreq_arg(r, "labelSelector"), &err);
	struct simsel *fsel =
	    lsel ? simsel_parse_fields(res, simreq_arg(r, "fieldSelector"), &err) : NULL;
	if (!lsel || !fsel) {
		simwrite_bad_request(r, "%s", err ? err : "bad selector");
		free(err);
		simsel_free(lsel);
		opts_free(&o);
		return;
	}
	struct simsnap *s = simstore_snapshot(r->sim->store, res);
	struct buf b = BUF_INIT;
	buf_printf(&b, "{\"kind\":\"%s\",\"apiVersion\":\"%s\",\"metadata\":{},\"items\":[",
		   res->list_kind, res->api_version);
	int n = 0;
	for (size_t i = 0; i < s->n; i++) {
		struct simobj *it = s->items[i];
		if (rt->ns && strcmp(it->ns, rt->ns) != 0)
			continue;
		if (!simsel_match_labels(lsel, simobj_labels(it)) ||
		    !simsel_match_fields(fsel, it->json))
			continue;
		if (!o.dry_run)
			simwrite_delete_object(r->sim, res, it->ns, it->name, o.grace,
					       o.propagation, NULL, NULL);
		struct simobj *now = simstore_get(r->sim->store, res, it->ns, it->name);
		const struct simobj *shown = now ? now : it;
		if (n++)
			buf_addc(&b, ',');
		buf_add(&b, shown->ser, shown->ser_len);
	}
	buf_adds(&b, "]}");
	simsnap_unref(s);
	simsel_free(lsel);
	simsel_free(fsel);
	opts_free(&o);
	simreq_reply(r, 200, &b);
}
