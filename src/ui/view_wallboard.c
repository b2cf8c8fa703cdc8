#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "podscope/generations.h"
#include "podscope/informer.h"
#include "podscope/lifecycle.h"
#include "podscope/loop.h"
#include "podscope/rollout.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "badge.h"
#include "bigtext.h"
#include "stage.h"
#include "ui_cluster.h"
#include "ui_int.h"

/*
 * The wallboard (--wallboard): one deployment at a time, in block letters,
 * cycling through those in trouble (first) and those rolling out; a calm
 * screen when there is none. Always read-only (ui.c). Items are rebuilt
 * from the store on every frame, so nothing points at replaced objects.
 */

#define WB_CYCLE_MS 8000
#define WB_TICK_MS  1000

struct wb_item {
	const struct deployment *d;
	bool trouble;
	char state[64]; /* "CRASHLOOPBACKOFF", "ROLLING OUT 7/10" */
	char cause[200];
	char gens[120];
	char key[660];      /* "ns/name", "context: ns/name" with several contexts */
	const char *context; /* its cluster's context with several, else NULL */
};

struct wallboard {
	struct wb_item *items;
	size_t n, cap;
	size_t total; /* deployments looked at */
	size_t cur;
	char cur_key[660];
	int64_t shown_at; /* ploop_now_ms() the current one came up */
	/* Keys in trouble at the last frame: the bell rings for the others. */
	char **troubled;
	size_t n_troubled;
	bool stale;
	int64_t last_good; /* wall ms of the last frame with every informer live */
	/* Several contexts: the clusters that are STALE or unreachable now,
	 * "prod-us: STALE: reconnecting (...)", one line for all of them. */
	char fleet_bad[400];
	int n_bad;
};

static struct wb_item *add_item(struct wallboard *wb)
{
	if (wb->n == wb->cap) {
		wb->cap = wb->cap ? wb->cap * 2 : 16;
		wb->items = xrealloc(wb->items, wb->cap * sizeof(*wb->items));
	}
	struct wb_item *it = &wb->items[wb->n++];
	memset(it, 0, sizeof(*it));
	return it;
}

/* Trouble first, then by namespace and name: one workload's clusters side
 * by side. */
static int by_trouble(const void *a, const void *b)
{
	const struct wb_item *x = a, *y = b;
	if (x->trouble != y->trouble)
		return x->trouble ? -1 : 1;
	int c = strcmp(x->d->namespace, y->d->namespace);
	if (!c)
		c = strcmp(x->d->name, y->d->name);
	if (!c && x->context && y->context)
		c = strcmp(x->context, y->context);
	return c;
}

static void upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

/* The generations' counts, and the first pod of the new one in trouble. */
static void inspect(const struct ui *ui, const struct deployment *d, int64_t now,
		    struct wb_item *it, struct uistage *stuck, bool *found)
{
	const struct replicaset *rss[64];
	size_t n = uigens_collect(ui->store, d, rss, 64);
	*found = false;
	if (!n)
		return;
	struct generations g;
	generations_build(d, rss, n, &g);
	const struct gen_rs *nw = generations_new(&g);
	snprintf(it->gens, sizeof(it->gens), "old %d %s new %d   (%d ready, %d available of %d)",
		 g.old_current, glyphs_utf8() ? "\xe2\x86\x92" : "->", nw ? nw->current : 0,
		 d->ready_replicas, d->available_replicas,
		 d->has_spec_replicas ? d->spec_replicas : 1);
	const char *uid = nw ? nw->rs->uid : rss[n - 1]->uid;
	struct store_iter si;
	store_iter_children(&si, ui->store, STORE_PODS, uid);
	const struct pod *p;
	while ((p = store_iter_next(&si))) {
		uistage_pod(ui->store, p, now, stuck);
		if (stuck->trouble) {
			snprintf(it->cause, sizeof(it->cause), "pod %s %s", p->name,
				 stuck->why[0] ? stuck->why : stuck->label);
			*found = true;
			break;
		}
	}
	generations_free(&g);
}

