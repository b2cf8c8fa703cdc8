#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logpane.h"
#include "podscope/buf.h"
#include "podscope/logfollow.h"
#include "podscope/logstore.h"
#include "podscope/sanitize.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "ui_int.h"

/*
 * The log pane: the follow's lines are copied, once each (logfollow_take
 * skips what a reconnect sends again), into a display stream of the pane's
 * own small logstore, which caps what the pane holds; the follow's stream
 * lives in the same store. The view never speaks HTTP: logfollow does, on
 * the loop, and calls back here when bytes come.
 */

/* The pane's store: at most these, whatever the pod prints. */
#define LOGPANE_LINES 5000u
#define LOGPANE_BYTES (4u << 20)
/* Lines asked for when a log is opened (tailLines). */
#define LOGPANE_TAIL 1000
/* Rows one wrapped line may take. */
#define LOGPANE_WRAP_ROWS 64

struct logpane {
	struct ui *ui;
	char ns[254], pod[254], container[254];
	struct logstore *st;
	struct logfollow *f;
	struct logstream *shown; /* the lines taken, in order */
	int cidx;                /* the container: index in the pod's spec.containers */
	bool previous, follow, wrap, ts;
	uint64_t top; /* first line shown (dropped + index) when not following */
	int rows;     /* rows of lines in the last drawing */
	char error[256];
};

static void take_line(void *ud, const struct logline *l)
{
	struct logpane *lp = ud;
	logstream_feed(lp->st, lp->shown, l->raw, l->len);
	logstream_feed(lp->st, lp->shown, "\n", 1);
}

static void on_log(void *ud, struct logfollow *f, const struct kresp *resp)
{
	struct logpane *lp = ud;
	logfollow_take(f, take_line, lp);
	if (resp && resp->status >= 400)
		snprintf(lp->error, sizeof(lp->error), "%s", perr_msg(&resp->err));
	else if (resp && resp->status == 0)
		snprintf(lp->error, sizeof(lp->error), "%s", perr_msg(&resp->err));
	ui_request_data(lp->ui); /* a chatty pod: at most one frame per gap */
}

static void stop(struct logpane *lp)
{
	logfollow_free(lp->f);
	lp->f = NULL;
	if (lp->shown)
		logstore_remove(lp->st, lp->shown);
	lp->shown = NULL;
	lp->error[0] = '\0';
}

/* (Re)start reading the chosen container's log. */
static void start(struct logpane *lp)
{
	stop(lp);
	const struct pod *p = store_get_pod(lp->ui->store, lp->ns, lp->pod);
	lp->container[0] = '\0';
	if (p && p->n_specs > 0) {
		if (lp->cidx >= p->n_specs || lp->cidx < 0)
			lp->cidx = 0;
		snprintf(lp->container, sizeof(lp->container), "%s", p->specs[lp->cidx].name);
	}
	lp->shown = logstore_open(lp->st, "shown");
	struct podlog_opts o = {
	    .container = lp->container[0] ? lp->container : NULL,
	    .previous = lp->previous,
	    .follow = !lp->previous, /* a previous log is over: read once */
	    .tail = LOGPANE_TAIL,
	};
	struct perr err = {0};
	lp->f = logfollow_new(lp->ui->loop, lp->ui->client, lp->st, "follow", lp->ns, lp->pod, &o,
			      on_log, lp, &err);
	if (!lp->f)
		snprintf(lp->error, sizeof(lp->error), "%s", perr_msg(&err));
	lp->top = 0;
}

struct logpane *logpane_new(struct ui *ui, const char *ns, const char *pod)
{
	struct logpane *lp = xcalloc(1, sizeof(*lp));
	lp->ui = ui;
	snprintf(lp->ns, sizeof(lp->ns), "%s", ns);
	snprintf(lp->pod, sizeof(lp->pod), "%s", pod);
	struct logstore_caps caps = {
	    .stream_lines = LOGPANE_LINES,
	    .stream_bytes = LOGPANE_BYTES,
	    .total_bytes = 2 * LOGPANE_BYTES,
	    .streams = 2,
	};
	lp->st = logstore_new(&caps);
	lp->follow = true;
	start(lp);
	return lp;
}

void logpane_free(struct logpane *lp)
{
	if (!lp)
		return;
	stop(lp);
	logstore_free(lp->st);
	free(lp);
}

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

static int line_rows(struct logpane *lp, const struct logline *l, int w, struct buf *b)
{
	if (!lp->wrap)
		return 1;
	buf_reset(b);
	logline_sanitize(b, l, lp->ts);
	size_t at[LOGPANE_WRAP_ROWS + 1];
	return cut_rows(b->data ? b->data : "", w, at, LOGPANE_WRAP_ROWS);
}

/* Draws line l from row y on, at most max rows; returns the rows taken. */
static int draw_line(struct logpane *lp, const struct logline *l, int y, int max, int w,
		     struct buf *b)
{
	buf_reset(b);
	logline_sanitize(b, l, lp->ts);
	const char *s = b->data ? b->data : "";
	if (!lp->wrap) {
		draw_text(y, 1, w, ROLE_NORMAL, s);
		return 1;
	}
	size_t at[LOGPANE_WRAP_ROWS + 1];
	int rows = cut_rows(s, w, at, LOGPANE_WRAP_ROWS);
	for (int r = 0; r < rows && r < max; r++) {
		char row[1024];
		size_t n = at[r + 1] - at[r];
		if (n >= sizeof(row))
			n = sizeof(row) - 1;
		memcpy(row, s + at[r], n);
		row[n] = '\0';
		draw_text(y + r, 1, w, ROLE_NORMAL, row);
	}
	return rows < max ? rows : max;
}

