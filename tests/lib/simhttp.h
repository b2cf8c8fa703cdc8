#ifndef PODSCOPE_SIMHTTP_H
#define PODSCOPE_SIMHTTP_H

/*
 * An in-process podscope-sim for tests, and a libcurl client that runs in
 * the same thread: every wait alternates between curl and the simulator's
 * loop, so the test can also write to the store between two events of a
 * watch. One simulator per test process (prefix th_, "test HTTP").
 */

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

#include "podscope/buf.h"
#include "podscope/err.h"

#include "sim.h"

struct th_req {
	CURL *easy;
	struct curl_slist *headers;
	struct buf body;
	long status;
	bool done;
};

/* The simulator under test and the client's multi handle: public, because
 * the tests read and write the store between requests and some add their
 * own transfers. */
extern struct sim th_sim;
extern CURLM *th_multi;

/* Start a frozen simulator (the API is under test, the cluster holds still);
 * window and bookmark_s 0: the defaults. Fails the test when it cannot. */
void th_start(size_t window, int bookmark_s);
/* Start the simulator with cfg (simapp_defaults() and the test's changes):
 * 0, or -1 with err set; th_stop() cleans up after either. */
int th_start_cfg(const struct sim_config *cfg, struct perr *err);
void th_stop(void);

/* A CURLOPT_WRITEFUNCTION appending to the struct th_req in ud's body. */
size_t th_write(char *p, size_t size, size_t n, void *ud);

/* Start a request; accept and body may be NULL; token NULL: the admin's. */
struct th_req *th_begin(const char *method, const char *path, const char *accept, const char *body,
			const char *token);
/* Give a started request a body of len bytes (copied) of content type ctype. */
void th_set_body(struct th_req *r, const char *ctype, const void *data, size_t len);
/* A POST of raw bytes with a content type. */
struct th_req *th_post_bytes(const char *path, const char *ctype, const void *data, size_t len,
			     const char *token);
/* Let both sides run for about ms milliseconds. */
void th_pump(int ms);
/* The monotonic clock in ms, for the tests' deadlines. */
long long th_ms(void);
/* Pump until the body holds needle (or the request ended when needle is
 * NULL); false after timeout_ms. */
bool th_wait(struct th_req *r, const char *needle, int timeout_ms);
void th_free(struct th_req *r);
/* A whole request, failing the test when no answer comes (free it). */
struct th_req *th_do(const char *method, const char *path, const char *accept, const char *body,
		     const char *token);
struct th_req *th_get(const char *path);

#endif
