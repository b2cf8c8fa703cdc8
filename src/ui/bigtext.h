#ifndef PODSCOPE_UI_BIGTEXT_H
#define PODSCOPE_UI_BIGTEXT_H

#include "theme.h"

/*
 * Block letters for the wallboard: a built-in 3x5 font of A-Z (lower case
 * drawn as upper), 0-9, '-', '.', '/', ':' and space; anything else is '?'.
 * Each font pixel is scale columns wide, letters one column apart. Pixels are
 * full blocks in a UTF-8 locale, '#' otherwise (glyphs_utf8()).
 */
#define BIGTEXT_ROWS 5

/* Columns that s takes at scale (>= 1). */
int bigtext_width(const char *s, int scale);

/* Draw s on rows [y, y + BIGTEXT_ROWS) from column x in role, in at most maxw
 * columns (whole letters only); returns the columns used. */
int bigtext_draw(int y, int x, int maxw, int scale, enum theme_role role, const char *s);

#endif
