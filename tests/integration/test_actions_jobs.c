#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/loop.h"
#include "podscope/xalloc.h"

#include "actions_int.h"
#include "test_actions.h"

/*
 * Job and CronJob actions on sim B against the real kubectl: suspend and
 * resume request by request with -v=8 (as the sets' test compares them),
 * kubectl's "(no change)" when spec.suspend is so already, and the Job a
 * trigger POSTs against the one kubectl create job --from=cronjob/C builds
 * (its JSON, --dry-run=client -o json: kubectl itself sends protobuf); then
 * both Jobs made on the sim, compared in the objects.
 */

#define NS "default"

static const char objects[] =
    "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n"
    "  schedule: \"@yearly\"\n  jobTemplate:\n    metadata:\n      labels:\n"
    "        team: data\n        app: report\n      annotations:\n        note: nightly\n"
    "    spec:\n      backoffLimit: 2\n      template:\n        spec:\n"
    "          restartPolicy: Never\n          containers:\n          - name: report\n"
    "            image: busybox\n            command: [\"sleep\", \"3600\"]\n"
    "---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: batch\nspec:\n"
    "  template:\n    spec:\n      restartPolicy: Never\n      containers:\n"
    "      - name: b\n        image: busybox\n        command: [\"sleep\", \"3600\"]\n";

static void create_objects(void)
{
	char *file = xasprintf("%s/jobs.yaml", E.dir);
	FILE *f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fputs(objects, f);
	fclose(f);
	char *args = xasprintf("create -f '%s'", file), *out;
	ck_assert_msg(act_kubectl(&out, args) == 0, "kubectl %s: %s", args, out);
	free(out);
	free(args);
	free(file);
}

/* Plan a on sim B: its done message is the line kubectl prints for kargs. */
static void same_message(const struct kact_args *a, const char *kargs)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_msg(act_plan(E.c[1], a, &p, &err) == 0, "%s: %s", kargs, perr_msg(&err));
	char *out;
	ck_assert_int_eq(act_kubectl(&out, kargs), 0);
	ck_assert_msg(strstr(out, p.done_msg) && strchr(out, '\n') == out + strlen(p.done_msg),
		      "ours: %s, kubectl %s: %s", p.done_msg, kargs, out);
	free(out);
	kact_plan_free(&p);
}

/*
 * Until the Job on sim B holds still after a suspend or a resume: its
 * controller has deleted or started the pods (active as wanted, ready as
 * active). kubectl patch says "(no change)" only when the object it read
 * before its patch equals the one the patch returns, so a status the
 * controller writes in between makes it say "patched" (seen once in CI).
 */
static void job_settled(const char *name, int active)
{
	char *path = xasprintf("/apis/batch/v1/namespaces/" NS "/jobs/%s", name);
	int64_t deadline = ploop_now_ms() + 30000;
	for (;;) {
		cJSON *j = act_get(1, path);
		const cJSON *a = kact_at(j, "status", "active", NULL);
		const cJSON *r = kact_at(j, "status", "ready", NULL);
		int na = cJSON_IsNumber(a) ? a->valueint : 0, nr = cJSON_IsNumber(r) ? r->valueint : 0;
		cJSON_Delete(j);
		if (na == active && nr == active)
			break;
		ck_assert_msg(ploop_now_ms() < deadline, "job/%s: active %d, ready %d; want %d",
			      name, na, nr, active);
		ploop_run_once(E.loop, 20);
	}
	free(path);
}

START_TEST(test_suspend_wire)
{
	if (act_skip_kubectl("Job and CronJob suspend"))
		return;
	create_objects();
	struct kact_args a = {
	    .kind = KACT_SUSPEND, .target = KACT_TARGET_JOB, .ns = NS, .object = "batch"};
	act_same_wire(&a, "patch job batch -p '{\"spec\":{\"suspend\":true}}'");
	job_settled("batch", 0);
	same_message(&a, "patch job batch -p '{\"spec\":{\"suspend\":true}}'");
	a.kind = KACT_UNSUSPEND;
	act_same_wire(&a, "patch job batch -p '{\"spec\":{\"suspend\":false}}'");
	job_settled("batch", 1);
	same_message(&a, "patch job batch -p '{\"spec\":{\"suspend\":false}}'");
	cJSON *j = act_get(1, "/apis/batch/v1/namespaces/" NS "/jobs/batch");
	ck_assert(cJSON_IsFalse(kact_at(j, "spec", "suspend", NULL)));
	cJSON_Delete(j);

	a = (struct kact_args){
	    .kind = KACT_SUSPEND, .target = KACT_TARGET_CRONJOB, .ns = NS, .object = "report"};
	act_same_wire(&a, "patch cronjob report -p '{\"spec\":{\"suspend\":true}}'");
	a.kind = KACT_UNSUSPEND;
	act_same_wire(&a, "patch cronjob report -p '{\"spec\":{\"suspend\":false}}'");

	a.kind = KACT_PAUSE;
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_int_eq(act_plan(E.c[1], &a, &p, &err), -1);
	char *out;
	act_kubectl(&out, "rollout pause cronjob/report");
	ck_assert_msg(strstr(out, perr_msg(&err)), "ours: %s, kubectl's: %s", perr_msg(&err), out);
	free(out);
	perr_clear(&err);
}
END_TEST

