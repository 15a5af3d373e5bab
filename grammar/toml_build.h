/*
** toml_build.h: the interface between the TOML grammar (grammar/) and the
** document builder (toml_build.c, toml_scalar.c).
**
** The grammar knows only TOML structure; every action is one call into the
** builder declared here. The builder applies the TOML rules on defining keys
** and tables, decodes scalars and reports problems as diagnostics, then keeps
** going so that one run reports every problem. Nothing here is for passes
** after the parser: they use toml.h.
**
** Ownership: everything returned is arena-owned (the ctx given to
** sbx_tb_new()); the builder itself is freed with the ctx too.
*/
#ifndef SBX_TOML_BUILD_H
#define SBX_TOML_BUILD_H

#include "ctx.h"
#include "diag.h"
#include "toml.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A problem with a token, as the scanner found it. It is a plain value (no
** text, nothing allocated) because most are never reported: after a syntax
** error the parser skips the rest of the statement. The message is made
** from the kind and the source bytes under the span when it is reported
** (toml_tokerr.c), once, by whoever consumes the token. */
enum sbx_tok_problem {
	SBX_TOK_OK,
	SBX_TOK_CONTROL,           /* E0004: the control byte at span.start */
	SBX_TOK_CR,                /* E0004: a carriage return without a line feed */
	SBX_TOK_UTF8,              /* E0003: a malformed UTF-8 byte at span.start */
	SBX_TOK_BOM,               /* E0101: U+FEFF after the start of the file */
	SBX_TOK_ESCAPE,            /* E0104: the malformed escape under span */
	SBX_TOK_NOT_SCALAR,        /* E0105: \u or \U naming no scalar value */
	SBX_TOK_NEWLINE_IN_STRING, /* E0103: span from the quote to the line end */
	SBX_TOK_UNTERMINATED,      /* E0102: span is the opening quote(s) */
	SBX_TOK_NESTING,           /* E0005: the first bracket too many */
};

enum sbx_tok_where { SBX_TOK_IN_CODE, SBX_TOK_IN_COMMENT, SBX_TOK_IN_STRING };

struct sbx_tok_error {
	uint8_t problem; /* enum sbx_tok_problem; SBX_TOK_OK when there is none */
	uint8_t where;   /* enum sbx_tok_where, for CONTROL and UTF8 */
	struct sbx_span span;
};

/* A token's payload: its text (the source bytes, or for strings the decoded
** bytes, which may hold NULs; not NUL-terminated) and its problem. */
struct sbx_tok {
	const char *text;
	size_t len;
	struct sbx_tok_error err;
};

/* Reports a token problem as a diagnostic (toml_tokerr.c); returns its code. */
enum sbx_diag_code sbx_toml_tok_report(struct sbx_ctx *ctx, const struct sbx_tok_error *e);
/* The same message, arena-owned, without reporting it (sbx_toml_scan()). */
const char *sbx_toml_tok_message(struct sbx_ctx *ctx, const struct sbx_tok_error *e,
                                 enum sbx_diag_code *code);
/* sbx_diag_quote(), or "" once the context keeps no more diagnostics (their
** text is never shown, so it is not built). */
const char *sbx_tb_quote(struct sbx_ctx *ctx, const char *s, size_t len);

/* One part of a dotted key, decoded. */
struct sbx_tb_keypart {
	const char *name;
	size_t len;
	struct sbx_span span; /* as written, quotes included */
};

/* A whole key: `a`, `a.b."c"`. Its parts live on the builder's part stack
** (keys nest like the inline tables that hold them, so a stack suffices):
** parts [first, first + n). `bad` is set when a part was rejected (already
** reported) so the key/value pair is dropped quietly. */
struct sbx_tb_key {
	uint32_t first, n;
	bool bad;
};

/* A value under construction. `height` counts the arrays and tables it
** holds, itself included (0 for a scalar), to bound the tree's depth. `ok`
** is false when the value was rejected (already reported). */
struct sbx_tb_val {
	struct sbx_toml_value v;
	uint32_t height;
	bool ok;
};

struct sbx_toml_builder;

struct sbx_toml_builder *sbx_tb_new(struct sbx_ctx *ctx);
/* The root table, or NULL if any error was reported; *status as for
** sbx_toml_parse(). */
struct sbx_toml_table *sbx_tb_finish(struct sbx_toml_builder *b, enum sbx_status *status);

