#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/eta.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"

/* Gathering a workload's pods from the store for its estimate. */

struct podvec {
	const struct pod **v;
	size_t n, cap;
};

static void add_children(struct podvec *pv, const struct store *st, const char *uid)
{
	if (!uid || !*uid)
		return;
	size_t more = store_children_count(st, STORE_PODS, uid);
	if (pv->n + more > pv->cap) {
		pv->cap = pv->n + more;
		pv->v = xrealloc(pv->v, (pv->cap ? pv->cap : 1) * sizeof(*pv->v));
	}
	struct store_iter it;
	const void *o;
	store_iter_children(&it, st, STORE_PODS, uid);
	while ((o = store_iter_next(&it)) && pv->n < pv->cap)
		pv->v[pv->n++] = o;
}

static void deployment(const struct store *st, const struct deployment *d, int64_t now_ms,
		       struct eta *out)
{
	size_t nrs;
	const struct replicaset **rss = generations_collect(st, d, &nrs);
	struct generations g;
	generations_build(d, rss, nrs, &g);
	struct podvec pv = {0};
	for (size_t i = 0; i < nrs; i++)
		add_children(&pv, st, rss[i]->uid);
	eta_deployment(&g, pv.v, pv.n, now_ms, out);
	generations_free(&g);
	free(pv.v);
	free(rss);
}

/* The hash label of the DaemonSet's newest ControllerRevision. */
static const char *ds_update_hash(const struct store *st, const struct daemonset *ds)
{
	const struct controller_revision *best = NULL;
	struct store_iter it;
	const struct controller_revision *cr;
	if (!ds->w.uid || !*ds->w.uid)
		return NULL;
	store_iter_children(&it, st, STORE_CONTROLLERREVISIONS, ds->w.uid);
	while ((cr = store_iter_next(&it)))
		if (!best || cr->revision > best->revision)
			best = cr;
	return best ? best->hash : NULL;
}

void eta_store(const struct store *st, enum store_kind k, const void *obj, int64_t now_ms,
	       struct eta *out)
{
	memset(out, 0, sizeof(*out));
	struct podvec pv = {0};
	switch (k) {
	case STORE_DEPLOYMENTS:
		deployment(st, obj, now_ms, out);
		return;
	case STORE_STATEFULSETS: {
		const struct statefulset *s = obj;
		add_children(&pv, st, s->w.uid);
		eta_statefulset(s, pv.v, pv.n, now_ms, out);
		break;
	}
	case STORE_DAEMONSETS: {
		const struct daemonset *ds = obj;
		add_children(&pv, st, ds->w.uid);
		eta_daemonset(ds, ds_update_hash(st, ds), pv.v, pv.n, now_ms, out);
		break;
	}
	default:
		break;
	}
	free(pv.v);
}
