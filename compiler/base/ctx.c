/*
** ctx.c: context lifetime and source loading.
*/
#include "ctx.h"
#include "path.h"
#include "sbx_limits.h"
#include "strbuf.h"
#include "utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sbx_ctx *sbx_ctx_new(void)
{
	struct sbx_ctx *ctx = sbx_xcalloc(1, sizeof *ctx);
	return ctx;
}

void sbx_ctx_free(struct sbx_ctx **pctx)
{
	struct sbx_ctx *ctx = *pctx;
	if (!ctx)
		return;
	sbx_arena_free(&ctx->arena);
	free(ctx);
	*pctx = NULL;
}

uint32_t sbx_ctx_add_source(struct sbx_ctx *ctx, const char *name, const char *text, size_t len)
{
	struct sbx_source *src = sbx_arena_alloc(&ctx->arena, sizeof *src);
	size_t nlen = strlen(name);
	if (sbx_utf8_check(name, nlen) == nlen) {
		src->name = sbx_arena_strdup(&ctx->arena, name);
	} else {
		/* the name is shown and written into JSON, which needs UTF-8 */
		struct sbx_strbuf sb = SBX_STRBUF_INIT;
		sbx_sb_add_escaped(&sb, name, nlen, 0);
		src->name = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
		sbx_sb_release(&sb);
	}
	src->text = sbx_arena_strndup(&ctx->arena, text, len);
	src->len = len;
	ctx->sources = sbx_arena_grow(&ctx->arena, ctx->sources, &ctx->capsources,
	                              ctx->nsources + 1, sizeof *ctx->sources);
	ctx->sources[ctx->nsources++] = src;
	return (uint32_t)ctx->nsources;
}

struct sbx_source *sbx_ctx_source(const struct sbx_ctx *ctx, uint32_t file)
{
	if (file == 0 || file > ctx->nsources)
		return NULL;
	return ctx->sources[file - 1];
}

static enum sbx_status too_large(struct sbx_ctx *ctx, const char *name)
{
	sbx_diag_emit(ctx, SBX_E0002, SBX_NO_SPAN,
	              "input `%s` is larger than %u bytes (SBX_MAX_INPUT_BYTES)",
	              sbx_diag_quote(ctx, name, strlen(name)), SBX_MAX_INPUT_BYTES);
	return SBX_ELIMIT;
}

enum sbx_status sbx_ctx_load_text(struct sbx_ctx *ctx, const char *name, const char *text,
                                  size_t len, uint32_t *file)
{
	if (len > SBX_MAX_INPUT_BYTES)
		return too_large(ctx, name);
	*file = sbx_ctx_add_source(ctx, name, text, len);
	return SBX_OK;
}

enum sbx_status sbx_ctx_load_stream(struct sbx_ctx *ctx, const char *name, FILE *in, uint32_t *file)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = sbx_xrealloc(buf, cap);
		}
		size_t n = fread(buf + len, 1, cap - len, in);
		len += n;
		if (len > SBX_MAX_INPUT_BYTES) {
			free(buf);
			return too_large(ctx, name);
		}
		if (n == 0)
			break;
	}
	if (ferror(in)) {
		int e = errno;
		free(buf);
		sbx_diag_emit(ctx, SBX_E0001, SBX_NO_SPAN, "cannot read `%s`: %s",
		              sbx_diag_quote(ctx, name, strlen(name)), strerror(e));
		return SBX_EIO;
	}
	*file = sbx_ctx_add_source(ctx, name, buf ? buf : "", len);
	free(buf);
	return SBX_OK;
}

enum sbx_status sbx_ctx_load_file(struct sbx_ctx *ctx, const char *path, uint32_t *file)
{
	if (strcmp(path, "-") == 0)
		return sbx_ctx_load_stream(ctx, "<stdin>", stdin, file);
	FILE *f = fopen(path, "rb");
	if (!f) {
		sbx_diag_emit(ctx, SBX_E0001, SBX_NO_SPAN, "cannot open `%s`: %s",
		              sbx_diag_quote(ctx, path, strlen(path)), strerror(errno));
		return SBX_EIO;
	}
	enum sbx_status st = sbx_ctx_load_stream(ctx, path, f, file);
	fclose(f);
	return st;
}

const char *sbx_ctx_absolute(struct sbx_ctx *ctx, const char *path)
{
	if (path[0] == '/')
		return sbx_path_normalize(&ctx->arena, SBX_FLAVOR_POSIX, path, strlen(path));
	char *cwd = getcwd(NULL, 0);
	if (!cwd) {
		sbx_diag_emit(ctx, SBX_E0717, SBX_NO_SPAN, "cannot find the current directory: %s",
		              strerror(errno));
		return NULL;
	}
	const char *base = sbx_path_normalize(&ctx->arena, SBX_FLAVOR_POSIX, cwd, strlen(cwd));
	free(cwd);
	return sbx_path_join(&ctx->arena, SBX_FLAVOR_POSIX, base, path);
}
