#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd_common.h"
#include "cmd_print.h"
#include "cmd_report.h"
#include "podscope/report.h"
#include "podscope/store.h"

/*
 * podscope report deploy/NAME [--since D] -o OUT: the same page from a live
 * cluster: the deployments, ReplicaSets, pods and events listed once (the
 * informers of `get`, stopped after their first list), the series
 * reconstructed from their times (report_live_build).
 */

#define LIVE_DEFAULT_SINCE_MS (60 * 60 * 1000)

int report_live(struct cli *cli, const char *name)
{
	int64_t since = LIVE_DEFAULT_SINCE_MS;
	if (cli->since && (since = cmd_parse_duration_flag("report", "--since", cli->since)) <= 0) {
		if (since == 0)
			fprintf(stderr, "podscope report: --since must be longer than 0\n");
		return 2;
	}
	if (cli->kc.all_namespaces) {
		fprintf(stderr,
			"podscope report: a live report is of one namespace: -n NS, not -A\n");
		return 2;
	}
	struct cmd_session ses;
	unsigned kinds = (1u << STORE_DEPLOYMENTS) | (1u << STORE_REPLICASETS) |
			 (1u << STORE_PODS) | (1u << STORE_EVENTS);
	int rc = cmd_session_open(&ses, cli, "report", kinds, true);
	if (rc)
		return rc;
	rc = cmd_session_sync(&ses, 0);
	if (rc == 0) {
		const char *ns = ses.ns ? ses.ns : "default";
		int64_t now = cmd_wall_ms();
		struct report *rep = report_new(ns, name);
		char src[600];
		snprintf(src, sizeof(src), "Reconstructed from the live cluster (the last %.40s)",
			 cli->since ? cli->since : "1h");
		report_set_source(rep, src, true);
		if (report_live_build(rep, ses.store, now - since, now) < 0) {
			cmd_printf(stderr, "podscope report: deployment %s/%s not found\n", ns,
				   name);
			rc = 1;
		} else {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			int64_t local = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
			rc = report_finish_write(cli, rep, NULL, now - local);
		}
		report_free(rep);
	}
	cmd_session_close(&ses);
	return rc;
}
