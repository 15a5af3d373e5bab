/*
** Unit tests for the TOML scanner (grammar/lexer.l, grammar/scanner.c),
** run alone through sbx_toml_scan(): which token each tricky input becomes,
** its exact span and text, and the error a malformed token carries.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "sbx_limits.h"
#include "toml_build.h"

static struct sbx_ctx *ctx;
static struct sbx_toml_token *toks;
static size_t ntoks;
static const char *src;

static void teardown(void)
{
	sbx_ctx_free(&ctx);
}

TestSuite(toml_scanner, .fini = teardown);

static void scan_n(const char *text, size_t len)
{
	if (!ctx)
		ctx = sbx_ctx_new();
	src = text;
	uint32_t f = sbx_ctx_add_source(ctx, "t.toml", text, len);
	ntoks = sbx_toml_scan(ctx, f, &toks);
}

static void scan(const char *text)
{
	scan_n(text, strlen(text));
}

/* "KIND:text" for every token, space-separated, for compact assertions. */
static const char *kinds(void)
{
	static char buf[4096];
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ntoks && o < sizeof buf - 64; i++) {
		const struct sbx_toml_token *t = &toks[i];
		bool show = !strcmp(t->kind, "BARE") || !strcmp(t->kind, "WORD") ||
		            !strcmp(t->kind, "STRING") || !strcmp(t->kind, "MLSTRING");
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s%s%.*s", i ? " " : "", t->kind,
		                      show ? ":" : "", show ? (int)t->len : 0, show ? t->text : "");
	}
	return buf;
}

/* The source text under token i's span. */
static char *spanned(size_t i)
{
	static char buf[256];
	struct sbx_span s = toks[i].span;
	snprintf(buf, sizeof buf, "%.*s", (int)(s.end - s.start), src + s.start);
	return buf;
}

Test(toml_scanner, keys_that_look_like_values_stay_keys)
{
	scan("1234 = 1\ntrue = false\n2000-01-01 = 1\ninf = nan\n");
	cr_assert_str_eq(kinds(), "BARE:1234 = WORD:1 NEWLINE BARE:true = WORD:false NEWLINE "
	                          "BARE:2000-01-01 = WORD:1 NEWLINE BARE:inf = WORD:nan "
	                          "NEWLINE NEWLINE");
}

Test(toml_scanner, float_shaped_key_is_a_dotted_key)
{
	scan("1.2 = 1.2");
	cr_assert_str_eq(kinds(), "BARE:1 . BARE:2 = WORD:1.2 NEWLINE");
	cr_assert_str_eq(spanned(0), "1");
	cr_assert_str_eq(spanned(2), "2");
	cr_assert_str_eq(spanned(4), "1.2");
}

Test(toml_scanner, space_separated_datetime_is_one_word)
{
	scan("d = 1979-05-27 07:32:00Z # c\nk = 1979-05-27 # date only");
	cr_assert_str_eq(kinds(), "BARE:d = WORD:1979-05-27 07:32:00Z NEWLINE BARE:k = "
	                          "WORD:1979-05-27 NEWLINE");
}

Test(toml_scanner, strings_span_their_quotes_and_decode_escapes)
{
	scan("s = \"a\\tb\\u00e9\\x41\\e\"\nl = 'C:\\n'");
	cr_assert_str_eq(kinds(), "BARE:s = STRING:a\tbéA\x1b NEWLINE BARE:l = STRING:C:\\n "
	                          "NEWLINE");
	cr_assert_str_eq(spanned(2), "\"a\\tb\\u00e9\\x41\\e\"");
	cr_assert_str_eq(spanned(6), "'C:\\n'");
}

Test(toml_scanner, nul_escape_keeps_its_length)
{
	scan("s = \"a\\u0000b\"");
	cr_assert_eq(toks[2].len, 3);
	cr_assert(memcmp(toks[2].text, "a\0b", 3) == 0);
}

Test(toml_scanner, multiline_basic_with_line_ending_backslashes)
{
	scan("s = \"\"\"\n  The quick \\\n\n    brown \\   \n  fox.\"\"\"\n");
	cr_assert_str_eq(kinds(), "BARE:s = MLSTRING:  The quick brown fox. NEWLINE NEWLINE");
	cr_assert_str_eq(spanned(2), "\"\"\"\n  The quick \\\n\n    brown \\   \n  fox.\"\"\"");
}

Test(toml_scanner, multiline_strings_take_up_to_two_extra_quotes)
{
	scan("a = \"\"\"\"x\"\"\"\"\"\nb = '''''y'''''");
	cr_assert_str_eq(kinds(), "BARE:a = MLSTRING:\"x\"\" NEWLINE BARE:b = MLSTRING:''y'' "
	                          "NEWLINE");
}

Test(toml_scanner, crlf_newlines_and_crlf_in_multiline_strings)
{
	scan("a = 1\r\nb = \"\"\"\r\nx\r\ny\"\"\"\r\n");
	cr_assert_str_eq(kinds(), "BARE:a = WORD:1 NEWLINE BARE:b = MLSTRING:x\ny NEWLINE "
	                          "NEWLINE");
	cr_assert_str_eq(spanned(3), "\r\n");
	cr_assert_eq(toks[3].span.start, 5);
}

Test(toml_scanner, newlines_are_whitespace_in_arrays_and_tokens_in_inline_tables)
{
	scan("a = [\n1, # c\n2\n]\nt = {\nx = 1,\n}\n");
	cr_assert_str_eq(kinds(), "BARE:a = [ WORD:1 , WORD:2 ] NEWLINE BARE:t = { NL BARE:x "
	                          "= WORD:1 , NL } NEWLINE NEWLINE");
}

