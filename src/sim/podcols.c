#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "podcols.h"
#include "util.h"

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static long long num(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);
	return cJSON_IsNumber(v) ? (long long)v->valuedouble : 0;
}

static bool truthy(const cJSON *o, const char *k)
{
	return cJSON_IsTrue(get(o, k));
}

/* The later of *last and lastState.terminated.finishedAt of a container status. */
static void note_restart(const cJSON *cs, time_t *last)
{
	const cJSON *term = get(get(cs, "lastState"), "terminated");
	time_t t = simutil_parse_rfc3339(str(term, "finishedAt"));
	if (term && t > 0 && t > *last)
		*last = t;
}

static bool restartable_init(const cJSON *spec, const char *name)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, get(spec, "initContainers"))
	{
		if (strcmp(str(c, "name"), name) == 0)
			return strcmp(str(c, "restartPolicy"), "Always") == 0;
	}
	return false;
}

static const cJSON *condition(const cJSON *status, const char *type)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, get(status, "conditions"))
	{
		if (strcmp(str(c, "type"), type) == 0)
			return c;
	}
	return NULL;
}

static void terminated_reason(const cJSON *term, const char *prefix, char *out, size_t len)
{
	const char *reason = str(term, "reason");
	if (*reason)
		snprintf(out, len, "%s%s", prefix, reason);
	else if (num(term, "signal"))
		snprintf(out, len, "%sSignal:%lld", prefix, num(term, "signal"));
	else
		snprintf(out, len, "%sExitCode:%lld", prefix, num(term, "exitCode"));
}

void simpod_columns(const cJSON *pod, time_t now, struct podcols *out)
{
	const cJSON *spec = get(pod, "spec");
	const cJSON *status = get(pod, "status");
	char reason[sizeof(out->status)];
	long long restarts = 0, sidecar_restarts = 0, ready = 0;
	long long total = cJSON_GetArraySize(get(spec, "containers"));
	time_t last = 0, last_sidecar = 0;
	const cJSON *c;

	snprintf(reason, sizeof(reason), "%s", str(status, "phase"));
	if (*str(status, "reason"))
		snprintf(reason, sizeof(reason), "%s", str(status, "reason"));
	cJSON_ArrayForEach(c, get(status, "conditions"))
	{
		if (strcmp(str(c, "type"), "PodScheduled") == 0 &&
		    strcmp(str(c, "reason"), "SchedulingGated") == 0)
			snprintf(reason, sizeof(reason), "SchedulingGated");
	}
	cJSON_ArrayForEach(c, get(spec, "initContainers"))
	{
		if (strcmp(str(c, "restartPolicy"), "Always") == 0)
			total++;
	}

	bool initializing = false;
	int i = 0;
	int ninit = cJSON_GetArraySize(get(spec, "initContainers"));
	cJSON_ArrayForEach(c, get(status, "initContainerStatuses"))
	{
		const cJSON *state = get(c, "state");
		const cJSON *term = get(state, "terminated");
		const cJSON *wait = get(state, "waiting");
		bool sidecar = restartable_init(spec, str(c, "name"));
		restarts += num(c, "restartCount");
		note_restart(c, &last);
		if (sidecar) {
			sidecar_restarts += num(c, "restartCount");
			note_restart(c, &last_sidecar);
		}
		if (term && num(term, "exitCode") == 0) {
			i++;
			continue;
		}
		if (sidecar && truthy(c, "started")) {
			if (truthy(c, "ready"))
				ready++;
			i++;
			continue;
		}
		if (term)
			terminated_reason(term, "Init:", reason, sizeof(reason));
		else if (wait && *str(wait, "reason") &&
		         strcmp(str(wait, "reason"), "PodInitializing") != 0)
			snprintf(reason, sizeof(reason), "Init:%s", str(wait, "reason"));
		else
			snprintf(reason, sizeof(reason), "Init:%d/%d", i, ninit);
		initializing = true;
		break;
	}

	const cJSON *initialized = condition(status, "Initialized");
	if (!initializing || (initialized && strcmp(str(initialized, "status"), "True") == 0)) {
		restarts = sidecar_restarts;
		last = last_sidecar;
		bool has_running = false;
		const cJSON *cs = get(status, "containerStatuses");
		for (int k = cJSON_GetArraySize(cs) - 1; k >= 0; k--) {
			const cJSON *s = cJSON_GetArrayItem(cs, k);
			const cJSON *state = get(s, "state");
			const cJSON *term = get(state, "terminated");
			const cJSON *wait = get(state, "waiting");
			restarts += num(s, "restartCount");
			note_restart(s, &last);
			if (wait && *str(wait, "reason"))
				snprintf(reason, sizeof(reason), "%s", str(wait, "reason"));
			else if (term)
				terminated_reason(term, "", reason, sizeof(reason));
			else if (truthy(s, "ready") && get(state, "running")) {
				has_running = true;
				ready++;
			}
		}
		if (strcmp(reason, "Completed") == 0 && has_running) {
			const cJSON *rc = condition(status, "Ready");
			snprintf(reason, sizeof(reason), "%s",
			         rc && strcmp(str(rc, "status"), "True") == 0 ? "Running"
			                                                      : "NotReady");
		}
	}

	const char *phase = str(status, "phase");
	if (*str(get(pod, "metadata"), "deletionTimestamp")) {
		if (strcmp(str(status, "reason"), "NodeLost") == 0)
			snprintf(reason, sizeof(reason), "Unknown");
		else if (strcmp(phase, "Failed") != 0 && strcmp(phase, "Succeeded") != 0)
			snprintf(reason, sizeof(reason), "Terminating");
	}

	snprintf(out->status, sizeof(out->status), "%s", reason);
	snprintf(out->ready, sizeof(out->ready), "%d/%d", (int)ready, (int)total);
	out->restart_count = restarts;
	if (restarts != 0 && last > 0) {
		char ago[SIMUTIL_TIME_LEN];
		simutil_human_duration((long long)(now - last), ago);
		snprintf(out->restarts, sizeof(out->restarts), "%lld (%s ago)", restarts, ago);
	} else {
		snprintf(out->restarts, sizeof(out->restarts), "%lld", restarts);
	}
}
