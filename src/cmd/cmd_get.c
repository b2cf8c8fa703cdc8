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
#include "cmd_fleet.h"
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
	return get_print_store_logs(st, ns, kind, name, out, now, NULL, NULL);
}

int get_print_store_logs(const struct store *st, const char *ns, const char *kind,
			 const char *name, const char *out, int64_t now, struct whylog *wl,
			 const struct get_ctx *ctx)
{
	int rc = 0;
	out = out ? out : "text";
	struct get_snap s = {.st = st,
			     .now = now,
			     .all_ns = ns == NULL,
			     .kind = kind,
			     .name = name,
			     .wl = wl,
			     .ctx = ctx};
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
		get_print_text(&s, strcmp(out, "wide") == 0, kind && strcmp(kind, "pod") == 0);
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
	struct cmd_fleet fleet;
	if ((rc = cmd_fleet_open(&fleet, cli, "get", kinds, true)) != 0)
		return rc;
	if (fleet.n) {
		rc = get_fleet(&fleet, kind, name, cli->output);
		cmd_fleet_close(&fleet);
		return rc;
	}
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
					  wl, NULL);
		whylog_free(wl);
	}
	cmd_session_close(&ses);
	return rc;
}
