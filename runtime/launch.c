/*
** launch.c: runs the command under bubblewrap and reports how it ended.
**
** sbxc spawns bubblewrap with this descriptor layout:
**
**   0 1 2        stdin, stdout, and a pipe that carries bubblewrap's own
**                messages back to sbxc (the inner stage restores the real
**                stderr before the command starts)
**   3 .. 3+k-1   /dev/null, one per `--ro-bind-data` of bwrap.args
**   3+k ..       the argument file (memfd, read by `--args`), the seccomp
**                program (memfd, read by `--seccomp`: bubblewrap installs
**                it in the command and in its own pid 1 inside the
**                sandbox), the status pipe, the real stderr, and sbxc's own
**                executable, which bubblewrap execs as /proc/self/fd/N to
**                start the inner stage (inner.c)
**
** Nothing else is inherited. The parent forwards SIGINT, SIGTERM, SIGHUP
** and SIGQUIT to bubblewrap, reads bubblewrap's messages until they end,
** waits, and turns what happened into an exit status: a message on the
** status pipe means the inner stage failed (E0716) or the command could
** not be executed (126/127); no sign of the inner stage means bubblewrap
** failed (E0703 when it was refused a user namespace, else E0704).
**
** While the sandbox runs, the entries its mounts depend on are watched
** (hostwatch.c): a change made outside it stops it (E0772, status 125).
**
** Synthetic mount targets (bwrap.json) are created by the launcher itself
** and held with a shared flock(2) while the sandbox runs. Afterwards a run
** removes one only if it can take the lock exclusively (no other sandbox
** has it mounted: removing a mount point from another namespace detaches
** that mount) and it is still empty, so concurrent runs in one repository
** never unprotect each other. Targets are created, chmod'ed and removed
** only through a descriptor of their parent directory, reached without
** following a symlink (a symlink on the way is E0708): the sandbox can
** rename the directories above a target while it runs, and the path would
** then lead sbxc somewhere else.
**
** The signal handlers need the child's pid: a file-level variable, the one
** piece of process state in the runtime.
*/
#include "path.h"
#include "rt_int.h"
#include "sbx_limits.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define BWRAP_STDERR_MAX (64u * 1024u)
#define NPROTO 5 /* args, seccomp, status, real stderr, exe */
#define NFAST 3  /* the fast path's: args, seccomp, bubblewrap's JSON status */
/* What bubblewrap writes on its --json-status-fd: two short lines. */
#define JSON_STATUS_MAX 4096u

extern char **environ;

static volatile sig_atomic_t forward_pid;

static void forward(int sig)
{
	if (forward_pid > 0)
		kill((pid_t)forward_pid, sig);
}

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define NFWD (sizeof forwarded / sizeof forwarded[0])

/* ---- synthetic mount targets ---- */

/* A synthetic target is only ever reached through a descriptor of its
** parent directory, opened without following a symlink anywhere on the way.
** It lies in a part of the filesystem the sandbox can write, so a sandbox
** (this run's command, or another one running at the same time) can rename
** the directories above it and put a symlink in their place; following the
** path again at cleanup would make sbxc, often root, remove or chmod
** whatever the symlink leads to. */
struct synth {
	const char *path, *name;
	bool dir, parent;
	int pfd;       /* the parent directory (O_PATH) */
	bool borrowed; /* pfd is an earlier sibling's: closed by that one */
	size_t owner;  /* the first target with the same parent (itself if none) */
	int fd;        /* held with LOCK_SH while the sandbox runs */
	bool created;  /* by this run */
};

static bool empty_dir(int fd)
{
	int dup = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dup >= 0 ? fdopendir(dup) : NULL;
	if (!d) {
		if (dup >= 0)
			close(dup);
		return false;
	}
	struct dirent *de;
	bool empty = true;
	while (empty && (de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = false;
	closedir(d);
	return empty;
}

/* Opens the directory `dir` (absolute, normalized) as O_PATH without
** following a symlink in any component. -1 with errno on failure; when a
** component is a symlink, *link names it. */
static int open_dir_nofollow(struct sbx_ctx *ctx, const char *dir, const char **link)
{
	*link = NULL;
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (const char *p = dir; fd >= 0 && *p;) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0)
			break;
		const char *comp = sbx_arena_strndup(&ctx->arena, p, n);
		int next = -1;
		if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0)
			errno = EINVAL; /* paths of artifacts are normalized */
		else
			next = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int err = errno;
		struct stat st;
		if (next < 0 && fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode))
			*link = sbx_arena_strndup(&ctx->arena, dir, (size_t)(p + n - dir));
		close(fd);
		fd = next;
		errno = err;
		p += n;
	}
	return fd;
}

/* Creates one target with its exact mode, or finds it. The mode is right
** from the moment the entry appears (no umask, no later chmod): another run
** that looks at it in between must see a mount point of sbxc's, which it
** then shares, never a directory or file to bind from (emitters/bwrap.c). */
static int synth_open(struct synth *s)
{
	if (s->dir) {
		mode_t mode = s->parent ? 0755 : SBX_SYNTH_DIR_MODE;
		mode_t old = umask(0);
		bool made = mkdirat(s->pfd, s->name, mode) == 0;
		umask(old);
		int fd = openat(s->pfd, s->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 && made)
			s->created = true;
		return fd;
	}
	mode_t old = umask(0);
	int fd = openat(s->pfd, s->name, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	                SBX_SYNTH_FILE_MODE);
	umask(old);
	if (fd >= 0) {
		s->created = true;
		return fd;
	}
	/* O_NONBLOCK: a FIFO put there must not make sbxc wait */
	fd = openat(s->pfd, s->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		errno = EEXIST;
		return -1;
	}
	return fd;
}

