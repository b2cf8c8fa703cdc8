#ifndef PODSCOPE_MODEL_H
#define PODSCOPE_MODEL_H

#include <stdbool.h>
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

/*
 * Times and small enums share a word where a pod holds many of them (a pod
 * is ~80% of what the store holds): 56 bits of Unix milliseconds reach far
 * past any date the API can write (RFC 3339 stops at year 9999).
 */
/* A condition's reason and message, apart: most conditions have neither. */
struct cond_text {
	const char *reason;
	const char *message;
};

struct pod_condition {
	const char *type;       /* "Ready", "Initialized", "PodScheduled", a readiness gate */
	struct cond_text *text; /* NULL: no reason, no message (read with model_cond_*) */
	int64_t last_transition : 56;
	uint8_t status; /* enum model_cond */
};

static inline const char *model_cond_reason(const struct pod_condition *c)
{
	return c->text && c->text->reason ? c->text->reason : "";
}

static inline const char *model_cond_message(const struct pod_condition *c)
{
	return c->text && c->text->message ? c->text->message : "";
}

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
	int32_t signal : 24; /* terminated; 24 bits hold any signal number */
	uint8_t kind;        /* enum container_state_kind */
};

struct container_status {
	const char *name;
	struct container_state state;
	/* lastState, NULL when the API sent none (most containers: a pointer
	 * costs 8 bytes where the struct would cost 40); kubectl reads only a
	 * terminated one: model_last_terminated. */
	struct container_state *last;
	int32_t restart_count;
	uint8_t ready;   /* bool */
	uint8_t started; /* enum model_tri */
};

/* A label, annotation or selector pair. */
struct model_kv {
	const char *key;
	const char *value;
};

/* metadata.ownerReferences[] */
/* The container's previous instance, when it terminated; else NULL. */
static inline const struct container_state *
model_last_terminated(const struct container_status *cs)
{
	return cs->last && cs->last->kind == CSTATE_TERMINATED ? cs->last : NULL;
}

struct owner_ref {
	const char *kind; /* "ReplicaSet", "Job", "StatefulSet", "DaemonSet", ... */
	const char *name;
	const char *uid;
	uint8_t controller; /* bool */
};

enum probe_kind { PROBE_NONE = 0, PROBE_HTTP, PROBE_TCP, PROBE_EXEC, PROBE_GRPC };

/*
 * A startup, readiness or liveness probe with the API server's defaults
 * filled in (period 10 s, timeout 1 s, success 1, failure 3), so the
 * numbers are what the kubelet uses.
 */
struct probe {
	const char *target; /* HTTP: the path; exec: the command joined by spaces; grpc: service */
	const char *port_name; /* a named port ("http"), "" when numeric */
	int32_t port;          /* a numeric port, 0 when named or for exec */
	int32_t initial_delay_s;
	int32_t period_s;
	int32_t timeout_s;
	int32_t success_threshold;
	int32_t failure_threshold;
	uint8_t kind; /* enum probe_kind */
};

enum hook_kind { HOOK_NONE = 0, HOOK_EXEC, HOOK_HTTP, HOOK_TCP, HOOK_SLEEP };

/* A lifecycle hook (postStart, preStop). */
struct hook {
	const char *target; /* exec: the command joined by spaces; HTTP: the path */
	int32_t port;       /* HTTP/TCP numeric port; HOOK_SLEEP: the seconds */
	uint8_t kind;       /* enum hook_kind */
};

