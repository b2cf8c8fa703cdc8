#ifndef PODSCOPE_WHY_H
#define PODSCOPE_WHY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/lifecycle.h"
#include "podscope/model.h"
#include "podscope/store.h"

/*
 * The root cause of a rollout in one line: what blocks a workload's
 * progress, aggregated over its new pods, the conditions of its
 * ReplicaSets and the Warning events of its objects, e.g.
 * "3 new pods ImagePullBackOff: nginx:1.99: not found" or
 * "ReplicaSet web-7d9 FailedCreate: exceeded quota: pods=10". Empty when
 * nothing blocks. Pure: no I/O, the caller passes the clock. The line is
 * built from what the API said and is NOT sanitised: print it through the
 * sanitiser (cmd_printf, draw_text).
 */

#define WHY_LINE 240 /* bytes of a why line, with its NUL */
#define WHY_MSG  160 /* bytes kept of any one message in it */
#define WHY_LOG  120 /* bytes kept of a last log line in it */
/* A refused eviction older than this (by its event's lastTimestamp) is over. */
#define WHY_EVICT_FRESH_MS (10 * 60 * 1000)

/* In the order they win, see why.c for the reasons. */
enum why_cause {
	WHY_NONE = 0,
	WHY_PAUSED,        /* spec.paused */
	WHY_CREATE_FAILED, /* ReplicaFailure / FailedCreate: quota, admission, ... */
	WHY_EVICTION,      /* eviction refused by a PodDisruptionBudget */
	WHY_IMAGE,         /* ErrImagePull, ImagePullBackOff, InvalidImageName */
	WHY_CONFIG,        /* CreateContainerConfigError and other waiting errors */
	WHY_CRASH,         /* CrashLoopBackOff, containers exiting */
	WHY_INIT_FAILED,   /* an init container failing */
	WHY_UNSCHEDULABLE, /* PodScheduled=False Unschedulable, FailedScheduling */
	WHY_PROBE,         /* readiness failing beyond its threshold */
	WHY_POD_FAILED,    /* evicted, pod failed */
	WHY_DEADLINE,      /* ProgressDeadlineExceeded, no cause found */
	WHY_INIT_WAITING,  /* an init container still running or waiting */
	WHY_NCAUSES
};

/* "paused", "create-failed", "image", ... (doc/json.md). */
const char *why_cause_name(enum why_cause c);

struct why {
	uint8_t cause;    /* enum why_cause */
	int32_t pods;     /* new pods with the cause (pod-level causes) */
	int32_t new_pods; /* new pods seen */
	int32_t settling; /* new pods stuck as --fail-fast counts (why_pod_settles) */
	int32_t ready;    /* new pods ready */
	char line[WHY_LINE];
};

/* A hook for the last log line of a pod's container (NULL: none): true with
 * the line in buf when it is known. */
typedef bool (*why_log_fn)(void *ud, const struct pod *p, const char *container, char *buf,
			   size_t n);

struct why_pod {
	const struct pod *pod;
	const struct lc_pod *lc;
	const struct event *const *events; /* the pod's events */
	size_t n_events;
};

struct why_in {
	const char *owner_word; /* "ReplicaSet", "StatefulSet", ... for creation failures */
	const char *owner_name;
	bool paused;
	bool deadline;              /* Progressing=False ProgressDeadlineExceeded */
	const struct why_pod *pods; /* the new pods */
	size_t n_pods;
	/* ReplicaFailure conditions (of the new ReplicaSet or the workload) */
	const struct deploy_condition *conds;
	size_t n_conds;
	/* Warning events of the workload and its new ReplicaSet (not pods) */
	const struct event *const *events;
	size_t n_events;
	why_log_fn last_log;
	void *log_ud;
	const char *pod_word;    /* "new pod" (NULL), or "pod" for a Job's */
	const char *paused_word; /* "paused" (NULL), or "suspended" for a Job */
};

void why_compute(const struct why_in *in, int64_t now_ms, struct why *out);

/*
 * Whether a new pod counts as stuck for `wait --fail-fast`: stuck as
 * lifecycle_pod_stuck judges (image pull back-off, crash loop,
 * CreateContainerConfigError, readiness failing, evicted), unschedulable,
 * its readiness probe failed failureThreshold times (not twice, as
 * lifecycle_pod_stuck wants: the settle time confirms it), or in an init
 * container (running or waiting): the caller times how long
 * it stays in the same one (a migration may take longer than --settle:
 * --no-fail-fast).
 */
bool why_pod_settles(const struct pod *p, const struct lc_pod *lc);

/*
 * Whether a pod that was stuck is only between two failures, so that its
 * settle time goes on: a container that exited non-zero runs again and is
 * not ready yet (a crash loop's next run), or an image pull being retried
 * (ErrImagePull, Pulling). Anything else (scheduled at last, ready) starts
 * the settle time afresh when it is stuck again.
 */
bool why_pod_retrying(const struct lc_pod *lc);

/*
 * Whether the cause blocks the rollout from outside its pods, so that it
 * fails `wait --fail-fast` once it has lasted the settle time with no new
 * pod made: creation refused (a quota, an admission webhook) or an eviction
 * refused by a PodDisruptionBudget, while no new pod is on its way (each is
 * ready or stuck: one that is starting may be what frees the quota or the
 * budget).
 */
bool why_blocked(const struct why *w);

/* From the store: a Deployment, its new ReplicaSet's pods and events. log may be NULL. */
void why_deployment(const struct store *st, const struct deployment *d, int64_t now_ms,
		    why_log_fn log, void *log_ud, struct why *out);
/* A StatefulSet (STORE_STATEFULSETS) or DaemonSet: the pods of its update revision. */
void why_set(const struct store *st, enum store_kind k, const void *set, int64_t now_ms,
	     why_log_fn log, void *log_ud, struct why *out);
/* A Job that has not finished: its active pods, its FailedCreate events, suspended. */
void why_job(const struct store *st, const struct job *j, int64_t now_ms, why_log_fn log,
	     void *log_ud, struct why *out);

#endif
