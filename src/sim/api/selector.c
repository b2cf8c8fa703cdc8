#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "selector.h"

enum op { OP_EXISTS, OP_NOT_EXISTS, OP_EQ, OP_NE, OP_IN, OP_NOTIN, OP_GT, OP_LT };

struct req {
	char *key;
	enum op op;
	char **values;
	size_t nvalues;
};

struct simsel {
	struct req *reqs;
	size_t n;
};

void simsel_free(struct simsel *sel)
{
	if (!sel)
		return;
	for (size_t i = 0; i < sel->n; i++) {
		free(sel->reqs[i].key);
		for (size_t j = 0; j < sel->reqs[i].nvalues; j++)
			free(sel->reqs[i].values[j]);
		free(sel->reqs[i].values);
	}
	free(sel->reqs);
	free(sel);
}

bool simsel_empty(const struct simsel *sel)
{
	return !sel || sel->n == 0;
}

static void skip_space(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

static bool is_key_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' || c == '/';
}

/* A label value: empty, or at most 63 of [A-Za-z0-9-_.], alphanumeric at both ends. */
static bool valid_value(const char *v)
{
	size_t n = strlen(v);
	if (n == 0)
		return true;
	if (n > 63 || !isalnum((unsigned char)v[0]) || !isalnum((unsigned char)v[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)v[i]) && v[i] != '-' && v[i] != '_' && v[i] != '.')
			return false;
	return true;
}

/* A qualified name: [prefix/]name, name a label value that is not empty. */
static bool valid_key(const char *k)
{
	const char *slash = strchr(k, '/');
	const char *name = slash ? slash + 1 : k;
	if (slash && (slash == k || strchr(name, '/') || slash - k > 253))
		return false;
	return *name && valid_value(name);
}

static char *read_word(const char **p, bool value)
{
	const char *s = *p;
	while (**p && (value ? (is_key_char(**p) && **p != '/') : is_key_char(**p)))
		(*p)++;
	return xstrndup(s, (size_t)(*p - s));
}

static void add_value(struct req *r, char *v)
{
	r->values = xrealloc(r->values, (r->nvalues + 1) * sizeof(char *));
	r->values[r->nvalues++] = v;
}

static bool parse_set(const char **p, struct req *r, char **err)
{
	skip_space(p);
	if (**p != '(') {
		*err = xasprintf("found '%c', expected: '('", **p ? **p : ' ');
		return false;
	}
	(*p)++;
	for (;;) {
		skip_space(p);
		char *v = read_word(p, true);
		add_value(r, v);
		skip_space(p);
		if (**p == ',') {
			(*p)++;
			continue;
		}
		if (**p == ')') {
			(*p)++;
			return true;
		}
		*err = xasprintf("found '%s', expected: ',', ')'", **p ? *p : "end of string");
		return false;
	}
}

static bool parse_op(const char **p, struct req *r, bool fields, char **err)
{
	skip_space(p);
	const char *s = *p;
	if (s[0] == '=' && s[1] == '=') {
		r->op = OP_EQ;
		*p += 2;
	} else if (s[0] == '=') {
		r->op = OP_EQ;
		*p += 1;
	} else if (s[0] == '!' && s[1] == '=') {
		r->op = OP_NE;
		*p += 2;
	} else if (!fields && s[0] == '>') {
		r->op = OP_GT;
		*p += 1;
	} else if (!fields && s[0] == '<') {
		r->op = OP_LT;
		*p += 1;
	} else if (!fields && strncmp(s, "notin", 5) == 0 && !is_key_char(s[5])) {
		r->op = OP_NOTIN;
		*p += 5;
		return parse_set(p, r, err);
	} else if (!fields && strncmp(s, "in", 2) == 0 && !is_key_char(s[2])) {
		r->op = OP_IN;
		*p += 2;
		return parse_set(p, r, err);
	} else if (!fields && (*s == ',' || *s == '\0')) {
		r->op = OP_EXISTS;
		return true;
	} else {
		*err = xasprintf("found '%s', expected: %s", *s ? s : "end of string",
		                 fields ? "'=', '==', '!='" : "in, notin, =, ==, !=, gt, lt");
		return false;
	}
	skip_space(p);
	if (fields) {
		/* Field values may hold almost anything up to the next comma. */
		const char *v = *p;
		while (**p && **p != ',')
			(*p)++;
		const char *end = *p;
		while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		add_value(r, xstrndup(v, (size_t)(end - v)));
	} else {
		add_value(r, read_word(p, true));
	}
	if ((r->op == OP_GT || r->op == OP_LT)) {
		char *end;
		strtol(r->values[0], &end, 10);
		if (!*r->values[0] || *end) {
			*err = xasprintf("for 'Gt', 'Lt' operators, the value must be an integer");
			return false;
		}
	}
	return true;
}

