/*
** windows_plan.c: resolved policy -> the Windows plan (win_plan.h). The
** backend, the sandbox user and whether the firewall applies come from the
** semantic pass (r->enforce[b]); this file only lays them out as ACL entries
** and firewall rules, in an order where a failure half-way leaves the sandbox
** with less access, never more: denials before grants, and firewall rules
** that block everything before the one that is narrowed to the proxy ports.
*/
#include "arena.h"
#include "emit_int.h"
#include "strbuf.h"
#include "win_plan.h"

#include <stdlib.h>
#include <string.h>

struct builder {
	struct sbx_ctx *ctx;
	const struct sbx_resolved *r;
	struct sbx_win_plan *p;
	size_t capaces, capdirs, caprules;
};

static void ace(struct builder *b, const char *path, bool deny, const char *trustee,
                enum sbx_win_rights rights, const char *why)
{
	struct sbx_win_plan *p = b->p;
	for (size_t i = 0; i < p->naces; i++)
		if (p->aces[i].deny == deny && p->aces[i].rights == rights &&
		    strcmp(p->aces[i].trustee, trustee) == 0 &&
		    sbx_path_eq(SBX_FLAVOR_WINDOWS, p->aces[i].path, path))
			return;
	p->aces =
	    sbx_arena_grow(&b->ctx->arena, p->aces, &b->capaces, p->naces + 1, sizeof *p->aces);
	p->aces[p->naces++] = (struct sbx_win_ace){
	    .path = path, .deny = deny, .trustee = trustee, .rights = rights, .why = why};
}

static bool elevated(const struct builder *b)
{
	return b->p->backend == SBX_BACKEND_WINDOWS_ELEVATED;
}

/* Every capability whose writable root holds path (the root itself too). */
static void caps_over(struct builder *b, const char *path, bool deny, enum sbx_win_rights rights,
                      const char *why)
{
	for (size_t i = 0; i < b->p->ncaps; i++)
		if (sbx_path_is_prefix(SBX_FLAVOR_WINDOWS, b->p->caps[i].root, path))
			ace(b, path, deny, b->p->caps[i].name, rights, why);
}

static int cmp_str_path(const void *x, const void *y)
{
	return sbx_path_cmp(SBX_FLAVOR_WINDOWS, *(const char *const *)x, *(const char *const *)y);
}

/* The read-only paths under writable roots: the carve-outs and the
** protected names (which setup creates as directories when missing). */
static void read_only_paths(struct builder *b)
{
	const struct sbx_resolved *r = b->r;
	struct sbx_arena *a = &b->ctx->arena;
	const char **ro = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[i];
		for (size_t j = 0; j < w->nread_only; j++) {
			ro = sbx_arena_grow(a, ro, &cap, n + 1, sizeof *ro);
			ro[n++] = w->read_only[j].path;
		}
		for (size_t j = 0; j < w->nprotected; j++) {
			ro = sbx_arena_grow(a, ro, &cap, n + 1, sizeof *ro);
			ro[n++] = sbx_path_join(a, SBX_FLAVOR_WINDOWS, w->root.path,
			                        w->protected_names[j]);
		}
	}
	if (n)
		qsort(ro, n, sizeof *ro, cmp_str_path);
	for (size_t i = 0; i < n; i++) {
		if (i && sbx_path_eq(SBX_FLAVOR_WINDOWS, ro[i - 1], ro[i]))
			continue;
		/* an assumed-missing or missing path is created first: a deny ACE
		** needs an object, and an empty directory cannot be written */
		struct sbx_win_plan *p = b->p;
		bool made = false; /* a denied path below a writable root is one too */
		for (size_t j = 0; j < p->ncreate_dirs && !made; j++)
			made = sbx_path_eq(SBX_FLAVOR_WINDOWS, p->create_dirs[j], ro[i]);
		if (!made) {
			p->create_dirs =
			    sbx_arena_grow(a, p->create_dirs, &b->capdirs, p->ncreate_dirs + 1,
			                   sizeof *p->create_dirs);
			p->create_dirs[p->ncreate_dirs++] = ro[i];
		}
		if (elevated(b))
			ace(b, ro[i], true, "group", SBX_WIN_RIGHTS_DENY_WRITE,
			    "read-only carve-out");
		caps_over(b, ro[i], true, SBX_WIN_RIGHTS_DENY_WRITE, "read-only carve-out");
	}
}

