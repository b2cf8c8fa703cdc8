#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/duration.h"

#include "clock.h"
#include "events.h"
#include "simcluster.h"
#include "store.h"
#include "testutil.h"

/*
 * Rollouts end to end in an in-process store: the deployment and ReplicaSet
 * controllers with the test's trivial kubelet (tests/lib/simcluster.h).
 */

static struct tc_cluster *C;

/* --- sampling at every store event ----------------------------------------------- */

static struct {
	bool on;
	const char *app;
	const char *old_image, *new_image; /* Recreate: both must never coexist */
	int max_nonterm, min_avail, samples;
	bool overlap;
	bool saw_terminating;
} SAMPLE;

static void sample(void *ud, const struct simevent *ev)
{
	(void)ud;
	(void)ev;
	if (!SAMPLE.on)
		return;
	struct simsnap *s = simstore_snapshot(C->sim.store, C->pods);
	int nonterm = 0, avail = 0;
	bool old_seen = false, new_seen = false;
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *j = s->items[i]->json;
		const char *app = simjson_string(tc_jpath((cJSON *)j, "metadata", "labels"), "app");
		if (!app || strcmp(app, SAMPLE.app) != 0)
			continue;
		const char *image = simjson_string(
		    cJSON_GetArrayItem(tc_jpath((cJSON *)j, "spec", "containers"), 0), "image");
		if (SAMPLE.old_image && strcmp(image, SAMPLE.old_image) == 0)
			old_seen = true;
		if (SAMPLE.new_image && strcmp(image, SAMPLE.new_image) == 0)
			new_seen = true;
		if (tc_jpath((cJSON *)j, "metadata", "deletionTimestamp")) {
			SAMPLE.saw_terminating = true;
			continue;
		}
		const char *phase = simjson_string(cJSON_GetObjectItem(j, "status"), "phase");
		if (phase && (!strcmp(phase, "Succeeded") || !strcmp(phase, "Failed")))
			continue;
		nonterm++;
		const cJSON *c;
		cJSON_ArrayForEach(c, tc_jpath((cJSON *)j, "status", "conditions"))
		{
			if (!strcmp(simjson_string(c, "type"), "Ready") &&
			    !strcmp(simjson_string(c, "status"), "True"))
				avail++;
		}
	}
	simsnap_unref(s);
	SAMPLE.samples++;
	if (nonterm > SAMPLE.max_nonterm)
		SAMPLE.max_nonterm = nonterm;
	if (avail < SAMPLE.min_avail)
		SAMPLE.min_avail = avail;
	if (old_seen && new_seen)
		SAMPLE.overlap = true;
}

static void sample_start(const char *app)
{
	memset(&SAMPLE, 0, sizeof(SAMPLE));
	SAMPLE.app = app;
	SAMPLE.min_avail = 1 << 30;
	SAMPLE.on = true;
}

static void setup(void)
{
	C = tc_up();
	memset(&SAMPLE, 0, sizeof(SAMPLE));
	simstore_listen(C->sim.store, NULL, sample, NULL);
}

static void teardown(void)
{
	tc_down();
}

/* --- issue 3's done-when: 10 replicas, 25%/25% ------------------------------------- */

