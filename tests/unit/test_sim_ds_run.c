#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "app.h"
#include "clock.h"
#include "ctrl_daemonset.h"
#include "ctrl_daemonset_int.h"
#include "ctrl_history.h"
#include "ctrl_podgc.h"
#include "events.h"
#include "evloop.h"
#include "objdefaults.h"
#include "poddelete.h"
#include "resources.h"
#include "scenario.h"
#include "sched.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"
#include "test_sim_ds.h"
#include "testutil.h"

/*
 * The DaemonSet controller's rollouts in an in-process store with the real
 * scheduler and pod GC and a trivial kubelet of this file (it runs what the
 * scheduler bound, on the simulated clock; the shared tests/lib harness
 * binds pods itself), after daemon_controller_test.go's and update_test.go's
 * scenarios.
 */

static cJSON *js(const char *s)
{
	return tds_js(s);
}

/* --- the cluster ------------------------------------------------------------------ */

/* Simulated seconds per real second. */
#define SPEED 200.0

static struct sim SIM;
static const struct simres *PODS, *NODES, *DSS, *CRS, *EVS;

/* The trivial kubelet: a bound pod is Running and Ready ready_ms later
 * (unless held, or its image ends in ":fail", which makes it Failed), a
 * Terminating one is gone term_ms later. */
static struct {
	int64_t ready_ms, term_ms;
	bool hold;
	struct kt *timers;
} K;

struct kt {
	char kind; /* 'r' ready, 'k' kill */
	char ns[64], name[128];
	struct evtimer *t;
	struct kt *next;
};

static void kt_fire(void *ud);

static void kt_arm(char kind, const char *ns, const char *name, int64_t in_ms)
{
	struct kt *t = calloc(1, sizeof(*t));
	t->kind = kind;
	snprintf(t->ns, sizeof(t->ns), "%s", ns);
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->next = K.timers;
	K.timers = t;
	t->t =
	    simclock_timer_at(&SIM.clock, SIM.loop, simclock_now(&SIM.clock) + in_ms, kt_fire, t);
}

static const char *image_of(const cJSON *pod)
{
	return cj_str(cJSON_GetArrayItem(cj_path(pod, "spec", "containers", NULL), 0), "image");
}

static void kt_fire(void *ud)
{
	struct kt *t = ud;
	for (struct kt **pp = &K.timers; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	struct simobj *p = simstore_get(SIM.store, PODS, t->ns, t->name);
	if (p && t->kind == 'k') {
		simpod_delete(&SIM, t->ns, t->name, 0, NULL);
	} else if (p && !cj_path(p->json, "metadata", "deletionTimestamp", NULL)) {
		if (K.hold) {
			kt_arm('r', t->ns, t->name, K.ready_ms);
			free(t);
			return;
		}
		char ts[40];
		simclock_format(simclock_now(&SIM.clock), ts, sizeof(ts));
		cJSON *j = simobj_copy(p);
		cJSON *st = simjson_object(j, "status");
		const char *img = image_of(j);
		bool fail = img && strstr(img, ":fail");
		simjson_set_string(st, "phase", fail ? "Failed" : "Running");
		cJSON *conds = cJSON_CreateArray();
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "type", "Ready");
		cJSON_AddStringToObject(c, "status", fail ? "False" : "True");
		cJSON_AddStringToObject(c, "lastTransitionTime", ts);
		cJSON_AddItemToArray(conds, c);
		cJSON_ReplaceItemInObject(st, "conditions", conds);
		if (!cJSON_GetObjectItem(st, "conditions"))
			cJSON_AddItemToObject(st, "conditions", conds);
		simstore_update(SIM.store, PODS, j, 0, NULL);
	}
	free(t);
}

