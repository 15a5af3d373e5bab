/*
** scanner.c: the C half of the TOML scanner.
**
** lexer.l holds the patterns; its actions call the helpers here, which keep
** the context stack (scanner.h explains why TOML needs one), decode string
** literals with their escapes, and turn malformed input into error tokens.
** Nothing here reports a diagnostic: a problem travels with its token
** (struct sbx_tok_error) and the parser or the builder reports it, once.
*/
#include "scanner.h"
#include "arena.h"
#include "parser.h"
#include "sbx_limits.h"
#include "utf8.h"

#include <string.h>

bool sbx_scan_value_mode(const struct sbx_parse_state *st)
{
	if (st->overflow)
		return true;
	if (st->nframes == 0)
		return st->top_value;
	const struct sbx_frame *f = &st->frames[st->nframes - 1];
	switch (f->kind) {
	case SBX_FRAME_ARRAY:
		return true;
	case SBX_FRAME_INLINE:
		return f->value;
	default:
		return false;
	}
}

struct sbx_tok sbx_scan_source(const struct sbx_parse_state *st, struct sbx_span loc)
{
	return (struct sbx_tok){st->text + loc.start, loc.end - loc.start, {0}};
}

static struct sbx_tok_error problem(const struct sbx_parse_state *st, enum sbx_tok_problem p,
                                    enum sbx_tok_where where, uint32_t start, uint32_t end)
{
	return (struct sbx_tok_error){(uint8_t)p, (uint8_t)where, {st->file, start, end}};
}

static void push_frame(struct sbx_parse_state *st, enum sbx_frame_kind kind, uint32_t start)
{
	st->frames = sbx_arena_grow(&st->ctx->arena, st->frames, &st->capframes, st->nframes + 1,
	                            sizeof *st->frames);
	st->frames[st->nframes++] = (struct sbx_frame){(uint8_t)kind, false, start};
	if (kind == SBX_FRAME_ARRAY || kind == SBX_FRAME_INLINE)
		st->nvalue_frames++;
}

static void pop_frame(struct sbx_parse_state *st)
{
	enum sbx_frame_kind kind = st->frames[--st->nframes].kind;
	if (kind == SBX_FRAME_ARRAY || kind == SBX_FRAME_INLINE)
		st->nvalue_frames--;
}

static bool top_is(const struct sbx_parse_state *st, enum sbx_frame_kind kind)
{
	return st->nframes > 0 && st->frames[st->nframes - 1].kind == kind;
}

/* `[`, `[[` or `{`. In a value, `[` and `{` open an array or an inline table
** (`[[` is two arrays); at the start of a top-level line `[`/`[[` open a
** header. Anywhere else they are plain tokens the parser rejects. */
int sbx_scan_open(struct sbx_parse_state *st, const char *s, size_t len, struct sbx_span *loc,
                  struct sbx_tok *val, size_t *keep)
{
	*val = (struct sbx_tok){s[0] == '{' ? "{" : "[", 1, {0}};
	*keep = 1;
	if (!sbx_scan_value_mode(st)) {
		if (s[0] == '{')
			return T_LBRACE;
		if (st->nframes > 0)
			return T_LBRACKET;
		if (len == 2) {
			*keep = 2;
			val->text = "[[";
			val->len = 2;
			push_frame(st, SBX_FRAME_AOT_HEADER, loc->start);
			return T_LLBRACKET;
		}
		push_frame(st, SBX_FRAME_HEADER, loc->start);
		return T_LBRACKET;
	}
	if (st->overflow || st->nvalue_frames == SBX_MAX_NESTING) {
		/* The first bracket too many is the error; the parser skips what
		** follows to the end of the statement, so deeper ones are only
		** counted to find where that is. */
		if (st->overflow++ == 0)
			val->err = problem(st, SBX_TOK_NESTING, SBX_TOK_IN_CODE, loc->start,
			                   loc->start + 1);
		return T_INVALID;
	}
	push_frame(st, s[0] == '{' ? SBX_FRAME_INLINE : SBX_FRAME_ARRAY, loc->start);
	return s[0] == '{' ? T_LBRACE : T_LBRACKET;
}

/* `]`, `]]` or `}`: closes the innermost frame if it matches. */
int sbx_scan_close(struct sbx_parse_state *st, const char *s, size_t len, struct sbx_span *loc,
                   struct sbx_tok *val, size_t *keep)
{
	(void)loc;
	*val = (struct sbx_tok){s[0] == '}' ? "}" : "]", 1, {0}};
	*keep = 1;
	if (st->overflow) {
		st->overflow--;
		return s[0] == '}' ? T_RBRACE : T_RBRACKET;
	}
	if (s[0] == '}') {
		if (top_is(st, SBX_FRAME_INLINE))
			pop_frame(st);
		return T_RBRACE;
	}
	if (len == 2 && top_is(st, SBX_FRAME_AOT_HEADER)) {
		*keep = 2;
		val->text = "]]";
		val->len = 2;
		pop_frame(st);
		return T_RRBRACKET;
	}
	if (top_is(st, SBX_FRAME_ARRAY) || top_is(st, SBX_FRAME_HEADER))
		pop_frame(st);
	return T_RBRACKET;
}

void sbx_scan_equals(struct sbx_parse_state *st)
{
	if (st->nframes == 0)
		st->top_value = true;
	else if (top_is(st, SBX_FRAME_INLINE))
		st->frames[st->nframes - 1].value = true;
}

void sbx_scan_comma(struct sbx_parse_state *st)
{
	if (top_is(st, SBX_FRAME_INLINE))
		st->frames[st->nframes - 1].value = false;
}

