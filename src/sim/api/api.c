#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "api.h"
#include "eviction.h"
#include "api_write.h"
#include "discovery.h"
#include "list.h"
#include "podlog_api.h"
#include "sim.h"
#include "ssar.h"
#include "store.h"
#include "table.h"
#include "watch.h"

#define MAX_SEGS 8

static int split(char *path, char *segs[MAX_SEGS])
{
	int n = 0;
	for (char *save, *t = strtok_r(path, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (n == MAX_SEGS)
			return -1;
		segs[n++] = t;
	}
	return n;
}

static const char *verb_of(const char *method, bool has_name, bool watch)
{
	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		return watch ? "watch" : has_name ? "get" : "list";
	if (strcmp(method, "POST") == 0)
		return "create";
	if (strcmp(method, "PUT") == 0)
		return "update";
	if (strcmp(method, "PATCH") == 0)
		return "patch";
	if (strcmp(method, "DELETE") == 0)
		return has_name ? "delete" : "deletecollection";
	return NULL;
}

static bool copy_seg(char *dst, size_t len, const char *src)
{
	if (strlen(src) >= len)
		return false;
	strcpy(dst, src);
	return true;
}

bool simapi_parse(const char *method, const char *path, bool watch_param, struct simroute *rt)
{
	memset(rt, 0, sizeof(*rt));
	char *copy = xstrdup(path);
	char *s[MAX_SEGS];
	int n = split(copy, s), i;
	bool ok = false;
	if (n >= 3 && strcmp(s[0], "api") == 0 && strcmp(s[1], "v1") == 0) {
		strcpy(rt->version, "v1");
		i = 2;
	} else if (n >= 4 && strcmp(s[0], "apis") == 0) {
		if (!copy_seg(rt->group, sizeof(rt->group), s[1]) ||
		    !copy_seg(rt->version, sizeof(rt->version), s[2]))
			goto out;
		i = 3;
	} else {
		goto out;
	}
	rt->watch = watch_param;
	if (strcmp(s[i], "watch") == 0) { /* the deprecated /watch/ prefix */
		rt->watch = true;
		i++;
	}
	int left = n - i;
	if (left <= 0)
		goto out;
	if (strcmp(s[i], "namespaces") == 0 && left >= 3 &&
	    !(left == 3 &&
	      (strcmp(s[i + 2], "status") == 0 || strcmp(s[i + 2], "finalize") == 0))) {
		rt->ns = xstrdup(s[i + 1]);
		i += 2;
		left -= 2;
	}
	if (left > 3 || !copy_seg(rt->resource, sizeof(rt->resource), s[i]))
		goto out;
	if (left >= 2)
		rt->name = xstrdup(s[i + 1]);
	if (left == 3)
		rt->sub = xstrdup(s[i + 2]);
	rt->verb = verb_of(method, rt->name != NULL, rt->watch && strcmp(method, "GET") == 0);
	rt->res = simres_find(rt->group, rt->version, rt->resource);
	ok = true;
out:
	free(copy);
	return ok;
}

void simapi_route_free(struct simroute *rt)
{
	free(rt->ns);
	free(rt->name);
	free(rt->sub);
	memset(rt, 0, sizeof(*rt));
}

char *simapi_forbidden_message(const char *user, const char *verb, const char *group,
                               const char *resource, const char *sub, const char *ns,
                               const char *name)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s%s%s", resource, *group ? "." : "", group);
	if (name && *name)
		buf_printf(&b, " \"%s\"", name);
	buf_printf(&b,
	           " is forbidden: User \"%s\" cannot %s resource \"%s%s%s\" in API group \"%s\"",
	           user, verb, resource, sub ? "/" : "", sub ? sub : "", group);
	if (ns && *ns)
		buf_printf(&b, " in the namespace \"%s\"", ns);
	else
		buf_adds(&b, " at the cluster scope");
	return buf_steal(&b);
}

static cJSON *details(const char *name, const char *group, const char *kind)
{
	cJSON *d = cJSON_CreateObject();
	if (name && *name)
		cJSON_AddStringToObject(d, "name", name);
	if (group && *group)
		cJSON_AddStringToObject(d, "group", group);
	cJSON_AddStringToObject(d, "kind", kind);
	return d;
}

static void forbidden(struct simreq *r, const struct simroute *rt)
{
	char *m = simapi_forbidden_message(simuser_name(r->user), rt->verb, rt->group, rt->resource,
	                                   rt->sub, rt->ns, rt->name);
	simreq_reply_status(r, 403, "Forbidden", m, details(rt->name, rt->group, rt->resource));
	free(m);
}

void simapi_not_found(struct simreq *r, const struct simres *res, const char *name)
{
	char *m = xasprintf("%s%s%s \"%s\" not found", res->plural, *res->group ? "." : "",
	                    res->group, name);
	simreq_reply_status(r, 404, "NotFound", m, details(name, res->group, res->plural));
	free(m);
}

static void page_not_found(struct simreq *r)
{
	simreq_reply_status(r, 404, "NotFound", "the server could not find the requested resource",
	                    cJSON_CreateObject());
}

