#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/intern.h"
#include "podscope/recfile.h"
#include "podscope/xalloc.h"

#include "recfile_int.h"

/*
 * Segment: rec_magic, then frames. Frame: varint n, CRC-32 (4 bytes, little
 * endian) of the n payload bytes, the payload. The first frame of a segment
 * is its header: varint zigzag base time, varint context length, context.
 * Every other payload: varint zigzag ms since the previous frame (the base
 * for the first), op, kind, then by op:
 *   REC_UPSERT, REC_DELETE: a value (the object)
 *   REC_STATUS: varint zigzag value, a string value (the error)
 *   REC_CLOCK:  varint zigzag value
 * Values, one tag byte first:
 *   T_NULL T_FALSE T_TRUE
 *   T_INT varint zigzag (integral numbers within 2^53), T_DOUBLE 8 bytes
 *   T_STR varint length, bytes (then dictionary entry dict_count++)
 *   T_REF varint index into the segment's dictionary
 *   T_LIT varint length, bytes (a long string, kept out of the dictionary)
 *   T_ARR varint count, values; T_OBJ varint count, (key value, value)...
 */

const uint8_t rec_magic[8] = {0x89, 'P', 'S', 'R', 'E', 'C', '1', '\n'};

/* Strings longer than this are written out each time (messages, images'
 * digests repeat; a last-applied-configuration does not). */
#define DICT_MAX_STR 1024

static uint32_t crc_table[256];

static void crc_init(void)
{
	if (crc_table[1])
		return;
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

uint32_t rec_crc32(const uint8_t *p, size_t n)
{
	crc_init();
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* ---- writing ---- */

static void put_varint(struct buf *b, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;
	do {
		tmp[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	buf_add(b, tmp, n);
}

static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

struct dslot {
	char *s; /* NULL: free */
	size_t len;
	uint32_t hash;
	uint32_t index;
};

struct rec_writer {
	char context[REC_MAX_CONTEXT + 1];
	struct dslot *slots;
	size_t cap; /* a power of two */
	size_t count;
	size_t bytes;
	bool in_segment;
	bool lean;
	int64_t last_ms;
	struct buf payload;
};

void rec_writer_set_lean(struct rec_writer *w, bool lean)
{
	w->lean = lean;
}

/* What a lean recording leaves out of an object whose member it is (parent:
 * the key of the object, or of the array it is an item of). */
static bool lean_skip(const char *parent, const char *key)
{
	if (!parent || !key)
		return false;
	if (strcmp(key, "managedFields") == 0)
		return strcmp(parent, "metadata") == 0;
	if (strcmp(key, "kubectl.kubernetes.io/last-applied-configuration") == 0)
		return strcmp(parent, "annotations") == 0;
	if (strcmp(key, "env") == 0 || strcmp(key, "envFrom") == 0)
		return strcmp(parent, "containers") == 0 || strcmp(parent, "initContainers") == 0 ||
		       strcmp(parent, "ephemeralContainers") == 0;
	return false;
}

struct rec_writer *rec_writer_new(const char *context)
{
	struct rec_writer *w = xcalloc(1, sizeof(*w));
	size_t n = context ? strlen(context) : 0;
	if (n > REC_MAX_CONTEXT)
		n = REC_MAX_CONTEXT;
	if (n)
		memcpy(w->context, context, n);
	return w;
}

static void dict_clear(struct rec_writer *w)
{
	for (size_t i = 0; i < w->cap; i++)
		free(w->slots[i].s);
	free(w->slots);
	w->slots = NULL;
	w->cap = w->count = w->bytes = 0;
}

void rec_writer_restart(struct rec_writer *w)
{
	dict_clear(w);
	w->in_segment = false;
}

void rec_writer_free(struct rec_writer *w)
{
	if (!w)
		return;
	dict_clear(w);
	buf_free(&w->payload);
	free(w);
}

static struct dslot *dict_find(struct rec_writer *w, const char *s, size_t n, uint32_t h)
{
	size_t mask = w->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct dslot *d = &w->slots[i];
		if (!d->s || (d->hash == h && d->len == n && memcmp(d->s, s, n) == 0))
			return d;
	}
}

static void dict_grow(struct rec_writer *w)
{
	struct dslot *old = w->slots;
	size_t ocap = w->cap;
	w->cap = ocap ? ocap * 2 : 1024;
	w->slots = xcalloc(w->cap, sizeof(*w->slots));
	for (size_t i = 0; i < ocap; i++)
		if (old[i].s)
			*dict_find(w, old[i].s, old[i].len, old[i].hash) = old[i];
	free(old);
}

static void put_bytes(struct buf *b, int tag, const char *s, size_t n)
{
	buf_addc(b, (char)tag);
	put_varint(b, n);
	buf_add(b, s, n);
}

static void put_string(struct rec_writer *w, struct buf *b, const char *s)
{
	size_t n = strlen(s);
	if (n > DICT_MAX_STR) {
		put_bytes(b, T_LIT, s, n);
		return;
	}
	if ((w->count + 1) * 2 > w->cap)
		dict_grow(w);
	uint32_t h = intern_hash(s, n);
	struct dslot *d = dict_find(w, s, n, h);
	if (d->s) {
		buf_addc(b, T_REF);
		put_varint(b, d->index);
		return;
	}
	/* A full dictionary takes no more: the writer starts a new segment
	 * before the next event (rec_writer_event). */
	if (w->count < REC_MAX_DICT && w->bytes + n <= REC_MAX_DICT_BYTES) {
		d->s = xmalloc(n + 1);
		memcpy(d->s, s, n + 1);
		d->len = n;
		d->hash = h;
		d->index = (uint32_t)w->count++;
		w->bytes += n;
		put_bytes(b, T_STR, s, n);
		return;
	}
	put_bytes(b, T_LIT, s, n);
}

static void put_value(struct rec_writer *w, struct buf *b, const cJSON *v, const char *parent,
		      int depth)
{
	if (!v || depth >= REC_MAX_DEPTH || cJSON_IsNull(v) || cJSON_IsInvalid(v)) {
		buf_addc(b, T_NULL);
	} else if (cJSON_IsFalse(v)) {
		buf_addc(b, T_FALSE);
	} else if (cJSON_IsTrue(v)) {
		buf_addc(b, T_TRUE);
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == (double)(int64_t)d) {
			buf_addc(b, T_INT);
			put_varint(b, zigzag((int64_t)d));
		} else {
			uint8_t raw[8];
			memcpy(raw, &d, 8);
			buf_addc(b, T_DOUBLE);
			buf_add(b, raw, 8);
		}
	} else if (cJSON_IsString(v)) {
		put_string(w, b, v->valuestring ? v->valuestring : "");
	} else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		bool obj = cJSON_IsObject(v);
		/* An array's items go by the array's key. */
		const char *items = v->string ? v->string : parent;
		uint64_t n = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, v)
		{
			if (!(obj && w->lean && lean_skip(items, e->string)))
				n++;
		}
		buf_addc(b, obj ? T_OBJ : T_ARR);
		put_varint(b, n);
		cJSON_ArrayForEach(e, v)
		{
			if (obj && w->lean && lean_skip(items, e->string))
				continue;
			if (obj)
				put_string(w, b, e->string ? e->string : "");
			put_value(w, b, e, items, depth + 1);
		}
	} else {
		buf_addc(b, T_NULL); /* cJSON_Raw: podscope never makes one */
	}
}

