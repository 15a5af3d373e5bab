/*
** replay.c: runs a fuzz target's LLVMFuzzerTestOneInput() once on each
** file named on the command line, or on each regular file of a named
** directory (in name order), without libFuzzer. Linked with fuzz_parse.c
** or fuzz_compile.c by the ordinary build, it keeps the fuzz targets
** compiling with the normal compiler and replays the seed corpus as a test
** (tests/property); it also replays a finding outside the fuzz build.
**
** Exit status: 0 when every input ran (a broken invariant aborts), 1 when
** an input cannot be read or no input was given.
*/
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads the regular file `name` (relative to dirfd) whole and runs the
** target on it. Returns false if it cannot be read. */
static bool run_file(int dirfd, const char *name, const char *shown)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "replay: %s: cannot read\n", shown);
		if (fd >= 0)
			close(fd);
		return false;
	}
	size_t size = (size_t)st.st_size, got = 0;
	uint8_t *buf = malloc(size ? size : 1);
	while (buf && got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!buf || got != size) {
		fprintf(stderr, "replay: %s: cannot read\n", shown);
		free(buf);
		return false;
	}
	LLVMFuzzerTestOneInput(buf, size);
	free(buf);
	return true;
}

static int only_files(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Runs every regular file of the directory; returns the number run, or -1
** if one cannot be read. */
static long run_dir(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent **names = NULL;
	int n = dfd < 0 ? -1 : scandir(dir, &names, only_files, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: %s: cannot list\n", dir);
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	long ran = 0;
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (fstatat(dfd, names[i]->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode))
			; /* libFuzzer's corpus directories are flat: skip */
		else if (ran >= 0 && run_file(dfd, names[i]->d_name, names[i]->d_name))
			ran++;
		else
			ran = -1;
		free(names[i]);
	}
	free(names);
	close(dfd);
	return ran;
}

int main(int argc, char **argv)
{
	long total = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		long ran;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			ran = run_dir(argv[i]);
		else
			ran = run_file(AT_FDCWD, argv[i], argv[i]) ? 1 : -1;
		if (ran < 0)
			return 1;
		total += ran;
	}
	if (total == 0) {
		fprintf(stderr, "replay: no input (usage: %s FILE|DIR...)\n", argv[0]);
		return 1;
	}
	printf("replay: %ld inputs ran\n", total);
	return 0;
}
