#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "podscope/client.h"
#include "podscope/loop.h"
#include "podscope/xalloc.h"

#include "informer_int.h"

/* The list/watch state machine of one resource; see informer.h. */

enum { STOP_NONE = 0, STOP_RELIST, STOP_ERROR };

/* A watch that ends cleanly this soon without a line counts as a failure,
 * so that a server closing every watch at once cannot make us spin. */
#define WATCH_MIN_MS 1000
/* A watch this old, or one that delivered lines, was healthy. */
#define WATCH_HEALTHY_MS 30000
/* The watchdog: a watch silent this long after its timeout is dead. */
#define WATCH_GRACE_MS 60000
/* Polling because the watch kept failing: try the watch again every this many polls. */
#define WATCH_RETRY_POLLS 6

static void list_start(struct informer *inf);
static void on_page_refused(void *ud);
static void watch_start(struct informer *inf);

static void status_changed(struct informer *inf)
{
	if (inf->set->status_fn)
		inf->set->status_fn(inf->set->status_ud);
}

static void set_error(struct informer *inf, const char *msg)
{
	free(inf->error);
	inf->error = xstrdup(msg ? msg : "");
	inf->st.last_error = inf->error;
	status_changed(inf);
}

/* An object the decoders refused is not stored; what was wrong stays in
 * st.last_refused, for the status line and the commands. */
static void note_refused(struct informer *inf, const struct perr *why)
{
	inf->st.errors++;
	inf->st.refused++;
	free(inf->refused);
	inf->refused = xasprintf("%s %s", store_kind_name(inf->kind), perr_msg(why));
	inf->st.last_refused = inf->refused;
	status_changed(inf);
}

static void set_state(struct informer *inf, enum informer_state s)
{
	if (inf->st.state == s)
		return;
	inf->st.state = s;
	status_changed(inf);
}

static void cancel_timer(struct informer *inf)
{
	if (inf->timer) {
		ploop_timer_cancel(inf->set->loop, inf->timer);
		inf->timer = NULL;
	}
}

static void cancel_req(struct informer *inf)
{
	if (inf->req) {
		kreq_cancel(inf->req);
		inf->req = NULL;
	}
}

static void replace_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

/* ---- timers ---- */

static void on_timer_list(void *ud)
{
	struct informer *inf = ud;
	inf->timer = NULL;
	list_start(inf);
}

static void after(struct informer *inf, int64_t delay_ms, ploop_timer_fn fn)
{
	cancel_timer(inf);
	inf->timer = ploop_timer_in(inf->set->loop, delay_ms, fn, inf);
}

/* Wait with jitter (never less than Retry-After), then list again. */
static void back_off(struct informer *inf, long retry_after_s)
{
	const struct informer_config *cfg = &inf->set->cfg;
	int64_t delay =
	    (int64_t)((double)inf->backoff_ms * (0.8 + 0.4 * informer_random(inf->set)));
	/* Retry-After is obeyed up to a limit: a server asking for a day of
	 * silence is not waited for. */
	inf->st.retry_after_s = retry_after_s > 0 ? retry_after_s : -1;
	if (retry_after_s > 0) {
		int64_t ra = retry_after_s > cfg->max_retry_after_ms / 1000
				 ? cfg->max_retry_after_ms
				 : retry_after_s * 1000;
		if (delay < ra)
			delay = ra;
	}
	inf->backoff_ms *= 2;
	if (inf->backoff_ms > cfg->backoff_max_ms)
		inf->backoff_ms = cfg->backoff_max_ms;
	inf->st.errors++;
	set_state(inf, INFORMER_BACKOFF);
	inf->st.backoff_until_ms = ploop_now_ms() + delay;
	after(inf, delay, on_timer_list);
}

static void become_polling(struct informer *inf, int64_t every_ms, const char *why)
{
	inf->poll_every_ms = every_ms;
	inf->st.poll_every_ms = every_ms;
	inf->st.polling = true;
	free(inf->poll_reason);
	inf->poll_reason = xstrdup(why);
	inf->st.poll_reason = inf->poll_reason;
}

/* The list in progress is over, complete or not: its store snapshot ends
 * (what it did not see goes, so that lists given up again and again cannot
 * pile objects up), and the next list starts from its first page. */
static void list_reset(struct informer *inf)
{
	if (inf->snapshot_open) {
		store_replace_end(inf->set->store, inf->kind);
		inf->snapshot_open = false;
	}
	replace_str(&inf->cont, NULL);
	inf->list_pages = 0;
	inf->list_retries = 0;
	inf->ntokens = 0;
}

