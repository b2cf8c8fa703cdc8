#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "printer.h"
#include "util.h"

/* Go's integer divisions truncate toward zero, as C's do. */
void simprint_human_duration(int64_t d_ms, char out[SIMPRINT_TIME_LEN])
{
	const size_t n = SIMPRINT_TIME_LEN;
	long long sec = (long long)(d_ms / 1000);
	/* Two seconds of clock skew still read as "now". */
	if (sec < -1) {
		snprintf(out, n, "<invalid>");
		return;
	}
	if (sec < 0) {
		snprintf(out, n, "0s");
		return;
	}
	if (sec < 120) {
		snprintf(out, n, "%llds", sec);
		return;
	}
	long long min = sec / 60, hr = sec / 3600, day = hr / 24, yr = day / 365;
	if (min < 10) {
		if (sec % 60)
			snprintf(out, n, "%lldm%llds", min, sec % 60);
		else
			snprintf(out, n, "%lldm", min);
	} else if (min < 180) {
		snprintf(out, n, "%lldm", min);
	} else if (hr < 8) {
		if (min % 60)
			snprintf(out, n, "%lldh%lldm", hr, min % 60);
		else
			snprintf(out, n, "%lldh", hr);
	} else if (hr < 48) {
		snprintf(out, n, "%lldh", hr);
	} else if (hr < 24 * 8) {
		if (hr % 24)
			snprintf(out, n, "%lldd%lldh", day, hr % 24);
		else
			snprintf(out, n, "%lldd", day);
	} else if (hr < 24 * 365 * 2) {
		snprintf(out, n, "%lldd", day);
	} else if (hr < 24 * 365 * 8) {
		if (day % 365)
			snprintf(out, n, "%lldy%lldd", yr, day % 365);
		else
			snprintf(out, n, "%lldy", yr);
	} else {
		snprintf(out, n, "%lldy", yr);
	}
}

int64_t simprint_time_ms(const char *ts)
{
	if (!ts || !*ts)
		return 0;
	time_t t = simutil_parse_rfc3339(ts);
	return t < 0 ? 0 : (int64_t)t * 1000;
}

void simprint_since(const char *ts, int64_t now_ms, char out[SIMPRINT_TIME_LEN])
{
	int64_t t = simprint_time_ms(ts);
	if (t == 0) {
		snprintf(out, SIMPRINT_TIME_LEN, "<unknown>");
		return;
	}
	simprint_human_duration(now_ms - t, out);
}

/* --- label selectors ------------------------------------------------------ */

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One requirement of a selector: its key and its rendered text. */
struct req {
	const char *key;
	char *text;
};

/*
 * Requirement.String(): "k=v", "k in (a,b)", "k notin (a)", "k", "!k",
 * values sorted on output. Returns NULL where NewRequirement would refuse
 * the operator or the number of values.
 */
static char *requirement(const char *key, const char *op, const cJSON *values)
{
	size_t nv = 0;
	const cJSON *v;
	cJSON_ArrayForEach(v, values)
	{
		if (!cJSON_IsString(v))
			return NULL;
		nv++;
	}
	struct buf b = BUF_INIT;
	if (strcmp(op, "Exists") == 0 || strcmp(op, "DoesNotExist") == 0) {
		if (nv)
			return NULL;
		buf_printf(&b, "%s%s", op[0] == 'D' ? "!" : "", key);
		return buf_steal(&b);
	}
	if (strcmp(op, "In") != 0 && strcmp(op, "NotIn") != 0)
		return NULL;
	if (!nv)
		return NULL;
	const char **vals = xcalloc(nv, sizeof(*vals));
	size_t i = 0;
	cJSON_ArrayForEach(v, values)
	{
		vals[i++] = v->valuestring;
	}
	qsort(vals, nv, sizeof(*vals), cmp_str);
	buf_printf(&b, "%s %s (", key, op[0] == 'I' ? "in" : "notin");
	for (i = 0; i < nv; i++)
		buf_printf(&b, "%s%s", i ? "," : "", vals[i]);
	buf_addc(&b, ')');
	free(vals);
	return buf_steal(&b);
}

/* Selector.Add sorts the requirements by key; a stable sort keeps the
 * order Go happens to produce for the one case it leaves open (equal keys). */
static void sort_by_key(struct req *r, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(r[j - 1].key, r[j].key) > 0; j--) {
			struct req t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
}

