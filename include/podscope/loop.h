#ifndef PODSCOPE_LOOP_H
#define PODSCOPE_LOOP_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The one event loop: no threads. It waits in poll() on the sockets curl
 * asks for (CURLMOPT_SOCKETFUNCTION) plus the extra file descriptors
 * registered here (terminal input, the signal self-pipe), with a timeout
 * equal to the next timer or curl's own deadline; then curl runs only the
 * transfers whose socket is ready (curl_multi_socket_action), so a wake-up
 * costs what arrived, not the number of open watches. When nothing is due
 * and nothing arrives, the process sleeps.
 */

struct ploop;
struct ptimer;

typedef void (*ploop_fd_fn)(void *ud, int fd, short revents);
typedef void (*ploop_timer_fn)(void *ud);

struct ploop *ploop_new(void);
void ploop_free(struct ploop *l);

/* Milliseconds on the monotonic clock. */
int64_t ploop_now_ms(void);

/* Watch fd for events (POLLIN, POLLOUT); one callback per fd. revents are
 * poll()'s, POLLHUP, POLLERR and POLLNVAL included: a callback that gets
 * one of those must remove the fd, or the loop wakes for it forever.
 * Remove an fd before closing it. */
void ploop_add_fd(struct ploop *l, int fd, short events, ploop_fd_fn fn, void *ud);
void ploop_remove_fd(struct ploop *l, int fd);

/* A one-shot timer at an absolute monotonic time. The handle is valid until
 * the timer fires or is cancelled. */
struct ptimer *ploop_timer_at(struct ploop *l, int64_t when_ms, ploop_timer_fn fn, void *ud);
struct ptimer *ploop_timer_in(struct ploop *l, int64_t delay_ms, ploop_timer_fn fn, void *ud);
void ploop_timer_cancel(struct ploop *l, struct ptimer *t);

/* Wait at most max_wait_ms (-1: until something happens), then dispatch
 * what is ready: fds, finished and streaming transfers, due timers. */
void ploop_run_once(struct ploop *l, int max_wait_ms);

/* Run until ploop_stop() is called. */
void ploop_run(struct ploop *l);
void ploop_stop(struct ploop *l);
bool ploop_stopped(const struct ploop *l);

/* Wake a loop that waits in poll (from a signal handler: async-signal-safe). */
void ploop_wakeup(struct ploop *l);

/* Run fn from the loop (not from the handler) after signo arrived; several
 * arrivals between two passes give one call. The handler only notes the
 * signal and wakes the loop through its self-pipe. Signals are per process:
 * one loop at a time handles them. fn NULL puts back the action there was
 * before, as ploop_free() does. SIGCHLD: reap your own children by pid, never with
 * waitpid(-1) (exec credential plugins are reaped by theirs). */
typedef void (*ploop_signal_fn)(void *ud, int signo);
void ploop_on_signal(struct ploop *l, int signo, ploop_signal_fn fn, void *ud);

/* The curl multi handle the loop drives (for kube/client.c only). */
void *ploop_curl_multi(struct ploop *l);

#endif
