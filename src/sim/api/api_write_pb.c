#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "api_write.h"
#include "pbuf.h"

/*
 * kubectl's typed clients (create deployment, create namespace, create
 * service) send protobuf. This turns those messages into the JSON the rest
 * of the write path takes, driven by a table of the fields of
 * k8s.io/api's generated.proto that such clients fill in. Unknown fields are
 * skipped; zero values of omitempty fields are left out, as Go's JSON
 * encoding would.
 */

enum pbtype {
	PB_STR,
	PB_INT,
	PB_BOOL,
	PB_MSG,
	PB_MAP,    /* map<string, string> */
	PB_QMAP,   /* map<string, Quantity> */
	PB_INTSTR, /* IntOrString */
};

struct pbmsg;

struct pbfield {
	uint32_t num;
	const char *json;
	enum pbtype type;
	bool repeated;
	bool keep_zero; /* a pointer or a field without omitempty */
	const struct pbmsg *msg;
};

struct pbmsg {
	const struct pbfield *fields;
};

#define END                                                                                        \
	{                                                                                          \
		0, NULL, PB_STR, false, false, NULL                                                \
	}
#define MSG(fs) ((const struct pbmsg[]){{fs}})

static const struct pbfield owner_ref[] = {
    {1, "kind", PB_STR, false, false, NULL},
    {3, "name", PB_STR, false, false, NULL},
    {4, "uid", PB_STR, false, false, NULL},
    {5, "apiVersion", PB_STR, false, false, NULL},
    {6, "controller", PB_BOOL, false, true, NULL},
    {7, "blockOwnerDeletion", PB_BOOL, false, true, NULL},
    END,
};

static const struct pbfield object_meta[] = {
    {1, "name", PB_STR, false, false, NULL},
    {2, "generateName", PB_STR, false, false, NULL},
    {3, "namespace", PB_STR, false, false, NULL},
    {6, "resourceVersion", PB_STR, false, false, NULL},
    {11, "labels", PB_MAP, false, false, NULL},
    {12, "annotations", PB_MAP, false, false, NULL},
    {13, "ownerReferences", PB_MSG, true, false, MSG(owner_ref)},
    {14, "finalizers", PB_STR, true, false, NULL},
    END,
};

static const struct pbfield selector_req[] = {
    {1, "key", PB_STR, false, false, NULL},
    {2, "operator", PB_STR, false, false, NULL},
    {3, "values", PB_STR, true, false, NULL},
    END,
};

static const struct pbfield label_selector[] = {
    {1, "matchLabels", PB_MAP, false, false, NULL},
    {2, "matchExpressions", PB_MSG, true, false, MSG(selector_req)},
    END,
};

static const struct pbfield container_port[] = {
    {1, "name", PB_STR, false, false, NULL},         {2, "hostPort", PB_INT, false, false, NULL},
    {3, "containerPort", PB_INT, false, true, NULL}, {4, "protocol", PB_STR, false, false, NULL},
    {5, "hostIP", PB_STR, false, false, NULL},       END,
};

static const struct pbfield env_var[] = {
    {1, "name", PB_STR, false, false, NULL},
    {2, "value", PB_STR, false, false, NULL},
    END,
};

static const struct pbfield resources[] = {
    {1, "limits", PB_QMAP, false, false, NULL},
    {2, "requests", PB_QMAP, false, false, NULL},
    END,
};

static const struct pbfield container[] = {
    {1, "name", PB_STR, false, false, NULL},
    {2, "image", PB_STR, false, false, NULL},
    {3, "command", PB_STR, true, false, NULL},
    {4, "args", PB_STR, true, false, NULL},
    {5, "workingDir", PB_STR, false, false, NULL},
    {6, "ports", PB_MSG, true, false, MSG(container_port)},
    {7, "env", PB_MSG, true, false, MSG(env_var)},
    {8, "resources", PB_MSG, false, false, MSG(resources)},
    {13, "terminationMessagePath", PB_STR, false, false, NULL},
    {14, "imagePullPolicy", PB_STR, false, false, NULL},
    {16, "stdin", PB_BOOL, false, false, NULL},
    {17, "stdinOnce", PB_BOOL, false, false, NULL},
    {18, "tty", PB_BOOL, false, false, NULL},
    {20, "terminationMessagePolicy", PB_STR, false, false, NULL},
    END,
};

