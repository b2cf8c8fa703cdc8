#ifndef PODSCOPE_UI_H
#define PODSCOPE_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The dashboard: ncurses on the one loop (terminal input, signals through
 * the loop's self-pipe, timers for animation and ages, HTTP transfers of
 * the informers). Needs a terminal on stdin and stdout.
 */

struct kc_conn;
struct kc_options;
struct ploop;
struct store;
struct informer_set;

/*
 * --record FILE (the recorder is the command's, src/cmd/recorder.c): the
 * dashboard says when its store exists and whose context it shows (at start
 * and after :ctx), which informers feed it (NULL while it makes new ones:
 * a namespace or context switch), and when it ends (before the store goes).
 * label fills the status bar's announcement and says whether all is well.
 */
struct ui_record_hooks {
	void (*start)(void *ud, struct ploop *loop, struct store *st, const char *context);
	void (*informers)(void *ud, struct informer_set *inf);
	void (*stop)(void *ud);
	bool (*label)(void *ud, char *buf, unsigned n);
	void *ud;
};

/*
 * podscope replay FILE: the dashboard on a recording. The driver (the
 * command's, src/cmd/replay_driver.c) applies the recorded events to the
 * dashboard's store on the loop's timers; the time bar (src/ui/timebar.c)
 * shows where it is and asks it to pause, step and jump. No client, no
 * informers: every action is refused, logs are not recorded.
 */
struct rec_timeline;
struct ui_replay_state {
	int64_t pos_ms;  /* the moment shown (this machine's clock, as recorded) */
	int64_t skew_ms; /* the server clock's skew then */
	int speed;       /* 1 to 100 */
	bool paused;
	const struct rec_timeline *tl; /* span, transitions, gaps */
};
enum ui_replay_cmd {
	UI_REPLAY_PAUSE,   /* pause or play (at the end: from the start) */
	UI_REPLAY_PREV,    /* the previous transition (pauses) */
	UI_REPLAY_NEXT,    /* the next transition (pauses) */
	UI_REPLAY_FASTER,  /* speed up a step (1 2 5 10 20 50 100) */
	UI_REPLAY_SLOWER,
	UI_REPLAY_SEEK,    /* to arg (ms since the epoch) */
	UI_REPLAY_ROLLOUT, /* the start of the next rollout */
};
struct ui_replay_hooks {
	/* Begin on the dashboard's store; moved(moved_ud) after each step. */
	void (*start)(void *ud, struct ploop *loop, struct store *st, void (*moved)(void *),
		      void *moved_ud);
	void (*state)(void *ud, struct ui_replay_state *out);
	/* 0, or -1 with why in msg ("no transition after this one"). */
	int (*command)(void *ud, enum ui_replay_cmd c, int64_t arg, char *msg, size_t n);
	void (*stop)(void *ud);
	const char *context;   /* the recording's */
	const char *namespace; /* -n, or NULL: every namespace */
	const char *note;      /* said in the status line at start (damage), or NULL */
	void *ud;
};

struct ui_options {
	const struct kc_conn *conn;  /* the cluster (copied where needed) */
	const struct kc_options *kc; /* how conn was found, for :ctx (NULL: no switching) */
	bool all_namespaces;         /* -A (else conn's namespace) */
	bool readonly;               /* --readonly (the config file may also ask for it) */
	bool ascii;                  /* --ascii: ASCII glyphs even in a UTF-8 locale */
	bool wallboard;              /* --wallboard: the wall screen, always read-only */
	bool ring_bell;              /* --bell: the wallboard rings on new trouble */
	bool low_bandwidth;          /* --low-bandwidth (the config file may also ask for it) */
	const char *theme;           /* --theme; NULL: $PODSCOPE_THEME, the config file, dark */
	const char *banner;          /* a line for the title bar ("demo: ..."), or NULL */
	const char *label_selector;  /* -l, or NULL */
	long long poll_ms;           /* --poll: > 0 polls instead of watching */
	/* --demo: the simulator's scenarios ("NAME\tDESCRIPTION", NULL-ended) for
	 * the scenarios menu; choosing one puts its name in chosen and returns. */
	const char *const *scenarios;
	char *chosen;
	size_t chosen_len;
	/* Many contexts (--context a,b,c, --contexts, --all-contexts, --demo
	 * --fleet): n_fleet > 1 clusters, fleet[0] is conn; :ctx is then off. */
	const struct kc_conn *const *fleet;
	size_t n_fleet;
	const struct ui_record_hooks *record; /* --record, or NULL */
	const struct ui_replay_hooks *replay; /* podscope replay FILE (conn NULL), or NULL */
};

/*
 * Run until the user quits or SIGTERM/SIGHUP/SIGINT arrives; the terminal is
 * restored on every way out. Returns the exit status (0; 1 when the terminal
 * cannot be used; 2 for a broken config file).
 *
 * Test hooks (documented in podscope(1)): PODSCOPE_KEYS feeds keys as if
 * typed, once the first complete list has arrived ("jj<Enter>W<Esc>q");
 * the save-screen action writes the screen as text to
 * $PODSCOPE_SCREEN_FILE (default podscope-screen.txt).
 */
int ui_run(const struct ui_options *opt);

#endif
