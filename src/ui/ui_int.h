#ifndef PODSCOPE_UI_INT_H
#define PODSCOPE_UI_INT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "actions.h"
#include "podscope/actions_kube.h"
#include "podscope/kubeconfig.h"
#include "podscope/store.h"
#include "theme.h"
#include "uiconfig.h"
#include "view.h"

/* The dashboard's state, shared by src/ui/ only. */

struct ploop;
struct ptimer;
struct kclient;
struct store;
struct informer_set;
struct kc_conn;
struct kact_plan;
struct kact_req;
struct kact_plan_req;
struct ui_record_hooks;
struct ui_replay_hooks;

#define UI_MIN_COLS  60
#define UI_MIN_ROWS  16
#define UI_MAX_DEPTH 8

struct ui_frame {
	const struct view_ops *ops;
	void *st;
};

/* A pod whose containers restarted a moment ago: its tile flashes once. */
#define UI_FLASH_MS    1000
#define UI_MAX_FLASHES 32
struct ui_flash {
	char uid[40];
	int64_t until; /* ploop_now_ms() */
};

/* Time-driven text (ages, countdowns) changes at most once per grain, all
 * of it in the same frame: watch -n2's cadence. */
#define UI_GRAIN_MS     2000
#define UI_LOWBW_GAP_MS 5000
/* Frames for changes in the cluster come at most this often (keys draw at
 * once): a burst of watch events is drawn once, not at every step. */
#define UI_DATA_GAP_MS 250

/* ui_act.c: the action under way, from its input to the API's answer. */
struct ui_action_state {
	enum action_id id; /* whose input the 'a' prompt takes, or being planned */
	char ns[254];
	char obj[254];
	int32_t replicas; /* scale: spec.replicas when the prompt opened */
	enum kact_target target; /* the workload's kind (Deployment, StatefulSet, DaemonSet) */
	int32_t partition;       /* partition: the StatefulSet's when the prompt opened */
	char **choices;   /* shown above the prompt (completion, history) */
	size_t n_choices;
	struct kact_plan_req *pending; /* reading the cluster for a plan or a history */
	struct kact_plan *plan;        /* the confirmation dialog's, or NULL */
	struct kact_plan *applying;    /* sent, answer pending */
	struct kact_req *req;
	int cluster; /* many contexts: the cluster (ui_cluster.c) it goes to */
};

struct podruns;

struct ui {
	struct ploop *loop;
	struct kclient *client;
	struct store *store;
	struct podruns *runs; /* every run and pull seen (the pod view's timeline) */
	struct whylog *whylog; /* the why lines' last log lines (badge_set_log) */
	struct informer_set *inf;
	struct uiconfig cfg;
	struct theme theme;
	bool readonly, utf8, color;
	bool wallboard, ring_bell; /* --wallboard (read-only from the start), --bell */
	char ns[254]; /* the namespace shown ("" with all_ns) */
	bool all_ns;
	char selector[256];
	int64_t poll_ms;
	char context[128];
	struct kc_options kc; /* for :ctx; kubeconfig NULL when switching is off */
	bool can_switch;
	char banner[160];

	struct ui_frame stack[UI_MAX_DEPTH];
	int depth;

	int rows, cols;
	bool too_small;
	bool curses_on;

	unsigned pending; /* UI_* bits not drawn yet */
	int64_t last_frame_ms;
	int64_t frame_gap_ms; /* at least this between frames */
	struct ptimer *frame_timer;
	int64_t frame_at; /* when frame_timer fires */
	struct ptimer *tick_timer;
	int64_t tick_at;
	unsigned long frames;

	char status[256];
	enum theme_role status_role;
	int64_t status_until;

	int prompt; /* 0, '/' (filter), ':' (command), 'a' (an action's input), 's' (log search) */
	wchar_t prompt_buf[128];
	size_t prompt_len;
	char filter[128];
	char search[128]; /* the log panes' search (case-insensitive), "" for none */

	char prompt_label[256];
	char prompt_note[160]; /* after the input: why it is refused, or what it means */
	struct ui_action_state act; /* ui_act.c */
	bool readonly_auto; /* read-only because the access check said so */
	struct actions_access access; /* the access check (at start, after :ctx) in flight */

	const char *script; /* PODSCOPE_KEYS, fed after the first sync */
	size_t script_pos;
	struct ptimer *script_timer;
	int64_t script_wait_until; /* <wait:TEXT> gives up then (0: not waiting) */
	bool synced;
	bool no_display; /* PODSCOPE_NO_DISPLAY: no terminal, quit after the script */

	struct ui_flash flashes[UI_MAX_FLASHES];

	/* Low-bandwidth mode (ui_frame.c): no animation, coarse ages, countdowns
	 * only on the selected object, data frames at most one per
	 * UI_LOWBW_GAP_MS. lowbw_never: the config file said false, so the
	 * automatic rule stays off. */
	bool lowbw, lowbw_never;
	int slow_frames;  /* frames that found the terminal slow, in a row */
	int64_t write_ms; /* how long the last frame's doupdate took */