static void kt_listen(void *ud, const struct simevent *ev)
{
	(void)ud;
	const cJSON *pod = ev->obj->json;
	const char *node = cj_str(cj_path(pod, "spec", NULL), "nodeName");
	const char *was =
	    ev->prev ? cj_str(cj_path(ev->prev->json, "spec", NULL), "nodeName") : NULL;
	bool term = cj_path(pod, "metadata", "deletionTimestamp", NULL) != NULL;
	bool was_term = ev->prev && cj_path(ev->prev->json, "metadata", "deletionTimestamp", NULL);
	if (ev->type == SIMEV_DELETED)
		return;
	if (node && *node && !(was && *was))
		kt_arm('r', ev->obj->ns, ev->obj->name, K.ready_ms);
	if (term && !was_term)
		kt_arm('k', ev->obj->ns, ev->obj->name, K.term_ms);
}

static time_t sim_now_s(void *ud)
{
	return (time_t)(simclock_now(&((struct sim *)ud)->clock) / 1000);
}

/* Samples taken at every pod event, for the rolling update's invariants. */
static struct {
	int max_per_node;    /* the most live pods on one node */
	int max_unavailable; /* the most nodes without an available pod */
	int max_surged;      /* the most nodes with two live pods */
	int created;
} S;

static int live_on(const char *node, int *available)
{
	struct simsnap *s = simstore_snapshot(SIM.store, PODS);
	int n = 0;
	*available = 0;
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *p = s->items[i]->json;
		const char *target = dsutil_target_node(p);
		if (!target || strcmp(target, node) != 0 ||
		    cj_path(p, "metadata", "deletionTimestamp", NULL))
			continue;
		n++;
		int64_t since;
		if (cj_pod_ready(p, &since))
			(*available)++;
	}
	simsnap_unref(s);
	return n;
}

static void sample(void *ud, const struct simevent *ev)
{
	(void)ud;
	if (ev->type == SIMEV_ADDED)
		S.created++;
	struct simsnap *ns = simstore_snapshot(SIM.store, NODES);
	int unavailable = 0, surged = 0;
	for (size_t i = 0; i < ns->n; i++) {
		int avail, n = live_on(ns->items[i]->name, &avail);
		if (n > S.max_per_node)
			S.max_per_node = n;
		if (n > 1)
			surged++;
		if (!avail)
			unavailable++;
	}
	simsnap_unref(ns);
	if (unavailable > S.max_unavailable)
		S.max_unavailable = unavailable;
	if (surged > S.max_surged)
		S.max_surged = surged;
}

static void setup(void)
{
	memset(&SIM, 0, sizeof(SIM));
	memset(&K, 0, sizeof(K));
	memset(&S, 0, sizeof(S));
	K.ready_ms = 2000;
	K.term_ms = 3000;
	simapp_defaults(&SIM.cfg);
	SIM.loop = evloop_new();
	simclock_init(&SIM.clock, SPEED);
	SIM.events = simevents_new();
	struct simstore_opts so = {.event_window = 1 << 16, .now = sim_now_s, .now_ud = &SIM};
	SIM.store = simstore_new(&so);
	simscen_seed(SIM.store, 3);
	PODS = simres_find("", "v1", "pods");
	NODES = simres_find("", "v1", "nodes");
	DSS = simres_find("apps", "v1", "daemonsets");
	CRS = simres_find("apps", "v1", "controllerrevisions");
	EVS = simres_find("", "v1", "events");
	simstore_listen(SIM.store, PODS, kt_listen, NULL);
	ck_assert_int_eq(sched_start(&SIM), 0);
	ck_assert_int_eq(simpodgc_start(&SIM), 0);
	ck_assert_int_eq(simds_start(&SIM), 0);
}

static void teardown(void)
{
	simds_stop(&SIM);
	simpodgc_stop(&SIM);
	sched_stop(&SIM);
	simpod_delete_stop(&SIM);
	while (K.timers) {
		struct kt *t = K.timers;
		K.timers = t->next;
		evloop_timer_cancel(SIM.loop, t->t);
		free(t);
	}
	simstore_free(SIM.store);
	simevents_free(SIM.events);
	evloop_free(SIM.loop);
}

static bool run_until(bool (*cond)(void *), void *ud, int64_t real_ms)
{
	int64_t end = evloop_now_ms() + real_ms;
	while (!cond(ud)) {
		if (evloop_now_ms() > end)
			return false;
		evloop_run_once(SIM.loop, 2);
	}
	return true;
}

