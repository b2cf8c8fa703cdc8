#include "config.h"

#include <time.h>

#include "podscope/client.h"
#include "podscope/serverclock.h"

/*
 * Each client keeps its own API server's clock (client.c feeds it every
 * Date header). "Now" follows one of them: the first client made, until
 * something else is chosen with serverclock_follow. The loop is
 * single-threaded, so one pointer is enough.
 */
static const struct kclient *followed;

int64_t serverclock_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t serverclock_now_ms(void)
{
	return serverclock_wall_ms() + serverclock_skew_ms();
}

int64_t serverclock_skew_ms(void)
{
	return followed ? kclient_skew_ms(followed) : 0;
}

void serverclock_follow(const struct kclient *c)
{
	followed = c;
}

const struct kclient *serverclock_following(void)
{
	return followed;
}

void serverclock_adopt(const struct kclient *c)
{
	if (!followed)
		followed = c;
}

void serverclock_forget(const struct kclient *c)
{
	if (followed == c)
		followed = NULL;
}
