#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/informer.h"
#include "podscope/loop.h"
#include "podscope/model.h"
#include "podscope/recfile.h"
#include "podscope/rectimeline.h"
#include "podscope/store.h"
#include "podscope/ui.h"
#include "podscope/xalloc.h"
#include "replay_driver.h"

/* The replay driver: see replay_driver.h. */

#define TICK_MS 100

static const int speeds[] = {1, 2, 5, 10, 20, 50, 100};
#define N_SPEEDS ((int)(sizeof(speeds) / sizeof(speeds[0])))

struct replay_driver {
	unsigned char *data;
	size_t len;
	char *context; /* the segments applied */
	char note[256]; /* what the reader skipped, or "" */
	struct rec_timeline tl;
	struct ui_replay_hooks hooks;
	/* playing */
	struct ploop *loop;
	struct store *st;
	void (*moved)(void *);
	void *moved_ud;
	struct rec_reader *r;
	struct rec_event ev; /* read, not applied yet (later than pos) */
	bool have;
	bool done; /* the reader is at the end */
	int64_t pos, skew;
	int speed;
	bool paused;
	struct ptimer *timer;
	int64_t last_tick;
	/* indexing */
	int64_t index_t;
	/* Where a jump may start: each segment's header and the moment its
	 * first lists had all ended (-1: never). */
	struct checkpoint {
		size_t offset;
		int64_t synced_ms;
	} *cps;
	size_t n_cps;
	size_t cp; /* the checkpoint the reader started at */
};

#define MAX_CHECKPOINTS 4096

/* ---- indexing: what changed state, and when ---- */

static bool pod_same(const struct pod *a, const struct pod *b)
{
	if (strcmp(a->phase ? a->phase : "", b->phase ? b->phase : "") != 0 ||
	    (a->deleted != 0) != (b->deleted != 0) || a->n_statuses != b->n_statuses ||
	    a->n_init_statuses != b->n_init_statuses || a->n_conditions != b->n_conditions)
		return false;
	for (int i = 0; i < a->n_statuses; i++)
		if (a->statuses[i].ready != b->statuses[i].ready ||
		    a->statuses[i].state.kind != b->statuses[i].state.kind ||
		    a->statuses[i].restart_count != b->statuses[i].restart_count)
			return false;
	for (int i = 0; i < a->n_init_statuses; i++)
		if (a->init_statuses[i].state.kind != b->init_statuses[i].state.kind)
			return false;
	for (int i = 0; i < a->n_conditions; i++)
		if (a->conditions[i].status != b->conditions[i].status)
			return false;
	return true;
}

static bool str_differ(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") != 0;
}

static void on_index_change(void *ud, enum store_kind k, const void *o, const void *n)
{
	struct replay_driver *d = ud;
	bool trans = false, rollout = false;
	if (k == STORE_PODS) {
		trans = !o || !n || !pod_same(o, n);
	} else if (k == STORE_DEPLOYMENTS) {
		const struct deployment *a = o, *b = n;
		trans = !a || !b || a->replicas != b->replicas ||
			a->updated_replicas != b->updated_replicas ||
			a->ready_replicas != b->ready_replicas ||
			a->available_replicas != b->available_replicas ||
			a->observed_generation != b->observed_generation ||
			str_differ(a->revision, b->revision);
		rollout = a && b && str_differ(a->revision, b->revision);
	} else if (k == STORE_STATEFULSETS) {
		const struct statefulset *a = o, *b = n;
		trans = !a || !b || a->ready_replicas != b->ready_replicas ||
			a->updated_replicas != b->updated_replicas ||
			str_differ(a->update_revision, b->update_revision);
		rollout = a && b && str_differ(a->update_revision, b->update_revision);
	} else if (k == STORE_DAEMONSETS) {
		const struct daemonset *a = o, *b = n;
		trans = !a || !b || a->number_ready != b->number_ready ||
			a->updated_number_scheduled != b->updated_number_scheduled ||
			a->number_available != b->number_available;
	}
	if (trans)
		rec_timeline_transition(&d->tl, d->index_t);
	if (rollout)
		rec_timeline_rollout(&d->tl, d->index_t);
}