/* Is the entry `name` of the held parent still the held object? */
static bool synth_in_place(const struct synth *s, const struct stat *held)
{
	struct stat now;
	return fstatat(s->pfd, s->name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	       now.st_dev == held->st_dev && now.st_ino == held->st_ino;
}

/* Creates (or finds) one target and locks it shared; retries when another
** run removed it between the open and the lock. A "parent" is a missing
** directory above a target, made writable as the policy allows. Returns 0,
** an errno value, or -1 after E0708 (a symlink on the way). */
static int synth_hold(struct sbx_ctx *ctx, struct synth *s, const struct synth *owner)
{
	const char *link = NULL;
	/* siblings (.git, .agents, .codex of one root) share one descriptor of
	** their parent, opened by the first of them, which is released last */
	if (owner != s && owner->pfd >= 0) {
		s->pfd = owner->pfd;
		s->borrowed = true;
	} else {
		s->pfd = open_dir_nofollow(
		    ctx, sbx_path_parent(&ctx->arena, SBX_FLAVOR_POSIX, s->path), &link);
	}
	if (s->pfd < 0 && link) {
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_E0708, SBX_NO_SPAN,
		    "`%s` is a symlink: the mount point `%s` would be made where it leads",
		    sbx_diag_quote(ctx, link, strlen(link)),
		    sbx_diag_quote(ctx, s->path, strlen(s->path)));
		sbx_diag_help(ctx, d, "remove the symlink, or compile the artifacts again");
		return -1;
	}
	if (s->pfd < 0)
		return errno;
	s->name = sbx_path_basename(SBX_FLAVOR_POSIX, s->path);
	int err = EAGAIN;
	for (int tries = 0; tries < 8; tries++) {
		int fd = synth_open(s);
		if (fd < 0 && errno == ENOENT)
			continue; /* another run removed it between our mkdir and open */
		if (fd < 0)
			return errno;
		struct stat a;
		if (flock(fd, LOCK_SH) == 0 && fstat(fd, &a) == 0 && synth_in_place(s, &a)) {
			s->fd = fd;
			return 0;
		}
		err = errno ? errno : EAGAIN;
		close(fd);
	}
	return err;
}

/* Removes a target when no other run holds it, it is still empty, it is
** still where it was made (in the directory held since), and it is one sbxc
** made: by this run, or (a mount point, not a parent) one with the mode sbxc
** gives them, left by a run that could not remove it. */
static void synth_release(struct synth *s)
{
	if (s->fd >= 0) {
		struct stat st;
		if (flock(s->fd, LOCK_EX | LOCK_NB) == 0 && fstat(s->fd, &st) == 0 &&
		    synth_in_place(s, &st)) {
			mode_t mode = st.st_mode & 07777;
			bool ours = s->created ||
			            (!s->parent &&
			             mode == (s->dir ? SBX_SYNTH_DIR_MODE : SBX_SYNTH_FILE_MODE));
			if (ours && s->dir && empty_dir(s->fd))
				unlinkat(s->pfd, s->name, AT_REMOVEDIR);
			else if (ours && !s->dir && S_ISREG(st.st_mode) && st.st_size == 0)
				unlinkat(s->pfd, s->name, 0);
		}
		close(s->fd);
		s->fd = -1;
	}
	if (s->pfd >= 0 && !s->borrowed)
		close(s->pfd);
	s->pfd = -1;
}

static size_t synth_collect(struct sbx_ctx *ctx, const struct rt_artifacts *a, struct synth **out)
{
	json_t *list = json_object_get(a->bwrap, "synthetic_targets"), *v;
	size_t n = 0, i;
	*out = sbx_arena_alloc(&ctx->arena, (json_array_size(list) + 1) * sizeof **out);
	json_array_foreach(list, i, v)
	{
		const char *path = json_string_value(json_object_get(v, "path"));
		const char *kind = json_string_value(json_object_get(v, "kind"));
		bool parent = kind && strcmp(kind, "parent") == 0;
		if (path && kind && path[0] == '/' && path[1])
			(*out)[n++] = (struct synth){.path = path,
			                             .dir = parent || strcmp(kind, "dir") == 0,
			                             .parent = parent,
			                             .pfd = -1,
			                             .fd = -1};
	}
	return n;
}

/* ---- descriptors ---- */

static int memfd_with(const char *name, const void *data, size_t len)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		p += w;
		left -= (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Makes sure descriptors up to `top` can exist. */
static bool fd_budget(unsigned top)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return false;
	if (rl.rlim_cur > top + 16)
		return true;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max <= top + 16)
		return false;
	rl.rlim_cur = top + 64 < rl.rlim_max ? top + 64 : rl.rlim_max;
	return setrlimit(RLIMIT_NOFILE, &rl) == 0;
}

struct fds {
	int args, seccomp, status_r, status_w, err_r, err_w, real_err, exe, null;
};

static void fds_close(struct fds *f)
{
	int *all[] = {&f->args,  &f->seccomp,  &f->status_r, &f->status_w, &f->err_r,
	              &f->err_w, &f->real_err, &f->exe,      &f->null};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (*all[i] >= 0) {
			close(*all[i]);
			*all[i] = -1;
		}
}

static bool fds_open(const struct rt_artifacts *a, struct fds *f)
{
	int sp[2] = {-1, -1}, ep[2] = {-1, -1};
	f->args = memfd_with("sbxc-bwrap-args", a->bwrap_args->data, a->bwrap_args->len);
	f->seccomp = memfd_with("sbxc-seccomp", a->bpf->data, a->bpf->len);
	f->exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	f->real_err = fcntl(2, F_DUPFD_CLOEXEC, 3);
	f->null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	bool ok = pipe2(sp, O_CLOEXEC) == 0 && pipe2(ep, O_CLOEXEC) == 0;
	f->status_r = sp[0], f->status_w = sp[1], f->err_r = ep[0], f->err_w = ep[1];
	return ok && f->args >= 0 && f->seccomp >= 0 && f->exe >= 0 && f->real_err >= 0 &&
	       f->null >= 0;
}

/* ---- starting bubblewrap ---- */

