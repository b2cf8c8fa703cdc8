#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "podscope/xalloc.h"

#include "yamlpos.h"

struct ent {
	int doc;
	bool key;
	char *path;
	unsigned line, col;
};

struct yamlpos {
	struct ent *v;
	size_t n, cap;
};

struct frame {
	bool map;
	bool want_key;
	int index;
	char *path;
	char *curkey;
};

static void add(struct yamlpos *p, int doc, bool key, const char *path, const yaml_mark_t *m)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	p->v[p->n++] =
	    (struct ent){doc, key, xstrdup(path), (unsigned)m->line + 1, (unsigned)m->column + 1};
}

static char *join(const char *parent, const char *part)
{
	return *parent ? xasprintf("%s/%s", parent, part) : xstrdup(part);
}

static bool null_scalar(const yaml_event_t *ev)
{
	if (ev->type != YAML_SCALAR_EVENT || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = (const char *)ev->data.scalar.value;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

/* Handle one node event inside document doc; stack/depth are the open containers. */
static void node(struct yamlpos *p, int doc, const yaml_event_t *ev, struct frame **stack,
		 size_t *depth, size_t *cap)
{
	struct frame *top = *depth ? &(*stack)[*depth - 1] : NULL;
	char *path;
	if (ev->type == YAML_MAPPING_END_EVENT || ev->type == YAML_SEQUENCE_END_EVENT) {
		if (top) {
			free(top->path);
			free(top->curkey);
			(*depth)--;
		}
		return;
	}
	if (!top) {
		path = xstrdup("");
	} else if (!top->map) {
		char idx[24];
		snprintf(idx, sizeof(idx), "%d", top->index++);
		path = join(top->path, idx);
	} else if (top->want_key) {
		const char *k =
		    ev->type == YAML_SCALAR_EVENT ? (const char *)ev->data.scalar.value : "?";
		free(top->curkey);
		top->curkey = xstrdup(k);
		top->want_key = false;
		char *kp = join(top->path, k);
		add(p, doc, true, kp, &ev->start_mark);
		free(kp);
		if (ev->type == YAML_SCALAR_EVENT || ev->type == YAML_ALIAS_EVENT)
			return;
		path = xstrdup("?"); /* a complex key: recorded nowhere useful */
	} else {
		top->want_key = true;
		path = join(top->path, top->curkey ? top->curkey : "?");
	}
	add(p, doc, false, path, &ev->start_mark);
	if (ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT) {
		if (*depth == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*stack = xrealloc(*stack, *cap * sizeof(**stack));
		}
		(*stack)[(*depth)++] = (struct frame){
		    .map = ev->type == YAML_MAPPING_START_EVENT, .want_key = true, .path = path};
		return;
	}
	free(path);
}

struct yamlpos *yamlpos_scan(const char *text, size_t len)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return NULL;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	struct yamlpos *p = xcalloc(1, sizeof(*p));
	struct frame *stack = NULL;
	size_t depth = 0, cap = 0;
	int doc = -1;
	bool in_doc = false, root_next = false, ok = true, done = false;
	while (!done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			ok = false;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			root_next = true;
			break;
		case YAML_DOCUMENT_END_EVENT:
			in_doc = false;
			break;
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			if (root_next) {
				root_next = false;
				in_doc = !null_scalar(&ev);
				if (in_doc)
					doc++;
			}
			if (in_doc)
				node(p, doc, &ev, &stack, &depth, &cap);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	while (depth > 0) {
		depth--;
		free(stack[depth].path);
		free(stack[depth].curkey);
	}
	free(stack);
	yaml_parser_delete(&parser);
	if (!ok) {
		yamlpos_free(p);
		return NULL;
	}
	return p;
}

void yamlpos_free(struct yamlpos *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].path);
	free(p->v);
	free(p);
}

static const struct ent *lookup(const struct yamlpos *p, int doc, const char *path, bool key)
{
	const struct ent *other = NULL;
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].doc != doc || strcmp(p->v[i].path, path) != 0)
			continue;
		if (p->v[i].key == key)
			return &p->v[i];
		other = &p->v[i];
	}
	return other;
}

bool yamlpos_find(const struct yamlpos *p, int doc, const char *path, bool key, unsigned *line,
		  unsigned *col)
{
	if (!p)
		return false;
	char *cur = xstrdup(path ? path : "");
	const struct ent *e = NULL;
	for (;;) {
		if ((e = lookup(p, doc, cur, key)) || !*cur)
			break;
		char *slash = strrchr(cur, '/');
		if (slash)
			*slash = '\0';
		else
			*cur = '\0';
		key = false;
	}
	free(cur);
	if (!e)
		return false;
	*line = e->line;
	*col = e->col;
	return true;
}