static bool classify(const struct ui *ui, const struct deployment *d, int64_t now,
		     struct wb_item *it)
{
	struct badge_info b;
	badge_of(ui->store, d, now, &b);
	int32_t want = d->has_spec_replicas ? d->spec_replicas : 1;
	struct rollout_budget budget;
	rollout_budget(d, &budget);
	bool short_avail = d->available_replicas < want - budget.max_unavailable;
	if (b.badge == BADGE_COMPLETE && !short_avail)
		return false;
	if (b.badge == BADGE_PAUSED && !short_avail)
		return false;
	struct uistage st;
	bool found;
	inspect(ui, d, now, it, &st, &found);
	if (b.why[0]) /* the root cause in one line says more than one pod */
		snprintf(it->cause, sizeof(it->cause), "%.199s", b.why);
	it->trouble = true;
	if (b.badge == BADGE_FAILED) {
		snprintf(it->state, sizeof(it->state), "PROGRESS DEADLINE EXCEEDED");
	} else if (b.badge == BADGE_STALLED && found) {
		if (st.stage == LC_CRASH_LOOP)
			snprintf(it->state, sizeof(it->state), "CRASHLOOPBACKOFF");
		else if (st.stage == LC_IMAGE_PULL_BACKOFF)
			snprintf(it->state, sizeof(it->state), "IMAGEPULLBACKOFF");
		else
			snprintf(it->state, sizeof(it->state), "%.63s", lc_stage_name(st.stage));
		upper(it->state);
	} else if (short_avail) {
		snprintf(it->state, sizeof(it->state), "UNAVAILABLE %d/%d", d->available_replicas,
			 want);
	} else {
		it->trouble = false;
		snprintf(it->state, sizeof(it->state), "ROLLING OUT %d/%d", d->updated_replicas,
			 want);
	}
	if (it->trouble && !it->cause[0])
		snprintf(it->cause, sizeof(it->cause), "%s", b.detail);
	return true;
}

static bool was_troubled(const struct wallboard *wb, const char *key)
{
	for (size_t i = 0; i < wb->n_troubled; i++)
		if (strcmp(wb->troubled[i], key) == 0)
			return true;
	return false;
}

/* Remember who is in trouble now; ring once for each newcomer. */
static void note_trouble(struct ui *ui, struct wallboard *wb)
{
	bool ring = false;
	char **now = xcalloc(wb->n + 1, sizeof(char *));
	size_t k = 0;
	for (size_t i = 0; i < wb->n; i++) {
		if (!wb->items[i].trouble)
			continue;
		if (!was_troubled(wb, wb->items[i].key))
			ring = true;
		now[k++] = xstrdup(wb->items[i].key);
	}
	for (size_t i = 0; i < wb->n_troubled; i++)
		free(wb->troubled[i]);
	free(wb->troubled);
	wb->troubled = now;
	wb->n_troubled = k;
	if (ring && ui->ring_bell)
		beep();
}

/* The deployments of the cluster whose store ui->store is now. */
static void build_cluster(struct ui *ui, struct wallboard *wb, int64_t wall, const char *context)
{
	struct store_iter it;
	store_iter_all(&it, ui->store, STORE_DEPLOYMENTS, ui_namespace(ui));
	const struct deployment *d;
	while ((d = store_iter_next(&it))) {
		if (!ui_filter_match(ui, d->namespace, d->name))
			continue;
		wb->total++;
		struct wb_item *x = add_item(wb);
		x->d = d;
		if (!classify(ui, d, wall, x)) {
			wb->n--;
			continue;
		}
		x->context = context;
		if (context)
			snprintf(x->key, sizeof(x->key), "%s: %s/%s", context, d->namespace,
				 d->name);
		else
			snprintf(x->key, sizeof(x->key), "%s/%s", d->namespace, d->name);
	}
}

static void build(struct ui *ui, struct wallboard *wb, int64_t now)
{
	wb->n = 0;
	wb->total = 0;
	int64_t wall = ui_wall_ms();
	if (ui->n_clusters) {
		/* Every cluster's trouble on the one wall; each item keeps its
		 * deployment, which stays valid until that store changes, and a
		 * frame is drawn before the loop applies another change. */
		for (int c = 0; c < ui->n_clusters; c++) {
			ui_cluster_use(ui, c);
			build_cluster(ui, wb, wall, ui_cluster_context(ui, c));
		}
		ui_cluster_use(ui, ui->cur);
	} else {
		build_cluster(ui, wb, wall, NULL);
	}
	if (wb->n > 1)
		qsort(wb->items, wb->n, sizeof(*wb->items), by_trouble);
	if (ui->synced)
		note_trouble(ui, wb);
	/* Stay on the one shown; move on every WB_CYCLE_MS. */
	size_t cur = 0;
	bool kept = false;
	for (size_t i = 0; i < wb->n; i++)
		if (strcmp(wb->items[i].key, wb->cur_key) == 0) {
			cur = i;
			kept = true;
		}
	if (!kept || wb->n <= 1)
		wb->shown_at = now;
	else if (now - wb->shown_at >= WB_CYCLE_MS) {
		cur = (cur + 1) % wb->n;
		wb->shown_at = now;
	}
	wb->cur = cur;
	snprintf(wb->cur_key, sizeof(wb->cur_key), "%s", wb->n ? wb->items[cur].key : "");
}