static void not_allowed(struct simreq *r)
{
	simreq_reply_status(r, 405, "MethodNotAllowed",
	                    "the server does not allow this method on the requested resource",
	                    cJSON_CreateObject());
}

/* GET /apis/apps/v1/namespaces/NS/deployments/NAME/scale */
static void get_scale(struct simreq *r, const struct simobj *o)
{
	cJSON *s = simwrite_scale_of(o);
	char *txt = cJSON_PrintUnformatted(s);
	struct buf b = BUF_INIT;
	buf_adds(&b, txt);
	free(txt);
	cJSON_Delete(s);
	simreq_reply(r, 200, &b);
}

static void get_one(struct simreq *r, const struct simroute *rt, const struct simfmt *fmt)
{
	struct simobj *o = simstore_get(r->sim->store, rt->res, rt->ns, rt->name);
	if (!o) {
		simapi_not_found(r, rt->res, rt->name);
		return;
	}
	if (rt->sub && strcmp(rt->sub, "scale") == 0) {
		get_scale(r, o);
		return;
	}
	struct buf b = BUF_INIT;
	if (fmt->table) {
		buf_printf(&b,
		           "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":"
		           "{\"resourceVersion\":\"%llu\"},\"columnDefinitions\":",
		           (unsigned long long)o->rv);
		simtable_columns(&b, rt->res);
		buf_adds(&b, ",\"rows\":[");
		simtable_row(&b, o, fmt->include, (time_t)(simclock_now(&r->sim->clock) / 1000));
		buf_adds(&b, "]}");
	} else {
		buf_add(&b, o->ser, o->ser_len);
	}
	simreq_reply(r, 200, &b);
}

static bool sub_served(const struct simres *res, const char *sub)
{
	if (!sub)
		return true;
	if (strcmp(sub, "status") == 0)
		return res->subresources & SIMSUB_STATUS;
	if (strcmp(sub, "scale") == 0)
		return res->subresources & SIMSUB_SCALE;
	if (strcmp(sub, "log") == 0 || strcmp(sub, "eviction") == 0)
		return strcmp(res->plural, "pods") == 0 && !*res->group;
	return false;
}

static void handle_resource(struct simreq *r, struct simroute *rt)
{
	if (rt->res && !sub_served(rt->res, rt->sub)) {
		page_not_found(r);
		return;
	}
	if (!rt->verb) {
		not_allowed(r);
		return;
	}
	/* The authorizer runs before the resource is looked up, as in kube-apiserver. */
	if (!simauth_allowed_on(r->user, rt->verb, rt->group, rt->resource, rt->sub)) {
		if (!(strcmp(rt->group, "authorization.k8s.io") == 0 &&
		      strcmp(rt->resource, "selfsubjectaccessreviews") == 0)) {
			forbidden(r, rt);
			return;
		}
	}
	if (!rt->res) {
		if (strcmp(rt->group, "authorization.k8s.io") == 0 &&
		    strcmp(rt->version, "v1") == 0 &&
		    strcmp(rt->resource, "selfsubjectaccessreviews") == 0 && !rt->name && !rt->ns) {
			if (strcmp(rt->verb, "create") == 0)
				simssar_handle(r);
			else
				not_allowed(r);
			return;
		}
		page_not_found(r);
		return;
	}
	/* A namespaced resource by name needs its namespace; a cluster one has none. */
	if ((rt->res->namespaced && rt->name && !rt->ns) || (!rt->res->namespaced && rt->ns)) {
		page_not_found(r);
		return;
	}
	if (rt->sub && strcmp(rt->sub, "log") == 0) {
		if (strcmp(rt->verb, "get") == 0)
			simpodlog_handle(r, rt->ns, rt->name);
		else
			not_allowed(r);
		return;
	}
	if (rt->sub && strcmp(rt->sub, "eviction") == 0) {
		if (strcmp(rt->verb, "create") == 0 && rt->name)
			simeviction_handle(r, rt->ns, rt->name);
		else
			not_allowed(r);
		return;
	}
	struct simfmt fmt;
	simfmt_from_request(r, &fmt);
	if (strcmp(rt->verb, "get") == 0)
		get_one(r, rt, &fmt);
	else if (strcmp(rt->verb, "list") == 0)
		simlist_handle(r, rt->res, rt->ns, &fmt);
	else if (strcmp(rt->verb, "watch") == 0)
		simwatch_handle(r, rt->res, rt->ns, rt->name, &fmt);
	else
		simwrite_handle(r, rt);
}

void simapi_handle(struct simreq *r)
{
	if (r->user == SIMUSER_NONE) {
		simreq_reply_status(r, 401, "Unauthorized", "Unauthorized", NULL);
		return;
	}
	if (r->body_too_large) {
		simreq_reply_status(r, 413, "RequestEntityTooLarge",
		                    "the request body is too large", NULL);
		return;
	}
	if (simwrite_openapi(r) || simdisc_handle(r))
		return;
	struct simroute rt;
	if (!simapi_parse(r->method, r->path, simlist_bool(simreq_arg(r, "watch")), &rt)) {
		page_not_found(r);
		return;
	}
	handle_resource(r, &rt);
	simapi_route_free(&rt);
}
