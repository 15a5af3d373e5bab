/*
** Unit tests for the semantic pass on hand-built profiles (no parser, no
** filesystem: probing is off, so facts are assumptions): effective access
** and its tie-breaks, tokens, protected names, the derived views, the legacy
** projection and round trip, the per-backend verdicts and the E05xx context
** errors.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "sema_fixture.h"

static struct sbx_ctx *ctx;

static void setup(void)
{
	ctx = sbx_ctx_new();
}

static void teardown(void)
{
	sbx_ctx_free(&ctx);
}

TestSuite(resolve, .init = setup, .fini = teardown);

#define R SBX_ACCESS_READ
#define W SBX_ACCESS_WRITE
#define D SBX_ACCESS_DENY

static struct sbx_resolved *posix(struct pb *b, const char *cwd)
{
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_POSIX, cwd, "/home/u", "/var/tmp/t");
	struct sbx_resolved *r = sbx_resolve(ctx, b->p, &o);
	cr_assert_not_null(r, "resolution failed: %s", ctx->ndiags ? ctx->diags[0]->msg : "");
	return r;
}

static enum sbx_access acc(const struct sbx_resolved *r, const char *path)
{
	return sbx_resolved_access(r, path, NULL);
}

static bool has_reason(const struct sbx_resolved *r, enum sbx_backend b, enum sbx_diag_code c)
{
	for (size_t i = 0; i < r->enforce[b].nreasons; i++)
		if (r->enforce[b].reasons[i]->code == c)
			return true;
	return false;
}

Test(resolve, readme_nested_reopen)
{
	struct pb b;
	pb_init(&b, ctx, "nested");
	pb_path(&b, "/repo", W);
	pb_path(&b, "/repo/a", D);
	pb_path(&b, "/repo/a/b", W);
	struct sbx_resolved *r = posix(&b, "/repo");
	cr_assert_eq(acc(r, "/repo/x"), W);
	cr_assert_eq(acc(r, "/repo/a"), D);
	cr_assert_eq(acc(r, "/repo/a/x"), D);
	cr_assert_eq(acc(r, "/repo/a/b"), W);
	cr_assert_eq(acc(r, "/repo/a/b/c/d"), W);
	cr_assert_eq(acc(r, "/other"), D);
	cr_assert_eq(acc(r, "/"), D);
	cr_assert_not(r->full_read);
	cr_assert_eq(r->nwritable_roots, 2);
	cr_assert_str_eq(r->writable_roots[0].root.path, "/repo");
	cr_assert_str_eq(r->writable_roots[1].root.path, "/repo/a/b");
	/* /repo keeps /repo/.codex (cwd, always) and the denied /repo/a */
	const struct sbx_writable_root *w = &r->writable_roots[0];
	cr_assert_eq(w->nread_only, 2);
	cr_assert_str_eq(w->read_only[0].path, "/repo/.codex");
	cr_assert_eq(w->read_only[0].origin, SBX_ORIGIN_CODEX);
	cr_assert_str_eq(w->read_only[1].path, "/repo/a");
	cr_assert_eq(w->nprotected, 3);
	cr_assert_eq(r->nunreadable_roots, 1);
	cr_assert_str_eq(r->unreadable_roots[0].path, "/repo/a");
	/* readable roots: the two writable ones */
	cr_assert_eq(r->nreadable_roots, 2);
	/* bwrap enforces the general model; Landlock cannot deny under a grant */
	cr_assert(r->enforce[SBX_BACKEND_LINUX_BWRAP].ok);
	cr_assert(r->enforce[SBX_BACKEND_MACOS_SEATBELT].ok);
	cr_assert_not(r->enforce[SBX_BACKEND_LINUX_LANDLOCK].ok);
	cr_assert(has_reason(r, SBX_BACKEND_LINUX_LANDLOCK, SBX_E0610));
	cr_assert(has_reason(r, SBX_BACKEND_LINUX_LANDLOCK, SBX_E0612));
	cr_assert_not(r->enforce[SBX_BACKEND_WINDOWS_ELEVATED].applicable);
	cr_assert_not(r->enforce[SBX_BACKEND_WINDOWS_ELEVATED].ok);
	cr_assert_eq(r->enforce[SBX_BACKEND_WINDOWS_ELEVATED].nreasons, 0);
	cr_assert_str_eq(r->enforce[SBX_BACKEND_WINDOWS_ELEVATED].notes[0],
	                 "does not apply to a policy resolved for POSIX paths");
}

