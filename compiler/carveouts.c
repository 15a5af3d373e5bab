/*
** carveouts.c: filesystem facts, writable roots, default carve-outs and
** protected names (§2.4 of the Codex fact sheet). Runs after the rules are
** in the trie and the full-read/full-write flags are known (views.c).
**
** Writable roots are the paths of `write` rules that resolve writable,
** taken shallowest first: a candidate below a protected name of an accepted
** root (`<root>/.git/hooks = "write"`) is refused, because a protected name
** is lifted only by an explicit write on `<root>/<name>` itself. For every
** accepted root the default read-only carve-outs are looked up: `.git` as a
** directory or a file (a `gitdir:` pointer file also protects its target),
** `.agents` as a directory, `.codex` as a directory or always when the root
** is the cwd; an explicit rule on the same path suppresses the default.
** Each protected name and each gitdir target becomes a "block": a write at
** or below it is refused (access.c).
**
** This is the only file besides enforce.c that reads the filesystem, and
** only through sbx_facts_probe(), which records what it saw. With probing
** off (an offline target) nothing is read: the fact is assumed and recorded
** as an assumption.
*/
#include "hash.h"
#include "pathglob.h"
#include "resolve_int.h"
#include "sbx_limits.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const sbx_protected_names[SBX_NPROTECTED_NAMES] = {".git", ".agents", ".codex"};

bool sbx_protected_name(const char *name)
{
	for (size_t k = 0; k < SBX_NPROTECTED_NAMES; k++)
		if (strcmp(name, sbx_protected_names[k]) == 0)
			return true;
	return false;
}

static const enum sbx_origin name_origin[SBX_NPROTECTED_NAMES] = {SBX_ORIGIN_GIT, SBX_ORIGIN_AGENTS,
                                                                  SBX_ORIGIN_CODEX};

/* ---- facts ----
**
** The facts are a list in the order they were learnt (the order of the
** output) with an open-addressing index by path of the facts about what is
** at a path. A slot holds the item index + 1 in its low half and the upper
** half of the path's hash in its high half, which picks the slot and is
** compared before the item is looked at; growing the index needs nothing but
** the slots. Each operation hashes its path once. Symlink checks
** (SBX_FACT_NOT_SYMLINK) are not indexed: enforce.c checks each path once
** and nothing looks them up. */

static uint64_t fact_hash(enum sbx_flavor f, const char *path)
{
	return sbx_path_hash(f, SBX_HASH_SEED, path, strlen(path));
}

/* Looks the path with hash h up; with `slot`, also returns where a new one
** would go. */
static struct sbx_fact *fact_lookup(const struct sbx_facts *fs, const char *path, uint64_t h,
                                    size_t *slot)
{
	if (!fs->nslots)
		return NULL;
	size_t mask = fs->nslots - 1;
	uint32_t tag = (uint32_t)(h >> 32);
	for (size_t i = tag & mask;; i = (i + 1) & mask) {
		uint64_t s = fs->slots[i];
		if (!s) {
			if (slot)
				*slot = i;
			return NULL;
		}
		if ((uint32_t)(s >> 32) != tag)
			continue;
		struct sbx_fact *f = &fs->items[(uint32_t)s - 1];
		if (sbx_path_eq(fs->flavor, f->path, path))
			return f;
	}
}

/* Doubles the index when one more entry would fill half of it. */
static void facts_reserve(struct sbx_ctx *ctx, struct sbx_facts *fs)
{
	fs->arena = &ctx->arena;
	if ((fs->nindexed + 1) * 2 <= fs->nslots)
		return;
	size_t n = fs->nslots ? fs->nslots * 2 : 64;
	uint64_t *slots = sbx_arena_alloc(fs->arena, n * sizeof *slots);
	for (size_t j = 0; j < fs->nslots; j++) {
		uint64_t s = fs->slots[j];
		if (!s)
			continue;
		size_t i = (s >> 32) & (n - 1);
		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = s;
	}
	sbx_arena_drop(fs->arena, fs->slots, fs->nslots * sizeof *fs->slots);
	fs->slots = slots;
	fs->nslots = n;
}

/* Appends a fact known to be new; indexes it at the slot fact_lookup()
** returned for hash h after facts_reserve() (none: SIZE_MAX). */
static struct sbx_fact *fact_append(struct sbx_ctx *ctx, struct sbx_facts *fs, size_t slot,
                                    uint64_t h, struct sbx_fact f)
{
	fs->items =
	    sbx_arena_regrow(&ctx->arena, fs->items, &fs->cap, fs->n + 1, sizeof *fs->items);
	fs->items[fs->n] = f;
	if (slot != SIZE_MAX) {
		fs->slots[slot] = (h >> 32 << 32) | ((uint64_t)fs->n + 1);
		fs->nindexed++;
	}
	return &fs->items[fs->n++];
}

