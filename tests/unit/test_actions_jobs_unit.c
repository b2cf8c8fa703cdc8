#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/actions_kube.h"

#include "actions_int.h"
#include "testutil.h"

/*
 * The Job and CronJob plans from the object they read, without a cluster:
 * suspend and resume as kubectl patch sends them (also when nothing
 * changes), the Job kubectl create job --from=cronjob/CJ builds, the name
 * the dialog proposes, and the refusals made before any request.
 */

static const char job_json[] = "{\"metadata\":{\"name\":\"batch\",\"uid\":\"j1\"},"
			       "\"spec\":{\"suspend\":false,\"completions\":3}}";

/* A template with labels and annotations out of order, one of them the
 * instantiate annotation itself, and a member that is no string. */
static const char cj_json[] =
    "{\"metadata\":{\"name\":\"report\",\"uid\":\"c1\"},\"spec\":{\"schedule\":\"@daily\","
    "\"suspend\":true,\"jobTemplate\":{\"metadata\":{\"labels\":{\"tier\":\"b\",\"app\":"
    "\"a\"},\"annotations\":{\"z\":\"1\",\"cronjob.kubernetes.io/instantiate\":\"tmpl\","
    "\"a\":\"2\",\"n\":3}},\"spec\":{\"backoffLimit\":2,\"template\":{\"spec\":{"
    "\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"r\",\"image\":\"busybox\"}]}}}}}}";

static int plan(enum kact_kind kind, enum kact_target t, const char *obj, const char *input,
		struct kact_plan *out, struct perr *err)
{
	struct kact_args a = {
	    .kind = kind, .target = t, .ns = "prod", .object = "report", .input = input};
	if (t == KACT_TARGET_JOB)
		a.object = "batch";
	memset(out, 0, sizeof(*out));
	int rc = kact_check_job_args(&a, err);
	if (rc != 0)
		return rc;
	cJSON *j = cJSON_Parse(obj);
	ck_assert_ptr_nonnull(j);
	rc = kact_build_job(&a, j, out, err);
	cJSON_Delete(j);
	return rc;
}

static void refused(enum kact_kind kind, enum kact_target t, const char *input, const char *want)
{
	struct kact_plan p;
	struct perr err = {0};
	int rc = plan(kind, t, "{}", input, &p, &err);
	ck_assert_msg(rc == -1 && strcmp(perr_msg(&err), want) == 0, "%s: not refused as \"%s\"",
		      perr_msg(&err), want);
	perr_clear(&err);
}

/* The request of p: method, path, type and body, each as expected. */
static void sends(const struct kact_plan *p, const char *method, const char *path,
		  const char *ctype, const char *body)
{
	const char *got[] = {p->method, p->path, p->content_type, p->body};
	const char *want[] = {method, path, ctype, body};
	for (size_t i = 0; i < 4; i++)
		ck_assert_msg(got[i] && strcmp(got[i], want[i]) == 0, "sent %s, not %s", got[i],
			      want[i]);
}

START_TEST(test_suspend_job)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_int_eq(plan(KACT_SUSPEND, KACT_TARGET_JOB, job_json, NULL, &p, &err), 0);
	sends(&p, "PATCH", "/apis/batch/v1/namespaces/prod/jobs/batch?fieldManager=podscope",
	      "application/strategic-merge-patch+json", "{\"spec\":{\"suspend\":true}}");
	ck_assert_str_eq(p.object, "job/batch");
	ck_assert_str_eq(p.done_msg, "job.batch/batch patched");
	ck_assert_str_eq(p.summary, "suspend job/batch (spec.suspend: true): its active pods are "
				    "deleted");
	kact_plan_free(&p);
	/* Not suspended: kubectl sends the patch all the same and says so. */
	ck_assert_int_eq(plan(KACT_UNSUSPEND, KACT_TARGET_JOB, job_json, NULL, &p, &err), 0);
	ck_assert_str_eq(p.body, "{\"spec\":{\"suspend\":false}}");
	ck_assert_str_eq(p.done_msg, "job.batch/batch patched (no change)");
	ck_assert_str_eq(p.summary, "job/batch is not suspended already: spec.suspend stays false "
				    "(no change)");
	kact_plan_free(&p);
}
END_TEST

START_TEST(test_suspend_cronjob)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_int_eq(plan(KACT_UNSUSPEND, KACT_TARGET_CRONJOB, cj_json, NULL, &p, &err), 0);
	ck_assert_str_eq(p.path,
			 "/apis/batch/v1/namespaces/prod/cronjobs/report?fieldManager=podscope");
	ck_assert_str_eq(p.body, "{\"spec\":{\"suspend\":false}}");
	ck_assert_str_eq(p.done_msg, "cronjob.batch/report patched");
	ck_assert_str_eq(p.summary,
			 "resume cronjob/report (spec.suspend: false): its schedule runs again");
	kact_plan_free(&p);
	ck_assert_int_eq(plan(KACT_SUSPEND, KACT_TARGET_CRONJOB, cj_json, NULL, &p, &err), 0);
	ck_assert_str_eq(p.done_msg, "cronjob.batch/report patched (no change)");
	kact_plan_free(&p);
}
END_TEST

