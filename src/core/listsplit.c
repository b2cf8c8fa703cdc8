#include "config.h"

#include <string.h>

#include "podscope/jsonscan.h"
#include "podscope/listsplit.h"

#define LSPLIT_DEFAULT_MAX (16u * 1024 * 1024)

/* Where the splitter is in the list's text: what it expects next. */
enum {
	LS_START = 0,    /* the top object's '{' */
	LS_FIRST_MEMBER, /* a member or '}' */
	LS_MEMBER,       /* a member after a ',' */
	LS_KEY,          /* the rest of a member's name */
	LS_COLON,        /* ':' after a member's name */
	LS_VALUE,        /* a member's value (not the items) */
	LS_AFTER_MEMBER, /* ',' or '}' */
	LS_ITEMS_OPEN,   /* "items"' value: '[' or null */
	LS_FIRST_ITEM,   /* an element or ']' */
	LS_ITEM,         /* an element after a ',' */
	LS_ITEM_ON,      /* the rest of an element */
	LS_AFTER_ITEM,   /* ',' or ']' */
	LS_DONE,         /* the top object closed; the rest is ignored, as cJSON does */
	LS_BAD,
};

/* Which member's value comes. */
enum { LM_OTHER = 0, LM_ITEMS, LM_META };

void lsplit_init(struct lsplit *s, size_t max_value)
{
	*s = (struct lsplit){.pending = BUF_INIT, .meta = BUF_INIT};
	s->max_value = max_value ? max_value : LSPLIT_DEFAULT_MAX;
	jscan_init(&s->scan);
}

void lsplit_free(struct lsplit *s)
{
	buf_free(&s->pending);
	buf_free(&s->meta);
}

static const char *ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int fail(struct lsplit *s, struct perr *err, const char *why)
{
	perr_set(err, PERR_API, "the response is not a list (%s)", why);
	s->state = LS_BAD;
	buf_free(&s->pending);
	return -1;
}

static int too_large(struct lsplit *s, struct perr *err)
{
	size_t m = s->max_value;
	if (m >= 1024 * 1024 && m % (1024 * 1024) == 0)
		perr_set(err, PERR_API,
			 "an element of the list is larger than the limit of %zu MiB",
			 m / (1024 * 1024));
	else
		perr_set(err, PERR_API,
			 "an element of the list is larger than the limit of %zu bytes", m);
	s->state = LS_BAD;
	buf_free(&s->pending);
	return -1;
}

/* Scan on the value that starts at p: JSCAN_DONE with *e past it. The scan
 * state carries over between feeds, so that bytes are looked at once. */
static enum jscan_rc scan_value(struct lsplit *s, const char *p, const char *end, const char **e)
{
	size_t before = s->scan.scanned;
	enum jscan_rc rc = jscan_feed(&s->scan, p, end, false, e);
	s->scanned += s->scan.scanned - before;
	if (rc == JSCAN_DONE)
		jscan_init(&s->scan);
	return rc;
}