static struct simsel *parse(const char *s, bool fields, char **err)
{
	struct simsel *sel = xcalloc(1, sizeof(*sel));
	const char *p = s ? s : "";
	*err = NULL;
	skip_space(&p);
	while (*p) {
		sel->reqs = xrealloc(sel->reqs, (sel->n + 1) * sizeof(*sel->reqs));
		struct req *r = &sel->reqs[sel->n++];
		memset(r, 0, sizeof(*r));
		bool negate = false;
		if (!fields && *p == '!') {
			negate = true;
			p++;
			skip_space(&p);
		}
		r->key = read_word(&p, false);
		if (!*r->key) {
			*err =
			    xasprintf("found '%s', expected: identifier", *p ? p : "end of string");
			goto fail;
		}
		if (negate) {
			r->op = OP_NOT_EXISTS;
			skip_space(&p);
		} else if (!parse_op(&p, r, fields, err)) {
			goto fail;
		}
		if (!fields && !valid_key(r->key)) {
			*err =
			    xasprintf("invalid label key \"%s\": a qualified name must consist of "
			              "alphanumeric characters, '-', '_' or '.'",
			              r->key);
			goto fail;
		}
		for (size_t i = 0; !fields && i < r->nvalues; i++) {
			if (!valid_value(r->values[i])) {
				*err =
				    xasprintf("invalid label value: \"%s\": a valid label must be "
				              "an empty string or consist of alphanumeric "
				              "characters, '-', '_' or '.'",
				              r->values[i]);
				goto fail;
			}
		}
		skip_space(&p);
		if (*p == ',') {
			p++;
			skip_space(&p);
			if (!*p) {
				*err = xasprintf("found 'end of string', expected: identifier");
				goto fail;
			}
		} else if (*p) {
			*err = xasprintf("found '%s', expected: ','", p);
			goto fail;
		}
	}
	return sel;
fail:
	if (!*err)
		*err = xstrdup("invalid selector");
	simsel_free(sel);
	return NULL;
}

struct simsel *simsel_parse_labels(const char *s, char **err)
{
	struct simsel *sel = parse(s, false, err);
	if (!sel) {
		char *m = xasprintf("unable to parse requirement: %s", *err);
		free(*err);
		*err = m;
	}
	return sel;
}

/* The field paths each resource supports beyond metadata.name and .namespace. */
static bool field_supported(const struct simres *res, const char *path)
{
	static const struct {
		const char *plural;
		const char *paths;
	} extra[] = {
	    {"pods", " spec.nodeName spec.restartPolicy spec.schedulerName "
	             "spec.serviceAccountName status.phase status.podIP "
	             "status.nominatedNodeName "},
	    {"events", " involvedObject.kind involvedObject.namespace involvedObject.name "
	               "involvedObject.uid involvedObject.apiVersion "
	               "involvedObject.resourceVersion involvedObject.fieldPath reason "
	               "reportingComponent source type "},
	    {"replicasets", " status.replicas "},
	    {"namespaces", " status.phase "},
	    {"nodes", " spec.unschedulable "},
	};
	if (strcmp(path, "metadata.name") == 0 || strcmp(path, "metadata.namespace") == 0)
		return true;
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		if (strcmp(extra[i].plural, res->plural) != 0)
			continue;
		char *needle = xasprintf(" %s ", path);
		bool ok = strstr(extra[i].paths, needle) != NULL;
		free(needle);
		return ok;
	}
	return false;
}