/* Starts bubblewrap with the descriptor layout above. posix_spawn (a vfork)
** keeps the start cheap; every descriptor is first moved above the layout
** so that placing one cannot clobber another, and everything from there up
** is closed in the child. bubblewrap's --die-with-parent kills the sandbox
** if sbxc dies. bubblewrap gets a process group of its own, which its pid 1
** inside the sandbox inherits until --new-session: stopping the sandbox
** kills that pid 1 and the group (kill_sandbox()), since a pid 1 caught in
** its set-up does not always die with its parent. Returns the pid, or -1
** with *err set. */
static pid_t spawn(const struct fds *f, unsigned k, const char *bwrap, char **argv, int extra,
                   int *err)
{
	/* `extra` (proxy-only: the control socket) goes right after the layout */
	int hi = (int)(3 + k + NPROTO) + 1;
	int src[NPROTO + 2] = {f->args, f->seccomp, f->status_w, f->real_err,
	                       f->exe,  f->null,    f->err_w};
	int high[NPROTO + 2];
	pid_t pid = -1;
	int n = 0;
	*err = 0;
	for (; n < NPROTO + 2; n++)
		if ((high[n] = fcntl(src[n], F_DUPFD_CLOEXEC, hi)) < 0)
			break;
	int xhigh = extra >= 0 ? fcntl(extra, F_DUPFD_CLOEXEC, hi) : -1;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	if (n == NPROTO + 2 && posix_spawn_file_actions_init(&fa) == 0) {
		int rc = posix_spawnattr_init(&at);
		if (!rc)
			rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
		if (!rc)
			rc = posix_spawnattr_setpgroup(&at, 0);
		for (unsigned i = 0; i < k && !rc; i++)
			rc = posix_spawn_file_actions_adddup2(&fa, high[5], (int)(3 + i));
		for (int i = 0; i < NPROTO && !rc; i++)
			rc = posix_spawn_file_actions_adddup2(&fa, high[i], (int)(3 + k) + i);
		if (!rc)
			rc = posix_spawn_file_actions_adddup2(&fa, high[6], 2);
		if (!rc && extra >= 0)
			rc = xhigh < 0 ? EBADF
			               : posix_spawn_file_actions_adddup2(&fa, xhigh,
			                                                  (int)(3 + k + NPROTO));
		if (!rc)
			rc = posix_spawn_file_actions_addclosefrom_np(&fa, hi);
		if (!rc)
			rc = posix_spawn(&pid, bwrap, &fa, &at, argv, environ);
		if (rc) {
			*err = rc;
			pid = -1;
		}
		posix_spawnattr_destroy(&at);
		posix_spawn_file_actions_destroy(&fa);
	} else {
		*err = errno;
	}
	for (int i = 0; i < n; i++)
		close(high[i]);
	if (xhigh >= 0)
		close(xhigh);
	return pid;
}

/* ---- the fast path ---- */

/* Taken when the caller knows this run already set up on this machine
** (sbx_run_opts.known_good, or the test hook SBXC_TEST_KNOWN_GOOD=1) and the
** artifacts have no proxy bridge: the proxy-only mode keeps the inner stage,
** which creates the listeners inside the sandbox's network namespace.
**
** What the inner stage did, and how the fast path keeps it (bubblewrap
** 0.8.0's bubblewrap.c):
**   - private mounts: bubblewrap marks `/` MS_SLAVE|MS_REC in its mount
**     namespace, so a mount made on the host during the run would reach the
**     sandbox. The child that execs bubblewrap first enters a mount namespace
**     of its own and makes every mount in it private (a user namespace
**     first when it may not: the same uid and gid, mapped to themselves,
**     inside which bubblewrap nests its own). bubblewrap's namespace is
**     copied from that one: its mounts are private copies with no master,
**     and MS_SLAVE keeps a private mount private.
**   - no_new_privs: main() calls prctl(PR_SET_NO_NEW_PRIVS) right after
**     acquire_privs() and dies if it fails; every process it starts
**     inherits it.
**   - capabilities: `--cap-drop ALL` empties requested_caps; drop_privs()
**     -> drop_all_caps(keep_requested_caps) then sets exactly those (none)
**     before the exec, and switch_to_user_with_privs() empties the
**     bounding set. As root, drop_all_caps() ignores an EPERM from capset
**     (a seccomp filter around bubblewrap, such as systemd-nspawn's, may
**     refuse capset): so when sbxc runs as root under a seccomp filter
**     (PR_GET_SECCOMP), it tries a capset that changes nothing first, and
**     when the filter refuses it the inner stage, which checks what it
**     dropped, is used instead. (A filter cannot see capset's data, only
**     its pointers, so it refuses bubblewrap's call as it refuses this.)
**   - the seccomp filter: `--seccomp FD` is applied by
**     seccomp_programs_apply(), as the last step before execvp() of the
**     command and in do_init(), its pid 1; a failure is fatal in both.
**   - setup failure versus the command's status: with `--json-status-fd`,
**     report_child_exit_status() writes `"exit-code"` only when it reads
**     exactly one byte from setup_finished_pipe, which the child writes
**     after seccomp_programs_apply() and writes again when execvp() fails:
**     no `exit-code`, the command never ran (E0781, status 125). The child
**     closes the status descriptor right after clone(): the sandbox never
**     has it.
**   - 126/127: looked up before anything starts (cmdpath.c).
** bubblewrap writes its messages to the real stderr, and the launcher waits
** for its exit, not for the end of a pipe. */
static bool fast_path(const struct rt_artifacts *a, const struct sbx_run_opts *o)
{
	if (a->proxy)
		return false;
	const char *hook = getenv("SBXC_TEST_KNOWN_GOOD"); /* test-only: see above */
	if (!o->known_good && !(hook && strcmp(hook, "1") == 0))
		return false;
	if (geteuid() != 0 || prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 0)
		return true;
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof data);
	return syscall(SYS_capget, &hdr, data) == 0 && syscall(SYS_capset, &hdr, data) == 0;
}

static bool fds_open_fast(const struct rt_artifacts *a, struct fds *f)
{
	int sp[2] = {-1, -1};
	f->args = memfd_with("sbxc-bwrap-args", a->bwrap_args->data, a->bwrap_args->len);
	f->seccomp = memfd_with("sbxc-seccomp", a->bpf->data, a->bpf->len);
	f->null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	bool ok = pipe2(sp, O_CLOEXEC) == 0;
	f->status_r = sp[0], f->status_w = sp[1];
	return ok && f->args >= 0 && f->seccomp >= 0 && f->null >= 0;
}

/* Where the child that execs bubblewrap failed. */
enum fast_step {
	FAST_OK,
	FAST_PGROUP,
	FAST_UNSHARE,
	FAST_MAP,
	FAST_PRIVATE,
	FAST_DESCRIPTORS,
	FAST_EXEC,
	FAST_FORK,
};

static const char *const fast_step_name[] = {
    [FAST_PGROUP] = "setpgid",
    [FAST_UNSHARE] = "unshare",
    [FAST_MAP] = "writing its uid and gid maps",
    [FAST_PRIVATE] = "making its mounts private",
    [FAST_DESCRIPTORS] = "placing the descriptors",
    [FAST_EXEC] = "execve",
    [FAST_FORK] = "vfork",
};

