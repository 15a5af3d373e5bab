/*
** enforce.c: per-backend enforceability, the last step of the semantic pass.
** For each backend it decides whether the resolved policy can be enforced
** exactly, or lists why not: detached diagnostics (E06xx) that point at the
** entry responsible. Nothing here weakens a policy: what a backend cannot
** express is a reason, and the caller fails closed.
**
**   macos-seatbelt      consumes the resolved policy directly (POSIX paths)
**   linux-bwrap         the general split model; a read-only or denied path
**                       that crosses a symlink inside a writable root cannot
**                       be masked safely (the sandbox could swap the link)
**   linux-landlock      grants only: nothing denied or read-only may sit
**                       below a granted path (protected names included), no
**                       deny globs; needs ABI 3 (truncate) for any ruleset;
**                       and nothing writable at all, since Landlock does not
**                       govern chmod, chown, times or xattrs and seccomp can
**                       refuse those only for every path at once
**   windows-unelevated  legacy full read, the legacy writable roots, extra
**                       read-only carve-outs; cannot block the network
**   windows-elevated    legacy full or restricted read (the latter under a
**                       token restricted to the plan's capabilities), the
**                       legacy writable roots, no extra read-only carve-outs,
**                       denied paths only under restricted read
** Both Linux backends refuse proxy-enforced networking (no proxy bridge).
*/
#include "globwalk.h"
#include "macos.h"
#include "pathglob.h"
#include "resolve_int.h"
#include "sbx_limits.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const backend_names[SBX_BACKEND_COUNT] = {
    [SBX_BACKEND_MACOS_SEATBELT] = "macos-seatbelt",
    [SBX_BACKEND_LINUX_BWRAP] = "linux-bwrap",
    [SBX_BACKEND_LINUX_LANDLOCK] = "linux-landlock",
    [SBX_BACKEND_WINDOWS_ELEVATED] = "windows-elevated",
    [SBX_BACKEND_WINDOWS_UNELEVATED] = "windows-unelevated",
};

const char *sbx_backend_name(enum sbx_backend b)
{
	return (size_t)b < SBX_BACKEND_COUNT ? backend_names[b] : "?";
}

bool sbx_backend_lookup(const char *name, enum sbx_backend *out)
{
	for (size_t i = 0; i < SBX_BACKEND_COUNT; i++) {
		if (strcmp(name, backend_names[i]) == 0) {
			*out = (enum sbx_backend)i;
			return true;
		}
	}
	return false;
}

enum sbx_target_os sbx_backend_os(enum sbx_backend b)
{
	switch (b) {
	case SBX_BACKEND_MACOS_SEATBELT:
		return SBX_OS_MACOS;
	case SBX_BACKEND_LINUX_BWRAP:
	case SBX_BACKEND_LINUX_LANDLOCK:
		return SBX_OS_LINUX;
	default:
		return SBX_OS_WINDOWS;
	}
}

const char *sbx_target_os_name(enum sbx_target_os os)
{
	return os == SBX_OS_MACOS ? "macos" : os == SBX_OS_LINUX ? "linux" : "windows";
}

/* ---- recording verdicts ---- */

struct verdict {
	struct sbx_ctx *ctx;
	struct sbx_resolved *r;
	enum sbx_backend b;
	struct sbx_enforcement *e;
	size_t cap, capnotes;
};

static struct sbx_diag *refuse(struct verdict *v, enum sbx_diag_code code, struct sbx_span span,
                               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static struct sbx_diag *refuse(struct verdict *v, enum sbx_diag_code code, struct sbx_span span,
                               const char *fmt, ...)
{
	v->e->ok = false;
	if (v->e->nreasons >= SBX_MAX_DIAGNOSTICS) {
		/* a profile of 100,000 entries may have as many reasons: one is enough
		** to refuse, a screenful to fix; the rest are counted */
		v->e->nmore++;
		return NULL;
	}
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbx_sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	struct sbx_diag *d = sbx_diag_make(v->ctx, code, span, "%s", sb.buf);
	sbx_sb_release(&sb);
	v->e->reasons = sbx_arena_grow(&v->ctx->arena, v->e->reasons, &v->cap, v->e->nreasons + 1,
	                               sizeof *v->e->reasons);
	v->e->reasons[v->e->nreasons++] = d;
	return d;
}

/* Past SBX_MAX_DIAGNOSTICS reasons a refusal is only counted (refuse()).
** Counts one and returns true when the next would not be kept, so that a
** loop over many paths can skip quoting them into a message nobody sees. */
static bool only_counted(struct verdict *v)
{
	if (v->e->nreasons < SBX_MAX_DIAGNOSTICS)
		return false;
	v->e->ok = false;
	v->e->nmore++;
	return true;
}

static void note(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct verdict *v, const char *fmt, ...)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbx_sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	v->e->notes = sbx_arena_grow(&v->ctx->arena, v->e->notes, &v->capnotes, v->e->nnotes + 1,
	                             sizeof *v->e->notes);
	v->e->notes[v->e->nnotes++] = sbx_arena_strndup(&v->ctx->arena, sb.buf, sb.len);
	sbx_sb_release(&sb);
}

static const char *Q(struct verdict *v, const char *s)
{
	return sbx_q(v->ctx, s);
}

static const char *bname(const struct verdict *v)
{
	return sbx_backend_name(v->b);
}

/* The span of the rule deciding `path` (for entries the key), else the
** profile's. */
static struct sbx_span span_of(const struct sbx_resolved *r, const struct sbx_rpath *rp)
{
	if (rp && rp->src)
		return sbx_entry_span(rp->src);
	return r->profile->span;
}

static struct sbx_span network_span(const struct sbx_resolved *r)
{
	const struct sbx_network *n = &r->profile->network;
	return n->enabled.set ? n->enabled.span : r->profile->span;
}

