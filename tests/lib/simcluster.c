#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "podscope/model.h"

#include "app.h"
#include "clock.h"
#include "ctrl_deployment.h"
#include "events.h"
#include "evloop.h"
#include "objdefaults.h"
#include "poddelete.h"
#include "resources.h"
#include "scenario.h"
#include "simcluster.h"
#include "store.h"

static struct tc_cluster C;

/* --- the test's kubelet ------------------------------------------------------ */

struct fkt {
	char kind; /* 'b' bind, 'r' ready, 'k' kill (remove a Terminating pod) */
	char ns[64], name[128];
	struct evtimer *t;
	struct fkt *next;
};

/* The kubelet's own state; its knobs are in C.kubelet. */
static struct {
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
	t->t = simclock_timer_at(&C.sim.clock, C.sim.loop, simclock_now(&C.sim.clock) + in_ms,
				 fk_fire, t);
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
	struct simobj *p = simstore_get(C.sim.store, C.pods, t->ns, t->name);
	bool terminating =
	    p && cJSON_GetObjectItem(cJSON_GetObjectItem(p->json, "metadata"), "deletionTimestamp");
	if (p && t->kind == 'k') {
		simpod_delete(&C.sim, t->ns, t->name, 0, NULL);
	} else if (p && !terminating && t->kind == 'b') {
		cJSON *j = simobj_copy(p);
		char node[32];
		snprintf(node, sizeof(node), "node-%d", FK.node++ % 3 + 1);
		simjson_set_string(simjson_object(j, "spec"), "nodeName", node);
		simstore_update(C.sim.store, C.pods, j, 0, NULL);
		fk_arm('r', t->ns, t->name, C.kubelet.ready_ms);
	} else if (p && !terminating && t->kind == 'r') {
		if (C.kubelet.hold || image_bad(p->json)) {
			fk_arm('r', t->ns, t->name, C.kubelet.ready_ms);
		} else {
			char ts[40];
			simclock_format(simclock_now(&C.sim.clock), ts, sizeof(ts));
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
			simstore_update(C.sim.store, C.pods, j, 0, NULL);
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
		fk_arm('k', ev->obj->ns, ev->obj->name, C.kubelet.term_ms);
	}
}

/* --- the cluster ----------------------------------------------------------------- */

static time_t sim_now_s(void *ud)
{
	return (time_t)(simclock_now(&((struct sim *)ud)->clock) / 1000);
}

struct tc_cluster *tc_up(void)
{
	return tc_up_speed(TC_SPEED);
}

struct tc_cluster *tc_up_speed(double speed)
{
	memset(&C, 0, sizeof(C));
	memset(&FK, 0, sizeof(FK));
	C.kubelet.ready_ms = 2000;
	C.kubelet.term_ms = 3000;
	simapp_defaults(&C.sim.cfg);
	C.sim.loop = evloop_new();
	simclock_init(&C.sim.clock, speed);
	C.sim.events = simevents_new();
	struct simstore_opts so = {.event_window = 1 << 16, .now = sim_now_s, .now_ud = &C.sim};
	C.sim.store = simstore_new(&so);
	simscen_seed(C.sim.store, 3);
	C.pods = simres_find("", "v1", "pods");
	C.rss = simres_find("apps", "v1", "replicasets");
	C.deps = simres_find("apps", "v1", "deployments");
	C.evs = simres_find("", "v1", "events");
	simstore_listen(C.sim.store, C.pods, fk_listen, NULL);
	ck_assert_int_eq(simrsctl_start(&C.sim), 0);
	ck_assert_int_eq(simdeploy_start(&C.sim), 0);
	return &C;
}

void tc_down(void)
{
	simdeploy_stop(&C.sim);
	simrsctl_stop(&C.sim);
	simpod_delete_stop(&C.sim);
	while (FK.timers) {
		struct fkt *t = FK.timers;
		FK.timers = t->next;
		evloop_timer_cancel(C.sim.loop, t->t);
		free(t);
	}
	simstore_free(C.sim.store);
	simevents_free(C.sim.events);
	evloop_free(C.sim.loop);
	memset(&C, 0, sizeof(C));
}

bool tc_run_until(bool (*cond)(void *), void *ud, int64_t real_ms)
{
	int64_t end = evloop_now_ms() + real_ms;
	while (!cond(ud)) {
		if (evloop_now_ms() > end)
			return false;
		evloop_run_once(C.sim.loop, 2);
	}
	return true;
}

static bool never(void *ud)
{
	(void)ud;
	return false;
}

void tc_run_for(int64_t sim_ms)
{
	tc_run_until(never, NULL, (int64_t)((double)sim_ms / C.sim.clock.speed) + 1);
}

/* --- objects ----------------------------------------------------------------------- */

void tc_create_deploy(const char *name, int replicas, const char *image, const char *extra)
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
	ck_assert_int_eq(simstore_create(C.sim.store, C.deps, o, NULL), SIMSTORE_OK);
}

