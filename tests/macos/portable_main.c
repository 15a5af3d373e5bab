/*
** portable_main.c: the macOS pipeline (TOML -> profile -> resolved policy
** -> Seatbelt artifacts) linked from the portable layers alone, built with
** -std=c11 -D_POSIX_C_SOURCE=200809L by portable.sh. Prints profile.sb,
** params.json and argv.json of FILE for cwd /Users/dev/repo, home
** /Users/dev, no tmpdir, as `sbxc compile --target macos --print` does.
*/
#include "ctx.h"
#include "diag.h"
#include "ir.h"
#include "resolve.h"
#include "sbpl.h"
#include "toml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	static char text[1 << 20];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	struct sbx_ctx *ctx = sbx_ctx_new();
	uint32_t id = sbx_ctx_add_source(ctx, argv[1], text, n);
	enum sbx_status st;
	const struct sbx_toml_table *root = sbx_toml_parse(ctx, id, &st);
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
		                             .cwd = "/Users/dev/repo",
		                             .home = "/Users/dev",
		                             .os_given = true,
		                             .os = SBX_OS_MACOS};
		r = sbx_resolve(ctx, p, &o);
	}
	struct sbx_bundle b = {0};
	struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = &b};
	struct sbx_emit_opts eo = {.probe = false};
	int status = 1;
	if (r && !sbx_diag_errors(ctx) && sbx_emit_macos(ctx, r, &eo, &sink) == SBX_OK) {
		static const char *const names[] = {"profile.sb", "params.json", "argv.json"};
		for (size_t i = 0; i < 3; i++) {
			const struct sbx_blob *x = sbx_bundle_get(&b, names[i]);
			printf("%s==> %s <==\n", i ? "\n" : "", names[i]);
			fwrite(x->data, 1, x->len, stdout);
		}
		status = 0;
	}
	sbx_ctx_free(&ctx);
	return status;
}
