#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/generations.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"

static bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

bool generations_owned_by(const struct deployment *d, const struct replicaset *rs)
{
	if (!str_eq(d->namespace, rs->namespace))
		return false;
	const struct owner_ref *o = model_controller_of(rs->owners, rs->n_owners);
	if (!o)
		return false;
	if (!str_eq(o->kind, "Deployment"))
		return false;
	if (!str_eq(o->name, d->name))
		return false;
	/* A Deployment deleted and made again under the same name has a new uid. */
	return !(o->uid && *o->uid && d->uid && *d->uid) || strcmp(o->uid, d->uid) == 0;
}

static int64_t parse_revision(const char *s)
{
	if (!s || !*s)
		return 0;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < 0)
		return 0;
	return v;
}

static bool same_list(const char *const *a, uint16_t na, const char *const *b, uint16_t nb)
{
	if (na != nb)
		return false;
	for (uint16_t i = 0; i < na; i++)
		if (!str_eq(a[i], b[i]))
			return false;
	return true;
}

static int cmp_gen(const void *x, const void *y)
{
	const struct gen_rs *a = x, *b = y;
	if (a->revision != b->revision)
		return a->revision < b->revision ? -1 : 1;
	if (a->rs->created != b->rs->created)
		return a->rs->created < b->rs->created ? -1 : 1;
	return strcmp(a->rs->name ? a->rs->name : "", b->rs->name ? b->rs->name : "");
}

/* Later in the sorted order wins: the higher revision, the newer object. */
static int pick_new(const struct deployment *d, const struct gen_rs *g, size_t n, const char **by)
{
	int found = -1;
	if (d->observed_generation >= d->generation && d->revision && *d->revision) {
		for (size_t i = 0; i < n; i++)
			if (str_eq(g[i].rs->revision, d->revision))
				found = (int)i;
		if (found >= 0) {
			*by = "revision";
			return found;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (g[i].images_match)
			found = (int)i;
	*by = found >= 0 ? "images" : "";
	return found;
}

void generations_build(const struct deployment *d, const struct replicaset *const *rss, size_t n,
		       struct generations *out)
{
	memset(out, 0, sizeof(*out));
	out->d = d;
	out->new_index = -1;
	out->new_by = "";
	out->rs = xcalloc(n ? n : 1, sizeof(*out->rs));
	out->n = n;
	for (size_t i = 0; i < n; i++) {
		const struct replicaset *rs = rss[i];
		struct gen_rs *g = &out->rs[i];
		g->rs = rs;
		g->revision = parse_revision(rs->revision);
		g->images_match =
		    same_list(rs->images, rs->n_images, d->images, d->n_images) &&
		    same_list(rs->init_images, rs->n_init_images, d->init_images, d->n_init_images);
		g->desired = rs->has_spec_replicas ? rs->spec_replicas : 0;
		g->current = rs->replicas;
		g->ready = rs->ready_replicas;
		g->available = rs->available_replicas;
	}
	if (n > 1)
		qsort(out->rs, n, sizeof(*out->rs), cmp_gen);
	out->new_index = pick_new(d, out->rs, n, &out->new_by);
	for (size_t i = 0; i < n; i++) {
		struct gen_rs *g = &out->rs[i];
		g->is_new = (int)i == out->new_index;
		if (!g->is_new) {
			out->old_current += g->current;
			out->old_available += g->available;
		}
	}
	rollout_budget(d, &out->budget);
	rollout_status(d, 0, &out->status);
}

void generations_free(struct generations *g)
{
	free(g->rs);
	g->rs = NULL;
	g->n = 0;
}

const struct gen_rs *generations_new(const struct generations *g)
{
	return g->new_index >= 0 ? &g->rs[g->new_index] : NULL;
}

const struct gen_rs *generations_find(const struct generations *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (str_eq(g->rs[i].rs->name, name))
			return &g->rs[i];
	return NULL;
}

const char *generations_strategy_name(const struct deployment *d)
{
	switch (d->strategy.type) {
	case DEPLOY_ROLLING_UPDATE:
		return "RollingUpdate";
	case DEPLOY_RECREATE:
		return "Recreate";
	default:
		return "Other";
	}
}

const struct replicaset **generations_collect(const struct store *st, const struct deployment *d,
					      size_t *n)
{
	size_t cap = 8;
	const struct replicaset **v = xcalloc(cap, sizeof(*v));
	*n = 0;
	struct store_iter it;
	const struct replicaset *rs;
	store_iter_all(&it, st, STORE_REPLICASETS, d->namespace);
	while ((rs = store_iter_next(&it))) {
		if (!generations_owned_by(d, rs))
			continue;
		if (*n == cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[(*n)++] = rs;
	}
	return v;
}