	const char *const *scenarios; /* --demo's menu, or NULL */
	char *chosen;
	size_t chosen_len;

	int64_t last_click_ms;
	int last_click_y;
	int exit_code;

	/* Many contexts (ui_cluster.c): every cluster watched. client, store,
	 * runs, whylog, inf, context and readonly above are then those of
	 * clusters[cur], the one a pushed view shows; the overview and the
	 * fleet view walk them all. n_clusters 0: one context, as before. */
	struct ui_cluster *clusters;
	int n_clusters, cur;
	const struct ui_record_hooks *record; /* --record (ui_rec.c), or NULL */
	const struct ui_replay_hooks *replay; /* podscope replay (timebar.c), or NULL */
	bool replay_started;
};

/* view_wallboard.c: the wall screen (--wallboard). */
extern const struct view_ops view_wallboard;

/* ---- ui_frame.c ---- */
/* Ask for a frame (bits: UI_*). */
void ui_request(struct ui *ui, unsigned bits);
/* Ask for a frame because the cluster changed: such frames come at most one
 * per UI_DATA_GAP_MS (UI_LOWBW_GAP_MS in low-bandwidth mode), so that a
 * burst of changes is sent once; keys still draw at once. */
void ui_request_data(struct ui *ui);
/* The instant that time-driven text (ages, countdowns) is drawn at: the
 * wall clock rounded down to UI_GRAIN_MS; *mono gets the same instant on the
 * loop's clock (ploop_now_ms) for computing when text changes next. */
int64_t ui_clock(int64_t *mono);
/* A change of time-driven text due at mono t (0: none) is shown on the
 * first grain at or after t: the tick to ask for. */
int64_t ui_tick_align(int64_t t);
/* The AGE of an object created at created_ms, at now (from ui_clock):
 * kubectl's HumanDuration, or coarse ("<5m", "15m", "3h", "2d": 5-minute
 * steps below an hour) in low-bandwidth mode; and the tick at which that
 * text changes. */
void ui_age(const struct ui *ui, int64_t created_ms, int64_t now, char *buf, size_t n);
int64_t ui_age_tick(const struct ui *ui, int64_t created_ms, int64_t now, int64_t mono);

