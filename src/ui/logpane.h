#ifndef PODSCOPE_UI_LOGPANE_H
#define PODSCOPE_UI_LOGPANE_H

#include "actions.h"

/*
 * The pod view's log pane (view_podlog.c): one container's log, followed
 * on the loop through the kube layer's logfollow into a bounded logstore,
 * drawn through the sanitiser. Keys: follow, next container, the previous
 * container's log (with its last exit code and reason), wrap, timestamps.
 */

struct ui;
struct logpane;

/* Start following ns/pod's first container. Never NULL. */
struct logpane *logpane_new(struct ui *ui, const char *ns, const char *pod);
/* Stop the follow and free everything. NULL is fine. */
void logpane_free(struct logpane *lp);
void logpane_draw(struct ui *ui, struct logpane *lp, int top, int height);
/* The pane's own actions and scrolling: UI_* bits, UI_UNHANDLED for others. */
unsigned logpane_action(struct ui *ui, struct logpane *lp, enum action_id a);

#endif
