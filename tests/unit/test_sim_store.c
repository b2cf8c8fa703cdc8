#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "evloop.h"
#include "list.h"
#include "podcols.h"
#include "resources.h"
#include "scenario.h"
#include "selector.h"
#include "store.h"
#include "testutil.h"
#include "util.h"

static struct simstore *st;
static const struct simres *pods, *deploys, *namespaces;

static void setup(void)
{
	struct simstore_opts o = {.event_window = 8};
	st = simstore_new(&o);
	pods = simres_find("", "v1", "pods");
	deploys = simres_find("apps", "v1", "deployments");
	namespaces = simres_find("", "v1", "namespaces");
}

static void teardown(void)
{
	simstore_free(st);
}

static cJSON *obj(const char *json)
{
	cJSON *j = cJSON_Parse(json);
	ck_assert_ptr_nonnull(j);
	return j;
}

static struct simobj *mkpod(const char *ns, const char *name, const char *app)
{
	char buf[256];
	snprintf(buf, sizeof(buf),
	         "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"labels\":{\"app\":\"%s\"}},"
	         "\"spec\":{}}",
	         name, ns, app);
	struct simobj *o = NULL;
	ck_assert_int_eq(simstore_create(st, pods, obj(buf), &o), SIMSTORE_OK);
	return o;
}

START_TEST(test_create_sets_server_fields)
{
	uint64_t rv0 = simstore_rv(st);
	struct simobj *o = mkpod("default", "a", "web");
	ck_assert_uint_eq(o->rv, rv0 + 1);
	ck_assert_uint_eq(simstore_rv(st), rv0 + 1);
	const cJSON *md = cJSON_GetObjectItem(o->json, "metadata");
	ck_assert_str_eq(cJSON_GetObjectItem(o->json, "kind")->valuestring, "Pod");
	ck_assert_str_eq(cJSON_GetObjectItem(o->json, "apiVersion")->valuestring, "v1");
	ck_assert_int_eq(strlen(cJSON_GetObjectItem(md, "uid")->valuestring), 36);
	ck_assert(simutil_parse_rfc3339(cJSON_GetObjectItem(md, "creationTimestamp")->valuestring) >
	          0);
	char rv[32];
	snprintf(rv, sizeof(rv), "%llu", (unsigned long long)o->rv);
	ck_assert_str_eq(cJSON_GetObjectItem(md, "resourceVersion")->valuestring, rv);
	ck_assert_ptr_null(cJSON_GetObjectItem(md, "generation")); /* pods have none here */
	ck_assert_str_eq(o->key, "default/a");
	/* The cached serialisation is the object. */
	cJSON *back = cJSON_Parse(o->ser);
	ck_assert(cJSON_Compare(back, o->json, true));
	cJSON_Delete(back);
	ck_assert_ptr_eq(simstore_get(st, pods, "default", "a"), o);
	ck_assert_ptr_null(simstore_get(st, pods, "other", "a"));
	ck_assert_uint_eq(simstore_count(st, pods), 1);
}
END_TEST

START_TEST(test_create_errors_and_generate_name)
{
	mkpod("default", "a", "web");
	ck_assert_int_eq(
	    simstore_create(st, pods,
	                    obj("{\"metadata\":{\"name\":\"a\",\"namespace\":\"default\"}}"), NULL),
	    SIMSTORE_EXISTS);
	ck_assert_int_eq(simstore_create(st, pods, obj("{\"metadata\":{\"name\":\"x\"}}"), NULL),
	                 SIMSTORE_INVALID);
	ck_assert_int_eq(
	    simstore_create(st, pods, obj("{\"metadata\":{\"namespace\":\"d\"}}"), NULL),
	    SIMSTORE_INVALID);
	struct simobj *o;
	ck_assert_int_eq(simstore_create(st, pods,
	                                 obj("{\"metadata\":{\"generateName\":\"web-\","
	                                     "\"namespace\":\"default\"}}"),
	                                 &o),
	                 SIMSTORE_OK);
	ck_assert_int_eq(strlen(o->name), 9);
	ck_assert(strncmp(o->name, "web-", 4) == 0);
	/* Cluster-scoped objects lose a namespace they were given. */
	ck_assert_int_eq(simstore_create(st, namespaces,
	                                 obj("{\"metadata\":{\"name\":\"n\",\"namespace\":\"x\"}}"),
	                                 &o),
	                 SIMSTORE_OK);
	ck_assert_str_eq(o->key, "n");
	ck_assert_str_eq(o->ns, "");
}
END_TEST

