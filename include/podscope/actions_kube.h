#ifndef PODSCOPE_ACTIONS_KUBE_H
#define PODSCOPE_ACTIONS_KUBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "podscope/err.h"

/*
 * What podscope does to the cluster (kube side of the action table in
 * actions.h). Every action is two steps, so that a dialog can show exactly
 * what will change before anything is sent:
 *
 *   kact_plan_*()  reads the current objects (GET through the client) and
 *                  builds a struct kact_plan: one sentence in words, and the
 *                  HTTP method, path, content type and body that will be sent;
 *   kact_apply()   sends that request, fills a result line (kubectl's output
 *                  on success, the API's error line otherwise) and appends
 *                  a line to the audit log.
 *
 * Each plan sends what the kubectl command it mirrors sends (patch type and
 * body); doc/actions.md lists them. Actions that make a new revision (set
 * image, restart, undo) also set kubernetes.io/change-cause to the sentence,
 * in the same patch. All calls are synchronous (kclient_request): they run
 * the loop until their requests end, other transfers going on meanwhile
 * (so: not from inside a client data callback; kact_apply_start() does not wait).
 * A plan_* function returns 0, or -1 with err set (PERR_API for the API's
 * answers, PERR_USAGE for kubectl's refusals such as "already paused").
 */

struct kclient;
struct kreq;
struct store;

enum kact_kind {
	KACT_SET_IMAGE,
	KACT_RESTART,
	KACT_UNDO,
	KACT_PAUSE,
	KACT_RESUME,
	KACT_SCALE,
	KACT_DELETE_POD,
	KACT_SWITCH_SERVICE,
};

/* The action's name as the action table and the audit log spell it ("set-image"). */
const char *kact_kind_name(enum kact_kind k);

struct kact_plan {
	enum kact_kind kind;
	char *ns;
	char *object;       /* "deploy/web", "pod/web-1", "svc/web" */
	char *summary;      /* the sentence; also the change-cause of new revisions */
	char *method;       /* "PATCH", "DELETE" */
	char *path;         /* "/apis/apps/v1/namespaces/default/deployments/web" */
	char *content_type; /* NULL when there is no body */
	char *body;         /* the JSON sent, NULL when none */
	char *done_msg;     /* what kubectl prints on success: "deployment.apps/web paused" */
	/* KACT_SWITCH_SERVICE: the Deployments whose pods the Service selects
	 * before and after, comma-separated names ("" when none). */
	char *selects_before;
	char *selects_after;
};

void kact_plan_free(struct kact_plan *p);

/* kubectl set image deploy/NAME CONTAINER=IMAGE (init containers too).
 * Refuses an unknown container and an image that is already set. */
int kact_plan_set_image(struct kclient *c, const char *ns, const char *deploy,
			const char *container, const char *image, struct kact_plan *out,
			struct perr *err);

/* kubectl rollout restart: restartedAt = now in RFC3339 local time. */
int kact_plan_restart(struct kclient *c, const char *ns, const char *deploy, time_t now,
		      struct kact_plan *out, struct perr *err);

/* kubectl rollout undo [--to-revision=N]; to_revision 0 is the previous
 * revision. kubectl's "skipped rollback (current template already matches
 * revision N)" comes back as an error (PERR_USAGE): nothing is to be sent. */
int kact_plan_undo(struct kclient *c, const char *ns, const char *deploy, long to_revision,
		   struct kact_plan *out, struct perr *err);

int kact_plan_pause(struct kclient *c, const char *ns, const char *deploy, struct kact_plan *out,
		    struct perr *err);
int kact_plan_resume(struct kclient *c, const char *ns, const char *deploy, struct kact_plan *out,
		     struct perr *err);

/* kubectl scale through /scale; input is checked by kact_scale_parse
 * against the current spec.replicas. */
int kact_plan_scale(struct kclient *c, const char *ns, const char *deploy, const char *input,
		    struct kact_plan *out, struct perr *err);

/* kubectl delete pod NAME (the pod's own grace period). */
int kact_plan_delete_pod(struct kclient *c, const char *ns, const char *pod, struct kact_plan *out,
			 struct perr *err);

/* Point Service svc at the pods of Deployment deploy: its selector becomes
 * the Deployment's spec.selector.matchLabels (keys no longer wanted are
 * removed). selects_before/after name the Deployments (of ns) whose
 * template labels the old and new selector match. */
int kact_plan_switch_service(struct kclient *c, const char *ns, const char *svc, const char *deploy,
			     struct kact_plan *out, struct perr *err);

struct kact_result {
	bool ok;
	long http_status; /* 0 when nothing came back */
	char *line;       /* done_msg, or the API's (or client's) error line */
	char *audit_err;  /* NULL, or why the audit line could not be written */
};

