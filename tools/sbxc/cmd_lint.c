/*
** cmd_lint.c: `sbxc lint` checks policy files: TOML syntax, the permissions
** schema, every profile (or the one named with -P) and the profile
** selection, reporting every problem of every file in one run, in the
** format --format asks for (lint.h, report_*.c).
*/
#include "cli.h"
#include "cmd_run.h" /* sbx_cli_absolute */
#include "context.h" /* sema: resolution context options */
#include "ir.h"
#include "lint.h"
#include "lints.h"
#include "load.h"
#include "strbuf.h"
#include "target.h" /* sema: --targets */

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char sbx_help_lint[] =
    "usage: sbxc lint [options] FILE|DIR|-...\n"
    "\n"
    "Checks each FILE and reports every problem found: TOML syntax, the\n"
    "[permissions] schema, each profile with its extends chain, and which\n"
    "profile default_permissions (or sandbox_mode) selects. Keys outside the\n"
    "permissions settings are ignored, as a full config.toml holds more.\n"
    "A DIR is searched recursively for *.toml files (hidden directories are\n"
    "skipped, except .codex); `-` reads standard input.\n"
    "\n"
    "  -P, --profile NAME  check only this profile\n"
    "      --targets LIST  comma-separated macos, linux, windows: check that a\n"
    "                      backend of each can enforce every profile exactly\n"
    "                      (default: the targets whose paths each profile uses;\n"
    "                      with only tokens and `~`, macos and linux, and\n"
    "                      windows too on Windows or with --target windows)\n" SBX_CONTEXT_HELP
    "      --strict        treat warnings about unknown keys as errors\n"
    "      --werror        treat every warning as an error (exit status 1)\n"
    "      --allow CODE    do not report this warning or note (repeatable; a\n"
    "                      file can say `# sbxc: allow W0601, N0601` too)\n"
    "  -q, --quiet         errors and warnings only: no notes, no summaries\n"
    "      --format FMT    text (default), json, sarif, junit or github\n"
    "  -o, --output FILE   write the report to FILE instead of stdout\n"
    "      --color[=WHEN]  colour diagnostics: auto, always (bare --color) or\n"
    "                      never; FORCE_COLOR, CLICOLOR_FORCE and NO_COLOR\n"
    "                      are honoured under auto\n"
    "  -h, --help          show this help\n"
    "\n"
    "Text: diagnostics go to stderr, one summary line per file (and a total\n"
    "for several files) to stdout. The other formats write one report.\n"
    "Exit status: 0 no errors (warnings allowed unless --werror), 1 errors\n"
    "(or warnings with --werror), 2 usage error or the report cannot be\n"
    "written.\n";

struct lint_opts {
	bool strict, werror, quiet;
	const char *profile;
	enum sbx_color color;
	enum sbx_diag_code *allow;
	size_t nallow;
	/* sema: the per-target check */
	struct sbx_cli_context cx;
	unsigned targets;
	bool targets_given;
};

/* The cases of one file, grown as profiles and targets are checked. */
struct cases {
	struct sbx_lint_case *v;
	size_t n, cap;
};

static void case_open(struct cases *c, struct sbx_ctx *ctx, const char *profile, const char *target)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		c->v = sbx_xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n++] =
	    (struct sbx_lint_case){profile, target, ctx->ndiags, ctx->ndiags, SBX_NO_SPAN};
}

static void case_close(struct cases *c, struct sbx_ctx *ctx)
{
	c->v[c->n - 1].last = ctx->ndiags;
}

/* Where the diagnostics about a whole profile point: its [permissions.<name>]
** key, the `sandbox_mode` value for the legacy settings, or the
** `default_permissions` value that selected a built-in (nothing for `-P`). */
static struct sbx_span profile_anchor(const struct sbx_config *cfg, const struct sbx_profile *p,
                                      const char *name)
{
	if (p->span.file)
		return p->span;
	if (!name && p->builtin && cfg->syntax == SBX_SYNTAX_PROFILES)
		return cfg->default_span;
	return SBX_NO_SPAN;
}

