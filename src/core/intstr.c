#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/intstr.h"
#include "podscope/xalloc.h"

/* strconv.Quote for what these parsers see: escapes quotes, backslashes and controls. */
static char *go_quote(const char *s)
{
	static const char esc[] = "\a\b\f\n\r\t\v";
	static const char letter[] = "abfnrtv";
	struct buf b = BUF_INIT;

	buf_addc(&b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const char *e = *p ? strchr(esc, *p) : NULL;
		if (*p == '"' || *p == '\\') {
			buf_addc(&b, '\\');
			buf_addc(&b, (char)*p);
		} else if (e) {
			buf_addc(&b, '\\');
			buf_addc(&b, letter[e - esc]);
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_printf(&b, "\\x%02x", *p);
		} else {
			buf_addc(&b, (char)*p);
		}
	}
	buf_addc(&b, '"');
	return buf_steal(&b);
}

/* A strconv error: "strconv.FN: parsing "S": invalid syntax|value out of range". */
static char *num_error(const char *fn, const char *s, bool range)
{
	char *q = go_quote(s);
	struct buf b = BUF_INIT;
	buf_printf(&b, "strconv.%s: parsing %s: %s", fn, q,
		   range ? "value out of range" : "invalid syntax");
	free(q);
	return buf_steal(&b);
}

/* strconv.Atoi on a 64-bit platform. Returns NULL or a heap error message. */
static char *go_atoi(const char *s, int64_t *out)
{
	const char *p = s;
	bool neg = false;
	uint64_t n = 0, cutoff = (uint64_t)INT64_MAX + 1;

	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	if (*p == '\0')
		return num_error("Atoi", s, false);
	bool range = false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return num_error("Atoi", s, false);
		if (range)
			continue;
		if (n > cutoff / 10) {
			range = true;
			continue;
		}
		n = n * 10 + (uint64_t)(*p - '0');
		if (n > cutoff)
			range = true;
	}
	if (range || (!neg && n == cutoff))
		return num_error("Atoi", s, true);
	*out = neg ? (n == cutoff ? INT64_MIN : -(int64_t)n) : (int64_t)n;
	return NULL;
}

int intstr_scaled_value(const struct intstr *v, int64_t total, bool round_up, int64_t *out,
			struct perr *err)
{
	int64_t value = 0;

	*out = 0;
	if (!v || v->type == INTSTR_NONE) {
		perr_set(err, PERR_CONFIG, "nil value for IntOrString");
		return -1;
	}
	if (v->type == INTSTR_INT) {
		*out = v->ival;
		return 0;
	}
	const char *s = v->sval ? v->sval : "";
	size_t len = strlen(s);
	if (len == 0 || s[len - 1] != '%') {
		perr_set(err, PERR_CONFIG,
			 "invalid value for IntOrString: invalid type: string is not a percentage");
		return -1;
	}
	char *num = xstrndup(s, len - 1);
	char *msg = go_atoi(num, &value);
	free(num);
	if (msg) {
		char *q = go_quote(s);
		perr_set(err, PERR_CONFIG, "invalid value for IntOrString: invalid value %s: %s", q,
			 msg);
		free(q);
		free(msg);
		return -1;
	}
	double scaled = (double)value * (double)total / 100;
	scaled = round_up ? ceil(scaled) : floor(scaled);
	/* Go's int(float64) is undefined past int64 as C's cast is: saturate. */
	if (scaled >= 9223372036854775808.0)
		*out = INT64_MAX;
	else if (scaled < -9223372036854775808.0)
		*out = INT64_MIN;
	else
		*out = (int64_t)scaled;
	return 0;
}

/*
 * Go converts these with int32(), which wraps: maxSurge 99999999999% of 3
 * replicas becomes -1294967296 and the controller never scales up. No one
 * means that, and a wrapped number on a screen is a lie: saturate instead
 * (a budget of 2147483647 pods is as good as no limit).
 */