START_TEST(test_trigger)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_int_eq(
	    plan(KACT_TRIGGER, KACT_TARGET_CRONJOB, cj_json, "report-manual-1", &p, &err), 0);
	ck_assert_str_eq(p.method, "POST");
	ck_assert_str_eq(p.path, "/apis/batch/v1/namespaces/prod/jobs"
				 "?fieldManager=podscope&fieldValidation=Strict");
	ck_assert_str_eq(p.content_type, "application/json");
	ck_assert_str_eq(p.object, "job/report-manual-1");
	ck_assert_str_eq(p.done_msg, "job.batch/report-manual-1 created");
	/* createJobFromCronJob: Go's encoding of the Job (maps sorted, the
	 * template's own instantiate annotation kept, non-strings dropped). */
	ck_assert_str_eq(
	    p.body,
	    "{\"kind\":\"Job\",\"apiVersion\":\"batch/v1\",\"metadata\":{\"name\":"
	    "\"report-manual-1\",\"namespace\":\"prod\",\"creationTimestamp\":null,\"labels\":"
	    "{\"app\":\"a\",\"tier\":\"b\"},\"annotations\":{\"a\":\"2\","
	    "\"cronjob.kubernetes.io/instantiate\":\"tmpl\",\"z\":\"1\"},\"ownerReferences\":"
	    "[{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"name\":\"report\",\"uid\":"
	    "\"c1\",\"controller\":true}]},\"spec\":{\"backoffLimit\":2,\"template\":{\"spec\":{"
	    "\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"r\",\"image\":\"busybox\"}]}}}"
	    ",\"status\":{}}");
	kact_plan_free(&p);
	/* No labels: none sent; the annotation kubectl adds. */
	ck_assert_int_eq(plan(KACT_TRIGGER, KACT_TARGET_CRONJOB,
			      "{\"metadata\":{\"name\":\"report\",\"uid\":\"c1\"},\"spec\":{"
			      "\"jobTemplate\":{\"spec\":{}}}}",
			      "x", &p, &err),
			 0);
	ck_assert_str_eq(p.body,
			 "{\"kind\":\"Job\",\"apiVersion\":\"batch/v1\",\"metadata\":{"
			 "\"name\":\"x\",\"namespace\":\"prod\",\"creationTimestamp\":null,"
			 "\"annotations\":{\"cronjob.kubernetes.io/instantiate\":\"manual\"},"
			 "\"ownerReferences\":[{\"apiVersion\":\"batch/v1\",\"kind\":"
			 "\"CronJob\",\"name\":\"report\",\"uid\":\"c1\",\"controller\":"
			 "true}]},\"spec\":{},\"status\":{}}");
	kact_plan_free(&p);
	/* A CronJob without a uid or a jobTemplate cannot own the Job. */
	ck_assert_int_eq(plan(KACT_TRIGGER, KACT_TARGET_CRONJOB,
			      "{\"metadata\":{\"name\":\"report\"},\"spec\":{}}", "x", &p, &err),
			 -1);
	ck_assert_str_eq(perr_msg(&err), "cronjob/report: no uid, name or spec.jobTemplate");
	perr_clear(&err);
}
END_TEST

START_TEST(test_refusals)
{
	refused(KACT_TRIGGER, KACT_TARGET_JOB, "x",
		"unknown object type *v1.Job: job/batch is no CronJob to make a Job from");
	refused(KACT_TRIGGER, KACT_TARGET_CRONJOB, NULL, "resource name may not be empty");
	refused(KACT_TRIGGER, KACT_TARGET_CRONJOB, "Bad_Name",
		"invalid resource name \"Bad_Name\": a lowercase RFC 1123 subdomain must consist "
		"of lower case alphanumeric characters, '-' or '.', and must start and end with "
		"an alphanumeric character (e.g. 'example.com', regex used for validation is "
		"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
	refused(KACT_PAUSE, KACT_TARGET_JOB, NULL, "jobs.batch \"batch\" pausing is not supported");
	refused(KACT_RESUME, KACT_TARGET_CRONJOB, NULL,
		"cronjobs.batch \"report\" resuming is not supported");
	refused(KACT_RESTART, KACT_TARGET_JOB, NULL, "restart: not an action on job/batch");
	refused(KACT_SUSPEND, KACT_TARGET_STS, NULL, "suspend: sts/report is no Job or CronJob");
	/* kact_plan_start refuses them before it asks the client for anything. */
	struct kact_args a = {.kind = KACT_TRIGGER,
			      .target = KACT_TARGET_CRONJOB,
			      .ns = "prod",
			      .object = "report",
			      .input = "-x"};
	struct perr err = {0};
	ck_assert_ptr_null(kact_plan_start(NULL, &a, NULL, NULL, &err));
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "invalid resource name \"-x\""));
	perr_clear(&err);
	a.kind = KACT_SUSPEND;
	a.target = KACT_TARGET_DEPLOY;
	ck_assert_ptr_null(kact_plan_start(NULL, &a, NULL, NULL, &err));
	ck_assert_str_eq(perr_msg(&err), "suspend: deploy/report is no Job or CronJob");
	perr_clear(&err);
}
END_TEST

START_TEST(test_trigger_name)
{
	char *n = kact_trigger_name("report", 0x12abcdef);
	ck_assert_str_eq(n, "report-manual-abcdef");
	free(n);
	/* A long CronJob name is cut (and not left ending in '-') to stay a label. */
	char longname[80];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	longname[48] = '-';
	n = kact_trigger_name(longname, 1);
	ck_assert_uint_le(strlen(n), 63);
	ck_assert_str_eq(n + strlen(n) - 9, "-manual-1");
	ck_assert_int_ne(n[strlen(n) - 10], '-');
	free(n);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("actions-jobs");
	TCase *tc = tcase_create("plans");
	tcase_add_test(tc, test_suspend_job);
	tcase_add_test(tc, test_suspend_cronjob);
	tcase_add_test(tc, test_trigger);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_trigger_name);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
