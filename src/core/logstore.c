#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/duration.h"
#include "podscope/logstore.h"
#include "podscope/sanitize.h"
#include "podscope/xalloc.h"

struct logstream {
	char *key;
	struct logline **ring; /* cap slots, count lines from head */
	size_t cap, head, count;
	size_t bytes;
	uint64_t dropped;
	uint64_t last_fed; /* the store's seq when it was last fed */
	struct buf part;   /* a line whose '\n' has not come yet */
	bool skipping;     /* past line_max: drop bytes until '\n' */
	bool closed;
};

struct logstore {
	struct logstore_caps caps;
	struct logstream **s;
	size_t n;
	size_t bytes;
	uint64_t seq;
};

static size_t line_cost(const struct logline *l)
{
	return sizeof(*l) + l->len + 1;
}

struct logstore *logstore_new(const struct logstore_caps *caps)
{
	struct logstore *ls = xcalloc(1, sizeof(*ls));
	if (caps)
		ls->caps = *caps;
	if (!ls->caps.line_max)
		ls->caps.line_max = LOGSTORE_LINE_MAX;
	if (!ls->caps.stream_lines)
		ls->caps.stream_lines = LOGSTORE_STREAM_LINES;
	if (!ls->caps.stream_bytes)
		ls->caps.stream_bytes = LOGSTORE_STREAM_BYTES;
	if (!ls->caps.total_bytes)
		ls->caps.total_bytes = LOGSTORE_TOTAL_BYTES;
	if (!ls->caps.streams)
		ls->caps.streams = LOGSTORE_STREAMS;
	ls->s = xcalloc(ls->caps.streams, sizeof(*ls->s));
	return ls;
}

static void stream_free(struct logstream *s)
{
	for (size_t i = 0; i < s->count; i++)
		free(s->ring[(s->head + i) % s->cap]);
	free(s->ring);
	buf_free(&s->part);
	free(s->key);
	free(s);
}

void logstore_free(struct logstore *ls)
{
	if (!ls)
		return;
	for (size_t i = 0; i < ls->n; i++)
		stream_free(ls->s[i]);
	free(ls->s);
	free(ls);
}

struct logstream *logstore_find(struct logstore *ls, const char *key)
{
	for (size_t i = 0; i < ls->n; i++)
		if (strcmp(ls->s[i]->key, key) == 0)
			return ls->s[i];
	return NULL;
}

void logstore_remove(struct logstore *ls, struct logstream *s)
{
	for (size_t i = 0; i < ls->n; i++) {
		if (ls->s[i] != s)
			continue;
		ls->bytes -= s->bytes;
		stream_free(s);
		memmove(ls->s + i, ls->s + i + 1, (ls->n - i - 1) * sizeof(*ls->s));
		ls->n--;
		return;
	}
}

/* The closed stream fed least recently, other than keep; NULL when none. */
static struct logstream *idle_victim(struct logstore *ls, const struct logstream *keep)
{
	struct logstream *v = NULL;
	for (size_t i = 0; i < ls->n; i++) {
		struct logstream *s = ls->s[i];
		if (s != keep && s->closed && (!v || s->last_fed < v->last_fed))
			v = s;
	}
	return v;
}

struct logstream *logstore_open(struct logstore *ls, const char *key)
{
	struct logstream *s = logstore_find(ls, key);
	if (s) {
		s->closed = false;
		return s;
	}
	if (ls->n >= ls->caps.streams) {
		struct logstream *v = idle_victim(ls, NULL);
		if (!v)
			return NULL;
		logstore_remove(ls, v);
	}
	s = xcalloc(1, sizeof(*s));
	s->key = xstrdup(key);
	s->last_fed = ls->seq;
	ls->s[ls->n++] = s;
	return s;
}

size_t logstore_bytes(const struct logstore *ls)
{
	return ls->bytes;
}

size_t logstore_nstreams(const struct logstore *ls)
{
	return ls->n;
}

static void drop_oldest(struct logstore *ls, struct logstream *s)
{
	struct logline *l = s->ring[s->head];
	size_t c = line_cost(l);
	s->bytes -= c;
	ls->bytes -= c;
	free(l);
	s->head = (s->head + 1) % s->cap;
	s->count--;
	s->dropped++;
}

/* Make room across streams: closed streams whole, then the oldest line. */
static void trim_total(struct logstore *ls, struct logstream *keep)
{
	while (ls->bytes > ls->caps.total_bytes) {
		struct logstream *v = idle_victim(ls, keep);
		if (v) {
			logstore_remove(ls, v);
			continue;
		}
		struct logstream *old = NULL;
		for (size_t i = 0; i < ls->n; i++) {
			struct logstream *s = ls->s[i];
			if (s->count && (!old || s->ring[s->head]->seq < old->ring[old->head]->seq))
				old = s;
		}
		if (!old)
			break;
		drop_oldest(ls, old);
	}
}

