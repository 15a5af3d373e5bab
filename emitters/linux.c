/*
** linux.c: the Linux target as a whole. Runs the bubblewrap, Landlock and
** seccomp emitters for one resolved policy and writes manifest.json, the
** index the runtime reads first: which backends enforce the profile (and
** why not), the Landlock ABI needed, the files of each, and every
** filesystem fact the resolution observed or assumed, which `sbxc exec`
** re-checks before it runs anything.
**
** Pipeline position: resolved policy -> emitters (this file drives them) ->
** artifacts -> runtime/.
*/
#include "emit_int.h"
#include "strbuf.h"

#include <string.h>

static const struct sbx_emitter *const emitters[SBX_EMIT_COUNT] = {
    [SBX_EMIT_BWRAP] = &sbx_emitter_bwrap,
    [SBX_EMIT_LANDLOCK] = &sbx_emitter_landlock,
    [SBX_EMIT_SECCOMP] = &sbx_emitter_seccomp,
};

const struct sbx_emitter *sbx_emitter_get(enum sbx_emit_target t)
{
	return t < SBX_EMIT_COUNT ? emitters[t] : NULL;
}

static const char *origin_reason(const struct sbx_fact *f)
{
	return f->reason ? f->reason : "";
}

static json_t *facts_json(const struct sbx_resolved *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nfacts; i++) {
		const struct sbx_fact *f = &r->facts[i];
		json_t *o = json_object();
		json_object_set_new(o, "path", json_string(f->path));
		json_object_set_new(o, "kind", json_string(sbx_fact_kind_name(f->kind)));
		if (f->target)
			json_object_set_new(o, "target", json_string(f->target));
		json_object_set_new(o, "reason", json_string(origin_reason(f)));
		json_object_set_new(o, "assumed", json_boolean(f->assumed));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *reasons_json(const struct sbx_enforcement *e)
{
	json_t *a = json_array();
	for (size_t i = 0; i < e->nreasons; i++) {
		struct sbx_strbuf sb = SBX_STRBUF_INIT;
		sbx_sb_addf(&sb, "%s: %s", sbx_diag_code_name(e->reasons[i]->code),
		            e->reasons[i]->msg);
		json_array_append_new(a, json_string(sb.buf));
		sbx_sb_release(&sb);
	}
	return a;
}

static json_t *backend_json(const struct sbx_resolved *r, enum sbx_backend b, bool emitted,
                            const char *const *files, size_t nfiles)
{
	const struct sbx_enforcement *e = &r->enforce[b];
	json_t *o = json_object();
	json_object_set_new(o, "enforces", json_boolean(e->ok));
	if (b == SBX_BACKEND_LINUX_LANDLOCK)
		json_object_set_new(o, "landlock_abi", json_integer(e->landlock_abi));
	json_object_set_new(o, "files",
	                    emitted ? sbx_emit_json_strings(files, nfiles) : json_array());
	if (!e->ok)
		json_object_set_new(o, "reasons", reasons_json(e));
	return o;
}

static json_t *resolution_json(const struct sbx_resolved *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "cwd", json_string(r->opts.cwd));
	json_object_set_new(o, "home", r->opts.home ? json_string(r->opts.home) : json_null());
	json_object_set_new(o, "tmpdir",
	                    r->opts.tmpdir ? json_string(r->opts.tmpdir) : json_null());
	json_object_set_new(o, "workspace_roots",
	                    sbx_emit_json_strings(r->workspace_roots, r->nworkspace_roots));
	return o;
}

static json_t *manifest(const struct sbx_resolved *r, const struct sbx_emit_opts *o, bool bwrap,
                        bool landlock, bool seccomp)
{
	static const char *const bwrap_files[] = {SBX_ART_BWRAP_ARGS, SBX_ART_BWRAP_JSON};
	static const char *const landlock_files[] = {SBX_ART_LANDLOCK_JSON};
	static const char *const seccomp_files[] = {SBX_ART_SECCOMP_BPF, SBX_ART_SECCOMP_JSON};
	json_t *m = json_object(), *backends = json_object();
	json_object_set_new(m, "sbxc_artifacts", json_integer(SBX_ARTIFACT_VERSION));
	json_object_set_new(m, "target", json_string("linux"));
	const char *arch = sbx_seccomp_arch();
	json_object_set_new(m, "arch", arch ? json_string(arch) : json_null());
	json_object_set_new(m, "profile", json_string(r->profile ? r->profile->name : ""));
	json_object_set_new(m, "sandbox", json_string(r->disabled ? "disabled" : "enabled"));
	json_object_set_new(m, "probed", json_boolean(o->probe));
	json_object_set_new(m, "resolution", resolution_json(r));
	json_object_set_new(m, "network",
	                    json_string(r->network_enabled ? "enabled" : "restricted"));
	json_object_set_new(m, "backend_choice",
	                    json_string("auto: linux-landlock when it enforces the profile and "
	                                "the kernel's Landlock ABI is at least the ruleset's "
	                                "(landlock.json `abi`: landlock_abi, but never below "
	                                "6, for scopes), else linux-bwrap"));
	if (!r->disabled) {
		json_object_set_new(
		    backends, "linux-landlock",
		    backend_json(r, SBX_BACKEND_LINUX_LANDLOCK, landlock, landlock_files, 1));
		json_object_set_new(
		    backends, "linux-bwrap",
		    backend_json(r, SBX_BACKEND_LINUX_BWRAP, bwrap, bwrap_files, 2));
	}
	json_object_set_new(m, "backends", backends);
	json_object_set_new(m, "seccomp", sbx_emit_json_strings(seccomp_files, seccomp ? 2 : 0));
	if (r->nunreadable_globs)
		json_object_set_new(
		    m, "deny_globs",
		    json_string("expanded to the files they matched when the "
		                "artifacts were built (a snapshot, see bwrap.json); "
		                "`sbxc exec` refuses to run when the matches changed"));
	json_object_set_new(m, "facts", facts_json(r));
	return m;
}

enum sbx_status sbx_emit_linux(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                               const struct sbx_emit_opts *o, struct sbx_sink *sink)
{
	bool bw = false, ll = false, sc = false;
	enum sbx_status st = SBX_OK;
	if (!r->disabled) {
		bool bw_ok = r->enforce[SBX_BACKEND_LINUX_BWRAP].ok;
		bool ll_ok = r->enforce[SBX_BACKEND_LINUX_LANDLOCK].ok;
		if (!bw_ok && !ll_ok) {
			sbx_emit_check_backend(ctx, r, SBX_BACKEND_LINUX_BWRAP);
			return SBX_EUNSUPPORTED;
		}
		const struct sbx_emitter *sec = sbx_emitter_get(SBX_EMIT_SECCOMP);
		st = sec->check(ctx, r);
		if (st == SBX_OK)
			st = sec->emit(ctx, r, o, sink);
		sc = st == SBX_OK;
		if (st == SBX_OK && ll_ok && !o->skip_landlock) {
			st = sbx_emitter_get(SBX_EMIT_LANDLOCK)->emit(ctx, r, o, sink);
			ll = st == SBX_OK;
		}
		if (st == SBX_OK && bw_ok && !o->skip_bwrap) {
			st = sbx_emitter_get(SBX_EMIT_BWRAP)->emit(ctx, r, o, sink);
			bw = st == SBX_OK;
		}
		if (st != SBX_OK)
			return st;
	}
	return sbx_sink_put_json(ctx, sink, SBX_ART_MANIFEST, manifest(r, o, bw, ll, sc));
}
