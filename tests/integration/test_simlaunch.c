#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "podscope/simlaunch.h"
#include "podscope/xalloc.h"

#include "testutil.h"

/*
 * The launcher `podscope --demo` starts podscope-sim with, and every test
 * that needs a simulator process: what it reports, how it fails, the exit
 * status, the wrapper, and the directories a killed demo left behind.
 */

static char tmp[4096];

static void tmp_up(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmp, sizeof(tmp), "%s/podscope-simlaunch-XXXXXX", t && *t ? t : "/tmp");
	ck_assert_msg(mkdtemp(tmp) != NULL, "mkdtemp: %s", strerror(errno));
}

static void tmp_down(void)
{
	char *cmd = xasprintf("rm -rf '%s'", tmp); /* mkdtemp's name: no quote in it */
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static char *in_tmp(const char *name)
{
	return xasprintf("%s/%s", tmp, name);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* Start it in tmp; fails the test when it does not start. */
static struct simlaunch *start(struct simlaunch_opts *o)
{
	o->tmpdir = tmp;
	if (!o->timeout_ms)
		o->timeout_ms = 60000;
	struct perr err = {0};
	struct simlaunch *s = simlaunch_start(o, &err);
	ck_assert_msg(s != NULL, "simlaunch_start: %s", perr_msg(&err));
	return s;
}

/* A start that must fail, with exactly this message. */
static void start_fails(struct simlaunch_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void start_fails(struct simlaunch_opts *o, const char *fmt, ...)
{
	o->tmpdir = tmp;
	struct perr err = {0};
	struct simlaunch *s = simlaunch_start(o, &err);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(err.kind, PERR_SYSTEM);
	va_list ap;
	va_start(ap, fmt);
	char *want = NULL;
	ck_assert_int_ge(vasprintf(&want, fmt, ap), 0);
	va_end(ap);
	ck_assert_str_eq(perr_msg(&err), want);
	free(want);
	perr_clear(&err);
}

/* The demo's way (no options but the arguments): where the private
 * directory is, what is in it, what it reports, and that stop removes it
 * with whatever else was put there. */
START_TEST(test_start_reports)
{
	const char *args[] = {"--tls", "--scenario", "empty", NULL};
	setenv("XDG_RUNTIME_DIR", tmp, 1);
	struct simlaunch_opts o = {.args = args, .timeout_ms = 60000};
	struct perr err = {0};
	struct simlaunch *s = simlaunch_start(&o, &err);
	unsetenv("XDG_RUNTIME_DIR");
	ck_assert_msg(s != NULL, "simlaunch_start: %s", perr_msg(&err));

	const char *dir = simlaunch_dir(s);
	char *prefix = xasprintf("%s/podscope-demo.%ld-", tmp, (long)getpid());
	ck_assert_msg(!strncmp(dir, prefix, strlen(prefix)), "%s", dir);
	free(prefix);
	struct stat st;
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);

	const char *url = simlaunch_url(s);
	ck_assert_msg(!strncmp(url, "https://127.0.0.1:", 18), "%s", url);
	ck_assert_int_gt(simlaunch_port(s), 0);
	ck_assert_int_eq(atoi(url + 18), simlaunch_port(s));
	ck_assert_int_gt(simlaunch_pid(s), 0);
	ck_assert_int_eq(kill(simlaunch_pid(s), 0), 0);

	char *want = xasprintf("%s/kubeconfig", dir);
	ck_assert_str_eq(simlaunch_kubeconfig(s), want);
	free(want);
	char *kc = test_slurp(simlaunch_kubeconfig(s));
	ck_assert_ptr_nonnull(kc);
	ck_assert_msg(strstr(kc, url) != NULL, "the kubeconfig does not name %s", url);
	free(kc);
	ck_assert_ptr_null(simlaunch_request_log(s));
	char *log = xasprintf("%s/sim.log", dir);
	ck_assert(exists(log));
	free(log);

	char *mine = xasprintf("%s/a-test-file", dir);
	write_file(mine, "x", 0600);
	free(mine);
	char *copy = xstrdup(dir);
	ck_assert_int_eq(simlaunch_stop(s), 0); /* SIGTERM ends it cleanly */
	ck_assert_msg(!exists(copy), "%s is still there", copy);
	free(copy);
}
END_TEST

START_TEST(test_request_log)
{
	const char *args[] = {"--scenario", "empty", NULL};
	struct simlaunch_opts o = {.args = args, .request_log = true, .keep_stderr = true};
	struct simlaunch *s = start(&o);
	ck_assert_msg(!strncmp(simlaunch_url(s), "http://127.0.0.1:", 17), "%s", simlaunch_url(s));
	char *want = xasprintf("%s/requests.log", simlaunch_dir(s));
	ck_assert_str_eq(simlaunch_request_log(s), want);
	ck_assert(exists(want));
	free(want);
	ck_assert_int_eq(simlaunch_stop(s), 0);
}
END_TEST

/* A binary that is missing, not executable or not a program. */
START_TEST(test_missing_binary)
{
	char *bin = in_tmp("no-such-sim");
	struct simlaunch_opts o = {.bin = bin};
	start_fails(&o, "%s: cannot run podscope-sim: No such file or directory", bin);
	write_file(bin, "#!/bin/sh\n", 0600);
	start_fails(&o, "%s: cannot run podscope-sim: Permission denied", bin);
	write_file(bin, "no interpreter line\n", 0700);
	start_fails(&o, "cannot run %s: Exec format error", bin);
	free(bin);
}
END_TEST

/* A simulator that exits, never listens, or never writes its kubeconfig:
 * the message says which, with its last words, and nothing is left. */
START_TEST(test_failing_binary)
{
	char *bin = in_tmp("failing-sim");
	struct simlaunch_opts o = {.bin = bin};
	write_file(bin,
		   "#!/bin/sh\necho 'podscope-sim: starting' >&2\n"
		   "echo 'podscope-sim: no-such: no such scenario' >&2\nexit 3\n",
		   0700);
	start_fails(&o,
		    "podscope-sim (%s) exited with status 3 before it listened: "
		    "podscope-sim: no-such: no such scenario",
		    bin);
	write_file(bin, "#!/bin/sh\nkill -KILL $$\n", 0700);
	start_fails(&o, "podscope-sim (%s) was killed by signal 9 before it listened", bin);

	o.timeout_ms = 300;
	write_file(bin, "#!/bin/sh\nexec sleep 600\n", 0700);
	start_fails(&o, "podscope-sim (%s) did not say it listens within 300 ms", bin);
	write_file(bin,
		   "#!/bin/sh\necho 'podscope-sim: listening on http://127.0.0.1:1'\n"
		   "exec sleep 600\n",
		   0700);
	start_fails(&o, "podscope-sim (%s) did not write its kubeconfig within 300 ms", bin);
	free(bin);

	/* Only the script: every private directory went with its failure. */
	DIR *d = opendir(tmp);
	ck_assert_ptr_nonnull(d);
	for (struct dirent *e; (e = readdir(d));)
		ck_assert_msg(strncmp(e->d_name, "podscope-demo.", 14), "%s left", e->d_name);
	closedir(d);
}
END_TEST

/* Stop says how it ended: 0 for SIGTERM, 128 + the signal that killed it. */
START_TEST(test_stop_status)
{
	const char *args[] = {"--scenario", "empty", NULL};
	struct simlaunch_opts o = {.args = args, .keep_stderr = true};
	struct simlaunch *s = start(&o);
	ck_assert_int_eq(kill(simlaunch_pid(s), SIGKILL), 0);
	ck_assert_int_eq(simlaunch_stop(s), 128 + SIGKILL);
	ck_assert_int_eq(simlaunch_stop(NULL), -1);
}
END_TEST

/* The wrapper's words go in front of the command, the first one from
 * PATH; a wrapper that cannot run says so. */
START_TEST(test_wrapper)
{
	char *wrap = in_tmp("wrap.sh");
	char *seen = in_tmp("wrapped");
	char *script = xasprintf("#!/bin/sh\necho \"$WORD $*\" >'%s'\nexec \"$@\"\n", seen);
	write_file(wrap, script, 0700);
	free(script);
	char *wrapper = xasprintf("env  WORD=wrapped\t%s", wrap);
	const char *args[] = {"--scenario", "empty", NULL};
	struct simlaunch_opts o = {.args = args, .wrapper = wrapper, .keep_stderr = true};
	struct simlaunch *s = start(&o);
	char *line = test_slurp(seen);
	ck_assert_ptr_nonnull(line);
	char *bin = simlaunch_find();
	char *want = xasprintf("wrapped %s --port 0 --write-kubeconfig %s --scenario empty\n", bin,
			       simlaunch_kubeconfig(s));
	ck_assert_str_eq(line, want);
	free(want);
	free(bin);
	free(line);
	ck_assert_int_eq(simlaunch_stop(s), 0);

	o.wrapper = "no-such-wrapper-for-podscope --flag";
	start_fails(&o, "cannot run %s: No such file or directory", "no-such-wrapper-for-podscope");
	free(wrapper);
	free(seen);
	free(wrap);
}
END_TEST

/* What a demo killed by SIGKILL left behind goes at the next start, and
 * nothing else: not a live launcher's directory, a link, a name that is
 * not ours, or a file a demo does not write. */
START_TEST(test_stale_dirs)
{
	long pid = (long)getpid();
	/* Our pid with a start time that is not ours: a process that is gone. */
	char *stale = xasprintf("%s/podscope-demo.%ld-1.aB3xY9", tmp, pid);
	char *kept = xasprintf("%s/podscope-demo.%ld-1.Zz0zZ0", tmp, pid);
	char *odd = xasprintf("%s/podscope-demo.%ld-1.toolong", tmp, pid);
	char *link = xasprintf("%s/podscope-demo.%ld-1.L1nk00", tmp, pid);
	char *target = in_tmp("target");
	const char *dirs[] = {stale, kept, odd, target};
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(mkdir(dirs[i], 0700), 0);
		const char *files[] = {"kubeconfig", "kubeconfig.tmp", "sim.log", "requests.log"};
		for (int f = 0; f < 4; f++) {
			char *p = xasprintf("%s/%s", dirs[i], files[f]);
			write_file(p, "secret", 0600);
			free(p);
		}
	}
	char *foreign = xasprintf("%s/notes.txt", kept);
	write_file(foreign, "mine", 0600);
	ck_assert_int_eq(symlink(target, link), 0);

	const char *args[] = {"--scenario", "empty", NULL};
	struct simlaunch_opts o = {.args = args, .keep_stderr = true};
	struct simlaunch *live = start(&o);
	struct simlaunch *next = start(&o);
	ck_assert_msg(!exists(stale), "%s is still there", stale);
	char *kc = xasprintf("%s/kubeconfig", kept);
	ck_assert(!exists(kc) && exists(foreign));
	free(kc);
	kc = xasprintf("%s/kubeconfig", odd);
	ck_assert(exists(kc));
	free(kc);
	kc = xasprintf("%s/kubeconfig", target);
	ck_assert(exists(link) && exists(kc));
	free(kc);
	ck_assert_msg(exists(simlaunch_kubeconfig(live)), "a live launcher's directory went");

	ck_assert_int_eq(simlaunch_stop(next), 0);
	ck_assert_int_eq(simlaunch_stop(live), 0);
	free(foreign);
	free(target);
	free(link);
	free(odd);
	free(kept);
	free(stale);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("simlaunch");
	TCase *tc = tcase_create("launcher");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, tmp_up, tmp_down);
	tcase_add_test(tc, test_start_reports);
	tcase_add_test(tc, test_request_log);
	tcase_add_test(tc, test_missing_binary);
	tcase_add_test(tc, test_failing_binary);
	tcase_add_test(tc, test_stop_status);
	tcase_add_test(tc, test_wrapper);
	tcase_add_test(tc, test_stale_dirs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	char *bin = simlaunch_find();
	if (!bin) {
		printf("SKIP: no podscope-sim ($PODSCOPE_SIM_BIN, PATH)\n");
		return 77;
	}
	free(bin);
	return test_run_suite(suite());
}
