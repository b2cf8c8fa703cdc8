#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/blockers.h"
#include "podscope/xalloc.h"

/* A workload's blockers: PDBs, quotas, nodes, its HPA (see blockers.h). */

static const char *s0(const char *s)
{
	return s ? s : "";
}

/* Labels to match a selector against: an array, or a pod's (whose
 * StatefulSet name and index labels may be folded into bits: pod_label). */
struct labelset {
	const struct model_kv *kv;
	const struct pod *pod;
	uint16_t n;
};

static const char *label_of(const struct labelset *l, const char *key)
{
	if (l->pod)
		return pod_label(l->pod, key);
	for (uint16_t i = 0; i < l->n; i++)
		if (strcmp(s0(l->kv[i].key), key) == 0)
			return s0(l->kv[i].value);
	return NULL;
}

static bool expr_matches(const struct label_expr *e, const struct labelset *l)
{
	const char *op = s0(e->op), *v = label_of(l, s0(e->key));
	bool in = false;
	for (uint16_t i = 0; v && i < e->n_values; i++)
		in = in || strcmp(s0(e->values[i]), v) == 0;
	if (strcmp(op, "In") == 0)
		return in;
	if (strcmp(op, "NotIn") == 0)
		return !in;
	if (strcmp(op, "Exists") == 0)
		return v != NULL;
	if (strcmp(op, "DoesNotExist") == 0)
		return v == NULL;
	return false;
}

static bool selects(const struct model_kv *ml, uint16_t n_ml, const struct label_expr *me,
		    uint16_t n_me, const struct labelset *l)
{
	for (uint16_t i = 0; i < n_ml; i++) {
		const char *v = label_of(l, s0(ml[i].key));
		if (!v || strcmp(v, s0(ml[i].value)) != 0)
			return false;
	}
	for (uint16_t i = 0; i < n_me; i++)
		if (!expr_matches(&me[i], l))
			return false;
	return true;
}

bool label_selector_matches(const struct model_kv *ml, uint16_t n_ml, const struct label_expr *me,
			    uint16_t n_me, const struct model_kv *labels, uint16_t n_labels)
{
	const struct labelset l = {labels, NULL, n_labels};
	return selects(ml, n_ml, me, n_me, &l);
}

static bool pdb_selects_pod(const struct pdb *pdb, const struct pod *p)
{
	const struct labelset l = {NULL, p, 0};
	return selects(pdb->match_labels, pdb->n_match_labels, pdb->match_exprs, pdb->n_match_exprs,
		       &l);
}

static int64_t sat_add(int64_t a, int64_t b)
{
	int64_t r;
	return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}

void blockers_pod_requests(const struct pod *p, int64_t *cpu_milli, int64_t *mem_bytes)
{
	int64_t cpu = 0, mem = 0, icpu = 0, imem = 0;
	for (uint16_t i = 0; i < p->n_specs; i++) {
		cpu = sat_add(cpu, p->specs[i].req_cpu_milli);
		mem = sat_add(mem, p->specs[i].req_mem_bytes);
	}
	for (uint16_t i = 0; i < p->n_init_specs; i++) {
		const struct container_spec *c = &p->init_specs[i];
		if (c->restartable) {
			cpu = sat_add(cpu, c->req_cpu_milli);
			mem = sat_add(mem, c->req_mem_bytes);
		} else {
			icpu = c->req_cpu_milli > icpu ? c->req_cpu_milli : icpu;
			imem = c->req_mem_bytes > imem ? c->req_mem_bytes : imem;
		}
	}
	*cpu_milli = cpu > icpu ? cpu : icpu;
	*mem_bytes = mem > imem ? mem : imem;
}

/* The workload's identity and selector, whatever its kind. */
struct wl {
	const char *ns, *name, *uid, *kind;
	const struct model_kv *ml;
	const struct label_expr *me;
	uint16_t n_ml, n_me;
};

static bool wl_of(enum store_kind k, const void *set, struct wl *w)
{
	memset(w, 0, sizeof(*w));
	if (!set)
		return false;
	if (k == STORE_DEPLOYMENTS) {
		const struct deployment *d = set;
		*w = (struct wl){d->namespace,      d->name,         d->uid,
				 "Deployment",      d->match_labels, d->match_exprs,
				 d->n_match_labels, d->n_match_exprs};
		return true;
	}
	if (k != STORE_STATEFULSETS && k != STORE_DAEMONSETS)
		return false;
	const struct workload *x = k == STORE_STATEFULSETS ? &((const struct statefulset *)set)->w
							   : &((const struct daemonset *)set)->w;
	*w = (struct wl){x->namespace,
			 x->name,
			 x->uid,
			 k == STORE_STATEFULSETS ? "StatefulSet" : "DaemonSet",
			 x->match_labels,
			 x->match_exprs,
			 x->n_match_labels,
			 x->n_match_exprs};
	return true;
}

