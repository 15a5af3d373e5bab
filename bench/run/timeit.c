/*
** timeit.c: the timing driver of bench/run. Runs several commands N times
** each, round-robin (so a slow moment of the machine hits all of them),
** and prints per command the median, 10th and 90th percentile of the whole
** process's wall time: fork, exec, the command, wait.
**
**   timeit N :: LABEL ARGV... :: LABEL ARGV... [...]
**
** A LABEL of the form NAME=FILE[,FILE...] opens the files on descriptors 3,
** 4, ... of that command (for `bwrap --args 3 --seccomp 4`, which consume
** them; /dev/null is opened for writing). NAME@UID runs that command as UID
** (its group too, no supplementary groups: timeit must then run as root),
** so that one round-robin run can compare users. Words NAME=VALUE before
** the program are put into its environment (as env(1) would, without the
** extra exec). Output: one line per command, "NAME median p10 p90" in
** microseconds.
** stdout and stderr of the commands go to /dev/null; a command that exits
** non-zero stops the run (a broken setup must not be timed).
*/
#define _GNU_SOURCE /* setresuid */
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXCMD 24

struct cmd {
	const char *label;
	char *files; /* comma-separated, opened on 3, 4, ...; or NULL */
	long uid;    /* -1: timeit's own */
	char **argv;
	double *us;
};

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double once(const struct cmd *c, int devnull)
{
	char **argv = c->argv;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t pid = fork();
	if (pid == 0) {
		int target = 3;
		for (char *f = c->files; f && *f; target++) {
			size_t n = strcspn(f, ",");
			char name[4096];
			if (n >= sizeof name)
				_exit(126);
			memcpy(name, f, n);
			name[n] = 0;
			int fd = open(name, strcmp(name, "/dev/null") == 0 ? O_RDWR : O_RDONLY);
			if (fd < 0 || (fd != target && (dup2(fd, target) < 0 || close(fd) < 0)))
				_exit(126);
			f += n + (f[n] == ',');
		}
		if (c->uid >= 0 && (setgroups(0, NULL) != 0 ||
		                    setresgid((gid_t)c->uid, (gid_t)c->uid, (gid_t)c->uid) != 0 ||
		                    setresuid((uid_t)c->uid, (uid_t)c->uid, (uid_t)c->uid) != 0))
			_exit(126);
		while (argv[0] && strchr(argv[0], '=') && argv[0][0] != '/')
			putenv(*argv++);
		dup2(devnull, 1);
		dup2(devnull, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "timeit: %s (%s) failed (status %d)\n", c->label, argv[0], st);
		exit(1);
	}
	return (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
}

int main(int argc, char **argv)
{
	if (argc < 5 || strcmp(argv[2], "::") != 0) {
		fprintf(stderr, "usage: timeit N :: LABEL ARGV... [:: LABEL ARGV...]\n");
		return 2;
	}
	int n = atoi(argv[1]), ncmd = 0;
	struct cmd cmds[MAXCMD];
	for (int i = 2; i < argc && ncmd < MAXCMD; i++) {
		if (strcmp(argv[i], "::") != 0)
			continue;
		argv[i] = NULL; /* ends the previous command's argv */
		if (i + 2 >= argc)
			break;
		cmds[ncmd].label = argv[i + 1];
		char *eq = strchr(argv[i + 1], '=');
		cmds[ncmd].files = eq ? eq + 1 : NULL;
		if (eq)
			*eq = 0;
		char *at = strchr(argv[i + 1], '@');
		cmds[ncmd].uid = at ? atol(at + 1) : -1;
		cmds[ncmd].argv = argv + i + 2;
		cmds[ncmd].us = calloc((size_t)n, sizeof(double));
		ncmd++;
	}
	int devnull = open("/dev/null", O_WRONLY);
	for (int c = 0; c < ncmd; c++) /* warm up: caches, the bwrap probe cache */
		for (int k = 0; k < 5; k++)
			once(&cmds[c], devnull);
	for (int k = 0; k < n; k++)
		for (int c = 0; c < ncmd; c++)
			cmds[c].us[k] = once(&cmds[c], devnull);
	for (int c = 0; c < ncmd; c++) {
		qsort(cmds[c].us, (size_t)n, sizeof(double), cmp);
		printf("%s %.0f %.0f %.0f\n", cmds[c].label, cmds[c].us[n / 2], cmds[c].us[n / 10],
		       cmds[c].us[n * 9 / 10]);
	}
	return 0;
}
