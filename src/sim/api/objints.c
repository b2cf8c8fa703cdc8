#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "gofmt.h"
#include "objints.h"

/*
 * Where the integers are, from the Go types (k8s.io/api core/v1, apps/v1,
 * autoscaling/v1, meta/v1). A path segment ending in "[]" is a list whose
 * elements all have the rest of the path; the Go struct is the one that
 * declares the last field, as encoding/json names it in its errors.
 */

enum itype {
	I32,
	I64,
	INTSTR, /* intstr.IntOrString: a string, or a number that fits int32 */
};

struct ifield {
	const char *path;
	const char *gostruct;
	enum itype type;
};

static const struct ifield meta_fields[] = {
    {"metadata.generation", "ObjectMeta", I64},
    {"metadata.deletionGracePeriodSeconds", "ObjectMeta", I64},
};

static const struct ifield podspec_fields[] = {
    {"terminationGracePeriodSeconds", "PodSpec", I64},
    {"activeDeadlineSeconds", "PodSpec", I64},
    {"priority", "PodSpec", I32},
    {"securityContext.runAsUser", "PodSecurityContext", I64},
    {"securityContext.runAsGroup", "PodSecurityContext", I64},
    {"securityContext.fsGroup", "PodSecurityContext", I64},
    {"topologySpreadConstraints[].maxSkew", "TopologySpreadConstraint", I32},
    {"topologySpreadConstraints[].minDomains", "TopologySpreadConstraint", I32},
    {"affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[].weight",
     "PreferredSchedulingTerm", I32},
    {"affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[].weight",
     "WeightedPodAffinityTerm", I32},
    {"affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[].weight",
     "WeightedPodAffinityTerm", I32},
    {"volumes[].secret.defaultMode", "SecretVolumeSource", I32},
    {"volumes[].secret.items[].mode", "KeyToPath", I32},
    {"volumes[].configMap.defaultMode", "ConfigMapVolumeSource", I32},
    {"volumes[].configMap.items[].mode", "KeyToPath", I32},
    {"volumes[].projected.defaultMode", "ProjectedVolumeSource", I32},
    {"volumes[].downwardAPI.defaultMode", "DownwardAPIVolumeSource", I32},
};

static const struct ifield container_fields[] = {
    {"ports[].containerPort", "ContainerPort", I32},
    {"ports[].hostPort", "ContainerPort", I32},
    {"securityContext.runAsUser", "SecurityContext", I64},
    {"securityContext.runAsGroup", "SecurityContext", I64},
};

static const struct ifield probe_fields[] = {
    {"initialDelaySeconds", "Probe", I32}, {"timeoutSeconds", "Probe", I32},
    {"periodSeconds", "Probe", I32},       {"successThreshold", "Probe", I32},
    {"failureThreshold", "Probe", I32},    {"terminationGracePeriodSeconds", "Probe", I64},
    {"grpc.port", "GRPCAction", I32},
};

static const struct ifield handler_fields[] = {
    {"httpGet.port", "HTTPGetAction", INTSTR},
    {"tcpSocket.port", "TCPSocketAction", INTSTR},
};

static const struct ifield podstatus_fields[] = {
    {"restartCount", "ContainerStatus", I32},
    {"state.terminated.exitCode", "ContainerStateTerminated", I32},
    {"state.terminated.signal", "ContainerStateTerminated", I32},
    {"lastState.terminated.exitCode", "ContainerStateTerminated", I32},
    {"lastState.terminated.signal", "ContainerStateTerminated", I32},
};

static const struct ifield deployment_fields[] = {
    {"spec.replicas", "DeploymentSpec", I32},
    {"spec.minReadySeconds", "DeploymentSpec", I32},
    {"spec.revisionHistoryLimit", "DeploymentSpec", I32},
    {"spec.progressDeadlineSeconds", "DeploymentSpec", I32},
    {"spec.strategy.rollingUpdate.maxUnavailable", "RollingUpdateDeployment", INTSTR},
    {"spec.strategy.rollingUpdate.maxSurge", "RollingUpdateDeployment", INTSTR},
    {"status.observedGeneration", "DeploymentStatus", I64},
    {"status.replicas", "DeploymentStatus", I32},
    {"status.updatedReplicas", "DeploymentStatus", I32},
    {"status.readyReplicas", "DeploymentStatus", I32},
    {"status.availableReplicas", "DeploymentStatus", I32},
    {"status.unavailableReplicas", "DeploymentStatus", I32},
    {"status.terminatingReplicas", "DeploymentStatus", I32},
    {"status.collisionCount", "DeploymentStatus", I32},
};

