/*
** test_seccomp.c: the seccomp emitter (emitters/seccomp.c) and the filter
** loaded for real (runtime/restrict.c) in a forked child: which system
** calls fail with EPERM with the network restricted and enabled (and the
** metadata calls and ioctls, for a profile where nothing is writable, and
** AF_UNIX datagram sockets), that
** high argument bits cannot smuggle a domain or request past it, and that
** an x32 system call kills the process.
*/
#include "emitter.h"
#include "resolve.h"
#include "rt_int.h"
#include "schema_fixture.h"
#include "target.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/fsverity.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

struct filter {
	struct sbx_ctx *ctx;
	const struct sbx_blob *bpf;
	json_t *json;
};

static struct filter build_from(const char *toml);

static struct filter build(bool network)
{
	return build_from(network ? "default_permissions = \"p\"\n"
	                            "[permissions.p.filesystem]\n\":root\" = \"read\"\n"
	                            "[permissions.p.network]\nenabled = true\n"
	                          : "default_permissions = \"p\"\n"
	                            "[permissions.p.filesystem]\n\":root\" = \"read\"\n");
}

static struct filter build_from(const char *toml)
{
	struct filter f = {.ctx = sbx_ctx_new()};
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(f.ctx, toml, NULL, &cfg);
	struct sbx_resolve_opts o = {.flavor = SBX_FLAVOR_POSIX, .cwd = "/", .probe = false};
	const struct sbx_resolved *r = sbx_resolve(f.ctx, p, &o);
	cr_assert_not_null(r);
	struct sbx_bundle *b = sbx_arena_alloc(&f.ctx->arena, sizeof *b);
	struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = b};
	const struct sbx_emitter *e = sbx_target_get(SBX_OS_LINUX)->shared[0];
	if (!sbx_seccomp_arch())
		cr_skip("sbxc builds seccomp filters for x86_64 and aarch64 only");
	cr_assert_eq(e->check(f.ctx, r), SBX_OK);
	struct sbx_emit_opts eo = {.probe = false};
	cr_assert_eq(e->emit(f.ctx, r, &eo, &sink), SBX_OK);
	f.bpf = sbx_bundle_get(b, SBX_ART_SECCOMP_BPF);
	const struct sbx_blob *js = sbx_bundle_get(b, SBX_ART_SECCOMP_JSON);
	cr_assert_not_null(f.bpf);
	cr_assert_not_null(js);
	f.json = json_loadb((const char *)js->data, js->len, 0, NULL);
	cr_assert_not_null(f.json);
	return f;
}

static void release(struct filter *f)
{
	json_decref(f->json);
	sbx_ctx_free(&f->ctx);
}

/* Each check runs in the child after the filter is installed; the child
** exits with the number of the first failing check (0: all passed). */
typedef int (*checks_fn)(void);

static int in_child(const struct filter *f, checks_fn fn, int *sig)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (rt_set_no_new_privs() || rt_install_seccomp(f->bpf->data, f->bpf->len))
			_exit(100);
		_exit(fn());
	}
	int st;
	waitpid(pid, &st, 0);
	*sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool eperm(long r)
{
	return r == -1 && errno == EPERM;
}

