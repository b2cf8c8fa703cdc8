#ifndef PODSCOPE_TEST_ACTIONS_H
#define PODSCOPE_TEST_ACTIONS_H

#include <stdbool.h>

#include "podscope/actions_kube.h"

/*
 * The actions' tests: two podscope-sims started from the same scenario (A
 * is changed by podscope, B by the real kubectl), a client on each, and the
 * comparison of the objects they end with.
 */

struct cJSON;
struct kclient;

struct actenv {
	struct simproc *sim[2];
	struct ploop *loop;
	struct kclient *c[2]; /* sim-admin on A and on B */
	struct kclient *ro;   /* sim-readonly on A */
	const char *kubectl;  /* NULL: not installed (comparisons SKIP loudly) */
	char dir[64];         /* scenario, XDG_STATE_HOME */
};

extern struct actenv E;

void actenv_up(void);
void actenv_down(void);

/* GET path from sim i (0: A, 1: B); fails the test on error. */
struct cJSON *act_get(int i, const char *path);
struct cJSON *act_deploy(int i, const char *name);
/* Wait until the controller of sim i has seen deploy name's last change. */
void act_wait_synced(int i, const char *name);
/* Run kubectl against sim B (context sim-admin); *out: stdout+stderr (free). */
int act_kubectl(char **out, const char *args);
/* Plan must have succeeded; apply it on A and fail unless it is accepted. */
void act_apply_ok(struct kact_plan *p);
/* Compare deploy name on A and B (template without restartedAt, annotations
 * without change-cause, paused, replicas); fails with both printed. */
void act_compare_deploy(const char *name);
/* true, after a loud SKIP line, when kubectl is missing. */
bool act_skip_kubectl(const char *what);
/* The whole file at path (heap, "" when missing). */
char *act_read_file(const char *path);

#endif
