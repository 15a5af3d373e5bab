/*
** test_sbpl.c: the macOS target's text helpers (emitters/sbpl.c) and its
** view in the semantic pass (compiler/macos.c): regex escaping, glob
** regexes, SBPL string quoting, canonical paths, case-insensitive
** exclusions, the refusals, and the emitted profile text.
*/
#include "macos.h"
#include "sbpl.h"
#include "schema_fixture.h"

#include <criterion/criterion.h>
#include <regex.h>
#include <string.h>

static const char *esc(const char *s, bool ci)
{
	static char buf[512];
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sbpl_regex_append(&sb, s, strlen(s), ci);
	snprintf(buf, sizeof buf, "%s", sb.buf ? sb.buf : "");
	sbx_sb_release(&sb);
	return buf;
}

/* Does the POSIX ERE (as the C library reads it) match s? */
static bool ere(const char *re, const char *s)
{
	regex_t r;
	cr_assert_eq(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0, "bad ERE %s", re);
	bool m = regexec(&r, s, 0, NULL, 0) == 0;
	regfree(&r);
	return m;
}

Test(sbpl, escapes_every_ere_metacharacter)
{
	cr_assert_str_eq(esc(".[](){}*+?^$|\\", false),
	                 "\\.\\[\\]\\(\\)\\{\\}\\*\\+\\?\\^\\$\\|\\\\");
	cr_assert_str_eq(esc("/a-b_c/1", false), "/a-b_c/1");
	/* the escaped text matches exactly itself */
	const char *odd = "/w/a.b+(c)[d]{2}$^|*?\\e";
	char re[256];
	snprintf(re, sizeof re, "^%s$", esc(odd, false));
	cr_assert(ere(re, odd));
	cr_assert(!ere(re, "/w/aXb+(c)[d]{2}$^|*?\\e"));
}

Test(sbpl, case_insensitive_letters)
{
	cr_assert_str_eq(esc("/Sec.x", true), "/[Ss][Ee][Cc]\\.[Xx]");
	char re[256];
	snprintf(re, sizeof re, "^%s$", esc("/Users/Dev/.Git", true));
	cr_assert(ere(re, "/users/dev/.git"));
	cr_assert(ere(re, "/USERS/DEV/.GIT"));
	cr_assert(!ere(re, "/users/dev/xgit"));
	/* bytes past ASCII are copied, never folded */
	cr_assert_str_eq(esc("\xc3\xa4", true), "\xc3\xa4");
}

Test(sbpl, glob_regexes)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	const char *r = sbx_sbpl_glob_regex(ctx, "/w/**/*.pem");
	cr_assert_str_eq(r, "^/[Ww](/[^/]+)*/[^/]*\\.[Pp][Ee][Mm](/.*)?$");
	cr_assert(ere(r, "/w/k.pem"));
	cr_assert(ere(r, "/W/a/b/K.PEM"));
	cr_assert(ere(r, "/w/k.pem/inside"));
	cr_assert(!ere(r, "/w/k.pemx"));
	cr_assert(!ere(r, "/x/k.pem"));
	r = sbx_sbpl_glob_regex(ctx, "/w/**");
	cr_assert(ere(r, "/w/a"));
	cr_assert(!ere(r, "/w"));
	r = sbx_sbpl_glob_regex(ctx, "/w/a[b");
	cr_assert_str_eq(r, "^/[Ww]/[Aa]\\[[Bb](/.*)?$");
	sbx_ctx_free(&ctx);
}

Test(sbpl, quote)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sbpl_quote(&sb, "a\"b\\c");
	cr_assert_str_eq(sb.buf, "\"a\\\"b\\\\c\"");
	sbx_sb_release(&sb);
}

Test(sbpl, canonical_paths)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	cr_assert_str_eq(sbx_macos_canon(&ctx->arena, "/tmp"), "/private/tmp");
	cr_assert_str_eq(sbx_macos_canon(&ctx->arena, "/TMP/x"), "/private/tmp/x");
	cr_assert_str_eq(sbx_macos_canon(&ctx->arena, "/var/db"), "/private/var/db");
	cr_assert_str_eq(sbx_macos_canon(&ctx->arena, "/etc"), "/private/etc");
	cr_assert_str_eq(sbx_macos_canon(&ctx->arena, "/tmpx"), "/tmpx");
	cr_assert_str_eq(sbx_macos_canon(&ctx->arena, "/private/tmp"), "/private/tmp");
	sbx_ctx_free(&ctx);
}

struct mac {
	struct sbx_ctx *ctx;
	const struct sbx_resolved *r;
};

static struct mac resolve(const char *toml)
{
	struct mac m = {.ctx = sbx_ctx_new()};
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(m.ctx, toml, NULL, &cfg);
	cr_assert_not_null(p);
	struct sbx_resolve_opts o = {.flavor = SBX_FLAVOR_POSIX,
	                             .cwd = "/Users/dev/repo",
	                             .home = "/Users/dev",
	                             .os_given = true,
	                             .os = SBX_OS_MACOS};
	m.r = sbx_resolve(m.ctx, p, &o);
	cr_assert_not_null(m.r);
	cr_assert_not_null(m.r->macos);
	return m;
}

static unsigned ops(struct mac *m, const char *path)
{
	const char *cut;
	return sbx_macos_ops(m->ctx, m->r->macos, path, &cut);
}

