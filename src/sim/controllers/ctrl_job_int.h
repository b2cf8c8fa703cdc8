#ifndef PODSCOPE_SIM_CTRL_JOB_INT_H
#define PODSCOPE_SIM_CTRL_JOB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "ctrl_deployment_int.h"
#include "ctrl_queue.h"

/*
 * Inside the Job controller: its state and queue (ctrl_job.c), the sync
 * (ctrl_job_sync.c), the pure rules it applies (ctrl_job_policy.c: back-off,
 * pod failure policy, success policy, index sets) and the TTL-after-finished
 * controller (ctrl_job_ttl.c).
 */

#define SIMJOB_FINALIZER            "batch.kubernetes.io/job-tracking"
#define SIMJOB_INDEX_ANNOTATION     "batch.kubernetes.io/job-completion-index"
#define SIMJOB_INDEX_LABEL          "batch.kubernetes.io/job-completion-index"
#define SIMJOB_FAILCOUNT_ANNOTATION "batch.kubernetes.io/job-index-failure-count"
/* DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
#define SIMJOB_BACKOFF_MS     10000
#define SIMJOB_BACKOFF_MAX_MS (10 * 60 * 1000)

struct jobbackoff;

struct jobctl {
	struct sim *sim;
	const struct simres *pods, *jobs;
	struct ctrlq dirty;   /* Jobs */
	struct ctrlq orphans; /* pods whose tracking finalizer may go */
	struct jobbackoff *backoffs;
};

/* backoffRecord: the failures since the last success and the last one's time
 * (ms, 0 when none). */
struct simjob_backoff {
	int32_t failures;
	int64_t last_failure;
};

/* A set of indexes as sorted, disjoint, inclusive intervals
 * (orderedIntervals). */
struct simjob_ivals {
	struct {
		int32_t first, last;
	} * v;
	size_t n, cap;
};

/* Sync the Job "ns/name" again at simulated time t (the earliest wins). */
void jobctl_wake_at(struct jobctl *c, const char *key, int64_t t);
/* The back-off record of a Job (a zero one when none). */
struct simjob_backoff jobctl_backoff_get(const struct jobctl *c, const char *key);
void jobctl_backoff_put(struct jobctl *c, const char *key, struct simjob_backoff b);
void jobctl_backoff_drop(struct jobctl *c, const char *key);

/* syncJob of "ns/name". */
void jobctl_sync(struct jobctl *c, const char *key);
/* syncOrphanPod: the pod's tracking finalizer goes when no live, unfinished
 * Job controls it. */
void jobctl_sync_orphan(struct jobctl *c, const char *key);
/* Remove the tracking finalizer of the stored pod ns/name (a patch, as
 * removeTrackingFinalizerPatch); true when it is gone or was never there. */
bool jobctl_drop_finalizer(struct jobctl *c, const char *ns, const char *name);

/* One sync of one Job (ctrl_job_sync.c, ctrl_job_pods.c). */
struct jobsync {
	struct jobctl *c;
	const char *key;
	char ns[256], name[256];
	cJSON *job; /* a copy, whose status is rewritten */
	const cJSON *spec;
	int64_t now;
	bool indexed, suspended, deleting;
	int32_t completions; /* -1: nil */
	cJSON **pods;        /* copies of the pods it owns */
	size_t npods;
	size_t *active; /* indexes into pods */
	size_t nactive;
	int32_t ready, terminating, succeeded, failed;
	cJSON *unc_s, *unc_f; /* status.uncountedTerminatedPods lists (in job) */
	struct simjob_backoff backoff;
	struct simjob_ivals prev_ok, ok, failed_ix;
	/* The condition to reach: FailureTarget, SuccessCriteriaMet, or the
	 * final Failed or Complete (owned), NULL while running. */
	cJSON *finished;
	int64_t wake; /* simulated time to sync again, 0: none */
};

/* Sync again ms from now (the earliest asked wins). */
void jobsync_wake_in(struct jobsync *s, int64_t ms);
/* onlyReplaceFailedPods */
bool jobsync_only_replace_failed(const struct jobsync *s);
/* isPodFailed */
bool jobsync_pod_failed(const struct jobsync *s, const cJSON *pod);
/* For an Indexed Job, the pod's index is in [0, completions). */
bool jobsync_valid_index(const struct jobsync *s, const cJSON *pod);
/* An Indexed Job with backoffLimitPerIndex. */
bool jobsync_per_index(const struct jobsync *s);
/* An event about the Job from the job-controller (fmt takes one string). */
void jobsync_event(struct jobsync *s, const char *type, const char *reason, const char *fmt,
		   const char *arg);
