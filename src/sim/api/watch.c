#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <microhttpd.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "evloop.h"
#include "faults.h"
#include "selector.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"
#include "table.h"
#include "watch.h"

#define FILL_TARGET (64 * 1024) /* stop filling once this much is waiting */

struct watcher {
	struct watchset *ws;
	struct watcher *prev, *next; /* in ws->by_res[res->index] */
	struct MHD_Connection *conn;
	const struct simres *res;
	char *ns;   /* NULL: all namespaces */
	char *name; /* NULL: any */
	struct simsel *lsel, *fsel;
	struct simfmt fmt;
	struct simsnap *initial; /* synthetic ADDED events still to send */
	size_t initial_pos;
	bool initial_end_bookmark; /* sendInitialEvents: BOOKMARK after them */
	uint64_t seq;              /* next ring event to look at */
	char *error;               /* an ERROR event line to send, then end */
	struct buf out;
	size_t off;
	bool suspended, ending;
	bool cut; /* a fault cut the last event: end with an error */
	int fd; /* the client's socket, polled while suspended to see it leave */
	bool bookmarks;
	int64_t next_bookmark, deadline;
	struct evtimer *timer;
};

struct watchset {
	struct sim *sim;
	struct watcher **by_res;
	size_t count;
};

static void on_store_event(void *ud, const struct simevent *ev);

struct watchset *watchset_new(struct sim *sim)
{
	struct watchset *ws = xcalloc(1, sizeof(*ws));
	ws->sim = sim;
	ws->by_res = xcalloc(simres_count(), sizeof(*ws->by_res));
	simstore_listen(sim->store, NULL, on_store_event, ws);
	return ws;
}

size_t watchset_count(const struct watchset *ws)
{
	return ws->count;
}

static void wake(struct watcher *w)
{
	if (w->suspended) {
		w->suspended = false;
		if (w->fd >= 0)
			evloop_remove_fd(w->ws->sim->loop, w->fd);
		MHD_resume_connection(w->conn);
	}
}

/*
 * A suspended connection is not polled by MHD, so a client that goes away
 * would only be noticed at the next write. A watch client never sends
 * anything, so anything readable (the end of the stream, a TLS alert) means
 * it has gone: end the stream, which lets MHD close the connection.
 */
static void on_client_readable(void *ud, int fd, short revents)
{
	struct watcher *w = ud;
	w->ending = true;
	wake(w);
}

static void suspend(struct watcher *w)
{
	w->suspended = true;
	MHD_suspend_connection(w->conn);
	if (w->fd >= 0)
		evloop_add_fd(w->ws->sim->loop, w->fd, POLLIN, on_client_readable, w);
}

void watchset_shutdown(struct watchset *ws)
{
	for (size_t i = 0; i < simres_count(); i++) {
		for (struct watcher *w = ws->by_res[i]; w; w = w->next) {
			w->ending = true;
			wake(w);
		}
	}
}

void watchset_free(struct watchset *ws)
{
	if (!ws)
		return;
	simstore_unlisten(ws->sim->store, on_store_event, ws);
	/* Streams still listed here lost their connection with the daemon. */
	free(ws->by_res);
	free(ws);
}

static void on_store_event(void *ud, const struct simevent *ev)
{
	struct watchset *ws = ud;
	for (struct watcher *w = ws->by_res[ev->obj->res->index]; w; w = w->next)
		wake(w);
}

static bool passes(const struct watcher *w, const struct simobj *o)
{
	if (w->ns && strcmp(o->ns, w->ns) != 0)
		return false;
	if (w->name && strcmp(o->name, w->name) != 0)
		return false;
	return simsel_match_fields(w->fsel, o->json) &&
	       simsel_match_labels(w->lsel, simobj_labels(o));
}

static void add_event(struct watcher *w, const char *type, const struct simobj *o)
{
	size_t start = w->out.len;
	buf_printf(&w->out, "{\"type\":\"%s\",\"object\":", type);
	if (w->fmt.table)
		simtable_single(&w->out, o, w->fmt.include,
				(time_t)(simclock_now(&w->ws->sim->clock) / 1000));
	else
		buf_add(&w->out, o->ser, o->ser_len);
	buf_adds(&w->out, "}\n");
	if (simfault_watch_cut(w->ws->sim, &w->out, start))
		w->cut = w->ending = true;
}

/* rv: every change up to it has been sent (or, for initial_end, is in the state sent). */
static void add_bookmark(struct watcher *w, uint64_t rv, bool initial_end)
{
	buf_printf(&w->out,
	           "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"%s\",\"apiVersion\":\"%s\","
	           "\"metadata\":{\"resourceVersion\":\"%llu\"",
	           w->res->kind, w->res->api_version, (unsigned long long)rv);
	if (initial_end)
		buf_adds(&w->out, ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}");
	buf_adds(&w->out, "}}}\n");
}

