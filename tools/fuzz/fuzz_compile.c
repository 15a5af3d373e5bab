/*
** fuzz_compile.c: libFuzzer target for the schema and the semantic pass.
**
** Each input is one document. If it parses, every user profile and the
** selected one are compiled to the IR (and printed as JSON), each compiled
** profile is resolved offline for every target (macOS, Linux and Windows,
** no filesystem reads), `sbxc explain`-style queries run on a few fixed
** paths and on the paths the resolution produced, the `resolved` JSON is
** built, and the per-target check of `sbxc lint` runs. Finally every
** diagnostic is rendered. Besides the sanitizers' checks it asserts a few
** invariants of the semantic pass (each one a contract of resolve.h):
**
**   - a writable root is writable, a denied path is denied, a read-only
**     subpath of a writable root and a protected name are not writable;
**   - a backend that enforces a profile (`ok`) gives no reason, and a
**     refusing one at least one (or a count of them);
**   - the same profile resolved in another context gives the same JSON
**     (nothing depends on addresses).
**
** See README.md for how to build and run it.
*/
#include "ctx.h"
#include "diag.h"
#include "ir.h"
#include "resolve.h"
#include "sbx_limits.h"
#include "target.h"
#include "toml.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const posix_roots[] = {"/w/extra", "~/proj", "rel/dir"};
static const char *const windows_roots[] = {"D:\\extra", "~/proj", "rel\\dir"};

static void opts_for(enum sbx_target_os os, struct sbx_resolve_opts *o)
{
	memset(o, 0, sizeof *o);
	o->os = os;
	o->os_given = true;
	o->probe = false; /* never read this machine's filesystem */
	if (os == SBX_OS_WINDOWS) {
		o->flavor = SBX_FLAVOR_WINDOWS;
		o->cwd = "C:\\w";
		o->home = "C:\\Users\\u";
		o->tmpdir = "C:\\Temp";
		o->extra_roots = windows_roots;
		o->nextra_roots = 3;
	} else {
		o->flavor = SBX_FLAVOR_POSIX;
		o->cwd = "/w";
		o->home = "/home/u";
		o->tmpdir = "/tmp/t";
		o->extra_roots = posix_roots;
		o->nextra_roots = 3;
	}
}

static const char *const posix_queries[] = {
    "/",           "/w",          "/w/.git",    "/w/.git/config",
    "/w/.codex/x", "/w/.agents",  "/w/src/a.c", "/home/u/.ssh/id_rsa",
    "/etc/passwd", "/usr/bin/sh", "/tmp/t/x",   "/tmp/x",
};
static const char *const windows_queries[] = {
    "C:\\",
    "C:\\w",
    "C:\\W\\.GIT\\config",
    "C:\\w\\.codex",
    "C:\\Users\\u\\.ssh\\id",
    "C:\\Windows\\System32",
    "D:\\extra\\x",
    "\\\\srv\\share\\x",
    "C:\\Temp\\x",
};

static enum sbx_access query(const struct sbx_resolved *r, const char *path)
{
	struct sbx_decision why;
	enum sbx_access a = sbx_resolved_access(r, path, &why);
	if (a != SBX_ACCESS_READ && a != SBX_ACCESS_WRITE && a != SBX_ACCESS_DENY)
		abort();
	if (why.access != a)
		abort();
	return a;
}

/* The children a path's checks also look at. */
static void query_below(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *path)
{
	char sep = r->opts.flavor == SBX_FLAVOR_WINDOWS ? '\\' : '/';
	size_t n = strlen(path);
	const char *child = sbx_arena_printf(&ctx->arena, "%s%sfile", path,
	                                     n && path[n - 1] == sep ? ""
	                                     : sep == '/'            ? "/"
	                                                             : "\\");
	query(r, child);
}

static void check_views(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[i];
		if (query(r, w->root.path) != SBX_ACCESS_WRITE)
			abort(); /* a writable root that cannot be written */
		query_below(ctx, r, w->root.path);
		for (size_t j = 0; j < w->nread_only; j++)
			if (query(r, w->read_only[j].path) == SBX_ACCESS_WRITE)
				abort(); /* a read-only subpath that can be written */
		for (size_t k = 0; k < w->nprotected; k++) {
			char sep = r->opts.flavor == SBX_FLAVOR_WINDOWS ? '\\' : '/';
			size_t n = strlen(w->root.path);
			const char *p = sbx_arena_printf(&ctx->arena, "%s%s%s", w->root.path,
			                                 n && w->root.path[n - 1] == sep ? ""
			                                 : sep == '/'                    ? "/"
			                                                                 : "\\",
			                                 w->protected_names[k]);
			if (query(r, p) == SBX_ACCESS_WRITE)
				abort(); /* a protected name that can be written */
			query_below(ctx, r, p);
		}
	}
	for (size_t i = 0; i < r->nunreadable_roots; i++)
		if (query(r, r->unreadable_roots[i].path) != SBX_ACCESS_DENY)
			abort(); /* a denied path that can be read */
	for (size_t i = 0; i < r->nreadable_roots; i++)
		query_below(ctx, r, r->readable_roots[i].path);
	for (size_t b = 0; b < SBX_BACKEND_COUNT; b++) {
		const struct sbx_enforcement *e = &r->enforce[b];
		if (e->ok && (e->nreasons || e->nmore))
			abort();
		if (!e->ok && e->applicable && !e->nreasons && !e->nmore)
			abort(); /* refused without a reason */
	}
}

