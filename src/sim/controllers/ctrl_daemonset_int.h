#ifndef PODSCOPE_SIM_CTRL_DAEMONSET_INT_H
#define PODSCOPE_SIM_CTRL_DAEMONSET_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "ctrl_deployment_int.h"
#include "ctrl_history.h"
#include "ctrl_queue.h"

/* Inside the DaemonSet controller: its state and queue (ctrl_daemonset.c),
 * its sync (ctrl_daemonset_sync.c), its pods (ctrl_daemonset_pod.c), its
 * revisions (ctrl_daemonset_history.c), manage and rollingUpdate
 * (ctrl_daemonset_update.c) and daemon/util (ctrl_daemonset_util.c). */

struct dsbackoff;

struct dsctl {
	struct sim *sim;
	const struct simres *pods, *sets, *crs, *nodes;
	struct ctrlq q;
	struct dsbackoff *backoff; /* failedPodsBackoff, by "ns/name/node" */
};

#define DS_HASH_LABEL            "controller-revision-hash"
#define DS_GENERATION_LABEL      "pod-template-generation"
#define DS_GENERATION_ANNOTATION "deprecated.daemonset.template.generation"

/* failedPodsBackoff: flowcontrol.NewBackOff(1s, 15min). */
#define DS_BACKOFF_INITIAL_MS 1000
#define DS_BACKOFF_MAX_MS     (15 * 60 * 1000)

/* Sync the DaemonSet "ns/name" again at simulated time t. */
void dsctl_wake_at(struct dsctl *c, const char *key, int64_t t);

/* One syncDaemonSet of "ns/name". */
void dsctl_sync(struct dsctl *c, const char *key);

/* IsInBackOffSinceUpdate of key at now; *delay gets the current delay. */
bool dsctl_in_backoff(struct dsctl *c, const char *key, int64_t now, int64_t *delay);
/* BackOff.Next: start at the initial delay (again after 2 * max of
 * silence) or double it, up to the max. */
void dsctl_backoff_next(struct dsctl *c, const char *key, int64_t now);

/* The pods of one node (nodeToDaemonPods' entry), oldest first, borrowed
 * from the sync. */
struct dsgroup {
	const char *node;
	const cJSON **pods;
	size_t n;
};

/* One sync's view of a DaemonSet. */
struct dssync {
	struct dsctl *c;
	const char *key;
	char ns[256], name[256];
	cJSON *ds; /* a copy */
	const cJSON *spec;
	int64_t now;
	int32_t min_ready;
	const char *gen; /* the template generation annotation, or NULL */
	struct simsnap *nodes;
	bool *run, *cont; /* NodeShouldRunDaemonPod of each node, in order */
	cJSON **pods;     /* claimed, owned copies */
	size_t npods;
	cJSON **revs; /* claimed, owned copies */
	size_t nrevs;
	cJSON *cur; /* the current revision, owned */
	char hash[SIMHIST_HASH_LEN + 256];
	struct dsgroup *groups; /* by node name */
	size_t ngroups;
	int64_t next_wake; /* when a ready pod becomes available, or -1 */
	int acted;         /* creates and deletes in this sync (expectations) */
};

/* An event about the set, in the daemonset-controller's name. */
void dsctl_event(struct dssync *s, const char *type, const char *reason, const char *msg);

/* --- pods (ctrl_daemonset_pod.c) --------------------------------------------------- */

const char *dspod_name(const cJSON *o);
const char *dspod_phase(const cJSON *pod);
bool dspod_deleted(const cJSON *pod);
bool dspod_terminal(const cJSON *pod);
bool dspod_ready(const cJSON *pod);
/* podutil.IsPodAvailable at s->now; a ready pod that is not available yet
 * brings s->next_wake forward to when it will be. */
bool dspod_available(struct dssync *s, const cJSON *pod);
/* podByCreationTimestampAndPhase over const cJSON * elements. */
int dspod_cmp_age(const void *a, const void *b);
/* A controller ownerReference to the set. */
cJSON *dspod_controller_ref(const struct dssync *s);
/* syncNodes: delete, then create (pinned to each node), burstReplicas each. */
void dspod_sync_nodes(struct dssync *s, const char **del, size_t ndel, const char **add,
		      size_t nadd);
/* ClaimPods / ClaimControllerRevisions over res: copies of what the set
 * controls, after adoption and release. */
size_t dspod_claim(struct dssync *s, const struct simres *res, cJSON ***out);
/* getDaemonPods into s->pods (every claimed pod) and getNodesToDaemonPods
 * into s->groups (without the pods both terminal and deleted). */
void dspod_load(struct dssync *s);
void dspod_free(struct dssync *s);
/* The group of node, or NULL. */
const struct dsgroup *dspod_group(const struct dssync *s, const char *node);

/* --- revisions (ctrl_daemonset_history.c) ------------------------------------------ */

/* constructHistory: s->cur and s->hash; false after a name collision (the
 * count is bumped in status, which brings the set back). */
bool dshist_construct(struct dssync *s);
/* cleanupHistory. */
void dshist_cleanup(struct dssync *s);

/* --- manage and rollingUpdate (ctrl_daemonset_update.c) ---------------------------- */

void dsupd_manage(struct dssync *s);
/* updatedDesiredNodeCounts' budgets for desired nodes: util.SurgeCount and
 * UnavailableCount (rounded up; 0 unless RollingUpdate), unavailable 1 when
 * both are 0. False on a value that is not an int or a percentage. */
bool dsupd_budgets(const cJSON *spec, int64_t desired, int64_t *surge, int64_t *unavailable);
void dsupd_rolling(struct dssync *s);

/* --- daemon/util and NodeShouldRunDaemonPod (ctrl_daemonset_util.c) --------------- */

/* AddOrUpdateDaemonPodTolerations on a pod spec. */
void dsutil_add_tolerations(cJSON *pod_spec);

/* NewPod's spec: the template's, with the tolerations. Caller frees. */
cJSON *dsutil_new_pod_spec(const cJSON *ds);
/* NodeShouldRunDaemonPod for that spec: *should_run, *should_continue. */
void dsutil_node_fits(const cJSON *pod_spec, const cJSON *node, bool *should_run,
		      bool *should_continue);
/* The same from the set itself. */
void dsutil_should_run(const cJSON *ds, const cJSON *node, bool *should_run, bool *should_continue);

/* ReplaceDaemonSetPodNodeNameNodeAffinity on a pod spec. */
void dsutil_pin_to_node(cJSON *pod_spec, const char *node);

/* GetTargetNodeName: spec.nodeName, else the matchFields metadata.name In
 * term with one value; NULL when neither. */
const char *dsutil_target_node(const cJSON *pod);

/* IsPodUpdated: the hash label is hash, or the generation label is the
 * set's template generation (gen NULL: none). */
bool dsutil_pod_updated(const cJSON *pod, const char *hash, const char *gen);

#endif
