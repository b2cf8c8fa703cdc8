#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrl_deployment_logic.h"
#include "podscope/xalloc.h"

/* The scaling decisions of rolling.go, recreate.go and sync.go. */

void dl_ops_free(struct dl_ops *ops)
{
	free(ops->v);
	memset(ops, 0, sizeof(*ops));
}

static void add_op(struct dl_ops *ops, size_t rs, int32_t from, int32_t to, const char *dir)
{
	if (ops->n == ops->cap) {
		ops->cap = ops->cap ? ops->cap * 2 : 8;
		ops->v = xrealloc(ops->v, ops->cap * sizeof(*ops->v));
	}
	ops->v[ops->n++] = (struct dl_op){rs, from, to, dir};
}

/* scaleReplicaSetAndRecordEvent: nothing when the size is right already. */
static bool scale_rs(struct dl_rs *rs, size_t i, int32_t to, struct dl_ops *ops)
{
	if (rs[i].spec == to)
		return false;
	add_op(ops, i, rs[i].spec, to, rs[i].spec < to ? "up" : "down");
	rs[i].spec = to;
	return true;
}

bool dl_scale_to(struct dl_rs *rs, size_t i, int32_t to, struct dl_ops *ops)
{
	return scale_rs(rs, i, to, ops);
}

/* --- sort orders (controller_utils.go, deployment_util.go) ---------------- */

static const struct dl_rs *sort_rs;

