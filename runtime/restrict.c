/*
** restrict.c: the steps a process takes to restrict itself before it execs
** the command, shared by the Landlock path (in sbxc's own process) and the
** inner stage (inside bubblewrap):
**
**   no_new_privs       setuid and file capabilities stop working, which
**                      seccomp and Landlock require
**   capabilities       all dropped (permitted, effective, inheritable, and
**                      so ambient); with no_new_privs an exec cannot get any
**                      back. Run as root, bubblewrap keeps every capability
**                      inside its user namespace, and with CAP_SYS_ADMIN the
**                      command could simply unmount the masks.
**   seccomp            the filter of seccomp.bpf
**   descriptors        everything above 2 is closed on exec
**
** The functions return an errno value instead of printing, and use only
** async-signal-safe calls, so the inner stage can use them as they are.
*/
#include "rt_int.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int rt_set_no_new_privs(void)
{
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 ? 0 : errno;
}

int rt_drop_capabilities(void)
{
	/* no_new_privs is always set first: from then on an exec cannot give a
	** capability the process does not hold, not even to root, so emptying
	** the permitted, effective and inheritable sets (which empties the
	** ambient set too) is enough, and the bounding set can stay. */
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof data);
	if (syscall(SYS_capset, &hdr, data) != 0)
		return errno;
	/* verify: nothing may be left */
	if (syscall(SYS_capget, &hdr, data) != 0)
		return errno;
	for (int i = 0; i < 2; i++)
		if (data[i].effective || data[i].permitted || data[i].inheritable)
			return EPERM;
	return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 0, 0, 0) > 0 ? EPERM : 0;
}

int rt_install_seccomp(const unsigned char *bpf, size_t len)
{
	struct sock_fprog prog = {
	    .len = (unsigned short)(len / sizeof(struct sock_filter)),
	    .filter = (struct sock_filter *)(void *)bpf,
	};
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0;
	return errno;
}

/* close_range(2) came with Linux 5.11 (CLOSE_RANGE_CLOEXEC with 5.11 too);
** bubblewrap runs on older kernels, where every descriptor up to the limit
** is marked one by one instead. */
static void cloexec_range(unsigned from, unsigned to)
{
	if (from > to || syscall(SYS_close_range, from, to, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	struct rlimit rl;
	unsigned top = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (1u << 20)
	                   ? (unsigned)rl.rlim_cur
	                   : 1u << 20;
	for (unsigned fd = from; fd <= to && fd < top; fd++) {
		int flags = fcntl((int)fd, F_GETFD);
		if (flags >= 0 && !(flags & FD_CLOEXEC))
			fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC);
	}
}

void rt_cloexec_from(int keep)
{
	if (keep < 0) {
		cloexec_range(3u, ~0u);
		return;
	}
	if (keep > 3)
		cloexec_range(3u, (unsigned)keep - 1);
	cloexec_range((unsigned)keep + 1, ~0u);
}

static enum sbx_status failed(struct sbx_ctx *ctx, const char *step, int err)
{
	sbx_diag_emit(ctx, SBX_E0716, SBX_NO_SPAN, "cannot %s: %s", step, strerror(err));
	return SBX_EUNSUPPORTED;
}

enum sbx_status rt_restrict_self(struct sbx_ctx *ctx, const struct rt_artifacts *a)
{
	int err;
	if ((err = rt_set_no_new_privs()))
		return failed(ctx, "set no_new_privs", err);
	if ((err = rt_drop_capabilities()))
		return failed(ctx, "drop capabilities", err);
	if ((err = rt_install_seccomp(a->bpf->data, a->bpf->len)))
		return failed(ctx, "install the seccomp filter", err);
	rt_cloexec_from(-1);
	return SBX_OK;
}
