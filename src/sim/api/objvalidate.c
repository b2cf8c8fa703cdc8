#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cronsched.h"
#include "objdefaults.h"
#include "podscope/buf.h"
#include "podscope/xalloc.h"

/*
 * Validation with the API server's messages (apimachinery's field.Error
 * strings and validation.IsDNS1123Label & co.), so that kubectl prints
 * what it prints against a real cluster.
 */

#define DNS1123_LABEL_MSG                                                                          \
	"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "  \
	"and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "  \
	"regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
#define DNS1123_SUBDOMAIN_MSG                                                                      \
	"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' " \
	"or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "     \
	"regex used for validation is "                                                            \
	"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
#define DNS1035_LABEL_MSG                                                                          \
	"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with " \
	"an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "   \
	"'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"

static bool lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool label_ok(const char *s, size_t len)
{
	if (len == 0 || len > 63 || !lower_alnum(s[0]) || !lower_alnum(s[len - 1]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!lower_alnum(s[i]) && s[i] != '-')
			return false;
	return true;
}

const char *objvalidate_dns1123_label(const char *s)
{
	if (strlen(s) > 63)
		return "must be no more than 63 characters";
	return label_ok(s, strlen(s)) ? NULL : DNS1123_LABEL_MSG;
}

const char *objvalidate_dns1123_subdomain(const char *s)
{
	size_t len = strlen(s);
	if (len > 253)
		return "must be no more than 253 characters";
	const char *p = s;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n == 0 || !lower_alnum(p[0]) || !lower_alnum(p[n - 1]))
			return DNS1123_SUBDOMAIN_MSG;
		for (size_t i = 0; i < n; i++)
			if (!lower_alnum(p[i]) && p[i] != '-')
				return DNS1123_SUBDOMAIN_MSG;
		if (!dot)
			return NULL;
		p = dot + 1;
	}
}

const char *objvalidate_dns1035_label(const char *s)
{
	if (strlen(s) > 63)
		return "must be no more than 63 characters";
	if (!label_ok(s, strlen(s)) || !(s[0] >= 'a' && s[0] <= 'z'))
		return DNS1035_LABEL_MSG;
	return NULL;
}

/* The errors found so far, as field.ErrorList. */
struct verrs {
	cJSON *causes;
	struct buf msg;
	int n;
};

static void verr(struct verrs *v, const char *reason, const char *field, const char *detail)
{
	cJSON *cause = cJSON_CreateObject();
	cJSON_AddStringToObject(cause, "reason", reason);
	cJSON_AddStringToObject(cause, "message", detail);
	cJSON_AddStringToObject(cause, "field", field);
	cJSON_AddItemToArray(v->causes, cause);
	if (v->n++)
		buf_adds(&v->msg, ", ");
	buf_printf(&v->msg, "%s: %s", field, detail);
}

static void required(struct verrs *v, const char *field)
{
	verr(v, "FieldValueRequired", field, "Required value");
}

static void invalid(struct verrs *v, const char *field, const cJSON *value, const char *why)
{
	char *shown = !value || cJSON_IsString(value) ? NULL : cJSON_PrintUnformatted(value);
	struct buf b = BUF_INIT;
	buf_adds(&b, "Invalid value: ");
	if (shown)
		buf_adds(&b, shown);
	else if (!value)
		buf_adds(&b, "null");
	else
		buf_add_json_string(&b, value->valuestring);
	buf_printf(&b, ": %s", why);
	verr(v, "FieldValueInvalid", field, b.data);
	buf_free(&b);
	cJSON_free(shown);
}

static void unsupported(struct verrs *v, const char *field, const char *value,
			const char *supported)
{
	char *d = xasprintf("Unsupported value: \"%s\": supported values: %s", value, supported);
	verr(v, "FieldValueNotSupported", field, d);
	free(d);
}

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static void check_nonneg(struct verrs *v, const cJSON *o, const char *key, const char *field)
{
	const cJSON *n = get(o, key);
	if (!n)
		return;
	if (!cJSON_IsNumber(n) || n->valuedouble != floor(n->valuedouble))
		invalid(v, field, n, "must be an integer");
	else if (n->valuedouble < 0)
		invalid(v, field, n, "must be greater than or equal to 0");
}

