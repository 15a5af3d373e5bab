/*
** cmd_exec.c: `sbxc exec DIR -- CMD` runs a command under artifacts that
** `sbxc compile` wrote, without reading the policy again: the runtime
** re-checks the filesystem facts they were built on, picks the backend and
** runs CMD (runtime/).
**
** The same command, given `--inner-stage` as its first argument, is the
** hidden inner stage that bubblewrap starts inside the sandbox
** (runtime/inner.c). It is not listed in any help text.
*/
#include "cmd_run.h"

#include <getopt.h>
#include <string.h>

const char sbx_help_exec[] =
    "usage: sbxc exec [options] DIR -- CMD [ARGS...]\n"
    "\n"
    "Runs CMD under the artifacts in DIR (written by `sbxc compile --target\n"
    "linux -o DIR`). The policy is not read again; instead every filesystem fact\n"
    "the artifacts were built on (.git pointers, carve-outs that were missing,\n"
    "symlinks, the files deny globs matched) is checked again first, and if one\n"
    "changed, CMD does not run. Nor does it when the sandbox could change DIR\n"
    "itself (each file must be a plain file with one link, in a directory the\n"
    "profile keeps read-only).\n"
    "\n"
    "  -C, --cwd DIR             the working directory of CMD (default: the\n"
    "                            current directory)\n"
    "      --linux-backend B     auto (default), bwrap or landlock\n"
    "      --bwrap FILE          the bubblewrap to use (default: the first `bwrap`\n"
    "                            on PATH that is not inside the working directory)\n"
    "      --tinyproxy FILE      the tinyproxy that filters the domain rules of a\n"
    "                            proxy-only run (default: `tinyproxy` on PATH)\n"
    "      --dry-run             print the backend and the exact bubblewrap argv or\n"
    "                            Landlock ruleset instead of running CMD\n"
    "      --color[=WHEN]        colour diagnostics: auto, always or never\n"
    "  -h, --help                show this help\n"
    "\n"
    "Test hook (it can only make sbxc stricter): SBXC_TEST_LANDLOCK_ABI=N or\n"
    "--test-landlock-abi N lowers the Landlock ABI sbxc assumes the kernel has.\n"
    "\n"
    "Exit status: CMD's own (128+N when signal N ended it); 125 the artifacts are\n"
    "invalid or stale, or the sandbox cannot be set up, and CMD did not run; 126\n"
    "CMD cannot be executed; 127 CMD was not found; 2 usage error.\n";

int sbx_cmd_exec(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], SBX_INNER_STAGE_FLAG) == 0)
		return sbx_runtime_inner(argc, argv);
	static const struct option opts[] = {
	    {"cwd", required_argument, NULL, 'C'},
	    {"linux-backend", required_argument, NULL, SBX_OPT_BACKEND},
	    {"bwrap", required_argument, NULL, SBX_OPT_BWRAP},
	    {"tinyproxy", required_argument, NULL, SBX_OPT_TINYPROXY},
	    {"dry-run", no_argument, NULL, SBX_OPT_DRY_RUN},
	    {"test-landlock-abi", required_argument, NULL, SBX_OPT_TEST_ABI},
	    {"color", optional_argument, NULL, SBX_OPT_COLOR},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	struct sbx_run_opts ro = {
	    .backend = SBX_BACKEND_AUTO, .landlock_abi_cap = -1, .recheck = true, .out = stdout};
	enum sbx_color color = SBX_COLOR_AUTO;
	const char *cwd = ".";
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:C:h", opts, NULL)) != -1) {
		int cs = sbx_cli_runtime_option("exec", c, optarg, &ro, &color);
		if (cs < 0)
			return SBX_EXIT_USAGE;
		if (cs > 0)
			continue;
		switch (c) {
		case 'C':
			cwd = optarg;
			break;
		case 'h':
			sbx_cli_print_help("exec", stdout);
			return SBX_EXIT_OK;
		case ':':
			return sbx_cli_usage("exec", "option '%s' needs an argument",
			                     argv[optind - 1]);
		default:
			return sbx_cli_usage("exec", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return sbx_cli_usage("exec", "no artifact directory given");
	const char *dir = argv[optind++];
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind >= argc)
		return sbx_cli_usage("exec", "no command given (write it after `--`)");
	ro.argv = argv + optind;

	struct sbx_ctx *ctx = sbx_ctx_new();
	struct sbx_bundle bundle = {0};
	bool restricted = false;
	int status = SBX_EXIT_SANDBOX;
	ro.cwd = sbx_cli_absolute(ctx, cwd);
	if (ro.cwd && sbx_runtime_load_dir(ctx, dir, &bundle) == SBX_OK &&
	    sbx_runtime_check_unwritable(ctx, &bundle, dir, SBX_GUARD_ARTIFACT_DIR) == SBX_OK)
		status = sbx_runtime_run(ctx, &bundle, &ro, &restricted);
	return sbx_cli_run_finish(&ctx, 0, color, status, restricted);
}
