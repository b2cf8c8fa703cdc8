#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "kubelet.h"
#include "procsim.h"
#include "simkubelet.h"
#include "simobj.h"
#include "store.h"
#include "test_sim_kubelet.h"
#include "testutil.h"

/* The kubelet on the simulated clock: the seed's pods, init order, probes,
 * back-off, hooks, image pulls and termination. */

START_TEST(test_completed_pod)
{
	tk_track("completed-pod-restart-never");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: completed-pod-restart-never\n"
		  "spec:\n  restartPolicy: Never\n  containers:\n"
		  "  - name: completed-pod-restart-never\n    image: busybox\n"
		  "    command: [\"sh\"]\n    args: [\"-c\", \"sleep 10 && exit 0\"]\n");
	TK_WAIT_STATUS("completed-pod-restart-never", "Completed", 60);
	const cJSON *p = tk_pod("completed-pod-restart-never");
	ck_assert_str_eq(tk_str(p, "status.phase"), "Succeeded");
	const cJSON *t = tj_get(p, "status.containerStatuses.0.state.terminated");
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq((int)tk_num(t, "exitCode"), 0);
	ck_assert_str_eq(tk_str(t, "reason"), "Completed");
	ck_assert_int_eq(tk_time(t, "finishedAt") - tk_time(t, "startedAt"), 10000);
	ck_assert_str_eq(tk_seen(), "Pending,ContainerCreating,Running,Completed");
	ck_assert_str_eq(tk_condition("completed-pod-restart-never", "Ready"), "False");
	ck_assert_int_eq(tk_events("completed-pod-restart-never", "Scheduled", "to sim-node-"), 1);
	ck_assert_int_eq(tk_events("completed-pod-restart-never", "Pulling", "busybox"), 1);
	ck_assert_int_eq(tk_events("completed-pod-restart-never", "Started", NULL), 1);
	/* and it stays that way: no restart */
	int64_t lim = tk_now() + 600000;
	while (tk_now() < lim)
		tk_step(lim);
	ck_assert_str_eq(tk_status("completed-pod-restart-never"), "Completed");
	ck_assert_int_eq((int)tk_num(tk_pod("completed-pod-restart-never"),
				  "status.containerStatuses.0.restartCount"),
			 0);
}
END_TEST

START_TEST(test_error_pod)
{
	tk_track("error-pod");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: error-pod\n"
		  "spec:\n  restartPolicy: Never\n  containers:\n"
		  "  - name: error-pod\n    image: busybox\n"
		  "    command: [\"sh\"]\n    args: [\"-c\", \"sleep 10 && exit 1\"]\n");
	TK_WAIT_STATUS("error-pod", "Error", 60);
	const cJSON *p = tk_pod("error-pod");
	ck_assert_str_eq(tk_str(p, "status.phase"), "Failed");
	ck_assert_int_eq((int)tk_num(p, "status.containerStatuses.0.state.terminated.exitCode"), 1);
	ck_assert_str_eq(tk_seen(), "Pending,ContainerCreating,Running,Error");
}
END_TEST

/* The Kubernetes docs' memory examples: over the limit, the OOM killer
 * (OOMKilled, 137) and then back-off; under it, the container runs. */
START_TEST(test_oom_killed)
{
	tk_track("memory-demo-2");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: memory-demo-2\n"
		  "spec:\n  containers:\n  - name: memory-demo-2-ctr\n    image: polinux/stress\n"
		  "    resources:\n      requests: {memory: 50Mi}\n      limits: {memory: 100Mi}\n"
		  "    command: [\"stress\"]\n"
		  "    args: [\"--vm\", \"1\", \"--vm-bytes\", \"250M\", \"--vm-hang\", \"1\"]\n");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: memory-demo\n"
		  "spec:\n  containers:\n  - name: memory-demo-ctr\n    image: polinux/stress\n"
		  "    resources:\n      limits: {memory: 200Mi}\n    command: [\"stress\"]\n"
		  "    args: [\"--vm\", \"1\", \"--vm-bytes\", \"150M\", \"--vm-hang\", \"1\"]\n");
	TK_WAIT_STATUS("memory-demo-2", "CrashLoopBackOff", 60);
	const cJSON *t =
	    tj_get(tk_pod("memory-demo-2"), "status.containerStatuses.0.lastState.terminated");
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(tk_str(t, "reason"), "OOMKilled");
	ck_assert_int_eq((int)tk_num(t, "exitCode"), 137);
	ck_assert(strstr(tk_seen(), "OOMKilled") != NULL);
	TK_WAIT_STATUS("memory-demo", "Running", 60);
	ck_assert_int_eq(
	    (int)tk_num(tk_pod("memory-demo"), "status.containerStatuses.0.restartCount"), 0);
}
END_TEST

