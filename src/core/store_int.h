#ifndef PODSCOPE_STORE_INT_H
#define PODSCOPE_STORE_INT_H

/* The store's insides, shared by src/core/store*.c only. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/intern.h"
#include "podscope/model.h"
#include "podscope/store.h"

/* An open-addressing table of pointers to items that know their hash. */
struct ptable {
	void **slots;
	size_t cap; /* a power of two, or 0 */
	size_t count;
	uint32_t (*hash_of)(const void *item);
};

typedef bool (*ptable_eq_fn)(const void *item, const void *key);

/* The slot of the item equal to key, or SIZE_MAX. */
size_t ptable_find(const struct ptable *t, uint32_t h, ptable_eq_fn eq, const void *key);
void ptable_insert(struct ptable *t, void *item, uint32_t h);
void ptable_remove_at(struct ptable *t, size_t slot);
void ptable_free(struct ptable *t);

uint32_t store_hash(const char *s, uint32_t h);
#define STORE_HASH_INIT 2166136261u

/* The header in front of every object's struct (40 bytes). The object's
 * resourceVersion is the first string after the struct (store.c: rv_of). */
struct sobj {
	struct sobj *pnext, *pprev; /* the parent bucket's list */
	uint64_t changed;
	uint32_t hash;
	uint32_t epoch;
	uint32_t size;
	uint8_t kind;
	uint8_t indexed; /* in a parent bucket */
};

#define SOBJ_OF(obj) ((struct sobj *)((char *)(obj) - sizeof(struct sobj)))
#define SOBJ_DATA(h) ((void *)((char *)(h) + sizeof(struct sobj)))

/* Events' least-recently-updated list, after the struct event in the block. */
struct sage {
	struct sobj *next, *prev;
};

/* All children of one parent uid. */
struct pbucket {
	const char *key; /* interned, one reference held */
	struct sobj *head, *tail;
	size_t n;
	uint32_t hash;
};

struct skind {
	struct ptable objs;    /* struct sobj *, by namespace/name */
	struct ptable parents; /* struct pbucket *, by parent uid */
	uint64_t gen;
	size_t bytes;
	uint32_t epoch;
	struct sobj *age_head[2], *age_tail[2]; /* events: [0] Normal, [1] Warning */
};

struct sub {
	store_change_fn fn;
	void *ud;
};

struct store {
	struct intern *strings;
	struct skind kinds[STORE_NKINDS];
	uint64_t gen;
	size_t event_limit;
	struct sub *subs;
	size_t nsubs;
	store_input_fn input_fn; /* store_set_input_observer */
	void *input_ud;
	struct model_arena scratch;
	struct ptable blobs; /* shared arrays (store_blob.c) */
	size_t blob_bytes;
};

/* A walker that releases interned strings. */
struct sblob_walk {
	struct model_walk w;
	struct intern *strings;
};

/* Shared arrays (store_blob.c). sblob_get takes over arr's string references
 * and returns the shared copy (one more reference); sblob_release drops one. */
void *sblob_get(struct store *s, enum model_share what, void *arr, uint16_t n);
void sblob_release(struct store *s, void *arr);

/* Per kind: the struct, how to decode and walk it, where its keys are. */
struct kind_ops {
	const char *name;
	const char *kind;
	size_t size;
	int (*decode)(const struct cJSON *obj, void *out, struct model_arena *a,
		      const struct model_decode_opts *o, struct perr *err);
	void (*walk)(void *obj, struct model_walk *w);
	/* NULL when kind is not indexed by parent. */
	const char *(*parent)(const void *obj);
	int ns_off; /* -1 for cluster-scoped kinds */
	int name_off;
	int uid_off;
};

extern const struct kind_ops store_kinds[STORE_NKINDS];

const char *sobj_ns(const struct sobj *h);
const char *sobj_name(const struct sobj *h);

/* Parent index (store_index.c). */
void sindex_add(struct store *s, struct sobj *h);
void sindex_remove(struct store *s, struct sobj *h);
const struct pbucket *sindex_bucket(const struct store *s, enum store_kind k, const char *uid);

#endif
