/*
** legacy.c: the legacy sandbox model (§2.1-§2.3 of the Codex fact sheet and
** the seed notes) and the round trip of a resolved policy through it. Runs
** after the views (views.c), always against the resolved cwd.
**
** Projection: `write` rules mark the cwd writable (a path equal to the cwd,
** including the first `:workspace_roots` binding), clear the tmp exclusions
** (`:tmpdir`, `:slash_tmp`) or become extra writable roots; the read side is
** full read when the filesystem root is readable (deny entries and globs are
** not projected: the round trip catches them), else restricted read
** (readable roots + the cwd, `:minimal` -> include_platform_defaults). Full-disk write projects to
*danger-full-access
** (network on) or external-sandbox (network restricted); a cwd-writable
** policy to workspace-write; any other write is the projection error; no
** write at all is read-only.
**
** Round trip: the projection is turned back into a policy (the "legacy
** view": `:root = read` or the restricted read roots, the cwd and the
** writable roots, the tmp roots, the default carve-outs of existing metadata)
** and resolved with the same facts. The policy round-trips when the
** projection exists, every protected name of the policy is a carve-out of the
** legacy view (legacy protects only existing metadata), and the semantic
** signatures (read and write flags, platform defaults, readable roots,
** writable roots with their read-only subpaths and protected names,
** unreadable roots and globs) are equal. The differences are kept for the
** Windows verdicts of enforce.c.
*/
#include "resolve_int.h"

#include <string.h>