static void check_containers(struct verrs *v, const cJSON *list, const char *path, bool need)
{
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0) {
		if (need)
			required(v, path);
		return;
	}
	int i = 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, list)
	{
		char field[256];
		const cJSON *name = get(c, "name");
		snprintf(field, sizeof(field), "%s[%d].name", path, i);
		if (!cJSON_IsString(name) || !*name->valuestring)
			required(v, field);
		else if (objvalidate_dns1123_label(name->valuestring))
			invalid(v, field, name, objvalidate_dns1123_label(name->valuestring));
		const cJSON *image = get(c, "image");
		snprintf(field, sizeof(field), "%s[%d].image", path, i);
		if (!cJSON_IsString(image) || !*image->valuestring)
			required(v, field);
		static const char *const probes[] = {"livenessProbe", "startupProbe"};
		for (size_t p = 0; p < 2; p++) {
			const cJSON *st = get(get(c, probes[p]), "successThreshold");
			if (cJSON_IsNumber(st) && st->valueint != 1) {
				snprintf(field, sizeof(field), "%s[%d].%s.successThreshold", path, i,
					 probes[p]);
				invalid(v, field, st, "must be 1");
			}
		}
		i++;
	}
}

#define QNAME_RE "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
#define QNAME_CHARS                                                                                \
	"must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " \
	"alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "      \
	"validation is '" QNAME_RE "')"

static bool qname_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* IsQualifiedName: [DNS subdomain prefix "/"] name, each failure its own
 * Invalid error on field. */
static void check_qualified_name(struct verrs *v, const char *field, const cJSON *value)
{
	const char *s = cJSON_IsString(value) ? value->valuestring : "";
	const char *slash = strchr(s, '/'), *name = s;
	if (slash && strchr(slash + 1, '/')) {
		invalid(v, field, value,
			"a qualified name " QNAME_CHARS " with an optional DNS subdomain prefix and "
			"'/' (e.g. 'example.com/MyName')");
		return;
	}
	if (slash) {
		name = slash + 1;
		char prefix[256];
		size_t n = (size_t)(slash - s);
		if (n == 0) {
			invalid(v, field, value, "prefix part must be non-empty");
		} else {
			snprintf(prefix, sizeof(prefix), "%.*s", (int)(n < 255 ? n : 255), s);
			const char *why = n > 253 ? "must be no more than 253 characters"
						  : objvalidate_dns1123_subdomain(prefix);
			if (why) {
				char *d = xasprintf("prefix part %s", why);
				invalid(v, field, value, d);
				free(d);
			}
		}
	}
	size_t n = strlen(name);
	if (n == 0) {
		invalid(v, field, value, "name part must be non-empty");
		return;
	}
	if (n > 63)
		invalid(v, field, value, "name part must be no more than 63 characters");
	bool ok = qname_char(name[0]) && qname_char(name[n - 1]);
	for (size_t i = 0; ok && i < n; i++)
		ok = qname_char(name[i]) || name[i] == '-' || name[i] == '_' || name[i] == '.';
	if (!ok)
		invalid(v, field, value, "name part " QNAME_CHARS);
}

/* validateSchedulingGates: each name a qualified name, no name twice. */
static void check_gates(struct verrs *v, const cJSON *gates, const char *path)
{
	int i = 0;
	const cJSON *g, *h;
	cJSON_ArrayForEach(g, gates)
	{
		const char *name = cJSON_IsString(get(g, "name")) ? get(g, "name")->valuestring : "";
		char qfield[300];
		snprintf(qfield, sizeof(qfield), "%s.schedulingGates[%d].name", path, i);
		check_qualified_name(v, qfield, get(g, "name"));
		for (h = gates->child; h != g; h = h->next) {
			const cJSON *hn = get(h, "name");
			if (cJSON_IsString(hn) && strcmp(hn->valuestring, name) == 0) {
				char field[300];
				snprintf(field, sizeof(field), "%s.schedulingGates[%d]", path, i);
				struct buf d = BUF_INIT;
				buf_adds(&d, "Duplicate value: ");
				buf_add_json_string(&d, name);
				verr(v, "FieldValueDuplicate", field, d.data);
				buf_free(&d);
				break;
			}
		}
		i++;
	}
}

