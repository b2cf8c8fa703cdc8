#include "config.h"

#include <poll.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "podscope/informer.h"
#include "podscope/loop.h"
#include "ui_cluster.h"
#include "ui_int.h"
#include "ui_loop.h"

void ui_save_screen(struct ui *ui, const char *path)
{
	if (!path || !*path)
		path = getenv("PODSCOPE_SCREEN_FILE");
	if (!path || !*path)
		path = "podscope-screen.txt";
	char err[300];
	if (screen_save(path, err, sizeof(err)) == 0)
		ui_message(ui, ROLE_OK, "screen saved to %s", path);
	else
		ui_message(ui, ROLE_ERROR, "cannot save the screen: %s", err);
}

static void prompt_key(struct ui *ui, bool fn, wint_t ch)
{
	char buf[512];
	bool submit = !fn && (ch == '\r' || ch == '\n');
	if (submit || (!fn && ch == 27)) {
		int kind = ui->prompt;
		ui->prompt = 0;
		wcstombs(buf, ui->prompt_buf, sizeof(buf) - 1);
		buf[sizeof(buf) - 1] = '\0';
		if (kind == 'a' && submit)
			ui_act_submit(ui, buf);
		else if (kind == 'a')
			ui_act_cancel(ui);
		else if (kind == '/')
			snprintf(ui->filter, sizeof(ui->filter), "%.127s", submit ? buf : "");
		else if (kind == 's')
			snprintf(ui->search, sizeof(ui->search), "%.127s", submit ? buf : "");
		else if (submit)
			ui_command(ui, buf);
		if (kind == 's' && submit && ui->search[0])
			ui_do_action(ui, ACT_SEARCH_NEXT);
		ui_request(ui, UI_DRAW);
		return;
	}
	if (!fn && ch == '\t' && (ui->prompt == ':' || ui->prompt == 'a')) {
		wcstombs(buf, ui->prompt_buf, sizeof(buf) - 1);
		buf[sizeof(buf) - 1] = '\0';
		if (ui->prompt == 'a')
			ui_act_complete(ui, buf, sizeof(buf));
		else
			ui_complete(ui, buf, sizeof(buf));
		size_t n =
		    mbstowcs(ui->prompt_buf, buf, sizeof(ui->prompt_buf) / sizeof(wchar_t) - 1);
		ui->prompt_len = n == (size_t)-1 ? 0 : n;
		ui->prompt_buf[ui->prompt_len] = L'\0';
	} else if ((fn && ch == KEY_BACKSPACE) || (!fn && (ch == 127 || ch == 8))) {
		if (ui->prompt_len > 0)
			ui->prompt_buf[--ui->prompt_len] = L'\0';
	} else if (!fn && ch >= 32 &&
		   ui->prompt_len + 1 < sizeof(ui->prompt_buf) / sizeof(wchar_t)) {
		ui->prompt_buf[ui->prompt_len++] = (wchar_t)ch;
		ui->prompt_buf[ui->prompt_len] = L'\0';
	}
	if (ui->prompt == '/') {
		/* The list follows the filter as it is typed. */
		wcstombs(ui->filter, ui->prompt_buf, sizeof(ui->filter) - 1);
		ui->filter[sizeof(ui->filter) - 1] = '\0';
	} else if (ui->prompt == 's') {
		/* The panes highlight the search as it is typed. */
		wcstombs(ui->search, ui->prompt_buf, sizeof(ui->search) - 1);
		ui->search[sizeof(ui->search) - 1] = '\0';
	} else if (ui->prompt == 'a') {
		wcstombs(buf, ui->prompt_buf, sizeof(buf) - 1);
		buf[sizeof(buf) - 1] = '\0';
		ui_act_typed(ui, buf);
	}
	ui_request(ui, UI_DRAW);
}

