#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "podscope/buf.h"
#include "podscope/loop.h"
#include "podscope/simlaunch.h"
#include "podscope/xalloc.h"

#define DEFAULT_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS    20000

struct simlaunch {
	pid_t pid;
	int port;
	char *dir;
	char *kubeconfig;
	char *request_log; /* NULL: none asked for */
	char *url;
};

static bool is_exec(const char *path)
{
	return access(path, X_OK) == 0;
}

char *simlaunch_find(void)
{
	const char *env = getenv("PODSCOPE_SIM_BIN");
	if (env && *env)
		return xstrdup(env);
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			char *p = xasprintf("%s/podscope-sim", self);
			if (is_exec(p))
				return p;
			free(p);
		}
	}
	const char *path = getenv("PATH");
	if (path) {
		char *copy = xstrdup(path), *save = NULL;
		for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
			char *p = xasprintf("%s/podscope-sim", *d ? d : ".");
			if (is_exec(p)) {
				free(copy);
				return p;
			}
			free(p);
		}
		free(copy);
	}
	return NULL;
}

/* The start time of a process (clock ticks since boot, /proc/PID/stat field
 * 22): with the pid it names a process, since a pid alone is reused. 0 when
 * the process is gone. */
static unsigned long long proc_start(long pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* After the command, which may hold spaces and ')', come field 3 on. */
	char *p = strrchr(buf, ')');
	if (!p)
		return 0;
	p++;
	for (int field = 3; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

#define DEMO_PREFIX "podscope-demo."

/* Ours and left behind: a directory (not a link) of ours named
 * podscope-demo.PID-START.XXXXXX whose process is gone. */
static bool stale_demo_dir(int dirfd, const char *name)
{
	long pid;
	unsigned long long start;
	int used = 0;
	if (sscanf(name, DEMO_PREFIX "%ld-%llu.%n", &pid, &start, &used) != 2 || !used ||
	    strlen(name + used) != 6 || pid <= 0)
		return false;
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != getuid())
		return false;
	return proc_start(pid) != start;
}

/* Remove what a demo leaves in its directory (nothing else), then the
 * directory if that emptied it. unlinkat never follows a link. */
static void remove_demo_dir(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		if (!strcmp(n, "kubeconfig") || !strncmp(n, "kubeconfig.", 11) ||
		    !strcmp(n, "sim.log") || !strcmp(n, "requests.log"))
			unlinkat(fd, n, 0);
	}
	closedir(d);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

void simlaunch_clean_stale(const char *tmp)
{
	int dirfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return;
	DIR *d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, DEMO_PREFIX, strlen(DEMO_PREFIX)) &&
		    stale_demo_dir(dirfd, e->d_name))
			remove_demo_dir(dirfd, e->d_name);
	closedir(d);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* The private directory is ours alone (0700), and the tests keep files of
 * their own in it: all of it goes. FTW_PHYS removes a link, never what it
 * points to. */
static void rm_private_dir(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The simulator's last words, for an error message: its log is about to go
 * with the private directory. */
static char *last_log_line(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char line[512], *last = NULL;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (*line) {
			free(last);
			last = xstrdup(line);
		}
	}
	fclose(f);
	return last;
}

static int decode_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

/* Wait until pid ends or the deadline, then SIGKILL it; its status. */
static int reap(pid_t pid, int64_t deadline)
{
	int st = 0;
	pid_t r;
	while ((r = waitpid(pid, &st, WNOHANG)) == 0 && ploop_now_ms() < deadline)
		poll(NULL, 0, 10);
	if (r == 0) {
		kill(pid, SIGKILL);
		while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
			;
	}
	return r == pid ? decode_status(st) : -1;
}

/* The command: the wrapper's words (in *words, which the result points
 * into), the binary, the launcher's options, the caller's arguments. */
static char **build_argv(const struct simlaunch_opts *o, const struct simlaunch *s, const char *bin,
			 const char *port, char **words)
{
	size_t nw = 0, na = 0;
	*words = o->wrapper ? xstrdup(o->wrapper) : NULL;
	for (const char *w = o->wrapper; w && *w; nw++) {
		w += strspn(w, " \t");
		w += strcspn(w, " \t");
	}
	while (o->args && o->args[na])
		na++;
	char **argv = xcalloc(nw + 8 + na, sizeof(char *));
	size_t n = 0;
	char *save = NULL;
	for (char *t = *words ? strtok_r(*words, " \t", &save) : NULL; t;
	     t = strtok_r(NULL, " \t", &save))
		argv[n++] = t;
	argv[n++] = (char *)bin;
	argv[n++] = (char *)"--port";
	argv[n++] = (char *)port;
	argv[n++] = (char *)"--write-kubeconfig";
	argv[n++] = s->kubeconfig;
	if (s->request_log) {
		argv[n++] = (char *)"--request-log";
		argv[n++] = s->request_log;
	}
	for (size_t i = 0; i < na; i++)
		argv[n++] = (char *)o->args[i];
	argv[n] = NULL;
	return argv;
}

