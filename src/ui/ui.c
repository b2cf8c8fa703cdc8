#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "podscope/actions_kube.h"
#include "podscope/client.h"
#include "podscope/dsnodes.h"
#include "glyphs.h"
#include "podscope/informer.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/pod_status.h"
#include "podscope/podruns.h"
#include "podscope/serverclock.h"
#include "podscope/store.h"
#include "podscope/ui.h"
#include "podscope/whylog.h"
#include "badge.h"
#include "ui_cluster.h"
#include "ui_int.h"
#include "ui_loop.h"

/* The one terminal: whatever way out, it is given back (atexit too). */
static bool restore_registered;
static void restore_terminal(void)
{
	screen_stop();
}

void ui_message(struct ui *ui, enum theme_role role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	ui->status_role = role;
	ui->status_until = ploop_now_ms() + 5000;
	ui_request(ui, UI_DRAW);
}

const char *ui_namespace(const struct ui *ui)
{
	return ui->all_ns ? NULL : ui->ns;
}

void ui_push(struct ui *ui, const struct view_ops *ops, const char *ns, const char *name)
{
	if (ui->depth >= UI_MAX_DEPTH)
		return;
	struct ui_frame *f = &ui->stack[ui->depth++];
	f->ops = ops;
	f->st = ops->open ? ops->open(ui, ns, name) : NULL;
	ui_request(ui, UI_DRAW);
}

void ui_pop(struct ui *ui)
{
	if (ui->depth <= 1)
		return;
	struct ui_frame *f = &ui->stack[--ui->depth];
	if (f->ops->close)
		f->ops->close(f->st);
	f->st = NULL;
	ui_request(ui, UI_DRAW);
}

/* A restart is an event worth seeing: the pod's tile flashes once (the one
 * animation; low-bandwidth mode has none). */
static void note_restart(struct ui *ui, const struct pod *old, const struct pod *new)
{
	if (ui->lowbw || pod_restart_total(new) <= pod_restart_total(old))
		return;
	int64_t now = ploop_now_ms();
	struct ui_flash *slot = &ui->flashes[0];
	for (int i = 0; i < UI_MAX_FLASHES; i++) {
		struct ui_flash *f = &ui->flashes[i];
		if (strcmp(f->uid, new->uid) == 0 || f->until < slot->until) {
			slot = f;
			if (strcmp(f->uid, new->uid) == 0)
				break;
		}
	}
	snprintf(slot->uid, sizeof(slot->uid), "%s", new->uid);
	slot->until = now + UI_FLASH_MS;
}

/* A last log line came: the why lines that show it are drawn again. */
static void on_log_line(void *ud)
{
	ui_request_data(ud);
}

/* The why lines' log lines through client (NULL: none), for every view. */
static void set_whylog(struct ui *ui, struct kclient *client)
{
	badge_set_log(NULL, NULL);
	whylog_free(ui->whylog);
	ui->whylog = client ? whylog_new(client, on_log_line, ui) : NULL;
	if (ui->whylog)
		badge_set_log(whylog_line, ui->whylog);
}

void ui_on_store_change(void *ud, enum store_kind k, const void *o, const void *n)
{
	if (k == STORE_PODS && o && n)
		note_restart(ud, o, n);
	/* No view shows these (yet): a change to them draws nothing. */
	if (k == STORE_SERVICES || k == STORE_ENDPOINTS || k == STORE_NAMESPACES)
		return;
	/* A node's heartbeat changes nothing the DaemonSet view shows. */
	if (k == STORE_NODES && o && n && ds_node_same(o, n))
		return;
	ui_request_data(ud);
}

/* A back-off, an error or a refused object shows in the status line. */
static void on_status(void *ud)
{
	ui_request_data(ud);
}

static void on_synced(void *ud)
{
	struct ui *ui = ud;
	ui->synced = true;
	ui_script_start(ui);
	ui_request(ui, UI_DRAW);
}

