#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/generations.h"
#include "podscope/lifecycle.h"
#include "podscope/rollout.h"
#include "podscope/sanitize.h"
#include "podscope/why.h"
#include "podscope/xalloc.h"

#include "cmd_dsnodes.h"
#include "cmd_get.h"
#include "cmd_job.h"
#include "cmd_print.h"

/* `podscope get`'s text: deployments with their generations and pods, the
 * other workloads, then the pods no workload owns, grouped by owner. */

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* ---- text: every line through cmd_printf, so that names and messages are
 * escaped and columns are padded by display width, never wider than
 * SANITIZE_COL_MAX. ---- */

enum { W_NAME, W_READY, W_STATUS, W_RESTARTS, W_AGE, W_STAGE, W_IP, W_NODE, W_N };

struct text {
	struct get_snap *s;
	bool wide;
	int w[W_N];
};

static void widen(int *w, const char *s)
{
	int n = (int)sanitize_width(s, SANITIZE_COL_MAX);
	if (n > *w)
		*w = n;
}

static void stage_label(const struct lc_pod *lc, char *buf, size_t n)
{
	if (lc->init_index)
		snprintf(buf, n, "%s %u/%u", lc_stage_name(lc->stage), (unsigned)lc->init_index,
			 (unsigned)lc->init_total);
	else
		snprintf(buf, n, "%s", lc_stage_name(lc->stage));
}

static void measure(struct text *t)
{
	static const char *const heads[W_N] = {"NAME", "READY", "STATUS", "RESTARTS",
					       "AGE",  "STAGE", "IP",     "NODE"};
	for (int i = 0; i < W_N; i++)
		t->w[i] = (int)strlen(heads[i]);
	for (size_t i = 0; i < t->s->n_pods; i++) {
		struct get_row r;
		char stage[64];
		get_row_compute(t->s, t->s->pods[i].p, &r);
		stage_label(&r.lc, stage, sizeof(stage));
		widen(&t->w[W_NAME], nz(t->s->pods[i].p->name));
		widen(&t->w[W_READY], r.row.ready);
		widen(&t->w[W_STATUS], r.row.status);
		widen(&t->w[W_RESTARTS], r.row.restarts);
		widen(&t->w[W_AGE], r.row.age);
		widen(&t->w[W_STAGE], stage);
		widen(&t->w[W_IP], r.row.ip);
		widen(&t->w[W_NODE], r.row.node);
		get_row_free(&r);
	}
}

static void pod_header(const struct text *t, const char *indent)
{
	cmd_line_head();
	cmd_printf(stdout, "%s%-*s  %-*s  %-*s  %-*s  %-*s  %-*s  ", indent, t->w[W_NAME], "NAME",
		   t->w[W_READY], "READY", t->w[W_STATUS], "STATUS", t->w[W_RESTARTS], "RESTARTS",
		   t->w[W_AGE], "AGE", t->w[W_STAGE], "STAGE");
	if (t->wide)
		cmd_printf(stdout, "%-*s  %-*s  ", t->w[W_IP], "IP", t->w[W_NODE], "NODE");
	cmd_puts(stdout, "WHY\n");
}

static void pod_line(struct text *t, const struct pod *p, const char *indent)
{
	struct get_row r;
	char stage[64];
	get_row_compute(t->s, p, &r);
	stage_label(&r.lc, stage, sizeof(stage));
	cmd_printf(stdout, "%s%-*s  %-*s  %-*s  %-*s  %-*s  %-*s  ", indent, t->w[W_NAME],
		   nz(p->name), t->w[W_READY], r.row.ready, t->w[W_STATUS], r.row.status,
		   t->w[W_RESTARTS], r.row.restarts, t->w[W_AGE], r.row.age, t->w[W_STAGE], stage);
	if (t->wide)
		cmd_printf(stdout, "%-*s  %-*s  ", t->w[W_IP], r.row.ip, t->w[W_NODE], r.row.node);
	cmd_printf(stdout, "%s\n", r.lc.why);
	get_row_free(&r);
}

