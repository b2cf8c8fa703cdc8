#include "config.h"

#include <stdio.h>
#include <string.h>

#include "glyphs.h"
#include "podscope/duration.h"
#include "podscope/loop.h"
#include "podscope/rectimeline.h"
#include "podscope/ui.h"
#include "ui_int.h"
#include "ui_loop.h"

/*
 * podscope replay: the time bar above the status line (where the replay
 * is, its span, speed, paused; the gaps where nothing was recorded left
 * blank) and its keys, which ask the command's driver (ui.h's
 * ui_replay_hooks). The views read the store as live; the clock they draw
 * ages and countdowns at is the replayed moment's.
 */

bool ui_replay_on(const struct ui *ui)
{
	return ui->replay != NULL;
}

int ui_timebar_rows(const struct ui *ui)
{
	return ui->replay ? 1 : 0;
}

/* The driver moved: the clock follows, the screen is drawn again. */
static void on_moved(void *ud)
{
	struct ui *ui = ud;
	struct ui_replay_state s;
	ui->replay->state(ui->replay->ud, &s);
	ui_clock_fix(s.pos_ms + s.skew_ms);
	ui_request_data(ui);
}

void ui_replay_setup(struct ui *ui, const struct ui_replay_hooks *h)
{
	ui->replay = h;
	ui->readonly = true;
	/* The time bar's keys over the list keys they would be in a live
	 * dashboard (Space pages, g goes first, + and - scale: all refused or
	 * kept on other keys). */
	static const struct {
		const char *key;
		enum action_id a;
	} keys[] = {
	    {"Space", ACT_REPLAY_PAUSE},  {"[", ACT_REPLAY_PREV},  {"]", ACT_REPLAY_NEXT},
	    {"+", ACT_REPLAY_FASTER},     {"-", ACT_REPLAY_SLOWER}, {"g", ACT_REPLAY_JUMP},
	    {"R", ACT_REPLAY_ROLLOUT},
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		keymap_bind(&ui->cfg.keys, keys[i].key, keys[i].a);
}

void ui_replay_start(struct ui *ui)
{
	if (ui->replay_started)
		return;
	ui->replay_started = true;
	ui->replay->start(ui->replay->ud, ui->loop, ui->store, on_moved, ui);
	on_moved(ui);
	if (ui->replay->note) {
		ui_message(ui, ROLE_WARNING, "replay: %s", ui->replay->note);
		ui->status_until = ploop_now_ms() + 15000;
	}
	ui->synced = true;
	ui_script_start(ui);
}

void ui_replay_stop(struct ui *ui)
{
	if (ui->replay && ui->replay_started && ui->replay->stop)
		ui->replay->stop(ui->replay->ud);
	ui->replay_started = false;
}

static void command(struct ui *ui, enum ui_replay_cmd c, int64_t arg)
{
	char msg[160] = "";
	if (ui->replay->command(ui->replay->ud, c, arg, msg, sizeof(msg)) < 0)
		ui_message(ui, ROLE_WARNING, "replay: %s", msg);
	on_moved(ui);
	ui_request(ui, UI_DRAW);
}

bool ui_replay_action(struct ui *ui, enum action_id a)
{
	if (a < ACT_REPLAY_PAUSE || a > ACT_REPLAY_ROLLOUT)
		return false;
	if (!ui->replay) {
		ui_message(ui, ROLE_INFO, "%s: only in podscope replay FILE", actions_table[a].name);
		return true;
	}
	static const enum ui_replay_cmd cmds[] = {
	    [ACT_REPLAY_PAUSE - ACT_REPLAY_PAUSE] = UI_REPLAY_PAUSE,
	    [ACT_REPLAY_PREV - ACT_REPLAY_PAUSE] = UI_REPLAY_PREV,
	    [ACT_REPLAY_NEXT - ACT_REPLAY_PAUSE] = UI_REPLAY_NEXT,
	    [ACT_REPLAY_FASTER - ACT_REPLAY_PAUSE] = UI_REPLAY_FASTER,
	    [ACT_REPLAY_SLOWER - ACT_REPLAY_PAUSE] = UI_REPLAY_SLOWER,
	    [ACT_REPLAY_ROLLOUT - ACT_REPLAY_PAUSE] = UI_REPLAY_ROLLOUT,
	};
	if (a == ACT_REPLAY_JUMP)
		return false; /* the ':' line, with "jump " typed */
	command(ui, cmds[a - ACT_REPLAY_PAUSE], 0);
	return true;
}

void ui_replay_jump(struct ui *ui, const char *arg)
{
	if (!ui->replay) {
		ui_message(ui, ROLE_INFO, "jump: only in podscope replay FILE");
		return;
	}
	struct ui_replay_state s;
	ui->replay->state(ui->replay->ud, &s);
	struct perr err = {0};
	int64_t t = 0;
	int rc;
	if (strcmp(arg, "start") == 0 || strcmp(arg, "end") == 0) {
		t = *arg == 's' ? s.tl->first_ms : s.tl->last_ms;
		rc = 0;
	} else if (*arg == '+') {
		int64_t ns = 0;
		rc = duration_parse(arg + 1, &ns, &err);
		t = s.tl->first_ms + ns / 1000000;
	} else {
		rc = *arg ? duration_parse_rfc3339(arg, &t, &err) : -1;
	}
	if (rc < 0) {
		ui_message(ui, ROLE_ERROR,
			   "jump %.60s: %s (a time such as 2026-12-07T15:51:03Z, +D from the "
			   "start such as +1m30s, start or end)",
			   arg, *arg ? perr_msg(&err) : "no time");
		perr_clear(&err);
		return;
	}
	command(ui, UI_REPLAY_SEEK, t);
}

void ui_timebar_draw(struct ui *ui, int y)
{
	struct ui_replay_state s;
	ui->replay->state(ui->replay->ud, &s);
	const struct rec_timeline *tl = s.tl;
	draw_fill(y, 0, ui->cols, ROLE_HEADER);
	char at[40], off[32], span[32], left[160];
	/* The recording's own clock, as :jump and replay --at take it. */
	duration_format_rfc3339(s.pos_ms, 1, at, sizeof(at));
	char *frac = strchr(at, '.');
	if (frac && strlen(frac) == 8)
		memcpy(frac + 4, "Z", 2); /* milliseconds: what a recording holds */
	duration_human(s.pos_ms - tl->first_ms, off, sizeof(off));
	duration_human(tl->last_ms - tl->first_ms, span, sizeof(span));
	const char *state = s.paused ? (s.pos_ms >= tl->last_ms ? "end" : "paused") : "playing";
	snprintf(left, sizeof(left), " replay %s x%d  %s  +%s/%s ", state, s.speed, at, off,
		 span);
	int x = draw_text(y, 0, ui->cols, s.paused ? ROLE_WARNING : ROLE_HEADER, left);
	/* The bar: played, to come, and blanks where nothing was recorded. */
	int w = ui->cols - x - 1;
	if (w < 8)
		return;
	int64_t span_ms = tl->last_ms - tl->first_ms;
	int cur = span_ms > 0 ? (int)((s.pos_ms - tl->first_ms) * (w - 1) / span_ms) : 0;
	for (int i = 0; i < w; i++) {
		int64_t t = tl->first_ms + (span_ms > 0 ? span_ms * i / (w - 1) : 0);
		const char *g;
		enum theme_role role;
		if (i == cur) {
			g = glyph(GLYPH_CURSOR);
			role = ROLE_SELECTED;
		} else if (rec_timeline_in_gap(tl, t)) {
			g = " ";
			role = ROLE_DIM;
		} else if (i < cur) {
			g = glyph(GLYPH_BAR_FULL);
			role = ROLE_GAUGE_USED;
		} else {
			g = glyph(GLYPH_BAR_EMPTY);
			role = ROLE_GAUGE_FREE;
		}
		draw_text(y, x + i, 1, role, g);
	}
}
