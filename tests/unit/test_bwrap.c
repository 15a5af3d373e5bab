/*
** test_bwrap.c: the bubblewrap emitter (emitters/bwrap.c) and the deny-glob
** walk (compiler/globwalk.c): the exact argument list for the layered
** mounts, masks, reopenings, synthetic mount targets, globs and their
** limits, offline and probing; what a sandbox could swap (a writable root
** behind a symlink it may have made, a FIFO at a read-only path) and a
** glob scan that cannot finish (fails closed).
*/
#include "emitter.h"
#include "globwalk.h"
#include "resolve.h"
#include "sbx_limits.h"
#include "schema_fixture.h"
#include "strbuf.h"
#include "target.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct emitted {
	struct sbx_ctx *ctx;
	const struct sbx_resolved *r;
	enum sbx_status st;
	struct sbx_bundle b;
	json_t *json; /* bwrap.json */
	char **argv;  /* bwrap.args split */
	size_t argc;
};

static char tree[256];

static void make_tree(void)
{
	snprintf(tree, sizeof tree, "/tmp/sbxc-test-bwrap-XXXXXX");
	cr_assert_not_null(mkdtemp(tree));
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

static void drop_tree(void)
{
	nftw(tree, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void touch(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", tree, rel);
	for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		mkdir(path, 0755);
		*s = '/';
	}
	if (text) {
		FILE *f = fopen(path, "w");
		cr_assert_not_null(f);
		fputs(text, f);
		fclose(f);
	} else {
		mkdir(path, 0755);
	}
}

/* @T@ in toml becomes the temporary tree. */
static char *with_tree(const char *toml)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	for (const char *p = toml; *p; p++) {
		if (strncmp(p, "@T@", 3) == 0) {
			sbx_sb_adds(&sb, tree);
			p += 2;
		} else {
			sbx_sb_addc(&sb, *p);
		}
	}
	return sbx_sb_detach(&sb, NULL);
}

static struct emitted emit(const char *toml, const char *cwd, bool probe)
{
	struct emitted e = {.ctx = sbx_ctx_new()};
	char *text = with_tree(toml);
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(e.ctx, text, NULL, &cfg);
	free(text);
	cr_assert_not_null(p);
	struct sbx_resolve_opts o = {.flavor = SBX_FLAVOR_POSIX,
	                             .cwd = cwd,
	                             .home = "/home/u",
	                             .tmpdir = NULL,
	                             .probe = probe};
	e.r = sbx_resolve(e.ctx, p, &o);
	cr_assert_not_null(e.r);
	struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = &e.b};
	struct sbx_emit_opts eo = {.probe = probe};
	const struct sbx_emitter *em =
	    sbx_target_find_backend(sbx_target_get(SBX_OS_LINUX), SBX_BACKEND_LINUX_BWRAP)->emitter;
	e.st = em->check(e.ctx, e.r);
	if (e.st == SBX_OK)
		e.st = em->emit(e.ctx, e.r, &eo, &sink);
	const struct sbx_blob *args = sbx_bundle_get(&e.b, SBX_ART_BWRAP_ARGS);
	const struct sbx_blob *js = sbx_bundle_get(&e.b, SBX_ART_BWRAP_JSON);
	if (args) {
		e.argv = calloc(args->len + 1, sizeof *e.argv);
		for (size_t i = 0; i < args->len; i += strlen((const char *)args->data + i) + 1)
			e.argv[e.argc++] = (char *)args->data + i;
	}
	if (js)
		e.json = json_loadb((const char *)js->data, js->len, 0, NULL);
	return e;
}

static void done(struct emitted *e)
{
	free(e->argv);
	json_decref(e->json);
	sbx_ctx_free(&e->ctx);
}

/* The argv joined with spaces, for whole-list comparisons. */
static char *joined(const struct emitted *e)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	for (size_t i = 0; i < e->argc; i++) {
		if (i)
			sbx_sb_addc(&sb, ' ');
		sbx_sb_adds(&sb, e->argv[i]);
	}
	return sbx_sb_detach(&sb, NULL);
}

