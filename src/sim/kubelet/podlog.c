#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/duration.h"
#include "podscope/err.h"
#include "podscope/xalloc.h"

#include "podlog.h"

/* A ring of lines: slot (seq % cap) holds line seq while first <= seq < end. */
struct pline {
	int64_t t_ms;
	size_t len;
	char *text;
};

struct plisten {
	podlog_fn fn;
	void *ud;
};

struct podlog {
	int refs;
	size_t cap_bytes, bytes;
	struct pline *ring;
	size_t nslots;
	uint64_t first, end;
	bool closed;
	char *id; /* the container instance's ID */
	struct plisten *ls;
	size_t nls, capls;
};

struct podlog *podlog_new(size_t cap)
{
	struct podlog *l = xcalloc(1, sizeof(*l));
	l->refs = 1;
	l->cap_bytes = cap ? cap : PODLOG_CAP_BYTES;
	return l;
}

struct podlog *podlog_ref(struct podlog *l)
{
	l->refs++;
	return l;
}

void podlog_unref(struct podlog *l)
{
	if (!l || --l->refs > 0)
		return;
	for (uint64_t s = l->first; s < l->end; s++)
		free(l->ring[s % l->nslots].text);
	free(l->ring);
	free(l->ls);
	free(l->id);
	free(l);
}

void podlog_set_id(struct podlog *l, const char *id)
{
	free(l->id);
	l->id = id ? xstrdup(id) : NULL;
}

const char *podlog_id(const struct podlog *l)
{
	return l->id;
}

static void notify(struct podlog *l)
{
	/* A listener may unlisten itself: walk a copy of the count backwards. */
	for (size_t i = l->nls; i > 0; i--)
		if (i - 1 < l->nls)
			l->ls[i - 1].fn(l->ls[i - 1].ud);
}

static void drop_oldest(struct podlog *l)
{
	struct pline *p = &l->ring[l->first % l->nslots];
	l->bytes -= p->len;
	free(p->text);
	p->text = NULL;
	l->first++;
}

static void grow(struct podlog *l)
{
	size_t n = l->nslots ? l->nslots * 2 : 64;
	struct pline *r = xcalloc(n, sizeof(*r));
	for (uint64_t s = l->first; s < l->end; s++)
		r[s % n] = l->ring[s % l->nslots];
	free(l->ring);
	l->ring = r;
	l->nslots = n;
}

void podlog_write(struct podlog *l, int64_t t_ms, bool err, const char *text, size_t len)
{
	(void)err; /* both streams go to the one file, as the CRI log interleaves them */
	if (l->closed)
		return;
	if (len > PODLOG_LINE_MAX)
		len = PODLOG_LINE_MAX;
	if (len > l->cap_bytes)
		len = l->cap_bytes;
	while (l->first < l->end && l->bytes + len > l->cap_bytes)
		drop_oldest(l);
	if (l->end - l->first == l->nslots)
		grow(l);
	struct pline *p = &l->ring[l->end % l->nslots];
	p->t_ms = t_ms;
	p->len = len;
	p->text = xmalloc(len + 1);
	if (len)
		memcpy(p->text, text, len);
	p->text[len] = '\0';
	l->bytes += len;
	l->end++;
	notify(l);
}

void podlog_close(struct podlog *l)
{
	if (!l || l->closed)
		return;
	l->closed = true;
	notify(l);
}

bool podlog_closed(const struct podlog *l)
{
	return l->closed;
}

uint64_t podlog_first(const struct podlog *l)
{
	return l->first;
}

uint64_t podlog_end(const struct podlog *l)
{
	return l->end;
}

const char *podlog_line(const struct podlog *l, uint64_t seq, size_t *len, int64_t *t_ms)
{
	if (seq < l->first || seq >= l->end)
		return NULL;
	const struct pline *p = &l->ring[seq % l->nslots];
	*len = p->len;
	*t_ms = p->t_ms;
	return p->text;
}

size_t podlog_bytes(const struct podlog *l)
{
	return l->bytes;
}

void podlog_listen(struct podlog *l, podlog_fn fn, void *ud)
{
	if (l->nls == l->capls) {
		l->capls = l->capls ? l->capls * 2 : 4;
		l->ls = xrealloc(l->ls, l->capls * sizeof(*l->ls));
	}
	l->ls[l->nls++] = (struct plisten){fn, ud};
}

void podlog_unlisten(struct podlog *l, podlog_fn fn, void *ud)
{
	for (size_t i = 0; i < l->nls; i++) {
		if (l->ls[i].fn == fn && l->ls[i].ud == ud) {
			l->ls[i] = l->ls[--l->nls];
			return;
		}
	}
}

/* --- the query ------------------------------------------------------------ */

/* Go's strconv.ParseInt error, as the parameter codec reports it. */
static int parse_int(const char *key, const char *s, int64_t *out, char **msg)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || errno == ERANGE) {
		*msg = xasprintf("%s: strconv.ParseInt: parsing \"%.64s\": %s", key, s,
				 errno == ERANGE ? "value out of range" : "invalid syntax");
		return 400;
	}
	*out = v;
	return 0;
}

