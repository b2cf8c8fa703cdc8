#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "kubelet_phase.h"
#include "podscope/xalloc.h"

#include "clock.h"
#include "kubelet_int.h"
#include "resources.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"

/*
 * The pod status a kubelet writes: container statuses as
 * convertToAPIContainerStatuses makes them (the reason cache shows as
 * waiting for a container that is to be restarted), the phase from core's
 * getPhase, the conditions of status/generate.go with their transition
 * times, and the pod's addresses.
 */

static void add_time(cJSON *o, const char *key, int64_t t)
{
	char buf[40];
	simclock_format(t, buf, sizeof(buf));
	cJSON_AddStringToObject(o, key, buf);
}

static cJSON *term_json(const struct kterm *t)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "exitCode", t->exit_code);
	if (t->reason)
		cJSON_AddStringToObject(o, "reason", t->reason);
	if (t->message && *t->message)
		cJSON_AddStringToObject(o, "message", t->message);
	add_time(o, "startedAt", t->started);
	add_time(o, "finishedAt", t->finished);
	if (t->cid)
		cJSON_AddStringToObject(o, "containerID", t->cid);
	return o;
}

static cJSON *waiting(const char *reason, const char *msg)
{
	cJSON *s = cJSON_CreateObject();
	cJSON *w = cJSON_AddObjectToObject(s, "waiting");
	cJSON_AddStringToObject(w, "reason", reason);
	if (msg && *msg)
		cJSON_AddStringToObject(w, "message", msg);
	return s;
}

static bool will_restart(const struct kpod *kp, const struct kctr *c)
{
	if (kp->deleting || kp->terminal)
		return false;
	if (c->sidecar || c->changed || kp->restart_policy == KRESTART_ALWAYS)
		return true;
	if (c->init)
		return kp->restart_policy != KRESTART_NEVER && c->term.exit_code != 0;
	if (kp->restart_policy == KRESTART_ON_FAILURE)
		return c->term.exit_code != 0;
	return false;
}

static void image_id(const char *ref, char *buf, size_t n)
{
	char repo[700];
	snprintf(repo, sizeof(repo), "%s", ref);
	char *at = strchr(repo, '@');
	if (at)
		*at = '\0';
	char *colon = strrchr(repo, ':');
	if (colon && !strchr(colon, '/'))
		*colon = '\0';
	unsigned h = khash(ref);
	char hex[65];
	for (int i = 0; i < 8; i++) {
		h = h * 2246822519u + 374761393u;
		snprintf(hex + i * 8, 9, "%08x", h);
	}
	snprintf(buf, n, "%s@sha256:%s", repo, hex);
}

static void image_ref(const char *image, char *buf, size_t n)
{
	const char *slash = strchr(image, '/');
	bool reg = slash && (memchr(image, '.', (size_t)(slash - image)) ||
			     memchr(image, ':', (size_t)(slash - image)));
	const char *last = strrchr(image, '/');
	bool tagged = strchr(last ? last : image, ':') || strchr(image, '@');
	snprintf(buf, n, "%s%s%s%s", reg ? "" : "docker.io/", (!reg && !slash) ? "library/" : "",
		 image, tagged ? "" : ":latest");
}

