/*
** Unit tests for libsbxc's public API (include/sbxc.h), through that header
** only: diagnostics as data with exact places, the call order, the access of
** paths with what decided it, the legacy settings, backend verdicts, and the
** artifacts, in memory and in a directory (refused, and cleaned of an
** earlier set, when the sandbox could rewrite it).
*/
#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sbxc.h"

static const char policy[] = "default_permissions = \"agent\"\n"
                             "[permissions.agent]\n"
                             "extends = \":workspace\"\n"
                             "[permissions.agent.filesystem]\n"
                             "\"~/.ssh\" = \"deny\"\n"
                             "[permissions.agent.filesystem.\":workspace_roots\"]\n"
                             "\"docs\" = \"read\"\n";

/* A policy from memory, resolved offline for Linux in /work/repo. */
static struct sbxc_policy *compiled(const char *text, enum sbxc_status want)
{
	struct sbxc_policy *p = sbx_policy_new();
	cr_assert_not_null(p);
	if (text)
		sbx_policy_load_buffer(p, "mem.toml", text, strlen(text));
	cr_assert_eq(sbx_policy_set_target(p, "linux"), SBXC_OK);
	cr_assert_eq(sbx_policy_set_cwd(p, "/work/repo"), SBXC_OK);
	cr_assert_eq(sbx_policy_set_home(p, "/home/user"), SBXC_OK);
	cr_assert_eq(sbx_policy_set_tmpdir(p, NULL), SBXC_OK);
	cr_assert_eq(sbx_policy_set_environment(p, NULL), SBXC_OK);
	cr_assert_eq(sbx_policy_set_offline(p, 1), SBXC_OK);
	cr_assert_eq(sbx_policy_compile(p), want);
	return p;
}

/* Asserts that diagnostic I of P is there and has CODE. */
static void expect_code(struct sbxc_policy *p, size_t i, const char *code)
{
	struct sbxc_diagnostic d;
	cr_assert_eq(sbx_policy_diagnostic(p, i, &d), SBXC_OK);
	cr_assert_str_eq(d.code, code);
}

/* Asserts that P has diagnostics and that the last one has CODE. */
static void expect_last_code(struct sbxc_policy *p, const char *code)
{
	size_t n = sbx_policy_diagnostic_count(p);
	cr_assert_gt(n, 0);
	expect_code(p, n - 1, code);
}

Test(api, version_matches_header)
{
	cr_assert_str_eq(sbx_version(), SBXC_VERSION_STRING);
	cr_assert_eq(sbx_version_number(), SBXC_VERSION_NUMBER);
}

Test(api, syntax_error_is_data_with_exact_place)
{
	struct sbxc_policy *p = compiled("a = 1\nb = = 2\n", SBXC_EPOLICY);
	cr_assert_eq(sbx_policy_diagnostic_count(p), 1);
	cr_assert_eq(sbx_policy_error_count(p), 1);
	struct sbxc_diagnostic d;
	cr_assert_eq(sbx_policy_diagnostic(p, 0, &d), SBXC_OK);
	cr_assert_str_eq(d.code, "E0101");
	cr_assert_eq(d.severity, SBXC_SEVERITY_ERROR);
	cr_assert_str_eq(d.where.file, "mem.toml");
	cr_assert_eq(d.where.line, 2);
	cr_assert_eq(d.where.column, 5);
	cr_assert_eq(d.where.end_line, 2);
	cr_assert_eq(d.where.end_column, 6);
	cr_assert_eq(sbx_policy_diagnostic(p, 1, &d), SBXC_EINVAL);
	sbx_policy_free(p);
}

Test(api, notes_and_help_are_data)
{
	struct sbxc_policy *p = compiled("default_permissions = \"a\"\n"
	                                 "[permissions.a.filesystem]\n"
	                                 "\"docs\" = \"read\"\n",
	                                 SBXC_EPOLICY);
	struct sbxc_diagnostic d;
	cr_assert_eq(sbx_policy_diagnostic(p, 0, &d), SBXC_OK);
	cr_assert_str_eq(d.code, "E0301");
	cr_assert_str_eq(
	    d.message,
	    "filesystem path `docs` must be absolute, start with `~/` or be a `:` token");
	cr_assert_eq(d.where.line, 3);
	cr_assert_eq(d.where.column, 1);
	cr_assert_eq(d.where.end_column, 7);
	cr_assert_eq(d.nnotes, 1);
	struct sbxc_note n;
	cr_assert_eq(sbx_policy_diagnostic_note(p, 0, 0, &n), SBXC_OK);
	cr_assert_eq(n.help, 1);
	cr_assert_null(n.where.file);
	cr_assert_str_eq(n.message, "for a path inside the workspace, write it under "
	                            "`[permissions.a.filesystem.\":workspace_roots\"]`");
	cr_assert_eq(sbx_policy_diagnostic_note(p, 0, 1, &n), SBXC_EINVAL);
	sbx_policy_free(p);
}

