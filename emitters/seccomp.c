/*
** seccomp.c: the seccomp emitter. Resolved policy -> seccomp.bpf (the
** classic BPF program, built with libseccomp for this machine's
** architecture) and seccomp.json (what it does, in words and counts).
**
** Every syscall not listed is allowed; a listed one fails with EPERM:
**
**   always      ptrace, process_vm_readv, process_vm_writev, io_uring_setup,
**               io_uring_enter, io_uring_register, keyctl, add_key,
**               request_key (the kernel keyrings), ioctl(fd, TIOCSTI)
**               and ioctl(fd, TIOCLINUX) (typing into the terminal the
**               sandbox was started from, or pasting into a virtual console
**               on kernels before 6.7: the Landlock path has no new session
**               to stop it)
**   nothing writable
**               chmod, chown, utime(n)s and set/remove xattr calls, and the
**               ioctls that change metadata through a read-only descriptor
**               (chattr flags, project ids and inode versions, fs-verity,
**               fscrypt policies, every btrfs ioctl: subvolumes, snapshots
**               and their flags): Landlock does not govern metadata or
**               ioctls on files, so this makes a read-only profile exact
**               under Landlock too; and System V IPC and POSIX message
**               queues, which under Landlock are the host's (bubblewrap
**               gives a private IPC namespace)
**   network restricted
**               socket and socketpair unless the domain is exactly AF_UNIX,
**               and AF_UNIX datagram sockets (SOCK_DGRAM, and SOCK_RAW, which
**               the kernel makes a datagram socket); connect, accept,
**               accept4, bind, listen, getpeername, getsockname, shutdown,
**               sendto, sendmmsg, recvmmsg, getsockopt, setsockopt
**
** AF_UNIX connect stays blocked, as in Codex: on the Landlock path there is
** no network namespace, so a connect would reach the host's abstract
** sockets and every socket file the policy lets the sandbox see (a docker
** or D-Bus socket is a way out; a network namespace does not hide socket
** files either). A datagram socket needs no connect: sendmsg() with a
** destination address reaches any datagram socket file (syslog, journald,
** the control sockets of chronyd or wpa_supplicant) or abstract address, so
** AF_UNIX datagram sockets and pairs are refused too. Stream and seqpacket
** socketpair IPC, recvfrom, sendmsg and recvmsg keep working, so build
** tools that talk over socket pairs run.
**
** Only x86_64 and aarch64 are built (E0711 elsewhere). A system call of any
** other architecture (i386 through int 0x80, arm32 compat) and every x32 call
** kill the process: nothing is allowed by default for a foreign ABI.
** Arguments are compared as full 64-bit values, so high bits cannot smuggle
** a different domain or request past the filter.
*/
#include "emit_int.h"
#include "strbuf.h"

#include <errno.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/fsverity.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* A system call by name (for seccomp.json) and number (libseccomp's
** pseudo-number for this architecture, resolved at build time: looking
** names up costs start-up time). */
struct call {
	const char *name;
	int nr;
};
#define CALL(name)                                                                                 \
	{                                                                                          \
#name, SCMP_SYS(name)                                                              \
	}

/* The kernel keyrings hold credentials (Kerberos tickets, fscrypt and
** ecryptfs keys) that the filesystem policy cannot describe: the sandbox
** gets none of them. */
static const struct call always_denied[] = {
    CALL(ptrace),         CALL(process_vm_readv), CALL(process_vm_writev),
    CALL(io_uring_setup), CALL(io_uring_enter),   CALL(io_uring_register),
    CALL(keyctl),         CALL(add_key),          CALL(request_key),
};

static const struct call net_denied[] = {
    CALL(connect),     CALL(accept),      CALL(accept4),    CALL(bind),   CALL(listen),
    CALL(getpeername), CALL(getsockname), CALL(shutdown),   CALL(sendto), CALL(sendmmsg),
    CALL(recvmmsg),    CALL(getsockopt),  CALL(setsockopt),
};

static const struct call domain_checked[] = {CALL(socket), CALL(socketpair)};
static const struct call ioctl_call = CALL(ioctl);

