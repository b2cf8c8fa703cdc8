# ui: the dashboard (ncurses on the one loop): views, actions, themes, glyphs.
libui_a_SOURCES += \
	src/ui/actions.c \
	src/ui/badge.c \
	src/ui/bigtext.c \
	src/ui/draw.c \
	src/ui/glyphs.c \
	src/ui/overview_lean.c \
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
	src/ui/ui_rec.c \
	src/ui/timebar.c \
	src/ui/view_events.c \
	src/ui/warnlines.c \
	src/ui/view_blockers.c \
	src/ui/view_help.c \
	src/ui/view_menu.c \
	src/ui/view_overview.c \
	src/ui/view_pod.c \
	src/ui/view_podlog.c \
	src/ui/logpane_draw.c \
	src/ui/view_rollout.c \
	src/ui/view_rollout_ds.c \
	src/ui/view_rollout_sts.c \
	src/ui/setview.c \
	src/ui/view_job.c \
	src/ui/badge_job.c \
	src/ui/view_wallboard.c \
	src/ui/yamlline.c
noinst_HEADERS += \
	src/ui/actions.h \
	src/ui/glyphs.h \
	src/ui/theme.h \
	include/podscope/ui.h \
	src/ui/uiconfig.h \
	src/ui/view.h \
	src/ui/logpane.h \
	src/ui/logpane_int.h \
	src/ui/setview.h \
	src/ui/warnlines.h \
	src/ui/badge.h \
	src/ui/bigtext.h \
	src/ui/overview.h \
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
# Many clusters (issue 14): the clusters, the fleet view, readonly-contexts.
libui_a_SOURCES += \
	src/ui/ui_cluster.c \
	src/ui/uiconfig_ctx.c
noinst_HEADERS += \
	src/ui/ui_cluster.h
libui_a_SOURCES += \
	src/ui/overview_fleet.c \
	src/ui/view_fleet.c