Test(resolve, ties_and_no_match)
{
	struct pb b;
	pb_init(&b, ctx, "ties");
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, "x", R);
	pb_path(&b, "/w/x", D); /* same path: deny wins */
	pb_path(&b, "/w/y", R);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, "y", W); /* write beats read */
	struct sbx_resolved *r = posix(&b, "/w");
	struct sbx_decision why;
	cr_assert_eq(sbx_resolved_access(r, "/w/x/f", &why), D);
	cr_assert_eq(why.origin, SBX_ORIGIN_ENTRY);
	cr_assert_eq(why.src, &b.p->entries[1]);
	cr_assert_eq(sbx_resolved_access(r, "/w/y", &why), W);
	cr_assert_eq(why.src, &b.p->entries[3]);
	cr_assert_eq(sbx_resolved_access(r, "/w/z", &why), D);
	cr_assert_eq(why.origin, SBX_ORIGIN_NO_MATCH);
}

Test(resolve, workspace_builtin_shape)
{
	struct pb b;
	pb_init(&b, ctx, ":workspace");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, W);
	pb_special(&b, SBX_SPECIAL_SLASH_TMP, NULL, W);
	pb_special(&b, SBX_SPECIAL_TMPDIR, NULL, W);
	struct sbx_resolved *r = posix(&b, "/ws");
	cr_assert(r->full_read);
	cr_assert_not(r->full_write);
	cr_assert_eq(acc(r, "/etc/passwd"), R);
	cr_assert_eq(acc(r, "/ws/src/a.c"), W);
	cr_assert_eq(acc(r, "/tmp/x"), W); /* offline: /tmp assumed to be a directory */
	cr_assert_eq(acc(r, "/var/tmp/t/x"), W);
	struct sbx_decision why;
	cr_assert_eq(sbx_resolved_access(r, "/ws/.git/config", &why), R);
	cr_assert(why.write_blocked_by_name);
	cr_assert_str_eq(why.name, ".git");
	cr_assert_str_eq(why.root, "/ws");
	cr_assert_eq(why.origin, SBX_ORIGIN_PROTECTED); /* offline: .git assumed missing */
	cr_assert_eq(sbx_resolved_access(r, "/ws/.codex", &why), R);
	cr_assert_eq(why.origin, SBX_ORIGIN_CODEX);
	cr_assert_eq(sbx_resolved_access(r, "/tmp/.agents/x", &why), R);
	cr_assert_eq(r->nwritable_roots, 3);
	/* legacy: workspace-write with both tmp roots */
	cr_assert(r->legacy_ok);
	cr_assert_eq(r->legacy.kind, SBX_LEGACY_KIND_WORKSPACE_WRITE);
	cr_assert_eq(r->legacy.nwritable_roots, 0);
	cr_assert_not(r->legacy.exclude_slash_tmp);
	cr_assert_not(r->legacy.exclude_tmpdir_env_var);
	/* the missing .git is protected, the legacy model protects only what exists */
	cr_assert_not(r->round_trips);
	cr_assert(strstr(r->round_trip_reason, "is protected although it does not exist"));
	/* facts are assumptions */
	cr_assert_gt(r->nfacts, 0);
	for (size_t i = 0; i < r->nfacts; i++)
		cr_assert(r->facts[i].assumed);
	cr_assert(has_reason(r, SBX_BACKEND_LINUX_LANDLOCK, SBX_E0612));
	cr_assert(r->enforce[SBX_BACKEND_LINUX_BWRAP].ok);
	cr_assert_eq(r->enforce[SBX_BACKEND_LINUX_LANDLOCK].landlock_abi, 3);
}

Test(resolve, read_only_profile_landlock_ok)
{
	struct pb b;
	pb_init(&b, ctx, ":read-only");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	struct sbx_resolved *r = posix(&b, "/ws");
	cr_assert(r->full_read);
	cr_assert_eq(acc(r, "/ws/x"), R);
	cr_assert(r->enforce[SBX_BACKEND_LINUX_LANDLOCK].ok);
	cr_assert(r->enforce[SBX_BACKEND_LINUX_BWRAP].ok);
	cr_assert(r->legacy_ok);
	cr_assert_eq(r->legacy.kind, SBX_LEGACY_KIND_READ_ONLY);
	cr_assert(r->round_trips);
}