static const struct pbfield pod_spec[] = {
    {2, "containers", PB_MSG, true, false, MSG(container)},
    {3, "restartPolicy", PB_STR, false, false, NULL},
    {4, "terminationGracePeriodSeconds", PB_INT, false, true, NULL},
    {5, "activeDeadlineSeconds", PB_INT, false, true, NULL},
    {6, "dnsPolicy", PB_STR, false, false, NULL},
    {7, "nodeSelector", PB_MAP, false, false, NULL},
    {8, "serviceAccountName", PB_STR, false, false, NULL},
    {10, "nodeName", PB_STR, false, false, NULL},
    {11, "hostNetwork", PB_BOOL, false, false, NULL},
    {16, "hostname", PB_STR, false, false, NULL},
    {17, "subdomain", PB_STR, false, false, NULL},
    {19, "schedulerName", PB_STR, false, false, NULL},
    {20, "initContainers", PB_MSG, true, false, MSG(container)},
    {24, "priorityClassName", PB_STR, false, false, NULL},
    END,
};

static const struct pbfield pod_template[] = {
    {1, "metadata", PB_MSG, false, false, MSG(object_meta)},
    {2, "spec", PB_MSG, false, false, MSG(pod_spec)},
    END,
};

static const struct pbfield rolling_update[] = {
    {1, "maxUnavailable", PB_INTSTR, false, false, NULL},
    {2, "maxSurge", PB_INTSTR, false, false, NULL},
    END,
};

static const struct pbfield strategy[] = {
    {1, "type", PB_STR, false, false, NULL},
    {2, "rollingUpdate", PB_MSG, false, false, MSG(rolling_update)},
    END,
};

static const struct pbfield deployment_spec[] = {
    {1, "replicas", PB_INT, false, true, NULL},
    {2, "selector", PB_MSG, false, false, MSG(label_selector)},
    {3, "template", PB_MSG, false, false, MSG(pod_template)},
    {4, "strategy", PB_MSG, false, false, MSG(strategy)},
    {5, "minReadySeconds", PB_INT, false, false, NULL},
    {6, "revisionHistoryLimit", PB_INT, false, true, NULL},
    {7, "paused", PB_BOOL, false, false, NULL},
    {9, "progressDeadlineSeconds", PB_INT, false, true, NULL},
    END,
};

static const struct pbfield replicaset_spec[] = {
    {1, "replicas", PB_INT, false, true, NULL},
    {2, "selector", PB_MSG, false, false, MSG(label_selector)},
    {3, "template", PB_MSG, false, false, MSG(pod_template)},
    {4, "minReadySeconds", PB_INT, false, false, NULL},
    END,
};

static const struct pbfield service_port[] = {
    {1, "name", PB_STR, false, false, NULL},
    {2, "protocol", PB_STR, false, false, NULL},
    {3, "port", PB_INT, false, true, NULL},
    {4, "targetPort", PB_INTSTR, false, false, NULL},
    {5, "nodePort", PB_INT, false, false, NULL},
    {6, "appProtocol", PB_STR, false, false, NULL},
    END,
};

static const struct pbfield service_spec[] = {
    {1, "ports", PB_MSG, true, false, MSG(service_port)},
    {2, "selector", PB_MAP, false, false, NULL},
    {3, "clusterIP", PB_STR, false, false, NULL},
    {4, "type", PB_STR, false, false, NULL},
    {5, "externalIPs", PB_STR, true, false, NULL},
    {7, "sessionAffinity", PB_STR, false, false, NULL},
    {8, "loadBalancerIP", PB_STR, false, false, NULL},
    {10, "externalName", PB_STR, false, false, NULL},
    {11, "externalTrafficPolicy", PB_STR, false, false, NULL},
    {13, "publishNotReadyAddresses", PB_BOOL, false, false, NULL},
    END,
};

