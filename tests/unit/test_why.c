#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/duration.h"
#include "podscope/store.h"
#include "podscope/why.h"
#include "podscope/whylog.h"

#include "testutil.h"

/* The root cause in one line: the fixtures of tests/fixtures/why, each a
 * Deployment with its ReplicaSets, pods and events loaded into a store,
 * and the line (or its start) why_deployment must give. */

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int64_t ts(const char *s)
{
	int64_t ms = 0;
	ck_assert_int_eq(duration_parse_rfc3339(s, &ms, NULL), 0);
	return ms;
}

static struct store *load(const cJSON *objs)
{
	struct store *st = store_new();
	const cJSON *o;
	cJSON_ArrayForEach(o, objs)
	{
		int k = store_kind_parse(jstr(o, "kind"));
		ck_assert_int_ge(k, 0);
		ck_assert_int_eq(store_upsert_json(st, (enum store_kind)k, o, NULL), 1);
	}
	return st;
}

/* The last log line hook: "listening on :80" for every container. */
static bool fake_log(void *ud, const struct pod *p, const char *container, char *buf, size_t n)
{
	(void)p;
	(void)container;
	++*(int *)ud;
	snprintf(buf, n, "panic: listening on :80\n");
	return true;
}

static void check_fixture(const char *dir, const char *name)
{
	char path[8448];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *text = test_slurp(path);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	cJSON *doc = cJSON_Parse(text);
	ck_assert_msg(doc != NULL, "%s: not JSON", name);
	const cJSON *expect = cJSON_GetObjectItemCaseSensitive(doc, "expect");
	struct store *st = load(cJSON_GetObjectItemCaseSensitive(doc, "objects"));
	struct why w;
	const struct job *j = store_get_job(st, "default", "batch");
	if (j) {
		why_job(st, j, ts(jstr(doc, "now")), NULL, NULL, &w);
	} else {
		const struct deployment *d = store_get_deployment(st, "default", "web");
		ck_assert_msg(d != NULL, "%s: no deployment web nor job batch", name);
		why_deployment(st, d, ts(jstr(doc, "now")), NULL, NULL, &w);
	}
	const char *cause = jstr(expect, "cause"), *line = jstr(expect, "line"),
		   *prefix = jstr(expect, "prefix");
	ck_assert_msg(strcmp(why_cause_name(w.cause), cause) == 0, "%s: cause %s, want %s (%s)",
		      name, why_cause_name(w.cause), cause, w.line);
	if (line)
		ck_assert_msg(strcmp(w.line, line) == 0, "%s: line\n[%s]\nwant\n[%s]", name, w.line,
			      line);
	if (prefix)
		ck_assert_msg(strncmp(w.line, prefix, strlen(prefix)) == 0, "%s: [%s] not [%s...]",
			      name, w.line, prefix);
	const cJSON *settling = cJSON_GetObjectItemCaseSensitive(expect, "settling");
	if (cJSON_IsNumber(settling))
		ck_assert_msg(w.settling == settling->valueint, "%s: settling %d, want %d", name,
			      (int)w.settling, settling->valueint);
	/* Every line: one line, capped. */
	ck_assert_msg(!strchr(w.line, '\n') && !strchr(w.line, '\r') && !strchr(w.line, '\t'),
		      "%s: not one line", name);
	ck_assert_uint_lt(strlen(w.line), WHY_LINE);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(expect, "one_line")))
		ck_assert_msg(strstr(w.line, "...") != NULL, "%s: no mark of the cut", name);
	store_free(st);
	cJSON_Delete(doc);
	free(text);
}

START_TEST(test_fixtures)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/why", test_srcdir());
	DIR *dp = opendir(dir);
	ck_assert_msg(dp != NULL, "cannot open %s", dir);
	struct dirent *de;
	int n = 0;
	while ((de = readdir(dp))) {
		size_t l = strlen(de->d_name);
		if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0) {
			check_fixture(dir, de->d_name);
			n++;
		}
	}
	closedir(dp);
	ck_assert_int_ge(n, 20);
}
END_TEST

/* A hostile log line: long, with line ends, tabs and an escape. */
static bool long_log(void *ud, const struct pod *p, const char *container, char *buf, size_t n)
{
	(void)ud;
	(void)p;
	(void)container;
	memset(buf, 'x', n - 1);
	buf[n - 1] = '\0';
	memcpy(buf, "a\r\nb\tc\x1b[2J", 10);
	return true;
}

static why_log_fn hook = fake_log;

/* why_deployment over a fixture with the fake log hook; the times it was asked. */
static int hooked(const char *fixture, struct why *w)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/fixtures/why/%s", test_srcdir(), fixture);
	char *text = test_slurp(path);
	cJSON *doc = cJSON_Parse(text);
	struct store *st = load(cJSON_GetObjectItemCaseSensitive(doc, "objects"));
	int asked = 0;
	why_deployment(st, store_get_deployment(st, "default", "web"), ts(jstr(doc, "now")), hook,
		       &asked, w);
	store_free(st);
	cJSON_Delete(doc);
	free(text);
	return asked;
}

/* The log hook is asked for a crash loop, and its line is folded in. */
START_TEST(test_log_hook)
{
	struct why w;
	ck_assert_int_ge(hooked("crash-loop.json", &w), 1);
	ck_assert_str_eq(w.line, "3 new pods CrashLoopBackOff (exit 1), last log line: panic: "
				 "listening on :80");
}
END_TEST

/* An init container that waits: its time and its last log line; it counts
 * for --fail-fast (the caller times it). */
