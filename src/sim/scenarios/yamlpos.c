#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "podscope/xalloc.h"
#include "podscope/yamljson.h"

#include "yamlpos.h"

/*
 * An entry does not hold its whole path, only its last part and its
 * parent: memory stays linear in the input however deep and long the keys
 * (a long key above a long list would otherwise be copied into every path).
 * Lookups walk up the parents; they only happen when a message needs a line.
 */
#define NO_PARENT ((size_t)-1)

struct ent {
	int doc;
	bool key;
	bool empty_path; /* the whole path is "" */
	size_t parent;   /* index of the container's entry, or NO_PARENT */
	char *seg;       /* the last part of the path */
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
	size_t ent; /* the container's own entry */
	char *curkey;
};

static size_t add(struct yamlpos *p, int doc, bool key, size_t parent, const char *seg,
		  const yaml_mark_t *m)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	bool empty = !*seg && (parent == NO_PARENT || p->v[parent].empty_path);
	p->v[p->n] = (struct ent){
	    doc, key, empty, parent, xstrdup(seg), (unsigned)m->line + 1, (unsigned)m->column + 1};
	return p->n++;
}

static bool null_scalar(const yaml_event_t *ev)
{
	if (ev->type != YAML_SCALAR_EVENT || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = (const char *)ev->data.scalar.value;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

/* Handle one node event inside document doc; stack/depth are the open
 * containers. False when the nesting is beyond yamljson's limit. */
static bool node(struct yamlpos *p, int doc, const yaml_event_t *ev, struct frame **stack,
		 size_t *depth, size_t *cap)
{
	struct frame *top = *depth ? &(*stack)[*depth - 1] : NULL;
	if (ev->type == YAML_MAPPING_END_EVENT || ev->type == YAML_SEQUENCE_END_EVENT) {
		if (top) {
			free(top->curkey);
			(*depth)--;
		}
		return true;
	}
	size_t parent = NO_PARENT, self;
	const char *seg = "";
	char idx[24];
	if (!top) {
		seg = "";
	} else if (!top->map) {
		snprintf(idx, sizeof(idx), "%d", top->index++);
		parent = top->ent;
		seg = idx;
	} else if (top->want_key) {
		const char *k =
		    ev->type == YAML_SCALAR_EVENT ? (const char *)ev->data.scalar.value : "?";
		free(top->curkey);
		top->curkey = xstrdup(k);
		top->want_key = false;
		add(p, doc, true, top->ent, k, &ev->start_mark);
		if (ev->type == YAML_SCALAR_EVENT || ev->type == YAML_ALIAS_EVENT)
			return true;
		seg = "?"; /* a complex key: recorded nowhere useful */
	} else {
		top->want_key = true;
		parent = top->ent;
		seg = top->curkey ? top->curkey : "?";
	}
	self = add(p, doc, false, parent, seg, &ev->start_mark);
	if (ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT) {
		if (*depth >= YAMLJSON_MAX_DEPTH)
			return false;
		if (*depth == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*stack = xrealloc(*stack, *cap * sizeof(**stack));
		}
		(*stack)[(*depth)++] = (struct frame){
		    .map = ev->type == YAML_MAPPING_START_EVENT, .want_key = true, .ent = self};
	}
	return true;
}

struct yamlpos *yamlpos_scan(const char *text, size_t len)
{
	yaml_parser_t parser;
	if (len > YAMLJSON_MAX_BYTES || !yaml_parser_initialize(&parser))
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
			/* Within yamljson's limits, or not at all: each
			 * event makes at most two entries. */
			if (in_doc && (p->n > 2 * (size_t)YAMLJSON_MAX_NODES ||
				       !node(p, doc, &ev, &stack, &depth, &cap))) {
				ok = false;
				done = true;
			}
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	while (depth > 0) {
		depth--;
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
		free(p->v[i].seg);
	free(p->v);
	free(p);
}

/* Whether entry i's path is path[0..len): its last part, then its parent's. */
static bool path_is(const struct yamlpos *p, size_t i, const char *path, size_t len)
{
	for (;;) {
		const struct ent *e = &p->v[i];
		size_t sl = strlen(e->seg);
		if (e->empty_path)
			return len == 0;
		if (e->parent == NO_PARENT || p->v[e->parent].empty_path)
			return len == sl && memcmp(path, e->seg, sl) == 0;
		if (len < sl + 1 || path[len - sl - 1] != '/' ||
		    memcmp(path + len - sl, e->seg, sl) != 0)
			return false;
		len -= sl + 1;
		i = e->parent;
	}
}

static const struct ent *lookup(const struct yamlpos *p, int doc, const char *path, bool key)
{
	const struct ent *other = NULL;
	size_t len = strlen(path);
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].doc != doc || !path_is(p, i, path, len))
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