static int by_creation(const void *a, const void *b)
{
	const struct dl_rs *x = &sort_rs[*(const size_t *)a], *y = &sort_rs[*(const size_t *)b];
	if (x->created_ms != y->created_ms)
		return x->created_ms < y->created_ms ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int by_revision(const void *a, const void *b)
{
	const struct dl_rs *x = &sort_rs[*(const size_t *)a], *y = &sort_rs[*(const size_t *)b];
	if (x->revision_bad || y->revision_bad || x->revision == y->revision)
		return by_creation(a, b);
	return x->revision < y->revision ? -1 : 1;
}

/* ReplicaSetsBySizeNewer: larger first, newer first on ties. */
static int by_size_newer(const void *a, const void *b)
{
	const struct dl_rs *x = &sort_rs[*(const size_t *)a], *y = &sort_rs[*(const size_t *)b];
	if (x->spec != y->spec)
		return x->spec > y->spec ? -1 : 1;
	return -by_creation(a, b);
}

/* ReplicaSetsBySizeOlder: larger first, older first on ties. */
static int by_size_older(const void *a, const void *b)
{
	const struct dl_rs *x = &sort_rs[*(const size_t *)a], *y = &sort_rs[*(const size_t *)b];
	if (x->spec != y->spec)
		return x->spec > y->spec ? -1 : 1;
	return by_creation(a, b);
}

static void sort_idx(const struct dl_rs *rs, size_t *idx, size_t n,
		     int (*cmp)(const void *, const void *))
{
	/* Single-threaded: the comparators read the array through a static. */
	sort_rs = rs;
	qsort(idx, n, sizeof(*idx), cmp);
	sort_rs = NULL;
}

void dl_sort_by_creation(const struct dl_rs *rs, size_t *idx, size_t n)
{
	sort_idx(rs, idx, n, by_creation);
}

void dl_sort_by_revision(const struct dl_rs *rs, size_t *idx, size_t n)
{
	sort_idx(rs, idx, n, by_revision);
}

/* --- helpers ------------------------------------------------------------- */

int32_t dl_max_replicas(const struct dl_deployment *d)
{
	return d->spec_replicas + kstrategy_max_surge(&d->strategy, d->spec_replicas);
}

bool dl_annotations_need_update(const struct dl_deployment *d, const struct dl_rs *rs)
{
	/* ReplicasAnnotationsNeedUpdate compares the strings. */
	char want[16];
	snprintf(want, sizeof(want), "%d", (int)d->spec_replicas);
	if (!rs->desired_annot || strcmp(rs->desired_annot, want) != 0)
		return true;
	snprintf(want, sizeof(want), "%d", (int)dl_max_replicas(d));
	return !rs->max_annot || strcmp(rs->max_annot, want) != 0;
}

static int32_t spec_sum(const struct dl_rs *rs, const size_t *idx, size_t n)
{
	int32_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += rs[idx[i]].spec;
	return s;
}

/* The active old RSs (every RS but nw with spec > 0), in table order. */
static size_t active_old(const struct dl_rs *rs, size_t n, size_t nw, size_t *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (i != nw && rs[i].spec > 0)
			out[k++] = i;
	return k;
}

/* --- rolling.go ---------------------------------------------------------- */

bool dl_reconcile_new(const struct dl_deployment *d, struct dl_rs *rs, size_t n, size_t nw,
		      struct dl_ops *ops)
{
	if (rs[nw].spec == d->spec_replicas)
		return false;
	if (rs[nw].spec > d->spec_replicas)
		return scale_rs(rs, nw, d->spec_replicas, ops);
	int32_t all = 0, want;
	for (size_t i = 0; i < n; i++)
		all += rs[i].spec;
	if (!kstrategy_new_rs_replicas(&d->strategy, d->spec_replicas, all, rs[nw].spec, &want))
		return false;
	return scale_rs(rs, nw, want, ops);
}

int32_t dl_cleanup_unhealthy(struct dl_rs *rs, size_t *old, size_t nold, int32_t max_cleanup,
			     struct dl_ops *ops)
{
	dl_sort_by_creation(rs, old, nold);
	int32_t done = 0;
	for (size_t k = 0; k < nold; k++) {
		struct dl_rs *r = &rs[old[k]];
		if (done >= max_cleanup)
			break;
		if (r->spec == 0 || r->spec == r->available)
			continue;
		int32_t count = max_cleanup - done;
		if (r->spec - r->available < count)
			count = r->spec - r->available;
		int32_t to = r->spec - count;
		if (to > r->spec)
			break; /* the controller's "invalid request to scale down" error */
		scale_rs(rs, old[k], to, ops);
		done += count;
	}
	return done;
}

int32_t dl_scale_down_old_rolling(const struct dl_deployment *d, struct dl_rs *rs,
				  const size_t *all, size_t nall, size_t *old, size_t nold,
				  struct dl_ops *ops)
{
	int32_t min_available =
	    d->spec_replicas - kstrategy_max_unavailable(&d->strategy, d->spec_replicas);
	int32_t available = 0;
	for (size_t i = 0; i < nall; i++)
		available += rs[all[i]].available;
	if (available <= min_available)
		return 0;
	dl_sort_by_creation(rs, old, nold);
	int32_t budget = available - min_available, done = 0;
	for (size_t k = 0; k < nold; k++) {
		struct dl_rs *r = &rs[old[k]];
		if (done >= budget)
			break;
		if (r->spec == 0)
			continue;
		int32_t count = r->spec < budget - done ? r->spec : budget - done;
		scale_rs(rs, old[k], r->spec - count, ops);
		done += count;
	}
	return done;
}

bool dl_reconcile_old(const struct dl_deployment *d, struct dl_rs *rs, size_t n, size_t nw,
		      struct dl_ops *ops)
{
	size_t *old = xcalloc(n ? n : 1, sizeof(*old));
	size_t *all = xcalloc(n ? n : 1, sizeof(*all));
	size_t nold = active_old(rs, n, nw, old);
	bool scaled = false;

	int32_t old_count = spec_sum(rs, old, nold);
	if (old_count == 0)
		goto out;
	int32_t all_count = 0;
	for (size_t i = 0; i < n; i++)
		all_count += rs[i].spec;
	int32_t min_available =
	    d->spec_replicas - kstrategy_max_unavailable(&d->strategy, d->spec_replicas);
	int32_t new_unavailable = rs[nw].spec - rs[nw].available;
	int32_t max_scaled_down = all_count - min_available - new_unavailable;
	if (max_scaled_down <= 0)
		goto out;
	int32_t cleaned = dl_cleanup_unhealthy(rs, old, nold, max_scaled_down, ops);
	/* allRSs = oldRSs (the active ones) + newRS */
	size_t nall = 0;
	for (size_t k = 0; k < nold; k++)
		all[nall++] = old[k];
	all[nall++] = nw;
	int32_t down = dl_scale_down_old_rolling(d, rs, all, nall, old, nold, ops);
	scaled = cleaned + down > 0;
out:
	free(old);
	free(all);
	return scaled;
}

/* --- recreate.go --------------------------------------------------------- */

bool dl_scale_down_old_recreate(struct dl_rs *rs, size_t n, size_t nw, struct dl_ops *ops)
{
	bool scaled = false;
	for (size_t i = 0; i < n; i++)
		if (i != nw && rs[i].spec > 0)
			scaled |= scale_rs(rs, i, 0, ops);
	return scaled;
}

/* --- sync.go ------------------------------------------------------------- */

bool dl_is_saturated(const struct dl_deployment *d, const struct dl_rs *rs)
{
	if (!rs || !rs->desired_annot)
		return false;
	char *end;
	long desired = strtol(rs->desired_annot, &end, 10);
	if (end == rs->desired_annot || *end)
		return false;
	return rs->spec == d->spec_replicas && desired == d->spec_replicas &&
	       rs->available == d->spec_replicas;
}

bool dl_is_scaling_event(const struct dl_deployment *d, const struct dl_rs *rs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int32_t desired;
		if (rs[i].spec <= 0 || !rs[i].desired_annot)
			continue;
		/* GetDesiredReplicasAnnotation: an unparsable value is "no annotation". */
		if (!kint_parse_nonneg_int32(rs[i].desired_annot, &desired))
			continue;
		if (desired != d->spec_replicas)
			return true;
	}
	return false;
}

