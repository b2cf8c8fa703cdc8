#include "config.h"

#include <string.h>

#include "yamlline.h"

int yamlline_find(const char *text, size_t len, const char *key, int from_line)
{
	size_t klen = strlen(key);
	int line = 1;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (line >= from_line) {
			const char *q = p;
			while (q < eol && (*q == ' ' || *q == '\t' || *q == '-'))
				q++;
			if (q < eol && (*q == '"' || *q == '\''))
				q++;
			if ((size_t)(eol - q) > klen && memcmp(q, key, klen) == 0) {
				q += klen;
				if (q < eol && (*q == '"' || *q == '\''))
					q++;
				if (q < eol && *q == ':')
					return line;
			}
		}
		line++;
		p = eol + 1;
	}
	return from_line;
}
