/*
** toml_build.c: the TOML document builder.
**
** The grammar (grammar/parser.y) calls these functions as it recognises
** statements; they build the tree of toml.h and enforce TOML's rules on
** defining things once:
**
**   - a key is defined once per table (E0150); a key that holds a table
**     cannot then be given a value (E0159), nor can a value be used as a
**     table (E0153);
**   - a [table] header defines its table once (E0151), and may not define a
**     table that dotted keys made (E0152); it may define a table that an
**     earlier header only implied ([a.b] implies a);
**   - dotted keys may extend tables they made themselves, but not a table a
**     header defined (E0154), and nothing may extend an inline table (E0155);
**   - [[a]] appends to an array of tables only: not to a static array
**     (E0156), not to a table (E0158); [a] may not name an array of tables
**     (E0157), while [a.b] extends its last element.
**
** How each table came to exist is its origin (toml.h). Every rejected
** statement is reported with a note at the first definition, and building
** continues. The depth of the tree is kept within SBX_MAX_NESTING (E0005)
** so that recursive walkers stay bounded, and the number of keys and array
** elements within SBX_MAX_VALUES (E0006).
*/
#include "toml_build.h"
#include "arena.h"
#include "sbx_limits.h"
#include "strbuf.h"

#include <string.h>

struct inline_frame {
	struct sbx_toml_table *t;
	uint32_t height; /* the deepest entry so far, in levels below the table */
};

struct sbx_toml_builder {
	struct sbx_ctx *ctx;
	size_t errors_at_start;
	struct sbx_toml_table *root;
	struct sbx_toml_table *cur; /* the table of the current [header] section */
	uint32_t cur_level;         /* its depth: tables and arrays above it */
	struct inline_frame *inl;   /* inline tables being built, innermost last */
	size_t ninl, capinl;
	struct sbx_tb_keypart *parts; /* the part stack of the keys being read */
	size_t nparts, capparts;
	size_t nvalues;   /* keys and array elements so far */
	bool values_full; /* E0006 reported: nothing more is stored */
	bool limit;       /* a limit diagnostic was emitted */
};

struct sbx_toml_builder *sbx_tb_new(struct sbx_ctx *ctx)
{
	struct sbx_toml_builder *b = sbx_arena_alloc(&ctx->arena, sizeof *b);
	b->ctx = ctx;
	b->errors_at_start = sbx_diag_errors(ctx);
	b->root = sbx_toml_table_new(ctx);
	b->root->origin = SBX_TOML_ORIGIN_HEADER;
	b->cur = b->root;
	return b;
}

struct sbx_toml_table *sbx_tb_finish(struct sbx_toml_builder *b, enum sbx_status *status)
{
	bool failed = sbx_diag_errors(b->ctx) > b->errors_at_start;
	if (status)
		*status = !failed ? SBX_OK : b->limit ? SBX_ELIMIT : SBX_ESYNTAX;
	return failed ? NULL : b->root;
}

void sbx_tb_limit_hit(struct sbx_toml_builder *b)
{
	b->limit = true;
}

bool sbx_tb_tok_ok(struct sbx_toml_builder *b, const struct sbx_tok *tok)
{
	if (tok->err.problem == SBX_TOK_OK)
		return true;
	sbx_toml_tok_report(b->ctx, &tok->err);
	return false;
}

/* Counts one more key or array element; false once SBX_MAX_VALUES is hit. */
static bool count_value(struct sbx_toml_builder *b, struct sbx_span span)
{
	if (b->values_full)
		return false;
	if (++b->nvalues <= SBX_MAX_VALUES)
		return true;
	b->values_full = true;
	b->limit = true;
	struct sbx_diag *d =
	    sbx_diag_emit(b->ctx, SBX_E0006, span,
	                  "document has more than %u keys and array elements", SBX_MAX_VALUES);
	sbx_diag_help(b->ctx, d, "SBX_MAX_VALUES bounds the memory one document may take");
	return false;
}

/* ---- keys --------------------------------------------------------------- */

/* A key's parts, taken from the part stack for the statement at hand. */
struct key_view {
	const struct sbx_tb_keypart *parts;
	size_t n;
	bool bad;
};