/* The workload's pods, by callback (a Deployment's through its ReplicaSets). */
typedef void (*pod_fn)(void *ud, const struct pod *p);

static void each_pod(const struct store *s, enum store_kind k, const struct wl *w, pod_fn fn,
		     void *ud)
{
	struct store_iter it, pit;
	const void *o;
	if (k != STORE_DEPLOYMENTS) {
		store_iter_children(&pit, s, STORE_PODS, s0(w->uid));
		while ((o = store_iter_next(&pit)))
			fn(ud, o);
		return;
	}
	store_iter_children(&it, s, STORE_REPLICASETS, s0(w->uid));
	const struct replicaset *rs;
	while ((rs = store_iter_next(&it))) {
		store_iter_children(&pit, s, STORE_PODS, s0(rs->uid));
		while ((o = store_iter_next(&pit)))
			fn(ud, o);
	}
}

struct pod_scan {
	const struct pdb *pdb; /* when set: does it select any pod? */
	bool selected;
	const struct pod *newest;
	int pending, pods;
};

static void scan_pod(void *ud, const struct pod *p)
{
	struct pod_scan *ps = ud;
	ps->pods++;
	if (ps->pdb) {
		ps->selected = ps->selected || pdb_selects_pod(ps->pdb, p);
		return;
	}
	if (!*s0(p->node_name) && !p->deleted)
		ps->pending++;
	if (!ps->newest || p->created > ps->newest->created)
		ps->newest = p;
}

static bool pdb_selects(const struct store *s, enum store_kind k, const struct wl *w,
			const struct pdb *pdb)
{
	if (!pdb->has_selector)
		return false; /* policy/v1: a nil selector selects no pod */
	struct pod_scan ps = {.pdb = pdb};
	each_pod(s, k, w, scan_pod, &ps);
	if (ps.pods)
		return ps.selected;
	/* No pods yet: the pods it will make carry its selector's labels. */
	return label_selector_matches(pdb->match_labels, pdb->n_match_labels, pdb->match_exprs,
				      pdb->n_match_exprs, w->ml, w->n_ml);
}

static void find_pdbs(const struct store *s, enum store_kind k, const struct wl *w,
		      struct blockers *b)
{
	struct store_iter it;
	store_iter_all(&it, s, STORE_PDBS, s0(w->ns));
	const struct pdb *p;
	while ((p = store_iter_next(&it))) {
		if (!*s0(w->ns) || strcmp(s0(p->namespace), w->ns) != 0 || !pdb_selects(s, k, w, p))
			continue;
		if (b->n_pdbs == BLOCKERS_MAX_PDBS) {
			b->pdbs_capped = true;
			break;
		}
		bool blocks = p->disruptions_allowed <= 0;
		b->pdbs[b->n_pdbs++] = (struct blocker_pdb){p, blocks};
		b->n_blocking += blocks;
	}
}

static void find_quotas(const struct store *s, const struct wl *w, struct blockers *b)
{
	struct store_iter it;
	store_iter_all(&it, s, STORE_QUOTAS, s0(w->ns));
	const struct resource_quota *q;
	while ((q = store_iter_next(&it)) && !b->quotas_capped) {
		if (!*s0(w->ns) || strcmp(s0(q->namespace), w->ns) != 0)
			continue;
		for (uint16_t i = 0; i < q->n_items; i++) {
			if (b->n_quotas == BLOCKERS_MAX_QUOTAS) {
				b->quotas_capped = true;
				break;
			}
			const struct quota_item *item = &q->items[i];
			bool at =
			    item->hard_v >= 0 && item->used_v >= 0 && item->used_v >= item->hard_v;
			b->quotas[b->n_quotas++] = (struct blocker_quota){q, item, at};
			b->n_blocking += at;
		}
	}
}

/* A node and what the pods bound to it request. */
struct nrow {
	const struct node *n;
	int64_t cpu, mem;
};

static int nrow_cmp(const void *a, const void *b)
{
	return strcmp(s0(((const struct nrow *)a)->n->name), s0(((const struct nrow *)b)->n->name));
}

