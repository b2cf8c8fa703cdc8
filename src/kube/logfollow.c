#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/logfollow.h"
#include "podscope/loop.h"
#include "podscope/xalloc.h"

struct logfollow {
	struct ploop *loop;
	struct kclient *c;
	struct logstore *st;
	struct logstream *ls;
	struct podlog_opts o;
	char *key, *ns, *pod, *container;
	logfollow_fn fn;
	void *ud;
	struct kreq *req;
	struct ptimer *retry;
	uint64_t taken;  /* lines taken so far, as dropped + count counts them */
	int64_t last_ts; /* the last line's time taken: where a reconnect goes on */
	int64_t skip_to; /* after a reconnect: lines before this were taken, and
			  * those at it whose text is in at_last */
	uint32_t at_last[8]; /* hashes of the texts taken at last_ts */
	int n_at_last;
	int64_t delay_ms;
	bool done;
};

static bool start(struct logfollow *f, struct perr *err);

static void on_data(void *ud, const char *data, size_t len)
{
	struct logfollow *f = ud;
	logstream_feed(f->st, f->ls, data, len);
	f->delay_ms = 0;
	f->fn(f->ud, f, NULL);
}

static void retry_fire(void *ud)
{
	struct logfollow *f = ud;
	f->retry = NULL;
	if (!start(f, NULL))
		f->retry = ploop_timer_in(f->loop, LOGFOLLOW_RETRY_MAX_MS, retry_fire, f);
}

static void on_done(void *ud, struct kresp *resp)
{
	struct logfollow *f = ud;
	f->req = NULL;
	logstream_close(f->st, f->ls);
	if (f->o.follow) {
		f->fn(f->ud, f, NULL);
		/* Taken: let the stream go now, as the store may drop a closed
		 * stream whole for room before the retry opens it again. */
		logstore_remove(f->st, f->ls);
		f->ls = NULL;
		f->taken = 0;
		f->delay_ms = f->delay_ms ? f->delay_ms * 2 : LOGFOLLOW_RETRY_MIN_MS;
		if (f->delay_ms > LOGFOLLOW_RETRY_MAX_MS)
			f->delay_ms = LOGFOLLOW_RETRY_MAX_MS;
		f->retry = ploop_timer_in(f->loop, f->delay_ms, retry_fire, f);
		return;
	}
	f->done = true;
	f->fn(f->ud, f, resp);
}

static bool start(struct logfollow *f, struct perr *err)
{
	struct podlog_opts o = f->o;
	o.container = f->container;
	char since[48];
	if (f->last_ts) {
		/* Whole seconds: the lines of that second already taken are skipped. */
		duration_format_rfc3339(f->last_ts / 1000000, 0, since, sizeof(since));
		o.since_time = since;
		o.tail = -1;
		f->skip_to = f->last_ts;
	}
	f->ls = logstore_open(f->st, f->key);
	if (!f->ls) {
		perr_set(err, PERR_USAGE, "too many logs open at once (at most %zu)",
			 (size_t)LOGSTORE_STREAMS);
		return false;
	}
	f->req = podlog_start(f->c, f->ns, f->pod, &o, on_data, on_done, f, err);
	return f->req != NULL;
}

struct logfollow *logfollow_new(struct ploop *loop, struct kclient *c, struct logstore *st,
				const char *key, const char *ns, const char *pod,
				const struct podlog_opts *o, logfollow_fn fn, void *ud,
				struct perr *err)
{
	struct logfollow *f = xcalloc(1, sizeof(*f));
	f->loop = loop;
	f->c = c;
	f->st = st;
	f->o = *o;
	f->o.since_time = NULL; /* only ours, from the last line */
	f->key = xstrdup(key);
	f->ns = xstrdup(ns);
	f->pod = xstrdup(pod);
	f->container = xstrdup(o->container);
	f->fn = fn;
	f->ud = ud;
	if (!start(f, err)) {
		logfollow_free(f);
		return NULL;
	}
	return f;
}

void logfollow_free(struct logfollow *f)
{
	if (!f)
		return;
	if (f->req)
		kreq_cancel(f->req);
	if (f->retry)
		ploop_timer_cancel(f->loop, f->retry);
	if (f->ls)
		logstore_remove(f->st, f->ls);
	free(f->key);
	free(f->ns);
	free(f->pod);
	free(f->container);
	free(f);
}

static uint32_t text_hash(const struct logline *l)
{
	uint32_t h = 2166136261u;
	for (uint32_t i = l->body; i < l->len; i++)
		h = (h ^ (unsigned char)l->raw[i]) * 16777619u;
	return h;
}

/* After a reconnect, whether l was taken already: the same container sends
 * its lines of that second again; a container started since (a restart in
 * the very millisecond of the last exit) sends new lines at that time. */
static bool taken_before(const struct logfollow *f, const struct logline *l)
{
	if (!f->skip_to || !l->ts_ns || l->ts_ns > f->skip_to)
		return false;
	if (l->ts_ns < f->skip_to)
		return true;
	uint32_t h = text_hash(l);
	for (int i = 0; i < f->n_at_last; i++)
		if (f->at_last[i] == h)
			return true;
	return false;
}

void logfollow_take(struct logfollow *f, logfollow_line_fn fn, void *ud)
{
	if (!f->ls)
		return;
	size_t count = logstream_count(f->ls);
	uint64_t dropped = logstream_dropped(f->ls);
	uint64_t i = f->taken > dropped ? f->taken - dropped : 0;
	for (; i < count; i++) {
		const struct logline *l = logstream_line(f->ls, (size_t)i);
		if (taken_before(f, l))
			continue;
		f->skip_to = 0;
		fn(ud, l);
		if (l->ts_ns) {
			if (l->ts_ns != f->last_ts)
				f->n_at_last = 0;
			if (f->n_at_last < (int)(sizeof(f->at_last) / sizeof(f->at_last[0])))
				f->at_last[f->n_at_last++] = text_hash(l);
			f->last_ts = l->ts_ns;
		}
	}
	f->taken = dropped + count;
}

struct logstream *logfollow_stream(const struct logfollow *f)
{
	return f->ls;
}

bool logfollow_done(const struct logfollow *f)
{
	return f->done;
}