void sbx_facts_prefetch(const struct sbx_facts *fs, const char *path)
{
	if (fs->nslots)
		__builtin_prefetch(
		    &fs->slots[(fact_hash(fs->flavor, path) >> 32) & (fs->nslots - 1)]);
}

void sbx_facts_add(struct sbx_ctx *ctx, struct sbx_facts *fs, const char *path,
                   enum sbx_fact_kind kind, const char *target, const char *reason, bool assumed)
{
	struct sbx_fact nf = {
	    .path = path, .kind = kind, .target = target, .reason = reason, .assumed = assumed};
	fs->arena = &ctx->arena;
	if (kind == SBX_FACT_NOT_SYMLINK) {
		fact_append(ctx, fs, SIZE_MAX, 0, nf);
		return;
	}
	uint64_t h = fact_hash(fs->flavor, path);
	facts_reserve(ctx, fs);
	size_t slot = 0;
	struct sbx_fact *f = fact_lookup(fs, path, h, &slot);
	if (f) {
		f->kind = kind;
		f->target = target;
		return;
	}
	fact_append(ctx, fs, slot, h, nf);
}

static const char *read_link(struct sbx_ctx *ctx, const char *path)
{
	char buf[SBX_MAX_PATH_BYTES + 1];
	ssize_t n = readlink(path, buf, sizeof buf - 1);
	if (n < 0)
		return NULL;
	return sbx_arena_strndup(&ctx->arena, buf, (size_t)n);
}

static enum sbx_fact_kind observe(struct sbx_ctx *ctx, const char *path, const char **target)
{
	struct stat st;
	*target = NULL;
	sbx_fs_seen(ctx, path, SBX_FS_ENTRY);
	if (lstat(path, &st) != 0)
		return errno == ENOENT || errno == ENOTDIR ? SBX_FACT_MISSING : SBX_FACT_OTHER;
	if (S_ISLNK(st.st_mode)) {
		sbx_fs_seen(ctx, path, SBX_FS_RESOLVE); /* fact_is() may follow it */
		*target = read_link(ctx, path);
		return SBX_FACT_SYMLINK;
	}
	if (S_ISDIR(st.st_mode))
		return SBX_FACT_DIR;
	if (S_ISREG(st.st_mode))
		return SBX_FACT_FILE;
	return SBX_FACT_OTHER;
}

/* The fact about `path` (not following a final symlink): observed when
** probing is on, else assumed to be `assumed_kind`. */
static const struct sbx_fact *probe_as(struct sbx_ctx *ctx, struct sbx_facts *fs, const char *path,
                                       const char *reason, enum sbx_fact_kind assumed_kind)
{
	uint64_t h = fact_hash(fs->flavor, path);
	facts_reserve(ctx, fs);
	size_t slot = 0;
	struct sbx_fact *f = fact_lookup(fs, path, h, &slot);
	if (f)
		return f;
	struct sbx_fact nf = {
	    .path = path, .kind = assumed_kind, .reason = reason, .assumed = true};
	if (fs->probe) {
		nf.kind = observe(ctx, path, &nf.target);
		nf.assumed = false;
	}
	return fact_append(ctx, fs, slot, h, nf);
}

const struct sbx_fact *sbx_resolved_fact(const struct sbx_resolved *r, const char *path)
{
	const struct sbx_index *ix = r->index;
	if (!ix || !ix->facts)
		return NULL;
	return fact_lookup(ix->facts, path, fact_hash(ix->facts->flavor, path), NULL);
}

const struct sbx_fact *sbx_facts_probe(struct sbx_ctx *ctx, struct sbx_facts *fs, const char *path,
                                       const char *reason)
{
	return probe_as(ctx, fs, path, reason, SBX_FACT_MISSING);
}

/* Is the fact a directory (following a symlink, as Codex's checks do)? */
static bool fact_is(const struct sbx_fact *f, bool want_dir, bool want_file)
{
	if (f->kind == SBX_FACT_DIR)
		return want_dir;
	if (f->kind == SBX_FACT_FILE || f->kind == SBX_FACT_GITDIR_POINTER)
		return want_file;
	if (f->kind == SBX_FACT_SYMLINK && !f->assumed) {
		struct stat st;
		if (stat(f->path, &st) != 0)
			return false;
		return (want_dir && S_ISDIR(st.st_mode)) || (want_file && S_ISREG(st.st_mode));
	}
	return false;
}

