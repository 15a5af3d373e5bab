/*
** macos_pipeline.c: see macos_pipeline.h.
*/
#include "macos_pipeline.h"
#include "diag.h"
#include "resolve.h"
#include "sbpl.h"
#include "toml.h"

#include <string.h>

struct sbx_resolved *sbx_test_macos_compile(struct sbx_ctx *ctx, const char *name, const char *text,
                                            size_t len, const char *cwd, const char *home,
                                            struct sbx_bundle *b)
{
	uint32_t f = sbx_ctx_add_source(ctx, name, text, len);
	enum sbx_status st;
	const struct sbx_toml_table *root = sbx_toml_parse(ctx, f, &st);
	struct sbx_config cfg;
	memset(&cfg, 0, sizeof cfg);
	struct sbx_profile *p = NULL;
	if (root) {
		sbx_config_read(ctx, root, &cfg);
		p = sbx_profile_compile(ctx, &cfg, NULL, SBX_NO_SPAN);
	}
	struct sbx_resolved *r = NULL;
	if (p && !sbx_diag_errors(ctx)) {
		struct sbx_resolve_opts o = {.flavor = SBX_FLAVOR_POSIX,
		                             .cwd = cwd,
		                             .home = home,
		                             .os_given = true,
		                             .os = SBX_OS_MACOS};
		r = sbx_resolve(ctx, p, &o);
	}
	struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = b};
	struct sbx_emit_opts eo = {.probe = false};
	if (!r || sbx_diag_errors(ctx) || sbx_emit_macos(ctx, r, &eo, &sink) != SBX_OK)
		return NULL;
	return r;
}