Test(api, calls_out_of_order_are_refused)
{
	struct sbxc_policy *p = sbx_policy_new();
	struct sbxc_decision d;
	cr_assert_eq(sbx_policy_access(p, "/x", &d), SBXC_EINVAL); /* before compile */
	cr_assert_eq(sbx_policy_emit(p, "linux"), SBXC_EINVAL);
	cr_assert_eq(sbx_policy_set_target(p, "plan9"), SBXC_EINVAL);
	cr_assert_eq(sbx_policy_load_buffer(p, "a.toml", "", 0), SBXC_OK);
	cr_assert_eq(sbx_policy_load_buffer(p, "b.toml", "", 0), SBXC_EINVAL); /* one text */
	cr_assert_eq(sbx_policy_select_profile(p, ":read-only"), SBXC_OK);
	cr_assert_eq(sbx_policy_compile(p), SBXC_OK);
	cr_assert_eq(sbx_policy_compile(p), SBXC_EINVAL); /* once */
	cr_assert_eq(sbx_policy_set_cwd(p, "/elsewhere"), SBXC_EINVAL);
	cr_assert_eq(sbx_policy_emit(p, "macos"), SBXC_EINVAL); /* no emitter yet */
	cr_assert_eq(sbx_policy_load_file(NULL, "x"), SBXC_EINVAL);
	sbx_policy_free(NULL);
	sbx_policy_free(p);
}

Test(api, unreadable_file_is_an_io_error_with_its_diagnostic)
{
	struct sbxc_policy *p = sbx_policy_new();
	cr_assert_eq(sbx_policy_load_file(p, "/nonexistent/sbxc/policy.toml"), SBXC_EIO);
	cr_assert_eq(sbx_policy_compile(p), SBXC_EPOLICY);
	expect_code(p, 0, "E0001");
	sbx_policy_free(p);
}

Test(api, access_names_the_deciding_rule)
{
	struct sbxc_policy *p = compiled(policy, SBXC_OK);
	struct sbxc_decision d;
	cr_assert_eq(sbx_policy_access(p, "docs/guide.md", &d), SBXC_OK);
	cr_assert_str_eq(d.path, "/work/repo/docs/guide.md");
	cr_assert_eq(d.access, SBXC_ACCESS_READ);
	cr_assert_str_eq(d.origin, "entry");
	cr_assert_str_eq(d.rule, "\"docs\" = \"read\"");
	cr_assert_str_eq(d.rule_where.file, "mem.toml");
	cr_assert_eq(d.rule_where.line, 7);
	cr_assert_eq(d.rule_where.column, 1);
	cr_assert_eq(d.rule_where.end_column, 16);
	cr_assert_null(d.reason);

	cr_assert_eq(sbx_policy_access(p, "/home/user/.ssh/id_ed25519", &d), SBXC_OK);
	cr_assert_eq(d.access, SBXC_ACCESS_DENY);
	cr_assert_str_eq(d.rule, "\"~/.ssh\" = \"deny\"");

	/* a carve-out: its reason, and the built-in entry whose write it refused */
	cr_assert_eq(sbx_policy_access(p, "/work/repo/.codex/x", &d), SBXC_OK);
	cr_assert_eq(d.access, SBXC_ACCESS_READ);
	cr_assert_str_eq(d.origin, "codex");
	cr_assert_null(d.rule_where.file);
	cr_assert_str_eq(d.reason, "`.codex` is read-only in the cwd `/work/repo` even before it "
	                           "exists");

	cr_assert_eq(sbx_policy_access(p, "C:\\x", &d), SBXC_EINVAL); /* not a POSIX path */
	sbx_policy_free(p);
}

Test(api, legacy_settings_without_a_document)
{
	struct sbxc_policy *p = sbx_policy_new();
	cr_assert_eq(sbx_policy_select_legacy(p, "read-only"), SBXC_OK);
	cr_assert_eq(sbx_policy_set_cwd(p, "/work/repo"), SBXC_OK);
	cr_assert_eq(sbx_policy_set_offline(p, 1), SBXC_OK);
	cr_assert_eq(sbx_policy_compile(p), SBXC_OK);
	struct sbxc_decision d;
	cr_assert_eq(sbx_policy_access(p, "/work/repo/x", &d), SBXC_OK);
	cr_assert_eq(d.access, SBXC_ACCESS_READ);
	sbx_policy_free(p);

	p = sbx_policy_new();
	cr_assert_eq(sbx_policy_select_legacy(p, "no-such-mode"), SBXC_OK);
	cr_assert_eq(sbx_policy_compile(p), SBXC_EPOLICY);
	expect_code(p, 0, "E0210");
	sbx_policy_free(p);
}