/* Stale: an informer backs off; it stays stale until every one watches
 * (or polls) again. */
static void check_stale(struct ui *ui, struct wallboard *wb)
{
	if (ui->n_clusters) {
		/* Several contexts: the wall names the clusters that cannot be
		 * reached; the others' trouble stays on it. */
		wb->fleet_bad[0] = '\0';
		wb->n_bad = 0;
		size_t used = 0;
		for (int c = 0; c < ui->n_clusters; c++) {
			char why[200];
			bool bad = false;
			const char *st = ui_cluster_state(ui, c, why, sizeof(why), &bad);
			if (!st || !bad)
				continue;
			wb->n_bad++;
			int w = snprintf(wb->fleet_bad + used, sizeof(wb->fleet_bad) - used, "%s%s: %s",
					 used ? "; " : "", ui_cluster_context(ui, c), st);
			if (w > 0)
				used += (size_t)w < sizeof(wb->fleet_bad) - used
					    ? (size_t)w
					    : sizeof(wb->fleet_bad) - used - 1;
		}
		wb->stale = wb->n_bad > 0;
		if (!wb->stale)
			wb->last_good = ui_wall_ms() - ui_clock_skew_ms();
		return;
	}
	bool live = ui->inf != NULL, backoff = false;
	for (int k = 0; ui->inf && k < STORE_NKINDS; k++) {
		const struct informer_status *st = informer_set_status(ui->inf, (enum store_kind)k);
		if (!st)
			continue;
		if (st->state == INFORMER_BACKOFF)
			backoff = true;
		if (st->state != INFORMER_WATCHING && st->state != INFORMER_POLLING &&
		    st->state != INFORMER_FORBIDDEN && st->state != INFORMER_NOT_SERVED)
			live = false;
	}
	if (live) {
		wb->stale = false;
		/* Shown as a time of day on this machine's clock. */
		wb->last_good = ui_wall_ms() - ui_clock_skew_ms();
	} else if (backoff) {
		wb->stale = true;
	}
}

static void *wb_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	(void)ns;
	(void)name;
	return xcalloc(1, sizeof(struct wallboard));
}

static void wb_close(void *st)
{
	struct wallboard *wb = st;
	for (size_t i = 0; i < wb->n_troubled; i++)
		free(wb->troubled[i]);
	free(wb->troubled);
	free(wb->items);
	free(wb);
}

static void centre(int y, int cols, enum theme_role role, const char *s)
{
	int w = draw_width(s);
	draw_text(y, w < cols ? (cols - w) / 2 : 0, cols, role, s);
}

/* s in block letters when there are rows and columns for it, else plain;
 * returns the rows used. */
static int big(int y, int rows, int cols, enum theme_role role, const char *s)
{
	for (int scale = 2; scale >= 1 && rows >= BIGTEXT_ROWS; scale--) {
		int w = bigtext_width(s, scale);
		if (w <= cols - 2) {
			bigtext_draw(y, (cols - w) / 2, w, scale, role, s);
			return BIGTEXT_ROWS;
		}
	}
	centre(y, cols, role, s);
	return 1;
}

static void draw_item(struct ui *ui, struct wallboard *wb, int y, int end)
{
	const struct wb_item *it = &wb->items[wb->cur];
	int cols = ui->cols;
	enum theme_role role = it->trouble ? ROLE_BADGE_FAILED : ROLE_BADGE_PROGRESSING;
	draw_fill(y, 0, cols, it->trouble ? ROLE_BANNER : ROLE_HEADER);
	char head[800];
	snprintf(head, sizeof(head), "%s %zu/%zu  %s  %s", it->trouble ? "TROUBLE" : "ROLLOUT",
		 wb->cur + 1, wb->n, it->key, it->state);
	centre(y, cols, it->trouble ? ROLE_BANNER : ROLE_HEADER, head);
	y += 2;
	/* Two block lines, four plain ones and gaps: 16 rows; fewer when smaller. */
	int room = end - y;
	bool big_state = room >= 2 * BIGTEXT_ROWS + 6;
	y += big(y, room >= BIGTEXT_ROWS + 5 ? BIGTEXT_ROWS : 1, cols, role, it->d->name) + 1;
	if (y < end)
		y += big(y, big_state ? BIGTEXT_ROWS : 1, cols, role, it->state) + 1;
	char line[420];
	if (it->context)
		snprintf(line, sizeof(line), "context %s  namespace %s", it->context,
			 it->d->namespace);
	else
		snprintf(line, sizeof(line), "namespace %s", it->d->namespace);
	if (y < end)
		centre(y++, cols, ROLE_NORMAL, line);
	if (y < end && it->gens[0])
		centre(y++, cols, ROLE_DIM, it->gens);
	if (y < end && it->trouble && it->cause[0])
		centre(y++, cols, ROLE_ERROR, it->cause);
}

