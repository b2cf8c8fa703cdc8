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
	LS_AFTER_MEMBER, /* ',' or '}' */
	LS_ITEMS_OPEN,   /* "items"' value: '[' or null */
	LS_FIRST_ITEM,   /* an element or ']' */
	LS_ITEM,         /* an element after a ',' */
	LS_AFTER_ITEM,   /* ',' or ']' */
	LS_DONE,         /* the top object closed; the rest is ignored, as cJSON does */
	LS_BAD,
};

void lsplit_init(struct lsplit *s, size_t max_value)
{
	*s = (struct lsplit){.pending = BUF_INIT, .meta = BUF_INIT};
	s->max_value = max_value ? max_value : LSPLIT_DEFAULT_MAX;
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

/*
 * A value that reaches the end of what has arrived may go on in the next
 * chunk (a number, or text that is not complete yet): a value counts only
 * when something follows it. In a whole list something always does (the
 * closing brackets).
 */
static const char *complete(const char *p, const char *end)
{
	const char *e = jscan_skip(p, end);
	return e && e < end ? e : NULL;
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
		const char *at = p, *e, *v;
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
		case LS_MEMBER: {
			if (*p != '"')
				return fail(s, err, "a member without a name");
			const char *k = complete(p, end);
			if (!k || (v = ws(k, end)) == end)
				break;
			if (*v != ':')
				return fail(s, err, "a member name without a colon");
			if ((v = ws(v + 1, end)) == end)
				break;
			struct jspan key = {p + 1, (size_t)(k - p - 2)};
			if (!s->have_items && jspan_eq(key, "items")) {
				s->have_items = true;
				p = v;
				s->state = LS_ITEMS_OPEN;
				continue;
			}
			if (!(e = complete(v, end)))
				break;
			if (!s->have_meta && jspan_eq(key, "metadata")) {
				buf_add(&s->meta, v, (size_t)(e - v));
				s->have_meta = true;
			}
			p = e;
			s->state = LS_AFTER_MEMBER;
			continue;
		}
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
			if (*p == 'n' && (size_t)(end - p) < 5)
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
			if (!(e = complete(p, end)))
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
			p = end;
			continue;
		}
		/* Not complete yet: wait for more from where this value starts. */
		p = at;
		if ((size_t)(end - p) > s->max_value)
			return fail(s, err, "a value is larger than the limit, or the text is not JSON");
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
