/*
** api.c: libsbxc's public API (include/sbxc.h), a thin layer over the
** compiler (load.h, resolve.h, explain.h) and the emitters (target.h,
** emitter.h). It decides nothing itself: every answer is the semantic
** pass's, and every diagnostic the passes' own.
*/
#include "sbxc.h"

#include "emitter.h"
#include "explain.h"
#include "load.h"
#include "resolve.h"
#include "sbx_limits.h"
#include "target.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum stage { STAGE_NEW, STAGE_COMPILED, STAGE_FAILED };

struct sbxc_policy {
	struct sbx_ctx *ctx;
	struct sbx_document doc;
	bool loaded;
	const char *policy_path;    /* the policy file, absolute; NULL for a buffer or stdin */
	const char *profile, *mode; /* the selection (arena copies), NULL for none */
	/* the resolution context as given; what is not given takes a default */
	enum sbx_target_os os;
	enum sbx_flavor flavor;
	bool flavor_given, offline;
	const char *cwd, *home, *tmpdir;
	const char **env; /* NULL-terminated arena copy */
	bool home_given, tmpdir_given, env_given;
	const char *roots[SBX_MAX_WORKSPACE_ROOTS + 1]; /* one more: the resolution reports E0011 */
	size_t nroots;
	enum stage stage;
	struct sbx_resolved *r;
	struct sbx_bundle bundle; /* the last emitted artifacts */
};

static enum sbx_flavor os_flavor(enum sbx_target_os os)
{
	return os == SBX_OS_WINDOWS ? SBX_FLAVOR_WINDOWS : SBX_FLAVOR_POSIX;
}

static const char *copy(struct sbxc_policy *p, const char *s)
{
	return s ? sbx_arena_strdup(&p->ctx->arena, s) : NULL;
}

const char *sbx_version(void)
{
	return SBXC_VERSION_STRING;
}

unsigned sbx_version_number(void)
{
	return SBXC_VERSION_NUMBER;
}

struct sbxc_policy *sbx_policy_new(void)
{
	struct sbxc_policy *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->ctx = sbx_ctx_new();
	p->os = sbx_host_os();
	return p;
}

void sbx_policy_free(struct sbxc_policy *p)
{
	if (!p)
		return;
	sbx_ctx_free(&p->ctx);
	free(p);
}

/* ---- input and selection ---- */

static enum sbxc_status loaded(struct sbxc_policy *p, enum sbx_status st)
{
	p->loaded = true;
	if (st == SBX_OK)
		return SBXC_OK;
	return st == SBX_EIO ? SBXC_EIO : SBXC_EPOLICY;
}

enum sbxc_status sbx_policy_load_file(struct sbxc_policy *p, const char *path)
{
	if (!p || !path || p->loaded || p->stage != STAGE_NEW)
		return SBXC_EINVAL;
	if (strcmp(path, "-") != 0)
		p->policy_path = sbx_ctx_absolute(p->ctx, path);
	return loaded(p, sbx_load_file(p->ctx, path, &p->doc));
}

enum sbxc_status sbx_policy_load_buffer(struct sbxc_policy *p, const char *name, const char *text,
                                        size_t len)
{
	if (!p || !name || (!text && len) || p->loaded || p->stage != STAGE_NEW)
		return SBXC_EINVAL;
	return loaded(p, sbx_load_text(p->ctx, name, text ? text : "", len, &p->doc));
}

enum sbxc_status sbx_policy_select_profile(struct sbxc_policy *p, const char *name)
{
	if (!p || p->stage != STAGE_NEW)
		return SBXC_EINVAL;
	p->profile = copy(p, name);
	p->mode = NULL;
	return SBXC_OK;
}

enum sbxc_status sbx_policy_select_legacy(struct sbxc_policy *p, const char *mode)
{
	if (!p || !mode || p->stage != STAGE_NEW)
		return SBXC_EINVAL;
	p->mode = copy(p, mode);
	p->profile = NULL;
	return SBXC_OK;
}