/* Metadata changes. Landlock does not govern chmod, chown, timestamps or
** extended attributes, so for a profile where nothing is writable the
** filter refuses them (bubblewrap's read-only mounts refuse them anyway).
** The newest calls have the same number on every architecture and are
** given by number: libseccomp 2.5 does not know them. */
static const struct call metadata[] = {
    CALL(chmod),           CALL(fchmod),       CALL(fchmodat),     {"fchmodat2", 452},
    CALL(chown),           CALL(fchown),       CALL(lchown),       CALL(fchownat),
    CALL(utime),           CALL(utimes),       CALL(futimesat),    CALL(utimensat),
    CALL(setxattr),        CALL(lsetxattr),    CALL(fsetxattr),    {"setxattrat", 463},
    CALL(removexattr),     CALL(lremovexattr), CALL(fremovexattr), {"removexattrat", 466},
    {"file_setattr", 469},
};

/* The host's IPC objects: System V shared memory, message queues and
** semaphores (by key, or by the ids /proc/sysvipc lists) and POSIX message
** queues. bubblewrap gives the sandbox a private IPC namespace; under
** Landlock, which runs only profiles where nothing is writable, the sandbox
** shares the host's, and Landlock governs none of these. */
static const struct call ipc[] = {
    CALL(shmget), CALL(shmat),   CALL(shmctl),    CALL(msgget), CALL(msgsnd),
    CALL(msgrcv), CALL(msgctl),  CALL(semget),    CALL(semop),  CALL(semtimedop),
    CALL(semctl), CALL(mq_open), CALL(mq_unlink),
};

/* ioctls that change metadata with nothing more than a read-only descriptor
** and ownership: chattr's flags and project ids, `chattr -v` (two request
** numbers; ext4 takes the old one too), enabling fs-verity (which makes the
** file read-only for good) and setting an fscrypt policy. */
#define SBX_EXT4_IOC_SETVERSION _IOW('f', 4, long)
static const struct {
	unsigned long request;
	const char *name;
} metadata_ioctls[] = {
    {FS_IOC_SETFLAGS, "FS_IOC_SETFLAGS"},
    {FS_IOC_FSSETXATTR, "FS_IOC_FSSETXATTR"},
    {FS_IOC_SETVERSION, "FS_IOC_SETVERSION"},
    {SBX_EXT4_IOC_SETVERSION, "EXT4_IOC_SETVERSION"},
    {FS_IOC_ENABLE_VERITY, "FS_IOC_ENABLE_VERITY"},
    {FS_IOC_SET_ENCRYPTION_POLICY, "FS_IOC_SET_ENCRYPTION_POLICY"},
};
/* Every btrfs ioctl (type byte BTRFS_IOCTL_MAGIC): snapshots, subvolumes and
** their read-only flag are made through them, checked only against the
** directory's permission bits, which Landlock does not see. */
#define SBX_IOC_TYPE_MASK 0xff00u
#define SBX_BTRFS_IOC_TYPE (0x94u << 8)

/* AF_UNIX socket types that make a datagram socket. */
static const int datagram_types[] = {SOCK_DGRAM, SOCK_RAW};

/* Nothing the profile names is writable: metadata changes are refused. */
static bool read_only_profile(const struct sbx_resolved *r)
{
	return !r->full_write && r->nwritable_roots == 0;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *sbx_seccomp_arch(void)
{
	uint32_t native = seccomp_arch_native();
	if (native == SCMP_ARCH_X86_64)
		return "x86_64";
	if (native == SCMP_ARCH_AARCH64)
		return "aarch64";
	return NULL;
}

static bool add_rule(scmp_filter_ctx f, struct call c, unsigned nargs, struct scmp_arg_cmp cmp)
{
	if (c.nr == __NR_SCMP_ERROR)
		return false;
	if (nargs)
		return seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), c.nr, 1, cmp) == 0;
	return seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), c.nr, 0) == 0;
}

