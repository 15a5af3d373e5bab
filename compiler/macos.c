/*
** macos.c: the macos-seatbelt view of a resolved policy (macos.h): grants
** with their case-insensitive exclusions, rename-protected parents, deny
** globs, all in the canonical spelling Seatbelt sees; and the answer those
** rules give for a path.
*/
#include "macos.h"
#include "arena.h"
#include "pathglob.h"
#include "resolve_int.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool sbx_macos_ci_eq(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

/* The firmlinked top-level directories and where Seatbelt sees them. */
static const char *const firmlinked[] = {"etc", "tmp", "var"};

const char *sbx_macos_canon(struct sbx_arena *a, const char *path)
{
	if (path[0] != '/')
		return path;
	const char *end = strchr(path + 1, '/');
	size_t n = end ? (size_t)(end - path - 1) : strlen(path + 1);
	for (size_t i = 0; i < sizeof firmlinked / sizeof firmlinked[0]; i++)
		if (sbx_macos_ci_eq(path + 1, n, firmlinked[i], 3))
			return sbx_arena_printf(a, "/private/%s%s", firmlinked[i], path + 1 + n);
	return path;
}

static const struct sbx_mac_device devices[] = {
    {"/dev/null", false, true},        {"/dev/zero", false, false}, {"/dev/random", false, false},
    {"/dev/urandom", false, false},    {"/dev/tty", false, true},   {"/dev/ptmx", false, true},
    {"^/dev/ttys[0-9]+$", true, true},
};

const struct sbx_mac_device *sbx_macos_devices(size_t *n)
{
	*n = sizeof devices / sizeof devices[0];
	return devices;
}

/* Is `root` (byte-wise) equal to path or an ancestor of it? */
static bool subpath_bytes(const char *root, const char *path)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return path[0] == '/';
	return strncmp(root, path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

bool sbx_macos_excl_covers(const struct sbx_mac_excl *e, const char *path)
{
	size_t n = strlen(e->path);
	if (strlen(path) < n || strncmp(e->path, path, e->root_len) != 0)
		return false;
	if (!sbx_macos_ci_eq(e->path + e->root_len, n - e->root_len, path + e->root_len,
	                     n - e->root_len))
		return false;
	return path[n] == '\0' || path[n] == '/' || (n == 1 && e->path[0] == '/');
}

/* ---- building ---- */

/* A candidate exclusion, by its folded canonical path. */
struct cand {
	const char *folded;
	const char *path;
	const struct sbx_rpath *why;
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = strcmp(x->folded, y->folded);
	return c ? c : strcmp(x->path, y->path);
}

static const char *fold(struct sbx_arena *a, const char *s)
{
	size_t n = strlen(s);
	char *r = sbx_arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++)
		r[i] = lower(s[i]);
	r[n] = '\0';
	return r;
}

struct cands {
	struct cand *v;
	size_t n, cap;
};

static void cand_add(struct sbx_ctx *ctx, struct cands *c, const char *path,
                     const struct sbx_rpath *why)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = sbx_xreallocarray(c->v, c->cap, sizeof *c->v);
	}
	const char *p = sbx_macos_canon(&ctx->arena, path);
	c->v[c->n++] = (struct cand){fold(&ctx->arena, p), p, why};
}

static void cands_sort(struct cands *c)
{
	if (c->n > 1)
		qsort(c->v, c->n, sizeof *c->v, cand_cmp);
}

static int excl_cmp(const void *a, const void *b)
{
	const struct sbx_mac_excl *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : (x->root_len > y->root_len) - (x->root_len < y->root_len);
}

/* Sorts and drops repeated exclusions (same path and root length). */
static void excl_unique(struct sbx_mac_excl *v, size_t *n)
{
	if (*n < 2)
		return;
	qsort(v, *n, sizeof *v, excl_cmp);
	size_t k = 1;
	for (size_t i = 1; i < *n; i++)
		if (excl_cmp(&v[i], &v[k - 1]) != 0)
			v[k++] = v[i];
	*n = k;
}