static const struct pbfield namespace_spec[] = {
    {1, "finalizers", PB_STR, true, false, NULL},
    END,
};

/* batch/v1 (kubectl create job, create job --from, create cronjob). */
static const struct pbfield pfp_exit_codes[] = {
    {1, "containerName", PB_STR, false, true, NULL},
    {2, "operator", PB_STR, false, false, NULL},
    {3, "values", PB_INT, true, false, NULL},
    END,
};

static const struct pbfield pfp_condition[] = {
    {1, "type", PB_STR, false, false, NULL},
    {2, "status", PB_STR, false, false, NULL},
    END,
};

static const struct pbfield pfp_rule[] = {
    {1, "action", PB_STR, false, false, NULL},
    {2, "onExitCodes", PB_MSG, false, false, MSG(pfp_exit_codes)},
    {3, "onPodConditions", PB_MSG, true, false, MSG(pfp_condition)},
    END,
};

static const struct pbfield pod_failure_policy[] = {
    {1, "rules", PB_MSG, true, false, MSG(pfp_rule)},
    END,
};

static const struct pbfield success_rule[] = {
    {1, "succeededIndexes", PB_STR, false, true, NULL},
    {2, "succeededCount", PB_INT, false, true, NULL},
    END,
};

static const struct pbfield success_policy[] = {
    {1, "rules", PB_MSG, true, false, MSG(success_rule)},
    END,
};

static const struct pbfield job_spec[] = {
    {1, "parallelism", PB_INT, false, true, NULL},
    {2, "completions", PB_INT, false, true, NULL},
    {3, "activeDeadlineSeconds", PB_INT, false, true, NULL},
    {4, "selector", PB_MSG, false, false, MSG(label_selector)},
    {5, "manualSelector", PB_BOOL, false, true, NULL},
    {6, "template", PB_MSG, false, false, MSG(pod_template)},
    {7, "backoffLimit", PB_INT, false, true, NULL},
    {8, "ttlSecondsAfterFinished", PB_INT, false, true, NULL},
    {9, "completionMode", PB_STR, false, false, NULL},
    {10, "suspend", PB_BOOL, false, true, NULL},
    {11, "podFailurePolicy", PB_MSG, false, false, MSG(pod_failure_policy)},
    {12, "backoffLimitPerIndex", PB_INT, false, true, NULL},
    {13, "maxFailedIndexes", PB_INT, false, true, NULL},
    {14, "podReplacementPolicy", PB_STR, false, false, NULL},
    {15, "managedBy", PB_STR, false, false, NULL},
    {16, "successPolicy", PB_MSG, false, false, MSG(success_policy)},
    END,
};

static const struct pbfield job_template[] = {
    {1, "metadata", PB_MSG, false, false, MSG(object_meta)},
    {2, "spec", PB_MSG, false, false, MSG(job_spec)},
    END,
};

static const struct pbfield cronjob_spec[] = {
    {1, "schedule", PB_STR, false, false, NULL},
    {2, "startingDeadlineSeconds", PB_INT, false, true, NULL},
    {3, "concurrencyPolicy", PB_STR, false, false, NULL},
    {4, "suspend", PB_BOOL, false, true, NULL},
    {5, "jobTemplate", PB_MSG, false, false, MSG(job_template)},
    {6, "successfulJobsHistoryLimit", PB_INT, false, true, NULL},
    {7, "failedJobsHistoryLimit", PB_INT, false, true, NULL},
    {8, "timeZone", PB_STR, false, true, NULL},
    END,
};

/* kubectl create quota and create poddisruptionbudget. */
static const struct pbfield quota_spec[] = {
    {1, "hard", PB_QMAP, false, false, NULL},
    {2, "scopes", PB_STR, true, false, NULL},
    END,
};

