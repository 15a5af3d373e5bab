/*
** The extends merge (§1.7): parent-first deep merge, child values replacing
** parents', identity keys not inherited, built-in parents, domain keys by
** normalized host, entry attribution, and inputs left untouched.
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

TestSuite(merge, .init = setup, .fini = teardown);

static const char *chain_text = "default_permissions = \"child\"\n"
                                "[permissions.base]\n"
                                "description = \"base profile\"\n"
                                "[permissions.base.filesystem]\n"
                                "\":root\" = \"read\"\n"
                                "\"/srv\" = \"write\"\n"
                                "\"/opt\" = \"read\"\n"
                                "[permissions.base.filesystem.\":workspace_roots\"]\n"
                                "\".\" = \"write\"\n"
                                "\"docs\" = \"read\"\n"
                                "[permissions.mid]\n"
                                "extends = \"base\"\n"
                                "[permissions.mid.filesystem]\n"
                                "\"/opt\" = \"deny\"\n"
                                "[permissions.child]\n"
                                "extends = \"mid\"\n"
                                "[permissions.child.filesystem]\n"
                                "\"/srv\" = \"read\"\n"
                                "\":workspace_roots\" = \"read\"\n"
                                "\"/home\" = \"deny\"\n";

Test(merge, child_values_override_parents_in_parent_order)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx, chain_text, NULL, &cfg);
	cr_assert_not_null(p);
	cr_assert_eq(p->nchain, 3);
	cr_assert_str_eq(p->chain[0], "child");
	cr_assert_str_eq(p->chain[1], "mid");
	cr_assert_str_eq(p->chain[2], "base");
	/* parent keys first, in the parent's order; new child keys after */
	cr_assert_eq(p->nentries, 5);
	cr_assert_str_eq(p->entries[0].token, ":root");
	cr_assert_str_eq(p->entries[1].path, "/srv");
	cr_assert_str_eq(p->entries[2].path, "/opt");
	cr_assert_str_eq(p->entries[3].token, ":workspace_roots");
	cr_assert_str_eq(p->entries[4].path, "/home");

	const struct sbx_fs_entry *srv = fx_entry(p, "/srv");
	cr_assert_eq(srv->access, SBX_ACCESS_READ);
	cr_assert_str_eq(srv->profile, "child");
	cr_assert_str_eq(fx_text(ctx, srv->key_span), "\"/srv\"");
	cr_assert_eq(fx_entry(p, "/opt")->access, SBX_ACCESS_DENY);
	cr_assert_str_eq(fx_entry(p, "/opt")->profile, "mid");
	cr_assert_str_eq(fx_entry(p, ":root")->profile, "base");
}

Test(merge, child_scalar_replaces_parent_table)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx, chain_text, NULL, &cfg);
	/* the child's ":workspace_roots" = "read" replaces the scoped table */
	cr_assert_null(fx_entry(p, ":workspace_roots/docs"));
	const struct sbx_fs_entry *w = fx_entry(p, ":workspace_roots");
	cr_assert_not_null(w);
	cr_assert_eq(w->access, SBX_ACCESS_READ);
	cr_assert_null(w->subpath);
}

Test(merge, description_and_extends_are_not_inherited)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx, chain_text, NULL, &cfg);
	cr_assert_null(p->description);
	cr_assert_eq(ctx->ndiags, 0, "a merged extends key must not look unknown");
	struct sbx_profile *b = sbx_profile_compile(ctx, &cfg, "base", SBX_NO_SPAN);
	cr_assert_str_eq(b->description, "base profile");
}

Test(merge, inputs_are_not_modified)
{
	struct sbx_config cfg;
	struct sbx_profile *child = fx_compile(ctx, chain_text, NULL, &cfg);
	cr_assert_not_null(child);
	struct sbx_profile *base = sbx_profile_compile(ctx, &cfg, "base", SBX_NO_SPAN);
	cr_assert_eq(base->nentries, 5);
	cr_assert_eq(fx_entry(base, "/srv")->access, SBX_ACCESS_WRITE);
	cr_assert_not_null(fx_entry(base, ":workspace_roots/docs"));
	cr_assert_null(fx_entry(base, "/home"));
}

Test(merge, builtin_parent_expands_to_its_entries)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx,
	                                   "default_permissions = \"dev\"\n"
	                                   "[permissions.dev]\n"
	                                   "extends = \":workspace\"\n"
	                                   "[permissions.dev.filesystem]\n"
	                                   "\":tmpdir\" = \"read\"\n",
	                                   NULL, &cfg);
	cr_assert_not_null(p);
	cr_assert_eq(p->nchain, 2);
	cr_assert_str_eq(p->chain[1], ":workspace");
	cr_assert_eq(p->nentries, 4);
	cr_assert_eq(fx_entry(p, ":root")->access, SBX_ACCESS_READ);
	cr_assert_str_eq(fx_entry(p, ":root")->profile, ":workspace");
	cr_assert_eq(fx_entry(p, ":root")->key_span.file, 0, "built-in keys have no source");
	cr_assert_eq(fx_entry(p, ":workspace_roots")->access, SBX_ACCESS_WRITE);
	cr_assert_eq(fx_entry(p, ":slash_tmp")->access, SBX_ACCESS_WRITE);
	cr_assert_eq(fx_entry(p, ":tmpdir")->access, SBX_ACCESS_READ);
	cr_assert_str_eq(fx_entry(p, ":tmpdir")->profile, "dev");
	cr_assert_eq(p->network.enabled.value, false);
}

Test(merge, domains_merge_by_normalized_host)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx,
	                                   "default_permissions = \"child\"\n"
	                                   "[permissions.base]\n"
	                                   "extends = \":read-only\"\n"
	                                   "[permissions.base.network.domains]\n"
	                                   "\"SHARED.EXAMPLE.COM.\" = \"deny\"\n"
	                                   "\"base.example.com\" = \"allow\"\n"
	                                   "[permissions.child]\n"
	                                   "extends = \"base\"\n"
	                                   "[permissions.child.network]\n"
	                                   "enabled = true\n"
	                                   "[permissions.child.network.domains]\n"
	                                   "\"shared.example.com\" = \"allow\"\n",
	                                   NULL, &cfg);
	cr_assert_not_null(p);
	cr_assert_eq(p->network.ndomains, 2);
	cr_assert_str_eq(p->network.domains[0].pattern, "base.example.com");
	cr_assert_str_eq(p->network.domains[1].pattern, "shared.example.com");
	cr_assert(p->network.domains[1].allow, "the child's rule wins");
	cr_assert(p->network.enabled.value);
	cr_assert_null(fx_diag(ctx, SBX_W0205, 0), "a merge override is not a duplicate");
}

Test(merge, broken_chain_is_reported_once)
{
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(ctx,
	                                   "default_permissions = \"a\"\n"
	                                   "[permissions.a]\nextends = \"b\"\n"
	                                   "[permissions.b]\nextends = \"a\"\n",
	                                   NULL, &cfg);
	cr_assert_null(p);
	cr_assert_null(sbx_profile_compile(ctx, &cfg, "b", SBX_NO_SPAN));
	const struct sbx_diag *d = fx_diag(ctx, SBX_E0209, 0);
	cr_assert_not_null(d);
	cr_assert_str_eq(d->msg, "permissions profile inheritance cycle detected: a -> b -> a");
	cr_assert_null(fx_diag(ctx, SBX_E0209, 1));
}