static cJSON *ctr_status(const struct kpod *kp, const struct kctr *c)
{
	cJSON *cs = cJSON_CreateObject();
	cJSON *state = NULL, *last = NULL;
	const char *dflt = kp->ninit > 0 ? "PodInitializing" : "ContainerCreating";
	const char *cid = NULL;
	switch (c->phase) {
	case CP_NONE:
		state = waiting(c->wait_reason ? c->wait_reason : dflt, c->wait_msg);
		break;
	case CP_PULLING:
	case CP_PULL_ERR:
	case CP_PULL_BACKOFF:
	case CP_CREATING:
	case CP_EXITED:
		if (!c->term.set) {
			state = waiting(c->wait_reason ? c->wait_reason : dflt, c->wait_msg);
		} else if (c->wait_reason && (c->phase != CP_EXITED || will_restart(kp, c))) {
			state = waiting(c->wait_reason, c->wait_msg);
			last = cJSON_CreateObject();
			cJSON_AddItemToObject(last, "terminated", term_json(&c->term));
			cid = c->term.cid; /* the latest container's, as the kubelet keeps it */
		} else {
			state = cJSON_CreateObject();
			cJSON_AddItemToObject(state, "terminated", term_json(&c->term));
			cid = c->term.cid;
		}
		break;
	case CP_POSTSTART:
		/* not reported running before its postStart hook is done */
		state = waiting(dflt, NULL);
		break;
	case CP_STOPPING:
		if (!c->reported) { /* killed for its postStart hook */
			state = waiting(c->wait_reason ? c->wait_reason : dflt, c->wait_msg);
			break;
		}
		/* fall through */
	case CP_RUNNING:
		state = cJSON_CreateObject();
		add_time(cJSON_AddObjectToObject(state, "running"), "startedAt", c->started_at);
		cid = c->cid;
		break;
	}
	if (!last) {
		last = cJSON_CreateObject();
		if (c->last.set)
			cJSON_AddItemToObject(last, "terminated", term_json(&c->last));
	}
	/* a container being stopped stays ready until it has stopped */
	bool up = c->phase == CP_RUNNING || (c->phase == CP_STOPPING && c->reported);
	bool ready = c->ready && up;
	if (c->init && !c->sidecar)
		ready = c->phase == CP_EXITED && c->term.set && c->term.exit_code == 0 &&
			!c->wait_reason;
	int restarts = c->instances > 0 ? c->instances - 1 : 0;
	char ref[600], id[800];
	cJSON_AddStringToObject(cs, "name", c->name);
	cJSON_AddItemToObject(cs, "state", state);
	cJSON_AddItemToObject(cs, "lastState", last);
	cJSON_AddBoolToObject(cs, "ready", ready);
	cJSON_AddNumberToObject(cs, "restartCount", restarts);
	if (c->pulled || c->instances > 0) {
		image_ref(c->image, ref, sizeof(ref));
		image_id(ref, id, sizeof(id));
		cJSON_AddStringToObject(cs, "image", ref);
		cJSON_AddStringToObject(cs, "imageID", id);
	} else {
		cJSON_AddStringToObject(cs, "image", c->image);
		cJSON_AddStringToObject(cs, "imageID", "");
	}
	if (cid)
		cJSON_AddStringToObject(cs, "containerID", cid);
	cJSON_AddBoolToObject(cs, "started", c->started && up);
	return cs;
}

/* "[a b]" of the containers for which pick says yes. */
static char *names(const struct kpod *kp, size_t from, size_t to,
		   bool (*pick)(const struct kpod *, const struct kctr *))
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "[");
	bool first = true;
	for (size_t i = from; i < to; i++) {
		if (!pick(kp, &kp->c[i]))
			continue;
		buf_printf(&b, "%s%s", first ? "" : " ", kp->c[i].name);
		first = false;
	}
	buf_adds(&b, "]");
	if (first) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static bool init_incomplete(const struct kpod *kp, const struct kctr *c)
{
	(void)kp;
	if (c->sidecar)
		return !(c->started && c->phase == CP_RUNNING);
	return !(c->phase == CP_EXITED && c->term.set && c->term.exit_code == 0);
}

static bool unready(const struct kpod *kp, const struct kctr *c)
{
	(void)kp;
	if (c->init && !c->sidecar)
		return false;
	return !(c->ready && (c->phase == CP_RUNNING || (c->phase == CP_STOPPING && c->reported)));
}

enum { C_SANDBOX, C_INIT, C_READY, C_CREADY };

static void condition(struct kpod *kp, cJSON *conds, int idx, const char *type, bool ok,
		      const char *reason, const char *msg, int64_t t)
{
	int st = ok ? 1 : 2;
	if (kp->cond_status[idx] != st) {
		kp->cond_status[idx] = st;
		kp->cond_at[idx] = t;
	}
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "type", type);
	cJSON_AddStringToObject(c, "status", ok ? "True" : "False");
	cJSON_AddNullToObject(c, "lastProbeTime");
	add_time(c, "lastTransitionTime", kp->cond_at[idx]);
	if (reason)
		cJSON_AddStringToObject(c, "reason", reason);
	if (msg)
		cJSON_AddStringToObject(c, "message", msg);
	cJSON_AddItemToArray(conds, c);
}

