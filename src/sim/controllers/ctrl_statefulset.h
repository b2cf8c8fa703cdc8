#ifndef PODSCOPE_SIM_CTRL_STATEFULSET_H
#define PODSCOPE_SIM_CTRL_STATEFULSET_H

/*
 * The StatefulSet controller (pkg/controller/statefulset, v1.33): pods
 * NAME-ORDINAL created in order (OrderedReady) or all at once (Parallel),
 * condemned in reverse, ControllerRevisions with currentRevision and
 * updateRevision, RollingUpdate from the highest ordinal down to the
 * partition (maxUnavailable where it is set), OnDelete, the claims of
 * volumeClaimTemplates, and the status counts.
 */

struct sim;

/* A row of controllers.c. */
int simsts_start(struct sim *sim);
/* Safe when never started. */
void simsts_stop(struct sim *sim);

#endif
