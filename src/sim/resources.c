#include "config.h"

#include <string.h>

#include "resources.h"

/* Indexes must match positions: the store keeps one index per row. */
static const struct simres table[] = {
	{
		.index = 0,
		.plural = "namespaces",
		.singular = "namespace",
		.kind = "Namespace",
		.list_kind = "NamespaceList",
		.group = "",
		.version = "v1",
		.api_version = "v1",
		.namespaced = false,
		.has_generation = false,
		.verbs = SIMVERB_ALL & ~SIMVERB_DELETECOLLECTION,
		.subresources = SIMSUB_STATUS,
		.short_names = {"ns"},
		.in_all = false,
	},
	{
		.index = 1,
		.plural = "nodes",
		.singular = "node",
		.kind = "Node",
		.list_kind = "NodeList",
		.group = "",
		.version = "v1",
		.api_version = "v1",
		.namespaced = false,
		.has_generation = false,
		.verbs = SIMVERB_ALL,
		.subresources = SIMSUB_STATUS,
		.short_names = {"no"},
		.in_all = false,
	},
	{
		.index = 2,
		.plural = "pods",
		.singular = "pod",
		.kind = "Pod",
		.list_kind = "PodList",
		.group = "",
		.version = "v1",
		.api_version = "v1",
		.namespaced = true,
		.has_generation = false,
		.verbs = SIMVERB_ALL,
		.subresources = SIMSUB_STATUS,
		.short_names = {"po"},
		.in_all = true,
	},
	{
		.index = 3,
		.plural = "services",
		.singular = "service",
		.kind = "Service",
		.list_kind = "ServiceList",
		.group = "",
		.version = "v1",
		.api_version = "v1",
		.namespaced = true,
		.has_generation = false,
		.verbs = SIMVERB_ALL,
		.subresources = SIMSUB_STATUS,
		.short_names = {"svc"},
		.in_all = true,
	},
	{
		.index = 4,
		.plural = "endpoints",
		.singular = "endpoints",
		.kind = "Endpoints",
		.list_kind = "EndpointsList",
		.group = "",
		.version = "v1",
		.api_version = "v1",
		.namespaced = true,
		.has_generation = false,
		.verbs = SIMVERB_ALL,
		.subresources = 0,
		.short_names = {"ep"},
		.in_all = false,
	},
	{
		.index = 5,
		.plural = "events",
		.singular = "event",
		.kind = "Event",
		.list_kind = "EventList",
		.group = "",
		.version = "v1",
		.api_version = "v1",
		.namespaced = true,
		.has_generation = false,
		.verbs = SIMVERB_ALL,
		.subresources = 0,
		.short_names = {"ev"},
		.in_all = false,
	},
	{
		.index = 6,
		.plural = "deployments",
		.singular = "deployment",
		.kind = "Deployment",
		.list_kind = "DeploymentList",
		.group = "apps",
		.version = "v1",
		.api_version = "apps/v1",
		.namespaced = true,
		.has_generation = true,
		.verbs = SIMVERB_ALL,
		.subresources = SIMSUB_STATUS | SIMSUB_SCALE,
		.short_names = {"deploy"},
		.in_all = true,
	},
	{
		.index = 7,
		.plural = "replicasets",
		.singular = "replicaset",
		.kind = "ReplicaSet",
		.list_kind = "ReplicaSetList",
		.group = "apps",
		.version = "v1",
		.api_version = "apps/v1",
		.namespaced = true,
		.has_generation = true,
		.verbs = SIMVERB_ALL,
		.subresources = SIMSUB_STATUS | SIMSUB_SCALE,
		.short_names = {"rs"},
		.in_all = true,
	},
	{
		.index = 8,
		.plural = "endpointslices",
		.singular = "endpointslice",
		.kind = "EndpointSlice",
		.list_kind = "EndpointSliceList",
		.group = "discovery.k8s.io",
		.version = "v1",
		.api_version = "discovery.k8s.io/v1",
		.namespaced = true,
		.has_generation = false,
		.verbs = SIMVERB_ALL,
		.subresources = 0,
		.short_names = {NULL},
		.in_all = false,
	},
	{
		.index = 9,
		.plural = "statefulsets",
		.singular = "statefulset",
		.kind = "StatefulSet",
		.list_kind = "StatefulSetList",
		.group = "apps",
		.version = "v1",
		.api_version = "apps/v1",
		.namespaced = true,
		.has_generation = true,
		.verbs = SIMVERB_ALL,
		.subresources = SIMSUB_STATUS | SIMSUB_SCALE,
		.short_names = {"sts"},
		.in_all = true,
	},
	{
		.index = 10,
		.plural = "controllerrevisions",
		.singular = "controllerrevision",
		.kind = "ControllerRevision",
		.list_kind = "ControllerRevisionList",
		.group = "apps",
		.version = "v1",
		.api_version = "apps/v1",
		.namespaced = true,
		.has_generation = false,
		.verbs = SIMVERB_ALL,
		.subresources = 0,
		.short_names = {NULL},
		.in_all = false,
	},
	{
		.index = 11,
		.plural = "persistentvolumeclaims",
		.singular = "persistentvolumeclaim",
		.kind = "PersistentVolumeClaim",
		.list_kind = "PersistentVolumeClaimList",
		.group = "",
		.version = "v1",
		.api_version = "v1",
		.namespaced = true,
		.has_generation = false,
		.verbs = SIMVERB_ALL,
		.subresources = SIMSUB_STATUS,
		.short_names = {"pvc"},
		.in_all = false,
	},
	{
		.index = 12,
		.plural = "daemonsets",
		.singular = "daemonset",
		.kind = "DaemonSet",
		.list_kind = "DaemonSetList",
		.group = "apps",
		.version = "v1",
		.api_version = "apps/v1",
		.namespaced = true,
		.has_generation = true,
		.verbs = SIMVERB_ALL,
		.subresources = SIMSUB_STATUS,
		.short_names = {"ds"},
		.in_all = true,
	},
	{
		.index = 13,
		.plural = "jobs",
		.singular = "job",
		.kind = "Job",
		.list_kind = "JobList",
		.group = "batch",
		.version = "v1",
		.api_version = "batch/v1",
		.namespaced = true,
		.has_generation = true,
		.verbs = SIMVERB_ALL,
		.subresources = SIMSUB_STATUS,
		.short_names = {NULL},
		.in_all = true,
	},
	{
		.index = 14,
		.plural = "cronjobs",
		.singular = "cronjob",
		.kind = "CronJob",
		.list_kind = "CronJobList",
		.group = "batch",
		.version = "v1",
		.api_version = "batch/v1",
		.namespaced = true,
		.has_generation = true,
		.verbs = SIMVERB_ALL,
		.subresources = SIMSUB_STATUS,
		.short_names = {"cj"},
		.in_all = true,
	},
	/* The blockers (resourcequota.c, disruption.c): stored, with status. */
	{
		.index = 15,
		.plural = "resourcequotas",
		.singular = "resourcequota",
		.kind = "ResourceQuota",
		.list_kind = "ResourceQuotaList",
		.group = "",
		.version = "v1",
		.api_version = "v1",
		.namespaced = true,
		.has_generation = false,
		.verbs = SIMVERB_ALL,
		.subresources = SIMSUB_STATUS,
		.short_names = {"quota"},
		.in_all = false,
	},
	{
		.index = 16,
		.plural = "poddisruptionbudgets",
		.singular = "poddisruptionbudget",
		.kind = "PodDisruptionBudget",
		.list_kind = "PodDisruptionBudgetList",
		.group = "policy",
		.version = "v1",
		.api_version = "policy/v1",
		.namespaced = true,
		.has_generation = true,
		.verbs = SIMVERB_ALL,
		.subresources = SIMSUB_STATUS,
		.short_names = {"pdb"},
		.in_all = false,
	},
	{
		.index = 17,
		.plural = "horizontalpodautoscalers",
		.singular = "horizontalpodautoscaler",
		.kind = "HorizontalPodAutoscaler",
		.list_kind = "HorizontalPodAutoscalerList",
		.group = "autoscaling",
		.version = "v2",
		.api_version = "autoscaling/v2",
		.namespaced = true,
		.has_generation = false,
		.verbs = SIMVERB_ALL,
		.subresources = SIMSUB_STATUS,
		.short_names = {"hpa"},
		.in_all = true,
	},
};

