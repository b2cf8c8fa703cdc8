#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "kubeconfig_int.h"

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

bool kc_b64_decode(const char *s, unsigned char **out, size_t *outlen, size_t *bad)
{
	size_t n = strlen(s);
	size_t *pos = xmalloc((n + 1) * sizeof(*pos)); /* offsets of significant bytes */
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			pos[m++] = i;
	size_t cap = m / 4 * 3 + 1;
	unsigned char *o = xmalloc(cap);
	size_t olen = 0;
	bool ok = true;
	if (m % 4) {
		*bad = pos[m - m % 4];
		ok = false;
	}
	for (size_t k = 0; ok && k < m; k += 4) {
		unsigned v[4] = {0, 0, 0, 0};
		size_t used = 4;
		bool last = k + 4 == m;
		for (size_t j = 0; j < 4; j++) {
			unsigned char c = (unsigned char)s[pos[k + j]];
			if (c == '=' && j >= 2 && last && (j == 3 || s[pos[k + 3]] == '=')) {
				used = j;
				break;
			}
			int x = b64_value(c);
			if (x < 0) {
				*bad = pos[k + j];
				ok = false;
				break;
			}
			v[j] = (unsigned)x;
		}
		if (!ok)
			break;
		unsigned w = v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3];
		o[olen++] = (unsigned char)(w >> 16);
		if (used >= 3)
			o[olen++] = (unsigned char)(w >> 8);
		if (used == 4)
			o[olen++] = (unsigned char)w;
	}
	free(pos);
	if (!ok) {
		free_secret(o, cap);
		return false;
	}
	o[olen] = '\0';
	*out = o;
	*outlen = olen;
	return true;
}
