# Tests. Unit tests (Check) in tests/unit, integration and screen tests as
# shell scripts; all of them run in `make check`.
noinst_HEADERS += tests/lib/testutil.h

check_PROGRAMS += tests/unit/test_core
TESTS += tests/unit/test_core
UNIT_TESTS += tests/unit/test_core
tests_unit_test_core_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_core_LDADD = $(TEST_LIBS)
include tests/fuzz/local.mk