static const struct ifield replicaset_fields[] = {
    {"spec.replicas", "ReplicaSetSpec", I32},
    {"spec.minReadySeconds", "ReplicaSetSpec", I32},
    {"status.replicas", "ReplicaSetStatus", I32},
    {"status.fullyLabeledReplicas", "ReplicaSetStatus", I32},
    {"status.readyReplicas", "ReplicaSetStatus", I32},
    {"status.availableReplicas", "ReplicaSetStatus", I32},
    {"status.terminatingReplicas", "ReplicaSetStatus", I32},
    {"status.observedGeneration", "ReplicaSetStatus", I64},
};

static const struct ifield service_fields[] = {
    {"spec.ports[].port", "ServicePort", I32},
    {"spec.ports[].targetPort", "ServicePort", INTSTR},
    {"spec.ports[].nodePort", "ServicePort", I32},
    {"spec.healthCheckNodePort", "ServiceSpec", I32},
    {"spec.sessionAffinityConfig.clientIP.timeoutSeconds", "ClientIPConfig", I32},
};

/* batch/v1: a CronJob's job template has the Job's spec under
 * spec.jobTemplate.spec (the same rows, another prefix). */
#define JOB_SPEC_ROWS(p)                                                                           \
	{p "parallelism", "JobSpec", I32}, {p "completions", "JobSpec", I32},                      \
	    {p "activeDeadlineSeconds", "JobSpec", I64}, {p "backoffLimit", "JobSpec", I32},       \
	    {p "backoffLimitPerIndex", "JobSpec", I32}, {p "maxFailedIndexes", "JobSpec", I32},    \
	{                                                                                          \
		p "ttlSecondsAfterFinished", "JobSpec", I32                                        \
	}

static const struct ifield job_fields[] = {
    JOB_SPEC_ROWS("spec."),
    {"status.active", "JobStatus", I32},
    {"status.succeeded", "JobStatus", I32},
    {"status.failed", "JobStatus", I32},
    {"status.ready", "JobStatus", I32},
    {"status.terminating", "JobStatus", I32},
};

static const struct ifield cronjob_fields[] = {
    JOB_SPEC_ROWS("spec.jobTemplate.spec."),
    {"spec.startingDeadlineSeconds", "CronJobSpec", I64},
    {"spec.successfulJobsHistoryLimit", "CronJobSpec", I32},
    {"spec.failedJobsHistoryLimit", "CronJobSpec", I32},
};

static const struct ifield endpoints_fields[] = {
    {"subsets[].ports[].port", "EndpointPort", I32},
};

static const struct ifield endpointslice_fields[] = {
    {"ports[].port", "EndpointPort", I32},
};

static const struct ifield node_fields[] = {
    {"status.daemonEndpoints.kubeletEndpoint.Port", "DaemonEndpoint", I32},
};

static const struct ifield event_fields[] = {
    {"count", "Event", I32},
    {"series.count", "EventSeries", I32},
};

static const struct ifield scale_fields[] = {
    {"spec.replicas", "ScaleSpec", I32},
    {"status.replicas", "ScaleStatus", I32},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct numpos {
	const cJSON *item;
	size_t i; /* its literal: lits[i] */
};

struct walk {
	enum objints_how how;
	const char *raw;
	size_t rawlen;
	const cJSON *root;
	char *err;
	/* The literals of raw, read once; pos (sorted by item) when root is raw
	 * as parsed, so that each lookup is a binary search. */
	bool lexed;
	struct lit *lits;
	size_t nl;
	struct numpos *pos;
	size_t npos;
};

static const char *type_name(enum itype t)
{
	return t == I64 ? "int64" : "int32";
}

/* --- the literals of the JSON text ---------------------------------------- */

struct lit {
	const char *p;
	size_t n;
};

/* Every number token of raw, in order (strings skipped). */
static struct lit *lex_numbers(const char *raw, size_t len, size_t *count)
{
	size_t cap = 16, k = 0;
	struct lit *v = xcalloc(cap, sizeof(*v));
	for (size_t i = 0; i < len;) {
		char c = raw[i];
		if (c == '"') {
			for (i++; i < len && raw[i] != '"'; i++)
				if (raw[i] == '\\')
					i++;
			i++;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			size_t s = i;
			while (i < len && strchr("+-0123456789.eE", raw[i]) && raw[i])
				i++;
			if (k == cap) {
				cap *= 2;
				v = xrealloc(v, cap * sizeof(*v));
			}
			v[k++] = (struct lit){raw + s, i - s};
		} else {
			i++;
		}
	}
	*count = k;
	return v;
}

static void dfs_numbers(const cJSON *o, const cJSON ***v, size_t *n, size_t *cap)
{
	for (; o; o = o->next) {
		if (cJSON_IsNumber(o)) {
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 16;
				*v = xrealloc(*v, *cap * sizeof(**v));
			}
			(*v)[(*n)++] = o;
		}
		dfs_numbers(o->child, v, n, cap);
	}
}

