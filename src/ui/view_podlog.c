#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logpane_int.h"
#include "podscope/logfollow.h"
#include "podscope/logstore.h"
#include "podscope/sort.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "ui_int.h"

/*
 * The log panes: each pod's follow lines are copied, once each
 * (logfollow_take skips what a reconnect sends again), into a display
 * stream of the pane's own small logstore, which caps what the pane holds;
 * the follows' streams live in the same store. The merged pane keeps one
 * source per pod (at most LOGPANE_MAX_PODS), attaches the pods that start,
 * stops following those that went (their lines stay while there is room),
 * and shows the lines of the generation chosen in time order. The views never speak HTTP: logfollow
 * does, on the loop, and calls back here when bytes come; a container that
 * exits and starts again is read again by the same follow.
 */

/* The tags' colours: roles of the theme, one per pod by its name's hash. */
static const enum theme_role tag_roles[] = {
    ROLE_INFO,       ROLE_OK,          ROLE_KEY,           ROLE_WARNING,
    ROLE_RS_NEW,     ROLE_GROUP,       ROLE_POD_PROBING,   ROLE_POD_STARTING,
};

static void take_line(void *ud, const struct logline *l)
{
	struct lsrc *s = ud;
	logstream_feed(s->lp->st, s->shown, l->raw, l->len);
	logstream_feed(s->lp->st, s->shown, "\n", 1);
}

static void on_log(void *ud, struct logfollow *f, const struct kresp *resp)
{
	struct lsrc *s = ud;
	struct logpane *lp = s->lp;
	logfollow_take(f, take_line, s);
	lp->dirty = true; /* a feed may drop any stream's lines for room */
	if (resp && (resp->status >= 400 || resp->status == 0))
		snprintf(lp->error, sizeof(lp->error), "%s%s%s", lp->merged ? s->pod : "",
			 lp->merged ? ": " : "", perr_msg(&resp->err));
	ui_request_data(lp->ui); /* a chatty pod: at most one frame per gap */
}

static void src_free(struct logpane *lp, struct lsrc *s)
{
	logfollow_free(s->f);
	if (s->shown)
		logstore_remove(lp->st, s->shown);
	free(s);
	lp->dirty = true;
}

static void drop_sources(struct logpane *lp)
{
	for (size_t i = 0; i < lp->nsrc; i++)
		src_free(lp, lp->src[i]);
	lp->nsrc = 0;
	lp->error[0] = '\0';
}

/* A short tag in a colour stable per pod. */
static void make_tag(struct lsrc *s, const char *wl)
{
	uint32_t h = logline_tag(s->pod, wl, s->tag, sizeof(s->tag));
	s->role = tag_roles[h % (sizeof(tag_roles) / sizeof(tag_roles[0]))];
}

/* Follow pod's container (previous: its last run, read once). */
static struct lsrc *src_new(struct logpane *lp, const char *pod, const char *container,
			    bool previous, int64_t tail)
{
	struct lsrc *s = xcalloc(1, sizeof(*s));
	s->lp = lp;
	snprintf(s->pod, sizeof(s->pod), "%s", pod);
	snprintf(s->container, sizeof(s->container), "%s", container);
	make_tag(s, lp->name);
	s->live = true;
	/* Keys of its own: a pod gone keeps its lines under its old ones while
	 * a new pod of the same name (a StatefulSet's) gets new ones. */
	char key[300];
	unsigned serial = lp->serial++;
	snprintf(key, sizeof(key), "s/%u/%s", serial, pod);
	s->shown = logstore_open(lp->st, key);
	struct podlog_opts o = {
	    .container = container[0] ? container : NULL,
	    .previous = previous,
	    .follow = !previous, /* a previous log is over: read once */
	    .tail = tail,
	};
	struct perr err = {0};
	snprintf(key, sizeof(key), "f/%u/%s", serial, pod);
	if (s->shown && !lp->ui->client)
		perr_set(&err, PERR_USAGE, "logs are not recorded: a replay has none");
	else if (s->shown)
		s->f = logfollow_new(lp->ui->loop, lp->ui->client, lp->st, key, lp->ns, pod, &o,
				     on_log, s, &err);
	if (!s->f)
		snprintf(lp->error, sizeof(lp->error), "%s%s%s", lp->merged ? pod : "",
			 lp->merged ? ": " : "",
			 s->shown ? perr_msg(&err) : "too many logs open at once");
	perr_clear(&err);
	lp->dirty = true;
	return s;
}

