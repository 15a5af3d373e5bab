/*
** portable_main.c: the macOS pipeline (TOML -> profile -> resolved policy
** -> Seatbelt artifacts) linked from the portable layers alone, built with
** -std=c11 -D_POSIX_C_SOURCE=200809L by portable.sh. Prints profile.sb,
** params.json and argv.json of FILE for cwd /Users/dev/repo, home
** /Users/dev, no tmpdir, as `sbxc compile --target macos --print` does.
*/
#include "ctx.h"
#include "ir.h"
#include "macos_pipeline.h"
#include "sbpl.h"

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
	struct sbx_bundle b = {0};
	int status = 1;
	if (sbx_test_macos_compile(ctx, argv[1], text, n, "/Users/dev/repo", "/Users/dev", &b)) {
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