static char *expand(const char *s)
{
	return with_tree(s);
}

static bool contains(const struct emitted *e, const char *seq)
{
	char *all = joined(e), *want = expand(seq);
	bool hit = strstr(all, want) != NULL;
	if (!hit)
		cr_log_error("argv: %s\nmissing: %s", all, want);
	free(all);
	free(want);
	return hit;
}

/* ---- offline, machine-independent ---- */

Test(bwrap, nested_carveouts_offline_exact)
{
	struct emitted e = emit("default_permissions = \"nested\"\n"
	                        "[permissions.nested.filesystem]\n"
	                        "\":root\" = \"read\"\n"
	                        "\"/code\" = \"write\"\n"
	                        "\"/code/.git\" = \"read\"\n"
	                        "\"/code/secrets\" = \"deny\"\n"
	                        "\"/code/secrets/tmp\" = \"write\"\n",
	                        "/work", false);
	cr_assert_eq(e.st, SBX_OK);
	char *all = joined(&e);
	cr_assert_str_eq(
	    all, "--new-session --die-with-parent --ro-bind / / --dev /dev --proc /proc "
	         "--bind /code /code "
	         "--perms 0555 --tmpfs /code/.agents --perms 0555 --tmpfs /code/.codex "
	         "--ro-bind /code/.git /code/.git "
	         "--perms 0111 --tmpfs /code/secrets "
	         "--bind /code/secrets/tmp /code/secrets/tmp "
	         "--perms 0555 --tmpfs /code/secrets/tmp/.agents "
	         "--perms 0555 --tmpfs /code/secrets/tmp/.codex "
	         "--perms 0555 --tmpfs /code/secrets/tmp/.git "
	         "--remount-ro /code/.agents --remount-ro /code/.codex --remount-ro /code/secrets "
	         "--remount-ro /code/secrets/tmp/.agents --remount-ro /code/secrets/tmp/.codex "
	         "--remount-ro /code/secrets/tmp/.git "
	         "--unshare-user --unshare-pid --unshare-ipc --unshare-net");
	free(all);
	json_t *syn = json_object_get(e.json, "synthetic_targets");
	cr_assert_eq(json_array_size(syn), 5);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(syn, 0), "path")),
	                 "/code/.agents");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(syn, 0), "kind")), "dir");
	cr_assert(json_is_false(json_object_get(e.json, "probed")));
	done(&e);
}

Test(bwrap, network_enabled_keeps_the_network_namespace)
{
	struct emitted e = emit("default_permissions = \"n\"\n"
	                        "[permissions.n.filesystem]\n\":root\" = \"read\"\n"
	                        "[permissions.n.network]\nenabled = true\n",
	                        "/work", false);
	cr_assert_eq(e.st, SBX_OK);
	char *all = joined(&e);
	cr_assert_str_eq(all, "--new-session --die-with-parent --ro-bind / / --dev /dev --proc "
	                      "/proc --unshare-user --unshare-pid --unshare-ipc");
	cr_assert_str_eq(json_string_value(json_object_get(e.json, "network")), "shared");
	free(all);
	done(&e);
}

Test(bwrap, offline_readable_roots_use_try_but_carveouts_do_not)
{
	struct emitted e = emit("default_permissions = \"m\"\n"
	                        "[permissions.m.filesystem]\n"
	                        "\":minimal\" = \"read\"\n"
	                        "\"/data\" = \"write\"\n"
	                        "\"/data/docs\" = \"read\"\n",
	                        "/work", false);
	cr_assert_eq(e.st, SBX_OK);
	cr_assert(contains(&e, "--tmpfs / --dev /dev --proc /proc"));
	cr_assert(contains(&e, "--ro-bind-try /usr /usr"));
	cr_assert(contains(&e, "--bind /data /data"));
	/* inside the writable /data, a missing carve-out must fail, not vanish */
	cr_assert(contains(&e, "--ro-bind /data/docs /data/docs"));
	done(&e);
}