static void check_pod_spec(struct verrs *v, const cJSON *spec, const char *path,
			   bool only_always)
{
	char field[256];
	snprintf(field, sizeof(field), "%s.containers", path);
	check_containers(v, get(spec, "containers"), field, true);
	snprintf(field, sizeof(field), "%s.initContainers", path);
	check_containers(v, get(spec, "initContainers"), field, false);
	const cJSON *rp = get(spec, "restartPolicy");
	snprintf(field, sizeof(field), "%s.restartPolicy", path);
	if (cJSON_IsString(rp)) {
		const char *p = rp->valuestring;
		if (only_always && strcmp(p, "Always") != 0)
			unsupported(v, field, p, "\"Always\"");
		else if (strcmp(p, "Always") && strcmp(p, "OnFailure") && strcmp(p, "Never"))
			unsupported(v, field, p, "\"Always\", \"Never\", \"OnFailure\"");
	}
	snprintf(field, sizeof(field), "%s.terminationGracePeriodSeconds", path);
	check_nonneg(v, spec, "terminationGracePeriodSeconds", field);
	check_gates(v, get(spec, "schedulingGates"), path);
}

/* ValidatePodCreate: the spec, and no node before the gates are gone. */
static void check_pod(struct verrs *v, const cJSON *obj)
{
	const cJSON *spec = get(obj, "spec");
	check_pod_spec(v, spec, "spec", false);
	const cJSON *node = get(spec, "nodeName"), *gates = get(spec, "schedulingGates");
	if (cJSON_IsString(node) && *node->valuestring && cJSON_IsArray(gates) && gates->child)
		verr(v, "FieldValueForbidden", "spec.nodeName",
		     "Forbidden: cannot be set until all schedulingGates have been cleared");
}

/* Does every matchLabels pair appear in labels? */
static bool selector_matches(const cJSON *selector, const cJSON *labels)
{
	const cJSON *ml = get(selector, "matchLabels"), *kv;
	cJSON_ArrayForEach(kv, ml)
	{
		const cJSON *l = get(labels, kv->string);
		if (!cJSON_IsString(l) || !cJSON_IsString(kv) ||
		    strcmp(l->valuestring, kv->valuestring) != 0)
			return false;
	}
	const cJSON *expr;
	cJSON_ArrayForEach(expr, get(selector, "matchExpressions"))
	{
		const cJSON *key = get(expr, "key"), *op = get(expr, "operator");
		if (!cJSON_IsString(key) || !cJSON_IsString(op))
			return false;
		const cJSON *l = get(labels, key->valuestring);
		bool in = false;
		const cJSON *val;
		cJSON_ArrayForEach(val, get(expr, "values"))
		{
			if (cJSON_IsString(l) && cJSON_IsString(val) &&
			    strcmp(l->valuestring, val->valuestring) == 0)
				in = true;
		}
		const char *o = op->valuestring;
		if ((strcmp(o, "In") == 0 && !in) || (strcmp(o, "NotIn") == 0 && in) ||
		    (strcmp(o, "Exists") == 0 && !l) || (strcmp(o, "DoesNotExist") == 0 && l))
			return false;
	}
	return true;
}

static bool selector_empty(const cJSON *sel)
{
	const cJSON *ml = get(sel, "matchLabels"), *me = get(sel, "matchExpressions");
	return (!ml || !ml->child) && (!me || !me->child);
}

/* ValidateAnnotations: keys and values together at most TotalAnnotationSizeLimitB. */
#define ANNOTATIONS_MAX (256 * 1024)