static struct key_view view(const struct sbx_toml_builder *b, struct sbx_tb_key key)
{
	/* a key whose first part was rejected has no parts at all */
	return (struct key_view){key.n ? b->parts + key.first : NULL, key.n, key.bad};
}

/* Drops a key's parts (and any above them) from the part stack. */
static void release(struct sbx_toml_builder *b, struct sbx_tb_key key)
{
	if (key.first < b->nparts)
		b->nparts = key.first;
}

static bool bare_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* parts[0..n) of a key in TOML syntax (bare where possible), quoted for a
** message: `a.b."c d"`. */
static const char *key_text(struct sbx_toml_builder *b, const struct key_view *key, size_t n)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const struct sbx_tb_keypart *p = &key->parts[i];
		bool bare = p->len > 0;
		for (size_t k = 0; k < p->len && bare; k++)
			bare = bare_char(p->name[k]);
		if (i > 0)
			sbx_sb_addc(&sb, '.');
		if (bare) {
			sbx_sb_add(&sb, p->name, p->len);
			continue;
		}
		sbx_sb_addc(&sb, '"');
		for (size_t k = 0; k < p->len; k++) {
			if (p->name[k] == '"' || p->name[k] == '\\')
				sbx_sb_addc(&sb, '\\');
			sbx_sb_addc(&sb, p->name[k]);
		}
		sbx_sb_addc(&sb, '"');
	}
	const char *r = sbx_tb_quote(b->ctx, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return r;
}

static struct sbx_tb_key key_append(struct sbx_toml_builder *b, struct sbx_tb_key key,
                                    const struct sbx_tok *tok, struct sbx_span span)
{
	if (!sbx_tb_tok_ok(b, tok))
		key.bad = true;
	if (key.bad)
		return key;
	if (key.n == SBX_MAX_KEY_PARTS) {
		struct sbx_diag *d =
		    sbx_diag_emit(b->ctx, SBX_E0007, span, "key has more than %d dotted parts",
		                  SBX_MAX_KEY_PARTS);
		sbx_diag_help(b->ctx, d, "SBX_MAX_KEY_PARTS limits the parts of one key");
		b->limit = true;
		key.bad = true;
		return key;
	}
	/* the key being read is always on top of the stack */
	b->nparts = key.first + key.n;
	b->parts =
	    sbx_arena_grow(&b->ctx->arena, b->parts, &b->capparts, b->nparts + 1, sizeof *b->parts);
	b->parts[b->nparts++] = (struct sbx_tb_keypart){tok->text, tok->len, span};
	key.n++;
	return key;
}

struct sbx_tb_key sbx_tb_key(struct sbx_toml_builder *b, const struct sbx_tok *tok,
                             struct sbx_span span)
{
	struct sbx_tb_key key = {(uint32_t)b->nparts, 0, false};
	/* the first part is looked up in the current table once the value is
	** read: start fetching its slot now (a table of 100,000 keys does not
	** fit the cache) */
	const struct sbx_toml_table *t = b->ninl ? b->inl[b->ninl - 1].t : b->cur;
	if (t && tok->text)
		sbx_toml_prefetch(t, tok->text, tok->len);
	return key_append(b, key, tok, span);
}

struct sbx_tb_key sbx_tb_key_add(struct sbx_toml_builder *b, struct sbx_tb_key key,
                                 const struct sbx_tok *tok, struct sbx_span span)
{
	return key_append(b, key, tok, span);
}

/* ---- tables ------------------------------------------------------------- */

static struct sbx_toml_table *new_table(struct sbx_toml_builder *b, enum sbx_toml_origin o)
{
	struct sbx_toml_table *t = sbx_toml_table_new(b->ctx);
	t->origin = o;
	return t;
}

static struct sbx_toml_value table_value(struct sbx_toml_table *t, struct sbx_span span)
{
	struct sbx_toml_value v = {.type = SBX_TOML_TABLE, .span = span};
	v.u.table = t;
	return v;
}

/* Adds part i of key to t as a new table; NULL past SBX_MAX_VALUES. */
static struct sbx_toml_table *add_table(struct sbx_toml_builder *b, struct sbx_toml_table *t,
                                        const struct key_view *key, size_t i,
                                        enum sbx_toml_origin origin, struct sbx_span span)
{
	const struct sbx_tb_keypart *p = &key->parts[i];
	if (!count_value(b, p->span))
		return NULL;
	struct sbx_toml_table *nt = new_table(b, origin);
	sbx_toml_add(b->ctx, t, p->name, p->len, p->span, table_value(nt, span));
	return nt;
}

