#ifndef PODSCOPE_SIM_PODDELETE_H
#define PODSCOPE_SIM_PODDELETE_H

#include <stdint.h>

#include "store.h"

struct sim;

/*
 * Graceful pod deletion, as the API server does it (pod strategy's
 * CheckGracefulDelete and the generic BeforeDelete):
 *
 * - grace_s < 0 means "no gracePeriodSeconds given": the pod's
 *   spec.terminationGracePeriodSeconds (30 when absent).
 * - A pod that is not bound to a node (no spec.nodeName) or that has
 *   finished (phase Succeeded or Failed) is removed at once, whatever grace.
 * - Grace 0 removes the pod at once (kubectl delete --grace-period=0 --force,
 *   and what a kubelet does once the pod's containers have stopped).
 * - Otherwise the pod stays, Terminating: metadata.deletionTimestamp = now +
 *   grace (simulated clock), metadata.deletionGracePeriodSeconds = grace. A
 *   second deletion may only shorten the grace period. The kubelet sees the
 *   MODIFIED event, stops the containers and then calls simpod_delete(sim,
 *   ns, name, 0); if nothing has removed the pod when the grace period is
 *   over, a safety timer on the simulated clock removes it.
 * - Pods with metadata.finalizers only get the deletionTimestamp; they go
 *   when the last finalizer is removed through the API.
 *
 * Returns SIMSTORE_OK or SIMSTORE_NOT_FOUND. *out (may be NULL) gets the
 * pod's state after the call, borrowed (the deleted state when it went).
 */
enum simstore_rc simpod_delete(struct sim *sim, const char *ns, const char *name, int64_t grace_s,
			       struct simobj **out);

/* Forget the safety timers of sim (controllers' stop). Safe to call twice. */
void simpod_delete_stop(struct sim *sim);

#endif
