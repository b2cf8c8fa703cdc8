# cmd: the sub-commands (get, wait, watch, config, version), the dashboard
# and the demo launcher; the top layer, over ui, kube and core.
libcmd_a_SOURCES += \
	src/cmd/cli.c \
	src/cmd/cmd_basic.c \
	src/cmd/cmd_print.c \
	src/cmd/cmd_common.c \
	src/cmd/cmd_stab.c \
	src/cmd/cmd_get.c \
	src/cmd/cmd_get_text.c \
	src/cmd/cmd_get_json.c \
	src/cmd/cmd_blockers.c \
	src/cmd/cmd_whylog.c \
	src/cmd/cmd_wait.c \
	src/cmd/cmd_workload.c \
	src/cmd/cmd_dsnodes.c \
	src/cmd/cmd_job.c \
	src/cmd/cmd_watch.c \
	src/cmd/cmd_fleet.c \
	src/cmd/cmd_get_fleet.c \
	src/cmd/dashboard.c \
	src/cmd/demo.c \
	src/cmd/simlaunch.c
noinst_HEADERS += src/cmd/cmd_job.h
noinst_HEADERS += src/cmd/cmd_dsnodes.h src/cmd/cmd_fleet.h
noinst_HEADERS += src/cmd/cli.h src/cmd/cmd_common.h src/cmd/cmd_get.h src/cmd/cmd_print.h src/cmd/cmd_workload.h include/podscope/simlaunch.h
EXTRA_DIST += doc/json.md doc/podscope-commands.md
# logs: a pod's or a workload's container logs
libcmd_a_SOURCES += src/cmd/cmd_logs.c src/cmd/cmd_logs_opts.c
# record and replay: the informers' events to a recording and back (doc/recording.md)
libcmd_a_SOURCES += src/cmd/cmd_record.c src/cmd/cmd_replay.c
# podscope report (doc/report.md)
libcmd_a_SOURCES += src/cmd/cmd_report.c src/cmd/cmd_report.h src/cmd/cmd_report_live.c
# the one recorder (record, --record) with rotation
libcmd_a_SOURCES += src/cmd/recorder.c src/cmd/replay_driver.c
noinst_HEADERS += src/cmd/recorder.h src/cmd/replay_driver.h
noinst_HEADERS += src/cmd/cmd_logs.h
# --demo --fleet: three simulated clusters as three contexts
libcmd_a_SOURCES += src/cmd/demo_fleet.c
