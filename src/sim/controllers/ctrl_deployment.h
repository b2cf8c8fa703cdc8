#ifndef PODSCOPE_SIM_CTRL_DEPLOYMENT_H
#define PODSCOPE_SIM_CTRL_DEPLOYMENT_H

#include <stdint.h>

#include <cjson/cJSON.h>

/*
 * The deployment controller and the ReplicaSet controller of podscope-sim
 * (kube-controller-manager's, v1.28 logic; see
 * shared/reference/deployment_controller.md). Pods are deleted gracefully
 * through simpod_delete; what a deleted Deployment or ReplicaSet owned is
 * left to the garbage collector (ctrl_gc.h).
 *
 * Both run on sim->loop: store events mark objects dirty, a 0 ms timer syncs
 * them (ReplicaSets before deployments), and time-based re-checks
 * (minReadySeconds, progressDeadlineSeconds) run on the simulated clock.
 * Events are recorded as "replicaset-controller" (SuccessfulCreate,
 * SuccessfulDelete) and "deployment-controller" (ScalingReplicaSet,
 * DeploymentRollback, ...).
 */

struct sim;

/* controllers.c rows. Start indexes what the store holds and syncs it all. */
int simrsctl_start(struct sim *sim);
void simrsctl_stop(struct sim *sim);
int simdeploy_start(struct sim *sim);
void simdeploy_stop(struct sim *sim);

/*
 * Sync every Deployment and ReplicaSet again soon and re-arm the time-based
 * checks; for whoever moved the clock with simclock_advance (tests,
 * scenarios). No-op when the controllers are not running.
 */
void simdeploy_resync_all(struct sim *sim);

/*
 * The pod-template-hash the deployment controller gives template (a
 * Deployment's spec.template) with collision count cc (< 0: none); the new
 * ReplicaSet is named "<deployment>-<hash>". For scenarios that create
 * ReplicaSets themselves. out needs 11 bytes.
 */
void simdeploy_template_hash(const cJSON *template, int64_t cc, char out[11]);

#endif
