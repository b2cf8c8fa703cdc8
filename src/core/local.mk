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