START_TEST(test_init_waits_for_service)
{
	tk_track("init-container-usecase");
	tk_create(
	    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: init-container-usecase\nspec:\n"
	    "  containers:\n  - name: nginx\n    image: nginx\n  initContainers:\n"
	    "  - name: wait-other-service\n    image: busybox\n"
	    "    command: ['sh', '-c', 'until nslookup myservice; do echo waiting..; sleep 1; "
	    "done;']\n");
	TK_WAIT_STATUS("init-container-usecase", "Init:0/1", 30);
	/* it keeps waiting as long as there is no Service */
	int64_t lim = tk_now() + 120000;
	while (tk_now() < lim)
		tk_step(lim);
	ck_assert_str_eq(tk_status("init-container-usecase"), "Init:0/1");
	ck_assert_str_eq(tk_condition("init-container-usecase", "Initialized"), "False");
	ck_assert_str_eq(tk_str(tk_pod("init-container-usecase"), "status.phase"), "Pending");
	tk_create("apiVersion: v1\nkind: Service\nmetadata:\n  name: myservice\nspec:\n"
		  "  ports:\n  - port: 80\n");
	TK_WAIT_STATUS("init-container-usecase", "Running", 30);
	ck_assert_str_eq(tk_seen(), "Pending,Init:0/1,PodInitializing,Running");
	const cJSON *p = tk_pod("init-container-usecase");
	ck_assert_str_eq(tk_condition("init-container-usecase", "Initialized"), "True");
	ck_assert_str_eq(tk_condition("init-container-usecase", "Ready"), "True");
	ck_assert_int_eq((int)tk_num(p, "status.initContainerStatuses.0.state.terminated.exitCode"),
			 0);
	ck_assert(cJSON_IsTrue(tj_get(p, "status.initContainerStatuses.0.ready")));
	/* the init container ended at most a second (its sleep) after the Service came */
	ck_assert_int_le(
	    tk_time(p, "status.initContainerStatuses.0.state.terminated.finishedAt") - lim, 1000);
}
END_TEST

START_TEST(test_init_order)
{
	tk_track("two-inits");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: two-inits\nspec:\n"
		  "  initContainers:\n"
		  "  - {name: first, image: 'busybox:1.36', command: [sh, -c, 'sleep 5']}\n"
		  "  - {name: second, image: 'busybox:1.36', command: [sh, -c, 'sleep 3']}\n"
		  "  containers:\n  - {name: app, image: 'nginx:1.27'}\n");
	TK_WAIT_STATUS("two-inits", "Running", 60);
	ck_assert_str_eq(tk_seen(), "Pending,Init:0/2,Init:1/2,PodInitializing,Running");
	const cJSON *p = tk_pod("two-inits");
	int64_t f1 = tk_time(p, "status.initContainerStatuses.0.state.terminated.finishedAt");
	int64_t s2 = tk_time(p, "status.initContainerStatuses.1.state.terminated.startedAt");
	int64_t f2 = tk_time(p, "status.initContainerStatuses.1.state.terminated.finishedAt");
	int64_t s3 = tk_time(p, "status.containerStatuses.0.state.running.startedAt");
	ck_assert_int_gt(f1, 0);
	ck_assert_int_ge(s2, f1);
	ck_assert_int_eq(f2 - s2, 3000);
	ck_assert_int_ge(s3, f2);
	/* the second init container's image was already on the node */
	ck_assert_int_eq(tk_events("two-inits", "Pulled", "already present on machine"), 1);
}
END_TEST

/* restartCount -> the instance's termination, from every write of the pod */
static int64_t fin[32], sta[32];

