#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/client.h"
#include "podscope/logstore.h"
#include "podscope/loop.h"
#include "podscope/model.h"
#include "podscope/podlog.h"
#include "podscope/whylog.h"
#include "podscope/xalloc.h"

/* The why line's last log line: whylog.h. */

struct entry {
	char *ns, *pod, *container;
	int32_t restarts;  /* of the container when asked */
	bool previous;     /* the previous container's log */
	bool has_line;
	bool running;      /* asked while the container ran: refreshed */
	int64_t asked_ms;  /* when the request started */
	int64_t got_ms;    /* when its answer came, 0: none yet */
	struct kreq *req;  /* in flight, or NULL */
	struct whylog *wl;
	char line[WHYLOG_LINE];
};

struct whylog {
	struct kclient *client;
	void (*changed)(void *ud);
	void *ud;
	struct entry *e[WHYLOG_MAX];
	size_t n;
	size_t inflight;
};

static bool eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

struct whylog *whylog_new(struct kclient *c, void (*changed)(void *ud), void *ud)
{
	struct whylog *wl = xcalloc(1, sizeof(*wl));
	wl->client = c;
	wl->changed = changed;
	wl->ud = ud;
	return wl;
}

static void entry_free(struct entry *e)
{
	if (e->req)
		kreq_cancel(e->req);
	free(e->ns);
	free(e->pod);
	free(e->container);
	free(e);
}

void whylog_free(struct whylog *wl)
{
	if (!wl)
		return;
	for (size_t i = 0; i < wl->n; i++)
		entry_free(wl->e[i]);
	free(wl);
}

size_t whylog_inflight(const struct whylog *wl)
{
	return wl ? wl->inflight : 0;
}

static bool blank(char c)
{
	return c == '\n' || c == '\r' || c == ' ' || c == '\t';
}

bool whylog_last_line(const char *body, size_t len, char *buf, size_t n)
{
	if (!n)
		return false;
	buf[0] = '\0';
	while (len) {
		size_t end = len, start = len;
		while (start && body[start - 1] != '\n')
			start--;
		len = start ? start - 1 : 0; /* the line before, next time */
		int64_t ns;
		start += logline_parse_ts(body + start, end - start, &ns);
		while (start < end && blank(body[start]))
			start++;
		while (end > start && blank(body[end - 1]))
			end--;
		if (end == start)
			continue;
		size_t m = end - start < n - 1 ? end - start : n - 1;
		memcpy(buf, body + start, m);
		buf[m] = '\0';
		/* A NUL inside ends it early: no more than that is shown. */
		if (buf[0])
			return true;
	}
	return false;
}

static void on_done(void *ud, struct kresp *resp)
{
	struct entry *e = ud;
	struct whylog *wl = e->wl;
	e->req = NULL;
	wl->inflight--;
	e->got_ms = ploop_now_ms();
	if (resp->status >= 200 && resp->status < 300 && resp->body &&
	    whylog_last_line(resp->body, resp->body_len, e->line, sizeof(e->line))) {
		e->has_line = true;
		if (wl->changed)
			wl->changed(wl->ud);
	}
}

/* The container's status: running, and its restarts. */
static const struct container_status *status_of(const struct pod *p, const char *container)
{
	for (uint16_t i = 0; i < p->n_statuses; i++)
		if (eq(p->statuses[i].name, container))
			return &p->statuses[i];
	for (uint16_t i = 0; i < p->n_init_statuses; i++)
		if (eq(p->init_statuses[i].name, container))
			return &p->init_statuses[i];
	return NULL;
}

static struct entry *find(struct whylog *wl, const struct pod *p, const char *container)
{
	for (size_t i = 0; i < wl->n; i++) {
		struct entry *e = wl->e[i];
		if (eq(e->ns, p->namespace) && eq(e->pod, p->name) && eq(e->container, container))
			return e;
	}
	return NULL;
}

/* A slot: a new one, or the oldest answered one's, not asked for in the
 * last WHYLOG_REFRESH_MS (a screen of many crash loops costs at most
 * WHYLOG_MAX requests in that time). NULL when all are busy. */
static struct entry *slot(struct whylog *wl, int64_t now)
{
	if (wl->n < WHYLOG_MAX) {
		wl->e[wl->n] = xcalloc(1, sizeof(struct entry));
		return wl->e[wl->n++];
	}
	size_t best = WHYLOG_MAX;
	for (size_t i = 0; i < wl->n; i++)
		if (!wl->e[i]->req && (best == WHYLOG_MAX || wl->e[i]->asked_ms < wl->e[best]->asked_ms))
			best = i;
	if (best == WHYLOG_MAX || now - wl->e[best]->asked_ms < WHYLOG_REFRESH_MS)
		return NULL;
	struct entry *e = wl->e[best];
	free(e->ns);
	free(e->pod);
	free(e->container);
	memset(e, 0, sizeof(*e));
	return e;
}

static void fetch(struct whylog *wl, struct entry *e, bool previous, int32_t restarts,
		  bool running)
{
	if (wl->inflight >= WHYLOG_MAX_INFLIGHT || !wl->client)
		return;
	struct podlog_opts o = {.container = e->container,
				.previous = previous,
				.tail = 1,
				.limit_bytes = WHYLOG_LIMIT_BYTES};
	struct buf path = BUF_INIT;
	podlog_path(&path, e->ns, e->pod, &o);
	struct kreq_spec spec = {.path = path.data, .timeout_ms = WHYLOG_TIMEOUT_MS};
	struct perr err = {0};
	e->wl = wl;
	e->asked_ms = ploop_now_ms();
	e->got_ms = 0;
	e->restarts = restarts;
	e->previous = previous;
	e->running = running;
	e->req = kclient_start(wl->client, &spec, NULL, on_done, e, &err);
	buf_free(&path);
	perr_clear(&err);
	if (!e->req) {
		/* Skipped, as an answer that failed: asked again once the
		 * container restarts (or, running, after the refresh time). */
		e->got_ms = e->asked_ms;
		return;
	}
	wl->inflight++;
}

bool whylog_line(void *ud, const struct pod *p, const char *container, char *buf, size_t n)
{
	struct whylog *wl = ud;
	if (!wl || !p || !p->namespace || !p->name || !container || !n)
		return false;
	const struct container_status *cs = status_of(p, container);
	bool running = cs && cs->state.kind == CSTATE_RUNNING;
	int32_t restarts = cs ? cs->restart_count : 0;
	bool previous = !running && restarts > 0;
	int64_t now = ploop_now_ms();
	struct entry *e = find(wl, p, container);
	if (!e) {
		e = slot(wl, now);
		if (!e)
			return false;
		e->ns = xstrdup(p->namespace);
		e->pod = xstrdup(p->name);
		e->container = xstrdup(container);
		e->restarts = -1;
	}
	bool stale = e->restarts != restarts || e->previous != previous ||
		     (e->running && e->got_ms && now - e->got_ms >= WHYLOG_REFRESH_MS);
	if (stale && !e->req)
		fetch(wl, e, previous, restarts, running);
	if (!e->has_line)
		return false;
	/* What it knows: this run's line, or an earlier run's meanwhile. */
	size_t m = strlen(e->line) < n - 1 ? strlen(e->line) : n - 1;
	memcpy(buf, e->line, m);
	buf[m] = '\0';
	return true;
}