/* "an integer", "an array of tables": what a value is, for messages. */
static const char *describe(const struct sbx_toml_value *v)
{
	if (v->type == SBX_TOML_ARRAY && v->u.array->aot)
		return "an array of tables";
	return sbx_toml_type_phrase(v->type);
}

/* The E0153 diagnostic: key part i holds a value that is not a table. */
static void not_a_table(struct sbx_toml_builder *b, const struct key_view *key, size_t i,
                        const struct sbx_toml_key *k, bool dotted)
{
	const struct sbx_toml_value *v = &k->value;
	bool aot = v->type == SBX_TOML_ARRAY && v->u.array->aot;
	struct sbx_diag *d = sbx_diag_emit(b->ctx, SBX_E0153, key->parts[i].span,
	                                   "cannot use `%s` as a table: it holds %s",
	                                   key_text(b, key, i + 1), describe(v));
	sbx_diag_note(b->ctx, d, k->span, "`%s` is defined here", key_text(b, key, i + 1));
	if (aot && dotted)
		sbx_diag_help(b->ctx, d,
		              "add to the last element of an array of tables with a "
		              "`[%s.name]` header",
		              key_text(b, key, i + 1));
	else if (v->type == SBX_TOML_ARRAY && !aot)
		sbx_diag_help(b->ctx, d,
		              "only arrays of tables made with `[[...]]` headers can "
		              "be extended by headers");
}

static void inline_closed(struct sbx_toml_builder *b, const struct key_view *key, size_t i,
                          const struct sbx_toml_key *k)
{
	struct sbx_diag *d =
	    sbx_diag_emit(b->ctx, SBX_E0155, key->parts[i].span,
	                  "inline table `%s` cannot be extended", key_text(b, key, i + 1));
	sbx_diag_note(b->ctx, d, k->value.span, "the inline table is defined here");
	sbx_diag_help(b->ctx, d,
	              "an inline table is complete once closed; define the table "
	              "with a `[%s]` header to add keys from elsewhere",
	              key_text(b, key, i + 1));
}

/* One step of a header path [a.b.c] through an existing or new part i,
** which is not the last. Tables implied here are IMPLICIT; an array of
** tables leads into its last element. */
static struct sbx_toml_table *header_step(struct sbx_toml_builder *b, struct sbx_toml_table *t,
                                          const struct key_view *key, size_t i,
                                          struct sbx_span header, uint32_t *level)
{
	const struct sbx_tb_keypart *p = &key->parts[i];
	struct sbx_toml_key *k = sbx_toml_getn(t, p->name, p->len);
	if (!k) {
		*level += 1;
		return add_table(b, t, key, i, SBX_TOML_ORIGIN_IMPLICIT, header);
	}
	struct sbx_toml_value *v = &k->value;
	if (v->type == SBX_TOML_TABLE && v->u.table->origin == SBX_TOML_ORIGIN_INLINE) {
		inline_closed(b, key, i, k);
		return NULL;
	}
	if (v->type == SBX_TOML_TABLE) {
		*level += 1;
		return v->u.table;
	}
	if (v->type == SBX_TOML_ARRAY && v->u.array->aot && v->u.array->n > 0) {
		*level += 2;
		return v->u.array->items[v->u.array->n - 1].u.table;
	}
	not_a_table(b, key, i, k, false);
	return NULL;
}

/* Walks all but the last part of a header; NULL after an error. */
static struct sbx_toml_table *header_parent(struct sbx_toml_builder *b, const struct key_view *key,
                                            struct sbx_span header, uint32_t *level)
{
	struct sbx_toml_table *t = b->root;
	*level = 0;
	for (size_t i = 0; t && i + 1 < key->n; i++)
		t = header_step(b, t, key, i, header, level);
	return t;
}

/* After a rejected header, keys go to a table outside the document, so they
** are still checked among themselves but cannot collide with real ones. */
static void detach(struct sbx_toml_builder *b)
{
	b->cur = new_table(b, SBX_TOML_ORIGIN_HEADER);
	b->cur_level = 0;
}

