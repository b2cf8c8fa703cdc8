#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "podscope/xalloc.h"

#include "list.h"
#include "podcols.h"
#include "printer.h"
#include "table.h"

struct col {
	const char *name, *type, *format;
	int priority;
};

/* The columns of each resource, as kube-apiserver defines them; priority 1 = wide only. */
static const struct col pod_cols[] = {
	{"Name", "string", "name", 0},
	{"Ready", "string", "", 0},
	{"Status", "string", "", 0},
	{"Restarts", "string", "", 0},
	{"Age", "string", "", 0},
	{"IP", "string", "", 1},
	{"Node", "string", "", 1},
	{"Nominated Node", "string", "", 1},
	{"Readiness Gates", "string", "", 1},
	{NULL, NULL, NULL, 0},
};
static const struct col deploy_cols[] = {
	{"Name", "string", "name", 0},
	{"Ready", "string", "", 0},
	{"Up-to-date", "integer", "", 0},
	{"Available", "integer", "", 0},
	{"Age", "string", "", 0},
	{"Containers", "string", "", 1},
	{"Images", "string", "", 1},
	{"Selector", "string", "", 1},
	{NULL, NULL, NULL, 0},
};
static const struct col rs_cols[] = {
	{"Name", "string", "name", 0}, {"Desired", "integer", "", 0}, {"Current", "integer", "", 0},
	{"Ready", "integer", "", 0},   {"Age", "string", "", 0},      {"Containers", "string", "", 1},
	{"Images", "string", "", 1},   {"Selector", "string", "", 1}, {NULL, NULL, NULL, 0},
};
static const struct col svc_cols[] = {
	{"Name", "string", "name", 0},    {"Type", "string", "", 0},    {"Cluster-IP", "string", "", 0},
	{"External-IP", "string", "", 0}, {"Port(s)", "string", "", 0}, {"Age", "string", "", 0},
	{"Selector", "string", "", 1},    {NULL, NULL, NULL, 0},
};
static const struct col ep_cols[] = {
	{"Name", "string", "name", 0},
	{"Endpoints", "string", "", 0},
	{"Age", "string", "", 0},
	{NULL, NULL, NULL, 0},
};
static const struct col ev_cols[] = {
	{"Last Seen", "string", "", 0}, {"Type", "string", "", 0},       {"Reason", "string", "", 0},
	{"Object", "string", "", 0},    {"Subobject", "string", "", 1},  {"Source", "string", "", 1},
	{"Message", "string", "", 0},   {"First Seen", "string", "", 1}, {"Count", "string", "", 1},
	{"Name", "string", "", 1},      {NULL, NULL, NULL, 0},
};
static const struct col ns_cols[] = {
	{"Name", "string", "name", 0},
	{"Status", "string", "", 0},
	{"Age", "string", "", 0},
	{NULL, NULL, NULL, 0},
};
static const struct col node_cols[] = {
	{"Name", "string", "name", 0}, {"Status", "string", "", 0},  {"Roles", "string", "", 0},
	{"Age", "string", "", 0},      {"Version", "string", "", 0}, {NULL, NULL, NULL, 0},
};
static const struct col eps_cols[] = {
	{"Name", "string", "name", 0},  {"AddressType", "string", "", 0}, {"Ports", "string", "", 0},
	{"Endpoints", "string", "", 0}, {"Age", "string", "", 0},         {NULL, NULL, NULL, 0},
};
static const struct col sts_cols[] = {
	{"Name", "string", "name", 0},     {"Ready", "string", "", 0},
	{"Age", "string", "", 0},          {"Containers", "string", "", 1},
	{"Images", "string", "", 1},       {NULL, NULL, NULL, 0},
};
static const struct col cr_cols[] = {
	{"Name", "string", "name", 0},   {"Controller", "string", "", 0},
	{"Revision", "integer", "", 0},  {"Age", "string", "", 0},
	{NULL, NULL, NULL, 0},
};
static const struct col pvc_cols[] = {
	{"Name", "string", "name", 0},           {"Status", "string", "", 0},
	{"Volume", "string", "", 0},             {"Capacity", "string", "", 0},
	{"Access Modes", "string", "", 0},       {"StorageClass", "string", "", 0},
	{"VolumeAttributesClass", "string", "", 0}, {"Age", "string", "", 0},
	{"VolumeMode", "string", "", 1},         {NULL, NULL, NULL, 0},
};
static const struct col ds_cols[] = {
	{"Name", "string", "name", 0},      {"Desired", "integer", "", 0},
	{"Current", "integer", "", 0},      {"Ready", "integer", "", 0},
	{"Up-to-date", "integer", "", 0},   {"Available", "integer", "", 0},
	{"Node Selector", "string", "", 0}, {"Age", "string", "", 0},
	{"Containers", "string", "", 1},    {"Images", "string", "", 1},
	{"Selector", "string", "", 1},      {NULL, NULL, NULL, 0},
};
static const struct col job_cols[] = {
	{"Name", "string", "name", 0},     {"Status", "string", "", 0},
	{"Completions", "string", "", 0},  {"Duration", "string", "", 0},
	{"Age", "string", "", 0},          {"Containers", "string", "", 1},
	{"Images", "string", "", 1},       {"Selector", "string", "", 1},
	{NULL, NULL, NULL, 0},
};
static const struct col cronjob_cols[] = {
	{"Name", "string", "name", 0},          {"Schedule", "string", "", 0},
	{"Timezone", "string", "", 0},          {"Suspend", "boolean", "", 0},
	{"Active", "integer", "", 0},           {"Last Schedule", "string", "", 0},
	{"Age", "string", "", 0},               {"Containers", "string", "", 1},
	{"Images", "string", "", 1},            {"Selector", "string", "", 1},
	{NULL, NULL, NULL, 0},
};
static const struct col quota_cols[] = {
	{"Name", "string", "name", 0}, {"Age", "string", "", 0},   {"Request", "string", "", 0},
	{"Limit", "string", "", 0},    {NULL, NULL, NULL, 0},
};
static const struct col pdb_cols[] = {
	{"Name", "string", "name", 0},            {"Min Available", "string", "", 0},
	{"Max Unavailable", "string", "", 0},     {"Allowed Disruptions", "integer", "", 0},
	{"Age", "string", "", 0},                 {NULL, NULL, NULL, 0},
};
static const struct col hpa_cols[] = {
	{"Name", "string", "name", 0},  {"Reference", "string", "", 0}, {"Targets", "string", "", 0},
	{"MinPods", "string", "", 0},   {"MaxPods", "integer", "", 0},  {"Replicas", "integer", "", 0},
	{"Age", "string", "", 0},       {NULL, NULL, NULL, 0},
};
static const struct col generic_cols[] = {
	{"Name", "string", "name", 0},
	{"Age", "string", "", 0},
	{NULL, NULL, NULL, 0},
};

