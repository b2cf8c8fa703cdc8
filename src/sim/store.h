#ifndef PODSCOPE_SIM_STORE_H
#define PODSCOPE_SIM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "resources.h"

/*
 * podscope-sim's object store: what etcd plus the watch cache are to
 * kube-apiserver.
 *
 * - One global resourceVersion (RV), incremented by every write.
 * - Per resource, a hash index by "namespace/name" (just "name" for cluster
 *   scoped resources), which is also the key objects are listed in (etcd
 *   order: bytewise).
 * - Objects are immutable, reference-counted versions (struct simobj): the
 *   cJSON tree and its compact serialisation, made once per write, so lists
 *   and watches copy bytes and never re-encode.
 * - Per resource, a ring of the last `event_window` events (ADDED, MODIFIED,
 *   DELETED) for watches that resume from an RV; older RVs are "too old".
 * - Listeners are told of every event after it is stored: the watch streams
 *   use this, and so will controllers.
 *
 * Writes (create, update, delete) are the only way objects change; they set
 * kind, apiVersion and the server-owned metadata (uid, creationTimestamp,
 * resourceVersion, generation), keep the ring, and notify listeners. A
 * listener may itself write (a controller reacting); its events are then
 * delivered to all listeners too, nested, in RV order per resource.
 */

struct simstore;

/* One version of one object. Never modify json or ser of a stored object:
 * copy (simobj_copy), change the copy, and write it back. */
struct simobj {
	unsigned refs;
	const struct simres *res;
	uint64_t rv;      /* metadata.resourceVersion as a number */
	const char *ns;   /* metadata.namespace, "" for cluster-scoped */
	const char *name; /* metadata.name */
	char *key;        /* "ns/name" or "name" */
	cJSON *json;      /* the whole object, with kind and apiVersion */
	char *ser;        /* compact JSON of json */
	size_t ser_len;
};

struct simobj *simobj_ref(struct simobj *o);
void simobj_unref(struct simobj *o);
/* A deep copy of the object's JSON to change and write back. */
cJSON *simobj_copy(const struct simobj *o);
/* metadata.labels (an object) or NULL. */
const cJSON *simobj_labels(const struct simobj *o);

enum simev_type {
	SIMEV_ADDED,
	SIMEV_MODIFIED,
	SIMEV_DELETED,
};

/* "ADDED", "MODIFIED", "DELETED". */
const char *simev_name(enum simev_type t);

struct simevent {
	enum simev_type type;
	uint64_t rv;
	struct simobj *obj;  /* new state; for DELETED the last state, carrying the deletion RV */
	struct simobj *prev; /* state before the event; NULL for ADDED */
};

struct simstore_opts {
	size_t event_window; /* events kept per resource (0: 16384) */
	size_t max_objects;  /* objects per resource; creates beyond fail (0: no limit) */
	/* The clock for creationTimestamp (NULL: time(NULL)). */
	time_t (*now)(void *ud);
	void *now_ud;
};

struct simstore *simstore_new(const struct simstore_opts *o);
/* Frees every object; listeners are forgotten, not called. */
void simstore_free(struct simstore *st);

/* The current global resourceVersion. */
uint64_t simstore_rv(const struct simstore *st);

/* --- reads ------------------------------------------------------------- */

/* The current object, borrowed (valid until the next write to it), or NULL.
 * ns is ignored for cluster-scoped resources. */
struct simobj *simstore_get(const struct simstore *st, const struct simres *res, const char *ns,
                            const char *name);

size_t simstore_count(const struct simstore *st, const struct simres *res);
/* The per-resource limit on objects (0: none). */
size_t simstore_max_objects(const struct simstore *st);

/*
 * A consistent snapshot of every object of res, sorted by key, at list RV
 * `rv`. Each item holds a reference, so later writes do not change it.
 */
struct simsnap {
	unsigned refs;
	const struct simres *res;
	uint64_t rv;
	int64_t taken_ms; /* monotonic */
	size_t n;
	struct simobj **items;
};

