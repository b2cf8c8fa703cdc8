#ifndef PODSCOPE_CMD_DSNODES_H
#define PODSCOPE_CMD_DSNODES_H

#include <stdint.h>

#include "podscope/buf.h"
#include "podscope/model.h"
#include "podscope/store.h"

/*
 * `podscope get ds/NAME`: the DaemonSet's node rows (podscope/dsnodes.h),
 * as text lines and as the JSON keys "nodes", "nodesListed" and
 * "nodesExcluded" (doc/json.md). nodes_listed: the store holds the cluster's
 * nodes (get ds/NAME lists them; a user who may not gets the pods' nodes).
 */
void cmd_ds_nodes_text(const struct store *st, const struct daemonset *ds, int64_t update_rev,
		       bool nodes_listed);
/* Appends ,"nodesListed":..,"nodesExcluded":..,"nodes":[...] to b. */
void cmd_ds_nodes_json(struct buf *b, const struct store *st, const struct daemonset *ds,
		       int64_t update_rev, bool nodes_listed);

#endif
