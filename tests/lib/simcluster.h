#ifndef PODSCOPE_SIMCLUSTER_H
#define PODSCOPE_SIMCLUSTER_H

/*
 * An in-process cluster with only the deployment and ReplicaSet controllers
 * and a trivial kubelet played by the library (it binds pods to a node, marks
 * them Running and Ready after a delay on the simulated clock, and removes
 * Terminating pods after another), so the tests that use it depend on nothing
 * but the store, the clock and the two controllers. One cluster per test
 * process (prefix tc_, "test cluster").
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "podscope/rollout.h"

#include "sim.h"
#include "simobj.h"

/* Simulated seconds per real second. */
#define TC_SPEED 200.0

struct tc_cluster {
	struct sim sim;
	const struct simres *pods, *rss, *deps, *evs;
	/* The trivial kubelet's timings and its brake; the test may change them. */
	struct {
		int64_t ready_ms; /* from binding to Ready */
		int64_t term_ms;  /* from deletionTimestamp to gone */
		bool hold;        /* no pod becomes ready while set */
	} kubelet;
};

/* Start the cluster; it is valid until tc_down(). */
struct tc_cluster *tc_up(void);
/* The same at another speed: a test that bounds simulated durations from
 * above runs slower, so a loaded machine (valgrind, parallel tests) delays
 * the loop by fewer simulated seconds. */
struct tc_cluster *tc_up_speed(double speed);
void tc_down(void);

/* Run the loop until cond(ud) holds; false after real_ms of real time. */
bool tc_run_until(bool (*cond)(void *), void *ud, int64_t real_ms);
/* Let sim_ms of simulated time pass, whatever happens. */
void tc_run_for(int64_t sim_ms);

/* A Deployment in "default" as `kubectl create` would store it (the API
 * server's defaults); extra is more JSON members of its spec, or NULL. */
void tc_create_deploy(const char *name, int replicas, const char *image, const char *extra);
/* A copy of the stored Deployment, and storing it back (it is consumed). */
cJSON *tc_dep_copy(const char *name);
void tc_dep_put(cJSON *j);
/* o.a.b, or NULL. */
cJSON *tc_jpath(const cJSON *o, const char *a, const char *b);
void tc_set_image(const char *name, const char *image);
void tc_set_spec_int(const char *name, const char *key, int v);
void tc_set_paused(const char *name, bool paused);

/* `kubectl rollout status` for the deployment now, by podscope's rollout code. */
int tc_status_of(const char *name, struct rollout_result *r);
/* The Progressing condition's reason ("" when none), and its message. */
const char *tc_progressing(const char *name, const char **message);
/* Wait (20 s of real time) until the rollout is done, failing the test if not. */
void tc_wait_rolled_out(const char *name);

/* The ReplicaSets of a deployment (by name prefix "<name>-"), up to max
 * (borrowed until the next store change). */
size_t tc_rs_of(const char *name, struct simobj **out, size_t max);
struct simobj *tc_rs_by_image(const char *name, const char *image);
/* An annotation's value, or NULL. */
const char *tc_annot(const struct simobj *o, const char *key);
/* rs.part.key as an integer, 0 when absent. */
int tc_rs_int(const struct simobj *rs, const char *part, const char *key);

/* An event whose message is msg (or starts with it); reason NULL: any. */
bool tc_has_event(const char *reason, const char *msg);
bool tc_has_event_prefix(const char *reason, const char *msg);

#endif
