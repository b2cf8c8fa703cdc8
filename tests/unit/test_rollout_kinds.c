#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/rollout.h"
#include "testutil.h"

#define NOT_ROLLING "rollout status is only available for RollingUpdate strategy type"

/*
 * The cases go the way kubectl's go: an object as JSON (what
 * ToUnstructured makes of the test's struct), decoded, then the viewer.
 * The StatefulSet is upstream's newStatefulSet(3) with the case's
 * generation, strategy and status.
 */
static char *sts_json(int64_t generation, const char *replicas, const char *strategy,
		      const char *status)
{
	static char json[2048];
	snprintf(json, sizeof(json),
		 "{\"metadata\":{\"name\":\"foo\",\"namespace\":\"default\","
		 "\"labels\":{\"a\":\"b\"},\"generation\":%lld},"
		 "\"spec\":{\"podManagementPolicy\":\"OrderedReady\","
		 "\"selector\":{\"matchLabels\":{\"a\":\"b\"}},"
		 "\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},"
		 "\"spec\":{\"containers\":[{\"name\":\"test\",\"image\":\"test_image\","
		 "\"imagePullPolicy\":\"IfNotPresent\"}],\"restartPolicy\":\"Always\","
		 "\"dnsPolicy\":\"ClusterFirst\"}}%s%s%s%s},"
		 "\"status\":%s}",
		 (long long)generation, replicas ? ",\"replicas\":" : "", replicas ? replicas : "",
		 strategy ? ",\"updateStrategy\":" : "", strategy ? strategy : "", status);
	return json;
}

/* Upstream's DaemonSet: foo in bar, with the case's generation, strategy and status. */
static char *ds_json(int64_t generation, const char *strategy, const char *status)
{
	static char json[1024];
	snprintf(json, sizeof(json),
		 "{\"metadata\":{\"namespace\":\"bar\",\"name\":\"foo\","
		 "\"uid\":\"8764ae47-9092-11e4-8393-42010af018ff\",\"generation\":%lld},"
		 "\"spec\":{\"selector\":null,\"template\":{\"metadata\":{},"
		 "\"spec\":{\"containers\":null}}%s%s},\"status\":%s}",
		 (long long)generation, strategy ? ",\"updateStrategy\":" : "",
		 strategy ? strategy : "", status);
	return json;
}

#define ROLLING      "{\"type\":\"RollingUpdate\"}"
#define PARTITION(p) "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":" #p "}}"

struct kind_case {
	const char *name;
	int64_t generation;
	const char *replicas; /* StatefulSet only; NULL: nil */
	const char *strategy; /* NULL: none at all */
	const char *status;
	uint8_t state;
	const char *msg;
};

/*
 * kubernetes/kubectl pkg/polymorphichelpers/rollout_status_test.go,
 * TestStatefulSetStatusViewerStatus (the cases kept here; the others are
 * a hold-out set these tests never see), then cases of our own for the
 * branches and edges the table leaves out.
 */
