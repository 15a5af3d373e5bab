/*
** table.c: the table of targets (target.h) and the one function that
** chooses a target's backend. Every command that needs a backend asks
** sbx_target_choose(): `lint --targets` and `compile` without a host (they
** cannot know the machine that will run the command), `run` and `exec`
** with the runtime's answer to "can this backend run here?".
**
** Pipeline position: resolved policy -> this table -> the emitters of the
** chosen backends -> artifacts -> runtime/.
*/
#include "emit_int.h"
#include "sbpl.h"
#include "strbuf.h"
#include "target.h"

#include <string.h>

/* ---- the rows ---- */

#define ART_MODE 0644 /* artifacts are plain files; their directory guards them */
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Every file of the Linux target, manifest first; the backends' and the
** shared emitters' files are slices of it. */
static const struct sbx_artifact linux_files[] = {
    {SBX_ART_MANIFEST, ART_MODE},
    {SBX_ART_LANDLOCK_JSON, ART_MODE},
    {SBX_ART_BWRAP_ARGS, ART_MODE},
    {SBX_ART_BWRAP_JSON, ART_MODE},
    {SBX_ART_SECCOMP_BPF, ART_MODE},
    {SBX_ART_SECCOMP_JSON, ART_MODE},
    /* proxy-only runs of bubblewrap (emitters/proxy.c, listed by the manifest) */
    {SBX_ART_PROXY_JSON, ART_MODE},
    {SBX_ART_TINYPROXY_CONF, ART_MODE},
    {SBX_ART_TINYPROXY_FILTER, ART_MODE},
};

/* The Linux emitters (bwrap.c, landlock.c, seccomp.c, linux.c) use Linux
** interfaces and are built only for Linux (SBXC_LINUX_TARGET, set by
** emitters/CMakeLists.txt); elsewhere the row keeps its backends for lint
** and has no emitters. tests/macos/portable.sh builds this
** file without them. */
#ifdef SBXC_LINUX_TARGET
#define LINUX_EMITTER(e) (&(e))
#define LINUX_MANIFEST sbx_linux_manifest
static const struct sbx_emitter *const linux_shared[] = {&sbx_emitter_seccomp};
#define LINUX_SHARED linux_shared, N(linux_shared)
#else
#define LINUX_EMITTER(e) NULL
#define LINUX_MANIFEST NULL
#define LINUX_SHARED NULL, 0
#endif

static const struct sbx_target_backend linux_backends[] = {
    {SBX_BACKEND_LINUX_LANDLOCK, "landlock", LINUX_EMITTER(sbx_emitter_landlock), linux_files + 1,
     1},
    {SBX_BACKEND_LINUX_BWRAP, "bwrap", LINUX_EMITTER(sbx_emitter_bwrap), linux_files + 2, 2},
};

/* macOS: the Seatbelt profile, its parameters and the sandbox-exec argv
** (sbpl.c), manifest first. */
static const struct sbx_artifact macos_files[] = {
    {SBX_ART_MANIFEST, ART_MODE},
    {SBX_ART_SBPL_PROFILE, ART_MODE},
    {SBX_ART_SBPL_PARAMS, ART_MODE},
    {SBX_ART_SBPL_ARGV, ART_MODE},
};
static const struct sbx_target_backend macos_backends[] = {
    {SBX_BACKEND_MACOS_SEATBELT, "seatbelt", &sbx_emitter_sbpl, macos_files + 1, 3},
};

/* Windows: both backends write the same four files; only the one chosen
** writes them (emitters/windows.c). */
static const struct sbx_artifact windows_files[] = {
    {SBX_ART_MANIFEST, ART_MODE},     {SBX_ART_WIN_PLAN, ART_MODE}, {SBX_ART_WIN_SETUP, ART_MODE},
    {SBX_ART_WIN_TEARDOWN, ART_MODE}, {SBX_ART_WIN_RUN, ART_MODE},
};
static const struct sbx_target_backend windows_backends[] = {
    {SBX_BACKEND_WINDOWS_UNELEVATED, "unelevated", &sbx_emitter_win_unelevated, windows_files + 1,
     4},
    {SBX_BACKEND_WINDOWS_ELEVATED, "elevated", &sbx_emitter_win_elevated, windows_files + 1, 4},
};

static const struct sbx_target targets[SBX_OS_COUNT] = {
    [SBX_OS_MACOS] = {SBX_OS_MACOS, "macos", macos_backends, N(macos_backends), NULL, 0, NULL, 0,
                      macos_files, N(macos_files), sbx_macos_manifest},
    [SBX_OS_LINUX] = {SBX_OS_LINUX, "linux", linux_backends, N(linux_backends), LINUX_SHARED,
                      linux_files + 4, 2, linux_files, N(linux_files), LINUX_MANIFEST},
    [SBX_OS_WINDOWS] = {SBX_OS_WINDOWS, "windows", windows_backends, N(windows_backends), NULL, 0,
                        NULL, 0, windows_files, N(windows_files), sbx_windows_manifest},
};