int lsplit_feed(struct lsplit *s, const char *data, size_t len, lsplit_item_fn fn, void *ud,
		struct perr *err)
{
	if (s->state == LS_BAD)
		return fail(s, err, "invalid before");
	buf_add(&s->pending, data, len);
	const char *p = s->pending.data, *end = p + s->pending.len;
	int rc = 0;
	while ((p = ws(p, end)) < end && rc == 0) {
		const char *e;
		enum jscan_rc sr;
		switch (s->state) {
		case LS_START:
			if (*p != '{')
				return fail(s, err, "it is not a JSON object");
			p++;
			s->state = LS_FIRST_MEMBER;
			continue;
		case LS_FIRST_MEMBER:
			if (*p == '}') {
				p++;
				s->state = LS_DONE;
				continue;
			}
			/* fall through */
		case LS_MEMBER:
			if (*p != '"')
				return fail(s, err, "a member without a name");
			s->state = LS_KEY;
			/* fall through */
		case LS_KEY:
			if ((sr = scan_value(s, p, end, &e)) == JSCAN_BAD)
				return fail(s, err, "a member name that is not JSON");
			if (sr == JSCAN_MORE)
				break;
			struct jspan key = {p + 1, (size_t)(e - p - 2)};
			s->member = !s->have_items && jspan_eq(key, "items")     ? LM_ITEMS
				    : !s->have_meta && jspan_eq(key, "metadata") ? LM_META
										 : LM_OTHER;
			p = e;
			s->state = LS_COLON;
			continue;
		case LS_COLON:
			if (*p != ':')
				return fail(s, err, "a member name without a colon");
			p++;
			if (s->member == LM_ITEMS) {
				s->have_items = true;
				s->state = LS_ITEMS_OPEN;
			} else {
				s->state = LS_VALUE;
			}
			continue;
		case LS_VALUE:
			if ((sr = scan_value(s, p, end, &e)) == JSCAN_BAD)
				return fail(s, err, "a member's value is not JSON");
			if (sr == JSCAN_MORE)
				break;
			if (s->member == LM_META) {
				buf_add(&s->meta, p, (size_t)(e - p));
				s->have_meta = true;
			}
			p = e;
			s->state = LS_AFTER_MEMBER;
			continue;
		case LS_AFTER_MEMBER:
			if (*p != ',' && *p != '}')
				return fail(s, err, "members without a comma between them");
			s->state = *p == ',' ? LS_MEMBER : LS_DONE;
			p++;
			continue;
		case LS_ITEMS_OPEN:
			if (*p == '[') {
				p++;
				s->state = LS_FIRST_ITEM;
				continue;
			}
			if (*p == 'n' && (size_t)(end - p) < 4 &&
			    memcmp(p, "null", (size_t)(end - p)) == 0)
				break;
			if ((size_t)(end - p) < 4 || memcmp(p, "null", 4) != 0)
				return fail(s, err, "items is neither an array nor null");
			p += 4;
			s->state = LS_AFTER_MEMBER;
			continue;
		case LS_FIRST_ITEM:
			if (*p == ']') {
				p++;
				s->state = LS_AFTER_MEMBER;
				continue;
			}
			/* fall through */
		case LS_ITEM:
			s->state = LS_ITEM_ON;
			/* fall through */
		case LS_ITEM_ON:
			if ((sr = scan_value(s, p, end, &e)) == JSCAN_BAD)
				return fail(s, err, "an element is not JSON");
			if (sr == JSCAN_MORE)
				break;
			s->items++;
			s->state = LS_AFTER_ITEM;
			if (fn)
				rc = fn(ud, p, (size_t)(e - p));
			p = e;
			continue;
		case LS_AFTER_ITEM:
			if (*p != ',' && *p != ']')
				return fail(s, err, "items without a comma between them");
			s->state = *p == ',' ? LS_ITEM : LS_AFTER_MEMBER;
			p++;
			continue;
		case LS_DONE:
			/* Ignored, but not without end: a page that never stops
			 * would keep the list waiting. */
			s->trailing += (size_t)(end - p);
			p = end;
			if (s->trailing > s->max_value)
				return fail(s, err, "more than the limit follows the list");
			continue;
		}
		/* Not complete yet: keep it from where it starts, and wait. */
		if ((size_t)(end - p) > s->max_value)
			return too_large(s, err);
		break;
	}
	buf_consume(&s->pending, (size_t)(p - s->pending.data));
	return rc;
}

int lsplit_end(struct lsplit *s, struct perr *err)
{
	if (s->state == LS_BAD)
		return fail(s, err, "invalid before");
	if (s->state == LS_START) /* feed refuses anything but blanks before '{' */
		return fail(s, err, "the response is empty");
	if (s->state != LS_DONE)
		return fail(s, err, "it ends early, or is not JSON");
	if (!s->have_items)
		return fail(s, err, "it has no items");
	return 0;
}

const char *lsplit_meta(const struct lsplit *s, size_t *len)
{
	*len = s->meta.len;
	return s->meta.data ? s->meta.data : "";
}