/* Binary search in a list of rpaths sorted by sbx_path_cmp (views.c). */
static bool has_rpath(enum sbx_flavor f, const struct sbx_rpath *v, size_t n, const char *p)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = sbx_path_cmp(f, v[mid].path, p);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static void push_str(struct sbx_ctx *ctx, const char ***v, size_t *n, size_t *cap, const char *s)
{
	*v = sbx_arena_grow(&ctx->arena, *v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

/* ---- projection ---- */

struct scan {
	bool cwd_writable, tmpdir_write, slash_write;
	const struct sbx_rrule *root_write; /* `:root = "write"` */
	const struct sbx_rrule *outside;    /* the first other write */
};

static void scan_writes(struct sbx_ctx *ctx, struct sbx_resolved *r, struct scan *s)
{
	const struct sbx_index *ix = r->index;
	struct sbx_legacy_policy *L = &r->legacy;
	enum sbx_flavor f = r->opts.flavor;
	size_t cap = 0;
	bool *seen = sbx_arena_alloc(&ctx->arena, ix->trie.n * sizeof *seen);
	memset(s, 0, sizeof *s);
	for (size_t i = 0; i < ix->nrules; i++) {
		const struct sbx_rrule *rule = &ix->rules[i];
		if (rule->access != SBX_ACCESS_WRITE)
			continue;
		enum sbx_special sp =
		    rule->src->kind == SBX_ENTRY_SPECIAL ? rule->src->special : SBX_SPECIAL_NONE;
		if (sbx_path_eq(f, rule->path, r->fs_root)) {
			if (!s->root_write)
				s->root_write = rule;
		} else if (sbx_path_eq(f, rule->path, r->opts.cwd)) {
			s->cwd_writable = true;
		} else if (sp == SBX_SPECIAL_TMPDIR && !rule->src->subpath) {
			s->tmpdir_write = true;
		} else if (sp == SBX_SPECIAL_SLASH_TMP && !rule->src->subpath) {
			s->slash_write = true;
		} else {
			if (!s->outside)
				s->outside = rule;
			if (!seen[rule->node])
				push_str(ctx, &L->writable_roots, &L->nwritable_roots, &cap,
				         rule->path);
			seen[rule->node] = true;
		}
	}
}

/* Restricted read: the readable roots that are neither the cwd nor written. */
static void project_read(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	struct sbx_legacy_policy *L = &r->legacy;
	const struct sbx_index *ix = r->index;
	/* a readable filesystem root is full read; deny entries are not projected */
	uint32_t root = sbx_trie_find(&ix->trie, r->fs_root);
	L->full_read = r->full_read || (root != SBX_NO_NODE && ix->trie.nodes[root].access != 0 &&
	                                ix->trie.nodes[root].access != SBX_ACCESS_DENY);
	if (L->full_read)
		return;
	L->include_platform_defaults = r->include_platform_defaults;
	size_t cap = 0;
	for (size_t i = 0; i < r->nreadable_roots; i++) {
		const char *p = r->readable_roots[i].path;
		uint32_t node = sbx_trie_find(&ix->trie, p);
		if (sbx_path_eq(r->opts.flavor, p, r->opts.cwd) ||
		    (node != SBX_NO_NODE && ix->trie.nodes[node].access == SBX_ACCESS_WRITE))
			continue;
		push_str(ctx, &L->readable_roots, &L->nreadable_roots, &cap, p);
	}
}

static void fail(struct sbx_resolved *r, const struct sbx_rrule *rule, const char *msg)
{
	r->legacy_ok = false;
	r->legacy_error = msg;
	r->legacy_error_span = rule ? sbx_entry_span(rule->src) : SBX_NO_SPAN;
}

static void project(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	struct sbx_legacy_policy *L = &r->legacy;
	memset(L, 0, sizeof *L);
	L->network_access = r->network_enabled;
	r->legacy_ok = true;
	if (r->disabled || r->full_write) {
		L->kind = r->network_enabled ? SBX_LEGACY_KIND_DANGER_FULL_ACCESS
		                             : SBX_LEGACY_KIND_EXTERNAL_SANDBOX;
		L->full_read = true;
		return;
	}
	struct scan s;
	scan_writes(ctx, r, &s);
	project_read(ctx, r);
	if (s.root_write) {
		fail(r, s.root_write,
		     sbx_arena_printf(&ctx->arena,
		                      "`%s` is writable but other entries narrow it; the legacy "
		                      "model has full-disk write or none",
		                      sbx_q(ctx, r->fs_root)));
	} else if (s.cwd_writable) {
		L->kind = SBX_LEGACY_KIND_WORKSPACE_WRITE;
		L->exclude_tmpdir_env_var = !s.tmpdir_write;
		L->exclude_slash_tmp = !s.slash_write;
	} else if (s.outside || s.tmpdir_write || s.slash_write) {
		const char *where = s.outside        ? s.outside->path
		                    : s.tmpdir_write ? r->opts.tmpdir
		                                     : "/tmp";
		const struct sbx_rrule *rule = s.outside;
		fail(r, rule,
		     sbx_arena_printf(&ctx->arena,
		                      "the profile writes outside the workspace root (`%s`) while "
		                      "the workspace root `%s` is not writable",
		                      sbx_q(ctx, where), sbx_q(ctx, r->opts.cwd)));
		if (!rule) /* a tmp token: point at its entry */
			for (size_t i = 0; i < ((struct sbx_index *)r->index)->nrules; i++) {
				const struct sbx_rrule *x =
				    &((struct sbx_index *)r->index)->rules[i];
				if (x->access == SBX_ACCESS_WRITE &&
				    sbx_path_eq(r->opts.flavor, x->path, where)) {
					r->legacy_error_span = sbx_entry_span(x->src);
					break;
				}
			}
	} else {
		L->kind = SBX_LEGACY_KIND_READ_ONLY;
	}
}

/* ---- the legacy view ---- */

static const char *token_of(enum sbx_special sp)
{
	switch (sp) {
	case SBX_SPECIAL_ROOT:
		return ":root";
	case SBX_SPECIAL_MINIMAL:
		return ":minimal";
	case SBX_SPECIAL_TMPDIR:
		return ":tmpdir";
	case SBX_SPECIAL_SLASH_TMP:
		return ":slash_tmp";
	default:
		return ":workspace_roots";
	}
}

struct builder {
	struct sbx_fs_entry *v;
	size_t n, cap;
};

static void add_entry(struct sbx_ctx *ctx, struct builder *b, const struct sbx_resolved *r,
                      const char *path, enum sbx_special sp, enum sbx_access a)
{
	b->v = sbx_arena_grow(&ctx->arena, b->v, &b->cap, b->n + 1, sizeof *b->v);
	struct sbx_fs_entry *e = &b->v[b->n++];
	memset(e, 0, sizeof *e);
	e->access = a;
	e->profile = "legacy";
	if (sp != SBX_SPECIAL_NONE) {
		e->kind = SBX_ENTRY_SPECIAL;
		e->special = sp;
		e->token = token_of(sp);
		return;
	}
	e->kind = SBX_ENTRY_PATH;
	e->anchor = r->opts.flavor == SBX_FLAVOR_WINDOWS ? SBX_ANCHOR_WINDOWS : SBX_ANCHOR_POSIX;
	e->path = path;
}

/* Is p (a rule path of r) at or below a legacy writable root? The extra
** roots are marked on r's trie; the cwd and the tmp roots are checked
** directly. */
static bool under_legacy_root(const struct sbx_resolved *r, const bool *marks,
                              const char *const *special, size_t nspecial, const char *p)
{
	const struct sbx_trie *t = &((const struct sbx_index *)r->index)->trie;
	for (size_t i = 0; i < nspecial; i++)
		if (sbx_path_is_prefix(r->opts.flavor, special[i], p))
			return true;
	for (uint32_t n = sbx_trie_find(t, p); n != SBX_NO_NODE && n != 0; n = t->nodes[n].parent)
		if (marks[n])
			return true;
	return false;
}

static void view_entries(struct sbx_ctx *ctx, const struct sbx_resolved *r, struct builder *b)
{
	const struct sbx_legacy_policy *L = &r->legacy;
	enum sbx_flavor f = r->opts.flavor;
	bool ws = L->kind == SBX_LEGACY_KIND_WORKSPACE_WRITE;
	if (L->kind == SBX_LEGACY_KIND_DANGER_FULL_ACCESS ||
	    L->kind == SBX_LEGACY_KIND_EXTERNAL_SANDBOX) {
		add_entry(ctx, b, r, NULL, SBX_SPECIAL_ROOT, SBX_ACCESS_WRITE);
		return;
	}
	/* the legacy writable roots, to drop readable roots below them */
	const struct sbx_trie *t = &((const struct sbx_index *)r->index)->trie;
	bool *marks = sbx_arena_alloc(&ctx->arena, t->n * sizeof *marks);
	const char *special[3];
	size_t nspecial = 0;
	if (ws) {
		special[nspecial++] = r->opts.cwd;
		for (size_t i = 0; i < L->nwritable_roots; i++) {
			uint32_t n = sbx_trie_find(t, L->writable_roots[i]);
			if (n != SBX_NO_NODE)
				marks[n] = true;
		}
		if (!L->exclude_slash_tmp && f == SBX_FLAVOR_POSIX)
			special[nspecial++] = "/tmp";
		if (!L->exclude_tmpdir_env_var && r->opts.tmpdir)
			special[nspecial++] = r->opts.tmpdir;
	}
	if (L->full_read) {
		add_entry(ctx, b, r, NULL, SBX_SPECIAL_ROOT, SBX_ACCESS_READ);
	} else {
		add_entry(ctx, b, r, r->opts.cwd, SBX_SPECIAL_NONE, SBX_ACCESS_READ);
		if (L->include_platform_defaults)
			add_entry(ctx, b, r, NULL, SBX_SPECIAL_MINIMAL, SBX_ACCESS_READ);
		for (size_t i = 0; i < L->nreadable_roots; i++)
			if (!under_legacy_root(r, marks, special, nspecial, L->readable_roots[i]))
				add_entry(ctx, b, r, L->readable_roots[i], SBX_SPECIAL_NONE,
				          SBX_ACCESS_READ);
	}
	if (!ws)
		return;
	add_entry(ctx, b, r, r->opts.cwd, SBX_SPECIAL_NONE, SBX_ACCESS_WRITE);
	for (size_t i = 0; i < L->nwritable_roots; i++)
		add_entry(ctx, b, r, L->writable_roots[i], SBX_SPECIAL_NONE, SBX_ACCESS_WRITE);
	if (!L->exclude_slash_tmp)
		add_entry(ctx, b, r, NULL, SBX_SPECIAL_SLASH_TMP, SBX_ACCESS_WRITE);
	if (!L->exclude_tmpdir_env_var)
		add_entry(ctx, b, r, NULL, SBX_SPECIAL_TMPDIR, SBX_ACCESS_WRITE);
}

static const struct sbx_resolved *legacy_view(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	struct builder b = {0};
	view_entries(ctx, r, &b);
	struct sbx_profile *p = sbx_arena_alloc(&ctx->arena, sizeof *p);
	p->name = "legacy";
	p->kind = SBX_PROFILE_MANAGED;
	p->syntax = SBX_SYNTAX_LEGACY;
	p->entries = b.v;
	p->nentries = b.n;
	p->network = r->profile->network;
	struct sbx_resolve_opts o = r->opts;
	o.extra_roots = NULL;
	o.nextra_roots = 0;
	return sbx_resolve_core(ctx, p, &o, ((struct sbx_index *)r->index)->facts);
}

/* ---- the difference ---- */

/* The writable root of v at path p, through v's trie. */
static const struct sbx_writable_root *find_root(const struct sbx_resolved *v, const char *p)
{
	const struct sbx_trie *t = &((const struct sbx_index *)v->index)->trie;
	uint32_t n = sbx_trie_find(t, p);
	if (n == SBX_NO_NODE || t->nodes[n].wroot < 0)
		return NULL;
	return &v->writable_roots[t->nodes[n].wroot];
}

static bool has_ro(const struct sbx_writable_root *w, enum sbx_flavor f, const char *p)
{
	return has_rpath(f, w->read_only, w->nread_only, p);
}

static void diff_read(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                      const struct sbx_resolved *v, struct sbx_legacy_diff *d)
{
	enum sbx_flavor f = r->opts.flavor;
	size_t c1 = 0, c2 = 0;
	d->read_differs = r->full_read != v->full_read ||
	                  r->include_platform_defaults != v->include_platform_defaults;
	for (size_t i = 0; i < r->nreadable_roots; i++)
		if (!has_rpath(f, v->readable_roots, v->nreadable_roots, r->readable_roots[i].path))
			push_str(ctx, &d->extra_readable, &d->nextra_readable, &c1,
			         r->readable_roots[i].path);
	for (size_t i = 0; i < v->nreadable_roots; i++)
		if (!has_rpath(f, r->readable_roots, r->nreadable_roots, v->readable_roots[i].path))
			push_str(ctx, &d->missing_readable, &d->nmissing_readable, &c2,
			         v->readable_roots[i].path);
	d->read_differs |= d->nextra_readable || d->nmissing_readable;
}

static void diff_root(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                      const struct sbx_writable_root *w, const struct sbx_writable_root *lw,
                      struct sbx_legacy_diff *d, size_t caps[3])
{
	enum sbx_flavor f = r->opts.flavor;
	for (size_t j = 0; j < w->nread_only; j++)
		if (!has_ro(lw, f, w->read_only[j].path)) {
			d->extra_ro = sbx_arena_grow(&ctx->arena, d->extra_ro, &caps[0],
			                             d->nextra_ro + 1, sizeof *d->extra_ro);
			d->extra_ro[d->nextra_ro++] = &w->read_only[j];
		}
	for (size_t j = 0; j < lw->nread_only; j++)
		if (!has_ro(w, f, lw->read_only[j].path))
			push_str(ctx, &d->missing_ro, &d->nmissing_ro, &caps[1],
			         lw->read_only[j].path);
	for (size_t k = 0; k < w->nprotected; k++) {
		const char *p = sbx_resolve_join(ctx, r, w->root.path, w->protected_names[k]);
		if (!has_ro(lw, f, p) && !has_ro(w, f, p))
			push_str(ctx, &d->missing_names, &d->nmissing_names, &caps[2], p);
	}
}

static void diff_write(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                       const struct sbx_resolved *v, struct sbx_legacy_diff *d)
{
	size_t c1 = 0, c2 = 0, caps[3] = {0, 0, 0};
	d->full_write_differs = r->full_write != v->full_write;
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[i];
		const struct sbx_writable_root *lw = find_root(v, w->root.path);
		if (!lw) {
			d->extra_roots =
			    sbx_arena_grow(&ctx->arena, d->extra_roots, &c1, d->nextra_roots + 1,
			                   sizeof *d->extra_roots);
			d->extra_roots[d->nextra_roots++] = i;
			continue;
		}
		diff_root(ctx, r, w, lw, d, caps);
	}
	for (size_t i = 0; i < v->nwritable_roots; i++)
		if (!find_root(r, v->writable_roots[i].root.path))
			push_str(ctx, &d->missing_roots, &d->nmissing_roots, &c2,
			         v->writable_roots[i].root.path);
}

/* A reason visible without the legacy view: the legacy model has no denied
** paths and no deny globs. */
static const char *reason_without_view(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	if (r->nunreadable_roots)
		return sbx_arena_printf(&ctx->arena, "the legacy model cannot deny reading `%s`",
		                        sbx_q(ctx, r->unreadable_roots[0].path));
	if (r->nunreadable_globs)
		return sbx_arena_printf(&ctx->arena, "the legacy model has no deny globs (`%s`)",
		                        sbx_q(ctx, r->unreadable_globs[0].path));
	return NULL;
}

/* The first difference, as the round-trip reason. */
static const char *reason(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                          const struct sbx_legacy_diff *d)
{
	struct sbx_arena *a = &ctx->arena;
	const char *early = reason_without_view(ctx, r);
	if (early)
		return early;
	if (d->nmissing_names)
		return sbx_arena_printf(a,
		                        "`%s` is protected although it does not exist; the legacy "
		                        "model protects only existing metadata",
		                        sbx_q(ctx, d->missing_names[0]));
	if (d->full_write_differs)
		return "full-disk write differs from the legacy projection";
	if (d->nextra_roots)
		return sbx_arena_printf(
		    a, "`%s` is writable in the profile but not in the legacy projection",
		    sbx_q(ctx, r->writable_roots[d->extra_roots[0]].root.path));
	if (d->nmissing_roots)
		return sbx_arena_printf(a,
		                        "`%s` is writable in the legacy projection but not in the "
		                        "profile",
		                        sbx_q(ctx, d->missing_roots[0]));
	if (d->nextra_ro)
		return sbx_arena_printf(a,
		                        "read-only `%s` under a writable root is not a legacy "
		                        "carve-out",
		                        sbx_q(ctx, d->extra_ro[0]->path));
	if (d->nmissing_ro)
		return sbx_arena_printf(a,
		                        "`%s` is writable, but the legacy model keeps it read-only",
		                        sbx_q(ctx, d->missing_ro[0]));
	if (d->nmissing_readable)
		return sbx_arena_printf(a,
		                        "legacy restricted read also makes `%s` readable, the "
		                        "profile does not",
		                        sbx_q(ctx, d->missing_readable[0]));
	if (d->nextra_readable)
		return sbx_arena_printf(a,
		                        "`%s` is readable in the profile but not in the legacy "
		                        "projection",
		                        sbx_q(ctx, d->extra_readable[0]));
	if (d->read_differs)
		return "the read access differs from the legacy projection";
	return NULL;
}

static bool names_equal(const struct sbx_resolved *r, const struct sbx_resolved *v)
{
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[i];
		const struct sbx_writable_root *lw = find_root(v, w->root.path);
		if (!lw || lw->nprotected != w->nprotected)
			return false;
		for (size_t k = 0; k < w->nprotected; k++)
			if (strcmp(w->protected_names[k], lw->protected_names[k]) != 0)
				return false;
	}
	return true;
}

