# core: no I/O. Pure functions over plain structs and memory buffers.
libcore_a_SOURCES += \
	src/core/err.c \
	src/core/buf.c \
	src/core/xalloc.c \
	src/core/yamljson.c \
	src/core/yamlscalar.c
noinst_HEADERS += \
	include/podscope/err.h \
	include/podscope/buf.h \
	include/podscope/xalloc.h \
	include/podscope/yamljson.h \
	src/core/yamljson_int.h \
	include/podscope/jsonscan.h \
	include/podscope/listsplit.h \
	include/podscope/sort.h \
	include/podscope/strfmt.h \
	include/podscope/loop.h \
	include/podscope/client.h \
	include/podscope/kubeconfig.h
# Pure model: durations, intstr arithmetic, pod status, rollout status, back-off.
libcore_a_SOURCES += \
	src/core/duration.c \
	src/core/strfmt.c \
	src/core/intstr.c \
	src/core/pod_status.c \
	src/core/pod_phase.c \
	src/core/pod_decode.c \
	src/core/pod_labels.c \
	src/core/rollout.c \
	src/core/backoff.c
noinst_HEADERS += \
	include/podscope/duration.h \
	include/podscope/intstr.h \
	include/podscope/model.h \
	include/podscope/pod_status.h \
	include/podscope/rollout.h \
	include/podscope/dsplace.h \
	include/podscope/dsnodes.h \
	include/podscope/policy.h \
	include/podscope/blockers.h \
	include/podscope/backoff.h
# The live store: interned strings, compact objects, indexes, change tracking;
# model decoders and walkers; watch-stream framing.
libcore_a_SOURCES += \
	src/core/intern.c \
	src/core/model_decode_util.c \
	src/core/model_decode_apps.c \
	src/core/model_decode_misc.c \
	src/core/model_decode_node.c \
	src/core/model_decode_policy.c \
	src/core/blockers.c \
	src/core/dsplace.c \
	src/core/dsnodes.c \
	src/core/model_walk.c \
	src/core/jsonscan.c \
	src/core/listsplit.c \
	src/core/sort.c \
	src/core/store.c \
	src/core/store_table.c \
	src/core/store_kinds.c \
	src/core/store_index.c \
	src/core/store_blob.c \
	src/core/watchframe.c \
	src/core/jarena.c
noinst_HEADERS += \
	include/podscope/jarena.h \
	include/podscope/intern.h \
	include/podscope/store.h \
	include/podscope/watchframe.h \
	src/core/model_dec.h \
	src/core/store_int.h
# Warning events folded by reason for the rollout view.
libcore_a_SOURCES += src/core/warnfold.c
noinst_HEADERS += include/podscope/warnfold.h
# The recording format (record, replay, report): events in, bytes out.
libcore_a_SOURCES += src/core/recfile.c src/core/recread.c
libcore_a_SOURCES += src/core/rectimeline.c
noinst_HEADERS += include/podscope/rectimeline.h
noinst_HEADERS += include/podscope/recfile.h src/core/recfile_int.h
# The one sanitiser for outside text on its way to a terminal.
libcore_a_SOURCES += src/core/sanitize.c src/core/sanitize_width.c
noinst_HEADERS += include/podscope/sanitize.h
# Path segments: percent-encoding, the names Kubernetes allows.
libcore_a_SOURCES += src/core/urlpath.c
noinst_HEADERS += include/podscope/urlpath.h
# Lifecycle stages, generations.
libcore_a_SOURCES += \
	src/core/lifecycle.c \
	src/core/lifecycle_why.c \
	src/core/lifecycle_timeline.c \
	src/core/generations.c
noinst_HEADERS += \
	include/podscope/lifecycle.h \
	include/podscope/generations.h \
	src/core/lifecycle_int.h
# Every run and pull of a container a dashboard saw (the pod's timeline).
libcore_a_SOURCES += src/core/podruns.c
noinst_HEADERS += include/podscope/podruns.h
# StatefulSets and DaemonSets: their decoders and kubectl's rollout status.
libcore_a_SOURCES += src/core/model_decode_kinds.c src/core/rollout_kinds.c
# Jobs and CronJobs: their decoders, kubectl's cells, the back-off, the cron schedule.
libcore_a_SOURCES += src/core/model_decode_batch.c src/core/job.c src/core/cron.c
noinst_HEADERS += include/podscope/job.h include/podscope/cron.h
# Container logs in bounded memory: line splitting, the kubelet's time prefix, caps.
libcore_a_SOURCES += src/core/logstore.c
noinst_HEADERS += include/podscope/logstore.h
# The server's clock: its skew estimated from the Date of its responses.
libcore_a_SOURCES += src/core/clockskew.c
noinst_HEADERS += include/podscope/clockskew.h

# The root cause of a rollout in one line (why.h): the pure part and its store inputs.
libcore_a_SOURCES += src/core/why.c src/core/why_store.c
noinst_HEADERS += include/podscope/why.h
libcore_a_SOURCES += src/core/eta.c
noinst_HEADERS += include/podscope/eta.h
libcore_a_SOURCES += src/core/eta_store.c
# The post-mortem report (doc/report.md): series and bars from a store over time, HTML/SVG out.
libcore_a_SOURCES += src/core/report.c src/core/report_html.c src/core/report_page.c \
	src/core/report_audit.c src/core/report_live.c
noinst_HEADERS += include/podscope/report.h src/core/report_int.h
