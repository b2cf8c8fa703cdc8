#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_common.h"
#include "cmd_get.h"
#include "cmd_print.h"
#include "podscope/buf.h"
#include "podscope/duration.h"
#include "podscope/informer.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/recfile.h"
#include "podscope/serverclock.h"
#include "podscope/xalloc.h"
#include "cmd_fleet.h"

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

#define FLUSH_MS 1000
/* PODSCOPE_RECORD_SNAPSHOTS: how often the live store is looked at. */
#define SNAP_MS 100
/* Skew changes smaller than this are the estimate's noise, not news. */
#define CLOCK_STEP_MS 500

struct recorder {
	struct cmd_session ses;
	struct rec_writer *w;
	struct buf pending;
	int fd;
	const char *path;
	int failed; /* errno of a failed write */
	struct ptimer *flush_timer;
	struct ptimer *stop_timer;
	struct ptimer *snap_timer;
	uint8_t state[STORE_NKINDS];
	const char *error[STORE_NKINDS];
	int64_t skew;
	unsigned long events;
	/* PODSCOPE_RECORD_SNAPSHOTS: a directory for get -o json of the live
	 * store at recorded moments (the replay test's reference) */
	const char *snap_dir;
	uint64_t snap_gen;
	int64_t floor_ms; /* events after a snapshot are later than it */
};

static void add(struct recorder *r, struct rec_event *ev)
{
	ev->t_ms = serverclock_wall_ms();
	if (ev->t_ms <= r->floor_ms)
		ev->t_ms = r->floor_ms + 1;
	if (!rec_writer_event(r->w, ev, &r->pending))
		fprintf(stderr, "podscope record: an object of %s over %u MiB left out\n",
			store_kind_name((enum store_kind)ev->kind), REC_MAX_FRAME >> 20);
	else
		r->events++;
}

static void on_input(void *ud, enum store_input op, enum store_kind k, const struct cJSON *obj)
{
	struct recorder *r = ud;
	static const uint8_t ops[] = {[STORE_IN_UPSERT] = REC_UPSERT,
				      [STORE_IN_DELETE] = REC_DELETE,
				      [STORE_IN_LIST_BEGIN] = REC_LIST_BEGIN,
				      [STORE_IN_LIST_END] = REC_LIST_END};
	struct rec_event ev = {.op = ops[op], .kind = (uint8_t)k, .object = (struct cJSON *)obj};
	add(r, &ev);
}

/* Informer states and the server clock, when they change. */
static void on_status(void *ud)
{
	struct recorder *r = ud;
	for (int k = 0; k < STORE_NKINDS; k++) {
		const struct informer_status *st = informer_set_status(r->ses.inf, (enum store_kind)k);
		if (!st)
			continue;
		const char *err = st->last_error ? st->last_error : "";
		if (st->state == r->state[k] && r->error[k] && strcmp(r->error[k], err) == 0)
			continue;
		r->state[k] = (uint8_t)st->state;
		free((char *)r->error[k]);
		r->error[k] = xstrdup(err);
		struct rec_event ev = {.op = REC_STATUS, .kind = (uint8_t)k, .value = st->state,
				       .text = err};
		add(r, &ev);
	}
	int64_t skew = serverclock_skew_ms();
	if (llabs(skew - r->skew) >= CLOCK_STEP_MS) {
		r->skew = skew;
		struct rec_event ev = {.op = REC_CLOCK, .value = skew};
		add(r, &ev);
	}
}

static void flush(struct recorder *r)
{
	size_t off = 0;
	while (off < r->pending.len && !r->failed) {
		ssize_t n = write(r->fd, r->pending.data + off, r->pending.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r->failed = n < 0 ? errno : EIO;
			cmd_printf(stderr, "podscope record: %s: %s\n", r->path, strerror(r->failed));
			ploop_stop(r->ses.loop);
			break;
		}
		off += (size_t)n;
	}
	buf_reset(&r->pending);
}

/* get -o json of the live store into DIR/T.json, T the moment (ms): what
 * replay --at T must print. */
static void snapshot(struct recorder *r)
{
	uint64_t g = store_generation(r->ses.store);
	if (g == r->snap_gen)
		return;
	r->snap_gen = g;
	int64_t t = serverclock_wall_ms();
	if (t <= r->floor_ms)
		t = r->floor_ms + 1;
	r->floor_ms = t;
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
		get_print_store(r->ses.store, r->ses.ns, NULL, NULL, "json", t + r->skew);
		fflush(stdout);
		dup2(saved, STDOUT_FILENO);
	}
	if (saved >= 0)
		close(saved);
	fclose(f);
}

static void on_snap(void *ud)
{
	struct recorder *r = ud;
	on_status(r);
	snapshot(r);
	r->snap_timer = ploop_timer_in(r->ses.loop, SNAP_MS, on_snap, r);
}

