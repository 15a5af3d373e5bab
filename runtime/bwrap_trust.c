/*
** bwrap_trust.c: sbxc runs bubblewrap outside any sandbox, as the invoking
** user (often root). A sandboxed command that could choose which `bwrap`
** that is would leave its sandbox at the next run. So, before bubblewrap is
** probed or run (--dry-run's `bwrap --help` included):
**
**   E0770  a PATH entry that discovery consults, up to and including the
**          one whose `bwrap` it uses, is one the sandbox could change:
**          write it (put a `bwrap` there) or rename one of its ancestors
**          (put a directory of its making there). Its command could plant
**          the `bwrap` the next run executes. Checked also with --bwrap:
**          the next run may search PATH.
**   E0771  the binary to run could be changed by the sandbox: the path as
**          given or found, or its real path (a symlink the sandbox may
**          replace; the file; a parent it may write or rename).
**
** "Could change" is the test the policy file and the artifact directory get
** (writable.c), on bwrap.args. The semantic pass decides the same from the
** policy (compiler/guard_bwrap.c), so `lint` predicts `run`; this is the
** check of `sbxc exec`, whose PATH is a fact of the moment it runs. A profile that lets the sandbox
*write the
** whole filesystem is not checked: it could replace /usr/bin/bwrap itself.
** Entries inside the working directory and relative entries are never
** consulted (bwrap_find.c), so they are not checked.
**
** The probe cache is used only where the sandbox could not have written it
** and no directory on its way from the base ($XDG_CACHE_HOME, else $HOME)
** down is a symlink (bwrap_find.c opens it without following one).
*/
#include "path.h"
#include "rt_int.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool usable_bwrap(const char *file, const char *cwd, bool entry_in_cwd)
{
	struct stat st;
	if (entry_in_cwd || stat(file, &st) != 0 || !S_ISREG(st.st_mode) || access(file, X_OK) != 0)
		return false;
	char *real = sbx_realpath(file);
	bool ok =
	    real && (strcmp(cwd, "/") == 0 || !sbx_path_is_prefix(SBX_FLAVOR_POSIX, cwd, real));
	free(real);
	return ok;
}

/* Where the sandbox could change `path` as written or as it really is. */
static const char *changes(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *path,
                           bool *all)
{
	return rt_bwrap_changes(ctx, a, path, all);
}

static enum sbx_status refuse_entry(struct sbx_ctx *ctx, const char *entry, const char *hit)
{
	struct sbx_diag *d = sbx_diag_emit(
	    ctx, SBX_E0770, SBX_NO_SPAN,
	    "the sandbox could put a `bwrap` in `%s`, which bubblewrap discovery searches",
	    sbx_diag_quote(ctx, entry, strlen(entry)));
	sbx_diag_note(ctx, d, SBX_NO_SPAN,
	              "the sandbox can write `%s`; sbxc runs the first `bwrap` on PATH outside "
	              "any sandbox, so a command run under this profile could choose what the "
	              "next run executes",
	              sbx_diag_quote(ctx, hit, strlen(hit)));
	sbx_diag_help(ctx, d,
	              "take the directory out of PATH for sbxc (`env PATH=... sbxc run ...`), "
	              "or keep it read-only in the profile");
	return SBX_EUNSUPPORTED;
}

static enum sbx_status check_path_entries(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                                          const char *real_cwd)
{
	const char *path = getenv("PATH");
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	enum sbx_status st = SBX_OK;
	for (const char *p = path; p && st == SBX_OK;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n && p[0] == '/') {
			const char *entry = sbx_arena_strndup(&ctx->arena, p, n);
			char *real = sbx_realpath(entry);
			bool in_cwd =
			    strcmp(real_cwd, "/") != 0 &&
			    (sbx_path_is_prefix(SBX_FLAVOR_POSIX, real_cwd, entry) ||
			     (real && sbx_path_is_prefix(SBX_FLAVOR_POSIX, real_cwd, real)));
			free(real);
			sbx_sb_reset(&sb);
			sbx_sb_adds(&sb, entry);
			sbx_sb_adds(&sb, "/bwrap");
			bool all = false;
			const char *hit = in_cwd ? NULL : changes(ctx, a, entry, &all);
			if (all)
				break;
			if (hit)
				st = refuse_entry(ctx, entry, hit);
			else if (usable_bwrap(sb.buf, real_cwd, in_cwd))
				break; /* discovery stops here */
		}
		p = e ? e + 1 : NULL;
	}
	sbx_sb_release(&sb);
	return st;
}

static enum sbx_status check_binary(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                                    const char *bwrap)
{
	bool all = false;
	const char *hit = changes(ctx, a, bwrap, &all);
	if (!hit || all)
		return SBX_OK;
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0771, SBX_NO_SPAN,
	                                   "bubblewrap `%s` can be changed from inside the sandbox",
	                                   sbx_diag_quote(ctx, bwrap, strlen(bwrap)));
	sbx_diag_note(ctx, d, SBX_NO_SPAN,
	              "the sandbox can write `%s`; sbxc runs bubblewrap outside any "
	              "sandbox, so a command run under this profile could replace it",
	              sbx_diag_quote(ctx, hit, strlen(hit)));
	sbx_diag_help(ctx, d,
	              "use a bubblewrap the profile keeps read-only, such as "
	              "`/usr/bin/bwrap` (`apt-get install bubblewrap`)");
	return SBX_EUNSUPPORTED;
}

enum sbx_status rt_bwrap_trusted(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                                 const char *bwrap, bool explicit_, const char *cwd)
{
	bool all = false;
	rt_bwrap_changes(ctx, a, "/", &all);
	if (all)
		return SBX_OK;
	/* the order of the semantic pass (compiler/guard_bwrap.c): a binary
	** given with --bwrap, the PATH entries, the binary found there */
	if (explicit_ && check_binary(ctx, a, bwrap) != SBX_OK)
		return SBX_EUNSUPPORTED;
	char *real_cwd = sbx_realpath(cwd);
	enum sbx_status st = check_path_entries(ctx, a, real_cwd ? real_cwd : cwd);
	free(real_cwd);
	if (st == SBX_OK && !explicit_)
		st = check_binary(ctx, a, bwrap);
	return st;
}

bool rt_bwrap_cache_usable(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *dir)
{
	bool all = false;
	return !changes(ctx, a, dir, &all) && !all;
}