static bool write_small(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	size_t n = strlen(text);
	bool ok = write(fd, text, n) == (ssize_t)n;
	int err = errno;
	close(fd);
	errno = err;
	return ok;
}

struct fast_child {
	const char *bwrap;
	char **argv;
	int high[NFAST + 1]; /* args, seccomp, status, /dev/null: above the layout */
	unsigned k;
	char uid_map[40], gid_map[40];
	sigset_t mask; /* to restore before the exec */
	volatile int step, err;
};

/* The vfork child: it shares the parent's memory (which waits) until it
** execs, so it only makes system calls and reports a failure in c. */
static _Noreturn void fast_child_run(struct fast_child *c)
{
	int top = (int)(3 + c->k + NFAST);
	if (setpgid(0, 0) != 0) {
		c->step = FAST_PGROUP;
		goto fail;
	}
	/* root (or a process with CAP_SYS_ADMIN) needs no user namespace */
	if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
			c->step = FAST_UNSHARE;
			goto fail;
		}
		if (!write_small("/proc/self/setgroups", "deny") ||
		    !write_small("/proc/self/uid_map", c->uid_map) ||
		    !write_small("/proc/self/gid_map", c->gid_map)) {
			c->step = FAST_MAP;
			goto fail;
		}
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		c->step = FAST_PRIVATE;
		goto fail;
	}
	for (unsigned i = 0; i < c->k; i++)
		if (dup2(c->high[NFAST], (int)(3 + i)) < 0) {
			c->step = FAST_DESCRIPTORS;
			goto fail;
		}
	for (int i = 0; i < NFAST; i++)
		if (dup2(c->high[i], (int)(3 + c->k) + i) < 0) {
			c->step = FAST_DESCRIPTORS;
			goto fail;
		}
	/* everything else (sbxc's caller may have left descriptors open) */
	if (close_range((unsigned)top, ~0u, 0) != 0) {
		c->step = FAST_DESCRIPTORS;
		goto fail;
	}
	sigprocmask(SIG_SETMASK, &c->mask, NULL);
	execve(c->bwrap, c->argv, environ);
	c->step = FAST_EXEC;
fail:
	c->err = errno;
	_exit(SBX_RT_EXIT_SANDBOX);
}

/* Starts bubblewrap on the fast path: a vfork child (cheap, like
** posix_spawn) in a process group of its own, which enters the private
** mount namespace, places 3 .. 3+k-1 /dev/null, then the argument file,
** the seccomp program and the write end of the JSON status pipe, closes
** everything else and execs bubblewrap. Returns the pid, or -1 with *step
** and *err set. */
static pid_t spawn_fast(const struct fds *f, unsigned k, const char *bwrap, char **argv, int *step,
                        int *err)
{
	struct fast_child c;
	memset(&c, 0, sizeof c);
	c.bwrap = bwrap;
	c.argv = argv;
	c.k = k;
	snprintf(c.uid_map, sizeof c.uid_map, "%u %u 1\n", (unsigned)geteuid(),
	         (unsigned)geteuid());
	snprintf(c.gid_map, sizeof c.gid_map, "%u %u 1\n", (unsigned)getegid(),
	         (unsigned)getegid());
	int hi = (int)(3 + k + NFAST);
	int src[NFAST + 1] = {f->args, f->seccomp, f->status_w, f->null};
	int n = 0;
	for (; n < NFAST + 1; n++)
		if ((c.high[n] = fcntl(src[n], F_DUPFD_CLOEXEC, hi)) < 0)
			break;
	pid_t pid = -1;
	*step = FAST_OK;
	*err = 0;
	if (n == NFAST + 1) {
		sigset_t all;
		sigfillset(&all);
		sigprocmask(SIG_SETMASK, &all, &c.mask);
		pid = vfork();
		if (pid == 0)
			fast_child_run(&c);
		int verr = errno;
		sigprocmask(SIG_SETMASK, &c.mask, NULL);
		if (pid < 0) {
			*step = FAST_FORK;
			*err = verr;
		} else if (c.step != FAST_OK) {
			int st;
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			*step = c.step;
			*err = c.err;
			pid = -1;
		}
	} else {
		*step = FAST_DESCRIPTORS;
		*err = errno;
	}
	for (int i = 0; i < n; i++)
		close(c.high[i]);
	return pid;
}

static const char *num(struct sbx_ctx *ctx, unsigned v)
{
	return sbx_arena_printf(&ctx->arena, "%u", v);
}

/* bwrap --args A --seccomp S [--argv0 sbxc] --chdir CWD -- /proc/self/fd/E
** exec --inner-stage P R E -- CMD...
** or, on the fast path:
** bwrap --args A --seccomp S --json-status-fd J --cap-drop ALL --chdir CWD
** -- CMD... */
static char **build_argv(struct sbx_ctx *ctx, const struct sbx_bwrap_found *bw,
                         const struct sbx_run_opts *o, unsigned k, bool fast)
{
	size_t n = 0, cmdc = 0;
	while (o->argv[cmdc])
		cmdc++;
	char **v = sbx_arena_alloc(&ctx->arena, (cmdc + 20) * sizeof *v);
	unsigned base = 3 + k;
	v[n++] = (char *)bw->path;
	v[n++] = "--args";
	v[n++] = (char *)num(ctx, base);
	v[n++] = "--seccomp"; /* also for bubblewrap's own pid 1 in the sandbox */
	v[n++] = (char *)num(ctx, base + 1);
	if (fast) {
		v[n++] = "--json-status-fd";
		v[n++] = (char *)num(ctx, base + 2);
		v[n++] = "--cap-drop";
		v[n++] = "ALL";
		v[n++] = "--chdir";
		v[n++] = (char *)o->cwd;
		v[n++] = "--";
		for (size_t i = 0; i < cmdc; i++)
			v[n++] = o->argv[i];
		v[n] = NULL;
		return v;
	}
	if (bw->argv0) {
		v[n++] = "--argv0";
		v[n++] = "sbxc";
	}
	v[n++] = "--chdir";
	v[n++] = (char *)o->cwd;
	v[n++] = "--";
	v[n++] = (char *)sbx_arena_printf(&ctx->arena, "/proc/self/fd/%u", base + 4);
	v[n++] = "exec";
	v[n++] = SBX_INNER_STAGE_FLAG;
	for (unsigned i = 2; i <= 4; i++)
		v[n++] = (char *)num(ctx, base + i);
	v[n++] = "--";
	for (size_t i = 0; i < cmdc; i++)
		v[n++] = o->argv[i];
	v[n] = NULL;
	return v;
}

