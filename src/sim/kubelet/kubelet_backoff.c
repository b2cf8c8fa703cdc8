#include "config.h"

#include <stdio.h>

#include "kubelet_backoff.h"
#include "podscope/duration.h"

bool kbackoff_expired(const struct kbackoff_policy *p, const struct kbackoff *e, int64_t event_ms)
{
	/* Stable once it has run for twice the maximum. */
	return event_ms - e->last_update_ms > 2 * p->max_ms;
}

bool kbackoff_in_backoff_since(const struct kbackoff_policy *p, const struct kbackoff *e,
			       int64_t event_ms, int64_t now_ms)
{
	if (e->delay_ms == 0 || kbackoff_expired(p, e, event_ms))
		return false;
	return now_ms - event_ms < e->delay_ms;
}

void kbackoff_next(const struct kbackoff_policy *p, struct kbackoff *e, int64_t event_ms,
		   int64_t now_ms)
{
	if (e->delay_ms == 0 || kbackoff_expired(p, e, event_ms)) {
		e->delay_ms = p->initial_ms;
	} else {
		int64_t d = e->delay_ms * 2;
		e->delay_ms = d < p->max_ms ? d : p->max_ms;
	}
	e->last_update_ms = now_ms;
}

void kbackoff_gc(const struct kbackoff_policy *p, struct kbackoff *e, int64_t now_ms)
{
	if (e->delay_ms != 0 && now_ms - e->last_update_ms > 2 * p->max_ms)
		e->delay_ms = e->last_update_ms = 0;
}

bool kbackoff_decide(const struct kbackoff_policy *p, struct kbackoff *e, int64_t finished_ms,
		     int64_t now_ms, int64_t *at)
{
	kbackoff_gc(p, e, now_ms);
	if (kbackoff_in_backoff_since(p, e, finished_ms, now_ms)) {
		*at = finished_ms + e->delay_ms;
		return false;
	}
	kbackoff_next(p, e, finished_ms, now_ms);
	*at = now_ms;
	return true;
}

void kbackoff_message(const struct kbackoff *e, const char *container, const char *pod,
		      const char *ns, const char *uid, char *buf, size_t n)
{
	char d[DURATION_BUF];
	duration_go_string(e->delay_ms * DURATION_NS_PER_MS, d, sizeof(d));
	snprintf(buf, n, "back-off %s restarting failed container=%s pod=%s_%s(%s)", d,
		 container ? container : "", pod ? pod : "", ns ? ns : "", uid ? uid : "");
}

void kbackoff_event_message(const char *container, const char *pod, const char *ns, const char *uid,
			    char *buf, size_t n)
{
	snprintf(buf, n, "Back-off restarting failed container %s in pod %s_%s(%s)",
		 container ? container : "", pod ? pod : "", ns ? ns : "", uid ? uid : "");
}