void simprint_selector(struct buf *out, const cJSON *sel, const char *none_word)
{
	const cJSON *labels = get(sel, "matchLabels"), *exprs = get(sel, "matchExpressions");
	size_t n = (size_t)cJSON_GetArraySize(labels) + (size_t)cJSON_GetArraySize(exprs), k = 0;
	struct req *r = xcalloc(n ? n : 1, sizeof(*r));
	bool bad = false;
	const cJSON *it;
	cJSON_ArrayForEach(it, labels)
	{
		if (!cJSON_IsString(it)) {
			bad = true;
			break;
		}
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s=%s", it->string, it->valuestring);
		r[k++] = (struct req){.key = it->string, .text = buf_steal(&b)};
	}
	cJSON_ArrayForEach(it, exprs)
	{
		if (bad)
			break;
		char *text = requirement(str(it, "key"), str(it, "operator"), get(it, "values"));
		if (!text)
			bad = true;
		else
			r[k++] = (struct req){.key = str(it, "key"), .text = text};
	}
	size_t start = out->len;
	if (bad) {
		buf_adds(out, *none_word ? "<error>" : "<invalid>");
	} else {
		sort_by_key(r, k);
		for (size_t i = 0; i < k; i++)
			buf_printf(out, "%s%s", i ? "," : "", r[i].text);
		if (out->len == start)
			buf_adds(out, none_word);
	}
	for (size_t i = 0; i < k; i++)
		free(r[i].text);
	free(r);
}

/* --- Deployments and ReplicaSets ------------------------------------------- */

long long simprint_int(const cJSON *o, const char *key, long long dflt)
{
	const cJSON *v = get(o, key);
	if (!cJSON_IsNumber(v))
		return dflt;
	if (!(v->valuedouble >= INT32_MIN))
		return INT32_MIN;
	if (v->valuedouble > INT32_MAX)
		return INT32_MAX;
	return (long long)v->valuedouble;
}

void simprint_cell(struct buf *b, const char *s)
{
	buf_addc(b, ',');
	buf_add_json_string(b, s);
}

static void cell_age(struct buf *b, const cJSON *o, int64_t now_ms)
{
	char age[SIMPRINT_TIME_LEN];
	simprint_since(str(get(o, "metadata"), "creationTimestamp"), now_ms, age);
	simprint_cell(b, age);
}

/* layoutContainerCells: the CONTAINERS and IMAGES cells of a template. */
static void container_cells(struct buf *b, const cJSON *spec)
{
	struct buf names = BUF_INIT, images = BUF_INIT;
	const cJSON *c;
	cJSON_ArrayForEach(c, get(get(get(spec, "template"), "spec"), "containers"))
	{
		buf_printf(&names, "%s%s", names.len ? "," : "", str(c, "name"));
		buf_printf(&images, "%s%s", images.len ? "," : "", str(c, "image"));
	}
	simprint_cell(b, names.len ? names.data : "");
	simprint_cell(b, images.len ? images.data : "");
	buf_free(&names);
	buf_free(&images);
}

/* layoutContainerCells and the selector: the -o wide cells. */
static void wide_cells(struct buf *b, const cJSON *spec, const char *none_word)
{
	struct buf sel = BUF_INIT;
	container_cells(b, spec);
	simprint_selector(&sel, get(spec, "selector"), none_word);
	simprint_cell(b, sel.len ? sel.data : "");
	buf_free(&sel);
}

/* spec.replicas is defaulted to 1 before anything prints it. */
void simprint_deployment_cells(struct buf *b, const cJSON *deploy, int64_t now_ms)
{
	const cJSON *spec = get(deploy, "spec"), *status = get(deploy, "status");
	char ready[64];
	snprintf(ready, sizeof(ready), "%lld/%lld", simprint_int(status, "readyReplicas", 0),
		 simprint_int(spec, "replicas", 1));
	simprint_cell(b, ready);
	buf_printf(b, ",%lld,%lld", simprint_int(status, "updatedReplicas", 0),
		   simprint_int(status, "availableReplicas", 0));
	cell_age(b, deploy, now_ms);
	wide_cells(b, spec, "");
}

void simprint_replicaset_cells(struct buf *b, const cJSON *rs, int64_t now_ms)
{
	const cJSON *spec = get(rs, "spec"), *status = get(rs, "status");
	buf_printf(b, ",%lld,%lld,%lld", simprint_int(spec, "replicas", 1),
		   simprint_int(status, "replicas", 0), simprint_int(status, "readyReplicas", 0));
	cell_age(b, rs, now_ms);
	wide_cells(b, spec, "<none>");
}