/* Read every event once: the contexts, the time line. */
static int index_file(struct replay_driver *d, const char *want, struct perr *err)
{
	struct rec_reader *r = rec_reader_new(d->data, d->len);
	struct store *st = store_new();
	store_subscribe(st, on_index_change, d);
	rec_timeline_init(&d->tl, INFORMER_BACKOFF);
	struct rec_event ev;
	char first[REC_MAX_CONTEXT + 1] = "";
	bool several = false, any = false;
	int got;
	while ((got = rec_reader_next(r, &ev, err)) == 1) {
		const char *ctx = rec_reader_context(r);
		if (!any && !want)
			snprintf(first, sizeof(first), "%s", ctx);
		if (!want && strcmp(ctx, first) != 0)
			several = true;
		any = true;
		if (strcmp(ctx, want ? want : first) != 0)
			continue;
		unsigned long seg = rec_reader_segment(r);
		if (seg != d->tl.segment && d->n_cps < MAX_CHECKPOINTS) {
			d->cps = xrealloc(d->cps, (d->n_cps + 1) * sizeof(*d->cps));
			d->cps[d->n_cps++] =
			    (struct checkpoint){rec_reader_segment_offset(r), -1};
		}
		rec_timeline_event(&d->tl, &ev, seg);
		if (d->n_cps && d->tl.synced && d->cps[d->n_cps - 1].synced_ms < 0)
			d->cps[d->n_cps - 1].synced_ms = d->tl.last_ms;
		d->index_t = d->tl.last_ms;
		rec_apply(st, &ev);
	}
	rec_timeline_end(&d->tl);
	if (rec_reader_damage(r))
		snprintf(d->note, sizeof(d->note),
			 "%lu damaged part%s of the recording skipped (the last at %s); what they "
			 "held is missing",
			 rec_reader_damage(r), rec_reader_damage(r) == 1 ? "" : "s",
			 rec_reader_last_damage(r));
	store_free(st);
	rec_reader_free(r);
	if (got < 0)
		return -1;
	if (several) {
		perr_set(err, PERR_USAGE, "the recording holds more than one context: choose one "
					  "with --context");
		return -1;
	}
	if (!d->tl.segment) {
		perr_set(err, PERR_USAGE, "no events%s%s", want ? " of context " : "",
			 want ? want : "");
		return -1;
	}
	d->context = xstrdup(want ? want : first);
	return 0;
}

/* ---- playing ---- */

/* The last checkpoint complete by t (0: the start of the file). */
static size_t checkpoint_for(const struct replay_driver *d, int64_t t)
{
	size_t best = 0;
	for (size_t i = 0; i < d->n_cps; i++)
		if (d->cps[i].synced_ms >= 0 && d->cps[i].synced_ms <= t)
			best = i;
	return best;
}

/* A fresh store, read from checkpoint cp: a segment whose lists rebuild
 * what its informers watched, with a dictionary of its own. */
static void rewind_(struct replay_driver *d, size_t cp)
{
	size_t off = cp < d->n_cps ? d->cps[cp].offset : 0;
	if (off > d->len)
		off = 0;
	d->cp = cp;
	rec_reader_free(d->r);
	d->r = rec_reader_new(d->data + off, d->len - off);
	d->have = d->done = false;
	d->skew = 0;
	for (int k = 0; k < STORE_NKINDS; k++)
		store_clear(d->st, (enum store_kind)k);
}

/* Apply every event up to t. */
static void apply_until(struct replay_driver *d, int64_t t)
{
	struct perr err = {0};
	while (!d->done) {
		if (!d->have) {
			if (rec_reader_next(d->r, &d->ev, &err) != 1) {
				d->done = true;
				break;
			}
			if (strcmp(rec_reader_context(d->r), d->context) != 0)
				continue;
			d->have = true;
		}
		if (d->ev.t_ms > t)
			break;
		if (d->ev.op == REC_CLOCK)
			d->skew = d->ev.value;
		rec_apply(d->st, &d->ev);
		d->have = false;
	}
	perr_clear(&err);
}

static void seek(struct replay_driver *d, int64_t t)
{
	if (t < d->tl.first_ms)
		t = d->tl.first_ms;
	if (t > d->tl.last_ms)
		t = d->tl.last_ms;
	/* Back, or on past a later checkpoint: from the nearest one. */
	size_t cp = checkpoint_for(d, t);
	if (t < d->pos || !d->r || (cp > d->cp && d->cps[cp].synced_ms > d->pos))
		rewind_(d, cp);
	apply_until(d, t);
	d->pos = t;
}

static void on_tick(void *ud);

static void schedule(struct replay_driver *d)
{
	if (d->timer || d->paused)
		return;
	d->last_tick = ploop_now_ms();
	d->timer = ploop_timer_in(d->loop, TICK_MS, on_tick, d);
}

