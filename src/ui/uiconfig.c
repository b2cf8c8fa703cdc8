#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/duration.h"
#include "podscope/kfile.h"
#include "uiconfig.h"
#include "podscope/xalloc.h"
#include "podscope/yamljson.h"
#include "uifile.h"
#include "yamlline.h"

void uiconfig_defaults(struct uiconfig *c)
{
	memset(c, 0, sizeof(*c));
	c->low_bandwidth = -1;
	keymap_init_defaults(&c->keys);
}

static int bad(struct perr *err, const char *name, const char *text, size_t len, const char *key,
	       int from, const char *msg)
{
	perr_set(err, PERR_CONFIG, "%s:%d: %s", name, yamlline_find(text, len, key, from), msg);
	return -1;
}

static int bind_one(struct uiconfig *c, const struct action *a, const cJSON *k)
{
	if (!cJSON_IsString(k) || !keymap_bind(&c->keys, k->valuestring, a->id))
		return -1;
	return 0;
}

static int parse_bindings(struct uiconfig *c, const cJSON *b, const char *name, const char *text,
			  size_t len, struct perr *err)
{
	int from = yamlline_find(text, len, "bindings", 1);
	if (!cJSON_IsObject(b))
		return bad(err, name, text, len, "bindings", 1,
			   "bindings is a mapping of action names to keys");
	const cJSON *e;
	cJSON_ArrayForEach(e, b)
	{
		const struct action *a = actions_find(e->string);
		if (!a) {
			char msg[160];
			snprintf(msg, sizeof(msg),
				 "bindings: unknown action \"%.80s\" (see the help, ?)", e->string);
			return bad(err, name, text, len, e->string, from, msg);
		}
		int rc = 0;
		if (cJSON_IsArray(e)) {
			const cJSON *k;
			cJSON_ArrayForEach(k, e)
			{
				rc |= bind_one(c, a, k);
			}
		} else {
			rc = bind_one(c, a, e);
		}
		if (rc) {
			char msg[160];
			snprintf(
			    msg, sizeof(msg),
			    "bindings: %s: not a key (a character, C-x, Enter, Esc, Tab, Space, "
			    "Up, Down, PgUp, PgDn, Home, End, F1-F12)",
			    a->name);
			return bad(err, name, text, len, a->name, from, msg);
		}
	}
	return 0;
}

int uiconfig_parse(struct uiconfig *c, const char *name, const char *text, size_t len,
		   struct perr *err)
{
	cJSON *doc = yamljson_parse_unique(name, text, len, err);
	if (!doc)
		return -1;
	int rc = -1;
	if (!cJSON_IsObject(doc)) {
		bad(err, name, text, len, "", 1,
		    "the config file is a mapping (theme:, readonly:, ...)");
		goto out;
	}
	const cJSON *e;
	cJSON_ArrayForEach(e, doc)
	{
		if (strcmp(e->string, "theme") == 0) {
			if (!cJSON_IsString(e)) {
				bad(err, name, text, len, "theme", 1, "theme is a name or a path");
				goto out;
			}
			snprintf(c->theme, sizeof(c->theme), "%s", e->valuestring);
		} else if (strcmp(e->string, "readonly") == 0) {
			if (!cJSON_IsBool(e)) {
				bad(err, name, text, len, "readonly", 1,
				    "readonly is true or false");
				goto out;
			}
			c->readonly = cJSON_IsTrue(e);
		} else if (strcmp(e->string, "refresh") == 0) {
			int64_t ns = 0;
			char num[32];
			const char *s = e->valuestring;
			if (cJSON_IsNumber(e)) {
				snprintf(num, sizeof(num), "%ds", e->valueint);
				s = num;
			}
			if (!s || duration_parse(s, &ns, NULL) != 0 ||
			    ns < 33 * DURATION_NS_PER_MS || ns > 5 * DURATION_NS_PER_SEC) {
				bad(err, name, text, len, "refresh", 1,
				    "refresh is a duration from 33ms to 5s (\"100ms\")");
				goto out;
			}
			c->refresh_ms = ns / DURATION_NS_PER_MS;
		} else if (strcmp(e->string, "low-bandwidth") == 0) {
			if (!cJSON_IsBool(e)) {
				bad(err, name, text, len, "low-bandwidth", 1,
				    "low-bandwidth is true or false");
				goto out;
			}
			c->low_bandwidth = cJSON_IsTrue(e);
		} else if (strcmp(e->string, "readonly-contexts") == 0) {
			const char *why = uiconfig_parse_ro_contexts(c, e);
			if (why) {
				bad(err, name, text, len, "readonly-contexts", 1, why);
				goto out;
			}
		} else if (strcmp(e->string, "bindings") == 0) {
			if (parse_bindings(c, e, name, text, len, err) != 0)
				goto out;
		} else {
			char msg[160];
			snprintf(msg, sizeof(msg),
				 "unknown setting \"%.60s\" (theme, readonly, refresh, "
				 "low-bandwidth, readonly-contexts, bindings)",
				 e->string);
			bad(err, name, text, len, e->string, 1, msg);
			goto out;
		}
	}
	rc = 0;
out:
	cJSON_Delete(doc);
	return rc;
}

int uiconfig_load(struct uiconfig *c, struct perr *err)
{
	uiconfig_defaults(c);
	char *dir = uifile_config_dir();
	if (!dir)
		return 0;
	char *path = xasprintf("%s/config.yaml", dir);
	free(dir);
	int rc = 0;
	size_t len = 0;
	char *text = kfile_read(path, KFILE_MAX_UI, &len, err, "the config file %s", path);
	if (text) {
		rc = uiconfig_parse(c, path, text, len, err);
		c->loaded = true;
		free(text);
	} else if (errno == ENOENT || errno == ENOTDIR) {
		perr_clear(err); /* no config file: the defaults */
	} else {
		rc = -1;
		c->loaded = true;
	}
	free(path);
	return rc;
}
