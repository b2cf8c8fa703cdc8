#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "podscope/xalloc.h"
#include "podscope/yamljson.h"

/*
 * An event-driven converter: libyaml's parser hands us events and we build
 * the cJSON tree as they come, keeping anchors in a small table so aliases
 * can be copied. Scalars are resolved the way Kubernetes' YAML library
 * (go-yaml v2 via sigs.k8s.io/yaml) resolves them, so `port: 80` is a number
 * and `insecure-skip-tls-verify: true` a boolean, exactly as kubectl sees them.
 */

struct anchor {
	char *name;
	cJSON *node; /* a private copy */
};

struct conv {
	yaml_parser_t parser;
	const char *name;
	struct perr *err;
	struct anchor *anchors;
	size_t nanchors;
	size_t depth;
};

#define MAX_DEPTH 256

static void conv_error(struct conv *c, const yaml_mark_t *mark, const char *what)
{
	if (c->err && c->err->kind != PERR_NONE)
		return;
	perr_set(c->err, PERR_CONFIG, "%s:%zu:%zu: %s", c->name, mark->line + 1, mark->column + 1,
		 what);
}

static void parser_error(struct conv *c)
{
	yaml_parser_t *p = &c->parser;
	const yaml_mark_t *mark = p->problem ? &p->problem_mark : &p->context_mark;
	const char *problem = p->problem ? p->problem : "invalid YAML";
	if (p->context) {
		char *what = xasprintf("%s %s", problem, p->context);
		conv_error(c, mark, what);
		free(what);
	} else {
		conv_error(c, mark, problem);
	}
}

static bool next_event(struct conv *c, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&c->parser, ev)) {
		parser_error(c);
		return false;
	}
	return true;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* A plain scalar as a number, if it is one under YAML 1.1's rules. */
static cJSON *plain_number(const char *s)
{
	char clean[128];
	size_t n = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '_')
			continue;
		if (n + 1 >= sizeof(clean))
			return NULL;
		clean[n++] = *p;
	}
	clean[n] = '\0';
	if (n == 0)
		return NULL;
	const char *digits = clean + (clean[0] == '-' || clean[0] == '+');
	if (*digits == '\0')
		return NULL;

	char *end;
	errno = 0;
	if (digits[0] == '0' && (digits[1] == 'o' || digits[1] == 'O')) {
		long long v = strtoll(digits + 2, &end, 8);
		if (*end == '\0' && errno == 0 && digits[2] != '\0')
			return cJSON_CreateNumber((double)(clean[0] == '-' ? -v : v));
		return NULL;
	}
	long long v = strtoll(clean, &end, 0);
	if (*end == '\0' && errno == 0)
		return cJSON_CreateNumber((double)v);

	/* Floats: digits with a dot or an exponent; strtod also accepts "inf"
	 * and hex floats, which YAML does not, so check the characters first. */
	bool seen_digit = false;
	for (const char *p = digits; *p; p++) {
		if (*p >= '0' && *p <= '9')
			seen_digit = true;
		else if (!strchr(".eE+-", *p))
			return NULL;
	}
	if (!seen_digit)
		return NULL;
	errno = 0;
	double d = strtod(clean, &end);
	if (*end == '\0' && errno == 0)
		return cJSON_CreateNumber(d);
	return NULL;
}

static cJSON *scalar_value(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
	static const char *const trues[] = {"y", "Y", "yes", "Yes", "YES", "true", "True",
					    "TRUE", "on", "On", "ON", NULL};
	static const char *const falses[] = {"n", "N", "no", "No", "NO", "false", "False",
					     "FALSE", "off", "Off", "OFF", NULL};

	if (tag && strcmp(tag, YAML_STR_TAG) == 0)
		return cJSON_CreateString(s);
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return cJSON_CreateString(s);
	if (in_list(s, nulls))
		return cJSON_CreateNull();
	if (in_list(s, trues))
		return cJSON_CreateTrue();
	if (in_list(s, falses))
		return cJSON_CreateFalse();
	cJSON *num = plain_number(s);
	return num ? num : cJSON_CreateString(s);
}