/* ---- the parent ---- */

struct outcome {
	int wstatus;
	unsigned char rec[16];
	size_t nrec;
	struct sbx_strbuf err; /* bubblewrap's messages */
};

static void drain(int fd, struct sbx_strbuf *sb, size_t max)
{
	char buf[4096];
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		if (sb->len < max)
			sbx_sb_add(sb, buf, (size_t)r < max - sb->len ? (size_t)r : max - sb->len);
	}
}

/* Kills bubblewrap's children (its pid 1 in the sandbox: killing it takes
** the whole pid namespace), then its process group. The pid 1 leaves the
** group (`--new-session`, setsid() in bubblewrap) before it binds its life
** to bubblewrap's (PR_SET_PDEATHSIG in do_init()): killed in between, the
** group alone would leave it running its command. The children are read
** from /proc while bubblewrap, their parent, still holds them. */
static void kill_sandbox(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	for (char *p = buf, *end; *p; p = end) {
		long child = strtol(p, &end, 10);
		if (end == p)
			break;
		if (child > 1)
			kill((pid_t)child, SIGKILL);
	}
	kill(-pid, SIGKILL);
}

/* Reads bubblewrap's messages until it exits, and kills the sandbox as soon
** as the host changes an entry one of its mounts depends on (hostwatch.c).
** The end is bubblewrap's exit (a pidfd), not the end of its stderr, which
** its pid 1 in the sandbox holds a little longer: everything bubblewrap
** wrote before it exited is in the pipe by then and read without waiting.
** Without pidfd_open (Linux < 5.3) it reads until the end. Returns whether
** it stopped the sandbox. */
static bool drain_watching(struct sbx_ctx *ctx, pid_t pid, int err_r, struct rt_watch *w,
                           struct sbx_strbuf *sb)
{
	bool stopped = false;
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd pf[3] = {{.fd = err_r, .events = POLLIN},
	                       {.fd = rt_watch_fd(w), .events = POLLIN},
	                       {.fd = pidfd, .events = POLLIN}};
	for (;;) {
		if (poll(pf, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			drain(err_r, sb, BWRAP_STDERR_MAX); /* cannot wait for both: fail closed */
			break;
		}
		if (pf[1].fd >= 0 && (pf[1].revents & POLLIN) && rt_watch_changed(ctx, w)) {
			kill_sandbox(pid);
			stopped = true;
			pf[1].fd = -1;
		}
		if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			char buf[4096];
			ssize_t r = read(err_r, buf, sizeof buf);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			if (sb->len < BWRAP_STDERR_MAX)
				sbx_sb_add(sb, buf,
				           (size_t)r < BWRAP_STDERR_MAX - sb->len
				               ? (size_t)r
				               : BWRAP_STDERR_MAX - sb->len);
			continue; /* the messages first, then the exit */
		}
		if (pf[2].fd >= 0 && (pf[2].revents & POLLIN)) {
			/* it exited: what it wrote is in the pipe, its pid 1 writes nothing */
			int fl = fcntl(err_r, F_GETFL);
			fcntl(err_r, F_SETFL, fl | O_NONBLOCK);
			drain(err_r, sb, BWRAP_STDERR_MAX);
			break;
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	/* a change seen only now happened while the command ran */
	if (!stopped && rt_watch_changed(ctx, w))
		stopped = true;
	return stopped;
}

/* Forwards SIGINT, SIGTERM, SIGHUP and SIGQUIT to PID until reap(). */
static void forward_to(pid_t pid, struct sigaction old[NFWD])
{
	struct sigaction sa = {.sa_handler = forward};
	sigemptyset(&sa.sa_mask);
	forward_pid = pid;
	for (size_t i = 0; i < NFWD; i++)
		sigaction(forwarded[i], &sa, &old[i]);
}

/* Waits for PID and restores the signal handlers forward_to() replaced. */
static void reap(pid_t pid, struct outcome *out, const struct sigaction old[NFWD])
{
	while (waitpid(pid, &out->wstatus, 0) < 0 && errno == EINTR)
		;
	forward_pid = 0;
	for (size_t i = 0; i < NFWD; i++)
		sigaction(forwarded[i], &old[i], NULL);
}

static bool wait_child(struct sbx_ctx *ctx, pid_t pid, struct fds *f, struct rt_watch *w,
                       struct outcome *out)
{
	struct sigaction old[NFWD];
	forward_to(pid, old);
	bool stopped = drain_watching(ctx, pid, f->err_r, w, &out->err);
	reap(pid, out, old);
	fcntl(f->status_r, F_SETFL, O_NONBLOCK);
	ssize_t r;
	while (out->nrec < sizeof out->rec &&
	       (r = read(f->status_r, out->rec + out->nrec, sizeof out->rec - out->nrec)) > 0)
		out->nrec += (size_t)r;
	return stopped;
}

/* Reads what bubblewrap wrote on its JSON status descriptor: once (after
** poll said so) or, with drain, all there is without waiting. Returns false
** at its end. */
static bool read_json(int json_r, struct outcome *out, bool drain)
{
	int fl = fcntl(json_r, F_GETFL);
	if (drain)
		fcntl(json_r, F_SETFL, fl | O_NONBLOCK);
	char buf[512];
	ssize_t r;
	for (;;) {
		r = read(json_r, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (out->err.len < JSON_STATUS_MAX)
			sbx_sb_add(&out->err, buf, (size_t)r);
		if (!drain)
			break;
	}
	if (drain)
		fcntl(json_r, F_SETFL, fl);
	return r > 0;
}

/* Stops a fast-path sandbox: bubblewrap's process group, and its pid 1 in
** the sandbox, whose pid bubblewrap reported (`child-pid`) before letting
** it run. The pid 1 leaves the group (`--new-session`) before it is bound
** to bubblewrap's life (PR_SET_PDEATHSIG in do_init()), so killing the
** group alone can miss it; killing it takes its whole pid namespace. */
static void stop_fast(pid_t pid, int json_r, struct outcome *out)
{
	read_json(json_r, out, true);
	static const char key[] = "\"child-pid\":";
	const char *p = out->err.len ? strstr(out->err.buf, key) : NULL;
	long child = p ? strtol(p + sizeof key - 1, NULL, 10) : 0;
	if (child > 1)
		kill((pid_t)child, SIGKILL);
	kill_sandbox(pid);
}

/* The fast path's wait: for bubblewrap's exit, stopping the sandbox as soon
** as the host changes an entry one of its mounts depends on. The write end
** of the JSON status pipe is held by bubblewrap's monitor process only (its
** child closes it at once), so its end is bubblewrap's end; without a watch
** the launcher simply waits for the exit. Returns whether it stopped it. */
static bool wait_fast(struct sbx_ctx *ctx, pid_t pid, int json_r, struct rt_watch *w,
                      struct outcome *out)
{
	struct sigaction old[NFWD];
	forward_to(pid, old);
	bool stopped = false;
	struct pollfd pf[2] = {{.fd = json_r, .events = POLLIN},
	                       {.fd = rt_watch_fd(w), .events = POLLIN}};
	while (pf[1].fd >= 0) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break; /* cannot watch: the last check below still runs */
		}
		if ((pf[1].revents & POLLIN) && rt_watch_changed(ctx, w)) {
			stop_fast(pid, json_r, out);
			stopped = true;
			pf[1].fd = -1;
		}
		if ((pf[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    !read_json(json_r, out, false))
			break; /* its end: bubblewrap exited */
	}
	reap(pid, out, old);
	read_json(json_r, out, true);
	/* a change seen only now happened while the command ran */
	if (!stopped && rt_watch_changed(ctx, w))
		stopped = true;
	return stopped;
}

/* sbx_run_opts.set_up (runtime.h): the caller's options are not const
** there, only in the runtime's signatures. Never set after an `S` record:
** a bubblewrap that did not install the filter must not become known good,
** or the fast path (which has no inner stage to check) would trust it. */
static void mark_set_up(const struct sbx_run_opts *o)
{
	((struct sbx_run_opts *)o)->set_up = true;
}

static int rec_int(const struct outcome *o, size_t at)
{
	int v = 0;
	if (at + sizeof v <= o->nrec)
		memcpy(&v, o->rec + at, sizeof v);
	return v;
}

/* bubblewrap's messages as notes, one per line. */
static void bwrap_said(struct sbx_ctx *ctx, struct sbx_diag *d, const struct sbx_strbuf *err)
{
	const char *p = err->buf;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n)
			sbx_diag_note(ctx, d, SBX_NO_SPAN, "bubblewrap said: %s",
			              sbx_diag_quote(ctx, p, n));
		p += n + (e ? 1 : 0);
	}
}

static bool userns_refused(const char *msg)
{
	static const char *const signs[] = {
	    "setting up uid map",
	    "No permissions to creat",
	    "Creating new namespace failed",
	    "unprivileged_userns_clone",
	    "max_user_namespaces",
	    "user namespace",
	    "Failed RTM_NEWADDR",
	    "RTM_NEWLINK",
	};
	for (size_t i = 0; i < sizeof signs / sizeof signs[0]; i++)
		if (strstr(msg, signs[i]))
			return true;
	return false;
}

static int bwrap_failed(struct sbx_ctx *ctx, const struct sbx_bwrap_found *bw,
                        const struct outcome *o)
{
	struct sbx_diag *d;
	if (userns_refused(o->err.buf)) {
		d = sbx_diag_emit(ctx, SBX_E0703, SBX_NO_SPAN,
		                  "bubblewrap cannot create a user namespace on this machine");
		bwrap_said(ctx, d, &o->err);
		sbx_diag_help(ctx, d,
		              "allow unprivileged user namespaces: `sysctl -w "
		              "kernel.unprivileged_userns_clone=1` (Debian), `sysctl -w "
		              "user.max_user_namespaces=15000`, or on Ubuntu `sysctl -w "
		              "kernel.apparmor_restrict_unprivileged_userns=0`; in a container, "
		              "start it with user namespaces allowed");
		sbx_diag_help(ctx, d,
		              "or use a profile that Landlock can enforce "
		              "(`--linux-backend landlock`)");
	} else {
		d = sbx_diag_emit(ctx, SBX_E0704, SBX_NO_SPAN,
		                  "bubblewrap `%s` failed to set up the sandbox",
		                  sbx_diag_quote(ctx, bw->path, strlen(bw->path)));
		bwrap_said(ctx, d, &o->err);
		if (strstr(o->err.buf, "execvp /proc/self/fd/"))
			sbx_diag_help(ctx, d,
			              "sbxc's inner stage could not start inside the sandbox: "
			              "the profile hides the dynamic loader or the libraries it "
			              "needs; grant `\":minimal\" = \"read\"`");
		if (WIFEXITED(o->wstatus) && !o->err.len)
			sbx_diag_note(ctx, d, SBX_NO_SPAN,
			              "it exited with status %d and no message",
			              WEXITSTATUS(o->wstatus));
	}
	return SBX_RT_EXIT_SANDBOX;
}

static int conclude(struct sbx_ctx *ctx, const struct sbx_bwrap_found *bw,
                    const struct sbx_run_opts *opts, struct outcome *o)
{
	if (o->nrec == 0 || o->rec[0] != 'I')
		return bwrap_failed(ctx, bw, o);
	/* bubblewrap finished its setup, and so did the inner stage. Not when
	** the command could not be executed inside ('E'): the fast path would
	** only see a bubblewrap that stopped (E0781), so such a run is not
	** recorded as known good and stays on this path, which says 126/127 */
	bool stage_failed = o->nrec >= 10 && o->rec[1] == 'S';
	bool exec_failed = o->nrec >= 6 && o->rec[1] == 'E';
	if (!stage_failed && !exec_failed)
		mark_set_up(opts);
	if (o->err.len) /* bubblewrap warned after the start: pass it on */
		fwrite(o->err.buf, 1, o->err.len, stderr);
	if (o->nrec >= 10 && o->rec[1] == 'S') {
		int err = rec_int(o, 6), stage = rec_int(o, 2);
		struct sbx_diag *d = err ? sbx_diag_emit(ctx, SBX_E0716, SBX_NO_SPAN,
		                                         "the sandboxed process could not %s: %s",
		                                         rt_inner_stage_name(stage), strerror(err))
		                         : sbx_diag_emit(ctx, SBX_E0716, SBX_NO_SPAN,
		                                         "the sandboxed process could not %s",
		                                         rt_inner_stage_name(stage));
		if (rt_inner_stage_help(stage))
			sbx_diag_help(ctx, d, "%s", rt_inner_stage_help(stage));
		return SBX_RT_EXIT_SANDBOX;
	}
	if (o->nrec >= 6 && o->rec[1] == 'E')
		return rt_exec_failed(ctx, opts->argv[0], rec_int(o, 2), true);
	sbx_runtime_status_line(opts, "started"); /* and ran: its own status follows */
	if (WIFSIGNALED(o->wstatus))
		return 128 + WTERMSIG(o->wstatus);
	return WEXITSTATUS(o->wstatus);
}

/* The command's exit code as bubblewrap reported it on --json-status-fd,
** or -1 when it reported none: its setup did not finish or the command
** could not be executed. */
static int json_exit_code(const struct sbx_strbuf *sb)
{
	static const char key[] = "\"exit-code\":";
	const char *p = sb->len ? strstr(sb->buf, key) : NULL;
	if (!p)
		return -1;
	char *end;
	long v = strtol(p + sizeof key - 1, &end, 10);
	return end != p + sizeof key - 1 && v >= 0 && v <= 255 ? (int)v : -1;
}

static int conclude_fast(struct sbx_ctx *ctx, const struct sbx_bwrap_found *bw,
                         const struct sbx_run_opts *opts, const struct outcome *o)
{
	int code = json_exit_code(&o->err);
	if (code >= 0) {
		mark_set_up(opts);
		sbx_runtime_status_line(opts, "started"); /* and ran: its own status follows */
		return code;
	}
	if (WIFSIGNALED(o->wstatus)) /* a signal sbxc forwarded, or one sent to it */
		return 128 + WTERMSIG(o->wstatus);
	const char *cmd = opts->argv[0];
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0781, SBX_NO_SPAN,
	                                   "bubblewrap `%s` stopped before the command started",
	                                   sbx_diag_quote(ctx, bw->path, strlen(bw->path)));
	sbx_diag_note(ctx, d, SBX_NO_SPAN,
	              "it could not set up the sandbox, or could not execute `%s` inside it "
	              "(the profile may hide it); its own message, if any, is above",
	              sbx_diag_quote(ctx, cmd, strlen(cmd)));
	if (WIFEXITED(o->wstatus))
		sbx_diag_note(ctx, d, SBX_NO_SPAN, "it exited with status %d",
		              WEXITSTATUS(o->wstatus));
	sbx_diag_help(ctx, d,
	              "this run had set up on this machine before, so it skipped the checks "
	              "that explain such a failure; it no longer counts as known to work here, "
	              "and the next run explains it");
	return SBX_RT_EXIT_SANDBOX;
}

