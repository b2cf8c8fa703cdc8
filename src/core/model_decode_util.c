#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/duration.h"

#include "model_dec.h"

const char *dec_intern(const struct dec *d, const char *s)
{
	if (!s || *s == '\0')
		return "";
	if (d->opts && d->opts->intern)
		return d->opts->intern(d->opts->ctx, s);
	return model_arena_strdup(d->arena, s);
}

const cJSON *dec_key(const cJSON *obj, const char *key)
{
	if (!obj || !key)
		return NULL;
	for (const cJSON *c = obj->child; c; c = c->next) {
		if (!c->string)
			return NULL; /* an array's element: cJSON stops there too */
		if (c->string[0] == key[0] && strcmp(c->string, key) == 0)
			return c;
	}
	return NULL;
}

static const char *str_of(const cJSON *obj, const char *key)
{
	const cJSON *v = dec_key(obj, key);
	return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

const char *dec_str(const struct dec *d, const cJSON *obj, const char *key)
{
	return dec_intern(d, str_of(obj, key));
}

const char *dec_ustr(const struct dec *d, const cJSON *obj, const char *key)
{
	const char *s = str_of(obj, key);
	if (!*s)
		return "";
	if (d->opts && d->opts->intern && !d->opts->unique_in_arena)
		return d->opts->intern(d->opts->ctx, s);
	return model_arena_strdup(d->arena, s);
}

/* x as the shortest literal that reads back the same ("1e300", "2147483648"). */
static void num_literal(double x, char *out, size_t n)
{
	if (isinf(x)) {
		snprintf(out, n, "%s", x > 0 ? "beyond float64" : "below -float64");
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, n, "%.*g", prec, x);
		if (strtod(out, NULL) == x)
			break;
	}
	/* Go writes an exponent with neither '+' nor leading zeros (3e9,
	 * 1e-7); C's %g writes 3e+09 and 1e-07. */
	char *e = strchr(out, 'e');
	if (!e)
		return;
	char *digits = e + 1;
	if (*digits == '+')
		memmove(digits, digits + 1, strlen(digits + 1) + 1);
	else if (*digits == '-')
		digits++;
	size_t zeros = strspn(digits, "0");
	if (zeros && digits[zeros])
		memmove(digits, digits + zeros, strlen(digits + zeros) + 1);
}

static void dec_failed(const struct dec *d, const char *key, const char *st, const char *type,
		       double x, const char *why)
{
	if (!d->fail || d->fail->failed)
		return;
	d->fail->failed = true;
	char lit[40];
	num_literal(x, lit, sizeof(lit));
	if (why)
		perr_set(d->fail->err, PERR_API,
			 "json: number %s in Go struct field %s.%s of type %s: %s", lit, st, key,
			 type, why);
	else
		perr_set(d->fail->err, PERR_API,
			 "json: cannot unmarshal number %s into Go struct field %s.%s of type %s",
			 lit, st, key, type);
}

int64_t dec_int(const struct dec *d, const cJSON *obj, const char *key, const char *st,
		enum dec_type t, int64_t dflt, uint8_t *present)
{
	const cJSON *v = dec_key(obj, key);
	if (!cJSON_IsNumber(v))
		return dflt;
	if (present)
		*present = 1;
	double x = v->valuedouble;
	bool i64 = t == DEC_INT64 || t == DEC_INT64_SAT;
	const char *type = i64 ? "int64" : "int32";
	/* 2^63 is exact in a double; INT64_MAX is not. */
	double lo = i64 ? -9223372036854775808.0 : INT32_MIN;
	double hi = i64 ? 9223372036854775808.0 : (double)INT32_MAX + 1;
	if (!(x >= lo && x < hi) || x != floor(x)) {
		dec_failed(d, key, st, type, x, NULL);
		return dflt;
	}
	switch (t) {
	case DEC_INT32:
		break;
	case DEC_INT32_SIG:
		if (x < -(1 << 23) || x >= (1 << 23)) {
			dec_failed(d, key, st, type, x,
				   "beyond the 24 bits podscope holds a signal in");
			return dflt;
		}
		break;
	case DEC_INT64:
		if (x < -9007199254740992.0 || x > 9007199254740992.0) {
			dec_failed(d, key, st, type, x,
				   "beyond 2^53, where podscope can no longer read it exactly");
			return dflt;
		}
		break;
	case DEC_INT64_SAT:
		return x > INT32_MAX ? INT32_MAX : x < INT32_MIN ? INT32_MIN : (int64_t)x;
	}
	return (int64_t)x;
}

void dec_int32s(const struct dec *d, const cJSON *obj, const char *st, const struct dec_field *f,
		size_t n)
{
	for (size_t i = 0; i < n; i++)
		*f[i].out = (int32_t)dec_int(d, obj, f[i].key, st, DEC_INT32, 0, NULL);
}

int dec_done(const struct dec *d)
{
	return d->fail && d->fail->failed ? -1 : 0;
}

bool dec_bool(const cJSON *obj, const char *key, uint8_t *tri)
{
	const cJSON *v = dec_key(obj, key);
	if (tri)
		*tri = cJSON_IsBool(v) ? (cJSON_IsTrue(v) ? MODEL_TRUE : MODEL_FALSE) : MODEL_UNSET;
	return cJSON_IsTrue(v);
}

int64_t dec_time(const cJSON *obj, const char *key)
{
	const cJSON *v = dec_key(obj, key);
	int64_t t = 0;
	if (!cJSON_IsString(v) || !v->valuestring)
		return 0;
	if (duration_parse_rfc3339(v->valuestring, &t, NULL) < 0)
		return 0;
	return t;
}