static bool flavor_fits(struct verdict *v, enum sbx_flavor want)
{
	if (v->r->opts.flavor == want)
		return true;
	v->e->ok = false;
	v->e->applicable = false;
	note(v, "does not apply to a policy resolved for %s paths",
	     v->r->opts.flavor == SBX_FLAVOR_WINDOWS ? "Windows" : "POSIX");
	return false;
}

/* Where the network decision came from, for a refusal: the deciding setting,
** else the `enabled` key, else the profile. */
static struct sbx_span decision_span(const struct sbx_resolved *r)
{
	return r->net.span.file ? r->net.span : network_span(r);
}

/* Proxy endpoints the Linux bridge cannot route: every one must be a
** parseable loopback address, or the run is refused (E0691). */
static void linux_endpoints(struct verdict *v)
{
	const struct sbx_net_decision *n = &v->r->net;
	for (size_t i = 0; i < n->env.n; i++) {
		const struct sbx_proxy_endpoint *ep = &n->env.endpoints[i];
		if (ep->loopback)
			continue;
		struct sbx_diag *d =
		    refuse(v, SBX_E0691, SBX_NO_SPAN,
		           "`%s` cannot route the proxy variable `%s` (`%s`): %s", bname(v),
		           ep->var, Q(v, sbx_proxy_shown(v->ctx, ep)),
		           !ep->parsed ? ep->error
		           : ep->port ? "only a proxy on localhost, 127.0.0.1 or ::1 can be bridged"
		                      : "its port is 0");
		if (d)
			sbx_diag_help(v->ctx, d,
			              "point it at a proxy on the loopback address, or unset it");
	}
	for (size_t i = 0; i < n->nprofile_urls; i++) {
		const struct sbx_proxy_endpoint *ep = &n->profile_urls[i];
		if (!ep->loopback)
			refuse(v, SBX_E0691, n->profile_url_spans[i],
			       "`%s` cannot route the proxy `%s`: only a proxy on localhost, "
			       "127.0.0.1 or ::1 can be bridged",
			       bname(v), Q(v, sbx_proxy_shown(v->ctx, ep)));
	}
}

/* What tinyproxy's default-deny host filter cannot say exactly. */
static void bwrap_filter(struct verdict *v)
{
	const struct sbx_resolved *r = v->r;
	const struct sbx_net_decision *n = &r->net;
	if (!n->filter)
		return;
	note(v, "the domain rules are applied by a tinyproxy started for each run (it must be "
	        "installed: `tinyproxy` on PATH or `--tinyproxy FILE`)");
	if (n->limited)
		refuse(v, SBX_E0692, r->profile->network.mode_span,
		       "`%s` cannot enforce `mode = \"limited\"`: its filtering proxy (tinyproxy) "
		       "cannot restrict the methods of requests tunnelled through CONNECT",
		       bname(v));
	if (n->too_many)
		refuse(v, SBX_E0694, n->span,
		       "`%s` cannot filter %zu domain rules: more than SBX_MAX_FILTER_DOMAINS (%u)",
		       bname(v), n->ndomains, SBX_MAX_FILTER_DOMAINS);
	for (size_t i = 0; i < n->npartial; i++) {
		struct sbx_diag *d =
		    refuse(v, SBX_E0693, n->partial_deny[i]->span,
		           "`%s` cannot deny `%s` inside `%s`: its filtering proxy (tinyproxy) "
		           "takes a list of allowed hosts, and this rule removes only part of "
		           "the allowed subdomains",
		           bname(v), Q(v, n->partial_deny[i]->pattern),
		           Q(v, n->partial_allow[i]->pattern));
		if (d)
			sbx_diag_note(v->ctx, d, n->partial_allow[i]->span, "allowed here");
	}
}

static void linux_proxy(struct verdict *v, bool bwrap)
{
	const struct sbx_net_decision *n = &v->r->net;
	if (!n->proxy_enforced)
		return;
	linux_endpoints(v);
	if (bwrap) {
		bwrap_filter(v);
		return;
	}
	if (n->kind != SBX_NET_PROXY)
		return;
	struct sbx_diag *d =
	    refuse(v, SBX_E0602, decision_span(v->r),
	           "`%s` cannot enforce proxy-enforced network access: it runs the command "
	           "without a network namespace of its own",
	           bname(v));
	if (d)
		sbx_diag_help(v->ctx, d, "`linux-bwrap` enforces it (`--linux-backend bwrap`)");
}

/* Domain rules and `mode = "limited"` are applied by a filtering proxy; a
** backend whose runtime starts none cannot promise them (E0690). */
static void no_filter_proxy(struct verdict *v)
{
	const struct sbx_net_decision *n = &v->r->net;
	if (!n->filter)
		return;
	struct sbx_diag *d = refuse(
	    v, SBX_E0690, decision_span(v->r),
	    n->ndomains ? "`%s` cannot enforce the domain rule `%s`: sbxc runs no filtering proxy "
	                  "for this backend"
	                : "`%s` cannot enforce `mode = \"limited\"`%s: sbxc runs no filtering "
	                  "proxy for this backend",
	    bname(v), n->ndomains ? Q(v, n->domains[0].pattern) : "");
	if (d)
		sbx_diag_help(v->ctx, d,
		              "remove the domain rules and `mode`, or disable the network");
}

/* ---- macOS ---- */

static bool non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* `?`, or a `[` closed within its component (a character class; glob.h) */
static bool glob_has_char_wildcard(const char *p)
{
	for (size_t i = 0; p[i]; i++) {
		if (p[i] == '?')
			return true;
		if (p[i] != '[')
			continue;
		size_t j = i + 1;
		if (p[j] == '!' || p[j] == '^')
			j++;
		size_t first = j;
		while (p[j] && p[j] != '/' && (p[j] != ']' || j == first))
			j++;
		if (p[j] == ']')
			return true;
	}
	return false;
}