static bool never(void *ud)
{
	(void)ud;
	return false;
}

static void run_for(int64_t sim_ms)
{
	run_until(never, NULL, (int64_t)((double)sim_ms / SPEED) + 1);
}

/* --- objects -------------------------------------------------------------------------- */

/* The DaemonSet "agent" as the API server stores it; extra: more members
 * of its spec (JSON), or NULL; tspec: more members of the pod spec. */
static void create_ds(const char *extra, const char *tspec)
{
	char buf[2048];
	snprintf(buf, sizeof(buf),
		 "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\","
		 "\"metadata\":{\"name\":\"agent\",\"namespace\":\"default\",\"annotations\":"
		 "{\"deprecated.daemonset.template.generation\":\"1\"}},"
		 "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"agent\"}},"
		 "\"template\":{\"metadata\":{\"labels\":{\"app\":\"agent\"}},"
		 "\"spec\":{%s%s\"containers\":[{\"name\":\"c\",\"image\":\"agent:1\"}]}}%s%s}}",
		 tspec ? tspec : "", tspec ? "," : "", extra ? "," : "", extra ? extra : "");
	cJSON *o = js(buf);
	objdefaults_apply("DaemonSet", o);
	ck_assert_int_eq(simstore_create(SIM.store, DSS, o, NULL), SIMSTORE_OK);
}

static cJSON *ds_copy(void)
{
	struct simobj *o = simstore_get(SIM.store, DSS, "default", "agent");
	ck_assert_ptr_nonnull(o);
	return simobj_copy(o);
}

/* A template change, as the API server stores it (the generation too). */
static void set_image(const char *image)
{
	cJSON *j = ds_copy();
	cJSON *c = cJSON_GetArrayItem(
	    (cJSON *)cj_path(j, "spec", "template", "spec", "containers", NULL), 0);
	simjson_set_string(c, "image", image);
	cJSON *ann = (cJSON *)cj_path(j, "metadata", "annotations", NULL);
	const char *g = cj_str(ann, "deprecated.daemonset.template.generation");
	char next[16];
	snprintf(next, sizeof(next), "%d", (g ? atoi(g) : 0) + 1);
	simjson_set_string(ann, "deprecated.daemonset.template.generation", next);
	ck_assert_int_eq(simstore_update(SIM.store, DSS, j, 0, NULL), SIMSTORE_OK);
}

static int64_t st(const char *key)
{
	struct simobj *o = simstore_get(SIM.store, DSS, "default", "agent");
	const cJSON *v = cj_path(o->json, "status", key, NULL);
	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static const char *cur_hash(void)
{
	struct simsnap *s = simstore_snapshot(SIM.store, CRS);
	const char *h = "";
	int64_t best = -1;
	for (size_t i = 0; i < s->n; i++)
		if (cj_int(s->items[i]->json, "revision", 0) > best) {
			best = cj_int(s->items[i]->json, "revision", 0);
			h = cj_str(cj_path(s->items[i]->json, "metadata", "labels", NULL),
				   "controller-revision-hash");
		}
	simsnap_unref(s);
	return h;
}

/* kubectl rollout status's DaemonSet check, and every live pod on the
 * current revision and the node it is pinned to. */
static bool settled(void *ud)
{
	int want = *(int *)ud;
	struct simobj *o = simstore_get(SIM.store, DSS, "default", "agent");
	int64_t gen = cj_int(cj_path(o->json, "metadata", NULL), "generation", 0);
	if (st("observedGeneration") < gen || st("desiredNumberScheduled") != want ||
	    st("updatedNumberScheduled") != want || st("numberAvailable") != want ||
	    st("currentNumberScheduled") != want || st("numberMisscheduled") != 0)
		return false;
	struct simsnap *s = simstore_snapshot(SIM.store, PODS);
	int n = 0;
	bool ok = true;
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *p = s->items[i]->json;
		n++;
		const char *node = cj_str(cj_path(p, "spec", NULL), "nodeName");
		const char *h =
		    cj_str(cj_path(p, "metadata", "labels", NULL), "controller-revision-hash");
		if (!node || strcmp(node, dsutil_target_node(p)) != 0 || !h ||
		    strcmp(h, cur_hash()) != 0 || cj_path(p, "metadata", "deletionTimestamp", NULL))
			ok = false;
	}
	simsnap_unref(s);
	return ok && n == want;
}

