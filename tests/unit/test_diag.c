/*
** Unit tests for the diagnostics: recording, limits, strict promotion and
** the exact text rendering (caret placement with tabs, wide characters,
** control bytes and empty spans).
*/
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "diag.h"
#include "sbx_limits.h"

static char *render(struct sbx_ctx *ctx)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct sbx_render_opts o = {.color = false};
	sbx_diag_render_all(ctx, f, &o, true);
	fclose(f);
	return buf;
}

static struct sbx_span span(uint32_t file, const char *text, const char *needle)
{
	const char *p = strstr(text, needle);
	cr_assert_not_null(p);
	uint32_t start = (uint32_t)(p - text);
	return (struct sbx_span){file, start, start + (uint32_t)strlen(needle)};
}

Test(diag, renders_header_snippet_and_help)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	const char *text = "a = 1\n\"docs\" = \"read\"\n";
	uint32_t f = sbx_ctx_add_source(ctx, "p.toml", text, strlen(text));
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0301, span(f, text, "\"docs\""),
	                                   "filesystem path `%s` must be absolute", "docs");
	sbx_diag_help(ctx, d, "write `~/docs` for a path in the home directory");
	char *out = render(ctx);
	cr_assert_str_eq(out, "p.toml:2:1: error[E0301]: filesystem path `docs` must be absolute\n"
	                      "    2 | \"docs\" = \"read\"\n"
	                      "      | ^^^^^^\n"
	                      "      = help: write `~/docs` for a path in the home directory\n"
	                      "sbxc: 1 error\n");
	free(out);
	cr_assert_eq(sbx_diag_errors(ctx), 1);
	sbx_ctx_free(&ctx);
	cr_assert_null(ctx);
}

/* A diagnostic about a whole profile has no span of its own: with the
** profile's position (lint's `at`) it shows file:line:col and no snippet. */
Test(diag, whole_profile_diagnostic_shows_the_profile_position)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	const char *text = "default_permissions = \"dev\"\n[permissions.dev.filesystem]\n";
	uint32_t f = sbx_ctx_add_source(ctx, "p.toml", text, strlen(text));
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_N0601, SBX_NO_SPAN, "profile `dev` on linux");
	sbx_diag_note(ctx, d, SBX_NO_SPAN, "detail");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct sbx_render_opts o = {.file = "p.toml", .at = span(f, text, "dev.")};
	o.at.end = o.at.start + 3;
	sbx_diag_render(ctx, d, out, &o);
	o.at = SBX_NO_SPAN;
	sbx_diag_render(ctx, d, out, &o);
	fclose(out);
	cr_assert_str_eq(buf, "p.toml:2:14: note[N0601]: profile `dev` on linux\n"
	                      "      = note: detail\n"
	                      "p.toml: note[N0601]: profile `dev` on linux\n"
	                      "      = note: detail\n");
	free(buf);
	sbx_ctx_free(&ctx);
}

Test(diag, caret_under_tabs_wide_chars_and_control_bytes)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	const char text[] = "\t\xe7\x95\x8c\x01x = 1";
	uint32_t f = sbx_ctx_add_source(ctx, "w.toml", text, sizeof text - 1);
	sbx_diag_emit(ctx, SBX_E0004, span(f, text, "x"), "bad");
	char *out = render(ctx);
	/* tab = 4 columns, U+754C = 2 columns, \x01 = 4 columns: x is at column 11 */
	cr_assert_str_eq(out, "w.toml:1:4: error[E0004]: bad\n"
	                      "    1 |     \xe7\x95\x8c\\x01x = 1\n"
	                      "      |           ^\n"
	                      "sbxc: 1 error\n");
	free(out);
	sbx_ctx_free(&ctx);
}

Test(diag, empty_span_at_end_of_input_gets_one_caret)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	const char *text = "a = ";
	uint32_t f = sbx_ctx_add_source(ctx, "e.toml", text, 4);
	sbx_diag_emit(ctx, SBX_E0101, (struct sbx_span){f, 4, 4}, "expected a value");
	char *out = render(ctx);
	cr_assert_str_eq(out, "e.toml:1:5: error[E0101]: expected a value\n"
	                      "    1 | a = \n"
	                      "      |     ^\n"
	                      "sbxc: 1 error\n");
	free(out);
	sbx_ctx_free(&ctx);
}

Test(diag, strict_promotes_marked_warnings)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	sbx_diag_emit(ctx, SBX_W0201, SBX_NO_SPAN, "unknown key `x`");
	cr_assert_eq(sbx_diag_warnings(ctx), 1);
	cr_assert_eq(sbx_diag_errors(ctx), 0);
	ctx->strict = true;
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_W0201, SBX_NO_SPAN, "unknown key `y`");
	cr_assert(d->promoted);
	cr_assert_eq(sbx_diag_errors(ctx), 1);
	char *out = render(ctx);
	cr_assert_str_eq(out, "sbxc: warning[W0201]: unknown key `x`\n"
	                      "sbxc: error[W0201]: unknown key `y`\n"
	                      "      = note: this warning is an error because of --strict\n"
	                      "sbxc: 1 error, 1 warning\n");
	free(out);
	sbx_ctx_free(&ctx);
}

