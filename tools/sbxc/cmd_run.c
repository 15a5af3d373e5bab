/*
** cmd_run.c: `sbxc run` compiles a profile in memory and runs a command
** under it, enforced by the kernel (runtime/). Also the pieces run, compile
** and exec share (cmd_run.h).
**
** Pipeline: policy file (or built-in) -> IR -> resolved policy (this
** machine, probing) -> Linux artifacts in memory (emitters/linux.c) ->
** runtime. With neither -c nor -P the built-in :workspace profile applies,
** Codex's implicit default for a trusted project.
*/
#include "cmd_run.h"
#include "landlock_abi.h"
#include "path.h"
#include "resolve.h"
#include "sbpl.h"
#include "strbuf.h"
#include "windows.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char sbx_help_run[] =
    "usage: sbxc run [-c FILE] [-P NAME | --sandbox-mode MODE] [options] -- CMD [ARGS...]\n"
    "\n"
    "Compiles the profile in memory and runs CMD under it, enforced by the kernel:\n"
    "with Landlock and seccomp when Landlock enforces the profile exactly and the\n"
    "kernel has the Landlock ABI it needs, else with bubblewrap (namespaces and\n"
    "mounts) and seccomp. Without -c and -P the built-in `:workspace` profile\n"
    "applies (Codex's default for a trusted project): the working directory and\n"
    "the temporary directories writable, .git, .agents and .codex read-only, the\n"
    "network off.\n"
    "\n"
    "  -c, --config FILE         the policy file\n"
    "  -P, --profile NAME        the profile (default: the one FILE selects, or\n"
    "                            `:workspace` without FILE)\n"
    "      --sandbox-mode MODE   the legacy settings instead of a profile\n"
    "  -C, --cwd DIR             working directory of the profile and of CMD\n"
    "  -W, --workspace-root DIR  an extra workspace root (repeatable)\n"
    "      --home DIR            home directory for `~` paths (default: $HOME)\n"
    "      --tmpdir DIR          the directory `:tmpdir` names (default: $TMPDIR)\n"
    "      --linux-backend B     auto (default), bwrap or landlock; a forced\n"
    "                            backend that cannot enforce the profile is an error\n"
    "      --bwrap FILE          the bubblewrap to use (default: the first `bwrap`\n"
    "                            on PATH that is not inside the working directory)\n"
    "      --tinyproxy FILE      the tinyproxy that filters the domain rules of a\n"
    "                            proxy-only run (default: `tinyproxy` on PATH)\n"
    "      --dry-run             print the backend and the exact bubblewrap argv or\n"
    "                            Landlock ruleset instead of running CMD\n"
    "      --status-fd FD        write the outcome to descriptor FD (see below)\n"
    "      --no-cache            compile even when this run was compiled before\n"
    "                            (also SBXC_NO_CACHE=1; see below)\n"
    "      --target macos        the Seatbelt profile and /usr/bin/sandbox-exec\n"
    "                            (on a Mac; elsewhere only with --dry-run)\n"
    "      --color[=WHEN]        colour diagnostics: auto, always or never\n"
    "  -h, --help                show this help\n"
    "\n"
    "Only stdin, stdout and stderr are passed to CMD. Deny globs are expanded to\n"
    "the files they match when CMD starts; files created later are not hidden.\n"
    "FILE must be where the profile does not let CMD write (a project's .codex\n"
    "directory stays read-only): CMD must not be able to rewrite the next run's\n"
    "policy.\n"
    "What bubblewrap supports is probed once per binary and remembered in\n"
    "$XDG_CACHE_HOME/sbxc/bwrap-probe (default ~/.cache/sbxc/bwrap-probe).\n"
    "Under bubblewrap, a run is stopped with exit 125 and E0772 when a process\n"
    "outside the sandbox replaces, moves or creates a read-only or denied path\n"
    "(or a directory above one) while CMD runs: CMD may have run in part.\n"
    "A run that set up is remembered compiled in $XDG_CACHE_HOME/sbxc/run\n"
    "(default ~/.cache/sbxc/run) and not compiled again while the policy, the\n"
    "options, the environment, bubblewrap, sbxc and every path the compile\n"
    "looked at stay the same; never when the sandbox could write that directory.\n"
    "SBXC_CACHE_LOG=FD writes what the cache did to descriptor FD.\n"
    "\n"
    "Test hook (it can only make sbxc stricter): SBXC_TEST_LANDLOCK_ABI=N or\n"
    "--test-landlock-abi N lowers the Landlock ABI sbxc assumes the kernel has.\n"
    "\n"
    "Exit status: CMD's own (128+N when signal N ended it); 125 the sandbox cannot\n"
    "be set up or cannot enforce the profile, and CMD did not run; 126 CMD cannot\n"
    "be executed; 127 CMD was not found; 2 usage error.\n"
    "CMD's own 125, 126 or 127 looks the same: with --status-fd FD, sbxc writes\n"
    "`sbxc: started` to FD when CMD starts and `sbxc: refused STATUS CODE` when\n"
    "the status is sbxc's (CODE: the first error, such as E0704); the last line\n"
    "is the outcome, and no line means sbxc stopped before it (a usage error).\n"
    "Every refusal also prints an `error[CODE]` line on stderr. FD is not passed\n"
    "to CMD.\n";

