# Integration tests: C programs (Check) that start podscope-sim, a server of
# their own or processes, and shell scripts that drive podscope, podscope-sim
# and the real kubectl (SKIP where kubectl is missing). Scripts share
# lib.sh. The C programs are in C_TESTS (check-valgrind) but for
# test_sim_seed, whose scenarios run for minutes of real time.

# kube: exec plugins run as processes, the client against podscope-sim over
# HTTPS and against a server of the test's own, the launcher itself
# (src/cmd/simlaunch.c, which --demo and the tests use)
IT_KUBE = tests/integration/test_exec tests/integration/test_client \
	tests/integration/test_client_http tests/integration/test_simlaunch
check_PROGRAMS += $(IT_KUBE)
TESTS += $(IT_KUBE)
C_TESTS += $(IT_KUBE)
tests_integration_test_exec_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_integration_test_exec_LDADD = $(TEST_LIBS)
tests_integration_test_client_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_integration_test_client_LDADD = $(TEST_LIBS)
tests_integration_test_client_http_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_integration_test_client_http_LDADD = $(TEST_LIBS)
tests_integration_test_simlaunch_CFLAGS = $(TEST_CFLAGS)
tests_integration_test_simlaunch_LDADD = $(TEST_LIBS)
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

# informers against podscope-sim and against a misbehaving server; every
# fault of podscope-sim converges (faults turned on and off through its
# control interface); actions against kubectl, access review, audit log
IT_LIVE = tests/integration/test_informer tests/integration/test_informer_faults \
	tests/integration/test_fault_converge tests/integration/test_actions
check_PROGRAMS += $(IT_LIVE)
TESTS += $(IT_LIVE)
C_TESTS += $(IT_LIVE)
tests_integration_test_informer_CFLAGS = $(TEST_CFLAGS)
tests_integration_test_informer_LDADD = $(TEST_LIBS)
tests_integration_test_informer_faults_CFLAGS = $(TEST_CFLAGS)
tests_integration_test_informer_faults_LDADD = $(TEST_LIBS)
tests_integration_test_fault_converge_SOURCES = tests/integration/test_fault_converge.c \
	tests/integration/test_fault_converge_cmp.c tests/integration/test_fault_converge.h
tests_integration_test_fault_converge_CFLAGS = $(TEST_CFLAGS)
tests_integration_test_fault_converge_LDADD = $(TEST_LIBS)
tests_integration_test_actions_SOURCES = tests/integration/test_actions.c \
	tests/integration/test_actions_env.c tests/integration/test_actions_access.c \
	tests/integration/test_actions.h
tests_integration_test_actions_SOURCES += tests/integration/test_actions_sets.c
tests_integration_test_actions_SOURCES += tests/integration/test_actions_jobs.c
tests_integration_test_actions_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_integration_test_actions_LDADD = $(TEST_LIBS)

# podscope-sim over HTTP: the API in-process, the process (TLS, users, the
# request log), scenarios and faults, the write path and its controllers
# (endpoints, namespaces, GC), integers, annotations, connections, watches
# and signals
IT_SIM = tests/integration/test_sim_api tests/integration/test_sim_proc \
	tests/integration/test_sim_scenario tests/integration/test_sim_faults \
	tests/integration/test_sim_write tests/integration/test_sim_write_ctrl \
	tests/integration/test_sim_limits
check_PROGRAMS += $(IT_SIM)
TESTS += $(IT_SIM)
C_TESTS += $(IT_SIM)
noinst_HEADERS += tests/integration/test_sim_write.h
tests_integration_test_sim_api_CFLAGS = $(SIM_TEST_CFLAGS)
tests_integration_test_sim_api_LDADD = $(SIM_TEST_LIBS)
tests_integration_test_sim_proc_CFLAGS = $(SIM_TEST_CFLAGS)
tests_integration_test_sim_proc_LDADD = $(SIM_TEST_LIBS)
tests_integration_test_sim_scenario_CFLAGS = $(SIM_TEST_CFLAGS)
tests_integration_test_sim_scenario_LDADD = $(SIM_TEST_LIBS)
tests_integration_test_sim_faults_CFLAGS = $(SIM_TEST_CFLAGS)
tests_integration_test_sim_faults_LDADD = $(SIM_TEST_LIBS)
tests_integration_test_sim_write_CFLAGS = $(SIM_TEST_CFLAGS)
tests_integration_test_sim_write_LDADD = $(SIM_TEST_LIBS)
tests_integration_test_sim_write_ctrl_CFLAGS = $(SIM_TEST_CFLAGS)
tests_integration_test_sim_write_ctrl_LDADD = $(SIM_TEST_LIBS)
tests_integration_test_sim_limits_CFLAGS = $(SIM_TEST_CFLAGS)
tests_integration_test_sim_limits_LDADD = $(SIM_TEST_LIBS)
EXTRA_DIST += tests/fixtures/sim/shop.yaml tests/fixtures/sim/bad.yaml tests/fixtures/sim/pb

