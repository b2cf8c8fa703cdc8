#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/xalloc.h"

#include "store_int.h"

/*
 * Objects: decoded into a reusable scratch arena with shared strings
 * interned, then measured and packed into one exact-size block:
 *   [struct sobj][model struct][struct sage for events][arrays, strings]
 */

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

static uint32_t obj_hash_of(const void *item)
{
	return ((const struct sobj *)item)->hash;
}

static uint32_t key_hash(const char *ns, const char *name)
{
	uint32_t h = store_hash(ns, STORE_HASH_INIT);
	h ^= '/';
	h *= 16777619u;
	return store_hash(name, h);
}

struct objkey {
	const char *ns;
	const char *name;
};

static bool obj_eq(const void *item, const void *key)
{
	const struct sobj *h = item;
	const struct objkey *k = key;
	return strcmp(sobj_name(h), k->name) == 0 && strcmp(sobj_ns(h), k->ns) == 0;
}

static const char *intern_cb(void *ctx, const char *str)
{
	return intern_get(ctx, str);
}

struct store *store_new(void)
{
	struct store *s = xcalloc(1, sizeof(*s));
	s->strings = intern_new();
	s->event_limit = 2000;
	for (int k = 0; k < STORE_NKINDS; k++)
		s->kinds[k].objs.hash_of = obj_hash_of;
	return s;
}

struct intern *store_strings(const struct store *s)
{
	return s->strings;
}

/* ---- walkers: measure, pack, release ---- */

struct packer {
	struct model_walk w;
	char *cur; /* NULL while measuring */
	size_t used;
	struct intern *strings;
	struct store *s;
};

/* Only pods share arrays: there are many of them per template. */
static bool shares(enum store_kind k)
{
	return k == STORE_PODS;
}

static bool sh_take(struct model_walk *w, enum model_share what, void **field, uint16_t n)
{
	*field = sblob_get(((struct packer *)w)->s, what, *field, n);
	return true;
}

static bool sh_keep(struct model_walk *w, enum model_share what, void **field, uint16_t n)
{
	(void)w;
	(void)what;
	(void)field;
	(void)n;
	return true;
}

static bool sh_release(struct model_walk *w, enum model_share what, void **field, uint16_t n)
{
	(void)what;
	(void)n;
	sblob_release(((struct packer *)w)->s, *field);
	return true;
}

static void pk_arr(struct model_walk *w, void **field, size_t size)
{
	struct packer *p = (struct packer *)w;
	p->used = ALIGN8(p->used);
	if (p->cur) {
		memcpy(p->cur + p->used, *field, size);
		*field = p->cur + p->used;
	}
	p->used += size;
}

static void pk_ustr(struct model_walk *w, const char **field)
{
	struct packer *p = (struct packer *)w;
	if (!**field) {
		*field = "";
		return;
	}
	size_t n = strlen(*field) + 1;
	if (p->cur) {
		memcpy(p->cur + p->used, *field, n);
		*field = p->cur + p->used;
	}
	p->used += n;
}

static void rel_istr(struct model_walk *w, const char **field)
{
	intern_release(((struct packer *)w)->strings, *field);
}

static void release_strings(struct store *s, enum store_kind k, void *obj)
{
	struct packer p = {.w = {.istr = rel_istr}, .strings = s->strings, .s = s};
	if (shares(k))
		p.w.share = sh_release;
	store_kinds[k].walk(obj, &p.w);
}

static size_t head_size(enum store_kind k)
{
	size_t n = sizeof(struct sobj) + ALIGN8(store_kinds[k].size);
	return k == STORE_EVENTS ? n + sizeof(struct sage) : n;
}

static const char *rv_of(const struct sobj *h)
{
	return (const char *)h + head_size(h->kind);
}

static struct sage *age_of(struct sobj *h)
{
	return (struct sage *)((char *)SOBJ_DATA(h) + ALIGN8(sizeof(struct event)));
}

/* Move the decoded object tmp (its arrays and own strings in the scratch
 * arena) into a new exact-size block. */
