#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/client.h"
#include "podscope/informer.h"
#include "podscope/kubeconfig.h"
#include "podscope/ui.h"
#include "podscope/xalloc.h"

#include "cli.h"
#include "cmd_print.h"
#include "recorder.h"

/* The dashboard: podscope with no command, and the demo's screen. */

/* --record FILE: the one recorder (recorder.c) on the dashboard's store. */
struct dash_rec {
	struct recorder *r;
	char error[160];
	unsigned long events;
	int rc;
};

static void rec_start(void *ud, struct ploop *loop, struct store *st, const char *context)
{
	struct dash_rec *d = ud;
	recorder_start(d->r, loop, context);
	recorder_attach(d->r, st);
}

static void rec_informers(void *ud, struct informer_set *inf)
{
	recorder_set_informers(((struct dash_rec *)ud)->r, inf);
}

static void rec_stop(void *ud)
{
	struct dash_rec *d = ud;
	if (!d->r)
		return;
	recorder_poll_status(d->r); /* the last word, counted */
	d->events = recorder_events(d->r);
	d->rc = recorder_close(d->r);
	d->r = NULL;
}

static bool rec_label(void *ud, char *buf, unsigned n)
{
	struct dash_rec *d = ud;
	bool ok = d->r && !recorder_failed(d->r);
	snprintf(buf, n, "%s%s", ok ? "" : "stopped: ", d->r ? recorder_path(d->r) : "");
	return ok;
}

static int run(struct cli *cli, const struct kc_conn *conn, const char *banner, char **scenarios,
	       char *chosen, size_t chosen_len, const struct kc_conn *const *fleet, size_t n_fleet)
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
	if (cli->record && n_fleet > 1) {
		/* A recording holds one cluster's events (doc/recording.md). */
		fprintf(stderr, "podscope: --record records one context; name one with --context\n");
		return 2;
	}
	struct dash_rec rec = {0};
	struct ui_record_hooks hooks = {.start = rec_start,
					.informers = rec_informers,
					.stop = rec_stop,
					.label = rec_label,
					.ud = &rec};
	if (cli->record) {
		struct perr err = {0};
		int64_t max_bytes = 0;
		if (cli->record_max && recorder_parse_size(cli->record_max, &max_bytes, &err) < 0) {
			cmd_printf(stderr, "podscope: --record-max: %s\n", perr_msg(&err));
			perr_clear(&err);
			return 2;
		}
		if (strcmp(cli->record, "-") == 0) {
			fprintf(stderr, "podscope: --record wants a file (the terminal is the "
					"dashboard's)\n");
			return 2;
		}
		struct recorder_opts o = {.path = cli->record, .who = "podscope",
					  .max_bytes = max_bytes};
		rec.r = recorder_open(&o, &err);
		if (!rec.r) {
			cmd_printf(stderr, "podscope: --record: %s\n", perr_msg(&err));
			perr_clear(&err);
			return 2;
		}
	} else if (cli->record_max) {
		fprintf(stderr, "podscope: --record-max is for --record FILE or record -o FILE\n");
		return 2;
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
	    .record = cli->record ? &hooks : NULL,
	};
	int rc = ui_run(&opt);
	rec_stop(&rec); /* when the dashboard never started */
	if (cli->record) {
		fprintf(stderr, "podscope: recorded %lu events to %s\n", rec.events, cli->record);
		if (rec.rc && !rc)
			rc = 1;
	}
	return rc;
}

int dashboard_run(struct cli *cli, const struct kc_conn *conn, const char *banner, char **scenarios,
		  char *chosen, size_t chosen_len)
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
			cmd_printf(stderr, "podscope: context %s: %s\n", names[i], perr_msg(&err));
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
