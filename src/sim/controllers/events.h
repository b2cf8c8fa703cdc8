#ifndef PODSCOPE_SIM_EVENTS_H
#define PODSCOPE_SIM_EVENTS_H

#include <cjson/cJSON.h>

/*
 * Events (core/v1 Event objects), recorded as Kubernetes' event recorder
 * does: one object per (involved object, type, reason, message, source),
 * counted up with a new lastTimestamp when it happens again, and dropped an
 * hour (of simulated time) after it last happened, as the API server's
 * event TTL does.
 */

struct sim;
struct simevents;

struct simevents *simevents_new(void);
void simevents_free(struct simevents *ev);

/* Who reports: component "kubelet" with host the node, "default-scheduler",
 * "deployment-controller", "replicaset-controller", "endpoint-controller". */
struct simevent_source {
	const char *component;
	const char *host; /* NULL when none */
};

/*
 * Record an event about obj (any stored object: its kind, apiVersion,
 * namespace, name, uid and resourceVersion are taken from it). field_path
 * names a container ("spec.containers{nginx}") or is NULL. type is
 * "Normal" or "Warning".
 */
void simevents_record(struct sim *sim, const cJSON *obj, const char *field_path,
		      const struct simevent_source *src, const char *type, const char *reason,
		      const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Delete the events whose lastTimestamp is older than the TTL. */
void simevents_expire(struct sim *sim);

#endif