START_TEST(test_update_generation_and_noop)
{
	struct simobj *o;
	ck_assert_int_eq(simstore_create(st, deploys,
	                                 obj("{\"metadata\":{\"name\":\"web\",\"namespace\":\"d\"},"
	                                     "\"spec\":{\"replicas\":1}}"),
	                                 &o),
	                 SIMSTORE_OK);
	const cJSON *md = cJSON_GetObjectItem(o->json, "metadata");
	ck_assert_int_eq(cJSON_GetObjectItem(md, "generation")->valueint, 1);
	char *uid = strdup(cJSON_GetObjectItem(md, "uid")->valuestring);
	uint64_t rv1 = o->rv;

	/* A status change: new RV, same generation. */
	cJSON *c = simobj_copy(o);
	cJSON_AddItemToObject(c, "status", obj("{\"replicas\":1}"));
	ck_assert_int_eq(simstore_update(st, deploys, c, rv1, &o), SIMSTORE_OK);
	ck_assert_uint_gt(o->rv, rv1);
	md = cJSON_GetObjectItem(o->json, "metadata");
	ck_assert_int_eq(cJSON_GetObjectItem(md, "generation")->valueint, 1);
	ck_assert_str_eq(cJSON_GetObjectItem(md, "uid")->valuestring, uid);

	/* A spec change bumps the generation. */
	uint64_t rv2 = o->rv;
	c = simobj_copy(o);
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(c, "spec"), "replicas",
	                          cJSON_CreateNumber(3));
	ck_assert_int_eq(simstore_update(st, deploys, c, 0, &o), SIMSTORE_OK);
	md = cJSON_GetObjectItem(o->json, "metadata");
	ck_assert_int_eq(cJSON_GetObjectItem(md, "generation")->valueint, 2);

	/* A stale RV conflicts; an unchanged object is no write at all. */
	uint64_t rv3 = o->rv;
	ck_assert_int_eq(simstore_update(st, deploys, simobj_copy(o), rv2, NULL),
	                 SIMSTORE_CONFLICT);
	ck_assert_int_eq(simstore_update(st, deploys, simobj_copy(o), rv3, &o), SIMSTORE_OK);
	ck_assert_uint_eq(o->rv, rv3);
	ck_assert_uint_eq(simstore_rv(st), rv3);
	ck_assert_int_eq(
	    simstore_update(st, deploys,
	                    obj("{\"metadata\":{\"name\":\"zz\",\"namespace\":\"d\"}}"), 0, NULL),
	    SIMSTORE_NOT_FOUND);
	free(uid);
}
END_TEST

static int heard;
static enum simev_type last_type;
static void listener(void *ud, const struct simevent *ev)
{
	heard++;
	last_type = ev->type;
	ck_assert_ptr_eq(ud, &heard);
}

START_TEST(test_events_ring_and_listeners)
{
	simstore_listen(st, pods, listener, &heard);
	uint64_t start = simstore_rv(st);
	struct simobj *a = mkpod("default", "a", "web");
	ck_assert_int_eq(heard, 1);
	ck_assert_int_eq(last_type, SIMEV_ADDED);
	cJSON *c = simobj_copy(a);
	cJSON_AddItemToObject(c, "status", obj("{\"phase\":\"Running\"}"));
	ck_assert_int_eq(simstore_update(st, pods, c, 0, NULL), SIMSTORE_OK);
	ck_assert_int_eq(last_type, SIMEV_MODIFIED);
	struct simobj *gone;
	ck_assert_int_eq(simstore_delete(st, pods, "default", "a", 0, &gone), SIMSTORE_OK);
	ck_assert_int_eq(last_type, SIMEV_DELETED);
	ck_assert_uint_eq(gone->rv, simstore_rv(st));
	ck_assert_int_eq(simstore_delete(st, pods, "default", "a", 0, NULL), SIMSTORE_NOT_FOUND);
	ck_assert_int_eq(heard, 3);

	/* Events after `start`: all three, in order. */
	uint64_t seq, oldest;
	ck_assert(simstore_seq_after(st, pods, start, &seq, &oldest));
	const struct simevent *ev = simstore_event_at(st, pods, seq);
	ck_assert_int_eq(ev->type, SIMEV_ADDED);
	ck_assert_ptr_null(ev->prev);
	ev = simstore_event_at(st, pods, seq + 2);
	ck_assert_int_eq(ev->type, SIMEV_DELETED);
	ck_assert_ptr_nonnull(ev->prev);
	ck_assert_ptr_null(simstore_event_at(st, pods, seq + 3));
	ck_assert_uint_eq(simstore_seq_next(st, pods), seq + 3);

	/* Writes to other resources do not reach a pods listener. */
	ck_assert_int_eq(
	    simstore_create(st, namespaces, obj("{\"metadata\":{\"name\":\"n\"}}"), NULL),
	    SIMSTORE_OK);
	ck_assert_int_eq(heard, 3);

	/* The window is 8 events: older RVs become "too old". */
	for (int i = 0; i < 10; i++) {
		char name[16];
		snprintf(name, sizeof(name), "p%d", i);
		mkpod("default", name, "x");
	}
	ck_assert(!simstore_seq_after(st, pods, start, &seq, &oldest));
	ck_assert_uint_gt(oldest, start);
	ck_assert(simstore_seq_after(st, pods, oldest, &seq, &oldest));
	ck_assert(simstore_seq_after(st, pods, simstore_rv(st), &seq, &oldest));
	ck_assert_uint_eq(seq, simstore_seq_next(st, pods));
	simstore_unlisten(st, listener, &heard);
	mkpod("default", "late", "x");
	ck_assert_int_eq(heard, 13);
}
END_TEST