Test(resolve, protected_names_lifted_only_by_exact_write)
{
	struct pb b;
	pb_init(&b, ctx, "p");
	pb_path(&b, "/repo", W);
	pb_path(&b, "/repo/.git/hooks", W); /* below a protected name: still refused */
	pb_path(&b, "/repo/.agents", W);    /* exact: lifted */
	struct sbx_resolved *r = posix(&b, "/elsewhere");
	cr_assert_eq(acc(r, "/repo/.git/hooks/pre-commit"), R);
	cr_assert_eq(acc(r, "/repo/.agents/x"), W);
	cr_assert_eq(acc(r, "/repo/.codex/x"), R);
	cr_assert_eq(r->nwritable_roots, 2); /* /repo and /repo/.agents */
	cr_assert_str_eq(r->writable_roots[1].root.path, "/repo/.agents");
	const struct sbx_writable_root *w = &r->writable_roots[0];
	cr_assert_eq(w->nprotected, 2);
	cr_assert_str_eq(w->protected_names[0], ".git");
	cr_assert_str_eq(w->protected_names[1], ".codex");
	/* not the cwd: no .codex carve-out (offline, assumed missing) */
	cr_assert_eq(w->nread_only, 0);
}

Test(resolve, landlock_all_names_explicit)
{
	struct pb b;
	pb_init(&b, ctx, "ll");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	pb_path(&b, "/data", W);
	pb_path(&b, "/data/.git", W);
	pb_path(&b, "/data/.agents", W);
	pb_path(&b, "/data/.codex", W);
	struct sbx_resolved *r = posix(&b, "/ws");
	/* /data/.git etc. lift the names of /data and have none of their own;
	** Landlock still refuses: with /data writable it cannot stop chmod or
	** chown of read-only files (E0614), and that is its only reason */
	const struct sbx_enforcement *ll = &r->enforce[SBX_BACKEND_LINUX_LANDLOCK];
	cr_assert_not(ll->ok);
	cr_assert_eq(ll->nreasons, 1);
	cr_assert_eq(ll->reasons[0]->code, SBX_E0614);
	cr_assert_eq(r->nwritable_roots, 4);
	for (size_t i = 0; i < r->nwritable_roots; i++)
		cr_assert_eq(r->writable_roots[i].nprotected, 0);
	cr_assert_eq(acc(r, "/data/.git/hooks/pre-commit"), W);
	/* without the .codex grant, Landlock cannot keep /data/.codex read-only */
	struct pb b1;
	pb_init(&b1, ctx, "ll1");
	pb_special(&b1, SBX_SPECIAL_ROOT, NULL, R);
	pb_path(&b1, "/data", W);
	pb_path(&b1, "/data/.git", W);
	pb_path(&b1, "/data/.agents", W);
	struct sbx_resolved *r1 = posix(&b1, "/ws");
	cr_assert(has_reason(r1, SBX_BACKEND_LINUX_LANDLOCK, SBX_E0612));
	cr_assert_eq(acc(r1, "/data/.codex/x"), R);
	struct pb b2;
	pb_init(&b2, ctx, "ll2");
	pb_special(&b2, SBX_SPECIAL_ROOT, NULL, R);
	pb_special(&b2, SBX_SPECIAL_MINIMAL, NULL, R);
	struct sbx_resolved *r2 = posix(&b2, "/ws");
	cr_assert(r2->enforce[SBX_BACKEND_LINUX_LANDLOCK].ok);
	cr_assert_eq(r2->enforce[SBX_BACKEND_LINUX_LANDLOCK].landlock_abi, 3);
}

Test(resolve, minimal_platform_defaults)
{
	struct pb b;
	pb_init(&b, ctx, "locked");
	pb_special(&b, SBX_SPECIAL_MINIMAL, NULL, R);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, W);
	pb_path(&b, "~/.ssh", D);
	pb_path(&b, "/usr/secret", D);
	struct sbx_resolved *r = posix(&b, "/ws");
	cr_assert_not(r->full_read);
	cr_assert(r->include_platform_defaults);
	struct sbx_decision why;
	cr_assert_eq(sbx_resolved_access(r, "/usr/bin/ls", &why), R);
	cr_assert_eq(why.origin, SBX_ORIGIN_PLATFORM);
	cr_assert_str_eq(why.matched, "/usr");
	cr_assert_eq(acc(r, "/usr/secret/x"), D);
	cr_assert_eq(acc(r, "/home/u/.ssh/id"), D);
	cr_assert_eq(acc(r, "/home/u/x"), D);
	cr_assert_eq(acc(r, "/ws/x"), W);
	/* Landlock: /usr/secret is denied under the granted /usr */
	cr_assert(has_reason(r, SBX_BACKEND_LINUX_LANDLOCK, SBX_E0610));
	/* ~/.ssh is not under a grant: no reason for it */
	size_t n610 = 0;
	for (size_t i = 0; i < r->enforce[SBX_BACKEND_LINUX_LANDLOCK].nreasons; i++)
		n610 += r->enforce[SBX_BACKEND_LINUX_LANDLOCK].reasons[i]->code == SBX_E0610;
	cr_assert_eq(n610, 1);
	/* legacy restricted read */
	cr_assert(r->legacy_ok);
	cr_assert_not(r->legacy.full_read);
	cr_assert(r->legacy.include_platform_defaults);
}