/* A full scaleReplicaSet: size and annotations, both when either is off. */
static void scale_rs_annot(const struct dl_deployment *d, struct dl_rs *rs, size_t i, int32_t to,
			   const char *dir, struct dl_ops *ops)
{
	if (rs[i].spec == to && !dl_annotations_need_update(d, &rs[i]))
		return;
	add_op(ops, i, rs[i].spec, to, dir);
	rs[i].spec = to;
}

/* FindActiveOrLatest; DL_NONE when several RSs are active. */
static size_t active_or_latest(const struct dl_rs *rs, size_t n, size_t nw)
{
	size_t active = DL_NONE, nactive = 0, newest_old = DL_NONE;
	for (size_t i = 0; i < n; i++) {
		if (rs[i].spec > 0) {
			active = i;
			nactive++;
		}
		if (i == nw)
			continue;
		if (newest_old == DL_NONE || rs[i].created_ms > rs[newest_old].created_ms ||
		    (rs[i].created_ms == rs[newest_old].created_ms &&
		     strcmp(rs[i].name, rs[newest_old].name) > 0))
			newest_old = i;
	}
	if (nactive == 1)
		return active;
	if (nactive == 0)
		return nw != DL_NONE ? nw : newest_old;
	return DL_NONE;
}

void dl_scale(const struct dl_deployment *d, struct dl_rs *rs, size_t n, size_t nw,
	      struct dl_ops *ops)
{
	if (n == 0)
		return;
	size_t one = active_or_latest(rs, n, nw);
	if (one != DL_NONE) {
		scale_rs(rs, one, d->spec_replicas, ops);
		return;
	}
	if (nw != DL_NONE && dl_is_saturated(d, &rs[nw])) {
		for (size_t i = 0; i < n; i++)
			if (i != nw && rs[i].spec > 0)
				scale_rs(rs, i, 0, ops);
		return;
	}
	if (d->strategy.type != KSTRATEGY_ROLLING_UPDATE)
		return;

	size_t *act = xcalloc(n, sizeof(*act)), na = 0;
	int32_t *size = xcalloc(n, sizeof(*size));
	for (size_t i = 0; i < n; i++)
		if (rs[i].spec > 0)
			act[na++] = i;
	int32_t surge = kstrategy_max_surge(&d->strategy, d->spec_replicas);
	int32_t allowed = d->spec_replicas > 0 ? d->spec_replicas + surge : 0;
	int32_t to_add = allowed - spec_sum(rs, act, na), added = 0;
	const char *dir = "";
	if (to_add > 0) {
		sort_idx(rs, act, na, by_size_newer);
		dir = "up";
	} else if (to_add < 0) {
		sort_idx(rs, act, na, by_size_older);
		dir = "down";
	}
	for (size_t k = 0; k < na; k++) {
		const struct dl_rs *r = &rs[act[k]];
		size[k] = r->spec;
		if (to_add != 0) {
			int32_t p =
			    kstrategy_proportion(&d->strategy, r->spec, r->max_annot,
						 d->spec_replicas, d->replicas, to_add, added);
			size[k] += p;
			added += p;
		}
	}
	for (size_t k = 0; k < na; k++) {
		if (k == 0 && to_add != 0) {
			size[k] += to_add - added;
			if (size[k] < 0)
				size[k] = 0;
		}
		scale_rs_annot(d, rs, act[k], size[k], dir, ops);
	}
	free(act);
	free(size);
}

/* --- cleanupDeployment --------------------------------------------------- */

size_t dl_cleanup_victims(int32_t limit, const struct dl_rs *rs, size_t n, size_t nw, size_t *out)
{
	if (limit < 0 || limit == INT32_MAX)
		return 0;
	size_t *c = xcalloc(n ? n : 1, sizeof(*c)), nc = 0, nout = 0;
	for (size_t i = 0; i < n; i++)
		if (i != nw && !rs[i].deleting)
			c[nc++] = i;
	if ((int64_t)nc > limit) {
		size_t diff = nc - (size_t)limit;
		dl_sort_by_revision(rs, c, nc);
		for (size_t k = 0; k < diff; k++) {
			const struct dl_rs *r = &rs[c[k]];
			if (r->replicas != 0 || r->spec != 0 ||
			    r->generation > r->observed_generation || r->deleting)
				continue;
			out[nout++] = c[k];
		}
	}
	free(c);
	return nout;
}
