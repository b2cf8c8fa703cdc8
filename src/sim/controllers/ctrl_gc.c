#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "api_write.h"
#include "ctrl_gc.h"
#include "evloop.h"
#include "poddelete.h"
#include "sim.h"
#include "simobj.h"

/* An owner to look after: deleted, or being deleted in the foreground. */
struct owner {
	const struct simres *res;
	char *ns, *name, *uid;
};

struct gcstate {
	struct gcstate *next;
	struct sim *sim;
	struct evtimer *timer;
	struct owner *owners;
	size_t nowners, capowners;
	char **dirty_ns;
	size_t ndirty, capdirty;
};

static struct gcstate *states;

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static cJSON *mget(cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static bool has_finalizer(const cJSON *md, const char *which)
{
	const cJSON *f;
	cJSON_ArrayForEach(f, get(md, "finalizers"))
	{
		if (cJSON_IsString(f) && (!which || strcmp(f->valuestring, which) == 0))
			return true;
	}
	return false;
}

/* Every object of namespace ns in res, as a snapshot range [*lo, *hi). */
static struct simsnap *ns_range(struct sim *sim, const struct simres *res, const char *ns,
				size_t *lo, size_t *hi)
{
	struct simsnap *s = simstore_snapshot(sim->store, res);
	char *prefix = xasprintf("%s/", ns);
	size_t len = strlen(prefix);
	*lo = simsnap_seek(s, prefix, true);
	*hi = *lo;
	while (*hi < s->n && strncmp(s->items[*hi]->key, prefix, len) == 0)
		(*hi)++;
	free(prefix);
	return s;
}

static bool refs_uid(const struct simobj *o, const char *uid)
{
	const cJSON *ref;
	cJSON_ArrayForEach(ref, get(get(o->json, "metadata"), "ownerReferences"))
	{
		const char *u = simjson_string(ref, "uid");
		if (u && strcmp(u, uid) == 0)
			return true;
	}
	return false;
}

static bool may_depend(const struct simres *res)
{
	return res->namespaced && strcmp(res->plural, "events") != 0;
}

void simgc_orphan(struct sim *sim, const char *ns, const char *uid)
{
	if (!ns || !*ns || !uid)
		return;
	for (size_t r = 0; r < simres_count(); r++) {
		const struct simres *res = simres_at(r);
		if (!may_depend(res))
			continue;
		size_t lo, hi;
		struct simsnap *s = ns_range(sim, res, ns, &lo, &hi);
		for (size_t i = lo; i < hi; i++) {
			if (!refs_uid(s->items[i], uid))
				continue;
			cJSON *obj = simobj_copy(s->items[i]);
			cJSON *refs = mget(mget(obj, "metadata"), "ownerReferences");
			for (int j = cJSON_GetArraySize(refs) - 1; j >= 0; j--) {
				const char *u = simjson_string(cJSON_GetArrayItem(refs, j), "uid");
				if (u && strcmp(u, uid) == 0)
					cJSON_DeleteItemFromArray(refs, j);
			}
			if (cJSON_GetArraySize(refs) == 0)
				cJSON_DeleteItemFromObjectCaseSensitive(mget(obj, "metadata"),
									"ownerReferences");
			simstore_update(sim->store, res, obj, 0, NULL);
		}
		simsnap_unref(s);
	}
}

bool simgc_has_dependents(struct sim *sim, const char *ns, const char *uid)
{
	if (!ns || !*ns || !uid)
		return false;
	bool found = false;
	for (size_t r = 0; r < simres_count() && !found; r++) {
		const struct simres *res = simres_at(r);
		if (!may_depend(res))
			continue;
		size_t lo, hi;
		struct simsnap *s = ns_range(sim, res, ns, &lo, &hi);
		for (size_t i = lo; i < hi && !found; i++)
			found = refs_uid(s->items[i], uid);
		simsnap_unref(s);
	}
	return found;
}

/* --- bookkeeping ------------------------------------------------------------ */

static void sync(void *ud);

static void kick(struct gcstate *st)
{
	if (!st->timer)
		st->timer = evloop_timer_in(st->sim->loop, 0, sync, st);
}

static void push_owner(struct gcstate *st, const struct simres *res, const char *ns,
		       const char *name, const char *uid)
{
	if (!ns || !*ns || !uid || !name)
		return;
	for (size_t i = 0; i < st->nowners; i++)
		if (strcmp(st->owners[i].uid, uid) == 0)
			return;
	if (st->nowners == st->capowners) {
		st->capowners = st->capowners ? st->capowners * 2 : 16;
		st->owners = xrealloc(st->owners, st->capowners * sizeof(*st->owners));
	}
	st->owners[st->nowners++] = (struct owner){res, xstrdup(ns), xstrdup(name), xstrdup(uid)};
	kick(st);
}

static void mark_ns(struct gcstate *st, const char *ns)
{
	for (size_t i = 0; i < st->ndirty; i++)
		if (strcmp(st->dirty_ns[i], ns) == 0)
			return;
	if (st->ndirty == st->capdirty) {
		st->capdirty = st->capdirty ? st->capdirty * 2 : 8;
		st->dirty_ns = xrealloc(st->dirty_ns, st->capdirty * sizeof(char *));
	}
	st->dirty_ns[st->ndirty++] = xstrdup(ns);
	kick(st);
}

static const struct simres *nsres(void)
{
	return simres_find("", "v1", "namespaces");
}

static bool ns_terminating(struct sim *sim, const char *ns)
{
	struct simobj *o = simstore_get(sim->store, nsres(), NULL, ns);
	return o && get(get(o->json, "metadata"), "deletionTimestamp");
}

/* Is the owner a ref names still there, and is it being deleted in the foreground? */
enum ostate { GONE, FOREGROUND, ALIVE };

static enum ostate owner_state(struct sim *sim, const char *ns, const cJSON *ref,
			       const struct simres **res_out, struct simobj **obj_out)
{
	const struct simres *res =
	    simres_by_kind(simjson_string(ref, "apiVersion"), simjson_string(ref, "kind"));
	const char *name = simjson_string(ref, "name"), *uid = simjson_string(ref, "uid");
	if (!res || !name || !uid)
		return GONE;
	struct simobj *o = simstore_get(sim->store, res, res->namespaced ? ns : NULL, name);
	const cJSON *md = o ? get(o->json, "metadata") : NULL;
	const char *ouid = simjson_string(md, "uid");
	if (!ouid || strcmp(ouid, uid) != 0)
		return GONE;
	if (res_out)
		*res_out = res;
	if (obj_out)
		*obj_out = o;
	if (get(md, "deletionTimestamp") && has_finalizer(md, "foregroundDeletion"))
		return FOREGROUND;
	return ALIVE;
}

static void on_event(void *ud, const struct simevent *ev)
{
	struct gcstate *st = ud;
	struct sim *sim = st->sim;
	const struct simobj *o = ev->obj;
	const cJSON *md = get(o->json, "metadata");
	const char *uid = simjson_string(md, "uid");
	if (o->res == nsres()) {
		if (ev->type != SIMEV_DELETED && get(md, "deletionTimestamp"))
			mark_ns(st, o->name);
		return;
	}
	if (ev->type == SIMEV_DELETED) {
		/* Kinds that own nothing here are not worth a scan. */
		const char *pl = o->res->plural;
		if (strcmp(pl, "pods") != 0 && strcmp(pl, "events") != 0 &&
		    strcmp(pl, "endpoints") != 0 && strcmp(pl, "endpointslices") != 0)
			push_owner(st, o->res, o->ns, o->name, uid);
		const cJSON *ref;
		cJSON_ArrayForEach(ref, get(md, "ownerReferences"))
		{
			const struct simres *ores = NULL;
			if (owner_state(sim, o->ns, ref, &ores, NULL) == FOREGROUND)
				push_owner(st, ores, o->ns, simjson_string(ref, "name"),
					   simjson_string(ref, "uid"));
		}
	} else if (get(md, "deletionTimestamp") && has_finalizer(md, "foregroundDeletion")) {
		push_owner(st, o->res, o->ns, o->name, uid);
	}
	if (*o->ns && ns_terminating(sim, o->ns))
		mark_ns(st, o->ns);
}

/* --- garbage collection ------------------------------------------------------ */

static void collect_dependent(struct sim *sim, const struct simres *res, const struct simobj *dep)
{
	const cJSON *md = get(dep->json, "metadata");
	bool alive = false, fg = false, gone = false;
	const cJSON *ref;
	cJSON_ArrayForEach(ref, get(md, "ownerReferences"))
	{
		enum ostate s = owner_state(sim, dep->ns, ref, NULL, NULL);
		alive |= s == ALIVE;
		fg |= s == FOREGROUND;
		gone |= s == GONE;
	}
	if (!alive) {
		if (!get(md, "deletionTimestamp"))
			simwrite_delete_object(sim, res, dep->ns, dep->name, -1,
					       fg ? "Foreground" : "Background", NULL, NULL);
		return;
	}
	if (!gone)
		return;
	cJSON *obj = simobj_copy(dep);
	cJSON *refs = mget(mget(obj, "metadata"), "ownerReferences");
	for (int j = cJSON_GetArraySize(refs) - 1; j >= 0; j--)
		if (owner_state(sim, dep->ns, cJSON_GetArrayItem(refs, j), NULL, NULL) == GONE)
			cJSON_DeleteItemFromArray(refs, j);
	simstore_update(sim->store, res, obj, 0, NULL);
}

static void finish_foreground(struct sim *sim, const struct owner *ow)
{
	struct simobj *o = simstore_get(sim->store, ow->res, ow->ns, ow->name);
	const cJSON *md = o ? get(o->json, "metadata") : NULL;
	const char *uid = simjson_string(md, "uid");
	if (!uid || strcmp(uid, ow->uid) != 0 || !get(md, "deletionTimestamp") ||
	    !has_finalizer(md, "foregroundDeletion") || simgc_has_dependents(sim, ow->ns, ow->uid))
		return;
	cJSON *obj = simobj_copy(o);
	cJSON *fin = mget(mget(obj, "metadata"), "finalizers");
	for (int j = cJSON_GetArraySize(fin) - 1; j >= 0; j--) {
		const cJSON *f = cJSON_GetArrayItem(fin, j);
		if (cJSON_IsString(f) && strcmp(f->valuestring, "foregroundDeletion") == 0)
			cJSON_DeleteItemFromArray(fin, j);
	}
	bool last = cJSON_GetArraySize(fin) == 0;
	if (last)
		cJSON_DeleteItemFromObjectCaseSensitive(mget(obj, "metadata"), "finalizers");
	if (simstore_update(sim->store, ow->res, obj, 0, NULL) == SIMSTORE_OK && last)
		simstore_delete(sim->store, ow->res, ow->ns, ow->name, 0, NULL);
}

static void gc_namespace(struct sim *sim, const struct owner *owners, size_t n, const char *ns)
{
	for (size_t r = 0; r < simres_count(); r++) {
		const struct simres *res = simres_at(r);
		if (!may_depend(res))
			continue;
		size_t lo, hi;
		struct simsnap *s = ns_range(sim, res, ns, &lo, &hi);
		for (size_t i = lo; i < hi; i++) {
			bool hit = false;
			for (size_t k = 0; k < n && !hit; k++)
				hit = strcmp(owners[k].ns, ns) == 0 &&
				      refs_uid(s->items[i], owners[k].uid);
			if (hit)
				collect_dependent(sim, res, s->items[i]);
		}
		simsnap_unref(s);
	}
}

/* --- namespaces ------------------------------------------------------------- */

static void sync_namespace(struct sim *sim, const char *ns)
{
	if (!ns_terminating(sim, ns))
		return;
	size_t left = 0;
	for (size_t r = 0; r < simres_count(); r++) {
		const struct simres *res = simres_at(r);
		if (!res->namespaced)
			continue;
		size_t lo, hi;
		struct simsnap *s = ns_range(sim, res, ns, &lo, &hi);
		for (size_t i = lo; i < hi; i++) {
			const struct simobj *o = s->items[i];
			bool pod = strcmp(res->plural, "pods") == 0;
			if (pod || !get(get(o->json, "metadata"), "deletionTimestamp"))
				simwrite_delete_object(sim, res, o->ns, o->name, -1, "Background",
						       NULL, NULL);
		}
		simsnap_unref(s);
		s = ns_range(sim, res, ns, &lo, &hi);
		left += hi - lo;
		simsnap_unref(s);
	}
	if (left == 0)
		simstore_delete(sim->store, nsres(), NULL, ns, 0, NULL);
}

static void sync(void *ud)
{
	struct gcstate *st = ud;
	st->timer = NULL;
	struct owner *owners = st->owners;
	size_t n = st->nowners;
	char **dirty = st->dirty_ns;
	size_t nd = st->ndirty;
	st->owners = NULL;
	st->nowners = st->capowners = 0;
	st->dirty_ns = NULL;
	st->ndirty = st->capdirty = 0;
	for (size_t i = 0; i < n; i++) {
		bool first = true;
		for (size_t j = 0; j < i && first; j++)
			first = strcmp(owners[j].ns, owners[i].ns) != 0;
		if (first)
			gc_namespace(st->sim, owners, n, owners[i].ns);
	}
	for (size_t i = 0; i < n; i++) {
		finish_foreground(st->sim, &owners[i]);
		free(owners[i].ns);
		free(owners[i].name);
		free(owners[i].uid);
	}
	free(owners);
	for (size_t i = 0; i < nd; i++) {
		sync_namespace(st->sim, dirty[i]);
		free(dirty[i]);
	}
	free(dirty);
}

int simgc_start(struct sim *sim)
{
	struct gcstate *st = xcalloc(1, sizeof(*st));
	st->sim = sim;
	st->next = states;
	states = st;
	simstore_listen(sim->store, NULL, on_event, st);
	/* Namespaces loaded already Terminating. */
	struct simsnap *s = simstore_snapshot(sim->store, nsres());
	for (size_t i = 0; i < s->n; i++)
		if (get(get(s->items[i]->json, "metadata"), "deletionTimestamp"))
			mark_ns(st, s->items[i]->name);
	simsnap_unref(s);
	return 0;
}

void simgc_stop(struct sim *sim)
{
	simpod_delete_stop(sim);
	for (struct gcstate **pp = &states; *pp; pp = &(*pp)->next) {
		struct gcstate *st = *pp;
		if (st->sim != sim)
			continue;
		*pp = st->next;
		simstore_unlisten(sim->store, on_event, st);
		if (st->timer)
			evloop_timer_cancel(sim->loop, st->timer);
		for (size_t i = 0; i < st->nowners; i++) {
			free(st->owners[i].ns);
			free(st->owners[i].name);
			free(st->owners[i].uid);
		}
		free(st->owners);
		for (size_t i = 0; i < st->ndirty; i++)
			free(st->dirty_ns[i]);
		free(st->dirty_ns);
		free(st);
		return;
	}
}