static char *resolved_text(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	json_t *j = sbx_resolved_to_json(ctx, r);
	if (!j)
		abort();
	char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!text)
		abort();
	return text;
}

/* The same profile compiled and resolved in a fresh context must print the
** same JSON: nothing may depend on where the arena put things. */
static void check_deterministic(const uint8_t *data, size_t size, const char *name,
                                const struct sbx_resolve_opts *o, const char *want)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	uint32_t file = sbx_ctx_add_source(ctx, "fuzz.toml", (const char *)data, size);
	enum sbx_status st;
	struct sbx_toml_table *root = sbx_toml_parse(ctx, file, &st);
	struct sbx_config cfg;
	if (!root)
		abort();
	sbx_config_read(ctx, root, &cfg);
	struct sbx_profile *p = sbx_profile_compile(ctx, &cfg, name, SBX_NO_SPAN);
	struct sbx_resolved *r = p ? sbx_resolve(ctx, p, o) : NULL;
	if (!r)
		abort();
	char *text = resolved_text(ctx, r);
	if (strcmp(text, want) != 0)
		abort();
	free(text);
	sbx_ctx_free(&ctx);
}

static void resolve_all(struct sbx_ctx *ctx, const uint8_t *data, size_t size,
                        const struct sbx_profile *p, const char *name)
{
	for (int os = 0; os < SBX_OS_COUNT; os++) {
		struct sbx_resolve_opts o;
		opts_for((enum sbx_target_os)os, &o);
		struct sbx_resolved *r = sbx_resolve(ctx, p, &o);
		if (!r)
			continue; /* a context error (E05xx), reported */
		bool win = os == SBX_OS_WINDOWS;
		const char *const *q = win ? windows_queries : posix_queries;
		size_t nq = win ? sizeof windows_queries / sizeof *windows_queries
		                : sizeof posix_queries / sizeof *posix_queries;
		for (size_t i = 0; i < nq; i++)
			query(r, q[i]);
		check_views(ctx, r);
		char *text = resolved_text(ctx, r);
		if (os == SBX_OS_LINUX || os == SBX_OS_WINDOWS)
			check_deterministic(data, size, name, &o, text);
		free(text);
	}
	struct sbx_target_input in[SBX_OS_COUNT];
	for (int os = 0; os < SBX_OS_COUNT; os++) {
		opts_for((enum sbx_target_os)os, &in[os].opts);
		in[os].placeholders = NULL;
	}
	sbx_targets_check(ctx, p, sbx_targets_default(p), false, in);
}

static void compile_one(struct sbx_ctx *ctx, const uint8_t *data, size_t size,
                        const struct sbx_config *cfg, const char *name)
{
	struct sbx_profile *p = sbx_profile_compile(ctx, cfg, name, SBX_NO_SPAN);
	if (!p)
		return;
	json_t *j = sbx_profile_to_json(ctx, p);
	if (!j)
		abort();
	char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!text)
		abort();
	free(text);
	json_decref(j);
	resolve_all(ctx, data, size, p, name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > SBX_MAX_INPUT_BYTES)
		return -1;
	struct sbx_ctx *ctx = sbx_ctx_new();
	uint32_t file = sbx_ctx_add_source(ctx, "fuzz.toml", (const char *)data, size);
	enum sbx_status st;
	struct sbx_toml_table *root = sbx_toml_parse(ctx, file, &st);
	if (root) {
		struct sbx_config cfg;
		sbx_config_read(ctx, root, &cfg);
		/* bound the work per input: a profile is resolved five times */
		for (size_t i = 0; i < cfg.nprofiles && i < 8; i++)
			compile_one(ctx, data, size, &cfg, cfg.profiles[i]);
		compile_one(ctx, data, size, &cfg, NULL);
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out)
		abort();
	struct sbx_render_opts ro = {.color = false};
	sbx_diag_render_all(ctx, out, &ro, true);
	fclose(out);
	free(buf);
	sbx_ctx_free(&ctx);
	return 0;
}
