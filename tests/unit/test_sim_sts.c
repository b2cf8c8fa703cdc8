#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "clock.h"
#include "ctrl_history.h"
#include "ctrl_statefulset.h"
#include "ctrl_statefulset_int.h"
#include "events.h"
#include "objdefaults.h"
#include "poddelete.h"
#include "printer.h"
#include "simcluster.h"
#include "store.h"
#include "testutil.h"

/*
 * The StatefulSet controller: its helpers against upstream's own cases
 * (stateful_set_utils_test.go, history_test.go), then whole rollouts in an
 * in-process store on the test's trivial kubelet (tests/lib/simcluster.h),
 * after stateful_set_control_test.go's scenarios.
 */

/* --- helpers ------------------------------------------------------------------- */

START_TEST(test_ordinal)
{
	static const struct {
		const char *name;
		int32_t want;
	} rows[] = {
	    {"web-0", 0},    {"web-12", 12},
	    {"my-web-3", 3}, {"web", -1},
	    {"web-", -1},    {"web-a", -1},
	    {"-3", -1},      {"web-99999999999", -1},
	    {"web-1x", -1},  {"web-2147483647", 2147483647},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		ck_assert_msg(stsctl_ordinal(rows[i].name) == rows[i].want, "%s", rows[i].name);
}
END_TEST

START_TEST(test_go_json)
{
	cJSON *v = cJSON_Parse("{\"b\":[1,2.5,true,null],\"a\":{\"z\":\"<x>&\\n\",\"y\":-3}}");
	char *s = simhist_go_json(v);
	ck_assert_str_eq(s, "{\"a\":{\"y\":-3,\"z\":\"\\u003cx\\u003e\\u0026\\n\"},"
			    "\"b\":[1,2.5,true,null]}");
	free(s);
	cJSON_Delete(v);
	v = cJSON_Parse("{\"spec\":{\"replicas\":3,\"template\":{\"spec\":{\"c\":1},"
			"\"metadata\":{\"labels\":{\"app\":\"web\"}}}}}");
	s = simhist_patch(v);
	ck_assert_str_eq(s, "{\"spec\":{\"template\":{\"$patch\":\"replace\",\"metadata\":"
			    "{\"creationTimestamp\":null,\"labels\":{\"app\":\"web\"}},"
			    "\"spec\":{\"c\":1}}}}");
	free(s);
	cJSON_Delete(v);
}
END_TEST

START_TEST(test_hash)
{
	/* FNV-1 32 of "a" is 0x050c5d7e = 84696446, spelled digit by digit. */
	char h[SIMHIST_HASH_LEN];
	simhist_hash("a", 1, NULL, h);
	ck_assert_str_eq(h, "d8bfb88b");
	/* The collision count changes the hash (HashControllerRevision's probe). */
	int32_t probe = 0, one = 1;
	char h0[SIMHIST_HASH_LEN], h1[SIMHIST_HASH_LEN];
	simhist_hash("a", 1, &probe, h0);
	simhist_hash("a", 1, &one, h1);
	ck_assert_str_ne(h0, h1);
	ck_assert_str_ne(h0, h);
	char long_name[300];
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	char *n = simhist_name(long_name, "abc");
	ck_assert_uint_eq(strlen(n), 223 + 4);
	free(n);
}
END_TEST

START_TEST(test_sort_revisions)
{
	/* history_test.go TestSortControllerRevisions: by revision, then time, then name. */
	struct simhist_rev v[] = {
	    {.name = "c", .revision = 2, .created_ms = 1},
	    {.name = "b", .revision = 1, .created_ms = 2},
	    {.name = "a", .revision = 1, .created_ms = 2},
	    {.name = "d", .revision = 1, .created_ms = 1},
	};
	simhist_sort(v, 4);
	ck_assert_str_eq(v[0].name, "d");
	ck_assert_str_eq(v[1].name, "a");
	ck_assert_str_eq(v[2].name, "b");
	ck_assert_str_eq(v[3].name, "c");
}
END_TEST

START_TEST(test_printer_cells)
{
	/* printStatefulSet, printControllerRevision, printPersistentVolumeClaim. */
	cJSON *sts = cJSON_Parse(
	    "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":3,\"template\":{\"spec\":"
	    "{\"containers\":[{\"name\":\"a\",\"image\":\"x:1\"},{\"name\":\"b\",\"image\":"
	    "\"y:2\"}]}}},\"status\":{\"readyReplicas\":2}}");
	struct buf b = BUF_INIT;
	simprint_statefulset_cells(&b, sts, 0);
	ck_assert_str_eq(b.data, ",\"2/3\",\"<unknown>\",\"a,b\",\"x:1,y:2\"");
	buf_free(&b);
	cJSON_Delete(sts);
	cJSON *cr = cJSON_Parse("{\"metadata\":{\"name\":\"web-1\",\"ownerReferences\":["
				"{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"name\":"
				"\"web\",\"controller\":true}]},\"revision\":4}");
	b = (struct buf)BUF_INIT;
	simprint_controllerrevision_cells(&b, cr, 0);
	ck_assert_str_eq(b.data, ",\"statefulset.apps/web\",4,\"<unknown>\"");
	buf_free(&b);
	cJSON_Delete(cr);
	cr = cJSON_Parse("{\"metadata\":{\"name\":\"x\"},\"revision\":1}");
	b = (struct buf)BUF_INIT;
	simprint_controllerrevision_cells(&b, cr, 0);
	ck_assert_str_eq(b.data, ",\"<none>\",1,\"<unknown>\"");
	buf_free(&b);
	cJSON_Delete(cr);
	cJSON *pvc = cJSON_Parse(
	    "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"volumeName\":\"pv1\","
	    "\"storageClassName\":\"fast\",\"volumeMode\":\"Filesystem\"},\"status\":{\"phase\":"
	    "\"Bound\",\"capacity\":{\"storage\":\"1Gi\"},\"accessModes\":[\"ReadWriteMany\","
	    "\"ReadWriteOnce\"]}}");
	b = (struct buf)BUF_INIT;
	simprint_pvc_cells(&b, pvc, 0);
	ck_assert_str_eq(b.data, ",\"Bound\",\"pv1\",\"1Gi\",\"RWO,RWX\",\"fast\",\"<unset>\","
				 "\"<unknown>\",\"Filesystem\"");
	buf_free(&b);
	cJSON_Delete(pvc);
}
END_TEST

/* --- rollouts ---------------------------------------------------------------------- */

static struct tc_cluster *C;
static const struct simres *STS, *CRS, *PVCS;

/* Sampled at every store event: the most pods at once Terminating, and an
 * ordering violation (a pod created while a lower ordinal was not Ready). */
static struct {
	bool on;
	int max_terminating;
	bool created_early;
	bool deleted_early; /* a pod deleted while a higher ordinal still ran */
	char deletions[16]; /* the ordinals as they became Terminating */
} S;

static bool pod_ready(const cJSON *p)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, tc_jpath(p, "status", "conditions"))
	{
		if (!strcmp(simjson_string(c, "type"), "Ready"))
			return !strcmp(simjson_string(c, "status"), "True");
	}
	return false;
}

