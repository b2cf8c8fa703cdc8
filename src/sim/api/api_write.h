#ifndef PODSCOPE_SIM_API_WRITE_H
#define PODSCOPE_SIM_API_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "api.h"
#include "http.h"
#include "store.h"

/*
 * The API server's write path: POST, PUT, PATCH (merge, strategic merge,
 * JSON patch, and apply-patch+yaml handled as a strategic merge), DELETE and
 * DELETE of a collection, on objects and on their /status and /scale
 * subresources. Every write goes through the same steps as in
 * kube-apiserver: decode, the strategy's preparation (status kept or reset,
 * server-owned fields), defaults (objdefaults_apply), validation
 * (objvalidate plus the update rules), preconditions (resourceVersion), then
 * the store. Answers are the stored object or a Status kubectl prints.
 */

/* Handle a create, update, patch, delete or deletecollection request
 * (authorization has been checked). */
void simwrite_handle(struct simreq *r, const struct simroute *rt);

/* GET /openapi/v3 and its group-version documents (PATCH operations only, so
 * that kubectl's --validate=strict leaves validation to the server). False
 * when the path is not one of them. */
bool simwrite_openapi(struct simreq *r);

/* --- shared between the api_write*.c files ------------------------------ */

/* The typed clients' protobuf body as JSON, for the kinds kubectl's
 * generators create; NULL when it cannot be decoded. */
cJSON *simwrite_from_protobuf(const void *body, size_t len, const char *kind);

/* "deployments.apps" or "pods": how Status messages name a resource. */
void simwrite_qualified(const struct simres *res, char *out, size_t n);

/* Status answers: 400 BadRequest, 409 AlreadyExists / Conflict, 422 from an
 * objvalidate-shaped Status (taken). */
void simwrite_bad_request(struct simreq *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void simwrite_conflict(struct simreq *r, const struct simres *res, const char *name);
/* 403: the resource holds --max-objects objects already (a quota's answer). */
void simwrite_full(struct simreq *r, const struct simres *res, const char *name);
void simwrite_reply_status_json(struct simreq *r, cJSON *status);
/* 422 with one cause. */
void simwrite_invalid(struct simreq *r, const struct simres *res, const char *name,
		      const char *field, const char *reason, const char *detail);

/* Answer 200/201 with an object's JSON. */
void simwrite_reply_obj(struct simreq *r, unsigned code, const struct simobj *o);

/* dryRun=All in the query. */
bool simwrite_dry_run(const struct simreq *r);

/*
 * What the strategies do before defaults and validation. Both return NULL
 * or a Status to answer with (422 or 403). create: reset status, drop
 * server-owned metadata, set kind-specific fields (a Pod's phase Pending and
 * qosClass, a Namespace's finalizer and phase, a Service's cluster IP).
 * update: keep what the user may not change (status unless status_only;
 * only status when status_only; deletion fields; a Service's cluster IP) and
 * check the update rules (immutable selectors, what a Pod update may change).
 */
cJSON *simprep_create(struct sim *sim, const struct simres *res, cJSON *obj);
cJSON *simprep_update(struct sim *sim, const struct simres *res, const cJSON *cur, cJSON *obj,
		      bool status_only);

/* jobStrategy's create alone (simprep_create does it for a Job): a uid,
 * the generated selector and pod labels, and the Job's labels defaulted
 * from its template's first; for objects a scenario stores. */
void simprep_job(cJSON *obj);

/*
 * Store an updated object after preparation, defaults and validation:
 * expect_rv from the object's metadata.resourceVersion (409 on mismatch),
 * then the store; an object that has a deletionTimestamp, no finalizers left
 * and no grace period pending goes away. Takes obj. Answers the request:
 * the error, or 200 with the object unless stored is not NULL, which then
 * gets the stored version (a reference) instead. Returns the HTTP status.
 */
unsigned simwrite_commit_update(struct simreq *r, const struct simres *res, const cJSON *cur,
				cJSON *obj, bool status_only, struct simobj **stored);

/*
 * The integer fields after decoding (objints.h), as kube-apiserver's decoders
 * fail on them. body: a POST or PUT body decoded into obj (kind from the
 * URL's resource unless the body names one): 400 "Deployment in version
 * \"v1\" cannot be handled as a Deployment: json: cannot unmarshal ...".
 * patch: obj is the result of a patch of Content-Type ct (the request body is
 * the patch): 400 for a number no float64 holds in a strategic merge patch,
 * else 422 "patch: Invalid value: ..."; strategic merge and apply patches
 * wrap integral values to the field's width in obj, as upstream does. False
 * with the answer queued when refused.
 */
bool simwrite_ints_body(struct simreq *r, const char *kind, const char *api_version, cJSON *obj);
bool simwrite_ints_patch(struct simreq *r, const char *kind, cJSON *obj, const char *ct);

/* /scale: GET answered by api.c; PUT and PATCH here. */
void simwrite_scale(struct simreq *r, const struct simroute *rt);

/* DELETE of one object and of a collection. */
void simwrite_delete(struct simreq *r, const struct simroute *rt);
void simwrite_delete_collection(struct simreq *r, const struct simroute *rt);

/* The Scale (autoscaling/v1) of a Deployment or ReplicaSet. */
cJSON *simwrite_scale_of(const struct simobj *o);

/*
 * Delete one object as the API does it, for the API and for the controllers
 * (namespace deletion, garbage collection). grace_s < 0: the default.
 * propagation: "Background" (NULL), "Foreground" or "Orphan". Pods go through
 * simpod_delete; objects with finalizers (or Foreground with dependents) get
 * a deletionTimestamp and stay. expect_uid (may be NULL) is a precondition.
 */
enum simstore_rc simwrite_delete_object(struct sim *sim, const struct simres *res, const char *ns,
					const char *name, int64_t grace_s, const char *propagation,
					const char *expect_uid, struct simobj **out);

/* Whether namespace ns exists and is not being deleted: 0, 404 or 403 (with
 * an answer queued when r is not NULL). */
unsigned simwrite_check_namespace(struct simreq *r, const struct simres *res, const char *ns,
				  const char *name);

#endif
