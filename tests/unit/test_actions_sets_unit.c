#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/actions_kube.h"

#include "actions_int.h"
#include "testutil.h"

/*
 * The StatefulSet and DaemonSet plans from the objects they read, without
 * a cluster: kubectl's rollbacker (findHistory, the skipped case, the
 * revision's data sent whole), the partition's bounds, and the refusals
 * made before any request.
 */

#define TEMPLATE(img)                                                                              \
	"{\"metadata\":{\"labels\":{\"app\":\"db\"}},\"spec\":{\"containers\":[{\"name\":\"db\","  \
	"\"image\":\"" img "\"}]}}"
#define DATA(img)                                                                                  \
	"{\"spec\":{\"template\":{\"$patch\":\"replace\",\"metadata\":{\"labels\":{\"app\":"       \
	"\"db\"}},"                                                                                \
	"\"spec\":{\"containers\":[{\"name\":\"db\",\"image\":\"" img "\"}]}}}}"
#define OWNER(uid, ctl) "\"ownerReferences\":[{\"uid\":\"" uid "\",\"controller\":" ctl "}]"

static const char set_json[] =
    "{\"metadata\":{\"name\":\"db\",\"uid\":\"u1\"},\"spec\":{\"replicas\":4,"
    "\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":3}},"
    "\"template\":" TEMPLATE("nginx:1.27") "}}";

/* clang-format off */
#define CR(name, ann, uid, ctl, rev, img)                                                          \
	"{\"metadata\":{\"name\":\"" name "\"," ann OWNER(uid, ctl) "},\"revision\":" rev          \
	",\"data\":" DATA(img) "}"
#define CAUSE "\"annotations\":{\"kubernetes.io/change-cause\":\"first\"},"

/* Revisions 1 and 2 are db's; 9 is another set's, 5 only owned, 4 no number. */
static const char crs_json[] = "{\"items\":["
	CR("db-2", "", "u1", "true", "2", "nginx:1.27") ","
	CR("db-9", "", "u2", "true", "9", "nginx:1.20") ","
	CR("db-5", "", "u1", "false", "5", "nginx:1.21") ","
	CR("db-4", "", "u1", "true", "\"4\"", "nginx:1.22") ","
	CR("db-1", CAUSE, "u1", "true", "1", "nginx:1.26") "]}";
/* clang-format on */

static int plan(enum kact_kind kind, enum kact_target t, const char *set, const char *crs, long to,
		const char *input, struct kact_plan *out, struct perr *err)
{
	struct kact_args a = {.kind = kind,
			      .target = t,
			      .ns = "prod",
			      .object = "db",
			      .to_revision = to,
			      .input = input};
	cJSON *got[2] = {cJSON_Parse(set), crs ? cJSON_Parse(crs) : NULL};
	ck_assert_ptr_nonnull(got[0]);
	memset(out, 0, sizeof(*out));
	int rc = kact_check_set_args(&a, err);
	if (rc == 0)
		rc = kact_build_set(&a, got, out, err);
	cJSON_Delete(got[0]);
	cJSON_Delete(got[1]);
	return rc;
}

static void refused(enum kact_kind kind, enum kact_target t, const char *set, const char *crs,
		    long to, const char *input, const char *want)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_int_eq(plan(kind, t, set, crs, to, input, &p, &err), -1);
	ck_assert_str_eq(perr_msg(&err), want);
	perr_clear(&err);
	kact_plan_free(&p);
}

