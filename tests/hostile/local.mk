# The hostile-server suite (issue 10): hserver plays a hostile cluster,
# hcheck checks what podscope printed and how much memory and time it took.
# Each area adds its scenarios to hserver's sources and its scripts to
# HOSTILE_TESTS below (append only).
check_PROGRAMS += tests/hostile/hserver tests/hostile/hcheck
tests_hostile_hserver_SOURCES = tests/hostile/hserver.c tests/hostile/hserver.h \
	tests/hostile/hs_base.c
tests_hostile_hcheck_SOURCES = tests/hostile/hcheck.c
HOSTILE_TESTS = tests/hostile/smoke.sh
TESTS += $(HOSTILE_TESTS)
EXTRA_DIST += $(HOSTILE_TESTS) tests/hostile/lib.sh tests/hostile/README.md
HOSTILE_TESTS += tests/hostile/text_sim.sh
tests_hostile_hserver_SOURCES += tests/hostile/hs_text.c
HOSTILE_TESTS += tests/hostile/text_server.sh
EXTRA_DIST += tests/hostile/text_lib.sh
HOSTILE_TESTS += tests/hostile/text_tui.sh
HOSTILE_TESTS += tests/hostile/text_width.sh
HOSTILE_TESTS += tests/hostile/sim_flood.sh
tests_hostile_hserver_SOURCES += tests/hostile/hs_actions.c
HOSTILE_TESTS += tests/hostile/actions_names.sh
HOSTILE_TESTS += tests/hostile/actions_numbers.sh
tests_hostile_hserver_SOURCES += tests/hostile/hs_net.c
HOSTILE_TESTS += tests/hostile/net_bodies.sh
HOSTILE_TESTS += tests/hostile/net_lists.sh
HOSTILE_TESTS += tests/hostile/net_retry_after.sh
HOSTILE_TESTS += tests/hostile/net_redirect.sh
# the YAML reader's limits: alias bombs, nesting, keys set twice
check_PROGRAMS += tests/hostile/test_yaml_limits
TESTS += tests/hostile/test_yaml_limits
# Not under valgrind (check-valgrind): its bounds are peak RSS and time,
# which valgrind multiplies; ASan in make check covers its memory errors.
tests_hostile_test_yaml_limits_CFLAGS = $(TEST_CFLAGS) $(SIM_INCLUDES)
tests_hostile_test_yaml_limits_LDADD = $(PODSIM_LIBS) $(TEST_LIBS)
HOSTILE_TESTS += tests/hostile/files_bombs.sh
EXTRA_DIST += tests/hostile/files_lib.sh
HOSTILE_TESTS += tests/hostile/files_read.sh
HOSTILE_TESTS += tests/hostile/files_dupkeys.sh
HOSTILE_TESTS += tests/hostile/files_save.sh
HOSTILE_TESTS += tests/hostile/files_demo.sh
HOSTILE_TESTS += tests/hostile/files_core.sh
HOSTILE_TESTS += tests/hostile/actions_numbers_tui.sh
HOSTILE_TESTS += tests/hostile/text_logs.sh
# The post-mortem page of a hostile cluster (podscope report, live).
HOSTILE_TESTS += tests/hostile/text_report.sh
