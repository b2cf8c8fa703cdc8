#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/duration.h"
#include "podscope/model.h"
#include "podscope/pod_status.h"
#include "testutil.h"

/* Every upstream test builds its times from time.Now(); here "now" is fixed. */
#define NOW INT64_C(1714566896000)
#define SEC INT64_C(1000)
#define DAY (86400 * SEC)
#define AGO(ms) (NOW - (ms))

#define RUNNING {.kind = CSTATE_RUNNING}
#define WAITING(r) {.kind = CSTATE_WAITING, .reason = (r)}
#define TERMINATED(r, code) {.kind = CSTATE_TERMINATED, .reason = (r), .exit_code = (code)}
#define FINISHED_AGO(ms) &(struct container_state){.kind = CSTATE_TERMINATED, .finished_at = AGO(ms)}

#define ARRAY(type, field, nfield, ...)                                                          \
	.field = (type[]){__VA_ARGS__},                                                          \
	.nfield = sizeof((type[]){__VA_ARGS__}) / sizeof(type)
#define STATUSES(...) ARRAY(struct container_status, statuses, n_statuses, __VA_ARGS__)
#define INIT_STATUSES(...)                                                                       \
	ARRAY(struct container_status, init_statuses, n_init_statuses, __VA_ARGS__)
#define CONDITIONS(...) ARRAY(struct pod_condition, conditions, n_conditions, __VA_ARGS__)
#define INIT_SPECS(...) ARRAY(struct container_spec, init_specs, n_init_specs, __VA_ARGS__)
#define GATES(...) ARRAY(const char *, readiness_gates, n_readiness_gates, __VA_ARGS__)

/* make([]api.Container, n): unnamed containers. */
static struct container_spec anon[8];
#define CONTAINERS(n) .specs = anon, .n_specs = (n)
#define INIT_CONTAINERS(n) .init_specs = anon, .n_init_specs = (n)

#define SIDECAR(nm) {.name = (nm), .restartable = 1}
#define TWO_SIDECARS INIT_SPECS(SIDECAR("restartable-init-1"), SIDECAR("restartable-init-2"))
#define COND(t, s) {.type = (t), .status = (s)}

struct print_case {
	const char *upstream; /* the upstream test and row this restates */
	struct pod pod;
	const char *ready, *status, *restarts;
	uint8_t row_cond;
	/* -o wide; NULL: not checked */
	const char *ip, *node, *nominated, *gates;
};