static bool restricted_read(const struct builder *b)
{
	return elevated(b) && b->r->enforce[b->p->backend].restricted_read;
}

/* The paths read-execute is granted on: the cwd (elevated), and with a
** restricted read the readable roots and the platform roots (`:minimal`);
** not the writable roots, whose grant includes read. Sorted, unique. */
static const char **read_paths(struct builder *b, size_t *np)
{
	const struct sbx_resolved *r = b->r;
	const char **v = NULL;
	size_t n = 0, cap = 0;
	struct sbx_arena *a = &b->ctx->arena;
	*np = 0;
	if (!elevated(b))
		return NULL; /* the unelevated token does not restrict reads */
	v = sbx_arena_grow(a, v, &cap, n + 1, sizeof *v);
	v[n++] = r->opts.cwd;
	if (restricted_read(b)) {
		for (size_t i = 0; i < r->nreadable_roots; i++) {
			v = sbx_arena_grow(a, v, &cap, n + 1, sizeof *v);
			v[n++] = r->readable_roots[i].path;
		}
		for (size_t i = 0; i < r->nplatform_read_roots; i++) {
			v = sbx_arena_grow(a, v, &cap, n + 1, sizeof *v);
			v[n++] = r->platform_read_roots[i];
		}
	}
	qsort(v, n, sizeof *v, cmp_str_path);
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		bool skip = out && sbx_path_eq(SBX_FLAVOR_WINDOWS, v[out - 1], v[i]);
		for (size_t j = 0; j < r->nwritable_roots && !skip; j++)
			skip =
			    sbx_path_eq(SBX_FLAVOR_WINDOWS, r->writable_roots[j].root.path, v[i]);
		if (!skip)
			v[out++] = v[i];
	}
	*np = out;
	return v;
}

/* Restricted read: one read capability per read path, named read-1... in
** path order. The token's restricting SIDs are the capabilities alone, so
** the second access check passes only through sbxc's entries for them. */
static void read_caps(struct builder *b, const char *const *v, size_t n)
{
	if (!restricted_read(b))
		return;
	struct sbx_win_plan *p = b->p;
	struct sbx_win_cap *caps =
	    sbx_arena_alloc(&b->ctx->arena, (p->ncaps + n ? p->ncaps + n : 1) * sizeof *caps);
	memcpy(caps, p->caps, p->ncaps * sizeof *caps);
	for (size_t i = 0; i < n; i++)
		caps[p->ncaps + i] = (struct sbx_win_cap){
		    .name = sbx_arena_printf(&b->ctx->arena, "read-%zu", i + 1),
		    .root = v[i],
		    .read = true};
	p->caps = caps;
	p->ncaps += n;
}

static void read_grants(struct builder *b, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ace(b, v[i], false, "group", SBX_WIN_RIGHTS_READ, "readable root");
		for (size_t j = 0; j < b->p->ncaps; j++)
			if (b->p->caps[j].read &&
			    sbx_path_eq(SBX_FLAVOR_WINDOWS, b->p->caps[j].root, v[i]))
				ace(b, v[i], false, b->p->caps[j].name, SBX_WIN_RIGHTS_READ,
				    "readable root");
	}
}