START_TEST(test_snapshot_order_and_isolation)
{
	mkpod("b", "z", "x");
	mkpod("a", "y", "x");
	mkpod("a-b", "x", "x");
	mkpod("a", "b", "x");
	struct simsnap *s = simstore_snapshot(st, pods);
	ck_assert_uint_eq(s->n, 4);
	/* etcd order: bytewise on "ns/name" ('-' sorts before '/'). */
	ck_assert_str_eq(s->items[0]->key, "a-b/x");
	ck_assert_str_eq(s->items[1]->key, "a/b");
	ck_assert_str_eq(s->items[2]->key, "a/y");
	ck_assert_str_eq(s->items[3]->key, "b/z");
	ck_assert_uint_eq(simsnap_seek(s, "a/b", false), 2);
	ck_assert_uint_eq(simsnap_seek(s, "a/b", true), 1);
	ck_assert_uint_eq(simsnap_seek(s, "c", true), 4);
	/* Unchanged store: the same snapshot again, and being current it is
	 * as young as the question (an idle cluster's first page was taken
	 * long ago; its continue tokens must not be expired at once). */
	s->taken_ms -= 10 * 60 * 1000;
	struct simsnap *again = simstore_snapshot(st, pods);
	ck_assert_ptr_eq(again, s);
	ck_assert_int_ge(s->taken_ms, evloop_now_ms() - 60 * 1000);
	simsnap_unref(again);
	simstore_keep_snapshot(st, s);
	ck_assert_int_eq(simstore_delete(st, pods, "a", "b", 0, NULL), SIMSTORE_OK);
	/* The kept snapshot still holds the deleted pod, at its RV. */
	struct simsnap *k = simstore_find_snapshot(st, pods, s->rv);
	ck_assert_ptr_eq(k, s);
	ck_assert_str_eq(k->items[1]->name, "b");
	simsnap_unref(k);
	struct simsnap *now = simstore_snapshot(st, pods);
	ck_assert_uint_eq(now->n, 3);
	ck_assert_uint_gt(now->rv, s->rv);
	ck_assert_ptr_null(simstore_find_snapshot(st, pods, now->rv)); /* not kept */
	simsnap_unref(now);
	simsnap_unref(s);
}
END_TEST

/* --- selectors ----------------------------------------------------------- */

static bool lmatch(const char *sel, const char *labels)
{
	char *err = NULL;
	struct simsel *s = simsel_parse_labels(sel, &err);
	ck_assert_msg(s != NULL, "%s: %s", sel, err ? err : "");
	cJSON *l = labels ? cJSON_Parse(labels) : NULL;
	bool m = simsel_match_labels(s, l);
	cJSON_Delete(l);
	simsel_free(s);
	return m;
}

