#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "evloop.h"
#include "poddelete.h"
#include "sim.h"
#include "simobj.h"

/* A safety timer: removes a Terminating pod once its grace period is over. */
struct podtimer {
	struct podtimer *next;
	struct pdstate *state;
	struct evtimer *timer;
	char *ns, *name, *uid;
};

/* Per simulator (tests may run several in one process). */
struct pdstate {
	struct pdstate *next;
	struct sim *sim;
	struct podtimer *timers;
};

static struct pdstate *states;

static struct pdstate *state_of(struct sim *sim, bool make)
{
	for (struct pdstate *s = states; s; s = s->next)
		if (s->sim == sim)
			return s;
	if (!make)
		return NULL;
	struct pdstate *s = xcalloc(1, sizeof(*s));
	s->sim = sim;
	s->next = states;
	states = s;
	return s;
}

static void timer_free(struct podtimer *t)
{
	free(t->ns);
	free(t->name);
	free(t->uid);
	free(t);
}

static void unlink_timer(struct podtimer *t)
{
	for (struct podtimer **pp = &t->state->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			return;
		}
	}
}

static const struct simres *pods(void)
{
	return simres_find("", "v1", "pods");
}

static void on_timer(void *ud)
{
	struct podtimer *t = ud;
	struct sim *sim = t->state->sim;
	unlink_timer(t);
	struct simobj *p = simstore_get(sim->store, pods(), t->ns, t->name);
	const cJSON *md = p ? cJSON_GetObjectItemCaseSensitive(p->json, "metadata") : NULL;
	const char *uid = simjson_string(md, "uid");
	const cJSON *fin = cJSON_GetObjectItemCaseSensitive(md, "finalizers");
	if (uid && strcmp(uid, t->uid) == 0 &&
	    cJSON_GetObjectItemCaseSensitive(md, "deletionTimestamp") &&
	    !(cJSON_IsArray(fin) && cJSON_GetArraySize(fin) > 0))
		simstore_delete(sim->store, pods(), t->ns, t->name, 0, NULL);
	timer_free(t);
}

static void arm(struct sim *sim, const char *ns, const char *name, const char *uid, int64_t at)
{
	struct pdstate *s = state_of(sim, true);
	struct podtimer *t = xcalloc(1, sizeof(*t));
	t->state = s;
	t->ns = xstrdup(ns);
	t->name = xstrdup(name);
	t->uid = xstrdup(uid ? uid : "");
	t->next = s->timers;
	s->timers = t;
	t->timer = simclock_timer_at(&sim->clock, sim->loop, at, on_timer, t);
}

static int64_t num(const cJSON *o, const char *k, int64_t dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : dflt;
}

enum simstore_rc simpod_delete(struct sim *sim, const char *ns, const char *name, int64_t grace_s,
			       struct simobj **out)
{
	struct simobj *p = simstore_get(sim->store, pods(), ns, name);
	if (!p)
		return SIMSTORE_NOT_FOUND;
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(p->json, "metadata");
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(p->json, "spec");
	const char *phase =
	    simjson_string(cJSON_GetObjectItemCaseSensitive(p->json, "status"), "phase");
	const char *node = simjson_string(spec, "nodeName");
	int64_t grace = grace_s;
	if (grace < 0) {
		grace = num(spec, "terminationGracePeriodSeconds", 30);
		if (grace < 0)
			grace = 1;
	}
	/* CheckGracefulDelete: unbound or finished pods go at once. */
	if (!node || !*node ||
	    (phase && (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0)))
		grace = 0;
	const cJSON *fin = cJSON_GetObjectItemCaseSensitive(md, "finalizers");
	bool has_fin = cJSON_IsArray(fin) && cJSON_GetArraySize(fin) > 0;
	bool deleting = cJSON_GetObjectItemCaseSensitive(md, "deletionTimestamp") != NULL;
	/* A second deletion may only shorten the grace period. */
	if (deleting && grace >= num(md, "deletionGracePeriodSeconds", 0)) {
		if (out)
			*out = p;
		return SIMSTORE_OK;
	}
	if (grace == 0 && !has_fin)
		return simstore_delete(sim->store, pods(), ns, name, 0, out);

	int64_t at = simclock_now(&sim->clock) + grace * 1000;
	char ts[32];
	simclock_format(at, ts, sizeof(ts));
	cJSON *obj = simobj_copy(p);
	cJSON *m = simjson_object(obj, "metadata");
	simjson_set_string(m, "deletionTimestamp", ts);
	simjson_set_number(m, "deletionGracePeriodSeconds", (double)grace);
	char *uid = xstrdup(simjson_string(md, "uid") ? simjson_string(md, "uid") : "");
	enum simstore_rc rc = simstore_update(sim->store, pods(), obj, 0, out);
	if (rc == SIMSTORE_OK && grace > 0)
		arm(sim, ns, name, uid, at);
	free(uid);
	return rc;
}

void simpod_delete_stop(struct sim *sim)
{
	for (struct pdstate **pp = &states; *pp; pp = &(*pp)->next) {
		struct pdstate *s = *pp;
		if (s->sim != sim)
			continue;
		*pp = s->next;
		while (s->timers) {
			struct podtimer *t = s->timers;
			s->timers = t->next;
			if (sim->loop)
				evloop_timer_cancel(sim->loop, t->timer);
			timer_free(t);
		}
		free(s);
		return;
	}
}