static bool level_ok(struct sbx_toml_builder *b, uint32_t level, struct sbx_span span)
{
	if (level <= SBX_MAX_NESTING)
		return true;
	struct sbx_diag *d = sbx_diag_emit(b->ctx, SBX_E0005, span,
	                                   "tables and arrays are nested more than %d levels "
	                                   "deep here",
	                                   SBX_MAX_NESTING);
	sbx_diag_help(b->ctx, d, "SBX_MAX_NESTING bounds the depth of a document");
	b->limit = true;
	return false;
}

static void redefined(struct sbx_toml_builder *b, enum sbx_diag_code code,
                      const struct key_view *key, struct sbx_span header,
                      const struct sbx_toml_key *k, const char *fmt, const char *note)
{
	struct sbx_diag *d = sbx_diag_emit(b->ctx, code, header, fmt, key_text(b, key, key->n));
	sbx_diag_note(b->ctx, d, k->value.type == SBX_TOML_TABLE ? k->value.span : k->span, "%s",
	              note);
}

static void table_header(struct sbx_toml_builder *b, const struct key_view *key,
                         struct sbx_span header)
{
	uint32_t level;
	struct sbx_toml_table *t = key->bad ? NULL : header_parent(b, key, header, &level);
	if (!t || !level_ok(b, level + 1, header)) {
		detach(b);
		return;
	}
	const struct sbx_tb_keypart *p = &key->parts[key->n - 1];
	struct sbx_toml_key *k = sbx_toml_getn(t, p->name, p->len);
	if (!k) {
		b->cur = add_table(b, t, key, key->n - 1, SBX_TOML_ORIGIN_HEADER, header);
		b->cur_level = level + 1;
		if (!b->cur)
			detach(b);
		return;
	}
	struct sbx_toml_value *v = &k->value;
	enum sbx_toml_origin o = v->type == SBX_TOML_TABLE ? v->u.table->origin : 0;
	if (v->type == SBX_TOML_TABLE && o == SBX_TOML_ORIGIN_IMPLICIT) {
		v->u.table->origin = SBX_TOML_ORIGIN_HEADER;
		v->span = header;
		b->cur = v->u.table;
		b->cur_level = level + 1;
		return;
	}
	if (v->type == SBX_TOML_TABLE && o == SBX_TOML_ORIGIN_DOTTED)
		redefined(b, SBX_E0152, key, header, k,
		          "table `%s` is already defined by dotted keys",
		          "the dotted key that defines it");
	else if (v->type == SBX_TOML_TABLE && o == SBX_TOML_ORIGIN_INLINE)
		inline_closed(b, key, key->n - 1, k);
	else if (v->type == SBX_TOML_TABLE)
		redefined(b, SBX_E0151, key, header, k, "table `%s` is defined twice",
		          "first defined here");
	else if (v->type == SBX_TOML_ARRAY && v->u.array->aot) {
		struct sbx_diag *d =
		    sbx_diag_emit(b->ctx, SBX_E0157, header, "`[%s]` names an array of tables",
		                  key_text(b, key, key->n));
		sbx_diag_note(b->ctx, d, v->span, "the array of tables starts here");
		sbx_diag_help(b->ctx, d, "write `[[%s]]` to add an element to it",
		              key_text(b, key, key->n));
	} else
		not_a_table(b, key, key->n - 1, k, false);
	detach(b);
}

static struct sbx_toml_table *aot_element(struct sbx_toml_builder *b, struct sbx_toml_array *a,
                                          struct sbx_span header)
{
	if (!count_value(b, header))
		return NULL;
	struct sbx_toml_table *t = new_table(b, SBX_TOML_ORIGIN_AOT);
	a->items = sbx_toml_grow(&b->ctx->arena, a->items, &a->cap, a->n + 1, sizeof *a->items);
	a->items[a->n++] = table_value(t, header);
	return t;
}

