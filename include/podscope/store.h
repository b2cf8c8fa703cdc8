#ifndef PODSCOPE_STORE_H
#define PODSCOPE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/err.h"
#include "podscope/model.h"

/*
 * The live store: every object podscope knows, as the compact structs of
 * model.h, keyed by kind, namespace and name. Each object lives in one
 * exact-size heap block (header, struct, arrays and its own strings); the
 * strings objects share live once in the store's interner and go away with
 * the last object holding them. No cJSON tree is kept.
 *
 * Change tracking: a store generation counter that every change bumps, the
 * generation at which each object last changed, and change callbacks that
 * get the old and the new object, so that `watch` can print transitions and
 * the screen can redraw only what changed.
 *
 * Indexes: by parent uid (Deployment -> ReplicaSets by the ReplicaSets'
 * controller ownerReference; ReplicaSet, Job, StatefulSet, DaemonSet ->
 * Pods by the pods' controller ownerReference; any object -> Events by
 * involvedObject.uid), and queries for Service -> Pods by selector and for
 * the groups of pods that no Deployment owns.
 *
 * Pure memory: no I/O. Objects returned by lookups and iterators are valid
 * until the next change to the store (upsert, delete, replace_end). Not
 * thread-safe.
 */

struct cJSON;
struct intern;

enum store_kind {
	STORE_DEPLOYMENTS = 0,
	STORE_REPLICASETS,
	STORE_PODS,
	STORE_SERVICES,
	STORE_ENDPOINTS,
	STORE_EVENTS,
	STORE_NAMESPACES,
	STORE_STATEFULSETS,
	STORE_DAEMONSETS,
	STORE_CONTROLLERREVISIONS, /* indexed by their controller's uid */
	STORE_JOBS,                /* indexed by their controller's uid (a CronJob's) */
	STORE_CRONJOBS,
	STORE_NODES, /* cluster-scoped; a user who may not list them sees none, quietly */
	STORE_NKINDS
};

/* The resource name ("deployments", "pods", ...) and the Kind ("Pod"). */
const char *store_kind_name(enum store_kind k);
const char *store_kind_kind(enum store_kind k);
/* By resource name or Kind, case-insensitive, singular or plural; -1 when unknown. */
int store_kind_parse(const char *s);

struct store;

struct store *store_new(void);
/* Free everything (no callbacks are called). */
void store_free(struct store *s);

/* The string table objects share (for statistics and tests). */
struct intern *store_strings(const struct store *s);

/* ---- changes ---- */

/*
 * A change callback: old is NULL for an addition, new is NULL for a
 * deletion (or eviction of an event), both are set for an update. Both
 * objects are valid during the call only; the store is already updated
 * (lookups see new). A callback must not change the store.
 */
typedef void (*store_change_fn)(void *ud, enum store_kind k, const void *old_obj,
				const void *new_obj);

void store_subscribe(struct store *s, store_change_fn fn, void *ud);

/*
 * What the store is given, before it decodes or compares anything: every
 * upsert (unchanged ones too, which a relist needs), delete, relist begin
 * and end. One observer (a recording); NULL stops it. obj is NULL for
 * STORE_IN_LIST_BEGIN and _END, and valid during the call only.
 */
enum store_input { STORE_IN_UPSERT = 1, STORE_IN_DELETE, STORE_IN_LIST_BEGIN, STORE_IN_LIST_END };
typedef void (*store_input_fn)(void *ud, enum store_input op, enum store_kind k,
			       const struct cJSON *obj);
void store_set_input_observer(struct store *s, store_input_fn fn, void *ud);
void store_unsubscribe(struct store *s, store_change_fn fn, void *ud);

/*
 * Decode obj (an object of kind k as the API serves it: a list item or a
 * watch event's object) and insert or replace it. When the stored object
 * has the same metadata.resourceVersion (non-empty) and uid, nothing is
 * decoded and nothing changes, so a relist of unchanged objects costs no
 * redraw.
 * Returns 1 when the store changed, 0 when the object was unchanged, -1 with
 * err (PERR_API) when obj is not an object or has no metadata.name.
 */