static void mac_case_refusal(struct verdict *v, const struct sbx_rpath *why, const char *path)
{
	/* one exclusion may cut several grants: report it once */
	const char *q = Q(v, path);
	for (size_t i = 0; i < v->e->nreasons; i++)
		if (v->e->reasons[i]->code == SBX_E0650 && strstr(v->e->reasons[i]->msg, q))
			return;
	if (only_counted(v))
		return;
	struct sbx_diag *d =
	    refuse(v, SBX_E0650, span_of(v->r, why),
	           "`%s` cannot match `%s` case-insensitively: it has non-ASCII characters, and "
	           "the volume may see them in another case or normalization",
	           bname(v), q);
	if (d)
		sbx_diag_help(v->ctx, d, "spell the denied or read-only path in ASCII");
}

static void check_seatbelt(struct verdict *v)
{
	if (!flavor_fits(v, SBX_FLAVOR_POSIX))
		return;
	no_filter_proxy(v);
	/* Codex's Seatbelt platform profile for `:minimal` also makes /tmp,
	** /private/tmp and /var/tmp writable; sbxc's platform roots are read-only
	** (R-SEM-18), and the profile must say so to whoever emits it. */
	if (v->r->include_platform_defaults)
		note(v, "the platform defaults are read-only: the scratch directories Seatbelt's "
		        "platform profile makes writable (/tmp, /private/tmp, /var/tmp) stay as "
		        "the profile says");
	const struct sbx_macos *m = v->r->macos;
	if (!m || m->unsandboxed)
		return;
	/* exclusions match case-insensitively; only ASCII letters can be spelled
	** both ways in a byte-wise regex (macos.h) */
	for (int pass = 0; pass < 2; pass++) {
		const struct sbx_mac_grant *g = pass ? m->write : m->read;
		size_t n = pass ? m->nwrite : m->nread;
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < g[i].nexcl; k++)
				if (non_ascii(g[i].excl[k].path + g[i].excl[k].root_len))
					mac_case_refusal(v, g[i].excl[k].why, g[i].excl[k].path);
	}
	for (size_t i = 0; i < m->nglobs; i++) {
		if (i > 0 && m->glob_src[i] == m->glob_src[i - 1])
			continue; /* a variant of the same glob */
		const char *p = m->globs[i];
		if (non_ascii(p)) {
			mac_case_refusal(v, m->glob_src[i], p);
		} else if (glob_has_char_wildcard(p)) {
			struct sbx_diag *d = refuse(
			    v, SBX_E0651, span_of(v->r, m->glob_src[i]),
			    "`%s` cannot enforce deny glob `%s`: `?` and character classes stand "
			    "for "
			    "one character, which Seatbelt's byte-wise regexes cannot match in "
			    "every encoding",
			    bname(v), Q(v, m->glob_src[i]->path));
			if (d)
				sbx_diag_help(v->ctx, d, "use `*`, or list the names");
		}
	}
}

/* ---- bubblewrap ---- */

/* The fact about the path of a trie node, cached on the node. */
static const struct sbx_fact *node_fact(struct verdict *v, uint32_t node, const char *why)
{
	return sbx_node_probe(v->ctx, v->r->index, node, NULL, why);
}

/* Walks the components strictly below the writable root `outer` down to
** node x; returns the first symlink, or NULL. Records what it saw (or,
** offline, the assumption that there is none) as a fact about x. */
static const char *symlink_between(struct verdict *v, uint32_t outer, uint32_t x)
{
	struct sbx_index *ix = v->r->index;
	struct sbx_trie *t = &ix->trie;
	const char *why = "bwrap masks read-only and denied paths by their own path";
	const char *xpath = sbx_trie_path(t, x);
	const char *root = sbx_trie_path(t, outer);
	if (!ix->facts->probe) {
		sbx_facts_add(v->ctx, ix->facts, xpath, SBX_FACT_NOT_SYMLINK, root, why, true);
		return NULL;
	}
	/* a component takes at least two bytes ("/x"), and carve-out paths are at
	** most a protected name longer than SBX_MAX_PATH_BYTES */
	uint32_t chain[(SBX_MAX_PATH_BYTES + 64) / 2 + 1];
	size_t n = 0;
	for (uint32_t a = x; a != outer && a != 0 && n < sizeof chain / sizeof chain[0];
	     a = t->nodes[a].parent)
		chain[n++] = a;
	while (n > 0) {
		const struct sbx_fact *f = node_fact(v, chain[--n], why);
		if (f->kind == SBX_FACT_SYMLINK)
			return f->path;
		if (f->kind == SBX_FACT_MISSING)
			break;
	}
	sbx_facts_add(v->ctx, ix->facts, xpath, SBX_FACT_NOT_SYMLINK, root, why, false);
	return NULL;
}

static bool reported(const struct verdict *v, const char *x)
{
	for (size_t i = 0; i < v->e->nreasons; i++)
		if (v->e->reasons[i]->code == SBX_E0603 && strstr(v->e->reasons[i]->msg, x))
			return true;
	return false;
}

/* One path check_bwrap() checks: x, at node xn (SBX_NO_NODE: none); rp is
** its read-only subpath (NULL for a protected name). */
struct check {
	const char *x;
	const struct sbx_rpath *rp;
	uint32_t xn;
};