static const struct col *columns_of(const struct simres *res)
{
	static const struct {
		const char *plural;
		const struct col *cols;
	} map[] = {
	    {"pods", pod_cols},      {"deployments", deploy_cols}, {"replicasets", rs_cols},
	    {"services", svc_cols},  {"endpoints", ep_cols},       {"events", ev_cols},
	    {"namespaces", ns_cols}, {"nodes", node_cols},         {"endpointslices", eps_cols},
	    {"statefulsets", sts_cols}, {"controllerrevisions", cr_cols},
	    {"persistentvolumeclaims", pvc_cols},
	    {"daemonsets", ds_cols},
	    {"jobs", job_cols}, {"cronjobs", cronjob_cols},
	    {"resourcequotas", quota_cols}, {"poddisruptionbudgets", pdb_cols},
	    {"horizontalpodautoscalers", hpa_cols},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].plural, res->plural) == 0)
			return map[i].cols;
	return generic_cols;
}

void simtable_columns(struct buf *b, const struct simres *res)
{
	buf_addc(b, '[');
	const struct col *c = columns_of(res);
	for (int i = 0; c[i].name; i++)
		buf_printf(b,
		           "%s{\"name\":\"%s\",\"type\":\"%s\",\"format\":\"%s\","
		           "\"description\":\"\",\"priority\":%d}",
		           i ? "," : "", c[i].name, c[i].type, c[i].format, c[i].priority);
	buf_addc(b, ']');
}

/* --- cell helpers ---------------------------------------------------------- */

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}


static void cell_or_none(struct buf *b, const char *s)
{
	simprint_cell(b, s && *s ? s : "<none>");
}

static void since(const char *ts, time_t now, char out[SIMPRINT_TIME_LEN])
{
	simprint_since(ts, (int64_t)now * 1000, out);
}

static void age_cell(struct buf *b, const cJSON *obj, time_t now)
{
	char age[SIMPRINT_TIME_LEN];
	since(str(get(obj, "metadata"), "creationTimestamp"), now, age);
	simprint_cell(b, age);
}