static const struct kind_case sts_cases[] = {
    {"upstream: on delete returns an error", 1, "3", "{\"type\":\"OnDelete\"}",
     "{\"observedGeneration\":1,\"replicas\":0,\"readyReplicas\":1,\"currentReplicas\":0,"
     "\"updatedReplicas\":0}",
     ROLLOUT_ERROR, NOT_ROLLING},
    {"upstream: if all pods are not ready the update is not complete", 1, "3", ROLLING,
     "{\"observedGeneration\":2,\"replicas\":3,\"readyReplicas\":2,\"currentReplicas\":3}",
     ROLLOUT_WAITING, "Waiting for 1 pods to be ready...\n"},
    {"upstream: partition update completes when all replicas above the partition are updated", 1,
     "3", PARTITION(2),
     "{\"observedGeneration\":2,\"replicas\":3,\"readyReplicas\":3,\"currentReplicas\":2,"
     "\"updatedReplicas\":1}",
     ROLLOUT_DONE, "partitioned roll out complete: 1 new pods have been updated...\n"},
    {"upstream: update completes when all replicas are current", 1, "3", ROLLING,
     "{\"observedGeneration\":2,\"replicas\":3,\"readyReplicas\":3,\"currentReplicas\":3,"
     "\"updatedReplicas\":3,\"currentRevision\":\"foo\",\"updateRevision\":\"foo\"}",
     ROLLOUT_DONE, "statefulset rolling update complete 3 pods at revision foo...\n"},
    /* ours */
    {"no status yet: observedGeneration 0 waits even at generation 0", 0, "3", ROLLING,
     "{\"readyReplicas\":3}", ROLLOUT_WAITING,
     "Waiting for statefulset spec update to be observed...\n"},
    {"no strategy type is not RollingUpdate", 1, "3", NULL, "{\"observedGeneration\":1}",
     ROLLOUT_ERROR, NOT_ROLLING},
    {"an unknown strategy type", 1, "3", "{\"type\":\"rollingupdate\"}",
     "{\"observedGeneration\":1}", ROLLOUT_ERROR, NOT_ROLLING},
    {"the strategy comes before the generation", 9, "3", "{\"type\":\"OnDelete\"}", "{}",
     ROLLOUT_ERROR, NOT_ROLLING},
    {"a canary below the partition", 4, "5", PARTITION(1),
     "{\"observedGeneration\":4,\"readyReplicas\":5,\"currentReplicas\":3,"
     "\"updatedReplicas\":2,\"currentRevision\":\"foo-1\",\"updateRevision\":\"foo-2\"}",
     ROLLOUT_WAITING,
     "Waiting for partitioned roll out to finish: 2 out of 4 new pods have been updated...\n"},
    {"a partition above the replicas is complete at once", 2, "3", PARTITION(5),
     "{\"observedGeneration\":2,\"readyReplicas\":3,\"currentReplicas\":3,"
     "\"currentRevision\":\"foo-1\",\"updateRevision\":\"foo-2\"}",
     ROLLOUT_DONE, "partitioned roll out complete: 0 new pods have been updated...\n"},
    {"rollingUpdate without a partition says partitioned, revisions apart", 2, "3",
     "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":2}}",
     "{\"observedGeneration\":2,\"readyReplicas\":3,\"currentReplicas\":2,"
     "\"updatedReplicas\":1,\"currentRevision\":\"foo-1\",\"updateRevision\":\"foo-2\"}",
     ROLLOUT_DONE, "partitioned roll out complete: 1 new pods have been updated...\n"},
    {"partition with nil replicas is not compared", 2, NULL, PARTITION(1),
     "{\"observedGeneration\":2,\"updatedReplicas\":0}", ROLLOUT_DONE,
     "partitioned roll out complete: 0 new pods have been updated...\n"},
    {"revisions apart", 6, "3", ROLLING,
     "{\"observedGeneration\":7,\"readyReplicas\":3,\"currentReplicas\":2,"
     "\"updatedReplicas\":1,\"currentRevision\":\"foo-7c9\",\"updateRevision\":\"foo-5d4\"}",
     ROLLOUT_WAITING,
     "waiting for statefulset rolling update to complete 1 pods at revision foo-5d4...\n"},
    {"nil replicas skip the ready check", 1, NULL, ROLLING,
     "{\"observedGeneration\":1,\"currentRevision\":\"r\",\"updateRevision\":\"r\"}", ROLLOUT_DONE,
     "statefulset rolling update complete 0 pods at revision r...\n"},
    {"no revisions at all are equal", 1, "0", ROLLING, "{\"observedGeneration\":1}", ROLLOUT_DONE,
     "statefulset rolling update complete 0 pods at revision ...\n"},
    {"Go's int32 wraps: replicas - ready", 1, "2147483647", ROLLING,
     "{\"observedGeneration\":1,\"readyReplicas\":-1}", ROLLOUT_WAITING,
     "Waiting for -2147483648 pods to be ready...\n"},
    {"Go's int32 wraps: replicas - partition", 1, "-2147483648", PARTITION(1),
     "{\"observedGeneration\":1,\"readyReplicas\":-2147483648,\"updatedReplicas\":5}",
     ROLLOUT_WAITING,
     "Waiting for partitioned roll out to finish: 5 out of 2147483647 new pods have been "
     "updated...\n"},
};