static void on_flush(void *ud)
{
	struct recorder *r = ud;
	on_status(r);
	flush(r);
	r->flush_timer = ploop_timer_in(r->ses.loop, FLUSH_MS, on_flush, r);
}

static void on_stop(void *ud)
{
	struct recorder *r = ud;
	r->stop_timer = NULL;
	ploop_stop(r->ses.loop);
}

static void on_signal(void *ud, int signo)
{
	(void)signo;
	ploop_stop(((struct recorder *)ud)->ses.loop);
}

static int open_output(struct recorder *r, const char *path)
{
	if (!path || strcmp(path, "-") == 0) {
		if (isatty(STDOUT_FILENO)) {
			fprintf(stderr, "podscope record: a recording is binary: -o FILE, or redirect "
					"standard output\n");
			return -1;
		}
		r->fd = STDOUT_FILENO;
		r->path = "standard output";
		return 0;
	}
	/* 0600: a recording holds the cluster's objects as the API gave them. */
	r->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
	if (r->fd < 0) {
		cmd_printf(stderr, "podscope record: %s: %s\n", path, strerror(errno));
		return -1;
	}
	r->path = path;
	return 0;
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
	int64_t duration_ms = 0;
	if (cli->duration) {
		struct perr err = {0};
		int64_t ns = 0;
		if (duration_parse(cli->duration, &ns, &err) < 0 || ns <= 0) {
			cmd_printf(stderr, "podscope record: --duration %s: %s\n", cli->duration,
				   err.msg ? err.msg : "must be more than 0");
			perr_clear(&err);
			return 2;
		}
		duration_ms = ns / 1000000;
	}
	struct recorder *r = xcalloc(1, sizeof(*r));
	r->fd = -1;
	r->snap_dir = getenv("PODSCOPE_RECORD_SNAPSHOTS");
	if (r->snap_dir && (!*r->snap_dir || !cli->output || strcmp(cli->output, "-") == 0)) {
		fprintf(stderr, "podscope record: PODSCOPE_RECORD_SNAPSHOTS needs a directory and "
				"-o FILE\n");
		free(r);
		return 2;
	}
	if (open_output(r, cli->output) < 0) {
		free(r);
		return 2;
	}
	int rc = cmd_session_open(&r->ses, cli, "record", RECORD_KINDS, false);
	if (rc == 0) {
		r->w = rec_writer_new(r->ses.conn->context);
		rec_writer_set_lean(r->w, true);
		store_set_input_observer(r->ses.store, on_input, r);
		informer_set_on_status(r->ses.inf, on_status, r);
		informer_set_start(r->ses.inf);
		r->flush_timer = ploop_timer_in(r->ses.loop, FLUSH_MS, on_flush, r);
		if (r->snap_dir)
			r->snap_timer = ploop_timer_in(r->ses.loop, SNAP_MS, on_snap, r);
		if (duration_ms)
			r->stop_timer = ploop_timer_in(r->ses.loop, duration_ms, on_stop, r);
		ploop_on_signal(r->ses.loop, SIGINT, on_signal, r);
		ploop_on_signal(r->ses.loop, SIGTERM, on_signal, r);
		ploop_on_signal(r->ses.loop, SIGHUP, on_signal, r);
		cmd_printf(stderr, "podscope record: recording context \"%s\" to %s\n",
			   r->ses.conn->context, r->path);
		ploop_run(r->ses.loop);
		ploop_on_signal(r->ses.loop, SIGINT, NULL, NULL);
		ploop_on_signal(r->ses.loop, SIGTERM, NULL, NULL);
		ploop_on_signal(r->ses.loop, SIGHUP, NULL, NULL);
		on_status(r);
		flush(r);
		if (r->flush_timer)
			ploop_timer_cancel(r->ses.loop, r->flush_timer);
		if (r->stop_timer)
			ploop_timer_cancel(r->ses.loop, r->stop_timer);
		if (r->snap_timer)
			ploop_timer_cancel(r->ses.loop, r->snap_timer);
		informer_set_on_status(r->ses.inf, NULL, NULL);
		store_set_input_observer(r->ses.store, NULL, NULL);
		fprintf(stderr, "podscope record: %lu events\n", r->events);
		rc = r->failed ? 1 : 0;
		cmd_session_close(&r->ses);
	}
	if (r->fd > STDERR_FILENO && close(r->fd) < 0 && !rc) {
		cmd_printf(stderr, "podscope record: %s: %s\n", r->path, strerror(errno));
		rc = 1;
	}
	for (int k = 0; k < STORE_NKINDS; k++)
		free((char *)r->error[k]);
	rec_writer_free(r->w);
	buf_free(&r->pending);
	free(r);
	return rc;
}