static void record_terms(void *ud, const struct simevent *ev)
{
	(void)ud;
	if (ev->type == SIMEV_DELETED || strcmp(ev->obj->name, "crash") != 0)
		return;
	const cJSON *cs = tj_get(ev->obj->json, "status.containerStatuses.0");
	if (!cs)
		return;
	int rc = (int)tk_num(cs, "restartCount");
	const cJSON *t = tj_get(cs, "state.terminated");
	if (t && rc < 32) {
		sta[rc] = tk_time(t, "startedAt");
		fin[rc] = tk_time(t, "finishedAt");
	}
	/* lastState: the instance that just ended while waiting to restart, else the one before */
	t = tj_get(cs, "lastState.terminated");
	int li = tj_get(cs, "state.waiting") ? rc : rc - 1;
	if (t && li >= 0 && li < 32) {
		sta[li] = tk_time(t, "startedAt");
		fin[li] = tk_time(t, "finishedAt");
	}
	const cJSON *r = tj_get(cs, "state.running");
	if (r && rc < 32)
		sta[rc] = tk_time(r, "startedAt");
}

START_TEST(test_crashloop_backoff)
{
	memset(fin, 0, sizeof(fin));
	memset(sta, 0, sizeof(sta));
	tk_track("crash");
	simstore_listen(tk_sim.store, simres_find("", "v1", "pods"), record_terms, NULL);
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: crash\nspec:\n"
		  "  containers:\n  - {name: crash, image: busybox, command: [sh, -c, "
		  "'exit 1']}\n");
	int64_t lim = tk_now() + 1500 * 1000;
	bool saw_40 = false;
	while (tk_now() < lim) {
		tk_step(lim);
		const char *m =
		    tk_str(tk_pod("crash"), "status.containerStatuses.0.state.waiting.message");
		saw_40 |=
		    strstr(m,
			   "back-off 40s restarting failed container=crash pod=crash_default(") !=
		    NULL;
	}
	/* after the first immediate restart: 10, 20, 40, 80, 160, 300, 300 s */
	static const int want[] = {0, 10, 20, 40, 80, 160, 300, 300};
	for (int i = 0; i < 8; i++) {
		ck_assert_msg(fin[i] > 0 && sta[i + 1] > 0,
			      "restart %d never happened (%lld %lld) seen %s", i + 1,
			      (long long)fin[i], (long long)sta[i + 1], tk_seen());
		ck_assert_msg(sta[i + 1] - fin[i] == want[i] * 1000,
			      "restart %d came %lld ms after the exit, want %d s", i + 1,
			      (long long)(sta[i + 1] - fin[i]), want[i]);
	}
	ck_assert(saw_40);
	ck_assert_msg(
	    strstr(tk_seen(),
		   "Pending,ContainerCreating,Error,CrashLoopBackOff,Error,CrashLoopBackOff"),
	    "seen %s", tk_seen());
	ck_assert_int_ge(
	    tk_events("crash", "BackOff",
		      "Back-off restarting failed container crash in pod crash_default("),
	    7);
	ck_assert_msg(strcmp(tk_str(tk_pod("crash"), "status.phase"), "Running") == 0, "%s",
		      cJSON_Print(tj_get(tk_pod("crash"), "status")));
}
END_TEST

START_TEST(test_backoff_resets_after_10min)
{
	tk_track("late");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: late\n  annotations:\n"
		  "    sim.podscope.dev/crash-after: 11m\nspec:\n"
		  "  containers:\n  - {name: late, image: 'nginx:1.27'}\n");
	TK_WAIT_STATUS("late", "Running", 30);
	/* every crash comes after 11 minutes of running: the restart is always at once */
	int64_t lim = tk_now() + 40 * 60 * 1000;
	while (tk_now() < lim)
		tk_step(lim);
	const cJSON *cs = tj_get(tk_pod("late"), "status.containerStatuses.0");
	ck_assert_int_ge((int)tk_num(cs, "restartCount"), 3);
	ck_assert_int_eq(tk_time(cs, "state.running.startedAt"),
			 tk_time(cs, "lastState.terminated.finishedAt"));
	ck_assert_int_eq(tk_events("late", "BackOff", NULL), 0);
}
END_TEST

