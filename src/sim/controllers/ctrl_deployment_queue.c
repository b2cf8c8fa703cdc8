#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrl_deployment_int.h"
#include "podscope/duration.h"
#include "podscope/xalloc.h"
#include "simobj.h"

/*
 * The deployment and ReplicaSet controllers' shared machinery: a store
 * listener that keeps owner indexes and marks keys dirty, one 0 ms timer
 * that syncs the dirty keys (ReplicaSets first), time-based wake-ups on the
 * simulated clock, and the garbage collection of the objects a deleted
 * Deployment or ReplicaSet owned.
 */

/* --- keyq ------------------------------------------------------------------ */

struct keyq_ent {
	char *key;
	struct keyq_ent *next;
};

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct keyq_ent **keyq_slot(struct keyq *q, const char *key)
{
	struct keyq_ent **pp = &q->buckets[hash_str(key) & (q->nbuckets - 1)];
	while (*pp && strcmp((*pp)->key, key) != 0)
		pp = &(*pp)->next;
	return pp;
}

void keyq_push(struct keyq *q, const char *key)
{
	if (!q->nbuckets) {
		q->nbuckets = 256;
		q->buckets = xcalloc(q->nbuckets, sizeof(*q->buckets));
	}
	struct keyq_ent **pp = keyq_slot(q, key);
	if (*pp)
		return;
	struct keyq_ent *e = xcalloc(1, sizeof(*e));
	e->key = xstrdup(key);
	*pp = e;
	q->count++;
	if (q->n == q->cap) {
		size_t ncap = q->cap ? q->cap * 2 : 64;
		char **v = xcalloc(ncap, sizeof(*v));
		for (size_t i = 0; i < q->n; i++)
			v[i] = q->v[(q->head + i) % q->cap];
		free(q->v);
		q->v = v;
		q->cap = ncap;
		q->head = 0;
	}
	q->v[(q->head + q->n) % q->cap] = xstrdup(key);
	q->n++;
}

char *keyq_pop(struct keyq *q)
{
	if (!q->n)
		return NULL;
	char *k = q->v[q->head];
	q->head = (q->head + 1) % q->cap;
	q->n--;
	struct keyq_ent **pp = keyq_slot(q, k);
	struct keyq_ent *e = *pp;
	if (e) {
		*pp = e->next;
		free(e->key);
		free(e);
		q->count--;
	}
	return k;
}

void keyq_free(struct keyq *q)
{
	char *k;
	while ((k = keyq_pop(q)))
		free(k);
	free(q->v);
	free(q->buckets);
	memset(q, 0, sizeof(*q));
}

/* --- ownidx ---------------------------------------------------------------- */

/* One owner's keys, in a list (what ownidx_get hands out) and an
 * open-addressing index into it, so that adding and removing one of many
 * thousand pods costs no scan of the others. */
struct own_ent {
	char *uid;
	char **keys;
	size_t n, cap;
	size_t *slots; /* index + 1 into keys; 0: empty */
	size_t nslots; /* a power of two, at least twice n */
	struct own_ent *next;
};

static size_t *own_find(const struct own_ent *e, const char *key)
{
	size_t mask = e->nslots - 1, i = hash_str(key) & mask;
	while (e->slots[i] && strcmp(e->keys[e->slots[i] - 1], key) != 0)
		i = (i + 1) & mask;
	return &e->slots[i];
}

static void own_rehash(struct own_ent *e, size_t nslots)
{
	free(e->slots);
	e->nslots = nslots;
	e->slots = xcalloc(nslots, sizeof(*e->slots));
	for (size_t i = 0; i < e->n; i++)
		*own_find(e, e->keys[i]) = i + 1;
}

/* Empty slot i, moving later entries of its cluster back (no tombstones). */
static void own_unslot(struct own_ent *e, size_t i)
{
	size_t mask = e->nslots - 1, j = i;
	e->slots[i] = 0;
	for (;;) {
		j = (j + 1) & mask;
		if (!e->slots[j])
			return;
		size_t h = hash_str(e->keys[e->slots[j] - 1]) & mask;
		bool stays = i <= j ? (h > i && h <= j) : (h > i || h <= j);
		if (!stays) {
			e->slots[i] = e->slots[j];
			e->slots[j] = 0;
			i = j;
		}
	}
}

#define OWN_BUCKETS 4096

static struct own_ent **own_slot(const struct ownidx *ix, const char *uid)
{
	struct own_ent **pp = &ix->buckets[hash_str(uid) & (ix->nbuckets - 1)];
	while (*pp && strcmp((*pp)->uid, uid) != 0)
		pp = &(*pp)->next;
	return pp;
}

void ownidx_add(struct ownidx *ix, const char *uid, const char *key)
{
	if (!ix->nbuckets) {
		ix->nbuckets = OWN_BUCKETS;
		ix->buckets = xcalloc(ix->nbuckets, sizeof(*ix->buckets));
	}
	struct own_ent **pp = own_slot(ix, uid);
	if (!*pp) {
		*pp = xcalloc(1, sizeof(**pp));
		(*pp)->uid = xstrdup(uid);
	}
	struct own_ent *e = *pp;
	if ((e->n + 1) * 2 > e->nslots)
		own_rehash(e, e->nslots ? e->nslots * 2 : 16);
	size_t *slot = own_find(e, key);
	if (*slot)
		return;
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 8;
		e->keys = xrealloc(e->keys, e->cap * sizeof(*e->keys));
	}
	e->keys[e->n++] = xstrdup(key);
	*slot = e->n;
}

