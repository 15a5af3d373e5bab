/*
** fs_schema.c: [permissions.<name>.filesystem] and workspace_roots -> IR.
**
** Every key of the filesystem table is a path key (§1.3) except
** `glob_scan_max_depth`. A path key maps to an access string ("read",
** "write", "deny", or "none" for deny) or to a scoped table of subpaths.
** Keys are absolute paths (POSIX or Windows), `~`-rooted paths or `:tokens`;
** paths are normalized lexically and tokens stay symbolic. Globs are allowed
** for `deny` only, except that a read/write path ending in a `**` component
** means the subtree, i.e. the path itself.
*/
#include "path.h"
#include "sbx_limits.h"
#include "schema.h"
#include "strbuf.h"

#include <string.h>

static const char *const token_names[] = {":root", ":minimal", ":workspace_roots", ":tmpdir",
                                          ":slash_tmp"};
static const enum sbx_special token_kinds[] = {SBX_SPECIAL_ROOT, SBX_SPECIAL_MINIMAL,
                                               SBX_SPECIAL_WORKSPACE_ROOTS, SBX_SPECIAL_TMPDIR,
                                               SBX_SPECIAL_SLASH_TMP};

struct fs {
	struct sbx_ctx *ctx;
	struct sbx_profile *p;
	const struct sbx_origins *o;
	size_t cap;
	size_t recognized; /* entries that are not unknown tokens */
};

static const char *quote(struct fs *fs, const char *s, size_t n)
{
	return sbx_diag_quote(fs->ctx, s, n);
}

static void add(struct fs *fs, struct sbx_fs_entry e, const struct sbx_toml_key *k)
{
	struct sbx_profile *p = fs->p;
	e.key_span = k->span;
	e.value_span = k->value.span;
	e.profile = sbx_origins_get(fs->o, k->span);
	if (!e.profile) /* keys of a built-in parent have no span */
		e.profile = p->chain[p->nchain - 1];
	/* in place: nothing points into the entries until the profile is built */
	p->entries = sbx_arena_regrow(&fs->ctx->arena, p->entries, &fs->cap, p->nentries + 1,
	                              sizeof *p->entries);
	p->entries[p->nentries++] = e;
	if (!(e.kind == SBX_ENTRY_SPECIAL && e.special == SBX_SPECIAL_UNKNOWN))
		fs->recognized++;
}

static enum sbx_special token_kind(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof token_names / sizeof token_names[0]; i++)
		if (strlen(token_names[i]) == n && memcmp(token_names[i], s, n) == 0)
			return token_kinds[i];
	return SBX_SPECIAL_UNKNOWN;
}

static void warn_unknown_token(struct fs *fs, const struct sbx_toml_key *k)
{
	const char *name = quote(fs, k->name, k->len);
	struct sbx_diag *d = sbx_diag_emit(fs->ctx, SBX_W0202, k->span,
	                                   "unknown special path `%s` is ignored", name);
	const char *s = NULL;
	if (k->len == 14 && memcmp(k->name, ":project_roots", 14) == 0)
		s = ":workspace_roots";
	else if (!memchr(k->name, 0, k->len))
		s = sbx_schema_suggest(k->name, token_names, 5);
	if (s)
		sbx_diag_help(fs->ctx, d, "did you mean `%s`?", s);
	else
		sbx_diag_note(
		    fs->ctx, d, SBX_NO_SPAN,
		    "known tokens are `:root`, `:minimal`, `:workspace_roots`, "
		    "`:tmpdir` and `:slash_tmp`; unknown ones are kept for newer versions");
}

/* What a key is called in messages: "filesystem path `k`", or "subpath
** `k` of `base`" inside a scoped table. Built only when a message needs it. */
static const char *key_phrase(struct fs *fs, const struct sbx_toml_key *k,
                              const struct sbx_toml_key *base)
{
	if (!base)
		return sbx_arena_printf(&fs->ctx->arena, "filesystem path `%s`",
		                        quote(fs, k->name, k->len));
	return sbx_arena_printf(&fs->ctx->arena, "subpath `%s` of `%s`", quote(fs, k->name, k->len),
	                        quote(fs, base->name, base->len));
}

