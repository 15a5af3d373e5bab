/*
** cmd_lint.c: `sbxc lint` checks policy files: TOML syntax, the permissions
** schema, every profile (or the one named with -P) and the profile
** selection, reporting every problem of every file in one run.
*/
#include "cli.h"
#include "ir.h"
#include "toml.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const char sbx_help_lint[] =
	"usage: sbxc lint [--strict] [-P NAME] [--color=WHEN] FILE...\n"
	"\n"
	"Checks each FILE and reports every problem found: TOML syntax, the\n"
	"[permissions] schema, each profile with its extends chain, and which\n"
	"profile default_permissions (or sandbox_mode) selects. Keys outside the\n"
	"permissions settings are ignored, as a full config.toml holds more.\n"
	"\n"
	"  -P, --profile NAME  check only this profile\n"
	"      --strict        treat warnings about unknown keys as errors\n"
	"      --color=WHEN    colour diagnostics: auto, always or never\n"
	"  -h, --help          show this help\n"
	"\n"
	"Diagnostics go to stderr, one summary line per file to stdout.\n"
	"Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage error.\n";

struct lint_opts {
	bool strict;
	const char *profile;
	enum sbx_color color;
};

/* Compiles one profile; a hook for later checks of the compiled profile. */
static void check_profile(struct sbx_ctx *ctx, const struct sbx_config *cfg, const char *name,
                          const struct lint_opts *o, size_t *checked)
{
	struct sbx_profile *p = sbx_profile_compile(ctx, cfg, name, SBX_NO_SPAN);
	(*checked)++;
	if (!p)
		return;
	/* SBXC-LINT-PROFILE-CHECKS: checks of a compiled profile go here */
	(void)o;
}

/* Every user profile, then the selection unless it is one of them. */
static size_t check_file(struct sbx_ctx *ctx, const char *path, const struct lint_opts *o)
{
	uint32_t file;
	size_t checked = 0;
	enum sbx_status st = sbx_ctx_load_file(ctx, path, &file);
	if (st != SBX_OK)
		return 0;
	const struct sbx_toml_table *root = sbx_toml_parse(ctx, file, &st);
	if (!root)
		return 0;
	/* errors at the top level are reported; the profiles are checked anyway */
	struct sbx_config cfg;
	sbx_config_read(ctx, root, &cfg);
	if (o->profile) {
		check_profile(ctx, &cfg, o->profile, o, &checked);
		return checked;
	}
	for (size_t i = 0; i < cfg.nprofiles; i++)
		check_profile(ctx, &cfg, cfg.profiles[i], o, &checked);
	bool selected_checked = false;
	if (cfg.syntax == SBX_SYNTAX_PROFILES && cfg.default_permissions)
		for (size_t i = 0; i < cfg.nprofiles; i++)
			selected_checked |= strcmp(cfg.profiles[i], cfg.default_permissions) == 0;
	if (!selected_checked)
		check_profile(ctx, &cfg, NULL, o, &checked);
	return checked;
}

int sbx_cmd_lint(int argc, char **argv)
{
	static const struct option opts[] = {
		{"profile", required_argument, NULL, 'P'},
		{"strict", no_argument, NULL, 's'},
		{"color", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct lint_opts o = {.color = SBX_COLOR_AUTO};
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:P:h", opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			o.profile = optarg;
			break;
		case 's':
			o.strict = true;
			break;
		case 'c':
			if (!sbx_cli_parse_color(optarg, &o.color))
				return sbx_cli_usage("lint", "invalid --color value '%s'", optarg);
			break;
		case 'h':
			sbx_cli_print_help("lint", stdout);
			return SBX_EXIT_OK;
		case ':':
			return sbx_cli_usage("lint", "option '%s' needs an argument", argv[optind - 1]);
		default:
			return sbx_cli_usage("lint", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return sbx_cli_usage("lint", "no policy file given");

	int status = SBX_EXIT_OK;
	for (int i = optind; i < argc; i++) {
		struct sbx_ctx *ctx = sbx_ctx_new();
		ctx->strict = o.strict;
		size_t checked = check_file(ctx, argv[i], &o);
		sbx_cli_report(ctx, o.color, false);
		size_t e = sbx_diag_errors(ctx), w = sbx_diag_warnings(ctx);
		printf("%s: %zu profile%s checked, %zu error%s, %zu warning%s\n", argv[i], checked,
		       checked == 1 ? "" : "s", e, e == 1 ? "" : "s", w, w == 1 ? "" : "s");
		if (e)
			status = SBX_EXIT_ERRORS;
		sbx_ctx_free(&ctx);
	}
	return status;
}
