/*
** writable.c: what a sandbox built from the artifacts could write on the
** host, read from the artifacts alone (the runtime never reads the policy):
**
**   bubblewrap  the deepest mount of bwrap.args at or above a path decides:
**               a `--bind` (not remounted read-only) is the host's directory,
**               writable; `--ro-bind` is read-only; a tmpfs, `--dev`,
**               `--proc` or `--ro-bind-data` is the sandbox's own, so the
**               host's path below it cannot be reached at all
**   Landlock    a rule granting more than execute, read_file and read_dir on
**               the path or one of its ancestors
**
** Two checks use it. Before bubblewrap starts, no mount may cross a symlink
** that sits in a directory the sandbox can write (E0708): a sandbox could
** have put it there, in an earlier run or while this one was being set up,
** and the mount would follow it. And what decides the next sandbox must be
** out of this one's reach: `sbxc compile -o DIR` and `sbxc exec DIR` refuse
** an artifact directory the sandbox could write, or whose ancestors it could
** rename (E0719), and `sbxc run -c FILE` and `sbxc compile -o DIR FILE` a
** policy file it could (E0720), unless the sandbox may write the whole
** filesystem (then sbxc itself is not out of its reach either).
*/
#include "landlock_abi.h"
#include "path.h"
#include "rt_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum mview { M_HOST_RW, M_HOST_RO, M_PRIVATE };

struct mount {
	const char *src, *dest;
	enum mview view;
};

struct mounts {
	struct mount *v;
	size_t n, cap;
	bool unknown; /* an option this file does not know: assume the worst */
};

/* bubblewrap options sbxc's emitter writes, with their argument counts and
** what they mount (the last argument is the destination). */
static const struct {
	const char *opt;
	int nargs;
	int mounts; /* -1: no mount; else an enum mview */
} options[] = {
    {"--new-session", 0, -1},    {"--die-with-parent", 0, -1},
    {"--unshare-user", 0, -1},   {"--unshare-pid", 0, -1},
    {"--unshare-net", 0, -1},    {"--unshare-ipc", 0, -1},
    {"--perms", 1, -1},          {"--dir", 1, -1},
    {"--symlink", 2, -1},        {"--remount-ro", 1, -1},
    {"--bind", 2, M_HOST_RW},    {"--bind-try", 2, M_HOST_RW},
    {"--ro-bind", 2, M_HOST_RO}, {"--ro-bind-try", 2, M_HOST_RO},
    {"--tmpfs", 1, M_PRIVATE},   {"--dev", 1, M_PRIVATE},
    {"--proc", 1, M_PRIVATE},    {"--ro-bind-data", 2, M_PRIVATE},
};

static void parse_mounts(struct sbx_ctx *ctx, const struct sbx_blob *args, struct mounts *m)
{
	const char *w[4];
	const char *p = (const char *)args->data, *end = p + args->len;
	while (p < end) {
		const char *opt = p;
		p += strlen(p) + 1;
		size_t k = 0;
		while (k < sizeof options / sizeof options[0] && strcmp(options[k].opt, opt) != 0)
			k++;
		if (k == sizeof options / sizeof options[0]) {
			m->unknown = true;
			return;
		}
		for (int i = 0; i < options[k].nargs; i++) {
			if (p >= end) {
				m->unknown = true;
				return;
			}
			w[i] = p;
			p += strlen(p) + 1;
		}
		if (strcmp(opt, "--remount-ro") == 0) {
			for (size_t i = m->n; i-- > 0;)
				if (strcmp(m->v[i].dest, w[0]) == 0) {
					if (m->v[i].view == M_HOST_RW)
						m->v[i].view = M_HOST_RO;
					break;
				}
			continue;
		}
		if (options[k].mounts < 0)
			continue;
		m->v = sbx_arena_grow(&ctx->arena, m->v, &m->cap, m->n + 1, sizeof *m->v);
		m->v[m->n++] = (struct mount){
		    .src = options[k].nargs == 2 && options[k].mounts != M_PRIVATE ? w[0] : NULL,
		    .dest = w[options[k].nargs - 1],
		    .view = (enum mview)options[k].mounts,
		};
	}
}

