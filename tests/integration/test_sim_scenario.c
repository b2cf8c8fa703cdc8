#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "app.h"
#include "auth.h"
#include "clock.h"
#include "evloop.h"
#include "resources.h"
#include "scenario.h"
#include "scenario_int.h"
#include "simhttp.h"
#include "store.h"
#include "testutil.h"

/*
 * Scenarios: files and their errors (FILE:LINE:COLUMN, nothing stored), the
 * built-ins, timed steps on the simulated clock, the load generator, and the
 * control interface over HTTP.
 */

static char tmpdir[256];

static void mk_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/podscope-scen-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tmpdir(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *write_file(const char *name, const char *text)
{
	char *path = malloc(512);
	snprintf(path, 512, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* An in-process simulator with these scenarios and faults, speed 1. */
/* The next start_with's clock speed; it goes back to 1 once used. */
static double next_speed = 1.0;

static void start_with(const char **scen, size_t n, int load_d, int load_p)
{
	struct sim_config cfg;
	struct perr err = {0};
	simapp_defaults(&cfg);
	cfg.speed = next_speed;
	next_speed = 1.0;
	cfg.scenarios = scen;
	cfg.nscenarios = n;
	cfg.load_deployments = load_d;
	cfg.load_pods = load_p;
	ck_assert_msg(th_start_cfg(&cfg, &err) == 0, "%s", perr_msg(&err));
}

#define DEPLOY                                                                                     \
	"apiVersion: apps/v1\n"                                                                    \
	"kind: Deployment\n"                                                                       \
	"metadata:\n"                                                                              \
	"  name: web\n"                                                                            \
	"spec:\n"                                                                                  \
	"  replicas: 2\n"                                                                          \
	"  selector: {matchLabels: {app: web}}\n"                                                  \
	"  template:\n"                                                                            \
	"    metadata: {labels: {app: web}}\n"                                                     \
	"    spec:\n"                                                                              \
	"      containers:\n"                                                                      \
	"      - name: nginx\n"                                                                    \
	"        image: nginx:1.26\n"

/* Load text as a file into a fresh store-only simulator; the error message or NULL. */
static char *load_error(const char *text)
{
	struct sim sim;
	memset(&sim, 0, sizeof(sim));
	simapp_defaults(&sim.cfg);
	struct simstore_opts so = {0};
	sim.store = simstore_new(&so);
	sim.loop = evloop_new();
	simclock_init(&sim.clock, 1);
	simscen_seed(sim.store, 1);
	uint64_t rv = simstore_rv(sim.store);
	char *path = write_file("s.yaml", text);
	struct perr err = {0};
	char *msg = NULL;
	if (simscen_load(&sim, path, &err) != 0) {
		ck_assert_uint_eq(simstore_rv(sim.store), rv); /* nothing stored */
		const char *m = perr_msg(&err);
		ck_assert_msg(strncmp(m, path, strlen(path)) == 0, "no file name: %s", m);
		msg = strdup(m + strlen(path));
	}
	perr_clear(&err);
	free(path);
	simscen_stop(&sim);
	simstore_free(sim.store);
	evloop_free(sim.loop);
	return msg;
}

static void expect_error(const char *text, const char *where, const char *what)
{
	char *m = load_error(text);
	ck_assert_msg(m != NULL, "no error for:\n%s", text);
	ck_assert_msg(strncmp(m, where, strlen(where)) == 0, "want %s, got %s", where, m);
	ck_assert_msg(strstr(m, what) != NULL, "want \"%s\" in %s", what, m);
	free(m);
}

START_TEST(test_file_errors)
{
	mk_tmpdir();
	char *ok = load_error(DEPLOY "---\n"
				     "apiVersion: sim.podscope.dev/v1\n"
				     "kind: Scenario\n"
				     "steps:\n"
				     "- after: 20s\n"
				     "  action: scale\n"
				     "  target: deploy/web\n"
				     "  replicas: 3\n");
	ck_assert_msg(ok == NULL, "%s", ok);
	/* YAML syntax */
	expect_error("a: [1, 2\n", ":2:1:", "");
	/* an unknown action: its value */
	expect_error(DEPLOY "---\napiVersion: sim.podscope.dev/v1\nkind: Scenario\nsteps:\n"
			    "- after: 20s\n  action: explode\n",
		     ":19:11:", "unknown action \"explode\"");
	/* an unknown field: its key */
	expect_error("apiVersion: sim.podscope.dev/v1\nkind: Scenario\nsteps:\n"
		     "- action: scale\n  target: deploy/web\n  replicas: 2\n  replics: 3\n",
		     ":7:3:", "scale has no field \"replics\"");
	/* a bad duration */
	expect_error("apiVersion: sim.podscope.dev/v1\nkind: Scenario\nsteps:\n"
		     "- action: restart\n  target: deploy/web\n"
		     "- action: restart\n  target: deploy/web\n  after: soon\n",
		     ":8:10:", "step 2: after:");
	/* a target of the wrong kind, a missing field */
	expect_error("apiVersion: sim.podscope.dev/v1\nkind: Scenario\nsteps:\n"
		     "- action: exec\n  target: service/web\n  command: [ls]\n",
		     ":5:11:", "exec cannot be done to services");
	expect_error("apiVersion: sim.podscope.dev/v1\nkind: Scenario\nsteps:\n"
		     "- action: set-image\n  target: deploy/web\n",
		     ":4:3:", "set-image needs image");
	expect_error("apiVersion: sim.podscope.dev/v1\nkind: Scenario\nsteps:\n"
		     "- action: scale\n  target: deploy/web\n  replicas: -1\n",
		     ":6:13:", "replicas: a whole number");
	/* objects: an unserved kind, a missing name, two Scenario documents */
	expect_error(DEPLOY "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
			    "metadata: {name: j}\n",
		     ":16:7:", "does not serve networking.k8s.io/v1 Ingress");
	/* the API server's validation, at the field it names */
	expect_error("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
		     "  replicas: -1\n  selector: {matchLabels: {app: web}}\n  template:\n"
		     "    metadata: {labels: {app: web}}\n"
		     "    spec: {containers: [{name: c, image: nginx}]}\n",
		     ":5:13:", "Deployment.apps \"web\" is invalid: spec.replicas");
	expect_error("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n"
		     "  metadata: {name: p}\n  spec:\n    containers:\n    - name: c\n",
		     ":9:7:", "spec.containers[0].image: Required value");
	expect_error("apiVersion: v1\nkind: Pod\nmetadata: {labels: {a: b}}\n",
		     ":3:1:", "Pod without metadata.name");
	expect_error("apiVersion: sim.podscope.dev/v1\nkind: Scenario\n---\n"
		     "apiVersion: sim.podscope.dev/v1\nkind: Scenario\n",
		     ":4:1:", "a second Scenario document");
	expect_error("apiVersion: sim.podscope.dev/v2\nkind: Scenario\n",
		     ":1:13:", "sim.podscope.dev/v1");
	expect_error("apiVersion: sim.podscope.dev/v1\nkind: Scenario\nrepeat: true\n"
		     "steps:\n- action: restart\n  target: deploy/web\n",
		     ":3:9:", "repeat needs steps that take time");
	expect_error("apiVersion: sim.podscope.dev/v1\nkind: Scenario\nload: {deployments: 0}\n",
		     ":3:21:", "load.deployments");
	rm_tmpdir();
}
END_TEST

START_TEST(test_builtins_load)
{
	/* Every built-in loads into a fresh simulator (load kept small). */
	cJSON *list = simscen_list_json(&th_sim);
	const cJSON *b;
	int n = 0;
	cJSON_ArrayForEach(b, cJSON_GetObjectItem(list, "builtin"))
	{
		const char *name = cJSON_GetObjectItem(b, "name")->valuestring;
		ck_assert_msg(*cJSON_GetObjectItem(b, "description")->valuestring,
			      "%s has no description", name);
		const char *one[] = {name};
		start_with(one, 1, 3, 10);
		th_stop();
		n++;
	}
	cJSON_Delete(list);
	ck_assert_int_ge(n, 15);
	const char *none[] = {"no-such-scenario"};
	struct sim_config cfg;
	struct perr err = {0};
	simapp_defaults(&cfg);
	cfg.scenarios = none;
	cfg.nscenarios = 1;
	ck_assert_int_ne(th_start_cfg(&cfg, &err), 0);
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "built-in: bad-image, blue-green"));
	perr_clear(&err);
	th_stop();
}
END_TEST

/* The built-in file and doc/scenarios/ are the same text. */
START_TEST(test_builtins_are_the_files)
{
	const char *names[] = {"demo", "recreate", "stalled", "load"};
	for (int i = 0; i < 4; i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/doc/scenarios/%s.yaml", test_srcdir(), names[i]);
		char *text = test_slurp(path);
		ck_assert_msg(text != NULL, "%s", path);
		ck_assert_str_eq(simscen_builtin_yaml(names[i]), text);
		free(text);
	}
}
END_TEST

static const struct simres *deploys;

static const cJSON *dspec(void)
{
	struct simobj *o = simstore_get(th_sim.store, deploys, "default", "web");
	ck_assert_ptr_nonnull(o);
	return cJSON_GetObjectItem(o->json, "spec");
}

static int replicas(void)
{
	return cJSON_GetObjectItem(dspec(), "replicas")->valueint;
}

static const char *image(void)
{
	const cJSON *c = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(dspec(), "template"), "spec"),
		"containers"),
	    0);
	return cJSON_GetObjectItem(c, "image")->valuestring;
}

