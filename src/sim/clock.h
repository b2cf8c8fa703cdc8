#ifndef PODSCOPE_SIM_CLOCK_H
#define PODSCOPE_SIM_CLOCK_H

#include <stdint.h>

/*
 * The simulated clock. It starts at the real wall time and runs `speed`
 * times faster, so that at --speed 60 a CrashLoopBackOff of five minutes
 * passes in five real seconds while every timestamp the simulator writes
 * (creationTimestamp, startedAt, finishedAt, lastTransitionTime, events)
 * stays consistent with every duration it simulates. Controllers and
 * kubelets think only in simulated milliseconds since the epoch; the clock
 * turns those into real deadlines for the event loop.
 *
 * Tests can also step the clock by hand (simclock_advance): then every timer
 * that falls due runs, in order, on the next loop iteration.
 */

struct evloop;
struct evtimer;

struct simclock {
	double speed;      /* simulated seconds per real second, > 0 */
	int64_t epoch0_ms; /* simulated (and real) wall time at start */
	int64_t mono0_ms;  /* the loop's monotonic clock at start */
	int64_t offset_ms; /* simulated time added by simclock_advance */
};

void simclock_init(struct simclock *c, double speed);

/* Simulated milliseconds since the epoch. */
int64_t simclock_now(const struct simclock *c);

/* The monotonic real time (evloop_now_ms scale) at which simulated time t
 * is reached; never earlier than now. */
int64_t simclock_real_at(const struct simclock *c, int64_t t);

/* A one-shot loop timer at simulated time t (see evloop_timer_at). */
struct evtimer *simclock_timer_at(const struct simclock *c, struct evloop *l, int64_t t,
				  void (*fn)(void *ud), void *ud);

/* Jump ahead by ms of simulated time (tests and scenarios). Timers set
 * before the jump keep their real deadlines; callers that need them to run
 * at once re-arm them (the controllers do: they re-check on every sync). */
void simclock_advance(struct simclock *c, int64_t ms);

/* --clock-skew: the simulated cluster's clock runs ms ahead of (or, when
 * negative, behind) the real one from the start, as a server with a wrong
 * clock would; every timestamp and the HTTP Date header follow it. */
#define SIMCLOCK_SKEW_MAX_MS (INT64_C(30) * 86400 * 1000)
void simclock_skew(struct simclock *c, int64_t ms);

/* The RFC 7231 IMF-fixdate of t: "Mon, 07 Dec 2026 12:43:38 GMT". buf
 * needs 30 bytes at least. */
void simclock_format_http(int64_t t, char *buf, unsigned long n);

/* RFC 3339 in UTC with second precision, as the API server writes
 * timestamps: "2026-11-27T11:23:05Z". buf needs 21 bytes at least. */
void simclock_format(int64_t t, char *buf, unsigned long n);

#endif
