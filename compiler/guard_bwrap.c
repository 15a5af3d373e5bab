/*
** guard_bwrap.c: the bubblewrap a Linux run executes must stay out of the
** sandbox's reach (spec/semantics.md R-RT-1). sbxc runs bubblewrap outside
** any sandbox, as the invoking user: a sandbox that could write a PATH
** directory bubblewrap discovery searches could plant the `bwrap` the next
** run executes, and one that could change the binary itself could replace
** it. Decided here, from the environment the command runs with (the PATH
** of opts.env) and opts.bwrap, so that `lint` says what `run` refuses:
**
**   E0770  a PATH entry discovery searches, up to and including the one
**          whose `bwrap` it uses, is one the sandbox could change
**   E0771  the bubblewrap to run (as named or where it leads) is
**
** with the span of the entry that grants the write. Discovery is the
** runtime's (runtime/bwrap_find.c): absolute entries only, none inside the
** working directory (by its own path or where it leads), the first whose
** `bwrap` is an executable file whose real path is not inside it either.
** "Could change" is guard.c's test. Not checked offline (the machine's
** PATH is not the one that matters), for a profile that disables the
** sandbox or may write the whole filesystem (it could replace
** /usr/bin/bwrap itself), nor for other OSes. `sbxc exec` checks again at
** run time (runtime/bwrap_trust.c): its PATH is a fact of that moment.
*/
/* realpath() is in POSIX.1-2008 with the XSI option (which macOS has) */
#define _XOPEN_SOURCE 700

#include "path.h"
#include "resolve_int.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *env_path(const char *const *env)
{
	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], "PATH=", 5) == 0)
			return env[i] + 5;
	return NULL;
}

static bool inside(const char *dir, const char *path)
{
	return strcmp(dir, "/") != 0 && sbx_path_is_prefix(SBX_FLAVOR_POSIX, dir, path);
}

static struct sbx_span span_of(const struct sbx_resolved *r, const char *hit)
{
	struct sbx_decision why;
	sbx_resolved_access(r, hit, &why);
	return why.src ? sbx_entry_span(why.src) : SBX_NO_SPAN;
}

static void refuse_entry(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *entry,
                         const char *hit)
{
	struct sbx_diag *d = sbx_diag_emit(
	    ctx, SBX_E0770, span_of(r, hit),
	    "the sandbox could put a `bwrap` in `%s`, which bubblewrap discovery searches",
	    sbx_q(ctx, entry));
	sbx_diag_note(ctx, d, SBX_NO_SPAN,
	              "the sandbox can write `%s`; sbxc runs the first `bwrap` on PATH outside "
	              "any sandbox, so a command run under this profile could choose what the "
	              "next run executes",
	              sbx_q(ctx, hit));
	sbx_diag_help(ctx, d,
	              "take the directory out of PATH for sbxc (`env PATH=... sbxc run ...`), "
	              "or keep it read-only in the profile");
}

static void refuse_binary(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *bwrap,
                          const char *hit)
{
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0771, span_of(r, hit),
	                                   "bubblewrap `%s` can be changed from inside the sandbox",
	                                   sbx_q(ctx, bwrap));
	sbx_diag_note(ctx, d, SBX_NO_SPAN,
	              "the sandbox can write `%s`; sbxc runs bubblewrap outside any sandbox, so a "
	              "command run under this profile could replace it",
	              sbx_q(ctx, hit));
	sbx_diag_help(ctx, d,
	              "use a bubblewrap the profile keeps read-only, such as `/usr/bin/bwrap` "
	              "(`apt-get install bubblewrap`)");
}

/* The normalized form of an absolute path, or NULL. */
static const char *norm(struct sbx_ctx *ctx, const char *p, size_t n)
{
	return n && p[0] == '/' ? sbx_path_normalize(&ctx->arena, SBX_FLAVOR_POSIX, p, n) : NULL;
}

/* An executable `bwrap` in entry whose real path is not inside cwd: the one
** discovery takes (malloc'd real path), or NULL. */
static char *usable(struct sbx_ctx *ctx, const char *entry, const char *cwd, struct sbx_strbuf *sb)
{
	struct stat st;
	sbx_sb_reset(sb);
	sbx_sb_addf(sb, "%s/bwrap", entry);
	sbx_fs_seen(ctx, sb->buf, SBX_FS_RESOLVE);
	if (stat(sb->buf, &st) != 0 || !S_ISREG(st.st_mode) || access(sb->buf, X_OK) != 0)
		return NULL;
	char *real = sbx_realpath(sb->buf);
	if (real && inside(cwd, real)) {
		free(real);
		real = NULL;
	}
	return real;
}

/* The PATH entries up to the one discovery uses (E0770), and its bwrap
** (E0771). */
static void search(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *path,
                   const char *cwd)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	for (const char *p = path; p;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *entry = norm(ctx, p, n);
		p = e ? e + 1 : NULL;
		if (!entry)
			continue; /* relative or empty: never searched */
		sbx_fs_seen(ctx, entry, SBX_FS_RESOLVE);
		char *real_entry = sbx_realpath(entry);
		bool in_cwd = inside(cwd, entry) || (real_entry && inside(cwd, real_entry));
		free(real_entry);
		if (in_cwd)
			continue; /* never searched */
		const char *hit = sbx_guard_changeable(ctx, r, entry);
		if (hit) {
			refuse_entry(ctx, r, entry, hit);
			break;
		}
		char *found = usable(ctx, entry, cwd, &sb);
		if (found) {
			const char *f = norm(ctx, found, strlen(found));
			free(found);
			if ((hit = sbx_guard_changeable(ctx, r, f)))
				refuse_binary(ctx, r, f, hit);
			break; /* discovery stops here */
		}
	}
	sbx_sb_release(&sb);
}

void sbx_guard_bwrap(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	const struct sbx_resolve_opts *o = &r->opts;
	if (r->disabled || !o->probe || o->flavor != SBX_FLAVOR_POSIX || r->os != SBX_OS_LINUX ||
	    !o->cwd || sbx_resolved_access(r, r->fs_root, NULL) == SBX_ACCESS_WRITE)
		return;
	sbx_fs_seen(ctx, o->cwd, SBX_FS_RESOLVE);
	char *rc = sbx_realpath(o->cwd);
	const char *cwd = rc ? norm(ctx, rc, strlen(rc)) : o->cwd;
	free(rc);
	if (!cwd)
		cwd = o->cwd;
	if (o->bwrap) {
		const char *b = norm(ctx, o->bwrap, strlen(o->bwrap));
		const char *hit = b ? sbx_guard_changeable(ctx, r, b) : NULL;
		if (hit) {
			refuse_binary(ctx, r, b, hit);
			return;
		}
	}
	const char *path = env_path(o->env);
	if (path)
		search(ctx, r, path, cwd);
}
