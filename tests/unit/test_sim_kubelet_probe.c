#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "kubelet.h"
#include "procsim.h"
#include "simkubelet.h"
#include "simobj.h"
#include "store.h"
#include "test_sim_kubelet.h"

/* Probes, hooks and the command interpreter. */

static const char *readiness_pod =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: readinessprobe-pod\n  labels:\n"
    "    my-readinessprobe: test\nspec:\n  containers:\n  - name: readinessprobe-pod\n"
    "    image: nginx\n    readinessProbe:\n      httpGet:\n        port: 80\n        path: /\n";

START_TEST(test_readiness_threshold)
{
	tk_create(readiness_pod);
	TK_WAIT_STATUS("readinessprobe-pod", "Running", 30);
	ck_assert_str_eq(tk_condition("readinessprobe-pod", "Ready"), "True");
	struct perr err = {0};
	const char *rm[] = {"rm", "/usr/share/nginx/html/index.html", NULL};
	int64_t t0 = tk_now();
	ck_assert_int_eq(kubelet_exec(&tk_sim, "default", "readinessprobe-pod", NULL, rm, &err), 0);
	/* two failures are not enough (failureThreshold 3, every 10 s) */
	int64_t lim = t0 + 40000;
	while (tk_now() < lim && tk_events("readinessprobe-pod", "Unhealthy", NULL) < 2)
		tk_step(lim);
	ck_assert_int_eq(tk_events("readinessprobe-pod", "Unhealthy", NULL), 2);
	ck_assert_str_eq(tk_condition("readinessprobe-pod", "Ready"), "True");
	int64_t t2 = tk_now();
	while (tk_now() < lim && tk_events("readinessprobe-pod", "Unhealthy", NULL) < 3)
		tk_step(lim);
	ck_assert_int_eq(tk_now() - t2, 10000);
	ck_assert_int_le(tk_now() - t0, 30000);
	ck_assert_str_eq(tk_condition("readinessprobe-pod", "Ready"), "False");
	ck_assert_int_eq(
	    tk_events("readinessprobe-pod", "Unhealthy",
		      "Readiness probe failed: HTTP probe failed with statuscode: 404"),
	    3);
	ck_assert_str_eq(tk_status("readinessprobe-pod"), "Running");
	const cJSON *p = tk_pod("readinessprobe-pod");
	ck_assert(cJSON_IsFalse(tj_get(p, "status.containerStatuses.0.ready")));
	ck_assert_int_eq((int)tk_num(p, "status.containerStatuses.0.restartCount"), 0);
	/* back: one success is enough */
	const char *touch[] = {"touch", "/usr/share/nginx/html/index.html", NULL};
	ck_assert_int_eq(kubelet_exec(&tk_sim, "default", "readinessprobe-pod", NULL, touch, &err),
			 0);
	lim = tk_now() + 11000;
	while (tk_now() < lim && strcmp(tk_condition("readinessprobe-pod", "Ready"), "False") == 0)
		tk_step(lim);
	ck_assert_str_eq(tk_condition("readinessprobe-pod", "Ready"), "True");
	/* a broken probe, then healed */
	ck_assert_int_eq(kubelet_set_probe(&tk_sim, "default", "readinessprobe-pod", NULL,
					   "readiness", true, &err),
			 0);
	ck_assert_int_eq(kubelet_set_probe(&tk_sim, "default", "readinessprobe-pod", NULL,
					   "liveness", true, &err),
			 -1);
	perr_clear(&err);
	lim = tk_now() + 31000;
	while (tk_now() < lim && strcmp(tk_condition("readinessprobe-pod", "Ready"), "True") == 0)
		tk_step(lim);
	ck_assert_str_eq(tk_condition("readinessprobe-pod", "Ready"), "False");
}
END_TEST