/* One ring event as this watcher sees it (cacher's convertToWatchEvent). */
static void add_ring_event(struct watcher *w, const struct simevent *ev)
{
	bool cur = ev->type != SIMEV_DELETED && passes(w, ev->obj);
	bool old = ev->prev && passes(w, ev->prev);
	if (cur && !old) {
		add_event(w, "ADDED", ev->obj);
	} else if (cur && old) {
		add_event(w, "MODIFIED", ev->obj);
	} else if (old && ev->type == SIMEV_DELETED) {
		add_event(w, "DELETED", ev->obj);
	} else if (old) {
		/* Left the selection: the old state, with the event's RV, as DELETED. */
		struct simobj *gone = simobj_with_rv(ev->prev, ev->rv);
		add_event(w, "DELETED", gone);
		simobj_unref(gone);
	}
}

static void fill(struct watcher *w)
{
	struct simstore *st = w->ws->sim->store;
	int64_t now = evloop_now_ms();

	if (w->error) {
		buf_adds(&w->out, w->error);
		free(w->error);
		w->error = NULL;
		w->ending = true;
		return;
	}
	if (now >= w->deadline)
		w->ending = true;
	if (w->ending)
		return;
	while (w->initial && w->out.len < FILL_TARGET && !w->cut) {
		if (w->initial_pos == w->initial->n) {
			if (w->initial_end_bookmark)
				add_bookmark(w, w->initial->rv, true);
			simsnap_unref(w->initial);
			w->initial = NULL;
			break;
		}
		struct simobj *o = w->initial->items[w->initial_pos++];
		if (passes(w, o))
			add_event(w, "ADDED", o);
	}
	if (w->initial || w->cut)
		return;
	uint64_t next = simstore_seq_next(st, w->res);
	while (w->seq < next && w->out.len < FILL_TARGET && !w->cut) {
		const struct simevent *ev = simstore_event_at(st, w->res, w->seq);
		if (!ev) {
			/* It fell behind the ring: end, the client watches again. */
			w->ending = true;
			return;
		}
		add_ring_event(w, ev);
		w->seq++;
	}
	if (w->bookmarks && now >= w->next_bookmark && w->seq == next && !w->out.len) {
		add_bookmark(w, simstore_rv(st), false);
		w->next_bookmark = now + (int64_t)w->ws->sim->cfg.bookmark_interval_s * 1000;
	}
}

static ssize_t reader(void *cls, uint64_t pos, char *out, size_t max)
{
	struct watcher *w = cls;
	if (w->off == w->out.len) {
		buf_reset(&w->out);
		w->off = 0;
		fill(w);
	}
	if (w->off < w->out.len) {
		size_t n = w->out.len - w->off;
		if (n > max)
			n = max;
		memcpy(out, w->out.data + w->off, n);
		w->off += n;
		return (ssize_t)n;
	}
	if (w->ending)
		return w->cut ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
	suspend(w);
	return 0;
}

static void on_timer(void *ud);

static void schedule(struct watcher *w)
{
	int64_t when = w->deadline;
	if (w->bookmarks && w->next_bookmark < when)
		when = w->next_bookmark;
	w->timer = evloop_timer_at(w->ws->sim->loop, when, on_timer, w);
}

static void on_timer(void *ud)
{
	struct watcher *w = ud;
	w->timer = NULL;
	wake(w);
	schedule(w);
}

static void free_watcher(void *cls)
{
	struct watcher *w = cls;
	struct watchset *ws = w->ws;
	if (w->prev)
		w->prev->next = w->next;
	else
		ws->by_res[w->res->index] = w->next;
	if (w->next)
		w->next->prev = w->prev;
	ws->count--;
	if (w->timer)
		evloop_timer_cancel(ws->sim->loop, w->timer);
	if (w->suspended && w->fd >= 0)
		evloop_remove_fd(ws->sim->loop, w->fd);
	simsnap_unref(w->initial);
	simsel_free(w->lsel);
	simsel_free(w->fsel);
	buf_free(&w->out);
	free(w->error);
	free(w->ns);
	free(w->name);
	free(w);
}

static int64_t default_timeout_ms(void)
{
	/* kube-apiserver: minRequestTimeout (1800 s) * [1, 2). */
	unsigned short r = 0;
	gnutls_rnd(GNUTLS_RND_NONCE, &r, sizeof(r));
	return (1800 + (int64_t)r * 1800 / 65536) * 1000;
}