/* A container of the spec. Probes and hooks are NULL when absent. */
struct container_spec {
	const char *name;
	const char *image;
	struct probe *startup;
	struct probe *readiness;
	struct probe *liveness;
	struct hook *post_start;
	struct hook *pre_stop;
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
	/* Only the conditions the model reads: PodScheduled, Initialized,
	 * Ready and the readiness gates' types (ContainersReady and
	 * PodReadyToStartContainers say nothing Ready does not). */
	struct pod_condition *conditions;
	struct container_spec *init_specs; /* spec.initContainers */
	struct container_spec *specs;      /* spec.containers */
	struct container_status *init_statuses;
	struct container_status *statuses;
	const char **readiness_gates; /* spec.readinessGates[].conditionType */
	struct model_kv *labels;
	struct owner_ref *owners; /* metadata.ownerReferences */
	int64_t start_time;       /* status.startTime */
	int32_t grace_period_s;   /* metadata.deletionGracePeriodSeconds, -1: unset */
	uint16_t n_labels;
	uint16_t n_owners;
	uint16_t n_conditions;
	uint16_t n_init_specs;
	uint16_t n_specs;
	uint16_t n_init_statuses;
	uint16_t n_statuses;
	uint16_t n_readiness_gates;
	uint8_t restart_policy; /* enum pod_restart_policy */
	uint8_t implied_labels; /* POD_LABEL_*: labels folded out of labels[] */
};

/* A StatefulSet pod's labels that only restate its name (pod_labels.c):
 * kept as bits, read back through pod_label and pod_labels_match. */
enum { POD_LABEL_NAME = 1, POD_LABEL_INDEX = 2 };
bool pod_implied_label(void *pod, const char *key, const char *value);
const char *pod_label(const struct pod *p, const char *key);
bool pod_labels_match(const struct pod *p, const struct model_kv *sel, uint16_t n_sel,
		      bool empty_matches_none);

struct deploy_condition {
	const char *type; /* "Progressing", "Available", "ReplicaFailure" */
	const char *reason;
	const char *message;
	int64_t last_update;
	int64_t last_transition;
	uint8_t status; /* enum model_cond */
};

/* A selector's matchExpressions[] entry. */
struct label_expr {
	const char *key;
	const char *op; /* In, NotIn, Exists, DoesNotExist */
	const char **values;
	uint16_t n_values;
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
	const char *change_cause; /* annotation kubernetes.io/change-cause */
	const char *restarted_at; /* template annotation kubectl.kubernetes.io/restartedAt */
	struct model_kv *labels;
	struct model_kv *match_labels;  /* spec.selector.matchLabels */
	struct label_expr *match_exprs; /* spec.selector.matchExpressions */
	const char **images;            /* spec.template: containers' images, in order */
	const char **init_images;       /* spec.template: init containers' images */
	uint16_t n_conditions;
	uint16_t n_labels;
	uint16_t n_match_labels;
	uint16_t n_match_exprs;
	uint16_t n_images;
	uint16_t n_init_images;
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
	int32_t fully_labeled_replicas;
	struct model_kv *labels;
	struct owner_ref *owners;
	const char **images;      /* spec.template: containers' images, in order */
	const char **init_images; /* spec.template: init containers' images */
	uint16_t n_labels;
	uint16_t n_owners;
	uint16_t n_images;
	uint16_t n_init_images;
	uint8_t has_spec_replicas;
	uint16_t n_conditions;
	struct deploy_condition *conditions; /* status.conditions: ReplicaFailure */
};

struct service_port {
	const char *name;
	const char *protocol; /* "TCP" (the default), "UDP", "SCTP" */
	struct intstr target_port;
	int32_t port;
	int32_t node_port;
};

struct service {
	const char *namespace;
	const char *name;
	const char *uid;
	const char *type;       /* ClusterIP (the default), NodePort, LoadBalancer, ExternalName */
	const char *cluster_ip; /* spec.clusterIP */
	int64_t created;
	struct model_kv *labels;
	struct model_kv *selector; /* spec.selector; none: the Service selects no pods */
	struct service_port *ports;
	uint16_t n_labels;
	uint16_t n_selector;
	uint16_t n_ports;
};

/* One address of a v1 Endpoints object (all subsets flattened). */
struct endpoint_address {
	const char *ip;
	const char *target_kind; /* targetRef.kind, usually "Pod" */
	const char *target_name;
	const char *node_name;
	uint8_t ready; /* from addresses (true) or notReadyAddresses (false) */
};