static const cJSON *find_cond(const cJSON *conds, const char *type)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, conds)
	{
		const char *t = simjson_string(c, "type");
		if (t && strcmp(t, type) == 0)
			return c;
	}
	return NULL;
}

static bool stopped(const struct kpod *kp)
{
	for (size_t i = 0; i < kp->n; i++)
		if (kp->c[i].phase != CP_NONE && kp->c[i].phase != CP_EXITED)
			return false;
	return true;
}

/* The kubelet's own conditions (kubetypes.PodConditionByKubelet). */
static bool kubelet_owned(const char *type)
{
	return strcmp(type, "PodReadyToStartContainers") == 0 || strcmp(type, "Initialized") == 0 ||
	       strcmp(type, "Ready") == 0 || strcmp(type, "ContainersReady") == 0 ||
	       strcmp(type, "PodScheduled") == 0;
}

/* generatePodReadyConditionForReadinessGates: every gate that is not True,
 * joined with ", "; "" when all are. */
static void gates_message(const struct kpod *kp, const cJSON *old, struct buf *b)
{
	for (size_t i = 0; i < kp->ngates; i++) {
		const cJSON *g = find_cond(old, kp->gates[i]);
		const char *s = g ? simjson_string(g, "status") : NULL;
		if (g && s && strcmp(s, "True") == 0)
			continue;
		if (b->len)
			buf_adds(b, ", ");
		if (!g)
			buf_printf(b,
				   "corresponding condition of pod readiness gate \"%s\" does not "
				   "exist.",
				   kp->gates[i]);
		else
			buf_printf(
			    b, "the status of pod readiness gate \"%s\" is not \"True\", but %s",
			    kp->gates[i], s ? s : "");
	}
}

/*
 * mergePodStatus keeps the conditions the kubelet does not own first, in
 * their order, then appends its own (PodReadyToStartContainers,
 * Initialized, Ready, ContainersReady, PodScheduled). PodScheduled comes
 * from the sim's scheduler, so it is carried over as it was written.
 */
static void conditions(struct kpod *kp, cJSON *conds, const cJSON *old, const char *phase,
		       int64_t t)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, old)
	{
		const char *type = simjson_string(c, "type");
		if (type && !kubelet_owned(type))
			cJSON_AddItemToArray(conds, cJSON_Duplicate(c, 1));
	}

	bool succeeded = strcmp(phase, "Succeeded") == 0, failed = strcmp(phase, "Failed") == 0;
	/* PodSandboxChanged: no sandbox yet, or the one of a pod that has
	 * finished or whose containers have all stopped for its deletion. */
	bool sandbox_ready = kp->sandbox && !succeeded && !failed && !(kp->deleting && stopped(kp));
	condition(kp, conds, C_SANDBOX, "PodReadyToStartContainers", sandbox_ready, NULL, NULL, t);

	char *pending = names(kp, 0, kp->ninit, init_incomplete);
	bool inited = kp->init_done || !pending || succeeded;
	char msg[1024];
	if (inited) {
		condition(kp, conds, C_INIT, "Initialized", true,
			  succeeded && kp->ninit ? "PodCompleted" : NULL, NULL, t);
	} else {
		snprintf(msg, sizeof(msg), "containers with incomplete status: %s", pending);
		condition(kp, conds, C_INIT, "Initialized", false, "ContainersNotInitialized", msg,
			  t);
	}
	free(pending);

	char *unr = names(kp, 0, kp->n, unready);
	const char *reason = NULL;
	bool ready = !unr;
	if (succeeded || failed) {
		ready = false;
		reason = succeeded ? "PodCompleted" : "PodFailed";
		msg[0] = '\0';
	} else if (unr) {
		reason = "ContainersNotReady";
		snprintf(msg, sizeof(msg), "containers with unready status: %s", unr);
	}
	free(unr);
	const char *rmsg = reason && msg[0] ? msg : NULL;
	/* Ready also needs every readiness gate True. */
	struct buf gmsg = BUF_INIT;
	if (ready)
		gates_message(kp, old, &gmsg);
	if (gmsg.len)
		condition(kp, conds, C_READY, "Ready", false, "ReadinessGatesNotReady", gmsg.data,
			  t);
	else
		condition(kp, conds, C_READY, "Ready", ready, reason, rmsg, t);
	buf_free(&gmsg);
	condition(kp, conds, C_CREADY, "ContainersReady", ready, reason, rmsg, t);

	const cJSON *sched = find_cond(old, "PodScheduled");
	if (sched)
		cJSON_AddItemToArray(conds, cJSON_Duplicate(sched, 1));
}