static void print_images(const char *const *img, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		cmd_printf(stdout, "%s%s", i ? "," : "  images ", nz(img[i]));
}

static void print_deployment(struct text *t, size_t di, size_t *pi)
{
	struct get_snap *s = t->s;
	const struct deployment *d = s->deps[di];
	size_t nrs;
	const struct replicaset **rss = cmd_deployment_rss(s->st, d, &nrs);
	struct generations g;
	generations_build(d, rss, nrs, &g);
	struct rollout_deploy_row row;
	rollout_deploy_row(d, s->now, &row);
	cmd_printf(stdout, "deployment %s/%s: %s ready, %d up-to-date, %d available, age %s",
		   nz(d->namespace), nz(d->name), row.ready, (int)row.up_to_date,
		   (int)row.available, row.age);
	if (d->revision && *d->revision)
		cmd_printf(stdout, ", revision %s", d->revision);
	cmd_puts(stdout, d->paused ? ", paused\n" : "\n");
	if (d->strategy.type == DEPLOY_ROLLING_UPDATE)
		cmd_printf(
		    stdout,
		    "  RollingUpdate: maxSurge %d (%d in use), maxUnavailable %d (%d in use)\n",
		    (int)g.budget.max_surge, (int)g.budget.surge_used,
		    (int)g.budget.max_unavailable, (int)g.budget.unavailable_used);
	else
		cmd_printf(stdout, "  %s\n", generations_strategy_name(d));
	size_t ml = strlen(g.status.msg);
	if (ml && g.status.msg[ml - 1] == '\n')
		g.status.msg[ml - 1] = '\0';
	cmd_printf(stdout, "  %s%s\n", g.status.state == ROLLOUT_ERROR ? "error: " : "",
		   g.status.msg);
	struct why why;
	why_deployment(s->st, d, s->now, whylog_line, s->wl, &why);
	if (why.line[0])
		cmd_printf(stdout, "  why: %s\n", why.line);
	cmd_print_eta(s->st, STORE_DEPLOYMENTS, d, s->now);
	if (s->kind)
		cmd_print_blockers(s->st, STORE_DEPLOYMENTS, d);
	size_t start = *pi, end = start;
	while (end < s->n_owned && s->pods[end].dep == di)
		end++;
	/* Newest generation first: that is where a rollout's action is. */
	for (size_t k = g.n; k-- > 0;) {
		const struct gen_rs *gr = &g.rs[k];
		cmd_printf(stdout,
			   "  %s replicaset %s: revision %lld, desired %d, current %d, ready %d, "
			   "available %d",
			   gr->is_new ? "new" : "old", nz(gr->rs->name), (long long)gr->revision,
			   (int)gr->desired, (int)gr->current, (int)gr->ready, (int)gr->available);
		if (t->wide)
			print_images(gr->rs->images, gr->rs->n_images);
		cmd_puts(stdout, "\n");
		bool header = false;
		for (size_t i = start; i < end; i++) {
			if (cmd_pod_rs(s->st, s->pods[i].p) != gr->rs)
				continue;
			if (!header)
				pod_header(t, "    ");
			header = true;
			pod_line(t, s->pods[i].p, "    ");
		}
	}
	*pi = end;
	generations_free(&g);
	free(rss);
}

/* A StatefulSet or DaemonSet: its line, kubectl's message, then its pods by
 * revision, newest first (pods of no known revision last). */
