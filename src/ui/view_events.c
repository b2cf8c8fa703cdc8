#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "pager.h"
#include "ui_int.h"

/* Events: warnings first, newest first. */

struct eventsview {
	struct pager pg;
	const struct event **ev;
	size_t cap;
};

static void *ev_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	(void)ns;
	(void)name;
	return xcalloc(1, sizeof(struct eventsview));
}

static void ev_close(void *st)
{
	struct eventsview *v = st;
	free(v->ev);
	free(v);
}

static int order(const void *a, const void *b)
{
	const struct event *x = *(const struct event *const *)a,
			   *y = *(const struct event *const *)b;
	if (x->warning != y->warning)
		return x->warning ? -1 : 1;
	if (x->last != y->last)
		return x->last < y->last ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void ev_draw(struct ui *ui, void *stp, int top, int height)
{
	struct eventsview *v = stp;
	size_t n = store_count(ui->store, STORE_EVENTS);
	if (n > v->cap) {
		v->cap = n;
		v->ev = xrealloc(v->ev, n * sizeof(*v->ev));
	}
	size_t k = 0;
	struct store_iter it;
	store_iter_all(&it, ui->store, STORE_EVENTS, ui_namespace(ui));
	const struct event *e;
	while ((e = store_iter_next(&it)) && k < n)
		if (ui_filter_match(ui, e->involved_namespace, e->involved_name))
			v->ev[k++] = e;
	if (k > 1)
		qsort(v->ev, k, sizeof(*v->ev), order);
	int64_t now = ui_clock(NULL);
	draw_fill(top, 0, ui->cols, ROLE_HEADER);
	draw_text(top, 1, 6, ROLE_HEADER, "AGE");
	draw_text(top, 8, 8, ROLE_HEADER, "TYPE");
	draw_text(top, 17, 20, ROLE_HEADER, "REASON");
	draw_text(top, 38, 30, ROLE_HEADER, "OBJECT");
	draw_text(top, 69, ui->cols - 70, ROLE_HEADER, "MESSAGE");
	pager_begin(&v->pg, top + 1, height - 1);
	if (k == 0)
		draw_text(top + 2, 2, ui->cols - 4, ROLE_DIM, "no events");
	for (size_t i = 0; i < k; i++) {
		int y = pager_row(&v->pg);
		if (y < 0)
			continue;
		e = v->ev[i];
		char age[DURATION_BUF];
		duration_since(e->last, now, age, sizeof(age));
		enum theme_role r = e->warning ? ROLE_WARNING : ROLE_NORMAL;
		draw_text(y, 1, 6, ROLE_DIM, age);
		draw_text(y, 8, 8, r, e->warning ? "Warning" : "Normal");
		draw_text(y, 17, 20, r, e->reason);
		draw_textf(y, 38, 30, ROLE_NORMAL, "%s/%s", e->involved_kind, e->involved_name);
		int x = 69;
		if (e->count > 1)
			x += draw_textf(y, x, 8, ROLE_DIM, "x%d ", e->count);
		draw_text(y, x, ui->cols - x - 1, ROLE_NORMAL, e->message);
	}
	pager_end(&v->pg);
}

static unsigned ev_action(struct ui *ui, void *stp, enum action_id a)
{
	(void)ui;
	struct eventsview *v = stp;
	return pager_action(&v->pg, a);
}

const struct view_ops view_events = {
    .name = "events",
    .mask = VIEWMASK_EVENTS,
    .open = ev_open,
    .close = ev_close,
    .draw = ev_draw,
    .action = ev_action,
    .hint = "warnings first, newest first  {events} or {back} back",
};
