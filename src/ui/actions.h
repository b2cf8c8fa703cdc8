#ifndef PODSCOPE_ACTIONS_H
#define PODSCOPE_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "podscope/err.h"

/*
 * The one table of actions. Each action has a name (used by the config
 * file's `bindings`, the `:` command line and the help overlay), its
 * default keys, a line of help, the views it applies to, and whether it
 * changes the cluster. The keymap, the `:` commands, the confirmation
 * dialog's keys, the hints in the status bar and the dialog, the help
 * overlay, config bindings and read-only mode are all derived from this
 * table; nothing else decides what a key does or whether it may change the
 * cluster. Actions with no default key (ns, ctx, ...) are commands of the
 * `:` line, where they take arguments; a key bound to one opens the line
 * with its name typed.
 */

/* X(id, name, keys, views, mutates, help): keys are key names separated by
 * spaces (see actions_key_parse), "" for a command of the ':' line only;
 * views is a mask of VIEWMASK_* bits. */
#define ACTIONS_TABLE(X)                                                                           \
	X(ACT_QUIT, "quit", "q", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false, "Quit podscope")        \
	X(ACT_HELP, "help", "? F1", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false,                      \
	  "Show or hide this help")                                                                \
	X(ACT_BACK, "back", "Esc Backspace h Left", VIEWMASK_ALL, false,                           \
	  "Go back to the previous view")                                                          \
	X(ACT_ENTER, "open", "Enter l Right", VIEWMASK_LISTS | VIEWMASK_MENU, false,               \
	  "Open the selected deployment or pod")                                                   \
	X(ACT_UP, "up", "Up k", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false,                          \
	  "Move the selection up (wallboard: the previous deployment)")                            \
	X(ACT_DOWN, "down", "Down j", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false,                    \
	  "Move the selection down (wallboard: the next deployment)")                              \
	X(ACT_PAGE_UP, "page-up", "PgUp C-b", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false,            \
	  "Move a page up")                                                                        \
	X(ACT_PAGE_DOWN, "page-down", "PgDn C-f Space", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false,  \
	  "Move a page down")                                                                      \
	X(ACT_FIRST, "first", "Home g", VIEWMASK_ALL, false, "Go to the first line")               \
	X(ACT_LAST, "last", "End G", VIEWMASK_ALL, false, "Go to the last line")                   \
	X(ACT_NEXT_COLUMN, "next-column", "Tab", VIEWMASK_ROLLOUT, false,                          \
	  "Select the next ReplicaSet generation")                                                 \
	X(ACT_FILTER, "filter", "/", VIEWMASK_OVERVIEW | VIEWMASK_WALLBOARD | VIEWMASK_LOGS, false, \
	  "Filter a list by name (Esc clears); in a log pane: search")                           \
	X(ACT_ALL_NAMESPACES, "all-namespaces", "A", VIEWMASK_OVERVIEW | VIEWMASK_WALLBOARD,       \
	  false, "Show every namespace, or only the current one")                                  \
	X(ACT_COMMAND, "command", ":", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false,                   \
	  "A command line: an action's name and its arguments (Tab completes)")                    \
	X(ACT_EVENTS, "events", "e", VIEWMASK_ALL, false, "Show or hide the events")               \
	X(ACT_REFRESH, "refresh", "C-r", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false,                 \
	  "List everything again")                                                                 \
	X(ACT_REDRAW, "redraw", "C-l", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false,                   \
	  "Redraw the whole screen")                                                               \
	X(ACT_SAVE_SCREEN, "save-screen", "W", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false,           \
	  "Save the screen as text to podscope-screen.txt")                                        \
	X(ACT_SCENARIOS, "scenarios", "S", VIEWMASK_LISTS, false,                                  \
	  "--demo: choose another scenario of the simulator")                                      \
	X(ACT_SET_IMAGE, "set-image", "i", VIEWMASK_DEPLOY, true,                                  \
	  "Set a container's image (starts a rollout)")                                            \
	X(ACT_RESTART, "restart", "r", VIEWMASK_DEPLOY, true, "Restart the rollout")               \
	X(ACT_UNDO, "undo", "u", VIEWMASK_DEPLOY, true, "Roll back to an earlier revision")        \
	X(ACT_PAUSE, "pause", "p", VIEWMASK_DEPLOY, true, "Pause the rollout")                     \
	X(ACT_RESUME, "resume", "P", VIEWMASK_DEPLOY, true, "Resume the rollout")                  \
	X(ACT_SCALE, "scale", "s", VIEWMASK_DEPLOY, true, "Scale to a number of replicas")         \
	X(ACT_SCALE_UP, "scale-up", "+", VIEWMASK_DEPLOY, true, "Scale up by one replica")         \
	X(ACT_SCALE_DOWN, "scale-down", "-", VIEWMASK_DEPLOY, true, "Scale down by one replica")   \
	X(ACT_DELETE_POD, "delete-pod", "d", VIEWMASK_PODS, true, "Delete the selected pod")       \
	X(ACT_SWITCH_SERVICE, "switch-service", "b", VIEWMASK_DEPLOY, true,                        \
	  "Switch a Service to this deployment (blue-green)")                                      \
	X(ACT_PARTITION, "partition", "t", VIEWMASK_DEPLOY, true,                                  \
	  "Set a StatefulSet's partition (ordinals from it up get the update)")                    \
	X(ACT_PARTITION_DOWN, "partition-down", "<", VIEWMASK_DEPLOY, true,                        \
	  "Lower a StatefulSet's partition by one (the next canary step)")                         \
	X(ACT_SUSPEND, "suspend", "z", VIEWMASK_PODS, true,                                        \
	  "Suspend a Job (its pods are deleted) or a CronJob (no new runs)")                       \
	X(ACT_UNSUSPEND, "unsuspend", "Z", VIEWMASK_PODS, true,                                    \
	  "Resume a suspended Job or CronJob (spec.suspend: false)")                               \
	X(ACT_TRIGGER, "trigger", "T", VIEWMASK_PODS, true,                                        \
	  "Create a Job from a CronJob now (kubectl create job --from=cronjob/NAME)")              \
	X(ACT_LOGS, "logs", "L", VIEWMASK_LOGS, false,                                               \
	  "Open or close the log pane (a rollout's: its pods merged)")             \
	X(ACT_LOG_FOLLOW, "log-follow", "f", VIEWMASK_LOGS, false,                                  \
	  "Log pane: follow the newest line, or stay put")                      \
	X(ACT_LOG_CONTAINER, "log-container", "c", VIEWMASK_POD, false,                            \
	  "Log pane: the next container's log")                                                    \
	X(ACT_LOG_PREVIOUS, "log-previous", "o", VIEWMASK_POD, false,                              \
	  "Log pane: the previous container's log, exit code")        \
	X(ACT_LOG_WRAP, "log-wrap", "w", VIEWMASK_LOGS, false, "Log pane: wrap long lines or cut them") \
	X(ACT_LOG_TIMESTAMPS, "log-timestamps", "m", VIEWMASK_LOGS, false,                          \
	  "Log pane: show the kubelet's timestamps or not")                                        \
	X(ACT_LOG_GENERATION, "log-generation", "v", VIEWMASK_ROLLOUT, false,                      \
	  "Rollout log pane: the new pods, the old ones, or both")                                 \
	X(ACT_SEARCH_NEXT, "search-next", "n", VIEWMASK_LOGS, false,                               \
	  "Log pane: the next match of the search (following: the newest)")                        \
	X(ACT_SEARCH_PREV, "search-prev", "N", VIEWMASK_LOGS, false,                               \
	  "Log pane: the previous match of the search")                                             \
	X(ACT_BLOCKERS, "blockers", "B", VIEWMASK_LISTS | VIEWMASK_EVENTS, false,                 \
	  "What may block the rollout: PDBs, quotas, nodes, an HPA")                              \
	X(ACT_FLEET, "fleet", "F", VIEWMASK_LISTS, false,                                          \
	  "Many contexts: the workload in every cluster side by side")                             \
	X(ACT_CONFIRM, "confirm", "Enter y", VIEWMASK_DIALOG, true,                                \
	  "In the confirmation dialog: send what it shows")                                        \
	X(ACT_CANCEL, "cancel", "Esc n q", VIEWMASK_DIALOG, false,                                 \
	  "In the confirmation dialog, or while an action is planned: send nothing")               \
	X(ACT_NAMESPACE, "ns", "", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false,                       \
	  ":ns NAME shows namespace NAME (all: every namespace)")                                  \
	X(ACT_CONTEXT, "ctx", "", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false,                        \
	  ":ctx NAME switches to kubeconfig context NAME")                                         \
	X(ACT_SAVE, "save", "", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false,                          \
	  ":save FILE saves the screen as text to FILE")                                           \
	X(ACT_THEME, "theme", "", VIEWMASK_ALL | VIEWMASK_WALLBOARD, false,                        \
	  ":theme NAME loads theme NAME")                                                          \
	X(ACT_SWITCH, "switch", "", VIEWMASK_ALL, true,                                            \
	  ":switch SERVICE DEPLOYMENT points a Service at a deployment's pods")                   \
	X(ACT_REPLAY_PAUSE, "replay-pause", "", VIEWMASK_REPLAY_ALL, false,                        \
	  "Replay: pause, or play on (Space)")                                                     \
	X(ACT_REPLAY_PREV, "replay-prev", "", VIEWMASK_REPLAY_ALL, false,                          \
	  "Replay: back to the previous change of a rollout's or a pod's state ([)")               \
	X(ACT_REPLAY_NEXT, "replay-next", "", VIEWMASK_REPLAY_ALL, false,                          \
	  "Replay: on to the next change of a rollout's or a pod's state (])")                     \
	X(ACT_REPLAY_FASTER, "replay-faster", "", VIEWMASK_REPLAY_ALL, false,                      \
	  "Replay: faster, up to x100 (+)")                                                        \
	X(ACT_REPLAY_SLOWER, "replay-slower", "", VIEWMASK_REPLAY_ALL, false,                      \
	  "Replay: slower, down to x1 (-)")                                                        \
	X(ACT_REPLAY_JUMP, "jump", "", VIEWMASK_REPLAY_ALL, false,                                 \
	  "Replay: :jump TIME (RFC 3339, +D from the start, start, end) (g)")                  \
	X(ACT_REPLAY_ROLLOUT, "replay-rollout", "", VIEWMASK_REPLAY_ALL, false,                    \
	  "Replay: jump to the start of the next rollout (R)")

