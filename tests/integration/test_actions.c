#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "podscope/client.h"
#include "podscope/xalloc.h"

#include "actions_int.h"
#include "test_actions.h"
#include "testutil.h"

/* kubectl's output must contain want (its exit status aside). */
static void kubectl_says(const char *args, const char *want)
{
	char *out = NULL;
	act_kubectl(&out, args);
	ck_assert_msg(strstr(out, want) != NULL, "kubectl %s: expected \"%s\" in: %s", args, want,
		      out);
	free(out);
}

static void kubectl_ok(const char *args)
{
	char *out = NULL;
	int st = act_kubectl(&out, args);
	ck_assert_msg(st == 0, "kubectl %s failed (%d): %s", args, st, out);
	free(out);
}

static const char *cause_of(int i, const char *name, char *buf, size_t n)
{
	cJSON *d = act_deploy(i, name);
	const char *c = kact_str_at(d, "metadata", "annotations", KACT_CAUSE, NULL);
	snprintf(buf, n, "%s", c ? c : "");
	cJSON_Delete(d);
	return buf;
}

static void set_image(const char *image, const char *kubectl_args)
{
	struct kact_plan p;
	struct perr err = {0};
	int rc = act_plan_set_image(E.c[0], "default", "web", "nginx", image, &p, &err);
	ck_assert_msg(rc == 0, "plan: %s", perr_msg(&err));
	act_apply_ok(&p);
	char cause[256];
	ck_assert_str_eq(cause_of(0, "web", cause, sizeof(cause)), p.summary);
	kact_plan_free(&p);
	act_wait_synced(0, "web");
	if (E.kubectl) {
		kubectl_ok(kubectl_args);
		act_wait_synced(1, "web");
	}
}

START_TEST(test_set_image)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_int_eq(
	    act_plan_set_image(E.c[0], "default", "web", "nginx", "nginx:1.27", &p, &err), 0);
	ck_assert_str_eq(p.method, "PATCH");
	ck_assert_str_eq(p.path,
			 "/apis/apps/v1/namespaces/default/deployments/web?fieldManager=podscope");
	ck_assert_str_eq(p.content_type, "application/strategic-merge-patch+json");
	ck_assert_str_eq(
	    p.summary, "set image of container nginx in deploy/web from nginx:1.25 to nginx:1.27");
	ck_assert_str_eq(p.object, "deploy/web");
	/* kubectl's patch, with the change-cause in front. */
	ck_assert_str_eq(p.body,
			 "{\"metadata\":{\"annotations\":{\"kubernetes.io/change-cause\":"
			 "\"set image of container nginx in deploy/web from nginx:1.25 to "
			 "nginx:1.27\"}},\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/"
			 "containers\":[{\"name\":\"nginx\"},{\"name\":\"side\"}],\"containers\":"
			 "[{\"image\":\"nginx:1.27\",\"name\":\"nginx\"}]}}}}");
	kact_plan_free(&p);

	ck_assert_int_eq(act_plan_set_image(E.c[0], "default", "web", "nope", "x:1", &p, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "unable to find container named \"nope\"");
	ck_assert_int_eq(
	    act_plan_set_image(E.c[0], "default", "web", "nginx", "nginx:1.25", &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "already runs nginx:1.25"));
	ck_assert_int_eq(act_plan_set_image(E.c[0], "default", "nope", "nginx", "x:1", &p, &err),
			 -1);
	ck_assert_int_eq(err.http_status, 404);
	perr_clear(&err);

	set_image("nginx:1.27", "set image deploy/web nginx=nginx:1.27");
	/* An init container or a second container goes the same way. */
	set_image("nginx:1.28", "set image deploy/web nginx=nginx:1.28");
	if (!act_skip_kubectl("set image"))
		act_compare_deploy("web");
}
END_TEST