/* The view of path: the deepest mount at or above it (the later of equal
** ones), or, when none covers it, what bubblewrap leaves there (nothing). */
static enum mview view_at(const struct mounts *m, const char *path)
{
	const struct mount *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < m->n; i++) {
		size_t len = strlen(m->v[i].dest);
		if (sbx_path_is_prefix(SBX_FLAVOR_POSIX, m->v[i].dest, path) &&
		    (!best || len >= best_len)) {
			best = &m->v[i];
			best_len = len;
		}
	}
	return best ? best->view : M_PRIVATE;
}

static bool bwrap_writes(const struct mounts *m, const char *path)
{
	return m->unknown || view_at(m, path) == M_HOST_RW;
}

static bool is_mount_point(const struct mounts *m, const char *path)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].dest, path) == 0)
			return true;
	return false;
}

/* Could the sandbox change what `path` is: write it (its content, or a
** directory's entries), or rename it or one of its ancestors away and put
** something of its making in its place? A mount point cannot be renamed
** (EBUSY), but the directories above it can, with the mount. Returns the
** writable path found, or NULL. */
static const char *bwrap_changeable(struct sbx_ctx *ctx, const struct mounts *m, const char *path)
{
	if (bwrap_writes(m, path))
		return path;
	for (const char *a = path;;) {
		const char *parent = sbx_path_parent(&ctx->arena, SBX_FLAVOR_POSIX, a);
		if (strcmp(parent, a) == 0)
			return NULL;
		if (!is_mount_point(m, a) && bwrap_writes(m, parent))
			return parent;
		a = parent;
	}
}

static bool landlock_writes(const struct rt_artifacts *a, const char *path)
{
	json_t *rule, *right;
	size_t i, j;
	json_array_foreach(json_object_get(a->landlock, "rules"), i, rule)
	{
		const char *rp = json_string_value(json_object_get(rule, "path"));
		if (!rp || !sbx_path_is_prefix(SBX_FLAVOR_POSIX, rp, path))
			continue;
		json_array_foreach(json_object_get(rule, "access"), j, right)
		{
			const char *r = json_string_value(right);
			if (!r || (strcmp(r, "execute") != 0 && strcmp(r, "read_file") != 0 &&
			           strcmp(r, "read_dir") != 0))
				return true;
		}
	}
	return false;
}

/* ---- mounts across symlinks ---- */

static enum sbx_status check_path(struct sbx_ctx *ctx, const struct mounts *m, const char *path,
                                  const char *mount)
{
	struct sbx_arena *ar = &ctx->arena;
	size_t pos = 0;
	/* a missing prefix ends the walk: bubblewrap creates or skips it */
	for (const char *prefix; (prefix = sbx_path_next_symlink(ar, path, &pos));) {
		const char *dir = sbx_path_parent(ar, SBX_FLAVOR_POSIX, prefix);
		if (!bwrap_writes(m, dir))
			continue;
		char target[4096];
		ssize_t n = readlink(prefix, target, sizeof target - 1);
		const char *t = n >= 0 ? sbx_arena_strndup(ar, target, (size_t)n) : "?";
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_E0708, SBX_NO_SPAN,
		    "`%s` is a symlink to `%s` in `%s`, which the sandbox can write: the mount at "
		    "`%s` would follow it",
		    sbx_diag_quote(ctx, prefix, strlen(prefix)), sbx_diag_quote(ctx, t, strlen(t)),
		    sbx_diag_quote(ctx, dir, strlen(dir)),
		    sbx_diag_quote(ctx, mount, strlen(mount)));
		sbx_diag_help(ctx, d, "remove the symlink, or compile the artifacts again");
		return SBX_EUNSUPPORTED;
	}
	return SBX_OK;
}

enum sbx_status rt_check_mount_symlinks(struct sbx_ctx *ctx, const struct rt_artifacts *a)
{
	struct mounts m = {0};
	parse_mounts(ctx, a->bwrap_args, &m);
	for (size_t i = 0; i < m.n; i++) {
		const struct mount *x = &m.v[i];
		if (x->view == M_PRIVATE &&
		    (strcmp(x->dest, "/dev") == 0 || strcmp(x->dest, "/proc") == 0))
			continue; /* bubblewrap's own; a mask must land where it is meant to */
		if (check_path(ctx, &m, x->dest, x->dest) != SBX_OK ||
		    (x->src && strcmp(x->src, x->dest) != 0 &&
		     check_path(ctx, &m, x->src, x->dest) != SBX_OK))
			return SBX_EUNSUPPORTED;
	}
	return SBX_OK;
}

/* ---- the artifact directory ---- */

