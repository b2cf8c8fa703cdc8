#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_print.h"
#include "cmd_report.h"
#include "podscope/actions_kube.h"
#include "podscope/informer.h"
#include "podscope/kfile.h"
#include "podscope/recfile.h"
#include "podscope/rectimeline.h"
#include "podscope/report.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"

/*
 * podscope report FILE [deploy/NAME] -o OUT.html|OUT.svg: the post-mortem
 * of a rollout from a recording (doc/report.md). The file is read twice:
 * once to find the deployments that rolled out (their revision changed),
 * once to sample the store at every recorded moment into the report. The
 * output is written to a temporary file beside OUT and renamed over it.
 */

#define REPORT_MAX_FILE  ((size_t)1 << 30)
#define REPORT_MAX_AUDIT ((size_t)64 << 20)
#define MAX_SKEWS        1024 /* changes of the skew kept */
#define MAX_CANDIDATES   16

struct candidates {
	char *ns[MAX_CANDIDATES], *name[MAX_CANDIDATES];
	int n;
	bool more;
};

static void cand_add(struct candidates *c, const char *ns, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->ns[i], ns) == 0 && strcmp(c->name[i], name) == 0)
			return;
	if (c->n == MAX_CANDIDATES) {
		c->more = true;
		return;
	}
	c->ns[c->n] = xstrdup(ns);
	c->name[c->n++] = xstrdup(name);
}

static void cand_free(struct candidates *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->ns[i]), free(c->name[i]);
}

/* A deployment rolled out when its revision changed while it was recorded. */
static void on_deploy(void *ud, enum store_kind k, const void *old_obj, const void *new_obj)
{
	const struct deployment *a = old_obj, *b = new_obj;
	if (k != STORE_DEPLOYMENTS || !a || !b || !a->revision || !b->revision || !*a->revision)
		return;
	if (strcmp(a->revision, b->revision) != 0)
		cand_add(ud, b->namespace ? b->namespace : "", b->name ? b->name : "");
}

struct pass {
	const char *path;
	const uint8_t *data;
	size_t len;
	const char *context; /* --context, or the only one the file holds */
	bool have_context, more_contexts;
	char first_context[REC_MAX_CONTEXT + 1];
	int64_t first_ms, last_ms, skew;
	/* the skew's changes (this machine's time, skew), to put a moment of the
	 * recording on the server's clock as it was then */
	int64_t skew_t[MAX_SKEWS], skew_v[MAX_SKEWS];
	size_t n_skews;
	bool seen; /* the report's deployment was in the store at some moment */
};

/* The informer errors of an outage, to say why a gap is one. */
struct outage {
	int64_t from, to; /* to 0: still on */
	char why[200];
};

#define MAX_OUTAGES 64

/* Why the gap [from, to) holds nothing: the error of an outage within it,
 * a segment boundary, or the informers' first lists. */
static const char *gap_why(const struct outage *o, size_t n, int64_t from, int64_t to, bool between)
{
	for (size_t i = 0; i < n; i++)
		if (o[i].from < to && (o[i].to == 0 || o[i].to > from))
			return o[i].why;
	return between ? "between two runs of the recorder" : "the informers had not listed yet";
}
/* The skew at t (this machine's time): the last estimate before it. */
static int64_t skew_at(const struct pass *ps, int64_t t)
{
	int64_t v = ps->n_skews ? ps->skew_v[0] : 0;
	for (size_t i = 0; i < ps->n_skews && ps->skew_t[i] <= t; i++)
		v = ps->skew_v[i];
	return v;
}

/*
 * Apply the file to st; with rep, sample it at every moment (after the
 * last event of each millisecond) and note the outages. 0, or 1 after
 * saying why.
 */
