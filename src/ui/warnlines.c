#include "config.h"

#include "podscope/duration.h"
#include "podscope/store.h"
#include "glyphs.h"
#include "ui_int.h"
#include "warnlines.h"

size_t ui_warnings_of(const struct store *st, const char *owner_uid,
		      const struct pod *const *pods, size_t np, struct warnfold *out, size_t max)
{
	const struct event *ev[512];
	size_t n = 0, cap = sizeof(ev) / sizeof(ev[0]);
	struct store_iter it, pit;
	const struct event *e;
	const struct pod *p;
	store_iter_children(&it, st, STORE_EVENTS, owner_uid);
	while ((e = store_iter_next(&it)) && n < cap)
		if (e->warning)
			ev[n++] = e;
	if (!pods)
		store_iter_children(&pit, st, STORE_PODS, owner_uid);
	for (size_t i = 0; n < cap; i++) {
		if (pods)
			p = i < np ? pods[i] : NULL;
		else
			p = store_iter_next(&pit);
		if (!p)
			break;
		store_iter_children(&it, st, STORE_EVENTS, p->uid);
		while ((e = store_iter_next(&it)) && n < cap)
			if (e->warning)
				ev[n++] = e;
	}
	return warnfold(ev, n, out, max);
}

void ui_draw_warning(struct ui *ui, const struct warnfold *w, int y, int x, int width,
		     int64_t now)
{
	(void)ui;
	char ago[DURATION_BUF];
	duration_since(w->last, now, ago, sizeof(ago));
	int used = draw_textf(y, x, width, ROLE_WARNING, "%s %s", glyph(GLYPH_WARN), w->reason);
	if (w->count > 1)
		used += draw_textf(y, x + used, width - used, ROLE_WARNING, " x%ld", w->count);
	if (w->objects > 1)
		used += draw_textf(y, x + used, width - used, ROLE_WARNING, " on %d", w->objects);
	used += draw_textf(y, x + used, width - used, ROLE_DIM, " %s ago: ", ago);
	draw_text(y, x + used, width - used, ROLE_DIM, w->message);
}

void ui_set_warnings(struct ui *ui, const char *owner_uid, int first_row_y, int *rows,
		     int64_t now)
{
	struct warnfold warn[2];
	size_t nw = ui_warnings_of(ui->store, owner_uid, NULL, 0, warn, 2);
	while (nw && *rows - (int)nw < 2)
		nw--;
	*rows -= (int)nw;
	for (size_t i = 0; i < nw; i++)
		ui_draw_warning(ui, &warn[i], first_row_y + *rows + (int)i, 3, ui->cols - 4, now);
}
