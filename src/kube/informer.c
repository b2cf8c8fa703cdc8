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

static void status_changed(struct informer *inf)
{
	if (inf->set->status_fn)
		inf->set->status_fn(inf->set->status_ud);
}

void inf_set_error(struct informer *inf, const char *msg)
{
	free(inf->error);
	inf->error = xstrdup(msg ? msg : "");
	inf->st.last_error = inf->error;
	status_changed(inf);
}

/* An object the decoders refused is not stored; what was wrong stays in
 * st.last_refused, for the status line and the commands. */
void inf_note_refused(struct informer *inf, const struct perr *why)
{
	inf->st.errors++;
	inf->st.refused++;
	free(inf->refused);
	inf->refused = xasprintf("%s %s", store_kind_name(inf->kind), perr_msg(why));
	inf->st.last_refused = inf->refused;
	status_changed(inf);
}

void inf_set_state(struct informer *inf, enum informer_state s)
{
	if (inf->st.state == s)
		return;
	inf->st.state = s;
	status_changed(inf);
}

void inf_cancel_timer(struct informer *inf)
{
	if (inf->timer) {
		ploop_timer_cancel(inf->set->loop, inf->timer);
		inf->timer = NULL;
	}
}

void inf_cancel_req(struct informer *inf)
{
	if (inf->req) {
		kreq_cancel(inf->req);
		inf->req = NULL;
	}
}

void inf_replace_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

/* ---- timers ---- */

void inf_on_timer_list(void *ud)
{
	struct informer *inf = ud;
	inf->timer = NULL;
	inf_list_start(inf);
}

void inf_after(struct informer *inf, int64_t delay_ms, ploop_timer_fn fn)
{
	inf_cancel_timer(inf);
	inf->timer = ploop_timer_in(inf->set->loop, delay_ms, fn, inf);
}

/* Wait with jitter (never less than Retry-After), then list again. */
void inf_back_off(struct informer *inf, long retry_after_s)
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
	inf_set_state(inf, INFORMER_BACKOFF);
	inf->st.backoff_until_ms = ploop_now_ms() + delay;
	inf_after(inf, delay, inf_on_timer_list);
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

/* ---- watch ---- */

static int on_line(void *ud, const char *line, size_t len)
{
	struct informer *inf = ud;
	struct store *store = inf->set->store;
	struct wevent ev;
	struct perr err = {0};
	inf->watch_lines++;
	if (wevent_parse(line, len, &ev, &err) < 0) {
		inf_set_error(inf, perr_msg(&err));
		perr_clear(&err);
		return STOP_ERROR;
	}
	int stop = STOP_NONE;
	switch (ev.type) {
	case WEV_ADDED:
	case WEV_MODIFIED:
		if (store_upsert_json(store, inf->kind, ev.object, &err) < 0)
			inf_note_refused(inf, &err);
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
			inf_set_error(inf, m);
			free(m);
			stop = STOP_ERROR;
		}
		break;
	}
	if (stop == STOP_NONE) {
		inf->st.events++;
		if (*ev.rv) {
			inf_replace_str(&inf->rv, ev.rv);
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
		inf_set_state(inf, INFORMER_POLLING);
		inf->st.errors++;
		inf_after(inf, cfg->fallback_poll_ms, inf_on_timer_list);
		return;
	}
	inf_back_off(inf, retry_after_s);
}

static void relist_now(struct informer *inf)
{
	inf->st.relists_410++;
	inf_list_start(inf);
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
		inf_set_error(inf, perr_msg(&err));
		perr_clear(&err);
		rc = STOP_ERROR;
	}
	inf->stop = rc;
	inf_cancel_req(inf);
	inf_after(inf, 0, on_stopped);
}

static void on_watch_done(void *ud, struct kresp *resp)
{
	struct informer *inf = ud;
	int64_t lasted = ploop_now_ms() - inf->watch_started_ms;
	inf->req = NULL;
	inf_cancel_timer(inf);
	if (inf->watch_lines > 0 || lasted >= WATCH_HEALTHY_MS) {
		inf->failures = 0;
		inf->backoff_ms = inf->set->cfg.backoff_initial_ms;
	}
	if (resp->status == 410) {
		relist_now(inf);
		return;
	}
	if (resp->status == 403) {
		inf_set_error(inf, perr_msg(&resp->err));
		become_polling(inf, inf->set->cfg.fallback_poll_ms, perr_msg(&resp->err));
		inf_set_state(inf, INFORMER_POLLING);
		inf_after(inf, inf->poll_every_ms, inf_on_timer_list);
		return;
	}
	if (resp->err.kind != PERR_NONE || wframe_pending(&inf->frame) > 0) {
		inf_set_error(inf, resp->err.kind != PERR_NONE
				       ? perr_msg(&resp->err)
				       : "watch stream ended inside an event");
		watch_failed(inf, resp->retry_after_s);
		return;
	}
	if (inf->watch_lines == 0 && lasted < WATCH_MIN_MS) {
		inf_set_error(inf, "the server ended the watch at once");
		watch_failed(inf, -1);
		return;
	}
	inf_watch_start(inf);
}

static void on_watchdog(void *ud)
{
	struct informer *inf = ud;
	inf->timer = NULL;
	inf_cancel_req(inf);
	inf_set_error(inf, "watch silent past its timeout");
	watch_failed(inf, -1);
}

void inf_watch_start(struct informer *inf)
{
	const struct informer_config *cfg = &inf->set->cfg;
	inf_cancel_timer(inf);
	inf_cancel_req(inf);
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
	inf_set_state(inf, INFORMER_WATCHING);
	inf->st.watches++;
	inf->req = kclient_start(inf->set->client, &spec, on_watch_data, on_watch_done, inf, &err);
	free(path);
	if (!inf->req) {
		inf_set_error(inf, perr_msg(&err));
		perr_clear(&err);
		watch_failed(inf, -1);
		return;
	}
	inf_after(inf, (int64_t)timeout_s * 1000 + WATCH_GRACE_MS, on_watchdog);
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
			inf_list_start(set->inf[k]);
}

void informer_set_relist(struct informer_set *set)
{
	for (int k = 0; k < STORE_NKINDS; k++) {
		struct informer *inf = set->inf[k];
		if (inf && set->started && inf->st.state != INFORMER_LISTING) {
			/* From the first page, with the user's patience renewed; what
			 * is shown stays until the new list has ended. */
			inf_replace_str(&inf->cont, NULL);
			inf->list_retries = 0;
			inf_list_start(inf);
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
		inf_cancel_req(inf);
		inf_cancel_timer(inf);
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