const struct sbx_target *sbx_target_get(enum sbx_target_os os)
{
	return (size_t)os < SBX_OS_COUNT ? &targets[os] : NULL;
}

const struct sbx_target *sbx_target_lookup(const char *name)
{
	for (size_t i = 0; i < SBX_OS_COUNT; i++)
		if (strcmp(targets[i].name, name) == 0)
			return &targets[i];
	return NULL;
}

const struct sbx_target_backend *sbx_target_find_backend(const struct sbx_target *t,
                                                         enum sbx_backend b)
{
	for (size_t i = 0; i < t->nbackends; i++)
		if (t->backends[i].id == b)
			return &t->backends[i];
	return NULL;
}

bool sbx_target_parse_backend(const struct sbx_target *t, const char *s, enum sbx_backend *out)
{
	if (strcmp(s, "auto") == 0) {
		*out = SBX_BACKEND_AUTO;
		return true;
	}
	for (size_t i = 0; i < t->nbackends; i++)
		if (strcmp(s, t->backends[i].option) == 0 ||
		    strcmp(s, sbx_backend_name(t->backends[i].id)) == 0) {
			*out = t->backends[i].id;
			return true;
		}
	return false;
}

unsigned sbx_artifact_mode(const char *name)
{
	for (size_t os = 0; os < SBX_OS_COUNT; os++) {
		const struct sbx_target *t = &targets[os];
		for (size_t i = 0; i < t->nfiles; i++)
			if (strcmp(t->files[i].name, name) == 0)
				return t->files[i].mode;
	}
	return ART_MODE;
}

/* ---- choosing ---- */

/* Has d a note of this kind, span and text already? Backends often refuse
** for the same cause with the same hint; it is said once. */
static bool has_note(const struct sbx_diag *d, enum sbx_note_kind kind, struct sbx_span span,
                     const char *msg)
{
	for (const struct sbx_diag_note *n = d->notes; n; n = n->next)
		if (n->kind == kind && n->span.file == span.file && n->span.start == span.start &&
		    n->span.end == span.end && strcmp(n->msg, msg) == 0)
			return true;
	return false;
}

/* One refusal of a backend as notes of d: the reason with its span and code,
** then the reason's own notes and help lines (a secondary span keeps its
** label), each tagged with the reason's code so that it stays attached to
** the reason in a flat list of notes. */
static void reason_notes(struct sbx_ctx *ctx, struct sbx_diag *d, const struct sbx_diag *why)
{
	const char *code = sbx_diag_code_name(why->code);
	sbx_diag_note(ctx, d, why->span, "[%s] %s", code, why->msg);
	for (const struct sbx_diag_note *n = why->notes; n; n = n->next) {
		struct sbx_strbuf sb = SBX_STRBUF_INIT;
		sbx_sb_addf(&sb, "[%s] %s", code, n->msg);
		if (!has_note(d, n->kind, n->span, sb.buf)) {
			if (n->kind == SBX_NOTE_HELP)
				sbx_diag_help(ctx, d, "%s", sb.buf);
			else
				sbx_diag_note(ctx, d, n->span, "%s", sb.buf);
		}
		sbx_sb_release(&sb);
	}
}

static void resolved_reasons(void *arg, struct sbx_ctx *ctx, enum sbx_backend b, struct sbx_diag *d)
{
	const struct sbx_resolved *r = arg;
	const struct sbx_enforcement *e = &r->enforce[b];
	for (size_t i = 0; i < e->nreasons; i++)
		reason_notes(ctx, d, e->reasons[i]);
	if (e->nmore)
		sbx_diag_note(ctx, d, SBX_NO_SPAN, "`%s`: %zu more reasons", sbx_backend_name(b),
		              e->nmore);
}

void sbx_choice_from_resolved(struct sbx_choice *c, const struct sbx_target *t,
                              const struct sbx_resolved *r)
{
	memset(c, 0, sizeof *c);
	c->target = t;
	c->forced = SBX_BACKEND_AUTO;
	for (size_t b = 0; b < SBX_BACKEND_COUNT; b++)
		c->state[b] = (struct sbx_backend_state){
		    .enforces = r->enforce[b].ok,
		    .emitted = true,
		    .landlock_abi = r->enforce[b].landlock_abi,
		};
	c->reasons = resolved_reasons;
	c->reasons_arg = (void *)r;
	c->profile = r->profile ? r->profile->name : "";
	c->span = r->profile ? r->profile->span : SBX_NO_SPAN;
}

static bool runs_here(struct sbx_ctx *ctx, const struct sbx_choice *c, enum sbx_backend b,
                      bool report)
{
	if (!c->host || !c->host->available)
		return true;
	return c->host->available(c->host->arg, ctx, c, b, report);
}