Test(resolve, tokens_and_roots)
{
	struct pb b;
	pb_init(&b, ctx, "tok");
	pb_workspace_root(&b, SBX_ANCHOR_HOME, "code/lib");
	pb_workspace_root(&b, SBX_ANCHOR_CWD, "../sib");
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, "docs", R);
	pb_special(&b, SBX_SPECIAL_UNKNOWN, NULL, W);
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_POSIX, "/w/main", "/home/u", NULL);
	const char *extra[] = {"rel", "/abs"};
	o.extra_roots = extra;
	o.nextra_roots = 2;
	struct sbx_resolved *r = sbx_resolve(ctx, b.p, &o);
	cr_assert_not_null(r);
	cr_assert_eq(r->nworkspace_roots, 5);
	cr_assert_str_eq(r->workspace_roots[0], "/w/main");
	cr_assert_str_eq(r->workspace_roots[1], "/home/u/code/lib");
	cr_assert_str_eq(r->workspace_roots[2], "/w/sib");
	cr_assert_str_eq(r->workspace_roots[3], "/w/main/rel");
	cr_assert_str_eq(r->workspace_roots[4], "/abs");
	cr_assert(r->full_read);
	cr_assert_eq(r->nwritable_roots, 0); /* the unknown token grants nothing */
	cr_assert_eq(acc(r, "/w/sib/docs/x"), R);
}

Test(resolve, deny_globs)
{
	struct pb b;
	pb_init(&b, ctx, "g");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, W);
	pb_glob(&b, "**/*.env", true);
	pb_glob(&b, "~/secrets/[a-c]?.key", false);
	struct sbx_resolved *r = posix(&b, "/ws");
	cr_assert_not(r->full_read);
	cr_assert_eq(r->nunreadable_globs, 2);
	cr_assert_str_eq(r->unreadable_globs[0].path, "/home/u/secrets/[a-c]?.key");
	cr_assert_str_eq(r->unreadable_globs[1].path, "/ws/**/*.env");
	cr_assert_eq(acc(r, "/ws/.env"), D);
	cr_assert_eq(acc(r, "/ws/a/b/prod.env"), D);
	cr_assert_eq(acc(r, "/ws/a/b/x.env/inner"), D); /* a denied directory hides its contents */
	cr_assert_eq(acc(r, "/ws/a/env"), W);
	cr_assert_eq(acc(r, "/home/u/secrets/b1.key"), D);
	cr_assert_eq(acc(r, "/home/u/secrets/d1.key"), R);
	cr_assert(has_reason(r, SBX_BACKEND_LINUX_LANDLOCK, SBX_E0613));
	cr_assert(r->enforce[SBX_BACKEND_LINUX_BWRAP].ok);
	cr_assert_not(r->round_trips);
}

/* With glob_scan_max_depth, a Linux sandbox scans that many levels below a
** deny glob's literal prefix for matches and hides those; the semantics for
** Linux say the same, so `sbxc explain` never claims a deeper match denied.
** Seatbelt matches by pattern at any depth. */
Test(resolve, deny_glob_scan_depth)
{
	struct pb b;
	pb_init(&b, ctx, "g");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, W);
	pb_glob(&b, "**/*.env", true);
	b.p->glob_scan_max_depth = 2;
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_POSIX, "/ws", "/home/u", NULL);
	o.os_given = true;
	o.os = SBX_OS_LINUX;
	struct sbx_resolved *r = sbx_resolve(ctx, b.p, &o);
	cr_assert_not_null(r);
	cr_assert_eq(acc(r, "/ws/a.env"), D);
	cr_assert_eq(acc(r, "/ws/a/b.env"), D);
	cr_assert_eq(acc(r, "/ws/a/b.env/deeper/x"), D); /* the match is 2 levels down */
	cr_assert_eq(acc(r, "/ws/a/b/c.env"), W);        /* 3 levels: the scan stops above */
	o.os = SBX_OS_MACOS;
	r = sbx_resolve(ctx, b.p, &o);
	cr_assert_not_null(r);
	cr_assert_eq(acc(r, "/ws/a/b/c.env"), D);
}