static const char *qos(const cJSON *pod, const cJSON *old_status)
{
	const char *q = simjson_string(old_status, "qosClass");
	if (q)
		return q;
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(pod, "spec"), *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(spec, "containers"))
	{
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(c, "resources");
		if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "requests")) > 0 ||
		    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "limits")) > 0)
			return "Burstable";
	}
	return "BestEffort";
}

static const char *phase_of(struct kpod *kp, cJSON *pod)
{
	bool terminal = kp->terminal || (kp->deleting && stopped(kp));
	return kphase_compute(pod, terminal, kphase_has_initialized(pod));
}

bool kpod_write_status(struct kpod *kp, int64_t t)
{
	struct simkubelet *k = kp->k;
	struct simobj *o = simstore_get(k->sim->store, k->pods, kp->ns, kp->name);
	if (!o)
		return false;
	cJSON *pod = simobj_copy(o);
	cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(pod, "status");
	cJSON *st = cJSON_AddObjectToObject(pod, "status");
	cJSON_AddStringToObject(st, "phase", "Pending");
	cJSON *conds =
	    cJSON_AddArrayToObject(st, "conditions"); /* filled once the phase is known */
	if (kp->host_ip) {
		cJSON_AddStringToObject(st, "hostIP", kp->host_ip);
		cJSON *ips = cJSON_AddArrayToObject(st, "hostIPs");
		cJSON *ip = cJSON_CreateObject();
		cJSON_AddStringToObject(ip, "ip", kp->host_ip);
		cJSON_AddItemToArray(ips, ip);
	}
	if (kp->pod_ip) {
		cJSON_AddStringToObject(st, "podIP", kp->pod_ip);
		cJSON *ips = cJSON_AddArrayToObject(st, "podIPs");
		cJSON *ip = cJSON_CreateObject();
		cJSON_AddStringToObject(ip, "ip", kp->pod_ip);
		cJSON_AddItemToArray(ips, ip);
	}
	if (kp->start_time)
		add_time(st, "startTime", kp->start_time);
	if (kp->ninit > 0) {
		cJSON *arr = cJSON_AddArrayToObject(st, "initContainerStatuses");
		for (size_t i = 0; i < kp->ninit; i++)
			cJSON_AddItemToArray(arr, ctr_status(kp, &kp->c[i]));
	}
	cJSON *arr = cJSON_AddArrayToObject(st, "containerStatuses");
	for (size_t i = kp->ninit; i < kp->n; i++)
		cJSON_AddItemToArray(arr, ctr_status(kp, &kp->c[i]));
	cJSON_AddStringToObject(st, "qosClass", qos(pod, old));

	const char *phase = phase_of(kp, pod);
	simjson_set_string(st, "phase", phase);
	kstr_set(&kp->phase, phase);
	if (!kp->deleting && (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0))
		kp->terminal = true;
	conditions(kp, conds, cJSON_GetObjectItemCaseSensitive(old, "conditions"), phase, t);
	cJSON_Delete(old);

	k->writing_key = kp->key;
	k->writing_events = 0;
	enum simstore_rc rc = simstore_update(k->sim->store, k->pods, pod, 0, NULL);
	k->writing_key = NULL;
	return rc == SIMSTORE_OK;
}
