#include "config.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/duration.h"
#include "podscope/xalloc.h"

#include "evloop.h"
#include "faults.h"
#include "sim.h"
#include "store.h"
#include "watch.h"

struct delayed {
	struct simfaults *f;
	struct simreq *r;
	struct evtimer *timer;
	struct delayed *next;
};

/* The order of faults[] below. */
enum { F_DROP = 0, F_GONE, F_THROTTLE, F_ERRORS, F_SLOW, F_CUT, F_FORBID_NODES, F_N };

struct simfaults {
	struct sim *sim;
	bool on[F_N];
	long long val[F_N][3]; /* the spec's values, in the order of its params */
	unsigned long fired[F_N];
	struct evtimer *drop_timer;
	unsigned long requests; /* throttle */
	int64_t next_burst_ms;  /* errors */
	long burst_left;
	struct delayed *delayed;    /* slow */
	unsigned long watch_events; /* cut-watch */
	unsigned long node_reqs;    /* forbid-nodes */
	uint64_t *compacted;        /* gone: per resource index, the oldest seq served */
};

struct param {
	const char *key;
	bool duration; /* a Go duration, or seconds as a number */
	long lo, hi;
	long long def;
};

static const struct fault {
	const char *name;
	struct param params[3];
} faults[] = {
    {"drop-watch", {{"every", true, 1, 86400000, 30000}}},
    {"gone", {{"window", false, 0, 100000000, 100}}},
    {"throttle", {{"every", false, 1, 1000000000, 10}, {"retry-after", false, 0, 3600, 1}}},
    {"errors",
     {{"burst", false, 1, 1000000, 3},
      {"every", true, 1, 86400000, 30000},
      {"code", false, 500, 503, 503}}},
    {"slow", {{"ms", false, 0, 600000, 500}}},
    {"cut-watch", {{"every", false, 1, 1000000000, 50}}},
    {"forbid-nodes", {{"every", false, 1, 1000000000, 1}}},
};

#define NFAULTS (sizeof(faults) / sizeof(faults[0]))

/* Parse spec into its fault and values (ms for durations). 0, or -1 with err. */
static int parse(const char *spec, const struct fault **out, long long vals[3], struct perr *err)
{
	const char *colon = strchr(spec, ':');
	size_t nlen = colon ? (size_t)(colon - spec) : strlen(spec);
	const struct fault *f = NULL;
	for (size_t i = 0; i < NFAULTS; i++)
		if (strlen(faults[i].name) == nlen && !strncmp(faults[i].name, spec, nlen))
			f = &faults[i];
	if (!f) {
		perr_set(err, PERR_USAGE,
			 "--fault %s: unknown fault (drop-watch, gone, throttle, errors, slow, "
			 "cut-watch, forbid-nodes)",
			 spec);
		return -1;
	}
	for (int i = 0; i < 3; i++)
		vals[i] = f->params[i].def;
	char *copy = xstrdup(colon ? colon + 1 : "");
	int rc = 0;
	for (char *save, *kv = strtok_r(copy, ",", &save); kv && !rc;
	     kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		int i = 0;
		if (eq)
			*eq = '\0';
		while (i < 3 && f->params[i].key && strcmp(f->params[i].key, kv) != 0)
			i++;
		if (!eq || i == 3 || !f->params[i].key) {
			perr_set(err, PERR_USAGE,
				 "--fault %s: %s: expected KEY=VALUE with KEY one of "
				 "%s%s%s%s%s",
				 spec, kv, f->params[0].key, f->params[1].key ? ", " : "",
				 f->params[1].key ? f->params[1].key : "",
				 f->params[2].key ? ", " : "",
				 f->params[2].key ? f->params[2].key : "");
			rc = -1;
			break;
		}
		const struct param *p = &f->params[i];
		char *end;
		long long v = strtoll(eq + 1, &end, 10);
		if (p->duration && *end) {
			int64_t ns;
			struct perr derr = {0};
			if (duration_parse(eq + 1, &ns, &derr) == 0) {
				v = ns / 1000000;
				end = (char *)"";
			}
			perr_clear(&derr);
		} else if (p->duration) {
			v *= 1000;
		}
		if (!eq[1] || *end || v < p->lo || v > p->hi ||
		    (!strcmp(p->key, "code") && v != 500 && v != 503)) {
			perr_set(err, PERR_USAGE, "--fault %s: invalid %s: %s", spec, p->key,
				 eq + 1);
			rc = -1;
			break;
		}
		vals[i] = v;
	}
	free(copy);
	*out = f;
	return rc;
}