Test(resolve, full_write_and_narrowing)
{
	struct pb b;
	pb_init(&b, ctx, "fw");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, W);
	pb_path(&b, "/", R); /* shadowed by the same-target write */
	struct sbx_resolved *r = posix(&b, "/ws");
	cr_assert(r->full_write);
	cr_assert(r->full_read);
	cr_assert_eq(acc(r, "/ws/.git/x"), W); /* full-disk write: no protected names */
	cr_assert_eq(r->legacy.kind, SBX_LEGACY_KIND_EXTERNAL_SANDBOX);
	cr_assert(r->round_trips);
	cr_assert_eq(r->enforce[SBX_BACKEND_LINUX_LANDLOCK].landlock_abi, 0);

	struct pb b2;
	pb_init(&b2, ctx, "fw2");
	pb_special(&b2, SBX_SPECIAL_ROOT, NULL, W);
	pb_path(&b2, "/etc", R);
	struct sbx_resolved *r2 = posix(&b2, "/ws");
	cr_assert_not(r2->full_write);
	cr_assert_eq(acc(r2, "/etc/x"), R);
	cr_assert_eq(acc(r2, "/usr/x"), W);
	cr_assert_eq(acc(r2, "/.git"), R); /* "/" is a writable root with protected names */
	cr_assert_not(r2->legacy_ok);
	cr_assert(strstr(r2->legacy_error, "other entries narrow it"));
}

Test(resolve, legacy_projection_error_outside_workspace)
{
	struct pb b;
	pb_init(&b, ctx, "out");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	pb_path(&b, "/var/cache", W);
	struct sbx_resolved *r = posix(&b, "/ws");
	cr_assert_not(r->legacy_ok);
	cr_assert_str_eq(r->legacy_error,
	                 "the profile writes outside the workspace root (`/var/cache`) while the "
	                 "workspace root `/ws` is not writable");
	cr_assert_not(r->round_trips);
}

Test(resolve, legacy_round_trip_extra_root)
{
	struct pb b;
	pb_init(&b, ctx, "extra");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, W);
	pb_path(&b, "/ws/.git", W);
	pb_path(&b, "/ws/.agents", W);
	pb_path(&b, "/cache", W);
	pb_path(&b, "/cache/.git", W);
	pb_path(&b, "/cache/.agents", W);
	pb_path(&b, "/cache/.codex", W);
	struct sbx_resolved *r = posix(&b, "/ws");
	cr_assert(r->legacy_ok);
	cr_assert_eq(r->legacy.kind, SBX_LEGACY_KIND_WORKSPACE_WRITE);
	cr_assert(r->legacy.exclude_slash_tmp);
	/* the explicit metadata writes become legacy writable roots too */
	cr_assert_eq(r->legacy.nwritable_roots, 6);
	/* every name is either granted or, for the cwd's .codex, a legacy carve-out
	** too; the metadata grants have no names of their own */
	cr_assert(r->round_trips, "%s", r->round_trip_reason);
}

Test(resolve, windows_paths)
{
	struct pb b;
	pb_init(&b, ctx, "win");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, W);
	pb_path(&b, "c:/Users/Me/Secret", D);
	pb_path(&b, "\\\\srv\\share\\Data", R);
	pb_special(&b, SBX_SPECIAL_SLASH_TMP, NULL, W); /* ignored on Windows */
	pb_special(&b, SBX_SPECIAL_TMPDIR, NULL, W);
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_WINDOWS, "C:\\Work\\Proj", "C:\\Users\\Me",
	                                    "C:\\Users\\Me\\AppData\\Local\\Temp");
	struct sbx_resolved *r = sbx_resolve(ctx, b.p, &o);
	cr_assert_not_null(r);
	cr_assert_str_eq(r->fs_root, "C:\\");
	cr_assert_eq(acc(r, "c:\\work\\proj\\SRC\\a.c"), W);
	cr_assert_eq(acc(r, "C:\\USERS\\me\\secret\\x"), D);
	cr_assert_eq(acc(r, "C:\\Windows\\x"), R);
	cr_assert_eq(acc(r, "D:\\x"), D); /* another drive: :root is the cwd's drive */
	cr_assert_eq(acc(r, "\\\\SRV\\SHARE\\data\\f"), R);
	cr_assert_eq(acc(r, "\\\\srv\\share\\other"), D);
	cr_assert_eq(acc(r, "C:\\Work\\Proj\\.GIT\\x"), R);
	cr_assert_eq(acc(r, "C:\\Users\\Me\\AppData\\Local\\Temp\\x"), W);
	cr_assert_eq(r->nwritable_roots, 2);
	cr_assert_not(r->enforce[SBX_BACKEND_LINUX_BWRAP].ok);
	cr_assert_not(r->enforce[SBX_BACKEND_LINUX_BWRAP].applicable);
	/* a denied path under full read: elevated E0631, unelevated E0622 */
	cr_assert(has_reason(r, SBX_BACKEND_WINDOWS_ELEVATED, SBX_E0631));
	cr_assert_not(has_reason(r, SBX_BACKEND_WINDOWS_ELEVATED, SBX_E0622));
	cr_assert(has_reason(r, SBX_BACKEND_WINDOWS_UNELEVATED, SBX_E0622));
	cr_assert(has_reason(r, SBX_BACKEND_WINDOWS_UNELEVATED, SBX_E0630));
}