static void draw_calm(struct ui *ui, struct wallboard *wb, int y, int end)
{
	char line[96];
	if (!ui->synced)
		snprintf(line, sizeof(line), "listing deployments%s", glyph(GLYPH_ELLIPSIS));
	else if (ui->n_clusters)
		snprintf(line, sizeof(line), "all %zu deployment%s healthy in %d contexts",
			 wb->total, wb->total == 1 ? "" : "s", ui->n_clusters);
	else
		snprintf(line, sizeof(line), "all %zu deployment%s healthy", wb->total,
			 wb->total == 1 ? "" : "s");
	int mid = y + (end - y) / 2 - (end - y >= BIGTEXT_ROWS + 3 ? 3 : 0);
	if (ui->synced && end - mid >= BIGTEXT_ROWS + 2)
		mid += big(mid, BIGTEXT_ROWS, ui->cols, ROLE_OK, "ALL HEALTHY") + 1;
	centre(mid, ui->cols, ui->synced ? ROLE_OK : ROLE_DIM, line);
}

static void wb_draw(struct ui *ui, void *st, int top, int height)
{
	struct wallboard *wb = st;
	int64_t now = ploop_now_ms();
	check_stale(ui, wb);
	build(ui, wb, now);
	int y = top, end = top + height;
	if (wb->stale) {
		char when[16] = "?";
		time_t t = (time_t)(wb->last_good / 1000);
		struct tm tm;
		if (wb->last_good && localtime_r(&t, &tm))
			strftime(when, sizeof(when), "%H:%M:%S", &tm);
		char msg[480];
		if (ui->n_clusters)
			snprintf(msg, sizeof(msg), "%s", wb->fleet_bad);
		else
			snprintf(msg, sizeof(msg),
				 "STALE since %s: the API server cannot be reached, reconnecting",
				 when);
		draw_fill(y, 0, ui->cols, ROLE_BANNER);
		centre(y, ui->cols, ROLE_BANNER, msg);
		y += 2;
	}
	if (wb->n)
		draw_item(ui, wb, y, end);
	else
		draw_calm(ui, wb, y, end);
}

static unsigned wb_action(struct ui *ui, void *st, enum action_id a)
{
	struct wallboard *wb = st;
	if (a != ACT_DOWN && a != ACT_UP && a != ACT_PAGE_DOWN && a != ACT_PAGE_UP)
		return UI_UNHANDLED;
	if (wb->n > 1) {
		bool fwd = a == ACT_DOWN || a == ACT_PAGE_DOWN;
		wb->cur = (wb->cur + (fwd ? 1 : wb->n - 1)) % wb->n;
		snprintf(wb->cur_key, sizeof(wb->cur_key), "%s", wb->items[wb->cur].key);
		wb->shown_at = ploop_now_ms();
	}
	(void)ui;
	return UI_DRAW;
}

/* Once a second: countdowns, the stale check and the cycle (WB_CYCLE_MS). */
static int64_t wb_next_tick(struct ui *ui, void *st, int64_t now)
{
	(void)ui;
	struct wallboard *wb = st;
	int64_t next = now + WB_TICK_MS;
	if (wb->n > 1 && wb->shown_at + WB_CYCLE_MS < next)
		next = wb->shown_at + WB_CYCLE_MS > now ? wb->shown_at + WB_CYCLE_MS : now + 1;
	return next;
}

const struct view_ops view_wallboard = {
    .name = "wallboard",
    .mask = VIEWMASK_WALLBOARD,
    .open = wb_open,
    .close = wb_close,
    .draw = wb_draw,
    .action = wb_action,
    .next_tick = wb_next_tick,
    .hint = "wallboard (read-only): {down}/{up} next/previous, {help} help, {quit} quit",
};
