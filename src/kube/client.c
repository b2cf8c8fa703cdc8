#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "podscope/buf.h"
#include "podscope/client.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/serverclock.h"
#include "podscope/xalloc.h"

#include "auth.h"
#include "client_priv.h"
#include "kstatus.h"
#include "loop_xfer.h"
#include "netdiag.h"

/* The longest body kept whole (an object, /version, an access review), after
 * decoding: a few KiB of gzip may inflate to gigabytes. List pages and
 * watches go to their data callback as they arrive, never here. */
#define BODY_MAX (16u * 1024 * 1024)
/* The longest error body, of any request: a Status is a few KiB. */
#define ERR_BODY_MAX (64u * 1024)

static void unlink_req(struct kreq **head, struct kreq *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else if (*head == r)
		*head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	r->prev = r->next = NULL;
}

static void link_req(struct kreq **head, struct kreq *r)
{
	r->prev = NULL;
	r->next = *head;
	if (*head)
		(*head)->prev = r;
	*head = r;
}

struct kclient *kclient_new(struct ploop *loop, const struct kc_conn *conn, struct perr *err)
{
	if (!conn->server || !*conn->server) {
		perr_set(err, PERR_CONFIG, "the cluster \"%s\" has no server",
			 conn->cluster_name ? conn->cluster_name : "");
		return NULL;
	}
	struct kauth *auth = kauth_new(conn, err);
	if (!auth)
		return NULL;
	struct kclient *c = xcalloc(1, sizeof(*c));
	c->loop = loop;
	c->multi = ploop_curl_multi(loop);
	c->auth = auth;
	c->user = xstrdup(conn->user_name ? conn->user_name : "");
	kclient_setup_target(c, conn);
	serverclock_adopt(c);
	return c;
}

void kclient_free(struct kclient *c)
{
	if (!c)
		return;
	if (c->add_timer)
		ploop_timer_cancel(c->loop, c->add_timer);
	while (c->reqs)
		kreq_cancel(c->reqs);
	while (c->zombies) {
		struct kreq *r = c->zombies;
		ploop_timer_cancel(c->loop, r->zombie_timer);
		unlink_req(&c->zombies, r);
		kreq_destroy(r);
	}
	serverclock_forget(c);
	kauth_free(c->auth);
	kclient_free_target(c);
	free(c->user);
	free(c);
}

int64_t kclient_skew_ms(const struct kclient *c)
{
	return clockskew_get(&c->skew);
}

void kclient_set_readonly(struct kclient *c, bool ro)
{
	c->readonly = ro;
}

bool kclient_readonly(const struct kclient *c)
{
	return c->readonly;
}

const char *kclient_user(const struct kclient *c)
{
	return c->user ? c->user : "";
}

const char *kclient_warning(const struct kclient *c)
{
	return c->warning;
}

void kresp_free(struct kresp *r)
{
	if (!r)
		return;
	free(r->body);
	r->body = NULL;
	r->body_len = 0;
	perr_clear(&r->err);
}

/* --- curl callbacks --- */

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct kreq *r = ud;
	size_t n = size * nmemb;
	if (r->cancelled)
		return 0;
	long code = 0;
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
	bool ok = code >= 200 && code < 300;
	if (r->data && ok) {
		r->data(r->ud, ptr, n);
		return r->cancelled ? 0 : n;
	}
	size_t max = ok && !r->stream ? BODY_MAX : ERR_BODY_MAX;
	if (r->body.len + n > max) {
		/* Not read further: returning less ends the transfer. */
		r->too_large = max;
		return 0;
	}
	buf_add(&r->body, ptr, n);
	return n;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct kreq *r = ud;
	size_t n = size * nmemb;
	static const char ra[] = "Retry-After:";
	static const char date[] = "Date:";
	if (n >= 5 && strncmp(ptr, "HTTP/", 5) == 0) {
		r->retry_after = -1; /* a new response (after a 100 or a proxy's) */
	} else if (n > sizeof(ra) - 1 && strncasecmp(ptr, ra, sizeof(ra) - 1) == 0) {
		char *v = xstrndup(ptr + sizeof(ra) - 1, n - (sizeof(ra) - 1));
		char *s = v + strspn(v, " \t");
		s[strcspn(s, "\r\n")] = '\0';
		r->retry_after = kclient_parse_retry_after(s, time(NULL));
		free(v);
	} else if (n > sizeof(date) - 1 && n < 128 &&
	           strncasecmp(ptr, date, sizeof(date) - 1) == 0) {
		/* The server's clock: the request went out after curl's connect
		 * and TLS handshake (pretransfer), and its answer is here now. */
		char v[128];
		memcpy(v, ptr + sizeof(date) - 1, n - (sizeof(date) - 1));
		v[n - (sizeof(date) - 1)] = '\0';
		curl_off_t pre = 0;
		if (curl_easy_getinfo(r->easy, CURLINFO_PRETRANSFER_TIME_T, &pre) != CURLE_OK ||
		    pre < 0)
			pre = 0;
		clockskew_add(&r->c->skew, v, r->started_wall_ms + (int64_t)(pre / 1000),
		              serverclock_wall_ms());
	}
	return n;
}

