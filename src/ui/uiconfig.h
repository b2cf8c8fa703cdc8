#ifndef PODSCOPE_UICONFIG_H
#define PODSCOPE_UICONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions.h"
#include "podscope/err.h"

/*
 * The dashboard's config file, $XDG_CONFIG_HOME/podscope/config.yaml (or
 * ~/.config/podscope/config.yaml):
 *
 *   theme: solarized        # a theme name or a path
 *   readonly: true          # start read-only
 *   refresh: 100ms          # at most one frame per this interval (33ms..5s)
 *   low-bandwidth: true     # few bytes to the terminal (false: never automatic)
 *   readonly-contexts: [prod-*]  # contexts (globs) always read-only
 *   bindings:               # action name: key or [keys]
 *     quit: Q
 *     down: [j, C-n]
 *
 * Errors name file:line.
 */
struct uiconfig {
	char theme[256]; /* "" when not set */
	bool readonly;
	int64_t refresh_ms; /* 0 when not set */
	int low_bandwidth;  /* -1 when not set, else 0 or 1 */
	struct keymap keys; /* the defaults with the bindings applied */
	bool loaded;        /* a file was found */
	/* readonly-contexts: shell globs (fnmatch) of contexts always read-only */
#define UICONFIG_MAX_RO_CONTEXTS 32
	char ro_contexts[UICONFIG_MAX_RO_CONTEXTS][128];
	int n_ro_contexts;
};

/* The defaults: no theme, not read-only, default keys. */
void uiconfig_defaults(struct uiconfig *c);

/* Parse config text (name for messages) on top of the defaults. */
int uiconfig_parse(struct uiconfig *c, const char *name, const char *text, size_t len,
		   struct perr *err);

/* uiconfig_ctx.c: readonly-contexts' value (a glob or a list of them)
 * into c; NULL, or what is wrong with it. */
const char *uiconfig_parse_ro_contexts(struct uiconfig *c, const void *cjson_value);
/* Whether context ctx matches a readonly-contexts glob. */
bool uiconfig_context_readonly(const struct uiconfig *c, const char *ctx);

/* Load the user's file if there is one (no file is no error). */
int uiconfig_load(struct uiconfig *c, struct perr *err);

#endif
