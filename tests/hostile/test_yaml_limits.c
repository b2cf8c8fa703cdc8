#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "podscope/buf.h"
#include "podscope/yamljson.h"
#include "yamlpos.h"
#include "testutil.h"

/*
 * The YAML reader's limits: alias bombs of every shape, deep nesting, too
 * many nodes, keys set twice. Each hostile input must be refused with
 * NAME:LINE:COLUMN and the limit, in bounded memory and time.
 */

#define ck_assert_contains(hay, needle)                                                            \
	ck_assert_msg(strstr((hay), (needle)) != NULL, "\"%s\" does not contain \"%s\"", (hay),    \
		      (needle))

/* Peak RSS of a child that parses text, in MiB; the message via msg.
 * Under CK_FORK=no (valgrind) the child's peak is valgrind's: -1. */
static long parse_peak_mib(const char *text, size_t len, bool unique, char *msg, size_t n)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		struct perr e = {0};
		cJSON *j = unique ? yamljson_parse_unique("bomb.yaml", text, len, &e)
				  : yamljson_parse_all("bomb.yaml", text, len, &e);
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		char out[600];
		int k = snprintf(out, sizeof(out), "%ld %s", j ? -1L : ru.ru_maxrss / 1024,
				 j ? "(accepted)" : perr_msg(&e));
		ssize_t w = write(fds[1], out, (size_t)k);
		_exit(w == k ? 0 : 1);
	}
	close(fds[1]);
	char out[600];
	size_t got = 0;
	ssize_t r;
	while ((r = read(fds[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += (size_t)r;
	close(fds[0]);
	out[got] = '\0';
	int status;
	waitpid(pid, &status, 0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the parse died: %d", status);
	char *sp = strchr(out, ' ');
	ck_assert_ptr_nonnull(sp);
	snprintf(msg, n, "%s", sp + 1);
	long mib = strtol(out, NULL, 10);
	const char *fork_env = getenv("CK_FORK");
	return fork_env && !strcmp(fork_env, "no") ? -1 : mib;
}

/* A bound for the peak RSS of a large input, which AddressSanitizer's red
 * zones and quarantine (256 MB here) inflate: the bombs stay within 100 MB
 * even so, a legitimate two million nodes do not. */
#if defined(__SANITIZE_ADDRESS__)
#define BIG_RSS_MIB 2048
#else
#define BIG_RSS_MIB 400
#endif

static void assert_refused(const char *text, const char *what)
{
	char msg[600];
	time_t t0 = time(NULL);
	long mib = parse_peak_mib(text, strlen(text), false, msg, sizeof(msg));
	ck_assert_msg(strncmp(msg, "bomb.yaml:", 10) == 0, "not refused with a place: %s", msg);
	ck_assert_contains(msg, what);
	ck_assert_msg(mib < 100, "peak RSS %ld MiB", mib);
	ck_assert_msg(time(NULL) - t0 < 20, "took %ld s", (long)(time(NULL) - t0));
}

/* s, n times. */
static void rep(struct buf *b, const char *s, int n)
{
	for (int i = 0; i < n; i++)
		buf_adds(b, s);
}

/* The classic: 9 levels, each ten times the one before (10^9 strings). */
START_TEST(billion_laughs_is_refused)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "l0: &l0 \"lol\"\n");
	for (int i = 1; i <= 9; i++) {
		buf_printf(&b, "l%d: &l%d [", i, i);
		for (int j = 0; j < 10; j++)
			buf_printf(&b, "%s*l%d", j ? ", " : "", i - 1);
		buf_adds(&b, "]\n");
	}
	buf_addc(&b, '\0');
	assert_refused(b.data, "excessive aliasing");
	buf_free(&b);
}
END_TEST

/* The 536-byte kubeconfig of the report: nested anchors inside the lists
 * kubectl reads. */
START_TEST(kubeconfig_shaped_bomb_is_refused)
{
	const char *y = "apiVersion: v1\nkind: Config\n"
			"x: &a [\"xxxxxxxx\",\"xxxxxxxx\",\"xxxxxxxx\",\"xxxxxxxx\",\"xxxxxxxx\"]\n"
			"y: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
			"z: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
			"w: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
			"v: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
			"u: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
			"clusters:\n- name: c\n  cluster:\n    server: https://h\n    extensions: [*f,*f,*f,*f]\n";
	assert_refused(y, "excessive aliasing");
}
END_TEST

/* One name, anchored again on a node made of its own aliases: doubling
 * with no new name. */
START_TEST(reanchored_doubling_is_refused)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "- &a [x, y]\n");
	for (int i = 0; i < 60; i++)
		buf_adds(&b, "- &a [*a, *a]\n");
	buf_addc(&b, '\0');
	assert_refused(b.data, "excessive aliasing");
	buf_free(&b);
}
END_TEST

