#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "ctrl_daemonset.h"
#include "ctrl_daemonset_int.h"
#include "ctrl_queue.h"
#include "sim.h"
#include "simobj.h"

/*
 * The DaemonSet controller's machinery: a store listener that marks the
 * DaemonSet of every changed pod or revision dirty, and every set on a node
 * change (its ResourceEventHandlers) in its queue (ctrl_queue.c), and the
 * failed pods' back-off.
 */

struct dsbackoff {
	char *key;
	int64_t delay, last;
	struct dsbackoff *next;
};

/* This controller's tag in the registry of states (ctrl_queue.h). */
static const char ds_tag;

static struct dsctl *ctl_of(struct sim *sim)
{
	return ctrlreg_get(&ds_tag, sim);
}

static void sync_one(void *ud, const char *key)
{
	dsctl_sync(ud, key);
}

static void dirty(struct dsctl *c, const char *ns, const char *name)
{
	ctrlq_add2(&c->q, ns, name);
}

void dsctl_wake_at(struct dsctl *c, const char *key, int64_t t)
{
	ctrlq_add_at(&c->q, key, t);
}

static struct dsbackoff *backoff_of(struct dsctl *c, const char *key)
{
	for (struct dsbackoff *b = c->backoff; b; b = b->next)
		if (strcmp(b->key, key) == 0)
			return b;
	return NULL;
}

bool dsctl_in_backoff(struct dsctl *c, const char *key, int64_t now, int64_t *delay)
{
	struct dsbackoff *b = backoff_of(c, key);
	*delay = b ? b->delay : 0;
	return b && now - b->last < b->delay;
}

/* BackOff.GC: entries silent for twice the maximum delay go (nodes and
 * generations come and go; the list must not grow with them). */
static void backoff_gc(struct dsctl *c, int64_t now)
{
	for (struct dsbackoff **pp = &c->backoff; *pp;) {
		struct dsbackoff *b = *pp;
		if (now - b->last > 2 * (int64_t)DS_BACKOFF_MAX_MS) {
			*pp = b->next;
			free(b->key);
			free(b);
		} else {
			pp = &b->next;
		}
	}
}

void dsctl_backoff_next(struct dsctl *c, const char *key, int64_t now)
{
	backoff_gc(c, now);
	struct dsbackoff *b = backoff_of(c, key);
	if (!b) {
		b = xcalloc(1, sizeof(*b));
		b->key = xstrdup(key);
		b->next = c->backoff;
		c->backoff = b;
		b->delay = DS_BACKOFF_INITIAL_MS;
	} else {
		b->delay = b->delay * 2 > DS_BACKOFF_MAX_MS ? DS_BACKOFF_MAX_MS : b->delay * 2;
	}
	b->last = now;
}

/* The DaemonSet that controls o, if one does; for an orphan pod or
 * revision, every set of its namespace (one of them may adopt it). */
static void dirty_owner(struct dsctl *c, const struct simobj *o)
{
	if (!o)
		return;
	const cJSON *ref = cj_controller_ref(o->json);
	const char *kind = cj_str(ref, "kind"), *name = cj_str(ref, "name");
	if (kind && name && strcmp(kind, "DaemonSet") == 0) {
		dirty(c, o->ns, name);
	} else if (!ref) {
		struct simsnap *s = simstore_snapshot(c->sim->store, c->sets);
		char *prefix = xasprintf("%s/", o->ns);
		size_t len = strlen(prefix);
		for (size_t i = simsnap_seek(s, prefix, true);
		     i < s->n && strncmp(s->items[i]->key, prefix, len) == 0; i++)
			dirty(c, s->items[i]->ns, s->items[i]->name);
		free(prefix);
		simsnap_unref(s);
	}
}

static void mark_all(struct dsctl *c)
{
	struct simsnap *s = simstore_snapshot(c->sim->store, c->sets);
	for (size_t i = 0; i < s->n; i++)
		dirty(c, s->items[i]->ns, s->items[i]->name);
	simsnap_unref(s);
}

static void on_event(void *ud, const struct simevent *ev)
{
	struct dsctl *c = ud;
	if (ev->obj->res == c->sets) {
		dirty(c, ev->obj->ns, ev->obj->name);
		return;
	}
	if (ev->obj->res == c->nodes) {
		/* addNode / updateNode / deleteNode: every set may gain or lose one. */
		mark_all(c);
		return;
	}
	dirty_owner(c, ev->obj);
	dirty_owner(c, ev->prev);
}

int simds_start(struct sim *sim)
{
	if (ctl_of(sim))
		return 0;
	struct dsctl *c = xcalloc(1, sizeof(*c));
	c->sim = sim;
	ctrlq_init(&c->q, sim, sync_one, c);
	c->pods = simres_find("", "v1", "pods");
	c->nodes = simres_find("", "v1", "nodes");
	c->sets = simres_find("apps", "v1", "daemonsets");
	c->crs = simres_find("apps", "v1", "controllerrevisions");
	ctrlreg_put(&ds_tag, sim, c);
	simstore_listen(sim->store, c->sets, on_event, c);
	simstore_listen(sim->store, c->pods, on_event, c);
	simstore_listen(sim->store, c->crs, on_event, c);
	simstore_listen(sim->store, c->nodes, on_event, c);
	mark_all(c);
	return 0;
}

void simds_stop(struct sim *sim)
{
	struct dsctl *c = ctrlreg_take(&ds_tag, sim);
	if (!c)
		return;
	if (sim->store)
		simstore_unlisten(sim->store, on_event, c);
	ctrlq_clear(&c->q);
	while (c->backoff) {
		struct dsbackoff *b = c->backoff;
		c->backoff = b->next;
		free(b->key);
		free(b);
	}
	free(c);
}