static scmp_filter_ctx build(const struct sbx_resolved *r)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
	if (!f)
		return NULL;
	/* a binary tree of syscall numbers instead of a chain: the kernel walks
	** the program for every syscall number when it installs it, so the
	** depth of the tree, not the length of the chain, is start-up time */
	bool ok = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) == 0 &&
	          seccomp_attr_set(f, SCMP_FLTATR_CTL_NNP, 0) == 0 &&
	          seccomp_attr_set(f, SCMP_FLTATR_CTL_OPTIMIZE, 2) == 0;
	struct scmp_arg_cmp none = {0};
	for (size_t i = 0; ok && i < N(always_denied); i++)
		ok = add_rule(f, always_denied[i], 0, none);
	/* an ioctl request is an unsigned int: the kernel ignores the high half */
	if (ok)
		ok = add_rule(f, ioctl_call, 1, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI));
	if (ok)
		ok =
		    add_rule(f, ioctl_call, 1, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCLINUX));
	if (read_only_profile(r)) {
		for (size_t i = 0; ok && i < N(metadata); i++)
			ok = add_rule(f, metadata[i], 0, none);
		for (size_t i = 0; ok && i < N(metadata_ioctls); i++)
			ok = add_rule(
			    f, ioctl_call, 1,
			    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, metadata_ioctls[i].request));
		if (ok)
			ok = add_rule(
			    f, ioctl_call, 1,
			    SCMP_A1(SCMP_CMP_MASKED_EQ, SBX_IOC_TYPE_MASK, SBX_BTRFS_IOC_TYPE));
		for (size_t i = 0; ok && i < N(ipc); i++)
			ok = add_rule(f, ipc[i], 0, none);
	}
	if (!r->network_enabled) {
		for (size_t i = 0; ok && i < N(net_denied); i++)
			ok = add_rule(f, net_denied[i], 0, none);
		/* the domain compared in full: high bits cannot smuggle AF_UNIX past;
		** the type's low four bits are what the kernel reads */
		for (size_t i = 0; ok && i < N(domain_checked); i++) {
			ok = add_rule(f, domain_checked[i], 1, SCMP_A0(SCMP_CMP_NE, AF_UNIX));
			for (size_t t = 0; ok && t < N(datagram_types); t++)
				ok = add_rule(f, domain_checked[i], 1,
				              SCMP_A1(SCMP_CMP_MASKED_EQ, 0xfu,
				                      (scmp_datum_t)datagram_types[t]));
		}
	}
	if (r->proxy_enforced)
		ok = ok && sbx_seccomp_proxy_rules(f);
	if (!ok) {
		seccomp_release(f);
		return NULL;
	}
	return f;
}

/* The program's bytes (caller frees), exported through a memfd because
** libseccomp 2.5 only exports to a descriptor. */
static unsigned char *export_bpf(scmp_filter_ctx f, size_t *len)
{
	int fd = memfd_create("sbxc-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	unsigned char *buf = NULL;
	struct stat st;
	if (seccomp_export_bpf(f, fd) == 0 && fstat(fd, &st) == 0 && st.st_size > 0) {
		buf = sbx_xmalloc((size_t)st.st_size);
		if (pread(fd, buf, (size_t)st.st_size, 0) != st.st_size) {
			free(buf);
			buf = NULL;
		} else {
			*len = (size_t)st.st_size;
		}
	}
	close(fd);
	return buf;
}

static void arch_error(struct sbx_ctx *ctx)
{
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0711, SBX_NO_SPAN,
	                                   "cannot build the seccomp filter on this architecture");
	sbx_diag_note(ctx, d, SBX_NO_SPAN, "sbxc builds its filter for x86_64 and aarch64 only");
}

static json_t *rule_json(const char *name, const char *when)
{
	json_t *o = json_object();
	json_object_set_new(o, "syscall", json_string(name));
	if (when)
		json_object_set_new(o, "when", json_string(when));
	json_object_set_new(o, "action", json_string("errno EPERM"));
	return o;
}