static const struct simobj *pod(int ord)
{
	char name[32];
	snprintf(name, sizeof(name), "web-%d", ord);
	return simstore_get(C->sim.store, C->pods, "default", name);
}

static void sample(void *ud, const struct simevent *ev)
{
	(void)ud;
	if (!S.on || ev->obj->res != C->pods)
		return;
	int ord = stsctl_ordinal(ev->obj->name);
	if (ev->type == SIMEV_ADDED)
		for (int i = 0; i < ord; i++)
			if (!pod(i) || !pod_ready(pod(i)->json))
				S.created_early = true;
	bool term_now = tc_jpath(ev->obj->json, "metadata", "deletionTimestamp") != NULL;
	bool term_before =
	    ev->prev && tc_jpath(ev->prev->json, "metadata", "deletionTimestamp") != NULL;
	size_t nd = strlen(S.deletions);
	if (ev->type == SIMEV_MODIFIED && term_now && !term_before && nd < sizeof(S.deletions) - 1)
		S.deletions[nd] = (char)('0' + ord % 10);
	if (ev->type == SIMEV_MODIFIED && term_now && !term_before)
		for (int i = ord + 1; i < 10; i++)
			if (pod(i) && !tc_jpath(pod(i)->json, "metadata", "deletionTimestamp"))
				S.deleted_early = true;
	int n = 0;
	for (int i = 0; i < 10; i++)
		if (pod(i) && tc_jpath(pod(i)->json, "metadata", "deletionTimestamp"))
			n++;
	if (n > S.max_terminating)
		S.max_terminating = n;
}

