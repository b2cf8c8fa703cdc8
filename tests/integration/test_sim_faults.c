#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "app.h"
#include "auth.h"
#include "evloop.h"
#include "faults.h"
#include "resources.h"
#include "simhttp.h"
#include "store.h"
#include "testutil.h"

/* Each --fault, seen from a client over HTTP. */

static const struct simres *pods;

static void start_faults(const char *spec)
{
	static const char *specs[1];
	struct sim_config cfg;
	struct perr err = {0};
	specs[0] = spec;
	simapp_defaults(&cfg);
	cfg.faults = specs;
	cfg.nfaults = 1;
	ck_assert_msg(th_start_cfg(&cfg, &err) == 0, "%s", perr_msg(&err));
	pods = simres_find("", "v1", "pods");
}

static void mkpod(const char *name)
{
	char buf[512];
	snprintf(buf, sizeof(buf),
		 "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"default\"},"
		 "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}",
		 name);
	ck_assert_int_eq(simstore_create(th_sim.store, pods, cJSON_Parse(buf), NULL), SIMSTORE_OK);
}

static long get_status(const char *path)
{
	struct th_req *r = th_get(path);
	long st = r->status;
	th_free(r);
	return st;
}

START_TEST(test_specs)
{
	const char *good[] = {"drop-watch",
			      "drop-watch:every=30s",
			      "gone:window=0",
			      "throttle:every=5,retry-after=2",
			      "errors:burst=2,every=1m,code=500",
			      "slow:ms=10",
			      "cut-watch:every=3",
			      "drop-watch:every=2"};
	const char *bad[] = {
	    "nope",    "gone:window=x",         "throttle:every=0",    "errors:code=404",
	    "slow:ms", "cut-watch:every=3,x=1", "drop-watch:every=-1s"};
	struct perr err = {0};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(simfault_check(good[i], &err) == 0, "%s: %s", good[i],
			      perr_msg(&err));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(simfault_check(bad[i], &err) != 0, "%s accepted", bad[i]);
		ck_assert_ptr_nonnull(strstr(perr_msg(&err), "--fault"));
	}
	perr_clear(&err);
}
END_TEST

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	if (n * size > 13 && !strncasecmp(p, "Retry-After: ", 13))
		snprintf(ud, 16, "%.*s", (int)(n * size - 13), p + 13);
	return n * size;
}

START_TEST(test_throttle)
{
	start_faults("throttle:every=3,retry-after=7");
	ck_assert_int_eq(get_status("/api/v1/pods"), 200);
	ck_assert_int_eq(get_status("/api/v1/pods"), 200);
	char retry[16] = "";
	struct th_req *r = th_begin("GET", "/api/v1/pods", NULL, NULL, NULL);
	curl_easy_setopt(r->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, (void *)retry);
	ck_assert(th_wait(r, NULL, 10000));
	ck_assert_int_eq(r->status, 429);
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"reason\":\"TooManyRequests\""));
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"retryAfterSeconds\":7"));
	ck_assert_int_eq(atoi(retry), 7);
	th_free(r);
	/* the control interface is never faulted */
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(get_status("/podscope-sim/v1/scenarios"), 200);
	ck_assert_int_eq(get_status("/api/v1/pods"), 200);
	th_stop();
}
END_TEST

START_TEST(test_error_bursts)
{
	start_faults("errors:burst=2,every=1s,code=500");
	/* Until the first burst is due, all is well; then exactly 2 fail. */
	long long end = th_ms() + 5000;
	long st = 200;
	while (st == 200 && th_ms() < end)
		st = get_status("/api/v1/namespaces");
	ck_assert_int_eq(st, 500);
	ck_assert_int_eq(get_status("/api/v1/namespaces"), 500);
	ck_assert_int_eq(get_status("/api/v1/namespaces"), 200);
	th_stop();
	start_faults("errors:burst=1,every=1s");
	end = th_ms() + 5000;
	st = 200;
	struct th_req *r = NULL;
	while (st == 200 && th_ms() < end) {
		if (r)
			th_free(r);
		r = th_get("/version");
		st = r->status;
	}
	ck_assert_int_eq(st, 503);
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"reason\":\"ServiceUnavailable\""));
	th_free(r);
	th_stop();
}
END_TEST

