#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/model.h"
#include "podscope/pod_status.h"

#include "clock.h"
#include "kubelet.h"
#include "poddelete.h"
#include "podcols.h"
#include "resources.h"
#include "simkubelet.h"
#include "simobj.h"
#include "store.h"
#include "testutil.h"

/*
 * The pod features of Kubernetes 1.29-1.33 on podscope-sim's scheduler and
 * kubelet, in-process on the stepped clock (tests/lib/simkubelet.h): native
 * sidecars, schedulingGates, readinessGates and PodReadyToStartContainers.
 * READY and STATUS are the sim's own printPod (podcols.c), the oracle kubectl
 * prints.
 */

static struct podcols cols(const char *name)
{
	struct podcols pc;
	const cJSON *p = tk_pod(name);
	ck_assert_ptr_nonnull(p);
	simpod_columns(p, (time_t)(tk_now() / 1000), &pc);
	return pc;
}

static const char *want_ready;
static bool ready_is(const char *name)
{
	return tk_pod(name) && strcmp(cols(name).ready, want_ready) == 0;
}

static const cJSON *cond(const char *pod, const char *type)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, tj_get(tk_pod(pod), "status.conditions"))
	{
		if (strcmp(tk_str(c, "type"), type) == 0)
			return c;
	}
	return NULL;
}

/* A write to the pod's status, as an external controller makes through the
 * status subresource. */
static void set_condition(const char *pod, const char *type, const char *status)
{
	struct perr err = {0};
	ck_assert_msg(kubelet_set_condition(&tk_sim, "default", pod, type, status, "Test",
					    "by test", &err) == 0,
		      "%s", perr_msg(&err));
	tk_step(tk_now());
}

static void remove_gates(const char *name)
{
	const struct simres *res = simres_find("", "v1", "pods");
	struct simobj *o = simstore_get(tk_sim.store, res, "default", name);
	ck_assert_ptr_nonnull(o);
	cJSON *p = simobj_copy(o);
	cJSON_DeleteItemFromObjectCaseSensitive(simjson_object(p, "spec"), "schedulingGates");
	ck_assert_int_eq(simstore_update(tk_sim.store, res, p, 0, NULL), SIMSTORE_OK);
	tk_step(tk_now());
}

/*
 * podscope's own pod row (core/pod_status.c) against the sim's printPod on
 * every write of every pod: READY, STATUS, RESTARTS and READINESS GATES as
 * kubectl would print them. The first difference is kept.
 */
static char disagree[1024];

static void compare_rows(void *ud, const struct simevent *ev)
{
	(void)ud;
	if (ev->type == SIMEV_DELETED || disagree[0])
		return;
	int64_t now = tk_now();
	struct podcols pc;
	simpod_columns(ev->obj->json, (time_t)(now / 1000), &pc);
	struct model_arena a = MODEL_ARENA_INIT;
	struct pod p;
	struct perr err = {0};
	ck_assert_int_eq(model_decode_pod(ev->obj->json, &p, &a, NULL, &err), 0);
	struct pod_row row;
	pod_status_row(&p, now, &row);
	if (strcmp(row.ready, pc.ready) != 0 || strcmp(row.status, pc.status) != 0 ||
	    strcmp(row.restarts, pc.restarts) != 0 || strcmp(row.readiness_gates, pc.gates) != 0)
		snprintf(disagree, sizeof(disagree),
			 "%.60s: podscope %.20s %.100s %.40s %.20s, printPod %.20s %.100s %.40s "
			 "%.20s",
			 ev->obj->name, row.ready, row.status, row.restarts, row.readiness_gates,
			 pc.ready, pc.status, pc.restarts, pc.gates);
	model_arena_free(&a);
}

static void setup(void)
{
	tk_setup();
	disagree[0] = '\0';
	simstore_listen(tk_sim.store, simres_find("", "v1", "pods"), compare_rows, NULL);
}

static void teardown(void)
{
	simstore_unlisten(tk_sim.store, compare_rows, NULL);
	tk_teardown();
}

/* --- native sidecars -------------------------------------------------------------- */