const struct sbx_fact *sbx_node_probe(struct sbx_ctx *ctx, struct sbx_index *ix, uint32_t node,
                                      const char *path, const char *reason)
{
	int32_t k = ix->trie.nodes[node].fact;
	if (k >= 0)
		return &ix->facts->items[k];
	if (!path)
		path = sbx_trie_path(&ix->trie, node);
	const struct sbx_fact *f = sbx_facts_probe(ctx, ix->facts, path, reason);
	ix->trie.nodes[node].fact = (int32_t)(f - ix->facts->items);
	return f;
}

bool sbx_slash_tmp_usable(struct sbx_ctx *ctx, struct sbx_facts *fs)
{
	const struct sbx_fact *f =
	    probe_as(ctx, fs, "/tmp", ":slash_tmp is /tmp when it is a directory", SBX_FACT_DIR);
	return fact_is(f, true, false);
}

/* ---- gitdir pointers ---- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Reads "gitdir: <path>" from a .git file; returns the resolved target or
** NULL if the file is not a pointer. Relative targets are relative to the
** directory holding the file. */
static const char *read_gitdir(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *file,
                               const char *dir)
{
	char buf[SBX_MAX_PATH_BYTES + 64];
	sbx_fs_seen(ctx, file, SBX_FS_CONTENT);
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	size_t len = (size_t)n, i = 0;
	while (i < len && is_space(buf[i]))
		i++;
	while (len > i && is_space(buf[len - 1]))
		len--;
	if (len - i < 7 || memcmp(buf + i, "gitdir:", 7) != 0 || memchr(buf + i, '\0', len - i))
		return NULL;
	i += 7;
	while (i < len && is_space(buf[i]))
		i++;
	if (i == len)
		return NULL;
	const char *text = sbx_arena_strndup(&ctx->arena, buf + i, len - i);
	if (text[0] == '/')
		return sbx_path_normalize(&ctx->arena, r->opts.flavor, text, len - i);
	return sbx_resolve_join(ctx, r, dir, text);
}

/* ---- writable roots ---- */

struct cand {
	uint32_t node;
	size_t rule;
};

/* Is node named one of the protected names? A node is the child of its
** parent that has its name, so this answers "is node the child `.git` (or
** ...) of its parent" without a lookup; Windows names compare folded, as the
** trie does. */
static bool is_protected_name(const struct sbx_trie *t, uint32_t node)
{
	for (size_t k = 0; k < SBX_NPROTECTED_NAMES; k++)
		if (sbx_trie_comp_is(t, node, sbx_protected_names[k]))
			return true;
	return false;
}

/* Is the root at `node` the explicit grant that lifts a protected name of
** the writable root right above it (`/repo/.git = "write"` under a writable
** `/repo`)? Such a root is the metadata itself: it gets no protected names or
** default carve-outs of its own (no `/repo/.git/.git`). */
static bool lifts_a_name(const struct sbx_trie *t, uint32_t node)
{
	uint32_t parent = t->nodes[node].parent;
	if (parent == 0 || !(t->nodes[parent].flags & SBX_NODE_WROOT))
		return false;
	return is_protected_name(t, node);
}

/* Is node below a protected name of an accepted root (an ancestor): is the
** node below such a root on its path one of its protected names, and not
** granted write explicitly? */
static bool under_protected_name(const struct sbx_trie *t, uint32_t node)
{
	uint32_t below = node;
	for (uint32_t a = t->nodes[node].parent; a != 0 && a != SBX_NO_NODE;
	     below = a, a = t->nodes[a].parent) {
		if (!(t->nodes[a].flags & SBX_NODE_WROOT) || lifts_a_name(t, a))
			continue;
		if (is_protected_name(t, below) && t->nodes[below].access != SBX_ACCESS_WRITE)
			return true;
	}
	return false;
}