START_TEST(test_init_log)
{
	struct why w;
	ck_assert_int_eq(hooked("init-waiting.json", &w), 1);
	ck_assert_str_eq(w.line, "1 new pod waiting in init container wait-db (running 9m55s), "
				 "last log line: panic: listening on :80");
	ck_assert_int_eq(w.settling, 1);
}
END_TEST

/* The log line stays on one line and within WHY_LOG bytes, marked as cut;
 * its escape is left for the sanitiser that prints every why line. */
START_TEST(test_log_cap)
{
	struct why w;
	hook = long_log;
	hooked("crash-loop.json", &w);
	hook = fake_log;
	const char *l = strstr(w.line, ", last log line: ");
	ck_assert_ptr_nonnull(l);
	l += strlen(", last log line: ");
	ck_assert_msg(strncmp(l, "a b c\x1b[2Jxx", 11) == 0, "[%s]", l);
	ck_assert(!strchr(w.line, '\n') && !strchr(w.line, '\r') && !strchr(w.line, '\t'));
	ck_assert_uint_le(strlen(l), WHY_LOG + 3);
	ck_assert_str_eq(l + strlen(l) - 3, "...");
}
END_TEST

/* What blocks from outside the pods fails a wait by itself. */
START_TEST(test_blocked)
{
	struct why w = {0};
	for (int c = 0; c < WHY_NCAUSES; c++) {
		w.cause = (uint8_t)c;
		ck_assert_msg(why_blocked(&w) == (c == WHY_CREATE_FAILED || c == WHY_EVICTION),
			      "cause %s", why_cause_name((enum why_cause)c));
	}
	/* New pods ready or stuck: still blocked; one on its way: not yet. */
	w = (struct why){.cause = WHY_CREATE_FAILED, .new_pods = 3, .ready = 2, .settling = 1};
	ck_assert(why_blocked(&w));
	w.ready = 1;
	ck_assert(!why_blocked(&w));
	w.cause = WHY_EVICTION;
	ck_assert(!why_blocked(&w));
	w.settling = 2;
	ck_assert(why_blocked(&w));
}
END_TEST

/* The last line of a log answer: the kubelet's time prefix off, line ends
 * and empty lines at the end skipped, cut to the buffer. */
START_TEST(test_last_line)
{
	char b[16];
	const char *two = "2024-05-01T12:00:00.123456789Z first\r\n"
			  "2024-05-01T12:00:01Z panic: boom\n\n";
	ck_assert(whylog_last_line(two, strlen(two), b, sizeof(b)));
	ck_assert_str_eq(b, "panic: boom");
	ck_assert(whylog_last_line("no time\r\n", 9, b, sizeof(b)));
	ck_assert_str_eq(b, "no time");
	const char *lng = "0123456789abcdefghijklmnop";
	ck_assert(whylog_last_line(lng, strlen(lng), b, sizeof(b)));
	ck_assert_str_eq(b, "0123456789abcde");
	ck_assert(!whylog_last_line("\n\n", 2, b, sizeof(b)));
	ck_assert(!whylog_last_line("", 0, b, sizeof(b)));
	ck_assert(!whylog_last_line("2024-05-01T12:00:01Z \n", 22, b, sizeof(b)));
	/* A whylog without a client asks nothing and knows nothing. */
	ck_assert(!whylog_line(NULL, NULL, "app", b, sizeof(b)));
}
END_TEST

/* Empty input: nothing blocks, and nothing crashes. */
START_TEST(test_empty)
{
	struct why_in in = {0};
	struct why w;
	why_compute(&in, 0, &w);
	ck_assert_int_eq(w.cause, WHY_NONE);
	ck_assert_str_eq(w.line, "");
	ck_assert_str_eq(why_cause_name(WHY_NCAUSES), "");
}
END_TEST

/* Between two failures: a crash loop's next run, an image pull retried. */
START_TEST(test_retrying)
{
	struct lc_container c = {.name = "app", .stage = LC_WAITING_READY};
	struct lc_pod lp = {
	    .stage = LC_WAITING_READY, .decider = 0, .containers = &c, .n_containers = 1};
	ck_assert(!why_pod_retrying(&lp)); /* a first run, not ready yet */
	c.restarts = 3;
	c.has_exit = true;
	c.exit_code = 1;
	ck_assert(why_pod_retrying(&lp)); /* it crashed before: the loop goes on */
	c.exit_code = 0;
	ck_assert(!why_pod_retrying(&lp)); /* it exited 0 last time */
	c.signal = 9;
	ck_assert(why_pod_retrying(&lp));
	lp.stage = LC_READY;
	ck_assert(!why_pod_retrying(&lp)); /* ready: recovered */
	c = (struct lc_container){
	    .name = "app", .stage = LC_IMAGE_PULL_BACKOFF, .reason = "ErrImagePull"};
	lp.stage = LC_IMAGE_PULL_BACKOFF;
	ck_assert(why_pod_retrying(&lp));
	c.stage = LC_PULLING;
	lp.stage = LC_PULLING;
	ck_assert(why_pod_retrying(&lp));
	lp.decider = -1; /* the pod decided: nothing to go on */
	ck_assert(!why_pod_retrying(&lp));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("why");
	TCase *tc = tcase_create("why");
	tcase_add_test(tc, test_fixtures);
	tcase_add_test(tc, test_log_hook);
	tcase_add_test(tc, test_init_log);
	tcase_add_test(tc, test_blocked);
	tcase_add_test(tc, test_last_line);
	tcase_add_test(tc, test_log_cap);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_retrying);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
