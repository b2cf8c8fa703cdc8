#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/client.h"
#include "podscope/jarena.h"
#include "podscope/loop.h"
#include "podscope/xalloc.h"

#include "informer_int.h"

/*
 * The list half of an informer (see informer.h): pages asked for one after
 * another, each item stored as it arrives, and the caps that make a list end
 * (pages, failed pages, a continue token seen twice). informer.c has the
 * watch and the set.
 */

/* Polling because the watch kept failing: try the watch again every this many polls. */
#define WATCH_RETRY_POLLS 6

static void on_page_refused(void *ud);

/* The list in progress is over, complete or not: its store snapshot ends
 * (what it did not see goes, so that lists given up again and again cannot
 * pile objects up), and the next list starts from its first page. */
static void list_reset(struct informer *inf)
{
	if (inf->snapshot_open) {
		store_replace_end(inf->set->store, inf->kind);
		inf->snapshot_open = false;
	}
	inf_replace_str(&inf->cont, NULL);
	inf->list_pages = 0;
	inf->list_retries = 0;
	inf->ntokens = 0;
}

/* A list that would never end: say why, and start over after the longest
 * back-off. */
static void give_up(struct informer *inf, const char *why)
{
	const struct informer_config *cfg = &inf->set->cfg;
	inf_set_error(inf, why);
	list_reset(inf);
	inf->st.lists_given_up++;
	inf->st.errors++;
	inf->st.retry_after_s = -1;
	int64_t delay =
	    (int64_t)((double)cfg->backoff_max_ms * (0.8 + 0.4 * informer_random(inf->set)));
	inf_set_state(inf, INFORMER_BACKOFF);
	inf->st.backoff_until_ms = ploop_now_ms() + delay;
	inf_after(inf, delay, inf_on_timer_list);
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
	inf_back_off(inf, retry_after_s);
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
	cJSON *obj = jarena_parse(item, len);
	struct perr e = {0};
	if (!obj)
		perr_set(&e, PERR_API, "an item that is not JSON");
	if (!obj || store_upsert_json(inf->set->store, inf->kind, obj, &e) < 0)
		inf_note_refused(inf, &e);
	perr_clear(&e);
	jarena_delete(obj);
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
		inf_cancel_req(inf);
		inf_after(inf, 0, on_page_refused);
	}
}

/* The page is not a list, or not one to take: try the list again (from
 * its first page) after the back-off. */
static void page_refused(struct informer *inf, const struct perr *why)
{
	char *msg = xasprintf("list %s: %s", store_kind_name(inf->kind), perr_msg(why));
	inf_set_error(inf, msg);
	free(msg);
	inf_replace_str(&inf->cont, NULL);
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
	inf_replace_str(&inf->rv, inf->list_rv);
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
		inf_set_state(inf, INFORMER_POLLING);
		inf_after(inf, inf->poll_every_ms, inf_on_timer_list);
		return;
	}
	inf_watch_start(inf);
}

static void on_list_done(void *ud, struct kresp *resp)
{
	struct informer *inf = ud;
	const struct informer_config *cfg = &inf->set->cfg;
	inf->req = NULL;
	if (resp->err.kind != PERR_NONE) {
		inf_set_error(inf, perr_msg(&resp->err));
		/* A page that failed (429, 5xx, a dropped connection) is asked
		 * for again with the same continue token: the snapshot is still
		 * good until the server says 410, and starting over would never
		 * finish a long list under steady throttling. */
		if (resp->status == 410 || resp->status == 403 || resp->status == 404)
			inf_replace_str(&inf->cont, NULL);
		if (resp->status == 403 || resp->status == 404) {
			/* Nothing to see that we may see: a complete, empty view. */
			list_reset(inf);
			store_replace_begin(inf->set->store, inf->kind);
			store_replace_end(inf->set->store, inf->kind);
			mark_synced(inf);
			inf->st.errors++;
			inf_set_state(inf, resp->status == 404 ? INFORMER_NOT_SERVED
							       : INFORMER_FORBIDDEN);
			inf_after(inf, cfg->backoff_max_ms, inf_on_timer_list);
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
		inf_replace_str(&inf->list_rv, rv);
	inf_replace_str(&inf->cont, cont);
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
		inf_list_start(inf);
		return;
	}
	inf_set_error(inf, "");
	list_finished(inf);
}

void inf_list_start(struct informer *inf)
{
	inf_cancel_timer(inf);
	inf_cancel_req(inf);
	if (!inf->cont || !*inf->cont)
		inf->st.refused = 0; /* a new view: what it refuses is counted anew */
	char *path = informer_list_path(inf, inf->cont);
	struct kreq_spec spec = {.path = path, .timeout_ms = inf->set->cfg.list_timeout_ms};
	struct perr err = {0};
	inf_set_state(inf, INFORMER_LISTING);
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
		inf_set_error(inf, perr_msg(&err));
		perr_clear(&err);
		inf_replace_str(&inf->cont, NULL);
		list_retry(inf, -1);
	}
}