START_TEST(test_rolling_update_budgets)
{
	tc_create_deploy("web", 10, "nginx:1.26", NULL);
	tc_wait_rolled_out("web");
	struct simobj *old = tc_rs_by_image("web", "nginx:1.26");
	ck_assert_ptr_nonnull(old);
	char oldname[64];
	snprintf(oldname, sizeof(oldname), "%s", old->name);
	ck_assert_str_eq(tc_annot(old, "deployment.kubernetes.io/revision"), "1");

	sample_start("web");
	tc_set_image("web", "nginx:1.27");
	tc_wait_rolled_out("web");
	SAMPLE.on = false;

	ck_assert_int_gt(SAMPLE.samples, 50);
	ck_assert_msg(SAMPLE.max_nonterm <= 13, "non-terminating pods reached %d",
		      SAMPLE.max_nonterm);
	ck_assert_msg(SAMPLE.min_avail >= 8, "available pods fell to %d", SAMPLE.min_avail);
	/* The budgets are used, not just respected. */
	ck_assert_int_eq(SAMPLE.max_nonterm, 13);
	ck_assert_int_eq(SAMPLE.min_avail, 8);

	struct rollout_result r;
	ck_assert_int_eq(tc_status_of("web", &r), ROLLOUT_DONE);
	ck_assert_str_eq(r.msg, "deployment \"web\" successfully rolled out\n");
	const char *msg;
	ck_assert_str_eq(tc_progressing("web", &msg), "NewReplicaSetAvailable");
	struct simobj *nw = tc_rs_by_image("web", "nginx:1.27");
	ck_assert_ptr_nonnull(nw);
	char want[128];
	snprintf(want, sizeof(want), "ReplicaSet \"%s\" has successfully progressed.", nw->name);
	ck_assert_str_eq(msg, want);
	ck_assert_str_eq(tc_annot(nw, "deployment.kubernetes.io/revision"), "2");
	ck_assert_str_eq(tc_annot(nw, "deployment.kubernetes.io/desired-replicas"), "10");
	ck_assert_str_eq(tc_annot(nw, "deployment.kubernetes.io/max-replicas"), "13");
	/* The name and the selector carry the pod-template-hash. */
	const cJSON *ml =
	    cJSON_GetObjectItem(tc_jpath(nw->json, "spec", "selector"), "matchLabels");
	const char *hash = simjson_string(ml, "pod-template-hash");
	ck_assert_ptr_nonnull(hash);
	snprintf(want, sizeof(want), "web-%s", hash);
	ck_assert_str_eq(nw->name, want);
	struct simobj *d = simstore_get(C->sim.store, C->deps, "default", "web");
	ck_assert_str_eq(tc_annot(d, "deployment.kubernetes.io/revision"), "2");
	old = simstore_get(C->sim.store, C->rss, "default", oldname);
	ck_assert_int_eq(tc_rs_int(old, "spec", "replicas"), 0);

	snprintf(want, sizeof(want), "Scaled up replica set %s to 3", nw->name);
	ck_assert_msg(tc_has_event("ScalingReplicaSet", want), "no event: %s", want);
	snprintf(want, sizeof(want), "Scaled down replica set %s to 8 from 10", oldname);
	ck_assert_msg(tc_has_event("ScalingReplicaSet", want), "no event: %s", want);
	snprintf(want, sizeof(want), "Scaled up replica set %s to 5 from 3", nw->name);
	ck_assert_msg(tc_has_event("ScalingReplicaSet", want), "no event: %s", want);
	snprintf(want, sizeof(want), "Scaled down replica set %s to 0 from ", oldname);
	ck_assert_msg(tc_has_event_prefix("ScalingReplicaSet", want), "no event: %s", want);
}
END_TEST

START_TEST(test_recreate)
{
	C->kubelet.term_ms = 5000;
	tc_create_deploy("db", 3, "postgres:15", "\"strategy\":{\"type\":\"Recreate\"}");
	tc_wait_rolled_out("db");
	sample_start("db");
	SAMPLE.old_image = "postgres:15";
	SAMPLE.new_image = "postgres:16";
	tc_set_image("db", "postgres:16");
	tc_wait_rolled_out("db");
	SAMPLE.on = false;
	ck_assert(SAMPLE.saw_terminating);
	ck_assert_msg(!SAMPLE.overlap, "new pods were created while old ones still existed");
	ck_assert_int_le(SAMPLE.max_nonterm, 3);
	ck_assert_int_eq(SAMPLE.min_avail, 0);
	struct simobj *nw = tc_rs_by_image("db", "postgres:16");
	ck_assert_ptr_nonnull(nw);
	char want[128];
	snprintf(want, sizeof(want), "Scaled up replica set %s to 3", nw->name);
	ck_assert(tc_has_event("ScalingReplicaSet", want));
}
END_TEST

