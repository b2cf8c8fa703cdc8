#ifndef PODSCOPE_NETDIAG_H
#define PODSCOPE_NETDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <curl/curl.h>

/* Internal to src/kube: a failed transfer explained in one line with a hint,
 * the way a person would explain it ("connection refused — is the API server
 * running ..."). */

struct knet_fail {
	CURLcode rc;
	const char *errbuf;    /* curl's CURLOPT_ERRORBUFFER text, may be "" */
	long os_errno;         /* CURLINFO_OS_ERRNO */
	const char *server;    /* the kubeconfig's server URL */
	const char *tls_name;  /* the name the certificate must carry (tls-server-name or host) */
	const char *proxy;     /* proxy-url or NULL */
	bool connected;        /* a connection was made before the failure */
	long timeout_ms;       /* the limit that applied, for timeouts */
	bool have_cert;        /* a client certificate was offered */
	time_t cert_not_after; /* its expiry (knet_cert_not_after), 0: unknown */
	time_t now;
};

/* Heap string; never contains a secret (URLs lose their userinfo). */
char *knet_explain(const struct knet_fail *f);

/* The notAfter of the first certificate in a PEM text, 0 when it cannot be
 * read. */
time_t knet_cert_not_after(const unsigned char *pem, size_t len);

/* A time for messages: "2020-01-02 00:00 UTC". */
void knet_format_time(time_t t, char *out, size_t n);

/* url without userinfo, query and fragment. Heap string. */
char *knet_safe_url(const char *url);

/* The host of url (no port, no brackets), or "" when there is none. Heap. */
char *knet_url_host(const char *url);

#endif
