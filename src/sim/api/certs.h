#ifndef PODSCOPE_SIM_CERTS_H
#define PODSCOPE_SIM_CERTS_H

#include "podscope/err.h"

/*
 * Throwaway TLS material, made in memory at start (gnutls, ECDSA P-256): a
 * CA, a server certificate for 127.0.0.1 and localhost, and a client
 * certificate for CN=sim-admin, O=system:masters. All PEM strings.
 */
struct simcerts {
	char *ca_pem;
	char *server_cert_pem;
	char *server_key_pem;
	char *client_cert_pem;
	char *client_key_pem;
};

/* 0 on success; on failure -1 with err set and nothing left allocated. */
int simcerts_generate(struct simcerts *c, struct perr *err);

/* Free everything, overwriting the private keys first. */
void simcerts_free(struct simcerts *c);

#endif
