/*
** views.c: the derived views of a resolved policy (§1.4), the part the
** emitters consume. Runs twice per resolution: sbx_views_flags() right after
** expansion (full read, full write, platform defaults), and
** sbx_views_lists() after the writable roots are known (carveouts.c).
**
**   full read    a rule on the filesystem root of the cwd grants read, and
**                no deny rule or deny glob exists anywhere
**   full write   that rule grants write and no rule narrows it: every rule
**                path decides `write` (a read shadowed by a same-path write
**                does not count) and there is no deny glob
**   platform     `:minimal` is readable and the read is not full: the
**                platform read roots of the target OS become readable
**   readable     (restricted read only) paths of rules that resolve readable
**   writable     (not full write) carveouts.c, plus every narrower rule path
**                below a root that does not decide `write`
**   unreadable   paths of rules that decide `deny`, except the root itself
**   globs        the absolute deny patterns
** Lists are sorted with sbx_path_cmp and free of duplicates. Paths with a
** trie node are sorted by the nodes' ranks (access.c: one walk of the trie
** gives every node its place in path order), which compares integers instead
** of long strings that share their prefixes.
*/
#include "pathglob.h"
#include "resolve_int.h"
#include "sort.h"

#include <stdlib.h>
#include <string.h>

static const char *const linux_roots[] = {
    "/bin", "/etc", "/lib", "/lib64", "/nix/store", "/run/current-system/sw", "/sbin", "/usr",
};
static const char *const windows_roots[] = {
    "C:\\Program Files",
    "C:\\Program Files (x86)",
    "C:\\ProgramData",
    "C:\\Windows",
};
/* The read-only roots of Seatbelt's platform profile (§3.3); its scratch
** directories are writable there, which sbxc does not copy. */
static const char *const macos_roots[] = {
    "/Applications",
    "/Library/Apple",
    "/Library/Preferences",
    "/System/Library/Frameworks",
    "/System/Library/PrivateFrameworks",
    "/System/Library/SubFrameworks",
    "/bin",
    "/etc",
    "/opt/homebrew/lib",
    "/private/etc",
    "/private/var/db",
    "/sbin",
    "/usr/bin",
    "/usr/lib",
    "/usr/libexec",
    "/usr/local/lib",
    "/usr/sbin",
    "/usr/share",
};

const char *const *sbx_platform_read_roots(enum sbx_target_os os, size_t *n)
{
	switch (os) {
	case SBX_OS_MACOS:
		*n = sizeof macos_roots / sizeof macos_roots[0];
		return macos_roots;
	case SBX_OS_WINDOWS:
		*n = sizeof windows_roots / sizeof windows_roots[0];
		return windows_roots;
	default:
		*n = sizeof linux_roots / sizeof linux_roots[0];
		return linux_roots;
	}
}

static int rpath_cmp(const void *a, const void *b, void *arg)
{
	const enum sbx_flavor *f = arg;
	return sbx_path_cmp(*f, ((const struct sbx_rpath *)a)->path,
	                    ((const struct sbx_rpath *)b)->path);
}

static int str_cmp(const void *a, const void *b, void *arg)
{
	const enum sbx_flavor *f = arg;
	return sbx_path_cmp(*f, *(const char *const *)a, *(const char *const *)b);
}

/* Sorts and drops duplicate paths (keeping the first of equals). */
static void sort_rpaths(enum sbx_flavor f, struct sbx_rpath *v, size_t *n)
{
	if (*n < 2)
		return;
	sbx_sort_r(v, *n, sizeof *v, rpath_cmp, &f);
	size_t k = 1;
	for (size_t i = 1; i < *n; i++)
		if (!sbx_path_eq(f, v[i].path, v[k - 1].path))
			v[k++] = v[i];
	*n = k;
}

