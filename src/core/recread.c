#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/recfile.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"

#include "recfile_int.h"

/* Reading a recording (the format: recfile.c). Everything in it is
 * hostile: every length is checked against what is left, every count
 * against the bytes that could hold it, nesting and the dictionary are
 * capped, and a damaged frame costs its segment, never the file. */

struct rec_reader {
	const uint8_t *data;
	size_t len, pos;
	bool in_segment;
	unsigned long segments; /* headers read */
	size_t segment_at;      /* the byte of the last one */
	int64_t last_ms;
	char context[REC_MAX_CONTEXT + 1];
	char **dict;
	size_t n_dict, cap_dict, dict_bytes;
	cJSON *obj;
	char *text;
	unsigned long damage;
	char last_damage[160];
};

struct cur {
	struct rec_reader *r;
	const uint8_t *p;
	size_t n, i;
	const char *why; /* set on failure */
};

struct rec_reader *rec_reader_new(const uint8_t *data, size_t len)
{
	struct rec_reader *r = xcalloc(1, sizeof(*r));
	r->data = data;
	r->len = data ? len : 0;
	return r;
}

static void reader_dict_clear(struct rec_reader *r)
{
	for (size_t i = 0; i < r->n_dict; i++)
		free(r->dict[i]);
	r->n_dict = r->dict_bytes = 0;
}

static void reader_drop_event(struct rec_reader *r)
{
	cJSON_Delete(r->obj);
	r->obj = NULL;
	free(r->text);
	r->text = NULL;
}

void rec_reader_free(struct rec_reader *r)
{
	if (!r)
		return;
	reader_drop_event(r);
	reader_dict_clear(r);
	free(r->dict);
	free(r);
}

const char *rec_reader_context(const struct rec_reader *r)
{
	return r->context;
}

unsigned long rec_reader_segment(const struct rec_reader *r)
{
	return r->segments;
}

size_t rec_reader_segment_offset(const struct rec_reader *r)
{
	return r->segment_at;
}

unsigned long rec_reader_damage(const struct rec_reader *r)
{
	return r->damage;
}

const char *rec_reader_last_damage(const struct rec_reader *r)
{
	return r->last_damage;
}

static bool fail(struct cur *c, const char *why)
{
	if (!c->why)
		c->why = why;
	return false;
}

static bool get_varint(struct cur *c, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (c->i >= c->n)
			return fail(c, "a number runs past the frame");
		uint8_t b = c->p[c->i++];
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	return fail(c, "a number is longer than 64 bits");
}

static bool get_zigzag(struct cur *c, int64_t *v)
{
	uint64_t u;
	if (!get_varint(c, &u))
		return false;
	*v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
	return true;
}

/* A string value (tag already read): a new copy the caller owns, or NULL. */
static char *get_string(struct cur *c, int tag)
{
	uint64_t n;
	if (tag == T_REF) {
		if (!get_varint(c, &n))
			return NULL;
		if (n >= c->r->n_dict)
			return fail(c, "a string refers past the dictionary"), NULL;
		return xstrdup(c->r->dict[n]);
	}
	if (tag != T_STR && tag != T_LIT)
		return fail(c, "a key is not a string"), NULL;
	if (!get_varint(c, &n))
		return NULL;
	if (n > c->n - c->i)
		return fail(c, "a string runs past the frame"), NULL;
	char *s = xmalloc((size_t)n + 1);
	memcpy(s, c->p + c->i, (size_t)n);
	s[n] = '\0';
	c->i += (size_t)n;
	if (tag == T_STR) {
		struct rec_reader *r = c->r;
		if (r->n_dict >= REC_MAX_DICT || r->dict_bytes + n > REC_MAX_DICT_BYTES) {
			free(s);
			return fail(c, "the dictionary passes its cap"), NULL;
		}
		if (r->n_dict == r->cap_dict) {
			r->cap_dict = r->cap_dict ? r->cap_dict * 2 : 1024;
			r->dict = xrealloc(r->dict, r->cap_dict * sizeof(*r->dict));
		}
		r->dict[r->n_dict++] = xstrdup(s);
		r->dict_bytes += (size_t)n;
	}
	return s;
}

