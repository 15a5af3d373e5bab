/*
** resolve.c: the driver of the semantic pass (resolve.h), between the IR
** (schema.c) and the emitters.
**
** 1. Context: the cwd, home and tmpdir are normalized in the target's path
**    flavour and the workspace roots collected (cwd first, then the
**    profile's, then the command line's; duplicates dropped). Problems are
**    E05xx diagnostics and stop the pass.
** 2. Expansion: every IR entry becomes zero or more rules bound to absolute
**    paths (`:workspace_roots` once per root, `~` against the home, `:root`
**    the root of the cwd, `:tmpdir`/`:slash_tmp` when they exist; `:minimal`
**    and unknown tokens bind no path), deny globs become absolute patterns.
**    The rules go into the path trie (access.c).
** 3. The derived views (views.c, carveouts.c), the legacy projection and
**    round trip (legacy.c) and the per-backend verdicts (enforce.c).
*/
#include "macos.h"
#include "resolve_int.h"
#include "sbx_limits.h"
#include "strbuf.h"
#include "utf8.h"

#include <string.h>

const char *sbx_q(struct sbx_ctx *ctx, const char *s)
{
	return sbx_diag_quote(ctx, s, strlen(s));
}

struct sbx_span sbx_entry_span(const struct sbx_fs_entry *e)
{
	return e ? e->key_span : SBX_NO_SPAN;
}

/* Is rel made of normal components only ('/'-separated, no "", ".", "..")?
** The IR's subpaths and the protected names are; such a join needs no
** normalization. */
static bool plain_rel(const char *rel)
{
	const char *c = rel;
	for (const char *p = rel;; p++) {
		if (*p == '/' || *p == '\\' || !*p) {
			size_t n = (size_t)(p - c);
			if (n == 0 || (n == 1 && c[0] == '.') ||
			    (n == 2 && c[0] == '.' && c[1] == '.'))
				return false;
			if (!*p)
				return true;
			c = p + 1;
		}
	}
}

const char *sbx_resolve_join(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *base,
                             const char *rel)
{
	if (!rel || !*rel)
		return base;
	if (!plain_rel(rel))
		return sbx_path_join(&ctx->arena, r->opts.flavor, base, rel);
	/* base is normalized: one allocation, separators in the target's style */
	char sep = r->opts.flavor == SBX_FLAVOR_WINDOWS ? '\\' : '/';
	size_t bl = strlen(base), rl = strlen(rel);
	bool need_sep = bl && base[bl - 1] != sep;
	char *out = sbx_arena_alloc(&ctx->arena, bl + need_sep + rl + 1);
	memcpy(out, base, bl);
	if (need_sep)
		out[bl++] = sep;
	for (size_t i = 0; i < rl; i++)
		out[bl + i] = rel[i] == '/' || rel[i] == '\\' ? sep : rel[i];
	return out;
}

static const char *flavor_word(enum sbx_flavor f)
{
	return f == SBX_FLAVOR_WINDOWS ? "Windows" : "POSIX";
}

/* ---- 1. the context ---- */

static const char *normalize_opt(struct sbx_ctx *ctx, enum sbx_flavor f, const char *s)
{
	return s ? sbx_path_normalize(&ctx->arena, f, s, strlen(s)) : NULL;
}

static bool too_long(struct sbx_ctx *ctx, const char *path, struct sbx_span span)
{
	if (strlen(path) <= SBX_MAX_PATH_BYTES)
		return false;
	sbx_diag_emit(ctx, SBX_E0009, span, "resolved path `%s` is longer than %u bytes",
	              sbx_q(ctx, path), SBX_MAX_PATH_BYTES);
	return true;
}

/* Context paths come from the command line and the environment, and end up
** in JSON, which cannot carry bytes that are not UTF-8 (policy paths are
** UTF-8 already: the parser checks). */
static bool utf8_ok(struct sbx_ctx *ctx, const char *what, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (sbx_utf8_check(s ? s : "", n) == n)
		return true;
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0507, SBX_NO_SPAN,
	                                   "%s `%s` is not valid UTF-8", what, sbx_q(ctx, s));
	sbx_diag_help(ctx, d,
	              "sbxc reports paths as UTF-8 text; rename the directory or use a "
	              "path to it that is");
	return false;
}