/* A list that would never end: say why, and start over after the longest
 * back-off. */
static void give_up(struct informer *inf, const char *why)
{
	const struct informer_config *cfg = &inf->set->cfg;
	set_error(inf, why);
	list_reset(inf);
	inf->st.lists_given_up++;
	inf->st.errors++;
	inf->st.retry_after_s = -1;
	int64_t delay =
	    (int64_t)((double)cfg->backoff_max_ms * (0.8 + 0.4 * informer_random(inf->set)));
	set_state(inf, INFORMER_BACKOFF);
	inf->st.backoff_until_ms = ploop_now_ms() + delay;
	after(inf, delay, on_timer_list);
}

/* A page failed: ask for it again after the back-off, unless the list has
 * failed too often (however many items each attempt brought). */
static void list_retry(struct informer *inf, long retry_after_s)
{
	const struct informer_config *cfg = &inf->set->cfg;
	if (++inf->list_retries >= cfg->max_list_retries) {
		char *m = xasprintf("list %s: gave up after %d failed attempts: %s",
				    store_kind_name(inf->kind), inf->list_retries, inf->error);
		give_up(inf, m);
		free(m);
		return;
	}
	back_off(inf, retry_after_s);
}

/* FNV-1a: continue tokens are compared by hash (a collision ends a list early:
 * one in 2^64). */
static uint64_t token_hash(const char *t)
{
	uint64_t h = 1469598103934665603ull;
	for (; *t; t++)
		h = (h ^ (unsigned char)*t) * 1099511628211ull;
	return h;
}

/* Note the next page's token; false when this list has seen it before. */
static bool token_new(struct informer *inf, const char *cont)
{
	uint64_t h = token_hash(cont);
	for (size_t i = 0; i < inf->ntokens; i++)
		if (inf->tokens[i] == h)
			return false;
	if (inf->ntokens == inf->cap_tokens) {
		inf->cap_tokens = inf->cap_tokens ? 2 * inf->cap_tokens : 16;
		inf->tokens = xrealloc(inf->tokens, inf->cap_tokens * sizeof(*inf->tokens));
	}
	inf->tokens[inf->ntokens++] = h;
	return true;
}

static void mark_synced(struct informer *inf)
{
	struct informer_set *set = inf->set;
	if (inf->st.synced)
		return;
	inf->st.synced = true;
	inf->st.synced_ms = ploop_now_ms();
	for (int k = 0; k < STORE_NKINDS; k++)
		if (set->inf[k] && !set->inf[k]->st.synced)
			return;
	set->synced = true;
	set->synced_ms = inf->st.synced_ms;
	if (set->synced_fn)
		set->synced_fn(set->synced_ud);
}

/* ---- list ---- */

/* ---- a page, as it arrives ---- */

/* A page has at most limit items; a server that ignores the limit gets ten
 * times that, not an endless page. */
#define PAGE_ITEMS_FACTOR 10

static int on_list_item(void *ud, const char *item, size_t len)
{
	struct informer *inf = ud;
	int limit = inf->set->cfg.page_limit;
	if (inf->split.items > (size_t)limit * PAGE_ITEMS_FACTOR) {
		perr_set(&inf->split_err, PERR_API, "more than %d items in one page (asked for %d)",
			 limit * PAGE_ITEMS_FACTOR, limit);
		return 1;
	}
	cJSON *obj = cJSON_ParseWithLength(item, len);
	struct perr e = {0};
	if (!obj)
		perr_set(&e, PERR_API, "an item that is not JSON");
	if (!obj || store_upsert_json(inf->set->store, inf->kind, obj, &e) < 0)
		note_refused(inf, &e);
	perr_clear(&e);
	cJSON_Delete(obj);
	return 0;
}

/* The bytes of a 2xx list page: each item is stored as soon as it is whole,
 * so a page of 500 pods is never held in memory at once. */
static void on_list_data(void *ud, const char *data, size_t len)
{
	struct informer *inf = ud;
	if (inf->page_first && !inf->page_begun) {
		/* The first page: a new snapshot begins. */
		store_replace_begin(inf->set->store, inf->kind);
		inf->page_begun = true;
		inf->snapshot_open = true;
	}
	if (inf->split_err.kind != PERR_NONE)
		return;
	lsplit_feed(&inf->split, data, len, on_list_item, inf, &inf->split_err);
	if (inf->split_err.kind != PERR_NONE) {
		/* Not a page worth waiting for to its end (it may have none):
		 * curl forbids starting a transfer from here, a timer goes on. */
		cancel_req(inf);
		after(inf, 0, on_page_refused);
	}
}