static int fast_failed(struct sbx_ctx *ctx, const struct sbx_bwrap_found *bw, int step, int err)
{
	if (step == FAST_EXEC || step == FAST_FORK || step == FAST_DESCRIPTORS) {
		sbx_diag_emit(ctx, SBX_E0704, SBX_NO_SPAN, "cannot execute bubblewrap `%s`: %s: %s",
		              sbx_diag_quote(ctx, bw->path, strlen(bw->path)), fast_step_name[step],
		              strerror(err));
		return SBX_RT_EXIT_SANDBOX;
	}
	struct sbx_diag *d = sbx_diag_emit(
	    ctx, SBX_E0717, SBX_NO_SPAN,
	    "cannot prepare the sandbox: a private mount namespace to start bubblewrap in: %s: %s",
	    fast_step_name[step], strerror(err));
	sbx_diag_note(ctx, d, SBX_NO_SPAN,
	              "without it a filesystem mounted on this machine while the command runs "
	              "(removable media, an automount) would appear in the sandbox");
	sbx_diag_help(ctx, d,
	              "allow unprivileged user namespaces (bubblewrap needs them too): `sysctl -w "
	              "kernel.unprivileged_userns_clone=1` (Debian), `sysctl -w "
	              "user.max_user_namespaces=15000`, or on Ubuntu `sysctl -w "
	              "kernel.apparmor_restrict_unprivileged_userns=0`");
	return SBX_RT_EXIT_SANDBOX;
}

