/*
** sort.h: a stable sort with a context argument. glibc's qsort_r and the
** BSD/macOS one take their arguments in different orders, and C11 has
** neither; sbxc sorts with this one everywhere that needs a context.
*/
#ifndef SBX_SORT_H
#define SBX_SORT_H

#include <stddef.h>

/* Sorts base[0..n) of `size`-byte elements by cmp(a, b, arg), stably (equal
** elements keep their order). Allocates a scratch copy with sbx_xmalloc. */
void sbx_sort_r(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *, void *),
                void *arg);

#endif