static void print_workload(struct text *t, size_t wi)
{
	struct get_snap *s = t->s;
	const struct cmd_wl *wl = &s->wls[wi];
	char age[DURATION_BUF];
	size_t start, end, nrev;
	duration_since(wl->w->created, s->now, age, sizeof(age));
	cmd_printf(stdout, "%s %s/%s: %s ready", wl->word, nz(wl->w->namespace), nz(wl->w->name),
		   wl->ready);
	if (wl->kind == STORE_STATEFULSETS) {
		const struct statefulset *ss = wl->obj;
		cmd_printf(stdout, ", %d updated, %d current", (int)ss->updated_replicas,
			   (int)ss->current_replicas);
		if (ss->has_partition)
			cmd_printf(stdout, ", partition %d", (int)ss->partition);
	} else {
		const struct daemonset *ds = wl->obj;
		cmd_printf(stdout, ", %d up-to-date, %d available",
			   (int)ds->updated_number_scheduled, (int)ds->number_available);
		if (ds->number_misscheduled)
			cmd_printf(stdout, ", %d misscheduled", (int)ds->number_misscheduled);
	}
	cmd_printf(stdout, ", age %s\n", age);
	cmd_printf(stdout, "  %s%s\n", wl->status.state == ROLLOUT_ERROR ? "error: " : "", wl->msg);
	struct why why;
	why_set(s->st, wl->kind, wl->obj, s->now, whylog_line, s->wl, &why);
	if (why.line[0])
		cmd_printf(stdout, "  why: %s\n", why.line);
	cmd_print_eta(s->st, wl->kind, wl->obj, s->now);
	if (s->kind)
		cmd_print_blockers(s->st, wl->kind, wl->obj);
	get_wl_span(s, wi, &start, &end);
	const struct controller_revision **revs = cmd_wl_revisions(s->st, wl, &nrev);
	for (size_t r = 0; r <= nrev; r++) {
		int64_t num = r < nrev ? revs[r]->revision : 0;
		bool header = false;
		for (size_t i = start; i < end; i++) {
			const struct pod *p = s->pods[i].p;
			if (store_pod_revision(s->st, p) != num)
				continue;
			if (!header) {
				if (r < nrev)
					cmd_printf(stdout, "  %s revision %lld (%s)\n",
						   num == wl->update_rev ? "update" : "old",
						   (long long)num, nz(revs[r]->name));
				else
					cmd_puts(stdout, "  revision unknown\n");
				pod_header(t, "    ");
			}
			header = true;
			pod_line(t, p, "    ");
		}
	}
	free(revs);
	/* get ds/NAME: the nodes, as the rollout view shows them. */
	if (wl->kind == STORE_DAEMONSETS && s->kind && strcmp(s->kind, "daemonset") == 0)
		cmd_ds_nodes_text(s->st, wl->obj, wl->update_rev,
				  store_count(s->st, STORE_NODES) > 0);
}

static void print_groups(struct text *t, size_t from)
{
	struct get_snap *s = t->s;
	const char *pk = NULL, *pn = NULL, *pns = NULL;
	for (size_t i = from; i < s->n_pods; i++) {
		const struct pod *p = s->pods[i].p;
		const char *k, *n;
		get_pod_group(p, &k, &n);
		if (!pk || strcmp(pk, k) || strcmp(pn, n) || strcmp(pns, nz(p->namespace))) {
			if (*k) {
				char lower[64];
				size_t j = 0;
				for (; k[j] && j + 1 < sizeof(lower); j++)
					lower[j] =
					    (char)(k[j] >= 'A' && k[j] <= 'Z' ? k[j] + 32 : k[j]);
				lower[j] = '\0';
				cmd_printf(stdout, "%s %s/%s%s\n", lower, nz(p->namespace), n,
					   strcmp(k, "ReplicaSet") == 0 ? " (no deployment)" : "");
			} else {
				cmd_printf(stdout, "standalone pods in %s\n", nz(p->namespace));
			}
			pod_header(t, "    ");
			pk = k;
			pn = n;
			pns = nz(p->namespace);
		}
		pod_line(t, p, "    ");
	}
}