/* Denied paths. Elevated with a restricted read only (the semantic pass
** refuses them elsewhere, E0622/E0631): deny read, and write, to the group
** and to every capability whose root holds the path. A path no capability
** holds is unreadable already and gets nothing. The path is created as an
** empty directory first, like a carve-out: a deny entry needs an object. */
static void denied_paths(struct builder *b)
{
	const struct sbx_resolved *r = b->r;
	struct sbx_win_plan *p = b->p;
	struct sbx_arena *a = &b->ctx->arena;
	size_t capd = 0;
	if (!restricted_read(b))
		return;
	for (size_t i = 0; i < r->nunreadable_roots; i++) {
		const char *u = r->unreadable_roots[i].path;
		bool held = false;
		for (size_t j = 0; j < p->ncaps && !held; j++)
			held = sbx_path_is_prefix(SBX_FLAVOR_WINDOWS, p->caps[j].root, u);
		if (!held)
			continue;
		p->denied = sbx_arena_grow(a, p->denied, &capd, p->ndenied + 1, sizeof *p->denied);
		p->denied[p->ndenied++] = u;
		p->create_dirs = sbx_arena_grow(a, p->create_dirs, &b->capdirs, p->ncreate_dirs + 1,
		                                sizeof *p->create_dirs);
		p->create_dirs[p->ncreate_dirs++] = u;
		ace(b, u, true, "group", SBX_WIN_RIGHTS_DENY_READ, "denied path");
		caps_over(b, u, true, SBX_WIN_RIGHTS_DENY_READ, "denied path");
		ace(b, u, true, "group", SBX_WIN_RIGHTS_DENY_WRITE, "denied path");
		for (size_t j = 0; j < p->ncaps; j++)
			if (!p->caps[j].read &&
			    sbx_path_is_prefix(SBX_FLAVOR_WINDOWS, p->caps[j].root, u))
				ace(b, u, true, p->caps[j].name, SBX_WIN_RIGHTS_DENY_WRITE,
				    "denied path");
	}
}

static const char **strs(struct sbx_ctx *ctx, size_t n, const char *const *v)
{
	const char **out = sbx_arena_alloc(&ctx->arena, (n ? n : 1) * sizeof *out);
	for (size_t i = 0; i < n; i++)
		out[i] = v[i];
	return out;
}

const char **sbx_win_port_complement(struct sbx_ctx *ctx, const uint16_t *ports, size_t nports,
                                     size_t *n)
{
	const char **out = sbx_arena_alloc(&ctx->arena, (nports + 1) * sizeof *out);
	*n = 0;
	unsigned lo = 1;
	for (size_t i = 0; i <= nports; i++) {
		unsigned hi = i < nports ? (unsigned)ports[i] - 1 : 65535;
		if (hi >= lo)
			out[(*n)++] = hi == lo ? sbx_arena_printf(&ctx->arena, "%u", lo)
			                       : sbx_arena_printf(&ctx->arena, "%u-%u", lo, hi);
		if (i < nports)
			lo = (unsigned)ports[i] + 1;
	}
	return out;
}

static void rule(struct builder *b, const char *name, enum sbx_win_proto proto, size_t naddr,
                 const char *const *addr, size_t nports, const char *const *ports, const char *why)
{
	struct sbx_win_plan *p = b->p;
	p->rules =
	    sbx_arena_grow(&b->ctx->arena, p->rules, &b->caprules, p->nrules + 1, sizeof *p->rules);
	p->rules[p->nrules++] = (struct sbx_win_fw_rule){
	    .name = name,
	    .proto = proto,
	    .remote_addresses = strs(b->ctx, naddr, addr),
	    .naddresses = naddr,
	    .remote_ports = strs(b->ctx, nports, ports),
	    .nports = nports,
	    .why = why,
	};
}