/* ---- shared with compile and exec ---- */

int sbx_cli_runtime_option(const char *cmd, int opt, const char *arg, struct sbx_run_opts *ro,
                           enum sbx_color *color)
{
	char *end;
	long v;
	switch (opt) {
	case SBX_OPT_BACKEND:
		if (!sbx_target_parse_backend(sbx_target_get(SBX_OS_LINUX), arg, &ro->backend)) {
			sbx_cli_usage(cmd, "invalid --linux-backend '%s' (auto, bwrap or landlock)",
			              arg);
			return -1;
		}
		return 1;
	case SBX_OPT_BWRAP:
		ro->bwrap = arg;
		return 1;
	case SBX_OPT_TINYPROXY:
		ro->tinyproxy = arg;
		return 1;
	case SBX_OPT_DRY_RUN:
		ro->dry_run = true;
		return 1;
	case SBX_OPT_TEST_ABI:
		v = strtol(arg, &end, 10);
		if (*end || end == arg || v < 0 || v > 1000) {
			sbx_cli_usage(cmd, "invalid --test-landlock-abi '%s'", arg);
			return -1;
		}
		ro->landlock_abi_cap = (int)v;
		return 1;
	case SBX_OPT_STATUS_FD:
		v = strtol(arg, &end, 10);
		if (*end || end == arg || v < 3 || v > 65535 || fcntl((int)v, F_GETFD) < 0) {
			sbx_cli_usage(cmd, "invalid --status-fd '%s' (an open descriptor above 2)",
			              arg);
			return -1;
		}
		ro->status_fd = (int)v;
		/* the command must not inherit it */
		fcntl(ro->status_fd, F_SETFD, fcntl(ro->status_fd, F_GETFD) | FD_CLOEXEC);
		return 1;
	case SBX_OPT_COLOR:
		if (!sbx_cli_parse_color(arg, color)) {
			sbx_cli_usage(cmd, "invalid --color value '%s'", arg);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

size_t sbx_cli_render_from(struct sbx_ctx *ctx, size_t from, enum sbx_color color)
{
	struct sbx_render_opts o = {.color = sbx_color_enabled(color, stderr)};
	for (size_t i = from; i < ctx->ndiags; i++)
		sbx_diag_render(ctx, ctx->diags[i], stderr, &o);
	sbx_diag_render_dropped(ctx, stderr, &o);
	fflush(stderr);
	return ctx->ndiags;
}

const char *sbx_cli_absolute(struct sbx_ctx *ctx, const char *dir)
{
	return sbx_ctx_absolute(ctx, dir);
}

void sbx_cli_status_refused(struct sbx_ctx *ctx, const struct sbx_run_opts *ro, int status)
{
	if (ro->status_fd < 0)
		return;
	const char *code = NULL;
	for (size_t i = 0; i < ctx->ndiags && !code; i++)
		if (ctx->diags[i]->sev == SBX_SEV_ERROR)
			code = sbx_diag_code_name(ctx->diags[i]->code);
	/* after `started`, only a failed exec in this process (E0714, E0715)
	** changes the outcome: any other status is the command's own */
	if (ro->status_done && *ro->status_done && !code)
		return;
	if (!code)
		code = "-";
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_addf(&sb, "%s %d %s", ro->dry_run && status == 0 ? "dry-run" : "refused", status,
	            code);
	sbx_runtime_status_line(ro, sb.buf);
	sbx_sb_release(&sb);
}

int sbx_cli_run_finish(struct sbx_ctx **ctx, size_t from, enum sbx_color color, int status,
                       bool restricted)
{
	sbx_cli_render_from(*ctx, from, color);
	if (restricted) {
		fflush(NULL);
		_exit(status);
	}
	sbx_ctx_free(ctx);
	return status;
}

/* ---- run ---- */

struct run_args {
	struct sbx_cli_policy sel;
	struct sbx_cli_context cx;
	struct sbx_run_opts ro;
	enum sbx_color color;
	bool no_cache; /* --no-cache */
	int noptions;  /* argv[1 .. noptions]: the options before the command */
};

static int parse(int argc, char **argv, struct run_args *a)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"profile", required_argument, NULL, 'P'},
	    {"sandbox-mode", required_argument, NULL, SBX_OPT_SANDBOX_MODE},
	    {"linux-backend", required_argument, NULL, SBX_OPT_BACKEND},
	    {"bwrap", required_argument, NULL, SBX_OPT_BWRAP},
	    {"tinyproxy", required_argument, NULL, SBX_OPT_TINYPROXY},
	    {"dry-run", no_argument, NULL, SBX_OPT_DRY_RUN},
	    {"test-landlock-abi", required_argument, NULL, SBX_OPT_TEST_ABI},
	    {"color", optional_argument, NULL, SBX_OPT_COLOR},
	    {"status-fd", required_argument, NULL, SBX_OPT_STATUS_FD},
	    {"no-cache", no_argument, NULL, SBX_OPT_NO_CACHE},
	    {"help", no_argument, NULL, 'h'},
	    SBX_CONTEXT_LONG_OPTIONS,
	    {0},
	};
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:c:P:h" SBX_CONTEXT_SHORT_OPTIONS, opts, NULL)) !=
	       -1) {
		int cs = sbx_cli_context_option(&a->cx, "run", c, optarg);
		if (cs == 0)
			cs = sbx_cli_runtime_option("run", c, optarg, &a->ro, &a->color);
		if (cs < 0)
			return -1;
		if (cs > 0)
			continue;
		switch (c) {
		case 'c':
			a->sel.file = optarg;
			break;
		case 'P':
			a->sel.profile = optarg;
			break;
		case SBX_OPT_SANDBOX_MODE:
			a->sel.sandbox_mode = optarg;
			break;
		case SBX_OPT_NO_CACHE:
			a->no_cache = true;
			break;
		case 'h':
			sbx_cli_print_help("run", stdout);
			return 0;
		case ':':
			return sbx_cli_usage("run", "option '%s' needs an argument",
			                     argv[optind - 1]),
			       -1;
		default:
			return sbx_cli_usage("run", "unknown option '%s'", argv[optind - 1]), -1;
		}
	}
	if (optind >= argc)
		return sbx_cli_usage("run", "no command given (write it after `--`)"), -1;
	size_t n0 = strlen(argv[optind]);
	if (!a->sel.file && n0 > 5 && strcmp(argv[optind] + n0 - 5, ".toml") == 0 &&
	    optind + 1 < argc && strcmp(argv[optind + 1], "--") == 0)
		return sbx_cli_usage("run",
		                     "`%s` would run as the command; did you mean "
		                     "`sbxc run -c %s -- ...`?",
		                     argv[optind], argv[optind]),
		       -1;
	a->ro.argv = argv + optind;
	a->noptions = optind - 1;
	if (!a->sel.file && !a->sel.profile && !a->sel.sandbox_mode)
		a->sel.profile = ":workspace";
	return 1;
}