#define SIDECAR_POD                                                                                \
	"apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  annotations:\n"                       \
	"    sim.podscope.dev/startup-duration.proxy: 20s\n%s"                                     \
	"spec:\n  restartPolicy: %s\n  terminationGracePeriodSeconds: 30\n"                        \
	"  initContainers:\n  - {name: setup, image: 'busybox:1.36', command: [sh, -c, 'sleep "    \
	"2']}\n"                                                                                   \
	"  - name: proxy\n    image: 'envoy:1'\n    restartPolicy: Always\n"                       \
	"    startupProbe: {tcpSocket: {port: 9901}, periodSeconds: 5, failureThreshold: 10}\n"    \
	"  - {name: logs, image: 'fluent-bit:3', restartPolicy: Always}\n"                         \
	"  - {name: migrate, image: 'busybox:1.36', command: [sh, -c, 'sleep 3']}\n"               \
	"  containers:\n  - {name: app, image: 'nginx:1.27'%s}\n"

static void make_sidecar_pod(const char *name, const char *anns, const char *policy,
			     const char *app)
{
	char y[2048];
	snprintf(y, sizeof(y), SIDECAR_POD, name, anns, policy, app);
	tk_create(y);
}

START_TEST(test_sidecar_order_and_ready)
{
	make_sidecar_pod("web", "", "Always", "");
	want_ready = "3/3";
	ck_assert_msg(tk_wait(ready_is, "web", 120), "READY %s", cols("web").ready);
	ck_assert_str_eq(cols("web").status, "Running");
	const cJSON *p = tk_pod("web");
	int64_t setup_end =
	    tk_time(p, "status.initContainerStatuses.0.state.terminated.finishedAt");
	int64_t proxy = tk_time(p, "status.initContainerStatuses.1.state.running.startedAt");
	int64_t logs = tk_time(p, "status.initContainerStatuses.2.state.running.startedAt");
	int64_t mig = tk_time(p, "status.initContainerStatuses.3.state.terminated.startedAt");
	int64_t app = tk_time(p, "status.containerStatuses.0.state.running.startedAt");
	ck_assert_int_ge(proxy, setup_end);
	/* the next init container waits for the sidecar's startup probe */
	ck_assert_int_ge(logs - proxy, 20000);
	ck_assert_int_lt(logs - proxy, 30000);
	/* a sidecar without a startup probe: started is enough */
	ck_assert_int_lt(mig - logs, 3000);
	ck_assert_int_ge(app,
			 tk_time(p, "status.initContainerStatuses.3.state.terminated.finishedAt"));
	ck_assert(cJSON_IsTrue(tj_get(p, "status.initContainerStatuses.1.ready")));
	ck_assert(cJSON_IsTrue(tj_get(p, "status.initContainerStatuses.1.started")));
	ck_assert_str_eq(tk_condition("web", "Initialized"), "True");
	ck_assert_str_eq(tk_condition("web", "Ready"), "True");
}
END_TEST

static bool proxy_restarted(const char *name)
{
	const cJSON *p = tk_pod(name);
	return tk_num(p, "status.initContainerStatuses.1.restartCount") == 1 &&
	       tj_get(p, "status.initContainerStatuses.1.state.running");
}

START_TEST(test_sidecar_restarts_on_exit)
{
	make_sidecar_pod("web", "", "Never", "");
	want_ready = "3/3";
	ck_assert(tk_wait(ready_is, "web", 120));
	struct perr err = {0};
	ck_assert_int_eq(kubelet_kill_container(&tk_sim, "default", "web", "proxy", 1, &err), 0);
	/* restarted though the pod's policy is Never; the pod stays initialised */
	ck_assert(tk_wait(proxy_restarted, "web", 60));
	ck_assert_str_eq(tk_condition("web", "Initialized"), "True");
	ck_assert_str_eq(tk_str(tk_pod("web"), "status.phase"), "Running");
	ck_assert_str_eq(cols("web").restarts, "1 (0s ago)");
}
END_TEST

