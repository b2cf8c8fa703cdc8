#ifndef PODSCOPE_SIM_CTRL_DEPLOYMENT_LOGIC_H
#define PODSCOPE_SIM_CTRL_DEPLOYMENT_LOGIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kintstr.h"

struct cJSON;

/*
 * The deployment and ReplicaSet controllers' decisions as pure functions over
 * small structs (pkg/controller/deployment v1.28, restated in
 * shared/reference/deployment_controller.md): which ReplicaSets to scale and
 * how far, which to clean up, which pods to delete first, and how the status
 * and its conditions move. The store-facing code (ctrl_deployment.c,
 * ctrl_replicaset.c) only reads objects into these structs and applies the
 * operations they return, in order.
 */

#define DL_NONE ((size_t)-1)

/* One ReplicaSet of a deployment, as the decisions need it. */
struct dl_rs {
	const char *name;
	int64_t created_ms;        /* creationTimestamp */
	int64_t revision;          /* deployment.kubernetes.io/revision; 0 when missing */
	bool revision_bad;         /* the annotation is there but not an integer */
	const char *desired_annot; /* deployment.kubernetes.io/desired-replicas or NULL */
	const char *max_annot;     /* deployment.kubernetes.io/max-replicas or NULL */
	int32_t spec;              /* spec.replicas */
	int32_t replicas;          /* status.replicas */
	int32_t ready;             /* status.readyReplicas */
	int32_t available;         /* status.availableReplicas */
	int64_t generation;
	int64_t observed_generation;
	bool deleting; /* metadata.deletionTimestamp is set */
	/* Its ReplicaFailure condition (NULL reason: none), which
	 * getReplicaFailures copies onto the Deployment. */
	const char *failure_reason, *failure_message;
	uint8_t failure_status; /* enum dl_cond_status */
	int64_t failure_ms;     /* lastTransitionTime */
};

/*
 * One scaling of one ReplicaSet (scaleReplicaSet): spec.replicas becomes to
 * and the desired-replicas / max-replicas annotations are set for the
 * deployment. dir is "up" or "down" (the event's word); an op with from ==
 * to only refreshes the annotations and emits no event.
 */
struct dl_op {
	size_t rs;
	int32_t from;
	int32_t to;
	const char *dir;
};

struct dl_ops {
	struct dl_op *v;
	size_t n, cap;
};

void dl_ops_free(struct dl_ops *ops);

/* --- the deployment, its status and conditions --------------------------- */

enum dl_cond_status { DL_COND_UNKNOWN = 0, DL_COND_TRUE, DL_COND_FALSE };

struct dl_cond {
	char type[24];
	uint8_t status; /* enum dl_cond_status */
	char reason[40];
	char message[320];
	int64_t last_update;
	int64_t last_transition;
};

#define DL_MAX_CONDS 8

struct dl_status {
	int64_t observed_generation;
	int32_t replicas;
	int32_t updated;
	int32_t ready;
	int32_t available;
	int32_t unavailable;
	int32_t collision_count;
	bool has_collision_count;
	size_t nconds;
	struct dl_cond conds[DL_MAX_CONDS];
};

/*
 * The deployment as the decisions see it, read from its JSON by
 * dl_deployment_decode: spec_replicas is what the controller reads as
 * *spec.replicas, status counts and conditions as last written.
 */
struct dl_deployment {
	int64_t generation;
	int64_t observed_generation;
	struct kstrategy strategy;
	int32_t spec_replicas;
	bool has_spec_replicas;
	bool paused;
	int32_t min_ready_seconds;
	int32_t progress_deadline_seconds; /* -1: unset */
	int32_t replicas;
	int32_t updated_replicas;
	int32_t ready_replicas;
	int32_t available_replicas;
	int32_t unavailable_replicas;
	size_t nconds;
	struct dl_cond conds[DL_MAX_CONDS];
};

/* Fill d from a Deployment's JSON (missing or mistyped fields: zero). */
void dl_deployment_decode(const struct cJSON *dj, struct dl_deployment *d);

/* ReplicaSetsByCreationTimestamp over the indexes idx[0..n). */
void dl_sort_by_creation(const struct dl_rs *rs, size_t *idx, size_t n);
/* ReplicaSetsByRevision (missing = 0; bad or equal: by creation, then name). */
void dl_sort_by_revision(const struct dl_rs *rs, size_t *idx, size_t n);

/* spec.replicas + MaxSurge, the max-replicas annotation's value. */
int32_t dl_max_replicas(const struct dl_deployment *d);

/* ReplicasAnnotationsNeedUpdate for rs against d. */
bool dl_annotations_need_update(const struct dl_deployment *d, const struct dl_rs *rs);

/*
 * reconcileNewReplicaSet: scale the new RS (index nw) toward d's size.
 * Returns true when it scaled (one op appended, rs[nw].spec updated).
 */
bool dl_reconcile_new(const struct dl_deployment *d, struct dl_rs *rs, size_t n, size_t nw,
		      struct dl_ops *ops);

/*
 * cleanupUnhealthyReplicas over old[0..nold) (sorted here by creation):
 * scale each down by its unavailable replicas, at most max_cleanup in all.
 * Returns how many replicas it took away.
 */
int32_t dl_cleanup_unhealthy(struct dl_rs *rs, size_t *old, size_t nold, int32_t max_cleanup,
			     struct dl_ops *ops);

/*
 * scaleDownOldReplicaSetsForRollingUpdate: all[0..nall) are the RSs whose
 * availableReplicas count, old[0..nold) the old ones (sorted here). Returns
 * how many replicas it took away.
 */