static bool setup_paths(struct sbx_ctx *ctx, struct sbx_resolved *r,
                        const struct sbx_resolve_opts *o)
{
	enum sbx_flavor f = o->flavor;
	bool ok = true;
	ok &= utf8_ok(ctx, "working directory", o->cwd);
	ok &= utf8_ok(ctx, "home directory", o->home);
	ok &= utf8_ok(ctx, "temporary directory", o->tmpdir);
	for (size_t i = 0; i < o->nextra_roots; i++)
		ok &= utf8_ok(ctx, "workspace root", o->extra_roots[i]);
	if (!ok)
		return false;
	r->opts = *o;
	r->opts.cwd = normalize_opt(ctx, f, o->cwd);
	if (!r->opts.cwd) {
		struct sbx_diag *d =
		    sbx_diag_emit(ctx, SBX_E0501, SBX_NO_SPAN,
		                  "working directory `%s` is not an absolute %s path",
		                  sbx_q(ctx, o->cwd ? o->cwd : ""), flavor_word(f));
		sbx_diag_help(ctx, d, "pass an absolute directory with --cwd");
		ok = false;
	}
	r->opts.home = normalize_opt(ctx, f, o->home);
	if (o->home && !r->opts.home) {
		sbx_diag_emit(ctx, SBX_E0503, SBX_NO_SPAN,
		              "home directory `%s` is not an absolute %s path", sbx_q(ctx, o->home),
		              flavor_word(f));
		ok = false;
	}
	r->opts.tmpdir = normalize_opt(ctx, f, o->tmpdir);
	if (o->tmpdir && !r->opts.tmpdir) {
		sbx_diag_emit(ctx, SBX_E0504, SBX_NO_SPAN,
		              "temporary directory `%s` is not an absolute %s path",
		              sbx_q(ctx, o->tmpdir), flavor_word(f));
		ok = false;
	}
	if (!ok)
		return false;
	r->fs_root = sbx_arena_strndup(&ctx->arena, r->opts.cwd, sbx_path_root_len(f, r->opts.cwd));
	r->os = o->os_given ? o->os : f == SBX_FLAVOR_WINDOWS ? SBX_OS_WINDOWS : SBX_OS_LINUX;
	return true;
}

/* Is an anchor usable in this flavour? Emits E0505/E0506 if not. */
static bool anchor_fits(struct sbx_ctx *ctx, enum sbx_flavor f, enum sbx_anchor a, const char *path,
                        struct sbx_span span)
{
	if (a == SBX_ANCHOR_WINDOWS && f == SBX_FLAVOR_POSIX) {
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_E0505, span, "Windows path `%s` cannot be resolved for a POSIX target",
		    sbx_q(ctx, path));
		sbx_diag_help(ctx, d, "a Windows path applies only to the windows target");
		return false;
	}
	if (a == SBX_ANCHOR_POSIX && f == SBX_FLAVOR_WINDOWS) {
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_E0506, span, "POSIX path `%s` cannot be resolved for a Windows target",
		    sbx_q(ctx, path));
		sbx_diag_help(ctx, d, "a POSIX path applies only to the linux and macos targets");
		return false;
	}
	return true;
}

static bool need_home(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *what,
                      struct sbx_span span)
{
	if (r->opts.home)
		return true;
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0502, span,
	                                   "`%s` is relative to the home directory, but no home "
	                                   "directory is known",
	                                   sbx_q(ctx, what));
	sbx_diag_help(ctx, d, "set HOME or pass --home DIR");
	return false;
}

/* An anchored path made absolute; NULL after a diagnostic. */
static const char *anchored(struct sbx_ctx *ctx, const struct sbx_resolved *r, enum sbx_anchor a,
                            const char *path, struct sbx_span span)
{
	enum sbx_flavor f = r->opts.flavor;
	const char *out = NULL;
	switch (a) {
	case SBX_ANCHOR_POSIX:
	case SBX_ANCHOR_WINDOWS:
		if (!anchor_fits(ctx, f, a, path, span))
			return NULL;
		out = sbx_path_normalize(&ctx->arena, f, path, strlen(path));
		break;
	case SBX_ANCHOR_HOME:
		if (!need_home(ctx, r, *path ? sbx_arena_printf(&ctx->arena, "~/%s", path) : "~",
		               span))
			return NULL;
		out = sbx_resolve_join(ctx, r, r->opts.home, path);
		break;
	case SBX_ANCHOR_CWD:
	case SBX_ANCHOR_WORKSPACE:
		out = sbx_resolve_join(ctx, r, r->opts.cwd, path);
		break;
	}
	if (out && too_long(ctx, out, span))
		return NULL;
	return out;
}