Test(bwrap, determinism)
{
	const char *toml = "default_permissions = \"nested\"\n"
	                   "[permissions.nested.filesystem]\n"
	                   "\":root\" = \"read\"\n\"/code\" = \"write\"\n"
	                   "\"/code/secrets\" = \"deny\"\n\"/code/secrets/tmp\" = \"write\"\n";
	struct emitted a = emit(toml, "/work", false), b = emit(toml, "/work", false);
	for (size_t i = 0; i < a.b.n; i++) {
		const struct sbx_blob *x = &a.b.files[i], *y = sbx_bundle_get(&b.b, x->name);
		cr_assert_not_null(y);
		cr_assert_eq(x->len, y->len, "%s differs in length", x->name);
		cr_assert(memcmp(x->data, y->data, x->len) == 0, "%s differs", x->name);
	}
	done(&a);
	done(&b);
}

/* ---- probing a real tree ---- */

Test(bwrap, reopened_path_under_a_denied_directory, .init = make_tree, .fini = drop_tree)
{
	touch("repo/a/b/c/keep.txt", "x");
	touch("repo/a/hidden.txt", "x");
	struct emitted e = emit("default_permissions = \"r\"\n"
	                        "[permissions.r.filesystem]\n"
	                        "\":root\" = \"read\"\n"
	                        "\"@T@/repo\" = \"write\"\n"
	                        "\"@T@/repo/a\" = \"deny\"\n"
	                        "\"@T@/repo/a/b/c\" = \"write\"\n",
	                        "/", true);
	cr_assert_eq(e.st, SBX_OK);
	/* the mask must stay traversable, and the mount parent is recreated */
	cr_assert(contains(&e, "--perms 0111 --tmpfs @T@/repo/a --dir @T@/repo/a/b "
	                       "--bind @T@/repo/a/b/c @T@/repo/a/b/c"));
	cr_assert(contains(&e, "--remount-ro @T@/repo/a"));
	done(&e);
}

Test(bwrap, denied_files_get_one_data_descriptor_each, .init = make_tree, .fini = drop_tree)
{
	touch("w/one.txt", "secret");
	touch("w/two.txt", "secret");
	struct emitted e = emit("default_permissions = \"d\"\n"
	                        "[permissions.d.filesystem]\n"
	                        "\":root\" = \"read\"\n"
	                        "\"@T@/w/one.txt\" = \"deny\"\n"
	                        "\"@T@/w/two.txt\" = \"deny\"\n",
	                        "/", true);
	cr_assert_eq(e.st, SBX_OK);
	cr_assert(contains(&e, "--perms 0000 --ro-bind-data 3 @T@/w/one.txt "
	                       "--perms 0000 --ro-bind-data 4 @T@/w/two.txt"));
	json_t *fds = json_object_get(e.json, "data_fds");
	cr_assert_eq(json_integer_value(json_object_get(fds, "first")), 3);
	cr_assert_eq(json_integer_value(json_object_get(fds, "count")), 2);
	done(&e);
}

Test(bwrap, missing_paths_below_a_writable_root, .init = make_tree, .fini = drop_tree)
{
	touch("w/keep.txt", "x");
	struct emitted e = emit("default_permissions = \"d\"\n"
	                        "[permissions.d.filesystem]\n"
	                        "\":root\" = \"read\"\n"
	                        "\"@T@/w\" = \"write\"\n"
	                        "\"@T@/w/.git\" = \"write\"\n"
	                        "\"@T@/w/.agents\" = \"write\"\n"
	                        "\"@T@/w/.codex\" = \"write\"\n"
	                        "\"@T@/w/gone/deeper/secret\" = \"deny\"\n",
	                        "/", true);
	cr_assert_eq(e.st, SBX_OK);
	/* the missing parents are made (the sandbox could make them), the path masked */
	cr_assert(contains(&e, "--perms 0000 --ro-bind-data 3 @T@/w/gone/deeper/secret"));
	json_t *syn = json_object_get(e.json, "synthetic_targets");
	cr_assert_eq(json_array_size(syn), 3);
	const char *kinds[] = {"parent", "parent", "file"};
	const char *paths[] = {"@T@/w/gone", "@T@/w/gone/deeper", "@T@/w/gone/deeper/secret"};
	for (size_t i = 0; i < 3; i++) {
		char *want = expand(paths[i]);
		json_t *s = json_array_get(syn, i);
		cr_assert_str_eq(json_string_value(json_object_get(s, "path")), want);
		cr_assert_str_eq(json_string_value(json_object_get(s, "kind")), kinds[i]);
		free(want);
	}
	done(&e);
}