static int parse_bool(const char *key, const char *s, bool *out, char **msg)
{
	if (!s)
		return 0;
	if (!strcmp(s, "") || !strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "True") ||
	    !strcmp(s, "TRUE") || !strcmp(s, "t") || !strcmp(s, "T")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "False") || !strcmp(s, "FALSE") ||
	    !strcmp(s, "f") || !strcmp(s, "F")) {
		*out = false;
		return 0;
	}
	*msg = xasprintf("%s: strconv.ParseBool: parsing \"%.64s\": invalid syntax", key, s);
	return 400;
}

static void add_err(struct buf *b, int *n, const char *what, long long v, const char *why)
{
	if ((*n)++)
		buf_adds(b, ", ");
	if (what)
		buf_printf(b, "%s: Invalid value: %lld: %s", what, v, why);
	else
		buf_printf(b, ": Forbidden: %s", why); /* field.NewPath(""): an empty field */
}

int podlog_query_parse(const char *(*arg)(void *ud, const char *key), void *ud, int64_t now_ms,
		       const char *pod, struct podlog_query *q, char **msg)
{
	memset(q, 0, sizeof(*q));
	q->tail = -1;
	q->limit = -1;
	q->since_ms = INT64_MIN;
	*msg = NULL;
	const char *c = arg(ud, "container");
	q->container = c && *c ? c : NULL;
	int rc;
	if ((rc = parse_bool("follow", arg(ud, "follow"), &q->follow, msg)) ||
	    (rc = parse_bool("previous", arg(ud, "previous"), &q->previous, msg)) ||
	    (rc = parse_bool("timestamps", arg(ud, "timestamps"), &q->timestamps, msg)))
		return rc;
	const char *tail = arg(ud, "tailLines"), *limit = arg(ud, "limitBytes");
	const char *ss = arg(ud, "sinceSeconds"), *st = arg(ud, "sinceTime");
	int64_t since_s = 0, since_t = 0;
	if (tail && (rc = parse_int("tailLines", tail, &q->tail, msg)))
		return rc;
	if (limit && (rc = parse_int("limitBytes", limit, &q->limit, msg)))
		return rc;
	if (ss && (rc = parse_int("sinceSeconds", ss, &since_s, msg)))
		return rc;
	if (st && duration_parse_rfc3339(st, &since_t, NULL) != 0) {
		*msg =
		    xasprintf("sinceTime: parsing time \"%.64s\" as \"2006-01-02T15:04:05Z07:00\": "
			      "cannot parse",
			      st);
		return 400;
	}
	/* ValidatePodLogOptions, in its order. */
	struct buf b = BUF_INIT;
	int n = 0;
	if (tail && q->tail < 0)
		add_err(&b, &n, "tailLines", q->tail, "must be greater than or equal to 0");
	if (limit && q->limit < 1)
		add_err(&b, &n, "limitBytes", q->limit, "must be greater than 0");
	if (ss && st)
		add_err(&b, &n, NULL, 0,
			"at most one of `sinceTime` or `sinceSeconds` may be specified");
	else if (ss && since_s < 1)
		add_err(&b, &n, "sinceSeconds", since_s, "must be greater than 0");
	if (n) {
		*msg = xasprintf("PodLogOptions \"%s\" is invalid: %s%s%s", pod, n > 1 ? "[" : "",
				 b.data, n > 1 ? "]" : "");
		buf_free(&b);
		return 422;
	}
	buf_free(&b);
	if (ss)
		q->since_ms = since_s > (now_ms / 1000) ? 0 : now_ms - since_s * 1000;
	else if (st)
		q->since_ms = since_t;
	return 0;
}

uint64_t podlog_query_start(const struct podlog *l, const struct podlog_query *q)
{
	uint64_t start = l->first;
	if (q->tail >= 0 && (uint64_t)q->tail < l->end - l->first)
		start = l->end - (uint64_t)q->tail;
	return start;
}

bool podlog_query_wants(const struct podlog_query *q, int64_t t_ms)
{
	return q->since_ms == INT64_MIN || t_ms >= q->since_ms;
}

void podlog_format(struct buf *out, int64_t t_ms, const char *text, size_t len, bool timestamps)
{
	if (timestamps) {
		char ts[40];
		duration_format_rfc3339(t_ms - (t_ms % 1000 + 1000) % 1000, 0, ts, sizeof(ts));
		/* "...:05Z" -> "...:05.123000000Z": the kubelet's fixed nine digits */
		size_t n = strlen(ts);
		if (n > 0 && ts[n - 1] == 'Z') {
			ts[n - 1] = '\0';
			buf_printf(out, "%s.%03d000000Z ", ts, (int)((t_ms % 1000 + 1000) % 1000));
		} else {
			buf_printf(out, "%s ", ts);
		}
	}
	buf_add(out, text, len);
	buf_addc(out, '\n');
}
