# sim: podscope-sim, the simulated API server (libmicrohttpd, gnutls).
libpodsim_a_SOURCES += \
	src/sim/api.c \
	src/sim/app.c \
	src/sim/auth.c \
	src/sim/certs.c \
	src/sim/discovery.c \
	src/sim/evloop.c \
	src/sim/http.c \
	src/sim/kcfgout.c \
	src/sim/list.c \
	src/sim/pbuf.c \
	src/sim/podcols.c \
	src/sim/reqlog.c \
	src/sim/resources.c \
	src/sim/scenario.c \
	src/sim/selector.c \
	src/sim/server.c \
	src/sim/simobj.c \
	src/sim/ssar.c \
	src/sim/store.c \
	src/sim/table.c \
	src/sim/util.c \
	src/sim/watch.c
noinst_HEADERS += \
	src/sim/api.h \
	src/sim/app.h \
	src/sim/auth.h \
	src/sim/certs.h \
	src/sim/discovery.h \
	src/sim/evloop.h \
	src/sim/http.h \
	src/sim/kcfgout.h \
	src/sim/list.h \
	src/sim/pbuf.h \
	src/sim/podcols.h \
	src/sim/reqlog.h \
	src/sim/resources.h \
	src/sim/scenario.h \
	src/sim/selector.h \
	src/sim/server.h \
	src/sim/sim.h \
	src/sim/simobj.h \
	src/sim/ssar.h \
	src/sim/store.h \
	src/sim/table.h \
	src/sim/util.h \
	src/sim/watch.h

# The harness that starts podscope-sim for C tests (tests/lib/simproc.h).
check_LIBRARIES += tests/lib/libsimproc.a
tests_lib_libsimproc_a_SOURCES = tests/lib/simproc.c
tests_lib_libsimproc_a_CFLAGS = $(AM_CFLAGS)
noinst_HEADERS += tests/lib/simproc.h
SIMPROC_LIBS = tests/lib/libsimproc.a
SIM_TEST_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/src/sim
SIM_TEST_LIBS = $(SIMPROC_LIBS) $(PODSIM_LIBS) $(TEST_LIBS)

# The simulator's own tests: the store and parsers, the HTTP API in-process,
# and podscope-sim as a process (TLS, users, the request log).
check_PROGRAMS += tests/unit/test_sim_store tests/unit/test_sim_api tests/unit/test_sim_proc
TESTS += tests/unit/test_sim_store tests/unit/test_sim_api tests/unit/test_sim_proc
UNIT_TESTS += tests/unit/test_sim_store tests/unit/test_sim_api tests/unit/test_sim_proc
tests_unit_test_sim_store_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_store_LDADD = $(SIM_TEST_LIBS)
tests_unit_test_sim_api_SOURCES = tests/unit/test_sim_api.c tests/unit/test_sim_http.h
tests_unit_test_sim_api_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_api_LDADD = $(SIM_TEST_LIBS)
tests_unit_test_sim_proc_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_proc_LDADD = $(SIM_TEST_LIBS)

TESTS += tests/integration/sim_kubectl.sh
EXTRA_DIST += tests/integration/sim_kubectl.sh tests/fixtures/sim/shop.yaml \
	tests/fixtures/sim/bad.yaml
# Defaults and validation (the API server's), owned by the lead.
libpodsim_a_SOURCES += src/sim/objdefaults.c src/sim/objvalidate.c src/sim/objints.c
noinst_HEADERS += src/sim/objdefaults.h src/sim/objints.h
check_PROGRAMS += tests/unit/test_objects
TESTS += tests/unit/test_objects
UNIT_TESTS += tests/unit/test_objects
tests_unit_test_objects_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_objects_LDADD = $(PODSIM_LIBS) $(CHECK_LIBS)
# The simulated clock (--speed), owned by the lead.
libpodsim_a_SOURCES += src/sim/clock.c
noinst_HEADERS += src/sim/clock.h
# The event recorder, owned by the lead.
libpodsim_a_SOURCES += src/sim/events.c
noinst_HEADERS += src/sim/events.h
# The table of controllers (one row per moving part), owned by the lead.
libpodsim_a_SOURCES += src/sim/controllers.c
noinst_HEADERS += src/sim/controllers.h
# Scenarios (built-in from doc/scenarios/), timed steps, the control
# interface and --fault injection (helper H-scenarios).
libpodsim_a_SOURCES += src/sim/scenario_step.c src/sim/scenario_run.c src/sim/scenario_ops.c \
	src/sim/scenario_ext.c src/sim/scenario_load.c src/sim/yamlpos.c src/sim/control.c \
	src/sim/faults.c