static bool add_root(struct sbx_ctx *ctx, struct sbx_resolved *r, const char *path, size_t *cap,
                     struct sbx_span span)
{
	for (size_t i = 0; i < r->nworkspace_roots; i++)
		if (sbx_path_eq(r->opts.flavor, r->workspace_roots[i], path))
			return true;
	if (r->nworkspace_roots >= SBX_MAX_WORKSPACE_ROOTS) {
		sbx_diag_emit(ctx, SBX_E0011, span,
		              "more than %d workspace roots (SBX_MAX_WORKSPACE_ROOTS)",
		              SBX_MAX_WORKSPACE_ROOTS);
		return false;
	}
	r->workspace_roots = sbx_arena_grow(&ctx->arena, r->workspace_roots, cap,
	                                    r->nworkspace_roots + 1, sizeof *r->workspace_roots);
	r->workspace_roots[r->nworkspace_roots++] = path;
	return true;
}

/* A -W root: absolute in the flavour, `~`-relative, or relative to the cwd. */
static const char *extra_root(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *s)
{
	size_t len = strlen(s);
	switch (sbx_path_form(s, len)) {
	case SBX_FORM_POSIX:
		return anchored(ctx, r, SBX_ANCHOR_POSIX, s, SBX_NO_SPAN);
	case SBX_FORM_WINDOWS:
		return anchored(ctx, r, SBX_ANCHOR_WINDOWS, s, SBX_NO_SPAN);
	case SBX_FORM_HOME:
		return anchored(ctx, r, SBX_ANCHOR_HOME, len > 2 ? s + 2 : "", SBX_NO_SPAN);
	default:
		return anchored(ctx, r, SBX_ANCHOR_CWD, s, SBX_NO_SPAN);
	}
}

static bool setup_roots(struct sbx_ctx *ctx, struct sbx_resolved *r, const struct sbx_profile *p)
{
	size_t cap = 0;
	bool ok = add_root(ctx, r, r->opts.cwd, &cap, SBX_NO_SPAN);
	for (size_t i = 0; ok && i < p->nworkspace_roots; i++) {
		const struct sbx_workspace_root *w = &p->workspace_roots[i];
		const char *path = anchored(ctx, r, w->anchor, w->path, w->span);
		ok = path && add_root(ctx, r, path, &cap, w->span);
	}
	for (size_t i = 0; ok && i < r->opts.nextra_roots; i++) {
		const char *path = extra_root(ctx, r, r->opts.extra_roots[i]);
		ok = path && add_root(ctx, r, path, &cap, SBX_NO_SPAN);
	}
	return ok;
}

/* ---- 2. expansion ---- */

static void add_rule(struct sbx_ctx *ctx, struct sbx_index *ix, const char *path,
                     const struct sbx_fs_entry *e)
{
	ix->rules = sbx_arena_regrow(&ctx->arena, ix->rules, &ix->caprules, ix->nrules + 1,
	                             sizeof *ix->rules);
	uint32_t node = sbx_trie_insert(&ix->trie, path);
	ix->rules[ix->nrules] = (struct sbx_rrule){path, e->access, e, node};
	sbx_trie_add_rule(ix, ix->nrules);
	ix->nrules++;
	if (e->access == SBX_ACCESS_DENY)
		ix->any_deny = true;
}

static void add_glob(struct sbx_ctx *ctx, struct sbx_index *ix, const char *pattern,
                     const struct sbx_fs_entry *e)
{
	ix->globs = sbx_arena_regrow(&ctx->arena, ix->globs, &ix->capglobs, ix->nglobs + 1,
	                             sizeof *ix->globs);
	ix->globs[ix->nglobs] = (struct sbx_rglob){pattern, e, -1};
	sbx_trie_add_glob(ix, ix->nglobs);
	ix->nglobs++;
	ix->any_deny = true;
}

