#include "config.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/kubeconfig.h"
#include "podscope/xalloc.h"

/* Which contexts a command watches: --context a,b,c, --contexts REGEX or
 * --all-contexts (doc/podscope.1, "Many clusters"). */

static bool listed(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static void add_name(char ***out, size_t *n, const char *name)
{
	if (listed(*out, *n, name))
		return;
	*out = xrealloc(*out, (*n + 2) * sizeof(**out));
	(*out)[(*n)++] = xstrdup(name);
	(*out)[*n] = NULL;
}

static size_t too_many(char ***out, struct perr *err, const char *how)
{
	perr_set(err, PERR_USAGE, "%s names more than %d contexts; podscope watches at most %d",
		 how, KC_FLEET_MAX, KC_FLEET_MAX);
	kc_free_names(*out);
	*out = NULL;
	return 0;
}

size_t kc_fleet_contexts(const struct kc_options *opt, const char *regex, bool all, char ***out,
			 struct perr *err)
{
	*out = NULL;
	const char *ctx = opt->context;
	bool list = ctx && strchr(ctx, ',');
	if (!list && !regex && !all)
		return 0; /* one context: kc_load's own choice */
	if ((list || (ctx && *ctx)) + (regex != NULL) + all > 1) {
		perr_set(err, PERR_USAGE,
			 "use one of --context a,b,c, --contexts REGEX and --all-contexts");
		return 0;
	}
	char **known = NULL;
	struct kc_options o = *opt;
	o.context = NULL;
	size_t nknown = kc_list_contexts(&o, &known, err);
	if (!known)
		return 0;
	size_t n = 0;
	if (list) {
		/* A context whose own name has a comma is taken whole. */
		if (listed(known, nknown, ctx)) {
			add_name(out, &n, ctx);
		} else {
			char *copy = xstrdup(ctx);
			char *save = NULL;
			for (char *tok = strtok_r(copy, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				if (!*tok)
					continue;
				if (!listed(known, nknown, tok)) {
					perr_set(err, PERR_CONFIG,
						 "--context: no context \"%s\" in the kubeconfig",
						 tok);
					free(copy);
					kc_free_names(*out);
					kc_free_names(known);
					*out = NULL;
					return 0;
				}
				if (n == KC_FLEET_MAX) {
					free(copy);
					kc_free_names(known);
					return too_many(out, err, "--context");
				}
				add_name(out, &n, tok);
			}
			free(copy);
		}
	} else if (regex) {
		/* The whole name matches, as a glob would: "prod-.*", not "prod". */
		size_t len = strlen(regex);
		if (len > 512) {
			perr_set(err, PERR_USAGE,
				 "--contexts: the expression is longer than 512 bytes");
			kc_free_names(known);
			return 0;
		}
		char *anchored = xmalloc(len + 5);
		snprintf(anchored, len + 5, "^(%s)$", regex);
		regex_t re;
		int rc = regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB);
		free(anchored);
		if (rc != 0) {
			char why[128];
			regerror(rc, &re, why, sizeof(why));
			perr_set(err, PERR_USAGE, "--contexts: %s", why);
			kc_free_names(known);
			return 0;
		}
		for (size_t i = 0; i < nknown; i++) {
			if (regexec(&re, known[i], 0, NULL, 0) != 0)
				continue;
			if (n == KC_FLEET_MAX) {
				regfree(&re);
				kc_free_names(known);
				return too_many(out, err, "--contexts");
			}
			add_name(out, &n, known[i]);
		}
		regfree(&re);
		if (n == 0)
			perr_set(err, PERR_CONFIG, "--contexts: no context matches \"%s\"", regex);
	} else {
		for (size_t i = 0; i < nknown; i++) {
			if (n == KC_FLEET_MAX) {
				kc_free_names(known);
				return too_many(out, err, "--all-contexts");
			}
			add_name(out, &n, known[i]);
		}
		if (n == 0)
			perr_set(err, PERR_CONFIG, "--all-contexts: the kubeconfig has no context");
	}
	kc_free_names(known);
	if (n == 0) {
		if (!err->msg)
			perr_set(err, PERR_USAGE, "--context: \"%s\" names no context", ctx);
		kc_free_names(*out);
		*out = NULL;
	}
	return n;
}