/* Parses an access value; emits E0306 and returns false if it is not one. */
static bool access_of(struct fs *fs, const struct sbx_toml_key *k, const struct sbx_toml_key *base,
                      enum sbx_access *out)
{
	const struct sbx_toml_value *v = &k->value;
	if (v->type == SBX_TOML_STRING) {
		const char *s = v->u.str.ptr;
		size_t n = v->u.str.len;
		if (n == 4 && memcmp(s, "read", 4) == 0)
			return *out = SBX_ACCESS_READ, true;
		if (n == 5 && memcmp(s, "write", 5) == 0)
			return *out = SBX_ACCESS_WRITE, true;
		if ((n == 4 && memcmp(s, "deny", 4) == 0) || (n == 4 && memcmp(s, "none", 4) == 0))
			return *out = SBX_ACCESS_DENY, true;
		struct sbx_diag *d =
		    sbx_diag_emit(fs->ctx, SBX_E0306, v->span, "invalid access `%s` for %s",
		                  quote(fs, s, n), key_phrase(fs, k, base));
		static const char *const accesses[] = {"read", "write", "deny", "none"};
		const char *guess = memchr(s, 0, n) ? NULL : sbx_schema_suggest(s, accesses, 4);
		if (guess)
			sbx_diag_help(fs->ctx, d, "did you mean `%s`?", guess);
		else
			sbx_diag_help(fs->ctx, d, "expected `read`, `write`, `deny` or `none`");
		return false;
	}
	struct sbx_diag *d =
	    sbx_diag_emit(fs->ctx, SBX_E0306, v->span, "%s must map to an access string, found %s",
	                  key_phrase(fs, k, base), sbx_schema_type_phrase(v->type));
	sbx_diag_help(fs->ctx, d, "expected `read`, `write`, `deny` or `none`");
	return false;
}

/* A glob: deny becomes a pattern entry; read/write only with a final `**`
** component (then it is the prefix path; *prefix_len says how long). Returns 0
** for a glob entry to add, 1 for "use the prefix as a path", -1 on error. */
static int glob_rule(struct fs *fs, const struct sbx_toml_key *k, const char *text, size_t n,
                     enum sbx_access a, size_t *prefix_len)
{
	if (a == SBX_ACCESS_DENY)
		return 0;
	if (n >= 3 && (text[n - 3] == '/' || text[n - 3] == '\\') && text[n - 2] == '*' &&
	    text[n - 1] == '*' && !sbx_path_has_glob(text, n - 3)) {
		*prefix_len = n - 2; /* keep the separator, so a root stays a root */
		return 1;
	}
	if (n == 2 && memcmp(text, "**", 2) == 0) {
		*prefix_len = 0;
		return 1;
	}
	struct sbx_diag *d =
	    sbx_diag_emit(fs->ctx, SBX_E0304, k->span,
	                  "filesystem glob `%s` only supports `deny` access", quote(fs, text, n));
	sbx_diag_note(fs->ctx, d, k->value.span, "`%s` access requested here", sbx_access_name(a));
	sbx_diag_help(fs->ctx, d, "use an exact path, or a trailing `/**` for a whole subtree");
	return -1;
}