static void on_tick(void *ud)
{
	struct replay_driver *d = ud;
	d->timer = NULL;
	int64_t now = ploop_now_ms();
	int64_t t = d->pos + (now - d->last_tick) * d->speed;
	if (t >= d->tl.last_ms) {
		t = d->tl.last_ms;
		d->paused = true; /* the end: it stays */
	}
	seek(d, t);
	schedule(d);
	if (d->moved)
		d->moved(d->moved_ud);
}

static void h_start(void *ud, struct ploop *loop, struct store *st, void (*moved)(void *),
		    void *moved_ud)
{
	struct replay_driver *d = ud;
	d->loop = loop;
	d->st = st;
	d->moved = moved;
	d->moved_ud = moved_ud;
	d->pos = d->tl.first_ms;
	/* From the first moment with something listed. */
	seek(d, rec_timeline_covered(&d->tl, d->tl.first_ms));
	schedule(d);
}

static void h_state(void *ud, struct ui_replay_state *out)
{
	struct replay_driver *d = ud;
	out->pos_ms = d->pos;
	out->skew_ms = d->skew;
	out->speed = d->speed;
	out->paused = d->paused;
	out->tl = &d->tl;
}

static void set_paused(struct replay_driver *d, bool paused)
{
	d->paused = paused;
	if (paused && d->timer) {
		ploop_timer_cancel(d->loop, d->timer);
		d->timer = NULL;
	}
	schedule(d);
}

static int h_command(void *ud, enum ui_replay_cmd c, int64_t arg, char *msg, size_t n)
{
	struct replay_driver *d = ud;
	int64_t t = -1;
	int i;
	switch (c) {
	case UI_REPLAY_PAUSE:
		if (d->paused && d->pos >= d->tl.last_ms)
			seek(d, d->tl.first_ms);
		set_paused(d, !d->paused);
		return 0;
	case UI_REPLAY_PREV:
		t = rec_timeline_prev(&d->tl, d->pos);
		if (t < 0) {
			snprintf(msg, n, "no change before this moment");
			return -1;
		}
		break;
	case UI_REPLAY_NEXT:
		t = rec_timeline_next(&d->tl, d->pos);
		if (t < 0) {
			snprintf(msg, n, "no change after this moment");
			return -1;
		}
		break;
	case UI_REPLAY_FASTER:
	case UI_REPLAY_SLOWER:
		for (i = 0; i < N_SPEEDS - 1 && speeds[i] < d->speed; i++)
			;
		if (c == UI_REPLAY_FASTER && speeds[i] <= d->speed)
			i++;
		else if (c == UI_REPLAY_SLOWER)
			i--;
		i = i < 0 ? 0 : i >= N_SPEEDS ? N_SPEEDS - 1 : i;
		d->speed = speeds[i];
		return 0;
	case UI_REPLAY_SEEK:
		if (arg < d->tl.first_ms || arg > d->tl.last_ms) {
			snprintf(msg, n, "that moment is not in the recording");
			return -1;
		}
		seek(d, arg);
		return 0;
	case UI_REPLAY_ROLLOUT:
		t = rec_timeline_next_rollout(&d->tl, d->pos);
		if (t < 0) {
			snprintf(msg, n, "no rollout starts after this moment");
			return -1;
		}
		seek(d, t);
		return 0;
	}
	seek(d, t);
	set_paused(d, true);
	return 0;
}

static void h_stop(void *ud)
{
	struct replay_driver *d = ud;
	if (d->timer)
		ploop_timer_cancel(d->loop, d->timer);
	d->timer = NULL;
	d->moved = NULL;
	rec_reader_free(d->r);
	d->r = NULL;
	d->st = NULL;
}

struct replay_driver *replay_driver_new(const char *path, unsigned char *data, size_t len,
					const char *context, int speed, struct perr *err)
{
	struct replay_driver *d = xcalloc(1, sizeof(*d));
	d->data = data;
	d->len = len;
	d->speed = speed < 1 ? 1 : speed > 100 ? 100 : speed;
	if (index_file(d, context, err) < 0) {
		perr_prefix(err, "%s", path);
		replay_driver_free(d);
		return NULL;
	}
	return d;
}

const struct ui_replay_hooks *replay_driver_hooks(struct replay_driver *d, const char *ns)
{
	d->hooks = (struct ui_replay_hooks){.start = h_start,
					    .state = h_state,
					    .command = h_command,
					    .stop = h_stop,
					    .context = d->context,
					    .namespace = ns,
					    .note = d->note[0] ? d->note : NULL,
					    .ud = d};
	return &d->hooks;
}

void replay_driver_free(struct replay_driver *d)
{
	if (!d)
		return;
	h_stop(d);
	rec_timeline_free(&d->tl);
	free(d->cps);
	free(d->context);
	free(d->data);
	free(d);
}
