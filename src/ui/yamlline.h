#ifndef PODSCOPE_UI_YAMLLINE_H
#define PODSCOPE_UI_YAMLLINE_H

#include <stddef.h>

/*
 * yamljson gives line numbers for syntax errors only; for a value that parses
 * but means nothing (an unknown role, a bad colour) we find the line of its
 * key in the text, which is what a person needs to fix it. Returns the
 * 1-based line of the first line at or after from_line whose first token is
 * key followed by ':' (quotes allowed), or from_line when there is none.
 */
int yamlline_find(const char *text, size_t len, const char *key, int from_line);

#endif