static int pass(struct pass *ps, struct store *st, struct report *rep)
{
	struct rec_reader *rd = rec_reader_new(ps->data, ps->len);
	struct perr err = {0};
	struct rec_event ev;
	int got, rc = 0;
	bool pending = false;
	int64_t last_t = 0;
	/* the gaps: the one computation replay's time bar uses */
	struct rec_timeline tl;
	rec_timeline_init(&tl, INFORMER_BACKOFF);
	struct outage out[MAX_OUTAGES];
	size_t n_out = 0;
	int64_t seg_first[2] = {0, 0}; /* the first event of segment 1 and of a later one */
	while ((got = rec_reader_next(rd, &ev, &err)) == 1) {
		const char *ctx = rec_reader_context(rd);
		if (!ps->have_context) {
			snprintf(ps->first_context, sizeof(ps->first_context), "%s", ctx);
			ps->have_context = true;
		} else if (strcmp(ps->first_context, ctx) != 0) {
			ps->more_contexts = true;
		}
		if (ps->context && strcmp(ctx, ps->context) != 0)
			continue;
		if (rep && pending && ev.t_ms != last_t) {
			report_sample(rep, st, last_t + ps->skew);
			pending = false;
		}
		if (!ps->first_ms)
			ps->first_ms = ev.t_ms;
		ps->last_ms = last_t = ev.t_ms;
		if (ev.op == REC_CLOCK) {
			ps->skew = ev.value;
			if (ps->n_skews < MAX_SKEWS) {
				ps->skew_t[ps->n_skews] = ev.t_ms;
				ps->skew_v[ps->n_skews++] = ev.value;
			}
		}
		rec_timeline_event(&tl, &ev, rec_reader_segment(rd));
		if (rec_reader_segment(rd) > 1 && !seg_first[1])
			seg_first[1] = ev.t_ms;
		if (ev.op == REC_STATUS && ev.value == INFORMER_BACKOFF && n_out < MAX_OUTAGES &&
		    ev.kind < STORE_NKINDS && (!n_out || out[n_out - 1].to)) {
			out[n_out].from = ev.t_ms;
			out[n_out].to = 0;
			snprintf(out[n_out++].why, sizeof(out[0].why), "%s informer: %.150s",
				 store_kind_name((enum store_kind)ev.kind),
				 ev.text && *ev.text ? ev.text : "back-off");
		} else if (ev.op == REC_STATUS && ev.value == INFORMER_WATCHING && n_out &&
			   !out[n_out - 1].to) {
			out[n_out - 1].to = ev.t_ms;
		}
		if (rec_apply(st, &ev) == 1)
			pending = true;
	}
	if (rep && pending)
		report_sample(rep, st, last_t + ps->skew);
	rec_timeline_end(&tl);
	for (size_t i = 0; rep && i < tl.n_gaps; i++) {
		const struct rec_gap *g = &tl.gaps[i];
		bool between =
		    seg_first[1] && g->from_ms < seg_first[1] && g->to_ms >= seg_first[1];
		report_gap(rep, g->from_ms + skew_at(ps, g->from_ms),
			   g->to_ms + skew_at(ps, g->to_ms),
			   gap_why(out, n_out, g->from_ms, g->to_ms, between));
	}
	rec_timeline_free(&tl);
	if (got < 0) {
		cmd_printf(stderr, "podscope report: %s: %s\n", ps->path, err.msg);
		rc = 1;
	} else if (rep && rec_reader_damage(rd)) {
		cmd_printf(stderr,
			   "podscope report: %s: %lu damaged part%s skipped (the last at %s); what "
			   "they held is missing from the report\n",
			   ps->path, rec_reader_damage(rd), rec_reader_damage(rd) == 1 ? "" : "s",
			   rec_reader_last_damage(rd));
	}
	perr_clear(&err);
	rec_reader_free(rd);
	return rc;
}

/* "deploy/NAME", "deployment/NAME", "deployments/NAME" or "deployments.apps/NAME". */
const char *report_target_name(const char *arg)
{
	static const char *const pre[] = {"deploy/", "deployment/", "deployments/",
					  "deployment.apps/", "deployments.apps/"};
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (strncmp(arg, pre[i], strlen(pre[i])) == 0 && arg[strlen(pre[i])])
			return arg + strlen(pre[i]);
	return NULL;
}

