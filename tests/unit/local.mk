# Unit tests (Check): one program per module, in one process, starting no
# process and no server. Every program is also in C_TESTS, which
# check-valgrind runs.

# the tests' file reader; core's plumbing
UNIT_CORE = tests/unit/test_testutil tests/unit/test_core tests/unit/test_sanitize
check_PROGRAMS += $(UNIT_CORE)
TESTS += $(UNIT_CORE)
C_TESTS += $(UNIT_CORE)
tests_unit_test_testutil_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_testutil_LDADD = $(TEST_LIBS)
tests_unit_test_core_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_core_LDADD = $(TEST_LIBS)
tests_unit_test_sanitize_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_sanitize_LDADD = $(TEST_LIBS)

# the pure model: durations, intstr, pod STATUS and phase, rollout status,
# back-off, lifecycle stages, generations
UNIT_MODEL = tests/unit/test_duration tests/unit/test_intstr tests/unit/test_pod_status \
	tests/unit/test_pod_phase tests/unit/test_rollout tests/unit/test_backoff \
	tests/unit/test_lifecycle tests/unit/test_generations tests/unit/test_podruns \
	tests/unit/test_eta
check_PROGRAMS += $(UNIT_MODEL)
TESTS += $(UNIT_MODEL)
C_TESTS += $(UNIT_MODEL)
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
tests_unit_test_lifecycle_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_lifecycle_LDADD = $(TEST_LIBS)
tests_unit_test_generations_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_generations_LDADD = $(TEST_LIBS)
tests_unit_test_podruns_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_podruns_LDADD = $(TEST_LIBS)
tests_unit_test_eta_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_eta_LDADD = $(TEST_LIBS)
EXTRA_DIST += tests/fixtures/pods
# the server's clock skew (Date headers)
check_PROGRAMS += tests/unit/test_clockskew
TESTS += tests/unit/test_clockskew
C_TESTS += tests/unit/test_clockskew
tests_unit_test_clockskew_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_clockskew_LDADD = $(TEST_LIBS)

# the store, the interner, watch framing
UNIT_STORE = tests/unit/test_intern tests/unit/test_store tests/unit/test_watchframe \
	tests/unit/test_store_kinds
check_PROGRAMS += $(UNIT_STORE)
TESTS += $(UNIT_STORE)
C_TESTS += $(UNIT_STORE)
tests_unit_test_intern_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_intern_LDADD = $(TEST_LIBS)
tests_unit_test_store_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_store_LDADD = $(TEST_LIBS)
tests_unit_test_store_kinds_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_store_kinds_LDADD = $(TEST_LIBS)
tests_unit_test_watchframe_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_watchframe_LDADD = $(TEST_LIBS)

# Warning events folded by reason (the rollout view)
check_PROGRAMS += tests/unit/test_warnfold
TESTS += tests/unit/test_warnfold
C_TESTS += tests/unit/test_warnfold
tests_unit_test_warnfold_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_warnfold_LDADD = $(TEST_LIBS)

# the recording format (record, replay, report)
check_PROGRAMS += tests/unit/test_recfile
TESTS += tests/unit/test_recfile
C_TESTS += tests/unit/test_recfile
tests_unit_test_recfile_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_recfile_LDADD = $(TEST_LIBS)
# replay's time line: transitions, rollout starts, gaps
check_PROGRAMS += tests/unit/test_rectimeline
TESTS += tests/unit/test_rectimeline
C_TESTS += tests/unit/test_rectimeline
tests_unit_test_rectimeline_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_rectimeline_LDADD = $(TEST_LIBS)

# Nodes, quantities, DaemonSet placement (NodeShouldRunDaemonPod)
check_PROGRAMS += tests/unit/test_nodes
TESTS += tests/unit/test_nodes
C_TESTS += tests/unit/test_nodes
tests_unit_test_nodes_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_nodes_LDADD = $(TEST_LIBS)

# PodDisruptionBudgets, ResourceQuotas, HPAs in the store; a workload's blockers
check_PROGRAMS += tests/unit/test_policy
TESTS += tests/unit/test_policy
C_TESTS += tests/unit/test_policy
tests_unit_test_policy_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_policy_LDADD = $(TEST_LIBS)

# kube: the loop, Status errors, kubeconfig (over tests/fixtures/kubeconfig)
UNIT_KUBE = tests/unit/test_loop tests/unit/test_kstatus tests/unit/test_kubeconfig
check_PROGRAMS += $(UNIT_KUBE)
TESTS += $(UNIT_KUBE)
C_TESTS += $(UNIT_KUBE)
tests_unit_test_loop_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_unit_test_loop_LDADD = $(TEST_LIBS)
tests_unit_test_kstatus_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_unit_test_kstatus_LDADD = $(TEST_LIBS)
tests_unit_test_kubeconfig_SOURCES = tests/unit/test_kubeconfig.c \
	tests/unit/test_kubeconfig_errors.c tests/unit/test_kubeconfig_util.c \
	tests/unit/test_kubeconfig_files.c \
	tests/unit/test_kubeconfig.h
