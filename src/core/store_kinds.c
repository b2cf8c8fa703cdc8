#include "config.h"

#include <stddef.h>
#include <strings.h>

#include "podscope/policy.h"
#include "store_int.h"

/* The kinds the store holds: how each is decoded, walked and keyed. */

#define DECODER(fn, type)                                                                          \
	static int dec_##type(const struct cJSON *obj, void *out, struct model_arena *a,           \
			      const struct model_decode_opts *o, struct perr *err)                 \
	{                                                                                          \
		return fn(obj, (struct type *)out, a, o, err);                                     \
	}                                                                                          \
	static void walk_##type(void *obj, struct model_walk *w)                                   \
	{                                                                                          \
		model_walk_##type((struct type *)obj, w);                                          \
	}

DECODER(model_decode_deployment, deployment)
DECODER(model_decode_replicaset, replicaset)
DECODER(model_decode_pod, pod)
DECODER(model_decode_service, service)
DECODER(model_decode_endpoints, endpoints)
DECODER(model_decode_event, event)

static int dec_namespace_obj(const struct cJSON *obj, void *out, struct model_arena *a,
			     const struct model_decode_opts *o, struct perr *err)
{
	return model_decode_namespace(obj, out, a, o, err);
}

static void walk_namespace_obj(void *obj, struct model_walk *w)
{
	model_walk_namespace(obj, w);
}

DECODER(model_decode_statefulset, statefulset)
DECODER(model_decode_daemonset, daemonset)
DECODER(model_decode_controller_revision, controller_revision)
DECODER(model_decode_job, job)
DECODER(model_decode_cronjob, cronjob)
DECODER(model_decode_node, node)
DECODER(model_decode_pdb, pdb)
DECODER(model_decode_resource_quota, resource_quota)
DECODER(model_decode_hpa, hpa)

static const char *rs_parent(const void *obj)
{
	return ((const struct replicaset *)obj)->owner_uid;
}

static const char *pod_parent(const void *obj)
{
	const struct pod *p = obj;
	const struct owner_ref *o = model_controller_of(p->owners, p->n_owners);
	return o ? o->uid : "";
}

static const char *cr_parent(const void *obj)
{
	return ((const struct controller_revision *)obj)->owner_uid;
}

static const char *job_parent(const void *obj)
{
	const struct job *j = obj;
	const struct owner_ref *o = model_controller_of(j->owners, j->n_owners);
	return o ? o->uid : "";
}

static const char *event_parent(const void *obj)
{
	return ((const struct event *)obj)->involved_uid;
}

/* StatefulSets and DaemonSets keep their identity in struct workload w. */
#define WORKLOAD_KIND(res, Kind, type)                                                             \
	{                                                                                          \
		.name = res, .kind = Kind, .size = sizeof(struct type), .decode = dec_##type,      \
		.walk = walk_##type, .ns_off = (int)offsetof(struct type, w.namespace),            \
		.name_off = (int)offsetof(struct type, w.name),                                    \
		.uid_off = (int)offsetof(struct type, w.uid),                                      \
	}

#define KIND(res, Kind, type, par)                                                                 \
	{                                                                                          \
		.name = res, .kind = Kind, .size = sizeof(struct type), .decode = dec_##type,      \
		.walk = walk_##type, .parent = par,                                                \
		.ns_off = (int)offsetof(struct type, namespace),                                   \
		.name_off = (int)offsetof(struct type, name),                                      \
		.uid_off = (int)offsetof(struct type, uid),                                        \
	}

