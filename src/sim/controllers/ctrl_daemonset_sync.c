#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "ctrl_daemonset_int.h"
#include "sim.h"
#include "simobj.h"

/*
 * One syncDaemonSet (daemon_controller.go): claim the pods and revisions,
 * constructHistory, manage, then rollingUpdate once nothing is in flight,
 * cleanupHistory and updateDaemonSetStatus.
 */

static bool load(struct dssync *s, struct dsctl *c, const char *key)
{
	memset(s, 0, sizeof(*s));
	s->c = c;
	s->key = key;
	s->next_wake = -1;
	cj_split_key(key, s->ns, s->name);
	const struct simobj *o = simstore_get(c->sim->store, c->sets, s->ns, s->name);
	if (!o || !cj_path(o->json, "spec", "template", NULL) ||
	    !cj_str(cj_path(o->json, "metadata", NULL), "uid"))
		return false;
	s->ds = simobj_copy(o);
	s->spec = cJSON_GetObjectItemCaseSensitive(s->ds, "spec");
	s->now = simclock_now(&c->sim->clock);
	s->min_ready = (int32_t)cj_int(s->spec, "minReadySeconds", 0);
	s->gen = cj_str(cj_path(s->ds, "metadata", "annotations", NULL), DS_GENERATION_ANNOTATION);
	s->nodes = simstore_snapshot(c->sim->store, c->nodes);
	s->run = xcalloc(s->nodes->n + 1, sizeof(*s->run));
	s->cont = xcalloc(s->nodes->n + 1, sizeof(*s->cont));
	cJSON *spec = dsutil_new_pod_spec(s->ds);
	for (size_t i = 0; i < s->nodes->n; i++)
		dsutil_node_fits(spec, s->nodes->items[i]->json, &s->run[i], &s->cont[i]);
	cJSON_Delete(spec);
	return true;
}

static void unload(struct dssync *s)
{
	dspod_free(s);
	for (size_t i = 0; i < s->nrevs; i++)
		cJSON_Delete(s->revs[i]);
	free(s->revs);
	cJSON_Delete(s->cur);
	if (s->nodes)
		simsnap_unref(s->nodes);
	free(s->run);
	free(s->cont);
	cJSON_Delete(s->ds);
}

/* --- updateDaemonSetStatus ------------------------------------------------------------------ */

static void write_status(struct dssync *s)
{
	int64_t desired = 0, current = 0, mis = 0, ready = 0, updated = 0, avail = 0;
	for (size_t i = 0; i < s->nodes->n; i++) {
		const cJSON *node = s->nodes->items[i]->json;
		const struct dsgroup *g = dspod_group(s, dspod_name(node));
		if (!s->run[i]) {
			if (g)
				mis++;
			continue;
		}
		desired++;
		if (!g)
			continue;
		current++;
		const cJSON *pod = g->pods[0]; /* the oldest */
		if (dspod_ready(pod)) {
			ready++;
			if (dspod_available(s, pod))
				avail++;
		}
		if (dsutil_pod_updated(pod, s->hash, s->gen))
			updated++;
	}
	const struct simobj *o = simstore_get(s->c->sim->store, s->c->sets, s->ns, s->name);
	if (!o)
		return;
	cJSON *obj = simobj_copy(o);
	cJSON *st = simjson_object(obj, "status");
	cJSON *before = cJSON_Duplicate(st, 1);
	cj_set_int(st, "currentNumberScheduled", current);
	cj_set_int(st, "numberMisscheduled", mis);
	cj_set_int(st, "desiredNumberScheduled", desired);
	cj_set_int(st, "numberReady", ready);
	int64_t gen = cj_int(cj_path(obj, "metadata", NULL), "generation", 0);
	if (gen)
		cj_set_int(st, "observedGeneration", gen);
	/* omitempty: zero counts are left out. */
	const char *keys[] = {"updatedNumberScheduled", "numberAvailable", "numberUnavailable"};
	int64_t vals[] = {updated, avail, desired - avail};
	for (int i = 0; i < 3; i++) {
		if (vals[i])
			cj_set_int(st, keys[i], vals[i]);
		else
			cJSON_DeleteItemFromObjectCaseSensitive(st, keys[i]);
	}
	bool same = cJSON_Compare(before, st, true);
	cJSON_Delete(before);
	if (same)
		cJSON_Delete(obj);
	else
		simstore_update(s->c->sim->store, s->c->sets, obj, 0, NULL);
	/* Resync after minReadySeconds, as a last line of defence. */
	if (s->min_ready > 0 && ready != avail) {
		int64_t at =
		    s->next_wake > 0 ? s->next_wake : s->now + (int64_t)s->min_ready * 1000;
		dsctl_wake_at(s->c, s->key, at);
	}
}

void dsctl_sync(struct dsctl *c, const char *key)
{
	struct dssync s;
	if (!load(&s, c, key)) {
		unload(&s);
		return;
	}
	const cJSON *sel = cj_path(s.spec, "selector", NULL);
	if (cJSON_IsObject(sel) && !sel->child) {
		dsctl_event(
		    &s, "Warning", "SelectingAll",
		    "This daemon set is selecting all pods. A non-empty selector is required.");
		unload(&s);
		return;
	}
	/* Its history may be half gone: no status for a set being deleted. */
	if (dspod_deleted(s.ds)) {
		unload(&s);
		return;
	}
	s.nrevs = dspod_claim(&s, c->crs, &s.revs);
	dspod_load(&s);
	if (!dshist_construct(&s)) {
		unload(&s);
		return;
	}
	dsupd_manage(&s);
	const char *type = cj_str(cj_path(s.spec, "updateStrategy", NULL), "type");
	/* Expectations: a sync that created or deleted waits for the next one,
	 * which sees the result, before it rolls. */
	if (!s.acted && type && strcmp(type, "RollingUpdate") == 0)
		dsupd_rolling(&s);
	/* What it created or deleted is in the store already: read it again.
	 * cleanupHistory's live hashes come from every claimed pod, the
	 * deleted terminal ones too (s.pods keeps them; only the groups don't). */
	if (s.acted)
		dspod_load(&s);
	dshist_cleanup(&s);
	write_status(&s);
	unload(&s);
}
