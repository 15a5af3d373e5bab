/*
** inner.c: the hidden inner stage. bubblewrap starts it inside the finished
** sandbox as
**
**   /proc/self/fd/EXE exec --inner-stage SECCOMP STATUS STDERR EXE -- CMD...
**
** (sbxc is passed in as an open descriptor, so it need not be visible at
** any path the policy allows). It restores the real stderr (bubblewrap's
** own stderr is a pipe to the launcher, which turns bubblewrap's errors
** into diagnostics), reads the seccomp program from its descriptor, sets
** no_new_privs, drops every capability, closes every other descriptor,
** installs the filter and execs the command.
**
** It reports on STATUS, a pipe the launcher reads after the sandbox ends:
**   'I'                 the inner stage started (so bubblewrap did its part)
**   'S' stage errno     it could not restrict itself (E0716, exit 125)
**   'E' errno           the command could not be executed (126 or 127)
** and nothing else: the pipe is close-on-exec, so after a successful exec
** the command's exit status is reported as it is. Nothing is printed here:
** the launcher, outside, renders the diagnostics.
*/
#include "rt_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { STAGE_ARGS = 1, STAGE_FILTER, STAGE_NNP, STAGE_CAPS, STAGE_SECCOMP };

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

static int fail(int status, int stage, int err)
{
	report(status, 'S', stage, err);
	return SBX_RT_EXIT_SANDBOX;
}

int sbx_runtime_inner(int argc, char **argv)
{
	int seccomp, status, err_fd, exe;
	/* argv: exec --inner-stage S P R E -- CMD... */
	if (argc < 8 || !parse_fd(argv[2], &seccomp) || !parse_fd(argv[3], &status) ||
	    !parse_fd(argv[4], &err_fd) || !parse_fd(argv[5], &exe) || strcmp(argv[6], "--") != 0)
		return SBX_RT_EXIT_SANDBOX; /* not started by the launcher */
	if (fcntl(status, F_SETFD, FD_CLOEXEC) != 0)
		return SBX_RT_EXIT_SANDBOX;
	report(status, 'I', 0, 0);
	if (dup2(err_fd, 2) < 0)
		return fail(status, STAGE_ARGS, errno);
	close(err_fd);
	close(exe);

	size_t len = 0;
	unsigned char *bpf = rt_read_fd(seccomp, 1u << 20, &len);
	close(seccomp);
	if (!bpf || len == 0 || len % 8)
		return fail(status, STAGE_FILTER, bpf ? EINVAL : errno);
	int err;
	if ((err = rt_set_no_new_privs()))
		return fail(status, STAGE_NNP, err);
	if ((err = rt_drop_capabilities()))
		return fail(status, STAGE_CAPS, err);
	rt_cloexec_from(status);
	if ((err = rt_install_seccomp(bpf, len)))
		return fail(status, STAGE_SECCOMP, err);
	free(bpf);

	char **cmd = argv + 7;
	execvp(cmd[0], cmd);
	err = errno;
	report(status, 'E', err, 0);
	return err == ENOENT ? SBX_RT_EXIT_NOT_FOUND : SBX_RT_EXIT_CANNOT_EXEC;
}

const char *rt_inner_stage_name(int stage)
{
	switch (stage) {
	case STAGE_ARGS:
		return "restore stderr";
	case STAGE_FILTER:
		return "read the seccomp filter";
	case STAGE_NNP:
		return "set no_new_privs";
	case STAGE_CAPS:
		return "drop capabilities";
	case STAGE_SECCOMP:
		return "install the seccomp filter";
	}
	return "start";
}
