#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "printer.h"

/*
 * printResourceQuota, printPodDisruptionBudget and
 * printHorizontalPodAutoscaler (pkg/printers/internalversion/printers.go).
 */

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static void age(struct buf *b, const cJSON *o, int64_t now_ms)
{
	char a[SIMPRINT_TIME_LEN];
	const cJSON *ts = get(get(o, "metadata"), "creationTimestamp");
	simprint_since(cJSON_IsString(ts) ? ts->valuestring : NULL, now_ms, a);
	simprint_cell(b, a);
}

static void int_cell(struct buf *b, long long v)
{
	buf_printf(b, ",%lld", v);
}

static int by_key(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

static const char *qstr(const cJSON *v)
{
	return cJSON_IsString(v) ? v->valuestring : "0";
}

/* REQUEST and LIMIT: "resource: used/hard" over status.hard's names sorted,
 * the limits.* ones in LIMIT. */
void simprint_quota_cells(struct buf *b, const cJSON *q, int64_t now_ms)
{
	const cJSON *hard = get(get(q, "status"), "hard"), *used = get(get(q, "status"), "used");
	size_t n = (size_t)cJSON_GetArraySize(hard);
	const cJSON **items = xcalloc(n + 1, sizeof(*items));
	size_t k = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, hard)
	{
		if (k < n)
			items[k++] = it;
	}
	qsort(items, k, sizeof(*items), by_key);
	struct buf req = BUF_INIT, lim = BUF_INIT;
	for (size_t i = 0; i < k; i++) {
		const char *name = items[i]->string;
		struct buf *w = strncmp(name, "limits.", 7) == 0 ? &lim : &req;
		buf_printf(w, "%s%s: %s/%s", w->len ? ", " : "", name, qstr(get(used, name)),
			   qstr(items[i]));
	}
	free(items);
	age(b, q, now_ms);
	simprint_cell(b, req.len ? req.data : "");
	simprint_cell(b, lim.len ? lim.data : "");
	buf_free(&req);
	buf_free(&lim);
}

/* An IntOrString as printed: the number, the string, or "N/A" when unset. */
static void int_or_string(struct buf *b, const cJSON *v)
{
	char s[32];
	if (cJSON_IsNumber(v)) {
		snprintf(s, sizeof(s), "%lld", (long long)v->valuedouble);
		simprint_cell(b, s);
	} else {
		simprint_cell(b, cJSON_IsString(v) ? v->valuestring : "N/A");
	}
}

/* MIN AVAILABLE, MAX UNAVAILABLE, ALLOWED DISRUPTIONS, AGE. */
void simprint_pdb_cells(struct buf *b, const cJSON *pdb, int64_t now_ms)
{
	const cJSON *spec = get(pdb, "spec");
	int_or_string(b, get(spec, "minAvailable"));
	int_or_string(b, get(spec, "maxUnavailable"));
	const cJSON *d = get(get(pdb, "status"), "disruptionsAllowed");
	int_cell(b, cJSON_IsNumber(d) ? (long long)d->valuedouble : 0);
	age(b, pdb, now_ms);
}

/* formatHPAMetrics for the Resource and ContainerResource targets (the
 * others print as "<unknown>/target" the same way): current/target per
 * metric, at most 3 then " + N more...". */
static void hpa_metric(struct buf *w, const cJSON *spec, const cJSON *cur)
{
	const char *type = cJSON_GetStringValue(get(spec, "type"));
	const char *member = type && strcmp(type, "ContainerResource") == 0 ? "containerResource"
			     : type && strcmp(type, "Pods") == 0             ? "pods"
			     : type && strcmp(type, "Object") == 0           ? "object"
			     : type && strcmp(type, "External") == 0         ? "external"
									     : "resource";
	const cJSON *m = get(spec, member), *t = get(m, "target"), *c = get(get(cur, member), "current");
	const char *name = cJSON_GetStringValue(get(m, "name"));
	if (!name)
		name = cJSON_GetStringValue(get(get(m, "metric"), "name"));
	const cJSON *util = get(t, "averageUtilization");
	if (cJSON_IsNumber(util)) {
		const cJSON *cu = get(c, "averageUtilization");
		char now[32] = "<unknown>";
		if (cJSON_IsNumber(cu))
			snprintf(now, sizeof(now), "%lld%%", (long long)cu->valuedouble);
		buf_printf(w, "%s: %s/%lld%%", name ? name : "", now, (long long)util->valuedouble);
		return;
	}
	const char *tv = cJSON_GetStringValue(get(t, "averageValue"));
	const char *tkey = "averageValue";
	if (!tv) {
		tv = cJSON_GetStringValue(get(t, "value"));
		tkey = "value";
	}
	const char *cv = cJSON_GetStringValue(get(c, tkey));
	const char *avg = strcmp(tkey, "averageValue") == 0 && strcmp(member, "object") == 0 ? " (avg)" : "";
	buf_printf(w, "%s: %s/%s%s", name ? name : "", cv ? cv : "<unknown>", tv ? tv : "<unknown>",
		   avg);
}

/* REFERENCE, TARGETS, MINPODS, MAXPODS, REPLICAS, AGE. */
void simprint_hpa_cells(struct buf *b, const cJSON *hpa, int64_t now_ms)
{
	const cJSON *spec = get(hpa, "spec"), *st = get(hpa, "status");
	const cJSON *ref = get(spec, "scaleTargetRef");
	struct buf r = BUF_INIT;
	const char *kind = cJSON_GetStringValue(get(ref, "kind"));
	const char *name = cJSON_GetStringValue(get(ref, "name"));
	buf_printf(&r, "%s/%s", kind ? kind : "", name ? name : "");
	simprint_cell(b, r.data);
	buf_free(&r);
	const cJSON *metrics = get(spec, "metrics"), *current = get(st, "currentMetrics");
	int n = cJSON_GetArraySize(metrics);
	struct buf w = BUF_INIT;
	for (int i = 0; i < n && i < 3; i++) {
		if (i)
			buf_adds(&w, ", ");
		hpa_metric(&w, cJSON_GetArrayItem(metrics, i), cJSON_GetArrayItem(current, i));
	}
	if (n > 3)
		buf_printf(&w, " + %d more...", n - 3);
	simprint_cell(b, n ? w.data : "<none>");
	buf_free(&w);
	const cJSON *min = get(spec, "minReplicas");
	char s[32] = "<unset>";
	if (cJSON_IsNumber(min))
		snprintf(s, sizeof(s), "%lld", (long long)min->valuedouble);
	simprint_cell(b, s);
	int_cell(b, simprint_int(spec, "maxReplicas", 0));
	int_cell(b, simprint_int(st, "currentReplicas", 0));
	age(b, hpa, now_ms);
}
