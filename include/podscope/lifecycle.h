#ifndef PODSCOPE_LIFECYCLE_H
#define PODSCOPE_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/model.h"

/*
 * The lifecycle stage of a pod and of each of its containers: finer than
 * kubectl's STATUS, and with the reason why. Computed from the pod's
 * conditions and container statuses and from the pod's events (Scheduled,
 * Pulling, Pulled, Started, Unhealthy, BackOff), see
 * shared/reference/kubelet_lifecycle.md. Pure: no I/O, the caller passes
 * the clock. Strings in the results point into the pod, its events or
 * static storage: valid as long as those are.
 */

enum lc_stage {
	LC_UNKNOWN = 0,
	LC_UNSCHEDULED,        /* no node yet (Unschedulable, SchedulingGated, waiting) */
	LC_SCHEDULED,          /* on a node, containers being created */
	LC_PULLING,            /* an image is being pulled (a Pulling event not yet answered) */
	LC_INIT_RUNNING,       /* init container i of N runs */
	LC_INIT_WAITING,       /* init container i of N waits (created, pulling, back-off) */
	LC_INIT_FAILED,        /* init container i of N exited non-zero or crash-loops */
	LC_POST_START,         /* the container started; its postStart hook runs */
	LC_STARTING,           /* running, its startup probe has not passed yet */
	LC_WAITING_READY,      /* running, not ready yet (readiness failures below threshold) */
	LC_READY,              /* running and ready (the pod: Ready=True) */
	LC_NOT_READY,          /* running, readiness failing at or beyond its threshold */
	LC_TERMINATING,        /* being deleted */
	LC_COMPLETED,          /* exited 0 (the pod: phase Succeeded) */
	LC_ERROR,              /* exited non-zero, or cannot be created (config error) */
	LC_CRASH_LOOP,         /* CrashLoopBackOff: waiting for its next restart */
	LC_IMAGE_PULL_BACKOFF, /* ErrImagePull, ImagePullBackOff, InvalidImageName */
	LC_EVICTED,            /* status.reason Evicted */
	LC_RUNNING,            /* a container runs (init containers; no more is known) */
	LC_NSTAGES
};

/* A stable lower-case identifier: "unscheduled", "init-running",
 * "crash-loop-backoff", ... (doc/json.md lists them). */
const char *lc_stage_name(enum lc_stage s);

/* Whether the stage means "this will not get better by itself": crash loop,
 * image pull back-off, error, init failed, evicted. */
bool lc_stage_is_failure(enum lc_stage s);

enum lc_probe { LC_PROBE_NONE = 0, LC_PROBE_STARTUP, LC_PROBE_READINESS, LC_PROBE_LIVENESS };
const char *lc_probe_name(enum lc_probe p); /* "startup", "readiness", "liveness", "" */

struct lc_container {
	const char *name;
	uint16_t index;         /* in its spec list (initContainers or containers) */
	bool init;              /* from spec.initContainers (sidecars too) */
	bool sidecar;           /* an init container with restartPolicy: Always */
	bool has_exit;          /* exit_code / signal are valid (this or the last termination) */
	bool waiting;           /* its current state is waiting */
	bool image_pulled;      /* a Pulled event says its image is there */
	bool post_start_failed; /* a FailedPostStartHook event since its last start */
	uint8_t stage;          /* enum lc_stage */
	uint8_t probe;          /* enum lc_probe: the probe the failures below are about */
	const char *reason;     /* waiting/terminated reason (or the last termination's) */
	const char *message;    /* its message; for probes the last failure's event message */
	int32_t exit_code;
	int32_t signal;
	int32_t restarts;
	int32_t probe_failures;  /* Unhealthy events since the container started */
	int32_t probe_threshold; /* the probe's failureThreshold */
	int64_t backoff_ms;      /* crash loop: the current back-off delay */
	int64_t next_restart_ms; /* crash loop: when the back-off ends; 0 when unknown */
};

struct lc_pod {
	uint8_t stage;       /* enum lc_stage */
	uint16_t init_index; /* init stages: the init container, 1-based */
	uint16_t init_total; /* len(spec.initContainers) */
	int decider;         /* index in containers[] that decided the stage, -1: the pod */
	const char *reason;  /* kubelet/scheduler reason: Unschedulable, Evicted, Error, ... */
	char why[320];       /* one line: the stage's cause in words */
	struct lc_container *containers; /* init containers first, then containers */
	size_t n_containers;
};