Test(bwrap, restricted_read_recreates_symlinked_platform_roots)
{
	struct stat st;
	if (lstat("/lib64", &st) != 0 || !S_ISLNK(st.st_mode))
		cr_skip("/lib64 is not a symlink on this machine");
	char target[256] = {0};
	cr_assert_gt(readlink("/lib64", target, sizeof target - 1), 0);
	struct emitted e = emit("default_permissions = \"m\"\n"
	                        "[permissions.m.filesystem]\n\":minimal\" = \"read\"\n",
	                        "/", true);
	cr_assert_eq(e.st, SBX_OK);
	char want[300];
	snprintf(want, sizeof want, "--symlink %s /lib64", target);
	cr_assert(contains(&e, want));
	cr_assert(contains(&e, "--tmpfs / --dev /dev --proc /proc"));
	done(&e);
}

/* ---- deny globs ---- */

Test(bwrap, deny_globs_are_expanded_and_masked, .init = make_tree, .fini = drop_tree)
{
	touch("ws/a.env", "x");
	touch("ws/main.c", "x");
	touch("ws/sub/b.env", "x");
	touch("ws/sub/deep/far/c.env", "x"); /* below glob_scan_max_depth */
	touch("elsewhere/d.env", "x");
	char link[600], target[600];
	snprintf(link, sizeof link, "%s/ws/dirlink", tree);
	snprintf(target, sizeof target, "%s/elsewhere", tree);
	cr_assert_eq(symlink(target, link), 0); /* a symlinked directory is not entered */
	char cwd[600];
	snprintf(cwd, sizeof cwd, "%s/ws", tree);
	struct emitted e = emit("default_permissions = \"g\"\n"
	                        "[permissions.g.filesystem]\n"
	                        "glob_scan_max_depth = 2\n"
	                        "\":root\" = \"read\"\n"
	                        "[permissions.g.filesystem.\":workspace_roots\"]\n"
	                        "\".\" = \"write\"\n"
	                        "\"**/*.env\" = \"deny\"\n",
	                        cwd, true);
	cr_assert_eq(e.st, SBX_OK);
	cr_assert(contains(&e, "--perms 0000 --ro-bind-data 3 @T@/ws/a.env"));
	cr_assert(contains(&e, "--perms 0000 --ro-bind-data 4 @T@/ws/sub/b.env"));
	char *all = joined(&e);
	cr_assert_null(strstr(all, "c.env"), "matched below glob_scan_max_depth: %s", all);
	cr_assert_null(strstr(all, "d.env"), "followed a symlinked directory: %s", all);
	free(all);
	json_t *g = json_array_get(json_object_get(e.json, "deny_globs"), 0);
	cr_assert_eq(json_integer_value(json_object_get(g, "max_depth")), 2);
	cr_assert_eq(json_array_size(json_object_get(g, "matches")), 2);
	cr_assert_not_null(strstr(json_string_value(json_object_get(e.json, "snapshot")),
	                          "files created later are not masked"));
	done(&e);
}

Test(bwrap, deny_glob_at_the_filesystem_root_is_refused)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	struct sbx_glob_result res;
	cr_assert_eq(sbx_glob_expand(ctx, "/**/*.pem", 0, SBX_NO_SPAN, &res), SBX_EUNSUPPORTED);
	cr_assert_eq(ctx->ndiags, 1);
	cr_assert_eq(ctx->diags[0]->code, SBX_E0713);
	cr_assert_str_eq(ctx->diags[0]->msg, "deny glob `/**/*.pem` starts at the filesystem root");
	sbx_ctx_free(&ctx);
}