long kclient_parse_retry_after(const char *v, time_t now)
{
	if (!v || !*v)
		return -1;
	if (strspn(v, "0123456789") == strlen(v)) {
		long s = strtol(v, NULL, 10);
		return s > 86400 ? 86400 : s;
	}
	time_t t = curl_getdate(v, NULL);
	if (t < 0)
		return -1;
	return t > now ? (long)(t - now) : 0;
}

/* --- requests --- */

static void free_headers(struct curl_slist *h)
{
	/* The list may hold the bearer token: blank it before it is freed. */
	for (struct curl_slist *p = h; p; p = p->next)
		explicit_bzero(p->data, strlen(p->data));
	curl_slist_free_all(h);
}

static void release_easy(struct kreq *r)
{
	if (r->easy) {
		curl_multi_remove_handle(r->multi, r->easy);
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
	}
	free_headers(r->headers);
	r->headers = NULL;
}

void kreq_destroy(struct kreq *r)
{
	release_easy(r);
	buf_free(&r->body);
	free(r->method);
	free(r->path);
	free(r->content_type);
	free_secret(r->req_body, r->req_body_len);
	free(r);
}

static void do_done(struct ploop_xfer *x, CURLcode rc);

/* End r with an error of its own (it never reached curl). */
static void fail_req(struct kreq *r, struct perr *err)
{
	struct kresp resp = {.status = 0, .body = xstrdup(""), .retry_after_s = -1};
	resp.err = *err;
	*err = (struct perr){0};
	unlink_req(&r->c->reqs, r);
	kreq_done_fn done = r->done;
	void *ud = r->ud;
	kreq_destroy(r);
	if (done)
		done(ud, &resp);
	kresp_free(&resp);
}

static void add_pending(void *ud)
{
	struct kclient *c = ud;
	c->add_timer = NULL;
	bool again = true;
	while (again) {
		again = false;
		for (struct kreq *r = c->reqs; r; r = r->next) {
			if (r->added || !r->easy)
				continue;
			r->added = true;
			r->started_wall_ms = serverclock_wall_ms();
			if (curl_multi_add_handle(r->multi, r->easy) == CURLM_OK)
				continue;
			struct perr err = {0};
			perr_set(&err, PERR_SYSTEM, "cannot start an HTTP transfer");
			fail_req(r, &err);
			again = true; /* done may have changed the list */
			break;
		}
	}
}

static bool arm(struct kreq *r, struct perr *err);

/* The exec plugin ended: the parked requests go, or fail with its error.
 * One at a time from the head, as each may start or cancel others. */
static void on_creds(void *ud, const struct perr *perr)
{
	struct kclient *c = ud;
	for (;;) {
		struct kreq *r = c->reqs;
		while (r && !r->waiting_creds)
			r = r->next;
		if (!r) {
			kauth_fresh_end(c->auth);
			return;
		}
		r->waiting_creds = false;
		struct perr err = {0};
		if (perr) {
			perr_set(&err, perr->kind, "%s", perr_msg(perr));
			fail_req(r, &err);
		} else if (!arm(r, &err)) {
			fail_req(r, &err);
		}
	}
}

static bool arm(struct kreq *r, struct perr *err)
{
	struct kcreds cr;
	/* An exec plugin that has to run first runs on the loop (it may take
	 * seconds to log in): the request waits for it, the screen does not. */
	if (kauth_pending(r->c->auth)) {
		if (kauth_refresh_start(r->c->auth, r->c->loop, on_creds, r->c, err) != 0)
			return false;
		r->waiting_creds = true;
		return true;
	}
	if (!kauth_get(r->c->auth, &cr, err))
		return false;
	r->errbuf[0] = '\0';
	r->retry_after = -1;
	r->too_large = 0;
	r->have_cert = cr.cert != NULL;
	r->cert_not_after = cr.cert ? knet_cert_not_after(cr.cert, cr.cert_len) : 0;
	r->easy = kclient_make_easy(r, &cr);
	if (!r->easy) {
		perr_set(err, PERR_SYSTEM, "cannot set up an HTTP transfer");
		return false;
	}
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, &r->xfer);
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
	r->started_wall_ms = serverclock_wall_ms();
	if (ploop_in_curl(r->c->loop)) {
		/* curl refuses new handles from inside its callbacks (a watch
		 * event that asks for a new list): add it right after. */
		r->added = false;
		if (!r->c->add_timer)
			r->c->add_timer = ploop_timer_in(r->c->loop, 0, add_pending, r->c);
		return true;
	}
	if (curl_multi_add_handle(r->multi, r->easy) != CURLM_OK) {
		release_easy(r);
		perr_set(err, PERR_SYSTEM, "cannot start an HTTP transfer");
		return false;
	}
	r->added = true;
	return true;
}

