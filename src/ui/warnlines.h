#ifndef PODSCOPE_UI_WARNLINES_H
#define PODSCOPE_UI_WARNLINES_H

#include <stddef.h>
#include <stdint.h>

#include "podscope/model.h"
#include "podscope/warnfold.h"

/*
 * The rollout views' Warning events, next to what they concern: those of an
 * owner (a ReplicaSet, a StatefulSet, a DaemonSet) and of its pods, folded
 * by reason (core/warnfold.c).
 */

struct ui;
struct store;

/* Fold the Warning events of owner_uid and of pods[0..np) (NULL: the
 * owner's pods in the store) into out, the latest first. */
size_t ui_warnings_of(const struct store *st, const char *owner_uid,
		      const struct pod *const *pods, size_t np, struct warnfold *out, size_t max);
/* One of them on a line: "⚠ BackOff x12 on 3 20s ago: message". */
void ui_draw_warning(struct ui *ui, const struct warnfold *w, int y, int x, int width,
		     int64_t now);
/* A set view's: at most two, on the rows just under the rows in use,
 * leaving at least 2 of *rows; *rows shrinks by what they take. */
void ui_set_warnings(struct ui *ui, const char *owner_uid, int first_row_y, int *rows,
		     int64_t now);

#endif
