#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "cmd_common.h"

/* The last stage printed per pod, for watch and wait: open addressing with
 * linear probing, keyed by a 64-bit hash of namespace/name (no strings
 * kept, so 100,000 pods cost 4 MB at most). */

uint64_t cmd_pod_key(const char *ns, const char *name)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *s = ns ? ns : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h = (h ^ '/') * 1099511628211ULL;
	for (const char *s = name ? name : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ? h : 1;
}

struct cmd_pstate *cmd_stab_find(struct cmd_stab *t, uint64_t key)
{
	if (!t->cap)
		return NULL;
	for (size_t i = key & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (t->tab[i].key == key)
			return &t->tab[i];
		if (!t->tab[i].key)
			return NULL;
	}
}

struct cmd_pstate *cmd_stab_insert(struct cmd_stab *t, uint64_t key, bool *fresh)
{
	if ((t->count + 1) * 4 > t->cap * 3) {
		size_t ocap = t->cap;
		struct cmd_pstate *old = t->tab;
		t->cap = ocap ? ocap * 2 : 256;
		t->tab = xcalloc(t->cap, sizeof(*t->tab));
		t->count = 0;
		for (size_t i = 0; i < ocap; i++)
			if (old[i].key)
				*cmd_stab_insert(t, old[i].key, NULL) = old[i];
		free(old);
	}
	size_t i = key & (t->cap - 1);
	while (t->tab[i].key && t->tab[i].key != key)
		i = (i + 1) & (t->cap - 1);
	bool is_new = !t->tab[i].key;
	if (is_new) {
		memset(&t->tab[i], 0, sizeof(t->tab[i]));
		t->tab[i].key = key;
		t->count++;
	}
	if (fresh)
		*fresh = is_new;
	return &t->tab[i];
}

/* Backward-shift deletion: no tombstones to clean up later. */
void cmd_stab_remove(struct cmd_stab *t, struct cmd_pstate *e)
{
	size_t mask = t->cap - 1, i = (size_t)(e - t->tab), j = i;
	t->tab[i].key = 0;
	t->count--;
	for (;;) {
		j = (j + 1) & mask;
		if (!t->tab[j].key)
			return;
		size_t home = t->tab[j].key & mask;
		/* j stays unless its home lies cyclically in (i, j]. */
		if ((i <= j) ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		t->tab[i] = t->tab[j];
		t->tab[j].key = 0;
		i = j;
	}
}

/* A fresh table of the live entries: removing in place while walking could
 * shift a live entry that was already visited past the walk and lose it. */
void cmd_stab_sweep(struct cmd_stab *t)
{
	struct cmd_stab n = {0};
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->tab[i].key || !t->tab[i].live)
			continue;
		struct cmd_pstate *e = cmd_stab_insert(&n, t->tab[i].key, NULL);
		*e = t->tab[i];
		e->live = 0;
	}
	free(t->tab);
	*t = n;
}

void cmd_stab_free(struct cmd_stab *t)
{
	free(t->tab);
	memset(t, 0, sizeof(*t));
}
