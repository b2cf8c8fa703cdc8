#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "ctrl_deployment_int.h"
#include "ctrl_job_queue.h"
#include "evloop.h"
#include "sim.h"

struct jobwake {
	struct jobq *q;
	char *key;
	int64_t at;
	struct evtimer *t;
	struct jobwake *next;
};

struct jobq {
	struct sim *sim;
	jobq_sync_fn sync;
	void *ud;
	struct keyq keys;
	struct evtimer *kick;
	struct jobwake *wakes;
};

#define SYNC_BUDGET 2000

static void run(void *ud)
{
	struct jobq *q = ud;
	q->kick = NULL;
	char *key;
	for (int budget = SYNC_BUDGET; budget > 0 && (key = keyq_pop(&q->keys)); budget--) {
		q->sync(q->ud, key);
		free(key);
	}
	if (q->keys.n && !q->kick)
		q->kick = evloop_timer_in(q->sim->loop, 0, run, q);
}

struct jobq *jobq_new(struct sim *sim, jobq_sync_fn sync, void *ud)
{
	struct jobq *q = xcalloc(1, sizeof(*q));
	q->sim = sim;
	q->sync = sync;
	q->ud = ud;
	return q;
}

void jobq_free(struct jobq *q)
{
	if (!q)
		return;
	if (q->kick)
		evloop_timer_cancel(q->sim->loop, q->kick);
	while (q->wakes) {
		struct jobwake *w = q->wakes;
		q->wakes = w->next;
		evloop_timer_cancel(q->sim->loop, w->t);
		free(w->key);
		free(w);
	}
	keyq_free(&q->keys);
	free(q);
}

void jobq_push(struct jobq *q, const char *key)
{
	keyq_push(&q->keys, key);
	if (!q->kick)
		q->kick = evloop_timer_in(q->sim->loop, 0, run, q);
}

void jobq_push2(struct jobq *q, const char *ns, const char *name)
{
	char *key = xasprintf("%s/%s", ns, name);
	jobq_push(q, key);
	free(key);
}

static void wake_fire(void *ud)
{
	struct jobwake *w = ud;
	struct jobq *q = w->q;
	for (struct jobwake **pp = &q->wakes; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	jobq_push(q, w->key);
	free(w->key);
	free(w);
}

void jobq_wake_at(struct jobq *q, const char *key, int64_t t)
{
	struct jobwake *w;
	for (w = q->wakes; w; w = w->next)
		if (strcmp(w->key, key) == 0)
			break;
	if (w) {
		if (w->at <= t)
			return;
		evloop_timer_cancel(q->sim->loop, w->t);
	} else {
		w = xcalloc(1, sizeof(*w));
		w->q = q;
		w->key = xstrdup(key);
		w->next = q->wakes;
		q->wakes = w;
	}
	w->at = t;
	w->t = simclock_timer_at(&q->sim->clock, q->sim->loop, t, wake_fire, w);
}
