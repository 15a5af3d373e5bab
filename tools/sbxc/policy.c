/*
** policy.c: see policy.h. The command line's checks only: the compiling
** itself is the library's (compiler/load.h).
*/
#include "policy.h"
#include "load.h"

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
	struct sbx_document doc;
	if (sel->file) {
		if (sbx_load_file(ctx, sel->file, &doc) != SBX_OK)
			return NULL;
		*cfg = doc.cfg;
	} else if (!sel->sandbox_mode && (!sel->profile || !sbx_builtin_profile(sel->profile))) {
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_E0202, SBX_NO_SPAN,
		    sel->profile ? "-P `%s` is not a built-in profile and no policy file is given"
		                 : "no policy file and no profile given%s",
		    sel->profile ? sbx_diag_quote(ctx, sel->profile, strlen(sel->profile)) : "");
		static const char *const builtins[] = {":read-only", ":workspace",
		                                       ":danger-full-access"};
		const char *guess = NULL;
		for (size_t i = 0; sel->profile && i < 3; i++)
			if (strcmp(builtins[i] + 1, sel->profile) == 0)
				guess = builtins[i];
		if (guess)
			sbx_diag_help(ctx, d, "did you mean `%s`?", guess);
		else
			sbx_diag_help(
			    ctx, d,
			    "give a policy file, or -P with `:read-only`, `:workspace` or "
			    "`:danger-full-access`");
		*usage = true;
		return NULL;
	}
	return sbx_load_profile(ctx, sel->file ? &doc : NULL, sel->profile, sel->sandbox_mode);
}
