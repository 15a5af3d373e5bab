/*
** sbpl.c: the macOS target (sbpl.h). Prints the semantic pass's macOS view
** (macos.h) as a Seatbelt profile and derives nothing itself: which paths
** are granted, what each grant excludes, which parents are protected from
** renames and which globs deny were decided there.
**
** The profile, in order (Seatbelt: among the rules that match, the last
** wins; a rule without a filter only sets a default, so no exception here is
** ever a bare rule):
**
**   1. the base: (deny default), processes, sysctls, mach services, IPC,
**      PTYs and device nodes a normal toolchain needs
**   2. file reads: one allow per readable root, excluding what is denied
**      beneath it (literal, subpath, and a case-insensitive regex)
**   3. file writes: one allow per writable root, excluding its read-only and
**      denied paths the same way and its protected names by regex
**   4. renames: a deny of file-write-unlink on each protected parent
**   5. deny globs: a deny of reads and writes per regex
**   6. the network: none, full, or the loopback proxy ports; unix sockets
**
** Every path of the policy reaches the profile as a parameter; regexes built
** from paths are parameters too, made by sbx_sbpl_regex_append().
*/
#include "sbpl.h"
#include "emit_int.h"
#include "macos.h"
#include "target.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

/* ---- escaping ---- */

void sbx_sbpl_regex_append(struct sbx_strbuf *sb, const char *s, size_t n, bool ci)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (ci && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
			char up = (char)(c & ~0x20), low = (char)(c | 0x20);
			sbx_sb_addf(sb, "[%c%c]", up, low);
		} else if (c && strchr(".[](){}*+?^$|\\", c)) {
			sbx_sb_addc(sb, '\\');
			sbx_sb_addc(sb, c);
		} else {
			sbx_sb_addc(sb, c);
		}
	}
}

const char *sbx_sbpl_glob_regex(struct sbx_ctx *ctx, const char *pattern)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_addc(&sb, '^');
	const char *p = pattern + 1;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		bool last = !end;
		if (n == 2 && p[0] == '*' && p[1] == '*') {
			sbx_sb_adds(&sb, last ? "/[^/]+" : "(/[^/]+)*");
		} else {
			sbx_sb_addc(&sb, '/');
			for (size_t i = 0; i < n; i++) {
				if (p[i] == '*') {
					while (i + 1 < n && p[i + 1] == '*')
						i++;
					sbx_sb_adds(&sb, "[^/]*");
				} else {
					sbx_sbpl_regex_append(&sb, p + i, 1, true);
				}
			}
		}
		p += n + (end ? 1 : 0);
	}
	sbx_sb_adds(&sb, "(/.*)?$");
	const char *r = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return r;
}

void sbx_sbpl_quote(struct sbx_strbuf *sb, const char *s)
{
	sbx_sb_addc(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sbx_sb_addc(sb, '\\');
		sbx_sb_addc(sb, *s);
	}
	sbx_sb_addc(sb, '"');
}

/* ---- the profile ---- */

struct sbpl {
	struct sbx_ctx *ctx;
	struct sbx_strbuf t; /* profile text */
	json_t *params;      /* name -> value, in order */
};

/* Records a parameter and returns its name. */
static const char *param(struct sbpl *s, const char *name, const char *value)
{
	json_object_set_new(s->params, name, json_string(value));
	return name;
}

