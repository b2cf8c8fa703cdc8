#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "podscope/buf.h"
#include "podscope/client.h"
#include "podscope/informer.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/simlaunch.h"
#include "podscope/xalloc.h"

#include "test_fault_converge.h"
#include "testutil.h"

/*
 * Every fault podscope-sim can inject converges (issue 4): for each fault, a
 * real podscope-sim on loopback, podscope's informers for every resource on
 * one loop, the fault turned on through the control interface while the
 * cluster keeps changing (rolling updates, scaling, restarts, pod and
 * service deletes), until the fault has demonstrably hit the informers;
 * then the fault is turned off, the changes stop, and the store must come to
 * equal a fresh list taken with plain HTTP GETs: the same objects (no lost
 * ones, no phantoms), each with the same uid and resourceVersion, pods with
 * the same status.
 */

#define NS "conv"

/* POST one step or {"steps": [...]} to the control interface; its status. */
static long act(struct simlaunch *sim, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static long act(struct simlaunch *sim, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *body = NULL;
	if (vasprintf(&body, fmt, ap) < 0)
		abort();
	va_end(ap);
	struct buf out = BUF_INIT;
	long st = fc_http(sim, "POST", "/podscope-sim/v1/actions", body, &out);
	buf_free(&out);
	free(body);
	return st;
}

/* How many times the simulator says the fault name has fired. */
static long fired(struct simlaunch *sim, const char *name)
{
	struct buf out = BUF_INIT;
	long st = fc_http(sim, "GET", "/podscope-sim/v1/faults", NULL, &out);
	ck_assert_msg(st == 200, "GET faults: %ld", st);
	cJSON *j = cJSON_Parse(out.data);
	const cJSON *n = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "fired"), name);
	ck_assert_msg(cJSON_IsNumber(n), "GET faults: %s", out.data);
	long v = (long)n->valuedouble;
	cJSON_Delete(j);
	buf_free(&out);
	return v;
}

/* ---- the cluster and its changes ---- */

/* clang-format off */
#define DEPLOY(name, replicas, strategy)                                                           \
	"{\"action\":\"create\",\"object\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","   \
	"\"metadata\":{\"name\":\"" name "\",\"namespace\":\"" NS "\"},"                           \
	"\"spec\":{\"replicas\":" #replicas ",\"strategy\":" strategy ","                          \
	"\"selector\":{\"matchLabels\":{\"app\":\"" name "\"}},"                                   \
	"\"template\":{\"metadata\":{\"labels\":{\"app\":\"" name "\"}},"                          \
	"\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1.26\"}]}}}}}"

/* A namespace, three Deployments and a Service. */
static const char *const setup_steps =
	"{\"steps\":["
	"{\"action\":\"create\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
	"\"metadata\":{\"name\":\"" NS "\"}}},"
	DEPLOY("web", 3, "{\"type\":\"RollingUpdate\","
			 "\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":0}}") ","
	DEPLOY("api", 2, "{\"type\":\"RollingUpdate\"}") ","
	DEPLOY("worker", 1, "{\"type\":\"Recreate\"}") ","
	"{\"action\":\"create\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Service\","
	"\"metadata\":{\"name\":\"web\",\"namespace\":\"" NS "\"},"
	"\"spec\":{\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80}]}}}]}";
/* clang-format on */

struct env {
	const char *fault; /* the case's name, for messages */
	struct simlaunch *sim;
	struct ploop *loop;
	struct kclient *client;
	struct store *store;
	struct informer_set *set;
	int tick;         /* changes made */
	int64_t next_ms;  /* when the next change is due */
	char victim[128]; /* a pod to delete */
};

/* A pod of deployment app that is not being deleted, from the informer's store. */
static const char *pick_pod(struct env *e, const char *app)
{
	struct store_iter it;
	store_iter_all(&it, e->store, STORE_PODS, NS);
	for (const struct pod *p; (p = store_iter_next(&it));) {
		if (!p->deleted && !strncmp(p->name, app, strlen(app)) &&
		    p->name[strlen(app)] == '-') {
			snprintf(e->victim, sizeof(e->victim), "%s", p->name);
			return e->victim;
		}
	}
	return NULL;
}

/*
 * One change to the cluster, a different one each tick. Failures (a pod
 * that went meanwhile) do not matter: the cluster changed or did not, and
 * the store must follow either way.
 */
