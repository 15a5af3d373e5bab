/*
** profile.c: one profile from the document to the IR (second schema pass).
**
** 1. selection: the name asked for, or the one the document selects
**    (default_permissions, the legacy keys, or nothing: :read-only);
** 2. the extends chain, child first, with undefined parents, cycles,
**    unsupported built-ins and over-long chains reported at the `extends`
**    value that caused them;
** 3. the parent-first merge of the chain (merge.c);
** 4. the merged table's keys: description, extends, workspace_roots,
**    filesystem (fs_schema.c), network (net_schema.c); any other key is
**    warned about (W0201, an error with --strict).
*/
#include "sbx_limits.h"
#include "schema.h"
#include "strbuf.h"

#include <string.h>

static const char *const profile_keys[] = {"description", "extends", "workspace_roots",
                                           "filesystem", "network"};
static const char *const builtin_names[] = {":read-only", ":workspace", ":danger-full-access"};

static const struct sbx_toml_key *user_profile(const struct sbx_config *cfg, const char *name)
{
	if (!cfg->permissions)
		return NULL;
	const struct sbx_toml_key *k = sbx_toml_get(cfg->permissions, name);
	return k && k->value.type == SBX_TOML_TABLE && name[0] != ':' ? k : NULL;
}

static void suggest_profile(struct sbx_ctx *ctx, struct sbx_diag *d, const struct sbx_config *cfg,
                            const char *name)
{
	const char *s = sbx_schema_suggest(name, cfg->profiles, cfg->nprofiles);
	if (!s && name[0] == ':')
		s = sbx_schema_suggest(name, builtin_names, 3);
	/* `workspace` for `:workspace`: a built-in written without its colon */
	for (size_t i = 0; !s && name[0] != ':' && i < 3; i++)
		if (strcmp(builtin_names[i] + 1, name) == 0)
			s = builtin_names[i];
	if (s) {
		sbx_diag_help(ctx, d, "did you mean `%s`?", sbx_diag_quote(ctx, s, strlen(s)));
	} else if (cfg->nprofiles) {
		struct sbx_strbuf sb = SBX_STRBUF_INIT;
		for (size_t i = 0; i < cfg->nprofiles && i < 8; i++)
			sbx_sb_addf(
			    &sb, "%s`%s`", i ? ", " : "",
			    sbx_diag_quote(ctx, cfg->profiles[i], strlen(cfg->profiles[i])));
		if (cfg->nprofiles > 8)
			sbx_sb_adds(&sb, ", ...");
		sbx_diag_note(ctx, d, SBX_NO_SPAN, "defined profiles: %s", sb.buf);
		sbx_sb_release(&sb);
	}
}

/* The built-in named by a `:` name, or an error naming where it came from. */
static bool check_builtin(struct sbx_ctx *ctx, const char *name, struct sbx_span at,
                          const char *what)
{
	if (sbx_builtin_profile(name))
		return true;
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0203, at, "%s unknown built-in profile `%s`",
	                                   what, sbx_diag_quote(ctx, name, strlen(name)));
	if (strcmp(name, ":danger-no-sandbox") == 0)
		sbx_diag_help(ctx, d, "`:danger-no-sandbox` was renamed `:danger-full-access`");
	else
		sbx_diag_help(ctx, d,
		              "the built-in profiles are `:read-only`, `:workspace` and "
		              "`:danger-full-access`");
	return false;
}

struct chain {
	const char **names;
	const struct sbx_toml_table **tables; /* NULL for :danger-full-access */
	struct sbx_span *spans;               /* the extends value naming names[i] */
	size_t n;
};

static bool walk(struct sbx_ctx *ctx, const struct sbx_config *cfg, const char *name,
                 struct sbx_span at, struct chain *c);

static bool known_broken(const struct sbx_config *cfg, const char *name)
{
	return cfg->broken_chains && sbx_toml_get(cfg->broken_chains, name);
}

/* Walks the extends chain from `name`; false after a problem, which is
** reported once per file: every profile of a broken chain is remembered. */
static bool walk_chain(struct sbx_ctx *ctx, const struct sbx_config *cfg, const char *name,
                       struct sbx_span at, struct chain *c)
{
	if (walk(ctx, cfg, name, at, c))
		return true;
	for (size_t i = 0; i < c->n && cfg->broken_chains; i++)
		sbx_toml_set(ctx, cfg->broken_chains, c->names[i], strlen(c->names[i]), SBX_NO_SPAN,
		             sbx_toml_string(ctx, "", SBX_NO_SPAN));
	return false;
}

