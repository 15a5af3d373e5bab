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
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char sbx_help_compile[] =
    "usage: sbxc compile [--target OS|all] (-o DIR | --print NAME) [options] [FILE]\n"
    "\n"
    "Compiles the profile of FILE (or a built-in given with -P) into the Linux\n"
    "artifacts `sbxc exec` runs: manifest.json (which backends enforce the\n"
    "profile, the Landlock ABI it needs, every filesystem fact it assumed),\n"
    "bwrap.args and bwrap.json (the bubblewrap argument file, in `bwrap --args`\n"
    "format, and its description), landlock.json (when Landlock enforces the\n"
    "profile), seccomp.bpf and seccomp.json (the network and ptrace filter),\n"
    "and for proxy-only network proxy.json (the bridged routes and proxy\n"
    "variables), with domain rules tinyproxy.conf and tinyproxy.filter.\n"
    "The artifacts hold no command: any command can run under them.\n"
    "With --target macos (on any host): profile.sb (the Seatbelt profile, every\n"
    "path a parameter), params.json (parameter -> value), argv.json (the\n"
    "sandbox-exec argv, ending in `--`) and manifest.json.\n"
    "\n"
    "  -o, --output DIR          the directory to write (created if missing)\n"
    "      --print NAME          write only the artifact NAME to stdout (several,\n"
    "                            comma-separated: each after a `==> NAME <==` line)\n"
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
    "      --target OS|all       the target (default: this machine's); `all`\n"
    "                            writes every target the table can compile\n"
    "                            and the profile's paths fit\n"
    "                            into DIR/<target>/ with DIR/manifest.json,\n"
    "                            atomically (nothing is left on an error)\n"
    "      --color[=WHEN]        colour diagnostics: auto, always or never\n"
    "  -h, --help                show this help\n"
    "\n"
    "Deny globs are expanded to files now; `sbxc exec` refuses to run when they\n"
    "match other files then, or when any other recorded fact changed. DIR must\n"
    "be a directory the profile keeps read-only (with its ancestors): a command\n"
    "run under the artifacts must not be able to rewrite them.\n"
    "\n"
    "Exit status: 0 written, 1 the policy has errors or cannot be enforced on\n"
    "Linux, 2 usage error.\n";

struct compile_args {
	struct sbx_cli_policy sel;
	struct sbx_cli_context cx;
	const char *out, *print;
	bool offline;
	bool all; /* --target all: every target the table can compile */
	enum sbx_color color;
};

/* A usage error naming the targets of the table that have emitters: t is
** the one given (NULL: none was). */
static int no_target(const struct sbx_target *t)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	for (int os = 0; os < SBX_OS_COUNT; os++) {
		const struct sbx_target *x = sbx_target_get((enum sbx_target_os)os);
		if (x->manifest)
			sbx_sb_addf(&sb, "%s%s", sb.len ? ", " : "", x->name);
	}
	if (t)
		sbx_cli_usage("compile", "sbxc cannot compile for %s yet (targets: %s)", t->name,
		              sb.buf);
	else
		sbx_cli_usage("compile", "give --target (%s)", sb.buf);
	sbx_sb_release(&sb);
	return -1;
}

