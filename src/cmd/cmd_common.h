#ifndef PODSCOPE_CMD_COMMON_H
#define PODSCOPE_CMD_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "podscope/lifecycle.h"
#include "podscope/store.h"

/*
 * What `get`, `wait` and `watch` share: a connection, a loop, a store and
 * its informers, and the lookups between pods, ReplicaSets, Deployments and
 * events.
 */

struct buf;
struct kc_conn;
struct ploop;
struct kclient;
struct informer_set;

struct cmd_session {
	const char *name; /* the command, for messages */
	struct kc_conn *conn;
	struct ploop *loop;
	struct kclient *client;
	struct store *store;
	struct informer_set *inf;
	const char *ns; /* NULL: every namespace */
	bool shared_loop; /* the loop belongs to a fleet (cmd_fleet.h) */
	/* failures in a row before the first sync: errors at the last progress */
	unsigned long err_base[STORE_NKINDS];
	uint64_t gen_seen[STORE_NKINDS];
	int64_t ra_noted[STORE_NKINDS]; /* the back-off whose Retry-After was said */
};

#define CMD_LIST_TRIES 4
/* Failed pages of one list, progress or not, before a command gives up. */
#define CMD_LIST_MAX_RETRIES 8
/* The longest Retry-After a command obeys (it says so on stderr). */
#define CMD_RETRY_AFTER_MAX_MS 5000

/* The informers every command runs. */
#define CMD_KINDS                                                                                  \
	((1u << STORE_DEPLOYMENTS) | (1u << STORE_REPLICASETS) | (1u << STORE_PODS) |              \
	 (1u << STORE_EVENTS) | (1u << STORE_STATEFULSETS) | (1u << STORE_DAEMONSETS) |            \
	 (1u << STORE_CONTROLLERREVISIONS) | (1u << STORE_JOBS) | (1u << STORE_CRONJOBS))

/*
 * Load the kubeconfig and set up loop, client, store and informers for
 * kinds (not started). Honours -n/-A, -l, --poll and --readonly. one_shot
 * (get): retry failed requests sooner (100 ms doubling to 2 s); others back
 * off from 1 s to 4 s at most, not the informers' default 30 s. Returns 0,
 * or the exit status after printing why (2: usage or config, 1: other).
 */
int cmd_session_open(struct cmd_session *s, struct cli *cli, const char *name, unsigned kinds,
		     bool one_shot);
/* The same on a loop of the caller's (NULL: its own, freed with it) and
 * context (NULL: the kubeconfig's or --context's). */
int cmd_session_open_on(struct cmd_session *s, struct cli *cli, const char *name, unsigned kinds,
			bool one_shot, struct ploop *loop, const char *context);

/*
 * Start the informers and run the loop until every resource has been listed
 * once. deadline_ms (ploop_now_ms clock, 0: none). Returns 0; 1 after
 * printing the error when a resource's list fails CMD_LIST_TRIES times in a
 * row before it is synced (refused, TLS, 401, 5xx, 429: one throttled page
 * is retried, a server that is down is not waited for), or when the informer
 * gives its list up (CMD_LIST_MAX_RETRIES failed pages however many items
 * each brought, endless pages, a repeated continue token); 3 at the
 * deadline. A Retry-After is obeyed up to CMD_RETRY_AFTER_MAX_MS, and a
 * longer one is said on stderr.
 */
int cmd_session_sync(struct cmd_session *s, int64_t deadline_ms);
void cmd_session_close(struct cmd_session *s);
/* One look at a started session: 0 synced, 1 failed (*why: the error, as
 * cmd_session_sync decides), -1 still listing. */
int cmd_session_poll(struct cmd_session *s, const char **why);
/* The warning for objects the decoders refused (cmd_session_sync says it). */
void cmd_session_note_refused(struct cmd_session *s);

/* The API server's clock, ms since the epoch (ages and back-offs):
 * serverclock_now_ms(), the local clock plus the skew in its Date headers. */
int64_t cmd_wall_ms(void);
/* "podscope NAME: server clock +5m0s from this machine's; ..." on stderr
 * when the API server's clock is off ours by more than CLOCKSKEW_SHOW_MS. */
void cmd_note_skew(const char *name);

/* A growable array of a pod's events. */
struct cmd_events {
	const struct event **ev;
	size_t n;
	size_t cap;
};

/* The events about p in the store (by its uid, and events that name it but
 * carry no uid). Replaces what out held. */
void cmd_pod_events(const struct store *st, const struct pod *p, struct cmd_events *out);
void cmd_events_free(struct cmd_events *ev);