static int os_error(struct sbx_ctx *ctx, const char *what, int err)
{
	sbx_diag_emit(ctx, SBX_E0717, SBX_NO_SPAN, "cannot prepare the sandbox: %s: %s", what,
	              strerror(err));
	return SBX_RT_EXIT_SANDBOX;
}

int rt_launch_bwrap(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                    const struct sbx_bwrap_found *bw, const struct sbx_run_opts *o)
{
	unsigned k = a->data_fds;
	bool fast = fast_path(a, o);
	if (fast) { /* bubblewrap's execvp() failing would look like a setup failure */
		int err = rt_lookup_command(o->argv[0], o->cwd);
		if (err)
			return rt_exec_failed(ctx, o->argv[0], err, false);
	}
	struct synth *syn;
	size_t nsyn = synth_collect(ctx, a, &syn);
	/* each synthetic target is held with a descriptor while the sandbox
	** runs, and so is its parent (one for all its siblings, synth_hold) */
	size_t held = nsyn;
	json_t *parents = json_object();
	for (size_t i = 0; i < nsyn; i++) {
		const char *parent = sbx_path_parent(&ctx->arena, SBX_FLAVOR_POSIX, syn[i].path);
		json_t *first = json_object_get(parents, parent);
		syn[i].owner = first ? (size_t)json_integer_value(first) : i;
		if (!first) {
			json_object_set_new(parents, parent, json_integer((json_int_t)i));
			held++;
		}
	}
	json_decref(parents);
	if (held > (1u << 30) || !fd_budget(3 + k + NPROTO + 9 + (unsigned)held))
		return os_error(ctx, "too many masks for the open-file limit", EMFILE);
	char **argv = build_argv(ctx, bw, o, k, fast);
	/* counted as the diagnosing path passes them, on both paths: whether a
	** run fits must not depend on whether it was a hit of the run cache */
	char **counted = fast ? build_argv(ctx, bw, o, k, false) : argv;
	size_t words = 0;
	for (size_t i = 0; i < a->bwrap_args->len; i++)
		words += a->bwrap_args->data[i] == 0;
	for (char **v = counted + 1; *v; v++)
		words++;
	if (words > SBX_MAX_BWRAP_WORDS) {
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_E0015, SBX_NO_SPAN,
		    "bubblewrap would get %zu arguments, more than %u (SBX_MAX_BWRAP_WORDS)", words,
		    SBX_MAX_BWRAP_WORDS);
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "bubblewrap refuses more, counting its argument file and the command "
		              "with its arguments");
		sbx_diag_help(ctx, d, "pass the command fewer arguments (xargs can split them)");
		return SBX_RT_EXIT_SANDBOX;
	}
	struct fds f = {-1, -1, -1, -1, -1, -1, -1, -1, -1};
	if (!(fast ? fds_open_fast(a, &f) : fds_open(a, &f))) {
		int err = errno;
		fds_close(&f);
		return os_error(ctx, "descriptors", err);
	}
	if (rt_check_mount_symlinks(ctx, a) != SBX_OK) {
		fds_close(&f);
		return SBX_RT_EXIT_SANDBOX;
	}
	for (size_t i = 0; i < nsyn; i++) {
		int err = synth_hold(ctx, &syn[i], &syn[syn[i].owner]);
		if (err) {
			for (size_t j = i + 1; j-- > 0;)
				synth_release(&syn[j]);
			fds_close(&f);
			if (err < 0)
				return SBX_RT_EXIT_SANDBOX;
			return os_error(
			    ctx,
			    sbx_arena_printf(&ctx->arena, "mount target `%s`",
			                     sbx_diag_quote(ctx, syn[i].path, strlen(syn[i].path))),
			    err);
		}
	}
	struct rt_watch *watch = NULL;
	struct rt_proxy px;
	bool watching = rt_watch_start(ctx, a, &watch) == SBX_OK;
	if (!watching || rt_proxy_prepare(ctx, a, o->tinyproxy, &px) != SBX_OK) {
		rt_watch_free(watch);
		for (size_t j = nsyn; j-- > 0;)
			synth_release(&syn[j]);
		fds_close(&f);
		return SBX_RT_EXIT_SANDBOX;
	}
	if (px.active)
		setenv(RT_PROXY_CTL_ENV, num(ctx, 3 + k + NPROTO), 1);
	fflush(NULL);
	int err, step = FAST_OK;
	pid_t pid = fast ? spawn_fast(&f, k, bw->path, argv, &step, &err)
	                 : spawn(&f, k, bw->path, argv, px.active ? px.ctl[1] : -1, &err);
	unsetenv(RT_PROXY_CTL_ENV);
	struct fds mine = {.status_r = f.status_r, .err_r = f.err_r};
	f.status_r = f.err_r = -1;
	fds_close(&f); /* the child's ends */
	if (px.active) {
		close(px.ctl[1]);
		px.ctl[1] = -1;
		if (pid > 0 && rt_proxy_start(ctx, &px) != SBX_OK)
			kill(pid, SIGKILL); /* the inner stage would wait for its listeners */
	}
	struct outcome out = {.err = SBX_STRBUF_INIT};
	int status;
	if (pid < 0 && fast) {
		status = fast_failed(ctx, bw, step, err);
	} else if (pid < 0) {
		sbx_diag_emit(ctx, SBX_E0704, SBX_NO_SPAN, "cannot execute bubblewrap `%s`: %s",
		              sbx_diag_quote(ctx, bw->path, strlen(bw->path)), strerror(err));
		status = SBX_RT_EXIT_SANDBOX;
	} else if (fast) {
		bool stopped = wait_fast(ctx, pid, mine.status_r, watch, &out);
		status = stopped ? SBX_RT_EXIT_SANDBOX : conclude_fast(ctx, bw, o, &out);
	} else {
		bool stopped = wait_child(ctx, pid, &mine, watch, &out);
		status = stopped ? SBX_RT_EXIT_SANDBOX : conclude(ctx, bw, o, &out);
	}
	rt_watch_free(watch);
	rt_proxy_finish(&px);           /* the bridge and tinyproxy end with the command */
	for (size_t i = nsyn; i-- > 0;) /* deepest first: parents last */
		synth_release(&syn[i]);
	close(mine.status_r);
	if (mine.err_r >= 0)
		close(mine.err_r);
	sbx_sb_release(&out.err);
	return status;
}

