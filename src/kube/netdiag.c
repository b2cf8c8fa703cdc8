#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/sanitize.h"
#include "podscope/xalloc.h"

#include "netdiag.h"

#define DASH " \xe2\x80\x94 "

/* The part of url after "scheme://" and before the path. */
static void split_authority(const char *url, const char **auth, size_t *len, size_t *scheme_len)
{
	const char *p = strstr(url, "://");
	const char *a = p ? p + 3 : url;
	*scheme_len = (size_t)(a - url);
	*auth = a;
	*len = strcspn(a, "/?#");
}

char *knet_safe_url(const char *url)
{
	if (!url)
		return xstrdup("");
	const char *a;
	size_t alen, slen;
	split_authority(url, &a, &alen, &slen);
	struct buf b = BUF_INIT;
	buf_add(&b, url, slen);
	const char *at = memrchr(a, '@', alen);
	const char *host = at ? at + 1 : a;
	buf_add(&b, host, alen - (size_t)(host - a));
	const char *rest = a + alen;
	buf_add(&b, rest, strcspn(rest, "?#"));
	return buf_steal(&b);
}

char *knet_url_host(const char *url)
{
	if (!url)
		return xstrdup("");
	const char *a;
	size_t alen, slen;
	split_authority(url, &a, &alen, &slen);
	const char *at = memrchr(a, '@', alen);
	const char *h = at ? at + 1 : a;
	size_t hlen = alen - (size_t)(h - a);
	if (hlen > 0 && h[0] == '[') {
		const char *close = memchr(h, ']', hlen);
		return close ? xstrndup(h + 1, (size_t)(close - h - 1)) : xstrndup(h, hlen);
	}
	const char *colon = memchr(h, ':', hlen);
	return xstrndup(h, colon ? (size_t)(colon - h) : hlen);
}

static bool has(const char *s, const char *needle)
{
	return s && strcasestr(s, needle) != NULL;
}

/* curl's text, on one line, without a trailing newline. It may quote the
 * server (a certificate's subject name), so it goes through the sanitiser. */
static void add_errbuf(struct buf *b, const char *e)
{
	char *line = xstrdup(e ? e : "");
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	sanitize_add(b, line);
	free(line);
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
}

static bool unknown_ca(const char *e)
{
	return has(e, "unable to get local issuer") || has(e, "self-signed certificate") ||
	       has(e, "self signed certificate") || has(e, "unable to verify the first") ||
	       has(e, "unable to get issuer") || has(e, "unknown ca") ||
	       has(e, "issuer is not known") || has(e, "not trusted");
}

static bool name_mismatch(const char *e)
{
	return has(e, "subject name") || has(e, "does not match target host") ||
	       has(e, "hostname mismatch") || has(e, "no alternative certificate");
}

/* A TLS alert from the server about our certificate. */
static bool cert_rejected(const char *e)
{
	return has(e, "alert bad certificate") || has(e, "certificate required") ||
	       has(e, "alert unknown ca") || has(e, "alert certificate unknown") ||
	       has(e, "certificate expired") || has(e, "alert certificate revoked") ||
	       has(e, "alert access denied");
}

static void explain_tls_verify(struct buf *b, const struct knet_fail *f, const char *srv)
{
	const char *e = f->errbuf;
	if (unknown_ca(e)) {
		buf_printf(b,
			   "TLS: cannot verify %s: certificate signed by unknown authority" DASH
			   "set certificate-authority or certificate-authority-data in the "
			   "kubeconfig to the cluster's CA",
			   srv);
	} else if (name_mismatch(e)) {
		buf_printf(b,
			   "TLS: the certificate of %s is not valid for the name \"%s\"" DASH
			   "use a server name the certificate was issued for, or set "
			   "tls-server-name in the kubeconfig",
			   srv, f->tls_name ? f->tls_name : "");
	} else if (has(e, "expired") || has(e, "not yet valid")) {
		buf_printf(b,
			   "TLS: the certificate of %s is %s" DASH
			   "check the system clock, or renew the server's certificate",
			   srv, has(e, "expired") ? "expired" : "not yet valid");
	} else {
		buf_printf(b, "TLS: cannot verify the certificate of %s: ", srv);
		add_errbuf(b, e);
		buf_adds(b, DASH "check certificate-authority(-data) and tls-server-name in the "
				 "kubeconfig");
	}
}

