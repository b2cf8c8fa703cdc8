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
/* Start following the pods fn lists for workload ns/name (its name is cut
 * from the pods' tags), merged in time order; ud is fn's, and must outlive
 * the pane. Never NULL. */
struct logpane *logpane_new_merged(struct ui *ui, const char *ns, const char *name,
				   logpane_pods_fn fn, void *ud);
/* Stop the follows and free everything. NULL is fine. */
void logpane_free(struct logpane *lp);
void logpane_draw(struct ui *ui, struct logpane *lp, int top, int height);
/* The pane's own actions and scrolling: UI_* bits, UI_UNHANDLED for others. */
unsigned logpane_action(struct ui *ui, struct logpane *lp, enum action_id a);
/* A view whose pane is closed: a pane's key says what opens the pane
 * (UI_DRAW); UI_UNHANDLED for other actions. */
unsigned logpane_closed_action(struct ui *ui, enum action_id a);

#endif
