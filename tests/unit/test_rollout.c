#include "config.h"

#include <stdint.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/rollout.h"
#include "testutil.h"

#define NOW INT64_C(1451606480000) /* 2016-01-01T00:01:20Z */

#define PROGRESSING(why)                                                                         \
	.conditions = (struct deploy_condition[]){{.type = "Progressing", .reason = (why)}},   \
	.n_conditions = 1

/* DeploymentStatusViewer.Status; the upstream rows use a deployment named "foo". */
static const struct {
	const char *upstream;
	struct deployment d;
	int64_t revision;
	uint8_t state;
	const char *msg;
} status_cases[] = {
	{"TestDeploymentStatusViewerStatus test1",
	 {.name = "foo", .generation = 0, .spec_replicas = 1, .has_spec_replicas = 1,
	  .observed_generation = 1, .replicas = 1, .updated_replicas = 0, .available_replicas = 1},
	 0, ROLLOUT_WAITING,
	 "Waiting for deployment \"foo\" rollout to finish: 0 out of 1 new replicas have been "
	 "updated...\n"},
	{"TestDeploymentStatusViewerStatus test2",
	 {.name = "foo", .generation = 1, .spec_replicas = 1, .has_spec_replicas = 1,
	  .observed_generation = 1, .replicas = 2, .updated_replicas = 1, .available_replicas = 2},
	 0, ROLLOUT_WAITING,
	 "Waiting for deployment \"foo\" rollout to finish: 1 old replicas are pending "
	 "termination...\n"},
	{"TestDeploymentStatusViewerStatus test3",
	 {.name = "foo", .generation = 1, .spec_replicas = 2, .has_spec_replicas = 1,
	  .observed_generation = 1, .replicas = 2, .updated_replicas = 2, .available_replicas = 1,
	  .unavailable_replicas = 1},
	 0, ROLLOUT_WAITING,
	 "Waiting for deployment \"foo\" rollout to finish: 1 of 2 updated replicas are "
	 "available...\n"},
	{"TestDeploymentStatusViewerStatus test4",
	 {.name = "foo", .generation = 1, .spec_replicas = 2, .has_spec_replicas = 1,
	  .observed_generation = 1, .replicas = 2, .updated_replicas = 2, .available_replicas = 2},
	 0, ROLLOUT_DONE, "deployment \"foo\" successfully rolled out\n"},
	{"TestDeploymentStatusViewerStatus test5",
	 {.name = "foo", .generation = 2, .spec_replicas = 2, .has_spec_replicas = 1,
	  .observed_generation = 1, .replicas = 2, .updated_replicas = 2, .available_replicas = 2},
	 0, ROLLOUT_WAITING, "Waiting for deployment spec update to be observed...\n"},
	/* the other branches of rollout_status.go */
	{"derived: progress deadline exceeded",
	 {.name = "web", .generation = 3, .observed_generation = 3, .spec_replicas = 3,
	  .has_spec_replicas = 1, .replicas = 4, .updated_replicas = 1, .available_replicas = 3,
	  PROGRESSING("ProgressDeadlineExceeded")},
	 0, ROLLOUT_ERROR, "deployment \"web\" exceeded its progress deadline"},
	{"derived: deadline is only looked at once the spec is observed",
	 {.name = "web", .generation = 4, .observed_generation = 3,
	  PROGRESSING("ProgressDeadlineExceeded")},
	 0, ROLLOUT_WAITING, "Waiting for deployment spec update to be observed...\n"},
	{"derived: --revision differs",
	 {.name = "web", .revision = "3", .generation = 1, .observed_generation = 1},
	 2, ROLLOUT_ERROR, "desired revision (2) is different from the running revision (3)"},
	{"derived: --revision matches",
	 {.name = "web", .revision = "2", .generation = 1, .observed_generation = 1,
	  .spec_replicas = 1, .has_spec_replicas = 1, .replicas = 1, .updated_replicas = 1,
	  .available_replicas = 1},
	 2, ROLLOUT_DONE, "deployment \"web\" successfully rolled out\n"},
	{"derived: --revision without an annotation is revision 0",
	 {.name = "web", .generation = 1, .observed_generation = 1},
	 1, ROLLOUT_ERROR, "desired revision (1) is different from the running revision (0)"},
	{"derived: unparsable revision",
	 {.name = "web", .revision = "x1"},
	 1, ROLLOUT_ERROR,
	 "cannot get the revision of deployment \"web\": strconv.ParseInt: parsing \"x1\": invalid "
	 "syntax"},
	{"derived: nil spec.replicas skips the updated check",
	 {.name = "web", .generation = 1, .observed_generation = 1, .replicas = 0,
	  .updated_replicas = 0, .available_replicas = 0},
	 0, ROLLOUT_DONE, "deployment \"web\" successfully rolled out\n"},
	{"derived: a reason other than the deadline is no error",
	 {.name = "web", .generation = 1, .observed_generation = 1, .spec_replicas = 1,
	  .has_spec_replicas = 1, .replicas = 1, .updated_replicas = 1, .available_replicas = 1,
	  PROGRESSING("NewReplicaSetAvailable")},
	 0, ROLLOUT_DONE, "deployment \"web\" successfully rolled out\n"},
};

