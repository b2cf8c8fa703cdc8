#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "podscope/buf.h"
#include "podscope/kfile.h"
#include "podscope/xalloc.h"

#include "test_kubeconfig.h"

/*
 * Reading the files: what is not a regular file or is too large is refused
 * before it can block or fill memory, and a kubeconfig with many entries
 * loads in time linear in its size.
 */

/* Under CK_FORK=no (valgrind) time and memory are valgrind's. */
static bool measured(void)
{
	const char *f = getenv("CK_FORK");
	return !f || strcmp(f, "no") != 0;
}

START_TEST(fifo_is_refused_without_blocking)
{
	char *fifo = xasprintf("%s/fifo", kct_tmp());
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	/* Blocking would end in the test's timeout. */
	char *msg = kct_load_err(fifo, NULL);
	char *want = xasprintf("cannot read kubeconfig %s: not a regular file (a FIFO)", fifo);
	ck_assert_str_eq(msg, want);
	free(msg);
	free(want);
	/* In $KUBECONFIG too: only a missing file is skipped. */
	setenv("KUBECONFIG", fifo, 1);
	msg = kct_load_err(NULL, NULL);
	ck_assert_contains(msg, "not a regular file (a FIFO)");
	free(msg);
	free(fifo);
}
END_TEST

START_TEST(devices_are_refused)
{
	char *msg = kct_load_err("/dev/zero", NULL);
	ck_assert_str_eq(msg,
			 "cannot read kubeconfig /dev/zero: not a regular file (a character device)");
	free(msg);
	msg = kct_load_err("/dev/null", NULL);
	ck_assert_contains(msg, "(a character device)");
	free(msg);
}
END_TEST

START_TEST(oversize_is_refused_before_reading)
{
	char *big = kct_write("big.yaml", "");
	ck_assert_int_eq(truncate(big, (off_t)KFILE_MAX_KUBECONFIG + 1), 0);
	char *msg = kct_load_err(big, NULL);
	ck_assert_contains(msg, "larger than 32 MiB");
	free(msg);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	if (measured())
		ck_assert_msg(ru.ru_maxrss / 1024 < 32, "peak RSS %ld MiB", ru.ru_maxrss / 1024);
	free(big);
}
END_TEST

/* Files in /proc say they are empty: the limit holds while reading. */
START_TEST(growing_file_is_capped_while_read)
{
	size_t len = 0;
	struct perr e = {0};
	errno = 0;
	ck_assert_ptr_null(kfile_read("/proc/self/status", 64, &len, &e, "%s", "status"));
	ck_assert_int_eq(errno, EFBIG);
	ck_assert_str_eq(perr_msg(&e), "cannot read status: larger than 64 bytes");
	char *s = kfile_read("/proc/self/status", KFILE_MAX_UI, &len, &e, "%s", "status");
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_gt(len, 64);
	ck_assert_uint_eq(strlen(s), len);
	free(s);
	errno = 0;
	ck_assert_ptr_null(kfile_read("/nonexistent/x", 10, &len, &e, "theme %s", "/nonexistent/x"));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(perr_msg(&e), "cannot read theme /nonexistent/x: No such file or directory");
	perr_clear(&e);
}
END_TEST

/* A certificate file named by the kubeconfig goes through the same reader. */
START_TEST(named_files_are_refused_too)
{
	char *fifo = xasprintf("%s/ca.crt", kct_tmp());
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	char *kc = kct_write("kc.yaml", "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
					"clusters:\n- name: k\n  cluster:\n"
					"    server: https://h:1\n    certificate-authority: ca.crt\n"
					"contexts:\n- name: c\n  context: {cluster: k}\n");
	char *msg = kct_load_err(kc, NULL);
	char *want = xasprintf("cannot read certificate-authority %s for cluster \"k\": not a "
			       "regular file (a FIFO)",
			       fifo);
	ck_assert_str_eq(msg, want);
	free(want);
	free(msg);
	free(kc);
	free(fifo);
}
END_TEST

static char *many_clusters(size_t n)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "- name: cluster-%zu\n  cluster:\n    server: https://10.0.0.1:6443\n",
			   i);
	buf_printf(&b, "contexts:\n- name: c\n  context: {cluster: cluster-%zu, user: u}\n"
		       "users:\n- name: u\n  user: {token: t}\n",
		   n - 1);
	char *path = kct_write("many.yaml", b.data);
	buf_free(&b);
	return path;
}

