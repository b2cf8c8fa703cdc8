#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "yamljson_int.h"

/*
 * Scalars resolved as Kubernetes' YAML library resolves them (go-yaml v2 via
 * sigs.k8s.io/yaml, YAML 1.1 rules): `port: 80` is a number, `on` a boolean,
 * `~` null, and anything quoted or tagged !!str a string.
 */

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* A plain scalar as a number, if it is one under YAML 1.1's rules. */
static cJSON *plain_number(const char *s)
{
	char clean[128];
	size_t n = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '_')
			continue;
		if (n + 1 >= sizeof(clean))
			return NULL;
		clean[n++] = *p;
	}
	clean[n] = '\0';
	if (n == 0)
		return NULL;
	const char *digits = clean + (clean[0] == '-' || clean[0] == '+');
	if (*digits == '\0')
		return NULL;

	char *end;
	errno = 0;
	if (digits[0] == '0' && (digits[1] == 'o' || digits[1] == 'O')) {
		long long v = strtoll(digits + 2, &end, 8);
		if (*end == '\0' && errno == 0 && digits[2] != '\0')
			return cJSON_CreateNumber((double)(clean[0] == '-' ? -v : v));
		return NULL;
	}
	long long v = strtoll(clean, &end, 0);
	if (*end == '\0' && errno == 0)
		return cJSON_CreateNumber((double)v);

	/* Floats: digits with a dot or an exponent; strtod also accepts "inf"
	 * and hex floats, which YAML does not, so check the characters first. */
	bool seen_digit = false;
	for (const char *p = digits; *p; p++) {
		if (*p >= '0' && *p <= '9')
			seen_digit = true;
		else if (!strchr(".eE+-", *p))
			return NULL;
	}
	if (!seen_digit)
		return NULL;
	errno = 0;
	double d = strtod(clean, &end);
	if (*end == '\0' && errno == 0)
		return cJSON_CreateNumber(d);
	return NULL;
}

cJSON *yamljson_scalar(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
	static const char *const trues[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
					    "True", "TRUE", "on",  "On",  "ON",  NULL};
	static const char *const falses[] = {"n",     "N",     "no",  "No",  "NO",  "false",
					     "False", "FALSE", "off", "Off", "OFF", NULL};

	if (tag && strcmp(tag, YAML_STR_TAG) == 0)
		return cJSON_CreateString(s);
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return cJSON_CreateString(s);
	if (in_list(s, nulls))
		return cJSON_CreateNull();
	if (in_list(s, trues))
		return cJSON_CreateTrue();
	if (in_list(s, falses))
		return cJSON_CreateFalse();
	cJSON *num = plain_number(s);
	return num ? num : cJSON_CreateString(s);
}