void sbx_legacy(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	struct sbx_index *ix = r->index;
	struct sbx_legacy_diff *d = sbx_arena_alloc(&ctx->arena, sizeof *d);
	ix->diff = d;
	project(ctx, r);
	if (!r->legacy_ok) {
		r->round_trips = false;
		r->round_trip_reason = r->legacy_error;
		return;
	}
	/* Only the Windows verdicts need the whole difference; for POSIX paths a
	** reason found without the view settles the round trip. */
	if (r->opts.flavor == SBX_FLAVOR_POSIX &&
	    (r->round_trip_reason = reason_without_view(ctx, r))) {
		r->round_trips = false;
		return;
	}
	const struct sbx_resolved *v = legacy_view(ctx, r);
	if (!v) { /* cannot happen: the context was valid for r */
		r->round_trips = false;
		r->round_trip_reason = "the legacy view could not be resolved";
		return;
	}
	d->have_view = true;
	diff_read(ctx, r, v, d);
	diff_write(ctx, r, v, d);
	const char *why = reason(ctx, r, d);
	if (!why && !names_equal(r, v))
		why = "the protected names differ from the legacy projection";
	r->round_trips = why == NULL;
	r->round_trip_reason = why;
}

const struct sbx_legacy_diff *sbx_legacy_diff_of(const struct sbx_resolved *r)
{
	return ((const struct sbx_index *)r->index)->diff;
}
