#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "podscope/loop.h"

#include "testutil.h"

struct rec {
	int order[16];
	int n;
};

/* Timer callbacks record their tag in a shared array. */
struct tagged {
	struct rec *rec;
	int tag;
};

static void tag_timer(void *ud)
{
	struct tagged *t = ud;
	t->rec->order[t->rec->n++] = t->tag;
}

static void run_until(struct ploop *l, const int *flag, int want, int64_t limit_ms)
{
	int64_t deadline = ploop_now_ms() + limit_ms;
	while (*flag < want && ploop_now_ms() < deadline)
		ploop_run_once(l, (int)(deadline - ploop_now_ms()));
}

START_TEST(timers_fire_in_deadline_order)
{
	struct ploop *l = ploop_new();
	ck_assert_ptr_nonnull(l);
	struct rec rec = {{0}, 0};
	struct tagged t[4] = {{&rec, 1}, {&rec, 2}, {&rec, 3}, {&rec, 4}};
	int64_t now = ploop_now_ms();
	ploop_timer_at(l, now + 60, tag_timer, &t[2]);
	ploop_timer_at(l, now + 20, tag_timer, &t[0]);
	ploop_timer_at(l, now + 40, tag_timer, &t[1]);
	struct ptimer *gone = ploop_timer_at(l, now + 30, tag_timer, &t[3]);
	ploop_timer_cancel(l, gone);
	run_until(l, &rec.n, 3, 5000);
	ck_assert_int_eq(rec.n, 3);
	ck_assert_int_eq(rec.order[0], 1);
	ck_assert_int_eq(rec.order[1], 2);
	ck_assert_int_eq(rec.order[2], 3);
	/* it waited for them, it did not fire early */
	ck_assert_int_ge(ploop_now_ms() - now, 60);
	ploop_free(l);
}
END_TEST

START_TEST(equal_deadlines_keep_creation_order)
{
	struct ploop *l = ploop_new();
	struct rec rec = {{0}, 0};
	struct tagged t[6];
	int64_t when = ploop_now_ms() + 5;
	for (int i = 0; i < 6; i++) {
		t[i] = (struct tagged){&rec, i};
		ploop_timer_at(l, when, tag_timer, &t[i]);
	}
	run_until(l, &rec.n, 6, 5000);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(rec.order[i], i);
	ploop_free(l);
}
END_TEST

/* Many timers, random-ish deadlines and cancellations: the heap keeps order. */
START_TEST(heap_order_under_churn)
{
	struct ploop *l = ploop_new();
	struct rec rec = {{0}, 0};
	struct ptimer *h[200];
	struct tagged dummy = {&rec, 0};
	int64_t base = ploop_now_ms() + 100000;
	for (int i = 0; i < 200; i++)
		h[i] = ploop_timer_at(l, base + (i * 7919) % 1000, tag_timer, &dummy);
	for (int i = 0; i < 200; i += 3)
		ploop_timer_cancel(l, h[i]);
	/* An earlier timer is the next deadline: run_once waits only for it. */
	struct tagged first = {&rec, 42};
	ploop_timer_in(l, 10, tag_timer, &first);
	int64_t t0 = ploop_now_ms();
	run_until(l, &rec.n, 1, 3000);
	ck_assert_int_eq(rec.n, 1);
	ck_assert_int_eq(rec.order[0], 42);
	ck_assert_int_lt(ploop_now_ms() - t0, 2000);
	ploop_free(l); /* frees the pending ones */
}
END_TEST

struct rearm {
	struct ploop *l;
	int count;
};

static void rearm_timer(void *ud)
{
	struct rearm *r = ud;
	r->count++;
	ploop_timer_in(r->l, 0, rearm_timer, r);
}

/* A timer that re-arms itself for "now" must not trap run_once. */
START_TEST(rearming_timer_does_not_starve)
{
	struct ploop *l = ploop_new();
	struct rearm r = {l, 0};
	ploop_timer_in(l, 0, rearm_timer, &r);
	ploop_run_once(l, 0);
	ck_assert_int_eq(r.count, 1);
	ploop_run_once(l, 0);
	ck_assert_int_eq(r.count, 2);
	ploop_free(l);
}
END_TEST

START_TEST(idle_loop_sleeps)
{
	struct ploop *l = ploop_new();
	struct timespec c0, c1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	int64_t t0 = ploop_now_ms();
	ploop_run_once(l, 300);
	int64_t dt = ploop_now_ms() - t0;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	ck_assert_int_ge(dt, 290);
	/* it slept: a busy loop would have burnt most of those 300 ms */
	long cpu_ms = (c1.tv_sec - c0.tv_sec) * 1000 + (c1.tv_nsec - c0.tv_nsec) / 1000000;
	ck_assert_int_lt(cpu_ms, 100);
	ploop_free(l);
}
END_TEST

struct fdrec {
	struct ploop *l;
	int calls;
	char got;
	bool remove;
};

static void on_fd(void *ud, int fd, short revents)
{
	struct fdrec *f = ud;
	f->calls++;
	if (revents & POLLIN) {
		ck_assert_int_eq(read(fd, &f->got, 1), 1);
	}
	if (f->remove)
		ploop_remove_fd(f->l, fd);
}