static const struct pbfield pdb_spec[] = {
    {1, "minAvailable", PB_INTSTR, false, true, NULL},
    {2, "selector", PB_MSG, false, false, MSG(label_selector)},
    {3, "maxUnavailable", PB_INTSTR, false, true, NULL},
    {4, "unhealthyPodEvictionPolicy", PB_STR, false, true, NULL},
    END,
};

#define TOP(name, spec)                                                                            \
	static const struct pbfield name[] = {                                                     \
	    {1, "metadata", PB_MSG, false, false, MSG(object_meta)},                               \
	    {2, "spec", PB_MSG, false, false, MSG(spec)},                                          \
	    END,                                                                                   \
	}

TOP(deployment, deployment_spec);
TOP(replicaset, replicaset_spec);
TOP(pod, pod_spec);
TOP(service, service_spec);
TOP(namespace_, namespace_spec);
TOP(job, job_spec);
TOP(cronjob, cronjob_spec);
TOP(quota, quota_spec);
TOP(pdb, pdb_spec);

static const struct {
	const char *kind;
	const struct pbfield *fields;
} tops[] = {
    {"Deployment", deployment}, {"ReplicaSet", replicaset}, {"Pod", pod},
    {"Service", service},       {"Namespace", namespace_},  {"Job", job},
    {"CronJob", cronjob},       {"ResourceQuota", quota},   {"PodDisruptionBudget", pdb},
};

static char *str_of(const struct pbuf_field *f)
{
	char *s = xmalloc(f->len + 1);
	memcpy(s, f->data, f->len);
	s[f->len] = '\0';
	return s;
}

static int decode(const uint8_t *p, size_t len, const struct pbfield *fields, cJSON *out);

/* A map entry {1: key, 2: value}; value a string or a Quantity {1: string}. */
static int map_entry(const struct pbuf_field *f, bool quantity, cJSON *map)
{
	struct pbuf r = {f->data, f->data + f->len};
	struct pbuf_field g;
	char *key = NULL, *val = NULL;
	int rc;
	while ((rc = pbuf_next(&r, &g)) == 1) {
		if (g.wire != 2)
			continue;
		if (g.num == 1) {
			free(key);
			key = str_of(&g);
		} else if (g.num == 2 && !quantity) {
			free(val);
			val = str_of(&g);
		} else if (g.num == 2) {
			struct pbuf q = {g.data, g.data + g.len};
			struct pbuf_field h;
			while (pbuf_next(&q, &h) == 1)
				if (h.num == 1 && h.wire == 2) {
					free(val);
					val = str_of(&h);
				}
		}
	}
	if (rc == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(map, key ? key : "");
		cJSON_AddStringToObject(map, key ? key : "", val ? val : "");
	}
	free(key);
	free(val);
	return rc;
}

static cJSON *intstr(const struct pbuf_field *f)
{
	struct pbuf r = {f->data, f->data + f->len};
	struct pbuf_field g;
	int64_t type = 0, ival = 0;
	char *sval = NULL;
	while (pbuf_next(&r, &g) == 1) {
		if (g.num == 1 && g.wire == 0)
			type = (int64_t)g.varint;
		else if (g.num == 2 && g.wire == 0)
			ival = (int32_t)(uint32_t)g.varint;
		else if (g.num == 3 && g.wire == 2) {
			free(sval);
			sval = str_of(&g);
		}
	}
	cJSON *v = NULL;
	if (type == 1)
		v = cJSON_CreateString(sval ? sval : "");
	else if (ival != 0)
		v = cJSON_CreateNumber((double)ival);
	free(sval);
	return v;
}

static cJSON *slot(cJSON *out, const struct pbfield *d)
{
	cJSON *cur = cJSON_GetObjectItemCaseSensitive(out, d->json);
	if (d->repeated && !cur)
		cur = cJSON_AddArrayToObject(out, d->json);
	else if ((d->type == PB_MAP || d->type == PB_QMAP || d->type == PB_MSG) && !cur)
		cur = cJSON_AddObjectToObject(out, d->json);
	return cur;
}

