#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd_common.h"
#include "cmd_dsnodes.h"
#include "cmd_print.h"
#include "podscope/dsnodes.h"

/* A DaemonSet's nodes in `podscope get`: text and JSON. */

void cmd_ds_nodes_text(const struct store *st, const struct daemonset *ds, int64_t update_rev,
		       bool nodes_listed)
{
	struct ds_rows r = {0};
	ds_rows_gather(&r, st, ds);
	if (!nodes_listed)
		cmd_puts(stdout, "  nodes (those the pods name; nodes not listed):\n");
	else if (r.excluded)
		cmd_printf(stdout, "  nodes (%zu excluded by nodeSelector/taints):\n", r.excluded);
	else
		cmd_puts(stdout, "  nodes:\n");
	cmd_printf(stdout, "    %-20s %-32s %-12s %s\n", "NODE", "POD", "REVISION", "MARKS");
	for (size_t i = 0; i < r.n; i++) {
		const struct ds_row *row = &r.rows[i];
		char rev[32] = "-", marks[64];
		if (row->pod) {
			int64_t n = store_pod_revision(st, row->pod);
			snprintf(rev, sizeof(rev), "%lld %s", (long long)n,
				 n > 0 && n == update_rev ? "new" : "old");
		}
		ds_row_marks(row, marks, sizeof(marks));
		cmd_printf(stdout, "    %-20s %-32s %-12s %s\n",
			   !*row->node ? "(not scheduled)" : row->node,
			   row->pod ? row->pod->name : "(no pod)", rev, *marks ? marks : "-");
	}
	ds_rows_free(&r);
}

void cmd_ds_nodes_json(struct buf *b, const struct store *st, const struct daemonset *ds,
		       int64_t update_rev, bool nodes_listed)
{
	struct ds_rows r = {0};
	ds_rows_gather(&r, st, ds);
	buf_printf(b, ",\"nodesListed\":%s,\"nodesExcluded\":%zu,\"nodes\":[",
		   nodes_listed ? "true" : "false", r.excluded);
	for (size_t i = 0; i < r.n; i++) {
		const struct ds_row *row = &r.rows[i];
		buf_adds(b, i ? ",{" : "{");
		cmd_json_str(b, "node", row->node, false);
		cmd_json_str(b, "pod", row->pod ? row->pod->name : "", true);
		int64_t n = row->pod ? store_pod_revision(st, row->pod) : 0;
		buf_printf(b, ",\"revision\":%lld,\"updated\":%s,\"shouldRun\":%s,\"marks\":[",
			   (long long)n, n > 0 && n == update_rev ? "true" : "false",
			   row->fit.should_run ? "true" : "false");
		char marks[64];
		ds_row_marks(row, marks, sizeof(marks));
		/* Space-separated words of a fixed list: no escaping needed. */
		bool first = true;
		for (char *w = strtok(marks, " "); w; w = strtok(NULL, " ")) {
			buf_printf(b, "%s\"%s\"", first ? "" : ",", w);
			first = false;
		}
		buf_adds(b, "]}");
	}
	buf_addc(b, ']');
	ds_rows_free(&r);
}