int store_upsert_json(struct store *s, enum store_kind k, const struct cJSON *obj,
		      struct perr *err);

/* Remove the object named by obj's metadata (a DELETED event's object).
 * Returns 1 when it was there, 0 otherwise. */
int store_delete_json(struct store *s, enum store_kind k, const struct cJSON *obj);
int store_delete(struct store *s, enum store_kind k, const char *ns, const char *name);

/*
 * A relist: after store_replace_begin(k), every upsert of kind k marks its
 * object as seen (changed or not); store_replace_end(k) deletes every
 * object of kind k that was not seen since, calling the callbacks for each,
 * and returns how many it deleted. Objects that were listed again unchanged
 * are left untouched. An abandoned relist (begin without end) is harmless:
 * the next begin starts over.
 */
void store_replace_begin(struct store *s, enum store_kind k);
size_t store_replace_end(struct store *s, enum store_kind k);

/* Delete every object of kind k (with callbacks). */
void store_clear(struct store *s, enum store_kind k);

/*
 * Events are bounded: beyond limit (default 2000) the least recently
 * updated Normal event is evicted, and a Warning only when no Normal event
 * is left.
 */
void store_set_event_limit(struct store *s, size_t limit);

/* ---- lookups ---- */

/* The object of kind k named ns/name (ns ignored for namespaces), or NULL. */
const void *store_get(const struct store *s, enum store_kind k, const char *ns, const char *name);

static inline const struct pod *store_get_pod(const struct store *s, const char *ns,
					      const char *name)
{
	return (const struct pod *)store_get(s, STORE_PODS, ns, name);
}

static inline const struct deployment *store_get_deployment(const struct store *s, const char *ns,
							    const char *name)
{
	return (const struct deployment *)store_get(s, STORE_DEPLOYMENTS, ns, name);
}

static inline const struct replicaset *store_get_replicaset(const struct store *s, const char *ns,
							    const char *name)
{
	return (const struct replicaset *)store_get(s, STORE_REPLICASETS, ns, name);
}

static inline const struct statefulset *store_get_statefulset(const struct store *s, const char *ns,
							      const char *name)
{
	return (const struct statefulset *)store_get(s, STORE_STATEFULSETS, ns, name);
}

static inline const struct daemonset *store_get_daemonset(const struct store *s, const char *ns,
							  const char *name)
{
	return (const struct daemonset *)store_get(s, STORE_DAEMONSETS, ns, name);
}

static inline const struct job *store_get_job(const struct store *s, const char *ns,
					      const char *name)
{
	return (const struct job *)store_get(s, STORE_JOBS, ns, name);
}

static inline const struct cronjob *store_get_cronjob(const struct store *s, const char *ns,
						      const char *name)
{
	return (const struct cronjob *)store_get(s, STORE_CRONJOBS, ns, name);
}

static inline const struct node *store_get_node(const struct store *s, const char *name)
{
	return (const struct node *)store_get(s, STORE_NODES, "", name);
}

/* What the store knows about any object it returned. */
enum store_kind store_obj_kind(const void *obj);
uint64_t store_obj_changed(const void *obj);      /* the generation of its last change */
const char *store_obj_rv(const void *obj);        /* metadata.resourceVersion, "" when none */
size_t store_obj_bytes(const void *obj);          /* its block: header, struct, arrays, strings */
const char *store_obj_namespace(const void *obj); /* "" for namespaces */
const char *store_obj_name(const void *obj);
const char *store_obj_uid(const void *obj);

size_t store_count(const struct store *s, enum store_kind k);
/* Bumped by every change; 0 for an empty, never changed store. */
uint64_t store_generation(const struct store *s);
/* The generation of the last change to kind k. */
uint64_t store_kind_generation(const struct store *s, enum store_kind k);
/* Heap bytes of the objects of kind k (blocks only; strings: intern_bytes). */
size_t store_bytes(const struct store *s, enum store_kind k);
/* Heap bytes and count of the arrays pods share (labels, ownerReferences,
 * container specs: identical for the pods of one ReplicaSet). */
size_t store_shared_bytes(const struct store *s);
size_t store_shared_count(const struct store *s);

/* ---- iteration ---- */