START_TEST(test_slow)
{
	start_faults("slow:ms=300");
	long long t0 = th_ms();
	ck_assert_int_eq(get_status("/api/v1/pods"), 200);
	ck_assert_int_ge(th_ms() - t0, 290);
	/* a request still held when the simulator stops is let go */
	struct th_req *r = th_begin("GET", "/api/v1/pods", NULL, NULL, NULL);
	th_pump(20);
	th_stop();
	curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	buf_free(&r->body);
	free(r);
}
END_TEST

static void mksvc(const char *name)
{
	char buf[512];
	snprintf(buf, sizeof(buf),
		 "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"default\"},"
		 "\"spec\":{\"ports\":[{\"port\":80}]}}",
		 name);
	ck_assert_int_eq(simstore_create(th_sim.store, simres_find("", "v1", "services"),
					 cJSON_Parse(buf), NULL),
			 SIMSTORE_OK);
}

/* Services: no controller writes them, so the event counts are exact. */
START_TEST(test_gone)
{
	start_faults("gone:window=2");
	mksvc("a");
	uint64_t after_a = simstore_rv(th_sim.store);
	mksvc("b");
	uint64_t after_b = simstore_rv(th_sim.store);
	mksvc("c");
	mksvc("d");
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/services?watch=true&resourceVersion=%llu",
		 (unsigned long long)after_a);
	struct th_req *r = th_begin("GET", path, NULL, NULL, NULL);
	ck_assert(th_wait(r, NULL, 5000));
	ck_assert_int_eq(r->status, 200);
	ck_assert_ptr_nonnull(strstr(r->body.data, "{\"type\":\"ERROR\""));
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"code\":410"));
	th_free(r);
	/* two events back is inside the window */
	snprintf(path, sizeof(path), "/api/v1/services?watch=true&resourceVersion=%llu",
		 (unsigned long long)after_b);
	r = th_begin("GET", path, NULL, NULL, NULL);
	ck_assert(th_wait(r, "\"name\":\"d\"", 5000));
	ck_assert_ptr_null(strstr(r->body.data, "ERROR"));
	th_free(r);
	/* The fault off: what it refused stays refused, as after a compaction. */
	ck_assert_int_eq(simfault_clear(&th_sim, NULL, NULL), 0);
	mksvc("e");
	mksvc("f");
	snprintf(path, sizeof(path), "/api/v1/services?watch=true&resourceVersion=%llu",
		 (unsigned long long)after_a);
	r = th_begin("GET", path, NULL, NULL, NULL);
	ck_assert(th_wait(r, NULL, 5000));
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"code\":410"));
	th_free(r);
	snprintf(path, sizeof(path), "/api/v1/services?watch=true&resourceVersion=%llu",
		 (unsigned long long)after_b);
	r = th_begin("GET", path, NULL, NULL, NULL);
	ck_assert(th_wait(r, "\"name\":\"f\"", 5000));
	ck_assert_ptr_null(strstr(r->body.data, "ERROR"));
	th_free(r);
	th_stop();
}
END_TEST

START_TEST(test_cut_watch)
{
	start_faults("cut-watch:every=3");
	mkpod("a");
	mkpod("b");
	mkpod("c");
	mkpod("d");
	struct th_req *r =
	    th_begin("GET", "/api/v1/namespaces/default/pods?watch=true", NULL, NULL, NULL);
	ck_assert(th_wait(r, NULL, 5000)); /* the server closed it */
	ck_assert_ptr_nonnull(r->body.data);
	/* two whole events, then half of the third: no newline, not JSON */
	const char *last = strrchr(r->body.data, '\n');
	ck_assert_ptr_nonnull(last);
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"name\":\"b\""));
	ck_assert(strlen(last + 1) > 10);
	ck_assert_ptr_null(cJSON_Parse(last + 1));
	ck_assert_ptr_null(strstr(last + 1, "\"name\":\"d\""));
	th_free(r);
	th_stop();
}
END_TEST

START_TEST(test_drop_watch)
{
	start_faults("drop-watch:every=1s");
	mkpod("a");
	long long t0 = th_ms();
	struct th_req *r = th_begin("GET", "/api/v1/pods?watch=true", NULL, NULL, NULL);
	ck_assert(th_wait(r, "\"name\":\"a\"", 5000));
	ck_assert(!r->done);
	ck_assert(th_wait(r, NULL, 5000)); /* ended by the fault, cleanly */
	ck_assert_int_ge(th_ms() - t0, 500);
	ck_assert_int_eq(r->status, 200);
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"name\":\"a\""));
	th_free(r);
	th_stop();
}
END_TEST

