# Lifecycle stages, generations and the headless commands get, wait, watch
# (helper "lifecycle").
libpodscope_a_SOURCES += \
	src/core/lifecycle.c \
	src/core/lifecycle_why.c \
	src/core/lifecycle_timeline.c \
	src/core/generations.c
noinst_HEADERS += \
	include/podscope/lifecycle.h \
	include/podscope/generations.h \
	src/core/lifecycle_int.h
libpodscope_a_SOURCES += \
	src/cmd_common.c \
	src/cmd_stab.c \
	src/cmd_get.c \
	src/cmd_get_json.c \
	src/cmd_wait.c \
	src/cmd_watch.c
noinst_HEADERS += src/cmd_common.h src/cmd_get.h
# make bench: podscope get/watch against kubectl on the simulator's load
# scenario (tests/bench/bench_get.sh); not part of make check.
bench: bench-local
bench-local: podscope podscope-sim
	PODSCOPE=./podscope PODSCOPE_SIM=./podscope-sim KUBECTL='$(KUBECTL)' \
	  $(SHELL) $(srcdir)/tests/bench/bench_get.sh
.PHONY: bench-local
EXTRA_DIST += tests/bench/bench_get.sh
EXTRA_DIST += doc/json.md doc/podscope-commands.md
# The headless commands' escaping printf (helper "text").
libpodscope_a_SOURCES += src/cmd_print.c
noinst_HEADERS += src/cmd_print.h