START_TEST(test_sidecar_termination_order)
{
	make_sidecar_pod("web",
			 "    sim.podscope.dev/stop-duration.app: 4s\n"
			 "    sim.podscope.dev/stop-duration.logs: 3s\n"
			 "    sim.podscope.dev/stop-duration.proxy: 2s\n"
			 "  finalizers: [example.com/keep]\n",
			 "Always", "");
	want_ready = "3/3";
	ck_assert(tk_wait(ready_is, "web", 120));
	int64_t t0;
	tk_track("web");
	ck_assert_int_eq(simpod_delete(&tk_sim, "default", "web", -1, NULL), 0);
	/* the kubelet starts from the deletion's own time (whole seconds) */
	t0 = tk_time(tk_pod("web"), "metadata.deletionTimestamp") - 30000;
	/* a finalizer keeps the pod, with its last status, once all have stopped */
	const cJSON *p = NULL;
	int64_t app = -1, logs = -1, proxy = -1;
	int64_t lim = tk_now() + 60000;
	while (tk_now() < lim && tk_pod("web")) {
		p = tk_pod("web");
		app = tk_time(p, "status.containerStatuses.0.state.terminated.finishedAt");
		logs = tk_time(p, "status.initContainerStatuses.2.state.terminated.finishedAt");
		proxy = tk_time(p, "status.initContainerStatuses.1.state.terminated.finishedAt");
		if (proxy > 0)
			break;
		tk_step(lim);
	}
	/* app first, then the sidecars in reverse order, each with its own stop */
	ck_assert_int_eq(app - t0, 4000);
	ck_assert_int_eq(logs - app, 3000);
	ck_assert_int_eq(proxy - logs, 2000);
	ck_assert_int_eq(tk_events("web", "Killing", "Stopping container proxy"), 1);
	ck_assert_str_eq(tk_condition("web", "PodReadyToStartContainers"), "False");
}
END_TEST

/* finishedAt of container i of the pod's init containers (init) or regular
 * ones, once stopped; -1 before. */
static int64_t finished(const char *pod, bool init, int i)
{
	char path[96];
	snprintf(path, sizeof(path), "status.%s.%d.state.terminated.finishedAt",
		 init ? "initContainerStatuses" : "containerStatuses", i);
	return tk_time(tk_pod(pod), path);
}

/* tk_wait conditions: the first sidecar, the first app container stopped */
static bool sidecar_stopped(const char *name)
{
	return finished(name, true, 0) > 0;
}

static bool app_done(const char *name)
{
	return finished(name, false, 0) > 0;
}

START_TEST(test_sidecar_prestop_and_deadline)
{
	/* the sidecar's preStop hook runs at once; its SIGTERM waits for the app */
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: hook\n"
		  "  finalizers: [example.com/keep]\n  annotations:\n"
		  "    sim.podscope.dev/stop-duration.app: 10s\n"
		  "    sim.podscope.dev/stop-duration.proxy: 2s\n"
		  "spec:\n  terminationGracePeriodSeconds: 30\n"
		  "  initContainers:\n  - name: proxy\n    image: 'envoy:1'\n"
		  "    restartPolicy: Always\n    lifecycle: {preStop: {sleep: {seconds: 5}}}\n"
		  "  containers:\n  - {name: app, image: 'nginx:1.27'}\n");
	/* an app that ignores SIGTERM: the sidecar's turn comes with the grace's end */
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: stuck\n"
		  "  finalizers: [example.com/keep]\n  annotations:\n"
		  "    sim.podscope.dev/stop-duration.proxy: 1s\n"
		  "spec:\n  terminationGracePeriodSeconds: 20\n"
		  "  initContainers:\n  - {name: proxy, image: 'envoy:1', restartPolicy: Always}\n"
		  "  containers:\n  - {name: app, image: busybox, command: [sleep, '3600']}\n");
	TK_WAIT_STATUS("hook", "Running", 60);
	TK_WAIT_STATUS("stuck", "Running", 60);
	ck_assert_int_eq(simpod_delete(&tk_sim, "default", "hook", -1, NULL), 0);
	ck_assert_int_eq(simpod_delete(&tk_sim, "default", "stuck", -1, NULL), 0);
	int64_t t0 = tk_time(tk_pod("hook"), "metadata.deletionTimestamp") - 30000;
	int64_t t1 = tk_time(tk_pod("stuck"), "metadata.deletionTimestamp") - 20000;
	tk_step(tk_now());
	ck_assert_int_eq(tk_events("hook", "Killing", "Stopping container proxy"), 1);
	ck_assert(tk_wait(sidecar_stopped, "hook", 60));
	ck_assert_int_eq(finished("hook", false, 0) - t0, 10000);
	ck_assert_int_eq(finished("hook", true, 0) - t0, 12000);
	ck_assert(tk_wait(sidecar_stopped, "stuck", 60));
	ck_assert_int_eq(finished("stuck", false, 0) - t1, 20000);
	ck_assert_int_eq(
	    (int)tk_num(tk_pod("stuck"), "status.containerStatuses.0.state.terminated.exitCode"),
	    137);
	ck_assert_int_eq(finished("stuck", true, 0) - t1, 21000);
}
END_TEST

