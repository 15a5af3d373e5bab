/*
** legacy_schema.c: the legacy settings (`sandbox_mode` and
** `[sandbox_workspace_write]`) read into struct sbx_legacy_settings, and the
** profile they stand for (§2.1):
**   read-only        :root = read
**   workspace-write  :root = read, :workspace_roots = write, :slash_tmp and
**                    :tmpdir = write unless excluded, each writable root
**   danger-full-access  no sandbox
** Entries point at the settings that produced them, so diagnostics about a
** legacy profile still name a line of the file.
*/
#include "path.h"
#include "schema.h"

#include <string.h>

static const char *const mode_names[] = {"read-only", "workspace-write", "danger-full-access"};
static const char *const legacy_keys[] = {"writable_roots", "network_access",
                                          "exclude_tmpdir_env_var", "exclude_slash_tmp"};

static void read_roots(struct sbx_ctx *ctx, const struct sbx_toml_key *k,
                       struct sbx_legacy_settings *l)
{
	if (!sbx_schema_expect(ctx, k, SBX_TOML_ARRAY, "`sandbox_workspace_write.writable_roots`"))
		return;
	const struct sbx_toml_array *a = k->value.u.array;
	l->writable_roots = sbx_arena_alloc(&ctx->arena, (a->n + 1) * sizeof *l->writable_roots);
	for (size_t i = 0; i < a->n; i++) {
		const struct sbx_toml_value *v = &a->items[i];
		if (v->type != SBX_TOML_STRING) {
			sbx_diag_emit(ctx, SBX_E0212, v->span,
			              "`writable_roots` entries must be strings, found %s",
			              sbx_schema_type_phrase(v->type));
			continue;
		}
		const char *s = v->u.str.ptr;
		size_t n = v->u.str.len;
		struct sbx_workspace_root *r = &l->writable_roots[l->nwritable_roots];
		r->span = v->span;
		if (memchr(s, 0, n)) {
			/* a C string would end at the NUL and name another path */
			sbx_diag_emit(ctx, SBX_E0212, v->span,
			              "writable root `%s` contains a NUL character",
			              sbx_diag_quote(ctx, s, n));
			continue;
		}
		switch (sbx_path_form(s, n)) {
		case SBX_FORM_POSIX:
			r->anchor = SBX_ANCHOR_POSIX;
			r->path = sbx_path_normalize(&ctx->arena, SBX_FLAVOR_POSIX, s, n);
			break;
		case SBX_FORM_WINDOWS:
			r->anchor = SBX_ANCHOR_WINDOWS;
			r->path = sbx_path_normalize(&ctx->arena, SBX_FLAVOR_WINDOWS, s, n);
			break;
		case SBX_FORM_HOME:
			r->anchor = SBX_ANCHOR_HOME;
			/* both separators, as for filesystem keys */
			r->path =
			    sbx_path_normalize_rel(&ctx->arena, SBX_FLAVOR_WINDOWS, s + 1, n - 1);
			break;
		default:
			r->path = NULL;
			break;
		}
		if (!r->path) {
			struct sbx_diag *d = sbx_diag_emit(
			    ctx, SBX_E0212, v->span, "writable root `%s` must be an absolute path",
			    sbx_diag_quote(ctx, s, n));
			sbx_diag_help(ctx, d,
			              "the workspace (the current directory) is always "
			              "writable under workspace-write");
			continue;
		}
		l->nwritable_roots++;
	}
}

static void read_table(struct sbx_ctx *ctx, const struct sbx_toml_key *swr,
                       struct sbx_legacy_settings *l)
{
	if (!sbx_schema_expect(ctx, swr, SBX_TOML_TABLE, "`sandbox_workspace_write`"))
		return;
	const struct sbx_toml_table *t = swr->value.u.table;
	for (size_t i = 0; i < t->n; i++) {
		const struct sbx_toml_key *k = &t->items[i];
		if (sbx_schema_key_is(k, "writable_roots")) {
			read_roots(ctx, k, l);
		} else if (sbx_schema_key_is(k, "network_access")) {
			if (sbx_schema_expect(ctx, k, SBX_TOML_BOOL, "`network_access`"))
				l->network_access = k->value.u.boolean;
		} else if (sbx_schema_key_is(k, "exclude_tmpdir_env_var")) {
			if (sbx_schema_expect(ctx, k, SBX_TOML_BOOL, "`exclude_tmpdir_env_var`"))
				l->exclude_tmpdir_env_var = k->value.u.boolean;
		} else if (sbx_schema_key_is(k, "exclude_slash_tmp")) {
			if (sbx_schema_expect(ctx, k, SBX_TOML_BOOL, "`exclude_slash_tmp`"))
				l->exclude_slash_tmp = k->value.u.boolean;
		} else {
			const char *name = sbx_schema_name(ctx, k);
			struct sbx_diag *d =
			    sbx_diag_emit(ctx, SBX_W0207, k->span,
			                  "unknown key `%s` in `[sandbox_workspace_write]`", name);
			const char *s = sbx_schema_suggest(k->name, legacy_keys, 4);
			if (s)
				sbx_diag_help(ctx, d, "did you mean `%s`?", s);
			else
				sbx_diag_note(ctx, d, SBX_NO_SPAN, "the key is ignored");
		}
	}
}

