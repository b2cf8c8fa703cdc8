# sim: podscope-sim, the simulated API server (libmicrohttpd, gnutls), built
# into libpodsim.a from one folder per role. Its headers are included by
# name (no folder), through SIM_INCLUDES: every header name is unique in
# src/sim, so a file can move between folders without touching its users.
SIM_INCLUDES = -I$(top_srcdir)/src/sim -I$(top_srcdir)/src/sim/api \
	-I$(top_srcdir)/src/sim/controllers -I$(top_srcdir)/src/sim/kubelet \
	-I$(top_srcdir)/src/sim/scenarios

# The base: the object store, the clock and event loop, the application.
libpodsim_a_SOURCES += \
	src/sim/app.c \
	src/sim/clock.c \
	src/sim/evloop.c \
	src/sim/kcfgout.c \
	src/sim/resources.c \
	src/sim/simobj.c \
	src/sim/store.c \
	src/sim/util.c
noinst_HEADERS += \
	src/sim/app.h \
	src/sim/clock.h \
	src/sim/evloop.h \
	src/sim/kcfgout.h \
	src/sim/resources.h \
	src/sim/sim.h \
	src/sim/simobj.h \
	src/sim/store.h \
	src/sim/util.h
# The API server: HTTP, auth, REST handlers, list/watch, patch, discovery,
# defaults and validation, the Table printer.
libpodsim_a_SOURCES += \
	src/sim/api/api.c \
	src/sim/api/api_write.c \
	src/sim/api/api_write_delete.c \
	src/sim/api/api_write_ints.c \
	src/sim/api/api_write_openapi.c \
	src/sim/api/api_write_pb.c \
	src/sim/api/api_write_prep.c \
	src/sim/api/api_write_sub.c \
	src/sim/api/auth.c \
	src/sim/api/certs.c \
	src/sim/api/discovery.c \
	src/sim/api/http.c \
	src/sim/api/list.c \
	src/sim/api/objdefaults.c \
	src/sim/api/objints.c \
	src/sim/api/gofmt.c \
	src/sim/api/objvalidate.c \
	src/sim/api/patch.c \
	src/sim/api/patch_strategic.c \
	src/sim/api/pbuf.c \
	src/sim/api/podcols.c \
	src/sim/api/printer.c \
	src/sim/api/reqlog.c \
	src/sim/api/selector.c \
	src/sim/api/server.c \
	src/sim/api/ssar.c \
	src/sim/api/table.c \
	src/sim/api/watch.c
noinst_HEADERS += \
	src/sim/api/api.h \
	src/sim/api/api_write.h \
	src/sim/api/auth.h \
	src/sim/api/certs.h \
	src/sim/api/discovery.h \
	src/sim/api/http.h \
	src/sim/api/list.h \
	src/sim/api/objdefaults.h \
	src/sim/api/objints.h \
	src/sim/api/gofmt.h \
	src/sim/api/patch.h \
	src/sim/api/pbuf.h \
	src/sim/api/podcols.h \
	src/sim/api/printer.h \
	src/sim/api/reqlog.h \
	src/sim/api/selector.h \
	src/sim/api/server.h \
	src/sim/api/ssar.h \
	src/sim/api/table.h \
	src/sim/api/watch.h
# The controllers: deployment, ReplicaSet, endpoints, GC, scheduler, events.
libpodsim_a_SOURCES += \
	src/sim/controllers/controllers.c \
	src/sim/controllers/ctrl_deployment.c \
	src/sim/controllers/ctrl_deployment_claim.c \
	src/sim/controllers/ctrl_deployment_ctl.c \
	src/sim/controllers/ctrl_deployment_logic.c \
	src/sim/controllers/ctrl_deployment_queue.c \
	src/sim/controllers/ctrl_deployment_rs.c \
	src/sim/controllers/ctrl_deployment_status.c \
	src/sim/controllers/ctrl_deployment_util.c \
	src/sim/controllers/ctrl_endpoints.c \
	src/sim/controllers/ctrl_gc.c \
	src/sim/controllers/ctrl_replicaset.c \
	src/sim/controllers/events.c \
	src/sim/controllers/kintstr.c \
	src/sim/controllers/sched.c
noinst_HEADERS += \
	src/sim/controllers/controllers.h \
	src/sim/controllers/ctrl_deployment.h \
	src/sim/controllers/ctrl_deployment_int.h \
	src/sim/controllers/ctrl_deployment_logic.h \
	src/sim/controllers/ctrl_deployment_sync.h \
	src/sim/controllers/ctrl_deployment_util.h \
	src/sim/controllers/ctrl_endpoints.h \
	src/sim/controllers/ctrl_gc.h \
	src/sim/controllers/events.h \
	src/sim/controllers/kintstr.h \
	src/sim/controllers/sched.h
