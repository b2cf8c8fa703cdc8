# The tests' own library. libtestutil.a: the one file reader every test uses
# (testutil.c; libc alone, so it may come last in TEST_LIBS). libsimtest.a:
# the in-process harnesses of the C tests: the simulator with a curl client
# (simhttp.h) and its write-path setup (simwrite.h), the deployment
# controllers with a trivial kubelet (simcluster.h), the scheduler and
# kubelets on a stepped clock (simkubelet.h); JSON by path (testjson.h).
# Tests that start podscope-sim as a process use the demo's own launcher
# (include/podscope/simlaunch.h, in libcmd).
noinst_HEADERS += tests/lib/testutil.h tests/lib/store_testutil.h
check_LIBRARIES += tests/lib/libtestutil.a
tests_lib_libtestutil_a_SOURCES = tests/lib/testutil.c
tests_lib_libtestutil_a_CFLAGS = $(TEST_CFLAGS)
TESTUTIL_LIBS = tests/lib/libtestutil.a
TEST_LIBS += $(TESTUTIL_LIBS)

KUBE_TEST_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/src/kube
SIM_TEST_CFLAGS = $(TEST_CFLAGS) $(SIM_INCLUDES)
check_LIBRARIES += tests/lib/libsimtest.a
tests_lib_libsimtest_a_SOURCES = tests/lib/simhttp.c tests/lib/simwrite.c \
	tests/lib/simcluster.c tests/lib/simkubelet.c tests/lib/testjson.c
tests_lib_libsimtest_a_CFLAGS = $(SIM_TEST_CFLAGS)
noinst_HEADERS += tests/lib/simhttp.h tests/lib/simwrite.h tests/lib/simcluster.h \
	tests/lib/simkubelet.h tests/lib/testjson.h
SIMTEST_LIBS = tests/lib/libsimtest.a
SIM_TEST_LIBS = $(SIMTEST_LIBS) $(PODSIM_LIBS) $(TEST_LIBS)