START_TEST(test_image_pull_backoff)
{
	tk_track("bad-image");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad-image\nspec:\n"
		  "  containers:\n  - {name: web, image: 'nginx:missing'}\n");
	TK_WAIT_STATUS("bad-image", "ErrImagePull", 30);
	TK_WAIT_STATUS("bad-image", "ImagePullBackOff", 5);
	const cJSON *w = tj_get(tk_pod("bad-image"), "status.containerStatuses.0.state.waiting");
	ck_assert_str_eq(tk_str(w, "message"), "Back-off pulling image \"nginx:missing\"");
	int64_t lim = tk_now() + 60000;
	while (tk_now() < lim)
		tk_step(lim);
	ck_assert_int_ge(tk_events("bad-image", "Failed", "Failed to pull image \"nginx:missing\""),
			 3);
	ck_assert_int_ge(tk_events("bad-image", "BackOff", "Back-off pulling image"), 3);
	ck_assert_ptr_nonnull(strstr(tk_seen(), "ErrImagePull,ImagePullBackOff,ErrImagePull"));
	/* the image appears: the next pull works */
	simregistry_set_missing(&tk_sim, "nginx:missing", false);
	TK_WAIT_STATUS("bad-image", "Running", 400);
	ck_assert(simregistry_is_missing(&tk_sim, "x/does-not-exist:1"));
	ck_assert(!simregistry_is_missing(&tk_sim, "nginx:1.27"));
}
END_TEST

/* What a container writes to /dev/termination-log reaches the status byte
 * for byte, cut as the kubelet cuts it (the last 4096 bytes). */
static const char *term_message(const char *name, const char *yaml_value)
{
	char *y = xasprintf("apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  annotations:\n"
			    "    sim.podscope.dev/crash-after: 1s\n"
			    "    sim.podscope.dev/termination-message: \"%s\"\nspec:\n"
			    "  restartPolicy: Never\n  containers:\n  - {name: app, image: 'nginx:1.27'}\n",
			    name, yaml_value);
	tk_create(y);
	free(y);
	TK_WAIT_STATUS(name, "Error", 60);
	const cJSON *m = tj_get(tk_pod(name), "status.containerStatuses.0.state.terminated.message");
	ck_assert_msg(cJSON_IsString(m), "no termination message on %s", name);
	return m->valuestring;
}

START_TEST(test_termination_message_bytes)
{
	/* OSC 0, OSC 52, OSC 8, CSI 2J, CSI 6n, CSI 21t, C1 CSI (U+009B), BS, CR, LF, DEL. */
	ck_assert_str_eq(term_message("esc", "\\e]0;title\\a\\e]52;c;Zm9v\\a\\e]8;;http://x\\e\\\\"
					     "link\\e]8;;\\e\\\\\\e[2J\\e[6n\\e[21t\\x9b1m\\b\\rX\\nY\\x7f"),
			 "\033]0;title\a\033]52;c;Zm9v\a\033]8;;http://x\033\\link\033]8;;\033\\"
			 "\033[2J\033[6n\033[21t\xc2\x9b"
			 "1m\b\rX\nY\x7f");
	/* 5000 bytes: the last 4096 are kept. */
	char *big = malloc(5001);
	for (int i = 0; i < 5000; i++)
		big[i] = i < 904 ? 'a' : 'b';
	big[5000] = '\0';
	const char *m = term_message("big", big);
	ck_assert_uint_eq(strlen(m), 4096);
	ck_assert_str_eq(m, big + 904);
	free(big);
	/* A cut through a UTF-8 sequence: its stray byte is U+FFFD, as Go writes it. */
	char *split = malloc(4098);
	memcpy(split, "\xc3\xa9", 2);
	memset(split + 2, 'c', 4095);
	split[4097] = '\0';
	m = term_message("split", split);
	ck_assert_uint_eq(strlen(m), 3 + 4095);
	ck_assert_mem_eq(m, "\xef\xbf\xbd" "ccc", 6);
	free(split);
}
END_TEST