static void wait_settled(int n)
{
	ck_assert_msg(run_until(settled, &n, 20000),
		      "not settled at %d: desired %lld updated %lld available %lld", n,
		      (long long)st("desiredNumberScheduled"),
		      (long long)st("updatedNumberScheduled"), (long long)st("numberAvailable"));
}

static size_t count(const struct simres *res)
{
	struct simsnap *s = simstore_snapshot(SIM.store, res);
	size_t n = s->n;
	simsnap_unref(s);
	return n;
}

static bool has_event(const char *reason, const char *prefix)
{
	struct simsnap *s = simstore_snapshot(SIM.store, EVS);
	bool found = false;
	for (size_t i = 0; i < s->n && !found; i++) {
		const char *r = cj_str(s->items[i]->json, "reason");
		const char *m = cj_str(s->items[i]->json, "message");
		found = r && m && strcmp(r, reason) == 0 && strncmp(m, prefix, strlen(prefix)) == 0;
	}
	simsnap_unref(s);
	return found;
}

static void patch_node(const char *name, const char *key, const char *json)
{
	struct simobj *o = simstore_get(SIM.store, NODES, "", name);
	ck_assert_ptr_nonnull(o);
	cJSON *j = simobj_copy(o);
	cJSON *spec = simjson_object(j, "spec");
	cJSON_DeleteItemFromObject(spec, key);
	if (json)
		cJSON_AddItemToObject(spec, key, js(json));
	ck_assert_int_eq(simstore_update(SIM.store, NODES, j, 0, NULL), SIMSTORE_OK);
}

/* --- rollouts ------------------------------------------------------------------------- */

START_TEST(test_one_per_node)
{
	create_ds(NULL, NULL);
	wait_settled(3);
	ck_assert_uint_eq(count(CRS), 1);
	ck_assert(has_event("SuccessfulCreate", "Created pod: agent-"));
	struct simsnap *s = simstore_snapshot(SIM.store, PODS);
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *p = s->items[i]->json;
		ck_assert_int_eq(cJSON_GetArraySize(cj_path(p, "spec", "tolerations", NULL)), 6);
		ck_assert_str_eq(
		    cj_str(cj_path(p, "metadata", "labels", NULL), "pod-template-generation"), "1");
		ck_assert_str_eq(cj_str(cj_controller_ref(p), "kind"), "DaemonSet");
	}
	simsnap_unref(s);
	ck_assert_int_eq(st("numberReady"), 3);
	ck_assert_int_eq(st("numberUnavailable"), 0);
	ck_assert_int_eq(st("observedGeneration"), 1);
}
END_TEST

/* update_test.go TestDaemonSetUpdatesPods / ...WhenMaxSurgeIsNotSet. */
START_TEST(test_rolling_max_unavailable)
{
	static const struct {
		const char *strategy;
		int max_unavailable;
	} rows[] = {
	    {NULL, 1},
	    {"\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":"
	     "2,\"maxSurge\":0}}",
	     2},
	    {"\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":"
	     "\"50%\",\"maxSurge\":0}}",
	     2}, /* 50% of 3, rounded up */
	};
	int i = _i;
	create_ds(rows[i].strategy, NULL);
	wait_settled(3);
	memset(&S, 0, sizeof(S));
	simstore_listen(SIM.store, PODS, sample, NULL);
	set_image("agent:2");
	wait_settled(3);
	ck_assert_int_eq(S.max_unavailable, rows[i].max_unavailable);
	ck_assert_int_eq(S.max_per_node, 1);
	ck_assert_int_eq(S.created, 3);
	ck_assert_uint_eq(count(CRS), 2);
	ck_assert_int_eq(st("observedGeneration"), 2);
}
END_TEST