/* ---- the resolution context ---- */

enum sbxc_status sbx_policy_set_target(struct sbxc_policy *p, const char *os)
{
	if (!p || !os || p->stage != STAGE_NEW)
		return SBXC_EINVAL;
	for (int i = 0; i < SBX_OS_COUNT; i++) {
		if (strcmp(os, sbx_target_os_name((enum sbx_target_os)i)) == 0) {
			p->os = (enum sbx_target_os)i;
			return SBXC_OK;
		}
	}
	return SBXC_EINVAL;
}

enum sbxc_status sbx_policy_set_flavor(struct sbxc_policy *p, enum sbxc_flavor f)
{
	if (!p || p->stage != STAGE_NEW || (f != SBXC_FLAVOR_POSIX && f != SBXC_FLAVOR_WINDOWS))
		return SBXC_EINVAL;
	p->flavor = f == SBXC_FLAVOR_WINDOWS ? SBX_FLAVOR_WINDOWS : SBX_FLAVOR_POSIX;
	p->flavor_given = true;
	return SBXC_OK;
}

enum sbxc_status sbx_policy_set_cwd(struct sbxc_policy *p, const char *dir)
{
	if (!p || !dir || p->stage != STAGE_NEW)
		return SBXC_EINVAL;
	p->cwd = copy(p, dir);
	return SBXC_OK;
}

enum sbxc_status sbx_policy_add_workspace_root(struct sbxc_policy *p, const char *dir)
{
	if (!p || !dir || p->stage != STAGE_NEW)
		return SBXC_EINVAL;
	/* never drop a root silently: its `:workspace_roots` entries would not
	** apply; one past the limit is kept for the resolution to report */
	if (p->nroots == sizeof p->roots / sizeof p->roots[0])
		return SBXC_EINVAL;
	p->roots[p->nroots++] = copy(p, dir);
	return SBXC_OK;
}

enum sbxc_status sbx_policy_set_home(struct sbxc_policy *p, const char *dir)
{
	if (!p || p->stage != STAGE_NEW)
		return SBXC_EINVAL;
	p->home = copy(p, dir);
	p->home_given = true;
	return SBXC_OK;
}

enum sbxc_status sbx_policy_set_tmpdir(struct sbxc_policy *p, const char *dir)
{
	if (!p || p->stage != STAGE_NEW)
		return SBXC_EINVAL;
	p->tmpdir = copy(p, dir);
	p->tmpdir_given = true;
	return SBXC_OK;
}

enum sbxc_status sbx_policy_set_environment(struct sbxc_policy *p, const char *const *env)
{
	if (!p || p->stage != STAGE_NEW)
		return SBXC_EINVAL;
	size_t n = 0;
	while (env && env[n])
		n++;
	p->env = sbx_arena_alloc(&p->ctx->arena, (n + 1) * sizeof *p->env);
	for (size_t i = 0; i < n; i++)
		p->env[i] = copy(p, env[i]);
	p->env[n] = NULL;
	p->env_given = true;
	return SBXC_OK;
}

enum sbxc_status sbx_policy_set_offline(struct sbxc_policy *p, int offline)
{
	if (!p || p->stage != STAGE_NEW)
		return SBXC_EINVAL;
	p->offline = offline != 0;
	return SBXC_OK;
}

/* The options of the resolution: what was given, else this machine's
** defaults when the flavour is this machine's (none otherwise). */
static void resolve_opts(struct sbxc_policy *p, struct sbx_resolve_opts *o)
{
	memset(o, 0, sizeof *o);
	o->os = p->os;
	o->os_given = true;
	o->flavor = p->flavor_given ? p->flavor : os_flavor(p->os);
	bool native = o->flavor == os_flavor(sbx_host_os());
	o->probe = !p->offline && p->os == sbx_host_os() && native;
	struct sbx_host_defaults hd = {0};
	if (native)
		sbx_host_defaults(p->ctx, &hd);
	o->cwd = p->cwd ? p->cwd : hd.cwd;
	o->home = p->home_given ? p->home : hd.home;
	o->tmpdir = p->tmpdir_given ? p->tmpdir : hd.tmpdir;
	o->env = p->env_given ? (const char *const *)p->env : hd.env;
	o->extra_roots = p->roots;
	o->nextra_roots = p->nroots;
}