static void change(struct env *e)
{
	struct simlaunch *s = e->sim;
	int t = e->tick++, round = t / 6;
	const char *victim;
	switch (t % 6) {
	case 0: /* a rolling update */
		act(s,
		    "{\"action\":\"set-image\",\"target\":\"deploy/web\",\"namespace\":\"" NS
		    "\",\"image\":\"nginx:1.%d\"}",
		    round % 2 ? 26 : 27);
		break;
	case 1:
		act(s,
		    "{\"action\":\"scale\",\"target\":\"deploy/api\",\"namespace\":\"" NS
		    "\",\"replicas\":%d}",
		    round % 2 ? 1 : 4);
		break;
	case 2:
		if ((victim = pick_pod(e, "api")))
			act(s,
			    "{\"action\":\"delete\",\"target\":\"pod/%s\",\"namespace\":\"" NS
			    "\"}",
			    victim);
		break;
	case 3:
		act(s, "{\"action\":\"restart\",\"target\":\"deploy/worker\",\"namespace\":\"" NS
		       "\"}");
		break;
	case 4: /* a bare pod and a service come, the previous ones go */
		act(s,
		    "{\"steps\":[{\"action\":\"create\",\"object\":{\"apiVersion\":\"v1\","
		    "\"kind\":\"Pod\",\"metadata\":{\"name\":\"bare-%d\",\"namespace\":\"" NS
		    "\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
		    "\"image\":\"nginx:1.26\"}]}}},{\"action\":\"create\",\"object\":{"
		    "\"apiVersion\":"
		    "\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"svc-%d\",\"namespace\":"
		    "\"" NS
		    "\"},\"spec\":{\"selector\":{\"app\":\"api\"},\"ports\":[{\"port\":80}]}}}]}",
		    round, round);
		if (round > 0) {
			act(s,
			    "{\"action\":\"delete\",\"target\":\"pod/bare-%d\",\"namespace\":\"" NS
			    "\",\"gracePeriodSeconds\":0}",
			    round - 1);
			act(s,
			    "{\"action\":\"delete\",\"target\":\"svc/svc-%d\",\"namespace\":\"" NS
			    "\"}",
			    round - 1);
		}
		break;
	default:
		if ((victim = pick_pod(e, "web")))
			act(s,
			    "{\"action\":\"delete\",\"target\":\"pod/%s\",\"namespace\":\"" NS
			    "\"}",
			    victim);
		break;
	}
}

/* Run the loop for about ms; with churn, make a change every CHANGE_MS. */
#define CHANGE_MS 150

static void run_for(struct env *e, int ms, bool churn)
{
	int64_t until = ploop_now_ms() + ms;
	for (int64_t now; (now = ploop_now_ms()) < until;) {
		if (churn && now >= e->next_ms) {
			change(e);
			e->next_ms = now + CHANGE_MS;
		}
		int64_t wait = until - now;
		if (churn && e->next_ms - now < wait)
			wait = e->next_ms - now;
		ploop_run_once(e->loop, wait < 1 ? 1 : (int)wait);
	}
}

/* ---- the informers ---- */

static void env_open(struct env *e, const char *fault)
{
	memset(e, 0, sizeof(*e));
	e->fault = fault;
	const char *args[] = {"--allow-anonymous", "--speed", "20", "--scenario", "empty", NULL};
	struct simlaunch_opts o = {.args = args,
				   .wrapper = getenv("PODSCOPE_SIM_WRAPPER"),
				   .timeout_ms = 60000,
				   .keep_stderr = true};
	struct perr err = {0};
	e->sim = simlaunch_start(&o, &err);
	ck_assert_msg(e->sim != NULL, "%s: podscope-sim did not start: %s", fault, perr_msg(&err));
	ck_assert_int_eq(act(e->sim, "%s", setup_steps), 200);
	struct kc_options opt = {.kubeconfig = simlaunch_kubeconfig(e->sim)};
	struct kc_conn *conn = kc_load(&opt, &err);
	ck_assert_msg(conn != NULL, "kc_load: %s", perr_msg(&err));
	e->loop = ploop_new();
	e->client = kclient_new(e->loop, conn, &err);
	ck_assert_msg(e->client != NULL, "%s", perr_msg(&err));
	kc_conn_free(conn);
	e->store = store_new();
	/* Short waits so that a case takes seconds: watches end every 2-3 s
	 * (the server's timeout), back-off 100 ms to 1 s, polls every 1 s.
	 * Small pages, so that faults also hit the pages after the first. */
	struct informer_config cfg = {.page_limit = 5,
				      .watch_timeout_min_s = 2,
				      .watch_timeout_max_s = 3,
				      .backoff_initial_ms = 100,
				      .backoff_max_ms = 1000,
				      .fallback_poll_ms = 1000};
	e->set = informer_set_new(e->loop, e->client, e->store, &cfg, &err);
	ck_assert_msg(e->set != NULL, "%s", perr_msg(&err));
	informer_set_start(e->set);
}