static void check_annotations(struct verrs *v, const cJSON *meta, const char *field)
{
	size_t total = 0;
	const cJSON *a;
	cJSON_ArrayForEach(a, get(meta, "annotations"))
	{
		total += strlen(a->string);
		if (cJSON_IsString(a))
			total += strlen(a->valuestring);
	}
	if (total > ANNOTATIONS_MAX) {
		char d[64];
		snprintf(d, sizeof(d), "Too long: must have at most %d bytes", ANNOTATIONS_MAX);
		verr(v, "FieldValueTooLong", field, d);
	}
}

static void check_workload(struct verrs *v, const cJSON *obj, bool deployment)
{
	const cJSON *spec = get(obj, "spec");
	check_nonneg(v, spec, "replicas", "spec.replicas");
	const cJSON *sel = get(spec, "selector");
	const cJSON *tmpl = get(spec, "template");
	const cJSON *labels = get(get(tmpl, "metadata"), "labels");
	check_annotations(v, get(tmpl, "metadata"), "spec.template.metadata.annotations");
	if (!sel || selector_empty(sel)) {
		required(v, "spec.selector");
	} else if (!selector_matches(sel, labels)) {
		invalid(v, "spec.template.metadata.labels", labels,
			"`selector` does not match template `labels`");
	}
	check_pod_spec(v, get(tmpl, "spec"), "spec.template.spec", true);
	if (!deployment)
		return;
	check_nonneg(v, spec, "minReadySeconds", "spec.minReadySeconds");
	check_nonneg(v, spec, "revisionHistoryLimit", "spec.revisionHistoryLimit");
	const cJSON *strategy = get(spec, "strategy");
	const cJSON *type = get(strategy, "type");
	if (cJSON_IsString(type) && strcmp(type->valuestring, "Recreate") != 0 &&
	    strcmp(type->valuestring, "RollingUpdate") != 0)
		unsupported(v, "spec.strategy.type", type->valuestring,
			    "\"Recreate\", \"RollingUpdate\"");
	const cJSON *ru = get(strategy, "rollingUpdate");
	if (cJSON_IsString(type) && strcmp(type->valuestring, "Recreate") == 0 && ru) {
		verr(v, "FieldValueForbidden", "spec.strategy.rollingUpdate",
		     "Forbidden: may not be specified when strategy `type` is 'Recreate'");
		return;
	}
	const cJSON *surge = get(ru, "maxSurge"), *unavail = get(ru, "maxUnavailable");
	bool surge0 = !surge || (cJSON_IsNumber(surge) && surge->valuedouble == 0) ||
		      (cJSON_IsString(surge) && strcmp(surge->valuestring, "0%") == 0);
	bool unavail0 = !unavail || (cJSON_IsNumber(unavail) && unavail->valuedouble == 0) ||
			(cJSON_IsString(unavail) && strcmp(unavail->valuestring, "0%") == 0);
	if (ru && surge0 && unavail0)
		invalid(v, "spec.strategy.rollingUpdate.maxUnavailable",
			unavail ? unavail : surge, "may not be 0 when `maxSurge` is 0");
	const cJSON *pd = get(spec, "progressDeadlineSeconds");
	const cJSON *mr = get(spec, "minReadySeconds");
	if (cJSON_IsNumber(pd) && cJSON_IsNumber(mr) && pd->valuedouble <= mr->valuedouble)
		invalid(v, "spec.progressDeadlineSeconds", pd,
			"must be greater than minReadySeconds");
}

