/*
** cmd_ir.c: `sbxc ir` prints the IR of one profile as JSON
** (spec/ir-schema.md).
*/
#include "cli.h"
#include "context.h" /* sema: resolution context options */
#include "ir.h"
#include "policy.h"
#include "resolve.h" /* sema: the resolved section */

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char sbx_help_ir[] =
    "usage: sbxc ir [-P NAME | --sandbox-mode MODE] [options] [FILE]\n"
    "\n"
    "Compiles one profile of FILE and prints its IR as JSON on stdout: the\n"
    "profile's entries with their source locations, its workspace roots, its\n"
    "network settings and its extends chain (schema: spec/ir-schema.md), and\n"
    "the profile resolved for a working directory and target: its derived views,\n"
    "legacy projection, filesystem facts and per-backend verdicts (`resolved`).\n"
    "\n"
    "  -P, --profile NAME      the profile to compile (default: the one the file\n"
    "                          selects with default_permissions or sandbox_mode);\n"
    "                          without FILE, NAME must be a built-in profile\n"
    "      --sandbox-mode MODE the legacy read-only, workspace-write or\n"
    "                          danger-full-access settings instead of a profile\n" SBX_CONTEXT_HELP
    "      --color[=WHEN]      colour diagnostics: auto, always or never\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 the IR was printed, 1 the policy has errors, 2 usage error.\n";

int sbx_cmd_ir(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"profile", required_argument, NULL, 'P'},
	    {"sandbox-mode", required_argument, NULL, 'S'},
	    {"color", optional_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    SBX_CONTEXT_LONG_OPTIONS, /* sema */
	    {0},
	};
	struct sbx_cli_policy sel = {0};
	struct sbx_cli_context cx; /* sema */
	sbx_cli_context_init(&cx);
	enum sbx_color color = SBX_COLOR_AUTO;
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:P:h" SBX_CONTEXT_SHORT_OPTIONS, opts, NULL)) != -1) {
		int cs = sbx_cli_context_option(&cx, "ir", c, optarg); /* sema */
		if (cs < 0)
			return SBX_EXIT_USAGE;
		if (cs > 0)
			continue;
		switch (c) {
		case 'P':
			sel.profile = optarg;
			break;
		case 'S':
			sel.sandbox_mode = optarg;
			break;
		case 'c':
			if (!sbx_cli_parse_color(optarg, &color))
				return sbx_cli_usage("ir", "invalid --color value '%s'", optarg);
			break;
		case 'h':
			sbx_cli_print_help("ir", stdout);
			return SBX_EXIT_OK;
		case ':':
			return sbx_cli_usage("ir", "option '%s' needs an argument",
			                     argv[optind - 1]);
		default:
			return sbx_cli_usage("ir", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return sbx_cli_usage("ir", "expected one policy file, got %d", argc - optind);
	sel.file = optind < argc ? argv[optind] : NULL;

	struct sbx_ctx *ctx = sbx_ctx_new();
	bool usage;
	struct sbx_profile *p = sbx_cli_load_profile(ctx, &sel, NULL, &usage);
	struct sbx_resolved *r = NULL; /* sema: resolve for the context options */
	if (p) {
		struct sbx_resolve_opts ro;
		const char *ph;
		sbx_cli_context_opts_ph(ctx, &cx, cx.target, false, &ro, &ph);
		r = sbx_resolve(ctx, p, &ro);
		if (ph)
			sbx_diag_emit(ctx, SBX_N0602, SBX_NO_SPAN,
			              "resolved for %s with placeholders: %s",
			              sbx_target_os_name(cx.target), ph);
	}
	sbx_cli_report(ctx, color, false);
	if (!p) {
		sbx_ctx_free(&ctx);
		return usage ? SBX_EXIT_USAGE : SBX_EXIT_ERRORS;
	}
	json_t *out = json_object();
	json_object_set_new(out, "sbxc_ir", json_integer(SBX_IR_SCHEMA_VERSION));
	json_object_set_new(out, "profile", sbx_profile_to_json(ctx, p));
	/* SBXC-IR-SECTIONS: later passes add their sections here */
	/* sema: null when the context cannot be used (E05xx, exit 1) */
	json_object_set_new(out, "resolved", r ? sbx_resolved_to_json(ctx, r) : json_null());
	json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(out);
	sbx_ctx_free(&ctx);
	return r ? SBX_EXIT_OK : SBX_EXIT_ERRORS;
}
