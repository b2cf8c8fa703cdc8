#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"
#include "pager.h"
#include "ui_int.h"

/* Help: generated from the table of actions, so it is always complete. */

struct helpview {
	struct pager pg;
};

static void *help_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	(void)ns;
	(void)name;
	return xcalloc(1, sizeof(struct helpview));
}

static void help_close(void *st)
{
	free(st);
}

static void help_draw(struct ui *ui, void *stp, int top, int height)
{
	struct helpview *h = stp;
	int x0 = 0, w = ui->cols;
	for (int y = top; y < top + height; y++)
		draw_fill(y, x0, w, ROLE_NORMAL);
	draw_fill(top, x0, w, ROLE_TITLE);
	char title[64];
	keymap_hint(&ui->cfg.keys, "Keys ({help} or {back} closes)", title, sizeof(title));
	draw_text(top, x0 + 1, w - 2, ROLE_TITLE, title);
	pager_begin(&h->pg, top + 1, height - 1);
	int hidden = 0;
	for (int i = 0; i < ACT_COUNT; i++) {
		const struct action *a = &actions_table[i];
		if (!actions_allowed(a, ui->readonly)) {
			hidden++;
			continue;
		}
		int y = pager_row(&h->pg);
		if (y < 0)
			continue;
		char keys[96];
		keymap_keys_of(&ui->cfg.keys, a->id, keys, sizeof(keys));
		if (!keys[0]) /* a command of the ':' line only */
			keymap_hint_key(&ui->cfg.keys, a->id, keys, sizeof(keys));
		draw_text(y, x0 + 1, 20, ROLE_KEY, keys);
		draw_text(y, x0 + 22, 16, ROLE_DIM, a->name);
		if (a->mutates)
			draw_text(y, x0 + 39, 1, ROLE_WARNING, "*");
		draw_text(y, x0 + 41, x0 + w - 42, ROLE_NORMAL, a->help);
	}
	int y;
	if (hidden && (y = pager_row(&h->pg)) >= 0)
		draw_textf(y, x0 + 1, w - 2, ROLE_WARNING,
			   "read-only: %d actions that change the cluster are hidden", hidden);
	if (!hidden && (y = pager_row(&h->pg)) >= 0)
		draw_text(y, x0 + 1, w - 2, ROLE_WARNING, "* changes the cluster");
	if ((y = pager_row(&h->pg)) >= 0)
		draw_text(y, x0 + 1, w - 2, ROLE_DIM,
			  "Mouse: click selects, double click opens, the wheel scrolls.");
	/* The set views use the list keys in their own sense. */
	static const char *const sets[] = {
	    "StatefulSet rollout: {up}/{down} ordinals, {open} the pod; the line: partition",
	    "DaemonSet rollout: {up}/{down} nodes, {open} the pod; a surge has two rows",
	};
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		char line[256];
		keymap_hint(&ui->cfg.keys, sets[i], line, sizeof(line));
		if ((y = pager_row(&h->pg)) >= 0)
			draw_text(y, x0 + 1, w - 2, ROLE_DIM, line);
	}
	pager_end(&h->pg);
}

static unsigned help_action(struct ui *ui, void *stp, enum action_id a)
{
	(void)ui;
	struct helpview *h = stp;
	return pager_action(&h->pg, a);
}

const struct view_ops view_help = {
    .name = "help",
    .mask = VIEWMASK_HELP,
    .open = help_open,
    .close = help_close,
    .draw = help_draw,
    .action = help_action,
    .hint = "{up}/{down} scroll",
};
