/*
** access.c: the path trie of the semantic pass and the effective-access
** query (§1.4 of the Codex fact sheet, plus deny globs and carve-outs).
**
** Every resolved rule path is inserted component by component into one trie
** (children found through a single open-addressing hash table keyed by
** parent node and component, case-folded for Windows paths as NTFS folds
** names, path.h). A node holds
** the deciding explicit rule at that exact path (greatest access; the first
** in document order among equals), a platform-root mark and a carve-out
** ("block"). Building is linear in the total number of components; a query
** walks the path once, so it costs O(depth) plus one match per deny glob.
**
** The query, in order: no sandbox -> write; a deny glob matching the path or
** an ancestor -> deny; otherwise the deepest node on the path with a rule
** decides (a platform root counts as `read` unless a shallower rule grants
** write); no rule -> deny; a write under a carve-out becomes read.
*/
#include "glob.h"
#include "resolve_int.h"

#include <stdint.h>
#include <string.h>

static bool is_sep(enum sbx_flavor f, char c)
{
	return c == '/' || (f == SBX_FLAVOR_WINDOWS && c == '\\');
}

/* Iterates the root and then the components of an absolute path. */
struct comp_iter {
	enum sbx_flavor f;
	const char *s;
	size_t pos, len;
	bool started;
};

static void iter_init(struct comp_iter *it, enum sbx_flavor f, const char *s)
{
	it->f = f, it->s = s, it->pos = 0, it->len = strlen(s), it->started = false;
}

static bool iter_next(struct comp_iter *it, const char **c, size_t *n)
{
	if (!it->started) {
		it->started = true;
		size_t rl = it->len ? sbx_path_root_len(it->f, it->s) : 0;
		if (rl == 0 || rl > it->len)
			return false;
		*c = it->s, *n = rl, it->pos = rl;
		return true;
	}
	while (it->pos < it->len && is_sep(it->f, it->s[it->pos]))
		it->pos++;
	if (it->pos >= it->len)
		return false;
	size_t j = it->pos;
	while (j < it->len && !is_sep(it->f, it->s[j]))
		j++;
	*c = it->s + it->pos, *n = j - it->pos, it->pos = j;
	return true;
}

static uint64_t hash_key(enum sbx_flavor f, uint32_t parent, const char *c, size_t n)
{
	uint64_t h = ((uint64_t)parent + 1) * 0x9e3779b97f4a7c15ull;
	if (f == SBX_FLAVOR_POSIX) {
		for (size_t i = 0; i < n; i++)
			h = (h ^ (unsigned char)c[i]) * 1099511628211ull;
	} else {
		/* folded characters, so that every spelling NTFS takes for one
		** name lands on one node */
		for (const char *p = c, *e = c + n; p < e;)
			h = (h ^ sbx_path_fold_next(&p, e)) * 1099511628211ull;
	}
	/* spread every bit over the low bits the table indexes with */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

static bool comp_eq(enum sbx_flavor f, const char *a, size_t an, const char *b, size_t bn)
{
	if (f == SBX_FLAVOR_POSIX)
		return an == bn && memcmp(a, b, an) == 0;
	/* folded characters; the spellings may differ in length (`ı` and `I`) */
	const char *ae = a + an, *be = b + bn;
	while (a < ae && b < be)
		if (sbx_path_fold_next(&a, ae) != sbx_path_fold_next(&b, be))
			return false;
	return a == ae && b == be;
}

void sbx_trie_init(struct sbx_trie *t, struct sbx_arena *a, enum sbx_flavor f)
{
	memset(t, 0, sizeof *t);
	t->flavor = f;
	t->arena = a;
	t->nodes = sbx_arena_grow(a, NULL, &t->cap, 64, sizeof *t->nodes);
	t->paths = sbx_arena_grow(a, NULL, &t->cappaths, 64, sizeof *t->paths);
	t->nodes[0] = (struct sbx_trie_node){
	    .parent = SBX_NO_NODE, .rule = -1, .block = -1, .wroot = -1, .glob = -1, .fact = -1};
	t->n = 1;
	t->nslots = 128;
	t->slots = sbx_arena_alloc(a, t->nslots * sizeof *t->slots);
}

uint32_t sbx_trie_child(const struct sbx_trie *t, uint32_t parent, const char *comp, size_t len)
{
	size_t mask = t->nslots - 1;
	uint64_t h = hash_key(t->flavor, parent, comp, len);
	uint32_t tag = (uint32_t)(h >> 32);
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		uint64_t s = t->slots[i];
		if (!s)
			return SBX_NO_NODE;
		if ((uint32_t)(s >> 32) != tag)
			continue; /* another key: no need to look at its node */
		uint32_t k = (uint32_t)s - 1;
		const struct sbx_trie_node *nd = &t->nodes[k];
		if (nd->parent == parent && comp_eq(t->flavor, nd->comp, nd->len, comp, len))
			return k;
	}
}

