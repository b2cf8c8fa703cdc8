#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "podscope/xalloc.h"

#include "evloop.h"

struct evtimer {
	int64_t when;
	uint64_t seq; /* ties fire in the order they were added */
	size_t slot;  /* index in the heap */
	evloop_timer_fn fn;
	void *ud;
};

struct evfd {
	int fd;
	short events;
	evloop_fd_fn fn;
	void *ud;
};

struct evloop {
	struct evfd *fds;
	size_t nfds, capfds;
	struct pollfd *pfd; /* poll's copy of fds */
	size_t cappoll;
	struct evtimer **heap; /* binary min-heap on (when, seq) */
	size_t nheap, capheap;
	uint64_t seq;
	evloop_prepare_fn prepare;
	evloop_check_fn check;
	void *hook_ud;
	bool stopped;
	int sigpipe[2];
};

/* The self-pipe the signal handler writes to; one loop handles signals. */
static volatile sig_atomic_t sig_fd = -1;
/* The first signal caught (0: none yet). */
static volatile sig_atomic_t sig_caught;

/* A batch of work runs at most this long before the loop polls again. */
#define SLICE_MS 20

int64_t evloop_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct evloop *evloop_new(void)
{
	struct evloop *l = xcalloc(1, sizeof(*l));
	l->sigpipe[0] = l->sigpipe[1] = -1;
	return l;
}

void evloop_free(struct evloop *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nheap; i++)
		free(l->heap[i]);
	free(l->heap);
	free(l->fds);
	free(l->pfd);
	if (l->sigpipe[0] >= 0) {
		sig_fd = -1;
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		close(l->sigpipe[0]);
		close(l->sigpipe[1]);
	}
	free(l);
}

void evloop_add_fd(struct evloop *l, int fd, short events, evloop_fd_fn fn, void *ud)
{
	for (size_t i = 0; i < l->nfds; i++) {
		if (l->fds[i].fd == fd) {
			l->fds[i] = (struct evfd){fd, events, fn, ud};
			return;
		}
	}
	if (l->nfds == l->capfds) {
		l->capfds = l->capfds ? l->capfds * 2 : 8;
		l->fds = xrealloc(l->fds, l->capfds * sizeof(*l->fds));
	}
	l->fds[l->nfds++] = (struct evfd){fd, events, fn, ud};
}

void evloop_remove_fd(struct evloop *l, int fd)
{
	for (size_t i = 0; i < l->nfds; i++) {
		if (l->fds[i].fd == fd) {
			l->fds[i] = l->fds[--l->nfds];
			return;
		}
	}
}

void evloop_set_hooks(struct evloop *l, evloop_prepare_fn prepare, evloop_check_fn check, void *ud)
{
	l->prepare = prepare;
	l->check = check;
	l->hook_ud = ud;
}

static bool earlier(const struct evtimer *a, const struct evtimer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void heap_set(struct evloop *l, size_t i, struct evtimer *t)
{
	l->heap[i] = t;
	t->slot = i;
}

static void sift_up(struct evloop *l, size_t i)
{
	struct evtimer *t = l->heap[i];
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!earlier(t, l->heap[parent]))
			break;
		heap_set(l, i, l->heap[parent]);
		i = parent;
	}
	heap_set(l, i, t);
}

static void sift_down(struct evloop *l, size_t i)
{
	struct evtimer *t = l->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= l->nheap)
			break;
		if (c + 1 < l->nheap && earlier(l->heap[c + 1], l->heap[c]))
			c++;
		if (!earlier(l->heap[c], t))
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

static void heap_remove(struct evloop *l, size_t i)
{
	struct evtimer *last = l->heap[--l->nheap];
	if (i == l->nheap)
		return;
	heap_set(l, i, last);
	sift_down(l, i);
	sift_up(l, last->slot);
}

struct evtimer *evloop_timer_at(struct evloop *l, int64_t when_ms, evloop_timer_fn fn, void *ud)
{
	struct evtimer *t = xcalloc(1, sizeof(*t));
	t->when = when_ms;
	t->seq = l->seq++;
	t->fn = fn;
	t->ud = ud;
	if (l->nheap == l->capheap) {
		l->capheap = l->capheap ? l->capheap * 2 : 16;
		l->heap = xrealloc(l->heap, l->capheap * sizeof(*l->heap));
	}
	heap_set(l, l->nheap++, t);
	sift_up(l, t->slot);
	return t;
}

struct evtimer *evloop_timer_in(struct evloop *l, int64_t delay_ms, evloop_timer_fn fn, void *ud)
{
	return evloop_timer_at(l, evloop_now_ms() + delay_ms, fn, ud);
}

void evloop_timer_cancel(struct evloop *l, struct evtimer *t)
{
	if (!t)
		return;
	heap_remove(l, t->slot);
	free(t);
}