/* Merge keys expand aliases too. */
START_TEST(merge_key_bomb_is_refused)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "a0: &a0 {k0: 1, k1: 2, k2: 3, k3: 4}\n");
	for (int i = 1; i <= 30; i++)
		buf_printf(&b, "a%d: &a%d {x%d: [*a%d, *a%d], <<: *a%d}\n", i, i, i, i - 1, i - 1,
			   i - 1);
	buf_addc(&b, '\0');
	assert_refused(b.data, "excessive aliasing");
	buf_free(&b);
}
END_TEST

/* An anchor on a large plain node costs a copy: many such anchors nested
 * inside each other would copy the same nodes over and over. */
START_TEST(nested_anchor_copies_are_counted)
{
	struct buf b = BUF_INIT;
	rep(&b, "&a [", 200);
	rep(&b, "1,", 5000);
	buf_adds(&b, "1");
	rep(&b, "]", 200);
	buf_adds(&b, "\n");
	buf_addc(&b, '\0');
	assert_refused(b.data, "excessive aliasing");
	buf_free(&b);
}
END_TEST

START_TEST(too_many_aliases_are_refused)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "a: &a 1\nb: [");
	rep(&b, "*a,", YAMLJSON_MAX_ALIASES + 1);
	buf_adds(&b, "1]\n");
	buf_addc(&b, '\0');
	assert_refused(b.data, "more than 10000 aliases");
	buf_free(&b);
}
END_TEST

START_TEST(too_many_anchors_are_refused)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < YAMLJSON_MAX_ANCHORS + 1; i++)
		buf_printf(&b, "k%d: &n%d %d\n", i, i, i);
	buf_addc(&b, '\0');
	assert_refused(b.data, "more than 1000 anchors");
	buf_free(&b);
}
END_TEST

START_TEST(deep_nesting_is_refused)
{
	struct buf b = BUF_INIT;
	rep(&b, "[", 100000);
	buf_addc(&b, '\0');
	assert_refused(b.data, "nested more than 256 levels deep");
	buf_reset(&b);
	for (int i = 0; i < 300; i++)
		buf_printf(&b, "%*sk:\n", i * 2, "");
	buf_addc(&b, '\0');
	assert_refused(b.data, "nested more than 256 levels deep");
	buf_free(&b);
}
END_TEST

/* Each level within the limit, but an alias puts a deep node deep down:
 * the result would be nested beyond what any walk of it may recurse. */
START_TEST(deep_nesting_through_aliases_is_refused)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "a: &a ");
	rep(&b, "[", 200);
	rep(&b, "]", 200);
	buf_adds(&b, "\nb: ");
	rep(&b, "[", 100);
	buf_adds(&b, "*a");
	rep(&b, "]", 100);
	buf_adds(&b, "\n");
	buf_addc(&b, '\0');
	assert_refused(b.data, "(aliases included)");
	buf_free(&b);
}
END_TEST

START_TEST(too_many_nodes_are_refused)
{
	struct buf b = BUF_INIT;
	buf_addc(&b, '[');
	rep(&b, "1,", YAMLJSON_MAX_NODES);
	buf_adds(&b, "1]\n");
	char msg[600];
	long mib = parse_peak_mib(b.data, b.len, false, msg, sizeof(msg));
	ck_assert_contains(msg, "bomb.yaml:1:");
	ck_assert_contains(msg, "more than 2000000 nodes");
	ck_assert_msg(mib < BIG_RSS_MIB, "peak RSS %ld MiB", mib);
	buf_free(&b);
}
END_TEST