enum viewmask {
	VIEWMASK_OVERVIEW = 1u << 0,
	VIEWMASK_ROLLOUT = 1u << 1,
	VIEWMASK_POD = 1u << 2,
	VIEWMASK_EVENTS = 1u << 3,
	VIEWMASK_HELP = 1u << 4,
	VIEWMASK_MENU = 1u << 5,
	VIEWMASK_WALLBOARD = 1u << 6, /* what --wallboard allows: it never changes anything */
	VIEWMASK_DIALOG = 1u << 7,    /* the confirmation dialog's own keys */
	VIEWMASK_LISTS = VIEWMASK_OVERVIEW | VIEWMASK_ROLLOUT,
	VIEWMASK_DEPLOY = VIEWMASK_OVERVIEW | VIEWMASK_ROLLOUT,
	VIEWMASK_PODS = VIEWMASK_OVERVIEW | VIEWMASK_ROLLOUT | VIEWMASK_POD,
	VIEWMASK_LOGS = VIEWMASK_ROLLOUT | VIEWMASK_POD, /* the views with a log pane */
	VIEWMASK_ALL = 0x3f,
	/* podscope replay's time bar: bound only there, refused elsewhere */
	VIEWMASK_REPLAY = 1u << 8,
	VIEWMASK_REPLAY_ALL = VIEWMASK_ALL | VIEWMASK_WALLBOARD | VIEWMASK_REPLAY,
};

