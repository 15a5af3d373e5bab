/*
** timeit.c: the timing driver of bench/run. Runs several commands N times
** each, round-robin (so a slow moment of the machine hits all of them),
** and prints per command the median, 10th and 90th percentile of the whole
** process's wall time: fork, exec, the command, wait.
**
**   timeit N :: LABEL ARGV... :: LABEL ARGV... [...]
**
** A LABEL of the form NAME=FILE opens FILE on descriptor 3 of that command
** (for `bwrap --args 3`, which consumes it). Output: one line per command,
** "NAME median p10 p90" in microseconds.
** stdout and stderr of the commands go to /dev/null; a command that exits
** non-zero stops the run (a broken setup must not be timed).
*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct cmd {
	const char *label;
	const char *fd3; /* a file to open on descriptor 3, or NULL */
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
		if (c->fd3) {
			int fd = open(c->fd3, O_RDONLY);
			if (fd < 0 || dup2(fd, 3) < 0)
				_exit(126);
		}
		dup2(devnull, 1);
		dup2(devnull, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "timeit: %s failed (status %d)\n", argv[0], st);
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
	struct cmd cmds[16];
	for (int i = 2; i < argc && ncmd < 16; i++) {
		if (strcmp(argv[i], "::") != 0)
			continue;
		argv[i] = NULL; /* ends the previous command's argv */
		if (i + 2 >= argc)
			break;
		cmds[ncmd].label = argv[i + 1];
		char *eq = strchr(argv[i + 1], '=');
		cmds[ncmd].fd3 = eq ? eq + 1 : NULL;
		if (eq)
			*eq = 0;
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
