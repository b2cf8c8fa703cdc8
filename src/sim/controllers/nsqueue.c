#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "evloop.h"
#include "nsqueue.h"
#include "sim.h"
#include "store.h"

static bool eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

void nsq_init(struct nsqueue *q, struct sim *sim, const struct simres *res,
	      void (*sync)(void *ud, const struct simobj *obj), void *ud)
{
	memset(q, 0, sizeof(*q));
	q->sim = sim;
	q->res = res;
	q->sync = sync;
	q->ud = ud;
}

static void run(void *ud)
{
	struct nsqueue *q = ud;
	q->timer = NULL;
	char **dirty = q->dirty;
	size_t n = q->n;
	q->dirty = NULL;
	q->n = q->cap = 0;
	struct simsnap *s = simstore_snapshot(q->sim->store, q->res);
	for (size_t i = 0; i < s->n; i++) {
		bool want = false;
		for (size_t k = 0; k < n && !want; k++)
			want = eq(dirty[k], s->items[i]->ns);
		if (want)
			q->sync(q->ud, s->items[i]);
	}
	simsnap_unref(s);
	for (size_t k = 0; k < n; k++)
		free(dirty[k]);
	free(dirty);
}

void nsq_mark(struct nsqueue *q, const char *ns)
{
	if (!ns)
		return;
	for (size_t i = 0; i < q->n; i++)
		if (eq(q->dirty[i], ns))
			return;
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 8;
		q->dirty = xrealloc(q->dirty, q->cap * sizeof(*q->dirty));
	}
	q->dirty[q->n++] = xstrdup(ns);
	if (!q->timer)
		q->timer = evloop_timer_in(q->sim->loop, 0, run, q);
}

void nsq_mark_all(struct nsqueue *q)
{
	struct simsnap *s = simstore_snapshot(q->sim->store, q->res);
	for (size_t i = 0; i < s->n; i++)
		nsq_mark(q, s->items[i]->ns);
	simsnap_unref(s);
}

bool nsq_has(const struct nsqueue *q, const char *ns)
{
	struct simsnap *s = simstore_snapshot(q->sim->store, q->res);
	bool found = false;
	for (size_t i = 0; i < s->n && !found; i++)
		found = eq(s->items[i]->ns, ns);
	simsnap_unref(s);
	return found;
}

void nsq_clear(struct nsqueue *q)
{
	if (q->timer)
		evloop_timer_cancel(q->sim->loop, q->timer);
	for (size_t i = 0; i < q->n; i++)
		free(q->dirty[i]);
	free(q->dirty);
	q->timer = NULL;
	q->dirty = NULL;
	q->n = q->cap = 0;
}
