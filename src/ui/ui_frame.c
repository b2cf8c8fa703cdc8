#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <curses.h>

#include "podscope/client.h"
#include "podscope/glyphs.h"
#include "podscope/informer.h"
#include "podscope/loop.h"
#include "podscope/store.h"
#include "ui_int.h"
#include "ui_loop.h"

static void on_frame(void *ud);
static void on_tick(void *ud);

void ui_request(struct ui *ui, unsigned bits)
{
	ui->pending |= bits;
	if (bits & UI_QUIT) {
		ploop_stop(ui->loop);
		return;
	}
	if (!(ui->pending & (UI_DRAW | UI_CLEAR)) || ui->frame_timer || !ui->curses_on)
		return;
	/* At most one frame per frame_gap: a burst of watch events costs one. */
	int64_t at = ui->last_frame_ms + ui->frame_gap_ms;
	int64_t now = ploop_now_ms();
	ui->frame_timer = ploop_timer_at(ui->loop, at > now ? at : now, on_frame, ui);
}

void ui_resize(struct ui *ui, bool ask_tty)
{
	struct winsize ws;
	if (ask_tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0 && (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	getmaxyx(stdscr, ui->rows, ui->cols);
	ui->too_small = ui->rows < UI_MIN_ROWS || ui->cols < UI_MIN_COLS;
	ui_request(ui, UI_DRAW | UI_CLEAR);
}

static void draw_too_small(struct ui *ui)
{
	erase();
	char msg[96];
	snprintf(msg, sizeof(msg), "terminal too small: %dx%d, needs %dx%d", ui->cols, ui->rows,
		 UI_MIN_COLS, UI_MIN_ROWS);
	int y = ui->rows / 2, w = draw_width(msg);
	int x = w < ui->cols ? (ui->cols - w) / 2 : 0;
	draw_text(y > 0 ? y : 0, x, ui->cols, ROLE_ERROR, msg);
}

/* The first informer in trouble (backing off, forbidden), or NULL. */
static const struct informer_status *trouble(const struct ui *ui)
{
	for (int k = 0; ui->inf && k < STORE_NKINDS; k++) {
		const struct informer_status *st = informer_set_status(ui->inf, (enum store_kind)k);
		if (st && (st->state == INFORMER_BACKOFF || st->state == INFORMER_FORBIDDEN))
			return st;
	}
	return NULL;
}

static void draw_title(struct ui *ui)
{
	draw_fill(0, 0, ui->cols, ROLE_TITLE);
	const struct ui_frame *f = &ui->stack[ui->depth - 1];
	int x = draw_textf(0, 0, ui->cols, ROLE_TITLE, " podscope %s %s  ctx %s  ns %s",
			   glyph(GLYPH_VLINE), f->ops->name, ui->context,
			   ui->all_ns ? "(all)" : ui->ns);
	if (ui->readonly)
		x += draw_text(0, x, ui->cols - x, ROLE_TITLE, "  [read-only]");
	if (ui->banner[0])
		x += draw_textf(0, x, ui->cols - x, ROLE_TITLE, "  %s", ui->banner);
	/* Right: whether the picture is live. */
	char right[96] = "";
	enum theme_role role = ROLE_TITLE;
	const struct informer_status *st = trouble(ui);
	const char *warn = ui->client ? kclient_warning(ui->client) : NULL;
	if (st) {
		snprintf(right, sizeof(right), " %s %s ", store_kind_name(st->kind),
			 st->state == INFORMER_BACKOFF ? "reconnecting" : "forbidden");
		role = ROLE_BANNER;
	} else if (warn) {
		snprintf(right, sizeof(right), " %.80s ", warn);
		role = ROLE_BANNER;
	} else if (!ui->inf || !informer_set_synced(ui->inf)) {
		snprintf(right, sizeof(right), "listing%s ", glyph(GLYPH_ELLIPSIS));
	} else {
		snprintf(right, sizeof(right), "live ");
	}
	int rw = draw_width(right);
	if (x + rw + 1 < ui->cols)
		draw_text(0, ui->cols - rw, rw, role, right);
}

static void draw_status(struct ui *ui, int64_t now)
{
	int y = ui->rows - 1;
	draw_fill(y, 0, ui->cols, ROLE_STATUS);
	if (ui->prompt) {
		char buf[512];
		wcstombs(buf, ui->prompt_buf, sizeof(buf) - 1);
		buf[sizeof(buf) - 1] = '\0';
		int x;
		if (ui->prompt == 'a')
			x = draw_textf(y, 0, ui->cols - 1, ROLE_STATUS, "%s%s", ui->prompt_label,
				       buf);
		else
			x = draw_textf(y, 0, ui->cols - 1, ROLE_STATUS, "%c%s", ui->prompt, buf);
		draw_text(y, x, 1, ROLE_SELECTED, " ");
		if (ui->prompt_note[0] && x + 1 < ui->cols)
			draw_text(y, x + 1, ui->cols - x - 1,
				  strstr(ui->prompt_note, "refused") ? ROLE_ERROR : ROLE_STATUS,
				  ui->prompt_note);
		return;
	}
	/* The keys the hints name are the keymap's: a rebound key shows. */
	char hint[64], vhint[256];
	keymap_hint(&ui->cfg.keys, "{help} help  {quit} quit", hint, sizeof(hint));
	int hw = draw_width(hint);
	int room = ui->cols - hw - 2;
	const struct informer_status *st = trouble(ui);
	if (ui->status[0] && now < ui->status_until) {
		/* A long message (an API error) takes the hint's place too. */
		if (draw_width(ui->status) > room) {
			room = ui->cols - 2;
			hw = ui->cols;
		}
		draw_text(y, 1, room, ui->status_role == ROLE_ERROR ? ROLE_ERROR : ROLE_STATUS,
			  ui->status);
	} else if (st) {
		char line[256];
		informer_status_line(st, now, line, sizeof(line));
		draw_text(y, 1, room, ROLE_ERROR, line);
	} else if (ui->filter[0]) {
		draw_textf(y, 1, room, ROLE_STATUS, "filter: %s  (Esc on the list clears it)",
			   ui->filter);
	} else if (ui->stack[ui->depth - 1].ops->hint) {
		keymap_hint(&ui->cfg.keys, ui->stack[ui->depth - 1].ops->hint, vhint,
			    sizeof(vhint));
		draw_text(y, 1, room, ROLE_STATUS, vhint);
	}
	if (hw + 1 < ui->cols)
		draw_text(y, ui->cols - hw - 1, hw, ROLE_STATUS, hint);
}

static void schedule_tick(struct ui *ui, int64_t now)
{
	int64_t next = 0;
	const struct ui_frame *f = &ui->stack[ui->depth - 1];
	if (!ui->too_small && f->ops->next_tick)
		next = f->ops->next_tick(ui, f->st, now);
	if (ui->status[0] && ui->status_until > now && (!next || ui->status_until < next))
		next = ui->status_until;
	/* A back-off counts down in the status line. */
	if (trouble(ui))
		next = ui_tick_min(next, now + 1000);
	if (ui->tick_timer && ui->tick_at == next)
		return;
	if (ui->tick_timer) {
		ploop_timer_cancel(ui->loop, ui->tick_timer);
		ui->tick_timer = NULL;
	}
	if (next > 0) {
		ui->tick_at = next;
		ui->tick_timer = ploop_timer_at(ui->loop, next, on_tick, ui);
	}
}

static void on_tick(void *ud)
{
	struct ui *ui = ud;
	ui->tick_timer = NULL;
	ui_request(ui, UI_DRAW);
}

static void on_frame(void *ud)
{
	struct ui *ui = ud;
	ui->frame_timer = NULL;
	int64_t now = ploop_now_ms();
	ui->last_frame_ms = now;
	if (ui->pending & UI_CLEAR)
		clearok(curscr, TRUE);
	ui->pending = 0;
	if (ui->too_small) {
		draw_too_small(ui);
	} else {
		erase();
		draw_title(ui);
		const struct ui_frame *f = &ui->stack[ui->depth - 1];
		f->ops->draw(ui, f->st, 1, ui->rows - 2);
		ui_act_draw(ui);
		draw_status(ui, now);
	}
	wnoutrefresh(stdscr);
	doupdate();
	ui->frames++;
	schedule_tick(ui, now);
	ui_script_next(ui);
}