static void setup(void)
{
	/* Several checks bound simulated time (nothing happens before...):
	 * at a quarter of the usual speed a loaded loop (valgrind, two at a
	 * time) costs fewer simulated seconds. */
	C = tc_up_speed(TC_SPEED / 4);
	STS = simres_find("apps", "v1", "statefulsets");
	CRS = simres_find("apps", "v1", "controllerrevisions");
	PVCS = simres_find("", "v1", "persistentvolumeclaims");
	memset(&S, 0, sizeof(S));
	simstore_listen(C->sim.store, C->pods, sample, NULL);
	ck_assert_int_eq(simsts_start(&C->sim), 0);
}

static void teardown(void)
{
	simsts_stop(&C->sim);
	tc_down();
}

static void create_sts(int replicas, const char *extra)
{
	char buf[2048];
	snprintf(buf, sizeof(buf),
		 "{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\","
		 "\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},"
		 "\"spec\":{\"replicas\":%d,\"serviceName\":\"web\","
		 "\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
		 "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
		 "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1.26\"}]}}%s%s}}",
		 replicas, extra ? "," : "", extra ? extra : "");
	cJSON *o = cJSON_Parse(buf);
	ck_assert_msg(o != NULL, "bad JSON: %s", buf);
	objdefaults_apply("StatefulSet", o);
	ck_assert_int_eq(simstore_create(C->sim.store, STS, o, NULL), SIMSTORE_OK);
}

static cJSON *sts_copy(void)
{
	struct simobj *o = simstore_get(C->sim.store, STS, "default", "web");
	ck_assert_ptr_nonnull(o);
	return simobj_copy(o);
}

static void sts_put(cJSON *j)
{
	ck_assert_int_eq(simstore_update(C->sim.store, STS, j, 0, NULL), SIMSTORE_OK);
}

static void set_image(const char *image)
{
	cJSON *j = sts_copy();
	cJSON *c = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(tc_jpath(cJSON_GetObjectItem(j, "spec"), "template", "spec"),
				"containers"),
	    0);
	simjson_set_string(c, "image", image);
	sts_put(j);
}

static void set_int(const char *a, const char *b, int v)
{
	cJSON *j = sts_copy();
	cJSON *o = simjson_object(j, "spec");
	if (b)
		o = simjson_object(simjson_object(o, a), b);
	simjson_set_number(o, b ? "partition" : a, v);
	sts_put(j);
}