static const struct print_case print_cases[] = {
	{.upstream =
		 "TestPrintPod test1: name, num of containers, restarts, container ready status",
	 .pod = {.name = "test1", CONTAINERS(2), .phase = "podPhase",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING}, {.restart_count = 3})},
	 .ready = "1/2", .status = "podPhase", .restarts = "6"},
	{.upstream = "TestPrintPod test2: container error overwrites pod phase",
	 .pod = {.name = "test2", CONTAINERS(2), .phase = "podPhase",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING},
		   {.state = WAITING("ContainerWaitingReason"), .restart_count = 3})},
	 .ready = "1/2", .status = "ContainerWaitingReason", .restarts = "6"},
	{.upstream =
		 "TestPrintPod test3: terminated state, the first container overwrites the rest",
	 .pod = {.name = "test3", CONTAINERS(2), .phase = "podPhase",
	  STATUSES({.state = WAITING("ContainerWaitingReason"), .restart_count = 3},
		   {.state = TERMINATED("ContainerTerminatedReason", 0), .restart_count = 3})},
	 .ready = "0/2", .status = "ContainerWaitingReason", .restarts = "6"},
	{.upstream = "TestPrintPod test4: ready is not enough for reporting running",
	 .pod = {.name = "test4", CONTAINERS(2), .phase = "podPhase",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING},
		   {.ready = 1, .restart_count = 3})},
	 .ready = "1/2", .status = "podPhase", .restarts = "6"},
	{.upstream = "TestPrintPod test5: ready is not enough for reporting running (pod reason)",
	 .pod = {.name = "test5", CONTAINERS(2), .phase = "podPhase", .reason = "podReason",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING},
		   {.ready = 1, .restart_count = 3})},
	 .ready = "1/2", .status = "podReason", .restarts = "6"},
	{.upstream = "TestPrintPod test6: one running, one completed, without Ready condition",
	 .pod = {.name = "test6", CONTAINERS(2), .phase = "Running",
	  STATUSES({.ready = 1, .restart_count = 3, .state = TERMINATED("Completed", 0)},
		   {.ready = 1, .restart_count = 3, .state = RUNNING})},
	 .ready = "1/2", .status = "NotReady", .restarts = "6"},
	{.upstream = "TestPrintPod test6: one running, one completed, with Ready condition",
	 .pod = {.name = "test6", CONTAINERS(2), .phase = "Running",
	  STATUSES({.ready = 1, .restart_count = 3, .state = TERMINATED("Completed", 0)},
		   {.ready = 1, .restart_count = 3, .state = RUNNING}),
	  CONDITIONS(COND("Ready", MODEL_COND_TRUE))},
	 .ready = "1/2", .status = "Running", .restarts = "6"},
	{.upstream = "TestPrintPod test7: 1 init container restarting and 1 container not running",
	 .pod = {.name = "test7", INIT_CONTAINERS(1), CONTAINERS(1), .phase = "podPhase",
	  INIT_STATUSES({.restart_count = 3, .state = RUNNING, .last = FINISHED_AGO(10 * SEC)}),
	  STATUSES({.state = WAITING("")})},
	 .ready = "0/1", .status = "Init:0/1", .restarts = "3 (10s ago)"},
	{.upstream =
		 "TestPrintPod test8: 2 init containers, one restarting and the other not running",
	 .pod = {.name = "test8", INIT_CONTAINERS(2), CONTAINERS(1), .phase = "podPhase",
	  INIT_STATUSES({.restart_count = 3, .state = RUNNING, .last = FINISHED_AGO(10 * SEC)},
			{.state = WAITING("")}),
	  STATUSES({.state = WAITING("")})},
	 .ready = "0/1", .status = "Init:0/2", .restarts = "3 (10s ago)"},
	{.upstream =
		 "TestPrintPod test9: 2 init containers, one completed without "
		 "restarts, one restarting",
	 .pod = {.name = "test9", INIT_CONTAINERS(2), CONTAINERS(1), .phase = "podPhase",
	  INIT_STATUSES({.state = TERMINATED("", 0)},
			{.restart_count = 3, .state = RUNNING, .last = FINISHED_AGO(10 * SEC)}),
	  STATUSES({.state = WAITING("")})},
	 .ready = "0/1", .status = "Init:1/2", .restarts = "3 (10s ago)"},
	{.upstream =
		 "TestPrintPod test10: 2 init containers, one completed with restarts, "
		 "one restarting",
	 .pod = {.name = "test10", INIT_CONTAINERS(2), CONTAINERS(1), .phase = "podPhase",
	  INIT_STATUSES({.restart_count = 2, .state = TERMINATED("", 0),
			 .last = FINISHED_AGO(120 * SEC)},
			{.restart_count = 3, .state = RUNNING, .last = FINISHED_AGO(10 * SEC)}),
	  STATUSES({.state = WAITING("")})},
	 .ready = "0/1", .status = "Init:1/2", .restarts = "5 (10s ago)"},
	{.upstream =
		 "TestPrintPod test11: 1 init container completed with restarts, one "
		 "container restarting",
	 .pod = {.name = "test11", INIT_CONTAINERS(1), CONTAINERS(1), .phase = "Running",
	  INIT_STATUSES({.restart_count = 2, .state = TERMINATED("", 0),
			 .last = FINISHED_AGO(120 * SEC)}),
	  STATUSES({.restart_count = 4, .state = RUNNING, .last = FINISHED_AGO(20 * SEC)})},
	 .ready = "0/1", .status = "Running", .restarts = "4 (20s ago)"},
	{.upstream = "TestPrintPod test12: 1 container that restarted 5d ago",
	 .pod = {.name = "test12", CONTAINERS(1), .phase = "Running",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING,
		    .last = FINISHED_AGO(5 * DAY)})},
	 .ready = "1/1", .status = "Running", .restarts = "3 (5d ago)"},
	{.upstream = "TestPrintPod test13: one never restarted, the other restarted 10d ago",
	 .pod = {.name = "test13", CONTAINERS(2), .phase = "Running",
	  STATUSES({.ready = 1, .state = RUNNING},
		   {.ready = 1, .restart_count = 3, .state = RUNNING,
		    .last = FINISHED_AGO(10 * DAY)})},
	 .ready = "2/2", .status = "Running", .restarts = "3 (10d ago)"},
	{.upstream = "TestPrintPod test14: one restarted 5d ago, the other 20d ago",
	 .pod = {.name = "test14", CONTAINERS(2), .phase = "Running",
	  STATUSES({.ready = 1, .restart_count = 6, .state = RUNNING,
		    .last = FINISHED_AGO(5 * DAY)},
		   {.ready = 1, .restart_count = 3, .state = RUNNING,
		    .last = FINISHED_AGO(20 * DAY)})},
	 .ready = "2/2", .status = "Running", .restarts = "9 (5d ago)"},
	{.upstream = "TestPrintPod test15: PodScheduled condition with reason SchedulingGated",
	 .pod = {.name = "test15", CONTAINERS(2), .phase = "podPhase",
	  CONDITIONS({.type = "PodScheduled", .status = MODEL_COND_FALSE,
		      .text = &(struct cond_text){.reason = "SchedulingGated"}})},
	 .ready = "0/2", .status = "SchedulingGated", .restarts = "0"},
	{.upstream = "TestPrintPod test16: pod condition succeed",
	 .pod = {.name = "test16", CONTAINERS(1), .phase = "Succeeded",
	  STATUSES({.state = TERMINATED("Completed", 0)})},
	 .ready = "0/1", .status = "Completed", .restarts = "0", .row_cond = POD_ROW_COMPLETED},
	{.upstream = "TestPrintPod test17: pod condition failed",
	 .pod = {.name = "test17", CONTAINERS(1), .phase = "Failed",
	  STATUSES({.state = TERMINATED("Error", 1)})},
	 .ready = "0/1", .status = "Error", .restarts = "0", .row_cond = POD_ROW_FAILED},
	{.upstream = "TestPrintPod test18: pod condition succeed with deletion",
	 .pod = {.name = "test18", .deleted = AGO(10 * SEC), CONTAINERS(1), .phase = "Succeeded",
	  STATUSES({.state = TERMINATED("Completed", 0)})},
	 .ready = "0/1", .status = "Completed", .restarts = "0", .row_cond = POD_ROW_COMPLETED},
	{.upstream = "TestPrintPod test19: pod condition running with deletion",
	 .pod = {.name = "test19", .deleted = AGO(10 * SEC), CONTAINERS(1), .phase = "Running",
	  STATUSES({.state = RUNNING})},
	 .ready = "0/1", .status = "Terminating", .restarts = "0"},
	{.upstream = "TestPrintPod test20: pod condition pending with deletion",
	 .pod = {.name = "test20", .deleted = AGO(10 * SEC), CONTAINERS(1), .phase = "Pending"},
	 .ready = "0/1", .status = "Terminating", .restarts = "0"},

	{.upstream =
		 "TestPrintPodWithRestartableInitContainer: 2 sidecars, the first "
		 "running but not started",
	 .pod = {.name = "test1", TWO_SIDECARS,
	  CONTAINERS(1), .phase = "Pending",
	  INIT_STATUSES({.name = "restartable-init-1", .restart_count = 3, .state = RUNNING,
			 .started = MODEL_FALSE, .last = FINISHED_AGO(10 * SEC)},
			{.name = "restartable-init-2", .state = WAITING(""),
			 .started = MODEL_FALSE}),
	  STATUSES({.state = WAITING("")}),
	  CONDITIONS(COND("Initialized", MODEL_COND_FALSE))},
	 .ready = "0/3", .status = "Init:0/2", .restarts = "3 (10s ago)"},
	{.upstream =
		 "TestPrintPodWithRestartableInitContainer: first started, second "
		 "running but not started",
	 .pod = {.name = "test1", TWO_SIDECARS,
	  CONTAINERS(1), .phase = "Pending",
	  INIT_STATUSES({.name = "restartable-init-1", .restart_count = 3, .state = RUNNING,
			 .started = MODEL_TRUE, .last = FINISHED_AGO(10 * SEC)},
			{.name = "restartable-init-2", .state = RUNNING, .started = MODEL_FALSE}),
	  STATUSES({.state = WAITING("")}),
	  CONDITIONS(COND("Initialized", MODEL_COND_FALSE))},
	 .ready = "0/3", .status = "Init:1/2", .restarts = "3 (10s ago)"},
	{.upstream =
		 "TestPrintPodWithRestartableInitContainer: 2 sidecars started and 1 "
		 "container running",
	 .pod = {.name = "test2", TWO_SIDECARS,
	  CONTAINERS(1), .phase = "Running",
	  INIT_STATUSES({.name = "restartable-init-1", .restart_count = 3, .state = RUNNING,
			 .started = MODEL_TRUE, .last = FINISHED_AGO(10 * SEC)},
			{.name = "restartable-init-2", .state = RUNNING, .started = MODEL_TRUE}),
	  STATUSES({.ready = 1, .restart_count = 4, .state = RUNNING,
		    .last = FINISHED_AGO(20 * SEC)}),
	  CONDITIONS(COND("Initialized", MODEL_COND_TRUE))},
	 .ready = "1/3", .status = "Running", .restarts = "7 (10s ago)"},
	{.upstream =
		 "TestPrintPodWithRestartableInitContainer: 2 sidecars exited non-zero, "
		 "container completed",
	 .pod = {.name = "test3", TWO_SIDECARS,
	  CONTAINERS(1), .phase = "Succeeded",
	  INIT_STATUSES({.name = "restartable-init-1", .restart_count = 3,
			 .state = TERMINATED("Error", 137), .started = MODEL_FALSE,
			 .last = FINISHED_AGO(10 * SEC)},
			{.name = "restartable-init-2", .state = TERMINATED("Error", 137),
			 .started = MODEL_FALSE}),
	  STATUSES({.restart_count = 4, .state = TERMINATED("Completed", 0),
		    .last = FINISHED_AGO(20 * SEC)}),
	  CONDITIONS(COND("Initialized", MODEL_COND_TRUE))},
	 .ready = "0/3", .status = "Completed", .restarts = "7 (10s ago)",
	 .row_cond = POD_ROW_COMPLETED},
	{.upstream =
		 "TestPrintPodWithRestartableInitContainer: statuses for non-existent containers",
	 .pod = {.name = "test4", INIT_SPECS({.name = "init1"}, SIDECAR("sidecar1")), CONTAINERS(1),
	  .phase = "Running",
	  INIT_STATUSES({.name = "initinvalid"}, {.name = "init1"}, {.name = "sidecar1"}),
	  STATUSES({.name = "containerinvalid"}, {.name = "container1"})},
	 .ready = "0/2", .status = "Init:0/2", .restarts = "0"},

	{.upstream = "TestPrintPodwide: NodeName and PodIP are not none",
	 .pod = {.name = "test1", CONTAINERS(2), .node_name = "test1", .phase = "podPhase",
	  GATES("condition1", "condition2", "condition3"),
	  CONDITIONS(COND("condition1", MODEL_COND_FALSE), COND("condition2", MODEL_COND_TRUE)),
	  .pod_ip = "1.1.1.1", .nominated_node_name = "node1",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING}, {.restart_count = 3})},
	 .ready = "1/2", .status = "podPhase", .restarts = "6", .row_cond = POD_ROW_NONE,
	 .ip = "1.1.1.1", .node = "test1", .nominated = "node1", .gates = "1/3"},
	{.upstream = "TestPrintPodwide: NodeName and PodIP are none",
	 .pod = {.name = "test2", CONTAINERS(2), .phase = "podPhase",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING},
		   {.state = WAITING("ContainerWaitingReason"), .restart_count = 3})},
	 .ready = "1/2", .status = "ContainerWaitingReason", .restarts = "6",
	 .row_cond = POD_ROW_NONE, .ip = "<none>", .node = "<none>", .nominated = "<none>",
	 .gates = "<none>"},

	{.upstream = "TestPrintNonTerminatedPod: phase Running",
	 .pod = {.name = "test1", CONTAINERS(2), .phase = "Running",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING}, {.restart_count = 3})},
	 .ready = "1/2", .status = "Running", .restarts = "6"},
	{.upstream = "TestPrintNonTerminatedPod: phase Pending",
	 .pod = {.name = "test2", CONTAINERS(2), .phase = "Pending",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING}, {.restart_count = 3})},
	 .ready = "1/2", .status = "Pending", .restarts = "6"},
	{.upstream = "TestPrintNonTerminatedPod: phase Unknown",
	 .pod = {.name = "test3", CONTAINERS(2), .phase = "Unknown",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING}, {.restart_count = 3})},
	 .ready = "1/2", .status = "Unknown", .restarts = "6"},
	{.upstream = "TestPrintNonTerminatedPod: phase Succeeded",
	 .pod = {.name = "test4", CONTAINERS(2), .phase = "Succeeded",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING}, {.restart_count = 3})},
	 .ready = "1/2", .status = "Succeeded", .restarts = "6", .row_cond = POD_ROW_COMPLETED},
	{.upstream = "TestPrintNonTerminatedPod: phase Failed",
	 .pod = {.name = "test5", CONTAINERS(2), .phase = "Failed",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING},
		   {.ready = 1, .restart_count = 3})},
	 .ready = "1/2", .status = "Failed", .restarts = "6", .row_cond = POD_ROW_FAILED},
	{.upstream = "TestPrintPodList: test2",
	 .pod = {.name = "test2", CONTAINERS(1), .phase = "podPhase",
	  STATUSES({.ready = 1, .restart_count = 1, .state = RUNNING})},
	 .ready = "1/1", .status = "podPhase", .restarts = "1"},

	{.upstream = "TestPrintPodList: test1",
	 .pod = {.name = "test1", CONTAINERS(2), .phase = "podPhase",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING},
		   {.ready = 1, .restart_count = 3, .state = RUNNING})},
	 .ready = "2/2", .status = "podPhase", .restarts = "6"},
	{.upstream = "TestPrintPodConditions: running pod, no row condition",
	 .pod = {.name = "test1", CONTAINERS(2), .phase = "Running",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING}, {.restart_count = 3})},
	 .ready = "1/2", .status = "Running", .restarts = "6"},
	{.upstream = "TestPrintPodConditions: succeeded pod, podSuccessConditions",
	 .pod = {.name = "test1", CONTAINERS(2), .phase = "Succeeded",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING}, {.restart_count = 3})},
	 .ready = "1/2", .status = "Succeeded", .restarts = "6", .row_cond = POD_ROW_COMPLETED},
	{.upstream = "TestPrintPodConditions: failed pod, podFailedConditions",
	 .pod = {.name = "test2", CONTAINERS(2), .phase = "Failed",
	  STATUSES({.ready = 1, .restart_count = 3, .state = RUNNING}, {.restart_count = 3})},
	 .ready = "1/2", .status = "Failed", .restarts = "6", .row_cond = POD_ROW_FAILED},

	/* Derived from the reference algorithm (pod_status.md), not upstream rows. */
	{.upstream =
		 "derived/init-error-but-initialized: Init: reason survives a running container",
	 .pod = {.name = "d1", INIT_CONTAINERS(1), CONTAINERS(1), .phase = "Running",
	  INIT_STATUSES({.state = TERMINATED("Error", 1)}),
	  STATUSES({.ready = 1, .state = RUNNING}),
	  CONDITIONS(COND("Initialized", MODEL_COND_TRUE))},
	 .ready = "1/1", .status = "Init:Error", .restarts = "0"},
	{.upstream = "derived/init-crashloop",
	 .pod = {.name = "d2", INIT_CONTAINERS(2), CONTAINERS(1), .phase = "Pending",
	  INIT_STATUSES({.restart_count = 4, .state = WAITING("CrashLoopBackOff"),
			 .last = FINISHED_AGO(30 * SEC)},
			{.state = WAITING("PodInitializing")}),
	  STATUSES({.state = WAITING("PodInitializing")})},
	 .ready = "0/1", .status = "Init:CrashLoopBackOff", .restarts = "4 (30s ago)"},
	{.upstream = "derived/init-signal",
	 .pod = {.name = "d3", INIT_CONTAINERS(1), CONTAINERS(1), .phase = "Pending",
	  INIT_STATUSES({.state = {.kind = CSTATE_TERMINATED, .exit_code = 137, .signal = 9}})},
	 .ready = "0/1", .status = "Init:Signal:9", .restarts = "0"},
	{.upstream = "derived/init-exitcode",
	 .pod = {.name = "d4", INIT_CONTAINERS(1), CONTAINERS(1), .phase = "Pending",
	  INIT_STATUSES({.state = {.kind = CSTATE_TERMINATED, .exit_code = 2}})},
	 .ready = "0/1", .status = "Init:ExitCode:2", .restarts = "0"},
	{.upstream = "derived/init-podinitializing-counts-as-progress",
	 .pod = {.name = "d5", INIT_CONTAINERS(2), CONTAINERS(1), .phase = "Pending",
	  INIT_STATUSES({.state = WAITING("PodInitializing")},
			{.state = WAITING("PodInitializing")})},
	 .ready = "0/1", .status = "Init:0/2", .restarts = "0"},
	{.upstream = "derived/signal-and-exitcode",
	 .pod = {.name = "d6", CONTAINERS(2), .phase = "Running",
	  STATUSES({.state = {.kind = CSTATE_TERMINATED, .signal = 15}},
		   {.state = {.kind = CSTATE_TERMINATED, .exit_code = 3}})},
	 .ready = "0/2", .status = "Signal:15", .restarts = "0"},
	{.upstream = "derived/exitcode",
	 .pod = {.name = "d7", CONTAINERS(1), .phase = "Running",
	  STATUSES({.state = {.kind = CSTATE_TERMINATED, .exit_code = 3}})},
	 .ready = "0/1", .status = "ExitCode:3", .restarts = "0"},
	{.upstream = "derived/crashloop",
	 .pod = {.name = "d8", CONTAINERS(1), .phase = "Running",
	  STATUSES({.restart_count = 5, .state = WAITING("CrashLoopBackOff"),
		    .last = FINISHED_AGO(75 * SEC)})},
	 .ready = "0/1", .status = "CrashLoopBackOff", .restarts = "5 (75s ago)"},
	{.upstream = "derived/evicted",
	 .pod = {.name = "d9", CONTAINERS(1), .phase = "Failed", .reason = "Evicted"},
	 .ready = "0/1", .status = "Evicted", .restarts = "0", .row_cond = POD_ROW_FAILED},
	{.upstream = "derived/nodelost-being-deleted",
	 .pod = {.name = "d10", CONTAINERS(1), .phase = "Running", .reason = "NodeLost",
	  .deleted = AGO(SEC), STATUSES({.ready = 1, .state = RUNNING})},
	 .ready = "1/1", .status = "Unknown", .restarts = "0"},
	{.upstream = "derived/failed-pod-being-deleted-keeps-its-status",
	 .pod = {.name = "d11", CONTAINERS(1), .phase = "Failed", .deleted = AGO(SEC),
	  STATUSES({.state = TERMINATED("Error", 1)})},
	 .ready = "0/1", .status = "Error", .restarts = "0", .row_cond = POD_ROW_FAILED},
	{.upstream = "derived/sidecar-ready-counts",
	 .pod = {.name = "d12", INIT_SPECS(SIDECAR("proxy")), CONTAINERS(1), .phase = "Running",
	  INIT_STATUSES({.name = "proxy", .ready = 1, .started = MODEL_TRUE, .state = RUNNING}),
	  STATUSES({.ready = 1, .state = RUNNING}),
	  CONDITIONS(COND("Initialized", MODEL_COND_TRUE), COND("Ready", MODEL_COND_TRUE))},
	 .ready = "2/2", .status = "Running", .restarts = "0"},
	{.upstream = "derived/regular-init-restarts-dropped-after-init",
	 .pod = {.name = "d13", INIT_CONTAINERS(1), CONTAINERS(1), .phase = "Running",
	  INIT_STATUSES({.restart_count = 7, .state = TERMINATED("Completed", 0),
			 .last = FINISHED_AGO(300 * SEC)}),
	  STATUSES({.ready = 1, .state = RUNNING})},
	 .ready = "1/1", .status = "Running", .restarts = "0"},
	{.upstream = "derived/empty-phase",
	 .pod = {.name = "d14", CONTAINERS(1)},
	 .ready = "0/1", .status = "", .restarts = "0"},
	{.upstream = "derived/oomkilled",
	 .pod = {.name = "d15", CONTAINERS(1), .phase = "Running",
	  STATUSES({.restart_count = 1, .state = TERMINATED("OOMKilled", 137),
		    .last = FINISHED_AGO(3 * SEC)})},
	 .ready = "0/1", .status = "OOMKilled", .restarts = "1 (3s ago)"},
	{.upstream = "derived/image-pull-backoff",
	 .pod = {.name = "d16", CONTAINERS(2), .phase = "Pending",
	  STATUSES({.state = WAITING("ImagePullBackOff")},
		   {.state = WAITING("ContainerCreating")})},
	 .ready = "0/2", .status = "ImagePullBackOff", .restarts = "0"},
	{.upstream = "derived/readiness-gates-first-condition-decides",
	 .pod = {.name = "d17", CONTAINERS(1), .phase = "Running", GATES("g1", "g2"),
	  CONDITIONS(COND("g1", MODEL_COND_FALSE), COND("g1", MODEL_COND_TRUE),
		     COND("g2", MODEL_COND_TRUE)),
	  STATUSES({.ready = 1, .state = RUNNING})},
	 .ready = "1/1", .status = "Running", .restarts = "0", .row_cond = POD_ROW_NONE,
	 .ip = "<none>", .node = "<none>", .nominated = "<none>", .gates = "1/2"},
	{.upstream = "derived/ready-condition-any-true",
	 .pod = {.name = "d18", CONTAINERS(2), .phase = "Running",
	  CONDITIONS(COND("Ready", MODEL_COND_FALSE), COND("Ready", MODEL_COND_TRUE)),
	  STATUSES({.ready = 1, .state = TERMINATED("Completed", 0)},
		   {.ready = 1, .state = RUNNING})},
	 .ready = "1/2", .status = "Running", .restarts = "0"},
};

