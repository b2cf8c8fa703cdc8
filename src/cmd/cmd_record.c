#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_common.h"
#include "cmd_get.h"
#include "cmd_print.h"
#include "podscope/duration.h"
#include "podscope/informer.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/xalloc.h"
#include "cmd_fleet.h"
#include "recorder.h"

/*
 * podscope record: every event the informers give the store, with its
 * arrival time, appended to a file (doc/recording.md). Encoded as it comes,
 * written once a second and at the end, so a crash loses at most the last
 * second; the file is opened for appending, and each run is a segment of
 * its own.
 */

/* The kinds a recording holds: what get, wait and watch read, the nodes,
 * services and endpoints the dashboard shows, and the blockers' PDBs,
 * quotas and HPAs (get deploy/NAME's blockers). */
#define RECORD_KINDS                                                                               \
	(CMD_KINDS | (1u << STORE_NODES) | (1u << STORE_SERVICES) | (1u << STORE_ENDPOINTS) |      \
	 (1u << STORE_NAMESPACES) | CMD_BLOCKER_KINDS)

/* PODSCOPE_RECORD_SNAPSHOTS: how often the live store is looked at. */
#define SNAP_MS 100

struct record_cmd {
	struct cmd_session ses;
	struct recorder *rec;
	struct ptimer *stop_timer;
	struct ptimer *snap_timer;
	/* PODSCOPE_RECORD_SNAPSHOTS: a directory for get -o json of the live
	 * store at recorded moments (the replay test's reference) */
	const char *snap_dir;
	uint64_t snap_gen;
};

static void on_status(void *ud)
{
	recorder_poll_status(((struct record_cmd *)ud)->rec);
}

static void on_fail(void *ud)
{
	ploop_stop(((struct record_cmd *)ud)->ses.loop);
}

/* get -o json of the live store into DIR/T.json, T the moment (ms): what
 * replay --at T must print. */
static void snapshot(struct record_cmd *r)
{
	uint64_t g = store_generation(r->ses.store);
	if (g == r->snap_gen)
		return;
	r->snap_gen = g;
	int64_t t = recorder_mark(r->rec);
	char path[4096];
	snprintf(path, sizeof(path), "%s/%lld.json", r->snap_dir, (long long)t);
	FILE *f = fopen(path, "we");
	if (!f) {
		cmd_printf(stderr, "podscope record: %s: %s\n", path, strerror(errno));
		return;
	}
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	if (saved >= 0 && dup2(fileno(f), STDOUT_FILENO) >= 0) {
		get_print_store(r->ses.store, r->ses.ns, NULL, NULL, "json", t + recorder_skew(r->rec));
		fflush(stdout);
		dup2(saved, STDOUT_FILENO);
	}
	if (saved >= 0)
		close(saved);
	fclose(f);
}

static void on_snap(void *ud)
{
	struct record_cmd *r = ud;
	recorder_poll_status(r->rec);
	snapshot(r);
	r->snap_timer = ploop_timer_in(r->ses.loop, SNAP_MS, on_snap, r);
}

static void on_stop(void *ud)
{
	struct record_cmd *r = ud;
	r->stop_timer = NULL;
	ploop_stop(r->ses.loop);
}

static void on_signal(void *ud, int signo)
{
	(void)signo;
	ploop_stop(((struct record_cmd *)ud)->ses.loop);
}

int cmd_record(struct cli *cli)
{
	int refused = cmd_fleet_refuse(cli, "record");
	if (refused)
		return refused;
	if (cli->nargs) {
		cmd_printf(stderr, "podscope record: unexpected argument \"%s\"\n", cli->args[0]);
		return 2;
	}
	if (cli->timeout) {
		fprintf(stderr, "podscope record: --timeout is for wait (use --duration)\n");
		return 2;
	}
	struct perr err = {0};
	int64_t duration_ms = 0, max_bytes = 0;
	if (cli->duration) {
		int64_t ns = 0;
		if (duration_parse(cli->duration, &ns, &err) < 0 || ns <= 0) {
			cmd_printf(stderr, "podscope record: --duration %s: %s\n", cli->duration,
				   err.msg ? err.msg : "must be more than 0");
			perr_clear(&err);
			return 2;
		}
		duration_ms = ns / 1000000;
	}
	if (cli->record_max && recorder_parse_size(cli->record_max, &max_bytes, &err) < 0) {
		cmd_printf(stderr, "podscope record: --record-max: %s\n", perr_msg(&err));
		perr_clear(&err);
		return 2;
	}
	struct record_cmd *r = xcalloc(1, sizeof(*r));
	r->snap_dir = getenv("PODSCOPE_RECORD_SNAPSHOTS");
	if (r->snap_dir && (!*r->snap_dir || !cli->output || strcmp(cli->output, "-") == 0)) {
		fprintf(stderr, "podscope record: PODSCOPE_RECORD_SNAPSHOTS needs a directory and "
				"-o FILE\n");
		free(r);
		return 2;
	}
	struct recorder_opts o = {.path = cli->output,
				  .who = "podscope record",
				  .max_bytes = max_bytes,
				  .on_fail = on_fail,
				  .ud = r};
	r->rec = recorder_open(&o, &err);
	if (!r->rec) {
		cmd_printf(stderr, "podscope record: %s\n", perr_msg(&err));
		perr_clear(&err);
		free(r);
		return 2;
	}
	int rc = cmd_session_open(&r->ses, cli, "record", RECORD_KINDS, false);
	if (rc == 0) {
		recorder_start(r->rec, r->ses.loop, r->ses.conn->context);
		recorder_attach(r->rec, r->ses.store);
		recorder_set_informers(r->rec, r->ses.inf);
		informer_set_on_status(r->ses.inf, on_status, r);
		informer_set_start(r->ses.inf);
		if (r->snap_dir)
			r->snap_timer = ploop_timer_in(r->ses.loop, SNAP_MS, on_snap, r);
		if (duration_ms)
			r->stop_timer = ploop_timer_in(r->ses.loop, duration_ms, on_stop, r);
		ploop_on_signal(r->ses.loop, SIGINT, on_signal, r);
		ploop_on_signal(r->ses.loop, SIGTERM, on_signal, r);
		ploop_on_signal(r->ses.loop, SIGHUP, on_signal, r);
		cmd_printf(stderr, "podscope record: recording context \"%s\" to %s\n",
			   r->ses.conn->context, recorder_path(r->rec));
		ploop_run(r->ses.loop);
		ploop_on_signal(r->ses.loop, SIGINT, NULL, NULL);
		ploop_on_signal(r->ses.loop, SIGTERM, NULL, NULL);
		ploop_on_signal(r->ses.loop, SIGHUP, NULL, NULL);
		if (r->stop_timer)
			ploop_timer_cancel(r->ses.loop, r->stop_timer);
		if (r->snap_timer)
			ploop_timer_cancel(r->ses.loop, r->snap_timer);
		informer_set_on_status(r->ses.inf, NULL, NULL);
		recorder_poll_status(r->rec); /* the last word, counted */
		unsigned long events = recorder_events(r->rec);
		unsigned rotations = recorder_rotations(r->rec);
		rc = recorder_close(r->rec);
		r->rec = NULL;
		fprintf(stderr, "podscope record: %lu events", events);
		if (rotations)
			fprintf(stderr, " (%u rotation%s)", rotations, rotations == 1 ? "" : "s");
		fputc('\n', stderr);
		cmd_session_close(&r->ses);
	}
	if (r->rec && recorder_close(r->rec) && !rc)
		rc = 1;
	free(r);
	return rc;
}
