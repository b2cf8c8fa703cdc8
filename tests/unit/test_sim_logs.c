#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "podscope/buf.h"

#include "clock.h"
#include "podlog.h"
#include "procsim.h"
#include "resources.h"
#include "simkubelet.h"
#include "simobj.h"
#include "store.h"
#include "testutil.h"

/* Container logs of podscope-sim: the log ring, PodLogOptions, what the
 * simulated processes print, and the kubelet's current and previous logs. */

/* The text of line seq ("" when it is not kept). */
static const char *line(const struct podlog *l, uint64_t seq)
{
	static char buf[PODLOG_LINE_MAX + 1];
	size_t len;
	int64_t t;
	const char *s = podlog_line(l, seq, &len, &t);
	if (!s)
		return "";
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

static int64_t line_t(const struct podlog *l, uint64_t seq)
{
	size_t len;
	int64_t t = -1;
	podlog_line(l, seq, &len, &t);
	return t;
}

START_TEST(test_ring_basic)
{
	struct podlog *l = podlog_new(0);
	podlog_write(l, 1000, false, "one", 3);
	podlog_write(l, 2000, true, "two", 3);
	podlog_write(l, 2500, false, "", 0);
	ck_assert_uint_eq(podlog_first(l), 0);
	ck_assert_uint_eq(podlog_end(l), 3);
	ck_assert_str_eq(line(l, 0), "one");
	ck_assert_str_eq(line(l, 1), "two");
	ck_assert_str_eq(line(l, 2), "");
	ck_assert_int_eq(line_t(l, 1), 2000);
	ck_assert_uint_eq(podlog_bytes(l), 6);
	ck_assert_ptr_null(podlog_line(l, 3, &(size_t){0}, &(int64_t){0}));
	podlog_set_id(l, "containerd://abc");
	ck_assert_str_eq(podlog_id(l), "containerd://abc");
	podlog_unref(l);
}
END_TEST

/* The newest lines within the cap; a line longer than the cap or than
 * PODLOG_LINE_MAX is cut. */
START_TEST(test_ring_cap)
{
	struct podlog *l = podlog_new(100);
	char text[16];
	for (int i = 0; i < 300; i++) {
		snprintf(text, sizeof(text), "line %04d", i); /* 9 bytes */
		podlog_write(l, i, false, text, strlen(text));
		ck_assert_uint_le(podlog_bytes(l), 100);
	}
	ck_assert_uint_eq(podlog_end(l), 300);
	ck_assert_uint_eq(podlog_first(l), 300 - 11); /* 11 lines of 9 bytes fit */
	ck_assert_str_eq(line(l, 299), "line 0299");
	ck_assert_str_eq(line(l, 289), "line 0289");
	ck_assert_str_eq(line(l, 288), "");
	char big[300];
	memset(big, 'x', sizeof(big));
	podlog_write(l, 400, false, big, sizeof(big));
	ck_assert_uint_eq(podlog_bytes(l), 100);
	ck_assert_uint_eq(podlog_first(l), 300);
	ck_assert_uint_eq(strlen(line(l, 300)), 100);
	podlog_unref(l);

	l = podlog_new(0);
	char *huge = malloc(PODLOG_LINE_MAX + 500);
	memset(huge, 'y', PODLOG_LINE_MAX + 500);
	podlog_write(l, 1, false, huge, PODLOG_LINE_MAX + 500);
	free(huge);
	ck_assert_uint_eq(podlog_bytes(l), PODLOG_LINE_MAX);
	/* a megabyte and more of lines: memory stays at the cap */
	for (int i = 0; i < 20000; i++)
		podlog_write(l, i, false, big, sizeof(big));
	ck_assert_uint_le(podlog_bytes(l), PODLOG_CAP_BYTES);
	ck_assert_uint_ge(podlog_bytes(l), PODLOG_CAP_BYTES - sizeof(big));
	podlog_unref(l);
}
END_TEST

static int calls;
static void count(void *ud)
{
	(void)ud;
	calls++;
}

START_TEST(test_ring_close_listen)
{
	struct podlog *l = podlog_new(0);
	struct podlog *r = podlog_ref(l);
	calls = 0;
	podlog_listen(l, count, &calls);
	podlog_write(l, 1, false, "a", 1);
	ck_assert_int_eq(calls, 1);
	ck_assert(!podlog_closed(l));
	podlog_close(l);
	ck_assert(podlog_closed(l));
	ck_assert_int_eq(calls, 2);
	podlog_close(l); /* once */
	ck_assert_int_eq(calls, 2);
	podlog_write(l, 2, false, "late", 4); /* nothing after the end */
	ck_assert_uint_eq(podlog_end(l), 1);
	podlog_unlisten(l, count, &calls);
	podlog_unref(l);
	/* the other reference still reads it */
	ck_assert_str_eq(line(r, 0), "a");
	podlog_unref(r);
	podlog_unref(NULL);
	podlog_close(NULL);
}
END_TEST

/* --- PodLogOptions ---------------------------------------------------------- */

static const char *const *qargs;

static const char *arg(void *ud, const char *key)
{
	(void)ud;
	for (size_t i = 0; qargs[i]; i += 2)
		if (strcmp(qargs[i], key) == 0)
			return qargs[i + 1];
	return NULL;
}

/* Parse the NULL-terminated key/value pairs at t = 1,000,000 s. */
static int parse(struct podlog_query *q, char **msg, const char *const *kv)
{
	qargs = kv;
	return podlog_query_parse(arg, NULL, 1000000000, "web-1", q, msg);
}

START_TEST(test_query_defaults)
{
	struct podlog_query q;
	char *msg;
	ck_assert_int_eq(parse(&q, &msg, (const char *const[]){NULL}), 0);
	ck_assert_ptr_null(msg);
	ck_assert_ptr_null(q.container);
	ck_assert(!q.follow && !q.previous && !q.timestamps);
	ck_assert_int_eq(q.tail, -1);
	ck_assert_int_eq(q.limit, -1);
	ck_assert(q.since_ms == INT64_MIN);
	ck_assert_int_eq(
	    parse(&q, &msg,
		  (const char *const[]){"container", "app", "follow", "true", "previous", "1",
					"timestamps", "true", "tailLines", "0", "limitBytes", "10",
					"sinceSeconds", "60", NULL}),
	    0);
	ck_assert_str_eq(q.container, "app");
	ck_assert(q.follow && q.previous && q.timestamps);
	ck_assert_int_eq(q.tail, 0);
	ck_assert_int_eq(q.limit, 10);
	ck_assert_int_eq(q.since_ms, 1000000000 - 60000);
	ck_assert_int_eq(
	    parse(&q, &msg, (const char *const[]){"sinceTime", "2026-12-07T06:31:19Z", NULL}), 0);
	ck_assert_int_eq(q.since_ms, 1796625079000LL);
	ck_assert(podlog_query_wants(&q, 1796625079000LL));
	ck_assert(!podlog_query_wants(&q, 1796625078999LL));
}
END_TEST

static void expect_error(const char *const *kv, int code, const char *want)
{
	struct podlog_query q;
	char *msg = NULL;
	ck_assert_int_eq(parse(&q, &msg, kv), code);
	ck_assert_ptr_nonnull(msg);
	ck_assert_str_eq(msg, want);
	free(msg);
}

/* ValidatePodLogOptions' messages in NewInvalid's form, and the codec's 400s. */
START_TEST(test_query_errors)
{
	expect_error((const char *const[]){"tailLines", "-1", NULL}, 422,
		     "PodLogOptions \"web-1\" is invalid: tailLines: Invalid value: -1: must be "
		     "greater than or equal to 0");
	expect_error((const char *const[]){"limitBytes", "0", NULL}, 422,
		     "PodLogOptions \"web-1\" is invalid: limitBytes: Invalid value: 0: must be "
		     "greater than 0");
	expect_error((const char *const[]){"sinceSeconds", "0", NULL}, 422,
		     "PodLogOptions \"web-1\" is invalid: sinceSeconds: Invalid value: 0: must be "
		     "greater than 0");
	expect_error(
	    (const char *const[]){"sinceSeconds", "5", "sinceTime", "2026-12-07T06:31:19Z", NULL},
	    422,
	    "PodLogOptions \"web-1\" is invalid: : Forbidden: at most one of `sinceTime` or "
	    "`sinceSeconds` may be specified");
	expect_error((const char *const[]){"tailLines", "-2", "limitBytes", "-5", NULL}, 422,
		     "PodLogOptions \"web-1\" is invalid: [tailLines: Invalid value: -2: must be "
		     "greater than or equal to 0, limitBytes: Invalid value: -5: must be greater "
		     "than 0]");
	expect_error((const char *const[]){"tailLines", "ten", NULL}, 400,
		     "tailLines: strconv.ParseInt: parsing \"ten\": invalid syntax");
	expect_error((const char *const[]){"follow", "yes", NULL}, 400,
		     "follow: strconv.ParseBool: parsing \"yes\": invalid syntax");
	expect_error((const char *const[]){"sinceTime", "yesterday", NULL}, 400,
		     "sinceTime: parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": "
		     "cannot parse");
}
END_TEST

START_TEST(test_query_tail_format)
{
	struct podlog *l = podlog_new(0);
	for (int i = 0; i < 5; i++)
		podlog_write(l, 1796625079123LL + i, false, "x", 1);
	struct podlog_query q;
	char *msg;
	ck_assert_int_eq(parse(&q, &msg, (const char *const[]){"tailLines", "2", NULL}), 0);
	ck_assert_uint_eq(podlog_query_start(l, &q), 3);
	q.tail = 0;
	ck_assert_uint_eq(podlog_query_start(l, &q), 5);
	q.tail = 50;
	ck_assert_uint_eq(podlog_query_start(l, &q), 0);
	q.tail = -1;
	ck_assert_uint_eq(podlog_query_start(l, &q), 0);
	podlog_unref(l);

	struct buf b = BUF_INIT;
	podlog_format(&b, 1796625079123LL, "hello", 5, true);
	podlog_format(&b, 1796625080000LL, "bye", 3, false);
	ck_assert_str_eq(b.data, "2026-12-07T06:31:19.123000000Z hello\nbye\n");
	buf_free(&b);
}
END_TEST

/* --- what the processes print ------------------------------------------------ */

static struct procsim *start_logged(const char *const *argv, size_t argc, const char *image,
				    struct podlog *l, int64_t t)
{
	struct procsim *p = procsim_start(argv, argc, procimage_find(image), t);
	procsim_set_log(p, l);
	return p;
}

static void free_all(struct procsim *p, struct procfs *fs, struct podlog *l)
{
	procsim_free(p);
	procfs_free(fs);
	podlog_unref(l);
}

START_TEST(test_shell_output)
{
	static const char *const argv[] = {
	    "sh", "-c",
	    "echo hello world; echo hidden > /tmp/f; echo gone >/dev/null; sleep 2; "
	    "printf \"x=%s\\n\" 1 2; cat /nope; echo -n no-newline"};
	struct podlog *l = podlog_new(0);
	struct procfs *fs = procfs_new();
	struct procsim *p = start_logged(argv, 3, "busybox", l, 10000);
	procsim_run(p, 60000, fs, NULL);
	ck_assert(procsim_exited(p));
	ck_assert_uint_eq(podlog_end(l), 4);
	ck_assert_str_eq(line(l, 0), "hello world");
	ck_assert_int_eq(line_t(l, 0), 10000);
	ck_assert_str_eq(line(l, 1), "x=1");
	ck_assert_str_eq(line(l, 2), "x=2");
	ck_assert_int_eq(line_t(l, 2), 12000);
	ck_assert_str_eq(line(l, 3), "cat: can't open '/nope': No such file or directory");
	ck_assert(!podlog_closed(l));
	procsim_free(p); /* the container ends: the last partial line, then the end */
	ck_assert_uint_eq(podlog_end(l), 5);
	ck_assert_str_eq(line(l, 4), "no-newline");
	ck_assert(podlog_closed(l));
	ck_assert(procfs_exists(fs, "/tmp/f"));
	procfs_free(fs);
	podlog_unref(l);
}
END_TEST

/* 10,000 lines a second: every line at its own time, printed in batches. */
START_TEST(test_loggen_rate)
{
	static const char *const argv[] = {"loggen", "--rate", "10000", "--size", "40"};
	struct podlog *l = podlog_new(0);
	struct procfs *fs = procfs_new();
	struct procsim *p = start_logged(argv, 5, "podscope/loggen", l, 5000);
	procsim_run(p, 5000, fs, NULL);
	ck_assert_uint_eq(podlog_end(l), 1);
	ck_assert_int_eq(procsim_wake(p), 5100);
	int wakes = 0;
	while (procsim_wake(p) <= 6000) {
		procsim_run(p, procsim_wake(p), fs, NULL);
		wakes++;
	}
	ck_assert_int_eq(wakes, 10);
	ck_assert_uint_eq(podlog_end(l), 10001);
	ck_assert_int_eq(line_t(l, 10000), 6000);
	ck_assert_int_eq(line_t(l, 5), 5000); /* 0.5 ms apart: same millisecond */
	ck_assert_int_eq(line_t(l, 10), 5001);
	ck_assert_str_eq(line(l, 0), "loggen line 1 abcdefghijklmnopqrstuvwxyz");
	ck_assert_uint_eq(strlen(line(l, 9999)), 40);
	/* an hour at once: only what the log keeps is made */
	procsim_run(p, 5000 + 3600000, fs, NULL);
	ck_assert_uint_lt(podlog_end(l), 10001 + PODLOG_CAP_BYTES / 40 + 2);
	ck_assert_uint_le(podlog_bytes(l), PODLOG_CAP_BYTES);
	ck_assert_str_eq(line(l, podlog_end(l) - 1), "loggen line 36000001 abcdefghijklmnopqrs");
	ck_assert_int_eq(line_t(l, podlog_end(l) - 1), 5000 + 3600000);
	ck_assert(!procsim_exited(p));
	procsim_sigterm(p, 5000 + 3600000);
	ck_assert_str_eq(line(l, podlog_end(l) - 1), "loggen: SIGTERM after 36000001 lines");
	free_all(p, fs, l);
}
END_TEST

START_TEST(test_loggen_count)
{
	static const char *const argv[] = {"sh", "-c",
					   "loggen --rate 4 --count 6 --exit 3; echo after"};
	struct podlog *l = podlog_new(0);
	struct procfs *fs = procfs_new();
	struct procsim *p = start_logged(argv, 3, "busybox", l, 0);
	procsim_run(p, 100000, fs, NULL);
	ck_assert(procsim_exited(p));
	ck_assert_uint_eq(podlog_end(l), 7);
	ck_assert_int_eq(line_t(l, 5), 1250);
	ck_assert_str_eq(line(l, 6), "after");
	ck_assert_int_eq(line_t(l, 6), 1250);
	ck_assert_int_eq(procsim_exit_code(p), 0); /* echo's status */
	free_all(p, fs, l);
}
END_TEST

START_TEST(test_nginx_and_stress)
{
	size_t argc;
	char **argv = procsim_argv(NULL, 0, NULL, 0, procimage_find("nginx:1.27"), &argc);
	struct podlog *l = podlog_new(0);
	struct procfs *fs = procfs_new();
	struct procsim *p =
	    start_logged((const char *const *)argv, argc, "nginx:1.27", l, 1796625079000LL);
	procsim_argv_free(argv);
	procsim_run(p, 1796625079000LL, fs, NULL);
	ck_assert_uint_eq(podlog_end(l), 4);
	ck_assert_str_eq(line(l, 0),
			 "/docker-entrypoint.sh: Configuration complete; ready for start up");
	ck_assert_str_eq(line(l, 3), "2026/12/07 06:31:19 [notice] 1#1: start worker process 29");
	procsim_http_request(p, 1796625084500LL, "10.244.1.1", "/healthz", 200, "kube-probe/1.32");
	ck_assert_str_eq(line(l, 4), "10.244.1.1 - - [07/Dec/2026:06:31:24 +0000] \"GET /healthz "
				     "HTTP/1.1\" 200 615 \"-\" \"kube-probe/1.32\" \"-\"");
	ck_assert_int_eq(line_t(l, 4), 1796625084500LL);
	procsim_sigterm(p, 1796625090000LL);
	ck_assert_str_eq(line(l, 5),
			 "2026/12/07 06:31:30 [notice] 1#1: signal 15 (SIGTERM) received, exiting");
	free_all(p, fs, l);

	static const char *const stress[] = {"stress", "--vm", "1", "--vm-bytes", "250M"};
	l = podlog_new(0);
	fs = procfs_new();
	p = start_logged(stress, 5, "polinux/stress", l, 0);
	procsim_set_mem_limit(p, 100 * 1048576LL);
	procsim_run(p, 1000, fs, NULL);
	ck_assert(procsim_oom_killed(p));
	ck_assert_str_eq(line(l, 0),
			 "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd");
	ck_assert_str_eq(line(l, 1), "stress: FAIL: [1] (415) <-- worker 7 got signal 9");
	free_all(p, fs, l);
}
END_TEST

/* --- the kubelet's logs --------------------------------------------------- */

static const char *cid_at(const char *pod, const char *path)
{
	return tk_str(tk_pod(pod), path);
}

static bool restarted_twice(const char *name)
{
	return tk_num(tk_pod(name), "status.containerStatuses.0.restartCount") >= 2;
}

static bool restarted(const char *name)
{
	return tk_num(tk_pod(name), "status.containerStatuses.0.restartCount") >= 1;
}

/* The current and the previous instance, each by its container ID; one more
 * restart drops the oldest. */
START_TEST(test_kubelet_previous)
{
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: crash\n"
		  "spec:\n  containers:\n  - name: app\n    image: busybox\n"
		  "    command: [\"sh\", \"-c\", \"echo run; sleep 1; echo boom >&2; exit 3\"]\n");
	ck_assert(tk_wait(restarted, "crash", 120));
	char *first = strdup(cid_at("crash", "status.containerStatuses.0.lastState.terminated."
					     "containerID"));
	struct podlog *l = kubelet_pod_log(&tk_sim, "default", "crash", "app", first);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(podlog_end(l), 2);
	ck_assert_str_eq(line(l, 0), "run");
	ck_assert_str_eq(line(l, 1), "boom");
	ck_assert(podlog_closed(l));
	ck_assert_ptr_null(kubelet_pod_log(&tk_sim, "default", "crash", "other", first));
	ck_assert_ptr_null(kubelet_pod_log(&tk_sim, "default", "nope", "app", first));
	ck_assert(tk_wait(restarted_twice, "crash", 120));
	/* the first instance's log is gone from the kubelet; ours still reads */
	ck_assert_ptr_null(kubelet_pod_log(&tk_sim, "default", "crash", "app", first));
	ck_assert_str_eq(line(l, 0), "run");
	podlog_unref(l);
	free(first);
}
END_TEST

