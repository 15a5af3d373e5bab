/*
** macos_batch.c: many `compile --target macos` + `explain --target macos`
** runs in one process, for the random agreement test (agree.py), which would
** otherwise spend its time starting sbxc 4,000 times.
**
** Input: JSON lines {"toml": TEXT, "paths": [PATH...]}; each profile is
** resolved for cwd /w, home /home/user, no tmpdir, offline, exactly as the
** CLI does for `--target macos` on a host that is not a Mac. Output: one JSON
** line per input: {"files": {"profile.sb", "params.json", "argv.json"} as
** `sbxc compile` writes them, "answers": {PATH: [ops]} as `sbxc explain
** --format json` prints them under "macos"/"ops", "posix": {PATH: access}
** the semantic pass's byte-wise answer}, or {"refused": true}
** when the profile has errors or the backend refuses it.
*/
#include "ctx.h"
#include "ir.h"
#include "macos.h"
#include "macos_pipeline.h"
#include "resolve.h"
#include "sbpl.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const op_names[] = {"read", "write", "create", "unlink", "rename"};

static json_t *one(const char *toml, json_t *paths)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	json_t *out = json_object();
	struct sbx_bundle b = {0};
	struct sbx_resolved *r =
	    sbx_test_macos_compile(ctx, "p.toml", toml, strlen(toml), "/w", "/home/user", &b);
	if (!r) {
		json_object_set_new(out, "refused", json_true());
		sbx_ctx_free(&ctx);
		return out;
	}
	json_t *files = json_object();
	for (size_t i = 0; i < b.n; i++)
		json_object_set_new(files, b.files[i].name,
		                    json_stringn((const char *)b.files[i].data, b.files[i].len));
	json_object_set_new(out, "files", files);
	json_t *ans = json_object();
	size_t i;
	json_t *v;
	json_array_foreach(paths, i, v)
	{
		const char *q = json_string_value(v);
		const char *norm = sbx_path_normalize(&ctx->arena, SBX_FLAVOR_POSIX, q, strlen(q));
		const char *cut;
		unsigned ops = sbx_macos_ops(ctx, r->macos, norm ? norm : q, &cut);
		json_t *a = json_array();
		for (unsigned k = 0; k < 5; k++)
			if (ops & (1u << k))
				json_array_append_new(a, json_string(op_names[k]));
		json_object_set_new(ans, q, a);
	}
	json_object_set_new(out, "answers", ans);
	/* the semantic pass's byte-wise answer (`explain --target linux`), which
	** the macOS view must equal wherever case and firmlinks play no part */
	json_t *posix = json_object();
	json_array_foreach(paths, i, v)
	{
		const char *q = json_string_value(v);
		const char *norm = sbx_path_normalize(&ctx->arena, SBX_FLAVOR_POSIX, q, strlen(q));
		struct sbx_decision why;
		enum sbx_access a = sbx_resolved_access(r, norm ? norm : q, &why);
		json_object_set_new(posix, q, json_string(sbx_access_name(a)));
	}
	json_object_set_new(out, "posix", posix);
	sbx_ctx_free(&ctx);
	return out;
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		json_t *in = json_loadb(line, (size_t)n, 0, NULL);
		if (!in)
			return 2;
		json_t *out = one(json_string_value(json_object_get(in, "toml")),
		                  json_object_get(in, "paths"));
		json_dumpf(out, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(out);
		json_decref(in);
	}
	free(line);
	fflush(stdout);
	return 0;
}
