#ifndef PODSCOPE_INFORMER_INT_H
#define PODSCOPE_INFORMER_INT_H

/* Shared by src/kube/informer*.c only. */

#include "podscope/buf.h"
#include "podscope/informer.h"
#include "podscope/loop.h"
#include "podscope/listsplit.h"
#include "podscope/watchframe.h"

struct informer {
	struct informer_set *set;
	enum store_kind kind;
	struct informer_status st;
	struct kreq *req;
	struct ptimer *timer; /* back-off, poll or watch watchdog */
	struct wframe frame;
	char *rv;           /* where a watch starts */
	char *list_rv;      /* the resourceVersion of the list in progress */
	char *cont;         /* continue token of the list in progress */
	char *error;        /* st.last_error */
	char *refused;      /* st.last_refused */
	char *poll_reason;  /* st.poll_reason */
	int64_t backoff_ms; /* the next back-off before jitter */
	int64_t watch_started_ms;
	unsigned long watch_lines; /* lines of the current watch */
	int failures;              /* watch failures in a row */
	int64_t poll_every_ms;     /* > 0 once polling */
	bool fell_back;            /* polling because the watch kept failing */
	int polls;                 /* polls since falling back */
	int stop;                  /* why the data callback dropped the stream (enum in .c) */
	struct lsplit split;       /* the list page arriving */
	struct perr split_err;     /* why the page is not a list, once it is not */
	bool page_first;           /* the page arriving begins a list */
	bool page_begun;           /* ... and its snapshot has begun in the store */
	bool snapshot_open;        /* store_replace_begin without its end yet */
	int list_pages;            /* pages of the list in progress */
	int list_retries;          /* failed pages since the last complete list */
	uint64_t *tokens;          /* hashes of the continue tokens of this list */
	size_t ntokens, cap_tokens;
};

struct informer_set {
	struct ploop *loop;
	struct kclient *client;
	struct store *store;
	struct informer_config cfg;         /* strings owned */
	struct informer *inf[STORE_NKINDS]; /* NULL: not informed */
	informer_synced_fn synced_fn;
	void *synced_ud;
	informer_synced_fn status_fn;
	void *status_ud;
	int64_t started_ms;
	int64_t synced_ms;
	uint64_t rng;
	bool started;
	bool synced;
};

/* Paths (informer_path.c): heap strings. */
char *informer_list_path(const struct informer *inf, const char *cont);
char *informer_watch_path(const struct informer *inf, const char *rv, int timeout_s);
/* A random number in [0, 1) from the set's generator. */
double informer_random(struct informer_set *set);

/* One informer's state machine, split in two files: informer.c (the watch,
 * the shared steps) and informer_list.c (the list). */
void inf_set_error(struct informer *inf, const char *msg);
/* An object the decoders refused, counted and kept in st.last_refused. */
void inf_note_refused(struct informer *inf, const struct perr *why);
void inf_set_state(struct informer *inf, enum informer_state s);
void inf_cancel_timer(struct informer *inf);
void inf_cancel_req(struct informer *inf);
void inf_replace_str(char **dst, const char *src);
/* Run fn(inf) after delay_ms, in place of the informer's pending timer. */
void inf_after(struct informer *inf, int64_t delay_ms, ploop_timer_fn fn);
/* The timer callback that lists again. */
void inf_on_timer_list(void *ud);
/* Wait with jitter (never less than Retry-After, up to a cap), then list. */
void inf_back_off(struct informer *inf, long retry_after_s);
void inf_watch_start(struct informer *inf);
/* Ask for the next page of the list (the first when there is no continue
 * token). */
void inf_list_start(struct informer *inf);

#endif
