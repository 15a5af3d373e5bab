/*
** schema_fixture.h: compile TOML text to a profile inside a test.
*/
#ifndef SBX_TEST_SCHEMA_FIXTURE_H
#define SBX_TEST_SCHEMA_FIXTURE_H

#include <criterion/criterion.h>
#include <string.h>

#include "ctx.h"
#include "diag.h"
#include "ir.h"
#include "toml.h"

/* Parses text and compiles profile `name` (NULL: the file's selection). */
static inline struct sbx_profile *fx_compile(struct sbx_ctx *ctx, const char *text,
                                             const char *name, struct sbx_config *cfg)
{
	uint32_t f = sbx_ctx_add_source(ctx, "t.toml", text, strlen(text));
	enum sbx_status st;
	const struct sbx_toml_table *root = sbx_toml_parse(ctx, f, &st);
	cr_assert_not_null(root, "test input must be valid TOML");
	sbx_config_read(ctx, root, cfg);
	return sbx_profile_compile(ctx, cfg, name, SBX_NO_SPAN);
}

/* The n-th recorded diagnostic with `code`, or NULL. */
static inline const struct sbx_diag *fx_diag(const struct sbx_ctx *ctx, enum sbx_diag_code code,
                                             size_t n)
{
	for (size_t i = 0; i < ctx->ndiags; i++)
		if (ctx->diags[i]->code == code && n-- == 0)
			return ctx->diags[i];
	return NULL;
}

/* The entry of p whose path, pattern or token (+ "/" subpath) is `what`. */
static inline const struct sbx_fs_entry *fx_entry(const struct sbx_profile *p, const char *what)
{
	for (size_t i = 0; i < p->nentries; i++) {
		const struct sbx_fs_entry *e = &p->entries[i];
		char buf[512];
		if (e->kind == SBX_ENTRY_SPECIAL)
			snprintf(buf, sizeof buf, "%s%s%s", e->token, e->subpath ? "/" : "",
			         e->subpath ? e->subpath : "");
		else
			snprintf(buf, sizeof buf, "%s", e->path);
		if (strcmp(buf, what) == 0)
			return e;
	}
	return NULL;
}

/* The source text under a span. */
static inline char *fx_text(struct sbx_ctx *ctx, struct sbx_span s)
{
	const struct sbx_source *src = sbx_ctx_source(ctx, s.file);
	cr_assert_not_null(src);
	return sbx_arena_strndup(&ctx->arena, src->text + s.start, s.end - s.start);
}

#endif
