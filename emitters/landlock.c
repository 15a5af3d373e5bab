/*
** landlock.c: the Landlock emitter. Resolved policy -> landlock.json, the
** ruleset the runtime applies with landlock_restrict_self(2).
**
** Landlock only grants, so it can enforce a policy exactly only when every
** readable and writable path is a plain root with nothing narrower below it;
** the semantic pass decides that (r->enforce[SBX_BACKEND_LINUX_LANDLOCK]) and
** says which ABI the policy needs. This emitter writes the grants:
**
**   readable roots, platform roots (`:minimal`)  execute, read_file, read_dir
**   writable roots                               every handled right
**   `/` when the whole disk is readable (or writable), which the semantic
**   pass does not list as a root
**   /dev/null /dev/zero /dev/full /dev/random /dev/urandom
**                                                read, write, truncate, ioctl
**
** The device nodes stand in for bubblewrap's private `--dev /dev`, so that
** `> /dev/null` works under both backends; ttys, ptys and /dev/shm are not
** granted (bubblewrap gives private ones; the host's would leak).
**
** The handled rights are every filesystem right up to the ruleset's ABI,
** which is the ABI the policy needs but at least SBX_LANDLOCK_ABI_MIN (6:
** truncate, device ioctls and scopes; see landlock_abi.h). The scopes match
** what bubblewrap's namespaces isolate: signals always, abstract UNIX
** sockets when the network is restricted. Paths that are missing when the
** ruleset is applied are skipped: a missing grant only takes access away.
*/
#include "emit_int.h"
#include "landlock_abi.h"
#include "path.h"

#include <stdlib.h>
#include <string.h>

static const char *const device_nodes[] = {
    "/dev/full", "/dev/null", "/dev/random", "/dev/urandom", "/dev/zero",
};

struct rule {
	const char *path;
	uint64_t access;
	const char *why;
};

struct rules {
	struct sbx_ctx *ctx;
	struct rule *v;
	size_t n, cap;
};

static void add(struct rules *rs, const char *path, uint64_t access, const char *why)
{
	for (size_t i = 0; i < rs->n; i++) {
		if (strcmp(rs->v[i].path, path) == 0) {
			rs->v[i].access |= access;
			return;
		}
	}
	rs->v = sbx_arena_grow(&rs->ctx->arena, rs->v, &rs->cap, rs->n + 1, sizeof *rs->v);
	rs->v[rs->n++] = (struct rule){path, access, why};
}

static int rule_cmp(const void *a, const void *b)
{
	const struct rule *x = a, *y = b;
	return sbx_path_cmp(SBX_FLAVOR_POSIX, x->path, y->path);
}

static uint64_t handled_for(int abi)
{
	uint64_t h = 0;
	for (size_t i = 0; i < SBX_LL_NFS_RIGHTS; i++)
		if (sbx_ll_fs_rights[i].abi <= abi)
			h |= sbx_ll_fs_rights[i].bit;
	return h;
}

static json_t *rights_json(uint64_t bits)
{
	json_t *a = json_array();
	for (size_t i = 0; i < SBX_LL_NFS_RIGHTS; i++)
		if (bits & sbx_ll_fs_rights[i].bit)
			json_array_append_new(a, json_string(sbx_ll_fs_rights[i].name));
	return a;
}

static json_t *ruleset_json(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	int abi = r->enforce[SBX_BACKEND_LINUX_LANDLOCK].landlock_abi;
	if (abi < SBX_LANDLOCK_ABI_MIN)
		abi = SBX_LANDLOCK_ABI_MIN;
	uint64_t handled = handled_for(abi);
	struct rules rs = {.ctx = ctx};
	enum sbx_access root = sbx_emit_access(r, "/"); /* full read is not a readable root */
	if (root != SBX_ACCESS_DENY)
		add(&rs, "/", root == SBX_ACCESS_WRITE ? handled : SBX_LL_READ, "filesystem root");
	for (size_t i = 0; i < r->nreadable_roots; i++)
		add(&rs, r->readable_roots[i].path, SBX_LL_READ, "readable root");
	if (r->include_platform_defaults)
		for (size_t i = 0; i < r->nplatform_read_roots; i++)
			add(&rs, r->platform_read_roots[i], SBX_LL_READ, "platform root");
	for (size_t i = 0; i < r->nwritable_roots; i++)
		add(&rs, r->writable_roots[i].root.path, handled, "writable root");
	for (size_t i = 0; i < sizeof device_nodes / sizeof device_nodes[0]; i++)
		add(&rs, device_nodes[i], SBX_LL_DEVICE & handled, "device node");
	if (rs.n > 1)
		qsort(rs.v, rs.n, sizeof *rs.v, rule_cmp);

	json_t *o = json_object(), *rules = json_array(), *scoped = json_array();
	json_object_set_new(o, "abi", json_integer(abi));
	json_object_set_new(o, "handled_access_fs", rights_json(handled));
	/* as bubblewrap's namespaces: signals always stay inside; abstract UNIX
	** sockets too when the network is restricted (a new network namespace
	** has its own abstract socket namespace) */
	for (size_t i = 0; i < SBX_LL_NSCOPES; i++)
		if (sbx_ll_scopes[i].bit != SBX_LL_SCOPE_ABSTRACT_UNIX_SOCKET ||
		    !r->network_enabled)
			json_array_append_new(scoped, json_string(sbx_ll_scopes[i].name));
	json_object_set_new(o, "scoped", scoped);
	json_object_set_new(o, "scoped_min_abi", json_integer(SBX_LANDLOCK_ABI_SCOPES));
	for (size_t i = 0; i < rs.n; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "path", json_string(rs.v[i].path));
		json_object_set_new(e, "access", rights_json(rs.v[i].access & handled));
		json_object_set_new(e, "why", json_string(rs.v[i].why));
		json_array_append_new(rules, e);
	}
	json_object_set_new(o, "rules", rules);
	json_object_set_new(o, "missing_paths",
	                    json_string("a rule whose path does not exist when the ruleset is "
	                                "applied is skipped (it would only grant)"));
	return o;
}

static enum sbx_status landlock_check(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	return sbx_emit_check_backend(ctx, r, SBX_BACKEND_LINUX_LANDLOCK);
}

static enum sbx_status landlock_emit(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                     const struct sbx_emit_opts *o, struct sbx_sink *sink)
{
	(void)o;
	if (!r->enforce[SBX_BACKEND_LINUX_LANDLOCK].ok)
		return SBX_EUNSUPPORTED;
	return sbx_sink_put_json(ctx, sink, SBX_ART_LANDLOCK_JSON, ruleset_json(ctx, r));
}

const struct sbx_emitter sbx_emitter_landlock = {
    .name = "landlock",
    .backend = SBX_BACKEND_LINUX_LANDLOCK,
    .check = landlock_check,
    .emit = landlock_emit,
};
