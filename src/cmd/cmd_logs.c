#include "config.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "podscope/buf.h"
#include "podscope/generations.h"
#include "podscope/logstore.h"
#include "podscope/logfollow.h"
#include "podscope/loop.h"
#include "podscope/podlog.h"
#include "podscope/sanitize.h"
#include "podscope/sort.h"
#include "podscope/xalloc.h"

#include "cmd_common.h"
#include "cmd_logs.h"
#include "cmd_print.h"
#include "cmd_fleet.h"

/*
 * `podscope logs pod/NAME|deploy/NAME|sts/NAME|ds/NAME|job/NAME`: a pod's
 * log as kubectl logs prints it, or a workload's pods merged in time order,
 * each line tagged with a short pod name (stern's way). With -f, new pods
 * are attached as they come, a stream that ends (the container exited) is
 * asked again from the last line's time, and a pod that goes is let go.
 */

struct lstream {
	struct logs *L;
	char *pod;
	char tag[64];
	int colour;
	struct logfollow *f;
	bool live; /* still a target (sweep) */
};

struct logs {
	struct cmd_session ses;
	struct cmd_logs_opts o;
	struct podlog_opts po;
	struct logstore *store;
	struct lstream *s[PODLOG_MAX_STREAMS];
	size_t n;
	bool workload;
	bool colour;
	bool dirty;
	bool warned_cap;
	bool stop; /* -f: interrupted */
	int rc;
	struct buf out;
};


/* A short tag, in a colour stable per pod name (red .. cyan). */
static void make_tag(struct lstream *ls, const char *wl_name)
{
	uint32_t h = logline_tag(ls->pod, wl_name, ls->tag, sizeof(ls->tag));
	ls->colour = 31 + (int)(h % 6);
}

/* Print one line: the tag (coloured on a terminal) and the sanitised text. */
static void print_line(struct logs *L, const struct lstream *ls, const struct logline *l)
{
	struct buf *b = &L->out;
	buf_reset(b);
	if (L->workload) {
		if (L->colour)
			buf_printf(b, "\x1b[%dm", ls->colour);
		sanitize_add(b, ls->tag);
		buf_adds(b, L->colour ? "\x1b[0m " : " ");
	}
	logline_sanitize(b, l, L->o.timestamps);
	buf_addc(b, '\n');
	fwrite(b->data, 1, b->len, stdout);
}

static void take_line(void *ud, const struct logline *l)
{
	struct lstream *ls = ud;
	print_line(ls->L, ls, l);
}

static void on_log(void *ud, struct logfollow *f, const struct kresp *resp)
{
	struct lstream *ls = ud;
	struct logs *L = ls->L;
	/* A pod's lines, and a followed workload's, as they come; a workload's
	 * others merged at the end. */
	if (L->o.follow || !L->workload) {
		logfollow_take(f, take_line, ls);
		fflush(stdout);
	}
	if (!resp)
		return;
	L->dirty = true;
	if (resp->status < 200 || resp->status >= 300) {
		if (L->workload)
			cmd_printf(stderr, "podscope logs: pod %s: %s\n", ls->pod,
				   perr_msg(&resp->err));
		else
			cmd_printf(stderr, "error: %s\n", perr_msg(&resp->err));
		L->rc = 1;
	}
}

static void stream_free(struct lstream *ls)
{
	logfollow_free(ls->f);
	free(ls->pod);
	free(ls);
}

/* The container to read: -c, else the first (kubectl says which it chose
 * when there were more). NULL: the pod has no such container. */
