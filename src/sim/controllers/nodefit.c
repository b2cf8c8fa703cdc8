#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nodefit.h"

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static bool in_values(const cJSON *values, const char *v)
{
	const cJSON *x;
	cJSON_ArrayForEach(x, values)
	{
		if (cJSON_IsString(x) && v && strcmp(x->valuestring, v) == 0)
			return true;
	}
	return false;
}

/* strconv.ParseInt(s, 10, 64); false when it refuses s. */
static bool parse_int(const char *s, long long *out)
{
	if (!s || !*s || *s == ' ' || *s == '\t')
		return false;
	char *end;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return !errno && *end == '\0';
}

/* NodeSelectorRequirement against a value (NULL: the key is absent). */
static bool requirement(const cJSON *req, const char *value, bool have)
{
	const char *op = str(req, "operator");
	const cJSON *values = get(req, "values");
	if (eq(op, "In"))
		return have && in_values(values, value);
	if (eq(op, "NotIn"))
		return !have || !in_values(values, value);
	if (eq(op, "Exists"))
		return have;
	if (eq(op, "DoesNotExist"))
		return !have;
	if (eq(op, "Gt") || eq(op, "Lt")) {
		long long a, b;
		if (!have || cJSON_GetArraySize(values) != 1 || !parse_int(value, &a) ||
		    !cJSON_IsString(values->child) || !parse_int(values->child->valuestring, &b))
			return false;
		return eq(op, "Gt") ? a > b : a < b;
	}
	return false;
}

static bool term_matches(const cJSON *term, const cJSON *node)
{
	const cJSON *exprs = get(term, "matchExpressions"), *fields = get(term, "matchFields");
	if (cJSON_GetArraySize(exprs) == 0 && cJSON_GetArraySize(fields) == 0)
		return false; /* an empty term matches no node */
	const cJSON *labels = get(get(node, "metadata"), "labels");
	const cJSON *r;
	cJSON_ArrayForEach(r, exprs)
	{
		const char *key = str(r, "key");
		const char *v = key ? str(labels, key) : NULL;
		if (!key || !requirement(r, v, v != NULL))
			return false;
	}
	cJSON_ArrayForEach(r, fields)
	{
		/* metadata.name is the only field a node selector may name. */
		if (!eq(str(r, "key"), "metadata.name"))
			return false;
		const char *name = str(get(node, "metadata"), "name");
		if (!requirement(r, name, name != NULL))
			return false;
	}
	return true;
}

bool simnode_affinity_matches(const cJSON *pod_spec, const cJSON *node)
{
	const cJSON *labels = get(get(node, "metadata"), "labels");
	const cJSON *kv;
	cJSON_ArrayForEach(kv, get(pod_spec, "nodeSelector"))
	{
		if (!cJSON_IsString(kv) || !eq(str(labels, kv->string), kv->valuestring))
			return false;
	}
	const cJSON *req = get(get(get(pod_spec, "affinity"), "nodeAffinity"),
			       "requiredDuringSchedulingIgnoredDuringExecution");
	if (!req)
		return true;
	const cJSON *term;
	cJSON_ArrayForEach(term, get(req, "nodeSelectorTerms"))
	{
		if (term_matches(term, node))
			return true;
	}
	return false;
}

static void add_taint(cJSON *list, const char *key, const char *effect)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, list)
	{
		if (eq(str(t, "key"), key) && eq(str(t, "effect"), effect))
			return;
	}
	cJSON *n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "key", key);
	cJSON_AddStringToObject(n, "effect", effect);
	cJSON_AddItemToArray(list, n);
}

cJSON *simnode_taints(const cJSON *node)
{
	const cJSON *spec = get(node, "spec");
	const cJSON *taints = get(spec, "taints");
	cJSON *out = cJSON_IsArray(taints) ? cJSON_Duplicate(taints, 1) : cJSON_CreateArray();
	if (cJSON_IsTrue(get(spec, "unschedulable")))
		add_taint(out, SIMNODE_TAINT_UNSCHEDULABLE, "NoSchedule");
	bool ready = false;
	const cJSON *c;
	cJSON_ArrayForEach(c, get(get(node, "status"), "conditions"))
	{
		if (eq(str(c, "type"), "Ready"))
			ready = eq(str(c, "status"), "True");
	}
	if (!ready)
		add_taint(out, SIMNODE_TAINT_NOT_READY, "NoSchedule");
	return out;
}

bool simnode_tolerates(const cJSON *tol, const cJSON *taint)
{
	const char *effect = str(tol, "effect"), *key = str(tol, "key");
	if (effect && *effect && !eq(effect, str(taint, "effect")))
		return false;
	if (key && *key && !eq(key, str(taint, "key")))
		return false;
	const char *op = str(tol, "operator");
	if (!op || !*op || strcmp(op, "Equal") == 0) {
		const char *a = str(tol, "value"), *b = str(taint, "value");
		return strcmp(a ? a : "", b ? b : "") == 0;
	}
	return strcmp(op, "Exists") == 0;
}

static unsigned effect_bit(const char *e)
{
	if (eq(e, "NoSchedule"))
		return SIMNODE_NO_SCHEDULE;
	if (eq(e, "PreferNoSchedule"))
		return SIMNODE_PREFER_NO_SCHEDULE;
	if (eq(e, "NoExecute"))
		return SIMNODE_NO_EXECUTE;
	return 0;
}

const cJSON *simnode_untolerated(const cJSON *taints, const cJSON *tolerations, unsigned effects)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, taints)
	{
		if (!(effect_bit(str(t, "effect")) & effects))
			continue;
		bool ok = false;
		const cJSON *tol;
		cJSON_ArrayForEach(tol, tolerations)
		{
			if (simnode_tolerates(tol, t)) {
				ok = true;
				break;
			}
		}
		if (!ok)
			return t;
	}
	return NULL;
}
