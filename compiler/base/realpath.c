/*
** realpath.c: where a path leads, as realpath(3) says, in three calls.
**
** glibc's realpath() calls readlink() on every prefix of every path it
** resolves, each a walk from the root; sbxc resolves the same PATH
** entries, the working directory and the observed paths over and over (the
** semantic pass's observations and bubblewrap guard, bubblewrap's discovery
** and trust check at run time), a quarter of the CPU time of a cached
** `sbxc run` on a machine with a long PATH. Here the kernel walks the path
** once (open with O_PATH follows every symlink, as realpath does) and names
** what it reached (/proc/self/fd). Where /proc cannot name it (no /proc, a
** name outside this root, one it marks deleted) and where there is no
** O_PATH (macOS), realpath() answers.
*/
#define _XOPEN_SOURCE 700 /* realpath() where only POSIX is declared */
#include "path.h"
#include "sbx_limits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *sbx_realpath_stat(const char *path, struct stat *st)
{
#ifndef O_PATH /* not Linux (the macOS build of the compiler): libc's walk */
	char *real = realpath(path, NULL);
	if (real && st && stat(real, st) != 0) {
		free(real);
		return NULL;
	}
	return real;
#else
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return NULL; /* errno as realpath() sets it: the same walk failed */
	char proc[32], real[SBX_MAX_PATH_BYTES + 1];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(proc, real, sizeof real - 1);
	int err = st && fstat(fd, st) != 0 ? errno : 0;
	close(fd);
	if (err) {
		errno = err;
		return NULL;
	}
	static const char deleted[] = " (deleted)";
	size_t dl = sizeof deleted - 1;
	if (n <= 0 || (size_t)n >= sizeof real - 1 || real[0] != '/' ||
	    ((size_t)n >= dl && memcmp(real + n - dl, deleted, dl) == 0))
		return realpath(path, NULL);
	real[n] = '\0';
	char *out = strdup(real);
	if (!out)
		errno = ENOMEM;
	return out;
#endif
}

char *sbx_realpath(const char *path)
{
	return sbx_realpath_stat(path, NULL);
}
