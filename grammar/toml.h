/*
** toml.h: the generic TOML document tree.
**
** grammar/ turns TOML 1.1.0 text into this tree; it knows nothing of
** policies. compiler/schema.c reads the tree and builds the IR. Every key and
** value keeps its span so later passes can point at the exact text.
**
** Ownership: every node, string and array is allocated from the arena of the
** struct sbx_ctx it was parsed with and lives until sbx_ctx_free().
*/
#ifndef SBX_TOML_H
#define SBX_TOML_H

#include "ctx.h"
#include "source.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sbx_toml_type {
	SBX_TOML_TABLE,
	SBX_TOML_ARRAY,
	SBX_TOML_STRING,
	SBX_TOML_INTEGER,
	SBX_TOML_FLOAT,
	SBX_TOML_BOOL,
	SBX_TOML_DATETIME,       /* offset date-time */
	SBX_TOML_DATETIME_LOCAL, /* local date-time */
	SBX_TOML_DATE_LOCAL,
	SBX_TOML_TIME_LOCAL,
};

struct sbx_toml_table;
struct sbx_toml_array;

struct sbx_toml_value {
	enum sbx_toml_type type;
	struct sbx_span span; /* the value's text: quotes included; for a table its
	                         header or braces; for an array its brackets */
	union {
		struct {
			const char *ptr; /* decoded UTF-8; ptr[len] == '\0' but ptr may hold NULs */
			size_t len;
		} str;
		int64_t integer;
		double floating;
		bool boolean;
		const char *datetime; /* RFC 3339 text: 'T' and 'Z' upper case, seconds
		                         always present, the fraction as written */
		struct sbx_toml_table *table;
		struct sbx_toml_array *array;
	} u;
};

struct sbx_toml_key {
	const char *name; /* decoded key; name[len] == '\0' but it may hold NULs */
	size_t len;
	struct sbx_span span; /* this key as written (one part of a dotted key) */
	struct sbx_toml_value value;
};

/* How a table came to exist; the TOML rules on redefinition depend on it. */
enum sbx_toml_origin {
	SBX_TOML_ORIGIN_IMPLICIT, /* created as the parent of a header or dotted key */
	SBX_TOML_ORIGIN_HEADER,   /* [a.b] */
	SBX_TOML_ORIGIN_DOTTED,   /* a.b.c = 1 created a and b */
	SBX_TOML_ORIGIN_INLINE,   /* { ... }: closed once written */
	SBX_TOML_ORIGIN_AOT,      /* an element of [[a]] */
	SBX_TOML_ORIGIN_SYNTHETIC /* built by sbxc itself (built-in profiles, merges) */
};

struct sbx_toml_table {
	struct sbx_toml_key *items; /* in order of first definition; adding a key
	                               may move them (keep positions, not pointers,
	                               across an insertion) */
	size_t n, cap;
	enum sbx_toml_origin origin;
	void *index; /* lookup index, private to toml.c */
};

struct sbx_toml_array {
	struct sbx_toml_value *items;
	size_t n, cap;
	bool aot; /* an array of tables built by [[...]] headers */
};

/* Parses source `file` of ctx (defined in grammar/, the only user of flex and
** bison). Returns the root table, or NULL after emitting
** diagnostics (every error found, not only the first). *status is SBX_OK,
** SBX_ESYNTAX, or SBX_ELIMIT. */
struct sbx_toml_table *sbx_toml_parse(struct sbx_ctx *ctx, uint32_t file, enum sbx_status *status);

/* Lookup by decoded name; NULL if absent. O(1) on average. */
struct sbx_toml_key *sbx_toml_getn(const struct sbx_toml_table *t, const char *name, size_t len);
struct sbx_toml_key *sbx_toml_get(const struct sbx_toml_table *t, const char *name);

/* Building trees in code (built-in profiles, extends merges). The new table
** has origin SBX_TOML_ORIGIN_SYNTHETIC. sbx_toml_set() inserts a key, or
** replaces the value and span of an existing key with the same name (keeping
** its position); returns the key. The name is copied. No TOML redefinition
** rules apply here: this is for sbxc's own trees, not for parsing. */
struct sbx_toml_table *sbx_toml_table_new(struct sbx_ctx *ctx);
struct sbx_toml_key *sbx_toml_set(struct sbx_ctx *ctx, struct sbx_toml_table *t, const char *name,
                                  size_t len, struct sbx_span span, struct sbx_toml_value value);
struct sbx_toml_value sbx_toml_string(struct sbx_ctx *ctx, const char *s, struct sbx_span span);

/* "string", "integer", ... as in toml-test's tagged JSON; "table", "array". */
const char *sbx_toml_type_name(enum sbx_toml_type type);
/* "a string", "an offset date-time", ...: a value of the type, in messages. */
const char *sbx_toml_type_phrase(enum sbx_toml_type type);

/* The toml-test tagged JSON of a document (new reference); NULL only for a
** tree nested deeper than the parser allows (SBX_MAX_NESTING). */
json_t *sbx_toml_to_tagged_json(const struct sbx_toml_table *root);

#endif
