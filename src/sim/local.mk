# sim: podscope-sim, the simulated API server (libmicrohttpd, gnutls).
libpodsim_a_SOURCES += \
	src/sim/api.c \
	src/sim/auth.c \
	src/sim/certs.c \
	src/sim/evloop.c \
	src/sim/http.c \
	src/sim/kcfgout.c \
	src/sim/reqlog.c \
	src/sim/resources.c \
	src/sim/server.c \
	src/sim/util.c
noinst_HEADERS += \
	src/sim/api.h \
	src/sim/auth.h \
	src/sim/certs.h \
	src/sim/evloop.h \
	src/sim/http.h \
	src/sim/kcfgout.h \
	src/sim/reqlog.h \
	src/sim/resources.h \
	src/sim/server.h \
	src/sim/sim.h \
	src/sim/util.h

# The harness that starts podscope-sim for C tests (tests/lib/simproc.h).
check_LIBRARIES += tests/lib/libsimproc.a
tests_lib_libsimproc_a_SOURCES = tests/lib/simproc.c
tests_lib_libsimproc_a_CFLAGS = $(AM_CFLAGS)
noinst_HEADERS += tests/lib/simproc.h
SIMPROC_LIBS = tests/lib/libsimproc.a
# Defaults and validation (the API server's), owned by the lead.
libpodsim_a_SOURCES += src/sim/objdefaults.c src/sim/objvalidate.c
noinst_HEADERS += src/sim/objdefaults.h
check_PROGRAMS += tests/unit/test_objects
TESTS += tests/unit/test_objects
UNIT_TESTS += tests/unit/test_objects
tests_unit_test_objects_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_objects_LDADD = $(PODSIM_LIBS) $(CHECK_LIBS)