Test(api, backend_verdicts_with_reasons)
{
	struct sbxc_policy *p = compiled(policy, SBXC_OK);
	size_t chosen = 0, landlock = 0;
	for (size_t i = 0; i < sbx_policy_backend_count(p); i++) {
		struct sbxc_backend b;
		cr_assert_eq(sbx_policy_backend(p, i, &b), SBXC_OK);
		chosen += b.chosen != 0;
		if (strcmp(b.name, "linux-bwrap") == 0) {
			cr_assert(b.enforces && b.chosen);
			cr_assert_str_eq(b.target, "linux");
		}
		if (strcmp(b.name, "linux-landlock") == 0) {
			landlock++;
			cr_assert(!b.enforces && !b.chosen);
			cr_assert_gt(b.nreasons, 0);
			struct sbxc_diagnostic r;
			cr_assert_eq(sbx_policy_backend_reason(p, i, 0, &r), SBXC_OK);
			cr_assert_str_eq(r.code, "E0610");
			cr_assert_str_eq(r.where.file, "mem.toml");
			cr_assert_eq(r.where.line, 5);
		}
	}
	cr_assert_eq(chosen, 1);
	cr_assert_eq(landlock, 1);
	sbx_policy_free(p);
}

Test(api, artifacts_in_memory)
{
	struct sbxc_policy *p = compiled(policy, SBXC_OK);
	cr_assert_eq(sbx_policy_artifact_count(p), 0);
	cr_assert_eq(sbx_policy_emit(p, "linux"), SBXC_OK);
	bool manifest = false, bwrap = false, landlock = false;
	for (size_t i = 0; i < sbx_policy_artifact_count(p); i++) {
		struct sbxc_artifact a;
		cr_assert_eq(sbx_policy_artifact(p, i, &a), SBXC_OK);
		cr_assert_gt(a.size, 0);
		manifest |= strcmp(a.name, "manifest.json") == 0 && a.data[0] == '{';
		bwrap |= strcmp(a.name, "bwrap.args") == 0;
		landlock |= strcmp(a.name, "landlock.json") == 0;
	}
	cr_assert(manifest && bwrap);
	cr_assert(!landlock); /* Landlock cannot enforce this policy */
	sbx_policy_free(p);
}

/* ---- artifacts in a directory ---- */

static const char ws_policy[] = "default_permissions = \"p\"\n"
                                "[permissions.p.filesystem]\n"
                                "\":root\" = \"read\"\n"
                                "[permissions.p.filesystem.\":workspace_roots\"]\n"
                                "\".\" = \"write\"\n";

