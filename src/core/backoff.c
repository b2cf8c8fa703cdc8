#include "config.h"

#include <stdio.h>

#include "podscope/backoff.h"
#include "podscope/duration.h"

bool backoff_expired(const struct backoff_policy *pol, const struct backoff_entry *e,
		     int64_t finished_ms)
{
	return finished_ms - e->last_update_ms > 2 * pol->max_ms;
}

bool backoff_in_backoff(const struct backoff_policy *pol, const struct backoff_entry *e,
			int64_t finished_ms, int64_t now_ms)
{
	if (e->delay_ms == 0)
		return false;
	if (backoff_expired(pol, e, finished_ms))
		return false;
	return now_ms - finished_ms < e->delay_ms;
}

void backoff_next(const struct backoff_policy *pol, struct backoff_entry *e, int64_t finished_ms,
		  int64_t now_ms)
{
	if (e->delay_ms == 0 || backoff_expired(pol, e, finished_ms)) {
		e->delay_ms = pol->initial_ms;
	} else {
		int64_t d = e->delay_ms * 2;
		e->delay_ms = d < pol->max_ms ? d : pol->max_ms;
	}
	e->last_update_ms = now_ms;
}

void backoff_gc(const struct backoff_policy *pol, struct backoff_entry *e, int64_t now_ms)
{
	if (e->delay_ms != 0 && now_ms - e->last_update_ms > 2 * pol->max_ms)
		e->delay_ms = e->last_update_ms = 0;
}

bool backoff_decide(const struct backoff_policy *pol, struct backoff_entry *e, int64_t finished_ms,
		    int64_t now_ms, int64_t *restart_at_ms)
{
	backoff_gc(pol, e, now_ms);
	if (backoff_in_backoff(pol, e, finished_ms, now_ms)) {
		if (restart_at_ms)
			*restart_at_ms = finished_ms + e->delay_ms;
		return false;
	}
	backoff_next(pol, e, finished_ms, now_ms);
	if (restart_at_ms)
		*restart_at_ms = now_ms;
	return true;
}

void backoff_message(const struct backoff_entry *e, const char *container, const char *pod,
		     const char *ns, const char *uid, char *buf, size_t n)
{
	char d[DURATION_BUF];
	duration_go_string(e->delay_ms * DURATION_NS_PER_MS, d, sizeof(d));
	snprintf(buf, n, "back-off %s restarting failed container=%s pod=%s_%s(%s)", d,
		 container ? container : "", pod ? pod : "", ns ? ns : "", uid ? uid : "");
}

void backoff_event_message(const char *container, const char *pod, const char *ns,
			   const char *uid, char *buf, size_t n)
{
	snprintf(buf, n, "Back-off restarting failed container %s in pod %s_%s(%s)",
		 container ? container : "", pod ? pod : "", ns ? ns : "", uid ? uid : "");
}