/* The exclusions of grant g: every candidate case-insensitively at or below
** g's path, spelled with g's bytes for the part g covers. */
static void exclusions(struct sbx_ctx *ctx, struct sbx_mac_grant *g, const struct cands *c)
{
	const char *fg = fold(&ctx->arena, g->path);
	size_t lg = strlen(fg);
	bool top = lg == 1;
	const char *key = top ? "/" : sbx_arena_printf(&ctx->arena, "%s/", fg);
	size_t lk = strlen(key);
	/* the first candidate >= fg: fg itself, then the block starting with key */
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(c->v[mid].folded, fg) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t cap = 0;
	for (size_t i = lo; i < c->n; i++) {
		const char *f = c->v[i].folded;
		bool same = strcmp(f, fg) == 0;
		if (!same && strncmp(f, key, lk) != 0) {
			if (strcmp(f, key) > 0)
				break;
			continue; /* between fg and key: `fg-x` and the like */
		}
		g->excl =
		    sbx_arena_regrow(&ctx->arena, g->excl, &cap, g->nexcl + 1, sizeof *g->excl);
		size_t rl = top ? 1 : lg;
		const char *spelled =
		    sbx_arena_printf(&ctx->arena, "%s%s", g->path, c->v[i].path + (top ? 1 : lg));
		g->excl[g->nexcl++] =
		    (struct sbx_mac_excl){spelled, same && !top ? lg : rl, c->v[i].why};
	}
	excl_unique(g->excl, &g->nexcl);
}

static int grant_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sbx_mac_grant *)a)->path,
	              ((const struct sbx_mac_grant *)b)->path);
}

/* Drops grants whose canonical path repeats (keeping the first). */
static void grants_unique(struct sbx_mac_grant *v, size_t *n, bool sort)
{
	if (*n < 2)
		return;
	if (sort)
		qsort(v, *n, sizeof *v, grant_cmp);
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		bool dup = false;
		for (size_t j = 0; !sort && j < k && !dup; j++)
			dup = strcmp(v[j].path, v[i].path) == 0;
		if (sort && k > 0)
			dup = strcmp(v[k - 1].path, v[i].path) == 0;
		if (!dup)
			v[k++] = v[i];
	}
	*n = k;
}

struct excl_list {
	struct sbx_mac_excl *v;
	size_t n, cap;
};