START_TEST(oversize_stream_is_refused)
{
	size_t len = (size_t)YAMLJSON_MAX_BYTES + 1;
	char *big = malloc(len); /* never touched: refused on its length */
	ck_assert_ptr_nonnull(big);
	struct perr e = {0};
	ck_assert_ptr_null(yamljson_parse("big.yaml", big, len, &e));
	ck_assert_str_eq(perr_msg(&e), "big.yaml: larger than 64 MiB, refused");
	perr_clear(&e);
	free(big);
}
END_TEST

/* What kubeconfigs and manifests do with anchors stays allowed. */
START_TEST(ordinary_aliases_still_work)
{
	const char *y = "defaults: &d {image: nginx, ports: [80, 443]}\n"
			"a: {<<: *d, name: a}\nb: {<<: *d, name: b, image: redis}\nc: *d\n";
	struct perr e = {0};
	cJSON *j = yamljson_parse("ok.yaml", y, strlen(y), &e);
	ck_assert_msg(j != NULL, "%s", perr_msg(&e));
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "b"), "image")->valuestring,
			 "redis");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "a"), "image")->valuestring,
			 "nginx");
	ck_assert_int_eq(
	    cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "c"), "ports")), 2);
	cJSON_Delete(j);
}
END_TEST

/* kubectl's reader: the last value of a key set twice wins, silently. */
START_TEST(key_set_twice_last_wins)
{
	const char *y = "a: 1\nb: {x: 1, x: 2}\na: 3\n";
	struct perr e = {0};
	cJSON *j = yamljson_parse("k.yaml", y, strlen(y), &e);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "a")->valueint, 3);
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "b"), "x")->valueint, 2);
	ck_assert_int_eq(cJSON_GetArraySize(j), 2);
	ck_assert_str_eq(j->child->string, "b"); /* the last one, where it stands */
	cJSON_Delete(j);
}
END_TEST

START_TEST(key_set_twice_is_an_error_when_unique)
{
	const char *y = "theme: dark\nreadonly: true\nrefresh: 1s\nreadonly: false\n";
	struct perr e = {0};
	ck_assert_ptr_null(yamljson_parse_unique("/c/config.yaml", y, strlen(y), &e));
	ck_assert_str_eq(perr_msg(&e),
			 "/c/config.yaml:4:1: key \"readonly\" is set twice (first on line 2)");
	const char *nested = "roles:\n  title: {fg: red}\n  ok: {fg: red, fg: blue}\n";
	ck_assert_ptr_null(yamljson_parse_unique("t.yaml", nested, strlen(nested), &e));
	ck_assert_str_eq(perr_msg(&e), "t.yaml:3:17: key \"fg\" is set twice (first on line 3)");
	/* A key that a merge also brings is no mistake: the mapping's own wins. */
	const char *merged = "base: &b {fg: red, bg: blue}\nrole: {<<: *b, fg: green}\n";
	cJSON *j = yamljson_parse_unique("m.yaml", merged, strlen(merged), &e);
	ck_assert_msg(j != NULL, "%s", perr_msg(&e));
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "role"), "fg")->valuestring,
			 "green");
	cJSON_Delete(j);
	/* Control bytes in a key never reach the message. */
	const char *ctl = "\"a\\e]0;x\\a\": 1\n\"a\\e]0;x\\a\": 2\n";
	ck_assert_ptr_null(yamljson_parse_unique("c.yaml", ctl, strlen(ctl), &e));
	ck_assert_str_eq(perr_msg(&e), "c.yaml:2:1: key \"a?]0;x?\" is set twice (first on line 1)");
	perr_clear(&e);
}
END_TEST