static void firewall(struct builder *b)
{
	static const char *const non_loopback[] = {
	    "0.0.0.0-126.255.255.255",
	    "128.0.0.0-255.255.255.255",
	    "::",
	    "::2-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	};
	static const char *const loopback[] = {"127.0.0.0/8", "::1"};
	static const char *const dns_smb[] = {"53", "139", "445", "853"};
	static const char *const all_ports[] = {"1-65535"};
	struct sbx_win_plan *p = b->p;
	p->firewall = true;
	rule(b, SBX_WIN_FW_PREFIX "block_outbound", SBX_WIN_PROTO_ANY, 4, non_loopback, 0, NULL,
	     "every non-loopback address");
	rule(b, SBX_WIN_FW_PREFIX "block_icmpv4", SBX_WIN_PROTO_ICMPV4, 0, NULL, 0, NULL, "ICMP");
	rule(b, SBX_WIN_FW_PREFIX "block_icmpv6", SBX_WIN_PROTO_ICMPV6, 0, NULL, 0, NULL, "ICMPv6");
	rule(b, SBX_WIN_FW_PREFIX "block_dns_smb_tcp", SBX_WIN_PROTO_TCP, 0, NULL, 4, dns_smb,
	     "DNS, DNS over TLS and SMB on any address");
	rule(b, SBX_WIN_FW_PREFIX "block_dns_smb_udp", SBX_WIN_PROTO_UDP, 0, NULL, 4, dns_smb,
	     "DNS, DNS over TLS and SMB on any address");
	const char *udp = SBX_WIN_FW_PREFIX "block_loopback_udp";
	const char *tcp = SBX_WIN_FW_PREFIX "block_loopback_tcp";
	if (p->allow_local_binding) {
		p->remove_rules = sbx_arena_alloc(&b->ctx->arena, 2 * sizeof *p->remove_rules);
		p->remove_rules[0] = tcp;
		p->remove_rules[1] = udp;
		p->nremove_rules = 2;
		return;
	}
#ifndef SBXC_TEST_BROKEN_WIN_UDP
	rule(b, udp, SBX_WIN_PROTO_UDP, 2, loopback, 0, NULL, "loopback UDP");
#endif
	rule(b, tcp, SBX_WIN_PROTO_TCP, 2, loopback, 1, all_ports,
	     "loopback TCP but the proxy ports (all ports until narrowed)");
	p->narrow_rule = tcp;
	p->narrow_ports =
	    sbx_win_port_complement(b->ctx, p->proxy_ports, p->nproxy_ports, &p->nnarrow_ports);
}

/* Why the backend was chosen: the semantic pass's reasons against the
** preferred (unelevated) one. */
static const char *reason(struct sbx_ctx *ctx, const struct sbx_resolved *r, enum sbx_backend b)
{
	if (b == SBX_BACKEND_WINDOWS_UNELEVATED)
		return "`windows-unelevated` enforces the profile exactly and needs no "
		       "administrator";
	const struct sbx_enforcement *u = &r->enforce[SBX_BACKEND_WINDOWS_UNELEVATED];
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_adds(&sb, "`windows-unelevated` cannot enforce the profile:");
	for (size_t i = 0; i < u->nreasons; i++)
		sbx_sb_addf(&sb, " [%s] %s", sbx_diag_code_name(u->reasons[i]->code),
		            u->reasons[i]->msg);
	const char *s = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return s;
}

struct sbx_win_plan *sbx_win_plan_build(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                        enum sbx_backend be)
{
	struct sbx_win_plan *p = sbx_arena_alloc(&ctx->arena, sizeof *p);
	memset(p, 0, sizeof *p);
	struct builder b = {.ctx = ctx, .r = r, .p = p};
	p->backend = be;
	p->cwd = r->opts.cwd;
	p->identity = r->enforce[be].identity;
	p->reason = reason(ctx, r, be);
	p->full_read = !r->enforce[be].restricted_read;
	p->cwd = r->opts.cwd;
	if (be == SBX_BACKEND_WINDOWS_ELEVATED)
		p->user = p->identity == SBX_WIN_IDENTITY_OFFLINE ? SBX_WIN_USER_OFFLINE
		                                                  : SBX_WIN_USER_ONLINE;
	/* the proxy ports and allow_local_binding are for the offline user only
	** (§5.6); the semantic pass decided them (r->net) */
	if (p->identity == SBX_WIN_IDENTITY_OFFLINE && be == SBX_BACKEND_WINDOWS_ELEVATED) {
		if (r->net.kind == SBX_NET_PROXY) {
			p->proxy_ports = r->net.ports;
			p->nproxy_ports = r->net.nports;
		}
		p->allow_local_binding = r->net.allow_local_binding;
		p->local_binding_from = r->net.local_binding_from;
	}
	p->ncaps = r->nwritable_roots;
	p->caps = sbx_arena_alloc(&ctx->arena, (p->ncaps ? p->ncaps : 1) * sizeof *p->caps);
	for (size_t i = 0; i < p->ncaps; i++)
		p->caps[i] =
		    (struct sbx_win_cap){.name = sbx_arena_printf(&ctx->arena, "cap-%zu", i + 1),
		                         .root = r->writable_roots[i].root.path};
	size_t nread;
	const char **rp = read_paths(&b, &nread);
	read_caps(&b, rp, nread);
	/* denials first: the denied paths, then deny-write on the carve-outs */
	denied_paths(&b);
	read_only_paths(&b);
	read_grants(&b, rp, nread);
	for (size_t i = 0; i < p->ncaps; i++) {
		if (p->caps[i].read)
			continue;
		if (elevated(&b))
			ace(&b, p->caps[i].root, false, "group", SBX_WIN_RIGHTS_MODIFY,
			    "writable root");
		ace(&b, p->caps[i].root, false, p->caps[i].name, SBX_WIN_RIGHTS_MODIFY,
		    "writable root");
	}
	if (be == SBX_BACKEND_WINDOWS_ELEVATED && p->identity == SBX_WIN_IDENTITY_OFFLINE)
		firewall(&b);
	/* Every run gets a restricted token whose restricting SIDs are the plan's
	** capabilities alone: write-restricted under full read (writes pass only
	** where a writable root's capability is granted; not where Everyone,
	** Users or the logon session may write, such as C:\Users\Public), and
	** checked for every access under a restricted read (spec/semantics.md) */
	p->restricted_token = true;
	p->write_restricted = !restricted_read(&b);
	return p;
}

const char *sbx_win_rights_name(enum sbx_win_rights r)
{
	switch (r) {
	case SBX_WIN_RIGHTS_MODIFY:
		return "read-write-execute-delete";
	case SBX_WIN_RIGHTS_READ:
		return "read-execute";
	case SBX_WIN_RIGHTS_DENY_WRITE:
		return "write";
	case SBX_WIN_RIGHTS_DENY_READ:
		return "read";
	}
	return "?";
}

const char *sbx_win_proto_name(enum sbx_win_proto p)
{
	static const char *const names[] = {"any", "tcp", "udp", "icmpv4", "icmpv6"};
	return names[p];
}

static json_t *str_array(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *sbx_win_plan_to_json(const struct sbx_win_plan *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "format", json_string("sbxc-windows-plan"));
	json_object_set_new(o, "version", json_integer(SBX_ARTIFACT_VERSION));
	json_object_set_new(o, "backend", json_string(sbx_backend_name(p->backend)));
	json_object_set_new(o, "identity", json_string(sbx_win_identity_name(p->identity)));
	json_object_set_new(o, "reason", json_string(p->reason));
	json_object_set_new(o, "user", p->user ? json_string(p->user) : json_null());
	json_object_set_new(o, "group",
	                    p->backend == SBX_BACKEND_WINDOWS_ELEVATED ? json_string(SBX_WIN_GROUP)
	                                                               : json_null());
	json_object_set_new(o, "cwd", json_string(p->cwd));
	json_object_set_new(o, "read", json_string(p->full_read ? "full" : "restricted"));
	json_t *caps = json_array();
	for (size_t i = 0; i < p->ncaps; i++) {
		json_t *c = json_object();
		json_object_set_new(c, "name", json_string(p->caps[i].name));
		json_object_set_new(c, "root", json_string(p->caps[i].root));
		json_object_set_new(c, "access", json_string(p->caps[i].read ? "read" : "write"));
		json_array_append_new(caps, c);
	}
	json_object_set_new(o, "capabilities", caps);
	json_t *tok = json_null();
	if (p->restricted_token) {
		tok = json_object();
		json_t *sids = json_array();
		for (size_t i = 0; i < p->ncaps; i++)
			json_array_append_new(sids, json_string(p->caps[i].name));
		if (!p->ncaps) /* nothing writable: a SID no entry names (S-1-0-0) */
			json_array_append_new(sids, json_string("nobody"));
		json_object_set_new(tok, "restricting_sids", sids);
		json_object_set_new(tok, "write_restricted", json_boolean(p->write_restricted));
	}
	json_object_set_new(o, "restricted_token", tok);
	json_object_set_new(o, "create_dirs", str_array(p->create_dirs, p->ncreate_dirs));
	json_t *aces = json_array();
	for (size_t i = 0; i < p->naces; i++) {
		const struct sbx_win_ace *a = &p->aces[i];
		json_t *e = json_object();
		json_object_set_new(e, "path", json_string(a->path));
		json_object_set_new(e, "type", json_string(a->deny ? "deny" : "allow"));
		json_object_set_new(e, "trustee", json_string(a->trustee));
		json_object_set_new(e, "rights", json_string(sbx_win_rights_name(a->rights)));
		json_object_set_new(e, "inherit", json_string("container,object"));
		json_object_set_new(e, "why", json_string(a->why));
		json_array_append_new(aces, e);
	}
	json_object_set_new(o, "acl", aces);
	if (!p->firewall) {
		json_object_set_new(o, "firewall", json_null());
		return o;
	}
	json_t *fw = json_object();
	json_object_set_new(fw, "identity", json_string("offline"));
	json_object_set_new(fw, "local_user_sddl",
	                    json_string("O:LSD:(A;;CC;;;<offline user SID>)"));
	json_t *ports = json_array();
	for (size_t i = 0; i < p->nproxy_ports; i++)
		json_array_append_new(ports, json_integer(p->proxy_ports[i]));
	json_object_set_new(fw, "proxy_ports", ports);
	json_object_set_new(fw, "allow_local_binding", json_boolean(p->allow_local_binding));
	json_object_set_new(fw, "allow_local_binding_from",
	                    p->local_binding_from ? json_string(p->local_binding_from)
	                                          : json_null());
	json_t *rules = json_array();
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sbx_win_fw_rule *r = &p->rules[i];
		bool narrowed = p->narrow_rule && strcmp(r->name, p->narrow_rule) == 0;
		json_t *e = json_object();
		json_object_set_new(e, "name", json_string(r->name));
		json_object_set_new(e, "direction", json_string("outbound"));
		json_object_set_new(e, "action", json_string("block"));
		json_object_set_new(e, "protocol", json_string(sbx_win_proto_name(r->proto)));
		json_object_set_new(e, "remote_addresses",
		                    r->naddresses ? str_array(r->remote_addresses, r->naddresses)
		                                  : json_string("any"));
		json_object_set_new(e, "initial_remote_ports",
		                    r->nports ? str_array(r->remote_ports, r->nports)
		                              : json_string("any"));
		json_object_set_new(e, "remote_ports",
		                    narrowed    ? str_array(p->narrow_ports, p->nnarrow_ports)
		                    : r->nports ? str_array(r->remote_ports, r->nports)
		                                : json_string("any"));
		json_object_set_new(e, "why", json_string(r->why));
		json_array_append_new(rules, e);
	}
	json_object_set_new(fw, "rules", rules);
	json_object_set_new(fw, "removed_rules", str_array(p->remove_rules, p->nremove_rules));
	json_object_set_new(o, "firewall", fw);
	return o;
}
