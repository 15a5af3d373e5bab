/*
** arena.c: bump pages for small objects, dedicated pages for large ones.
**
** A page holds a header and then payload. Small requests are carved from the
** newest page; a request larger than a quarter of the first page size (16
** KiB) gets a page of its own, linked behind the current bump page so the
** bump page keeps serving. Bump pages are 64 KiB until the arena holds 1
** MiB, then 1 MiB. Pages come zeroed and bytes are never handed out twice,
** so every allocation is zero without a memset.
**
** Pages of 256 KiB or more are mapped from the kernel directly (mmap): they
** come zeroed without the C library clearing them, untouched parts cost no
** page faults, and they go back to the kernel when freed. Smaller pages come
** from calloc. Sanitizer builds take every page from calloc, so that ASan
** sees each large block as an allocation of its own.
**
** Arrays that grow by doubling leave their old blocks behind (sbx_arena_grow).
** For the few big arrays of one pass, sbx_arena_regrow() resizes a block that
** has a page of its own in place (a mapped page is remapped, which moves page
** table entries instead of copying), and sbx_arena_drop() returns such a
** block early. The pages are doubly linked so that a resized page can be
** relinked where it was.
*/
#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_MAPS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_MAPS 0
#endif
#endif
#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif
#if !defined(MAP_ANONYMOUS)
/* strict POSIX.1-2008 has no anonymous mappings: every page from calloc */
#undef ARENA_MAPS
#define ARENA_MAPS 0
#define MAP_ANONYMOUS 0 /* not used: maps() is always false */
#endif
#ifndef ARENA_MAPS
#define ARENA_MAPS 1
#endif

#define SBX_ARENA_PAGE_SIZE (64u * 1024u)         /* bump pages of a small arena */
#define SBX_ARENA_BIG_PAGE (1024u * 1024u)        /* bump pages once it holds this much */
#define SBX_ARENA_LARGE (SBX_ARENA_PAGE_SIZE / 4) /* larger requests: a page of their own */
#define SBX_ARENA_MAP_MIN (256u * 1024u)          /* pages this large are mapped */
#define SBX_ARENA_PAGE_MAGIC 0x5b3ca7e1u