/* Checks one read-only or denied path (or protected name) once, against the
** outermost writable root it lies in: every component between that root and
** the path could be swapped by the sandbox. `done` marks checked nodes; `up`
** is sbx_trie_wroots_above(). */
static void symlink_check(struct verdict *v, const struct check *c, bool *done, const uint32_t *up)
{
	struct sbx_index *ix = v->r->index;
	const struct sbx_trie *t = &ix->trie;
	const char *x = c->x;
	const struct sbx_rpath *rp = c->rp;
	uint32_t xn = c->xn;
	if (xn == SBX_NO_NODE || done[xn])
		return; /* checked already, under another root */
	done[xn] = true;
	uint32_t outer = SBX_NO_NODE;
	for (uint32_t a = up[xn]; a != 0; a = up[a])
		outer = a;
	if (outer == SBX_NO_NODE)
		return; /* not inside a writable root (a gitdir target elsewhere) */
	const struct sbx_writable_root *w = &v->r->writable_roots[t->nodes[outer].wroot];
	const char *link = symlink_between(v, outer, xn);
	if (!link || reported(v, sbx_arena_printf(&v->ctx->arena, "`%s` crosses", x)))
		return;
	struct sbx_diag *d =
	    refuse(v, SBX_E0603, span_of(v->r, rp && rp->src ? rp : &w->root),
	           "`%s` crosses the symlink `%s` inside the writable root `%s`; bwrap cannot "
	           "keep it read-only or hidden safely",
	           Q(v, x), Q(v, link), Q(v, w->root.path));
	if (d)
		sbx_diag_help(v->ctx, d,
		              "name the symlink's target in the profile instead of the link");
}

/* A reason made elsewhere (detached, with its notes): kept like refuse()'s. */
static void add_reason(struct verdict *v, struct sbx_diag *d)
{
	if (only_counted(v))
		return;
	v->e->ok = false;
	v->e->reasons = sbx_arena_grow(&v->ctx->arena, v->e->reasons, &v->cap, v->e->nreasons + 1,
	                               sizeof *v->e->reasons);
	v->e->reasons[v->e->nreasons++] = d;
}

/* bubblewrap masks the files a deny glob matches, so each glob is expanded
** on this machine now (globwalk.c) and the matches are exported for the
** emitter (r->glob_matches). What cannot be expanded is refused here, with
** the span of the glob's entry, so that `lint` reports what `run` would: a
** pattern whose literal prefix is the filesystem root (E0713: known from
** the text alone), a scan that fails (E0713) or finds more than
** SBX_MAX_GLOB_MATCHES files (E0712). Offline nothing is walked; the
** emitter refuses to build masks it has no matches for. */
static void bwrap_globs(struct verdict *v)
{
	struct sbx_resolved *r = v->r;
	if (!r->nunreadable_globs)
		return;
	bool probe = r->opts.probe;
	uint32_t depth = r->profile->glob_scan_max_depth;
	if (probe)
		r->glob_matches =
		    sbx_arena_alloc(&v->ctx->arena, r->nunreadable_globs * sizeof *r->glob_matches);
	for (size_t i = 0; i < r->nunreadable_globs; i++) {
		const struct sbx_rpath *g = &r->unreadable_globs[i];
		struct sbx_span span = span_of(r, g);
		if (sbx_glob_literal_prefix(SBX_FLAVOR_POSIX, g->path) <= 1) {
			struct sbx_diag *d =
			    refuse(v, SBX_E0713, span,
			           "deny glob `%s` starts at the filesystem root", Q(v, g->path));
			if (d) {
				sbx_diag_note(
				    v->ctx, d, SBX_NO_SPAN,
				    "on Linux a deny glob is expanded to files before the "
				    "sandbox starts, so its literal prefix must name a "
				    "directory to walk");
				sbx_diag_help(v->ctx, d,
				              "anchor the pattern below a directory, e.g. under "
				              "`:workspace_roots` or `~/`");
			}
			continue;
		}
		if (!probe)
			continue;
		struct sbx_glob_result *res = &r->glob_matches[i];
		if (sbx_glob_expand_detached(v->ctx, g->path, depth, span, res) != SBX_OK) {
			add_reason(v, res->err);
			res->n = 0;
		}
	}
}

/* A path the sandbox is to see (read or write) whose way crosses a symlink
** in a directory the policy lets the sandbox write: the sandbox could have
** made that symlink in an earlier run (renaming the directory that was
** there), and bubblewrap's mount would follow it to wherever it leads, say
** `/etc`. symlink_check() covers read-only and denied paths (E0603); this
** covers every other path bubblewrap mounts (E0718). Only on this machine:
** offline there is nothing to look at, and `sbxc exec` re-checks the mounts
** before it starts bubblewrap (E0708). */
static void swappable(struct verdict *v, const char *path, const char *role,
                      const struct sbx_rpath *rp)
{
	struct sbx_arena *a = &v->ctx->arena;
	if (sbx_resolved_access(v->r, path, NULL) == SBX_ACCESS_DENY)
		return;
	size_t pos = 0;
	if (v->ctx->fs_seen) /* each prefix sbx_path_next_symlink() may look at */
		for (const char *p = path, *up;
		     strcmp((up = sbx_path_parent(a, SBX_FLAVOR_POSIX, p)), p) != 0; p = up)
			sbx_fs_seen(v->ctx, p, SBX_FS_ENTRY);
	for (const char *prefix; (prefix = sbx_path_next_symlink(a, path, &pos));) {
		const char *dir = sbx_path_parent(a, SBX_FLAVOR_POSIX, prefix);
		if (sbx_resolved_access(v->r, dir, NULL) != SBX_ACCESS_WRITE)
			continue; /* a symlink the sandbox cannot have made */
		if (only_counted(v))
			return;
		struct sbx_span span = rp && rp->src ? rp->src->key_span : SBX_NO_SPAN;
		struct sbx_diag *d =
		    !path[pos]
		        ? refuse(v, SBX_E0718, span,
		                 "%s `%s` is a symlink in `%s`, which the sandbox can write", role,
		                 Q(v, path), Q(v, dir))
		        : refuse(v, SBX_E0718, span,
		                 "%s `%s` crosses the symlink `%s` in `%s`, which the sandbox can "
		                 "write",
		                 role, Q(v, path), Q(v, prefix), Q(v, dir));
		if (d) {
			sbx_diag_note(
			    v->ctx, d, SBX_NO_SPAN,
			    "bubblewrap would mount it where the symlink leads, and a "
			    "sandbox can replace a directory it may write with a symlink to "
			    "anywhere");
			sbx_diag_help(
			    v->ctx, d,
			    "name the symlink's target in the profile instead of the link");
		}
		return;
	}
}