/* Step the simulated clock and let the due timers run. */
static void advance(int64_t ms)
{
	simclock_advance(&th_sim.clock, ms);
	simscen_poke(&th_sim);
	for (int i = 0; i < 5; i++)
		evloop_run_once(th_sim.loop, 0);
}

START_TEST(test_timed_steps)
{
	mk_tmpdir();
	char *path = write_file(
	    "t.yaml",
	    DEPLOY "---\n"
		   "apiVersion: sim.podscope.dev/v1\n"
		   "kind: Scenario\n"
		   "metadata: {name: timed}\n"
		   "repeat: true\n"
		   "steps:\n"
		   "- {after: 20s, action: scale, target: deploy/web, replicas: 5, once: true}\n"
		   "- {after: 10s, action: set-image, target: deploy/web, image: 'nginx:1.27',"
		   " cause: newer}\n"
		   "- {after: 1m, action: set-image, target: deploy/web, container: nginx,"
		   " image: 'nginx:1.26'}\n");
	const char *one[] = {path};
	/* The clock barely moves by itself (a real second is a simulated
	 * millisecond), so only advance() moves it: under valgrind the real
	 * seconds the test takes would otherwise carry it past a step. */
	next_speed = 0.001;
	start_with(one, 1, 0, 0);
	deploys = simres_find("apps", "v1", "deployments");
	ck_assert_int_eq(replicas(), 2);
	advance(19000);
	ck_assert_int_eq(replicas(), 2);
	advance(1000);
	ck_assert_int_eq(replicas(), 5);
	ck_assert_str_eq(image(), "nginx:1.26");
	advance(10000);
	ck_assert_str_eq(image(), "nginx:1.27");
	struct simobj *o = simstore_get(th_sim.store, deploys, "default", "web");
	ck_assert_str_eq(
	    cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(o->json, "metadata"), "annotations"),
		"kubernetes.io/change-cause")
		->valuestring,
	    "newer");
	advance(59000);
	ck_assert_str_eq(image(), "nginx:1.27");
	advance(1000);
	ck_assert_str_eq(image(), "nginx:1.26");
	/* The repeat skips the `once` scale: 10 s after the last step, a new image. */
	cJSON *c = simobj_copy(simstore_get(th_sim.store, deploys, "default", "web"));
	cJSON_SetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(c, "spec"), "replicas"), 1);
	ck_assert_int_eq(simstore_update(th_sim.store, deploys, c, 0, NULL), SIMSTORE_OK);
	advance(10000);
	ck_assert_str_eq(image(), "nginx:1.27");
	ck_assert_int_eq(replicas(), 1);
	cJSON *l = simscen_list_json(&th_sim);
	const cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(l, "running"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(run, "name")->valuestring, "timed");
	ck_assert_int_eq(cJSON_GetObjectItem(run, "stepsRun")->valueint, 4);
	cJSON_Delete(l);
	th_stop();
	free(path);
	rm_tmpdir();
}
END_TEST

