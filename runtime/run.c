/*
** run.c: the runtime's entry point. Parses the artifacts, picks the
** backend, re-checks recorded facts for `sbxc exec`, prints the plan for
** --dry-run, and runs the command: in this process for Landlock (and for a
** profile that disables the sandbox), under bubblewrap otherwise.
**
** Backend choice: a forced backend must enforce the profile (E0707) and
** be usable here (E0701/E0702, E0705/E0706). `auto` takes Landlock when the
** manifest says it enforces the profile and the kernel's ABI is high
** enough, else bubblewrap; when bubblewrap is missing too the error says
** why Landlock could not stand in.
*/
#include "landlock_abi.h"
#include "rt_int.h"
#include "strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool sbx_linux_backend_parse(const char *s, enum sbx_linux_backend *out)
{
	if (strcmp(s, "auto") == 0)
		*out = SBX_LINUX_AUTO;
	else if (strcmp(s, "bwrap") == 0)
		*out = SBX_LINUX_BWRAP;
	else if (strcmp(s, "landlock") == 0)
		*out = SBX_LINUX_LANDLOCK;
	else
		return false;
	return true;
}

int rt_exec_failed(struct sbx_ctx *ctx, const char *cmd, int err, bool inside)
{
	const char *q = sbx_diag_quote(ctx, cmd, strlen(cmd));
	struct sbx_diag *d;
	if (err == ENOENT) {
		d = sbx_diag_emit(ctx, SBX_E0715, SBX_NO_SPAN, "command `%s` not found", q);
		if (inside)
			sbx_diag_note(ctx, d, SBX_NO_SPAN,
			              "it was looked up inside the sandbox, which may hide it");
	} else {
		d = sbx_diag_emit(ctx, SBX_E0714, SBX_NO_SPAN, "cannot execute `%s`: %s", q,
		                  strerror(err));
	}
	return err == ENOENT ? SBX_RT_EXIT_NOT_FOUND : SBX_RT_EXIT_CANNOT_EXEC;
}

/* ---- backend choice ---- */

enum choice { C_NONE, C_LANDLOCK, C_BWRAP };

static void landlock_unusable(struct sbx_ctx *ctx, const struct rt_artifacts *a, int kabi,
                              struct sbx_diag *d)
{
	if (!a->ll_enforces) {
		sbx_diag_note(ctx, d, SBX_NO_SPAN, "Landlock cannot enforce this profile exactly:");
		rt_manifest_reasons(ctx, a, "linux-landlock", d);
	} else if (kabi == 0) {
		sbx_diag_note(
		    ctx, d, SBX_NO_SPAN,
		    "Landlock could enforce the profile, but this kernel has no Landlock");
	} else {
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "Landlock could enforce the profile with ABI %d, but this kernel has "
		              "ABI %d",
		              a->ll_abi, kabi);
	}
}

static bool landlock_ready(struct sbx_ctx *ctx, const struct rt_artifacts *a, int kabi)
{
	if (kabi == 0) {
		struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0705, SBX_NO_SPAN,
		                                   "this kernel does not offer Landlock");
		sbx_diag_note(
		    ctx, d, SBX_NO_SPAN,
		    "Landlock needs Linux 5.13 or newer, built with CONFIG_SECURITY_LANDLOCK "
		    "and `landlock` in the `lsm=` boot parameter");
		sbx_diag_help(ctx, d, "use `--linux-backend bwrap`");
		return false;
	}
	if (kabi < a->ll_abi) {
		struct sbx_diag *d =
		    sbx_diag_emit(ctx, SBX_E0706, SBX_NO_SPAN,
		                  "Landlock ABI %d is needed for this profile, but this kernel has "
		                  "ABI %d",
		                  a->ll_abi, kabi);
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "sbxc needs ABI %d at least: with an older one some access the "
		              "profile denies (truncating a read-only file) would be allowed, or "
		              "the command could signal processes outside the sandbox",
		              SBX_LANDLOCK_ABI_MIN);
		sbx_diag_help(ctx, d,
		              "use `--linux-backend bwrap`, or a kernel with Landlock ABI %d "
		              "(Linux 6.12 or newer for ABI 6)",
		              a->ll_abi);
		return false;
	}
	return true;
}

static bool cannot_enforce(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *name,
                           const char *backend)
{
	struct sbx_diag *d =
	    sbx_diag_emit(ctx, SBX_E0707, SBX_NO_SPAN,
	                  "the `%s` backend cannot enforce this profile exactly", name);
	rt_manifest_reasons(ctx, a, backend, d);
	sbx_diag_help(ctx, d, "leave out `--linux-backend` to let sbxc pick a backend that can");
	return false;
}

static bool missing_files(struct sbx_ctx *ctx, const char *what)
{
	struct sbx_diag *d =
	    sbx_diag_emit(ctx, SBX_E0710, SBX_NO_SPAN, "the artifacts hold no %s files", what);
	sbx_diag_help(ctx, d, "compile them again with `sbxc compile --target linux`");
	return false;
}

static bool choose_forced(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                          const struct sbx_run_opts *o, int kabi, struct rt_bwrap *bw,
                          enum choice *c)
{
	if (o->backend == SBX_LINUX_LANDLOCK) {
		*c = C_LANDLOCK;
		if (!a->ll_enforces)
			return cannot_enforce(ctx, a, "landlock", "linux-landlock");
		if (!a->has_ll)
			return missing_files(ctx, "Landlock");
		return landlock_ready(ctx, a, kabi);
	}
	*c = C_BWRAP;
	if (!a->bw_enforces)
		return cannot_enforce(ctx, a, "bwrap", "linux-bwrap");
	if (!a->has_bw)
		return missing_files(ctx, "bubblewrap");
	return rt_bwrap_find(ctx, o->bwrap, o->cwd, false, bw) == SBX_OK;
}