struct endpoint_port {
	const char *name;
	const char *protocol;
	int32_t port;
};

struct endpoints {
	const char *namespace;
	const char *name; /* the Service's name */
	const char *uid;
	int64_t created;
	struct endpoint_address *addresses;
	struct endpoint_port *ports; /* the ports of the first subset that has any */
	uint16_t n_addresses;
	uint16_t n_ports;
	uint16_t n_ready;
};

/* core/v1 Event (events.k8s.io fields folded in where core/v1 leaves them empty). */
struct event {
	const char *namespace;
	const char *name;
	const char *uid;
	const char *involved_kind;
	const char *involved_namespace;
	const char *involved_name;
	const char *involved_uid;
	const char *involved_field; /* involvedObject.fieldPath: "spec.containers{web}" */
	const char *reason;         /* Scheduled, Pulling, Unhealthy, BackOff, ... */
	const char *message;
	const char *source; /* source.component, else reportingComponent */
	int64_t first;      /* firstTimestamp, else eventTime */
	int64_t last;       /* lastTimestamp, else series.lastObservedTime, else first */
	int32_t count;      /* count, else series.count, else 1 */
	uint8_t warning;    /* type == "Warning" */
};

struct namespace_obj {
	const char *name;
	const char *uid;
	const char *phase; /* Active, Terminating */
	int64_t created;
	int64_t deleted;
	struct model_kv *labels;
	uint16_t n_labels;
};

/* spec.updateStrategy.type of a StatefulSet or DaemonSet, as the object says it. */
enum update_strategy_type {
	UPDATE_STRATEGY_NONE = 0, /* absent or "" (kubectl's viewers refuse it, like OnDelete) */
	UPDATE_ROLLING_UPDATE,
	UPDATE_ON_DELETE,
	UPDATE_STRATEGY_OTHER, /* anything else */
};

/*
 * What StatefulSets and DaemonSets both hold: identity, the generations,
 * labels, the selector and the pod template's images.
 */
struct workload {
	const char *namespace;
	const char *name;
	const char *uid;
	int64_t created;
	int64_t generation;
	int64_t observed_generation; /* status.observedGeneration */
	struct model_kv *labels;
	struct model_kv *match_labels;  /* spec.selector.matchLabels */
	struct label_expr *match_exprs; /* spec.selector.matchExpressions */
	const char **images;            /* spec.template: containers' images, in order */
	const char **init_images;       /* spec.template: init containers' images */
	uint16_t n_labels;
	uint16_t n_match_labels;
	uint16_t n_match_exprs;
	uint16_t n_images;
	uint16_t n_init_images;
};

/* apps/v1 StatefulSet. */
struct statefulset {
	struct workload w;
	const char *pod_management_policy; /* spec.podManagementPolicy verbatim ("" when absent) */
	const char *service_name;          /* spec.serviceName */
	const char *current_revision;      /* status.currentRevision */
	const char *update_revision;       /* status.updateRevision */
	struct intstr max_unavailable;     /* spec.updateStrategy.rollingUpdate.maxUnavailable */
	int32_t spec_replicas;             /* valid when has_spec_replicas */
	int32_t partition;                 /* rollingUpdate.partition, valid when has_partition */
	int32_t min_ready_seconds;
	int32_t ordinals_start; /* spec.ordinals.start */
	int32_t replicas;
	int32_t ready_replicas;
	int32_t current_replicas;
	int32_t updated_replicas;
	int32_t available_replicas;
	int32_t collision_count;    /* valid when has_collision_count */
	uint8_t update_strategy;    /* enum update_strategy_type */
	uint8_t has_rolling_update; /* spec.updateStrategy.rollingUpdate is an object */
	uint8_t has_spec_replicas;
	uint8_t has_partition;
	uint8_t has_collision_count;
};

/* Where a pod template may run: spec.tolerations[] entry. */
struct toleration {
	const char *key;
	const char *op;     /* Equal (or ""), Exists */
	const char *value;
	const char *effect; /* "" (every effect), NoSchedule, PreferNoSchedule, NoExecute */
};