static bool running(const char *name)
{
	return tk_is_status("Running", name);
}

/* A deleted pod: nginx says it stops, the log ends, the kubelet lets it go. */
START_TEST(test_kubelet_delete)
{
	tk_create("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
		  "  containers:\n  - {name: web, image: 'nginx:1.27'}\n");
	ck_assert(tk_wait(running, "web", 30));
	char *cid = strdup(cid_at("web", "status.containerStatuses.0.containerID"));
	struct podlog *l = kubelet_pod_log(&tk_sim, "default", "web", "web", cid);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(podlog_end(l), 4);
	cJSON *c = cJSON_Duplicate(tk_pod("web"), 1);
	char when[40];
	simclock_format(tk_now() + 30000, when, sizeof(when));
	simjson_set_string(simjson_object(c, "metadata"), "deletionTimestamp", when);
	simjson_set_number(simjson_object(c, "metadata"), "deletionGracePeriodSeconds", 30);
	ck_assert_int_eq(simstore_update(tk_sim.store, simres_find("", "v1", "pods"), c, 0, NULL),
			 SIMSTORE_OK);
	ck_assert(tk_wait(tk_gone, "web", 5));
	ck_assert(podlog_closed(l));
	ck_assert_uint_eq(podlog_end(l), 6);
	ck_assert_ptr_nonnull(strstr(line(l, 4), "[notice] 1#1: signal 15 (SIGTERM) received"));
	ck_assert_ptr_null(kubelet_pod_log(&tk_sim, "default", "web", "web", cid));
	podlog_unref(l);
	free(cid);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_logs");
	TCase *tc = tcase_create("ring");
	tcase_add_test(tc, test_ring_basic);
	tcase_add_test(tc, test_ring_cap);
	tcase_add_test(tc, test_ring_close_listen);
	suite_add_tcase(s, tc);
	tc = tcase_create("query");
	tcase_add_test(tc, test_query_defaults);
	tcase_add_test(tc, test_query_errors);
	tcase_add_test(tc, test_query_tail_format);
	suite_add_tcase(s, tc);
	tc = tcase_create("procsim");
	tcase_add_test(tc, test_shell_output);
	tcase_add_test(tc, test_loggen_rate);
	tcase_add_test(tc, test_loggen_count);
	tcase_add_test(tc, test_nginx_and_stress);
	suite_add_tcase(s, tc);
	tc = tcase_create("kubelet");
	tcase_add_checked_fixture(tc, tk_setup, tk_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_kubelet_previous);
	tcase_add_test(tc, test_kubelet_delete);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