/* Compiles one profile, then checks it for each target. */
static void check_profile(struct sbx_ctx *ctx, const struct sbx_config *cfg, const char *name,
                          const struct lint_opts *o, const char *file, size_t *checked,
                          struct cases *cs)
{
	case_open(cs, ctx, name ? name : "(selected)", NULL);
	struct sbx_profile *p = sbx_profile_compile(ctx, cfg, name, SBX_NO_SPAN);
	(*checked)++;
	struct sbx_span at = p ? profile_anchor(cfg, p, name) : SBX_NO_SPAN;
	if (p) {
		cs->v[cs->n - 1].profile = p->name;
		cs->v[cs->n - 1].span = at;
	}
	case_close(cs, ctx);
	if (!p)
		return;
	/* sema: can a backend of each target enforce it exactly? */
	unsigned mask = o->targets;
	if (!o->targets_given) {
		mask = sbx_targets_default(p);
		/* a profile of tokens alone fits every OS; Windows is checked
		** only when asked for, on Windows or with --target windows, so
		** a Linux or macOS user sees no warning about a platform they
		** do not target */
		enum sbx_target_os host = o->cx.target_given ? o->cx.target : sbx_cli_host_os();
		if (mask == SBX_TARGETS_ALL && host != SBX_OS_WINDOWS)
			mask &= ~SBX_TARGET_BIT(SBX_OS_WINDOWS);
	}
	sbx_targets_announce(ctx, p, mask, o->targets_given);
	cs->v[cs->n - 1].last = ctx->ndiags;
	struct sbx_resolved *rs[SBX_OS_COUNT] = {0};
	for (int os = 0; os < SBX_OS_COUNT; os++) {
		if (!(mask & SBX_TARGET_BIT(os)))
			continue;
		struct sbx_target_input in;
		bool failed;
		sbx_cli_context_opts_ph(ctx, &o->cx, (enum sbx_target_os)os, true, &in.opts,
		                        &in.placeholders);
		/* on this machine, `run -c FILE` refuses a policy its sandbox could
		** rewrite (E0720): say so now */
		if (in.opts.probe && strcmp(file, "-") != 0)
			in.opts.policy_file = sbx_cli_absolute(ctx, file);
		case_open(cs, ctx, p->name, sbx_target_os_name((enum sbx_target_os)os));
		cs->v[cs->n - 1].span = at;
		rs[os] = sbx_target_check_one(ctx, p, (enum sbx_target_os)os, o->targets_given, &in,
		                              &failed);
		case_close(cs, ctx);
	}
	size_t before = ctx->ndiags;
	sbx_targets_finish(ctx, p, rs);
	/* what the profile says that nothing will do, and the security lints:
	** on this machine's resolution when it was checked */
	enum sbx_target_os host = o->cx.target_given ? o->cx.target : sbx_cli_host_os();
	const struct sbx_resolved *lr = rs[host];
	for (int os = 0; !lr && os < SBX_OS_COUNT; os++)
		lr = rs[os];
	if (lr)
		sbx_lint_resolved(ctx, lr);
	if (ctx->ndiags > before) { /* the network notes belong to the profile */
		case_open(cs, ctx, p->name, NULL);
		cs->v[cs->n - 1].first = before;
		cs->v[cs->n - 1].span = at;
	}
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
static size_t check_file(struct sbx_ctx *ctx, const char *path, const struct lint_opts *o,
                         struct cases *cs)
{
	size_t checked = 0;
	case_open(cs, ctx, NULL, NULL);
	/* errors at the top level are reported; the profiles are checked anyway */
	struct sbx_document doc;
	sbx_load_file(ctx, path, &doc);
	case_close(cs, ctx);
	if (!doc.root)
		return 0;
	const struct sbx_config cfg = doc.cfg;
	if (o->profile) {
		check_profile(ctx, &cfg, o->profile, o, path, &checked, cs);
		return checked;
	}
	for (size_t i = 0; i < cfg.nprofiles; i++)
		check_profile(ctx, &cfg, cfg.profiles[i], o, path, &checked, cs);
	bool selected_checked = false;
	if (cfg.syntax == SBX_SYNTAX_PROFILES && cfg.default_permissions)
		for (size_t i = 0; i < cfg.nprofiles; i++)
			selected_checked |= strcmp(cfg.profiles[i], cfg.default_permissions) == 0;
	if (!selected_checked)
		check_profile(ctx, &cfg, NULL, o, path, &checked, cs);
	return checked;
}

/* --- suppression: --allow CODE and `# sbxc: allow CODE, CODE` ----------- */

static bool allowed_in(const enum sbx_diag_code *v, size_t n, enum sbx_diag_code c)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == c)
			return true;
	return false;
}

static bool is_code_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

