#include "config.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "store_int.h"

/*
 * Shared arrays: the labels, ownerReferences and container specs (with
 * probes and hooks) that all pods of one ReplicaSet hold identically live
 * once, reference-counted, like interned strings.
 */

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

struct blob {
	uint32_t hash;
	uint32_t refs;
	uint32_t size; /* the whole allocation */
	uint16_t n;
	uint8_t what;
	alignas(8) unsigned char data[];
};

#define BLOB_OF(arr) ((struct blob *)((char *)(arr)-offsetof(struct blob, data)))

static size_t elem_size(enum model_share what)
{
	switch (what) {
	case MODEL_SHARE_KV:
		return sizeof(struct model_kv);
	case MODEL_SHARE_OWNERS:
		return sizeof(struct owner_ref);
	case MODEL_SHARE_SPECS:
		return sizeof(struct container_spec);
	}
	return 0;
}

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}

/* The probes and hooks of a spec, in a fixed order. */
#define NSUB 5
static void subs(const struct container_spec *c, const void *sub[NSUB], size_t size[NSUB])
{
	sub[0] = c->startup;
	sub[1] = c->readiness;
	sub[2] = c->liveness;
	sub[3] = c->post_start;
	sub[4] = c->pre_stop;
	size[0] = size[1] = size[2] = sizeof(struct probe);
	size[3] = size[4] = sizeof(struct hook);
}

static uint32_t hash_arr(enum model_share what, const void *arr, uint16_t n)
{
	uint32_t h = fnv(STORE_HASH_INIT, &what, sizeof(what));
	if (what != MODEL_SHARE_SPECS)
		return fnv(h, arr, elem_size(what) * n);
	const struct container_spec *c = arr;
	for (uint16_t i = 0; i < n; i++) {
		const void *sub[NSUB];
		size_t size[NSUB];
		h = fnv(h, &c[i].name, sizeof(c[i].name));
		h = fnv(h, &c[i].image, sizeof(c[i].image));
		h = fnv(h, &c[i].restartable, 1);
		h = fnv(h, &c[i].req_cpu_milli, sizeof(c[i].req_cpu_milli));
		h = fnv(h, &c[i].req_mem_bytes, sizeof(c[i].req_mem_bytes));
		subs(&c[i], sub, size);
		for (int k = 0; k < NSUB; k++)
			h = sub[k] ? fnv(h, sub[k], size[k]) : fnv(h, "-", 1);
	}
	return h;
}

static bool specs_equal(const struct container_spec *a, const struct container_spec *b, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		const void *sa[NSUB], *sb[NSUB];
		size_t size[NSUB];
		if (a[i].name != b[i].name || a[i].image != b[i].image ||
		    a[i].restartable != b[i].restartable || a[i].req_cpu_milli != b[i].req_cpu_milli ||
		    a[i].req_mem_bytes != b[i].req_mem_bytes)
			return false;
		subs(&a[i], sa, size);
		subs(&b[i], sb, size);
		for (int k = 0; k < NSUB; k++) {
			if (!sa[k] != !sb[k] || (sa[k] && memcmp(sa[k], sb[k], size[k]) != 0))
				return false;
		}
	}
	return true;
}

struct blobkey {
	enum model_share what;
	const void *arr;
	uint16_t n;
};

static bool blob_eq(const void *item, const void *key)
{
	const struct blob *b = item;
	const struct blobkey *k = key;
	if (b->what != k->what || b->n != k->n)
		return false;
	if (k->what == MODEL_SHARE_SPECS)
		return specs_equal((const void *)b->data, k->arr, k->n);
	return memcmp(b->data, k->arr, elem_size(k->what) * k->n) == 0;
}

static uint32_t blob_hash_of(const void *item)
{
	return ((const struct blob *)item)->hash;
}

static void rel_istr(struct model_walk *w, const char **field)
{
	intern_release(((struct sblob_walk *)w)->strings, *field);
}

static void release_elems(struct store *s, enum model_share what, void *arr, uint16_t n)
{
	struct sblob_walk rw = {.w = {.istr = rel_istr}, .strings = s->strings};
	model_walk_shared(what, arr, n, &rw.w);
}

/* A copy of arr in a new blob; probes and hooks follow the specs. */
static struct blob *blob_new(enum model_share what, const void *arr, uint16_t n, uint32_t h)
{
	size_t size = ALIGN8(offsetof(struct blob, data) + elem_size(what) * n);
	const struct container_spec *c = arr;
	if (what == MODEL_SHARE_SPECS) {
		for (uint16_t i = 0; i < n; i++) {
			const void *sub[NSUB];
			size_t sz[NSUB];
			subs(&c[i], sub, sz);
			for (int k = 0; k < NSUB; k++)
				size += sub[k] ? ALIGN8(sz[k]) : 0;
		}
	}
	struct blob *b = xmalloc(size);
	b->hash = h;
	b->refs = 1;
	b->size = (uint32_t)size;
	b->n = n;
	b->what = (uint8_t)what;
	memcpy(b->data, arr, elem_size(what) * n);
	if (what != MODEL_SHARE_SPECS)
		return b;
	char *cur = (char *)b->data + ALIGN8(elem_size(what) * n);
	struct container_spec *dst = (struct container_spec *)(void *)b->data;
	for (uint16_t i = 0; i < n; i++) {
		void **field[NSUB] = {
		    (void **)&dst[i].startup,  (void **)&dst[i].readiness,
		    (void **)&dst[i].liveness, (void **)&dst[i].post_start,
		    (void **)&dst[i].pre_stop,
		};
		const void *sub[NSUB];
		size_t sz[NSUB];
		subs(&c[i], sub, sz);
		for (int k = 0; k < NSUB; k++) {
			if (!sub[k])
				continue;
			memcpy(cur, sub[k], sz[k]);
			*field[k] = cur;
			cur += ALIGN8(sz[k]);
		}
	}
	return b;
}

void *sblob_get(struct store *s, enum model_share what, void *arr, uint16_t n)
{
	struct ptable *t = &s->blobs;
	t->hash_of = blob_hash_of;
	struct blobkey key = {what, arr, n};
	uint32_t h = hash_arr(what, arr, n);
	size_t slot = ptable_find(t, h, blob_eq, &key);
	if (slot != SIZE_MAX) {
		struct blob *b = t->slots[slot];
		b->refs++;
		/* The blob holds its own references to the strings. */
		release_elems(s, what, arr, n);
		return b->data;
	}
	struct blob *b = blob_new(what, arr, n, h);
	ptable_insert(t, b, h);
	s->blob_bytes += b->size;
	return b->data;
}

void sblob_release(struct store *s, void *arr)
{
	struct blob *b = BLOB_OF(arr);
	if (--b->refs > 0)
		return;
	struct blobkey key = {(enum model_share)b->what, b->data, b->n};
	ptable_remove_at(&s->blobs, ptable_find(&s->blobs, b->hash, blob_eq, &key));
	release_elems(s, (enum model_share)b->what, b->data, b->n);
	s->blob_bytes -= b->size;
	free(b);
}

size_t store_shared_bytes(const struct store *s)
{
	return s->blob_bytes + s->blobs.cap * sizeof(void *);
}

size_t store_shared_count(const struct store *s)
{
	return s->blobs.count;
}
