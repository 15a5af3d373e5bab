/*
** scanner.h: the state of one TOML parse, shared by the flex scanner
** (lexer.l), the bison parser (parser.y), their helpers (scanner.c) and the
** driver (parse.c). Private to grammar/.
**
** TOML's tokens depend on where they appear: `1.5` is a float after `=` but
** the dotted key `1`.`5` before it, and `true` may be a key. The scanner
** therefore tracks the brackets it has seen (a stack of frames) and whether
** the innermost context expects a key or a value; the parser never has to
** tell it. Newlines end a statement at the top level, are plain whitespace
** inside arrays, and are separate tokens inside inline tables (TOML 1.1
** allows them between entries but not inside one).
*/
#ifndef SBX_GRAMMAR_SCANNER_H
#define SBX_GRAMMAR_SCANNER_H

#include "ctx.h"
#include "strbuf.h"
#include "toml_build.h"

#include <stdbool.h>
#include <stdint.h>

enum sbx_frame_kind {
	SBX_FRAME_ARRAY,     /* [ ... ] value: values and commas */
	SBX_FRAME_INLINE,    /* { ... }: keys, then a value after each `=` */
	SBX_FRAME_HEADER,    /* [a.b] at the top level: keys */
	SBX_FRAME_AOT_HEADER /* [[a.b]] */
};

struct sbx_frame {
	uint8_t kind;   /* enum sbx_frame_kind */
	bool value;     /* SBX_FRAME_INLINE: after `=`, before the next `,` */
	uint32_t start; /* offset of the opening bracket */
};

/* The token the parser saw last, for "expected X after Y, found Z". */
struct sbx_seen_tok {
	int kind; /* bison token kind; 0 before the first token */
	struct sbx_span span;
	struct sbx_tok tok;
};

struct sbx_parse_state {
	struct sbx_ctx *ctx;
	uint32_t file;
	const char *text; /* the whole source, for quoting tokens as written */
	size_t len;
	struct sbx_toml_builder *b;
	void *scanner; /* yyscan_t */

	uint32_t off;             /* source offset of the next byte flex will read */
	bool top_value;           /* top level: an `=` was seen on this line */
	bool eof_sent;            /* the final end-of-line token was returned */
	bool header_line;         /* this line starts with `[` or `[[` (parser.y) */
	bool error_in_header;     /* the last syntax error was on a header line */
	struct sbx_frame *frames; /* innermost last */
	size_t nframes, capframes;
	size_t nvalue_frames; /* arrays and inline tables among the frames */
	uint32_t overflow;    /* brackets open beyond SBX_MAX_NESTING: counted, not
	                         stacked, so memory stays bounded (E0005) */

	/* the string literal being scanned */
	struct sbx_strbuf str;
	uint32_t str_start;
	struct sbx_tok_error str_err; /* first problem inside it */

	struct sbx_seen_tok prev, cur; /* cur is the parser's lookahead */
};

/* What the parser could have taken where a syntax error occurred. */
enum {
	SBX_EXP_EOF = 1u << 0,
	SBX_EXP_EOL = 1u << 1,    /* end of a top-level line */
	SBX_EXP_NL = 1u << 2,     /* a newline inside an inline table */
	SBX_EXP_KEY = 1u << 3,    /* a bare key */
	SBX_EXP_STRING = 1u << 4, /* a quoted key or a string value */
	SBX_EXP_VALUE = 1u << 5,  /* any other value */
	SBX_EXP_EQ = 1u << 6,
	SBX_EXP_DOT = 1u << 7,
	SBX_EXP_COMMA = 1u << 8,
	SBX_EXP_LBRACKET = 1u << 9, /* an array, or a header at a line start */
	SBX_EXP_RBRACKET = 1u << 10,
	SBX_EXP_LLBRACKET = 1u << 11,
	SBX_EXP_RRBRACKET = 1u << 12,
	SBX_EXP_RBRACE = 1u << 13,
};

/* Reports the syntax error at the parser's lookahead (st->cur): the
** scanner's own error for a malformed token, else E0101 built from the
** SBX_EXP_* bits of what was expected (syntax.c). */
void sbx_syntax_error(struct sbx_parse_state *st, unsigned expected);

/* Scanner helpers (scanner.c). `loc` is the token's span (bison's YYLTYPE)
** and `val` the `tok` member of its YYSTYPE. */
bool sbx_scan_value_mode(const struct sbx_parse_state *st);
/* A token whose text is the source bytes under loc (no copy). */
struct sbx_tok sbx_scan_source(const struct sbx_parse_state *st, struct sbx_span loc);

/* Brackets, `=`, `,` and newlines; each returns the token kind to return
** (0: none, keep scanning). *keep is set when only the first *keep bytes of
** the match belong to the token. */
int sbx_scan_open(struct sbx_parse_state *st, const char *s, size_t len, struct sbx_span *loc,
                  struct sbx_tok *val, size_t *keep);
int sbx_scan_close(struct sbx_parse_state *st, const char *s, size_t len, struct sbx_span *loc,
                   struct sbx_tok *val, size_t *keep);
void sbx_scan_equals(struct sbx_parse_state *st);
void sbx_scan_comma(struct sbx_parse_state *st);
int sbx_scan_newline(struct sbx_parse_state *st);

/* Comments: returns true (and fills val) if the text is malformed. */
bool sbx_scan_comment(struct sbx_parse_state *st, struct sbx_span loc, struct sbx_tok *val);
/* A byte that starts no token: a control character, a malformed UTF-8 byte
** or stray punctuation. */
void sbx_scan_stray(struct sbx_parse_state *st, struct sbx_span loc, struct sbx_tok *val);

/* String literals: begin at the opening quotes, add decoded pieces, end. */
void sbx_str_begin(struct sbx_parse_state *st, uint32_t start);
void sbx_str_add(struct sbx_parse_state *st, const char *s, size_t len);
void sbx_str_escape(struct sbx_parse_state *st, const char *s, size_t len, struct sbx_span loc);
void sbx_str_bad_escape(struct sbx_parse_state *st, struct sbx_span loc);
void sbx_str_bad_byte(struct sbx_parse_state *st, struct sbx_span loc);
/* The finished literal: the token value, its span from the opening quote. */
void sbx_str_end(struct sbx_parse_state *st, struct sbx_span *loc, struct sbx_tok *val);
/* An unterminated literal: an error token spanning from the opening quote. */
void sbx_str_unterminated(struct sbx_parse_state *st, struct sbx_span *loc, struct sbx_tok *val,
                          bool at_eof, bool multiline);

#endif
