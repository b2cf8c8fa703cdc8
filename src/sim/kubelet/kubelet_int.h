#ifndef PODSCOPE_SIM_KUBELET_INT_H
#define PODSCOPE_SIM_KUBELET_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "kubelet_backoff.h"

#include "kubelet.h"
#include "procsim.h"

/* Inside kubelet*.c: the pod workers and their containers. */

#define KNEVER INT64_MAX

enum kact_kind { KA_NONE = 0, KA_EXEC, KA_HTTP, KA_TCP, KA_GRPC, KA_SLEEP };

/* A probe's or hook's handler. */
struct kaction {
	enum kact_kind kind;
	char **argv; /* KA_EXEC, NULL-terminated */
	size_t argc;
	char *path;      /* KA_HTTP */
	char *port_name; /* a named port, or NULL */
	int port;        /* KA_HTTP/TCP/GRPC; KA_SLEEP: the seconds */
};

enum kprobe_kind { KP_STARTUP = 0, KP_READINESS, KP_LIVENESS, KP_N };
enum kresult { KR_UNKNOWN = 0, KR_SUCCESS, KR_FAILURE };

struct kprobe {
	bool present;
	struct kaction act;
	int initial_delay_s, period_s, timeout_s, success_thr, failure_thr;
	int64_t grace_s; /* probe-level terminationGracePeriodSeconds, -1: the pod's */
	bool broken;     /* kubelet_set_probe: fails whatever happens (kept across restarts) */
	/* the worker, per container instance */
	enum kresult result; /* published */
	enum kresult last;
	int run;
	int64_t next_ms; /* next tick, KNEVER when idle or stopped */
	bool on_hold;
};

/* Where a container is, from the kubelet's point of view. */
/* spec.restartPolicy of a pod (the API server defaults it to Always). */
enum krestart { KRESTART_ALWAYS = 0, KRESTART_ON_FAILURE, KRESTART_NEVER };

enum kphase {
	CP_NONE = 0,     /* never started in this pod */
	CP_PULLING,      /* pulling its image */
	CP_PULL_ERR,     /* the pull failed: ErrImagePull */
	CP_PULL_BACKOFF, /* waiting to pull again: ImagePullBackOff */
	CP_CREATING,     /* image there, being created and started */
	CP_POSTSTART,    /* running, its postStart hook not done */
	CP_RUNNING,
	CP_STOPPING, /* killed, waiting for it to stop */
	CP_EXITED,
};

struct kterm {
	bool set;
	int exit_code;
	char *reason;
	char *message;
	int64_t started, finished;
	char *cid;
};

/* sim.podscope.dev/... annotations for one container; -1: unset. */
struct kbehave {
	int64_t ready_after, crash_after, fail_ready_after, fail_live_after, startup_ms, pull_ms,
	    stop_ms, start_ms;
	int exit_code;
	bool post_start_fail;
	char *term_message;
};

struct kport {
	char *name;
	int port;
};

struct kctr {
	/* spec */
	char *name;
	char *image;
	char *pull_policy;
	bool init, sidecar;
	char **argv; /* command + args as the runtime runs them */
	size_t argc;
	const struct procimage *img;
	struct kaction post_start, pre_stop;
	struct kprobe probes[KP_N];
	struct kport *ports;
	size_t nports;
	struct kbehave be;
	int64_t mem_limit; /* resources.limits.memory in bytes, 0: none */

	/* runtime */
	enum kphase phase;
	int64_t next_at; /* the current phase's deadline, KNEVER: none */
	int instances;   /* containers created so far */
	int64_t started_at, running_since;
	char *cid;
	struct procsim *proc;
	struct procfs *fs;
	unsigned fs_gen;
	bool started, ready;
	bool reported;                /* shown running (its postStart hook done) */
	int64_t ready_at;             /* ready-after with no readiness probe */
	struct kterm term;            /* the current instance's end (CP_EXITED) */
	struct kterm last;            /* lastState.terminated */
	char *wait_reason, *wait_msg; /* the kubelet's reason cache */
	struct kbackoff backoff, pull_backoff;
	int64_t pull_failed_at;
	bool pulled;          /* image present for this instance */
	bool backoff_evented; /* BackOff event recorded for this exit */
	bool changed;         /* its spec changed: restarted whatever the policy */
	bool hook_failed;     /* the postStart hook of this instance */
	char *hook_msg;
	int kill_exit;      /* how a kill in progress ends */
	bool awaiting_turn; /* a sidecar the pod's termination stops later */
	struct podlog *log, *prev_log; /* this instance's and the one before (podlog.h) */
	int64_t turn_from;  /* its preStop hook is done then */
	int64_t turn_wake;  /* when to look again: turn_from or the grace's end */
};