/* The page is not a list, or not one to take: try the list again (from
 * its first page) after the back-off. */
static void page_refused(struct informer *inf, const struct perr *why)
{
	char *msg = xasprintf("list %s: %s", store_kind_name(inf->kind), perr_msg(why));
	set_error(inf, msg);
	free(msg);
	replace_str(&inf->cont, NULL);
	list_retry(inf, -1);
}

static void on_page_refused(void *ud)
{
	struct informer *inf = ud;
	inf->timer = NULL;
	page_refused(inf, &inf->split_err);
}

/* The page's resourceVersion and continue token, from its metadata. */
static void page_meta(const struct informer *inf, char **rv, char **cont)
{
	size_t n;
	const char *text = lsplit_meta(&inf->split, &n);
	cJSON *m = n ? cJSON_ParseWithLength(text, n) : NULL;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, "resourceVersion");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(m, "continue");
	*rv = xstrdup(cJSON_IsString(v) ? v->valuestring : "");
	*cont = cJSON_IsString(c) && *c->valuestring ? xstrdup(c->valuestring) : NULL;
	cJSON_Delete(m);
}

static void list_finished(struct informer *inf)
{
	const struct informer_config *cfg = &inf->set->cfg;
	store_replace_end(inf->set->store, inf->kind);
	inf->snapshot_open = false;
	list_reset(inf);
	replace_str(&inf->rv, inf->list_rv);
	inf->st.rv = inf->rv;
	inf->st.lists++;
	/* Back-off keeps growing while watches keep failing after good lists. */
	if (inf->failures == 0)
		inf->backoff_ms = cfg->backoff_initial_ms;
	mark_synced(inf);
	if (inf->poll_every_ms > 0 && inf->fell_back && ++inf->polls >= WATCH_RETRY_POLLS) {
		/* What broke the watch may have passed: watch again, and go back
		 * to polling at its first failure. */
		inf->poll_every_ms = inf->st.poll_every_ms = 0;
		inf->st.polling = inf->fell_back = false;
		inf->st.poll_reason = "";
		inf->failures = cfg->max_failures - 1;
	}
	if (inf->poll_every_ms > 0) {
		set_state(inf, INFORMER_POLLING);
		after(inf, inf->poll_every_ms, on_timer_list);
		return;
	}
	watch_start(inf);
}

static void on_list_done(void *ud, struct kresp *resp)
{
	struct informer *inf = ud;
	const struct informer_config *cfg = &inf->set->cfg;
	inf->req = NULL;
	if (resp->err.kind != PERR_NONE) {
		set_error(inf, perr_msg(&resp->err));
		/* A page that failed (429, 5xx, a dropped connection) is asked
		 * for again with the same continue token: the snapshot is still
		 * good until the server says 410, and starting over would never
		 * finish a long list under steady throttling. */
		if (resp->status == 410 || resp->status == 403 || resp->status == 404)
			replace_str(&inf->cont, NULL);
		if (resp->status == 403 || resp->status == 404) {
			/* Nothing to see that we may see: a complete, empty view. */
			list_reset(inf);
			store_replace_begin(inf->set->store, inf->kind);
			store_replace_end(inf->set->store, inf->kind);
			mark_synced(inf);
			inf->st.errors++;
			set_state(inf, INFORMER_FORBIDDEN);
			after(inf, cfg->backoff_max_ms, on_timer_list);
			return;
		}
		/* 410 on a continue: the snapshot expired; start over (after
		 * the back-off, in case the server keeps saying so). Anything
		 * else: the same page again after the back-off. */
		list_retry(inf, resp->retry_after_s);
		return;
	}
	struct perr err = {0};
	if (inf->split_err.kind != PERR_NONE || lsplit_end(&inf->split, &err) < 0) {
		page_refused(inf, inf->split_err.kind != PERR_NONE ? &inf->split_err : &err);
		perr_clear(&err);
		return;
	}
	char *rv, *cont;
	page_meta(inf, &rv, &cont);
	if (inf->page_first) /* its snapshot began with its first bytes */
		replace_str(&inf->list_rv, rv);
	replace_str(&inf->cont, cont);
	free(rv);
	free(cont);
	if (inf->cont) {
		char *why = NULL;
		if (++inf->list_pages >= cfg->max_list_pages)
			why = xasprintf("list %s: more than %d pages: the server keeps sending "
					"continue tokens",
					store_kind_name(inf->kind), cfg->max_list_pages);
		else if (!token_new(inf, inf->cont))
			why = xasprintf("list %s: page %d names the continue token of an earlier "
					"page again: the list would never end",
					store_kind_name(inf->kind), inf->list_pages);
		if (why) {
			give_up(inf, why);
			free(why);
			return;
		}
		list_start(inf);
		return;
	}
	set_error(inf, "");
	list_finished(inf);
}