/* An absolute or home-relative path (or glob) in normalized form. */
static bool anchored(struct fs *fs, const struct sbx_toml_key *k, const char *s, size_t n,
                     enum sbx_path_form form, enum sbx_anchor *anchor, const char **path)
{
	struct sbx_arena *a = &fs->ctx->arena;
	switch (form) {
	case SBX_FORM_POSIX:
		*anchor = SBX_ANCHOR_POSIX;
		*path = sbx_path_normalize(a, SBX_FLAVOR_POSIX, s, n);
		return true;
	case SBX_FORM_WINDOWS:
		*anchor = SBX_ANCHOR_WINDOWS;
		*path = sbx_path_normalize(a, SBX_FLAVOR_WINDOWS, s, n);
		if (!*path) {
			sbx_diag_emit(fs->ctx, SBX_E0301, k->span,
			              "filesystem path `%s` is not a complete Windows path",
			              quote(fs, s, n));
			return false;
		}
		return true;
	case SBX_FORM_HOME: {
		/* both separators: the path below the home is resolved for every
		** target, and on Windows `~/a\\..\\..` climbs out of the home */
		*anchor = SBX_ANCHOR_HOME;
		*path = sbx_path_normalize_rel(a, SBX_FLAVOR_WINDOWS, s + 1, n - 1);
		if (!*path) {
			sbx_diag_emit(fs->ctx, SBX_E0307, k->span,
			              "filesystem path `%s` climbs out of the home directory",
			              quote(fs, s, n));
			return false;
		}
		return true;
	}
	default:
		return false;
	}
}

static void relative_key_error(struct fs *fs, const struct sbx_toml_key *k)
{
	const char *name = quote(fs, k->name, k->len);
	/* the profile whose table holds the key: a parent's key is reported
	** the same way whichever profile of the chain is compiled */
	const char *owner = sbx_origins_get(fs->o, k->span);
	if (!owner)
		owner = fs->p->name;
	struct sbx_diag *d = sbx_diag_emit(
	    fs->ctx, SBX_E0301, k->span,
	    "filesystem path `%s` must be absolute, start with `~/` or be a `:` token", name);
	sbx_diag_help(fs->ctx, d,
	              "for a path inside the workspace, write it under "
	              "`[permissions.%s.filesystem.\":workspace_roots\"]`",
	              quote(fs, owner, strlen(owner)));
}

static void path_or_glob(struct fs *fs, const struct sbx_toml_key *k, enum sbx_path_form form,
                         const char *s, size_t n, enum sbx_access a)
{
	size_t plen = n, vp = form == SBX_FORM_WINDOWS ? sbx_path_verbatim_prefix(s, n) : 0;
	if (sbx_path_has_glob(s + vp, n - vp)) {
		int g = glob_rule(fs, k, s, n, a, &plen);
		if (g < 0)
			return;
		if (g == 0) {
			struct sbx_fs_entry e = {.kind = SBX_ENTRY_GLOB, .access = a};
			if (anchored(fs, k, s, n, form, &e.anchor, &e.path))
				add(fs, e, k);
			return;
		}
	}
	struct sbx_fs_entry e = {.kind = SBX_ENTRY_PATH, .access = a};
	if (anchored(fs, k, s, plen, form, &e.anchor, &e.path))
		add(fs, e, k);
}

static void top_level(struct fs *fs, const struct sbx_toml_key *k, enum sbx_path_form form)
{
	enum sbx_access a;
	if (form == SBX_FORM_RELATIVE) {
		relative_key_error(fs, k);
		return;
	}
	if (!access_of(fs, k, NULL, &a))
		return;
	if (form == SBX_FORM_TOKEN) {
		enum sbx_special sp = token_kind(k->name, k->len);
		if (sp == SBX_SPECIAL_UNKNOWN)
			warn_unknown_token(fs, k);
		struct sbx_fs_entry e = {.kind = SBX_ENTRY_SPECIAL,
		                         .special = sp,
		                         .access = a,
		                         .token =
		                             sbx_arena_strndup(&fs->ctx->arena, k->name, k->len)};
		add(fs, e, k);
		return;
	}
	path_or_glob(fs, k, form, k->name, k->len, a);
}