static double lit_value(const struct lit *l)
{
	char tmp[64];
	if (l->n >= sizeof(tmp))
		return NAN;
	memcpy(tmp, l->p, l->n);
	tmp[l->n] = '\0';
	return strtod(tmp, NULL);
}

static int cmp_pos(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct numpos *)a)->item;
	uintptr_t y = (uintptr_t)((const struct numpos *)b)->item;
	return x < y ? -1 : x > y;
}

static void lex_once(struct walk *w)
{
	if (w->lexed || !w->raw)
		return;
	w->lexed = true;
	w->lits = lex_numbers(w->raw, w->rawlen, &w->nl);
	const cJSON **nums = NULL;
	size_t nd = 0, cap = 0;
	if (w->root)
		dfs_numbers(w->root, &nums, &nd, &cap);
	if (w->root && nd == w->nl && nd) {
		w->pos = xcalloc(nd, sizeof(*w->pos));
		for (size_t i = 0; i < nd; i++)
			w->pos[i] = (struct numpos){nums[i], i};
		qsort(w->pos, nd, sizeof(*w->pos), cmp_pos);
		w->npos = nd;
	}
	free(nums);
}

static bool copy_lit(const struct lit *l, char *out, size_t n)
{
	if (l->n >= n)
		return false;
	memcpy(out, l->p, l->n);
	out[l->n] = '\0';
	return true;
}

/* The literal of item when root was parsed from raw unchanged (the same
 * count of numbers in both, matched by position); false otherwise. */
static bool own_literal(struct walk *w, const cJSON *item, char *out, size_t n)
{
	lex_once(w);
	struct numpos key = {item, 0};
	const struct numpos *p =
	    w->npos ? bsearch(&key, w->pos, w->npos, sizeof(*w->pos), cmp_pos) : NULL;
	return p && copy_lit(&w->lits[p->i], out, n);
}

/* For a message only: the first literal of raw with item's value. */
static bool some_literal(struct walk *w, const cJSON *item, char *out, size_t n)
{
	lex_once(w);
	for (size_t i = 0; i < w->nl; i++)
		if (lit_value(&w->lits[i]) == item->valuedouble)
			return copy_lit(&w->lits[i], out, n);
	return false;
}

/* The literal as encoding/json quotes it: the client's text, else the value. */
static void shown_number(struct walk *w, const cJSON *v, char *out, size_t n)
{
	if (own_literal(w, v, out, n) || some_literal(w, v, out, n))
		return;
	double d = v->valuedouble;
	if (d == trunc(d) && fabs(d) < 1e21)
		snprintf(out, n, "%.0f", d);
	else
		gofmt_float(d, out, n);
}

static bool integer_literal(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/*
 * Does the number fit the field, as strconv.ParseInt and OverflowInt see it?
 * Judged on its own literal when that is known for sure (a body as sent:
 * "1.0" does not fit an int32), else on its value (a patched object, whose
 * numbers may come from the stored object as well as from the patch).
 */
static bool number_fits(struct walk *w, const cJSON *v, enum itype t, char *lit, size_t n)
{
	if (own_literal(w, v, lit, n)) {
		if (!integer_literal(lit))
			return false;
		errno = 0;
		long long x = strtoll(lit, NULL, 10);
		if (errno == ERANGE)
			return false;
		return t == I64 || (x >= INT32_MIN && x <= INT32_MAX);
	}
	double d = v->valuedouble;
	bool fits = isfinite(d) && d == trunc(d) &&
		    (t == I64 ? d >= -9223372036854775808.0 && d < 9223372036854775808.0
			      : d >= INT32_MIN && d <= INT32_MAX);
	if (!fits)
		shown_number(w, v, lit, n);
	return fits;
}

static const char *json_kind(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsBool(v))
		return "bool";
	if (cJSON_IsArray(v))
		return "array";
	return "object";
}

