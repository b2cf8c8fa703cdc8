#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "evloop.h"
#include "podscope/duration.h"
#include "podscope/err.h"

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void simclock_init(struct simclock *c, double speed)
{
	c->speed = speed > 0 ? speed : 1.0;
	/* PODSCOPE_SIM_START (RFC 3339) starts the clock at a fixed instant, so
	 * that timestamps and ages are the same on every run (golden tests). */
	const char *start = getenv("PODSCOPE_SIM_START");
	struct perr err = {0};
	if (!start || !*start || duration_parse_rfc3339(start, &c->epoch0_ms, &err) != 0) {
		if (start && *start)
			fprintf(stderr, "podscope-sim: PODSCOPE_SIM_START: %s; using the real clock\n",
				perr_msg(&err));
		c->epoch0_ms = wall_ms();
	}
	perr_clear(&err);
	c->mono0_ms = evloop_now_ms();
	c->offset_ms = 0;
}

int64_t simclock_now(const struct simclock *c)
{
	int64_t real = evloop_now_ms() - c->mono0_ms;
	return c->epoch0_ms + c->offset_ms + (int64_t)((double)real * c->speed);
}

int64_t simclock_real_at(const struct simclock *c, int64_t t)
{
	int64_t now = evloop_now_ms();
	int64_t sim_left = t - simclock_now(c);
	if (sim_left <= 0)
		return now;
	/* Round up, so a timer never fires before its simulated time. */
	double real_left = (double)sim_left / c->speed;
	int64_t ms = (int64_t)real_left;
	if ((double)ms < real_left)
		ms++;
	return now + ms;
}

struct evtimer *simclock_timer_at(const struct simclock *c, struct evloop *l, int64_t t,
				  void (*fn)(void *ud), void *ud)
{
	return evloop_timer_at(l, simclock_real_at(c, t), fn, ud);
}

void simclock_advance(struct simclock *c, int64_t ms)
{
	if (ms > 0)
		c->offset_ms += ms;
}

void simclock_format(int64_t t, char *buf, unsigned long n)
{
	/* Kubernetes' metav1.Time marshals to whole seconds. */
	duration_format_rfc3339(t, 0, buf, n);
}

void simclock_skew(struct simclock *c, int64_t ms)
{
	if (ms >= -SIMCLOCK_SKEW_MAX_MS && ms <= SIMCLOCK_SKEW_MAX_MS)
		c->epoch0_ms += ms;
}

void simclock_format_http(int64_t t, char *buf, unsigned long n)
{
	static const char *const wd[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int64_t s = t >= 0 ? t / 1000 : -((-t + 999) / 1000);
	int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	int64_t sod = s - days * 86400;
	int64_t y;
	unsigned m, d;
	duration_civil_from_days(days, &y, &m, &d);
	int w = (int)(((days % 7) + 7) % 7);
	snprintf(buf, n, "%s, %02u %s %04lld %02d:%02d:%02d GMT", wd[w], d, mon[(m - 1) % 12],
	         (long long)y, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
}