/* Every path bubblewrap mounts, as the emitter gathers them (bwrap.c). */
static void bwrap_mounts(struct verdict *v)
{
	const struct sbx_resolved *r = v->r;
	struct sbx_arena *a = &v->ctx->arena;
	if (!r->opts.probe)
		return;
	for (size_t i = 0; i < r->nreadable_roots; i++)
		swappable(v, r->readable_roots[i].path, "readable root", &r->readable_roots[i]);
	for (size_t i = 0; r->include_platform_defaults && i < r->nplatform_read_roots; i++)
		swappable(v, r->platform_read_roots[i], "platform root", NULL);
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[i];
		swappable(v, w->root.path, "writable root", &w->root);
		for (size_t j = 0; j < w->nread_only; j++)
			swappable(v, w->read_only[j].path, "read-only carve-out", &w->read_only[j]);
		for (size_t j = 0; j < w->nprotected; j++)
			swappable(
			    v,
			    sbx_path_join(a, SBX_FLAVOR_POSIX, w->root.path, w->protected_names[j]),
			    "protected name", &w->root);
	}
}

static void check_bwrap(struct verdict *v)
{
	if (!flavor_fits(v, SBX_FLAVOR_POSIX))
		return;
	linux_proxy(v, true);
	const struct sbx_resolved *r = v->r;
	const struct sbx_index *ix = r->index;
	const struct sbx_trie *t = &ix->trie;
	/* the checks in order, then checked with the nodes of a few checks ahead
	** on their way into the cache: they are all over a large trie */
	struct check *c = NULL;
	size_t nc = 0, cap = 0;
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[i];
		size_t need = nc + w->nread_only + w->nprotected;
		if (need > cap) {
			cap = need * 2;
			c = sbx_xreallocarray(c, cap, sizeof *c);
		}
		for (size_t j = 0; j < w->nread_only; j++) {
			const struct sbx_rpath *rp = &w->read_only[j];
			c[nc++] = (struct check){
			    rp->path, rp, rp->node ? rp->node - 1 : sbx_trie_find(t, rp->path)};
		}
		for (size_t k = 0; k < w->nprotected; k++) {
			/* carveouts.c joined the name to the root and found its node */
			size_t j = 0;
			while (sbx_protected_names[j] != w->protected_names[k])
				j++;
			const struct sbx_root_names *wn = &ix->wnames[i];
			c[nc++] = (struct check){wn->path[j], NULL, wn->node[j]};
		}
	}
	bool *done = sbx_xcalloc(t->n, sizeof *done);
	uint32_t *up = sbx_trie_wroots_above(t);
	enum { AHEAD = 8 };
	for (size_t i = 0; i < nc; i++) {
		if (i + AHEAD < nc && c[i + AHEAD].xn != SBX_NO_NODE) {
			uint32_t xn = c[i + AHEAD].xn;
			__builtin_prefetch(&done[xn]);
			__builtin_prefetch(&up[xn]);
			__builtin_prefetch(&t->nodes[xn]);
			__builtin_prefetch(&t->paths[xn]);
		}
		symlink_check(v, &c[i], done, up);
	}
	free(up);
	free(done);
	free(c);
	bwrap_mounts(v);
	bwrap_globs(v);
	if (r->nunreadable_globs) {
		note(v, "deny globs are expanded to the matching paths when the sandbox starts; "
		        "files created later are not hidden");
		note(v, "the expansion does not enter symlinked directories: a match reached "
		        "only through a symlink is not hidden");
		if (r->profile->glob_scan_max_depth)
			note(v,
			     "the expansion stops %u levels below each pattern's literal prefix "
			     "(glob_scan_max_depth): deeper paths are not denied",
			     r->profile->glob_scan_max_depth);
	}
}

/* ---- Landlock ---- */

/* The nearest path above `p` that Landlock would grant, or NULL: a writable
** root, a readable rule path (restricted read), a platform root, or the
** filesystem root under full read. Walks p's ancestors in the trie. */
static const char *granted_above(const struct sbx_resolved *r, const struct sbx_rpath *rp,
                                 bool *write)
{
	const struct sbx_index *ix = r->index;
	const struct sbx_trie *t = &ix->trie;
	*write = false;
	uint32_t n = rp->node ? rp->node - 1 : sbx_trie_find(t, rp->path);
	for (uint32_t a = n == SBX_NO_NODE ? 0 : t->nodes[n].parent; a != 0;
	     a = t->nodes[a].parent) {
		const struct sbx_trie_node *nd = &t->nodes[a];
		if (nd->wroot >= 0) {
			*write = true;
			return r->writable_roots[nd->wroot].root.path;
		}
		if ((!r->full_read &&
		     (nd->access == SBX_ACCESS_READ || nd->access == SBX_ACCESS_WRITE)) ||
		    (nd->flags & SBX_NODE_PLATFORM))
			return sbx_trie_path((struct sbx_trie *)t, a);
	}
	return r->full_read ? r->fs_root : NULL;
}