START_TEST(test_restart)
{
	struct kact_plan p;
	struct perr err = {0};
	time_t now = time(NULL);
	char ts[32];
	kact_rfc3339(now, ts);
	ck_assert_int_eq(act_plan_restart(E.c[0], "default", "web", now, &p, &err), 0);
	ck_assert_ptr_nonnull(strstr(p.body, ts));
	ck_assert_ptr_nonnull(strstr(p.body,
				     "\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
				     "{\"kubectl.kubernetes.io/restartedAt\":"));
	act_apply_ok(&p);
	kact_plan_free(&p);
	cJSON *d = act_deploy(0, "web");
	ck_assert_str_eq(kact_str_at(d, "spec", "template", "metadata", "annotations",
				     "kubectl.kubernetes.io/restartedAt", NULL),
			 ts);
	cJSON_Delete(d);
	struct kact_revision *h;
	size_t n;
	ck_assert_int_eq(act_history(E.c[0], "default", "web", &h, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(h[0].n_diff, 1);
	char *line =
	    xasprintf("metadata.annotations.kubectl.kubernetes.io/restartedAt: %s -> (none)", ts);
	ck_assert_str_eq(h[0].diff[0], line);
	free(line);
	kact_history_free(h, n);
	/* Twice in the same second: kubectl's refusal. */
	ck_assert_int_eq(act_plan_restart(E.c[0], "default", "web", now, &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "if restart has already been triggered"));
	perr_clear(&err);
	if (act_skip_kubectl("rollout restart"))
		return;
	kubectl_ok("rollout restart deploy/web");
	act_compare_deploy("web");
	d = act_deploy(1, "web");
	ck_assert_ptr_nonnull(kact_str_at(d, "spec", "template", "metadata", "annotations",
					  "kubectl.kubernetes.io/restartedAt", NULL));
	cJSON_Delete(d);
}
END_TEST

START_TEST(test_pause_resume)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_int_eq(act_plan_resume(E.c[0], "default", "web", &p, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "deployments.apps \"web\" is not paused");
	ck_assert_int_eq(act_plan_pause(E.c[0], "default", "web", &p, &err), 0);
	ck_assert_str_eq(p.body, "{\"spec\":{\"paused\":true}}");
	act_apply_ok(&p);
	kact_plan_free(&p);
	ck_assert_int_eq(act_plan_pause(E.c[0], "default", "web", &p, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "deployments.apps \"web\" is already paused");
	ck_assert_int_eq(act_plan_restart(E.c[0], "default", "web", time(NULL), &p, &err), -1);
	ck_assert_str_eq(perr_msg(&err),
			 "can't restart paused deployment (run rollout resume first)");
	ck_assert_int_eq(
	    act_plan_set_image(E.c[0], "default", "web", "nginx", "nginx:1.26", &p, &err), 0);
	act_apply_ok(&p);
	kact_plan_free(&p);
	if (E.kubectl) {
		kubectl_ok("rollout pause deploy/web");
		kubectl_says("rollout pause deploy/web",
			     "deployments.apps \"web\" is already paused");
		kubectl_says("rollout restart deploy/web",
			     "can't restart paused deployment (run rollout resume first)");
		kubectl_ok("set image deploy/web nginx=nginx:1.26");
		act_compare_deploy("web");
	}
	ck_assert_int_eq(act_plan_resume(E.c[0], "default", "web", &p, &err), 0);
	ck_assert_str_eq(p.body, "{\"spec\":{\"paused\":null}}");
	act_apply_ok(&p);
	kact_plan_free(&p);
	perr_clear(&err);
	if (act_skip_kubectl("rollout pause/resume"))
		return;
	kubectl_ok("rollout resume deploy/web");
	kubectl_says("rollout resume deploy/web", "deployments.apps \"web\" is not paused");
	act_compare_deploy("web");
}
END_TEST

static void undo(long rev)
{
	struct kact_plan p;
	struct perr err = {0};
	int rc = act_plan_undo(E.c[0], "default", "web", rev, &p, &err);
	ck_assert_msg(rc == 0, "undo plan: %s", perr_msg(&err));
	ck_assert_str_eq(p.content_type, "application/json-patch+json");
	ck_assert_ptr_nonnull(strstr(p.body, "[{\"op\":\"replace\",\"path\":\"/spec/template\","));
	ck_assert_ptr_nonnull(
	    strstr(p.body, "{\"op\":\"replace\",\"path\":\"/metadata/annotations\""));
	act_apply_ok(&p);
	char cause[256];
	ck_assert_str_eq(cause_of(0, "web", cause, sizeof(cause)), p.summary);
	kact_plan_free(&p);
	act_wait_synced(0, "web");
	if (E.kubectl) {
		char *args = rev ? xasprintf("rollout undo deploy/web --to-revision=%ld", rev)
				 : xstrdup("rollout undo deploy/web");
		kubectl_ok(args);
		free(args);
		act_compare_deploy("web");
	}
}

START_TEST(test_undo)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_int_eq(act_plan_undo(E.c[0], "default", "web", 0, &p, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "no rollout history found for deployment \"web\"");
	set_image("nginx:1.27", "set image deploy/web nginx=nginx:1.27");
	set_image("nginx:1.28", "set image deploy/web nginx=nginx:1.28");

	struct kact_revision *h;
	size_t n;
	ck_assert_int_eq(act_history(E.c[0], "default", "web", &h, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(h[0].revision, 1);
	ck_assert_int_eq(h[2].revision, 3);
	ck_assert(h[2].current && !h[0].current && !h[1].current);
	ck_assert_str_eq(h[0].change_cause, "");
	ck_assert_str_eq(
	    h[1].change_cause,
	    "set image of container nginx in deploy/web from nginx:1.25 to nginx:1.27");
	ck_assert_uint_eq(h[1].n_images, 2);
	ck_assert_str_eq(h[1].images[0], "nginx:1.27");
	ck_assert_str_eq(h[1].images[1], "busybox:1.36");
	ck_assert_uint_eq(h[1].n_diff, 1);
	ck_assert_str_eq(h[1].diff[0], "spec.containers[nginx].image: nginx:1.28 -> nginx:1.27");
	ck_assert_uint_eq(h[2].n_diff, 0);
	kact_history_free(h, n);

	ck_assert_int_eq(act_plan_undo(E.c[0], "default", "web", 99, &p, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "unable to find specified revision 99 in history");
	ck_assert_int_eq(act_plan_undo(E.c[0], "default", "web", -1, &p, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "unable to find specified revision -1 in history");
	ck_assert_int_eq(act_plan_undo(E.c[0], "default", "web", 3, &p, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "deployment.apps/web skipped rollback (current template "
					 "already matches revision 3)");
	perr_clear(&err);
	if (E.kubectl) {
		kubectl_says("rollout undo deploy/web --to-revision=99",
			     "unable to find specified revision 99 in history");
		kubectl_says("rollout undo deploy/web --to-revision=3",
			     "skipped rollback (current template already matches revision 3)");
		kubectl_says("rollout undo deploy/web-green",
			     "no rollout history found for deployment \"web-green\"");
	}
	/* Paused: kubectl finds the revision first, then refuses. */
	ck_assert_int_eq(act_plan_pause(E.c[0], "default", "web", &p, &err), 0);
	act_apply_ok(&p);
	kact_plan_free(&p);
	ck_assert_int_eq(act_plan_undo(E.c[0], "default", "web", 0, &p, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "you cannot rollback a paused deployment; resume it first "
					 "with 'kubectl rollout resume' and try again");
	ck_assert_int_eq(act_plan_resume(E.c[0], "default", "web", &p, &err), 0);
	act_apply_ok(&p);
	kact_plan_free(&p);
	perr_clear(&err);
	if (E.kubectl) {
		kubectl_ok("rollout pause deploy/web");
		kubectl_says("rollout undo deploy/web", "you cannot rollback a paused deployment");
		kubectl_ok("rollout resume deploy/web");
	}
	undo(0); /* back to nginx:1.27, as revision 4 */
	undo(1); /* to nginx:1.25, as revision 5 */
	cJSON *d = act_deploy(0, "web");
	ck_assert_str_eq(
	    kact_str_at(d, "metadata", "annotations", "deployment.kubernetes.io/revision", NULL),
	    "5");
	cJSON_Delete(d);
	if (act_skip_kubectl("rollout undo"))
		return;
	/* kubectl's undo leaves "creationTimestamp": null in the template on B:
	 * the same as absent, as kubectl's typed comparison has it. */
	ck_assert_int_eq(act_history(E.c[1], "default", "web", &h, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(h[2].revision, 5);
	ck_assert(h[2].current);
	kact_history_free(h, n);
	ck_assert_int_eq(act_plan_undo(E.c[1], "default", "web", 5, &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "skipped rollback"));
	perr_clear(&err);
}
END_TEST

START_TEST(test_scale)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_int_eq(act_plan_scale(E.c[0], "default", "web", "+2", &p, &err), 0);
	ck_assert_str_eq(p.path, "/apis/apps/v1/namespaces/default/deployments/web/scale");
	ck_assert_str_eq(p.content_type, "application/merge-patch+json");
	ck_assert_str_eq(p.body, "{\"spec\":{\"replicas\":4}}");
	ck_assert_str_eq(p.summary, "scale deploy/web from 2 to 4 replicas");
	act_apply_ok(&p);
	kact_plan_free(&p);
	ck_assert_int_eq(act_plan_scale(E.c[0], "default", "web", "-5", &p, &err), -1);
	ck_assert_str_eq(perr_msg(&err),
			 "cannot scale to \"-5\": the number of replicas cannot go below 0");
	ck_assert_int_eq(act_plan_scale(E.c[0], "default", "web", "-1", &p, &err), 0);
	act_apply_ok(&p);
	kact_plan_free(&p);
	perr_clear(&err);
	if (act_skip_kubectl("scale"))
		return;
	kubectl_ok("scale deploy/web --replicas=3");
	act_compare_deploy("web");
}
END_TEST

static bool pod_going(int i, const char *name)
{
	char *path = xasprintf("/api/v1/namespaces/default/pods/%s", name);
	cJSON *o = NULL;
	struct perr err = {0};
	int rc = act_get_json(i, path, &o, &err);
	free(path);
	bool going = (rc != 0 && err.http_status == 404) ||
		     (rc == 0 && kact_str_at(o, "metadata", "deletionTimestamp", NULL));
	cJSON_Delete(o);
	perr_clear(&err);
	return going;
}

static char *first_pod(int i)
{
	cJSON *l = act_get(i, "/api/v1/namespaces/default/pods?labelSelector=track%3Dblue");
	const char *n =
	    kact_str_at(cJSON_GetArrayItem(kact_at(l, "items", NULL), 0), "metadata", "name", NULL);
	ck_assert_ptr_nonnull(n);
	char *r = xstrdup(n);
	cJSON_Delete(l);
	return r;
}

START_TEST(test_delete_pod)
{
	struct kact_plan p;
	struct perr err = {0};
	char *pod = first_pod(0);
	ck_assert_int_eq(act_plan_delete_pod(E.c[0], "default", pod, &p, &err), 0);
	ck_assert_str_eq(p.method, "DELETE");
	char *want = xasprintf("/api/v1/namespaces/default/pods/%s", pod);
	ck_assert_str_eq(p.path, want);
	free(want);
	want = xasprintf("pod \"%s\" deleted", pod);
	ck_assert_str_eq(p.done_msg, want);
	free(want);
	act_apply_ok(&p);
	kact_plan_free(&p);
	ck_assert(pod_going(0, pod));
	free(pod);
	if (act_skip_kubectl("delete pod"))
		return;
	pod = first_pod(1);
	char *args = xasprintf("delete pod %s --wait=false", pod);
	kubectl_ok(args);
	free(args);
	ck_assert(pod_going(1, pod));
	free(pod);
}
END_TEST

static char *selector_of(int i)
{
	cJSON *s = act_get(i, "/api/v1/namespaces/default/services/web");
	char *r = cJSON_PrintUnformatted(kact_at(s, "spec", "selector", NULL));
	char *out = xstrdup(r);
	cJSON_free(r);
	cJSON_Delete(s);
	return out;
}

START_TEST(test_switch_service)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_int_eq(act_plan_switch_service(E.c[0], "default", "web", "web", &p, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "svc/web already selects the pods of deploy/web");
	ck_assert_int_eq(act_plan_switch_service(E.c[0], "default", "web", "web-green", &p, &err),
			 0);
	ck_assert_str_eq(p.selects_before, "web");
	ck_assert_str_eq(p.selects_after, "web-green");
	ck_assert_str_eq(p.summary, "switch svc/web from web to web-green");
	ck_assert_str_eq(p.body, "{\"spec\":{\"selector\":{\"track\":\"green\"}}}");
	ck_assert_str_eq(p.path, "/api/v1/namespaces/default/services/web");
	act_apply_ok(&p);
	kact_plan_free(&p);
	perr_clear(&err);
	char *a = selector_of(0);
	ck_assert_str_eq(a, "{\"app\":\"web\",\"track\":\"green\"}");
	if (!act_skip_kubectl("switch-service")) {
		kubectl_ok("set selector service/web app=web,track=green");
		char *b = selector_of(1);
		ck_assert_str_eq(a, b);
		free(b);
	}
	free(a);
}
END_TEST

/* Every segment is encoded, whatever the name checks let through. */
START_TEST(test_object_path)
{
	char *p = kact_object_path(KACT_CORE, "prod-1", "pods", "a.b--c.9");
	ck_assert_str_eq(p, "/api/v1/namespaces/prod-1/pods/a.b--c.9");
	free(p);
	p = kact_object_path(KACT_APPS, "x/../y", "deployments", "victim2/../../z?a#b%");
	ck_assert_str_eq(p, "/apis/apps/v1/namespaces/x%2F..%2Fy/deployments/"
			    "victim2%2F..%2F..%2Fz%3Fa%23b%25");
	free(p);
	p = kact_object_path(KACT_APPS, "ns", "replicasets", NULL);
	ck_assert_str_eq(p, "/apis/apps/v1/namespaces/ns/replicasets");
	free(p);
}
END_TEST

/* A Scale's replicas as kubectl's decoding reads them: never a wrapped number. */
START_TEST(test_scale_current)
{
	static const struct {
		const char *json;
		int32_t want; /* -1: refused */
	} cases[] = {
	    {"{\"spec\":{\"replicas\":3}}", 3},
	    {"{\"spec\":{}}", 0},
	    {"{\"spec\":{\"replicas\":null}}", 0},
	    {"{\"spec\":{\"replicas\":2147483647}}", INT32_MAX},
	    {"{\"spec\":{\"replicas\":1e300}}", -1},
	    {"{\"spec\":{\"replicas\":-1e300}}", -1},
	    {"{\"spec\":{\"replicas\":1e400}}", -1},
	    {"{\"spec\":{\"replicas\":2147483648}}", -1},
	    {"{\"spec\":{\"replicas\":1.5}}", -1},
	    {"{\"spec\":{\"replicas\":\"3\"}}", -1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *j = cJSON_Parse(cases[i].json);
		int32_t got = -99;
		struct perr err = {0};
		int rc = kact_scale_current(j, "/x/scale", &got, &err);
		if (cases[i].want < 0) {
			ck_assert_msg(rc == -1, "%s: taken as %d", cases[i].json, got);
			ck_assert_str_eq(perr_msg(&err),
					 "GET /x/scale: spec.replicas is not an int32");
		} else {
			ck_assert_msg(rc == 0 && got == cases[i].want, "%s: %d", cases[i].json,
				      got);
		}
		perr_clear(&err);
		cJSON_Delete(j);
	}
}
END_TEST

Suite *actions_kubectl_suite(void);
Suite *actions_kubectl_suite(void)
{
	Suite *s = suite_create("actions");
	TCase *tc = tcase_create("vs-kubectl");
	tcase_add_checked_fixture(tc, actenv_up, actenv_down);
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, test_set_image);
	tcase_add_test(tc, test_restart);
	tcase_add_test(tc, test_pause_resume);
	tcase_add_test(tc, test_undo);
	tcase_add_test(tc, test_scale);
	tcase_add_test(tc, test_delete_pod);
	tcase_add_test(tc, test_switch_service);
	suite_add_tcase(s, tc);
	TCase *pure = tcase_create("paths");
	tcase_add_test(pure, test_object_path);
	tcase_add_test(pure, test_scale_current);
	suite_add_tcase(s, pure);
	return s;
}
