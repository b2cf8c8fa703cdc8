#ifndef PODSCOPE_ROLLOUT_H
#define PODSCOPE_ROLLOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "podscope/model.h"

/*
 * `kubectl rollout status` (DeploymentStatusViewer.Status) and the
 * `kubectl get deploy|rs` columns, plus the controller's rollout tests
 * (DeploymentComplete, DeploymentProgressing, DeploymentTimedOut), exactly;
 * see shared/reference/deployment_controller.md.
 */

enum rollout_state {
	ROLLOUT_WAITING = 0, /* not done yet: kubectl keeps watching */
	ROLLOUT_DONE,        /* "successfully rolled out": kubectl exits 0 */
	ROLLOUT_ERROR,       /* kubectl prints "error: <msg>" and exits 1 */
};

struct rollout_result {
	uint8_t state;  /* enum rollout_state */
	char msg[320];  /* kubectl's message; ends in "\n" unless state is ROLLOUT_ERROR */
};

/*
 * The status viewer for one observation of d. revision is --revision (0 =
 * any). Errors: "desired revision (R) is different from the running
 * revision (C)", "deployment "NAME" exceeded its progress deadline",
 * "cannot get the revision of deployment "NAME": ...". Returns r->state.
 */
int rollout_status(const struct deployment *d, int64_t revision, struct rollout_result *r);

/*
 * StatefulSetStatusViewer.Status and DaemonSetStatusViewer.Status for one
 * observation; kubectl ignores --revision for both kinds. An update
 * strategy other than RollingUpdate (OnDelete, or none) is ROLLOUT_ERROR
 * "rollout status is only available for RollingUpdate strategy type". As
 * in kubectl, a StatefulSet whose rollingUpdate is set (the API server
 * always sets it) ends in "partitioned roll out complete", partition or
 * not. Names are quoted as Go's %q quotes ASCII; counts subtract with
 * Go's int32 wrap-around. Returns r->state.
 */
int rollout_statefulset_status(const struct statefulset *s, struct rollout_result *r);
int rollout_daemonset_status(const struct daemonset *ds, struct rollout_result *r);

/* `kubectl get deployments`: NAME READY UP-TO-DATE AVAILABLE AGE. */
struct rollout_deploy_row {
	char ready[32]; /* "<status.readyReplicas>/<spec.replicas>" */
	int32_t up_to_date;
	int32_t available;
	char age[24];
};
void rollout_deploy_row(const struct deployment *d, int64_t now_ms, struct rollout_deploy_row *row);

/* `kubectl get replicasets`: NAME DESIRED CURRENT READY AGE. */
struct rollout_rs_row {
	int32_t desired;
	int32_t current;
	int32_t ready;
	char age[24];
};
void rollout_rs_row(const struct replicaset *rs, int64_t now_ms, struct rollout_rs_row *row);

/*
 * The rolling update's budgets for a gauge: max_surge and max_unavailable
 * resolved for spec.replicas (MaxSurge, MaxUnavailable: 0 for Recreate),
 * and how much of each the pods use now: surge_used = status.replicas
 * beyond spec.replicas, unavailable_used = spec.replicas not available.
 * Both "used" values are at least 0 and may exceed the budget (e.g. while a
 * deployment is scaled down, or when pods crash).
 */
struct rollout_budget {
	int32_t max_surge;
	int32_t surge_used;
	int32_t max_unavailable;
	int32_t unavailable_used;
};
void rollout_budget(const struct deployment *d, struct rollout_budget *b);

/*
 * DeploymentComplete: the status in st (replicas, updated, available,
 * observed generation) has every replica of d's spec updated and available.
 */
bool rollout_deployment_complete(const struct deployment *d, const struct deployment *st);

/* DeploymentProgressing: st shows progress against d's current status. */
bool rollout_deployment_progressing(const struct deployment *d, const struct deployment *st);

/*
 * DeploymentTimedOut: d has a progress deadline (set and not MaxInt32), st's
 * Progressing condition is not NewReplicaSetAvailable, and it is either
 * ProgressDeadlineExceeded already or its lastUpdateTime + deadline < now.
 */
bool rollout_deployment_timed_out(const struct deployment *d, const struct deployment *st,
				  int64_t now_ms);

#endif