/* One `subpath = access` of a scoped table under base. */
static void scoped_entry(struct fs *fs, const struct sbx_toml_key *base, enum sbx_path_form form,
                         enum sbx_special sp, const struct sbx_toml_key *k)
{
	enum sbx_access a;
	if (memchr(k->name, 0, k->len)) {
		/* a C string would end at the NUL and name another path */
		sbx_diag_emit(fs->ctx, SBX_E0302, k->span,
		              "filesystem subpath `%s` contains a NUL character",
		              quote(fs, k->name, k->len));
		return;
	}
	if (!access_of(fs, k, base, &a))
		return;
	const char *s = k->name;
	size_t n = k->len;
	bool self = false, glob = sbx_path_has_glob(s, n);
	size_t plen = n;
	if (glob) {
		int g = glob_rule(fs, k, s, n, a, &plen);
		if (g < 0)
			return;
		if (g == 1) {
			glob = false;
			if (plen == 0 || (plen == 1 && s[0] == '/'))
				s = ".", plen = 1; /* a lone `**` is the base itself */
		}
	}
	/* glob metacharacters are ordinary bytes to the component check */
	bool valid = sbx_subpath_valid(s, plen, &self) && !(glob && self);
	if (!valid) {
		const char *bname = quote(fs, base->name, base->len);
		struct sbx_diag *d =
		    k->len == 0 ? sbx_diag_emit(fs->ctx, SBX_E0302, k->span,
		                                "empty filesystem subpath under `%s`", bname)
		                : sbx_diag_emit(fs->ctx, SBX_E0302, k->span,
		                                "filesystem subpath `%s` must be a descendant path "
		                                "without `.` or `..` components",
		                                quote(fs, k->name, k->len));
		sbx_diag_help(fs->ctx, d, "use `\".\"` for `%s` itself", bname);
		return;
	}
	const char *sub = self ? NULL : sbx_arena_strndup(&fs->ctx->arena, s, plen);
	if (sub && (sub[plen - 1] == '/' || sub[plen - 1] == '\\'))
		((char *)sub)[plen - 1] = '\0';

	if (form == SBX_FORM_TOKEN) {
		if (glob && sp == SBX_SPECIAL_WORKSPACE_ROOTS) {
			struct sbx_fs_entry e = {.kind = SBX_ENTRY_GLOB,
			                         .anchor = SBX_ANCHOR_WORKSPACE,
			                         .path = sub,
			                         .access = a};
			add(fs, e, k);
			return;
		}
		struct sbx_fs_entry e = {
		    .kind = SBX_ENTRY_SPECIAL,
		    .special = sp,
		    .access = a,
		    .subpath = sub,
		    .token = sbx_arena_strndup(&fs->ctx->arena, base->name, base->len)};
		add(fs, e, k);
		return;
	}
	/* an absolute or home base: base/sub as a path or a pattern */
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_add(&sb, base->name, base->len);
	if (sub) {
		sbx_sb_addc(&sb, form == SBX_FORM_WINDOWS ? '\\' : '/');
		sbx_sb_adds(&sb, sub);
	}
	const char *full = sbx_arena_strndup(&fs->ctx->arena, sb.buf, sb.len);
	size_t flen = sb.len;
	sbx_sb_release(&sb);
	struct sbx_fs_entry e = {.kind = glob ? SBX_ENTRY_GLOB : SBX_ENTRY_PATH, .access = a};
	if (anchored(fs, k, full, flen, form, &e.anchor, &e.path))
		add(fs, e, k);
}

static void scoped(struct fs *fs, const struct sbx_toml_key *k, enum sbx_path_form form)
{
	const char *name = quote(fs, k->name, k->len);
	enum sbx_special sp = SBX_SPECIAL_NONE;
	if (form == SBX_FORM_RELATIVE) {
		relative_key_error(fs, k);
		return;
	}
	if (form == SBX_FORM_TOKEN) {
		sp = token_kind(k->name, k->len);
		if (sp == SBX_SPECIAL_UNKNOWN) {
			warn_unknown_token(fs, k);
		} else if (sp != SBX_SPECIAL_WORKSPACE_ROOTS) {
			struct sbx_diag *d = sbx_diag_emit(
			    fs->ctx, SBX_E0303, k->span,
			    "filesystem path `%s` does not support nested entries", name);
			sbx_diag_help(fs->ctx, d,
			              "only `:workspace_roots` and absolute or `~/` paths take a "
			              "table of subpaths; give `%s` an access string",
			              name);
			return;
		}
	} else if (sbx_path_has_glob(k->name + sbx_path_verbatim_prefix(k->name, k->len),
	                             k->len - sbx_path_verbatim_prefix(k->name, k->len))) {
		sbx_diag_emit(fs->ctx, SBX_E0303, k->span,
		              "filesystem glob `%s` does not support nested entries", name);
		return;
	}
	const struct sbx_toml_table *t = k->value.u.table;
	for (size_t i = 0; i < t->n; i++)
		scoped_entry(fs, k, form, sp, &t->items[i]);
}

