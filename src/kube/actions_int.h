#ifndef PODSCOPE_ACTIONS_INT_H
#define PODSCOPE_ACTIONS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/actions_kube.h"
#include "podscope/buf.h"
#include "podscope/urlpath.h"

/* Shared by src/kube/actions*.c only. */

struct cJSON;

#define KACT_CAUSE     "kubernetes.io/change-cause"
#define KACT_SMP       "application/strategic-merge-patch+json"
#define KACT_MERGE     "application/merge-patch+json"
#define KACT_JSONPATCH "application/json-patch+json"

#define KACT_CORE  "/api/v1"
#define KACT_APPS  "/apis/apps/v1"
#define KACT_BATCH "/apis/batch/v1"

struct kresp;

/* How kubectl names a target: "statefulsets", "sts", "statefulset.apps". */
struct kact_names {
	const char *resource;
	const char *short_name;
	const char *kind_group;
	const char *api; /* KACT_APPS, KACT_BATCH */
};
const struct kact_names *kact_target_names(enum kact_target t);

/* The answer to GET path: 0 with *out (cJSON_Delete it), -1 with err. */
int kact_parse_answer(const char *path, const struct kresp *resp, struct cJSON **out,
		      struct perr *err);
char *kact_deploy_path(const char *ns, const char *name);
/* api (KACT_CORE, KACT_APPS) + /namespaces/NS/RESOURCE[/NAME], each segment
 * percent-encoded; name NULL for the collection. */
char *kact_object_path(const char *api, const char *ns, const char *resource, const char *name);
/* Every plan starts here: 0 when ns is a DNS-1123 label and name follows
 * rule; else -1 with err (PERR_USAGE) in client-go's words ("invalid
 * resource name "NAME": a lowercase RFC 1123 subdomain must ..."), the
 * name shown quoted and escaped. Nothing is requested for such a name. */
int kact_check_names(const char *ns, const char *name, enum urlpath_rule rule, struct perr *err);
/* Start a plan: zeroes out and fills the common fields (strings copied). */
void kact_plan_init(struct kact_plan *p, enum kact_kind kind, const char *ns, const char *object,
		    const char *method, char *path);
/* Take a cJSON patch as the plan's body (deletes it). */
void kact_plan_body(struct kact_plan *p, const char *content_type, struct cJSON *body);
/* Whether v is a whole number in [lo, hi] (as Go decodes it into an int
 * type; hi at most 2^53, where a double still holds every integer): *out. */
bool kact_int_in(const struct cJSON *v, int64_t lo, int64_t hi, int64_t *out);
/* spec.replicas of a Scale read from path: 0 when absent, -1 with err when
 * it is no int32 (1e300 was cast from a double, undefined). */
int kact_scale_current(const struct cJSON *scale, const char *path, int32_t *out, struct perr *err);
/* actions_misc.c: the switch-service plan from the Service, the
 * Deployment and the list of ns's Deployments. */
int kact_build_switch(const struct kact_args *a, const struct cJSON *svc, const struct cJSON *d,
		      const struct cJSON *list, struct kact_plan *out, struct perr *err);
/* actions_undo.c: the ReplicaSet list path for Deployment d (by its
 * selector, as kubectl finds them); the undo plan and the history from d
 * and that list. */
char *kact_rs_list_path(const char *ns, const struct cJSON *d);
int kact_build_undo(const struct kact_args *a, const struct cJSON *d, const struct cJSON *rslist,
		    struct kact_plan *out, struct perr *err);
void kact_build_history(const struct cJSON *d, const struct cJSON *rslist,
			struct kact_revision **out, size_t *n);
/* api/apps/v1 RESOURCE of ns selected as kubectl selects a workload's
 * ReplicaSets or ControllerRevisions: by d's spec.selector.matchLabels. */
char *kact_selector_list_path(const char *ns, const char *resource, const struct cJSON *d);
/* Whether obj's controller ownerReference has uid. */
bool kact_owned_by(const struct cJSON *obj, const char *uid);
/* A template as kubectl compares them: no pod-template-hash label, no null members. */
struct cJSON *kact_comparable(const struct cJSON *template);
bool kact_same_template(const struct cJSON *a, const struct cJSON *b);
/* The lines "path: now -> then" of what going back to then changes. */
void kact_template_diff(const struct cJSON *now, const struct cJSON *then, char ***out, size_t *n);
/* r->images from the template's containers. */
void kact_images_of(const struct cJSON *template, struct kact_revision *r);
/* One revision of a history: its number, the object holding it (name,
 * change-cause), its template against the workload's now. */
void kact_revision_fill(struct kact_revision *r, long revision, const struct cJSON *owner,
			const struct cJSON *now, const struct cJSON *template);
/* The history of the n objects items (revisions nums), each one's
 * template as template_of gives it (a new object), against now. */
void kact_history_of(struct cJSON *const *items, const long *nums, size_t n,
		     const struct cJSON *now, struct cJSON *(*template_of)(const struct cJSON *),
		     struct kact_revision **out);
/* Those images as one string, ", " between them (heap). */
char *kact_images_joined(const struct cJSON *template);
/* actions_sets.c: the paths a StatefulSet's or DaemonSet's plan reads (n:
 * the objects read so far, got them), NULL once all are in; the plans and
 * the history. */
char *kact_set_next_path(const struct kact_args *a, bool history, struct cJSON *const *got,
			 size_t n);
int kact_build_set(const struct kact_args *a, struct cJSON *const *got, struct kact_plan *out,
		   struct perr *err);
void kact_build_set_history(const struct cJSON *set, const struct cJSON *crlist,
			    struct kact_revision **out, size_t *n);
/* A PATCH of a->object (a->target) with podscope's field manager. */
void kact_set_patch_init(struct kact_plan *p, enum kact_kind kind, const struct kact_args *a);
/* Refusals before any request (pause of a set, scale of a DaemonSet): -1 with err. */
int kact_check_set_args(const struct kact_args *a, struct perr *err);
/* actions_jobs.c: refusals before any request (a Job's action on another
 * kind, a trigger from a Job, its name); the plans from the Job or CronJob read. */
int kact_check_job_args(const struct kact_args *a, struct perr *err);
int kact_build_job(const struct kact_args *a, const struct cJSON *obj, struct kact_plan *out,
		   struct perr *err);

/* The string at obj.a.b.c (NULL-terminated key list), or NULL. */
const char *kact_str_at(const struct cJSON *obj, ...) __attribute__((sentinel));
struct cJSON *kact_at(const struct cJSON *obj, ...) __attribute__((sentinel));

#endif
