#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/intern.h"
#include "podscope/generations.h"
#include "podscope/informer.h"
#include "podscope/lifecycle.h"
#include "podscope/loop.h"
#include "podscope/rollout.h"
#include "podscope/why.h"
#include "podscope/sanitize.h"
#include "podscope/sort.h"
#include "podscope/xalloc.h"

#include "cmd_dsnodes.h"
#include "cmd_get.h"
#include "cmd_job.h"
#include "cmd_print.h"

/* `podscope get`: list once, print deployments with their generations and
 * pods, then the pods no Deployment owns, grouped by owner. */

static const char *nz(const char *s)
{
	return s ? s : "";
}

void get_row_compute(struct get_snap *s, const struct pod *p, struct get_row *r)
{
	pod_status_row(p, s->now, &r->row);
	cmd_pod_stage(s->st, p, s->now, &s->ev, &r->lc);
}

void get_row_free(struct get_row *r)
{
	lifecycle_pod_free(&r->lc);
}

void get_pod_group(const struct pod *p, const char **kind, const char **name)
{
	const struct owner_ref *o = model_controller_of(p->owners, p->n_owners);
	*kind = o ? nz(o->kind) : "";
	*name = o ? nz(o->name) : "";
}

static int cmp_dep(const void *a, const void *b)
{
	const struct deployment *x = *(const struct deployment *const *)a;
	const struct deployment *y = *(const struct deployment *const *)b;
	int c = strcmp(nz(x->namespace), nz(y->namespace));
	return c ? c : strcmp(nz(x->name), nz(y->name));
}

static int cmp_pod(const void *a, const void *b)
{
	const struct get_pod *x = a, *y = b;
	if (x->dep != y->dep)
		return x->dep < y->dep ? -1 : 1; /* GET_NO_DEP last */
	int c;
	const char *xk, *xn, *yk, *yn;
	get_pod_group(x->p, &xk, &xn);
	get_pod_group(y->p, &yk, &yn);
	/* A deployment's pods by ReplicaSet (their controller), others by
	 * namespace and owner. */
	if (x->dep == GET_NO_DEP && (c = strcmp(nz(x->p->namespace), nz(y->p->namespace))) != 0)
		return c;
	if ((c = strcmp(xk, yk)) != 0 || (c = strcmp(xn, yn)) != 0)
		return c;
	if (x->by_ordinal)
		return sort_name_cmp(x->p->name, y->p->name);
	return strcmp(nz(x->p->name), nz(y->p->name));
}

static size_t dep_index(const struct get_snap *s, const struct deployment *d)
{
	const struct deployment **hit = bsearch(&d, s->deps, s->n_deps, sizeof(*s->deps), cmp_dep);
	return hit && *hit == d ? (size_t)(hit - s->deps) : SIZE_MAX;
}

static int cmp_wl(const void *a, const void *b)
{
	const struct cmd_wl *x = a, *y = b;
	int c = (int)x->kind - (int)y->kind;
	if (c)
		return c;
	c = strcmp(nz(x->w->namespace), nz(y->w->namespace));
	return c ? c : strcmp(nz(x->w->name), nz(y->w->name));
}

/* The index in s->wls of the listed workload obj of kind k, or SIZE_MAX. */
static size_t wl_index(const struct get_snap *s, enum store_kind k, const void *obj)
{
	struct cmd_wl key = {.kind = k,
			     .w = k == STORE_STATEFULSETS ? &((const struct statefulset *)obj)->w
							  : &((const struct daemonset *)obj)->w};
	const struct cmd_wl *hit = bsearch(&key, s->wls, s->n_wls, sizeof(*s->wls), cmp_wl);
	return hit && hit->obj == obj ? (size_t)(hit - s->wls) : SIZE_MAX;
}

