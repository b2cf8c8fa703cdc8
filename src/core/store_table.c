#include "config.h"

#include <stdlib.h>

#include "podscope/xalloc.h"

#include "store_int.h"

/* Linear probing; deletion shifts the run back, so churn leaves no tombstones. */

uint32_t store_hash(const char *s, uint32_t h)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

size_t ptable_find(const struct ptable *t, uint32_t h, ptable_eq_fn eq, const void *key)
{
	if (!t->cap)
		return SIZE_MAX;
	size_t mask = t->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		void *item = t->slots[i];
		if (!item)
			return SIZE_MAX;
		if (t->hash_of(item) == h && eq(item, key))
			return i;
	}
}

static void put(void **slots, size_t cap, void *item, uint32_t h)
{
	size_t i = h & (cap - 1);
	while (slots[i])
		i = (i + 1) & (cap - 1);
	slots[i] = item;
}

void ptable_insert(struct ptable *t, void *item, uint32_t h)
{
	if ((t->count + 1) * 4 > t->cap * 3) {
		size_t ncap = t->cap ? t->cap * 2 : 16;
		void **ns = xcalloc(ncap, sizeof(*ns));
		for (size_t i = 0; i < t->cap; i++)
			if (t->slots[i])
				put(ns, ncap, t->slots[i], t->hash_of(t->slots[i]));
		free(t->slots);
		t->slots = ns;
		t->cap = ncap;
	}
	put(t->slots, t->cap, item, h);
	t->count++;
}

void ptable_remove_at(struct ptable *t, size_t i)
{
	size_t mask = t->cap - 1;
	t->slots[i] = NULL;
	t->count--;
	for (size_t j = (i + 1) & mask; t->slots[j]; j = (j + 1) & mask) {
		size_t home = t->hash_of(t->slots[j]) & mask;
		/* The item at j may move to i unless its home is cyclically in (i, j]. */
		bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!stays) {
			t->slots[i] = t->slots[j];
			t->slots[j] = NULL;
			i = j;
		}
	}
}

void ptable_free(struct ptable *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->count = 0;
}
