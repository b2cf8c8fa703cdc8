#ifndef PODSCOPE_CMD_JOB_H
#define PODSCOPE_CMD_JOB_H

#include <stddef.h>
#include <stdint.h>

#include "podscope/store.h"

#include "cmd_common.h"

/* Jobs and CronJobs in the headless commands (get, wait). */

/* The pods of Job j in the store, oldest first (free the array). */
const struct pod **cmd_job_pods(const struct store *st, const struct job *j, size_t *n);
/* The Jobs of CronJob cj in the store, oldest first (free the array). */
const struct job **cmd_cronjob_jobs(const struct store *st, const struct cronjob *cj, size_t *n);

/* What `wait job/NAME` printed last. */
struct cmd_job_wait {
	char last[512];
	int32_t failures; /* the failures of the back-off last said */
	uint8_t deadline_said;
	struct cmd_stab pods; /* stage: the pod phase last printed */
};

/*
 * Print what changed about Job j (its progress, its pods' phases, the
 * back-off before the next pod, the deadline) and decide: -1 while it
 * runs, 0 when Complete (kubectl wait's "condition met"), 1 when Failed
 * (the reason and message on stdout).
 */
int cmd_job_wait_eval(struct cmd_job_wait *jw, const struct store *st, const struct job *j,
		      int64_t now);
void cmd_job_wait_free(struct cmd_job_wait *jw);

/* How many Jobs (kind "job") or CronJobs ("cronjob") in ns are named name. */
size_t cmd_job_count(const struct store *st, const char *ns, const char *kind, const char *name);
/* get's text for the Jobs (kind "job") or CronJobs ("cronjob") in ns
 * (NULL: all) named name (NULL: all); returns how many were printed. */
size_t cmd_job_get_text(const struct store *st, const char *ns, const char *kind, const char *name,
			int64_t now);

/* get -o json's ",\"jobs\":[...],\"cronjobs\":[...]" (doc/json.md): every one
 * in ns, or with kind ("job", "cronjob") only those named name. */
struct buf;
void cmd_job_json(struct buf *b, const struct store *st, const char *ns, const char *kind,
		  const char *name, int64_t now);

#endif
