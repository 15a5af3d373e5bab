/*
** run.c: the runtime's entry point. Parses the artifacts, picks the
** backend, re-checks recorded facts for `sbxc exec`, prints the plan for
** --dry-run, and runs the command: in this process for Landlock (and for a
** profile that disables the sandbox), under bubblewrap otherwise.
**
** Backend choice: the target table's chooser (emitters/table.c) decides,
** with this file's answer to "can this backend run here?": Landlock when
** the kernel's ABI is high enough (E0705/E0706), bubblewrap when it is
** found and usable (E0701/E0702), either only with its files (E0710); when
** bubblewrap is missing too the error says why Landlock could not stand in.
*/
#include "landlock_abi.h"
#include "rt_int.h"
#include "strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- can a backend run here (the chooser's host, target.h) ---- */

/* The ABI a Landlock ruleset needs here: never below SBX_LANDLOCK_ABI_MIN
** (scopes, truncate). */
static int landlock_need(const struct sbx_backend_state *s)
{
	return s->landlock_abi < SBX_LANDLOCK_ABI_MIN ? SBX_LANDLOCK_ABI_MIN : s->landlock_abi;
}

static void landlock_unusable(struct sbx_ctx *ctx, const struct sbx_runtime_host *h,
                              const struct sbx_choice *c, struct sbx_diag *d)
{
	const struct sbx_backend_state *s = &c->state[SBX_BACKEND_LINUX_LANDLOCK];
	if (!s->enforces) {
		sbx_diag_note(ctx, d, SBX_NO_SPAN, "Landlock cannot enforce this profile exactly:");
		if (c->reasons)
			c->reasons(c->reasons_arg, ctx, SBX_BACKEND_LINUX_LANDLOCK, d);
	} else if (h->kernel_abi == 0) {
		sbx_diag_note(
		    ctx, d, SBX_NO_SPAN,
		    "Landlock could enforce the profile, but this kernel has no Landlock");
	} else {
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "Landlock could enforce the profile with ABI %d, but this kernel has "
		              "ABI %d",
		              landlock_need(s), h->kernel_abi);
	}
}

static bool landlock_ready(struct sbx_ctx *ctx, int kabi, int need, bool report)
{
	if (kabi == 0) {
		if (!report)
			return false;
		struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0705, SBX_NO_SPAN,
		                                   "this kernel does not offer Landlock");
		sbx_diag_note(
		    ctx, d, SBX_NO_SPAN,
		    "Landlock needs Linux 5.13 or newer, built with CONFIG_SECURITY_LANDLOCK "
		    "and `landlock` in the `lsm=` boot parameter");
		sbx_diag_help(ctx, d, "use `--linux-backend bwrap`");
		return false;
	}
	if (kabi < need) {
		if (!report)
			return false;
		struct sbx_diag *d =
		    sbx_diag_emit(ctx, SBX_E0706, SBX_NO_SPAN,
		                  "Landlock ABI %d is needed for this profile, but this kernel has "
		                  "ABI %d",
		                  need, kabi);
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "sbxc needs ABI %d at least: with an older one some access the "
		              "profile denies (truncating a read-only file) would be allowed, or "
		              "the command could signal processes outside the sandbox",
		              SBX_LANDLOCK_ABI_MIN);
		sbx_diag_help(ctx, d,
		              "use `--linux-backend bwrap`, or a kernel with Landlock ABI %d "
		              "(Linux 6.12 or newer for ABI 6)",
		              need);
		return false;
	}
	return true;
}

static bool missing_files(struct sbx_ctx *ctx, const char *what, bool report)
{
	if (!report)
		return false;
	struct sbx_diag *d =
	    sbx_diag_emit(ctx, SBX_E0710, SBX_NO_SPAN, "the artifacts hold no %s files", what);
	sbx_diag_help(ctx, d, "compile them again with `sbxc compile --target linux`");
	return false;
}

