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
#include "glob.h"
#include "limits.h"
#include "resolve_int.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const sbx_protected_names[3] = {".git", ".agents", ".codex"};

static const enum sbx_origin name_origin[3] = {SBX_ORIGIN_GIT, SBX_ORIGIN_AGENTS, SBX_ORIGIN_CODEX};

/* ---- facts ---- */

/* A finalizer that spreads every input bit over the low bits the table
** indexes with (FNV-1a alone leaves them correlated for similar paths). */
static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

static uint64_t fact_hash(const struct sbx_facts *fs, const char *path, bool symlink_check)
{
	uint64_t h = symlink_check ? 0x9e3779b97f4a7c15ull : 1469598103934665603ull;
	if (fs->flavor == SBX_FLAVOR_POSIX) {
		for (const char *p = path; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
		return mix(h);
	}
	for (const char *p = path, *e = path + strlen(path); p < e;)
		h = (h ^ sbx_path_fold_next(&p, e)) * 1099511628211ull;
	return mix(h);
}

static bool fact_is_check(const struct sbx_fact *f)
{
	return f->kind == SBX_FACT_NOT_SYMLINK;
}

/* Looks a fact up; with `slot`, also returns where a new one would go. */
static struct sbx_fact *fact_find_slot(struct sbx_facts *fs, const char *path, bool symlink_check,
                                       size_t *slot)
{
	if (!fs->nslots)
		return NULL;
	size_t mask = fs->nslots - 1;
	uint64_t h = fact_hash(fs, path, symlink_check);
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		if (!fs->slots[i]) {
			if (slot)
				*slot = i;
			return NULL;
		}
		uint32_t k = fs->slots[i] - 1;
		struct sbx_fact *f = &fs->items[k];
		if (fs->tags[k] == (uint32_t)h && fact_is_check(f) == symlink_check &&
		    sbx_path_eq(fs->flavor, f->path, path))
			return f;
	}
}

static struct sbx_fact *fact_find(struct sbx_facts *fs, const char *path, bool symlink_check)
{
	return fact_find_slot(fs, path, symlink_check, NULL);
}

const struct sbx_fact *sbx_facts_find(struct sbx_facts *fs, const char *path, bool symlink_check)
{
	return fact_find(fs, path, symlink_check);
}

static void facts_rehash(struct sbx_facts *fs)
{
	size_t n = fs->nslots ? fs->nslots * 2 : 64;
	fs->slots = sbx_arena_alloc(fs->arena, n * sizeof *fs->slots);
	fs->nslots = n;
	for (size_t k = 0; k < fs->n; k++) {
		size_t slot = 0;
		const struct sbx_fact *f = &fs->items[k];
		fact_find_slot(fs, f->path, fact_is_check(f), &slot);
		fs->slots[slot] = (uint32_t)k + 1;
	}
}