static bool is_get(const char *m)
{
	return !m || strcmp(m, "GET") == 0;
}

struct kreq *kclient_start(struct kclient *c, const struct kreq_spec *spec, kreq_data_fn data,
			   kreq_done_fn done, void *ud, struct perr *err)
{
	const char *method = spec->method ? spec->method : "GET";
	const char *path = spec->path ? spec->path : "/";
	/* The one place read-only mode is enforced: nothing but GET leaves. */
	if (c->readonly && !is_get(spec->method)) {
		perr_set(err, PERR_USAGE,
			 "read-only mode: refusing to send %s %.*s (only GET requests are allowed)",
			 method, (int)strcspn(path, "?"), path);
		return NULL;
	}
	struct kreq *r = xcalloc(1, sizeof(*r));
	r->xfer.done = do_done;
	r->c = c;
	r->multi = c->multi;
	r->method = xstrdup(method);
	r->path = xstrdup(path);
	r->content_type = xstrdup(spec->content_type);
	if (spec->body) {
		r->req_body = xmemdup(spec->body, spec->body_len);
		r->req_body_len = spec->body_len;
	}
	r->stream = spec->stream;
	r->timeout_ms = spec->timeout_ms > 0 ? spec->timeout_ms : KCLIENT_DEFAULT_TIMEOUT_MS;
	r->data = data;
	r->done = done;
	r->ud = ud;
	if (!arm(r, err)) {
		kreq_destroy(r);
		return NULL;
	}
	link_req(&c->reqs, r);
	return r;
}

static void zombie_fire(void *ud)
{
	struct kreq *r = ud;
	unlink_req(&r->c->zombies, r);
	kreq_destroy(r);
}

void kreq_cancel(struct kreq *r)
{
	if (!r)
		return;
	struct kclient *c = r->c;
	unlink_req(&c->reqs, r);
	r->cancelled = true;
	r->data = NULL;
	r->done = NULL;
	if (ploop_in_curl(c->loop)) {
		/* Inside a curl callback the handle cannot be removed: the write
		 * callback now refuses data, and a timer frees it right after. */
		link_req(&c->zombies, r);
		r->zombie_timer = ploop_timer_in(c->loop, 0, zombie_fire, r);
		return;
	}
	kreq_destroy(r);
}

/* A size for messages: "64 KiB", "16 MiB". */
static char *size_text(size_t n)
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		return xasprintf("%zu MiB", n / (1024 * 1024));
	if (n >= 1024 && n % 1024 == 0)
		return xasprintf("%zu KiB", n / 1024);
	return xasprintf("%zu bytes", n);
}

static void fail_too_large(struct kreq *r, struct kresp *resp)
{
	char *srv = knet_safe_url(r->c->server), *max = size_text(r->too_large);
	perr_set(&resp->err, PERR_API,
		 "answer from %s larger than %s (%s %.*s, HTTP %ld): not read further", srv, max,
		 r->method, (int)strcspn(r->path, "?"), r->path, resp->status);
	resp->err.http_status = resp->status;
	free(srv);
	free(max);
}

/* Redirects are never followed (a credential must not go to another host):
 * a 3xx is an error that names where it pointed (escaped, as every message
 * is, by perr_set). */
static void fail_redirect(struct kreq *r, struct kresp *resp)
{
	char *loc = NULL;
	curl_easy_getinfo(r->easy, CURLINFO_REDIRECT_URL, &loc);
	char *host = knet_url_host(loc ? loc : "");
	if (strlen(host) > 253)
		host[253] = '\0';
	char *srv = knet_safe_url(r->c->server);
	if (*host)
		perr_set(&resp->err, PERR_API,
			 "%s %.*s: %s answered HTTP %ld, a redirect to %s, not followed", r->method,
			 (int)strcspn(r->path, "?"), r->path, srv, resp->status, host);
	else
		perr_set(&resp->err, PERR_API,
			 "%s %.*s: %s answered HTTP %ld, a redirect (not followed)", r->method,
			 (int)strcspn(r->path, "?"), r->path, srv, resp->status);
	resp->err.http_status = resp->status;
	free(srv);
	free(host);
}

