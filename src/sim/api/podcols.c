#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "podcols.h"
#include "printer.h"

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

/* The int32 fields (restartCount, exitCode, signal); a value the API
 * would refuse is pinned to the type's range rather than trusted. */
static long long num(const cJSON *o, const char *k)
{
	return simprint_int(o, k, 0);
}

/* A pointer field of the Go struct: present and not null. */
static const cJSON *set(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);
	return v && !cJSON_IsNull(v) ? v : NULL;
}

/* What the row loop carries from one container to the next. */
struct walk {
	long long restarts;
	int64_t last_restart; /* ms; 0 is Go's zero time */
	int ready;
	char reason[512];
};

/* The latest lastState.terminated.finishedAt wins ("Before" is strict). */
static void note_restart(const cJSON *cs, long long *restarts, int64_t *last)
{
	*restarts += num(cs, "restartCount");
	const cJSON *term = set(set(cs, "lastState"), "terminated");
	if (!term)
		return;
	int64_t t = simprint_time_ms(str(term, "finishedAt"));
	if (t > *last)
		*last = t;
}

/* The spec's init container with this name has restartPolicy Always (a
 * sidecar). With several of one name, the last one counts, as a Go map
 * filled in order would have it. */
static bool restartable(const cJSON *spec, const char *name)
{
	const cJSON *c, *found = NULL;
	cJSON_ArrayForEach(c, get(spec, "initContainers"))
	{
		if (strcmp(str(c, "name"), name) == 0)
			found = c;
	}
	return found && strcmp(str(found, "restartPolicy"), "Always") == 0;
}

/* The first condition of this type has status True. */
static bool first_condition_true(const cJSON *status, const char *type)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, get(status, "conditions"))
	{
		if (strcmp(str(c, "type"), type) == 0)
			return strcmp(str(c, "status"), "True") == 0;
	}
	return false;
}

/* Any condition of this type has status True. */
static bool any_condition_true(const cJSON *status, const char *type)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, get(status, "conditions"))
	{
		if (strcmp(str(c, "type"), type) == 0 && strcmp(str(c, "status"), "True") == 0)
			return true;
	}
	return false;
}

/* The init containers, in status order. Returns true while one of them
 * still holds the pod in initialisation (its reason then in w->reason). */
static bool walk_init(const cJSON *spec, const cJSON *status, struct walk *w,
		      long long *side_restarts, int64_t *side_last)
{
	int total = cJSON_GetArraySize(get(spec, "initContainers"));
	int i = 0;
	const cJSON *cs;
	cJSON_ArrayForEach(cs, get(status, "initContainerStatuses"))
	{
		int idx = i++;
		bool sidecar = restartable(spec, str(cs, "name"));
		note_restart(cs, &w->restarts, &w->last_restart);
		if (sidecar)
			note_restart(cs, side_restarts, side_last);
		const cJSON *state = get(cs, "state");
		const cJSON *term = set(state, "terminated"), *wait = set(state, "waiting");
		if (term && num(term, "exitCode") == 0)
			continue;
		if (sidecar && cJSON_IsTrue(get(cs, "started"))) {
			w->ready += cJSON_IsTrue(get(cs, "ready"));
			continue;
		}
		if (term) {
			if (*str(term, "reason"))
				snprintf(w->reason, sizeof(w->reason), "Init:%s",
					 str(term, "reason"));
			else if (num(term, "signal"))
				snprintf(w->reason, sizeof(w->reason), "Init:Signal:%lld",
					 num(term, "signal"));
			else
				snprintf(w->reason, sizeof(w->reason), "Init:ExitCode:%lld",
					 num(term, "exitCode"));
		} else if (wait && *str(wait, "reason") &&
			   strcmp(str(wait, "reason"), "PodInitializing") != 0) {
			snprintf(w->reason, sizeof(w->reason), "Init:%s", str(wait, "reason"));
		} else {
			snprintf(w->reason, sizeof(w->reason), "Init:%d/%d", idx, total);
		}
		return true;
	}
	return false;
}

/* The regular containers, last to first, so that the first one's state
 * has the last word. */
