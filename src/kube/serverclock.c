#include "config.h"

#include <time.h>

#include "podscope/clockskew.h"
#include "podscope/serverclock.h"

/* The loop is single-threaded: one estimator for the process. */
static struct clockskew skew;

int64_t serverclock_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t serverclock_now_ms(void)
{
	return serverclock_wall_ms() + clockskew_get(&skew);
}

int64_t serverclock_skew_ms(void)
{
	return clockskew_get(&skew);
}

void serverclock_sample(const char *date, int64_t sent_ms, int64_t headers_ms)
{
	clockskew_add(&skew, date, sent_ms, headers_ms);
}
