#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <check.h>
#include <curses.h>

#include "actions.h"
#include "glyphs.h"
#include "theme.h"
#include "uiconfig.h"
#include "testutil.h"
#include "uifile.h"
#include "yamlline.h"

/* ---- actions ---- */

START_TEST(test_table_complete)
{
	for (int i = 0; i < ACT_COUNT; i++) {
		const struct action *a = &actions_table[i];
		ck_assert_int_eq(a->id, i);
		ck_assert_ptr_nonnull(a->name);
		ck_assert_msg(a->help && strlen(a->help) > 5, "%s has no help", a->name);
		ck_assert_msg(a->views != 0, "%s applies to no view", a->name);
		ck_assert_ptr_eq(actions_find(a->name), a);
	}
	ck_assert_ptr_null(actions_find("no-such-action"));
}
END_TEST

/* Every default key parses, and no key is given to two actions of one map
 * (the views', the dialog's). */
START_TEST(test_default_keys_unique)
{
	int owners[2][ACTIONS_MAX_KEY];
	for (int k = 0; k < ACTIONS_MAX_KEY; k++)
		owners[0][k] = owners[1][k] = -1;
	for (int i = 0; i < ACT_COUNT; i++) {
		int *owner = owners[actions_table[i].views == VIEWMASK_DIALOG];
		char buf[128];
		snprintf(buf, sizeof(buf), "%s", actions_table[i].keys);
		for (char *w = strtok(buf, " "); w; w = strtok(NULL, " ")) {
			int k = actions_key_parse(w);
			ck_assert_msg(k >= 0, "%s: key \"%s\" does not parse",
				      actions_table[i].name, w);
			ck_assert_msg(owner[k] < 0, "key %s is bound to %s and %s", w,
				      owner[k] >= 0 ? actions_table[owner[k]].name : "",
				      actions_table[i].name);
			owner[k] = i;
		}
	}
}
END_TEST

START_TEST(test_keymap)
{
	struct keymap km;
	keymap_init_defaults(&km);
	ck_assert_int_eq(keymap_lookup(&km, 'q'), ACT_QUIT);
	ck_assert_int_eq(keymap_lookup(&km, '\n'), ACT_ENTER);
	ck_assert_int_eq(keymap_lookup(&km, '\r'), ACT_ENTER);
	ck_assert_int_eq(keymap_lookup(&km, KEY_ENTER), ACT_ENTER);
	ck_assert_int_eq(keymap_lookup(&km, 127), ACT_BACK);
	ck_assert_int_eq(keymap_lookup(&km, KEY_DOWN), ACT_DOWN);
	ck_assert_int_eq(keymap_lookup(&km, 12), ACT_REDRAW); /* C-l */
	ck_assert_int_eq(keymap_lookup(&km, 'X'), ACT_NONE);
	ck_assert_int_eq(keymap_lookup(&km, 'Z'), ACT_UNSUSPEND);
	ck_assert_int_eq(keymap_lookup(&km, -1), ACT_NONE);
	ck_assert_int_eq(keymap_lookup(&km, 100000), ACT_NONE);
	char keys[64];
	keymap_keys_of(&km, ACT_DOWN, keys, sizeof(keys));
	ck_assert_str_eq(keys, "j, Down");
	ck_assert(keymap_bind(&km, "Q", ACT_QUIT));
	ck_assert(!keymap_bind(&km, "NoSuchKey", ACT_QUIT));
	ck_assert_int_eq(keymap_lookup(&km, 'Q'), ACT_QUIT);
}
END_TEST