# The kubelets and the simulated processes in their containers.
libpodsim_a_SOURCES += \
	src/sim/kubelet/kubelet.c \
	src/sim/kubelet/kubelet_backoff.c \
	src/sim/kubelet/kubelet_ctl.c \
	src/sim/kubelet/kubelet_phase.c \
	src/sim/kubelet/kubelet_probe.c \
	src/sim/kubelet/kubelet_spec.c \
	src/sim/kubelet/kubelet_status.c \
	src/sim/kubelet/kubelet_sync.c \
	src/sim/kubelet/poddelete.c \
	src/sim/kubelet/procsim.c \
	src/sim/kubelet/procsim_image.c \
	src/sim/kubelet/procsim_run.c
noinst_HEADERS += \
	src/sim/kubelet/kubelet.h \
	src/sim/kubelet/kubelet_backoff.h \
	src/sim/kubelet/kubelet_int.h \
	src/sim/kubelet/kubelet_phase.h \
	src/sim/kubelet/poddelete.h \
	src/sim/kubelet/procsim.h \
	src/sim/kubelet/procsim_int.h
# Scenarios, their control interface and --fault injection.
libpodsim_a_SOURCES += \
	src/sim/scenarios/control.c \
	src/sim/scenarios/faults.c \
	src/sim/scenarios/scenario.c \
	src/sim/scenarios/scenario_ext.c \
	src/sim/scenarios/scenario_load.c \
	src/sim/scenarios/scenario_ops.c \
	src/sim/scenarios/scenario_run.c \
	src/sim/scenarios/scenario_step.c \
	src/sim/scenarios/yamlpos.c
noinst_HEADERS += \
	src/sim/scenarios/control.h \
	src/sim/scenarios/faults.h \
	src/sim/scenarios/scenario.h \
	src/sim/scenarios/scenario_int.h \
	src/sim/scenarios/yamlpos.h
nodist_libpodsim_a_SOURCES = src/sim/scenarios/scenarios_builtin.c

# The tests start podscope-sim as a process with the demo's own launcher
# (include/podscope/simlaunch.h, in libcmd).
SIM_TEST_CFLAGS = $(TEST_CFLAGS) $(SIM_INCLUDES)
# The in-process harnesses of the C tests: the simulator with a curl client
# (tests/lib/simhttp.h) and its write-path setup (simwrite.h), the deployment
# controllers with a trivial kubelet (simcluster.h), the scheduler and
# kubelets on a stepped clock (simkubelet.h); JSON by path (testjson.h).
check_LIBRARIES += tests/lib/libsimtest.a
tests_lib_libsimtest_a_SOURCES = tests/lib/simhttp.c tests/lib/simwrite.c \
	tests/lib/simcluster.c tests/lib/simkubelet.c tests/lib/testjson.c
tests_lib_libsimtest_a_CFLAGS = $(SIM_TEST_CFLAGS)
noinst_HEADERS += tests/lib/simhttp.h tests/lib/simwrite.h tests/lib/simcluster.h \
	tests/lib/simkubelet.h tests/lib/testjson.h
SIMTEST_LIBS = tests/lib/libsimtest.a
SIM_TEST_LIBS = $(SIMTEST_LIBS) $(PODSIM_LIBS) $(TEST_LIBS)

# The simulator's own tests: the store and parsers, the HTTP API in-process,
# and podscope-sim as a process (TLS, users, the request log).
check_PROGRAMS += tests/unit/test_sim_store tests/unit/test_sim_api tests/unit/test_sim_proc
TESTS += tests/unit/test_sim_store tests/unit/test_sim_api tests/unit/test_sim_proc
UNIT_TESTS += tests/unit/test_sim_store tests/unit/test_sim_api tests/unit/test_sim_proc
tests_unit_test_sim_store_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_store_LDADD = $(SIM_TEST_LIBS)
tests_unit_test_sim_api_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_api_LDADD = $(SIM_TEST_LIBS)
tests_unit_test_sim_proc_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_proc_LDADD = $(SIM_TEST_LIBS)

TESTS += tests/integration/sim_kubectl.sh
EXTRA_DIST += tests/integration/sim_kubectl.sh tests/fixtures/sim/shop.yaml \
	tests/fixtures/sim/bad.yaml
# Defaults and validation (the API server's).
check_PROGRAMS += tests/unit/test_objects
TESTS += tests/unit/test_objects
UNIT_TESTS += tests/unit/test_objects
tests_unit_test_objects_CFLAGS = $(TEST_CFLAGS) $(SIM_INCLUDES)
tests_unit_test_objects_LDADD = $(PODSIM_LIBS) $(CHECK_LIBS)
# The built-in scenarios, generated from doc/scenarios/.
SCENARIO_FILES = doc/scenarios/bad-image.yaml doc/scenarios/blue-green.yaml \
	doc/scenarios/completed-pod.yaml doc/scenarios/crashloop.yaml doc/scenarios/demo.yaml \
	doc/scenarios/empty.yaml doc/scenarios/error-pod.yaml doc/scenarios/init-container.yaml \
	doc/scenarios/liveness.yaml doc/scenarios/load.yaml doc/scenarios/poststart.yaml \
	doc/scenarios/readiness.yaml doc/scenarios/recreate.yaml \
	doc/scenarios/rolling-update.yaml doc/scenarios/stalled.yaml