cJSON *tc_dep_copy(const char *name)
{
	struct simobj *o = simstore_get(C.sim.store, C.deps, "default", name);
	ck_assert_ptr_nonnull(o);
	return simobj_copy(o);
}

void tc_dep_put(cJSON *j)
{
	ck_assert_int_eq(simstore_update(C.sim.store, C.deps, j, 0, NULL), SIMSTORE_OK);
}

cJSON *tc_jpath(const cJSON *o, const char *a, const char *b)
{
	return cJSON_GetObjectItem(cJSON_GetObjectItem(o, a), b);
}

void tc_set_image(const char *name, const char *image)
{
	cJSON *j = tc_dep_copy(name);
	cJSON *c = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(tc_jpath(cJSON_GetObjectItem(j, "spec"), "template", "spec"),
				"containers"),
	    0);
	simjson_set_string(c, "image", image);
	tc_dep_put(j);
}

void tc_set_spec_int(const char *name, const char *key, int v)
{
	cJSON *j = tc_dep_copy(name);
	simjson_set_number(simjson_object(j, "spec"), key, v);
	tc_dep_put(j);
}

void tc_set_paused(const char *name, bool paused)
{
	cJSON *j = tc_dep_copy(name);
	cJSON *spec = simjson_object(j, "spec");
	cJSON_DeleteItemFromObject(spec, "paused");
	if (paused)
		cJSON_AddTrueToObject(spec, "paused");
	tc_dep_put(j);
}

int tc_status_of(const char *name, struct rollout_result *r)
{
	struct simobj *o = simstore_get(C.sim.store, C.deps, "default", name);
	struct model_arena a = MODEL_ARENA_INIT;
	struct deployment d;
	ck_assert_int_eq(model_decode_deployment(o->json, &d, &a, NULL, NULL), 0);
	int st = rollout_status(&d, 0, r);
	model_arena_free(&a);
	return st;
}

const char *tc_progressing(const char *name, const char **message)
{
	struct simobj *o = simstore_get(C.sim.store, C.deps, "default", name);
	const cJSON *c;
	cJSON_ArrayForEach(c, tc_jpath(o->json, "status", "conditions"))
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
	return tc_status_of(ud, &r) == ROLLOUT_DONE &&
	       strcmp(tc_progressing(ud, NULL), "NewReplicaSetAvailable") == 0;
}

void tc_wait_rolled_out(const char *name)
{
	struct rollout_result r;
	bool ok = tc_run_until(rolled_out, (void *)name, 20000);
	tc_status_of(name, &r);
	ck_assert_msg(ok, "not rolled out: %s (Progressing %s)", r.msg, tc_progressing(name, NULL));
}

size_t tc_rs_of(const char *name, struct simobj **out, size_t max)
{
	struct simsnap *s = simstore_snapshot(C.sim.store, C.rss);
	size_t n = 0, len = strlen(name);
	for (size_t i = 0; i < s->n && n < max; i++)
		if (strncmp(s->items[i]->name, name, len) == 0 && s->items[i]->name[len] == '-')
			out[n++] = s->items[i];
	simsnap_unref(s);
	return n;
}

static const char *rs_image(const struct simobj *rs)
{
	const cJSON *t = tc_jpath(rs->json, "spec", "template");
	return simjson_string(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "spec"), "containers"),
			       0),
	    "image");
}

struct simobj *tc_rs_by_image(const char *name, const char *image)
{
	struct simobj *v[16];
	size_t n = tc_rs_of(name, v, 16);
	for (size_t i = 0; i < n; i++)
		if (strcmp(rs_image(v[i]), image) == 0)
			return v[i];
	return NULL;
}

const char *tc_annot(const struct simobj *o, const char *key)
{
	return simjson_string(tc_jpath(o->json, "metadata", "annotations"), key);
}

int tc_rs_int(const struct simobj *rs, const char *part, const char *key)
{
	const cJSON *v = tc_jpath(rs->json, part, key);
	return cJSON_IsNumber(v) ? v->valueint : 0;
}

static bool event_match(const char *reason, const char *msg, bool prefix)
{
	struct simsnap *s = simstore_snapshot(C.sim.store, C.evs);
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

bool tc_has_event(const char *reason, const char *msg)
{
	return event_match(reason, msg, false);
}

bool tc_has_event_prefix(const char *reason, const char *msg)
{
	return event_match(reason, msg, true);
}