/* Sorts v[0..n) by rank (stable); the nodes must all have one. */
static void by_rank(const uint32_t *rank, struct sbx_rpath *v, size_t n)
{
	if (n <= 16) {
		for (size_t i = 1; i < n; i++) {
			struct sbx_rpath x = v[i];
			size_t j = i;
			for (; j > 0 && rank[v[j - 1].node - 1] > rank[x.node - 1]; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
		return;
	}
	uint64_t *keys = sbx_xmalloc(n * sizeof *keys);
	uint32_t *order = sbx_xmalloc(n * sizeof *order);
	for (size_t i = 0; i < n; i++)
		keys[i] = rank[v[i].node - 1];
	sbx_order_by_key(keys, n, order);
	struct sbx_rpath *tmp = sbx_xmalloc(n * sizeof *tmp);
	for (size_t i = 0; i < n; i++)
		tmp[i] = v[order[i]];
	memcpy(v, tmp, n * sizeof *v);
	free(tmp);
	free(order);
	free(keys);
}

/* Stable insertion sort by path, for a few rpaths. */
static void by_path(enum sbx_flavor f, struct sbx_rpath *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct sbx_rpath x = v[i];
		size_t j = i;
		for (; j > 0 && sbx_path_cmp(f, v[j - 1].path, x.path) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* The same as sort_rpaths() through the ranks of the paths' nodes (a path
** has one node, so equal paths have one rank). The ranks were computed for
** the nodes that existed then (carveouts.c); a few rpaths whose nodes came
** later (carve-outs) are sorted by path and merged in by path, many have the
** ranks computed again. An rpath that does not know its node makes the list
** compare paths. Stable, like glibc's merge sort there. */
static void sort_ranked(struct sbx_index *ix, enum sbx_flavor f, struct sbx_rpath *v, size_t *n)
{
	if (*n < 2)
		return;
	size_t nnew = 0;
	for (size_t i = 0; i < *n; i++) {
		if (!v[i].node) {
			sort_rpaths(f, v, n);
			return;
		}
		nnew += v[i].node - 1 >= ix->nranked;
	}
	if (nnew && *n <= 32) {
		sort_rpaths(f, v, n);
		return;
	}
	if (nnew > 64 || nnew == *n) {
		by_rank(sbx_index_ranks(ix, true), v, *n);
	} else if (nnew) {
		/* the ranked ones by rank, the others by path, then merged: a
		** path of one group is never equal to a path of the other */
		const uint32_t *rank = sbx_index_ranks(ix, false);
		struct sbx_rpath *old = sbx_xmalloc(*n * sizeof *old), *add = old + (*n - nnew);
		size_t no = 0, na = 0;
		for (size_t i = 0; i < *n; i++) {
			if (v[i].node - 1 < ix->nranked)
				old[no++] = v[i];
			else
				add[na++] = v[i];
		}
		by_rank(rank, old, no);
		by_path(f, add, na);
		size_t o = 0, i = 0;
		for (size_t j = 0; j < na; j++) {
			/* the first ranked rpath after add[j] */
			size_t lo = i, hi = no;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (sbx_path_cmp(f, old[mid].path, add[j].path) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			while (i < lo)
				v[o++] = old[i++];
			v[o++] = add[j];
		}
		while (i < no)
			v[o++] = old[i++];
		free(old);
	} else {
		by_rank(sbx_index_ranks(ix, false), v, *n);
	}
	size_t k = 1;
	for (size_t i = 1; i < *n; i++)
		if (v[i].node != v[k - 1].node)
			v[k++] = v[i];
	*n = k;
}

static void platform_roots(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	struct sbx_index *ix = r->index;
	size_t n;
	const char *const *roots = sbx_platform_read_roots(r->os, &n);
	r->platform_read_roots = sbx_arena_alloc(&ctx->arena, n * sizeof *r->platform_read_roots);
	for (size_t i = 0; i < n; i++) {
		const char *p =
		    sbx_path_normalize(&ctx->arena, r->opts.flavor, roots[i], strlen(roots[i]));
		if (!p)
			continue; /* a root of the other flavour */
		uint32_t node = sbx_trie_insert(&ix->trie, p);
		ix->trie.nodes[node].flags |= SBX_NODE_PLATFORM;
		r->platform_read_roots[r->nplatform_read_roots++] = p;
	}
	enum sbx_flavor f = r->opts.flavor;
	sbx_sort_r(r->platform_read_roots, r->nplatform_read_roots, sizeof *r->platform_read_roots,
	           str_cmp, &f);
}

void sbx_views_flags(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	if (r->disabled) {
		r->full_read = r->full_write = true;
		return;
	}
	struct sbx_index *ix = r->index;
	const struct sbx_trie *t = &ix->trie;
	uint32_t root = sbx_trie_find(t, r->fs_root);
	uint8_t ra = root == SBX_NO_NODE ? 0 : t->nodes[root].access;
	r->full_read = (ra == SBX_ACCESS_READ || ra == SBX_ACCESS_WRITE) && !ix->any_deny;
	bool narrowed = ix->nglobs > 0;
	for (size_t i = 0; !narrowed && i < ix->nrules; i++)
		narrowed = t->nodes[ix->rules[i].node].access != SBX_ACCESS_WRITE;
	r->full_write = ra == SBX_ACCESS_WRITE && !narrowed;
	r->include_platform_defaults = !r->full_read && ix->minimal_readable;
	if (r->include_platform_defaults)
		platform_roots(ctx, r);
}

/* Calls fn once per trie node that carries an explicit rule. */
#define FOR_EACH_RULE_NODE(ix, i, nd)                                                              \
	for (size_t i = 0; i < (ix)->nrules; i++)                                                  \
		for (const struct sbx_trie_node *nd = &(ix)->trie.nodes[(ix)->rules[i].node];      \
		     nd && (size_t)nd->rule == i; nd = NULL)

static struct sbx_rpath node_rpath(const struct sbx_index *ix, size_t rule)
{
	return (struct sbx_rpath){.path = ix->rules[rule].path,
	                          .origin = SBX_ORIGIN_ENTRY,
	                          .src = ix->rules[rule].src,
	                          .node = ix->rules[rule].node + 1};
}

static void readable_roots(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	struct sbx_index *ix = r->index;
	size_t cap = 0;
	FOR_EACH_RULE_NODE(ix, i, nd)
	{
		if (nd->access == SBX_ACCESS_DENY ||
		    sbx_glob_hit_node(r, ix->rules[i].node, ix->rules[i].path))
			continue;
		r->readable_roots =
		    sbx_arena_regrow(&ctx->arena, r->readable_roots, &cap, r->nreadable_roots + 1,
		                     sizeof *r->readable_roots);
		r->readable_roots[r->nreadable_roots++] = node_rpath(ix, i);
	}
	sort_ranked(ix, r->opts.flavor, r->readable_roots, &r->nreadable_roots);
}

static void unreadable(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	struct sbx_index *ix = r->index;
	size_t cap = 0;
	FOR_EACH_RULE_NODE(ix, i, nd)
	{
		if (nd->access != SBX_ACCESS_DENY || nd->parent == 0)
			continue; /* the filesystem root itself is never a mask */
		r->unreadable_roots =
		    sbx_arena_regrow(&ctx->arena, r->unreadable_roots, &cap,
		                     r->nunreadable_roots + 1, sizeof *r->unreadable_roots);
		r->unreadable_roots[r->nunreadable_roots++] = node_rpath(ix, i);
	}
	sort_ranked(ix, r->opts.flavor, r->unreadable_roots, &r->nunreadable_roots);
	r->unreadable_globs =
	    sbx_arena_alloc(&ctx->arena, (ix->nglobs + 1) * sizeof *r->unreadable_globs);
	for (size_t i = 0; i < ix->nglobs; i++)
		r->unreadable_globs[i] = (struct sbx_rpath){.path = ix->globs[i].pattern,
		                                            .origin = SBX_ORIGIN_ENTRY,
		                                            .src = ix->globs[i].src};
	r->nunreadable_globs = ix->nglobs;
	sort_rpaths(r->opts.flavor, r->unreadable_globs, &r->nunreadable_globs);
}

/* A read-only subpath found for writable root `root`: rule `what`, or
** block `what - nrules`. */
struct ro_add {
	uint32_t root, what;
};

static void push_add(struct ro_add **v, size_t *n, size_t *cap, size_t *count, uint32_t root,
                     size_t what)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = sbx_xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[(*n)++] = (struct ro_add){root, (uint32_t)what};
	count[root]++;
}

/* Adds every narrower non-write rule path to the writable roots above it.
** The additions are collected first, so that each root's list is allocated
** once at its final size. */
static void narrower_read_only(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	struct sbx_index *ix = r->index;
	const struct sbx_trie *t = &ix->trie;
	struct ro_add *adds = NULL;
	size_t nadds = 0, capadds = 0;
	size_t *count = sbx_xcalloc(r->nwritable_roots + 1, sizeof *count);
	uint32_t *up = sbx_trie_wroots_above(t);
	FOR_EACH_RULE_NODE(ix, i, nd)
	{
		if (nd->access == SBX_ACCESS_WRITE)
			continue;
		for (uint32_t a = up[ix->rules[i].node]; a != 0; a = up[a])
			push_add(&adds, &nadds, &capadds, count, (uint32_t)t->nodes[a].wroot, i);
	}
	/* A gitdir target is read-only wherever it lies: below another writable
	** root (a worktree's gitdir inside the main repository) it is that root's
	** read-only subpath too, or a backend that grants each root with its
	** own exclusions would let the other root write it. */
	for (size_t b = 0; b < ix->nblocks; b++) {
		const struct sbx_block *blk = &ix->blocks[b];
		if (blk->name)
			continue; /* a protected name: its own root's */
		uint32_t n = blk->rp.node ? blk->rp.node - 1 : sbx_trie_find(t, blk->rp.path);
		for (uint32_t a = n == SBX_NO_NODE ? 0 : up[n]; a != 0; a = up[a]) {
			int32_t k = t->nodes[a].wroot;
			if (sbx_path_eq(r->opts.flavor, r->writable_roots[k].root.path, blk->root))
				continue;
			push_add(&adds, &nadds, &capadds, count, (uint32_t)k, ix->nrules + b);
		}
	}
	free(up);
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		struct sbx_writable_root *w = &r->writable_roots[i];
		if (!count[i])
			continue;
		struct sbx_rpath *v =
		    sbx_arena_alloc(&ctx->arena, (w->nread_only + count[i]) * sizeof *v);
		if (w->nread_only)
			memcpy(v, w->read_only, w->nread_only * sizeof *v);
		w->read_only = v;
	}
	for (size_t j = 0; j < nadds; j++) {
		struct sbx_writable_root *w = &r->writable_roots[adds[j].root];
		size_t what = adds[j].what;
		w->read_only[w->nread_only++] =
		    what < ix->nrules ? node_rpath(ix, what) : ix->blocks[what - ix->nrules].rp;
	}
	free(adds);
	free(count);
	for (size_t i = 0; i < r->nwritable_roots; i++)
		sort_ranked(ix, r->opts.flavor, r->writable_roots[i].read_only,
		            &r->writable_roots[i].nread_only);
}

void sbx_views_lists(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	if (r->disabled)
		return;
	if (!r->full_read)
		readable_roots(ctx, r);
	unreadable(ctx, r);
	narrower_read_only(ctx, r);
	sbx_index_ranks_free(r->index);
}