/* NTFS folds every cased letter: `C:\DONNÉES\secret` is inside the
** writable `C:\Données`, so it is a read-only carve-out of it, not a
** separate path the Windows backends would leave writable. */
Test(resolve, windows_unicode_case)
{
	struct pb b;
	pb_init(&b, ctx, "win");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, W);
	pb_path(&b, "C:\\Donn\u00e9es", W);
	pb_path(&b, "C:\\DONN\u00c9ES\\secret", R);
	b.p->network.enabled.value = true;
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_WINDOWS, "C:\\ws", "C:\\Users\\me", NULL);
	struct sbx_resolved *r = sbx_resolve(ctx, b.p, &o);
	cr_assert_not_null(r);
	cr_assert_eq(acc(r, "c:\\donn\u00e9es\\Secret\\f"), R);
	cr_assert_eq(acc(r, "c:\\donn\u00e9es\\other"), W);
	cr_assert_eq(r->nwritable_roots, 2);
	const struct sbx_writable_root *w = &r->writable_roots[0];
	cr_assert_str_eq(w->root.path, "C:\\Donn\u00e9es");
	bool found = false;
	for (size_t i = 0; i < w->nread_only; i++)
		found |= strcmp(w->read_only[i].path, "C:\\DONN\u00c9ES\\secret") == 0;
	cr_assert(found, "the read-only subpath is listed under its writable root");
	/* unelevated keeps it read-only with a deny-write ACL; elevated cannot */
	cr_assert(has_reason(r, SBX_BACKEND_WINDOWS_ELEVATED, SBX_E0627));
	const struct sbx_enforcement *u = &r->enforce[SBX_BACKEND_WINDOWS_UNELEVATED];
	cr_assert(u->ok);
	found = false;
	for (size_t i = 0; i < u->nnotes; i++)
		found |=
		    strstr(u->notes[i], "deny-write ACL on `C:\\DONN\u00c9ES\\secret`") != NULL;
	cr_assert(found, "the carve-out gets its ACL");
}

/* Full-disk read is the whole machine: under it another drive or a share is
** readable too, which is what every Windows backend does. */
Test(resolve, windows_full_read_covers_every_drive)
{
	struct pb b;
	pb_init(&b, ctx, "win");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, W);
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_WINDOWS, "C:\\ws", "C:\\Users\\me", NULL);
	struct sbx_resolved *r = sbx_resolve(ctx, b.p, &o);
	cr_assert_not_null(r);
	cr_assert(r->full_read);
	struct sbx_decision why;
	cr_assert_eq(sbx_resolved_access(r, "D:\\data\\x", &why), R);
	cr_assert_eq(why.origin, SBX_ORIGIN_FULL_READ);
	cr_assert_str_eq(why.matched, "C:\\");
	cr_assert_eq(acc(r, "\\\\srv\\share\\x"), R);
	cr_assert(r->enforce[SBX_BACKEND_WINDOWS_ELEVATED].ok);
}

/* Restricted read on Windows: the elevated backend only grants read ACLs,
** so whatever its user, its logon session or Everyone may read stays
** readable; sbxc refuses rather than run a weaker sandbox. */
Test(resolve, windows_elevated_restricted_read)
{
	struct pb b;
	pb_init(&b, ctx, "win");
	pb_special(&b, SBX_SPECIAL_MINIMAL, NULL, R);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, W);
	b.p->network.enabled.value = true;
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_WINDOWS, "C:\\ws", "C:\\Users\\me", NULL);
	struct sbx_resolved *r = sbx_resolve(ctx, b.p, &o);
	cr_assert_not_null(r);
	cr_assert_not(r->full_read);
	cr_assert_eq(acc(r, "D:\\data\\x"), D);
	/* exact under the restricted token (R-SEM-37b); not unelevated */
	cr_assert(r->enforce[SBX_BACKEND_WINDOWS_ELEVATED].ok);
	cr_assert(r->enforce[SBX_BACKEND_WINDOWS_ELEVATED].restricted_read);
	cr_assert_not(r->enforce[SBX_BACKEND_WINDOWS_UNELEVATED].restricted_read);
	cr_assert(has_reason(r, SBX_BACKEND_WINDOWS_UNELEVATED, SBX_E0621));
}

