/*
** linux.c: the manifest writer of the Linux target (its row in table.c).
** manifest.json is the index the runtime reads first: which backends
** enforce the profile (and why not), in the order `sbxc exec` chooses
** from, the Landlock ABI needed, the files of each, and every filesystem
** fact the resolution observed or assumed, which `sbxc exec` re-checks
** before it runs anything. spec/artifacts.md describes the format.
**
** Pipeline position: resolved policy -> emitters (table.c drives them) ->
** artifacts -> runtime/.
*/
#include "diag_json.h"
#include "emit_int.h"
#include "strbuf.h"

#include <string.h>

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

static json_t *reasons_json(struct sbx_ctx *ctx, const struct sbx_enforcement *e)
{
	json_t *a = json_array();
	for (size_t i = 0; i < e->nreasons; i++)
		json_array_append_new(a, sbx_diag_to_json(ctx, e->reasons[i], NULL));
	return a;
}

static json_t *backend_json(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                            const struct sbx_target_backend *tb, bool emitted)
{
	const struct sbx_enforcement *e = &r->enforce[tb->id];
	json_t *o = json_object(), *files = json_array();
	json_object_set_new(o, "enforces", json_boolean(e->ok));
	if (tb->id == SBX_BACKEND_LINUX_LANDLOCK)
		json_object_set_new(o, "landlock_abi", json_integer(e->landlock_abi));
	for (size_t i = 0; emitted && i < tb->nfiles; i++)
		json_array_append_new(files, json_string(tb->files[i].name));
	json_object_set_new(o, "files", files);
	if (!e->ok)
		json_object_set_new(o, "reasons", reasons_json(ctx, e));
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

enum sbx_status sbx_linux_manifest(struct sbx_ctx *ctx, const struct sbx_target *t,
                                   const struct sbx_resolved *r, const struct sbx_emit_opts *o,
                                   const bool *emitted, struct sbx_sink *sink)
{
	json_t *m = json_object(), *backends = json_object(), *shared = json_array();
	json_object_set_new(m, "sbxc_artifacts", json_integer(SBX_ARTIFACT_VERSION));
	json_object_set_new(m, "target", json_string(t->name));
	const char *arch = sbx_seccomp_arch();
	json_object_set_new(m, "arch", arch ? json_string(arch) : json_null());
	json_object_set_new(m, "profile", json_string(r->profile ? r->profile->name : ""));
	json_object_set_new(m, "sandbox", json_string(r->disabled ? "disabled" : "enabled"));
	json_object_set_new(m, "probed", json_boolean(o->probe));
	json_object_set_new(m, "resolution", resolution_json(r));
	json_object_set_new(m, "network",
	                    json_string(r->proxy_enforced    ? "proxy"
	                                : r->network_enabled ? "enabled"
	                                                     : "restricted"));
	/* in the target's order of preference: `sbxc exec` chooses from it */
	for (size_t i = 0; !r->disabled && i < t->nbackends; i++)
		json_object_set_new(backends, sbx_backend_name(t->backends[i].id),
		                    backend_json(ctx, r, &t->backends[i], emitted[i]));
	json_object_set_new(m, "backends", backends);
	for (size_t i = 0; !r->disabled && i < t->nshared_files; i++)
		json_array_append_new(shared, json_string(t->shared_files[i].name));
	json_object_set_new(m, "seccomp", shared);
	if (r->nunreadable_globs)
		json_object_set_new(
		    m, "deny_globs",
		    json_string("expanded to the files they matched when the "
		                "artifacts were built (a snapshot, see bwrap.json); "
		                "`sbxc exec` refuses to run when the matches changed"));
	json_object_set_new(m, "facts", facts_json(r));
	/* proxy-only: bubblewrap's files for the bridge (emitters/proxy.c) */
	const struct sbx_target_backend *bw = sbx_target_find_backend(t, SBX_BACKEND_LINUX_BWRAP);
	bool bw_emitted = false;
	for (size_t i = 0; i < t->nbackends; i++)
		bw_emitted |= &t->backends[i] == bw && emitted[i];
	if (r->proxy_enforced && bw_emitted) {
		const char *files[3];
		size_t n = sbx_proxy_files(r, files);
		json_object_set_new(m, "proxy", sbx_emit_json_strings(files, n));
	}
	return sbx_sink_put_json(ctx, sink, SBX_ART_MANIFEST, m);
}