static void ring_push(struct logstream *s, struct logline *l)
{
	if (s->count == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		struct logline **r = xcalloc(ncap, sizeof(*r));
		for (size_t i = 0; i < s->count; i++)
			r[i] = s->ring[(s->head + i) % s->cap];
		free(s->ring);
		s->ring = r;
		s->cap = ncap;
		s->head = 0;
	}
	s->ring[(s->head + s->count) % s->cap] = l;
	s->count++;
}

static void emit(struct logstore *ls, struct logstream *s, const char *p, size_t len, bool cut)
{
	struct logline *l = xmalloc(sizeof(*l) + len + 1);
	memcpy(l->raw, p, len);
	l->raw[len] = '\0';
	l->len = (uint32_t)len;
	l->cut = cut;
	l->seq = ++ls->seq;
	l->ts_ns = 0;
	l->body = (uint32_t)logline_parse_ts(p, len, &l->ts_ns);
	size_t c = line_cost(l);
	while (s->count && (s->count >= ls->caps.stream_lines ||
			    s->bytes + c > ls->caps.stream_bytes))
		drop_oldest(ls, s);
	ring_push(s, l);
	s->bytes += c;
	ls->bytes += c;
	s->last_fed = ls->seq;
	trim_total(ls, s);
}

void logstream_feed(struct logstore *ls, struct logstream *s, const char *data, size_t len)
{
	size_t max = ls->caps.line_max;
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t seg = nl ? (size_t)(nl - data) : len;
		if (s->skipping) {
			if (nl)
				s->skipping = false;
		} else if (s->part.len + seg > max) {
			buf_add(&s->part, data, max - s->part.len);
			emit(ls, s, s->part.data, s->part.len, true);
			buf_reset(&s->part);
			s->skipping = !nl;
		} else if (nl && s->part.len == 0) {
			emit(ls, s, data, seg, false);
		} else {
			buf_add(&s->part, data, seg);
			if (nl) {
				emit(ls, s, s->part.data, s->part.len, false);
				buf_reset(&s->part);
			}
		}
		if (!nl)
			break;
		data += seg + 1;
		len -= seg + 1;
	}
}

void logstream_close(struct logstore *ls, struct logstream *s)
{
	if (s->part.len)
		emit(ls, s, s->part.data, s->part.len, false);
	buf_free(&s->part);
	s->skipping = false;
	s->closed = true;
}

const char *logstream_key(const struct logstream *s)
{
	return s->key;
}

size_t logstream_count(const struct logstream *s)
{
	return s->count;
}

const struct logline *logstream_line(const struct logstream *s, size_t i)
{
	if (i >= s->count)
		return NULL;
	return s->ring[(s->head + i) % s->cap];
}

uint64_t logstream_dropped(const struct logstream *s)
{
	return s->dropped;
}

bool logstream_closed(const struct logstream *s)
{
	return s->closed;
}

size_t logline_parse_ts(const char *p, size_t len, int64_t *ns)
{
	/* "2026-12-07T12:00:00.123456789Z " at most 35 bytes, +hh:mm offsets more. */
	char tok[48];
	size_t n = 0;
	while (n < len && n < sizeof(tok) - 1 && p[n] != ' ')
		n++;
	if (n < 20 || n >= len || p[n] != ' ')
		return 0;
	memcpy(tok, p, n);
	tok[n] = '\0';
	int64_t ms;
	if (duration_parse_rfc3339(tok, &ms, NULL) != 0)
		return 0;
	/* The digits past milliseconds, which the parser drops. */
	int64_t sub = 0;
	const char *dot = memchr(tok, '.', n);
	if (dot) {
		int nd = 0;
		for (const char *q = dot + 1; *q >= '0' && *q <= '9'; q++, nd++)
			if (nd >= 3 && nd < 9)
				sub = sub * 10 + (*q - '0');
		for (int i = nd < 3 ? 3 : nd; i < 9; i++)
			sub *= 10;
	}
	*ns = ms * 1000000 + sub;
	return n + 1;
}

void logline_sanitize(struct buf *b, const struct logline *l, bool with_ts)
{
	size_t i = with_ts ? 0 : l->body;
	while (i < l->len) {
		size_t k = strlen(l->raw + i);
		sanitize_add(b, l->raw + i);
		i += k;
		if (i < l->len) {
			buf_adds(b, "\\x00");
			i++;
		}
	}
	if (l->cut)
		buf_adds(b, LOGSTORE_CUT_MARK);
}

uint32_t logline_tag(const char *pod, const char *workload, char *tag, size_t n)
{
	const char *t = pod;
	size_t wl = strlen(workload);
	if (strncmp(t, workload, wl) == 0 && t[wl] == '-' && t[wl + 1])
		t += wl + 1;
	if (n > 0) {
		size_t k = strlen(t) < n - 1 ? strlen(t) : n - 1;
		memcpy(tag, t, k);
		tag[k] = '\0';
	}
	uint32_t h = 2166136261u;
	for (const char *p = pod; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

int logline_cmp(const struct logline *a, const struct logline *b)
{
	if (a->ts_ns && b->ts_ns && a->ts_ns != b->ts_ns)
		return a->ts_ns < b->ts_ns ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}