/*
 * Fork and exec argv with stdout into out (and stderr into log unless NULL).
 * An exec that fails writes its errno into a close-on-exec pipe, so that the
 * caller can say "cannot run" rather than "exited with 127". The child runs
 * only async-signal-safe calls.
 */
static pid_t spawn(char **argv, bool search_path, int out, const char *log, int *exec_errno)
{
	int ep[2];
	*exec_errno = 0;
	if (pipe2(ep, O_CLOEXEC) != 0) {
		*exec_errno = errno;
		return -1;
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		/* The simulator must not outlive us, whatever way we end. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
		dup2(out, STDOUT_FILENO);
		int logfd = log ? open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
		if (logfd >= 0)
			dup2(logfd, STDERR_FILENO);
		int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		if (search_path)
			execvp(argv[0], argv);
		else
			execv(argv[0], argv);
		int e = errno;
		ssize_t w = write(ep[1], &e, sizeof(e));
		(void)w;
		_exit(127);
	}
	int e = errno;
	close(ep[1]);
	if (pid < 0) {
		close(ep[0]);
		*exec_errno = e;
		return -1;
	}
	ssize_t got;
	while ((got = read(ep[0], exec_errno, sizeof(*exec_errno))) < 0 && errno == EINTR)
		;
	if (got != (ssize_t)sizeof(*exec_errno))
		*exec_errno = 0;
	close(ep[0]);
	return pid;
}

/* Read fd until "podscope-sim: listening on URL": 1 with s->url set, 0 when
 * the simulator closed its stdout first, -1 at the deadline. */
static int wait_listening(struct simlaunch *s, int fd, int64_t deadline)
{
	struct buf line = BUF_INIT;
	int rc = -1;
	while (!s->url) {
		int left = (int)(deadline - ploop_now_ms());
		if (left <= 0)
			break;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (poll(&pfd, 1, left) <= 0)
			continue;
		char chunk[512];
		ssize_t got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			rc = 0;
			break;
		}
		buf_add(&line, chunk, (size_t)got);
		char *nl;
		while (!s->url && (nl = memchr(line.data, '\n', line.len))) {
			*nl = '\0';
			const char *mark = strstr(line.data, "listening on ");
			if (mark)
				s->url = xstrdup(mark + strlen("listening on "));
			buf_consume(&line, (size_t)(nl - line.data) + 1);
		}
		if (line.len > 4096)
			buf_reset(&line); /* no such line is this long */
	}
	buf_free(&line);
	if (s->url) {
		const char *colon = strrchr(s->url, ':');
		s->port = colon ? atoi(colon + 1) : 0;
		rc = 1;
	}
	return rc;
}

/* The directory for the private one: XDG_RUNTIME_DIR is private to the
 * user and in memory, TMPDIR is where the user wants temporary files. */
static const char *default_tmpdir(void)
{
	const char *tmp = getenv("XDG_RUNTIME_DIR");
	if (!tmp || !*tmp || access(tmp, W_OK) != 0)
		tmp = getenv("TMPDIR");
	return tmp && *tmp ? tmp : "/tmp";
}

/* Why a start failed, after the child is gone: rc from wait_listening. */
static void start_failed(struct perr *err, const char *bin, int rc, int status, int timeout_ms,
			 const char *log)
{
	char *why = log ? last_log_line(log) : NULL;
	char what[96];
	if (rc == 0 && status > 128)
		snprintf(what, sizeof(what), "was killed by signal %d before it listened",
			 status - 128);
	else if (rc == 0)
		snprintf(what, sizeof(what), "exited with status %d before it listened", status);
	else if (rc < 0)
		snprintf(what, sizeof(what), "did not say it listens within %d ms", timeout_ms);
	else
		snprintf(what, sizeof(what), "did not write its kubeconfig within %d ms",
			 timeout_ms);
	perr_set(err, PERR_SYSTEM, "podscope-sim (%s) %s%s%s", bin, what, why ? ": " : "",
		 why ? why : "");
	free(why);
}

struct simlaunch *simlaunch_start(const struct simlaunch_opts *o, struct perr *err)
{
	char *bin = o->bin ? xstrdup(o->bin) : simlaunch_find();
	if (!bin) {
		perr_set(err, PERR_SYSTEM,
			 "cannot find podscope-sim (looked in $PODSCOPE_SIM_BIN, next to podscope "
			 "and in $PATH)");
		return NULL;
	}
	if (!is_exec(bin)) {
		perr_set(err, PERR_SYSTEM, "%s: cannot run podscope-sim: %s", bin, strerror(errno));
		free(bin);
		return NULL;
	}
	const char *tmp = o->tmpdir ? o->tmpdir : default_tmpdir();
	int timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
	/* A demo killed with SIGKILL left its kubeconfig, client key and all:
	 * the directory's name says whose it was, so the next demo can tell. */
	simlaunch_clean_stale(tmp);
	char *dir = xasprintf("%s/" DEMO_PREFIX "%ld-%llu.XXXXXX", tmp, (long)getpid(),
			      proc_start((long)getpid()));
	if (!mkdtemp(dir)) {
		perr_set(err, PERR_SYSTEM, "cannot make a private directory in %s: %s", tmp,
			 strerror(errno));
		free(dir);
		free(bin);
		return NULL;
	}
	struct simlaunch *s = xcalloc(1, sizeof(*s));
	s->dir = dir;
	s->kubeconfig = xasprintf("%s/kubeconfig", dir);
	if (o->request_log)
		s->request_log = xasprintf("%s/requests.log", dir);
	char *log = o->keep_stderr ? NULL : xasprintf("%s/sim.log", dir);
	char port[16], *words;
	snprintf(port, sizeof(port), "%d", o->port > 0 ? o->port : 0);
	char **argv = build_argv(o, s, bin, port, &words);

	int out[2], exec_errno = 0;
	if (pipe2(out, O_CLOEXEC) != 0) {
		perr_set(err, PERR_SYSTEM, "pipe: %s", strerror(errno));
		goto fail;
	}
	/* A wrapper is a command name ("valgrind"); the binary is a path. */
	s->pid = spawn(argv, argv[0] != bin, out[1], log, &exec_errno);
	close(out[1]);
	if (s->pid < 0 || exec_errno) {
		perr_set(err, PERR_SYSTEM, "cannot run %s: %s", argv[0], strerror(exec_errno));
		close(out[0]);
		if (s->pid > 0)
			reap(s->pid, 0);
		s->pid = 0;
		goto fail;
	}

	int64_t deadline = ploop_now_ms() + timeout_ms;
	int rc = wait_listening(s, out[0], deadline);
	close(out[0]);
	while (rc > 0 && access(s->kubeconfig, R_OK) != 0 && ploop_now_ms() < deadline)
		poll(NULL, 0, 10);
	if (rc <= 0 || access(s->kubeconfig, R_OK) != 0) {
		/* Gone by itself (stdout closed), or told to go. */
		if (rc != 0)
			kill(s->pid, SIGTERM);
		int status = reap(s->pid, ploop_now_ms() + STOP_TIMEOUT_MS);
		s->pid = 0;
		start_failed(err, bin, rc, status, timeout_ms, log);
		goto fail;
	}
	free(argv);
	free(words);
	free(log);
	free(bin);
	return s;
fail:
	free(argv);
	free(words);
	free(log);
	free(bin);
	simlaunch_stop(s);
	return NULL;
}

const char *simlaunch_url(const struct simlaunch *s)
{
	return s->url;
}

int simlaunch_port(const struct simlaunch *s)
{
	return s->port;
}

const char *simlaunch_kubeconfig(const struct simlaunch *s)
{
	return s->kubeconfig;
}

const char *simlaunch_request_log(const struct simlaunch *s)
{
	return s->request_log;
}

const char *simlaunch_dir(const struct simlaunch *s)
{
	return s->dir;
}

int simlaunch_pid(const struct simlaunch *s)
{
	return (int)s->pid;
}

int simlaunch_stop(struct simlaunch *s)
{
	if (!s)
		return -1;
	int status = -1;
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		status = reap(s->pid, ploop_now_ms() + STOP_TIMEOUT_MS);
	}
	rm_private_dir(s->dir);
	free(s->dir);
	free(s->kubeconfig);
	free(s->request_log);
	free(s->url);
	free(s);
	return status;
}