/* A requiredDuringSchedulingIgnoredDuringExecution nodeSelectorTerm. */
struct node_term {
	struct label_expr *exprs;  /* matchExpressions: In, NotIn, Exists, DoesNotExist, Gt, Lt */
	struct label_expr *fields; /* matchFields (metadata.name In/NotIn) */
	uint16_t n_exprs;
	uint16_t n_fields;
};

/* Caps on what a template's placement keeps (beyond: dropped, *_capped set). */
#define MODEL_MAX_TOLERATIONS 128
#define MODEL_MAX_NODE_TERMS  32

/* apps/v1 DaemonSet. */
struct daemonset {
	struct workload w;
	struct intstr max_unavailable; /* spec.updateStrategy.rollingUpdate.maxUnavailable */
	struct intstr max_surge;       /* spec.updateStrategy.rollingUpdate.maxSurge */
	int32_t min_ready_seconds;
	int32_t current_number_scheduled;
	int32_t number_misscheduled;
	int32_t desired_number_scheduled;
	int32_t number_ready;
	int32_t updated_number_scheduled;
	int32_t number_available;
	int32_t number_unavailable;
	int32_t collision_count; /* valid when has_collision_count */
	uint8_t update_strategy; /* enum update_strategy_type */
	uint8_t has_collision_count;
	/* spec.template.spec placement: what NodeShouldRunDaemonPod reads. */
	struct model_kv *node_selector;
	struct toleration *tolerations;
	struct node_term *node_terms; /* affinity.nodeAffinity.required...nodeSelectorTerms */
	const char *tmpl_node_name;   /* spec.template.spec.nodeName */
	uint16_t n_node_selector;
	uint16_t n_tolerations;
	uint16_t n_node_terms;
	uint8_t has_node_affinity; /* the required node selector is set (even with no terms) */
	uint8_t host_network;
	uint8_t placement_capped; /* tolerations or terms beyond the caps were dropped */
};

/*
 * apps/v1 ControllerRevision, lean: what maps a pod's controller-revision-hash
 * label to a revision number. The template in data is not kept.
 */
struct controller_revision {
	const char *namespace;
	const char *name;
	const char *uid;
	const char *owner_uid; /* the controller ownerReference's uid, "" when none */
	const char *hash;      /* label controller-revision-hash (DaemonSets), else
				* controller.kubernetes.io/hash (StatefulSets); "" when none */
	int64_t created;
	int64_t revision;
};

/* spec.completionMode of a Job. */
enum job_completion_mode {
	JOB_MODE_NONE = 0, /* absent: the API server defaults it to NonIndexed */
	JOB_MODE_NON_INDEXED,
	JOB_MODE_INDEXED,
	JOB_MODE_OTHER,
};

/* status.conditions[] of a Job (Complete, Failed, SuccessCriteriaMet, FailureTarget, Suspended). */
struct job_condition {
	const char *type;
	const char *reason;
	const char *message;
	int64_t last_transition;
	uint8_t status; /* enum model_cond */
};

/*
 * batch/v1 Job, lean: its progress, not its template. w.observed_generation
 * stays 0 (a Job's status has none). The has_* flags tell an absent pointer
 * field of Go from its zero value, which kubectl prints differently.
 */
