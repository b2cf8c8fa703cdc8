#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/generations.h"
#include "podscope/podlog.h"
#include "podscope/sort.h"
#include "podscope/xalloc.h"

#include "cmd_common.h"
#include "cmd_logs.h"
#include "cmd_print.h"

int cmd_logs_parse(const struct cli *cli, struct cmd_logs_opts *o, struct podlog_opts *po)
{
	memset(o, 0, sizeof(*o));
	memset(po, 0, sizeof(*po));
	po->tail = -1;
	if (cli->nargs != 1) {
		fprintf(stderr, "podscope logs: give one pod/NAME, deploy/NAME, sts/NAME, ds/NAME or "
				"job/NAME\n");
		return 2;
	}
	const char *arg = cli->args[0];
	if (!strchr(arg, '/')) {
		o->kind = "pod"; /* kubectl logs NAME */
		o->name = arg;
	} else if (!cmd_parse_target("logs", arg, &o->kind, &o->name)) {
		return 2;
	}
	if (strcmp(o->kind, "cronjob") == 0) {
		fprintf(stderr, "podscope logs: a CronJob has no pods of its own; give job/NAME\n");
		return 2;
	}
	o->container = cli->container;
	o->follow = cli->follow;
	o->timestamps = cli->timestamps;
	po->previous = cli->previous;
	po->follow = cli->follow;
	if (cli->tail) {
		char *end;
		long long t = strtoll(cli->tail, &end, 10);
		if (!*cli->tail || *end || t < -1) {
			cmd_printf(stderr, "podscope logs: invalid --tail \"%s\" (a number, -1: all)\n",
				   cli->tail);
			return 2;
		}
		po->tail = t;
	}
	if (cli->since) {
		int64_t ns;
		struct perr err = {0};
		if (duration_parse(cli->since, &ns, &err) != 0 || ns <= 0) {
			cmd_printf(stderr, "podscope logs: invalid --since \"%s\"%s%s\n", cli->since,
				   err.msg ? ": " : "", err.msg ? err.msg : " (must be positive)");
			perr_clear(&err);
			return 2;
		}
		/* kubectl rounds up to whole seconds. */
		po->since_s = (ns + 999999999) / 1000000000;
	}
	if (cli->generation) {
		if (strcmp(cli->generation, "new") == 0) {
			o->generation = 1;
		} else if (strcmp(cli->generation, "old") == 0) {
			o->generation = 2;
		} else {
			cmd_printf(stderr, "podscope logs: --generation is new or old, not \"%s\"\n",
				   cli->generation);
			return 2;
		}
		if (strcmp(o->kind, "deployment") != 0 && strcmp(o->kind, "statefulset") != 0 &&
		    strcmp(o->kind, "daemonset") != 0) {
			fprintf(stderr, "podscope logs: --generation is for deploy/, sts/ and ds/\n");
			return 2;
		}
	}
	return 0;
}

static int cmp_pod(const void *x, const void *y)
{
	const struct pod *a = *(const struct pod *const *)x, *b = *(const struct pod *const *)y;
	return sort_name_cmp(a->name, b->name);
}

/* The pods whose controller is uid (all, or by revision for --generation). */
static const struct pod **children(const struct store *st, const char *uid, int64_t rev, int gen,
				   size_t *n)
{
	size_t cap = (uid ? store_children_count(st, STORE_PODS, uid) : 0) + 1;
	const struct pod **v = xcalloc(cap, sizeof(*v));
	*n = 0;
	if (!uid || !*uid)
		return v;
	struct store_iter it;
	const struct pod *p;
	store_iter_children(&it, st, STORE_PODS, uid);
	while ((p = store_iter_next(&it)) && *n < cap) {
		if (gen) {
			int64_t r = store_pod_revision(st, p);
			if ((gen == 1) != (r == rev))
				continue;
		}
		v[(*n)++] = p;
	}
	return v;
}

static const struct pod **deployment_pods(const struct store *st, const struct deployment *d,
					  int gen, size_t *n)
{
	size_t nrs;
	const struct replicaset **rss = cmd_deployment_rss(st, d, &nrs);
	struct generations g;
	generations_build(d, rss, nrs, &g);
	size_t cap = 1;
	for (size_t k = 0; k < g.n; k++)
		cap += store_children_count(st, STORE_PODS, g.rs[k].rs->uid);
	const struct pod **v = xcalloc(cap, sizeof(*v));
	*n = 0;
	for (size_t k = 0; k < g.n; k++) {
		if ((gen == 1 && !g.rs[k].is_new) || (gen == 2 && g.rs[k].is_new))
			continue;
		size_t np;
		const struct pod **pods = cmd_rs_pods(st, g.rs[k].rs, &np);
		for (size_t i = 0; i < np && *n < cap; i++)
			v[(*n)++] = pods[i];
		free(pods);
	}
	generations_free(&g);
	free(rss);
	return v;
}

const struct pod **cmd_logs_pods(const struct store *st, const char *ns,
				 const struct cmd_logs_opts *o, size_t *n)
{
	const char *res = NULL;
	const struct pod **v = NULL;
	*n = 0;
	if (strcmp(o->kind, "pod") == 0) {
		const struct pod *p = store_get_pod(st, ns, o->name);
		res = "pods";
		if (p) {
			v = xcalloc(1, sizeof(*v));
			v[(*n)++] = p;
		}
	} else if (strcmp(o->kind, "deployment") == 0) {
		const struct deployment *d = store_get_deployment(st, ns, o->name);
		res = "deployments.apps";
		if (d)
			v = deployment_pods(st, d, o->generation, n);
	} else if (strcmp(o->kind, "job") == 0) {
		const struct job *j = store_get_job(st, ns, o->name);
		res = "jobs.batch";
		if (j)
			v = children(st, j->w.uid, 0, 0, n);
	} else {
		enum store_kind k =
		    strcmp(o->kind, "statefulset") == 0 ? STORE_STATEFULSETS : STORE_DAEMONSETS;
		res = k == STORE_STATEFULSETS ? "statefulsets.apps" : "daemonsets.apps";
		const void *obj = store_get(st, k, ns, o->name);
		if (obj) {
			const struct workload *w = k == STORE_STATEFULSETS
						       ? &((const struct statefulset *)obj)->w
						       : &((const struct daemonset *)obj)->w;
			v = children(st, w->uid, store_update_revision(st, k, obj), o->generation,
				     n);
		}
	}
	if (!v) {
		/* The words of kubectl's NotFound. */
		cmd_printf(stderr, "Error from server (NotFound): %s \"%s\" not found\n", res,
			   o->name);
		return NULL;
	}
	if (strcmp(o->kind, "pod") != 0)
		sort_inplace(v, *n, sizeof(*v), cmp_pod);
	return v;
}