/* Reports a token's scanner error (once). Returns false if there was one. */
bool sbx_tb_tok_ok(struct sbx_toml_builder *b, const struct sbx_tok *tok);
/* Records that a limit diagnostic was emitted (status SBX_ELIMIT). */
void sbx_tb_limit_hit(struct sbx_toml_builder *b);

/* Keys: a new one-part key, and appending a part (E0007 past the limit).
** The statement that takes a key releases its parts. */
struct sbx_tb_key sbx_tb_key(struct sbx_toml_builder *b, const struct sbx_tok *tok,
                             struct sbx_span span);
struct sbx_tb_key sbx_tb_key_add(struct sbx_toml_builder *b, struct sbx_tb_key key,
                                 const struct sbx_tok *tok, struct sbx_span span);

/* Statements. `header` is the span of the whole [..] or [[..]] header. */
void sbx_tb_keyval(struct sbx_toml_builder *b, struct sbx_tb_key key, struct sbx_tb_val val);
void sbx_tb_table(struct sbx_toml_builder *b, struct sbx_tb_key key, struct sbx_span header);
void sbx_tb_array_table(struct sbx_toml_builder *b, struct sbx_tb_key key, struct sbx_span header);
/* After a syntax error: forget half-built inline tables; if the error was
** in a table header, the keys that follow go nowhere (so they are checked
** but cannot collide with the previous section's). */
void sbx_tb_recover(struct sbx_toml_builder *b, bool header);

/* Values. */
struct sbx_tb_val sbx_tb_word(struct sbx_toml_builder *b, const struct sbx_tok *tok,
                              struct sbx_span span);
struct sbx_tb_val sbx_tb_string(struct sbx_toml_builder *b, const struct sbx_tok *tok,
                                struct sbx_span span);
struct sbx_tb_val sbx_tb_array_new(struct sbx_toml_builder *b);
struct sbx_tb_val sbx_tb_array_push(struct sbx_toml_builder *b, struct sbx_tb_val arr,
                                    struct sbx_tb_val elem);
struct sbx_tb_val sbx_tb_array_done(struct sbx_toml_builder *b, struct sbx_tb_val arr,
                                    struct sbx_span brackets);
/* Inline tables: open pushes a new target for key/value pairs, close pops
** it and returns the finished table. */
void sbx_tb_inline_open(struct sbx_toml_builder *b);
struct sbx_tb_val sbx_tb_inline_close(struct sbx_toml_builder *b, struct sbx_span braces);

/*
** Scalars (toml_scalar.c): the text of a bare value word (`42`, `0x1f`,
** `1e3`, `inf`, `true`, `1979-05-27T07:32:00Z`) to a value. On a malformed
** word it emits one diagnostic pointing into the word and returns false.
*/
bool sbx_toml_scalar(struct sbx_ctx *ctx, const char *s, size_t len, struct sbx_span span,
                     struct sbx_toml_value *out);

/*
** The scanner alone (grammar/parse.c), for tests and debugging: the tokens
** of source `file` up to the end, as an arena array. `kind` is a short name
** ("BARE", "WORD", "STRING", "MLSTRING", "NEWLINE", "NL", "INVALID", or the
** punctuation itself: "=", "[[", ...); `text` is the token's text (decoded
** for strings); `error` the scanner's message for a malformed token.
*/
struct sbx_toml_token {
	const char *kind;
	struct sbx_span span;
	const char *text;
	size_t len;
	enum sbx_diag_code code; /* meaningful when error is set */
	const char *error;
};
size_t sbx_toml_scan(struct sbx_ctx *ctx, uint32_t file, struct sbx_toml_token **out);

/* toml.c: sbx_arena_grow() for the tree's arrays, which are mostly tiny:
** the first block holds exactly `want` elements (instead of eight), so a
** chain of one-key tables costs a hundred-odd bytes per level. */
void *sbx_toml_grow(struct sbx_arena *a, void *old, size_t *cap, size_t want, size_t elem);

/* toml.c: appends a key the caller has checked is absent (the builder's
** insert; it keeps the hash index). The name is copied. */
struct sbx_toml_key *sbx_toml_add(struct sbx_ctx *ctx, struct sbx_toml_table *t, const char *name,
                                  size_t len, struct sbx_span span, struct sbx_toml_value value);
/* toml.c: a hint that `name` will be looked up in t soon: starts loading
** the index slot it hashes to. Changes nothing. */
void sbx_toml_prefetch(const struct sbx_toml_table *t, const char *name, size_t len);

#endif
