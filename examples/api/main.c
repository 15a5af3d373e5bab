/*
** examples/api/main.c: compiles a policy with libsbxc (spec/api.md) and
** prints what the library says about it: the access of a few paths and
** what decided each, every backend's verdict, the Linux artifacts, and the
** diagnostics of a broken policy as data.
**
**   cc -o api-example main.c $(pkg-config --cflags --libs sbxc)
**   ./api-example policy.toml
**
** The resolution context is fixed (cwd /work/repo, home /home/user, no
** environment, offline) so that the output is the same on every machine.
*/
#include <sbxc.h>

#include <stdio.h>
#include <string.h>

static const char *const access_names[] = {"deny", "read", "write"};
static const char *const severity_names[] = {"note", "warning", "error"};

static void print_location(const struct sbxc_location *l)
{
	if (l->file)
		printf("%s:%u:%u-%u:%u", l->file, l->line, l->column, l->end_line, l->end_column);
	else
		printf("(no location)");
}

static void print_diagnostic(struct sbxc_policy *p, size_t i, const struct sbxc_diagnostic *d)
{
	printf("  %s[%s] ", severity_names[d->severity], d->code);
	print_location(&d->where);
	printf(": %s\n", d->message);
	for (size_t j = 0; j < d->nnotes; j++) {
		struct sbxc_note n;
		if (sbx_policy_diagnostic_note(p, i, j, &n) == SBXC_OK)
			printf("    %s: %s\n", n.help ? "help" : "note", n.message);
	}
}

static void print_diagnostics(struct sbxc_policy *p)
{
	size_t n = sbx_policy_diagnostic_count(p);
	printf("%zu diagnostic%s, %zu error%s\n", n, n == 1 ? "" : "s", sbx_policy_error_count(p),
	       sbx_policy_error_count(p) == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		struct sbxc_diagnostic d;
		if (sbx_policy_diagnostic(p, i, &d) == SBXC_OK)
			print_diagnostic(p, i, &d);
	}
}

static void explain(struct sbxc_policy *p, const char *path)
{
	struct sbxc_decision d;
	if (sbx_policy_access(p, path, &d) != SBXC_OK) {
		printf("%s: not a path of this target\n", path);
		return;
	}
	printf("%s: %s (%s)\n", d.path, access_names[d.access], d.origin);
	if (d.rule) {
		printf("    rule %s at ", d.rule);
		if (d.rule_where.file)
			print_location(&d.rule_where);
		else
			printf("a built-in profile");
		putchar('\n');
	}
	if (d.reason)
		printf("    %s\n", d.reason);
}

static void verdicts(struct sbxc_policy *p)
{
	for (size_t i = 0; i < sbx_policy_backend_count(p); i++) {
		struct sbxc_backend b;
		if (sbx_policy_backend(p, i, &b) != SBXC_OK || !b.applicable)
			continue;
		printf("backend %s (%s): %s%s\n", b.name, b.target,
		       b.enforces ? "enforces the policy" : "cannot enforce it",
		       b.chosen ? ", chosen" : "");
		for (size_t j = 0; j < b.nreasons; j++) {
			struct sbxc_diagnostic r;
			if (sbx_policy_backend_reason(p, i, j, &r) == SBXC_OK)
				printf("    [%s] %s\n", r.code, r.message);
		}
	}
}

static void artifacts(struct sbxc_policy *p)
{
	if (sbx_policy_emit(p, "linux") != SBXC_OK) {
		printf("no Linux artifacts\n");
		return;
	}
	printf("Linux artifacts:");
	for (size_t i = 0; i < sbx_policy_artifact_count(p); i++) {
		struct sbxc_artifact a;
		if (sbx_policy_artifact(p, i, &a) == SBXC_OK)
			printf(" %s", a.name);
	}
	putchar('\n');
}

/* The same resolution context for every compile. */
static void context(struct sbxc_policy *p)
{
	sbx_policy_set_target(p, "linux");
	sbx_policy_set_cwd(p, "/work/repo");
	sbx_policy_set_home(p, "/home/user");
	sbx_policy_set_tmpdir(p, "/tmp");
	sbx_policy_set_environment(p, NULL); /* no proxy variables */
	sbx_policy_set_offline(p, 1);
}

int main(int argc, char **argv)
{
	const char *file = argc > 1 ? argv[1] : "policy.toml";
	printf("libsbxc %s (header %s)\n", sbx_version(), SBXC_VERSION_STRING);
	if (sbx_version_number() != SBXC_VERSION_NUMBER)
		printf("warning: the library is not the version of this header\n");

	struct sbxc_policy *p = sbx_policy_new();
	if (!p)
		return 1;
	sbx_policy_load_file(p, file);
	context(p);
	if (sbx_policy_compile(p) != SBXC_OK) {
		print_diagnostics(p);
		sbx_policy_free(p);
		return 1;
	}
	explain(p, "src/main.c");
	explain(p, "docs/guide.md");
	explain(p, "/home/user/.ssh/id_ed25519");
	explain(p, ".codex/config.toml");
	explain(p, "/etc/hostname");
	verdicts(p);
	artifacts(p);
	print_diagnostics(p);
	sbx_policy_free(p);

	/* A broken policy, from memory: the diagnostics are data. */
	static const char broken[] = "default_permissions = \"agent\"\n"
	                             "[permissions.agent.filesystem]\n"
	                             "\"docs\" = \"writable\"\n";
	p = sbx_policy_new();
	if (!p)
		return 1;
	sbx_policy_load_buffer(p, "broken.toml", broken, strlen(broken));
	context(p);
	enum sbxc_status st = sbx_policy_compile(p);
	printf("broken.toml: %s\n", st == SBXC_OK ? "compiled" : "refused");
	print_diagnostics(p);
	sbx_policy_free(p);
	return 0;
}