/* Reads the allow comments of a source: a line whose comment is
** `# sbxc: allow CODE[, CODE...]` allows those codes in the whole file.
** Errors cannot be allowed (W0802); an unknown code is W0801. */
static void scan_allow_comments(struct sbx_ctx *ctx, uint32_t file, enum sbx_diag_code **v,
                                size_t *n)
{
	struct sbx_source *src = sbx_ctx_source(ctx, file);
	if (!src)
		return;
	static const char marker[] = "sbxc: allow";
	const char *t = src->text, *end = src->text + src->len;
	for (const char *p = t; p < end;) {
		const char *hash = memchr(p, '#', (size_t)(end - p));
		if (!hash)
			break;
		const char *eol = memchr(hash, '\n', (size_t)(end - hash));
		if (!eol)
			eol = end;
		const char *q = hash + 1;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if ((size_t)(eol - q) > sizeof marker - 1 &&
		    memcmp(q, marker, sizeof marker - 1) == 0 &&
		    (q[sizeof marker - 1] == ' ' || q[sizeof marker - 1] == '\t')) {
			q += sizeof marker - 1;
			while (q < eol) {
				while (q < eol && (*q == ' ' || *q == '\t' || *q == ','))
					q++;
				const char *w = q;
				while (q < eol && is_code_char(*q))
					q++;
				if (q == w)
					break;
				char code[16];
				size_t len = (size_t)(q - w) < sizeof code - 1 ? (size_t)(q - w)
				                                               : sizeof code - 1;
				memcpy(code, w, len);
				code[len] = '\0';
				struct sbx_span sp = {file, (uint32_t)(w - t), (uint32_t)(q - t)};
				enum sbx_diag_code c;
				if (!sbx_diag_code_lookup(code, &c)) {
					sbx_diag_emit(
					    ctx, SBX_W0801, sp,
					    "unknown diagnostic code `%s` in an allow comment",
					    sbx_diag_quote(ctx, w, (size_t)(q - w)));
				} else if (sbx_diag_code_severity(c) == SBX_SEV_ERROR) {
					struct sbx_diag *d =
					    sbx_diag_emit(ctx, SBX_W0802, sp,
					                  "error `%s` cannot be allowed", code);
					sbx_diag_help(
					    ctx, d,
					    "only warnings and notes can be allowed; "
					    "an error means the policy is not what it says");
				} else {
					*v = sbx_xrealloc(*v, (*n + 1) * sizeof **v);
					(*v)[(*n)++] = c;
				}
			}
		}
		p = eol;
	}
}

/* Fills f->diags with what is shown: not allowed, not a note under -q. */
static void keep_diags(struct sbx_lint_file *f, const struct lint_opts *o, const struct cases *cs)
{
	struct sbx_ctx *ctx = f->ctx;
	enum sbx_diag_code *allow = NULL;
	size_t nallow = 0;
	scan_allow_comments(ctx, 1, &allow, &nallow);
	f->diags = sbx_xcalloc(ctx->ndiags + 1, sizeof *f->diags);
	f->diag_profile = sbx_xcalloc(ctx->ndiags + 1, sizeof *f->diag_profile);
	f->diag_target = sbx_xcalloc(ctx->ndiags + 1, sizeof *f->diag_target);
	f->diag_at = sbx_xcalloc(ctx->ndiags + 1, sizeof *f->diag_at);
	size_t *map = sbx_xcalloc(ctx->ndiags + 1, sizeof *map);
	size_t allowed_warnings = 0;
	for (size_t i = 0; i < ctx->ndiags; i++) {
		const struct sbx_diag *d = ctx->diags[i];
		map[i] = f->ndiags;
		if (d->sev != SBX_SEV_ERROR && (allowed_in(o->allow, o->nallow, d->code) ||
		                                allowed_in(allow, nallow, d->code))) {
			f->allowed++;
			allowed_warnings += d->sev == SBX_SEV_WARNING;
			continue;
		}
		f->notes += d->sev == SBX_SEV_NOTE;
		if (o->quiet && d->sev == SBX_SEV_NOTE)
			continue;
		f->diag_at[f->ndiags] = d->span;
		f->diags[f->ndiags++] = d;
	}
	map[ctx->ndiags] = f->ndiags;
	/* the context's counts include what SBX_MAX_DIAGNOSTICS dropped */
	f->errors = sbx_diag_errors_shown(ctx);
	f->warnings = sbx_diag_warnings(ctx) - allowed_warnings;
	/* the cases in terms of the kept list; each diagnostic's case */
	f->cases = sbx_xcalloc(cs->n + 1, sizeof *f->cases);
	for (size_t i = 0; i < cs->n; i++) {
		f->cases[i] = cs->v[i];
		f->cases[i].first = map[cs->v[i].first];
		f->cases[i].last = map[cs->v[i].last];
		for (size_t k = f->cases[i].first; k < f->cases[i].last; k++) {
			f->diag_profile[k] = cs->v[i].profile;
			f->diag_target[k] = cs->v[i].target;
			if (!f->diag_at[k].file)
				f->diag_at[k] = cs->v[i].span;
		}
	}
	f->ncases = cs->n;
	free(map);
	free(allow);
}