/* Candidate roots: nodes whose own rule is `write`, shallowest first, then
** in path order (each node once, so the keys are unique). */
static struct cand *candidates(struct sbx_ctx *ctx, struct sbx_resolved *r, size_t *n)
{
	struct sbx_index *ix = r->index;
	struct sbx_trie *t = &ix->trie;
	const uint32_t *rank = sbx_index_ranks(ix, false);
	struct cand *c = NULL;
	size_t cap = 0;
	uint64_t *key = NULL;
	size_t capkey = 0;
	*n = 0;
	for (size_t i = 0; i < ix->nrules; i++) {
		struct sbx_trie_node *nd = &t->nodes[ix->rules[i].node];
		if (nd->access != SBX_ACCESS_WRITE || (size_t)nd->rule != i)
			continue;
		if (*n == capkey) {
			capkey = capkey ? capkey * 2 : 64;
			key = sbx_xreallocarray(key, capkey, sizeof *key);
		}
		/* depth, then the rank of the path */
		key[*n] = (uint64_t)nd->depth << 32 | rank[ix->rules[i].node];
		c = sbx_arena_regrow(&ctx->arena, c, &cap, *n + 1, sizeof *c);
		c[(*n)++] = (struct cand){ix->rules[i].node, i};
	}
	if (*n > 1) {
		uint32_t *order = sbx_xmalloc(*n * sizeof *order);
		struct cand *tmp = sbx_xmalloc(*n * sizeof *tmp);
		sbx_order_by_key(key, *n, order);
		for (size_t i = 0; i < *n; i++)
			tmp[i] = c[order[i]];
		memcpy(c, tmp, *n * sizeof *c);
		free(tmp);
		free(order);
	}
	free(key);
	return c;
}

static void add_ro(struct sbx_ctx *ctx, struct sbx_writable_root *w, size_t *cap,
                   struct sbx_rpath rp)
{
	if (!*cap) { /* a gitdir target and three names at most */
		w->read_only = sbx_arena_alloc(&ctx->arena, 4 * sizeof *w->read_only);
		*cap = 4;
	}
	w->read_only =
	    sbx_arena_grow(&ctx->arena, w->read_only, cap, w->nread_only + 1, sizeof *w->read_only);
	w->read_only[w->nread_only++] = rp;
}

/* The node of `<root>/<name>` below the root's node, added if missing: p is
** that path, ending in the name (the node's text points into it). The same
** as inserting p, without walking the root's components again. */
static uint32_t name_node(struct sbx_trie *t, uint32_t root, const char *p, size_t namelen)
{
	uint32_t child = sbx_trie_child_add(t, root, p + strlen(p) - namelen, namelen);
	if (!t->paths[child])
		t->paths[child] = p;
	return child;
}

static bool explicit_rule_at(const struct sbx_trie *t, const char *path)
{
	uint32_t n = sbx_trie_find(t, path);
	return n != SBX_NO_NODE && t->nodes[n].access != 0;
}

/* The default carve-outs of one root (§2.4), in the order gitdir target,
** .git, .agents, .codex. Records the facts it needed. */
static void default_carveouts(struct sbx_ctx *ctx, struct sbx_resolved *r,
                              struct sbx_writable_root *w, uint32_t node, size_t *cap,
                              struct sbx_root_names *wn)
{
	struct sbx_index *ix = r->index;
	const char *root = w->root.path;
	bool is_cwd = sbx_path_eq(r->opts.flavor, root, r->opts.cwd);
	for (size_t k = 0; k < SBX_NPROTECTED_NAMES; k++) {
		const char *name = sbx_protected_names[k];
		if (!wn->path[k])
			wn->path[k] = sbx_resolve_join(ctx, r, root, name);
		const char *p = wn->path[k];
		uint32_t child = sbx_trie_child(&ix->trie, node, name, strlen(name));
		wn->node[k] = child;
		if (child != SBX_NO_NODE && ix->trie.nodes[child].access)
			continue; /* the user's rule replaces the default */
		if (child == SBX_NO_NODE)
			wn->node[k] = child = name_node(&ix->trie, node, p, strlen(name));
		static const char *const reasons[3] = {"default .git carve-out",
		                                       "default .agents carve-out",
		                                       "default .codex carve-out"};
		const char *why = reasons[k];
		const struct sbx_fact *f = sbx_node_probe(ctx, ix, child, p, why);
		bool present = k == 0 ? fact_is(f, true, true) : fact_is(f, true, false);
		if (k == 2 && is_cwd)
			present = true; /* protected before it is created */
		if (!present)
			continue;
		struct sbx_rpath rp = {.path = p, .origin = name_origin[k], .node = child + 1};
		if (k == 0 && fact_is(f, false, true) && !f->assumed) {
			const char *target = read_gitdir(ctx, r, p, root);
			if (target) {
				if (f->kind == SBX_FACT_FILE) /* a symlink stays a symlink fact */
					sbx_facts_add(ctx, ix->facts, p, SBX_FACT_GITDIR_POINTER,
					              target, why, false);
				const struct sbx_fact *tf = sbx_facts_probe(
				    ctx, ix->facts, target,
				    sbx_arena_printf(&ctx->arena, "gitdir target of %s", p));
				if (tf->kind != SBX_FACT_MISSING &&
				    !explicit_rule_at(&ix->trie, target)) {
					struct sbx_rpath *via =
					    sbx_arena_alloc(&ctx->arena, sizeof *via);
					*via = rp;
					add_ro(ctx, w, cap,
					       (struct sbx_rpath){.path = target,
					                          .origin = SBX_ORIGIN_GITDIR,
					                          .via = via});
				}
			}
		}
		add_ro(ctx, w, cap, rp);
	}
}