START_TEST(test_status_viewer)
{
	for (size_t i = 0; i < sizeof(status_cases) / sizeof(status_cases[0]); i++) {
		struct rollout_result r;
		int st = rollout_status(&status_cases[i].d, status_cases[i].revision, &r);
		ck_assert_msg(st == status_cases[i].state && r.state == st, "%s: state %d want %d",
			      status_cases[i].upstream, st, status_cases[i].state);
		ck_assert_msg(strcmp(r.msg, status_cases[i].msg) == 0, "%s: [%s]",
			      status_cases[i].upstream, r.msg);
	}
}
END_TEST

/*
 * TestDeploymentComplete: deployment(desired, current, updated, available,
 * maxUnavailable, maxSurge); the last two play no part.
 */
static const struct {
	const char *name;
	int32_t desired, current, updated, available;
	bool want;
} complete_cases[] = {
	{"not complete: min but not all pods become available", 5, 5, 5, 4, false},
	{"not complete: min availability is not honored", 5, 5, 5, 3, false},
	{"complete", 5, 5, 5, 5, true},
	{"not complete: all pods are available but not updated", 5, 5, 4, 5, false},
	{"not complete: still running old pods", 1, 2, 1, 1, false},
	{"not complete: one replica deployment never comes up", 1, 1, 1, 0, false},
};

/* TestDeploymentProgressing: old (current, updated, ready, available) -> new. */
static const struct {
	const char *name;
	int32_t old[4], new[4];
	bool want;
} progressing_cases[] = {
	{"progressing: updated pods", {10, 4, 4, 4}, {10, 6, 4, 4}, true},
	{"not progressing", {10, 4, 4, 4}, {10, 4, 4, 4}, false},
	{"progressing: old pods removed", {10, 4, 6, 6}, {8, 4, 6, 6}, true},
	{"not progressing: less new pods", {10, 7, 3, 3}, {10, 6, 3, 3}, false},
	{"progressing: less overall but more new pods", {10, 4, 7, 7}, {8, 8, 5, 5}, true},
	{"progressing: more ready pods", {10, 10, 9, 8}, {10, 10, 10, 8}, true},
	{"progressing: more available pods", {10, 10, 10, 9}, {10, 10, 10, 10}, true},
};

/* TestDeploymentTimedOut: a Progressing=True condition updated at 00:MM:SS, now 00:01:20. */
#define AT(m, s) (INT64_C(1451606400000) + ((m) * 60 + (s)) * INT64_C(1000))
static const struct {
	const char *name;
	int32_t pds; /* -1: nil */
	const char *reason;
	int64_t from;
	bool want;
} timeout_cases[] = {
	{"nil progressDeadlineSeconds specified - no timeout", -1, "", AT(1, 9), false},
	{"infinite progressDeadlineSeconds specified - no timeout", INT32_MAX, "", AT(1, 9), false},
	{"progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:09 => 11s", 10, "",
	 AT(1, 9), true},
	{"progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:11 => 9s", 10, "",
	 AT(1, 11), false},
	{"previous status was a complete deployment", -1, "NewReplicaSetAvailable", 0, false},
	/* not upstream: the branches the table leaves out */
	{"already timed out", 600, "ProgressDeadlineExceeded", AT(1, 19), true},
	{"complete never times out", 10, "NewReplicaSetAvailable", AT(0, 0), false},
	{"exactly at the deadline is not yet late", 10, "ReplicaSetUpdated", AT(1, 10), false},
};