/* (Re)start the informers for the namespace shown. */
void ui_watch(struct ui *ui)
{
	if (ui->n_clusters) {
		ui_clusters_watch(ui);
		return;
	}
	if (ui_replay_on(ui)) {
		/* The recording holds what it holds: the views choose. */
		ui_replay_start(ui);
		ui_request(ui, UI_DRAW);
		return;
	}
	if (ui->inf) {
		struct informer_set *old = ui->inf;
		ui->inf = NULL;
		ui_rec_informers(ui); /* the recorder lets go of them first */
		informer_set_free(old);
		for (int k = 0; k < STORE_NKINDS; k++)
			store_clear(ui->store, (enum store_kind)k);
	}
	struct informer_config cfg = {
	    .namespace = ui_namespace(ui),
	    .label_selector = ui->selector[0] ? ui->selector : NULL,
	    .poll_ms = ui->poll_ms,
	};
	struct perr err = {0};
	ui->inf = informer_set_new(ui->loop, ui->client, ui->store, &cfg, &err);
	if (!ui->inf) {
		ui_message(ui, ROLE_ERROR, "%s", perr_msg(&err));
		perr_clear(&err);
		return;
	}
	informer_set_on_synced(ui->inf, on_synced, ui);
	informer_set_on_status(ui->inf, on_status, ui);
	informer_set_start(ui->inf);
	ui_rec_informers(ui);
}

static void set_auto_readonly(struct ui *ui, const char *reason)
{
	ui->readonly = true;
	ui->readonly_auto = true;
	kclient_set_readonly(ui->client, true);
	snprintf(ui->status, sizeof(ui->status), "read-only: %s",
		 reason && *reason ? reason : "this user may not patch deployments");
	ui->status_role = ROLE_WARNING;
	ui->status_until = ploop_now_ms() + 15000;
}

/* The answer of the access check, at start or after a context switch. */
static void on_access(void *ud, int rc, bool allowed, const char *reason, const struct perr *err)
{
	struct ui *ui = ud;
	(void)err; /* no answer: stay read-write, the API decides */
	if (rc == 0 && !allowed && !ui->readonly) {
		/* A confirmation open for the new context would send a refused
		 * request: it closes, and the status says why. */
		ui_act_reset(ui);
		set_auto_readonly(ui, reason);
		ui_request(ui, UI_DRAW);
	}
}

void ui_switch_context(struct ui *ui, const char *context)
{
	if (!ui->can_switch) {
		ui_message(ui, ROLE_WARNING, "this connection has no other contexts");
		return;
	}
	if (ui->n_clusters) {
		ui_message(ui, ROLE_WARNING,
			   "watching %d contexts: :ctx is off (a row's cluster is the one its "
			   "view shows)",
			   ui->n_clusters);
		return;
	}
	struct kc_options o = ui->kc;
	o.context = context;
	o.cluster = NULL;
	o.user = NULL;
	o.namespace = NULL;
	struct perr err = {0};
	struct kc_conn *conn = kc_load(&o, &err);
	struct kclient *client = conn ? kclient_new(ui->loop, conn, &err) : NULL;
	if (!client) {
		ui_message(ui, ROLE_ERROR, "%s", perr_msg(&err));
		perr_clear(&err);
		kc_conn_free(conn);
		return;
	}
	/* Another user may have other rights: a read-only mode the old
	 * context's access check chose does not carry over, one the user asked
	 * for does. */
	actions_access_cancel(&ui->access);
	if (ui->readonly_auto)
		ui->readonly = ui->readonly_auto = false;
	if (ui->readonly)
		kclient_set_readonly(client, true);
	/* An action's request and dialog belong to the old cluster. */
	ui_act_reset(ui);
	/* The informers use the old client: they go first. */
	if (ui->inf) {
		struct informer_set *old = ui->inf;
		ui->inf = NULL;
		ui_rec_informers(ui); /* the recorder lets go of them first */
		informer_set_free(old);
	}
	set_whylog(ui, NULL);
	kclient_free(ui->client);
	ui->client = client;
	serverclock_follow(client); /* ages and countdowns in the new cluster's clock */
	set_whylog(ui, client);
	ui->synced = false;
	snprintf(ui->context, sizeof(ui->context), "%s", conn->context);
	snprintf(ui->ns, sizeof(ui->ns), "%s", conn->namespace);
	kc_conn_free(conn);
	ui_rec_start(ui); /* the recording's next segment names the new context */
	ui_watch(ui);
	ui_message(ui, ROLE_INFO, "context %s", ui->context);
	if (!ui->readonly &&
	    actions_access_start(&ui->access, ui->client, *ui->ns ? ui->ns : "default",
				 on_access, ui, &err) != 0)
		perr_clear(&err); /* no answer: the API decides, as at start */
}

