#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "podscope/buf.h"
#include "podscope/duration.h"
#include "podscope/xalloc.h"

#include "scenario_int.h"
#include "simobj.h"

/*
 * The step vocabulary, shared by Scenario documents and the control
 * interface. Each action names the kinds it may target ("" none, NULL any)
 * and its own fields ('!' marks the required ones).
 */
static const struct action {
	const char *name;
	enum simact act;
	const char *kinds;
	const char *fields;
} actions[] = {
    {"set-image", SIMACT_SET_IMAGE, "deployments replicasets pods", "!image container"},
    {"scale", SIMACT_SCALE, "deployments replicasets", "!replicas"},
    {"restart", SIMACT_RESTART, "deployments", ""},
    {"pause", SIMACT_PAUSE, "deployments", ""},
    {"resume", SIMACT_RESUME, "deployments", ""},
    {"patch", SIMACT_PATCH, NULL, "!patch type"},
    {"create", SIMACT_CREATE, "", "!object"},
    {"delete", SIMACT_DELETE, NULL, "gracePeriodSeconds"},
    {"switch-selector", SIMACT_SWITCH_SELECTOR, "services", "!selector"},
    {"exec", SIMACT_EXEC, "pods", "!command container"},
    {"break-probe", SIMACT_BREAK_PROBE, "pods", "!probe container"},
    {"heal-probe", SIMACT_HEAL_PROBE, "pods", "!probe container"},
    {"kill", SIMACT_KILL, "pods", "container exitCode"},
    {"mark-image-missing", SIMACT_MARK_IMAGE_MISSING, "", "!image missing"},
    {"churn", SIMACT_CHURN, "", "!resource count"},
    {"set-condition", SIMACT_SET_CONDITION, "pods", "!conditionType !status reason message"},
    {"node-not-ready", SIMACT_NODE_NOT_READY, "nodes", "message"},
    {"node-ready", SIMACT_NODE_READY, "nodes", ""},
    {"drain", SIMACT_DRAIN, "nodes", ""},
};

#define NACTIONS (sizeof(actions) / sizeof(actions[0]))

static const char *const common_fields[] = {"action", "after", "target", "namespace",
					    "cause",  "once",  NULL};

const char *simstep_action_name(enum simact a)
{
	for (size_t i = 0; i < NACTIONS; i++)
		if (actions[i].act == a)
			return actions[i].name;
	return "?";
}

static int fail(struct steperr *e, const char *path, bool key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct steperr *e, const char *path, bool key, const char *fmt, ...)
{
	va_list ap;
	snprintf(e->path, sizeof(e->path), "%s", path);
	e->key = key;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Does the space-separated list have word w (with or without a '!')? */
static bool has_word(const char *list, const char *w, bool *required)
{
	size_t n = strlen(w);
	for (const char *p = list; *p;) {
		while (*p == ' ')
			p++;
		bool req = *p == '!';
		if (req)
			p++;
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, w, n) == 0) {
			if (required)
				*required = req;
			return true;
		}
		p += len;
	}
	return false;
}

/* The resource a target kind names: plural, singular or short name, any case. */
static const struct simres *res_by_word(const char *w)
{
	for (size_t i = 0; i < simres_count(); i++) {
		const struct simres *r = simres_at(i);
		if (!strcasecmp(w, r->plural) || !strcasecmp(w, r->singular) ||
		    !strcasecmp(w, r->kind))
			return r;
		for (int k = 0; k < 3 && r->short_names[k]; k++)
			if (!strcasecmp(w, r->short_names[k]))
				return r;
	}
	return NULL;
}

static int parse_after(const cJSON *v, int64_t *ms, struct steperr *e)
{
	if (!v) {
		*ms = 0;
		return 0;
	}
	if (cJSON_IsNumber(v) && v->valuedouble >= 0 && isfinite(v->valuedouble)) {
		*ms = (int64_t)(v->valuedouble * 1000);
		return 0;
	}
	struct perr err = {0};
	int64_t ns = 0;
	if (!cJSON_IsString(v) || duration_parse(v->valuestring, &ns, &err) != 0 || ns < 0) {
		perr_clear(&err);
		return fail(e, "after", false,
			    "after: a duration such as 20s, 1m30s or 500ms (or seconds as a "
			    "number) is needed");
	}
	*ms = ns / 1000000;
	return 0;
}

static bool is_int(const cJSON *v, double lo, double hi)
{
	return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
	       v->valuedouble >= lo && v->valuedouble <= hi;
}

static bool is_str(const cJSON *v)
{
	return cJSON_IsString(v) && v->valuestring[0];
}

static bool string_map(const cJSON *v)
{
	if (!cJSON_IsObject(v) || !v->child)
		return false;
	const cJSON *it;
	cJSON_ArrayForEach(it, v)
	{
		if (!cJSON_IsString(it))
			return false;
	}
	return true;
}