START_TEST(test_load_generator)
{
	const char *one[] = {"load"};
	start_with(one, 1, 7, 45);
	const struct simres *pods = simres_find("", "v1", "pods");
	const struct simres *rs = simres_find("apps", "v1", "replicasets");
	deploys = simres_find("apps", "v1", "deployments");
	ck_assert_uint_eq(simstore_count(th_sim.store, deploys), 7);
	ck_assert_uint_eq(simstore_count(th_sim.store, rs), 7);
	ck_assert_uint_eq(simstore_count(th_sim.store, pods), 45);
	struct simsnap *s = simstore_snapshot(th_sim.store, pods);
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *st = cJSON_GetObjectItem(s->items[i]->json, "status");
		ck_assert_str_eq(cJSON_GetObjectItem(st, "phase")->valuestring, "Running");
		ck_assert_ptr_nonnull(cJSON_GetObjectItem(
		    cJSON_GetObjectItem(s->items[i]->json, "spec"), "nodeName"));
	}
	simsnap_unref(s);
	/* 45 over 7: the first three get 7, the others 6. */
	struct simobj *d1 = simstore_get(th_sim.store, deploys, "load-1", "load-00001");
	struct simobj *d7 = simstore_get(th_sim.store, deploys, "load-1", "load-00007");
	ck_assert_int_eq(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(d1->json, "status"), "readyReplicas")->valueint,
	    7);
	ck_assert_int_eq(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(d7->json, "spec"), "replicas")->valueint, 6);
	th_stop();
}
END_TEST