struct job {
	struct workload w;
	struct owner_ref *owners; /* metadata.ownerReferences: the CronJob */
	struct job_condition *conditions;
	const char *completed_indexes; /* status.completedIndexes ("1,3-5") */
	const char *failed_indexes;    /* status.failedIndexes */
	int64_t deleted;               /* metadata.deletionTimestamp; 0: not being deleted */
	int64_t start_time;            /* status.startTime; 0: none */
	int64_t completion_time;       /* status.completionTime; 0: none */
	int64_t active_deadline_s;     /* spec.activeDeadlineSeconds, valid when has_deadline */
	int32_t ttl_after_finished_s;  /* spec.ttlSecondsAfterFinished, valid when has_ttl */
	int32_t completions;           /* spec.completions, valid when has_completions */
	int32_t parallelism;           /* spec.parallelism, valid when has_parallelism */
	int32_t backoff_limit;         /* spec.backoffLimit, valid when has_backoff_limit */
	int32_t succeeded;
	int32_t failed;
	int32_t active;
	int32_t ready;       /* valid when has_ready */
	int32_t terminating; /* valid when has_terminating */
	uint16_t n_owners;
	uint16_t n_conditions;
	uint8_t completion_mode; /* enum job_completion_mode */
	uint8_t suspend;         /* spec.suspend: MODEL_UNSET, MODEL_FALSE or MODEL_TRUE */
	uint8_t has_deadline;
	uint8_t has_ttl;
	uint8_t has_completions;
	uint8_t has_parallelism;
	uint8_t has_backoff_limit;
	uint8_t has_ready;
	uint8_t has_terminating;
};

/* status.active[] of a CronJob: the Jobs it runs now. */
struct cronjob_active {
	const char *namespace;
	const char *name;
	const char *uid;
};

/* batch/v1 CronJob, lean. */
struct cronjob {
	const char *namespace;
	const char *name;
	const char *uid;
	const char *schedule;           /* spec.schedule verbatim */
	const char *time_zone;          /* spec.timeZone, valid when has_time_zone */
	const char *concurrency_policy; /* spec.concurrencyPolicy ("" when absent) */
	struct model_kv *labels;
	struct cronjob_active *active;
	const char **images; /* spec.jobTemplate.spec.template's containers' images */
	int64_t created;
	int64_t generation;
	int64_t deleted;
	int64_t last_schedule;       /* status.lastScheduleTime; 0: none */
	int64_t last_successful;     /* status.lastSuccessfulTime; 0: none */
	int64_t starting_deadline_s; /* spec.startingDeadlineSeconds (has_starting_deadline) */
	int32_t successful_history;  /* spec.successfulJobsHistoryLimit (has_successful_history) */
	int32_t failed_history;      /* spec.failedJobsHistoryLimit (has_failed_history) */
	uint16_t n_labels;
	uint16_t n_active;
	uint16_t n_images;
	uint8_t suspend; /* spec.suspend: MODEL_UNSET, MODEL_FALSE or MODEL_TRUE */
	uint8_t has_time_zone;
	uint8_t has_starting_deadline;
	uint8_t has_successful_history;
	uint8_t has_failed_history;
};

/* The controller ownerReference (controller: true), or NULL. */
const struct owner_ref *model_controller_of(const struct owner_ref *refs, uint16_t n);

/* The value of label key, or NULL when absent. */
const char *model_label(const struct model_kv *labels, uint16_t n, const char *key);

/*
 * Whether labels satisfy a selector: every pair of sel (a Service's selector,
 * a matchLabels) present with that value. An empty sel selects nothing when
 * empty_matches_none (a Service), everything otherwise (a label selector).
 */
bool model_labels_match(const struct model_kv *labels, uint16_t n, const struct model_kv *sel,
			uint16_t n_sel, bool empty_matches_none);

/* The first condition of that type, or NULL. */
const struct pod_condition *model_pod_condition(const struct pod *p, const char *type);
const struct deploy_condition *model_deploy_condition(const struct deployment *d, const char *type);

/*
 * An arena: everything a decoder allocates for one object, freed at once.
 * Zero-initialise it (MODEL_ARENA_INIT); model_arena_free leaves it empty
 * and reusable. Allocation failure aborts, as xmalloc does.
 */
struct model_arena {
	struct model_arena_chunk *chunks;
};
/* clang-format off */
#define MODEL_ARENA_INIT {NULL}
/* clang-format on */

void *model_arena_alloc(struct model_arena *a, size_t n); /* zeroed, 8-byte aligned */
const char *model_arena_strdup(struct model_arena *a, const char *s);
void model_arena_free(struct model_arena *a);
/* Forget everything allocated but keep the newest chunk for reuse. */
void model_arena_reset(struct model_arena *a);

