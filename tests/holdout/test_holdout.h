#ifndef PODSCOPE_TEST_HOLDOUT_H
#define PODSCOPE_TEST_HOLDOUT_H

#include <stdbool.h>

/* What a program did: exit status (128 + signal when killed), stdout, stderr. */
struct run {
	int status;
	char *out, *err;
};

/*
 * Run argv (argv[0] a path, no shell), collecting stdout and stderr; a
 * program still running after 60 s is killed. Check-asserts on fork/pipe
 * failures. Free with holdout_run_free.
 */
void holdout_run(const char *const argv[], struct run *r);
void holdout_run_free(struct run *r);

/* A monotonic clock in milliseconds. */
long long holdout_now_ms(void);

/* One row of `kubectl get pods` (with its header). */
struct krow {
	char name[256], ready[64], status[256], restarts[64];
};

/*
 * The row of the pod NAME in kubectl's table, cut at the header's column
 * starts (cells may be empty or hold spaces, like "3 (10s ago)"); false when
 * there is no such row or no header.
 */
bool holdout_kubectl_row(const char *table, const char *name, struct krow *row);

/* s with each newline written as \n, so that a missing one shows (free it). */
char *holdout_oneline(const char *s);

/* Remove a directory tree (kubectl's cache included). */
void holdout_rmtree(const char *dir);

#endif
