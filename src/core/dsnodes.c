#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/dsnodes.h"
#include "podscope/xalloc.h"

/* A DaemonSet's node rows: its pods merged with the nodes the store holds. */

static const char *node_of(const struct pod *p)
{
	return p->node_name && *p->node_name ? p->node_name : "";
}

static int by_node(const void *a, const void *b)
{
	const struct pod *x = *(const struct pod *const *)a, *y = *(const struct pod *const *)b;
	int c = strcmp(node_of(x), node_of(y));
	/* Unscheduled pods last; on one node, the older pod first. */
	if (c && (!*node_of(x) || !*node_of(y)))
		return *node_of(x) ? -1 : 1;
	if (c)
		return c;
	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
	const struct node *x = *(const struct node *const *)a, *y = *(const struct node *const *)b;
	return strcmp(x->name, y->name);
}

static struct ds_row *add_row(struct ds_rows *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->rows = xrealloc(r->rows, r->cap * sizeof(*r->rows));
	}
	struct ds_row *row = &r->rows[r->n++];
	memset(row, 0, sizeof(*row));
	row->fit.should_run = row->fit.should_continue = true;
	return row;
}

static void gather_pods(struct ds_rows *r, const struct store *s, const struct daemonset *ds)
{
	struct store_iter it;
	store_iter_children(&it, s, STORE_PODS, ds->w.uid);
	const struct pod *p;
	while ((p = store_iter_next(&it)) && r->n_pods < DS_ROWS_MAX_PODS) {
		if (r->n_pods == r->cap_pods) {
			r->cap_pods = r->cap_pods ? r->cap_pods * 2 : 64;
			r->pods = xrealloc(r->pods, r->cap_pods * sizeof(*r->pods));
		}
		r->pods[r->n_pods++] = p;
	}
	if (r->n_pods > 1)
		qsort(r->pods, r->n_pods, sizeof(*r->pods), by_node);
}

static size_t gather_nodes(struct ds_rows *r, const struct store *s)
{
	size_t n = 0;
	struct store_iter it;
	store_iter_all(&it, s, STORE_NODES, NULL);
	const struct node *nd;
	while ((nd = store_iter_next(&it)) && n < DS_ROWS_MAX_NODES) {
		if (n == r->cap_nodes) {
			r->cap_nodes = r->cap_nodes ? r->cap_nodes * 2 : 64;
			r->nodev = xrealloc(r->nodev, r->cap_nodes * sizeof(*r->nodev));
		}
		r->nodev[n++] = nd;
	}
	if (n > 1)
		qsort(r->nodev, n, sizeof(*r->nodev), by_name);
	return n;
}

/* The pods on one node (pods[*i] onwards, all on name) as rows. */
static void node_pods(struct ds_rows *r, size_t *i, const char *name, const struct node *nd,
		      const struct ds_fit *fit)
{
	size_t start = r->n, live = 0;
	for (; *i < r->n_pods && strcmp(node_of(r->pods[*i]), name) == 0; (*i)++) {
		struct ds_row *row = add_row(r);
		row->node = name;
		row->n = nd;
		row->pod = r->pods[*i];
		row->fit = *fit;
		row->first = r->n - 1 == start;
		live += !row->pod->deleted;
	}
	if (live > 1 && *name) {
		r->surge_used++;
		for (size_t k = start; k < r->n; k++)
			r->rows[k].surge = true;
	}
	if (r->n > start && !fit->should_run && *name)
		r->misscheduled++;
}

void ds_rows_gather(struct ds_rows *r, const struct store *s, const struct daemonset *ds)
{
	r->n = r->n_pods = r->excluded = r->misscheduled = 0;
	r->surge_used = 0;
	gather_pods(r, s, ds);
	r->nodes = gather_nodes(r, s);
	static const struct ds_fit any = {true, true, DS_FIT_OK, NULL};
	size_t i = 0, j = 0;
	/* Merge the pods (by node, unscheduled last) with the nodes (by name). */
	while (j < r->nodes || (i < r->n_pods && *node_of(r->pods[i]))) {
		const char *pn = i < r->n_pods ? node_of(r->pods[i]) : "";
		int c = !*pn ? 1 : j == r->nodes ? -1 : strcmp(pn, r->nodev[j]->name);
		if (c < 0) { /* a node the store does not hold */
			node_pods(r, &i, pn, NULL, &any);
			continue;
		}
		const struct node *nd = r->nodev[j++];
		struct ds_fit fit;
		ds_node_fit(ds, nd, &fit);
		size_t before = r->n;
		if (c == 0)
			node_pods(r, &i, pn, nd, &fit);
		if (r->n > before)
			continue;
		if (!fit.should_run) {
			r->excluded++;
			continue;
		}
		struct ds_row *row = add_row(r);
		row->node = nd->name;
		row->n = nd;
		row->fit = fit;
		row->first = true;
	}
	for (; i < r->n_pods; i++) {
		struct ds_row *row = add_row(r);
		row->node = "";
		row->pod = r->pods[i];
		row->first = true;
	}
}

void ds_rows_free(struct ds_rows *r)
{
	free(r->rows);
	free(r->pods);
	free(r->nodev);
	memset(r, 0, sizeof(*r));
}

static void add_mark(char *buf, size_t n, size_t *len, const char *m)
{
	int w = snprintf(buf + *len, n - *len, "%s%s", *len ? " " : "", m);
	if (w > 0 && (size_t)w < n - *len)
		*len += (size_t)w;
}

void ds_row_marks(const struct ds_row *row, char *buf, size_t n)
{
	size_t len = 0;
	if (!n)
		return;
	buf[0] = '\0';
	if (row->n && row->n->unschedulable)
		add_mark(buf, n, &len, "cordoned");
	if (row->n && row->n->ready != MODEL_COND_TRUE)
		add_mark(buf, n, &len, "NotReady");
	if (row->pod && !row->fit.should_run)
		add_mark(buf, n, &len, "misscheduled");
	if (row->pod && row->pod->deleted)
		add_mark(buf, n, &len, "replacing");
	else if (row->surge)
		add_mark(buf, n, &len, "surge");
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || strcmp(a ? a : "", b ? b : "") == 0;
}

bool ds_node_same(const struct node *a, const struct node *b)
{
	if (a->unschedulable != b->unschedulable || a->ready != b->ready ||
	    a->n_labels != b->n_labels || a->n_taints != b->n_taints)
		return false;
	for (uint16_t i = 0; i < a->n_labels; i++)
		if (!str_eq(a->labels[i].key, b->labels[i].key) ||
		    !str_eq(a->labels[i].value, b->labels[i].value))
			return false;
	for (uint16_t i = 0; i < a->n_taints; i++)
		if (!str_eq(a->taints[i].key, b->taints[i].key) ||
		    !str_eq(a->taints[i].value, b->taints[i].value) ||
		    !str_eq(a->taints[i].effect, b->taints[i].effect))
			return false;
	return true;
}
