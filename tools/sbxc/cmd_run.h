/*
** cmd_run.h: what `sbxc run`, `sbxc compile` and `sbxc exec` share
** (defined in cmd_run.c).
*/
#ifndef SBX_CMD_RUN_H
#define SBX_CMD_RUN_H

#include "cli.h"
#include "context.h"
#include "emitter.h"
#include "policy.h"
#include "runtime.h"

/* Long-only options of run and exec. */
enum {
	SBX_OPT_BACKEND = 0x1100,
	SBX_OPT_BWRAP,
	SBX_OPT_DRY_RUN,
	SBX_OPT_TEST_ABI,
	SBX_OPT_COLOR,
	SBX_OPT_SANDBOX_MODE,
	SBX_OPT_OFFLINE,
	SBX_OPT_PRINT,
	SBX_OPT_STATUS_FD,
	SBX_OPT_TINYPROXY,
	SBX_OPT_NO_CACHE,
};

/* Handles the runtime options shared by run and exec (--linux-backend,
** --bwrap, --dry-run, --test-landlock-abi, --color, --tinyproxy). Returns 1 if opt was one,
** 0 if not, -1 after a usage error. */
int sbx_cli_runtime_option(const char *cmd, int opt, const char *arg, struct sbx_run_opts *ro,
                           enum sbx_color *color);

/* Renders the diagnostics of ctx from index `from` on, and returns the index
** to continue from. */
size_t sbx_cli_render_from(struct sbx_ctx *ctx, size_t from, enum sbx_color color);

/* The absolute, normalized form of a directory argument (relative to the
** current directory); NULL after E0717 when the current directory is gone. */
const char *sbx_cli_absolute(struct sbx_ctx *ctx, const char *dir);

/* Leaves the process after a run: renders what is left, and when the
** process restricted itself, flushes and _exit()s instead of returning. */
int sbx_cli_run_finish(struct sbx_ctx **ctx, size_t from, enum sbx_color color, int status,
                       bool restricted);

/* --status-fd: the `refused` line for a run that ends with sbxc's own status
** (nothing when the runtime already wrote the outcome). */
void sbx_cli_status_refused(struct sbx_ctx *ctx, const struct sbx_run_opts *ro, int status);

#endif
