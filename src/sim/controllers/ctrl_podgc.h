#ifndef PODSCOPE_SIM_CTRL_PODGC_H
#define PODSCOPE_SIM_CTRL_PODGC_H

/*
 * The pod garbage collector's orphaned pods (pkg/controller/podgc, v1.33,
 * gcOrphaned): the pods bound to a node that was deleted are, once the node
 * has stayed away for the quarantine time (40 s of simulated time), marked
 * Failed with a DisruptionTarget condition (DeletionByPodGC) and deleted
 * with no grace period, since no kubelet will ever stop them. A pod bound to
 * a name that was never a node is left alone, as the simulator always has.
 */

struct sim;

/* A row of controllers.c. */
int simpodgc_start(struct sim *sim);
/* Safe when never started. */
void simpodgc_stop(struct sim *sim);

#endif
