/*
** policy.c: see policy.h.
*/
#include "policy.h"
#include "toml.h"

#include <string.h>

struct sbx_profile *sbx_cli_load_profile(struct sbx_ctx *ctx, const struct sbx_cli_policy *sel,
                                         struct sbx_config *cfg, bool *usage)
{
	struct sbx_config local;
	if (!cfg)
		cfg = &local;
	memset(cfg, 0, sizeof *cfg);
	*usage = false;
	if (sel->profile && sel->sandbox_mode) {
		struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0211, SBX_NO_SPAN,
		                                   "`--sandbox-mode` and `-P` cannot both be set");
		sbx_diag_help(ctx, d,
		              "`--sandbox-mode` selects the legacy settings, `-P` a "
		              "permissions profile; choose one");
		*usage = true;
		return NULL;
	}
	const struct sbx_toml_table *root = NULL;
	if (sel->file) {
		uint32_t file;
		enum sbx_status st = sbx_ctx_load_file(ctx, sel->file, &file);
		if (st != SBX_OK)
			return NULL;
		root = sbx_toml_parse(ctx, file, &st);
		if (!root)
			return NULL;
		if (sbx_config_read(ctx, root, cfg) != SBX_OK)
			return NULL;
	} else if (!sel->sandbox_mode && (!sel->profile || !sbx_builtin_profile(sel->profile))) {
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_E0202, SBX_NO_SPAN,
		    sel->profile ? "-P `%s` is not a built-in profile and no policy file is given"
		                 : "no policy file and no profile given%s",
		    sel->profile ? sbx_diag_quote(ctx, sel->profile, strlen(sel->profile)) : "");
		sbx_diag_help(ctx, d,
		              "give a policy file, or -P with `:read-only`, `:workspace` or "
		              "`:danger-full-access`");
		*usage = true;
		return NULL;
	}
	if (sel->sandbox_mode)
		return sbx_legacy_override(ctx, root, sel->sandbox_mode);
	return sbx_profile_compile(ctx, cfg, sel->profile, SBX_NO_SPAN);
}