const struct kind_ops store_kinds[STORE_NKINDS] = {
    [STORE_DEPLOYMENTS] = KIND("deployments", "Deployment", deployment, NULL),
    [STORE_REPLICASETS] = KIND("replicasets", "ReplicaSet", replicaset, rs_parent),
    [STORE_PODS] = KIND("pods", "Pod", pod, pod_parent),
    [STORE_SERVICES] = KIND("services", "Service", service, NULL),
    [STORE_ENDPOINTS] = KIND("endpoints", "Endpoints", endpoints, NULL),
    [STORE_EVENTS] = KIND("events", "Event", event, event_parent),
    [STORE_NAMESPACES] =
	{
	    .name = "namespaces",
	    .kind = "Namespace",
	    .size = sizeof(struct namespace_obj),
	    .decode = dec_namespace_obj,
	    .walk = walk_namespace_obj,
	    .ns_off = -1,
	    .name_off = (int)offsetof(struct namespace_obj, name),
	    .uid_off = (int)offsetof(struct namespace_obj, uid),
	},
    [STORE_STATEFULSETS] = WORKLOAD_KIND("statefulsets", "StatefulSet", statefulset),
    [STORE_DAEMONSETS] = WORKLOAD_KIND("daemonsets", "DaemonSet", daemonset),
    [STORE_CONTROLLERREVISIONS] =
	KIND("controllerrevisions", "ControllerRevision", controller_revision, cr_parent),
    [STORE_JOBS] =
	{
	    .name = "jobs",
	    .kind = "Job",
	    .size = sizeof(struct job),
	    .decode = dec_job,
	    .walk = walk_job,
	    .parent = job_parent,
	    .ns_off = (int)offsetof(struct job, w.namespace),
	    .name_off = (int)offsetof(struct job, w.name),
	    .uid_off = (int)offsetof(struct job, w.uid),
	},
    [STORE_CRONJOBS] = KIND("cronjobs", "CronJob", cronjob, NULL),
    [STORE_NODES] =
	{
	    .name = "nodes",
	    .kind = "Node",
	    .size = sizeof(struct node),
	    .decode = dec_node,
	    .walk = walk_node,
	    .ns_off = -1,
	    .name_off = (int)offsetof(struct node, name),
	    .uid_off = (int)offsetof(struct node, uid),
	},
    [STORE_PDBS] = KIND("poddisruptionbudgets", "PodDisruptionBudget", pdb, NULL),
    [STORE_QUOTAS] = KIND("resourcequotas", "ResourceQuota", resource_quota, NULL),
    [STORE_HPAS] = KIND("horizontalpodautoscalers", "HorizontalPodAutoscaler", hpa, NULL),
};

const char *store_kind_name(enum store_kind k)
{
	return (unsigned)k < STORE_NKINDS ? store_kinds[k].name : "";
}

const char *store_kind_kind(enum store_kind k)
{
	return (unsigned)k < STORE_NKINDS ? store_kinds[k].kind : "";
}

int store_kind_parse(const char *s)
{
	static const char *const singular[STORE_NKINDS] = {
	    "deployment", "replicaset", "pod",         "service",   "endpoint",
	    "event",      "namespace",  "statefulset", "daemonset", "controllerrevision",
	    "job",        "cronjob",    "node",        "poddisruptionbudget", "resourcequota",
	    "horizontalpodautoscaler",
	};
	static const char *const shortname[STORE_NKINDS] = {
	    "deploy", "rs", "po", "svc", "ep", "ev", "ns", "sts", "ds", "", "", "cj", "no",
	    "pdb",    "quota", "hpa",
	};
	for (int k = 0; s && k < STORE_NKINDS; k++) {
		if (strcasecmp(s, store_kinds[k].name) == 0 || strcasecmp(s, singular[k]) == 0 ||
		    (*shortname[k] && strcasecmp(s, shortname[k]) == 0) ||
		    strcasecmp(s, store_kinds[k].kind) == 0)
			return k;
	}
	return -1;
}

static const char *field(const struct sobj *h, int off)
{
	if (off < 0)
		return "";
	const char *s = *(const char *const *)((const char *)SOBJ_DATA(h) + off);
	return s ? s : "";
}

const char *sobj_ns(const struct sobj *h)
{
	return field(h, store_kinds[h->kind].ns_off);
}

const char *sobj_name(const struct sobj *h)
{
	return field(h, store_kinds[h->kind].name_off);
}

const char *store_obj_namespace(const void *obj)
{
	return sobj_ns(SOBJ_OF(obj));
}

const char *store_obj_name(const void *obj)
{
	return sobj_name(SOBJ_OF(obj));
}

const char *store_obj_uid(const void *obj)
{
	const struct sobj *h = SOBJ_OF(obj);
	return field(h, store_kinds[h->kind].uid_off);
}
