#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/intern.h"
#include "podscope/xalloc.h"

/*
 * Open addressing with linear probing over pointers to entries; deletion
 * shifts the following run back, so there are no tombstones and a table
 * that sees endless churn never degrades.
 */
struct entry {
	uint32_t hash;
	uint32_t refs;
	size_t len;
	char s[];
};

struct intern {
	struct entry **slots;
	size_t cap; /* a power of two */
	size_t count;
	size_t bytes;
};

static char empty[1];

uint32_t intern_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

struct intern *intern_new(void)
{
	struct intern *in = xcalloc(1, sizeof(*in));
	in->cap = 64;
	in->slots = xcalloc(in->cap, sizeof(*in->slots));
	return in;
}

void intern_free(struct intern *in)
{
	if (!in)
		return;
	for (size_t i = 0; i < in->cap; i++)
		free(in->slots[i]);
	free(in->slots);
	free(in);
}

static void grow(struct intern *in)
{
	size_t ncap = in->cap * 2;
	struct entry **ns = xcalloc(ncap, sizeof(*ns));
	for (size_t i = 0; i < in->cap; i++) {
		struct entry *e = in->slots[i];
		if (!e)
			continue;
		size_t j = e->hash & (ncap - 1);
		while (ns[j])
			j = (j + 1) & (ncap - 1);
		ns[j] = e;
	}
	free(in->slots);
	in->slots = ns;
	in->cap = ncap;
}

/* The slot holding s[0..n), or the empty slot where it would go. */
static size_t probe(const struct intern *in, const char *s, size_t n, uint32_t h)
{
	size_t i = h & (in->cap - 1);
	for (;;) {
		const struct entry *e = in->slots[i];
		if (!e || (e->hash == h && e->len == n && memcmp(e->s, s, n) == 0))
			return i;
		i = (i + 1) & (in->cap - 1);
	}
}

const char *intern_getn(struct intern *in, const char *s, size_t n)
{
	if (!s || n == 0)
		return empty;
	uint32_t h = intern_hash(s, n);
	size_t i = probe(in, s, n, h);
	if (in->slots[i]) {
		in->slots[i]->refs++;
		return in->slots[i]->s;
	}
	if ((in->count + 1) * 4 > in->cap * 3) {
		grow(in);
		i = probe(in, s, n, h);
	}
	struct entry *e = xmalloc(sizeof(*e) + n + 1);
	e->hash = h;
	e->refs = 1;
	e->len = n;
	memcpy(e->s, s, n);
	e->s[n] = '\0';
	in->slots[i] = e;
	in->count++;
	in->bytes += sizeof(*e) + n + 1;
	return e->s;
}

const char *intern_get(struct intern *in, const char *s)
{
	return intern_getn(in, s, s ? strlen(s) : 0);
}

static size_t slot_of(const struct intern *in, const char *s)
{
	size_t n = strlen(s);
	size_t i = probe(in, s, n, intern_hash(s, n));
	if (in->slots[i] && in->slots[i]->s == s)
		return i;
	return SIZE_MAX;
}

void intern_release(struct intern *in, const char *s)
{
	if (!s || !*s)
		return;
	size_t i = slot_of(in, s);
	if (i == SIZE_MAX)
		return;
	struct entry *e = in->slots[i];
	if (--e->refs > 0)
		return;
	in->bytes -= sizeof(*e) + e->len + 1;
	in->count--;
	free(e);
	in->slots[i] = NULL;
	/* Backward shift: move every entry of the run that could live at i. */
	size_t mask = in->cap - 1;
	size_t j = i;
	for (;;) {
		j = (j + 1) & mask;
		struct entry *f = in->slots[j];
		if (!f)
			break;
		size_t home = f->hash & mask;
		/* f may move to i when home is not cyclically in (i, j]. */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			in->slots[i] = f;
			in->slots[j] = NULL;
			i = j;
		}
	}
}

const char *intern_find(const struct intern *in, const char *s)
{
	if (!s || !*s)
		return NULL;
	size_t n = strlen(s);
	size_t i = probe(in, s, n, intern_hash(s, n));
	return in->slots[i] ? in->slots[i]->s : NULL;
}

size_t intern_count(const struct intern *in)
{
	return in->count;
}

size_t intern_bytes(const struct intern *in)
{
	return in->bytes + in->cap * sizeof(*in->slots);
}

unsigned intern_refs(const struct intern *in, const char *s)
{
	if (!s || !*s)
		return 0;
	size_t i = slot_of(in, s);
	return i == SIZE_MAX ? 0 : in->slots[i]->refs;
}