/* The pod pane: (re)start reading the chosen container's log. */
static void start(struct logpane *lp)
{
	drop_sources(lp);
	const struct pod *p = store_get_pod(lp->ui->store, lp->ns, lp->name);
	const char *c = "";
	if (p && p->n_specs > 0) {
		if (lp->cidx >= p->n_specs || lp->cidx < 0)
			lp->cidx = 0;
		c = p->specs[lp->cidx].name ? p->specs[lp->cidx].name : "";
	}
	lp->src[lp->nsrc++] = src_new(lp, lp->name, c, lp->previous, LOGPANE_TAIL);
	lp->src[0]->in_gen = true;
	lp->shown = 1;
	lp->top = 0;
}

/* Whether pod is among the n in v. */
static bool listed_in(const struct pod *const *v, size_t n, const char *pod)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(v[k]->name, pod) == 0)
			return true;
	return false;
}

/* Room for one more source: false when every one is followed; else a gone
 * pod's lines go, the least recently listed first (the array's order). */
static bool make_room(struct logpane *lp)
{
	if (lp->nsrc < LOGPANE_MAX_PODS)
		return true;
	for (size_t i = 0; i < lp->nsrc; i++) {
		if (lp->src[i]->gone) {
			src_free(lp, lp->src[i]);
			memmove(lp->src + i, lp->src + i + 1, (lp->nsrc - i - 1) * sizeof(*lp->src));
			lp->nsrc--;
			return true;
		}
	}
	return false;
}

/* The merged pane: attach the pods listed now; stop following those that
 * went, keeping their lines while there is room (a pod that was replaced
 * is often the one whose last lines matter). Every generation's pods are
 * followed, so that choosing another shows what was read already; the
 * generation chosen only says whose lines show. */
static void sync_pods(struct logpane *lp)
{
	const struct pod *pods[LOGPANE_MAX_PODS], *news[LOGPANE_MAX_PODS];
	lp->listed = lp->pods_fn(lp->ui, lp->pods_ud, LOGPANE_GEN_BOTH, pods, LOGPANE_MAX_PODS);
	size_t np = lp->listed < LOGPANE_MAX_PODS ? lp->listed : LOGPANE_MAX_PODS;
	size_t nn = lp->pods_fn(lp->ui, lp->pods_ud, LOGPANE_GEN_NEW, news, LOGPANE_MAX_PODS);
	nn = nn < LOGPANE_MAX_PODS ? nn : LOGPANE_MAX_PODS;
	for (size_t i = 0; i < lp->nsrc; i++)
		lp->src[i]->live = false;
	lp->capped = lp->listed > LOGPANE_MAX_PODS;
	for (size_t k = 0; k < np; k++) {
		struct lsrc *have = NULL;
		for (size_t i = 0; i < lp->nsrc && !have; i++)
			if (strcmp(lp->src[i]->pod, pods[k]->name) == 0 && !lp->src[i]->gone)
				have = lp->src[i];
		/* A pod not yet scheduled has no log to read: attached once it runs. */
		if (!have && pods[k]->n_specs > 0 && pods[k]->node_name && *pods[k]->node_name) {
			if (make_room(lp)) {
				const char *c = pods[k]->specs[0].name ? pods[k]->specs[0].name : "";
				have = src_new(lp, pods[k]->name, c, false, LOGPANE_POD_TAIL);
				lp->src[lp->nsrc++] = have;
			} else {
				lp->capped = true;
			}
		}
		if (have) {
			have->live = true;
			have->is_new = listed_in(news, nn, have->pod);
		}
	}
	for (size_t i = 0; i < lp->nsrc; i++) {
		struct lsrc *s = lp->src[i];
		if (!s->live && !s->gone) {
			/* Gone: its lines stay, its follow stops. */
			logfollow_free(s->f);
			s->f = NULL;
			s->gone = true;
		}
	}
	lp->shown = 0;
	for (size_t i = 0; i < lp->nsrc; i++) {
		struct lsrc *s = lp->src[i];
		bool in = lp->gen == LOGPANE_GEN_BOTH || (lp->gen == LOGPANE_GEN_NEW) == s->is_new;
		if (in != s->in_gen)
			lp->dirty = true;
		s->in_gen = in;
		lp->shown += in && !s->gone;
	}
}

