/*
** windows.c: the Windows target of compile and run (windows.h).
*/
#include "windows.h"
#include "cli.h"
#include "proxy_env_win.h"
#include "resolve.h"
#include "targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

bool sbx_cli_win_env_add(const char *cmd, struct sbx_cli_win_env *e, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		sbx_cli_usage(cmd, "--env wants NAME=VALUE, got '%s'", arg);
		return false;
	}
	if (e->n >= SBX_CLI_MAX_ENV) {
		sbx_cli_usage(cmd, "more than %d --env options", SBX_CLI_MAX_ENV);
		return false;
	}
	e->vars[e->n++] = arg;
	return true;
}

/* The variables the Windows rules read, from sbxc's environment, then the
** --env ones (later wins in sbx_win_proxy_from_env). */
static const char **collect_env(struct sbx_ctx *ctx, const struct sbx_cli_win_env *e, size_t *n)
{
	static const char *const names[] = {SBX_WIN_PROXY_URL_VARS, SBX_WIN_PROXY_PORTS_VAR,
	                                    SBX_WIN_LOCAL_BINDING_VAR};
	size_t cap = 0;
	const char **v = NULL;
	*n = 0;
	for (char **p = environ; p && *p; p++) {
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			size_t len = strlen(names[i]);
			if (strncmp(*p, names[i], len) == 0 && (*p)[len] == '=') {
				v = sbx_arena_grow(&ctx->arena, v, &cap, *n + 1, sizeof *v);
				v[(*n)++] = *p;
			}
		}
	}
	for (size_t i = 0; i < e->n; i++) {
		v = sbx_arena_grow(&ctx->arena, v, &cap, *n + 1, sizeof *v);
		v[(*n)++] = e->vars[i];
	}
	return v;
}

static bool emit(struct sbx_ctx *ctx, struct sbx_cli_context *cx, const struct sbx_cli_policy *sel,
                 const struct sbx_cli_win_env *env, struct sbx_sink *sink, bool *usage,
                 const struct sbx_resolved **out)
{
	struct sbx_profile *p = sbx_cli_load_profile(ctx, sel, NULL, usage);
	if (!p)
		return false;
	struct sbx_resolve_opts opts;
	sbx_cli_context_opts(ctx, cx, SBX_OS_WINDOWS, false, &opts);
	opts.probe = false;
	struct sbx_resolved *r = sbx_resolve(ctx, p, &opts);
	*out = r;
	if (!r || sbx_diag_errors(ctx))
		return false;
	size_t nenv;
	const char **vars = collect_env(ctx, env, &nenv);
	struct sbx_win_proxy proxy;
	sbx_win_proxy_from_env(
	    ctx, vars, nenv,
	    p->network.allow_local_binding.set && p->network.allow_local_binding.value, &proxy);
	struct sbx_emit_opts eo = {.probe = false, .win_proxy = &proxy};
	return sbx_emit_windows(ctx, r, &eo, sink) == SBX_OK;
}

bool sbx_cli_windows_emit(struct sbx_ctx *ctx, struct sbx_cli_context *cx,
                          const struct sbx_cli_policy *sel, const struct sbx_cli_win_env *env,
                          struct sbx_sink *sink, bool *usage)
{
	const struct sbx_resolved *r;
	return emit(ctx, cx, sel, env, sink, usage, &r);
}

/* N0620: the backend and sandbox user, and why not the unelevated one. */
static void choice_note(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	if (r->disabled) {
		sbx_diag_emit(
		    ctx, SBX_N0620, SBX_NO_SPAN,
		    "windows: no sandbox, the profile turns it off: the command would run "
		    "as the invoking user");
		return;
	}
	enum sbx_backend b = sbx_target_backend(r, SBX_OS_WINDOWS);
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

int sbx_cli_windows_run(struct sbx_cli_context *cx, const struct sbx_cli_policy *sel,
                        const struct sbx_cli_win_env *env, bool dry_run, enum sbx_color color)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	struct sbx_bundle bundle = {0};
	struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = &bundle};
	bool usage = false;
	const struct sbx_resolved *r = NULL;
	bool ok = emit(ctx, cx, sel, env, &sink, &usage, &r);
	int status = usage ? SBX_EXIT_USAGE : SBX_EXIT_SANDBOX;
	if (ok && dry_run) {
		const struct sbx_blob *plan = sbx_bundle_get(&bundle, SBX_ART_WIN_PLAN);
		fwrite(plan->data, 1, plan->len, stdout);
		choice_note(ctx, r);
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