#define ACTIONS_ENUM(id, name, keys, views, mutates, help) id,
enum action_id { ACT_NONE = -1, ACTIONS_TABLE(ACTIONS_ENUM) ACT_COUNT };
#undef ACTIONS_ENUM

struct action {
	enum action_id id;
	const char *name;
	const char *keys; /* the default keys */
	unsigned views;   /* VIEWMASK_* */
	bool mutates;     /* changes the cluster: refused in read-only mode */
	const char *help;
};

/* The table, ACT_COUNT entries in enum order. */
extern const struct action actions_table[ACT_COUNT];

/* The action named name, or NULL. */
const struct action *actions_find(const char *name);

/* ---- keys ---- */

/* Key codes: characters below 256 as themselves (C-x as 1..26), curses'
 * KEY_* codes (257..511) for function keys. */
#define ACTIONS_MAX_KEY 512

/* Parse a key name: a single character ("q", "?", "+"), "C-x", "Enter",
 * "Esc", "Tab", "Space", "Backspace", "Up", "Down", "Left", "Right", "PgUp",
 * "PgDn", "Home", "End", "F1".."F12". Returns the code or -1. */
int actions_key_parse(const char *name);
/* The name of a key code, as actions_key_parse reads it. */
void actions_key_name(int key, char *buf, size_t n);

/* A keymap: key code -> action, one map for the views and one for the
 * confirmation dialog (the actions whose views are VIEWMASK_DIALOG), and
 * the key each action's hint shows. */
struct keymap {
	signed char map[ACTIONS_MAX_KEY];
	signed char dialog[ACTIONS_MAX_KEY];
	short shown[ACT_COUNT]; /* the last key bound to it, -1 for none */
};

/* Fill km from the table's default keys. */
void keymap_init_defaults(struct keymap *km);
/* Bind key to action (replacing whatever it did). Returns false when the key
 * name does not parse. */
bool keymap_bind(struct keymap *km, const char *key, enum action_id a);
/* The action of key code k, ACT_NONE when unbound: in the views, and in
 * the confirmation dialog. */
enum action_id keymap_lookup(const struct keymap *km, int k);
enum action_id keymap_lookup_dialog(const struct keymap *km, int k);
/* The names of every key bound to a, separated by ", " ("" when none). */
void keymap_keys_of(const struct keymap *km, enum action_id a, char *buf, size_t n);
/* The one key a hint shows for a: the key the config bound last, else its
 * first default key, else any key bound to it; ":NAME" when a has none. */
void keymap_hint_key(const struct keymap *km, enum action_id a, char *buf, size_t n);
/* A hint with each "{NAME}" (an action's name) replaced by its hint key:
 * "{help} help" is "? help" by default, "H help" once help is bound to H. */
void keymap_hint(const struct keymap *km, const char *tmpl, char *buf, size_t n);

/* Whether action a may run: always unless it mutates and readonly is on. */
static inline bool actions_allowed(const struct action *a, bool readonly)
{
	return !(a->mutates && readonly);
}

#endif