tests_unit_test_kubeconfig_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/src
tests_unit_test_kubeconfig_LDADD = $(TEST_LIBS)
EXTRA_DIST += tests/fixtures/kubeconfig

# commands and actions without a cluster
UNIT_CMD = tests/unit/test_lifecycle_cmd tests/unit/test_actions_unit
check_PROGRAMS += $(UNIT_CMD)
TESTS += $(UNIT_CMD)
C_TESTS += $(UNIT_CMD)
tests_unit_test_lifecycle_cmd_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/src/cmd
tests_unit_test_lifecycle_cmd_LDADD = $(TEST_LIBS)
tests_unit_test_actions_unit_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_actions_unit_LDADD = $(TEST_LIBS)

# StatefulSet and DaemonSet plans from their objects and ControllerRevisions
UNIT_SETS_ACT = tests/unit/test_actions_sets_unit
check_PROGRAMS += $(UNIT_SETS_ACT)
TESTS += $(UNIT_SETS_ACT)
C_TESTS += $(UNIT_SETS_ACT)
tests_unit_test_actions_sets_unit_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_unit_test_actions_sets_unit_LDADD = $(TEST_LIBS)

# Job and CronJob plans: suspend, resume, a Job from a CronJob
UNIT_JOBS_ACT = tests/unit/test_actions_jobs_unit
check_PROGRAMS += $(UNIT_JOBS_ACT)
TESTS += $(UNIT_JOBS_ACT)
C_TESTS += $(UNIT_JOBS_ACT)
tests_unit_test_actions_jobs_unit_CFLAGS = $(KUBE_TEST_CFLAGS)
tests_unit_test_actions_jobs_unit_LDADD = $(TEST_LIBS)

# the simulator's parts in-process: the store and its event loop, defaults
# and validation, patches, the deployment and ReplicaSet controllers (their
# decisions, and rollouts on a fake kubelet), the scheduler and kubelets on a
# stepped clock, and its own ports of upstream (printer, conditions,
# arithmetic, pod phase, back-off) against upstream's test tables
UNIT_SIM = tests/unit/test_sim_store tests/unit/test_objects tests/unit/test_patch \
	tests/unit/test_sim_deploy tests/unit/test_sim_deploy_status \
	tests/unit/test_sim_deploy_run tests/unit/test_sim_kubelet \
	tests/unit/test_sim_printer tests/unit/test_sim_ports tests/unit/test_sim_sts
check_PROGRAMS += $(UNIT_SIM)
TESTS += $(UNIT_SIM)
C_TESTS += $(UNIT_SIM)
tests_unit_test_sim_store_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_store_LDADD = $(SIM_TEST_LIBS)
tests_unit_test_objects_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_objects_LDADD = $(PODSIM_LIBS) $(CHECK_LIBS)
tests_unit_test_patch_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_patch_LDADD = $(PODSIM_LIBS) $(TEST_LIBS)
noinst_HEADERS += tests/unit/test_sim_deploy.h
tests_unit_test_sim_deploy_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_deploy_LDADD = $(PODSIM_LIBS) $(TEST_LIBS)
tests_unit_test_sim_deploy_status_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_deploy_status_LDADD = $(PODSIM_LIBS) $(TEST_LIBS)
tests_unit_test_sim_deploy_run_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_deploy_run_LDADD = $(SIM_TEST_LIBS)
tests_unit_test_sim_kubelet_SOURCES = tests/unit/test_sim_kubelet.c \
	tests/unit/test_sim_kubelet_probe.c tests/unit/test_sim_kubelet.h
tests_unit_test_sim_kubelet_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_kubelet_LDADD = $(SIM_TEST_LIBS)
tests_unit_test_sim_printer_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_printer_LDADD = $(PODSIM_LIBS) $(TEST_LIBS)
tests_unit_test_sim_ports_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_ports_LDADD = $(PODSIM_LIBS) $(TEST_LIBS)
tests_unit_test_sim_sts_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_sts_LDADD = $(SIM_TEST_LIBS)
# container logs: the log ring, PodLogOptions, what the processes print
UNIT_SIM_LOGS = tests/unit/test_sim_logs
check_PROGRAMS += $(UNIT_SIM_LOGS)
TESTS += $(UNIT_SIM_LOGS)
C_TESTS += $(UNIT_SIM_LOGS)
tests_unit_test_sim_logs_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_logs_LDADD = $(SIM_TEST_LIBS)
# the DaemonSet controller in-process, with the scheduler and the pod GC
UNIT_SIM_DS = tests/unit/test_sim_ds
check_PROGRAMS += $(UNIT_SIM_DS)
TESTS += $(UNIT_SIM_DS)
C_TESTS += $(UNIT_SIM_DS)
tests_unit_test_sim_ds_SOURCES = tests/unit/test_sim_ds.c tests/unit/test_sim_ds_run.c \
	tests/unit/test_sim_ds.h
