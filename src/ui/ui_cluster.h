#ifndef PODSCOPE_UI_CLUSTER_H
#define PODSCOPE_UI_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>

#include "podscope/actions_kube.h"
#include "podscope/store.h"

/*
 * Many contexts at once (--context a,b,c, --contexts REGEX, --all-contexts):
 * one cluster per context, each with its own client (its own back-off,
 * server clock and read-only flag), store, informers, pod runs and why-line
 * logs, all on the one loop. ui->client, store, inf, runs, whylog point at
 * the current cluster's (ui->cur), so every view of one object is
 * unchanged; the overview and the fleet view walk every cluster
 * (ui_cluster_use). doc/architecture.md, "Many clusters".
 */

struct ui;
struct ui_options;
struct kclient;
struct informer_set;
struct podruns;
struct whylog;

struct ui_cluster {
	struct ui *ui;
	char context[128];
	struct kclient *client;
	struct store *store;
	struct podruns *runs;
	struct whylog *whylog;
	struct informer_set *inf;
	bool readonly;      /* --readonly, readonly-contexts, or the access check said so */
	bool readonly_auto; /* the access check said so */
	bool synced;
	char ro_reason[160];
	struct actions_access access;
};

/* ui.c: what the dashboard does when a store changes (each cluster's store
 * is subscribed to it). */
void ui_on_store_change(void *ud, enum store_kind k, const void *o, const void *n);

/* Make the clusters of opt->fleet; cluster 0 adopts ui->client, store, runs
 * and whylog (made by setup from opt->conn, which is opt->fleet[0]).
 * -1 with a message on stderr when a context's client cannot be made. */
int ui_clusters_setup(struct ui *ui, const struct ui_options *opt);
/* (Re)start every cluster's informers for the namespace shown. */
void ui_clusters_watch(struct ui *ui);
/* List everything again in every cluster (C-r). */
void ui_clusters_relist(struct ui *ui);
/* Free every cluster (ui->client etc. become NULL). */
void ui_clusters_free(struct ui *ui);
/* Point ui->client, store, inf, runs and the why lines at cluster i, for
 * drawing its rows; ui_cluster_use(ui, ui->cur) goes back. */
void ui_cluster_use(struct ui *ui, int i);
/* Make cluster i the current one: the above, and its context name,
 * read-only flag and server clock. */
void ui_cluster_focus(struct ui *ui, int i);
/* NULL when cluster i is live; else why its rows may be old or missing
 * ("STALE: reconnecting, pods: ...", "forbidden: ...", "listing..."), and
 * *bad whether that is trouble (not just a first list under way). */
const char *ui_cluster_state(const struct ui *ui, int i, char *buf, size_t n, bool *bad);
/* The client and context name an action of cluster i goes to (the current
 * ones with a single context). */
struct kclient *ui_cluster_client(struct ui *ui, int i);
const char *ui_cluster_context(const struct ui *ui, int i);

#endif
