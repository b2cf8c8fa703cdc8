#ifndef PODSCOPE_CMD_GET_H
#define PODSCOPE_CMD_GET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/generations.h"
#include "podscope/pod_status.h"
#include "podscope/whylog.h"

#include "cmd_common.h"
#include "cmd_workload.h"

/* `podscope get`'s snapshot, shared by its text (cmd_get.c) and JSON
 * (cmd_get_json.c) printers. */

/* One pod row: 16 bytes, as there is one per pod at the moment memory
 * peaks; its ReplicaSet is cmd_pod_rs(st, p). */
struct get_pod {
	const struct pod *p;
	/* index into snap.deps, then snap.wls past n_deps; GET_NO_DEP for a pod
	 * no listed workload owns */
	uint32_t dep;
	uint8_t by_ordinal; /* a workload's pod: web-2 sorts before web-10 */
};
#define GET_NO_DEP UINT32_MAX

/* get over several contexts: JSON's first member is "context", after a
 * comma when another snapshot came before, with no newline at its end (a
 * FleetSnapshot holds it). Text's CONTEXT column is cmd_line_prefix's. */
struct get_ctx {
	const char *name;
	bool comma;
};

struct get_snap {
	const struct store *st;
	int64_t now;
	const struct deployment **deps; /* sorted by namespace, name */
	size_t n_deps;
	struct cmd_wl *wls; /* StatefulSets, then DaemonSets, each by namespace, name */
	size_t n_wls;
	struct get_pod *pods; /* by deployment, ReplicaSet, name; then unowned by group */
	size_t n_pods;
	size_t n_owned; /* pods[0..n_owned) belong to a deployment or a workload */
	bool all_ns;
	const char *kind, *name; /* the TYPE/NAME argument, NULL for none */
	struct cmd_events ev;    /* scratch */
	struct whylog *wl;       /* the why lines' last log lines (whylog.h) */
	const struct get_ctx *ctx; /* get over several contexts, NULL for one */
};

/* Both the pod's columns and its stages. */
struct get_row {
	struct pod_row row;
	struct lc_pod lc;
};
void get_row_compute(struct get_snap *s, const struct pod *p, struct get_row *r);
void get_row_free(struct get_row *r);

/* Ask for the last log lines the snapshot's why lines want (cmd_whylog.c):
 * the requests started. */
size_t get_whylog_start(struct get_snap *s);
/* Run the loop until they are answered, GET_WHYLOG_WAIT_MS at most. */
#define GET_WHYLOG_WAIT_MS 2000
void cmd_whylog_wait(struct cmd_session *ses, struct whylog *wl);

/* Owner group of an unowned pod: kind ("" standalone), name. */
void get_pod_group(const struct pod *p, const char **kind, const char **name);

/* A listed StatefulSet's or DaemonSet's pods: [*start, *end) of pods. */
void get_wl_span(const struct get_snap *s, size_t wi, size_t *start, size_t *end);

/* JSON (doc/json.md): the whole snapshot, or one pod. */
void get_print_json(struct get_snap *s, const char *ns);
/* get's text (cmd_get_text.c): wide adds IP and NODE; pod_detail, one pod's
 * containers and timeline. */
void get_print_text(struct get_snap *s, bool wide, bool pod_detail);
void get_print_pod_json(struct get_snap *s, const struct pod *p);

/* The checks of get's -o and TARGET ("deploy/NAME" and the like, or NULL,
 * into kind and name): 0, or 2 after saying why, as command cmd. */
int get_args(const char *cmd, const char *out, const char *target, const char **kind,
	     const char **name);
/*
 * What get prints, from st (live, or a replayed recording) at server time
 * now: ns NULL for every namespace, kind and name from get_args, out "text"
 * (NULL), "wide" or "json". Returns get's exit status.
 */
int get_print_store(const struct store *st, const char *ns, const char *kind, const char *name,
		    const char *out, int64_t now);
/* The same with the why lines' last log lines from wl (NULL: none). */
int get_print_store_logs(const struct store *st, const char *ns, const char *kind,
			 const char *name, const char *out, int64_t now, struct whylog *wl,
			 const struct get_ctx *ctx);
/* Ask wl for the last log lines that selection's why lines want: the
 * requests started (then cmd_whylog_wait). */
size_t get_whylog_ask(const struct store *st, const char *ns, const char *kind, const char *name,
		      int64_t now, struct whylog *wl);

#endif