/* Take a snapshot now (reusing a cached one while it is still current). */
struct simsnap *simstore_snapshot(struct simstore *st, const struct simres *res);
/*
 * The state at exactly rv (an "Exact" list): the live state when res has not
 * changed since rv, else a kept snapshot taken at rv; NULL when neither (the
 * API answers 410 then). Its items are that state; s->rv may be newer.
 */
struct simsnap *simstore_snapshot_at(struct simstore *st, const struct simres *res, uint64_t rv);
/* Keep s so that a later page (a continue token with s->rv) finds it. */
void simstore_keep_snapshot(struct simstore *st, struct simsnap *s);
/* A kept snapshot at exactly rv (a new reference), or NULL once expired. */
struct simsnap *simstore_find_snapshot(struct simstore *st, const struct simres *res, uint64_t rv);
struct simsnap *simsnap_ref(struct simsnap *s);
void simsnap_unref(struct simsnap *s);
/* Index of the first item whose key is > after (or >= when inclusive). */
size_t simsnap_seek(const struct simsnap *s, const char *after, bool inclusive);

/* --- writes ------------------------------------------------------------ */

enum simstore_rc {
	SIMSTORE_OK = 0,
	SIMSTORE_NOT_FOUND, /* update/delete of an object that does not exist */
	SIMSTORE_EXISTS,    /* create of a name that is taken */
	SIMSTORE_CONFLICT,  /* expect_rv did not match the stored object */
	SIMSTORE_INVALID,   /* no name, no namespace for a namespaced resource, not an object */
	SIMSTORE_FULL,      /* create beyond max_objects of the resource */
};

/*
 * Store a new object; takes ownership of obj (freed on failure too).
 * metadata.name, or metadata.generateName to which 5 random characters are
 * appended. Namespaced resources need metadata.namespace (the API layer sets
 * it from the URL). Sets uid, creationTimestamp (now), resourceVersion and
 * generation 1 (where the resource has one). *out (may be NULL) gets the
 * stored version, borrowed. SIMSTORE_FULL when res already holds
 * max_objects objects.
 */
enum simstore_rc simstore_create(struct simstore *st, const struct simres *res, cJSON *obj,
                                 struct simobj **out);

/*
 * Replace an object (found by obj's namespace and name); takes obj.
 * expect_rv != 0 must equal the stored RV (else SIMSTORE_CONFLICT). uid and
 * creationTimestamp are kept from the stored object; generation goes up by
 * one when .spec changed. An update that changes nothing is not a write: no
 * new RV and no event, as in Kubernetes.
 */
enum simstore_rc simstore_update(struct simstore *st, const struct simres *res, cJSON *obj,
                                 uint64_t expect_rv, struct simobj **out);

/*
 * Remove an object at once (graceful deletion is the API layer's business:
 * it sets deletionTimestamp with an update first). *out (may be NULL) gets the
 * final state with the deletion RV, borrowed until the event leaves the ring.
 */
enum simstore_rc simstore_delete(struct simstore *st, const struct simres *res, const char *ns,
                                 const char *name, uint64_t expect_rv, struct simobj **out);

/* --- events ------------------------------------------------------------ */

typedef void (*simstore_listener)(void *ud, const struct simevent *ev);

/* Call fn after each event of res (NULL: of every resource). */
void simstore_listen(struct simstore *st, const struct simres *res, simstore_listener fn, void *ud);
void simstore_unlisten(struct simstore *st, simstore_listener fn, void *ud);

/*
 * The ring of a resource is addressed by sequence numbers that only grow.
 * simstore_seq_after: the sequence number of the first event with an RV
 * above rv; false when events after rv have already left the ring (the
 * "too old resource version" case), *oldest then gets the RV a 410 names.
 */
bool simstore_seq_after(const struct simstore *st, const struct simres *res, uint64_t rv,
                        uint64_t *seq, uint64_t *oldest);
/* The next sequence number to be written. */
uint64_t simstore_seq_next(const struct simstore *st, const struct simres *res);
/* The event at seq; NULL if it left the ring or has not happened yet
 * (tell them apart with simstore_seq_next). */
const struct simevent *simstore_event_at(const struct simstore *st, const struct simres *res,
                                         uint64_t seq);

#endif