Test(diag, keeps_at_most_the_limit_and_counts_the_rest)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	for (int i = 0; i < SBX_MAX_DIAGNOSTICS + 5; i++)
		sbx_diag_emit(ctx, SBX_E0101, SBX_NO_SPAN, "e%d", i);
	cr_assert_eq(ctx->ndiags, SBX_MAX_DIAGNOSTICS);
	cr_assert_eq(ctx->ndropped, 5);
	cr_assert_eq(sbx_diag_errors(ctx), SBX_MAX_DIAGNOSTICS + 5);
	sbx_ctx_free(&ctx);
}

Test(diag, quote_escapes_and_shortens)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	cr_assert_str_eq(sbx_diag_quote(ctx, "a`b\x01\xff", 5), "a\\`b\\x01\\xff");
	/* a 200-byte path is quoted whole; a 4 KB one is cut in the middle */
	char path[201];
	memset(path, 'p', 200);
	path[200] = '\0';
	cr_assert_str_eq(sbx_diag_quote(ctx, path, 200), path);
	char big[4096];
	memset(big, 'x', sizeof big);
	const char *q = sbx_diag_quote(ctx, big, sizeof big);
	cr_assert_lt(strlen(q), 250);
	cr_assert_not_null(strstr(q, "..."));
	sbx_ctx_free(&ctx);
}

/* The same diagnostic (code, span, message) is recorded once; a repeated
** error still counts for the pass that emitted it, not for the summary. */
Test(diag, identical_diagnostics_are_reported_once)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	uint32_t f = sbx_ctx_add_source(ctx, "p.toml", "abc", 3);
	struct sbx_span s = {f, 0, 1};
	sbx_diag_emit(ctx, SBX_E0301, s, "same");
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0301, s, "same");
	sbx_diag_help(ctx, d, "dropped with the repeat");
	sbx_diag_emit(ctx, SBX_E0301, s, "other");
	sbx_diag_emit(ctx, SBX_W0202, s, "w");
	sbx_diag_emit(ctx, SBX_W0202, s, "w");
	cr_assert_eq(ctx->ndiags, 3);
	cr_assert_null(ctx->diags[0]->notes);
	cr_assert_eq(sbx_diag_errors(ctx), 3);
	cr_assert_eq(sbx_diag_errors_shown(ctx), 2);
	cr_assert_eq(sbx_diag_warnings(ctx), 1);
	char *out = render(ctx);
	cr_assert_not_null(strstr(out, "sbxc: 2 errors, 1 warning\n"), "%s", out);
	free(out);
	sbx_ctx_free(&ctx);
}

/* C1 controls and bidirectional overrides are valid UTF-8 but must not
** reach a terminal raw: quoted text and the source line escape them. */
Test(diag, hidden_characters_are_escaped)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	cr_assert_str_eq(sbx_diag_quote(ctx,
	                                "a\u202eb\xc2\x9b"
	                                "c\u00e9",
	                                10),
	                 "a\\u{202e}b\\u{009b}c\u00e9");
	const char *text = "k = \"x\u202ey\"\n";
	uint32_t f = sbx_ctx_add_source(ctx, "p.toml", text, strlen(text));
	sbx_diag_emit(ctx, SBX_E0101, span(f, text, "\""), "bad");
	char *out = render(ctx);
	cr_assert_null(strstr(out, "\u202e"), "%s", out);
	cr_assert_not_null(strstr(out, "x\\u{202e}y"), "%s", out);
	free(out);
	sbx_ctx_free(&ctx);
}

Test(diag, code_table)
{
	enum sbx_diag_code c;
	cr_assert(sbx_diag_code_lookup("E0301", &c));
	cr_assert_eq(c, SBX_E0301);
	cr_assert_str_eq(sbx_diag_code_name(SBX_W0201), "W0201");
	cr_assert(sbx_diag_code_strict(SBX_W0201));
	cr_assert_not(sbx_diag_code_lookup("E9999", &c));
}

Test(diag, long_lines_show_a_window_around_the_span)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	char text[301];
	memset(text, 'a', 300);
	text[300] = '\0';
	memcpy(text + 250, "KEY", 3);
	uint32_t f = sbx_ctx_add_source(ctx, "l.toml", text, 300);
	sbx_diag_emit(ctx, SBX_E0101, (struct sbx_span){f, 250, 253}, "here");
	char *out = render(ctx);
	/* 40 columns before the span, then the rest of the line (it ends
	** within the 112-column window) */
	char want[1024];
	snprintf(want, sizeof want,
	         "l.toml:1:251: error[E0101]: here\n"
	         "    1 | ...%.40sKEY%.47s\n"
	         "      |    %40s^^^\n"
	         "sbxc: 1 error\n",
	         text, text, "");
	cr_assert_str_eq(out, want);
	free(out);
	sbx_ctx_free(&ctx);
}

Test(diag, long_lines_are_cut_on_both_sides)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	char text[501];
	memset(text, 'b', 500);
	text[500] = '\0';
	uint32_t f = sbx_ctx_add_source(ctx, "l.toml", text, 500);
	sbx_diag_emit(ctx, SBX_E0101, (struct sbx_span){f, 100, 102}, "here");
	char *out = render(ctx);
	char want[1024];
	snprintf(want, sizeof want,
	         "l.toml:1:101: error[E0101]: here\n"
	         "    1 | ...%.112s...\n"
	         "      |    %40s^^\n"
	         "sbxc: 1 error\n",
	         text, "");
	cr_assert_str_eq(out, want);
	free(out);
	sbx_ctx_free(&ctx);
}
