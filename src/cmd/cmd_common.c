#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "podscope/buf.h"
#include "podscope/client.h"
#include "podscope/clockskew.h"
#include "podscope/duration.h"
#include "podscope/eta.h"
#include "podscope/generations.h"
#include "podscope/informer.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/serverclock.h"
#include "podscope/xalloc.h"

#include "cmd_common.h"
#include "cmd_print.h"

int64_t cmd_wall_ms(void)
{
	/* The API server's clock: ages and countdowns are on its timestamps. */
	return serverclock_now_ms();
}

void cmd_note_skew(const char *name)
{
	int64_t skew = serverclock_skew_ms();
	if (skew <= CLOCKSKEW_SHOW_MS && skew >= -CLOCKSKEW_SHOW_MS)
		return;
	char d[40];
	clockskew_format(skew, d, sizeof(d));
	cmd_printf(stderr, "podscope %s: server clock %s from this machine's; ages and "
			   "countdowns are on the server's clock\n",
		   name, d);
}

int cmd_session_open(struct cmd_session *s, struct cli *cli, const char *name, unsigned kinds,
		     bool one_shot)
{
	return cmd_session_open_on(s, cli, name, kinds, one_shot, NULL, NULL);
}

int cmd_session_open_on(struct cmd_session *s, struct cli *cli, const char *name, unsigned kinds,
			bool one_shot, struct ploop *loop, const char *context)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->shared_loop = loop != NULL;
	struct perr err = {0};
	int64_t poll_ms = 0;
	if (cli->poll) {
		poll_ms = informer_parse_poll(cli->poll);
		if (poll_ms <= 0) {
			cmd_printf(stderr, "podscope %s: invalid --poll interval \"%s\"\n", name,
				cli->poll);
			return 2;
		}
	}
	struct kc_options kc = cli->kc;
	if (context)
		kc.context = context;
	s->conn = kc_load(&kc, &err);
	if (!s->conn) {
		fprintf(stderr, "podscope %s: %s\n", name, perr_msg(&err));
		int rc = perr_exit_status(&err);
		perr_clear(&err);
		return rc;
	}
	s->ns = s->conn->all_namespaces ? NULL : s->conn->namespace;
	s->loop = loop ? loop : ploop_new();
	s->client = kclient_new(s->loop, s->conn, &err);
	if (!s->client)
		goto fail;
	if (cli->readonly)
		kclient_set_readonly(s->client, true);
	s->store = store_new();
	struct informer_config cfg = {
	    .namespace = s->ns,
	    .label_selector = cli->selector,
	    .kinds = kinds,
	    .poll_ms = poll_ms,
	    .backoff_initial_ms = one_shot ? 100 : 0,
	    /* A command waits for its first view: a failing list is given up
	     * after CMD_LIST_MAX_RETRIES back-offs, seconds rather than minutes. */
	    .backoff_max_ms = one_shot ? 2000 : 4000,
	    .max_list_retries = CMD_LIST_MAX_RETRIES,
	    .max_retry_after_ms = CMD_RETRY_AFTER_MAX_MS,
	};
	s->inf = informer_set_new(s->loop, s->client, s->store, &cfg, &err);
	if (!s->inf)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "podscope %s: %s\n", name, perr_msg(&err));
	int rc = perr_exit_status(&err);
	perr_clear(&err);
	cmd_session_close(s);
	return rc ? rc : 1;
}

/* A resource that failed CMD_LIST_TRIES times in a row before its first
 * complete list, or whose list was given up (it would never end, or failed
 * CMD_LIST_MAX_RETRIES times progress or not): the error, else NULL. A page
 * that arrived is progress. */
static const char *list_failure(struct cmd_session *s)
{
	for (int k = 0; k < STORE_NKINDS; k++) {
		const struct informer_status *st = informer_set_status(s->inf, (enum store_kind)k);
		if (!st || st->synced)
			continue;
		if (st->lists_given_up > 0)
			return st->last_error;
		uint64_t g = store_kind_generation(s->store, (enum store_kind)k);
		if (g != s->gen_seen[k]) {
			s->gen_seen[k] = g;
			s->err_base[k] = st->errors;
		}
		if (st->errors - s->err_base[k] >= CMD_LIST_TRIES && st->last_error &&
		    *st->last_error)
			return st->last_error;
	}
	return NULL;
}