static void array_table_header(struct sbx_toml_builder *b, const struct key_view *key,
                               struct sbx_span header)
{
	uint32_t level;
	struct sbx_toml_table *t = key->bad ? NULL : header_parent(b, key, header, &level);
	if (!t || !level_ok(b, level + 2, header)) {
		detach(b);
		return;
	}
	const struct sbx_tb_keypart *p = &key->parts[key->n - 1];
	struct sbx_toml_key *k = sbx_toml_getn(t, p->name, p->len);
	struct sbx_toml_array *a = NULL;
	if (!k) {
		if (count_value(b, p->span)) {
			a = sbx_arena_alloc(&b->ctx->arena, sizeof *a);
			a->aot = true;
			struct sbx_toml_value v = {.type = SBX_TOML_ARRAY, .span = header};
			v.u.array = a;
			sbx_toml_add(b->ctx, t, p->name, p->len, p->span, v);
		}
	} else if (k->value.type == SBX_TOML_ARRAY && k->value.u.array->aot) {
		a = k->value.u.array;
	} else if (k->value.type == SBX_TOML_ARRAY) {
		redefined(b, SBX_E0156, key, header, k,
		          "cannot append to `%s` with a `[[...]]` header: it is a static array",
		          "the array is defined here");
	} else if (k->value.type == SBX_TOML_TABLE) {
		struct sbx_diag *d = sbx_diag_emit(b->ctx, SBX_E0158, header,
		                                   "`[[%s]]` names a table, not an array of tables",
		                                   key_text(b, key, key->n));
		sbx_diag_note(b->ctx, d, k->value.span, "the table is defined here");
	} else {
		not_a_table(b, key, key->n - 1, k, false);
	}
	b->cur = a ? aot_element(b, a, header) : NULL;
	b->cur_level = level + 2;
	if (!b->cur)
		detach(b);
}

/* ---- key/value pairs ---------------------------------------------------- */

/* Walks the dotted prefix of key from t, making DOTTED tables; NULL after
** an error. */
static struct sbx_toml_table *dotted_parent(struct sbx_toml_builder *b, struct sbx_toml_table *t,
                                            const struct key_view *key)
{
	for (size_t i = 0; t && i + 1 < key->n; i++) {
		const struct sbx_tb_keypart *p = &key->parts[i];
		struct sbx_toml_key *k = sbx_toml_getn(t, p->name, p->len);
		if (!k) {
			struct sbx_span span = sbx_span_join(key->parts[0].span, p->span);
			t = add_table(b, t, key, i, SBX_TOML_ORIGIN_DOTTED, span);
			continue;
		}
		struct sbx_toml_value *v = &k->value;
		if (v->type != SBX_TOML_TABLE) {
			not_a_table(b, key, i, k, true);
			return NULL;
		}
		switch (v->u.table->origin) {
		case SBX_TOML_ORIGIN_INLINE:
			inline_closed(b, key, i, k);
			return NULL;
		case SBX_TOML_ORIGIN_HEADER:
		case SBX_TOML_ORIGIN_AOT: {
			struct sbx_diag *d = sbx_diag_emit(
			    b->ctx, SBX_E0154, p->span,
			    "dotted key cannot add to table `%s`, which a header defines",
			    key_text(b, key, i + 1));
			sbx_diag_note(b->ctx, d, v->span, "the table is defined here");
			sbx_diag_help(b->ctx, d,
			              "add the key in the `[...]` section of that table");
			return NULL;
		}
		default:
			t = v->u.table;
		}
	}
	return t;
}

static void keyval(struct sbx_toml_builder *b, const struct key_view *key, struct sbx_tb_val val)
{
	if (key->bad || !val.ok)
		return;
	struct inline_frame *f = b->ninl ? &b->inl[b->ninl - 1] : NULL;
	uint32_t depth = (uint32_t)key->n - 1 + val.height;
	if (!f && !level_ok(b, b->cur_level + depth, val.v.span))
		return;
	struct sbx_toml_table *t = dotted_parent(b, f ? f->t : b->cur, key);
	if (!t)
		return;
	const struct sbx_tb_keypart *p = &key->parts[key->n - 1];
	struct sbx_toml_key *k = sbx_toml_getn(t, p->name, p->len);
	if (k && k->value.type == SBX_TOML_TABLE &&
	    k->value.u.table->origin != SBX_TOML_ORIGIN_INLINE) {
		struct sbx_diag *d = sbx_diag_emit(b->ctx, SBX_E0159, p->span,
		                                   "key `%s` is already defined as a table",
		                                   key_text(b, key, key->n));
		sbx_diag_note(b->ctx, d, k->value.span, "the table is defined here");
		return;
	}
	if (k) {
		struct sbx_diag *d =
		    sbx_diag_emit(b->ctx, SBX_E0150, p->span, "key `%s` is defined twice",
		                  key_text(b, key, key->n));
		sbx_diag_note(b->ctx, d, k->span, "first defined here");
		return;
	}
	if (!count_value(b, p->span))
		return;
	sbx_toml_add(b->ctx, t, p->name, p->len, p->span, val.v);
	if (f && depth > f->height)
		f->height = depth;
}

