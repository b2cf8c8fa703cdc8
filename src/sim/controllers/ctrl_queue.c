#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "ctrl_queue.h"
#include "evloop.h"
#include "sim.h"

struct ctrlq_wake {
	struct ctrlq *q;
	char *key;
	int64_t at;
	struct evtimer *t;
	struct ctrlq_wake *next;
};

/* Syncs per turn of the loop: the rest waits for the next turn. */
#define SYNC_BUDGET 2000

void ctrlq_init(struct ctrlq *q, struct sim *sim, void (*sync)(void *ud, const char *key), void *ud)
{
	memset(q, 0, sizeof(*q));
	q->sim = sim;
	q->sync = sync;
	q->ud = ud;
}

static void run(void *ud)
{
	struct ctrlq *q = ud;
	q->kick = NULL;
	char *key;
	for (int budget = SYNC_BUDGET; budget > 0 && (key = keyq_pop(&q->dirty)); budget--) {
		q->sync(q->ud, key);
		free(key);
	}
	if (q->dirty.n && !q->kick)
		q->kick = evloop_timer_in(q->sim->loop, 0, run, q);
}

void ctrlq_add(struct ctrlq *q, const char *key)
{
	keyq_push(&q->dirty, key);
	if (!q->kick)
		q->kick = evloop_timer_in(q->sim->loop, 0, run, q);
}

void ctrlq_add2(struct ctrlq *q, const char *ns, const char *name)
{
	char *key = xasprintf("%s/%s", ns, name);
	ctrlq_add(q, key);
	free(key);
}

static void wake_fire(void *ud)
{
	struct ctrlq_wake *w = ud;
	struct ctrlq *q = w->q;
	for (struct ctrlq_wake **pp = &q->wakes; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	ctrlq_add(q, w->key);
	free(w->key);
	free(w);
}

void ctrlq_add_at(struct ctrlq *q, const char *key, int64_t t)
{
	struct ctrlq_wake *w;
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

void ctrlq_clear(struct ctrlq *q)
{
	if (q->kick)
		evloop_timer_cancel(q->sim->loop, q->kick);
	q->kick = NULL;
	while (q->wakes) {
		struct ctrlq_wake *w = q->wakes;
		q->wakes = w->next;
		evloop_timer_cancel(q->sim->loop, w->t);
		free(w->key);
		free(w);
	}
	keyq_free(&q->dirty);
}

/* ---- the registry of controllers' states ---- */

struct ctrlreg {
	const void *tag;
	const struct sim *sim;
	void *state;
	struct ctrlreg *next;
};

static struct ctrlreg *regs;

static struct ctrlreg **reg_find(const void *tag, const struct sim *sim)
{
	struct ctrlreg **pp = &regs;
	while (*pp && ((*pp)->tag != tag || (*pp)->sim != sim))
		pp = &(*pp)->next;
	return pp;
}

void ctrlreg_put(const void *tag, const struct sim *sim, void *state)
{
	struct ctrlreg **pp = reg_find(tag, sim);
	if (!*pp) {
		*pp = xcalloc(1, sizeof(**pp));
		(*pp)->tag = tag;
		(*pp)->sim = sim;
	}
	(*pp)->state = state;
}

void *ctrlreg_get(const void *tag, const struct sim *sim)
{
	struct ctrlreg *r = *reg_find(tag, sim);
	return r ? r->state : NULL;
}

void *ctrlreg_take(const void *tag, const struct sim *sim)
{
	struct ctrlreg **pp = reg_find(tag, sim), *r = *pp;
	if (!r)
		return NULL;
	void *state = r->state;
	*pp = r->next;
	free(r);
	return state;
}