START_TEST(test_label_selectors)
{
	const char *l = "{\"app\":\"web\",\"tier\":\"front\",\"n\":\"5\"}";
	ck_assert(lmatch("", l));
	ck_assert(lmatch(NULL, NULL));
	ck_assert(lmatch("app=web", l));
	ck_assert(lmatch("app==web", l));
	ck_assert(!lmatch("app=db", l));
	ck_assert(lmatch("app!=db", l));
	ck_assert(lmatch("missing!=x", l)); /* != matches an absent label */
	ck_assert(lmatch("app in (db, web)", l));
	ck_assert(!lmatch("app notin (db,web)", l));
	ck_assert(lmatch("missing notin (a)", l));
	ck_assert(lmatch("tier", l));
	ck_assert(!lmatch("!tier", l));
	ck_assert(lmatch("!missing", l));
	ck_assert(lmatch(" app = web , tier in (front) ", l));
	ck_assert(!lmatch("app=web,tier=back", l));
	ck_assert(lmatch("n>4", l));
	ck_assert(!lmatch("n<5", l));
	ck_assert(lmatch("example.com/k!=v", l));
	ck_assert(lmatch("app in (web)", l));
	ck_assert(!lmatch("app", NULL));

	const char *bad[] = {"app=",     "=web",      "app in web", "app in (web",
	                     "app=web,", "a b",       "app=we b",   "app=-bad-",
	                     "n>x",      "app notin", NULL};
	/* "app=" is valid: an empty value. */
	ck_assert(!lmatch("app=", l));
	for (int i = 1; bad[i]; i++) {
		char *err = NULL;
		struct simsel *s = simsel_parse_labels(bad[i], &err);
		ck_assert_msg(s == NULL, "accepted %s", bad[i]);
		ck_assert_ptr_nonnull(err);
		ck_assert(strncmp(err, "unable to parse requirement: ", 29) == 0);
		free(err);
	}
}
END_TEST

START_TEST(test_field_selectors)
{
	cJSON *pod = obj("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},"
	                 "\"spec\":{\"nodeName\":\"n1\"},\"status\":{\"phase\":\"Running\"}}");
	const struct simres *events = simres_find("", "v1", "events");
	char *err = NULL;
	struct simsel *s = simsel_parse_fields(pods, "metadata.name=p,status.phase!=Failed", &err);
	ck_assert_ptr_nonnull(s);
	ck_assert(simsel_match_fields(s, pod));
	ck_assert_str_eq(simsel_field_equals(s, "metadata.name"), "p");
	ck_assert_ptr_null(simsel_field_equals(s, "metadata.namespace"));
	simsel_free(s);
	s = simsel_parse_fields(pods, "metadata.namespace==other", &err);
	ck_assert(!simsel_match_fields(s, pod));
	simsel_free(s);
	s = simsel_parse_fields(pods, "spec.nodeName=", &err); /* unscheduled pods */
	ck_assert(!simsel_match_fields(s, pod));
	simsel_free(s);
	s = simsel_parse_fields(events, "involvedObject.name=p,involvedObject.uid=", &err);
	ck_assert_ptr_nonnull(s);
	simsel_free(s);
	ck_assert_ptr_null(simsel_parse_fields(pods, "spec.bogus=1", &err));
	ck_assert_str_eq(err, "field label not supported: spec.bogus");
	free(err);
	ck_assert_ptr_null(simsel_parse_fields(pods, "metadata.name in (a)", &err));
	free(err);
	cJSON_Delete(pod);
}
END_TEST

START_TEST(test_continue_token)
{
	char *t = simlist_encode_continue(42, "default/web-1");
	/* base64url, no padding */
	ck_assert(strchr(t, '=') == NULL && strchr(t, '+') == NULL && strchr(t, '/') == NULL);
	size_t len;
	char *raw = simutil_unbase64url(t, &len);
	ck_assert_str_eq(raw,
	                 "{\"v\":\"meta.k8s.io/v1\",\"rv\":42,\"start\":\"default/web-1\\u0000\"}");
	free(raw);
	int64_t rv;
	char *start;
	bool excl;
	ck_assert_int_eq(simlist_decode_continue(t, &rv, &start, &excl), 0);
	ck_assert_int_eq(rv, 42);
	ck_assert_str_eq(start, "default/web-1");
	ck_assert(excl);
	free(start);
	free(t);
	const char *bad[] = {"{\"v\":\"meta.k8s.io/v1\",\"rv\":0,\"start\":\"a\"}",
	                     "{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"\"}",
	                     "{\"v\":\"v2\",\"rv\":5,\"start\":\"a\"}",
	                     "{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"../etc\"}", NULL};
	for (int i = 0; bad[i]; i++) {
		struct buf b = BUF_INIT;
		simutil_base64url(&b, bad[i], strlen(bad[i]));
		ck_assert_int_eq(simlist_decode_continue(b.data, &rv, &start, &excl), -1);
		buf_free(&b);
	}
	ck_assert_int_eq(simlist_decode_continue("!!!", &rv, &start, &excl), -1);
}
END_TEST