void sbx_tb_table(struct sbx_toml_builder *b, struct sbx_tb_key key, struct sbx_span header)
{
	struct key_view v = view(b, key);
	table_header(b, &v, header);
	release(b, key);
}

void sbx_tb_array_table(struct sbx_toml_builder *b, struct sbx_tb_key key, struct sbx_span header)
{
	struct key_view v = view(b, key);
	array_table_header(b, &v, header);
	release(b, key);
}

void sbx_tb_keyval(struct sbx_toml_builder *b, struct sbx_tb_key key, struct sbx_tb_val val)
{
	struct key_view v = view(b, key);
	keyval(b, &v, val);
	release(b, key);
}

void sbx_tb_recover(struct sbx_toml_builder *b, bool header)
{
	b->ninl = 0;
	b->nparts = 0;
	if (header)
		detach(b);
}

/* ---- values ------------------------------------------------------------- */

static struct sbx_tb_val rejected(void)
{
	return (struct sbx_tb_val){.ok = false};
}

struct sbx_tb_val sbx_tb_word(struct sbx_toml_builder *b, const struct sbx_tok *tok,
                              struct sbx_span span)
{
	struct sbx_tb_val r = {.ok = true};
	if (!sbx_tb_tok_ok(b, tok) || !sbx_toml_scalar(b->ctx, tok->text, tok->len, span, &r.v))
		return rejected();
	return r;
}

struct sbx_tb_val sbx_tb_string(struct sbx_toml_builder *b, const struct sbx_tok *tok,
                                struct sbx_span span)
{
	if (!sbx_tb_tok_ok(b, tok))
		return rejected();
	struct sbx_tb_val r = {.ok = true};
	r.v.type = SBX_TOML_STRING;
	r.v.span = span;
	r.v.u.str.ptr = tok->text;
	r.v.u.str.len = tok->len;
	return r;
}

struct sbx_tb_val sbx_tb_array_new(struct sbx_toml_builder *b)
{
	struct sbx_tb_val r = {.ok = true, .height = 1};
	r.v.type = SBX_TOML_ARRAY;
	r.v.u.array = sbx_arena_alloc(&b->ctx->arena, sizeof *r.v.u.array);
	return r;
}

struct sbx_tb_val sbx_tb_array_push(struct sbx_toml_builder *b, struct sbx_tb_val arr,
                                    struct sbx_tb_val elem)
{
	struct sbx_toml_array *a = arr.v.u.array;
	if (!elem.ok || !count_value(b, elem.v.span))
		return arr;
	a->items = sbx_toml_grow(&b->ctx->arena, a->items, &a->cap, a->n + 1, sizeof *a->items);
	a->items[a->n++] = elem.v;
	if (elem.height + 1 > arr.height)
		arr.height = elem.height + 1;
	return arr;
}

struct sbx_tb_val sbx_tb_array_done(struct sbx_toml_builder *b, struct sbx_tb_val arr,
                                    struct sbx_span brackets)
{
	(void)b;
	arr.v.span = brackets;
	return arr;
}

void sbx_tb_inline_open(struct sbx_toml_builder *b)
{
	b->inl = sbx_toml_grow(&b->ctx->arena, b->inl, &b->capinl, b->ninl + 1, sizeof *b->inl);
	b->inl[b->ninl++] = (struct inline_frame){new_table(b, SBX_TOML_ORIGIN_INLINE), 0};
}

struct sbx_tb_val sbx_tb_inline_close(struct sbx_toml_builder *b, struct sbx_span braces)
{
	if (b->ninl == 0)
		return rejected();
	struct inline_frame f = b->inl[--b->ninl];
	struct sbx_tb_val r = {.ok = true, .height = f.height + 1};
	r.v = table_value(f.t, braces);
	return r;
}