/*
 * TestDaemonSetStatusViewerStatus and
 * TestDaemonSetStatusViewerStatusWithWrongUpdateStrategyType (the cases kept
 * here), then ours.
 */
static const struct kind_case ds_cases[] = {
    {"upstream: test1", 0, NULL, ROLLING,
     "{\"observedGeneration\":1,\"updatedNumberScheduled\":0,\"desiredNumberScheduled\":1,"
     "\"numberAvailable\":0}",
     ROLLOUT_WAITING,
     "Waiting for daemon set \"foo\" rollout to finish: 0 out of 1 new pods have been "
     "updated...\n"},
    {"upstream: test3", 1, NULL, ROLLING,
     "{\"observedGeneration\":1,\"updatedNumberScheduled\":2,\"desiredNumberScheduled\":2,"
     "\"numberAvailable\":2}",
     ROLLOUT_DONE, "daemon set \"foo\" successfully rolled out\n"},
    {"upstream: WithWrongUpdateStrategyType", 0, NULL, "{\"type\":\"OnDelete\"}", "{}",
     ROLLOUT_ERROR, NOT_ROLLING},
    /* ours */
    {"pods updated, not all available", 3, NULL, ROLLING,
     "{\"observedGeneration\":3,\"updatedNumberScheduled\":5,\"desiredNumberScheduled\":5,"
     "\"numberAvailable\":3,\"numberUnavailable\":2}",
     ROLLOUT_WAITING,
     "Waiting for daemon set \"foo\" rollout to finish: 3 of 5 updated pods are available...\n"},
    {"a newer generation not yet observed", 5, NULL, ROLLING,
     "{\"observedGeneration\":4,\"updatedNumberScheduled\":3,\"desiredNumberScheduled\":3,"
     "\"numberAvailable\":3}",
     ROLLOUT_WAITING, "Waiting for daemon set spec update to be observed...\n"},
    {"no status at all, no nodes: rolled out", 0, NULL, ROLLING, "{}", ROLLOUT_DONE,
     "daemon set \"foo\" successfully rolled out\n"},
    {"no strategy type", 1, NULL, NULL, "{\"observedGeneration\":1}", ROLLOUT_ERROR, NOT_ROLLING},
    {"more updated than desired (a node went away)", 2, NULL, ROLLING,
     "{\"observedGeneration\":2,\"updatedNumberScheduled\":4,\"desiredNumberScheduled\":3,"
     "\"numberAvailable\":3}",
     ROLLOUT_DONE, "daemon set \"foo\" successfully rolled out\n"},
};

static void check_case(const struct kind_case *c, bool sts)
{
	const char *json = sts ? sts_json(c->generation, c->replicas, c->strategy, c->status)
			       : ds_json(c->generation, c->strategy, c->status);
	cJSON *obj = cJSON_Parse(json);
	ck_assert_msg(obj != NULL, "%s: bad test JSON", c->name);
	struct model_arena arena = MODEL_ARENA_INIT;
	struct perr err = {0};
	struct rollout_result r;
	int st;
	if (sts) {
		struct statefulset s;
		ck_assert_msg(model_decode_statefulset(obj, &s, &arena, NULL, &err) == 0, "%s: %s",
			      c->name, perr_msg(&err));
		st = rollout_statefulset_status(&s, &r);
	} else {
		struct daemonset ds;
		ck_assert_msg(model_decode_daemonset(obj, &ds, &arena, NULL, &err) == 0, "%s: %s",
			      c->name, perr_msg(&err));
		st = rollout_daemonset_status(&ds, &r);
	}
	cJSON_Delete(obj);
	model_arena_free(&arena);
	ck_assert_msg(st == c->state && r.state == st, "%s: state %d want %d", c->name, st,
		      c->state);
	ck_assert_msg(strcmp(r.msg, c->msg) == 0, "%s: [%s]", c->name, r.msg);
}

