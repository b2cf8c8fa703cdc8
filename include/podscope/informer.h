#ifndef PODSCOPE_INFORMER_H
#define PODSCOPE_INFORMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/store.h"

/*
 * Informers keep the store equal to the cluster, on the one loop (ploop
 * timers and kclient transfers, no threads, no busy loops).
 *
 * Per resource: a list in pages (limit, continue; the pages are one
 * consistent snapshot), applied to the store as a replace-all (objects
 * missing from the new list are deleted, unchanged ones left untouched);
 * then a watch from the list's resourceVersion with allowWatchBookmarks and
 * a randomised timeoutSeconds. When the server ends the stream, the watch
 * starts again from the last resourceVersion seen (bookmarks advance it).
 * A 410 Gone (the HTTP status, or an ERROR event with code 410) means the
 * server no longer has that history: list again at once. Any other failure
 * (refused, reset, truncated stream, 5xx, 429) backs off with jitter
 * (initial doubling to max, each delay times 0.8-1.2, never shorter than
 * Retry-After), then lists again: after an outage we cannot know whether
 * the server still has our history (a restarted API server or simulator
 * may not), and a relist of unchanged objects costs no redraw. When the
 * watch is forbidden (403, the list being allowed) or fails max_failures
 * times in a row, or when the configuration asks for it, the informer polls
 * instead: a full list every poll interval. Polling because the watch kept
 * failing is not for ever: every 6th poll tries the watch again, and its
 * first failure goes back to polling.
 *
 * A list that is forbidden (403) or not served (404) leaves that resource
 * empty: it counts as synced, says why in last_error, and is tried again
 * at the longest back-off. A resource not served is no trouble (a server
 * may lack a kind podscope knows): the others carry on, and screens that
 * show trouble leave it out.
 *
 * A list is given up, and started over after the longest back-off, when its
 * pages failed max_list_retries times (progress or not), when it runs past
 * max_list_pages, or when the server sends a continue token it sent before
 * in that list: such a list would never end. lists_given_up counts these,
 * and last_error says which it was.
 */

struct ploop;
struct kclient;
struct informer_set;

struct informer_config {
	const char *namespace;      /* NULL or "": all namespaces */
	const char *label_selector; /* deployments, replicasets, pods, statefulsets,
				     * daemonsets, jobs and cronjobs only; NULL: none */
	unsigned kinds;             /* 1u << STORE_x bits; 0: all (namespaces only when
				     * watching all namespaces) */
	int64_t poll_ms;            /* > 0: poll every poll_ms, never watch (--poll) */
	int64_t fallback_poll_ms;   /* polling interval after falling back; 0: 10 s */
	int page_limit;             /* 0: 500 */
	int watch_timeout_min_s;    /* 0: 300 */
	int watch_timeout_max_s;    /* 0: 600 */
	int64_t backoff_initial_ms; /* 0: 1 s */
	int64_t backoff_max_ms;     /* 0: 30 s */
	int max_failures;           /* watch failures in a row before polling; 0: 5 */
	long list_timeout_ms;       /* per list page; 0: 60 s */
	uint64_t seed;              /* jitter and timeouts; 0: from the clock */
	int max_list_pages;         /* pages of one list before it is given up; 0: 1000 */
	int max_list_retries;       /* failed pages of one list before it is given up; 0: 10 */
	int64_t max_retry_after_ms; /* the longest Retry-After obeyed; 0: 5 min */
};

/* --poll[=INTERVAL]: the default interval when none is given. */
#define INFORMER_DEFAULT_POLL_MS 5000

enum informer_state {
	INFORMER_IDLE = 0,   /* not started */
	INFORMER_LISTING,    /* a list (or a page of one) is in flight */
	INFORMER_WATCHING,   /* a watch stream is open */
	INFORMER_POLLING,    /* waiting for the next poll */
	INFORMER_BACKOFF,    /* waiting after an error until backoff_until_ms */
	INFORMER_FORBIDDEN,  /* the list is refused (403): empty, retried slowly */
	INFORMER_NOT_SERVED, /* the server has no such resource (404: an API server
			      * without DaemonSets): empty, retried slowly, not trouble */
};

const char *informer_state_name(enum informer_state s); /* "listing", "watching", ... */

struct informer_status {
	enum store_kind kind;
	enum informer_state state;
	bool synced;              /* a first complete list has been applied */
	bool polling;             /* polls instead of watching (asked, forbidden or broken) */
	int64_t synced_ms;        /* ploop_now_ms() of the first complete list, 0 before */
	int64_t backoff_until_ms; /* INFORMER_BACKOFF: when it tries again */
	const char *last_error;   /* "" when the last request went well */
	const char *poll_reason;  /* why it polls: "asked for", the watch's error; "" */
	int64_t poll_every_ms;    /* when polling */
	const char *rv;           /* the resourceVersion it is at */
	unsigned long lists;      /* complete lists applied */
	unsigned long relists_410;
	unsigned long watches; /* watch requests started */
	unsigned long events;  /* watch events applied (bookmarks too) */
	unsigned long errors;
	unsigned long lists_given_up; /* see above */
	long retry_after_s;           /* the server's Retry-After of the last back-off, -1: none */
	/* objects the decoders refused (never stored) since the last list began */
	unsigned long refused;
	const char *last_refused;     /* why the last of them was refused; "" when none */
};

typedef void (*informer_synced_fn)(void *ud);

/*
 * Informers for cfg's kinds, applying to store through client on loop. Strings
 * of cfg are copied. NULL with err (PERR_USAGE) when cfg is invalid.
 */
struct informer_set *informer_set_new(struct ploop *loop, struct kclient *client,
				      struct store *store, const struct informer_config *cfg,
				      struct perr *err);

/* Start listing every resource (once). */
void informer_set_start(struct informer_set *set);

/* Called once, when every resource has been synced for the first time. */
void informer_set_on_synced(struct informer_set *set, informer_synced_fn fn, void *ud);

/* Called when what an informer_status says changes in a way a screen shows
 * (its state, its last error, an object refused), which no store change
 * announces. */
void informer_set_on_status(struct informer_set *set, informer_synced_fn fn, void *ud);

bool informer_set_synced(const struct informer_set *set);
/* Milliseconds from start to the first complete view of everything; -1 before. */
int64_t informer_set_sync_time_ms(const struct informer_set *set);

/* The status of kind k, NULL when the set does not inform about it. Valid
 * until the set changes it (read it, do not keep it). */
const struct informer_status *informer_set_status(const struct informer_set *set,
						  enum store_kind k);

/*
 * One line for a status bar: "pods watching", "events backing off 4s: ...",
 * "pods polling every 10s (asked for)". now_ms: ploop_now_ms().
 */
void informer_status_line(const struct informer_status *st, int64_t now_ms, char *buf, size_t n);

/* List every resource again now (a user's refresh). */
void informer_set_relist(struct informer_set *set);

/* Cancel every request and timer and free the set (the store stays). */
void informer_set_free(struct informer_set *set);

/*
 * Parse --poll's INTERVAL ("5s", "1m", "500ms", a bare number of seconds; NULL
 * or "": INFORMER_DEFAULT_POLL_MS) into milliseconds. -1 when invalid.
 */
int64_t informer_parse_poll(const char *s);

#endif