START_TEST(test_undo_previous)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_int_eq(plan(KACT_UNDO, KACT_TARGET_STS, set_json, crs_json, 0, NULL, &p, &err),
			 0);
	ck_assert_str_eq(p.method, "PATCH");
	ck_assert_str_eq(p.path, "/apis/apps/v1/namespaces/prod/statefulsets/db");
	ck_assert_str_eq(p.content_type, "application/strategic-merge-patch+json");
	ck_assert_str_eq(p.object, "sts/db");
	ck_assert_str_eq(p.done_msg, "statefulset.apps/db rolled back");
	ck_assert_str_eq(p.summary, "roll back sts/db to revision 1 (db-1, nginx:1.26)");
	/* The revision's data as kubectl sends it, after the change-cause. */
	ck_assert_str_eq(p.body, "{\"metadata\":{\"annotations\":{\"kubernetes.io/change-cause\":"
				 "\"roll back sts/db to revision 1 (db-1, nginx:1.26)\"}},"
				 "\"spec\":{\"template\":{\"$patch\":\"replace\",\"metadata\":{"
				 "\"labels\":{\"app\":\"db\"}},\"spec\":{\"containers\":[{\"name\":"
				 "\"db\",\"image\":\"nginx:1.26\"}]}}}}");
	ck_assert_int_eq(p.n_diff, 1);
	ck_assert_str_eq(p.diff[0], "spec.containers[db].image: nginx:1.27 -> nginx:1.26");
	kact_plan_free(&p);
}
END_TEST

START_TEST(test_undo_refusals)
{
	refused(KACT_UNDO, KACT_TARGET_STS, set_json, crs_json, 2, NULL,
		"statefulset.apps/db skipped rollback (current template already matches revision "
		"2)");
	/* Revisions another set owns, or no controller owns, are not db's. */
	refused(KACT_UNDO, KACT_TARGET_STS, set_json, crs_json, 9, NULL,
		"unable to find specified revision 9 in history");
	refused(KACT_UNDO, KACT_TARGET_STS, set_json, crs_json, 5, NULL,
		"unable to find specified revision 5 in history");
	refused(KACT_UNDO, KACT_TARGET_STS, set_json, crs_json, 4, NULL,
		"unable to find specified revision 4 in history");
	refused(KACT_UNDO, KACT_TARGET_DS, set_json, "{\"items\":[]}", 0, NULL,
		"no last revision to roll back to");
	refused(KACT_UNDO, KACT_TARGET_DS, set_json, "{\"items\":7}", 1, NULL,
		"unable to find specified revision 1 in history");
	/* The template back at revision 1: kubectl names the revision asked for. */
	char *at1 = strdup(set_json);
	memcpy(strstr(at1, "1.27"), "1.26", 4);
	refused(KACT_UNDO, KACT_TARGET_DS, at1, crs_json, 0, NULL,
		"daemonset.apps/db skipped rollback (current template already matches revision 0)");
	free(at1);
}
END_TEST

START_TEST(test_history)
{
	cJSON *set = cJSON_Parse(set_json), *crs = cJSON_Parse(crs_json);
	struct kact_revision *revs;
	size_t n;
	kact_build_set_history(set, crs, &revs, &n);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(revs[0].revision, 1);
	ck_assert_str_eq(revs[0].replicaset, "db-1");
	ck_assert_str_eq(revs[0].change_cause, "first");
	ck_assert(!revs[0].current);
	ck_assert_int_eq(revs[0].n_diff, 1);
	ck_assert_int_eq(revs[1].revision, 2);
	ck_assert_str_eq(revs[1].change_cause, "");
	ck_assert_str_eq(revs[1].images[0], "nginx:1.27");
	ck_assert(revs[1].current);
	ck_assert_int_eq(revs[1].n_diff, 0);
	kact_history_free(revs, n);
	cJSON_Delete(set);
	cJSON_Delete(crs);
}
END_TEST