/* The StatefulSets and DaemonSets to print, sorted. */
static void wls_build(struct get_snap *s, const struct store *st, const char *ns, const char *kind,
		      const char *name)
{
	static const enum store_kind kinds[] = {STORE_STATEFULSETS, STORE_DAEMONSETS};
	size_t cap = store_count(st, STORE_STATEFULSETS) + store_count(st, STORE_DAEMONSETS) + 1;
	s->wls = xcalloc(cap, sizeof(*s->wls));
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *word = kinds[i] == STORE_STATEFULSETS ? "statefulset" : "daemonset";
		struct store_iter it;
		const void *obj;
		if (kind && strcmp(kind, word) != 0)
			continue;
		store_iter_all(&it, st, kinds[i], ns);
		while ((obj = store_iter_next(&it)) && s->n_wls < cap) {
			if (name && strcmp(store_obj_name(obj), name) != 0)
				continue;
			cmd_wl_load(&s->wls[s->n_wls++], st, kinds[i], obj);
		}
	}
	qsort(s->wls, s->n_wls, sizeof(*s->wls), cmp_wl);
}

/* Where pod p goes: its deployment's or workload's index, or GET_NO_DEP. */
static uint32_t pod_owner(const struct get_snap *s, const struct pod *p, uint8_t *by_ordinal)
{
	const struct replicaset *rs = cmd_pod_rs(s->st, p);
	const struct deployment *pd = rs ? cmd_rs_deployment(s->st, rs) : NULL;
	size_t i = pd ? dep_index(s, pd) : SIZE_MAX;
	const void *w;
	*by_ordinal = 0;
	if (i != SIZE_MAX)
		return (uint32_t)i;
	if ((w = store_pod_statefulset(s->st, p)))
		i = wl_index(s, STORE_STATEFULSETS, w);
	else if ((w = store_pod_daemonset(s->st, p)))
		i = wl_index(s, STORE_DAEMONSETS, w);
	if (i == SIZE_MAX)
		return GET_NO_DEP;
	*by_ordinal = 1;
	return (uint32_t)(s->n_deps + i);
}

void get_wl_span(const struct get_snap *s, size_t wi, size_t *start, size_t *end)
{
	size_t want = s->n_deps + wi;
	size_t lo = 0, hi = s->n_owned;
	/* pods[0..n_owned) are sorted by owner index. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->pods[mid].dep < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	*start = lo;
	for (hi = lo; hi < s->n_owned && s->pods[hi].dep == want; hi++)
		;
	*end = hi;
}

/* Collect and sort what the command prints. kind/name: the TYPE/NAME argument or NULL. */
static void snap_build(struct get_snap *s, const struct store *st, const char *ns, const char *kind,
		       const char *name)
{
	struct store_iter it;
	size_t cap = 16;
	s->deps = xcalloc(cap, sizeof(*s->deps));
	bool only_pod = kind && strcmp(kind, "pod") == 0;
	bool only_dep = kind && !only_pod;
	bool deps = !kind || strcmp(kind, "deployment") == 0;
	const struct deployment *d;
	store_iter_all(&it, st, STORE_DEPLOYMENTS, ns);
	while (deps && (d = store_iter_next(&it))) {
		if (only_dep && strcmp(nz(d->name), name) != 0)
			continue;
		if (s->n_deps == cap)
			s->deps = xrealloc(s->deps, (cap *= 2) * sizeof(*s->deps));
		s->deps[s->n_deps++] = d;
	}
	qsort(s->deps, s->n_deps, sizeof(*s->deps), cmp_dep);
	wls_build(s, st, ns, only_pod ? "pod" : kind, only_pod ? NULL : name);

	cap = store_count(st, STORE_PODS) + 1;
	s->pods = xcalloc(cap, sizeof(*s->pods));
	const struct pod *p;
	store_iter_all(&it, st, STORE_PODS, ns);
	while ((p = store_iter_next(&it))) {
		if (only_pod && strcmp(nz(p->name), name) != 0)
			continue;
		struct get_pod gp = {.p = p};
		gp.dep = pod_owner(s, p, &gp.by_ordinal);
		if (only_dep && gp.dep == GET_NO_DEP)
			continue;
		s->pods[s->n_pods++] = gp;
		s->n_owned += gp.dep != GET_NO_DEP;
	}
	sort_inplace(s->pods, s->n_pods, sizeof(*s->pods), cmp_pod);
}

static void snap_free(struct get_snap *s)
{
	free(s->deps);
	free(s->wls);
	free(s->pods);
	cmd_events_free(&s->ev);
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
	cmd_printf(stdout, "%s%-*s  %-*s  %-*s  %-*s  %-*s  %-*s  ", indent, t->w[W_NAME], "NAME",
		   t->w[W_READY], "READY", t->w[W_STATUS], "STATUS", t->w[W_RESTARTS], "RESTARTS",
		   t->w[W_AGE], "AGE", t->w[W_STAGE], "STAGE");
	if (t->wide)
		cmd_printf(stdout, "%-*s  %-*s  ", t->w[W_IP], "IP", t->w[W_NODE], "NODE");
	fputs("WHY\n", stdout);
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
	printf("%s\n", d->paused ? ", paused" : "");
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
		putchar('\n');
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
			printf(", partition %d", (int)ss->partition);
	} else {
		const struct daemonset *ds = wl->obj;
		cmd_printf(stdout, ", %d up-to-date, %d available",
			   (int)ds->updated_number_scheduled, (int)ds->number_available);
		if (ds->number_misscheduled)
			printf(", %d misscheduled", (int)ds->number_misscheduled);
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
					fputs("  revision unknown\n", stdout);
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
		putchar('\n');
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
	fputs("  timeline:\n", stdout);
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
			printf(" (%s)", d);
		} else if (!steps[i].done) {
			fputs(" (not done)", stdout);
		}
		putchar('\n');
	}
	free(steps);
	get_row_free(&r);
}

