#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "podscope/kfile.h"
#include "theme.h"
#include "podscope/xalloc.h"
#include "podscope/yamljson.h"
#include "uifile.h"
#include "yamlline.h"

#define C_DEF                                                                                      \
	{                                                                                          \
		THEME_COLOR_DEFAULT, 0                                                             \
	}
#define C_IDX(n)                                                                                   \
	{                                                                                          \
		THEME_COLOR_INDEX, n                                                               \
	}
enum { BLACK, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE, BRIGHT = 8 };

/* The dark theme, identical to themes/dark.yaml (a unit test keeps them so). */
static const struct theme_style dark[ROLE_COUNT] = {
    [ROLE_NORMAL] = {C_DEF, C_DEF, 0},
    [ROLE_TITLE] = {C_IDX(BLACK), C_IDX(CYAN), THEME_BOLD},
    [ROLE_STATUS] = {C_IDX(WHITE), C_IDX(BLUE), 0},
    [ROLE_HEADER] = {C_IDX(YELLOW), C_DEF, THEME_BOLD},
    [ROLE_SELECTED] = {C_IDX(BRIGHT + WHITE), C_IDX(BLUE), THEME_BOLD},
    [ROLE_DIM] = {C_IDX(BRIGHT + BLACK), C_DEF, 0},
    [ROLE_KEY] = {C_IDX(YELLOW), C_DEF, THEME_BOLD},
    [ROLE_ERROR] = {C_IDX(BRIGHT + RED), C_DEF, THEME_BOLD},
    [ROLE_WARNING] = {C_IDX(YELLOW), C_DEF, 0},
    [ROLE_OK] = {C_IDX(GREEN), C_DEF, 0},
    [ROLE_INFO] = {C_IDX(CYAN), C_DEF, 0},
    [ROLE_GROUP] = {C_IDX(MAGENTA), C_DEF, THEME_BOLD},
    [ROLE_BADGE_PROGRESSING] = {C_IDX(BRIGHT + CYAN), C_DEF, THEME_BOLD},
    [ROLE_BADGE_COMPLETE] = {C_IDX(GREEN), C_DEF, 0},
    [ROLE_BADGE_PAUSED] = {C_IDX(YELLOW), C_DEF, THEME_BOLD},
    [ROLE_BADGE_FAILED] = {C_IDX(BRIGHT + WHITE), C_IDX(RED), THEME_BOLD},
    [ROLE_BADGE_STALLED] = {C_IDX(BRIGHT + RED), C_DEF, THEME_BOLD},
    [ROLE_RS_NEW] = {C_IDX(BRIGHT + WHITE), C_DEF, THEME_BOLD},
    [ROLE_RS_OLD] = {C_IDX(BRIGHT + BLACK), C_DEF, 0},
    [ROLE_POD_PENDING] = {C_IDX(WHITE), C_DEF, 0},
    [ROLE_POD_PULLING] = {C_IDX(BRIGHT + BLUE), C_DEF, 0},
    [ROLE_POD_INIT] = {C_IDX(MAGENTA), C_DEF, 0},
    [ROLE_POD_STARTING] = {C_IDX(CYAN), C_DEF, 0},
    [ROLE_POD_PROBING] = {C_IDX(YELLOW), C_DEF, 0},
    [ROLE_POD_READY] = {C_IDX(GREEN), C_DEF, THEME_BOLD},
    [ROLE_POD_TERMINATING] = {C_IDX(BRIGHT + BLACK), C_DEF, 0},
    [ROLE_POD_CRASH] = {C_IDX(BRIGHT + RED), C_DEF, THEME_BOLD},
    [ROLE_POD_FAILED] = {C_IDX(RED), C_DEF, 0},
    [ROLE_POD_DONE] = {C_IDX(BLUE), C_DEF, 0},
    [ROLE_GAUGE_USED] = {C_IDX(CYAN), C_DEF, 0},
    [ROLE_GAUGE_FREE] = {C_IDX(BRIGHT + BLACK), C_DEF, 0},
    [ROLE_GAUGE_OVER] = {C_IDX(RED), C_DEF, THEME_BOLD},
    [ROLE_BANNER] = {C_IDX(BLACK), C_IDX(YELLOW), THEME_BOLD},
};

