#ifndef PODSCOPE_THEME_H
#define PODSCOPE_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/err.h"

/*
 * Colours are roles; a theme maps each role to a foreground, a background
 * and attributes. Themes are YAML files (themes/NAME.yaml); "dark", the
 * default, is also compiled in so podscope never starts without one.
 *
 *   name: dark
 *   roles:
 *     title:    {fg: black, bg: cyan, attrs: [bold]}
 *     pod-ready: {fg: "#5fd75f"}
 *
 * A colour is "default" (the terminal's), one of the 8 names black, red,
 * green, yellow, blue, magenta, cyan, white, a "bright-" one of those, a
 * number 0-255 (the xterm palette), or "#rrggbb". Whatever the terminal
 * offers (8, 16, 256 or direct colour) the nearest colour is used. Attrs:
 * bold, dim, underline, reverse, italic, blink. Roles a theme leaves out
 * keep the default theme's.
 */

#define THEME_ROLES(X)                                                                             \
	X(ROLE_NORMAL, "normal")                                                                   \
	X(ROLE_TITLE, "title")                                                                     \
	X(ROLE_STATUS, "status")                                                                   \
	X(ROLE_HEADER, "header")                                                                   \
	X(ROLE_SELECTED, "selected")                                                               \
	X(ROLE_DIM, "dim")                                                                         \
	X(ROLE_KEY, "key")                                                                         \
	X(ROLE_ERROR, "error")                                                                     \
	X(ROLE_WARNING, "warning")                                                                 \
	X(ROLE_OK, "ok")                                                                           \
	X(ROLE_INFO, "info")                                                                       \
	X(ROLE_GROUP, "group")                                                                     \
	X(ROLE_BADGE_PROGRESSING, "badge-progressing")                                             \
	X(ROLE_BADGE_COMPLETE, "badge-complete")                                                   \
	X(ROLE_BADGE_PAUSED, "badge-paused")                                                       \
	X(ROLE_BADGE_FAILED, "badge-failed")                                                       \
	X(ROLE_BADGE_STALLED, "badge-stalled")                                                     \
	X(ROLE_RS_NEW, "rs-new")                                                                   \
	X(ROLE_RS_OLD, "rs-old")                                                                   \
	X(ROLE_POD_PENDING, "pod-pending")                                                         \
	X(ROLE_POD_PULLING, "pod-pulling")                                                         \
	X(ROLE_POD_INIT, "pod-init")                                                               \
	X(ROLE_POD_STARTING, "pod-starting")                                                       \
	X(ROLE_POD_PROBING, "pod-probing")                                                         \
	X(ROLE_POD_READY, "pod-ready")                                                             \
	X(ROLE_POD_TERMINATING, "pod-terminating")                                                 \
	X(ROLE_POD_CRASH, "pod-crash")                                                             \
	X(ROLE_POD_FAILED, "pod-failed")                                                           \
	X(ROLE_POD_DONE, "pod-done")                                                               \
	X(ROLE_GAUGE_USED, "gauge-used")                                                           \
	X(ROLE_GAUGE_FREE, "gauge-free")                                                           \
	X(ROLE_GAUGE_OVER, "gauge-over")                                                           \
	X(ROLE_BANNER, "banner")

#define THEME_ROLE_ENUM(id, name) id,
enum theme_role { THEME_ROLES(THEME_ROLE_ENUM) ROLE_COUNT };
#undef THEME_ROLE_ENUM

/* The YAML name of a role ("pod-ready"), and back (-1 when unknown). */
const char *theme_role_name(enum theme_role r);
int theme_role_parse(const char *name);

/* A colour as written: kind and value. */
enum theme_color_kind {
	THEME_COLOR_DEFAULT = 0, /* the terminal's own */
	THEME_COLOR_INDEX,       /* 0-255: 0-7 the ANSI colours, 8-15 bright */
	THEME_COLOR_RGB,         /* 0xRRGGBB */
};

struct theme_color {
	uint8_t kind;
	uint32_t value;
};

/* Attribute bits (independent of curses). */
enum theme_attr {
	THEME_BOLD = 1u << 0,
	THEME_DIM = 1u << 1,
	THEME_UNDERLINE = 1u << 2,
	THEME_REVERSE = 1u << 3,
	THEME_ITALIC = 1u << 4,
	THEME_BLINK = 1u << 5,
};

struct theme_style {
	struct theme_color fg;
	struct theme_color bg;
	unsigned attrs;
};

struct theme {
	char name[64];
	struct theme_style roles[ROLE_COUNT];
};

/* The compiled-in default ("dark"). */
void theme_default(struct theme *t);

/* Attributes used for each role when there is no colour (NO_COLOR, a
 * monochrome terminal): enough to tell selection, titles, trouble apart. */
unsigned theme_mono_attrs(enum theme_role r);

/*
 * Parse a theme from YAML text on top of the default. name is the file name
 * for messages. Errors (PERR_CONFIG) say "NAME:LINE: problem"; t is then
 * left as the default.
 */
int theme_parse(struct theme *t, const char *name, const char *text, size_t len, struct perr *err);

/* Parse one colour ("red", "bright-blue", "208", "#ff8700", "default"). */
bool theme_color_parse(const char *s, struct theme_color *out);

/*
 * The colour number to use on a terminal with ncolors colours (8, 16, 256,
 * or 1 << 24 for direct colour), -1 for the default colour. *fallback_attrs
 * (may be NULL) gets THEME_BOLD or THEME_DIM when a bright colour had to
 * fall back to its base colour on an 8-colour terminal.
 */
int theme_color_resolve(const struct theme_color *c, int ncolors, unsigned *fallback_attrs);

/*
 * Find and load a theme by name or path. A name (no '/', no ".yaml") is
 * looked up as NAME.yaml in $XDG_CONFIG_HOME/podscope/themes (or
 * ~/.config/podscope/themes), then in each directory of $PODSCOPE_THEME_PATH
 * (colon-separated), then in the installed themes directory. "dark" needs
 * no file. On failure t is the default and err says why (file:line).
 */
int theme_load(struct theme *t, const char *name_or_path, struct perr *err);

#endif