static void own_ent_free(struct own_ent *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->keys[i]);
	free(e->keys);
	free(e->slots);
	free(e->uid);
	free(e);
}

void ownidx_del(struct ownidx *ix, const char *uid, const char *key)
{
	if (!ix->nbuckets)
		return;
	struct own_ent **pp = own_slot(ix, uid);
	struct own_ent *e = *pp;
	if (!e)
		return;
	size_t *slot = own_find(e, key);
	if (*slot) {
		size_t i = *slot - 1;
		own_unslot(e, (size_t)(slot - e->slots));
		free(e->keys[i]);
		if (i != --e->n) {
			e->keys[i] = e->keys[e->n];
			*own_find(e, e->keys[i]) = i + 1;
		}
	}
	if (e->n == 0) {
		*pp = e->next;
		own_ent_free(e);
	}
}

char *const *ownidx_get(const struct ownidx *ix, const char *uid, size_t *n)
{
	*n = 0;
	if (!ix->nbuckets || !uid)
		return NULL;
	struct own_ent *e = *own_slot(ix, uid);
	if (!e)
		return NULL;
	*n = e->n;
	return e->keys;
}

void ownidx_free(struct ownidx *ix)
{
	for (size_t i = 0; i < ix->nbuckets; i++) {
		struct own_ent *e = ix->buckets[i];
		while (e) {
			struct own_ent *next = e->next;
			own_ent_free(e);
			e = next;
		}
	}
	free(ix->buckets);
	memset(ix, 0, sizeof(*ix));
}

/* --- JSON helpers ---------------------------------------------------------- */

const cJSON *cj_path(const cJSON *obj, ...)
{
	va_list ap;
	va_start(ap, obj);
	const char *k;
	while (obj && (k = va_arg(ap, const char *)))
		obj = cJSON_GetObjectItemCaseSensitive(obj, k);
	va_end(ap);
	return obj;
}

const char *cj_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int64_t cj_int(const cJSON *obj, const char *key, int64_t dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : dflt;
}

int64_t cj_time(const cJSON *obj, const char *key)
{
	const char *s = cj_str(obj, key);
	int64_t ms;
	if (!s || duration_parse_rfc3339(s, &ms, NULL) != 0)
		return 0;
	return ms;
}

const cJSON *cj_controller_ref(const cJSON *obj)
{
	const cJSON *refs = cj_path(obj, "metadata", "ownerReferences", NULL);
	const cJSON *r;
	cJSON_ArrayForEach(r, refs)
	{
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "controller")))
			return r;
	}
	return NULL;
}

void cj_split_key(const char *key, char ns[256], char name[256])
{
	const char *slash = strchr(key, '/');
	if (!slash) {
		ns[0] = '\0';
		snprintf(name, 256, "%s", key);
		return;
	}
	snprintf(ns, 256, "%.*s", (int)(slash - key), key);
	snprintf(name, 256, "%s", slash + 1);
}

/* Drop what Go's decoder cannot tell from absent: null, and (as
 * apiequality.Semantic does for nil and empty maps and slices) {} and []. */
void cj_normalize(cJSON *v)
{
	cJSON *c = v ? v->child : NULL;
	while (c) {
		cJSON *next = c->next;
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			cj_normalize(c);
		if (cJSON_IsNull(c) || ((cJSON_IsObject(c) || cJSON_IsArray(c)) && !c->child))
			cJSON_Delete(cJSON_DetachItemViaPointer(v, c));
		c = next;
	}
}

bool cj_template_equal_ignore_hash(const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return !a && !b;
	cJSON *x = cJSON_Duplicate(a, 1), *y = cJSON_Duplicate(b, 1);
	cJSON *lx = (cJSON *)cj_path(x, "metadata", "labels", NULL);
	cJSON *ly = (cJSON *)cj_path(y, "metadata", "labels", NULL);
	cJSON_DeleteItemFromObjectCaseSensitive(lx, "pod-template-hash");
	cJSON_DeleteItemFromObjectCaseSensitive(ly, "pod-template-hash");
	cj_normalize(x);
	cj_normalize(y);
	bool eq = cJSON_Compare(x, y, true);
	cJSON_Delete(x);
	cJSON_Delete(y);
	return eq;
}

bool cj_pod_available(const cJSON *pod, int32_t min_ready, int64_t now, int64_t *wake)
{
	int64_t since;
	if (!cj_pod_ready(pod, &since))
		return false;
	if (min_ready <= 0)
		return true;
	int64_t at = since + (int64_t)min_ready * 1000;
	if (since && at < now)
		return true;
	if (since && (*wake < 0 || at + 1 < *wake))
		*wake = at + 1;
	return false;
}

bool cj_pod_ready(const cJSON *pod, int64_t *since)
{
	const cJSON *c;
	*since = 0;
	cJSON_ArrayForEach(c, cj_path(pod, "status", "conditions", NULL))
	{
		const char *t = cj_str(c, "type"), *s = cj_str(c, "status");
		if (t && strcmp(t, "Ready") == 0) {
			if (!s || strcmp(s, "True") != 0)
				return false;
			*since = cj_time(c, "lastTransitionTime");
			return true;
		}
	}
	return false;
}

void cj_set_int(cJSON *obj, const char *key, int64_t v)
{
	simjson_set_number(obj, key, (double)v);
}