START_TEST(test_controller_predicates)
{
	for (size_t i = 0; i < sizeof(complete_cases) / sizeof(complete_cases[0]); i++) {
		struct deployment d = {.spec_replicas = complete_cases[i].desired,
				       .has_spec_replicas = 1,
				       .replicas = complete_cases[i].current,
				       .updated_replicas = complete_cases[i].updated,
				       .available_replicas = complete_cases[i].available};
		ck_assert_msg(rollout_deployment_complete(&d, &d) == complete_cases[i].want, "%s",
			      complete_cases[i].name);
	}
	for (size_t i = 0; i < sizeof(progressing_cases) / sizeof(progressing_cases[0]); i++) {
		const int32_t *o = progressing_cases[i].old, *n = progressing_cases[i].new;
		struct deployment d = {.replicas = o[0], .updated_replicas = o[1],
				       .ready_replicas = o[2], .available_replicas = o[3]};
		struct deployment st = {.replicas = n[0], .updated_replicas = n[1],
					.ready_replicas = n[2], .available_replicas = n[3]};
		ck_assert_msg(rollout_deployment_progressing(&d, &st) == progressing_cases[i].want,
			      "%s", progressing_cases[i].name);
	}
	for (size_t i = 0; i < sizeof(timeout_cases) / sizeof(timeout_cases[0]); i++) {
		struct deploy_condition c = {.type = "Progressing",
					     .status = MODEL_COND_TRUE,
					     .reason = timeout_cases[i].reason,
					     .last_update = timeout_cases[i].from};
		struct deployment d = {.progress_deadline_seconds = timeout_cases[i].pds,
				       .conditions = &c,
				       .n_conditions = 1};
		ck_assert_msg(rollout_deployment_timed_out(&d, &d, NOW) == timeout_cases[i].want,
			      "%s", timeout_cases[i].name);
	}
	/* No Progressing condition at all: no timeout. */
	struct deployment bare = {.progress_deadline_seconds = 10};
	ck_assert(!rollout_deployment_timed_out(&bare, &bare, NOW));
}
END_TEST

START_TEST(test_get_columns)
{
	/* TestPrintDeployment: 5 desired, 10 current, 2 updated, 1 available, created 1.9s ahead */
	struct deployment d = {.name = "test1", .spec_replicas = 5, .has_spec_replicas = 1,
			       .replicas = 10, .updated_replicas = 2, .available_replicas = 1,
			       .unavailable_replicas = 4, .created = NOW + 1900};
	struct rollout_deploy_row row;
	rollout_deploy_row(&d, NOW, &row);
	ck_assert_str_eq(row.ready, "0/5");
	ck_assert_int_eq(row.up_to_date, 2);
	ck_assert_int_eq(row.available, 1);
	ck_assert_str_eq(row.age, "0s");

	d.ready_replicas = 3;
	d.created = NOW - 90 * 60 * INT64_C(1000);
	rollout_deploy_row(&d, NOW, &row);
	ck_assert_str_eq(row.ready, "3/5");
	ck_assert_str_eq(row.age, "90m");

	struct replicaset rs = {.name = "web-5d4f", .spec_replicas = 3, .has_spec_replicas = 1,
				.replicas = 4, .ready_replicas = 2, .created = NOW - 30000};
	struct rollout_rs_row rrow;
	rollout_rs_row(&rs, NOW, &rrow);
	ck_assert_int_eq(rrow.desired, 3);
	ck_assert_int_eq(rrow.current, 4);
	ck_assert_int_eq(rrow.ready, 2);
	ck_assert_str_eq(rrow.age, "30s");
}
END_TEST

START_TEST(test_budget)
{
	/* The reference's worked example, step 2: new RS at 3, old RS 10 -> 8. */
	struct deployment d = {.spec_replicas = 10, .has_spec_replicas = 1,
			       .strategy = {DEPLOY_ROLLING_UPDATE, INTSTR_FROM_STR("25%"),
					    INTSTR_FROM_STR("25%")},
			       .replicas = 11, .available_replicas = 8};
	struct rollout_budget b;
	rollout_budget(&d, &b);
	ck_assert_int_eq(b.max_surge, 3);
	ck_assert_int_eq(b.max_unavailable, 2);
	ck_assert_int_eq(b.surge_used, 1);
	ck_assert_int_eq(b.unavailable_used, 2);

	d.strategy.type = DEPLOY_RECREATE;
	d.replicas = 0;
	d.available_replicas = 0;
	rollout_budget(&d, &b);
	ck_assert_int_eq(b.max_surge, 0);
	ck_assert_int_eq(b.max_unavailable, 0);
	ck_assert_int_eq(b.surge_used, 0);
	ck_assert_int_eq(b.unavailable_used, 10);
}
END_TEST

