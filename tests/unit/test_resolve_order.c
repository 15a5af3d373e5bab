/*
** Tests of the order of the semantic pass's lists on large random profiles
** (probing off): readable, unreadable and read-only paths come sorted by
** sbx_path_cmp() with no duplicates, and writable roots by depth, then
** path, whichever way the pass sorts them (the trie's path order, with the
** carve-outs added after it merged in by path). POSIX names that differ only
** in case are different paths; Windows ones are one path, spelled the way the
** first entry spelled it. The profiles are large enough for every sorting
** route: short lists, long ones, and long ones with a carve-out (the cwd's
** `.codex`).
*/
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "sema_fixture.h"
#include "strbuf.h"

static struct sbx_ctx *ctx;

static void setup(void)
{
	ctx = sbx_ctx_new();
}

static void teardown(void)
{
	sbx_ctx_free(&ctx);
}

TestSuite(resolve_order, .init = setup, .fini = teardown);

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ull) >> 33) % n;
}

/* Names that sort in interesting ways: prefixes of each other, bytes below
** and above the separator, case variants, non-ASCII letters NTFS folds. */
static const char *const names[] = {
    "a",    "a-b",  "a b",     "ab", "A",    "src",  "Src",   "SRC",   "lib",
    "lıb",  "LIB",  "x",       "x1", "x10",  "x2",   "Ärger", "ärger", "ÄRGER",
    ".git", ".GIT", ".agents", "z~", "data", "Data", "é",     "E",     "tmp",
};

static const char *random_path(const char *root, char sep, int depth)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_adds(&sb, root);
	int d = 1 + (int)rnd((uint32_t)depth);
	for (int i = 0; i < d; i++) {
		if (sb.len && sb.buf[sb.len - 1] != sep)
			sbx_sb_addc(&sb, sep);
		sbx_sb_adds(&sb, names[rnd(sizeof names / sizeof names[0])]);
	}
	const char *p = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return p;
}

static void assert_sorted(enum sbx_flavor f, const struct sbx_rpath *v, size_t n, const char *what)
{
	for (size_t i = 1; i < n; i++)
		cr_assert_lt(sbx_path_cmp(f, v[i - 1].path, v[i].path), 0,
		             "%s[%zu] `%s` is not before [%zu] `%s`", what, i - 1, v[i - 1].path, i,
		             v[i].path);
}

static void check_lists(const struct sbx_resolved *r)
{
	enum sbx_flavor f = r->opts.flavor;
	assert_sorted(f, r->readable_roots, r->nreadable_roots, "readable");
	assert_sorted(f, r->unreadable_roots, r->nunreadable_roots, "unreadable");
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[i];
		assert_sorted(f, w->read_only, w->nread_only, w->root.path);
		for (size_t j = 0; j < w->nread_only; j++)
			cr_assert(sbx_path_is_prefix(f, w->root.path, w->read_only[j].path),
			          "`%s` is not below its root `%s`", w->read_only[j].path,
			          w->root.path);
		if (i == 0)
			continue;
		const char *a = r->writable_roots[i - 1].root.path, *b = w->root.path;
		size_t da = sbx_path_depth(f, a), db = sbx_path_depth(f, b);
		cr_assert(da < db || (da == db && sbx_path_cmp(f, a, b) < 0),
		          "writable root `%s` is not before `%s`", a, b);
	}
}

static const struct sbx_writable_root *root_at(const struct sbx_resolved *r, const char *path)
{
	for (size_t i = 0; i < r->nwritable_roots; i++)
		if (strcmp(r->writable_roots[i].root.path, path) == 0)
			return &r->writable_roots[i];
	cr_assert_fail("no writable root `%s`", path);
	return NULL;
}

static size_t total_read_only(const struct sbx_resolved *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nwritable_roots; i++)
		n += r->writable_roots[i].nread_only;
	return n;
}

static const struct sbx_resolved *build(enum sbx_flavor f, uint64_t seed)
{
	rng = seed;
	bool win = f == SBX_FLAVOR_WINDOWS;
	const char *top = win ? "C:\\w" : "/w";
	char sep = win ? '\\' : '/';
	struct pb b;
	pb_init(&b, ctx, "order");
	pb_special(&b, SBX_SPECIAL_MINIMAL, NULL, SBX_ACCESS_READ);
	pb_path(&b, top, SBX_ACCESS_WRITE); /* the cwd: a long read-only list with .codex */
	static const enum sbx_access acc[] = {SBX_ACCESS_READ, SBX_ACCESS_READ, SBX_ACCESS_WRITE,
	                                      SBX_ACCESS_DENY};
	for (int i = 0; i < 1500; i++)
		pb_path(&b, random_path(top, sep, 4), acc[rnd(4)]);
	for (int i = 0; i < 300; i++)
		pb_path(&b, random_path(win ? "D:\\" : "/", sep, 3), acc[rnd(4)]);
	struct sbx_resolve_opts o =
	    win ? pb_opts(f, "C:\\w", "C:\\Users\\u", NULL) : pb_opts(f, "/w", "/home/u", NULL);
	const struct sbx_resolved *r = sbx_resolve(ctx, b.p, &o);
	cr_assert_not_null(r);
	return r;
}

Test(resolve_order, posix_lists_sorted)
{
	for (uint64_t seed = 1; seed <= 3; seed++) {
		const struct sbx_resolved *r =
		    build(SBX_FLAVOR_POSIX, seed * 0x9e3779b97f4a7c15ull);
		cr_assert_gt(r->nreadable_roots, 64);
		cr_assert_gt(r->nunreadable_roots, 64);
		cr_assert_gt(r->nwritable_roots, 64);
		const struct sbx_writable_root *w = root_at(r, "/w");
		cr_assert_gt(w->nread_only, 64);
		cr_assert_eq(w->nprotected, 3);
		bool codex = false; /* the carve-out sorted in after the trie's order */
		for (size_t j = 0; j < w->nread_only; j++)
			codex |= w->read_only[j].origin == SBX_ORIGIN_CODEX;
		cr_assert(codex);
		cr_assert_gt(total_read_only(r), 200);
		check_lists(r);
	}
}

Test(resolve_order, windows_lists_sorted)
{
	for (uint64_t seed = 1; seed <= 3; seed++) {
		const struct sbx_resolved *r =
		    build(SBX_FLAVOR_WINDOWS, seed * 0x2545f4914f6cdd1dull);
		cr_assert_gt(r->nreadable_roots, 64);
		cr_assert_gt(r->nwritable_roots, 16);
		cr_assert_gt(root_at(r, "C:\\w")->nread_only, 64);
		check_lists(r);
	}
}