/* 300,000 clusters: decoding, the check for names used twice and the merge
 * are n log n (they were quadratic: more than a minute). The bound is a
 * guard against that, not a benchmark. */
START_TEST(many_clusters_load_in_linear_time)
{
	size_t n = measured() ? 300000 : 30000;
	char *path = many_clusters(n);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct kc_conn *c = kct_load(path, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	char *want = xasprintf("cluster-%zu", n - 1);
	ck_assert_str_eq(c->cluster_name, want);
	if (measured())
		ck_assert_msg(s < 60, "%zu clusters took %.1f s", n, s);
	kc_conn_free(c);
	/* A message names 50 of them, not 300,000. */
	struct kc_options opt = {.kubeconfig = path, .cluster = "nope"};
	char *msg = kct_load_opt_err(&opt);
	ck_assert_contains(msg, "\"cluster-100\", ");
	char *more = xasprintf(" and %zu more", n - 50);
	ck_assert_contains(msg, more);
	ck_assert_uint_lt(strlen(msg), 2000);
	free(more);
	free(msg);
	free(want);
	free(path);
}
END_TEST

/* kubectl: a name used twice in one list is refused, the first pair named. */
START_TEST(name_used_twice_names_the_first_pair)
{
	char *kc = kct_write("dup.yaml", "clusters:\n- name: b\n- name: a\n- name: c\n- name: a\n"
					 "- name: b\n- name: a\n");
	char *msg = kct_load_err(kc, NULL);
	char *want = xasprintf("%s: clusters[1] and clusters[3] have the same name \"a\"", kc);
	ck_assert_str_eq(msg, want);
	free(want);
	free(msg);
	free(kc);
}
END_TEST

/* kubectl (v1.32): a key set twice keeps its last value, in YAML and in
 * JSON alike, silently. */
START_TEST(key_set_twice_keeps_the_last_value)
{
	char *y = kct_write("dup.yaml", "clusters:\n- name: a\n  cluster:\n"
					"    server: https://one:1\n    server: https://two:2\n"
					"contexts:\n- name: c\n  context: {cluster: a}\n"
					"current-context: x\ncurrent-context: c\n");
	struct kc_conn *c = kct_load(y, NULL);
	ck_assert_str_eq(c->server, "https://two:2");
	kc_conn_free(c);
	char *j = kct_write("dup.json", "{\"clusters\": [{\"name\": \"a\", \"cluster\": "
					"{\"server\": \"https://one:1\",\t\"server\": "
					"\"https://two:2\"}}],\n\t\"contexts\": [{\"name\": \"c\", "
					"\"context\": {\"cluster\": \"a\"}}],\n"
					"\t\"current-context\": \"c\"}\n");
	c = kct_load(j, NULL);
	ck_assert_str_eq(c->server, "https://two:2");
	kc_conn_free(c);
	free(j);
	free(y);
}
END_TEST

/* --context a,b,c, --contexts REGEX, --all-contexts. */
START_TEST(fleet_contexts_choose_and_refuse)
{
	char *kc = kct_write("fleet.yaml",
			     "apiVersion: v1\nkind: Config\ncurrent-context: staging\n"
			     "clusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\n"
			     "users:\n- name: u\n  user: {}\n"
			     "contexts:\n"
			     "- name: prod-us\n  context: {cluster: c, user: u}\n"
			     "- name: staging\n  context: {cluster: c, user: u}\n"
			     "- name: prod-eu\n  context: {cluster: c, user: u}\n"
			     "- name: 'odd,name'\n  context: {cluster: c, user: u}\n");
	struct kc_options o = {.kubeconfig = kc};
	struct perr err = {0};
	char **names = NULL;
	/* One context: none chosen here. */
	ck_assert_uint_eq(kc_fleet_contexts(&o, NULL, false, &names, &err), 0);
	ck_assert_ptr_null(names);
	ck_assert_int_eq(err.kind, PERR_NONE);
	o.context = "staging";
	ck_assert_uint_eq(kc_fleet_contexts(&o, NULL, false, &names, &err), 0);
	ck_assert_int_eq(err.kind, PERR_NONE);
	/* A list keeps its order, without repeats; a name with a comma is whole. */
	o.context = "staging,prod-eu,staging";
	ck_assert_uint_eq(kc_fleet_contexts(&o, NULL, false, &names, &err), 2);
	ck_assert_str_eq(names[0], "staging");
	ck_assert_str_eq(names[1], "prod-eu");
	ck_assert_ptr_null(names[2]);
	kc_free_names(names);
	o.context = "odd,name";
	ck_assert_uint_eq(kc_fleet_contexts(&o, NULL, false, &names, &err), 1);
	ck_assert_str_eq(names[0], "odd,name");
	kc_free_names(names);
	o.context = "staging,nope";
	ck_assert_uint_eq(kc_fleet_contexts(&o, NULL, false, &names, &err), 0);
	ck_assert_ptr_null(names);
	ck_assert_int_eq(err.kind, PERR_CONFIG);
	ck_assert_contains(perr_msg(&err), "no context \"nope\"");
	perr_clear(&err);
	o.context = ",";
	ck_assert_uint_eq(kc_fleet_contexts(&o, NULL, false, &names, &err), 0);
	ck_assert_int_eq(err.kind, PERR_USAGE);
	perr_clear(&err);
	/* The expression matches whole names, sorted. */
	o.context = NULL;
	ck_assert_uint_eq(kc_fleet_contexts(&o, "prod-.*", false, &names, &err), 2);
	ck_assert_str_eq(names[0], "prod-eu");
	ck_assert_str_eq(names[1], "prod-us");
	kc_free_names(names);
	ck_assert_uint_eq(kc_fleet_contexts(&o, "prod", false, &names, &err), 0);
	ck_assert_contains(perr_msg(&err), "no context matches \"prod\"");
	perr_clear(&err);
	ck_assert_uint_eq(kc_fleet_contexts(&o, "(", false, &names, &err), 0);
	ck_assert_int_eq(err.kind, PERR_USAGE);
	perr_clear(&err);
	ck_assert_uint_eq(kc_fleet_contexts(&o, NULL, true, &names, &err), 4);
	ck_assert_str_eq(names[0], "odd,name");
	ck_assert_str_eq(names[3], "staging");
	kc_free_names(names);
	/* Two ways at once is a usage error. */
	ck_assert_uint_eq(kc_fleet_contexts(&o, "prod-.*", true, &names, &err), 0);
	ck_assert_int_eq(err.kind, PERR_USAGE);
	perr_clear(&err);
	o.context = "staging";
	ck_assert_uint_eq(kc_fleet_contexts(&o, NULL, true, &names, &err), 0);
	ck_assert_int_eq(err.kind, PERR_USAGE);
	perr_clear(&err);
	free(kc);
}
END_TEST

/* More than KC_FLEET_MAX contexts is refused, not truncated. */
START_TEST(fleet_contexts_are_capped)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "clusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\n"
		       "contexts:\n");
	for (int i = 0; i <= KC_FLEET_MAX; i++)
		buf_printf(&b, "- name: c%02d\n  context: {cluster: c}\n", i);
	char *kc = kct_write("many-ctx.yaml", b.data);
	buf_free(&b);
	struct kc_options o = {.kubeconfig = kc};
	struct perr err = {0};
	char **names = NULL;
	ck_assert_uint_eq(kc_fleet_contexts(&o, NULL, true, &names, &err), 0);
	ck_assert_ptr_null(names);
	ck_assert_contains(perr_msg(&err), "more than 32 contexts");
	perr_clear(&err);
	ck_assert_uint_eq(kc_fleet_contexts(&o, "c0.", false, &names, &err), 10);
	kc_free_names(names);
	free(kc);
}
END_TEST

TCase *kct_files_tcase(void)
{
	TCase *tc = tcase_create("files");
	tcase_add_checked_fixture(tc, kct_setup, kct_teardown);
	tcase_add_test(tc, fleet_contexts_choose_and_refuse);
	tcase_add_test(tc, fleet_contexts_are_capped);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, fifo_is_refused_without_blocking);
	tcase_add_test(tc, devices_are_refused);
	tcase_add_test(tc, oversize_is_refused_before_reading);
	tcase_add_test(tc, growing_file_is_capped_while_read);
	tcase_add_test(tc, named_files_are_refused_too);
	tcase_add_test(tc, many_clusters_load_in_linear_time);
	tcase_add_test(tc, name_used_twice_names_the_first_pair);
	tcase_add_test(tc, key_set_twice_keeps_the_last_value);
	return tc;
}