START_TEST(test_statefulset_viewer)
{
	for (size_t i = 0; i < sizeof(sts_cases) / sizeof(sts_cases[0]); i++)
		check_case(&sts_cases[i], true);
}
END_TEST

START_TEST(test_daemonset_viewer)
{
	for (size_t i = 0; i < sizeof(ds_cases) / sizeof(ds_cases[0]); i++)
		check_case(&ds_cases[i], false);
}
END_TEST

/* %q of names no API server would accept, as Go prints them. */
START_TEST(test_daemonset_name_quoting)
{
	static const struct {
		const char *name;
		const char *quoted;
	} q[] = {
	    {"", "\"\""},
	    {"a\"b\\c", "\"a\\\"b\\\\c\""},
	    {"\a\b\t\n\v\f\r", "\"\\a\\b\\t\\n\\v\\f\\r\""},
	    {"\x1b[2J\x7f\x01", "\"\\x1b[2J\\x7f\\x01\""},
	    {"caf\xc3\xa9", "\"caf\xc3\xa9\""},
	    {"\xff\xc3", "\"\\xff\\xc3\""},
	    {"\xc2\x9b"
	     "31m",
	     "\"\\u009b31m\""},
	    {"x\xe2\x80\xaey", "\"x\\u202ey\""},
	    {"\xf3\xa0\x81\x81", "\"\\U000e0041\""},
	};
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		struct daemonset ds = {.w.name = q[i].name,
				       .update_strategy = UPDATE_ROLLING_UPDATE};
		struct rollout_result r;
		char want[128];
		snprintf(want, sizeof(want), "daemon set %s successfully rolled out\n",
			 q[i].quoted);
		ck_assert_int_eq(rollout_daemonset_status(&ds, &r), ROLLOUT_DONE);
		ck_assert_msg(strcmp(r.msg, want) == 0, "%zu: [%s] want [%s]", i, r.msg, want);
	}
	/* A NULL name is "" as everywhere in core. */
	struct daemonset ds = {.update_strategy = UPDATE_ROLLING_UPDATE, .w.generation = 1};
	struct rollout_result r;
	ck_assert_int_eq(rollout_daemonset_status(&ds, &r), ROLLOUT_WAITING);
	ds.w.observed_generation = 1;
	rollout_daemonset_status(&ds, &r);
	ck_assert_str_eq(r.msg, "daemon set \"\" successfully rolled out\n");
}
END_TEST

/* Names and revisions longer than the message are cut, and the line still ends. */
START_TEST(test_long_text_is_cut)
{
	char big[2000];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	struct rollout_result r;

	struct daemonset ds = {
	    .w.name = big, .update_strategy = UPDATE_ROLLING_UPDATE, .desired_number_scheduled = 2};
	ck_assert_int_eq(rollout_daemonset_status(&ds, &r), ROLLOUT_WAITING);
	ck_assert_int_eq(strlen(r.msg), sizeof(r.msg) - 1);
	ck_assert_int_eq(r.msg[sizeof(r.msg) - 2], '\n');
	ck_assert(strncmp(r.msg, "Waiting for daemon set \"aaa", 27) == 0);

	/* Quoting never outgrows the buffer, escape by escape. */
	memset(big, '\x1b', sizeof(big) - 1);
	rollout_daemonset_status(&ds, &r);
	ck_assert_int_eq(r.msg[strlen(r.msg) - 1], '\n');

	struct statefulset s = {.update_strategy = UPDATE_ROLLING_UPDATE,
				.w.generation = 1,
				.w.observed_generation = 1,
				.current_revision = big,
				.update_revision = big};
	ck_assert_int_eq(rollout_statefulset_status(&s, &r), ROLLOUT_DONE);
	ck_assert_int_eq(strlen(r.msg), sizeof(r.msg) - 1);
	ck_assert_int_eq(r.msg[sizeof(r.msg) - 2], '\n');
}
END_TEST

static cJSON *fixture(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/tests/fixtures/rollout-kinds/%s", test_srcdir(), name);
	char *text = test_slurp(path);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	cJSON *obj = cJSON_Parse(text);
	free(text);
	ck_assert_msg(obj != NULL, "%s is not JSON", path);
	return obj;
}

