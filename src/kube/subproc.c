#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "podscope/loop.h"
#include "podscope/sanitize.h"
#include "podscope/xalloc.h"

#include "subproc.h"

#define STDERR_KEEP 4096

static bool executable(const char *path, int *e)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		*e = errno;
		return false;
	}
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0) {
		*e = EACCES;
		return false;
	}
	return true;
}

/* Done here rather than by posix_spawnp() so that "not found" is known for
 * sure before anything runs (some spawn implementations only report it as
 * exit status 127 from the child). */
char *ksubproc_find(const char *command, const char *dir, int *e)
{
	*e = ENOENT;
	if (!command || !*command)
		return NULL;
	if (strchr(command, '/')) {
		char *p = command[0] != '/' && dir && *dir ? xasprintf("%s/%s", dir, command)
							   : xstrdup(command);
		if (executable(p, e))
			return p;
		free(p);
		return NULL;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	int found_err = ENOENT;
	for (const char *d = path;; d++) {
		size_t n = strcspn(d, ":");
		char *p = n ? xasprintf("%.*s/%s", (int)n, d, command) : xasprintf("./%s", command);
		int pe;
		if (executable(p, &pe))
			return p;
		if (pe == EACCES)
			found_err = EACCES;
		free(p);
		d += n;
		if (!*d)
			break;
	}
	*e = found_err;
	return NULL;
}

/* Bytes the program wrote on stdout (which 0) or stderr (1). */
static void keep(struct ksubproc_out *po, int which, const char *chunk, size_t n, size_t out_max)
{
	struct buf *b = which == 0 ? &po->out : &po->err;
	if (which == 0 && b->len + n > out_max)
		return; /* too much to be an answer: keep draining */
	buf_add(b, chunk, n);
	if (which == 1 && b->len > 2 * STDERR_KEEP)
		buf_consume(b, b->len - STDERR_KEEP);
}

/* Start path with stdin /dev/null and stdout, stderr on pipes (*ofd, *efd,
 * close-on-exec). 0, or the errno that kept it from starting. */
static int spawn(const char *path, char *const argv[], char *const envp[], pid_t *pid, int *ofd,
		 int *efd)
{
	int opipe[2], epipe[2];
	if (pipe2(opipe, O_CLOEXEC) < 0)
		return errno;
	if (pipe2(epipe, O_CLOEXEC) < 0) {
		int e = errno;
		close(opipe[0]);
		close(opipe[1]);
		return e;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, opipe[1], 1);
	posix_spawn_file_actions_adddup2(&fa, epipe[1], 2);

	/* The program starts with default signal handling and nothing blocked,
	 * whatever the TUI set up for itself. */
	posix_spawnattr_t attr;
	posix_spawnattr_init(&attr);
	sigset_t none, defs;
	sigemptyset(&none);
	sigemptyset(&defs);
	static const int defsigs[] = {SIGPIPE, SIGINT,   SIGTERM, SIGHUP,
				      SIGCHLD, SIGWINCH, SIGQUIT, SIGTSTP};
	for (size_t i = 0; i < sizeof(defsigs) / sizeof(defsigs[0]); i++)
		sigaddset(&defs, defsigs[i]);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &defs);
	/* A process group of its own: on a timeout the plugin and whatever it
	 * started are killed together, no orphan left behind. */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
					    POSIX_SPAWN_SETPGROUP);

	int rc = posix_spawn(pid, path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(opipe[1]);
	close(epipe[1]);
	if (rc != 0) {
		close(opipe[0]);
		close(epipe[0]);
		return rc;
	}
	*ofd = opipe[0];
	*efd = epipe[0];
	return 0;
}

struct ksubproc {
	struct ploop *loop;
	pid_t pid;
	int fd[2]; /* stdout, stderr; -1 once closed */
	int pidfd; /* readable when the program exits; -1 when the system has none */
	bool reaped;
	int64_t deadline;
	size_t out_max;
	struct ksubproc_out po;
	struct ptimer *timer; /* the deadline */
	struct ptimer *poll;  /* without a pidfd: the next look for the exit */
	ksubproc_done_fn fn;
	void *ud;
};

/* Without a pidfd, how often to look whether the program has exited. */
#define EXIT_POLL_MS 50
/* What is read after the program exited: what it wrote before it ended
 * (at most a pipe's worth is waiting), not what a child keeps writing. */
#define DRAIN_MAX (256u * 1024)

static void close_fds(struct ksubproc *s)
{
	for (int i = 0; i < 2; i++) {
		if (s->fd[i] < 0)
			continue;
		ploop_remove_fd(s->loop, s->fd[i]);
		close(s->fd[i]);
		s->fd[i] = -1;
	}
	if (s->pidfd >= 0) {
		ploop_remove_fd(s->loop, s->pidfd);
		close(s->pidfd);
		s->pidfd = -1;
	}
}

/* Kill the program's whole group (and the program, should it have left it),
 * and reap the program. */
static void kill_and_reap(struct ksubproc *s)
{
	if (s->reaped)
		return;
	kill(-s->pid, SIGKILL);
	kill(s->pid, SIGKILL);
	while (waitpid(s->pid, &s->po.status, 0) < 0 && errno == EINTR)
		;
	s->reaped = true;
}

/* Kill what is left, reap it, and forget it. */
static void destroy(struct ksubproc *s, bool kill_it)
{
	if (s->timer)
		ploop_timer_cancel(s->loop, s->timer);
	if (s->poll)
		ploop_timer_cancel(s->loop, s->poll);
	close_fds(s);
	if (kill_it)
		kill_and_reap(s);
	ksubproc_out_free(&s->po);
	free(s);
}

