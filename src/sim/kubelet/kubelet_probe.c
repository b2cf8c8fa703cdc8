#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"

#include "kubelet_int.h"

/*
 * Probe workers (prober/worker.go) and hook handlers (lifecycle/handlers.go).
 * A probe ticks every periodSeconds from the container's start; a worker
 * whose probe passes and has nothing scheduled to change it goes idle until
 * something does (a file changes, a probe is broken, an annotation's time
 * comes), so a hundred thousand healthy pods cost nothing. It resumes on
 * the same period grid, so the ticks are where a real worker's would be.
 */

static const char *const kind_name[KP_N] = {"Startup", "Readiness", "Liveness"};

static int64_t aligned(const struct kctr *c, const struct kprobe *p, int64_t t)
{
	int64_t per = (int64_t)p->period_s * 1000;
	int64_t since = t - c->running_since;
	if (since <= 0)
		return c->running_since;
	return c->running_since + ((since + per - 1) / per) * per;
}

/* Is this probe's worker running now (not held, and started matches)? */
static bool active(const struct kctr *c, int kind)
{
	const struct kprobe *p = &c->probes[kind];
	if (!p->present || p->on_hold || c->phase != CP_RUNNING)
		return false;
	return kind == KP_STARTUP ? !c->started : c->started;
}

void kprobe_reset(struct kpod *kp, struct kctr *c, int64_t t)
{
	(void)kp;
	static const enum kresult initial[KP_N] = {KR_UNKNOWN, KR_FAILURE, KR_SUCCESS};
	for (int i = 0; i < KP_N; i++) {
		struct kprobe *p = &c->probes[i];
		p->result = initial[i];
		p->last = KR_UNKNOWN;
		p->run = 0;
		p->on_hold = false;
		p->next_ms = KNEVER;
	}
	c->started = !c->probes[KP_STARTUP].present;
	c->ready = false;
	c->ready_at = KNEVER;
	for (int i = 0; i < KP_N; i++) {
		struct kprobe *p = &c->probes[i];
		if (active(c, i))
			p->next_ms = aligned(c, p, t + (int64_t)p->initial_delay_s * 1000);
	}
	if (c->started && !c->probes[KP_READINESS].present) {
		if (c->be.ready_after > 0)
			c->ready_at = t + c->be.ready_after;
		else
			c->ready = true;
	}
}

void kprobe_stop(struct kctr *c)
{
	for (int i = 0; i < KP_N; i++)
		c->probes[i].next_ms = KNEVER;
}

int64_t kprobe_next(const struct kctr *c)
{
	int64_t next = KNEVER;
	for (int i = 0; i < KP_N; i++)
		if (c->probes[i].present && c->probes[i].next_ms < next)
			next = c->probes[i].next_ms;
	return next;
}

void kprobe_wake(struct kctr *c, int64_t t)
{
	for (int i = 0; i < KP_N; i++) {
		struct kprobe *p = &c->probes[i];
		if (active(c, i) && p->next_ms == KNEVER)
			p->next_ms = aligned(c, p, t);
	}
}

static int resolve_port(const struct kctr *c, const struct kaction *a)
{
	if (!a->port_name)
		return a->port;
	for (size_t i = 0; i < c->nports; i++)
		if (strcmp(c->ports[i].name, a->port_name) == 0)
			return c->ports[i].port;
	return 0;
}

static bool serving(const struct kctr *c, int port)
{
	int hp = c->proc ? procsim_http_port(c->proc) : -1;
	if (hp < 0 || port <= 0)
		return false;
	return hp == 0 || hp == port;
}

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static void joined(char **argv, char *buf, size_t n)
{
	buf[0] = '\0';
	for (size_t i = 0; argv && argv[i]; i++) {
		size_t len = strlen(buf);
		snprintf(buf + len, n - len, "%s%s", i ? " " : "", argv[i]);
	}
}

/* The kubelet's probe, as the container's server logs it: from the pod
 * network's gateway (the node's bridge, x.y.z.1), kube-probe/MAJOR.MINOR. */
static void access_log(struct kpod *kp, struct kctr *c, int64_t t, const char *path, int status)
{
	if (t < 0 || !c->proc)
		return;
	char client[64];
	const char *ip = kp->pod_ip ? kp->pod_ip : "";
	const char *dot = strrchr(ip, '.');
	snprintf(client, sizeof(client), "%.*s.1", dot ? (int)(dot - ip) : 0, ip);
	procsim_http_request(c->proc, t, dot ? client : "127.0.0.1", path && *path ? path : "/",
			     status, "kube-probe/1.32");
}

