/*
** macos.c: the macOS runtime. Execs /usr/bin/sandbox-exec (by absolute path,
** so PATH cannot substitute another) with the macOS artifacts (emitters/
** sbpl.h): argv.json as compiled, its `-f profile.sb` pointed at the
** artifact directory (or, for `sbxc run`, the profile passed inline with
** `-p`), then the command. On other hosts only --dry-run works: it prints
** the profile and the argv.
**
** Pipeline position: artifacts -> this file -> sandbox-exec -> the command.
*/
#include "runtime.h"
#include "sbpl.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The string at i of a JSON array, or "". */
static const char *str_at(json_t *a, size_t i)
{
	const char *s = json_string_value(json_array_get(a, i));
	return s ? s : "";
}

/* The argv of argv.json with its `-f profile.sb` made `-f DIR/profile.sb`
** (dir given) or `-p TEXT`, and the command appended; NULL after E0710. */
static char **build_argv(struct sbx_ctx *ctx, const struct sbx_bundle *b, const char *dir,
                         char *const *cmd)
{
	const struct sbx_blob *av = sbx_bundle_get(b, SBX_ART_SBPL_ARGV);
	const struct sbx_blob *pf = sbx_bundle_get(b, SBX_ART_SBPL_PROFILE);
	json_t *a = av ? json_loadb((const char *)av->data, av->len, 0, NULL) : NULL;
	size_t n = a && json_is_array(a) ? json_array_size(a) : 0;
	if (!pf || n < 4 || strcmp(str_at(a, 0), SBX_SANDBOX_EXEC) != 0 ||
	    strcmp(str_at(a, n - 1), "--") != 0) {
		json_decref(a);
		sbx_diag_emit(ctx, SBX_E0710, SBX_NO_SPAN,
		              "the macOS artifacts are incomplete: %s must start with `%s` and end "
		              "with `--`, next to %s",
		              SBX_ART_SBPL_ARGV, SBX_SANDBOX_EXEC, SBX_ART_SBPL_PROFILE);
		return NULL;
	}
	size_t ncmd = 0;
	while (cmd[ncmd])
		ncmd++;
	char **v = sbx_arena_alloc(&ctx->arena, (n + ncmd + 1) * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(a, i));
		if (!s) {
			json_decref(a);
			sbx_diag_emit(ctx, SBX_E0710, SBX_NO_SPAN, "%s holds a non-string",
			              SBX_ART_SBPL_ARGV);
			return NULL;
		}
		if (i == 2 && strcmp(s, SBX_ART_SBPL_PROFILE) == 0)
			v[i] =
			    dir ? sbx_arena_printf(&ctx->arena, "%s/%s", dir, SBX_ART_SBPL_PROFILE)
			        : sbx_arena_strndup(&ctx->arena, (const char *)pf->data, pf->len);
		else if (i == 1 && !dir)
			v[i] = sbx_arena_strdup(&ctx->arena, "-p");
		else
			v[i] = sbx_arena_strdup(&ctx->arena, s);
	}
	json_decref(a);
	for (size_t i = 0; i < ncmd; i++)
		v[n + i] = cmd[i];
	v[n + ncmd] = NULL;
	return v;
}

int sbx_runtime_run_macos(struct sbx_ctx *ctx, const struct sbx_bundle *b, const char *dir,
                          const struct sbx_run_opts *o)
{
	char **v = build_argv(ctx, b, dir, o->argv);
	if (!v)
		return SBX_RT_EXIT_SANDBOX;
	if (o->dry_run) {
		const struct sbx_blob *pf = sbx_bundle_get(b, SBX_ART_SBPL_PROFILE);
		fprintf(o->out, "backend: macos-seatbelt\n--- %s\n", SBX_ART_SBPL_PROFILE);
		fwrite(pf->data, 1, pf->len, o->out);
		fprintf(o->out, "--- argv (%s inline as `-p`, or `-f DIR/%s`)\n",
		        SBX_ART_SBPL_PROFILE, SBX_ART_SBPL_PROFILE);
		json_t *a = json_array();
		for (size_t i = 0; v[i]; i++)
			json_array_append_new(
			    a, json_string(i == 2 && !dir ? SBX_ART_SBPL_PROFILE : v[i]));
		json_dumpf(a, o->out, JSON_INDENT(2));
		fputc('\n', o->out);
		json_decref(a);
		fflush(o->out);
		return 0;
	}
#if defined(__APPLE__)
	if (o->cwd && chdir(o->cwd) != 0) {
		sbx_diag_emit(ctx, SBX_E0717, SBX_NO_SPAN, "cannot change to `%s`: %s", o->cwd,
		              strerror(errno));
		return SBX_RT_EXIT_SANDBOX;
	}
	fflush(NULL);
	execv(SBX_SANDBOX_EXEC, v);
	sbx_diag_emit(ctx, SBX_E0714, SBX_NO_SPAN, "cannot execute `%s`: %s", SBX_SANDBOX_EXEC,
	              strerror(errno));
	return SBX_RT_EXIT_SANDBOX;
#else
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0730, SBX_NO_SPAN,
	                                   "the macOS sandbox runs only on macOS: `%s` is not "
	                                   "available here",
	                                   SBX_SANDBOX_EXEC);
	sbx_diag_help(ctx, d, "use --dry-run to print the profile and the command line");
	return SBX_RT_EXIT_SANDBOX;
#endif
}
