#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>

#include "podscope/xalloc.h"

#include "evloop.h"
#include "simobj.h"
#include "store.h"
#include "util.h"

#define DEFAULT_WINDOW 16384
#define SNAP_KEEP      4
#define SNAP_TTL_MS    (5 * 60 * 1000) /* continue tokens live as long as etcd's history */

struct entry {
	struct entry *next; /* hash chain */
	uint32_t hash;
	struct simobj *cur;
};

struct kind {
	const struct simres *res;
	struct entry **buckets;
	size_t nbuckets, count;
	struct entry **sorted; /* by key; rebuilt after creates and deletes */
	size_t nsorted;
	bool sorted_dirty;
	uint64_t last_write_rv;
	struct simevent *ring;
	uint64_t ring_first, ring_next; /* sequence numbers */
	uint64_t evicted_rv;            /* RV of the newest event that left the ring */
	struct simsnap *current;        /* a snapshot still equal to the live state */
	struct simsnap *kept[SNAP_KEEP];
};

struct listener {
	const struct simres *res;
	simstore_listener fn;
	void *ud;
	bool gone;
};

struct simstore {
	uint64_t rv;
	size_t window;
	size_t max_objects;
	struct kind *kinds;
	struct listener *listeners;
	size_t nlisteners, caplisteners;
	unsigned notifying;
	time_t (*now)(void *ud);
	void *now_ud;
};

static uint32_t hash_key(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct simstore *simstore_new(const struct simstore_opts *o)
{
	struct simstore *st = xcalloc(1, sizeof(*st));
	st->rv = 1;
	st->window = o && o->event_window ? o->event_window : DEFAULT_WINDOW;
	st->max_objects = o ? o->max_objects : 0;
	st->now = o ? o->now : NULL;
	st->now_ud = o ? o->now_ud : NULL;
	st->kinds = xcalloc(simres_count(), sizeof(*st->kinds));
	for (size_t i = 0; i < simres_count(); i++) {
		struct kind *k = &st->kinds[i];
		k->res = simres_at(i);
		k->nbuckets = 64;
		k->buckets = xcalloc(k->nbuckets, sizeof(*k->buckets));
		k->ring = xcalloc(st->window, sizeof(*k->ring));
	}
	return st;
}

static void event_clear(struct simevent *ev)
{
	simobj_unref(ev->obj);
	simobj_unref(ev->prev);
	memset(ev, 0, sizeof(*ev));
}

void simstore_free(struct simstore *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < simres_count(); i++) {
		struct kind *k = &st->kinds[i];
		for (size_t b = 0; b < k->nbuckets; b++) {
			for (struct entry *e = k->buckets[b], *n; e; e = n) {
				n = e->next;
				simobj_unref(e->cur);
				free(e);
			}
		}
		for (uint64_t s = k->ring_first; s < k->ring_next; s++)
			event_clear(&k->ring[s % st->window]);
		simsnap_unref(k->current);
		for (int j = 0; j < SNAP_KEEP; j++)
			simsnap_unref(k->kept[j]);
		free(k->ring);
		free(k->buckets);
		free(k->sorted);
	}
	free(st->kinds);
	free(st->listeners);
	free(st);
}

uint64_t simstore_rv(const struct simstore *st)
{
	return st->rv;
}

static struct kind *kind_of(const struct simstore *st, const struct simres *res)
{
	return &st->kinds[res->index];
}

static struct entry **find_slot(struct kind *k, const char *key, uint32_t h)
{
	struct entry **pp = &k->buckets[h & (k->nbuckets - 1)];
	while (*pp && ((*pp)->hash != h || strcmp((*pp)->cur->key, key) != 0))
		pp = &(*pp)->next;
	return pp;
}

