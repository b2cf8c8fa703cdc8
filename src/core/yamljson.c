#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "podscope/xalloc.h"
#include "podscope/yamljson.h"

#include "yamljson_int.h"

/*
 * An event-driven converter: libyaml's parser hands us events and we build
 * the cJSON tree as they come, keeping anchors in a small table so aliases
 * can be copied. Scalars are resolved (yamlscalar.c) the way Kubernetes' YAML library
 * (go-yaml v2 via sigs.k8s.io/yaml) resolves them, so `port: 80` is a number
 * and `insecure-skip-tls-verify: true` a boolean, exactly as kubectl sees them.
 */

struct anchor {
	char *name;
	cJSON *node;   /* a private copy */
	size_t nodes;  /* in node */
	size_t height; /* levels in node: 1 for a scalar */
};

struct conv {
	yaml_parser_t parser;
	const char *name;
	struct perr *err;
	bool unique; /* a key set twice is an error */
	struct anchor *anchors;
	size_t nanchors;
	size_t depth; /* levels open above the node being made */
	/* What the stream has cost so far, against the YAMLJSON_MAX_* limits. */
	size_t nodes, copied, aliases, anchor_defs;
};

/* The size of what parse_node made. */
struct ninfo {
	size_t nodes;
	size_t height;
};

static void conv_error(struct conv *c, const yaml_mark_t *mark, const char *what)
{
	if (c->err && c->err->kind != PERR_NONE)
		return;
	perr_set(c->err, PERR_CONFIG, "%s:%zu:%zu: %s", c->name, mark->line + 1, mark->column + 1,
		 what);
}

static void conv_errorf(struct conv *c, const yaml_mark_t *mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void conv_errorf(struct conv *c, const yaml_mark_t *mark, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char buf[512];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	conv_error(c, mark, buf);
}

/* A name from the file, for a message: at most 60 bytes, control bytes
 * (C0, DEL and the UTF-8 of C1) as '?', so no message can drive a terminal. */
static void shown_name(char *out, size_t n, const char *s)
{
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && k + 4 < n && k < 60; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			out[k++] = '?';
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			out[k++] = '?';
			p++;
		} else {
			out[k++] = (char)*p;
		}
	}
	if (s[k] && k + 4 < n) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
}

static void parser_error(struct conv *c)
{
	yaml_parser_t *p = &c->parser;
	const yaml_mark_t *mark = p->problem ? &p->problem_mark : &p->context_mark;
	const char *problem = p->problem ? p->problem : "invalid YAML";
	if (p->context)
		conv_errorf(c, mark, "%s %s", problem, p->context);
	else
		conv_error(c, mark, problem);
}

static bool next_event(struct conv *c, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&c->parser, ev)) {
		parser_error(c);
		return false;
	}
	return true;
}

/* Account for n new nodes (copy: made by an alias or an anchor). */
static bool spend(struct conv *c, const yaml_mark_t *mark, size_t n, bool copy)
{
	if (copy && n > YAMLJSON_MAX_COPIED - c->copied) {
		conv_errorf(c, mark,
			    "excessive aliasing: the aliases would make more than %d nodes "
			    "(refused, as kubectl refuses it)",
			    YAMLJSON_MAX_COPIED);
		return false;
	}
	if (n > YAMLJSON_MAX_NODES - c->nodes) {
		conv_errorf(c, mark, "more than %d nodes (values, lists and mappings)",
			    YAMLJSON_MAX_NODES);
		return false;
	}
	c->nodes += n;
	if (copy)
		c->copied += n;
	return true;
}

static struct anchor *find_anchor(struct conv *c, const char *name)
{
	for (size_t i = 0; i < c->nanchors; i++)
		if (strcmp(c->anchors[i].name, name) == 0)
			return &c->anchors[i];
	return NULL;
}

/* Keep a copy of an anchored node: later changes to the tree (a key set
 * again, a merge) must not change what an alias gets. */
