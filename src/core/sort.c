#include "config.h"

#include <string.h>

#include "podscope/sort.h"

static void swap(char *a, char *b, size_t size)
{
	char tmp[64];
	while (size) {
		size_t n = size < sizeof(tmp) ? size : sizeof(tmp);
		memcpy(tmp, a, n);
		memcpy(a, b, n);
		memcpy(b, tmp, n);
		a += n;
		b += n;
		size -= n;
	}
}

/* Let element i sink into the max-heap of the first n elements. */
static void sift_down(char *base, size_t i, size_t n, size_t size,
		      int (*cmp)(const void *, const void *))
{
	for (;;) {
		size_t big = i, l = 2 * i + 1, r = l + 1;
		if (l < n && cmp(base + l * size, base + big * size) > 0)
			big = l;
		if (r < n && cmp(base + r * size, base + big * size) > 0)
			big = r;
		if (big == i)
			return;
		swap(base + i * size, base + big * size, size);
		i = big;
	}
}

void sort_inplace(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *b = base;
	if (n < 2 || !size)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(b, i, n, size, cmp);
	for (size_t end = n - 1; end > 0; end--) {
		swap(b, b + end * size, size);
		sift_down(b, 0, end, size, cmp);
	}
}

int sort_name_cmp(const char *a, const char *b)
{
	a = a ? a : "";
	b = b ? b : "";
	size_t la = strlen(a), lb = strlen(b), da = la, db = lb;
	while (da > 0 && a[da - 1] >= '0' && a[da - 1] <= '9')
		da--;
	while (db > 0 && b[db - 1] >= '0' && b[db - 1] <= '9')
		db--;
	/* The same stem, both ending in digits: the shorter number is smaller
	 * (Go's ordinals have no leading zeros). */
	if (da == db && da < la && db < lb && la != lb && strncmp(a, b, da) == 0)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}
