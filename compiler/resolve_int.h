/*
** resolve_int.h: the private data of the semantic pass, shared by its files.
**
**   resolve.c     context, expansion of entries to resolved rules, driver
**   access.c      the path trie and the effective-access query
**   carveouts.c   filesystem facts, writable roots, default carve-outs,
**                 protected names
**   views.c       full read/write, readable/writable/unreadable roots, globs
**   legacy.c      projection onto the legacy model, round trip
**   enforce.c     per-backend enforceability
**
** Nothing here is part of the contract (resolve.h); other passes must not
** include this header.
*/
#ifndef SBX_RESOLVE_INT_H
#define SBX_RESOLVE_INT_H

#include "resolve.h"

#include <stdint.h>

#define SBX_NO_NODE UINT32_MAX

/* One entry bound to one absolute path (an entry with a `:workspace_roots`
** base gives one rule per workspace root). */
struct sbx_rrule {
	const char *path;
	enum sbx_access access;
	const struct sbx_fs_entry *src;
	uint32_t node;
};

struct sbx_rglob {
	const char *pattern; /* absolute */
	const struct sbx_fs_entry *src;
	int32_t next; /* the next glob with the same literal prefix, or -1 */
};

/* A place where writes stop: a protected name (or default carve-out) under
** a writable root, or the target of a .git pointer. */
struct sbx_block {
	struct sbx_rpath rp;
	const char *root; /* the writable root it belongs to */
	const char *name; /* ".git", ".agents", ".codex"; NULL for a gitdir target */
};

enum {
	SBX_NODE_PLATFORM = 1, /* a platform default read root */
	SBX_NODE_WROOT = 2,    /* an accepted writable root */
	SBX_NODE_GLOBBED = 4,  /* a deny glob is filed here or at an ancestor (valid
	                          once sbx_trie_mark_globs() ran after the last glob) */
};

struct sbx_trie_node {
	uint32_t parent;
	uint32_t depth;   /* components below the filesystem root; a root is 0 */
	const char *comp; /* the component text (a root: the root text) */
	uint32_t len;
	uint32_t tag;   /* hash of the path, chained from the parent's (access.c) */
	int32_t rule;   /* deciding explicit rule (max access, first wins) or -1 */
	uint8_t access; /* that rule's access, 0 when no explicit rule */
	uint8_t flags;
	int32_t block; /* the block placed exactly here, or -1 */
	int32_t wroot; /* index into the resolved writable roots, or -1 */
	int32_t glob;  /* the first deny glob whose literal prefix is this path, or -1 */
	int32_t fact;  /* the filesystem fact about this path (cache), or -1 */
};

struct sbx_trie {
	enum sbx_flavor flavor;
	struct sbx_arena *arena;
	struct sbx_trie_node *nodes; /* nodes[0] is the virtual parent of all roots */
	size_t n, cap;
	const char **paths; /* paths[k]: the full path of node k once known (kept
	                       apart from the nodes, which walks touch, to keep
	                       those small) */
	size_t cappaths;
	uint64_t *slots; /* open addressing: node index + 1 (low half) and the upper
	                    half of the key's hash (high half: it picks the slot
	                    and is compared first); 0 = empty */
	size_t nslots;
};

/* Filesystem facts of one resolution, shared with its legacy view. */
struct sbx_facts {
	struct sbx_fact *items;
	size_t n, cap;
	bool probe;
	enum sbx_flavor flavor;
	uint64_t *slots; /* index by path, of all but the symlink checks: item index
	                    + 1 (low half) and the upper half of the path's hash
	                    (high half: it picks the slot and is compared first) */
	size_t nslots, nindexed;
	struct sbx_arena *arena;
};

/* The protected names of one writable root: the paths `<root>/<name>`
** (joined once, NULL until needed) and their trie nodes (SBX_NO_NODE until
** known), in the order of sbx_protected_names. */
struct sbx_root_names {
	const char *path[SBX_NPROTECTED_NAMES];
	uint32_t node[SBX_NPROTECTED_NAMES];
};

