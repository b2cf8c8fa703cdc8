#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/duration.h"
#include "podscope/urlpath.h"
#include "podscope/xalloc.h"

#include "informer_int.h"

/* Request paths, the status line, --poll parsing. */

static void base_path(const struct informer *inf, struct buf *b)
{
	const struct informer_config *cfg = &inf->set->cfg;
	const char *res = store_kind_name(inf->kind);
	bool apps = inf->kind == STORE_DEPLOYMENTS || inf->kind == STORE_REPLICASETS ||
		    inf->kind == STORE_STATEFULSETS || inf->kind == STORE_DAEMONSETS ||
		    inf->kind == STORE_CONTROLLERREVISIONS;
	bool batch = inf->kind == STORE_JOBS || inf->kind == STORE_CRONJOBS;
	const char *group = "/api/v1";
	if (apps)
		group = "/apis/apps/v1";
	else if (batch)
		group = "/apis/batch/v1";
	else if (inf->kind == STORE_PDBS)
		group = "/apis/policy/v1";
	else if (inf->kind == STORE_HPAS)
		group = "/apis/autoscaling/v2";
	buf_adds(b, group);
	bool cluster = inf->kind == STORE_NAMESPACES || inf->kind == STORE_NODES;
	if (cfg->namespace && *cfg->namespace && !cluster) {
		buf_adds(b, "/namespaces/");
		urlpath_escape(b, cfg->namespace);
	}
	buf_addc(b, '/');
	buf_adds(b, res);
}

static void add_selector(const struct informer *inf, struct buf *b)
{
	const char *sel = inf->set->cfg.label_selector;
	bool applies = inf->kind == STORE_DEPLOYMENTS || inf->kind == STORE_REPLICASETS ||
		       inf->kind == STORE_PODS || inf->kind == STORE_STATEFULSETS ||
		       inf->kind == STORE_DAEMONSETS || inf->kind == STORE_JOBS ||
		       inf->kind == STORE_CRONJOBS;
	if (!applies || !sel || !*sel)
		return;
	buf_adds(b, "&labelSelector=");
	urlpath_escape(b, sel);
}

char *informer_list_path(const struct informer *inf, const char *cont)
{
	struct buf b = BUF_INIT;
	base_path(inf, &b);
	buf_printf(&b, "?limit=%d", inf->set->cfg.page_limit);
	if (cont && *cont) {
		buf_adds(&b, "&continue=");
		urlpath_escape(&b, cont);
	}
	add_selector(inf, &b);
	return buf_steal(&b);
}

char *informer_watch_path(const struct informer *inf, const char *rv, int timeout_s)
{
	struct buf b = BUF_INIT;
	base_path(inf, &b);
	buf_adds(&b, "?watch=1&allowWatchBookmarks=true&resourceVersion=");
	urlpath_escape(&b, rv ? rv : "");
	buf_printf(&b, "&timeoutSeconds=%d", timeout_s);
	add_selector(inf, &b);
	return buf_steal(&b);
}

static const char *const state_names[] = {
    [INFORMER_IDLE] = "idle",
    [INFORMER_LISTING] = "listing",
    [INFORMER_WATCHING] = "watching",
    [INFORMER_POLLING] = "polling",
    [INFORMER_BACKOFF] = "backing off",
    [INFORMER_FORBIDDEN] = "forbidden",
    [INFORMER_NOT_SERVED] = "not served",
};

const char *informer_state_name(enum informer_state s)
{
	return (unsigned)s <= INFORMER_NOT_SERVED ? state_names[s] : "?";
}

void informer_status_line(const struct informer_status *st, int64_t now_ms, char *buf, size_t n)
{
	char d[32] = "";
	const char *name = store_kind_name(st->kind);
	const char *state = informer_state_name(st->state);
	if (st->state == INFORMER_BACKOFF) {
		int64_t left = st->backoff_until_ms - now_ms;
		duration_human(left > 0 ? left + 999 : 0, d, sizeof(d));
		snprintf(buf, n, "%s %s %s%s%s", name, state, d, *st->last_error ? ": " : "",
			 st->last_error);
	} else if (st->state == INFORMER_POLLING) {
		if (st->poll_every_ms < 1000)
			snprintf(d, sizeof(d), "%lldms", (long long)st->poll_every_ms);
		else
			duration_human(st->poll_every_ms, d, sizeof(d));
		snprintf(buf, n, "%s polling every %s (%s)", name, d, st->poll_reason);
	} else if (*st->last_error && st->state != INFORMER_WATCHING) {
		snprintf(buf, n, "%s %s: %s", name, state, st->last_error);
	} else {
		snprintf(buf, n, "%s %s", name, state);
	}
}

int64_t informer_parse_poll(const char *s)
{
	if (!s || !*s)
		return INFORMER_DEFAULT_POLL_MS;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end == '\0')
		return v > 0 && v <= 86400 ? (int64_t)v * 1000 : -1;
	int64_t ns;
	if (duration_parse(s, &ns, NULL) < 0 || ns < 100 * DURATION_NS_PER_MS ||
	    ns > 86400 * DURATION_NS_PER_SEC)
		return -1;
	return ns / DURATION_NS_PER_MS;
}

double informer_random(struct informer_set *set)
{
	/* xorshift64*: jitter needs no more. */
	uint64_t x = set->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	set->rng = x;
	return (double)((x * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}
