#include "config.h"

#include <string.h>

#include <check.h>

#include "podscope/pod_status.h"
#include "testutil.h"

/*
 * getPhase, restating pkg/kubelet/kubelet_pods_test.go TestPodPhaseWith*:
 * the status helpers there (runningState, stoppedState, succeededState,
 * failedState, waitingState, waitingStateWithLastTermination,
 * waitingStateWithNonZeroTermination, startedState) become these macros.
 */
#define RUNNING(n) {.name = (n), .state = {.kind = CSTATE_RUNNING}}
#define STARTED(n) {.name = (n), .started = MODEL_TRUE, .state = {.kind = CSTATE_RUNNING}}
#define STOPPED(n) {.name = (n), .state = {.kind = CSTATE_TERMINATED, .exit_code = 0}}
#define SUCCEEDED(n) STOPPED(n)
#define FAILED(n) {.name = (n), .state = {.kind = CSTATE_TERMINATED, .exit_code = -1}}
#define WAITING(n) {.name = (n), .state = {.kind = CSTATE_WAITING}}
#define WAITING_LAST0(n)                                                                         \
	{.name = (n), .state = {.kind = CSTATE_WAITING},                                         \
	 .last = &(struct container_state){.kind = CSTATE_TERMINATED, .exit_code = 0}}
#define WAITING_LAST1(n)                                                                         \
	{.name = (n), .state = {.kind = CSTATE_WAITING},                                         \
	 .last = &(struct container_state){.kind = CSTATE_TERMINATED, .exit_code = 1}}

#define ARRAY(type, field, nfield, ...)                                                          \
	.field = (type[]){__VA_ARGS__},                                                          \
	.nfield = sizeof((type[]){__VA_ARGS__}) / sizeof(type)
#define ST(...) ARRAY(struct container_status, statuses, n_statuses, __VA_ARGS__)
#define INIT_ST(...) ARRAY(struct container_status, init_statuses, n_init_statuses, __VA_ARGS__)

static struct container_spec ab[] = {{.name = "containerA"}, {.name = "containerB"}};
static struct container_spec a_only[] = {{.name = "containerA"}};
static struct container_spec x_init[] = {{.name = "containerX"}};
static struct container_spec x_sidecar[] = {{.name = "containerX", .restartable = 1}};
static struct container_spec x_init_y_sidecar[] = {{.name = "containerX"},
						   {.name = "containerY", .restartable = 1}};

#define SPEC_AB .specs = ab, .n_specs = 2
#define INIT_X .init_specs = x_init, .n_init_specs = 1
#define SIDECAR_X .init_specs = x_sidecar, .n_init_specs = 1
#define ALWAYS .restart_policy = POD_RESTART_ALWAYS
#define NEVER .restart_policy = POD_RESTART_NEVER
#define ONFAILURE .restart_policy = POD_RESTART_ON_FAILURE

struct phase_case {
	const char *upstream;
	struct pod pod;
	bool terminal, initialized;
	const char *want;
};

