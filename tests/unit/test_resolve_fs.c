/*
** Tests of the semantic pass against a real temporary directory tree (probing
** on): .git as a directory and as a `gitdir:` pointer file (relative and
** absolute), a missing .git, .codex before it exists, .agents, symlinked
** roots, a symlink inside a writable root (bwrap fails closed), and the
** nested reopen example `/repo = write, /repo/a = deny, /repo/a/b = write`.
*/
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sema_fixture.h"
#include "strbuf.h"

static struct sbx_ctx *ctx;
static char base[256];

static const char *at(const char *rel)
{
	return sbx_arena_printf(&ctx->arena, "%s/%s", base, rel);
}

static void mkdirs(const char *rel)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_adds(&sb, base);
	sbx_sb_addc(&sb, '/');
	for (const char *p = rel;; p++) {
		if (*p == '/' || !*p) {
			mkdir(sb.buf, 0755);
			if (!*p)
				break;
		}
		sbx_sb_addc(&sb, *p);
	}
	sbx_sb_release(&sb);
}

static void write_file(const char *rel, const char *text)
{
	FILE *f = fopen(at(rel), "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static void setup(void)
{
	ctx = sbx_ctx_new();
	const char *tmp = getenv("TMPDIR");
	snprintf(base, sizeof base, "%s/sbxc-resolve-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(base));
}

static void teardown(void)
{
	struct sbx_strbuf cmd = SBX_STRBUF_INIT;
	sbx_sb_addf(&cmd, "rm -rf '%s'", base);
	cr_assert_eq(system(cmd.buf), 0);
	sbx_sb_release(&cmd);
	sbx_ctx_free(&ctx);
}

TestSuite(resolve_fs, .init = setup, .fini = teardown);

static struct sbx_resolved *resolve(struct pb *b, const char *cwd_rel)
{
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_POSIX, at(cwd_rel), at("home"), NULL);
	o.probe = true;
	struct sbx_resolved *r = sbx_resolve(ctx, b->p, &o);
	cr_assert_not_null(r);
	return r;
}

static const struct sbx_writable_root *root_of(const struct sbx_resolved *r, const char *rel)
{
	for (size_t i = 0; i < r->nwritable_roots; i++)
		if (strcmp(r->writable_roots[i].root.path, at(rel)) == 0)
			return &r->writable_roots[i];
	cr_assert_fail("no writable root %s", rel);
	return NULL;
}

static const struct sbx_rpath *ro(const struct sbx_writable_root *w, const char *rel)
{
	for (size_t i = 0; i < w->nread_only; i++)
		if (strcmp(w->read_only[i].path, at(rel)) == 0)
			return &w->read_only[i];
	return NULL;
}

static const struct sbx_fact *fact(const struct sbx_resolved *r, const char *rel,
                                   enum sbx_fact_kind kind)
{
	for (size_t i = 0; i < r->nfacts; i++)
		if (strcmp(r->facts[i].path, at(rel)) == 0 && r->facts[i].kind == kind)
			return &r->facts[i];
	return NULL;
}

static void workspace(struct pb *b)
{
	pb_init(b, ctx, "ws");
	pb_special(b, SBX_SPECIAL_ROOT, NULL, SBX_ACCESS_READ);
	pb_special(b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, SBX_ACCESS_WRITE);
}

Test(resolve_fs, git_directory_and_agents)
{
	mkdirs("repo/.git/objects");
	mkdirs("repo/.agents");
	struct pb b;
	workspace(&b);
	struct sbx_resolved *r = resolve(&b, "repo");
	const struct sbx_writable_root *w = root_of(r, "repo");
	cr_assert_eq(w->nread_only, 3);
	cr_assert_eq(ro(w, "repo/.git")->origin, SBX_ORIGIN_GIT);
	cr_assert_eq(ro(w, "repo/.agents")->origin, SBX_ORIGIN_AGENTS);
	cr_assert_eq(ro(w, "repo/.codex")->origin, SBX_ORIGIN_CODEX);
	const struct sbx_fact *f = fact(r, "repo/.git", SBX_FACT_DIR);
	cr_assert_not_null(f);
	cr_assert_not(f->assumed);
	cr_assert_not_null(fact(r, "repo/.codex", SBX_FACT_MISSING));
	struct sbx_decision why;
	cr_assert_eq(sbx_resolved_access(r, at("repo/.git/objects/ab"), &why), SBX_ACCESS_READ);
	cr_assert_eq(why.origin, SBX_ORIGIN_GIT);
	cr_assert(why.write_blocked_by_name);
	cr_assert_eq(sbx_resolved_access(r, at("repo/src/x.c"), NULL), SBX_ACCESS_WRITE);
	/* every protected name exists as a legacy carve-out: the policy round-trips */
	cr_assert(r->round_trips, "%s", r->round_trip_reason);
	cr_assert(r->enforce[SBX_BACKEND_LINUX_BWRAP].ok);
}

Test(resolve_fs, missing_git_is_still_protected)
{
	mkdirs("plain");
	struct pb b;
	workspace(&b);
	struct sbx_resolved *r = resolve(&b, "plain");
	const struct sbx_writable_root *w = root_of(r, "plain");
	cr_assert_null(ro(w, "plain/.git"));
	cr_assert_null(ro(w, "plain/.agents"));
	cr_assert_not_null(ro(w, "plain/.codex")); /* the cwd: protected before it exists */
	cr_assert_eq(w->nprotected, 3);
	struct sbx_decision why;
	cr_assert_eq(sbx_resolved_access(r, at("plain/.git/HEAD"), &why), SBX_ACCESS_READ);
	cr_assert_eq(why.origin, SBX_ORIGIN_PROTECTED);
	cr_assert_str_eq(why.name, ".git");
	const struct sbx_fact *f = fact(r, "plain/.git", SBX_FACT_MISSING);
	cr_assert_not_null(f);
	cr_assert_not(f->assumed);
	cr_assert_not(r->round_trips);
	cr_assert(
	    strstr(r->round_trip_reason, "/plain/.git` is protected although it does not exist"),
	    "%s", r->round_trip_reason);
}

Test(resolve_fs, codex_only_for_the_cwd_root)
{
	mkdirs("cwd");
	mkdirs("other");
	struct pb b;
	pb_init(&b, ctx, "two");
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, SBX_ACCESS_WRITE);
	pb_path(&b, at("other"), SBX_ACCESS_WRITE);
	struct sbx_resolved *r = resolve(&b, "cwd");
	cr_assert_not_null(ro(root_of(r, "cwd"), "cwd/.codex"));
	cr_assert_null(ro(root_of(r, "other"), "other/.codex"));
	/* .codex is still a protected name under the other root */
	cr_assert_eq(sbx_resolved_access(r, at("other/.codex/config.toml"), NULL), SBX_ACCESS_READ);
	mkdirs("other/.codex");
	sbx_ctx_free(&ctx);
	ctx = sbx_ctx_new();
	pb_init(&b, ctx, "two");
	pb_special(&b, SBX_SPECIAL_WORKSPACE_ROOTS, NULL, SBX_ACCESS_WRITE);
	pb_path(&b, at("other"), SBX_ACCESS_WRITE);
	r = resolve(&b, "cwd");
	cr_assert_eq(ro(root_of(r, "other"), "other/.codex")->origin, SBX_ORIGIN_CODEX);
}

Test(resolve_fs, gitdir_pointer_relative)
{
	mkdirs("main/.git/worktrees/wt");
	mkdirs("wt");
	write_file("wt/.git", "gitdir: ../main/.git/worktrees/wt\n");
	struct pb b;
	workspace(&b);
	struct sbx_resolved *r = resolve(&b, "wt");
	const struct sbx_writable_root *w = root_of(r, "wt");
	const struct sbx_rpath *t = ro(w, "main/.git/worktrees/wt");
	cr_assert_not_null(t);
	cr_assert_eq(t->origin, SBX_ORIGIN_GITDIR);
	cr_assert_str_eq(t->via->path, at("wt/.git"));
	cr_assert_eq(ro(w, "wt/.git")->origin, SBX_ORIGIN_GIT);
	const struct sbx_fact *f = fact(r, "wt/.git", SBX_FACT_GITDIR_POINTER);
	cr_assert_not_null(f);
	cr_assert_str_eq(f->target, at("main/.git/worktrees/wt"));
	cr_assert_not_null(fact(r, "main/.git/worktrees/wt", SBX_FACT_DIR));
}

Test(resolve_fs, gitdir_pointer_absolute_blocks_writes_elsewhere)
{
	mkdirs("gitdirs/wt");
	mkdirs("gitdirs/other");
	mkdirs("wt");
	write_file("wt/.git", sbx_arena_printf(&ctx->arena, "  gitdir: %s  \n", at("gitdirs/wt")));
	struct pb b;
	workspace(&b);
	pb_path(&b, at("gitdirs"), SBX_ACCESS_WRITE);
	struct sbx_resolved *r = resolve(&b, "wt");
	struct sbx_decision why;
	cr_assert_eq(sbx_resolved_access(r, at("gitdirs/wt/HEAD"), &why), SBX_ACCESS_READ);
	cr_assert_eq(why.origin, SBX_ORIGIN_GITDIR);
	cr_assert_not(why.write_blocked_by_name);
	cr_assert_str_eq(why.carveout->via->path, at("wt/.git"));
	cr_assert_eq(sbx_resolved_access(r, at("gitdirs/other/x"), NULL), SBX_ACCESS_WRITE);
	/* the writable root that holds the target lists it as read-only too */
	const struct sbx_rpath *t = ro(root_of(r, "gitdirs"), "gitdirs/wt");
	cr_assert_not_null(t, "the target is a read-only subpath of `gitdirs` as well");
	cr_assert_eq(t->origin, SBX_ORIGIN_GITDIR);
	cr_assert_str_eq(t->via->path, at("wt/.git"));
}

/* A pointer above the root makes the root git metadata: it is not a
** writable root, and writes below the target stay refused (so the views and
** the answers agree, and a bubblewrap that binds the writable roots cannot
** reopen what the target covers). A pointer at the root itself (`gitdir: .`)
** names the root, whose own rule replaces the default carve-out. */
Test(resolve_fs, gitdir_pointer_upwards_is_not_writable)
{
	mkdirs("up/sub");
	write_file("up/sub/.git", "gitdir: ..\n");
	struct pb b;
	workspace(&b);
	struct sbx_resolved *r = resolve(&b, "up/sub");
	cr_assert_eq(r->nwritable_roots, 0, "%s is listed as writable",
	             r->nwritable_roots ? r->writable_roots[0].root.path : "");
	struct sbx_decision why;
	cr_assert_eq(sbx_resolved_access(r, at("up/sub/file"), &why), SBX_ACCESS_READ);
	cr_assert_eq(why.origin, SBX_ORIGIN_GITDIR);
	cr_assert_eq(sbx_resolved_access(r, at("up/other"), NULL), SBX_ACCESS_READ);
}

Test(resolve_fs, git_file_without_pointer)
{
	mkdirs("odd");
	write_file("odd/.git", "not a pointer\n");
	struct pb b;
	workspace(&b);
	struct sbx_resolved *r = resolve(&b, "odd");
	const struct sbx_writable_root *w = root_of(r, "odd");
	cr_assert_eq(ro(w, "odd/.git")->origin, SBX_ORIGIN_GIT);
	cr_assert_not_null(fact(r, "odd/.git", SBX_FACT_FILE));
	cr_assert_eq(w->nread_only, 2); /* .git and .codex, no target */
}

Test(resolve_fs, symlinked_root)
{
	mkdirs("real/.git");
	cr_assert_eq(symlink(at("real"), at("link")), 0);
	struct pb b;
	workspace(&b);
	struct sbx_resolved *r = resolve(&b, "link");
	/* paths stay as written; the carve-out is found through the link */
	const struct sbx_writable_root *w = root_of(r, "link");
	cr_assert_eq(ro(w, "link/.git")->origin, SBX_ORIGIN_GIT);
	cr_assert(r->enforce[SBX_BACKEND_LINUX_BWRAP].ok);
	cr_assert_eq(sbx_resolved_access(r, at("link/.git/config"), NULL), SBX_ACCESS_READ);
	cr_assert_eq(sbx_resolved_access(r, at("link/file"), NULL), SBX_ACCESS_WRITE);
}

Test(resolve_fs, symlink_inside_writable_root_fails_closed_on_bwrap)
{
	mkdirs("repo/target/secret");
	cr_assert_eq(symlink(at("repo/target"), at("repo/alias")), 0);
	struct pb b;
	workspace(&b);
	pb_path(&b, at("repo/alias/secret"), SBX_ACCESS_DENY);
	struct sbx_resolved *r = resolve(&b, "repo");
	const struct sbx_enforcement *e = &r->enforce[SBX_BACKEND_LINUX_BWRAP];
	cr_assert_not(e->ok);
	cr_assert_eq(e->nreasons, 1);
	cr_assert_eq(e->reasons[0]->code, SBX_E0603);
	const char *want = sbx_arena_printf(
	    &ctx->arena,
	    "`%s` crosses the symlink `%s` inside the writable root `%s`; bwrap cannot keep it "
	    "read-only or hidden safely",
	    at("repo/alias/secret"), at("repo/alias"), at("repo"));
	cr_assert_str_eq(e->reasons[0]->msg, want);
	const struct sbx_fact *f = fact(r, "repo/alias", SBX_FACT_SYMLINK);
	cr_assert_not_null(f);
	cr_assert_str_eq(f->target, at("repo/target"));
	/* the same policy on a tree without the link is fine */
	cr_assert(r->enforce[SBX_BACKEND_MACOS_SEATBELT].ok);
}

Test(resolve_fs, symlinked_git_is_unsafe_for_bwrap)
{
	mkdirs("store/repo.git");
	mkdirs("repo");
	cr_assert_eq(symlink(at("store/repo.git"), at("repo/.git")), 0);
	struct pb b;
	workspace(&b);
	struct sbx_resolved *r = resolve(&b, "repo");
	cr_assert_eq(ro(root_of(r, "repo"), "repo/.git")->origin, SBX_ORIGIN_GIT);
	cr_assert_not(r->enforce[SBX_BACKEND_LINUX_BWRAP].ok);
	cr_assert_eq(r->enforce[SBX_BACKEND_LINUX_BWRAP].reasons[0]->code, SBX_E0603);
}

Test(resolve_fs, readme_nested_reopen_on_a_real_tree)
{
	mkdirs("repo/a/b");
	mkdirs("repo/.git");
	struct pb b;
	pb_init(&b, ctx, "nested");
	pb_path(&b, at("repo"), SBX_ACCESS_WRITE);
	pb_path(&b, at("repo/a"), SBX_ACCESS_DENY);
	pb_path(&b, at("repo/a/b"), SBX_ACCESS_WRITE);
	struct sbx_resolved *r = resolve(&b, "repo");
	cr_assert_eq(sbx_resolved_access(r, at("repo/f"), NULL), SBX_ACCESS_WRITE);
	cr_assert_eq(sbx_resolved_access(r, at("repo/a/f"), NULL), SBX_ACCESS_DENY);
	cr_assert_eq(sbx_resolved_access(r, at("repo/a/b/f"), NULL), SBX_ACCESS_WRITE);
	cr_assert_eq(sbx_resolved_access(r, at("repo/.git/HEAD"), NULL), SBX_ACCESS_READ);
	cr_assert(r->enforce[SBX_BACKEND_LINUX_BWRAP].ok);
	cr_assert_not(r->enforce[SBX_BACKEND_LINUX_LANDLOCK].ok);
	cr_assert_eq(r->nwritable_roots, 2);
	const struct sbx_writable_root *w = root_of(r, "repo");
	cr_assert_not_null(ro(w, "repo/a"));
	cr_assert_not_null(ro(w, "repo/.git"));
	cr_assert_not_null(fact(r, "repo/a", SBX_FACT_NOT_SYMLINK));
	cr_assert_not(r->round_trips);
}