static bool string_list(const cJSON *v)
{
	if (!cJSON_IsArray(v) || !v->child)
		return false;
	const cJSON *it;
	cJSON_ArrayForEach(it, v)
	{
		if (!cJSON_IsString(it))
			return false;
	}
	return true;
}

/* Check one action-specific field. */
static int check_field(const cJSON *v, struct steperr *e)
{
	const char *k = v->string;
	if (!strcmp(k, "image") || !strcmp(k, "container") || !strcmp(k, "namespace") ||
	    !strcmp(k, "target") || !strcmp(k, "action"))
		return is_str(v) ? 0 : fail(e, k, false, "%s: a non-empty string is needed", k);
	if (!strcmp(k, "cause"))
		return cJSON_IsString(v) ? 0 : fail(e, k, false, "cause: a string is needed");
	if (!strcmp(k, "replicas"))
		return is_int(v, 0, 1e6) ? 0
					 : fail(e, k, false,
						"replicas: a whole number from 0 up "
						"is needed");
	if (!strcmp(k, "gracePeriodSeconds"))
		return is_int(v, 0, 1e9) ? 0
					 : fail(e, k, false,
						"gracePeriodSeconds: a whole number "
						"from 0 up is needed");
	if (!strcmp(k, "exitCode"))
		return is_int(v, 0, 255) ? 0 : fail(e, k, false, "exitCode: 0 to 255");
	if (!strcmp(k, "count"))
		return is_int(v, 1, 1e7) ? 0 : fail(e, k, false, "count: a whole number from 1 up");
	if (!strcmp(k, "missing") || !strcmp(k, "once"))
		return cJSON_IsBool(v) ? 0 : fail(e, k, false, "missing: true or false");
	if (!strcmp(k, "patch"))
		return cJSON_IsObject(v) || cJSON_IsArray(v)
			   ? 0
			   : fail(e, k, false, "patch: an object (or a JSON patch list) is needed");
	if (!strcmp(k, "type")) {
		if (cJSON_IsString(v) &&
		    (!strcmp(v->valuestring, "merge") || !strcmp(v->valuestring, "strategic") ||
		     !strcmp(v->valuestring, "json")))
			return 0;
		return fail(e, k, false, "type: merge, strategic or json");
	}
	if (!strcmp(k, "selector"))
		return string_map(v) ? 0
				     : fail(e, k, false,
					    "selector: a map of label keys to values "
					    "is needed");
	if (!strcmp(k, "command"))
		return string_list(v) ? 0
				      : fail(e, k, false, "command: a list of strings is needed");
	if (!strcmp(k, "probe")) {
		if (cJSON_IsString(v) &&
		    (!strcmp(v->valuestring, "liveness") || !strcmp(v->valuestring, "readiness") ||
		     !strcmp(v->valuestring, "startup")))
			return 0;
		return fail(e, k, false, "probe: liveness, readiness or startup");
	}
	if (!strcmp(k, "conditionType"))
		return is_str(v) ? 0
				 : fail(e, k, false, "conditionType: a condition type is needed");
	if (!strcmp(k, "status")) {
		if (cJSON_IsString(v) &&
		    (!strcmp(v->valuestring, "True") || !strcmp(v->valuestring, "False") ||
		     !strcmp(v->valuestring, "Unknown")))
			return 0;
		return fail(e, k, false, "status: True, False or Unknown");
	}
	if (!strcmp(k, "reason") || !strcmp(k, "message"))
		return cJSON_IsString(v) ? 0 : fail(e, k, false, "%s: a string is needed", k);
	if (!strcmp(k, "resource"))
		return cJSON_IsString(v) && res_by_word(v->valuestring)
			   ? 0
			   : fail(e, k, false, "resource: a resource the simulator serves");
	if (!strcmp(k, "object")) {
		const char *api = simjson_string(v, "apiVersion"),
			   *kind = simjson_string(v, "kind");
		if (!cJSON_IsObject(v) || !api || !kind)
			return fail(e, k, false, "object: a Kubernetes object is needed");
		if (!simres_by_kind(api, kind))
			return fail(e, "object/kind", false, "podscope-sim does not serve %s %s",
				    api, kind);
		if (!simjson_string(cJSON_GetObjectItemCaseSensitive(v, "metadata"), "name") &&
		    !simjson_string(cJSON_GetObjectItemCaseSensitive(v, "metadata"),
				    "generateName"))
			return fail(e, "object", false, "object: metadata.name is needed");
		return 0;
	}
	return 0;
}

