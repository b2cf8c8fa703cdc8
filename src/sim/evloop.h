#ifndef PODSCOPE_SIM_EVLOOP_H
#define PODSCOPE_SIM_EVLOOP_H

#include <stdbool.h>
#include <stdint.h>

/*
 * podscope-sim's one loop: poll(2) over a few file descriptors (the HTTP
 * daemon's epoll fd, the signal self-pipe) with a timeout equal to the next
 * timer. No threads: the HTTP server, watch streams and, later, the
 * controllers and kubelets all run from here.
 */

struct evloop;
struct evtimer;

typedef void (*evloop_fd_fn)(void *ud, int fd, short revents);
typedef void (*evloop_timer_fn)(void *ud);
/* Asked before each poll: the longest wait (ms) the caller allows, -1 for any. */
typedef int64_t (*evloop_prepare_fn)(void *ud);
/* Called after each poll, whatever woke it. */
typedef void (*evloop_check_fn)(void *ud);

struct evloop *evloop_new(void);
/* Cancels every pending timer (their callbacks are not called). */
void evloop_free(struct evloop *l);

/* Milliseconds on the monotonic clock. */
int64_t evloop_now_ms(void);

/* Watch fd for the poll events given; one callback per fd. */
void evloop_add_fd(struct evloop *l, int fd, short events, evloop_fd_fn fn, void *ud);
void evloop_remove_fd(struct evloop *l, int fd);

/*
 * One pair of hooks for a library with its own idea of time (the HTTP
 * daemon): prepare bounds the wait, check runs after every wake-up.
 */
void evloop_set_hooks(struct evloop *l, evloop_prepare_fn prepare, evloop_check_fn check, void *ud);

/*
 * A one-shot timer at an absolute monotonic time. The handle stays valid
 * until the timer has fired (its callback has been entered) or has been
 * cancelled; cancelling it later is a bug.
 */
struct evtimer *evloop_timer_at(struct evloop *l, int64_t when_ms, evloop_timer_fn fn, void *ud);
struct evtimer *evloop_timer_in(struct evloop *l, int64_t delay_ms, evloop_timer_fn fn, void *ud);
void evloop_timer_cancel(struct evloop *l, struct evtimer *t);

/* Wait at most max_wait_ms (-1: until something happens), then dispatch. */
void evloop_run_once(struct evloop *l, int64_t max_wait_ms);
/* Run until evloop_stop(). */
void evloop_run(struct evloop *l);
void evloop_stop(struct evloop *l);
bool evloop_stopped(const struct evloop *l);

/*
 * Make SIGTERM and SIGINT stop the loop (through a self-pipe, so that a
 * signal never interrupts anything but poll). SIGPIPE is ignored. Long
 * work (a timer's batch) asks evloop_stopped between items, which is true
 * as soon as a signal came. Should the process still be running
 * EVLOOP_SIGNAL_GRACE_S seconds after the first signal, or get a second
 * one, it exits at once with status 128 + the signal.
 */
#define EVLOOP_SIGNAL_GRACE_S 5
void evloop_handle_signals(struct evloop *l);

/*
 * True when a batch started at start_ms (evloop_now_ms) has used its time
 * slice or the loop is stopping: the caller should re-arm a 0 ms timer and
 * return, so that requests and signals are served between slices.
 */
bool evloop_slice_over(const struct evloop *l, int64_t start_ms);

#endif
