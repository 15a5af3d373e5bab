/*
** toml.c: operations on the generic TOML tree of toml.h.
**
** The parser (grammar/) and the document builder (toml_build.c) create the
** tree; schema.c and the built-in profiles read and extend it through the
** functions here. A table keeps its keys in definition order in `items`;
** lookups go through a hash index (open addressing, FNV-1a) built once a
** table has more than a few keys, so a table of 100,000 keys is filled and
** checked for duplicates in linear time. The index lives in the arena like
** everything else and is private to this file.
*/
#include "toml.h"
#include "arena.h"
#include "toml_build.h"

#include <string.h>

/* Tables up to this size are searched linearly; the index starts here. */
#define SMALL_TABLE 8

struct toml_index {
	uint32_t *slots; /* item position + 1; 0 is an empty slot */
	size_t nslots;   /* a power of two, kept at least twice the key count */
};

static uint64_t hash_name(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3u;
	}
	return h;
}

static bool key_is(const struct sbx_toml_key *k, const char *name, size_t len)
{
	return k->len == len && memcmp(k->name, name, len) == 0;
}

/* Puts item position `pos` into the index (which has room for it). */
static void index_put(struct toml_index *ix, const struct sbx_toml_table *t, size_t pos)
{
	const struct sbx_toml_key *k = &t->items[pos];
	size_t mask = ix->nslots - 1;
	size_t i = (size_t)hash_name(k->name, k->len) & mask;
	while (ix->slots[i])
		i = (i + 1) & mask;
	ix->slots[i] = (uint32_t)(pos + 1);
}

/* (Re)builds the index of t for at least `want` keys. */
static void index_build(struct sbx_arena *a, struct sbx_toml_table *t, size_t want)
{
	struct toml_index *ix = t->index;
	if (!ix) {
		ix = sbx_arena_alloc(a, sizeof *ix);
		t->index = ix;
	}
	size_t n = 64;
	while (n < want * 2)
		n *= 2;
	ix->nslots = n;
	ix->slots = sbx_arena_alloc(a, n * sizeof *ix->slots);
	for (size_t i = 0; i < t->n; i++)
		index_put(ix, t, i);
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
	for (size_t i = (size_t)hash_name(name, len) & mask; ix->slots[i]; i = (i + 1) & mask) {
		struct sbx_toml_key *k = &t->items[ix->slots[i] - 1];
		if (key_is(k, name, len))
			return k;
	}
	return NULL;
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
	t->items = sbx_toml_grow(&ctx->arena, t->items, &t->cap, t->n + 1, sizeof *t->items);
	struct sbx_toml_key *k = &t->items[t->n++];
	k->name = sbx_arena_strndup(&ctx->arena, name, len);
	k->len = len;
	k->span = span;
	k->value = value;
	/* items may have moved: the index stores positions, so it stays valid */
	struct toml_index *ix = t->index;
	if (ix && t->n * 2 <= ix->nslots)
		index_put(ix, t, t->n - 1);
	else if (t->n > SMALL_TABLE)
		index_build(&ctx->arena, t, t->n);
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
