/*
** sort.c: sbx_sort_r, a stable merge sort (sort.h): bottom-up runs of
** insertion-sorted blocks, merged back and forth between the array and one
** scratch buffer.
*/
#include "sort.h"
#include "arena.h"

#include <stdlib.h>
#include <string.h>

#define RUN 8 /* elements insertion-sorted before merging */

static void insertion(unsigned char *b, size_t n, size_t size,
                      int (*cmp)(const void *, const void *, void *), void *arg, unsigned char *tmp)
{
	for (size_t i = 1; i < n; i++) {
		size_t j = i;
		if (cmp(b + (j - 1) * size, b + i * size, arg) <= 0)
			continue;
		memcpy(tmp, b + i * size, size);
		while (j > 0 && cmp(b + (j - 1) * size, tmp, arg) > 0) {
			memcpy(b + j * size, b + (j - 1) * size, size);
			j--;
		}
		memcpy(b + j * size, tmp, size);
	}
}

void sbx_sort_r(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *, void *),
                void *arg)
{
	if (n < 2 || size == 0)
		return;
	unsigned char *a = base;
	unsigned char *scratch = sbx_xmalloc(n * size + size);
	unsigned char *one = scratch + n * size;
	for (size_t i = 0; i < n; i += RUN)
		insertion(a + i * size, n - i < RUN ? n - i : RUN, size, cmp, arg, one);
	unsigned char *src = a, *dst = scratch;
	for (size_t w = RUN; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi) {
				if (cmp(src + j * size, src + i * size, arg) < 0)
					memcpy(dst + k++ * size, src + j++ * size, size);
				else
					memcpy(dst + k++ * size, src + i++ * size, size);
			}
			if (i < mid)
				memcpy(dst + k * size, src + i * size, (mid - i) * size);
			if (j < hi)
				memcpy(dst + (k + mid - i) * size, src + j * size, (hi - j) * size);
		}
		unsigned char *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * size);
	free(scratch);
}