Test(bwrap, deny_glob_match_limit)
{
	/* every file with a dot under /usr: far more than the limit on any
	** machine that can build sbxc (creating 8193 files here would be slow) */
	struct sbx_ctx *ctx = sbx_ctx_new();
	struct sbx_glob_result res;
	enum sbx_status st = sbx_glob_expand(ctx, "/usr/**/*.*", 0, SBX_NO_SPAN, &res);
	if (st == SBX_OK)
		cr_skip("only %zu files match /usr/**/*.* here, the limit is %u", res.n,
		        SBX_MAX_GLOB_MATCHES);
	cr_assert_eq(st, SBX_ELIMIT);
	cr_assert_eq(ctx->diags[0]->code, SBX_E0712);
	cr_assert_str_eq(ctx->diags[0]->msg,
	                 "deny glob `/usr/**/*.*` matches more than 8192 files");
	sbx_ctx_free(&ctx);
}

Test(bwrap, check_reports_the_semantic_verdict, .init = make_tree, .fini = drop_tree)
{
	touch("w/real/x", "x");
	char link[600], target[600];
	snprintf(link, sizeof link, "%s/w/link", tree);
	snprintf(target, sizeof target, "%s/w/real", tree);
	cr_assert_eq(symlink(target, link), 0);
	struct emitted e = emit("default_permissions = \"s\"\n"
	                        "[permissions.s.filesystem]\n"
	                        "\":root\" = \"read\"\n"
	                        "\"@T@/w\" = \"write\"\n"
	                        "\"@T@/w/link/x\" = \"read\"\n",
	                        "/", true);
	cr_assert_eq(e.st, SBX_EUNSUPPORTED);
	cr_assert_null(e.argv, "nothing may be emitted for a profile bwrap cannot enforce");
	cr_assert_not_null(fx_diag(e.ctx, SBX_E0603, 0), "the semantic pass's reason is reported");
	done(&e);
}

/* ---- what the sandbox can swap or hide ---- */

Test(bwrap, writable_root_through_a_symlink_in_a_writable_directory_is_refused, .init = make_tree,
     .fini = drop_tree)
{
	touch("w/x", "x");
	touch("elsewhere/y", "y");
	char link[600], target[600];
	snprintf(link, sizeof link, "%s/w/sub", tree);
	snprintf(target, sizeof target, "%s/elsewhere", tree);
	cr_assert_eq(symlink(target, link), 0); /* as a sandbox could leave it */
	struct emitted e = emit("default_permissions = \"s\"\n"
	                        "[permissions.s.filesystem]\n"
	                        "\":root\" = \"read\"\n"
	                        "\"@T@/w\" = \"write\"\n"
	                        "\"@T@/w/sub\" = \"write\"\n"
	                        "\"@T@/w/sub/.git\" = \"write\"\n"
	                        "\"@T@/w/sub/.agents\" = \"write\"\n"
	                        "\"@T@/w/sub/.codex\" = \"write\"\n",
	                        "/", true);
	cr_assert_eq(e.st, SBX_EUNSUPPORTED);
	cr_assert_null(e.argv, "nothing may be emitted: the bind would follow the symlink");
	const struct sbx_diag *d = fx_diag(e.ctx, SBX_E0718, 0);
	cr_assert_not_null(d);
	char *want = expand("writable root `@T@/w/sub` is a symlink in `@T@/w`, which the "
	                    "sandbox can write");
	cr_assert_str_eq(d->msg, want);
	free(want);
	done(&e);
}

Test(bwrap, symlinked_writable_root_outside_writable_directories_is_followed, .init = make_tree,
     .fini = drop_tree)
{
	touch("real/x", "x");
	char link[600], target[600];
	snprintf(link, sizeof link, "%s/link", tree);
	snprintf(target, sizeof target, "%s/real", tree);
	cr_assert_eq(symlink(target, link), 0); /* no sandbox could have made it */
	struct emitted e = emit("default_permissions = \"s\"\n"
	                        "[permissions.s.filesystem]\n"
	                        "\":root\" = \"read\"\n"
	                        "\"@T@/link\" = \"write\"\n"
	                        "\"@T@/link/.git\" = \"write\"\n"
	                        "\"@T@/link/.agents\" = \"write\"\n"
	                        "\"@T@/link/.codex\" = \"write\"\n",
	                        "/", true);
	cr_assert_eq(e.st, SBX_OK);
	cr_assert(contains(&e, "--bind @T@/real @T@/real"));
	done(&e);
}

