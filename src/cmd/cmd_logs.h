#ifndef PODSCOPE_CMD_LOGS_H
#define PODSCOPE_CMD_LOGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "podscope/store.h"

struct podlog_opts;

/* What `podscope logs` was asked for. */
struct cmd_logs_opts {
	const char *kind; /* "pod", "deployment", "statefulset", "daemonset", "job" */
	const char *name;
	const char *container; /* -c */
	bool follow;           /* -f */
	bool timestamps;       /* --timestamps */
	int generation;        /* --generation: 0 all, 1 new, 2 old */
};

/* Check the arguments and flags; fill o and the request's options po.
 * Returns 0, or 2 after a message. */
int cmd_logs_parse(const struct cli *cli, struct cmd_logs_opts *o, struct podlog_opts *po);

/* The target's pods in the store (of --generation's ReplicaSets or
 * revision), in a heap array (free it); NULL after a message when the
 * target is not there. */
const struct pod **cmd_logs_pods(const struct store *st, const char *ns,
				 const struct cmd_logs_opts *o, size_t *n);

#endif