static struct sobj *pack(struct store *s, enum store_kind k, void *tmp, const char *rv)
{
	bool (*keep)(struct model_walk *, enum model_share, void **, uint16_t) = NULL;
	if (shares(k)) {
		struct packer sh = {.w = {.share = sh_take}, .s = s};
		store_kinds[k].walk(tmp, &sh.w);
		keep = sh_keep;
	}
	/* The resourceVersion first, where rv_of finds it without a pointer. */
	size_t rvlen = strlen(rv) + 1;
	struct packer m = {.w = {.share = keep, .arr = pk_arr, .ustr = pk_ustr}, .used = rvlen};
	store_kinds[k].walk(tmp, &m.w);
	size_t head = head_size(k);
	size_t total = head + m.used;
	struct sobj *h = xmalloc(total);
	memset(h, 0, head);
	h->size = (uint32_t)total;
	h->kind = (uint8_t)k;
	void *obj = SOBJ_DATA(h);
	memcpy(obj, tmp, store_kinds[k].size);
	memcpy((char *)h + head, rv, rvlen);
	struct packer p = {.w = {.share = keep, .arr = pk_arr, .ustr = pk_ustr},
			   .cur = (char *)h + head,
			   .used = rvlen};
	store_kinds[k].walk(obj, &p.w);
	return h;
}

static void free_obj(struct store *s, struct sobj *h)
{
	release_strings(s, h->kind, SOBJ_DATA(h));
	free(h);
}

/* ---- changes ---- */

void store_subscribe(struct store *s, store_change_fn fn, void *ud)
{
	s->subs = xrealloc(s->subs, (s->nsubs + 1) * sizeof(*s->subs));
	s->subs[s->nsubs++] = (struct sub){fn, ud};
}

void store_unsubscribe(struct store *s, store_change_fn fn, void *ud)
{
	for (size_t i = 0; i < s->nsubs; i++) {
		if (s->subs[i].fn == fn && s->subs[i].ud == ud) {
			memmove(&s->subs[i], &s->subs[i + 1],
				(s->nsubs - i - 1) * sizeof(*s->subs));
			s->nsubs--;
			return;
		}
	}
}

static void notify(struct store *s, enum store_kind k, struct sobj *old, struct sobj *new)
{
	for (size_t i = 0; i < s->nsubs; i++)
		s->subs[i].fn(s->subs[i].ud, k, old ? SOBJ_DATA(old) : NULL,
			      new ? SOBJ_DATA(new) : NULL);
}

static void bump(struct store *s, enum store_kind k)
{
	s->gen++;
	s->kinds[k].gen = s->gen;
}

/* ---- events' age lists ---- */

static void age_unlink(struct skind *sk, struct sobj *h)
{
	struct sage *a = age_of(h);
	int w = ((const struct event *)SOBJ_DATA(h))->warning ? 1 : 0;
	if (a->prev)
		age_of(a->prev)->next = a->next;
	else
		sk->age_head[w] = a->next;
	if (a->next)
		age_of(a->next)->prev = a->prev;
	else
		sk->age_tail[w] = a->prev;
	a->next = a->prev = NULL;
}

static void age_append(struct skind *sk, struct sobj *h)
{
	struct sage *a = age_of(h);
	int w = ((const struct event *)SOBJ_DATA(h))->warning ? 1 : 0;
	a->prev = sk->age_tail[w];
	a->next = NULL;
	if (sk->age_tail[w])
		age_of(sk->age_tail[w])->next = h;
	else
		sk->age_head[w] = h;
	sk->age_tail[w] = h;
}

/* ---- removal ---- */

/* Take the object at slot out of every table and list (not freed). */
static void unlink_at(struct store *s, enum store_kind k, size_t slot)
{
	struct skind *sk = &s->kinds[k];
	struct sobj *h = sk->objs.slots[slot];
	ptable_remove_at(&sk->objs, slot);
	sindex_remove(s, h);
	if (k == STORE_EVENTS)
		age_unlink(sk, h);
	sk->bytes -= h->size;
}

