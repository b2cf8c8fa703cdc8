# The hold-out set (tests/holdout/README.md): cases from Kubernetes' own tests
# that podscope's other tests never saw, loaded into podscope-sim and checked
# with podscope get and, where installed, kubectl (helper "holdout").
check_PROGRAMS += tests/unit/test_holdout
TESTS += tests/unit/test_holdout
UNIT_TESTS += tests/unit/test_holdout
tests_unit_test_holdout_SOURCES = tests/unit/test_holdout.c tests/unit/test_holdout_io.c \
	tests/unit/test_holdout.h
tests_unit_test_holdout_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_holdout_LDADD = $(TEST_LIBS)
EXTRA_DIST += tests/holdout/README.md tests/holdout/pods tests/holdout/rollout
