#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "ctrl_statefulset.h"
#include "ctrl_statefulset_int.h"
#include "evloop.h"
#include "sim.h"
#include "simobj.h"

/*
 * The StatefulSet controller's machinery: a store listener that marks the
 * StatefulSet of every changed pod, revision or set dirty (its
 * ResourceEventHandlers), one 0 ms timer that syncs the dirty keys, and
 * wake-ups on the simulated clock (enqueueSSAfter for minReadySeconds).
 */

/* This controller's tag in the registry of states (ctrl_queue.h). */
static const char sts_tag;

static struct stsctl *ctl_of(struct sim *sim)
{
	return ctrlreg_get(&sts_tag, sim);
}

static void sync_one(void *ud, const char *key)
{
	stsctl_sync(ud, key);
}

static void dirty(struct stsctl *c, const char *ns, const char *name)
{
	ctrlq_add2(&c->q, ns, name);
}

void stsctl_wake_at(struct stsctl *c, const char *key, int64_t t)
{
	ctrlq_add_at(&c->q, key, t);
}

/* The StatefulSet that controls o, if one does; for an orphan, every set
 * of its namespace (one of them may adopt it). */
static void dirty_owner(struct stsctl *c, const struct simobj *o)
{
	if (!o)
		return;
	const cJSON *ref = cj_controller_ref(o->json);
	const char *kind = cj_str(ref, "kind"), *name = cj_str(ref, "name");
	if (kind && name && strcmp(kind, "StatefulSet") == 0) {
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

static void on_event(void *ud, const struct simevent *ev)
{
	struct stsctl *c = ud;
	if (ev->obj->res == c->sets) {
		dirty(c, ev->obj->ns, ev->obj->name);
		return;
	}
	dirty_owner(c, ev->obj);
	dirty_owner(c, ev->prev);
}

static void mark_all(struct stsctl *c)
{
	struct simsnap *s = simstore_snapshot(c->sim->store, c->sets);
	for (size_t i = 0; i < s->n; i++)
		dirty(c, s->items[i]->ns, s->items[i]->name);
	simsnap_unref(s);
}

int simsts_start(struct sim *sim)
{
	if (ctl_of(sim))
		return 0;
	struct stsctl *c = xcalloc(1, sizeof(*c));
	c->sim = sim;
	c->pods = simres_find("", "v1", "pods");
	c->pvcs = simres_find("", "v1", "persistentvolumeclaims");
	c->sets = simres_find("apps", "v1", "statefulsets");
	c->crs = simres_find("apps", "v1", "controllerrevisions");
	ctrlq_init(&c->q, sim, sync_one, c);
	ctrlreg_put(&sts_tag, sim, c);
	simstore_listen(sim->store, c->sets, on_event, c);
	simstore_listen(sim->store, c->pods, on_event, c);
	simstore_listen(sim->store, c->crs, on_event, c);
	mark_all(c);
	return 0;
}

void simsts_stop(struct sim *sim)
{
	struct stsctl *c = ctrlreg_take(&sts_tag, sim);
	if (!c)
		return;
	if (sim->store)
		simstore_unlisten(sim->store, on_event, c);
	ctrlq_clear(&c->q);
	free(c);
}
