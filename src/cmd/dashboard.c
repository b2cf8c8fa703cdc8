#include "config.h"

#include <stdio.h>

#include "podscope/client.h"
#include "podscope/informer.h"
#include "podscope/kubeconfig.h"
#include "podscope/ui.h"

#include "cli.h"

/* The dashboard: podscope with no command, and the demo's screen. */

int dashboard_run(struct cli *cli, const struct kc_conn *conn, const char *banner,
		  char **scenarios, char *chosen, size_t chosen_len)
{
	long long poll_ms = 0;
	if (cli->poll) {
		poll_ms = informer_parse_poll(cli->poll);
		if (poll_ms < 0) {
			fprintf(stderr, "podscope: --poll: \"%s\" is not an interval (5s, 1m)\n",
				cli->poll);
			return 2;
		}
	}
	struct ui_options opt = {
	    .conn = conn,
	    .kc = scenarios ? NULL : &cli->kc,
	    .all_namespaces = cli->kc.all_namespaces,
	    .readonly = cli->readonly,
	    .ascii = cli->ascii,
	    .wallboard = cli->wallboard,
	    .ring_bell = cli->bell,
	    .low_bandwidth = cli->low_bandwidth,
	    .theme = cli->theme,
	    .banner = banner,
	    .label_selector = cli->selector,
	    .poll_ms = poll_ms,
	    .scenarios = (const char *const *)scenarios,
	    .chosen = chosen,
	    .chosen_len = chosen_len,
	};
	return ui_run(&opt);
}

int cmd_dashboard(struct cli *cli)
{
	struct perr err = {0};
	struct kc_conn *conn = kc_load(&cli->kc, &err);
	if (!conn) {
		fprintf(stderr, "podscope: %s\n", perr_msg(&err));
		int rc = perr_exit_status(&err);
		perr_clear(&err);
		return rc;
	}
	int rc = dashboard_run(cli, conn, NULL, NULL, NULL, 0);
	kc_conn_free(conn);
	return rc;
}