static struct logpane *pane_new(struct ui *ui, const char *ns, const char *name, bool merged)
{
	struct logpane *lp = xcalloc(1, sizeof(*lp));
	lp->ui = ui;
	lp->merged = merged;
	snprintf(lp->ns, sizeof(lp->ns), "%s", ns);
	snprintf(lp->name, sizeof(lp->name), "%s", name);
	struct logstore_caps caps = {
	    .stream_lines = merged ? LOGPANE_POD_LINES : LOGPANE_LINES,
	    .stream_bytes = LOGPANE_BYTES,
	    .total_bytes = 2 * LOGPANE_BYTES,
	    .streams = merged ? 2 * LOGPANE_MAX_PODS : 2,
	};
	lp->st = logstore_new(&caps);
	lp->follow = true;
	lp->dirty = true;
	return lp;
}

struct logpane *logpane_new(struct ui *ui, const char *ns, const char *pod)
{
	struct logpane *lp = pane_new(ui, ns, pod, false);
	start(lp);
	return lp;
}

struct logpane *logpane_new_merged(struct ui *ui, const char *ns, const char *name,
				   logpane_pods_fn fn, void *ud)
{
	struct logpane *lp = pane_new(ui, ns, name, true);
	lp->pods_fn = fn;
	lp->pods_ud = ud;
	lp->gen = LOGPANE_GEN_BOTH;
	sync_pods(lp);
	return lp;
}

void logpane_free(struct logpane *lp)
{
	if (!lp)
		return;
	drop_sources(lp);
	logstore_free(lp->st);
	free(lp->m);
	free(lp);
}

static int cmp_mref(const void *x, const void *y)
{
	return logline_cmp(((const struct mref *)x)->l, ((const struct mref *)y)->l);
}

void logpane_merge(struct logpane *lp)
{
	if (lp->merged)
		sync_pods(lp); /* the store changed, or lines came: cheap by name */
	if (!lp->dirty)
		return;
	size_t total = 0;
	for (size_t i = 0; i < lp->nsrc; i++)
		if (lp->src[i]->in_gen && lp->src[i]->shown)
			total += logstream_count(lp->src[i]->shown);
	if (total > lp->mcap) {
		lp->mcap = total + total / 2 + 16;
		lp->m = xrealloc(lp->m, lp->mcap * sizeof(*lp->m));
	}
	lp->nm = 0;
	for (size_t i = 0; i < lp->nsrc; i++) {
		const struct lsrc *s = lp->src[i];
		size_t n = s->in_gen && s->shown ? logstream_count(s->shown) : 0;
		for (size_t j = 0; j < n; j++)
			lp->m[lp->nm++] = (struct mref){logstream_line(s->shown, j), s};
	}
	if (lp->nsrc > 1)
		sort_inplace(lp->m, lp->nm, sizeof(*lp->m), cmp_mref);
	lp->dirty = false;
}

uint64_t logpane_dropped(const struct logpane *lp)
{
	uint64_t d = 0;
	for (size_t i = 0; i < lp->nsrc; i++)
		if (lp->src[i]->in_gen && lp->src[i]->shown)
			d += logstream_dropped(lp->src[i]->shown);
	return d;
}

static void scroll(struct logpane *lp, long by)
{
	logpane_merge(lp);
	uint64_t dropped = logpane_dropped(lp);
	lp->follow = false;
	int64_t t = (int64_t)lp->top + by;
	if (t < (int64_t)dropped)
		t = (int64_t)dropped;
	if (lp->nm > 0 && t > (int64_t)(dropped + lp->nm - 1))
		t = (int64_t)(dropped + lp->nm - 1);
	lp->top = (uint64_t)t;
}

unsigned logpane_closed_action(struct ui *ui, enum action_id a)
{
	if (!(a >= ACT_LOG_FOLLOW && a <= ACT_LOG_TIMESTAMPS) && a != ACT_LOG_GENERATION &&
	    a != ACT_SEARCH_NEXT && a != ACT_SEARCH_PREV && a != ACT_FILTER)
		return UI_UNHANDLED;
	char key[40];
	keymap_hint_key(&ui->cfg.keys, ACT_LOGS, key, sizeof(key));
	ui_message(ui, ROLE_INFO, "%s opens the log pane first", key);
	return UI_DRAW;
}

