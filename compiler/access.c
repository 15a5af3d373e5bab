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
#include "pathglob.h"
#include "resolve_int.h"
#include "sort.h"

#include <stdint.h>
#include <stdlib.h>
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

/* The tag of a node: a 32-bit hash of its path, chained from its parent's
** tag and its name, so that the tags of every prefix of a path follow from
** the text alone (sbx_trie_insert() fetches their slots all at once). The
** tag picks the node's slot and is compared before the node is looked at;
** the node's parent and name decide. */
#define ROOT_TAG 0x2545f491u /* the virtual parent of the roots */

static uint32_t key_tag(enum sbx_flavor f, uint32_t ptag, const char *c, size_t n)
{
	return (uint32_t)(sbx_path_hash(f, (uint64_t)ptag * 0x9e3779b97f4a7c15ull, c, n) >> 32);
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
	t->nodes = sbx_arena_regrow(a, NULL, &t->cap, 64, sizeof *t->nodes);
	t->paths = sbx_arena_regrow(a, NULL, &t->cappaths, 64, sizeof *t->paths);
	t->nodes[0] = (struct sbx_trie_node){.parent = SBX_NO_NODE,
	                                     .tag = ROOT_TAG,
	                                     .rule = -1,
	                                     .block = -1,
	                                     .wroot = -1,
	                                     .glob = -1,
	                                     .fact = -1};
	t->paths[0] = NULL;
	t->n = 1;
	t->nslots = 128;
	t->slots = sbx_arena_alloc(a, t->nslots * sizeof *t->slots);
}