static void remember_anchor(struct conv *c, const yaml_char_t *anchor, const cJSON *node)
{
	if (!anchor)
		return;
	for (size_t i = 0; i < c->nanchors; i++) {
		if (strcmp(c->anchors[i].name, (const char *)anchor) == 0) {
			cJSON_Delete(c->anchors[i].node);
			c->anchors[i].node = cJSON_Duplicate(node, 1);
			return;
		}
	}
	c->anchors = xrealloc(c->anchors, (c->nanchors + 1) * sizeof(*c->anchors));
	c->anchors[c->nanchors].name = xstrdup((const char *)anchor);
	c->anchors[c->nanchors].node = cJSON_Duplicate(node, 1);
	c->nanchors++;
}

static cJSON *alias_value(struct conv *c, const yaml_event_t *ev)
{
	for (size_t i = 0; i < c->nanchors; i++)
		if (strcmp(c->anchors[i].name, (const char *)ev->data.alias.anchor) == 0)
			return cJSON_Duplicate(c->anchors[i].node, 1);
	char *what = xasprintf("unknown anchor '%s'", (const char *)ev->data.alias.anchor);
	conv_error(c, &ev->start_mark, what);
	free(what);
	return NULL;
}

static cJSON *parse_node(struct conv *c, yaml_event_t *ev);

/* Keys become strings by their text, as sigs.k8s.io/yaml does. */
static char *key_text(struct conv *c, yaml_event_t *ev, bool *is_merge)
{
	*is_merge = false;
	if (ev->type == YAML_SCALAR_EVENT) {
		const char *s = (const char *)ev->data.scalar.value;
		*is_merge = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strcmp(s, "<<") == 0;
		return xstrdup(s);
	}
	conv_error(c, &ev->start_mark, "a mapping key must be a scalar");
	return NULL;
}

static void merge_into(cJSON *map, const cJSON *from)
{
	if (!cJSON_IsObject(from))
		return;
	for (const cJSON *it = from->child; it; it = it->next)
		if (!cJSON_GetObjectItemCaseSensitive(map, it->string))
			cJSON_AddItemToObject(map, it->string, cJSON_Duplicate(it, 1));
}

static cJSON *parse_mapping(struct conv *c, const yaml_event_t *start)
{
	cJSON *map = cJSON_CreateObject();
	cJSON *merges = NULL;
	for (;;) {
		yaml_event_t kev;
		if (!next_event(c, &kev))
			goto fail;
		if (kev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&kev);
			break;
		}
		bool is_merge;
		char *key = key_text(c, &kev, &is_merge);
		yaml_event_delete(&kev);
		if (!key)
			goto fail;
		yaml_event_t vev;
		if (!next_event(c, &vev)) {
			free(key);
			goto fail;
		}
		cJSON *val = parse_node(c, &vev);
		yaml_event_delete(&vev);
		if (!val) {
			free(key);
			goto fail;
		}
		if (is_merge) {
			/* Merge keys apply after the map's own keys, which win. */
			if (!merges)
				merges = cJSON_CreateArray();
			if (cJSON_IsArray(val)) {
				cJSON *it;
				while ((it = val->child))
					cJSON_AddItemToArray(merges, cJSON_DetachItemViaPointer(val, it));
				cJSON_Delete(val);
			} else {
				cJSON_AddItemToArray(merges, val);
			}
		} else if (cJSON_GetObjectItemCaseSensitive(map, key)) {
			cJSON_ReplaceItemInObjectCaseSensitive(map, key, val);
		} else {
			cJSON_AddItemToObject(map, key, val);
		}
		free(key);
	}
	if (merges) {
		for (const cJSON *m = merges->child; m; m = m->next)
			merge_into(map, m);
		cJSON_Delete(merges);
	}
	remember_anchor(c, start->data.mapping_start.anchor, map);
	return map;
fail:
	cJSON_Delete(merges);
	cJSON_Delete(map);
	return NULL;
}