const cJSON *obj_item(const cJSON *obj, const char *key)
{
	const cJSON *v = dec_key(obj, key);
	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *arr_item(const cJSON *obj, const char *key, uint16_t *n)
{
	const cJSON *v = dec_key(obj, key);
	int len = cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 0;
	*n = (uint16_t)(len > UINT16_MAX ? UINT16_MAX : len);
	return *n ? v : NULL;
}

uint8_t dec_cond_status(const cJSON *obj)
{
	const char *s = str_of(obj, "status");
	if (strcmp(s, "True") == 0)
		return MODEL_COND_TRUE;
	if (strcmp(s, "False") == 0)
		return MODEL_COND_FALSE;
	return MODEL_COND_UNKNOWN;
}

int dec_not_object(const cJSON *obj, const char *kind, struct perr *err)
{
	if (cJSON_IsObject(obj))
		return 0;
	perr_set(err, PERR_API, "cannot decode %s: not a JSON object", kind);
	return -1;
}

void dec_meta(const struct dec *d, const cJSON *obj, const char **ns, const char **name,
	      const char **uid, int64_t *created)
{
	const cJSON *meta = obj_item(obj, "metadata");
	*ns = dec_str(d, meta, "namespace");
	*name = dec_ustr(d, meta, "name");
	*uid = dec_ustr(d, meta, "uid");
	*created = dec_time(meta, "creationTimestamp");
}

struct model_kv *dec_kv_but(const struct dec *d, const cJSON *map, uint16_t *n,
			    bool (*drop)(void *ud, const char *key, const char *value), void *ud)
{
	*n = 0;
	if (!cJSON_IsObject(map))
		return NULL;
	uint16_t len = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, map)
	{
		if (cJSON_IsString(e) && e->string && len < UINT16_MAX &&
		    !(drop && drop(ud, e->string, e->valuestring)))
			len++;
	}
	if (!len)
		return NULL;
	struct model_kv *kv = model_arena_alloc(d->arena, sizeof(*kv) * len);
	cJSON_ArrayForEach(e, map)
	{
		if (*n == len)
			break;
		if (!cJSON_IsString(e) || !e->string || (drop && drop(ud, e->string, e->valuestring)))
			continue;
		kv[*n].key = dec_intern(d, e->string);
		kv[*n].value = dec_intern(d, e->valuestring);
		(*n)++;
	}
	return kv;
}

struct model_kv *dec_kv(const struct dec *d, const cJSON *map, uint16_t *n)
{
	return dec_kv_but(d, map, n, NULL, NULL);
}

struct owner_ref *dec_owners(const struct dec *d, const cJSON *meta, uint16_t *n)
{
	const cJSON *arr = arr_item(meta, "ownerReferences", n);
	if (!arr)
		return NULL;
	struct owner_ref *out = model_arena_alloc(d->arena, sizeof(*out) * *n);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (i == *n)
			break;
		out[i].kind = dec_str(d, e, "kind");
		out[i].name = dec_str(d, e, "name");
		out[i].uid = dec_str(d, e, "uid");
		out[i].controller = dec_bool(e, "controller", NULL);
		i++;
	}
	return out;
}

void dec_intstr(const struct dec *d, const cJSON *obj, const char *key, const char *st,
		struct intstr *v)
{
	const cJSON *x = dec_key(obj, key);
	if (cJSON_IsNumber(x))
		*v = INTSTR_FROM_INT((int32_t)dec_int(d, obj, key, st, DEC_INT32, 0, NULL));
	else if (cJSON_IsString(x) && x->valuestring)
		*v = INTSTR_FROM_STR(dec_str(d, obj, key));
}

const char **dec_images(const struct dec *d, const cJSON *podspec, const char *key, uint16_t *n)
{
	const cJSON *arr = arr_item(podspec, key, n);
	if (!arr)
		return NULL;
	const char **out = model_arena_alloc(d->arena, sizeof(*out) * *n);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (i == *n)
			break;
		out[i++] = dec_str(d, e, "image");
	}
	return out;
}

const char *dec_joined(const struct dec *d, const cJSON *arr)
{
	if (!cJSON_IsArray(arr))
		return "";
	struct buf b = BUF_INIT;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (!cJSON_IsString(e) || !e->valuestring)
			continue;
		if (b.len)
			buf_addc(&b, ' ');
		buf_adds(&b, e->valuestring);
	}
	const char *s = b.len ? dec_intern(d, b.data) : "";
	buf_free(&b);
	return s;
}

/* ---- lookups ---- */

const struct owner_ref *model_controller_of(const struct owner_ref *refs, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		if (refs[i].controller)
			return &refs[i];
	return NULL;
}

const char *model_label(const struct model_kv *labels, uint16_t n, const char *key)
{
	for (uint16_t i = 0; i < n; i++)
		if (labels[i].key == key || strcmp(labels[i].key, key) == 0)
			return labels[i].value;
	return NULL;
}

bool model_labels_match(const struct model_kv *labels, uint16_t n, const struct model_kv *sel,
			uint16_t n_sel, bool empty_matches_none)
{
	if (n_sel == 0)
		return !empty_matches_none;
	for (uint16_t i = 0; i < n_sel; i++) {
		const char *v = model_label(labels, n, sel[i].key);
		if (!v || (v != sel[i].value && strcmp(v, sel[i].value) != 0))
			return false;
	}
	return true;
}