/* getPodsForJob into s->pods, the active ones into s->active, with ready
 * and terminating counted. */
void jobsync_claim(struct jobsync *s);
/* DeletePod (graceful), the tracking finalizer removed first when asked. */
void jobsync_delete_pod(struct jobsync *s, const cJSON *pod, bool drop_finalizer);
/* The pod that last failed at index ix (the one a new pod replaces), or NULL. */
const cJSON *jobsync_last_failed_at(const struct jobsync *s, int32_t ix);
/* manageJob: the number of active pods afterwards. */
int32_t jobsync_manage(struct jobsync *s);

/* --- pure rules (ctrl_job_policy.c) ------------------------------------------ */

/* A Job's Complete or Failed condition with status True, or NULL. */
const cJSON *simjob_finished_condition(const cJSON *job);
/* The condition of that type, or NULL. */
const cJSON *simjob_condition(const cJSON *job, const char *type);
bool simjob_has_finalizer(const cJSON *pod);
/* getFinishedTime (ms). */
int64_t simjob_finished_time(const cJSON *pod);
/* newBackoffRecord from the old record and the newly finished pods. */
struct simjob_backoff simjob_backoff_next(struct simjob_backoff old, const cJSON *const *succeeded,
					  size_t nsucceeded, const cJSON *const *failed,
					  size_t nfailed);
/* getRemainingTimeForFailuresCount (ms). */
int64_t simjob_backoff_remaining(int32_t failures, int64_t last_failure, int64_t now,
				 int64_t base_ms, int64_t max_ms);

/* matchPodFailurePolicy: the action of the first matching rule ("FailJob",
 * "FailIndex", "Ignore", "Count") or NULL for none; *msg (may be NULL) gets
 * the FailJob message (caller frees), *count whether the failure counts. */
const char *simjob_match_pod_failure_policy(const cJSON *policy, const cJSON *pod, char **msg,
					    bool *count);

void simjob_ivals_free(struct simjob_ivals *s);
/* parseIndexesFromString: "1,3-5"; indexes >= completions or bad parts are
 * skipped. */
void simjob_ivals_parse(struct simjob_ivals *s, const char *str, int32_t completions);
void simjob_ivals_add(struct simjob_ivals *s, int32_t ix);
bool simjob_ivals_has(const struct simjob_ivals *s, int32_t ix);
int32_t simjob_ivals_total(const struct simjob_ivals *s);
/* "1,3-5" (caller frees). */
char *simjob_ivals_string(const struct simjob_ivals *s);

/* matchSuccessPolicy: true with *msg "Matched rules at index N" (caller
 * frees) when a rule is met. */
bool simjob_match_success_policy(const cJSON *policy, int32_t completions,
				 const struct simjob_ivals *succeeded, char **msg);

/* A pod's status.phase ("" when none) is p. */
bool simjob_is_phase(const cJSON *pod, const char *p);
/* metadata.deletionTimestamp is set. */
bool simjob_deleting(const cJSON *o);
/* metadata.uid and metadata.name, "" when absent. */
const char *simjob_uid(const cJSON *o);
const char *simjob_name(const cJSON *o);
/* metav1.NewControllerRef to a batch/v1 owner of that kind. */
cJSON *simjob_controller_ref(const char *kind, const cJSON *owner);
/* The pod's Ready condition is True. */
bool simjob_pod_ready(const cJSON *pod);
/* The pod's job-index-failure-count annotation (0 when none). */
int32_t simjob_failure_count(const cJSON *pod);
/* The completion index of a pod (its annotation), -1 when none or bad. */
int32_t simjob_pod_index(const cJSON *pod);

/* --- TTL after finished (ctrl_job_ttl.c) -------------------------------------- */

/* processJob: delete the Job (Foreground) when its TTL is over, else the
 * time to look again (ms), -1 for never. */
int64_t simjob_ttl_process(struct jobctl *c, const char *ns, const char *name);

#endif
