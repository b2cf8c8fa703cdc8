#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>

#include "podscope/xalloc.h"

#include "auth.h"

#define TOKEN_BYTES 24

struct simauth {
	bool tls;
	bool allow_anonymous;
	struct simcerts certs;
	char *admin_token;
	char *readonly_token;
	char *deployer_token;
};

static char *random_token(const char *prefix, struct perr *err)
{
	unsigned char raw[TOKEN_BYTES];
	static const char hex[] = "0123456789abcdef";
	if (gnutls_rnd(GNUTLS_RND_KEY, raw, sizeof(raw)) < 0) {
		perr_set(err, PERR_SYSTEM, "cannot make a random token");
		return NULL;
	}
	size_t plen = strlen(prefix);
	char *s = xmalloc(plen + 2 * TOKEN_BYTES + 1);
	memcpy(s, prefix, plen);
	for (size_t i = 0; i < TOKEN_BYTES; i++) {
		s[plen + 2 * i] = hex[raw[i] >> 4];
		s[plen + 2 * i + 1] = hex[raw[i] & 15];
	}
	s[plen + 2 * TOKEN_BYTES] = '\0';
	memset(raw, 0, sizeof(raw));
	return s;
}

struct simauth *simauth_new(bool tls, bool allow_anonymous, struct perr *err)
{
	struct simauth *a = xcalloc(1, sizeof(*a));
	a->tls = tls;
	a->allow_anonymous = allow_anonymous;
	if (!(a->admin_token = random_token("sim-admin.", err)) ||
	    !(a->readonly_token = random_token("sim-readonly.", err)) ||
	    !(a->deployer_token = random_token("sim-deployer.", err)) ||
	    (tls && simcerts_generate(&a->certs, err) != 0)) {
		simauth_free(a);
		return NULL;
	}
	return a;
}

void simauth_free(struct simauth *a)
{
	if (!a)
		return;
	simcerts_free(&a->certs);
	free_secret_str(a->admin_token);
	free_secret_str(a->readonly_token);
	free_secret_str(a->deployer_token);
	free(a);
}

const struct simcerts *simauth_certs(const struct simauth *a)
{
	return a->tls ? &a->certs : NULL;
}

const char *simauth_token(const struct simauth *a, enum simuser u)
{
	switch (u) {
	case SIMUSER_ADMIN:
		return a->admin_token;
	case SIMUSER_READONLY:
		return a->readonly_token;
	case SIMUSER_DEPLOYER:
		return a->deployer_token;
	default:
		return NULL;
	}
}

/* Compare without leaking where the first difference is. */
static bool token_equal(const char *given, size_t given_len, const char *want)
{
	size_t n = strlen(want);
	unsigned char diff = given_len != n;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(given[i < given_len ? i : 0] ^ want[i]);
	return diff == 0;
}

static enum simuser from_certificate(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session)
		return SIMUSER_NONE;
	gnutls_session_t session = ci->tls_session;
	unsigned int status = 0, n = 0;
	/* MHD made the session trust our CA (MHD_OPTION_HTTPS_MEM_TRUST). */
	const gnutls_datum_t *peers = gnutls_certificate_get_peers(session, &n);
	if (!peers || n == 0 || gnutls_certificate_verify_peers2(session, &status) < 0 ||
	    status != 0)
		return SIMUSER_NONE;
	gnutls_x509_crt_t crt;
	if (gnutls_x509_crt_init(&crt) < 0)
		return SIMUSER_NONE;
	char cn[128];
	size_t cn_len = sizeof(cn);
	enum simuser u = SIMUSER_NONE;
	if (gnutls_x509_crt_import(crt, &peers[0], GNUTLS_X509_FMT_DER) >= 0 &&
	    gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &cn_len) >=
	        0) {
		if (strcmp(cn, "sim-admin") == 0)
			u = SIMUSER_ADMIN;
		else if (strcmp(cn, "sim-readonly") == 0)
			u = SIMUSER_READONLY;
	}
	gnutls_x509_crt_deinit(crt);
	return u;
}

enum simuser simauth_identify(const struct simauth *a, struct MHD_Connection *conn)
{
	if (a->tls) {
		enum simuser u = from_certificate(conn);
		if (u != SIMUSER_NONE)
			return u;
	}
	const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	if (!h)
		return a->allow_anonymous ? SIMUSER_ADMIN : SIMUSER_NONE;
	if (strncasecmp(h, "Bearer ", 7) != 0)
		return SIMUSER_NONE;
	const char *tok = h + 7;
	while (*tok == ' ')
		tok++;
	size_t len = strlen(tok);
	while (len && tok[len - 1] == ' ')
		len--;
	if (token_equal(tok, len, a->admin_token))
		return SIMUSER_ADMIN;
	if (token_equal(tok, len, a->readonly_token))
		return SIMUSER_READONLY;
	if (token_equal(tok, len, a->deployer_token))
		return SIMUSER_DEPLOYER;
	return SIMUSER_NONE;
}

const char *simuser_name(enum simuser u)
{
	switch (u) {
	case SIMUSER_ADMIN:
		return "sim-admin";
	case SIMUSER_READONLY:
		return "sim-readonly";
	case SIMUSER_DEPLOYER:
		return "sim-deployer";
	default:
		return "system:anonymous";
	}
}

static bool reads(const char *verb)
{
	return strcmp(verb, "get") == 0 || strcmp(verb, "list") == 0 || strcmp(verb, "watch") == 0;
}

bool simauth_allowed(enum simuser u, const char *verb)
{
	if (u == SIMUSER_ADMIN)
		return true;
	return (u == SIMUSER_READONLY || u == SIMUSER_DEPLOYER) && reads(verb);
}

bool simauth_allowed_on(enum simuser u, const char *verb, const char *group, const char *resource,
                        const char *sub)
{
	if (simauth_allowed(u, verb))
		return true;
	if (u != SIMUSER_DEPLOYER || (strcmp(verb, "patch") != 0 && strcmp(verb, "update") != 0))
		return false;
	return group && strcmp(group, "apps") == 0 && resource &&
	       strcmp(resource, "deployments") == 0 && (!sub || strcmp(sub, "scale") == 0);
}
