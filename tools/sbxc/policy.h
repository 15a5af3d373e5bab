/*
** policy.h: loading a policy for a subcommand: read the file, parse it,
** read its configuration and compile the selected profile. Shared by ir,
** explain, run and compile so they select profiles the same way.
*/
#ifndef SBX_CLI_POLICY_H
#define SBX_CLI_POLICY_H

#include "ctx.h"
#include "ir.h"

struct sbx_cli_policy {
	const char *file;         /* the policy file, "-" for stdin, NULL for none */
	const char *profile;      /* -P NAME, or NULL for the file's selection */
	const char *sandbox_mode; /* --sandbox-mode MODE (legacy override), or NULL */
};

/* Compiles the selected profile into ctx. Without a file, -P must name a
** built-in (or --sandbox-mode is used). Returns NULL after diagnostics; then
** *usage is true when the command line itself was wrong (exit 2). cfg may be
** NULL; when given it receives the document's configuration. */
struct sbx_profile *sbx_cli_load_profile(struct sbx_ctx *ctx, const struct sbx_cli_policy *sel,
                                         struct sbx_config *cfg, bool *usage);

#endif