/* Restricted read with a denied path: exact on the elevated backend, which
** still refuses a deny glob; the unelevated backend refuses both. */
Test(resolve, windows_restricted_read_denied_path)
{
	struct pb b;
	pb_init(&b, ctx, "win");
	pb_special(&b, SBX_SPECIAL_MINIMAL, NULL, R);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, W);
	pb_path(&b, "C:\\ws\\private", D);
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_WINDOWS, "C:\\ws", "C:\\Users\\me", NULL);
	struct sbx_resolved *r = sbx_resolve(ctx, b.p, &o);
	cr_assert_not_null(r);
	cr_assert_eq(acc(r, "C:\\ws\\private\\x"), D);
	cr_assert(r->enforce[SBX_BACKEND_WINDOWS_ELEVATED].ok);
	cr_assert(has_reason(r, SBX_BACKEND_WINDOWS_UNELEVATED, SBX_E0622));
}

Test(resolve, windows_unelevated_subset)
{
	struct pb b;
	pb_init(&b, ctx, "win");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, W);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, "docs", R);
	b.p->network.enabled.value = true;
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_WINDOWS, "C:\\ws", "C:\\Users\\me", NULL);
	struct sbx_resolved *r = sbx_resolve(ctx, b.p, &o);
	cr_assert_not_null(r);
	/* docs is an extra read-only carve-out: fine unelevated, not elevated */
	cr_assert(r->enforce[SBX_BACKEND_WINDOWS_UNELEVATED].ok);
	cr_assert_eq(r->enforce[SBX_BACKEND_WINDOWS_UNELEVATED].identity, SBX_WIN_IDENTITY_ONLINE);
	cr_assert(has_reason(r, SBX_BACKEND_WINDOWS_ELEVATED, SBX_E0627));
}

Test(resolve, windows_reopen_and_roots)
{
	struct pb b;
	pb_init(&b, ctx, "win");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, W);
	pb_path(&b, "C:\\ws\\ro", R);
	pb_path(&b, "C:\\ws\\ro\\out", W);
	b.p->network.enabled.value = true;
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_WINDOWS, "C:\\ws", "C:\\Users\\me", NULL);
	struct sbx_resolved *r = sbx_resolve(ctx, b.p, &o);
	cr_assert_not_null(r);
	cr_assert(has_reason(r, SBX_BACKEND_WINDOWS_UNELEVATED, SBX_E0624));
	cr_assert(has_reason(r, SBX_BACKEND_WINDOWS_ELEVATED, SBX_E0624));
	const struct sbx_diag *d = r->enforce[SBX_BACKEND_WINDOWS_UNELEVATED].reasons[0];
	cr_assert_str_eq(d->msg, "`windows-unelevated` cannot reopen `C:\\ws\\ro\\out` for "
	                         "writing under the read-only carve-out `C:\\ws\\ro`; refusing "
	                         "to run unsandboxed");
}

Test(resolve, windows_proxy_needs_elevated)
{
	struct pb b;
	pb_init(&b, ctx, "net");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	b.p->network.enabled.value = true;
	b.p->network.managed_proxy = true;
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_WINDOWS, "C:\\ws", NULL, NULL);
	struct sbx_resolved *r = sbx_resolve(ctx, b.p, &o);
	cr_assert_not_null(r);
	cr_assert(r->proxy_enforced);
	cr_assert(has_reason(r, SBX_BACKEND_WINDOWS_UNELEVATED, SBX_E0629));
	cr_assert(r->enforce[SBX_BACKEND_WINDOWS_ELEVATED].ok);
	cr_assert_eq(r->enforce[SBX_BACKEND_WINDOWS_ELEVATED].identity, SBX_WIN_IDENTITY_OFFLINE);
	struct sbx_resolve_opts po = pb_opts(SBX_FLAVOR_POSIX, "/ws", NULL, NULL);
	struct pb b2;
	pb_init(&b2, ctx, "net2");
	pb_special(&b2, SBX_SPECIAL_ROOT, NULL, R);
	b2.p->network.enabled.value = true;
	b2.p->network.managed_proxy = true;
	struct sbx_resolved *p = sbx_resolve(ctx, b2.p, &po);
	cr_assert(p->enforce[SBX_BACKEND_LINUX_BWRAP].ok, "bubblewrap bridges the proxy");
	cr_assert(has_reason(p, SBX_BACKEND_LINUX_LANDLOCK, SBX_E0602));
	cr_assert(p->enforce[SBX_BACKEND_MACOS_SEATBELT].ok);
}

