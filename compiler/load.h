/*
** load.h: compiling a policy document, the one way every user does it (the
** library's API, each subcommand of sbxc): text -> TOML tree (grammar/) ->
** the document's configuration (config.c) -> the selected profile
** (profile.c, or the legacy settings).
*/
#ifndef SBX_LOAD_H
#define SBX_LOAD_H

#include "ctx.h"
#include "ir.h"
#include "resolve.h"

#include <stddef.h>
#include <stdint.h>

struct sbx_document {
	uint32_t file;                     /* its source, 0 when there is none */
	const struct sbx_toml_table *root; /* the tree; NULL unless the text is TOML */
	struct sbx_config cfg;             /* its configuration (zeroed without a root) */
};

/* Reads the file `path` ("-" is stdin), or registers `text` under the display
** name `name`, parses it and reads its configuration into *doc. Returns SBX_OK
** or the first failing status, after diagnostics. doc->root is set whenever
** the text is TOML, even when its top level has errors, so that `lint` can go
** on checking the profiles. */
enum sbx_status sbx_load_file(struct sbx_ctx *ctx, const char *path, struct sbx_document *doc);
enum sbx_status sbx_load_text(struct sbx_ctx *ctx, const char *name, const char *text, size_t len,
                              struct sbx_document *doc);

/* The profile to enforce: `sandbox_mode` when set (the legacy settings of
** that mode with the document's [sandbox_workspace_write], as Codex's
** `--sandbox` flag), else the profile `profile` (a user or built-in one), else
** the one the document selects. doc may be NULL (no document: only built-in
** profiles and modes exist). NULL after diagnostics. */
struct sbx_profile *sbx_load_profile(struct sbx_ctx *ctx, const struct sbx_document *doc,
                                     const char *profile, const char *sandbox_mode);

/* The OS this machine runs: the target whose filesystem a resolution may
** read. */
enum sbx_target_os sbx_host_os(void);

/* This machine's defaults for a resolution context of its own flavour: the
** current directory ("/" when it cannot be found), $HOME when set and not
** empty, $TMPDIR when absolute (what `:tmpdir` means), NULL when there is
** none; and this process's environment (for the proxy variables). The
** strings are arena copies; env is the process's own. */
struct sbx_host_defaults {
	const char *cwd, *home, *tmpdir;
	const char *const *env;
};
void sbx_host_defaults(struct sbx_ctx *ctx, struct sbx_host_defaults *out);

#endif