static void link_obj(struct store *s, enum store_kind k, struct sobj *h)
{
	struct skind *sk = &s->kinds[k];
	ptable_insert(&sk->objs, h, h->hash);
	sindex_add(s, h);
	if (k == STORE_EVENTS)
		age_append(sk, h);
	sk->bytes += h->size;
}

static void remove_at(struct store *s, enum store_kind k, size_t slot)
{
	struct sobj *h = s->kinds[k].objs.slots[slot];
	unlink_at(s, k, slot);
	bump(s, k);
	notify(s, k, h, NULL);
	free_obj(s, h);
}

static void evict_events(struct store *s)
{
	struct skind *sk = &s->kinds[STORE_EVENTS];
	while (sk->objs.count > s->event_limit) {
		struct sobj *victim = sk->age_head[0] ? sk->age_head[0] : sk->age_head[1];
		struct objkey key = {sobj_ns(victim), sobj_name(victim)};
		remove_at(s, STORE_EVENTS, ptable_find(&sk->objs, victim->hash, obj_eq, &key));
	}
}

/* ---- upsert and delete ---- */

static const char *meta_str(const cJSON *obj, const char *key)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(meta, key);
	return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

static size_t find(const struct store *s, enum store_kind k, const char *ns, const char *name,
		   uint32_t *hash)
{
	if (store_kinds[k].ns_off < 0 || !ns)
		ns = "";
	struct objkey key = {ns, name};
	*hash = key_hash(ns, name);
	return ptable_find(&s->kinds[k].objs, *hash, obj_eq, &key);
}

void store_set_input_observer(struct store *s, store_input_fn fn, void *ud)
{
	s->input_fn = fn;
	s->input_ud = ud;
}

static void input(struct store *s, enum store_input op, enum store_kind k, const cJSON *obj)
{
	if (s->input_fn)
		s->input_fn(s->input_ud, op, k, obj);
}

int store_upsert_json(struct store *s, enum store_kind k, const struct cJSON *obj, struct perr *err)
{
	struct skind *sk = &s->kinds[k];
	input(s, STORE_IN_UPSERT, k, obj);
	if (!cJSON_IsObject(obj)) {
		perr_set(err, PERR_API, "cannot decode %s: not a JSON object", store_kinds[k].kind);
		return -1;
	}
	const char *name = meta_str(obj, "name");
	const char *rv = meta_str(obj, "resourceVersion");
	if (!*name) {
		perr_set(err, PERR_API, "%s without metadata.name", store_kinds[k].kind);
		return -1;
	}
	uint32_t hash;
	size_t slot = find(s, k, meta_str(obj, "namespace"), name, &hash);
	struct sobj *old = slot == SIZE_MAX ? NULL : sk->objs.slots[slot];
	/* The uid too: a server that lost its history (a restarted simulator)
	 * may hand out the same resourceVersion again for another object. */
	if (old && *rv && strcmp(rv_of(old), rv) == 0 &&
	    strcmp(store_obj_uid(SOBJ_DATA(old)), meta_str(obj, "uid")) == 0) {
		old->epoch = sk->epoch;
		return 0;
	}

	/* Big enough and aligned for any model struct. */
	union {
		struct pod p;
		struct deployment d;
		struct replicaset r;
		struct service sv;
		struct endpoints e;
		struct event ev;
		struct namespace_obj n;
		struct statefulset sts;
		struct daemonset ds;
		struct controller_revision cr;
		struct job job;
		struct cronjob cj;
	} tmp;
	struct model_decode_opts opts = {intern_cb, s->strings, true};
	if (store_kinds[k].decode(obj, &tmp, &s->scratch, &opts, err) < 0) {
		/* A refused object may have interned strings before the number
		 * that failed; its arrays are still its own (none is shared). */
		struct packer rel = {.w = {.istr = rel_istr}, .strings = s->strings, .s = s};
		store_kinds[k].walk(&tmp, &rel.w);
		model_arena_reset(&s->scratch);
		return -1;
	}
	struct sobj *h = pack(s, k, &tmp, rv);
	model_arena_reset(&s->scratch);
	h->hash = hash;
	h->epoch = sk->epoch;
	if (old)
		unlink_at(s, k, slot);
	link_obj(s, k, h);
	bump(s, k);
	h->changed = s->gen;
	notify(s, k, old, h);
	if (old)
		free_obj(s, old);
	if (k == STORE_EVENTS)
		evict_events(s);
	return 1;
}