START_TEST(test_termination)
{
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
		  "  containers:\n  - {name: web, image: 'nginx:1.27'}\n");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: sleeper\nspec:\n"
		  "  containers:\n  - {name: sleeper, image: busybox, command: [sleep, '3600']}\n");
	TK_WAIT_STATUS("web", "Running", 30);
	TK_WAIT_STATUS("sleeper", "Running", 30);
	tk_track("sleeper");
	const char *names[] = {"web", "sleeper"};
	int64_t t0 = tk_now();
	for (int i = 0; i < 2; i++) {
		cJSON *c = cJSON_Duplicate(tk_pod(names[i]), 1);
		char when[40];
		simclock_format(t0 + 30000, when, sizeof(when));
		simjson_set_string(simjson_object(c, "metadata"), "deletionTimestamp", when);
		simjson_set_number(simjson_object(c, "metadata"), "deletionGracePeriodSeconds", 30);
		ck_assert_int_eq(
		    simstore_update(tk_sim.store, simres_find("", "v1", "pods"), c, 0, NULL),
		    SIMSTORE_OK);
	}
	ck_assert_str_eq(tk_status("web"), "Terminating");
	/* nginx stops on SIGTERM at once */
	ck_assert(tk_wait(tk_gone, "web", 5));
	ck_assert_int_eq(tk_events("web", "Killing", "Stopping container web"), 1);
	/* sleep as PID 1 ignores SIGTERM: killed when the grace period ends */
	ck_assert(tk_wait(tk_gone, "sleeper", 20) == false);
	/* still 1/1 Terminating: a container is ready until it has stopped */
	ck_assert_str_eq(tk_condition("sleeper", "Ready"), "True");
	ck_assert(tk_wait(tk_gone, "sleeper", 15));
	ck_assert_int_ge(tk_now() - t0, 30000);
	ck_assert_str_eq(tk_seen(), "Terminating,Error,<deleted>");
}
END_TEST

START_TEST(test_scheduler_spreads)
{
	for (int i = 0; i < 6; i++) {
		char y[256];
		snprintf(y, sizeof(y),
			 "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p%d\nspec:\n"
			 "  containers:\n  - {name: c, image: 'nginx:1.27'}\n",
			 i);
		tk_create(y);
		tk_step(tk_now());
	}
	int per[4] = {0};
	for (int i = 0; i < 6; i++) {
		char n[8];
		snprintf(n, sizeof(n), "p%d", i);
		const char *node = tk_str(tk_pod(n), "spec.nodeName");
		ck_assert_int_eq(strncmp(node, "sim-node-", 9), 0);
		per[atoi(node + 9)]++;
		ck_assert_str_eq(tk_condition(n, "PodScheduled"), "True");
	}
	ck_assert_int_eq(per[1], 2);
	ck_assert_int_eq(per[2], 2);
	ck_assert_int_eq(per[3], 2);
	/* a pod no node fits */
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: nowhere\nspec:\n"
		  "  nodeSelector: {disk: ssd}\n  containers:\n  - {name: c, image: nginx}\n");
	tk_step(tk_now());
	ck_assert_str_eq(tk_condition("nowhere", "PodScheduled"), "False");
	ck_assert_int_eq(tk_events("nowhere", "FailedScheduling", "didn't match Pod's node"), 1);
	ck_assert_str_eq(tk_status("nowhere"), "Pending");
}
END_TEST

START_TEST(test_init_failure_never)
{
	tk_track("init-fails");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: init-fails\nspec:\n"
		  "  restartPolicy: Never\n  initContainers:\n"
		  "  - {name: check, image: 'busybox:1.36', command: [sh, -c, 'sleep 2; exit 3']}\n"
		  "  containers:\n  - {name: app, image: 'nginx:1.27'}\n");
	TK_WAIT_STATUS("init-fails", "Init:Error", 30);
	ck_assert_str_eq(tk_str(tk_pod("init-fails"), "status.phase"), "Failed");
	ck_assert_str_eq(
	    tk_str(tk_pod("init-fails"), "status.containerStatuses.0.state.waiting.reason"),
	    "PodInitializing");
	ck_assert_str_eq(tk_seen(), "Pending,Init:0/1,Init:Error");
}
END_TEST

START_TEST(test_annotations_on_failure)
{
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: flaky\n  annotations:\n"
		  "    sim.podscope.dev/crash-after: 20s\n    sim.podscope.dev/exit-code: '2'\n"
		  "    sim.podscope.dev/ready-after: 5s\nspec:\n  restartPolicy: OnFailure\n"
		  "  containers:\n  - {name: app, image: 'myorg/app:1'}\n");
	TK_WAIT_STATUS("flaky", "Running", 30);
	ck_assert_str_eq(tk_condition("flaky", "Ready"), "False");
	int64_t lim = tk_now() + 6000;
	while (tk_now() < lim)
		tk_step(lim);
	ck_assert_str_eq(tk_condition("flaky", "Ready"), "True");
	lim = tk_now() + 20000;
	while (tk_now() < lim &&
	       tk_num(tk_pod("flaky"), "status.containerStatuses.0.restartCount") < 1)
		tk_step(lim);
	const cJSON *cs = tj_get(tk_pod("flaky"), "status.containerStatuses.0");
	ck_assert_int_eq((int)tk_num(cs, "restartCount"), 1);
	ck_assert_int_eq((int)tk_num(cs, "lastState.terminated.exitCode"), 2);
	ck_assert_str_eq(tk_str(cs, "lastState.terminated.reason"), "Error");
}
END_TEST

