/*
** explain.c: see explain.h. Moved here from the driver's `explain` so that
** the library answers with the same words.
*/
#include "explain.h"
#include "strbuf.h"
#include "utf8.h"

#include <string.h>

const char *sbx_explain_shown(struct sbx_ctx *ctx, const char *s)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_add_escaped(&sb, s, strlen(s), 0);
	const char *r = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return r;
}

const char *sbx_explain_where(struct sbx_ctx *ctx, const struct sbx_fs_entry *e)
{
	struct sbx_source *src = sbx_ctx_source(ctx, e->key_span.file);
	if (!src)
		return sbx_arena_printf(&ctx->arena, "built-in %s",
		                        e->profile ? e->profile : "profile");
	struct sbx_linecol lc = sbx_source_linecol(&ctx->arena, src, e->key_span.start);
	return sbx_arena_printf(&ctx->arena, "%s:%u:%u", src->name, lc.line, lc.col);
}

static const struct sbx_fact *fact_of(const struct sbx_resolved *r, const char *path)
{
	for (size_t i = 0; i < r->nfacts; i++)
		if (r->facts[i].kind != SBX_FACT_NOT_SYMLINK && strcmp(r->facts[i].path, path) == 0)
			return &r->facts[i];
	return NULL;
}

const char *sbx_explain_carveout(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                 const struct sbx_decision *why)
{
	struct sbx_arena *a = &ctx->arena;
	const struct sbx_fact *f = fact_of(r, why->carveout->path);
	const char *p = sbx_explain_shown(ctx, why->carveout->path);
	const char *root = sbx_explain_shown(ctx, why->root);
	const char *dflt = " (a default read-only carve-out)";
	switch (why->origin) {
	case SBX_ORIGIN_GITDIR:
		return sbx_arena_printf(
		    a, "`%s` is the target of the gitdir pointer file `%s`%s", p,
		    why->carveout->via ? sbx_explain_shown(ctx, why->carveout->via->path) : "?",
		    dflt);
	case SBX_ORIGIN_GIT:
		if (f && f->kind == SBX_FACT_GITDIR_POINTER)
			return sbx_arena_printf(
			    a,
			    "`%s` is a gitdir pointer file in the writable root "
			    "`%s`%s",
			    p, root, dflt);
		return sbx_arena_printf(a, "`.git` exists in the writable root `%s`%s", root, dflt);
	case SBX_ORIGIN_AGENTS:
		return sbx_arena_printf(a, "`.agents` exists in the writable root `%s`%s", root,
		                        dflt);
	case SBX_ORIGIN_CODEX:
		if (f && f->kind == SBX_FACT_DIR)
			return sbx_arena_printf(a, "`.codex` exists in the writable root `%s`%s",
			                        root, dflt);
		return sbx_arena_printf(a,
		                        "`.codex` is read-only in the cwd `%s` even before it "
		                        "exists",
		                        root);
	default:
		return sbx_arena_printf(a, "`%s` is a protected name in the writable root `%s`%s",
		                        why->name, root,
		                        f && f->assumed ? " (assumed not to exist yet)" : "");
	}
}

const char *sbx_explain_path(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *s)
{
	enum sbx_flavor f = r->opts.flavor;
	const char *p = sbx_path_normalize(&ctx->arena, f, s, strlen(s));
	if (p)
		return p;
	if (f == SBX_FLAVOR_WINDOWS) {
		/* `\x` and `/x` are rooted on the cwd's drive; `C:x` and `C:` are
		** relative to a drive's own current directory, which sbxc cannot know */
		bool letter = (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z');
		if (letter && s[1] == ':')
			return NULL;
		if (s[0] == '\\' || s[0] == '/')
			return sbx_path_join(&ctx->arena, f, r->fs_root, s);
	}
	enum sbx_path_form form = sbx_path_form(s, strlen(s));
	if (form != SBX_FORM_RELATIVE)
		return NULL;
	return sbx_path_join(&ctx->arena, f, r->opts.cwd, s);
}
