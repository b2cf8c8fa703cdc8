#ifndef PODSCOPE_SIM_APP_H
#define PODSCOPE_SIM_APP_H

#include "podscope/err.h"

#include "sim.h"

/*
 * Bring a whole simulator up from sim->cfg, and down again: the loop,
 * credentials, the store (seeded, scenarios loaded), watches, the request
 * log, the listening socket, then the kubeconfig. main() and the in-process
 * tests use the same two calls.
 */

/* 0, or -1 with err set; after a failure simapp_stop still cleans up. */
int simapp_start(struct sim *sim, struct perr *err);

/* End the watch streams, close the server, free everything. */
void simapp_stop(struct sim *sim);

/*
 * Only what others can see: end the watch streams, close the server and the
 * request log. For a process about to exit on a signal, where freeing a big
 * store one object at a time would take seconds; simapp_stop may follow.
 */
void simapp_stop_serving(struct sim *sim);

/* Objects a resource may hold unless --max-objects says otherwise; more
 * when the load scenario asks for more pods or Deployments. */
#define SIMAPP_MAX_OBJECTS 200000
size_t simapp_max_objects(const struct sim_config *c);

/* sim->cfg with the defaults (port 0, speed 1, 3 nodes, ...). */
void simapp_defaults(struct sim_config *cfg);

#endif