static bool rs_sizes(void *ud)
{
	const int *want = ud; /* old spec, new spec */
	struct simobj *o = tc_rs_by_image("web", "nginx:1"), *n = tc_rs_by_image("web", "nginx:2");
	return o && n && tc_rs_int(o, "spec", "replicas") == want[0] &&
	       tc_rs_int(n, "spec", "replicas") == want[1];
}

static bool is_paused(void *ud)
{
	return strcmp(tc_progressing(ud, NULL), "DeploymentPaused") == 0;
}

START_TEST(test_paused_proportional)
{
	tc_create_deploy("web", 10, "nginx:1", NULL);
	tc_wait_rolled_out("web");
	C->kubelet.hold = true;
	tc_set_image("web", "nginx:2");
	int first[2] = {8, 5};
	ck_assert(tc_run_until(rs_sizes, first, 5000));
	tc_set_paused("web", true);
	ck_assert_msg(tc_run_until(is_paused, (void *)"web", 10000),
		      "Progressing is %s, not DeploymentPaused", tc_progressing("web", NULL));
	/* A template change while paused makes no new ReplicaSet. */
	tc_set_image("web", "nginx:3");
	tc_run_for(30000);
	struct simobj *v[8];
	ck_assert_uint_eq(tc_rs_of("web", v, 8), 2);
	/* Scaling while paused is proportional (sync_test.go's arithmetic). */
	tc_set_spec_int("web", "replicas", 20);
	int scaled[2] = {15, 10};
	ck_assert_msg(tc_run_until(rs_sizes, scaled, 5000), "not scaled proportionally");
	ck_assert_uint_eq(tc_rs_of("web", v, 8), 2);
	C->kubelet.hold = false;
	tc_set_paused("web", false);
	tc_run_for(1000);
	tc_wait_rolled_out("web");
	struct simobj *nw = tc_rs_by_image("web", "nginx:3");
	ck_assert_ptr_nonnull(nw);
	ck_assert_int_eq(tc_rs_int(nw, "spec", "replicas"), 20);
	ck_assert_str_eq(tc_annot(nw, "deployment.kubernetes.io/revision"), "3");
}
END_TEST

/* `kubectl rollout undo [--to-revision=N]`: the JSON patch kubectl sends. */
static void undo_to(const char *name, const char *revision)
{
	struct simobj *v[16], *rs = NULL;
	size_t n = tc_rs_of(name, v, 16);
	for (size_t i = 0; i < n; i++)
		if (strcmp(tc_annot(v[i], "deployment.kubernetes.io/revision"), revision) == 0)
			rs = v[i];
	ck_assert_ptr_nonnull(rs);
	cJSON *j = tc_dep_copy(name);
	cJSON *t = cJSON_Duplicate(tc_jpath(rs->json, "spec", "template"), 1);
	cJSON_DeleteItemFromObject(tc_jpath(t, "metadata", "labels"), "pod-template-hash");
	/* as kubectl encodes a Go ObjectMeta */
	cJSON_AddNullToObject(cJSON_GetObjectItem(t, "metadata"), "creationTimestamp");
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(j, "spec"), "template", t);
	static const char *skip[] = {"kubectl.kubernetes.io/last-applied-configuration",
				     "deployment.kubernetes.io/revision",
				     "deployment.kubernetes.io/revision-history",
				     "deployment.kubernetes.io/desired-replicas",
				     "deployment.kubernetes.io/max-replicas",
				     "deprecated.deployment.rollback.to"};
	cJSON *an = cJSON_CreateObject();
	const cJSON *a;
	cJSON_ArrayForEach(a, tc_jpath(j, "metadata", "annotations"))
	{
		for (size_t k = 0; k < 6; k++)
			if (!strcmp(a->string, skip[k]))
				cJSON_AddItemToObject(an, a->string, cJSON_Duplicate(a, 1));
	}
	cJSON_ArrayForEach(a, tc_jpath(rs->json, "metadata", "annotations"))
	{
		bool s = false;
		for (size_t k = 0; k < 6; k++)
			s |= !strcmp(a->string, skip[k]);
		if (!s)
			cJSON_AddItemToObject(an, a->string, cJSON_Duplicate(a, 1));
	}
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(j, "metadata"), "annotations", an);
	tc_dep_put(j);
}

