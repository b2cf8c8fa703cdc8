#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "podscope/client.h"
#include "podscope/loop.h"
#include "podscope/xalloc.h"

#include "actions_int.h"
#include "test_actions.h"

/*
 * StatefulSet and DaemonSet actions: each plan is made on sim B, then the
 * real kubectl does the same there with -v=8, and the request podscope
 * would send is compared with the one kubectl sent: method, path (with
 * podscope's field manager for kubectl's), content type and body, byte for
 * byte (podscope's change-cause annotation and the restartedAt instant
 * aside).
 */

#define NS "default"

struct wire {
	char *method, *path, *ctype, *body;
};

static void wire_free(struct wire *w)
{
	free(w->method);
	free(w->path);
	free(w->ctype);
	free(w->body);
}

/* The quoted value after key in line, with Go's \" and \\ undone. */
static char *quoted_after(const char *line, const char *key)
{
	const char *p = strstr(line, key);
	if (!p)
		return NULL;
	struct buf b = BUF_INIT;
	for (p += strlen(key); *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		buf_add(&b, p, 1);
	}
	buf_adds(&b, "");
	return buf_steal(&b);
}

/* The last PATCH or DELETE kubectl -v=8 logged, with its body and type. */
static void kubectl_wire(const char *args, struct wire *w, char **out)
{
	char *cmd = xasprintf("%s -v=8", args);
	act_kubectl(out, cmd);
	free(cmd);
	memset(w, 0, sizeof(*w));
	char *last_body = NULL;
	bool want_type = false;
	struct buf multi = BUF_INIT; /* klog's body=< ... > form, its lines tab-indented */
	bool in_multi = false;
	for (char *line = *out; line && *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *l = xasprintf("%.*s", (int)len, line);
		const char *m;
		if (in_multi && l[0] == '\t') {
			buf_printf(&multi, "%s%s", multi.len ? "\n" : "", l + 1);
		} else if (in_multi) {
			in_multi = false;
			free(last_body);
			last_body = buf_steal(&multi);
		} else if (strstr(l, "\"Request Body\" body=<")) {
			in_multi = true;
		} else if (strstr(l, "\"Request Body\" body=\"")) {
			free(last_body);
			last_body = quoted_after(l, "body=\"");
		} else if (strstr(l, "round_trippers.go") &&
			   ((m = strstr(l, "] PATCH https://")) ||
			    (m = strstr(l, "] DELETE https://")))) {
			wire_free(w);
			memset(w, 0, sizeof(*w));
			const char *sp = strchr(m + 2, ' ');
			w->method = xasprintf("%.*s", (int)(sp - (m + 2)), m + 2);
			const char *path = strchr(strstr(sp, "//") + 2, '/');
			w->path = xstrdup(path);
			w->body = last_body ? xstrdup(last_body) : NULL;
			want_type = true;
		} else if (want_type && (m = strstr(l, "Content-Type: "))) {
			w->ctype = xstrdup(m + strlen("Content-Type: "));
			want_type = false;
		}
		free(l);
		line = nl ? nl + 1 : NULL;
	}
	free(last_body);
	buf_free(&multi);
	ck_assert_msg(w->method != NULL, "kubectl %s sent no change: %s", args, *out);
}

/* kubectl's field managers are podscope's. */
static char *our_path(const char *kpath)
{
	const char *fm[] = {"fieldManager=kubectl-rollout", "fieldManager=kubectl-patch"};
	for (size_t i = 0; i < 2; i++) {
		const char *p = strstr(kpath, fm[i]);
		if (p)
			return xasprintf("%.*sfieldManager=podscope%s", (int)(p - kpath), kpath,
					 p + strlen(fm[i]));
	}
	return xstrdup(kpath);
}

/* Our body without the change-cause, its restartedAt instant kubectl's. */
static char *our_body(const char *body, const char *kbody)
{
	cJSON *j = cJSON_Parse(body);
	ck_assert_ptr_nonnull(j);
	cJSON *ann = kact_at(j, "metadata", "annotations", NULL);
	if (ann && cJSON_GetObjectItemCaseSensitive(ann, KACT_CAUSE) &&
	    cJSON_GetArraySize(ann) == 1)
		cJSON_DeleteItemFromObjectCaseSensitive(j, "metadata");
	cJSON *ra = kact_at(j, "spec", "template", "metadata", "annotations",
			    "kubectl.kubernetes.io/restartedAt", NULL);
	char *kts = quoted_after(kbody, "\"kubectl.kubernetes.io/restartedAt\":\"");
	if (ra && kts)
		cJSON_SetValuestring(ra, kts);
	free(kts);
	char *s = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return s;
}