static void push_excl(struct sbx_ctx *ctx, struct excl_list *l, const char *path, size_t root_len,
                      const struct sbx_rpath *why)
{
	l->v = sbx_arena_regrow(&ctx->arena, l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = (struct sbx_mac_excl){path, root_len, why};
}

/* The parents of `path` strictly below its first root_len bytes, and with
** `self` the path too, as rename-protected exclusions. */
static void push_parents(struct sbx_ctx *ctx, struct excl_list *l, const char *path,
                         size_t root_len, bool self, const struct sbx_rpath *why)
{
	size_t n = strlen(path);
	for (size_t p = root_len + 1; p < n; p++)
		if (path[p] == '/')
			push_excl(ctx, l, sbx_arena_strndup(&ctx->arena, path, p), root_len, why);
	if (self && n > root_len)
		push_excl(ctx, l, path, root_len, why);
}

/* Is the folded path f at or below the folded root fr? */
static bool folded_below(const char *fr, const char *f)
{
	size_t n = strlen(fr);
	if (n == 1)
		return true;
	return strncmp(fr, f, n) == 0 && (f[n] == '\0' || f[n] == '/');
}

static void globs(struct sbx_ctx *ctx, const struct sbx_resolved *r, struct sbx_macos *m,
                  struct excl_list *rp)
{
	size_t cap = 0, capsrc = 0;
	for (size_t i = 0; i < r->nunreadable_globs; i++) {
		const struct sbx_rpath *g = &r->unreadable_globs[i];
		const char *variants[3] = {g->path, sbx_macos_canon(&ctx->arena, g->path), NULL};
		/* a wildcard first component may match tmp, var or etc, which
		** Seatbelt sees under /private */
		size_t lit = sbx_glob_literal_prefix(SBX_FLAVOR_POSIX, g->path);
		if (lit <= 1)
			variants[2] = sbx_arena_printf(&ctx->arena, "/private%s", g->path);
		for (size_t v = 0; v < 3; v++) {
			if (!variants[v] || (v == 1 && strcmp(variants[1], variants[0]) == 0))
				continue;
			m->globs = sbx_arena_regrow(&ctx->arena, m->globs, &cap, m->nglobs + 1,
			                            sizeof *m->globs);
			m->glob_src = sbx_arena_regrow(&ctx->arena, m->glob_src, &capsrc,
			                               m->nglobs + 1, sizeof *m->glob_src);
			m->glob_src[m->nglobs] = g;
			m->globs[m->nglobs++] = variants[v];
		}
		/* renaming the literal directory of a glob inside a writable root
		** would carry the files it matches out of its reach */
		const char *canon = variants[1];
		size_t cl = sbx_glob_literal_prefix(SBX_FLAVOR_POSIX, canon);
		const char *prefix = sbx_arena_strndup(&ctx->arena, canon, cl);
		const char *fp = fold(&ctx->arena, prefix);
		for (size_t w = 0; w < m->nwrite; w++) {
			const char *fw = fold(&ctx->arena, m->write[w].path);
			if (strlen(fw) >= strlen(fp) || !folded_below(fw, fp))
				continue;
			size_t lw = strlen(fw) == 1 ? 1 : strlen(fw);
			const char *spelled =
			    sbx_arena_printf(&ctx->arena, "%s%s", m->write[w].path, prefix + lw);
			push_parents(ctx, rp, spelled, lw, true, g);
		}
	}
}

const struct sbx_macos *sbx_macos_build(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	struct sbx_macos *m = sbx_arena_alloc(&ctx->arena, sizeof *m);
	if (r->disabled) {
		m->unsandboxed = true;
		return m;
	}
	struct sbx_index *ix = r->index;
	const struct sbx_trie *t = &ix->trie;

	/* candidates: denied paths for reads; every non-write rule and carve-out
	** for writes */
	struct cands deny = {0}, ro = {0};
	for (size_t i = 0; i < r->nunreadable_roots; i++)
		cand_add(ctx, &deny, r->unreadable_roots[i].path, &r->unreadable_roots[i]);
	for (size_t i = 0; i < ix->nrules; i++) {
		const struct sbx_trie_node *nd = &t->nodes[ix->rules[i].node];
		if ((size_t)nd->rule != i || nd->access == SBX_ACCESS_WRITE)
			continue;
		struct sbx_rpath *rp = sbx_arena_alloc(&ctx->arena, sizeof *rp);
		*rp = (struct sbx_rpath){.path = ix->rules[i].path,
		                         .origin = SBX_ORIGIN_ENTRY,
		                         .src = ix->rules[i].src,
		                         .node = ix->rules[i].node + 1};
		cand_add(ctx, &ro, rp->path, rp);
	}
	for (size_t w = 0; w < r->nwritable_roots; w++) {
		const struct sbx_writable_root *wr = &r->writable_roots[w];
		for (size_t k = 0; k < wr->nread_only; k++)
			cand_add(ctx, &ro, wr->read_only[k].path, &wr->read_only[k]);
		/* a root's protected names bind every grant above it too: an outer
		** writable root must not write `<inner>/.git` */
		for (size_t k = 0; k < wr->nprotected; k++)
			cand_add(ctx, &ro,
			         sbx_path_join(&ctx->arena, SBX_FLAVOR_POSIX, wr->root.path,
			                       wr->protected_names[k]),
			         &wr->root);
	}
	cands_sort(&deny);
	cands_sort(&ro);

	/* read grants */
	size_t nr = r->full_read ? 1 : r->nreadable_roots + r->nplatform_read_roots;
	m->read = sbx_arena_alloc(&ctx->arena, (nr + 1) * sizeof *m->read);
	if (r->full_read) {
		m->read[m->nread++] = (struct sbx_mac_grant){.path = "/"};
	} else {
		for (size_t i = 0; i < r->nreadable_roots; i++)
			m->read[m->nread++] = (struct sbx_mac_grant){
			    .path = sbx_macos_canon(&ctx->arena, r->readable_roots[i].path),
			    .src = &r->readable_roots[i]};
		for (size_t i = 0; i < r->nplatform_read_roots; i++)
			m->read[m->nread++] = (struct sbx_mac_grant){
			    .path = sbx_macos_canon(&ctx->arena, r->platform_read_roots[i])};
	}
	grants_unique(m->read, &m->nread, true);
	for (size_t i = 0; i < m->nread; i++)
		exclusions(ctx, &m->read[i], &deny);

	/* write grants, shallow to deep as the semantic pass orders them */
	struct excl_list rp = {0};
	m->write = sbx_arena_alloc(&ctx->arena, (r->nwritable_roots + 1) * sizeof *m->write);
	if (r->full_write) /* nothing narrows it (views.c): no roots are listed */
		m->write[m->nwrite++] = (struct sbx_mac_grant){.path = "/"};
	for (size_t w = 0; w < r->nwritable_roots; w++) {
		const struct sbx_writable_root *wr = &r->writable_roots[w];
		m->write[m->nwrite++] =
		    (struct sbx_mac_grant){.path = sbx_macos_canon(&ctx->arena, wr->root.path),
		                           .src = &wr->root,
		                           .names = wr->protected_names,
		                           .nnames = wr->nprotected};
	}
	grants_unique(m->write, &m->nwrite, false);
	for (size_t w = 0; w < m->nwrite; w++) {
		struct sbx_mac_grant *g = &m->write[w];
		exclusions(ctx, g, &ro);
		for (size_t k = 0; k < g->nexcl; k++)
			push_parents(ctx, &rp, g->excl[k].path, g->excl[k].root_len, false,
			             g->excl[k].why);
	}
	globs(ctx, r, m, &rp);
	excl_unique(rp.v, &rp.n);
	m->rename_protected = rp.v;
	m->nrename_protected = rp.n;
	free(deny.v);
	free(ro.v);
	return m;
}

/* ---- answering ---- */

static bool device_match(const struct sbx_mac_device *d, const char *path)
{
	if (!d->regex)
		return strcmp(d->path, path) == 0;
	/* the one regex device: ^/dev/ttys[0-9]+$ */
	if (strncmp(path, "/dev/ttys", 9) != 0 || path[9] == '\0')
		return false;
	for (const char *p = path + 9; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static const struct sbx_mac_excl *cut(const struct sbx_mac_grant *g, const char *path)
{
	for (size_t k = 0; k < g->nexcl; k++)
		if (sbx_macos_excl_covers(&g->excl[k], path))
			return &g->excl[k];
	return NULL;
}

/* Is path <root>/<name> or below it (the name without case)? */
static bool name_covers(const char *root, const char *name, const char *path)
{
	size_t rl = strlen(root) == 1 ? 0 : strlen(root);
	struct sbx_mac_excl e = {.root_len = rl};
	char buf[4096];
	size_t nl = strlen(name);
	if (rl + 1 + nl + 1 > sizeof buf)
		return false;
	memcpy(buf, root, rl);
	buf[rl] = '/';
	memcpy(buf + rl + 1, name, nl + 1);
	e.path = buf;
	e.root_len = rl + (rl == 0);
	return sbx_macos_excl_covers(&e, path);
}

static bool glob_hit(struct sbx_ctx *ctx, const struct sbx_macos *m, const char *path)
{
	if (!m->nglobs)
		return false;
	const char *fp = fold(&ctx->arena, path);
	for (size_t i = 0; i < m->nglobs; i++)
		if (sbx_glob_match_self_or_ancestor(SBX_FLAVOR_POSIX,
		                                    fold(&ctx->arena, m->globs[i]), fp))
			return true;
	return false;
}

unsigned sbx_macos_ops(struct sbx_ctx *ctx, const struct sbx_macos *m, const char *path,
                       const char **excluded_by)
{
	*excluded_by = NULL;
	if (m->unsandboxed)
		return SBX_MAC_ALL;
	const char *p = sbx_macos_canon(&ctx->arena, path);
	unsigned ops = 0;
	for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++)
		if (device_match(&devices[i], p))
			ops |= SBX_MAC_READ | (devices[i].write ? SBX_MAC_WRITE : 0);
	for (size_t i = 0; i < m->nread && !(ops & SBX_MAC_READ); i++) {
		if (!subpath_bytes(m->read[i].path, p))
			continue;
		const struct sbx_mac_excl *e = cut(&m->read[i], p);
		if (!e)
			ops |= SBX_MAC_READ;
		else if (!*excluded_by)
			*excluded_by = e->path;
	}
	for (size_t i = 0; i < m->nwrite; i++) {
		const struct sbx_mac_grant *g = &m->write[i];
		if (!subpath_bytes(g->path, p))
			continue;
		const struct sbx_mac_excl *e = cut(g, p);
		const char *named = NULL;
		for (size_t k = 0; !e && k < g->nnames && !named; k++)
			if (name_covers(g->path, g->names[k], p))
				named = g->names[k];
		if (!e && !named) {
			ops |= SBX_MAC_WRITE | SBX_MAC_CREATE | SBX_MAC_UNLINK | SBX_MAC_RENAME;
			break;
		}
		if (!*excluded_by)
			*excluded_by = e ? e->path
			                 : sbx_arena_printf(&ctx->arena, "%s%s%s", g->path,
			                                    strlen(g->path) == 1 ? "" : "/", named);
	}
	for (size_t i = 0; i < m->nrename_protected && (ops & SBX_MAC_RENAME); i++) {
		const struct sbx_mac_excl *e = &m->rename_protected[i];
		if (strlen(e->path) == strlen(p) && sbx_macos_excl_covers(e, p))
			ops &= ~(unsigned)(SBX_MAC_RENAME | SBX_MAC_UNLINK);
	}
	if (glob_hit(ctx, m, p))
		ops = 0;
	return ops;
}