static int64_t st_int(const char *key)
{
	struct simobj *o = simstore_get(C->sim.store, STS, "default", "web");
	const cJSON *v = tc_jpath(o->json, "status", key);
	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static const char *st_str(const char *key)
{
	struct simobj *o = simstore_get(C->sim.store, STS, "default", "web");
	const char *s = simjson_string(cJSON_GetObjectItem(o->json, "status"), key);
	return s ? s : "";
}

static const char *revision_of(int ord)
{
	const struct simobj *p = pod(ord);
	return p ? simjson_string(tc_jpath(p->json, "metadata", "labels"),
				  "controller-revision-hash")
		 : NULL;
}

static const char *image_of(int ord)
{
	const struct simobj *p = pod(ord);
	return simjson_string(cJSON_GetArrayItem(tc_jpath(p->json, "spec", "containers"), 0),
			      "image");
}

/* Rolled out as kubectl rollout status sees it: observed, counts, revisions. */
static bool settled(void *ud)
{
	int want = *(int *)ud;
	struct simobj *o = simstore_get(C->sim.store, STS, "default", "web");
	int64_t gen = (int64_t)cJSON_GetNumberValue(tc_jpath(o->json, "metadata", "generation"));
	int n = 0;
	for (int i = 0; i < 10; i++)
		if (pod(i))
			n++;
	return st_int("observedGeneration") == gen && st_int("readyReplicas") == want &&
	       st_int("replicas") == want && n == want && st_int("updatedReplicas") == want &&
	       !strcmp(st_str("currentRevision"), st_str("updateRevision"));
}

/* The set has an update revision other than *ud. */
static bool new_revision(void *ud)
{
	return strcmp(st_str("updateRevision"), ud) != 0;
}

static void wait_settled(int n)
{
	ck_assert_msg(tc_run_until(settled, &n, 20000), "not settled at %d: ready %lld", n,
		      (long long)st_int("readyReplicas"));
}

static size_t revisions(int64_t *nums, size_t max)
{
	struct simsnap *s = simstore_snapshot(C->sim.store, CRS);
	size_t n = 0;
	for (size_t i = 0; i < s->n && n < max; i++)
		nums[n++] = (int64_t)cJSON_GetNumberValue(
		    cJSON_GetObjectItem(s->items[i]->json, "revision"));
	size_t total = s->n;
	simsnap_unref(s);
	return total;
}

/* The ordinals in [from, to) run the revision *ud and the status counts
 * updated pods as such (a condition for tc_run_until). */
struct on_rev {
	const char *rev;
	int from, to, updated;
};

static bool pods_on_rev(void *ud)
{
	const struct on_rev *w = ud;
	for (int i = w->from; i < w->to; i++) {
		const char *r = revision_of(i);
		if (!r || strcmp(r, w->rev) != 0)
			return false;
	}
	return st_int("updatedReplicas") == w->updated;
}

static void wait_on_rev(const char *rev, int from, int to, int updated)
{
	struct on_rev w = {rev, from, to, updated};
	ck_assert_msg(tc_run_until(pods_on_rev, &w, 20000), "ordinals %d-%d not on %s", from,
		      to - 1, rev);
}

START_TEST(test_ordered_ready)
{
	/* TestStatefulSetControl "CreatesPods" and "monotonic": one at a time. */
	S.on = true;
	C->kubelet.hold = true;
	create_sts(3, NULL);
	tc_run_for(10000);
	ck_assert_ptr_nonnull(pod(0));
	ck_assert_ptr_null(pod(1));
	C->kubelet.hold = false;
	wait_settled(3);
	ck_assert(!S.created_early);
	ck_assert_int_eq(st_int("currentReplicas"), 3);
	ck_assert_int_eq(st_int("availableReplicas"), 3);
	const char *rev = st_str("updateRevision");
	ck_assert(strncmp(rev, "web-", 4) == 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_str_eq(revision_of(i), rev);
		const cJSON *spec = cJSON_GetObjectItem(pod(i)->json, "spec");
		char name[16];
		snprintf(name, sizeof(name), "web-%d", i);
		ck_assert_str_eq(simjson_string(spec, "hostname"), name);
		ck_assert_str_eq(simjson_string(spec, "subdomain"), "web");
		ck_assert_str_eq(simjson_string(tc_jpath(pod(i)->json, "metadata", "labels"),
						"statefulset.kubernetes.io/pod-name"),
				 name);
	}
	ck_assert(
	    tc_has_event("SuccessfulCreate", "create Pod web-0 in StatefulSet web successful"));
	ck_assert(
	    tc_has_event("SuccessfulCreate", "create Pod web-2 in StatefulSet web successful"));
	int64_t nums[4];
	ck_assert_uint_eq(revisions(nums, 4), 1);
	ck_assert_int_eq(nums[0], 1);
	/* Scale down: the highest ordinal first, one at a time. */
	set_int("replicas", NULL, 1);
	wait_settled(1);
	ck_assert(!S.deleted_early);
	ck_assert_int_eq(S.max_terminating, 1);
	ck_assert(
	    tc_has_event("SuccessfulDelete", "delete Pod web-2 in StatefulSet web successful"));
}
END_TEST

START_TEST(test_parallel)
{
	/* TestStatefulSetControlBurst...: Parallel creates and deletes at once. */
	S.on = true;
	C->kubelet.hold = true;
	create_sts(3, "\"podManagementPolicy\":\"Parallel\"");
	tc_run_for(3000);
	for (int i = 0; i < 3; i++)
		ck_assert_ptr_nonnull(pod(i));
	ck_assert(S.created_early);
	C->kubelet.hold = false;
	wait_settled(3);
	set_int("replicas", NULL, 0);
	wait_settled(0);
	ck_assert_int_eq(S.max_terminating, 3);
}
END_TEST

START_TEST(test_partition_canary)
{
	/* TestStatefulSetControlRollingUpdateWithPartition. */
	create_sts(4, "\"updateStrategy\":{\"type\":\"RollingUpdate\","
		      "\"rollingUpdate\":{\"partition\":3}}");
	wait_settled(4);
	const char *r1 = st_str("currentRevision");
	char old[64];
	snprintf(old, sizeof(old), "%s", r1);
	set_image("nginx:1.27");
	ck_assert(tc_run_until(new_revision, old, 20000));
	char upd[64];
	snprintf(upd, sizeof(upd), "%s", st_str("updateRevision"));
	wait_on_rev(upd, 3, 4, 1);
	/* ... and the partition holds the others. */
	tc_run_for(5000);
	ck_assert_str_eq(st_str("currentRevision"), old);
	for (int i = 0; i < 3; i++)
		ck_assert_str_eq(revision_of(i), old);
	ck_assert_str_eq(revision_of(3), upd);
	ck_assert_str_eq(image_of(3), "nginx:1.27");
	ck_assert_int_eq(st_int("currentReplicas"), 3);
	ck_assert_int_eq(st_int("updatedReplicas"), 1);
	set_int("updateStrategy", "rollingUpdate", 1);
	wait_on_rev(upd, 1, 4, 3);
	tc_run_for(5000);
	ck_assert_str_eq(revision_of(0), old);
	for (int i = 1; i < 4; i++)
		ck_assert_str_eq(revision_of(i), upd);
	S.on = true;
	set_int("updateStrategy", "rollingUpdate", 0);
	wait_settled(4);
	ck_assert_str_eq(st_str("currentRevision"), upd);
	ck_assert_str_eq(image_of(0), "nginx:1.27");
	ck_assert_int_eq(st_int("currentReplicas"), 4);
	/* A re-created pod of the old revision keeps the old template. */
	int64_t nums[4];
	ck_assert_uint_eq(revisions(nums, 4), 2);
}
END_TEST

START_TEST(test_rollback_reuses_revision)
{
	/* getStatefulSetRevisions: an equal older revision is renumbered. */
	create_sts(2, NULL);
	wait_settled(2);
	char r1[64];
	snprintf(r1, sizeof(r1), "%s", st_str("updateRevision"));
	set_image("nginx:1.27");
	wait_settled(2);
	set_image("nginx:1.26");
	wait_settled(2);
	ck_assert_str_eq(st_str("updateRevision"), r1);
	struct simobj *cr = simstore_get(C->sim.store, CRS, "default", r1);
	ck_assert_ptr_nonnull(cr);
	ck_assert_int_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItem(cr->json, "revision")), 3);
	int64_t nums[4];
	ck_assert_uint_eq(revisions(nums, 4), 2);
	ck_assert_str_eq(image_of(0), "nginx:1.26");
}
END_TEST

