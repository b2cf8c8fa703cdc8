#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "evloop.h"
#include "events.h"
#include "kubelet_int.h"
#include "resources.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"

/*
 * The kubelets: pod workers by "ns/name", a store listener that marks pods
 * dirty, a 0 ms timer that syncs them, and one timer per pod at the next
 * simulated moment something happens to it (a pull ends, a process exits, a
 * probe is due, a back-off is over, a grace period ends).
 */

unsigned khash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct kpod *kpod_find(struct simkubelet *k, const char *ns, const char *name)
{
	char key[512];
	snprintf(key, sizeof(key), "%s/%s", ns, name);
	for (struct kpod *kp = k->tab[khash(key) % KHASH]; kp; kp = kp->hnext)
		if (strcmp(kp->key, key) == 0)
			return kp;
	return NULL;
}

static void kpod_insert(struct simkubelet *k, struct kpod *kp)
{
	unsigned h = khash(kp->key) % KHASH;
	kp->hnext = k->tab[h];
	k->tab[h] = kp;
	k->npods++;
}

static void kpod_remove(struct simkubelet *k, struct kpod *kp)
{
	for (struct kpod **pp = &k->tab[khash(kp->key) % KHASH]; *pp; pp = &(*pp)->hnext) {
		if (*pp == kp) {
			*pp = kp->hnext;
			k->npods--;
			break;
		}
	}
	if (kp->timer)
		evloop_timer_cancel(k->sim->loop, kp->timer);
	kpod_free(kp);
}

static bool resolves(void *ud, const char *name)
{
	struct kpod *kp = ud;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", name);
	char *dot = strchr(buf, '.');
	const char *ns = kp->ns;
	if (dot) {
		*dot = '\0';
		char *ns2 = dot + 1, *d2 = strchr(ns2, '.');
		if (d2)
			*d2 = '\0';
		if (*ns2 && strcmp(ns2, "svc") != 0)
			ns = ns2;
	}
	if (strcmp(buf, "kubernetes") == 0 && strcmp(ns, "default") == 0)
		return true;
	return simstore_get(kp->k->sim->store, kp->k->services, ns, buf) != NULL;
}

const struct procsim_world *kworld(struct kpod *kp)
{
	kp->world.resolves = resolves;
	kp->world.ud = kp;
	return &kp->world;
}

struct knode *knode_get(struct simkubelet *k, const char *name)
{
	for (size_t i = 0; i < k->nknodes; i++)
		if (strcmp(k->knodes[i].name, name) == 0)
			return &k->knodes[i];
	k->knodes = xrealloc(k->knodes, (k->nknodes + 1) * sizeof(*k->knodes));
	struct knode *n = &k->knodes[k->nknodes++];
	memset(n, 0, sizeof(*n));
	n->name = xstrdup(name);
	n->subnet = (int)k->nknodes;
	n->next_ip = 2;
	struct simobj *o = simstore_get(k->sim->store, k->nodes, NULL, name);
	const cJSON *st = o ? cJSON_GetObjectItemCaseSensitive(o->json, "status") : NULL, *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(st, "addresses"))
	{
		const char *t = simjson_string(a, "type");
		if (t && strcmp(t, "InternalIP") == 0 && simjson_string(a, "address"))
			n->host_ip = xstrdup(simjson_string(a, "address"));
	}
	const char *cidr =
	    o ? simjson_string(cJSON_GetObjectItemCaseSensitive(o->json, "spec"), "podCIDR") : NULL;
	int a1, a2, a3;
	if (cidr && sscanf(cidr, "%d.%d.%d", &a1, &a2, &a3) == 3)
		n->subnet = a3;
	if (!n->host_ip)
		n->host_ip = xasprintf("172.18.0.%zu", k->nknodes + 1);
	return n;
}

bool knode_has_image(struct knode *n, const char *image)
{
	for (size_t i = 0; i < n->nimages; i++)
		if (strcmp(n->images[i], image) == 0)
			return true;
	return false;
}

void knode_add_image(struct knode *n, const char *image)
{
	if (knode_has_image(n, image))
		return;
	n->images = xrealloc(n->images, (n->nimages + 1) * sizeof(*n->images));
	n->images[n->nimages++] = xstrdup(image);
}

void kevent(struct kpod *kp, const struct kctr *c, const char *type, const char *reason,
	    const char *fmt, ...)
{
	struct sim *sim = kp->k->sim;
	struct simobj *o = simstore_get(sim->store, kp->k->pods, kp->ns, kp->name);
	if (!o)
		return;
	char msg[1024], field[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c)
		snprintf(field, sizeof(field), "%s{%s}",
			 c->init ? "spec.initContainers" : "spec.containers", c->name);
	const struct simevent_source src = {"kubelet", kp->node};
	/* The recorder reads o: hold it, an event write cannot change a pod. */
	simevents_record(sim, o->json, c ? field : NULL, &src, type, reason, "%s", msg);
}