START_TEST(test_key_names)
{
	const char *names[] = {"q",     "?",         "+",   "C-l",  "Enter", "Esc",   "Tab",
			       "Space", "Backspace", "Up",  "Down", "Left",  "Right", "PgUp",
			       "PgDn",  "Home",      "End", "F1",   "F12",   "Delete"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int k = actions_key_parse(names[i]);
		ck_assert_msg(k >= 0, "%s", names[i]);
		char back[16];
		actions_key_name(k, back, sizeof(back));
		ck_assert_str_eq(back, names[i]);
	}
	ck_assert_int_eq(actions_key_parse(""), -1);
	ck_assert_int_eq(actions_key_parse("F13"), -1);
	ck_assert_int_eq(actions_key_parse("C-1"), -1);
	ck_assert_int_eq(actions_key_parse("\x01"), -1);
	ck_assert_int_eq(actions_key_parse("c-L"), 12);
}
END_TEST

/* ---- themes ---- */

START_TEST(test_color_parse)
{
	struct theme_color c;
	ck_assert(theme_color_parse("default", &c) && c.kind == THEME_COLOR_DEFAULT);
	ck_assert(theme_color_parse("red", &c) && c.kind == THEME_COLOR_INDEX && c.value == 1);
	ck_assert(theme_color_parse("bright-cyan", &c) && c.value == 14);
	ck_assert(theme_color_parse("grey", &c) && c.value == 8);
	ck_assert(theme_color_parse("208", &c) && c.kind == THEME_COLOR_INDEX && c.value == 208);
	ck_assert(theme_color_parse("#ff8700", &c) && c.kind == THEME_COLOR_RGB &&
		  c.value == 0xff8700);
	ck_assert(!theme_color_parse("256", &c));
	ck_assert(!theme_color_parse("#ff870", &c));
	ck_assert(!theme_color_parse("#gg8700", &c));
	ck_assert(!theme_color_parse("blurple", &c));
	ck_assert(!theme_color_parse("", &c));
}
END_TEST

START_TEST(test_color_resolve)
{
	struct theme_color c;
	unsigned fa;
	theme_color_parse("#ff8700", &c);
	ck_assert_int_eq(theme_color_resolve(&c, 1 << 24, &fa), 0xff8700);
	ck_assert_int_eq(theme_color_resolve(&c, 256, &fa), 208);
	int n16 = theme_color_resolve(&c, 16, &fa);
	ck_assert(n16 == 9 || n16 == 11 || n16 == 3); /* red or yellow, not blue */
	theme_color_parse("bright-red", &c);
	ck_assert_int_eq(theme_color_resolve(&c, 256, &fa), 9);
	ck_assert_int_eq(theme_color_resolve(&c, 8, &fa), 1);
	ck_assert_uint_eq(fa, THEME_BOLD);
	theme_color_parse("bright-black", &c);
	ck_assert_int_eq(theme_color_resolve(&c, 8, &fa), 7);
	ck_assert_uint_eq(fa, THEME_DIM);
	theme_color_parse("red", &c);
	ck_assert_int_eq(theme_color_resolve(&c, 1 << 24, &fa), 0xcd0000);
	ck_assert_int_eq(theme_color_resolve(&c, 0, &fa), -1);
	theme_color_parse("default", &c);
	ck_assert_int_eq(theme_color_resolve(&c, 256, &fa), -1);
	theme_color_parse("#000000", &c);
	ck_assert_int_eq(theme_color_resolve(&c, 8, &fa), 0);
}
END_TEST

