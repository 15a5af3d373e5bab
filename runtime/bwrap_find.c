/*
** bwrap_find.c: finds bubblewrap and learns what it supports.
**
** Discovery (rt_bwrap_find, which runs nothing): an explicit --bwrap FILE,
** else the first `bwrap` in an absolute PATH entry that is not inside the
** working directory and whose real path is not either (a repository could
** ship its own "bwrap", or a symlink to one elsewhere), unless the working
** directory is `/`. Relative entries (`.`, an empty entry, `bin`, `..`) are
** skipped: they name a directory relative to wherever sbxc happens to be
** started, which need not be the working directory given with -C, and a
** sandbox may have written there.
**
** Then, once the artifacts are known (rt_bwrap_vet), before anything runs
** the binary: neither it nor a PATH entry searched on the way to it may be
** one the sandbox could change (bwrap_trust.c: E0770, E0771). Only then is
** it probed with `bwrap --help`: it must mention `--perms` (the masks need
** it), and `--argv0` (bubblewrap >= 0.9; Debian 12 has 0.8.0) is used when
** there.
**
** The probe costs a process start, which is a sizeable part of a sandbox
** start, so its answer is remembered per binary in
** $XDG_CACHE_HOME/sbxc/bwrap-probe (else ~/.cache/sbxc/bwrap-probe), keyed
** by path, device, inode, size, mtime and ctime: replacing the binary
** changes the key and the probe runs again. A stale answer cannot weaken
** anything: bubblewrap itself rejects an option it lacks (E0704). No
** directory below $XDG_CACHE_HOME (or $HOME) is followed through a symlink
** (a sandbox that can write the home directory could aim it anywhere), and
** the cache is neither read nor written when the sandbox to be started
** could write it.
*/
#include "path.h"
#include "rt_int.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROBE_OUTPUT_MAX (256u * 1024u)

static bool executable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static bool inside(const char *dir, const char *path)
{
	return strcmp(dir, "/") != 0 && sbx_path_is_prefix(SBX_FLAVOR_POSIX, dir, path);
}

/* The first bwrap in an absolute PATH entry outside cwd (its real path), or
** NULL. */
static char *search_path(struct sbx_ctx *ctx, const char *cwd)
{
	const char *path = getenv("PATH");
	if (!path)
		return NULL;
	sbx_fs_seen(ctx, cwd, SBX_FS_RESOLVE); /* the run cache records the search */
	char *real_cwd = sbx_realpath(cwd);
	char *found = NULL;
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	for (const char *p = path; !found;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		sbx_sb_reset(&sb);
		sbx_sb_add(&sb, p, n);
		sbx_sb_adds(&sb, "/bwrap");
		if (n && p[0] == '/')
			sbx_fs_seen(ctx, sb.buf, SBX_FS_RESOLVE);
		char *real =
		    n && p[0] == '/' && executable_file(sb.buf) ? sbx_realpath(sb.buf) : NULL;
		/* the entry itself inside cwd: a symlink planted there may lead out */
		sbx_sb_truncate(&sb, n);
		if (real)
			sbx_fs_seen(ctx, sb.buf, SBX_FS_RESOLVE);
		char *real_entry = real ? sbx_realpath(sb.buf) : NULL;
		const char *c = real_cwd ? real_cwd : cwd;
		bool entry_inside = inside(c, sb.buf) || (real_entry && inside(c, real_entry));
		free(real_entry);
		if (real && !entry_inside && !inside(c, real))
			found = real;
		else
			free(real);
		if (!e)
			break;
		p = e + 1;
	}
	sbx_sb_release(&sb);
	free(real_cwd);
	return found;
}

