#ifndef PODSCOPE_TEST_SIM_KUBELET_H
#define PODSCOPE_TEST_SIM_KUBELET_H

/*
 * An in-process cluster for the kubelet tests: store, clock, events, the
 * scheduler and the kubelets, and nothing else (no HTTP server, no other
 * controllers). Time is stepped by hand from one kubelet wake-up to the
 * next, so every timestamp the kubelet writes is exact.
 */

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "podscope/model.h"
#include "podscope/pod_status.h"

#include "sim.h"

extern struct sim tk_sim;

void tk_setup(void);
void tk_teardown(void);

/* Create an object from YAML (defaults applied as the API server would). */
void tk_create(const char *yaml);
/* The stored pod (borrowed), or NULL. */
const cJSON *tk_pod(const char *name);
/* kubectl's STATUS of a pod ("" when it is gone), at the simulated now. */
const char *tk_status(const char *name);
/* Step the clock to the next wake-up, at most to `limit`; the new now. */
int64_t tk_step(int64_t limit);
/* Step until cond(name) holds or `secs` of simulated time have passed. */
bool tk_wait(bool (*cond)(const char *name), const char *name, int secs);
int64_t tk_now(void);
/* A field by dotted path (array indexes as numbers: "status.containerStatuses.0.ready"). */
const cJSON *tk_get(const cJSON *o, const char *path);
int64_t tk_time(const cJSON *o, const char *path);
/* How many times an event with that reason (and message part, may be NULL) happened. */
int tk_events(const char *pod, const char *reason, const char *msg_part);

/* Every distinct STATUS a pod showed, in order, as watchers saw it. */
void tk_track(const char *name);
const char *tk_seen(void); /* "Pending,ContainerCreating,Running" */

/* Shared by the test files: kubectl STATUS waits and field reads. */
#include <check.h>
#include <string.h>

static inline bool is_status(const char *want, const char *name)
{
	return strcmp(tk_status(name), want) == 0;
}

#define WAIT_STATUS(name, want, secs)                                                              \
	do {                                                                                       \
		int64_t lim_ = tk_now() + (int64_t)(secs)*1000;                                    \
		while (!is_status(want, name) && tk_now() < lim_)                                  \
			tk_step(lim_);                                                             \
		ck_assert_msg(is_status(want, name), "%s: STATUS %s, want %s (seen %s)", name,     \
			      tk_status(name), want, tk_seen());                                   \
	} while (0)

static inline const char *str(const cJSON *o, const char *path)
{
	const cJSON *v = tk_get(o, path);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static inline double num(const cJSON *o, const char *path)
{
	const cJSON *v = tk_get(o, path);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static inline const char *condition(const char *pod, const char *type)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, tk_get(tk_pod(pod), "status.conditions"))
	{
		if (strcmp(str(c, "type"), type) == 0)
			return str(c, "status");
	}
	return "";
}

static inline bool gone(const char *name)
{
	return tk_pod(name) == NULL;
}

/* The probe and hook tests (test_sim_kubelet_probe.c). */
TCase *tk_probe_tcase(void);
TCase *tk_procsim_tcase(void);

#endif