/* Adds a block at rp, whose node is `node` (SBX_NO_NODE: insert rp.path).
** Returns the node. */
static uint32_t add_block(struct sbx_ctx *ctx, struct sbx_index *ix, struct sbx_rpath rp,
                          const char *root, const char *name, uint32_t node)
{
	ix->blocks = sbx_arena_regrow(&ctx->arena, ix->blocks, &ix->capblocks, ix->nblocks + 1,
	                              sizeof *ix->blocks);
	if (node == SBX_NO_NODE)
		node = sbx_trie_insert(&ix->trie, rp.path);
	if (node != SBX_NO_NODE) {
		rp.node = node + 1;
		if (ix->trie.nodes[node].block < 0)
			ix->trie.nodes[node].block = (int32_t)ix->nblocks;
	}
	ix->blocks[ix->nblocks++] = (struct sbx_block){.rp = rp, .root = root, .name = name};
	return node;
}

/* Is the root `self` at or below a gitdir target: another root's, or its
** own pointing at the root or above it (`gitdir: ..`)? Either way the root
** is git metadata, not writable. The targets are few (one per worktree or
** submodule root), so a list will do. */
static bool under_gitdir(const struct sbx_resolved *r, size_t self,
                         const struct sbx_rpath *const *targets, size_t ntargets)
{
	const char *p = r->writable_roots[self].root.path;
	for (size_t i = 0; i < ntargets; i++)
		if (sbx_path_is_prefix(r->opts.flavor, targets[i]->path, p))
			return true;
	return false;
}

static void protect_names(struct sbx_ctx *ctx, struct sbx_resolved *r, struct sbx_writable_root *w,
                          uint32_t node, struct sbx_root_names *wn)
{
	struct sbx_index *ix = r->index;
	struct sbx_trie *t = &ix->trie;
	for (size_t k = 0; k < SBX_NPROTECTED_NAMES; k++) {
		const char *name = sbx_protected_names[k];
		size_t len = strlen(name);
		uint32_t c = wn->node[k];
		if (c == SBX_NO_NODE)
			c = sbx_trie_child(t, node, name, len);
		if (c != SBX_NO_NODE && t->nodes[c].access == SBX_ACCESS_WRITE)
			continue; /* granted explicitly: not protected */
		if (!w->protected_names)
			w->protected_names =
			    sbx_arena_alloc(&ctx->arena, 3 * sizeof *w->protected_names);
		w->protected_names[w->nprotected++] = name;
		if (!wn->path[k])
			wn->path[k] = sbx_resolve_join(ctx, r, w->root.path, name);
		const char *p = wn->path[k];
		enum sbx_origin o = SBX_ORIGIN_PROTECTED;
		for (size_t j = 0; j < w->nread_only; j++)
			if (sbx_path_eq(r->opts.flavor, w->read_only[j].path, p))
				o = w->read_only[j].origin;
		if (c == SBX_NO_NODE)
			c = sbx_trie_child_add(t, node, p + strlen(p) - len, len);
		if (!t->paths[c])
			t->paths[c] = p; /* as inserting p would */
		wn->node[k] = c;
		add_block(ctx, ix, (struct sbx_rpath){.path = p, .origin = o}, w->root.path, name,
		          c);
	}
}

