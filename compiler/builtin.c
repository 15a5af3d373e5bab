/*
** builtin.c: the built-in profiles as TOML tables (§1.1, §1.7).
**
**   :read-only           :root = "read"
**   :workspace           :root = "read", :workspace_roots = { "." = "write" },
**                        :slash_tmp = "write", :tmpdir = "write"
**   :danger-full-access  no sandbox (not a table; cannot be extended)
**
** The network of both managed built-ins is restricted. The default
** .git/.agents/.codex carve-outs are not entries here: the semantic pass adds
** them under every writable root. Built-in keys have no source span.
*/
#include "schema.h"

#include <string.h>

static const char *const builtins[] = {":read-only", ":workspace", ":danger-full-access"};

bool sbx_builtin_profile(const char *name)
{
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (strcmp(name, builtins[i]) == 0)
			return true;
	return false;
}

static void set_str(struct sbx_ctx *ctx, struct sbx_toml_table *t, const char *k, const char *v)
{
	sbx_toml_set(ctx, t, k, strlen(k), SBX_NO_SPAN, sbx_toml_string(ctx, v, SBX_NO_SPAN));
}

static void set_table(struct sbx_ctx *ctx, struct sbx_toml_table *t, const char *k,
                      struct sbx_toml_table *v)
{
	struct sbx_toml_value tv = {.type = SBX_TOML_TABLE, .span = SBX_NO_SPAN};
	tv.u.table = v;
	sbx_toml_set(ctx, t, k, strlen(k), SBX_NO_SPAN, tv);
}

const struct sbx_toml_table *sbx_builtin_table(struct sbx_ctx *ctx, const char *name)
{
	bool ro = strcmp(name, ":read-only") == 0, ws = strcmp(name, ":workspace") == 0;
	if (!ro && !ws)
		return NULL;
	struct sbx_toml_table *profile = sbx_toml_table_new(ctx);
	struct sbx_toml_table *fs = sbx_toml_table_new(ctx);
	set_str(ctx, fs, ":root", "read");
	if (ws) {
		struct sbx_toml_table *roots = sbx_toml_table_new(ctx);
		set_str(ctx, roots, ".", "write");
		set_table(ctx, fs, ":workspace_roots", roots);
		set_str(ctx, fs, ":slash_tmp", "write");
		set_str(ctx, fs, ":tmpdir", "write");
	}
	set_table(ctx, profile, "filesystem", fs);
	return profile;
}