static cJSON *get_value(struct cur *c, int depth)
{
	if (c->i >= c->n)
		return fail(c, "a value runs past the frame"), NULL;
	int tag = c->p[c->i++];
	switch (tag) {
	case T_NULL:
		return cJSON_CreateNull();
	case T_FALSE:
		return cJSON_CreateFalse();
	case T_TRUE:
		return cJSON_CreateTrue();
	case T_INT: {
		int64_t v;
		return get_zigzag(c, &v) ? cJSON_CreateNumber((double)v) : NULL;
	}
	case T_DOUBLE: {
		double d;
		if (c->n - c->i < 8)
			return fail(c, "a number runs past the frame"), NULL;
		memcpy(&d, c->p + c->i, 8);
		c->i += 8;
		return cJSON_CreateNumber(d);
	}
	case T_STR:
	case T_REF:
	case T_LIT: {
		char *s = get_string(c, tag);
		if (!s)
			return NULL;
		cJSON *v = cJSON_CreateString(s);
		free(s);
		return v;
	}
	case T_ARR:
	case T_OBJ:
		break;
	default:
		return fail(c, "unknown value tag"), NULL;
	}
	uint64_t count;
	if (depth >= REC_MAX_DEPTH)
		return fail(c, "nested too deep"), NULL;
	if (!get_varint(c, &count))
		return NULL;
	/* Every member takes a byte at least, a key and a value two. */
	if (count > (c->n - c->i) / (tag == T_OBJ ? 2 : 1))
		return fail(c, "more members than the frame can hold"), NULL;
	cJSON *v = tag == T_OBJ ? cJSON_CreateObject() : cJSON_CreateArray();
	for (uint64_t k = 0; k < count; k++) {
		char *key = NULL;
		if (tag == T_OBJ) {
			if (c->i >= c->n) {
				fail(c, "a key runs past the frame");
				break;
			}
			int kt = c->p[c->i++];
			if (!(key = get_string(c, kt)))
				break;
		}
		cJSON *m = get_value(c, depth + 1);
		if (!m) {
			free(key);
			break;
		}
		if (key)
			cJSON_AddItemToObject(v, key, m);
		else
			cJSON_AddItemToArray(v, m);
		free(key);
	}
	if (c->why) {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

static bool is_magic(const struct rec_reader *r, size_t at)
{
	return r->len - at >= sizeof(rec_magic) && memcmp(r->data + at, rec_magic, sizeof(rec_magic)) == 0;
}

/* The frame at r->pos: its payload in *c, r->pos past it. */
static bool get_frame(struct rec_reader *r, struct cur *c)
{
	struct cur h = {r, r->data, r->len, r->pos, NULL};
	uint64_t n;
	if (!get_varint(&h, &n))
		return fail(c, "a frame's length is cut off");
	if (n > REC_MAX_FRAME)
		return fail(c, "a frame passes the 64 MiB cap");
	if (r->len - h.i < 4 || n > r->len - h.i - 4)
		return fail(c, "a frame is cut off (torn write)");
	const uint8_t *crc = r->data + h.i;
	uint32_t want = (uint32_t)crc[0] | (uint32_t)crc[1] << 8 | (uint32_t)crc[2] << 16 |
			(uint32_t)crc[3] << 24;
	const uint8_t *payload = crc + 4;
	if (rec_crc32(payload, (size_t)n) != want)
		return fail(c, "a frame's checksum does not match");
	*c = (struct cur){r, payload, (size_t)n, 0, NULL};
	r->pos = h.i + 4 + (size_t)n;
	return true;
}

static bool get_header(struct rec_reader *r, struct cur *c)
{
	int64_t base;
	if (!get_frame(r, c) || !get_zigzag(c, &base))
		return false;
	if (c->i >= c->n || c->p[c->i++] != T_LIT)
		return fail(c, "a segment header has no context");
	char *ctx = get_string(c, T_LIT);
	if (!ctx)
		return false;
	size_t n = strlen(ctx);
	if (n > REC_MAX_CONTEXT) {
		free(ctx);
		return fail(c, "a context name passes its cap");
	}
	memcpy(r->context, ctx, n + 1);
	free(ctx);
	reader_dict_clear(r);
	r->last_ms = base;
	return c->i == c->n || fail(c, "a segment header has bytes left over");
}

static bool get_event(struct rec_reader *r, struct cur *c, struct rec_event *ev)
{
	int64_t dt;
	if (!get_frame(r, c) || !get_zigzag(c, &dt))
		return false;
	if (c->n - c->i < 2)
		return fail(c, "an event has no operation");
	uint8_t op = c->p[c->i++];
	uint8_t kind = c->p[c->i++];
	if (op < REC_LIST_BEGIN || op > REC_OP_MAX)
		return fail(c, "an event has an unknown operation");
	/* Times a hostile file sends to the edge of int64 stay there. */
	if ((dt > 0 && r->last_ms > INT64_MAX - dt) || (dt < 0 && r->last_ms < INT64_MIN - dt))
		return fail(c, "an event's time overflows");
	r->last_ms += dt;
	*ev = (struct rec_event){.t_ms = r->last_ms, .op = op, .kind = kind};
	if (op == REC_UPSERT || op == REC_DELETE) {
		if (!(r->obj = get_value(c, 0)))
			return false;
		ev->object = r->obj;
	} else if (op == REC_STATUS || op == REC_CLOCK) {
		if (!get_zigzag(c, &ev->value))
			return false;
		if (op == REC_STATUS) {
			if (c->i >= c->n)
				return fail(c, "a status has no text");
			int tag = c->p[c->i++];
			if (!(r->text = get_string(c, tag)))
				return false;
			ev->text = r->text;
		}
	}
	return c->i == c->n || fail(c, "an event has bytes left over");
}

static void damaged(struct rec_reader *r, size_t at, const char *why)
{
	r->damage++;
	snprintf(r->last_damage, sizeof(r->last_damage), "byte %zu: %s", at, why);
	r->in_segment = false;
	reader_drop_event(r);
	/* On to the next segment header after the damage. */
	size_t from = at + 1;
	while (from < r->len && !is_magic(r, from))
		from++;
	r->pos = from < r->len ? from : r->len;
}

int rec_reader_next(struct rec_reader *r, struct rec_event *ev, struct perr *err)
{
	reader_drop_event(r);
	if (r->pos == 0 && r->len && !is_magic(r, 0)) {
		perr_set(err, PERR_CONFIG, "not a podscope recording: no header at byte 0");
		return -1;
	}
	while (r->pos < r->len) {
		size_t at = r->pos;
		struct cur c = {r, NULL, 0, 0, NULL};
		if (is_magic(r, at)) {
			r->pos += sizeof(rec_magic);
			if (!get_header(r, &c)) {
				damaged(r, at, c.why);
				continue;
			}
			r->in_segment = true;
			r->segments++;
			r->segment_at = at;
			continue;
		}
		if (!r->in_segment) {
			damaged(r, at, "bytes outside any segment");
			continue;
		}
		if (get_event(r, &c, ev))
			return 1;
		damaged(r, at, c.why ? c.why : "a damaged frame");
	}
	return 0;
}

int rec_apply(struct store *s, const struct rec_event *ev)
{
	if (ev->op != REC_CLOCK && ev->kind >= STORE_NKINDS)
		return -1;
	enum store_kind k = (enum store_kind)ev->kind;
	switch (ev->op) {
	case REC_LIST_BEGIN:
		store_replace_begin(s, k);
		return 1;
	case REC_LIST_END:
		store_replace_end(s, k);
		return 1;
	case REC_UPSERT:
		/* A refused object was refused live too: the same answer. */
		store_upsert_json(s, k, ev->object, NULL);
		return 1;
	case REC_DELETE:
		store_delete_json(s, k, ev->object);
		return 1;
	default:
		return 0;
	}
}
