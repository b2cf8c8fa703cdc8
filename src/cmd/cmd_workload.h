#ifndef PODSCOPE_CMD_WORKLOAD_H
#define PODSCOPE_CMD_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "podscope/rollout.h"
#include "podscope/store.h"

/*
 * What `get`, `wait` and `watch` say about a StatefulSet or DaemonSet: its
 * rollout status (kubectl's viewer), its READY column, its revisions and
 * its pods.
 */

/* A StatefulSet or DaemonSet from the store, with what every printer needs. */
struct cmd_wl {
	enum store_kind kind; /* STORE_STATEFULSETS or STORE_DAEMONSETS */
	const void *obj;
	const struct workload *w;
	const char *word;    /* "statefulset", "daemonset" */
	const char *api;     /* kubectl's resource words: "statefulsets.apps" */
	char ready[32];      /* kubectl get's READY (sts) or READY of DESIRED (ds) */
	int64_t update_rev;  /* the revision new pods get, 0: unknown */
	int64_t current_rev; /* sts: status.currentRevision's; ds: the oldest with pods */
	struct rollout_result status;
	char msg[sizeof(((struct rollout_result *)0)->msg)]; /* status.msg without its newline */
};

/* obj is a struct statefulset or struct daemonset of the store. */
void cmd_wl_load(struct cmd_wl *wl, const struct store *st, enum store_kind k, const void *obj);

/* The workload's pods in the store (controller ownerReference by uid), by
 * name with ordinals in number order (web-2 before web-10); free the array. */
const struct pod **cmd_wl_pods(const struct store *st, const struct cmd_wl *wl, size_t *n);

/* Its ControllerRevisions, newest first; free the array. */
const struct controller_revision **cmd_wl_revisions(const struct store *st, const struct cmd_wl *wl,
						    size_t *n);

#endif