static void print_pod_detail(struct text *t, const struct pod *p)
{
	struct get_snap *s = t->s;
	struct get_row r;
	get_row_compute(s, p, &r);
	cmd_printf(stdout, "pod %s/%s: %s %s, restarts %s, age %s, node %s, ip %s\n",
		   nz(p->namespace), nz(p->name), r.row.ready, r.row.status, r.row.restarts,
		   r.row.age, r.row.node, r.row.ip);
	const struct replicaset *rs = cmd_pod_rs(s->st, p);
	const char *k, *n;
	get_pod_group(p, &k, &n);
	if (rs) {
		const struct deployment *d = cmd_rs_deployment(s->st, rs);
		cmd_printf(stdout, "  owner: replicaset %s", nz(rs->name));
		if (d)
			cmd_printf(stdout, " of deployment %s", nz(d->name));
		cmd_puts(stdout, "\n");
	} else if (*k) {
		cmd_printf(stdout, "  owner: %s %s\n", k, n);
	}
	char stage[64], why[256];
	stage_label(&r.lc, stage, sizeof(stage));
	cmd_printf(stdout, "  stage: %s: %s\n", stage, r.lc.why);
	for (size_t i = 0; i < r.lc.n_containers; i++) {
		const struct lc_container *c = &r.lc.containers[i];
		lifecycle_container_why(p, c, s->now, why, sizeof(why));
		cmd_printf(stdout, "  %s %s: %s, %d restarts: %s\n",
			   c->sidecar ? "sidecar" : (c->init ? "init container" : "container"),
			   nz(c->name), lc_stage_name(c->stage), (int)c->restarts, why);
	}
	cmd_pod_events(s->st, p, &s->ev);
	size_t max = lifecycle_timeline(p, s->ev.ev, s->ev.n, NULL, 0);
	struct lc_step *steps = xcalloc(max ? max : 1, sizeof(*steps));
	size_t ns = lifecycle_timeline(p, s->ev.ev, s->ev.n, steps, max);
	cmd_puts(stdout, "  timeline:\n");
	for (size_t i = 0; i < ns && i < max; i++) {
		char ts[DURATION_BUF], d[DURATION_BUF];
		duration_format_rfc3339(steps[i].start_ms, 0, ts, sizeof(ts));
		cmd_printf(stdout, "    %s  %s%s%s", steps[i].start_ms ? ts : "-",
			   lc_step_name(steps[i].kind), *steps[i].container ? " " : "",
			   steps[i].container);
		if (steps[i].kind == LC_STEP_RUN) {
			char run[16] = "";
			if (steps[i].run)
				snprintf(run, sizeof(run), "#%u, ", (unsigned)steps[i].run);
			cmd_printf(stdout, " %sexit %d%s%s", run, (int)steps[i].exit_code,
				   *steps[i].reason ? " " : "", steps[i].reason);
		}
		if (steps[i].end_ms && steps[i].end_ms >= steps[i].start_ms) {
			duration_human(steps[i].end_ms - steps[i].start_ms, d, sizeof(d));
			cmd_printf(stdout, " (%s)", d);
		} else if (!steps[i].done) {
			cmd_puts(stdout, " (not done)");
		}
		cmd_puts(stdout, "\n");
	}
	free(steps);
	get_row_free(&r);
}

void get_print_text(struct get_snap *s, bool wide, bool pod_detail)
{
	struct text t = {.s = s, .wide = wide};
	if (pod_detail) {
		for (size_t i = 0; i < s->n_pods; i++)
			print_pod_detail(&t, s->pods[i].p);
		return;
	}
	measure(&t);
	size_t pi = 0;
	for (size_t di = 0; di < s->n_deps; di++)
		print_deployment(&t, di, &pi);
	for (size_t wi = 0; wi < s->n_wls; wi++)
		print_workload(&t, wi);
	print_groups(&t, s->n_owned);
	if (s->n_deps == 0 && s->n_wls == 0 && s->n_pods == 0)
		fprintf(stderr, "No resources found\n");
}

