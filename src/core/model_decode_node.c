#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "model_dec.h"

/* Nodes (core/v1), resource quantities, and a DaemonSet template's placement. */

/* A suffix's multiplier as base^exp (binary: 1024, decimal: 1000). */
struct qsuffix {
	const char *s;
	int base;
	int exp;
};

static const struct qsuffix suffixes[] = {
    {"Ki", 1024, 1}, {"Mi", 1024, 2}, {"Gi", 1024, 3}, {"Ti", 1024, 4}, {"Pi", 1024, 5},
    {"Ei", 1024, 6}, {"m", 1000, -1}, {"k", 1000, 1}, {"M", 1000, 2},  {"G", 1000, 3},
    {"T", 1000, 4},  {"P", 1000, 5},  {"E", 1000, 6}, {"", 1000, 0},
};

/* At most this many significant digits are kept (an int64 holds 18). */
#define QMAX_DIGITS 18

int64_t model_quantity(const char *s, int64_t scale)
{
	if (!s || !*s || scale <= 0 || strlen(s) > 64)
		return -1;
	const char *p = s;
	if (*p == '+')
		p++;
	if (!isdigit((unsigned char)*p) && *p != '.')
		return -1;
	/* value = mant / 10^fd (+ a dropped remainder when inexact). */
	int64_t mant = 0;
	int digits = 0, fd = 0;
	bool inexact = false, any = false;
	for (; isdigit((unsigned char)*p); p++, any = true) {
		if (digits == QMAX_DIGITS)
			return -1; /* a whole part this long does not fit */
		mant = mant * 10 + (*p - '0');
		digits += mant != 0;
	}
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++, any = true) {
			if (digits < QMAX_DIGITS) {
				mant = mant * 10 + (*p - '0');
				digits += mant != 0;
				fd++;
			} else if (*p != '0') {
				inexact = true;
			}
		}
	if (!any)
		return -1;
	int base = 10, exp = 0;
	if (*p == 'e' || *p == 'E') {
		/* A decimal exponent (an "E" alone is the exa suffix). */
		const char *q = p + 1;
		int sign = 1, e = 0, n = 0;
		if (*q == '+' || *q == '-')
			sign = *q++ == '-' ? -1 : 1;
		for (; isdigit((unsigned char)*q) && n < 3; q++, n++)
			e = e * 10 + (*q - '0');
		if (n && !*q) {
			exp = sign * e;
			p = q;
		}
	}
	if (*p) {
		const struct qsuffix *sf = NULL;
		for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
			if (strcmp(p, suffixes[i].s) == 0)
				sf = &suffixes[i];
		if (!sf)
			return -1;
		base = sf->base;
		exp = sf->exp;
	}
	/* ceil(mant * scale * base^exp / 10^fd) */
	int64_t num, den = 1;
	if (__builtin_mul_overflow(mant, scale, &num))
		return -1;
	for (int i = 0; i < exp; i++)
		if (__builtin_mul_overflow(num, (int64_t)base, &num))
			return -1;
	bool tiny = false;
	for (int i = 0; i < fd - (exp < 0 ? exp : 0) && !tiny; i++)
		tiny = __builtin_mul_overflow(den, (int64_t)(i < fd ? 10 : base), &den);
	if (tiny)
		return num > 0 || inexact ? 1 : 0;
	int64_t out = num / den;
	if (num % den || inexact)
		out++;
	return out;
}

/*
 * An array of objects whose fields are strings, into structs of nkeys
 * `const char *` (struct node_taint, struct toleration): at most cap
 * entries (*capped set when some were dropped).
 */
static void *dec_str_rows(const struct dec *d, const cJSON *obj, const char *key,
			  const char *const *keys, size_t nkeys, uint16_t cap, uint16_t *n,
			  uint8_t *capped)
{
	const cJSON *arr = arr_item(obj, key, n);
	if (!arr)
		return NULL;
	if (*n > cap) {
		*n = cap;
		*capped = 1;
	}
	const char **out = model_arena_alloc(d->arena, sizeof(*out) * nkeys * *n);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (i == *n)
			break;
		for (size_t k = 0; k < nkeys; k++)
			out[i * nkeys + k] = dec_str(d, e, keys[k]);
		i++;
	}
	return out;
}

