/*
** arena.c: bump pages for small objects, dedicated pages for large ones.
**
** A page holds a header and then payload. Small requests are carved from the
** newest page; a request larger than a quarter of the page size gets a page of
** its own, linked behind the current bump page so the bump page keeps serving.
** Pages come zeroed from calloc and bytes are never handed out twice, so
** every allocation is zero without a memset.
*/
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SBX_ARENA_PAGE_SIZE (64u * 1024u)
#define SBX_ARENA_PAGE_MAGIC 0x5b3ca7e1u

struct sbx_arena_page {
	struct sbx_arena_page *next;
	uint32_t magic; /* SBX_ARENA_PAGE_MAGIC; checked on free to catch corruption */
	size_t size;    /* payload bytes */
	size_t off;     /* bump offset into the payload */
	max_align_t payload[];
};

_Noreturn void sbx_die_oom(void)
{
	static const char msg[] = "sbxc: out of memory\n";
	fwrite(msg, 1, sizeof msg - 1, stderr);
	abort();
}

void *sbx_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		sbx_die_oom();
	return p;
}

void *sbx_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		sbx_die_oom();
	return p;
}

void *sbx_xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		sbx_die_oom();
	return q;
}

void *sbx_xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		sbx_die_oom();
	return sbx_xrealloc(p, n * size);
}

char *sbx_xstrdup(const char *s)
{
	return sbx_xstrndup(s, strlen(s));
}

char *sbx_xstrndup(const char *s, size_t n)
{
	char *p = sbx_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static struct sbx_arena_page *page_new(size_t payload)
{
	if (payload > SIZE_MAX - sizeof(struct sbx_arena_page))
		sbx_die_oom();
	/* calloc: every byte handed out is zero without being written here, and
	** for large pages the C library maps fresh (already zero) memory without
	** touching it, so untouched parts of a page cost no page faults */
	struct sbx_arena_page *pg = sbx_xcalloc(1, sizeof *pg + payload);
	pg->next = NULL;
	pg->magic = SBX_ARENA_PAGE_MAGIC;
	pg->size = payload;
	pg->off = 0;
	return pg;
}

void *sbx_arena_alloc(struct sbx_arena *a, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	if (size > SIZE_MAX - align)
		sbx_die_oom();
	size = (size + align - 1) & ~(align - 1);
	if (size == 0)
		size = align;
	a->used += size;

	if (size > SBX_ARENA_PAGE_SIZE / 4) {
		struct sbx_arena_page *pg = page_new(size);
		pg->off = size;
		a->reserved += size;
		if (a->pages) { /* keep the bump page at the head */
			pg->next = a->pages->next;
			a->pages->next = pg;
		} else {
			a->pages = pg;
		}
		return pg->payload;
	}
	struct sbx_arena_page *pg = a->pages;
	if (!pg || pg->size - pg->off < size) {
		pg = page_new(SBX_ARENA_PAGE_SIZE);
		a->reserved += SBX_ARENA_PAGE_SIZE;
		pg->next = a->pages;
		a->pages = pg;
	}
	void *p = (char *)pg->payload + pg->off;
	pg->off += size;
	return p;
}

void *sbx_arena_grow(struct sbx_arena *a, void *old, size_t *cap, size_t want,
                     size_t elem)
{
	if (want <= *cap)
		return old;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < want) {
		if (ncap > SIZE_MAX / 2)
			sbx_die_oom();
		ncap *= 2;
	}
	if (elem && ncap > SIZE_MAX / elem)
		sbx_die_oom();
	void *p = sbx_arena_alloc(a, ncap * elem);
	if (old && *cap)
		memcpy(p, old, *cap * elem);
	*cap = ncap;
	return p;
}

char *sbx_arena_strndup(struct sbx_arena *a, const char *s, size_t len)
{
	char *p = sbx_arena_alloc(a, len + 1);
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *sbx_arena_strdup(struct sbx_arena *a, const char *s)
{
	return sbx_arena_strndup(a, s, strlen(s));
}

char *sbx_arena_printf(struct sbx_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *p = sbx_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

void sbx_arena_free(struct sbx_arena *a)
{
	struct sbx_arena_page *pg = a->pages;
	while (pg) {
		struct sbx_arena_page *next = pg->next;
		if (pg->magic != SBX_ARENA_PAGE_MAGIC)
			abort(); /* heap corruption: never continue */
		pg->magic = 0;
		free(pg);
		pg = next;
	}
	a->pages = NULL;
	a->used = a->reserved = 0;
}
