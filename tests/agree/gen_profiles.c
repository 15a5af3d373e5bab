/*
** gen_profiles.c: writes N random policy files for the agreement test
** (agree.sh): `gen_profiles DIR SCRATCH N SEED` writes DIR/r0000.toml ...,
** one profile each, selected with default_permissions. The same seed gives
** the same files on every machine (a fixed xorshift generator, no libc
** rand()).
**
** The entries are drawn from pools that reach every refusal lint must
** predict: deny globs anchored at `/` (E0713) or matching many files
** (E0712), paths in the scratch tree that cross a symlink the sandbox could
** have made (E0603, E0718), the directory holding the policy files made
** writable (E0720), proxy-enforced networking (E0602), as well as plain
** read, write and deny entries, carve-outs, `extends` and the network.
** SCRATCH is the scratch tree agree.sh builds (ws, home, tmp, policies,
** outside, and the symlinks it makes).
*/
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

static uint32_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (uint32_t)(state >> 32);
}

static size_t pick(size_t n)
{
	return next() % n;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Path keys; `@` stands for the scratch tree. */
static const char *const paths[] = {
    ":root",
    ":minimal",
    ":workspace_roots",
    ":tmpdir",
    ":slash_tmp",
    "~",
    "~/notes",
    "@/ws",
    "@/ws/src",
    "@/ws/src/deep",
    "@/ws/docs",
    "@/ws/.git",
    "@/ws/.codex",
    "@/ws/link",
    "@/ws/link/inner",
    "@/ws/src/secret.env",
    "@/outside",
    "@/outside/data",
    "@/policies",
    "@/home",
    "@/tmp",
    "/usr",
    "/etc",
    "/etc/passwd",
    "/var/tmp",
    "/opt/nothing",
    "@/ws/missing/dir",
    "@/home/link",
};

static const char *const globs[] = {
    "@/ws/**/*.env", "@/ws/src/*.env", "@/outside/**/*.key", "/**/*.pem",        "/usr/**/*.py",
    "@/home/**/*",   "@/ws/*.[ch]",    "@/missing/**/*.x",   "@/ws/**/.secret*",
};

static const char *const subpaths[] = {".", "src", "docs", "build", ".git", "src/gen"};

static const char *const access_values[] = {"read", "write", "deny", "none", "read", "write"};

static void put_path(FILE *f, const char *p, const char *scratch)
{
	for (; *p; p++) {
		if (*p == '@')
			fputs(scratch, f);
		else
			fputc(*p, f);
	}
}

static void profile(FILE *f, const char *scratch)
{
	bool proxy = pick(20) == 0;
	fputs("default_permissions = \"p\"\n\n", f);
	if (proxy)
		fputs("[features]\nnetwork_proxy = true\n\n", f);
	fputs("[permissions.p]\n", f);
	size_t ext = pick(4);
	if (ext == 1)
		fputs("extends = \":workspace\"\n", f);
	else if (ext == 2)
		fputs("extends = \":read-only\"\n", f);
	fputs("\n[permissions.p.filesystem]\n", f);
	if (pick(3) == 0)
		fprintf(f, "glob_scan_max_depth = %zu\n", 1 + pick(4));
	/* distinct path keys: a key written twice is a TOML error, which is
	** agreement too, but says nothing about the semantic pass */
	bool used[N(paths)] = {0};
	size_t n = pick(6);
	for (size_t i = 0; i < n; i++) {
		size_t k = pick(N(paths));
		if (used[k] || strcmp(paths[k], ":workspace_roots") == 0)
			continue;
		used[k] = true;
		fputc('"', f);
		put_path(f, paths[k], scratch);
		fprintf(f, "\" = \"%s\"\n", access_values[pick(N(access_values))]);
	}
	bool gused[N(globs)] = {0};
	for (size_t i = 0, m = pick(5) == 0 ? 1 + pick(2) : 0; i < m; i++) {
		size_t k = pick(N(globs));
		/* /usr is walked twice per profile: keep it rare */
		if (gused[k] || (strncmp(globs[k], "/usr", 4) == 0 && pick(4) != 0))
			continue;
		gused[k] = true;
		fputc('"', f);
		put_path(f, globs[k], scratch);
		fputs("\" = \"deny\"\n", f);
	}
	if (pick(2) == 0) {
		fputs("\n[permissions.p.filesystem.\":workspace_roots\"]\n", f);
		bool sused[N(subpaths)] = {0};
		for (size_t i = 0, m = 1 + pick(3); i < m; i++) {
			size_t k = pick(N(subpaths));
			if (sused[k])
				continue;
			sused[k] = true;
			fprintf(f, "\"%s\" = \"%s\"\n", subpaths[k],
			        access_values[pick(N(access_values))]);
		}
		if (pick(4) == 0)
			fputs("\"**/*.env\" = \"deny\"\n", f);
	}
	if (proxy || pick(2) == 0)
		fprintf(f, "\n[permissions.p.network]\nenabled = %s\n",
		        proxy || pick(2) ? "true" : "false");
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fputs("usage: gen_profiles DIR SCRATCH N SEED\n", stderr);
		return 2;
	}
	const char *dir = argv[1], *scratch = argv[2];
	long count = strtol(argv[3], NULL, 10);
	state = strtoull(argv[4], NULL, 10) * 0x9E3779B97F4A7C15ull | 1;
	for (long i = 0; i < count; i++) {
		char name[4096];
		if ((size_t)snprintf(name, sizeof name, "%s/r%04ld.toml", dir, i) >= sizeof name)
			return 1;
		FILE *f = fopen(name, "w");
		if (!f) {
			perror(name);
			return 1;
		}
		profile(f, scratch);
		if (fclose(f) != 0) {
			perror(name);
			return 1;
		}
	}
	return 0;
}