static struct entry *lookup(const struct simstore *st, const struct simres *res, const char *ns,
                            const char *name)
{
	struct kind *k = kind_of(st, res);
	char *key = res->namespaced ? xasprintf("%s/%s", ns ? ns : "", name) : xstrdup(name);
	struct entry *e = *find_slot(k, key, hash_key(key));
	free(key);
	return e;
}

struct simobj *simstore_get(const struct simstore *st, const struct simres *res, const char *ns,
                            const char *name)
{
	struct entry *e = lookup(st, res, ns, name);
	return e ? e->cur : NULL;
}

size_t simstore_count(const struct simstore *st, const struct simres *res)
{
	return kind_of(st, res)->count;
}

size_t simstore_max_objects(const struct simstore *st)
{
	return st->max_objects;
}

static void grow(struct kind *k)
{
	size_t n = k->nbuckets * 2;
	struct entry **b = xcalloc(n, sizeof(*b));
	for (size_t i = 0; i < k->nbuckets; i++) {
		for (struct entry *e = k->buckets[i], *next; e; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(k->buckets);
	k->buckets = b;
	k->nbuckets = n;
}

/* --- events and listeners ------------------------------------------------ */

static void notify(struct simstore *st, const struct simevent *ev)
{
	st->notifying++;
	/* Index loop: a listener may add listeners (new watches) while we run. */
	for (size_t i = 0; i < st->nlisteners; i++) {
		struct listener *l = &st->listeners[i];
		if (!l->gone && (!l->res || l->res == ev->obj->res))
			l->fn(l->ud, ev);
	}
	if (--st->notifying == 0) {
		size_t j = 0;
		for (size_t i = 0; i < st->nlisteners; i++)
			if (!st->listeners[i].gone)
				st->listeners[j++] = st->listeners[i];
		st->nlisteners = j;
	}
}

static void record(struct simstore *st, struct kind *k, enum simev_type type, struct simobj *obj,
                   struct simobj *prev)
{
	if (k->ring_next - k->ring_first == st->window) {
		struct simevent *old = &k->ring[k->ring_first % st->window];
		k->evicted_rv = old->rv;
		event_clear(old);
		k->ring_first++;
	}
	struct simevent *ev = &k->ring[k->ring_next % st->window];
	ev->type = type;
	ev->rv = obj->rv;
	ev->obj = simobj_ref(obj);
	ev->prev = simobj_ref(prev);
	k->ring_next++;
	k->last_write_rv = obj->rv;
	simsnap_unref(k->current);
	k->current = NULL;
	/* Copy: a nested write from a listener may reuse this ring slot. */
	struct simevent copy = *ev;
	simobj_ref(copy.obj);
	simobj_ref(copy.prev);
	notify(st, &copy);
	simobj_unref(copy.obj);
	simobj_unref(copy.prev);
}

void simstore_listen(struct simstore *st, const struct simres *res, simstore_listener fn, void *ud)
{
	if (st->nlisteners == st->caplisteners) {
		st->caplisteners = st->caplisteners ? st->caplisteners * 2 : 8;
		st->listeners = xrealloc(st->listeners, st->caplisteners * sizeof(*st->listeners));
	}
	st->listeners[st->nlisteners++] = (struct listener){res, fn, ud, false};
}

void simstore_unlisten(struct simstore *st, simstore_listener fn, void *ud)
{
	for (size_t i = 0; i < st->nlisteners; i++)
		if (st->listeners[i].fn == fn && st->listeners[i].ud == ud)
			st->listeners[i].gone = true;
	if (!st->notifying) {
		size_t j = 0;
		for (size_t i = 0; i < st->nlisteners; i++)
			if (!st->listeners[i].gone)
				st->listeners[j++] = st->listeners[i];
		st->nlisteners = j;
	}
}

bool simstore_seq_after(const struct simstore *st, const struct simres *res, uint64_t rv,
                        uint64_t *seq, uint64_t *oldest)
{
	struct kind *k = kind_of(st, res);
	if (rv < k->evicted_rv) {
		*oldest = k->evicted_rv;
		return false;
	}
	/* Binary search: RVs in the ring only grow. */
	uint64_t lo = k->ring_first, hi = k->ring_next;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (k->ring[mid % st->window].rv <= rv)
			lo = mid + 1;
		else
			hi = mid;
	}
	*seq = lo;
	return true;
}

uint64_t simstore_seq_next(const struct simstore *st, const struct simres *res)
{
	return kind_of(st, res)->ring_next;
}

const struct simevent *simstore_event_at(const struct simstore *st, const struct simres *res,
                                         uint64_t seq)
{
	struct kind *k = kind_of(st, res);
	if (seq < k->ring_first || seq >= k->ring_next)
		return NULL;
	return &k->ring[seq % st->window];
}

/* --- writes -------------------------------------------------------------- */

static void random_suffix(char out[6])
{
	/* The alphabet of k8s.io/apimachinery/pkg/util/rand: no vowels, no 0/1/3. */
	static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
	unsigned char r[5];
	if (gnutls_rnd(GNUTLS_RND_NONCE, r, sizeof(r)) < 0)
		memset(r, 7, sizeof(r));
	for (int i = 0; i < 5; i++)
		out[i] = alphabet[r[i] % (sizeof(alphabet) - 1)];
	out[5] = '\0';
}

static time_t now(const struct simstore *st)
{
	return st->now ? st->now(st->now_ud) : time(NULL);
}

/* Check name and namespace; make a name from generateName. */
static bool prepare_meta(const struct simres *res, cJSON *obj, cJSON **md_out)
{
	if (!cJSON_IsObject(obj))
		return false;
	cJSON *md = simjson_object(obj, "metadata");
	const char *name = simjson_string(md, "name");
	const char *gen = simjson_string(md, "generateName");
	if ((!name || !*name) && gen && *gen) {
		char sfx[6];
		random_suffix(sfx);
		char *n = xasprintf("%s%s", gen, sfx);
		simjson_set_string(md, "name", n);
		free(n);
	}
	name = simjson_string(md, "name");
	if (!name || !*name)
		return false;
	const char *ns = simjson_string(md, "namespace");
	if (res->namespaced && (!ns || !*ns))
		return false;
	if (!res->namespaced)
		cJSON_DeleteItemFromObjectCaseSensitive(md, "namespace");
	*md_out = md;
	return true;
}

static void insert(struct kind *k, struct simobj *o)
{
	if (k->count >= k->nbuckets)
		grow(k);
	struct entry *e = xcalloc(1, sizeof(*e));
	e->hash = hash_key(o->key);
	e->cur = o;
	struct entry **slot = &k->buckets[e->hash & (k->nbuckets - 1)];
	e->next = *slot;
	*slot = e;
	k->count++;
	k->sorted_dirty = true;
}

enum simstore_rc simstore_create(struct simstore *st, const struct simres *res, cJSON *obj,
                                 struct simobj **out)
{
	cJSON *md;
	if (!prepare_meta(res, obj, &md)) {
		cJSON_Delete(obj);
		return SIMSTORE_INVALID;
	}
	if (lookup(st, res, simjson_string(md, "namespace"), simjson_string(md, "name"))) {
		cJSON_Delete(obj);
		return SIMSTORE_EXISTS;
	}
	if (st->max_objects && kind_of(st, res)->count >= st->max_objects) {
		cJSON_Delete(obj);
		return SIMSTORE_FULL;
	}
	char uid[37], ts[SIMUTIL_TIME_LEN];
	simutil_uuid(uid);
	simutil_rfc3339(now(st), ts);
	/* A uid the API layer chose keeps (a Job's generated selector names it);
	 * clients' uids never get here (simprep_create drops them). */
	const char *chosen = simjson_string(md, "uid");
	if (!chosen || strlen(chosen) != 36)
		simjson_set_string(md, "uid", uid);
	simjson_set_string(md, "creationTimestamp", ts);
	if (res->has_generation)
		simjson_set_number(md, "generation", 1);
	else
		cJSON_DeleteItemFromObjectCaseSensitive(md, "generation");

	struct kind *k = kind_of(st, res);
	struct simobj *o = simobj_new(res, obj, ++st->rv);
	insert(k, o);
	if (out)
		*out = o;
	record(st, k, SIMEV_ADDED, o, NULL);
	return SIMSTORE_OK;
}

static void copy_field(cJSON *to, const cJSON *from, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);
	cJSON_DeleteItemFromObjectCaseSensitive(to, key);
	if (v)
		cJSON_AddItemToObject(to, key, cJSON_Duplicate(v, 1));
}

