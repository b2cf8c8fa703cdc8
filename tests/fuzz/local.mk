# Fuzz harnesses: libFuzzer with --enable-fuzzing (clang), else a driver that
# replays the seed corpus, so every harness also runs in `make check`.
FUZZ_HARNESSES = tests/fuzz/fuzz_yamljson
check_PROGRAMS += $(FUZZ_HARNESSES)
TESTS += tests/fuzz/run.sh
EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/corpus
if FUZZING
FUZZ_LINKFLAGS = -fsanitize=fuzzer
FUZZ_DRIVER =
FUZZ_DRIVER_LIBS =
else
FUZZ_LINKFLAGS =
FUZZ_DRIVER = tests/fuzz/driver.c
FUZZ_DRIVER_LIBS = $(TESTUTIL_LIBS)
endif
tests_fuzz_fuzz_yamljson_SOURCES = tests/fuzz/fuzz_yamljson.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_yamljson_CFLAGS = $(TEST_CFLAGS)
tests_fuzz_fuzz_yamljson_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINKFLAGS)
tests_fuzz_fuzz_yamljson_LDADD = $(PODSCOPE_LIBS) $(FUZZ_DRIVER_LIBS)
# watch-stream framing and object decoding
FUZZ_HARNESSES += tests/fuzz/fuzz_watchframe tests/fuzz/fuzz_decode
tests_fuzz_fuzz_watchframe_SOURCES = tests/fuzz/fuzz_watchframe.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_watchframe_CFLAGS = $(TEST_CFLAGS)
tests_fuzz_fuzz_watchframe_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINKFLAGS)
tests_fuzz_fuzz_watchframe_LDADD = $(PODSCOPE_LIBS) $(FUZZ_DRIVER_LIBS)
tests_fuzz_fuzz_decode_SOURCES = tests/fuzz/fuzz_decode.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_decode_CFLAGS = $(TEST_CFLAGS)
tests_fuzz_fuzz_decode_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINKFLAGS)
tests_fuzz_fuzz_decode_LDADD = $(PODSCOPE_LIBS) $(FUZZ_DRIVER_LIBS)
# list pages taken apart by src/core/jsonscan.c
FUZZ_HARNESSES += tests/fuzz/fuzz_listpage
tests_fuzz_fuzz_listpage_SOURCES = tests/fuzz/fuzz_listpage.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_listpage_CFLAGS = $(TEST_CFLAGS)
tests_fuzz_fuzz_listpage_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINKFLAGS)
tests_fuzz_fuzz_listpage_LDADD = $(PODSCOPE_LIBS) $(FUZZ_DRIVER_LIBS)
# the post-mortem report: a store over time, sampled, written as HTML and SVG
FUZZ_HARNESSES += tests/fuzz/fuzz_report
tests_fuzz_fuzz_report_SOURCES = tests/fuzz/fuzz_report.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_report_CFLAGS = $(TEST_CFLAGS)
tests_fuzz_fuzz_report_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINKFLAGS)
tests_fuzz_fuzz_report_LDADD = $(PODSCOPE_LIBS) $(FUZZ_DRIVER_LIBS)