Test(toml_scanner, headers_versus_nested_arrays)
{
	scan("[[a.b]]\n[c]\nx = [[1]]\n");
	cr_assert_str_eq(kinds(), "[[ BARE:a . BARE:b ]] NEWLINE [ BARE:c ] NEWLINE BARE:x = "
	                          "[ [ WORD:1 ] ] NEWLINE NEWLINE");
	cr_assert_str_eq(spanned(0), "[[");
	cr_assert_str_eq(spanned(4), "]]");
}

Test(toml_scanner, header_closing_bracket_counts_once)
{
	scan("[a]]\n");
	cr_assert_str_eq(kinds(), "[ BARE:a ] ] NEWLINE NEWLINE");
}

Test(toml_scanner, bom_is_skipped_at_the_start_only)
{
	scan("\xef\xbb\xbf"
	     "a = 1");
	cr_assert_str_eq(kinds(), "BARE:a = WORD:1 NEWLINE");
	cr_assert_eq(toks[0].span.start, 3);
}

Test(toml_scanner, end_of_file_is_an_empty_end_of_line)
{
	scan("a = 1");
	cr_assert_eq(ntoks, 4);
	cr_assert_str_eq(toks[3].kind, "NEWLINE");
	cr_assert_eq(toks[3].span.start, 5);
	cr_assert_eq(toks[3].span.end, 5);
}

Test(toml_scanner, unterminated_string_is_an_error_token_up_to_the_line_end)
{
	scan("s = \"abc\nt = 1");
	cr_assert_str_eq(kinds(), "BARE:s = INVALID NEWLINE BARE:t = WORD:1 NEWLINE");
	cr_assert_eq(toks[2].code, SBX_E0103);
	cr_assert_str_eq(toks[2].error, "string is not closed on its line");
	cr_assert_str_eq(spanned(2), "\"abc");
}

Test(toml_scanner, unterminated_multiline_string_runs_to_the_end)
{
	scan("s = '''abc\n\nt = 1");
	cr_assert_str_eq(kinds(), "BARE:s = INVALID NEWLINE");
	cr_assert_eq(toks[2].code, SBX_E0102);
	cr_assert_str_eq(toks[2].error, "multi-line string is not closed before the end of the "
	                                "file");
}

Test(toml_scanner, bad_escape_rides_on_a_normal_string_token)
{
	scan("s = \"a\\qb\\zc\"");
	cr_assert_str_eq(toks[2].kind, "STRING");
	cr_assert_eq(toks[2].code, SBX_E0104);
	cr_assert_str_eq(toks[2].error, "invalid escape sequence `\\q`");
}

Test(toml_scanner, surrogate_escape_is_rejected)
{
	scan("s = \"\\uDC00\"");
	cr_assert_eq(toks[2].code, SBX_E0105);
	cr_assert_str_eq(toks[2].error, "escape `\\uDC00` is not a Unicode scalar value");
}

Test(toml_scanner, control_characters_and_bad_utf8)
{
	static const char text[] = "a = \"x\x01\"\nb = 1 # \xff\nc\x7f";
	scan_n(text, sizeof text - 1);
	cr_assert_str_eq(toks[2].kind, "STRING");
	cr_assert_eq(toks[2].code, SBX_E0004);
	cr_assert_str_eq(toks[2].error, "control character U+0001 is not allowed in a string");
	cr_assert_str_eq(toks[7].kind, "INVALID");
	cr_assert_eq(toks[7].code, SBX_E0003);
	cr_assert_str_eq(toks[7].error, "invalid UTF-8 byte 0xff in a comment");
	cr_assert_str_eq(toks[10].kind, "INVALID");
	cr_assert_eq(toks[10].code, SBX_E0004);
}

Test(toml_scanner, lone_carriage_return_is_a_control_character)
{
	scan("a = 1\rb = 2");
	cr_assert_str_eq(toks[3].kind, "INVALID");
	cr_assert_eq(toks[3].code, SBX_E0004);
	cr_assert_str_eq(toks[3].error, "carriage return must be followed by a line feed");
}

Test(toml_scanner, nesting_past_the_limit_is_one_error_token)
{
	char text[2 * SBX_MAX_NESTING + 64];
	int n = SBX_MAX_NESTING + 2, o = snprintf(text, sizeof text, "a = ");
	for (int i = 0; i < n; i++)
		text[o++] = '[';
	for (int i = 0; i < n; i++)
		text[o++] = ']';
	text[o] = '\0';
	scan(text);
	size_t errors = 0, at = 0;
	for (size_t i = 0; i < ntoks; i++)
		if (toks[i].error)
			errors++, at = i;
	cr_assert_eq(errors, 1);
	cr_assert_eq(toks[at].code, SBX_E0005);
	cr_assert_eq(toks[at].span.start, 4 + SBX_MAX_NESTING);
	cr_assert_str_eq(toks[at].error,
	                 "arrays and inline tables are nested more than 128 levels deep");
	/* the brackets still balance: the statement ends where it should */
	cr_assert_str_eq(toks[ntoks - 1].kind, "NEWLINE");
	cr_assert_str_eq(toks[ntoks - 2].kind, "]");
}

Test(toml_scanner, stray_characters_are_invalid_tokens_without_error)
{
	scan("a!b = 1");
	cr_assert_str_eq(kinds(), "BARE:a INVALID BARE:b = WORD:1 NEWLINE");
	cr_assert_null(toks[1].error);
	cr_assert_str_eq(spanned(1), "!");
}
