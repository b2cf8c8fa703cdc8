#ifndef PODSCOPE_TEST_SIM_HTTP_H
#define PODSCOPE_TEST_SIM_HTTP_H

/*
 * An in-process podscope-sim for tests, and a libcurl client that runs in
 * the same thread: every wait alternates between curl and the simulator's
 * loop, so the test can also write to the store between two events of a
 * watch. Header-only: one test program includes it.
 */

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include <check.h>
#include <curl/curl.h>

#include "podscope/buf.h"

#include "app.h"
#include "auth.h"
#include "evloop.h"
#include "server.h"
#include "sim.h"

struct th_req {
	CURL *easy;
	struct curl_slist *headers;
	struct buf body;
	long status;
	bool done;
};

static struct sim th_sim;
static CURLM *th_multi;

static void th_start(size_t window, int bookmark_s)
{
	struct perr err = {0};
	memset(&th_sim, 0, sizeof(th_sim));
	simapp_defaults(&th_sim.cfg);
	/* The API is under test: the cluster holds still. */
	th_sim.cfg.frozen = true;
	if (window)
		th_sim.cfg.event_window = window;
	if (bookmark_s)
		th_sim.cfg.bookmark_interval_s = bookmark_s;
	ck_assert_msg(simapp_start(&th_sim, &err) == 0, "%s", perr_msg(&err));
	th_multi = curl_multi_init();
}

static void th_stop(void)
{
	curl_multi_cleanup(th_multi);
	simapp_stop(&th_sim);
}

static size_t th_write(char *p, size_t size, size_t n, void *ud)
{
	buf_add(&((struct th_req *)ud)->body, p, size * n);
	return size * n;
}

/* Start a request; token NULL: the admin's. */
static struct th_req *th_begin(const char *method, const char *path, const char *accept,
                               const char *body, const char *token)
{
	struct th_req *r = calloc(1, sizeof(*r));
	char url[1024], auth[256];
	snprintf(url, sizeof(url), "%s%s", simsrv_url(&th_sim), path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
	         token ? token : simauth_token(th_sim.auth, SIMUSER_ADMIN));
	r->easy = curl_easy_init();
	curl_easy_setopt(r->easy, CURLOPT_URL, url);
	curl_easy_setopt(r->easy, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, th_write);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	if (body)
		curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, body);
	r->headers = curl_slist_append(NULL, auth);
	if (body)
		r->headers = curl_slist_append(r->headers, "Content-Type: application/json");
	if (accept) {
		char a[512];
		snprintf(a, sizeof(a), "Accept: %s", accept);
		r->headers = curl_slist_append(r->headers, a);
	}
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers);
	curl_multi_add_handle(th_multi, r->easy);
	return r;
}

/* A POST of raw bytes with a content type. */
static struct th_req *th_post_bytes(const char *path, const char *ctype, const void *data,
                                    size_t len, const char *token)
{
	struct th_req *r = th_begin("POST", path, NULL, NULL, token);
	char h[256];
	snprintf(h, sizeof(h), "Content-Type: %s", ctype);
	r->headers = curl_slist_append(r->headers, h);
	curl_multi_remove_handle(th_multi, r->easy);
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(r->easy, CURLOPT_COPYPOSTFIELDS, data);
	curl_multi_add_handle(th_multi, r->easy);
	return r;
}

/* Let both sides run for about ms milliseconds. */
static void th_pump(int ms)
{
	int running;
	curl_multi_perform(th_multi, &running);
	curl_multi_poll(th_multi, NULL, 0, ms / 2 + 1, NULL);
	curl_multi_perform(th_multi, &running);
	if (th_sim.loop)
		evloop_run_once(th_sim.loop, ms / 2 + 1);
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(th_multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		struct th_req *r;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &r->status);
		r->done = true;
	}
}

static long long th_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Pump until the body holds needle (or the request ended when needle is NULL). */
static bool th_wait(struct th_req *r, const char *needle, int timeout_ms)
{
	long long end = th_ms() + timeout_ms;
	while (th_ms() < end) {
		if (needle ? (r->body.data && strstr(r->body.data, needle)) : r->done)
			return true;
		th_pump(10);
	}
	return false;
}

static void th_free(struct th_req *r)
{
	curl_multi_remove_handle(th_multi, r->easy);
	curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	buf_free(&r->body);
	free(r);
	th_pump(2);
}

/* A whole request: status and body (the caller frees the request). */
static struct th_req *th_do(const char *method, const char *path, const char *accept,
                            const char *body, const char *token)
{
	struct th_req *r = th_begin(method, path, accept, body, token);
	ck_assert_msg(th_wait(r, NULL, 10000), "no answer to %s %s", method, path);
	return r;
}

static struct th_req *th_get(const char *path)
{
	return th_do("GET", path, NULL, NULL, NULL);
}

#endif