/* --- StatefulSets, ControllerRevisions, PersistentVolumeClaims --------------- */

void simprint_statefulset_cells(struct buf *b, const cJSON *sts, int64_t now_ms)
{
	const cJSON *spec = get(sts, "spec"), *status = get(sts, "status");
	char ready[64];
	snprintf(ready, sizeof(ready), "%lld/%lld", simprint_int(status, "readyReplicas", 0),
		 simprint_int(spec, "replicas", 1));
	simprint_cell(b, ready);
	cell_age(b, sts, now_ms);
	container_cells(b, spec); /* printStatefulSet has no SELECTOR */
}

void simprint_controllerrevision_cells(struct buf *b, const cJSON *cr, int64_t now_ms)
{
	const cJSON *ref = NULL, *r;
	cJSON_ArrayForEach(r, get(get(cr, "metadata"), "ownerReferences"))
	{
		if (cJSON_IsTrue(get(r, "controller"))) {
			ref = r;
			break;
		}
	}
	if (!ref) {
		simprint_cell(b, "<none>");
	} else {
		/* formatResourceName with the kind: lower("Kind.group")/name. */
		const char *av = str(ref, "apiVersion"), *slash = strchr(av, '/');
		struct buf name = BUF_INIT;
		buf_adds(&name, str(ref, "kind"));
		if (slash)
			buf_printf(&name, ".%.*s", (int)(slash - av), av);
		for (size_t i = 0; i < name.len; i++)
			if (name.data[i] >= 'A' && name.data[i] <= 'Z')
				name.data[i] = (char)(name.data[i] - 'A' + 'a');
		buf_printf(&name, "/%s", str(ref, "name"));
		simprint_cell(b, name.data);
		buf_free(&name);
	}
	const cJSON *rev = get(cr, "revision");
	buf_printf(b, ",%lld", cJSON_IsNumber(rev) ? (long long)rev->valuedouble : 0LL);
	cell_age(b, cr, now_ms);
}

void simprint_pvc_cells(struct buf *b, const cJSON *pvc, int64_t now_ms)
{
	const cJSON *spec = get(pvc, "spec"), *status = get(pvc, "status");
	const cJSON *md = get(pvc, "metadata");
	simprint_cell(b, get(md, "deletionTimestamp") ? "Terminating" : str(status, "phase"));
	const char *volume = str(spec, "volumeName");
	simprint_cell(b, volume);
	struct buf modes = BUF_INIT;
	const char *capacity = "";
	if (*volume) {
		capacity = str(get(status, "capacity"), "storage");
		/* GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
		static const char *const order[][2] = {{"ReadWriteOnce", "RWO"},
						       {"ReadOnlyMany", "ROX"},
						       {"ReadWriteMany", "RWX"},
						       {"ReadWriteOncePod", "RWOP"}};
		for (size_t i = 0; i < 4; i++) {
			const cJSON *m;
			cJSON_ArrayForEach(m, get(status, "accessModes"))
			{
				if (cJSON_IsString(m) && strcmp(m->valuestring, order[i][0]) == 0) {
					buf_printf(&modes, "%s%s", modes.len ? "," : "",
						   order[i][1]);
					break;
				}
			}
		}
	}
	simprint_cell(b, capacity);
	simprint_cell(b, modes.len ? modes.data : "");
	buf_free(&modes);
	const char *cls = str(get(md, "annotations"), "volume.beta.kubernetes.io/storage-class");
	simprint_cell(b, *cls ? cls : str(spec, "storageClassName"));
	const char *vac = str(spec, "volumeAttributesClassName");
	simprint_cell(b, *vac ? vac : "<unset>");
	cell_age(b, pvc, now_ms);
	const char *vm = str(spec, "volumeMode");
	simprint_cell(b, *vm ? vm : "<unset>");
}

/* --- DaemonSets ------------------------------------------------------------------ */

void simprint_daemonset_cells(struct buf *b, const cJSON *ds, int64_t now_ms)
{
	const cJSON *spec = get(ds, "spec"), *status = get(ds, "status");
	buf_printf(b, ",%lld,%lld,%lld,%lld,%lld",
		   simprint_int(status, "desiredNumberScheduled", 0),
		   simprint_int(status, "currentNumberScheduled", 0),
		   simprint_int(status, "numberReady", 0),
		   simprint_int(status, "updatedNumberScheduled", 0),
		   simprint_int(status, "numberAvailable", 0));
	/* labels.FormatLabels: key=value pairs sorted by key. */
	const cJSON *ns = get(get(get(spec, "template"), "spec"), "nodeSelector");
	size_t n = 0, i = 0;
	const cJSON *kv;
	cJSON_ArrayForEach(kv, ns) n++;
	const char **keys = xcalloc(n + 1, sizeof(*keys));
	cJSON_ArrayForEach(kv, ns) keys[i++] = kv->string;
	qsort(keys, n, sizeof(*keys), cmp_str);
	struct buf sel = BUF_INIT;
	for (i = 0; i < n; i++)
		buf_printf(&sel, "%s%s=%s", i ? "," : "", keys[i], str(ns, keys[i]));
	simprint_cell(b, n ? sel.data : "<none>");
	buf_free(&sel);
	free(keys);
	cell_age(b, ds, now_ms);
	wide_cells(b, spec, "<none>");
}
static bool has_condition(const cJSON *o, const char *type)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, get(get(o, "status"), "conditions"))
	{
		if (strcmp(str(c, "type"), type) == 0 && strcmp(str(c, "status"), "True") == 0)
			return true;
	}
	return false;
}