static void pod_timer(void *ud)
{
	struct kpod *kp = ud;
	struct simkubelet *k = kp->k;
	kp->timer = NULL;
	kp->timer_at = KNEVER;
	if (!kpod_sync(kp, simclock_now(&k->sim->clock))) {
		kpod_remove(k, kp);
		return;
	}
	kpod_arm(kp);
}

void kpod_arm(struct kpod *kp)
{
	struct sim *sim = kp->k->sim;
	int64_t next = kpod_next(kp);
	if (kp->timer && next == kp->timer_at)
		return;
	if (kp->timer)
		evloop_timer_cancel(sim->loop, kp->timer);
	kp->timer = NULL;
	kp->timer_at = next;
	if (next != KNEVER)
		kp->timer = simclock_timer_at(&sim->clock, sim->loop, next, pod_timer, kp);
}

/* Made Running by a scenario (the load scenario's 100k pods): nothing to walk
 * until something happens to it. */
static bool settled(const cJSON *pod)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(pod, "status");
	const char *phase = simjson_string(st, "phase");
	if (!phase || strcmp(phase, "Running") != 0)
		return false;
	if (cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(pod, "metadata"),
					     "deletionTimestamp"))
		return false;
	const cJSON *cs, *list = cJSON_GetObjectItemCaseSensitive(st, "containerStatuses");
	if (cJSON_GetArraySize(list) == 0)
		return false;
	cJSON_ArrayForEach(cs, list)
	{
		const cJSON *state = cJSON_GetObjectItemCaseSensitive(cs, "state");
		if (!cJSON_GetObjectItemCaseSensitive(state, "running") ||
		    !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cs, "ready")))
			return false;
	}
	return true;
}

/* sim.podscope.dev/frozen: "true": a snapshot no kubelet touches (fixtures). */
static bool frozen(const cJSON *pod)
{
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(pod, "metadata");
	const char *v = simjson_string(cJSON_GetObjectItemCaseSensitive(md, "annotations"),
				       "sim.podscope.dev/frozen");
	return v && strcmp(v, "true") == 0;
}

static bool has_statuses(const cJSON *pod)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(pod, "status");
	return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(st, "containerStatuses")) > 0 ||
	       cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(st, "initContainerStatuses")) >
		   0;
}

static const char *node_of(const cJSON *pod)
{
	return simjson_string(cJSON_GetObjectItemCaseSensitive(pod, "spec"), "nodeName");
}

static const char *uid_of(const cJSON *pod)
{
	return simjson_string(cJSON_GetObjectItemCaseSensitive(pod, "metadata"), "uid");
}

struct kpod *kpod_get(struct simkubelet *k, const char *ns, const char *name)
{
	struct simobj *o = simstore_get(k->sim->store, k->pods, ns, name);
	struct kpod *kp = kpod_find(k, ns, name);
	if (kp && (!o || strcmp(kp->uid, uid_of(o->json) ? uid_of(o->json) : "") != 0)) {
		kpod_remove(k, kp);
		kp = NULL;
	}
	if (kp || !o)
		return kp;
	const char *node = node_of(o->json);
	/* Bound to a node that does not exist: no kubelet will ever run it. */
	if (!node || !*node || !simstore_get(k->sim->store, k->nodes, NULL, node))
		return NULL;
	kp = kpod_new(k, o->json);
	if (has_statuses(o->json))
		kpod_adopt(kp, o->json, simclock_now(&k->sim->clock));
	kpod_insert(k, kp);
	return kp;
}

static void sync_key(struct simkubelet *k, const char *key)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", key);
	char *slash = strchr(buf, '/');
	if (!slash)
		return;
	*slash = '\0';
	const char *ns = buf, *name = slash + 1;
	struct simobj *o = simstore_get(k->sim->store, k->pods, ns, name);
	struct kpod *kp = kpod_find(k, ns, name);
	if (!kp && (!o || settled(o->json) || frozen(o->json)))
		return;
	if (!(kp = kpod_get(k, ns, name)))
		return;
	if (!kpod_sync(kp, simclock_now(&k->sim->clock))) {
		kpod_remove(k, kp);
		return;
	}
	kpod_arm(kp);
}