START_TEST(test_rollback)
{
	tc_create_deploy("web", 4, "nginx:1", NULL);
	tc_wait_rolled_out("web");
	tc_set_image("web", "nginx:2");
	tc_wait_rolled_out("web");
	undo_to("web", "1");
	tc_wait_rolled_out("web");
	struct simobj *v1 = tc_rs_by_image("web", "nginx:1"), *v[8];
	ck_assert_str_eq(tc_annot(v1, "deployment.kubernetes.io/revision"), "3");
	ck_assert_str_eq(tc_annot(v1, "deployment.kubernetes.io/revision-history"), "1");
	ck_assert_int_eq(tc_rs_int(v1, "spec", "replicas"), 4);
	ck_assert_uint_eq(tc_rs_of("web", v, 8), 2);
	ck_assert_str_eq(tc_annot(simstore_get(C->sim.store, C->deps, "default", "web"),
				  "deployment.kubernetes.io/revision"),
			 "3");
	/* --to-revision=2 */
	undo_to("web", "2");
	tc_wait_rolled_out("web");
	struct simobj *v2 = tc_rs_by_image("web", "nginx:2");
	ck_assert_str_eq(tc_annot(v2, "deployment.kubernetes.io/revision"), "4");
	ck_assert_str_eq(tc_annot(v2, "deployment.kubernetes.io/revision-history"), "2");
	/* and back to 3 (nginx:1 again): the history grows */
	undo_to("web", "3");
	tc_wait_rolled_out("web");
	v1 = tc_rs_by_image("web", "nginx:1");
	ck_assert_str_eq(tc_annot(v1, "deployment.kubernetes.io/revision"), "5");
	ck_assert_str_eq(tc_annot(v1, "deployment.kubernetes.io/revision-history"), "1,3");
	ck_assert_uint_eq(tc_rs_of("web", v, 8), 2);
}
END_TEST

/* The controller's own rollback path (the deprecated annotation). */
START_TEST(test_rollback_annotation)
{
	tc_create_deploy("web", 2, "nginx:1", NULL);
	tc_wait_rolled_out("web");
	tc_set_image("web", "nginx:2");
	tc_wait_rolled_out("web");
	cJSON *j = tc_dep_copy("web");
	simjson_set_string(simjson_object(simjson_object(j, "metadata"), "annotations"),
			   "deprecated.deployment.rollback.to", "0");
	tc_dep_put(j);
	tc_run_for(1000);
	tc_wait_rolled_out("web");
	ck_assert(
	    tc_has_event("DeploymentRollback", "Rolled back deployment \"web\" to revision 1"));
	struct simobj *d = simstore_get(C->sim.store, C->deps, "default", "web");
	ck_assert_ptr_null(tc_annot(d, "deprecated.deployment.rollback.to"));
	ck_assert_str_eq(
	    tc_annot(tc_rs_by_image("web", "nginx:1"), "deployment.kubernetes.io/revision"), "3");
}
END_TEST

START_TEST(test_history_limit)
{
	tc_create_deploy("web", 2, "nginx:1", "\"revisionHistoryLimit\":2");
	tc_wait_rolled_out("web");
	const char *images[] = {"nginx:2", "nginx:3", "nginx:4", "nginx:5"};
	for (size_t i = 0; i < 4; i++) {
		tc_set_image("web", images[i]);
		tc_wait_rolled_out("web");
	}
	tc_run_for(5000);
	struct simobj *v[8];
	size_t n = tc_rs_of("web", v, 8);
	ck_assert_uint_eq(n, 3);
	ck_assert_ptr_null(tc_rs_by_image("web", "nginx:1"));
	ck_assert_ptr_null(tc_rs_by_image("web", "nginx:2"));
	ck_assert_str_eq(
	    tc_annot(tc_rs_by_image("web", "nginx:3"), "deployment.kubernetes.io/revision"), "3");
	ck_assert_str_eq(
	    tc_annot(tc_rs_by_image("web", "nginx:5"), "deployment.kubernetes.io/revision"), "5");
}
END_TEST