static void put(cJSON *out, const struct pbfield *d, cJSON *v)
{
	if (!v)
		return;
	if (d->repeated) {
		cJSON_AddItemToArray(slot(out, d), v);
	} else {
		cJSON_DeleteItemFromObjectCaseSensitive(out, d->json);
		cJSON_AddItemToObject(out, d->json, v);
	}
}

/* A packed repeated integer field (proto2 [packed=true], what Go's
 * generated code writes for repeated int32): its varints, one after
 * another. */
static int packed_ints(const struct pbuf_field *f, cJSON *arr)
{
	const uint8_t *p = f->data, *end = f->data + f->len;
	while (p < end) {
		uint64_t v = 0;
		int shift = 0;
		for (;;) {
			if (p == end || shift > 63)
				return -1;
			uint8_t b = *p++;
			v |= (uint64_t)(b & 0x7f) << shift;
			shift += 7;
			if (!(b & 0x80))
				break;
		}
		cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)(int64_t)v));
	}
	return 0;
}

static int field(const struct pbuf_field *f, const struct pbfield *d, cJSON *out)
{
	switch (d->type) {
	case PB_STR: {
		if (f->wire != 2)
			return -1;
		if (!f->len && !d->keep_zero && !d->repeated)
			return 0;
		char *s = str_of(f);
		put(out, d, cJSON_CreateString(s));
		free(s);
		return 0;
	}
	case PB_INT:
		if (f->wire == 2 && d->repeated)
			return packed_ints(f, slot(out, d));
		if (f->wire != 0)
			return -1;
		if (f->varint || d->keep_zero)
			put(out, d, cJSON_CreateNumber((double)(int64_t)f->varint));
		return 0;
	case PB_BOOL:
		if (f->wire != 0)
			return -1;
		if (f->varint || d->keep_zero)
			put(out, d, cJSON_CreateBool(f->varint != 0));
		return 0;
	case PB_MAP:
	case PB_QMAP:
		return f->wire == 2 ? map_entry(f, d->type == PB_QMAP, slot(out, d)) : -1;
	case PB_INTSTR:
		if (f->wire != 2)
			return -1;
		put(out, d, intstr(f));
		return 0;
	case PB_MSG: {
		if (f->wire != 2)
			return -1;
		cJSON *m = d->repeated ? cJSON_CreateObject() : slot(out, d);
		int rc = decode(f->data, f->len, d->msg->fields, m);
		if (d->repeated)
			put(out, d, m);
		return rc;
	}
	}
	return -1;
}

static int decode(const uint8_t *p, size_t len, const struct pbfield *fields, cJSON *out)
{
	struct pbuf r = {p, p + len};
	struct pbuf_field f;
	int rc;
	while ((rc = pbuf_next(&r, &f)) == 1) {
		for (const struct pbfield *d = fields; d->json; d++) {
			if (d->num == f.num) {
				if (field(&f, d, out) != 0)
					return -1;
				break;
			}
		}
	}
	return rc;
}

cJSON *simwrite_from_protobuf(const void *body, size_t len, const char *kind)
{
	struct pbuf msg;
	char sent_kind[64] = "";
	if (pbuf_unwrap(body, len, &msg, sent_kind) != 0)
		return NULL;
	if (*sent_kind && strcmp(sent_kind, kind) != 0)
		return NULL;
	for (size_t i = 0; i < sizeof(tops) / sizeof(tops[0]); i++) {
		if (strcmp(tops[i].kind, kind) != 0)
			continue;
		cJSON *out = cJSON_CreateObject();
		if (decode(msg.p, (size_t)(msg.end - msg.p), tops[i].fields, out) != 0) {
			cJSON_Delete(out);
			return NULL;
		}
		return out;
	}
	return NULL;
}