static void open_prompt(struct ui *ui, int kind, const char *init)
{
	ui->prompt = kind;
	ui->prompt_label[0] = '\0';
	ui->prompt_note[0] = '\0';
	ui->prompt_len = 0;
	ui->prompt_buf[0] = L'\0';
	if (init && *init) {
		size_t n =
		    mbstowcs(ui->prompt_buf, init, sizeof(ui->prompt_buf) / sizeof(wchar_t) - 1);
		ui->prompt_len = n == (size_t)-1 ? 0 : n;
		ui->prompt_buf[ui->prompt_len] = L'\0';
	}
	ui_request(ui, UI_DRAW);
}

void ui_search_prompt(struct ui *ui)
{
	open_prompt(ui, 's', ui->search);
	snprintf(ui->prompt_label, sizeof(ui->prompt_label), "search: ");
}

static bool top_is(const struct ui *ui, const struct view_ops *ops)
{
	return ui->stack[ui->depth - 1].ops == ops;
}

void ui_do_action(struct ui *ui, enum action_id a)
{
	if (a < 0 || a >= ACT_COUNT)
		return;
	const struct action *ac = &actions_table[a];
	struct ui_frame *f = &ui->stack[ui->depth - 1];
	/* The one place the interface refuses what would change the cluster
	 * (the client refuses it again, whatever asks); before the view's
	 * mask, so that the wallboard says why too. */
	if (!actions_allowed(ac, ui->readonly)) {
		if (ui_replay_on(ui))
			ui_message(ui, ROLE_WARNING, "replay: actions are off (%s)", ac->name);
		else
			ui_message(ui, ROLE_WARNING, "read-only: %s would change the cluster",
				   ac->name);
		return;
	}
	if (ui_replay_action(ui, a))
		return;
	if (!(ac->views & f->ops->mask))
		return;
	switch (a) {
	case ACT_QUIT:
		ui_request(ui, UI_QUIT);
		return;
	case ACT_HELP:
		if (top_is(ui, &view_help))
			ui_pop(ui);
		else
			ui_push(ui, &view_help, NULL, NULL);
		return;
	case ACT_EVENTS:
		if (top_is(ui, &view_events))
			ui_pop(ui);
		else
			ui_push(ui, &view_events, NULL, NULL);
		return;
	case ACT_REDRAW:
		ui_request(ui, UI_DRAW | UI_CLEAR);
		return;
	case ACT_REFRESH:
		if (ui_replay_on(ui)) {
			ui_message(ui, ROLE_INFO, "replay: the recording is all there is to list");
			return;
		}
		if (ui->n_clusters)
			ui_clusters_relist(ui);
		else if (ui->inf)
			informer_set_relist(ui->inf);
		ui_message(ui, ROLE_INFO, "listing everything again");
		return;
	case ACT_SAVE_SCREEN:
		ui_save_screen(ui, NULL);
		return;
	case ACT_SCENARIOS:
		if (!ui->scenarios || !ui->chosen)
			ui_message(ui, ROLE_INFO, "scenarios: only with --demo");
		else
			ui_push(ui, &view_menu, NULL, NULL);
		return;
	case ACT_FILTER:
		if (!(f->ops->mask & (VIEWMASK_OVERVIEW | VIEWMASK_WALLBOARD)))
			break; /* a log pane's search: the view's */
		open_prompt(ui, '/', ui->filter);
		return;
	case ACT_COMMAND:
		open_prompt(ui, ':', NULL);
		return;
	case ACT_NAMESPACE:
	case ACT_CONTEXT:
	case ACT_SAVE:
	case ACT_THEME:
	case ACT_SWITCH:
	case ACT_REPLAY_JUMP: {
		/* A command of the ':' line bound to a key: the line opens with it. */
		char init[40];
		snprintf(init, sizeof(init), "%s ", ac->name);
		open_prompt(ui, ':', init);
		return;
	}
	case ACT_ALL_NAMESPACES:
		ui->all_ns = !ui->all_ns;
		ui_watch(ui);
		ui_request(ui, UI_DRAW);
		return;
	default:
		break;
	}
	unsigned r = f->ops->action ? f->ops->action(ui, f->st, a) : UI_UNHANDLED;
	if (r & UI_UNHANDLED) {
		if (a == ACT_BACK && ui->filter[0] && top_is(ui, &view_overview)) {
			ui->filter[0] = '\0';
			r = UI_DRAW;
		} else if (a == ACT_BACK) {
			ui_pop(ui);
		} else if (ac->mutates) {
			const char *what = "workload";
			if (a == ACT_DELETE_POD)
				what = "pod";
			else if (a == ACT_PARTITION || a == ACT_PARTITION_DOWN)
				what = "StatefulSet";
			else if (a == ACT_SUSPEND || a == ACT_UNSUSPEND || a == ACT_TRIGGER)
				what = "Job or CronJob";
			ui_message(ui, ROLE_INFO, "%s: select a %s first", ac->name, what);
		}
	}
	ui_request(ui, r & ~UI_UNHANDLED);
}

