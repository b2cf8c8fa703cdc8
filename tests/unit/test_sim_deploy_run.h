#ifndef PODSCOPE_TEST_SIM_DEPLOY_RUN_H
#define PODSCOPE_TEST_SIM_DEPLOY_RUN_H

/*
 * An in-process cluster with only the deployment and ReplicaSet controllers
 * and a trivial kubelet played by the test (it binds pods to a node, marks
 * them Running and Ready after a delay on the simulated clock, and removes
 * Terminating pods after another), so these tests depend on nothing but the
 * store, the clock and the two controllers. Header-only: one test program
 * includes it.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "app.h"
#include "clock.h"
#include "ctrl_deployment.h"
#include "events.h"
#include "evloop.h"
#include "objdefaults.h"
#include "poddelete.h"
#include "podscope/duration.h"
#include "podscope/model.h"
#include "podscope/rollout.h"
#include "resources.h"
#include "scenario.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"

#define SPEED 200.0 /* simulated seconds per real second */

static struct sim S;
static const struct simres *PODS, *RSS, *DEPS, *EVS;

/* --- the test's kubelet ------------------------------------------------------ */

struct fkt {
	char kind; /* 'b' bind, 'r' ready, 'k' kill (remove a Terminating pod) */
	char ns[64], name[128];
	struct evtimer *t;
	struct fkt *next;
};

static struct {
	int64_t ready_ms; /* from binding to Ready */
	int64_t term_ms;  /* from deletionTimestamp to gone */
	bool hold;        /* no pod becomes ready while set */
	int node;
	struct fkt *timers;
} FK;

static void fk_fire(void *ud);

static void fk_arm(char kind, const char *ns, const char *name, int64_t in_ms)
{
	struct fkt *t = calloc(1, sizeof(*t));
	t->kind = kind;
	snprintf(t->ns, sizeof(t->ns), "%s", ns);
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->next = FK.timers;
	FK.timers = t;
	t->t = simclock_timer_at(&S.clock, S.loop, simclock_now(&S.clock) + in_ms, fk_fire, t);
}

static bool image_bad(const cJSON *pod)
{
	const cJSON *c = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(pod, "spec"), "containers"), 0);
	const char *img = simjson_string(c, "image");
	return img && strstr(img, ":bad");
}

static cJSON *mkcond(const char *type, const char *status, const char *ts)
{
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "type", type);
	cJSON_AddStringToObject(c, "status", status);
	cJSON_AddStringToObject(c, "lastTransitionTime", ts);
	return c;
}