static int restricted_checks(void)
{
	int sv[2];
	if (!eperm(socket(AF_INET, SOCK_STREAM, 0)))
		return 1;
	if (!eperm(socket(AF_INET6, SOCK_DGRAM, 0)))
		return 2;
	if (!eperm(socket(AF_NETLINK, SOCK_RAW, 0)))
		return 3;
	int u = socket(AF_UNIX, SOCK_STREAM, 0);
	if (u < 0)
		return 4;
	struct sockaddr sa = {.sa_family = AF_UNIX};
	if (!eperm(connect(u, &sa, sizeof sa)))
		return 5;
	if (!eperm(bind(u, &sa, sizeof sa)))
		return 6;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 7;
	if (write(sv[0], "x", 1) != 1) /* socket-pair IPC keeps working */
		return 8;
	if (!eperm(socketpair(AF_INET, SOCK_STREAM, 0, sv)))
		return 9;
	/* AF_UNIX in the low half, garbage above: the kernel would see AF_UNIX */
	if (!eperm(syscall(SYS_socket, 0x100000001L, SOCK_STREAM, 0)))
		return 10;
	if (!eperm(syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0)))
		return 11;
	char buf[4];
	struct iovec l = {buf, 1}, rm = {buf, 1};
	if (!eperm(syscall(SYS_process_vm_readv, getppid(), &l, 1, &rm, 1, 0)))
		return 12;
	if (!eperm(syscall(425 /* io_uring_setup */, 1, NULL)))
		return 13;
	if (!eperm(syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0)))
		return 70;
	if (!eperm(syscall(SYS_add_key, "user", "sbxc", "x", 1, -3)))
		return 71;
	if (!eperm(ioctl(0, TIOCSTI, "x")))
		return 14;
	if (!eperm(syscall(SYS_ioctl, 0, 0xdead00000000L | TIOCSTI, "x")))
		return 15;
	if (!eperm(syscall(SYS_getsockopt, u, 0, 0, NULL, NULL)))
		return 16;
	/* nothing is writable in this profile: metadata changes are refused */
	if (!eperm(chmod("/nonexistent-sbxc", 0755)))
		return 17;
	if (!eperm(syscall(452 /* fchmodat2 */, AT_FDCWD, "/nonexistent-sbxc", 0755, 0)))
		return 18;
	if (!eperm(utimensat(AT_FDCWD, "/nonexistent-sbxc", NULL, 0)))
		return 19;
	if (!eperm(syscall(SYS_fsetxattr, 0, "user.x", "v", 1, 0)))
		return 20;
	long flags = 0;
	if (!eperm(ioctl(0, FS_IOC_SETFLAGS, &flags)))
		return 21;
	if (!eperm(syscall(469 /* file_setattr */, AT_FDCWD, "/nonexistent-sbxc", NULL, 0, 0)))
		return 22;
	/* a datagram socket needs no connect: sendmsg() could address any socket
	** file or abstract name, so AF_UNIX datagram sockets are refused */
	if (!eperm(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)))
		return 23;
	if (!eperm(socket(AF_UNIX, SOCK_RAW, 0))) /* the kernel makes it SOCK_DGRAM */
		return 24;
	if (!eperm(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv)))
		return 25;
	if (!eperm(syscall(SYS_socket, AF_UNIX, 0x7fff0000L | SOCK_DGRAM, 0)))
		return 26;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return 27;
	/* pasting into a virtual console (TIOCLINUX) like typing (TIOCSTI) */
	if (!eperm(syscall(SYS_ioctl, 0, 0xbeef00000000L | TIOCLINUX, "\x03")))
		return 28;
	/* metadata through a read-only descriptor: chattr -v, fs-verity, fscrypt,
	** and btrfs (snapshots, subvolumes and their read-only flag) */
	if (!eperm(ioctl(0, FS_IOC_SETVERSION, &flags)))
		return 29;
	if (!eperm(ioctl(0, _IOW('f', 4, long), &flags))) /* EXT4_IOC_SETVERSION */
		return 30;
	if (!eperm(syscall(SYS_ioctl, 0, FS_IOC_ENABLE_VERITY, NULL)))
		return 31;
	if (!eperm(syscall(SYS_ioctl, 0, FS_IOC_SET_ENCRYPTION_POLICY, NULL)))
		return 32;
	if (!eperm(syscall(SYS_ioctl, 0, _IOW(0x94, 1, char[4096]), NULL))) /* SNAP_CREATE */
		return 33;
	if (!eperm(syscall(SYS_ioctl, 0, _IOW(0x94, 26, long), NULL))) /* SUBVOL_SETFLAGS */
		return 34;
	if (eperm(syscall(SYS_ioctl, 0, FS_IOC_GETFLAGS, &flags))) /* reading is fine */
		return 35;
	/* the host's IPC objects (Landlock shares the host's IPC namespace) */
	if (!eperm(shmget(IPC_PRIVATE, 4096, 0600)))
		return 36;
	if (!eperm((long)(intptr_t)shmat(0, NULL, 0)))
		return 37;
	if (!eperm(syscall(SYS_msgget, IPC_PRIVATE, 0600)))
		return 38;
	if (!eperm(syscall(SYS_semctl, 0, 0, IPC_RMID)))
		return 39;
	if (!eperm(syscall(SYS_mq_unlink, "sbxc-test")))
		return 40;
	return 0;
}

/* A profile with something writable keeps metadata changes, but the rules
** that hold for every profile still hold. */
static int writable_checks(void)
{
	long flags = 0;
	if (chmod("/nonexistent-sbxc", 0755) != -1 || errno != ENOENT)
		return 1;
	if (eperm(ioctl(0, FS_IOC_SETVERSION, &flags)))
		return 2;
	if (!eperm(ioctl(0, TIOCLINUX, "\x03")))
		return 3;
	if (!eperm(socket(AF_UNIX, SOCK_DGRAM, 0)))
		return 4;
	return 0;
}

Test(seccomp, writable_profile_keeps_metadata_calls)
{
	struct filter f = build_from("default_permissions = \"p\"\n"
	                             "[permissions.p.filesystem]\n\":root\" = \"read\"\n"
	                             "\"/w\" = \"write\"\n");
	int sig, r = in_child(&f, writable_checks, &sig);
	cr_assert_eq(sig, 0, "killed by signal %d", sig);
	cr_assert_eq(r, 0, "check %d failed", r);
	release(&f);
}

