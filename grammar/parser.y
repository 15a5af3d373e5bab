/*
** parser.y: the TOML 1.1.0 grammar (bison, pure, with locations).
**
** Second stage of the pipeline: tokens from lexer.l -> calls into the
** document builder (grammar/toml_build.c), which makes the generic tree of
** toml.h. The grammar knows TOML's structure only; each action is one call.
**
** Errors: a token the grammar cannot take is reported once, as E0101
** "expected X, found Y" (or as the scanner's own error for a malformed
** token), by yyreport_syntax_error() below and syntax.c. Recovery is per
** line: `error T_NEWLINE` skips to the end of the statement (the scanner
** only emits T_NEWLINE outside brackets), so every independent problem of a
** file is reported in one run.
*/
%code requires {
#include "source.h"
#include "toml_build.h"
struct sbx_parse_state;
}

%code {
#include "arena.h"
#include "scanner.h"

#include <stdlib.h>

#define YYMALLOC sbx_xmalloc
#define YYFREE free
#define B (st->b)

/* Spans: a rule covers its first to its last symbol; an empty rule is an
** empty span where the previous symbol ended. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                                  \
	do {                                                                         \
		if (N) {                                                             \
			(Cur).file = YYRHSLOC(Rhs, 1).file;                          \
			(Cur).start = YYRHSLOC(Rhs, 1).start;                        \
			(Cur).end = YYRHSLOC(Rhs, N).end;                            \
		} else {                                                             \
			(Cur).file = YYRHSLOC(Rhs, 0).file;                          \
			(Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;              \
		}                                                                    \
	} while (0)

static int sbx_tomlyylex(SBX_TOMLYYSTYPE *lval, struct sbx_span *lloc,
                         struct sbx_parse_state *st);
static void sbx_tomlyyerror(struct sbx_span *loc, struct sbx_parse_state *st,
                            const char *msg);
}

%define api.prefix {sbx_tomlyy}
%define api.pure full
%define api.location.type {struct sbx_span}
%define parse.error custom
%define parse.lac full
%locations
%param {struct sbx_parse_state *st}

%initial-action {
	@$.file = st->file;
	@$.start = @$.end = 0;
}

/* TOML is LALR(1) once the scanner has told keys from values, so the
** grammar has no conflicts; a new one would be a bug, not a choice. */
%expect 0

%union {
	struct sbx_tok tok;
	struct sbx_tb_key key;
	struct sbx_tb_val val;
}

%token <tok> T_NEWLINE   "end of line"
%token <tok> T_NL        "newline"
%token <tok> T_BARE      "bare key"
%token <tok> T_STRING    "string"
%token <tok> T_MLSTRING  "multi-line string"
%token <tok> T_WORD      "value"
%token <tok> T_EQ        "`=`"
%token <tok> T_DOT       "`.`"
%token <tok> T_COMMA     "`,`"
%token <tok> T_LBRACKET  "`[`"
%token <tok> T_RBRACKET  "`]`"
%token <tok> T_LLBRACKET "`[[`"
%token <tok> T_RRBRACKET "`]]`"
%token <tok> T_LBRACE    "`{`"
%token <tok> T_RBRACE    "`}`"
%token <tok> T_INVALID   "invalid token"

%type <tok> simple_key
%type <key> key
%type <val> val array elems elem_list inline_table

%%

/* A document is a sequence of lines; the scanner ends the last one. */
document
	: %empty
	| document line
	;

line
	: stmt T_NEWLINE
	| error T_NEWLINE        { yyerrok; sbx_tb_recover(B, st->error_in_header); }
	;

stmt
	: %empty
	| keyval
	| T_LBRACKET key T_RBRACKET      { sbx_tb_table(B, $2, @$); }
	| T_LLBRACKET key T_RRBRACKET    { sbx_tb_array_table(B, $2, @$); }
	;

/* Keys: bare or quoted parts joined by dots. */
keyval
	: key T_EQ val                   { sbx_tb_keyval(B, $1, $3); }
	;

key
	: simple_key                     { $$ = sbx_tb_key(B, &$1, @1); }
	| key T_DOT simple_key           { $$ = sbx_tb_key_add(B, $1, &$3, @3); }
	;

simple_key
	: T_BARE
	| T_STRING
	;

/* Values. */
val
	: T_WORD                         { $$ = sbx_tb_word(B, &$1, @1); }
	| T_STRING                       { $$ = sbx_tb_string(B, &$1, @1); }
	| T_MLSTRING                     { $$ = sbx_tb_string(B, &$1, @1); }
	| array
	| inline_table
	;

/* Arrays: newlines and comments inside are whitespace to the scanner. */
array
	: T_LBRACKET elems T_RBRACKET    { $$ = sbx_tb_array_done(B, $2, @$); }
	;

elems
	: %empty                         { $$ = sbx_tb_array_new(B); }
	| elem_list
	| elem_list T_COMMA
	;

elem_list
	: val                            { $$ = sbx_tb_array_push(B, sbx_tb_array_new(B), $1); }
	| elem_list T_COMMA val          { $$ = sbx_tb_array_push(B, $1, $3); }
	;

/* Inline tables (TOML 1.1): newlines between entries, a trailing comma. */
inline_table
	: T_LBRACE                       { sbx_tb_inline_open(B); }
	  inline_body T_RBRACE           { $$ = sbx_tb_inline_close(B, @$); }
	;

inline_body
	: nls
	| nls inline_list nls
	| nls inline_list nls T_COMMA nls
	;

inline_list
	: keyval
	| inline_list nls T_COMMA nls keyval
	;

nls
	: %empty
	| nls T_NL
	;

%%

/* The scanner, and what the error reporter needs to know about its tokens. */
int sbx_yylex(SBX_TOMLYYSTYPE *lval, struct sbx_span *lloc, void *scanner);

static int sbx_tomlyylex(SBX_TOMLYYSTYPE *lval, struct sbx_span *lloc,
                         struct sbx_parse_state *st)
{
	int kind = sbx_yylex(lval, lloc, st->scanner);
	if (st->cur.kind == 0 || st->cur.kind == T_NEWLINE)
		st->header_line = kind == T_LBRACKET || kind == T_LLBRACKET;
	st->prev = st->cur;
	st->cur = (struct sbx_seen_tok){kind, *lloc, lval->tok};
	return kind;
}

/* Bison's own failure: its stack outgrew YYMAXDEPTH. The scanner's nesting
** limit keeps that from happening; this is the backstop. */
static void sbx_tomlyyerror(struct sbx_span *loc, struct sbx_parse_state *st,
                            const char *msg)
{
	sbx_diag_emit(st->ctx, SBX_E0005, *loc, "document is nested too deeply to parse (%s)",
	              msg);
	sbx_tb_limit_hit(B);
}

static unsigned expected_bit(yysymbol_kind_t k)
{
	switch (k) {
	case YYSYMBOL_YYEOF:
		return SBX_EXP_EOF;
	case YYSYMBOL_T_NEWLINE:
		return SBX_EXP_EOL;
	case YYSYMBOL_T_NL:
		return SBX_EXP_NL;
	case YYSYMBOL_T_BARE:
		return SBX_EXP_KEY;
	case YYSYMBOL_T_STRING:
		return SBX_EXP_STRING;
	case YYSYMBOL_T_WORD:
	case YYSYMBOL_T_MLSTRING:
	case YYSYMBOL_T_LBRACE:
		return SBX_EXP_VALUE;
	case YYSYMBOL_T_EQ:
		return SBX_EXP_EQ;
	case YYSYMBOL_T_DOT:
		return SBX_EXP_DOT;
	case YYSYMBOL_T_COMMA:
		return SBX_EXP_COMMA;
	case YYSYMBOL_T_LBRACKET:
		return SBX_EXP_LBRACKET;
	case YYSYMBOL_T_RBRACKET:
		return SBX_EXP_RBRACKET;
	case YYSYMBOL_T_LLBRACKET:
		return SBX_EXP_LLBRACKET;
	case YYSYMBOL_T_RRBRACKET:
		return SBX_EXP_RRBRACKET;
	case YYSYMBOL_T_RBRACE:
		return SBX_EXP_RBRACE;
	default:
		return 0;
	}
}

static int yyreport_syntax_error(const yypcontext_t *yyctx, struct sbx_parse_state *st)
{
	yysymbol_kind_t expected[YYNTOKENS];
	int n = yypcontext_expected_tokens(yyctx, expected, YYNTOKENS);
	unsigned bits = 0;
	for (int i = 0; i < n; i++)
		bits |= expected_bit(expected[i]);
	st->error_in_header = st->header_line;
	sbx_syntax_error(st, bits);
	return 0;
}