START_TEST(fd_callbacks)
{
	struct ploop *l = ploop_new();
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	struct fdrec f = {l, 0, 0, false};
	ploop_add_fd(l, p[0], POLLIN, on_fd, &f);
	ploop_run_once(l, 0);
	ck_assert_int_eq(f.calls, 0);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	run_until(l, &f.calls, 1, 5000);
	ck_assert_int_eq(f.calls, 1);
	ck_assert_int_eq(f.got, 'x');
	/* removed inside its own callback: no more calls */
	f.remove = true;
	ck_assert_int_eq(write(p[1], "yz", 2), 2);
	run_until(l, &f.calls, 2, 5000);
	ck_assert_int_eq(f.calls, 2);
	ploop_run_once(l, 20);
	ck_assert_int_eq(f.calls, 2);
	close(p[0]);
	close(p[1]);
	ploop_free(l);
}
END_TEST

static void on_hup(void *ud, int fd, short revents)
{
	struct fdrec *f = ud;
	f->calls++;
	f->got = (revents & POLLHUP) ? 'H' : '?';
	ploop_remove_fd(f->l, fd);
}

/* A hang-up reaches the callback (curl_multi_poll() alone would hide it). */
START_TEST(fd_hangup_is_reported)
{
	struct ploop *l = ploop_new();
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	struct fdrec f = {l, 0, 0, false};
	ploop_add_fd(l, p[0], POLLIN, on_hup, &f);
	close(p[1]);
	run_until(l, &f.calls, 1, 5000);
	ck_assert_int_eq(f.calls, 1);
	ck_assert_int_eq(f.got, 'H');
	close(p[0]);
	ploop_free(l);
}
END_TEST

static struct ploop *sig_loop;
static volatile sig_atomic_t sig_seen;

static void on_alarm(int sig)
{
	(void)sig;
	sig_seen = 1;
	ploop_wakeup(sig_loop);
}

/* A signal handler wakes a loop that would otherwise sleep for a minute. */
START_TEST(wakeup_from_signal_handler)
{
	struct ploop *l = ploop_new();
	sig_loop = l;
	struct sigaction sa = {0};
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 0}, {0, 50000}};
	setitimer(ITIMER_REAL, &it, NULL);
	int64_t t0 = ploop_now_ms();
	while (!sig_seen && ploop_now_ms() - t0 < 10000)
		ploop_run_once(l, 60000);
	ck_assert(sig_seen);
	ck_assert_int_lt(ploop_now_ms() - t0, 10000);
	signal(SIGALRM, SIG_DFL);
	ploop_free(l);
}
END_TEST

static void count_signal(void *ud, int signo)
{
	ck_assert_int_eq(signo, SIGUSR1);
	(*(int *)ud)++;
}

/* A signal's callback runs from the loop, not from the handler, and the
 * action there was before comes back afterwards. */
START_TEST(signal_callbacks)
{
	signal(SIGUSR1, SIG_IGN);
	struct ploop *l = ploop_new();
	int n = 0;
	ploop_on_signal(l, SIGUSR1, count_signal, &n);
	raise(SIGUSR1);
	ck_assert_int_eq(n, 0); /* not from the handler */
	int64_t t0 = ploop_now_ms();
	while (n == 0 && ploop_now_ms() - t0 < 10000)
		ploop_run_once(l, 60000);
	ck_assert_int_eq(n, 1);
	/* two before the loop looks: one call */
	raise(SIGUSR1);
	raise(SIGUSR1);
	ploop_run_once(l, 60000);
	ck_assert_int_eq(n, 2);
	ploop_on_signal(l, SIGUSR1, NULL, NULL);
	struct sigaction now;
	sigaction(SIGUSR1, NULL, &now);
	ck_assert(now.sa_handler == SIG_IGN);
	/* ploop_free() puts it back too */
	ploop_on_signal(l, SIGUSR1, count_signal, &n);
	ploop_free(l);
	sigaction(SIGUSR1, NULL, &now);
	ck_assert(now.sa_handler == SIG_IGN);
	signal(SIGUSR1, SIG_DFL);
}
END_TEST

static void stop_timer(void *ud)
{
	ploop_stop(ud);
}

START_TEST(run_until_stop)
{
	struct ploop *l = ploop_new();
	ck_assert(!ploop_stopped(l));
	ploop_timer_in(l, 10, stop_timer, l);
	ploop_run(l);
	ck_assert(ploop_stopped(l));
	ck_assert_ptr_nonnull(ploop_curl_multi(l));
	ploop_free(l);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("loop");
	tcase_add_test(tc, timers_fire_in_deadline_order);
	tcase_add_test(tc, equal_deadlines_keep_creation_order);
	tcase_add_test(tc, heap_order_under_churn);
	tcase_add_test(tc, rearming_timer_does_not_starve);
	tcase_add_test(tc, idle_loop_sleeps);
	tcase_add_test(tc, fd_callbacks);
	tcase_add_test(tc, fd_hangup_is_reported);
	tcase_add_test(tc, wakeup_from_signal_handler);
	tcase_add_test(tc, run_until_stop);
	tcase_add_test(tc, signal_callbacks);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