static void on_signal(void *ud, int signo)
{
	struct ui *ui = ud;
	if (signo == SIGWINCH) {
		ui_resize(ui, true);
		return;
	}
	/* SIGTERM, SIGHUP (the terminal or the SSH session went away), SIGINT. */
	ui->exit_code = 128 + signo;
	ploop_stop(ui->loop);
}

/*
 * Once, at start, before the client is made read-only (it would refuse the
 * review): may this user patch deployments? If not, podscope becomes
 * read-only when the answer comes and says why. No answer at all leaves it
 * read-write: the API decides then.
 */
static void check_access(struct ui *ui, const char *ns)
{
	struct perr err = {0};
	if (actions_access_start(&ui->access, ui->client, ns && *ns ? ns : "default", on_access, ui,
				 &err) != 0)
		perr_clear(&err);
}

/* podscope replay: a store the driver fills, no client, no informers. */
static int setup_replay(struct ui *ui, const struct ui_options *opt)
{
	const struct ui_replay_hooks *h = opt->replay;
	snprintf(ui->ns, sizeof(ui->ns), "%s", h->namespace ? h->namespace : "default");
	ui->all_ns = !h->namespace;
	snprintf(ui->context, sizeof(ui->context), "%s", h->context ? h->context : "");
	ui->loop = ploop_new();
	ui->act.id = ACT_NONE;
	ui->store = store_new();
	store_subscribe(ui->store, ui_on_store_change, ui);
	ui->runs = podruns_new();
	store_subscribe(ui->store, podruns_observe, ui->runs);
	const char *keys = getenv("PODSCOPE_KEYS");
	ui->script = keys && *keys ? keys : NULL;
	return 0;
}

static int setup(struct ui *ui, const struct ui_options *opt)
{
	struct perr err = {0};
	if (uiconfig_load(&ui->cfg, &err) != 0) {
		fprintf(stderr, "podscope: %s\n", perr_msg(&err));
		perr_clear(&err);
		return 2;
	}
	/* The wallboard never changes anything: read-only before the client exists. */
	ui->wallboard = opt->wallboard;
	ui->ring_bell = opt->ring_bell;
	ui->readonly = opt->readonly || ui->cfg.readonly || opt->wallboard;
	ui->lowbw = opt->low_bandwidth || ui->cfg.low_bandwidth == 1;
	ui->lowbw_never = !opt->low_bandwidth && ui->cfg.low_bandwidth == 0;
	const char *theme = opt->theme;
	if (!theme || !*theme)
		theme = getenv("PODSCOPE_THEME");
	if (!theme || !*theme)
		theme = ui->cfg.theme;
	if (theme_load(&ui->theme, theme, &err) != 0) {
		/* Never start unreadable: the default theme, and say why. */
		snprintf(ui->status, sizeof(ui->status), "%s; using the dark theme",
			 perr_msg(&err));
		ui->status_role = ROLE_ERROR;
		ui->status_until = ploop_now_ms() + 15000;
		perr_clear(&err);
	}
	ui->utf8 = !opt->ascii && glyphs_locale_is_utf8();
	/* Low bandwidth: one byte a symbol, not three. */
	glyphs_init(ui->utf8 && !ui->lowbw);
	ui->frame_gap_ms = ui->cfg.refresh_ms > 0 ? ui->cfg.refresh_ms : 33;
	if (opt->replay) {
		ui_replay_setup(ui, opt->replay);
		return setup_replay(ui, opt);
	}
	snprintf(ui->ns, sizeof(ui->ns), "%s", opt->conn->namespace);
	ui->all_ns = opt->all_namespaces;
	if (opt->label_selector)
		snprintf(ui->selector, sizeof(ui->selector), "%s", opt->label_selector);
	ui->poll_ms = opt->poll_ms;
	snprintf(ui->context, sizeof(ui->context), "%s", opt->conn->context);
	if (opt->kc) {
		ui->kc = *opt->kc;
		ui->can_switch = true;
	}
	if (opt->banner)
		snprintf(ui->banner, sizeof(ui->banner), "%s", opt->banner);
	ui->loop = ploop_new();
	ui->client = kclient_new(ui->loop, opt->conn, &err);
	if (!ui->client) {
		fprintf(stderr, "podscope: %s\n", perr_msg(&err));
		perr_clear(&err);
		return 1;
	}
	ui->act.id = ACT_NONE;
	/* Many contexts: each cluster checks its own access (ui_cluster.c). */
	if (!ui->readonly && opt->n_fleet < 2)
		check_access(ui, opt->conn->namespace);
	if (ui->readonly)
		kclient_set_readonly(ui->client, true);
	set_whylog(ui, ui->client);
	ui->store = store_new();
	store_subscribe(ui->store, ui_on_store_change, ui);
	ui->runs = podruns_new();
	store_subscribe(ui->store, podruns_observe, ui->runs);
	if (opt->n_fleet > 1 && ui_clusters_setup(ui, opt) != 0)
		return 1;
	ui->record = opt->record;
	ui_rec_start(ui);
	ui->scenarios = opt->scenarios;
	ui->chosen = opt->chosen;
	ui->chosen_len = opt->chosen_len;
	const char *keys = getenv("PODSCOPE_KEYS");
	ui->script = keys && *keys ? keys : NULL;
	return 0;
}

