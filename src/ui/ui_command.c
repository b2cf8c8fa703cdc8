#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/kubeconfig.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "ui_int.h"
#include "ui_loop.h"

/* The ':' command line: an action of the table by its name (or a prefix
 * of one name only, as :q), with the arguments the commands take: ns NAME,
 * ctx NAME, save FILE, theme NAME, switch SERVICE DEPLOYMENT. */

static const struct action *find_command(const char *cmd, bool *ambiguous)
{
	const struct action *found = actions_find(cmd);
	size_t len = strlen(cmd);
	*ambiguous = false;
	for (int i = 0; !found && i < ACT_COUNT; i++) {
		if (strncmp(actions_table[i].name, cmd, len) != 0)
			continue;
		for (int j = i + 1; j < ACT_COUNT; j++)
			if (strncmp(actions_table[j].name, cmd, len) == 0)
				*ambiguous = true;
		return *ambiguous ? NULL : &actions_table[i];
	}
	return found;
}

void ui_command(struct ui *ui, char *line)
{
	char *cmd = line + strspn(line, " ");
	char *arg = cmd + strcspn(cmd, " ");
	if (*arg)
		*arg++ = '\0';
	arg += strspn(arg, " ");
	char *arg2 = arg + strcspn(arg, " ");
	if (*arg2)
		*arg2++ = '\0';
	arg2 += strspn(arg2, " ");
	arg2[strcspn(arg2, " ")] = '\0';
	if (!*cmd)
		return;
	bool ambiguous;
	const struct action *a = find_command(cmd, &ambiguous);
	if (!a) {
		ui_message(ui, ROLE_ERROR, "%s command \"%.60s\" (an action's name; Tab completes)",
			   ambiguous ? "ambiguous" : "unknown", cmd);
		return;
	}
	switch (a->id) {
	case ACT_NAMESPACE:
		if (!*arg || strcmp(arg, "all") == 0 || strcmp(arg, "-A") == 0) {
			ui->all_ns = true;
		} else {
			ui->all_ns = false;
			snprintf(ui->ns, sizeof(ui->ns), "%s", arg);
		}
		ui_watch(ui);
		ui_request(ui, UI_DRAW);
		break;
	case ACT_CONTEXT:
		if (*arg)
			ui_switch_context(ui, arg);
		else
			ui_message(ui, ROLE_INFO, "context %s (:ctx NAME switches, Tab completes)",
				   ui->context);
		break;
	case ACT_SAVE:
		ui_save_screen(ui, arg);
		break;
	case ACT_REPLAY_JUMP:
		ui_replay_jump(ui, arg);
		break;
	case ACT_THEME: {
		struct perr err = {0};
		if (theme_load(&ui->theme, arg, &err) != 0) {
			ui_message(ui, ROLE_ERROR, "%s; using the dark theme", perr_msg(&err));
			perr_clear(&err);
		}
		screen_apply_theme(ui);
		ui_request(ui, UI_DRAW | UI_CLEAR);
		break;
	}
	case ACT_SWITCH:
		/* The blue-green switch by name, from any view. */
		ui_act_switch(ui, arg, arg2);
		break;
	default:
		ui_do_action(ui, a->id);
		break;
	}
}

struct cands {
	char **v;
	size_t n, cap;
};

static void add(struct cands *c, const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)) != 0)
		return;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i], s) == 0)
			return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xrealloc(c->v, c->cap * sizeof(char *));
	}
	c->v[c->n++] = xstrdup(s);
}

/* Namespaces the store knows: Namespace objects (when every namespace is
 * watched) and the namespaces of what is shown. */
static void namespaces(struct ui *ui, struct cands *c, const char *prefix)
{
	static const enum store_kind kinds[] = {STORE_NAMESPACES, STORE_DEPLOYMENTS, STORE_PODS};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct store_iter it;
		store_iter_all(&it, ui->store, kinds[k], NULL);
		const void *o;
		while ((o = store_iter_next(&it)))
			add(c,
			    kinds[k] == STORE_NAMESPACES ? store_obj_name(o)
							 : store_obj_namespace(o),
			    prefix);
	}
	add(c, "all", prefix);
}

static void contexts(struct ui *ui, struct cands *c, const char *prefix)
{
	char **names = NULL;
	struct perr err = {0};
	kc_list_contexts(&ui->kc, &names, &err);
	for (size_t i = 0; names && names[i]; i++)
		add(c, names[i], prefix);
	kc_free_names(names);
	perr_clear(&err);
}

/* Every action of the table but the dialog's own is a command. */
static void commands(struct cands *c, const char *prefix)
{
	for (int i = 0; i < ACT_COUNT; i++)
		if (actions_table[i].views != VIEWMASK_DIALOG)
			add(c, actions_table[i].name, prefix);
}

void ui_complete(struct ui *ui, char *line, size_t n)
{
	struct cands c = {0};
	char *word = strrchr(line, ' ');
	word = word ? word + 1 : line;
	if (word == line) {
		commands(&c, word);
	} else {
		size_t cl = strcspn(line, " ");
		if (cl == 2 && strncmp(line, "ns", 2) == 0)
			namespaces(ui, &c, word);
		else if (cl == 3 && strncmp(line, "ctx", 3) == 0)
			contexts(ui, &c, word);
	}
	if (c.n == 0) {
		ui_message(ui, ROLE_INFO, "no completion");
	} else {
		/* The longest common prefix of the candidates. */
		size_t common = strlen(c.v[0]);
		for (size_t i = 1; i < c.n; i++) {
			size_t j = 0;
			while (j < common && c.v[i][j] == c.v[0][j])
				j++;
			common = j;
		}
		size_t at = (size_t)(word - line);
		if (at + common + 2 < n) {
			memcpy(word, c.v[0], common);
			word[common] = '\0';
			if (c.n == 1)
				strcat(word, " ");
		}
		if (c.n > 1) {
			char list[256] = "";
			for (size_t i = 0; i < c.n && strlen(list) + 40 < sizeof(list); i++) {
				strcat(list, i ? " " : "");
				strncat(list, c.v[i], 32);
			}
			ui_message(ui, ROLE_INFO, "%s", list);
		}
	}
	for (size_t i = 0; i < c.n; i++)
		free(c.v[i]);
	free(c.v);
}
