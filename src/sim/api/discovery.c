#include "config.h"

#include <string.h>

#include "podscope/buf.h"

#include "discovery.h"
#include "resources.h"
#include "server.h"
#include "sim.h"

static void add_verbs(struct buf *b, unsigned verbs)
{
	const char *names[9];
	simres_verb_names(verbs, names);
	buf_adds(b, "\"verbs\":[");
	for (int i = 0; names[i]; i++)
		buf_printf(b, "%s\"%s\"", i ? "," : "", names[i]);
	buf_addc(b, ']');
}

static void add_resource(struct buf *b, const struct simres *res)
{
	buf_printf(b, "{\"name\":\"%s\",\"singularName\":\"%s\",\"namespaced\":%s,\"kind\":\"%s\",",
	           res->plural, res->singular, res->namespaced ? "true" : "false", res->kind);
	add_verbs(b, res->verbs);
	if (res->short_names[0]) {
		buf_adds(b, ",\"shortNames\":[");
		for (int i = 0; i < 3 && res->short_names[i]; i++)
			buf_printf(b, "%s\"%s\"", i ? "," : "", res->short_names[i]);
		buf_addc(b, ']');
	}
	if (res->in_all)
		buf_adds(b, ",\"categories\":[\"all\"]");
	buf_addc(b, '}');
	const char *ns = res->namespaced ? "true" : "false";
	if (res->subresources & SIMSUB_SCALE)
		buf_printf(b,
		           ",{\"name\":\"%s/scale\",\"singularName\":\"\",\"namespaced\":%s,"
		           "\"group\":\"autoscaling\",\"version\":\"v1\",\"kind\":\"Scale\","
		           "\"verbs\":[\"get\",\"patch\",\"update\"]}",
		           res->plural, ns);
	if (strcmp(res->plural, "pods") == 0 && !*res->group) /* eviction.c */
		buf_adds(b, ",{\"name\":\"pods/eviction\",\"singularName\":\"\",\"namespaced\":true,"
		            "\"group\":\"policy\",\"version\":\"v1\",\"kind\":\"Eviction\","
		            "\"verbs\":[\"create\"]}");
	if (strcmp(res->plural, "pods") == 0 && !*res->group) /* podlog_api.c */
		buf_printf(b,
		           ",{\"name\":\"pods/log\",\"singularName\":\"\",\"namespaced\":true,"
		           "\"kind\":\"Pod\",\"verbs\":[\"get\"]}");
	if (res->subresources & SIMSUB_STATUS)
		buf_printf(b,
		           ",{\"name\":\"%s/status\",\"singularName\":\"\",\"namespaced\":%s,"
		           "\"kind\":\"%s\",\"verbs\":[\"get\",\"patch\",\"update\"]}",
		           res->plural, ns, res->kind);
}

/* APIResourceList for one group version; false when it is not served. */
static bool resource_list(struct buf *b, const char *group, const char *version)
{
	const char *gv_group = *group ? group : NULL;
	buf_printf(
	    b,
	    "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"%s%s%s\","
	    "\"resources\":[",
	    gv_group ? group : "", gv_group ? "/" : "", version);
	size_t n = 0;
	if (strcmp(group, "authorization.k8s.io") == 0 && strcmp(version, "v1") == 0) {
		buf_adds(b, "{\"name\":\"selfsubjectaccessreviews\",\"singularName\":"
		            "\"selfsubjectaccessreview\",\"namespaced\":false,\"kind\":"
		            "\"SelfSubjectAccessReview\",\"verbs\":[\"create\"]}");
		n++;
	}
	for (size_t i = 0; i < simres_count(); i++) {
		const struct simres *res = simres_at(i);
		if (strcmp(res->group, group) != 0 || strcmp(res->version, version) != 0)
			continue;
		if (n++)
			buf_addc(b, ',');
		add_resource(b, res);
	}
	buf_adds(b, "]}");
	return n > 0;
}