int store_delete(struct store *s, enum store_kind k, const char *ns, const char *name)
{
	uint32_t hash;
	size_t slot = find(s, k, ns, name ? name : "", &hash);
	if (slot == SIZE_MAX)
		return 0;
	remove_at(s, k, slot);
	return 1;
}

int store_delete_json(struct store *s, enum store_kind k, const struct cJSON *obj)
{
	input(s, STORE_IN_DELETE, k, obj);
	return store_delete(s, k, meta_str(obj, "namespace"), meta_str(obj, "name"));
}

void store_replace_begin(struct store *s, enum store_kind k)
{
	input(s, STORE_IN_LIST_BEGIN, k, NULL);
	s->kinds[k].epoch++;
}

static size_t delete_where(struct store *s, enum store_kind k, bool all)
{
	struct skind *sk = &s->kinds[k];
	size_t n = 0;
	/* Collect first: removal shifts slots. */
	struct sobj **gone = xmalloc((sk->objs.count + 1) * sizeof(*gone));
	for (size_t i = 0; i < sk->objs.cap; i++) {
		struct sobj *h = sk->objs.slots[i];
		if (h && (all || h->epoch != sk->epoch))
			gone[n++] = h;
	}
	for (size_t i = 0; i < n; i++) {
		struct objkey key = {sobj_ns(gone[i]), sobj_name(gone[i])};
		remove_at(s, k, ptable_find(&sk->objs, gone[i]->hash, obj_eq, &key));
	}
	free(gone);
	return n;
}

size_t store_replace_end(struct store *s, enum store_kind k)
{
	input(s, STORE_IN_LIST_END, k, NULL);
	return delete_where(s, k, false);
}

void store_clear(struct store *s, enum store_kind k)
{
	delete_where(s, k, true);
}

void store_set_event_limit(struct store *s, size_t limit)
{
	s->event_limit = limit ? limit : 1;
	evict_events(s);
}

void store_free(struct store *s)
{
	if (!s)
		return;
	s->nsubs = 0;
	for (int k = 0; k < STORE_NKINDS; k++) {
		struct skind *sk = &s->kinds[k];
		for (size_t i = 0; i < sk->objs.cap; i++) {
			struct sobj *h = sk->objs.slots[i];
			if (!h)
				continue;
			sindex_remove(s, h);
			free_obj(s, h);
		}
		ptable_free(&sk->objs);
		ptable_free(&sk->parents);
	}
	ptable_free(&s->blobs);
	free(s->subs);
	model_arena_free(&s->scratch);
	intern_free(s->strings);
	free(s);
}

/* ---- lookups ---- */

const void *store_get(const struct store *s, enum store_kind k, const char *ns, const char *name)
{
	uint32_t hash;
	if ((unsigned)k >= STORE_NKINDS || !name)
		return NULL;
	size_t slot = find(s, k, ns, name, &hash);
	return slot == SIZE_MAX ? NULL : SOBJ_DATA(s->kinds[k].objs.slots[slot]);
}

enum store_kind store_obj_kind(const void *obj)
{
	return (enum store_kind)SOBJ_OF(obj)->kind;
}

uint64_t store_obj_changed(const void *obj)
{
	return SOBJ_OF(obj)->changed;
}

const char *store_obj_rv(const void *obj)
{
	return rv_of(SOBJ_OF(obj));
}

size_t store_obj_bytes(const void *obj)
{
	return SOBJ_OF(obj)->size;
}

size_t store_count(const struct store *s, enum store_kind k)
{
	return s->kinds[k].objs.count;
}

uint64_t store_generation(const struct store *s)
{
	return s->gen;
}

uint64_t store_kind_generation(const struct store *s, enum store_kind k)
{
	return s->kinds[k].gen;
}

size_t store_bytes(const struct store *s, enum store_kind k)
{
	return s->kinds[k].bytes + s->kinds[k].objs.cap * sizeof(void *);
}