Test(seccomp, restricted_network)
{
	struct filter f = build(false);
	int sig, r = in_child(&f, restricted_checks, &sig);
	cr_assert_eq(sig, 0, "killed by signal %d", sig);
	cr_assert_eq(r, 0, "check %d failed", r);
	cr_assert_str_eq(json_string_value(json_object_get(f.json, "network")), "restricted");
	release(&f);
}

static int enabled_checks(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		return 1;
	close(s);
	s = socket(AF_UNIX, SOCK_DGRAM, 0); /* with the network on, anything goes */
	if (s < 0)
		return 4;
	close(s);
	if (!eperm(syscall(SYS_ptrace, 0, 0, 0, 0)))
		return 2;
	if (!eperm(syscall(427 /* io_uring_register */, -1, 0, NULL, 0)))
		return 3;
	return 0;
}

Test(seccomp, enabled_network_still_denies_ptrace_and_io_uring)
{
	struct filter f = build(true);
	int sig, r = in_child(&f, enabled_checks, &sig);
	cr_assert_eq(sig, 0, "killed by signal %d", sig);
	cr_assert_eq(r, 0, "check %d failed", r);
	release(&f);
}

static int x32_call(void)
{
	syscall(0x40000000L | 39 /* x32 getpid */);
	return 50; /* not reached: the filter kills the process */
}

Test(seccomp, foreign_abi_calls_kill_the_process)
{
#if !defined(__x86_64__)
	cr_skip("the x32 ABI exists on x86_64 only");
#endif
	struct filter f = build(false);
	int sig, r = in_child(&f, x32_call, &sig);
	cr_assert_eq(sig, SIGSYS, "exit %d, signal %d", r, sig);
	release(&f);
}

Test(seccomp, description_matches_the_program)
{
	struct filter f = build(false);
	size_t insns = f.bpf->len / 8;
	cr_assert_eq(f.bpf->len % 8, 0);
	cr_assert_eq((size_t)json_integer_value(json_object_get(f.json, "instructions")), insns);
	/* the program is a binary tree of syscall numbers, so a call walks a
	** few comparisons, not the whole list; its size still costs start-up
	** time (the kernel walks it per syscall number when installing it) */
	cr_assert_leq(insns, 128, "the filter grew to %zu instructions", insns);
	cr_log_info("seccomp filter: %zu instructions (network restricted)", insns);
	json_t *rules = json_object_get(f.json, "rules");
	cr_assert_eq(json_array_size(rules), 9 + 2 + 21 + 7 + 13 + 13 + 4);
	cr_assert_str_eq(json_string_value(json_object_get(f.json, "other_architectures")),
	                 "kill process");
	struct filter g = build(true);
	cr_assert_eq(json_array_size(json_object_get(g.json, "rules")), 9 + 2 + 21 + 7 + 13);
	cr_assert_lt(g.bpf->len, f.bpf->len, "the network rules cost instructions only when used");
	release(&g);
	release(&f);
	/* a profile that writes somewhere keeps chmod and friends */
	struct filter w = build_from("default_permissions = \"p\"\n"
	                             "[permissions.p.filesystem]\n\":root\" = \"read\"\n"
	                             "\"/w\" = \"write\"\n");
	cr_assert_eq(json_array_size(json_object_get(w.json, "rules")), 9 + 2 + 13 + 4);
	cr_assert_null(json_object_get(w.json, "metadata"));
	release(&w);
}

/* Without close_range(2) (Linux < 5.11), every descriptor above stderr is
** still marked close-on-exec: only stdin, stdout and stderr reach the
** command. The child pretends to be on such a kernel with a filter of its
** own. */
static int cloexec_checks(void)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
	if (!f || seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(close_range), 0) != 0 ||
	    seccomp_load(f) != 0)
		return 1;
	seccomp_release(f);
	int a = open("/dev/null", O_RDONLY), b = dup2(a, 200), keep = dup2(a, 100);
	if (a < 0 || b != 200 || keep != 100)
		return 2;
	if (syscall(SYS_close_range, 3u, 3u, 0) != -1 || errno != ENOSYS)
		return 3;
	rt_cloexec_from(keep);
	if (!(fcntl(a, F_GETFD) & FD_CLOEXEC) || !(fcntl(b, F_GETFD) & FD_CLOEXEC))
		return 4;
	if (fcntl(keep, F_GETFD) & FD_CLOEXEC)
		return 5;
	return 0;
}

Test(seccomp, descriptors_are_closed_on_exec_without_close_range)
{
	struct filter f = build(false); /* for in_child's own filter */
	int sig, r = in_child(&f, cloexec_checks, &sig);
	cr_assert_eq(sig, 0, "killed by signal %d", sig);
	cr_assert_eq(r, 0, "check %d failed", r);
	release(&f);
}