/*
 * How decoders store strings: through intern (say, the store's string
 * table) when it is set, otherwise copied into the arena. intern gets a
 * NUL-terminated string and must return a pointer that outlives the object.
 *
 * With unique_in_arena, only strings that repeat across objects
 * (namespaces, images, node names, label keys and values, owner names and
 * uids, reasons, condition types) go through intern; strings of one object
 * alone (its own name and uid, messages, IPs) are copied into the arena,
 * where interning them would only add overhead. model_walk_* (below) tells
 * the two kinds apart for objects decoded that way (or with no intern hook).
 */
struct model_decode_opts {
	const char *(*intern)(void *ctx, const char *s);
	void *ctx;
	bool unique_in_arena;
};

/*
 * cJSON objects (a Pod, a Deployment, a ReplicaSet as the API serves them)
 * to the structs above. Every array and, without an intern hook, every
 * string lives in *arena; the cJSON tree may be freed right after. Missing
 * or mistyped fields are left at their zero value; strings are never NULL.
 * opts may be NULL. Returns 0, or -1 with err (PERR_API) when obj is not a
 * JSON object, or when a number is not whole or does not fit its field's Go
 * type (int32, int64; an int64 past 2^53, which a double no longer holds
 * exactly), in Go's words. Absent fields, and fields that are not numbers,
 * keep their defaults.
 */
int model_decode_pod(const struct cJSON *obj, struct pod *out, struct model_arena *arena,
		     const struct model_decode_opts *opts, struct perr *err);
int model_decode_deployment(const struct cJSON *obj, struct deployment *out,
			    struct model_arena *arena, const struct model_decode_opts *opts,
			    struct perr *err);
int model_decode_replicaset(const struct cJSON *obj, struct replicaset *out,
			    struct model_arena *arena, const struct model_decode_opts *opts,
			    struct perr *err);

/*
 * StatefulSets and DaemonSets, with the same rules; a number is refused in
 * the words of its Go struct (StatefulSetSpec, RollingUpdateStatefulSetStrategy,
 * StatefulSetOrdinals, StatefulSetStatus, DaemonSetSpec, RollingUpdateDaemonSet,
 * DaemonSetStatus, ObjectMeta).
 */
int model_decode_statefulset(const struct cJSON *obj, struct statefulset *out,
			     struct model_arena *arena, const struct model_decode_opts *opts,
			     struct perr *err);
int model_decode_daemonset(const struct cJSON *obj, struct daemonset *out,
			   struct model_arena *arena, const struct model_decode_opts *opts,
			   struct perr *err);

/*
 * Jobs and CronJobs (batch/v1), with the same rules; a number is refused
 * in the words of its Go struct (JobSpec, JobStatus, CronJobSpec, ObjectMeta).
 */
int model_decode_job(const struct cJSON *obj, struct job *out, struct model_arena *arena,
		     const struct model_decode_opts *opts, struct perr *err);
int model_decode_cronjob(const struct cJSON *obj, struct cronjob *out, struct model_arena *arena,
			 const struct model_decode_opts *opts, struct perr *err);

/* A ControllerRevision; its revision is an int64 of Go struct ControllerRevision. */
int model_decode_controller_revision(const struct cJSON *obj, struct controller_revision *out,
				     struct model_arena *arena,
				     const struct model_decode_opts *opts, struct perr *err);

int model_decode_service(const struct cJSON *obj, struct service *out, struct model_arena *arena,
			 const struct model_decode_opts *opts, struct perr *err);
int model_decode_endpoints(const struct cJSON *obj, struct endpoints *out,
			   struct model_arena *arena, const struct model_decode_opts *opts,
			   struct perr *err);
int model_decode_event(const struct cJSON *obj, struct event *out, struct model_arena *arena,
		       const struct model_decode_opts *opts, struct perr *err);
int model_decode_namespace(const struct cJSON *obj, struct namespace_obj *out,
			   struct model_arena *arena, const struct model_decode_opts *opts,
			   struct perr *err);

