#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glyphs.h"
#include "podscope/loop.h"
#include "podscope/xalloc.h"
#include "ui_int.h"

/* --demo's menu of the simulator's scenarios: Enter starts the chosen one. */

struct menu {
	size_t sel, top;
	int height;
};

static size_t count(const struct ui *ui)
{
	size_t n = 0;
	while (ui->scenarios && ui->scenarios[n])
		n++;
	return n;
}

static void *menu_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	(void)ns;
	(void)name;
	return xcalloc(1, sizeof(struct menu));
}

static void menu_close(void *st)
{
	free(st);
}

static void menu_draw(struct ui *ui, void *stp, int top, int height)
{
	struct menu *m = stp;
	m->height = height;
	size_t n = count(ui);
	draw_fill(top, 0, ui->cols, ROLE_HEADER);
	draw_text(
	    top, 2, ui->cols - 3, ROLE_HEADER,
	    "Scenarios of podscope-sim (Enter restarts the simulator with one, Esc keeps this)");
	ui_scroll(n, &m->sel, &m->top, height - 1);
	for (int i = 0; i + 1 < height && m->top + (size_t)i < n; i++) {
		size_t idx = m->top + (size_t)i;
		const char *line = ui->scenarios[idx];
		size_t nl = strcspn(line, "\t");
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)(nl < 63 ? nl : 63), line);
		int y = top + 1 + i;
		bool sel = idx == m->sel;
		if (sel) {
			draw_fill(y, 0, ui->cols, ROLE_SELECTED);
			draw_text(y, 0, 1, ROLE_SELECTED, glyph(GLYPH_CURSOR));
		}
		draw_text(y, 2, 18, sel ? ROLE_SELECTED : ROLE_KEY, name);
		draw_text(y, 21, ui->cols - 22, sel ? ROLE_SELECTED : ROLE_NORMAL,
			  line[nl] ? line + nl + 1 : "");
	}
}

static unsigned choose(struct ui *ui, struct menu *m)
{
	size_t n = count(ui);
	if (m->sel >= n)
		return UI_NONE;
	const char *line = ui->scenarios[m->sel];
	size_t nl = strcspn(line, "\t");
	snprintf(ui->chosen, ui->chosen_len, "%.*s", (int)nl, line);
	return UI_QUIT;
}

static unsigned menu_action(struct ui *ui, void *stp, enum action_id a)
{
	struct menu *m = stp;
	size_t n = count(ui), page = m->height > 2 ? (size_t)m->height - 2 : 1;
	switch (a) {
	case ACT_UP:
		m->sel = m->sel ? m->sel - 1 : 0;
		break;
	case ACT_DOWN:
		m->sel = m->sel + 1 < n ? m->sel + 1 : m->sel;
		break;
	case ACT_PAGE_UP:
		m->sel = m->sel > page ? m->sel - page : 0;
		break;
	case ACT_PAGE_DOWN:
		m->sel = m->sel + page < n ? m->sel + page : (n ? n - 1 : 0);
		break;
	case ACT_FIRST:
		m->sel = 0;
		break;
	case ACT_LAST:
		m->sel = n ? n - 1 : 0;
		break;
	case ACT_ENTER:
		return choose(ui, m);
	default:
		return UI_UNHANDLED;
	}
	return UI_DRAW;
}

static unsigned menu_click(struct ui *ui, void *stp, int y, int x, bool dbl)
{
	(void)x;
	struct menu *m = stp;
	if (y < 1 || m->top + (size_t)(y - 1) >= count(ui))
		return UI_NONE;
	m->sel = m->top + (size_t)(y - 1);
	return dbl ? choose(ui, m) : UI_DRAW;
}

const struct view_ops view_menu = {
    .name = "scenarios",
    .mask = VIEWMASK_MENU,
    .open = menu_open,
    .close = menu_close,
    .draw = menu_draw,
    .action = menu_action,
    .click = menu_click,
    .hint = "{open} start this scenario  {back} back",
};
