/*
** Unit tests for compiler/base/path.c: forms, lexical normalization of both
** flavours, component-wise prefixes and ordering.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "arena.h"
#include "path.h"

static struct sbx_arena A;

static void teardown(void)
{
	sbx_arena_free(&A);
}

TestSuite(path, .fini = teardown);

static const char *norm(enum sbx_flavor f, const char *s)
{
	return sbx_path_normalize(&A, f, s, strlen(s));
}

Test(path, forms)
{
	cr_assert_eq(sbx_path_form("/etc", 4), SBX_FORM_POSIX);
	cr_assert_eq(sbx_path_form("~", 1), SBX_FORM_HOME);
	cr_assert_eq(sbx_path_form("~/x", 3), SBX_FORM_HOME);
	cr_assert_eq(sbx_path_form("~\\x", 3), SBX_FORM_HOME);
	cr_assert_eq(sbx_path_form("~bob/x", 6), SBX_FORM_RELATIVE);
	cr_assert_eq(sbx_path_form(":root", 5), SBX_FORM_TOKEN);
	cr_assert_eq(sbx_path_form("C:\\x", 4), SBX_FORM_WINDOWS);
	cr_assert_eq(sbx_path_form("c:/x", 4), SBX_FORM_WINDOWS);
	cr_assert_eq(sbx_path_form("\\\\srv\\share", 11), SBX_FORM_WINDOWS);
	cr_assert_eq(sbx_path_form("C:x", 3), SBX_FORM_RELATIVE);
	cr_assert_eq(sbx_path_form("docs", 4), SBX_FORM_RELATIVE);
	cr_assert_eq(sbx_path_form("", 0), SBX_FORM_RELATIVE);
}

Test(path, posix_normalize)
{
	cr_assert_str_eq(norm(SBX_FLAVOR_POSIX, "/"), "/");
	cr_assert_str_eq(norm(SBX_FLAVOR_POSIX, "//a//b/"), "/a/b");
	cr_assert_str_eq(norm(SBX_FLAVOR_POSIX, "/a/./b/../c"), "/a/c");
	cr_assert_str_eq(norm(SBX_FLAVOR_POSIX, "/../.."), "/");
	cr_assert_str_eq(norm(SBX_FLAVOR_POSIX, "/a/b/../../.."), "/");
	cr_assert_null(norm(SBX_FLAVOR_POSIX, "a/b"));
	cr_assert_null(norm(SBX_FLAVOR_POSIX, ""));
}

Test(path, windows_normalize)
{
	cr_assert_str_eq(norm(SBX_FLAVOR_WINDOWS, "c:/Users/x/"), "C:\\Users\\x");
	cr_assert_str_eq(norm(SBX_FLAVOR_WINDOWS, "C:\\"), "C:\\");
	cr_assert_str_eq(norm(SBX_FLAVOR_WINDOWS, "C:\\a\\..\\..\\b"), "C:\\b");
	cr_assert_str_eq(norm(SBX_FLAVOR_WINDOWS, "\\\\?\\C:\\a"), "C:\\a");
	cr_assert_str_eq(norm(SBX_FLAVOR_WINDOWS, "\\\\.\\D:\\a\\.\\b"), "D:\\a\\b");
	cr_assert_str_eq(norm(SBX_FLAVOR_WINDOWS, "\\\\srv\\share\\a\\..\\.."), "\\\\srv\\share");
	cr_assert_str_eq(norm(SBX_FLAVOR_WINDOWS, "\\\\?\\UNC\\srv\\share\\d"),
	                 "\\\\srv\\share\\d");
	cr_assert_null(norm(SBX_FLAVOR_WINDOWS, "C:"));
	cr_assert_null(norm(SBX_FLAVOR_WINDOWS, "\\\\srv"));
	cr_assert_null(norm(SBX_FLAVOR_WINDOWS, "rel\\x"));
}

Test(path, relative_normalize)
{
	cr_assert_str_eq(sbx_path_normalize_rel(&A, SBX_FLAVOR_POSIX, "a/./b//c/", 9), "a/b/c");
	cr_assert_str_eq(sbx_path_normalize_rel(&A, SBX_FLAVOR_POSIX, "a/..", 4), "");
	cr_assert_null(sbx_path_normalize_rel(&A, SBX_FLAVOR_POSIX, "../a", 4));
	cr_assert_str_eq(sbx_path_normalize_rel(&A, SBX_FLAVOR_WINDOWS, "a\\b", 3), "a/b");
}

Test(path, prefix_and_depth)
{
	cr_assert(sbx_path_is_prefix(SBX_FLAVOR_POSIX, "/", "/a"));
	cr_assert(sbx_path_is_prefix(SBX_FLAVOR_POSIX, "/a", "/a"));
	cr_assert(sbx_path_is_prefix(SBX_FLAVOR_POSIX, "/a", "/a/b"));
	cr_assert_not(sbx_path_is_prefix(SBX_FLAVOR_POSIX, "/a", "/ab"));
	cr_assert_not(sbx_path_is_prefix(SBX_FLAVOR_POSIX, "/a/b", "/a"));
	cr_assert(sbx_path_is_prefix(SBX_FLAVOR_WINDOWS, "c:\\", "C:\\x"));
	cr_assert(sbx_path_is_prefix(SBX_FLAVOR_WINDOWS, "C:\\Users", "c:\\users\\me"));
	cr_assert_not(sbx_path_is_prefix(SBX_FLAVOR_WINDOWS, "C:\\Users", "D:\\Users"));
	cr_assert(sbx_path_is_prefix(SBX_FLAVOR_WINDOWS, "\\\\s\\sh", "\\\\s\\sh\\a"));
	cr_assert_eq(sbx_path_depth(SBX_FLAVOR_POSIX, "/"), 0);
	cr_assert_eq(sbx_path_depth(SBX_FLAVOR_POSIX, "/a/b"), 2);
	cr_assert_eq(sbx_path_depth(SBX_FLAVOR_WINDOWS, "C:\\"), 0);
	cr_assert_eq(sbx_path_depth(SBX_FLAVOR_WINDOWS, "C:\\a\\b"), 2);
	cr_assert_eq(sbx_path_depth(SBX_FLAVOR_WINDOWS, "\\\\s\\sh\\a"), 1);
}

Test(path, ordering_keeps_subtrees_together)
{
	cr_assert_lt(sbx_path_cmp(SBX_FLAVOR_POSIX, "/a", "/a/b"), 0);
	cr_assert_lt(sbx_path_cmp(SBX_FLAVOR_POSIX, "/a/b", "/a-b"), 0);
	cr_assert_lt(sbx_path_cmp(SBX_FLAVOR_POSIX, "/a/z", "/a-b"), 0);
	cr_assert_eq(sbx_path_cmp(SBX_FLAVOR_WINDOWS, "C:\\A", "c:\\a"), 0);
	cr_assert_gt(sbx_path_cmp(SBX_FLAVOR_POSIX, "/b", "/a/z"), 0);
}

/* NTFS compares names upper-cased character by character, beyond ASCII
** too; the spellings may differ in length (U+0131 dotless i is two bytes,
** its upper case `I` one). */
Test(path, windows_folds_like_ntfs)
{
	enum sbx_flavor w = SBX_FLAVOR_WINDOWS;
	cr_assert(sbx_path_eq(w, "C:\\\u00c4rger", "c:\\\u00e4RGER"));
	cr_assert(sbx_path_eq(w, "C:\\\u0414\u043e\u043c", "C:\\\u0434\u041e\u041c"));
	cr_assert(sbx_path_eq(w, "C:\\x\u0131", "C:\\XI"));
	cr_assert(sbx_path_is_prefix(w, "C:\\\u00c4rger", "c:\\\u00e4rger\\x"));
	cr_assert(sbx_path_is_prefix(w, "C:\\\u0131", "C:\\i\\x"));
	cr_assert_not(sbx_path_is_prefix(w, "C:\\\u0131", "C:\\ix"));
	cr_assert_not(sbx_path_eq(w, "C:\\\u212a", "C:\\k")); /* Kelvin sign */
	cr_assert_not(sbx_path_eq(SBX_FLAVOR_POSIX, "/\u00c4", "/\u00e4"));
	cr_assert_eq(sbx_path_upcase(0x00e9), 0x00c9);
	cr_assert_eq(sbx_path_upcase(0x0101), 0x0100);
	cr_assert_eq(sbx_path_upcase(0x0100), 0x0100);
	cr_assert_eq(sbx_path_upcase(0xff41), 0xff21);
	cr_assert_eq(sbx_path_upcase(0x1f600), 0x1f600);
	cr_assert_lt(sbx_path_cmp(w, "C:\\\u00e4", "C:\\\u00c4\\b"), 0);
}