/* ---- --dry-run ---- */

void rt_put_word(FILE *out, const char *w)
{
	bool plain = *w != 0;
	for (const char *p = w; *p; p++)
		if (!strchr(
		        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=+,@%",
		        *p))
			plain = false;
	if (plain) {
		fputs(w, out);
		return;
	}
	fputc('\'', out);
	for (const char *p = w; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", out);
		else
			fputc(*p, out);
	}
	fputc('\'', out);
}

void rt_print_bwrap(struct sbx_ctx *ctx, FILE *out, const struct rt_artifacts *a,
                    const struct sbx_bwrap_found *bw, const struct sbx_run_opts *o)
{
	unsigned k = a->data_fds, base = 3 + k;
	bool fast = fast_path(a, o);
	fprintf(out, "bwrap: %s (--argv0 %s)\n", bw->path,
	        bw->argv0 ? "supported" : "not supported");
	if (fast)
		fputs("launch: fast path (no inner stage; bubblewrap starts in a private mount "
		      "namespace)\n",
		      out);
	fputs("argv:", out);
	for (char **v = build_argv(ctx, bw, o, k, fast); *v; v++) {
		fputc(' ', out);
		rt_put_word(out, *v);
	}
	fputs("\ndescriptors:", out);
	if (k)
		fprintf(out, " %u-%u /dev/null (one per --ro-bind-data),", 3, base - 1);
	if (fast)
		fprintf(out,
		        " %u the argument file, %u the seccomp program (read by bubblewrap), %u "
		        "bubblewrap's JSON status\n",
		        base, base + 1, base + 2);
	else
		fprintf(
		    out,
		    " %u the argument file, %u the seccomp program (read by bubblewrap), %u the "
		    "status pipe, %u stderr, %u sbxc\n",
		    base, base + 1, base + 2, base + 3, base + 4);
	fprintf(out, "argument file (--args %u):\n ", base);
	const unsigned char *p = a->bwrap_args->data, *end = p + a->bwrap_args->len;
	while (p < end) {
		const char *w = (const char *)p;
		fputs(w[0] == '-' && w[1] == '-' && p != a->bwrap_args->data ? "\n " : "", out);
		fputc(' ', out);
		rt_put_word(out, w);
		p += strlen(w) + 1;
	}
	fputc('\n', out);
}
