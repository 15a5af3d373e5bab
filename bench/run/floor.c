/*
** floor.c: what any front end pays before bubblewrap, without doing any of
** sbxc's work; bench/run times it beside raw bubblewrap so the ratios of
** issue 14 can be read against what is possible on the machine.
**
**   floor true              return 0: a static glibc program's own start
**   floor exec PROG ARG...  exec PROG in place (one more exec, glibc start)
**   floor wait PROG ARG...  what the fast launch path must do at least: a
**                           vfork child enters a private mount namespace (a
**                           user namespace first when not root, as
**                           runtime/launch.c does), execs PROG; the parent
**                           waits and returns its status
**   floor fork PROG ARG...  `wait` without the namespace
**   floor ns PROG ARG...    the namespace, then PROG exec'd in place
**   floor cpuid             prints the cost of one CPUID instruction in
**                           microseconds (x86 only): in a VM each one exits
**                           to the hypervisor, and glibc's start-up issues
**                           dozens to size its caches and pick its string
**                           functions
** Built static, as sbxc is. Not sbxc code: a measuring stick only.
*/
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static int put(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* The private mount namespace the fast path enters; 0 or -1. */
static int private_ns(const char *um, const char *gm)
{
	if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0 ||
		    put("/proc/self/setgroups", "deny") != 0 ||
		    put("/proc/self/uid_map", um) != 0 || put("/proc/self/gid_map", gm) != 0)
			return -1;
	}
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

static int run(char **argv, bool ns, bool wait)
{
	char um[40], gm[40];
	snprintf(um, sizeof um, "%u %u 1\n", (unsigned)geteuid(), (unsigned)geteuid());
	snprintf(gm, sizeof gm, "%u %u 1\n", (unsigned)getegid(), (unsigned)getegid());
	if (!wait) {
		if (ns && private_ns(um, gm) != 0)
			return 125;
		execv(argv[0], argv);
		return 127;
	}
	pid_t pid = vfork();
	if (pid == 0) {
		if (ns && private_ns(um, gm) != 0)
			_exit(125);
		execv(argv[0], argv);
		_exit(127);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 125;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int cpuid_mode(void)
{
#if defined(__x86_64__) || defined(__i386__)
	enum { N = 2000 };
	unsigned a, b, c, d;
	volatile unsigned sink = 0; /* keeps the loop */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 0; i < N; i++) {
		__cpuid_count(0, 0, a, b, c, d);
		sink += a ^ b ^ c ^ d;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	printf("%.2f\n", ns / N / 1000);
	return 0;
#else
	return 2;
#endif
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "true") == 0)
		return 0;
	if (argc >= 2 && strcmp(argv[1], "cpuid") == 0)
		return cpuid_mode();
	if (argc >= 3 && strcmp(argv[1], "exec") == 0)
		return run(argv + 2, false, false);
	if (argc >= 3 && strcmp(argv[1], "ns") == 0)
		return run(argv + 2, true, false);
	if (argc >= 3 && strcmp(argv[1], "fork") == 0)
		return run(argv + 2, false, true);
	if (argc >= 3 && strcmp(argv[1], "wait") == 0)
		return run(argv + 2, true, true);
	fprintf(stderr, "usage: floor true | cpuid | exec|ns|fork|wait PROG ARG...\n");
	return 2;
}