/* --- the control interface ------------------------------------------------ */

static long post(const char *path, const char *body, const char *token, struct buf *out)
{
	struct th_req *r = th_do("POST", path, NULL, body, token);
	long st = r->status;
	if (out) {
		buf_reset(out);
		if (r->body.data)
			buf_adds(out, r->body.data);
	}
	th_free(r);
	return st;
}

START_TEST(test_control)
{
	mk_tmpdir();
	char *path = write_file("d.yaml", DEPLOY);
	const char *one[] = {path};
	start_with(one, 1, 0, 0);
	deploys = simres_find("apps", "v1", "deployments");
	struct buf b = BUF_INIT;
	const char *ro = simauth_token(th_sim.auth, SIMUSER_READONLY);

	/* one step, then several, for sim-admin */
	ck_assert_int_eq(post("/podscope-sim/v1/actions",
			      "{\"action\":\"scale\",\"target\":\"deployment/web\",\"replicas\":4}",
			      NULL, &b),
			 200);
	ck_assert_ptr_nonnull(strstr(b.data, "\"status\":\"Success\""));
	ck_assert_int_eq(replicas(), 4);
	ck_assert_int_eq(
	    post("/podscope-sim/v1/actions",
		 "{\"steps\":[{\"action\":\"set-image\",\"target\":\"deploy/web\",\"image\":"
		 "\"nginx:1.27\"},{\"action\":\"pause\",\"target\":\"deploy/web\"},"
		 "{\"action\":\"scale\",\"target\":\"deploy/"
		 "web\",\"replicas\":1,\"after\":\"30s\"}]}",
		 NULL, &b),
	    200);
	ck_assert_str_eq(image(), "nginx:1.27");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(dspec(), "paused")));
	ck_assert_int_eq(replicas(), 4);
	advance(30000);
	ck_assert_int_eq(replicas(), 1);
	ck_assert_int_eq(post("/podscope-sim/v1/actions",
			      "{\"action\":\"resume\",\"target\":\"deploy/web\"}", NULL, &b),
			 200);
	ck_assert(!cJSON_IsTrue(cJSON_GetObjectItem(dspec(), "paused")));
	ck_assert_int_eq(
	    post("/podscope-sim/v1/actions",
		 "{\"action\":\"create\",\"namespace\":\"shop\",\"object\":{\"apiVersion\":\"v1\","
		 "\"kind\":\"Service\",\"metadata\":{\"name\":\"svc\"},\"spec\":{\"selector\":"
		 "{\"app\":\"web\"},\"ports\":[{\"port\":80}]}}}",
		 NULL, &b),
	    200);
	ck_assert_int_eq(
	    post("/podscope-sim/v1/actions",
		 "{\"action\":\"switch-selector\",\"target\":\"svc/svc\",\"namespace\":\"shop\","
		 "\"selector\":{\"app\":\"green\"}}",
		 NULL, &b),
	    200);
	struct simobj *svc =
	    simstore_get(th_sim.store, simres_find("", "v1", "services"), "shop", "svc");
	ck_assert_ptr_nonnull(svc);
	char *sel = cJSON_PrintUnformatted(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(svc->json, "spec"), "selector"));
	ck_assert_str_eq(sel, "{\"app\":\"green\"}");
	free(sel);

	/* errors: a bad step (400), no such object (404), an invalid change (422) */
	ck_assert_int_eq(post("/podscope-sim/v1/actions", "{\"action\":\"fly\"}", NULL, &b), 400);
	ck_assert_ptr_nonnull(strstr(b.data, "unknown action"));
	ck_assert_int_eq(post("/podscope-sim/v1/actions", "not json", NULL, &b), 400);
	ck_assert_int_eq(post("/podscope-sim/v1/actions",
			      "{\"action\":\"restart\",\"target\":\"deploy/nope\"}", NULL, &b),
			 404);
	ck_assert_ptr_nonnull(strstr(b.data, "deployments.apps \\\"nope\\\" not found"));
	ck_assert_int_eq(post("/podscope-sim/v1/actions",
			      "{\"action\":\"patch\",\"target\":\"deploy/web\",\"type\":\"merge\","
			      "\"patch\":{\"spec\":{\"replicas\":-3}}}",
			      NULL, &b),
			 422);
	ck_assert_int_eq(replicas(), 1);

	/* sim-readonly may look but not act; no credentials: 401 */
	ck_assert_int_eq(post("/podscope-sim/v1/actions",
			      "{\"action\":\"scale\",\"target\":\"deploy/web\",\"replicas\":9}", ro,
			      &b),
			 403);
	ck_assert_ptr_nonnull(strstr(b.data, "User \\\"sim-readonly\\\" cannot create"));
	ck_assert_int_eq(replicas(), 1);
	ck_assert_int_eq(post("/podscope-sim/v1/scenarios", "{\"name\":\"crashloop\"}", ro, &b),
			 403);
	ck_assert_int_eq(post("/podscope-sim/v1/actions", "{}", "bad-token", &b), 401);
	struct th_req *r = th_do("GET", "/podscope-sim/v1/scenarios", NULL, NULL, ro);
	ck_assert_int_eq(r->status, 200);
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"name\":\"rolling-update\""));
	th_free(r);
	r = th_do("DELETE", "/podscope-sim/v1/actions", NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 405);
	th_free(r);
	r = th_do("GET", "/podscope-sim/v1/nothing", NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 404);
	th_free(r);

	/* a built-in scenario loaded at run time */
	ck_assert_int_eq(post("/podscope-sim/v1/scenarios", "{\"name\":\"blue-green\"}", NULL, &b),
			 200);
	ck_assert_ptr_nonnull(simstore_get(th_sim.store, deploys, "default", "web-green"));
	ck_assert_int_eq(post("/podscope-sim/v1/scenarios", "{\"name\":\"blue-green\"}", NULL, &b),
			 409);
	ck_assert_int_eq(post("/podscope-sim/v1/scenarios", "{\"name\":\"/etc/passwd\"}", NULL, &b),
			 400);
	buf_free(&b);
	th_stop();
	free(path);
	rm_tmpdir();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_scenario");
	TCase *tc = tcase_create("scenarios");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_file_errors);
	tcase_add_test(tc, test_builtins_load);
	tcase_add_test(tc, test_builtins_are_the_files);
	tcase_add_test(tc, test_timed_steps);
	tcase_add_test(tc, test_load_generator);
	tcase_add_test(tc, test_control);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_ALL);
	int rc = test_run_suite(suite());
	curl_global_cleanup();
	return rc;
}