/* Plan a on sim B, then kubectl ARGS there: the same request. */
static void same_wire(const struct kact_args *a, const char *kargs)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_msg(act_plan(E.c[1], a, &p, &err) == 0, "%s: %s", kargs, perr_msg(&err));
	struct wire w;
	char *out;
	kubectl_wire(kargs, &w, &out);
	char *path = our_path(w.path);
	ck_assert_msg(strcmp(p.method, w.method) == 0 && strcmp(p.path, path) == 0,
		      "%s: ours %s %s, kubectl's %s %s", kargs, p.method, p.path, w.method, w.path);
	ck_assert_msg(w.ctype && p.content_type && strcmp(w.ctype, p.content_type) == 0,
		      "%s: content type %s, kubectl's %s", kargs, p.content_type, w.ctype);
	ck_assert_msg(w.body && p.body, "%s: a body on one side only", kargs);
	char *ours = our_body(p.body, w.body);
	ck_assert_msg(strcmp(ours, w.body) == 0, "%s:\n ours:    %s\n kubectl: %s", kargs, ours,
		      w.body);
	cJSON_free(ours);
	free(path);
	free(out);
	wire_free(&w);
	kact_plan_free(&p);
}

/* Plan a on sim B: refused with want, and kubectl ARGS says it too. */
static void same_refusal(const struct kact_args *a, const char *want, const char *kargs)
{
	struct kact_plan p;
	struct perr err = {0};
	ck_assert_msg(act_plan(E.c[1], a, &p, &err) == -1, "%s was not refused", want);
	ck_assert_str_eq(perr_msg(&err), want);
	perr_clear(&err);
	if (!kargs)
		return;
	char *out;
	act_kubectl(&out, kargs);
	ck_assert_msg(strstr(out, want) != NULL, "kubectl %s: \"%s\" not in: %s", kargs, want, out);
	free(out);
}

static const char *set_path(enum kact_target t, const char *name)
{
	static char path[200];
	snprintf(path, sizeof(path), "/apis/apps/v1/namespaces/" NS "/%s/%s",
		 kact_target_names(t)->resource, name);
	return path;
}

/* Until the set's controller has seen its last change, with revision: the
 * history's current revision (0: any). */
static long wait_set(enum kact_target t, const char *name, long revision)
{
	int64_t deadline = ploop_now_ms() + 60000;
	for (;;) {
		cJSON *s = act_get(1, set_path(t, name));
		double gen = cJSON_GetNumberValue(kact_at(s, "metadata", "generation", NULL));
		double seen =
		    cJSON_GetNumberValue(kact_at(s, "status", "observedGeneration", NULL));
		cJSON_Delete(s);
		long cur = 0;
		struct kact_revision *revs;
		size_t n;
		struct perr err = {0};
		if (seen >= gen && act_history_target(E.c[1], t, NS, name, &revs, &n, &err) == 0) {
			for (size_t i = 0; i < n; i++)
				if (revs[i].current)
					cur = revs[i].revision;
			kact_history_free(revs, n);
		}
		perr_clear(&err);
		if (cur && (!revision || cur == revision))
			return cur;
		ck_assert_msg(ploop_now_ms() < deadline, "%s: revision %ld not current", name,
			      revision);
		ploop_run_once(E.loop, 50);
	}
}