/*
 * Compute p's stages at now_ms. events are the pod's events (any order;
 * others are ignored by involvedObject name), n_events may be 0. out must be
 * released with lifecycle_pod_free (containers is a heap array).
 */
void lifecycle_pod(const struct pod *p, const struct event *const *events, size_t n_events,
		   int64_t now_ms, struct lc_pod *out);
void lifecycle_pod_free(struct lc_pod *lp);

/*
 * Whether the pod is stuck in a way that does not get better by itself, as
 * `podscope wait` judges a rollout's new pods: a container crash-looping,
 * unable to pull its image (after ErrImagePull has turned into a back-off,
 * or an invalid name), unable to start (CreateContainerConfigError and
 * other waiting errors), failing its readiness probe at least twice its
 * failureThreshold since it started; or the pod evicted or failed. *which
 * (may be NULL) gets the container, NULL for a pod-level cause.
 */
bool lifecycle_pod_stuck(const struct lc_pod *lp, const struct lc_container **which);

/* The container (init or regular) that decided the stage, or NULL. */
const struct lc_container *lifecycle_decider(const struct lc_pod *lp);

/*
 * One line about container c of p (a stage of lifecycle_pod): what it does
 * or why it is stuck, e.g. `exited with code 1 (Error) 6 times, back-off
 * 2m40s, next restart in 25s`. Truncated to n bytes.
 */
void lifecycle_container_why(const struct pod *p, const struct lc_container *c, int64_t now_ms,
			     char *buf, size_t n);

/*
 * The delay the kubelet waits before restarting a container that has
 * restarted `restarts` times and just exited again: 10 s, 20 s, ... 300 s
 * (backoff.h), or, when waiting_msg is the kubelet's
 * "back-off 40s restarting failed container=..." message, the delay it
 * names.
 */
int64_t lifecycle_backoff_delay(int32_t restarts, const char *waiting_msg);

/* ---- the timeline ---- */

enum lc_step_kind {
	LC_STEP_CREATED = 0, /* metadata.creationTimestamp */
	LC_STEP_SCHEDULED,   /* PodScheduled=True, else the Scheduled event */
	LC_STEP_PULL,        /* Pulling -> Pulled (or Pulled alone: image present) */
	LC_STEP_INIT,        /* an init container ran: started -> finished */
	LC_STEP_STARTED,     /* a container started (running.startedAt or the Started event) */
	LC_STEP_POST_START,  /* its postStart hook: from the start until it ran (end 0: unknown) */
	LC_STEP_READY,       /* Ready=True */
	LC_STEP_DELETED,     /* metadata.deletionTimestamp */
	LC_STEP_FINISHED,    /* the pod's last container exited (phase Succeeded/Failed) */
	LC_STEP_RUN,         /* an earlier instance of a container: started -> exited */
	LC_STEP_BACKOFF,     /* from an exit to the next start (end 0: still waiting) */
};

const char *lc_step_name(enum lc_step_kind k); /* "scheduled", "pull", "init", ... */

struct lc_step {
	uint8_t kind;          /* enum lc_step_kind */
	bool done;             /* the step completed (a hook that ran, a pull that ended) */
	const char *container; /* "" for pod-level steps */
	int64_t start_ms;
	int64_t end_ms;    /* 0: instantaneous, still running, or unknown */
	int32_t exit_code; /* LC_STEP_RUN */
	int32_t signal;    /* LC_STEP_RUN */
	const char *reason; /* LC_STEP_RUN: terminated.reason, "" when none */
	uint32_t run;      /* LC_STEP_RUN: the instance's number (1: the first), 0: unknown */
};

/*
 * The pod's timeline, sorted by start time (steps with an unknown start
 * last). Writes at most max steps to out and returns how many there are
 * (call with max 0 to size a buffer).
 * Each run of a container is its own bar: the earlier instances the API
 * still holds (lastState), each pull the events tell apart (the first and
 * the latest of a repeated Pulling), and the back-off waits between them.
 */
size_t lifecycle_timeline(const struct pod *p, const struct event *const *events, size_t n_events,
			  struct lc_step *out, size_t max);

/* The same with what a dashboard saw over time (podruns.h; NULL: nothing):
 * every run and pull it kept, not only the two the API holds. */
struct podruns;
size_t lifecycle_timeline_runs(const struct pod *p, const struct event *const *events,
			       size_t n_events, const struct podruns *runs, struct lc_step *out,
			       size_t max);

#endif