Test(bwrap, fifo_carveout_in_a_writable_root_is_bound_read_only, .init = make_tree,
     .fini = drop_tree)
{
	touch("w/x", "x");
	char fifo[600];
	snprintf(fifo, sizeof fifo, "%s/w/fifo", tree);
	cr_assert_eq(mkfifo(fifo, 0644), 0);
	struct emitted e = emit("default_permissions = \"f\"\n"
	                        "[permissions.f.filesystem]\n"
	                        "\":root\" = \"read\"\n"
	                        "\"@T@/w\" = \"write\"\n"
	                        "\"@T@/w/fifo\" = \"read\"\n",
	                        "/", true);
	cr_assert_eq(e.st, SBX_OK);
	/* left alone, the sandbox could remove or replace it */
	cr_assert(contains(&e, "--ro-bind @T@/w/fifo @T@/w/fifo"));
	done(&e);
}

/* Drops the capabilities that let root enter any directory. */
static void as_ordinary_user(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2] = {{0}};
	cr_assert_eq(syscall(SYS_capset, &hdr, data), 0);
}

Test(bwrap, deny_glob_directory_that_cannot_be_entered_is_masked_whole, .init = make_tree,
     .fini = drop_tree)
{
	touch("ws/a.env", "x");
	touch("ws/locked/b.env", "x");
	char locked[600], pattern[600];
	snprintf(locked, sizeof locked, "%s/ws/locked", tree);
	snprintf(pattern, sizeof pattern, "%s/ws/**/*.env", tree);
	cr_assert_eq(chmod(locked, 0), 0);
	as_ordinary_user();
	struct sbx_ctx *ctx = sbx_ctx_new();
	struct sbx_glob_result res;
	enum sbx_status st = sbx_glob_expand(ctx, pattern, 0, SBX_NO_SPAN, &res);
	chmod(locked, 0755);
	cr_assert_eq(st, SBX_OK);
	/* what it holds cannot be known, and a sandbox of the same user could
	** chmod it open: it is masked whole */
	cr_assert_eq(res.n, 2);
	cr_assert(strstr(res.hits[0].path, "/ws/a.env"));
	cr_assert_str_eq(res.hits[1].path, locked);
	cr_assert(res.hits[1].dir);
	sbx_ctx_free(&ctx);
}

Test(bwrap, deny_glob_scan_that_fails_is_refused, .init = make_tree, .fini = drop_tree)
{
	/* 40 levels deep: the walk holds a descriptor per level */
	struct sbx_strbuf rel = SBX_STRBUF_INIT;
	sbx_sb_adds(&rel, "deep");
	for (int i = 0; i < 40; i++)
		sbx_sb_adds(&rel, "/d");
	sbx_sb_adds(&rel, "/x.env");
	touch(rel.buf, "x");
	sbx_sb_release(&rel);
	char pattern[600];
	snprintf(pattern, sizeof pattern, "%s/deep/**/*.env", tree);
	struct rlimit old, low;
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = 24;
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	struct sbx_ctx *ctx = sbx_ctx_new();
	struct sbx_glob_result res;
	enum sbx_status st = sbx_glob_expand(ctx, pattern, 0, SBX_NO_SPAN, &res);
	setrlimit(RLIMIT_NOFILE, &old);
	/* a match the scan did not reach would be left readable */
	cr_assert_eq(st, SBX_EUNSUPPORTED);
	cr_assert_eq(ctx->diags[0]->code, SBX_E0713);
	char want[1600];
	snprintf(want, sizeof want,
	         "deny glob `%s` cannot be expanded: scanning `%s/deep` failed: Too many open "
	         "files",
	         pattern, tree);
	cr_assert_str_eq(ctx->diags[0]->msg, want);
	sbx_ctx_free(&ctx);
}
