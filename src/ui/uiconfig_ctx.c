#include "config.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "uiconfig.h"

/* The config file's readonly-contexts: contexts that are always read-only,
 * whatever the access check says ("prod-*"). */

static const char *add_glob(struct uiconfig *c, const cJSON *v)
{
	if (!cJSON_IsString(v) || !*v->valuestring)
		return "readonly-contexts is a context name or glob (prod-*), or a list of them";
	if (strlen(v->valuestring) >= sizeof(c->ro_contexts[0]))
		return "readonly-contexts: a glob is at most 127 bytes";
	if (c->n_ro_contexts >= UICONFIG_MAX_RO_CONTEXTS)
		return "readonly-contexts: at most 32 globs";
	snprintf(c->ro_contexts[c->n_ro_contexts++], sizeof(c->ro_contexts[0]), "%s",
		 v->valuestring);
	return NULL;
}

const char *uiconfig_parse_ro_contexts(struct uiconfig *c, const void *value)
{
	const cJSON *v = value;
	c->n_ro_contexts = 0;
	if (!cJSON_IsArray(v))
		return add_glob(c, v);
	const cJSON *e;
	cJSON_ArrayForEach(e, v)
	{
		const char *why = add_glob(c, e);
		if (why)
			return why;
	}
	return NULL;
}

bool uiconfig_context_readonly(const struct uiconfig *c, const char *ctx)
{
	for (int i = 0; i < c->n_ro_contexts; i++)
		if (fnmatch(c->ro_contexts[i], ctx, 0) == 0)
			return true;
	return false;
}
