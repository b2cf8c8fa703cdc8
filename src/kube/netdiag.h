#ifndef PODSCOPE_NETDIAG_H
#define PODSCOPE_NETDIAG_H

#include <stdbool.h>

#include <curl/curl.h>

/* Internal to src/kube: a failed transfer explained in one line with a hint,
 * the way a person would explain it ("connection refused — is the API server
 * running ..."). */

struct knet_fail {
	CURLcode rc;
	const char *errbuf;   /* curl's CURLOPT_ERRORBUFFER text, may be "" */
	long os_errno;        /* CURLINFO_OS_ERRNO */
	const char *server;   /* the kubeconfig's server URL */
	const char *tls_name; /* the name the certificate must carry (tls-server-name or host) */
	const char *proxy;    /* proxy-url or NULL */
	bool connected;       /* a connection was made before the failure */
	long timeout_ms;      /* the limit that applied, for timeouts */
	bool have_cert;       /* a client certificate was offered */
};

/* Heap string; never contains a secret (URLs lose their userinfo). */
char *knet_explain(const struct knet_fail *f);

/* url without userinfo, query and fragment. Heap string. */
char *knet_safe_url(const char *url);

/* The host of url (no port, no brackets), or "" when there is none. Heap. */
char *knet_url_host(const char *url);

#endif