int report_output_kind(const char *out)
{
	size_t n = out ? strlen(out) : 0;
	if (n > 5 && (strcmp(out + n - 5, ".html") == 0 || strcmp(out + n - 5, ".HTML") == 0))
		return 'h';
	if (n > 4 && (strcmp(out + n - 4, ".htm") == 0))
		return 'h';
	if (n > 4 && (strcmp(out + n - 4, ".svg") == 0 || strcmp(out + n - 4, ".SVG") == 0))
		return 's';
	return 0;
}

int report_write(const char *out, const struct buf *b)
{
	if (b->len > REPORT_MAX_OUTPUT) {
		fprintf(stderr,
			"podscope report: the report would be %zu MiB, over the %u MiB cap\n",
			b->len >> 20, REPORT_MAX_OUTPUT >> 20);
		return 1;
	}
	size_t n = strlen(out);
	char *tmp = xmalloc(n + 16);
	snprintf(tmp, n + 16, "%s.tmpXXXXXX", out);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		cmd_printf(stderr, "podscope report: cannot write beside %s: %s\n", out,
			   strerror(errno));
		free(tmp);
		return 1;
	}
	size_t off = 0;
	int rc = 0;
	while (off < b->len) {
		ssize_t w = write(fd, b->data + off, b->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = errno ? errno : EIO;
			break;
		}
		off += (size_t)w;
	}
	if (!rc && fchmod(fd, 0644) != 0)
		rc = errno;
	if (close(fd) != 0 && !rc)
		rc = errno;
	if (!rc && rename(tmp, out) != 0)
		rc = errno;
	if (rc) {
		cmd_printf(stderr, "podscope report: cannot write %s: %s\n", out, strerror(rc));
		unlink(tmp);
	}
	free(tmp);
	return rc ? 1 : 0;
}

/* The actions: --audit FILE, else the default audit log when it exists. */
static void audit(struct cli *cli, struct report *rep, const char *context, int64_t skew_ms)
{
	char *def = cli->audit ? NULL : kact_audit_path();
	const char *path = cli->audit ? cli->audit : def;
	if (!path)
		return;
	struct perr err = {0};
	size_t len = 0;
	char *text = kfile_read(path, REPORT_MAX_AUDIT, &len, &err, "audit log %s", path);
	if (!text) {
		if (cli->audit || errno != ENOENT)
			cmd_printf(stderr, "podscope report: %s (no actions shown)\n", err.msg);
	} else {
		report_audit(rep, text, len, context, skew_ms);
	}
	perr_clear(&err);
	free(text);
	free(def);
}

int report_finish_write(struct cli *cli, struct report *rep, const char *context, int64_t skew_ms)
{
	audit(cli, rep, context, skew_ms);
	struct buf b = BUF_INIT;
	if (report_output_kind(cli->output) == 's')
		report_write_svg(rep, &b);
	else
		report_write_html(rep, &b);
	int rc = report_write(cli->output, &b);
	buf_free(&b);
	if (!rc) {
		struct report_counts c;
		report_counts(rep, &c);
		cmd_printf(stderr,
			   "podscope report: wrote %s: %zu generations, %zu pods, %zu Warning "
			   "events, %zu why lines, %zu actions, %zu gaps\n",
			   cli->output, c.gens, c.pods, c.events, c.why, c.actions, c.gaps);
	}
	return rc;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: podscope report FILE [deploy/NAME] -o OUT.html|OUT.svg [--audit "
		"FILE]\n       podscope report deploy/NAME --since D -o OUT.html|OUT.svg\n");
	return 2;
}

