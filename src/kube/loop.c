#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "podscope/loop.h"
#include "podscope/xalloc.h"

#include "loop_xfer.h"

struct ptimer {
	int64_t when;
	uint64_t seq; /* ties broken by creation order */
	size_t idx;   /* position in the heap */
	ploop_timer_fn fn;
	void *ud;
};

struct pfd {
	int fd;
	short events;
	ploop_fd_fn fn;
	void *ud;
	uint64_t gen; /* changes when the slot is reused, see dispatch_fds() */
};

struct csock {
	curl_socket_t fd;
	short events; /* POLLIN and POLLOUT */
};

struct psig {
	ploop_signal_fn fn;
	void *ud;
	struct sigaction old;
};

struct ploop {
	CURLM *multi;
	int wake[2]; /* self-pipe: [0] polled, [1] written by ploop_wakeup() */

	struct ptimer **heap;
	size_t ntimers, cap_timers;
	uint64_t timer_seq;

	struct pfd *fds;
	size_t nfds, cap_fds;
	uint64_t fd_gen;

	/* The sockets curl wants watched (CURLMOPT_SOCKETFUNCTION). Only the
	 * transfers whose socket is ready, or whose time has come
	 * (curl_multi_timeout, asked at every turn), are run: with
	 * curl_multi_perform every wake-up visited every transfer, nine or so
	 * for each context of a fleet. */
	struct csock *cs;
	size_t ncs, cap_cs;

	struct pfd *snap;     /* scratch: the fds as they were when polled */
	struct csock *csnap;  /* scratch: curl's sockets as they were */
	struct pollfd *pfds;  /* scratch: wake pipe, fds, curl's sockets */
	size_t cap_scratch;

	struct psig sigs[NSIG];

	bool in_curl;
	volatile sig_atomic_t stopped;
};

/* What a signal handler may touch: flags and the self-pipe's write end. */
static volatile sig_atomic_t sig_pending[NSIG];
static volatile sig_atomic_t sig_any;
static volatile sig_atomic_t sig_wake_fd = -1;

int64_t ploop_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool curl_ready;

static void set_nonblock_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	fl = fcntl(fd, F_GETFD);
	if (fl >= 0)
		fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

/* --- curl's sockets and timeout --- */

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *ud, void *sockp)
{
	(void)easy;
	(void)sockp;
	struct ploop *l = ud;
	size_t i = 0;
	while (i < l->ncs && l->cs[i].fd != fd)
		i++;
	if (what == CURL_POLL_REMOVE) {
		if (i < l->ncs)
			l->cs[i] = l->cs[--l->ncs];
		return 0;
	}
	if (i == l->ncs) {
		if (l->ncs == l->cap_cs) {
			l->cap_cs = l->cap_cs ? 2 * l->cap_cs : 8;
			l->cs = xrealloc(l->cs, l->cap_cs * sizeof(*l->cs));
		}
		l->ncs++;
	}
	l->cs[i].fd = fd;
	l->cs[i].events = (short)((what & CURL_POLL_IN ? POLLIN : 0) |
				  (what & CURL_POLL_OUT ? POLLOUT : 0));
	return 0;
}

/* How long until curl wants to run with no socket ready: -1 never, 0 now.
 * Asked of curl each time, not kept from CURLMOPT_TIMERFUNCTION: that one
 * is called only when the deadline changes, so a deadline that our
 * millisecond clock saw pass a little before curl's own clock did would
 * never be reported again, and the transfer would wait for a socket. */
static long curl_wait_ms(struct ploop *l)
{
	long ms = -1;
	if (curl_multi_timeout(l->multi, &ms) != CURLM_OK)
		return -1;
	return ms;
}

