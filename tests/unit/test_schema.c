/*
** The permissions schema: path key forms and their normalization, access
** values, scoped tables, glob rules, tokens, workspace roots, network
** defaults and the managed proxy, the legacy settings, and --strict.
*/
#include "schema_fixture.h"

static struct sbx_ctx *ctx;

static void setup(void)
{
	ctx = sbx_ctx_new();
}

static void teardown(void)
{
	sbx_ctx_free(&ctx);
}

TestSuite(schema, .init = setup, .fini = teardown);

#define PROFILE "default_permissions = \"p\"\n[permissions.p.filesystem]\n"

Test(schema, path_forms_are_normalized)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx,
	                                   PROFILE "\"/srv//data/./x/..\" = \"read\"\n"
	                                           "\"~/.ssh/\" = \"none\"\n"
	                                           "\"~\" = \"read\"\n"
	                                           "'c:/Users/Me\\code' = \"write\"\n"
	                                           "'\\\\?\\D:\\data' = \"read\"\n"
	                                           "'\\\\srv\\share\\x' = \"read\"\n",
	                                   NULL, &cfg);
	cr_assert_not_null(p);
	cr_assert_eq(ctx->ndiags, 0);
	const struct sbx_fs_entry *e = &p->entries[0];
	cr_assert_eq(e->kind, SBX_ENTRY_PATH);
	cr_assert_eq(e->anchor, SBX_ANCHOR_POSIX);
	cr_assert_str_eq(e->path, "/srv/data");
	cr_assert_eq(p->entries[1].anchor, SBX_ANCHOR_HOME);
	cr_assert_str_eq(p->entries[1].path, ".ssh");
	cr_assert_eq(p->entries[1].access, SBX_ACCESS_DENY, "none is deny");
	cr_assert_str_eq(p->entries[2].path, "");
	cr_assert_eq(p->entries[3].anchor, SBX_ANCHOR_WINDOWS);
	cr_assert_str_eq(p->entries[3].path, "C:\\Users\\Me\\code");
	cr_assert_str_eq(p->entries[4].path, "D:\\data");
	cr_assert_str_eq(p->entries[5].path, "\\\\srv\\share\\x");
}

Test(schema, scoped_tables)
{
	struct sbx_config cfg;
	struct sbx_profile *p =
	    fx_compile(ctx,
	               PROFILE "\"/srv\" = { \".\" = \"read\", \"logs/\" = \"write\" }\n"
	                       "[permissions.p.filesystem.\":workspace_roots\"]\n"
	                       "\".\" = \"write\"\n"
	                       "\"docs/api\" = \"read\"\n"
	                       "\"**/*.env\" = \"deny\"\n"
	                       "\"build/**\" = \"read\"\n",
	               NULL, &cfg);
	cr_assert_not_null(p);
	cr_assert_eq(ctx->ndiags, 1, "one W0204 for the unbounded glob");
	cr_assert_eq(fx_entry(p, "/srv")->access, SBX_ACCESS_READ);
	cr_assert_eq(fx_entry(p, "/srv/logs")->access, SBX_ACCESS_WRITE);
	cr_assert_eq(fx_entry(p, ":workspace_roots")->access, SBX_ACCESS_WRITE);
	cr_assert_eq(fx_entry(p, ":workspace_roots/docs/api")->access, SBX_ACCESS_READ);
	cr_assert_eq(fx_entry(p, ":workspace_roots/build")->access, SBX_ACCESS_READ,
	             "a final ** is the subtree");
	const struct sbx_fs_entry *g = fx_entry(p, "**/*.env");
	cr_assert_not_null(g);
	cr_assert_eq(g->kind, SBX_ENTRY_GLOB);
	cr_assert_eq(g->anchor, SBX_ANCHOR_WORKSPACE);
	cr_assert_str_eq(fx_text(ctx, g->key_span), "\"**/*.env\"");
	cr_assert_str_eq(fx_text(ctx, g->value_span), "\"deny\"");
	const struct sbx_diag *d = fx_diag(ctx, SBX_W0204, 0);
	cr_assert_not_null(d);
	cr_assert_str_eq(d->msg,
	                 "deny glob `**/*.env` uses `**` but `glob_scan_max_depth` is not set");
}