static const char *pick_container(struct logs *L, const struct pod *p)
{
	if (L->o.container) {
		for (uint16_t i = 0; i < p->n_specs; i++)
			if (p->specs[i].name && strcmp(p->specs[i].name, L->o.container) == 0)
				return L->o.container;
		for (uint16_t i = 0; i < p->n_init_specs; i++)
			if (p->init_specs[i].name && strcmp(p->init_specs[i].name, L->o.container) == 0)
				return L->o.container;
		/* A single pod: the server says what is wrong. */
		return L->workload ? NULL : L->o.container;
	}
	if (p->n_specs == 0)
		return NULL;
	if (p->n_specs > 1 && !L->workload) {
		struct buf all = BUF_INIT;
		for (uint16_t i = 0; i < p->n_specs; i++) {
			if (i)
				buf_adds(&all, ", ");
			buf_adds(&all, p->specs[i].name ? p->specs[i].name : "");
		}
		cmd_printf(stderr, "Defaulted container \"%s\" out of: %s\n", p->specs[0].name,
			   all.data);
		buf_free(&all);
	}
	return p->specs[0].name;
}

/* Attach p unless it is followed already; marks it live. */
static void attach(struct logs *L, const struct pod *p)
{
	for (size_t i = 0; i < L->n; i++) {
		if (strcmp(L->s[i]->pod, p->name) == 0) {
			L->s[i]->live = true;
			return;
		}
	}
	const char *c = pick_container(L, p);
	if (!c)
		return;
	if (L->n >= PODLOG_MAX_STREAMS) {
		if (!L->warned_cap)
			fprintf(stderr, "podscope logs: more than %d pods; following the first %d\n",
				PODLOG_MAX_STREAMS, PODLOG_MAX_STREAMS);
		L->warned_cap = true;
		return;
	}
	struct lstream *ls = xcalloc(1, sizeof(*ls));
	ls->L = L;
	ls->pod = xstrdup(p->name);
	ls->live = true;
	make_tag(ls, L->o.name);
	struct podlog_opts o = L->po;
	o.container = c;
	struct perr err = {0};
	ls->f = logfollow_new(L->ses.loop, L->ses.client, L->store, p->name, p->namespace, p->name,
			      &o, on_log, ls, &err);
	if (!ls->f) {
		cmd_printf(stderr, "podscope logs: pod %s: %s\n", p->name, perr_msg(&err));
		perr_clear(&err);
		L->rc = 1;
		stream_free(ls);
		return;
	}
	L->s[L->n++] = ls;
}

static void on_change(void *ud, enum store_kind k, const void *old_obj, const void *new_obj)
{
	struct logs *L = ud;
	(void)old_obj;
	(void)new_obj;
	if (k == STORE_PODS || k == STORE_REPLICASETS || k == STORE_DEPLOYMENTS ||
	    k == STORE_CONTROLLERREVISIONS)
		L->dirty = true;
}

/* Attach the target's pods now; let go of those that went (follow). */
static int update_targets(struct logs *L)
{
	for (size_t i = 0; i < L->n; i++)
		L->s[i]->live = false;
	size_t np = 0;
	const struct pod **pods = cmd_logs_pods(L->ses.store, L->ses.ns, &L->o, &np);
	if (!pods)
		return 1;
	for (size_t i = 0; i < np; i++)
		attach(L, pods[i]);
	free(pods);
	if (L->o.follow) {
		size_t w = 0;
		for (size_t i = 0; i < L->n; i++) {
			if (L->s[i]->live)
				L->s[w++] = L->s[i];
			else
				stream_free(L->s[i]);
		}
		L->n = w;
	}
	return 0;
}

struct mline {
	const struct logline *l;
	const struct lstream *s;
};

static int cmp_mline(const void *x, const void *y)
{
	return logline_cmp(((const struct mline *)x)->l, ((const struct mline *)y)->l);
}

/* A workload without -f: every stream's lines merged in time order, once all
 * ended. */