static const char *const groups[] = {"apps",   "authorization.k8s.io", "autoscaling",
				     "batch",  "discovery.k8s.io",     "policy",
				     NULL};

size_t simres_count(void)
{
	return sizeof(table) / sizeof(table[0]);
}

const struct simres *simres_at(size_t i)
{
	return i < simres_count() ? &table[i] : NULL;
}

const struct simres *simres_find(const char *group, const char *version, const char *plural)
{
	for (size_t i = 0; i < simres_count(); i++)
		if (strcmp(table[i].group, group) == 0 && strcmp(table[i].version, version) == 0 &&
		    strcmp(table[i].plural, plural) == 0)
			return &table[i];
	return NULL;
}

const struct simres *simres_by_kind(const char *api_version, const char *kind)
{
	if (!api_version || !kind)
		return NULL;
	for (size_t i = 0; i < simres_count(); i++)
		if (strcmp(table[i].api_version, api_version) == 0 &&
		    strcmp(table[i].kind, kind) == 0)
			return &table[i];
	return NULL;
}

const char *const *simres_groups(void)
{
	return groups;
}

void simres_verb_names(unsigned verbs, const char *out[9])
{
	/* Discovery lists verbs sorted by name, as kube-apiserver does. */
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
	    {SIMVERB_CREATE, "create"},
	    {SIMVERB_DELETE, "delete"},
	    {SIMVERB_DELETECOLLECTION, "deletecollection"},
	    {SIMVERB_GET, "get"},
	    {SIMVERB_LIST, "list"},
	    {SIMVERB_PATCH, "patch"},
	    {SIMVERB_UPDATE, "update"},
	    {SIMVERB_WATCH, "watch"},
	};
	size_t n = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (verbs & names[i].bit)
			out[n++] = names[i].name;
	out[n] = NULL;
}