const char *rt_bwrap_changes(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *path,
                             bool *all)
{
	struct mounts m = {0};
	*all = false;
	if (!a->has_bw)
		return NULL;
	parse_mounts(ctx, a->bwrap_args, &m);
	if (bwrap_writes(&m, "/")) {
		*all = true;
		return "/";
	}
	const char *norm = sbx_path_normalize(&ctx->arena, SBX_FLAVOR_POSIX, path, strlen(path));
	const char *hit = bwrap_changeable(ctx, &m, norm); /* as written: its symlinks */
	return hit ? hit : bwrap_changeable(ctx, &m, sbx_path_canonical(ctx, norm, NULL));
}

const char *rt_sandbox_changes(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *path,
                               const char **canonical, bool *all)
{
	struct mounts m = {0};
	*all = false;
	if (a->has_bw)
		parse_mounts(ctx, a->bwrap_args, &m);
	const char *abs = path[0] == '/' ? path : NULL;
	if (!abs) {
		char *cwd = getcwd(NULL, 0);
		abs = sbx_path_join(&ctx->arena, SBX_FLAVOR_POSIX, cwd ? cwd : "/", path);
		free(cwd);
	}
	const char *canon = sbx_path_canonical(
	    ctx, sbx_path_normalize(&ctx->arena, SBX_FLAVOR_POSIX, abs, strlen(abs)), NULL);
	if (canonical)
		*canonical = canon;
	const char *hit = NULL;
	*all = (a->has_bw && bwrap_writes(&m, "/")) || (a->has_ll && landlock_writes(a, "/"));
	if (*all)
		return "/";
	if (a->has_bw)
		hit = bwrap_changeable(ctx, &m, canon);
	/* Landlock: a right to write, make or remove anything at or above it */
	for (const char *p = canon; !hit && a->has_ll;) {
		if (landlock_writes(a, p))
			hit = p;
		const char *parent = sbx_path_parent(&ctx->arena, SBX_FLAVOR_POSIX, p);
		if (strcmp(parent, p) == 0)
			break;
		p = parent;
	}
	return hit;
}

enum sbx_status sbx_runtime_check_unwritable(struct sbx_ctx *ctx, const struct sbx_bundle *b,
                                             const char *path, enum sbx_guarded what)
{
	struct rt_artifacts a;
	enum sbx_status st = rt_artifacts_parse(ctx, b, &a);
	if (st != SBX_OK || a.disabled) {
		rt_artifacts_free(&a);
		return st;
	}
	/* Full write is the exception: a sandbox that may change any file of
	** the machine, sbxc and bubblewrap included, is not held back by keeping
	** this one safe, and refusing would only make such profiles unusable. */
	const char *canon = NULL;
	bool all = false;
	const char *hit = rt_sandbox_changes(ctx, &a, path, &canon, &all);
	rt_artifacts_free(&a);
	if (!hit || all)
		return SBX_OK;
	const char *qcanon = sbx_diag_quote(ctx, canon, strlen(canon));
	const char *qhit = sbx_diag_quote(ctx, hit, strlen(hit));
	struct sbx_diag *d;
	if (what == SBX_GUARD_ARTIFACT_DIR) {
		d = sbx_diag_emit(ctx, SBX_E0719, SBX_NO_SPAN,
		                  "the artifact directory `%s` can be changed from inside the "
		                  "sandbox it describes",
		                  qcanon);
		sbx_diag_note(
		    ctx, d, SBX_NO_SPAN,
		    "the sandbox can write `%s`: a command run under these artifacts could "
		    "rewrite them, and the next `sbxc exec` would run what it wrote",
		    qhit);
		sbx_diag_help(
		    ctx, d,
		    "write the artifacts to a directory the profile keeps read-only, such "
		    "as one outside the workspace");
	} else {
		d = sbx_diag_emit(
		    ctx, SBX_E0720, SBX_NO_SPAN,
		    "the policy file `%s` can be changed from inside the sandbox it describes",
		    qcanon);
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "the sandbox can write `%s`: a command run under this profile could "
		              "rewrite it, and the next run would enforce what it wrote",
		              qhit);
		sbx_diag_help(ctx, d,
		              "keep the policy where the profile does not let the sandbox write (a "
		              "project's `.codex` directory stays read-only), or pass it on stdin "
		              "(`-c -`)");
	}
	return SBX_EUNSUPPORTED;
}
