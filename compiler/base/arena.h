/*
** arena.h: the bump allocator that owns everything one compilation builds.
**
** Every AST node, IR node, interned string and diagnostic of a compilation is
** allocated from the arena of its struct sbx_ctx and freed all at once by
** sbx_ctx_free(). Nothing allocated here is freed individually.
**
** Allocation failure is not an error value: sbx_xmalloc() and the arena print
** "sbxc: out of memory" and abort(). Inputs are bounded by the named limits in
** sbx_limits.h, so a well-formed run never gets near that point.
*/
#ifndef SBX_ARENA_H
#define SBX_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct sbx_arena_page;

struct sbx_arena {
	struct sbx_arena_page *pages; /* newest first; the head is the bump page */
	size_t used;                  /* bytes handed out, for statistics */
	size_t reserved;              /* bytes obtained from malloc */
};

#define SBX_ARENA_INIT                                                                             \
	{                                                                                          \
		0                                                                                  \
	}

/* Returns zeroed memory aligned for any object; never NULL. */
void *sbx_arena_alloc(struct sbx_arena *a, size_t size);
/* Grows an arena array of n objects of elem bytes to at least want objects;
** *cap tracks the capacity. The old block stays allocated (arena memory). */
void *sbx_arena_grow(struct sbx_arena *a, void *old, size_t *cap, size_t want, size_t elem);
/* The same for the few big arrays of a pass, which must then be grown only
** here (so *cap * elem is the block's size) and never be pointed into across
** a call: a block with a page of its own (larger than 16 KiB) is resized in
** place, and the old block is gone. Elements past the old capacity are not
** zeroed. */
void *sbx_arena_regrow(struct sbx_arena *a, void *old, size_t *cap, size_t want, size_t elem);
/* Returns a block of `size` bytes from sbx_arena_alloc() or sbx_arena_regrow()
** early when it has a page of its own (a no-op for a small block). Nothing
** may use it afterwards. */
void sbx_arena_drop(struct sbx_arena *a, void *p, size_t size);
/* NUL-terminated copies owned by the arena. */
char *sbx_arena_strndup(struct sbx_arena *a, const char *s, size_t len);
char *sbx_arena_strdup(struct sbx_arena *a, const char *s);
char *sbx_arena_printf(struct sbx_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sbx_arena_free(struct sbx_arena *a);

/* Process allocators for memory that outlives or escapes an arena (flex and
** bison buffers, the runtime). They abort on failure, never return NULL. */
void *sbx_xmalloc(size_t size);
void *sbx_xcalloc(size_t n, size_t size);
void *sbx_xrealloc(void *p, size_t size);
void *sbx_xreallocarray(void *p, size_t n, size_t size);
char *sbx_xstrdup(const char *s);
char *sbx_xstrndup(const char *s, size_t n);
_Noreturn void sbx_die_oom(void);

#endif