enum simstore_rc simstore_update(struct simstore *st, const struct simres *res, cJSON *obj,
                                 uint64_t expect_rv, struct simobj **out)
{
	cJSON *md;
	if (!prepare_meta(res, obj, &md)) {
		cJSON_Delete(obj);
		return SIMSTORE_INVALID;
	}
	struct entry *e =
	    lookup(st, res, simjson_string(md, "namespace"), simjson_string(md, "name"));
	if (!e) {
		cJSON_Delete(obj);
		return SIMSTORE_NOT_FOUND;
	}
	struct simobj *old = e->cur;
	if (expect_rv && expect_rv != old->rv) {
		cJSON_Delete(obj);
		return SIMSTORE_CONFLICT;
	}
	const cJSON *old_md = cJSON_GetObjectItemCaseSensitive(old->json, "metadata");
	copy_field(md, old_md, "uid");
	copy_field(md, old_md, "creationTimestamp");
	copy_field(md, old_md, "resourceVersion");
	copy_field(md, old_md, "generation");
	if (res->has_generation &&
	    !cJSON_Compare(cJSON_GetObjectItemCaseSensitive(old->json, "spec"),
	                   cJSON_GetObjectItemCaseSensitive(obj, "spec"), true)) {
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(old_md, "generation");
		simjson_set_number(md, "generation", (cJSON_IsNumber(g) ? g->valuedouble : 0) + 1);
	}
	/* Kind and apiVersion are the server's; compare without them. */
	cJSON_DeleteItemFromObjectCaseSensitive(obj, "kind");
	cJSON_DeleteItemFromObjectCaseSensitive(obj, "apiVersion");
	cJSON_AddStringToObject(obj, "kind", res->kind);
	cJSON_AddStringToObject(obj, "apiVersion", res->api_version);
	if (cJSON_Compare(old->json, obj, true)) {
		cJSON_Delete(obj);
		if (out)
			*out = old;
		return SIMSTORE_OK;
	}

	struct kind *k = kind_of(st, res);
	struct simobj *o = simobj_new(res, obj, ++st->rv);
	e->cur = o;
	if (out)
		*out = o;
	record(st, k, SIMEV_MODIFIED, o, old);
	simobj_unref(old);
	return SIMSTORE_OK;
}