static void path_key(struct fs *fs, const struct sbx_toml_key *k)
{
	if (memchr(k->name, 0, k->len)) {
		sbx_diag_emit(fs->ctx, SBX_E0301, k->span,
		              "filesystem path `%s` contains a NUL character",
		              quote(fs, k->name, k->len));
		return;
	}
	if (k->len > SBX_MAX_PATH_BYTES) {
		sbx_diag_emit(fs->ctx, SBX_E0009, k->span,
		              "filesystem path is %zu bytes long; the limit is %u "
		              "(SBX_MAX_PATH_BYTES)",
		              k->len, SBX_MAX_PATH_BYTES);
		return;
	}
	enum sbx_path_form form = sbx_path_form(k->name, k->len);
	if (k->value.type == SBX_TOML_TABLE)
		scoped(fs, k, form);
	else
		top_level(fs, k, form);
}

static void depth_key(struct fs *fs, const struct sbx_toml_key *k)
{
	if (!sbx_schema_expect(fs->ctx, k, SBX_TOML_INTEGER, "`glob_scan_max_depth`"))
		return;
	int64_t v = k->value.u.integer;
	if (v < 1 || v > UINT32_MAX) {
		struct sbx_diag *d =
		    v > UINT32_MAX
		        ? sbx_diag_emit(fs->ctx, SBX_E0305, k->value.span,
		                        "glob_scan_max_depth %lld is too large", (long long)v)
		        : sbx_diag_emit(fs->ctx, SBX_E0305, k->value.span,
		                        "glob_scan_max_depth must be at least 1, found %lld",
		                        (long long)v);
		sbx_diag_help(fs->ctx, d,
		              "it is the number of directory levels a deny glob may "
		              "scan; remove the key for no limit");
		return;
	}
	fs->p->glob_scan_max_depth = (uint32_t)v;
	fs->p->glob_scan_span = k->span;
}

static void check_unbounded_globs(struct fs *fs)
{
	struct sbx_profile *p = fs->p;
	if (p->glob_scan_max_depth)
		return;
	for (size_t i = 0; i < p->nentries; i++) {
		const struct sbx_fs_entry *e = &p->entries[i];
		if (e->kind != SBX_ENTRY_GLOB || !strstr(e->path, "**"))
			continue;
		struct sbx_diag *d =
		    sbx_diag_emit(fs->ctx, SBX_W0204, e->key_span,
		                  "deny glob `%s` uses `**` but `glob_scan_max_depth` is not set",
		                  quote(fs, e->path, strlen(e->path)));
		sbx_diag_note(fs->ctx, d, SBX_NO_SPAN,
		              "Linux sandboxes find the files a deny glob matches by scanning "
		              "the tree when they start; without a limit that scan is unbounded");
		sbx_diag_help(fs->ctx, d, "set `glob_scan_max_depth` in the filesystem table");
	}
}

