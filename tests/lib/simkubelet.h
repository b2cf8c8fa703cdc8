#ifndef PODSCOPE_SIMKUBELET_H
#define PODSCOPE_SIMKUBELET_H

/*
 * An in-process cluster for the kubelet tests: store, clock, events, the
 * scheduler and the kubelets, and nothing else (no HTTP server, no other
 * controllers). Time is stepped by hand from one kubelet wake-up to the
 * next, so every timestamp the kubelet writes is exact. One cluster per test
 * process (prefix tk_, "test kubelet").
 */

#include <stdbool.h>
#include <stdint.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "sim.h"
#include "testjson.h"

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
/* The RFC 3339 time at a tj_get() path in ms, -1 when absent or bad. */
int64_t tk_time(const cJSON *o, const char *path);
/* How many times an event with that reason (and message part, may be NULL) happened. */
int tk_events(const char *pod, const char *reason, const char *msg_part);

/* Every distinct STATUS a pod showed, in order, as watchers saw it. */
void tk_track(const char *name);
const char *tk_seen(void); /* "Pending,ContainerCreating,Running" */

/* The pod's kubectl STATUS is want. */
bool tk_is_status(const char *want, const char *name);
/* A string or number field by path: "" and -1 when absent. */
const char *tk_str(const cJSON *o, const char *path);
double tk_num(const cJSON *o, const char *path);
/* The status ("True", "False") of a pod's condition of that type, "" when none. */
const char *tk_condition(const char *pod, const char *type);
/* The pod is no longer stored (a tk_wait condition). */
bool tk_gone(const char *name);

/* Step until the pod's STATUS is want, failing the test (at the caller's
 * line) after secs of simulated time. */
#define TK_WAIT_STATUS(name, want, secs)                                                           \
	do {                                                                                       \
		int64_t lim_ = tk_now() + (int64_t)(secs)*1000;                                    \
		while (!tk_is_status(want, name) && tk_now() < lim_)                               \
			tk_step(lim_);                                                             \
		ck_assert_msg(tk_is_status(want, name), "%s: STATUS %s, want %s (seen %s)", name,  \
			      tk_status(name), want, tk_seen());                                   \
	} while (0)

#endif
