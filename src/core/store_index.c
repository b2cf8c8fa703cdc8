#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "store_int.h"

/* The parent index, the iterators and the ownership queries. */

static uint32_t bucket_hash_of(const void *item)
{
	return ((const struct pbucket *)item)->hash;
}

static bool bucket_eq(const void *item, const void *key)
{
	return strcmp(((const struct pbucket *)item)->key, key) == 0;
}

const struct pbucket *sindex_bucket(const struct store *s, enum store_kind k, const char *uid)
{
	const struct ptable *t = &s->kinds[k].parents;
	if (!uid)
		uid = "";
	size_t slot = ptable_find(t, store_hash(uid, STORE_HASH_INIT), bucket_eq, uid);
	return slot == SIZE_MAX ? NULL : t->slots[slot];
}

void sindex_add(struct store *s, struct sobj *h)
{
	const struct kind_ops *ops = &store_kinds[h->kind];
	if (!ops->parent)
		return;
	struct ptable *t = &s->kinds[h->kind].parents;
	const char *uid = ops->parent(SOBJ_DATA(h));
	uint32_t hash = store_hash(uid, STORE_HASH_INIT);
	size_t slot = ptable_find(t, hash, bucket_eq, uid);
	struct pbucket *b;
	if (slot == SIZE_MAX) {
		t->hash_of = bucket_hash_of;
		b = xcalloc(1, sizeof(*b));
		b->key = intern_get(s->strings, uid);
		b->hash = hash;
		ptable_insert(t, b, hash);
	} else {
		b = t->slots[slot];
	}
	h->indexed = 1;
	h->pprev = b->tail;
	h->pnext = NULL;
	if (b->tail)
		b->tail->pnext = h;
	else
		b->head = h;
	b->tail = h;
	b->n++;
}

void sindex_remove(struct store *s, struct sobj *h)
{
	if (!h->indexed)
		return;
	struct ptable *t = &s->kinds[h->kind].parents;
	const char *uid = store_kinds[h->kind].parent(SOBJ_DATA(h));
	struct pbucket *b =
	    t->slots[ptable_find(t, store_hash(uid, STORE_HASH_INIT), bucket_eq, uid)];
	if (h->pprev)
		h->pprev->pnext = h->pnext;
	else
		b->head = h->pnext;
	if (h->pnext)
		h->pnext->pprev = h->pprev;
	else
		b->tail = h->pprev;
	h->indexed = 0;
	h->pnext = h->pprev = NULL;
	if (--b->n > 0)
		return;
	ptable_remove_at(t, ptable_find(t, b->hash, bucket_eq, b->key));
	intern_release(s->strings, b->key);
	free(b);
}

/* ---- iteration ---- */

enum { IT_ALL, IT_CHILDREN, IT_NONE };

void store_iter_all(struct store_iter *it, const struct store *s, enum store_kind k, const char *ns)
{
	memset(it, 0, sizeof(*it));
	it->s = s;
	it->kind = (uint8_t)k;
	it->ns = ns && *ns ? ns : NULL;
	it->mode = IT_ALL;
}

void store_iter_children(struct store_iter *it, const struct store *s, enum store_kind k,
			 const char *parent_uid)
{
	memset(it, 0, sizeof(*it));
	it->s = s;
	it->kind = (uint8_t)k;
	const struct pbucket *b = store_kinds[k].parent ? sindex_bucket(s, k, parent_uid) : NULL;
	it->mode = b ? IT_CHILDREN : IT_NONE;
	it->cur = b ? b->head : NULL;
}

size_t store_children_count(const struct store *s, enum store_kind k, const char *parent_uid)
{
	const struct pbucket *b = store_kinds[k].parent ? sindex_bucket(s, k, parent_uid) : NULL;
	return b ? b->n : 0;
}

bool store_service_selects(const struct service *svc, const struct pod *p)
{
	if (strcmp(svc->namespace, p->namespace) != 0)
		return false;
	return pod_labels_match(p, svc->selector, svc->n_selector, true);
}

void store_iter_service_pods(struct store_iter *it, const struct store *s,
			     const struct service *svc)
{
	store_iter_all(it, s, STORE_PODS, svc->namespace);
	if (svc->n_selector == 0)
		it->mode = IT_NONE;
	it->filter = svc;
}

static bool wanted(const struct store_iter *it, const struct sobj *h)
{
	if (it->ns && strcmp(sobj_ns(h), it->ns) != 0)
		return false;
	if (it->filter)
		return store_service_selects(it->filter, SOBJ_DATA(h));
	return true;
}

const void *store_iter_next(struct store_iter *it)
{
	if (it->mode == IT_CHILDREN) {
		const struct sobj *h = it->cur;
		if (!h)
			return NULL;
		it->cur = h->pnext;
		return SOBJ_DATA(h);
	}
	if (it->mode != IT_ALL)
		return NULL;
	const struct ptable *t = &it->s->kinds[it->kind].objs;
	while (it->slot < t->cap) {
		const struct sobj *h = t->slots[it->slot++];
		if (h && wanted(it, h))
			return SOBJ_DATA(h);
	}
	return NULL;
}