scenariosdir = $(pkgdatadir)/scenarios
dist_scenarios_DATA = $(SCENARIO_FILES)
EXTRA_DIST += src/sim/scenarios/gen-scenarios.sh
CLEANFILES += src/sim/scenarios/scenarios_builtin.c
src/sim/scenarios/scenarios_builtin.c: $(SCENARIO_FILES) src/sim/scenarios/gen-scenarios.sh
	$(AM_V_GEN)$(MKDIR_P) src/sim/scenarios && \
	$(SHELL) $(srcdir)/src/sim/scenarios/gen-scenarios.sh $(srcdir) $(SCENARIO_FILES) >$@.tmp && \
	mv $@.tmp $@
check_PROGRAMS += tests/unit/test_patch
TESTS += tests/unit/test_patch
UNIT_TESTS += tests/unit/test_patch
tests_unit_test_patch_CFLAGS = $(TEST_CFLAGS) $(SIM_INCLUDES)
tests_unit_test_patch_LDADD = $(PODSIM_LIBS) $(TEST_LIBS)
check_PROGRAMS += tests/unit/test_sim_scenario tests/unit/test_sim_faults
TESTS += tests/unit/test_sim_scenario tests/unit/test_sim_faults
UNIT_TESTS += tests/unit/test_sim_scenario tests/unit/test_sim_faults
tests_unit_test_sim_scenario_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_scenario_LDADD = $(SIM_TEST_LIBS)
tests_unit_test_sim_faults_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_faults_LDADD = $(SIM_TEST_LIBS)
# The seed's scenarios end as the seed says (podscope-sim as a process), and
# the real kubectl drives a rollout (SKIPs without kubectl).
check_PROGRAMS += tests/unit/test_sim_seed
TESTS += tests/unit/test_sim_seed
tests_unit_test_sim_seed_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_seed_LDADD = $(SIM_TEST_LIBS)
TESTS += tests/integration/kubectl_conformance.sh
EXTRA_DIST += tests/integration/kubectl_conformance.sh
# The write path, and the controllers (endpoints, namespaces, GC).
check_PROGRAMS += tests/unit/test_sim_write tests/unit/test_sim_write_ctrl
TESTS += tests/unit/test_sim_write tests/unit/test_sim_write_ctrl
UNIT_TESTS += tests/unit/test_sim_write tests/unit/test_sim_write_ctrl
tests_unit_test_sim_write_SOURCES = tests/unit/test_sim_write.c tests/unit/test_sim_write.h
tests_unit_test_sim_write_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_write_LDADD = $(SIM_TEST_LIBS)
tests_unit_test_sim_write_ctrl_SOURCES = tests/unit/test_sim_write_ctrl.c \
	tests/unit/test_sim_write.h
tests_unit_test_sim_write_ctrl_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_write_ctrl_LDADD = $(SIM_TEST_LIBS)
check_PROGRAMS += tests/unit/test_sim_kubelet
TESTS += tests/unit/test_sim_kubelet
UNIT_TESTS += tests/unit/test_sim_kubelet
tests_unit_test_sim_kubelet_SOURCES = tests/unit/test_sim_kubelet.c \
	tests/unit/test_sim_kubelet_probe.c tests/unit/test_sim_kubelet.h
tests_unit_test_sim_kubelet_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_kubelet_LDADD = $(SIM_TEST_LIBS)
TESTS += tests/integration/sim_writes.sh
EXTRA_DIST += tests/integration/sim_writes.sh tests/fixtures/sim/pb
# The sim's own server-side printer, deployment conditions and arithmetic, pod
# phase and back-off, checked against upstream's test tables.
check_PROGRAMS += tests/unit/test_sim_printer
TESTS += tests/unit/test_sim_printer
UNIT_TESTS += tests/unit/test_sim_printer
tests_unit_test_sim_printer_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_printer_LDADD = $(PODSIM_LIBS) $(TEST_LIBS)
check_PROGRAMS += tests/unit/test_sim_ports
TESTS += tests/unit/test_sim_ports
UNIT_TESTS += tests/unit/test_sim_ports
tests_unit_test_sim_ports_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_ports_LDADD = $(PODSIM_LIBS) $(TEST_LIBS)
# Integers, annotations, connections, watches and signals.
check_PROGRAMS += tests/unit/test_sim_limits
TESTS += tests/unit/test_sim_limits
UNIT_TESTS += tests/unit/test_sim_limits
tests_unit_test_sim_limits_SOURCES = tests/unit/test_sim_limits.c tests/unit/test_sim_write.h
tests_unit_test_sim_limits_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_limits_LDADD = $(SIM_TEST_LIBS)
TESTS += tests/integration/sim_limits.sh
EXTRA_DIST += tests/integration/sim_limits.sh
