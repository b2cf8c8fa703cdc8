#ifndef PODSCOPE_SIM_CTRL_STATEFULSET_INT_H
#define PODSCOPE_SIM_CTRL_STATEFULSET_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "ctrl_deployment_int.h"
#include "ctrl_queue.h"

/* Inside the StatefulSet controller: its state (ctrl_statefulset.c) and
 * its sync (ctrl_statefulset_sync.c). */

struct stsctl {
	struct sim *sim;
	const struct simres *pods, *sets, *crs, *pvcs;
	struct ctrlq q;
};

#define STS_REVISION_LABEL "controller-revision-hash"

/* One replica slot: a pod read from the store (a copy), or one to create. */
struct stsslot {
	cJSON *pod;   /* owned */
	bool created; /* isCreated: in the store with a phase */
	int32_t ord;
};

struct stssync {
	struct stsctl *c;
	const char *key;
	char ns[256], name[256];
	cJSON *set; /* a copy */
	const cJSON *spec;
	int64_t now;
	int32_t min_ready;
	struct stsslot *pods; /* everything the set owns */
	size_t npods;
	struct simhist_rev *revs;
	size_t nrevs;
	cJSON **rev_objs;         /* owned copies behind revs[].obj */
	cJSON *cur_rev, *upd_rev; /* owned copies */
	int32_t collisions;
	struct {
		int64_t replicas, ready, available, current, updated;
	} st;
	int64_t next_wake;
};

/* Sync the StatefulSet "ns/name" again at simulated time t. */
void stsctl_wake_at(struct stsctl *c, const char *key, int64_t t);

/* One sync of "ns/name" (StatefulSetControl.UpdateStatefulSet and the
 * status write). */
void stsctl_sync(struct stsctl *c, const char *key);

/* getParentNameAndOrdinal: the ordinal of a pod named PARENT-N, or -1 when
 * the name does not end in "-N" or N does not fit an int32. */
int32_t stsctl_ordinal(const char *pod_name);

/* --- pods and claims (ctrl_statefulset_pod.c) --------------------------------- */

/* A controller ownerReference to the set being synced. */
cJSON *stspod_controller_ref(const struct stssync *s);
/* newStatefulSetPod from set (the set at one revision) with the revision
 * label: identity (name, hostname, subdomain, labels) and storage. */
cJSON *stspod_new(const struct stssync *s, const cJSON *set, int32_t ord, const char *revision);
/* CreateStatefulPod: the missing claims, then the pod, each with its event. */
void stspod_create(struct stssync *s, cJSON *pod, int32_t ord);
/* createMissingPersistentVolumeClaims of the pod NAME at ord. */
void stspod_create_claims(struct stssync *s, int32_t ord, const char *pod);
/* DeleteStatefulPod (graceful), with its event. */
void stspod_delete(struct stssync *s, const cJSON *pod);
/* UpdateStatefulPod's identity labels, where they are wrong. */
void stspod_fix_identity(struct stssync *s, const struct stsslot *p);
/* UpdatePodClaimForRetentionPolicy; scaled: the pod is condemned. */
void stspod_fix_claims(struct stssync *s, const struct stsslot *p, bool scaled);

#endif