static void fill_error(struct kreq *r, CURLcode rc, struct kresp *resp)
{
	struct kclient *c = r->c;
	if (r->too_large) {
		fail_too_large(r, resp);
		return;
	}
	if (rc == CURLE_OK && resp->status >= 300 && resp->status < 400) {
		fail_redirect(r, resp);
		return;
	}
	if (rc != CURLE_OK) {
		long os_errno = 0, connect_us = 0;
		curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &os_errno);
		curl_off_t ct = 0;
		curl_easy_getinfo(r->easy, CURLINFO_CONNECT_TIME_T, &ct);
		connect_us = (long)ct;
		struct knet_fail f = {
		    .rc = rc,
		    .errbuf = r->errbuf,
		    .os_errno = os_errno,
		    .server = c->server,
		    .tls_name = c->tls_name ? c->tls_name : c->host,
		    .proxy = c->proxy,
		    .connected = connect_us > 0,
		    .timeout_ms = r->stream ? 0 : r->timeout_ms,
		    .have_cert = r->have_cert,
		    .cert_not_after = r->cert_not_after,
		    .now = time(NULL),
		};
		char *msg = knet_explain(&f);
		perr_set(&resp->err, PERR_NETWORK, "%s", msg);
		free(msg);
		return;
	}
	if (resp->status < 400)
		return;
	const char *user = NULL, *hint = NULL;
	char *hintbuf = NULL;
	if (resp->status == 401) {
		user = c->user;
		hint = kstatus_hint_401(kauth_kind(c->auth));
		if (r->have_cert && r->cert_not_after > 0 && time(NULL) > r->cert_not_after) {
			char when[40];
			knet_format_time(r->cert_not_after, when, sizeof(when));
			hintbuf = xasprintf("the client certificate expired on %s: get a new one "
					    "(client-certificate in the kubeconfig)",
					    when);
			hint = hintbuf;
		}
	} else if ((resp->status == 429 || resp->status == 503) && resp->retry_after_s >= 0) {
		hintbuf = xasprintf("retry after %ld s", resp->retry_after_s);
		hint = hintbuf;
	}
	char *msg = kstatus_format(resp->status, resp->body, resp->body_len, r->method, r->path,
				   user, hint);
	perr_set(&resp->err, resp->status == 401 ? PERR_AUTH : PERR_API, "%s", msg);
	resp->err.http_status = resp->status;
	free(msg);
	free(hintbuf);
}

static void do_done(struct ploop_xfer *x, CURLcode rc)
{
	struct kreq *r = (struct kreq *)x;
	struct kclient *c = r->c;
	if (r->cancelled)
		return; /* a zombie: its timer frees it */
	long status = 0;
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);

	/* A rejected exec-plugin credential: run the plugin again, once. */
	if (rc == CURLE_OK && status == 401 && !r->retried && kauth_invalidate(c->auth)) {
		r->retried = true;
		release_easy(r);
		buf_reset(&r->body);
		struct perr err = {0};
		if (!arm(r, &err))
			fail_req(r, &err);
		return;
	}

	struct kresp resp = {.status = status, .retry_after_s = r->retry_after};
	resp.body_len = r->body.len;
	resp.body = buf_steal(&r->body);
	fill_error(r, rc, &resp);
	unlink_req(&c->reqs, r);
	kreq_done_fn done = r->done;
	void *ud = r->ud;
	kreq_destroy(r);
	if (done)
		done(ud, &resp);
	kresp_free(&resp);
}

struct sync_wait {
	bool done;
	struct kresp *out;
};

static void sync_done(void *ud, struct kresp *resp)
{
	struct sync_wait *w = ud;
	*w->out = *resp;
	/* ownership moved to the caller's kresp */
	resp->body = NULL;
	resp->err.msg = NULL;
	resp->err.kind = PERR_NONE;
	w->done = true;
}

void kclient_request(struct kclient *c, const struct kreq_spec *spec, struct kresp *out)
{
	*out = (struct kresp){.retry_after_s = -1};
	struct sync_wait w = {false, out};
	struct perr err = {0};
	if (ploop_in_curl(c->loop)) {
		/* A programming error: the loop cannot be run from inside curl. */
		out->body = xstrdup("");
		perr_set(&out->err, PERR_SYSTEM,
			 "internal error: kclient_request() inside a transfer callback");
		return;
	}
	if (!kclient_start(c, spec, NULL, sync_done, &w, &err)) {
		out->body = xstrdup("");
		out->err = err;
		return;
	}
	while (!w.done)
		ploop_run_once(c->loop, -1);
}