START_TEST(test_on_delete)
{
	/* TestStatefulSetControlOnDeleteUpdate: pods change only when deleted. */
	create_sts(3, "\"updateStrategy\":{\"type\":\"OnDelete\"}");
	wait_settled(3);
	char old[64];
	snprintf(old, sizeof(old), "%s", st_str("currentRevision"));
	set_image("nginx:1.27");
	tc_run_for(20000);
	for (int i = 0; i < 3; i++)
		ck_assert_str_eq(revision_of(i), old);
	ck_assert_int_eq(st_int("updatedReplicas"), 0);
	ck_assert_int_eq(st_int("currentReplicas"), 3);
	simpod_delete(&C->sim, "default", "web-1", -1, NULL);
	char upd[64];
	snprintf(upd, sizeof(upd), "%s", st_str("updateRevision"));
	wait_on_rev(upd, 1, 2, 1);
	ck_assert_str_eq(revision_of(1), st_str("updateRevision"));
	ck_assert_str_eq(image_of(1), "nginx:1.27");
	ck_assert_str_eq(revision_of(0), old);
	ck_assert_int_eq(st_int("updatedReplicas"), 1);
	ck_assert_str_eq(st_str("currentRevision"), old);
}
END_TEST

START_TEST(test_max_unavailable)
{
	/* updateStatefulSetAfterInvariantEstablished: two at a time. */
	create_sts(4, "\"updateStrategy\":{\"type\":\"RollingUpdate\","
		      "\"rollingUpdate\":{\"partition\":0,\"maxUnavailable\":2}}");
	wait_settled(4);
	S.on = true;
	set_image("nginx:1.27");
	wait_settled(4);
	ck_assert_int_eq(S.max_terminating, 2);
}
END_TEST

