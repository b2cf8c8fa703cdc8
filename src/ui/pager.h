#ifndef PODSCOPE_UI_PAGER_H
#define PODSCOPE_UI_PAGER_H

#include "actions.h"

/*
 * A scrolling page of lines that views draw one by one: pager_row() gives
 * the screen row of the next line, or -1 when it is scrolled out of sight.
 */
struct pager {
	int scroll; /* first line shown */
	int lines;  /* lines in the last drawing */
	int top, height, next;
};

void pager_begin(struct pager *pg, int top, int height);
int pager_row(struct pager *pg);
void pager_end(struct pager *pg);
/* Scrolling actions: UI_DRAW, or UI_UNHANDLED for others. */
unsigned pager_action(struct pager *pg, enum action_id a);

#endif
