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

#define KACT_CORE "/api/v1"
#define KACT_APPS "/apis/apps/v1"

struct kresp;

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
/* The string at obj.a.b.c (NULL-terminated key list), or NULL. */
const char *kact_str_at(const struct cJSON *obj, ...) __attribute__((sentinel));
struct cJSON *kact_at(const struct cJSON *obj, ...) __attribute__((sentinel));

#endif