static unsigned search_key(struct ui *ui, struct logpane *lp, int dir)
{
	if (!ui->search[0]) {
		char key[40];
		keymap_hint_key(&ui->cfg.keys, ACT_FILTER, key, sizeof(key));
		ui_message(ui, ROLE_INFO, "%s searches the log first", key);
		return UI_DRAW;
	}
	if (lp->follow) {
		/* Following: the newest match, then n and N go from there. */
		logpane_merge(lp);
		lp->top = logpane_dropped(lp) + lp->nm;
		dir = -1;
	}
	if (!logpane_find(ui, lp, dir)) {
		ui_message(ui, ROLE_INFO, "no %s line matches \"%s\"", dir > 0 ? "later" : "earlier",
			   ui->search);
	}
	return UI_DRAW;
}

unsigned logpane_action(struct ui *ui, struct logpane *lp, enum action_id a)
{
	int page = lp->rows > 1 ? lp->rows - 1 : 1;
	switch (a) {
	case ACT_LOG_FOLLOW:
		lp->follow = !lp->follow;
		return UI_DRAW;
	case ACT_LOG_CONTAINER:
	case ACT_LOG_PREVIOUS:
		if (lp->merged) {
			ui_message(ui, ROLE_INFO, "%s: in a pod's log pane (open the pod)",
				   actions_table[a].name);
			return UI_DRAW;
		}
		if (a == ACT_LOG_PREVIOUS) {
			lp->previous = !lp->previous;
		} else {
			const struct pod *p = store_get_pod(ui->store, lp->ns, lp->name);
			lp->cidx = p && p->n_specs > 0 ? (lp->cidx + 1) % p->n_specs : 0;
		}
		start(lp);
		return UI_DRAW;
	case ACT_LOG_GENERATION:
		if (!lp->merged) {
			ui_message(ui, ROLE_INFO, "%s: in a rollout's log pane", actions_table[a].name);
			return UI_DRAW;
		}
		lp->gen = (enum logpane_gen)((lp->gen + 1) % 3);
		sync_pods(lp);
		lp->follow = true;
		return UI_DRAW;
	case ACT_FILTER:
		ui_search_prompt(ui);
		return UI_DRAW;
	case ACT_SEARCH_NEXT:
		return search_key(ui, lp, 1);
	case ACT_SEARCH_PREV:
		return search_key(ui, lp, -1);
	case ACT_LOG_WRAP:
		lp->wrap = !lp->wrap;
		return UI_DRAW;
	case ACT_LOG_TIMESTAMPS:
		lp->ts = !lp->ts;
		return UI_DRAW;
	case ACT_UP:
		scroll(lp, -1);
		return UI_DRAW;
	case ACT_DOWN:
		scroll(lp, 1);
		return UI_DRAW;
	case ACT_PAGE_UP:
		scroll(lp, -page);
		return UI_DRAW;
	case ACT_PAGE_DOWN:
		scroll(lp, page);
		return UI_DRAW;
	case ACT_FIRST:
		lp->top = 0;
		scroll(lp, 0);
		return UI_DRAW;
	case ACT_LAST:
		lp->follow = true;
		return UI_DRAW;
	default:
		return UI_UNHANDLED;
	}
}

unsigned logpane_view_action(struct ui *ui, struct logpane **pane, enum action_id a,
			     const char *ns, const char *cut, logpane_pods_fn fn, void *ud)
{
	if (a == ACT_LOGS || (a == ACT_BACK && *pane)) {
		if (*pane) {
			logpane_free(*pane);
			*pane = NULL;
		} else {
			*pane = logpane_new_merged(ui, ns, cut, fn, ud);
		}
		return UI_DRAW;
	}
	if (*pane)
		return logpane_action(ui, *pane, a);
	return logpane_closed_action(ui, a);
}

int logpane_view_draw(struct ui *ui, struct logpane *pane, int top, int height)
{
	if (!pane || height < 8)
		return height;
	int rows = height >= 16 ? height / 2 : 0;
	logpane_draw(ui, pane, top + rows, height - rows);
	return rows;
}
