#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/duration.h"
#include "podscope/xalloc.h"

#include "kubelet_int.h"
#include "podlog.h"
#include "poddelete.h"
#include "resources.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"

/*
 * A pod worker's sync: the kubelet's SyncPod restated on simulated time.
 * Every container moves through enum kphase; each phase ends at next_at.
 * A sync applies what fell due, in time order and at the time it fell due
 * (so timestamps are exact however late the loop runs), then does what
 * computePodActions would (start the next init container, start or restart
 * containers under the restart policy and back-off), then writes the status.
 */

static const struct kbackoff_policy POL = KBACKOFF_KUBELET;

static void set_wait(struct kctr *c, const char *reason, const char *msg)
{
	kstr_set(&c->wait_reason, reason);
	kstr_set(&c->wait_msg, msg);
}

static int64_t pull_time(const struct kpod *kp, const struct kctr *c, bool cached)
{
	if (c->be.pull_ms >= 0)
		return c->be.pull_ms;
	(void)kp;
	unsigned h = khash(c->image);
	/* deterministic per image: 1-3 s for a real pull, less for a cached one */
	return cached ? 300 + h % 500 : 1000 + h % 2001;
}

static int64_t create_time(const struct kpod *kp, const struct kctr *c)
{
	if (c->be.start_ms >= 0)
		return c->be.start_ms;
	if (c->instances > 0)
		return 0; /* a restart: the image is there, the sandbox too */
	char key[512];
	snprintf(key, sizeof(key), "%s/%s", kp->uid, c->name);
	return 500 + khash(key) % 500;
}

/* The registry's full reference, as containerd reports it. */
static void full_ref(const char *image, char *buf, size_t n)
{
	const char *slash = strchr(image, '/');
	bool has_registry = slash && (memchr(image, '.', (size_t)(slash - image)) ||
				      memchr(image, ':', (size_t)(slash - image)) ||
				      strncmp(image, "localhost/", 10) == 0);
	const char *last = strrchr(image, '/');
	bool tagged = strchr(last ? last : image, ':') || strchr(image, '@');
	snprintf(buf, n, "%s%s%s%s", has_registry ? "" : "docker.io/",
		 (!has_registry && !slash) ? "library/" : "", image, tagged ? "" : ":latest");
}

static void start_container(struct kpod *kp, struct kctr *c, int64_t t)
{
	struct knode *n = knode_get(kp->k, kp->node);
	bool present = knode_has_image(n, c->image);
	if (strcmp(c->pull_policy, "Never") == 0 ||
	    (present && strcmp(c->pull_policy, "Always") != 0)) {
		kevent(kp, c, "Normal", "Pulled",
		       "Container image \"%s\" already present on machine", c->image);
		c->phase = CP_CREATING;
		c->next_at = t + create_time(kp, c);
		return;
	}
	kevent(kp, c, "Normal", "Pulling", "Pulling image \"%s\"", c->image);
	if (present && c->instances > 0 && !simregistry_is_missing(kp->k->sim, c->image)) {
		/* A restart that checks a cached image again (imagePullPolicy Always):
		 * the registry says what it said, and the restart is not delayed, so
		 * the back-off stays exact on the pod's own timestamps. */
		char d[DURATION_BUF];
		duration_go_string(pull_time(kp, c, true) * DURATION_NS_PER_MS, d, sizeof(d));
		kevent(kp, c, "Normal", "Pulled",
		       "Successfully pulled image \"%s\" in %s (%s including waiting)", c->image, d,
		       d);
		c->phase = CP_CREATING;
		c->next_at = t + create_time(kp, c);
		return;
	}
	c->phase = CP_PULLING;
	c->next_at = t + pull_time(kp, c, present);
}

static void new_cid(struct kpod *kp, struct kctr *c)
{
	char seed[600], hex[65];
	snprintf(seed, sizeof(seed), "%s/%s/%d", kp->uid, c->name, c->instances);
	unsigned h = khash(seed);
	for (int i = 0; i < 8; i++) {
		h = h * 2654435761u + 0x9e3779b9u + (unsigned)i;
		snprintf(hex + i * 8, 9, "%08x", h);
	}
	free(c->cid);
	c->cid = xasprintf("containerd://%s", hex);
}

static void enter_running(struct kpod *kp, struct kctr *c, int64_t t)
{
	c->phase = CP_RUNNING;
	c->reported = true;
	c->running_since = t;
	c->next_at = c->be.crash_after >= 0 ? t + c->be.crash_after : KNEVER;
	kprobe_reset(kp, c, t);
}

