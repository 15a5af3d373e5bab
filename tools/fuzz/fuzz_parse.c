/*
** fuzz_parse.c: libFuzzer target for the TOML front end.
**
** Each input is one document: a fresh context, the bytes as a source,
** sbx_toml_parse(), then the tagged JSON of the tree (or the rendered
** diagnostics), and the context freed. Besides the sanitizers' checks it
** asserts the parser's contract: a tree comes back exactly when no error
** was reported, with status SBX_OK, and every tree it returns can be
** walked to JSON. See README.md for how to build and run it.
*/
#include "ctx.h"
#include "diag.h"
#include "sbx_limits.h"
#include "toml.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > SBX_MAX_INPUT_BYTES)
		return -1; /* sbx_ctx_load_* would have refused it (E0002) */
	struct sbx_ctx *ctx = sbx_ctx_new();
	uint32_t file = sbx_ctx_add_source(ctx, "fuzz.toml", (const char *)data, size);
	enum sbx_status status = SBX_EINTERNAL;
	struct sbx_toml_table *root = sbx_toml_parse(ctx, file, &status);
	if (root) {
		if (status != SBX_OK || sbx_diag_errors(ctx) != 0)
			abort();
		json_t *json = sbx_toml_to_tagged_json(root);
		if (!json)
			abort();
		char *text = json_dumps(json, JSON_COMPACT);
		if (!text)
			abort();
		free(text);
		json_decref(json);
	} else {
		if (status == SBX_OK || sbx_diag_errors(ctx) == 0)
			abort();
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);
		if (!out)
			abort();
		struct sbx_render_opts opts = {.color = true};
		sbx_diag_render_all(ctx, out, &opts, true);
		fclose(out);
		free(buf);
	}
	sbx_ctx_free(&ctx);
	return 0;
}
