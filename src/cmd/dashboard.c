#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "podscope/client.h"
#include "podscope/informer.h"
#include "podscope/kubeconfig.h"
#include "podscope/ui.h"
#include "podscope/xalloc.h"

#include "cli.h"

/* The dashboard: podscope with no command, and the demo's screen. */

static int run(struct cli *cli, const struct kc_conn *conn, const char *banner,
	       char **scenarios, char *chosen, size_t chosen_len, const struct kc_conn *const *fleet,
	       size_t n_fleet)
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
	    .fleet = fleet,
	    .n_fleet = n_fleet,
	};
	return ui_run(&opt);
}

int dashboard_run(struct cli *cli, const struct kc_conn *conn, const char *banner,
		  char **scenarios, char *chosen, size_t chosen_len)
{
	return run(cli, conn, banner, scenarios, chosen, chosen_len, NULL, 0);
}

/* Many contexts: every one's connection (kc_load each), then the dashboard
 * on all of them. A context that cannot be loaded stops it, naming it. */
int dashboard_fleet(struct cli *cli, char **names, size_t n, const char *banner)
{
	struct kc_conn **conns = xcalloc(n, sizeof(*conns));
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct perr err = {0};
		struct kc_options o = cli->kc;
		o.context = names[i];
		o.cluster = NULL;
		o.user = NULL;
		conns[i] = kc_load(&o, &err);
		if (!conns[i]) {
			fprintf(stderr, "podscope: context %s: %s\n", names[i], perr_msg(&err));
			rc = perr_exit_status(&err);
			perr_clear(&err);
		}
	}
	if (rc == 0)
		rc = run(cli, conns[0], banner, NULL, NULL, 0, (const struct kc_conn *const *)conns,
			 n);
	for (size_t i = 0; i < n; i++)
		kc_conn_free(conns[i]);
	free(conns);
	return rc;
}

int cmd_dashboard(struct cli *cli)
{
	struct perr err = {0};
	char **names = NULL;
	size_t n = kc_fleet_contexts(&cli->kc, cli->contexts, cli->all_contexts, &names, &err);
	if (err.kind != PERR_NONE) {
		fprintf(stderr, "podscope: %s\n", perr_msg(&err));
		int rc = perr_exit_status(&err);
		perr_clear(&err);
		return rc;
	}
	if (n > 1) {
		int rc = dashboard_fleet(cli, names, n, NULL);
		kc_free_names(names);
		return rc;
	}
	/* One context named by a list or a pattern: as --context NAME. */
	struct kc_options one = cli->kc;
	if (n == 1)
		one.context = names[0];
	struct kc_conn *conn = kc_load(&one, &err);
	kc_free_names(names);
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