Test(schema, globs_under_paths_and_depth)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx,
	                                   PROFILE "glob_scan_max_depth = 3\n"
	                                           "\"/srv/**/*.key\" = \"deny\"\n"
	                                           "\"~/keys\" = { \"*.pem\" = \"deny\" }\n"
	                                           "\"/data/**\" = \"write\"\n",
	                                   NULL, &cfg);
	cr_assert_not_null(p);
	cr_assert_eq(ctx->ndiags, 0);
	cr_assert_eq(p->glob_scan_max_depth, 3);
	cr_assert_eq(fx_entry(p, "/srv/**/*.key")->kind, SBX_ENTRY_GLOB);
	const struct sbx_fs_entry *h = fx_entry(p, "keys/*.pem");
	cr_assert_not_null(h);
	cr_assert_eq(h->kind, SBX_ENTRY_GLOB);
	cr_assert_eq(h->anchor, SBX_ANCHOR_HOME);
	cr_assert_eq(fx_entry(p, "/data")->kind, SBX_ENTRY_PATH);
}

Test(schema, errors_name_the_key_and_value)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx,
	                                   PROFILE "\":root\" = \"rw\"\n"
	                                           "\"rel/path\" = \"read\"\n"
	                                           "\"/a/*\" = \"read\"\n"
	                                           "\":minimal\" = { \"x\" = \"read\" }\n"
	                                           "glob_scan_max_depth = -2\n",
	                                   NULL, &cfg);
	cr_assert_null(p);
	cr_assert_str_eq(fx_diag(ctx, SBX_E0306, 0)->msg,
	                 "invalid access `rw` for filesystem path `:root`");
	cr_assert_str_eq(fx_text(ctx, fx_diag(ctx, SBX_E0306, 0)->span), "\"rw\"");
	cr_assert_str_eq(fx_diag(ctx, SBX_E0301, 0)->msg,
	                 "filesystem path `rel/path` must be absolute, start with `~/` or be a "
	                 "`:` token");
	cr_assert_str_eq(fx_diag(ctx, SBX_E0304, 0)->msg,
	                 "filesystem glob `/a/*` only supports `deny` access");
	cr_assert_str_eq(fx_diag(ctx, SBX_E0303, 0)->msg,
	                 "filesystem path `:minimal` does not support nested entries");
	cr_assert_str_eq(fx_diag(ctx, SBX_E0305, 0)->msg,
	                 "glob_scan_max_depth must be at least 1, found -2");
	cr_assert_eq(sbx_diag_errors(ctx), 5);
}

Test(schema, unknown_tokens_are_kept_and_warned)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx,
	                                   PROFILE "\":root\" = \"read\"\n"
	                                           "\":future\" = { \"x\" = \"write\" }\n",
	                                   NULL, &cfg);
	cr_assert_not_null(p);
	const struct sbx_fs_entry *e = fx_entry(p, ":future/x");
	cr_assert_not_null(e);
	cr_assert_eq(e->special, SBX_SPECIAL_UNKNOWN);
	cr_assert_not_null(fx_diag(ctx, SBX_W0202, 0));
	cr_assert_eq(sbx_diag_errors(ctx), 0);
}

Test(schema, only_unknown_tokens_means_no_entries)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx, PROFILE "\":later\" = \"read\"\n", NULL, &cfg);
	cr_assert_not_null(p);
	cr_assert_not_null(fx_diag(ctx, SBX_W0203, 0));
}

Test(schema, workspace_roots)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx,
	                                   PROFILE "\":root\" = \"read\"\n"
	                                           "[permissions.p.workspace_roots]\n"
	                                           "\"~/code/lib\" = true\n"
	                                           "\"../sib\" = true\n"
	                                           "\"/old\" = false\n"
	                                           "\"/srv/x/\" = true\n",
	                                   NULL, &cfg);
	cr_assert_not_null(p);
	cr_assert_eq(p->nworkspace_roots, 3);
	cr_assert_eq(p->workspace_roots[0].anchor, SBX_ANCHOR_HOME);
	cr_assert_str_eq(p->workspace_roots[0].path, "code/lib");
	cr_assert_eq(p->workspace_roots[1].anchor, SBX_ANCHOR_CWD);
	cr_assert_str_eq(p->workspace_roots[1].path, "../sib");
	cr_assert_str_eq(p->workspace_roots[2].path, "/srv/x");
}

