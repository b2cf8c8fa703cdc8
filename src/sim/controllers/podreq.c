#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podreq.h"

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

bool simq_milli(const char *s, int64_t *out)
{
	static const struct {
		const char *suffix;
		double factor;
	} units[] = {{"m", 1e-3},
		     {"", 1.0},
		     {"k", 1e3},
		     {"M", 1e6},
		     {"G", 1e9},
		     {"T", 1e12},
		     {"P", 1e15},
		     {"E", 1e18},
		     {"Ki", 1024.0},
		     {"Mi", 1048576.0},
		     {"Gi", 1073741824.0},
		     {"Ti", 1099511627776.0},
		     {"Pi", 1125899906842624.0},
		     {"Ei", 1152921504606846976.0}};
	if (!s || !*s || strlen(s) > 64)
		return false;
	/* Digits, one point, an optional sign: no hex, inf or nan. */
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (!((*p >= '0' && *p <= '9') || *p == '.') || strpbrk(s, "xX"))
		return false;
	char *end;
	double n = strtod(s, &end);
	double f = 0;
	bool found = false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].suffix) == 0) {
			f = units[i].factor;
			found = true;
		}
	if (!found || !isfinite(n))
		return false;
	double v = ceil(n * f * 1000.0 - 1e-6);
	if (v > 9.2e18 || v < -9.2e18)
		return false;
	*out = (int64_t)v;
	return true;
}

void simq_format(int64_t milli, bool binary, char out[32])
{
	if (milli % 1000 != 0) {
		snprintf(out, 32, "%lldm", (long long)milli);
		return;
	}
	long long v = milli / 1000;
	static const char *const bin[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
	static const char *const dec[] = {"", "k", "M", "G", "T", "P", "E"};
	int k = 0;
	long long step = binary ? 1024 : 1000;
	while (v != 0 && k < 6 && v % step == 0) {
		v /= step;
		k++;
	}
	snprintf(out, 32, "%lld%s", v, binary ? bin[k] : dec[k]);
}

int64_t simq_milli_of(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	int64_t m = 0;
	if (cJSON_IsNumber(v))
		return v->valuedouble > 0 && v->valuedouble < 9e15 ? (int64_t)(v->valuedouble * 1000)
								  : 0;
	if (cJSON_IsString(v) && simq_milli(v->valuestring, &m) && m > 0)
		return m;
	return 0;
}

static int64_t container_request(const cJSON *c, const char *res)
{
	const cJSON *r = get(c, "resources");
	const cJSON *req = get(get(r, "requests"), res);
	if (req)
		return simq_milli_of(get(r, "requests"), res);
	return simq_milli_of(get(r, "limits"), res);
}

int64_t simpod_request(const cJSON *spec, const char *res)
{
	int64_t sum = 0, sidecars = 0, init_max = 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, get(spec, "containers"))
	{
		sum += container_request(c, res);
	}
	cJSON_ArrayForEach(c, get(spec, "initContainers"))
	{
		const cJSON *rp = get(c, "restartPolicy");
		int64_t r = container_request(c, res);
		if (cJSON_IsString(rp) && strcmp(rp->valuestring, "Always") == 0) {
			sidecars += r;
			sum += r;
			if (sidecars > init_max)
				init_max = sidecars;
		} else if (sidecars + r > init_max) {
			init_max = sidecars + r;
		}
	}
	if (init_max > sum)
		sum = init_max;
	return sum + simq_milli_of(get(spec, "overhead"), res);
}