/* Runs `bwrap --help` and reads its output. */
static bool probe_help(const char *bwrap, struct sbx_bwrap_found *out)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return false;
	pid_t pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return false;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(pfd[1], 1);
		dup2(null, 2);
		execl(bwrap, bwrap, "--help", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	size_t len = 0;
	unsigned char *text = rt_read_fd(pfd[0], PROBE_OUTPUT_MAX, &len);
	close(pfd[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!text)
		return false;
	out->perms = strstr((char *)text, "--perms") != NULL;
	out->argv0 = strstr((char *)text, "--argv0") != NULL;
	free(text);
	return true;
}

/* ---- the probe cache ---- */

#define CACHE_FILE "bwrap-probe"

/* Opens sbxc's cache directory (rt_cache_dir_open: no symlink followed below
** its base), creating what is missing when asked, unless the sandbox of
** these artifacts could write it (bwrap_trust.c). -1 when there is none. */
static int cache_open(struct sbx_ctx *ctx, const struct rt_artifacts *a, bool create)
{
	struct sbx_strbuf dir = SBX_STRBUF_INIT;
	int fd = rt_cache_dir_open(NULL, create, &dir);
	if (fd >= 0 && !rt_bwrap_cache_usable(ctx, a, dir.buf)) {
		close(fd);
		fd = -1;
	}
	sbx_sb_release(&dir);
	return fd;
}

static void cache_key(struct sbx_strbuf *sb, const char *bwrap, const struct stat *st)
{
	sbx_sb_addf(sb, "v1 %llu %llu %lld %lld.%09ld %lld.%09ld %s",
	            (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
	            (long long)st->st_size, (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
	            (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec, bwrap);
}

static bool cache_lookup(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *key,
                         struct sbx_bwrap_found *out)
{
	int dfd = cache_open(ctx, a, false);
	int fd =
	    dfd >= 0 ? openat(dfd, CACHE_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK) : -1;
	if (dfd >= 0)
		close(dfd);
	if (fd < 0)
		return false;
	struct stat st;
	size_t len = 0;
	unsigned char *text =
	    fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? rt_read_fd(fd, 64 * 1024, &len) : NULL;
	close(fd);
	bool hit = false;
	for (char *line = (char *)text; text && line && *line && !hit;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		char *sp = strchr(line, ' ');
		if (sp && strcmp(sp + 1, key) == 0 && sp - line == 2) {
			out->perms = line[0] == 'p';
			out->argv0 = line[1] == 'a';
			hit = true;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	return hit;
}

static void cache_store(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *key,
                        const struct sbx_bwrap_found *b)
{
	int dfd = cache_open(ctx, a, true);
	if (dfd < 0)
		return;
	struct sbx_strbuf tmp = SBX_STRBUF_INIT;
	sbx_sb_addf(&tmp, CACHE_FILE ".%ld", (long)getpid());
	int fd = openat(dfd, tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0) {
		struct sbx_strbuf line = SBX_STRBUF_INIT;
		sbx_sb_addf(&line, "%c%c %s\n", b->perms ? 'p' : '-', b->argv0 ? 'a' : '-', key);
		bool ok = write(fd, line.buf, line.len) == (ssize_t)line.len;
		ok = close(fd) == 0 && ok;
		if (!ok || renameat(dfd, tmp.buf, dfd, CACHE_FILE) != 0)
			unlinkat(dfd, tmp.buf, 0);
		sbx_sb_release(&line);
	}
	sbx_sb_release(&tmp);
	close(dfd);
}

static bool probe(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *bwrap,
                  struct sbx_bwrap_found *out)
{
	struct stat st;
	if (stat(bwrap, &st) != 0)
		return false;
	struct sbx_strbuf key = SBX_STRBUF_INIT;
	cache_key(&key, bwrap, &st);
	bool ok = cache_lookup(ctx, a, key.buf, out);
	if (!ok) {
		ok = probe_help(bwrap, out);
		if (ok)
			cache_store(ctx, a, key.buf, out);
	}
	sbx_sb_release(&key);
	return ok;
}

enum sbx_status rt_bwrap_find(struct sbx_ctx *ctx, const char *explicit_path, const char *cwd,
                              bool quiet, struct sbx_bwrap_found *out)
{
	memset(out, 0, sizeof *out);
	char *path = NULL;
	if (explicit_path) {
		sbx_fs_seen(ctx, explicit_path, SBX_FS_RESOLVE);
		path = executable_file(explicit_path) ? sbx_realpath(explicit_path) : NULL;
		if (!path) {
			struct sbx_diag *d = sbx_diag_emit(
			    ctx, SBX_E0701, SBX_NO_SPAN,
			    "bubblewrap `%s` is not an executable file",
			    sbx_diag_quote(ctx, explicit_path, strlen(explicit_path)));
			sbx_diag_help(ctx, d,
			              "install it with `apt-get install bubblewrap`, or leave "
			              "out `--bwrap` to search PATH");
			return SBX_EUNSUPPORTED;
		}
	} else if (!(path = search_path(ctx, cwd))) {
		if (!quiet) {
			struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0701, SBX_NO_SPAN,
			                                   "bubblewrap (`bwrap`) is not on PATH");
			sbx_diag_note(ctx, d, SBX_NO_SPAN,
			              "a `bwrap` inside the working directory or in a relative "
			              "PATH entry is never used");
			sbx_diag_help(ctx, d, "install it with `apt-get install bubblewrap`");
		}
		return SBX_EUNSUPPORTED;
	}
	out->path = sbx_arena_strdup(&ctx->arena, path);
	free(path);
	return SBX_OK;
}

enum sbx_status rt_bwrap_vet(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                             const struct sbx_run_opts *o, struct sbx_bwrap_found *bw)
{
	const char *given = bw->path;
	if (o->bwrap && o->bwrap[0] != '/') {
		char *wd = getcwd(NULL, 0);
		given = sbx_path_join(&ctx->arena, SBX_FLAVOR_POSIX, wd ? wd : "/", o->bwrap);
		free(wd);
	} else if (o->bwrap) {
		given = o->bwrap;
	}
	if (rt_bwrap_trusted(ctx, a, given, o->bwrap != NULL, o->cwd) != SBX_OK)
		return SBX_EUNSUPPORTED; /* before anything runs it, --help included */
	if (!probe(ctx, a, bw->path, bw) || !bw->perms) {
		struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0702, SBX_NO_SPAN,
		                                   "bubblewrap `%s` does not support `--perms`",
		                                   sbx_diag_quote(ctx, bw->path, strlen(bw->path)));
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "sbxc masks denied paths with `--perms 0000`, which bubblewrap has "
		              "since version 0.5.0");
		sbx_diag_help(ctx, d, "install a newer bubblewrap (`apt-get install bubblewrap`)");
		return SBX_EUNSUPPORTED;
	}
	return SBX_OK;
}
