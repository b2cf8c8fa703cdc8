#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "glyphs.h"
#include "ui_int.h"

/* The next character of s (as wide character and its column width);
 * returns the bytes it took. Invalid bytes and unprintable characters
 * become '?'. */
static size_t next_char(const char *s, wchar_t *wc, int *w)
{
	mbstate_t ms;
	memset(&ms, 0, sizeof(ms));
	size_t k = mbrtowc(wc, s, MB_CUR_MAX, &ms);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
		*wc = L'?';
		*w = 1;
		return 1;
	}
	*w = wcwidth(*wc);
	if (*w < 0) {
		*wc = L'?';
		*w = 1;
	}
	return k;
}

int draw_width(const char *s)
{
	int total = 0;
	while (s && *s) {
		wchar_t wc;
		int w;
		s += next_char(s, &wc, &w);
		total += w;
	}
	return total;
}

int draw_text(int y, int x, int maxw, enum theme_role role, const char *s)
{
	if (maxw <= 0 || !s)
		return 0;
	wchar_t buf[512];
	int n = 0, used = 0;
	int full = draw_width(s);
	int room = full > maxw ? maxw - 1 : maxw;
	while (*s && n < (int)(sizeof(buf) / sizeof(buf[0])) - 2) {
		wchar_t wc;
		int w;
		size_t k = next_char(s, &wc, &w);
		if (used + w > room)
			break;
		buf[n++] = wc;
		used += w;
		s += k;
	}
	attrset((attr_t)screen_attr(role));
	if (n)
		mvaddnwstr(y, x, buf, n);
	if (full > maxw) {
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