static const struct phase_case cases[] = {
	/* TestPodPhaseWithRestartAlways */
	{"Always: waiting", {SPEC_AB, ALWAYS}, false, false, "Pending"},
	{"Always: all running", {SPEC_AB, ALWAYS, ST(RUNNING("containerA"), RUNNING("containerB"))},
	 false, false, "Running"},
	{"Always: all stopped with restart always",
	 {SPEC_AB, ALWAYS, ST(STOPPED("containerA"), STOPPED("containerB"))}, false, false,
	 "Running"},
	{"Always: all succeeded with restart always, but the pod is terminal",
	 {SPEC_AB, ALWAYS, ST(SUCCEEDED("containerA"), SUCCEEDED("containerB"))}, true, false,
	 "Succeeded"},
	{"Always: all stopped with restart always, but the pod is terminal",
	 {SPEC_AB, ALWAYS, ST(SUCCEEDED("containerA"), FAILED("containerB"))}, true, false,
	 "Failed"},
	{"Always: mixed state #1",
	 {SPEC_AB, ALWAYS, ST(RUNNING("containerA"), STOPPED("containerB"))},
	 false, false, "Running"},
	{"Always: mixed state #2", {SPEC_AB, ALWAYS, ST(RUNNING("containerA"))}, false, false,
	 "Pending"},
	{"Always: mixed state #3",
	 {SPEC_AB, ALWAYS, ST(RUNNING("containerA"), WAITING("containerB"))},
	 false, false, "Pending"},
	{"Always: backoff crashloop container",
	 {SPEC_AB, ALWAYS, ST(RUNNING("containerA"), WAITING_LAST0("containerB"))}, false, false,
	 "Running"},

	/* TestPodPhaseWithRestartAlwaysInitContainers */
	{"AlwaysInit: empty, waiting", {SPEC_AB, INIT_X, ALWAYS}, false, false, "Pending"},
	{"AlwaysInit: init container running",
	 {SPEC_AB, INIT_X, ALWAYS, INIT_ST(RUNNING("containerX"))},
	 false, false, "Pending"},
	{"AlwaysInit: init container terminated non-zero",
	 {SPEC_AB, INIT_X, ALWAYS, INIT_ST(FAILED("containerX"))}, false, false, "Pending"},
	{"AlwaysInit: init container waiting, terminated zero",
	 {SPEC_AB, INIT_X, ALWAYS, INIT_ST(WAITING_LAST0("containerX"))}, false, false, "Pending"},
	{"AlwaysInit: init container waiting, terminated non-zero",
	 {SPEC_AB, INIT_X, ALWAYS, INIT_ST(WAITING_LAST1("containerX"))}, false, false, "Pending"},
	{"AlwaysInit: init container waiting, not terminated",
	 {SPEC_AB, INIT_X, ALWAYS, INIT_ST(WAITING("containerX"))}, false, false, "Pending"},
	{"AlwaysInit: init container succeeded",
	 {SPEC_AB, INIT_X, ALWAYS, INIT_ST(SUCCEEDED("containerX")),
	  ST(RUNNING("containerA"), RUNNING("containerB"))},
	 false, false, "Running"},

	/* TestPodPhaseWithRestartAlwaysRestartableInitContainers */
	{"AlwaysSidecar: empty, waiting", {SPEC_AB, SIDECAR_X, ALWAYS}, false, false, "Pending"},
	{"AlwaysSidecar: restartable init container running",
	 {SPEC_AB, SIDECAR_X, ALWAYS, INIT_ST(RUNNING("containerX"))}, false, false, "Pending"},
	{"AlwaysSidecar: restartable init container stopped",
	 {SPEC_AB, SIDECAR_X, ALWAYS, INIT_ST(STOPPED("containerX"))}, false, false, "Pending"},
	{"AlwaysSidecar: restartable init container waiting, terminated zero",
	 {SPEC_AB, SIDECAR_X, ALWAYS, INIT_ST(WAITING_LAST0("containerX"))}, false, false,
	 "Pending"},
	{"AlwaysSidecar: restartable init container waiting, terminated non-zero",
	 {SPEC_AB, SIDECAR_X, ALWAYS, INIT_ST(WAITING_LAST1("containerX"))}, false, false,
	 "Pending"},
	{"AlwaysSidecar: restartable init container waiting, not terminated",
	 {SPEC_AB, SIDECAR_X, ALWAYS, INIT_ST(WAITING("containerX"))}, false, false, "Pending"},
	{"AlwaysSidecar: started, 1/2 regular container running",
	 {SPEC_AB, SIDECAR_X, ALWAYS, INIT_ST(STARTED("containerX")), ST(RUNNING("containerA"))},
	 false, true, "Pending"},
	{"AlwaysSidecar: started, all regular containers running",
	 {SPEC_AB, SIDECAR_X, ALWAYS, INIT_ST(STARTED("containerX")),
	  ST(RUNNING("containerA"), RUNNING("containerB"))},
	 false, true, "Running"},
	{"AlwaysSidecar: running, all regular containers running",
	 {SPEC_AB, SIDECAR_X, ALWAYS, INIT_ST(RUNNING("containerX")),
	  ST(RUNNING("containerA"), RUNNING("containerB"))},
	 false, true, "Running"},
	{"AlwaysSidecar: stopped, all regular containers running",
	 {SPEC_AB, SIDECAR_X, ALWAYS, INIT_ST(STOPPED("containerX")),
	  ST(RUNNING("containerA"), RUNNING("containerB"))},
	 false, true, "Running"},
	{"AlwaysSidecar: backoff crashloop, all regular containers running",
	 {SPEC_AB, SIDECAR_X, ALWAYS, INIT_ST(WAITING_LAST0("containerX")),
	  ST(RUNNING("containerA"), RUNNING("containerB"))},
	 false, true, "Running"},
	{"AlwaysSidecar: regular succeeded, sidecar failed, pod terminal",
	 {SPEC_AB, SIDECAR_X, ALWAYS, INIT_ST(FAILED("containerX")),
	  ST(SUCCEEDED("containerA"), SUCCEEDED("containerB"))},
	 true, true, "Succeeded"},
	{"AlwaysSidecar: regular succeeded, sidecar succeeded, pod terminal",
	 {SPEC_AB, SIDECAR_X, ALWAYS, INIT_ST(SUCCEEDED("containerX")),
	  ST(SUCCEEDED("containerA"), SUCCEEDED("containerB"))},
	 true, true, "Succeeded"},
	{"AlwaysSidecar: re-initializing the pod after the sandbox is recreated",
	 {SPEC_AB, SIDECAR_X, ALWAYS, INIT_ST(RUNNING("containerX")),
	  ST(RUNNING("containerA"), RUNNING("containerB"))},
	 false, false, "Pending"},

	/* TestPodPhaseWithRestartAlwaysAndPodHasRun: init X regular, Y sidecar; one container A */
	{"AlwaysHasRun: regular init, sidecar and regular container all running",
	 {.specs = a_only, .n_specs = 1, .init_specs = x_init_y_sidecar, .n_init_specs = 2, ALWAYS,
	  INIT_ST(RUNNING("containerX"), RUNNING("containerY")), ST(RUNNING("containerA"))},
	 false, false, "Pending"},
	{"AlwaysHasRun: regular container stopped, sidecar and regular init running",
	 {.specs = a_only, .n_specs = 1, .init_specs = x_init_y_sidecar, .n_init_specs = 2, ALWAYS,
	  INIT_ST(RUNNING("containerX"), RUNNING("containerY")), ST(STOPPED("containerA"))},
	 false, false, "Pending"},
	{"AlwaysHasRun: re-created sandbox, init succeeded, sidecar running, old container stopped",
	 {.specs = a_only, .n_specs = 1, .init_specs = x_init_y_sidecar, .n_init_specs = 2, ALWAYS,
	  INIT_ST(SUCCEEDED("containerX"), RUNNING("containerY")), ST(STOPPED("containerA"))},
	 false, false, "Pending"},
	{"AlwaysHasRun: init succeeded, sidecar running, regular container stopped",
	 {.specs = a_only, .n_specs = 1, .init_specs = x_init_y_sidecar, .n_init_specs = 2, ALWAYS,
	  INIT_ST(SUCCEEDED("containerX"), RUNNING("containerY")), ST(STOPPED("containerA"))},
	 false, true, "Running"},
	{"AlwaysHasRun: init succeeded, sidecar and regular container running",
	 {.specs = a_only, .n_specs = 1, .init_specs = x_init_y_sidecar, .n_init_specs = 2, ALWAYS,
	  INIT_ST(SUCCEEDED("containerX"), RUNNING("containerY")), ST(RUNNING("containerA"))},
	 false, true, "Running"},

	/* TestPodPhaseWithRestartNever */
	{"Never: waiting", {SPEC_AB, NEVER}, false, false, "Pending"},
	{"Never: all running", {SPEC_AB, NEVER, ST(RUNNING("containerA"), RUNNING("containerB"))},
	 false, false, "Running"},
	{"Never: all succeeded",
	 {SPEC_AB, NEVER, ST(SUCCEEDED("containerA"), SUCCEEDED("containerB"))},
	 false, false, "Succeeded"},
	{"Never: all failed",
	 {SPEC_AB, NEVER, ST(FAILED("containerA"), FAILED("containerB"))}, false,
	 false, "Failed"},
	{"Never: mixed state #1",
	 {SPEC_AB, NEVER, ST(RUNNING("containerA"), SUCCEEDED("containerB"))},
	 false, false, "Running"},
	{"Never: mixed state #2", {SPEC_AB, NEVER, ST(RUNNING("containerA"))}, false, false,
	 "Pending"},
	{"Never: mixed state #3",
	 {SPEC_AB, NEVER, ST(RUNNING("containerA"), WAITING("containerB"))},
	 false, false, "Pending"},

	/* TestPodPhaseWithRestartNeverInitContainers */
	{"NeverInit: empty, waiting", {SPEC_AB, INIT_X, NEVER}, false, false, "Pending"},
	{"NeverInit: init container running",
	 {SPEC_AB, INIT_X, NEVER, INIT_ST(RUNNING("containerX"))},
	 false, false, "Pending"},
	{"NeverInit: init container terminated non-zero",
	 {SPEC_AB, INIT_X, NEVER, INIT_ST(FAILED("containerX"))}, false, false, "Failed"},
	{"NeverInit: init container waiting, terminated zero",
	 {SPEC_AB, INIT_X, NEVER, INIT_ST(WAITING_LAST0("containerX"))}, false, false, "Pending"},
	{"NeverInit: init container waiting, terminated non-zero",
	 {SPEC_AB, INIT_X, NEVER, INIT_ST(WAITING_LAST1("containerX"))}, false, false, "Failed"},
	{"NeverInit: init container waiting, not terminated",
	 {SPEC_AB, INIT_X, NEVER, INIT_ST(WAITING("containerX"))}, false, false, "Pending"},
	{"NeverInit: init container succeeded",
	 {SPEC_AB, INIT_X, NEVER, INIT_ST(SUCCEEDED("containerX")),
	  ST(RUNNING("containerA"), RUNNING("containerB"))},
	 false, false, "Running"},

	/* TestPodPhaseWithRestartNeverRestartableInitContainers */
	{"NeverSidecar: empty, waiting", {SPEC_AB, SIDECAR_X, NEVER}, false, false, "Pending"},
	{"NeverSidecar: running",
	 {SPEC_AB, SIDECAR_X, NEVER, INIT_ST(RUNNING("containerX"))}, false,
	 false, "Pending"},
	{"NeverSidecar: stopped",
	 {SPEC_AB, SIDECAR_X, NEVER, INIT_ST(STOPPED("containerX"))}, false,
	 false, "Pending"},
	{"NeverSidecar: waiting, terminated zero",
	 {SPEC_AB, SIDECAR_X, NEVER, INIT_ST(WAITING_LAST0("containerX"))},
	 false, false, "Pending"},
	{"NeverSidecar: waiting, terminated non-zero",
	 {SPEC_AB, SIDECAR_X, NEVER, INIT_ST(WAITING_LAST1("containerX"))},
	 false, false, "Pending"},
	{"NeverSidecar: waiting, not terminated",
	 {SPEC_AB, SIDECAR_X, NEVER, INIT_ST(WAITING("containerX"))}, false, false, "Pending"},
	{"NeverSidecar: started, one main container running",
	 {SPEC_AB, SIDECAR_X, NEVER, INIT_ST(STARTED("containerX")), ST(RUNNING("containerA"))},
	 false, true, "Pending"},
	{"NeverSidecar: started, main containers succeeded",
	 {SPEC_AB, SIDECAR_X, NEVER, INIT_ST(STARTED("containerX")),
	  ST(SUCCEEDED("containerA"), SUCCEEDED("containerB"))},
	 false, true, "Running"},
	{"NeverSidecar: re-running, main containers succeeded",
	 {SPEC_AB, SIDECAR_X, NEVER, INIT_ST(RUNNING("containerX")),
	  ST(SUCCEEDED("containerA"), SUCCEEDED("containerB"))},
	 false, true, "Running"},
	{"NeverSidecar: all containers succeeded",
	 {SPEC_AB, SIDECAR_X, NEVER, INIT_ST(SUCCEEDED("containerX")),
	  ST(SUCCEEDED("containerA"), SUCCEEDED("containerB"))},
	 false, true, "Succeeded"},
	{"NeverSidecar: sidecar terminated non-zero, main containers succeeded",
	 {SPEC_AB, SIDECAR_X, NEVER, INIT_ST(FAILED("containerX")),
	  ST(SUCCEEDED("containerA"), SUCCEEDED("containerB"))},
	 false, true, "Succeeded"},
	{"NeverSidecar: backoff crashloop sidecar, main containers succeeded",
	 {SPEC_AB, SIDECAR_X, NEVER, INIT_ST(WAITING_LAST0("containerX")),
	  ST(SUCCEEDED("containerA"), SUCCEEDED("containerB"))},
	 false, true, "Succeeded"},
	{"NeverSidecar: backoff crashloop non-zero sidecar, main containers succeeded",
	 {SPEC_AB, SIDECAR_X, NEVER, INIT_ST(WAITING_LAST1("containerX")),
	  ST(SUCCEEDED("containerA"), SUCCEEDED("containerB"))},
	 false, true, "Succeeded"},

	/* TestPodPhaseWithRestartOnFailure */
	{"OnFailure: waiting", {SPEC_AB, ONFAILURE}, false, false, "Pending"},
	{"OnFailure: all running",
	 {SPEC_AB, ONFAILURE, ST(RUNNING("containerA"), RUNNING("containerB"))}, false, false,
	 "Running"},
	{"OnFailure: all succeeded",
	 {SPEC_AB, ONFAILURE, ST(SUCCEEDED("containerA"), SUCCEEDED("containerB"))}, false, false,
	 "Succeeded"},
	{"OnFailure: all failed",
	 {SPEC_AB, ONFAILURE, ST(FAILED("containerA"), FAILED("containerB"))},
	 false, false, "Running"},
	{"OnFailure: mixed state #1",
	 {SPEC_AB, ONFAILURE, ST(RUNNING("containerA"), SUCCEEDED("containerB"))}, false, false,
	 "Running"},
	{"OnFailure: mixed state #2", {SPEC_AB, ONFAILURE, ST(RUNNING("containerA"))}, false, false,
	 "Pending"},
	{"OnFailure: mixed state #3",
	 {SPEC_AB, ONFAILURE, ST(RUNNING("containerA"), WAITING("containerB"))}, false, false,
	 "Pending"},
	{"OnFailure: backoff crashloop container",
	 {SPEC_AB, ONFAILURE, ST(RUNNING("containerA"), WAITING_LAST0("containerB"))}, false, false,
	 "Running"},
};

START_TEST(test_phase_table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = pod_phase_compute(&cases[i].pod, cases[i].terminal,
						    cases[i].initialized);
		ck_assert_msg(strcmp(got, cases[i].want) == 0, "%s: got %s want %s",
			      cases[i].upstream, got, cases[i].want);
	}
}
END_TEST

START_TEST(test_has_initialized)
{
	struct container_status waiting[] = {WAITING("containerA")};
	struct container_status crashed[] = {WAITING_LAST1("containerA")};
	struct container_status running[] = {RUNNING("containerA")};
	struct pod p = {.specs = a_only, .n_specs = 1};

	ck_assert(!pod_phase_has_initialized(&p));
	p.statuses = waiting;
	p.n_statuses = 1;
	ck_assert(!pod_phase_has_initialized(&p));
	p.statuses = crashed;
	ck_assert(pod_phase_has_initialized(&p));
	p.statuses = running;
	ck_assert(pod_phase_has_initialized(&p));
}
END_TEST

static Suite *phase_suite(void)
{
	Suite *s = suite_create("pod_phase");
	TCase *tc = tcase_create("pod_phase");
	tcase_add_test(tc, test_phase_table);
	tcase_add_test(tc, test_has_initialized);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(phase_suite());
}