static void print_text(struct get_snap *s, bool wide, bool pod_detail)
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

/* PODSCOPE_STATS=1: what the store holds, on stderr (for make bench). */
static void print_stats(const struct cmd_session *ses)
{
	size_t total = 0;
	for (int k = 0; k < STORE_NKINDS; k++) {
		size_t n = store_count(ses->store, (enum store_kind)k);
		size_t b = store_bytes(ses->store, (enum store_kind)k);
		total += b;
		if (n)
			fprintf(stderr, "store: %zu %s, %zu bytes (%zu each)\n", n,
				store_kind_name((enum store_kind)k), b, b / n);
	}
	struct intern *in = store_strings(ses->store);
	fprintf(stderr, "store: %zu strings, %zu bytes; objects %zu bytes; list %lld ms\n",
		intern_count(in), intern_bytes(in), total,
		(long long)informer_set_sync_time_ms(ses->inf));
}

int get_args(const char *cmd, const char *out, const char *target, const char **kind,
		    const char **name)
{
	if (out && strcmp(out, "jsonl") == 0) {
		fprintf(stderr, "podscope %s: -o jsonl is for watch (use text, wide or json)\n", cmd);
		return 2;
	}
	*kind = *name = NULL;
	if (target && !cmd_parse_target(cmd, target, kind, name))
		return 2;
	return 0;
}

size_t get_whylog_ask(const struct store *st, const char *ns, const char *kind, const char *name,
		      int64_t now, struct whylog *wl)
{
	struct get_snap s = {
	    .st = st, .now = now, .all_ns = ns == NULL, .kind = kind, .name = name, .wl = wl};
	snap_build(&s, st, ns, kind, name);
	size_t n = get_whylog_start(&s);
	snap_free(&s);
	return n;
}

int get_print_store(const struct store *st, const char *ns, const char *kind, const char *name,
		    const char *out, int64_t now)
{
	return get_print_store_logs(st, ns, kind, name, out, now, NULL);
}

