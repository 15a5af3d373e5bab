/*
** lints.c: see lints.h.
*/
#include "lints.h"
#include "resolve_int.h"
#include "strbuf.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* The span of what decided a path's access: its entry, or the profile. */
static struct sbx_span decided_by(const struct sbx_resolved *r, const struct sbx_decision *why)
{
	if (why->src && why->src->key_span.file)
		return why->src->key_span;
	return r->profile->span;
}

/* W0803: `:tmpdir` names nothing when no temporary directory is set; the
** semantic pass drops the entry (resolve.c), so say so. */
static void dropped_tmpdir(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	if (r->opts.tmpdir)
		return;
	const struct sbx_profile *p = r->profile;
	for (size_t i = 0; i < p->nentries; i++) {
		const struct sbx_fs_entry *e = &p->entries[i];
		if (e->kind != SBX_ENTRY_SPECIAL || e->special != SBX_SPECIAL_TMPDIR ||
		    e->access == SBX_ACCESS_DENY)
			continue;
		/* without TMPDIR programs use /tmp: nothing is lost when the
		** profile gives /tmp at least what it gave `:tmpdir` */
		enum sbx_access t = r->opts.flavor == SBX_FLAVOR_POSIX
		                        ? sbx_resolved_access(r, "/tmp", NULL)
		                        : SBX_ACCESS_DENY;
		if (t == SBX_ACCESS_WRITE || (t == SBX_ACCESS_READ && e->access == SBX_ACCESS_READ))
			continue;
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_W0803, e->key_span,
		    "`:tmpdir` entry of profile `%s` is dropped: no temporary directory is set",
		    sbx_q(ctx, p->name));
		sbx_diag_help(ctx, d, "set TMPDIR (or pass --tmpdir DIR) where the command runs");
	}
}

/* W0804: domain rules and `mode` only act through a proxy; when the network
** is off they change nothing. */
static void idle_network_rules(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	const struct sbx_network *n = &r->profile->network;
	if (r->net.kind != SBX_NET_NONE || r->disabled || (!n->ndomains && !n->mode_set))
		return;
	struct sbx_span at = n->ndomains ? n->domains[0].span : n->mode_span;
	struct sbx_diag *d = sbx_diag_emit(
	    ctx, SBX_W0804, at,
	    "%s of profile `%s` %s no effect: the network is off (`enabled` is not true)",
	    n->ndomains && n->mode_set ? "the domain rules and `mode`"
	    : n->ndomains              ? "the domain rules"
	                               : "`mode`",
	    sbx_q(ctx, r->profile->name), n->ndomains || n->mode_set ? "have" : "has");
	if (n->ndomains > 1)
		sbx_diag_note(ctx, d, SBX_NO_SPAN, "%zu domain rules in all", n->ndomains);
	sbx_diag_help(ctx, d,
	              "set `enabled = true` in the network table for the rules to apply "
	              "(through a filtering proxy), or remove them");
}

/* W0805: a command starts in the working directory; if the profile cannot
** read it, nothing can run there. */
static void unreadable_cwd(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	if (r->disabled || !r->opts.cwd)
		return;
	struct sbx_decision why = {0};
	if (sbx_resolved_access(r, r->opts.cwd, &why) != SBX_ACCESS_DENY)
		return;
	struct sbx_diag *d = sbx_diag_emit(
	    ctx, SBX_W0805, decided_by(r, &why),
	    "profile `%s` cannot read the working directory `%s`: no command can start here",
	    sbx_q(ctx, r->profile->name), sbx_q(ctx, r->opts.cwd));
	sbx_diag_help(ctx, d, "grant `read` on `:workspace_roots`, or run from another directory");
}

/* N0801: an entry's path that is not on this machine. */
static void missing_paths(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	if (!r->opts.probe)
		return;
	const struct sbx_rpath *lists[] = {r->readable_roots, r->unreadable_roots};
	size_t counts[] = {r->nreadable_roots, r->nunreadable_roots};
	for (size_t l = 0; l < 3; l++) {
		size_t n = l < 2 ? counts[l] : r->nwritable_roots;
		for (size_t i = 0; i < n; i++) {
			const struct sbx_rpath *rp =
			    l < 2 ? &lists[l][i] : &r->writable_roots[i].root;
			if (rp->origin != SBX_ORIGIN_ENTRY || !rp->src || !rp->src->key_span.file)
				continue;
			struct stat st;
			sbx_fs_seen(ctx, rp->path, SBX_FS_ENTRY);
			if (lstat(rp->path, &st) == 0 || errno != ENOENT)
				continue;
			sbx_diag_emit(ctx, SBX_N0801, rp->src->key_span,
			              "`%s` does not exist on this machine", sbx_q(ctx, rp->path));
		}
	}
}

/* W0810: credentials that exist on this machine and that a process can
** read (most often under a profile that reads the whole disk). Relative to
** the home directory. */
static const char *const secrets[] = {
    ".ssh",   ".aws",
    ".gnupg", ".config/gcloud",
    ".kube",  ".docker/config.json",
    ".netrc", ".git-credentials",
};

