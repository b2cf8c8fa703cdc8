#ifndef PODSCOPE_VIEW_H
#define PODSCOPE_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "actions.h"

/*
 * A view of the dashboard: overview, rollout, pod, events, help. Views are
 * `const struct view_ops` with named initialisers; a NULL hook is optional.
 * Views keep their own state (open/close); they draw only from draw(), once
 * per frame, on the rows given. Handlers return UI_* bits saying what
 * changed; they never draw.
 */

struct ui;

enum ui_result {
	UI_NONE = 0,
	UI_DRAW = 1u << 0,      /* something visible changed: draw a frame */
	UI_CLEAR = 1u << 1,     /* repaint the whole terminal (Ctrl-L, resize) */
	UI_QUIT = 1u << 2,      /* leave podscope */
	UI_UNHANDLED = 1u << 3, /* the view does nothing for this action */
};

struct view_ops {
	const char *name; /* "overview", "rollout", ... */
	unsigned mask;    /* its VIEWMASK_* bit: which actions apply */
	/* Make the view's state for the object ns/name (NULL for views of no object). */
	void *(*open)(struct ui *ui, const char *ns, const char *name);
	void (*close)(void *st);
	/* Draw on the screen rows [top, top + height). */
	void (*draw)(struct ui *ui, void *st, int top, int height);
	/* Handle an action the view applies to. */
	unsigned (*action)(struct ui *ui, void *st, enum action_id a);
	/* A mouse press on screen row y (relative to top), column x; dbl: twice. */
	unsigned (*click)(struct ui *ui, void *st, int y, int x, bool dbl);
	/* When the view's drawing changes by time alone next (animation, ages,
	 * countdowns), as ploop_now_ms(); 0 when it does not. */
	int64_t (*next_tick)(struct ui *ui, void *st, int64_t now_ms);
	/* A line of help about the view's own keys for the status bar; each
	 * {NAME} becomes the key of action NAME (keymap_hint). */
	const char *hint;
};

extern const struct view_ops view_overview;
extern const struct view_ops view_rollout;
extern const struct view_ops view_rollout_sts;
extern const struct view_ops view_rollout_ds;
extern const struct view_ops view_pod;
extern const struct view_ops view_events;
extern const struct view_ops view_help;
extern const struct view_ops view_menu;
extern const struct view_ops view_job;     /* a Job: view_job.c */
extern const struct view_ops view_cronjob; /* a CronJob and its recent Jobs */
extern const struct view_ops view_blockers; /* a workload's blockers: view_blockers.c */

/* Open the blockers panel of workload ns/name (kind: a STORE_* set kind). */
unsigned ui_blockers_show(struct ui *ui, int kind, const char *ns, const char *name);
/* The same for an overview row (overview.h); a message for other rows. */
struct row;
unsigned ui_blockers_row(struct ui *ui, const struct row *r);
/* view_fleet.c: the fleet view of an overview row's workload (F). */
extern const struct view_ops view_fleet;
unsigned ui_fleet_row(struct ui *ui, const struct row *r);
unsigned ui_fleet_show(struct ui *ui, int kind, const char *ns, const char *name);

#endif