static void list_start(struct informer *inf)
{
	cancel_timer(inf);
	cancel_req(inf);
	if (!inf->cont || !*inf->cont)
		inf->st.refused = 0; /* a new view: what it refuses is counted anew */
	char *path = informer_list_path(inf, inf->cont);
	struct kreq_spec spec = {.path = path, .timeout_ms = inf->set->cfg.list_timeout_ms};
	struct perr err = {0};
	set_state(inf, INFORMER_LISTING);
	lsplit_free(&inf->split);
	lsplit_init(&inf->split, 0);
	perr_clear(&inf->split_err);
	inf->page_first = inf->cont == NULL;
	inf->page_begun = false;
	if (inf->page_first) {
		inf->list_pages = 0;
		inf->ntokens = 0;
	}
	inf->req = kclient_start(inf->set->client, &spec, on_list_data, on_list_done, inf, &err);
	free(path);
	if (!inf->req) {
		set_error(inf, perr_msg(&err));
		perr_clear(&err);
		replace_str(&inf->cont, NULL);
		list_retry(inf, -1);
	}
}

/* ---- watch ---- */

static int on_line(void *ud, const char *line, size_t len)
{
	struct informer *inf = ud;
	struct store *store = inf->set->store;
	struct wevent ev;
	struct perr err = {0};
	inf->watch_lines++;
	if (wevent_parse(line, len, &ev, &err) < 0) {
		set_error(inf, perr_msg(&err));
		perr_clear(&err);
		return STOP_ERROR;
	}
	int stop = STOP_NONE;
	switch (ev.type) {
	case WEV_ADDED:
	case WEV_MODIFIED:
		if (store_upsert_json(store, inf->kind, ev.object, &err) < 0)
			note_refused(inf, &err);
		break;
	case WEV_DELETED:
		store_delete_json(store, inf->kind, ev.object);
		break;
	case WEV_BOOKMARK:
		break;
	case WEV_ERROR:
		if (ev.code == 410) {
			stop = STOP_RELIST;
		} else {
			char *m =
			    xasprintf("watch %s: %s (%ld %s)", store_kind_name(inf->kind),
				      *ev.message ? ev.message : "error event", ev.code, ev.reason);
			set_error(inf, m);
			free(m);
			stop = STOP_ERROR;
		}
		break;
	}
	if (stop == STOP_NONE) {
		inf->st.events++;
		if (*ev.rv) {
			replace_str(&inf->rv, ev.rv);
			inf->st.rv = inf->rv;
		}
	}
	perr_clear(&err);
	wevent_free(&ev);
	return stop;
}

/* The watch failed: poll when it keeps failing, else back off and relist. */
static void watch_failed(struct informer *inf, long retry_after_s)
{
	const struct informer_config *cfg = &inf->set->cfg;
	if (++inf->failures >= cfg->max_failures) {
		char *why =
		    xasprintf("watch failed %d times: %s", inf->failures, inf->st.last_error);
		become_polling(inf, cfg->fallback_poll_ms, why);
		free(why);
		inf->fell_back = true;
		inf->polls = 0;
		set_state(inf, INFORMER_POLLING);
		inf->st.errors++;
		after(inf, cfg->fallback_poll_ms, on_timer_list);
		return;
	}
	back_off(inf, retry_after_s);
}

static void relist_now(struct informer *inf)
{
	inf->st.relists_410++;
	list_start(inf);
}

/* After the data callback dropped the stream: curl forbids starting a
 * transfer from inside its callbacks, so the next step runs from a timer. */
static void on_stopped(void *ud)
{
	struct informer *inf = ud;
	inf->timer = NULL;
	if (inf->stop == STOP_RELIST)
		relist_now(inf);
	else
		watch_failed(inf, -1);
}