/* The backend run will use, asked of the target table's chooser with this
** machine as the host (runtime.h), as `exec` asks it of the manifest; NONE
** (after the diagnostics) when there is none. A profile that disables the
** sandbox needs no backend: SBX_BACKEND_AUTO. */
static enum sbx_backend choose(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                               const struct sbx_run_opts *ro)
{
	if (r->disabled)
		return SBX_BACKEND_AUTO;
	struct sbx_runtime_host h;
	sbx_runtime_host_init(&h, ro);
	struct sbx_choice c;
	sbx_choice_from_resolved(&c, sbx_target_get(SBX_OS_LINUX), r);
	c.forced = ro->backend;
	c.host = &h.host;
	return sbx_target_choose(ctx, &c);
}

/* `run --target macos`: the macOS artifacts in memory, then sandbox-exec
** (on a Mac) or, with --dry-run, what would run. */
static int run_macos(struct sbx_ctx **ctx, struct run_args *a, const char *cwd,
                     const struct sbx_profile *p)
{
	struct sbx_resolve_opts opts;
	a->cx.cwd = cwd;
	sbx_cli_context_opts(*ctx, &a->cx, SBX_OS_MACOS, false, &opts);
	struct sbx_resolved *r = sbx_resolve(*ctx, p, &opts);
	struct sbx_bundle bundle = {0};
	struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = &bundle};
	struct sbx_emit_opts eo = {.probe = opts.probe};
	/* the chooser and the table, as compile and lint use them */
	const struct sbx_target *t = sbx_target_get(SBX_OS_MACOS);
	bool ready = r && !sbx_diag_errors(*ctx);
	if (r && !r->disabled) {
		struct sbx_choice c;
		sbx_choice_from_resolved(&c, t, r);
		ready = sbx_target_choose(*ctx, &c) != SBX_BACKEND_COUNT && ready;
	}
	if (ready)
		ready = sbx_target_emit(*ctx, t, r, &eo, SBX_BACKEND_AUTO, &sink) == SBX_OK;
	size_t shown = sbx_cli_render_from(*ctx, 0, a->color);
	int status = SBX_EXIT_SANDBOX;
	if (ready) {
		a->ro.cwd = cwd;
		a->ro.out = stdout;
		status = sbx_runtime_run_macos(*ctx, &bundle, NULL, &a->ro);
	}
	return sbx_cli_run_finish(ctx, shown, a->color, status, false);
}