void simprint_job_cells(struct buf *b, const cJSON *job, int64_t now_ms)
{
	const cJSON *spec = get(job, "spec"), *status = get(job, "status");
	const char *st = "Running";
	if (has_condition(job, "Complete"))
		st = "Complete";
	else if (has_condition(job, "Failed"))
		st = "Failed";
	else if (get(get(job, "metadata"), "deletionTimestamp"))
		st = "Terminating";
	else if (has_condition(job, "Suspended"))
		st = "Suspended";
	else if (has_condition(job, "FailureTarget"))
		st = "FailureTarget";
	simprint_cell(b, st);
	char comp[80];
	long long ok = simprint_int(status, "succeeded", 0);
	if (cJSON_IsNumber(get(spec, "completions")))
		snprintf(comp, sizeof(comp), "%lld/%lld", ok, simprint_int(spec, "completions", 0));
	else if (simprint_int(spec, "parallelism", 0) > 1)
		snprintf(comp, sizeof(comp), "%lld/1 of %lld", ok,
			 simprint_int(spec, "parallelism", 0));
	else
		snprintf(comp, sizeof(comp), "%lld/1", ok);
	simprint_cell(b, comp);
	char dur[SIMPRINT_TIME_LEN] = "";
	int64_t start = simprint_time_ms(str(status, "startTime"));
	int64_t end = simprint_time_ms(str(status, "completionTime"));
	if (start)
		simprint_human_duration((end ? end : now_ms) - start, dur);
	simprint_cell(b, dur);
	cell_age(b, job, now_ms);
	wide_cells(b, spec, "<none>");
}

void simprint_cronjob_cells(struct buf *b, const cJSON *cj, int64_t now_ms)
{
	const cJSON *spec = get(cj, "spec"), *status = get(cj, "status");
	simprint_cell(b, str(spec, "schedule"));
	const cJSON *tz = get(spec, "timeZone");
	simprint_cell(b, cJSON_IsString(tz) ? tz->valuestring : "<none>");
	const cJSON *suspend = get(spec, "suspend");
	/* printBoolPtr: a string cell in a "boolean" column. */
	simprint_cell(b, !cJSON_IsBool(suspend)  ? "<unset>"
			 : cJSON_IsTrue(suspend) ? "True"
						 : "False");
	buf_printf(b, ",%d", cJSON_GetArraySize(get(status, "active")));
	char last[SIMPRINT_TIME_LEN] = "<none>";
	if (*str(status, "lastScheduleTime"))
		simprint_since(str(status, "lastScheduleTime"), now_ms, last);
	simprint_cell(b, last);
	cell_age(b, cj, now_ms);
	const cJSON *jspec = get(get(spec, "jobTemplate"), "spec");
	struct buf sel = BUF_INIT;
	container_cells(b, jspec);
	simprint_selector(&sel, get(jspec, "selector"), "<none>");
	simprint_cell(b, sel.len ? sel.data : "");
	buf_free(&sel);
}