struct sbx_index {
	struct sbx_trie trie;
	struct sbx_rrule *rules;
	size_t nrules, caprules;
	struct sbx_rglob *globs;
	size_t nglobs, capglobs;
	struct sbx_block *blocks;
	size_t nblocks, capblocks;
	struct sbx_facts *facts;
	bool minimal_readable;         /* `:minimal` is read or write */
	bool any_deny;                 /* a deny rule or glob exists (`:minimal = "deny"` too) */
	bool globs_marked;             /* SBX_NODE_GLOBBED is valid on every node */
	struct sbx_legacy_diff *diff;  /* legacy.c */
	struct sbx_root_names *wnames; /* per writable root, as r->writable_roots */
	uint32_t *rank;                /* sbx_index_ranks(): path order of nodes [0, nranked) */
	size_t nranked;
};

/* access.c */
void sbx_trie_init(struct sbx_trie *t, struct sbx_arena *a, enum sbx_flavor f);
uint32_t sbx_trie_insert(struct sbx_trie *t, const char *path);
uint32_t sbx_trie_find(const struct sbx_trie *t, const char *path);
uint32_t sbx_trie_child(const struct sbx_trie *t, uint32_t parent, const char *comp, size_t len);
/* A hint that the child comp of parent will be looked up soon: starts
** loading its slot. Changes nothing. */
void sbx_trie_prefetch_child(const struct sbx_trie *t, uint32_t parent, const char *comp,
                             size_t len);
/* Is node's own name (its last component) `name`, as a lookup compares it? */
bool sbx_trie_comp_is(const struct sbx_trie *t, uint32_t node, const char *name);
/* The child comp of parent, added if missing (comp must outlive the trie). */
uint32_t sbx_trie_child_add(struct sbx_trie *t, uint32_t parent, const char *comp, size_t len);
/* The rank of every node in path order (sbx_path_cmp of the nodes' paths):
** rank[k] < rank[j] when node k's path sorts first. Caller frees. */
uint32_t *sbx_trie_ranks(const struct sbx_trie *t);
/* up[k]: the nearest node strictly above node k that is a writable root
** (wroot >= 0), 0 if none; follow up[] for the ones above that. One pass
** over the nodes instead of a walk to the top per query. Caller frees. */
uint32_t *sbx_trie_wroots_above(const struct sbx_trie *t);
/* order[0..n): the positions 0..n-1 by ascending key, equal keys in
** position order (stable). */
void sbx_order_by_key(const uint64_t *key, size_t n, uint32_t *order);
/* The ranks of ix's nodes, computed once (ix->rank, valid for the nodes that
** existed then: ix->nranked) and kept until sbx_index_ranks_free(); with
** `all`, recomputed if nodes were added since. */
const uint32_t *sbx_index_ranks(struct sbx_index *ix, bool all);
void sbx_index_ranks_free(struct sbx_index *ix);
/* The node of a rule's path gets the rule if it has the greater access. */
void sbx_trie_add_rule(struct sbx_index *ix, size_t rule);
/* Files glob g under the node of its literal prefix. */
void sbx_trie_add_glob(struct sbx_index *ix, size_t g);
/* Sets SBX_NODE_GLOBBED on every node at or below a glob's node (nodes
** added later inherit it from their parent), so that sbx_glob_hit_node()
** can skip the walk for the other nodes. */
void sbx_trie_mark_globs(struct sbx_index *ix);
/* The first deny glob (document order among those tried) that matches path
** or an ancestor, or NULL. Only globs whose literal prefix is an ancestor of
** path are tried, so this costs O(depth) plus those matches. */
const struct sbx_rglob *sbx_glob_hit(const struct sbx_resolved *r, const char *path);
/* The same for the path of a trie node, walking its ancestors. */
const struct sbx_rglob *sbx_glob_hit_node(const struct sbx_resolved *r, uint32_t node,
                                          const char *path);
/* The full path of a node (cached in node->path). */
const char *sbx_trie_path(struct sbx_trie *t, uint32_t node);

/* carveouts.c */
/* The fact about the path of a trie node (path may be NULL: the node's),
** probed once and then cached on the node. */
const struct sbx_fact *sbx_node_probe(struct sbx_ctx *ctx, struct sbx_index *ix, uint32_t node,
                                      const char *path, const char *reason);
