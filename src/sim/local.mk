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
	src/sim/api/podlog_api.c \
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
	src/sim/api/podlog_api.h \
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
	src/sim/kubelet/podlog.c \
	src/sim/kubelet/podlog_kubelet.c \
	src/sim/kubelet/procsim.c \
	src/sim/kubelet/procsim_image.c \
	src/sim/kubelet/procsim_run.c
noinst_HEADERS += \
	src/sim/kubelet/kubelet.h \
	src/sim/kubelet/kubelet_backoff.h \
	src/sim/kubelet/kubelet_int.h \
	src/sim/kubelet/kubelet_phase.h \
	src/sim/kubelet/poddelete.h \
	src/sim/kubelet/podlog.h \
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
# The StatefulSet controller and the ControllerRevisions it keeps.
libpodsim_a_SOURCES += \
	src/sim/controllers/ctrl_history.c \
	src/sim/controllers/ctrl_statefulset.c \
	src/sim/controllers/ctrl_statefulset_pod.c \
	src/sim/controllers/ctrl_statefulset_sync.c
noinst_HEADERS += \
	src/sim/controllers/ctrl_history.h \
	src/sim/controllers/ctrl_statefulset.h \
	src/sim/controllers/ctrl_statefulset_int.h
SCENARIO_FILES += doc/scenarios/statefulset-canary.yaml
SCENARIO_FILES += doc/scenarios/native-sidecar.yaml doc/scenarios/scheduling-gate.yaml \
	doc/scenarios/readiness-gate.yaml
# The DaemonSet controller and the node predicates it shares with the scheduler.
libpodsim_a_SOURCES += \
	src/sim/controllers/ctrl_daemonset.c \
	src/sim/controllers/ctrl_daemonset_history.c \
	src/sim/controllers/ctrl_daemonset_pod.c \
	src/sim/controllers/ctrl_daemonset_sync.c \
	src/sim/controllers/ctrl_daemonset_update.c \
	src/sim/controllers/ctrl_daemonset_util.c \
	src/sim/controllers/ctrl_podgc.c \
	src/sim/controllers/ctrl_queue.c \
	src/sim/controllers/nodefit.c
noinst_HEADERS += \
	src/sim/controllers/ctrl_daemonset.h \
	src/sim/controllers/ctrl_daemonset_int.h \
	src/sim/controllers/ctrl_podgc.h \
	src/sim/controllers/ctrl_queue.h \
	src/sim/controllers/nodefit.h
SCENARIO_FILES += doc/scenarios/daemonset-rolling.yaml
# The Job controller (with TTL after finished) and the CronJob controller.
libpodsim_a_SOURCES += \
	src/sim/controllers/ctrl_cronjob.c \
	src/sim/controllers/ctrl_job.c \
	src/sim/controllers/ctrl_job_pods.c \
	src/sim/controllers/ctrl_job_policy.c \
	src/sim/controllers/ctrl_job_sync.c \
	src/sim/controllers/ctrl_job_ttl.c \
	src/sim/cronsched.c
noinst_HEADERS += \
	src/sim/controllers/ctrl_cronjob.h \
	src/sim/controllers/ctrl_job.h \
	src/sim/cronsched.h \
	src/sim/controllers/ctrl_job_int.h
SCENARIO_FILES += doc/scenarios/job-backoff.yaml
SCENARIO_FILES += doc/scenarios/cronjob.yaml
# Container logs: the log ring, the pods/log endpoint, the log-load scenario.
SCENARIO_FILES += doc/scenarios/chatty-logs.yaml
# The blockers: pods' requests against node allocatable (the scheduler's
# NodeResourcesFit), ResourceQuota, PodDisruptionBudget and eviction.
libpodsim_a_SOURCES += \
	src/sim/api/printer_blockers.c \
	src/sim/api/eviction.c \
	src/sim/controllers/disruption.c \
	src/sim/controllers/nsqueue.c \
	src/sim/controllers/podreq.c \
	src/sim/controllers/resourcequota.c \
	src/sim/controllers/sched_fiterr.c \
	src/sim/scenarios/scenario_node.c
noinst_HEADERS += \
	src/sim/api/eviction.h \
	src/sim/controllers/disruption.h \
	src/sim/controllers/nsqueue.h \
	src/sim/controllers/podreq.h \
	src/sim/controllers/resourcequota.h \
	src/sim/controllers/sched_fiterr.h
SCENARIO_FILES += doc/scenarios/quota-blocked.yaml doc/scenarios/full-cluster.yaml \
	doc/scenarios/pdb-drain.yaml