START_TEST(test_liveness_restart)
{
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: livenessprobe-pod\nspec:\n"
		  "  containers:\n  - name: livenessprobe-pod\n    image: nginx\n"
		  "    livenessProbe:\n      httpGet:\n        port: 80\n        path: /\n");
	TK_WAIT_STATUS("livenessprobe-pod", "Running", 30);
	struct perr err = {0};
	const char *rm[] = {"rm", "/usr/share/nginx/html/index.html", NULL};
	ck_assert_int_eq(kubelet_exec(&tk_sim, "default", "livenessprobe-pod", NULL, rm, &err), 0);
	int64_t lim = tk_now() + 60000;
	while (tk_now() < lim &&
	       tk_num(tk_pod("livenessprobe-pod"), "status.containerStatuses.0.restartCount") < 1)
		tk_step(lim);
	const cJSON *cs = tj_get(tk_pod("livenessprobe-pod"), "status.containerStatuses.0");
	ck_assert_int_eq((int)tk_num(cs, "restartCount"), 1);
	ck_assert_int_eq(
	    tk_events("livenessprobe-pod", "Killing",
		      "Container livenessprobe-pod failed liveness probe, will be restarted"),
	    1);
	ck_assert_int_eq(tk_events("livenessprobe-pod", "Unhealthy",
				   "Liveness probe failed: HTTP probe failed with statuscode: 404"),
			 3);
	ck_assert_str_eq(tk_str(cs, "lastState.terminated.reason"), "Completed");
	/* the new container has a fresh filesystem: it stays up */
	lim = tk_now() + 300000;
	while (tk_now() < lim)
		tk_step(lim);
	cs = tj_get(tk_pod("livenessprobe-pod"), "status.containerStatuses.0");
	ck_assert_int_eq((int)tk_num(cs, "restartCount"), 1);
	ck_assert_ptr_nonnull(tj_get(cs, "state.running"));
	ck_assert_str_eq(tk_status("livenessprobe-pod"), "Running");
}
END_TEST

START_TEST(test_poststart)
{
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: poststart-hook\nspec:\n"
		  "  containers:\n  - name: poststart-hook\n    image: nginx\n    lifecycle:\n"
		  "      postStart:\n        exec:\n          command: [\"sh\", \"-c\", \"touch "
		  "/myfile\"]\n");
	TK_WAIT_STATUS("poststart-hook", "Running", 30);
	struct perr err = {0};
	const char *cat[] = {"cat", "/myfile", NULL};
	ck_assert_int_eq(kubelet_exec(&tk_sim, "default", "poststart-hook", NULL, cat, &err), 0);
	const char *cat2[] = {"cat", "/otherfile", NULL};
	ck_assert_int_eq(kubelet_exec(&tk_sim, "default", "poststart-hook", NULL, cat2, &err), 1);
	ck_assert_int_eq(tk_events("poststart-hook", "FailedPostStartHook", NULL), 0);
}
END_TEST

START_TEST(test_poststart_failure)
{
	tk_track("bad-hook");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad-hook\nspec:\n"
		  "  containers:\n  - name: bad-hook\n    image: nginx\n    lifecycle:\n"
		  "      postStart:\n        exec:\n          command: [\"sh\", \"-c\", \"exit "
		  "1\"]\n");
	int64_t lim = tk_now() + 120000;
	while (tk_now() < lim)
		tk_step(lim);
	const cJSON *cs = tj_get(tk_pod("bad-hook"), "status.containerStatuses.0");
	ck_assert_int_ge((int)tk_num(cs, "restartCount"), 2);
	ck_assert_int_ge(tk_events("bad-hook", "FailedPostStartHook", "PostStartHook failed"), 2);
	ck_assert_int_ge(tk_events("bad-hook", "Killing", "FailedPostStartHook"), 2);
	/* never reported running */
	ck_assert_ptr_null(strstr(tk_seen(), "Running"));
	ck_assert_ptr_nonnull(strstr(tk_seen(), "PostStartHookError"));
	ck_assert_ptr_nonnull(strstr(tk_seen(), "CrashLoopBackOff"));
}
END_TEST
START_TEST(test_startup_probe_and_sidecar)
{
	tk_track("side");
	tk_create(
	    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: side\n  annotations:\n"
	    "    sim.podscope.dev/startup-duration.proxy: 25s\nspec:\n"
	    "  initContainers:\n  - name: proxy\n    image: 'envoy:1'\n    restartPolicy: Always\n"
	    "    startupProbe: {tcpSocket: {port: 9901}, periodSeconds: 5, failureThreshold: 10}\n"
	    "  containers:\n  - {name: app, image: 'nginx:1.27'}\n");
	TK_WAIT_STATUS("side", "Running", 120);
	const cJSON *p = tk_pod("side");
	int64_t proxy = tk_time(p, "status.initContainerStatuses.0.state.running.startedAt");
	int64_t app = tk_time(p, "status.containerStatuses.0.state.running.startedAt");
	ck_assert_int_ge(app - proxy, 25000);
	ck_assert_int_lt(app - proxy, 35000);
	ck_assert(cJSON_IsTrue(tj_get(p, "status.containerStatuses.0.ready")));
	ck_assert_int_ge(tk_events("side", "Unhealthy", "Startup probe failed"), 4);
	/* READY counts the sidecar */
	TK_WAIT_STATUS("side", "Running", 10);
}
END_TEST