static int from_recording(struct cli *cli)
{
	struct pass ps = {.path = cli->args[0], .context = cli->kc.context};
	const char *target = cli->nargs > 1 ? report_target_name(cli->args[1]) : NULL;
	if (cli->nargs > 1 && !target) {
		cmd_printf(stderr, "podscope report: %s: name a deployment as deploy/NAME\n",
			   cli->args[1]);
		return 2;
	}
	struct perr err = {0};
	uint8_t *data =
	    (uint8_t *)kfile_read(ps.path, REPORT_MAX_FILE, &ps.len, &err, "recording %s", ps.path);
	if (!data) {
		cmd_printf(stderr, "podscope report: %s\n", err.msg);
		perr_clear(&err);
		return 1;
	}
	ps.data = data;
	struct candidates cand = {0};
	struct store *st = store_new();
	store_subscribe(st, on_deploy, &cand);
	int rc = pass(&ps, st, NULL);
	store_unsubscribe(st, on_deploy, &cand);
	const char *ns = cli->kc.namespace ? cli->kc.namespace : "default";
	const char *name = target;
	if (rc == 0 && ps.more_contexts && !ps.context) {
		cmd_printf(stderr,
			   "podscope report: %s holds more than one context: choose one "
			   "with --context\n",
			   ps.path);
		rc = 2;
	} else if (rc == 0 && !ps.first_ms) {
		cmd_printf(stderr, "podscope report: %s: no events\n", ps.path);
		rc = 1;
	} else if (rc == 0 && !target && cand.n != 1) {
		if (!cand.n)
			cmd_printf(stderr,
				   "podscope report: no deployment rolled out in %s (none "
				   "changed revision): name one as deploy/NAME\n",
				   ps.path);
		else {
			cmd_printf(stderr,
				   "podscope report: %d deployments rolled out in %s:", cand.n,
				   ps.path);
			for (int i = 0; i < cand.n; i++)
				cmd_printf(stderr, " -n %s deploy/%s%s", cand.ns[i], cand.name[i],
					   i + 1 < cand.n ? "," : "");
			cmd_printf(stderr, "%s; name one\n", cand.more ? " and more" : "");
		}
		rc = 2;
	} else if (rc == 0 && !target) {
		ns = cand.ns[0];
		name = cand.name[0];
	}
	store_free(st);
	if (rc == 0) {
		struct report *rep = report_new(ns, name);
		char src[600];
		snprintf(src, sizeof(src), "From the recording %.300s (context %.250s)", ps.path,
			 ps.context ? ps.context : ps.first_context);
		report_set_source(rep, src, false);
		st = store_new();
		report_attach(rep, st);
		ps.first_ms = ps.last_ms = ps.skew = 0;
		ps.n_skews = 0;
		rc = pass(&ps, st, rep);
		report_detach(rep, st);
		report_finish(rep, ps.last_ms + ps.skew);
		store_free(st);
		struct report_counts c;
		report_counts(rep, &c);
		if (rc == 0 && !c.samples) {
			cmd_printf(stderr, "podscope report: %s holds no deployment %s/%s\n",
				   ps.path, ns, name);
			rc = 1;
		}
		if (rc == 0)
			rc = report_finish_write(
			    cli, rep, ps.context ? ps.context : ps.first_context, ps.skew);
		report_free(rep);
	}
	cand_free(&cand);
	free(data);
	return rc;
}

int cmd_report(struct cli *cli)
{
	if (cli->nargs < 1 || cli->nargs > 2 || !cli->output)
		return usage();
	if (!report_output_kind(cli->output)) {
		cmd_printf(stderr,
			   "podscope report: -o %s: the output's kind is chosen by its extension: "
			   ".html (or .htm) for the page, .svg for the chart alone\n",
			   cli->output);
		return 2;
	}
	if (cli->nargs == 1 && report_target_name(cli->args[0]))
		return report_live(cli, report_target_name(cli->args[0]));
	if (cli->since) {
		fprintf(stderr, "podscope report: --since is for a live report (report deploy/NAME "
				"--since D)\n");
		return 2;
	}
	return from_recording(cli);
}