static void walk_containers(const cJSON *status, struct walk *w)
{
	const cJSON *list = get(status, "containerStatuses");
	size_t n = (size_t)cJSON_GetArraySize(list), k = 0;
	const cJSON **v = xcalloc(n ? n : 1, sizeof(*v));
	const cJSON *cs;
	cJSON_ArrayForEach(cs, list)
	{
		v[k++] = cs;
	}
	bool running = false;
	while (k--) {
		cs = v[k];
		note_restart(cs, &w->restarts, &w->last_restart);
		const cJSON *state = get(cs, "state");
		const cJSON *term = set(state, "terminated"), *wait = set(state, "waiting");
		if (wait && *str(wait, "reason")) {
			snprintf(w->reason, sizeof(w->reason), "%s", str(wait, "reason"));
		} else if (term && *str(term, "reason")) {
			snprintf(w->reason, sizeof(w->reason), "%s", str(term, "reason"));
		} else if (term) {
			if (num(term, "signal"))
				snprintf(w->reason, sizeof(w->reason), "Signal:%lld",
					 num(term, "signal"));
			else
				snprintf(w->reason, sizeof(w->reason), "ExitCode:%lld",
					 num(term, "exitCode"));
		} else if (cJSON_IsTrue(get(cs, "ready")) && set(state, "running")) {
			running = true;
			w->ready++;
		}
	}
	free(v);
	/* A container still running keeps a pod whose first container has
	 * completed from reading "Completed". */
	if (running && strcmp(w->reason, "Completed") == 0)
		snprintf(w->reason, sizeof(w->reason), "%s",
			 any_condition_true(status, "Ready") ? "Running" : "NotReady");
}

static void readiness_gates(const cJSON *pod, struct podcols *out)
{
	const cJSON *gates = get(get(pod, "spec"), "readinessGates");
	int n = cJSON_GetArraySize(gates), ok = 0;
	if (!n) {
		snprintf(out->gates, sizeof(out->gates), "<none>");
		return;
	}
	const cJSON *g, *c;
	cJSON_ArrayForEach(g, gates)
	{
		cJSON_ArrayForEach(c, get(get(pod, "status"), "conditions"))
		{
			if (strcmp(str(c, "type"), str(g, "conditionType")) == 0) {
				ok += strcmp(str(c, "status"), "True") == 0;
				break;
			}
		}
	}
	snprintf(out->gates, sizeof(out->gates), "%d/%d", ok, n);
}

void simpod_columns(const cJSON *pod, time_t now, struct podcols *out)
{
	const cJSON *spec = get(pod, "spec"), *status = get(pod, "status");
	const char *phase = str(status, "phase");
	struct walk w = {0};
	memset(out, 0, sizeof(*out));

	snprintf(w.reason, sizeof(w.reason), "%s",
		 *str(status, "reason") ? str(status, "reason") : phase);
	const cJSON *c;
	cJSON_ArrayForEach(c, get(status, "conditions"))
	{
		if (strcmp(str(c, "type"), "PodScheduled") == 0 &&
		    strcmp(str(c, "reason"), "SchedulingGated") == 0)
			snprintf(w.reason, sizeof(w.reason), "SchedulingGated");
	}
	if (strcmp(phase, "Succeeded") == 0)
		out->row = PODCOLS_ROW_SUCCEEDED;
	else if (strcmp(phase, "Failed") == 0)
		out->row = PODCOLS_ROW_FAILED;

	int total = cJSON_GetArraySize(get(spec, "containers"));
	cJSON_ArrayForEach(c, get(spec, "initContainers"))
	{
		total += strcmp(str(c, "restartPolicy"), "Always") == 0;
	}

	long long side_restarts = 0;
	int64_t side_last = 0;
	bool initializing = walk_init(spec, status, &w, &side_restarts, &side_last);
	/* Once initialised, only the sidecars' restarts stay in the count. */
	if (!initializing || first_condition_true(status, "Initialized")) {
		w.restarts = side_restarts;
		w.last_restart = side_last;
		walk_containers(status, &w);
	}

	if (set(get(pod, "metadata"), "deletionTimestamp")) {
		if (strcmp(str(status, "reason"), "NodeLost") == 0)
			snprintf(w.reason, sizeof(w.reason), "Unknown");
		else if (strcmp(phase, "Failed") != 0 && strcmp(phase, "Succeeded") != 0)
			snprintf(w.reason, sizeof(w.reason), "Terminating");
	}

	snprintf(out->status, sizeof(out->status), "%s", w.reason);
	snprintf(out->ready, sizeof(out->ready), "%d/%d", w.ready, total);
	out->restart_count = w.restarts;
	if (w.restarts != 0 && w.last_restart != 0) {
		char ago[SIMPRINT_TIME_LEN];
		simprint_human_duration((int64_t)now * 1000 - w.last_restart, ago);
		snprintf(out->restarts, sizeof(out->restarts), "%lld (%s ago)", w.restarts, ago);
	} else {
		snprintf(out->restarts, sizeof(out->restarts), "%lld", w.restarts);
	}
	readiness_gates(pod, out);
}