START_TEST(test_print_pod)
{
	for (size_t i = 0; i < sizeof(print_cases) / sizeof(print_cases[0]); i++) {
		const struct print_case *c = &print_cases[i];
		struct pod_row row;
		pod_status_row(&c->pod, NOW, &row);
		ck_assert_msg(strcmp(row.ready, c->ready) == 0, "%s: READY %s want %s", c->upstream,
			      row.ready, c->ready);
		ck_assert_msg(strcmp(row.status, c->status) == 0, "%s: STATUS %s want %s",
			      c->upstream, row.status, c->status);
		ck_assert_msg(strcmp(row.restarts, c->restarts) == 0, "%s: RESTARTS %s want %s",
			      c->upstream, row.restarts, c->restarts);
		ck_assert_msg(strcmp(row.age, "<unknown>") == 0, "%s: AGE %s", c->upstream,
			      row.age);
		ck_assert_msg(row.row_cond == c->row_cond, "%s: row condition %d want %d",
			      c->upstream, row.row_cond, c->row_cond);
		if (c->ip) {
			ck_assert_msg(strcmp(row.ip, c->ip) == 0, "%s: IP %s", c->upstream, row.ip);
			ck_assert_msg(strcmp(row.node, c->node) == 0, "%s: NODE %s", c->upstream,
				      row.node);
			ck_assert_msg(strcmp(row.nominated_node, c->nominated) == 0,
				      "%s: NOMINATED %s", c->upstream, row.nominated_node);
			ck_assert_msg(strcmp(row.readiness_gates, c->gates) == 0, "%s: GATES %s",
				      c->upstream, row.readiness_gates);
		}
	}
}
END_TEST

