#include "config.h"

#include <langinfo.h>
#include <string.h>
#include <strings.h>

#include "glyphs.h"

#define GLYPH_UTF8(id, u, a)  [id] = u,
#define GLYPH_ASCII(id, u, a) [id] = a,
static const char *const utf8_set[GLYPH_COUNT] = {GLYPHS_TABLE(GLYPH_UTF8)};
static const char *const ascii_set[GLYPH_COUNT] = {GLYPHS_TABLE(GLYPH_ASCII)};
#undef GLYPH_UTF8
#undef GLYPH_ASCII

static bool use_utf8;

void glyphs_init(bool utf8)
{
	use_utf8 = utf8;
}

bool glyphs_utf8(void)
{
	return use_utf8;
}

const char *glyph(enum glyph g)
{
	if ((unsigned)g >= GLYPH_COUNT)
		return "?";
	return use_utf8 ? utf8_set[g] : ascii_set[g];
}

bool glyphs_locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}