static bool remember_anchor(struct conv *c, const yaml_char_t *anchor, const cJSON *node,
			    const struct ninfo *info, const yaml_mark_t *mark)
{
	if (!anchor)
		return true;
	const char *name = (const char *)anchor;
	if (strlen(name) > YAMLJSON_MAX_ANCHOR_NAME) {
		conv_errorf(c, mark, "an anchor name longer than %d bytes",
			    YAMLJSON_MAX_ANCHOR_NAME);
		return false;
	}
	if (++c->anchor_defs > YAMLJSON_MAX_ANCHORS) {
		conv_errorf(c, mark, "more than %d anchors", YAMLJSON_MAX_ANCHORS);
		return false;
	}
	if (!spend(c, mark, info->nodes, true))
		return false;
	struct anchor *a = find_anchor(c, name);
	if (a) {
		cJSON_Delete(a->node);
	} else {
		c->anchors = xrealloc(c->anchors, (c->nanchors + 1) * sizeof(*c->anchors));
		a = &c->anchors[c->nanchors++];
		a->name = xstrdup(name);
	}
	a->node = cJSON_Duplicate(node, 1);
	a->nodes = info->nodes;
	a->height = info->height;
	return true;
}

static cJSON *alias_value(struct conv *c, const yaml_event_t *ev, struct ninfo *info)
{
	const char *name = (const char *)ev->data.alias.anchor;
	if (++c->aliases > YAMLJSON_MAX_ALIASES) {
		conv_errorf(c, &ev->start_mark, "excessive aliasing: more than %d aliases",
			    YAMLJSON_MAX_ALIASES);
		return NULL;
	}
	const struct anchor *a = find_anchor(c, name);
	if (!a) {
		char shown[80];
		shown_name(shown, sizeof(shown), name);
		conv_errorf(c, &ev->start_mark, "unknown anchor '%s'", shown);
		return NULL;
	}
	/* c->depth counts this node's own level already. */
	if (c->depth + a->height - 1 > YAMLJSON_MAX_DEPTH) {
		conv_errorf(c, &ev->start_mark,
			    "nested more than %d levels deep (aliases included)",
			    YAMLJSON_MAX_DEPTH);
		return NULL;
	}
	if (!spend(c, &ev->start_mark, a->nodes, true))
		return NULL;
	info->nodes = a->nodes;
	info->height = a->height;
	return cJSON_Duplicate(a->node, 1);
}

static cJSON *parse_node(struct conv *c, yaml_event_t *ev, struct ninfo *info);

/* Keys become strings by their text, as sigs.k8s.io/yaml does. */
static char *key_text(struct conv *c, yaml_event_t *ev, bool *is_merge)
{
	*is_merge = false;
	if (ev->type == YAML_SCALAR_EVENT) {
		const char *s = (const char *)ev->data.scalar.value;
		*is_merge =
		    ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strcmp(s, "<<") == 0;
		return xstrdup(s);
	}
	conv_error(c, &ev->start_mark, "a mapping key must be a scalar");
	return NULL;
}

/*
 * A mapping's entries are collected first and sorted by key once at its end,
 * so that a key set again (the last one wins) and merge keys (the mapping's
 * own keys win, then the first merged mapping that has the key) cost
 * n log n, not a search of the mapping per key.
 */
struct kent {
	cJSON *item; /* item->string is the key */
	size_t seq;  /* position: own keys in order, then merged ones */
	yaml_mark_t mark;
	bool merged;
	bool keep;
};

struct kents {
	struct kent *v;
	size_t n, cap;
};

static void kents_add(struct kents *k, cJSON *item, const yaml_mark_t *mark, bool merged)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 8;
		k->v = xrealloc(k->v, k->cap * sizeof(*k->v));
	}
	k->v[k->n] = (struct kent){.item = item, .seq = k->n, .mark = *mark, .merged = merged};
	k->n++;
}

static void kents_free(struct kents *k)
{
	for (size_t i = 0; i < k->n; i++)
		cJSON_Delete(k->v[i].item);
	free(k->v);
}

/* Entries of one merged mapping (the value of <<, or one of its list). */
static void add_merged(struct kents *k, cJSON *from, const yaml_mark_t *mark)
{
	if (cJSON_IsObject(from)) {
		cJSON *it;
		while ((it = from->child))
			kents_add(k, cJSON_DetachItemViaPointer(from, it), mark, true);
	}
	cJSON_Delete(from);
}

