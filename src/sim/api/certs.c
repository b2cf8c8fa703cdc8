#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "podscope/xalloc.h"

#include "certs.h"

#define VALID_SECONDS (10L * 365 * 24 * 3600)

struct pair {
	gnutls_x509_crt_t crt;
	gnutls_x509_privkey_t key;
};

static char *export_pem(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key, int *rc)
{
	gnutls_datum_t d = {NULL, 0};
	*rc = crt ? gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d)
	          : gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &d);
	if (*rc < 0)
		return NULL;
	char *s = xmemdup(d.data, d.size);
	if (key)
		memset(d.data, 0, d.size);
	gnutls_free(d.data);
	return s;
}

static void pair_free(struct pair *p)
{
	if (p->crt)
		gnutls_x509_crt_deinit(p->crt);
	if (p->key)
		gnutls_x509_privkey_deinit(p->key);
	p->crt = NULL;
	p->key = NULL;
}

/*
 * Make a key and a certificate for dn. ca == NULL makes a self-signed CA;
 * otherwise purpose names the extended key usage of a leaf certificate.
 */
static int make_pair(struct pair *p, const char *dn, const struct pair *ca, const char *purpose)
{
	int rc;
	unsigned char serial[16], keyid[64];
	size_t keyid_len = sizeof(keyid);
	const char *errp = NULL;
	time_t now = time(NULL);

	if ((rc = gnutls_x509_privkey_init(&p->key)) < 0 ||
	    (rc = gnutls_x509_privkey_generate(p->key, GNUTLS_PK_ECDSA,
	                                       GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
	                                       0)) < 0 ||
	    (rc = gnutls_x509_crt_init(&p->crt)) < 0)
		return rc;
	if ((rc = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial))) < 0)
		return rc;
	serial[0] &= 0x7f; /* a positive serial number */
	serial[0] |= 0x01;
	if ((rc = gnutls_x509_crt_set_version(p->crt, 3)) < 0 ||
	    (rc = gnutls_x509_crt_set_serial(p->crt, serial, sizeof(serial))) < 0 ||
	    (rc = gnutls_x509_crt_set_activation_time(p->crt, now - 3600)) < 0 ||
	    (rc = gnutls_x509_crt_set_expiration_time(p->crt, now + VALID_SECONDS)) < 0 ||
	    (rc = gnutls_x509_crt_set_dn(p->crt, dn, &errp)) < 0 ||
	    (rc = gnutls_x509_crt_set_key(p->crt, p->key)) < 0 ||
	    (rc = gnutls_x509_crt_get_key_id(p->crt, GNUTLS_KEYID_USE_SHA1, keyid, &keyid_len)) <
	        0 ||
	    (rc = gnutls_x509_crt_set_subject_key_id(p->crt, keyid, keyid_len)) < 0)
		return rc;

	if (!ca) {
		if ((rc = gnutls_x509_crt_set_basic_constraints(p->crt, 1, -1)) < 0 ||
		    (rc = gnutls_x509_crt_set_key_usage(
		         p->crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN |
		                     GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0)
			return rc;
		return gnutls_x509_crt_sign2(p->crt, p->crt, p->key, GNUTLS_DIG_SHA256, 0);
	}

	unsigned char ca_id[64];
	size_t ca_id_len = sizeof(ca_id);
	unsigned int critical = 0;
	if ((rc = gnutls_x509_crt_set_basic_constraints(p->crt, 0, -1)) < 0 ||
	    (rc = gnutls_x509_crt_set_key_usage(p->crt, GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0 ||
	    (rc = gnutls_x509_crt_set_key_purpose_oid(p->crt, purpose, 0)) < 0 ||
	    (rc = gnutls_x509_crt_get_subject_key_id(ca->crt, ca_id, &ca_id_len, &critical)) < 0 ||
	    (rc = gnutls_x509_crt_set_authority_key_id(p->crt, ca_id, ca_id_len)) < 0)
		return rc;
	if (strcmp(purpose, GNUTLS_KP_TLS_WWW_SERVER) == 0) {
		static const unsigned char loopback[4] = {127, 0, 0, 1};
		if ((rc = gnutls_x509_crt_set_subject_alt_name(
		         p->crt, GNUTLS_SAN_DNSNAME, "localhost", 9, GNUTLS_FSAN_APPEND)) < 0 ||
		    (rc = gnutls_x509_crt_set_subject_alt_name(p->crt, GNUTLS_SAN_IPADDRESS,
		                                               loopback, sizeof(loopback),
		                                               GNUTLS_FSAN_APPEND)) < 0)
			return rc;
	}
	return gnutls_x509_crt_sign2(p->crt, ca->crt, ca->key, GNUTLS_DIG_SHA256, 0);
}

int simcerts_generate(struct simcerts *c, struct perr *err)
{
	struct pair ca = {0}, srv = {0}, cli = {0};
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = make_pair(&ca, "CN=podscope-sim-ca", NULL, NULL)) < 0 ||
	    (rc = make_pair(&srv, "CN=localhost", &ca, GNUTLS_KP_TLS_WWW_SERVER)) < 0 ||
	    (rc = make_pair(&cli, "O=system:masters,CN=sim-admin", &ca, GNUTLS_KP_TLS_WWW_CLIENT)) <
	        0)
		goto fail;
	if (!(c->ca_pem = export_pem(ca.crt, NULL, &rc)) ||
	    !(c->server_cert_pem = export_pem(srv.crt, NULL, &rc)) ||
	    !(c->server_key_pem = export_pem(NULL, srv.key, &rc)) ||
	    !(c->client_cert_pem = export_pem(cli.crt, NULL, &rc)) ||
	    !(c->client_key_pem = export_pem(NULL, cli.key, &rc)))
		goto fail;
	pair_free(&ca);
	pair_free(&srv);
	pair_free(&cli);
	return 0;
fail:
	perr_set(err, PERR_SYSTEM, "cannot make TLS certificates: %s", gnutls_strerror(rc));
	pair_free(&ca);
	pair_free(&srv);
	pair_free(&cli);
	simcerts_free(c);
	return -1;
}

void simcerts_free(struct simcerts *c)
{
	free(c->ca_pem);
	free(c->server_cert_pem);
	free_secret_str(c->server_key_pem);
	free(c->client_cert_pem);
	free_secret_str(c->client_key_pem);
	memset(c, 0, sizeof(*c));
}
