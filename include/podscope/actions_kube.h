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
 *   kact_plan_start()  reads the current objects (GETs through the client)
 *                      and builds a struct kact_plan: one sentence in words,
 *                      and the HTTP method, path, content type and body that
 *                      will be sent;
 *   kact_apply_start() sends that request, fills a result line (kubectl's
 *                      output on success, the API's error line otherwise)
 *                      and appends a line to the audit log.
 *
 * Each plan sends what the kubectl command it mirrors sends (patch type and
 * body); doc/actions.md lists them. Actions that make a new revision (set
 * image, restart, undo) also set kubernetes.io/change-cause to the sentence,
 * in the same patch. Nothing here waits: every call starts requests on the
 * client's loop and returns at once; a callback gets the answer. A plan's
 * refusal comes as -1 with err (PERR_API for the API's answers, PERR_USAGE
 * for kubectl's refusals such as "already paused").
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
	KACT_PARTITION,
	/* Jobs and CronJobs (actions_jobs.c). */
	KACT_SUSPEND,
	KACT_UNSUSPEND,
	KACT_TRIGGER,
};

/* The workload an action is on: a Deployment unless said otherwise. */
enum kact_target {
	KACT_TARGET_DEPLOY = 0,
	KACT_TARGET_STS,
	KACT_TARGET_DS,
	KACT_TARGET_JOB,
	KACT_TARGET_CRONJOB,
};

/* kubectl's short name of a target's kind: "deploy", "sts", "ds". */
const char *kact_target_short(enum kact_target t);

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
	/* KACT_UNDO of a StatefulSet or DaemonSet: what the template loses and
	 * gains ("spec.containers[db].image: nginx:1.27 -> nginx:1.26"). */
	char **diff;
	size_t n_diff;
};

void kact_plan_free(struct kact_plan *p);

/* What a plan is made from; the strings are copied by kact_plan_start. */
struct kact_args {
	enum kact_kind kind;
	/* KACT_RESTART, KACT_UNDO, KACT_SCALE, KACT_PAUSE and KACT_RESUME also
	 * take a StatefulSet or a DaemonSet (scale: StatefulSets only);
	 * KACT_PARTITION a StatefulSet only. Pause and resume of a set are
	 * refused before anything is sent, in kubectl's words ("statefulsets.apps
	 * \"db\" pausing is not supported"). */
	enum kact_target target;
	const char *ns;
	/* The Deployment (or set); the pod for KACT_DELETE_POD; the Service for
	 * KACT_SWITCH_SERVICE. */
	const char *object;
	/* KACT_SWITCH_SERVICE: the Deployment whose pods the Service gets: its
	 * selector becomes the Deployment's spec.selector.matchLabels (keys no
	 * longer wanted are removed); selects_before/after name the Deployments
	 * of ns whose template labels the old and new selector match. */
	const char *deploy;
	/* KACT_SET_IMAGE: kubectl set image deploy/NAME CONTAINER=IMAGE (init
	 * containers too); an unknown container and an image already set are
	 * refused. */
	const char *container;
	const char *image;
	/* KACT_SCALE: "N", "+N" or "-N" (kact_scale_parse, against the current
	 * spec.replicas read through /scale). KACT_PARTITION: the same forms
	 * against the current partition, within [0, spec.replicas]. */
	const char *input;
	/* KACT_SUSPEND and KACT_UNSUSPEND take a Job or a CronJob (spec.suspend
	 * true or false, sent even when it is so already, as kubectl patch does);
	 * KACT_TRIGGER a CronJob, with input the new Job's name (see
	 * kact_trigger_name). */
	/* KACT_UNDO: kubectl rollout undo --to-revision; 0 is the previous
	 * revision (for a set, its ControllerRevision's data is sent as
	 * kubectl's rollbacker sends it). kubectl's "skipped rollback (current template already
	 * matches revision N)" comes back as a refusal: nothing is to be sent. */
	long to_revision;
	/* KACT_RESTART: restartedAt = now in RFC3339 local time. */
	time_t now;
};

/*
 * Start planning action a. fn gets the plan (rc 0; the plan is fn's to
 * kact_plan_free and free) or the refusal (rc -1, err valid during the
 * call), once, on the loop. Returns a handle, or NULL with err when the
 * plan is refused at once (a name the API would misread, a missing input,
 * the client's refusal): fn is never called then, and nothing was sent.
 * kact_plan_cancel() stops it (fn is not called); the handle is gone once
 * fn was called.
 */
struct kact_plan_req;
typedef void (*kact_plan_fn)(void *ud, int rc, struct kact_plan *plan, const struct perr *err);
struct kact_plan_req *kact_plan_start(struct kclient *c, const struct kact_args *a, kact_plan_fn fn,
				      void *ud, struct perr *err);
/* Stop a plan in flight and its transfer. Harmless with NULL. */
void kact_plan_cancel(struct kact_plan_req *r);

struct kact_result {
	bool ok;
	long http_status; /* 0 when nothing came back */
	char *line;       /* done_msg, or the API's (or client's) error line */
	char *audit_err;  /* NULL, or why the audit line could not be written */
};

void kact_result_free(struct kact_result *r);

/*
 * Send p. context names the kubeconfig context for the audit log. done
 * gets the result (valid during the call) when the answer is in. Returns a handle, or NULL when the
 * client refused at once (read-only, credentials): then res is filled and audited, and done is
 * never called. kact_cancel() stops it (nothing is audited then); the handle is gone once done was
 * called.
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
 * differences against the Deployment's template (what undo would change).
 * fn gets them (rc 0; revs is fn's to kact_history_free) or the reason
 * (rc -1), as kact_plan_start's fn does; the handle is a plan's, stopped by
 * kact_plan_cancel(). NULL with err when refused at once. */
typedef void (*kact_history_fn)(void *ud, int rc, struct kact_revision *revs, size_t n,
				const struct perr *err);
struct kact_plan_req *kact_history_start(struct kclient *c, const char *ns, const char *deploy,
					 kact_history_fn fn, void *ud, struct perr *err);
/* The same for a StatefulSet or a DaemonSet, from its ControllerRevisions
 * (replicaset is then the ControllerRevision's name). */
struct kact_plan_req *kact_history_target_start(struct kclient *c, enum kact_target t,
						const char *ns, const char *name,
						kact_history_fn fn, void *ud, struct perr *err);
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

/* Typed input of the partition dialog: as kact_scale_parse, against the
 * current partition, and refused beyond replicas or below 0. */
int kact_partition_parse(const char *input, int32_t current, int32_t replicas, int32_t *out,
			 const char **why);

/* The name the trigger dialog proposes for a Job made from cronjob now:
 * "CRONJOB-manual-XXXXXX" (hex of the time), at most 63 characters (heap). */
char *kact_trigger_name(const char *cronjob, time_t now);

/* RFC3339 in local time, as Go's time.RFC3339 ("2026-05-01T12:34:56+02:00",
 * "Z" for a zero offset). */
void kact_rfc3339(time_t t, char out[32]);

/* ---- read-only decision ---- */

/*
 * A SelfSubjectAccessReview: may the user patch deployments (group apps)
 * in ns? Must start before kclient_set_readonly(c, true): the client sends
 * nothing but GET after that. fn gets rc 0 with allowed and reason (the
 * API's reason, or a sentence when it gave none), or -1 with err when no
 * answer came (the caller decides; podscope stays read-write then);
 * reason and err are valid only during the call.
 */
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
