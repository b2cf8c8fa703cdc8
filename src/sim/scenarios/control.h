#ifndef PODSCOPE_SIM_CONTROL_H
#define PODSCOPE_SIM_CONTROL_H

#include <stdbool.h>

#include "http.h"

/*
 * The control interface, on the API's own server under /podscope-sim/v1/:
 *   GET  scenarios  the built-in scenarios and the running ones (any user)
 *   POST scenarios  {"name": "crashloop"}: load a built-in scenario now
 *   POST actions    one step, or {"steps": [...]}, in the scenarios' vocabulary
 *   GET  faults     {"faults": [SPEC, ...], "fired": {NAME: N, ...}} (any user)
 *   POST faults     {"fault": SPEC} turns one on (as --fault SPEC, replacing
 *                   that fault's settings); {"faults": [SPEC, ...]} sets them
 *                   all ([]: none). Answers as GET.
 *   DELETE faults   turns every fault off; ?name=NAME only that one. As GET.
 * POSTs and DELETEs are sim-admin's only (403 for sim-readonly, 401 without
 * credentials). Answers are Kubernetes Status objects (errors: 400 for a bad
 * spec), the scenario list or the faults.
 */

/* Answer r when its path is under /podscope-sim/; false (nothing queued) otherwise. */
bool simctl_handle(struct simreq *r);

#endif
