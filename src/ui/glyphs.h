#ifndef PODSCOPE_GLYPHS_H
#define PODSCOPE_GLYPHS_H

#include <stdbool.h>

/*
 * Every symbol the screen draws, with an ASCII twin: UTF-8 glyphs only when
 * the locale's codeset is UTF-8 and --ascii was not given. Each glyph and
 * twin is one column wide, except the arrow's twin ("->").
 */
#define GLYPHS_TABLE(X)                                                                            \
	X(GLYPH_PENDING, "\u25cb", ".")                                                            \
	X(GLYPH_PULLING, "\u2193", "v")                                                            \
	X(GLYPH_INIT, "\u25d4", "i")                                                               \
	X(GLYPH_STARTING, "\u25d1", "s")                                                           \
	X(GLYPH_PROBING, "\u25d5", "~")                                                            \
	X(GLYPH_READY, "\u25cf", "*")                                                              \
	X(GLYPH_TERMINATING, "\u25cc", "x")                                                        \
	X(GLYPH_FADE1, "\u25d5", "x")                                                              \
	X(GLYPH_FADE2, "\u25d1", "x")                                                              \
	X(GLYPH_FADE3, "\u25d4", "x")                                                              \
	X(GLYPH_CRASH, "\u2716", "!")                                                              \
	X(GLYPH_FAILED, "\u2717", "X")                                                             \
	X(GLYPH_DONE, "\u2714", "+")                                                               \
	X(GLYPH_BAR_FULL, "\u2588", "#")                                                           \
	X(GLYPH_BAR_EMPTY, "\u2591", ".")                                                          \
	X(GLYPH_BAR_OVER, "\u2593", "!")                                                           \
	X(GLYPH_ARROW, "\u2192", "->")                                                             \
	X(GLYPH_VLINE, "\u2502", "|")                                                              \
	X(GLYPH_HLINE, "\u2500", "-")                                                              \
	X(GLYPH_CURSOR, "\u25b6", ">")                                                             \
	X(GLYPH_ELLIPSIS, "\u2026", "~")                                                           \
	X(GLYPH_FLASH, "\u2739", "*")                                                              \
	X(GLYPH_REV_NEW, "\u25c6", "+")                                                            \
	X(GLYPH_REV_OLD, "\u25c7", "o")                                                            \
	X(GLYPH_WARN, "\u26a0", "!")

#define GLYPHS_ENUM(id, u, a) id,
enum glyph { GLYPHS_TABLE(GLYPHS_ENUM) GLYPH_COUNT };
#undef GLYPHS_ENUM

/* Choose the set: UTF-8 when utf8, else ASCII. */
void glyphs_init(bool utf8);
bool glyphs_utf8(void);
const char *glyph(enum glyph g);

/* Whether the current locale's codeset is UTF-8 (after setlocale). */
bool glyphs_locale_is_utf8(void);

#endif
