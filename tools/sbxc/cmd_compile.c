/*
** cmd_compile.c: `sbxc compile --target linux -o DIR FILE` writes the Linux
** artifacts of a profile (emitters/linux.c) into a directory, for `sbxc
** exec DIR -- CMD` to run later without reading the policy again; `--print
** NAME` writes one artifact to stdout instead.
**
** Pipeline: policy file -> IR -> resolved policy -> emitters -> DIR.
*/
#include "cmd_run.h"
#include "resolve.h"
#include "sbpl.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char sbx_help_compile[] =
    "usage: sbxc compile --target linux|macos (-o DIR | --print NAME) [options] [FILE]\n"
    "\n"
    "Compiles the profile of FILE (or a built-in given with -P) into the Linux\n"
    "artifacts `sbxc exec` runs: manifest.json (which backends enforce the\n"
    "profile, the Landlock ABI it needs, every filesystem fact it assumed),\n"
    "bwrap.args and bwrap.json (the bubblewrap argument file, in `bwrap --args`\n"
    "format, and its description), landlock.json (when Landlock enforces the\n"
    "profile), seccomp.bpf and seccomp.json (the network and ptrace filter).\n"
    "The artifacts hold no command: any command can run under them.\n"
    "With --target macos (on any host): profile.sb (the Seatbelt profile, every\n"
    "path a parameter), params.json (parameter -> value), argv.json (the\n"
    "sandbox-exec argv, ending in `--`) and manifest.json; --print takes a\n"
    "comma-separated list of them.\n"
    "\n"
    "  -o, --output DIR          the directory to write (created if missing)\n"
    "      --print NAME          write only the artifact NAME to stdout\n"
    "      --offline             do not read this machine's filesystem: assume\n"
    "                            what the resolution could not see, and bind\n"
    "                            readable roots with --ro-bind-try (deny globs\n"
    "                            cannot be expanded offline)\n"
    "  -P, --profile NAME        the profile (default: the one FILE selects)\n"
    "      --sandbox-mode MODE   the legacy settings instead of a profile\n"
    "  -C, --cwd DIR             working directory the profile is resolved for\n"
    "  -W, --workspace-root DIR  an extra workspace root (repeatable)\n"
    "      --home DIR            home directory for `~` paths (default: $HOME)\n"
    "      --tmpdir DIR          the directory `:tmpdir` names (default: $TMPDIR)\n"
    "      --target OS           linux or macos\n"
    "      --color=WHEN          colour diagnostics: auto, always or never\n"
    "  -h, --help                show this help\n"
    "\n"
    "Deny globs are expanded to files now; `sbxc exec` refuses to run when they\n"
    "match other files then, or when any other recorded fact changed. DIR must\n"
    "be a directory the profile keeps read-only (with its ancestors): a command\n"
    "run under the artifacts must not be able to rewrite them.\n"
    "\n"
    "Exit status: 0 written, 1 the policy has errors or cannot be enforced on\n"
    "Linux, 2 usage error.\n";

static const char *const artifact_names[] = {
    SBX_ART_MANIFEST,      SBX_ART_BWRAP_ARGS,  SBX_ART_BWRAP_JSON,
    SBX_ART_LANDLOCK_JSON, SBX_ART_SECCOMP_BPF, SBX_ART_SECCOMP_JSON,
    SBX_ART_SBPL_PROFILE,  SBX_ART_SBPL_PARAMS, SBX_ART_SBPL_ARGV,
};

struct compile_args {
	struct sbx_cli_policy sel;
	struct sbx_cli_context cx;
	const char *out, *print;
	bool offline;
	enum sbx_color color;
};

