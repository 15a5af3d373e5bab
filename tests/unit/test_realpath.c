/*
** Unit tests for compiler/base/realpath.c: sbx_realpath() answers what
** realpath(3) answers (the same string, or NULL with the same errno) for
** every kind of path the passes and the runtime resolve.
*/
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"

static char dir[512];

static void setup(void)
{
	snprintf(dir, sizeof dir, "%s/sbxc-realpath-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[sizeof dir + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(realpath, .init = setup, .fini = teardown);

/* dir/rel, in one of 4 rotating buffers: use it before the 5th call. */
static const char *in(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int i;
	char *b = buf[i++ % 4];
	snprintf(b, PATH_MAX, "%s/%s", dir, rel);
	return b;
}

/* Both resolvers on `path`: equal strings, or both NULL with one errno. */
static void same(const char *path)
{
	errno = 0;
	char *want = realpath(path, NULL);
	int want_err = errno;
	errno = 0;
	char *got = sbx_realpath(path);
	int got_err = errno;
	if (want)
		cr_expect_str_eq(got ? got : "(null)", want, "path %s", path);
	else
		cr_expect(got == NULL && got_err == want_err,
		          "path %s: got %s (errno %d), want errno %d", path, got ? got : "NULL",
		          got_err, want_err);
	free(want);
	free(got);
}

Test(realpath, agrees_with_libc)
{
	cr_assert_eq(mkdir(in("a"), 0755), 0);
	cr_assert_eq(mkdir(in("a/b"), 0755), 0);
	FILE *f = fopen(in("a/b/file"), "w");
	cr_assert_not_null(f);
	fclose(f);
	cr_assert_eq(mkdir(in("gone (deleted)"), 0755), 0);
	cr_assert_eq(symlink("a/b", in("rel")), 0);
	cr_assert_eq(symlink(in("a"), in("abs")), 0);
	cr_assert_eq(symlink("rel", in("chain")), 0);
	cr_assert_eq(symlink("nowhere", in("dangling")), 0);
	cr_assert_eq(symlink("loop2", in("loop1")), 0);
	cr_assert_eq(symlink("loop1", in("loop2")), 0);
	static const char *const rel[] = {
	    "",
	    "a",
	    "a/b/file",
	    "rel",
	    "rel/file",
	    "abs/b/../b",
	    "chain/file",
	    "rel/..",
	    "dangling",
	    "loop1",
	    "a/b/file/x",
	    "missing",
	    "missing/x",
	    "gone (deleted)",
	    "a//b/./file",
	};
	same("/");
	for (size_t i = 0; i < sizeof rel / sizeof *rel; i++)
		same(in(rel[i]));
	/* relative to the working directory, as realpath(3) takes them */
	cr_assert_eq(chdir(dir), 0);
	same("rel/file");
	same(".");
	same("a/../chain");
}

/* sbx_realpath_stat: the name and the identity of what one walk reached. */
Test(realpath, stat_of_what_it_reached)
{
	cr_assert_eq(mkdir(in("d"), 0755), 0);
	cr_assert_eq(symlink("d", in("link")), 0);
	struct stat want, got;
	cr_assert_eq(stat(in("d"), &want), 0);
	char *real = sbx_realpath_stat(in("link"), &got);
	cr_assert_not_null(real);
	cr_expect_str_eq(real, in("d"));
	cr_expect(got.st_dev == want.st_dev && got.st_ino == want.st_ino && S_ISDIR(got.st_mode));
	free(real);
	errno = 0;
	cr_expect_null(sbx_realpath_stat(in("nothing"), &got));
	cr_expect_eq(errno, ENOENT);
}