Test(sbpl, denials_match_without_case)
{
	struct mac m = resolve("default_permissions = \"p\"\n"
	                       "[permissions.p.filesystem]\n"
	                       "\":root\" = \"read\"\n"
	                       "\"/Users/dev/repo\" = \"write\"\n"
	                       "\"/Users/dev/repo/Secrets\" = \"deny\"\n"
	                       "\"/users/dev/repo/keys\" = \"deny\"\n");
	cr_assert_eq(ops(&m, "/Users/dev/repo/src/a.c"), SBX_MAC_ALL);
	cr_assert_eq(ops(&m, "/Users/dev/repo/secrets/k"), 0);
	cr_assert_eq(ops(&m, "/Users/dev/repo/SECRETS"), 0);
	/* a deny spelled in another case than the grant still cuts it */
	cr_assert_eq(ops(&m, "/Users/dev/repo/keys/id"), 0);
	cr_assert_eq(ops(&m, "/Users/dev/repo/KEYS"), 0);
	/* protected names in any case */
	cr_assert_eq(ops(&m, "/Users/dev/repo/.GIT/config"), SBX_MAC_READ);
	cr_assert_eq(ops(&m, "/Users/dev/repo/.Codex"), SBX_MAC_READ);
	/* a grant is byte-wise: another spelling of the root is not writable */
	cr_assert_eq(ops(&m, "/users/dev/repo/src"), SBX_MAC_READ);
	cr_assert(m.r->enforce[SBX_BACKEND_MACOS_SEATBELT].ok);
	sbx_ctx_free(&m.ctx);
}

Test(sbpl, rename_protected_parents)
{
	struct mac m = resolve("default_permissions = \"p\"\n"
	                       "[permissions.p.filesystem]\n"
	                       "\"/Users/dev/repo\" = \"write\"\n"
	                       "\"/Users/dev/repo/a/b/ro\" = \"read\"\n");
	/* renaming a or a/b would carry ro out of its exclusion */
	cr_assert_eq(ops(&m, "/Users/dev/repo/a"),
	             SBX_MAC_ALL & ~(SBX_MAC_RENAME | SBX_MAC_UNLINK));
	cr_assert_eq(ops(&m, "/Users/dev/repo/A/B"),
	             SBX_MAC_ALL & ~(SBX_MAC_RENAME | SBX_MAC_UNLINK));
	cr_assert_eq(ops(&m, "/Users/dev/repo/a/c"), SBX_MAC_ALL);
	cr_assert_eq(ops(&m, "/Users/dev/repo/a/b/ro/x"), SBX_MAC_READ);
	sbx_ctx_free(&m.ctx);
}

Test(sbpl, firmlinks)
{
	struct mac m = resolve("default_permissions = \"p\"\n"
	                       "[permissions.p.filesystem]\n"
	                       "\":root\" = \"read\"\n"
	                       "\"/tmp\" = \"write\"\n"
	                       "\"/etc/secret\" = \"deny\"\n");
	cr_assert_eq(ops(&m, "/tmp/x"), SBX_MAC_ALL);
	cr_assert_eq(ops(&m, "/private/tmp/x"), SBX_MAC_ALL);
	cr_assert_eq(ops(&m, "/private/etc/secret"), 0);
	cr_assert_eq(ops(&m, "/etc/SECRET/x"), 0);
	sbx_ctx_free(&m.ctx);
}

Test(sbpl, refusals_name_the_entry)
{
	struct mac m = resolve("default_permissions = \"p\"\n"
	                       "[permissions.p.filesystem]\n"
	                       "\"/Users/dev/repo\" = \"write\"\n"
	                       "\"/Users/dev/repo/\xc3\xa9t\xc3\xa9\" = \"deny\"\n"
	                       "\"/Users/dev/repo/*.p?m\" = \"deny\"\n");
	const struct sbx_enforcement *e = &m.r->enforce[SBX_BACKEND_MACOS_SEATBELT];
	cr_assert(!e->ok);
	cr_assert_eq(e->nreasons, 2);
	cr_assert_eq(e->reasons[0]->code, SBX_E0650);
	cr_assert_str_eq(fx_text(m.ctx, e->reasons[0]->span),
	                 "\"/Users/dev/repo/\xc3\xa9t\xc3\xa9\"");
	cr_assert_eq(e->reasons[1]->code, SBX_E0651);
	cr_assert_str_eq(fx_text(m.ctx, e->reasons[1]->span), "\"/Users/dev/repo/*.p?m\"");
	sbx_ctx_free(&m.ctx);
}

Test(sbpl, no_policy_path_in_the_profile_text)
{
	struct mac m = resolve("default_permissions = \"p\"\n"
	                       "[permissions.p.filesystem]\n"
	                       "\":root\" = \"read\"\n"
	                       "\"/Users/dev/repo\" = \"write\"\n"
	                       "\"/Users/dev/repo/keep\" = \"read\"\n"
	                       "\"/Users/dev/repo/**/*.pem\" = \"deny\"\n");
	struct sbx_bundle b = {0};
	struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = &b};
	struct sbx_emit_opts eo = {0};
	cr_assert_eq(sbx_emit_macos(m.ctx, m.r, &eo, &sink), SBX_OK);
	const struct sbx_blob *pf = sbx_bundle_get(&b, SBX_ART_SBPL_PROFILE);
	cr_assert_not_null(pf);
	char *text = strndup((const char *)pf->data, pf->len);
	cr_assert_null(strstr(text, "/Users"));
	cr_assert_null(strstr(text, "pem"));
	cr_assert_not_null(strstr(text, "(deny default)"));
	cr_assert_not_null(strstr(text, "(param \"WRITABLE_ROOT_0_EXCLUDED_0_RE\")"));
	free(text);
	sbx_ctx_free(&m.ctx);
}
