#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "app.h"
#include "auth.h"
#include "evloop.h"
#include "server.h"
#include "simhttp.h"

struct sim th_sim;
CURLM *th_multi;

void th_start(size_t window, int bookmark_s)
{
	struct sim_config cfg;
	struct perr err = {0};
	simapp_defaults(&cfg);
	cfg.frozen = true;
	if (window)
		cfg.event_window = window;
	if (bookmark_s)
		cfg.bookmark_interval_s = bookmark_s;
	ck_assert_msg(th_start_cfg(&cfg, &err) == 0, "%s", perr_msg(&err));
}

int th_start_cfg(const struct sim_config *cfg, struct perr *err)
{
	memset(&th_sim, 0, sizeof(th_sim));
	th_sim.cfg = *cfg;
	th_multi = curl_multi_init();
	return simapp_start(&th_sim, err);
}

void th_stop(void)
{
	curl_multi_cleanup(th_multi);
	th_multi = NULL;
	simapp_stop(&th_sim);
}

size_t th_write(char *p, size_t size, size_t n, void *ud)
{
	buf_add(&((struct th_req *)ud)->body, p, size * n);
	return size * n;
}

struct th_req *th_begin(const char *method, const char *path, const char *accept, const char *body,
			const char *token)
{
	struct th_req *r = calloc(1, sizeof(*r));
	ck_assert_ptr_nonnull(r);
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

void th_set_body(struct th_req *r, const char *ctype, const void *data, size_t len)
{
	/* Options change only while the handle is out of the multi. */
	curl_multi_remove_handle(th_multi, r->easy);
	if (ctype) {
		char h[256];
		snprintf(h, sizeof(h), "Content-Type: %s", ctype);
		r->headers = curl_slist_append(r->headers, h);
		curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers);
	}
	curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(r->easy, CURLOPT_COPYPOSTFIELDS, data);
	curl_multi_add_handle(th_multi, r->easy);
}

struct th_req *th_post_bytes(const char *path, const char *ctype, const void *data, size_t len,
			     const char *token)
{
	struct th_req *r = th_begin("POST", path, NULL, NULL, token);
	th_set_body(r, ctype, data, len);
	return r;
}

void th_pump(int ms)
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

long long th_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool th_wait(struct th_req *r, const char *needle, int timeout_ms)
{
	long long end = th_ms() + timeout_ms;
	while (th_ms() < end) {
		if (needle ? (r->body.data && strstr(r->body.data, needle)) : r->done)
			return true;
		th_pump(10);
	}
	return false;
}

void th_free(struct th_req *r)
{
	curl_multi_remove_handle(th_multi, r->easy);
	curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	buf_free(&r->body);
	free(r);
	th_pump(2);
}

struct th_req *th_do(const char *method, const char *path, const char *accept, const char *body,
		     const char *token)
{
	struct th_req *r = th_begin(method, path, accept, body, token);
	ck_assert_msg(th_wait(r, NULL, 10000), "no answer to %s %s", method, path);
	return r;
}

struct th_req *th_get(const char *path)
{
	return th_do("GET", path, NULL, NULL, NULL);
}
