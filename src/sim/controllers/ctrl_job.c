#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "ctrl_job.h"
#include "ctrl_job_int.h"
#include "sim.h"
#include "simobj.h"

/*
 * The Job controller's machinery: a store listener that marks the Job of
 * every changed pod or Job dirty (its pod and Job event handlers), pods
 * holding the tracking finalizer without a live Job for syncOrphanPod (two
 * queues, ctrl_queue.c, with wake-ups on the simulated clock for the
 * back-off, activeDeadlineSeconds and the TTL), and the back-off records
 * (backoffStore).
 */

struct jobbackoff {
	char *key;
	struct simjob_backoff b;
	struct jobbackoff *next;
};

/* This controller's tag in the registry of states (ctrl_queue.h). */
static const char job_tag;

static struct jobctl *ctl_of(struct sim *sim)
{
	return ctrlreg_get(&job_tag, sim);
}

static void dirty(struct jobctl *c, const char *ns, const char *name)
{
	ctrlq_add2(&c->dirty, ns, name);
}

void jobctl_wake_at(struct jobctl *c, const char *key, int64_t t)
{
	ctrlq_add_at(&c->dirty, key, t);
}

static void sync_job(void *ud, const char *key)
{
	jobctl_sync(ud, key);
}

static void sync_orphan(void *ud, const char *key)
{
	jobctl_sync_orphan(ud, key);
}

struct simjob_backoff jobctl_backoff_get(const struct jobctl *c, const char *key)
{
	for (const struct jobbackoff *b = c->backoffs; b; b = b->next)
		if (strcmp(b->key, key) == 0)
			return b->b;
	return (struct simjob_backoff){0, 0};
}

void jobctl_backoff_put(struct jobctl *c, const char *key, struct simjob_backoff v)
{
	for (struct jobbackoff *b = c->backoffs; b; b = b->next)
		if (strcmp(b->key, key) == 0) {
			b->b = v;
			return;
		}
	struct jobbackoff *b = xcalloc(1, sizeof(*b));
	b->key = xstrdup(key);
	b->b = v;
	b->next = c->backoffs;
	c->backoffs = b;
}

void jobctl_backoff_drop(struct jobctl *c, const char *key)
{
	for (struct jobbackoff **pp = &c->backoffs; *pp; pp = &(*pp)->next)
		if (strcmp((*pp)->key, key) == 0) {
			struct jobbackoff *b = *pp;
			*pp = b->next;
			free(b->key);
			free(b);
			return;
		}
}

/* The Job that controls a pod, or the orphan queue when its tracking
 * finalizer may have to go. */
static void pod_changed(struct jobctl *c, const struct simobj *o)
{
	if (!o)
		return;
	const cJSON *ref = cj_controller_ref(o->json);
	const char *kind = cj_str(ref, "kind"), *name = cj_str(ref, "name");
	bool job_ref = kind && name && strcmp(kind, "Job") == 0;
	if (job_ref)
		dirty(c, o->ns, name);
	if (simjob_has_finalizer(o->json) &&
	    (!job_ref || !simstore_get(c->sim->store, c->jobs, o->ns, name))) {
		ctrlq_add(&c->orphans, o->key);
	}
}

/* deleteJob: the pods the Job controlled that still hold the finalizer
 * go to syncOrphanPod. */
static void job_deleted(struct jobctl *c, const struct simobj *job)
{
	const char *uid = cj_str(cj_path(job->json, "metadata", NULL), "uid");
	struct simsnap *s = simstore_snapshot(c->sim->store, c->pods);
	char *prefix = xasprintf("%s/", job->ns);
	size_t len = strlen(prefix);
	for (size_t i = simsnap_seek(s, prefix, true);
	     i < s->n && strncmp(s->items[i]->key, prefix, len) == 0; i++) {
		const char *owner = cj_str(cj_controller_ref(s->items[i]->json), "uid");
		if (uid && owner && strcmp(owner, uid) == 0 &&
		    simjob_has_finalizer(s->items[i]->json))
			ctrlq_add(&c->orphans, s->items[i]->key);
	}
	free(prefix);
	simsnap_unref(s);
}

static void on_event(void *ud, const struct simevent *ev)
{
	struct jobctl *c = ud;
	if (ev->obj->res == c->jobs) {
		dirty(c, ev->obj->ns, ev->obj->name);
		if (ev->type == SIMEV_DELETED)
			job_deleted(c, ev->obj);
		return;
	}
	if (ev->type == SIMEV_DELETED) {
		pod_changed(c, ev->prev);
		return;
	}
	pod_changed(c, ev->obj);
}

static void mark_all(struct jobctl *c)
{
	struct simsnap *s = simstore_snapshot(c->sim->store, c->jobs);
	for (size_t i = 0; i < s->n; i++)
		dirty(c, s->items[i]->ns, s->items[i]->name);
	simsnap_unref(s);
	s = simstore_snapshot(c->sim->store, c->pods);
	for (size_t i = 0; i < s->n; i++)
		if (simjob_has_finalizer(s->items[i]->json))
			pod_changed(c, s->items[i]);
	simsnap_unref(s);
}

int simjob_start(struct sim *sim)
{
	if (ctl_of(sim))
		return 0;
	struct jobctl *c = xcalloc(1, sizeof(*c));
	c->sim = sim;
	c->pods = simres_find("", "v1", "pods");
	c->jobs = simres_find("batch", "v1", "jobs");
	ctrlq_init(&c->dirty, sim, sync_job, c);
	ctrlq_init(&c->orphans, sim, sync_orphan, c);
	ctrlreg_put(&job_tag, sim, c);
	simstore_listen(sim->store, c->jobs, on_event, c);
	simstore_listen(sim->store, c->pods, on_event, c);
	mark_all(c);
	return 0;
}

void simjob_stop(struct sim *sim)
{
	struct jobctl *c = ctrlreg_take(&job_tag, sim);
	if (!c)
		return;
	if (sim->store)
		simstore_unlisten(sim->store, on_event, c);
	while (c->backoffs)
		jobctl_backoff_drop(c, c->backoffs->key);
	ctrlq_clear(&c->dirty);
	ctrlq_clear(&c->orphans);
	free(c);
}