enum sbxc_status sbx_policy_compile(struct sbxc_policy *p)
{
	if (!p || p->stage != STAGE_NEW)
		return SBXC_EINVAL;
	p->stage = STAGE_FAILED;
	if (p->loaded && !p->doc.root)
		return SBXC_EPOLICY; /* not TOML, or not readable: reported */
	if (sbx_diag_errors(p->ctx))
		return SBXC_EPOLICY;
	struct sbx_profile *prof =
	    sbx_load_profile(p->ctx, p->loaded ? &p->doc : NULL, p->profile, p->mode);
	if (!prof)
		return SBXC_EPOLICY;
	struct sbx_resolve_opts o;
	resolve_opts(p, &o);
	p->r = sbx_resolve(p->ctx, prof, &o);
	if (!p->r || sbx_diag_errors(p->ctx))
		return SBXC_EPOLICY;
	p->stage = STAGE_COMPILED;
	return SBXC_OK;
}

/* ---- diagnostics as data ---- */

static struct sbxc_location location(struct sbx_ctx *ctx, struct sbx_span span)
{
	struct sbxc_location l = {0};
	struct sbx_source *src = sbx_ctx_source(ctx, span.file);
	if (!src)
		return l;
	struct sbx_linecol a = sbx_source_linecol(&ctx->arena, src, span.start);
	struct sbx_linecol b = sbx_source_linecol(&ctx->arena, src, span.end);
	l.file = src->name;
	l.line = a.line;
	l.column = a.col;
	l.end_line = b.line;
	l.end_column = b.col;
	return l;
}

static enum sbxc_severity severity(const struct sbx_diag *d)
{
	if (d->sev == SBX_SEV_ERROR || d->promoted)
		return SBXC_SEVERITY_ERROR;
	return d->sev == SBX_SEV_WARNING ? SBXC_SEVERITY_WARNING : SBXC_SEVERITY_NOTE;
}

static void diagnostic(struct sbx_ctx *ctx, const struct sbx_diag *d, struct sbxc_diagnostic *out)
{
	out->code = sbx_diag_code_name(d->code);
	out->severity = severity(d);
	out->where = location(ctx, d->span);
	out->message = d->msg;
	out->nnotes = 0;
	for (const struct sbx_diag_note *n = d->notes; n; n = n->next)
		out->nnotes++;
}

size_t sbx_policy_diagnostic_count(const struct sbxc_policy *p)
{
	return p ? p->ctx->ndiags : 0;
}

size_t sbx_policy_error_count(const struct sbxc_policy *p)
{
	return p ? sbx_diag_errors_shown(p->ctx) : 0;
}

enum sbxc_status sbx_policy_diagnostic(struct sbxc_policy *p, size_t i, struct sbxc_diagnostic *out)
{
	if (!p || !out || i >= p->ctx->ndiags)
		return SBXC_EINVAL;
	diagnostic(p->ctx, p->ctx->diags[i], out);
	return SBXC_OK;
}

enum sbxc_status sbx_policy_diagnostic_note(struct sbxc_policy *p, size_t i, size_t j,
                                            struct sbxc_note *out)
{
	if (!p || !out || i >= p->ctx->ndiags)
		return SBXC_EINVAL;
	const struct sbx_diag_note *n = p->ctx->diags[i]->notes;
	for (; n && j; n = n->next)
		j--;
	if (!n)
		return SBXC_EINVAL;
	out->help = n->kind == SBX_NOTE_HELP;
	out->where = location(p->ctx, n->span);
	out->message = n->msg;
	return SBXC_OK;
}

/* ---- queries of the resolved policy ---- */