START_TEST(test_exec_liveness_from_script)
{
	/* the Kubernetes docs' liveness-exec example */
	tk_create(
	    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: liveness-exec\nspec:\n"
	    "  containers:\n  - name: liveness\n    image: registry.k8s.io/busybox\n"
	    "    args: [/bin/sh, -c, 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep "
	    "600']\n    livenessProbe:\n      exec: {command: [cat, /tmp/healthy]}\n"
	    "      initialDelaySeconds: 5\n      periodSeconds: 5\n");
	TK_WAIT_STATUS("liveness-exec", "Running", 30);
	int64_t start =
	    tk_time(tk_pod("liveness-exec"), "status.containerStatuses.0.state.running.startedAt");
	int64_t lim = tk_now() + 120000;
	while (tk_now() < lim &&
	       tk_num(tk_pod("liveness-exec"), "status.containerStatuses.0.restartCount") < 1)
		tk_step(lim);
	const cJSON *cs = tj_get(tk_pod("liveness-exec"), "status.containerStatuses.0");
	ck_assert_int_eq((int)tk_num(cs, "restartCount"), 1);
	ck_assert_int_eq(
	    tk_events("liveness-exec", "Unhealthy",
		      "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or "
		      "directory"),
	    3);
	/* the file goes at 30 s; the probe fails at 30, 35 and 40 s: killed then (sh
	 * ignores SIGTERM: the grace period later it is killed, exit 137) */
	ck_assert_int_eq(tk_time(cs, "lastState.terminated.finishedAt") - start, 70000);
	ck_assert_int_eq((int)tk_num(cs, "lastState.terminated.exitCode"), 137);
}
END_TEST
/* --- procsim alone ---------------------------------------------------------- */

static bool svc_up;
static bool resolves(void *ud, const char *name)
{
	(void)ud;
	return svc_up && strcmp(name, "myservice") == 0;
}

START_TEST(test_procsim_script)
{
	const char *argv[] = {"sh", "-c",
			      "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600", NULL};
	struct procfs *fs = procfs_new();
	struct procsim_world w = {resolves, NULL};
	struct procsim *p = procsim_start(argv, 3, procimage_find("busybox"), 1000);
	procsim_run(p, 1000, fs, &w);
	ck_assert(procfs_exists(fs, "/tmp/healthy"));
	ck_assert_int_eq(procsim_wake(p), 31000);
	procsim_run(p, 31000, fs, &w);
	ck_assert(!procfs_exists(fs, "/tmp/healthy"));
	ck_assert_int_eq(procsim_wake(p), 631000);
	procsim_run(p, 700000, fs, &w);
	ck_assert(procsim_exited(p));
	ck_assert_int_eq(procsim_exit_at(p), 631000);
	ck_assert_int_eq(procsim_exit_code(p), 0);
	procsim_free(p);

	const char *until[] = {
	    "sh", "-c", "until nslookup myservice; do echo waiting..; sleep 2; done; exit 3", NULL};
	svc_up = false;
	p = procsim_start(until, 3, procimage_find("busybox"), 0);
	procsim_run(p, 10000, fs, &w);
	ck_assert(!procsim_exited(p));
	svc_up = true;
	procsim_run(p, 11000, fs, &w);
	ck_assert(!procsim_exited(p));
	procsim_run(p, 12000, fs, &w);
	ck_assert(procsim_exited(p));
	ck_assert_int_eq(procsim_exit_code(p), 3);
	ck_assert_int_eq(procsim_exit_at(p), 12000);
	procsim_free(p);

	int64_t dur;
	char out[256];
	const char *cat[] = {"cat", "/tmp/healthy", NULL};
	ck_assert_int_eq(procsim_exec(cat, 2, fs, &w, 1000, &dur, out, sizeof(out)), 1);
	ck_assert_str_eq(out, "cat: can't open '/tmp/healthy': No such file or directory\n");
	const char *ifs[] = {"sh", "-c",
			     "if [ -f /x ]; then exit 4; else echo ok > /x && exit 5; fi", NULL};
	ck_assert_int_eq(procsim_exec(ifs, 3, fs, &w, 1000, &dur, out, sizeof(out)), 5);
	ck_assert_int_eq(procsim_exec(ifs, 3, fs, &w, 1000, &dur, out, sizeof(out)), 4);
	const char *loop[] = {"sh", "-c", "while true; do sleep 1; done", NULL};
	ck_assert_int_eq(procsim_exec(loop, 3, fs, &w, 5000, &dur, out, sizeof(out)), 137);
	ck_assert_int_eq(dur, 5000);
	const char *forl[] = {"sh", "-c", "for i in 1 2 3; do sleep 1; done || exit 9", NULL};
	ck_assert_int_eq(procsim_exec(forl, 3, fs, &w, 9000, &dur, out, sizeof(out)), 0);
	ck_assert_int_eq(dur, 3000);
	procfs_free(fs);

	size_t argc;
	char **v =
	    procsim_argv(NULL, 0, NULL, 0, procimage_find("docker.io/library/nginx:1.27"), &argc);
	ck_assert_int_eq((int)argc, 3);
	ck_assert_str_eq(v[0], "nginx");
	procsim_argv_free(v);
}
END_TEST

