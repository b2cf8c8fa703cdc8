# Tests. Unit tests (Check) in tests/unit, integration and screen tests as
# shell scripts; all of them run in `make check`.
noinst_HEADERS += tests/lib/testutil.h
# The one file reader of the tests (tests/lib/testutil.c). It needs libc
# alone, so it may come last in every test's TEST_LIBS.
check_LIBRARIES += tests/lib/libtestutil.a
tests_lib_libtestutil_a_SOURCES = tests/lib/testutil.c
tests_lib_libtestutil_a_CFLAGS = $(TEST_CFLAGS)
TESTUTIL_LIBS = tests/lib/libtestutil.a
TEST_LIBS += $(TESTUTIL_LIBS)
check_PROGRAMS += tests/unit/test_testutil
TESTS += tests/unit/test_testutil
UNIT_TESTS += tests/unit/test_testutil
tests_unit_test_testutil_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_testutil_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/unit/test_core
TESTS += tests/unit/test_core
UNIT_TESTS += tests/unit/test_core
tests_unit_test_core_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_core_LDADD = $(TEST_LIBS)
include tests/fuzz/local.mk
# The pure model's unit tests (helper "model").
MODEL_UNIT_TESTS = tests/unit/test_duration tests/unit/test_intstr tests/unit/test_pod_status \
	tests/unit/test_pod_phase tests/unit/test_rollout tests/unit/test_backoff
check_PROGRAMS += $(MODEL_UNIT_TESTS)
TESTS += $(MODEL_UNIT_TESTS)
UNIT_TESTS += $(MODEL_UNIT_TESTS)
tests_unit_test_duration_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_duration_LDADD = $(TEST_LIBS)
tests_unit_test_intstr_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_intstr_LDADD = $(TEST_LIBS)
tests_unit_test_pod_status_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pod_status_LDADD = $(TEST_LIBS)
tests_unit_test_pod_phase_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pod_phase_LDADD = $(TEST_LIBS)
tests_unit_test_rollout_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_rollout_LDADD = $(TEST_LIBS)
tests_unit_test_backoff_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_backoff_LDADD = $(TEST_LIBS)
EXTRA_DIST += tests/fixtures/pods

# loop, client, credentials (kube/loop.c, client*.c, auth.c, exec_plugin.c)
KUBE_TEST_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/src/kube
check_PROGRAMS += tests/unit/test_loop tests/unit/test_kstatus tests/unit/test_exec
TESTS += tests/unit/test_loop tests/unit/test_kstatus tests/unit/test_exec
UNIT_TESTS += tests/unit/test_loop tests/unit/test_kstatus tests/unit/test_exec
tests_unit_test_loop_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_unit_test_loop_LDADD = $(TEST_LIBS)
tests_unit_test_kstatus_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_unit_test_kstatus_LDADD = $(TEST_LIBS)
tests_unit_test_exec_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_unit_test_exec_LDADD = $(TEST_LIBS)
# the client against podscope-sim over HTTPS (started by simlaunch.h)
check_PROGRAMS += tests/unit/test_client
TESTS += tests/unit/test_client
UNIT_TESTS += tests/unit/test_client
tests_unit_test_client_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_unit_test_client_LDADD = $(TEST_LIBS)
# the launcher itself (src/cmd/simlaunch.c), which --demo and the tests use
check_PROGRAMS += tests/unit/test_simlaunch
TESTS += tests/unit/test_simlaunch
UNIT_TESTS += tests/unit/test_simlaunch
tests_unit_test_simlaunch_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_simlaunch_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/unit/test_client_http
TESTS += tests/unit/test_client_http
UNIT_TESTS += tests/unit/test_client_http
tests_unit_test_client_http_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_unit_test_client_http_LDADD = $(TEST_LIBS)
EXTRA_DIST += \
	tests/fixtures/exec/token.sh \
	tests/fixtures/exec/expiring.sh \
	tests/fixtures/exec/cert.sh \
	tests/fixtures/exec/fail.sh \
	tests/fixtures/exec/bad.sh \
	tests/fixtures/exec/hang.sh \
	tests/fixtures/exec/forks.sh \
	tests/fixtures/exec/lingers.sh \
	tests/fixtures/exec/missing.yaml \
	tests/fixtures/tls/other-ca.pem

# kubeconfig: unit tests over tests/fixtures/kubeconfig, and the comparison
# with the real kubectl (SKIPs where kubectl is missing).
check_PROGRAMS += tests/unit/test_kubeconfig
TESTS += tests/unit/test_kubeconfig
UNIT_TESTS += tests/unit/test_kubeconfig
tests_unit_test_kubeconfig_SOURCES = tests/unit/test_kubeconfig.c \
	tests/unit/test_kubeconfig_errors.c tests/unit/test_kubeconfig_util.c \
	tests/unit/test_kubeconfig_files.c \
	tests/unit/test_kubeconfig.h
tests_unit_test_kubeconfig_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/src
tests_unit_test_kubeconfig_LDADD = $(TEST_LIBS)
TESTS += tests/integration/config_vs_kubectl.sh
EXTRA_DIST += tests/integration/config_vs_kubectl.sh tests/fixtures/kubeconfig

