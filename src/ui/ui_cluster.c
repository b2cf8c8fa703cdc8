#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/actions_kube.h"
#include "podscope/buf.h"
#include "podscope/client.h"
#include "podscope/informer.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/podruns.h"
#include "podscope/sanitize.h"
#include "podscope/serverclock.h"
#include "podscope/store.h"
#include "podscope/ui.h"
#include "podscope/whylog.h"
#include "podscope/xalloc.h"
#include "badge.h"
#include "ui_cluster.h"
#include "ui_int.h"
#include "ui_loop.h"

/* Many contexts: see ui_cluster.h and doc/architecture.md. */

static void on_log_line(void *ud)
{
	ui_request_data(ud);
}

static void on_status(void *ud)
{
	struct ui_cluster *c = ud;
	ui_request_data(c->ui);
}

/* The keys script starts once every cluster has listed once (a dead one
 * never does: the script then waits for the screen, as it can). */
static void on_synced(void *ud)
{
	struct ui_cluster *c = ud;
	struct ui *ui = c->ui;
	c->synced = true;
	ui->synced = true;
	bool all = true;
	for (int i = 0; i < ui->n_clusters; i++)
		all = all && ui->clusters[i].synced;
	if (all)
		ui_script_start(ui);
	ui_request(ui, UI_DRAW);
}

static void set_readonly(struct ui_cluster *c, const char *reason)
{
	c->readonly = true;
	kclient_set_readonly(c->client, true);
	snprintf(c->ro_reason, sizeof(c->ro_reason), "%s", reason);
}

/* A cluster's own access check: a cluster the user may not change becomes
 * read-only alone; the others stay writable. */
static void on_access(void *ud, int rc, bool allowed, const char *reason, const struct perr *err)
{
	struct ui_cluster *c = ud;
	struct ui *ui = c->ui;
	(void)err;
	if (rc != 0 || allowed || c->readonly)
		return;
	int i = (int)(c - ui->clusters);
	/* A confirmation open for this cluster would send a refused request. */
	if (ui->act.cluster == i)
		ui_act_reset(ui);
	c->readonly_auto = true;
	set_readonly(c, reason && *reason ? reason : "this user may not patch deployments");
	if (i == ui->cur)
		ui_cluster_focus(ui, i);
	ui_message(ui, ROLE_WARNING, "%s read-only: %s", c->context, c->ro_reason);
}

int ui_clusters_setup(struct ui *ui, const struct ui_options *opt)
{
	size_t n = opt->n_fleet;
	ui->clusters = xcalloc(n, sizeof(*ui->clusters));
	ui->n_clusters = (int)n;
	for (size_t i = 0; i < n; i++) {
		struct ui_cluster *c = &ui->clusters[i];
		c->ui = ui;
		snprintf(c->context, sizeof(c->context), "%s", opt->fleet[i]->context);
		if (i == 0) {
			c->client = ui->client;
			c->store = ui->store;
			c->runs = ui->runs;
			c->whylog = ui->whylog;
		} else {
			struct perr err = {0};
			c->client = kclient_new(ui->loop, opt->fleet[i], &err);
			if (!c->client) {
				/* The context's name is the kubeconfig's: sanitised. */
				struct buf b = BUF_INIT;
				sanitize_printf(&b, "podscope: context %s: %s\n", c->context,
						perr_msg(&err));
				fwrite(b.data, 1, b.len, stderr);
				buf_free(&b);
				perr_clear(&err);
				return -1;
			}
			c->store = store_new();
			store_subscribe(c->store, ui_on_store_change, ui);
			c->runs = podruns_new();
			store_subscribe(c->store, podruns_observe, c->runs);
			c->whylog = whylog_new(c->client, on_log_line, ui);
		}
		const char *ns = opt->fleet[i]->namespace;
		if (ui->readonly) /* --readonly, the config's readonly, --wallboard */
			set_readonly(c, "asked for");
		else if (uiconfig_context_readonly(&ui->cfg, c->context))
			set_readonly(c, "readonly-contexts in the config file");
		else {
			struct perr err = {0};
			if (actions_access_start(&c->access, c->client, ns && *ns ? ns : "default",
						 on_access, c, &err) != 0)
				perr_clear(&err); /* no answer: the API decides */
		}
	}
	ui->cur = 0;
	ui_cluster_focus(ui, 0);
	return 0;
}