/* ---- a client certificate's expiry, read from its DER ---- */

/* The 6-bit value of a base64 character, -1 for anything else. */
static int sextet(unsigned char c)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *at = c ? memchr(alphabet, c, 64) : NULL;
	return at ? (int)(at - alphabet) : -1;
}

/* The DER between the first BEGIN CERTIFICATE line and its END line. */
static unsigned char *pem_der(const unsigned char *pem, size_t len, size_t *out_len)
{
	static const char begin[] = "-----BEGIN CERTIFICATE-----", end[] = "-----END";
	const unsigned char *p = memmem(pem, len, begin, sizeof(begin) - 1);
	if (!p)
		return NULL;
	p += sizeof(begin) - 1;
	const unsigned char *stop = memmem(p, len - (size_t)(p - pem), end, sizeof(end) - 1);
	if (!stop)
		return NULL;
	unsigned char *der = xmalloc((size_t)(stop - p) * 3 / 4 + 3);
	size_t n = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (; p < stop; p++) {
		int v = sextet(*p);
		if (v < 0)
			continue; /* line breaks, blanks, '=' */
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			der[n++] = (unsigned char)(acc >> bits);
		}
	}
	*out_len = n;
	return der;
}

/* The DER element at *p (before end): its tag, and *p moved to its content
 * of *clen bytes. False when it does not fit. */
static bool der_open(const unsigned char **p, const unsigned char *end, unsigned *tag, size_t *clen)
{
	const unsigned char *q = *p;
	if (end - q < 2)
		return false;
	*tag = *q++;
	size_t l = *q++;
	if (l & 0x80) {
		unsigned nb = l & 0x7f;
		if (nb == 0 || nb > 4 || (size_t)(end - q) < nb)
			return false;
		for (l = 0; nb > 0; nb--)
			l = (l << 8) | *q++;
	}
	if ((size_t)(end - q) < l)
		return false;
	*p = q;
	*clen = l;
	return true;
}

static time_t der_time(unsigned tag, const unsigned char *s, size_t n)
{
	char t[16];
	size_t ylen = tag == 0x17 ? 2 : 4;
	if ((tag != 0x17 && tag != 0x18) || n != ylen + 11 || s[n - 1] != 'Z')
		return 0;
	for (size_t i = 0; i < n - 1; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	memcpy(t, s, n - 1);
	t[n - 1] = '\0';
	struct tm tm = {0};
	int year = 0;
	for (size_t i = 0; i < ylen; i++)
		year = year * 10 + (t[i] - '0');
	if (tag == 0x17)
		year += year < 50 ? 2000 : 1900;
	const char *r = t + ylen;
	tm.tm_year = year - 1900;
	tm.tm_mon = (r[0] - '0') * 10 + (r[1] - '0') - 1;
	tm.tm_mday = (r[2] - '0') * 10 + (r[3] - '0');
	tm.tm_hour = (r[4] - '0') * 10 + (r[5] - '0');
	tm.tm_min = (r[6] - '0') * 10 + (r[7] - '0');
	tm.tm_sec = (r[8] - '0') * 10 + (r[9] - '0');
	return timegm(&tm);
}

time_t knet_cert_not_after(const unsigned char *pem, size_t len)
{
	size_t dlen = 0, clen;
	unsigned tag;
	unsigned char *der = pem ? pem_der(pem, len, &dlen) : NULL;
	if (!der)
		return 0;
	const unsigned char *p = der, *end = der + dlen;
	time_t t = 0;
	/* Certificate { tbsCertificate { [0] version?, serial, signature,
	 * issuer, validity { notBefore, notAfter } ... } ... } */
	if (!der_open(&p, end, &tag, &clen) || tag != 0x30 || !der_open(&p, end, &tag, &clen) ||
	    tag != 0x30)
		goto out;
	end = p + clen;
	int skip = 3; /* serial, signature, issuer */
	if (p < end && *p == 0xa0)
		skip++;
	for (; skip > 0; skip--) {
		if (!der_open(&p, end, &tag, &clen))
			goto out;
		p += clen;
	}
	if (!der_open(&p, end, &tag, &clen) || tag != 0x30)
		goto out;
	end = p + clen;
	if (!der_open(&p, end, &tag, &clen)) /* notBefore */
		goto out;
	p += clen;
	if (der_open(&p, end, &tag, &clen))
		t = der_time(tag, p, clen);
out:
	free(der);
	return t;
}

void knet_format_time(time_t t, char *out, size_t n)
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, n, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(out, n, "?");
}

