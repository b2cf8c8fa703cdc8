# core: no I/O. Pure functions over plain structs and memory buffers.
libpodscope_a_SOURCES += \
	src/core/err.c \
	src/core/buf.c \
	src/core/xalloc.c \
	src/core/yamljson.c
noinst_HEADERS += \
	include/podscope/err.h \
	include/podscope/buf.h \
	include/podscope/xalloc.h \
	include/podscope/yamljson.h \
	include/podscope/loop.h \
	include/podscope/client.h \
	include/podscope/kubeconfig.h
noinst_HEADERS += include/podscope/cli.h include/podscope/simlaunch.h
# Pure model: durations, intstr arithmetic, pod status, rollout status, back-off (helper "model").
libpodscope_a_SOURCES += \
	src/core/duration.c \
	src/core/intstr.c \
	src/core/pod_status.c \
	src/core/pod_phase.c \
	src/core/pod_decode.c \
	src/core/rollout.c \
	src/core/backoff.c
noinst_HEADERS += \
	include/podscope/duration.h \
	include/podscope/intstr.h \
	include/podscope/model.h \
	include/podscope/pod_status.h \
	include/podscope/rollout.h \
	include/podscope/backoff.h