static int32_t sat32(int64_t v)
{
	return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

int intstr_resolve_fenceposts(const struct intstr *max_surge, const struct intstr *max_unavailable,
			      int32_t desired, int32_t *surge, int32_t *unavailable,
			      struct perr *err)
{
	static const struct intstr zero = {.type = INTSTR_INT, .ival = 0};
	int64_t s, u;

	*surge = *unavailable = 0;
	if (!max_surge || max_surge->type == INTSTR_NONE)
		max_surge = &zero;
	if (!max_unavailable || max_unavailable->type == INTSTR_NONE)
		max_unavailable = &zero;
	if (intstr_scaled_value(max_surge, desired, true, &s, err) < 0)
		return -1;
	if (intstr_scaled_value(max_unavailable, desired, false, &u, err) < 0)
		return -1;
	if (s == 0 && u == 0)
		u = 1;
	*surge = sat32(s);
	*unavailable = sat32(u);
	return 0;
}

int32_t intstr_max_surge(const struct deploy_strategy *st, int32_t replicas)
{
	int32_t surge, unavail;

	if (st->type != DEPLOY_ROLLING_UPDATE)
		return 0;
	if (intstr_resolve_fenceposts(&st->max_surge, &st->max_unavailable, replicas, &surge,
				      &unavail, NULL) < 0)
		return 0;
	return surge;
}

int32_t intstr_max_unavailable(const struct deploy_strategy *st, int32_t replicas)
{
	int32_t surge, unavail;

	if (st->type != DEPLOY_ROLLING_UPDATE || replicas == 0)
		return 0;
	intstr_resolve_fenceposts(&st->max_surge, &st->max_unavailable, replicas, &surge, &unavail,
				  NULL);
	return unavail > replicas ? replicas : unavail;
}

int32_t intstr_min_available(const struct deploy_strategy *st, int32_t replicas)
{
	if (st->type != DEPLOY_ROLLING_UPDATE)
		return 0;
	return replicas - intstr_max_unavailable(st, replicas);
}

int intstr_new_rs_new_replicas(const struct deploy_strategy *st, int32_t replicas,
			       int32_t all_rs_replicas, int32_t new_rs_replicas, int32_t *out,
			       struct perr *err)
{
	int64_t surge;

	*out = 0;
	switch (st->type) {
	case DEPLOY_ROLLING_UPDATE:
		if (intstr_scaled_value(&st->max_surge, replicas, true, &surge, err) < 0)
			return -1;
		int64_t max_total = (int64_t)replicas + sat32(surge);
		if (all_rs_replicas >= max_total) {
			*out = new_rs_replicas;
			return 0;
		}
		int64_t up = max_total - all_rs_replicas;
		if ((int64_t)replicas - new_rs_replicas < up)
			up = (int64_t)replicas - new_rs_replicas;
		*out = sat32(new_rs_replicas + up);
		return 0;
	case DEPLOY_RECREATE:
		*out = replicas;
		return 0;
	default:
		perr_set(err, PERR_CONFIG, "deployment type isn't supported");
		return -1;
	}
}

int32_t intstr_round_to_int32(double a)
{
	if (a < 0)
		return (int32_t)(a - 0.5);
	return (int32_t)(a + 0.5);
}

int intstr_parse_nonneg_int32(const char *s, int32_t *out, struct perr *err)
{
	const uint64_t max = (UINT64_C(1) << 31) - 1;
	uint64_t n = 0;
	const char *p = s ? s : "";

	*out = 0;
	if (*p == '\0')
		goto syntax;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			goto syntax;
		n = n * 10 + (uint64_t)(*p - '0');
		if (n > max) {
			char *msg = num_error("ParseUint", s, true);
			perr_set(err, PERR_CONFIG, "%s", msg);
			free(msg);
			return -1;
		}
	}
	*out = (int32_t)n;
	return 0;
syntax:;
	char *msg = num_error("ParseUint", s ? s : "", false);
	perr_set(err, PERR_CONFIG, "%s", msg);
	free(msg);
	return -1;
}

/* Go's int32 multiplication wraps; so does this one. */
static int32_t mul32(int32_t a, int32_t b)
{
	return (int32_t)((uint32_t)a * (uint32_t)b);
}

int32_t intstr_rs_fraction(int32_t rs_replicas, const char *max_replicas_annot,
			   const struct deploy_strategy *st, int32_t d_replicas,
			   int32_t d_status_replicas)
{
	int32_t annotated = 0;

	if (d_replicas == 0)
		return -rs_replicas;
	int32_t deployment_replicas = d_replicas + intstr_max_surge(st, d_replicas);
	if (!max_replicas_annot ||
	    intstr_parse_nonneg_int32(max_replicas_annot, &annotated, NULL) < 0 || annotated == 0)
		annotated = d_status_replicas;
	if (annotated == 0)
		return 0;
	double size = (double)mul32(rs_replicas, deployment_replicas) / (double)annotated;
	return intstr_round_to_int32(size) - rs_replicas;
}

int32_t intstr_proportion(int32_t rs_replicas, const char *max_replicas_annot,
			  const struct deploy_strategy *st, int32_t d_replicas,
			  int32_t d_status_replicas, int32_t to_add, int32_t added)
{
	if (rs_replicas == 0 || to_add == 0 || to_add == added)
		return 0;
	int32_t fraction =
	    intstr_rs_fraction(rs_replicas, max_replicas_annot, st, d_replicas, d_status_replicas);
	int32_t allowed = to_add - added;
	if (to_add > 0)
		return fraction < allowed ? fraction : allowed;
	return fraction > allowed ? fraction : allowed;
}