static enum sbxc_access access_of(enum sbx_access a)
{
	switch (a) {
	case SBX_ACCESS_WRITE:
		return SBXC_ACCESS_WRITE;
	case SBX_ACCESS_READ:
		return SBXC_ACCESS_READ;
	default:
		return SBXC_ACCESS_DENY;
	}
}

/* The whole entry `key = value`, from its key to its value. */
static struct sbxc_location entry_location(struct sbx_ctx *ctx, const struct sbx_fs_entry *e)
{
	struct sbx_span s = e->key_span;
	if (e->value_span.file == s.file && e->value_span.end > s.end)
		s.end = e->value_span.end;
	return location(ctx, s);
}

enum sbxc_status sbx_policy_access(struct sbxc_policy *p, const char *path,
                                   struct sbxc_decision *out)
{
	if (!p || !path || !out || p->stage != STAGE_COMPILED)
		return SBXC_EINVAL;
	const char *abs = sbx_explain_path(p->ctx, p->r, path);
	if (!abs)
		return SBXC_EINVAL;
	struct sbx_decision why;
	memset(out, 0, sizeof *out);
	out->access = access_of(sbx_resolved_access(p->r, abs, &why));
	out->path = abs;
	out->origin = sbx_origin_name(why.origin);
	out->matched = why.matched;
	out->write_blocked_by_name = why.write_blocked_by_name;
	/* the deciding entry; for a carve-out, the entry whose write it refused */
	const struct sbx_fs_entry *e = why.src ? why.src : why.granted_by;
	if (e) {
		out->rule = sbx_entry_text(p->ctx, e);
		out->rule_where = entry_location(p->ctx, e);
	}
	if (why.carveout) {
		out->matched = why.carveout->path;
		out->reason = sbx_explain_carveout(p->ctx, p->r, &why);
	}
	return SBXC_OK;
}

/* The backend the target table's chooser would pick for r on os, assuming
** every backend can run there (as lint and compile do), or
** SBX_BACKEND_COUNT: asking is not an error, so nothing is reported. */
static enum sbx_backend chosen_backend(const struct sbx_resolved *r, enum sbx_target_os os)
{
	struct sbx_choice c;
	sbx_choice_from_resolved(&c, sbx_target_get(os), r);
	return sbx_target_preferred(&c);
}

size_t sbx_policy_backend_count(const struct sbxc_policy *p)
{
	return p && p->stage == STAGE_COMPILED ? SBX_BACKEND_COUNT : 0;
}

enum sbxc_status sbx_policy_backend(struct sbxc_policy *p, size_t i, struct sbxc_backend *out)
{
	if (!p || !out || i >= sbx_policy_backend_count(p))
		return SBXC_EINVAL;
	enum sbx_backend b = (enum sbx_backend)i;
	const struct sbx_enforcement *e = &p->r->enforce[b];
	enum sbx_target_os os = sbx_backend_os(b);
	out->name = sbx_backend_name(b);
	out->target = sbx_target_os_name(os);
	out->applicable = e->applicable;
	out->enforces = e->ok;
	out->chosen = os == p->r->os && chosen_backend(p->r, os) == b;
	out->nreasons = e->nreasons;
	return SBXC_OK;
}

enum sbxc_status sbx_policy_backend_reason(struct sbxc_policy *p, size_t i, size_t j,
                                           struct sbxc_diagnostic *out)
{
	if (!p || !out || i >= sbx_policy_backend_count(p) || j >= p->r->enforce[i].nreasons)
		return SBXC_EINVAL;
	diagnostic(p->ctx, p->r->enforce[i].reasons[j], out);
	return SBXC_OK;
}

/* ---- artifacts ---- */

/* After a failed emit, an existing directory keeps no artifacts of an
** earlier one either (`sbxc exec` must not run those with these): every
** file any target of the table can write is removed. */
static void remove_stale(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	for (int os = 0; os < SBX_OS_COUNT; os++) {
		const struct sbx_target *t = sbx_target_get((enum sbx_target_os)os);
		for (size_t i = 0; i < t->nfiles; i++)
			unlinkat(fd, t->files[i].name, 0);
	}
	close(fd);
}