static void finish(struct ksubproc *s)
{
	ksubproc_done_fn fn = s->fn;
	void *ud = s->ud;
	struct ksubproc_out po = s->po;
	s->po = (struct ksubproc_out){BUF_INIT, BUF_INIT, 0, false};
	destroy(s, false);
	fn(ud, &po);
	ksubproc_out_free(&po);
}

/* Read what fd has now; false at its end (or an error). */
static bool read_some(struct ksubproc *s, int which, size_t *budget)
{
	char chunk[4096];
	ssize_t n = read(s->fd[which], chunk, sizeof(chunk));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	keep(&s->po, which, chunk, (size_t)n, s->out_max);
	explicit_bzero(chunk, sizeof(chunk));
	if (budget)
		*budget = *budget > (size_t)n ? *budget - (size_t)n : 0;
	return true;
}

/* The program has exited and been reaped: take what it wrote before it
 * ended, and be done, even when a child of it still holds the pipes. */
static void exited(struct ksubproc *s)
{
	s->reaped = true;
	size_t budget = DRAIN_MAX;
	for (int i = 0; i < 2; i++) {
		while (s->fd[i] >= 0 && budget > 0) {
			size_t before = budget;
			/* at the end, or nothing waiting (EAGAIN): done with it */
			if (!read_some(s, i, &budget) || budget == before)
				break;
		}
	}
	finish(s);
}

static bool try_reap(struct ksubproc *s)
{
	pid_t r = waitpid(s->pid, &s->po.status, WNOHANG);
	return r == s->pid || (r < 0 && errno == ECHILD);
}

static void on_deadline(void *ud)
{
	struct ksubproc *s = ud;
	s->timer = NULL;
	if (try_reap(s)) {
		exited(s);
		return;
	}
	s->po.timed_out = true;
	close_fds(s);
	kill_and_reap(s);
	finish(s);
}

static void on_poll(void *ud)
{
	struct ksubproc *s = ud;
	s->poll = NULL;
	if (try_reap(s)) {
		exited(s);
		return;
	}
	s->poll = ploop_timer_in(s->loop, EXIT_POLL_MS, on_poll, s);
}

static void on_pidfd(void *ud, int fd, short revents)
{
	struct ksubproc *s = ud;
	(void)fd;
	if (try_reap(s)) {
		exited(s);
		return;
	}
	if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
		/* Not what a pidfd does; look the slow way instead. */
		ploop_remove_fd(s->loop, s->pidfd);
		close(s->pidfd);
		s->pidfd = -1;
		s->poll = ploop_timer_in(s->loop, EXIT_POLL_MS, on_poll, s);
	}
}

static void on_output(void *ud, int fd, short revents)
{
	struct ksubproc *s = ud;
	int which = fd == s->fd[0] ? 0 : 1;
	if ((revents & (POLLIN | POLLHUP | POLLERR)) && read_some(s, which, NULL))
		return;
	ploop_remove_fd(s->loop, fd);
	close(fd);
	s->fd[which] = -1;
}

static int open_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
#else
	(void)pid;
	return -1;
#endif
}

struct ksubproc *ksubproc_start(struct ploop *l, const char *path, char *const argv[],
				char *const envp[], long timeout_ms, size_t out_max,
				ksubproc_done_fn fn, void *ud, int *e)
{
	struct ksubproc *s = xcalloc(1, sizeof(*s));
	*s = (struct ksubproc){.loop = l, .out_max = out_max, .fn = fn, .ud = ud, .pidfd = -1};
	s->po = (struct ksubproc_out){BUF_INIT, BUF_INIT, 0, false};
	*e = spawn(path, argv, envp, &s->pid, &s->fd[0], &s->fd[1]);
	if (*e != 0) {
		free(s);
		return NULL;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(s->fd[i], F_SETFL, fcntl(s->fd[i], F_GETFL) | O_NONBLOCK);
		ploop_add_fd(l, s->fd[i], POLLIN, on_output, s);
	}
	/* The end is when the program exits, not when its pipes close: a
	 * child it left behind may hold them open for ever. */
	s->pidfd = open_pidfd(s->pid);
	if (s->pidfd >= 0)
		ploop_add_fd(l, s->pidfd, POLLIN, on_pidfd, s);
	else
		s->poll = ploop_timer_in(l, EXIT_POLL_MS, on_poll, s);
	s->deadline = ploop_now_ms() + timeout_ms;
	s->timer = ploop_timer_at(l, s->deadline, on_deadline, s);
	return s;
}

void ksubproc_cancel(struct ksubproc *s)
{
	if (s)
		destroy(s, true);
}

void ksubproc_out_free(struct ksubproc_out *po)
{
	buf_free_secret(&po->out);
	buf_free(&po->err);
}

char *ksubproc_last_err_line(const struct ksubproc_out *po)
{
	const char *s = po->err.data ? po->err.data : "";
	size_t end = po->err.len;
	while (end > 0 && isspace((unsigned char)s[end - 1]))
		end--;
	size_t start = end;
	while (start > 0 && s[start - 1] != '\n' && s[start - 1] != '\r')
		start--;
	size_t n = end - start;
	if (n > 200)
		n = 200;
	char *raw = xstrndup(s + start, n);
	char *line = sanitize_dup(raw);
	free(raw);
	return line;
}
