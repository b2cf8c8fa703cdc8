#include "config.h"

#include <stdio.h>
#include <string.h>

#include "podscope/job.h"
#include "podscope/store.h"
#include "badge.h"

/* A Job's ROLLOUT cell: how it ended, or how far it is. */
void badge_of_job(const struct store *s, const struct job *j, struct badge_info *out)
{
	const struct job_condition *c;
	char comp[64];
	(void)s;
	out->why[0] = '\0';
	job_completions_cell(j, comp, sizeof(comp));
	snprintf(out->brief, sizeof(out->brief), "%s done, %d failed", comp, (int)j->failed);
	out->detail[0] = '\0';
	switch (job_outcome(j, &c)) {
	case JOB_COMPLETE:
		out->badge = BADGE_COMPLETE;
		out->text = "complete";
		out->role = ROLE_BADGE_COMPLETE;
		break;
	case JOB_FAILED:
		out->badge = BADGE_FAILED;
		out->text = "failed";
		out->role = ROLE_BADGE_FAILED;
		snprintf(out->brief, sizeof(out->brief), "%s", c->reason);
		snprintf(out->detail, sizeof(out->detail), "%s: %s", c->reason, c->message);
		break;
	case JOB_RUNNING:
		if (strcmp(job_status_cell(j), "Suspended") == 0) {
			out->badge = BADGE_PAUSED;
			out->text = "suspended";
			out->role = ROLE_BADGE_PAUSED;
		} else {
			out->badge = BADGE_PROGRESSING;
			out->text = j->failed ? "retrying" : "running";
			out->role = ROLE_BADGE_PROGRESSING;
		}
		break;
	}
}