START_TEST(test_partition)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_int_eq(plan(KACT_PARTITION, KACT_TARGET_STS, set_json, NULL, 0, "-1", &p, &err),
			 0);
	ck_assert_str_eq(p.path, "/apis/apps/v1/namespaces/prod/statefulsets/db"
				 "?fieldManager=podscope");
	ck_assert_str_eq(p.content_type, "application/strategic-merge-patch+json");
	ck_assert_str_eq(p.body,
			 "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":2}}}}");
	ck_assert_str_eq(p.done_msg, "statefulset.apps/db patched");
	kact_plan_free(&p);
	ck_assert_int_eq(plan(KACT_PARTITION, KACT_TARGET_STS, set_json, NULL, 0, "4", &p, &err),
			 0);
	kact_plan_free(&p);
	refused(KACT_PARTITION, KACT_TARGET_STS, set_json, NULL, 0, "5",
		"cannot set the partition of sts/db to \"5\": the partition cannot go beyond the "
		"replicas (4 replicas)");
	refused(KACT_PARTITION, KACT_TARGET_STS, set_json, NULL, 0, "-4",
		"cannot set the partition of sts/db to \"-4\": the partition cannot go below 0 (4 "
		"replicas)");
	refused(KACT_PARTITION, KACT_TARGET_STS, set_json, NULL, 0, "two",
		"cannot set the partition of sts/db to \"two\": not a number (a whole number from "
		"0, or +N / -N) (4 replicas)");
	refused(KACT_PARTITION, KACT_TARGET_STS,
		"{\"spec\":{\"updateStrategy\":{\"type\":\"OnDelete\"}}}", NULL, 0, "1",
		"partition: sts/db updates by OnDelete; a partition needs RollingUpdate");
	refused(KACT_PARTITION, KACT_TARGET_STS, "{\"spec\":{\"replicas\":1e300}}", NULL, 0, "1",
		"sts/db: its partition or replicas is not an int32");
	/* No replicas: the default 1. */
	refused(KACT_PARTITION, KACT_TARGET_STS, "{}", NULL, 0, "2",
		"cannot set the partition of sts/db to \"2\": the partition cannot go beyond the "
		"replicas (1 replicas)");
}
END_TEST

START_TEST(test_refused_before_requests)
{
	refused(KACT_PAUSE, KACT_TARGET_STS, "{}", NULL, 0, NULL,
		"statefulsets.apps \"db\" pausing is not supported");
	refused(KACT_RESUME, KACT_TARGET_DS, "{}", NULL, 0, NULL,
		"daemonsets.apps \"db\" resuming is not supported");
	refused(KACT_SCALE, KACT_TARGET_DS, "{}", NULL, 0, "3",
		"scale: ds/db runs one pod per node and has no replicas");
	refused(KACT_PARTITION, KACT_TARGET_DS, "{}", NULL, 0, "3",
		"partition: ds/db runs one pod per node and has no partition");
	refused(KACT_PARTITION, KACT_TARGET_DEPLOY, "{}", NULL, 0, "3",
		"partition: deploy/db has none (StatefulSets only)");
	refused(KACT_SET_IMAGE, KACT_TARGET_STS, "{}", NULL, 0, NULL,
		"set-image: not an action on sts/db");
	/* kact_plan_start refuses them before it asks the client for anything. */
	struct kact_args a = {
	    .kind = KACT_PAUSE, .target = KACT_TARGET_STS, .ns = "prod", .object = "db"};
	struct perr err = {0};
	ck_assert_ptr_null(kact_plan_start(NULL, &a, NULL, NULL, &err));
	ck_assert_str_eq(perr_msg(&err), "statefulsets.apps \"db\" pausing is not supported");
	perr_clear(&err);
}
END_TEST

START_TEST(test_partition_parse)
{
	int32_t out = -1;
	const char *why = NULL;
	ck_assert_int_eq(kact_partition_parse("0", 3, 4, &out, &why), 0);
	ck_assert_int_eq(out, 0);
	ck_assert_int_eq(kact_partition_parse("+1", 3, 4, &out, &why), 0);
	ck_assert_int_eq(out, 4);
	ck_assert_int_eq(kact_partition_parse("+2", 3, 4, &out, &why), -1);
	ck_assert_str_eq(why, "the partition cannot go beyond the replicas");
	ck_assert_int_eq(kact_partition_parse("", 3, 4, &out, &why), -1);
	ck_assert_str_eq(why, "type a partition");
	ck_assert_int_eq(kact_partition_parse("-1", 0, 4, &out, &why), -1);
	ck_assert_str_eq(why, "the partition cannot go below 0");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("actions-sets");
	TCase *tc = tcase_create("plans");
	tcase_add_test(tc, test_undo_previous);
	tcase_add_test(tc, test_undo_refusals);
	tcase_add_test(tc, test_history);
	tcase_add_test(tc, test_partition);
	tcase_add_test(tc, test_refused_before_requests);
	tcase_add_test(tc, test_partition_parse);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