struct ploop *ploop_new(void)
{
	if (!curl_ready) {
		/* Once per process; the loop is the first thing that needs curl. */
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return NULL;
		curl_ready = true;
	}
	struct ploop *l = xcalloc(1, sizeof(*l));
	if (pipe(l->wake) < 0) {
		free(l);
		return NULL;
	}
	set_nonblock_cloexec(l->wake[0]);
	set_nonblock_cloexec(l->wake[1]);
	l->multi = curl_multi_init();
	if (!l->multi) {
		close(l->wake[0]);
		close(l->wake[1]);
		free(l);
		return NULL;
	}
	/* Watches are long-lived: many may share one HTTP/2 connection. */
	curl_multi_setopt(l->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	curl_multi_setopt(l->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
	curl_multi_setopt(l->multi, CURLMOPT_SOCKETDATA, l);
	return l;
}

void ploop_free(struct ploop *l)
{
	if (!l)
		return;
	for (int i = 1; i < NSIG; i++)
		if (l->sigs[i].fn)
			ploop_on_signal(l, i, NULL, NULL);
	if (sig_wake_fd == l->wake[1])
		sig_wake_fd = -1;
	for (size_t i = 0; i < l->ntimers; i++)
		free(l->heap[i]);
	free(l->heap);
	free(l->fds);
	/* Before the sockets' table: cleaning up may call on_curl_socket. */
	curl_multi_cleanup(l->multi);
	free(l->cs);
	free(l->snap);
	free(l->csnap);
	free(l->pfds);
	close(l->wake[0]);
	close(l->wake[1]);
	free(l);
}

void *ploop_curl_multi(struct ploop *l)
{
	return l->multi;
}

bool ploop_in_curl(const struct ploop *l)
{
	return l->in_curl;
}

/* --- timers: a binary min-heap on (when, seq) --- */

static bool timer_before(const struct ptimer *a, const struct ptimer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void heap_set(struct ploop *l, size_t i, struct ptimer *t)
{
	l->heap[i] = t;
	t->idx = i;
}

static void sift_up(struct ploop *l, size_t i)
{
	struct ptimer *t = l->heap[i];
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!timer_before(t, l->heap[parent]))
			break;
		heap_set(l, i, l->heap[parent]);
		i = parent;
	}
	heap_set(l, i, t);
}

static void sift_down(struct ploop *l, size_t i)
{
	struct ptimer *t = l->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= l->ntimers)
			break;
		if (c + 1 < l->ntimers && timer_before(l->heap[c + 1], l->heap[c]))
			c++;
		if (!timer_before(l->heap[c], t))
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

static void heap_remove(struct ploop *l, struct ptimer *t)
{
	size_t i = t->idx;
	struct ptimer *last = l->heap[--l->ntimers];
	if (last == t)
		return;
	heap_set(l, i, last);
	sift_down(l, i);
	sift_up(l, last->idx);
}

struct ptimer *ploop_timer_at(struct ploop *l, int64_t when_ms, ploop_timer_fn fn, void *ud)
{
	struct ptimer *t = xcalloc(1, sizeof(*t));
	t->when = when_ms;
	t->seq = l->timer_seq++;
	t->fn = fn;
	t->ud = ud;
	if (l->ntimers == l->cap_timers) {
		l->cap_timers = l->cap_timers ? 2 * l->cap_timers : 16;
		l->heap = xrealloc(l->heap, l->cap_timers * sizeof(*l->heap));
	}
	heap_set(l, l->ntimers++, t);
	sift_up(l, t->idx);
	return t;
}

struct ptimer *ploop_timer_in(struct ploop *l, int64_t delay_ms, ploop_timer_fn fn, void *ud)
{
	return ploop_timer_at(l, ploop_now_ms() + (delay_ms > 0 ? delay_ms : 0), fn, ud);
}

void ploop_timer_cancel(struct ploop *l, struct ptimer *t)
{
	if (!t)
		return;
	heap_remove(l, t);
	free(t);
}

/* Fire the timers that are due, but not the ones added while firing (a timer
 * that re-arms itself at "now" must not keep this loop from returning). */
static void dispatch_timers(struct ploop *l)
{
	int64_t now = ploop_now_ms();
	uint64_t limit = l->timer_seq;
	while (l->ntimers > 0) {
		struct ptimer *t = l->heap[0];
		if (t->when > now || t->seq >= limit)
			break;
		heap_remove(l, t);
		ploop_timer_fn fn = t->fn;
		void *ud = t->ud;
		free(t);
		fn(ud);
	}
}

/* --- extra file descriptors --- */

static struct pfd *find_fd(struct ploop *l, int fd)
{
	for (size_t i = 0; i < l->nfds; i++)
		if (l->fds[i].fd == fd)
			return &l->fds[i];
	return NULL;
}

void ploop_add_fd(struct ploop *l, int fd, short events, ploop_fd_fn fn, void *ud)
{
	struct pfd *p = find_fd(l, fd);
	if (!p) {
		if (l->nfds == l->cap_fds) {
			l->cap_fds = l->cap_fds ? 2 * l->cap_fds : 8;
			l->fds = xrealloc(l->fds, l->cap_fds * sizeof(*l->fds));
		}
		p = &l->fds[l->nfds++];
	}
	p->fd = fd;
	p->events = events;
	p->fn = fn;
	p->ud = ud;
	p->gen = ++l->fd_gen;
}

void ploop_remove_fd(struct ploop *l, int fd)
{
	struct pfd *p = find_fd(l, fd);
	if (!p)
		return;
	*p = l->fds[--l->nfds];
}

static void drain_wake(struct ploop *l)
{
	char junk[64];
	while (read(l->wake[0], junk, sizeof(junk)) > 0)
		;
}

void ploop_wakeup(struct ploop *l)
{
	int saved = errno;
	ssize_t n = write(l->wake[1], "", 1);
	(void)n; /* a full pipe already means "wake up" */
	errno = saved;
}

static void on_signal(int signo)
{
	int saved = errno;
	sig_pending[signo] = 1;
	sig_any = 1;
	if (sig_wake_fd >= 0) {
		ssize_t n = write(sig_wake_fd, "", 1);
		(void)n;
	}
	errno = saved;
}

void ploop_on_signal(struct ploop *l, int signo, ploop_signal_fn fn, void *ud)
{
	if (signo <= 0 || signo >= NSIG)
		return;
	struct psig *ps = &l->sigs[signo];
	if (!fn) {
		if (ps->fn)
			sigaction(signo, &ps->old, NULL);
		ps->fn = NULL;
		ps->ud = NULL;
		return;
	}
	sig_wake_fd = l->wake[1];
	if (!ps->fn) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESTART;
		sigaction(signo, &sa, &ps->old);
	}
	ps->fn = fn;
	ps->ud = ud;
}