static void dirty_run(void *ud)
{
	struct simkubelet *k = ud;
	k->dirty_timer = NULL;
	char **keys = k->dirty;
	size_t n = k->ndirty;
	k->dirty = NULL;
	k->ndirty = k->capdirty = 0;
	for (size_t i = 0; i < n; i++) {
		sync_key(k, keys[i]);
		free(keys[i]);
	}
	free(keys);
}

static void mark(struct simkubelet *k, const char *key)
{
	if (k->ndirty > 0 && strcmp(k->dirty[k->ndirty - 1], key) == 0)
		return;
	if (k->ndirty == k->capdirty) {
		k->capdirty = k->capdirty ? k->capdirty * 2 : 16;
		k->dirty = xrealloc(k->dirty, k->capdirty * sizeof(*k->dirty));
	}
	k->dirty[k->ndirty++] = xstrdup(key);
	if (!k->dirty_timer)
		k->dirty_timer = evloop_timer_in(k->sim->loop, 0, dirty_run, k);
}

static void on_pod(void *ud, const struct simevent *ev)
{
	struct simkubelet *k = ud;
	/* Our own status writes are not news; everything else is handled later,
	 * from the 0 ms timer, never inside someone's write. */
	if (k->writing_key && strcmp(k->writing_key, ev->obj->key) == 0) {
		/* A listener that wrote the same pod in reaction is news. */
		if (k->writing_events++ > 0)
			mark(k, ev->obj->key);
		return;
	}
	if (ev->type == SIMEV_DELETED) {
		if (kpod_find(k, ev->obj->ns, ev->obj->name))
			mark(k, ev->obj->key);
		return;
	}
	const char *node = node_of(ev->obj->json);
	if (!node || !*node)
		return;
	if ((ev->type == SIMEV_ADDED && settled(ev->obj->json)) || frozen(ev->obj->json))
		return;
	mark(k, ev->obj->key);
}

int kubelet_start(struct sim *sim)
{
	struct simkubelet *k = xcalloc(1, sizeof(*k));
	k->sim = sim;
	k->pods = simres_find("", "v1", "pods");
	k->services = simres_find("", "v1", "services");
	k->nodes = simres_find("", "v1", "nodes");
	sim->kubelet = k;
	simstore_listen(sim->store, k->pods, on_pod, k);
	struct simsnap *ps = simstore_snapshot(sim->store, k->pods);
	for (size_t i = 0; i < ps->n; i++) {
		struct simevent ev = {.type = SIMEV_ADDED, .obj = ps->items[i]};
		on_pod(k, &ev);
	}
	simsnap_unref(ps);
	return 0;
}

void kregistry_free(struct sim *sim);

void kubelet_stop(struct sim *sim)
{
	kregistry_free(sim);
	struct simkubelet *k = sim->kubelet;
	if (!k)
		return;
	simstore_unlisten(sim->store, on_pod, k);
	if (k->dirty_timer)
		evloop_timer_cancel(sim->loop, k->dirty_timer);
	for (size_t i = 0; i < k->ndirty; i++)
		free(k->dirty[i]);
	free(k->dirty);
	for (size_t h = 0; h < KHASH; h++) {
		while (k->tab[h]) {
			struct kpod *kp = k->tab[h];
			k->tab[h] = kp->hnext;
			if (kp->timer)
				evloop_timer_cancel(sim->loop, kp->timer);
			kpod_free(kp);
		}
	}
	for (size_t i = 0; i < k->nknodes; i++) {
		free(k->knodes[i].name);
		free(k->knodes[i].host_ip);
		for (size_t j = 0; j < k->knodes[i].nimages; j++)
			free(k->knodes[i].images[j]);
		free(k->knodes[i].images);
	}
	free(k->knodes);
	free(k);
	sim->kubelet = NULL;
}

int64_t kubelet_next_wakeup(const struct sim *sim)
{
	const struct simkubelet *k = sim->kubelet;
	if (!k)
		return KNEVER;
	int64_t next = k->ndirty ? simclock_now(&sim->clock) : KNEVER;
	for (size_t h = 0; h < KHASH; h++)
		for (const struct kpod *kp = k->tab[h]; kp; kp = kp->hnext) {
			int64_t t = kpod_next(kp);
			if (t < next)
				next = t;
		}
	return next;
}

void kubelet_poke(struct sim *sim)
{
	struct simkubelet *k = sim->kubelet;
	if (!k)
		return;
	for (size_t h = 0; h < KHASH; h++)
		for (struct kpod *kp = k->tab[h]; kp; kp = kp->hnext) {
			if (kp->timer)
				evloop_timer_cancel(sim->loop, kp->timer);
			kp->timer = NULL;
			kp->timer_at = KNEVER;
			kpod_arm(kp);
		}
}
