# The hold-out set (tests/holdout/README.md): cases from Kubernetes' own tests
# that podscope's other tests never saw, loaded into podscope-sim and checked
# with podscope get and, where installed, kubectl.
check_PROGRAMS += tests/holdout/test_holdout
TESTS += tests/holdout/test_holdout
C_TESTS += tests/holdout/test_holdout
tests_holdout_test_holdout_SOURCES = tests/holdout/test_holdout.c tests/holdout/test_holdout_io.c \
	tests/holdout/test_holdout.h
tests_holdout_test_holdout_CFLAGS = $(TEST_CFLAGS)
tests_holdout_test_holdout_LDADD = $(TEST_LIBS)
EXTRA_DIST += tests/holdout/README.md tests/holdout/pods tests/holdout/rollout
