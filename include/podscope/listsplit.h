#ifndef PODSCOPE_LISTSPLIT_H
#define PODSCOPE_LISTSPLIT_H

#include <stdbool.h>
#include <stddef.h>

#include "podscope/buf.h"
#include "podscope/err.h"
#include "podscope/jsonscan.h"

/*
 * A list response taken apart as it arrives ({"kind":..., "metadata":
 * {...}, "items": [...]}, in chunks split anywhere): each element of
 * "items" is handed over as soon as it is complete, so that a page of 500
 * pods is never held whole; the "metadata" value is kept for the end. Only
 * the bytes of one unfinished element are buffered, and each byte is
 * scanned once however small the chunks: the work is linear in the size of
 * the page. Validation is jscan's (podscope/jsonscan.h). Pure memory, no I/O.
 */

/* An element of "items", complete: valid JSON (jscan_skip). Returning
 * non-zero stops the feed. */
typedef int (*lsplit_item_fn)(void *ud, const char *item, size_t len);

struct lsplit {
	struct buf pending; /* received, not consumed yet: from the value in progress on */
	struct buf meta;    /* the first "metadata" value, once complete */
	int state;          /* see listsplit.c */
	int member;         /* which member's value comes (see listsplit.c) */
	bool have_items;    /* an "items" member was seen */
	bool have_meta;
	size_t max_value;  /* longest element or member value accepted */
	size_t items;      /* elements delivered */
	size_t trailing;   /* bytes after the list (ignored, up to max_value) */
	struct jscan scan; /* the value in progress, scanned once however it is cut */
	size_t scanned;    /* bytes the scanner looked at: the work done, for tests */
};

void lsplit_init(struct lsplit *s, size_t max_value); /* 0: 16 MiB */
void lsplit_free(struct lsplit *s);

/*
 * Feed len bytes. Complete elements go to fn in order. Returns 0; what fn
 * returned when it stopped the feed; or -1 with err (PERR_API) when the
 * text cannot be a list (the splitter then refuses everything after).
 */
int lsplit_feed(struct lsplit *s, const char *data, size_t len, lsplit_item_fn fn, void *ud,
		struct perr *err);

/* The response ended: 0 when it was a whole list with "items" (an array or
 * null), else -1 with err. */
int lsplit_end(struct lsplit *s, struct perr *err);

/* The "metadata" value's text, "" when there was none. */
const char *lsplit_meta(const struct lsplit *s, size_t *len);

#endif
