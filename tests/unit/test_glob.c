/*
** Unit tests for compiler/pathglob.c: `*`, `?`, `**` as a component, classes
** with ranges and negation, an unclosed `[`, Windows case folding, the
** self-or-ancestor test and the literal prefix.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "pathglob.h"

#define P SBX_FLAVOR_POSIX
#define WIN SBX_FLAVOR_WINDOWS

static bool m(const char *pat, const char *path)
{
	return sbx_glob_match(P, pat, path);
}

Test(glob, star_and_question_stay_in_a_component)
{
	cr_assert(m("/a/*.env", "/a/x.env"));
	cr_assert(m("/a/*.env", "/a/.env"));
	cr_assert_not(m("/a/*.env", "/a/b/x.env"));
	cr_assert(m("/a/?", "/a/x"));
	cr_assert_not(m("/a/?", "/a/xy"));
	cr_assert_not(m("/a/?", "/a"));
	cr_assert(m("/a/*b*c", "/a/xxbyyc"));
	cr_assert_not(m("/a/*b*c", "/a/xxbyy"));
	cr_assert(m("/a/**x", "/a/yyx")); /* `**` inside a component is `*` */
	cr_assert_not(m("/a/**x", "/a/b/x"));
}

Test(glob, globstar_components)
{
	cr_assert(m("/w/**/*.env", "/w/.env"));
	cr_assert(m("/w/**/*.env", "/w/a/b/c.env"));
	cr_assert_not(m("/w/**/*.env", "/v/a.env"));
	cr_assert(m("/w/**/x/**/y", "/w/x/y"));
	cr_assert(m("/w/**/x/**/y", "/w/1/x/2/3/y"));
	cr_assert_not(m("/w/**/x/**/y", "/w/1/x/2/3/z"));
	/* a trailing `**`: everything below, not the directory itself */
	cr_assert(m("/w/d/**", "/w/d/a"));
	cr_assert(m("/w/d/**", "/w/d/a/b"));
	cr_assert_not(m("/w/d/**", "/w/d"));
	cr_assert(m("/**", "/anything/at/all"));
}

Test(glob, classes)
{
	cr_assert(m("/k/[a-c]1", "/k/b1"));
	cr_assert_not(m("/k/[a-c]1", "/k/d1"));
	cr_assert(m("/k/[!a-c]1", "/k/d1"));
	cr_assert(m("/k/[^a-c]1", "/k/d1"));
	cr_assert_not(m("/k/[!a-c]1", "/k/a1"));
	cr_assert(m("/k/[]x]", "/k/]"));
	cr_assert(m("/k/[!]]", "/k/a"));
	cr_assert_not(m("/k/[!]]", "/k/]"));
	cr_assert(m("/k/[a-]", "/k/-"));
	/* an unclosed `[` is literal */
	cr_assert(m("/k/a[b", "/k/a[b"));
	cr_assert_not(m("/k/a[b", "/k/ab"));
	cr_assert(m("/k/*[b", "/k/xx[b"));
}

Test(glob, windows_folds_case)
{
	cr_assert(sbx_glob_match(WIN, "C:\\Users\\*\\.ENV", "c:\\users\\me\\.env"));
	cr_assert(sbx_glob_match(WIN, "C:\\w\\[A-C]x", "C:\\w\\bX"));
	cr_assert(sbx_glob_match(WIN, "\\\\srv\\share\\**\\*.key", "\\\\SRV\\Share\\a\\b.KEY"));
	cr_assert_not(sbx_glob_match(WIN, "C:\\w\\*", "D:\\w\\x"));
	cr_assert_not(sbx_glob_match(P, "/W/*", "/w/x"));
}

/* `?` and class members are characters, not bytes: a deny glob must hide
** `é.env` as surely as `e.env`. */
Test(glob, characters_not_bytes)
{
	cr_assert(m("/k/?.env", "/k/\u00e9.env"));
	cr_assert(m("/k/??", "/k/\u00e9\u4e2d"));
	cr_assert_not(m("/k/?", "/k/\u00e9\u4e2d"));
	cr_assert(m("/k/[\u00e9a]", "/k/\u00e9"));
	cr_assert(m("/k/[\u00e0-\u00ff]x", "/k/\u00e9x"));
	cr_assert_not(m("/k/[!\u00e9]", "/k/\u00e9"));
	cr_assert_not(m("/k/*[!\u00e9]", "/k/a\u00e9"));
	cr_assert(m("/k/*\u00e9", "/k/ab\u00e9"));
	/* a byte that starts no character is one of its own */
	cr_assert(m("/k/?", "/k/\xff"));
	cr_assert(sbx_glob_match(WIN, "C:\\w\\\u00c4RGER\\*", "c:\\w\\\u00e4rger\\x"));
	cr_assert(sbx_glob_match(WIN, "C:\\w\\[\u00c4]", "C:\\w\\\u00e4"));
	cr_assert_not(sbx_glob_match(P, "/w/\u00c4", "/w/\u00e4"));
}

Test(glob, self_or_ancestor)
{
	cr_assert(sbx_glob_match_self_or_ancestor(P, "/w/**/*.env", "/w/a/x.env/inner/file"));
	cr_assert(sbx_glob_match_self_or_ancestor(P, "/w/**/*.env", "/w/x.env"));
	cr_assert_not(sbx_glob_match_self_or_ancestor(P, "/w/**/*.env", "/w/a/env"));
	cr_assert_not(sbx_glob_match_self_or_ancestor(P, "/w/d/**", "/w/d"));
	cr_assert(sbx_glob_match_self_or_ancestor(P, "/w/d/**", "/w/d/x/y"));
}

Test(glob, match_within_a_depth)
{
	const char *pat = "/w/**/*.env";
	cr_assert(sbx_glob_match_self_or_ancestor_within(P, pat, "/w/a/b.env", 3));
	cr_assert_not(sbx_glob_match_self_or_ancestor_within(P, pat, "/w/a/b.env", 2));
	/* an ancestor within the depth hides what is below it */
	cr_assert(sbx_glob_match_self_or_ancestor_within(P, pat, "/w/x.env/a/b/c", 2));
	cr_assert_not(sbx_glob_match_self_or_ancestor_within(P, pat, "/w/a/b/x.env/c", 3));
}

Test(glob, literal_prefix)
{
	cr_assert_eq(sbx_glob_literal_prefix(P, "/w/a/**/*.env"), strlen("/w/a"));
	cr_assert_eq(sbx_glob_literal_prefix(P, "/*.env"), 1);
	cr_assert_eq(sbx_glob_literal_prefix(P, "/w/a[b/c*"), strlen("/w/a[b"));
	cr_assert_eq(sbx_glob_literal_prefix(WIN, "C:\\x\\*"), strlen("C:\\x"));
}