int simfault_check(const char *spec, struct perr *err)
{
	const struct fault *f;
	long long v[3];
	return parse(spec, &f, v, err);
}

static void on_drop(void *ud)
{
	struct simfaults *f = ud;
	size_t n = f->sim->watches ? watchset_count(f->sim->watches) : 0;
	fprintf(stderr, "podscope-sim: fault drop-watch: ending %zu watch stream%s\n", n,
		n == 1 ? "" : "s");
	if (n) {
		f->fired[F_DROP]++;
		watchset_shutdown(f->sim->watches);
	}
	f->drop_timer = evloop_timer_in(f->sim->loop, f->val[F_DROP][0], on_drop, f);
}

/* sim->faults, made on first use (a frozen simulator starts no controllers). */
static struct simfaults *faults_of(struct sim *sim)
{
	if (!sim->faults) {
		sim->faults = xcalloc(1, sizeof(*sim->faults));
		sim->faults->sim = sim;
	}
	return sim->faults;
}

static void apply(struct simfaults *f, const struct fault *ft, const long long v[3])
{
	size_t i = (size_t)(ft - faults);
	f->on[i] = true;
	memcpy(f->val[i], v, sizeof(f->val[i]));
	if (i == F_DROP) {
		if (f->drop_timer)
			evloop_timer_cancel(f->sim->loop, f->drop_timer);
		f->drop_timer = evloop_timer_in(f->sim->loop, v[0], on_drop, f);
	} else if (i == F_THROTTLE) {
		f->requests = 0;
	} else if (i == F_ERRORS) {
		f->burst_left = 0;
		f->next_burst_ms = evloop_now_ms() + v[1];
	} else if (i == F_CUT) {
		f->watch_events = 0;
	}
}

int simfault_start(struct sim *sim)
{
	if (!sim->cfg.nfaults)
		return 0;
	for (size_t i = 0; i < sim->cfg.nfaults; i++)
		if (simfault_set(sim, sim->cfg.faults[i], NULL) != 0)
			return -1;
	return 0;
}

int simfault_set(struct sim *sim, const char *spec, struct perr *err)
{
	const struct fault *ft;
	long long v[3];
	struct perr e = {0};
	if (parse(spec, &ft, v, &e) != 0) {
		if (err)
			perr_set(err, PERR_USAGE, "%s", perr_msg(&e));
		else
			fprintf(stderr, "podscope-sim: %s\n", perr_msg(&e));
		perr_clear(&e);
		return -1;
	}
	apply(faults_of(sim), ft, v);
	return 0;
}

int simfault_clear(struct sim *sim, const char *name, struct perr *err)
{
	size_t from = 0, to = F_N;
	if (name && *name) {
		for (from = 0; from < F_N && strcmp(faults[from].name, name) != 0; from++)
			;
		if (from == F_N) {
			perr_set(err, PERR_USAGE,
				 "%s: unknown fault (drop-watch, gone, throttle, errors, slow, "
				 "cut-watch, forbid-nodes)",
				 name);
			return -1;
		}
		to = from + 1;
	}
	struct simfaults *f = sim->faults;
	for (size_t i = from; f && i < to; i++) {
		f->on[i] = false;
		if (i == F_DROP && f->drop_timer) {
			evloop_timer_cancel(sim->loop, f->drop_timer);
			f->drop_timer = NULL;
		}
	}
	/* Requests a slow fault holds go at their time: their timers know f. */
	return 0;
}