static void dispatch_signals(struct ploop *l)
{
	if (!sig_any)
		return;
	sig_any = 0;
	for (int i = 1; i < NSIG; i++) {
		if (!sig_pending[i])
			continue;
		sig_pending[i] = 0;
		if (l->sigs[i].fn)
			l->sigs[i].fn(l->sigs[i].ud, i);
	}
}

/* Call the callbacks of the fds that poll reported (rev: their revents, in
 * the order of the snapshot), from that snapshot: a callback may add or
 * remove fds. One whose slot changed since the poll (removed, or replaced by
 * another registration) is skipped. */
static void dispatch_fds(struct ploop *l, size_t n, const struct pollfd *rev)
{
	for (size_t i = 0; i < n; i++) {
		if (!rev[i].revents)
			continue;
		struct pfd *p = find_fd(l, l->snap[i].fd);
		if (!p || p->gen != l->snap[i].gen)
			continue;
		p->fn(p->ud, p->fd, rev[i].revents);
	}
}

/* Tell curl which of its sockets poll found ready, then whether its time
 * has come; curl runs only the transfers concerned. */
static void dispatch_curl(struct ploop *l, size_t n, const struct pollfd *rev)
{
	int running;
	l->in_curl = true;
	for (size_t i = 0; i < n; i++) {
		short r = rev[i].revents;
		if (!r)
			continue;
		int ev = 0;
		if (r & (POLLIN | POLLPRI | POLLHUP))
			ev |= CURL_CSELECT_IN;
		if (r & POLLOUT)
			ev |= CURL_CSELECT_OUT;
		if (r & (POLLERR | POLLNVAL))
			ev |= CURL_CSELECT_ERR;
		curl_multi_socket_action(l->multi, l->csnap[i].fd, ev, &running);
	}
	if (curl_wait_ms(l) == 0)
		curl_multi_socket_action(l->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	l->in_curl = false;
}

static void dispatch_transfers(struct ploop *l)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(l->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct ploop_xfer *x = NULL;
		CURL *easy = msg->easy_handle;
		CURLcode rc = msg->data.result;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
		if (x && x->done)
			x->done(x, rc);
		else
			curl_multi_remove_handle(l->multi, easy);
	}
}