static void header(struct ui *ui, struct logpane *lp, int y)
{
	char keys[5][16];
	keymap_hint_key(&ui->cfg.keys, ACT_LOG_FOLLOW, keys[0], sizeof(keys[0]));
	keymap_hint_key(&ui->cfg.keys, ACT_LOG_CONTAINER, keys[1], sizeof(keys[1]));
	keymap_hint_key(&ui->cfg.keys, ACT_LOG_PREVIOUS, keys[2], sizeof(keys[2]));
	keymap_hint_key(&ui->cfg.keys, ACT_LOG_WRAP, keys[3], sizeof(keys[3]));
	keymap_hint_key(&ui->cfg.keys, ACT_LOG_TIMESTAMPS, keys[4], sizeof(keys[4]));
	draw_textf(y, 1, ui->cols - 2, ROLE_HEADER,
		   "LOGS %s%s  %zu lines  [%s] follow %s  [%s] container  [%s] previous  "
		   "[%s] wrap %s  [%s] timestamps %s",
		   lp->container[0] ? lp->container : "-", lp->previous ? " (previous)" : "",
		   lp->shown ? logstream_count(lp->shown) : (size_t)0, keys[0],
		   lp->follow ? "on" : "off", keys[1], keys[2], keys[3], lp->wrap ? "on" : "off",
		   keys[4], lp->ts ? "on" : "off");
}

/* The previous container's last termination, from the pod's status. */
static void last_state(struct ui *ui, struct logpane *lp, int y)
{
	const struct pod *p = store_get_pod(ui->store, lp->ns, lp->pod);
	const struct container_state *prev = NULL;
	for (int i = 0; p && i < p->n_statuses; i++)
		if (strcmp(p->statuses[i].name, lp->container) == 0)
			prev = model_last_terminated(&p->statuses[i]);
	if (prev)
		draw_textf(y, 1, ui->cols - 2, ROLE_WARNING, "previous run of %s: exit %d, %s",
			   lp->container, prev->exit_code,
			   *prev->reason ? prev->reason : "no reason");
	else
		draw_textf(y, 1, ui->cols - 2, ROLE_DIM, "%s has no terminated run", lp->container);
}

void logpane_draw(struct ui *ui, struct logpane *lp, int top, int height)
{
	if (height < 2)
		return;
	header(ui, lp, top++);
	height--;
	if (lp->previous && height > 1) {
		last_state(ui, lp, top++);
		height--;
	}
	lp->rows = height;
	size_t n = lp->shown ? logstream_count(lp->shown) : 0;
	if (n == 0) {
		draw_text(top, 2, ui->cols - 3, lp->error[0] ? ROLE_WARNING : ROLE_DIM,
			  lp->error[0] ? lp->error : "no lines yet");
		return;
	}
	int w = ui->cols - 2;
	struct buf b = {0};
	uint64_t dropped = logstream_dropped(lp->shown);
	size_t first;
	if (lp->follow) {
		/* From the last line up until the rows are full. */
		int used = 0;
		first = n;
		while (first > 0) {
			int r = line_rows(lp, logstream_line(lp->shown, first - 1), w, &b);
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
		y += draw_line(lp, logstream_line(lp->shown, i), top + y, height - y, w, &b);
	buf_free(&b);
}

static void scroll(struct logpane *lp, long by)
{
	size_t n = lp->shown ? logstream_count(lp->shown) : 0;
	uint64_t dropped = lp->shown ? logstream_dropped(lp->shown) : 0;
	lp->follow = false;
	int64_t t = (int64_t)lp->top + by;
	if (t < (int64_t)dropped)
		t = (int64_t)dropped;
	if (n > 0 && t > (int64_t)(dropped + n - 1))
		t = (int64_t)(dropped + n - 1);
	lp->top = (uint64_t)t;
}

unsigned logpane_action(struct ui *ui, struct logpane *lp, enum action_id a)
{
	(void)ui;
	int page = lp->rows > 1 ? lp->rows - 1 : 1;
	switch (a) {
	case ACT_LOG_FOLLOW:
		lp->follow = !lp->follow;
		return UI_DRAW;
	case ACT_LOG_CONTAINER: {
		const struct pod *p = store_get_pod(ui->store, lp->ns, lp->pod);
		lp->cidx = p && p->n_specs > 0 ? (lp->cidx + 1) % p->n_specs : 0;
		start(lp);
		return UI_DRAW;
	}
	case ACT_LOG_PREVIOUS:
		lp->previous = !lp->previous;
		start(lp);
		return UI_DRAW;
	case ACT_LOG_WRAP:
		lp->wrap = !lp->wrap;
		return UI_DRAW;
	case ACT_LOG_TIMESTAMPS:
		lp->ts = !lp->ts;
		return UI_DRAW;
	case ACT_UP:
		scroll(lp, -1);
		return UI_DRAW;
	case ACT_DOWN:
		scroll(lp, 1);
		return UI_DRAW;
	case ACT_PAGE_UP:
		scroll(lp, -page);
		return UI_DRAW;
	case ACT_PAGE_DOWN:
		scroll(lp, page);
		return UI_DRAW;
	case ACT_FIRST:
		lp->top = 0;
		scroll(lp, 0);
		return UI_DRAW;
	case ACT_LAST:
		lp->follow = true;
		return UI_DRAW;
	default:
		return UI_UNHANDLED;
	}
}
