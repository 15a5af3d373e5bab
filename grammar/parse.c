/*
** parse.c: sbx_toml_parse(), the entry point of the TOML front end, and
** sbx_toml_scan(), the scanner alone for tests and debugging.
**
** Sets up one parse state (scanner.h) for a source of the context, runs the
** reentrant flex scanner and the pure bison parser over it, and hands back
** the tree the builder made, or NULL once any error was reported. Nothing is
** global: any number of parses may run in one process, one after another or
** on separate contexts.
*/
#include "arena.h"
#include "parser.h"
#include "sbx_limits.h"
#include "scanner.h"
#include "toml.h"

/* lexer.h (flex) names bison's types without bison's prefix. */
#define YYSTYPE SBX_TOMLYYSTYPE
#define YYLTYPE SBX_TOMLYYLTYPE
#include "lexer.h"

#include <stdlib.h>
#include <string.h>

static const char utf8_bom[] = "\xef\xbb\xbf";

/* Sets up st and its scanner over source `file`; false if there is none. */
static bool start(struct sbx_parse_state *st, struct sbx_ctx *ctx, uint32_t file,
                  YY_BUFFER_STATE *buf)
{
	struct sbx_source *src = sbx_ctx_source(ctx, file);
	if (!src)
		return false;
	*st = (struct sbx_parse_state){
	    .ctx = ctx,
	    .file = file,
	    .text = src->text,
	    .len = src->len,
	    .b = sbx_tb_new(ctx),
	    .str = SBX_STRBUF_INIT,
	};
	/* A byte order mark is allowed at the very start only. */
	if (src->len >= 3 && memcmp(src->text, utf8_bom, 3) == 0)
		st->off = 3;
	yyscan_t scanner;
	if (sbx_yylex_init_extra(st, &scanner) != 0)
		sbx_die_oom();
	st->scanner = scanner;
	*buf = sbx_yy_scan_bytes(src->text + st->off, (int)(src->len - st->off), scanner);
	return true;
}

static void stop(struct sbx_parse_state *st, YY_BUFFER_STATE buf)
{
	sbx_yy_delete_buffer(buf, st->scanner);
	sbx_yylex_destroy(st->scanner);
	sbx_sb_release(&st->str);
}

struct sbx_toml_table *sbx_toml_parse(struct sbx_ctx *ctx, uint32_t file, enum sbx_status *status)
{
	struct sbx_source *src = sbx_ctx_source(ctx, file);
	if (src && src->len > SBX_MAX_INPUT_BYTES) {
		/* sbx_ctx_load_*() refuse such input; a source added directly
		** must not reach the scanner either (spans are 32-bit) */
		sbx_diag_emit(ctx, SBX_E0002, SBX_NO_SPAN,
		              "input `%s` is larger than %u bytes (SBX_MAX_INPUT_BYTES)",
		              sbx_diag_quote(ctx, src->name, strlen(src->name)),
		              SBX_MAX_INPUT_BYTES);
		if (status)
			*status = SBX_ELIMIT;
		return NULL;
	}
	struct sbx_parse_state st;
	YY_BUFFER_STATE buf;
	if (!start(&st, ctx, file, &buf)) {
		if (status)
			*status = SBX_EINTERNAL;
		return NULL;
	}
	sbx_tomlyyparse(&st);
	stop(&st, buf);
	return sbx_tb_finish(st.b, status);
}

static const char *kind_name(int kind)
{
	switch (kind) {
	case T_NEWLINE:
		return "NEWLINE";
	case T_NL:
		return "NL";
	case T_BARE:
		return "BARE";
	case T_STRING:
		return "STRING";
	case T_MLSTRING:
		return "MLSTRING";
	case T_WORD:
		return "WORD";
	case T_EQ:
		return "=";
	case T_DOT:
		return ".";
	case T_COMMA:
		return ",";
	case T_LBRACKET:
		return "[";
	case T_RBRACKET:
		return "]";
	case T_LLBRACKET:
		return "[[";
	case T_RRBRACKET:
		return "]]";
	case T_LBRACE:
		return "{";
	case T_RBRACE:
		return "}";
	default:
		return "INVALID";
	}
}

size_t sbx_toml_scan(struct sbx_ctx *ctx, uint32_t file, struct sbx_toml_token **out)
{
	struct sbx_parse_state st;
	YY_BUFFER_STATE buf;
	size_t n = 0, cap = 0;
	*out = NULL;
	struct sbx_source *src = sbx_ctx_source(ctx, file);
	if (!src || src->len > SBX_MAX_INPUT_BYTES || !start(&st, ctx, file, &buf))
		return 0;
	for (;;) {
		SBX_TOMLYYSTYPE val = {0};
		struct sbx_span loc = {0};
		int kind = sbx_yylex(&val, &loc, st.scanner);
		if (kind == 0)
			break;
		*out = sbx_arena_grow(&ctx->arena, *out, &cap, n + 1, sizeof **out);
		struct sbx_toml_token *t = &(*out)[n++];
		*t = (struct sbx_toml_token){kind_name(kind), loc,       val.tok.text,
		                             val.tok.len,     SBX_E0101, NULL};
		if (val.tok.err.problem != SBX_TOK_OK)
			t->error = sbx_toml_tok_message(ctx, &val.tok.err, &t->code);
	}
	stop(&st, buf);
	return n;
}