enum sbxc_status sbx_policy_emit(struct sbxc_policy *p, const char *target)
{
	if (!p || !target || p->stage != STAGE_COMPILED)
		return SBXC_EINVAL;
	/* the target must be the one the policy was resolved for */
	const struct sbx_target *t = sbx_target_lookup(target);
	if (!t || t->os != p->r->os || !t->manifest)
		return SBXC_EINVAL;
	memset(&p->bundle, 0, sizeof p->bundle);
	struct sbx_sink sink = {.kind = SBX_SINK_BUNDLE, .bundle = &p->bundle};
	struct sbx_emit_opts eo = {.probe = p->r->opts.probe};
	struct sbx_choice c;
	sbx_choice_from_resolved(&c, t, p->r);
	if ((!p->r->disabled && sbx_target_choose(p->ctx, &c) == SBX_BACKEND_COUNT) ||
	    sbx_target_emit(p->ctx, t, p->r, &eo, SBX_BACKEND_AUTO, &sink) != SBX_OK) {
		memset(&p->bundle, 0, sizeof p->bundle);
		return SBXC_EPOLICY;
	}
	return SBXC_OK;
}

enum sbxc_status sbx_policy_emit_dir(struct sbxc_policy *p, const char *target, const char *dir)
{
	if (!p || !dir)
		return SBXC_EINVAL;
	enum sbxc_status st = sbx_policy_emit(p, target);
	if (st != SBXC_OK) {
		remove_stale(dir);
		return st;
	}
	struct sbx_ctx *ctx = p->ctx;
	/* a command run under the artifacts must not be able to rewrite them
	** or the policy: the semantic pass's check (E0719, E0720), as for
	** `sbxc compile -o DIR FILE` */
	const char *abs = sbx_ctx_absolute(ctx, dir);
	if (!abs)
		return SBXC_EIO;
	bool dir_ok = sbx_resolved_guard(ctx, p->r, abs, false);
	if (!sbx_resolved_guard(ctx, p->r, p->policy_path, true) || !dir_ok) {
		remove_stale(dir);
		return SBXC_EPOLICY;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		sbx_diag_emit(ctx, SBX_E0717, SBX_NO_SPAN, "cannot create `%s`: %s",
		              sbx_diag_quote(ctx, dir, strlen(dir)), strerror(errno));
		return SBXC_EIO;
	}
	struct sbx_sink sink = {.kind = SBX_SINK_DIR, .dirname = dir};
	sink.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sink.dirfd < 0) {
		sbx_diag_emit(ctx, SBX_E0717, SBX_NO_SPAN, "cannot open `%s`: %s",
		              sbx_diag_quote(ctx, dir, strlen(dir)), strerror(errno));
		return SBXC_EIO;
	}
	remove_stale(dir);
	for (size_t i = 0; st == SBXC_OK && i < p->bundle.n; i++)
		if (sbx_sink_put(ctx, &sink, p->bundle.files[i].name, p->bundle.files[i].data,
		                 p->bundle.files[i].len) != SBX_OK)
			st = SBXC_EIO;
	close(sink.dirfd);
	if (st != SBXC_OK) /* no partial set is left behind */
		remove_stale(dir);
	return st;
}

size_t sbx_policy_artifact_count(const struct sbxc_policy *p)
{
	return p ? p->bundle.n : 0;
}

enum sbxc_status sbx_policy_artifact(const struct sbxc_policy *p, size_t i,
                                     struct sbxc_artifact *out)
{
	if (!p || !out || i >= p->bundle.n)
		return SBXC_EINVAL;
	out->name = p->bundle.files[i].name;
	out->data = p->bundle.files[i].data;
	out->size = p->bundle.files[i].len;
	return SBXC_OK;
}
