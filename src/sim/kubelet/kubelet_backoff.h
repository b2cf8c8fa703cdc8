#ifndef PODSCOPE_SIM_KUBELET_BACKOFF_H
#define PODSCOPE_SIM_KUBELET_BACKOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The kubelet's restart back-off (CrashLoopBackOff) and the same arithmetic
 * for image pulls, restated for the simulator from client-go
 * util/flowcontrol/backoff.go (Backoff with no jitter) and
 * pkg/kubelet/kuberuntime/kuberuntime_manager.go (doBackOff). Pure: the
 * caller passes the simulated clock.
 */

struct kbackoff_policy {
	int64_t initial_ms; /* backOffPeriod, 10 s */
	int64_t max_ms;     /* MaxContainerBackOff, 300 s */
};

#define KBACKOFF_KUBELET ((struct kbackoff_policy){.initial_ms = 10000, .max_ms = 300000})

/* One per-item entry (one container). All zero: no entry. */
struct kbackoff {
	int64_t delay_ms;       /* entry.backoff */
	int64_t last_update_ms; /* entry.lastUpdate */
};

/* hasExpired: event_ms is more than 2*max after the entry's last update. */
bool kbackoff_expired(const struct kbackoff_policy *p, const struct kbackoff *e, int64_t event_ms);

/* IsInBackOffSince(event_ms) at now_ms. */
bool kbackoff_in_backoff_since(const struct kbackoff_policy *p, const struct kbackoff *e,
			       int64_t event_ms, int64_t now_ms);

/* Next(event_ms) at now_ms: initial for a new or expired entry, else doubled up to max. */
void kbackoff_next(const struct kbackoff_policy *p, struct kbackoff *e, int64_t event_ms,
		   int64_t now_ms);

/* GC at now_ms: drop the entry when not updated for more than 2*max. */
void kbackoff_gc(const struct kbackoff_policy *p, struct kbackoff *e, int64_t now_ms);

/*
 * doBackOff at now_ms for a container that exited at finished_ms, after a
 * GC: true when it restarts now (Next has run; *at = now_ms), false while
 * in back-off (*at = the earliest restart, finished_ms + the delay).
 */
bool kbackoff_decide(const struct kbackoff_policy *p, struct kbackoff *e, int64_t finished_ms,
		     int64_t now_ms, int64_t *at);

/*
 * doBackOff's texts: the waiting message "back-off 40s restarting failed
 * container=C pod=P_NS(UID)" and the BackOff event's "Back-off restarting
 * failed container C in pod P_NS(UID)". Both truncate to n bytes.
 */
void kbackoff_message(const struct kbackoff *e, const char *container, const char *pod,
		      const char *ns, const char *uid, char *buf, size_t n);
void kbackoff_event_message(const char *container, const char *pod, const char *ns, const char *uid,
			    char *buf, size_t n);

#endif