static void landlock_denies(struct verdict *v)
{
	const struct sbx_resolved *r = v->r;
	for (size_t i = 0; i < r->nunreadable_roots; i++) {
		const struct sbx_rpath *u = &r->unreadable_roots[i];
		bool write;
		const char *g = granted_above(r, u, &write);
		if (!g)
			continue; /* nothing grants it: not granting is enough */
		if (only_counted(v))
			continue;
		struct sbx_diag *d = refuse(
		    v, SBX_E0610, span_of(r, u),
		    "`linux-landlock` cannot deny `%s`: Landlock only grants access, and `%s` "
		    "grants %s above it",
		    Q(v, u->path), Q(v, g), write ? "write" : "read");
		if (d)
			sbx_diag_help(v->ctx, d, "use `linux-bwrap`, which can hide paths");
	}
	for (size_t i = 0; i < r->nunreadable_globs; i++) {
		if (only_counted(v))
			continue;
		refuse(v, SBX_E0613, span_of(r, &r->unreadable_globs[i]),
		       "`linux-landlock` cannot deny reading by pattern (`%s`)",
		       Q(v, r->unreadable_globs[i].path));
	}
}

static void landlock_names(struct verdict *v, const struct sbx_writable_root *w)
{
	if (only_counted(v))
		return;
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	for (size_t k = 0; k < w->nprotected; k++) {
		if (k)
			sbx_sb_adds(&sb, k + 1 == w->nprotected ? " and " : ", ");
		sbx_sb_addf(&sb, "`%s`", w->protected_names[k]);
	}
	struct sbx_diag *d = refuse(
	    v, SBX_E0612, span_of(v->r, &w->root),
	    "`linux-landlock` cannot keep %s read-only under the writable root `%s`: Landlock "
	    "only grants access",
	    sb.buf, Q(v, w->root.path));
	if (d)
		sbx_diag_help(
		    v->ctx, d,
		    "grant write on each protected name explicitly, or use `linux-bwrap`");
	sbx_sb_release(&sb);
}

static void landlock_read_only(struct verdict *v)
{
	const struct sbx_resolved *r = v->r;
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[i];
		if (w->nprotected)
			landlock_names(v, w);
		for (size_t j = 0; j < w->nread_only; j++) {
			const struct sbx_rpath *x = &w->read_only[j];
			if (x->origin == SBX_ORIGIN_ENTRY && x->src->access == SBX_ACCESS_DENY)
				continue; /* reported as a denied path */
			if (x->origin != SBX_ORIGIN_ENTRY && x->origin != SBX_ORIGIN_GITDIR)
				continue; /* a protected name, reported above */
			if (only_counted(v))
				continue;
			struct sbx_diag *d =
			    refuse(v, SBX_E0611, span_of(r, x->src ? x : &w->root),
			           "`linux-landlock` cannot keep `%s` read-only under the writable "
			           "root `%s`: Landlock only grants access",
			           Q(v, x->path), Q(v, w->root.path));
			if (d)
				sbx_diag_help(v->ctx, d,
				              "use `linux-bwrap`, which can remount it read-only");
		}
	}
}

/* Landlock does not govern metadata: chmod, chown, utimensat and the xattr
** calls succeed for the owner of a file whatever its access rights (and sbxc
** often runs as root, the owner of /etc). Seccomp can refuse those calls,
** but only for every path at once, which is exact only when nothing is
** writable. With anything writable, read-only files would lose their
** protection against metadata changes: refuse. */
static void landlock_metadata(struct verdict *v)
{
	const struct sbx_resolved *r = v->r;
	if (r->full_write || r->nwritable_roots == 0)
		return;
	const struct sbx_writable_root *w = &r->writable_roots[0];
	struct sbx_diag *d = refuse(
	    v, SBX_E0614, span_of(r, &w->root),
	    "`linux-landlock` cannot keep the mode, owner, times and extended attributes of "
	    "read-only files unchanged while `%s` is writable: Landlock does not govern them",
	    Q(v, w->root.path));
	if (d)
		sbx_diag_help(v->ctx, d, "use `linux-bwrap`, whose read-only mounts refuse them");
}

/* Landlock governs opening, listing, executing and changing files, not
** looking at them: stat, readlink and access work on every path. Under
** restricted read the names, sizes, times and link targets of unreadable
** paths therefore stay visible (their contents do not); what `deny`
** guarantees is spelled out in semantics.md (R-SEM-41), and the verdict says
** it. */
static void landlock_restricted_read(struct verdict *v)
{
	const struct sbx_resolved *r = v->r;
	if (r->full_read || r->full_write || !v->e->ok)
		return;
	const struct sbx_index *ix = r->index;
	uint32_t root = sbx_trie_find(&ix->trie, r->fs_root);
	if (root != SBX_NO_NODE && ix->trie.nodes[root].access &&
	    ix->trie.nodes[root].access != SBX_ACCESS_DENY)
		return; /* the root is readable: denied paths are E0610's */
	note(v, "unreadable paths cannot be opened, listed or run, but their names, sizes, "
	        "times and link targets stay visible (Landlock does not govern stat or "
	        "readlink); `linux-bwrap` shows only the readable roots");
}

static void check_landlock(struct verdict *v)
{
	const struct sbx_resolved *r = v->r;
	v->e->landlock_abi = r->disabled || r->full_write ? 0 : 3;
	if (!flavor_fits(v, SBX_FLAVOR_POSIX))
		return;
	linux_proxy(v, false);
	if (r->disabled)
		return;
	landlock_denies(v);
	landlock_read_only(v);
	landlock_metadata(v);
	landlock_restricted_read(v);
	if (v->e->landlock_abi)
		note(v, "needs Landlock ABI %d or newer (truncate control)", v->e->landlock_abi);
}

/* ---- Windows ---- */

#define REFUSING "; refusing to run unsandboxed"

static void win_network(struct verdict *v, bool elevated)
{
	const struct sbx_resolved *r = v->r;
	v->e->identity = r->proxy_enforced || !r->network_enabled ? SBX_WIN_IDENTITY_OFFLINE
	                                                          : SBX_WIN_IDENTITY_ONLINE;
	if (elevated)
		return;
	if (r->proxy_enforced)
		refuse(v, SBX_E0629, network_span(r),
		       "proxy-enforced network access needs `windows-elevated`: the firewall rules "
		       "belong to its sandbox user" REFUSING);
	else if (!r->network_enabled)
		refuse(v, SBX_E0630, network_span(r),
		       "`windows-unelevated` can restrict the network only through environment "
		       "variables, not a firewall" REFUSING);
}

