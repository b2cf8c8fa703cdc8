#ifndef PODSCOPE_UI_LOGPANE_H
#define PODSCOPE_UI_LOGPANE_H

#include <stddef.h>

#include "actions.h"

/*
 * The log panes (view_podlog.c, drawn by logpane_draw.c): the pod view's,
 * one container's log, and the rollout view's, the merged log of a
 * workload's pods. Each log is followed on the loop through the kube
 * layer's logfollow into a bounded logstore and drawn through the
 * sanitiser. Keys: follow, wrap, timestamps, search (/ n N); the pod pane
 * also the next container and the previous container's log (with its last
 * exit code and reason); the merged pane the generation (new, old, both).
 */

struct ui;
struct pod;
struct logpane;

/* The merged pane's generations. */
enum logpane_gen { LOGPANE_GEN_NEW, LOGPANE_GEN_OLD, LOGPANE_GEN_BOTH };

/* The merged pane's pods: the view's pods of generation g, at most max into
 * out; returns how many there are (more than max when they did not fit). */
typedef size_t (*logpane_pods_fn)(struct ui *ui, void *ud, enum logpane_gen g,
				  const struct pod **out, size_t max);

/* Start following ns/pod's first container. Never NULL. */
struct logpane *logpane_new(struct ui *ui, const char *ns, const char *pod);
/* Start following the pods fn lists in ns, merged in time order, tagged
 * with their names without "NAME-" (name "": whole names); ud is fn's, and must outlive
 * the pane. Never NULL. */
struct logpane *logpane_new_merged(struct ui *ui, const char *ns, const char *name,
				   logpane_pods_fn fn, void *ud);
/* Stop the follows and free everything. NULL is fine. */
void logpane_free(struct logpane *lp);
void logpane_draw(struct ui *ui, struct logpane *lp, int top, int height);
/* The pane's own actions and scrolling: UI_* bits, UI_UNHANDLED for others. */
unsigned logpane_action(struct ui *ui, struct logpane *lp, enum action_id a);
/* A rollout view's merged pane, its whole key handling: L opens it (cutting
 * cut from the tags) or closes it, Esc closes it, the pane's keys go to it
 * (or say that L opens it). UI_UNHANDLED: the view's own action. */
unsigned logpane_view_action(struct ui *ui, struct logpane **pane, enum action_id a,
			     const char *ns, const char *cut, logpane_pods_fn fn, void *ud);
/* Draw an open pane in the lower half of a view's rows (all of them when
 * they are few); returns the rows left above it, height when no pane. */
int logpane_view_draw(struct ui *ui, struct logpane *pane, int top, int height);

/* A view whose pane is closed: a pane's key says what opens the pane
 * (UI_DRAW); UI_UNHANDLED for other actions. */
unsigned logpane_closed_action(struct ui *ui, enum action_id a);

#endif
