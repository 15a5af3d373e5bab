/*
** guard.c: what decides the next sandbox must stay out of this one's reach.
** The policy file (`sbxc run -c FILE`, `sbxc compile -o DIR FILE`, the file
** `sbxc lint` checks) and the artifact directory (`sbxc compile -o DIR`)
** are part of the resolution context (opts.policy_file, opts.artifact_dir):
** when the resolved policy lets the sandbox write one, or rename one of its
** ancestors and put something of its own making in its place, the
** resolution reports E0720 or E0719 with the span of the entry that grants
** the write, so `lint` says what `run` and `compile` refuse.
**
** The sandbox can change a path P when P is writable. Were it not, but an
** ancestor were renamable, that ancestor would lie in a writable directory
** while not writable itself: a boundary of the policy, which bubblewrap
** mounts on its own (a mount point cannot be renamed), and Landlock, which
** mounts nothing, never enforces a profile with such a boundary below a
** writable root (enforce.c: E0611, E0612, E0614). A
** sandbox that may write the whole filesystem is not held back by this
** (sbxc and bubblewrap are in its reach too), so nothing is checked then.
**
** `sbxc exec DIR` checks its artifact directory again at run time
** (runtime/writable.c): where it is then is a fact of that moment.
*/
#include "macos.h"
#include "resolve_int.h"
#include "strbuf.h"

#include <string.h>

/* Can the sandbox change `path`? Only if it may write it: an ancestor that
** is not writable while its parent is, is a boundary of the policy, so it
** is mounted on its own and cannot be renamed away; above a boundary the
** same holds again. Both the path as named and where it leads are checked:
** a symlink the sandbox can replace is as bad as the file itself. */
const char *sbx_guard_changeable(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *abs)
{
	if (r->macos) {
		/* Seatbelt has no mounts: the macOS view says what may be written
		** (as the volume spells it), and a parent that may be renamed away
		** can be replaced by one the sandbox wrote */
		const char *cut;
		if (sbx_macos_ops(ctx, r->macos, abs, &cut) & (SBX_MAC_WRITE | SBX_MAC_CREATE))
			return abs;
		for (const char *p = abs;;) {
			if (sbx_macos_ops(ctx, r->macos, p, &cut) & SBX_MAC_RENAME)
				return p;
			const char *up = sbx_path_parent(&ctx->arena, SBX_FLAVOR_POSIX, p);
			if (strcmp(up, p) == 0)
				break;
			p = up;
		}
	}
	if (sbx_resolved_access(r, abs, NULL) == SBX_ACCESS_WRITE)
		return abs;
	const char *canon = r->opts.probe ? sbx_path_canonical(ctx, abs, NULL) : abs;
	if (sbx_resolved_access(r, canon, NULL) == SBX_ACCESS_WRITE)
		return canon;
	return NULL;
}

bool sbx_resolved_guard(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *path,
                        bool policy)
{
	if (!path || !*path || r->disabled || r->opts.flavor != SBX_FLAVOR_POSIX ||
	    sbx_resolved_access(r, r->fs_root, NULL) == SBX_ACCESS_WRITE)
		return true; /* the sandbox may write the whole filesystem: see above */
	const char *abs = sbx_path_normalize(&ctx->arena, SBX_FLAVOR_POSIX, path, strlen(path));
	if (!abs)
		return true;
	const char *hit = sbx_guard_changeable(ctx, r, abs);
	if (!hit)
		return true;
	const char *canon = hit;
	struct sbx_decision why;
	sbx_resolved_access(r, hit, &why);
	struct sbx_span span = why.src ? sbx_entry_span(why.src) : SBX_NO_SPAN;
	if (!span.file && r->profile)
		span = r->profile->span; /* a built-in's entry: the profile that took it in */
	struct sbx_diag *d;
	if (!policy) {
		d = sbx_diag_emit(ctx, SBX_E0719, span,
		                  "the artifact directory `%s` can be changed from inside the "
		                  "sandbox it describes",
		                  sbx_q(ctx, canon));
		sbx_diag_note(
		    ctx, d, SBX_NO_SPAN,
		    "the sandbox can write `%s`: a command run under these artifacts could "
		    "rewrite them, and the next `sbxc exec` would run what it wrote",
		    sbx_q(ctx, hit));
		sbx_diag_help(
		    ctx, d,
		    "write the artifacts to a directory the profile keeps read-only, such "
		    "as one outside the workspace");
		return false;
	}
	d = sbx_diag_emit(
	    ctx, SBX_E0720, span,
	    "the policy file `%s` can be changed from inside the sandbox it describes",
	    sbx_q(ctx, canon));
	sbx_diag_note(ctx, d, SBX_NO_SPAN,
	              "the sandbox can write `%s`: a command run under this profile could "
	              "rewrite it, and the next run would enforce what it wrote",
	              sbx_q(ctx, hit));
	sbx_diag_help(ctx, d,
	              "keep the policy where the profile does not let the sandbox write (a "
	              "project's `.codex` directory stays read-only), or pass it on stdin "
	              "(`-c -`)");
	return false;
}

void sbx_guard(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	sbx_resolved_guard(ctx, r, r->opts.policy_file, true);
	sbx_resolved_guard(ctx, r, r->opts.artifact_dir, false);
}
