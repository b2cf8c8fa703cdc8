#include "config.h"

#include <string.h>

#include "model_dec.h"

/* Services, Endpoints, Events and Namespaces (core/v1). */

static struct service_port *dec_svc_ports(const struct dec *d, const cJSON *spec, uint16_t *n)
{
	const cJSON *arr = arr_item(spec, "ports", n);
	if (!arr)
		return NULL;
	struct service_port *out = model_arena_alloc(d->arena, sizeof(*out) * *n);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (i == *n)
			break;
		struct service_port *p = &out[i++];
		p->name = dec_str(d, e, "name");
		p->protocol = dec_str(d, e, "protocol");
		if (!*p->protocol)
			p->protocol = dec_intern(d, "TCP");
		p->port = (int32_t)dec_int(d, e, "port", "ServicePort", DEC_INT32, 0, NULL);
		p->node_port =
		    (int32_t)dec_int(d, e, "nodePort", "ServicePort", DEC_INT32, 0, NULL);
		dec_intstr(d, e, "targetPort", "ServicePort", &p->target_port);
	}
	return out;
}

int model_decode_service(const struct cJSON *obj, struct service *s, struct model_arena *arena,
			 const struct model_decode_opts *opts, struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};

	memset(s, 0, sizeof(*s));
	if (dec_not_object(obj, "Service", err) < 0)
		return -1;
	const cJSON *meta = obj_item(obj, "metadata");
	const cJSON *spec = obj_item(obj, "spec");
	dec_meta(&d, obj, &s->namespace, &s->name, &s->uid, &s->created);
	s->labels = dec_kv(&d, obj_item(meta, "labels"), &s->n_labels);
	s->type = dec_str(&d, spec, "type");
	if (!*s->type)
		s->type = dec_intern(&d, "ClusterIP");
	s->cluster_ip = dec_ustr(&d, spec, "clusterIP");
	s->selector = dec_kv(&d, obj_item(spec, "selector"), &s->n_selector);
	s->ports = dec_svc_ports(&d, spec, &s->n_ports);
	return dec_done(&d);
}

static uint16_t count_addresses(const cJSON *subsets)
{
	unsigned total = 0;
	const cJSON *ss;
	cJSON_ArrayForEach(ss, subsets)
	{
		uint16_t n;
		if (arr_item(ss, "addresses", &n))
			total += n;
		if (arr_item(ss, "notReadyAddresses", &n))
			total += n;
	}
	return (uint16_t)(total > UINT16_MAX ? UINT16_MAX : total);
}

static void dec_addresses(const struct dec *d, const cJSON *arr, bool ready, struct endpoints *ep,
			  uint16_t cap)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, arr)
	{
		if (ep->n_addresses == cap)
			return;
		struct endpoint_address *x = &ep->addresses[ep->n_addresses++];
		const cJSON *ref = obj_item(a, "targetRef");
		x->ip = dec_ustr(d, a, "ip");
		x->node_name = dec_str(d, a, "nodeName");
		x->target_kind = dec_str(d, ref, "kind");
		x->target_name = dec_str(d, ref, "name");
		x->ready = ready;
		if (ready)
			ep->n_ready++;
	}
}

static struct endpoint_port *dec_ep_ports(const struct dec *d, const cJSON *subsets, uint16_t *n)
{
	const cJSON *ss, *arr = NULL;
	*n = 0;
	cJSON_ArrayForEach(ss, subsets)
	{
		if ((arr = arr_item(ss, "ports", n)))
			break;
	}
	if (!arr)
		return NULL;
	struct endpoint_port *out = model_arena_alloc(d->arena, sizeof(*out) * *n);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (i == *n)
			break;
		out[i].name = dec_str(d, e, "name");
		out[i].protocol = dec_str(d, e, "protocol");
		out[i].port = (int32_t)dec_int(d, e, "port", "EndpointPort", DEC_INT32, 0, NULL);
		i++;
	}
	return out;
}