static json_t *describe(const struct sbx_resolved *r, size_t insns)
{
	json_t *o = json_object(), *rules = json_array();
	json_object_set_new(o, "arch", json_string(sbx_seccomp_arch()));
	json_object_set_new(o, "bpf_file", json_string(SBX_ART_SECCOMP_BPF));
	json_object_set_new(o, "instructions", json_integer((json_int_t)insns));
	json_object_set_new(o, "default_action", json_string("allow"));
	json_object_set_new(o, "other_architectures", json_string("kill process"));
	json_object_set_new(o, "network",
	                    json_string(r->proxy_enforced    ? "proxy"
	                                : r->network_enabled ? "enabled"
	                                                     : "restricted"));
	for (size_t i = 0; i < N(always_denied); i++)
		json_array_append_new(rules, rule_json(always_denied[i].name, NULL));
	json_array_append_new(rules, rule_json("ioctl", "request == TIOCSTI"));
	json_array_append_new(rules, rule_json("ioctl", "request == TIOCLINUX"));
	if (read_only_profile(r)) {
		for (size_t i = 0; i < N(metadata); i++)
			json_array_append_new(rules, rule_json(metadata[i].name, NULL));
		for (size_t i = 0; i < N(metadata_ioctls); i++) {
			struct sbx_strbuf sb = SBX_STRBUF_INIT;
			sbx_sb_addf(&sb, "request == %s", metadata_ioctls[i].name);
			json_array_append_new(rules, rule_json("ioctl", sb.buf));
			sbx_sb_release(&sb);
		}
		json_array_append_new(rules,
		                      rule_json("ioctl", "request type == BTRFS_IOCTL_MAGIC"));
		for (size_t i = 0; i < N(ipc); i++)
			json_array_append_new(rules, rule_json(ipc[i].name, NULL));
		json_object_set_new(
		    o, "metadata",
		    json_string("nothing is writable: chmod, chown, timestamps and "
		                "extended attributes are refused too (Landlock does "
		                "not govern them), and so are the host's System V IPC "
		                "objects and POSIX message queues"));
	}
	if (!r->network_enabled) {
		for (size_t i = 0; i < N(net_denied); i++)
			json_array_append_new(rules, rule_json(net_denied[i].name, NULL));
		for (size_t i = 0; i < N(domain_checked); i++) {
			json_array_append_new(
			    rules, rule_json(domain_checked[i].name, "domain != AF_UNIX"));
			json_array_append_new(rules, rule_json(domain_checked[i].name,
			                                       "type == SOCK_DGRAM or SOCK_RAW"));
		}
		json_object_set_new(
		    o, "unix_sockets",
		    json_string("AF_UNIX stream and seqpacket sockets and socket pairs can be "
		                "created, but connect, bind, listen and sendto are refused on "
		                "them too; datagram sockets are refused (sendmsg could "
		                "address any datagram socket file)"));
	}
	if (r->proxy_enforced)
		sbx_seccomp_proxy_describe(o, rules);
	json_object_set_new(o, "rules", rules);
	return o;
}

static unsigned char *program(struct sbx_ctx *ctx, const struct sbx_resolved *r, size_t *len)
{
	if (!sbx_seccomp_arch()) {
		arch_error(ctx);
		return NULL;
	}
	scmp_filter_ctx f = build(r);
	unsigned char *bpf = f ? export_bpf(f, len) : NULL;
	if (f)
		seccomp_release(f);
	if (!bpf)
		sbx_diag_emit(ctx, SBX_E0711, SBX_NO_SPAN,
		              "libseccomp could not build the seccomp filter for %s",
		              sbx_seccomp_arch());
	return bpf;
}

size_t sbx_seccomp_instructions(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	size_t len = 0;
	unsigned char *bpf = program(ctx, r, &len);
	free(bpf);
	return len / 8;
}

static enum sbx_status seccomp_check(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	(void)r;
	if (sbx_seccomp_arch())
		return SBX_OK;
	arch_error(ctx);
	return SBX_EUNSUPPORTED;
}

static enum sbx_status seccomp_emit(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                    const struct sbx_emit_opts *o, struct sbx_sink *sink)
{
	(void)o;
	size_t len = 0;
	unsigned char *bpf = program(ctx, r, &len);
	if (!bpf)
		return SBX_EUNSUPPORTED;
	enum sbx_status st = sbx_sink_put(ctx, sink, SBX_ART_SECCOMP_BPF, bpf, len);
	free(bpf);
	if (st == SBX_OK)
		st = sbx_sink_put_json(ctx, sink, SBX_ART_SECCOMP_JSON, describe(r, len / 8));
	return st;
}

const struct sbx_emitter sbx_emitter_seccomp = {
    .name = "seccomp",
    .backend = SBX_BACKEND_COUNT, /* shared by both Linux backends */
    .check = seccomp_check,
    .emit = seccomp_emit,
};