/* Sorted by key; within a key the winner first: own entries before merged
 * ones, the last own one first, the first merged one first. */
static int kent_cmp(const void *a, const void *b)
{
	const struct kent *x = *(const struct kent *const *)a;
	const struct kent *y = *(const struct kent *const *)b;
	int r = strcmp(x->item->string, y->item->string);
	if (r)
		return r;
	if (x->merged != y->merged)
		return x->merged ? 1 : -1;
	if (!x->merged)
		return (x->seq < y->seq) - (x->seq > y->seq);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Decide which entries stay, then link them into map in their order. */
static bool finish_mapping(struct conv *c, cJSON *map, struct kents *k)
{
	struct kent **by_key = xmalloc((k->n + 1) * sizeof(*by_key));
	for (size_t i = 0; i < k->n; i++)
		by_key[i] = &k->v[i];
	qsort(by_key, k->n, sizeof(*by_key), kent_cmp);
	const struct kent *dup = NULL, *first = NULL;
	for (size_t i = 0; i < k->n;) {
		size_t j = i + 1;
		while (j < k->n && !strcmp(by_key[j]->item->string, by_key[i]->item->string))
			j++;
		by_key[i]->keep = true;
		/* Own entries of the run sit at its start, last first: the
		 * first two set are the run's last two own entries. */
		size_t own = i;
		while (own < j && !by_key[own]->merged)
			own++;
		if (c->unique && own - i >= 2 && (!dup || by_key[own - 2]->seq < dup->seq)) {
			dup = by_key[own - 2];
			first = by_key[own - 1];
		}
		i = j;
	}
	free(by_key);
	if (dup) {
		char shown[80];
		shown_name(shown, sizeof(shown), dup->item->string);
		conv_errorf(c, &dup->mark, "key \"%s\" is set twice (first on line %zu)", shown,
			    first->mark.line + 1);
		return false;
	}
	for (size_t i = 0; i < k->n; i++) {
		if (k->v[i].keep)
			cJSON_AddItemToArray(map, k->v[i].item);
		else
			cJSON_Delete(k->v[i].item);
		k->v[i].item = NULL;
	}
	return true;
}

static cJSON *parse_mapping(struct conv *c, const yaml_event_t *start, struct ninfo *info)
{
	if (!spend(c, &start->start_mark, 1, false))
		return NULL;
	cJSON *map = cJSON_CreateObject();
	struct kents k = {0};
	*info = (struct ninfo){1, 1};
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
		yaml_mark_t mark = kev.start_mark;
		yaml_event_delete(&kev);
		if (!key)
			goto fail;
		yaml_event_t vev;
		if (!next_event(c, &vev)) {
			free(key);
			goto fail;
		}
		struct ninfo vi;
		cJSON *val = parse_node(c, &vev, &vi);
		yaml_event_delete(&vev);
		if (!val) {
			free(key);
			goto fail;
		}
		info->nodes += vi.nodes;
		if (vi.height + 1 > info->height)
			info->height = vi.height + 1;
		if (is_merge) {
			free(key);
			if (cJSON_IsArray(val)) {
				cJSON *it;
				while ((it = val->child))
					add_merged(&k, cJSON_DetachItemViaPointer(val, it), &mark);
				cJSON_Delete(val);
			} else {
				add_merged(&k, val, &mark);
			}
		} else {
			val->string = key;
			kents_add(&k, val, &mark, false);
		}
	}
	/* Merged entries come after every own one, whatever the order in the
	 * file: renumber so that kent_cmp and the final order see that. */
	size_t seq = 0;
	for (size_t i = 0; i < k.n; i++)
		if (!k.v[i].merged)
			k.v[i].seq = seq++;
	for (size_t i = 0; i < k.n; i++)
		if (k.v[i].merged)
			k.v[i].seq = seq++;
	if (!finish_mapping(c, map, &k))
		goto fail;
	kents_free(&k);
	if (!remember_anchor(c, start->data.mapping_start.anchor, map, info, &start->start_mark))
		goto fail_linked;
	return map;
fail:
	kents_free(&k);
fail_linked:
	cJSON_Delete(map);
	return NULL;
}