static int parse(int argc, char **argv, struct compile_args *a)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"print", required_argument, NULL, SBX_OPT_PRINT},
	    {"offline", no_argument, NULL, SBX_OPT_OFFLINE},
	    {"profile", required_argument, NULL, 'P'},
	    {"sandbox-mode", required_argument, NULL, SBX_OPT_SANDBOX_MODE},
	    {"color", required_argument, NULL, SBX_OPT_COLOR},
	    {"help", no_argument, NULL, 'h'},
	    SBX_CONTEXT_LONG_OPTIONS,
	    {0},
	};
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:o:P:h" SBX_CONTEXT_SHORT_OPTIONS, opts, NULL)) !=
	       -1) {
		int cs = sbx_cli_context_option(&a->cx, "compile", c, optarg);
		if (cs < 0)
			return -1;
		if (cs > 0)
			continue;
		switch (c) {
		case 'o':
			a->out = optarg;
			break;
		case SBX_OPT_PRINT:
			a->print = optarg;
			break;
		case SBX_OPT_OFFLINE:
			a->offline = true;
			break;
		case 'P':
			a->sel.profile = optarg;
			break;
		case SBX_OPT_SANDBOX_MODE:
			a->sel.sandbox_mode = optarg;
			break;
		case SBX_OPT_COLOR:
			if (!sbx_cli_parse_color(optarg, &a->color))
				return sbx_cli_usage("compile", "invalid --color value '%s'",
				                     optarg),
				       -1;
			break;
		case 'h':
			sbx_cli_print_help("compile", stdout);
			return 0;
		case ':':
			return sbx_cli_usage("compile", "option '%s' needs an argument",
			                     argv[optind - 1]),
			       -1;
		default:
			return sbx_cli_usage("compile", "unknown option '%s'", argv[optind - 1]),
			       -1;
		}
	}
	if (!a->cx.target_given || a->cx.target == SBX_OS_WINDOWS)
		return sbx_cli_usage("compile", "give --target linux or --target macos"), -1;
	if (!a->out == !a->print)
		return sbx_cli_usage("compile", "give exactly one of -o DIR and --print NAME"), -1;
	if (argc - optind > 1)
		return sbx_cli_usage("compile", "expected one policy file, got %d", argc - optind),
		       -1;
	a->sel.file = optind < argc ? argv[optind] : NULL;
	return 1;
}

/* Opens (creating) the output directory and removes artifact files of an
** earlier compile, so the directory holds exactly what the manifest lists. */
static int open_output(struct sbx_ctx *ctx, const char *dir)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		sbx_diag_emit(ctx, SBX_E0717, SBX_NO_SPAN, "cannot create `%s`: %s",
		              sbx_diag_quote(ctx, dir, strlen(dir)), strerror(errno));
		return -1;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		sbx_diag_emit(ctx, SBX_E0717, SBX_NO_SPAN, "cannot open `%s`: %s",
		              sbx_diag_quote(ctx, dir, strlen(dir)), strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof artifact_names / sizeof artifact_names[0]; i++)
		unlinkat(fd, artifact_names[i], 0);
	return fd;
}

/* After a failed compile, an existing output directory keeps no artifacts
** of an earlier one: `sbxc exec` must not run those in place of these. */
static void remove_stale(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	for (size_t i = 0; i < sizeof artifact_names / sizeof artifact_names[0]; i++)
		unlinkat(fd, artifact_names[i], 0);
	close(fd);
}

static bool known_artifact(const char *name)
{
	for (size_t i = 0; i < sizeof artifact_names / sizeof artifact_names[0]; i++)
		if (strcmp(name, artifact_names[i]) == 0)
			return true;
	return false;
}

static const char *const macos_names[] = {SBX_ART_SBPL_PROFILE, SBX_ART_SBPL_PARAMS,
                                          SBX_ART_SBPL_ARGV, SBX_ART_MANIFEST};

/* `--target macos --print LIST`: the named artifacts to stdout, each after a
** `==> NAME <==` line when more than one is asked for. */
static int compile_macos(struct compile_args *a)
{
	const char *want[8];
	size_t nwant = 0;
	char *list = sbx_xstrdup(a->print);
	for (char *save = NULL, *t = strtok_r(list, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		bool known = false;
		for (size_t i = 0; i < 4; i++)
			known |= strcmp(t, macos_names[i]) == 0;
		if (!known || nwant == 8) {
			sbx_cli_usage("compile",
			              "unknown macOS artifact '%s' (profile.sb, params.json, "
			              "argv.json, manifest.json)",
			              t);
			free(list);
			return SBX_EXIT_USAGE;
		}
		want[nwant++] = t;
	}
	struct sbx_ctx *ctx = sbx_ctx_new();
	bool usage = false;
	struct sbx_profile *p = sbx_cli_load_profile(ctx, &a->sel, NULL, &usage);
	struct sbx_resolved *r = NULL;
	if (p) {
		struct sbx_resolve_opts opts;
		sbx_cli_context_opts(ctx, &a->cx, SBX_OS_MACOS, false, &opts);
		opts.probe = opts.probe && !a->offline;
		r = sbx_resolve(ctx, p, &opts);
	}
	struct sbx_bundle bundle = {0};
	struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = &bundle};
	struct sbx_emit_opts eo = {.probe = r && r->opts.probe};
	bool ok = r && !sbx_diag_errors(ctx) && sbx_emit_macos(ctx, r, &eo, &sink) == SBX_OK;
	for (size_t i = 0; ok && i < nwant; i++) {
		const struct sbx_blob *f = sbx_bundle_get(&bundle, want[i]);
		if (nwant > 1)
			printf("%s==> %s <==\n", i ? "\n" : "", want[i]);
		fwrite(f->data, 1, f->len, stdout);
	}
	fflush(stdout);
	free(list);
	sbx_cli_report(ctx, a->color, false);
	sbx_ctx_free(&ctx);
	if (usage)
		return SBX_EXIT_USAGE;
	return ok ? SBX_EXIT_OK : SBX_EXIT_ERRORS;
}

