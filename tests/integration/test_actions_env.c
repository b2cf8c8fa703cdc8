#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "podscope/client.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/simlaunch.h"
#include "podscope/xalloc.h"

#include "actions_int.h"
#include "test_actions.h"

struct actenv E;

/* Two Deployments and a Service between them, a StatefulSet and a
 * DaemonSet, nothing scripted. */
static const char scenario[] =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n"
    "  selector:\n    matchLabels:\n      app: web\n      track: blue\n"
    "  template:\n    metadata:\n      labels:\n        app: web\n        track: blue\n"
    "    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n"
    "      - name: side\n        image: busybox:1.36\n"
    "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-green\nspec:\n"
    "  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n      track: green\n"
    "  template:\n    metadata:\n      labels:\n        app: web\n        track: green\n"
    "    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n"
    "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n"
    "    app: web\n    track: blue\n  ports:\n  - port: 80\n    targetPort: 80\n"
    "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n"
    "  serviceName: db\n  replicas: 2\n  selector:\n    matchLabels:\n      app: db\n"
    "  template:\n    metadata:\n      labels:\n        app: db\n"
    "    spec:\n      containers:\n      - name: db\n        image: nginx:1.26\n"
    "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n"
    "  selector:\n    matchLabels:\n      app: agent\n"
    "  template:\n    metadata:\n      labels:\n        app: agent\n"
    "    spec:\n      containers:\n      - name: agent\n        image: busybox:1.36\n";

static struct kclient *client(int i, const char *context)
{
	struct kc_options opt = {0};
	opt.kubeconfig = simlaunch_kubeconfig(E.sim[i]);
	opt.context = context;
	struct perr err = {0};
	struct kc_conn *conn = kc_load(&opt, &err);
	ck_assert_msg(conn != NULL, "kc_load: %s", perr_msg(&err));
	struct kclient *c = kclient_new(E.loop, conn, &err);
	ck_assert_msg(c != NULL, "kclient_new: %s", perr_msg(&err));
	kc_conn_free(conn);
	return c;
}

