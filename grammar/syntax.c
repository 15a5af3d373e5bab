/*
** syntax.c: the words of TOML syntax errors.
**
** The parser calls sbx_syntax_error() when its lookahead token does not fit
** (parser.y, yyreport_syntax_error). A malformed token carries the scanner's
** own diagnostic; anything else becomes E0101, built from what the parser
** could have taken, the token before and the token found:
**
**   expected `=` after key `name`, found end of line
**
** plus a help line for the usual slips and a note pointing at a bracket that
** is still open at the end of the file.
*/
#include "parser.h"
#include "scanner.h"

#include <string.h>

/* The source text of a span, quoted for a message. */
static const char *raw(struct sbx_parse_state *st, struct sbx_span s)
{
	return sbx_tb_quote(st->ctx, st->text + s.start, s.end - s.start);
}

static void join(struct sbx_strbuf *sb, const char **items, int n)
{
	for (int i = 0; i < n; i++) {
		if (i > 0)
			sbx_sb_adds(sb, i == n - 1 ? " or " : ", ");
		sbx_sb_adds(sb, items[i]);
	}
}

static void expected_text(struct sbx_strbuf *sb, unsigned e)
{
	const char *items[12];
	int n = 0;
	bool value = e & SBX_EXP_VALUE;
	bool key = !value && (e & (SBX_EXP_KEY | SBX_EXP_STRING));
	bool line_start = key && (e & SBX_EXP_LBRACKET);
	if (value)
		items[n++] = "a value";
	else if (line_start)
		items[n++] = "a key or a table header";
	else if (key)
		items[n++] = "a key";
	if (e & SBX_EXP_EQ)
		items[n++] = "`=`"; /* a `.` could follow a key too, but `=` is the point */
	else if (e & SBX_EXP_DOT)
		items[n++] = "`.`";
	if (e & SBX_EXP_COMMA)
		items[n++] = "`,`";
	if (e & SBX_EXP_RBRACKET)
		items[n++] = "`]`";
	if (e & SBX_EXP_RRBRACKET)
		items[n++] = "`]]`";
	if (e & SBX_EXP_RBRACE)
		items[n++] = "`}`";
	if (!line_start && (e & SBX_EXP_EOL))
		items[n++] = "end of line";
	if (n == 0 && (e & SBX_EXP_NL))
		items[n++] = "end of line";
	if (n == 0 && (e & SBX_EXP_EOF))
		items[n++] = "end of file";
	if (n == 0)
		items[n++] = "something else";
	join(sb, items, n);
}

/* After a key the parser wants `=` (key/value pair) or `.` (dotted key,
** header); after a value it never does. */
static bool is_key_context(unsigned e)
{
	return e & (SBX_EXP_EQ | SBX_EXP_DOT);
}

/* " after key `name`", " after `=`", or nothing at the start of a line. */
static void after_text(struct sbx_parse_state *st, struct sbx_strbuf *sb, unsigned e)
{
	const struct sbx_seen_tok *p = &st->prev;
	switch (p->kind) {
	case 0:
	case T_NEWLINE:
	case T_NL:
	case T_INVALID:
		return;
	case T_MLSTRING:
		sbx_sb_adds(sb, " after the multi-line string");
		return;
	case T_BARE:
	case T_STRING:
		if (is_key_context(e)) {
			sbx_sb_addf(sb, " after key `%s`", raw(st, p->span));
			return;
		}
		break;
	default:
		break;
	}
	sbx_sb_addf(sb, " after `%s`", raw(st, p->span));
}

static void found_text(struct sbx_parse_state *st, struct sbx_strbuf *sb)
{
	const struct sbx_seen_tok *c = &st->cur;
	switch (c->kind) {
	case 0:
		sbx_sb_adds(sb, "end of file");
		return;
	case T_NEWLINE:
		sbx_sb_adds(sb, c->tok.len ? "end of line" : "end of file");
		return;
	case T_NL:
		sbx_sb_adds(sb, "end of line");
		return;
	case T_MLSTRING:
		sbx_sb_adds(sb, "a multi-line string");
		return;
	case T_STRING:
		sbx_sb_addf(sb, "string `%s`", raw(st, c->span));
		return;
	default:
		sbx_sb_addf(sb, "`%s`", raw(st, c->span));
		return;
	}
}

static bool at_eof(const struct sbx_parse_state *st)
{
	return st->cur.kind == 0 || (st->cur.kind == T_NEWLINE && st->cur.tok.len == 0);
}

static bool is_value_token(int kind)
{
	return kind == T_WORD || kind == T_STRING || kind == T_MLSTRING || kind == T_BARE ||
	       kind == T_LBRACKET || kind == T_LBRACE;
}

static const char *help_text(struct sbx_parse_state *st, unsigned e)
{
	int cur = st->cur.kind, prev = st->prev.kind;
	bool key_expected = !(e & SBX_EXP_VALUE) && (e & (SBX_EXP_KEY | SBX_EXP_EQ));
	if (cur == T_MLSTRING && key_expected)
		return "multi-line strings cannot be keys; use a basic or a literal string";
	if (cur == T_INVALID && key_expected)
		return "bare keys may contain only ASCII letters, digits, `_` and `-`; "
		       "put other keys in quotes";
	if (cur == T_LBRACKET && prev == T_LBRACKET && (e & SBX_EXP_KEY))
		return "an array of tables header is written `[[name]]`, with no space "
		       "between the brackets";
	if (e == SBX_EXP_EOL && is_value_token(cur))
		return "put each key/value pair and each table header on a line of its own";
	if ((e & SBX_EXP_COMMA) && is_value_token(cur) && st->nframes > 0)
		return st->frames[st->nframes - 1].kind == SBX_FRAME_INLINE
		           ? "separate the entries of an inline table with `,`"
		           : "separate array elements with `,`";
	return NULL;
}

/* At the end of the file, the bracket that is still open. */
static void open_frame_note(struct sbx_parse_state *st, struct sbx_diag *d)
{
	if (!at_eof(st) || st->nframes == 0)
		return;
	const struct sbx_frame *f = &st->frames[st->nframes - 1];
	static const char *const what[] = {
	    [SBX_FRAME_ARRAY] = "array",
	    [SBX_FRAME_INLINE] = "inline table",
	    [SBX_FRAME_HEADER] = "table header",
	    [SBX_FRAME_AOT_HEADER] = "table header",
	};
	uint32_t width = f->kind == SBX_FRAME_AOT_HEADER ? 2 : 1;
	sbx_diag_note(st->ctx, d, (struct sbx_span){st->file, f->start, f->start + width},
	              "the %s opened here is not closed", what[f->kind]);
}

void sbx_syntax_error(struct sbx_parse_state *st, unsigned expected)
{
	if (st->cur.kind == T_INVALID && st->cur.tok.err.problem != SBX_TOK_OK) {
		if (sbx_toml_tok_report(st->ctx, &st->cur.tok.err) == SBX_E0005)
			sbx_tb_limit_hit(st->b);
		return;
	}
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_adds(&sb, "expected ");
	expected_text(&sb, expected);
	after_text(st, &sb, expected);
	sbx_sb_adds(&sb, ", found ");
	found_text(st, &sb);
	struct sbx_diag *d = sbx_diag_emit(st->ctx, SBX_E0101, st->cur.span, "%s", sb.buf);
	sbx_sb_release(&sb);
	open_frame_note(st, d);
	const char *help = help_text(st, expected);
	if (help)
		sbx_diag_help(st->ctx, d, "%s", help);
}
