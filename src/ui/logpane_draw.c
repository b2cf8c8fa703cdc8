#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "logpane_int.h"
#include "podscope/buf.h"
#include "podscope/logstore.h"
#include "podscope/sanitize.h"
#include "podscope/store.h"
#include "ui_int.h"

/*
 * Drawing the log panes, and their search: a line is sanitised first
 * (logline_sanitize), and everything else, the rows a wrapped line takes,
 * the search and its highlight, works on that text, so what matches is what
 * the screen shows. The merged pane starts each line with its pod's tag.
 */

/* Cut the sanitised text s into rows of at most w columns (never inside a
 * character or an escape); returns the rows, at most max, with their starts
 * in at[] (at[rows] is the end). */
static int cut_rows(const char *s, int w, size_t *at, int max)
{
	size_t pos = 0;
	int rows = 0;
	at[0] = 0;
	while (rows < max) {
		size_t used = 0, start = pos;
		while (s[pos]) {
			struct sanitize_unit u;
			size_t k = sanitize_next(s + pos, 0, &u);
			size_t uw = u.esc[0] ? strlen(u.esc) : (size_t)u.width;
			if (used + uw > (size_t)w && pos > start)
				break;
			used += uw;
			pos += k;
		}
		at[++rows] = pos;
		if (!s[pos])
			break;
	}
	return rows;
}

/* The columns the tag takes before a merged line's text (0: none). */
static int tag_width(const struct logpane *lp, const struct lsrc *s)
{
	return lp->merged ? draw_width(s->tag) + 1 : 0;
}

static const char *line_text(struct logpane *lp, const struct logline *l, struct buf *b)
{
	buf_reset(b);
	logline_sanitize(b, l, lp->ts);
	return b->data ? b->data : "";
}

static int line_rows(struct logpane *lp, const struct mref *r, int w, struct buf *b)
{
	if (!lp->wrap)
		return 1;
	size_t at[LOGPANE_WRAP_ROWS + 1];
	return cut_rows(line_text(lp, r->l, b), w - tag_width(lp, r->s), at, LOGPANE_WRAP_ROWS);
}

/* s (n bytes of sanitised text) at y, x, with the search's matches in the
 * selection's colours. */
static void draw_row(struct ui *ui, int y, int x, int w, const char *s, size_t n)
{
	char row[1024];
	if (n >= sizeof(row))
		n = sizeof(row) - 1;
	memcpy(row, s, n);
	row[n] = '\0';
	draw_text(y, x, w, ROLE_NORMAL, row);
	size_t q = strlen(ui->search);
	if (!q)
		return;
	for (char *m = strcasestr(row, ui->search); m; m = strcasestr(m + q, ui->search)) {
		char c = *m;
		*m = '\0';
		int col = draw_width(row);
		*m = c;
		char hit[sizeof(ui->search)];
		memcpy(hit, m, q);
		hit[q] = '\0';
		if (col < w)
			draw_text(y, x + col, w - col, ROLE_SELECTED, hit);
	}
}

/* Draws line r from row y on, at most max rows; returns the rows taken. */
static int draw_line(struct ui *ui, struct logpane *lp, const struct mref *r, int y, int max,
		     int w, struct buf *b)
{
	const char *s = line_text(lp, r->l, b);
	int x = 1, tw = tag_width(lp, r->s);
	if (tw) {
		draw_text(y, x, w, r->s->role, r->s->tag);
		x += tw;
		w -= tw;
	}
	if (!lp->wrap) {
		draw_row(ui, y, x, w, s, strlen(s));
		return 1;
	}
	size_t at[LOGPANE_WRAP_ROWS + 1];
	int rows = cut_rows(s, w, at, LOGPANE_WRAP_ROWS);
	for (int k = 0; k < rows && k < max; k++)
		draw_row(ui, y + k, x, w, s + at[k], at[k + 1] - at[k]);
	return rows < max ? rows : max;
}

static const char *const gen_names[] = {"new", "old", "new+old"};

