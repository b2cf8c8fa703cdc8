#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "glyphs.h"
#include "podscope/sanitize.h"
#include "ui_int.h"

/*
 * Text from outside goes through the one sanitiser (sanitize.h): control
 * characters, C1, invalid UTF-8, bidi overrides and zero-width characters
 * are drawn as visible escapes ("\x1b", "\u202e"), as the headless
 * commands print them, instead of the '?' that hid which was which. A
 * zero-width joiner is one of them, so an emoji ZWJ sequence is drawn as
 * its parts with "\u200d" between: terminals disagree on how wide a joined
 * sequence is, and this way what is measured is exactly what is drawn.
 * In a locale that is not UTF-8 every non-ASCII character is escaped too.
 */
static unsigned text_flags(void)
{
	static int utf8 = -1;
	if (utf8 < 0)
		utf8 = glyphs_locale_is_utf8();
	return utf8 ? 0 : SANITIZE_ASCII;
}

/* The next unit of s as curses will draw it: where the locale's wcwidth
 * (which curses goes by) disagrees with the sanitiser's table, the locale
 * wins, and a character it does not know (unassigned, or newer than its
 * Unicode) is escaped like a control character. */
static size_t next_unit(const char *s, unsigned fl, struct sanitize_unit *u)
{
	sanitize_next(s, fl, u);
	if (u->esc[0])
		return u->len;
	int w = u->cp < 0x80 ? 1 : wcwidth((wchar_t)u->cp);
	if (w >= 0) {
		u->width = w;
	} else {
		snprintf(u->esc, sizeof(u->esc), u->cp > 0xffff ? "\\U%08x" : "\\u%04x",
			 (unsigned)u->cp);
		u->width = (int)strlen(u->esc);
	}
	return u->len;
}

/* Columns of s, counting no further than max. */
static int width_upto(const char *s, int max)
{
	unsigned fl = text_flags();
	struct sanitize_unit u;
	int total = 0;
	while (s && *s && total <= max) {
		s += next_unit(s, fl, &u);
		total += u.width;
	}
	return total;
}

int draw_width(const char *s)
{
	return width_upto(s, INT_MAX - 16);
}

int draw_text(int y, int x, int maxw, enum theme_role role, const char *s)
{
	if (maxw <= 0 || !s)
		return 0;
	wchar_t buf[512];
	const int cap = (int)(sizeof(buf) / sizeof(buf[0]));
	unsigned fl = text_flags();
	int n = 0, used = 0;
	bool cut = width_upto(s, maxw) > maxw;
	int room = cut ? maxw - 1 : maxw;
	struct sanitize_unit u;
	while (*s) {
		next_unit(s, fl, &u);
		int k = u.esc[0] ? (int)strlen(u.esc) : 1;
		if (used + u.width > room || n + k > cap - 1)
			break;
		if (u.esc[0])
			for (int i = 0; i < k; i++)
				buf[n++] = (wchar_t)u.esc[i];
		else
			buf[n++] = (wchar_t)u.cp;
		used += u.width;
		s += u.len;
	}
	attrset((attr_t)screen_attr(role));
	if (n)
		mvaddnwstr(y, x, buf, n);
	if (cut) {
		mvaddstr(y, x + used, glyphs_utf8() ? glyph(GLYPH_ELLIPSIS) : "~");
		used++;
	}
	return used;
}

int draw_textf(int y, int x, int maxw, enum theme_role role, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return draw_text(y, x, maxw, role, buf);
}

void draw_fill(int y, int x, int w, enum theme_role role)
{
	if (w <= 0)
		return;
	attrset((attr_t)screen_attr(role));
	mvhline(y, x, ' ', w);
}

void draw_cell(int y, int x, int w, enum theme_role role, const char *s)
{
	int used = draw_text(y, x, w, role, s);
	draw_fill(y, x + used, w - used, role);
}

void draw_hline(int y, int x, int w, enum theme_role role)
{
	attrset((attr_t)screen_attr(role));
	for (int i = 0; i < w; i++)
		mvaddstr(y, x + i, glyph(GLYPH_HLINE));
}

void draw_gauge(int y, int x, int w, int used, int max)
{
	if (w <= 0)
		return;
	int scale = max > used ? max : used;
	for (int i = 0; i < w; i++) {
		/* Cell i stands for the units (i*scale/w, (i+1)*scale/w]. */
		long unit = scale > 0 ? ((long)(i + 1) * scale + w - 1) / w : 0;
		enum theme_role r = ROLE_GAUGE_FREE;
		enum glyph g = GLYPH_BAR_EMPTY;
		if (scale > 0 && unit <= used) {
			r = unit > max ? ROLE_GAUGE_OVER : ROLE_GAUGE_USED;
			g = unit > max ? GLYPH_BAR_OVER : GLYPH_BAR_FULL;
		}
		attrset((attr_t)screen_attr(r));
		mvaddstr(y, x + i, glyph(g));
	}
}
