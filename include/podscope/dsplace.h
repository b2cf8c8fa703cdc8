#ifndef PODSCOPE_DSPLACE_H
#define PODSCOPE_DSPLACE_H

#include <stdbool.h>

#include "podscope/model.h"

/*
 * Whether a DaemonSet should run its pod on a node: upstream's
 * NodeShouldRunDaemonPod (pkg/controller/daemon/daemon_controller.go,
 * v1.33), restated. Pure: no I/O, no store.
 *
 * The template's nodeName must be empty or the node's; the node must match
 * spec.nodeSelector and the required node affinity (nodeSelectorTerms:
 * ORed terms of ANDed matchExpressions In/NotIn/Exists/DoesNotExist/Gt/Lt
 * and matchFields metadata.name In/NotIn); and every NoSchedule or
 * NoExecute taint must be tolerated by the template's tolerations plus
 * those the controller adds to every daemon pod (not-ready and unreachable
 * NoExecute; disk-, memory-, pid-pressure and unschedulable NoSchedule;
 * network-unavailable with hostNetwork). A cordoned node
 * (spec.unschedulable) therefore still runs daemon pods.
 *
 * should_continue: a pod already there may stay (every untolerated taint
 * is NoSchedule, not NoExecute). A pod on a node where should_run is false
 * is misscheduled (status.numberMisscheduled counts those nodes).
 */
enum ds_fit_why {
	DS_FIT_OK = 0,
	DS_FIT_NODE_NAME, /* the template names another node */
	DS_FIT_SELECTOR,  /* spec.template.spec.nodeSelector */
	DS_FIT_AFFINITY,  /* required node affinity */
	DS_FIT_TAINT,     /* an untolerated taint (taint says which) */
};

struct ds_fit {
	bool should_run;
	bool should_continue;
	enum ds_fit_why why;
	const struct node_taint *taint; /* DS_FIT_TAINT: the first untolerated one */
};

void ds_node_fit(const struct daemonset *ds, const struct node *n, struct ds_fit *out);

/* Short words for why: "", "nodeName", "nodeSelector", "affinity", "taint". */
const char *ds_fit_why_name(enum ds_fit_why why);

/* Whether toleration t tolerates taint (core/v1 Toleration.ToleratesTaint). */
bool ds_tolerates(const struct toleration *t, const struct node_taint *taint);

#endif