static void put_frame(struct buf *out, const struct buf *payload)
{
	put_varint(out, payload->len);
	uint32_t c = rec_crc32((const uint8_t *)payload->data, payload->len);
	uint8_t le[4] = {(uint8_t)c, (uint8_t)(c >> 8), (uint8_t)(c >> 16), (uint8_t)(c >> 24)};
	buf_add(out, le, 4);
	buf_add(out, payload->data, payload->len);
}

bool rec_writer_event(struct rec_writer *w, const struct rec_event *ev, struct buf *out)
{
	if (w->in_segment && (w->count >= REC_MAX_DICT || w->bytes >= REC_MAX_DICT_BYTES))
		rec_writer_restart(w);
	struct buf *p = &w->payload;
	if (!w->in_segment) {
		buf_add(out, rec_magic, sizeof(rec_magic));
		buf_reset(p);
		put_varint(p, zigzag(ev->t_ms));
		put_bytes(p, T_LIT, w->context, strlen(w->context));
		put_frame(out, p);
		w->in_segment = true;
		w->last_ms = ev->t_ms;
	}
	buf_reset(p);
	put_varint(p, zigzag(ev->t_ms - w->last_ms));
	w->last_ms = ev->t_ms;
	buf_addc(p, (char)ev->op);
	buf_addc(p, (char)ev->kind);
	switch (ev->op) {
	case REC_UPSERT:
	case REC_DELETE:
		put_value(w, p, ev->object, NULL, 0);
		break;
	case REC_STATUS:
		put_varint(p, zigzag(ev->value));
		put_string(w, p, ev->text ? ev->text : "");
		break;
	case REC_CLOCK:
		put_varint(p, zigzag(ev->value));
		break;
	default:
		break;
	}
	if (p->len > REC_MAX_FRAME)
		return false; /* its strings stay in the dictionary: harmless */
	put_frame(out, p);
	return true;
}