Test(path, parent_and_basename)
{
	cr_assert_str_eq(sbx_path_parent(&A, SBX_FLAVOR_POSIX, "/a/b"), "/a");
	cr_assert_str_eq(sbx_path_parent(&A, SBX_FLAVOR_POSIX, "/a"), "/");
	cr_assert_str_eq(sbx_path_parent(&A, SBX_FLAVOR_POSIX, "/"), "/");
	cr_assert_str_eq(sbx_path_parent(&A, SBX_FLAVOR_WINDOWS, "C:\\a"), "C:\\");
	cr_assert_str_eq(sbx_path_parent(&A, SBX_FLAVOR_WINDOWS, "C:\\a\\b"), "C:\\a");
	cr_assert_str_eq(sbx_path_basename(SBX_FLAVOR_POSIX, "/a/b"), "b");
	cr_assert_str_eq(sbx_path_basename(SBX_FLAVOR_POSIX, "/"), "");
}

Test(path, globs_and_subpaths)
{
	bool self;
	cr_assert(sbx_path_has_glob("**/*.env", 8));
	cr_assert(sbx_path_has_glob("a?", 2));
	cr_assert(sbx_path_has_glob("[ab]", 4));
	cr_assert_not(sbx_path_has_glob("a[b", 3));
	cr_assert_not(sbx_path_has_glob("/plain/path", 11));
	cr_assert(sbx_subpath_valid(".", 1, &self) && self);
	cr_assert(sbx_subpath_valid("docs", 4, &self) && !self);
	cr_assert(sbx_subpath_valid("docs/api/", 9, &self));
	cr_assert_not(sbx_subpath_valid("", 0, &self));
	cr_assert_not(sbx_subpath_valid("../x", 4, &self));
	cr_assert_not(sbx_subpath_valid("a/./b", 5, &self));
	/* `\\` separates too (a subpath is resolved for Windows as well) */
	cr_assert_not(sbx_subpath_valid("..\\x", 4, &self));
	cr_assert_not(sbx_subpath_valid("a\\..\\..\\x", 9, &self));
	cr_assert(sbx_subpath_valid("docs\\api\\", 10, &self));
	cr_assert_not(sbx_subpath_valid("a//b", 4, &self));
	cr_assert_not(sbx_subpath_valid("/abs", 4, &self));
}
