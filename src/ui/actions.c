#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curses.h>

#include "actions.h"

#define ACTIONS_ENTRY(id_, name_, keys_, views_, mutates_, help_)                                  \
	[id_] = {.id = id_,                                                                        \
		 .name = name_,                                                                    \
		 .keys = keys_,                                                                    \
		 .views = views_,                                                                  \
		 .mutates = mutates_,                                                              \
		 .help = help_},
const struct action actions_table[ACT_COUNT] = {ACTIONS_TABLE(ACTIONS_ENTRY)};
#undef ACTIONS_ENTRY

const struct action *actions_find(const char *name)
{
	for (int i = 0; i < ACT_COUNT; i++)
		if (strcmp(actions_table[i].name, name) == 0)
			return &actions_table[i];
	return NULL;
}

static const struct {
	const char *name;
	int key;
} named_keys[] = {
    {"Enter", '\n'},
    {"Esc", 27},
    {"Tab", '\t'},
    {"Space", ' '},
    {"Backspace", KEY_BACKSPACE},
    {"Up", KEY_UP},
    {"Down", KEY_DOWN},
    {"Left", KEY_LEFT},
    {"Right", KEY_RIGHT},
    {"PgUp", KEY_PPAGE},
    {"PgDn", KEY_NPAGE},
    {"Home", KEY_HOME},
    {"End", KEY_END},
    {"Delete", KEY_DC},
    {"Insert", KEY_IC},
};

int actions_key_parse(const char *name)
{
	if (!name || !*name)
		return -1;
	if (name[1] == '\0')
		return (unsigned char)name[0] < 0x80 && isprint((unsigned char)name[0])
			   ? (unsigned char)name[0]
			   : -1;
	if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2] && !name[3] &&
	    isalpha((unsigned char)name[2]))
		return tolower((unsigned char)name[2]) - 'a' + 1;
	for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++)
		if (strcasecmp(named_keys[i].name, name) == 0)
			return named_keys[i].key;
	if ((name[0] == 'F' || name[0] == 'f') && isdigit((unsigned char)name[1])) {
		int n = 0;
		for (const char *p = name + 1; *p; p++) {
			if (!isdigit((unsigned char)*p))
				return -1;
			n = n * 10 + (*p - '0');
			if (n > 12)
				return -1;
		}
		return n >= 1 ? KEY_F(n) : -1;
	}
	return -1;
}

void actions_key_name(int key, char *buf, size_t n)
{
	for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++)
		if (named_keys[i].key == key) {
			snprintf(buf, n, "%s", named_keys[i].name);
			return;
		}
	if (key >= 1 && key <= 26)
		snprintf(buf, n, "C-%c", 'a' + key - 1);
	else if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, n, "F%d", key - KEY_F0);
	else if (key > 32 && key < 127)
		snprintf(buf, n, "%c", key);
	else
		snprintf(buf, n, "#%d", key);
}

/* The map an action's keys go in. */
static signed char *map_of(struct keymap *km, enum action_id a)
{
	return actions_table[a].views == VIEWMASK_DIALOG ? km->dialog : km->map;
}

static const signed char *cmap_of(const struct keymap *km, enum action_id a)
{
	return actions_table[a].views == VIEWMASK_DIALOG ? km->dialog : km->map;
}

bool keymap_bind(struct keymap *km, const char *key, enum action_id a)
{
	int k = actions_key_parse(key);
	if (k < 0 || k >= ACTIONS_MAX_KEY || a < 0 || a >= ACT_COUNT)
		return false;
	signed char *map = map_of(km, a);
	map[k] = (signed char)a;
	/* Terminals send Enter as CR or LF and Backspace as DEL or ^H. */
	if (k == '\n')
		map['\r'] = (signed char)a;
	if (k == KEY_BACKSPACE) {
		map[127] = (signed char)a;
		map[8] = (signed char)a;
	}
	if (k == '\n')
		map[KEY_ENTER] = (signed char)a;
	km->shown[a] = (short)k;
	return true;
}

void keymap_init_defaults(struct keymap *km)
{
	memset(km->map, ACT_NONE, sizeof(km->map));
	memset(km->dialog, ACT_NONE, sizeof(km->dialog));
	for (int i = 0; i < ACT_COUNT; i++) {
		char word[32];
		const char *p = actions_table[i].keys;
		while (*p) {
			size_t len = strcspn(p, " ");
			if (len > 0 && len < sizeof(word)) {
				memcpy(word, p, len);
				word[len] = '\0';
				keymap_bind(km, word, (enum action_id)i);
			}
			p += len;
			p += strspn(p, " ");
		}
		/* A hint shows the first default key (binding set the last). */
		size_t len = strcspn(actions_table[i].keys, " ");
		snprintf(word, sizeof(word), "%.*s", (int)len, actions_table[i].keys);
		km->shown[i] = (short)actions_key_parse(word);
	}
}

enum action_id keymap_lookup(const struct keymap *km, int k)
{
	if (k < 0 || k >= ACTIONS_MAX_KEY)
		return ACT_NONE;
	return (enum action_id)km->map[k];
}

enum action_id keymap_lookup_dialog(const struct keymap *km, int k)
{
	if (k < 0 || k >= ACTIONS_MAX_KEY)
		return ACT_NONE;
	return (enum action_id)km->dialog[k];
}

void keymap_keys_of(const struct keymap *km, enum action_id a, char *buf, size_t n)
{
	const signed char *map = cmap_of(km, a);
	size_t used = 0;
	buf[0] = '\0';
	for (int k = 0; k < ACTIONS_MAX_KEY; k++) {
		/* Aliases added by keymap_bind are not worth listing. */
		if (map[k] != (signed char)a || k == '\r' || k == 127 || k == 8 || k == KEY_ENTER)
			continue;
		char name[16];
		actions_key_name(k, name, sizeof(name));
		int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", name);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
}

void keymap_hint_key(const struct keymap *km, enum action_id a, char *buf, size_t n)
{
	const signed char *map = cmap_of(km, a);
	int k = km->shown[a];
	/* The key may have been bound to another action since. */
	if (k < 0 || k >= ACTIONS_MAX_KEY || map[k] != (signed char)a) {
		k = -1;
		for (int i = 0; i < ACTIONS_MAX_KEY && k < 0; i++)
			if (map[i] == (signed char)a)
				k = i;
	}
	if (k < 0)
		snprintf(buf, n, ":%s", actions_table[a].name);
	else
		actions_key_name(k, buf, n);
}

void keymap_hint(const struct keymap *km, const char *tmpl, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const char *p = tmpl; *p && used + 1 < n;) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		char name[32], key[40];
		const struct action *a = NULL;
		if (end && (size_t)(end - p - 1) < sizeof(name)) {
			snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
			a = actions_find(name);
		}
		if (!a) {
			buf[used++] = *p++;
			buf[used] = '\0';
			continue;
		}
		keymap_hint_key(km, a->id, key, sizeof(key));
		int w = snprintf(buf + used, n - used, "%s", key);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
		p = end + 1;
	}
}
