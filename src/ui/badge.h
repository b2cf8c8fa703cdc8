#ifndef PODSCOPE_UI_BADGE_H
#define PODSCOPE_UI_BADGE_H

#include <stddef.h>
#include <stdint.h>

#include "podscope/model.h"
#include "podscope/store.h"
#include "podscope/why.h"
#include "theme.h"

/* A deployment's rollout at a glance. Ranks sort trouble first. */
enum badge {
	BADGE_FAILED = 0, /* past its progress deadline */
	BADGE_STALLED,    /* new pods crash or cannot pull */
	BADGE_PROGRESSING,
	BADGE_PAUSED,
	BADGE_COMPLETE,
};

struct badge_info {
	enum badge badge;
	const char *text; /* "failed", "stalled", ... */
	enum theme_role role;
	char detail[160];   /* why: kubectl's rollout status, or the stuck pod */
	char brief[80];     /* the same in a few words for a table cell */
	char why[WHY_LINE]; /* the root cause in one line (why.h), "" when nothing blocks */
};

void badge_of(const struct store *s, const struct deployment *d, int64_t now_ms,
	      struct badge_info *out);

/* The last log line hook the why lines get (why.h; NULL: none): set by the
 * dashboard's glue (ui.c) to its whylog, which fetches on the loop, so no
 * view ever speaks HTTP itself. */
void badge_set_log(why_log_fn fn, void *ud);

/*
 * A StatefulSet's (k STORE_STATEFULSETS) or DaemonSet's (STORE_DAEMONSETS)
 * rollout: kubectl's viewer says complete or progressing; stalled when a pod
 * of the update revision is stuck; an update strategy kubectl cannot follow
 * (OnDelete) reads "on-delete", ranked with paused rollouts, as it waits for
 * someone to delete pods. A StatefulSet complete at a partition above 0 (a
 * canary) keeps a brief saying so.
 */
void badge_of_set(const struct store *s, enum store_kind k, const void *set, int64_t now_ms,
		  struct badge_info *out);

/* A Job (badge_job.c): complete, failed (with its reason), suspended,
 * running, or retrying once a pod failed; the brief is its completions. */
void badge_of_job(const struct store *s, const struct job *j, struct badge_info *out);

/* The ReplicaSets of d, oldest revision first; returns how many (at most max). */
size_t uigens_collect(const struct store *s, const struct deployment *d,
		      const struct replicaset **out, size_t max);

/* A ReplicaSet's revision as a number (0 when absent). */
long uigens_revision(const struct replicaset *rs);

#endif