struct sbx_arena_page {
	struct sbx_arena_page *next, *prev;
	uint32_t magic; /* SBX_ARENA_PAGE_MAGIC; checked on free to catch corruption */
	bool mapped;    /* from mmap (map_len(size) bytes), else from calloc */
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

/* Bytes mapped for a page of `payload` bytes: header and payload, rounded
** up to whole pages of memory. */
static size_t map_len(size_t payload)
{
	static size_t pagesize;
	if (!pagesize) {
		long ps = sysconf(_SC_PAGESIZE);
		pagesize = ps > 0 ? (size_t)ps : 4096;
	}
	size_t n = sizeof(struct sbx_arena_page) + payload;
	if (n > SIZE_MAX - pagesize)
		sbx_die_oom();
	return (n + pagesize - 1) / pagesize * pagesize;
}

static bool maps(size_t payload)
{
	return ARENA_MAPS && payload >= SBX_ARENA_MAP_MIN;
}

static struct sbx_arena_page *map_page(size_t payload)
{
	void *m = mmap(NULL, map_len(payload), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	               -1, 0);
	if (m == MAP_FAILED)
		sbx_die_oom();
	return m;
}

static struct sbx_arena_page *page_new(size_t payload)
{
	if (payload > SIZE_MAX - sizeof(struct sbx_arena_page))
		sbx_die_oom();
	/* A mapped page is zero already; a malloc'd one is zeroed piece by
	** piece as sbx_arena_alloc() hands it out (zero_out()), so the parts a
	** short-lived process never uses are never touched (a 64 KiB calloc
	** cost 16 page faults and a memset per arena on every `sbxc run`) */
	bool mapped = maps(payload);
	struct sbx_arena_page *pg = mapped ? map_page(payload) : sbx_xmalloc(sizeof *pg + payload);
	pg->next = pg->prev = NULL;
	pg->magic = SBX_ARENA_PAGE_MAGIC;
	pg->mapped = mapped;
	pg->size = payload;
	pg->off = 0;
	return pg;
}

static void page_free(struct sbx_arena_page *pg)
{
	if (pg->magic != SBX_ARENA_PAGE_MAGIC)
		abort(); /* heap corruption: never continue */
	pg->magic = 0;
	if (pg->mapped)
		munmap(pg, map_len(pg->size));
	else
		free(pg);
}

/* pg with room for `payload` bytes, its contents kept (bytes past the old
** payload are not zeroed); the caller relinks it. */
static struct sbx_arena_page *page_resize(struct sbx_arena_page *pg, size_t payload)
{
	if (payload > SIZE_MAX - sizeof *pg)
		sbx_die_oom();
	struct sbx_arena_page *q;
	if (pg->mapped) {
#ifdef MREMAP_MAYMOVE
		q = mremap(pg, map_len(pg->size), map_len(payload), MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			sbx_die_oom();
#else
		q = map_page(payload);
		memcpy(q, pg, sizeof *pg + pg->size);
		munmap(pg, map_len(pg->size));
#endif
	} else if (maps(payload)) {
		q = map_page(payload);
		memcpy(q, pg, sizeof *pg + pg->size);
		free(pg);
		q->mapped = true;
	} else {
		q = sbx_xrealloc(pg, sizeof *pg + payload);
	}
	q->size = payload;
	return q;
}

/* Zeroes what sbx_arena_alloc() hands out of a page that is not zero. */
static void *zero_out(const struct sbx_arena_page *pg, void *p, size_t size)
{
	return pg->mapped ? p : memset(p, 0, size);
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

	if (size > SBX_ARENA_LARGE) {
		struct sbx_arena_page *pg = page_new(size);
		pg->off = size;
		a->reserved += size;
		if (a->pages) { /* keep the bump page at the head */
			pg->next = a->pages->next;
			pg->prev = a->pages;
			if (pg->next)
				pg->next->prev = pg;
			a->pages->next = pg;
		} else {
			a->pages = pg;
		}
		return zero_out(pg, pg->payload, size);
	}
	struct sbx_arena_page *pg = a->pages;
	if (!pg || pg->size - pg->off < size) {
		size_t psize =
		    a->reserved >= SBX_ARENA_BIG_PAGE ? SBX_ARENA_BIG_PAGE : SBX_ARENA_PAGE_SIZE;
		pg = page_new(psize);
		a->reserved += psize;
		pg->next = a->pages;
		if (pg->next)
			pg->next->prev = pg;
		a->pages = pg;
	}
	void *p = (char *)pg->payload + pg->off;
	pg->off += size;
	return zero_out(pg, p, size);
}

/* The capacity, doubled from `cap` (8 when empty), that first holds `want`
** elements of `elem` bytes; dies when its size in bytes overflows. */
static size_t grown_cap(size_t cap, size_t want, size_t elem)
{
	size_t ncap = cap ? cap : 8;
	while (ncap < want) {
		if (ncap > SIZE_MAX / 2)
			sbx_die_oom();
		ncap *= 2;
	}
	if (elem && ncap > SIZE_MAX / elem)
		sbx_die_oom();
	return ncap;
}

void *sbx_arena_grow(struct sbx_arena *a, void *old, size_t *cap, size_t want, size_t elem)
{
	if (want <= *cap)
		return old;
	size_t ncap = grown_cap(*cap, want, elem);
	void *p = sbx_arena_alloc(a, ncap * elem);
	if (old && *cap)
		memcpy(p, old, *cap * elem);
	*cap = ncap;
	return p;
}

/* Size of an allocation of `size` bytes as sbx_arena_alloc() rounds it. */
static size_t rounded(size_t size)
{
	const size_t align = _Alignof(max_align_t);
	if (size > SIZE_MAX - align)
		sbx_die_oom();
	size = (size + align - 1) & ~(align - 1);
	return size ? size : align;
}

/* The page of its own that the block p of `size` bytes has, or NULL for a
** block carved from a bump page. */
static struct sbx_arena_page *own_page(void *p, size_t size)
{
	if (!p || rounded(size) <= SBX_ARENA_LARGE)
		return NULL;
	struct sbx_arena_page *pg =
	    (struct sbx_arena_page *)((char *)p - offsetof(struct sbx_arena_page, payload));
	if (pg->magic != SBX_ARENA_PAGE_MAGIC || pg->size != rounded(size))
		abort(); /* not a block of this size: a caller's bug, never continue */
	return pg;
}

static void unlink_page(struct sbx_arena *a, struct sbx_arena_page *pg)
{
	if (pg->prev)
		pg->prev->next = pg->next;
	else
		a->pages = pg->next;
	if (pg->next)
		pg->next->prev = pg->prev;
}

void *sbx_arena_regrow(struct sbx_arena *a, void *old, size_t *cap, size_t want, size_t elem)
{
	if (want <= *cap)
		return old;
	size_t ncap = grown_cap(*cap, want, elem);
	struct sbx_arena_page *pg = old && *cap ? own_page(old, *cap * elem) : NULL;
	if (!pg)
		return sbx_arena_grow(a, old, cap, want, elem);
	size_t size = rounded(ncap * elem);
	size_t before = pg->size;
	pg = page_resize(pg, size);
	/* the neighbours still point at the old address */
	if (pg->prev)
		pg->prev->next = pg;
	else
		a->pages = pg;
	if (pg->next)
		pg->next->prev = pg;
	pg->off = size;
	a->used += size - before;
	a->reserved += size - before;
	*cap = ncap;
	return pg->payload;
}

void sbx_arena_drop(struct sbx_arena *a, void *p, size_t size)
{
	struct sbx_arena_page *pg = own_page(p, size);
	if (!pg)
		return;
	unlink_page(a, pg);
	a->used -= pg->size;
	a->reserved -= pg->size;
	page_free(pg);
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
		page_free(pg);
		pg = next;
	}
	a->pages = NULL;
	a->used = a->reserved = 0;
}