void kact_result_free(struct kact_result *r);

/* Send p. context names the kubeconfig context for the audit log. Returns
 * 0 when the API accepted it, -1 otherwise; res is filled either way. */
int kact_apply(struct kclient *c, const struct kact_plan *p, const char *context,
	       struct kact_result *res);

/*
 * The same without waiting: done gets the result (valid during the call)
 * when the answer is in. Returns a handle, or NULL when the client refused
 * at once (read-only, credentials): then res is filled and audited, and
 * done is never called. kact_cancel() stops it (nothing is audited then);
 * the handle is gone once done was called.
 */
struct kact_req;
typedef void (*kact_done_fn)(void *ud, const struct kact_result *res);
struct kact_req *kact_apply_start(struct kclient *c, const struct kact_plan *p, const char *context,
				  kact_done_fn done, void *ud, struct kact_result *res);
void kact_cancel(struct kact_req *r);

/* ---- rollout history ---- */

struct kact_revision {
	long revision;
	char *replicaset;
	char *change_cause; /* "" when none (kubectl prints <none>) */
	char **images;      /* the template's containers' images */
	size_t n_images;
	char **diff;   /* "spec.containers[nginx].image: nginx:1.27 -> nginx:1.26", ... */
	size_t n_diff; /* 0 for the current revision */
	bool current;  /* its template is the Deployment's */
};

/* The ReplicaSets the Deployment owns, by ascending revision, each with its
 * differences against the Deployment's template (what undo would change). */
int kact_history(struct kclient *c, const char *ns, const char *deploy, struct kact_revision **out,
		 size_t *n, struct perr *err);
void kact_history_free(struct kact_revision *revs, size_t n);

/* ---- helpers for the dialogs ---- */

/* The images this cluster has run with the repository of image (the part
 * before the tag or digest), from the store's ReplicaSets and pods in ns
 * (NULL: every namespace): distinct, sorted, without image itself. Returns
 * the count; *out is a heap array of heap strings (kact_strv_free). */
size_t kact_image_tags(const struct store *s, const char *ns, const char *image, char ***out);
void kact_strv_free(char **v, size_t n);

/* Typed input of the scale dialog: "N" (a whole number from 0), "+N" or
 * "-N" (relative to current). Surrounding blanks are ignored. Returns 0
 * with *out, or -1 with *why (a static string saying why it is refused). */
int kact_scale_parse(const char *input, int32_t current, int32_t *out, const char **why);

/* RFC3339 in local time, as Go's time.RFC3339 ("2026-05-01T12:34:56+02:00",
 * "Z" for a zero offset). */
void kact_rfc3339(time_t t, char out[32]);

/* ---- read-only decision ---- */

/*
 * A SelfSubjectAccessReview: may the user patch deployments (group apps)
 * in ns? Must run before kclient_set_readonly(c, true): the client sends
 * nothing but GET after that. Returns 0 with *allowed and *reason (heap:
 * the API's reason, or a sentence when it gave none), -1 with err when no
 * answer came (the caller decides; podscope stays read-write then).
 */
int actions_check_access(struct kclient *c, const char *ns, bool *allowed, char **reason,
			 struct perr *err);

/* The same review without blocking the loop (after a context switch). fn
 * gets what actions_check_access returns (reason and err only during the
 * call). */
typedef void (*actions_access_fn)(void *ud, int rc, bool allowed, const char *reason,
				  const struct perr *err);

struct actions_access {
	struct kreq *req; /* in flight, or NULL */
	struct kclient *client;
	char ns[254];
	actions_access_fn fn;
	void *ud;
};

/* Start a review on the loop (cancelling one in flight): 0, or -1 with err
 * when it cannot start. fn is called once, unless cancelled first. */
int actions_access_start(struct actions_access *a, struct kclient *c, const char *ns,
			 actions_access_fn fn, void *ud, struct perr *err);
/* Forget a review in flight: fn will not be called. Harmless when none is. */
void actions_access_cancel(struct actions_access *a);

/* ---- audit log ---- */

/* $XDG_STATE_HOME/podscope/audit.log, else ~/.local/state/podscope/audit.log
 * (heap; NULL when neither variable is set). */
char *kact_audit_path(void);

/* Append one line: RFC3339 time, context, user, action, object, outcome,
 * tab-separated (tabs and newlines in fields become spaces). Directories
 * are made 0700, the file 0600. Returns 0, or -1 with err. */
int kact_audit_append(const char *context, const char *user, const char *action, const char *object,
		      const char *outcome, struct perr *err);

#endif