static bool succeeded(const char *name)
{
	return strcmp(tk_str(tk_pod(name), "status.phase"), "Succeeded") == 0;
}

START_TEST(test_sidecar_deleted_while_stopping)
{
	/* the app is done: the sidecar's preStop runs; the pod is deleted then */
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: batch\n"
		  "  finalizers: [example.com/keep]\n"
		  "spec:\n  restartPolicy: Never\n  terminationGracePeriodSeconds: 30\n"
		  "  initContainers:\n  - name: proxy\n    image: 'envoy:1'\n"
		  "    restartPolicy: Always\n    lifecycle: {preStop: {sleep: {seconds: 10}}}\n"
		  "  containers:\n  - {name: app, image: busybox, command: [sh, -c, 'sleep 5']}\n");
	ck_assert(tk_wait(app_done, "batch", 60));
	tk_step(tk_now());
	ck_assert_int_eq(tk_events("batch", "Killing", "Stopping container proxy"), 1);
	int64_t done = finished("batch", false, 0);
	tk_step(done + 2000);
	ck_assert_int_eq(simpod_delete(&tk_sim, "default", "batch", 4, NULL), 0);
	ck_assert(tk_wait(sidecar_stopped, "batch", 60));
	/* one Killing, one hook: the deletion only shortens the grace period */
	ck_assert_int_eq(tk_events("batch", "Killing", "Stopping container proxy"), 1);
	ck_assert_int_ge(finished("batch", true, 0) - done, 10000);
	ck_assert_int_le(finished("batch", true, 0) - done, 12000);
	ck_assert_str_eq(tk_str(tk_pod("batch"), "status.phase"), "Succeeded");
}
END_TEST

START_TEST(test_sidecar_job_completes)
{
	make_sidecar_pod("job",
			 "    sim.podscope.dev/crash-after.app: 10s\n"
			 "    sim.podscope.dev/exit-code.app: '0'\n",
			 "Never", "");
	tk_track("job");
	ck_assert_msg(tk_wait(succeeded, "job", 180), "phase %s, seen %s",
		      tk_str(tk_pod("job"), "status.phase"), tk_seen());
	const cJSON *p = tk_pod("job");
	int64_t app = tk_time(p, "status.containerStatuses.0.state.terminated.finishedAt");
	int64_t logs = tk_time(p, "status.initContainerStatuses.2.state.terminated.finishedAt");
	int64_t proxy = tk_time(p, "status.initContainerStatuses.1.state.terminated.finishedAt");
	ck_assert_int_gt(app, 0);
	ck_assert_int_ge(logs, app);
	ck_assert_int_ge(proxy, logs);
	ck_assert_str_eq(cols("job").status, "Completed");
	ck_assert_str_eq(cols("job").ready, "0/3");
	/* never Running again, never restarted */
	ck_assert_int_eq((int)tk_num(p, "status.initContainerStatuses.1.restartCount"), 0);
	ck_assert_str_eq(tk_condition("job", "PodReadyToStartContainers"), "False");
}
END_TEST

/* --- schedulingGates ---------------------------------------------------------------- */

static bool bound(const char *name)
{
	return *tk_str(tk_pod(name), "spec.nodeName") != '\0';
}

START_TEST(test_scheduling_gate)
{
	tk_create("apiVersion: v1\nkind: Pod\nmetadata: {name: gated}\nspec:\n"
		  "  schedulingGates: [{name: example.com/quota}, {name: example.com/ok}]\n"
		  "  containers: [{name: app, image: 'nginx:1.27'}]\n");
	tk_track("gated");
	ck_assert(!tk_wait(bound, "gated", 30));
	const cJSON *c = cond("gated", "PodScheduled");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(tk_str(c, "status"), "False");
	ck_assert_str_eq(tk_str(c, "reason"), "SchedulingGated");
	ck_assert_int_gt(tk_time(c, "lastTransitionTime"), 0);
	ck_assert_str_eq(tk_str(c, "message"),
			 "Scheduling is blocked due to non-empty scheduling gates");
	ck_assert_str_eq(cols("gated").status, "SchedulingGated");
	ck_assert_str_eq(cols("gated").ready, "0/1");
	ck_assert_int_eq(tk_events("gated", "FailedScheduling", NULL), 0);
	remove_gates("gated");
	ck_assert(tk_wait(bound, "gated", 5));
	TK_WAIT_STATUS("gated", "Running", 60);
	ck_assert_str_eq(tk_condition("gated", "PodScheduled"), "True");
	ck_assert_str_eq(tk_seen(), "SchedulingGated,Pending,ContainerCreating,Running");
}
END_TEST