/* ---- faults changed at run time through /podscope-sim/v1/faults ---- */

#define FAULTS "/podscope-sim/v1/faults"

/* A control request; its status, and its body in *body (free it) when asked. */
static long ctl(const char *method, const char *path, const char *body, const char *token,
		char **out)
{
	struct th_req *r = th_do(method, path, NULL, body, token);
	long st = r->status;
	if (out)
		*out = strdup(r->body.data ? r->body.data : "");
	th_free(r);
	return st;
}

/* The faults that are on, as one compact JSON array, and one fired counter. */
static void faults_now(char *on, size_t n, const char *counter, double *fired)
{
	char *body = NULL;
	ck_assert_int_eq(ctl("GET", FAULTS, NULL, NULL, &body), 200);
	cJSON *j = cJSON_Parse(body);
	ck_assert_msg(j != NULL, "%s", body);
	char *a = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "faults"));
	snprintf(on, n, "%s", a);
	if (counter)
		*fired = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "fired"), counter)->valuedouble;
	free(a);
	cJSON_Delete(j);
	free(body);
}

START_TEST(test_control_set_and_clear)
{
	th_start(0, 0);
	char on[512], *body = NULL;
	double fired = -1;
	faults_now(on, sizeof(on), "throttle", &fired);
	ck_assert_str_eq(on, "[]");
	ck_assert(fired == 0);
	ck_assert_int_eq(get_status("/api/v1/pods"), 200);

	/* One fault on, with the --fault syntax: it fires from the next request. */
	ck_assert_int_eq(ctl("POST", FAULTS, "{\"fault\":\"throttle:every=2,retry-after=3\"}",
			     NULL, &body),
			 200);
	ck_assert_ptr_nonnull(strstr(body, "\"throttle:every=2,retry-after=3\""));
	free(body);
	long a = get_status("/api/v1/pods"), b = get_status("/api/v1/pods");
	ck_assert_msg((a == 429) != (b == 429), "%ld %ld", a, b);
	faults_now(on, sizeof(on), "throttle", &fired);
	ck_assert(fired == 1);

	/* Another one is added; the same one again replaces its settings. */
	ck_assert_int_eq(ctl("POST", FAULTS, "{\"fault\":\"drop-watch:every=1m\"}", NULL, NULL),
			 200);
	ck_assert_int_eq(ctl("POST", FAULTS, "{\"fault\":\"throttle:every=1000\"}", NULL, NULL),
			 200);
	faults_now(on, sizeof(on), NULL, NULL);
	ck_assert_str_eq(on, "[\"drop-watch:every=60000ms\",\"throttle:every=1000,retry-after=1\"]");

	/* One off by name; then all. */
	ck_assert_int_eq(ctl("DELETE", FAULTS "?name=throttle", NULL, NULL, NULL), 200);
	faults_now(on, sizeof(on), NULL, NULL);
	ck_assert_str_eq(on, "[\"drop-watch:every=60000ms\"]");
	ck_assert_int_eq(ctl("DELETE", FAULTS, NULL, NULL, NULL), 200);
	faults_now(on, sizeof(on), NULL, NULL);
	ck_assert_str_eq(on, "[]");
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(get_status("/api/v1/pods"), 200);

	/* A whole set; a bad set changes nothing. */
	ck_assert_int_eq(ctl("POST", FAULTS, "{\"faults\":[\"gone:window=0\",\"slow:ms=5\"]}",
			     NULL, NULL),
			 200);
	ck_assert_int_eq(ctl("POST", FAULTS, "{\"faults\":[\"cut-watch\",\"nope\"]}", NULL, &body),
			 400);
	ck_assert_ptr_nonnull(strstr(body, "--fault nope: unknown fault"));
	free(body);
	faults_now(on, sizeof(on), NULL, NULL);
	ck_assert_str_eq(on, "[\"gone:window=0\",\"slow:ms=5\"]");
	ck_assert_int_eq(ctl("POST", FAULTS, "{\"faults\":[]}", NULL, NULL), 200);
	faults_now(on, sizeof(on), NULL, NULL);
	ck_assert_str_eq(on, "[]");

	/* Bad requests, and who may ask. */
	ck_assert_int_eq(ctl("POST", FAULTS, "{\"fault\":\"slow:ms=x\"}", NULL, NULL), 400);
	ck_assert_int_eq(ctl("POST", FAULTS, "{\"fault\":1}", NULL, NULL), 400);
	ck_assert_int_eq(ctl("POST", FAULTS, "not json", NULL, NULL), 400);
	ck_assert_int_eq(ctl("DELETE", FAULTS "?name=nope", NULL, NULL, NULL), 400);
	ck_assert_int_eq(ctl("PUT", FAULTS, "{}", NULL, NULL), 405);
	const char *ro = simauth_token(th_sim.auth, SIMUSER_READONLY);
	ck_assert_int_eq(ctl("POST", FAULTS, "{\"fault\":\"slow\"}", ro, NULL), 403);
	ck_assert_int_eq(ctl("DELETE", FAULTS, NULL, ro, NULL), 403);
	ck_assert_int_eq(ctl("GET", FAULTS, NULL, ro, NULL), 200);
	ck_assert_int_eq(ctl("GET", FAULTS, NULL, "bad-token", NULL), 401);
	faults_now(on, sizeof(on), NULL, NULL);
	ck_assert_str_eq(on, "[]");
	th_stop();
}
END_TEST

