#ifndef PODSCOPE_SIM_CTRL_ENDPOINTS_H
#define PODSCOPE_SIM_CTRL_ENDPOINTS_H

/*
 * The endpoints and EndpointSlice controllers: for every Service with a
 * selector (and not of type ExternalName), an Endpoints object of the same
 * name and EndpointSlices labelled kubernetes.io/service-name, computed from
 * the pods of its namespace that the selector matches and that have a podIP:
 *
 *  - Endpoints: ready pods (condition Ready True, not terminating, not
 *    finished) in addresses, the others in notReadyAddresses (terminating
 *    ones left out), with ip, nodeName and targetRef; grouped into subsets
 *    by their resolved ports (named targetPorts looked up in the pod's
 *    container ports; a pod that lacks the name is left out of that port).
 *  - EndpointSlices: one per port set, every endpoint with the conditions
 *    ready, serving and terminating (terminating pods included).
 *
 * Level-triggered: events of pods, services, endpoints and slices mark the
 * services they concern; a 0 ms timer recomputes those and writes only what
 * differs.
 */

struct sim;

int simep_start(struct sim *sim);
void simep_stop(struct sim *sim);

#endif
