#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "podscope/client.h"
#include "podscope/clockskew.h"
#include "podscope/duration.h"
#include "glyphs.h"
#include "podscope/informer.h"
#include "podscope/loop.h"
#include "podscope/store.h"
#include "ui_int.h"
#include "ui_loop.h"

static void on_frame(void *ud);
static void on_tick(void *ud);

/* A frame no earlier than gap after the last one; an earlier frame
 * replaces a later one already asked for. */
static void request_in(struct ui *ui, int64_t gap)
{
	if (!(ui->pending & (UI_DRAW | UI_CLEAR)) || !ui->curses_on)
		return;
	int64_t now = ploop_now_ms();
	int64_t at = ui->last_frame_ms + gap;
	if (at < now)
		at = now;
	if (ui->frame_timer) {
		if (ui->frame_at <= at)
			return;
		ploop_timer_cancel(ui->loop, ui->frame_timer);
	}
	ui->frame_at = at;
	ui->frame_timer = ploop_timer_at(ui->loop, at, on_frame, ui);
}

void ui_request(struct ui *ui, unsigned bits)
{
	ui->pending |= bits;
	if (bits & UI_QUIT) {
		ploop_stop(ui->loop);
		return;
	}
	/* At most one frame per frame_gap: a burst of watch events costs one. */
	request_in(ui, ui->frame_gap_ms);
}

void ui_request_data(struct ui *ui)
{
	ui->pending |= UI_DRAW;
	int64_t gap = ui->lowbw ? UI_LOWBW_GAP_MS : UI_DATA_GAP_MS;
	request_in(ui, ui->frame_gap_ms > gap ? ui->frame_gap_ms : gap);
}

int64_t ui_clock(int64_t *mono)
{
	int64_t wall = ui_wall_ms(), m = ploop_now_ms();
	int64_t q = wall - wall % UI_GRAIN_MS;
	if (mono)
		*mono = m - (wall - q);
	return q;
}

int64_t ui_tick_align(int64_t t)
{
	if (t <= 0)
		return 0;
	/* The grain is on the wall clock: move t there, round up, move back. */
	int64_t off = ui_wall_ms() - ploop_now_ms();
	int64_t w = t + off;
	int64_t rem = w % UI_GRAIN_MS;
	return (rem ? w - rem + UI_GRAIN_MS : w) - off;
}

/* Low-bandwidth ages: one unit, in 5-minute steps below an hour. */
static int64_t coarse_unit(int64_t age)
{
	if (age < 60 * 60 * 1000)
		return 5 * 60 * 1000;
	if (age < 48 * 60 * 60 * 1000LL)
		return 60 * 60 * 1000;
	return 24 * 60 * 60 * 1000LL;
}

void ui_age(const struct ui *ui, int64_t created_ms, int64_t now, char *buf, size_t n)
{
	if (!ui->lowbw || created_ms <= 0) {
		duration_since(created_ms, now, buf, n);
		return;
	}
	int64_t age = now - created_ms;
	if (age < 5 * 60 * 1000)
		snprintf(buf, n, "<5m");
	else if (age < 60 * 60 * 1000)
		snprintf(buf, n, "%lldm", (long long)(age / (5 * 60 * 1000) * 5));
	else if (age < 48 * 60 * 60 * 1000LL)
		snprintf(buf, n, "%lldh", (long long)(age / (60 * 60 * 1000)));
	else if (age < 365 * 24 * 60 * 60 * 1000LL)
		snprintf(buf, n, "%lldd", (long long)(age / (24 * 60 * 60 * 1000LL)));
	else
		snprintf(buf, n, "%lldy", (long long)(age / (365 * 24 * 60 * 60 * 1000LL)));
}

int64_t ui_age_tick(const struct ui *ui, int64_t created_ms, int64_t now, int64_t mono)
{
	if (!ui->lowbw)
		return ui_tick_align(ui_age_next(created_ms, now, mono));
	if (created_ms <= 0)
		return 0;
	int64_t age = now > created_ms ? now - created_ms : 0;
	if (age >= 365 * 24 * 60 * 60 * 1000LL)
		return 0; /* years: not worth a timer */
	int64_t unit = coarse_unit(age);
	return ui_tick_align(mono + unit - age % unit);
}