void sbx_fs_compile(struct sbx_ctx *ctx, struct sbx_profile *p, const struct sbx_toml_key *fsk,
                    const struct sbx_origins *o)
{
	struct fs fs = {.ctx = ctx, .p = p, .o = o};
	struct sbx_span where = p->span;
	size_t errors = sbx_diag_errors(ctx);
	if (fsk && sbx_schema_expect(ctx, fsk, SBX_TOML_TABLE, "`filesystem`")) {
		const struct sbx_toml_table *t = fsk->value.u.table;
		where = fsk->span;
		for (size_t i = 0; i < t->n; i++) {
			const struct sbx_toml_key *k = &t->items[i];
			if (sbx_schema_key_is(k, "glob_scan_max_depth"))
				depth_key(&fs, k);
			else
				path_key(&fs, k);
		}
		check_unbounded_globs(&fs);
	} else if (fsk) {
		return; /* wrong type: reported */
	}
	/* a table whose entries were all rejected was reported already: no
	** second warning that it has none */
	if (fs.recognized == 0 && sbx_diag_errors(ctx) == errors) {
		const char *name = quote(&fs, p->name, strlen(p->name));
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_W0203, where,
		    "permissions profile `%s` does not define any recognized filesystem entries",
		    name);
		sbx_diag_note(ctx, d, SBX_NO_SPAN, "every path will be denied, reads included");
		sbx_diag_help(ctx, d,
		              "add `\":root\" = \"read\"` for read access to the whole disk, "
		              "or `extends = \":read-only\"`");
	}
}

void sbx_workspace_roots_compile(struct sbx_ctx *ctx, struct sbx_profile *p,
                                 const struct sbx_toml_key *roots, const struct sbx_origins *o)
{
	if (!roots || !sbx_schema_expect(ctx, roots, SBX_TOML_TABLE, "`workspace_roots`"))
		return;
	const struct sbx_toml_table *t = roots->value.u.table;
	size_t cap = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct sbx_toml_key *k = &t->items[i];
		const char *name = sbx_diag_quote(ctx, k->name, k->len);
		if (k->value.type != SBX_TOML_BOOL) {
			struct sbx_diag *d =
			    sbx_diag_emit(ctx, SBX_E0201, k->value.span,
			                  "workspace root `%s` must be set to true or "
			                  "false, found %s",
			                  name, sbx_schema_type_phrase(k->value.type));
			sbx_diag_help(ctx, d, "write `\"%s\" = true` to add the root", name);
			continue;
		}
		if (!k->value.u.boolean)
			continue;
		struct sbx_workspace_root r = {.span = k->span};
		r.profile = sbx_origins_get(o, k->span);
		if (!r.profile)
			r.profile = p->name;
		enum sbx_path_form form = sbx_path_form(k->name, k->len);
		if (memchr(k->name, 0, k->len) || form == SBX_FORM_TOKEN || k->len == 0) {
			sbx_diag_emit(ctx, SBX_E0308, k->span,
			              "workspace root `%s` must be a path, not a special token",
			              name);
			continue;
		}
		switch (form) {
		case SBX_FORM_POSIX:
			r.anchor = SBX_ANCHOR_POSIX;
			r.path = sbx_path_normalize(&ctx->arena, SBX_FLAVOR_POSIX, k->name, k->len);
			break;
		case SBX_FORM_WINDOWS:
			r.anchor = SBX_ANCHOR_WINDOWS;
			r.path =
			    sbx_path_normalize(&ctx->arena, SBX_FLAVOR_WINDOWS, k->name, k->len);
			break;
		case SBX_FORM_HOME: /* both separators, as for filesystem keys */
			r.anchor = SBX_ANCHOR_HOME;
			r.path = sbx_path_normalize_rel(&ctx->arena, SBX_FLAVOR_WINDOWS,
			                                k->name + 1, k->len - 1);
			break;
		default: /* relative to the cwd; ".." may climb out of it */
			r.anchor = SBX_ANCHOR_CWD;
			r.path = sbx_arena_strndup(&ctx->arena, k->name, k->len);
			break;
		}
		if (!r.path) {
			sbx_diag_emit(ctx, SBX_E0308, k->span,
			              "workspace root `%s` is not a valid path", name);
			continue;
		}
		p->workspace_roots =
		    sbx_arena_grow(&ctx->arena, p->workspace_roots, &cap, p->nworkspace_roots + 1,
		                   sizeof *p->workspace_roots);
		p->workspace_roots[p->nworkspace_roots++] = r;
	}
}
