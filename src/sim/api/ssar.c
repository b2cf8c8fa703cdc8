#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "auth.h"
#include "pbuf.h"
#include "ssar.h"

/* Attributes message fields, in protobuf field order. */
static const char *const resource_fields[] = {NULL,      "namespace", "verb",        "group",
                                              "version", "resource",  "subresource", "name"};
static const char *const nonresource_fields[] = {NULL, "path", "verb"};

static cJSON *attributes(const struct pbuf_field *f, const char *const *names, size_t n)
{
	cJSON *o = cJSON_CreateObject();
	struct pbuf r = {f->data, f->data + f->len};
	struct pbuf_field g;
	while (pbuf_next(&r, &g) == 1) {
		if (g.wire != 2 || g.num >= n || !names[g.num] || !g.len)
			continue;
		char v[256];
		pbuf_string(&g, v, sizeof(v));
		cJSON_AddStringToObject(o, names[g.num], v);
	}
	return o;
}

/* SelfSubjectAccessReview in protobuf (what kubectl auth can-i sends) as JSON. */
static cJSON *from_protobuf(const char *body, size_t len)
{
	struct pbuf msg, spec;
	struct pbuf_field f;
	if (!body || pbuf_unwrap(body, len, &msg, NULL) != 0)
		return NULL;
	cJSON *out = cJSON_CreateObject();
	cJSON *js = cJSON_AddObjectToObject(out, "spec");
	while (pbuf_next(&msg, &f) == 1) {
		if (f.num != 2 || f.wire != 2)
			continue;
		spec.p = f.data;
		spec.end = f.data + f.len;
		struct pbuf_field g;
		while (pbuf_next(&spec, &g) == 1) {
			if (g.num == 1 && g.wire == 2)
				cJSON_AddItemToObject(js, "resourceAttributes",
				                      attributes(&g, resource_fields, 8));
			else if (g.num == 2 && g.wire == 2)
				cJSON_AddItemToObject(js, "nonResourceAttributes",
				                      attributes(&g, nonresource_fields, 3));
		}
	}
	return out;
}

/* A string attribute of a review ("" when absent). */
static const char *str_of(const cJSON *ra, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ra, key);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static const char *sub_of(const cJSON *ra)
{
	const char *s = str_of(ra, "subresource");
	return *s ? s : NULL;
}

void simssar_handle(struct simreq *r)
{
	const char *ctype = simreq_header(r, "Content-Type");
	cJSON *in;
	if (ctype && strncmp(ctype, "application/vnd.kubernetes.protobuf", 35) == 0) {
		in = from_protobuf(r->body.data, r->body.len);
	} else if (!ctype || strncmp(ctype, "application/json", 16) == 0) {
		in = cJSON_ParseWithLength(r->body.data ? r->body.data : "", r->body.len);
	} else {
		simreq_reply_status(r, 415, "UnsupportedMediaType",
		                    "the body of the request was in an unknown format - accepted "
		                    "media types include: application/json, application/yaml, "
		                    "application/vnd.kubernetes.protobuf",
		                    NULL);
		return;
	}
	cJSON *spec = cJSON_GetObjectItemCaseSensitive(in, "spec");
	cJSON *ra = cJSON_GetObjectItemCaseSensitive(spec, "resourceAttributes");
	cJSON *nra = cJSON_GetObjectItemCaseSensitive(spec, "nonResourceAttributes");
	if (!cJSON_IsObject(spec) || (!cJSON_IsObject(ra) && !cJSON_IsObject(nra))) {
		simreq_reply_status(
		    r, 422, "Invalid",
		    "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: "
		    "spec.resourceAttributes: Invalid value: \"null\": exactly one "
		    "of nonResourceAttributes or resourceAttributes must be specified",
		    NULL);
		cJSON_Delete(in);
		return;
	}
	const cJSON *verb = cJSON_GetObjectItemCaseSensitive(ra ? ra : nra, "verb");
	bool allowed = false;
	if (!cJSON_IsString(verb))
		allowed = false;
	else if (ra && strcmp(verb->valuestring, "*") == 0)
		allowed = r->user == SIMUSER_ADMIN;
	else if (ra)
		allowed = simauth_allowed_on(r->user, verb->valuestring, str_of(ra, "group"),
		                             str_of(ra, "resource"), sub_of(ra));
	else /* discovery, /version, /healthz: every user who is logged in may get them */
		allowed = r->user == SIMUSER_ADMIN || strcmp(verb->valuestring, "get") == 0;

	cJSON *out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "kind", "SelfSubjectAccessReview");
	cJSON_AddStringToObject(out, "apiVersion", "authorization.k8s.io/v1");
	cJSON *md = cJSON_AddObjectToObject(out, "metadata");
	cJSON_AddNullToObject(md, "creationTimestamp");
	cJSON_AddItemToObject(out, "spec", cJSON_Duplicate(spec, 1));
	cJSON *status = cJSON_AddObjectToObject(out, "status");
	cJSON_AddBoolToObject(status, "allowed", allowed);
	if (allowed && r->user == SIMUSER_ADMIN)
		cJSON_AddStringToObject(
		    status, "reason",
		    "RBAC: allowed by ClusterRoleBinding \"cluster-admin\" of "
		    "ClusterRole \"cluster-admin\" to Group \"system:masters\"");
	else if (allowed && r->user == SIMUSER_DEPLOYER && strcmp(verb->valuestring, "patch") &&
	         strcmp(verb->valuestring, "update"))
		cJSON_AddStringToObject(status, "reason",
		                        "RBAC: allowed by ClusterRoleBinding \"sim-deployer-view\" of "
		                        "ClusterRole \"view\" to User \"sim-deployer\"");
	else if (allowed && r->user == SIMUSER_DEPLOYER)
		cJSON_AddStringToObject(status, "reason",
		                        "RBAC: allowed by ClusterRoleBinding \"sim-deployer\" of "
		                        "ClusterRole \"deployer\" to User \"sim-deployer\"");
	else if (allowed)
		cJSON_AddStringToObject(status, "reason",
		                        "RBAC: allowed by ClusterRoleBinding \"sim-readonly\" of "
		                        "ClusterRole \"view\" to User \"sim-readonly\"");
	char *s = cJSON_PrintUnformatted(out);
	struct buf b = BUF_INIT;
	buf_adds(&b, s);
	free(s);
	cJSON_Delete(out);
	cJSON_Delete(in);
	simreq_reply(r, 201, &b);
}