/* Fields are private. Do not change the store while iterating. */
struct store_iter {
	const struct store *s;
	const void *filter; /* a service (selector) or NULL */
	const char *ns;     /* NULL: every namespace */
	const void *cur;    /* the bucket list position */
	size_t slot;
	uint8_t kind;
	uint8_t mode;
};

/* Every object of kind k in namespace ns (NULL or "": all), in no set order. */
void store_iter_all(struct store_iter *it, const struct store *s, enum store_kind k,
		    const char *ns);

/*
 * The children of a parent uid, in the order they were last changed:
 * STORE_REPLICASETS by their controller owner (a Deployment's uid),
 * STORE_PODS by their controller owner (a ReplicaSet's, Job's, ... uid; ""
 * for pods with no controller), STORE_EVENTS by involvedObject.uid.
 */
void store_iter_children(struct store_iter *it, const struct store *s, enum store_kind k,
			 const char *parent_uid);
size_t store_children_count(const struct store *s, enum store_kind k, const char *parent_uid);

/* The pods in the Service's namespace that its selector selects (none when
 * it has no selector). */
void store_iter_service_pods(struct store_iter *it, const struct store *s,
			     const struct service *svc);
bool store_service_selects(const struct service *svc, const struct pod *p);

/* The next object, NULL at the end. */
const void *store_iter_next(struct store_iter *it);

/* ---- ownership ---- */

/* The ReplicaSet controlling p and the Deployment controlling that (NULL when
 * there is none or the store does not hold it). */
const struct replicaset *store_pod_replicaset(const struct store *s, const struct pod *p);
const struct deployment *store_pod_deployment(const struct store *s, const struct pod *p);
const struct deployment *store_rs_deployment(const struct store *s, const struct replicaset *rs);

/* The StatefulSet or DaemonSet controlling p (NULL when another kind or none
 * does, or the store does not hold it). */
const struct statefulset *store_pod_statefulset(const struct store *s, const struct pod *p);
const struct daemonset *store_pod_daemonset(const struct store *s, const struct pod *p);

/* The Job controlling p, and the CronJob controlling j (NULL when another
 * kind or none does, or the store does not hold it). */
const struct job *store_pod_job(const struct store *s, const struct pod *p);
const struct cronjob *store_job_cronjob(const struct store *s, const struct job *j);

/*
 * The number of the ControllerRevision of the workload owner_uid (a
 * StatefulSet's or DaemonSet's uid) that key names: a revision's name (a
 * StatefulSet's status.currentRevision, its pods' controller-revision-hash)
 * or its hash label (a DaemonSet's pods' controller-revision-hash). 0 when
 * the store holds no such revision.
 */
int64_t store_revision_number(const struct store *s, const char *owner_uid, const char *key);
/* The revision number of the pod's controller-revision-hash label among its
 * controller's revisions; 0 when unknown. */
int64_t store_pod_revision(const struct store *s, const struct pod *p);
/* The number of the revision a StatefulSet (k STORE_STATEFULSETS:
 * status.updateRevision) or DaemonSet (STORE_DAEMONSETS: its newest
 * revision, which the controller makes from the template) rolls out; 0 when
 * the store holds none. */
int64_t store_update_revision(const struct store *s, enum store_kind k, const void *set);

/*
 * The pods no workload in the store owns, as groups: by their controller (a
 * Job, a StatefulSet or DaemonSet the store does not hold, a ReplicaSet
 * without a Deployment, ...) or "standalone" (no controller: kind, name and
 * uid ""). Pods of a ReplicaSet whose Deployment is in the store, and of a
 * StatefulSet or DaemonSet in the store, are not here. Walk a group's pods with
 * store_iter_children(STORE_PODS, group.uid), filtering by namespace for
 * the standalone group (it spans namespaces).
 */
struct store_group {
	const char *kind; /* the controller's kind, "" for standalone */
	const char *name;
	const char *uid;
	const char *namespace; /* of its first pod ("" when the group spans several) */
	size_t n_pods;
};

typedef void (*store_group_fn)(void *ud, const struct store_group *g);
void store_foreach_unowned_group(const struct store *s, store_group_fn fn, void *ud);

#endif
