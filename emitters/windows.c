/*
** windows.c: the Windows target as a whole. Takes the backend and sandbox
** user the semantic pass decided (targets.h sbx_target_backend, enforce.c),
** builds the plan (windows_plan.c) and writes plan.json, the three
** PowerShell scripts (powershell.c) and manifest.json. Runs on any host:
** nothing here reads this machine.
*/
#include "emit_int.h"
#include "proxy_env_win.h"
#include "strbuf.h"
#include "targets.h"
#include "win_plan.h"

#include <string.h>

static void refuse_all(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	const char *name = r->profile ? r->profile->name : "";
	struct sbx_span span = r->profile ? r->profile->span : SBX_NO_SPAN;
	struct sbx_diag *d = sbx_diag_emit(
	    ctx, SBX_E0670, span,
	    "no Windows backend can enforce profile `%s` exactly; refusing to run unsandboxed",
	    sbx_diag_quote(ctx, name, strlen(name)));
	static const enum sbx_backend bs[] = {SBX_BACKEND_WINDOWS_UNELEVATED,
	                                      SBX_BACKEND_WINDOWS_ELEVATED};
	for (size_t k = 0; k < 2; k++) {
		const struct sbx_enforcement *e = &r->enforce[bs[k]];
		if (!e->applicable && e->nnotes)
			sbx_diag_note(ctx, d, SBX_NO_SPAN, "`%s` %s", sbx_backend_name(bs[k]),
			              e->notes[0]);
		for (size_t i = 0; i < e->nreasons; i++)
			sbx_diag_note(ctx, d, e->reasons[i]->span, "[%s] %s",
			              sbx_diag_code_name(e->reasons[i]->code), e->reasons[i]->msg);
		if (e->nmore)
			sbx_diag_note(ctx, d, SBX_NO_SPAN, "`%s`: %zu more reasons",
			              sbx_backend_name(bs[k]), e->nmore);
	}
}

static json_t *manifest(const struct sbx_resolved *r, const struct sbx_win_plan *p)
{
	static const char *const files[] = {SBX_ART_WIN_PLAN, SBX_ART_WIN_SETUP,
	                                    SBX_ART_WIN_TEARDOWN, SBX_ART_WIN_RUN};
	json_t *m = json_object();
	json_object_set_new(m, "sbxc_artifacts", json_integer(SBX_ARTIFACT_VERSION));
	json_object_set_new(m, "target", json_string("windows"));
	json_object_set_new(m, "profile", json_string(r->profile ? r->profile->name : ""));
	json_object_set_new(m, "sandbox", json_string(p->disabled ? "disabled" : "enabled"));
	json_object_set_new(m, "backend",
	                    p->disabled ? json_null() : json_string(sbx_backend_name(p->backend)));
	json_object_set_new(m, "identity", json_string(sbx_win_identity_name(p->identity)));
	json_object_set_new(m, "backend_choice", json_string(p->reason));
	json_object_set_new(m, "network",
	                    json_string(r->proxy_enforced    ? "proxy"
	                                : r->network_enabled ? "enabled"
	                                                     : "restricted"));
	json_t *arts = json_array();
	for (size_t i = 0; i < 4; i++) {
		json_t *a = json_object();
		json_object_set_new(a, "name", json_string(files[i]));
		json_object_set_new(a, "mode", json_string("0644"));
		json_array_append_new(arts, a);
	}
	json_object_set_new(m, "files", arts);
	json_t *facts = json_array();
	for (size_t i = 0; i < r->nfacts; i++) {
		const struct sbx_fact *f = &r->facts[i];
		json_t *o = json_object();
		json_object_set_new(o, "path", json_string(f->path));
		json_object_set_new(o, "kind", json_string(sbx_fact_kind_name(f->kind)));
		json_object_set_new(o, "reason", json_string(f->reason ? f->reason : ""));
		json_object_set_new(o, "assumed", json_boolean(f->assumed));
		json_array_append_new(facts, o);
	}
	json_object_set_new(m, "facts", facts);
	return m;
}

static enum sbx_status put_text(struct sbx_ctx *ctx, struct sbx_sink *sink, const char *name,
                                const char *text)
{
	return sbx_sink_put(ctx, sink, name, text, strlen(text));
}

enum sbx_status sbx_emit_windows(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                 const struct sbx_emit_opts *o, struct sbx_sink *sink)
{
	enum sbx_backend b = sbx_target_backend(r, SBX_OS_WINDOWS);
	if (!r->disabled && b == SBX_BACKEND_COUNT) {
		refuse_all(ctx, r);
		return SBX_EUNSUPPORTED;
	}
	static const struct sbx_win_proxy none = {0};
	struct sbx_win_plan *p = sbx_win_plan_build(ctx, r, b, o->win_proxy ? o->win_proxy : &none);
	if (!p)
		return SBX_EUNSUPPORTED;
	enum sbx_status st =
	    sbx_sink_put_json(ctx, sink, SBX_ART_WIN_PLAN, sbx_win_plan_to_json(p));
	if (st == SBX_OK)
		st = put_text(ctx, sink, SBX_ART_WIN_SETUP, sbx_ps_setup(ctx, p));
	if (st == SBX_OK)
		st = put_text(ctx, sink, SBX_ART_WIN_TEARDOWN, sbx_ps_teardown(ctx, p));
	if (st == SBX_OK)
		st = put_text(ctx, sink, SBX_ART_WIN_RUN, sbx_ps_run(ctx, p));
	if (st == SBX_OK)
		st = sbx_sink_put_json(ctx, sink, SBX_ART_MANIFEST, manifest(r, p));
	return st;
}
