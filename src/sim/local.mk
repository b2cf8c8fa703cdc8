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
libpodsim_a_SOURCES += src/sim/objdefaults.c src/sim/objvalidate.c
noinst_HEADERS += src/sim/objdefaults.h
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