/* The child of parent named comp, whose tag is tag, or SBX_NO_NODE. */
static uint32_t child_of(const struct sbx_trie *t, uint32_t parent, const char *comp, size_t len,
                         uint32_t tag)
{
	size_t mask = t->nslots - 1;
	for (size_t i = tag & mask;; i = (i + 1) & mask) {
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

uint32_t sbx_trie_child(const struct sbx_trie *t, uint32_t parent, const char *comp, size_t len)
{
	return child_of(t, parent, comp, len, key_tag(t->flavor, t->nodes[parent].tag, comp, len));
}

void sbx_trie_prefetch_child(const struct sbx_trie *t, uint32_t parent, const char *comp,
                             size_t len)
{
	uint32_t tag = key_tag(t->flavor, t->nodes[parent].tag, comp, len);
	__builtin_prefetch(&t->slots[tag & (t->nslots - 1)]);
}

/* Puts slot value s (a node + 1, its tag above) where its tag says. */
static void slot_put(uint64_t *slots, size_t nslots, uint64_t s)
{
	size_t mask = nslots - 1;
	size_t i = (s >> 32) & mask;
	while (slots[i])
		i = (i + 1) & mask;
	slots[i] = s;
}

static void rehash(struct sbx_trie *t)
{
	size_t nslots = t->nslots * 2;
	uint64_t *slots = sbx_arena_alloc(t->arena, nslots * sizeof *slots);
	for (size_t j = 0; j < t->nslots; j++)
		if (t->slots[j])
			slot_put(slots, nslots, t->slots[j]);
	sbx_arena_drop(t->arena, t->slots, t->nslots * sizeof *t->slots);
	t->slots = slots;
	t->nslots = nslots;
}

/* Adds the child comp (whose tag is tag) to parent. comp must stay valid as
** long as the trie: it points into a path string. */
static uint32_t add_child(struct sbx_trie *t, uint32_t parent, const char *comp, size_t len,
                          uint32_t tag)
{
	if ((t->n + 1) * 2 > t->nslots)
		rehash(t);
	t->nodes = sbx_arena_regrow(t->arena, t->nodes, &t->cap, t->n + 1, sizeof *t->nodes);
	t->paths = sbx_arena_regrow(t->arena, t->paths, &t->cappaths, t->n + 1, sizeof *t->paths);
	uint32_t k = (uint32_t)t->n++;
	t->nodes[k] = (struct sbx_trie_node){
	    .parent = parent,
	    .depth = parent == 0 ? 0 : t->nodes[parent].depth + 1,
	    .comp = comp,
	    .len = (uint32_t)len,
	    .tag = tag,
	    .flags = (uint8_t)(t->nodes[parent].flags & SBX_NODE_GLOBBED),
	    .rule = -1,
	    .block = -1,
	    .wroot = -1,
	    .glob = -1,
	    .fact = -1,
	};
	t->paths[k] = NULL;
	slot_put(t->slots, t->nslots, (uint64_t)tag << 32 | ((uint64_t)k + 1));
	return k;
}

bool sbx_trie_comp_is(const struct sbx_trie *t, uint32_t node, const char *name)
{
	const struct sbx_trie_node *nd = &t->nodes[node];
	return comp_eq(t->flavor, nd->comp, nd->len, name, strlen(name));
}

uint32_t sbx_trie_child_add(struct sbx_trie *t, uint32_t parent, const char *comp, size_t len)
{
	uint32_t tag = key_tag(t->flavor, t->nodes[parent].tag, comp, len);
	uint32_t child = child_of(t, parent, comp, len, tag);
	return child != SBX_NO_NODE ? child : add_child(t, parent, comp, len, tag);
}

/* Walks path from the virtual root, adding the missing nodes when `add`.
** Returns its node, 0 for an empty path, SBX_NO_NODE when a node is missing.
**
** The components go in batches: their tags follow from the text, so the
** slots of a whole batch are fetched at once, then the nodes they point at,
** then those nodes' names, and only then is the path walked. A large trie
** does not fit the cache, and this waits for memory once per batch instead
** of three times per component. Once a node is new, so is everything below
** it: those are added without looking. */
#define BATCH 16

static uint32_t walk(struct sbx_trie *t, const char *path, bool add)
{
	struct comp_iter it;
	const char *c[BATCH];
	size_t n[BATCH];
	uint32_t tag[BATCH];
	uint32_t node = 0, ptag = ROOT_TAG;
	bool fresh = false; /* node was just added */
	iter_init(&it, t->flavor, path);
	for (;;) {
		size_t m = 0;
		while (m < BATCH && iter_next(&it, &c[m], &n[m])) {
			ptag = tag[m] = key_tag(t->flavor, ptag, c[m], n[m]);
			m++;
		}
		if (m == 0)
			return node;
		size_t mask = t->nslots - 1;
		if (!fresh) {
			for (size_t i = 0; i < m; i++)
				__builtin_prefetch(&t->slots[tag[i] & mask]);
			for (size_t i = 0; i < m; i++) {
				uint64_t s = t->slots[tag[i] & mask];
				if (s && (uint32_t)(s >> 32) == tag[i])
					__builtin_prefetch(&t->nodes[(uint32_t)s - 1]);
			}
			for (size_t i = 0; i < m; i++) {
				uint64_t s = t->slots[tag[i] & mask];
				if (s && (uint32_t)(s >> 32) == tag[i])
					__builtin_prefetch(t->nodes[(uint32_t)s - 1].comp);
			}
		}
		for (size_t i = 0; i < m; i++) {
			if (!fresh) {
				uint32_t child = child_of(t, node, c[i], n[i], tag[i]);
				if (child != SBX_NO_NODE) {
					node = child;
					continue;
				}
				if (!add)
					return SBX_NO_NODE;
				fresh = true;
			}
			node = add_child(t, node, c[i], n[i], tag[i]);
		}
		if (m < BATCH)
			return node;
	}
}

uint32_t sbx_trie_insert(struct sbx_trie *t, const char *path)
{
	uint32_t node = walk(t, path, true);
	if (node != 0 && !t->paths[node])
		t->paths[node] = path;
	return node == 0 ? SBX_NO_NODE : node;
}

uint32_t sbx_trie_find(const struct sbx_trie *t, const char *path)
{
	/* walk() adds nothing when add is false */
	uint32_t node = walk((struct sbx_trie *)t, path, false);
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

/* ---- path order ----
**
** sbx_path_cmp() orders paths component by component (the separator sorts
** before every other character, and a path before its extensions), so the
** preorder of the trie, each node's children taken in the order of their
** names, is the path order. sbx_path_cmpn() compares two component texts
** (or two root texts, which may hold separators) in that order. */

/* Siblings compare by the first eight bytes of their names (big-endian,
** zero-padded: a POSIX name holds no NUL and no separator, so this is the
** order of sbx_path_cmpn() as far as it goes), then by the names; roots and
** Windows names have key 0 and compare by name. */
struct sibling_order {
	const struct sbx_trie *t;
	const uint64_t *key;
};

static int sibling_cmp(const void *a, const void *b, void *arg)
{
	const struct sibling_order *o = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (o->key[x] != o->key[y])
		return o->key[x] < o->key[y] ? -1 : 1;
	const struct sbx_trie_node *nx = &o->t->nodes[x], *ny = &o->t->nodes[y];
	return sbx_path_cmpn(o->t->flavor, nx->comp, nx->len, ny->comp, ny->len);
}

static uint64_t name_key(const struct sbx_trie *t, const struct sbx_trie_node *nd)
{
	if (t->flavor != SBX_FLAVOR_POSIX || nd->parent == 0)
		return 0;
	uint64_t k = 0;
	for (size_t i = 0; i < 8; i++)
		k = k << 8 | (i < nd->len ? (unsigned char)nd->comp[i] : 0);
	return k;
}

uint32_t *sbx_trie_ranks(const struct sbx_trie *t)
{
	size_t n = t->n;
	/* the children of each node, in one array: kids[start[p] .. start[p + 1]);
	** one pass in node order (the names were written in about that order) */
	uint32_t *start = sbx_xcalloc(n + 1, sizeof *start);
	uint32_t *kids = sbx_xmalloc(n * sizeof *kids);
	uint64_t *key = sbx_xmalloc(n * sizeof *key);
	key[0] = 0;
	for (size_t k = 1; k < n; k++) {
		start[t->nodes[k].parent + 1]++;
		key[k] = name_key(t, &t->nodes[k]);
	}
	for (size_t p = 0; p < n; p++)
		start[p + 1] += start[p];
	uint32_t *fill = sbx_xmalloc(n * sizeof *fill);
	memcpy(fill, start, n * sizeof *fill);
	for (size_t k = 1; k < n; k++)
		kids[fill[t->nodes[k].parent]++] = (uint32_t)k;
	struct sibling_order o = {t, key};
	for (size_t p = 0; p < n; p++) {
		size_t m = start[p + 1] - start[p];
		uint32_t *g = kids + start[p];
		if (m > 8) {
			sbx_sort_r(g, m, sizeof *g, sibling_cmp, &o);
			continue;
		}
		for (size_t i = 1; i < m; i++) { /* few children: insertion sort */
			uint32_t x = g[i];
			size_t j = i;
			for (; j > 0 && sibling_cmp(&g[j - 1], &x, &o) > 0; j--)
				g[j] = g[j - 1];
			g[j] = x;
		}
	}
	free(key);
	/* The preorder without walking it: a node's rank is its parent's + 1 +
	** the sizes of the subtrees of its earlier siblings. Subtree sizes go
	** bottom-up and ranks top-down, both in node order (a parent comes
	** before its children), which keeps the memory accesses near each
	** other. */
	uint32_t *size = fill;
	for (size_t k = 0; k < n; k++)
		size[k] = 1;
	for (size_t k = n - 1; k > 0; k--)
		size[t->nodes[k].parent] += size[k];
	uint32_t *rank = sbx_xmalloc(n * sizeof *rank);
	rank[0] = 0;
	for (size_t p = 0; p < n; p++) {
		uint32_t r = rank[p] + 1;
		for (uint32_t i = start[p]; i < start[p + 1]; i++) {
			rank[kids[i]] = r;
			r += size[kids[i]];
		}
	}
	free(start);
	free(kids);
	free(fill);
	return rank;
}

void sbx_order_by_key(const uint64_t *key, size_t n, uint32_t *order)
{
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	if (n < 64) { /* insertion sort: stable */
		for (size_t i = 1; i < n; i++) {
			uint32_t x = order[i];
			size_t j = i;
			for (; j > 0 && key[order[j - 1]] > key[x]; j--)
				order[j] = order[j - 1];
			order[j] = x;
		}
		return;
	}
	uint64_t bits = 0;
	for (size_t i = 0; i < n; i++)
		bits |= key[i];
	/* least significant digit first, 11 bits a pass: each pass is stable */
	enum { DIGIT = 11, BUCKETS = 1 << DIGIT };
	uint32_t *a = order, *b = sbx_xmalloc(n * sizeof *b);
	size_t *count = sbx_xmalloc((BUCKETS + 1) * sizeof *count);
	for (unsigned shift = 0; shift < 64 && (bits >> shift); shift += DIGIT) {
		memset(count, 0, (BUCKETS + 1) * sizeof *count);
		for (size_t i = 0; i < n; i++)
			count[((key[a[i]] >> shift) & (BUCKETS - 1)) + 1]++;
		for (size_t d = 0; d < BUCKETS; d++)
			count[d + 1] += count[d];
		for (size_t i = 0; i < n; i++)
			b[count[(key[a[i]] >> shift) & (BUCKETS - 1)]++] = a[i];
		uint32_t *x = a;
		a = b, b = x;
	}
	if (a != order) {
		memcpy(order, a, n * sizeof *order);
		b = a;
	}
	free(b);
	free(count);
}

uint32_t *sbx_trie_wroots_above(const struct sbx_trie *t)
{
	uint32_t *up = sbx_xmalloc(t->n * sizeof *up);
	up[0] = 0;
	/* a parent comes before its children in the node array */
	for (size_t k = 1; k < t->n; k++) {
		uint32_t p = t->nodes[k].parent;
		up[k] = p != 0 && t->nodes[p].wroot >= 0 ? p : up[p];
	}
	return up;
}

const uint32_t *sbx_index_ranks(struct sbx_index *ix, bool all)
{
	if (ix->rank && (!all || ix->nranked == ix->trie.n))
		return ix->rank;
	free(ix->rank);
	ix->rank = sbx_trie_ranks(&ix->trie);
	ix->nranked = ix->trie.n;
	return ix->rank;
}

void sbx_index_ranks_free(struct sbx_index *ix)
{
	free(ix->rank);
	ix->rank = NULL;
	ix->nranked = 0;
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
	ix->globs_marked = false;
}

void sbx_trie_mark_globs(struct sbx_index *ix)
{
	struct sbx_trie *t = &ix->trie;
	/* a parent comes before its children in the node array */
	for (size_t k = 1; k < t->n; k++) {
		struct sbx_trie_node *nd = &t->nodes[k];
		if (nd->glob >= 0 || (t->nodes[nd->parent].flags & SBX_NODE_GLOBBED))
			nd->flags |= SBX_NODE_GLOBBED;
		else
			nd->flags &= (uint8_t)~SBX_NODE_GLOBBED;
	}
	ix->globs_marked = true;
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
	if (!ix->nglobs || (ix->globs_marked && node != SBX_NO_NODE &&
	                    !(ix->trie.nodes[node].flags & SBX_NODE_GLOBBED)))
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
