/*
** toml.c: operations on the generic TOML tree of toml.h.
**
** The parser (grammar/) and the document builder (toml_build.c) create the
** tree; schema.c and the built-in profiles read and extend it through the
** functions here. A table keeps its keys in definition order in `items`;
** lookups go through a hash index (open addressing) built once a table has
** more than a few keys, so a table of 100,000 keys is filled and checked for
** duplicates in linear time. A slot holds the item position + 1 and, above
** it, the upper half of the name's hash, which picks the slot and is compared
** before the item is looked at; so a miss rarely touches an item and growing
** the index needs nothing but the slots. The index lives in the arena like
** everything else and is private to this file.
*/
#include "toml.h"
#include "arena.h"
#include "hash.h"
#include "toml_build.h"

#include <string.h>

/* Tables up to this size are searched linearly; the index starts here. */
#define SMALL_TABLE 8

struct toml_index {
	uint64_t *slots; /* item position + 1, tag << 32; 0 is an empty slot */
	size_t nslots;   /* a power of two, kept at least twice the key count */
};

/* The tag of a name: the upper half of its hash. */
static uint32_t name_tag(const char *s, size_t len)
{
	return (uint32_t)(sbx_hash_bytes(SBX_HASH_SEED, s, len) >> 32);
}

static bool key_is(const struct sbx_toml_key *k, const char *name, size_t len)
{
	return k->len == len && memcmp(k->name, name, len) == 0;
}

/* Puts slot value s (a position + 1, its tag above) into slots. */
static void slot_put(uint64_t *slots, size_t nslots, uint64_t s)
{
	size_t mask = nslots - 1;
	size_t i = (size_t)(s >> 32) & mask;
	while (slots[i])
		i = (i + 1) & mask;
	slots[i] = s;
}

/* Puts item position `pos` into the index (which has room for it). */
static void index_put(struct toml_index *ix, const struct sbx_toml_table *t, size_t pos)
{
	const struct sbx_toml_key *k = &t->items[pos];
	slot_put(ix->slots, ix->nslots, (uint64_t)name_tag(k->name, k->len) << 32 | (pos + 1));
}

/* Builds the index of t from its items. */
static void index_build(struct sbx_arena *a, struct sbx_toml_table *t)
{
	size_t n = 64;
	while (n < t->n * 2)
		n *= 2;
	struct toml_index *ix = sbx_arena_alloc(a, sizeof *ix);
	ix->nslots = n;
	ix->slots = sbx_arena_alloc(a, n * sizeof *ix->slots);
	t->index = ix;
	for (size_t i = 0; i < t->n; i++)
		index_put(ix, t, i);
}

/* Doubles the index (the slots hold the tags: the items are not read). */
static void index_grow(struct sbx_arena *a, struct toml_index *ix)
{
	size_t n = ix->nslots * 2;
	uint64_t *slots = sbx_arena_alloc(a, n * sizeof *slots);
	for (size_t j = 0; j < ix->nslots; j++)
		if (ix->slots[j])
			slot_put(slots, n, ix->slots[j]);
	sbx_arena_drop(a, ix->slots, ix->nslots * sizeof *ix->slots);
	ix->slots = slots;
	ix->nslots = n;
}

struct sbx_toml_key *sbx_toml_getn(const struct sbx_toml_table *t, const char *name, size_t len)
{
	if (!t)
		return NULL;
	const struct toml_index *ix = t->index;
	if (!ix) {
		for (size_t i = 0; i < t->n; i++)
			if (key_is(&t->items[i], name, len))
				return &t->items[i];
		return NULL;
	}
	size_t mask = ix->nslots - 1;
	uint32_t tag = name_tag(name, len);
	for (size_t i = tag & mask; ix->slots[i]; i = (i + 1) & mask) {
		if ((uint32_t)(ix->slots[i] >> 32) != tag)
			continue;
		struct sbx_toml_key *k = &t->items[(uint32_t)ix->slots[i] - 1];
		if (key_is(k, name, len))
			return k;
	}
	return NULL;
}

void sbx_toml_prefetch(const struct sbx_toml_table *t, const char *name, size_t len)
{
	const struct toml_index *ix = t->index;
	if (ix)
		__builtin_prefetch(&ix->slots[name_tag(name, len) & (ix->nslots - 1)]);
}

struct sbx_toml_key *sbx_toml_get(const struct sbx_toml_table *t, const char *name)
{
	return sbx_toml_getn(t, name, strlen(name));
}

