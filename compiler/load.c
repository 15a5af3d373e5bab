/*
** load.c: see load.h.
*/
#include "load.h"
#include "toml.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* POSIX leaves declaring it to the program (unistd.h does only under
** _GNU_SOURCE and the like) */
extern char **environ;

static enum sbx_status read_document(struct sbx_ctx *ctx, uint32_t file, struct sbx_document *doc)
{
	enum sbx_status st;
	doc->file = file;
	doc->root = sbx_toml_parse(ctx, file, &st);
	if (!doc->root)
		return st;
	return sbx_config_read(ctx, doc->root, &doc->cfg);
}

enum sbx_status sbx_load_file(struct sbx_ctx *ctx, const char *path, struct sbx_document *doc)
{
	uint32_t file;
	memset(doc, 0, sizeof *doc);
	enum sbx_status st = sbx_ctx_load_file(ctx, path, &file);
	return st == SBX_OK ? read_document(ctx, file, doc) : st;
}

enum sbx_status sbx_load_text(struct sbx_ctx *ctx, const char *name, const char *text, size_t len,
                              struct sbx_document *doc)
{
	uint32_t file;
	memset(doc, 0, sizeof *doc);
	enum sbx_status st = sbx_ctx_load_text(ctx, name, text, len, &file);
	return st == SBX_OK ? read_document(ctx, file, doc) : st;
}

struct sbx_profile *sbx_load_profile(struct sbx_ctx *ctx, const struct sbx_document *doc,
                                     const char *profile, const char *sandbox_mode)
{
	static const struct sbx_document none;
	if (!doc)
		doc = &none;
	if (sandbox_mode)
		return sbx_legacy_override(ctx, doc->root, sandbox_mode);
	return sbx_profile_compile(ctx, &doc->cfg, profile, SBX_NO_SPAN);
}

enum sbx_target_os sbx_host_os(void)
{
#if defined(__APPLE__)
	return SBX_OS_MACOS;
#elif defined(_WIN32)
	return SBX_OS_WINDOWS;
#else
	return SBX_OS_LINUX;
#endif
}

void sbx_host_defaults(struct sbx_ctx *ctx, struct sbx_host_defaults *out)
{
	char *cwd = getcwd(NULL, 0);
	out->cwd = sbx_arena_strdup(&ctx->arena, cwd ? cwd : "/");
	free(cwd);
	const char *home = getenv("HOME"), *tmp = getenv("TMPDIR");
	out->home = home && *home ? sbx_arena_strdup(&ctx->arena, home) : NULL;
	out->tmpdir = tmp && tmp[0] == '/' ? sbx_arena_strdup(&ctx->arena, tmp) : NULL;
	out->env = (const char *const *)environ;
}