/* core/v1 Node spec.taints[] entry. */
struct node_taint {
	const char *key;
	const char *value;
	const char *effect; /* NoSchedule, PreferNoSchedule, NoExecute */
};

#define MODEL_MAX_TAINTS 64

/* core/v1 Node, lean: what the DaemonSet rollout view and placement need. */
struct node {
	const char *name;
	const char *uid;
	int64_t created;
	int64_t alloc_cpu_milli; /* status.allocatable.cpu in millicores, -1 when absent or bad */
	int64_t alloc_mem_bytes; /* status.allocatable.memory in bytes, -1 when absent or bad */
	struct model_kv *labels;
	struct node_taint *taints;
	uint16_t n_labels;
	uint16_t n_taints;
	uint8_t unschedulable; /* spec.unschedulable: cordoned */
	uint8_t ready;         /* the Ready condition's status, enum model_cond */
	uint8_t taints_capped; /* more than MODEL_MAX_TAINTS taints: the rest dropped */
};

int model_decode_node(const struct cJSON *obj, struct node *out, struct model_arena *arena,
		      const struct model_decode_opts *opts, struct perr *err);

/*
 * A Kubernetes resource quantity ("500m", "2", "1.5", "8Gi", "1e3") times
 * scale (1000 for millicores, 1 for bytes), rounded up; -1 when it does
 * not parse or does not fit an int64.
 */
int64_t model_quantity(const char *s, int64_t scale);

/* Arrays that many objects may hold identical copies of (a ReplicaSet's pods). */
enum model_share {
	MODEL_SHARE_KV = 0, /* struct model_kv[]: labels, selectors */
	MODEL_SHARE_OWNERS, /* struct owner_ref[] */
	MODEL_SHARE_SPECS,  /* struct container_spec[] with their probes and hooks */
};

/*
 * A visit of every pointer a decoded object holds, for moving an object into
 * one exact-size block (the store does), for sharing identical arrays
 * between objects, and for releasing interned strings.
 *
 * For each array, share is offered it first (when set): returning true
 * means the callback dealt with the array and its elements, and the walk
 * skips them. Otherwise arr is called with the address of the pointer field
 * and the array's size in bytes (it may replace the pointer with a copy),
 * then the elements are visited through the (new) pointer. ustr gets each
 * string of the object alone (in the arena), istr each string that went
 * through the intern hook. Any callback may be NULL. Arrays of shareable
 * kinds hold interned strings only (and zeroed padding), so that identical
 * arrays are identical bytes, probes and hooks aside (compare those by
 * content).
 */
struct model_walk {
	bool (*share)(struct model_walk *w, enum model_share what, void **field, uint16_t n);
	void (*arr)(struct model_walk *w, void **field, size_t size);
	void (*ustr)(struct model_walk *w, const char **field);
	void (*istr)(struct model_walk *w, const char **field);
};

/* Visit the elements of a shareable array (what share was offered), w->share unused. */
void model_walk_shared(enum model_share what, void *arr, uint16_t n, struct model_walk *w);

void model_walk_pod(struct pod *p, struct model_walk *w);
void model_walk_deployment(struct deployment *d, struct model_walk *w);
void model_walk_replicaset(struct replicaset *rs, struct model_walk *w);
void model_walk_service(struct service *s, struct model_walk *w);
void model_walk_endpoints(struct endpoints *e, struct model_walk *w);
void model_walk_event(struct event *e, struct model_walk *w);
void model_walk_namespace(struct namespace_obj *n, struct model_walk *w);
void model_walk_statefulset(struct statefulset *s, struct model_walk *w);
void model_walk_daemonset(struct daemonset *ds, struct model_walk *w);
void model_walk_controller_revision(struct controller_revision *cr, struct model_walk *w);
void model_walk_job(struct job *j, struct model_walk *w);
void model_walk_cronjob(struct cronjob *cj, struct model_walk *w);
void model_walk_node(struct node *n, struct model_walk *w);

#endif