/* "name:key=value,..." with every value, durations in ms. */
static char *spec_of(const struct simfaults *f, size_t i)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, faults[i].name);
	for (int k = 0; k < 3 && faults[i].params[k].key; k++)
		buf_printf(&b, "%s%s=%lld%s", k ? "," : ":", faults[i].params[k].key, f->val[i][k],
			   faults[i].params[k].duration ? "ms" : "");
	return buf_steal(&b);
}

cJSON *simfault_json(const struct sim *sim)
{
	const struct simfaults *f = sim->faults;
	cJSON *j = cJSON_CreateObject();
	cJSON *on = cJSON_AddArrayToObject(j, "faults");
	cJSON *fired = cJSON_AddObjectToObject(j, "fired");
	for (size_t i = 0; i < F_N; i++) {
		if (f && f->on[i]) {
			char *s = spec_of(f, i);
			cJSON_AddItemToArray(on, cJSON_CreateString(s));
			free(s);
		}
		cJSON_AddNumberToObject(fired, faults[i].name, f ? (double)f->fired[i] : 0);
	}
	return j;
}

static void resume(struct delayed *d)
{
	struct simfaults *f = d->f;
	for (struct delayed **pp = &f->delayed; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	}
	MHD_resume_connection(d->r->conn);
	free(d);
}

static void on_slow(void *ud)
{
	struct delayed *d = ud;
	d->timer = NULL;
	resume(d);
}

void simfault_shutdown(struct sim *sim)
{
	struct simfaults *f = sim->faults;
	while (f && f->delayed) {
		struct delayed *d = f->delayed;
		if (d->timer)
			evloop_timer_cancel(sim->loop, d->timer);
		resume(d);
	}
}

void simfault_stop(struct sim *sim)
{
	struct simfaults *f = sim->faults;
	if (!f)
		return;
	simfault_shutdown(sim);
	if (f->drop_timer)
		evloop_timer_cancel(sim->loop, f->drop_timer);
	free(f->compacted);
	free(f);
	sim->faults = NULL;
}

static void reply_fault(struct simreq *r, unsigned code, const char *reason, const char *msg,
			long retry_after)
{
	struct buf b = BUF_INIT;
	cJSON *details = NULL;
	if (retry_after >= 0) {
		details = cJSON_CreateObject();
		cJSON_AddNumberToObject(details, "retryAfterSeconds", (double)retry_after);
	}
	simhttp_status_json(&b, code, reason, msg, details);
	cJSON_Delete(details);
	size_t len = b.len;
	char *data = buf_steal(&b);
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(data);
		return;
	}
	simhttp_add_headers(resp, "application/json");
	if (retry_after >= 0) {
		char s[24];
		snprintf(s, sizeof(s), "%ld", retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, s);
	}
	simreq_reply_response(r, code, resp);
	MHD_destroy_response(resp);
}

/* errors: inside a burst, answer r with the error. */
static bool burst(struct simfaults *f, struct simreq *r)
{
	int64_t now = evloop_now_ms();
	if (now >= f->next_burst_ms) {
		f->burst_left = (long)f->val[F_ERRORS][0];
		while (f->next_burst_ms <= now)
			f->next_burst_ms += f->val[F_ERRORS][1];
	}
	if (f->burst_left <= 0)
		return false;
	f->burst_left--;
	f->fired[F_ERRORS]++;
	long code = (long)f->val[F_ERRORS][2];
	fprintf(stderr, "podscope-sim: fault errors: %ld for %s %s\n", code, r->method, r->uri);
	if (code == 500)
		reply_fault(r, 500, "InternalError",
			    "Internal error occurred: injected by podscope-sim (--fault errors)",
			    -1);
	else
		reply_fault(r, 503, "ServiceUnavailable",
			    "the server is currently unable to handle the request", -1);
	return true;
}