START_TEST(test_prestop_counts_against_grace)
{
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: drain\nspec:\n"
		  "  terminationGracePeriodSeconds: 10\n  containers:\n  - name: web\n"
		  "    image: 'nginx:1.27'\n    lifecycle:\n      preStop:\n"
		  "        exec: {command: [sh, -c, 'sleep 4']}\n");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: slowdrain\nspec:\n"
		  "  terminationGracePeriodSeconds: 10\n  containers:\n  - name: app\n"
		  "    image: busybox\n    command: [sleep, '3600']\n    lifecycle:\n"
		  "      preStop:\n        sleep: {seconds: 9}\n");
	TK_WAIT_STATUS("drain", "Running", 30);
	TK_WAIT_STATUS("slowdrain", "Running", 30);
	int64_t t0 = tk_now();
	const char *names[] = {"drain", "slowdrain"};
	for (int i = 0; i < 2; i++) {
		cJSON *c = cJSON_Duplicate(tk_pod(names[i]), 1);
		simjson_set_string(simjson_object(c, "metadata"), "deletionTimestamp",
				   "2030-01-01T00:00:00Z");
		simjson_set_number(simjson_object(c, "metadata"), "deletionGracePeriodSeconds", 10);
		ck_assert_int_eq(
		    simstore_update(tk_sim.store, simres_find("", "v1", "pods"), c, 0, NULL),
		    SIMSTORE_OK);
	}
	/* nginx: its 4 s preStop, then SIGTERM, and it is gone */
	int64_t lim = t0 + 20000;
	while (tk_now() < lim && tk_pod("drain"))
		tk_step(lim);
	ck_assert_ptr_null(tk_pod("drain"));
	ck_assert_int_ge(tk_now() - t0, 4000);
	ck_assert_int_lt(tk_now() - t0, 5000);
	/* sleep as PID 1: 9 s of preStop leave 1 s, raised to the 2 s minimum: 11 s */
	while (tk_now() < lim && tk_pod("slowdrain"))
		tk_step(lim);
	ck_assert_ptr_null(tk_pod("slowdrain"));
	ck_assert_int_eq(tk_now() - t0, 11000);
}
END_TEST

TCase *tk_probe_tcase(void)
{
	TCase *tc = tcase_create("probes");
	tcase_add_checked_fixture(tc, tk_setup, tk_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_readiness_threshold);
	tcase_add_test(tc, test_liveness_restart);
	tcase_add_test(tc, test_poststart);
	tcase_add_test(tc, test_poststart_failure);
	tcase_add_test(tc, test_startup_probe_and_sidecar);
	tcase_add_test(tc, test_exec_liveness_from_script);
	tcase_add_test(tc, test_prestop_counts_against_grace);
	return tc;
}

TCase *tk_procsim_tcase(void)
{
	TCase *tc = tcase_create("procsim");
	tcase_add_test(tc, test_procsim_script);
	return tc;
}