START_TEST(test_decode_deployment)
{
	const char *json =
		"{\"metadata\":{\"name\":\"web\",\"namespace\":\"prod\",\"generation\":4,"
		"\"creationTimestamp\":\"2016-01-01T00:00:00Z\","
		"\"annotations\":{\"deployment.kubernetes.io/revision\":\"7\"}},"
		"\"spec\":{\"replicas\":10,\"progressDeadlineSeconds\":600,\"paused\":true,"
		"\"strategy\":{\"type\":\"RollingUpdate\","
		"\"rollingUpdate\":{\"maxSurge\":\"25%\",\"maxUnavailable\":2}}},"
		"\"status\":{\"observedGeneration\":4,\"replicas\":13,\"updatedReplicas\":3,"
		"\"readyReplicas\":10,\"availableReplicas\":10,\"unavailableReplicas\":3,"
		"\"conditions\":[{\"type\":\"Available\",\"status\":\"True\"},"
		"{\"type\":\"Progressing\",\"status\":\"True\",\"reason\":\"ReplicaSetUpdated\","
		"\"lastUpdateTime\":\"2016-01-01T00:01:00Z\"}]}}";
	cJSON *obj = cJSON_Parse(json);
	struct model_arena arena = MODEL_ARENA_INIT;
	struct deployment d;
	ck_assert_int_eq(model_decode_deployment(obj, &d, &arena, NULL, NULL), 0);
	cJSON_Delete(obj);

	ck_assert_str_eq(d.name, "web");
	ck_assert_str_eq(d.namespace, "prod");
	ck_assert_str_eq(d.revision, "7");
	ck_assert_int_eq(d.generation, 4);
	ck_assert_int_eq(d.spec_replicas, 10);
	ck_assert_int_eq(d.has_spec_replicas, 1);
	ck_assert_int_eq(d.paused, 1);
	ck_assert_int_eq(d.progress_deadline_seconds, 600);
	ck_assert_int_eq(d.strategy.type, DEPLOY_ROLLING_UPDATE);
	ck_assert_int_eq(d.strategy.max_surge.type, INTSTR_STRING);
	ck_assert_str_eq(d.strategy.max_surge.sval, "25%");
	ck_assert_int_eq(d.strategy.max_unavailable.type, INTSTR_INT);
	ck_assert_int_eq(d.strategy.max_unavailable.ival, 2);
	ck_assert_int_eq(intstr_max_surge(&d.strategy, d.spec_replicas), 3);
	ck_assert_int_eq(d.n_conditions, 2);
	const struct deploy_condition *c = model_deploy_condition(&d, "Progressing");
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->status, MODEL_COND_TRUE);
	ck_assert_int_eq(c->last_update, INT64_C(1451606460000));

	struct rollout_result r;
	ck_assert_int_eq(rollout_status(&d, 0, &r), ROLLOUT_WAITING);
	ck_assert_str_eq(r.msg, "Waiting for deployment \"web\" rollout to finish: 3 out of 10 new "
				"replicas have been updated...\n");
	model_arena_free(&arena);

	/* Recreate, no replicas, no deadline. */
	obj = cJSON_Parse("{\"spec\":{\"strategy\":{\"type\":\"Recreate\"}}}");
	ck_assert_int_eq(model_decode_deployment(obj, &d, &arena, NULL, NULL), 0);
	ck_assert_int_eq(d.strategy.type, DEPLOY_RECREATE);
	ck_assert_int_eq(d.has_spec_replicas, 0);
	ck_assert_int_eq(d.progress_deadline_seconds, -1);
	cJSON_Delete(obj);

	obj = cJSON_Parse(
		"{\"metadata\":{\"name\":\"web-abc\",\"labels\":{\"pod-template-hash\":\"abc\"},"
		"\"annotations\":{\"deployment.kubernetes.io/revision\":\"2\"},"
		"\"ownerReferences\":[{\"uid\":\"u0\"},{\"uid\":\"u1\",\"controller\":true}]},"
		"\"spec\":{\"replicas\":3},\"status\":{\"replicas\":3,\"readyReplicas\":2,"
		"\"availableReplicas\":1}}");
	struct replicaset rs;
	ck_assert_int_eq(model_decode_replicaset(obj, &rs, &arena, NULL, NULL), 0);
	cJSON_Delete(obj);
	ck_assert_str_eq(rs.name, "web-abc");
	ck_assert_str_eq(rs.owner_uid, "u1");
	ck_assert_str_eq(rs.pod_template_hash, "abc");
	ck_assert_str_eq(rs.revision, "2");
	ck_assert_int_eq(rs.spec_replicas, 3);
	ck_assert_int_eq(rs.available_replicas, 1);
	ck_assert_int_eq(model_decode_replicaset(NULL, &rs, &arena, NULL, NULL), -1);
	model_arena_free(&arena);
}
END_TEST

static Suite *rollout_suite(void)
{
	Suite *s = suite_create("rollout");
	TCase *tc = tcase_create("rollout");
	tcase_add_test(tc, test_status_viewer);
	tcase_add_test(tc, test_controller_predicates);
	tcase_add_test(tc, test_get_columns);
	tcase_add_test(tc, test_budget);
	tcase_add_test(tc, test_decode_deployment);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(rollout_suite());
}
