#include "config.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

struct simfaults {
	struct sim *sim;
	/* drop-watch */
	int64_t drop_every_ms;
	struct evtimer *drop_timer;
	/* gone */
	long gone_window;
	/* throttle */
	long throttle_every, retry_after;
	unsigned long requests;
	/* errors */
	long burst, code;
	int64_t burst_every_ms, next_burst_ms;
	long burst_left;
	/* slow */
	long slow_ms;
	struct delayed *delayed;
	/* cut-watch */
	long cut_every;
	unsigned long watch_events;
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
			 "cut-watch)",
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
	if (n)
		watchset_shutdown(f->sim->watches);
	f->drop_timer = evloop_timer_in(f->sim->loop, f->drop_every_ms, on_drop, f);
}

int simfault_start(struct sim *sim)
{
	if (!sim->cfg.nfaults)
		return 0;
	struct simfaults *f = xcalloc(1, sizeof(*f));
	f->sim = sim;
	sim->faults = f;
	for (size_t i = 0; i < sim->cfg.nfaults; i++) {
		const struct fault *ft;
		long long v[3];
		struct perr err = {0};
		if (parse(sim->cfg.faults[i], &ft, v, &err) != 0) {
			fprintf(stderr, "podscope-sim: %s\n", perr_msg(&err));
			perr_clear(&err);
			return -1;
		}
		if (!strcmp(ft->name, "drop-watch")) {
			f->drop_every_ms = v[0];
		} else if (!strcmp(ft->name, "gone")) {
			f->gone_window = (long)v[0];
		} else if (!strcmp(ft->name, "throttle")) {
			f->throttle_every = (long)v[0];
			f->retry_after = (long)v[1];
		} else if (!strcmp(ft->name, "errors")) {
			f->burst = (long)v[0];
			f->burst_every_ms = v[1];
			f->code = (long)v[2];
			f->next_burst_ms = evloop_now_ms() + v[1];
		} else if (!strcmp(ft->name, "slow")) {
			f->slow_ms = (long)v[0];
		} else {
			f->cut_every = (long)v[0];
		}
		if (!strcmp(ft->name, "gone") && !v[0])
			f->gone_window = -1; /* window=0: every watch from an older RV */
	}
	if (f->drop_every_ms)
		f->drop_timer = evloop_timer_in(sim->loop, f->drop_every_ms, on_drop, f);
	return 0;
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

bool simfault_request(struct simreq *r)
{
	struct simfaults *f = r->sim->faults;
	if (!f || r->fault_seen || strncmp(r->path, "/podscope-sim/", 14) == 0)
		return false;
	r->fault_seen = true;
	f->requests++;
	if (f->burst) {
		int64_t now = evloop_now_ms();
		if (now >= f->next_burst_ms) {
			f->burst_left = f->burst;
			while (f->next_burst_ms <= now)
				f->next_burst_ms += f->burst_every_ms;
		}
		if (f->burst_left > 0) {
			f->burst_left--;
			fprintf(stderr, "podscope-sim: fault errors: %ld for %s %s\n", f->code,
				r->method, r->uri);
			if (f->code == 500)
				reply_fault(r, 500, "InternalError",
					    "Internal error occurred: injected by podscope-sim "
					    "(--fault errors)",
					    -1);
			else
				reply_fault(r, 503, "ServiceUnavailable",
					    "the server is currently unable to handle the request",
					    -1);
			return true;
		}
	}
	if (f->throttle_every && f->requests % (unsigned long)f->throttle_every == 0) {
		fprintf(stderr, "podscope-sim: fault throttle: 429 for %s %s (Retry-After: %ld)\n",
			r->method, r->uri, f->retry_after);
		reply_fault(r, 429, "TooManyRequests", "Too many requests, please try again later.",
			    f->retry_after);
		return true;
	}
	if (f->slow_ms > 0) {
		struct delayed *d = xcalloc(1, sizeof(*d));
		d->f = f;
		d->r = r;
		d->next = f->delayed;
		f->delayed = d;
		fprintf(stderr, "podscope-sim: fault slow: %s %s answered %ld ms late\n", r->method,
			r->uri, f->slow_ms);
		MHD_suspend_connection(r->conn);
		d->timer = evloop_timer_in(r->sim->loop, f->slow_ms, on_slow, d);
		return true;
	}
	return false;
}

bool simfault_watch_gone(struct sim *sim, const struct simres *res, uint64_t seq, uint64_t *oldest)
{
	struct simfaults *f = sim->faults;
	if (!f || !f->gone_window)
		return false;
	uint64_t next = simstore_seq_next(sim->store, res);
	uint64_t window = f->gone_window < 0 ? 0 : (uint64_t)f->gone_window;
	if (next - seq <= window)
		return false;
	const struct simevent *ev = simstore_event_at(sim->store, res, next - window);
	*oldest = ev ? ev->rv : simstore_rv(sim->store);
	fprintf(stderr,
		"podscope-sim: fault gone: 410 for a %s watch %llu events back (window %llu)\n",
		res->plural, (unsigned long long)(next - seq), (unsigned long long)window);
	return true;
}

bool simfault_watch_cut(struct sim *sim, struct buf *out, size_t start)
{
	struct simfaults *f = sim->faults;
	if (!f || !f->cut_every || ++f->watch_events % (unsigned long)f->cut_every != 0)
		return false;
	size_t len = out->len - start;
	out->len = start + len / 2;
	out->data[out->len] = '\0';
	fprintf(stderr,
		"podscope-sim: fault cut-watch: event cut after %zu of %zu bytes, "
		"connection closed\n",
		len / 2, len);
	return true;
}
