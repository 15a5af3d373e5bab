/*
** resolved_json.c: the `resolved` section of `sbxc ir` (spec/ir-schema.md,
** "## resolved"): the context, the derived views, the legacy projection and
** round trip, the filesystem facts and the per-backend verdicts of one
** resolved policy. Keys are set in a fixed order and lists come sorted from
** the semantic pass, so the output is deterministic.
*/
#include "diag_json.h"
#include "resolve_int.h"
#include "strbuf.h"

#include <string.h>

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *strings(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

const char *sbx_entry_text(struct sbx_ctx *ctx, const struct sbx_fs_entry *e)
{
	struct sbx_source *src = sbx_ctx_source(ctx, e->key_span.file);
	if (src && e->value_span.file == e->key_span.file &&
	    e->value_span.end >= e->key_span.start && e->value_span.end <= src->len) {
		const char *s = src->text + e->key_span.start;
		size_t n = e->value_span.end - e->key_span.start;
		if (!memchr(s, '\n', n))
			return sbx_arena_strndup(&ctx->arena, s, n);
		struct sbx_strbuf sb = SBX_STRBUF_INIT;
		sbx_sb_add(&sb, s, e->key_span.end - e->key_span.start);
		sbx_sb_adds(&sb, " = ");
		sbx_sb_add(&sb, src->text + e->value_span.start,
		           e->value_span.end - e->value_span.start);
		const char *r = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
		sbx_sb_release(&sb);
		return r;
	}
	/* a built-in entry: spelled the way a profile would write it */
	const char *key = e->kind == SBX_ENTRY_SPECIAL ? e->token : e->path;
	if (e->kind == SBX_ENTRY_SPECIAL && e->subpath)
		return sbx_arena_printf(&ctx->arena, "\"%s\" = { \"%s\" = \"%s\" }", key,
		                        e->subpath, sbx_access_name(e->access));
	if (e->kind == SBX_ENTRY_SPECIAL && e->special == SBX_SPECIAL_WORKSPACE_ROOTS)
		return sbx_arena_printf(&ctx->arena, "\"%s\" = { \".\" = \"%s\" }", key,
		                        sbx_access_name(e->access));
	return sbx_arena_printf(&ctx->arena, "\"%s\" = \"%s\"", key ? key : "?",
	                        sbx_access_name(e->access));
}

json_t *sbx_entry_to_json(struct sbx_ctx *ctx, const struct sbx_fs_entry *e)
{
	json_t *o = json_object();
	json_t *loc = sbx_span_to_json(ctx, e->key_span);
	if (json_is_object(loc))
		json_object_update(o, loc);
	else
		json_object_set_new(o, "file", json_null());
	json_decref(loc);
	json_object_set_new(o, "profile", str_or_null(e->profile));
	json_object_set_new(o, "text", json_string(sbx_entry_text(ctx, e)));
	return o;
}

static json_t *rpath_json(struct sbx_ctx *ctx, const struct sbx_rpath *rp)
{
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(rp->path));
	json_object_set_new(o, "origin", json_string(sbx_origin_name(rp->origin)));
	if (rp->src)
		json_object_set_new(o, "entry", sbx_entry_to_json(ctx, rp->src));
	if (rp->via)
		json_object_set_new(o, "via", json_string(rp->via->path));
	return o;
}

static json_t *rpaths(struct sbx_ctx *ctx, const struct sbx_rpath *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, rpath_json(ctx, &v[i]));
	return a;
}

static json_t *context_json(const struct sbx_resolved *r)
{
	json_t *o = json_object();
	json_object_set_new(
	    o, "flavor", json_string(r->opts.flavor == SBX_FLAVOR_WINDOWS ? "windows" : "posix"));
	json_object_set_new(o, "os", json_string(sbx_target_os_name(r->os)));
	json_object_set_new(o, "cwd", json_string(r->opts.cwd));
	json_object_set_new(o, "home", str_or_null(r->opts.home));
	json_object_set_new(o, "tmpdir", str_or_null(r->opts.tmpdir));
	json_object_set_new(o, "probe", json_boolean(((struct sbx_index *)r->index)->facts->probe));
	json_object_set_new(o, "workspace_roots", strings(r->workspace_roots, r->nworkspace_roots));
	return o;
}