static int parse(int argc, char **argv, struct compile_args *a)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"print", required_argument, NULL, SBX_OPT_PRINT},
	    {"offline", no_argument, NULL, SBX_OPT_OFFLINE},
	    {"profile", required_argument, NULL, 'P'},
	    {"sandbox-mode", required_argument, NULL, SBX_OPT_SANDBOX_MODE},
	    {"color", optional_argument, NULL, SBX_OPT_COLOR},
	    {"help", no_argument, NULL, 'h'},
	    SBX_CONTEXT_LONG_OPTIONS,
	    {0},
	};
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:o:P:h" SBX_CONTEXT_SHORT_OPTIONS, opts, NULL)) !=
	       -1) {
		if (c == SBX_OPT_TARGET && optarg && strcmp(optarg, "all") == 0) {
			a->all = true;
			continue;
		}
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
	if (a->all && (a->print || !a->out))
		return sbx_cli_usage("compile", "--target all writes a directory: give -o DIR"), -1;
	if (!a->cx.target_given) /* this machine's */
		a->cx.target = sbx_cli_host_os();
	if (!a->all && !sbx_target_get(a->cx.target)->manifest)
		return no_target(sbx_target_get(a->cx.target));
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
static void clear_artifacts(int fd, const struct sbx_target *t)
{
	for (size_t i = 0; i < t->nfiles; i++)
		unlinkat(fd, t->files[i].name, 0);
}

/* Creates the missing parents of path (like mkdir -p of its dirname). */
static bool make_parents(const char *path)
{
	char *p = sbx_xstrdup(path);
	bool ok = true;
	for (char *s = p + 1; ok && (s = strchr(s, '/')); s++) {
		*s = '\0';
		ok = mkdir(p, 0755) == 0 || errno == EEXIST;
		*s = '/';
	}
	free(p);
	return ok;
}

static int open_output(struct sbx_ctx *ctx, const char *dir, const struct sbx_target *t)
{
	make_parents(dir);
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
	clear_artifacts(fd, t);
	return fd;
}

/* After a failed compile, an existing output directory keeps no artifacts
** of an earlier one: `sbxc exec` must not run those in place of these. */
static void remove_stale(const char *dir, const struct sbx_target *t)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	clear_artifacts(fd, t);
	close(fd);
}

/* The backend whose file `name` is (SBX_BACKEND_AUTO for a shared one). */
static enum sbx_backend owner(const struct sbx_target *t, const char *name)
{
	for (size_t i = 0; i < t->nbackends; i++)
		for (size_t j = 0; j < t->backends[i].nfiles; j++)
			if (strcmp(name, t->backends[i].files[j].name) == 0)
				return t->backends[i].id;
	return SBX_BACKEND_AUTO;
}

static bool known_artifact(const struct sbx_target *t, const char *name)
{
	for (size_t i = 0; i < t->nfiles; i++)
		if (strcmp(name, t->files[i].name) == 0)
			return true;
	return false;
}

/* "manifest.json, bwrap.args, ..." for a usage message. */
static void list_artifacts(const struct sbx_target *t, struct sbx_strbuf *sb)
{
	for (size_t i = 0; i < t->nfiles; i++)
		sbx_sb_addf(sb, "%s%s", i ? ", " : "", t->files[i].name);
}

/* --- --target all ------------------------------------------------------ */

/* FNV-1a, 64 bits, of the policy's bytes: which input the tree came from
** (an identifier for change detection, not a cryptographic digest). */
static json_t *input_digest(struct sbx_ctx *ctx, const char *file)
{
	if (!file)
		return json_null();
	struct sbx_source *src = NULL;
	for (uint32_t id = 1; (src = sbx_ctx_source(ctx, id)); id++)
		if (strcmp(src->name, file) == 0 || strcmp(file, "-") == 0)
			break;
	if (!src)
		return json_null();
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < src->len; i++)
		h = (h ^ (unsigned char)src->text[i]) * 0x100000001b3ull;
	char hex[32];
	snprintf(hex, sizeof hex, "fnv1a64:%016llx", (unsigned long long)h);
	return json_string(hex);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Is dir the output of an earlier `--target all` (so it may be replaced)? */
static bool earlier_output(const char *dir)
{
	struct sbx_strbuf m = SBX_STRBUF_INIT;
	sbx_sb_addf(&m, "%s/manifest.json", dir);
	json_t *j = json_load_file(m.buf, 0, NULL);
	sbx_sb_release(&m);
	bool ok = j && json_object_get(j, "sbxc_targets");
	json_decref(j);
	return ok;
}

