/*
** test_landlock.c: the Landlock emitter (emitters/landlock.c) and the
** ruleset applied for real (runtime/landlock.c) in a forked child: the
** exact ruleset JSON, the ABI floor, the check that reads the semantic
** verdict, the test hook that can only lower the ABI, and what a
** restricted process can and cannot do.
*/
#include "emitter.h"
#include "resolve.h"
#include "rt_int.h"
#include "schema_fixture.h"
#include "target.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct ruleset {
	struct sbx_ctx *ctx;
	const struct sbx_resolved *r;
	enum sbx_status check, emit;
	json_t *json;
	struct sbx_bundle b;
};

static struct ruleset build(const char *toml, const char *cwd)
{
	struct ruleset s = {.ctx = sbx_ctx_new()};
	struct sbx_config cfg;
	struct sbx_profile *p = fx_compile(s.ctx, toml, NULL, &cfg);
	cr_assert_not_null(p);
	struct sbx_resolve_opts o = {.flavor = SBX_FLAVOR_POSIX, .cwd = cwd, .probe = false};
	s.r = sbx_resolve(s.ctx, p, &o);
	cr_assert_not_null(s.r);
	struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = &s.b};
	struct sbx_emit_opts eo = {.probe = false};
	const struct sbx_emitter *e =
	    sbx_target_find_backend(sbx_target_get(SBX_OS_LINUX), SBX_BACKEND_LINUX_LANDLOCK)
	        ->emitter;
	s.check = e->check(s.ctx, s.r);
	s.emit = e->emit(s.ctx, s.r, &eo, &sink);
	const struct sbx_blob *js = sbx_bundle_get(&s.b, SBX_ART_LANDLOCK_JSON);
	if (js)
		s.json = json_loadb((const char *)js->data, js->len, 0, NULL);
	return s;
}

static void release(struct ruleset *s)
{
	json_decref(s->json);
	sbx_ctx_free(&s->ctx);
}

/* The names of a JSON array of rights, comma-separated. */
static const char *rights(json_t *a)
{
	static char buf[512];
	size_t n = 0;
	json_t *v;
	size_t i;
	buf[0] = 0;
	json_array_foreach(a, i, v) n +=
	    (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? "," : "", json_string_value(v));
	return buf;
}

Test(landlock, read_only_profile_ruleset)
{
	struct ruleset s = build("default_permissions = \"ro\"\n"
	                         "[permissions.ro.filesystem]\n"
	                         "\":minimal\" = \"read\"\n"
	                         "\"/srv/data\" = \"read\"\n",
	                         "/srv/data");
	cr_assert_eq(s.check, SBX_OK);
	cr_assert_eq(s.emit, SBX_OK);
	cr_assert_eq(json_integer_value(json_object_get(s.json, "abi")), 6);
	cr_assert_str_eq(
	    rights(json_object_get(s.json, "handled_access_fs")),
	    "execute,write_file,read_file,read_dir,remove_dir,remove_file,make_char,"
	    "make_dir,make_reg,make_sock,make_fifo,make_block,make_sym,refer,truncate,ioctl_dev");
	json_t *rules = json_object_get(s.json, "rules");
	const char *paths[] = {"/bin",
	                       "/dev/full",
	                       "/dev/null",
	                       "/dev/random",
	                       "/dev/urandom",
	                       "/dev/zero",
	                       "/etc",
	                       "/lib",
	                       "/lib64",
	                       "/nix/store",
	                       "/run/current-system/sw",
	                       "/sbin",
	                       "/srv/data",
	                       "/usr"};
	cr_assert_eq(json_array_size(rules), sizeof paths / sizeof paths[0]);
	for (size_t i = 0; i < json_array_size(rules); i++) {
		json_t *r = json_array_get(rules, i);
		const char *path = json_string_value(json_object_get(r, "path"));
		cr_assert_str_eq(path, paths[i]);
		const char *want = strncmp(path, "/dev/", 5) == 0
		                       ? "write_file,read_file,truncate,ioctl_dev"
		                       : "execute,read_file,read_dir";
		cr_assert_str_eq(rights(json_object_get(r, "access")), want, "%s", path);
	}
	release(&s);
}

Test(landlock, writable_roots_are_refused_for_metadata)
{
	/* Even with its .git, .agents and .codex explicitly writable, a writable
	** root is beyond Landlock: it does not govern chmod, chown, times or
	** xattrs, and seccomp could only refuse those for every path at once. */
	struct ruleset s = build("default_permissions = \"w\"\n"
	                         "[permissions.w.filesystem]\n"
	                         "\":root\" = \"read\"\n"
	                         "\"/w\" = \"write\"\n"
	                         "\"/w/.git\" = \"write\"\n"
	                         "\"/w/.agents\" = \"write\"\n"
	                         "\"/w/.codex\" = \"write\"\n",
	                         "/w");
	cr_assert_eq(s.check, SBX_EUNSUPPORTED);
	cr_assert_null(s.json);
	const struct sbx_diag *d = fx_diag(s.ctx, SBX_E0614, 0);
	cr_assert_not_null(d);
	cr_assert_str_eq(d->msg, "`linux-landlock` cannot keep the mode, owner, times and extended "
	                         "attributes of read-only files unchanged while `/w` is writable: "
	                         "Landlock does not govern them");
	cr_assert_null(fx_diag(s.ctx, SBX_E0612, 0), "every protected name is granted");
	release(&s);
}

