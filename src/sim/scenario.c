#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"
#include "podscope/yamljson.h"

#include "resources.h"
#include "scenario.h"
#include "simobj.h"

/* Built-in scenarios by name; the controllers' scenarios will join them. */
static const struct {
	const char *name;
	const char *yaml;
} builtins[] = {
	{"empty", ""},
};

static void ensure_namespace(struct simstore *st, const char *ns)
{
	const struct simres *nsres = simres_find("", "v1", "namespaces");
	if (simstore_get(st, nsres, NULL, ns))
		return;
	cJSON *o = cJSON_CreateObject();
	cJSON *md = cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(md, "name", ns);
	cJSON *labels = cJSON_AddObjectToObject(md, "labels");
	cJSON_AddStringToObject(labels, "kubernetes.io/metadata.name", ns);
	cJSON_AddArrayToObject(cJSON_AddObjectToObject(o, "spec"), "finalizers");
	cJSON_AddItemToArray(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "spec"), "finalizers"),
	                     cJSON_CreateString("kubernetes"));
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "status"), "phase", "Active");
	simstore_create(st, nsres, o, NULL);
}

static void add_node(struct simstore *st, int i)
{
	char name[32];
	snprintf(name, sizeof(name), "sim-node-%d", i);
	char *json = xasprintf(
	    "{\"metadata\":{\"name\":\"%s\",\"labels\":{\"kubernetes.io/hostname\":\"%s\","
	    "\"kubernetes.io/os\":\"linux\",\"kubernetes.io/arch\":\"amd64\"}},"
	    "\"spec\":{\"podCIDR\":\"10.244.%d.0/24\"},"
	    "\"status\":{\"capacity\":{\"cpu\":\"8\",\"memory\":\"32Gi\",\"pods\":\"110\"},"
	    "\"allocatable\":{\"cpu\":\"8\",\"memory\":\"32Gi\",\"pods\":\"110\"},"
	    "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":"
	    "\"KubeletReady\",\"message\":\"kubelet is posting ready status\"}],"
	    "\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"172.18.0.%d\"},"
	    "{\"type\":\"Hostname\",\"address\":\"%s\"}],"
	    "\"nodeInfo\":{\"kubeletVersion\":\"v1.32.0\",\"containerRuntimeVersion\":"
	    "\"podscope-sim://1\",\"operatingSystem\":\"linux\",\"architecture\":\"amd64\"}}}",
	    name, name, i % 256, (i + 1) % 256, name);
	simstore_create(st, simres_find("", "v1", "nodes"), cJSON_Parse(json), NULL);
	free(json);
}

void simscen_seed(struct simstore *st, int nodes)
{
	const char *ns[] = {"default", "kube-node-lease", "kube-public", "kube-system"};
	for (size_t i = 0; i < 4; i++)
		ensure_namespace(st, ns[i]);
	for (int i = 1; i <= nodes; i++)
		add_node(st, i);
}