/* kubectl's Job and ours, spec aside, byte for byte; then the specs as values. */
static void same_job(const char *ours, const char *kubectls)
{
	cJSON *o = cJSON_Parse(ours), *k = cJSON_Parse(kubectls);
	ck_assert_msg(o && k, "not JSON: %s", kubectls);
	cJSON *os = cJSON_DetachItemFromObjectCaseSensitive(o, "spec");
	cJSON *ks = cJSON_DetachItemFromObjectCaseSensitive(k, "spec");
	/* Go's encoding of an unset metav1.Time in the template. */
	cJSON *tm = kact_at(ks, "template", "metadata", NULL);
	if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(tm, "creationTimestamp")))
		cJSON_DeleteItemFromObjectCaseSensitive(tm, "creationTimestamp");
	char *so = cJSON_PrintUnformatted(o), *sk = cJSON_PrintUnformatted(k);
	ck_assert_msg(strcmp(so, sk) == 0, "\n ours:    %s\n kubectl: %s", so, sk);
	char *sos = cJSON_PrintUnformatted(os), *sks = cJSON_PrintUnformatted(ks);
	ck_assert_msg(cJSON_Compare(os, ks, true), "spec:\n ours:    %s\n kubectl: %s", sos, sks);
	cJSON_free(so);
	cJSON_free(sk);
	cJSON_free(sos);
	cJSON_free(sks);
	cJSON_Delete(os);
	cJSON_Delete(ks);
	cJSON_Delete(o);
	cJSON_Delete(k);
}

/* What the sim made of Job name: its instantiate annotation, template
 * annotation, team label and controller, as one line. */
static char *made(const char *name)
{
	char *path = xasprintf("/apis/batch/v1/namespaces/" NS "/jobs/%s", name);
	cJSON *j = act_get(1, path);
	free(path);
	const char *inst =
	    kact_str_at(j, "metadata", "annotations", "cronjob.kubernetes.io/instantiate", NULL);
	const char *note = kact_str_at(j, "metadata", "annotations", "note", NULL);
	const char *team = kact_str_at(j, "metadata", "labels", "team", NULL);
	cJSON *ref = cJSON_GetArrayItem(kact_at(j, "metadata", "ownerReferences", NULL), 0);
	const char *kind = kact_str_at(ref, "kind", NULL), *owner = kact_str_at(ref, "name", NULL);
	char *s = xasprintf("%s %s %s %s/%s %s", inst ? inst : "-", note ? note : "-",
			    team ? team : "-", kind ? kind : "-", owner ? owner : "-",
			    cJSON_IsTrue(kact_at(ref, "controller", NULL)) ? "controller" : "-");
	cJSON_Delete(j);
	return s;
}

START_TEST(test_trigger_wire)
{
	if (act_skip_kubectl("a Job from a CronJob"))
		return;
	create_objects();
	struct kact_args a = {.kind = KACT_TRIGGER,
			      .target = KACT_TARGET_CRONJOB,
			      .ns = NS,
			      .object = "report",
			      .input = "report-manual-1"};
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_msg(act_plan(E.c[1], &a, &p, &err) == 0, "%s", perr_msg(&err));
	char *out;
	ck_assert_int_eq(act_kubectl(&out, "create job report-manual-1 --from=cronjob/report -n " NS
					   " --dry-run=client -o json"),
			 0);
	same_job(p.body, out);
	free(out);

	/* Ours sent, kubectl's made under another name: the same Job. */
	struct kact_result res;
	act_apply(E.c[1], &p, "sim-admin", &res);
	ck_assert_msg(res.ok, "%s", res.line);
	ck_assert_str_eq(res.line, "job.batch/report-manual-1 created");
	kact_result_free(&res);
	ck_assert_int_eq(act_kubectl(&out, "create job report-manual-2 --from=cronjob/report"), 0);
	ck_assert_str_eq(out, "job.batch/report-manual-2 created\n");
	free(out);
	char *m1 = made("report-manual-1"), *m2 = made("report-manual-2");
	ck_assert_str_eq(m1, m2);
	ck_assert_str_eq(m1, "manual nightly data CronJob/report controller");
	free(m1);
	free(m2);

	/* The same name again: the API's refusal, as kubectl shows it. */
	act_apply(E.c[1], &p, "sim-admin", &res);
	ck_assert(!res.ok);
	act_kubectl(&out, "create job report-manual-1 --from=cronjob/report");
	/* Ours adds the reason and the status: "(AlreadyExists, HTTP 409)". */
	ck_assert_ptr_nonnull(strstr(res.line, " (AlreadyExists, HTTP 409)"));
	*strstr(res.line, " (AlreadyExists") = '\0';
	ck_assert_msg(strstr(out, res.line), "ours: %s, kubectl's: %s", res.line, out);
	free(out);
	kact_result_free(&res);
	kact_plan_free(&p);

	a = (struct kact_args){.kind = KACT_TRIGGER,
			       .target = KACT_TARGET_JOB,
			       .ns = NS,
			       .object = "batch",
			       .input = "x"};
	ck_assert_int_eq(act_plan(E.c[1], &a, &p, &err), -1);
	act_kubectl(&out, "create job x --from=job/batch");
	ck_assert_msg(strncmp(perr_msg(&err), out + strlen("error: "), strlen(out) - 8) == 0,
		      "ours: %s, kubectl's: %s", perr_msg(&err), out);
	free(out);
	perr_clear(&err);
}
END_TEST

void actions_jobs_tcase(Suite *s)
{
	TCase *tc = tcase_create("jobs-vs-kubectl");
	tcase_add_checked_fixture(tc, actenv_up, actenv_down);
	/* Each test starts two sims and runs kubectl a dozen times. */
	tcase_set_timeout(tc, 240);
	const TTest *tests[] = {test_suspend_wire, test_trigger_wire};
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		tcase_add_test(tc, tests[i]);
	suite_add_tcase(s, tc);
}
