#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "podscope/duration.h"
#include "podscope/serverclock.h"
#include "ui_int.h"

static int64_t fixed_now(void)
{
	/* PODSCOPE_NOW (RFC 3339) stops the clock that ages and countdowns are
	 * drawn at: what the golden screen tests compare byte for byte. */
	static int64_t fixed = -1;
	if (fixed < 0) {
		const char *s = getenv("PODSCOPE_NOW");
		struct perr err = {0};
		fixed = 0;
		if (s && *s && duration_parse_rfc3339(s, &fixed, &err) != 0)
			fixed = 0;
		perr_clear(&err);
	}
	return fixed;
}

static int64_t replay_now;

void ui_clock_fix(int64_t ms)
{
	replay_now = ms > 0 ? ms : 0;
}

int64_t ui_wall_ms(void)
{
	if (replay_now > 0)
		return replay_now; /* podscope replay: the moment shown */
	int64_t fixed = fixed_now();
	/* The API server's clock: ages and countdowns are on its timestamps. */
	return fixed > 0 ? fixed : serverclock_now_ms();
}

int64_t ui_clock_skew_ms(void)
{
	/* A stopped clock (PODSCOPE_NOW) is the server's by declaration. */
	return fixed_now() > 0 || replay_now > 0 ? 0 : serverclock_skew_ms();
}

int64_t ui_age_next(int64_t created_ms, int64_t wall_ms, int64_t mono_ms)
{
	if (created_ms <= 0)
		return 0;
	int64_t age = wall_ms - created_ms;
	if (age < 0)
		age = 0;
	/* HumanDuration shows seconds below ten minutes and minutes or coarser
	 * after: redraw when the shown value can change, not more often. */
	int64_t unit = age < 10 * 60 * 1000 ? 1000 : 60 * 1000;
	return mono_ms + unit - age % unit;
}

bool ui_filter_match(const struct ui *ui, const char *ns, const char *name)
{
	if (!ui->filter[0])
		return true;
	if (name && strcasestr(name, ui->filter))
		return true;
	return ns && strcasestr(ns, ui->filter);
}

void ui_scroll(size_t n, size_t *sel, size_t *top, int height)
{
	if (n == 0) {
		*sel = *top = 0;
		return;
	}
	if (*sel >= n)
		*sel = n - 1;
	size_t h = height > 0 ? (size_t)height : 1;
	if (*sel < *top)
		*top = *sel;
	if (*sel >= *top + h)
		*top = *sel - h + 1;
	if (*top + h > n)
		*top = n > h ? n - h : 0;
}

bool ui_flashing(const struct ui *ui, const char *uid, int64_t mono)
{
	for (int i = 0; i < UI_MAX_FLASHES; i++)
		if (ui->flashes[i].until > mono && strcmp(ui->flashes[i].uid, uid) == 0)
			return true;
	return false;
}

int64_t ui_flash_tick(const struct ui *ui, int64_t mono)
{
	for (int i = 0; i < UI_MAX_FLASHES; i++)
		if (ui->flashes[i].until > mono)
			return mono + 500 - mono % 500; /* the views change phase every 500 ms */
	return 0;
}

int64_t ui_tick_min(int64_t a, int64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}
