#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <check.h>

#include "podscope/buf.h"
#include "podscope/client.h"
#include "podscope/informer.h"
#include "podscope/kubeconfig.h"
#include "podscope/listsplit.h"
#include "podscope/loop.h"
#include "podscope/xalloc.h"

#include "testutil.h"

/*
 * The informer's answers to what a real API server may do that
 * podscope-sim does not do on demand: an ERROR event with 410, HTTP 410 on a
 * watch, a forbidden watch, 429 with Retry-After, a stream cut inside an
 * event, a server ending every watch at once, bookmarks. A scripted HTTP/1.1
 * server runs on the test's own loop over loopback.
 */

enum { HOLD = 1 }; /* keep the connection open after the answer */

struct fake;
typedef const char *(*script_fn)(struct fake *f, const char *path, bool watch, int n, int *flags);

struct fake {
	struct ploop *loop;
	int lfd;
	int port;
	script_fn script;
	int lists, watches;
	char last_watch[512];
	int held[8];
	int nheld;
	struct buf req[64]; /* per fd, small fds only */
};

static void fake_close(struct fake *f, int fd)
{
	ploop_remove_fd(f->loop, fd);
	close(fd);
	if (fd < 64)
		buf_reset(&f->req[fd]);
}

static void on_conn(void *ud, int fd, short revents)
{
	struct fake *f = ud;
	char tmp[4096];
	(void)revents;
	ssize_t n = read(fd, tmp, sizeof(tmp));
	if (n <= 0 || fd >= 64) {
		fake_close(f, fd);
		return;
	}
	buf_add(&f->req[fd], tmp, (size_t)n);
	if (!strstr(f->req[fd].data, "\r\n\r\n"))
		return;
	char path[512] = "";
	sscanf(f->req[fd].data, "%*s %511s", path);
	buf_reset(&f->req[fd]);
	bool watch = strstr(path, "watch=1") != NULL;
	int flags = 0;
	const char *resp = f->script(f, path, watch, watch ? f->watches++ : f->lists++, &flags);
	if (watch)
		snprintf(f->last_watch, sizeof(f->last_watch), "%s", path);
	size_t len = strlen(resp), off = 0;
	while (off < len) {
		ssize_t w = write(fd, resp + off, len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (flags & HOLD && f->nheld < 8)
		f->held[f->nheld++] = fd;
	else
		fake_close(f, fd);
}

static void on_accept(void *ud, int fd, short revents)
{
	struct fake *f = ud;
	(void)revents;
	int c = accept(fd, NULL, NULL);
	if (c >= 0)
		ploop_add_fd(f->loop, c, POLLIN, on_conn, f);
}

static void fake_start(struct fake *f, struct ploop *loop, script_fn script)
{
	memset(f, 0, sizeof(*f));
	f->loop = loop;
	f->script = script;
	f->lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	ck_assert_int_eq(bind(f->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(f->lfd, 16), 0);
	socklen_t al = sizeof(a);
	getsockname(f->lfd, (struct sockaddr *)&a, &al);
	f->port = ntohs(a.sin_port);
	ploop_add_fd(loop, f->lfd, POLLIN, on_accept, f);
}

static void fake_stop(struct fake *f)
{
	for (int i = 0; i < f->nheld; i++)
		fake_close(f, f->held[i]);
	ploop_remove_fd(f->loop, f->lfd);
	close(f->lfd);
	for (int i = 0; i < 64; i++)
		buf_free(&f->req[i]);
}

/* ---- responses ---- */

#define STREAM_HEAD "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
#define CHUNKED_HEAD                                                                               \
	"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"

static char respbuf[8192];

#define PAGE1                                                                                      \
	"{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"10\","   \
	"\"continue\":\"tok1\"},\"items\":[{\"metadata\":{\"name\":\"a\",\"namespace\":"          \
	"\"default\",\"resourceVersion\":\"10\"}}]}"

static const char *pod_list(const char *rv, const char *names)
{
	struct buf b = BUF_INIT;
	buf_printf(&b,
		   "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":"
		   "\"%s\"},\"items\":[",
		   rv);
	char copy[256];
	snprintf(copy, sizeof(copy), "%s", names);
	int i = 0;
	for (char *save, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		buf_printf(&b,
			   "%s{\"metadata\":{\"name\":\"%s\",\"namespace\":\"default\","
			   "\"resourceVersion\":\"%s\"}}",
			   i++ ? "," : "", t, rv);
	buf_adds(&b, "]}");
	snprintf(respbuf, sizeof(respbuf),
		 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n%s",
		 b.len, b.data);
	buf_free(&b);
	return respbuf;
}

static const char *status_resp(int code, const char *reason, const char *extra_headers)
{
	char body[256];
	snprintf(
	    body, sizeof(body),
	    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
	    "\"message\":\"scripted %d\",\"reason\":\"%s\",\"code\":%d}",
	    code, reason, code);
	snprintf(respbuf, sizeof(respbuf),
		 "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s"
		 "Connection: close\r\n\r\n%s",
		 code, reason, strlen(body), extra_headers ? extra_headers : "", body);
	return respbuf;
}

#define EV(type, name, rv)                                                                         \
	"{\"type\":\"" type "\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"" name       \
	"\",\"namespace\":\"default\",\"resourceVersion\":\"" rv "\"}}}\n"

/* ---- the informer side ---- */

struct env {
	struct ploop *loop;
	struct fake fake;
	struct kclient *client;
	struct store *store;
	struct informer_set *set;
	char kc[64];
};

static void env_open(struct env *e, script_fn script, struct informer_config *cfg)
{
	e->loop = ploop_new();
	fake_start(&e->fake, e->loop, script);
	snprintf(e->kc, sizeof(e->kc), "/tmp/podscope-fake-kc-XXXXXX");
	int fd = mkstemp(e->kc);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	fprintf(f,
		"apiVersion: v1\nkind: Config\nclusters:\n- name: f\n  cluster:\n"
		"    server: http://127.0.0.1:%d\nusers:\n- name: u\n  user: {}\n"
		"contexts:\n- name: f\n  context: {cluster: f, user: u}\ncurrent-context: f\n",
		e->fake.port);
	fclose(f);
	struct kc_options opt = {.kubeconfig = e->kc};
	struct perr err = {0};
	struct kc_conn *conn = kc_load(&opt, &err);
	ck_assert_msg(conn != NULL, "%s", perr_msg(&err));
	e->client = kclient_new(e->loop, conn, &err);
	ck_assert_msg(e->client != NULL, "%s", perr_msg(&err));
	kc_conn_free(conn);
	e->store = store_new();
	if (!cfg->kinds)
		cfg->kinds = 1u << STORE_PODS;
	if (!cfg->backoff_initial_ms)
		cfg->backoff_initial_ms = 50;
	e->set = informer_set_new(e->loop, e->client, e->store, cfg, &err);
	ck_assert_ptr_nonnull(e->set);
	informer_set_start(e->set);
}

static void env_close(struct env *e)
{
	informer_set_free(e->set);
	store_free(e->store);
	kclient_free(e->client);
	fake_stop(&e->fake);
	ploop_free(e->loop);
	unlink(e->kc);
}

static const struct informer_status *pods(struct env *e)
{
	return informer_set_status(e->set, STORE_PODS);
}

typedef bool (*cond_fn)(struct env *e);

static bool run_until(struct env *e, cond_fn cond, int64_t ms)
{
	int64_t deadline = ploop_now_ms() + ms;
	while (!cond(e)) {
		int64_t left = deadline - ploop_now_ms();
		if (left <= 0)
			return false;
		ploop_run_once(e->loop, left > 100 ? 100 : (int)left);
	}
	return true;
}

static bool watching(struct env *e)
{
	return pods(e)->state == INFORMER_WATCHING;
}

static bool has(struct env *e, const char *name)
{
	return store_get_pod(e->store, "default", name) != NULL;
}

/* ---- 410 as an ERROR event ---- */

static const char *script_410_event(struct fake *f, const char *path, bool watch, int n, int *flags)
{
	(void)f;
	(void)path;
	if (!watch)
		return n == 0 ? pod_list("10", "a,b") : pod_list("20", "a,c,d");
	if (n == 0)
		return STREAM_HEAD EV(
		    "ADDED", "c",
		    "11") "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":"
			  "\"v1\","
			  "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource "
			  "version: 10 (15)\",\"reason\":\"Expired\",\"code\":410}}\n";
	*flags = HOLD;
	return STREAM_HEAD;
}

static bool relisted(struct env *e)
{
	return pods(e)->lists >= 2 && watching(e) && e->fake.watches >= 2;
}

START_TEST(test_410_event_relists)
{
	struct env e;
	struct informer_config cfg = {0};
	env_open(&e, script_410_event, &cfg);
	ck_assert(run_until(&e, relisted, 10000));
	ck_assert(has(&e, "a") && has(&e, "c") && has(&e, "d"));
	ck_assert(!has(&e, "b"));
	ck_assert_uint_eq(pods(&e)->relists_410, 1);
	ck_assert_uint_eq(pods(&e)->errors, 0);
	ck_assert_str_eq(pods(&e)->rv, "20");
	ck_assert_ptr_nonnull(strstr(e.fake.last_watch, "resourceVersion=20"));
	env_close(&e);
}
END_TEST

/* ---- 410 as the HTTP status of the watch ---- */

static const char *script_410_http(struct fake *f, const char *path, bool watch, int n, int *flags)
{
	(void)f;
	(void)path;
	if (!watch)
		return n == 0 ? pod_list("10", "a") : pod_list("30", "e");
	if (n == 0)
		return status_resp(410, "Gone", NULL);
	*flags = HOLD;
	return STREAM_HEAD;
}

START_TEST(test_410_http_relists)
{
	struct env e;
	struct informer_config cfg = {0};
	env_open(&e, script_410_http, &cfg);
	ck_assert(run_until(&e, relisted, 10000));
	ck_assert(has(&e, "e") && !has(&e, "a"));
	ck_assert_uint_eq(pods(&e)->relists_410, 1);
	env_close(&e);
}
END_TEST

/* ---- bookmarks, clean ends, a cut stream ---- */

static const char *script_bookmark(struct fake *f, const char *path, bool watch, int n, int *flags)
{
	(void)f;
	(void)path;
	if (!watch)
		return pod_list(n == 0 ? "10" : "50", n == 0 ? "a" : "a,z");
	switch (n) {
	case 0: /* a bookmark, then the server ends the watch */
		return STREAM_HEAD EV("MODIFIED", "a",
				      "12") "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\","
					    "\"apiVersion\":\"v1\","
					    "\"metadata\":{\"resourceVersion\":\"15\"}}}\n";
	case 1: /* cut inside an event: chunked, no last chunk */
		snprintf(respbuf, sizeof(respbuf), CHUNKED_HEAD "%x\r\n%s\r\n", 40,
			 "{\"type\":\"ADDED\",\"object\":{\"metadata\"");
		return respbuf;
	default:
		*flags = HOLD;
		return STREAM_HEAD;
	}
}

static bool third_watch(struct env *e)
{
	return e->fake.watches >= 3 && watching(e);
}

START_TEST(test_bookmark_and_cut_stream)
{
	struct env e;
	struct informer_config cfg = {0};
	env_open(&e, script_bookmark, &cfg);
	ck_assert(run_until(&e, third_watch, 10000));
	/* The second watch started from the bookmark; the cut one made a relist. */
	ck_assert_uint_eq(pods(&e)->lists, 2);
	ck_assert(has(&e, "z"));
	ck_assert_ptr_nonnull(strstr(e.fake.last_watch, "resourceVersion=50"));
	ck_assert_uint_ge(pods(&e)->errors, 1);
	ck_assert_uint_eq(pods(&e)->relists_410, 0);
	env_close(&e);
}
END_TEST

static const char *script_bookmark_rv(struct fake *f, const char *path, bool watch, int n,
				      int *flags)
{
	(void)f;
	(void)path;
	if (!watch)
		return pod_list("10", "a");
	if (n == 0)
		return STREAM_HEAD "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\","
				   "\"metadata\":{\"resourceVersion\":\"15\"}}}\n";
	*flags = HOLD;
	return STREAM_HEAD;
}

static bool second_watch(struct env *e)
{
	return e->fake.watches >= 2;
}

START_TEST(test_rewatch_from_bookmark)
{
	struct env e;
	struct informer_config cfg = {0};
	env_open(&e, script_bookmark_rv, &cfg);
	ck_assert(run_until(&e, second_watch, 10000));
	ck_assert_ptr_nonnull(strstr(e.fake.last_watch, "resourceVersion=15"));
	ck_assert_ptr_nonnull(strstr(e.fake.last_watch, "allowWatchBookmarks=true"));
	ck_assert_uint_eq(pods(&e)->lists, 1);
	env_close(&e);
}
END_TEST

/* ---- a forbidden watch: poll ---- */

static const char *script_403(struct fake *f, const char *path, bool watch, int n, int *flags)
{
	(void)f;
	(void)path;
	(void)flags;
	if (!watch)
		return pod_list("10", n < 2 ? "a" : "a,b");
	return status_resp(403, "Forbidden", NULL);
}

static bool polled_twice(struct env *e)
{
	return pods(e)->lists >= 3 && has(e, "b");
}

START_TEST(test_forbidden_watch_polls)
{
	struct env e;
	struct informer_config cfg = {.fallback_poll_ms = 100};
	env_open(&e, script_403, &cfg);
	ck_assert(run_until(&e, polled_twice, 10000));
	ck_assert(pods(&e)->polling);
	ck_assert_int_eq(e.fake.watches, 1);
	char line[512];
	informer_status_line(pods(&e), ploop_now_ms(), line, sizeof(line));
	ck_assert_msg(strstr(line, "pods polling every") || strstr(line, "pods listing"), "%s",
		      line);
	ck_assert_ptr_nonnull(strstr(pods(&e)->poll_reason, "403"));
	env_close(&e);
}
END_TEST

/* ---- a kind the server does not serve, and one it forbids ---- */

static const char *script_404_kind(struct fake *f, const char *path, bool watch, int n, int *flags)
{
	(void)f;
	(void)n;
	if (strstr(path, "/daemonsets"))
		return status_resp(404, "NotFound", NULL);
	if (strstr(path, "/statefulsets"))
		return status_resp(403, "Forbidden", NULL);
	if (!watch)
		return pod_list("10", "a");
	*flags = HOLD;
	return STREAM_HEAD;
}

static bool synced_and_watching(struct env *e)
{
	return informer_set_synced(e->set) && watching(e);
}

START_TEST(test_kind_not_served)
{
	struct env e;
	struct informer_config cfg = {.kinds = (1u << STORE_PODS) | (1u << STORE_DAEMONSETS) |
					       (1u << STORE_STATEFULSETS)};
	env_open(&e, script_404_kind, &cfg);
	ck_assert(run_until(&e, synced_and_watching, 10000));
	ck_assert(has(&e, "a"));
	const struct informer_status *ds = informer_set_status(e.set, STORE_DAEMONSETS);
	ck_assert(ds->synced);
	ck_assert_int_eq(ds->state, INFORMER_NOT_SERVED);
	ck_assert_uint_eq(store_count(e.store, STORE_DAEMONSETS), 0);
	char line[512];
	informer_status_line(ds, ploop_now_ms(), line, sizeof(line));
	ck_assert_msg(strncmp(line, "daemonsets not served: ", 23) == 0, "%s", line);
	/* A 403 is still trouble, told apart from a kind that is missing. */
	ck_assert_int_eq(informer_set_status(e.set, STORE_STATEFULSETS)->state, INFORMER_FORBIDDEN);
	env_close(&e);
}
END_TEST

/* Nodes are cluster-scoped: listed at /api/v1/nodes even for one
 * namespace; a 403 there leaves an empty, synced kind (the UI keeps quiet). */
static int node_lists;

static const char *script_nodes_403(struct fake *f, const char *path, bool watch, int n,
				    int *flags)
{
	(void)f;
	(void)n;
	if (strncmp(path, "/api/v1/nodes?", 14) == 0) {
		node_lists++;
		return status_resp(403, "Forbidden", NULL);
	}
	ck_assert_msg(strstr(path, "nodes") == NULL, "nodes asked for at %s", path);
	if (!watch)
		return pod_list("10", "a");
	*flags = HOLD;
	return STREAM_HEAD;
}

START_TEST(test_nodes_forbidden_cluster_scoped)
{
	struct env e;
	node_lists = 0;
	struct informer_config cfg = {.namespace = "default",
				      .kinds = (1u << STORE_PODS) | (1u << STORE_NODES)};
	env_open(&e, script_nodes_403, &cfg);
	ck_assert(run_until(&e, synced_and_watching, 10000));
	ck_assert(has(&e, "a"));
	ck_assert_int_ge(node_lists, 1);
	const struct informer_status *st = informer_set_status(e.set, STORE_NODES);
	ck_assert(st->synced);
	ck_assert_int_eq(st->state, INFORMER_FORBIDDEN);
	ck_assert_uint_eq(store_count(e.store, STORE_NODES), 0);
	env_close(&e);
}
END_TEST

/* ---- 429 with Retry-After; a watch that breaks every time ---- */

static const char *script_429(struct fake *f, const char *path, bool watch, int n, int *flags)
{
	(void)f;
	(void)path;
	(void)flags;
	if (!watch)
		return n == 0 ? status_resp(429, "TooManyRequests", "Retry-After: 2\r\n")
			      : pod_list("10", "a");
	return status_resp(500, "InternalError", NULL);
}

static bool backing_off(struct env *e)
{
	return pods(e)->state == INFORMER_BACKOFF;
}

static bool gave_up_watching(struct env *e)
{
	return pods(e)->polling && pods(e)->synced;
}

START_TEST(test_retry_after_and_broken_watch)
{
	struct env e;
	struct informer_config cfg = {.max_failures = 3, .fallback_poll_ms = 100};
	env_open(&e, script_429, &cfg);
	ck_assert(run_until(&e, backing_off, 5000));
	int64_t wait = pods(&e)->backoff_until_ms - ploop_now_ms();
	ck_assert_msg(wait > 1000, "waits %lld ms", (long long)wait);
	ck_assert_ptr_nonnull(strstr(pods(&e)->last_error, "429"));
	ck_assert(!informer_set_synced(e.set));
	ck_assert(run_until(&e, gave_up_watching, 15000));
	ck_assert_int_eq(e.fake.watches, 3);
	ck_assert(has(&e, "a"));
	env_close(&e);
}
END_TEST

/* ---- a page of a long list throttled: retried, not the whole list ---- */

static int page_requests, restarts;

static const char *script_throttled_page(struct fake *f, const char *path, bool watch, int n,
					 int *flags)
{
	(void)f;
	(void)n;
	if (watch) {
		*flags = HOLD;
		return STREAM_HEAD;
	}
	page_requests++;
	if (!strstr(path, "continue=")) {
		restarts++;
		snprintf(respbuf, sizeof(respbuf),
			 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: "
			 "close\r\nContent-Length: %zu\r\n\r\n%s",
			 strlen(PAGE1), PAGE1);
		return respbuf;
	}
	/* Every other request for the second page is throttled. */
	if (page_requests % 2 == 0)
		return status_resp(429, "TooManyRequests", "Retry-After: 1\r\n");
	return pod_list("10", "b");
}

static bool has_a_and_b(struct env *e)
{
	return has(e, "a") && has(e, "b") && informer_set_synced(e->set);
}

START_TEST(test_throttled_page_is_retried)
{
	struct env e;
	struct informer_config cfg = {.max_failures = 5};
	page_requests = restarts = 0;
	env_open(&e, script_throttled_page, &cfg);
	ck_assert(run_until(&e, has_a_and_b, 10000));
	ck_assert_int_eq(restarts, 1);
	ck_assert_int_eq(page_requests, 3);
	env_close(&e);
}
END_TEST

/* A server that ends every watch at once must not make the informer spin. */
static const char *script_instant_end(struct fake *f, const char *path, bool watch, int n,
				      int *flags)
{
	(void)f;
	(void)path;
	(void)n;
	(void)flags;
	return watch ? STREAM_HEAD : pod_list("10", "a");
}

START_TEST(test_instant_end_backs_off)
{
	struct env e;
	struct informer_config cfg = {.backoff_initial_ms = 200, .max_failures = 100};
	env_open(&e, script_instant_end, &cfg);
	int64_t until = ploop_now_ms() + 1500;
	while (ploop_now_ms() < until)
		ploop_run_once(e.loop, 100);
	/* 200 + 400 + 800 ms of back-off at most fit: a handful, not hundreds. */
	ck_assert_int_le(e.fake.watches, 5);
	ck_assert_int_ge(e.fake.watches, 2);
	env_close(&e);
}
END_TEST

/* ---- lists that would never end are given up, and the informer goes on ---- */

static int page_no;

/* Page after page names "again" as the next one. */
static const char *script_same_token(struct fake *f, const char *path, bool watch, int n,
				     int *flags)
{
	(void)f;
	(void)n;
	(void)flags;
	if (watch)
		return STREAM_HEAD;
	page_no++;
	snprintf(respbuf, sizeof(respbuf),
		 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n%s",
		 strlen(PAGE1) - strlen("tok1") + strlen("again"), PAGE1);
	/* PAGE1 with "again" for "tok1" */
	char *t = strstr(respbuf, "tok1");
	memmove(t + 5, t + 4, strlen(t + 4) + 1);
	memcpy(t, "again", 5);
	(void)path;
	return respbuf;
}

static bool given_up_twice(struct env *e)
{
	return pods(e)->lists_given_up >= 2;
}

START_TEST(test_repeated_token_given_up)
{
	struct env e;
	struct informer_config cfg = {.backoff_max_ms = 300};
	page_no = 0;
	env_open(&e, script_same_token, &cfg);
	ck_assert(run_until(&e, given_up_twice, 10000));
	const struct informer_status *st = pods(&e);
	/* pages 1 and 2 of each list: the token is followed once, not again */
	ck_assert_int_eq(page_no, 4);
	ck_assert_int_eq(st->state, INFORMER_BACKOFF);
	ck_assert(!st->synced);
	char line[256];
	informer_status_line(st, ploop_now_ms(), line, sizeof(line));
	ck_assert_msg(strstr(line, "pods backing off") &&
			  strstr(line, "list pods: page 2 names the continue token of an earlier "
				       "page again: the list would never end"),
		      "%s", line);
	env_close(&e);
}
END_TEST

/* A page that breaks after an item that is new every time: the store changes
 * on each attempt, and still the list is given up after max_list_retries. */
static const char *script_broken_page(struct fake *f, const char *path, bool watch, int n,
				      int *flags)
{
	(void)f;
	(void)path;
	(void)flags;
	if (watch)
		return STREAM_HEAD;
	char chunk[256];
	int len = snprintf(chunk, sizeof(chunk),
			   "{\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"a\","
			   "\"namespace\":\"default\",\"resourceVersion\":\"%d\"}},",
			   n);
	snprintf(respbuf, sizeof(respbuf), CHUNKED_HEAD "%x\r\n%s\r\n", len, chunk);
	return respbuf;
}

static bool given_up(struct env *e)
{
	return pods(e)->lists_given_up >= 1;
}

START_TEST(test_retries_capped_despite_progress)
{
	struct env e;
	struct informer_config cfg = {
	    .backoff_initial_ms = 10, .backoff_max_ms = 20, .max_list_retries = 5};
	env_open(&e, script_broken_page, &cfg);
	ck_assert(run_until(&e, given_up, 10000));
	ck_assert_int_eq(e.fake.lists, 5);
	ck_assert_ptr_nonnull(strstr(pods(&e)->last_error, "list pods: gave up after 5 failed "
							   "attempts: "));
	ck_assert(has(&e, "a"));
	env_close(&e);
}
END_TEST

/* A Retry-After of a day is obeyed up to max_retry_after_ms only. */
static const char *script_retry_day(struct fake *f, const char *path, bool watch, int n, int *flags)
{
	(void)f;
	(void)path;
	(void)watch;
	(void)n;
	(void)flags;
	return status_resp(429, "Too Many Requests", "Retry-After: 86400\r\n");
}

static bool backing_off_after_429(struct env *e)
{
	return pods(e)->state == INFORMER_BACKOFF && pods(e)->retry_after_s > 0;
}

START_TEST(test_retry_after_capped)
{
	struct env e;
	struct informer_config cfg = {.max_retry_after_ms = 2000};
	env_open(&e, script_retry_day, &cfg);
	ck_assert(run_until(&e, backing_off_after_429, 5000));
	const struct informer_status *st = pods(&e);
	ck_assert_int_eq(st->retry_after_s, 86400);
	int64_t left = st->backoff_until_ms - ploop_now_ms();
	ck_assert_int_le(left, 2000);
	ck_assert_int_ge(left, 1000);
	env_close(&e);
}
END_TEST

/* ---- list pages: each byte scanned once, however small the chunks ---- */

static int count_item(void *ud, const char *item, size_t len)
{
	size_t *got = ud;
	*got += len;
	(void)item;
	return 0;
}

/* A 15 MB element in 2 KB chunks: a 15 MB string, then 15 MB of small
 * numbers (each cut now and then by a chunk's end). The scanner's work is
 * counted, not timed: resuming mid-value looks again at a few bytes at most,
 * where starting the element over would look at 7,500 times its size. */
START_TEST(test_split_is_linear)
{
	const size_t big = 15u * 1000 * 1000, chunk = 2048;
	for (int shape = 0; shape < 2; shape++) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "{\"metadata\":{\"continue\":\"\"},\"items\":[{\"a\":");
		size_t item_start = b.len - 5;
		if (shape == 0) {
			buf_addc(&b, '"');
			while (b.len < big)
				buf_adds(&b, "xxxxxxx\\\"\\u00e9xxxxxxxxxxxxxxxxxxxxxxxx");
			buf_addc(&b, '"');
		} else {
			buf_addc(&b, '[');
			while (b.len < big)
				buf_adds(&b, "12345,-6.5e3,true,null,{\"k\":[]},");
			buf_adds(&b, "0]");
		}
		buf_adds(&b, "}]}");
		size_t item_len = b.len - 2 - item_start;
		struct lsplit s;
		struct perr err = {0};
		size_t got = 0;
		lsplit_init(&s, 16u * 1024 * 1024);
		for (size_t off = 0; off < b.len; off += chunk) {
			size_t n = b.len - off < chunk ? b.len - off : chunk;
			ck_assert_int_eq(lsplit_feed(&s, b.data + off, n, count_item, &got, &err),
					 0);
		}
		ck_assert_int_eq(lsplit_end(&s, &err), 0);
		ck_assert_uint_eq(got, item_len);
		ck_assert_uint_eq(s.items, 1);
		ck_assert_msg(s.scanned < b.len + (b.len / chunk + 1) * 64,
			      "shape %d: %zu bytes scanned for %zu", shape, s.scanned, b.len);
		lsplit_free(&s);
		buf_free(&b);
	}
}
END_TEST

/* The per-element cap holds while the scan goes on across chunks. */
START_TEST(test_split_cap_across_chunks)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "{\"items\":[\"");
	for (int i = 0; i < 3000; i++)
		buf_adds(&b, "xx");
	struct lsplit s;
	struct perr err = {0};
	lsplit_init(&s, 4096);
	int rc = 0;
	for (size_t off = 0; off < b.len && rc == 0; off += 100)
		rc = lsplit_feed(&s, b.data + off, b.len - off < 100 ? b.len - off : 100, NULL,
				 NULL, &err);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "larger than the limit of 4096 bytes"));
	ck_assert_uint_le(s.pending.len, 0);
	perr_clear(&err);
	lsplit_free(&s);
	/* What follows a whole list is ignored, up to the same limit. */
	buf_reset(&b);
	buf_adds(&b, "{\"items\":[]}");
	for (int i = 0; i < 5000; i++)
		buf_addc(&b, 'x');
	lsplit_init(&s, 4096);
	ck_assert_int_eq(lsplit_feed(&s, b.data, 4000, NULL, NULL, &err), 0);
	ck_assert_int_eq(lsplit_feed(&s, b.data + 4000, b.len - 4000, NULL, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "more than the limit follows the list"));
	perr_clear(&err);
	lsplit_free(&s);
	buf_free(&b);
}
END_TEST