/* --- one field -------------------------------------------------------------- */

static void fail(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct walk *w, const char *fmt, ...)
{
	if (w->err)
		return;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&w->err, fmt, ap) < 0)
		w->err = xstrdup("json: cannot unmarshal");
	va_end(ap);
}

static void decode_field(struct walk *w, const cJSON *v, const char *gostruct, const char *field,
			 enum itype t)
{
	char lit[128];
	if (cJSON_IsNull(v) || (t == INTSTR && cJSON_IsString(v)))
		return;
	if (cJSON_IsNumber(v)) {
		if (!number_fits(w, v, t, lit, sizeof(lit)))
			fail(w,
			     "json: cannot unmarshal number %s into Go struct field %s.%s of type "
			     "%s",
			     lit, gostruct, field, type_name(t));
		return;
	}
	fail(w, "json: cannot unmarshal %s into Go struct field %s.%s of type %s", json_kind(v),
	     gostruct, field, type_name(t));
}

/* Go's int64(f) on amd64: out of range gives the "integer indefinite" value. */
static int64_t go_int64(double d)
{
	if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
		return (int64_t)d;
	return INT64_MIN;
}

static void convert_field(struct walk *w, cJSON *v, enum itype t)
{
	char lit[128];
	if (cJSON_IsNull(v))
		return;
	if (t == INTSTR) {
		/* IntOrString converts through its UnmarshalJSON. */
		if (cJSON_IsString(v))
			return;
		if (cJSON_IsNumber(v)) {
			if (!number_fits(w, v, I32, lit, sizeof(lit)))
				fail(w,
				     "json: cannot unmarshal number %s into Go value of type int32",
				     lit);
			return;
		}
		fail(w, "json: cannot unmarshal %s into Go value of type int32", json_kind(v));
		return;
	}
	if (!cJSON_IsNumber(v)) {
		fail(w, "unrecognized type: %s", type_name(t));
		return;
	}
	double d = v->valuedouble;
	if (!isfinite(d) || d != trunc(d)) {
		fail(w, "cannot convert float64 to %s", type_name(t));
		return;
	}
	int64_t x = go_int64(d);
	if (t == I32)
		x = (int32_t)(uint32_t)(uint64_t)x;
	if ((double)x != d)
		cJSON_SetNumberValue(v, (double)x);
}

/* Follow path (with "[]" segments) from o, checking every value found. */
static void walk_path(struct walk *w, cJSON *o, const char *path, const char *full,
		      const char *gostruct, enum itype t)
{
	if (w->err || !cJSON_IsObject(o))
		return;
	const char *dot = strchr(path, '.');
	size_t n = dot ? (size_t)(dot - path) : strlen(path);
	bool list = n > 2 && path[n - 2] == '[' && path[n - 1] == ']';
	char key[128];
	size_t kn = list ? n - 2 : n;
	if (kn >= sizeof(key))
		return;
	memcpy(key, path, kn);
	key[kn] = '\0';
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v)
		return;
	if (list) {
		cJSON *e;
		if (!dot || !cJSON_IsArray(v))
			return;
		cJSON_ArrayForEach(e, v)
		{
			walk_path(w, e, dot + 1, full, gostruct, t);
		}
		return;
	}
	if (dot) {
		walk_path(w, v, dot + 1, full, gostruct, t);
		return;
	}
	if (w->how == OBJINTS_DECODE)
		decode_field(w, v, gostruct, full, t);
	else
		convert_field(w, v, t);
}

/* One row under prefix: the Go field path is the JSON path without "[]". */
static void check_row(struct walk *w, cJSON *obj, const char *prefix, const struct ifield *f)
{
	char path[512], full[512];
	snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", f->path);
	size_t k = 0;
	for (const char *p = path; *p && k + 1 < sizeof(full); p++) {
		if (p[0] == '[' && p[1] == ']') {
			p++;
			continue;
		}
		full[k++] = *p;
	}
	full[k] = '\0';
	walk_path(w, obj, path, full, f->gostruct, f->type);
}

static void check_rows(struct walk *w, cJSON *obj, const char *prefix, const struct ifield *rows,
		       size_t n)
{
	for (size_t i = 0; i < n && !w->err; i++)
		check_row(w, obj, prefix, &rows[i]);
}

