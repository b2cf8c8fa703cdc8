#include "config.h"

#include <string.h>

#include <cjson/cJSON.h>

#include "kubelet_phase.h"

static const cJSON *item(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = item(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* podutil.GetContainerStatus over statuses and init statuses, by name. */
static const cJSON *status_of(const cJSON *pod, const char *name)
{
	static const char *const lists[] = {"containerStatuses", "initContainerStatuses"};
	const cJSON *st = item(pod, "status");
	for (size_t l = 0; l < 2; l++) {
		const cJSON *s;
		cJSON_ArrayForEach(s, item(st, lists[l]))
		{
			const char *n = str(s, "name");
			if (n && name && strcmp(n, name) == 0)
				return s;
		}
	}
	return NULL;
}

enum kstate { KS_MISSING, KS_NONE, KS_RUNNING, KS_TERMINATED, KS_WAITING };

/* A container's status as getPhase reads it. */
struct cview {
	enum kstate state; /* which of State.Running / Terminated / Waiting is set */
	int exit_code;     /* State.Terminated's */
	bool last;         /* LastTerminationState.Terminated is set */
	int last_exit;
	bool started;
};

static int exit_code_of(const cJSON *terminated)
{
	const cJSON *e = item(terminated, "exitCode");
	return cJSON_IsNumber(e) ? e->valueint : 0;
}

static struct cview view_of(const cJSON *pod, const cJSON *c)
{
	struct cview v = {.state = KS_MISSING};
	const cJSON *cs = status_of(pod, str(c, "name"));
	if (!cs)
		return v;
	const cJSON *state = item(cs, "state");
	const cJSON *t = item(state, "terminated");
	const cJSON *lt = item(item(cs, "lastState"), "terminated");
	if (cJSON_IsObject(item(state, "running")))
		v.state = KS_RUNNING;
	else if (cJSON_IsObject(t))
		v.state = KS_TERMINATED;
	else if (cJSON_IsObject(item(state, "waiting")))
		v.state = KS_WAITING;
	else
		v.state = KS_NONE;
	v.exit_code = exit_code_of(t);
	v.last = cJSON_IsObject(lt);
	v.last_exit = exit_code_of(lt);
	v.started = cJSON_IsTrue(item(cs, "started"));
	return v;
}

static bool is_sidecar(const cJSON *c)
{
	const char *rp = str(c, "restartPolicy");
	return rp && strcmp(rp, "Always") == 0;
}

struct counts {
	int pending_init, failed_init;
	int unknown, running, waiting, stopped, succeeded;
};

/* Regular init containers. */
static void count_init(struct cview v, struct counts *n)
{
	if (v.state == KS_TERMINATED && v.exit_code != 0)
		n->failed_init++;
	else if (v.state == KS_WAITING && v.last && v.last_exit != 0)
		n->failed_init++;
	else if (v.state != KS_TERMINATED && !(v.state == KS_WAITING && v.last))
		n->pending_init++; /* missing, running, waiting to start, no state */
}

/* Restartable init containers (sidecars); a stopped one does not count. */
static void count_sidecar(struct cview v, struct counts *n)
{
	if (v.state == KS_MISSING) {
		n->unknown++;
	} else if (v.state == KS_RUNNING) {
		n->pending_init += !v.started;
		n->running++;
	} else if (v.state == KS_WAITING && !v.last) {
		n->pending_init++;
		n->waiting++;
	} else if (v.state == KS_NONE) {
		n->pending_init++;
		n->unknown++;
	}
}

static void count_regular(struct cview v, struct counts *n)
{
	if (v.state == KS_RUNNING) {
		n->running++;
	} else if (v.state == KS_TERMINATED) {
		n->stopped++;
		n->succeeded += v.exit_code == 0;
	} else if (v.state == KS_WAITING) {
		if (v.last)
			n->stopped++;
		else
			n->waiting++;
	} else {
		n->unknown++; /* missing or no state */
	}
}

const char *kphase_compute(const cJSON *pod, bool terminal, bool has_initialized)
{
	const cJSON *spec = item(pod, "spec");
	const char *rp = str(spec, "restartPolicy");
	bool always = !rp || strcmp(rp, "Always") == 0; /* the API server's default */
	bool never = rp && strcmp(rp, "Never") == 0;
	struct counts n = {0};
	const cJSON *c;

	cJSON_ArrayForEach(c, item(spec, "initContainers"))
	{
		if (!is_sidecar(c))
			count_init(view_of(pod, c), &n);
	}
	cJSON_ArrayForEach(c, item(spec, "initContainers"))
	{
		if (is_sidecar(c))
			count_sidecar(view_of(pod, c), &n);
	}
	cJSON_ArrayForEach(c, item(spec, "containers"))
	{
		count_regular(view_of(pod, c), &n);
	}

	if (n.failed_init > 0 && never)
		return "Failed";
	/* Sidecars restarting after the pod initialized do not make it Pending again. */
	if ((n.pending_init > 0 && !has_initialized) || n.waiting > 0)
		return "Pending";
	if (n.running > 0 && n.unknown == 0)
		return "Running";
	if (n.running == 0 && n.stopped > 0 && n.unknown == 0) {
		if (terminal) /* its containers will not be restarted, whatever the policy */
			return n.stopped == n.succeeded ? "Succeeded" : "Failed";
		if (always)
			return "Running";
		if (n.stopped == n.succeeded)
			return "Succeeded";
		if (never)
			return "Failed";
		return "Running"; /* OnFailure, restarting */
	}
	return "Pending";
}

bool kphase_has_initialized(const cJSON *pod)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, item(item(pod, "spec"), "containers"))
	{
		struct cview v = view_of(pod, c);
		if (v.state == KS_RUNNING || v.state == KS_TERMINATED || v.last)
			return true;
	}
	return false;
}