/* Every target of the table that can be compiled, each into DIR/<target>/,
** with DIR/manifest.json over them. Built in memory, written to a new
** directory beside DIR and renamed into place: on any error nothing is
** left behind, and an earlier tree is replaced whole or not at all. */
static int compile_all(struct compile_args *a)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	bool usage = false, ok = true;
	struct sbx_profile *p = sbx_cli_load_profile(ctx, &a->sel, NULL, &usage);
	const char *out_abs = p ? sbx_cli_absolute(ctx, a->out) : NULL;
	struct sbx_bundle bundles[SBX_OS_COUNT] = {0};
	const struct sbx_target *ts[SBX_OS_COUNT] = {0};
	json_t *targets = json_object();
	const struct sbx_resolved *first = NULL;
	for (int os = 0; ok && p && os < SBX_OS_COUNT; os++) {
		const struct sbx_target *t = sbx_target_get((enum sbx_target_os)os);
		if (!t->manifest)
			continue; /* the table has no emitters for it yet */
		if (!(sbx_targets_default(p) & SBX_TARGET_BIT(os))) {
			/* a profile of POSIX paths is not for Windows, and back */
			json_object_set_new(
			    targets, t->name,
			    json_pack("{s:s}", "skipped",
			              "the profile's paths are not paths of this OS"));
			continue;
		}
		ts[os] = t;
		struct sbx_resolve_opts opts;
		sbx_cli_context_opts(ctx, &a->cx, t->os, true, &opts);
		opts.probe = !a->offline && t->os == sbx_cli_host_os();
		opts.artifact_dir = out_abs;
		if (a->sel.file && strcmp(a->sel.file, "-") != 0)
			opts.policy_file = sbx_cli_absolute(ctx, a->sel.file);
		struct sbx_resolved *r = sbx_resolve(ctx, p, &opts);
		ok = r && !sbx_diag_errors(ctx);
		enum sbx_backend use = SBX_BACKEND_COUNT;
		if (ok && !r->disabled) {
			struct sbx_choice c;
			sbx_choice_from_resolved(&c, t, r);
			/* a profile of tokens alone fits every OS: a target that
			** cannot enforce it is reported (W0601) and gets no
			** artifacts, as lint warns; any other refusal fails all */
			c.implied = sbx_targets_default(p) == SBX_TARGETS_ALL;
			use = sbx_target_choose(ctx, &c);
			if (use == SBX_BACKEND_COUNT && c.implied) {
				json_t *rj = sbx_resolved_to_json(ctx, r);
				json_object_set_new(
				    targets, t->name,
				    json_pack(
				        "{s:s, s:O}", "skipped",
				        "no backend of this target can enforce the profile exactly",
				        "enforce", json_object_get(rj, "enforce")));
				json_decref(rj);
				continue;
			}
			ok = use != SBX_BACKEND_COUNT;
		}
		struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = &bundles[os]};
		struct sbx_emit_opts eo = {.probe = opts.probe};
		if (ok)
			ok = sbx_target_emit(ctx, t, r, &eo, SBX_BACKEND_AUTO, &sink) == SBX_OK;
		if (!ok)
			break;
		first = first ? first : r;
		json_t *rj = sbx_resolved_to_json(ctx, r), *x = json_object();
		json_object_set_new(x, "directory", json_string(t->name));
		json_object_set_new(x, "backend",
		                    use == SBX_BACKEND_COUNT ? json_null()
		                                             : json_string(sbx_backend_name(use)));
		json_object_set(x, "resolution", json_object_get(rj, "context"));
		json_object_set(x, "enforce", json_object_get(rj, "enforce"));
		json_object_set(x, "facts", json_object_get(rj, "facts"));
		json_object_set(x, "legacy", json_object_get(rj, "legacy"));
		json_object_set_new(targets, t->name, x);
		json_decref(rj);
	}
	/* the tree, beside DIR, then renamed into place */
	struct sbx_strbuf tmp = SBX_STRBUF_INIT;
	if (ok && p) {
		make_parents(a->out);
		sbx_sb_addf(&tmp, "%s.sbxc-XXXXXX", a->out);
		if (!mkdtemp(tmp.buf)) {
			sbx_diag_emit(ctx, SBX_E0717, SBX_NO_SPAN,
			              "cannot create a directory beside `%s`: %s",
			              sbx_diag_quote(ctx, a->out, strlen(a->out)), strerror(errno));
			ok = false;
			sbx_sb_reset(&tmp);
		}
	}
	for (int os = 0; ok && tmp.len && os < SBX_OS_COUNT; os++) {
		if (!ts[os])
			continue;
		struct sbx_strbuf d = SBX_STRBUF_INIT;
		sbx_sb_addf(&d, "%s/%s", tmp.buf, ts[os]->name);
		struct sbx_sink sink = {.kind = SBX_SINK_DIR, .dirname = d.buf};
		ok = mkdir(d.buf, 0755) == 0 &&
		     (sink.dirfd = open(d.buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0;
		for (size_t i = 0; ok && i < bundles[os].n; i++)
			ok = sbx_sink_put(ctx, &sink, bundles[os].files[i].name,
			                  bundles[os].files[i].data,
			                  bundles[os].files[i].len) == SBX_OK;
		if (sink.dirfd > 0)
			close(sink.dirfd);
		sbx_sb_release(&d);
	}
	if (ok && tmp.len) {
		json_t *m = json_object();
		json_object_set_new(m, "sbxc_targets", json_integer(1));
		json_object_set_new(m, "sbxc", json_string(SBXC_VERSION));
		json_object_set_new(m, "input",
		                    a->sel.file ? json_string(a->sel.file) : json_null());
		json_object_set_new(m, "input_digest", input_digest(ctx, a->sel.file));
		json_object_set_new(m, "profile", json_string(p->name));
		json_object_set_new(m, "targets", targets);
		targets = NULL;
		struct sbx_strbuf mp = SBX_STRBUF_INIT;
		sbx_sb_addf(&mp, "%s/manifest.json", tmp.buf);
		ok = json_dump_file(m, mp.buf, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0;
		json_decref(m);
		sbx_sb_release(&mp);
		(void)first;
	}
	if (ok && tmp.len) {
		struct stat st;
		if (stat(a->out, &st) == 0 && earlier_output(a->out)) {
			/* swap the trees, then remove the earlier one */
			ok = renameat2(AT_FDCWD, tmp.buf, AT_FDCWD, a->out, RENAME_EXCHANGE) == 0;
		} else {
			ok = rename(tmp.buf, a->out) == 0; /* fails on a non-empty directory */
		}
		if (!ok)
			sbx_diag_emit(ctx, SBX_E0717, SBX_NO_SPAN,
			              "cannot put the artifacts in place at `%s`: %s",
			              sbx_diag_quote(ctx, a->out, strlen(a->out)), strerror(errno));
	}
	if (tmp.len)
		remove_tree(tmp.buf); /* the failed tree, or the earlier one after a swap */
	sbx_sb_release(&tmp);
	json_decref(targets);
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
	if (a.all)
		return compile_all(&a);
	const struct sbx_target *t = sbx_target_get(a.cx.target);
	/* --print NAME[,NAME...] */
	const char *want[16];
	size_t nwant = 0;
	char *list = a.print ? sbx_xstrdup(a.print) : NULL;
	for (char *save = NULL, *w = list ? strtok_r(list, ",", &save) : NULL; w;
	     w = strtok_r(NULL, ",", &save)) {
		if (!known_artifact(t, w) || nwant == sizeof want / sizeof want[0]) {
			struct sbx_strbuf sb = SBX_STRBUF_INIT;
			list_artifacts(t, &sb);
			sbx_cli_usage("compile", "unknown artifact '%s' (%s)", w, sb.buf);
			sbx_sb_release(&sb);
			free(list);
			return SBX_EXIT_USAGE;
		}
		want[nwant++] = w;
	}

	struct sbx_ctx *ctx = sbx_ctx_new();
	bool usage = false;
	struct sbx_profile *p = sbx_cli_load_profile(ctx, &a.sel, NULL, &usage);
	struct sbx_resolved *r = NULL;
	if (p) {
		struct sbx_resolve_opts opts;
		sbx_cli_context_opts(ctx, &a.cx, t->os, false, &opts);
		/* this machine's filesystem says nothing about another OS's
		** (unless --probe asks for it) */
		opts.probe = opts.probe && !a.offline;
		/* a command run under the artifacts must not be able to rewrite
		** them or the policy (the semantic pass checks: E0719, E0720) */
		if (a.out) {
			opts.artifact_dir = sbx_cli_absolute(ctx, a.out);
			if (a.sel.file && strcmp(a.sel.file, "-") != 0)
				opts.policy_file = sbx_cli_absolute(ctx, a.sel.file);
		}
		r = sbx_resolve(ctx, p, &opts);
	}
	/* into memory first: nothing is written unless all of it can be */
	struct sbx_bundle bundle = {0};
	struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = &bundle};
	bool ok = r && !sbx_diag_errors(ctx);
	struct sbx_emit_opts eo = {.probe = r && r->opts.probe};
	if (r && !r->disabled) {
		/* the refusal `lint --targets` and `run` print when no backend can
		** (after other errors too, as they do) */
		struct sbx_choice c;
		sbx_choice_from_resolved(&c, t, r);
		ok = sbx_target_choose(ctx, &c) != SBX_BACKEND_COUNT && ok;
	}
	if (ok)
		ok = sbx_target_emit(ctx, t, r, &eo, SBX_BACKEND_AUTO, &sink) == SBX_OK;
	if (ok && a.out) {
		sink = (struct sbx_sink){.kind = SBX_SINK_DIR, .dirname = a.out};
		ok = (sink.dirfd = open_output(ctx, a.out, t)) >= 0;
		for (size_t i = 0; ok && i < bundle.n; i++)
			ok = sbx_sink_put(ctx, &sink, bundle.files[i].name, bundle.files[i].data,
			                  bundle.files[i].len) == SBX_OK;
	}
	for (size_t k = 0; ok && k < nwant; k++) {
		const struct sbx_blob *f = sbx_bundle_get(&bundle, want[k]);
		if (f) {
			if (nwant > 1) /* several: each after a header line */
				printf("%s==> %s <==\n", k ? "\n" : "", want[k]);
			fwrite(f->data, 1, f->len, stdout);
			continue;
		}
		/* the file of a backend that does not enforce the profile: the
		** chooser's E0707, as for a backend named with --linux-backend */
		struct sbx_choice c;
		sbx_choice_from_resolved(&c, t, r);
		c.forced = owner(t, want[k]);
		c.forced_by = sbx_arena_printf(&ctx->arena, "--print %s", want[k]);
		if (c.forced != SBX_BACKEND_AUTO && !r->disabled)
			sbx_target_choose(ctx, &c);
		else
			sbx_diag_emit(
			    ctx, SBX_E0722, SBX_NO_SPAN,
			    "no `%s` for profile `%s`: it disables the sandbox", want[k],
			    sbx_diag_quote(ctx, r->profile->name, strlen(r->profile->name)));
		ok = false;
	}
	fflush(stdout);
	free(list);
	if (a.out && sink.dirfd > 0)
		close(sink.dirfd);
	if (!ok && a.out)
		remove_stale(a.out, t);
	sbx_cli_report(ctx, a.color, false);
	sbx_ctx_free(&ctx);
	if (usage)
		return SBX_EXIT_USAGE;
	return ok ? SBX_EXIT_OK : SBX_EXIT_ERRORS;
}