void sbx_carveouts(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	if (r->disabled || r->full_write)
		return;
	struct sbx_index *ix = r->index;
	struct sbx_trie *t = &ix->trie;
	size_t n, cap = 0;
	struct cand *c = candidates(ctx, r, &n);
	uint32_t *nodes = sbx_arena_alloc(&ctx->arena, (n + 1) * sizeof *nodes);
	size_t *caps = sbx_arena_alloc(&ctx->arena, (n + 1) * sizeof *caps);
	struct sbx_root_names *wn = sbx_arena_alloc(&ctx->arena, (n + 1) * sizeof *wn);
	ix->wnames = wn;
	for (size_t i = 0; i < n; i++) {
		struct sbx_trie_node *nd = &t->nodes[c[i].node];
		if (sbx_glob_hit_node(r, c[i].node, t->paths[c[i].node]) ||
		    under_protected_name(t, c[i].node))
			continue;
		nd->flags |= SBX_NODE_WROOT;
		r->writable_roots =
		    sbx_arena_regrow(&ctx->arena, r->writable_roots, &cap, r->nwritable_roots + 1,
		                     sizeof *r->writable_roots);
		struct sbx_writable_root *w = &r->writable_roots[r->nwritable_roots];
		memset(w, 0, sizeof *w);
		w->root = (struct sbx_rpath){.path = ix->rules[c[i].rule].path,
		                             .origin = SBX_ORIGIN_ENTRY,
		                             .src = ix->rules[c[i].rule].src,
		                             .node = c[i].node + 1};
		nodes[r->nwritable_roots] = c[i].node;
		caps[r->nwritable_roots] = 0;
		wn[r->nwritable_roots] =
		    (struct sbx_root_names){.node = {SBX_NO_NODE, SBX_NO_NODE, SBX_NO_NODE}};
		r->nwritable_roots++;
	}
	/* The default carve-outs, root by root (the facts are recorded in this
	** order). Their paths are joined first, so that the slots of a root a few
	** places ahead can be fetched from the trie's and the facts' indexes
	** while this one is probed: both are large, and the roots are all over
	** them. */
	bool *lifts = sbx_xmalloc((r->nwritable_roots + 1) * sizeof *lifts);
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		lifts[i] = lifts_a_name(t, nodes[i]);
		for (size_t k = 0; !lifts[i] && k < SBX_NPROTECTED_NAMES; k++)
			wn[i].path[k] = sbx_resolve_join(ctx, r, r->writable_roots[i].root.path,
			                                 sbx_protected_names[k]);
	}
	enum { AHEAD = 4 };
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		size_t a = i + AHEAD;
		if (a + AHEAD < r->nwritable_roots)
			__builtin_prefetch(&t->nodes[nodes[a + AHEAD]]);
		if (a < r->nwritable_roots && !lifts[a])
			for (size_t k = 0; k < SBX_NPROTECTED_NAMES; k++) {
				const char *name = sbx_protected_names[k];
				sbx_trie_prefetch_child(t, nodes[a], name, strlen(name));
				sbx_facts_prefetch(ix->facts, wn[a].path[k]);
			}
		if (!lifts[i])
			default_carveouts(ctx, r, &r->writable_roots[i], nodes[i], &caps[i],
			                  &wn[i]);
	}
	free(lifts);
	/* Every gitdir target is a block, whether or not its root stays
	** writable; a root at or below a gitdir target (another root's, or
	** its own pointing upwards) is not writable. */
	const struct sbx_rpath **targets = NULL;
	size_t ntargets = 0, tcap = 0;
	for (size_t i = 0; i < r->nwritable_roots; i++)
		for (size_t j = 0; j < r->writable_roots[i].nread_only; j++)
			if (r->writable_roots[i].read_only[j].origin == SBX_ORIGIN_GITDIR) {
				targets = sbx_arena_grow(&ctx->arena, targets, &tcap, ntargets + 1,
				                         sizeof *targets);
				struct sbx_rpath *x = &r->writable_roots[i].read_only[j];
				targets[ntargets++] = x;
				uint32_t node = add_block(
				    ctx, ix, *x, r->writable_roots[i].root.path, NULL, SBX_NO_NODE);
				if (node != SBX_NO_NODE)
					x->node = node + 1; /* for sorting by rank (views.c) */
			}
	size_t keep = 0;
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		if (under_gitdir(r, i, targets, ntargets)) {
			t->nodes[nodes[i]].flags &= (uint8_t)~SBX_NODE_WROOT;
			continue;
		}
		r->writable_roots[keep] = r->writable_roots[i];
		nodes[keep] = nodes[i];
		wn[keep] = wn[i];
		keep++;
	}
	r->nwritable_roots = keep;
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		t->nodes[nodes[i]].wroot = (int32_t)i;
		if (!lifts_a_name(t, nodes[i]))
			protect_names(ctx, r, &r->writable_roots[i], nodes[i], &wn[i]);
	}
}
