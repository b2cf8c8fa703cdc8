#ifndef PODSCOPE_SIM_SSAR_H
#define PODSCOPE_SIM_SSAR_H

#include "http.h"

/*
 * POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews: may the
 * requesting user do spec.resourceAttributes (or nonResourceAttributes)?
 * Answered by the same rule that authorises requests (simauth_allowed).
 */
void simssar_handle(struct simreq *r);

#endif
