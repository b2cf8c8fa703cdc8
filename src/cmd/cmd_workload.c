#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/sort.h"
#include "podscope/xalloc.h"

#include "cmd_workload.h"

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* The oldest revision any pod runs, for a DaemonSet (which has no
 * status.currentRevision). */
static int64_t oldest_pod_rev(const struct store *st, const struct workload *w)
{
	struct store_iter it;
	const struct pod *p;
	int64_t min = 0;
	store_iter_children(&it, st, STORE_PODS, w->uid);
	while ((p = store_iter_next(&it))) {
		int64_t r = store_pod_revision(st, p);
		if (r > 0 && (min == 0 || r < min))
			min = r;
	}
	return min;
}

void cmd_wl_load(struct cmd_wl *wl, const struct store *st, enum store_kind k, const void *obj)
{
	memset(wl, 0, sizeof(*wl));
	wl->kind = k;
	wl->obj = obj;
	if (k == STORE_STATEFULSETS) {
		const struct statefulset *s = obj;
		wl->w = &s->w;
		wl->word = "statefulset";
		wl->api = "statefulsets.apps";
		snprintf(wl->ready, sizeof(wl->ready), "%d/%d", (int)s->ready_replicas,
			 (int)(s->has_spec_replicas ? s->spec_replicas : 1));
		wl->update_rev = store_update_revision(st, k, obj);
		wl->current_rev = store_revision_number(st, s->w.uid, s->current_revision);
		rollout_statefulset_status(s, &wl->status);
	} else {
		const struct daemonset *ds = obj;
		wl->w = &ds->w;
		wl->word = "daemonset";
		wl->api = "daemonsets.apps";
		snprintf(wl->ready, sizeof(wl->ready), "%d/%d", (int)ds->number_ready,
			 (int)ds->desired_number_scheduled);
		wl->update_rev = store_update_revision(st, k, obj);
		wl->current_rev = oldest_pod_rev(st, wl->w);
		rollout_daemonset_status(ds, &wl->status);
	}
	snprintf(wl->msg, sizeof(wl->msg), "%s", wl->status.msg);
	size_t ml = strlen(wl->msg);
	if (ml && wl->msg[ml - 1] == '\n')
		wl->msg[ml - 1] = '\0';
}

static int cmp_pod(const void *x, const void *y)
{
	const struct pod *a = *(const struct pod *const *)x, *b = *(const struct pod *const *)y;
	return sort_name_cmp(a->name, b->name);
}

static int cmp_rev(const void *x, const void *y)
{
	const struct controller_revision *a = *(const struct controller_revision *const *)x;
	const struct controller_revision *b = *(const struct controller_revision *const *)y;
	if (a->revision != b->revision)
		return a->revision > b->revision ? -1 : 1;
	return strcmp(nz(a->name), nz(b->name));
}

/* The children of kind k of the workload, sorted by cmp, in a heap array. */
static const void **children(const struct store *st, enum store_kind k, const struct cmd_wl *wl,
			     size_t *n, int (*cmp)(const void *, const void *))
{
	size_t cap = store_children_count(st, k, wl->w->uid) + 1;
	const void **v = xcalloc(cap, sizeof(*v));
	struct store_iter it;
	const void *o;
	*n = 0;
	if (!wl->w->uid || !*wl->w->uid)
		return v;
	store_iter_children(&it, st, k, wl->w->uid);
	while ((o = store_iter_next(&it)) && *n < cap)
		v[(*n)++] = o;
	sort_inplace(v, *n, sizeof(*v), cmp);
	return v;
}

const struct pod **cmd_wl_pods(const struct store *st, const struct cmd_wl *wl, size_t *n)
{
	return (const struct pod **)children(st, STORE_PODS, wl, n, cmp_pod);
}

const struct controller_revision **cmd_wl_revisions(const struct store *st, const struct cmd_wl *wl,
						    size_t *n)
{
	return (const struct controller_revision **)children(st, STORE_CONTROLLERREVISIONS, wl, n,
							     cmp_rev);
}
