# Screen tests (tmux) and the dashboard's unit tests.
TUI_TESTS = \
	tests/tui/overview.sh \
	tests/tui/help.sh \
	tests/tui/ascii.sh \
	tests/tui/resize.sh \
	tests/tui/signals.sh \
	tests/tui/script.sh \
	tests/tui/theme.sh \
	tests/tui/rolling.sh \
	tests/tui/recreate.sh \
	tests/tui/demo.sh \
	tests/tui/crashloop.sh \
	tests/tui/stages.sh \
	tests/tui/commands.sh \
	tests/tui/config.sh \
	tests/tui/mouse.sh \
	tests/tui/trouble.sh \
	tests/tui/actions.sh \
	tests/tui/cancel.sh \
	tests/tui/forbidden.sh \
	tests/tui/readonly.sh \
	tests/tui/wallboard.sh \
	tests/tui/lowbw.sh \
	tests/tui/slowtty.sh \
	tests/tui/slowplan.sh \
	tests/tui/workloads.sh
TUI_TESTS += tests/tui/canary.sh
# --record on the dashboard, with rotation (issue 14)
TUI_TESTS += tests/tui/record_dashboard.sh
# podscope replay FILE: the dashboard with a time bar (issue 14)
TUI_TESTS += tests/tui/replay.sh
# Job and CronJob actions: suspend, resume, trigger.
TUI_TESTS += tests/tui/jobactions.sh
# The pod view's log pane (L).
TUI_TESTS += tests/tui/logs.sh tests/tui/logs_chatty.sh
# The rollout view's merged log pane and the log search.
TUI_TESTS += tests/tui/mlogs.sh tests/tui/mlogs_cap.sh
# The rollout views of StatefulSets and DaemonSets.
TUI_TESTS += \
	tests/tui/rollout_sts.sh \
	tests/tui/rollout_ds.sh \
	tests/tui/set_warnings.sh \
	tests/tui/ds_nodes.sh \
	tests/tui/ds_nodes_forbidden.sh \
	tests/tui/sidecar.sh
TUI_TESTS += tests/tui/jobs.sh
# The blockers panel (B) and the HPA warning on scale.
TUI_TESTS += tests/tui/blockers.sh
TUI_TESTS += tests/tui/cronjob.sh
# The API server's clock off ours: the status line, a back-off countdown.
TUI_TESTS += tests/tui/clockskew.sh
TESTS += $(TUI_TESTS)
EXTRA_DIST += $(TUI_TESTS) tests/tui/lib.sh tests/tui/fleet_lib.sh tests/tui/fixtures
check_PROGRAMS += tests/tui/test_ui
TESTS += tests/tui/test_ui
C_TESTS += tests/tui/test_ui
tests_tui_test_ui_CFLAGS = $(TEST_CFLAGS) $(NCURSES_CFLAGS) -I$(top_srcdir)/src/ui
tests_tui_test_ui_LDADD = $(TEST_LIBS) $(NCURSES_LIBS)
# The why line's last log line on the dashboard.
TUI_TESTS += tests/tui/why_log.sh
# Many contexts: the overview's CONTEXT, readonly-contexts, STALE, the fleet view (F).
TUI_TESTS += tests/tui/fleet.sh
TUI_TESTS += tests/tui/demo_fleet.sh tests/tui/fleet_access.sh tests/tui/fleet_wallboard.sh
TUI_TESTS += tests/tui/fleet_sets.sh