/* Run a handler against the container at t (-1: a hook, not logged); false
 * with msg when it fails. */
static bool act(struct kpod *kp, struct kctr *c, const struct kaction *a, int timeout_s, int64_t t,
		int64_t *dur, char *msg, size_t n)
{
	*dur = 0;
	msg[0] = '\0';
	const char *ip = kp->pod_ip ? kp->pod_ip : "";
	int port = resolve_port(c, a);
	switch (a->kind) {
	case KA_EXEC: {
		if (!c->fs)
			return false;
		int64_t cap = (int64_t)(timeout_s > 0 ? timeout_s : 1) * 1000;
		int rc = procsim_exec((const char *const *)a->argv, a->argc, c->fs, kworld(kp), cap,
				      dur, msg, n);
		chomp(msg);
		if (rc == 0)
			return true;
		if (rc == 137 && *dur >= cap) {
			char cmd[512];
			joined(a->argv, cmd, sizeof(cmd));
			snprintf(msg, n, "command \"%s\" timed out", cmd);
		}
		return false;
	}
	case KA_HTTP: {
		if (!serving(c, port)) {
			snprintf(
			    msg, n,
			    "Get \"http://%s:%d%s\": dial tcp %s:%d: connect: connection refused",
			    ip, port, a->path, ip, port);
			return false;
		}
		const char *root = c->proc ? procsim_http_root(c->proc) : NULL;
		if (!root)
			return true;
		char file[1024];
		size_t plen = strcspn(a->path, "?#");
		snprintf(file, sizeof(file), "%s%.*s%s", root, (int)plen, a->path,
			 plen == 0 || a->path[plen - 1] == '/' ? "index.html" : "");
		bool found = procfs_exists(c->fs, file);
		access_log(kp, c, t, a->path, found ? 200 : 404);
		if (found)
			return true;
		snprintf(msg, n, "HTTP probe failed with statuscode: 404");
		return false;
	}
	case KA_TCP:
		if (serving(c, port))
			return true;
		snprintf(msg, n, "dial tcp %s:%d: connect: connection refused", ip, port);
		return false;
	case KA_GRPC:
		if (serving(c, port))
			return true;
		snprintf(msg, n, "timeout: failed to connect service \"%s:%d\" within 1s", ip,
			 port);
		return false;
	case KA_SLEEP:
		*dur = (int64_t)a->port * 1000;
		return true;
	case KA_NONE:
		break;
	}
	return true;
}

/* The sim.podscope.dev annotations and kubelet_set_probe, before the handler. */
static bool forced_failure(const struct kctr *c, int kind, int64_t t, char *msg, size_t n)
{
	const struct kprobe *p = &c->probes[kind];
	int64_t up = t - c->running_since;
	int code = 0;
	if (p->broken)
		code = 500;
	else if (c->be.startup_ms >= 0 && up < c->be.startup_ms)
		code = -1; /* not listening yet */
	else if (kind == KP_READINESS && c->be.ready_after >= 0 && up < c->be.ready_after)
		code = 503;
	else if (kind == KP_READINESS && c->be.fail_ready_after >= 0 &&
		 up >= c->be.fail_ready_after)
		code = 503;
	else if (kind == KP_LIVENESS && c->be.fail_live_after >= 0 && up >= c->be.fail_live_after)
		code = 500;
	if (!code)
		return false;
	if (p->act.kind == KA_EXEC)
		snprintf(msg, n, "%s", code < 0 ? "not started yet" : "unhealthy");
	else if (p->act.kind == KA_HTTP && code > 0)
		snprintf(msg, n, "HTTP probe failed with statuscode: %d", code);
	else
		snprintf(msg, n, "dial tcp %s:%d: connect: connection refused", "", p->act.port);
	return true;
}

/* When the outcome could next change by itself (an annotation's time). */
static int64_t change_at(const struct kctr *c, int kind, int64_t t)
{
	int64_t at = KNEVER;
	int64_t cand[2] = {-1, -1};
	if (kind == KP_READINESS)
		cand[0] = c->be.fail_ready_after;
	if (kind == KP_LIVENESS)
		cand[0] = c->be.fail_live_after;
	for (int i = 0; i < 2; i++) {
		if (cand[i] < 0)
			continue;
		int64_t when = c->running_since + cand[i];
		if (when > t && when < at)
			at = when;
	}
	return at;
}