static bool cert_expired(const struct knet_fail *f)
{
	return f->have_cert && f->cert_not_after > 0 && f->now > f->cert_not_after;
}

/* The server refused the connection around the handshake, and our client
 * certificate has expired: that is why, whatever curl's text says. */
static void explain_cert_expired(struct buf *b, const struct knet_fail *f, const char *srv)
{
	char when[40];
	knet_format_time(f->cert_not_after, when, sizeof(when));
	buf_printf(b,
		   "TLS: %s refused the connection: the client certificate expired on %s" DASH
		   "get a new one (client-certificate in the kubeconfig)",
		   srv, when);
}

static void explain_cert_rejected(struct buf *b, const struct knet_fail *f, const char *srv)
{
	if (cert_expired(f))
		explain_cert_expired(b, f, srv);
	else if (!f->have_cert)
		buf_printf(b,
			   "TLS: %s asked for a client certificate and none was given" DASH
			   "set client-certificate-data and client-key-data, or a token, for "
			   "this user in the kubeconfig",
			   srv);
	else
		buf_printf(b,
			   "TLS: %s rejected the client certificate" DASH
			   "is it expired, or signed by a CA this cluster does not trust? "
			   "(client-certificate in the kubeconfig)",
			   srv);
}

static void explain_connect(struct buf *b, const struct knet_fail *f, const char *srv)
{
	switch (f->os_errno) {
	case ECONNREFUSED:
		buf_printf(b,
			   "cannot connect to %s: connection refused" DASH
			   "is the API server running and is the kubeconfig's server right?",
			   srv);
		break;
	case ENETUNREACH:
	case EHOSTUNREACH:
		buf_printf(b,
			   "cannot connect to %s: %s" DASH
			   "is the network to the cluster up (VPN, routes)?",
			   srv, strerror((int)f->os_errno));
		break;
	default:
		buf_printf(b, "cannot connect to %s", srv);
		if (f->os_errno)
			buf_printf(b, ": %s", strerror((int)f->os_errno));
		else if (f->errbuf && *f->errbuf) {
			buf_adds(b, ": ");
			add_errbuf(b, f->errbuf);
		}
		buf_adds(b, DASH "is the API server running and reachable from here?");
	}
}

static void explain_timeout(struct buf *b, const struct knet_fail *f, const char *srv)
{
	long s = (f->timeout_ms + 999) / 1000;
	if (has(f->errbuf, "too slow"))
		buf_printf(b,
			   "the connection to %s stalled (almost no data for a long time)" DASH
			   "the API server or the network may be overloaded; try again",
			   srv);
	else if (has(f->errbuf, "SSL connection timeout"))
		buf_printf(b,
			   "the TLS handshake with %s timed out" DASH
			   "is it an HTTPS server, and is no firewall or proxy in the way?",
			   srv);
	else if (!f->connected)
		buf_printf(b,
			   "cannot connect to %s: timed out" DASH
			   "is the server reachable from here (firewall, VPN)?",
			   srv);
	else
		buf_printf(b,
			   "no complete answer from %s within %ld s" DASH
			   "the API server may be overloaded; try again",
			   srv, s);
}

