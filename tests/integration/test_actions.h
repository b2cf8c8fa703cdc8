#ifndef PODSCOPE_TEST_ACTIONS_H
#define PODSCOPE_TEST_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "podscope/actions_kube.h"

/*
 * The actions' tests: two podscope-sims started from the same scenario (A
 * is changed by podscope, B by the real kubectl), a client on each, and the
 * comparison of the objects they end with.
 */

struct cJSON;
struct Suite;
struct kclient;
struct simlaunch;

struct actenv {
	struct simlaunch *sim[2];
	struct ploop *loop;
	struct kclient *c[2]; /* sim-admin on A and on B */
	struct kclient *ro;   /* sim-readonly on A */
	const char *kubectl;  /* NULL: not installed (comparisons SKIP loudly) */
	char dir[64];         /* scenario, XDG_STATE_HOME */
};

extern struct actenv E;

void actenv_up(void);
void actenv_down(void);

/* GET path from sim i (0: A, 1: B): 0 with *out, -1 with err. */
int act_get_json(int i, const char *path, struct cJSON **out, struct perr *err);
/* The same; fails the test on error. */
struct cJSON *act_get(int i, const char *path);
struct cJSON *act_deploy(int i, const char *name);
/* Wait until the controller of sim i has seen deploy name's last change. */
void act_wait_synced(int i, const char *name);
/* Run kubectl against sim B (context sim-admin); *out: stdout+stderr (free). */
int act_kubectl(char **out, const char *args);
/* The library's calls with a callback, run on E.loop until the callback
 * came (a deadline fails the test): what a plan, a history, an apply and
 * an access review return. */
int act_plan(struct kclient *c, const struct kact_args *a, struct kact_plan *out, struct perr *err);
int act_plan_set_image(struct kclient *c, const char *ns, const char *deploy, const char *container,
		       const char *image, struct kact_plan *out, struct perr *err);
int act_plan_restart(struct kclient *c, const char *ns, const char *deploy, time_t now,
		     struct kact_plan *out, struct perr *err);
int act_plan_undo(struct kclient *c, const char *ns, const char *deploy, long to_revision,
		  struct kact_plan *out, struct perr *err);
int act_plan_pause(struct kclient *c, const char *ns, const char *deploy, struct kact_plan *out,
		   struct perr *err);
int act_plan_resume(struct kclient *c, const char *ns, const char *deploy, struct kact_plan *out,
		    struct perr *err);
int act_plan_scale(struct kclient *c, const char *ns, const char *deploy, const char *input,
		   struct kact_plan *out, struct perr *err);
int act_plan_delete_pod(struct kclient *c, const char *ns, const char *pod, struct kact_plan *out,
			struct perr *err);
int act_plan_switch_service(struct kclient *c, const char *ns, const char *svc, const char *deploy,
			    struct kact_plan *out, struct perr *err);
int act_history(struct kclient *c, const char *ns, const char *deploy, struct kact_revision **out,
		size_t *n, struct perr *err);
int act_history_target(struct kclient *c, enum kact_target t, const char *ns, const char *name,
		       struct kact_revision **out, size_t *n, struct perr *err);
int act_apply(struct kclient *c, const struct kact_plan *p, const char *context,
	      struct kact_result *res);
int act_access(struct kclient *c, const char *ns, bool *allowed, char **reason, struct perr *err);
/* Plan must have succeeded; apply it on A and fail unless it is accepted. */
void act_apply_ok(struct kact_plan *p);
/* Compare deploy name on A and B (template without restartedAt, annotations
 * without change-cause, paused, replicas); fails with both printed. */
void act_compare_deploy(const char *name);
/* test_actions_sets.c: StatefulSet and DaemonSet actions against kubectl -v=8. */
void actions_sets_tcase(struct Suite *s);
/* test_actions_jobs.c: Job and CronJob actions against kubectl; the sets'
 * comparison of one plan's request with kubectl -v=8's (test_actions_sets.c). */
void actions_jobs_tcase(struct Suite *s);
void act_same_wire(const struct kact_args *a, const char *kargs);
/* true, after a loud SKIP line, when kubectl is missing. */
bool act_skip_kubectl(const char *what);

#endif