static cJSON *parse_sequence(struct conv *c, const yaml_event_t *start, struct ninfo *info)
{
	if (!spend(c, &start->start_mark, 1, false))
		return NULL;
	cJSON *seq = cJSON_CreateArray();
	*info = (struct ninfo){1, 1};
	for (;;) {
		yaml_event_t ev;
		if (!next_event(c, &ev))
			goto fail;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		struct ninfo vi;
		cJSON *val = parse_node(c, &ev, &vi);
		yaml_event_delete(&ev);
		if (!val)
			goto fail;
		info->nodes += vi.nodes;
		if (vi.height + 1 > info->height)
			info->height = vi.height + 1;
		cJSON_AddItemToArray(seq, val);
	}
	if (!remember_anchor(c, start->data.sequence_start.anchor, seq, info, &start->start_mark))
		goto fail;
	return seq;
fail:
	cJSON_Delete(seq);
	return NULL;
}

static cJSON *parse_node(struct conv *c, yaml_event_t *ev, struct ninfo *info)
{
	cJSON *node = NULL;
	if (c->depth >= YAMLJSON_MAX_DEPTH) {
		conv_errorf(c, &ev->start_mark, "nested more than %d levels deep",
			    YAMLJSON_MAX_DEPTH);
		return NULL;
	}
	c->depth++;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (!spend(c, &ev->start_mark, 1, false))
			break;
		node = yamljson_scalar(ev);
		*info = (struct ninfo){1, 1};
		if (!remember_anchor(c, ev->data.scalar.anchor, node, info, &ev->start_mark)) {
			cJSON_Delete(node);
			node = NULL;
		}
		break;
	case YAML_ALIAS_EVENT:
		node = alias_value(c, ev, info);
		break;
	case YAML_MAPPING_START_EVENT:
		node = parse_mapping(c, ev, info);
		break;
	case YAML_SEQUENCE_START_EVENT:
		node = parse_sequence(c, ev, info);
		break;
	default:
		conv_error(c, &ev->start_mark, "unexpected YAML event");
		break;
	}
	c->depth--;
	return node;
}

static void drop_anchors(struct conv *c)
{
	for (size_t i = 0; i < c->nanchors; i++) {
		free(c->anchors[i].name);
		cJSON_Delete(c->anchors[i].node);
	}
	c->nanchors = 0;
}

static void conv_free(struct conv *c)
{
	drop_anchors(c);
	free(c->anchors);
	yaml_parser_delete(&c->parser);
}

/* Parse documents into an array; stop after the first when only_first. */
static cJSON *parse_stream(const char *name, const char *text, size_t len, bool only_first,
			   bool unique, struct perr *err)
{
	struct conv c = {.name = name ? name : "<input>", .err = err, .unique = unique};
	struct perr local = {0};
	if (!c.err)
		c.err = &local;
	perr_clear(c.err);
	if (len > YAMLJSON_MAX_BYTES) {
		perr_set(c.err, PERR_CONFIG, "%s: larger than %u MiB, refused", c.name,
			 YAMLJSON_MAX_BYTES >> 20);
		perr_clear(&local);
		return NULL;
	}
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
			struct ninfo info;
			cJSON *node = parse_node(&c, &root, &info);
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
			/* Anchors do not cross documents; the limits hold for
			 * the whole stream. */
			drop_anchors(&c);
			if (only_first && docs->child)
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
	return parse_stream(name, text, len, false, false, err);
}

static cJSON *parse_first(const char *name, const char *text, size_t len, bool unique,
			  struct perr *err)
{
	cJSON *docs = parse_stream(name, text, len, true, unique, err);
	if (!docs)
		return NULL;
	cJSON *first =
	    docs->child ? cJSON_DetachItemViaPointer(docs, docs->child) : cJSON_CreateObject();
	cJSON_Delete(docs);
	return first;
}

cJSON *yamljson_parse(const char *name, const char *text, size_t len, struct perr *err)
{
	return parse_first(name, text, len, false, err);
}

cJSON *yamljson_parse_unique(const char *name, const char *text, size_t len, struct perr *err)
{
	return parse_first(name, text, len, true, err);
}
