#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

struct simlaunch {
	pid_t pid;
	char *dir;
	char *kubeconfig;
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
		    !strcmp(n, "sim.log"))
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

static void rm_private_dir(const char *dir)
{
	static const char *const files[] = {"kubeconfig", "kubeconfig.tmp", "sim.log", NULL};
	for (const char *const *f = files; *f; f++) {
		char *p = xasprintf("%s/%s", dir, *f);
		unlink(p);
		free(p);
	}
	rmdir(dir);
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

struct simlaunch *simlaunch_start(const char *const *extra_args, int timeout_ms, struct perr *err)
{
	char *bin = simlaunch_find();
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
	const char *tmp = getenv("XDG_RUNTIME_DIR");
	if (!tmp || !*tmp || access(tmp, W_OK) != 0)
		tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
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
	char *log = xasprintf("%s/sim.log", dir);

	const char *argv[64];
	size_t n = 0;
	argv[n++] = bin;
	argv[n++] = "--port";
	argv[n++] = "0";
	argv[n++] = "--tls";
	argv[n++] = "--write-kubeconfig";
	argv[n++] = s->kubeconfig;
	for (size_t i = 0; extra_args && extra_args[i] && n < 62; i++)
		argv[n++] = extra_args[i];
	argv[n] = NULL;

	int out[2];
	if (pipe2(out, O_CLOEXEC) != 0) {
		perr_set(err, PERR_SYSTEM, "pipe: %s", strerror(errno));
		goto fail;
	}
	pid_t parent = getpid();
	s->pid = fork();
	if (s->pid < 0) {
		perr_set(err, PERR_SYSTEM, "cannot start podscope-sim: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		goto fail;
	}
	if (s->pid == 0) {
		/* The simulator must not outlive us, whatever way we end. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
		dup2(out[1], STDOUT_FILENO);
		int logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (logfd >= 0)
			dup2(logfd, STDERR_FILENO);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(out[1]);

	/* Wait for "podscope-sim: listening on URL", then for the kubeconfig. */
	struct buf line = BUF_INIT;
	int64_t deadline = ploop_now_ms() + timeout_ms;
	while (!s->url) {
		int left = (int)(deadline - ploop_now_ms());
		if (left <= 0)
			break;
		struct pollfd pfd = {.fd = out[0], .events = POLLIN};
		if (poll(&pfd, 1, left) <= 0)
			continue;
		char chunk[512];
		ssize_t got = read(out[0], chunk, sizeof(chunk));
		if (got <= 0)
			break;
		buf_add(&line, chunk, (size_t)got);
		char *nl;
		while (!s->url && (nl = memchr(line.data, '\n', line.len))) {
			*nl = '\0';
			const char *mark = strstr(line.data, "listening on ");
			if (mark)
				s->url = xstrdup(mark + strlen("listening on "));
			buf_consume(&line, (size_t)(nl - line.data) + 1);
		}
	}
	buf_free(&line);
	close(out[0]);
	while (s->url && access(s->kubeconfig, R_OK) != 0 && ploop_now_ms() < deadline)
		poll(NULL, 0, 10);
	if (!s->url || access(s->kubeconfig, R_OK) != 0) {
		char *why = last_log_line(log);
		perr_set(err, PERR_SYSTEM, "podscope-sim (%s) %s%s%s", bin,
			 s->url ? "did not write its kubeconfig in time" : "did not start",
			 why ? ": " : "", why ? why : "");
		free(why);
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
		goto fail;
	}
	free(log);
	free(bin);
	return s;
fail:
	free(log);
	free(bin);
	simlaunch_stop(s);
	return NULL;
}

const char *simlaunch_kubeconfig(const struct simlaunch *s)
{
	return s->kubeconfig;
}

const char *simlaunch_url(const struct simlaunch *s)
{
	return s->url;
}

int simlaunch_pid(const struct simlaunch *s)
{
	return (int)s->pid;
}

void simlaunch_stop(struct simlaunch *s)
{
	if (!s)
		return;
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		int status;
		while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	rm_private_dir(s->dir);
	free(s->dir);
	free(s->kubeconfig);
	free(s->url);
	free(s);
}
