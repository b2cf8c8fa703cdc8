#ifndef PODSCOPE_ETA_H
#define PODSCOPE_ETA_H

#include <stddef.h>
#include <stdint.h>

#include "podscope/generations.h"
#include "podscope/model.h"
#include "podscope/store.h"

/*
 * An honest estimate of the time a rollout has left, as a range. Pure: the
 * caller passes the pods and the time (the server's, when the skew is
 * known).
 *
 * It rests on observed start-to-available times (creation to Ready, plus
 * minReadySeconds): those of this rollout's new pods first, and those of
 * the pods of earlier generations (earlier rollouts of the same workload)
 * when this one has too few. The strategy gives a number of slots, the pods
 * that may start at once (maxSurge + maxUnavailable for a Deployment's
 * rolling update, all of them for Recreate); the pods in flight hold theirs
 * until done, and each pod still to start takes the slot that frees first. The range runs from the quicker quarter of the
 * observations to the slowest, widened by a margin for the controllers'
 * reaction times, so a scenario with steady timings still gets a range.
 *
 * ETA_UNKNOWN: no pod of this workload has become available yet, so there
 * is nothing to go on. ETA_STALLED: no new pod has been created or become
 * ready for a long while (twice the slowest observation, at least a
 * minute) while pods are still left.
 */

enum eta_state {
	ETA_NONE = 0, /* nothing to estimate: not rolling, or done */
	ETA_UNKNOWN,
	ETA_STALLED,
	ETA_RANGE,
};

struct eta {
	uint8_t state;       /* enum eta_state */
	int32_t pods_left;   /* new pods not yet available */
	int32_t samples;     /* observations the range rests on */
	int32_t samples_new; /* of which from this rollout's pods */
	int64_t low_ms;      /* time left, ETA_RANGE only */
	int64_t high_ms;
	int64_t idle_ms;     /* since the last new pod was created or became ready */
};

/* At most this many observations are kept (the newest win). */
#define ETA_MAX_SAMPLES 256

/*
 * The generic estimate. new_avail[] holds the start-to-available times (ms)
 * of this rollout's pods that became available, old_avail[] those of
 * earlier generations; inflight_age[] the ages (ms) of the new pods that
 * exist but are not available yet; to_create the new pods not created yet;
 * width how many may be in flight at once (at least 1); last_move_ms the
 * last creation or readiness of a new pod (0: unknown).
 */
struct eta_input {
	const int64_t *new_avail;
	size_t n_new;
	const int64_t *old_avail;
	size_t n_old;
	const int64_t *inflight_age;
	size_t n_inflight;
	int32_t to_create;
	int32_t width;
	int64_t last_move_ms;
	int64_t now_ms;
};
void eta_estimate(const struct eta_input *in, struct eta *out);

/*
 * A Deployment's estimate from its generations (g, built by
 * generations_build) and its pods (any ReplicaSet's; others are ignored).
 * ETA_NONE when kubectl's rollout status says done or error.
 */
void eta_deployment(const struct generations *g, const struct pod *const *pods, size_t n,
		    int64_t now_ms, struct eta *out);

/*
 * A StatefulSet's or DaemonSet's estimate: pods are the set's, and those
 * whose controller-revision-hash label equals update_hash are the new
 * ones. OrderedReady StatefulSets go one pod at a time (width 1).
 */
void eta_statefulset(const struct statefulset *s, const struct pod *const *pods, size_t n,
		     int64_t now_ms, struct eta *out);
void eta_daemonset(const struct daemonset *ds, const char *update_hash,
		   const struct pod *const *pods, size_t n, int64_t now_ms, struct eta *out);

/*
 * The estimate for a workload of the store: k is STORE_DEPLOYMENTS (obj a
 * struct deployment), STORE_STATEFULSETS or STORE_DAEMONSETS; its
 * ReplicaSets, pods and revisions are the store's. ETA_NONE for any other
 * kind.
 */
void eta_store(const struct store *st, enum store_kind k, const void *obj, int64_t now_ms,
	       struct eta *out);

/*
 * The estimate in words: "about 2-3 min", "about 40 s", "under 10 s",
 * "unknown", "stalled" ("" for ETA_NONE). ASCII only.
 */
void eta_format(const struct eta *e, char *buf, size_t n);

/* "range", "unknown", "stalled" or "none" (for JSON). */
const char *eta_state_name(const struct eta *e);

#endif