static void on_watch_data(void *ud, const char *data, size_t len)
{
	struct informer *inf = ud;
	struct perr err = {0};
	int rc = wframe_feed(&inf->frame, data, len, on_line, inf, &err);
	if (rc == 0)
		return;
	if (rc < 0) {
		set_error(inf, perr_msg(&err));
		perr_clear(&err);
		rc = STOP_ERROR;
	}
	inf->stop = rc;
	cancel_req(inf);
	after(inf, 0, on_stopped);
}

static void on_watch_done(void *ud, struct kresp *resp)
{
	struct informer *inf = ud;
	int64_t lasted = ploop_now_ms() - inf->watch_started_ms;
	inf->req = NULL;
	cancel_timer(inf);
	if (inf->watch_lines > 0 || lasted >= WATCH_HEALTHY_MS) {
		inf->failures = 0;
		inf->backoff_ms = inf->set->cfg.backoff_initial_ms;
	}
	if (resp->status == 410) {
		relist_now(inf);
		return;
	}
	if (resp->status == 403) {
		set_error(inf, perr_msg(&resp->err));
		become_polling(inf, inf->set->cfg.fallback_poll_ms, perr_msg(&resp->err));
		set_state(inf, INFORMER_POLLING);
		after(inf, inf->poll_every_ms, on_timer_list);
		return;
	}
	if (resp->err.kind != PERR_NONE || wframe_pending(&inf->frame) > 0) {
		set_error(inf, resp->err.kind != PERR_NONE ? perr_msg(&resp->err)
							   : "watch stream ended inside an event");
		watch_failed(inf, resp->retry_after_s);
		return;
	}
	if (inf->watch_lines == 0 && lasted < WATCH_MIN_MS) {
		set_error(inf, "the server ended the watch at once");
		watch_failed(inf, -1);
		return;
	}
	watch_start(inf);
}

static void on_watchdog(void *ud)
{
	struct informer *inf = ud;
	inf->timer = NULL;
	cancel_req(inf);
	set_error(inf, "watch silent past its timeout");
	watch_failed(inf, -1);
}

static void watch_start(struct informer *inf)
{
	const struct informer_config *cfg = &inf->set->cfg;
	cancel_timer(inf);
	cancel_req(inf);
	int span = cfg->watch_timeout_max_s - cfg->watch_timeout_min_s;
	int timeout_s = cfg->watch_timeout_min_s + (int)(informer_random(inf->set) * (span + 1));
	if (timeout_s > cfg->watch_timeout_max_s)
		timeout_s = cfg->watch_timeout_max_s;
	char *path = informer_watch_path(inf, inf->rv, timeout_s);
	struct kreq_spec spec = {.path = path, .stream = true};
	struct perr err = {0};
	wframe_reset(&inf->frame);
	inf->watch_lines = 0;
	inf->watch_started_ms = ploop_now_ms();
	set_state(inf, INFORMER_WATCHING);
	inf->st.watches++;
	inf->req = kclient_start(inf->set->client, &spec, on_watch_data, on_watch_done, inf, &err);
	free(path);
	if (!inf->req) {
		set_error(inf, perr_msg(&err));
		perr_clear(&err);
		watch_failed(inf, -1);
		return;
	}
	after(inf, (int64_t)timeout_s * 1000 + WATCH_GRACE_MS, on_watchdog);
}

/* ---- the set ---- */

static int check_config(struct informer_config *c, struct perr *err)
{
	if (c->page_limit < 0 || c->watch_timeout_min_s < 0 || c->poll_ms < 0 ||
	    c->backoff_initial_ms < 0 || c->max_failures < 0) {
		perr_set(err, PERR_USAGE, "informer: negative settings");
		return -1;
	}
	if (!c->page_limit)
		c->page_limit = 500;
	if (!c->watch_timeout_min_s)
		c->watch_timeout_min_s = 300;
	if (!c->watch_timeout_max_s)
		c->watch_timeout_max_s = c->watch_timeout_min_s * 2;
	if (c->watch_timeout_max_s < c->watch_timeout_min_s)
		c->watch_timeout_max_s = c->watch_timeout_min_s;
	if (!c->backoff_initial_ms)
		c->backoff_initial_ms = 1000;
	if (!c->backoff_max_ms)
		c->backoff_max_ms = 30000;
	if (c->backoff_max_ms < c->backoff_initial_ms)
		c->backoff_max_ms = c->backoff_initial_ms;
	if (!c->fallback_poll_ms)
		c->fallback_poll_ms = 10000;
	if (!c->max_failures)
		c->max_failures = 5;
	if (!c->list_timeout_ms)
		c->list_timeout_ms = 60000;
	if (c->max_list_pages <= 0)
		c->max_list_pages = 1000;
	if (c->max_list_retries <= 0)
		c->max_list_retries = 10;
	if (c->max_retry_after_ms <= 0)
		c->max_retry_after_ms = 5 * 60 * 1000;
	if (!c->kinds) {
		c->kinds = (1u << STORE_NKINDS) - 1;
		if (c->namespace && *c->namespace)
			c->kinds &= ~(1u << STORE_NAMESPACES);
	}
	return 0;
}

