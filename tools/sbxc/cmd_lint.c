/*
** cmd_lint.c: `sbxc lint` checks policy files: TOML syntax, the permissions
** schema, every profile (or the one named with -P) and the profile
** selection, reporting every problem of every file in one run.
*/
#include "cli.h"
#include "cmd_run.h" /* sbx_cli_absolute */
#include "context.h" /* sema: resolution context options */
#include "ir.h"
#include "load.h"
#include "target.h" /* sema: --targets */

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const char sbx_help_lint[] =
    "usage: sbxc lint [--strict] [-P NAME] [--targets LIST] [options] FILE...\n"
    "\n"
    "Checks each FILE and reports every problem found: TOML syntax, the\n"
    "[permissions] schema, each profile with its extends chain, and which\n"
    "profile default_permissions (or sandbox_mode) selects. Keys outside the\n"
    "permissions settings are ignored, as a full config.toml holds more.\n"
    "\n"
    "  -P, --profile NAME  check only this profile\n"
    "      --targets LIST  comma-separated macos, linux, windows: check that a\n"
    "                      backend of each can enforce every profile exactly\n"
    "                      (default: the targets whose paths each profile uses;\n"
    "                      all three when it uses only tokens and `~`)\n" SBX_CONTEXT_HELP
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
	/* sema: the per-target check */
	struct sbx_cli_context cx;
	unsigned targets;
	bool targets_given;
};

/* Compiles one profile; a hook for later checks of the compiled profile. */
static void check_profile(struct sbx_ctx *ctx, const struct sbx_config *cfg, const char *name,
                          const struct lint_opts *o, const char *file, size_t *checked)
{
	struct sbx_profile *p = sbx_profile_compile(ctx, cfg, name, SBX_NO_SPAN);
	(*checked)++;
	if (!p)
		return;
	/* SBXC-LINT-PROFILE-CHECKS: checks of a compiled profile go here */
	/* sema: can a backend of each target enforce it exactly? */
	struct sbx_target_input in[SBX_OS_COUNT];
	for (int os = 0; os < SBX_OS_COUNT; os++) {
		sbx_cli_context_opts_ph(ctx, &o->cx, (enum sbx_target_os)os, true, &in[os].opts,
		                        &in[os].placeholders);
		/* on this machine, `run -c FILE` refuses a policy its sandbox could
		** rewrite (E0720): say so now */
		if (in[os].opts.probe && strcmp(file, "-") != 0)
			in[os].opts.policy_file = sbx_cli_absolute(ctx, file);
	}
	unsigned mask = o->targets_given ? o->targets : sbx_targets_default(p);
	sbx_targets_check(ctx, p, mask, o->targets_given, in);
}

/* sema: parses "macos,linux,windows" into a mask of SBX_TARGET_BIT()s. */
static bool parse_targets(const char *s, unsigned *mask)
{
	*mask = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		enum sbx_target_os os;
		char name[16];
		if (n >= sizeof name)
			return false;
		memcpy(name, s, n);
		name[n] = 0;
		if (!sbx_cli_parse_os(name, &os))
			return false;
		*mask |= SBX_TARGET_BIT(os);
		s += n + (s[n] == ',');
	}
	return *mask != 0;
}

/* Every user profile, then the selection unless it is one of them. */
static size_t check_file(struct sbx_ctx *ctx, const char *path, const struct lint_opts *o)
{
	size_t checked = 0;
	/* errors at the top level are reported; the profiles are checked anyway */
	struct sbx_document doc;
	sbx_load_file(ctx, path, &doc);
	if (!doc.root)
		return 0;
	const struct sbx_config cfg = doc.cfg;
	if (o->profile) {
		check_profile(ctx, &cfg, o->profile, o, path, &checked);
		return checked;
	}
	for (size_t i = 0; i < cfg.nprofiles; i++)
		check_profile(ctx, &cfg, cfg.profiles[i], o, path, &checked);
	bool selected_checked = false;
	if (cfg.syntax == SBX_SYNTAX_PROFILES && cfg.default_permissions)
		for (size_t i = 0; i < cfg.nprofiles; i++)
			selected_checked |= strcmp(cfg.profiles[i], cfg.default_permissions) == 0;
	if (!selected_checked)
		check_profile(ctx, &cfg, NULL, o, path, &checked);
	return checked;
}

int sbx_cmd_lint(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"profile", required_argument, NULL, 'P'},
	    {"strict", no_argument, NULL, 's'},
	    {"color", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {"targets", required_argument, NULL, 't'}, /* sema */
	    SBX_CONTEXT_LONG_OPTIONS,                  /* sema */
	    {0},
	};
	struct lint_opts o = {.color = SBX_COLOR_AUTO};
	sbx_cli_context_init(&o.cx);
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:P:h" SBX_CONTEXT_SHORT_OPTIONS, opts, NULL)) != -1) {
		int cs = sbx_cli_context_option(&o.cx, "lint", c, optarg); /* sema */
		if (cs < 0)
			return SBX_EXIT_USAGE;
		if (cs > 0)
			continue;
		switch (c) {
		case 't': /* sema */
			if (!parse_targets(optarg, &o.targets))
				return sbx_cli_usage(
				    "lint", "invalid --targets '%s' (macos, linux, windows)",
				    optarg);
			o.targets_given = true;
			break;
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
			return sbx_cli_usage("lint", "option '%s' needs an argument",
			                     argv[optind - 1]);
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
		size_t e = sbx_diag_errors_shown(ctx), w = sbx_diag_warnings(ctx);
		printf("%s: %zu profile%s checked, %zu error%s, %zu warning%s\n", argv[i], checked,
		       checked == 1 ? "" : "s", e, e == 1 ? "" : "s", w, w == 1 ? "" : "s");
		if (e)
			status = SBX_EXIT_ERRORS;
		sbx_ctx_free(&ctx);
	}
	sbx_cli_context_free(&o.cx); /* sema */
	return status;
}