/* The E0707 of a backend the user named that cannot enforce the policy. */
static enum sbx_backend forced_refused(struct sbx_ctx *ctx, const struct sbx_choice *c)
{
	const struct sbx_target_backend *tb = sbx_target_find_backend(c->target, c->forced);
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0707, c->span,
	                                   "the `%s` backend cannot enforce this profile exactly",
	                                   tb ? tb->option : sbx_backend_name(c->forced));
	if (c->reasons)
		c->reasons(c->reasons_arg, ctx, c->forced, d);
	if (c->forced_by)
		sbx_diag_help(ctx, d, "leave out `%s` to let sbxc pick a backend that can",
		              c->forced_by);
	else
		sbx_diag_help(ctx, d,
		              "leave out `--%s-backend` to let sbxc pick a backend that can",
		              c->target->name);
	return SBX_BACKEND_COUNT;
}

/* No backend of the target enforces the policy: E0640 (W0601 when the target
** was only implied) with every backend's reasons. */
static enum sbx_backend none_enforces(struct sbx_ctx *ctx, const struct sbx_choice *c)
{
	const char *os = c->target->name;
	/* Windows refusals end as the fact sheet's do (§5.1) */
	struct sbx_diag *d = sbx_diag_emit(
	    ctx, c->implied ? SBX_W0601 : SBX_E0640, c->span,
	    "no %s backend can enforce profile `%s` exactly%s", os,
	    sbx_diag_quote(ctx, c->profile, strlen(c->profile)),
	    c->target->os == SBX_OS_WINDOWS && !c->implied ? "; refusing to run unsandboxed" : "");
	if (c->implied)
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "%s was checked because the profile names no OS-specific path; "
		              "`--targets %s` makes this an error",
		              os, os);
	/* in the order of enum sbx_backend, as `sbxc ir` lists the verdicts */
	for (size_t b = 0; c->reasons && b < SBX_BACKEND_COUNT; b++)
		if (sbx_target_find_backend(c->target, (enum sbx_backend)b))
			c->reasons(c->reasons_arg, ctx, (enum sbx_backend)b, d);
	sbx_diag_help(ctx, d,
	              "the command would not run: sbxc never falls back to a weaker "
	              "sandbox");
	return SBX_BACKEND_COUNT;
}

enum sbx_backend sbx_target_preferred(const struct sbx_choice *c)
{
	if (c->forced != SBX_BACKEND_AUTO)
		return (size_t)c->forced < SBX_BACKEND_COUNT && c->state[c->forced].enforces
		           ? c->forced
		           : SBX_BACKEND_COUNT;
	for (size_t i = 0; i < c->target->nbackends; i++)
		if (c->state[c->target->backends[i].id].enforces)
			return c->target->backends[i].id;
	return SBX_BACKEND_COUNT;
}

enum sbx_backend sbx_target_choose(struct sbx_ctx *ctx, const struct sbx_choice *c)
{
	const struct sbx_target *t = c->target;
	enum sbx_backend first = sbx_target_preferred(c);
	if (c->forced != SBX_BACKEND_AUTO) {
		if (first == SBX_BACKEND_COUNT)
			return forced_refused(ctx, c);
		return runs_here(ctx, c, c->forced, true) ? c->forced : SBX_BACKEND_COUNT;
	}
	if (first == SBX_BACKEND_COUNT)
		return none_enforces(ctx, c);
	enum sbx_backend fallback = SBX_BACKEND_COUNT;
	for (size_t i = 0; i < t->nbackends; i++) {
		enum sbx_backend b = t->backends[i].id;
		if (!c->state[b].enforces)
			continue;
		if (runs_here(ctx, c, b, false))
			return b;
		fallback = b;
	}
	runs_here(ctx, c, fallback, true); /* why the last one cannot run either */
	return SBX_BACKEND_COUNT;
}

/* ---- emitting ---- */

enum sbx_status sbx_target_emit(struct sbx_ctx *ctx, const struct sbx_target *t,
                                const struct sbx_resolved *r, const struct sbx_emit_opts *o,
                                enum sbx_backend only, struct sbx_sink *sink)
{
	bool emitted[SBX_BACKEND_COUNT] = {0};
	if (!t->manifest)
		return SBX_EUNSUPPORTED;
	enum sbx_status st = SBX_OK;
	if (!r->disabled) {
		for (size_t i = 0; st == SBX_OK && i < t->nshared; i++) {
			st = t->shared[i]->check(ctx, r);
			if (st == SBX_OK)
				st = t->shared[i]->emit(ctx, r, o, sink);
		}
		for (size_t i = 0; st == SBX_OK && i < t->nbackends; i++) {
			const struct sbx_target_backend *b = &t->backends[i];
			if (!r->enforce[b->id].ok || (only != SBX_BACKEND_AUTO && only != b->id))
				continue;
			st = b->emitter->emit(ctx, r, o, sink);
			emitted[i] = st == SBX_OK;
		}
		if (st != SBX_OK)
			return st;
	}
	return t->manifest(ctx, t, r, o, emitted, sink);
}