int32_t dl_scale_down_old_rolling(const struct dl_deployment *d, struct dl_rs *rs,
				  const size_t *all, size_t nall, size_t *old, size_t nold,
				  struct dl_ops *ops);

/*
 * reconcileOldReplicaSets over the active old RSs (every RS but nw with
 * spec > 0). Returns true when anything was scaled down.
 */
bool dl_reconcile_old(const struct dl_deployment *d, struct dl_rs *rs, size_t n, size_t nw,
		      struct dl_ops *ops);

/* scaleReplicaSetAndRecordEvent: one op when rs[i].spec != to. */
bool dl_scale_to(struct dl_rs *rs, size_t i, int32_t to, struct dl_ops *ops);

/* scaleDownOldReplicaSetsForRecreate: every active RS but nw to 0. */
bool dl_scale_down_old_recreate(struct dl_rs *rs, size_t n, size_t nw, struct dl_ops *ops);

/* IsSaturated: the new RS runs the deployment's full size, all available. */
bool dl_is_saturated(const struct dl_deployment *d, const struct dl_rs *rs);

/* isScalingEvent: an active RS's desired-replicas differs from spec.replicas. */
bool dl_is_scaling_event(const struct dl_deployment *d, const struct dl_rs *rs, size_t n);

/*
 * scale(): FindActiveOrLatest, saturation, then proportional scaling for
 * RollingUpdate. nw may be DL_NONE. Appends one op per RS it updates.
 */
void dl_scale(const struct dl_deployment *d, struct dl_rs *rs, size_t n, size_t nw,
	      struct dl_ops *ops);

/*
 * cleanupDeployment: which old RSs (all but nw) revisionHistoryLimit lets go.
 * limit < 0 or INT32_MAX: none. Writes indexes to out (room for n) and
 * returns how many.
 */
size_t dl_cleanup_victims(int32_t limit, const struct dl_rs *rs, size_t n, size_t nw, size_t *out);

/* The status d carries now (its conditions copied). */
void dl_status_from(const struct dl_deployment *d, int32_t collision_count, bool has_collision,
		    struct dl_status *st);
const struct dl_cond *dl_get_condition(const struct dl_status *st, const char *type);
void dl_remove_condition(struct dl_status *st, const char *type);
/* NewDeploymentCondition: both times = now. */
void dl_new_condition(struct dl_cond *c, const char *type, uint8_t status, const char *reason,
		      const char *message, int64_t now);
/* SetDeploymentCondition: same status and reason: no change; same status:
 * keep lastTransitionTime; the condition moves to the end. */
void dl_set_condition(struct dl_status *st, const struct dl_cond *c);
bool dl_status_equal(const struct dl_status *a, const struct dl_status *b);

/* calculateStatus: counts from the RSs, Available condition. nw may be DL_NONE. */
void dl_calc_status(const struct dl_deployment *d, const struct dl_status *cur,
		    const struct dl_rs *rs, size_t n, size_t nw, int64_t now,
		    struct dl_status *out);

/*
 * The Progressing logic of syncRolloutStatus on top of calculateStatus.
 * dname is the deployment's name, rsname the new RS's (NULL: none).
 */
void dl_rollout_status(const struct dl_deployment *d, const struct dl_status *cur,
		       const struct dl_rs *rs, size_t n, size_t nw, const char *dname, int64_t now,
		       struct dl_status *out);

/*
 * requeueStuckDeployment: in how many ms d (whose status is now st) may
 * pass its progress deadline: -1 never (no deadline, no Progressing
 * condition, complete, timed out already), 0 within a second (requeue at
 * once, rate-limited), else the time left; the controller then requeues a
 * second after that.
 */
int64_t dl_requeue_stuck_after(const struct dl_deployment *d, const struct dl_status *st,
			       int64_t now);

/* checkPausedConditions: true when st changed. */
bool dl_paused_conditions(const struct dl_deployment *d, struct dl_status *st, int64_t now);

/* DeploymentComplete(d, st). */
bool dl_complete(const struct dl_deployment *d, const struct dl_status *st);

/* HasProgressDeadline. */
bool dl_has_progress_deadline(const struct dl_deployment *d);

/* --- pods ---------------------------------------------------------------- */

/* A pod as the ReplicaSet controller's ranking sees it. */
struct dl_pod {
	const char *name;
	const char *uid;
	const char *node;      /* spec.nodeName, "" or NULL when unscheduled */
	const char *phase;     /* status.phase */
	bool ready;            /* Ready condition True */
	int64_t ready_time;    /* the Ready condition's lastTransitionTime when ready, else 0 */
	int32_t deletion_cost; /* controller.kubernetes.io/pod-deletion-cost */
	int32_t restarts;      /* the largest restartCount of its containers */
	int64_t created_ms;
	int32_t rank; /* active related pods on the same node */
};

/*
 * getPodsToDelete with ActivePodsWithRanks (LogarithmicScaleDown on):
 * sorts idx[0..n) so that the pods to delete first come first. now is the
 * reference time of the logarithmic buckets.
 */
void dl_rank_pods(const struct dl_pod *pods, size_t *idx, size_t n, int64_t now);

/* IsPodAvailable: ready for at least min_ready_s before now. */
bool dl_pod_available(bool ready, int64_t ready_since, int32_t min_ready_s, int64_t now);

/* The pod-template-hash of a template (its canonical JSON) and a collision
 * count (< 0: none), in the alphabet "bcdfghjklmnpqrstvwxz2456789". out
 * needs 11 bytes. */
void dl_template_hash(const struct cJSON *template, int64_t collision_count, char out[11]);

#endif