Test(resolve, disabled_is_unsandboxed)
{
	struct pb b;
	pb_init(&b, ctx, ":danger-full-access");
	b.p->kind = SBX_PROFILE_DISABLED;
	struct sbx_resolved *r = posix(&b, "/ws");
	struct sbx_decision why;
	cr_assert_eq(sbx_resolved_access(r, "/anything/.git", &why), W);
	cr_assert_eq(why.origin, SBX_ORIGIN_UNSANDBOXED);
	cr_assert(r->full_read && r->full_write && r->disabled);
	cr_assert_eq(r->legacy.kind, SBX_LEGACY_KIND_DANGER_FULL_ACCESS);
	cr_assert(r->round_trips);
}

static const struct sbx_diag *only_error(void)
{
	cr_assert_eq(ctx->ndiags, 1, "expected one diagnostic, got %zu", ctx->ndiags);
	return ctx->diags[0];
}

Test(resolve, context_errors)
{
	struct pb b;
	pb_init(&b, ctx, "e");
	pb_path(&b, "~/x", R);
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_POSIX, "rel/dir", NULL, NULL);
	cr_assert_null(sbx_resolve(ctx, b.p, &o));
	const struct sbx_diag *d = only_error();
	cr_assert_eq(d->code, SBX_E0501);
	cr_assert_str_eq(d->msg, "working directory `rel/dir` is not an absolute POSIX path");
	sbx_ctx_free(&ctx);
	ctx = sbx_ctx_new();
	pb_init(&b, ctx, "e");
	pb_path(&b, "~/x", R);
	o = pb_opts(SBX_FLAVOR_POSIX, "/ws", NULL, NULL);
	cr_assert_null(sbx_resolve(ctx, b.p, &o));
	d = only_error();
	cr_assert_eq(d->code, SBX_E0502);
	cr_assert_str_eq(d->msg,
	                 "`~/x` is relative to the home directory, but no home directory is known");
	sbx_ctx_free(&ctx);
	ctx = sbx_ctx_new();
	pb_init(&b, ctx, "e");
	pb_path(&b, "C:\\x", R);
	o = pb_opts(SBX_FLAVOR_POSIX, "/ws", NULL, NULL);
	cr_assert_null(sbx_resolve(ctx, b.p, &o));
	cr_assert_eq(only_error()->code, SBX_E0505);
	sbx_ctx_free(&ctx);
	ctx = sbx_ctx_new();
	pb_init(&b, ctx, "e");
	pb_path(&b, "/x", R);
	o = pb_opts(SBX_FLAVOR_WINDOWS, "C:\\ws", NULL, NULL);
	cr_assert_null(sbx_resolve(ctx, b.p, &o));
	cr_assert_eq(only_error()->code, SBX_E0506);
	sbx_ctx_free(&ctx);
	ctx = sbx_ctx_new();
	pb_init(&b, ctx, "e");
	o = pb_opts(SBX_FLAVOR_POSIX, "/ws", "home", "tmp");
	cr_assert_null(sbx_resolve(ctx, b.p, &o));
	cr_assert_eq(ctx->ndiags, 2);
	cr_assert_eq(ctx->diags[0]->code, SBX_E0503);
	cr_assert_eq(ctx->diags[1]->code, SBX_E0504);
}

Test(resolve, json_is_deterministic)
{
	struct pb b;
	pb_init(&b, ctx, "j");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, R);
	pb_path(&b, "/ws/b", W);
	pb_path(&b, "/ws/a", W);
	pb_path(&b, "/ws/a/s", D);
	struct sbx_resolved *r = posix(&b, "/ws");
	json_t *j1 = sbx_resolved_to_json(ctx, r), *j2 = sbx_resolved_to_json(ctx, r);
	char *s1 = json_dumps(j1, JSON_INDENT(2)), *s2 = json_dumps(j2, JSON_INDENT(2));
	cr_assert_str_eq(s1, s2);
	json_t *roots = json_object_get(j1, "writable_roots");
	cr_assert_eq(json_array_size(roots), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(roots, 0), "path")),
	                 "/ws/a");
	json_t *ll = json_object_get(json_object_get(j1, "enforce"), "linux-landlock");
	cr_assert(json_is_false(json_object_get(ll, "ok")));
	cr_assert_gt(json_array_size(json_object_get(ll, "reasons")), 0);
	cr_assert_eq(json_integer_value(json_object_get(ll, "landlock_abi")), 3);
	free(s1);
	free(s2);
	json_decref(j1);
	json_decref(j2);
}
