/*
** config.c: the top level of a configuration document (first schema pass).
**
** A Codex config.toml holds much more than permissions; sbxc reads only
** `default_permissions`, `[permissions]`, the legacy `sandbox_mode` and
** `[sandbox_workspace_write]`, and `[features] network_proxy`, and ignores
** every other key silently. This pass checks those keys' types, lists the
** user profiles and decides which syntax selects the profile (§1.1: within
** one file `default_permissions` wins over `sandbox_mode`).
*/
#include "schema.h"

#include <string.h>

static void read_profiles(struct sbx_ctx *ctx, const struct sbx_toml_key *perms,
                          struct sbx_config *cfg)
{
	if (!sbx_schema_expect(ctx, perms, SBX_TOML_TABLE, "`permissions`"))
		return;
	const struct sbx_toml_table *t = perms->value.u.table;
	cfg->permissions = t;
	cfg->profiles = sbx_arena_alloc(&ctx->arena, (t->n + 1) * sizeof *cfg->profiles);
	cfg->profile_spans = sbx_arena_alloc(&ctx->arena, (t->n + 1) * sizeof *cfg->profile_spans);
	for (size_t i = 0; i < t->n; i++) {
		const struct sbx_toml_key *k = &t->items[i];
		const char *name = sbx_schema_name(ctx, k);
		if (k->value.type != SBX_TOML_TABLE) {
			struct sbx_diag *d =
			    sbx_diag_emit(ctx, SBX_E0201, k->value.span,
			                  "permissions profile `%s` must be a table, found %s",
			                  name, sbx_schema_type_phrase(k->value.type));
			sbx_diag_help(ctx, d, "write it as a `[permissions.%s]` table", name);
			continue;
		}
		if (k->len > 0 && k->name[0] == ':') {
			struct sbx_diag *d = sbx_diag_emit(
			    ctx, SBX_E0206, k->span,
			    "permissions profile `%s` uses the reserved built-in prefix `:`", name);
			sbx_diag_help(ctx, d,
			              "names starting with `:` are reserved for "
			              "`:read-only`, `:workspace` and `:danger-full-access`");
			continue;
		}
		if (memchr(k->name, 0, k->len)) {
			sbx_diag_emit(ctx, SBX_E0201, k->span,
			              "permissions profile name `%s` contains a NUL character",
			              name);
			continue;
		}
		cfg->profiles[cfg->nprofiles] = k->name;
		cfg->profile_spans[cfg->nprofiles] = k->span;
		cfg->nprofiles++;
	}
}

/* `[features] network_proxy = true`, or a `[features.network_proxy]` table
** with `enabled = true`, starts the managed proxy (§1.6). */
static void read_features(struct sbx_ctx *ctx, const struct sbx_toml_table *root,
                          struct sbx_config *cfg)
{
	const struct sbx_toml_key *f = sbx_toml_get(root, "features");
	if (!f || f->value.type != SBX_TOML_TABLE)
		return; /* [features] belongs to the rest of the config */
	const struct sbx_toml_key *np = sbx_toml_get(f->value.u.table, "network_proxy");
	if (!np)
		return;
	if (np->value.type == SBX_TOML_BOOL) {
		cfg->network_proxy_feature = np->value.u.boolean;
	} else if (np->value.type == SBX_TOML_TABLE) {
		const struct sbx_toml_key *en = sbx_toml_get(np->value.u.table, "enabled");
		if (en &&
		    sbx_schema_expect(ctx, en, SBX_TOML_BOOL, "`features.network_proxy.enabled`"))
			cfg->network_proxy_feature = en->value.u.boolean;
	} else {
		sbx_diag_emit(ctx, SBX_E0201, np->value.span,
		              "`features.network_proxy` must be a boolean or a table, found %s",
		              sbx_schema_type_phrase(np->value.type));
	}
}

enum sbx_status sbx_config_read(struct sbx_ctx *ctx, const struct sbx_toml_table *root,
                                struct sbx_config *cfg)
{
	size_t errors = sbx_diag_errors(ctx);
	memset(cfg, 0, sizeof *cfg);
	cfg->root = root;
	cfg->broken_chains = sbx_toml_table_new(ctx);

	const struct sbx_toml_key *perms = sbx_toml_get(root, "permissions");
	if (perms)
		read_profiles(ctx, perms, cfg);

	const struct sbx_toml_key *dp = sbx_toml_get(root, "default_permissions");
	if (dp)
		cfg->default_span = dp->value.span;
	if (dp && sbx_schema_expect(ctx, dp, SBX_TOML_STRING, "`default_permissions`")) {
		const struct sbx_toml_value *v = &dp->value;
		if (memchr(v->u.str.ptr, 0, v->u.str.len))
			sbx_diag_emit(ctx, SBX_E0202, v->span,
			              "default_permissions `%s` contains a NUL character",
			              sbx_diag_quote(ctx, v->u.str.ptr, v->u.str.len));
		else
			cfg->default_permissions = v->u.str.ptr;
		cfg->default_span = v->span;
	}

	read_features(ctx, root, cfg);
	cfg->legacy = sbx_legacy_read(ctx, root);
	cfg->syntax = SBX_SYNTAX_PROFILES;
	if (cfg->legacy && dp) {
		const struct sbx_toml_key *sm = sbx_toml_get(root, "sandbox_mode");
		struct sbx_diag *d = sbx_diag_emit(ctx, SBX_W0206, sm->span,
		                                   "`sandbox_mode` is ignored because "
		                                   "`default_permissions` is set");
		sbx_diag_note(ctx, d, dp->span, "`default_permissions` is set here");
		sbx_diag_help(ctx, d, "remove one of the two settings");
	} else if (cfg->legacy) {
		cfg->syntax = SBX_SYNTAX_LEGACY;
	}
	return sbx_diag_errors(ctx) > errors ? SBX_ESEMA : SBX_OK;
}
