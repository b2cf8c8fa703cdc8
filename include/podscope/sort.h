#ifndef PODSCOPE_SORT_H
#define PODSCOPE_SORT_H

#include <stddef.h>

/*
 * qsort's contract, sorted in place: heapsort, O(n log n) at worst, no
 * allocation. glibc's qsort is a merge sort that allocates a copy of the
 * whole array, which for 100,000 rows is as much again at the moment the
 * memory peaks; use this where n grows with the cluster. Not stable.
 */
void sort_inplace(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/*
 * strcmp, except that two names with the same stem and a trailing number
 * compare by the number (a StatefulSet's web-2 before web-10). NULL is "".
 */
int sort_name_cmp(const char *a, const char *b);

#endif
