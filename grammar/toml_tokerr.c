/*
** toml_tokerr.c: the words of malformed TOML tokens.
**
** The scanner (grammar/) records a problem as a plain value, a kind and the
** span of the offending bytes (struct sbx_tok_error), because most of them
** are never reported: the parser skips the rest of a bad statement. Only a
** problem that reaches the parser or the builder is turned into a
** diagnostic, here, from the kind and the source bytes under the span (the
** control byte, the escape as written, the quotes of the string).
*/
#include "arena.h"
#include "sbx_limits.h"
#include "strbuf.h"
#include "toml_build.h"

#include <string.h>

const char *sbx_tb_quote(struct sbx_ctx *ctx, const char *s, size_t len)
{
	if (ctx->ndiags >= SBX_MAX_DIAGNOSTICS)
		return ""; /* the message will only be counted */
	return sbx_diag_quote(ctx, s, len);
}

struct tok_text {
	enum sbx_diag_code code;
	struct sbx_strbuf msg;
	const char *help;
};

static const char *where(const struct sbx_tok_error *e)
{
	return e->where == SBX_TOK_IN_COMMENT  ? " in a comment"
	       : e->where == SBX_TOK_IN_STRING ? " in a string"
	                                       : "";
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

static void escape_text(struct sbx_ctx *ctx, const char *s, size_t len, struct tok_text *t)
{
	char c = len > 1 ? s[1] : '\0';
	t->code = SBX_E0104;
	if (c == 'x' || c == 'u' || c == 'U') {
		int want = c == 'x' ? 2 : c == 'u' ? 4 : 8;
		sbx_sb_addf(&t->msg, "escape `\\%c` needs %d hexadecimal digits", c, want);
		t->help = c == 'x'
		              ? "`\\xHH` is new in TOML 1.1: write two hex digits, e.g. `\\x1b`"
		              : "write `\\\\` for a backslash, or use a literal string ('...') "
		                "where backslashes are plain characters";
	} else if (len > 1) {
		sbx_sb_addf(&t->msg, "invalid escape sequence `%s`", sbx_tb_quote(ctx, s, len));
		t->help = "valid escapes are \\b \\t \\n \\f \\r \\e \\\" \\\\ \\xHH \\uHHHH "
		          "\\UHHHHHHHH; write `\\\\` for a backslash";
	} else {
		sbx_sb_adds(&t->msg, "lone backslash is not an escape sequence");
		t->help = "write `\\\\` for a backslash";
	}
}

static void not_scalar_text(const char *s, size_t len, struct tok_text *t)
{
	uint32_t cp = hex_value(s + 2, len - 2);
	t->code = SBX_E0105;
	sbx_sb_addf(&t->msg, "escape `%.*s` is not a Unicode scalar value", (int)len, s);
	t->help = cp > 0x10ffff ? "Unicode ends at U+10FFFF"
	                        : "surrogates U+D800 to U+DFFF cannot be written alone; "
	                          "escape the whole character with \\U";
}

static void describe(struct sbx_ctx *ctx, const struct sbx_tok_error *e, struct tok_text *t)
{
	const struct sbx_source *src = sbx_ctx_source(ctx, e->span.file);
	const char *s = src ? src->text + e->span.start : "";
	size_t len = src ? e->span.end - e->span.start : 0;
	unsigned char c = len ? (unsigned char)s[0] : 0;
	t->msg = (struct sbx_strbuf)SBX_STRBUF_INIT;
	t->help = NULL;
	switch ((enum sbx_tok_problem)e->problem) {
	case SBX_TOK_CONTROL:
		t->code = SBX_E0004;
		sbx_sb_addf(&t->msg, "control character U+%04X is not allowed %s", c,
		            e->where == SBX_TOK_IN_CODE ? "here" : where(e) + 1);
		return;
	case SBX_TOK_CR:
		t->code = SBX_E0004;
		sbx_sb_adds(&t->msg, "carriage return must be followed by a line feed");
		return;
	case SBX_TOK_UTF8:
		t->code = SBX_E0003;
		sbx_sb_addf(&t->msg, "invalid UTF-8 byte 0x%02x%s", c, where(e));
		return;
	case SBX_TOK_BOM:
		t->code = SBX_E0101;
		sbx_sb_adds(&t->msg, "byte order mark U+FEFF after the start of the file");
		t->help = "a byte order mark may only stand at the very start of the file";
		return;
	case SBX_TOK_ESCAPE:
		escape_text(ctx, s, len, t);
		return;
	case SBX_TOK_NOT_SCALAR:
		not_scalar_text(s, len, t);
		return;
	case SBX_TOK_NEWLINE_IN_STRING:
		t->code = SBX_E0103;
		sbx_sb_adds(&t->msg, "string is not closed on its line");
		t->help = "single-line strings cannot hold newlines: write `\\n`, or use a "
		          "multi-line string (`\"\"\"` or `'''`)";
		return;
	case SBX_TOK_UNTERMINATED:
		t->code = SBX_E0102;
		sbx_sb_addf(&t->msg, "%s is not closed before the end of the file",
		            len == 3 ? "multi-line string" : "string");
		return;
	case SBX_TOK_NESTING:
		t->code = SBX_E0005;
		sbx_sb_addf(&t->msg, "arrays and inline tables are nested more than %d levels deep",
		            SBX_MAX_NESTING);
		return;
	case SBX_TOK_OK:
		break;
	}
	t->code = SBX_E0101;
	sbx_sb_adds(&t->msg, "malformed token");
}

enum sbx_diag_code sbx_toml_tok_report(struct sbx_ctx *ctx, const struct sbx_tok_error *e)
{
	struct tok_text t;
	describe(ctx, e, &t);
	struct sbx_diag *d = sbx_diag_emit(ctx, t.code, e->span, "%s", t.msg.buf);
	if (t.help)
		sbx_diag_help(ctx, d, "%s", t.help);
	sbx_sb_release(&t.msg);
	return t.code;
}

const char *sbx_toml_tok_message(struct sbx_ctx *ctx, const struct sbx_tok_error *e,
                                 enum sbx_diag_code *code)
{
	struct tok_text t;
	describe(ctx, e, &t);
	*code = t.code;
	const char *msg = sbx_arena_strndup(&ctx->arena, t.msg.buf, t.msg.len);
	sbx_sb_release(&t.msg);
	return msg;
}
