/*
** windows.c: the Windows row of the target table (table.c). Its two
** backends share one set of files (plan.json, setup.ps1, teardown.ps1,
** run.ps1): only the backend the table's chooser picks writes them, so the
** artifacts are those of the backend that will run. The plan comes from
** windows_plan.c and the scripts from powershell.c; the manifest says which
** backend, which sandbox user, and why. Runs on any host.
*/
#include "emit_int.h"
#include "strbuf.h"
#include "target.h"
#include "win_plan.h"

#include <string.h>

/* The backend the target's chooser picks for r (no host: compile cannot
** know the machine), or SBX_BACKEND_COUNT. */
static enum sbx_backend chosen(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	struct sbx_choice c;
	sbx_choice_from_resolved(&c, sbx_target_get(SBX_OS_WINDOWS), r);
	c.reasons = NULL; /* the emitters run only after a backend was chosen */
	return sbx_target_choose(ctx, &c);
}

static enum sbx_status put_text(struct sbx_ctx *ctx, struct sbx_sink *sink, const char *name,
                                const char *text)
{
	return sbx_sink_put(ctx, sink, name, text, strlen(text));
}

static enum sbx_status emit_backend(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                    struct sbx_sink *sink, enum sbx_backend self)
{
	if (chosen(ctx, r) != self)
		return SBX_OK; /* the other backend's files are the ones that run */
	struct sbx_win_plan *p = sbx_win_plan_build(ctx, r, self);
	enum sbx_status st =
	    sbx_sink_put_json(ctx, sink, SBX_ART_WIN_PLAN, sbx_win_plan_to_json(p));
	if (st == SBX_OK)
		st = put_text(ctx, sink, SBX_ART_WIN_SETUP, sbx_ps_setup(ctx, p));
	if (st == SBX_OK)
		st = put_text(ctx, sink, SBX_ART_WIN_TEARDOWN, sbx_ps_teardown(ctx, p));
	if (st == SBX_OK)
		st = put_text(ctx, sink, SBX_ART_WIN_RUN, sbx_ps_run(ctx, p));
	return st;
}

static enum sbx_status check_elevated(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	return sbx_emit_check_backend(ctx, r, SBX_BACKEND_WINDOWS_ELEVATED);
}

static enum sbx_status check_unelevated(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	return sbx_emit_check_backend(ctx, r, SBX_BACKEND_WINDOWS_UNELEVATED);
}

static enum sbx_status emit_elevated(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                     const struct sbx_emit_opts *o, struct sbx_sink *sink)
{
	(void)o;
	return emit_backend(ctx, r, sink, SBX_BACKEND_WINDOWS_ELEVATED);
}

static enum sbx_status emit_unelevated(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                       const struct sbx_emit_opts *o, struct sbx_sink *sink)
{
	(void)o;
	return emit_backend(ctx, r, sink, SBX_BACKEND_WINDOWS_UNELEVATED);
}

const struct sbx_emitter sbx_emitter_win_elevated = {
    "windows-elevated", SBX_BACKEND_WINDOWS_ELEVATED, check_elevated, emit_elevated};
const struct sbx_emitter sbx_emitter_win_unelevated = {
    "windows-unelevated", SBX_BACKEND_WINDOWS_UNELEVATED, check_unelevated, emit_unelevated};

enum sbx_status sbx_windows_manifest(struct sbx_ctx *ctx, const struct sbx_target *t,
                                     const struct sbx_resolved *r, const struct sbx_emit_opts *o,
                                     const bool *emitted, struct sbx_sink *sink)
{
	(void)o;
	(void)emitted;
	json_t *m = json_object();
	json_object_set_new(m, "sbxc_artifacts", json_integer(SBX_ARTIFACT_VERSION));
	json_object_set_new(m, "target", json_string(t->name));
	json_object_set_new(m, "profile", json_string(r->profile ? r->profile->name : ""));
	json_object_set_new(m, "sandbox", json_string(r->disabled ? "disabled" : "enabled"));
	json_t *files = json_array();
	if (r->disabled) {
		json_object_set_new(m, "backend", json_null());
		json_object_set_new(m, "identity", json_null());
		json_object_set_new(m, "choice_reason",
		                    json_string("none: the profile turns the sandbox off"));
	} else {
		enum sbx_backend b = chosen(ctx, r);
		struct sbx_win_plan *p = sbx_win_plan_build(ctx, r, b);
		json_object_set_new(m, "backend", json_string(sbx_backend_name(b)));
		json_object_set_new(m, "identity", json_string(sbx_win_identity_name(p->identity)));
		json_object_set_new(m, "choice_reason", json_string(p->reason));
		const struct sbx_target_backend *tb = sbx_target_find_backend(t, b);
		for (size_t i = 0; tb && i < tb->nfiles; i++) {
			json_t *f = json_object();
			json_object_set_new(f, "name", json_string(tb->files[i].name));
			json_object_set_new(f, "mode", json_sprintf("%04o", tb->files[i].mode));
			json_array_append_new(files, f);
		}
	}
	json_object_set_new(m, "network",
	                    json_string(r->net.kind == SBX_NET_PROXY  ? "proxy"
	                                : r->net.kind == SBX_NET_FULL ? "full"
	                                                              : "none"));
	json_object_set_new(m, "files", files);
	json_t *facts = json_array();
	for (size_t i = 0; i < r->nfacts; i++) {
		const struct sbx_fact *f = &r->facts[i];
		json_t *o2 = json_object();
		json_object_set_new(o2, "path", json_string(f->path));
		json_object_set_new(o2, "kind", json_string(sbx_fact_kind_name(f->kind)));
		json_object_set_new(o2, "reason", json_string(f->reason ? f->reason : ""));
		json_object_set_new(o2, "assumed", json_boolean(f->assumed));
		json_array_append_new(facts, o2);
	}
	json_object_set_new(m, "facts", facts);
	return sbx_sink_put_json(ctx, sink, SBX_ART_MANIFEST, m);
}
