/*
** Unit tests for compiler/base/arena.c: zeroed allocations, growth by copying
** (sbx_arena_grow) and in place (sbx_arena_regrow, across the sizes where a
** block moves from a bump page to a page of its own and on to a mapped one),
** early release (sbx_arena_drop), and several arrays growing at once so that
** resized pages are relinked among others. Run under ASan, these also show
** that no old block is used after it was resized or dropped.
*/
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"

static struct sbx_arena A;

static void teardown(void)
{
	sbx_arena_free(&A);
}

TestSuite(arena, .fini = teardown);

Test(arena, alloc_is_zeroed_and_aligned)
{
	for (size_t size = 1; size < 100000; size = size * 3 + 1) {
		unsigned char *p = sbx_arena_alloc(&A, size);
		cr_assert_eq((uintptr_t)p % _Alignof(max_align_t), 0);
		for (size_t i = 0; i < size; i++)
			cr_assert_eq(p[i], 0, "byte %zu of %zu", i, size);
		memset(p, 0xab, size);
	}
}

/* Pages come from malloc and are zeroed as they are handed out: memory an
** earlier arena dirtied and freed must still come back zero. */
Test(arena, alloc_is_zeroed_after_reuse)
{
	for (int round = 0; round < 3; round++) {
		struct sbx_arena b = {0};
		for (size_t size = 1; size < 70000; size = size * 2 + 3) {
			unsigned char *p = sbx_arena_alloc(&b, size);
			for (size_t i = 0; i < size; i++)
				cr_assert_eq(p[i], 0, "round %d, byte %zu of %zu", round, i, size);
			memset(p, 0xcd, size);
		}
		sbx_arena_free(&b);
	}
}

Test(arena, grow_keeps_contents)
{
	uint32_t *v = NULL;
	size_t cap = 0;
	for (uint32_t i = 0; i < 50000; i++) {
		v = sbx_arena_grow(&A, v, &cap, i + 1, sizeof *v);
		v[i] = i * 7;
	}
	for (uint32_t i = 0; i < 50000; i++)
		cr_assert_eq(v[i], i * 7);
}

Test(arena, regrow_keeps_contents_and_releases)
{
	/* three arrays grow in turns, with small allocations in between */
	uint64_t *a = NULL, *b = NULL;
	uint32_t *c = NULL;
	size_t ca = 0, cb = 0, cc = 0;
	for (uint32_t i = 0; i < 300000; i++) {
		a = sbx_arena_regrow(&A, a, &ca, i + 1, sizeof *a);
		a[i] = (uint64_t)i << 20 | 1;
		if (i % 2 == 0) {
			b = sbx_arena_regrow(&A, b, &cb, i / 2 + 1, sizeof *b);
			b[i / 2] = ~(uint64_t)i;
		}
		if (i % 3 == 0) {
			c = sbx_arena_regrow(&A, c, &cc, i / 3 + 1, sizeof *c);
			c[i / 3] = i;
		}
		if (i % 1000 == 0)
			memset(sbx_arena_alloc(&A, 100), 0x5a, 100);
	}
	for (uint32_t i = 0; i < 300000; i++) {
		cr_assert_eq(a[i], (uint64_t)i << 20 | 1, "a[%u]", i);
		if (i % 2 == 0)
			cr_assert_eq(b[i / 2], ~(uint64_t)i, "b[%u]", i / 2);
		if (i % 3 == 0)
			cr_assert_eq(c[i / 3], i, "c[%u]", i / 3);
	}
	/* the resized blocks count once */
	cr_assert_lt(A.used, (ca * sizeof *a + cb * sizeof *b + cc * sizeof *c) * 2);
	size_t before = A.used;
	sbx_arena_drop(&A, b, cb * sizeof *b);
	cr_assert_eq(A.used, before - cb * sizeof *b);
	sbx_arena_drop(&A, NULL, 0); /* no block: nothing */
	uint32_t *small = sbx_arena_alloc(&A, 64);
	sbx_arena_drop(&A, small, 64); /* a block of a bump page: kept */
	small[15] = 1;
	cr_assert_eq(a[299999], (uint64_t)299999 << 20 | 1);
}

Test(arena, regrow_from_a_small_block)
{
	/* the first blocks come from bump pages; regrow copies those */
	char *s = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < 40000; i++) {
		s = sbx_arena_regrow(&A, s, &cap, i + 1, 1);
		s[i] = (char)('a' + i % 26);
	}
	for (size_t i = 0; i < 40000; i++)
		cr_assert_eq(s[i], (char)('a' + i % 26));
}
