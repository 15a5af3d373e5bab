/*
** windows.h: `sbxc run --target windows` (windows.c). A Windows plan runs
** only on Windows (setup.ps1, then run.ps1); on any other machine `run`
** prints the plan with --dry-run and refuses otherwise.
*/
#ifndef SBX_CLI_WINDOWS_H
#define SBX_CLI_WINDOWS_H

#include "cli.h"
#include "context.h"
#include "policy.h"

/* With dry_run: prints plan.json (the backend, sandbox user, every ACL entry
** and firewall rule) and N0620 (the choice and why), exit 0. Without: E0672,
** exit 125. A profile no Windows backend enforces: E0640, exit 125. */
int sbx_cli_windows_run(struct sbx_cli_context *cx, const struct sbx_cli_policy *sel, bool dry_run,
                        enum sbx_color color);

#endif