nodist_libpodsim_a_SOURCES = src/sim/scenarios_builtin.c
noinst_HEADERS += src/sim/scenario_int.h src/sim/yamlpos.h src/sim/control.h src/sim/faults.h
SCENARIO_FILES = doc/scenarios/bad-image.yaml doc/scenarios/blue-green.yaml \
	doc/scenarios/completed-pod.yaml doc/scenarios/crashloop.yaml doc/scenarios/demo.yaml \
	doc/scenarios/empty.yaml doc/scenarios/error-pod.yaml doc/scenarios/init-container.yaml \
	doc/scenarios/liveness.yaml doc/scenarios/load.yaml doc/scenarios/poststart.yaml \
	doc/scenarios/readiness.yaml doc/scenarios/recreate.yaml \
	doc/scenarios/rolling-update.yaml doc/scenarios/stalled.yaml
scenariosdir = $(pkgdatadir)/scenarios
dist_scenarios_DATA = $(SCENARIO_FILES)
EXTRA_DIST += src/sim/gen-scenarios.sh
CLEANFILES += src/sim/scenarios_builtin.c
src/sim/scenarios_builtin.c: $(SCENARIO_FILES) src/sim/gen-scenarios.sh
	$(AM_V_GEN)$(MKDIR_P) src/sim && \
	$(SHELL) $(srcdir)/src/sim/gen-scenarios.sh $(srcdir) $(SCENARIO_FILES) >$@.tmp && \
	mv $@.tmp $@
# The write path, graceful pod deletion, endpoints, garbage collector and
# namespace lifecycle (helper H-writes).
libpodsim_a_SOURCES += src/sim/api_write.c src/sim/api_write_delete.c src/sim/api_write_ints.c \
	src/sim/api_write_openapi.c src/sim/api_write_pb.c src/sim/api_write_prep.c \
	src/sim/api_write_sub.c \
	src/sim/poddelete.c src/sim/ctrl_endpoints.c src/sim/ctrl_gc.c
noinst_HEADERS += src/sim/api_write.h src/sim/poddelete.h src/sim/ctrl_endpoints.h \
	src/sim/ctrl_gc.h
# The deployment and ReplicaSet controllers (helper H-deploy).
libpodsim_a_SOURCES += src/sim/ctrl_deployment.c src/sim/ctrl_deployment_claim.c \
	src/sim/ctrl_deployment_ctl.c \
	src/sim/ctrl_deployment_logic.c src/sim/ctrl_deployment_queue.c \
	src/sim/ctrl_deployment_rs.c src/sim/ctrl_deployment_status.c src/sim/ctrl_replicaset.c
noinst_HEADERS += src/sim/ctrl_deployment.h src/sim/ctrl_deployment_int.h \
	src/sim/ctrl_deployment_logic.h src/sim/ctrl_deployment_sync.h
