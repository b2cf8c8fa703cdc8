#include "config.h"

#include <stdio.h>
#include <string.h>

#include "podscope/client.h"
#include "podscope/informer.h"
#include "podscope/kubeconfig.h"
#include "podscope/ui.h"

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
