/*
** merge.c: the `extends` merge (§1.7) and the record of who wrote what.
**
** A profile's effective table is its chain merged parent-first: tables merge
** key by key, recursively; any other value of the child replaces the
** parent's (so a child's `":workspace_roots" = "write"` replaces a parent's
** scoped table). `description` and `extends` are never inherited. Inside
** `network.domains` keys are compared by normalized host name, so
** `"Example.COM."` in a child overrides `example.com` in its parent.
**
** The merge builds new tables and never modifies its inputs: `sbxc lint`
** compiles every profile of a file from the same parsed tree.
**
** struct sbx_origins maps each key (by the position of its span) to the
** profile that wrote it, so IR entries can name their profile.
*/
#include "schema.h"

#include <string.h>

/* One slot holds the key and its value, so a lookup touches one line. */
struct origin_slot {
	uint64_t key; /* (file << 32 | start) + 1; 0 marks an empty slot */
	const char *val;
};

struct sbx_origins {
	struct origin_slot *slots;
	size_t n, cap;
	const char *only; /* sbx_origins_single(): every marked key's profile */
};

struct sbx_origins *sbx_origins_new(struct sbx_ctx *ctx)
{
	return sbx_arena_alloc(&ctx->arena, sizeof(struct sbx_origins));
}

static uint64_t span_key(struct sbx_span s)
{
	return (((uint64_t)s.file << 32) | s.start) + 1;
}

static size_t slot(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

static void put(struct sbx_ctx *ctx, struct sbx_origins *o, uint64_t k, const char *v)
{
	if ((o->n + 1) * 2 > o->cap) {
		size_t ncap = o->cap ? o->cap * 2 : 64;
		struct origin_slot *ns = sbx_arena_alloc(&ctx->arena, ncap * sizeof *ns);
		for (size_t i = 0; i < o->cap; i++) {
			if (!o->slots[i].key)
				continue;
			size_t j = slot(o->slots[i].key, ncap);
			while (ns[j].key)
				j = (j + 1) & (ncap - 1);
			ns[j] = o->slots[i];
		}
		sbx_arena_drop(&ctx->arena, o->slots, o->cap * sizeof *o->slots);
		o->slots = ns, o->cap = ncap;
	}
	size_t j = slot(k, o->cap);
	while (o->slots[j].key && o->slots[j].key != k)
		j = (j + 1) & (o->cap - 1);
	if (!o->slots[j].key)
		o->n++;
	o->slots[j] = (struct origin_slot){k, v};
}

static void mark_value(struct sbx_ctx *ctx, struct sbx_origins *o, const struct sbx_toml_value *v,
                       const char *profile, int depth);

static void mark_table(struct sbx_ctx *ctx, struct sbx_origins *o, const struct sbx_toml_table *t,
                       const char *profile, int depth)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->items[i].span.file)
			put(ctx, o, span_key(t->items[i].span), profile);
		mark_value(ctx, o, &t->items[i].value, profile, depth + 1);
	}
}

static void mark_value(struct sbx_ctx *ctx, struct sbx_origins *o, const struct sbx_toml_value *v,
                       const char *profile, int depth)
{
	/* a profile's own keys sit a few levels deep (filesystem, network.mitm.hooks.x);
	** values below that are not entries and need no origin */
	if (depth > 6)
		return;
	if (v->type == SBX_TOML_TABLE)
		mark_table(ctx, o, v->u.table, profile, depth);
}

void sbx_origins_mark(struct sbx_ctx *ctx, struct sbx_origins *o, const struct sbx_toml_table *t,
                      const char *profile)
{
	mark_table(ctx, o, t, profile, 0);
}

void sbx_origins_single(struct sbx_origins *o, const char *profile)
{
	o->only = profile;
}

const char *sbx_origins_get(const struct sbx_origins *o, struct sbx_span key_span)
{
	if (o && o->only)
		return key_span.file ? o->only : NULL;
	if (!o || !o->cap || !key_span.file)
		return NULL;
	uint64_t k = span_key(key_span);
	size_t j = slot(k, o->cap);
	while (o->slots[j].key) {
		if (o->slots[j].key == k)
			return o->slots[j].val;
		j = (j + 1) & (o->cap - 1);
	}
	return NULL;
}

/* Where in a profile a merge happens: the domains table merges by host. */
enum merge_level { LEVEL_PROFILE, LEVEL_NETWORK, LEVEL_OTHER };

static struct sbx_toml_table *copy(struct sbx_ctx *ctx, const struct sbx_toml_table *t,
                                   bool drop_identity)
{
	struct sbx_toml_table *c = sbx_toml_table_new(ctx);
	for (size_t i = 0; i < t->n; i++) {
		const struct sbx_toml_key *k = &t->items[i];
		if (drop_identity &&
		    (sbx_schema_key_is(k, "description") || sbx_schema_key_is(k, "extends")))
			continue;
		sbx_toml_set(ctx, c, k->name, k->len, k->span, k->value);
	}
	return c;
}

/* network.domains: the parent's hosts that the child does not name (by
** normalized host), then all of the child's. */
static struct sbx_toml_table *merge_hosts(struct sbx_ctx *ctx, const struct sbx_toml_table *parent,
                                          const struct sbx_toml_table *child)
{
	struct sbx_toml_table *seen = sbx_toml_table_new(ctx);
	for (size_t i = 0; i < child->n; i++) {
		const char *h =
		    sbx_net_normalize_host(ctx, child->items[i].name, child->items[i].len);
		sbx_toml_set(ctx, seen, h, strlen(h), SBX_NO_SPAN, child->items[i].value);
	}
	struct sbx_toml_table *out = sbx_toml_table_new(ctx);
	for (size_t i = 0; i < parent->n; i++) {
		const struct sbx_toml_key *k = &parent->items[i];
		const char *h = sbx_net_normalize_host(ctx, k->name, k->len);
		if (!sbx_toml_getn(seen, h, strlen(h)))
			sbx_toml_set(ctx, out, k->name, k->len, k->span, k->value);
	}
	for (size_t i = 0; i < child->n; i++) {
		const struct sbx_toml_key *k = &child->items[i];
		sbx_toml_set(ctx, out, k->name, k->len, k->span, k->value);
	}
	return out;
}

static struct sbx_toml_table *merge(struct sbx_ctx *ctx, const struct sbx_toml_table *parent,
                                    const struct sbx_toml_table *child, enum merge_level level)
{
	struct sbx_toml_table *out = copy(ctx, parent, level == LEVEL_PROFILE);
	for (size_t i = 0; i < child->n; i++) {
		const struct sbx_toml_key *k = &child->items[i];
		struct sbx_toml_key *have = sbx_toml_getn(out, k->name, k->len);
		struct sbx_toml_value v = k->value;
		if (have && have->value.type == SBX_TOML_TABLE && v.type == SBX_TOML_TABLE) {
			if (level == LEVEL_NETWORK && sbx_schema_key_is(k, "domains"))
				v.u.table = merge_hosts(ctx, have->value.u.table, v.u.table);
			else
				v.u.table =
				    merge(ctx, have->value.u.table, v.u.table,
				          level == LEVEL_PROFILE && sbx_schema_key_is(k, "network")
				              ? LEVEL_NETWORK
				              : LEVEL_OTHER);
		}
		sbx_toml_set(ctx, out, k->name, k->len, k->span, v);
	}
	return out;
}

struct sbx_toml_table *sbx_merge_profiles(struct sbx_ctx *ctx, const struct sbx_toml_table *parent,
                                          const struct sbx_toml_table *child)
{
	return merge(ctx, parent, child, LEVEL_PROFILE);
}