START_TEST(test_rolling_one_at_a_time)
{
	/* Without maxUnavailable: highest ordinal first, one at a time. */
	create_sts(3, NULL);
	wait_settled(3);
	S.on = true;
	set_image("nginx:1.27");
	wait_settled(3);
	ck_assert_int_eq(S.max_terminating, 1);
	ck_assert_str_eq(S.deletions, "210");
}
END_TEST

static bool two_available(void *ud)
{
	(void)ud;
	return st_int("availableReplicas") == 2;
}

START_TEST(test_min_ready_seconds)
{
	create_sts(2, "\"minReadySeconds\":30");
	int two = 2;
	ck_assert(tc_run_until(settled, &two, 20000));
	ck_assert_int_lt(st_int("availableReplicas"), 2);
	ck_assert(tc_run_until(two_available, NULL, 20000));
}
END_TEST

START_TEST(test_history_limit_and_claims)
{
	/* truncateHistory keeps revisionHistoryLimit non-live revisions. */
	create_sts(1, "\"revisionHistoryLimit\":1,\"volumeClaimTemplates\":[{\"metadata\":"
		      "{\"name\":\"www\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"]}}]");
	wait_settled(1);
	set_image("nginx:1.27");
	wait_settled(1);
	set_image("nginx:1.28");
	wait_settled(1);
	int64_t nums[4];
	ck_assert_uint_eq(revisions(nums, 4), 2);
	ck_assert(nums[0] == 3 || nums[1] == 3);
	ck_assert(nums[0] == 2 || nums[1] == 2);
	struct simobj *pvc = simstore_get(C->sim.store, PVCS, "default", "www-web-0");
	ck_assert_ptr_nonnull(pvc);
	ck_assert_str_eq(simjson_string(tc_jpath(pvc->json, "metadata", "labels"), "app"), "web");
	const cJSON *vol = cJSON_GetArrayItem(tc_jpath(pod(0)->json, "spec", "volumes"), 0);
	ck_assert_str_eq(simjson_string(vol, "name"), "www");
	ck_assert_str_eq(
	    simjson_string(cJSON_GetObjectItem(vol, "persistentVolumeClaim"), "claimName"),
	    "www-web-0");
	ck_assert(tc_has_event("SuccessfulCreate",
			       "create Claim www-web-0 Pod web-0 in StatefulSet web success"));
}
END_TEST

/* web-1 is there again, under another uid than *ud. */
static bool new_uid(void *ud)
{
	const struct simobj *p = pod(1);
	const char *uid = p ? simjson_string(cJSON_GetObjectItem(p->json, "metadata"), "uid") : NULL;
	return uid && strcmp(uid, ud) != 0;
}

START_TEST(test_failed_pod_replaced)
{
	/* processReplica: a Failed pod is deleted and made again. */
	create_sts(2, NULL);
	wait_settled(2);
	cJSON *j = simobj_copy(pod(1));
	simjson_set_string(simjson_object(j, "status"), "phase", "Failed");
	const char *uid = simjson_string(cJSON_GetObjectItem(j, "metadata"), "uid");
	char olduid[64];
	snprintf(olduid, sizeof(olduid), "%s", uid);
	ck_assert_int_eq(simstore_update(C->sim.store, C->pods, j, 0, NULL), SIMSTORE_OK);
	ck_assert(tc_run_until(new_uid, olduid, 20000));
	ck_assert_ptr_nonnull(pod(1));
	ck_assert_str_ne(simjson_string(cJSON_GetObjectItem(pod(1)->json, "metadata"), "uid"),
			 olduid);
	wait_settled(2);
}
END_TEST

/* The kind and name of the controller reference of claim NAME, "" if none. */
static const char *claim_owner(const char *name, char out[64])
{
	struct simobj *pvc = simstore_get(C->sim.store, PVCS, "default", name);
	ck_assert_ptr_nonnull(pvc);
	out[0] = '\0';
	const cJSON *r;
	cJSON_ArrayForEach(r, tc_jpath(pvc->json, "metadata", "ownerReferences"))
	{
		if (cJSON_IsTrue(cJSON_GetObjectItem(r, "controller")))
			snprintf(out, 64, "%s/%s", simjson_string(r, "kind"),
				 simjson_string(r, "name"));
	}
	return out;
}