static bool deadline_exceeded(void *ud)
{
	return strcmp(tc_progressing(ud, NULL), "ProgressDeadlineExceeded") == 0;
}

START_TEST(test_progress_deadline)
{
	tc_create_deploy("web", 3, "nginx:1", "\"progressDeadlineSeconds\":30");
	tc_wait_rolled_out("web");
	tc_set_image("web", "nginx:bad");
	tc_run_for(10000);
	ck_assert_str_eq(tc_progressing("web", NULL), "ReplicaSetUpdated");
	ck_assert(tc_run_until(deadline_exceeded, (void *)"web", 10000));
	struct simobj *nw = tc_rs_by_image("web", "nginx:bad");
	const char *msg;
	tc_progressing("web", &msg);
	char want[128];
	snprintf(want, sizeof(want), "ReplicaSet \"%s\" has timed out progressing.", nw->name);
	ck_assert_str_eq(msg, want);
	struct rollout_result r;
	ck_assert_int_eq(tc_status_of("web", &r), ROLLOUT_ERROR);
	ck_assert_str_eq(r.msg, "deployment \"web\" exceeded its progress deadline");
	/* The old pods still serve: 3 - 25% rounded down = 3 - 0, so none went. */
	struct simobj *old = tc_rs_by_image("web", "nginx:1");
	ck_assert_int_eq(tc_rs_int(old, "status", "availableReplicas"), 3);
}
END_TEST

START_TEST(test_restart)
{
	tc_create_deploy("web", 3, "nginx:1", NULL);
	tc_wait_rolled_out("web");
	cJSON *j = tc_dep_copy("web");
	cJSON *tmd = simjson_object(tc_jpath(j, "spec", "template"), "metadata");
	simjson_set_string(simjson_object(tmd, "annotations"), "kubectl.kubernetes.io/restartedAt",
			   "2026-11-27T12:00:00Z");
	tc_dep_put(j);
	tc_run_for(500);
	tc_wait_rolled_out("web");
	struct simobj *v[8];
	ck_assert_uint_eq(tc_rs_of("web", v, 8), 2);
	for (size_t i = 0; i < 2; i++) {
		const char *rev = tc_annot(v[i], "deployment.kubernetes.io/revision");
		ck_assert_int_eq(tc_rs_int(v[i], "spec", "replicas"), !strcmp(rev, "2") ? 3 : 0);
	}
}
END_TEST

/* When (simulated) the RS first reported 2 available replicas, and the
 * latest Ready lastTransitionTime of its pods then. */
static int64_t avail2_at, ready_lt;
static int avail_when_ready = -1; /* availableReplicas when readyReplicas first was 2 */

static void watch_rs(void *ud, const struct simevent *ev)
{
	(void)ud;
	if (ev->type != SIMEV_DELETED && avail_when_ready < 0 &&
	    tc_rs_int(ev->obj, "status", "readyReplicas") == 2)
		avail_when_ready = tc_rs_int(ev->obj, "status", "availableReplicas");
	if (ev->type == SIMEV_DELETED || avail2_at ||
	    tc_rs_int(ev->obj, "status", "availableReplicas") != 2)
		return;
	avail2_at = simclock_now(&C->sim.clock);
	struct simsnap *s = simstore_snapshot(C->sim.store, C->pods);
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *c;
		cJSON_ArrayForEach(c, tc_jpath(s->items[i]->json, "status", "conditions"))
		{
			int64_t t;
			if (strcmp(simjson_string(c, "type"), "Ready") == 0 &&
			    duration_parse_rfc3339(simjson_string(c, "lastTransitionTime"), &t,
						   NULL) == 0 &&
			    t > ready_lt)
				ready_lt = t;
		}
	}
	simsnap_unref(s);
}

