#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "theme.h"
#include "podscope/yamljson.h"
#include "yamlline.h"

#define ROLE_NAME(id, name) [id] = name,
static const char *const role_names[ROLE_COUNT] = {THEME_ROLES(ROLE_NAME)};
#undef ROLE_NAME

const char *theme_role_name(enum theme_role r)
{
	return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

int theme_role_parse(const char *name)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(role_names[i], name) == 0)
			return i;
	return -1;
}

static const char *const base_names[8] = {"black", "red",     "green", "yellow",
					  "blue",  "magenta", "cyan",  "white"};

bool theme_color_parse(const char *s, struct theme_color *out)
{
	*out = (struct theme_color){0};
	if (!s || !*s)
		return false;
	if (strcasecmp(s, "default") == 0 || strcasecmp(s, "none") == 0)
		return true;
	if (s[0] == '#') {
		if (strlen(s) != 7)
			return false;
		for (int i = 1; i < 7; i++)
			if (!isxdigit((unsigned char)s[i]))
				return false;
		out->kind = THEME_COLOR_RGB;
		out->value = (uint32_t)strtoul(s + 1, NULL, 16);
		return true;
	}
	if (isdigit((unsigned char)s[0])) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);
		if (*end || v > 255)
			return false;
		out->kind = THEME_COLOR_INDEX;
		out->value = (uint32_t)v;
		return true;
	}
	bool bright = false;
	if (strncasecmp(s, "bright-", 7) == 0) {
		bright = true;
		s += 7;
	}
	for (int i = 0; i < 8; i++)
		if (strcasecmp(s, base_names[i]) == 0) {
			out->kind = THEME_COLOR_INDEX;
			out->value = (uint32_t)(i + (bright ? 8 : 0));
			return true;
		}
	/* "gray"/"grey" is how most people spell bright black. */
	if (!bright && (strcasecmp(s, "gray") == 0 || strcasecmp(s, "grey") == 0)) {
		out->kind = THEME_COLOR_INDEX;
		out->value = 8;
		return true;
	}
	return false;
}

/* The xterm palette's RGB values, for mapping down. */
static uint32_t xterm_rgb(unsigned idx)
{
	static const uint32_t ansi[16] = {
	    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	    0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff};
	if (idx < 16)
		return ansi[idx];
	if (idx < 232) {
		static const unsigned steps[6] = {0, 95, 135, 175, 215, 255};
		idx -= 16;
		return (uint32_t)(steps[idx / 36] << 16 | steps[(idx / 6) % 6] << 8 |
				  steps[idx % 6]);
	}
	unsigned g = 8 + (idx - 232) * 10;
	return (uint32_t)(g << 16 | g << 8 | g);
}

static unsigned nearest(uint32_t rgb, unsigned ncand)
{
	int r = (int)(rgb >> 16 & 0xff), g = (int)(rgb >> 8 & 0xff), b = (int)(rgb & 0xff);
	unsigned best = 0;
	long best_d = -1;
	for (unsigned i = 0; i < ncand; i++) {
		uint32_t c = xterm_rgb(i);
		long dr = r - (int)(c >> 16 & 0xff), dg = g - (int)(c >> 8 & 0xff),
		     db = b - (int)(c & 0xff);
		long d = dr * dr * 3 + dg * dg * 4 + db * db * 2;
		if (best_d < 0 || d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}

int theme_color_resolve(const struct theme_color *c, int ncolors, unsigned *fallback_attrs)
{
	if (fallback_attrs)
		*fallback_attrs = 0;
	if (c->kind == THEME_COLOR_DEFAULT || ncolors < 8)
		return -1;
	if (c->kind == THEME_COLOR_RGB) {
		if (ncolors >= (1 << 24))
			return (int)c->value;
		unsigned n = nearest(c->value, ncolors >= 256 ? 256 : ncolors >= 16 ? 16 : 8);
		return (int)n;
	}
	unsigned idx = c->value;
	if ((int)idx < ncolors && ncolors < (1 << 24))
		return (int)idx;
	if (ncolors >= (1 << 24))
		return (int)xterm_rgb(idx);
	if (idx >= 16)
		idx = nearest(xterm_rgb(idx), ncolors >= 16 ? 16 : 8);
	if (idx >= 8 && ncolors < 16) {
		/* Bright black on 8 colours is black: dim white reads better. */
		if (fallback_attrs)
			*fallback_attrs = idx == 8 ? THEME_DIM : THEME_BOLD;
		idx = idx == 8 ? 7 : idx - 8;
	}
	return (int)idx;
}