/* --- inputs: files, directories, `-` ----------------------------------- */

struct inputs {
	char **v;
	size_t n, cap;
};

static void add_input(struct inputs *in, const char *path)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? 2 * in->cap : 16;
		in->v = sbx_xrealloc(in->v, in->cap * sizeof *in->v);
	}
	in->v[in->n++] = sbx_xstrdup(path);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Depth of directories lint descends into; deeper ones are reported. */
#define SBX_LINT_MAX_DIR_DEPTH 64

/* Adds the *.toml files under dir, in byte order of their names. Hidden
** directories are skipped (.git, caches) except .codex, where Codex keeps
** its config.toml. Symlinks to directories are not followed. */
static bool walk_dir(struct inputs *in, const char *dir, int depth)
{
	if (depth > SBX_LINT_MAX_DIR_DEPTH) {
		fprintf(stderr, "sbxc lint: %s: directories nested deeper than %d\n", dir,
		        SBX_LINT_MAX_DIR_DEPTH);
		return false;
	}
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "sbxc lint: cannot read directory %s: %s\n", dir, strerror(errno));
		return false;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		names = sbx_xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = sbx_xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		struct sbx_strbuf p = SBX_STRBUF_INIT;
		sbx_sb_addf(&p, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/", names[i]);
		struct stat st;
		if (lstat(p.buf, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				if (names[i][0] != '.' || strcmp(names[i], ".codex") == 0)
					ok &= walk_dir(in, p.buf, depth + 1);
			} else if (S_ISREG(st.st_mode) && ends_with(names[i], ".toml")) {
				add_input(in, p.buf);
			}
		}
		sbx_sb_release(&p);
		free(names[i]);
	}
	free(names);
	return ok;
}

