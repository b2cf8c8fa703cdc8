#include "config.h"

#include <string.h>

#include "pbuf.h"

static int varint(struct pbuf *r, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end)
			return -1;
		uint8_t b = *r->p++;
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
	}
	return -1;
}

int pbuf_next(struct pbuf *r, struct pbuf_field *f)
{
	uint64_t key;
	if (r->p >= r->end)
		return 0;
	if (varint(r, &key) != 0)
		return -1;
	memset(f, 0, sizeof(*f));
	f->num = (uint32_t)(key >> 3);
	f->wire = (int)(key & 7);
	switch (f->wire) {
	case 0:
		return varint(r, &f->varint) == 0 ? 1 : -1;
	case 1:
	case 5: {
		size_t n = f->wire == 1 ? 8 : 4;
		if ((size_t)(r->end - r->p) < n)
			return -1;
		for (size_t i = 0; i < n; i++)
			f->varint |= (uint64_t)r->p[i] << (8 * i);
		r->p += n;
		return 1;
	}
	case 2: {
		uint64_t n;
		if (varint(r, &n) != 0 || n > (uint64_t)(r->end - r->p))
			return -1;
		f->data = r->p;
		f->len = (size_t)n;
		r->p += n;
		return 1;
	}
	default:
		return -1;
	}
}

void pbuf_string(const struct pbuf_field *f, char *out, size_t size)
{
	size_t n = f->wire == 2 ? f->len : 0;
	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(out, f->data, n);
	out[n] = '\0';
}

int pbuf_unwrap(const void *body, size_t len, struct pbuf *msg, char *kind)
{
	static const uint8_t magic[4] = {'k', '8', 's', 0};
	if (len < 4 || memcmp(body, magic, 4) != 0)
		return -1;
	struct pbuf r = {(const uint8_t *)body + 4, (const uint8_t *)body + len};
	struct pbuf_field f;
	int rc, found = -1;
	if (kind)
		kind[0] = '\0';
	/* runtime.Unknown: 1 typeMeta {1 apiVersion, 2 kind}, 2 raw. */
	while ((rc = pbuf_next(&r, &f)) == 1) {
		if (f.num == 1 && f.wire == 2 && kind) {
			struct pbuf tm = {f.data, f.data + f.len};
			struct pbuf_field g;
			while (pbuf_next(&tm, &g) == 1)
				if (g.num == 2)
					pbuf_string(&g, kind, 64);
		} else if (f.num == 2 && f.wire == 2) {
			msg->p = f.data;
			msg->end = f.data + f.len;
			found = 0;
		}
	}
	return rc == 0 ? found : -1;
}