static void run_timers(struct evloop *l)
{
	int64_t now = evloop_now_ms();
	/* Only timers due now: one added by a callback for "now" waits a turn.
	 * Thousands due at once (a kubelet per pod) take turns with the sockets:
	 * what is left after a slice runs after the next poll, which is at once. */
	uint64_t limit = l->seq;
	while (l->nheap && l->heap[0]->when <= now && l->heap[0]->seq < limit &&
	       !evloop_slice_over(l, now)) {
		struct evtimer *t = l->heap[0];
		heap_remove(l, 0);
		evloop_timer_fn fn = t->fn;
		void *ud = t->ud;
		free(t);
		fn(ud);
	}
}

void evloop_run_once(struct evloop *l, int64_t max_wait_ms)
{
	int64_t wait = max_wait_ms;
	if (l->prepare) {
		int64_t w = l->prepare(l->hook_ud);
		if (w >= 0 && (wait < 0 || w < wait))
			wait = w;
	}
	if (l->nheap) {
		int64_t w = l->heap[0]->when - evloop_now_ms();
		if (w < 0)
			w = 0;
		if (wait < 0 || w < wait)
			wait = w;
	}
	if (wait > 60000 || wait < 0)
		wait = 60000;

	size_t n = l->nfds;
	if (n > l->cappoll) {
		l->cappoll = l->capfds;
		l->pfd = xrealloc(l->pfd, l->cappoll * sizeof(*l->pfd));
	}
	struct pollfd *pfd = l->pfd;
	for (size_t i = 0; i < n; i++)
		pfd[i] = (struct pollfd){.fd = l->fds[i].fd, .events = l->fds[i].events};
	int rc = poll(pfd, n, (int)wait);
	if (rc < 0 && errno != EINTR)
		return;
	for (size_t i = 0; rc > 0 && i < n && !l->stopped; i++) {
		if (!pfd[i].revents)
			continue;
		/* Callbacks may add or remove fds: find the entry again by fd. */
		for (size_t j = 0; j < l->nfds; j++) {
			if (l->fds[j].fd == pfd[i].fd) {
				l->fds[j].fn(l->fds[j].ud, pfd[i].fd, pfd[i].revents);
				break;
			}
		}
	}
	if (l->check && !l->stopped)
		l->check(l->hook_ud);
	run_timers(l);
	/* What the timers did (controllers' writes resuming watch streams) goes
	 * out now rather than at the next wake-up, which may be seconds away. */
	if (l->check && !l->stopped)
		l->check(l->hook_ud);
}

void evloop_run(struct evloop *l)
{
	while (!evloop_stopped(l))
		evloop_run_once(l, -1);
}

void evloop_stop(struct evloop *l)
{
	l->stopped = true;
}

bool evloop_stopped(const struct evloop *l)
{
	return l->stopped || (l->sigpipe[0] >= 0 && sig_caught);
}

bool evloop_slice_over(const struct evloop *l, int64_t start_ms)
{
	return evloop_stopped(l) || evloop_now_ms() - start_ms >= SLICE_MS;
}

/* The last resort: whatever the process is doing, it ends now. */
static void die_now(int sig)
{
	static const char msg[] = "podscope-sim: not stopped in time after a signal; exiting\n";
	ssize_t r = write(2, msg, sizeof(msg) - 1);
	(void)r;
	_exit(128 + (sig == SIGALRM && sig_caught ? (int)sig_caught : sig));
}

static void on_signal(int sig)
{
	int saved = errno;
	if (sig_caught)
		die_now(sig);
	sig_caught = sig;
	alarm(EVLOOP_SIGNAL_GRACE_S);
	int fd = sig_fd;
	if (fd >= 0) {
		char c = (char)sig;
		ssize_t r = write(fd, &c, 1);
		(void)r;
	}
	errno = saved;
}

static void on_sigpipe_readable(void *ud, int fd, short revents)
{
	struct evloop *l = ud;
	char c[16];
	while (read(fd, c, sizeof(c)) > 0)
		;
	evloop_stop(l);
}

void evloop_handle_signals(struct evloop *l)
{
	if (l->sigpipe[0] < 0) {
		if (pipe(l->sigpipe) != 0)
			return;
		for (int i = 0; i < 2; i++) {
			fcntl(l->sigpipe[i], F_SETFL, fcntl(l->sigpipe[i], F_GETFL) | O_NONBLOCK);
			fcntl(l->sigpipe[i], F_SETFD, FD_CLOEXEC);
		}
	}
	sig_fd = l->sigpipe[1];
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = die_now;
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	evloop_add_fd(l, l->sigpipe[0], POLLIN, on_sigpipe_readable, l);
}
