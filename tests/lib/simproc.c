#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "simproc.h"

#define START_DEADLINE_MS 60000
#define STOP_DEADLINE_MS  20000
#define READY_PREFIX      "podscope-sim: listening on "

struct simproc {
	pid_t pid;
	int port;
	char *url;
	char *dir;
	char *kubeconfig;
	char *request_log;
};

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *s = NULL;
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	remove(path);
	return 0;
}

static void free_proc(struct simproc *p)
{
	if (p->dir)
		nftw(p->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(p->url);
	free(p->dir);
	free(p->kubeconfig);
	free(p->request_log);
	free(p);
}

/* The command line: wrapper words, the binary, fixed options, extra_args. */
static char **build_argv(const struct simproc *p, const char *const *extra, char **wrapper_copy)
{
	const char *bin = getenv("PODSCOPE_SIM_BIN");
	if (!bin || !*bin)
		bin = "./podscope-sim";
	size_t n = 0, cap = 16;
	char **argv = calloc(cap, sizeof(char *));
	const char *w = getenv("PODSCOPE_SIM_WRAPPER");
	*wrapper_copy = NULL;
	if (w && *w) {
		*wrapper_copy = strdup(w);
		for (char *save, *t = strtok_r(*wrapper_copy, " \t", &save); t;
		     t = strtok_r(NULL, " \t", &save)) {
			if (n + 2 >= cap)
				argv = realloc(argv, (cap *= 2) * sizeof(char *));
			argv[n++] = t;
		}
	}
	const char *fixed[] = {bin,           "--port",        "0",           "--write-kubeconfig",
	                       p->kubeconfig, "--request-log", p->request_log};
	size_t nextra = 0;
	while (extra && extra[nextra])
		nextra++;
	argv = realloc(argv, (n + 8 + nextra + 1) * sizeof(char *));
	for (size_t i = 0; i < 7; i++)
		argv[n++] = (char *)fixed[i];
	for (size_t i = 0; i < nextra; i++)
		argv[n++] = (char *)extra[i];
	argv[n] = NULL;
	return argv;
}

static int decode_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

/* Read the child's stdout until the ready line; 0, or -1 with *why set. */
static int wait_ready(struct simproc *p, int fd, char **why)
{
	char line[512];
	size_t len = 0;
	long long deadline = now_ms() + START_DEADLINE_MS;
	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0) {
			*why = fmt("podscope-sim did not say it listens within %d s",
			           START_DEADLINE_MS / 1000);
			return -1;
		}
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int rc = poll(&pfd, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			continue;
		ssize_t r = read(fd, line + len, sizeof(line) - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int st = 0;
			waitpid(p->pid, &st, 0);
			p->pid = 0;
			*why = fmt("podscope-sim exited (status %d) before it listened",
			           decode_status(st));
			return -1;
		}
		len += (size_t)r;
		line[len] = '\0';
		char *nl;
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			if (strncmp(line, READY_PREFIX, strlen(READY_PREFIX)) == 0) {
				p->url = strdup(line + strlen(READY_PREFIX));
				const char *colon = strrchr(p->url, ':');
				p->port = colon ? atoi(colon + 1) : 0;
				return 0;
			}
			size_t rest = len - (size_t)(nl + 1 - line);
			memmove(line, nl + 1, rest + 1);
			len = rest;
		}
		if (len == sizeof(line) - 1)
			len = 0; /* an absurdly long line: drop it */
	}
}

struct simproc *simproc_start(const char *const *extra_args, char **errmsg)
{
	struct simproc *p = calloc(1, sizeof(*p));
	const char *tmp = getenv("TMPDIR");
	char *tmpl = fmt("%s/podscope-sim-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	*errmsg = NULL;
	if (!mkdtemp(tmpl)) {
		*errmsg = fmt("mkdtemp %s: %s", tmpl, strerror(errno));
		free(tmpl);
		free_proc(p);
		return NULL;
	}
	p->dir = tmpl;
	p->kubeconfig = fmt("%s/kubeconfig", p->dir);
	p->request_log = fmt("%s/requests.log", p->dir);

	int out[2];
	if (pipe(out) != 0) {
		*errmsg = fmt("pipe: %s", strerror(errno));
		free_proc(p);
		return NULL;
	}
	char *wrapper;
	char **argv = build_argv(p, extra_args, &wrapper);
	fflush(NULL);
	p->pid = fork();
	if (p->pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "simproc: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	free(argv);
	free(wrapper);
	if (p->pid < 0) {
		*errmsg = fmt("fork: %s", strerror(errno));
		close(out[0]);
		free_proc(p);
		return NULL;
	}
	int rc = wait_ready(p, out[0], errmsg);
	close(out[0]);
	if (rc != 0) {
		if (p->pid > 0) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, NULL, 0);
		}
		free_proc(p);
		return NULL;
	}
	return p;
}

const char *simproc_url(const struct simproc *p)
{
	return p->url;
}

int simproc_port(const struct simproc *p)
{
	return p->port;
}

const char *simproc_kubeconfig(const struct simproc *p)
{
	return p->kubeconfig;
}

const char *simproc_request_log(const struct simproc *p)
{
	return p->request_log;
}

const char *simproc_dir(const struct simproc *p)
{
	return p->dir;
}

pid_t simproc_pid(const struct simproc *p)
{
	return p->pid;
}

int simproc_stop(struct simproc *p)
{
	if (!p)
		return -1;
	int status = -1;
	if (p->pid > 0) {
		kill(p->pid, SIGTERM);
		long long deadline = now_ms() + STOP_DEADLINE_MS;
		int st = 0;
		pid_t r;
		while ((r = waitpid(p->pid, &st, WNOHANG)) == 0 && now_ms() < deadline) {
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		if (r == 0) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &st, 0);
		}
		status = decode_status(st);
	}
	free_proc(p);
	return status;
}
