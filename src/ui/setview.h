#ifndef PODSCOPE_UI_SETVIEW_H
#define PODSCOPE_UI_SETVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions.h"
#include "logpane.h"
#include "podscope/model.h"
#include "podscope/store.h"
#include "theme.h"

/*
 * What the StatefulSet and DaemonSet rollout views share: a table of pod
 * rows under a header, a selection kept visible, and the columns kubectl's
 * `get pods` prints.
 */

struct ui;
struct store;

/* Move the selection for a key of the lists (up, down, pages, first,
 * last) in a table of rows lines; false for any other action. The view
 * keeps the selection in range when it draws. */
bool setview_move(enum action_id a, size_t *sel, int rows);

/* The width of setview_pod_cells' columns: READY STATUS RESTARTS AGE. */
#define SETVIEW_CELLS_W 47

/* The column headings of setview_pod_cells at y, x. */
void setview_cells_head(int y, int x, int w);
/* READY, STATUS, RESTARTS and AGE of p (or "-" when p is NULL, with note
 * in STATUS) at y, x in at most w columns. */
void setview_pod_cells(struct ui *ui, const struct pod *p, const char *note, int y, int x, int w,
		       int64_t now, enum theme_role role);
/* The pod's stage glyph (with the flash of a restart) at y, x. */
void setview_pod_glyph(struct ui *ui, const struct pod *p, int y, int x, bool sel, int64_t now,
		       int64_t mono);
/* A revision cell: a glyph telling the update revision from an older one
 * (one that survives --ascii), the number and the short hash. */
int setview_rev_cell(int y, int x, int w, bool update, int64_t number, const char *hash, bool sel);
/* The short form of a controller-revision-hash: what follows the last '-'. */
const char *setview_short_hash(const char *hash);
/* kubectl's rollout status message at y (its first line), coloured by state. */
void setview_status_line(struct ui *ui, int y, int state, const char *msg);
/* When the time-driven text of p (age, countdowns) changes next. */
int64_t setview_pod_tick(struct ui *ui, const struct pod *p, int64_t wall, int64_t mq,
			 int64_t next);

/* What a set view's merged log pane lists: the set's pods. */
struct setview_logsrc {
	enum store_kind kind; /* STORE_STATEFULSETS or STORE_DAEMONSETS */
	char ns[254], name[254];
};
/* A logpane_pods_fn (logpane.h) over a struct setview_logsrc: the set's
 * pods on its update revision (new), on another (old), or all. */
size_t setview_log_pods(struct ui *ui, void *src, enum logpane_gen g, const struct pod **out,
			size_t max);

#endif
