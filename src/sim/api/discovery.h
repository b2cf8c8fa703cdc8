#ifndef PODSCOPE_SIM_DISCOVERY_H
#define PODSCOPE_SIM_DISCOVERY_H

#include <stdbool.h>

#include "http.h"

/*
 * The non-resource paths: /version, /api, /api/v1, /apis, /apis/GROUP,
 * /apis/GROUP/VERSION, /healthz, /livez, /readyz, and a quick 404 for
 * /openapi/v2 and /openapi/v3. True when the path was one of these (an
 * answer has been queued).
 */
bool simdisc_handle(struct simreq *r);

#endif