/* A group serves one version: its resources' (autoscaling: v2). */
static void group_json(struct buf *b, const char *g)
{
	const char *v = "v1";
	for (size_t i = 0; i < simres_count(); i++)
		if (strcmp(simres_at(i)->group, g) == 0)
			v = simres_at(i)->version;
	buf_printf(b,
	           "{\"name\":\"%s\",\"versions\":[{\"groupVersion\":\"%s/%s\",\"version\":\"%s\"}],"
	           "\"preferredVersion\":{\"groupVersion\":\"%s/%s\",\"version\":\"%s\"}}",
	           g, g, v, v, g, v, v);
}

static bool known_group(const char *g, size_t len)
{
	for (const char *const *gs = simres_groups(); *gs; gs++)
		if (strlen(*gs) == len && strncmp(*gs, g, len) == 0)
			return true;
	return false;
}

bool simdisc_handle(struct simreq *r)
{
	const char *p = r->path;
	struct buf b = BUF_INIT;

	if (strcmp(p, "/version") == 0 || strcmp(p, "/version/") == 0) {
		buf_adds(
		    &b, "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-podscope-sim\","
		        "\"gitCommit\":\"0000000000000000000000000000000000000000\","
		        "\"gitTreeState\":\"clean\",\"buildDate\":\"2026-01-01T00:00:00Z\","
		        "\"goVersion\":\"go1.23.0\",\"compiler\":\"gc\","
		        "\"platform\":\"linux/amd64\"}");
	} else if (strcmp(p, "/healthz") == 0 || strcmp(p, "/livez") == 0 ||
	           strcmp(p, "/readyz") == 0) {
		buf_adds(&b, "ok");
		simreq_reply_type(r, 200, "text/plain; charset=utf-8", &b);
		return true;
	} else if (strcmp(p, "/api") == 0 || strcmp(p, "/api/") == 0) {
		buf_printf(&b,
		           "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],"
		           "\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\","
		           "\"serverAddress\":\"127.0.0.1:%d\"}]}",
		           simsrv_port(r->sim));
	} else if (strcmp(p, "/api/v1") == 0 || strcmp(p, "/api/v1/") == 0) {
		resource_list(&b, "", "v1");
	} else if (strcmp(p, "/apis") == 0 || strcmp(p, "/apis/") == 0) {
		buf_adds(&b, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[");
		int i = 0;
		for (const char *const *g = simres_groups(); *g; g++, i++) {
			if (i)
				buf_addc(&b, ',');
			group_json(&b, *g);
		}
		buf_adds(&b, "]}");
	} else if (strncmp(p, "/apis/", 6) == 0) {
		const char *g = p + 6;
		const char *slash = strchr(g, '/');
		size_t glen = slash ? (size_t)(slash - g) : strlen(g);
		if (!known_group(g, glen))
			return false;
		char group[64];
		if (glen >= sizeof(group))
			return false;
		memcpy(group, g, glen);
		group[glen] = '\0';
		if (!slash || !slash[1]) {
			buf_adds(&b, "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\",");
			struct buf gj = BUF_INIT;
			group_json(&gj, group);
			buf_add(&b, gj.data + 1, gj.len - 1);
			buf_free(&gj);
		} else {
			const char *v = slash + 1;
			size_t vlen = strcspn(v, "/");
			if (v[vlen] && v[vlen + 1])
				return false; /* a resource path */
			char version[16];
			if (vlen >= sizeof(version))
				return false;
			memcpy(version, v, vlen);
			version[vlen] = '\0';
			if (!resource_list(&b, group, version)) {
				buf_free(&b);
				return false;
			}
		}
	} else if (strncmp(p, "/openapi/", 9) == 0) {
		simreq_reply_status(r, 404, "NotFound",
		                    "the server could not find the requested resource", NULL);
		return true;
	} else {
		return false;
	}
	simreq_reply(r, 200, &b);
	return true;
}