tests_unit_test_sim_ds_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_ds_LDADD = $(SIM_TEST_LIBS)

# the pod features of Kubernetes 1.29-1.33 on the sim's scheduler and kubelet
UNIT_PODFEAT = tests/unit/test_sim_podfeat
check_PROGRAMS += $(UNIT_PODFEAT)
TESTS += $(UNIT_PODFEAT)
C_TESTS += $(UNIT_PODFEAT)
tests_unit_test_sim_podfeat_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_podfeat_LDADD = $(SIM_TEST_LIBS)

# the Job and CronJob controllers, in-process
UNIT_SIM_BATCH = tests/unit/test_sim_job tests/unit/test_sim_cronjob
check_PROGRAMS += $(UNIT_SIM_BATCH)
TESTS += $(UNIT_SIM_BATCH)
C_TESTS += $(UNIT_SIM_BATCH)
tests_unit_test_sim_job_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_job_LDADD = $(SIM_TEST_LIBS)
tests_unit_test_sim_cronjob_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_cronjob_LDADD = $(SIM_TEST_LIBS)

# StatefulSets and DaemonSets: decoders and kubectl's rollout status
UNIT_KINDS = tests/unit/test_rollout_kinds
check_PROGRAMS += $(UNIT_KINDS)
TESTS += $(UNIT_KINDS)
C_TESTS += $(UNIT_KINDS)
tests_unit_test_rollout_kinds_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_rollout_kinds_LDADD = $(TEST_LIBS)
EXTRA_DIST += tests/fixtures/rollout-kinds

# Jobs and CronJobs: decoders, kubectl's cells, the back-off, the cron schedule
UNIT_BATCH = tests/unit/test_job tests/unit/test_store_batch
check_PROGRAMS += $(UNIT_BATCH)
TESTS += $(UNIT_BATCH)
C_TESTS += $(UNIT_BATCH)
tests_unit_test_job_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_job_LDADD = $(TEST_LIBS)
tests_unit_test_store_batch_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_store_batch_LDADD = $(TEST_LIBS)
EXTRA_DIST += tests/fixtures/batch

# container logs: line splitting, caps, hostile bytes
UNIT_LOGS = tests/unit/test_logstore
check_PROGRAMS += $(UNIT_LOGS)
TESTS += $(UNIT_LOGS)
C_TESTS += $(UNIT_LOGS)
tests_unit_test_logstore_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_logstore_LDADD = $(TEST_LIBS)
# the root cause of a rollout in one line, over tests/fixtures/why
check_PROGRAMS += tests/unit/test_why
TESTS += tests/unit/test_why
C_TESTS += tests/unit/test_why
tests_unit_test_why_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_why_LDADD = $(TEST_LIBS)
EXTRA_DIST += tests/fixtures/why

# the sim's scheduler by requests against node allocatable, in-process
UNIT_SIM_FIT = tests/unit/test_sim_fit
check_PROGRAMS += $(UNIT_SIM_FIT)
TESTS += $(UNIT_SIM_FIT)
C_TESTS += $(UNIT_SIM_FIT)
tests_unit_test_sim_fit_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_fit_LDADD = $(SIM_TEST_LIBS)

# ResourceQuota: the quota controller, admission and the ReplicaSet's ReplicaFailure
UNIT_SIM_QUOTA = tests/unit/test_sim_quota
check_PROGRAMS += $(UNIT_SIM_QUOTA)
TESTS += $(UNIT_SIM_QUOTA)
C_TESTS += $(UNIT_SIM_QUOTA)
tests_unit_test_sim_quota_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_quota_LDADD = $(SIM_TEST_LIBS)

# PodDisruptionBudget: the disruption controller and the eviction's answers
UNIT_SIM_PDB = tests/unit/test_sim_pdb
check_PROGRAMS += $(UNIT_SIM_PDB)
TESTS += $(UNIT_SIM_PDB)
C_TESTS += $(UNIT_SIM_PDB)
tests_unit_test_sim_pdb_CFLAGS = $(SIM_TEST_CFLAGS)
tests_unit_test_sim_pdb_LDADD = $(SIM_TEST_LIBS)
# The post-mortem report: series, bars, escaping, caps (src/core/report*.c).
check_PROGRAMS += tests/unit/test_report
TESTS += tests/unit/test_report
C_TESTS += tests/unit/test_report
tests_unit_test_report_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_report_LDADD = $(TEST_LIBS)