static void teardown(struct ui *ui)
{
	actions_access_cancel(&ui->access);
	ui_act_reset(ui);
	while (ui->depth > 0) {
		struct ui_frame *f = &ui->stack[--ui->depth];
		if (f->ops->close)
			f->ops->close(f->st);
	}
	ui_rec_stop(ui); /* before the store and the informers go */
	ui_replay_stop(ui);
	ui_clock_fix(0);
	ui_clusters_free(ui);
	if (ui->inf)
		informer_set_free(ui->inf);
	if (ui->store)
		store_free(ui->store);
	podruns_free(ui->runs);
	set_whylog(ui, NULL);
	kclient_free(ui->client);
	if (ui->loop) {
		if (ui->frame_timer)
			ploop_timer_cancel(ui->loop, ui->frame_timer);
		if (ui->tick_timer)
			ploop_timer_cancel(ui->loop, ui->tick_timer);
		if (ui->script_timer)
			ploop_timer_cancel(ui->loop, ui->script_timer);
		ploop_remove_fd(ui->loop, STDIN_FILENO);
		ploop_free(ui->loop);
	}
}

int ui_run(const struct ui_options *opt)
{
	int nd_cols, nd_rows;
	bool no_display = screen_no_display(&nd_cols, &nd_rows);
	if (no_display && (nd_cols == 0 || !getenv("PODSCOPE_KEYS") || !*getenv("PODSCOPE_KEYS"))) {
		fprintf(stderr, "podscope: PODSCOPE_NO_DISPLAY wants COLSxROWS (each %d to %d) "
				"and a PODSCOPE_KEYS script\n",
			SCREEN_NODISPLAY_MIN, SCREEN_NODISPLAY_MAX);
		return 2;
	}
	if (!no_display && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "podscope: the dashboard needs a terminal; for scripts use a "
				"command (see podscope --help)\n");
		return 1;
	}
	struct ui *ui = calloc(1, sizeof(*ui));
	if (!ui)
		return 1;
	ui->no_display = no_display;
	int rc = setup(ui, opt);
	if (rc != 0)
		goto out;
	if (!restore_registered) {
		atexit(restore_terminal);
		restore_registered = true;
	}
	if (!screen_start(ui)) {
		fprintf(stderr, "podscope: cannot use the terminal (TERM=%s)\n",
			getenv("TERM") ? getenv("TERM") : "");
		rc = 1;
		goto out;
	}
	/* After newterm: curses has put its own handlers in; ours go through the loop. */
	int sigs[] = {SIGWINCH, SIGTERM, SIGHUP, SIGINT};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		ploop_on_signal(ui->loop, sigs[i], on_signal, ui);
	if (!ui->no_display)
		ploop_add_fd(ui->loop, STDIN_FILENO, POLLIN, ui_on_input, ui);
	ui_push(ui, ui->wallboard ? &view_wallboard : &view_overview, NULL, NULL);
	ui_watch(ui);
	ui_resize(ui, true);
	ploop_run(ui->loop);
	rc = ui->exit_code;
out:
	/* The terminal first, so that messages printed while cleaning up are readable. */
	screen_stop();
	teardown(ui);
	free(ui);
	return rc;
}