enum simstore_rc simstore_delete(struct simstore *st, const struct simres *res, const char *ns,
                                 const char *name, uint64_t expect_rv, struct simobj **out)
{
	struct kind *k = kind_of(st, res);
	char *key = res->namespaced ? xasprintf("%s/%s", ns ? ns : "", name) : xstrdup(name);
	struct entry **pp = find_slot(k, key, hash_key(key));
	free(key);
	struct entry *e = *pp;
	if (!e)
		return SIMSTORE_NOT_FOUND;
	if (expect_rv && expect_rv != e->cur->rv)
		return SIMSTORE_CONFLICT;
	*pp = e->next;
	k->count--;
	k->sorted_dirty = true;
	struct simobj *old = e->cur;
	free(e);
	struct simobj *gone = simobj_with_rv(old, ++st->rv);
	if (out)
		*out = gone;
	record(st, k, SIMEV_DELETED, gone, old);
	simobj_unref(gone); /* the ring holds it now */
	simobj_unref(old);
	return SIMSTORE_OK;
}

/* --- snapshots ----------------------------------------------------------- */

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
	return strcmp(x->cur->key, y->cur->key);
}

static void sort_entries(struct kind *k)
{
	if (!k->sorted_dirty && k->nsorted == k->count)
		return;
	k->sorted = xrealloc(k->sorted, (k->count + 1) * sizeof(*k->sorted));
	size_t n = 0;
	for (size_t b = 0; b < k->nbuckets; b++)
		for (struct entry *e = k->buckets[b]; e; e = e->next)
			k->sorted[n++] = e;
	qsort(k->sorted, n, sizeof(*k->sorted), cmp_entry);
	k->nsorted = n;
	k->sorted_dirty = false;
}