static void env_close(struct env *e)
{
	informer_set_free(e->set);
	store_free(e->store);
	kclient_free(e->client);
	ploop_free(e->loop);
	int rc = simlaunch_stop(e->sim);
	ck_assert_msg(rc == 0, "%s: podscope-sim exited with %d", e->fault, rc);
}

/* The informers' counters summed over every resource. */
struct totals {
	unsigned long lists, relists_410, watches, errors;
	int watching, polling;
	int served; /* informers of a kind the server serves (not 404) */
};

static struct totals totals(const struct env *e)
{
	struct totals t = {0};
	for (int k = 0; k < STORE_NKINDS; k++) {
		const struct informer_status *st = informer_set_status(e->set, k);
		if (!st)
			continue;
		t.lists += st->lists;
		t.relists_410 += st->relists_410;
		t.watches += st->watches;
		t.errors += st->errors;
		t.watching += st->state == INFORMER_WATCHING;
		t.polling += st->polling;
		t.served += st->state != INFORMER_NOT_SERVED;
	}
	return t;
}

static void status_lines(const struct env *e, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	for (int k = 0; k < STORE_NKINDS && len < n; k++) {
		const struct informer_status *st = informer_set_status(e->set, k);
		if (!st)
			continue;
		char line[256];
		informer_status_line(st, ploop_now_ms(), line, sizeof(line));
		len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "; " : "", line);
	}
}

/* ---- one case per fault ---- */

typedef bool (*hit_fn)(const struct totals *before, const struct totals *now, long fired);

static bool hit_watches(const struct totals *b, const struct totals *t, long n)
{
	/* Every informer watched again at least once, after two drops. */
	return n >= 2 && t->watches >= b->watches + (unsigned long)t->served;
}

static bool hit_410(const struct totals *b, const struct totals *t, long n)
{
	return n >= 1 && t->relists_410 >= b->relists_410 + 2;
}

static bool hit_errors(const struct totals *b, const struct totals *t, long n)
{
	/* The informers saw failures and listed again after them. */
	return n >= 3 && t->errors >= b->errors + 2 && t->lists >= b->lists + 2;
}

static bool hit_slow(const struct totals *b, const struct totals *t, long n)
{
	/* Requests were held back, among them new watches of every informer. */
	return n >= t->served && t->watches >= b->watches + (unsigned long)t->served;
}

/* Watches broke so often that some informer polls instead. */
static bool hit_polling(const struct totals *b, const struct totals *t, long n)
{
	(void)b;
	return n >= 1 && t->polling >= 1;
}

struct fcase {
	const char *name;
	const char *faults;  /* the body of POST /podscope-sim/v1/faults */
	const char *counter; /* the fault whose count shows it fired */
	hit_fn hit;
	bool rewatch; /* every informer must be watching again in the end */
};

static const struct fcase cases[] = {
    {"drop-watch", "{\"fault\":\"drop-watch:every=300ms\"}", "drop-watch", hit_watches, false},
    /* A watch lags behind when its request is held: gone answers 410. */
    {"gone", "{\"faults\":[\"gone:window=0\",\"slow:ms=100\"]}", "gone", hit_410, false},
    {"throttle", "{\"fault\":\"throttle:every=3,retry-after=1\"}", "throttle", hit_errors, false},
    {"errors", "{\"fault\":\"errors:burst=4,every=400ms,code=503\"}", "errors", hit_errors, false},
    {"slow", "{\"fault\":\"slow:ms=150\"}", "slow", hit_slow, false},
    {"cut-watch", "{\"fault\":\"cut-watch:every=4\"}", "cut-watch", hit_errors, false},
    /* Until an informer gives up watching; it must watch again afterwards. */
    {"drop-watch until polling", "{\"fault\":\"drop-watch:every=150ms\"}", "drop-watch",
     hit_polling, true},
};