static void header(struct ui *ui, struct logpane *lp, int y)
{
	char keys[5][16], what[300], mid[80];
	keymap_hint_key(&ui->cfg.keys, ACT_LOG_FOLLOW, keys[0], sizeof(keys[0]));
	keymap_hint_key(&ui->cfg.keys, ACT_LOG_WRAP, keys[1], sizeof(keys[1]));
	keymap_hint_key(&ui->cfg.keys, ACT_LOG_TIMESTAMPS, keys[2], sizeof(keys[2]));
	if (lp->merged) {
		keymap_hint_key(&ui->cfg.keys, ACT_LOG_GENERATION, keys[3], sizeof(keys[3]));
		snprintf(what, sizeof(what), "%s: %zu pod%s%s", gen_names[lp->gen], lp->shown,
			 lp->shown == 1 ? "" : "s", lp->capped ? " (capped)" : "");
		snprintf(mid, sizeof(mid), "[%s] generation", keys[3]);
	} else {
		keymap_hint_key(&ui->cfg.keys, ACT_LOG_CONTAINER, keys[3], sizeof(keys[3]));
		keymap_hint_key(&ui->cfg.keys, ACT_LOG_PREVIOUS, keys[4], sizeof(keys[4]));
		const char *c = lp->nsrc ? lp->src[0]->container : "";
		snprintf(what, sizeof(what), "%s%s", *c ? c : "-", lp->previous ? " (previous)" : "");
		snprintf(mid, sizeof(mid), "[%s] container  [%s] previous", keys[3], keys[4]);
	}
	draw_textf(y, 1, ui->cols - 2, ROLE_HEADER,
		   "LOGS %s  %zu lines  [%s] follow %s  %s  [%s] wrap %s  [%s] timestamps %s%s%s",
		   what, lp->nm, keys[0], lp->follow ? "on" : "off", mid, keys[1],
		   lp->wrap ? "on" : "off", keys[2], lp->ts ? "on" : "off",
		   ui->search[0] ? "  search: " : "", ui->search);
}

/* The previous container's last termination, from the pod's status. */
static void last_state(struct ui *ui, struct logpane *lp, int y)
{
	const struct pod *p = store_get_pod(ui->store, lp->ns, lp->name);
	const char *c = lp->nsrc ? lp->src[0]->container : "";
	const struct container_state *prev = NULL;
	for (int i = 0; p && i < p->n_statuses; i++)
		if (strcmp(p->statuses[i].name, c) == 0)
			prev = model_last_terminated(&p->statuses[i]);
	if (prev)
		draw_textf(y, 1, ui->cols - 2, ROLE_WARNING, "previous run of %s: exit %d, %s", c,
			   prev->exit_code, *prev->reason ? prev->reason : "no reason");
	else
		draw_textf(y, 1, ui->cols - 2, ROLE_DIM, "%s has no terminated run", c);
}

void logpane_draw(struct ui *ui, struct logpane *lp, int top, int height)
{
	if (height < 2)
		return;
	logpane_merge(lp);
	header(ui, lp, top++);
	height--;
	if (lp->previous && height > 1) {
		last_state(ui, lp, top++);
		height--;
	}
	lp->rows = height;
	size_t n = lp->nm;
	if (n == 0) {
		const char *none = lp->merged && lp->shown == 0 ? "no running pods in this generation"
							       : "no lines yet";
		draw_text(top, 2, ui->cols - 3, lp->error[0] ? ROLE_WARNING : ROLE_DIM,
			  lp->error[0] ? lp->error : none);
		return;
	}
	int w = ui->cols - 2;
	struct buf b = {0};
	uint64_t dropped = logpane_dropped(lp);
	size_t first;
	if (lp->follow) {
		/* From the last line up until the rows are full. */
		int used = 0;
		first = n;
		while (first > 0) {
			int r = line_rows(lp, &lp->m[first - 1], w, &b);
			if (used + r > height && used > 0)
				break;
			used += r;
			first--;
		}
		lp->top = dropped + first;
	} else {
		first = lp->top > dropped ? (size_t)(lp->top - dropped) : 0;
		if (first >= n)
			first = n - 1;
	}
	int y = 0;
	for (size_t i = first; i < n && y < height; i++)
		y += draw_line(ui, lp, &lp->m[i], top + y, height - y, w, &b);
	buf_free(&b);
}

bool logpane_find(struct ui *ui, struct logpane *lp, int dir)
{
	logpane_merge(lp);
	if (!ui->search[0] || lp->nm == 0)
		return false;
	uint64_t dropped = logpane_dropped(lp);
	size_t at = lp->top > dropped ? (size_t)(lp->top - dropped) : 0;
	if (at > lp->nm)
		at = lp->nm; /* from past the end: the newest match backwards */
	struct buf b = {0};
	bool found = false;
	for (size_t i = at;;) {
		if (dir > 0 ? i + 1 >= lp->nm : i == 0)
			break;
		i = dir > 0 ? i + 1 : i - 1;
		const struct mref *r = &lp->m[i];
		if (strcasestr(line_text(lp, r->l, &b), ui->search)) {
			lp->follow = false;
			lp->top = dropped + i;
			found = true;
			break;
		}
	}
	buf_free(&b);
	return found;
}