static bool walk(struct sbx_ctx *ctx, const struct sbx_config *cfg, const char *name,
                 struct sbx_span at, struct chain *c)
{
	size_t cap = SBX_MAX_EXTENDS_DEPTH + 2;
	c->names = sbx_arena_alloc(&ctx->arena, cap * sizeof *c->names);
	c->tables = sbx_arena_alloc(&ctx->arena, cap * sizeof *c->tables);
	c->spans = sbx_arena_alloc(&ctx->arena, cap * sizeof *c->spans);
	for (;;) {
		const struct sbx_toml_table *t;
		if (known_broken(cfg, name))
			return false; /* reported while compiling another profile */
		if (name[0] == ':') {
			t = sbx_builtin_table(ctx, name);
		} else {
			const struct sbx_toml_key *k = user_profile(cfg, name);
			t = k->value.u.table;
		}
		c->names[c->n] = name;
		c->tables[c->n] = t;
		c->spans[c->n] = at;
		c->n++;
		if (name[0] == ':')
			return true;
		const struct sbx_toml_key *ext = sbx_toml_get(t, "extends");
		if (!ext)
			return true;
		if (!sbx_schema_expect(ctx, ext, SBX_TOML_STRING, "`extends`"))
			return false;
		const char *parent = ext->value.u.str.ptr;
		const char *qchild = sbx_diag_quote(ctx, name, strlen(name));
		const char *qparent = sbx_diag_quote(ctx, parent, ext->value.u.str.len);
		at = ext->value.span;
		if (memchr(parent, 0, ext->value.u.str.len)) {
			sbx_diag_emit(ctx, SBX_E0207, at,
			              "profile `%s` extends `%s`, which contains a NUL", qchild,
			              qparent);
			return false;
		}
		if (strcmp(parent, ":danger-full-access") == 0) {
			struct sbx_diag *d = sbx_diag_emit(
			    ctx, SBX_E0208, at,
			    "permissions profile `%s` cannot extend the built-in profile `%s`",
			    qchild, qparent);
			sbx_diag_note(
			    ctx, d, SBX_NO_SPAN,
			    "`:danger-full-access` turns the sandbox off; it has no entries "
			    "to build on");
			return false;
		}
		if (parent[0] == ':') {
			if (!check_builtin(ctx, parent, at, "extends"))
				return false;
		} else if (!user_profile(cfg, parent)) {
			struct sbx_diag *d =
			    sbx_diag_emit(ctx, SBX_E0207, at,
			                  "permissions profile `%s` extends undefined profile `%s`",
			                  qchild, qparent);
			suggest_profile(ctx, d, cfg, parent);
			return false;
		}
		for (size_t i = 0; i < c->n; i++) {
			if (strcmp(c->names[i], parent) != 0)
				continue;
			struct sbx_strbuf sb = SBX_STRBUF_INIT;
			for (size_t j = i; j < c->n; j++)
				sbx_sb_addf(&sb, "%s -> ",
				            sbx_diag_quote(ctx, c->names[j], strlen(c->names[j])));
			sbx_sb_adds(&sb, qparent);
			struct sbx_diag *d = sbx_diag_emit(
			    ctx, SBX_E0209, at,
			    "permissions profile inheritance cycle detected: %s", sb.buf);
			sbx_sb_release(&sb);
			for (size_t j = i + 1; j < c->n; j++)
				sbx_diag_note(
				    ctx, d, c->spans[j], "`%s` is extended here",
				    sbx_diag_quote(ctx, c->names[j], strlen(c->names[j])));
			return false;
		}
		if (c->n >= SBX_MAX_EXTENDS_DEPTH) { /* the parent would be one more */
			sbx_diag_emit(ctx, SBX_E0010, at,
			              "extends chain of `%s` is longer than %d profiles "
			              "(SBX_MAX_EXTENDS_DEPTH)",
			              sbx_diag_quote(ctx, c->names[0], strlen(c->names[0])),
			              SBX_MAX_EXTENDS_DEPTH);
			return false;
		}
		name = parent;
	}
}

static void compile_keys(struct sbx_ctx *ctx, const struct sbx_config *cfg, struct sbx_profile *p,
                         const struct sbx_toml_table *merged, const struct sbx_toml_table *own,
                         const struct sbx_origins *o)
{
	for (size_t i = 0; i < merged->n; i++) {
		const struct sbx_toml_key *k = &merged->items[i];
		bool known = false;
		for (size_t j = 0; j < sizeof profile_keys / sizeof profile_keys[0]; j++)
			known |= sbx_schema_key_is(k, profile_keys[j]);
		if (known)
			continue;
		/* named after the profile that wrote the key, so that a parent's
		** unknown key is reported once however many profiles extend it */
		const char *owner = sbx_origins_get(o, k->span);
		if (!owner)
			owner = p->name;
		const char *where = sbx_arena_printf(&ctx->arena, "permissions profile `%s`",
		                                     sbx_diag_quote(ctx, owner, strlen(owner)));
		sbx_schema_unknown_key(ctx, k, where, profile_keys,
		                       sizeof profile_keys / sizeof profile_keys[0]);
	}
	const struct sbx_toml_key *desc = sbx_toml_get(own, "description");
	if (desc && sbx_schema_expect(ctx, desc, SBX_TOML_STRING, "`description`"))
		p->description = desc->value.u.str.ptr;
	sbx_workspace_roots_compile(ctx, p, sbx_toml_get(merged, "workspace_roots"), o);
	sbx_fs_compile(ctx, p, sbx_toml_get(merged, "filesystem"), o);
	sbx_net_compile(ctx, p, sbx_toml_get(merged, "network"), o);
	p->network.managed_proxy = cfg->network_proxy_feature && p->network.enabled.value;
}