static const char *pname(struct sbpl *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static const char *pname(struct sbpl *s, const char *fmt, ...)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbx_sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	const char *r = sbx_arena_strndup(&s->ctx->arena, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return r;
}

/* `^<root bytes><rest without case>` + tail, for an exclusion. */
static const char *excl_regex(struct sbpl *s, const struct sbx_mac_excl *e, const char *tail)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_addc(&sb, '^');
	size_t n = strlen(e->path);
	sbx_sbpl_regex_append(&sb, e->path, e->root_len, false);
	sbx_sbpl_regex_append(&sb, e->path + e->root_len, n - e->root_len, true);
	/* "/" as an exclusion: everything; its regex must not need a second '/' */
	if (n == 1)
		sbx_sb_adds(&sb, ".*$");
	else
		sbx_sb_adds(&sb, tail);
	const char *r = sbx_arena_strndup(&s->ctx->arena, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return r;
}

static void filter_param(struct sbpl *s, const char *indent, const char *kind, const char *name)
{
	sbx_sb_addf(&s->t, "%s(%s (param ", indent, kind);
	sbx_sbpl_quote(&s->t, name);
	sbx_sb_adds(&s->t, "))");
}

static void require_not(struct sbpl *s, const char *kind, const char *name)
{
	sbx_sb_addf(&s->t, "\n    (require-not (%s (param ", kind);
	sbx_sbpl_quote(&s->t, name);
	sbx_sb_adds(&s->t, ")))");
}

#ifdef SBXC_TEST_DROP_REQUIRE_NOT
/* Is exclusion k kept: false for the first one not named like a protected
** name (".git", ".agents", ".codex", which their own regexes cover too). */
static bool broken_dropped(const struct sbx_mac_grant *g, size_t k)
{
	for (size_t j = 0; j <= k; j++) {
		const char *b = strrchr(g->excl[j].path, '/');
		bool named = b && (strcasecmp(b, "/.git") == 0 || strcasecmp(b, "/.agents") == 0 ||
		                   strcasecmp(b, "/.codex") == 0);
		if (!named)
			return j != k;
	}
	return true;
}
#endif

/* One allow rule for a grant: ops, the root, its exclusions. */
static void grant(struct sbpl *s, const char *ops, const char *prefix, size_t i,
                  const struct sbx_mac_grant *g)
{
	const char *root = param(s, pname(s, "%s_%zu", prefix, i), g->path);
	sbx_sb_addf(&s->t, "(allow %s\n", ops);
	if (!g->nexcl && !g->nnames) {
		filter_param(s, "  ", "subpath", root);
		sbx_sb_adds(&s->t, ")\n");
		return;
	}
	sbx_sb_adds(&s->t, "  (require-all\n");
	filter_param(s, "    ", "subpath", root);
	for (size_t k = 0; k < g->nexcl; k++) {
		const struct sbx_mac_excl *e = &g->excl[k];
		const char *n = param(s, pname(s, "%s_%zu_EXCLUDED_%zu", prefix, i, k), e->path);
		require_not(s, "literal", n);
		require_not(s, "subpath", n);
#ifdef SBXC_TEST_DROP_REQUIRE_NOT
		/* a deliberately broken emitter for the evaluator's self-test
		** (tests/macos): the case-insensitive regex of a writable root's
		** first exclusion that is not also a protected name is left out */
		if (strncmp(prefix, "WRITABLE", 8) == 0 && !broken_dropped(g, k))
			continue;
#endif
		const char *re = param(s, pname(s, "%s_%zu_EXCLUDED_%zu_RE", prefix, i, k),
		                       excl_regex(s, e, "(/.*)?$"));
		require_not(s, "regex", re);
	}
	for (size_t k = 0; k < g->nnames; k++) {
		size_t rl = strlen(g->path);
		struct sbx_mac_excl e = {.path =
		                             pname(s, "%s/%s", rl == 1 ? "" : g->path, g->names[k]),
		                         .root_len = rl == 1 ? 1 : rl};
		const char *re = param(s, pname(s, "%s_%zu_PROTECTED_%zu_RE", prefix, i, k),
		                       excl_regex(s, &e, "(/.*)?$"));
		require_not(s, "regex", re);
	}
	sbx_sb_adds(&s->t, "))\n");
}

static const char base_profile[] =
    "(version 1)\n"
    "(deny default)\n"
    "\n"
    "; processes: children inherit this sandbox\n"
    "(allow process-exec)\n"
    "(allow process-fork)\n"
    "(allow signal (target same-sandbox))\n"
    "(allow process-info* (target same-sandbox))\n"
    "\n"
    "; system facts a toolchain reads\n"
    "(allow sysctl-read\n"
    "  (sysctl-name \"hw.activecpu\" \"hw.cachelinesize\" \"hw.l1dcachesize\"\n"
    "               \"hw.l2cachesize\" \"hw.logicalcpu\" \"hw.logicalcpu_max\"\n"
    "               \"hw.machine\" \"hw.memsize\" \"hw.model\" \"hw.ncpu\"\n"
    "               \"hw.pagesize\" \"hw.physicalcpu\" \"hw.physicalcpu_max\"\n"
    "               \"hw.cpufrequency\" \"hw.byteorder\" \"kern.argmax\"\n"
    "               \"kern.hostname\" \"kern.maxfilesperproc\" \"kern.maxproc\"\n"
    "               \"kern.osproductversion\" \"kern.osrelease\" \"kern.ostype\"\n"
    "               \"kern.osversion\" \"kern.version\" \"kern.secure_kernel\"\n"
    "               \"machdep.cpu.brand_string\" \"vm.loadavg\")\n"
    "  (sysctl-name-prefix \"hw.optional.\" \"hw.perflevel\" \"kern.proc.pgrp.\"\n"
    "                      \"kern.proc.pid.\" \"net.routetable.\"))\n"
    "(allow sysctl-write (sysctl-name \"kern.grade_cputype\"))\n"
    "(allow iokit-open (iokit-registry-entry-class \"RootDomainUserClient\"))\n"
    "(allow mach-lookup\n"
    "  (global-name \"com.apple.system.opendirectoryd.libinfo\"\n"
    "               \"com.apple.PowerManagement.control\" \"com.apple.cfprefsd.daemon\"\n"
    "               \"com.apple.cfprefsd.agent\")\n"
    "  (local-name \"com.apple.cfprefsd.agent\"))\n"
    "(allow user-preference-read)\n"
    "\n"
    "; POSIX IPC: semaphores, the OpenMP registry, preferences\n"
    "(allow ipc-posix-sem)\n"
    "(allow ipc-posix-shm-read* ipc-posix-shm-write-create ipc-posix-shm-write-unlink\n"
    "  (ipc-posix-name-regex #\"^/__KMP_REGISTERED_LIB_[0-9]+$\"))\n"
    "(allow ipc-posix-shm-read* (ipc-posix-name-prefix \"apple.cfprefs.\"))\n"
    "\n"
    "; terminals and device nodes\n"
    "(allow pseudo-tty)\n";

static void devices(struct sbpl *s)
{
	size_t n;
	const struct sbx_mac_device *d = sbx_macos_devices(&n);
	for (int w = 0; w < 2; w++) {
		sbx_sb_adds(&s->t, w ? "(allow file-write-data file-ioctl" : "(allow file-read*");
		for (size_t i = 0; i < n; i++) {
			if (w && !d[i].write)
				continue;
			sbx_sb_addf(&s->t, "\n  (%s ", d[i].regex ? "regex" : "literal");
			sbx_sbpl_quote(&s->t, d[i].path);
			sbx_sb_addc(&s->t, ')');
		}
		sbx_sb_adds(&s->t, ")\n");
	}
}

/* ---- network ---- */

static const char network_services[] =
    "; name resolution and TLS trust through the system's daemons\n"
    "(allow system-socket (require-all (socket-domain AF_SYSTEM) (socket-protocol 2)))\n"
    "(allow mach-lookup\n"
    "  (global-name \"com.apple.bsd.dirhelper\" \"com.apple.system.opendirectoryd.membership\"\n"
    "               \"com.apple.SecurityServer\" \"com.apple.networkd\" \"com.apple.ocspd\"\n"
    "               \"com.apple.trustd.agent\" \"com.apple.SystemConfiguration.DNSConfiguration\"\n"
    "               \"com.apple.SystemConfiguration.configd\"))\n";

static void unix_sockets(struct sbpl *s, const struct sbx_resolved *r)
{
	const struct sbx_network *net = &r->profile->network;
	bool all = net->dangerously_allow_all_unix_sockets.value;
	size_t k = 0;
	for (size_t i = 0; i < net->nunix_sockets; i++)
		k += net->unix_sockets[i].allow;
	if (!all && !k)
		return;
	sbx_sb_adds(&s->t, "\n; unix sockets\n(allow system-socket (socket-domain AF_UNIX))\n");
	if (all)
		sbx_sb_adds(&s->t, "(allow network-bind network-outbound (local unix-socket))\n"
		                   "(allow network-outbound (remote unix-socket))\n");
	for (size_t i = 0, j = 0; i < net->nunix_sockets; i++) {
		const struct sbx_net_rule *u = &net->unix_sockets[i];
		if (!all && !u->allow)
			continue;
		if (all && u->allow)
			continue;
		const char *n = param(s, pname(s, "UNIX_SOCKET_PATH_%zu", j++),
		                      sbx_macos_canon(&s->ctx->arena, u->pattern));
		sbx_sb_addf(&s->t, "(%s network-bind (local unix-socket (subpath (param ",
		            u->allow ? "allow" : "deny");
		sbx_sbpl_quote(&s->t, n);
		sbx_sb_addf(&s->t,
		            "))))\n(%s network-outbound (remote unix-socket (subpath (param ",
		            u->allow ? "allow" : "deny");
		sbx_sbpl_quote(&s->t, n);
		sbx_sb_adds(&s->t, "))))\n");
	}
}

/* The network section, from the semantic pass's decision (r->net). Returns
** the kind: "none", "full" or "proxy". */
static const char *network(struct sbpl *s, const struct sbx_resolved *r)
{
	const struct sbx_network *net = &r->profile->network;
	bool local = net->allow_local_binding.value;
	sbx_sb_adds(&s->t, "\n; network\n");
	const char *kind = sbx_net_kind_name(r->net.kind);
	if (r->net.kind == SBX_NET_FULL) {
		sbx_sb_adds(&s->t, "(allow network-outbound (remote ip \"*:*\"))\n"
		                   "(allow network-inbound (local ip \"*:*\"))\n"
		                   "(allow network-bind (local ip \"*:*\"))\n");
	} else if (r->net.kind == SBX_NET_PROXY) {
		for (size_t i = 0; i < r->net.nports; i++)
			sbx_sb_addf(&s->t,
			            "(allow network-outbound (remote ip \"localhost:%u\"))\n",
			            (unsigned)r->net.ports[i]);
		if (local && r->net.nports)
			sbx_sb_adds(&s->t, "(allow network-outbound (remote ip \"*:53\"))\n");
	}
	if (local && r->net.kind != SBX_NET_FULL)
		sbx_sb_adds(&s->t, "(allow network-bind (local ip \"localhost:*\"))\n"
		                   "(allow network-inbound (local ip \"localhost:*\"))\n"
		                   "(allow network-outbound (remote ip \"localhost:*\"))\n");
	unix_sockets(s, r);
	if (r->net.kind != SBX_NET_NONE)
		sbx_sb_adds(&s->t, network_services);
	return kind;
}

/* ---- the files ---- */

static json_t *manifest(const struct sbx_resolved *r, const struct sbx_emit_opts *o,
                        const char *net)
{
	static const char *const files[] = {SBX_ART_SBPL_PROFILE, SBX_ART_SBPL_PARAMS,
	                                    SBX_ART_SBPL_ARGV};
	json_t *m = json_object(), *b = json_object(), *backends = json_object();
	json_object_set_new(m, "sbxc_artifacts", json_integer(SBX_ARTIFACT_VERSION));
	json_object_set_new(m, "target", json_string("macos"));
	json_object_set_new(m, "profile", json_string(r->profile ? r->profile->name : ""));
	json_object_set_new(m, "sandbox", json_string(r->disabled ? "disabled" : "enabled"));
	json_object_set_new(m, "probed", json_boolean(o->probe));
	json_t *res = json_object();
	json_object_set_new(res, "cwd", json_string(r->opts.cwd));
	json_object_set_new(res, "home", r->opts.home ? json_string(r->opts.home) : json_null());
	json_object_set_new(res, "tmpdir",
	                    r->opts.tmpdir ? json_string(r->opts.tmpdir) : json_null());
	json_object_set_new(res, "workspace_roots",
	                    sbx_emit_json_strings(r->workspace_roots, r->nworkspace_roots));
	json_object_set_new(m, "resolution", res);
	json_object_set_new(m, "network", json_string(net));
	json_object_set_new(b, "enforces", json_boolean(r->enforce[SBX_BACKEND_MACOS_SEATBELT].ok));
	json_object_set_new(b, "files", sbx_emit_json_strings(files, 3));
	json_object_set_new(b, "executable", json_string(SBX_SANDBOX_EXEC));
	json_object_set_new(backends, "macos-seatbelt", b);
	json_object_set_new(m, "backends", backends);
	json_t *paths = json_object();
	json_object_set_new(paths, "canonical",
	                    json_string("/tmp, /var and /etc are written as /private/tmp, "
	                                "/private/var and /private/etc, as Seatbelt sees them"));
	json_object_set_new(paths, "case_insensitive",
	                    json_string("denied and read-only exclusions, protected names, "
	                                "rename-protected parents and deny globs match ASCII "
	                                "letters in either case (the *_RE parameters); grants "
	                                "match byte for byte"));
	json_object_set_new(m, "paths", paths);
	json_t *facts = json_array();
	for (size_t i = 0; i < r->nfacts; i++) {
		const struct sbx_fact *f = &r->facts[i];
		json_t *x = json_object();
		json_object_set_new(x, "path", json_string(f->path));
		json_object_set_new(x, "kind", json_string(sbx_fact_kind_name(f->kind)));
		if (f->target)
			json_object_set_new(x, "target", json_string(f->target));
		json_object_set_new(x, "reason", json_string(f->reason ? f->reason : ""));
		json_object_set_new(x, "assumed", json_boolean(f->assumed));
		json_array_append_new(facts, x);
	}
	json_object_set_new(m, "facts", facts);
	return m;
}

static void build(struct sbpl *s, const struct sbx_resolved *r, const char **net)
{
	const struct sbx_macos *m = r->macos;
	if (!m || m->unsandboxed) {
		sbx_sb_adds(&s->t, "(version 1)\n; the profile disables the sandbox\n"
		                   "(allow default)\n");
		*net = "full";
		return;
	}
	sbx_sb_adds(&s->t, base_profile);
	devices(s);
	sbx_sb_adds(&s->t, "\n; file reads\n");
	for (size_t i = 0; i < m->nread; i++)
		grant(s, "file-read* file-test-existence file-map-executable", "READABLE_ROOT", i,
		      &m->read[i]);
	sbx_sb_adds(&s->t, "\n; file writes\n");
	for (size_t i = 0; i < m->nwrite; i++)
		grant(s, "file-write*", "WRITABLE_ROOT", i, &m->write[i]);
	if (m->nrename_protected)
		sbx_sb_adds(&s->t, "\n; parents of excluded paths: not renamed or removed\n");
	for (size_t i = 0; i < m->nrename_protected; i++) {
		const char *n = param(s, pname(s, "RENAME_PROTECTED_%zu_RE", i),
		                      excl_regex(s, &m->rename_protected[i], "$"));
		sbx_sb_adds(&s->t, "(deny file-write-unlink (regex (param ");
		sbx_sbpl_quote(&s->t, n);
		sbx_sb_adds(&s->t, ")))\n");
	}
	if (m->nglobs)
		sbx_sb_adds(&s->t, "\n; deny globs\n");
	for (size_t i = 0; i < m->nglobs; i++) {
		const char *n = param(s, pname(s, "DENY_GLOB_%zu_RE", i),
		                      sbx_sbpl_glob_regex(s->ctx, m->globs[i]));
		sbx_sb_adds(&s->t, "(deny file-read* file-test-existence file-map-executable "
		                   "file-write* (regex (param ");
		sbx_sbpl_quote(&s->t, n);
		sbx_sb_adds(&s->t, ")))\n");
	}
	*net = network(s, r);
}

/* The three files of the profile: profile.sb, params.json, argv.json. */
static enum sbx_status put_profile(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                   struct sbx_sink *sink)
{
	struct sbpl s = {.ctx = ctx, .t = SBX_STRBUF_INIT, .params = json_object()};
	const char *net = "none";
	build(&s, r, &net);
	json_t *argv = json_array();
	json_array_append_new(argv, json_string(SBX_SANDBOX_EXEC));
	json_array_append_new(argv, json_string("-f"));
	json_array_append_new(argv, json_string(SBX_ART_SBPL_PROFILE));
	const char *key;
	json_t *val;
	json_object_foreach(s.params, key, val)
	{
		struct sbx_strbuf d = SBX_STRBUF_INIT;
		sbx_sb_addf(&d, "-D%s=%s", key, json_string_value(val));
		json_array_append_new(argv, json_string(d.buf));
		sbx_sb_release(&d);
	}
	json_array_append_new(argv, json_string("--"));
	enum sbx_status st = sbx_sink_put(ctx, sink, SBX_ART_SBPL_PROFILE, s.t.buf, s.t.len);
	sbx_sb_release(&s.t);
	if (st == SBX_OK)
		st = sbx_sink_put_json(ctx, sink, SBX_ART_SBPL_PARAMS, s.params);
	else
		json_decref(s.params);
	if (st == SBX_OK)
		st = sbx_sink_put_json(ctx, sink, SBX_ART_SBPL_ARGV, argv);
	else
		json_decref(argv);
	return st;
}

static enum sbx_status sbpl_check(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	return sbx_emit_check_backend(ctx, r, SBX_BACKEND_MACOS_SEATBELT);
}

static enum sbx_status sbpl_emit(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                 const struct sbx_emit_opts *o, struct sbx_sink *sink)
{
	(void)o;
	return put_profile(ctx, r, sink);
}

const struct sbx_emitter sbx_emitter_sbpl = {"sbpl", SBX_BACKEND_MACOS_SEATBELT, sbpl_check,
                                             sbpl_emit};

enum sbx_status sbx_macos_manifest(struct sbx_ctx *ctx, const struct sbx_target *t,
                                   const struct sbx_resolved *r, const struct sbx_emit_opts *o,
                                   const bool *emitted, struct sbx_sink *sink)
{
	(void)t;
	(void)emitted;
	/* a profile that turns the sandbox off still gets its (allow default)
	** profile, so that the runtime has one way to run a command */
	enum sbx_status st = r->disabled ? put_profile(ctx, r, sink) : SBX_OK;
	if (st == SBX_OK)
		st = sbx_sink_put_json(ctx, sink, SBX_ART_MANIFEST,
		                       manifest(r, o, sbx_net_kind_name(r->net.kind)));
	return st;
}

enum sbx_status sbx_emit_macos(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                               const struct sbx_emit_opts *o, struct sbx_sink *sink)
{
	if (!r->disabled && sbpl_check(ctx, r) != SBX_OK)
		return SBX_EUNSUPPORTED;
	return sbx_target_emit(ctx, sbx_target_get(SBX_OS_MACOS), r, o, SBX_BACKEND_AUTO, sink);
}