/* A drop-watch turned on ends the watch; turned off, a watch stays open. */
START_TEST(test_control_drop_watch)
{
	th_start(0, 0);
	struct th_req *r = th_begin("GET", "/api/v1/services?watch=true", NULL, NULL, NULL);
	th_pump(50);
	ck_assert_int_eq(ctl("POST", FAULTS, "{\"fault\":\"drop-watch:every=100ms\"}", NULL, NULL),
			 200);
	ck_assert(th_wait(r, NULL, 5000));
	ck_assert_int_eq(r->status, 200);
	th_free(r);
	char on[256];
	double fired = 0;
	faults_now(on, sizeof(on), "drop-watch", &fired);
	ck_assert(fired >= 1);
	ck_assert_int_eq(ctl("DELETE", FAULTS, NULL, NULL, NULL), 200);
	double before = fired;
	/* Open across several of the old periods: a service made later arrives on it. */
	r = th_begin("GET", "/api/v1/services?watch=true", NULL, NULL, NULL);
	long long t0 = th_ms();
	while (th_ms() - t0 < 400)
		th_pump(20);
	mksvc("late");
	ck_assert(th_wait(r, "\"name\":\"late\"", 5000));
	ck_assert(!r->done);
	faults_now(on, sizeof(on), "drop-watch", &fired);
	ck_assert(fired == before);
	th_free(r);
	th_stop();
}
END_TEST

/* A slow fault turned off: requests it holds are still answered. */
START_TEST(test_control_clear_slow)
{
	th_start(0, 0);
	ck_assert_int_eq(ctl("POST", FAULTS, "{\"fault\":\"slow:ms=300\"}", NULL, NULL), 200);
	struct th_req *r = th_begin("GET", "/api/v1/pods", NULL, NULL, NULL);
	th_pump(20);
	ck_assert_int_eq(ctl("DELETE", FAULTS, NULL, NULL, NULL), 200);
	long long t0 = th_ms();
	ck_assert_int_eq(get_status("/api/v1/namespaces"), 200);
	ck_assert_int_lt(th_ms() - t0, 250);
	ck_assert(th_wait(r, NULL, 5000));
	ck_assert_int_eq(r->status, 200);
	th_free(r);
	th_stop();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_faults");
	TCase *tc = tcase_create("faults");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_specs);
	tcase_add_test(tc, test_throttle);
	tcase_add_test(tc, test_error_bursts);
	tcase_add_test(tc, test_slow);
	tcase_add_test(tc, test_gone);
	tcase_add_test(tc, test_cut_watch);
	tcase_add_test(tc, test_drop_watch);
	tcase_add_test(tc, test_control_set_and_clear);
	tcase_add_test(tc, test_control_drop_watch);
	tcase_add_test(tc, test_control_clear_slow);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_ALL);
	int rc = test_run_suite(suite());
	curl_global_cleanup();
	return rc;
}
