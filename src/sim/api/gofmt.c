#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "gofmt.h"

/* Values printed as Go's fmt prints them, for messages that quote them. */

/* Go's strconv.FormatFloat(d, 'g', -1, 64), as fmt's %v prints a float64. */
void gofmt_float(double d, char *out, size_t n)
{
	if (isinf(d)) {
		snprintf(out, n, "%sInf", d < 0 ? "-" : "+");
		return;
	}
	int prec = 1;
	for (; prec < 17; prec++) {
		char t[64];
		snprintf(t, sizeof(t), "%.*e", prec - 1, d);
		if (strtod(t, NULL) == d)
			break;
	}
	char t[64];
	snprintf(t, sizeof(t), "%.*e", prec - 1, d);
	int exp = atoi(strchr(t, 'e') + 1);
	/* %e when the exponent is below -4 or, for the shortest form, at least 6. */
	if (exp < -4 || exp >= 6)
		snprintf(out, n, "%s", t);
	else
		snprintf(out, n, "%.*f", prec - 1 - exp > 0 ? prec - 1 - exp : 0, d);
}

static int cmp_member(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

static void go_value(struct buf *b, const cJSON *v)
{
	if (cJSON_IsObject(v)) {
		size_t n = 0, i = 0;
		const cJSON *m;
		cJSON_ArrayForEach(m, v) n++;
		const cJSON **ms = xcalloc(n ? n : 1, sizeof(*ms));
		cJSON_ArrayForEach(m, v) ms[i++] = m;
		qsort(ms, n, sizeof(*ms), cmp_member);
		buf_adds(b, "map[");
		for (i = 0; i < n; i++) {
			buf_printf(b, "%s%s:", i ? " " : "", ms[i]->string);
			go_value(b, ms[i]);
		}
		buf_addc(b, ']');
		free(ms);
	} else if (cJSON_IsArray(v)) {
		const cJSON *e;
		int i = 0;
		buf_addc(b, '[');
		cJSON_ArrayForEach(e, v)
		{
			if (i++)
				buf_addc(b, ' ');
			go_value(b, e);
		}
		buf_addc(b, ']');
	} else if (cJSON_IsString(v)) {
		buf_adds(b, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		char t[64];
		double d = v->valuedouble;
		if (d == trunc(d) && fabs(d) < 9223372036854775808.0)
			snprintf(t, sizeof(t), "%.0f", d);
		else
			gofmt_float(d, t, sizeof(t));
		buf_adds(b, t);
	} else if (cJSON_IsBool(v)) {
		buf_adds(b, cJSON_IsTrue(v) ? "true" : "false");
	} else {
		buf_adds(b, "<nil>");
	}
}

char *gofmt_value(const cJSON *v)
{
	struct buf b = BUF_INIT;
	go_value(&b, v);
	return buf_steal(&b);
}
