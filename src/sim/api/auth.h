#ifndef PODSCOPE_SIM_AUTH_H
#define PODSCOPE_SIM_AUTH_H

#include <stdbool.h>

#include "podscope/err.h"

#include "certs.h"

/*
 * Who may do what. Three users: sim-admin (a client certificate under --tls,
 * or a bearer token) may do everything; sim-readonly (a bearer token) may only
 * get, list and watch, as an RBAC "view" binding would allow; sim-deployer (a
 * bearer token) may in addition patch and update deployments and their scale,
 * and nothing else (a typical CI role: it may roll out, not delete pods or
 * switch services). Tokens are random per run and never printed.
 */

enum simuser {
	SIMUSER_NONE = 0,
	SIMUSER_ADMIN,
	SIMUSER_READONLY,
	SIMUSER_DEPLOYER,
};

struct simauth;
struct MHD_Connection;

/*
 * Make the tokens and, with tls, the certificates. allow_anonymous: a request
 * with no credentials at all is sim-admin's (kubectl never sends credentials
 * over plain http; kube-apiserver's old insecure port had no authentication
 * either). NULL with err set on failure.
 */
struct simauth *simauth_new(bool tls, bool allow_anonymous, struct perr *err);
void simauth_free(struct simauth *a);

/* The TLS material, or NULL without --tls. */
const struct simcerts *simauth_certs(const struct simauth *a);

/* The bearer token of a user (for the kubeconfig only). */
const char *simauth_token(const struct simauth *a, enum simuser u);

/*
 * The user behind a request: a verified client certificate first, then the
 * Authorization header's bearer token. SIMUSER_NONE when neither is valid.
 */
enum simuser simauth_identify(const struct simauth *a, struct MHD_Connection *conn);

/* The name Kubernetes would know the user by ("system:anonymous" for none). */
const char *simuser_name(enum simuser u);

/* Whether u may use this API verb (get, list, watch, create, patch, ...) on
 * every resource (also: for the simulator's own control interface). */
bool simauth_allowed(enum simuser u, const char *verb);

/* Whether u may use verb on resource (plural) of group ("" for the core
 * group), with sub the subresource or NULL. */
bool simauth_allowed_on(enum simuser u, const char *verb, const char *group, const char *resource,
                        const char *sub);

#endif