void theme_default(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "dark");
	memcpy(t->roles, dark, sizeof(dark));
}

unsigned theme_mono_attrs(enum theme_role r)
{
	switch (r) {
	case ROLE_TITLE:
	case ROLE_STATUS:
	case ROLE_SELECTED:
	case ROLE_BADGE_FAILED:
	case ROLE_BANNER:
		return THEME_REVERSE;
	case ROLE_HEADER:
		return THEME_UNDERLINE | THEME_BOLD;
	case ROLE_DIM:
	case ROLE_RS_OLD:
	case ROLE_POD_TERMINATING:
	case ROLE_GAUGE_FREE:
		return THEME_DIM;
	case ROLE_KEY:
	case ROLE_ERROR:
	case ROLE_GROUP:
	case ROLE_RS_NEW:
	case ROLE_POD_CRASH:
	case ROLE_BADGE_STALLED:
	case ROLE_GAUGE_OVER:
		return THEME_BOLD;
	default:
		return 0;
	}
}

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
    {"bold", THEME_BOLD},       {"dim", THEME_DIM},       {"underline", THEME_UNDERLINE},
    {"reverse", THEME_REVERSE}, {"italic", THEME_ITALIC}, {"blink", THEME_BLINK},
};

static bool attr_word(const char *w, size_t len, unsigned *out)
{
	for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
		if (strlen(attr_names[i].name) == len && memcmp(attr_names[i].name, w, len) == 0) {
			*out |= attr_names[i].bit;
			return true;
		}
	return false;
}

/* attrs: a list of names or one string of names separated by spaces or commas. */
static bool parse_attrs(const cJSON *v, unsigned *out, const char **bad)
{
	*out = 0;
	if (cJSON_IsArray(v)) {
		const cJSON *it;
		cJSON_ArrayForEach(it, v)
		{
			if (!cJSON_IsString(it) ||
			    !attr_word(it->valuestring, strlen(it->valuestring), out)) {
				*bad = cJSON_IsString(it) ? it->valuestring : "(not a string)";
				return false;
			}
		}
		return true;
	}
	if (!cJSON_IsString(v)) {
		*bad = "(not a string or list)";
		return false;
	}
	const char *p = v->valuestring;
	while (*p) {
		p += strspn(p, " ,");
		size_t len = strcspn(p, " ,");
		if (len && !attr_word(p, len, out)) {
			*bad = p;
			return false;
		}
		p += len;
	}
	return true;
}

static int fail(struct perr *err, const char *name, const char *text, size_t len, const char *key,
		int from, const char *fmt, const char *what)
{
	int line = yamlline_find(text, len, key, from);
	char msg[256];
	snprintf(msg, sizeof(msg), fmt, what);
	perr_set(err, PERR_CONFIG, "%s:%d: %s", name, line, msg);
	return -1;
}

/* 0, or what is wrong: 1 a colour, 2 the attributes, 3 an unknown field. */
static int parse_role(struct theme_style *st, const cJSON *spec)
{
	*st = (struct theme_style){0};
	const cJSON *f;
	cJSON_ArrayForEach(f, spec)
	{
		if (strcmp(f->string, "fg") == 0 || strcmp(f->string, "bg") == 0) {
			struct theme_color *c = f->string[0] == 'f' ? &st->fg : &st->bg;
			char num[16];
			const char *s = f->valuestring;
			if (cJSON_IsNumber(f)) {
				snprintf(num, sizeof(num), "%d", f->valueint);
				s = num;
			}
			if (!(cJSON_IsString(f) || cJSON_IsNumber(f)) || !theme_color_parse(s, c))
				return 1;
		} else if (strcmp(f->string, "attrs") == 0) {
			const char *bad = NULL;
			if (!parse_attrs(f, &st->attrs, &bad))
				return 2;
		} else {
			return 3;
		}
	}
	return 0;
}