/* --- readinessGates ----------------------------------------------------------------- */

START_TEST(test_readiness_gates)
{
	tk_create("apiVersion: v1\nkind: Pod\nmetadata: {name: lb}\nspec:\n"
		  "  readinessGates: [{conditionType: example.com/lb}, "
		  "{conditionType: example.com/dns}]\n"
		  "  containers: [{name: app, image: 'nginx:1.27'}]\n");
	TK_WAIT_STATUS("lb", "Running", 60);
	ck_assert_str_eq(tk_condition("lb", "ContainersReady"), "True");
	const cJSON *r = cond("lb", "Ready");
	ck_assert_str_eq(tk_str(r, "status"), "False");
	ck_assert_str_eq(tk_str(r, "reason"), "ReadinessGatesNotReady");
	ck_assert_str_eq(
	    tk_str(r, "message"),
	    "corresponding condition of pod readiness gate \"example.com/lb\" does not exist., "
	    "corresponding condition of pod readiness gate \"example.com/dns\" does not exist.");
	ck_assert_str_eq(cols("lb").gates, "0/2");
	ck_assert_str_eq(cols("lb").ready, "1/1");

	set_condition("lb", "example.com/lb", "True");
	set_condition("lb", "example.com/dns", "False");
	r = cond("lb", "Ready");
	ck_assert_str_eq(tk_str(r, "status"), "False");
	ck_assert_str_eq(tk_str(r, "message"),
			 "the status of pod readiness gate \"example.com/dns\" is not \"True\", "
			 "but False");
	ck_assert_str_eq(cols("lb").gates, "1/2");
	const cJSON *g = cond("lb", "example.com/lb");
	ck_assert_str_eq(tk_str(g, "reason"), "Test");
	ck_assert_str_eq(tk_str(g, "message"), "by test");

	int64_t before = tk_now();
	tk_step(before + 5000);
	set_condition("lb", "example.com/dns", "True");
	r = cond("lb", "Ready");
	ck_assert_str_eq(tk_str(r, "status"), "True");
	ck_assert_int_ge(tk_time(r, "lastTransitionTime"), before);
	ck_assert_str_eq(cols("lb").gates, "2/2");

	/* external conditions first, then the kubelet's own, PodScheduled last */
	const char *order[] = {"example.com/lb", "example.com/dns", "PodReadyToStartContainers",
			       "Initialized",    "Ready",           "ContainersReady",
			       "PodScheduled"};
	const cJSON *conds = tj_get(tk_pod("lb"), "status.conditions");
	ck_assert_int_eq(cJSON_GetArraySize(conds), 7);
	for (int i = 0; i < 7; i++)
		ck_assert_str_eq(tk_str(cJSON_GetArrayItem(conds, i), "type"), order[i]);

	struct perr err = {0};
	ck_assert_int_eq(
	    kubelet_set_condition(&tk_sim, "default", "nope", "x", "True", NULL, NULL, &err), -1);
	ck_assert_str_eq(perr_msg(&err), "pods \"nope\" not found");
	perr_clear(&err);
	ck_assert_int_eq(
	    kubelet_set_condition(&tk_sim, "default", "lb", "Ready", "True", NULL, NULL, &err), -1);
	perr_clear(&err);
	ck_assert_int_eq(
	    kubelet_set_condition(&tk_sim, "default", "lb", "x", "Maybe", NULL, NULL, &err), -1);
	perr_clear(&err);
}
END_TEST

/* --- PodReadyToStartContainers --------------------------------------------------------- */

/* PodReadyToStartContainers of the pod "once" on every write: its status
 * and lastTransitionTime each time either changes. */
static char sandbox_seen[256];

static void on_sandbox(void *ud, const struct simevent *ev)
{
	(void)ud;
	if (ev->type == SIMEV_DELETED || strcmp(ev->obj->name, "once") != 0)
		return;
	const cJSON *c;
	cJSON_ArrayForEach(c, tj_get(ev->obj->json, "status.conditions"))
	{
		if (strcmp(tk_str(c, "type"), "PodReadyToStartContainers") != 0)
			continue;
		char one[64];
		snprintf(one, sizeof(one), "%s@%lld", tk_str(c, "status"),
			 (long long)(tk_time(c, "lastTransitionTime") / 1000));
		const char *last = strrchr(sandbox_seen, ' ');
		if (strcmp(last ? last + 1 : sandbox_seen, one) == 0)
			return;
		size_t n = strlen(sandbox_seen);
		snprintf(sandbox_seen + n, sizeof(sandbox_seen) - n, "%s%s", n ? " " : "", one);
	}
}