int get_print_store_logs(const struct store *st, const char *ns, const char *kind,
			 const char *name, const char *out, int64_t now, struct whylog *wl)
{
	int rc = 0;
	out = out ? out : "text";
	struct get_snap s = {
	    .st = st, .now = now, .all_ns = ns == NULL, .kind = kind, .name = name, .wl = wl};
	snap_build(&s, st, ns, kind, name);
	bool batch = kind && (strcmp(kind, "job") == 0 || strcmp(kind, "cronjob") == 0);
	if (batch && !cmd_job_count(st, ns, kind, name)) {
		cmd_printf(stderr, "podscope get: %ss.batch \"%s\" not found%s%s\n", kind, name,
			   ns ? " in namespace " : "", ns ? ns : "");
		rc = 1;
	} else if (batch && strcmp(out, "json") != 0) {
		cmd_job_get_text(st, ns, kind, name, s.now);
	} else if (kind && ((strcmp(kind, "pod") == 0 && s.n_pods == 0) ||
			    (strcmp(kind, "deployment") == 0 && s.n_deps == 0) ||
			    (strcmp(kind, "statefulset") == 0 && s.n_wls == 0) ||
			    (strcmp(kind, "daemonset") == 0 && s.n_wls == 0))) {
		cmd_printf(stderr, "podscope get: %s%s \"%s\" not found%s%s\n", kind,
			   strcmp(kind, "pod") == 0 ? "s" : "s.apps", name, ns ? " in namespace " : "",
			   ns ? ns : "");
		rc = 1;
	} else if (strcmp(out, "json") == 0) {
		if (kind && strcmp(kind, "pod") == 0)
			get_print_pod_json(&s, s.pods[0].p);
		else
			get_print_json(&s, ns);
	} else {
		print_text(&s, strcmp(out, "wide") == 0, kind && strcmp(kind, "pod") == 0);
	}
	fflush(stdout);
	snap_free(&s);
	return rc;
}

int cmd_get(struct cli *cli)
{
	if (cli->timeout) {
		fprintf(stderr, "podscope get: --timeout is for wait\n");
		return 2;
	}
	if (cli->nargs > 1) {
		fprintf(stderr, "podscope get: one deploy/NAME, sts/NAME, ds/NAME, job/NAME, "
				"cronjob/NAME or pod/NAME at most\n");
		return 2;
	}
	const char *target = cli->nargs == 1 ? cli->args[0] : NULL, *kind, *name;
	int rc = get_args("get", cli->output, target, &kind, &name);
	if (rc)
		return rc;
	struct cmd_session ses;
	/* get ds/NAME lists the nodes too (a 403 on them is no error). */
	unsigned kinds = CMD_KINDS;
	if (kind && strcmp(kind, "daemonset") == 0)
		kinds |= 1u << STORE_NODES;
	if (kind && (strcmp(kind, "deployment") == 0 || strcmp(kind, "statefulset") == 0 ||
		     strcmp(kind, "daemonset") == 0))
		kinds |= CMD_BLOCKER_KINDS;
	rc = cmd_session_open(&ses, cli, "get", kinds, true);
	if (rc)
		return rc;
	rc = cmd_session_sync(&ses, 0);
	if (rc == 0) {
		if (getenv("PODSCOPE_STATS"))
			print_stats(&ses);
		cmd_note_skew("get");
		/* The last log lines the why lines want, asked for and waited on
		 * (2 s at most) before anything is printed. */
		struct whylog *wl = whylog_new(ses.client, NULL, NULL);
		if (get_whylog_ask(ses.store, ses.ns, kind, name, cmd_wall_ms(), wl))
			cmd_whylog_wait(&ses, wl);
		rc = get_print_store_logs(ses.store, ses.ns, kind, name, cli->output, cmd_wall_ms(),
					  wl);
		whylog_free(wl);
	}
	cmd_session_close(&ses);
	return rc;
}