/*
 * The automatic rule: a terminal that does not keep up with what podscope
 * writes (an SSH session over a slow link) gets low-bandwidth mode. A frame
 * finds the terminal slow when writing the previous frame blocked for
 * UI_SLOW_WRITE_MS or more: the tty's buffer was full because sshd, tmux or
 * the terminal could not pass on what it had (a Linux pty holds about 15 KB
 * before that). On a serial line, whose output queue the kernel can count
 * (TIOCOUTQ; a pty always says 0), bytes of earlier frames still queued when
 * a frame begins UI_SLOW_GAP_MS or more after the previous one count the
 * same way, and come sooner. UI_SLOW_FRAMES such frames in a row switch the
 * mode on for the rest of the session and say so; the config file's
 * `low-bandwidth: false` turns the rule off.
 */
#define UI_SLOW_GAP_MS   1000
#define UI_SLOW_WRITE_MS 250
#define UI_SLOW_FRAMES   3

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void check_slow(struct ui *ui, int64_t since_ms, int64_t wrote_ms)
{
	if (ui->lowbw || ui->lowbw_never)
		return;
	int queued = 0;
#ifdef TIOCOUTQ
	if (since_ms >= UI_SLOW_GAP_MS && ioctl(STDOUT_FILENO, TIOCOUTQ, &queued) != 0)
		queued = 0;
#endif
	if (queued > 0 || wrote_ms >= UI_SLOW_WRITE_MS)
		ui->slow_frames++;
	else if (since_ms >= UI_SLOW_GAP_MS)
		ui->slow_frames = 0;
	if (ui->slow_frames < UI_SLOW_FRAMES)
		return;
	ui->lowbw = true;
	memset(ui->flashes, 0, sizeof(ui->flashes));
	glyphs_init(false);
	screen_apply_theme(ui);
	ui_message(ui, ROLE_WARNING,
		   "the terminal drains slowly: low-bandwidth mode (see --low-bandwidth)");
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
		/* Nodes, PDBs, quotas, HPAs are extras: a user who may not list
		 * them is not in trouble (the views showing them say so). */
		if (st && store_kind_optional((enum store_kind)k) &&
		    st->state == INFORMER_FORBIDDEN)
			continue;
		if (st && (st->state == INFORMER_BACKOFF || st->state == INFORMER_FORBIDDEN))
			return st;
	}
	return NULL;
}

/* The first informer whose objects the decoders refused, or NULL. */
static const struct informer_status *refusing(const struct ui *ui)
{
	for (int k = 0; ui->inf && k < STORE_NKINDS; k++) {
		const struct informer_status *st = informer_set_status(ui->inf, (enum store_kind)k);
		if (st && st->refused)
			return st;
	}
	return NULL;
}

static void draw_title(struct ui *ui)
{
	/* Low bandwidth: bars without a background, whose blanks cost nothing. */
	enum theme_role bar = ui->lowbw ? ROLE_HEADER : ROLE_TITLE;
	if (!ui->lowbw)
		draw_fill(0, 0, ui->cols, ROLE_TITLE);
	const struct ui_frame *f = &ui->stack[ui->depth - 1];
	const char *ns = ui->all_ns ? "(all)" : ui->ns;
	int x = ui->lowbw ? draw_textf(0, 0, ui->cols, bar, "podscope %s  ctx %s  ns %s",
				       f->ops->name, ui->context, ns)
			  : draw_textf(0, 0, ui->cols, bar, " podscope %s %s  ctx %s  ns %s",
				       glyph(GLYPH_VLINE), f->ops->name, ui->context, ns);
	if (ui->readonly)
		x += draw_text(0, x, ui->cols - x, bar, "  [read-only]");
	if (ui->lowbw)
		x += draw_text(0, x, ui->cols - x, bar, "  [low-bandwidth]");
	if (ui->banner[0])
		x += draw_textf(0, x, ui->cols - x, bar, "  %s", ui->banner);
	/* Right: whether the picture is live. */
	char right[96] = "";
	enum theme_role role = bar;
	const struct informer_status *st = trouble(ui);
	const char *warn = ui->client ? kclient_warning(ui->client) : NULL;
	if (st) {
		snprintf(right, sizeof(right), " %s %s ", store_kind_name(st->kind),
			 st->state == INFORMER_BACKOFF ? "reconnecting" : "forbidden");
		role = ROLE_BANNER;
	} else if (warn) {
		snprintf(right, sizeof(right), " %.80s ", warn);
		role = ROLE_BANNER;
	} else if (ui_replay_on(ui)) {
		snprintf(right, sizeof(right), "replay ");
	} else if (!ui->inf || !informer_set_synced(ui->inf)) {
		snprintf(right, sizeof(right), "listing%s ", glyph(GLYPH_ELLIPSIS));
	} else {
		snprintf(right, sizeof(right), "live ");
	}
	int rw = draw_width(right);
	/* Low bandwidth: right after the title, not a cursor address away. */
	if (ui->lowbw && x + 2 < ui->cols)
		draw_text(0, x + 2, ui->cols - x - 2, role, right);
	else if (x + rw + 1 < ui->cols)
		draw_text(0, ui->cols - rw, rw, role, right);
}

