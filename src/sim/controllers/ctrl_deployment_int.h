#ifndef PODSCOPE_SIM_CTRL_DEPLOYMENT_INT_H
#define PODSCOPE_SIM_CTRL_DEPLOYMENT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "store.h"

/*
 * Inside the deployment and ReplicaSet controllers: their shared work queue
 * and owner indexes (ctrl_deployment_queue.c), the two syncs
 * (ctrl_deployment.c, ctrl_replicaset.c) and JSON helpers.
 *
 * One queue for both controllers, so that every ReplicaSet is synced (its
 * pods created or deleted, its status current) before any deployment looks
 * at it: the deployment controller then never acts on a ReplicaSet status
 * that its own last scaling has made stale, which is what keeps a rollout
 * within its surge and unavailability budgets at every instant.
 */

struct sim;
struct evtimer;

/* A FIFO of "ns/name" keys without duplicates. */
struct keyq {
	char **v;
	size_t head, n, cap;
	struct keyq_ent **buckets;
	size_t nbuckets, count;
};

/* owner uid -> "ns/name" keys of the objects it controls */
struct ownidx {
	struct own_ent **buckets;
	size_t nbuckets;
};

struct wake; /* a pending time-based re-sync */

struct ctrlapps {
	struct sim *sim;
	const struct simres *pods, *rss, *deps;
	bool rs_on, dep_on;
	struct keyq rs_dirty, dep_dirty;
	struct keyq orphan_pods, orphan_rss; /* to adopt, if an owner matches */
	struct ownidx pods_by_rs, rs_by_dep;
	struct evtimer *kick;
	struct wake *wakes;
};

/* The controllers' state of sim (NULL before start). */
struct ctrlapps *ctrlapps_of(struct sim *sim);

void keyq_push(struct keyq *q, const char *key);
/* The oldest key (the caller frees it), or NULL. */
char *keyq_pop(struct keyq *q);
void keyq_free(struct keyq *q);

void ownidx_add(struct ownidx *ix, const char *uid, const char *key);
void ownidx_del(struct ownidx *ix, const char *uid, const char *key);
void ownidx_free(struct ownidx *ix);
/* The keys of owner uid (n gets the count), borrowed until the next change. */
char *const *ownidx_get(const struct ownidx *ix, const char *uid, size_t *n);

/* Ask for a sync of an RS or a deployment ("ns/name") soon. */
void ctrlapps_dirty_rs(struct ctrlapps *c, const char *key);
void ctrlapps_dirty_dep(struct ctrlapps *c, const char *key);
/* Ask for a sync at simulated time t (kind 'r' or 'd'); the earliest wins. */
void ctrlapps_wake_at(struct ctrlapps *c, char kind, const char *key, int64_t t);

/* ClaimPods / ClaimReplicaSets (ctrl_deployment_claim.c). */
bool cj_selector_matches(const cJSON *selector, const cJSON *labels);
/* Adopt the orphan pod or RS "ns/name" into the first matching owner. */
void ctrl_adopt_pod(struct ctrlapps *c, const char *key);
void ctrl_adopt_rs(struct ctrlapps *c, const char *key);
/* Release o from owner_uid when its labels no longer match selector (a
 * write: o is stale afterwards). True when it was released. */
bool ctrl_release_unmatched(struct ctrlapps *c, const struct simres *res, const struct simobj *o,
			    const cJSON *selector, const char *owner_uid);

/* The syncs. */
void ctrl_rs_sync(struct ctrlapps *c, const char *key);
void ctrl_dep_sync(struct ctrlapps *c, const char *key);

/* --- JSON helpers ---------------------------------------------------------- */

/* obj.a.b... (NULL-terminated path) or NULL. */
const cJSON *cj_path(const cJSON *obj, ...) __attribute__((sentinel));
const char *cj_str(const cJSON *obj, const char *key);
/* obj[key] as an integer, or dflt when absent or not a number. */
int64_t cj_int(const cJSON *obj, const char *key, int64_t dflt);
/* An RFC 3339 time field in ms, 0 when absent or bad. */
int64_t cj_time(const cJSON *obj, const char *key);
/* The controller ownerReference's uid / name / kind, or NULL. */
const cJSON *cj_controller_ref(const cJSON *obj);
/* Split "ns/name" into the two buffers (each 256 bytes). */
void cj_split_key(const char *key, char ns[256], char name[256]);
/* Remove null members and empty objects and arrays, recursively. */
void cj_normalize(cJSON *v);
/* A template compared to another ignoring the pod-template-hash label, with
 * null and empty values counting as absent (apiequality.Semantic). */
bool cj_template_equal_ignore_hash(const cJSON *a, const cJSON *b);
/* Pod Ready condition: its status and lastTransitionTime. */
bool cj_pod_ready(const cJSON *pod, int64_t *since);
/* podutil.IsPodAvailable at now with minReadySeconds; a pod ready but not
 * yet available brings *wake (-1: none yet) forward to just after it will
 * be, for the controller's requeue. */
bool cj_pod_available(const cJSON *pod, int32_t min_ready, int64_t now, int64_t *wake);
/* Set obj[key] to a number, replacing what was there. */
void cj_set_int(cJSON *obj, const char *key, int64_t v);

#endif