START_TEST(test_claim_retention)
{
	/* updateClaimOwnerRefForSetAndPod: whenDeleted Delete gives the set the
	 * claims; whenScaled Delete gives a scaled-down pod its own. */
	create_sts(2, "\"persistentVolumeClaimRetentionPolicy\":{\"whenDeleted\":\"Delete\","
		      "\"whenScaled\":\"Delete\"},\"volumeClaimTemplates\":[{\"metadata\":"
		      "{\"name\":\"www\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"]}}]");
	wait_settled(2);
	char o[64];
	ck_assert_str_eq(claim_owner("www-web-0", o), "StatefulSet/web");
	ck_assert_str_eq(claim_owner("www-web-1", o), "StatefulSet/web");
	set_int("replicas", NULL, 1);
	wait_settled(1);
	ck_assert_str_eq(claim_owner("www-web-0", o), "StatefulSet/web");
	ck_assert_str_eq(claim_owner("www-web-1", o), "Pod/web-1");
}
END_TEST

START_TEST(test_claim_retain_default)
{
	create_sts(2, "\"volumeClaimTemplates\":[{\"metadata\":"
		      "{\"name\":\"www\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"]}}]");
	wait_settled(2);
	set_int("replicas", NULL, 1);
	wait_settled(1);
	char o[64];
	ck_assert_str_eq(claim_owner("www-web-0", o), "");
	ck_assert_str_eq(claim_owner("www-web-1", o), "");
}
END_TEST

static bool owned_by_web(void *ud)
{
	const struct simobj *p = pod(*(int *)ud);
	const cJSON *r =
	    p ? cJSON_GetArrayItem(tc_jpath(p->json, "metadata", "ownerReferences"), 0) : NULL;
	const char *name = simjson_string(r, "name");
	return name && !strcmp(name, "web") && cJSON_IsTrue(cJSON_GetObjectItem(r, "controller"));
}

static bool orphan(void *ud)
{
	const struct simobj *p = pod(*(int *)ud);
	return p && !tc_jpath(p->json, "metadata", "ownerReferences");
}

START_TEST(test_adopt_and_release)
{
	/* ClaimPods: an orphan SET-N pod the selector matches is adopted (not
	 * replaced); a pod whose labels leave the selector is released. */
	create_sts(2, NULL);
	wait_settled(2);
	char uid[64];
	snprintf(uid, sizeof(uid), "%s",
		 simjson_string(cJSON_GetObjectItem(pod(1)->json, "metadata"), "uid"));
	cJSON *j = simobj_copy(pod(1));
	cJSON_DeleteItemFromObject(cJSON_GetObjectItem(j, "metadata"), "ownerReferences");
	ck_assert_int_eq(simstore_update(C->sim.store, C->pods, j, 0, NULL), SIMSTORE_OK);
	int one = 1;
	ck_assert(tc_run_until(owned_by_web, &one, 5000));
	ck_assert_str_eq(simjson_string(cJSON_GetObjectItem(pod(1)->json, "metadata"), "uid"), uid);
	j = simobj_copy(pod(1));
	simjson_set_string(tc_jpath(j, "metadata", "labels"), "app", "other");
	ck_assert_int_eq(simstore_update(C->sim.store, C->pods, j, 0, NULL), SIMSTORE_OK);
	ck_assert(tc_run_until(orphan, &one, 5000));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_sts");
	TCase *u = tcase_create("helpers");
	tcase_add_test(u, test_ordinal);
	tcase_add_test(u, test_go_json);
	tcase_add_test(u, test_hash);
	tcase_add_test(u, test_sort_revisions);
	tcase_add_test(u, test_printer_cells);
	suite_add_tcase(s, u);
	TCase *r = tcase_create("rollouts");
	tcase_add_checked_fixture(r, setup, teardown);
	tcase_set_timeout(r, 60);
	tcase_add_test(r, test_ordered_ready);
	tcase_add_test(r, test_parallel);
	tcase_add_test(r, test_partition_canary);
	tcase_add_test(r, test_rollback_reuses_revision);
	tcase_add_test(r, test_on_delete);
	tcase_add_test(r, test_max_unavailable);
	tcase_add_test(r, test_rolling_one_at_a_time);
	tcase_add_test(r, test_min_ready_seconds);
	tcase_add_test(r, test_history_limit_and_claims);
	tcase_add_test(r, test_failed_pod_replaced);
	tcase_add_test(r, test_claim_retention);
	tcase_add_test(r, test_claim_retain_default);
	tcase_add_test(r, test_adopt_and_release);
	suite_add_tcase(s, r);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