#define NCASES ((int)(sizeof(cases) / sizeof(cases[0])))

static bool all_watching(const struct env *e)
{
	struct totals t = totals(e);
	return informer_set_synced(e->set) && t.watching == t.served;
}

START_TEST(test_fault_converges)
{
	const struct fcase *c = &cases[_i];
	struct env e;
	char why[512] = "", lines[1024];
	int64_t t0 = ploop_now_ms();
	env_open(&e, c->name);

	/* Synced and watching, with the cluster already moving. */
	int64_t deadline = ploop_now_ms() + 30000;
	while (!all_watching(&e) && ploop_now_ms() < deadline)
		run_for(&e, 100, false);
	status_lines(&e, lines, sizeof(lines));
	ck_assert_msg(all_watching(&e), "%s: not watching before the fault: %s", c->name, lines);

	/* The fault on; changes go on until it has hit the informers. */
	struct totals before = totals(&e), now;
	struct buf out = BUF_INIT;
	long st = fc_http(e.sim, "POST", "/podscope-sim/v1/faults", c->faults, &out);
	ck_assert_msg(st == 200, "%s: POST faults: %ld %s", c->name, st, out.data);
	long n = 0;
	deadline = ploop_now_ms() + 30000;
	do {
		run_for(&e, 200, true);
		now = totals(&e);
		n = fired(e.sim, c->counter);
	} while (!c->hit(&before, &now, n) && ploop_now_ms() < deadline);
	status_lines(&e, lines, sizeof(lines));
	ck_assert_msg(c->hit(&before, &now, n),
		      "%s: the fault did not hit the informers: fired %ld, lists %lu->%lu, "
		      "410s %lu->%lu, watches %lu->%lu, errors %lu->%lu; %s",
		      c->name, n, before.lists, now.lists, before.relists_410, now.relists_410,
		      before.watches, now.watches, before.errors, now.errors, lines);
	run_for(&e, 3 * CHANGE_MS, true);

	/* The fault off, the cluster left alone: the store comes to equal a fresh list. */
	st = fc_http(e.sim, "DELETE", "/podscope-sim/v1/faults", NULL, &out);
	ck_assert_msg(st == 200 && strstr(out.data, "\"faults\":[]"), "%s: DELETE faults: %ld %s",
		      c->name, st, out.data);
	buf_free(&out);
	int64_t off = ploop_now_ms();
	deadline = off + 40000;
	bool same = false;
	while (!same && ploop_now_ms() < deadline) {
		run_for(&e, 200, false);
		same = fc_store_equals_fresh(e.sim, e.store, why, sizeof(why));
	}
	status_lines(&e, lines, sizeof(lines));
	ck_assert_msg(same, "fault %s: the store does not converge to a fresh list: %s (%s)",
		      c->name, why, lines);
	int64_t converged = ploop_now_ms() - off;
	if (c->rewatch) {
		deadline = ploop_now_ms() + 30000;
		while (!(all_watching(&e) && totals(&e).polling == 0) && ploop_now_ms() < deadline)
			run_for(&e, 100, false);
		status_lines(&e, lines, sizeof(lines));
		ck_assert_msg(all_watching(&e) && totals(&e).polling == 0,
			      "fault %s: the informers do not watch again: %s", c->name, lines);
		ck_assert_msg(fc_store_equals_fresh(e.sim, e.store, why, sizeof(why)),
			      "fault %s: watching again, the store differs from a fresh list: %s",
			      c->name, why);
	}
	now = totals(&e);
	printf("%s: fired %ld; %zu pods, %lu lists, %lu 410 relists, %lu watches, %lu errors, "
	       "%d polling; converged %lld ms after the fault; the case took %lld ms\n",
	       c->name, n, store_count(e.store, STORE_PODS), now.lists, now.relists_410,
	       now.watches, now.errors, now.polling, (long long)converged,
	       (long long)(ploop_now_ms() - t0));
	env_close(&e);
}
END_TEST

int main(void)
{
	curl_global_init(CURL_GLOBAL_ALL);
	Suite *s = suite_create("fault_converge");
	TCase *tc = tcase_create("faults");
	tcase_add_loop_test(tc, test_fault_converges, 0, NCASES);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	int rc = test_run_suite(s);
	curl_global_cleanup();
	return rc;
}