/* Is there room for one more rule or pattern? E0012 (once) if not. */
static bool room(struct sbx_ctx *ctx, const struct sbx_resolved *r, const struct sbx_fs_entry *e)
{
	struct sbx_index *ix = r->index;
	if (ix->nrules + ix->nglobs < SBX_MAX_RESOLVED_RULES)
		return true;
	ix->full = true;
	struct sbx_diag *d =
	    sbx_diag_emit(ctx, SBX_E0012, sbx_entry_span(e),
	                  "the profile resolves to more than %u rules (SBX_MAX_RESOLVED_RULES)",
	                  SBX_MAX_RESOLVED_RULES);
	sbx_diag_note(ctx, d, SBX_NO_SPAN,
	              "each `:workspace_roots` entry becomes one rule per workspace root, and "
	              "there are %zu roots",
	              r->nworkspace_roots);
	sbx_diag_help(ctx, d, "use fewer workspace roots, or name a common parent directory");
	return false;
}

/* Binds `rel` below `base` (NULL base: nothing) as a rule of e. */
static bool bind(struct sbx_ctx *ctx, struct sbx_resolved *r, const char *base, const char *rel,
                 const struct sbx_fs_entry *e)
{
	if (!base)
		return true;
	if (!room(ctx, r, e))
		return false;
	const char *path = sbx_resolve_join(ctx, r, base, rel);
	if (!path || too_long(ctx, path, sbx_entry_span(e)))
		return false;
	if (e->kind == SBX_ENTRY_GLOB)
		add_glob(ctx, r->index, path, e);
	else
		add_rule(ctx, r->index, path, e);
	return true;
}

static bool expand_special(struct sbx_ctx *ctx, struct sbx_resolved *r,
                           const struct sbx_fs_entry *e)
{
	struct sbx_index *ix = r->index;
	bool ok = true;
	switch (e->special) {
	case SBX_SPECIAL_ROOT:
		return bind(ctx, r, r->fs_root, e->subpath, e);
	case SBX_SPECIAL_MINIMAL:
		if (e->access == SBX_ACCESS_DENY)
			ix->any_deny = true;
		else
			ix->minimal_readable = true;
		return true;
	case SBX_SPECIAL_WORKSPACE_ROOTS:
		for (size_t i = 0; ok && i < r->nworkspace_roots; i++)
			ok = bind(ctx, r, r->workspace_roots[i], e->subpath, e);
		return ok;
	case SBX_SPECIAL_TMPDIR:
		return bind(ctx, r, r->opts.tmpdir, e->subpath, e);
	case SBX_SPECIAL_SLASH_TMP:
		if (r->opts.flavor == SBX_FLAVOR_WINDOWS) /* ignored on Windows */
			return true;
		return bind(ctx, r, sbx_slash_tmp_usable(ctx, ix->facts) ? "/tmp" : NULL,
		            e->subpath, e);
	case SBX_SPECIAL_NONE:
	case SBX_SPECIAL_UNKNOWN:
		return true; /* warned about by the schema pass, then ignored */
	}
	return true;
}

static bool expand_entry(struct sbx_ctx *ctx, struct sbx_resolved *r, const struct sbx_fs_entry *e)
{
	if (e->kind == SBX_ENTRY_SPECIAL)
		return expand_special(ctx, r, e);
	if (e->anchor == SBX_ANCHOR_WORKSPACE) {
		bool ok = true;
		for (size_t i = 0; ok && i < r->nworkspace_roots; i++)
			ok = bind(ctx, r, r->workspace_roots[i], e->path, e);
		return ok;
	}
	const char *path = anchored(ctx, r, e->anchor, e->path, sbx_entry_span(e));
	return path && bind(ctx, r, path, NULL, e);
}

static bool expand(struct sbx_ctx *ctx, struct sbx_resolved *r, const struct sbx_profile *p)
{
	bool ok = true;
	const struct sbx_index *ix = r->index;
	for (size_t i = 0; i < p->nentries; i++) {
		ok &= expand_entry(ctx, r, &p->entries[i]);
		if (ix->full)
			return false; /* E0012 was reported; nothing more to bind */
	}
	return ok;
}

/* ---- 3. the driver ---- */