/* A Retry-After longer than a command waits is said on stderr, once per
 * back-off, rather than waited out in silence. */
static void note_retry_after(struct cmd_session *s)
{
	for (int k = 0; k < STORE_NKINDS; k++) {
		const struct informer_status *st = informer_set_status(s->inf, (enum store_kind)k);
		if (!st || st->state != INFORMER_BACKOFF || st->retry_after_s < 0 ||
		    st->retry_after_s * 1000 <= CMD_RETRY_AFTER_MAX_MS ||
		    s->ra_noted[k] == st->backoff_until_ms)
			continue;
		s->ra_noted[k] = st->backoff_until_ms;
		fprintf(stderr,
			"podscope %s: the server asks to wait %ld s before listing %s again "
			"(Retry-After); waiting %d s\n",
			s->name, st->retry_after_s, store_kind_name((enum store_kind)k),
			CMD_RETRY_AFTER_MAX_MS / 1000);
	}
}

int cmd_session_poll(struct cmd_session *s, const char **why)
{
	*why = NULL;
	if (informer_set_synced(s->inf))
		return 0;
	if ((*why = list_failure(s)))
		return 1;
	note_retry_after(s);
	return -1;
}

int cmd_session_sync(struct cmd_session *s, int64_t deadline_ms)
{
	informer_set_start(s->inf);
	const char *why;
	int st;
	while ((st = cmd_session_poll(s, &why)) != 0) {
		if (st > 0) {
			cmd_printf(stderr, "podscope %s: %s\n", s->name, why);
			return 1;
		}
		int wait = 1000;
		if (deadline_ms) {
			int64_t left = deadline_ms - ploop_now_ms();
			if (left <= 0)
				return 3;
			if (left < wait)
				wait = (int)left;
		}
		ploop_run_once(s->loop, wait);
	}
	cmd_session_note_refused(s);
	return 0;
}

void cmd_session_note_refused(struct cmd_session *s)
{
	/* Objects the decoders refused are missing from what follows: say so. */
	for (int k = 0; k < STORE_NKINDS; k++) {
		const struct informer_status *st = informer_set_status(s->inf, (enum store_kind)k);
		if (st && st->refused)
			cmd_printf(stderr, "podscope %s: warning: %lu %s refused, not shown: %s\n",
				   s->name, st->refused, store_kind_name((enum store_kind)k),
				   st->last_refused);
	}
}

void cmd_session_close(struct cmd_session *s)
{
	if (s->inf)
		informer_set_free(s->inf);
	if (s->client)
		kclient_free(s->client);
	if (s->store)
		store_free(s->store);
	if (s->loop && !s->shared_loop)
		ploop_free(s->loop);
	if (s->conn)
		kc_conn_free(s->conn);
	memset(s, 0, sizeof(*s));
}

static void push(struct cmd_events *out, const struct event *e)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->ev[i] == e)
			return;
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 16;
		out->ev = xrealloc(out->ev, out->cap * sizeof(*out->ev));
	}
	out->ev[out->n++] = e;
}

void cmd_pod_events(const struct store *st, const struct pod *p, struct cmd_events *out)
{
	out->n = 0;
	struct store_iter it;
	const struct event *e;
	if (p->uid && *p->uid) {
		store_iter_children(&it, st, STORE_EVENTS, p->uid);
		while ((e = store_iter_next(&it)))
			push(out, e);
	}
	/* Events that carry no uid (recorded by hand, or from fixtures): by name. */
	if (store_children_count(st, STORE_EVENTS, "") == 0)
		return;
	store_iter_children(&it, st, STORE_EVENTS, "");
	while ((e = store_iter_next(&it)))
		if (e->involved_name && p->name && strcmp(e->involved_name, p->name) == 0)
			push(out, e);
}

void cmd_events_free(struct cmd_events *ev)
{
	free(ev->ev);
	memset(ev, 0, sizeof(*ev));
}

