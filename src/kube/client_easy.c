#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "podscope/buf.h"
#include "podscope/kubeconfig.h"
#include "podscope/xalloc.h"

#include "auth.h"
#include "client_priv.h"
#include "netdiag.h"

static bool is_loopback(const char *host)
{
	return strcasecmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
	       strcmp(host, "::1") == 0;
}

/* host as it goes into a URL or CURLOPT_CONNECT_TO: IPv6 in brackets */
static char *url_host(const char *host)
{
	return strchr(host, ':') ? xasprintf("[%s]", host) : xstrdup(host);
}

/*
 * tls-server-name: libcurl (7.88) has no option that sets the name for SNI
 * and certificate verification apart from the URL's host. So the URL names
 * tls-server-name, CURLOPT_CONNECT_TO sends the connection to the real host
 * and port, and a Host header keeps the request's authority the server's
 * (curl turns it into :authority on HTTP/2), which is what client-go does
 * with tls.Config.ServerName. The proxy, if any, is asked to CONNECT to the
 * real host.
 */
static void setup_tls_name(struct kclient *c, const char *scheme, const char *authority,
			   const char *rest, const char *tls_name)
{
	char *host = c->host;
	const char *colon = NULL;
	if (authority[0] == '[') {
		const char *close = strchr(authority, ']');
		colon = close && close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = strrchr(authority, ':');
	}
	const char *port = colon ? colon + 1 : strcasecmp(scheme, "http") == 0 ? "80" : "443";
	char *tn = url_host(tls_name), *h = url_host(host);
	char *rule = xasprintf("%s:%s:%s:%s", tn, port, h, port);
	c->connect_to = curl_slist_append(NULL, rule);
	c->base = xasprintf("%s://%s:%s%s", scheme, tn, port, rest);
	c->host_header = xasprintf("Host: %s", authority);
	c->tls_name = xstrdup(tls_name);
	free(rule);
	free(tn);
	free(h);
}

void kclient_setup_target(struct kclient *c, const struct kc_conn *conn)
{
	c->server = knet_safe_url(conn->server);
	size_t n = strlen(c->server);
	while (n > 0 && c->server[n - 1] == '/')
		c->server[--n] = '\0';
	c->host = knet_url_host(c->server);
	c->insecure = conn->insecure_skip_tls_verify;
	if (conn->ca_data && conn->ca_len && !c->insecure) {
		c->ca = xmemdup(conn->ca_data, conn->ca_len);
		c->ca_len = conn->ca_len;
	}
	c->proxy = conn->proxy_url && *conn->proxy_url ? xstrdup(conn->proxy_url) : NULL;
	/* Go's proxy-from-environment never proxies loopback; curl would. */
	c->no_proxy = !c->proxy && is_loopback(c->host);
	if (c->insecure)
		c->warning = xasprintf("TLS verification is OFF for %s (insecure-skip-tls-verify): "
				       "anyone on the network path can pose as the API server",
				       c->server);

	const char *sep = strstr(c->server, "://");
	bool https = sep && strncasecmp(c->server, "https", 5) == 0 && sep == c->server + 5;
	if (sep && https && conn->tls_server_name && *conn->tls_server_name &&
	    strcasecmp(conn->tls_server_name, c->host) != 0) {
		char *scheme = xstrndup(c->server, (size_t)(sep - c->server));
		const char *a = sep + 3;
		size_t alen = strcspn(a, "/");
		char *authority = xstrndup(a, alen);
		setup_tls_name(c, scheme, authority, a + alen, conn->tls_server_name);
		free(scheme);
		free(authority);
	} else {
		c->base = xstrdup(c->server);
	}
}

void kclient_free_target(struct kclient *c)
{
	free(c->server);
	free(c->base);
	free(c->host);
	free(c->tls_name);
	curl_slist_free_all(c->connect_to);
	free(c->host_header);
	free(c->ca);
	free(c->warning);
	free(c->proxy);
}

static void set_blob(CURL *e, CURLoption opt, const unsigned char *p, size_t n)
{
	struct curl_blob blob = {.data = (void *)p, .len = n, .flags = CURL_BLOB_COPY};
	curl_easy_setopt(e, opt, &blob);
}

static struct curl_slist *add_header(struct curl_slist *h, const char *line)
{
	struct curl_slist *n = curl_slist_append(h, line);
	return n ? n : h;
}

static void setup_method(CURL *e, struct kreq *r)
{
	if (strcmp(r->method, "GET") == 0)
		return;
	if (strcmp(r->method, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
		return;
	}
	curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
	if (r->req_body || strcmp(r->method, "POST") == 0 || strcmp(r->method, "PUT") == 0 ||
	    strcmp(r->method, "PATCH") == 0) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->req_body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->req_body ? r->req_body : "");
	}
}

CURL *kclient_make_easy(struct kreq *r, const struct kcreds *cr)
{
	struct kclient *c = r->c;
	CURL *e = curl_easy_init();
	if (!e)
		return NULL;
	char *url = xasprintf("%s%s%s", c->base, r->path[0] == '/' ? "" : "/", r->path);
	curl_easy_setopt(e, CURLOPT_URL, url);
	free(url);
	/* Never: verbose output would print the Authorization header. */
	curl_easy_setopt(e, CURLOPT_VERBOSE, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https,http");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTPS | CURLPROTO_HTTP));
#endif
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "podscope/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, KCLIENT_CONNECT_TIMEOUT_MS);

	if (c->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	} else {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
		if (c->ca) {
			/* The kubeconfig's authority is the only one trusted, as in
			 * client-go (a pool of just that CA): curl would add the
			 * system bundle and path, and parse 140 roots per handle. */
			set_blob(e, CURLOPT_CAINFO_BLOB, c->ca, c->ca_len);
			curl_easy_setopt(e, CURLOPT_CAINFO, NULL);
			curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
		}
	}
	if (c->connect_to)
		curl_easy_setopt(e, CURLOPT_CONNECT_TO, c->connect_to);
	if (c->proxy)
		curl_easy_setopt(e, CURLOPT_PROXY, c->proxy);
	else if (c->no_proxy)
		curl_easy_setopt(e, CURLOPT_NOPROXY, "*");

	if (r->stream) {
		/* A watch may be quiet for minutes: no timeouts, keepalives find
		 * a dead peer. */
		curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
		curl_easy_setopt(e, CURLOPT_TCP_KEEPIDLE, 30L);
		curl_easy_setopt(e, CURLOPT_TCP_KEEPINTVL, 10L);
	} else {
		/* Lists arrive in pages taken apart as they come: 64 KiB reads. */
		curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 64L * 1024);
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, r->timeout_ms);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 30L);
	}

	struct curl_slist *h = NULL;
	h = add_header(h, "Accept: application/json");
	h = add_header(h, "Expect:");
	if (c->host_header)
		h = add_header(h, c->host_header);
	if (r->content_type) {
		char *ct = xasprintf("Content-Type: %s", r->content_type);
		h = add_header(h, ct);
		free(ct);
	}
	if (cr->token) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "Authorization: Bearer %s", cr->token);
		h = add_header(h, b.data);
		buf_free_secret(&b);
	}
	r->headers = h;
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);

	if (cr->cert && cr->key) {
		set_blob(e, CURLOPT_SSLCERT_BLOB, cr->cert, cr->cert_len);
		curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
		set_blob(e, CURLOPT_SSLKEY_BLOB, cr->key, cr->key_len);
		curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
	}
	if (cr->username) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, cr->username);
		curl_easy_setopt(e, CURLOPT_PASSWORD, cr->password ? cr->password : "");
	}
	setup_method(e, r);
	return e;
}
