#ifndef PODSCOPE_UI_H
#define PODSCOPE_UI_H

#include <stdbool.h>
#include <stddef.h>

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