/* update_test.go TestDaemonSetUpdatesPodsWithMaxSurge: a new pod beside
 * each old one, never a node without an available pod. */
START_TEST(test_rolling_max_surge)
{
	static const struct {
		const char *surge;
		int max_surged;
	} rows[] = {{"1", 1}, {"2", 2}, {"\"100%\"", 3}};
	int i = _i;
	char buf[256];
	snprintf(buf, sizeof(buf),
		 "\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{"
		 "\"maxUnavailable\":0,\"maxSurge\":%s}}",
		 rows[i].surge);
	create_ds(buf, NULL);
	wait_settled(3);
	memset(&S, 0, sizeof(S));
	simstore_listen(SIM.store, PODS, sample, NULL);
	set_image("agent:2");
	wait_settled(3);
	ck_assert_int_eq(S.max_unavailable, 0);
	ck_assert_int_eq(S.max_surged, rows[i].max_surged);
	ck_assert_int_eq(S.max_per_node, 2);
	ck_assert_int_eq(S.created, 3);
}
END_TEST

/* update_test.go: an unavailable old pod is replaced at once, beyond the
 * surge budget. */
START_TEST(test_surge_replaces_unavailable)
{
	create_ds("\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{"
		  "\"maxUnavailable\":0,\"maxSurge\":1}}",
		  NULL);
	wait_settled(3);
	K.hold = true;
	set_image("agent:2");
	/* Nothing becomes ready: one surge pod only. */
	run_for(30000);
	int avail, surged = 0;
	for (int n = 1; n <= 3; n++) {
		char name[32];
		snprintf(name, sizeof(name), "sim-node-%d", n);
		surged += live_on(name, &avail) > 1;
	}
	ck_assert_int_eq(surged, 1);
	ck_assert_int_eq(st("updatedNumberScheduled"), 0);
	K.hold = false;
	wait_settled(3);
}
END_TEST

START_TEST(test_on_delete)
{
	create_ds("\"updateStrategy\":{\"type\":\"OnDelete\"}", NULL);
	wait_settled(3);
	const char *old = cur_hash();
	char was[64];
	snprintf(was, sizeof(was), "%s", old);
	set_image("agent:2");
	run_for(30000);
	ck_assert_int_eq(st("updatedNumberScheduled"), 0);
	ck_assert_int_eq(st("numberAvailable"), 3);
	ck_assert_uint_eq(count(CRS), 2);
	ck_assert_str_ne(cur_hash(), was);
	struct simsnap *s = simstore_snapshot(SIM.store, PODS);
	char victim[128];
	snprintf(victim, sizeof(victim), "%s", s->items[0]->name);
	simsnap_unref(s);
	simpod_delete(&SIM, "default", victim, -1, NULL);
	run_for(30000);
	ck_assert_int_eq(st("updatedNumberScheduled"), 1);
	ck_assert_int_eq(st("currentNumberScheduled"), 3);
}
END_TEST

/* TestNodeSelector..., TestTaintedNode..., numberMisscheduled. */
START_TEST(test_node_selection)
{
	create_ds(NULL, "\"nodeSelector\":{\"role\":\"edge\"}");
	run_for(10000);
	ck_assert_int_eq(st("desiredNumberScheduled"), 0);
	ck_assert_uint_eq(count(PODS), 0);
	struct simobj *o = simstore_get(SIM.store, NODES, "", "sim-node-1");
	cJSON *j = simobj_copy(o);
	simjson_set_string(simjson_object(simjson_object(j, "metadata"), "labels"), "role", "edge");
	ck_assert_int_eq(simstore_update(SIM.store, NODES, j, 0, NULL), SIMSTORE_OK);
	wait_settled(1);
	/* A NoSchedule taint: not wanted any more, but left running. */
	patch_node("sim-node-1", "taints", "[{\"key\":\"k\",\"effect\":\"NoSchedule\"}]");
	run_for(10000);
	ck_assert_int_eq(st("desiredNumberScheduled"), 0);
	ck_assert_int_eq(st("numberMisscheduled"), 1);
	ck_assert_uint_eq(count(PODS), 1);
	/* NoExecute: the pod goes. */
	patch_node("sim-node-1", "taints", "[{\"key\":\"k\",\"effect\":\"NoExecute\"}]");
	run_for(10000);
	ck_assert_uint_eq(count(PODS), 0);
	ck_assert_int_eq(st("numberMisscheduled"), 0);
	/* Tolerated, the pod is back. */
	cJSON *d = ds_copy();
	cJSON *tspec = (cJSON *)cj_path(d, "spec", "template", "spec", NULL);
	cJSON_AddItemToObject(tspec, "tolerations",
			      js("[{\"key\":\"k\",\"operator\":\"Exists\"}]"));
	ck_assert_int_eq(simstore_update(SIM.store, DSS, d, 0, NULL), SIMSTORE_OK);
	wait_settled(1);
}
END_TEST