static bool collect(struct inputs *in, int argc, char **argv)
{
	bool ok = true;
	for (int i = 0; i < argc; i++) {
		struct stat st;
		if (strcmp(argv[i], "-") != 0 && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			ok &= walk_dir(in, argv[i], 0);
		else /* a file, `-`, or a path whose error the load reports */
			add_input(in, argv[i]);
	}
	return ok;
}

const struct sbx_diag *sbx_lint_diag(const struct sbx_lint_file *f, size_t i,
                                     struct sbx_diag *scratch)
{
	if (f->diags[i]->span.file || !f->diag_at[i].file)
		return f->diags[i];
	*scratch = *f->diags[i];
	scratch->span = f->diag_at[i];
	return scratch;
}

const char *sbx_lint_display_name(const struct sbx_lint_file *f)
{
	return strcmp(f->name, "-") == 0 ? "<stdin>" : f->name;
}

/* --- the command -------------------------------------------------------- */

enum { OPT_WERROR = 0x2000, OPT_ALLOW, OPT_FORMAT };

int sbx_cmd_lint(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"profile", required_argument, NULL, 'P'},
	    {"strict", no_argument, NULL, 's'},
	    {"color", optional_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {"targets", required_argument, NULL, 't'}, /* sema */
	    {"werror", no_argument, NULL, OPT_WERROR},
	    {"allow", required_argument, NULL, OPT_ALLOW},
	    {"quiet", no_argument, NULL, 'q'},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"output", required_argument, NULL, 'o'},
	    SBX_CONTEXT_LONG_OPTIONS, /* sema */
	    {0},
	};
	struct lint_opts o = {.color = SBX_COLOR_AUTO};
	const struct sbx_renderer *r = &sbx_render_text;
	const char *output = NULL;
	sbx_cli_context_init(&o.cx);
	int c, status = SBX_EXIT_OK;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:P:hqo:" SBX_CONTEXT_SHORT_OPTIONS, opts, NULL)) !=
	       -1) {
		int cs = sbx_cli_context_option(&o.cx, "lint", c, optarg); /* sema */
		if (cs < 0) {
			status = SBX_EXIT_USAGE;
			goto out;
		}
		if (cs > 0)
			continue;
		switch (c) {
		case 't': /* sema */
			if (!parse_targets(optarg, &o.targets)) {
				status = sbx_cli_usage(
				    "lint", "invalid --targets '%s' (macos, linux, windows)",
				    optarg);
				goto out;
			}
			o.targets_given = true;
			break;
		case 'P':
			o.profile = optarg;
			break;
		case 's':
			o.strict = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_WERROR:
			o.werror = true;
			break;
		case OPT_ALLOW: {
			enum sbx_diag_code code;
			if (!sbx_diag_code_lookup(optarg, &code)) {
				status = sbx_cli_usage(
				    "lint", "--allow: unknown diagnostic code '%s'", optarg);
				goto out;
			}
			if (sbx_diag_code_severity(code) == SBX_SEV_ERROR) {
				status = sbx_cli_usage("lint",
				                       "--allow: %s is an error; only warnings and "
				                       "notes can be allowed",
				                       optarg);
				goto out;
			}
			o.allow = sbx_xrealloc(o.allow, (o.nallow + 1) * sizeof *o.allow);
			o.allow[o.nallow++] = code;
			break;
		}
		case OPT_FORMAT:
			if (!(r = sbx_renderer_find(optarg))) {
				status = sbx_cli_usage("lint", "invalid --format '%s' (%s)", optarg,
				                       sbx_renderer_names());
				goto out;
			}
			break;
		case 'c':
			if (!sbx_cli_parse_color(optarg, &o.color)) {
				status =
				    sbx_cli_usage("lint", "invalid --color value '%s'", optarg);
				goto out;
			}
			break;
		case 'h':
			sbx_cli_print_help("lint", stdout);
			goto out;
		case ':':
			status = sbx_cli_usage("lint", "option '%s' needs an argument",
			                       argv[optind - 1]);
			goto out;
		default:
			status = sbx_cli_usage("lint", "unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if (optind >= argc) {
		status = sbx_cli_usage("lint", "no policy file given");
		goto out;
	}

	struct inputs in = {0};
	bool walked = collect(&in, argc - optind, argv + optind);
	FILE *out = stdout;
	if (output && !(out = sbx_cli_open_output(output))) {
		status = SBX_EXIT_USAGE;
		goto free_inputs;
	}
	struct sbx_report_opts ro = {
	    .out = out,
	    .diag_out = output ? out : stderr,
	    .quiet = o.quiet,
	    .werror = o.werror,
	    .many = in.n > 1,
	};
	ro.color = sbx_color_enabled(o.color, ro.diag_out);
	void *st = r->begin(&ro);
	struct sbx_lint_totals t = {.werror = o.werror};
	for (size_t i = 0; i < in.n; i++) {
		struct sbx_ctx *ctx = sbx_ctx_new();
		ctx->strict = o.strict;
		struct cases cs = {0};
		struct sbx_lint_file f = {.name = in.v[i], .ctx = ctx};
		f.profiles = check_file(ctx, in.v[i], &o, &cs);
		keep_diags(&f, &o, &cs);
		r->file(st, &f);
		t.files++;
		t.profiles += f.profiles;
		t.errors += f.errors;
		t.warnings += f.warnings;
		t.notes += f.notes;
		t.allowed += f.allowed;
		free(f.diags);
		free(f.diag_profile);
		free(f.diag_target);
		free(f.diag_at);
		free(f.cases);
		free(cs.v);
		sbx_ctx_free(&ctx);
	}
	bool written = r->end(st, &t);
	if (out != stdout ? fclose(out) != 0 : fflush(out) != 0)
		written = false;
	if (!written) {
		fprintf(stderr, "sbxc lint: cannot write the report to %s\n",
		        output ? output : "standard output");
		status = SBX_EXIT_USAGE;
	} else if (t.errors || (o.werror && t.warnings) || !walked) {
		status = SBX_EXIT_ERRORS;
	}
free_inputs:
	for (size_t i = 0; i < in.n; i++)
		free(in.v[i]);
	free(in.v);
out:
	free(o.allow);
	sbx_cli_context_free(&o.cx); /* sema */
	return status;
}
