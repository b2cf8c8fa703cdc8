#ifndef PODSCOPE_SIM_CONTROL_H
#define PODSCOPE_SIM_CONTROL_H

#include <stdbool.h>

#include "http.h"

/*
 * The control interface, on the API's own server under /podscope-sim/v1/:
 *   GET  scenarios  the built-in scenarios and the running ones (any user)
 *   POST scenarios  {"name": "crashloop"}: load a built-in scenario now
 *   POST actions    one step, or {"steps": [...]}, in the scenarios' vocabulary
 * POSTs are sim-admin's only (403 for sim-readonly, 401 without credentials).
 * Answers are Kubernetes Status objects, or the scenario list.
 */

/* Answer r when its path is under /podscope-sim/; false (nothing queued) otherwise. */
bool simctl_handle(struct simreq *r);

#endif