Test(landlock, check_reads_the_semantic_verdict)
{
	struct ruleset s = build("default_permissions = \"n\"\n"
	                         "[permissions.n.filesystem]\n"
	                         "\":root\" = \"read\"\n"
	                         "\"/code\" = \"write\"\n"
	                         "\"/code/secrets\" = \"deny\"\n",
	                         "/code");
	cr_assert_eq(s.check, SBX_EUNSUPPORTED);
	cr_assert_eq(s.emit, SBX_EUNSUPPORTED);
	cr_assert_null(s.json, "no ruleset for a profile Landlock cannot enforce");
	cr_assert_not_null(fx_diag(s.ctx, SBX_E0610, 0));
	cr_assert_not_null(fx_diag(s.ctx, SBX_E0612, 0));
	release(&s);
}

Test(landlock, abi_floor_is_six)
{
	struct ruleset s = build("default_permissions = \"fw\"\n"
	                         "[permissions.fw.filesystem]\n\":root\" = \"write\"\n",
	                         "/");
	cr_assert_eq(s.check, SBX_OK);
	cr_assert_lt(s.r->enforce[SBX_BACKEND_LINUX_LANDLOCK].landlock_abi, 3);
	/* truncate (3), device ioctls (5), and scopes (6): without them the
	** command could signal any process of its user outside the sandbox */
	cr_assert_eq(json_integer_value(json_object_get(s.json, "abi")), 6);
	cr_assert_str_eq(rights(json_object_get(s.json, "scoped")), "abstract_unix_socket,signal");
	release(&s);
}

Test(landlock, test_hook_only_lowers_the_abi)
{
	unsetenv("SBXC_TEST_LANDLOCK_ABI");
	int real = sbx_landlock_kernel_abi(-1);
	cr_assert_eq(sbx_landlock_kernel_abi(real + 5), real);
	cr_assert_eq(sbx_landlock_kernel_abi(0), 0);
	setenv("SBXC_TEST_LANDLOCK_ABI", "99", 1);
	cr_assert_eq(sbx_landlock_kernel_abi(-1), real);
	setenv("SBXC_TEST_LANDLOCK_ABI", "1", 1);
	cr_assert_eq(sbx_landlock_kernel_abi(-1), real < 1 ? real : 1);
	unsetenv("SBXC_TEST_LANDLOCK_ABI");
}

/* ---- applied for real ---- */

static char dir[256];

static void make_dir(void)
{
	snprintf(dir, sizeof dir, "/tmp/sbxc-test-landlock-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void drop_dir(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

static int expect(bool ok, int code)
{
	return ok ? 0 : code;
}

/* In the restricted child: read-only means readable, and nothing else. */
static int restricted_checks(void)
{
	char p[400];
	int r;
	snprintf(p, sizeof p, "%s/ro/file", dir);
	if ((r = expect(open(p, O_RDONLY) >= 0, 1)))
		return r;
	if ((r = expect(open(p, O_WRONLY) < 0 && errno == EACCES, 2)))
		return r;
	if ((r = expect(truncate(p, 0) != 0 && errno == EACCES, 3)))
		return r;
	if ((r = expect(unlink(p) != 0 && errno == EACCES, 4)))
		return r;
	snprintf(p, sizeof p, "%s/ro/new", dir);
	if ((r = expect(open(p, O_WRONLY | O_CREAT, 0644) < 0 && errno == EACCES, 5)))
		return r;
	if ((r = expect(mkdir(p, 0755) != 0 && errno == EACCES, 6)))
		return r;
	if ((r = expect(open("/dev/null", O_WRONLY | O_TRUNC) >= 0, 7)))
		return r;
	/* scopes: no signal reaches a process outside the sandbox */
	if ((r = expect(kill(getppid(), 0) != 0 && errno == EPERM, 8)))
		return r;
	/* device ioctls only on the granted nodes */
	int pt = open("/dev/ptmx", O_RDONLY | O_NOCTTY);
	unsigned n;
	if (pt >= 0 && (r = expect(ioctl(pt, TIOCGPTN, &n) != 0 && errno == EACCES, 9)))
		return r;
	return 0;
}

Test(landlock, applied_ruleset_restricts_the_process, .init = make_dir, .fini = drop_dir)
{
	int kabi = sbx_landlock_kernel_abi(-1);
	if (kabi < 6)
		cr_skip("the kernel's Landlock ABI is %d; this test needs 6", kabi);
	char p[400];
	snprintf(p, sizeof p, "%s/ro", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/ro/file", dir);
	FILE *f = fopen(p, "w");
	fputs("data", f);
	fclose(f);
	struct ruleset s = build("default_permissions = \"t\"\n[permissions.t.filesystem]\n"
	                         "\":root\" = \"read\"\n",
	                         "/");
	cr_assert_eq(s.emit, SBX_OK);
	struct rt_artifacts a = {.landlock = s.json};
	pid_t pid = fork();
	if (pid == 0) {
		struct sbx_ctx *ctx = sbx_ctx_new();
		if (rt_landlock_apply(ctx, &a, kabi) != SBX_OK)
			_exit(100);
		_exit(restricted_checks());
	}
	int st;
	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st));
	cr_assert_eq(WEXITSTATUS(st), 0, "check %d failed", WEXITSTATUS(st));
	release(&s);
}