/* Stage of p now, with its events. Release with lifecycle_pod_free. */
void cmd_pod_stage(const struct store *st, const struct pod *p, int64_t now_ms,
		   struct cmd_events *scratch, struct lc_pod *out);

/*
 * A TYPE/NAME argument: deploy, deployment, deployments, deployment.apps
 * -> "deployment"; sts, statefulset(s)[.apps] -> "statefulset"; ds,
 * daemonset(s)[.apps] -> "daemonset"; job(s)[.batch] -> "job"; cj,
 * cronjob(s)[.batch] -> "cronjob"; po, pod, pods -> "pod". Returns false (message printed)
 * when it is neither.
 */
bool cmd_parse_target(const char *cmd, const char *arg, const char **kind, const char **name);

/* The ReplicaSets of d in the store, in a heap array (free it). */
const struct replicaset **cmd_deployment_rss(const struct store *st, const struct deployment *d,
					     size_t *n);

/* The ReplicaSet controlling p, and the Deployment controlling rs: by kind
 * and name in the same namespace, the uid checked only when both are known
 * (as generations_owned_by does). NULL when the store does not hold it. */
const struct replicaset *cmd_pod_rs(const struct store *st, const struct pod *p);
const struct deployment *cmd_rs_deployment(const struct store *st, const struct replicaset *rs);

/* The pods of rs in the store, in a heap array (free it). */
const struct pod **cmd_rs_pods(const struct store *st, const struct replicaset *rs, size_t *n);

/* Parse --timeout (Go duration; 0 or absent: none) into ms. -1 after a message. */
int64_t cmd_parse_timeout(const char *cmd, const char *s);
/* The same for another duration flag ("--settle"), named in its errors. */
int64_t cmd_parse_duration_flag(const char *cmd, const char *flag, const char *s);

/* The last stage printed per pod (watch, wait), keyed by cmd_pod_key. */
struct cmd_pstate {
	uint64_t key; /* 0: an empty slot */
	int32_t fails;
	int32_t restarts;
	uint16_t init;
	uint8_t stage;
	uint8_t live;        /* seen since the last sweep */
	int64_t stuck_since; /* wait: when it was first seen stuck (why_pod_settles), 0: not */
};

struct cmd_stab {
	struct cmd_pstate *tab;
	size_t cap; /* a power of two */
	size_t count;
};

uint64_t cmd_pod_key(const char *ns, const char *name);
struct cmd_pstate *cmd_stab_find(struct cmd_stab *t, uint64_t key);
/* The entry for key, made (zeroed) when missing; *fresh (may be NULL) says
 * which. Pointers into the table are valid until the next insert or remove. */
struct cmd_pstate *cmd_stab_insert(struct cmd_stab *t, uint64_t key, bool *fresh);
void cmd_stab_remove(struct cmd_stab *t, struct cmd_pstate *e);
/* Remove every entry not marked live, and clear the marks. */
void cmd_stab_sweep(struct cmd_stab *t);
void cmd_stab_free(struct cmd_stab *t);

/* JSON helpers on a buffer. */
void cmd_json_str(struct buf *b, const char *key, const char *v, bool comma);
void cmd_json_time(struct buf *b, const char *key, int64_t t_ms, bool comma);

/* The rollout's estimated time left (eta.h) for a workload of the store:
 * "  eta: about 2-3 min (4 pods left, from 6 start-to-ready times)" on
 * stdout, nothing when there is nothing to estimate; and the same as the
 * JSON member "eta" (doc/json.md), preceded by a comma. */
void cmd_print_eta(const struct store *st, enum store_kind k, const void *obj, int64_t now_ms);
void cmd_json_eta(struct buf *b, const struct store *st, enum store_kind k, const void *obj,
		  int64_t now_ms);

/* `get` of one workload: its blockers (blockers.h) as a "  blockers:" block
 * on stdout, and as the JSON member "blockers" (doc/json.md), preceded by a
 * comma. The session must inform nodes, PDBs, quotas and HPAs
 * (CMD_BLOCKER_KINDS). */
#define CMD_BLOCKER_KINDS                                                                          \
	((1u << STORE_NODES) | (1u << STORE_PDBS) | (1u << STORE_QUOTAS) | (1u << STORE_HPAS))
void cmd_print_blockers(const struct store *st, enum store_kind k, const void *obj);
void cmd_json_blockers(struct buf *b, const struct store *st, enum store_kind k, const void *obj);
/* A condition's "type", "status" (True, False, Unknown), "reason" and "message". */
void cmd_json_cond(struct buf *b, const char *type, uint8_t status, const char *reason,
		   const char *message);

#endif
