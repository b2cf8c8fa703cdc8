#ifndef PODSCOPE_MODEL_H
#define PODSCOPE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "podscope/err.h"
#include "podscope/intstr.h"

/*
 * The plain structs the status algorithms work on: only the fields kubectl,
 * the kubelet and the deployment controller look at, nothing else.
 *
 * Strings are `const char *` owned by someone else (the store interns them;
 * the decoders below put them in an arena). NULL and "" both mean "absent"
 * and every function in core treats them alike. Times are int64
 * milliseconds since the epoch, 0 meaning unset.
 */

struct cJSON;

/* An optional API boolean (*bool). */
enum model_tri { MODEL_UNSET = 0, MODEL_FALSE, MODEL_TRUE };

/* A condition's status: "True", "False"; anything else is Unknown. */
enum model_cond { MODEL_COND_UNKNOWN = 0, MODEL_COND_TRUE, MODEL_COND_FALSE };

struct pod_condition {
	const char *type; /* "Ready", "Initialized", "PodScheduled", a readiness gate ... */
	const char *reason;
	const char *message;
	int64_t last_transition;
	uint8_t status; /* enum model_cond */
};

enum container_state_kind {
	CSTATE_NONE = 0, /* the API sent no state at all */
	CSTATE_WAITING,
	CSTATE_RUNNING,
	CSTATE_TERMINATED,
};

/*
 * One of state.waiting / running / terminated. The kubelet only ever sets
 * one; when an object carries several, the decoder keeps the one kubectl's
 * container loop looks at first: waiting, then terminated, then running.
 */
struct container_state {
	const char *reason;  /* waiting.reason or terminated.reason */
	const char *message; /* waiting.message or terminated.message */
	int64_t started_at;  /* running.startedAt or terminated.startedAt */
	int64_t finished_at; /* terminated.finishedAt */
	int32_t exit_code;   /* terminated */
	int32_t signal;      /* terminated */
	uint8_t kind;        /* enum container_state_kind */
};

struct container_status {
	const char *name;
	struct container_state state;
	struct container_state last; /* lastState; kubectl reads only a terminated one */
	int32_t restart_count;
	uint8_t ready;   /* bool */
	uint8_t started; /* enum model_tri */
};

/* A container of the spec, as far as status needs it. */
struct container_spec {
	const char *name;
	uint8_t restartable; /* an init container with restartPolicy: Always (sidecar) */
};

enum pod_restart_policy { POD_RESTART_ALWAYS = 0, POD_RESTART_ON_FAILURE, POD_RESTART_NEVER };

struct pod {
	const char *namespace;
	const char *name;
	const char *uid;
	const char *phase;  /* status.phase verbatim (kubectl prints any string) */
	const char *reason; /* status.reason: Evicted, NodeLost, ... */
	const char *message;
	const char *node_name;           /* spec.nodeName */
	const char *nominated_node_name; /* status.nominatedNodeName */
	const char *pod_ip;              /* status.podIPs[0].ip (or status.podIP) */
	int64_t created;                 /* metadata.creationTimestamp */
	int64_t deleted;                 /* metadata.deletionTimestamp; 0: not being deleted */
	struct pod_condition *conditions;
	struct container_spec *init_specs; /* spec.initContainers */
	struct container_spec *specs;      /* spec.containers */
	struct container_status *init_statuses;
	struct container_status *statuses;
	const char **readiness_gates; /* spec.readinessGates[].conditionType */
	uint16_t n_conditions;
	uint16_t n_init_specs;
	uint16_t n_specs;
	uint16_t n_init_statuses;
	uint16_t n_statuses;
	uint16_t n_readiness_gates;
	uint8_t restart_policy; /* enum pod_restart_policy */
};

struct deploy_condition {
	const char *type; /* "Progressing", "Available", "ReplicaFailure" */
	const char *reason;
	const char *message;
	int64_t last_update;
	int64_t last_transition;
	uint8_t status; /* enum model_cond */
};

struct deployment {
	const char *namespace;
	const char *name;
	const char *uid;
	const char *revision; /* annotation deployment.kubernetes.io/revision */
	int64_t created;
	int64_t generation;
	int64_t observed_generation;
	struct deploy_strategy strategy;
	int32_t spec_replicas; /* valid when has_spec_replicas */
	int32_t min_ready_seconds;
	int32_t progress_deadline_seconds; /* -1: unset */
	int32_t replicas;
	int32_t updated_replicas;
	int32_t ready_replicas;
	int32_t available_replicas;
	int32_t unavailable_replicas;
	struct deploy_condition *conditions;
	uint16_t n_conditions;
	uint8_t has_spec_replicas;
	uint8_t paused;
};

struct replicaset {
	const char *namespace;
	const char *name;
	const char *uid;
	const char *owner_uid;         /* the controller ownerReference's uid */
	const char *revision;          /* annotation deployment.kubernetes.io/revision */
	const char *pod_template_hash; /* label pod-template-hash */
	int64_t created;
	int64_t generation;
	int64_t observed_generation;
	int32_t spec_replicas; /* valid when has_spec_replicas */
	int32_t replicas;
	int32_t ready_replicas;
	int32_t available_replicas;
	uint8_t has_spec_replicas;
};

/* The first condition of that type, or NULL. */
const struct pod_condition *model_pod_condition(const struct pod *p, const char *type);
const struct deploy_condition *model_deploy_condition(const struct deployment *d,
						      const char *type);

/*
 * An arena: everything a decoder allocates for one object, freed at once.
 * Zero-initialise it (MODEL_ARENA_INIT); model_arena_free leaves it empty
 * and reusable. Allocation failure aborts, as xmalloc does.
 */
struct model_arena {
	struct model_arena_chunk *chunks;
};
#define MODEL_ARENA_INIT {NULL}

void *model_arena_alloc(struct model_arena *a, size_t n); /* zeroed, 8-byte aligned */
const char *model_arena_strdup(struct model_arena *a, const char *s);
void model_arena_free(struct model_arena *a);

/*
 * How decoders store strings: through intern (say, the store's string
 * table) when it is set, otherwise copied into the arena. intern gets a
 * NUL-terminated string and must return a pointer that outlives the object.
 */
struct model_decode_opts {
	const char *(*intern)(void *ctx, const char *s);
	void *ctx;
};

/*
 * cJSON objects (a Pod, a Deployment, a ReplicaSet as the API serves them)
 * to the structs above. Every array and, without an intern hook, every
 * string lives in *arena; the cJSON tree may be freed right after. Missing
 * or mistyped fields are left at their zero value; strings are never NULL.
 * opts may be NULL. Returns 0, or -1 with err (PERR_API) when obj is not a
 * JSON object.
 */
int model_decode_pod(const struct cJSON *obj, struct pod *out, struct model_arena *arena,
		     const struct model_decode_opts *opts, struct perr *err);
int model_decode_deployment(const struct cJSON *obj, struct deployment *out,
			    struct model_arena *arena, const struct model_decode_opts *opts,
			    struct perr *err);
int model_decode_replicaset(const struct cJSON *obj, struct replicaset *out,
			    struct model_arena *arena, const struct model_decode_opts *opts,
			    struct perr *err);

#endif