static void mouse_event(struct ui *ui, const MEVENT *e)
{
	MEVENT ev = *e;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		for (int i = 0; i < 3; i++)
			ui_do_action(ui, ev.bstate & BUTTON4_PRESSED ? ACT_UP : ACT_DOWN);
		return;
	}
	if (!(ev.bstate & BUTTON1_PRESSED) || ev.y <= 0 || ev.y >= ui->rows - 1 || ui->too_small)
		return;
	int64_t now = ploop_now_ms();
	bool dbl = ev.y == ui->last_click_y && now - ui->last_click_ms < 400;
	ui->last_click_ms = dbl ? 0 : now;
	ui->last_click_y = ev.y;
	struct ui_frame *f = &ui->stack[ui->depth - 1];
	if (f->ops->click)
		ui_request(ui, f->ops->click(ui, f->st, ev.y - 1, ev.x, dbl) & ~UI_UNHANDLED);
}

/* Reports that arrive together come as one KEY_MOUSE: take every one. */
static void mouse(struct ui *ui)
{
	MEVENT ev;
	while (getmouse(&ev) == OK)
		mouse_event(ui, &ev);
}

static void key(struct ui *ui, bool fn, wint_t ch)
{
	if (fn && ch == KEY_RESIZE) {
		ui_resize(ui, false);
		return;
	}
	if (fn && ch == KEY_MOUSE) {
		mouse(ui);
		return;
	}
	if (ui->act.plan) {
		ui_act_dialog_key(ui, fn, (int)ch);
		return;
	}
	if (ui->prompt) {
		prompt_key(ui, fn, ch);
		return;
	}
	if (ui_act_pending_key(ui, fn, (int)ch))
		return;
	int code = fn ? (int)ch : ch < 256 ? (int)ch : -1;
	enum action_id a = keymap_lookup(&ui->cfg.keys, code);
	if (a == ACT_NONE) {
		char name[16];
		actions_key_name(code, name, sizeof(name));
		ui_message(ui, ROLE_INFO, "%s does nothing here (? lists the keys)", name);
		return;
	}
	ui_do_action(ui, a);
}

void ui_on_input(void *ud, int fd, short revents)
{
	struct ui *ui = ud;
	if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
		/* The terminal is gone (a dropped SSH session): leave, do not spin. */
		ploop_remove_fd(ui->loop, fd);
		ploop_stop(ui->loop);
		return;
	}
	wint_t ch;
	int r;
	while ((r = get_wch(&ch)) != ERR)
		key(ui, r == KEY_CODE_YES, ch);
}

/* ---- PODSCOPE_KEYS ---- */

static void on_script(void *ud);