bool simfault_request(struct simreq *r)
{
	struct simfaults *f = r->sim->faults;
	if (!f || r->fault_seen || strncmp(r->path, "/podscope-sim/", 14) == 0)
		return false;
	r->fault_seen = true;
	f->requests++;
	if (f->on[F_ERRORS] && burst(f, r))
		return true;
	/* A user without RBAC on the cluster-scoped nodes: 403 on GET /api/v1/nodes. */
	if (f->on[F_FORBID_NODES] && strcmp(r->method, "GET") == 0 &&
	    strcmp(r->path, "/api/v1/nodes") == 0 &&
	    ++f->node_reqs % (unsigned long)f->val[F_FORBID_NODES][0] == 0) {
		f->fired[F_FORBID_NODES]++;
		fprintf(stderr, "podscope-sim: fault forbid-nodes: 403 for %s %s\n", r->method,
			r->uri);
		reply_fault(r, 403, "Forbidden",
			    "nodes is forbidden: User \"system:podscope-sim\" cannot list resource "
			    "\"nodes\" in API group \"\" at the cluster scope",
			    -1);
		return true;
	}
	long every = (long)f->val[F_THROTTLE][0], retry_after = (long)f->val[F_THROTTLE][1];
	if (f->on[F_THROTTLE] && f->requests % (unsigned long)every == 0) {
		f->fired[F_THROTTLE]++;
		fprintf(stderr, "podscope-sim: fault throttle: 429 for %s %s (Retry-After: %ld)\n",
			r->method, r->uri, retry_after);
		reply_fault(r, 429, "TooManyRequests", "Too many requests, please try again later.",
			    retry_after);
		return true;
	}
	long slow_ms = (long)f->val[F_SLOW][0];
	if (f->on[F_SLOW] && slow_ms > 0) {
		struct delayed *d = xcalloc(1, sizeof(*d));
		d->f = f;
		d->r = r;
		d->next = f->delayed;
		f->delayed = d;
		f->fired[F_SLOW]++;
		fprintf(stderr, "podscope-sim: fault slow: %s %s answered %ld ms late\n", r->method,
			r->uri, slow_ms);
		MHD_suspend_connection(r->conn);
		d->timer = evloop_timer_in(r->sim->loop, slow_ms, on_slow, d);
		return true;
	}
	return false;
}

bool simfault_watch_gone(struct sim *sim, const struct simres *res, uint64_t seq, uint64_t *oldest)
{
	struct simfaults *f = sim->faults;
	if (!f)
		return false;
	uint64_t next = simstore_seq_next(sim->store, res);
	uint64_t window = (uint64_t)f->val[F_GONE][0];
	uint64_t floor = f->compacted ? f->compacted[res->index] : 0;
	bool earlier = seq < floor;
	if (!earlier && !(f->on[F_GONE] && next - seq > window))
		return false;
	if (!earlier) {
		/* What was refused stays refused, fault or not, as after a compaction. */
		if (!f->compacted)
			f->compacted = xcalloc(simres_count(), sizeof(*f->compacted));
		floor = f->compacted[res->index] = next - window;
	}
	const struct simevent *ev = simstore_event_at(sim->store, res, floor);
	*oldest = ev ? ev->rv : simstore_rv(sim->store);
	f->fired[F_GONE]++;
	if (earlier)
		fprintf(stderr,
			"podscope-sim: fault gone: 410 for a %s watch from before an earlier "
			"410\n",
			res->plural);
	else
		fprintf(stderr,
			"podscope-sim: fault gone: 410 for a %s watch %llu events back (window "
			"%llu)\n",
			res->plural, (unsigned long long)(next - seq), (unsigned long long)window);
	return true;
}

bool simfault_watch_cut(struct sim *sim, struct buf *out, size_t start)
{
	struct simfaults *f = sim->faults;
	if (!f || !f->on[F_CUT] || ++f->watch_events % (unsigned long)f->val[F_CUT][0] != 0)
		return false;
	f->fired[F_CUT]++;
	size_t len = out->len - start;
	out->len = start + len / 2;
	out->data[out->len] = '\0';
	fprintf(stderr,
		"podscope-sim: fault cut-watch: event cut after %zu of %zu bytes, "
		"connection closed\n",
		len / 2, len);
	return true;
}
