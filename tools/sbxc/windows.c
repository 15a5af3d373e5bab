/*
** windows.c: `sbxc run --target windows` (windows.h): the same resolution,
** chooser and emitters as `sbxc compile --target windows`.
*/
#include "windows.h"
#include "emitter.h"
#include "resolve.h"
#include "target.h"

#include <stdio.h>
#include <string.h>

/* N0620: the backend and sandbox user, and why not the unelevated one. */
static void choice_note(struct sbx_ctx *ctx, const struct sbx_resolved *r, enum sbx_backend b)
{
	if (r->disabled) {
		sbx_diag_emit(
		    ctx, SBX_N0620, SBX_NO_SPAN,
		    "windows: no sandbox, the profile turns it off: the command would run "
		    "as the invoking user");
		return;
	}
	struct sbx_diag *d =
	    sbx_diag_emit(ctx, SBX_N0620, SBX_NO_SPAN,
	                  "windows: `%s` would run the command as the `%s` sandbox user",
	                  sbx_backend_name(b), sbx_win_identity_name(r->enforce[b].identity));
	const struct sbx_enforcement *u = &r->enforce[SBX_BACKEND_WINDOWS_UNELEVATED];
	if (b == SBX_BACKEND_WINDOWS_ELEVATED)
		for (size_t i = 0; i < u->nreasons; i++)
			sbx_diag_note(ctx, d, u->reasons[i]->span,
			              "not `windows-unelevated`: [%s] %s",
			              sbx_diag_code_name(u->reasons[i]->code), u->reasons[i]->msg);
}

int sbx_cli_windows_run(struct sbx_cli_context *cx, const struct sbx_cli_policy *sel, bool dry_run,
                        enum sbx_color color)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	const struct sbx_target *t = sbx_target_get(SBX_OS_WINDOWS);
	bool usage = false;
	struct sbx_profile *p = sbx_cli_load_profile(ctx, sel, NULL, &usage);
	struct sbx_resolved *r = NULL;
	if (p) {
		struct sbx_resolve_opts opts;
		sbx_cli_context_opts(ctx, cx, SBX_OS_WINDOWS, false, &opts);
		opts.probe = false;
		r = sbx_resolve(ctx, p, &opts);
	}
	bool ok = r && !sbx_diag_errors(ctx);
	enum sbx_backend b = SBX_BACKEND_COUNT;
	if (r && !r->disabled) {
		struct sbx_choice c;
		sbx_choice_from_resolved(&c, t, r);
		b = sbx_target_choose(ctx, &c);
		ok = ok && b != SBX_BACKEND_COUNT;
	}
	struct sbx_bundle bundle = {0};
	struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = &bundle};
	struct sbx_emit_opts eo = {.probe = false};
	if (ok)
		ok = sbx_target_emit(ctx, t, r, &eo, SBX_BACKEND_AUTO, &sink) == SBX_OK;
	int status = usage ? SBX_EXIT_USAGE : SBX_EXIT_SANDBOX;
	if (ok && dry_run) {
		const struct sbx_blob *plan = sbx_bundle_get(&bundle, SBX_ART_WIN_PLAN);
		if (!plan)
			plan = sbx_bundle_get(&bundle, SBX_ART_MANIFEST);
		fwrite(plan->data, 1, plan->len, stdout);
		choice_note(ctx, r, b);
		status = SBX_EXIT_OK;
	} else if (ok) {
		sbx_diag_emit(ctx, SBX_E0672, SBX_NO_SPAN,
		              "a Windows plan runs only on Windows (`run.ps1` after `setup.ps1`, "
		              "from `sbxc compile --target windows`); use --dry-run to print it; "
		              "refusing to run unsandboxed");
	}
	sbx_cli_report(ctx, color, false);
	sbx_ctx_free(&ctx);
	return status;
}
