#ifndef PODSCOPE_BACKOFF_H
#define PODSCOPE_BACKOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The kubelet's container restart back-off (CrashLoopBackOff), and the same
 * arithmetic for image pulls: client-go flowcontrol.Backoff as
 * kuberuntime's doBackOff uses it, with no jitter. Pure: the caller passes
 * the (simulated) clock. See shared/reference/kubelet_lifecycle.md part 1.
 */

struct backoff_policy {
	int64_t initial_ms; /* 10 s: backOffPeriod */
	int64_t max_ms;     /* 300 s: MaxContainerBackOff */
};

#define BACKOFF_POLICY_KUBELET ((struct backoff_policy){.initial_ms = 10000, .max_ms = 300000})

/* One entry per container (pod uid + container name + spec hash). Zero = no entry. */
struct backoff_entry {
	int64_t delay_ms;       /* the current back-off; 0 when there is no entry */
	int64_t last_update_ms; /* when Next last ran (the container's last restart) */
};

/*
 * hasExpired: the container ran more than 2*max after its last restart, so
 * its next crash starts again at the initial delay.
 */
bool backoff_expired(const struct backoff_policy *pol, const struct backoff_entry *e,
		     int64_t finished_ms);

/* IsInBackOffSince: an exit at finished_ms must still wait at now_ms. */
bool backoff_in_backoff(const struct backoff_policy *pol, const struct backoff_entry *e,
			int64_t finished_ms, int64_t now_ms);

/* Next: the entry after a restart at now_ms of a container that exited at finished_ms. */
void backoff_next(const struct backoff_policy *pol, struct backoff_entry *e, int64_t finished_ms,
		  int64_t now_ms);

/* GC: forget an entry not updated for more than 2*max (the kubelet does this every 2 s). */
void backoff_gc(const struct backoff_policy *pol, struct backoff_entry *e, int64_t now_ms);

/*
 * A pod sync at now_ms looks at a container that exited at finished_ms
 * (doBackOff, after GC): returns true when it restarts now (the entry has
 * been advanced), false when it must wait; *restart_at_ms (may be NULL)
 * gets the earliest time a sync will restart it (finished_ms + delay), or
 * now_ms when it restarts now.
 */
bool backoff_decide(const struct backoff_policy *pol, struct backoff_entry *e, int64_t finished_ms,
		    int64_t now_ms, int64_t *restart_at_ms);

/*
 * The waiting message while in back-off, as the kubelet writes it:
 * "back-off 40s restarting failed container=NAME pod=POD_NS(UID)". The
 * event (reason BackOff) says "Back-off restarting failed container NAME in
 * pod POD_NS(UID)". Both truncate to n bytes.
 */
void backoff_message(const struct backoff_entry *e, const char *container, const char *pod,
		     const char *ns, const char *uid, char *buf, size_t n);
void backoff_event_message(const char *container, const char *pod, const char *ns,
			   const char *uid, char *buf, size_t n);

#endif