/* Renders the diagnostics as sbx_cli_render_from(ctx, 0) does, and keeps
** the bytes for the run cache, which prints them again on a hit. */
static size_t render_kept(struct sbx_ctx *ctx, enum sbx_color color, char **text, size_t *len)
{
	*text = NULL;
	*len = 0;
	FILE *m = open_memstream(text, len);
	if (!m)
		return sbx_cli_render_from(ctx, 0, color);
	struct sbx_render_opts o = {.color = sbx_color_enabled(color, stderr)};
	for (size_t i = 0; i < ctx->ndiags; i++)
		sbx_diag_render(ctx, ctx->diags[i], m, &o);
	sbx_diag_render_dropped(ctx, m, &o);
	fclose(m);
	fwrite(*text, 1, *len, stderr);
	fflush(stderr);
	return ctx->ndiags;
}

/* The cache of compiled runs (runtime/runcache.c) for this run, or NULL:
** Linux runs of a policy file or a built-in profile. */
static struct sbx_runcache *cache_open(struct sbx_ctx *ctx, struct run_args *a, char **argv,
                                       const char *cwd)
{
	if (!cwd || a->cx.target != SBX_OS_LINUX || (a->sel.file && strcmp(a->sel.file, "-") == 0))
		return NULL;
	struct sbx_runcache_key k = {
	    .options = argv + 1,
	    .noptions = (size_t)a->noptions,
	    .cwd = cwd,
	    .policy_file = a->sel.file ? sbx_cli_absolute(ctx, a->sel.file) : NULL,
	    .color = sbx_color_enabled(a->color, stderr),
	    .ro = &a->ro,
	};
	if (a->sel.file && !k.policy_file)
		return NULL;
	return sbx_runcache_open(&k, a->no_cache);
}

/* A hit: the diagnostics of the compile again, then the cached artifacts
** (every check of the runtime runs as on a miss). -1 on a miss. */
static int run_cached(struct sbx_ctx **ctx, struct run_args *a, struct sbx_runcache *rc,
                      const char *cwd)
{
	bool restricted = false;
	a->ro.cwd = cwd;
	a->ro.out = stdout;
	int status = sbx_runcache_run(*ctx, rc, &a->ro, &restricted);
	if (status < 0)
		return -1;
	sbx_runcache_free(rc);
	sbx_cli_status_refused(*ctx, &a->ro, status);
	return sbx_cli_run_finish(ctx, 0, a->color, status, restricted);
}