static void slot_put(uint64_t *slots, size_t nslots, uint64_t h, uint32_t node)
{
	size_t mask = nslots - 1;
	size_t i = h & mask;
	while (slots[i])
		i = (i + 1) & mask;
	slots[i] = (h >> 32 << 32) | ((uint64_t)node + 1);
}

static void rehash(struct sbx_trie *t)
{
	size_t nslots = t->nslots * 2;
	uint64_t *slots = sbx_arena_alloc(t->arena, nslots * sizeof *slots);
	for (uint32_t k = 1; k < t->n; k++) {
		const struct sbx_trie_node *nd = &t->nodes[k];
		slot_put(slots, nslots, hash_key(t->flavor, nd->parent, nd->comp, nd->len), k);
	}
	t->slots = slots;
	t->nslots = nslots;
}

static uint32_t add_child(struct sbx_trie *t, uint32_t parent, const char *comp, size_t len)
{
	if ((t->n + 1) * 2 > t->nslots)
		rehash(t);
	t->nodes = sbx_arena_grow(t->arena, t->nodes, &t->cap, t->n + 1, sizeof *t->nodes);
	t->paths = sbx_arena_grow(t->arena, t->paths, &t->cappaths, t->n + 1, sizeof *t->paths);
	uint32_t k = (uint32_t)t->n++;
	t->nodes[k] = (struct sbx_trie_node){
	    .parent = parent,
	    .depth = parent == 0 ? 0 : t->nodes[parent].depth + 1,
	    .comp = comp,
	    .len = (uint32_t)len,
	    .rule = -1,
	    .block = -1,
	    .wroot = -1,
	    .glob = -1,
	    .fact = -1,
	};
	slot_put(t->slots, t->nslots, hash_key(t->flavor, parent, comp, len), k);
	return k;
}

uint32_t sbx_trie_insert(struct sbx_trie *t, const char *path)
{
	struct comp_iter it;
	const char *c;
	size_t n;
	uint32_t node = 0;
	iter_init(&it, t->flavor, path);
	while (iter_next(&it, &c, &n)) {
		uint32_t child = sbx_trie_child(t, node, c, n);
		node = child != SBX_NO_NODE ? child : add_child(t, node, c, n);
	}
	if (node != 0 && !t->paths[node])
		t->paths[node] = path;
	return node == 0 ? SBX_NO_NODE : node;
}

uint32_t sbx_trie_find(const struct sbx_trie *t, const char *path)
{
	struct comp_iter it;
	const char *c;
	size_t n;
	uint32_t node = 0;
	iter_init(&it, t->flavor, path);
	while (iter_next(&it, &c, &n)) {
		node = sbx_trie_child(t, node, c, n);
		if (node == SBX_NO_NODE)
			return SBX_NO_NODE;
	}
	return node == 0 ? SBX_NO_NODE : node;
}