struct informer_set *informer_set_new(struct ploop *loop, struct kclient *client,
				      struct store *store, const struct informer_config *cfg,
				      struct perr *err)
{
	struct informer_config c = cfg ? *cfg : (struct informer_config){0};
	if (check_config(&c, err) < 0)
		return NULL;
	struct informer_set *set = xcalloc(1, sizeof(*set));
	set->loop = loop;
	set->client = client;
	set->store = store;
	c.namespace = xstrdup(c.namespace && *c.namespace ? c.namespace : NULL);
	c.label_selector = xstrdup(c.label_selector && *c.label_selector ? c.label_selector : NULL);
	set->cfg = c;
	set->rng =
	    c.seed ? c.seed
		   : ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ (uint64_t)ploop_now_ms();
	if (!set->rng)
		set->rng = 1;
	set->synced_ms = -1;
	for (int k = 0; k < STORE_NKINDS; k++) {
		if (!(c.kinds & (1u << k)))
			continue;
		struct informer *inf = xcalloc(1, sizeof(*inf));
		inf->set = set;
		inf->kind = (enum store_kind)k;
		inf->st.kind = inf->kind;
		inf->st.last_error = "";
		inf->st.last_refused = "";
		inf->st.rv = "";
		inf->st.retry_after_s = -1;
		inf->backoff_ms = c.backoff_initial_ms;
		wframe_init(&inf->frame, 0);
		inf->st.poll_reason = "";
		if (c.poll_ms > 0)
			become_polling(inf, c.poll_ms, "asked for");
		set->inf[k] = inf;
	}
	return set;
}

void informer_set_start(struct informer_set *set)
{
	if (set->started)
		return;
	set->started = true;
	set->started_ms = ploop_now_ms();
	for (int k = 0; k < STORE_NKINDS; k++)
		if (set->inf[k])
			list_start(set->inf[k]);
}

void informer_set_relist(struct informer_set *set)
{
	for (int k = 0; k < STORE_NKINDS; k++) {
		struct informer *inf = set->inf[k];
		if (inf && set->started && inf->st.state != INFORMER_LISTING) {
			/* From the first page, with the user's patience renewed; what
			 * is shown stays until the new list has ended. */
			replace_str(&inf->cont, NULL);
			inf->list_retries = 0;
			list_start(inf);
		}
	}
}

void informer_set_on_synced(struct informer_set *set, informer_synced_fn fn, void *ud)
{
	set->synced_fn = fn;
	set->synced_ud = ud;
}

void informer_set_on_status(struct informer_set *set, informer_synced_fn fn, void *ud)
{
	set->status_fn = fn;
	set->status_ud = ud;
}

bool informer_set_synced(const struct informer_set *set)
{
	return set->synced;
}

int64_t informer_set_sync_time_ms(const struct informer_set *set)
{
	return set->synced ? set->synced_ms - set->started_ms : -1;
}

const struct informer_status *informer_set_status(const struct informer_set *set, enum store_kind k)
{
	if ((unsigned)k >= STORE_NKINDS || !set->inf[k])
		return NULL;
	return &set->inf[k]->st;
}

void informer_set_free(struct informer_set *set)
{
	if (!set)
		return;
	for (int k = 0; k < STORE_NKINDS; k++) {
		struct informer *inf = set->inf[k];
		if (!inf)
			continue;
		cancel_req(inf);
		cancel_timer(inf);
		wframe_free(&inf->frame);
		lsplit_free(&inf->split);
		perr_clear(&inf->split_err);
		free(inf->rv);
		free(inf->list_rv);
		free(inf->cont);
		free(inf->tokens);
		free(inf->error);
		free(inf->refused);
		free(inf->poll_reason);
		free(inf);
	}
	free((char *)set->cfg.namespace);
	free((char *)set->cfg.label_selector);
	free(set);
}