static void print_merged(struct logs *L)
{
	size_t total = 0;
	uint64_t dropped = 0;
	for (size_t i = 0; i < L->n; i++) {
		struct logstream *st = logfollow_stream(L->s[i]->f);
		total += logstream_count(st);
		dropped += logstream_dropped(st);
	}
	struct mline *v = xcalloc(total + 1, sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; i < L->n; i++) {
		struct logstream *st = logfollow_stream(L->s[i]->f);
		for (size_t j = 0; j < logstream_count(st); j++)
			v[k++] = (struct mline){logstream_line(st, j), L->s[i]};
	}
	sort_inplace(v, k, sizeof(*v), cmp_mline);
	if (dropped)
		fprintf(stderr,
			"podscope logs: %" PRIu64 " older lines dropped to stay under the memory cap "
			"(use --tail or --since)\n",
			dropped);
	for (size_t j = 0; j < k; j++)
		print_line(L, v[j].s, v[j].l);
	fflush(stdout);
	free(v);
}

static void on_signal(void *ud, int signo)
{
	struct logs *L = ud;
	(void)signo;
	L->stop = true;
}

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

static bool all_done(const struct logs *L)
{
	for (size_t i = 0; i < L->n; i++)
		if (!logfollow_done(L->s[i]->f))
			return false;
	return true;
}

int cmd_logs(struct cli *cli)
{
	int refused = cmd_fleet_refuse(cli, "logs");
	if (refused)
		return refused;
	struct logs *L = xcalloc(1, sizeof(*L));
	int rc = cmd_logs_parse(cli, &L->o, &L->po);
	if (rc) {
		free(L);
		return rc;
	}
	L->workload = strcmp(L->o.kind, "pod") != 0;
	const char *nc = getenv("NO_COLOR");
	L->colour = isatty(STDOUT_FILENO) && !(nc && *nc);
	unsigned kinds = (1u << STORE_PODS) | (1u << STORE_DEPLOYMENTS) |
			 (1u << STORE_REPLICASETS) | (1u << STORE_STATEFULSETS) |
			 (1u << STORE_DAEMONSETS) | (1u << STORE_CONTROLLERREVISIONS) |
			 (1u << STORE_JOBS);
	rc = cmd_session_open(&L->ses, cli, "logs", kinds, !L->o.follow);
	if (rc) {
		free(L);
		return rc;
	}
	if (!L->ses.ns) {
		fprintf(stderr, "podscope logs: -A is not supported; give -n NAMESPACE\n");
		cmd_session_close(&L->ses);
		free(L);
		return 2;
	}
	L->store = logstore_new(NULL);
	store_subscribe(L->ses.store, on_change, L);
	rc = cmd_session_sync(&L->ses, 0);
	if (rc == 0)
		rc = update_targets(L);
	if (rc == 0 && L->n == 0 && !L->o.follow && !L->o.generation) {
		cmd_printf(stderr, "podscope logs: %s/%s has no pods%s\n", L->o.kind, L->o.name,
			   L->o.container ? " with that container" : "");
		rc = 1;
	}
	/* -f runs until interrupted, then exits 0 as watch does. */
	for (size_t i = 0; L->o.follow && i < sizeof(stop_signals) / sizeof(*stop_signals); i++)
		ploop_on_signal(L->ses.loop, stop_signals[i], on_signal, L);
	while (rc == 0 && !L->stop) {
		if (!L->o.follow && all_done(L))
			break;
		ploop_run_once(L->ses.loop, L->o.follow ? 1000 : -1);
		if (L->o.follow && L->dirty) {
			L->dirty = false;
			rc = update_targets(L);
		}
	}
	for (size_t i = 0; L->o.follow && i < sizeof(stop_signals) / sizeof(*stop_signals); i++)
		ploop_on_signal(L->ses.loop, stop_signals[i], NULL, NULL);
	if (rc == 0) {
		if (!L->o.follow && L->workload)
			print_merged(L);
		rc = L->rc;
	}
	store_unsubscribe(L->ses.store, on_change, L);
	for (size_t i = 0; i < L->n; i++)
		stream_free(L->s[i]);
	cmd_session_close(&L->ses);
	logstore_free(L->store);
	buf_free(&L->out);
	free(L);
	return rc;
}