/* The status counts of a fixture, in the order the test lists them. */
static void check_counts(const char *kind, const int32_t *got, const int32_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(got[i] == want[i], "%s count %zu: %d want %d", kind, i, (int)got[i],
			      (int)want[i]);
}

/* An intern hook that counts: the decoders must send repeating strings through it. */
struct counting {
	struct model_arena arena;
	int calls;
};

static const char *count_intern(void *ctx, const char *s)
{
	struct counting *c = ctx;
	c->calls++;
	return model_arena_strdup(&c->arena, s);
}

START_TEST(test_decode_statefulset)
{
	cJSON *obj = fixture("statefulset.json");
	struct model_arena arena = MODEL_ARENA_INIT;
	struct counting cnt = {MODEL_ARENA_INIT, 0};
	const struct model_decode_opts opts = {count_intern, &cnt, true};
	struct statefulset s;
	struct perr err = {0};

	ck_assert_int_eq(model_decode_statefulset(obj, &s, &arena, &opts, &err), 0);
	cJSON_Delete(obj);
	ck_assert_str_eq(s.w.name, "db");
	ck_assert_str_eq(s.w.namespace, "prod");
	ck_assert_str_eq(s.w.uid, "5f0c6b7e-2d1a-4c55-9a43-0e6f7d2b8c11");
	ck_assert_int_eq(s.w.created, INT64_C(1451606400000));
	ck_assert_int_eq(s.w.generation, 3);
	ck_assert_int_eq(s.w.n_labels, 2);
	ck_assert_str_eq(model_label(s.w.labels, s.w.n_labels, "tier"), "data");
	ck_assert_int_eq(s.spec_replicas, 5);
	ck_assert_int_eq(s.has_spec_replicas, 1);
	ck_assert_str_eq(s.service_name, "db");
	ck_assert_str_eq(s.pod_management_policy, "OrderedReady");
	ck_assert_int_eq(s.min_ready_seconds, 10);
	ck_assert_int_eq(s.ordinals_start, 1);
	ck_assert_int_eq(s.update_strategy, UPDATE_ROLLING_UPDATE);
	ck_assert_int_eq(s.has_rolling_update, 1);
	ck_assert_int_eq(s.has_partition, 1);
	ck_assert_int_eq(s.partition, 3);
	ck_assert_int_eq(s.max_unavailable.type, INTSTR_STRING);
	ck_assert_str_eq(s.max_unavailable.sval, "40%");
	ck_assert_int_eq(s.w.n_match_labels, 1);
	ck_assert_str_eq(s.w.match_labels[0].key, "app");
	ck_assert_str_eq(s.w.match_labels[0].value, "db");
	ck_assert_int_eq(s.w.n_match_exprs, 1);
	ck_assert_str_eq(s.w.match_exprs[0].key, "tier");
	ck_assert_str_eq(s.w.match_exprs[0].op, "In");
	ck_assert_int_eq(s.w.match_exprs[0].n_values, 2);
	ck_assert_str_eq(s.w.match_exprs[0].values[1], "cache");
	ck_assert_int_eq(s.w.n_images, 2);
	ck_assert_str_eq(s.w.images[0], "postgres:16.2");
	ck_assert_str_eq(s.w.images[1], "exporter:0.15");
	ck_assert_int_eq(s.w.n_init_images, 1);
	ck_assert_str_eq(s.w.init_images[0], "busybox:1.36");
	ck_assert_int_eq(s.w.observed_generation, 3);
	const int32_t counts[] = {s.replicas,           s.ready_replicas,     s.current_replicas,
				  s.updated_replicas,   s.available_replicas, s.collision_count,
				  s.has_collision_count};
	check_counts("StatefulSet", counts, (const int32_t[]){5, 5, 4, 1, 5, 0, 1}, 7);
	ck_assert_str_eq(s.current_revision, "db-6d5f8c7b9");
	ck_assert_str_eq(s.update_revision, "db-84b7c6d5f");
	/* namespace, 2 label pairs, 1 selector pair, key/op/2 values, 3 images,
	 * the policy, the service name and "40%": the object's own strings
	 * (name, uid, revisions) stay out. */
	ck_assert_int_eq(cnt.calls, 1 + 4 + 2 + 4 + 3 + 3);

	struct rollout_result r;
	ck_assert_int_eq(rollout_statefulset_status(&s, &r), ROLLOUT_WAITING);
	ck_assert_str_eq(r.msg, "Waiting for partitioned roll out to finish: 1 out of 2 new pods "
				"have been updated...\n");
	model_arena_free(&arena);
	model_arena_free(&cnt.arena);

	/* Mistyped fields keep their defaults; an empty object is all zero. */
	obj = cJSON_Parse("{\"spec\":{\"replicas\":\"3\",\"updateStrategy\":{\"type\":7,"
			  "\"rollingUpdate\":{\"partition\":null}},\"selector\":"
			  "{\"matchExpressions\":\"x\"}},\"status\":{\"collisionCount\":true}}");
	ck_assert_int_eq(model_decode_statefulset(obj, &s, &arena, NULL, &err), 0);
	cJSON_Delete(obj);
	ck_assert_int_eq(s.has_spec_replicas, 0);
	ck_assert_int_eq(s.update_strategy, UPDATE_STRATEGY_NONE);
	ck_assert_int_eq(s.has_rolling_update, 1);
	ck_assert_int_eq(s.has_partition, 0);
	ck_assert_int_eq(s.w.n_match_exprs, 0);
	ck_assert_int_eq(s.has_collision_count, 0);
	ck_assert_str_eq(s.w.name, "");
	ck_assert_str_eq(s.current_revision, "");
	model_arena_free(&arena);

	ck_assert_int_eq(model_decode_statefulset(NULL, &s, &arena, NULL, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "cannot decode StatefulSet: not a JSON object");
	perr_clear(&err);
	obj = cJSON_Parse("[1]");
	ck_assert_int_eq(model_decode_statefulset(obj, &s, &arena, NULL, &err), -1);
	perr_clear(&err);
	cJSON_Delete(obj);
}
END_TEST

START_TEST(test_decode_daemonset)
{
	cJSON *obj = fixture("daemonset.json");
	struct model_arena arena = MODEL_ARENA_INIT;
	struct daemonset ds;
	struct perr err = {0};

	ck_assert_int_eq(model_decode_daemonset(obj, &ds, &arena, NULL, &err), 0);
	cJSON_Delete(obj);
	ck_assert_str_eq(ds.w.name, "kube-proxy");
	ck_assert_str_eq(ds.w.namespace, "kube-system");
	ck_assert_str_eq(ds.w.uid, "0b9d7a4e-1c2f-4e8b-a6d3-5f7e9c1b2a30");
	ck_assert_int_eq(ds.w.created, INT64_C(1451606410000));
	ck_assert_int_eq(ds.w.generation, 7);
	ck_assert_str_eq(model_label(ds.w.labels, ds.w.n_labels, "k8s-app"), "kube-proxy");
	ck_assert_int_eq(ds.w.n_match_labels, 1);
	ck_assert_int_eq(ds.w.n_match_exprs, 0);
	ck_assert_int_eq(ds.w.n_images, 1);
	ck_assert_str_eq(ds.w.images[0], "registry.k8s.io/kube-proxy:v1.33.0");
	ck_assert_int_eq(ds.w.n_init_images, 0);
	ck_assert_int_eq(ds.update_strategy, UPDATE_ROLLING_UPDATE);
	ck_assert_int_eq(ds.max_unavailable.type, INTSTR_INT);
	ck_assert_int_eq(ds.max_unavailable.ival, 1);
	ck_assert_int_eq(ds.max_surge.type, INTSTR_STRING);
	ck_assert_str_eq(ds.max_surge.sval, "10%");
	ck_assert_int_eq(ds.min_ready_seconds, 5);
	ck_assert_int_eq(ds.w.observed_generation, 7);
	const int32_t counts[] = {ds.current_number_scheduled, ds.number_misscheduled,
				  ds.desired_number_scheduled, ds.number_ready,
				  ds.updated_number_scheduled, ds.number_available,
				  ds.number_unavailable,       ds.collision_count,
				  ds.has_collision_count};
	check_counts("DaemonSet", counts, (const int32_t[]){6, 1, 6, 5, 4, 5, 1, 2, 1}, 9);

	struct rollout_result r;
	ck_assert_int_eq(rollout_daemonset_status(&ds, &r), ROLLOUT_WAITING);
	ck_assert_str_eq(r.msg, "Waiting for daemon set \"kube-proxy\" rollout to finish: 4 out of "
				"6 new pods have been updated...\n");
	model_arena_free(&arena);

	obj = cJSON_Parse("{\"spec\":{\"updateStrategy\":{\"type\":\"OnDelete\"}}}");
	ck_assert_int_eq(model_decode_daemonset(obj, &ds, &arena, NULL, &err), 0);
	cJSON_Delete(obj);
	ck_assert_int_eq(ds.update_strategy, UPDATE_ON_DELETE);
	ck_assert_int_eq(ds.max_surge.type, INTSTR_NONE);
	ck_assert_int_eq(rollout_daemonset_status(&ds, &r), ROLLOUT_ERROR);
	ck_assert_str_eq(r.msg, NOT_ROLLING);
	model_arena_free(&arena);

	ck_assert_int_eq(model_decode_daemonset(NULL, &ds, &arena, NULL, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "cannot decode DaemonSet: not a JSON object");
	perr_clear(&err);
}
END_TEST

/* A number its Go type cannot hold refuses the whole object, in Go's words. */
START_TEST(test_decode_hostile_numbers)
{
	static const struct {
		const char *json;
		bool sts;
		const char *err;
	} objs[] = {
	    {"{\"spec\":{\"replicas\":2147483648}}", true,
	     "json: cannot unmarshal number 2147483648 into Go struct field "
	     "StatefulSetSpec.replicas "
	     "of type int32"},
	    {"{\"metadata\":{\"generation\":1e19}}", true,
	     "json: cannot unmarshal number 1e19 into Go struct field ObjectMeta.generation of "
	     "type "
	     "int64"},
	    {"{\"metadata\":{\"generation\":9007199254740994}}", true,
	     "beyond 2^53, where podscope can no longer read it exactly"},
	    {"{\"spec\":{\"minReadySeconds\":1.5}}", true, "StatefulSetSpec.minReadySeconds"},
	    {"{\"spec\":{\"ordinals\":{\"start\":-2147483649}}}", true,
	     "StatefulSetOrdinals.start of type int32"},
	    {"{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":-2147483649}}}}",
	     true,
	     "json: cannot unmarshal number -2147483649 into Go struct field "
	     "RollingUpdateStatefulSetStrategy.partition of type int32"},
	    {"{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"maxUnavailable\":1e300}}}}", true,
	     "RollingUpdateStatefulSetStrategy.maxUnavailable of type int32"},
	    {"{\"status\":{\"observedGeneration\":-1e300}}", true,
	     "StatefulSetStatus.observedGeneration of type int64"},
	    {"{\"status\":{\"replicas\":1e400}}", true,
	     "json: cannot unmarshal number beyond float64 into Go struct field "
	     "StatefulSetStatus.replicas of type int32"},
	    {"{\"status\":{\"readyReplicas\":0.5}}", true, "StatefulSetStatus.readyReplicas"},
	    {"{\"status\":{\"currentReplicas\":-3e9}}", true, "StatefulSetStatus.currentReplicas"},
	    {"{\"status\":{\"updatedReplicas\":2147483648}}", true,
	     "StatefulSetStatus.updatedReplicas"},
	    {"{\"status\":{\"availableReplicas\":1e10}}", true,
	     "StatefulSetStatus.availableReplicas"},
	    {"{\"status\":{\"collisionCount\":4294967296}}", true,
	     "StatefulSetStatus.collisionCount of type int32"},
	    {"{\"metadata\":{\"generation\":0.25}}", false,
	     "json: cannot unmarshal number 0.25 into Go struct field ObjectMeta.generation of "
	     "type "
	     "int64"},
	    {"{\"spec\":{\"minReadySeconds\":2147483648}}", false,
	     "json: cannot unmarshal number 2147483648 into Go struct field "
	     "DaemonSetSpec.minReadySeconds of type int32"},
	    {"{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"maxSurge\":4294967297}}}}", false,
	     "RollingUpdateDaemonSet.maxSurge of type int32"},
	    {"{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"maxUnavailable\":-1.5}}}}", false,
	     "RollingUpdateDaemonSet.maxUnavailable of type int32"},
	    {"{\"status\":{\"observedGeneration\":1e300}}", false,
	     "DaemonSetStatus.observedGeneration of type int64"},
	    {"{\"status\":{\"currentNumberScheduled\":3e9}}", false,
	     "DaemonSetStatus.currentNumberScheduled of type int32"},
	    {"{\"status\":{\"numberMisscheduled\":-2147483649}}", false,
	     "DaemonSetStatus.numberMisscheduled"},
	    {"{\"status\":{\"desiredNumberScheduled\":1e400}}", false,
	     "DaemonSetStatus.desiredNumberScheduled"},
	    {"{\"status\":{\"numberReady\":2.5}}", false, "DaemonSetStatus.numberReady"},
	    {"{\"status\":{\"updatedNumberScheduled\":2147483648}}", false,
	     "DaemonSetStatus.updatedNumberScheduled"},
	    {"{\"status\":{\"numberAvailable\":1e10}}", false, "DaemonSetStatus.numberAvailable"},
	    {"{\"status\":{\"numberUnavailable\":-1e10}}", false,
	     "DaemonSetStatus.numberUnavailable"},
	    {"{\"status\":{\"collisionCount\":1e300}}", false, "DaemonSetStatus.collisionCount"},
	};
	struct model_arena arena = MODEL_ARENA_INIT;
	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		cJSON *j = cJSON_Parse(objs[i].json);
		ck_assert_msg(j != NULL, "bad test JSON %s", objs[i].json);
		struct perr err = {0};
		struct statefulset s;
		struct daemonset ds;
		int rc = objs[i].sts ? model_decode_statefulset(j, &s, &arena, NULL, &err)
				     : model_decode_daemonset(j, &ds, &arena, NULL, &err);
		ck_assert_msg(rc == -1, "%s was taken", objs[i].json);
		ck_assert_msg(strstr(perr_msg(&err), objs[i].err) != NULL, "%s: %s", objs[i].json,
			      perr_msg(&err));
		perr_clear(&err);
		cJSON_Delete(j);
		model_arena_free(&arena);
	}
	/* The limits themselves are taken. */
	cJSON *j = cJSON_Parse("{\"spec\":{\"replicas\":2147483647,\"updateStrategy\":"
			       "{\"rollingUpdate\":{\"partition\":-2147483648}}},"
			       "\"status\":{\"observedGeneration\":9007199254740992}}");
	struct statefulset s;
	ck_assert_int_eq(model_decode_statefulset(j, &s, &arena, NULL, NULL), 0);
	ck_assert_int_eq(s.spec_replicas, INT32_MAX);
	ck_assert_int_eq(s.partition, INT32_MIN);
	ck_assert_int_eq(s.w.observed_generation, INT64_C(9007199254740992));
	cJSON_Delete(j);
	model_arena_free(&arena);
}
END_TEST

static Suite *rollout_kinds_suite(void)
{
	Suite *s = suite_create("rollout_kinds");
	TCase *tc = tcase_create("rollout_kinds");
	tcase_add_test(tc, test_statefulset_viewer);
	tcase_add_test(tc, test_daemonset_viewer);
	tcase_add_test(tc, test_daemonset_name_quoting);
	tcase_add_test(tc, test_long_text_is_cut);
	tcase_add_test(tc, test_decode_statefulset);
	tcase_add_test(tc, test_decode_daemonset);
	tcase_add_test(tc, test_decode_hostile_numbers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(rollout_kinds_suite());
}