static int parse_target(const cJSON *t, const struct action *a, struct simstep *s,
			struct steperr *e)
{
	const char *kinds = a->kinds;
	if (kinds && !*kinds) {
		if (t)
			return fail(e, "target", true, "%s takes no target", a->name);
		return 0;
	}
	if (!t)
		return fail(e, "", false, "%s needs a target (KIND/NAME, e.g. deployment/web)",
			    a->name);
	const char *v = t->valuestring, *slash = strchr(v, '/');
	char kind[64];
	if (!slash || slash == v || !slash[1] || strchr(slash + 1, '/') ||
	    (size_t)(slash - v) >= sizeof(kind))
		return fail(e, "target", false, "target: KIND/NAME is needed, e.g. deployment/web");
	memcpy(kind, v, (size_t)(slash - v));
	kind[slash - v] = '\0';
	const struct simres *r = res_by_word(kind);
	if (!r)
		return fail(e, "target", false, "target: podscope-sim serves no kind \"%s\"", kind);
	if (kinds && !has_word(kinds, r->plural, NULL))
		return fail(e, "target", false, "target: %s cannot be done to %s (only to %s)",
			    a->name, r->plural, kinds);
	s->res = r;
	s->name = xstrdup(slash + 1);
	return 0;
}

int simstep_parse(const cJSON *j, const char *ns, struct simstep *s, struct steperr *e)
{
	memset(s, 0, sizeof(*s));
	if (!cJSON_IsObject(j))
		return fail(e, "", false, "a step must be a mapping with an action");
	const cJSON *act = cJSON_GetObjectItemCaseSensitive(j, "action");
	if (!act)
		return fail(e, "", false, "a step needs an action");
	if (!cJSON_IsString(act))
		return fail(e, "action", false, "action: a string is needed");
	const struct action *a = NULL;
	for (size_t i = 0; i < NACTIONS; i++)
		if (!strcmp(actions[i].name, act->valuestring))
			a = &actions[i];
	if (!a) {
		struct buf names = BUF_INIT;
		for (size_t i = 0; i < NACTIONS; i++)
			buf_printf(&names, "%s%s", i ? ", " : "", actions[i].name);
		fail(e, "action", false, "unknown action \"%.40s\" (one of: %s)", act->valuestring,
		     names.data);
		buf_free(&names);
		return -1;
	}
	/* Every field known and well-typed, every required one there. */
	const cJSON *v;
	cJSON_ArrayForEach(v, j)
	{
		bool common = false;
		for (int i = 0; common_fields[i]; i++)
			common = common || !strcmp(v->string, common_fields[i]);
		if (!common && !has_word(a->fields, v->string, NULL))
			return fail(e, v->string, true, "%s has no field \"%s\"", a->name,
				    v->string);
		if (strcmp(v->string, "after") != 0 && check_field(v, e) != 0)
			return -1;
	}
	for (const char *p = a->fields; (p = strchr(p, '!')); p++) {
		char f[32];
		size_t len = strcspn(p + 1, " ");
		snprintf(f, sizeof(f), "%.*s", (int)len, p + 1);
		if (!cJSON_GetObjectItemCaseSensitive(j, f))
			return fail(e, "", false, "%s needs %s", a->name, f);
	}
	s->act = a->act;
	if (parse_after(cJSON_GetObjectItemCaseSensitive(j, "after"), &s->after_ms, e) != 0 ||
	    parse_target(cJSON_GetObjectItemCaseSensitive(j, "target"), a, s, e) != 0) {
		simstep_clear(s);
		return -1;
	}
	const char *sns = simjson_string(j, "namespace");
	s->ns = xstrdup(sns ? sns : ns ? ns : "default");
	s->spec = cJSON_Duplicate(j, 1);
	return 0;
}

void simstep_clear(struct simstep *s)
{
	cJSON_Delete(s->spec);
	free(s->ns);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

char *simstep_describe(const struct simstep *s)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, simstep_action_name(s->act));
	if (s->res)
		buf_printf(&b, " %s/%s", s->res->plural, s->name);
	const cJSON *obj = cJSON_GetObjectItemCaseSensitive(s->spec, "object");
	if (obj) {
		const char *on =
		    simjson_string(cJSON_GetObjectItemCaseSensitive(obj, "metadata"), "name");
		buf_printf(&b, " %s/%s", simjson_string(obj, "kind"), on ? on : "(generated)");
	}
	const char *c = simjson_string(s->spec, "container");
	const char *img = simjson_string(s->spec, "image");
	if (img)
		buf_printf(&b, " %s%s%s", c ? c : "", c ? "=" : "", img);
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(s->spec, "replicas");
	if (cJSON_IsNumber(r))
		buf_printf(&b, " replicas=%d", r->valueint);
	const char *probe = simjson_string(s->spec, "probe");
	if (probe)
		buf_printf(&b, " %s%s%s", probe, c ? " of " : "", c ? c : "");
	const char *ctype = simjson_string(s->spec, "conditionType");
	if (ctype)
		buf_printf(&b, " %s=%s", ctype, simjson_string(s->spec, "status"));
	return buf_steal(&b);
}