struct simsel *simsel_parse_fields(const struct simres *res, const char *s, char **err)
{
	struct simsel *sel = parse(s, true, err);
	if (!sel)
		return NULL;
	for (size_t i = 0; i < sel->n; i++) {
		if (!field_supported(res, sel->reqs[i].key)) {
			/* The API server's words for this case. */
			*err = xasprintf("field label not supported: %s", sel->reqs[i].key);
			simsel_free(sel);
			return NULL;
		}
	}
	return sel;
}

static bool in_values(const struct req *r, const char *v)
{
	for (size_t i = 0; i < r->nvalues; i++)
		if (strcmp(r->values[i], v) == 0)
			return true;
	return false;
}

static bool match_req(const struct req *r, const char *v /* NULL: absent */)
{
	switch (r->op) {
	case OP_EXISTS:
		return v != NULL;
	case OP_NOT_EXISTS:
		return v == NULL;
	case OP_EQ:
	case OP_IN:
		return v && in_values(r, v);
	case OP_NE:
	case OP_NOTIN:
		return !v || !in_values(r, v);
	case OP_GT:
	case OP_LT: {
		if (!v)
			return false;
		char *end;
		long have = strtol(v, &end, 10);
		if (!*v || *end)
			return false;
		long want = strtol(r->values[0], NULL, 10);
		return r->op == OP_GT ? have > want : have < want;
	}
	}
	return false;
}

bool simsel_match_labels(const struct simsel *sel, const cJSON *labels)
{
	if (!sel)
		return true;
	for (size_t i = 0; i < sel->n; i++) {
		const cJSON *l =
		    labels ? cJSON_GetObjectItemCaseSensitive(labels, sel->reqs[i].key) : NULL;
		if (!match_req(&sel->reqs[i], cJSON_IsString(l) ? l->valuestring : NULL))
			return false;
	}
	return true;
}

/* The value at a dotted path as the API server's field sets spell it ("" when absent). */
static void field_value(const cJSON *obj, const char *path, char *out, size_t outlen)
{
	char *copy = xstrdup(path);
	const cJSON *cur = obj;
	char *save;
	for (char *t = strtok_r(copy, ".", &save); t && cur; t = strtok_r(NULL, ".", &save))
		cur = cJSON_GetObjectItemCaseSensitive(cur, t);
	free(copy);
	if (cur && strcmp(path, "source") == 0) /* events: source means source.component */
		cur = cJSON_GetObjectItemCaseSensitive(cur, "component");
	if (cJSON_IsString(cur))
		snprintf(out, outlen, "%s", cur->valuestring);
	else if (cJSON_IsNumber(cur))
		snprintf(out, outlen, "%.0f", cur->valuedouble);
	else if (cJSON_IsBool(cur))
		snprintf(out, outlen, "%s", cJSON_IsTrue(cur) ? "true" : "false");
	else
		out[0] = '\0';
}

bool simsel_match_fields(const struct simsel *sel, const cJSON *obj)
{
	if (!sel)
		return true;
	char v[512];
	for (size_t i = 0; i < sel->n; i++) {
		field_value(obj, sel->reqs[i].key, v, sizeof(v));
		if (!match_req(&sel->reqs[i], v))
			return false;
	}
	return true;
}

const char *simsel_field_equals(const struct simsel *sel, const char *path)
{
	for (size_t i = 0; sel && i < sel->n; i++)
		if (sel->reqs[i].op == OP_EQ && strcmp(sel->reqs[i].key, path) == 0)
			return sel->reqs[i].values[0];
	return NULL;
}
