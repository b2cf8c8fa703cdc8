#include "config.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "podscope/jarena.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ALIGN (alignof(max_align_t))

/* Static: no allocation to leak, and only the pages a tree touched count. */
static alignas(max_align_t) char block[JARENA_BYTES];

static struct {
	size_t used;
	bool hooked;
	bool taking;       /* cJSON's allocations come from the block */
	bool spilled;      /* a part of the live tree came from malloc */
	const cJSON *live; /* the tree in the block */
} A;

static bool in_block(const void *p)
{
	uintptr_t u = (uintptr_t)p, b = (uintptr_t)block;
	return u >= b && u < b + sizeof(block);
}

static void *take(size_t n)
{
	if (A.taking) {
		size_t need = (n + ALIGN - 1) & ~(ALIGN - 1);
		if (need >= n && need <= sizeof(block) - A.used) {
			char *p = block + A.used;
			A.used += need;
			UNPOISON(p, n);
			return p;
		}
		A.spilled = true;
	}
	return malloc(n);
}

/* Every cJSON free comes here once the hooks are set: a piece of the block
 * goes back with the whole tree. */
static void give(void *p)
{
	if (!in_block(p))
		free(p);
}

/* Under AddressSanitizer the block is poisoned but for the live tree's
 * pieces, so a pointer kept past jarena_delete is reported as it would be
 * with malloc. */
static void reset(void)
{
	POISON(block, A.used);
	A.used = 0;
	A.spilled = false;
	A.live = NULL;
}

cJSON *jarena_parse(const char *text, size_t len)
{
	if (!A.hooked) {
		cJSON_Hooks h = {.malloc_fn = take, .free_fn = give};
		cJSON_InitHooks(&h);
		A.hooked = true;
		POISON(block, sizeof(block));
	}
	if (A.live)
		return cJSON_ParseWithLength(text, len);
	A.taking = true;
	cJSON *root = cJSON_ParseWithLength(text, len);
	A.taking = false;
	if (!root) {
		/* cJSON freed what it had made; the block is free again. */
		reset();
		return NULL;
	}
	A.live = root;
	return root;
}

void jarena_delete(cJSON *root)
{
	if (!root)
		return;
	if (root != A.live) {
		cJSON_Delete(root);
		return;
	}
	/* Only the pieces that came from malloc need freeing, and only then
	 * is the tree walked. */
	if (A.spilled)
		cJSON_Delete(root);
	reset();
}

size_t jarena_used(void)
{
	return A.live ? A.used : 0;
}

int jarena_spilled(void)
{
	return A.live && A.spilled;
}
