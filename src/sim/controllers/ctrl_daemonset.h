#ifndef PODSCOPE_SIM_CTRL_DAEMONSET_H
#define PODSCOPE_SIM_CTRL_DAEMONSET_H

/*
 * The DaemonSet controller (pkg/controller/daemon, v1.33): one pod per node
 * that should run it (nodeSelector, required node affinity, taints against
 * the template's tolerations and the ones the controller adds), each pinned
 * to its node by a matchFields metadata.name node affinity term for the
 * scheduler to honour; ControllerRevisions; RollingUpdate with
 * maxUnavailable and maxSurge as update.go's rollingUpdate, or OnDelete;
 * failed pods replaced with a per-node back-off; every status count.
 */

struct sim;

/* A row of controllers.c. */
int simds_start(struct sim *sim);
/* Safe when never started. */
void simds_stop(struct sim *sim);

#endif