static cJSON *parse_sequence(struct conv *c, const yaml_event_t *start)
{
	cJSON *seq = cJSON_CreateArray();
	for (;;) {
		yaml_event_t ev;
		if (!next_event(c, &ev))
			goto fail;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		cJSON *val = parse_node(c, &ev);
		yaml_event_delete(&ev);
		if (!val)
			goto fail;
		cJSON_AddItemToArray(seq, val);
	}
	remember_anchor(c, start->data.sequence_start.anchor, seq);
	return seq;
fail:
	cJSON_Delete(seq);
	return NULL;
}

static cJSON *parse_node(struct conv *c, yaml_event_t *ev)
{
	cJSON *node = NULL;
	if (++c->depth > MAX_DEPTH) {
		conv_error(c, &ev->start_mark, "nested too deeply");
		c->depth--;
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		node = scalar_value(ev);
		remember_anchor(c, ev->data.scalar.anchor, node);
		break;
	case YAML_ALIAS_EVENT:
		node = alias_value(c, ev);
		break;
	case YAML_MAPPING_START_EVENT:
		node = parse_mapping(c, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
		node = parse_sequence(c, ev);
		break;
	default:
		conv_error(c, &ev->start_mark, "unexpected YAML event");
		break;
	}
	c->depth--;
	return node;
}

static void conv_free(struct conv *c)
{
	for (size_t i = 0; i < c->nanchors; i++) {
		free(c->anchors[i].name);
		cJSON_Delete(c->anchors[i].node);
	}
	free(c->anchors);
	yaml_parser_delete(&c->parser);
}

/* Parse documents into an array; stop after the first when only_first. */
static cJSON *parse_stream(const char *name, const char *text, size_t len, bool only_first,
			   struct perr *err)
{
	struct conv c = {.name = name ? name : "<input>", .err = err};
	struct perr local = {0};
	if (!c.err)
		c.err = &local;
	perr_clear(c.err);
	if (!yaml_parser_initialize(&c.parser)) {
		perr_set(c.err, PERR_SYSTEM, "%s: cannot start the YAML parser", c.name);
		perr_clear(&local);
		return NULL;
	}
	yaml_parser_set_input_string(&c.parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&c.parser, YAML_UTF8_ENCODING);

	cJSON *docs = cJSON_CreateArray();
	bool ok = true, done = false;
	while (ok && !done) {
		yaml_event_t ev;
		if (!next_event(&c, &ev)) {
			ok = false;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT: {
			yaml_event_t root;
			if (!next_event(&c, &root)) {
				ok = false;
				break;
			}
			if (root.type == YAML_DOCUMENT_END_EVENT) {
				yaml_event_delete(&root);
				break; /* an empty document */
			}
			cJSON *node = parse_node(&c, &root);
			yaml_event_delete(&root);
			if (!node) {
				ok = false;
				break;
			}
			yaml_event_t end;
			if (!next_event(&c, &end)) {
				cJSON_Delete(node);
				ok = false;
				break;
			}
			yaml_event_delete(&end);
			if (cJSON_IsNull(node))
				cJSON_Delete(node);
			else
				cJSON_AddItemToArray(docs, node);
			/* Anchors do not cross documents. */
			for (size_t i = 0; i < c.nanchors; i++) {
				free(c.anchors[i].name);
				cJSON_Delete(c.anchors[i].node);
			}
			c.nanchors = 0;
			if (only_first && cJSON_GetArraySize(docs) > 0)
				done = true;
			break;
		}
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	conv_free(&c);
	if (!ok) {
		if (c.err->kind == PERR_NONE)
			perr_set(c.err, PERR_CONFIG, "%s: invalid YAML", c.name);
		cJSON_Delete(docs);
		docs = NULL;
	}
	perr_clear(&local);
	return docs;
}

cJSON *yamljson_parse_all(const char *name, const char *text, size_t len, struct perr *err)
{
	return parse_stream(name, text, len, false, err);
}

cJSON *yamljson_parse(const char *name, const char *text, size_t len, struct perr *err)
{
	cJSON *docs = parse_stream(name, text, len, true, err);
	if (!docs)
		return NULL;
	cJSON *first = docs->child ? cJSON_DetachItemViaPointer(docs, docs->child)
				   : cJSON_CreateObject();
	cJSON_Delete(docs);
	return first;
}