Test(schema, network_defaults_and_managed_proxy)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx,
	                                   "default_permissions = \":read-only\"\n"
	                                   "[permissions.net]\nextends = \":read-only\"\n"
	                                   "[permissions.net.network]\nenabled = true\n"
	                                   "proxy_url = \"http://localhost:9000\"\n",
	                                   "net", &cfg);
	cr_assert_not_null(p);
	const struct sbx_network *n = &p->network;
	cr_assert(n->enabled.value && n->enabled.set);
	cr_assert_str_eq(n->proxy_url.value, "http://localhost:9000");
	cr_assert_str_eq(n->socks_url.value, "http://127.0.0.1:8081");
	cr_assert(!n->socks_url.set);
	cr_assert(n->enable_socks5.value && n->allow_upstream_proxy.value);
	cr_assert(!n->allow_local_binding.value);
	cr_assert_eq(n->mode, SBX_NET_MODE_FULL);
	cr_assert(!n->managed_proxy, "without [features] network_proxy the proxy does not run");

	struct sbx_ctx *c2 = sbx_ctx_new();
	p = fx_compile(c2,
	               "default_permissions = \"net\"\n[features]\nnetwork_proxy = true\n"
	               "[permissions.net]\nextends = \":read-only\"\n"
	               "[permissions.net.network]\nenabled = true\n",
	               NULL, &cfg);
	cr_assert(p->network.managed_proxy);
	sbx_ctx_free(&c2);
}

Test(schema, legacy_workspace_write)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx,
	                                   "sandbox_mode = \"workspace-write\"\n"
	                                   "[sandbox_workspace_write]\n"
	                                   "writable_roots = [\"/var/cache\"]\n"
	                                   "network_access = true\n"
	                                   "exclude_tmpdir_env_var = true\n",
	                                   NULL, &cfg);
	cr_assert_not_null(p);
	cr_assert_eq(cfg.syntax, SBX_SYNTAX_LEGACY);
	cr_assert_eq(p->syntax, SBX_SYNTAX_LEGACY);
	cr_assert_str_eq(p->name, "workspace-write");
	cr_assert_eq(p->nentries, 4);
	cr_assert_not_null(fx_entry(p, ":root"));
	cr_assert_not_null(fx_entry(p, ":workspace_roots"));
	cr_assert_not_null(fx_entry(p, ":slash_tmp"));
	cr_assert_null(fx_entry(p, ":tmpdir"), "excluded by exclude_tmpdir_env_var");
	cr_assert_eq(fx_entry(p, "/var/cache")->access, SBX_ACCESS_WRITE);
	cr_assert(p->network.enabled.value);
	cr_assert_eq(p->legacy->mode, SBX_LEGACY_WORKSPACE_WRITE);
}

Test(schema, default_permissions_wins_over_sandbox_mode)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx,
	                                   "sandbox_mode = \"read-only\"\n"
	                                   "default_permissions = \":workspace\"\n",
	                                   NULL, &cfg);
	cr_assert_not_null(p);
	cr_assert_str_eq(p->name, ":workspace");
	cr_assert_not_null(fx_diag(ctx, SBX_W0206, 0));
}

Test(schema, strict_makes_unknown_keys_errors)
{
	struct sbx_config cfg;
	ctx->strict = true;
	struct sbx_profile *p =
	    fx_compile(ctx,
	               "default_permissions = \"p\"\n"
	               "[permissions.p]\nextends = \":read-only\"\nnetwrok = 1\n",
	               NULL, &cfg);
	cr_assert_null(p, "an error under --strict fails the profile");
	const struct sbx_diag *d = fx_diag(ctx, SBX_W0201, 0);
	cr_assert_not_null(d);
	cr_assert_eq(d->sev, SBX_SEV_ERROR);
	cr_assert_str_eq(d->msg, "unknown key `netwrok` in permissions profile `p`");
	cr_assert_str_eq(d->notes->msg, "did you mean `network`?");
}

Test(schema, danger_full_access_is_disabled)
{
	struct sbx_config cfg;
	struct sbx_profile *p =
	    fx_compile(ctx, "default_permissions = \":danger-full-access\"\n", NULL, &cfg);
	cr_assert_not_null(p);
	cr_assert_eq(p->kind, SBX_PROFILE_DISABLED);
	cr_assert(p->builtin);
	cr_assert_eq(p->nentries, 0);
}
