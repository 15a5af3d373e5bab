/*
** windows.h: the Windows target of `sbxc compile` and `sbxc run` (defined
** in windows.c). Resolution is always offline (the target is not this
** machine); the offline identity's proxy ports come from the environment,
** read with the Windows rules (proxy_env_win.h): sbxc's own environment, then
** each `--env NAME=VALUE` (a later value of a name wins).
*/
#ifndef SBX_CLI_WINDOWS_H
#define SBX_CLI_WINDOWS_H

#include "context.h"
#include "emitter.h"
#include "policy.h"

#define SBX_CLI_MAX_ENV 64

struct sbx_cli_win_env {
	const char *vars[SBX_CLI_MAX_ENV]; /* NAME=VALUE from --env */
	size_t n;
};

/* Takes one `--env NAME=VALUE`; false after a usage message. */
bool sbx_cli_win_env_add(const char *cmd, struct sbx_cli_win_env *e, const char *arg);

/* Loads, resolves for Windows and emits into sink. Diagnostics stay in ctx.
** Returns true when everything was emitted; *usage for command-line errors. */
bool sbx_cli_windows_emit(struct sbx_ctx *ctx, struct sbx_cli_context *cx,
                          const struct sbx_cli_policy *sel, const struct sbx_cli_win_env *env,
                          struct sbx_sink *sink, bool *usage);

/* `sbxc run --target windows`: with --dry-run prints plan.json (the backend,
** sandbox user and every ACL entry and firewall rule) and returns 0; without
** it refuses (E0672, exit 125): Windows plans run only on Windows. */
int sbx_cli_windows_run(struct sbx_cli_context *cx, const struct sbx_cli_policy *sel,
                        const struct sbx_cli_win_env *env, bool dry_run, enum sbx_color color);

#endif