static const char *const taint_keys[] = {"key", "value", "effect"};
static const char *const toleration_keys[] = {"key", "operator", "value", "effect"};
_Static_assert(sizeof(struct node_taint) == sizeof(taint_keys), "struct node_taint: strings");
_Static_assert(sizeof(struct toleration) == sizeof(toleration_keys), "struct toleration: strings");

static uint8_t ready_status(const cJSON *status)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, dec_key(status, "conditions"))
	{
		const cJSON *t = dec_key(c, "type");
		if (cJSON_IsString(t) && t->valuestring && strcmp(t->valuestring, "Ready") == 0)
			return dec_cond_status(c);
	}
	return MODEL_COND_UNKNOWN;
}

static int64_t allocatable(const cJSON *status, const char *res, int64_t scale)
{
	const cJSON *v = dec_key(obj_item(status, "allocatable"), res);
	return cJSON_IsString(v) ? model_quantity(v->valuestring, scale) : -1;
}

int model_decode_node(const struct cJSON *obj, struct node *n, struct model_arena *arena,
		      const struct model_decode_opts *opts, struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};
	memset(n, 0, sizeof(*n));
	if (dec_not_object(obj, "Node", err) < 0)
		return -1;
	const cJSON *meta = obj_item(obj, "metadata");
	const cJSON *spec = obj_item(obj, "spec");
	const cJSON *status = obj_item(obj, "status");
	n->name = dec_ustr(&d, meta, "name");
	n->uid = dec_ustr(&d, meta, "uid");
	n->created = dec_time(meta, "creationTimestamp");
	n->labels = dec_kv(&d, obj_item(meta, "labels"), &n->n_labels);
	n->unschedulable = cJSON_IsTrue(dec_key(spec, "unschedulable"));
	n->taints = dec_str_rows(&d, spec, "taints", taint_keys, 3, MODEL_MAX_TAINTS, &n->n_taints,
				 &n->taints_capped);
	n->ready = ready_status(status);
	n->alloc_cpu_milli = allocatable(status, "cpu", 1000);
	n->alloc_mem_bytes = allocatable(status, "memory", 1);
	return dec_done(&d);
}

void dec_ds_placement(const struct dec *d, const cJSON *pspec, struct daemonset *ds)
{
	ds->node_selector = dec_kv(d, obj_item(pspec, "nodeSelector"), &ds->n_node_selector);
	ds->tolerations = dec_str_rows(d, pspec, "tolerations", toleration_keys, 4,
				       MODEL_MAX_TOLERATIONS, &ds->n_tolerations, &ds->placement_capped);
	ds->tmpl_node_name = dec_str(d, pspec, "nodeName");
	ds->host_network = cJSON_IsTrue(dec_key(pspec, "hostNetwork"));
	const cJSON *req = obj_item(obj_item(obj_item(pspec, "affinity"), "nodeAffinity"),
				    "requiredDuringSchedulingIgnoredDuringExecution");
	if (!cJSON_IsObject(req))
		return;
	ds->has_node_affinity = 1;
	const cJSON *arr = arr_item(req, "nodeSelectorTerms", &ds->n_node_terms);
	if (!arr)
		return;
	if (ds->n_node_terms > MODEL_MAX_NODE_TERMS) {
		ds->n_node_terms = MODEL_MAX_NODE_TERMS;
		ds->placement_capped = 1;
	}
	ds->node_terms = model_arena_alloc(d->arena, sizeof(*ds->node_terms) * ds->n_node_terms);
	uint16_t i = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, arr)
	{
		if (i == ds->n_node_terms)
			break;
		struct node_term *nt = &ds->node_terms[i++];
		nt->exprs = dec_exprs_key(d, t, "matchExpressions", &nt->n_exprs);
		nt->fields = dec_exprs_key(d, t, "matchFields", &nt->n_fields);
	}
}