char *knet_explain(const struct knet_fail *f)
{
	char *srv = knet_safe_url(f->server);
	struct buf b = BUF_INIT;
	const char *e = f->errbuf;

	switch (f->rc) {
	case CURLE_COULDNT_CONNECT:
		explain_connect(&b, f, srv);
		break;
	case CURLE_COULDNT_RESOLVE_HOST: {
		char *host = knet_url_host(f->server);
		buf_printf(&b,
			   "cannot resolve the host name \"%s\" of %s" DASH
			   "check the server in the kubeconfig, and DNS (is a VPN needed?)",
			   host, srv);
		free(host);
		break;
	}
	case CURLE_COULDNT_RESOLVE_PROXY: {
		char *host = knet_url_host(f->proxy ? f->proxy : "");
		buf_printf(&b,
			   "cannot resolve the proxy host \"%s\"" DASH
			   "check proxy-url in the kubeconfig or the https_proxy variable",
			   host);
		free(host);
		break;
	}
	case CURLE_OPERATION_TIMEDOUT:
		explain_timeout(&b, f, srv);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		explain_tls_verify(&b, f, srv);
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		if (cert_rejected(e) || cert_expired(f)) {
			explain_cert_rejected(&b, f, srv);
		} else if (f->have_cert && has(e, "getpeername")) {
			/* curl keeps its first complaint: the socket was gone when it
			 * looked, the server having dropped us after the handshake. */
			buf_printf(&b,
				   "TLS: %s closed the connection right after the handshake: "
				   "did it refuse the client certificate?" DASH
				   "is it signed by a CA this cluster trusts? (client-certificate "
				   "in the kubeconfig)",
				   srv);
		} else if (unknown_ca(e) || name_mismatch(e)) {
			explain_tls_verify(&b, f, srv);
		} else if (has(e, "wrong version number") || has(e, "packet length too long")) {
			buf_printf(&b,
				   "TLS handshake with %s failed: the server does not speak "
				   "TLS on that port" DASH
				   "is the port right, and is it an https:// API server?",
				   srv);
		} else if (f->rc == CURLE_SSL_CONNECT_ERROR) {
			buf_printf(&b, "TLS handshake with %s failed: ", srv);
			add_errbuf(&b, e);
			buf_adds(&b, DASH "is it an HTTPS API server, and is a proxy in the way?");
		} else {
			buf_printf(&b, "the connection to %s broke: ", srv);
			add_errbuf(&b, e);
			buf_adds(&b, DASH "the server or a proxy closed it; try again");
		}
		break;
	case CURLE_PARTIAL_FILE:
		buf_printf(&b,
			   "the answer from %s was cut short" DASH
			   "the connection broke, or a proxy cut it; try again",
			   srv);
		break;
	case CURLE_GOT_NOTHING:
		if (cert_expired(f)) {
			explain_cert_expired(&b, f, srv);
			break;
		}
		buf_printf(&b,
			   "%s closed the connection without answering" DASH
			   "is that port an API server, and does it want a client certificate?",
			   srv);
		break;
	case CURLE_SSL_CERTPROBLEM:
		buf_adds(&b, "the client certificate or key cannot be used");
		if (e && *e) {
			buf_adds(&b, " (");
			add_errbuf(&b, e);
			buf_adds(&b, ")");
		}
		buf_adds(&b, DASH "check client-certificate(-data) and client-key(-data): PEM, "
				  "and the key must belong to the certificate");
		break;
	case CURLE_SSL_CACERT_BADFILE:
		buf_adds(&b, "the certificate authority cannot be loaded" DASH
			     "certificate-authority(-data) in the kubeconfig must be PEM");
		break;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		buf_printf(&b,
			   "the server URL \"%s\" is not usable" DASH
			   "the kubeconfig's server must look like https://host:port",
			   srv);
		break;
	default:
		buf_printf(&b, "request to %s failed: %s", srv, curl_easy_strerror(f->rc));
		if (e && *e) {
			buf_adds(&b, " (");
			add_errbuf(&b, e);
			buf_adds(&b, ")");
		}
		if (f->proxy)
			buf_adds(&b, DASH "check proxy-url in the kubeconfig");
	}
	free(srv);
	return buf_steal(&b);
}