START_TEST(test_age)
{
	struct pod p = {.phase = "Running", .created = AGO(3 * 3600 * SEC + 5 * 60 * SEC)};
	struct pod_row row;
	pod_status_row(&p, NOW, &row);
	ck_assert_str_eq(row.age, "3h5m");
	ck_assert_str_eq(row.ready, "0/0");
	p.created = NOW + 2100; /* a clock ahead of ours: kubectl's "<invalid>" */
	pod_status_row(&p, NOW, &row);
	ck_assert_str_eq(row.age, "0s");
}
END_TEST

/* ---- the JSON fixtures: tests/fixtures/pods/NAME.json ---- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void check_fixture(const char *dir, const char *name)
{
	char path[8448];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *text = test_slurp(path);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	cJSON *doc = cJSON_Parse(text);
	ck_assert_msg(doc != NULL, "%s: not JSON", name);

	const cJSON *expect = cJSON_GetObjectItemCaseSensitive(doc, "expect");
	const char *now_s = json_str(doc, "now");
	int64_t now = NOW;
	if (now_s)
		ck_assert_msg(duration_parse_rfc3339(now_s, &now, NULL) == 0, "%s: bad now", name);
	ck_assert_msg(cJSON_IsObject(expect), "%s: no \"expect\"", name);

	struct model_arena arena = MODEL_ARENA_INIT;
	struct pod pod;
	struct perr err = {0};
	ck_assert_msg(model_decode_pod(cJSON_GetObjectItemCaseSensitive(doc, "pod"), &pod, &arena,
				       NULL, &err) == 0,
		      "%s: %s", name, perr_msg(&err));
	cJSON_Delete(doc); /* the decoded pod must not need the tree */
	doc = NULL;

	/* re-parse only the expectations, so a dangling pointer would show under ASan */
	cJSON *again = cJSON_Parse(text);
	expect = cJSON_GetObjectItemCaseSensitive(again, "expect");
	struct pod_row row;
	pod_status_row(&pod, now, &row);
	static const char *const keys[] = {"ready", "status", "restarts", "age", "ip", "node",
					   "nominated", "gates"};
	const char *got[] = {row.ready, row.status, row.restarts, row.age, row.ip, row.node,
			     row.nominated_node, row.readiness_gates};
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *want = json_str(expect, keys[k]);
		if (want)
			ck_assert_msg(strcmp(got[k], want) == 0, "%s: %s is [%s], want [%s]", name,
				      keys[k], got[k], want);
	}
	const char *phase = json_str(expect, "phase");
	if (phase) {
		const char *p = pod_phase_compute(&pod, false, pod_phase_has_initialized(&pod));
		ck_assert_msg(strcmp(p, phase) == 0, "%s: phase %s want %s", name, p, phase);
	}
	cJSON_Delete(again);
	model_arena_free(&arena);
	free(text);
}

