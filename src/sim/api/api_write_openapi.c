#include "config.h"

#include <stdio.h>
#include <string.h>

#include "podscope/buf.h"

#include "api_write.h"
#include "resources.h"

/*
 * Just enough OpenAPI v3 for kubectl's writes. `kubectl apply/create/replace
 * -f` validate with --validate=strict by default: they look in /openapi/v3
 * for the resource's PATCH operation (by its x-kubernetes-group-version-kind)
 * and, when it takes the fieldValidation query parameter, leave validation to
 * the server; without OpenAPI they refuse ("failed to download openapi").
 * The PATCH operations carry no requestBody, so `kubectl apply` computes its
 * strategic merge patch from its compiled-in types, as it does for built-in
 * kinds. No schemas: `kubectl explain` is not supported.
 */

#define HASH "podscope-sim-1"

static void gv_path(struct buf *b, const char *group, const char *version)
{
	if (*group)
		buf_printf(b, "apis/%s/%s", group, version);
	else
		buf_printf(b, "api/%s", version);
}

static void root(struct simreq *r)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "{\"paths\":{");
	int n = 0;
	for (size_t i = 0; i < simres_count(); i++) {
		const struct simres *res = simres_at(i);
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(simres_at(j)->group, res->group) == 0 &&
			       strcmp(simres_at(j)->version, res->version) == 0;
		if (seen)
			continue;
		struct buf p = BUF_INIT;
		gv_path(&p, res->group, res->version);
		buf_printf(&b, "%s\"%s\":{\"serverRelativeURL\":\"/openapi/v3/%s?hash=" HASH "\"}",
			   n++ ? "," : "", p.data, p.data);
		buf_free(&p);
	}
	buf_adds(&b, "}}");
	simreq_reply(r, 200, &b);
}

static void patch_op(struct buf *b, const struct simres *res, bool named_ns)
{
	buf_printf(b,
		   "{\"patch\":{\"description\":\"partially update the specified %s\","
		   "\"parameters\":[{\"name\":\"dryRun\",\"in\":\"query\",\"schema\":{\"type\":"
		   "\"string\"}},{\"name\":\"fieldManager\",\"in\":\"query\",\"schema\":{\"type\":"
		   "\"string\"}},{\"name\":\"fieldValidation\",\"in\":\"query\",\"schema\":{"
		   "\"type\":\"string\"}},{\"name\":\"force\",\"in\":\"query\",\"schema\":{"
		   "\"type\":\"boolean\"}}],\"responses\":{\"200\":{\"description\":\"OK\"}},"
		   "\"x-kubernetes-action\":\"patch\",\"x-kubernetes-group-version-kind\":{"
		   "\"group\":\"%s\",\"kind\":\"%s\",\"version\":\"%s\"}},\"parameters\":[{"
		   "\"name\":\"name\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":"
		   "\"string\"}}%s]}",
		   res->kind, res->group, res->kind, res->version,
		   named_ns ? ",{\"name\":\"namespace\",\"in\":\"path\",\"required\":true,"
			      "\"schema\":{\"type\":\"string\"}}"
			    : "");
}

static bool group_version(struct simreq *r, const char *group, const char *version)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"Kubernetes\",\"version\":"
		     "\"v1.32.0\"},\"paths\":{");
	int n = 0;
	for (size_t i = 0; i < simres_count(); i++) {
		const struct simres *res = simres_at(i);
		if (strcmp(res->group, group) != 0 || strcmp(res->version, version) != 0 ||
		    !(res->verbs & SIMVERB_PATCH))
			continue;
		buf_printf(&b, "%s\"/", n++ ? "," : "");
		gv_path(&b, group, version);
		buf_printf(&b, "%s/%s/{name}\":", res->namespaced ? "/namespaces/{namespace}" : "",
			   res->plural);
		patch_op(&b, res, res->namespaced);
	}
	buf_adds(&b, "},\"components\":{\"schemas\":{}}}");
	if (!n) {
		buf_free(&b);
		return false;
	}
	simreq_reply(r, 200, &b);
	return true;
}

bool simwrite_openapi(struct simreq *r)
{
	const char *p = r->path;
	if (strncmp(p, "/openapi/v3", 11) != 0 || strcmp(r->method, "GET") != 0)
		return false;
	p += 11;
	if (!*p || strcmp(p, "/") == 0) {
		root(r);
		return true;
	}
	char group[64] = "", version[16] = "";
	if (sscanf(p, "/api/%15[^/]", version) == 1 && strchr(p + 5, '/') == NULL) {
		if (group_version(r, "", version))
			return true;
	} else if (sscanf(p, "/apis/%63[^/]/%15[^/]", group, version) == 2) {
		if (group_version(r, group, version))
			return true;
	}
	simreq_reply_status(r, 404, "NotFound", "the server could not find the requested resource",
			    cJSON_CreateObject());
	return true;
}