static void create_instance(struct kpod *kp, struct kctr *c, int64_t t)
{
	if (c->term.set)
		kterm_move(&c->last, &c->term);
	c->instances++;
	new_cid(kp, c);
	procsim_free(c->proc);
	procfs_free(c->fs);
	c->fs = procfs_new();
	for (size_t i = 0; c->img->files[i]; i++)
		procfs_add(c->fs, c->img->files[i]);
	c->fs_gen = procfs_generation(c->fs);
	c->proc = procsim_start((const char *const *)c->argv, c->argc, c->img, t);
	procsim_set_mem_limit(c->proc, c->mem_limit);
	kctr_log_rotate(c);
	c->started_at = t;
	c->started = c->ready = c->reported = c->changed = false;
	c->backoff_evented = false;
	set_wait(c, NULL, NULL);
	kevent(kp, c, "Normal", "Created", "Created container %s", c->name);
	kevent(kp, c, "Normal", "Started", "Started container %s", c->name);
	procsim_run(c->proc, t, c->fs, kworld(kp));
	if (c->post_start.kind != KA_NONE) {
		char msg[1024] = "";
		int64_t dur = 0;
		c->hook_failed = !khook_run(kp, c, &c->post_start, &dur, msg, sizeof(msg));
		kstr_set(&c->hook_msg, msg);
		c->phase = CP_POSTSTART;
		c->next_at = t + dur;
		return;
	}
	enter_running(kp, c, t);
}

/* The container's process is gone: at t with code. */
/* The kubelet reads /dev/termination-log with tail.ReadAtMost: its last
 * MaxContainerTerminationMessageLength bytes. */
#define TERM_MSG_MAX (4 * 1024)
/* The status manager's normalizeStatus: MaxPodTerminationMessageLogLength
 * shared by all the containers, each cut to its first share. */
#define TERM_MSG_POD_MAX (12 * 1024)

/* Bytes [from, to) of s, as Go's JSON encoder then writes them: every byte
 * of a sequence the cut left incomplete becomes U+FFFD. Every other byte
 * (controls, escapes, C1 in UTF-8) passes unchanged. */