START_TEST(test_frozen_pod)
{
	tk_track("snap");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: snap\n  annotations:\n"
		  "    sim.podscope.dev/frozen: 'true'\nspec:\n"
		  "  containers:\n  - {name: c, image: nginx}\nstatus:\n  phase: Pending\n");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: snap2\n  annotations:\n"
		  "    sim.podscope.dev/frozen: 'true'\nspec:\n  nodeName: sim-node-1\n"
		  "  containers:\n  - {name: c, image: nginx}\n");
	int64_t lim = tk_now() + 60000;
	while (tk_now() < lim)
		tk_step(lim);
	ck_assert_str_eq(tk_str(tk_pod("snap"), "spec.nodeName"), "");
	ck_assert_ptr_null(tj_get(tk_pod("snap2"), "status.containerStatuses"));
	ck_assert_str_eq(tk_seen(), "Pending");
}
END_TEST

START_TEST(test_set_image_on_pod)
{
	tk_track("retag");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: retag\nspec:\n"
		  "  containers:\n  - {name: web, image: 'nginx:missing'}\n");
	TK_WAIT_STATUS("retag", "ImagePullBackOff", 30);
	cJSON *c = cJSON_Duplicate(tk_pod("retag"), 1);
	simjson_set_string(cJSON_GetArrayItem(tj_get(c, "spec.containers"), 0), "image",
			   "nginx:1.27");
	ck_assert_int_eq(simstore_update(tk_sim.store, simres_find("", "v1", "pods"), c, 0, NULL),
			 SIMSTORE_OK);
	TK_WAIT_STATUS("retag", "Running", 10);
	/* and once more while it runs: the container is replaced */
	c = cJSON_Duplicate(tk_pod("retag"), 1);
	simjson_set_string(cJSON_GetArrayItem(tj_get(c, "spec.containers"), 0), "image",
			   "nginx:1.26");
	ck_assert_int_eq(simstore_update(tk_sim.store, simres_find("", "v1", "pods"), c, 0, NULL),
			 SIMSTORE_OK);
	int64_t lim = tk_now() + 30000;
	while (tk_now() < lim &&
	       tk_num(tk_pod("retag"), "status.containerStatuses.0.restartCount") < 1)
		tk_step(lim);
	ck_assert_int_eq(
	    tk_events("retag", "Killing", "Container web definition changed, will be restarted"),
	    1);
	ck_assert_str_eq(tk_str(tk_pod("retag"), "status.containerStatuses.0.image"),
			 "docker.io/library/nginx:1.26");
	ck_assert_str_eq(tk_status("retag"), "Running");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_kubelet");
	TCase *tc = tcase_create("kubelet");
	tcase_add_checked_fixture(tc, tk_setup, tk_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_completed_pod);
	tcase_add_test(tc, test_error_pod);
	tcase_add_test(tc, test_oom_killed);
	tcase_add_test(tc, test_init_waits_for_service);
	tcase_add_test(tc, test_init_order);
	tcase_add_test(tc, test_crashloop_backoff);
	tcase_add_test(tc, test_backoff_resets_after_10min);
	tcase_add_test(tc, test_image_pull_backoff);
	tcase_add_test(tc, test_termination);
	tcase_add_test(tc, test_termination_message_bytes);
	tcase_add_test(tc, test_scheduler_spreads);
	tcase_add_test(tc, test_init_failure_never);
	tcase_add_test(tc, test_annotations_on_failure);
	tcase_add_test(tc, test_frozen_pod);
	tcase_add_test(tc, test_set_image_on_pod);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tk_probe_tcase());
	suite_add_tcase(s, tk_procsim_tcase());
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