struct kpod {
	struct simkubelet *k;
	char *ns, *name, *uid, *key, *node;
	int restart_policy; /* enum krestart */
	int64_t grace_s;
	struct kctr *c; /* init containers first, then the regular ones */
	size_t n, ninit;
	char **gates; /* readinessGates */
	size_t ngates;

	struct evtimer *timer;
	int64_t timer_at;

	bool sandbox;
	int64_t sandbox_at, start_time;
	char *pod_ip, *host_ip;
	bool init_done; /* regular init containers all succeeded once */
	bool deleting;
	/* Stopping every container (deleted, or a pod whose regular containers
	 * have all finished for good): since kill_at, with kill_grace seconds. */
	bool killing;
	int64_t kill_at, kill_grace;
	bool terminal; /* Succeeded or Failed: nothing runs any more */
	bool gone;     /* removed from the store */
	char *phase;
	/* lastTransitionTime per condition: PodReadyToStartContainers, Initialized,
	 * Ready, ContainersReady */
	int cond_status[4];
	int64_t cond_at[4];
	struct procsim_world world; /* nslookup and friends, from this pod's namespace */
	struct kpod *hnext;
};

struct knode {
	char *name;
	char *host_ip;
	int subnet; /* 10.244.<subnet>.x */
	unsigned next_ip;
	char **images;
	size_t nimages;
};

#define KHASH 4096

struct simkubelet {
	struct sim *sim;
	const struct simres *pods, *services, *nodes;
	struct kpod *tab[KHASH];
	size_t npods;
	struct knode *knodes;
	size_t nknodes;
	char **dirty;
	size_t ndirty, capdirty;
	struct evtimer *dirty_timer;
	const char *writing_key; /* the pod we are writing: its first event is ours */
	int writing_events;
};

/* kubelet.c */
struct kpod *kpod_find(struct simkubelet *k, const char *ns, const char *name);
/* The worker for a stored pod, adopting one we have not walked (may be NULL). */
struct kpod *kpod_get(struct simkubelet *k, const char *ns, const char *name);
void kpod_arm(struct kpod *kp);
struct knode *knode_get(struct simkubelet *k, const char *name);
bool knode_has_image(struct knode *n, const char *image);
void knode_add_image(struct knode *n, const char *image);
unsigned khash(const char *s);
void kevent(struct kpod *kp, const struct kctr *c, const char *type, const char *reason,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
const struct procsim_world *kworld(struct kpod *kp);

/* kubelet_spec.c */
struct kpod *kpod_new(struct simkubelet *k, const cJSON *pod);
void kpod_free(struct kpod *kp);
/* Follow a change of a container's image (kubectl set image on a pod). */
void kpod_spec_update(struct kpod *kp, const cJSON *pod, int64_t now);
/* Take over the state a pod's status already describes (pods made Running). */
void kpod_adopt(struct kpod *kp, const cJSON *pod, int64_t now);
void kstr_set(char **dst, const char *s);

/* kubelet_sync.c */
/* Run the pod up to now; false when it has been removed from the store. */
bool kpod_sync(struct kpod *kp, int64_t now);
int64_t kpod_next(const struct kpod *kp);
/* Stop a container: preStop, SIGTERM, SIGKILL at the end of grace. */
void kctr_kill(struct kpod *kp, struct kctr *c, int64_t t, int64_t grace_s, const char *msg);
/* The main process exits at t with code (kubelet_kill_container, crash-after). */
void kctr_exit(struct kpod *kp, struct kctr *c, int64_t t, int code);

/* kubelet_status.c */
/* Write the pod's status; false if the pod is gone. */
bool kpod_write_status(struct kpod *kp, int64_t t);
void kterm_clear(struct kterm *t);
void kterm_move(struct kterm *dst, struct kterm *src);

/* kubelet_probe.c */
void kprobe_reset(struct kpod *kp, struct kctr *c, int64_t t);
void kprobe_stop(struct kctr *c);
/* Run the probes due at t. */
void kprobe_tick(struct kpod *kp, struct kctr *c, int64_t t);
/* Wake idle probes (something changed) at their next period tick from t. */
void kprobe_wake(struct kctr *c, int64_t t);
int64_t kprobe_next(const struct kctr *c);
/* Run a hook; true when it succeeded. *dur_ms: how long it took. msg: why it failed. */
bool khook_run(struct kpod *kp, struct kctr *c, const struct kaction *a, int64_t *dur_ms, char *msg,
	       size_t n);

#endif