static struct sbx_profile *compile_named(struct sbx_ctx *ctx, const struct sbx_config *cfg,
                                         const char *name, struct sbx_span at)
{
	size_t errors = sbx_diag_errors(ctx);
	struct sbx_profile *p = sbx_arena_alloc(&ctx->arena, sizeof *p);
	p->name = name;
	p->syntax = SBX_SYNTAX_PROFILES;
	if (strcmp(name, ":danger-full-access") == 0) {
		p->builtin = true;
		p->kind = SBX_PROFILE_DISABLED;
		p->chain = sbx_arena_alloc(&ctx->arena, sizeof *p->chain);
		p->chain[0] = name;
		p->nchain = 1;
		sbx_net_compile(ctx, p, NULL, NULL);
		p->network.enabled.value = true;
		return p;
	}
	struct chain c = {0};
	if (!walk_chain(ctx, cfg, name, at, &c))
		return NULL;
	p->builtin = name[0] == ':';
	p->chain = c.names;
	p->nchain = c.n;
	if (!p->builtin)
		p->span = user_profile(cfg, name)->span;

	struct sbx_origins *o = sbx_origins_new(ctx);
	const struct sbx_toml_table *merged = c.tables[c.n - 1];
	if (c.n == 1)
		sbx_origins_single(o, c.names[0]);
	else
		sbx_origins_mark(ctx, o, merged, c.names[c.n - 1]);
	for (size_t i = c.n - 1; i-- > 0;) {
		sbx_origins_mark(ctx, o, c.tables[i], c.names[i]);
		merged = sbx_merge_profiles(ctx, merged, c.tables[i]);
	}
	compile_keys(ctx, cfg, p, merged, c.tables[0], o);
	return sbx_diag_errors(ctx) > errors ? NULL : p;
}

struct sbx_profile *sbx_profile_compile(struct sbx_ctx *ctx, const struct sbx_config *cfg,
                                        const char *name, struct sbx_span selected_by)
{
	if (!name) {
		if (cfg->syntax == SBX_SYNTAX_LEGACY)
			return cfg->legacy->invalid ? NULL : sbx_legacy_profile(ctx, cfg->legacy);
		if (cfg->default_permissions) {
			name = cfg->default_permissions;
			selected_by = cfg->default_span;
		} else if (cfg->default_span.file || sbx_toml_get(cfg->root, "sandbox_mode")) {
			/* set, but not to a usable value: reported; nothing applies
			** (run refuses the file), so no built-in is checked instead */
			return NULL;
		} else if (cfg->nprofiles) {
			const struct sbx_toml_key *pk = sbx_toml_get(cfg->root, "permissions");
			struct sbx_diag *d = sbx_diag_emit(
			    ctx, SBX_E0205, pk->span,
			    "config defines `[permissions]` profiles but does not set "
			    "`default_permissions`");
			sbx_diag_help(
			    ctx, d,
			    "add `default_permissions = \"%s\"` at the top of the file, "
			    "or select a profile with `-P`",
			    sbx_diag_quote(ctx, cfg->profiles[0], strlen(cfg->profiles[0])));
			return NULL;
		} else {
			name = ":read-only";
			sbx_diag_emit(ctx, SBX_N0201, SBX_NO_SPAN,
			              "no profile is selected; the built-in `:read-only` applies");
		}
	}
	const char *what = selected_by.file ? "default_permissions refers to" : "-P names an";
	if (name[0] == ':') {
		if (!check_builtin(ctx, name, selected_by, what))
			return NULL;
	} else if (!user_profile(cfg, name)) {
		struct sbx_diag *d;
		if (!cfg->permissions && selected_by.file) {
			d = sbx_diag_emit(
			    ctx, SBX_E0204, selected_by,
			    "default_permissions `%s` requires a `[permissions]` table",
			    sbx_diag_quote(ctx, name, strlen(name)));
			sbx_diag_help(ctx, d,
			              "define `[permissions.%s]`, or use a built-in profile "
			              "such as `:workspace`",
			              sbx_diag_quote(ctx, name, strlen(name)));
			return NULL;
		}
		d = sbx_diag_emit(ctx, SBX_E0202, selected_by, "%s undefined profile `%s`", what,
		                  sbx_diag_quote(ctx, name, strlen(name)));
		suggest_profile(ctx, d, cfg, name);
		return NULL;
	}
	return compile_named(ctx, cfg, name, selected_by);
}