/* The rule on the filesystem root (`:root`), for spans; NULL if none. */
static const struct sbx_rpath *root_rule(struct verdict *v)
{
	const struct sbx_index *ix = v->r->index;
	uint32_t node = sbx_trie_find(&ix->trie, v->r->fs_root);
	if (node == SBX_NO_NODE || ix->trie.nodes[node].rule < 0)
		return NULL;
	const struct sbx_rrule *rule = &ix->rules[ix->trie.nodes[node].rule];
	struct sbx_rpath *rp = sbx_arena_alloc(&v->ctx->arena, sizeof *rp);
	*rp = (struct sbx_rpath){.path = rule->path, .origin = SBX_ORIGIN_ENTRY, .src = rule->src};
	return rp;
}

/* Denied paths. The unelevated backend refuses them all (the seed). The
** elevated one can deny a path only under restricted read, where its token's
** restricting SIDs are the plan's capabilities alone and only sbxc's entries
** can grant them anything (R-SEM-37b). Under full read the sandbox user's
** own SIDs decide reads, and an explicit allow entry on a file below the
** denied directory (for Everyone, Users, the sandbox user) is checked before
** the inherited deny entry: E0631. */
static void win_paths(struct verdict *v, bool elevated)
{
	const struct sbx_resolved *r = v->r;
	for (size_t i = 0; i < r->nunreadable_roots && !v->e->restricted_read; i++) {
		const struct sbx_rpath *u = &r->unreadable_roots[i];
		if (!elevated) {
			refuse(v, SBX_E0622, span_of(r, u),
			       "`%s` cannot deny reading `%s`: explicit unreadable paths are not "
			       "supported" REFUSING,
			       bname(v), Q(v, u->path));
			continue;
		}
		struct sbx_diag *d =
		    refuse(v, SBX_E0631, span_of(r, u),
		           "`windows-elevated` cannot deny reading `%s` under full read: an "
		           "explicit allow entry below it (for Everyone, Users or the sandbox "
		           "user) is checked before the inherited deny entry" REFUSING,
		           Q(v, u->path));
		if (d)
			sbx_diag_help(
			    v->ctx, d,
			    "restrict reads instead (`\":root\" = \"deny\"`, the readable "
			    "roots listed, `\":minimal\" = \"read\"`): then only sbxc's "
			    "grants give access and a denied path is exact");
	}
	for (size_t i = 0; i < r->nunreadable_globs; i++)
		refuse(v, SBX_E0623, span_of(r, &r->unreadable_globs[i]),
		       "`%s` cannot deny reading by pattern (`%s`)" REFUSING, bname(v),
		       Q(v, r->unreadable_globs[i].path));
}

/* A writable root below a narrower non-write rule of another writable root. */
static void win_reopened(struct verdict *v)
{
	const struct sbx_resolved *r = v->r;
	const struct sbx_index *ix = r->index;
	const struct sbx_trie *t = &ix->trie;
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[i];
		uint32_t a = t->nodes[sbx_trie_find(t, w->root.path)].parent;
		while (a != 0 && !t->nodes[a].access)
			a = t->nodes[a].parent;
		if (a == 0 || t->nodes[a].access == SBX_ACCESS_WRITE)
			continue;
		uint32_t up = t->nodes[a].parent;
		while (up != 0 && t->nodes[up].wroot < 0)
			up = t->nodes[up].parent;
		if (up == 0)
			continue;
		const char *carve = ix->rules[t->nodes[a].rule].path;
		refuse(v, SBX_E0624, span_of(r, &w->root),
		       "`%s` cannot reopen `%s` for writing under the read-only carve-out "
		       "`%s`" REFUSING,
		       bname(v), Q(v, w->root.path), Q(v, carve));
	}
}

/* The policy against its legacy view (legacy.c): what a Windows backend
** would enforce differently. */
static void win_legacy(struct verdict *v, bool elevated)
{
	const struct sbx_resolved *r = v->r;
	const struct sbx_legacy_diff *d = sbx_legacy_diff_of(r);
	if (!r->legacy_ok) {
		refuse(v, SBX_E0625,
		       r->legacy_error_span.file ? r->legacy_error_span : r->profile->span,
		       "`%s` needs a projection onto the legacy model: %s" REFUSING, bname(v),
		       r->legacy_error);
		return;
	}
	for (size_t i = 0; i < d->nextra_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[d->extra_roots[i]];
		refuse(v, SBX_E0626, span_of(r, &w->root),
		       "`%s` writes only the legacy writable roots, and `%s` is not one" REFUSING,
		       bname(v), Q(v, w->root.path));
	}
	for (size_t i = 0; i < d->nmissing_roots; i++)
		refuse(v, SBX_E0626, r->profile->span,
		       "`%s` would make `%s` writable (the legacy projection writes it), but the "
		       "profile does not" REFUSING,
		       bname(v), Q(v, d->missing_roots[i]));
	for (size_t i = 0; i < d->nmissing_ro; i++)
		refuse(
		    v, SBX_E0626, r->profile->span,
		    "`%s` would keep `%s` read-only (a legacy carve-out), but the profile writes "
		    "it" REFUSING,
		    bname(v), Q(v, d->missing_ro[i]));
	if (!elevated)
		return;
	for (size_t i = 0; i < d->nextra_ro; i++) {
		const struct sbx_rpath *x = d->extra_ro[i];
		if (x->origin == SBX_ORIGIN_ENTRY && x->src->access == SBX_ACCESS_DENY)
			continue; /* reported as a denied path */
		refuse(v, SBX_E0627, span_of(r, x),
		       "`windows-elevated` cannot keep `%s` read-only: it supports only the legacy "
		       "carve-outs under writable roots" REFUSING,
		       Q(v, x->path));
	}
	if (r->legacy.full_read)
		return; /* the read side differs only by the denied paths, reported above */
	for (size_t i = 0; i < d->nmissing_readable; i++)
		refuse(v, SBX_E0628, r->profile->span,
		       "`windows-elevated` restricted read always makes `%s` readable, the profile "
		       "does not" REFUSING,
		       Q(v, d->missing_readable[i]));
	for (size_t i = 0; i < d->nextra_readable; i++)
		refuse(v, SBX_E0628, r->profile->span,
		       "`windows-elevated` restricted read cannot make `%s` readable the way the "
		       "profile does" REFUSING,
		       Q(v, d->extra_readable[i]));
}

