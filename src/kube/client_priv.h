#ifndef PODSCOPE_CLIENT_PRIV_H
#define PODSCOPE_CLIENT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <curl/curl.h>

#include "podscope/buf.h"
#include "podscope/clockskew.h"
#include "podscope/client.h"

#include "loop_xfer.h"

/* Internal to src/kube: what client.c (requests) and client_easy.c (how an
 * easy handle is configured) share. */

#define KCLIENT_DEFAULT_TIMEOUT_MS 30000L
#define KCLIENT_CONNECT_TIMEOUT_MS 10000L

struct kauth;
struct kcreds;
struct ptimer;

struct kclient {
	struct ploop *loop;
	CURLM *multi;
	struct kauth *auth;
	char *user;
	bool readonly;

	/* where to: see kclient_setup_target() */
	char *server;   /* as the kubeconfig says */
	char *base;     /* URL prefix requests use */
	char *host;     /* host of server */
	char *tls_name; /* tls-server-name when it differs from host */
	struct curl_slist *connect_to;
	char *host_header; /* "Host: ..." when base names tls_name */
	unsigned char *ca;
	size_t ca_len;
	bool insecure;
	char *warning;
	char *proxy;
	bool no_proxy; /* loopback server and no proxy-url: ignore https_proxy */

	struct kreq *reqs;        /* running */
	struct kreq *zombies;     /* cancelled inside a curl callback, freed by a timer */
	struct ptimer *add_timer; /* adds requests started inside a curl callback */
	struct clockskew skew;    /* this API server's clock (serverclock.h) */
};

struct kreq {
	struct ploop_xfer xfer; /* first: the loop hands it back */
	struct kclient *c;
	CURLM *multi;
	struct kreq *prev, *next;
	CURL *easy;
	struct curl_slist *headers;

	char *method, *path, *content_type;
	char *req_body;
	size_t req_body_len;
	bool stream;
	long timeout_ms;
	kreq_data_fn data;
	kreq_done_fn done;
	void *ud;

	struct buf body;
	size_t too_large; /* the body passed this limit: the transfer was ended */
	long retry_after;
	int64_t started_wall_ms; /* serverclock_wall_ms() when handed to curl */
	bool retried; /* the one retry after a 401 was spent */
	bool have_cert;
	time_t cert_not_after; /* the client certificate's expiry, 0: unknown */
	bool cancelled;
	bool added; /* in the multi handle (see add_pending()) */
	bool waiting_creds; /* parked while the exec plugin runs (see arm()) */
	struct ptimer *zombie_timer;
	char errbuf[CURL_ERROR_SIZE];
};

/* Work out base URL, TLS and proxy settings and the warning from conn. */
void kclient_setup_target(struct kclient *c, const struct kc_conn *conn);
void kclient_free_target(struct kclient *c);

/* A configured easy handle for r with credentials cr (headers go to
 * r->headers). NULL when curl cannot make one. */
CURL *kclient_make_easy(struct kreq *r, const struct kcreds *cr);

void kreq_destroy(struct kreq *r);

/* Retry-After: seconds, or an HTTP date relative to now; -1 when neither. */
long kclient_parse_retry_after(const char *v, time_t now);

#endif
