#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "kintstr.h"

void kintstr_from_json(const cJSON *v, struct kintstr *out)
{
	memset(out, 0, sizeof(*out));
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble; /* clamped: an object may skip the API's int checks */
		out->type = KINTSTR_INT;
		out->ival = d < INT32_MIN ? INT32_MIN : d > INT32_MAX ? INT32_MAX : (int32_t)d;
	} else if (cJSON_IsString(v) && v->valuestring) {
		out->type = KINTSTR_STRING;
		size_t n = strlen(v->valuestring);
		out->too_long = n >= sizeof(out->sval);
		if (!out->too_long)
			memcpy(out->sval, v->valuestring, n + 1);
	}
}

/* strconv.Atoi (base 10, 64-bit int): an optional sign, then digits, in range. */
static bool go_atoi(const char *s, size_t len, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	uint64_t n = 0, lim = (uint64_t)INT64_MAX;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
		if (neg)
			lim++;
	}
	if (i == len)
		return false;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		unsigned d = (unsigned)(s[i] - '0');
		if (n > (lim - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*out = neg ? (int64_t)(0 - n) : (int64_t)n;
	return true;
}

bool kintstr_scaled(const struct kintstr *v, int64_t total, bool round_up, int64_t *out)
{
	*out = 0;
	if (!v || v->type == KINTSTR_NONE)
		return false; /* "nil value for IntOrString" */
	if (v->type == KINTSTR_INT) {
		*out = v->ival;
		return true;
	}
	size_t len = strlen(v->sval);
	if (v->too_long || len == 0 || v->sval[len - 1] != '%')
		return false; /* "string is not a percentage" */
	int64_t p;
	if (!go_atoi(v->sval, len - 1, &p))
		return false;
	double scaled = (double)p * (double)total / 100;
	*out = (int64_t)(round_up ? ceil(scaled) : floor(scaled));
	return true;
}

bool kintstr_fenceposts(const struct kintstr *max_surge, const struct kintstr *max_unavailable,
			int32_t desired, int32_t *surge, int32_t *unavailable)
{
	static const struct kintstr zero = KINTSTR_INT(0); /* ValueOrDefault(nil, 0) */
	int64_t s, u;

	*surge = *unavailable = 0;
	if (!kintstr_scaled(max_surge && max_surge->type ? max_surge : &zero, desired, true, &s))
		return false;
	if (!kintstr_scaled(max_unavailable && max_unavailable->type ? max_unavailable : &zero,
			    desired, false, &u))
		return false;
	if (s == 0 && u == 0)
		u = 1; /* surge might not work under a quota */
	*surge = (int32_t)s;
	*unavailable = (int32_t)u;
	return true;
}

void kstrategy_from_json(const cJSON *strategy, struct kstrategy *out)
{
	memset(out, 0, sizeof(*out));
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(strategy, "type");
	const char *ts = cJSON_IsString(t) ? t->valuestring : NULL;
	if (!ts || strcmp(ts, "RollingUpdate") == 0)
		out->type = KSTRATEGY_ROLLING_UPDATE;
	else if (strcmp(ts, "Recreate") == 0)
		out->type = KSTRATEGY_RECREATE;
	else
		out->type = KSTRATEGY_OTHER;
	const cJSON *ru = cJSON_GetObjectItemCaseSensitive(strategy, "rollingUpdate");
	kintstr_from_json(cJSON_GetObjectItemCaseSensitive(ru, "maxSurge"), &out->max_surge);
	kintstr_from_json(cJSON_GetObjectItemCaseSensitive(ru, "maxUnavailable"),
			  &out->max_unavailable);
}

int32_t kstrategy_max_surge(const struct kstrategy *s, int32_t replicas)
{
	int32_t surge, unavailable;

	if (s->type != KSTRATEGY_ROLLING_UPDATE)
		return 0;
	kintstr_fenceposts(&s->max_surge, &s->max_unavailable, replicas, &surge, &unavailable);
	return surge; /* 0 on an error, which validation catches upstream */
}

int32_t kstrategy_max_unavailable(const struct kstrategy *s, int32_t replicas)
{
	int32_t surge, unavailable;

	if (s->type != KSTRATEGY_ROLLING_UPDATE || replicas == 0)
		return 0;
	kintstr_fenceposts(&s->max_surge, &s->max_unavailable, replicas, &surge, &unavailable);
	return unavailable > replicas ? replicas : unavailable;
}

bool kstrategy_new_rs_replicas(const struct kstrategy *s, int32_t replicas, int32_t all_rs,
			       int32_t new_rs, int32_t *out)
{
	int64_t surge;

	*out = 0;
	if (s->type == KSTRATEGY_RECREATE) {
		*out = replicas;
		return true;
	}
	if (s->type != KSTRATEGY_ROLLING_UPDATE)
		return false;
	/* Only maxSurge matters here, without the fencepost step. */
	if (!kintstr_scaled(&s->max_surge, replicas, true, &surge))
		return false;
	int32_t max_total = replicas + (int32_t)surge;
	if (all_rs >= max_total) {
		*out = new_rs; /* cannot scale up */
		return true;
	}
	int32_t up = max_total - all_rs;
	if (replicas - new_rs < up)
		up = replicas - new_rs; /* never above the deployment's size */
	*out = new_rs + up;
	return true;
}

int32_t kint_round_to_int32(double a)
{
	return a < 0 ? (int32_t)(a - 0.5) : (int32_t)(a + 0.5);
}

bool kint_parse_nonneg_int32(const char *s, int32_t *out)
{
	uint64_t n = 0;

	*out = 0;
	if (!s || !*s)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		n = n * 10 + (uint64_t)(*p - '0');
		if (n > INT32_MAX)
			return false;
	}
	*out = (int32_t)n;
	return true;
}

/* Go's int32 product wraps around. */
static int32_t mul32(int32_t a, int32_t b)
{
	return (int32_t)((uint32_t)a * (uint32_t)b);
}

/* getReplicaSetFraction. */
static int32_t rs_fraction(const struct kstrategy *s, int32_t rs_replicas, const char *max_annot,
			   int32_t d_replicas, int32_t d_status_replicas)
{
	if (d_replicas == 0)
		return -rs_replicas; /* scaling to zero: all of it */
	int32_t dmax = d_replicas + kstrategy_max_surge(s, d_replicas);
	int32_t before;
	if (!kint_parse_nonneg_int32(max_annot, &before) || before == 0)
		before = d_status_replicas; /* annotation edited away: the current size */
	if (before == 0)
		return 0;
	double size = (double)mul32(rs_replicas, dmax) / (double)before;
	return kint_round_to_int32(size) - rs_replicas;
}

int32_t kstrategy_proportion(const struct kstrategy *s, int32_t rs_replicas, const char *max_annot,
			     int32_t d_replicas, int32_t d_status_replicas, int32_t to_add,
			     int32_t added)
{
	if (rs_replicas == 0 || to_add == 0 || to_add == added)
		return 0;
	int32_t f = rs_fraction(s, rs_replicas, max_annot, d_replicas, d_status_replicas);
	int32_t allowed = to_add - added;
	if (to_add > 0)
		return f < allowed ? f : allowed;
	return f > allowed ? f : allowed;
}