static void check_pod_spec(struct walk *w, cJSON *obj, const char *spec)
{
	static const char *const lists[] = {"containers[]", "initContainers[]"};
	static const char *const probes[] = {"livenessProbe", "readinessProbe", "startupProbe"};
	static const char *const hooks[] = {"lifecycle.postStart", "lifecycle.preStop"};
	char p[256];
	check_rows(w, obj, spec, podspec_fields, N(podspec_fields));
	for (size_t l = 0; l < N(lists); l++) {
		snprintf(p, sizeof(p), "%s.%s", spec, lists[l]);
		check_rows(w, obj, p, container_fields, N(container_fields));
		for (size_t i = 0; i < N(probes); i++) {
			snprintf(p, sizeof(p), "%s.%s.%s", spec, lists[l], probes[i]);
			check_rows(w, obj, p, probe_fields, N(probe_fields));
			check_rows(w, obj, p, handler_fields, N(handler_fields));
		}
		for (size_t i = 0; i < N(hooks); i++) {
			snprintf(p, sizeof(p), "%s.%s.%s", spec, lists[l], hooks[i]);
			check_rows(w, obj, p, handler_fields, N(handler_fields));
			static const struct ifield sleep = {"sleep.seconds", "SleepAction", I64};
			check_row(w, obj, p, &sleep);
		}
	}
}

char *objints_check(const char *kind, cJSON *obj, enum objints_how how, const char *raw,
		    size_t rawlen)
{
	struct walk w = {.how = how, .raw = raw, .rawlen = rawlen, .root = obj};
	if (!kind || !cJSON_IsObject(obj))
		return NULL;
	check_rows(&w, obj, "", meta_fields, N(meta_fields));
	if (strcmp(kind, "Deployment") == 0) {
		check_rows(&w, obj, "", deployment_fields, N(deployment_fields));
		check_pod_spec(&w, obj, "spec.template.spec");
	} else if (strcmp(kind, "ReplicaSet") == 0) {
		check_rows(&w, obj, "", replicaset_fields, N(replicaset_fields));
		check_pod_spec(&w, obj, "spec.template.spec");
	} else if (strcmp(kind, "Pod") == 0) {
		check_pod_spec(&w, obj, "spec");
		check_rows(&w, obj, "status.containerStatuses[]", podstatus_fields,
			   N(podstatus_fields));
		check_rows(&w, obj, "status.initContainerStatuses[]", podstatus_fields,
			   N(podstatus_fields));
	} else if (strcmp(kind, "Service") == 0) {
		check_rows(&w, obj, "", service_fields, N(service_fields));
	} else if (strcmp(kind, "Endpoints") == 0) {
		check_rows(&w, obj, "", endpoints_fields, N(endpoints_fields));
	} else if (strcmp(kind, "EndpointSlice") == 0) {
		check_rows(&w, obj, "", endpointslice_fields, N(endpointslice_fields));
	} else if (strcmp(kind, "Node") == 0) {
		check_rows(&w, obj, "", node_fields, N(node_fields));
	} else if (strcmp(kind, "Event") == 0) {
		check_rows(&w, obj, "", event_fields, N(event_fields));
	} else if (strcmp(kind, "Scale") == 0) {
		check_rows(&w, obj, "", scale_fields, N(scale_fields));
	} else if (strcmp(kind, "Job") == 0) {
		check_rows(&w, obj, "", job_fields, N(job_fields));
		check_pod_spec(&w, obj, "spec.template.spec");
	} else if (strcmp(kind, "CronJob") == 0) {
		check_rows(&w, obj, "", cronjob_fields, N(cronjob_fields));
		check_pod_spec(&w, obj, "spec.jobTemplate.spec.template.spec");
	}
	free(w.lits);
	free(w.pos);
	return w.err;
}

int objints_overflow_literal(const char *raw, size_t rawlen, char *out, size_t n)
{
	size_t nl;
	struct lit *lits = lex_numbers(raw, rawlen, &nl);
	int found = 0;
	for (size_t i = 0; i < nl && !found; i++) {
		char tmp[512];
		if (lits[i].n >= sizeof(tmp) || lits[i].n >= n)
			continue;
		memcpy(tmp, lits[i].p, lits[i].n);
		tmp[lits[i].n] = '\0';
		errno = 0;
		double d = strtod(tmp, NULL);
		if (errno == ERANGE && isinf(d)) {
			snprintf(out, n, "%s", tmp);
			found = 1;
		}
	}
	free(lits);
	return found;
}
