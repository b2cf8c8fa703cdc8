# ui: the dashboard (ncurses on the one loop): views, actions, themes, glyphs.
libpodscope_a_SOURCES += \
	src/ui/actions.c \
	src/ui/badge.c \
	src/ui/bigtext.c \
	src/ui/draw.c \
	src/ui/glyphs.c \
	src/ui/pager.c \
	src/ui/screen.c \
	src/ui/stage.c \
	src/ui/theme.c \
	src/ui/theme_file.c \
	src/ui/ui.c \
	src/ui/ui_act.c \
	src/ui/ui_dialog.c \
	src/ui/ui_command.c \
	src/ui/ui_frame.c \
	src/ui/ui_input.c \
	src/ui/uiconfig.c \
	src/ui/uifile.c \
	src/ui/util.c \
	src/ui/view_events.c \
	src/ui/view_help.c \
	src/ui/view_menu.c \
	src/ui/view_overview.c \
	src/ui/view_pod.c \
	src/ui/view_rollout.c \
	src/ui/view_wallboard.c \
	src/ui/yamlline.c
noinst_HEADERS += \
	include/podscope/actions.h \
	include/podscope/glyphs.h \
	include/podscope/theme.h \
	include/podscope/ui.h \
	include/podscope/uiconfig.h \
	include/podscope/view.h \
	src/ui/badge.h \
	src/ui/bigtext.h \
	src/ui/pager.h \
	src/ui/stage.h \
	src/ui/ui_int.h \
	src/ui/ui_loop.h \
	src/ui/uifile.h \
	src/ui/yamlline.h

# Themes: installed where podscope looks for them by name.
themesdir = $(pkgdatadir)/themes
dist_themes_DATA = \
	themes/dark.yaml \
	themes/light.yaml \
	themes/high-contrast.yaml \
	themes/solarized.yaml \
	themes/mono.yaml
EXTRA_DIST += doc/podscope-ui.md

# make bench: the wallboard's memory over a long run (tests/bench/soak_wallboard.sh).
bench: bench-soak
bench-soak: podscope podscope-sim
	PODSCOPE=./podscope PODSCOPE_SIM=./podscope-sim $(SHELL) $(srcdir)/tests/bench/soak_wallboard.sh
.PHONY: bench-soak
EXTRA_DIST += tests/bench/soak_wallboard.sh

# make bench: bytes to the terminal against watch kubectl, and the
# dashboard's CPU under churn (tests/bench/bench_term.sh).
bench: bench-term
bench-term: podscope podscope-sim
	PODSCOPE=./podscope PODSCOPE_SIM=./podscope-sim $(SHELL) $(srcdir)/tests/bench/bench_term.sh
.PHONY: bench-term
EXTRA_DIST += tests/bench/bench_term.sh