START_TEST(test_fixtures)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/pods", test_srcdir());
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	char *names[512];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 512) {
		size_t len = strlen(e->d_name);
		if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	ck_assert_msg(n >= 10, "only %zu fixtures in %s", n, dir);
	for (size_t i = 0; i < n; i++) {
		check_fixture(dir, names[i]);
		free(names[i]);
	}
}
END_TEST

static const char *count_intern(void *ctx, const char *s)
{
	(*(int *)ctx)++;
	return "interned";
}

START_TEST(test_decode_edges)
{
	struct model_arena arena = MODEL_ARENA_INIT;
	struct pod pod;
	struct perr err = {0};

	cJSON *arr = cJSON_Parse("[1,2]");
	ck_assert_int_eq(model_decode_pod(arr, &pod, &arena, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "not a JSON object"));
	perr_clear(&err);
	cJSON_Delete(arr);

	/* Mistyped fields are ignored, strings are never NULL. */
	cJSON *odd = cJSON_Parse("{\"metadata\":{\"name\":7,\"creationTimestamp\":\"garbage\"},"
				 "\"spec\":{\"containers\":{\"name\":\"x\"}},"
				 "\"status\":{\"phase\":[],"
				 "\"containerStatuses\":[{\"state\":3}]}}");
	ck_assert_int_eq(model_decode_pod(odd, &pod, &arena, NULL, &err), 0);
	ck_assert_str_eq(pod.name, "");
	ck_assert_str_eq(pod.phase, "");
	ck_assert_int_eq(pod.created, 0);
	ck_assert_int_eq(pod.n_specs, 0);
	ck_assert_int_eq(pod.n_statuses, 1);
	ck_assert_int_eq(pod.statuses[0].state.kind, CSTATE_NONE);
	ck_assert_str_eq(pod.statuses[0].name, "");
	cJSON_Delete(odd);

	/* The intern hook receives every non-empty string. */
	int calls = 0;
	struct model_decode_opts opts = {count_intern, &calls, false};
	cJSON *p = cJSON_Parse("{\"metadata\":{\"name\":\"a\",\"namespace\":\"b\"},"
			       "\"status\":{\"phase\":\"Running\"}}");
	ck_assert_int_eq(model_decode_pod(p, &pod, &arena, &opts, &err), 0);
	ck_assert_int_eq(calls, 3);
	ck_assert_str_eq(pod.name, "interned");
	cJSON_Delete(p);

	/* Large allocations get their own chunk. */
	char *big = model_arena_alloc(&arena, 100000);
	memset(big, 'x', 100000);
	model_arena_free(&arena);
	model_arena_free(&arena); /* idempotent */
}
END_TEST