static void invalid(struct simreq *r, const char *msg)
{
	char *m = xasprintf("ListOptions.meta.k8s.io \"\" is invalid: %s", msg);
	simreq_reply_status(r, 422, "Invalid", m, NULL);
	free(m);
}

/* What kube-apiserver's in-flight limit answers (http.Error: plain text). */
void simwatch_too_many(struct simreq *r)
{
	static const char msg[] = "Too many requests, please try again later.\n";
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return;
	MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Retry-After", "1");
	simreq_reply_response(r, 429, resp);
	MHD_destroy_response(resp);
}

void simwatch_handle(struct simreq *r, const struct simres *res, const char *ns, const char *name,
                     const struct simfmt *fmt)
{
	struct watchset *ws = r->sim->watches;
	if (ws->count >= SIMWATCH_MAX) {
		simwatch_too_many(r);
		return;
	}
	struct simstore *st = r->sim->store;
	char *err = NULL;
	struct simsel *lsel = NULL, *fsel = NULL;
	if (!(lsel = simsel_parse_labels(simreq_arg(r, "labelSelector"), &err)) ||
	    !(fsel = simsel_parse_fields(res, simreq_arg(r, "fieldSelector"), &err))) {
		simreq_reply_status(r, 400, "BadRequest", err, NULL);
		free(err);
		simsel_free(lsel);
		return;
	}
	const char *rv_s = simreq_arg(r, "resourceVersion");
	const char *sie = simreq_arg(r, "sendInitialEvents");
	const char *rvm = simreq_arg(r, "resourceVersionMatch");
	const char *tmo = simreq_arg(r, "timeoutSeconds");
	if (sie && (!rvm || strcmp(rvm, "NotOlderThan") != 0)) {
		invalid(r, "sendInitialEvents: Forbidden: sendInitialEvents requires setting "
		           "resourceVersionMatch to NotOlderThan");
		goto fail;
	}
	if (!sie && rvm && *rvm) {
		invalid(r, "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden "
		           "for watch unless sendInitialEvents is provided");
		goto fail;
	}

	struct watcher *w = xcalloc(1, sizeof(*w));
	w->ws = ws;
	w->conn = r->conn;
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	w->fd = ci ? ci->connect_fd : -1;
	w->res = res;
	w->fmt = *fmt;
	w->ns = res->namespaced ? xstrdup(ns) : NULL;
	w->name = xstrdup(name);
	w->lsel = lsel;
	w->fsel = fsel;
	w->next = ws->by_res[res->index];
	if (w->next)
		w->next->prev = w;
	ws->by_res[res->index] = w;
	ws->count++;

	int64_t now = evloop_now_ms();
	long long secs = tmo && *tmo ? strtoll(tmo, NULL, 10) : 0;
	w->deadline = now + (secs > 0 ? secs * 1000 : default_timeout_ms());
	w->bookmarks = simlist_bool(simreq_arg(r, "allowWatchBookmarks")) && !fmt->table;
	w->next_bookmark = now + (int64_t)r->sim->cfg.bookmark_interval_s * 1000;

	bool from_start = !rv_s || !*rv_s || strcmp(rv_s, "0") == 0;
	if (sie ? simlist_bool(sie) : from_start) {
		w->initial = simstore_snapshot(st, res);
		w->initial_end_bookmark = sie != NULL;
		w->seq = simstore_seq_next(st, res);
	} else {
		unsigned long long want = strtoull(rv_s, NULL, 10);
		uint64_t oldest = 0;
		if (!simstore_seq_after(st, res, want, &w->seq, &oldest) ||
		    simfault_watch_gone(r->sim, res, w->seq, &oldest)) {
			/* As the watch cache does: 200, one ERROR event, the end. */
			char *m = xasprintf("too old resource version: %llu (%llu)", want,
			                    (unsigned long long)oldest);
			struct buf e = BUF_INIT;
			buf_adds(&e, "{\"type\":\"ERROR\",\"object\":");
			simhttp_status_json(&e, 410, "Expired", m, NULL);
			buf_adds(&e, "}\n");
			w->error = buf_steal(&e);
			free(m);
		}
	}

	struct MHD_Response *resp =
	    MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, reader, w, free_watcher);
	if (!resp) {
		free_watcher(w);
		return;
	}
	simhttp_add_headers(resp, "application/json");
	/* A quiet watch is not an idle connection: only its own deadline ends it. */
	MHD_set_connection_option(r->conn, MHD_CONNECTION_OPTION_TIMEOUT, 0u);
	schedule(w);
	simreq_reply_response(r, 200, resp);
	MHD_destroy_response(resp);
	return;
fail:
	simsel_free(lsel);
	simsel_free(fsel);
}