/* A character no Windows file name holds: icacls would take `*` and `?` as
** wildcards, `:` past the drive names a stream, the rest the file system
** refuses. An ACL entry for such a path cannot be placed exactly. */
static int win_bad_char(const char *path)
{
	size_t root = sbx_path_root_len(SBX_FLAVOR_WINDOWS, path);
	for (const char *s = path; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || strchr("*?\"<>|", c) || (c == ':' && (size_t)(s - path) >= root))
			return c;
	}
	return 0;
}

static void win_name(struct verdict *v, const struct sbx_rpath *rp, const char *path)
{
	int c = win_bad_char(path);
	if (c)
		refuse(v, SBX_E0671, span_of(v->r, rp),
		       "`%s` cannot place an ACL entry on `%s`: no Windows file name holds "
		       "`%s`" REFUSING,
		       bname(v), Q(v, path),
		       c < 0x20 ? "a control character" : (char[]){(char)c, 0});
}

static void win_names(struct verdict *v)
{
	const struct sbx_resolved *r = v->r;
	win_name(v, NULL, r->opts.cwd);
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[i];
		win_name(v, &w->root, w->root.path);
		for (size_t j = 0; j < w->nread_only; j++)
			win_name(v, &w->read_only[j], w->read_only[j].path);
	}
	for (size_t i = 0; i < r->nreadable_roots; i++)
		win_name(v, &r->readable_roots[i], r->readable_roots[i].path);
	for (size_t i = 0; i < r->nunreadable_roots; i++)
		win_name(v, &r->unreadable_roots[i], r->unreadable_roots[i].path);
}

static void win_notes(struct verdict *v, bool elevated)
{
	const struct sbx_legacy_diff *d = sbx_legacy_diff_of(v->r);
	for (size_t i = 0; i < d->nmissing_names; i++)
		note(v,
		     "creates `%s` as an empty directory so that the protected name stays "
		     "read-only",
		     Q(v, d->missing_names[i]));
	for (size_t i = 0; !elevated && i < d->nextra_ro; i++)
		note(v, "adds a deny-write ACL on `%s`", Q(v, d->extra_ro[i]->path));
	if (!v->e->restricted_read)
		return;
	note(v, "restricts reads with a token whose restricting SIDs are only the plan's "
	        "capabilities: a file is readable only through sbxc's grants");
	/* the loader reads system DLLs from C:\Windows; without a grant there
	** (`:minimal`) the restricted token cannot open them: fewer reads, never
	** more, but most commands cannot start (R-SEM-37c) */
	if (sbx_resolved_access(v->r, "C:\\Windows\\System32", NULL) == SBX_ACCESS_DENY)
		note(v,
		     "`C:\\Windows` is not readable (no `:minimal`): most commands cannot start");
}

static void check_windows(struct verdict *v, bool elevated)
{
	const struct sbx_resolved *r = v->r;
	if (!flavor_fits(v, SBX_FLAVOR_WINDOWS) || r->disabled)
		return;
	if (r->full_write) {
		refuse(v, SBX_E0620, span_of(r, root_rule(v)),
		       "`%s` cannot enforce full-disk write access" REFUSING, bname(v));
		return;
	}
	win_network(v, elevated);
	no_filter_proxy(v);
	/* read restriction: the root is not readable (denied paths are reported
	** on their own below) */
	const struct sbx_rpath *root = root_rule(v);
	bool root_readable = root && root->src->access != SBX_ACCESS_DENY;
	v->e->restricted_read = elevated && !root_readable;
	if (!elevated && !root_readable)
		refuse(v, SBX_E0621, span_of(r, root),
		       "`windows-unelevated` cannot restrict reads (the whole disk is readable "
		       "under it)" REFUSING);
	win_names(v);
	win_paths(v, elevated);
	win_reopened(v);
	win_legacy(v, elevated);
	if (v->e->ok)
		win_notes(v, elevated);
}

void sbx_enforce(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	for (size_t b = 0; b < SBX_BACKEND_COUNT; b++) {
		struct verdict v = {
		    .ctx = ctx, .r = r, .b = (enum sbx_backend)b, .e = &r->enforce[b]};
		memset(v.e, 0, sizeof *v.e);
		v.e->ok = true;
		v.e->applicable = true;
		switch ((enum sbx_backend)b) {
		case SBX_BACKEND_MACOS_SEATBELT:
			check_seatbelt(&v);
			break;
		case SBX_BACKEND_LINUX_BWRAP:
			check_bwrap(&v);
			break;
		case SBX_BACKEND_LINUX_LANDLOCK:
			check_landlock(&v);
			break;
		case SBX_BACKEND_WINDOWS_ELEVATED:
			check_windows(&v, true);
			break;
		case SBX_BACKEND_WINDOWS_UNELEVATED:
			check_windows(&v, false);
			break;
		case SBX_BACKEND_COUNT:
			break;
		}
	}
}