static int poll_timeout(struct ploop *l, int max_wait_ms)
{
	int64_t wait = max_wait_ms < 0 ? INT_MAX : max_wait_ms;
	int64_t now = ploop_now_ms();
	if (l->ntimers > 0) {
		int64_t due = l->heap[0]->when - now;
		if (due < 0)
			due = 0;
		if (due < wait)
			wait = due;
	}
	long curl_ms = curl_wait_ms(l);
	if (curl_ms >= 0 && curl_ms < wait)
		wait = curl_ms;
	return (int)wait;
}

void ploop_run_once(struct ploop *l, int max_wait_ms)
{
	size_t n = l->nfds, nc = l->ncs;
	if (n + nc + 1 > l->cap_scratch) {
		l->cap_scratch = n + nc + 8;
		l->snap = xrealloc(l->snap, l->cap_scratch * sizeof(*l->snap));
		l->csnap = xrealloc(l->csnap, l->cap_scratch * sizeof(*l->csnap));
		l->pfds = xrealloc(l->pfds, l->cap_scratch * sizeof(*l->pfds));
	}
	/* The wake pipe, the fds, curl's sockets: snapshots, as the callbacks
	 * may change the tables. */
	l->pfds[0] = (struct pollfd){.fd = l->wake[0], .events = POLLIN};
	for (size_t i = 0; i < n; i++) {
		l->snap[i] = l->fds[i];
		l->pfds[1 + i] = (struct pollfd){.fd = l->fds[i].fd, .events = l->fds[i].events};
	}
	for (size_t i = 0; i < nc; i++) {
		l->csnap[i] = l->cs[i];
		l->pfds[1 + n + i] = (struct pollfd){.fd = l->cs[i].fd, .events = l->cs[i].events};
	}

	/* The wait is the shortest of: the caller's limit, the next timer,
	 * curl's next deadline. */
	int timeout = poll_timeout(l, max_wait_ms);
	int ready = poll(l->pfds, (nfds_t)(n + nc + 1), timeout);
	if (ready < 0) {
		/* EINTR (a signal: its flag is dispatched below); anything else
		 * (EINVAL, ENOMEM) must not spin: nothing is taken as ready. A
		 * closed fd is no error here: poll reports it as POLLNVAL. */
		for (size_t i = 0; i < n + nc + 1; i++)
			l->pfds[i].revents = 0;
		if (errno != EINTR)
			poll(NULL, 0, timeout < 100 ? timeout : 100);
	}
	if (l->pfds[0].revents)
		drain_wake(l);
	dispatch_signals(l);
	dispatch_fds(l, n, l->pfds + 1);
	dispatch_curl(l, nc, l->pfds + 1 + n);
	dispatch_transfers(l);
	dispatch_timers(l);
}

/* ploop_stop() is sticky: a stop that comes before ploop_run() (from a
 * signal handler, say) is not lost. */
void ploop_run(struct ploop *l)
{
	while (!l->stopped)
		ploop_run_once(l, -1);
}

void ploop_stop(struct ploop *l)
{
	l->stopped = 1;
	ploop_wakeup(l);
}

bool ploop_stopped(const struct ploop *l)
{
	return l->stopped;
}