# the live store, interner, watch framing, informers (helper "store")
STORE_UNIT_TESTS = tests/unit/test_intern tests/unit/test_store tests/unit/test_watchframe \
	tests/unit/test_informer tests/unit/test_informer_faults
check_PROGRAMS += $(STORE_UNIT_TESTS)
TESTS += $(STORE_UNIT_TESTS)
UNIT_TESTS += $(STORE_UNIT_TESTS)
tests_unit_test_intern_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_intern_LDADD = $(TEST_LIBS)
tests_unit_test_store_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_store_LDADD = $(TEST_LIBS)
tests_unit_test_watchframe_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_watchframe_LDADD = $(TEST_LIBS)
tests_unit_test_informer_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_informer_LDADD = $(TEST_LIBS)
tests_unit_test_informer_faults_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_informer_faults_LDADD = $(TEST_LIBS)

# The demo end to end (the lead's).
TESTS += tests/integration/demo.sh
EXTRA_DIST += tests/integration/demo.sh

# The deployment and ReplicaSet controllers: decisions, and rollouts in an
# in-process store (helper H-deploy).
DEPLOY_UNIT_TESTS = tests/unit/test_sim_deploy tests/unit/test_sim_deploy_status \
	tests/unit/test_sim_deploy_run
check_PROGRAMS += $(DEPLOY_UNIT_TESTS)
TESTS += $(DEPLOY_UNIT_TESTS)
UNIT_TESTS += $(DEPLOY_UNIT_TESTS)
noinst_HEADERS += tests/unit/test_sim_deploy.h
tests_unit_test_sim_deploy_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_deploy_LDADD = $(PODSIM_LIBS) $(TEST_LIBS)
tests_unit_test_sim_deploy_status_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_deploy_status_LDADD = $(PODSIM_LIBS) $(TEST_LIBS)
tests_unit_test_sim_deploy_run_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_deploy_run_LDADD = $(SIMTEST_LIBS) $(PODSIM_LIBS) $(TEST_LIBS)

# The dashboard's screen tests, driven by tmux against podscope-sim (helper "ui").
include tests/tui/local.mk

# lifecycle stages, generations; get, wait, watch against podscope-sim (helper "lifecycle")
LIFECYCLE_UNIT_TESTS = tests/unit/test_lifecycle tests/unit/test_generations \
	tests/unit/test_lifecycle_cmd
check_PROGRAMS += $(LIFECYCLE_UNIT_TESTS)
TESTS += $(LIFECYCLE_UNIT_TESTS)
UNIT_TESTS += $(LIFECYCLE_UNIT_TESTS)
tests_unit_test_lifecycle_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_lifecycle_LDADD = $(TEST_LIBS)
tests_unit_test_generations_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_generations_LDADD = $(TEST_LIBS)
tests_unit_test_lifecycle_cmd_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/src/cmd
tests_unit_test_lifecycle_cmd_LDADD = $(TEST_LIBS)
LIFECYCLE_SH_TESTS = tests/integration/get.sh tests/integration/wait.sh tests/integration/watch.sh
TESTS += $(LIFECYCLE_SH_TESTS)
EXTRA_DIST += $(LIFECYCLE_SH_TESTS) tests/integration/get_lib.sh tests/integration/lib.sh \
	tests/fixtures/sim/life-get.yaml tests/fixtures/sim/life-rollout.yaml \
	tests/fixtures/sim/life-crash.yaml tests/fixtures/sim/life-slow.yaml \
	tests/fixtures/sim/life-deadline.yaml

# actions on the cluster vs kubectl, access review, audit log (helper "actions")
check_PROGRAMS += tests/unit/test_actions tests/unit/test_actions_unit
TESTS += tests/unit/test_actions tests/unit/test_actions_unit
UNIT_TESTS += tests/unit/test_actions tests/unit/test_actions_unit
noinst_HEADERS += tests/unit/test_actions.h
tests_unit_test_actions_SOURCES = tests/unit/test_actions.c tests/unit/test_actions_env.c \
	tests/unit/test_actions_access.c
tests_unit_test_actions_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_unit_test_actions_LDADD = $(TEST_LIBS)
tests_unit_test_actions_unit_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_actions_unit_LDADD = $(TEST_LIBS)

# every fault of podscope-sim converges: informers against faults turned on and
# off through the control interface (helper "faults")
check_PROGRAMS += tests/unit/test_fault_converge
TESTS += tests/unit/test_fault_converge
UNIT_TESTS += tests/unit/test_fault_converge
tests_unit_test_fault_converge_SOURCES = tests/unit/test_fault_converge.c \
	tests/unit/test_fault_converge_cmp.c tests/unit/test_fault_converge.h
tests_unit_test_fault_converge_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_fault_converge_LDADD = $(TEST_LIBS)

# the hold-out set from Kubernetes' own tests (helper "holdout")
include tests/holdout/local.mk
include tests/hostile/local.mk

# the one sanitiser for outside text (helper "text")
check_PROGRAMS += tests/unit/test_sanitize
TESTS += tests/unit/test_sanitize
UNIT_TESTS += tests/unit/test_sanitize
tests_unit_test_sanitize_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_sanitize_LDADD = $(TEST_LIBS)
include tests/bench/local.mk
include tests/golden/local.mk