void cmd_pod_stage(const struct store *st, const struct pod *p, int64_t now_ms,
		   struct cmd_events *scratch, struct lc_pod *out)
{
	cmd_pod_events(st, p, scratch);
	lifecycle_pod(p, scratch->ev, scratch->n, now_ms, out);
}

bool cmd_parse_target(const char *cmd, const char *arg, const char **kind, const char **name)
{
	static const struct {
		const char *word;
		const char *kind;
	} words[] = {
	    {"deploy", "deployment"},
	    {"deployment", "deployment"},
	    {"deployments", "deployment"},
	    {"deployment.apps", "deployment"},
	    {"deployments.apps", "deployment"},
	    {"sts", "statefulset"},
	    {"statefulset", "statefulset"},
	    {"statefulsets", "statefulset"},
	    {"statefulset.apps", "statefulset"},
	    {"statefulsets.apps", "statefulset"},
	    {"ds", "daemonset"},
	    {"daemonset", "daemonset"},
	    {"daemonsets", "daemonset"},
	    {"daemonset.apps", "daemonset"},
	    {"daemonsets.apps", "daemonset"},
	    {"job", "job"},
	    {"jobs", "job"},
	    {"job.batch", "job"},
	    {"jobs.batch", "job"},
	    {"cj", "cronjob"},
	    {"cronjob", "cronjob"},
	    {"cronjobs", "cronjob"},
	    {"cronjob.batch", "cronjob"},
	    {"cronjobs.batch", "cronjob"},
	    {"po", "pod"},
	    {"pod", "pod"},
	    {"pods", "pod"},
	};
	const char *slash = strchr(arg, '/');
	if (slash && slash[1] && !strchr(slash + 1, '/')) {
		size_t n = (size_t)(slash - arg);
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			if (strlen(words[i].word) == n && strncmp(words[i].word, arg, n) == 0) {
				*kind = words[i].kind;
				*name = slash + 1;
				return true;
			}
		}
	}
	cmd_printf(stderr,
		   "podscope %s: \"%s\" is not deploy/NAME, sts/NAME, ds/NAME, job/NAME, "
		   "cronjob/NAME or pod/NAME\n",
		   cmd, arg);
	return false;
}

const struct replicaset **cmd_deployment_rss(const struct store *st, const struct deployment *d,
					     size_t *n)
{
	return generations_collect(st, d, n);
}

const struct replicaset *cmd_pod_rs(const struct store *st, const struct pod *p)
{
	const struct owner_ref *o = model_controller_of(p->owners, p->n_owners);
	if (!o || !o->kind || strcmp(o->kind, "ReplicaSet") != 0)
		return NULL;
	const struct replicaset *rs = store_get_replicaset(st, p->namespace, o->name);
	if (rs && o->uid && *o->uid && rs->uid && *rs->uid && strcmp(o->uid, rs->uid) != 0)
		return NULL;
	return rs;
}

const struct deployment *cmd_rs_deployment(const struct store *st, const struct replicaset *rs)
{
	const struct owner_ref *o = model_controller_of(rs->owners, rs->n_owners);
	if (!o || !o->kind || strcmp(o->kind, "Deployment") != 0)
		return NULL;
	const struct deployment *d = store_get_deployment(st, rs->namespace, o->name);
	return d && generations_owned_by(d, rs) ? d : NULL;
}

static void add_rs_pods(const struct store *st, const struct replicaset *rs, const char *uid,
			const struct pod ***v, size_t *n, size_t *cap)
{
	struct store_iter it;
	const struct pod *p;
	store_iter_children(&it, st, STORE_PODS, uid);
	while ((p = store_iter_next(&it))) {
		if (cmd_pod_rs(st, p) != rs)
			continue;
		if (*n == *cap)
			*v = xrealloc(*v, (*cap *= 2) * sizeof(**v));
		(*v)[(*n)++] = p;
	}
}

