#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"
#include "podscope/yamljson.h"

#include "api_write.h"
#include "objdefaults.h"

#include "resources.h"
#include "scenario.h"
#include "scenario_int.h"
#include "sim.h"
#include "simobj.h"
#include "yamlpos.h"

void simscen_ensure_namespace(struct simstore *st, const char *ns)
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
		simscen_ensure_namespace(st, ns[i]);
	for (int i = 1; i <= nodes; i++)
		add_node(st, i);
}

/* Where an error is: FILE:LINE:COLUMN when the positions are known, else FILE: document N. */
struct where {
	const char *name;
	const struct yamlpos *pos;
};

static char *locate(const struct where *w, int doc, const char *path, bool key)
{
	unsigned line, col;
	if (yamlpos_find(w->pos, doc, path, key, &line, &col))
		return xasprintf("%s:%u:%u", w->name, line, col);
	return xasprintf("%s: document %d", w->name, doc + 1);
}

/* The objects of a file, and where each one is (document, path of the object). */
struct objs {
	cJSON *arr;
	int *doc;
	char **path;
	size_t n;
};

static void objs_free(struct objs *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->path[i]);
	free(o->doc);
	free(o->path);
	cJSON_Delete(o->arr);
}

/* Append the objects of one document (a List is unpacked) to objs. */
static int collect(const cJSON *doc, const struct where *w, int index, const char *path,
		   struct objs *objs, struct perr *err)
{
	const char *kind = simjson_string(doc, "kind");
	const char *api = simjson_string(doc, "apiVersion");
	char *at = NULL;
	int rc = -1;
	if (!cJSON_IsObject(doc) || !kind || !api) {
		at = locate(w, index, path, false);
		perr_set(err, PERR_CONFIG, "%s: not a Kubernetes object (no kind or apiVersion)",
			 at);
		goto out;
	}
	if (strcmp(kind, "List") == 0 ||
	    (strlen(kind) > 4 && !strcmp(kind + strlen(kind) - 4, "List"))) {
		const cJSON *it;
		int k = 0;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "items"))
		{
			char *sub = xasprintf("%s%sitems/%d", path, *path ? "/" : "", k++);
			rc = collect(it, w, index, sub, objs, err);
			free(sub);
			if (rc != 0)
				goto out;
		}
		rc = 0;
		goto out;
	}
	const struct simres *res = simres_by_kind(api, kind);
	const char *oname =
	    simjson_string(cJSON_GetObjectItemCaseSensitive(doc, "metadata"), "name");
	if (!res) {
		char *p = xasprintf("%s%skind", path, *path ? "/" : "");
		at = locate(w, index, p, false);
		free(p);
		perr_set(err, PERR_CONFIG, "%s: podscope-sim does not serve %s %s", at, api, kind);
		goto out;
	}
	if (!oname || !*oname) {
		char *p = xasprintf("%s%smetadata", path, *path ? "/" : "");
		at = locate(w, index, p, true);
		free(p);
		perr_set(err, PERR_CONFIG, "%s: %s without metadata.name", at, kind);
		goto out;
	}
	cJSON_AddItemToArray(objs->arr, cJSON_Duplicate(doc, 1));
	objs->doc = xrealloc(objs->doc, (objs->n + 1) * sizeof(int));
	objs->path = xrealloc(objs->path, (objs->n + 1) * sizeof(char *));
	objs->doc[objs->n] = index;
	objs->path[objs->n++] = xstrdup(path);
	rc = 0;
out:
	free(at);
	return rc;
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

static void store_objects(struct simstore *st, cJSON *objs)
{
	cJSON *o;
	while ((o = cJSON_DetachItemFromArray(objs, 0))) {
		const struct simres *res =
		    simres_by_kind(simjson_string(o, "apiVersion"), simjson_string(o, "kind"));
		const char *oname = simjson_string(simjson_object(o, "metadata"), "name");
		if (res->namespaced) {
			simscen_ensure_namespace(
			    st, simjson_string(simjson_object(o, "metadata"), "namespace"));
		} else if (simstore_get(st, res, NULL, oname)) {
			cJSON_Delete(o); /* a namespace made for an earlier object, or a seed */
			continue;
		}
		simstore_create(st, res, o, NULL);
	}
}

/*
 * The API server's defaults and validation for each object, as `kubectl
 * create -f` would meet them; an invalid one is reported at the field that
 * the Status names.
 */
static int validate(struct objs *objs, const struct where *w, struct perr *err)
{
	size_t i = 0;
	cJSON *o;
	cJSON_ArrayForEach(o, objs->arr)
	{
		const struct simres *res =
		    simres_by_kind(simjson_string(o, "apiVersion"), simjson_string(o, "kind"));
		if (strcmp(res->kind, "Job") == 0)
			simprep_job(o);
		objdefaults_apply(res->kind, o);
		cJSON *st = objvalidate(res->kind, res->group, o);
		if (st) {
			const cJSON *cause = cJSON_GetArrayItem(
			    cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(st, "details"), "causes"),
			    0);
			const char *field = simjson_string(cause, "field");
			struct buf p = BUF_INIT;
			buf_adds(&p, objs->path[i]);
			for (const char *f = field ? field : ""; *f; f++) {
				if (f == field && p.len)
					buf_addc(&p, '/');
				if (*f == '.' || *f == '[')
					buf_addc(&p, '/');
				else if (*f != ']')
					buf_addc(&p, *f);
			}
			char *at = locate(w, objs->doc[i], p.data ? p.data : "", false);
			perr_set(err, PERR_CONFIG, "%s: %s", at, simjson_string(st, "message"));
			free(at);
			buf_free(&p);
			cJSON_Delete(st);
			return -1;
		}
		i++;
	}
	return 0;
}