int sbx_cmd_compile(int argc, char **argv)
{
	struct compile_args a = {.color = SBX_COLOR_AUTO};
	sbx_cli_context_init(&a.cx);
	int pr = parse(argc, argv, &a);
	if (pr <= 0)
		return pr == 0 ? SBX_EXIT_OK : SBX_EXIT_USAGE;
	if (a.print && a.cx.target == SBX_OS_MACOS)
		return compile_macos(&a);
	if (a.print && !known_artifact(a.print))
		return sbx_cli_usage("compile",
		                     "unknown artifact '%s' (manifest.json, bwrap.args, "
		                     "bwrap.json, landlock.json, seccomp.bpf, seccomp.json)",
		                     a.print);

	struct sbx_ctx *ctx = sbx_ctx_new();
	bool usage = false;
	struct sbx_profile *p = sbx_cli_load_profile(ctx, &a.sel, NULL, &usage);
	struct sbx_resolved *r = NULL;
	if (p) {
		struct sbx_resolve_opts opts;
		sbx_cli_context_opts(ctx, &a.cx, a.cx.target, false, &opts);
		opts.probe = opts.probe && !a.offline;
		r = sbx_resolve(ctx, p, &opts);
	}
	struct sbx_sink sink = {.kind = SBX_SINK_FD, .fd = 1, .only = a.print};
	struct sbx_bundle bundle = {0};
	bool ok = r && !sbx_diag_errors(ctx);
	if (a.out) /* into memory first: the directory is checked before it is written */
		sink = (struct sbx_sink){.kind = SBX_SINK_BUNDLE, .bundle = &bundle};
	struct sbx_emit_opts eo = {.probe = r && r->opts.probe};
	bool mac = a.cx.target == SBX_OS_MACOS;
	if (ok)
		ok = (mac ? sbx_emit_macos(ctx, r, &eo, &sink)
		          : sbx_emit_linux(ctx, r, &eo, &sink)) == SBX_OK;
	/* the macOS runtime checks its directories on the Mac that runs them */
	if (ok && a.out && !mac)
		ok = sbx_runtime_check_unwritable(ctx, &bundle, a.out, SBX_GUARD_ARTIFACT_DIR) ==
		     SBX_OK;
	if (ok && a.out && !mac && a.sel.file && strcmp(a.sel.file, "-") != 0)
		ok = sbx_runtime_check_unwritable(ctx, &bundle, a.sel.file,
		                                  SBX_GUARD_POLICY_FILE) == SBX_OK;
	if (ok && a.out) {
		sink = (struct sbx_sink){.kind = SBX_SINK_DIR, .dirname = a.out};
		ok = (sink.dirfd = open_output(ctx, a.out)) >= 0;
		for (size_t i = 0; ok && i < bundle.n; i++)
			ok = sbx_sink_put(ctx, &sink, bundle.files[i].name, bundle.files[i].data,
			                  bundle.files[i].len) == SBX_OK;
	}
	if (ok && a.print && !sink.matched) {
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_E0707, SBX_NO_SPAN,
		    "no `%s` for this profile: its backend does not enforce it", a.print);
		const struct sbx_enforcement *ll = &r->enforce[SBX_BACKEND_LINUX_LANDLOCK];
		if (strcmp(a.print, SBX_ART_LANDLOCK_JSON) == 0)
			for (size_t i = 0; i < ll->nreasons; i++)
				sbx_diag_note(ctx, d, ll->reasons[i]->span, "[%s] %s",
				              sbx_diag_code_name(ll->reasons[i]->code),
				              ll->reasons[i]->msg);
		ok = false;
	}
	if (a.out && sink.dirfd > 0)
		close(sink.dirfd);
	if (!ok && a.out)
		remove_stale(a.out);
	sbx_cli_report(ctx, a.color, false);
	sbx_ctx_free(&ctx);
	if (usage)
		return SBX_EXIT_USAGE;
	return ok ? SBX_EXIT_OK : SBX_EXIT_ERRORS;
}