static void readable_secrets(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	if (r->disabled || !r->opts.home || !r->opts.probe)
		return;
	struct sbx_strbuf list = SBX_STRBUF_INIT;
	struct sbx_span at = r->profile->span;
	size_t n = 0;
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
		const char *path =
		    sbx_path_join(&ctx->arena, r->opts.flavor, r->opts.home, secrets[i]);
		struct stat st; /* only credentials this machine has */
		sbx_fs_seen(ctx, path, SBX_FS_ENTRY);
		if (lstat(path, &st) != 0)
			continue;
		struct sbx_decision why = {0};
		if (sbx_resolved_access(r, path, &why) == SBX_ACCESS_DENY)
			continue;
		if (n++ == 0)
			at = decided_by(r, &why);
		sbx_sb_addf(&list, "%s`~/%s`", list.len ? ", " : "", secrets[i]);
	}
	if (n) {
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_W0810, at, "profile `%s` lets commands read credentials: %s",
		    sbx_q(ctx, r->profile->name), list.buf);
		sbx_diag_help(ctx, d, "deny them, e.g. `\"~/.ssh\" = \"deny\"`");
	}
	sbx_sb_release(&list);
}

/* W0811: the home directory or the whole disk writable. */
static void writable_home(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	if (r->disabled)
		return;
	struct sbx_decision why = {0};
	const char *what = NULL;
	if (r->full_write) {
		what = "the whole disk";
		sbx_resolved_access(r, r->fs_root, &why);
	} else if (r->opts.home && sbx_resolved_access(r, r->opts.home, &why) == SBX_ACCESS_WRITE) {
		what = "the home directory";
	}
	if (!what)
		return;
	struct sbx_diag *d =
	    sbx_diag_emit(ctx, SBX_W0811, decided_by(r, &why), "profile `%s` makes %s writable",
	                  sbx_q(ctx, r->profile->name), what);
	sbx_diag_note(ctx, d, SBX_NO_SPAN,
	              "a command can then change shell start-up files and other programs' "
	              "configuration, which run outside the sandbox");
}

static bool under_any(const struct sbx_resolved *r, const char *path, const char *const *roots,
                      size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (roots[i] && sbx_path_is_prefix(r->opts.flavor, roots[i], path))
			return true;
	return false;
}

/* W0812: with the network on, a command can send out what it writes, and
** fetch and leave behind what it likes, outside the workspace. */
static void network_and_writes(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	if (r->disabled || r->net.kind != SBX_NET_FULL)
		return;
	const char *scratch[] = {r->opts.tmpdir, "/tmp"};
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_rpath *w = &r->writable_roots[i].root;
		if (w->origin != SBX_ORIGIN_ENTRY || !w->src)
			continue;
		if (under_any(r, w->path, r->workspace_roots, r->nworkspace_roots) ||
		    under_any(r, w->path, scratch, 2))
			continue;
		struct sbx_diag *d =
		    sbx_diag_emit(ctx, SBX_W0812, w->src->key_span,
		                  "profile `%s` has network access and makes `%s` writable, "
		                  "outside the workspace",
		                  sbx_q(ctx, r->profile->name), sbx_q(ctx, w->path));
		if (r->net.span.file)
			sbx_diag_note(ctx, d, r->net.span, "the network is on here");
	}
}

/* W0813: a deny that a more specific write reopens below it. */
static void reopened_denies(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	for (size_t i = 0; i < r->nunreadable_roots; i++) {
		const struct sbx_rpath *u = &r->unreadable_roots[i];
		if (u->origin != SBX_ORIGIN_ENTRY || !u->src)
			continue;
		for (size_t j = 0; j < r->nwritable_roots; j++) {
			const struct sbx_rpath *w = &r->writable_roots[j].root;
			if (w->origin != SBX_ORIGIN_ENTRY || !w->src ||
			    sbx_path_eq(r->opts.flavor, u->path, w->path) ||
			    !sbx_path_is_prefix(r->opts.flavor, u->path, w->path))
				continue;
			struct sbx_diag *d = sbx_diag_emit(
			    ctx, SBX_W0813, w->src->key_span,
			    "`%s` is writable inside `%s`, which profile `%s` denies",
			    sbx_q(ctx, w->path), sbx_q(ctx, u->path), sbx_q(ctx, r->profile->name));
			sbx_diag_note(ctx, d, u->src->key_span, "denied here");
			sbx_diag_help(
			    ctx, d,
			    "if that is meant, say so with `# sbxc: allow W0813` in the file");
		}
	}
}

void sbx_lint_resolved(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	dropped_tmpdir(ctx, r);
	idle_network_rules(ctx, r);
	unreadable_cwd(ctx, r);
	missing_paths(ctx, r);
	readable_secrets(ctx, r);
	writable_home(ctx, r);
	network_and_writes(ctx, r);
	reopened_denies(ctx, r);
}