void actenv_up(void)
{
	memset(&E, 0, sizeof(E));
	snprintf(E.dir, sizeof(E.dir), "/tmp/podscope-actions.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(E.dir));
	char *scen = xasprintf("%s/scenario.yaml", E.dir);
	FILE *f = fopen(scen, "w");
	ck_assert_ptr_nonnull(f);
	fputs(scenario, f);
	fclose(f);
	char *state = xasprintf("%s/state", E.dir);
	setenv("XDG_STATE_HOME", state, 1);
	free(state);
	const char *args[] = {"--tls", "--speed", "50", "--scenario", scen, NULL};
	struct simlaunch_opts o = {.args = args,
				   .wrapper = getenv("PODSCOPE_SIM_WRAPPER"),
				   .timeout_ms = 60000,
				   .keep_stderr = true};
	for (int i = 0; i < 2; i++) {
		struct perr err = {0};
		E.sim[i] = simlaunch_start(&o, &err);
		ck_assert_msg(E.sim[i] != NULL, "podscope-sim did not start: %s", perr_msg(&err));
	}
	free(scen);
	E.loop = ploop_new();
	E.c[0] = client(0, "sim-admin");
	E.c[1] = client(1, "sim-admin");
	E.ro = client(0, "sim-readonly");
	const char *k = getenv("KUBECTL");
	E.kubectl = k && *k && access(k, X_OK) == 0 ? k : NULL;
	act_wait_synced(0, "web");
	act_wait_synced(1, "web");
}

static void rm_tree(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
}

void actenv_down(void)
{
	kclient_free(E.ro);
	kclient_free(E.c[0]);
	kclient_free(E.c[1]);
	ploop_free(E.loop);
	simlaunch_stop(E.sim[0]);
	simlaunch_stop(E.sim[1]);
	rm_tree(E.dir);
	memset(&E, 0, sizeof(E));
}

struct got {
	bool done;
	int rc;
	cJSON *o;
	struct perr *err;
	const char *path;
};

static void on_got(void *ud, struct kresp *resp)
{
	struct got *g = ud;
	g->done = true;
	g->rc = kact_parse_answer(g->path, resp, &g->o, g->err);
}

int act_get_json(int i, const char *path, cJSON **out, struct perr *err)
{
	struct got g = {.path = path, .err = err};
	struct kreq_spec spec = {.method = "GET", .path = path};
	*out = NULL;
	if (!kclient_start(E.c[i], &spec, NULL, on_got, &g, err))
		return -1;
	int64_t deadline = ploop_now_ms() + 30000;
	while (!g.done) {
		ck_assert_msg(ploop_now_ms() < deadline, "GET %s: no answer in 30 s", path);
		ploop_run_once(E.loop, 50);
	}
	*out = g.o;
	return g.rc;
}

cJSON *act_get(int i, const char *path)
{
	cJSON *o = NULL;
	struct perr err = {0};
	int rc = act_get_json(i, path, &o, &err);
	ck_assert_msg(rc == 0, "GET %s: %s", path, perr_msg(&err));
	return o;
}

cJSON *act_deploy(int i, const char *name)
{
	char *path = kact_deploy_path("default", name);
	cJSON *d = act_get(i, path);
	free(path);
	return d;
}

static double num_at(const cJSON *o, const char *a, const char *b)
{
	const cJSON *n = kact_at(o, a, b, NULL);
	return cJSON_IsNumber(n) ? n->valuedouble : -1;
}

void act_wait_synced(int i, const char *name)
{
	int64_t deadline = ploop_now_ms() + 30000;
	for (;;) {
		cJSON *d = act_deploy(i, name);
		bool done = num_at(d, "status", "observedGeneration") >=
			    num_at(d, "metadata", "generation");
		cJSON_Delete(d);
		if (done)
			return;
		ck_assert_msg(ploop_now_ms() < deadline, "deploy/%s: no progress on sim %d", name,
			      i);
		ploop_run_once(E.loop, 20);
	}
}

bool act_skip_kubectl(const char *what)
{
	if (E.kubectl)
		return false;
	printf("SKIP: kubectl is not installed: %s is not compared with kubectl\n", what);
	fflush(stdout);
	return true;
}

int act_kubectl(char **out, const char *args)
{
	char *cmd = xasprintf("'%s' --kubeconfig '%s' --context sim-admin %s 2>&1", E.kubectl,
			      simlaunch_kubeconfig(E.sim[1]), args);
	FILE *p = popen(cmd, "r");
	ck_assert_msg(p != NULL, "cannot run kubectl");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&b, chunk, n);
	int st = pclose(p);
	free(cmd);
	*out = buf_steal(&b);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* One callback's answers, copied out of the call. */
struct answer {
	bool done;
	int rc;
	struct perr err;
	struct kact_plan *plan;
	struct kact_revision *revs;
	size_t n;
	struct kact_result res;
	bool allowed;
	char *reason;
};

/* perr_set keeps the message and kind; the HTTP status goes along too. */
static void copy_err(struct perr *dst, const struct perr *src)
{
	perr_set(dst, src->kind, "%s", perr_msg(src));
	if (dst)
		dst->http_status = src->http_status;
}

static void wait_answer(struct answer *a, const char *what)
{
	int64_t deadline = ploop_now_ms() + 30000;
	while (!a->done) {
		ck_assert_msg(ploop_now_ms() < deadline, "%s: no answer in 30 s", what);
		ploop_run_once(E.loop, 50);
	}
}

static void on_plan(void *ud, int rc, struct kact_plan *plan, const struct perr *err)
{
	struct answer *a = ud;
	a->done = true;
	a->rc = rc;
	a->plan = plan;
	if (rc != 0)
		copy_err(&a->err, err);
}

int act_plan(struct kclient *c, const struct kact_args *args, struct kact_plan *out,
	     struct perr *err)
{
	struct answer a = {0};
	memset(out, 0, sizeof(*out));
	perr_clear(err);
	if (!kact_plan_start(c, args, on_plan, &a, err))
		return -1;
	wait_answer(&a, kact_kind_name(args->kind));
	if (a.rc != 0) {
		copy_err(err, &a.err);
		perr_clear(&a.err);
		return -1;
	}
	*out = *a.plan;
	free(a.plan);
	return 0;
}

int act_plan_set_image(struct kclient *c, const char *ns, const char *deploy, const char *container,
		       const char *image, struct kact_plan *out, struct perr *err)
{
	struct kact_args a = {.kind = KACT_SET_IMAGE,
			      .ns = ns,
			      .object = deploy,
			      .container = container,
			      .image = image};
	return act_plan(c, &a, out, err);
}

int act_plan_restart(struct kclient *c, const char *ns, const char *deploy, time_t now,
		     struct kact_plan *out, struct perr *err)
{
	struct kact_args a = {.kind = KACT_RESTART, .ns = ns, .object = deploy, .now = now};
	return act_plan(c, &a, out, err);
}

int act_plan_undo(struct kclient *c, const char *ns, const char *deploy, long to_revision,
		  struct kact_plan *out, struct perr *err)
{
	struct kact_args a = {
	    .kind = KACT_UNDO, .ns = ns, .object = deploy, .to_revision = to_revision};
	return act_plan(c, &a, out, err);
}

int act_plan_pause(struct kclient *c, const char *ns, const char *deploy, struct kact_plan *out,
		   struct perr *err)
{
	struct kact_args a = {.kind = KACT_PAUSE, .ns = ns, .object = deploy};
	return act_plan(c, &a, out, err);
}

int act_plan_resume(struct kclient *c, const char *ns, const char *deploy, struct kact_plan *out,
		    struct perr *err)
{
	struct kact_args a = {.kind = KACT_RESUME, .ns = ns, .object = deploy};
	return act_plan(c, &a, out, err);
}

int act_plan_scale(struct kclient *c, const char *ns, const char *deploy, const char *input,
		   struct kact_plan *out, struct perr *err)
{
	struct kact_args a = {.kind = KACT_SCALE, .ns = ns, .object = deploy, .input = input};
	return act_plan(c, &a, out, err);
}

int act_plan_delete_pod(struct kclient *c, const char *ns, const char *pod, struct kact_plan *out,
			struct perr *err)
{
	struct kact_args a = {.kind = KACT_DELETE_POD, .ns = ns, .object = pod};
	return act_plan(c, &a, out, err);
}

int act_plan_switch_service(struct kclient *c, const char *ns, const char *svc, const char *deploy,
			    struct kact_plan *out, struct perr *err)
{
	struct kact_args a = {
	    .kind = KACT_SWITCH_SERVICE, .ns = ns, .object = svc, .deploy = deploy};
	return act_plan(c, &a, out, err);
}

static void on_history(void *ud, int rc, struct kact_revision *revs, size_t n,
		       const struct perr *err)
{
	struct answer *a = ud;
	a->done = true;
	a->rc = rc;
	a->revs = revs;
	a->n = n;
	if (rc != 0)
		copy_err(&a->err, err);
}

int act_history(struct kclient *c, const char *ns, const char *deploy, struct kact_revision **out,
		size_t *n, struct perr *err)
{
	return act_history_target(c, KACT_TARGET_DEPLOY, ns, deploy, out, n, err);
}

int act_history_target(struct kclient *c, enum kact_target t, const char *ns, const char *name,
		       struct kact_revision **out, size_t *n, struct perr *err)
{
	struct answer a = {0};
	*out = NULL;
	*n = 0;
	if (!kact_history_target_start(c, t, ns, name, on_history, &a, err))
		return -1;
	wait_answer(&a, "history");
	if (a.rc != 0) {
		copy_err(err, &a.err);
		perr_clear(&a.err);
		return -1;
	}
	*out = a.revs;
	*n = a.n;
	return 0;
}

static void on_applied(void *ud, const struct kact_result *res)
{
	struct answer *a = ud;
	a->done = true;
	a->res = *res;
	a->res.line = res->line ? xstrdup(res->line) : NULL;
	a->res.audit_err = res->audit_err ? xstrdup(res->audit_err) : NULL;
}

int act_apply(struct kclient *c, const struct kact_plan *p, const char *context,
	      struct kact_result *res)
{
	struct answer a = {0};
	if (kact_apply_start(c, p, context, on_applied, &a, res)) {
		wait_answer(&a, "apply");
		*res = a.res;
	}
	return res->ok ? 0 : -1;
}

static void on_access(void *ud, int rc, bool allowed, const char *reason, const struct perr *err)
{
	struct answer *a = ud;
	a->done = true;
	a->rc = rc;
	a->allowed = allowed;
	a->reason = reason ? xstrdup(reason) : NULL;
	if (rc != 0)
		copy_err(&a->err, err);
}

int act_access(struct kclient *c, const char *ns, bool *allowed, char **reason, struct perr *err)
{
	struct answer a = {0};
	struct actions_access acc = {0};
	*allowed = false;
	*reason = NULL;
	if (actions_access_start(&acc, c, ns, on_access, &a, err) != 0)
		return -1;
	wait_answer(&a, "access review");
	*allowed = a.allowed;
	*reason = a.reason;
	if (a.rc != 0) {
		copy_err(err, &a.err);
		perr_clear(&a.err);
	}
	return a.rc;
}

void act_apply_ok(struct kact_plan *p)
{
	struct kact_result res;
	int rc = act_apply(E.c[0], p, "sim-admin", &res);
	ck_assert_msg(rc == 0 && res.ok, "%s: %s", p->summary, res.line ? res.line : "?");
	ck_assert_str_eq(res.line, p->done_msg);
	ck_assert_msg(res.audit_err == NULL, "audit: %s", res.audit_err);
	kact_result_free(&res);
}

/* What kubectl and podscope must agree on; timestamps and causes aside. */
static cJSON *comparable(const cJSON *d)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *t = cJSON_Duplicate(kact_at(d, "spec", "template", NULL), true);
	cJSON *tmeta = kact_at(t, "metadata", NULL);
	cJSON_DeleteItemFromObjectCaseSensitive(kact_at(tmeta, "annotations", NULL),
						"kubectl.kubernetes.io/restartedAt");
	if (cJSON_GetArraySize(kact_at(tmeta, "annotations", NULL)) == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(tmeta, "annotations");
	/* kubectl's undo sends the typed template's "creationTimestamp": null. */
	if (cJSON_IsNull(kact_at(tmeta, "creationTimestamp", NULL)))
		cJSON_DeleteItemFromObjectCaseSensitive(tmeta, "creationTimestamp");
	cJSON_AddItemToObject(o, "template", t);
	cJSON *ann = cJSON_Duplicate(kact_at(d, "metadata", "annotations", NULL), true);
	if (!ann)
		ann = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(ann, KACT_CAUSE);
	cJSON_AddItemToObject(o, "annotations", ann);
	cJSON_AddBoolToObject(o, "paused", cJSON_IsTrue(kact_at(d, "spec", "paused", NULL)));
	cJSON_AddNumberToObject(o, "replicas", num_at(d, "spec", "replicas"));
	return o;
}

void act_compare_deploy(const char *name)
{
	act_wait_synced(0, name);
	act_wait_synced(1, name);
	cJSON *a = act_deploy(0, name), *b = act_deploy(1, name);
	cJSON *ca = comparable(a), *cb = comparable(b);
	char *sa = cJSON_PrintUnformatted(ca), *sb = cJSON_PrintUnformatted(cb);
	ck_assert_msg(cJSON_Compare(ca, cb, true), "deploy/%s differs:\npodscope: %s\nkubectl:  %s",
		      name, sa, sb);
	cJSON_free(sa);
	cJSON_free(sb);
	cJSON_Delete(ca);
	cJSON_Delete(cb);
	cJSON_Delete(a);
	cJSON_Delete(b);
}