static bool avail_seen(void *ud)
{
	(void)ud;
	return avail2_at != 0;
}

START_TEST(test_min_ready_seconds)
{
	C->kubelet.ready_ms = 1000;
	avail2_at = ready_lt = 0;
	avail_when_ready = -1;
	simstore_listen(C->sim.store, C->rss, watch_rs, NULL);
	tc_create_deploy("web", 2, "nginx:1", "\"minReadySeconds\":10");
	ck_assert(tc_run_until(avail_seen, NULL, 10000));
	/* Ready first, available only later. */
	ck_assert_int_eq(avail_when_ready, 0);
	struct simobj *rs = tc_rs_by_image("web", "nginx:1");
	ck_assert_int_eq(tc_rs_int(rs, "spec", "minReadySeconds"), 10);
	/* IsPodAvailable: lastTransitionTime + minReadySeconds < now, no sooner. */
	ck_assert_msg(avail2_at - ready_lt > 10000, "available %lld ms after ready",
		      (long long)(avail2_at - ready_lt));
	tc_wait_rolled_out("web");
}
END_TEST

/* Pods not being deleted; *ready gets those with conditions (ready ones:
 * the held pods have none). */
static int count_live(int *ready)
{
	struct simsnap *s = simstore_snapshot(C->sim.store, C->pods);
	int live = 0, live_ready = 0;
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *j = s->items[i]->json;
		if (tc_jpath((cJSON *)j, "metadata", "deletionTimestamp"))
			continue;
		live++;
		live_ready += cJSON_GetArraySize(tc_jpath((cJSON *)j, "status", "conditions")) > 0;
	}
	simsnap_unref(s);
	if (ready)
		*ready = live_ready;
	return live;
}

static bool live_is(void *ud)
{
	return count_live(NULL) == *(const int *)ud;
}

START_TEST(test_scale_and_victims)
{
	tc_create_deploy("web", 3, "nginx:1", NULL);
	tc_wait_rolled_out("web");
	tc_set_spec_int("web", "replicas", 5);
	tc_wait_rolled_out("web");
	struct simobj *rs = tc_rs_by_image("web", "nginx:1");
	char want[128];
	snprintf(want, sizeof(want), "Scaled up replica set %s to 5 from 3", rs->name);
	ck_assert(tc_has_event("ScalingReplicaSet", want));
	/* Scale down while two new pods are not ready yet: those go first. */
	C->kubelet.hold = true;
	tc_set_spec_int("web", "replicas", 7);
	int seven = 7, five = 5;
	ck_assert_msg(tc_run_until(live_is, &seven, 10000), "%d live pods, not 7",
		      count_live(NULL));
	tc_set_spec_int("web", "replicas", 5);
	ck_assert_msg(tc_run_until(live_is, &five, 10000), "%d live pods, not 5", count_live(NULL));
	int live_ready = 0;
	ck_assert_int_eq(count_live(&live_ready), 5);
	ck_assert_int_eq(live_ready, 5);
	C->kubelet.hold = false;
	snprintf(want, sizeof(want), "Scaled down replica set %s to 5 from 7", rs->name);
	ck_assert(tc_has_event("ScalingReplicaSet", want));
}
END_TEST

static int owned_pods(const char *rsname, int *unowned)
{
	struct simsnap *s = simstore_snapshot(C->sim.store, C->pods);
	int n = 0;
	*unowned = 0;
	for (size_t i = 0; i < s->n; i++) {
		cJSON *md = cJSON_GetObjectItem(s->items[i]->json, "metadata");
		if (cJSON_GetObjectItem(md, "deletionTimestamp"))
			continue;
		cJSON *ref = cJSON_GetArrayItem(cJSON_GetObjectItem(md, "ownerReferences"), 0);
		if (!ref)
			(*unowned)++;
		else if (!strcmp(simjson_string(ref, "name"), rsname))
			n++;
	}
	simsnap_unref(s);
	return n;
}