struct simsnap *simsnap_ref(struct simsnap *s)
{
	if (s)
		s->refs++;
	return s;
}

void simsnap_unref(struct simsnap *s)
{
	if (!s || --s->refs > 0)
		return;
	for (size_t i = 0; i < s->n; i++)
		simobj_unref(s->items[i]);
	free(s->items);
	free(s);
}

struct simsnap *simstore_snapshot(struct simstore *st, const struct simres *res)
{
	struct kind *k = kind_of(st, res);
	if (k->current) {
		/* Still the current state: like etcd's latest revision, which
		 * compaction never removes, its continue tokens stay good for
		 * SNAP_TTL_MS from now. */
		k->current->taken_ms = evloop_now_ms();
		return simsnap_ref(k->current);
	}
	sort_entries(k);
	struct simsnap *s = xcalloc(1, sizeof(*s));
	s->refs = 1;
	s->res = res;
	/* Nothing of this resource changed since last_write_rv, so the state at
	 * the global RV is the same; the newer RV lets a watch start later. */
	s->rv = st->rv;
	s->taken_ms = evloop_now_ms();
	s->n = k->nsorted;
	s->items = xmalloc((s->n + 1) * sizeof(*s->items));
	for (size_t i = 0; i < s->n; i++)
		s->items[i] = simobj_ref(k->sorted[i]->cur);
	k->current = simsnap_ref(s);
	return s;
}

void simstore_keep_snapshot(struct simstore *st, struct simsnap *s)
{
	struct kind *k = kind_of(st, s->res);
	int slot = 0;
	for (int i = 0; i < SNAP_KEEP; i++) {
		if (k->kept[i] == s)
			return;
		if (!k->kept[i] ||
		    (k->kept[slot] && k->kept[i]->taken_ms < k->kept[slot]->taken_ms))
			slot = i;
		if (!k->kept[i])
			break;
	}
	simsnap_unref(k->kept[slot]);
	k->kept[slot] = simsnap_ref(s);
}

struct simsnap *simstore_find_snapshot(struct simstore *st, const struct simres *res, uint64_t rv)
{
	struct kind *k = kind_of(st, res);
	int64_t t = evloop_now_ms();
	for (int i = 0; i < SNAP_KEEP; i++) {
		struct simsnap *s = k->kept[i];
		if (s && t - s->taken_ms > SNAP_TTL_MS) {
			simsnap_unref(s);
			k->kept[i] = NULL;
		} else if (s && s->rv == rv) {
			return simsnap_ref(s);
		}
	}
	return NULL;
}

struct simsnap *simstore_snapshot_at(struct simstore *st, const struct simres *res, uint64_t rv)
{
	if (rv > st->rv)
		return NULL;
	if (kind_of(st, res)->last_write_rv <= rv)
		return simstore_snapshot(st, res);
	return simstore_find_snapshot(st, res, rv);
}

size_t simsnap_seek(const struct simsnap *s, const char *after, bool inclusive)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->items[mid]->key, after);
		if (c < 0 || (c == 0 && !inclusive))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