START_TEST(test_nodes_come_and_go)
{
	create_ds(NULL, NULL);
	wait_settled(3);
	cJSON *n = js("{\"metadata\":{\"name\":\"sim-node-4\"},\"status\":{\"conditions\":"
		      "[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
	ck_assert_int_eq(simstore_create(SIM.store, NODES, n, NULL), SIMSTORE_OK);
	wait_settled(4);
	/* Cordoned: the controller's toleration keeps its pod, and a new one. */
	patch_node("sim-node-4", "unschedulable", "true");
	struct simsnap *s = simstore_snapshot(SIM.store, PODS);
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(cj_str(cj_path(s->items[i]->json, "spec", NULL), "nodeName"),
			    "sim-node-4"))
			simpod_delete(&SIM, "default", s->items[i]->name, 0, NULL);
	simsnap_unref(s);
	wait_settled(4);
	/* A node deleted: desired drops at once, its pod goes with the pod GC. */
	ck_assert_int_eq(simstore_delete(SIM.store, NODES, "", "sim-node-2", 0, NULL), SIMSTORE_OK);
	run_for(5000);
	ck_assert_int_eq(st("desiredNumberScheduled"), 3);
	ck_assert_uint_eq(count(PODS), 4);
	wait_settled(3);
}
END_TEST

/* TestDaemonKillFailedPods and its back-off: a failed pod is replaced, with
 * the FailedDaemonPod event, no faster than the doubling back-off allows. */
START_TEST(test_failed_pods_backoff)
{
	memset(&S, 0, sizeof(S));
	simstore_listen(SIM.store, PODS, sample, NULL);
	create_ds("\"updateStrategy\":{\"type\":\"OnDelete\"}", NULL);
	wait_settled(3);
	set_image("agent:fail");
	struct simsnap *s = simstore_snapshot(SIM.store, PODS);
	char victim[128];
	snprintf(victim, sizeof(victim), "%s", s->items[0]->name);
	simsnap_unref(s);
	simpod_delete(&SIM, "default", victim, -1, NULL);
	S.created = 0;
	/* 120 s: a new pod fails every 2 s; back-off 1, 2, 4, ... 64 s. */
	run_for(120000);
	ck_assert(has_event("FailedDaemonPod", "Found failed daemon pod default/agent-"));
	ck_assert_msg(S.created >= 4 && S.created <= 8, "%d pods", S.created);
}
END_TEST

static bool all_ready(void *ud)
{
	(void)ud;
	return st("numberReady") == 3;
}

START_TEST(test_min_ready_seconds)
{
	/* 300 s: 1.5 s of real time, room enough on a slow machine. */
	create_ds("\"minReadySeconds\":300", NULL);
	ck_assert(run_until(all_ready, NULL, 20000));
	ck_assert_int_eq(st("numberAvailable"), 0);
	ck_assert_int_eq(st("numberUnavailable"), 3);
	wait_settled(3);
	ck_assert_int_eq(st("numberUnavailable"), 0);
}
END_TEST