# The patch flavours (the lead's src/sim/patch*.c, not built before; added by H-writes).
libpodsim_a_SOURCES += src/sim/patch.c src/sim/patch_strategic.c
noinst_HEADERS += src/sim/patch.h
check_PROGRAMS += tests/unit/test_patch
TESTS += tests/unit/test_patch
UNIT_TESTS += tests/unit/test_patch
tests_unit_test_patch_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_patch_LDADD = $(PODSIM_LIBS) $(TEST_LIBS)
check_PROGRAMS += tests/unit/test_sim_scenario tests/unit/test_sim_faults
TESTS += tests/unit/test_sim_scenario tests/unit/test_sim_faults
UNIT_TESTS += tests/unit/test_sim_scenario tests/unit/test_sim_faults
tests_unit_test_sim_scenario_SOURCES = tests/unit/test_sim_scenario.c tests/unit/test_sim_http.h
tests_unit_test_sim_scenario_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_scenario_LDADD = $(SIM_TEST_LIBS)
tests_unit_test_sim_faults_SOURCES = tests/unit/test_sim_faults.c tests/unit/test_sim_http.h
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
# H-writes' tests: the write path, and the controllers (endpoints, namespaces, GC).
check_PROGRAMS += tests/unit/test_sim_write tests/unit/test_sim_write_ctrl
TESTS += tests/unit/test_sim_write tests/unit/test_sim_write_ctrl
UNIT_TESTS += tests/unit/test_sim_write tests/unit/test_sim_write_ctrl
tests_unit_test_sim_write_SOURCES = tests/unit/test_sim_write.c tests/unit/test_sim_write.h \
	tests/unit/test_sim_http.h
tests_unit_test_sim_write_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_write_LDADD = $(SIM_TEST_LIBS)
tests_unit_test_sim_write_ctrl_SOURCES = tests/unit/test_sim_write_ctrl.c \
	tests/unit/test_sim_write.h tests/unit/test_sim_http.h
tests_unit_test_sim_write_ctrl_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_write_ctrl_LDADD = $(SIM_TEST_LIBS)
# The scheduler and the kubelets, with the container behaviour (helper H-kubelet).
libpodsim_a_SOURCES += src/sim/sched.c src/sim/kubelet.c src/sim/kubelet_spec.c \
	src/sim/kubelet_sync.c src/sim/kubelet_status.c src/sim/kubelet_probe.c \
	src/sim/kubelet_ctl.c src/sim/procsim.c src/sim/procsim_run.c src/sim/procsim_image.c
noinst_HEADERS += src/sim/sched.h src/sim/kubelet.h src/sim/kubelet_int.h src/sim/procsim.h \
	src/sim/procsim_int.h
check_PROGRAMS += tests/unit/test_sim_kubelet
TESTS += tests/unit/test_sim_kubelet
UNIT_TESTS += tests/unit/test_sim_kubelet
tests_unit_test_sim_kubelet_SOURCES = tests/unit/test_sim_kubelet.c \
	tests/unit/test_sim_kubelet_probe.c tests/unit/test_sim_kubelet_util.c \
	tests/unit/test_sim_kubelet.h
tests_unit_test_sim_kubelet_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_kubelet_LDADD = $(SIM_TEST_LIBS)
TESTS += tests/integration/sim_writes.sh
EXTRA_DIST += tests/integration/sim_writes.sh tests/fixtures/sim/pb
# The sim's own server-side printer and deployment conditions, restated from
# upstream (not podscope's model), and their upstream test tables (helper oracle).
libpodsim_a_SOURCES += src/sim/printer.c src/sim/ctrl_deployment_util.c
noinst_HEADERS += src/sim/printer.h src/sim/ctrl_deployment_util.h
check_PROGRAMS += tests/unit/test_sim_printer
TESTS += tests/unit/test_sim_printer
UNIT_TESTS += tests/unit/test_sim_printer
tests_unit_test_sim_printer_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_printer_LDADD = $(PODSIM_LIBS) $(TEST_LIBS)
# Integers, annotations, connections, watches and signals (issue 10, helper sim).
check_PROGRAMS += tests/unit/test_sim_limits
TESTS += tests/unit/test_sim_limits
UNIT_TESTS += tests/unit/test_sim_limits
tests_unit_test_sim_limits_SOURCES = tests/unit/test_sim_limits.c tests/unit/test_sim_write.h \
	tests/unit/test_sim_http.h
tests_unit_test_sim_limits_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_limits_LDADD = $(SIM_TEST_LIBS)
TESTS += tests/integration/sim_limits.sh
EXTRA_DIST += tests/integration/sim_limits.sh