START_TEST(test_parse_poll)
{
	ck_assert_int_eq(informer_parse_poll(NULL), INFORMER_DEFAULT_POLL_MS);
	ck_assert_int_eq(informer_parse_poll(""), INFORMER_DEFAULT_POLL_MS);
	ck_assert_int_eq(informer_parse_poll("10"), 10000);
	ck_assert_int_eq(informer_parse_poll("1m"), 60000);
	ck_assert_int_eq(informer_parse_poll("500ms"), 500);
	ck_assert_int_eq(informer_parse_poll("1ms"), -1);
	ck_assert_int_eq(informer_parse_poll("x"), -1);
	ck_assert_int_eq(informer_parse_poll("-5"), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("informer_faults");
	TCase *tc = tcase_create("faults");
	tcase_add_test(tc, test_410_event_relists);
	tcase_add_test(tc, test_410_http_relists);
	tcase_add_test(tc, test_bookmark_and_cut_stream);
	tcase_add_test(tc, test_rewatch_from_bookmark);
	tcase_add_test(tc, test_forbidden_watch_polls);
	tcase_add_test(tc, test_kind_not_served);
	tcase_add_test(tc, test_nodes_forbidden_cluster_scoped);
	tcase_add_test(tc, test_retry_after_and_broken_watch);
	tcase_add_test(tc, test_throttled_page_is_retried);
	tcase_add_test(tc, test_instant_end_backs_off);
	tcase_add_test(tc, test_parse_poll);
	tcase_add_test(tc, test_split_is_linear);
	tcase_add_test(tc, test_repeated_token_given_up);
	tcase_add_test(tc, test_retries_capped_despite_progress);
	tcase_add_test(tc, test_retry_after_capped);
	tcase_add_test(tc, test_split_cap_across_chunks);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