static void fk_fire(void *ud)
{
	struct fkt *t = ud;
	for (struct fkt **pp = &FK.timers; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	struct simobj *p = simstore_get(S.store, PODS, t->ns, t->name);
	bool terminating =
	    p && cJSON_GetObjectItem(cJSON_GetObjectItem(p->json, "metadata"), "deletionTimestamp");
	if (p && t->kind == 'k') {
		simpod_delete(&S, t->ns, t->name, 0, NULL);
	} else if (p && !terminating && t->kind == 'b') {
		cJSON *j = simobj_copy(p);
		char node[32];
		snprintf(node, sizeof(node), "node-%d", FK.node++ % 3 + 1);
		simjson_set_string(simjson_object(j, "spec"), "nodeName", node);
		simstore_update(S.store, PODS, j, 0, NULL);
		fk_arm('r', t->ns, t->name, FK.ready_ms);
	} else if (p && !terminating && t->kind == 'r') {
		if (FK.hold || image_bad(p->json)) {
			fk_arm('r', t->ns, t->name, FK.ready_ms);
		} else {
			char ts[40];
			simclock_format(simclock_now(&S.clock), ts, sizeof(ts));
			cJSON *j = simobj_copy(p);
			cJSON *st = simjson_object(j, "status");
			simjson_set_string(st, "phase", "Running");
			cJSON *conds = cJSON_CreateArray();
			cJSON_AddItemToArray(conds, mkcond("Initialized", "True", ts));
			cJSON_AddItemToArray(conds, mkcond("Ready", "True", ts));
			cJSON_AddItemToArray(conds, mkcond("ContainersReady", "True", ts));
			cJSON_AddItemToArray(conds, mkcond("PodScheduled", "True", ts));
			cJSON_DeleteItemFromObject(st, "conditions");
			cJSON_AddItemToObject(st, "conditions", conds);
			simstore_update(S.store, PODS, j, 0, NULL);
		}
	}
	free(t);
}

static void fk_listen(void *ud, const struct simevent *ev)
{
	(void)ud;
	const cJSON *md = cJSON_GetObjectItem(ev->obj->json, "metadata");
	if (ev->type == SIMEV_ADDED) {
		fk_arm('b', ev->obj->ns, ev->obj->name, 0);
	} else if (ev->type == SIMEV_MODIFIED && cJSON_GetObjectItem(md, "deletionTimestamp") &&
		   !cJSON_GetObjectItem(cJSON_GetObjectItem(ev->prev->json, "metadata"),
					"deletionTimestamp")) {
		fk_arm('k', ev->obj->ns, ev->obj->name, FK.term_ms);
	}
}

/* --- the cluster ----------------------------------------------------------------- */

static time_t sim_now_s(void *ud)
{
	return (time_t)(simclock_now(&((struct sim *)ud)->clock) / 1000);
}

static void cluster_up(void)
{
	memset(&S, 0, sizeof(S));
	memset(&FK, 0, sizeof(FK));
	FK.ready_ms = 2000;
	FK.term_ms = 3000;
	simapp_defaults(&S.cfg);
	S.loop = evloop_new();
	simclock_init(&S.clock, SPEED);
	S.events = simevents_new();
	struct simstore_opts so = {.event_window = 1 << 16, .now = sim_now_s, .now_ud = &S};
	S.store = simstore_new(&so);
	simscen_seed(S.store, 3);
	PODS = simres_find("", "v1", "pods");
	RSS = simres_find("apps", "v1", "replicasets");
	DEPS = simres_find("apps", "v1", "deployments");
	EVS = simres_find("", "v1", "events");
	simstore_listen(S.store, PODS, fk_listen, NULL);
	ck_assert_int_eq(simrsctl_start(&S), 0);
	ck_assert_int_eq(simdeploy_start(&S), 0);
}

static void cluster_down(void)
{
	simdeploy_stop(&S);
	simrsctl_stop(&S);
	simpod_delete_stop(&S);
	while (FK.timers) {
		struct fkt *t = FK.timers;
		FK.timers = t->next;
		evloop_timer_cancel(S.loop, t->t);
		free(t);
	}
	simstore_free(S.store);
	simevents_free(S.events);
	evloop_free(S.loop);
	memset(&S, 0, sizeof(S));
}

/* Run the loop until cond holds; false after real_ms of real time. */
static bool run_until(bool (*cond)(void *), void *ud, int64_t real_ms)
{
	int64_t end = evloop_now_ms() + real_ms;
	while (!cond(ud)) {
		if (evloop_now_ms() > end)
			return false;
		evloop_run_once(S.loop, 2);
	}
	return true;
}

/* Let simulated time pass (sim_ms of it), whatever happens. */
static bool never(void *ud)
{
	(void)ud;
	return false;
}
static void run_for(int64_t sim_ms)
{
	run_until(never, NULL, (int64_t)((double)sim_ms / SPEED) + 1);
}

/* --- objects ----------------------------------------------------------------------- */

/* A Deployment as `kubectl create` would store it (the API server's defaults). */
static void create_deploy(const char *name, int replicas, const char *image, const char *extra)
{
	char buf[2048];
	snprintf(buf, sizeof(buf),
		 "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
		 "\"metadata\":{\"name\":\"%s\",\"namespace\":\"default\"},"
		 "\"spec\":{\"replicas\":%d,\"selector\":{\"matchLabels\":{\"app\":\"%s\"}},"
		 "\"template\":{\"metadata\":{\"labels\":{\"app\":\"%s\"}},"
		 "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"%s\"}]}}%s%s}}",
		 name, replicas, name, name, image, extra ? "," : "", extra ? extra : "");
	cJSON *o = cJSON_Parse(buf);
	ck_assert_msg(o != NULL, "bad JSON: %s", buf);
	objdefaults_apply("Deployment", o);
	ck_assert_int_eq(simstore_create(S.store, DEPS, o, NULL), SIMSTORE_OK);
}

static cJSON *dep_copy(const char *name)
{
	struct simobj *o = simstore_get(S.store, DEPS, "default", name);
	ck_assert_ptr_nonnull(o);
	return simobj_copy(o);
}

static void dep_put(cJSON *j)
{
	ck_assert_int_eq(simstore_update(S.store, DEPS, j, 0, NULL), SIMSTORE_OK);
}

static cJSON *jpath(cJSON *o, const char *a, const char *b)
{
	return cJSON_GetObjectItem(cJSON_GetObjectItem(o, a), b);
}

static void set_image(const char *name, const char *image)
{
	cJSON *j = dep_copy(name);
	cJSON *c = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(jpath(cJSON_GetObjectItem(j, "spec"), "template", "spec"),
				"containers"),
	    0);
	simjson_set_string(c, "image", image);
	dep_put(j);
}