static char *term_message(const char *s, size_t ncontainers)
{
	size_t len = strlen(s), from = len > TERM_MSG_MAX ? len - TERM_MSG_MAX : 0;
	size_t share = TERM_MSG_POD_MAX / (ncontainers ? ncontainers : 1);
	size_t to = len - from > share ? from + share : len;
	struct buf b = BUF_INIT;
	for (size_t i = from; i < to;) {
		unsigned char ch = (unsigned char)s[i];
		size_t n = ch < 0x80 ? 1 : (ch & 0xe0) == 0xc0 ? 2 : (ch & 0xf0) == 0xe0 ? 3
				     : (ch & 0xf8) == 0xf0 ? 4 : 0;
		bool whole = n > 0 && i + n <= to;
		for (size_t k = 1; whole && k < n; k++)
			whole = ((unsigned char)s[i + k] & 0xc0) == 0x80;
		if (whole) {
			buf_add(&b, s + i, n);
			i += n;
		} else {
			buf_adds(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	return buf_steal(&b);
}

static void finish(struct kpod *kp, struct kctr *c, int64_t t, int code)
{
	c->phase = CP_EXITED;
	c->next_at = KNEVER;
	kterm_clear(&c->term);
	c->term.set = true;
	c->term.exit_code = code;
	c->term.reason = xstrdup(code == 0                                  ? "Completed"
				 : c->proc && procsim_oom_killed(c->proc) ? "OOMKilled"
									  : "Error");
	c->term.message = c->be.term_message ? term_message(c->be.term_message, kp->n)
					     : NULL;
	c->term.started = c->started_at;
	c->term.finished = t;
	c->term.cid = c->cid ? xstrdup(c->cid) : NULL;
	c->started = c->ready = false;
	c->ready_at = KNEVER;
	kprobe_stop(c);
	procsim_free(c->proc);
	procfs_free(c->fs);
	c->proc = NULL;
	c->fs = NULL;
	c->backoff_evented = false;
}

void kctr_exit(struct kpod *kp, struct kctr *c, int64_t t, int code)
{
	if (c->phase == CP_RUNNING || c->phase == CP_POSTSTART || c->phase == CP_STOPPING)
		finish(kp, c, t, code);
}

/* The Killing event and the preStop hook (cut to the grace period): how
 * long the hook took, in ms. */
static int64_t kill_begin(struct kpod *kp, struct kctr *c, int64_t grace_s, const char *msg)
{
	if (msg)
		kevent(kp, c, "Normal", "Killing", "%s", msg);
	else
		kevent(kp, c, "Normal", "Killing", "Stopping container %s", c->name);
	int64_t grace = grace_s * 1000, hook = 0;
	if (c->pre_stop.kind != KA_NONE && grace > 0) {
		char hmsg[1024];
		if (!khook_run(kp, c, &c->pre_stop, &hook, hmsg, sizeof(hmsg)))
			kevent(kp, c, "Warning", "FailedPreStopHook", "PreStopHook failed");
		if (hook > grace)
			hook = grace;
	}
	return hook;
}

/* SIGTERM at `from`, SIGKILL once `left` ms (at least 2 s) have passed. */
static void kill_signal(struct kctr *c, int64_t from, int64_t left)
{
	if (left < 2000)
		left = 2000; /* minimumGracePeriodInSeconds */
	bool term = c->proc ? procsim_handles_sigterm(c->proc) : c->img->handles_sigterm;
	if (c->proc)
		procsim_sigterm(c->proc, from);
	int64_t stop = c->be.stop_ms >= 0 ? c->be.stop_ms : c->img->stop_ms;
	if (term && stop <= left) {
		c->kill_exit = 0;
		c->next_at = from + stop;
	} else {
		c->kill_exit = 137; /* SIGKILL at the end of the grace period */
		c->next_at = from + left;
	}
	c->phase = CP_STOPPING;
	kprobe_stop(c);
}

void kctr_kill(struct kpod *kp, struct kctr *c, int64_t t, int64_t grace_s, const char *msg)
{
	int64_t hook = kill_begin(kp, c, grace_s, msg);
	kill_signal(c, t + hook, grace_s * 1000 - hook);
}

static bool should_restart(const struct kpod *kp, const struct kctr *c)
{
	if (c->sidecar || c->changed || kp->restart_policy == KRESTART_ALWAYS)
		return true;
	if (kp->restart_policy == KRESTART_ON_FAILURE)
		return c->term.exit_code != 0;
	return false;
}

/* doBackOff, then start: true when it started now. */
static bool restart_maybe(struct kpod *kp, struct kctr *c, int64_t t)
{
	int64_t at;
	if (kbackoff_decide(&POL, &c->backoff, c->term.finished, t, &at)) {
		start_container(kp, c, t);
		return true;
	}
	char msg[512];
	kbackoff_message(&c->backoff, c->name, kp->name, kp->ns, kp->uid, msg, sizeof(msg));
	set_wait(c, "CrashLoopBackOff", msg);
	if (!c->backoff_evented) {
		kbackoff_event_message(c->name, kp->name, kp->ns, kp->uid, msg, sizeof(msg));
		kevent(kp, c, "Warning", "BackOff", "%s", msg);
		c->backoff_evented = true;
	}
	c->next_at = at;
	return false;
}

static void make_sandbox(struct kpod *kp, int64_t t)
{
	struct knode *n = knode_get(kp->k, kp->node);
	kp->sandbox = true;
	kp->sandbox_at = t;
	if (!kp->start_time)
		kp->start_time = t;
	if (!kp->pod_ip) {
		unsigned ip = n->next_ip++;
		if (n->next_ip > 254)
			n->next_ip = 2;
		kp->pod_ip = xasprintf("10.244.%d.%u", n->subnet, ip);
	}
	if (!kp->host_ip)
		kp->host_ip = xstrdup(n->host_ip);
}

static bool stopped_all(const struct kpod *kp)
{
	for (size_t i = 0; i < kp->n; i++)
		if (kp->c[i].phase != CP_NONE && kp->c[i].phase != CP_EXITED)
			return false;
	return true;
}

static bool up(const struct kctr *c)
{
	return c->phase == CP_RUNNING || c->phase == CP_POSTSTART;
}

/*
 * The termination ordering of kuberuntime_termination_order.go: a sidecar's
 * Killing event and preStop hook come at once, with everyone's; after its
 * hook it waits for every regular container and every sidecar started after
 * it to stop, or for the pod's grace period to end. Its SIGTERM then gets
 * what is left of the grace period, in whole seconds as killContainer
 * counts it (gracePeriod -= hook, then -= waitForTurn), at least 2 s.
 */
static void sidecar_turns(struct kpod *kp, int64_t t)
{
	if (!kp->killing)
		return;
	for (size_t i = kp->ninit; i-- > 0;) {
		struct kctr *c = &kp->c[i];
		if (!c->awaiting_turn)
			continue;
		if (!up(c)) {
			c->awaiting_turn = false;
			continue;
		}
		bool turn = true;
		for (size_t j = i + 1; j < kp->n; j++) {
			const struct kctr *o = &kp->c[j];
			if ((j >= kp->ninit || o->sidecar) && o->phase != CP_NONE &&
			    o->phase != CP_EXITED)
				turn = false;
		}
		int64_t deadline = kp->kill_at + kp->kill_grace * 1000;
		if (t < c->turn_from || (!turn && t < deadline)) {
			/* a stop of another container wakes the pod anyway */
			c->turn_wake = t < c->turn_from ? c->turn_from : deadline;
			continue;
		}
		c->awaiting_turn = false;
		int64_t from = c->turn_from > kp->kill_at ? c->turn_from : kp->kill_at;
		int64_t left = kp->kill_grace - (from - kp->kill_at) / 1000 - (t - from) / 1000;
		kill_signal(c, t, left * 1000);
	}
}

/* killContainersWithSyncResult: the regular containers now, the sidecars in
 * turn (sidecar_turns); what is being pulled or created is dropped. */
static void kill_pod(struct kpod *kp, int64_t t, int64_t grace)
{
	/* A second kill (the pod deleted while its sidecars stop) may only
	 * shorten the grace period. */
	if (!kp->killing || t + grace * 1000 < kp->kill_at + kp->kill_grace * 1000) {
		kp->kill_at = t;
		kp->kill_grace = grace;
	}
	kp->killing = true;
	for (size_t i = 0; i < kp->n; i++) {
		struct kctr *c = &kp->c[i];
		switch (c->phase) {
		case CP_RUNNING:
		case CP_POSTSTART:
			if (c->awaiting_turn)
				break; /* its Killing and preStop have been */
			if (c->sidecar) {
				c->awaiting_turn = true;
				c->turn_from = t + kill_begin(kp, c, grace, NULL);
			} else {
				kctr_kill(kp, c, t, grace, NULL);
			}
			break;
		case CP_STOPPING:
			if (c->next_at > t + (grace < 2 ? 2 : grace) * 1000)
				c->next_at = t + (grace < 2 ? 2 : grace) * 1000;
			break;
		case CP_PULLING:
		case CP_PULL_ERR:
		case CP_PULL_BACKOFF:
		case CP_CREATING:
			c->phase = c->term.set ? CP_EXITED : CP_NONE;
			c->next_at = KNEVER;
			break;
		case CP_EXITED:
		case CP_NONE:
			c->next_at = KNEVER;
			break;
		}
	}
	sidecar_turns(kp, t);
}

/* computePodActions: true when something started. */
static bool actions(struct kpod *kp, int64_t t)
{
	if (kp->deleting || kp->terminal || kp->killing)
		return false;
	bool changed = false;
	if (!kp->sandbox) {
		/* SyncPod's first status goes out before the sandbox is made:
		 * PodReadyToStartContainers False, no pod IP yet. */
		if (!kp->start_time)
			kp->start_time = t;
		if (!kpod_write_status(kp, t))
			return false;
		make_sandbox(kp, t);
		changed = true;
	}
	for (size_t i = 0; i < kp->ninit; i++) {
		struct kctr *c = &kp->c[i];
		if (c->sidecar) {
			if (c->phase == CP_NONE) {
				start_container(kp, c, t);
				return true;
			}
			if (c->phase == CP_EXITED && c->next_at == KNEVER)
				changed |= restart_maybe(kp, c, t);
			if (!c->started && !kp->init_done)
				return changed;
			continue;
		}
		if (kp->init_done || (c->phase == CP_EXITED && c->term.exit_code == 0))
			continue;
		if (c->phase == CP_NONE) {
			start_container(kp, c, t);
			return true;
		}
		if (c->phase == CP_EXITED && kp->restart_policy != KRESTART_NEVER &&
		    c->next_at == KNEVER)
			changed |= restart_maybe(kp, c, t);
		return changed;
	}
	kp->init_done = true;
	bool all_done = kp->n > kp->ninit;
	for (size_t i = kp->ninit; i < kp->n; i++) {
		struct kctr *c = &kp->c[i];
		if (c->phase == CP_NONE) {
			start_container(kp, c, t);
			changed = true;
		} else if (c->phase == CP_EXITED && c->next_at == KNEVER && should_restart(kp, c)) {
			changed |= restart_maybe(kp, c, t);
		}
		all_done &= c->phase == CP_EXITED && !should_restart(kp, c);
	}
	/* computePodActions: no regular container left to run or restart, so the
	 * pod is killed, and its sidecars are not restarted to keep it alive. */
	if (all_done && !stopped_all(kp)) {
		kill_pod(kp, t, kp->grace_s);
		changed = true;
	}
	return changed;
}

static bool has_proc(const struct kctr *c)
{
	return c->proc &&
	       (c->phase == CP_POSTSTART || c->phase == CP_RUNNING || c->phase == CP_STOPPING);
}

int64_t kpod_next(const struct kpod *kp)
{
	int64_t next = KNEVER;
	if (kp->gone || (kp->terminal && !kp->deleting))
		return KNEVER;
	for (size_t i = 0; i < kp->n; i++) {
		const struct kctr *c = &kp->c[i];
		if (c->next_at < next)
			next = c->next_at;
		if (c->awaiting_turn && c->turn_wake < next)
			next = c->turn_wake;
		if (has_proc(c)) {
			int64_t w = procsim_wake(c->proc);
			if (w < next)
				next = w;
		}
		if (c->phase == CP_RUNNING) {
			int64_t p = kprobe_next(c);
			if (p < next)
				next = p;
			if (c->ready_at < next)
				next = c->ready_at;
		}
	}
	return next;
}

static void image_failed(struct kpod *kp, struct kctr *c, int64_t t)
{
	char ref[256], msg[1024];
	full_ref(c->image, ref, sizeof(ref));
	snprintf(msg, sizeof(msg),
		 "rpc error: code = NotFound desc = failed to pull and unpack image \"%s\": "
		 "failed to resolve reference \"%s\": %s: not found",
		 ref, ref, ref);
	kevent(kp, c, "Warning", "Failed", "Failed to pull image \"%s\": %s", c->image, msg);
	kevent(kp, c, "Warning", "Failed", "Error: ErrImagePull");
	kbackoff_next(&POL, &c->pull_backoff, t, t);
	c->pull_failed_at = t;
	set_wait(c, "ErrImagePull", msg);
	c->phase = CP_PULL_ERR;
	c->next_at = t + 1000; /* the next sync shows the back-off */
}

/* The deadline of c's phase has come. */
static void phase_due(struct kpod *kp, struct kctr *c, int64_t t)
{
	c->next_at = KNEVER;
	switch (c->phase) {
	case CP_PULLING:
		if (simregistry_is_missing(kp->k->sim, c->image)) {
			image_failed(kp, c, t);
			break;
		}
		{
			char d[DURATION_BUF];
			int64_t took =
			    pull_time(kp, c, knode_has_image(knode_get(kp->k, kp->node), c->image));
			duration_go_string(took * DURATION_NS_PER_MS, d, sizeof(d));
			kevent(kp, c, "Normal", "Pulled",
			       "Successfully pulled image \"%s\" in %s (%s including waiting)",
			       c->image, d, d);
		}
		knode_add_image(knode_get(kp->k, kp->node), c->image);
		c->pulled = true;
		c->phase = CP_CREATING;
		c->next_at = t + create_time(kp, c);
		break;
	case CP_PULL_ERR: {
		char msg[600];
		snprintf(msg, sizeof(msg), "Back-off pulling image \"%s\"", c->image);
		set_wait(c, "ImagePullBackOff", msg);
		kevent(kp, c, "Normal", "BackOff", "%s", msg);
		kevent(kp, c, "Warning", "Failed", "Error: ImagePullBackOff");
		c->phase = CP_PULL_BACKOFF;
		c->next_at = c->pull_failed_at + c->pull_backoff.delay_ms;
		break;
	}
	case CP_PULL_BACKOFF:
		kevent(kp, c, "Normal", "Pulling", "Pulling image \"%s\"", c->image);
		c->phase = CP_PULLING;
		c->next_at = t + pull_time(kp, c, false);
		break;
	case CP_CREATING:
		create_instance(kp, c, t);
		break;
	case CP_POSTSTART:
		if (!c->hook_failed) {
			enter_running(kp, c, t);
			break;
		}
		kevent(kp, c, "Warning", "FailedPostStartHook", "PostStartHook failed");
		kctr_kill(kp, c, t, kp->grace_s, "FailedPostStartHook");
		set_wait(c, "PostStartHookError", c->hook_msg);
		break;
	case CP_RUNNING: /* crash-after */
		finish(kp, c, t, c->be.exit_code >= 0 ? c->be.exit_code : 1);
		break;
	case CP_STOPPING:
		finish(kp, c, t, c->kill_exit);
		break;
	case CP_EXITED: /* a back-off window is over: actions() restarts it */
	case CP_NONE:
		break;
	}
}

/* Apply everything due at t. True when a container exited (worth a write). */
static bool due(struct kpod *kp, int64_t t)
{
	bool exited = false;
	for (size_t i = 0; i < kp->n; i++) {
		struct kctr *c = &kp->c[i];
		if (has_proc(c) && procsim_wake(c->proc) <= t) {
			procsim_run(c->proc, t, c->fs, kworld(kp));
			if (procsim_exited(c->proc)) {
				finish(kp, c, procsim_exit_at(c->proc), procsim_exit_code(c->proc));
				exited = true;
				continue;
			}
			if (procfs_generation(c->fs) != c->fs_gen) {
				c->fs_gen = procfs_generation(c->fs);
				kprobe_wake(c, t);
			}
		}
		if (c->next_at <= t) {
			enum kphase before = c->phase;
			phase_due(kp, c, t);
			exited |= c->phase == CP_EXITED && before != CP_EXITED;
		}
		if (c->phase == CP_RUNNING && c->ready_at <= t) {
			c->ready_at = KNEVER;
			c->ready = c->started;
		}
		if (c->phase == CP_RUNNING && kprobe_next(c) <= t) {
			enum kphase before = c->phase;
			kprobe_tick(kp, c, t);
			exited |= c->phase == CP_EXITED && before != CP_EXITED;
		}
	}
	return exited;
}

static void begin_delete(struct kpod *kp, int64_t t, int64_t grace)
{
	kp->deleting = true;
	kill_pod(kp, t, grace);
}

/* Everything has stopped: the last status, then the pod goes. */
static bool finalize(struct kpod *kp, int64_t t, const cJSON *meta)
{
	if (!kpod_write_status(kp, t))
		return false;
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(meta, "finalizers")) > 0)
		return true; /* they go when the last finalizer does */
	struct simkubelet *k = kp->k;
	k->writing_key = kp->key;
	k->writing_events = 0;
	simpod_delete(k->sim, kp->ns, kp->name, 0, NULL);
	k->writing_key = NULL;
	kp->gone = true;
	return false;
}

bool kpod_sync(struct kpod *kp, int64_t now)
{
	struct simobj *o = simstore_get(kp->k->sim->store, kp->k->pods, kp->ns, kp->name);
	if (!o || kp->gone)
		return false;
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(o->json, "metadata");
	const char *uid = simjson_string(meta, "uid");
	if (!uid || strcmp(uid, kp->uid) != 0)
		return false;
	if (!kp->deleting && !kp->terminal)
		kpod_spec_update(kp, o->json, now);
	if (cJSON_GetObjectItemCaseSensitive(meta, "deletionTimestamp") && !kp->deleting) {
		const cJSON *g =
		    cJSON_GetObjectItemCaseSensitive(meta, "deletionGracePeriodSeconds");
		begin_delete(kp, now, cJSON_IsNumber(g) ? (int64_t)g->valuedouble : kp->grace_s);
	}
	for (int guard = 0; guard < 10000; guard++) {
		int64_t td = kpod_next(kp), t = now;
		if (td <= now) {
			t = td;
			if (due(kp, t) && !kpod_write_status(kp, t))
				return false;
		}
		sidecar_turns(kp, t);
		bool changed = actions(kp, t);
		/* One write per instant: a container that exits as it starts was
		 * never seen running, as PLEG would not have seen it either. */
		if (kpod_next(kp) > t && !kpod_write_status(kp, t))
			return false;
		if (kp->deleting && stopped_all(kp)) {
			/* Re-read: the status write made a new version. */
			o = simstore_get(kp->k->sim->store, kp->k->pods, kp->ns, kp->name);
			if (!o)
				return false;
			return finalize(kp, t,
					cJSON_GetObjectItemCaseSensitive(o->json, "metadata"));
		}
		if (td > now && !changed)
			break;
	}
	return true;
}