const char *sbx_trie_path(struct sbx_trie *t, uint32_t node)
{
	struct sbx_trie_node *nd = &t->nodes[node];
	if (t->paths[node])
		return t->paths[node];
	if (nd->parent == 0) {
		t->paths[node] = sbx_arena_strndup(t->arena, nd->comp, nd->len);
		return t->paths[node];
	}
	const char *parent = sbx_trie_path(t, nd->parent);
	char sep = t->flavor == SBX_FLAVOR_WINDOWS ? '\\' : '/';
	size_t pl = strlen(parent);
	bool need_sep = parent[pl - 1] != sep;
	char *p = sbx_arena_alloc(t->arena, pl + need_sep + nd->len + 1);
	memcpy(p, parent, pl);
	if (need_sep)
		p[pl++] = sep;
	memcpy(p + pl, nd->comp, nd->len);
	t->paths[node] = p;
	return p;
}

void sbx_trie_add_rule(struct sbx_index *ix, size_t rule)
{
	struct sbx_rrule *r = &ix->rules[rule];
	struct sbx_trie_node *nd = &ix->trie.nodes[r->node];
	if ((uint8_t)r->access > nd->access) {
		nd->access = (uint8_t)r->access;
		nd->rule = (int32_t)rule;
	}
}

static enum sbx_origin block_origin(const struct sbx_block *b)
{
	return b->rp.origin;
}

static void decide_blocked(const struct sbx_index *ix, int32_t blk, struct sbx_decision *why)
{
	const struct sbx_block *b = &ix->blocks[blk];
	why->granted_by = why->src;
	why->granted_path = why->matched;
	why->access = SBX_ACCESS_READ;
	why->origin = block_origin(b);
	why->src = NULL;
	why->matched = b->rp.path;
	why->root = b->root;
	why->name = b->name;
	why->carveout = &b->rp;
	why->write_blocked_by_name = b->name != NULL;
}

void sbx_trie_add_glob(struct sbx_index *ix, size_t g)
{
	struct sbx_rglob *x = &ix->globs[g];
	size_t n = sbx_glob_literal_prefix(ix->trie.flavor, x->pattern);
	uint32_t node =
	    sbx_trie_insert(&ix->trie, sbx_arena_strndup(ix->trie.arena, x->pattern, n));
	/* append, so globs on one node are tried in document order */
	int32_t *link = &ix->trie.nodes[node].glob;
	while (*link >= 0)
		link = &ix->globs[*link].next;
	x->next = -1;
	*link = (int32_t)g;
}

/* The deepest a match of a glob filed at node `at` can be and still count:
** on Linux, where a deny glob is a scan for its matches when the sandbox
** starts, glob_scan_max_depth levels below its literal prefix (the scan
** finds nothing deeper, so nothing deeper is denied); elsewhere any depth. */
static size_t glob_reach(const struct sbx_resolved *r, uint32_t at)
{
	uint32_t n = r->profile->glob_scan_max_depth;
	if (r->os != SBX_OS_LINUX || n == 0)
		return SIZE_MAX;
	return (size_t)((const struct sbx_index *)r->index)->trie.nodes[at].depth + n;
}

static bool glob_hits(const struct sbx_resolved *r, uint32_t at, int32_t g, const char *path)
{
	const struct sbx_index *ix = r->index;
	return sbx_glob_match_self_or_ancestor_within(r->opts.flavor, ix->globs[g].pattern, path,
	                                              glob_reach(r, at));
}

const struct sbx_rglob *sbx_glob_hit_node(const struct sbx_resolved *r, uint32_t node,
                                          const char *path)
{
	const struct sbx_index *ix = r->index;
	if (!ix->nglobs)
		return NULL;
	const struct sbx_rglob *best = NULL;
	for (uint32_t a = node; a != 0 && a != SBX_NO_NODE; a = ix->trie.nodes[a].parent)
		for (int32_t g = ix->trie.nodes[a].glob; g >= 0; g = ix->globs[g].next)
			if ((!best || &ix->globs[g] < best) && glob_hits(r, a, g, path))
				best = &ix->globs[g];
	return best;
}