int sbx_cmd_run(int argc, char **argv)
{
	struct run_args a = {.color = SBX_COLOR_AUTO};
	bool status_done = false;
	sbx_cli_context_init(&a.cx);
	a.ro.landlock_abi_cap = -1;
	a.ro.status_fd = -1;
	a.ro.status_done = &status_done;
	a.ro.backend = SBX_BACKEND_AUTO;
	int pr = parse(argc, argv, &a);
	if (pr <= 0)
		return pr == 0 ? SBX_EXIT_OK : SBX_EXIT_USAGE;
	if (a.cx.target_given && a.cx.target == SBX_OS_WINDOWS)
		return sbx_cli_windows_run(&a.cx, &a.sel, a.ro.dry_run, a.color);

	struct sbx_ctx *ctx = sbx_ctx_new();
	int status = SBX_EXIT_SANDBOX;
	bool usage = false, restricted = false;
	const char *cwd = sbx_cli_absolute(ctx, a.cx.cwd ? a.cx.cwd : ".");
	struct sbx_runcache *rc = cache_open(ctx, &a, argv, cwd);
	if (rc) {
		int st = run_cached(&ctx, &a, rc, cwd);
		if (st >= 0)
			return st;
		sbx_runcache_watch(rc, ctx); /* a miss: what the compile looks at */
	}
	struct sbx_profile *p = cwd ? sbx_cli_load_profile(ctx, &a.sel, NULL, &usage) : NULL;
	struct sbx_resolved *r = NULL;
	if (p && a.cx.target == SBX_OS_MACOS) {
		sbx_runcache_free(rc);
		return run_macos(&ctx, &a, cwd, p);
	}
	if (p) {
		struct sbx_resolve_opts opts;
		a.cx.cwd = cwd;
		if (a.cx.proxy_env_given) /* CMD runs with exactly these proxy variables */
			sbx_cli_set_proxy_env(&a.cx);
		sbx_cli_context_opts(ctx, &a.cx, SBX_OS_LINUX, false, &opts);
		/* the policy is read again at the next run: the sandbox must not be
		** able to rewrite it (the semantic pass checks, E0720) */
		if (a.sel.file && strcmp(a.sel.file, "-") != 0)
			opts.policy_file = sbx_cli_absolute(ctx, a.sel.file);
		if (a.ro.bwrap) /* the bubblewrap to run: guard_bwrap.c */
			opts.bwrap = sbx_cli_absolute(ctx, a.ro.bwrap);
		r = sbx_resolve(ctx, p, &opts);
	}
	struct sbx_bundle bundle = {0};
	struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = &bundle};
	/* a cached run is re-checked before it is used again: it keeps the facts */
	struct sbx_emit_opts eo = {.probe = true, .no_recheck_data = !rc};
	bool ready = r && !sbx_diag_errors(ctx);
	a.ro.cwd = cwd;
	a.ro.out = stdout;
	/* asked after other errors too: run reports what lint reports */
	enum sbx_backend use = r ? choose(ctx, r, &a.ro) : SBX_BACKEND_COUNT;
	/* emit only what the chosen backend executes */
	ready = ready && use != SBX_BACKEND_COUNT &&
	        sbx_target_emit(ctx, sbx_target_get(SBX_OS_LINUX), r, &eo, use, &sink) == SBX_OK;
	char *text = NULL;
	size_t len = 0;
	size_t shown =
	    rc ? render_kept(ctx, a.color, &text, &len) : sbx_cli_render_from(ctx, 0, a.color);
	if (ready && rc) {
		sbx_runcache_prepare(ctx, rc, &bundle, text, len);
		/* Landlock execs in this process: stored now; bubblewrap once its
		** sandbox was set up */
		if (use != SBX_BACKEND_LINUX_BWRAP)
			sbx_runcache_store(rc, false);
	}
	free(text);
	if (ready) {
		status = sbx_runtime_run(ctx, &bundle, &a.ro, &restricted);
	} else if (usage) {
		status = SBX_EXIT_USAGE;
	}
	if (ready && rc && use == SBX_BACKEND_LINUX_BWRAP && a.ro.set_up && !restricted)
		sbx_runcache_store(rc, true);
	sbx_runcache_free(rc);
	sbx_cli_status_refused(ctx, &a.ro, status);
	return sbx_cli_run_finish(&ctx, shown, a.color, status, restricted);
}