void ui_clusters_watch(struct ui *ui)
{
	struct informer_config cfg = {
	    .namespace = ui_namespace(ui),
	    .label_selector = ui->selector[0] ? ui->selector : NULL,
	    .poll_ms = ui->poll_ms,
	};
	for (int i = 0; i < ui->n_clusters; i++) {
		struct ui_cluster *c = &ui->clusters[i];
		if (c->inf) {
			informer_set_free(c->inf);
			c->inf = NULL;
			for (int k = 0; k < STORE_NKINDS; k++)
				store_clear(c->store, (enum store_kind)k);
		}
		c->synced = false;
		struct perr err = {0};
		c->inf = informer_set_new(ui->loop, c->client, c->store, &cfg, &err);
		if (!c->inf) {
			ui_message(ui, ROLE_ERROR, "%s: %s", c->context, perr_msg(&err));
			perr_clear(&err);
			continue;
		}
		informer_set_on_synced(c->inf, on_synced, c);
		informer_set_on_status(c->inf, on_status, c);
		informer_set_start(c->inf);
	}
	ui_cluster_use(ui, ui->cur);
}

void ui_clusters_relist(struct ui *ui)
{
	for (int i = 0; i < ui->n_clusters; i++)
		if (ui->clusters[i].inf)
			informer_set_relist(ui->clusters[i].inf);
}

void ui_clusters_free(struct ui *ui)
{
	if (!ui->n_clusters)
		return;
	badge_set_log(NULL, NULL);
	for (int i = 0; i < ui->n_clusters; i++) {
		struct ui_cluster *c = &ui->clusters[i];
		actions_access_cancel(&c->access);
		if (c->inf)
			informer_set_free(c->inf);
		whylog_free(c->whylog);
		kclient_free(c->client);
		if (c->store)
			store_free(c->store);
		podruns_free(c->runs);
	}
	free(ui->clusters);
	ui->clusters = NULL;
	ui->n_clusters = 0;
	ui->client = NULL;
	ui->store = NULL;
	ui->runs = NULL;
	ui->whylog = NULL;
	ui->inf = NULL;
}

void ui_cluster_use(struct ui *ui, int i)
{
	if (i < 0 || i >= ui->n_clusters)
		return;
	struct ui_cluster *c = &ui->clusters[i];
	ui->client = c->client;
	ui->store = c->store;
	ui->runs = c->runs;
	ui->whylog = c->whylog;
	ui->inf = c->inf;
	badge_set_log(c->whylog ? whylog_line : NULL, c->whylog);
}

void ui_cluster_focus(struct ui *ui, int i)
{
	if (i < 0 || i >= ui->n_clusters)
		return;
	struct ui_cluster *c = &ui->clusters[i];
	ui->cur = i;
	ui_cluster_use(ui, i);
	ui->readonly = c->readonly;
	ui->readonly_auto = c->readonly_auto;
	snprintf(ui->context, sizeof(ui->context), "%s", c->context);
	serverclock_follow(c->client); /* ages and countdowns in its clock */
}

const char *ui_cluster_state(const struct ui *ui, int i, char *buf, size_t n, bool *bad)
{
	const struct ui_cluster *c = &ui->clusters[i];
	*bad = true;
	if (!c->inf) {
		snprintf(buf, n, "not watched");
		return buf;
	}
	for (int k = 0; k < STORE_NKINDS; k++) {
		const struct informer_status *st = informer_set_status(c->inf, (enum store_kind)k);
		if (!st ||
		    (store_kind_optional((enum store_kind)k) && st->state == INFORMER_FORBIDDEN))
			continue;
		if (st->state == INFORMER_BACKOFF) {
			const char *e =
			    st->last_error && *st->last_error ? st->last_error : "no answer";
			/* Never listed: nothing of it is shown, so nothing is stale. */
			if (!c->synced)
				snprintf(buf, n, "unreachable: retrying (%s: %.100s)",
					 store_kind_name(st->kind), e);
			else
				snprintf(buf, n,
					 "STALE: reconnecting (%s: %.100s); its rows as last seen",
					 store_kind_name(st->kind), e);
			return buf;
		}
		if (st->state == INFORMER_FORBIDDEN) {
			snprintf(buf, n, "forbidden: may not list %s (%.100s)",
				 store_kind_name(st->kind), st->last_error ? st->last_error : "");
			return buf;
		}
	}
	if (!informer_set_synced(c->inf)) {
		*bad = false;
		snprintf(buf, n, "listing...");
		return buf;
	}
	return NULL;
}

struct kclient *ui_cluster_client(struct ui *ui, int i)
{
	return i >= 0 && i < ui->n_clusters ? ui->clusters[i].client : ui->client;
}

const char *ui_cluster_context(const struct ui *ui, int i)
{
	return i >= 0 && i < ui->n_clusters ? ui->clusters[i].context : ui->context;
}