/* Append the objects of one document (a List is unpacked) to objs. */
static int collect(const cJSON *doc, const char *name, int index, cJSON *objs, struct perr *err)
{
	const char *kind = simjson_string(doc, "kind");
	const char *api = simjson_string(doc, "apiVersion");
	if (!cJSON_IsObject(doc) || !kind || !api) {
		perr_set(err, PERR_CONFIG,
		         "%s: document %d: not a Kubernetes object (no kind or "
		         "apiVersion)",
		         name, index);
		return -1;
	}
	if (strcmp(kind, "List") == 0 ||
	    (strlen(kind) > 4 && !strcmp(kind + strlen(kind) - 4, "List"))) {
		const cJSON *it;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "items"))
		{
			if (collect(it, name, index, objs, err) != 0)
				return -1;
		}
		return 0;
	}
	const struct simres *res = simres_by_kind(api, kind);
	const char *oname =
	    simjson_string(cJSON_GetObjectItemCaseSensitive(doc, "metadata"), "name");
	if (!res) {
		perr_set(err, PERR_CONFIG, "%s: document %d: podscope-sim does not serve %s %s",
		         name, index, api, kind);
		return -1;
	}
	if (!oname || !*oname) {
		perr_set(err, PERR_CONFIG, "%s: document %d: %s without metadata.name", name, index,
		         kind);
		return -1;
	}
	cJSON_AddItemToArray(objs, cJSON_Duplicate(doc, 1));
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Default the namespace, then check that no two objects and no stored one share a name. */
static int check_names(struct simstore *st, cJSON *objs, const char *name, struct perr *err)
{
	size_t n = (size_t)cJSON_GetArraySize(objs), i = 0;
	char **keys = xcalloc(n + 1, sizeof(char *));
	int rc = 0;
	cJSON *o;
	cJSON_ArrayForEach(o, objs)
	{
		const struct simres *res =
		    simres_by_kind(simjson_string(o, "apiVersion"), simjson_string(o, "kind"));
		cJSON *md = simjson_object(o, "metadata");
		if (res->namespaced && !simjson_string(md, "namespace"))
			simjson_set_string(md, "namespace", "default");
		const char *ns = res->namespaced ? simjson_string(md, "namespace") : "";
		const char *oname = simjson_string(md, "name");
		keys[i++] = xasprintf("%s \"%s\" in namespace \"%s\"", res->plural, oname, ns);
		if (!rc && simstore_get(st, res, ns, oname) &&
		    strcmp(res->plural, "namespaces") != 0) {
			perr_set(err, PERR_CONFIG, "%s: %s \"%s\" already exists", name,
			         res->plural, oname);
			rc = -1;
		}
	}
	qsort(keys, n, sizeof(char *), cmp_str);
	for (i = 1; !rc && i < n; i++) {
		if (strcmp(keys[i - 1], keys[i]) == 0) {
			perr_set(err, PERR_CONFIG, "%s: %s comes twice", name, keys[i]);
			rc = -1;
		}
	}
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	return rc;
}

int simscen_apply(struct simstore *st, const cJSON *docs, const char *name, struct perr *err)
{
	cJSON *objs = cJSON_CreateArray();
	int i = 0, rc = 0;
	const cJSON *doc;
	cJSON_ArrayForEach(doc, docs)
	{
		if ((rc = collect(doc, name, ++i, objs, err)) != 0)
			break;
	}
	if (!rc)
		rc = check_names(st, objs, name, err);
	cJSON *o;
	while (!rc && (o = cJSON_DetachItemFromArray(objs, 0))) {
		const struct simres *res =
		    simres_by_kind(simjson_string(o, "apiVersion"), simjson_string(o, "kind"));
		const char *oname = simjson_string(simjson_object(o, "metadata"), "name");
		if (res->namespaced) {
			ensure_namespace(
			    st, simjson_string(simjson_object(o, "metadata"), "namespace"));
		} else if (simstore_get(st, res, NULL, oname)) {
			cJSON_Delete(o); /* a namespace made for an earlier object, or a seed */
			continue;
		}
		simstore_create(st, res, o, NULL);
	}
	cJSON_Delete(objs);
	return rc;
}

static char *read_file(const char *path, size_t *len, struct perr *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perr_set(err, PERR_CONFIG, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		perr_set(err, PERR_CONFIG, "%s: read error", path);
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.data ? buf_steal(&b) : xstrdup("");
}

int simscen_load(struct simstore *st, const char *spec, struct perr *err)
{
	const char *text = NULL;
	char *owned = NULL;
	size_t len = 0;
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		if (strcmp(builtins[i].name, spec) == 0) {
			text = builtins[i].yaml;
			len = strlen(text);
		}
	}
	struct stat sb;
	if (!text && !strchr(spec, '/') && stat(spec, &sb) != 0) {
		perr_set(err, PERR_CONFIG,
		         "unknown scenario \"%s\" (built-in: empty; or give a YAML file)", spec);
		return -1;
	}
	if (!text && !(text = owned = read_file(spec, &len, err)))
		return -1;
	cJSON *docs = yamljson_parse_all(spec, text, len, err);
	free(owned);
	if (!docs)
		return -1;
	int rc = simscen_apply(st, docs, spec, err);
	cJSON_Delete(docs);
	return rc;
}