const struct sbx_rglob *sbx_glob_hit(const struct sbx_resolved *r, const char *path)
{
	const struct sbx_index *ix = r->index;
	if (!ix->nglobs)
		return NULL;
	const struct sbx_trie *t = &ix->trie;
	const struct sbx_rglob *best = NULL;
	struct comp_iter it;
	const char *c;
	size_t n;
	uint32_t node = 0;
	iter_init(&it, t->flavor, path);
	while (iter_next(&it, &c, &n)) {
		node = sbx_trie_child(t, node, c, n);
		if (node == SBX_NO_NODE)
			break;
		for (int32_t g = t->nodes[node].glob; g >= 0; g = ix->globs[g].next)
			if ((!best || &ix->globs[g] < best) && glob_hits(r, node, g, path))
				best = &ix->globs[g];
	}
	return best;
}

enum sbx_access sbx_resolved_access(const struct sbx_resolved *r, const char *path,
                                    struct sbx_decision *why)
{
	struct sbx_decision tmp;
	if (!why)
		why = &tmp;
	memset(why, 0, sizeof *why);
	if (r->disabled) {
		why->access = SBX_ACCESS_WRITE;
		why->origin = SBX_ORIGIN_UNSANDBOXED;
		return why->access;
	}
	const struct sbx_index *ix = r->index;
	const struct sbx_rglob *g = sbx_glob_hit(r, path);
	if (g) {
		why->access = SBX_ACCESS_DENY;
		why->origin = SBX_ORIGIN_ENTRY;
		why->src = g->src;
		why->matched = g->pattern;
		return why->access;
	}
	const struct sbx_trie *t = &ix->trie;
	struct comp_iter it;
	const char *c;
	size_t n;
	uint32_t node = 0, best = SBX_NO_NODE, plat = SBX_NO_NODE;
	int32_t blk = -1;
	iter_init(&it, t->flavor, path);
	while (iter_next(&it, &c, &n)) {
		node = sbx_trie_child(t, node, c, n);
		if (node == SBX_NO_NODE)
			break;
		const struct sbx_trie_node *nd = &t->nodes[node];
		if (nd->access)
			best = node;
		if (nd->flags & SBX_NODE_PLATFORM)
			plat = node;
		if (nd->block >= 0 && blk < 0)
			blk = nd->block;
	}
	const struct sbx_trie_node *bn = best != SBX_NO_NODE ? &t->nodes[best] : NULL;
	if (plat != SBX_NO_NODE &&
	    (!bn || (t->nodes[plat].depth > bn->depth && bn->access != SBX_ACCESS_WRITE))) {
		why->access = SBX_ACCESS_READ;
		why->origin = SBX_ORIGIN_PLATFORM;
		why->matched = t->paths[plat];
		return why->access;
	}
	if (!bn && r->full_read) {
		/* Under full read every path has the root rule above it, except on
		** another drive or share (Windows): full-disk read is the whole
		** machine, as no Windows backend restricts reads by drive. */
		uint32_t root = sbx_trie_find(t, r->fs_root);
		why->access = SBX_ACCESS_READ;
		why->origin = SBX_ORIGIN_FULL_READ;
		why->matched = r->fs_root;
		why->src = root != SBX_NO_NODE && t->nodes[root].rule >= 0
		               ? ix->rules[t->nodes[root].rule].src
		               : NULL;
		return why->access;
	}
	if (!bn) {
		why->access = SBX_ACCESS_DENY;
		why->origin = SBX_ORIGIN_NO_MATCH;
		return why->access;
	}
	const struct sbx_rrule *rule = &ix->rules[bn->rule];
	why->access = rule->access;
	why->origin = SBX_ORIGIN_ENTRY;
	why->src = rule->src;
	why->matched = rule->path;
	if (why->access == SBX_ACCESS_WRITE && blk >= 0)
		decide_blocked(ix, blk, why);
	return why->access;
}

bool sbx_resolved_can_read(const struct sbx_resolved *r, const char *path)
{
	return sbx_resolved_access(r, path, NULL) != SBX_ACCESS_DENY;
}

bool sbx_resolved_can_write(const struct sbx_resolved *r, const char *path)
{
	return sbx_resolved_access(r, path, NULL) == SBX_ACCESS_WRITE;
}