static void draw_status(struct ui *ui, int64_t now)
{
	int y = ui->rows - 1;
	if (!ui->lowbw)
		draw_fill(y, 0, ui->cols, ROLE_STATUS);
	if (ui->prompt) {
		char buf[512];
		wcstombs(buf, ui->prompt_buf, sizeof(buf) - 1);
		buf[sizeof(buf) - 1] = '\0';
		int x;
		/* Many contexts: an action's input names its cluster. */
		if (ui->prompt == 'a' && ui->n_clusters)
			x = draw_textf(y, 0, ui->cols - 1, ROLE_STATUS, "[%s] %s%s", ui->context,
				       ui->prompt_label, buf);
		else if (ui->prompt == 'a' || ui->prompt == 's')
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
	char keys[64], hint[384], vhint[256];
	/* Low bandwidth: help, which names every other key. */
	keymap_hint(&ui->cfg.keys, ui->lowbw ? "{help} help" : "{help} help  {quit} quit", keys,
		    sizeof(keys));
	/* The API server's clock, when it is off ours by more than a glance. */
	int64_t skew = ui_clock_skew_ms();
	if (skew > CLOCKSKEW_SHOW_MS || skew < -CLOCKSKEW_SHOW_MS) {
		char d[40];
		clockskew_format(skew, d, sizeof(d));
		snprintf(hint, sizeof(hint), "server clock %s  %s", d, keys);
	} else {
		snprintf(hint, sizeof(hint), "%s", keys);
	}
	/* --record: announced for as long as it records (ui_rec.c). */
	char rec[256];
	bool rec_ok;
	if (ui_rec_label(ui, rec, sizeof(rec), &rec_ok) > 0) {
		(void)rec_ok; /* a failed recording's label says so */
		char both[sizeof(rec) + sizeof(hint)];
		snprintf(both, sizeof(both), "%s%s", rec, hint);
		memcpy(hint, both, sizeof(hint) - 1);
		hint[sizeof(hint) - 1] = '\0';
	}
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
	} else if ((st = refusing(ui))) {
		draw_textf(y, 1, room, ROLE_ERROR, "%lu %s refused, not shown: %s", st->refused,
			   store_kind_name(st->kind), st->last_refused);
	} else if (ui->filter[0]) {
		draw_textf(y, 1, room, ROLE_STATUS, "filter: %s  (Esc on the list clears it)",
			   ui->filter);
	} else if (ui->stack[ui->depth - 1].ops->hint && !ui->lowbw) {
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
	/* Before this frame adds to it: what is left of the earlier ones. */
	check_slow(ui, now - ui->last_frame_ms, ui->write_ms);
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
		int bar = ui_timebar_rows(ui); /* podscope replay's time bar */
		f->ops->draw(ui, f->st, 1, ui->rows - 2 - bar);
		if (bar)
			ui_timebar_draw(ui, ui->rows - 2);
		ui_act_draw(ui);
		draw_status(ui, now);
	}
	wnoutrefresh(stdscr);
	int64_t t0 = mono_ms();
	doupdate();
	ui->write_ms = mono_ms() - t0; /* how long the write took, for check_slow */
	ui->frames++;
	schedule_tick(ui, now);
	ui_script_next(ui);
}