void *sbx_toml_grow(struct sbx_arena *a, void *old, size_t *cap, size_t want, size_t elem)
{
	if (*cap == 0) {
		*cap = want;
		return sbx_arena_alloc(a, want * elem);
	}
	return sbx_arena_grow(a, old, cap, want, elem);
}

struct sbx_toml_table *sbx_toml_table_new(struct sbx_ctx *ctx)
{
	struct sbx_toml_table *t = sbx_arena_alloc(&ctx->arena, sizeof *t);
	t->origin = SBX_TOML_ORIGIN_SYNTHETIC;
	return t;
}

/* Appends a key that is known to be absent. The name is copied. */
static struct sbx_toml_key *append_key(struct sbx_ctx *ctx, struct sbx_toml_table *t,
                                       const char *name, size_t len, struct sbx_span span,
                                       struct sbx_toml_value value)
{
	/* the first block holds one key (most tables are small); then the items
	** double in place: a pointer to a key does not survive adding one */
	if (!t->cap)
		t->items = sbx_toml_grow(&ctx->arena, t->items, &t->cap, 1, sizeof *t->items);
	else
		t->items =
		    sbx_arena_regrow(&ctx->arena, t->items, &t->cap, t->n + 1, sizeof *t->items);
	struct sbx_toml_key *k = &t->items[t->n++];
	k->name = sbx_arena_strndup(&ctx->arena, name, len);
	k->len = len;
	k->span = span;
	k->value = value;
	/* items may have moved: the index stores positions, so it stays valid */
	struct toml_index *ix = t->index;
	if (ix) {
		if (t->n * 2 > ix->nslots)
			index_grow(&ctx->arena, ix);
		index_put(ix, t, t->n - 1);
	} else if (t->n > SMALL_TABLE) {
		index_build(&ctx->arena, t);
	}
	return k;
}

struct sbx_toml_key *sbx_toml_set(struct sbx_ctx *ctx, struct sbx_toml_table *t, const char *name,
                                  size_t len, struct sbx_span span, struct sbx_toml_value value)
{
	struct sbx_toml_key *k = sbx_toml_getn(t, name, len);
	if (k) {
		k->span = span;
		k->value = value;
		return k;
	}
	return append_key(ctx, t, name, len, span, value);
}

/* The builder's insert: the caller has checked the key is absent. */
struct sbx_toml_key *sbx_toml_add(struct sbx_ctx *ctx, struct sbx_toml_table *t, const char *name,
                                  size_t len, struct sbx_span span, struct sbx_toml_value value)
{
	return append_key(ctx, t, name, len, span, value);
}

struct sbx_toml_value sbx_toml_string(struct sbx_ctx *ctx, const char *s, struct sbx_span span)
{
	size_t len = strlen(s);
	struct sbx_toml_value v = {.type = SBX_TOML_STRING, .span = span};
	v.u.str.ptr = sbx_arena_strndup(&ctx->arena, s, len);
	v.u.str.len = len;
	return v;
}

const char *sbx_toml_type_name(enum sbx_toml_type type)
{
	switch (type) {
	case SBX_TOML_TABLE:
		return "table";
	case SBX_TOML_ARRAY:
		return "array";
	case SBX_TOML_STRING:
		return "string";
	case SBX_TOML_INTEGER:
		return "integer";
	case SBX_TOML_FLOAT:
		return "float";
	case SBX_TOML_BOOL:
		return "bool";
	case SBX_TOML_DATETIME:
		return "datetime";
	case SBX_TOML_DATETIME_LOCAL:
		return "datetime-local";
	case SBX_TOML_DATE_LOCAL:
		return "date-local";
	case SBX_TOML_TIME_LOCAL:
		return "time-local";
	}
	return "value";
}

const char *sbx_toml_type_phrase(enum sbx_toml_type type)
{
	switch (type) {
	case SBX_TOML_TABLE:
		return "a table";
	case SBX_TOML_ARRAY:
		return "an array";
	case SBX_TOML_STRING:
		return "a string";
	case SBX_TOML_INTEGER:
		return "an integer";
	case SBX_TOML_FLOAT:
		return "a float";
	case SBX_TOML_BOOL:
		return "a boolean";
	case SBX_TOML_DATETIME:
		return "an offset date-time";
	case SBX_TOML_DATETIME_LOCAL:
		return "a local date-time";
	case SBX_TOML_DATE_LOCAL:
		return "a local date";
	case SBX_TOML_TIME_LOCAL:
		return "a local time";
	}
	return "a value";
}