/* The settings for mode text v (from the file at span, or from the command
** line with SBX_NO_SPAN). */
static struct sbx_legacy_settings *settings(struct sbx_ctx *ctx, const struct sbx_toml_table *root,
                                            const char *v, size_t len, struct sbx_span span)
{
	struct sbx_legacy_settings *l = sbx_arena_alloc(&ctx->arena, sizeof *l);
	size_t errors = sbx_diag_errors(ctx);
	l->mode_span = span;
	if (len == 9 && memcmp(v, "read-only", 9) == 0) {
		l->mode = SBX_LEGACY_READ_ONLY;
	} else if (len == 15 && memcmp(v, "workspace-write", 15) == 0) {
		l->mode = SBX_LEGACY_WORKSPACE_WRITE;
	} else if (len == 18 && memcmp(v, "danger-full-access", 18) == 0) {
		l->mode = SBX_LEGACY_DANGER_FULL_ACCESS;
	} else {
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_E0210, span, "invalid sandbox_mode `%s`", sbx_diag_quote(ctx, v, len));
		sbx_diag_help(ctx, d,
		              "expected `read-only`, `workspace-write` or "
		              "`danger-full-access`");
		return NULL;
	}
	const struct sbx_toml_key *swr =
	    root ? sbx_toml_get(root, "sandbox_workspace_write") : NULL;
	if (swr)
		read_table(ctx, swr, l);
	for (size_t i = 0; i < l->nwritable_roots; i++)
		l->writable_roots[i].profile = mode_names[l->mode];
	l->invalid = sbx_diag_errors(ctx) > errors;
	return l;
}

const struct sbx_legacy_settings *sbx_legacy_read(struct sbx_ctx *ctx,
                                                  const struct sbx_toml_table *root)
{
	const struct sbx_toml_key *sm = sbx_toml_get(root, "sandbox_mode");
	if (!sm || !sbx_schema_expect(ctx, sm, SBX_TOML_STRING, "`sandbox_mode`"))
		return NULL;
	return settings(ctx, root, sm->value.u.str.ptr, sm->value.u.str.len, sm->value.span);
}

struct sbx_profile *sbx_legacy_override(struct sbx_ctx *ctx, const struct sbx_toml_table *root,
                                        const char *mode)
{
	const struct sbx_legacy_settings *l = settings(ctx, root, mode, strlen(mode), SBX_NO_SPAN);
	return l && !l->invalid ? sbx_legacy_profile(ctx, l) : NULL;
}

static void add(struct sbx_ctx *ctx, struct sbx_profile *p, size_t *cap, struct sbx_fs_entry e)
{
	p->entries =
	    sbx_arena_grow(&ctx->arena, p->entries, cap, p->nentries + 1, sizeof *p->entries);
	e.profile = p->name;
	p->entries[p->nentries++] = e;
}

static struct sbx_fs_entry special(enum sbx_special s, const char *token, enum sbx_access a,
                                   struct sbx_span span)
{
	return (struct sbx_fs_entry){.kind = SBX_ENTRY_SPECIAL,
	                             .special = s,
	                             .token = token,
	                             .access = a,
	                             .key_span = span,
	                             .value_span = span};
}

struct sbx_profile *sbx_legacy_profile(struct sbx_ctx *ctx, const struct sbx_legacy_settings *l)
{
	struct sbx_profile *p = sbx_arena_alloc(&ctx->arena, sizeof *p);
	p->name = mode_names[l->mode];
	p->syntax = SBX_SYNTAX_LEGACY;
	p->legacy = l;
	p->span = l->mode_span;
	p->chain = sbx_arena_alloc(&ctx->arena, sizeof *p->chain);
	p->chain[0] = p->name;
	p->nchain = 1;
	sbx_net_compile(ctx, p, NULL, NULL); /* the defaults */
	if (l->mode == SBX_LEGACY_DANGER_FULL_ACCESS) {
		p->kind = SBX_PROFILE_DISABLED;
		p->network.enabled.value = true;
		return p;
	}
	size_t cap = 0;
	add(ctx, p, &cap, special(SBX_SPECIAL_ROOT, ":root", SBX_ACCESS_READ, l->mode_span));
	if (l->mode == SBX_LEGACY_WORKSPACE_WRITE) {
		add(ctx, p, &cap,
		    special(SBX_SPECIAL_WORKSPACE_ROOTS, ":workspace_roots", SBX_ACCESS_WRITE,
		            l->mode_span));
		if (!l->exclude_slash_tmp)
			add(ctx, p, &cap,
			    special(SBX_SPECIAL_SLASH_TMP, ":slash_tmp", SBX_ACCESS_WRITE,
			            l->mode_span));
		if (!l->exclude_tmpdir_env_var)
			add(ctx, p, &cap,
			    special(SBX_SPECIAL_TMPDIR, ":tmpdir", SBX_ACCESS_WRITE, l->mode_span));
		for (size_t i = 0; i < l->nwritable_roots; i++) {
			const struct sbx_workspace_root *r = &l->writable_roots[i];
			add(ctx, p, &cap,
			    (struct sbx_fs_entry){.kind = SBX_ENTRY_PATH,
			                          .anchor = r->anchor,
			                          .path = r->path,
			                          .access = SBX_ACCESS_WRITE,
			                          .key_span = r->span,
			                          .value_span = r->span});
		}
		p->network.enabled.value = l->network_access;
		p->network.enabled.set = true;
	}
	return p;
}