static bool choose_auto(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                        const struct sbx_run_opts *o, int kabi, struct rt_bwrap *bw, enum choice *c)
{
	if (a->ll_enforces && a->has_ll && kabi >= a->ll_abi && kabi > 0) {
		*c = C_LANDLOCK;
		return true;
	}
	*c = C_BWRAP;
	if (a->bw_enforces && a->has_bw) {
		size_t before = ctx->nerrors;
		enum sbx_status st = rt_bwrap_find(ctx, o->bwrap, o->cwd, true, bw);
		if (st == SBX_OK || ctx->nerrors > before)
			return st == SBX_OK;
		struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0701, SBX_NO_SPAN,
		                                   "bubblewrap (`bwrap`) is not on PATH");
		landlock_unusable(ctx, a, kabi, d);
		sbx_diag_help(ctx, d, "install it with `apt-get install bubblewrap`");
		return false;
	}
	if (a->ll_enforces && a->has_ll) {
		*c = C_LANDLOCK; /* only Landlock could: say why the kernel cannot */
		return landlock_ready(ctx, a, kabi);
	}
	return cannot_enforce(ctx, a, "bwrap", "linux-bwrap");
}

/* ---- running ---- */

static void print_argv(FILE *out, char *const *argv)
{
	fputs("command:", out);
	for (size_t i = 0; argv[i]; i++) {
		fputc(' ', out);
		rt_put_word(out, argv[i]);
	}
	fputc('\n', out);
}

static int dry_run(struct sbx_ctx *ctx, const struct rt_artifacts *a, const struct sbx_run_opts *o,
                   enum choice c, const struct rt_bwrap *bw, int kabi)
{
	FILE *out = o->out ? o->out : stdout;
	if (c == C_NONE) {
		fputs("backend: none (the profile disables the sandbox)\n", out);
	} else if (c == C_LANDLOCK) {
		fputs("backend: linux-landlock\n", out);
		fprintf(out, "landlock: ruleset ABI %d, kernel ABI %d%s\n", a->ll_abi, kabi,
		        kabi >= SBX_LANDLOCK_ABI_SCOPES ? " (scopes applied)" : "");
		char *text = json_dumps(a->landlock, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fprintf(out, "ruleset: %s\n", text ? text : "?");
		free(text);
	} else {
		fputs("backend: linux-bwrap\n", out);
		rt_print_bwrap(ctx, out, a, bw, o);
	}
	if (c != C_NONE)
		fprintf(out, "seccomp: %zu BPF instructions\n", a->bpf->len / 8);
	print_argv(out, o->argv);
	return 0;
}

void sbx_runtime_status_line(const struct sbx_run_opts *o, const char *line)
{
	if (!o || o->status_fd < 0)
		return;
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_adds(&sb, "sbxc: ");
	sbx_sb_adds(&sb, line);
	sbx_sb_addc(&sb, '\n');
	const char *p = sb.buf;
	size_t left = sb.len;
	while (left) {
		ssize_t w = write(o->status_fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		p += w;
		left -= (size_t)w;
	}
	sbx_sb_release(&sb);
	if (o->status_done)
		*o->status_done = true;
}

static int exec_here(struct sbx_ctx *ctx, const struct sbx_run_opts *o)
{
	/* the descriptor is close-on-exec: the command never sees it, and a
	** failed exec writes `refused` after this line */
	sbx_runtime_status_line(o, "started");
	execvp(o->argv[0], o->argv);
	return rt_exec_failed(ctx, o->argv[0], errno, false);
}

static int run_landlock(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                        const struct sbx_run_opts *o, int kabi, bool *restricted)
{
	*restricted = true; /* from here on this process may be restricted */
	if (rt_landlock_apply(ctx, a, kabi) != SBX_OK || rt_restrict_self(ctx, a) != SBX_OK)
		return SBX_RT_EXIT_SANDBOX;
	return exec_here(ctx, o);
}

int sbx_runtime_run(struct sbx_ctx *ctx, const struct sbx_bundle *b, const struct sbx_run_opts *o,
                    bool *restricted)
{
	*restricted = false;
	struct rt_artifacts a;
	if (rt_artifacts_parse(ctx, b, &a) != SBX_OK) {
		rt_artifacts_free(&a);
		return SBX_RT_EXIT_SANDBOX;
	}
	int kabi = sbx_landlock_kernel_abi(o->landlock_abi_cap);
	struct rt_bwrap bw = {0};
	enum choice c = C_NONE;
	bool ok = true;
	if (!a.disabled)
		ok = o->backend == SBX_LINUX_AUTO ? choose_auto(ctx, &a, o, kabi, &bw, &c)
		                                  : choose_forced(ctx, &a, o, kabi, &bw, &c);
	if (ok && o->recheck)
		ok = rt_recheck(ctx, &a, c == C_BWRAP) == SBX_OK;
	int status = SBX_RT_EXIT_SANDBOX;
	if (ok && o->dry_run)
		status = dry_run(ctx, &a, o, c, &bw, kabi);
	else if (ok && c == C_BWRAP)
		status = rt_launch_bwrap(ctx, &a, &bw, o);
	else if (ok && chdir(o->cwd) != 0)
		sbx_diag_emit(ctx, SBX_E0717, SBX_NO_SPAN, "cannot change to `%s`: %s",
		              sbx_diag_quote(ctx, o->cwd, strlen(o->cwd)), strerror(errno));
	else if (ok && c == C_LANDLOCK)
		status = run_landlock(ctx, &a, o, kabi, restricted);
	else if (ok)
		status = exec_here(ctx, o); /* the profile disables the sandbox */
	rt_artifacts_free(&a);
	return status;
}
