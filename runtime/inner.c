/*
** inner.c: the hidden inner stage. bubblewrap starts it inside the finished
** sandbox as
**
**   /proc/self/fd/EXE exec --inner-stage STATUS STDERR EXE -- CMD...
**
** (sbxc is passed in as an open descriptor, so it need not be visible at
** any path the policy allows). bubblewrap has already installed the seccomp
** filter (`--seccomp FD`): it does so in its own pid 1 inside the sandbox as
** well, which the command could otherwise take over through /proc/1/mem
** and run system calls from unfiltered. The inner stage checks that the
** filter is in place, restores the real stderr (bubblewrap's own stderr is a
** pipe to the launcher, which turns bubblewrap's errors into diagnostics),
** makes every mount private (so that nothing mounted on the host later
** appears inside), sets no_new_privs, drops every capability, closes every
** other descriptor and execs the command.
**
** It reports on STATUS, a pipe the launcher reads after the sandbox ends:
**   'I'                 the inner stage started (so bubblewrap did its part)
**   'S' stage errno     it could not restrict itself (E0716, exit 125)
**   'E' errno           the command could not be executed (126 or 127)
** and nothing else: the pipe is close-on-exec, so after a successful exec
** the command's exit status is reported as it is. Nothing is printed here:
** the launcher, outside, renders the diagnostics. It leaves with _exit():
** under the filter, exit handlers (a sanitizer's leak check uses ptrace)
** may not work.
*/
#include "rt_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	STAGE_ARGS = 1,
	STAGE_FILTER,
	STAGE_NNP,
	STAGE_CAPS,
	STAGE_SECCOMP,
	STAGE_PRIVATE,
	STAGE_PROXY
};

static bool parse_fd(const char *s, int *fd)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < 3 || v > 1 << 20)
		return false;
	*fd = (int)v;
	return true;
}

static void report(int fd, char tag, int a, int b)
{
	unsigned char rec[9] = {(unsigned char)tag};
	memcpy(rec + 1, &a, sizeof a);
	memcpy(rec + 5, &b, sizeof b);
	ssize_t r = write(fd, rec, tag == 'I' ? 1 : tag == 'E' ? 5 : 9);
	(void)r;
}

/* Writes "N N 1" (N mapped to itself) or text to a /proc/self file. */
static int write_proc(const char *file, const char *text, unsigned id)
{
	char buf[40];
	size_t n = 0;
	if (text) {
		while (text[n] && n < sizeof buf)
			buf[n] = text[n], n++;
	} else {
		char digits[12];
		size_t k = 0;
		do
			digits[k++] = (char)('0' + id % 10);
		while ((id /= 10) && k < sizeof digits);
		for (int rep = 0; rep < 2; rep++) {
			for (size_t i = k; i-- > 0;)
				buf[n++] = digits[i];
			buf[n++] = ' ';
		}
		buf[n++] = '1';
	}
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	int err = write(fd, buf, n) == (ssize_t)n ? 0 : errno ? errno : EIO;
	close(fd);
	return err;
}

/* bubblewrap leaves the sandbox's mounts slaves of the host's, so that a
** filesystem mounted on the host while the sandbox runs (removable media,
** an automount) would appear inside with its own flags, writable even
** below a read-only bind. Making every mount private stops that. It needs
** CAP_SYS_ADMIN over the mount namespace, which this stage has when sbxc
** runs as root; otherwise it takes a user and mount namespace of its own
** (the same uid and gid, mapped to themselves), whose mounts it may make
** private: they stay locked, so no mask can be removed. */
static bool in_initial_user_namespace(void)
{
	char buf[64];
	int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return true; /* cannot tell: do not touch the mounts */
	buf[n] = 0;
	unsigned long inside, outside, count;
	char *p = buf, *end;
	inside = strtoul(p, &end, 10), p = end;
	outside = strtoul(p, &end, 10), p = end;
	count = strtoul(p, &end, 10);
	return inside == 0 && outside == 0 && count == 4294967295ul;
}

static int make_mounts_private(void)
{
	/* bubblewrap always gets --unshare-user: outside a user namespace this
	** would change the machine's own mounts */
	if (in_initial_user_namespace())
		return EPERM;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
		return 0;
	if (errno != EPERM)
		return errno;
	uid_t uid = getuid();
	gid_t gid = getgid();
	int err;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
		return errno;
	if ((err = write_proc("/proc/self/setgroups", "deny", 0)) ||
	    (err = write_proc("/proc/self/uid_map", NULL, (unsigned)uid)) ||
	    (err = write_proc("/proc/self/gid_map", NULL, (unsigned)gid)))
		return err;
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 ? 0 : errno;
}

static _Noreturn void fail(int status, int stage, int err)
{
	report(status, 'S', stage, err);
	_exit(SBX_RT_EXIT_SANDBOX);
}

_Noreturn int sbx_runtime_inner(int argc, char **argv)
{
	int status, err_fd, exe;
	/* argv: exec --inner-stage P R E -- CMD... */
	if (argc < 7 || !parse_fd(argv[2], &status) || !parse_fd(argv[3], &err_fd) ||
	    !parse_fd(argv[4], &exe) || strcmp(argv[5], "--") != 0)
		_exit(SBX_RT_EXIT_SANDBOX); /* not started by the launcher */
	if (fcntl(status, F_SETFD, FD_CLOEXEC) != 0)
		_exit(SBX_RT_EXIT_SANDBOX);
	report(status, 'I', 0, 0);
	/* bubblewrap installed the filter before it started this stage */
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 2)
		fail(status, STAGE_FILTER, 0);
	if (dup2(err_fd, 2) < 0)
		fail(status, STAGE_ARGS, errno);
	close(err_fd);
	close(exe);

	int err;
	/* proxy-only: the listeners inside, handed to the bridge outside */
	if ((err = rt_proxy_inner()))
		fail(status, STAGE_PROXY, err);
	if ((err = make_mounts_private()))
		fail(status, STAGE_PRIVATE, err);
	if ((err = rt_set_no_new_privs()))
		fail(status, STAGE_NNP, err);
	if ((err = rt_drop_capabilities()))
		fail(status, STAGE_CAPS, err);
	rt_cloexec_from(status);

	char **cmd = argv + 6;
	execvp(cmd[0], cmd);
	err = errno;
	report(status, 'E', err, 0);
	_exit(err == ENOENT ? SBX_RT_EXIT_NOT_FOUND : SBX_RT_EXIT_CANNOT_EXEC);
}

const char *rt_inner_stage_help(int stage)
{
	if (stage != STAGE_PRIVATE)
		return NULL;
	return "without it a filesystem mounted on this machine while the command runs "
	       "(removable media, an automount) would appear in the sandbox, writable; run "
	       "sbxc as root, allow bubblewrap's sandbox a user namespace of its own, or use a "
	       "profile Landlock enforces";
}

const char *rt_inner_stage_name(int stage)
{
	switch (stage) {
	case STAGE_ARGS:
		return "restore stderr";
	case STAGE_FILTER:
		return "find the seccomp filter bubblewrap was to install";
	case STAGE_NNP:
		return "set no_new_privs";
	case STAGE_CAPS:
		return "drop capabilities";
	case STAGE_SECCOMP:
		return "install the seccomp filter";
	case STAGE_PRIVATE:
		return "stop mounts made outside from reaching the sandbox";
	case STAGE_PROXY:
		return "set up the proxy listeners and variables";
	}
	return "start";
}