/* cleanupHistory and constructHistory's renumbering (a roll back). */
START_TEST(test_history)
{
	create_ds("\"revisionHistoryLimit\":1", NULL);
	wait_settled(3);
	char first[64];
	snprintf(first, sizeof(first), "%s", cur_hash());
	set_image("agent:2");
	wait_settled(3);
	set_image("agent:3");
	wait_settled(3);
	ck_assert_uint_eq(count(CRS), 2);
	set_image("agent:2");
	wait_settled(3);
	ck_assert_uint_eq(count(CRS), 2);
	struct simsnap *s = simstore_snapshot(SIM.store, CRS);
	int64_t max = 0;
	for (size_t i = 0; i < s->n; i++)
		if (cj_int(s->items[i]->json, "revision", 0) > max)
			max = cj_int(s->items[i]->json, "revision", 0);
	simsnap_unref(s);
	ck_assert_int_eq(max, 4);
	ck_assert_str_ne(cur_hash(), first);
}
END_TEST

/* ClaimPods: an orphan that matches is adopted (and, a second pod on its
 * node, deleted); a pod that leaves the selector is released. */
START_TEST(test_adopt_release)
{
	create_ds(NULL, NULL);
	wait_settled(3);
	cJSON *p = js("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"stray\","
		      "\"namespace\":\"default\",\"labels\":{\"app\":\"agent\"}},\"spec\":{"
		      "\"nodeName\":\"sim-node-1\",\"containers\":[{\"name\":\"c\",\"image\":"
		      "\"agent:1\"}]},\"status\":{\"phase\":\"Pending\"}}");
	ck_assert_int_eq(simstore_create(SIM.store, PODS, p, NULL), SIMSTORE_OK);
	run_for(20000);
	ck_assert_ptr_null(simstore_get(SIM.store, PODS, "default", "stray"));
	wait_settled(3);
	struct simsnap *s = simstore_snapshot(SIM.store, PODS);
	cJSON *j = simobj_copy(s->items[0]);
	simsnap_unref(s);
	char name[128];
	snprintf(name, sizeof(name), "%s", cj_str(cj_path(j, "metadata", NULL), "name"));
	simjson_set_string((cJSON *)cj_path(j, "metadata", "labels", NULL), "app", "other");
	ck_assert_int_eq(simstore_update(SIM.store, PODS, j, 0, NULL), SIMSTORE_OK);
	run_for(20000);
	const struct simobj *rel = simstore_get(SIM.store, PODS, "default", name);
	ck_assert_ptr_nonnull(rel);
	ck_assert_ptr_null(cj_controller_ref(rel->json));
	ck_assert_uint_eq(count(PODS), 4);
	ck_assert_int_eq(st("currentNumberScheduled"), 3);
}
END_TEST

START_TEST(test_selecting_all)
{
	cJSON *o = js("{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"name\":"
		      "\"agent\",\"namespace\":\"default\"},\"spec\":{\"selector\":{},\"template\":"
		      "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]}}}}");
	objdefaults_apply("DaemonSet", o);
	ck_assert_int_eq(simstore_create(SIM.store, DSS, o, NULL), SIMSTORE_OK);
	run_for(5000);
	ck_assert(has_event("SelectingAll", "This daemon set is selecting all pods. A non-empty "
					    "selector is required."));
	ck_assert_uint_eq(count(PODS), 0);
}
END_TEST

/* The scheduler's filters in upstream's order and its FitError message:
 * NodeUnschedulable, TaintToleration, NodeAffinity (with matchFields). */
/* A bare pod "name" in default: spec (JSON members) and its containers;
 * pinned to node by matchFields unless node is NULL. */
static void mkpod(const char *name, const char *spec, const char *node)
{
	char buf[1024];
	snprintf(buf, sizeof(buf),
		 "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\","
		 "\"namespace\":\"default\"},\"spec\":{%s,\"containers\":[{\"name\":\"c\","
		 "\"image\":\"x:1\"}]}}",
		 name, spec);
	cJSON *p = js(buf);
	if (node)
		dsutil_pin_to_node(cJSON_GetObjectItem(p, "spec"), node);
	ck_assert_int_eq(simstore_create(SIM.store, PODS, p, NULL), SIMSTORE_OK);
}