/* A pod whose terminated container says exitCode N (N as JSON text). */
static int decode_exit(const char *n, struct pod *pod, struct model_arena *a, struct perr *err)
{
	char buf[512];
	snprintf(buf, sizeof(buf),
		 "{\"metadata\":{\"name\":\"x\",\"namespace\":\"d\"},\"status\":"
		 "{\"containerStatuses\":[{\"name\":\"c\",\"state\":{\"terminated\":"
		 "{\"exitCode\":%s}}}]}}",
		 n);
	cJSON *j = cJSON_Parse(buf);
	ck_assert_ptr_nonnull(j);
	int rc = model_decode_pod(j, pod, a, NULL, err);
	cJSON_Delete(j);
	return rc;
}

#define EXIT_FIELD " into Go struct field ContainerStateTerminated.exitCode of type int32"

/*
 * issue 10, "Hostile numbers": an exitCode of 1e300 showed as "exited with
 * code 0". A number Go's decoding refuses for the field's type makes the
 * object fail, in Go's words; one it takes stays the same number.
 */
START_TEST(test_decode_numbers)
{
	static const struct {
		const char *in;
		int32_t want;
		const char *err; /* NULL: decoded as want */
	} cases[] = {
	    {"0", 0, NULL},
	    {"137", 137, NULL},
	    {"-1", -1, NULL},
	    {"2147483647", INT32_MAX, NULL},
	    {"-2147483648", INT32_MIN, NULL},
	    {"2.0", 2, NULL}, /* cJSON keeps no literal: a whole double is taken */
	    {"1e300", 0, "json: cannot unmarshal number 1e300" EXIT_FIELD},
	    {"-1e300", 0, "json: cannot unmarshal number -1e300" EXIT_FIELD},
	    {"2147483648", 0, "json: cannot unmarshal number 2147483648" EXIT_FIELD},
	    {"-2147483649", 0, "json: cannot unmarshal number -2147483649" EXIT_FIELD},
	    {"4294967297", 0, "json: cannot unmarshal number 4294967297" EXIT_FIELD},
	    {"1e400", 0, "json: cannot unmarshal number beyond float64" EXIT_FIELD},
	    {"-1e400", 0, "json: cannot unmarshal number below -float64" EXIT_FIELD},
	    {"1.5", 0, "json: cannot unmarshal number 1.5" EXIT_FIELD},
	    {"1e-300", 0, "json: cannot unmarshal number 1e-300" EXIT_FIELD},
	    /* Go's exponent has no '+' and no leading zero. */
	    {"3e9", 0, "json: cannot unmarshal number 3e9" EXIT_FIELD},
	    {"-2.5e10", 0, "json: cannot unmarshal number -2.5e10" EXIT_FIELD},
	    {"1e-7", 0, "json: cannot unmarshal number 1e-7" EXIT_FIELD},
	};
	struct model_arena arena = MODEL_ARENA_INIT;
	struct pod pod;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct perr err = {0};
		int rc = decode_exit(cases[i].in, &pod, &arena, &err);
		if (!cases[i].err) {
			ck_assert_msg(rc == 0, "%s: %s", cases[i].in, perr_msg(&err));
			ck_assert_int_eq(pod.statuses[0].state.exit_code, cases[i].want);
		} else {
			ck_assert_msg(rc == -1, "%s was taken as %d", cases[i].in,
				      rc == 0 ? pod.statuses[0].state.exit_code : 0);
			ck_assert_str_eq(perr_msg(&err), cases[i].err);
			ck_assert_int_eq(err.kind, PERR_API);
		}
		perr_clear(&err);
		model_arena_free(&arena);
	}
	/* Refused without an err to fill, too. */
	ck_assert_int_eq(decode_exit("1e300", &pod, &arena, NULL), -1);
	model_arena_free(&arena);

	/* Every numeric field of every kind: refused past its Go type, never wrapped. */
	static const struct {
		const char *json;
		int kind; /* 0 pod, 1 deployment (and replicaset), 2 service, 3 endpoints, 4 event */
		const char *err;
	} objs[] = {
	    {"{\"metadata\":{\"generation\":9007199254740994}}", 1,
	     "json: number 9007199254740994 in Go struct field ObjectMeta.generation of type int64: "
	     "beyond 2^53, where podscope can no longer read it exactly"},
	    {"{\"metadata\":{\"generation\":1e19}}", 1,
	     "json: cannot unmarshal number 1e19 into Go struct field ObjectMeta.generation of type "
	     "int64"},
	    {"{\"spec\":{\"replicas\":2147483648}}", 1,
	     "json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.replicas "
	     "of type int32"},
	    {"{\"spec\":{\"progressDeadlineSeconds\":1e300}}", 1, "DeploymentSpec."},
	    {"{\"spec\":{\"minReadySeconds\":-1e300}}", 1, "DeploymentSpec."},
	    {"{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":4294967297}}}}", 1,
	     "RollingUpdateDeployment.maxSurge of type int32"},
	    {"{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxUnavailable\":1.5}}}}", 1,
	     "RollingUpdateDeployment.maxUnavailable of type int32"},
	    {"{\"status\":{\"observedGeneration\":1e300}}", 1, "DeploymentStatus."},
	    {"{\"status\":{\"replicas\":1e400}}", 1, "DeploymentStatus.replicas"},
	    {"{\"status\":{\"updatedReplicas\":2.5}}", 1, "DeploymentStatus."},
	    {"{\"status\":{\"readyReplicas\":-2147483649}}", 1, "DeploymentStatus."},
	    {"{\"status\":{\"availableReplicas\":3e9}}", 1, "DeploymentStatus."},
	    {"{\"status\":{\"unavailableReplicas\":3e9}}", 1, "DeploymentStatus."},
	    {"{\"status\":{\"containerStatuses\":[{\"restartCount\":2147483648}]}}", 0,
	     "ContainerStatus.restartCount"},
	    {"{\"status\":{\"initContainerStatuses\":[{\"lastState\":{\"terminated\":"
	     "{\"signal\":16777216}}}]}}",
	     0, "beyond the 24 bits"},
	    {"{\"metadata\":{\"deletionGracePeriodSeconds\":1e300}}", 0,
	     "ObjectMeta.deletionGracePeriodSeconds of type int64"},
	    {"{\"spec\":{\"containers\":[{\"readinessProbe\":{\"periodSeconds\":1e10}}]}}", 0,
	     "Probe.periodSeconds"},
	    {"{\"spec\":{\"containers\":[{\"livenessProbe\":{\"httpGet\":{\"port\":1e10}}}]}}", 0,
	     "HTTPGetAction.port"},
	    {"{\"spec\":{\"initContainers\":[{\"startupProbe\":{\"tcpSocket\":{\"port\":-3e9}}}]}}",
	     0, "TCPSocketAction.port"},
	    {"{\"spec\":{\"containers\":[{\"lifecycle\":{\"postStart\":{\"sleep\":"
	     "{\"seconds\":1e300}}}}]}}",
	     0, "SleepAction.seconds"},
	    {"{\"spec\":{\"ports\":[{\"port\":65536e5}]}}", 2, "ServicePort.port"},
	    {"{\"spec\":{\"ports\":[{\"nodePort\":1e300}]}}", 2, "ServicePort.nodePort"},
	    {"{\"spec\":{\"ports\":[{\"targetPort\":1e300}]}}", 2, "ServicePort.targetPort"},
	    {"{\"subsets\":[{\"ports\":[{\"port\":1e300}]}]}", 3, "EndpointPort.port"},
	    {"{\"count\":1e300}", 4, "Event.count"},
	    {"{\"series\":{\"count\":2147483648}}", 4, "EventSeries.count"},
	};
	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		cJSON *j = cJSON_Parse(objs[i].json);
		ck_assert_msg(j != NULL, "bad test JSON %s", objs[i].json);
		union {
			struct pod p;
			struct deployment d;
			struct service s;
			struct endpoints e;
			struct event ev;
		} u;
		struct perr err = {0};
		int rc = -2;
		switch (objs[i].kind) {
		case 0:
			rc = model_decode_pod(j, &u.p, &arena, NULL, &err);
			break;
		case 1:
			rc = model_decode_deployment(j, &u.d, &arena, NULL, &err);
			break;
		case 2:
			rc = model_decode_service(j, &u.s, &arena, NULL, &err);
			break;
		case 3:
			rc = model_decode_endpoints(j, &u.e, &arena, NULL, &err);
			break;
		case 4:
			rc = model_decode_event(j, &u.ev, &arena, NULL, &err);
			break;
		}
		ck_assert_msg(rc == -1, "%s was taken", objs[i].json);
		ck_assert_msg(strstr(perr_msg(&err), objs[i].err) != NULL, "%s: %s", objs[i].json,
			      perr_msg(&err));
		perr_clear(&err);
		cJSON_Delete(j);
		model_arena_free(&arena);
	}
	static const char *const rs_cases[] = {
	    "{\"spec\":{\"replicas\":1e300}}",
	    "{\"metadata\":{\"generation\":-1e300}}",
	    "{\"status\":{\"observedGeneration\":1e400}}",
	    "{\"status\":{\"replicas\":2147483648}}",
	    "{\"status\":{\"fullyLabeledReplicas\":0.5}}",
	    "{\"status\":{\"readyReplicas\":-3e9}}",
	    "{\"status\":{\"availableReplicas\":3e9}}",
	};
	struct replicaset r;
	struct perr err = {0};
	for (size_t i = 0; i < sizeof(rs_cases) / sizeof(rs_cases[0]); i++) {
		cJSON *rs = cJSON_Parse(rs_cases[i]);
		ck_assert_msg(model_decode_replicaset(rs, &r, &arena, NULL, &err) == -1,
			      "%s was taken", rs_cases[i]);
		if (i == 0)
			ck_assert_str_eq(perr_msg(&err),
					 "json: cannot unmarshal number 1e300 into Go struct field "
					 "ReplicaSetSpec.replicas of type int32");
		perr_clear(&err);
		cJSON_Delete(rs);
		model_arena_free(&arena);
	}

	/* int64 seconds held in an int32: past it, as long as forever; never wrapped. */
	cJSON *j = cJSON_Parse("{\"metadata\":{\"deletionGracePeriodSeconds\":1e10},\"spec\":"
			       "{\"containers\":[{\"lifecycle\":{\"preStop\":{\"sleep\":"
			       "{\"seconds\":-4294967296}}}}]}}");
	ck_assert_int_eq(model_decode_pod(j, &pod, &arena, NULL, NULL), 0);
	ck_assert_int_eq(pod.grace_period_s, INT32_MAX);
	ck_assert_int_eq(pod.specs[0].pre_stop->port, INT32_MIN);
	cJSON_Delete(j);
	model_arena_free(&arena);
}
END_TEST

static Suite *pod_status_suite(void)
{
	Suite *s = suite_create("pod_status");
	TCase *tc = tcase_create("pod_status");
	tcase_add_test(tc, test_print_pod);
	tcase_add_test(tc, test_age);
	tcase_add_test(tc, test_fixtures);
	tcase_add_test(tc, test_decode_edges);
	tcase_add_test(tc, test_decode_numbers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(pod_status_suite());
}
