#ifndef PODSCOPE_CLIENT_H
#define PODSCOPE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/err.h"

/*
 * The HTTPS client to the API server, on the loop's curl multi handle.
 * Certificates, keys and CAs stay in memory (CURLOPT_*_BLOB); credentials
 * come from the resolved kubeconfig (token, token file re-read on change,
 * client certificate, basic, exec plugin with its cache, in-cluster).
 * No secret ever reaches a message made here.
 */

struct ploop;
struct kc_conn;
struct kclient;
struct kreq;

struct kreq_spec {
	const char *method;       /* NULL means GET */
	const char *path;         /* "/api/v1/pods?limit=500": appended to the server URL */
	const char *content_type; /* for bodies */
	const char *body;
	size_t body_len;
	bool stream;              /* a watch: deliver data as it comes, no total timeout */
	long timeout_ms;          /* 0: the default (30 s); ignored for streams */
};

struct kresp {
	long status;        /* HTTP status; 0 when no response came */
	char *body;         /* the whole body (empty when data took it), NUL-terminated */
	size_t body_len;
	long retry_after_s; /* Retry-After in seconds, -1 when absent */
	struct perr err;    /* set on failure or status >= 400: one human line */
};

typedef void (*kreq_data_fn)(void *ud, const char *data, size_t len);
typedef void (*kreq_done_fn)(void *ud, struct kresp *resp);

/* Make a client for conn (copied: conn may be freed after). NULL + err when
 * the credentials cannot be prepared. */
struct kclient *kclient_new(struct ploop *loop, const struct kc_conn *conn, struct perr *err);
/* Cancels what is still running. Not from inside a data callback. */
void kclient_free(struct kclient *c);

/* This client's API server's clock minus the local one, ms (serverclock.h). */
int64_t kclient_skew_ms(const struct kclient *c);

/* Read-only: from now on every request but GET is refused here, before any
 * byte is sent, with an error saying so. This is the one place it is enforced. */
void kclient_set_readonly(struct kclient *c, bool ro);
bool kclient_readonly(const struct kclient *c);

/* Start a request. data, when set, gets the bytes of a 2xx response as
 * they arrive instead of resp->body (a watch's events, a list page taken
 * apart as it comes; an error's body goes to resp->body); done is called
 * once at the end with a response that is freed after it returns.
 * NULL + err when it cannot be started (read-only, credentials). When an
 * exec credential plugin has to run first, it runs on the loop and the
 * request waits for it (doc/auth.md). */
struct kreq *kclient_start(struct kclient *c, const struct kreq_spec *spec, kreq_data_fn data,
			   kreq_done_fn done, void *ud, struct perr *err);

/* Stop a request; done is not called. Allowed anywhere, also from the
 * request's own data callback. */
void kreq_cancel(struct kreq *r);

/* Run one request to completion on the loop (other transfers go on): for the
 * headless commands only, which have nothing else to do meanwhile. Never from
 * the dashboard or the actions, where it would run the loop inside a key
 * handler, and not from inside a data callback: use kclient_start() there. */
void kclient_request(struct kclient *c, const struct kreq_spec *spec, struct kresp *out);

void kresp_free(struct kresp *r);

/* The user name the connection authenticates as, for messages and the audit
 * log ("" when unknown). */
const char *kclient_user(const struct kclient *c);

/* A warning the UI keeps visible while the client is in use, NULL when
 * there is none: TLS verification off (insecure-skip-tls-verify). */
const char *kclient_warning(const struct kclient *c);

/* A Kubernetes Status body (or anything else) with its HTTP status made into
 * one human line; verb and path help explain 401/403/404. Heap string. */
char *kstatus_message(long http_status, const char *body, size_t len, const char *method,
		      const char *path);

#endif