# The seed's scenarios end as the seed says (podscope-sim as a process), and
# the real kubectl drives a rollout (SKIPs without kubectl).
check_PROGRAMS += tests/integration/test_sim_seed
TESTS += tests/integration/test_sim_seed
tests_integration_test_sim_seed_CFLAGS = $(SIM_TEST_CFLAGS)
tests_integration_test_sim_seed_LDADD = $(SIM_TEST_LIBS)

# The scripts: kubeconfig resolution against kubectl's, the demo end to end,
# get, wait and watch, and the real kubectl against podscope-sim (reads,
# writes, conformance, limits).
IT_SH_TESTS = tests/integration/config_vs_kubectl.sh tests/integration/demo.sh \
	tests/integration/get.sh tests/integration/wait.sh tests/integration/watch.sh \
	tests/integration/sim_kubectl.sh tests/integration/kubectl_conformance.sh \
	tests/integration/sim_writes.sh tests/integration/sim_limits.sh \
	tests/integration/sim_sts.sh tests/integration/sim_podfeat.sh \
	tests/integration/wait_sts.sh \
	tests/integration/sim_ds.sh \
	tests/integration/sim_job.sh \
	tests/integration/wait_job.sh
TESTS += $(IT_SH_TESTS)
# Container logs read by the real kubectl.
IT_SH_TESTS += tests/integration/sim_logs.sh
# podscope record and replay: the live store against the replayed one.
IT_SH_TESTS += tests/integration/record.sh
# The simulated cluster's clock off the real one (--clock-skew).
IT_SH_TESTS += tests/integration/sim_clock.sh
# podscope's ages on the server's clock when it is 5 minutes off ours.
IT_SH_TESTS += tests/integration/clock_skew.sh

# The load scenario's StatefulSets and DaemonSets, read by the real kubectl.
TESTS += tests/integration/sim_load_sets.sh
EXTRA_DIST += tests/integration/sim_load_sets.sh
EXTRA_DIST += $(IT_SH_TESTS) tests/integration/lib.sh tests/integration/get_lib.sh \
	tests/fixtures/sim/life-get.yaml tests/fixtures/sim/life-rollout.yaml \
	tests/fixtures/sim/life-crash.yaml tests/fixtures/sim/life-slow.yaml \
	tests/fixtures/sim/life-deadline.yaml tests/fixtures/sim/sts-web.yaml \
	tests/fixtures/sim/podfeat.yaml \
	tests/fixtures/sim/ds-agent.yaml
# podscope logs against the sim, compared with kubectl logs.
IT_SH_TESTS += tests/integration/logs.sh
# The root cause in one line: get names it, wait --settle fails with it.
IT_SH_TESTS += tests/integration/why.sh
# get deploy/NAME's blockers (text and -o json).
IT_SH_TESTS += tests/integration/get_blockers.sh
EXTRA_DIST += tests/fixtures/sim/hpa-web.yaml
EXTRA_DIST += tests/fixtures/sim/why.yaml
# The same for a quota, a request too big, a cordoned full cluster, a budget.
IT_SH_TESTS += tests/integration/why_blockers.sh
# The seed rollouts that fail (stalled, bad-image), as the sim ships them.
IT_SH_TESTS += tests/integration/why_seed.sh
EXTRA_DIST += tests/fixtures/sim/why-quota.yaml tests/fixtures/sim/why-full.yaml \
	tests/fixtures/sim/why-pdb.yaml

# The blockers (requests against allocatable, quota, PDB, eviction, HPA), read
# and written by the real kubectl.
IT_SH_TESTS += tests/integration/sim_blockers.sh
# Three simulators as three contexts: get, wait and watch over all of them.
IT_SH_TESTS += tests/integration/fleet_get.sh
# A flag of one command given to another is refused.
IT_SH_TESTS += tests/integration/flag_scope.sh
# podscope report: the page (tidy), the chart (xmllint), a Chromium screenshot.
IT_SH_TESTS += tests/integration/report.sh
EXTRA_DIST += tests/integration/report_png.py