static void kill_for(struct kpod *kp, struct kctr *c, int kind, int64_t t)
{
	struct kprobe *p = &c->probes[kind];
	p->on_hold = true;
	p->run = 0;
	bool restart = c->sidecar || kp->restart_policy != KRESTART_NEVER;
	char msg[512];
	snprintf(msg, sizeof(msg), "Container %s failed %s probe%s", c->name,
		 kind == KP_LIVENESS ? "liveness" : "startup",
		 restart ? ", will be restarted" : "");
	kctr_kill(kp, c, t, p->grace_s >= 0 ? p->grace_s : kp->grace_s, msg);
}

void kprobe_tick(struct kpod *kp, struct kctr *c, int64_t t)
{
	for (int kind = 0; kind < KP_N && c->phase == CP_RUNNING; kind++) {
		struct kprobe *p = &c->probes[kind];
		if (!p->present || p->next_ms > t)
			continue;
		if (!active(c, kind)) {
			p->next_ms = KNEVER;
			continue;
		}
		p->next_ms = t + (int64_t)p->period_s * 1000;
		if (t - c->running_since < (int64_t)p->initial_delay_s * 1000)
			continue;
		char msg[1024] = "";
		int64_t dur;
		bool ok = !forced_failure(c, kind, t, msg, sizeof(msg)) &&
			  act(kp, c, &p->act, p->timeout_s, t, &dur, msg, sizeof(msg));
		enum kresult res = ok ? KR_SUCCESS : KR_FAILURE;
		if (!ok)
			kevent(kp, c, "Warning", "Unhealthy", "%s probe failed: %s",
			       kind_name[kind], msg);
		if (res == p->last) {
			p->run++;
		} else {
			p->last = res;
			p->run = 1;
		}
		if (p->run >= (ok ? p->success_thr : p->failure_thr))
			p->result = res;
		switch (kind) {
		case KP_READINESS:
			c->ready = c->started && p->result == KR_SUCCESS;
			break;
		case KP_STARTUP:
			if (p->result == KR_SUCCESS) {
				c->started = true;
				p->next_ms = KNEVER;
				if (c->probes[KP_READINESS].present)
					c->probes[KP_READINESS].next_ms = t; /* probed at once */
				else
					c->ready = true;
				if (c->probes[KP_LIVENESS].present)
					c->probes[KP_LIVENESS].next_ms =
					    t + (int64_t)c->probes[KP_LIVENESS].period_s * 1000;
				continue;
			}
			if (p->result == KR_FAILURE) {
				kill_for(kp, c, kind, t);
				return;
			}
			break;
		case KP_LIVENESS:
			if (p->result == KR_FAILURE) {
				kill_for(kp, c, kind, t);
				return;
			}
			break;
		}
		/* Passing and settled: idle until something can change it. */
		if (ok && p->result == KR_SUCCESS && p->run >= p->success_thr) {
			int64_t at = change_at(c, kind, t);
			p->next_ms = at == KNEVER ? KNEVER : aligned(c, p, at);
		}
	}
}

bool khook_run(struct kpod *kp, struct kctr *c, const struct kaction *a, int64_t *dur_ms, char *msg,
	       size_t n)
{
	char out[1024] = "", cmd[512];
	bool ok = act(kp, c, a, 120, -1, dur_ms, out, sizeof(out));
	int rc = ok ? 0 : 1;
	if (a == &c->post_start && c->be.post_start_fail) {
		ok = false;
		rc = c->be.exit_code > 0 ? c->be.exit_code : 1;
	}
	if (ok)
		return true;
	if (a->kind == KA_EXEC) {
		joined(a->argv, cmd, sizeof(cmd));
		snprintf(
		    msg, n,
		    "Exec lifecycle hook ([%s]) for Container \"%s\" in Pod \"%s_%s(%s)\" failed - "
		    "error: command '%s' exited with %d: %s, message: \"%s\"",
		    cmd, c->name, kp->name, kp->ns, kp->uid, cmd, rc, out, out);
	} else {
		snprintf(
		    msg, n,
		    "HTTP lifecycle hook (%s) for Container \"%s\" in Pod \"%s_%s(%s)\" failed - "
		    "error: %s, message: \"\"",
		    a->path ? a->path : "", c->name, kp->name, kp->ns, kp->uid,
		    out[0] ? out : "HTTP lifecycle hook failed");
	}
	return false;
}