struct sbx_resolved *sbx_resolve_core(struct sbx_ctx *ctx, const struct sbx_profile *p,
                                      const struct sbx_resolve_opts *opts, struct sbx_facts *facts)
{
	struct sbx_resolved *r = sbx_arena_alloc(&ctx->arena, sizeof *r);
	r->profile = p;
	r->disabled = p->kind == SBX_PROFILE_DISABLED;
	r->network_enabled = r->disabled || p->network.enabled.value;
	r->proxy_enforced = !r->disabled && r->network_enabled && p->network.managed_proxy;
	if (!setup_paths(ctx, r, opts))
		return NULL;
	struct sbx_index *ix = sbx_arena_alloc(&ctx->arena, sizeof *ix);
	r->index = ix;
	sbx_trie_init(&ix->trie, &ctx->arena, r->opts.flavor);
	if (!facts) {
		facts = sbx_arena_alloc(&ctx->arena, sizeof *facts);
		facts->probe = opts->probe && opts->flavor == SBX_FLAVOR_POSIX;
		facts->flavor = opts->flavor;
	}
	ix->facts = facts;
	if (!setup_roots(ctx, r, p))
		return NULL;
	if (!r->disabled && !expand(ctx, r, p))
		return NULL;
	sbx_trie_mark_globs(ix);
	sbx_views_flags(ctx, r);
	sbx_carveouts(ctx, r);
	sbx_views_lists(ctx, r);
	return r;
}

struct sbx_resolved *sbx_resolve(struct sbx_ctx *ctx, const struct sbx_profile *p,
                                 const struct sbx_resolve_opts *opts)
{
	struct sbx_resolved *r = sbx_resolve_core(ctx, p, opts, NULL);
	if (!r)
		return NULL;
	sbx_network(ctx, r);
	sbx_legacy(ctx, r);
	if (r->os == SBX_OS_MACOS && r->opts.flavor == SBX_FLAVOR_POSIX)
		r->macos = sbx_macos_build(ctx, r);
	sbx_enforce(ctx, r);
	sbx_observe(ctx, r);
	sbx_guard(ctx, r);
	sbx_guard_bwrap(ctx, r);
	const struct sbx_facts *fs = ((struct sbx_index *)r->index)->facts;
	r->facts = fs->items;
	r->nfacts = fs->n;
	return r;
}

/* ---- names ---- */

const char *sbx_origin_name(enum sbx_origin o)
{
	static const char *const names[] = {
	    [SBX_ORIGIN_ENTRY] = "entry",
	    [SBX_ORIGIN_GIT] = "git",
	    [SBX_ORIGIN_GITDIR] = "gitdir",
	    [SBX_ORIGIN_AGENTS] = "agents",
	    [SBX_ORIGIN_CODEX] = "codex",
	    [SBX_ORIGIN_PROTECTED] = "protected_name",
	    [SBX_ORIGIN_NO_MATCH] = "no_match",
	    [SBX_ORIGIN_UNSANDBOXED] = "unsandboxed",
	    [SBX_ORIGIN_PLATFORM] = "platform_default",
	    [SBX_ORIGIN_FULL_READ] = "full_read",
	};
	return (size_t)o < sizeof names / sizeof names[0] ? names[o] : "?";
}

const char *sbx_fact_kind_name(enum sbx_fact_kind k)
{
	static const char *const names[] = {
	    [SBX_FACT_MISSING] = "missing",
	    [SBX_FACT_DIR] = "dir",
	    [SBX_FACT_FILE] = "file",
	    [SBX_FACT_SYMLINK] = "symlink",
	    [SBX_FACT_OTHER] = "other",
	    [SBX_FACT_GITDIR_POINTER] = "gitdir_pointer",
	    [SBX_FACT_NOT_SYMLINK] = "no_symlink",
	};
	return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

const char *sbx_legacy_kind_name(enum sbx_legacy_kind k)
{
	static const char *const names[] = {
	    [SBX_LEGACY_KIND_READ_ONLY] = "read-only",
	    [SBX_LEGACY_KIND_WORKSPACE_WRITE] = "workspace-write",
	    [SBX_LEGACY_KIND_DANGER_FULL_ACCESS] = "danger-full-access",
	    [SBX_LEGACY_KIND_EXTERNAL_SANDBOX] = "external-sandbox",
	};
	return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

const char *sbx_win_identity_name(enum sbx_windows_identity id)
{
	return id == SBX_WIN_IDENTITY_OFFLINE  ? "offline"
	       : id == SBX_WIN_IDENTITY_ONLINE ? "online"
	                                       : "none";
}