/* Merge order: own keys, then the first merged mapping that has the key. */
START_TEST(merge_precedence)
{
	const char *y = "a: &a {k: a, x: 1}\nb: &b {k: b, y: 2}\n"
			"m: {<<: [*a, *b], z: 3}\nn: {k: own, <<: [*b, *a]}\n";
	struct perr e = {0};
	cJSON *j = yamljson_parse("m.yaml", y, strlen(y), &e);
	ck_assert_ptr_nonnull(j);
	cJSON *m = cJSON_GetObjectItem(j, "m"), *n = cJSON_GetObjectItem(j, "n");
	ck_assert_str_eq(cJSON_GetObjectItem(m, "k")->valuestring, "a");
	ck_assert_int_eq(cJSON_GetObjectItem(m, "y")->valueint, 2);
	ck_assert_int_eq(cJSON_GetArraySize(m), 4);
	ck_assert_str_eq(cJSON_GetObjectItem(n, "k")->valuestring, "own");
	ck_assert_int_eq(cJSON_GetArraySize(n), 3);
	cJSON_Delete(j);
}
END_TEST

/* A mapping with many keys costs n log n, not a search per key. */
START_TEST(large_mapping_is_linear)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < 300000; i++)
		buf_printf(&b, "key%d: %d\n", i, i);
	buf_adds(&b, "key7: last\n");
	struct perr e = {0};
	clock_t t0 = clock();
	cJSON *j = yamljson_parse("big.yaml", b.data, b.len, &e);
	double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
	ck_assert_msg(j != NULL, "%s", perr_msg(&e));
	ck_assert_str_eq(cJSON_GetObjectItem(j, "key7")->valuestring, "last");
	ck_assert_msg(s < 20, "300000 keys took %.1f s", s);
	cJSON_Delete(j);
	buf_free(&b);
}
END_TEST

/* The simulator's position index stays linear in its input: a long key
 * above a long list is not copied into the path of every item. */
START_TEST(yamlpos_memory_is_linear)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "? ");
	rep(&b, "k", 1 << 20);
	buf_adds(&b, "\n:\n");
	rep(&b, "- 1\n", 200000);
	struct yamlpos *pos = yamlpos_scan(b.data, b.len);
	ck_assert_ptr_nonnull(pos);
	struct buf path = BUF_INIT;
	rep(&path, "k", 1 << 20);
	buf_adds(&path, "/199999");
	unsigned line = 0, col = 0;
	ck_assert(yamlpos_find(pos, 0, path.data, false, &line, &col));
	ck_assert_uint_eq(line, 200002);
	ck_assert_uint_eq(col, 3);
	yamlpos_free(pos);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	const char *fork_env = getenv("CK_FORK");
	if (!fork_env || strcmp(fork_env, "no") != 0)
		ck_assert_msg(ru.ru_maxrss / 1024 < 100, "peak RSS %ld MiB", ru.ru_maxrss / 1024);
	/* Nesting beyond yamljson's limit is not indexed. */
	buf_reset(&b);
	rep(&b, "[", YAMLJSON_MAX_DEPTH + 1);
	rep(&b, "]", YAMLJSON_MAX_DEPTH + 1);
	ck_assert_ptr_null(yamlpos_scan(b.data, b.len));
	buf_free(&path);
	buf_free(&b);
}
END_TEST

static Suite *yaml_suite(void)
{
	Suite *s = suite_create("yaml_limits");
	TCase *tc = tcase_create("bombs");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, billion_laughs_is_refused);
	tcase_add_test(tc, kubeconfig_shaped_bomb_is_refused);
	tcase_add_test(tc, reanchored_doubling_is_refused);
	tcase_add_test(tc, merge_key_bomb_is_refused);
	tcase_add_test(tc, nested_anchor_copies_are_counted);
	tcase_add_test(tc, too_many_aliases_are_refused);
	tcase_add_test(tc, too_many_anchors_are_refused);
	tcase_add_test(tc, deep_nesting_is_refused);
	tcase_add_test(tc, deep_nesting_through_aliases_is_refused);
	tcase_add_test(tc, too_many_nodes_are_refused);
	tcase_add_test(tc, oversize_stream_is_refused);
	tcase_add_test(tc, yamlpos_memory_is_linear);
	suite_add_tcase(s, tc);
	tc = tcase_create("keys");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, ordinary_aliases_still_work);
	tcase_add_test(tc, key_set_twice_last_wins);
	tcase_add_test(tc, key_set_twice_is_an_error_when_unique);
	tcase_add_test(tc, merge_precedence);
	tcase_add_test(tc, large_mapping_is_linear);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(yaml_suite());
}