START_TEST(test_ready_to_start_containers)
{
	sandbox_seen[0] = '\0';
	simstore_listen(tk_sim.store, simres_find("", "v1", "pods"), on_sandbox, NULL);
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: once\n  annotations:\n"
		  "    sim.podscope.dev/crash-after: 5s\n    sim.podscope.dev/exit-code: '0'\n"
		  "spec:\n  restartPolicy: Never\n"
		  "  containers: [{name: app, image: 'busybox:1.36', command: [sleep, '60']}]\n");
	ck_assert(tk_wait(succeeded, "once", 60));
	simstore_unlisten(tk_sim.store, on_sandbox, NULL);
	const cJSON *p = tk_pod("once");
	long long start = tk_time(p, "status.startTime") / 1000;
	long long end = tk_time(p, "status.containerStatuses.0.state.terminated.finishedAt") / 1000;
	/* False in the first status (no sandbox yet), True with the sandbox,
	 * False once the finished pod's sandbox is gone */
	char want[256];
	snprintf(want, sizeof(want), "False@%lld True@%lld False@%lld", start, start, end);
	ck_assert_str_eq(sandbox_seen, want);
	ck_assert_int_eq(end - start >= 5, 1);
	ck_assert_str_eq(tk_str(cJSON_GetArrayItem(tj_get(p, "status.conditions"), 0), "type"),
			 "PodReadyToStartContainers");
}
END_TEST

/* Every pod of the features above, all at once, with podscope's rows
 * compared on every write (compare_rows). */
START_TEST(test_podscope_agrees)
{
	make_sidecar_pod("web", "", "Always", "");
	make_sidecar_pod("job",
			 "    sim.podscope.dev/crash-after.app: 10s\n"
			 "    sim.podscope.dev/exit-code.app: '0'\n",
			 "Never", "");
	make_sidecar_pod("fails",
			 "    sim.podscope.dev/crash-after.app: 10s\n"
			 "    sim.podscope.dev/exit-code.app: '3'\n",
			 "Never", "");
	tk_create("apiVersion: v1\nkind: Pod\nmetadata: {name: gated}\nspec:\n"
		  "  schedulingGates: [{name: example.com/quota}]\n"
		  "  readinessGates: [{conditionType: example.com/lb}]\n"
		  "  containers: [{name: app, image: 'nginx:1.27'}]\n");
	ck_assert(!tk_wait(bound, "gated", 20));
	remove_gates("gated");
	want_ready = "3/3";
	ck_assert(tk_wait(ready_is, "web", 120));
	struct perr err = {0};
	ck_assert_int_eq(kubelet_kill_container(&tk_sim, "default", "web", "logs", 1, &err), 0);
	set_condition("gated", "example.com/lb", "True");
	ck_assert(tk_wait(succeeded, "job", 120));
	int64_t lim = tk_now() + 30000;
	while (tk_now() < lim)
		tk_step(lim);
	ck_assert_str_eq(tk_str(tk_pod("fails"), "status.phase"), "Failed");
	ck_assert_int_eq(simpod_delete(&tk_sim, "default", "web", -1, NULL), 0);
	ck_assert(tk_wait(tk_gone, "web", 60));
	ck_assert_msg(!disagree[0], "%s", disagree);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_podfeat");
	TCase *tc = tcase_create("podfeat");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sidecar_order_and_ready);
	tcase_add_test(tc, test_sidecar_restarts_on_exit);
	tcase_add_test(tc, test_sidecar_termination_order);
	tcase_add_test(tc, test_sidecar_prestop_and_deadline);
	tcase_add_test(tc, test_sidecar_job_completes);
	tcase_add_test(tc, test_sidecar_deleted_while_stopping);
	tcase_add_test(tc, test_scheduling_gate);
	tcase_add_test(tc, test_readiness_gates);
	tcase_add_test(tc, test_ready_to_start_containers);
	suite_add_tcase(s, tc);
	TCase *agree = tcase_create("podscope agrees");
	tcase_add_checked_fixture(agree, setup, teardown);
	tcase_set_timeout(agree, 60);
	tcase_add_test(agree, test_podscope_agrees);
	suite_add_tcase(s, agree);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
