#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "podscope/client.h"
#include "podscope/loop.h"
#include "podscope/simlaunch.h"
#include "podscope/xalloc.h"

#include "test_actions.h"
#include "testutil.h"

Suite *actions_kubectl_suite(void);

START_TEST(test_access_check)
{
	bool allowed = false;
	char *reason = NULL;
	struct perr err = {0};
	ck_assert_int_eq(act_access(E.c[0], "default", &allowed, &reason, &err), 0);
	ck_assert(allowed);
	ck_assert_ptr_nonnull(reason);
	free(reason);
	ck_assert_int_eq(act_access(E.ro, "default", &allowed, &reason, &err), 0);
	ck_assert(!allowed);
	ck_assert_str_eq(
	    reason,
	    "user \"sim-readonly\" may not patch deployments.apps in namespace \"default\"");
	free(reason);
	/* Once read-only, the client sends not even the review. */
	kclient_set_readonly(E.ro, true);
	ck_assert_int_eq(act_access(E.ro, "default", &allowed, &reason, &err), -1);
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "read-only"));
	ck_assert(!allowed);
	perr_clear(&err);
}
END_TEST

/* A secret from the kubeconfig: the value after key on some line. */
static char *kubeconfig_value(const char *key)
{
	char *k = test_slurp(simlaunch_kubeconfig(E.sim[0]));
	ck_assert_ptr_nonnull(k);
	char *p = strstr(k, key);
	char *r = NULL;
	if (p) {
		p += strlen(key);
		while (*p == ' ')
			p++;
		r = xstrndup(p, strcspn(p, "\n"));
	}
	free(k);
	return r;
}

/* A function, so that a failed assertion cannot print the secret. */
static bool contains_secret(const char *hay, const char *secret)
{
	return secret && *secret && strstr(hay, secret) != NULL;
}

START_TEST(test_forbidden_and_audit)
{
	struct kact_plan p;
	struct perr err = {0};
	/* Planning only reads: the read-only user may. */
	ck_assert_int_eq(act_plan_pause(E.ro, "default", "web", &p, &err), 0);
	struct kact_result res;
	ck_assert_int_eq(act_apply(E.ro, &p, "sim-readonly", &res), -1);
	ck_assert(!res.ok);
	ck_assert_int_eq(res.http_status, 403);
	ck_assert_msg(strstr(res.line, "sim-readonly") && strstr(res.line, "patch"),
		      "403 line should name user and verb: %s", res.line);
	char *forbidden = xstrdup(res.line);
	kact_result_free(&res);
	kact_plan_free(&p);

	/* The client's own refusal once read-only, before any byte is sent. */
	ck_assert_int_eq(act_plan_pause(E.ro, "default", "web", &p, &err), 0);
	kclient_set_readonly(E.ro, true);
	ck_assert_int_eq(act_apply(E.ro, &p, "sim-readonly", &res), -1);
	ck_assert_int_eq(res.http_status, 0);
	ck_assert_ptr_nonnull(strstr(res.line, "read-only"));
	kact_result_free(&res);
	kact_plan_free(&p);

	ck_assert_int_eq(act_plan_pause(E.c[0], "default", "web", &p, &err), 0);
	act_apply_ok(&p);
	kact_plan_free(&p);

	char *path = kact_audit_path();
	char *want = xasprintf("%s/state/podscope/audit.log", E.dir);
	ck_assert_str_eq(path, want);
	free(want);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	char *dir = xasprintf("%s/state/podscope", E.dir);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	free(dir);

	char *log = test_slurp(path);
	ck_assert_msg(log != NULL, "cannot read %s", path);
	free(path);
	/* Three lines: time, context, user, action, object, outcome. */
	char *lines[4] = {0};
	int n = 0;
	for (char *l = strtok(log, "\n"); l && n < 4; l = strtok(NULL, "\n"))
		lines[n++] = l;
	ck_assert_int_eq(n, 3);
	char *w =
	    xasprintf("\tsim-readonly\tsim-readonly\tpause\tdefault/deploy/web\t%s", forbidden);
	ck_assert_msg(strstr(lines[0], w) != NULL, "line 1: %s", lines[0]);
	free(w);
	ck_assert_ptr_nonnull(strstr(lines[1], "\tpause\tdefault/deploy/web\tread-only mode"));
	ck_assert_msg(strstr(lines[2], "\tsim-admin\tsim-admin\tpause\tdefault/deploy/web\tok"),
		      "line 3: %s", lines[2]);
	/* An RFC3339 time first: 2026-11-27T12:00:00Z or +hh:mm. */
	ck_assert_msg(strlen(lines[2]) > 20 && lines[2][4] == '-' && lines[2][10] == 'T' &&
			  lines[2][19] != '.',
		      "time: %s", lines[2]);

	/* Rebuild the text: strtok cut it. */
	free(log);
	path = kact_audit_path();
	log = test_slurp(path);
	ck_assert_msg(log != NULL, "cannot read %s", path);
	free(path);
	char *token = kubeconfig_value("token:");
	char *key = kubeconfig_value("client-key-data:");
	ck_assert_msg(token && key, "the kubeconfig should hold a token and a client key");
	ck_assert_msg(!contains_secret(log, token), "the audit log holds the token");
	/* Any 40-character piece of the key would do; take the middle. */
	char piece[41] = {0};
	if (strlen(key) > 80)
		memcpy(piece, key + strlen(key) / 2, 40);
	ck_assert_msg(!contains_secret(log, piece), "the audit log holds the client key");
	ck_assert(!contains_secret(log, "PRIVATE KEY"));
	free(token);
	free(key);
	free(log);
	free(forbidden);
	perr_clear(&err);
}
END_TEST