/* "k1=v1,k2=v2" with keys sorted, as labels.FormatLabels prints them. */
static void format_labels(struct buf *out, const cJSON *map)
{
	size_t n = (size_t)cJSON_GetArraySize(map);
	const cJSON **items = calloc(n + 1, sizeof(*items));
	size_t k = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, map)
	{
		if (cJSON_IsString(it))
			items[k++] = it;
	}
	for (size_t i = 1; i < k; i++) /* insertion sort: label sets are small */
		for (size_t j = i; j > 0 && strcmp(items[j - 1]->string, items[j]->string) > 0;
		     j--) {
			const cJSON *t = items[j];
			items[j] = items[j - 1];
			items[j - 1] = t;
		}
	for (size_t i = 0; i < k; i++)
		buf_printf(out, "%s%s=%s", i ? "," : "", items[i]->string, items[i]->valuestring);
	free(items);
}

static void selector_cell(struct buf *b, const cJSON *sel)
{
	struct buf s = BUF_INIT;
	format_labels(&s, get(sel, "matchLabels") ? get(sel, "matchLabels") : sel);
	cell_or_none(b, s.data);
	buf_free(&s);
}

/* --- per resource ---------------------------------------------------------- */

/* printPod's cells (podcols.c); the wide ones are plain fields. */
static void pod_cells(struct buf *b, const cJSON *o, time_t now, const struct podcols *pc)
{
	const cJSON *status = get(o, "status");
	simprint_cell(b, pc->ready);
	simprint_cell(b, pc->status);
	simprint_cell(b, pc->restarts);
	age_cell(b, o, now);
	const cJSON *ips = get(status, "podIPs");
	cell_or_none(b, cJSON_GetArraySize(ips) ? str(cJSON_GetArrayItem(ips, 0), "ip") : NULL);
	cell_or_none(b, str(get(o, "spec"), "nodeName"));
	cell_or_none(b, str(status, "nominatedNodeName"));
	simprint_cell(b, pc->gates);
}

/* The row condition printPod sets on a pod that has finished. */
static void pod_row_conditions(struct buf *b, const struct podcols *pc)
{
	if (pc->row == PODCOLS_ROW_ACTIVE)
		return;
	bool ok = pc->row == PODCOLS_ROW_SUCCEEDED;
	buf_printf(b,
	           ",\"conditions\":[{\"type\":\"Completed\",\"status\":\"True\","
	           "\"reason\":\"%s\",\"message\":\"%s\"}]",
	           ok ? "Succeeded" : "Failed",
	           ok ? "The pod has completed successfully." : "The pod failed.");
}

static void service_cells(struct buf *b, const cJSON *o, time_t now)
{
	const cJSON *spec = get(o, "spec");
	const char *type = *str(spec, "type") ? str(spec, "type") : "ClusterIP";
	simprint_cell(b, type);
	cell_or_none(b, str(spec, "clusterIP"));
	struct buf ext = BUF_INIT;
	const cJSON *it;
	if (strcmp(type, "ExternalName") == 0)
		buf_adds(&ext, str(spec, "externalName"));
	cJSON_ArrayForEach(it, get(get(get(o, "status"), "loadBalancer"), "ingress"))
	{
		buf_printf(&ext, "%s%s", ext.len ? "," : "",
		           *str(it, "ip") ? str(it, "ip") : str(it, "hostname"));
	}
	cJSON_ArrayForEach(it, get(spec, "externalIPs"))
	{
		if (cJSON_IsString(it))
			buf_printf(&ext, "%s%s", ext.len ? "," : "", it->valuestring);
	}
	if (!ext.len && strcmp(type, "LoadBalancer") == 0)
		buf_adds(&ext, "<pending>");
	cell_or_none(b, ext.data);
	buf_free(&ext);
	struct buf ports = BUF_INIT;
	cJSON_ArrayForEach(it, get(spec, "ports"))
	{
		const char *proto = *str(it, "protocol") ? str(it, "protocol") : "TCP";
		long long np = simprint_int(it, "nodePort", 0);
		if (np)
			buf_printf(&ports, "%s%lld:%lld/%s", ports.len ? "," : "",
			           simprint_int(it, "port", 0), np, proto);
		else
			buf_printf(&ports, "%s%lld/%s", ports.len ? "," : "", simprint_int(it, "port", 0),
			           proto);
	}
	cell_or_none(b, ports.data);
	buf_free(&ports);
	age_cell(b, o, now);
	selector_cell(b, get(spec, "selector"));
}