static void count_nodes(const struct store *s, struct blockers *b)
{
	struct blocker_nodes *bn = &b->nodes;
	size_t total = store_count(s, STORE_NODES), n = 0;
	if (!total)
		return;
	if (total > BLOCKERS_MAX_NODES) {
		total = BLOCKERS_MAX_NODES;
		bn->capped = true;
	}
	struct nrow *rows = xcalloc(total, sizeof(*rows));
	struct store_iter it;
	store_iter_all(&it, s, STORE_NODES, NULL);
	const struct node *nd;
	while (n < total && (nd = store_iter_next(&it)))
		rows[n++].n = nd;
	qsort(rows, n, sizeof(*rows), nrow_cmp);
	/* What the pods that hold their node's resources request. */
	store_iter_all(&it, s, STORE_PODS, NULL);
	const struct pod *p;
	while ((p = store_iter_next(&it))) {
		const char *ph = s0(p->phase);
		if (!*s0(p->node_name) || strcmp(ph, "Succeeded") == 0 || strcmp(ph, "Failed") == 0)
			continue;
		struct node key = {.name = p->node_name};
		struct nrow k = {.n = &key};
		struct nrow *r = bsearch(&k, rows, n, sizeof(*rows), nrow_cmp);
		if (!r)
			continue;
		int64_t cpu, mem;
		blockers_pod_requests(p, &cpu, &mem);
		r->cpu = sat_add(r->cpu, cpu);
		r->mem = sat_add(r->mem, mem);
	}
	for (size_t i = 0; i < n; i++) {
		const struct node *x = rows[i].n;
		bn->total++;
		bn->cordoned += x->unschedulable != 0;
		bn->not_ready += x->ready != MODEL_COND_TRUE;
		if (x->unschedulable || x->ready != MODEL_COND_TRUE)
			continue;
		bn->schedulable++;
		bool cpu_ok = x->alloc_cpu_milli < 0 ||
			      sat_add(rows[i].cpu, bn->pod_cpu_milli) <= x->alloc_cpu_milli;
		bool mem_ok = x->alloc_mem_bytes < 0 ||
			      sat_add(rows[i].mem, bn->pod_mem_bytes) <= x->alloc_mem_bytes;
		bn->with_room += cpu_ok && mem_ok;
		if (x->alloc_cpu_milli >= 0) {
			bn->alloc_cpu_milli = sat_add(bn->alloc_cpu_milli, x->alloc_cpu_milli);
			bn->used_cpu_milli = sat_add(bn->used_cpu_milli, rows[i].cpu);
		}
		if (x->alloc_mem_bytes >= 0) {
			bn->alloc_mem_bytes = sat_add(bn->alloc_mem_bytes, x->alloc_mem_bytes);
			bn->used_mem_bytes = sat_add(bn->used_mem_bytes, rows[i].mem);
		}
	}
	free(rows);
	b->no_room = bn->total > 0 && bn->with_room == 0;
	b->n_blocking += b->no_room;
}

const struct hpa *blockers_hpa_of(const struct store *s, const char *ns, const char *kind,
				  const char *name)
{
	if (!ns || !*ns || !name || !*name)
		return NULL;
	struct store_iter it;
	store_iter_all(&it, s, STORE_HPAS, ns);
	const struct hpa *h;
	while ((h = store_iter_next(&it)))
		if (strcmp(s0(h->namespace), ns) == 0 && strcmp(s0(h->target_kind), kind) == 0 &&
		    strcmp(s0(h->target_name), name) == 0)
			return h;
	return NULL;
}

void blockers_of(const struct store *s, enum store_kind k, const void *set, struct blockers *out)
{
	memset(out, 0, sizeof(*out));
	struct wl w;
	if (!wl_of(k, set, &w))
		return;
	find_pdbs(s, k, &w, out);
	find_quotas(s, &w, out);
	struct pod_scan ps = {0};
	each_pod(s, k, &w, scan_pod, &ps);
	out->nodes.pending = ps.pending;
	if (ps.newest)
		blockers_pod_requests(ps.newest, &out->nodes.pod_cpu_milli,
				      &out->nodes.pod_mem_bytes);
	count_nodes(s, out);
	out->hpa = blockers_hpa_of(s, w.ns, w.kind, w.name);
	out->n_blocking += out->hpa != NULL;
}

void blockers_fmt_cpu(int64_t m, char *buf, size_t n)
{
	if (m % 1000 == 0)
		snprintf(buf, n, "%" PRId64, m / 1000);
	else
		snprintf(buf, n, "%" PRId64 "m", m);
}

void blockers_fmt_mem(int64_t b, char *buf, size_t n)
{
	static const char *const units[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
	double v = (double)b;
	size_t u = 0;
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	if (v == (double)(int64_t)v)
		snprintf(buf, n, "%" PRId64 "%s", (int64_t)v, units[u]);
	else
		snprintf(buf, n, "%.1f%s", v, units[u]);
}

void blockers_pdb_rule(const struct pdb *p, char *buf, size_t n)
{
	bool min = p->min_available.type != INTSTR_NONE;
	const struct intstr *r = min ? &p->min_available : &p->max_unavailable;
	const char *name = min ? "minAvailable" : "maxUnavailable";
	if (r->type == INTSTR_INT)
		snprintf(buf, n, "%s %d", name, (int)r->ival);
	else if (r->type == INTSTR_STRING)
		snprintf(buf, n, "%s %.40s", name, s0(r->sval));
	else
		snprintf(buf, n, "%s", "no rule");
}
