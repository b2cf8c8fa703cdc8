#include "config.h"

#include "view.h"
#include "pager.h"

void pager_begin(struct pager *pg, int top, int height)
{
	pg->top = top;
	pg->height = height;
	pg->next = 0;
}

int pager_row(struct pager *pg)
{
	int line = pg->next++;
	if (line < pg->scroll || line >= pg->scroll + pg->height)
		return -1;
	return pg->top + line - pg->scroll;
}

void pager_end(struct pager *pg)
{
	pg->lines = pg->next;
	/* Content that shrank must not leave the page scrolled past its end. */
	if (pg->scroll > 0 && pg->scroll > pg->lines - pg->height)
		pg->scroll = pg->lines > pg->height ? pg->lines - pg->height : 0;
}

unsigned pager_action(struct pager *pg, enum action_id a)
{
	int page = pg->height > 1 ? pg->height - 1 : 1;
	int max = pg->lines > pg->height ? pg->lines - pg->height : 0;
	switch (a) {
	case ACT_UP:
		pg->scroll--;
		break;
	case ACT_DOWN:
		pg->scroll++;
		break;
	case ACT_PAGE_UP:
		pg->scroll -= page;
		break;
	case ACT_PAGE_DOWN:
		pg->scroll += page;
		break;
	case ACT_FIRST:
		pg->scroll = 0;
		break;
	case ACT_LAST:
		pg->scroll = max;
		break;
	default:
		return UI_UNHANDLED;
	}
	if (pg->scroll > max)
		pg->scroll = max;
	if (pg->scroll < 0)
		pg->scroll = 0;
	return UI_DRAW;
}