/* --- Scenario documents -------------------------------------------------- */

bool simscen_is_scenario_doc(const cJSON *doc)
{
	const char *kind = simjson_string(doc, "kind");
	return kind && strcmp(kind, "Scenario") == 0;
}

void simscript_free(struct simscript *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		simstep_clear(&s->steps[i]);
	free(s->steps);
	free(s->name);
	free(s->description);
	free(s);
}

static int parse_load(const cJSON *l, struct simload *load, struct steperr *e)
{
	if (!cJSON_IsObject(l))
		return fail(e, "load", false,
			    "load: a mapping with deployments and pods is needed");
	const cJSON *v;
	cJSON_ArrayForEach(v, l)
	{
		char path[64];
		snprintf(path, sizeof(path), "load/%s", v->string);
		bool d = !strcmp(v->string, "deployments");
		if (!d && strcmp(v->string, "pods") != 0)
			return fail(e, path, true, "load has no field \"%s\"", v->string);
		if (!is_int(v, 1, 10000000))
			return fail(e, path, false, "load.%s: a whole number from 1 up", v->string);
		if (d)
			load->deployments = v->valueint;
		else
			load->pods = v->valueint;
	}
	if (!load->deployments || !load->pods)
		return fail(e, "load", false, "load needs deployments and pods");
	return 0;
}

static const char *const scen_fields[] = {
    "apiVersion", "kind", "metadata", "description", "namespace", "repeat", "load", "steps", NULL};

struct simscript *simscen_parse_script(const cJSON *doc, const char *name, struct simload *load,
				       struct steperr *e)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, doc)
	{
		bool ok = false;
		for (int i = 0; scen_fields[i]; i++)
			ok = ok || !strcmp(v->string, scen_fields[i]);
		if (!ok) {
			fail(e, v->string, true, "a Scenario has no field \"%s\"", v->string);
			return NULL;
		}
	}
	const char *api = simjson_string(doc, "apiVersion");
	if (!api || strcmp(api, "sim.podscope.dev/v1") != 0) {
		fail(e, "apiVersion", false, "a Scenario's apiVersion is sim.podscope.dev/v1");
		return NULL;
	}
	const cJSON *desc = cJSON_GetObjectItemCaseSensitive(doc, "description");
	const cJSON *ns = cJSON_GetObjectItemCaseSensitive(doc, "namespace");
	const cJSON *rep = cJSON_GetObjectItemCaseSensitive(doc, "repeat");
	const cJSON *steps = cJSON_GetObjectItemCaseSensitive(doc, "steps");
	const cJSON *ld = cJSON_GetObjectItemCaseSensitive(doc, "load");
	if (desc && !cJSON_IsString(desc)) {
		fail(e, "description", false, "description: a string is needed");
		return NULL;
	}
	if (ns && !is_str(ns)) {
		fail(e, "namespace", false, "namespace: a non-empty string is needed");
		return NULL;
	}
	if (rep && !cJSON_IsBool(rep)) {
		fail(e, "repeat", false, "repeat: true or false");
		return NULL;
	}
	if (steps && !cJSON_IsArray(steps)) {
		fail(e, "steps", false, "steps: a list of steps is needed");
		return NULL;
	}
	if (ld && parse_load(ld, load, e) != 0)
		return NULL;
	struct simscript *s = xcalloc(1, sizeof(*s));
	const char *mname =
	    simjson_string(cJSON_GetObjectItemCaseSensitive(doc, "metadata"), "name");
	s->name = xstrdup(mname ? mname : name);
	s->description = xstrdup(desc ? desc->valuestring : "");
	s->repeat = cJSON_IsTrue(rep);
	size_t n = (size_t)cJSON_GetArraySize(steps);
	s->steps = xcalloc(n + 1, sizeof(*s->steps));
	int64_t total = 0;
	cJSON_ArrayForEach(v, steps)
	{
		struct steperr se = {{0}, {0}, false};
		if (simstep_parse(v, ns ? ns->valuestring : NULL, &s->steps[s->n], &se) != 0) {
			char path[sizeof(e->path)];
			snprintf(path, sizeof(path), "steps/%zu%s%.100s", s->n,
				 se.path[0] ? "/" : "", se.path);
			fail(e, path, se.key, "step %zu: %s", s->n + 1, se.msg);
			simscript_free(s);
			return NULL;
		}
		total += s->steps[s->n++].after_ms;
	}
	if (s->repeat && total <= 0) {
		fail(e, "repeat", false, "repeat needs steps that take time (after: ...)");
		simscript_free(s);
		return NULL;
	}
	return s;
}