static bool bwrap_ready(struct sbx_ctx *ctx, struct sbx_runtime_host *h, const struct sbx_choice *c,
                        bool report)
{
	if (!h->bwrap_tried) {
		/* named with --linux-backend: the search says why it fails itself */
		bool quiet = c->forced == SBX_BACKEND_AUTO;
		size_t before = ctx->nerrors;
		h->bwrap_tried = true;
		h->bwrap_status = rt_bwrap_find(ctx, h->o->bwrap, h->o->cwd, quiet, &h->bwrap);
		h->bwrap_reported = ctx->nerrors > before;
	}
	if (h->bwrap_status == SBX_OK || !report || h->bwrap_reported)
		return h->bwrap_status == SBX_OK;
	h->bwrap_reported = true;
	struct sbx_diag *d =
	    sbx_diag_emit(ctx, SBX_E0701, SBX_NO_SPAN, "bubblewrap (`bwrap`) is not on PATH");
	landlock_unusable(ctx, h, c, d);
	sbx_diag_help(ctx, d, "install it with `apt-get install bubblewrap`");
	return false;
}

static bool available(void *arg, struct sbx_ctx *ctx, const struct sbx_choice *c,
                      enum sbx_backend b, bool report)
{
	struct sbx_runtime_host *h = arg;
	const struct sbx_backend_state *s = &c->state[b];
	switch (b) {
	case SBX_BACKEND_LINUX_LANDLOCK:
		if (!s->emitted)
			return missing_files(ctx, "Landlock", report);
		return landlock_ready(ctx, h->kernel_abi, landlock_need(s), report);
	case SBX_BACKEND_LINUX_BWRAP:
		if (!s->emitted)
			return missing_files(ctx, "bubblewrap", report);
		return bwrap_ready(ctx, h, c, report);
	default:
		return false; /* not a backend of this machine */
	}
}

void sbx_runtime_host_init(struct sbx_runtime_host *h, const struct sbx_run_opts *o)
{
	memset(h, 0, sizeof *h);
	h->host.available = available;
	h->host.arg = h;
	h->o = o;
	h->kernel_abi = sbx_landlock_kernel_abi(o->landlock_abi_cap);
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
                   enum sbx_backend c, const struct sbx_bwrap_found *bw, int kabi)
{
	FILE *out = o->out ? o->out : stdout;
	if (c == SBX_BACKEND_COUNT) {
		fputs("backend: none (the profile disables the sandbox)\n", out);
	} else if (c == SBX_BACKEND_LINUX_LANDLOCK) {
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
	if (c != SBX_BACKEND_COUNT)
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
	int status = rt_run_parsed(ctx, &a, o, restricted);
	rt_artifacts_free(&a);
	return status;
}

int rt_run_parsed(struct sbx_ctx *ctx, struct rt_artifacts *ap, const struct sbx_run_opts *o,
                  bool *restricted)
{
	*restricted = false;
	struct rt_artifacts a = *ap; /* the chooser's state is this copy's */
	a.choice.reasons_arg = &a;
	struct sbx_runtime_host h;
	sbx_runtime_host_init(&h, o);
	int kabi = h.kernel_abi;
	enum sbx_backend c = SBX_BACKEND_COUNT; /* none: the profile disables the sandbox */
	bool ok = true;
	if (!a.disabled) {
		a.choice.forced = o->backend;
		a.choice.host = &h.host;
		c = sbx_target_choose(ctx, &a.choice);
		ok = c != SBX_BACKEND_COUNT;
	}
	struct sbx_bwrap_found bw = h.bwrap;
	/* before anything runs the bubblewrap found, its --help probe included */
	if (ok && c == SBX_BACKEND_LINUX_BWRAP)
		ok = rt_bwrap_vet(ctx, &a, o, &bw) == SBX_OK;
	if (ok && o->recheck)
		ok = rt_recheck(ctx, &a, c == SBX_BACKEND_LINUX_BWRAP) == SBX_OK;
	int status = SBX_RT_EXIT_SANDBOX;
	if (ok && o->dry_run)
		status = dry_run(ctx, &a, o, c, &bw, kabi);
	else if (ok && c == SBX_BACKEND_LINUX_BWRAP)
		status = rt_launch_bwrap(ctx, &a, &bw, o);
	else if (ok && chdir(o->cwd) != 0)
		sbx_diag_emit(ctx, SBX_E0717, SBX_NO_SPAN, "cannot change to `%s`: %s",
		              sbx_diag_quote(ctx, o->cwd, strlen(o->cwd)), strerror(errno));
	else if (ok && c == SBX_BACKEND_LINUX_LANDLOCK)
		status = run_landlock(ctx, &a, o, kabi, restricted);
	else if (ok)
		status = exec_here(ctx, o); /* the profile disables the sandbox */
	return status;
}