/* --- pod columns and durations ------------------------------------------- */

static void cols(const char *pod_json, const char *ready, const char *status, const char *restarts)
{
	cJSON *p = obj(pod_json);
	struct podcols c;
	time_t now = simutil_parse_rfc3339("2026-01-01T00:10:00Z");
	simpod_columns(p, now, &c);
	ck_assert_str_eq(c.ready, ready);
	ck_assert_str_eq(c.status, status);
	ck_assert_str_eq(c.restarts, restarts);
	cJSON_Delete(p);
}

START_TEST(test_pod_columns)
{
	cols("{\"spec\":{\"containers\":[{},{}]},\"status\":{\"phase\":\"Running\","
	     "\"containerStatuses\":[{\"ready\":true,\"restartCount\":3,\"state\":{\"running\":{}},"
	     "\"lastState\":{\"terminated\":{\"finishedAt\":\"2026-01-01T00:09:50Z\"}}},"
	     "{\"ready\":true,\"state\":{\"running\":{}}}]}}",
	     "2/2", "Running", "3 (10s ago)");
	cols("{\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Running\","
	     "\"containerStatuses\":[{\"restartCount\":4,\"state\":{\"waiting\":{\"reason\":"
	     "\"CrashLoopBackOff\"}}}]}}",
	     "0/1", "CrashLoopBackOff", "4");
	cols("{\"spec\":{\"initContainers\":[{\"name\":\"i1\"},{\"name\":\"i2\"}],"
	     "\"containers\":[{}]},\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":["
	     "{\"name\":\"i1\",\"state\":{\"terminated\":{\"exitCode\":0}}},"
	     "{\"name\":\"i2\",\"state\":{\"running\":{}}}]}}",
	     "0/1", "Init:1/2", "0");
	cols("{\"spec\":{\"initContainers\":[{\"name\":\"i1\"}],\"containers\":[{}]},"
	     "\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":\"i1\","
	     "\"restartCount\":2,\"state\":{\"terminated\":{\"exitCode\":1}}}]}}",
	     "0/1", "Init:ExitCode:1", "2");
	cols("{\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Succeeded\","
	     "\"containerStatuses\":[{\"state\":{\"terminated\":{\"exitCode\":0,\"reason\":"
	     "\"Completed\"}}}]}}",
	     "0/1", "Completed", "0");
	cols("{\"metadata\":{\"deletionTimestamp\":\"2026-01-01T00:00:00Z\"},"
	     "\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Running\","
	     "\"containerStatuses\":[{\"ready\":true,\"state\":{\"running\":{}}}]}}",
	     "1/1", "Terminating", "0");
	cols("{\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Failed\",\"reason\":"
	     "\"Evicted\"}}",
	     "0/1", "Evicted", "0");
	/* A started sidecar counts as ready and in the total. */
	cols("{\"spec\":{\"initContainers\":[{\"name\":\"s\",\"restartPolicy\":\"Always\"}],"
	     "\"containers\":[{}]},\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":"
	     "\"Initialized\",\"status\":\"True\"}],\"initContainerStatuses\":[{\"name\":\"s\","
	     "\"started\":true,\"ready\":true,\"restartCount\":1,\"state\":{\"running\":{}}}],"
	     "\"containerStatuses\":[{\"ready\":true,\"state\":{\"running\":{}}}]}}",
	     "2/2", "Running", "1");
}
END_TEST

/* --- scenarios ---------------------------------------------------------- */

static int apply(const char *json, struct perr *err)
{
	cJSON *docs = obj(json);
	int rc = simscen_apply(st, docs, "test.yaml", err);
	cJSON_Delete(docs);
	return rc;
}

START_TEST(test_scenario_apply)
{
	struct perr err = {0};
	simscen_seed(st, 2);
	ck_assert_ptr_nonnull(simstore_get(st, namespaces, NULL, "kube-system"));
	ck_assert_ptr_nonnull(simstore_get(st, simres_find("", "v1", "nodes"), NULL, "sim-node-2"));
	ck_assert_int_eq(
	    apply("[{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
	          "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}},"
	          "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":"
	          "{\"name\":\"d\",\"namespace\":\"new\"}}]},"
	          "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":"
	          "\"default\"}}]",
	          &err),
	    0);
	ck_assert_ptr_nonnull(simstore_get(st, pods, "default", "a"));
	ck_assert_ptr_nonnull(simstore_get(st, deploys, "new", "d"));
	ck_assert_ptr_nonnull(simstore_get(st, namespaces, NULL, "new")); /* made for d */

	/* Errors store nothing: a clash inside the file, a clash with the store, a kind. */
	uint64_t rv = simstore_rv(st);
	ck_assert_int_eq(
	    apply("[{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"b\"}},"
	          "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"b\","
	          "\"namespace\":\"default\"}}]",
	          &err),
	    -1);
	ck_assert_ptr_nonnull(
	    strstr(perr_msg(&err), "pods \"b\" in namespace \"default\" comes twice"));
	ck_assert_int_eq(
	    apply("[{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"c\"}},"
	          "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}}]",
	          &err),
	    -1);
	ck_assert_str_eq(perr_msg(&err), "test.yaml: pods \"a\" already exists");
	ck_assert_int_eq(
	    apply("[{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"c\"}},"
	          "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\","
	          "\"metadata\":{\"name\":\"j\"}}]",
	          &err),
	    -1);
	ck_assert_str_eq(perr_msg(&err), "test.yaml: document 2: podscope-sim does not serve "
	                                 "networking.k8s.io/v1 Ingress");
	ck_assert_int_eq(apply("[{\"kind\":\"Pod\"}]", &err), -1);
	ck_assert_ptr_null(simstore_get(st, pods, "default", "c"));
	ck_assert_uint_eq(simstore_rv(st), rv);
	perr_clear(&err);
}
END_TEST

/* --- the event loop -------------------------------------------------------- */

static char fired[16];
static struct evloop *loop;
static char names[] = "abcdxzq";
#define NAME(c) (strchr(names, (c)))

static void fire(void *ud)
{
	size_t n = strlen(fired);
	fired[n] = *(const char *)ud;
	fired[n + 1] = '\0';
	if (*(const char *)ud == 'c') /* a timer added while timers run waits a turn */
		evloop_timer_in(loop, 0, fire, NAME('z'));
}

START_TEST(test_evloop_timers)
{
	loop = evloop_new();
	int64_t now = evloop_now_ms();
	fired[0] = '\0';
	/* Far enough ahead that a slow run (valgrind, a loaded machine) does not
	 * reach it before the second turn. */
	evloop_timer_at(loop, now + 2000, fire, NAME('d'));
	evloop_timer_at(loop, now - 5, fire, NAME('b'));
	struct evtimer *x = evloop_timer_at(loop, now - 1, fire, NAME('x'));
	evloop_timer_at(loop, now - 10, fire, NAME('a'));
	evloop_timer_at(loop, now - 5, fire, NAME('c')); /* same time as b: after b */
	evloop_timer_cancel(loop, x);
	evloop_run_once(loop, 0);
	ck_assert_str_eq(fired, "abc");
	evloop_run_once(loop, 0);
	ck_assert_str_eq(fired, "abcz");
	/* The loop sleeps until the next timer, not longer. */
	int64_t t0 = evloop_now_ms();
	while (strlen(fired) < 5 && evloop_now_ms() - t0 < 5000)
		evloop_run_once(loop, -1);
	ck_assert_str_eq(fired, "abczd");
	ck_assert_int_ge(evloop_now_ms(), now + 2000);
	evloop_timer_in(loop, 100000, fire, NAME('q')); /* freed by evloop_free, never run */
	evloop_free(loop);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_store");
	TCase *tc = tcase_create("store");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_create_sets_server_fields);
	tcase_add_test(tc, test_create_errors_and_generate_name);
	tcase_add_test(tc, test_update_generation_and_noop);
	tcase_add_test(tc, test_events_ring_and_listeners);
	tcase_add_test(tc, test_snapshot_order_and_isolation);
	suite_add_tcase(s, tc);
	tc = tcase_create("parsing");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_label_selectors);
	tcase_add_test(tc, test_field_selectors);
	tcase_add_test(tc, test_continue_token);
	tcase_add_test(tc, test_pod_columns);
	tcase_add_test(tc, test_scenario_apply);
	tcase_add_test(tc, test_evloop_timers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