static void relabel_pod(const char *name, const char *app)
{
	struct simobj *p = simstore_get(C->sim.store, C->pods, "default", name);
	cJSON *j = simobj_copy(p);
	simjson_set_string(tc_jpath(j, "metadata", "labels"), "app", app);
	ck_assert_int_eq(simstore_update(C->sim.store, C->pods, j, 0, NULL), SIMSTORE_OK);
}

static char claim_rs[64];
static bool claim_state(void *ud)
{
	const int *want = ud; /* owned, unowned */
	int unowned, owned = owned_pods(claim_rs, &unowned);
	return owned == want[0] && unowned == want[1];
}

/* ClaimPods and ClaimReplicaSets: release on relabel, adopt orphans. */
START_TEST(test_claim)
{
	tc_create_deploy("web", 2, "nginx:1", NULL);
	tc_wait_rolled_out("web");
	struct simobj *rs = tc_rs_by_image("web", "nginx:1");
	snprintf(claim_rs, sizeof(claim_rs), "%s", rs->name);
	struct simsnap *s = simstore_snapshot(C->sim.store, C->pods);
	char victim[128] = "";
	for (size_t i = 0; i < s->n && !*victim; i++)
		if (!strncmp(s->items[i]->name, claim_rs, strlen(claim_rs)))
			snprintf(victim, sizeof(victim), "%s", s->items[i]->name);
	simsnap_unref(s);
	relabel_pod(victim, "debug");
	int released[2] = {2, 1};
	ck_assert_msg(tc_run_until(claim_state, released, 5000), "not released and replaced");
	relabel_pod(victim, "web");
	int adopted[2] = {2, 0};
	ck_assert_msg(tc_run_until(claim_state, adopted, 5000), "not adopted and scaled down");

	/* An orphaned ReplicaSet is adopted by a new deployment with its template. */
	struct simobj *r = simstore_get(C->sim.store, C->rss, "default", claim_rs);
	cJSON *j = simobj_copy(r);
	cJSON_DeleteItemFromObject(cJSON_GetObjectItem(j, "metadata"), "ownerReferences");
	ck_assert_int_eq(simstore_update(C->sim.store, C->rss, j, 0, NULL), SIMSTORE_OK);
	ck_assert_int_eq(simstore_delete(C->sim.store, C->deps, "default", "web", 0, NULL),
			 SIMSTORE_OK);
	tc_create_deploy("web", 2, "nginx:1", NULL);
	tc_wait_rolled_out("web");
	struct simobj *v[4];
	ck_assert_uint_eq(tc_rs_of("web", v, 4), 1);
	const char *uid = simjson_string(
	    cJSON_GetArrayItem(tc_jpath(v[0]->json, "metadata", "ownerReferences"), 0), "uid");
	ck_assert_str_eq(
	    uid, simjson_string(
		     cJSON_GetObjectItem(
			 simstore_get(C->sim.store, C->deps, "default", "web")->json, "metadata"),
		     "uid"));
}
END_TEST

static Suite *run_suite(void)
{
	Suite *s = suite_create("sim_deploy_run");
	TCase *tc = tcase_create("rollouts");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rolling_update_budgets);
	tcase_add_test(tc, test_recreate);
	tcase_add_test(tc, test_paused_proportional);
	tcase_add_test(tc, test_rollback);
	tcase_add_test(tc, test_rollback_annotation);
	tcase_add_test(tc, test_history_limit);
	tcase_add_test(tc, test_progress_deadline);
	tcase_add_test(tc, test_restart);
	tcase_add_test(tc, test_min_ready_seconds);
	tcase_add_test(tc, test_scale_and_victims);
	tcase_add_test(tc, test_claim);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(run_suite());
}