int model_decode_endpoints(const struct cJSON *obj, struct endpoints *ep, struct model_arena *arena,
			   const struct model_decode_opts *opts, struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};

	memset(ep, 0, sizeof(*ep));
	if (dec_not_object(obj, "Endpoints", err) < 0)
		return -1;
	dec_meta(&d, obj, &ep->namespace, &ep->name, &ep->uid, &ep->created);
	const cJSON *subsets = dec_key(obj, "subsets");
	if (!cJSON_IsArray(subsets))
		return 0;
	uint16_t cap = count_addresses(subsets);
	if (cap)
		ep->addresses = model_arena_alloc(arena, sizeof(*ep->addresses) * cap);
	const cJSON *ss;
	cJSON_ArrayForEach(ss, subsets)
	{
		uint16_t n;
		dec_addresses(&d, arr_item(ss, "addresses", &n), true, ep, cap);
		dec_addresses(&d, arr_item(ss, "notReadyAddresses", &n), false, ep, cap);
	}
	ep->ports = dec_ep_ports(&d, subsets, &ep->n_ports);
	return dec_done(&d);
}

int model_decode_event(const struct cJSON *obj, struct event *ev, struct model_arena *arena,
		       const struct model_decode_opts *opts, struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};

	memset(ev, 0, sizeof(*ev));
	if (dec_not_object(obj, "Event", err) < 0)
		return -1;
	int64_t created;
	dec_meta(&d, obj, &ev->namespace, &ev->name, &ev->uid, &created);
	const cJSON *io = obj_item(obj, "involvedObject");
	ev->involved_kind = dec_str(&d, io, "kind");
	ev->involved_namespace = dec_str(&d, io, "namespace");
	ev->involved_name = dec_str(&d, io, "name");
	ev->involved_uid = dec_str(&d, io, "uid");
	ev->involved_field = dec_str(&d, io, "fieldPath");
	ev->reason = dec_str(&d, obj, "reason");
	ev->message = dec_ustr(&d, obj, "message");
	ev->source = dec_str(&d, obj_item(obj, "source"), "component");
	if (!*ev->source)
		ev->source = dec_str(&d, obj, "reportingComponent");
	const cJSON *type = dec_key(obj, "type");
	ev->warning = cJSON_IsString(type) && strcmp(type->valuestring, "Warning") == 0;

	const cJSON *series = obj_item(obj, "series");
	ev->first = dec_time(obj, "firstTimestamp");
	if (!ev->first)
		ev->first = dec_time(obj, "eventTime");
	if (!ev->first)
		ev->first = created;
	ev->last = dec_time(obj, "lastTimestamp");
	if (!ev->last)
		ev->last = dec_time(series, "lastObservedTime");
	if (!ev->last)
		ev->last = ev->first;
	ev->count = (int32_t)dec_int(&d, obj, "count", "Event", DEC_INT32, 0, NULL);
	if (ev->count <= 0)
		ev->count =
		    (int32_t)dec_int(&d, series, "count", "EventSeries", DEC_INT32, 1, NULL);
	if (ev->count <= 0)
		ev->count = 1;
	return dec_done(&d);
}

int model_decode_namespace(const struct cJSON *obj, struct namespace_obj *ns,
			   struct model_arena *arena, const struct model_decode_opts *opts,
			   struct perr *err)
{
	const struct dec d = {arena, opts, NULL};

	memset(ns, 0, sizeof(*ns));
	if (dec_not_object(obj, "Namespace", err) < 0)
		return -1;
	const cJSON *meta = obj_item(obj, "metadata");
	ns->name = dec_ustr(&d, meta, "name");
	ns->uid = dec_ustr(&d, meta, "uid");
	ns->created = dec_time(meta, "creationTimestamp");
	ns->deleted = dec_time(meta, "deletionTimestamp");
	ns->phase = dec_str(&d, obj_item(obj, "status"), "phase");
	ns->labels = dec_kv(&d, obj_item(meta, "labels"), &ns->n_labels);
	return 0;
}