static char *path2(const char *a, const char *b)
{
	char *s = malloc(strlen(a) + strlen(b) + 2);
	cr_assert_not_null(s);
	memcpy(s, a, strlen(a));
	s[strlen(a)] = '/';
	memcpy(s + strlen(a) + 1, b, strlen(b) + 1);
	return s;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static struct sbxc_policy *in_workspace(const char *ws)
{
	struct sbxc_policy *p = sbx_policy_new();
	sbx_policy_load_buffer(p, "ws.toml", ws_policy, strlen(ws_policy));
	sbx_policy_set_target(p, "linux");
	sbx_policy_set_cwd(p, ws);
	sbx_policy_set_home(p, NULL);
	sbx_policy_set_tmpdir(p, NULL);
	sbx_policy_set_offline(p, 1);
	cr_assert_eq(sbx_policy_compile(p), SBXC_OK);
	return p;
}

/* The attack: artifacts written where the sandboxed command can rewrite them,
** so that the next `sbxc exec` runs what it wrote. Refused, and an earlier
** set in that directory does not survive to be run instead. */
Test(api, emit_dir_refuses_a_directory_the_sandbox_can_write)
{
	char top[] = "/tmp/sbxc-api-XXXXXX";
	cr_assert_not_null(mkdtemp(top));
	char *ws = path2(top, "ws"), *out = path2(ws, "out");
	cr_assert_eq(mkdir(ws, 0755), 0);
	cr_assert_eq(mkdir(out, 0755), 0);
	char *stale = path2(out, "manifest.json");
	FILE *f = fopen(stale, "w");
	cr_assert_not_null(f);
	fputs("{}\n", f);
	fclose(f);

	struct sbxc_policy *p = in_workspace(ws);
	cr_assert_eq(sbx_policy_emit_dir(p, "linux", out), SBXC_EPOLICY);
	expect_last_code(p, "E0719");
	cr_assert_eq(access(stale, F_OK), -1, "an earlier artifact set was left in place");
	sbx_policy_free(p);

	/* outside the workspace: written */
	char *safe = path2(top, "artifacts");
	p = in_workspace(ws);
	cr_assert_eq(sbx_policy_emit_dir(p, "linux", safe), SBXC_OK);
	char *manifest = path2(safe, "manifest.json");
	cr_assert_eq(access(manifest, F_OK), 0);
	sbx_policy_free(p);

	cr_assert_eq(nftw(top, rm_one, 8, FTW_DEPTH | FTW_PHYS), 0);
	free(ws), free(out), free(stale), free(safe), free(manifest);
}

Test(api, windows_target_resolves_offline_in_its_own_flavour)
{
	struct sbxc_policy *p = sbx_policy_new();
	cr_assert_eq(sbx_policy_select_profile(p, ":workspace"), SBXC_OK);
	cr_assert_eq(sbx_policy_set_target(p, "windows"), SBXC_OK);
	cr_assert_eq(sbx_policy_set_cwd(p, "C:\\ws"), SBXC_OK);
	cr_assert_eq(sbx_policy_compile(p), SBXC_OK);
	struct sbxc_decision d;
	cr_assert_eq(sbx_policy_access(p, "src\\main.c", &d), SBXC_OK);
	cr_assert_str_eq(d.path, "C:\\ws\\src\\main.c");
	cr_assert_eq(d.access, SBXC_ACCESS_WRITE);
	cr_assert_eq(sbx_policy_access(p, "/etc/passwd", &d), SBXC_OK); /* rooted on C: */
	cr_assert_str_eq(d.path, "C:\\etc\\passwd");
	cr_assert_eq(sbx_policy_access(p, "D:relative", &d), SBXC_EINVAL);
	cr_assert_eq(sbx_policy_emit(p, "linux"), SBXC_EINVAL); /* resolved for Windows */
	cr_assert_eq(sbx_policy_emit(p, "windows"), SBXC_OK);
	bool manifest = false;
	for (size_t i = 0; i < sbx_policy_artifact_count(p); i++) {
		struct sbxc_artifact a;
		cr_assert_eq(sbx_policy_artifact(p, i, &a), SBXC_OK);
		manifest |= strcmp(a.name, "manifest.json") == 0;
	}
	cr_assert(manifest);
	sbx_policy_free(p);

	/* this machine's POSIX cwd is no default for a Windows target */
	p = sbx_policy_new();
	cr_assert_eq(sbx_policy_select_profile(p, ":workspace"), SBXC_OK);
	cr_assert_eq(sbx_policy_set_target(p, "windows"), SBXC_OK);
	cr_assert_eq(sbx_policy_compile(p), SBXC_EPOLICY);
	cr_assert_gt(sbx_policy_error_count(p), 0);
	sbx_policy_free(p);
}

/* The policy file itself inside the workspace: the sandbox could rewrite
** the policy the next run enforces. Emitting from it is refused (E0720),
** as `sbxc compile -o DIR FILE` refuses it. */
Test(api, emit_dir_refuses_a_policy_file_the_sandbox_can_write)
{
	char top[] = "/tmp/sbxc-api-XXXXXX";
	cr_assert_not_null(mkdtemp(top));
	char *ws = path2(top, "ws"), *file = path2(ws, "policy.toml"), *out = path2(top, "out");
	cr_assert_eq(mkdir(ws, 0755), 0);
	FILE *f = fopen(file, "w");
	cr_assert_not_null(f);
	fputs(ws_policy, f);
	fclose(f);

	struct sbxc_policy *p = sbx_policy_new();
	cr_assert_eq(sbx_policy_load_file(p, file), SBXC_OK);
	sbx_policy_set_target(p, "linux");
	sbx_policy_set_cwd(p, ws);
	sbx_policy_set_home(p, NULL);
	sbx_policy_set_tmpdir(p, NULL);
	sbx_policy_set_offline(p, 1);
	cr_assert_eq(sbx_policy_compile(p), SBXC_OK);
	cr_assert_eq(sbx_policy_emit_dir(p, "linux", out), SBXC_EPOLICY);
	expect_last_code(p, "E0720");
	cr_assert_eq(access(out, F_OK), -1, "the artifact directory was made");
	sbx_policy_free(p);

	cr_assert_eq(nftw(top, rm_one, 8, FTW_DEPTH | FTW_PHYS), 0);
	free(ws), free(file), free(out);
}