START_TEST(test_sts_wire)
{
	if (act_skip_kubectl("StatefulSet actions"))
		return;
	wait_set(KACT_TARGET_STS, "db", 1);
	struct kact_args a = {
	    .kind = KACT_SCALE, .target = KACT_TARGET_STS, .ns = NS, .object = "db", .input = "3"};
	same_wire(&a, "scale sts db --replicas=3");

	a.kind = KACT_PARTITION;
	a.input = "2";
	same_wire(&a, "patch sts db -p '{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":"
		      "{\"partition\":2}}}}'");
	a.input = "-1";
	same_wire(&a, "patch sts db -p '{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":"
		      "{\"partition\":1}}}}'");
	a.input = "4";
	same_refusal(&a,
		     "cannot set the partition of sts/db to \"4\": the partition cannot go beyond "
		     "the replicas (3 replicas)",
		     NULL);
	a.input = "-2";
	same_refusal(
	    &a,
	    "cannot set the partition of sts/db to \"-2\": the partition cannot go below 0 "
	    "(3 replicas)",
	    NULL);

	/* Read-only (on sim A): refused by the client, the set unchanged. */
	struct kact_plan p;
	struct perr err = {0};
	a.input = "1";
	kclient_set_readonly(E.ro, true);
	ck_assert_int_eq(act_plan(E.ro, &a, &p, &err), 0);
	struct kact_result res = {0};
	act_apply(E.ro, &p, "sim-readonly", &res);
	ck_assert(!res.ok);
	ck_assert_ptr_nonnull(strstr(res.line, "read-only"));
	kact_result_free(&res);
	kact_plan_free(&p);
	cJSON *sa = act_get(0, set_path(KACT_TARGET_STS, "db"));
	/* The server's default, never the 1 planned. */
	ck_assert(cJSON_GetNumberValue(kact_at(sa, "spec", "updateStrategy", "rollingUpdate",
					       "partition", NULL)) == 0);
	cJSON_Delete(sa);

	a = (struct kact_args){
	    .kind = KACT_RESTART, .target = KACT_TARGET_STS, .ns = NS, .object = "db"};
	a.now = time(NULL);
	same_wire(&a, "rollout restart sts/db");
	wait_set(KACT_TARGET_STS, "db", 2);

	struct kact_revision *revs;
	size_t n;
	ck_assert_int_eq(act_history_target(E.c[1], KACT_TARGET_STS, NS, "db", &revs, &n, &err), 0);
	ck_assert_int_eq(n, 2);
	ck_assert(!revs[0].current && revs[1].current);
	ck_assert_int_eq(revs[0].n_diff, 1);
	ck_assert_ptr_nonnull(strstr(revs[0].diff[0], "metadata.annotations.kubectl.kubernetes.io/"
						      "restartedAt: "));
	ck_assert_ptr_nonnull(strstr(revs[0].diff[0], " -> (none)"));
	kact_history_free(revs, n);

	a = (struct kact_args){
	    .kind = KACT_UNDO, .target = KACT_TARGET_STS, .ns = NS, .object = "db"};
	same_wire(&a, "rollout undo sts/db");
	wait_set(KACT_TARGET_STS, "db", 3);
	a.to_revision = 3;
	same_refusal(&a,
		     "statefulset.apps/db skipped rollback (current template already matches "
		     "revision 3)",
		     "rollout undo sts/db --to-revision=3");
	a.to_revision = 7;
	same_refusal(&a, "unable to find specified revision 7 in history",
		     "rollout undo sts/db --to-revision=7");
	a.to_revision = 2;
	same_wire(&a, "rollout undo sts/db --to-revision=2");

	/* A set's pod is deleted as any pod is. */
	a = (struct kact_args){.kind = KACT_DELETE_POD, .ns = NS, .object = "db-1"};
	same_wire(&a, "delete pod db-1 --wait=false");

	a = (struct kact_args){
	    .kind = KACT_PAUSE, .target = KACT_TARGET_STS, .ns = NS, .object = "db"};
	same_refusal(&a, "statefulsets.apps \"db\" pausing is not supported",
		     "rollout pause sts/db");
}
END_TEST

START_TEST(test_ds_wire)
{
	if (act_skip_kubectl("DaemonSet actions"))
		return;
	wait_set(KACT_TARGET_DS, "agent", 1);
	struct kact_args a = {
	    .kind = KACT_UNDO, .target = KACT_TARGET_DS, .ns = NS, .object = "agent"};
	same_refusal(&a, "no last revision to roll back to", "rollout undo ds/agent");
	a.to_revision = 1;
	same_refusal(&a,
		     "daemonset.apps/agent skipped rollback (current template already matches "
		     "revision 1)",
		     "rollout undo ds/agent --to-revision=1");

	a = (struct kact_args){
	    .kind = KACT_RESTART, .target = KACT_TARGET_DS, .ns = NS, .object = "agent"};
	a.now = time(NULL);
	same_wire(&a, "rollout restart ds/agent");
	wait_set(KACT_TARGET_DS, "agent", 2);
	a = (struct kact_args){
	    .kind = KACT_UNDO, .target = KACT_TARGET_DS, .ns = NS, .object = "agent"};
	same_wire(&a, "rollout undo ds/agent");

	a.kind = KACT_RESUME;
	same_refusal(&a, "daemonsets.apps \"agent\" resuming is not supported",
		     "rollout resume ds/agent");
	a.kind = KACT_SCALE;
	a.input = "2";
	same_refusal(&a, "scale: ds/agent runs one pod per node and has no replicas", NULL);
}
END_TEST

void act_same_wire(const struct kact_args *a, const char *kargs)
{
	same_wire(a, kargs);
}

void actions_sets_tcase(Suite *s)
{
	TCase *tc = tcase_create("sets-vs-kubectl");
	tcase_add_checked_fixture(tc, actenv_up, actenv_down);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_sts_wire);
	tcase_add_test(tc, test_ds_wire);
	suite_add_tcase(s, tc);
}