/* ValidateStatefulSetSpec (v1.33). */
static void check_statefulset(struct verrs *v, const cJSON *obj)
{
	const cJSON *spec = get(obj, "spec");
	const cJSON *pmp = get(spec, "podManagementPolicy");
	if (cJSON_IsString(pmp) && strcmp(pmp->valuestring, "OrderedReady") != 0 &&
	    strcmp(pmp->valuestring, "Parallel") != 0)
		invalid(v, "spec.podManagementPolicy", pmp, "must be 'OrderedReady' or 'Parallel'");
	const cJSON *us = get(spec, "updateStrategy"), *type = get(us, "type");
	const cJSON *ru = get(us, "rollingUpdate");
	const char *t = cJSON_IsString(type) ? type->valuestring : "RollingUpdate";
	if (strcmp(t, "OnDelete") == 0) {
		if (ru)
			invalid(v, "spec.updateStrategy.rollingUpdate", ru,
				"only allowed for updateStrategy 'RollingUpdate'");
	} else if (strcmp(t, "RollingUpdate") == 0) {
		check_nonneg(v, ru, "partition", "spec.updateStrategy.rollingUpdate.partition");
	} else {
		invalid(v, "spec.updateStrategy", us, "must be 'RollingUpdate' or 'OnDelete'");
	}
	check_nonneg(v, spec, "replicas", "spec.replicas");
	check_nonneg(v, spec, "minReadySeconds", "spec.minReadySeconds");
	const cJSON *sel = get(spec, "selector"), *tmpl = get(spec, "template");
	const cJSON *labels = get(get(tmpl, "metadata"), "labels");
	if (!sel)
		required(v, "spec.selector");
	else if (selector_empty(sel))
		invalid(v, "spec.selector", sel, "empty selector is not valid for statefulset.");
	else if (!selector_matches(sel, labels))
		invalid(v, "spec.template.metadata.labels", labels,
			"`selector` does not match template `labels`");
	check_annotations(v, get(tmpl, "metadata"), "spec.template.metadata.annotations");
	check_pod_spec(v, get(tmpl, "spec"), "spec.template.spec", true);
	const cJSON *ads = get(get(tmpl, "spec"), "activeDeadlineSeconds");
	if (ads)
		invalid(v, "spec.template.spec.activeDeadlineSeconds", ads, "must not be specified");
}

/* ValidateRollingUpdateDaemonSet's check of one IntOrString: a
 * non-negative int or a percentage of at most 100%. Its value as a number
 * (percent or count) in *n. */
static void check_ds_intstr(struct verrs *v, const cJSON *val, const char *field, double *n)
{
	*n = 0;
	if (!val)
		return;
	if (cJSON_IsNumber(val)) {
		*n = val->valuedouble;
		if (val->valuedouble < 0)
			invalid(v, field, val, "must be greater than or equal to 0");
		return;
	}
	const char *s = cJSON_IsString(val) ? val->valuestring : "";
	size_t len = strlen(s);
	char *end = NULL;
	double pct = len > 1 && s[len - 1] == '%' ? strtod(s, &end) : -1;
	if (!end || end != s + len - 1 || pct != floor(pct)) {
		invalid(v, field, val,
			"a valid percent string must be a numeric string followed by "
			"an ending '%' (e.g. '1%',  or '93%', regex used for "
			"validation is '[0-9]+%')");
		return;
	}
	*n = pct;
	if (pct > 100)
		invalid(v, field, val, "must not be greater than 100%");
}

/* ValidateDaemonSetSpec beyond the workload's common part. */
static void check_daemonset(struct verrs *v, const cJSON *obj)
{
	check_workload(v, obj, false);
	const cJSON *spec = get(obj, "spec");
	const cJSON *rp = get(get(get(spec, "template"), "spec"), "restartPolicy");
	if (cJSON_IsString(rp) && strcmp(rp->valuestring, "Always") != 0)
		unsupported(v, "spec.template.spec.restartPolicy", rp->valuestring, "\"Always\"");
	check_nonneg(v, spec, "minReadySeconds", "spec.minReadySeconds");
	check_nonneg(v, spec, "revisionHistoryLimit", "spec.revisionHistoryLimit");
	const cJSON *strategy = get(spec, "updateStrategy");
	const cJSON *type = get(strategy, "type");
	const char *t = cJSON_IsString(type) ? type->valuestring : "";
	if (strcmp(t, "OnDelete") == 0)
		return;
	if (strcmp(t, "RollingUpdate") != 0) {
		unsupported(v, "spec.updateStrategy", t, "\"RollingUpdate\", \"OnDelete\"");
		return;
	}
	const cJSON *ru = get(strategy, "rollingUpdate");
	if (!cJSON_IsObject(ru)) {
		required(v, "spec.updateStrategy.rollingUpdate");
		return;
	}
	double unavail, surge;
	const cJSON *mu = get(ru, "maxUnavailable"), *ms = get(ru, "maxSurge");
	check_ds_intstr(v, mu, "spec.updateStrategy.rollingUpdate.maxUnavailable", &unavail);
	check_ds_intstr(v, ms, "spec.updateStrategy.rollingUpdate.maxSurge", &surge);
	if (unavail == 0 && surge == 0)
		invalid(v, "spec.updateStrategy.rollingUpdate.maxUnavailable", mu ? mu : ms,
			"may not be 0 when `maxSurge` is 0");
}

