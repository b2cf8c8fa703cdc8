#ifndef PODSCOPE_SIM_KCFGOUT_H
#define PODSCOPE_SIM_KCFGOUT_H

#include "podscope/err.h"

#include "auth.h"

/*
 * Write the kubeconfig for a running simulator: cluster "podscope-sim",
 * contexts "sim-admin" (current) and "sim-readonly", namespace default.
 * Under TLS sim-admin uses the client certificate and the cluster carries
 * the CA; otherwise sim-admin uses its token. sim-readonly always uses its
 * token. Written atomically (a 0600 temp file in the same directory, then
 * rename), so a reader never sees half a file. name: --kubeconfig-context
 * (NULL: the default names). 0 or -1 with err set.
 */
int kcfgout_write(const char *path, const char *name, const char *server_url,
                  const struct simauth *a, struct perr *err);

#endif
