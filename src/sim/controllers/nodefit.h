#ifndef PODSCOPE_SIM_NODEFIT_H
#define PODSCOPE_SIM_NODEFIT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

/*
 * Whether a pod fits a node, as the scheduler's NodeAffinity and
 * TaintToleration plugins and the DaemonSet controller's predicates decide
 * it (component-helpers nodeaffinity, v1helper's taint helpers): the pod
 * spec's nodeSelector and required node affinity (matchExpressions on the
 * node's labels, matchFields on metadata.name), and the node's taints
 * against the pod's tolerations. Shared by sched.c and the DaemonSet
 * controller.
 */

#define SIMNODE_NO_SCHEDULE        1u
#define SIMNODE_PREFER_NO_SCHEDULE 2u
#define SIMNODE_NO_EXECUTE         4u

#define SIMNODE_TAINT_UNSCHEDULABLE "node.kubernetes.io/unschedulable"
#define SIMNODE_TAINT_NOT_READY     "node.kubernetes.io/not-ready"

/* GetRequiredNodeAffinity(pod).Match(node): nodeSelector and the required
 * node affinity terms (ORed; a term's requirements ANDed). */
bool simnode_affinity_matches(const cJSON *pod_spec, const cJSON *node);

/*
 * The node's taints as the node lifecycle controller keeps them: spec.taints,
 * plus node.kubernetes.io/unschedulable:NoSchedule on a cordoned node and
 * node.kubernetes.io/not-ready:NoSchedule on one whose Ready condition is not
 * True (TaintNodesByCondition), where they are missing. Caller frees.
 */
cJSON *simnode_taints(const cJSON *node);

/* Toleration.ToleratesTaint. */
bool simnode_tolerates(const cJSON *toleration, const cJSON *taint);

/* FindMatchingUntoleratedTaint over the taints whose effect is in effects
 * (SIMNODE_* bits): the first one no toleration tolerates, or NULL. */
const cJSON *simnode_untolerated(const cJSON *taints, const cJSON *tolerations, unsigned effects);

#endif