static void check_service(struct verrs *v, const cJSON *obj)
{
	const cJSON *spec = get(obj, "spec");
	const cJSON *type = get(spec, "type");
	const cJSON *cip = get(spec, "clusterIP");
	bool headless_ok = (cJSON_IsString(type) && strcmp(type->valuestring, "ExternalName") == 0) ||
			   (cJSON_IsString(cip) && strcmp(cip->valuestring, "None") == 0);
	const cJSON *ports = get(spec, "ports");
	if (!headless_ok && (!cJSON_IsArray(ports) || cJSON_GetArraySize(ports) == 0)) {
		required(v, "spec.ports");
		return;
	}
	int i = 0;
	const cJSON *p;
	cJSON_ArrayForEach(p, ports)
	{
		const cJSON *port = get(p, "port");
		char field[64];
		snprintf(field, sizeof(field), "spec.ports[%d].port", i++);
		if (!cJSON_IsNumber(port))
			required(v, field);
		else if (port->valuedouble < 1 || port->valuedouble > 65535)
			invalid(v, field, port, "must be between 1 and 65535, inclusive");
	}
}

/* ValidateJobSpec's main rules (pkg/apis/batch/validation, v1.33); the
 * selector is required for a Job, optional in a CronJob's template. */
static void check_job_spec(struct verrs *v, const cJSON *spec, const char *path, bool need_sel)
{
	char f[256];
	static const char *const nonneg[] = {"parallelism",          "completions",
					     "backoffLimit",         "ttlSecondsAfterFinished",
					     "backoffLimitPerIndex", "maxFailedIndexes"};
	for (size_t i = 0; i < sizeof(nonneg) / sizeof(nonneg[0]); i++) {
		snprintf(f, sizeof(f), "%s.%s", path, nonneg[i]);
		check_nonneg(v, spec, nonneg[i], f);
	}
	const cJSON *ads = get(spec, "activeDeadlineSeconds");
	snprintf(f, sizeof(f), "%s.activeDeadlineSeconds", path);
	if (cJSON_IsNumber(ads) && ads->valuedouble <= 0)
		invalid(v, f, ads, "must be greater than 0");
	const cJSON *mode = get(spec, "completionMode");
	snprintf(f, sizeof(f), "%s.completionMode", path);
	if (cJSON_IsString(mode) && strcmp(mode->valuestring, "NonIndexed") != 0 &&
	    strcmp(mode->valuestring, "Indexed") != 0)
		unsupported(v, f, mode->valuestring, "\"NonIndexed\", \"Indexed\"");
	bool indexed = cJSON_IsString(mode) && strcmp(mode->valuestring, "Indexed") == 0;
	if (indexed && !cJSON_IsNumber(get(spec, "completions"))) {
		snprintf(f, sizeof(f), "%s.completions", path);
		verr(v, "FieldValueRequired", f, "Required value: when completion mode is Indexed");
	}
	if (!indexed && get(spec, "backoffLimitPerIndex")) {
		snprintf(f, sizeof(f), "%s.backoffLimitPerIndex", path);
		verr(v, "FieldValueInvalid", f, "Invalid value: requires indexed completion mode");
	}
	if (!indexed && get(spec, "successPolicy")) {
		snprintf(f, sizeof(f), "%s.successPolicy", path);
		verr(v, "FieldValueInvalid", f, "Invalid value: requires indexed completion mode");
	}
	const cJSON *tmpl = get(spec, "template");
	const cJSON *sel = get(spec, "selector");
	const cJSON *labels = get(get(tmpl, "metadata"), "labels");
	snprintf(f, sizeof(f), "%s.selector", path);
	if (need_sel && (!sel || selector_empty(sel))) {
		required(v, f);
	} else if (sel && !selector_empty(sel) && !selector_matches(sel, labels)) {
		snprintf(f, sizeof(f), "%s.template.metadata.labels", path);
		invalid(v, f, labels, "`selector` does not match template `labels`");
	}
	snprintf(f, sizeof(f), "%s.template.spec", path);
	check_pod_spec(v, get(tmpl, "spec"), f, false);
	const cJSON *rp = get(get(tmpl, "spec"), "restartPolicy");
	snprintf(f, sizeof(f), "%s.template.spec.restartPolicy", path);
	const char *rps = cJSON_IsString(rp) ? rp->valuestring : "";
	if (strcmp(rps, "OnFailure") != 0 && strcmp(rps, "Never") != 0)
		unsupported(v, f, rps, "\"OnFailure\", \"Never\"");
	else if (get(spec, "podFailurePolicy") && strcmp(rps, "Never") != 0)
		verr(v, "FieldValueInvalid", f,
		     "Invalid value: \"OnFailure\": only \"Never\" is supported when "
		     "podFailurePolicy is specified");
	const cJSON *rule;
	int i = 0;
	cJSON_ArrayForEach(rule, get(get(spec, "podFailurePolicy"), "rules"))
	{
		const cJSON *action = get(rule, "action");
		snprintf(f, sizeof(f), "%s.podFailurePolicy.rules[%d].action", path, i);
		const char *a = cJSON_IsString(action) ? action->valuestring : "";
		if (strcmp(a, "FailJob") && strcmp(a, "FailIndex") && strcmp(a, "Ignore") &&
		    strcmp(a, "Count"))
			unsupported(v, f, a, "\"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"");
		else if (strcmp(a, "FailIndex") == 0 && !get(spec, "backoffLimitPerIndex"))
			verr(v, "FieldValueInvalid", f,
			     "Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to "
			     "be set");
		bool ex = get(rule, "onExitCodes") != NULL,
		     pc = get(rule, "onPodConditions") != NULL;
		if (ex == pc) {
			snprintf(f, sizeof(f), "%s.podFailurePolicy.rules[%d]", path, i);
			verr(v, "FieldValueInvalid", f,
			     "Invalid value: specifying one of OnExitCodes and OnPodConditions "
			     "is required");
		}
		i++;
	}
}

/* ValidateCronJob's name, schedule, timeZone and template. */
static void check_cronjob(struct verrs *v, const cJSON *obj)
{
	const cJSON *spec = get(obj, "spec");
	const cJSON *name = get(get(obj, "metadata"), "name");
	if (cJSON_IsString(name) && strlen(name->valuestring) > 52)
		invalid(v, "metadata.name", name, "must be no more than 52 characters");
	const cJSON *sched = get(spec, "schedule");
	if (!cJSON_IsString(sched) || !*sched->valuestring) {
		required(v, "spec.schedule");
	} else if (strstr(sched->valuestring, "TZ=")) {
		invalid(v, "spec.schedule", sched,
			"cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
	} else {
		char err[256];
		struct simcron *c = simcron_parse(sched->valuestring, err, sizeof(err));
		if (!c)
			invalid(v, "spec.schedule", sched, err);
		simcron_free(c);
	}
	const cJSON *tz = get(spec, "timeZone");
	if (cJSON_IsString(tz) && !simcron_zone_valid(tz->valuestring))
		invalid(v, "spec.timeZone", tz, "unknown time zone");
	const cJSON *cp = get(spec, "concurrencyPolicy");
	if (cJSON_IsString(cp) && strcmp(cp->valuestring, "Allow") &&
	    strcmp(cp->valuestring, "Forbid") && strcmp(cp->valuestring, "Replace"))
		unsupported(v, "spec.concurrencyPolicy", cp->valuestring,
			    "\"Allow\", \"Forbid\", \"Replace\"");
	check_nonneg(v, spec, "startingDeadlineSeconds", "spec.startingDeadlineSeconds");
	check_nonneg(v, spec, "successfulJobsHistoryLimit", "spec.successfulJobsHistoryLimit");
	check_nonneg(v, spec, "failedJobsHistoryLimit", "spec.failedJobsHistoryLimit");
	check_job_spec(v, get(get(spec, "jobTemplate"), "spec"), "spec.jobTemplate.spec", false);
}

cJSON *objvalidate(const char *kind, const char *group, const cJSON *obj)
{
	struct verrs v = {.causes = cJSON_CreateArray()};
	const cJSON *meta = get(obj, "metadata");
	const cJSON *name = get(meta, "name");
	const char *shown_name = cJSON_IsString(name) ? name->valuestring : "";
	if (!cJSON_IsString(name) || !*name->valuestring) {
		verr(&v, "FieldValueRequired", "metadata.name",
		     "Required value: name or generateName is required");
	} else {
		const char *why = NULL;
		if (strcmp(kind, "Service") == 0)
			why = objvalidate_dns1035_label(name->valuestring);
		else if (strcmp(kind, "Namespace") == 0)
			why = objvalidate_dns1123_label(name->valuestring);
		else
			why = objvalidate_dns1123_subdomain(name->valuestring);
		if (why)
			invalid(&v, "metadata.name", name, why);
	}
	check_annotations(&v, meta, "metadata.annotations");
	if (strcmp(kind, "Deployment") == 0)
		check_workload(&v, obj, true);
	else if (strcmp(kind, "ReplicaSet") == 0)
		check_workload(&v, obj, false);
	else if (strcmp(kind, "Pod") == 0)
		check_pod(&v, obj);
	else if (strcmp(kind, "StatefulSet") == 0)
		check_statefulset(&v, obj);
	else if (strcmp(kind, "Service") == 0)
		check_service(&v, obj);
	else if (strcmp(kind, "DaemonSet") == 0)
		check_daemonset(&v, obj);
	else if (strcmp(kind, "Job") == 0)
		check_job_spec(&v, get(obj, "spec"), "spec", true);
	else if (strcmp(kind, "CronJob") == 0)
		check_cronjob(&v, obj);

	if (v.n == 0) {
		cJSON_Delete(v.causes);
		buf_free(&v.msg);
		return NULL;
	}
	struct buf msg = BUF_INIT;
	buf_printf(&msg, "%s%s%s \"%s\" is invalid: %s%s%s", kind, *group ? "." : "", group,
		   shown_name, v.n > 1 ? "[" : "", v.msg.data, v.n > 1 ? "]" : "");
	cJSON *st = cJSON_CreateObject();
	cJSON_AddStringToObject(st, "kind", "Status");
	cJSON_AddStringToObject(st, "apiVersion", "v1");
	cJSON_AddObjectToObject(st, "metadata");
	cJSON_AddStringToObject(st, "status", "Failure");
	cJSON_AddStringToObject(st, "message", msg.data);
	cJSON_AddStringToObject(st, "reason", "Invalid");
	cJSON *details = cJSON_AddObjectToObject(st, "details");
	cJSON_AddStringToObject(details, "name", shown_name);
	cJSON_AddStringToObject(details, "group", group);
	cJSON_AddStringToObject(details, "kind", kind);
	cJSON_AddItemToObject(details, "causes", v.causes);
	cJSON_AddNumberToObject(st, "code", 422);
	buf_free(&msg);
	buf_free(&v.msg);
	return st;
}