const struct sbx_fact *sbx_facts_probe(struct sbx_ctx *ctx, struct sbx_facts *fs, const char *path,
                                       const char *reason);
/* A hint that the fact about path will be looked up soon. Changes nothing. */
void sbx_facts_prefetch(const struct sbx_facts *fs, const char *path);
/* Records a fact, or updates the kind and target of the fact about path. A
** symlink check (SBX_FACT_NOT_SYMLINK) is always appended: record each path's
** check once. */
void sbx_facts_add(struct sbx_ctx *ctx, struct sbx_facts *fs, const char *path,
                   enum sbx_fact_kind kind, const char *target, const char *reason, bool assumed);
bool sbx_slash_tmp_usable(struct sbx_ctx *ctx, struct sbx_facts *fs);
void sbx_carveouts(struct sbx_ctx *ctx, struct sbx_resolved *r);

/* views.c */
void sbx_views_flags(struct sbx_ctx *ctx, struct sbx_resolved *r);
void sbx_views_lists(struct sbx_ctx *ctx, struct sbx_resolved *r);

/* resolve.c: a resolution without the legacy and enforcement steps, sharing
** the facts of an outer one (the legacy view of legacy.c). */
struct sbx_resolved *sbx_resolve_core(struct sbx_ctx *ctx, const struct sbx_profile *p,
                                      const struct sbx_resolve_opts *opts, struct sbx_facts *facts);
/* The resolved paths of r's workspace roots and a path join in r's flavour. */
const char *sbx_resolve_join(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *base,
                             const char *rel);

/* legacy.c */
void sbx_legacy(struct sbx_ctx *ctx, struct sbx_resolved *r);

/* network.c: the network decision (r->net, network_enabled, proxy_enforced);
** runs before the legacy projection, which reads network_enabled. */
void sbx_network(struct sbx_ctx *ctx, struct sbx_resolved *r);
/* The `network` object of the `resolved` section (spec/ir-schema.md). */
json_t *sbx_net_decision_to_json(struct sbx_ctx *ctx, const struct sbx_resolved *r);

/* The differences between a policy and its legacy view (legacy.c), which
** enforce.c turns into Windows verdicts. Arrays hold indexes or paths. */
struct sbx_legacy_diff {
	bool have_view;    /* a projection exists and its view was built */
	bool read_differs; /* full_read, platform defaults or readable roots */
	bool full_write_differs;
	const char **extra_readable; /* readable in the policy, not in legacy */
	size_t nextra_readable;
	const char **missing_readable; /* readable in legacy, not in the policy */
	size_t nmissing_readable;
	size_t *extra_roots; /* policy writable roots (indexes) absent from legacy */
	size_t nextra_roots;
	const char **missing_roots; /* legacy writable roots absent from the policy */
	size_t nmissing_roots;
	/* read-only subpaths of shared roots that legacy lacks: */
	const struct sbx_rpath **extra_ro;
	size_t nextra_ro;
	/* read-only subpaths legacy has and the policy lacks (writable in policy): */
	const char **missing_ro;
	size_t nmissing_ro;
	/* protected names of the policy not protected by the legacy carve-outs */
	const char **missing_names; /* "<root>/<name>" */
	size_t nmissing_names;
};
const struct sbx_legacy_diff *sbx_legacy_diff_of(const struct sbx_resolved *r);

/* enforce.c */
void sbx_enforce(struct sbx_ctx *ctx, struct sbx_resolved *r);
/* observe.c: the observations of the paths bubblewrap mounts (probe) */
void sbx_observe(struct sbx_ctx *ctx, struct sbx_resolved *r);
/* guard.c: E0720 / E0719 for opts.policy_file / opts.artifact_dir */
void sbx_guard(struct sbx_ctx *ctx, const struct sbx_resolved *r);

/* resolve.c: quoting helpers for messages */
const char *sbx_q(struct sbx_ctx *ctx, const char *s);
struct sbx_span sbx_entry_span(const struct sbx_fs_entry *e);

#endif