/* "a:80,b:80,c:80 + 2 more..." as kubectl's formatEndpoints prints it. */
static void endpoints_cells(struct buf *b, const cJSON *o, time_t now)
{
	struct buf s = BUF_INIT;
	int count = 0, more = 0;
	const cJSON *ss, *addr, *port;
	cJSON_ArrayForEach(ss, get(o, "subsets"))
	{
		const cJSON *ports = get(ss, "ports");
		cJSON_ArrayForEach(addr, get(ss, "addresses"))
		{
			if (!cJSON_GetArraySize(ports)) {
				if (count++ < 3)
					buf_printf(&s, "%s%s", s.len ? "," : "", str(addr, "ip"));
				else
					more++;
			}
			cJSON_ArrayForEach(port, ports)
			{
				if (count++ < 3)
					buf_printf(&s, "%s%s:%lld", s.len ? "," : "",
					           str(addr, "ip"), simprint_int(port, "port", 0));
				else
					more++;
			}
		}
	}
	if (more)
		buf_printf(&s, " + %d more...", more);
	cell_or_none(b, s.data);
	buf_free(&s);
	age_cell(b, o, now);
}

static void event_cells(struct buf *b, const cJSON *o, time_t now)
{
	char first[SIMPRINT_TIME_LEN], last[SIMPRINT_TIME_LEN];
	const char *ft = str(o, "firstTimestamp");
	since(*ft ? ft : str(o, "eventTime"), now, first);
	const char *lt = str(o, "lastTimestamp");
	if (*lt)
		since(lt, now, last);
	else
		memcpy(last, first, sizeof(last));
	long long count = simprint_int(o, "count", 0);
	const cJSON *series = get(o, "series");
	if (series) {
		since(str(series, "lastObservedTime"), now, last);
		count = simprint_int(series, "count", 0);
	} else if (count == 0) {
		count = 1;
	}
	const cJSON *inv = get(o, "involvedObject");
	char object[512];
	snprintf(object, sizeof(object), "%s/%s", str(inv, "kind"), str(inv, "name"));
	for (char *p = object; *p && *p != '/'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	simprint_cell(b, last);
	simprint_cell(b, str(o, "type"));
	simprint_cell(b, str(o, "reason"));
	simprint_cell(b, object);
	simprint_cell(b, str(inv, "fieldPath"));
	const cJSON *src = get(o, "source");
	char source[300];
	if (*str(src, "host"))
		snprintf(source, sizeof(source), "%s, %s", str(src, "component"), str(src, "host"));
	else
		snprintf(source, sizeof(source), "%s",
		         *str(src, "component") ? str(src, "component")
		                                : str(o, "reportingComponent"));
	simprint_cell(b, source);
	/* kubectl trims the message's surrounding space. */
	const char *msg = str(o, "message");
	while (*msg == ' ' || *msg == '\n' || *msg == '\t')
		msg++;
	char *m = xstrdup(msg);
	for (size_t n = strlen(m); n && (m[n - 1] == ' ' || m[n - 1] == '\n'); n--)
		m[n - 1] = '\0';
	simprint_cell(b, m);
	free(m);
	simprint_cell(b, first);
	char cnt[32];
	snprintf(cnt, sizeof(cnt), "%lld", count);
	simprint_cell(b, cnt);
	simprint_cell(b, str(get(o, "metadata"), "name"));
}

static void node_cells(struct buf *b, const cJSON *o, time_t now)
{
	const char *state = "Unknown";
	const cJSON *c;
	cJSON_ArrayForEach(c, get(get(o, "status"), "conditions"))
	{
		if (strcmp(str(c, "type"), "Ready") == 0)
			state = strcmp(str(c, "status"), "True") == 0 ? "Ready" : "NotReady";
	}
	char s[64];
	snprintf(s, sizeof(s), "%s%s", state,
	         cJSON_IsTrue(get(get(o, "spec"), "unschedulable")) ? ",SchedulingDisabled" : "");
	simprint_cell(b, s);
	struct buf roles = BUF_INIT;
	cJSON_ArrayForEach(c, get(get(o, "metadata"), "labels"))
	{
		const char *pfx = "node-role.kubernetes.io/";
		if (strncmp(c->string, pfx, strlen(pfx)) == 0 && c->string[strlen(pfx)])
			buf_printf(&roles, "%s%s", roles.len ? "," : "", c->string + strlen(pfx));
	}
	cell_or_none(b, roles.data);
	buf_free(&roles);
	age_cell(b, o, now);
	simprint_cell(b, str(get(get(o, "status"), "nodeInfo"), "kubeletVersion"));
}

static void slice_cells(struct buf *b, const cJSON *o, time_t now)
{
	simprint_cell(b, str(o, "addressType"));
	struct buf s = BUF_INIT;
	const cJSON *it, *a;
	cJSON_ArrayForEach(it, get(o, "ports"))
	{
		buf_printf(&s, "%s%lld", s.len ? "," : "", simprint_int(it, "port", 0));
	}
	simprint_cell(b, s.len ? s.data : "<unset>");
	buf_reset(&s);
	int count = 0;
	cJSON_ArrayForEach(it, get(o, "endpoints"))
	{
		cJSON_ArrayForEach(a, get(it, "addresses"))
		{
			if (count++ < 3 && cJSON_IsString(a))
				buf_printf(&s, "%s%s", s.len ? "," : "", a->valuestring);
		}
	}
	if (count > 3)
		buf_printf(&s, " + %d more...", count - 3);
	simprint_cell(b, s.len ? s.data : "<unset>");
	buf_free(&s);
	age_cell(b, o, now);
}

void simtable_row(struct buf *b, const struct simobj *o, int include, time_t now)
{
	const char *p = o->res->plural;
	struct podcols pc;
	bool pod = strcmp(p, "pods") == 0;
	buf_adds(b, "{\"cells\":[");
	if (strcmp(p, "events") != 0)
		buf_add_json_string(b, o->name);
	if (pod) {
		simpod_columns(o->json, now, &pc);
		pod_cells(b, o->json, now, &pc);
	} else if (strcmp(p, "deployments") == 0) {
		simprint_deployment_cells(b, o->json, (int64_t)now * 1000);
	} else if (strcmp(p, "replicasets") == 0) {
		simprint_replicaset_cells(b, o->json, (int64_t)now * 1000);
	} else if (strcmp(p, "services") == 0) {
		service_cells(b, o->json, now);
	} else if (strcmp(p, "endpoints") == 0) {
		endpoints_cells(b, o->json, now);
	} else if (strcmp(p, "events") == 0) {
		struct buf tmp = BUF_INIT;
		event_cells(&tmp, o->json, now);
		buf_add(b, tmp.data + 1, tmp.len - 1); /* no leading comma: no name cell */
		buf_free(&tmp);
	} else if (strcmp(p, "namespaces") == 0) {
		const char *phase = str(get(o->json, "status"), "phase");
		simprint_cell(b, *phase ? phase : "Active");
		age_cell(b, o->json, now);
	} else if (strcmp(p, "nodes") == 0) {
		node_cells(b, o->json, now);
	} else if (strcmp(p, "endpointslices") == 0) {
		slice_cells(b, o->json, now);
	} else if (strcmp(p, "statefulsets") == 0) {
		simprint_statefulset_cells(b, o->json, (int64_t)now * 1000);
	} else if (strcmp(p, "controllerrevisions") == 0) {
		simprint_controllerrevision_cells(b, o->json, (int64_t)now * 1000);
	} else if (strcmp(p, "persistentvolumeclaims") == 0) {
		simprint_pvc_cells(b, o->json, (int64_t)now * 1000);
	} else if (strcmp(p, "daemonsets") == 0) {
		simprint_daemonset_cells(b, o->json, (int64_t)now * 1000);
	} else if (strcmp(p, "jobs") == 0) {
		simprint_job_cells(b, o->json, (int64_t)now * 1000);
	} else if (strcmp(p, "cronjobs") == 0) {
		simprint_cronjob_cells(b, o->json, (int64_t)now * 1000);
	} else if (strcmp(p, "resourcequotas") == 0) {
		simprint_quota_cells(b, o->json, (int64_t)now * 1000);
	} else if (strcmp(p, "poddisruptionbudgets") == 0) {
		simprint_pdb_cells(b, o->json, (int64_t)now * 1000);
	} else if (strcmp(p, "horizontalpodautoscalers") == 0) {
		simprint_hpa_cells(b, o->json, (int64_t)now * 1000);
	} else {
		age_cell(b, o->json, now);
	}
	buf_addc(b, ']');
	if (pod)
		pod_row_conditions(b, &pc);
	if (include == SIMFMT_OBJ_OBJECT) {
		buf_adds(b, ",\"object\":");
		buf_add(b, o->ser, o->ser_len);
	} else if (include == SIMFMT_OBJ_METADATA) {
		char *md = cJSON_PrintUnformatted(get(o->json, "metadata"));
		buf_adds(b, ",\"object\":{\"kind\":\"PartialObjectMetadata\","
		            "\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":");
		buf_adds(b, md ? md : "{}");
		buf_addc(b, '}');
		free(md);
	}
	buf_addc(b, '}');
}

void simtable_single(struct buf *b, const struct simobj *o, int include, time_t now)
{
	buf_printf(b,
	           "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":"
	           "{\"resourceVersion\":\"%llu\"},\"columnDefinitions\":",
	           (unsigned long long)o->rv);
	simtable_columns(b, o->res);
	buf_adds(b, ",\"rows\":[");
	simtable_row(b, o, include, now);
	buf_adds(b, "]}");
}