/* ---- ui.c ---- */
/* Push a view for object ns/name; pop the top one. */
void ui_push(struct ui *ui, const struct view_ops *ops, const char *ns, const char *name);
void ui_pop(struct ui *ui);
/* A message in the status line for a few seconds. */
void ui_message(struct ui *ui, enum theme_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The namespace to list (NULL: all). */
const char *ui_namespace(const struct ui *ui);

/* ---- screen.c: curses setup, colours, saving the screen ---- */
bool screen_start(struct ui *ui);
void screen_stop(void);
void screen_apply_theme(struct ui *ui);
/* The curses attributes of a role. */
unsigned long screen_attr(enum theme_role r);
int screen_save(const char *path, char *errbuf, size_t n);
/* Whether some row of the screen (UTF-8, trailing blanks dropped) matches re. */
bool screen_find(const regex_t *re);
/* PODSCOPE_NO_DISPLAY=COLSxROWS: draw into a screen of that size with no
 * terminal. True when the variable is set; *cols and *rows are 0 when its
 * value is not a size within SCREEN_NODISPLAY_MIN..MAX. */
#define SCREEN_NODISPLAY_MIN 10
#define SCREEN_NODISPLAY_MAX 1000
bool screen_no_display(int *cols, int *rows);

/* ---- draw.c: text by display width ---- */
/* Draw UTF-8 text at y, x in at most maxw columns, in role; returns the
 * columns used. Text wider than maxw ends with an ellipsis. */
int draw_text(int y, int x, int maxw, enum theme_role role, const char *s);
int draw_textf(int y, int x, int maxw, enum theme_role role, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Text padded with spaces to exactly w columns. */
void draw_cell(int y, int x, int w, enum theme_role role, const char *s);
/* Fill w columns with spaces in role. */
void draw_fill(int y, int x, int w, enum theme_role role);
/* Display width of UTF-8 text. */
int draw_width(const char *s);
/* A gauge of w columns: used of max, over-budget shown in gauge-over. */
void draw_gauge(int y, int x, int w, int used, int max);
/* A horizontal line of w columns. */
void draw_hline(int y, int x, int w, enum theme_role role);

/* ---- ui_act.c: the actions that change the cluster ---- */
/* Start action a (a mutating one) on deployment ns/deploy: plan it (after
 * asking for its input) and open the confirmation dialog. Returns at once:
 * the plan's reads run on the loop, and the dialog opens when they end. */
unsigned ui_act_deploy(struct ui *ui, enum action_id a, const char *ns, const char *deploy);
/* Delete pod ns/pod (after confirmation). */
unsigned ui_act_pod(struct ui *ui, const char *ns, const char *pod);
/* An action on StatefulSet or DaemonSet ns/name (kind: STORE_STATEFULSETS or
 * STORE_DAEMONSETS), as ui_act_deploy is on a Deployment. */
unsigned ui_act_set(struct ui *ui, enum action_id a, int kind, const char *ns, const char *name);
/* Suspend, resume (unsuspend) or trigger on Job or CronJob ns/name (kind:
 * STORE_JOBS or STORE_CRONJOBS); trigger on a Job makes a Job from its
 * CronJob, after the prompt for the new Job's name. */
unsigned ui_act_job(struct ui *ui, enum action_id a, int kind, const char *ns, const char *name);
/* :switch SERVICE DEPLOYMENT in the namespace shown. */
void ui_act_switch(struct ui *ui, const char *svc, const char *deploy);
/* Keys while the dialog is open; the 'a' prompt's submit, Esc and Tab; its
 * input changed. */
void ui_act_dialog_key(struct ui *ui, bool fn, int ch);
void ui_act_submit(struct ui *ui, const char *input);
void ui_act_cancel(struct ui *ui);
void ui_act_complete(struct ui *ui, char *line, size_t n);
void ui_act_typed(struct ui *ui, const char *input);
/* A key while a plan is being read: Esc cancels it (true: the key was
 * taken); any other key goes on as usual. */
bool ui_act_pending_key(struct ui *ui, bool fn, int ch);
/* Draw the dialog and the choices (after the view, before the status line). */
void ui_act_draw(struct ui *ui);
/* Forget whatever is pending (context switch, quit): nothing more is sent. */
void ui_act_reset(struct ui *ui);

/* ---- ui_rec.c: --record's hooks ---- */
void ui_rec_start(struct ui *ui);
void ui_rec_informers(struct ui *ui);
void ui_rec_stop(struct ui *ui);
/* "● REC FILE  " before the status bar's hint; the columns used. */
int ui_rec_label(struct ui *ui, char *buf, size_t n, bool *ok);

/* ---- timebar.c: podscope replay's time bar and keys ---- */
bool ui_replay_on(const struct ui *ui);
/* Rows the time bar takes above the status line (0 when live). */
int ui_timebar_rows(const struct ui *ui);
/* At setup: read-only, the time bar's keys bound. */
void ui_replay_setup(struct ui *ui, const struct ui_replay_hooks *h);
/* Start the driver on the store (once); stop it (before the store goes). */
void ui_replay_start(struct ui *ui);
void ui_replay_stop(struct ui *ui);
/* A replay action (true: it was one and is done; the jump is the ':'
 * line's); :jump TIME. */
bool ui_replay_action(struct ui *ui, enum action_id a);
void ui_replay_jump(struct ui *ui, const char *arg);
void ui_timebar_draw(struct ui *ui, int y);

/* ---- util.c ---- */
/* The clock ages and countdowns are drawn at, stopped at ms (the replayed
 * moment on the server's clock); 0: the live clock again. */
void ui_clock_fix(int64_t ms);
/* The API server's clock, ms since the epoch (ages, countdowns): the
 * local clock plus the skew seen in its Date headers (serverclock.h), or
 * PODSCOPE_NOW. */
int64_t ui_wall_ms(void);
/* The skew ui_wall_ms() applies (0 under PODSCOPE_NOW). */
int64_t ui_clock_skew_ms(void);

/* "eta about 2-3 min" (eta.h) at y, x for a workload of the store being
 * rolled out (k: STORE_DEPLOYMENTS, STORE_STATEFULSETS, STORE_DAEMONSETS);
 * nothing when there is nothing to estimate. Returns the columns used. */
int ui_draw_eta(struct ui *ui, enum store_kind k, const void *obj, int y, int x, int64_t now);
/* The monotonic time (ploop_now_ms) of the next change of an age shown as
 * kubectl's HumanDuration, for an object created at created_ms. */
int64_t ui_age_next(int64_t created_ms, int64_t wall_ms, int64_t mono_ms);
/* Whether a name passes the filter (case-insensitive substring; "" passes). */
bool ui_filter_match(const struct ui *ui, const char *ns, const char *name);
/* Open the log panes' search prompt (the panes highlight as it is typed;
 * Enter goes to a match, Esc clears it). */
void ui_search_prompt(struct ui *ui);
/* Keep a selection in [0, n) and the first shown row so that it is visible. */
void ui_scroll(size_t n, size_t *sel, size_t *top, int height);
/* Whether the pod with that uid restarted within UI_FLASH_MS; and when the
 * last flash ends (0: none is on), for next_tick. */
bool ui_flashing(const struct ui *ui, const char *uid, int64_t mono);
int64_t ui_flash_tick(const struct ui *ui, int64_t mono);
/* The earlier of two tick times (0 = none). */
int64_t ui_tick_min(int64_t a, int64_t b);

#endif