int theme_parse(struct theme *t, const char *name, const char *text, size_t len, struct perr *err)
{
	theme_default(t);
	cJSON *doc = yamljson_parse_unique(name, text, len, err);
	if (!doc)
		return -1;
	int rc = -1;
	if (!cJSON_IsObject(doc)) {
		fail(err, name, text, len, "", 1, "%s", "a theme is a mapping (name:, roles:)");
		goto out;
	}
	struct theme nt;
	theme_default(&nt);
	const cJSON *top;
	cJSON_ArrayForEach(top, doc)
	{
		if (strcmp(top->string, "name") == 0 && cJSON_IsString(top)) {
			snprintf(nt.name, sizeof(nt.name), "%s", top->valuestring);
		} else if (strcmp(top->string, "roles") == 0 && cJSON_IsObject(top)) {
			int from = yamlline_find(text, len, "roles", 1);
			const cJSON *r;
			cJSON_ArrayForEach(r, top)
			{
				int role = theme_role_parse(r->string);
				if (role < 0) {
					fail(err, name, text, len, r->string, from,
					     "unknown role \"%s\" (see podscope(1), THEMES)",
					     r->string);
					goto out;
				}
				if (!cJSON_IsObject(r)) {
					fail(err, name, text, len, r->string, from,
					     "role \"%s\" wants a mapping like {fg: red, attrs: "
					     "[bold]}",
					     r->string);
					goto out;
				}
				int e = parse_role(&nt.roles[role], r);
				if (e == 1) {
					fail(err, name, text, len, r->string, from,
					     "role \"%s\": a colour is default, a name (red, "
					     "bright-red), 0-255 or #rrggbb",
					     r->string);
					goto out;
				} else if (e == 2) {
					fail(err, name, text, len, r->string, from,
					     "role \"%s\": attrs are bold, dim, underline, "
					     "reverse, italic, blink",
					     r->string);
					goto out;
				} else if (e == 3) {
					fail(err, name, text, len, r->string, from,
					     "role \"%s\": only fg, bg and attrs are allowed",
					     r->string);
					goto out;
				}
			}
		} else {
			fail(err, name, text, len, top->string, 1,
			     "unknown or mistyped key \"%s\" (a theme has name: and roles:)",
			     top->string);
			goto out;
		}
	}
	*t = nt;
	rc = 0;
out:
	cJSON_Delete(doc);
	return rc;
}

static bool is_path(const char *s)
{
	size_t n = strlen(s);
	return strchr(s, '/') || (n > 5 && strcmp(s + n - 5, ".yaml") == 0);
}

/* The first readable NAME.yaml in the search path, or NULL. */
static char *find_theme(const char *name)
{
	struct buf dirs = BUF_INIT;
	char *cfg = uifile_config_dir();
	if (cfg)
		buf_printf(&dirs, "%s/themes:", cfg);
	free(cfg);
	const char *env = getenv("PODSCOPE_THEME_PATH");
	if (env && *env)
		buf_printf(&dirs, "%s:", env);
	buf_printf(&dirs, "%s/themes", PODSCOPE_DATADIR);
	char *found = NULL;
	const char *p = dirs.data;
	while (p && *p && !found) {
		size_t len = strcspn(p, ":");
		if (len) {
			char *path = xasprintf("%.*s/%s.yaml", (int)len, p, name);
			/* Found when it is there; reading it checks what it is (a
			 * FIFO opened here would block). */
			if (access(path, R_OK) == 0)
				found = path;
			else
				free(path);
		}
		p += len;
		if (*p == ':')
			p++;
	}
	buf_free(&dirs);
	return found;
}

int theme_load(struct theme *t, const char *name_or_path, struct perr *err)
{
	theme_default(t);
	if (!name_or_path || !*name_or_path)
		return 0;
	char *path = is_path(name_or_path) ? xstrdup(name_or_path) : find_theme(name_or_path);
	if (!path) {
		if (strcmp(name_or_path, "dark") == 0)
			return 0;
		perr_set(err, PERR_CONFIG,
			 "theme \"%s\" not found (looked in $XDG_CONFIG_HOME/podscope/themes, "
			 "$PODSCOPE_THEME_PATH and %s/themes)",
			 name_or_path, PODSCOPE_DATADIR);
		return -1;
	}
	size_t len = 0;
	char *text = kfile_read(path, KFILE_MAX_UI, &len, err, "theme %s", path);
	int rc = -1;
	if (text)
		rc = theme_parse(t, path, text, len, err);
	free(text);
	free(path);
	return rc;
}