static char *read_theme(const char *name, size_t *len, char *path, size_t n)
{
	snprintf(path, n, "%s/themes/%s.yaml", test_srcdir(), name);
	char *text = test_slurp_len(path, len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	return text;
}

static const char *const shipped[] = {"dark", "light", "high-contrast", "solarized", "mono"};

START_TEST(test_shipped_themes)
{
	char path[4096];
	size_t len;
	char *text = read_theme(shipped[_i], &len, path, sizeof(path));
	struct theme t;
	struct perr err = {0};
	ck_assert_msg(theme_parse(&t, path, text, len, &err) == 0, "%s", perr_msg(&err));
	ck_assert_str_eq(t.name, shipped[_i]);
	/* Every role is named in every shipped theme. */
	for (int r = 0; r < ROLE_COUNT; r++) {
		char key[64];
		snprintf(key, sizeof(key), "\n  %s:", theme_role_name((enum theme_role)r));
		ck_assert_msg(strstr(text, key), "%s does not set %s", path,
			      theme_role_name((enum theme_role)r));
	}
	free(text);
}
END_TEST

/* The compiled-in default and themes/dark.yaml are the same theme. */
START_TEST(test_dark_is_default)
{
	char path[4096];
	size_t len;
	char *text = read_theme("dark", &len, path, sizeof(path));
	struct theme file, builtin;
	struct perr err = {0};
	ck_assert_int_eq(theme_parse(&file, path, text, len, &err), 0);
	theme_default(&builtin);
	for (int r = 0; r < ROLE_COUNT; r++)
		ck_assert_msg(memcmp(&file.roles[r], &builtin.roles[r], sizeof(file.roles[r])) == 0,
			      "role %s differs", theme_role_name((enum theme_role)r));
	free(text);
}
END_TEST

static void expect_theme_error(const char *text, const char *want)
{
	struct theme t;
	struct perr err = {0};
	ck_assert_int_eq(theme_parse(&t, "t.yaml", text, strlen(text), &err), -1);
	ck_assert_msg(strstr(perr_msg(&err), want), "got \"%s\", want \"%s\"", perr_msg(&err),
		      want);
	/* A failed parse leaves the default. */
	struct theme def;
	theme_default(&def);
	ck_assert_mem_eq(&t, &def, sizeof(t));
	perr_clear(&err);
}

START_TEST(test_theme_errors)
{
	expect_theme_error("name: x\nroles:\n  title: {fg: blurple}\n", "t.yaml:3: role \"title\"");
	expect_theme_error("roles:\n  ok: {fg: red}\n  nope: {fg: red}\n",
			   "t.yaml:3: unknown role \"nope\"");
	expect_theme_error("roles:\n  ok:\n    attrs: [bold, loud]\n",
			   "t.yaml:2: role \"ok\": attrs");
	expect_theme_error("roles:\n  ok: {fg: red, size: 3}\n", "t.yaml:2: role \"ok\": only fg");
	expect_theme_error("name: x\ncolours: {}\n",
			   "t.yaml:2: unknown or mistyped key \"colours\"");
	expect_theme_error("roles:\n  ok: red\n", "t.yaml:2: role \"ok\" wants a mapping");
	expect_theme_error("roles: {ok: [\n", "t.yaml:");
	expect_theme_error("- a\n- b\n", "t.yaml:1: a theme is a mapping");
}
END_TEST

START_TEST(test_theme_partial)
{
	const char *text =
	    "roles:\n  title: {fg: \"#102030\", bg: 17, attrs: \"bold, underline\"}\n";
	struct theme t, def;
	struct perr err = {0};
	ck_assert_int_eq(theme_parse(&t, "t.yaml", text, strlen(text), &err), 0);
	theme_default(&def);
	ck_assert_int_eq(t.roles[ROLE_TITLE].fg.kind, THEME_COLOR_RGB);
	ck_assert_uint_eq(t.roles[ROLE_TITLE].fg.value, 0x102030);
	ck_assert_uint_eq(t.roles[ROLE_TITLE].bg.value, 17);
	ck_assert_uint_eq(t.roles[ROLE_TITLE].attrs, THEME_BOLD | THEME_UNDERLINE);
	ck_assert_mem_eq(&t.roles[ROLE_POD_READY], &def.roles[ROLE_POD_READY],
			 sizeof(def.roles[0]));
	ck_assert_int_eq(theme_role_parse("pod-ready"), ROLE_POD_READY);
	ck_assert_int_eq(theme_role_parse("pod_ready"), -1);
}
END_TEST

START_TEST(test_theme_load)
{
	struct theme t;
	struct perr err = {0};
	ck_assert_int_eq(theme_load(&t, "dark", &err), 0); /* compiled in when not found */
	ck_assert_int_eq(theme_load(&t, "no-such-theme", &err), -1);
	ck_assert(strstr(perr_msg(&err), "theme \"no-such-theme\" not found"));
	perr_clear(&err);
	ck_assert_int_eq(theme_load(&t, "/nonexistent/x.yaml", &err), -1);
	ck_assert(strstr(perr_msg(&err), "/nonexistent/x.yaml"));
	perr_clear(&err);
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/themes", test_srcdir());
	setenv("PODSCOPE_THEME_PATH", dir, 1);
	ck_assert_int_eq(theme_load(&t, "solarized", &err), 0);
	ck_assert_str_eq(t.name, "solarized");
}
END_TEST

/* ---- config ---- */

static int parse_config(struct uiconfig *c, const char *text, struct perr *err)
{
	uiconfig_defaults(c);
	return uiconfig_parse(c, "config.yaml", text, strlen(text), err);
}

START_TEST(test_config)
{
	struct uiconfig c;
	struct perr err = {0};
	const char *ok = "theme: light\nreadonly: true\nrefresh: 100ms\nbindings:\n  quit: Q\n"
			 "  down: [\"n\", C-n]\n";
	ck_assert_msg(parse_config(&c, ok, &err) == 0, "%s", perr_msg(&err));
	ck_assert_str_eq(c.theme, "light");
	ck_assert(c.readonly);
	ck_assert_int_eq(c.refresh_ms, 100);
	ck_assert_int_eq(keymap_lookup(&c.keys, 'Q'), ACT_QUIT);
	ck_assert_int_eq(keymap_lookup(&c.keys, 'q'), ACT_QUIT); /* defaults stay */
	ck_assert_int_eq(keymap_lookup(&c.keys, 'n'), ACT_DOWN);
	ck_assert_int_eq(keymap_lookup(&c.keys, 14), ACT_DOWN);
	static const struct {
		const char *text, *want;
	} bad[] = {
	    {"theme: x\nbindings:\n  fly: f\n", "config.yaml:3: bindings: unknown action \"fly\""},
	    {"bindings:\n  quit: NoKey\n", "config.yaml:2: bindings: quit: not a key"},
	    {"bindings:\n  quit: [q, 7x]\n", "config.yaml:2: bindings: quit: not a key"},
	    {"theme: x\nrefresh: 1ms\n", "config.yaml:2: refresh is a duration"},
	    {"readonly: sometimes\n", "config.yaml:1: readonly is true or false"},
	    {"\n\ncolour: red\n", "config.yaml:3: unknown setting \"colour\""},
	    {"bindings: [q]\n", "config.yaml:1: bindings is a mapping"},
	    {"theme: [\n", "config.yaml:"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(parse_config(&c, bad[i].text, &err), -1);
		ck_assert_msg(strstr(perr_msg(&err), bad[i].want), "got \"%s\", want \"%s\"",
			      perr_msg(&err), bad[i].want);
		perr_clear(&err);
	}
}
END_TEST

/* readonly-contexts: a glob or a list of them; anything else is a clear error. */
START_TEST(test_config_ro_contexts)
{
	struct uiconfig c;
	struct perr err = {0};
	ck_assert_msg(parse_config(&c, "readonly-contexts: [\"prod-*\", staging]\n", &err) == 0,
		      "%s", perr_msg(&err));
	ck_assert_int_eq(c.n_ro_contexts, 2);
	ck_assert(uiconfig_context_readonly(&c, "prod-eu"));
	ck_assert(uiconfig_context_readonly(&c, "staging"));
	ck_assert(!uiconfig_context_readonly(&c, "staging-2"));
	ck_assert(!uiconfig_context_readonly(&c, "my-prod-eu"));
	ck_assert_msg(parse_config(&c, "readonly-contexts: qa-?\n", &err) == 0, "%s",
		      perr_msg(&err));
	ck_assert(uiconfig_context_readonly(&c, "qa-1"));
	ck_assert(!uiconfig_context_readonly(&c, "qa-10"));
	parse_config(&c, "theme: x\n", &err);
	ck_assert(!uiconfig_context_readonly(&c, "prod-eu")); /* none by default */
	static const char *const bad[] = {"theme: x\nreadonly-contexts: true\n",
					  "readonly-contexts: [prod, 3]\n",
					  "readonly-contexts: \"\"\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(parse_config(&c, bad[i], &err), -1);
		ck_assert_msg(strstr(perr_msg(&err), "readonly-contexts is a context name or glob"),
			      "got \"%s\"", perr_msg(&err));
		perr_clear(&err);
	}
	char many[2048] = "readonly-contexts: [";
	for (int i = 0; i < UICONFIG_MAX_RO_CONTEXTS + 1; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%sc%d", i ? ", " : "", i);
	snprintf(many + strlen(many), sizeof(many) - strlen(many), "]\n");
	ck_assert_int_eq(parse_config(&c, many, &err), -1);
	ck_assert(strstr(perr_msg(&err), "at most 32"));
	perr_clear(&err);
}
END_TEST

START_TEST(test_yamlline)
{
	const char *t = "a: 1\nroles:\n  title: x\n  'quoted': y\n  - dash: z\n";
	size_t n = strlen(t);
	ck_assert_int_eq(yamlline_find(t, n, "roles", 1), 2);
	ck_assert_int_eq(yamlline_find(t, n, "title", 1), 3);
	ck_assert_int_eq(yamlline_find(t, n, "quoted", 1), 4);
	ck_assert_int_eq(yamlline_find(t, n, "dash", 1), 5);
	ck_assert_int_eq(yamlline_find(t, n, "missing", 2), 2);
	ck_assert_int_eq(yamlline_find(t, n, "a", 2), 2);
	ck_assert_int_eq(yamlline_find(t, n, "titl", 1), 1);
}
END_TEST

/* ---- glyphs ---- */

START_TEST(test_glyphs)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
	for (int utf8 = 0; utf8 <= 1; utf8++) {
		glyphs_init(utf8);
		for (int g = 0; g < GLYPH_COUNT; g++) {
			const char *s = glyph((enum glyph)g);
			wchar_t wc[8];
			size_t n = mbstowcs(wc, s, 8);
			ck_assert_msg(n != (size_t)-1 && n >= 1, "glyph %d", g);
			int w = wcswidth(wc, n);
			ck_assert_msg(w == 1 || (g == GLYPH_ARROW && !utf8 && w == 2),
				      "glyph %d is %d columns", g, w);
			if (!utf8)
				for (const char *p = s; *p; p++)
					ck_assert((unsigned char)*p >= 32 &&
						  (unsigned char)*p < 127);
		}
	}
	ck_assert(glyphs_locale_is_utf8());
	setlocale(LC_ALL, "C");
	ck_assert(!glyphs_locale_is_utf8());
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ui");
	TCase *tc = tcase_create("actions");
	tcase_add_test(tc, test_table_complete);
	tcase_add_test(tc, test_default_keys_unique);
	tcase_add_test(tc, test_keymap);
	tcase_add_test(tc, test_key_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("themes");
	tcase_add_test(tc, test_color_parse);
	tcase_add_test(tc, test_color_resolve);
	tcase_add_loop_test(tc, test_shipped_themes, 0,
			    (int)(sizeof(shipped) / sizeof(shipped[0])));
	tcase_add_test(tc, test_dark_is_default);
	tcase_add_test(tc, test_theme_errors);
	tcase_add_test(tc, test_theme_partial);
	tcase_add_test(tc, test_theme_load);
	suite_add_tcase(s, tc);
	tc = tcase_create("config");
	tcase_add_test(tc, test_config);
	tcase_add_test(tc, test_config_ro_contexts);
	tcase_add_test(tc, test_yamlline);
	tcase_add_test(tc, test_glyphs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