/* The next key of the script: a character, or <Name> as actions_key_parse reads. */
static int script_key(struct ui *ui)
{
	const char *p = ui->script + ui->script_pos;
	if (*p == '<') {
		const char *end = strchr(p, '>');
		if (end && end > p + 1) {
			char name[32];
			size_t n = (size_t)(end - p - 1);
			if (n < sizeof(name)) {
				memcpy(name, p + 1, n);
				name[n] = '\0';
				int k = actions_key_parse(name);
				if (k >= 0) {
					ui->script_pos += n + 2;
					return k;
				}
			}
		}
	}
	ui->script_pos++;
	return (unsigned char)*p;
}

/* <wait:RE> holds the script until a row of the screen matches the extended
 * regular expression RE (a pattern, so that a wait does not depend on the
 * column widths the golden tests check), polling every SCRIPT_POLL_MS for
 * at most SCRIPT_WAIT_MS: a test waits for a condition, never for a fixed
 * time. Returns true while it holds. */
#define SCRIPT_WAIT       "<wait:"
#define SCRIPT_POLL_MS    50
#define SCRIPT_WAIT_MS    20000
#define SCRIPT_WAIT_TEXT  200

static bool script_wait(struct ui *ui)
{
	const char *p = ui->script + ui->script_pos;
	size_t pre = strlen(SCRIPT_WAIT);
	if (strncmp(p, SCRIPT_WAIT, pre) != 0)
		return false;
	const char *end = strchr(p + pre, '>');
	size_t n = end ? (size_t)(end - p - pre) : 0;
	char text[SCRIPT_WAIT_TEXT + 1];
	if (!end || n == 0 || n > SCRIPT_WAIT_TEXT)
		return false;
	memcpy(text, p + pre, n);
	text[n] = '\0';
	regex_t re;
	int bad = regcomp(&re, text, REG_EXTENDED | REG_NOSUB);
	bool found = !bad && screen_find(&re);
	if (!bad)
		regfree(&re);
	int64_t now = ploop_now_ms();
	if (bad) {
		ui->script_wait_until = now;
	} else if (found) {
		ui->script_wait_until = 0;
		ui->script_pos += pre + n + 1;
		return false;
	}
	if (!ui->script_wait_until)
		ui->script_wait_until = now + SCRIPT_WAIT_MS;
	if (now >= ui->script_wait_until) {
		/* Give up on the script, and say so where a test sees it. */
		ui->script = NULL;
		ui->exit_code = 1;
		ui_message(ui, ROLE_ERROR, "script: \"%s\" %s", text,
			   bad ? "is not a regular expression" : "not on the screen after 20 s");
		if (ui->no_display) {
			/* What was there instead, for the person reading the failure. */
			ui_save_screen(ui, NULL);
			fprintf(stderr, "podscope: script: \"%s\" %s\n", text,
				bad ? "is not a regular expression" : "not on the screen after 20 s");
			ui_request(ui, UI_QUIT);
		}
		return true;
	}
	ui->script_timer = ploop_timer_in(ui->loop, SCRIPT_POLL_MS, on_script, ui);
	return true;
}

static void on_script(void *ud)
{
	struct ui *ui = ud;
	ui->script_timer = NULL;
	if (!ui->script || !ui->script[ui->script_pos])
		return;
	size_t at;
	do {
		at = ui->script_pos;
		if (script_wait(ui))
			return;
	} while (ui->script_pos != at);
	if (ui->script[ui->script_pos]) {
		int k = script_key(ui);
		key(ui, k >= KEY_MIN, (wint_t)k);
	}
	/* With no terminal, nobody is left to type q. */
	if (ui->no_display && ui->script && !ui->script[ui->script_pos]) {
		ui_request(ui, UI_QUIT);
		return;
	}
	/* A key that changed nothing draws no frame: go on without one. */
	if (!ui->frame_timer)
		ui_script_next(ui);
}

void ui_script_next(struct ui *ui)
{
	if (!ui->script || !ui->synced || ui->script_timer || !ui->script[ui->script_pos])
		return;
	ui->script_timer = ploop_timer_in(ui->loop, ui->frame_gap_ms, on_script, ui);
}

void ui_script_start(struct ui *ui)
{
	ui_script_next(ui);
}