static void set_spec_int(const char *name, const char *key, int v)
{
	cJSON *j = dep_copy(name);
	simjson_set_number(simjson_object(j, "spec"), key, v);
	dep_put(j);
}

static void set_paused(const char *name, bool paused)
{
	cJSON *j = dep_copy(name);
	cJSON *spec = simjson_object(j, "spec");
	cJSON_DeleteItemFromObject(spec, "paused");
	if (paused)
		cJSON_AddTrueToObject(spec, "paused");
	dep_put(j);
}

/* `kubectl rollout status` for the deployment now. */
static int status_of(const char *name, struct rollout_result *r)
{
	struct simobj *o = simstore_get(S.store, DEPS, "default", name);
	struct model_arena a = MODEL_ARENA_INIT;
	struct deployment d;
	ck_assert_int_eq(model_decode_deployment(o->json, &d, &a, NULL, NULL), 0);
	int st = rollout_status(&d, 0, r);
	model_arena_free(&a);
	return st;
}

/* The Progressing condition's reason ("" when none). */
static const char *progressing(const char *name, const char **message)
{
	struct simobj *o = simstore_get(S.store, DEPS, "default", name);
	const cJSON *c;
	cJSON_ArrayForEach(c, jpath(o->json, "status", "conditions"))
	{
		if (strcmp(simjson_string(c, "type"), "Progressing") == 0) {
			if (message)
				*message = simjson_string(c, "message");
			return simjson_string(c, "reason");
		}
	}
	return "";
}

static bool rolled_out(void *ud)
{
	struct rollout_result r;
	return status_of(ud, &r) == ROLLOUT_DONE &&
	       strcmp(progressing(ud, NULL), "NewReplicaSetAvailable") == 0;
}

static void wait_rolled_out(const char *name)
{
	struct rollout_result r;
	bool ok = run_until(rolled_out, (void *)name, 20000);
	status_of(name, &r);
	ck_assert_msg(ok, "not rolled out: %s (Progressing %s)", r.msg, progressing(name, NULL));
}

/* The ReplicaSets of a deployment (by name prefix "<name>-"), up to max. */
static size_t rs_of(const char *name, struct simobj **out, size_t max)
{
	struct simsnap *s = simstore_snapshot(S.store, RSS);
	size_t n = 0, len = strlen(name);
	for (size_t i = 0; i < s->n && n < max; i++)
		if (strncmp(s->items[i]->name, name, len) == 0 && s->items[i]->name[len] == '-')
			out[n++] = s->items[i];
	simsnap_unref(s);
	return n;
}

static const char *rs_image(const struct simobj *rs)
{
	const cJSON *t = jpath(rs->json, "spec", "template");
	return simjson_string(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "spec"), "containers"),
			       0),
	    "image");
}

static struct simobj *rs_by_image(const char *name, const char *image)
{
	struct simobj *v[16];
	size_t n = rs_of(name, v, 16);
	for (size_t i = 0; i < n; i++)
		if (strcmp(rs_image(v[i]), image) == 0)
			return v[i];
	return NULL;
}

static const char *annot(const struct simobj *o, const char *key)
{
	return simjson_string(jpath(o->json, "metadata", "annotations"), key);
}

static int rs_int(const struct simobj *rs, const char *part, const char *key)
{
	const cJSON *v = jpath(rs->json, part, key);
	return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* An event of the store whose message is msg (or starts with it). */
static bool event_match(const char *reason, const char *msg, bool prefix)
{
	struct simsnap *s = simstore_snapshot(S.store, EVS);
	bool found = false;
	for (size_t i = 0; i < s->n && !found; i++) {
		const char *m = simjson_string(s->items[i]->json, "message");
		const char *r = simjson_string(s->items[i]->json, "reason");
		found = m && (prefix ? strncmp(m, msg, strlen(msg)) : strcmp(m, msg)) == 0 &&
			(!reason || (r && strcmp(r, reason) == 0));
	}
	simsnap_unref(s);
	return found;
}

static bool has_event(const char *reason, const char *msg)
{
	return event_match(reason, msg, false);
}

static bool has_event_prefix(const char *reason, const char *msg)
{
	return event_match(reason, msg, true);
}

#endif