/* Check every document and split them into objects and the Scenario document. */
static int check_docs(struct simstore *st, const cJSON *docs, const struct where *w,
		      struct objs *objs, const cJSON **scen, int *scen_index, struct perr *err)
{
	int i = 0;
	const cJSON *doc;
	cJSON_ArrayForEach(doc, docs)
	{
		if (simscen_is_scenario_doc(doc)) {
			if (*scen) {
				char *at = locate(w, i, "", false);
				perr_set(err, PERR_CONFIG,
					 "%s: a second Scenario document (one per file)", at);
				free(at);
				return -1;
			}
			*scen = doc;
			*scen_index = i++;
			continue;
		}
		if (collect(doc, w, i++, "", objs, err) != 0)
			return -1;
	}
	return check_names(st, objs->arr, w->name, err);
}

int simscen_apply(struct simstore *st, const cJSON *docs, const char *name, struct perr *err)
{
	struct where w = {name, NULL};
	struct objs objs = {cJSON_CreateArray(), NULL, NULL, 0};
	const cJSON *scen = NULL;
	int scen_index = 0;
	int rc = check_docs(st, docs, &w, &objs, &scen, &scen_index, err);
	if (!rc)
		store_objects(st, objs.arr);
	objs_free(&objs);
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

const char *simscen_builtin_names(void)
{
	static char names[1024];
	if (!names[0]) {
		size_t off = 0;
		for (unsigned i = 0; i < simscen_nbuiltins && off < sizeof(names); i++)
			off += (size_t)snprintf(names + off, sizeof(names) - off, "%s%s",
						i ? ", " : "", simscen_builtins[i].name);
	}
	return names;
}

const char *simscen_builtin_yaml(const char *name)
{
	for (unsigned i = 0; i < simscen_nbuiltins; i++)
		if (strcmp(simscen_builtins[i].name, name) == 0)
			return simscen_builtins[i].yaml;
	return NULL;
}

int simscen_load(struct sim *sim, const char *spec, struct perr *err)
{
	const char *text = simscen_builtin_yaml(spec);
	char *owned = NULL;
	size_t len = text ? strlen(text) : 0;
	struct stat sb;
	if (!text && !strchr(spec, '/') && stat(spec, &sb) != 0) {
		perr_set(err, PERR_CONFIG,
			 "unknown scenario \"%s\" (built-in: %s; or give a YAML file)", spec,
			 simscen_builtin_names());
		return -1;
	}
	if (!text && !(text = owned = read_file(spec, &len, err)))
		return -1;
	cJSON *docs = yamljson_parse_all(spec, text, len, err);
	struct yamlpos *pos = docs ? yamlpos_scan(text, len) : NULL;
	free(owned);
	if (!docs)
		return -1;

	struct where w = {spec, pos};
	struct objs objs = {cJSON_CreateArray(), NULL, NULL, 0};
	const cJSON *scen = NULL;
	int scen_index = 0, rc;
	struct simscript *script = NULL;
	struct simload load = {0};
	rc = check_docs(sim->store, docs, &w, &objs, &scen, &scen_index, err);
	if (!rc)
		rc = validate(&objs, &w, err);
	if (!rc && scen) {
		char *at = NULL;
		struct steperr e = {{0}, {0}, false};
		if (!(script = simscen_parse_script(scen, spec, &load, &e))) {
			at = locate(&w, scen_index, e.path, e.key);
			perr_set(err, PERR_CONFIG, "%s: %s", at, e.msg);
			free(at);
			rc = -1;
		}
	}
	if (!rc) {
		store_objects(sim->store, objs.arr);
		if (load.deployments || load.pods) {
			/* Given a set count, only the kinds the command line names. */
			bool sets = sim->cfg.load_statefulsets || sim->cfg.load_daemonsets;
			struct simload l = {.deployments = sim->cfg.load_deployments,
					    .pods =
						sim->cfg.load_pods ? sim->cfg.load_pods : load.pods,
					    .statefulsets = sim->cfg.load_statefulsets,
					    .daemonsets = sim->cfg.load_daemonsets};
			if (!l.deployments && !sets)
				l.deployments = load.deployments;
			rc = simscen_make_load(sim, &l, err);
		}
	}
	if (!rc && script)
		simscen_add_script(sim, script);
	else
		simscript_free(script);
	objs_free(&objs);
	cJSON_Delete(docs);
	yamlpos_free(pos);
	return rc;
}