void sbx_facts_add(struct sbx_ctx *ctx, struct sbx_facts *fs, const char *path,
                   enum sbx_fact_kind kind, const char *target, const char *reason, bool assumed)
{
	struct sbx_fact *f = fact_find(fs, path, kind == SBX_FACT_NOT_SYMLINK);
	if (f) {
		f->kind = kind;
		f->target = target;
		return;
	}
	fs->arena = &ctx->arena;
	if ((fs->n + 1) * 2 > fs->nslots)
		facts_rehash(fs);
	fs->items = sbx_arena_grow(&ctx->arena, fs->items, &fs->cap, fs->n + 1, sizeof *fs->items);
	fs->tags = sbx_arena_grow(&ctx->arena, fs->tags, &fs->captags, fs->n + 1, sizeof *fs->tags);
	fs->items[fs->n] = (struct sbx_fact){
	    .path = path, .kind = kind, .target = target, .reason = reason, .assumed = assumed};
	fs->tags[fs->n] = (uint32_t)fact_hash(fs, path, kind == SBX_FACT_NOT_SYMLINK);
	size_t slot = 0;
	fact_find_slot(fs, path, kind == SBX_FACT_NOT_SYMLINK, &slot);
	fs->slots[slot] = (uint32_t)++fs->n;
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
	if (lstat(path, &st) != 0)
		return errno == ENOENT || errno == ENOTDIR ? SBX_FACT_MISSING : SBX_FACT_OTHER;
	if (S_ISLNK(st.st_mode)) {
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
	struct sbx_fact *f = fact_find(fs, path, false);
	if (f)
		return f;
	if (!fs->probe) {
		sbx_facts_add(ctx, fs, path, assumed_kind, NULL, reason, true);
	} else {
		const char *target;
		enum sbx_fact_kind k = observe(ctx, path, &target);
		sbx_facts_add(ctx, fs, path, k, target, reason, false);
	}
	return fact_find(fs, path, false);
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

static int cand_cmp(const void *a, const void *b, void *arg)
{
	const struct sbx_trie *t = arg;
	const struct cand *x = a, *y = b;
	const struct sbx_trie_node *nx = &t->nodes[x->node], *ny = &t->nodes[y->node];
	if (nx->depth != ny->depth)
		return nx->depth < ny->depth ? -1 : 1;
	return sbx_path_cmp(t->flavor, t->paths[x->node], t->paths[y->node]);
}

static bool name_protected(const struct sbx_trie *t, uint32_t root, const char *name)
{
	uint32_t c = sbx_trie_child(t, root, name, strlen(name));
	return c == SBX_NO_NODE || t->nodes[c].access != SBX_ACCESS_WRITE;
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
	for (size_t k = 0; k < 3; k++) {
		const char *name = sbx_protected_names[k];
		if (sbx_trie_child(t, parent, name, strlen(name)) == node)
			return true;
	}
	return false;
}

/* Is node below a protected name of an accepted root (an ancestor)? */
static bool under_protected_name(const struct sbx_trie *t, uint32_t node)
{
	uint32_t below = node;
	for (uint32_t a = t->nodes[node].parent; a != 0 && a != SBX_NO_NODE;
	     below = a, a = t->nodes[a].parent) {
		if (!(t->nodes[a].flags & SBX_NODE_WROOT) || lifts_a_name(t, a))
			continue;
		for (size_t k = 0; k < 3; k++) {
			const char *name = sbx_protected_names[k];
			/* a trie lookup, so Windows names compare case-insensitively */
			if (sbx_trie_child(t, a, name, strlen(name)) == below &&
			    name_protected(t, a, name))
				return true;
		}
	}
	return false;
}

/* Candidate roots: nodes whose own rule is `write`, shallowest first. */
static struct cand *candidates(struct sbx_ctx *ctx, struct sbx_resolved *r, size_t *n)
{
	struct sbx_index *ix = r->index;
	struct sbx_trie *t = &ix->trie;
	struct cand *c = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t i = 0; i < ix->nrules; i++) {
		struct sbx_trie_node *nd = &t->nodes[ix->rules[i].node];
		if (nd->access != SBX_ACCESS_WRITE || (size_t)nd->rule != i)
			continue;
		c = sbx_arena_grow(&ctx->arena, c, &cap, *n + 1, sizeof *c);
		c[(*n)++] = (struct cand){ix->rules[i].node, i};
	}
	if (*n > 1)
		qsort_r(c, *n, sizeof *c, cand_cmp, t);
	return c;
}

static void add_ro(struct sbx_ctx *ctx, struct sbx_writable_root *w, size_t *cap,
                   struct sbx_rpath rp)
{
	w->read_only =
	    sbx_arena_grow(&ctx->arena, w->read_only, cap, w->nread_only + 1, sizeof *w->read_only);
	w->read_only[w->nread_only++] = rp;
}

static bool explicit_rule_at(const struct sbx_trie *t, const char *path)
{
	uint32_t n = sbx_trie_find(t, path);
	return n != SBX_NO_NODE && t->nodes[n].access != 0;
}

/* The default carve-outs of one root (§2.4), in the order gitdir target,
** .git, .agents, .codex. Records the facts it needed. */
static void default_carveouts(struct sbx_ctx *ctx, struct sbx_resolved *r,
                              struct sbx_writable_root *w, uint32_t node, size_t *cap)
{
	struct sbx_index *ix = r->index;
	const char *root = w->root.path;
	bool is_cwd = sbx_path_eq(r->opts.flavor, root, r->opts.cwd);
	for (size_t k = 0; k < 3; k++) {
		const char *name = sbx_protected_names[k];
		const char *p = sbx_resolve_join(ctx, r, root, name);
		uint32_t child = sbx_trie_child(&ix->trie, node, name, strlen(name));
		if (child != SBX_NO_NODE && ix->trie.nodes[child].access)
			continue; /* the user's rule replaces the default */
		if (child == SBX_NO_NODE)
			child = sbx_trie_insert(&ix->trie, p);
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

static void add_block(struct sbx_ctx *ctx, struct sbx_index *ix, struct sbx_rpath rp,
                      const char *root, const char *name)
{
	ix->blocks = sbx_arena_grow(&ctx->arena, ix->blocks, &ix->capblocks, ix->nblocks + 1,
	                            sizeof *ix->blocks);
	ix->blocks[ix->nblocks] = (struct sbx_block){.rp = rp, .root = root, .name = name};
	uint32_t node = sbx_trie_insert(&ix->trie, rp.path);
	if (node != SBX_NO_NODE && ix->trie.nodes[node].block < 0)
		ix->trie.nodes[node].block = (int32_t)ix->nblocks;
	ix->nblocks++;
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
                          uint32_t node)
{
	struct sbx_index *ix = r->index;
	for (size_t k = 0; k < 3; k++) {
		if (!name_protected(&ix->trie, node, sbx_protected_names[k]))
			continue;
		if (!w->protected_names)
			w->protected_names =
			    sbx_arena_alloc(&ctx->arena, 3 * sizeof *w->protected_names);
		w->protected_names[w->nprotected++] = sbx_protected_names[k];
		const char *p = sbx_resolve_join(ctx, r, w->root.path, sbx_protected_names[k]);
		enum sbx_origin o = SBX_ORIGIN_PROTECTED;
		for (size_t j = 0; j < w->nread_only; j++)
			if (sbx_path_eq(r->opts.flavor, w->read_only[j].path, p))
				o = w->read_only[j].origin;
		add_block(ctx, ix, (struct sbx_rpath){.path = p, .origin = o}, w->root.path,
		          sbx_protected_names[k]);
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
	for (size_t i = 0; i < n; i++) {
		struct sbx_trie_node *nd = &t->nodes[c[i].node];
		if (sbx_glob_hit_node(r, c[i].node, t->paths[c[i].node]) ||
		    under_protected_name(t, c[i].node))
			continue;
		nd->flags |= SBX_NODE_WROOT;
		r->writable_roots =
		    sbx_arena_grow(&ctx->arena, r->writable_roots, &cap, r->nwritable_roots + 1,
		                   sizeof *r->writable_roots);
		struct sbx_writable_root *w = &r->writable_roots[r->nwritable_roots];
		memset(w, 0, sizeof *w);
		w->root = (struct sbx_rpath){.path = ix->rules[c[i].rule].path,
		                             .origin = SBX_ORIGIN_ENTRY,
		                             .src = ix->rules[c[i].rule].src,
		                             .node = c[i].node + 1};
		nodes[r->nwritable_roots] = c[i].node;
		caps[r->nwritable_roots] = 0;
		r->nwritable_roots++;
	}
	for (size_t i = 0; i < r->nwritable_roots; i++)
		if (!lifts_a_name(t, nodes[i]))
			default_carveouts(ctx, r, &r->writable_roots[i], nodes[i], &caps[i]);
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
				targets[ntargets++] = &r->writable_roots[i].read_only[j];
				add_block(ctx, ix, r->writable_roots[i].read_only[j],
				          r->writable_roots[i].root.path, NULL);
			}
	size_t keep = 0;
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		if (under_gitdir(r, i, targets, ntargets)) {
			t->nodes[nodes[i]].flags &= (uint8_t)~SBX_NODE_WROOT;
			continue;
		}
		r->writable_roots[keep] = r->writable_roots[i];
		nodes[keep] = nodes[i];
		keep++;
	}
	r->nwritable_roots = keep;
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		t->nodes[nodes[i]].wroot = (int32_t)i;
		if (!lifts_a_name(t, nodes[i]))
			protect_names(ctx, r, &r->writable_roots[i], nodes[i]);
	}
}