static json_t *writable_json(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[i];
		json_t *o = rpath_json(ctx, &w->root);
		json_object_set_new(o, "read_only", rpaths(ctx, w->read_only, w->nread_only));
		json_object_set_new(o, "protected_names",
		                    strings(w->protected_names, w->nprotected));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *legacy_json(const struct sbx_resolved *r)
{
	if (!r->legacy_ok)
		return json_null();
	const struct sbx_legacy_policy *L = &r->legacy;
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(sbx_legacy_kind_name(L->kind)));
	json_object_set_new(o, "full_read", json_boolean(L->full_read));
	if (!L->full_read) {
		json_object_set_new(o, "include_platform_defaults",
		                    json_boolean(L->include_platform_defaults));
		json_object_set_new(o, "readable_roots",
		                    strings(L->readable_roots, L->nreadable_roots));
	}
	if (L->kind == SBX_LEGACY_KIND_WORKSPACE_WRITE) {
		json_object_set_new(o, "writable_roots",
		                    strings(L->writable_roots, L->nwritable_roots));
		json_object_set_new(o, "exclude_tmpdir_env_var",
		                    json_boolean(L->exclude_tmpdir_env_var));
		json_object_set_new(o, "exclude_slash_tmp", json_boolean(L->exclude_slash_tmp));
	}
	json_object_set_new(o, "network_access", json_boolean(L->network_access));
	return o;
}

static json_t *facts_json(const struct sbx_resolved *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nfacts; i++) {
		const struct sbx_fact *f = &r->facts[i];
		json_t *o = json_object();
		json_object_set_new(o, "path", json_string(f->path));
		json_object_set_new(o, "kind", json_string(sbx_fact_kind_name(f->kind)));
		if (f->target)
			json_object_set_new(o, "target", json_string(f->target));
		json_object_set_new(o, "reason", json_string(f->reason));
		json_object_set_new(o, "assumed", json_boolean(f->assumed));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *enforce_json(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	json_t *o = json_object();
	for (size_t b = 0; b < SBX_BACKEND_COUNT; b++) {
		const struct sbx_enforcement *e = &r->enforce[b];
		json_t *x = json_object();
		json_object_set_new(x, "ok", json_boolean(e->ok));
		json_object_set_new(x, "applicable", json_boolean(e->applicable));
		json_t *reasons = json_array();
		for (size_t i = 0; i < e->nreasons; i++)
			json_array_append_new(reasons, sbx_diag_to_json(ctx, e->reasons[i], NULL));
		json_object_set_new(x, "reasons", reasons);
		if (e->nmore)
			json_object_set_new(x, "more_reasons", json_integer((json_int_t)e->nmore));
		json_object_set_new(x, "notes", strings(e->notes, e->nnotes));
		if (b == SBX_BACKEND_LINUX_LANDLOCK)
			json_object_set_new(x, "landlock_abi", json_integer(e->landlock_abi));
		if (sbx_backend_os((enum sbx_backend)b) == SBX_OS_WINDOWS)
			json_object_set_new(x, "identity",
			                    json_string(sbx_win_identity_name(e->identity)));
		json_object_set_new(o, sbx_backend_name((enum sbx_backend)b), x);
	}
	return o;
}

json_t *sbx_resolved_to_json(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "context", context_json(r));
	json_object_set_new(o, "disabled", json_boolean(r->disabled));
	json_object_set_new(o, "full_read", json_boolean(r->full_read));
	json_object_set_new(o, "full_write", json_boolean(r->full_write));
	json_object_set_new(o, "include_platform_defaults",
	                    json_boolean(r->include_platform_defaults));
	json_object_set_new(o, "platform_read_roots",
	                    strings(r->platform_read_roots, r->nplatform_read_roots));
	json_object_set_new(o, "network", sbx_net_decision_to_json(ctx, r));
	json_object_set_new(o, "readable_roots",
	                    rpaths(ctx, r->readable_roots, r->nreadable_roots));
	json_object_set_new(o, "writable_roots", writable_json(ctx, r));
	json_object_set_new(o, "unreadable_roots",
	                    rpaths(ctx, r->unreadable_roots, r->nunreadable_roots));
	json_object_set_new(o, "unreadable_globs",
	                    rpaths(ctx, r->unreadable_globs, r->nunreadable_globs));
	json_object_set_new(o, "legacy", legacy_json(r));
	if (!r->legacy_ok)
		json_object_set_new(o, "legacy_error", json_string(r->legacy_error));
	json_object_set_new(o, "round_trips", json_boolean(r->round_trips));
	if (!r->round_trips)
		json_object_set_new(o, "round_trip_reason", json_string(r->round_trip_reason));
	json_object_set_new(o, "facts", facts_json(r));
	json_object_set_new(o, "enforce", enforce_json(ctx, r));
	return o;
}