/* A newline ends the statement at the top level and a header that was not
** closed; it is whitespace in an array and a token in an inline table. */
int sbx_scan_newline(struct sbx_parse_state *st)
{
	if (st->overflow)
		return 0;
	while (top_is(st, SBX_FRAME_HEADER) || top_is(st, SBX_FRAME_AOT_HEADER))
		pop_frame(st);
	if (st->nframes == 0) {
		st->top_value = false;
		return T_NEWLINE;
	}
	return top_is(st, SBX_FRAME_INLINE) ? T_NL : 0;
}

static bool is_ctrl(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* The first control character or malformed UTF-8 byte of s, which starts
** at offset `start`; SBX_TOK_OK if there is none. */
static struct sbx_tok_error check_text(const struct sbx_parse_state *st, const char *s, size_t len,
                                       uint32_t start, enum sbx_tok_where where)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		uint32_t at = start + (uint32_t)i;
		if (is_ctrl(c))
			return problem(st, SBX_TOK_CONTROL, where, at, at + 1);
		if (c < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = sbx_utf8_decode(s + i, len - i, &cp);
		if (!n)
			return problem(st, SBX_TOK_UTF8, where, at, at + 1);
		i += n;
	}
	return (struct sbx_tok_error){0};
}

bool sbx_scan_comment(struct sbx_parse_state *st, struct sbx_span loc, struct sbx_tok *val)
{
	struct sbx_tok_error e = check_text(st, st->text + loc.start, loc.end - loc.start,
	                                    loc.start, SBX_TOK_IN_COMMENT);
	if (e.problem == SBX_TOK_OK)
		return false;
	*val = sbx_scan_source(st, loc);
	val->err = e;
	return true;
}

void sbx_scan_stray(struct sbx_parse_state *st, struct sbx_span loc, struct sbx_tok *val)
{
	*val = sbx_scan_source(st, loc);
	const char *s = val->text;
	unsigned char c = (unsigned char)s[0];
	if (c == '\r')
		val->err = problem(st, SBX_TOK_CR, SBX_TOK_IN_CODE, loc.start, loc.end);
	else if (is_ctrl(c))
		val->err = problem(st, SBX_TOK_CONTROL, SBX_TOK_IN_CODE, loc.start, loc.end);
	else if (c >= 0x80 && val->len == 1)
		val->err = problem(st, SBX_TOK_UTF8, SBX_TOK_IN_CODE, loc.start, loc.end);
	else if (val->len == 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		val->err = problem(st, SBX_TOK_BOM, SBX_TOK_IN_CODE, loc.start, loc.end);
}

void sbx_str_begin(struct sbx_parse_state *st, uint32_t start)
{
	sbx_sb_reset(&st->str);
	st->str_start = start;
	st->str_err = (struct sbx_tok_error){0};
}

void sbx_str_add(struct sbx_parse_state *st, const char *s, size_t len)
{
	sbx_sb_add(&st->str, s, len);
}

/* Keeps the first problem of a string; the rest of it is still decoded. */
static void str_fail(struct sbx_parse_state *st, struct sbx_tok_error e)
{
	if (st->str_err.problem == SBX_TOK_OK)
		st->str_err = e;
}

static uint32_t hex_value(const char *s, size_t n)
{
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		v = v * 16 + (uint32_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

/* A well-formed escape: \b \t \n \f \r \e \" \\, \xHH, \uHHHH, \UHHHHHHHH.
** The numeric forms name a Unicode scalar value, written as UTF-8. */
void sbx_str_escape(struct sbx_parse_state *st, const char *s, size_t len, struct sbx_span loc)
{
	static const char from[] = "btnfre\"\\", to[] = "\b\t\n\f\r\033\"\\";
	if (len == 2) {
		sbx_sb_addc(&st->str, to[strchr(from, s[1]) - from]);
		return;
	}
	char out[4];
	size_t n = sbx_utf8_encode(hex_value(s + 2, len - 2), out);
	if (n)
		sbx_sb_add(&st->str, out, n);
	else
		str_fail(st,
		         problem(st, SBX_TOK_NOT_SCALAR, SBX_TOK_IN_STRING, loc.start, loc.end));
}

void sbx_str_bad_escape(struct sbx_parse_state *st, struct sbx_span loc)
{
	str_fail(st, problem(st, SBX_TOK_ESCAPE, SBX_TOK_IN_STRING, loc.start, loc.end));
}

void sbx_str_bad_byte(struct sbx_parse_state *st, struct sbx_span loc)
{
	str_fail(st, check_text(st, st->text + loc.start, 1, loc.start, SBX_TOK_IN_STRING));
}

void sbx_str_end(struct sbx_parse_state *st, struct sbx_span *loc, struct sbx_tok *val)
{
	loc->start = st->str_start;
	val->text = sbx_arena_strndup(&st->ctx->arena, st->str.buf, st->str.len);
	val->len = st->str.len;
	val->err = st->str_err;
}

void sbx_str_unterminated(struct sbx_parse_state *st, struct sbx_span *loc, struct sbx_tok *val,
                          bool at_eof, bool multiline)
{
	loc->start = st->str_start;
	*val = sbx_scan_source(st, *loc);
	uint32_t q = st->str_start;
	if (at_eof)
		val->err = problem(st, SBX_TOK_UNTERMINATED, SBX_TOK_IN_STRING, q,
		                   q + (multiline ? 3 : 1));
	else
		val->err = problem(st, SBX_TOK_NEWLINE_IN_STRING, SBX_TOK_IN_STRING, q, loc->end);
}