/* ---- ownership ---- */

/* The object of kind k with that uid in namespace ns: by name from the
 * ownerReference, checked against the uid. */
static const void *by_ref(const struct store *s, enum store_kind k, const char *ns,
			  const struct owner_ref *o)
{
	const char *want = store_kinds[k].kind;
	if (!o || strcmp(o->kind, want) != 0)
		return NULL;
	const void *obj = store_get(s, k, ns, o->name);
	if (obj && *o->uid && strcmp(store_obj_uid(obj), o->uid) != 0)
		return NULL;
	return obj;
}

const struct replicaset *store_pod_replicaset(const struct store *s, const struct pod *p)
{
	return by_ref(s, STORE_REPLICASETS, p->namespace,
		      model_controller_of(p->owners, p->n_owners));
}

const struct deployment *store_rs_deployment(const struct store *s, const struct replicaset *rs)
{
	return by_ref(s, STORE_DEPLOYMENTS, rs->namespace,
		      model_controller_of(rs->owners, rs->n_owners));
}

const struct deployment *store_pod_deployment(const struct store *s, const struct pod *p)
{
	const struct replicaset *rs = store_pod_replicaset(s, p);
	return rs ? store_rs_deployment(s, rs) : NULL;
}

const struct statefulset *store_pod_statefulset(const struct store *s, const struct pod *p)
{
	return by_ref(s, STORE_STATEFULSETS, p->namespace,
		      model_controller_of(p->owners, p->n_owners));
}

const struct daemonset *store_pod_daemonset(const struct store *s, const struct pod *p)
{
	return by_ref(s, STORE_DAEMONSETS, p->namespace,
		      model_controller_of(p->owners, p->n_owners));
}

const struct job *store_pod_job(const struct store *s, const struct pod *p)
{
	return by_ref(s, STORE_JOBS, p->namespace, model_controller_of(p->owners, p->n_owners));
}

const struct cronjob *store_job_cronjob(const struct store *s, const struct job *j)
{
	return by_ref(s, STORE_CRONJOBS, j->w.namespace,
		      model_controller_of(j->owners, j->n_owners));
}

int64_t store_revision_number(const struct store *s, const char *owner_uid, const char *key)
{
	const struct pbucket *b;
	if (!owner_uid || !*owner_uid || !key || !*key)
		return 0;
	b = sindex_bucket(s, STORE_CONTROLLERREVISIONS, owner_uid);
	for (const struct sobj *h = b ? b->head : NULL; h; h = h->pnext) {
		const struct controller_revision *cr = SOBJ_DATA(h);
		if (strcmp(cr->name, key) == 0 || strcmp(cr->hash, key) == 0)
			return cr->revision;
	}
	return 0;
}

int64_t store_pod_revision(const struct store *s, const struct pod *p)
{
	const struct owner_ref *o = model_controller_of(p->owners, p->n_owners);
	if (!o)
		return 0;
	return store_revision_number(
	    s, o->uid, pod_label(p, "controller-revision-hash"));
}

int64_t store_update_revision(const struct store *s, enum store_kind k, const void *set)
{
	const struct pbucket *b;
	int64_t newest = 0;
	if (k == STORE_STATEFULSETS) {
		const struct statefulset *ss = set;
		return store_revision_number(s, ss->w.uid, ss->update_revision);
	}
	if (k != STORE_DAEMONSETS || !*store_obj_uid(set))
		return 0;
	b = sindex_bucket(s, STORE_CONTROLLERREVISIONS, store_obj_uid(set));
	for (const struct sobj *h = b ? b->head : NULL; h; h = h->pnext) {
		const struct controller_revision *cr = SOBJ_DATA(h);
		if (cr->revision > newest)
			newest = cr->revision;
	}
	return newest;
}

/* Whether the store holds the workload controlling p, which then shows p. */
static bool owned_by_workload(const struct store *s, const struct pod *p)
{
	return store_pod_deployment(s, p) || store_pod_statefulset(s, p) ||
	       store_pod_daemonset(s, p) || store_pod_job(s, p);
}

void store_foreach_unowned_group(const struct store *s, store_group_fn fn, void *ud)
{
	const struct ptable *t = &s->kinds[STORE_PODS].parents;
	for (size_t i = 0; i < t->cap; i++) {
		const struct pbucket *b = t->slots[i];
		if (!b || !b->head)
			continue;
		const struct pod *first = SOBJ_DATA(b->head);
		if (owned_by_workload(s, first))
			continue;
		const struct owner_ref *o = model_controller_of(first->owners, first->n_owners);
		struct store_group g = {
		    .kind = o ? o->kind : "",
		    .name = o ? o->name : "",
		    .uid = b->key,
		    .namespace = first->namespace,
		    .n_pods = b->n,
		};
		for (const struct sobj *h = b->head; h; h = h->pnext) {
			if (strcmp(sobj_ns(h), g.namespace) != 0) {
				g.namespace = "";
				break;
			}
		}
		fn(ud, &g);
	}
}