struct async_seen {
	int calls;
	bool ok;
	char line[256];
};

static void async_done(void *ud, const struct kact_result *res)
{
	struct async_seen *seen = ud;
	seen->calls++;
	seen->ok = res->ok;
	snprintf(seen->line, sizeof(seen->line), "%s", res->line);
}

START_TEST(test_apply_async)
{
	struct kact_plan p;
	struct perr err = {0};
	struct kact_result res;
	struct async_seen seen = {0};
	ck_assert_int_eq(act_plan_scale(E.c[0], "default", "web", "5", &p, &err), 0);
	struct kact_req *r = kact_apply_start(E.c[0], &p, "sim-admin", async_done, &seen, &res);
	ck_assert_ptr_nonnull(r);
	int64_t deadline = ploop_now_ms() + 20000;
	while (seen.calls == 0 && ploop_now_ms() < deadline)
		ploop_run_once(E.loop, 50);
	ck_assert_int_eq(seen.calls, 1);
	ck_assert(seen.ok);
	ck_assert_str_eq(seen.line, "deployment.apps/web scaled");
	cJSON *d = act_deploy(0, "web");
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "spec"), "replicas")->valueint,
			 5);
	cJSON_Delete(d);

	/* Cancelled: done is never called. */
	r = kact_apply_start(E.c[0], &p, "sim-admin", async_done, &seen, &res);
	ck_assert_ptr_nonnull(r);
	kact_cancel(r);
	for (int i = 0; i < 5; i++)
		ploop_run_once(E.loop, 20);
	ck_assert_int_eq(seen.calls, 1);

	/* Refused at once by a read-only client: no handle, the result at once. */
	kclient_set_readonly(E.c[0], true);
	ck_assert_ptr_null(kact_apply_start(E.c[0], &p, "sim-admin", async_done, &seen, &res));
	ck_assert(!res.ok);
	ck_assert_ptr_nonnull(strstr(res.line, "read-only"));
	kact_result_free(&res);
	ck_assert_int_eq(seen.calls, 1);
	kact_plan_free(&p);
}
END_TEST

int main(void)
{
	Suite *s = actions_kubectl_suite();
	TCase *tc = tcase_create("access");
	tcase_add_checked_fixture(tc, actenv_up, actenv_down);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_access_check);
	tcase_add_test(tc, test_forbidden_and_audit);
	tcase_add_test(tc, test_apply_async);
	suite_add_tcase(s, tc);
	actions_sets_tcase(s);
	actions_jobs_tcase(s);
	return test_run_suite(s);
}