const struct pod **cmd_rs_pods(const struct store *st, const struct replicaset *rs, size_t *n)
{
	size_t cap = 8;
	const struct pod **v = xcalloc(cap, sizeof(*v));
	*n = 0;
	if (rs->uid && *rs->uid)
		add_rs_pods(st, rs, rs->uid, &v, n, &cap);
	/* Pods whose ownerReference carries no uid are indexed under "". */
	add_rs_pods(st, rs, "", &v, n, &cap);
	return v;
}

int64_t cmd_parse_duration_flag(const char *cmd, const char *flag, const char *s)
{
	if (!s)
		return 0;
	int64_t ns;
	struct perr err = {0};
	if (duration_parse(s, &ns, &err) != 0) {
		fprintf(stderr, "podscope %s: %s: %s\n", cmd, flag, perr_msg(&err));
		perr_clear(&err);
		return -1;
	}
	if (ns < 0) {
		fprintf(stderr, "podscope %s: %s must not be negative\n", cmd, flag);
		return -1;
	}
	return ns / DURATION_NS_PER_MS + (ns % DURATION_NS_PER_MS ? 1 : 0);
}

int64_t cmd_parse_timeout(const char *cmd, const char *s)
{
	return cmd_parse_duration_flag(cmd, "--timeout", s);
}

void cmd_json_str(struct buf *b, const char *key, const char *v, bool comma)
{
	if (comma)
		buf_addc(b, ',');
	buf_add_json_string(b, key);
	buf_addc(b, ':');
	buf_add_json_string(b, v ? v : "");
}

void cmd_json_cond(struct buf *b, const char *type, uint8_t status, const char *reason,
		   const char *message)
{
	cmd_json_str(b, "type", type, false);
	cmd_json_str(b, "status",
		     status == MODEL_COND_TRUE    ? "True"
		     : status == MODEL_COND_FALSE ? "False"
						  : "Unknown",
		     true);
	cmd_json_str(b, "reason", reason, true);
	cmd_json_str(b, "message", message, true);
}

void cmd_json_time(struct buf *b, const char *key, int64_t t_ms, bool comma)
{
	if (comma)
		buf_addc(b, ',');
	buf_add_json_string(b, key);
	buf_addc(b, ':');
	if (!t_ms) {
		buf_adds(b, "null");
		return;
	}
	char ts[DURATION_BUF];
	duration_format_rfc3339(t_ms, 0, ts, sizeof(ts));
	buf_add_json_string(b, ts);
}

void cmd_print_eta(const struct store *st, enum store_kind k, const void *obj, int64_t now_ms)
{
	struct eta e;
	char words[64];
	eta_store(st, k, obj, now_ms, &e);
	if (e.state == ETA_NONE)
		return;
	eta_format(&e, words, sizeof(words));
	cmd_printf(stdout, "  eta: %s (%d pod%s left", words, (int)e.pods_left, e.pods_left == 1 ? "" : "s");
	if (e.samples)
		cmd_printf(stdout, ", from %d start-to-ready time%s", (int)e.samples,
			   e.samples == 1 ? "" : "s");
	if (e.state == ETA_STALLED)
		cmd_printf(stdout, ", nothing moved for %llds", (long long)(e.idle_ms / 1000));
	cmd_puts(stdout, ")\n");
}

void cmd_json_eta(struct buf *b, const struct store *st, enum store_kind k, const void *obj,
		  int64_t now_ms)
{
	struct eta e;
	char words[64];
	eta_store(st, k, obj, now_ms, &e);
	eta_format(&e, words, sizeof(words));
	buf_printf(b, ",\"eta\":{\"state\":\"%s\",\"text\":\"%s\",\"podsLeft\":%d,"
		      "\"samples\":%d,\"samplesThisRollout\":%d",
		   eta_state_name(&e), words, (int)e.pods_left, (int)e.samples,
		   (int)e.samples_new);
	if (e.state == ETA_RANGE)
		buf_printf(b, ",\"lowSeconds\":%lld,\"highSeconds\":%lld",
			   (long long)(e.low_ms / 1000), (long long)((e.high_ms + 999) / 1000));
	if (e.idle_ms)
		buf_printf(b, ",\"idleSeconds\":%lld", (long long)(e.idle_ms / 1000));
	buf_addc(b, '}');
}