static const char *node_of(const char *pod)
{
	const struct simobj *o = simstore_get(SIM.store, PODS, "default", pod);
	ck_assert_ptr_nonnull(o);
	const char *n = cj_str(cj_path(o->json, "spec", NULL), "nodeName");
	return n ? n : "";
}

START_TEST(test_scheduler_filters)
{
	patch_node("sim-node-1", "taints",
		   "[{\"key\":\"k\",\"value\":\"v\",\"effect\":\"NoSchedule\"}]");
	patch_node("sim-node-2", "unschedulable", "true");
	mkpod("p", "\"nodeSelector\":{\"role\":\"x\"}", NULL);
	run_for(2000);
	ck_assert(has_event("FailedScheduling",
			    "0/3 nodes are available: 1 node(s) didn't match Pod's node "
			    "affinity/selector, 1 node(s) had untolerated taint {k: v}, 1 node(s) "
			    "were unschedulable. preemption: 0/3 nodes are available: 3 Preemption "
			    "is not helpful for scheduling."));
	/* Pinned by matchFields to the cordoned or the tainted node, tolerating
	 * it: bound there. */
	mkpod("q",
	      "\"tolerations\":[{\"key\":\"node.kubernetes.io/unschedulable\",\"operator\":"
	      "\"Exists\"}]",
	      "sim-node-2");
	mkpod("r", "\"tolerations\":[{\"key\":\"k\",\"operator\":\"Equal\",\"value\":\"v\"}]",
	      "sim-node-1");
	run_for(2000);
	ck_assert_str_eq(node_of("q"), "sim-node-2");
	ck_assert_str_eq(node_of("r"), "sim-node-1");
}
END_TEST

/* snapshot's name collision: a revision of that name with other data is
 * there already; the count goes up and the next hash is used. */
START_TEST(test_hash_collision)
{
	create_ds("\"updateStrategy\":{\"type\":\"OnDelete\"}", NULL);
	const struct simobj *d = simstore_get(SIM.store, DSS, "default", "agent");
	char *raw = simhist_patch(d->json);
	char hash[SIMHIST_HASH_LEN];
	simhist_hash(raw, strlen(raw), NULL, hash);
	char *name = simhist_name("agent", hash);
	char buf[512];
	snprintf(buf, sizeof(buf),
		 "{\"apiVersion\":\"apps/v1\",\"kind\":\"ControllerRevision\",\"metadata\":"
		 "{\"name\":\"%s\",\"namespace\":\"default\"},\"data\":{\"other\":1},"
		 "\"revision\":0}",
		 name);
	ck_assert_int_eq(simstore_create(SIM.store, CRS, js(buf), NULL), SIMSTORE_OK);
	wait_settled(3);
	ck_assert_int_eq(st("collisionCount"), 1);
	ck_assert_uint_eq(count(CRS), 2);
	ck_assert_str_ne(cur_hash(), hash);
	ck_assert_ptr_nonnull(simstore_get(SIM.store, CRS, "default", name));
	free(raw);
	free(name);
}
END_TEST

TCase *tds_rollouts(void)
{
	TCase *t = tcase_create("rollouts");
	tcase_set_timeout(t, 60);
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, test_one_per_node);
	tcase_add_loop_test(t, test_rolling_max_unavailable, 0, 3);
	tcase_add_loop_test(t, test_rolling_max_surge, 0, 3);
	tcase_add_test(t, test_surge_replaces_unavailable);
	tcase_add_test(t, test_on_delete);
	tcase_add_test(t, test_node_selection);
	tcase_add_test(t, test_nodes_come_and_go);
	tcase_add_test(t, test_failed_pods_backoff);
	tcase_add_test(t, test_min_ready_seconds);
	tcase_add_test(t, test_history);
	tcase_add_test(t, test_adopt_release);
	tcase_add_test(t, test_selecting_all);
	tcase_add_test(t, test_scheduler_filters);
	tcase_add_test(t, test_hash_collision);
	return t;
}
