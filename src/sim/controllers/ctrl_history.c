#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "ctrl_history.h"

static int cmp_member(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* encoding/json's string escaping with HTML escaping on (json.Marshal). */
static void go_string(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c == '\n') {
			buf_adds(b, "\\n");
		} else if (c == '\r') {
			buf_adds(b, "\\r");
		} else if (c == '\t') {
			buf_adds(b, "\\t");
		} else if (c == '\b') {
			buf_adds(b, "\\b");
		} else if (c == '\f') {
			buf_adds(b, "\\f");
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			buf_printf(b, "\\u00%02x", c);
		} else if (c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			buf_printf(b, "\\u202%c", p[2] == 0xa8 ? '8' : '9');
			p += 2;
		} else {
			buf_addc(b, (char)c);
		}
	}
	buf_addc(b, '"');
}

static void go_number(struct buf *b, double d)
{
	if (d == floor(d) && fabs(d) < 1e21) {
		buf_printf(b, "%.0f", d);
		return;
	}
	/* The shortest form that reads back the same, as strconv does. */
	char tmp[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_adds(b, tmp);
}

static void go_value(struct buf *b, const cJSON *v)
{
	if (cJSON_IsObject(v)) {
		size_t n = 0, i = 0;
		const cJSON *c;
		cJSON_ArrayForEach(c, v) n++;
		const cJSON **m = xcalloc(n ? n : 1, sizeof(*m));
		cJSON_ArrayForEach(c, v) m[i++] = c;
		qsort(m, n, sizeof(*m), cmp_member);
		buf_addc(b, '{');
		for (i = 0; i < n; i++) {
			if (i)
				buf_addc(b, ',');
			go_string(b, m[i]->string);
			buf_addc(b, ':');
			go_value(b, m[i]);
		}
		buf_addc(b, '}');
		free(m);
	} else if (cJSON_IsArray(v)) {
		buf_addc(b, '[');
		const cJSON *c;
		bool first = true;
		cJSON_ArrayForEach(c, v)
		{
			if (!first)
				buf_addc(b, ',');
			first = false;
			go_value(b, c);
		}
		buf_addc(b, ']');
	} else if (cJSON_IsString(v)) {
		go_string(b, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		go_number(b, v->valuedouble);
	} else if (cJSON_IsTrue(v)) {
		buf_adds(b, "true");
	} else if (cJSON_IsFalse(v)) {
		buf_adds(b, "false");
	} else {
		buf_adds(b, "null");
	}
}

char *simhist_go_json(const cJSON *v)
{
	struct buf b = BUF_INIT;
	go_value(&b, v);
	return buf_steal(&b);
}

char *simhist_patch(const cJSON *workload)
{
	const cJSON *tmpl = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(workload, "spec"), "template");
	if (!cJSON_IsObject(tmpl))
		return NULL;
	cJSON *t = cJSON_Duplicate(tmpl, 1);
	/* The typed round trip writes a zero metav1.Time as null. */
	cJSON *md = cJSON_GetObjectItemCaseSensitive(t, "metadata");
	if (!cJSON_IsObject(md)) {
		cJSON_DeleteItemFromObjectCaseSensitive(t, "metadata");
		md = cJSON_AddObjectToObject(t, "metadata");
	}
	if (!cJSON_GetObjectItemCaseSensitive(md, "creationTimestamp"))
		cJSON_AddNullToObject(md, "creationTimestamp");
	cJSON_DeleteItemFromObjectCaseSensitive(t, "$patch");
	cJSON_AddStringToObject(t, "$patch", "replace");
	cJSON *p = cJSON_CreateObject();
	cJSON_AddItemToObject(cJSON_AddObjectToObject(p, "spec"), "template", t);
	char *s = simhist_go_json(p);
	cJSON_Delete(p);
	return s;
}

void simhist_hash(const char *raw, size_t n, const int32_t *probe, char out[SIMHIST_HASH_LEN])
{
	/* hash/fnv New32: FNV-1 (multiply, then xor). */
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h * 16777619u) ^ (unsigned char)raw[i];
	if (probe) {
		char num[16];
		int k = snprintf(num, sizeof(num), "%d", *probe);
		for (int i = 0; i < k; i++)
			h = (h * 16777619u) ^ (unsigned char)num[i];
	}
	/* rand.SafeEncodeString of fmt.Sprint(sum): each digit through the
	 * alphabet without vowels and look-alikes. */
	static const char alnum[] = "bcdfghjklmnpqrstvwxz2456789";
	char dec[16];
	int k = snprintf(dec, sizeof(dec), "%u", h);
	for (int i = 0; i < k; i++)
		out[i] = alnum[(unsigned char)dec[i] % (sizeof(alnum) - 1)];
	out[k] = '\0';
}

char *simhist_name(const char *parent, const char *hash)
{
	size_t n = strlen(parent);
	return xasprintf("%.*s-%s", (int)(n > 223 ? 223 : n), parent, hash);
}

static int cmp_rev(const void *a, const void *b)
{
	const struct simhist_rev *x = a, *y = b;
	if (x->revision != y->revision)
		return x->revision < y->revision ? -1 : 1;
	if (x->created_ms != y->created_ms)
		return x->created_ms < y->created_ms ? -1 : 1;
	return strcmp(x->name, y->name);
}

void simhist_sort(struct simhist_rev *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_rev);
}

bool simhist_equal_data(const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return false;
	char *x = simhist_go_json(a), *y = simhist_go_json(b);
	bool eq = strcmp(x, y) == 0;
	free(x);
	free(y);
	return eq;
}

cJSON *simhist_apply(const cJSON *workload, const cJSON *revision)
{
	cJSON *out = cJSON_Duplicate(workload, 1);
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(revision, "data");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(data, "spec"), "template");
	cJSON *spec = cJSON_GetObjectItemCaseSensitive(out, "spec");
	if (!cJSON_IsObject(t) || !cJSON_IsObject(spec))
		return out;
	cJSON *nt = cJSON_Duplicate(t, 1);
	cJSON_DeleteItemFromObjectCaseSensitive(nt, "$patch");
	cJSON *md = cJSON_GetObjectItemCaseSensitive(nt, "metadata");
	if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(md, "creationTimestamp")))
		cJSON_DeleteItemFromObjectCaseSensitive(md, "creationTimestamp");
	cJSON_DeleteItemFromObjectCaseSensitive(spec, "template");
	cJSON_AddItemToObject(spec, "template", nt);
	return out;
}
