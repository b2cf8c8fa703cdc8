#ifndef PODSCOPE_ACTIONS_INT_H
#define PODSCOPE_ACTIONS_INT_H

#include "podscope/actions_kube.h"
#include "podscope/buf.h"

/* Shared by src/kube/actions*.c only. */

struct cJSON;

#define KACT_CAUSE     "kubernetes.io/change-cause"
#define KACT_SMP       "application/strategic-merge-patch+json"
#define KACT_MERGE     "application/merge-patch+json"
#define KACT_JSONPATCH "application/json-patch+json"

/* GET path and parse the body: 0 with *out (cJSON_Delete it), -1 with err. */
int kact_get_json(struct kclient *c, const char *path, struct cJSON **out, struct perr *err);
/* GET a Deployment of ns. */
int kact_get_deploy(struct kclient *c, const char *ns, const char *name, struct cJSON **out,
		    struct perr *err);
char *kact_deploy_path(const char *ns, const char *name);
/* Start a plan: zeroes out and fills the common fields (strings copied). */
void kact_plan_init(struct kact_plan *p, enum kact_kind kind, const char *ns, const char *object,
		    const char *method, char *path);
/* Take a cJSON patch as the plan's body (deletes it). */
void kact_plan_body(struct kact_plan *p, const char *content_type, struct cJSON *body);
/* Add s to b, %-encoded for a query value. */
void kact_urlencode(struct buf *b, const char *s);
/* The string at obj.a.b.c (NULL-terminated key list), or NULL. */
const char *kact_str_at(const struct cJSON *obj, ...) __attribute__((sentinel));
struct cJSON *kact_at(const struct cJSON *obj, ...) __attribute__((sentinel));

#endif
