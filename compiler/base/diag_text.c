/*
** diag_text.c: renders diagnostics as text, gcc/rustc style.
**
**   policy.toml:3:1: error[E0301]: filesystem path `docs` must be absolute...
**       3 | "docs" = "read"
**         | ^^^^^^
**         = help: write `~/docs` for a path in the home directory
**
** The snippet shows the first line of the span; the underline covers the span
** on that line (one caret for an empty span). Tabs show as four spaces and
** control or malformed bytes as \xNN, with the underline widened to match, so
** the carets always sit under the bytes they mean.
*/
#include "ctx.h"
#include "diag.h"
#include "sbx_limits.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_CYAN "\033[1;36m"
#define C_BLUE "\033[1;34m"
#define C_GREEN "\033[1;32m"

static const char *sev_color(enum sbx_severity s)
{
	return s == SBX_SEV_ERROR ? C_RED : s == SBX_SEV_WARNING ? C_YELLOW : C_CYAN;
}

static void paint(struct sbx_strbuf *sb, bool color, const char *c, const char *text)
{
	if (color)
		sbx_sb_adds(sb, c);
	sbx_sb_adds(sb, text);
	if (color)
		sbx_sb_adds(sb, C_RESET);
}

static int digits(uint32_t n)
{
	int d = 1;
	while (n >= 10)
		n /= 10, d++;
	return d;
}

#define SNIPPET_MAX_COLS 120 /* longer source lines are shown as a window */
#define SNIPPET_LEAD_COLS 40 /* columns kept before the span in a window */

/* One character of a source line as displayed. */
struct cell {
	char text[12]; /* what is printed: the character, 4 spaces for a tab, \xNN,
	                  \u{XXXX} for a hidden character (utf8.h) */
	size_t len;
	size_t width; /* terminal columns */
	bool marked;  /* inside the span */
};

static struct cell *cells_of(const char *line, size_t len, size_t line_off, size_t start,
                             size_t end, size_t *n)
{
	struct cell *c = sbx_xcalloc(len + 1, sizeof *c);
	size_t k = 0;
	for (size_t i = 0; i < len; k++) {
		uint32_t cp;
		size_t nb;
		unsigned char b = (unsigned char)line[i];
		struct cell *x = &c[k];
		if (b == '\t') {
			memcpy(x->text, "    ", 4);
			x->len = x->width = 4, nb = 1;
		} else if (b < 0x20 || b == 0x7f ||
		           (nb = sbx_utf8_decode(line + i, len - i, &cp)) == 0) {
			snprintf(x->text, sizeof x->text, "\\x%02x", b);
			x->len = x->width = 4, nb = 1;
		} else if (sbx_utf8_hidden(cp)) {
			/* never raw: a C1 control can drive the terminal, a bidi
			** override can make the line read as another */
			int w = snprintf(x->text, sizeof x->text, "\\u{%04x}", (unsigned)cp);
			x->len = x->width = (size_t)w;
		} else {
			memcpy(x->text, line + i, nb);
			x->len = nb;
			x->width = (size_t)sbx_utf8_width(cp);
		}
		x->marked = line_off + i >= start && line_off + i < end;
		i += nb;
	}
	*n = k;
	return c;
}

/* The source line under a span and its underline. Tabs, control bytes and
** wide characters keep the carets under the right text; a line too long
** for the terminal is cut to a window around the span, marked with "...". */
static void snippet(struct sbx_ctx *ctx, struct sbx_strbuf *sb, struct sbx_source *src,
                    struct sbx_span span, struct sbx_linecol lc, int gutter, bool color,
                    const char *ucolor)
{
	size_t len, n;
	const char *line = sbx_source_line(&ctx->arena, src, lc.line, &len);
	size_t start = span.start, end = span.end > span.start ? span.end : span.start + 1;
	struct cell *c = cells_of(line, len, (size_t)(line - src->text), start, end, &n);

	size_t total = 0, first_mark = SIZE_MAX, col = 0;
	for (size_t k = 0; k < n; k++) {
		if (c[k].marked && first_mark == SIZE_MAX)
			first_mark = col;
		col += c[k].width;
	}
	total = col;
	size_t ws = 0, we = total; /* the window, in columns */
	if (total > SNIPPET_MAX_COLS) {
		size_t anchor = first_mark == SIZE_MAX ? total : first_mark;
		ws = anchor > SNIPPET_LEAD_COLS ? anchor - SNIPPET_LEAD_COLS : 0;
		we = ws + SNIPPET_MAX_COLS - 8 < total ? ws + SNIPPET_MAX_COLS - 8 : total;
	}
	struct sbx_strbuf text = SBX_STRBUF_INIT, under = SBX_STRBUF_INIT;
	if (ws > 0) {
		sbx_sb_adds(&text, "...");
		sbx_sb_adds(&under, "   ");
	}
	bool any = false;
	col = 0;
	for (size_t k = 0; k < n; col += c[k].width, k++) {
		if (col < ws || col >= we)
			continue;
		sbx_sb_add(&text, c[k].text, c[k].len);
		size_t w = c[k].marked && !c[k].width ? 1 : c[k].width;
		sbx_sb_addn(&under, c[k].marked ? '^' : ' ', w);
		any |= c[k].marked;
	}
	if (we < total)
		sbx_sb_adds(&text, "...");
	if (!any && first_mark == SIZE_MAX) /* the span starts at the end of the line */
		sbx_sb_addc(&under, '^');
	while (under.len && under.buf[under.len - 1] == ' ')
		sbx_sb_truncate(&under, under.len - 1);
	free(c);

	char num[16];
	snprintf(num, sizeof num, "%*u", gutter, lc.line);
	sbx_sb_adds(sb, " ");
	paint(sb, color, C_BLUE, num);
	paint(sb, color, C_BLUE, " | ");
	sbx_sb_add(sb, text.buf, text.len);
	sbx_sb_addc(sb, '\n');
	sbx_sb_addn(sb, ' ', (size_t)gutter + 1);
	paint(sb, color, C_BLUE, " | ");
	paint(sb, color, ucolor, under.buf);
	sbx_sb_addc(sb, '\n');
	sbx_sb_release(&text);
	sbx_sb_release(&under);
}

static void header(struct sbx_ctx *ctx, struct sbx_strbuf *sb, struct sbx_span span, bool color,
                   const char *file, struct sbx_span at, struct sbx_linecol *lc,
                   struct sbx_source **srcp)
{
	struct sbx_source *src = sbx_ctx_source(ctx, span.file);
	*srcp = src;
	if (!src) {
		/* about something larger than a span (a whole profile): where
		** it starts, without a snippet, since no text is at fault */
		struct sbx_source *as = sbx_ctx_source(ctx, at.file);
		if (as) {
			struct sbx_linecol alc = sbx_source_linecol(&ctx->arena, as, at.start);
			struct sbx_strbuf pos = SBX_STRBUF_INIT;
			sbx_sb_addf(&pos, "%s:%u:%u: ", as->name, alc.line, alc.col);
			paint(sb, color, C_BOLD, pos.buf);
			sbx_sb_release(&pos);
			return;
		}
		paint(sb, color, C_BOLD, file ? file : "sbxc");
		paint(sb, color, C_BOLD, ": ");
		return;
	}
	*lc = sbx_source_linecol(&ctx->arena, src, span.start);
	if (color)
		sbx_sb_adds(sb, C_BOLD);
	sbx_sb_addf(sb, "%s:%u:%u: ", src->name, lc->line, lc->col);
	if (color)
		sbx_sb_adds(sb, C_RESET);
}

void sbx_diag_render(struct sbx_ctx *ctx, const struct sbx_diag *d, FILE *out,
                     const struct sbx_render_opts *o)
{
	bool color = o && o->color;
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	struct sbx_linecol lc = {0, 0};
	struct sbx_source *src;
	header(ctx, &sb, d->span, color, o ? o->file : NULL, o ? o->at : SBX_NO_SPAN, &lc, &src);

	struct sbx_strbuf tag = SBX_STRBUF_INIT;
	sbx_sb_addf(&tag, "%s[%s]", sbx_severity_name(d->sev), sbx_diag_code_name(d->code));
	paint(&sb, color, sev_color(d->sev), tag.buf);
	sbx_sb_release(&tag);
	if (color)
		sbx_sb_adds(&sb, C_BOLD);
	sbx_sb_addf(&sb, ": %s", d->msg);
	if (color)
		sbx_sb_adds(&sb, C_RESET);
	sbx_sb_addc(&sb, '\n');

	/* the gutter is as wide as the largest line number shown */
	uint32_t maxline = src ? lc.line : 0;
	for (const struct sbx_diag_note *n = d->notes; n; n = n->next) {
		struct sbx_source *ns = sbx_ctx_source(ctx, n->span.file);
		if (ns) {
			struct sbx_linecol nlc = sbx_source_linecol(&ctx->arena, ns, n->span.start);
			if (nlc.line > maxline)
				maxline = nlc.line;
		}
	}
	int gutter = digits(maxline) + 3;
	if (src)
		snippet(ctx, &sb, src, d->span, lc, gutter, color, sev_color(d->sev));

	for (const struct sbx_diag_note *n = d->notes; n; n = n->next) {
		const char *label = n->kind == SBX_NOTE_HELP ? "help" : "note";
		struct sbx_source *ns = sbx_ctx_source(ctx, n->span.file);
		if (ns) {
			struct sbx_linecol nlc = {0, 0};
			struct sbx_source *dummy;
			header(ctx, &sb, n->span, color, NULL, SBX_NO_SPAN, &nlc, &dummy);
			paint(&sb, color, n->kind == SBX_NOTE_HELP ? C_GREEN : C_CYAN, label);
			sbx_sb_addf(&sb, ": %s\n", n->msg);
			snippet(ctx, &sb, ns, n->span, nlc, gutter, color, C_CYAN);
		} else {
			sbx_sb_addn(&sb, ' ', (size_t)gutter + 2);
			paint(&sb, color, C_BLUE, "= ");
			paint(&sb, color, C_BOLD, label);
			sbx_sb_addf(&sb, ": %s\n", n->msg);
		}
	}
	if (d->promoted) {
		sbx_sb_addn(&sb, ' ', (size_t)gutter + 2);
		paint(&sb, color, C_BLUE, "= ");
		paint(&sb, color, C_BOLD, "note");
		sbx_sb_adds(&sb, ": this warning is an error because of --strict\n");
	}
	fwrite(sb.buf, 1, sb.len, out);
	sbx_sb_release(&sb);
}

void sbx_diag_render_dropped(struct sbx_ctx *ctx, FILE *out, const struct sbx_render_opts *o)
{
	if (ctx->ndropped <= ctx->ndropped_told)
		return;
	struct sbx_diag d = {
	    .code = SBX_E0008,
	    .sev = SBX_SEV_NOTE,
	    .span = SBX_NO_SPAN,
	};
	d.msg = sbx_arena_printf(&ctx->arena,
	                         "%zu more diagnostics were not shown "
	                         "(SBX_MAX_DIAGNOSTICS is %d)",
	                         ctx->ndropped - ctx->ndropped_told, SBX_MAX_DIAGNOSTICS);
	ctx->ndropped_told = ctx->ndropped;
	sbx_diag_render(ctx, &d, out, o);
}

void sbx_diag_render_all(struct sbx_ctx *ctx, FILE *out, const struct sbx_render_opts *o,
                         bool summary)
{
	for (size_t i = 0; i < ctx->ndiags; i++)
		sbx_diag_render(ctx, ctx->diags[i], out, o);
	sbx_diag_render_dropped(ctx, out, o);
	size_t nerrors = sbx_diag_errors_shown(ctx);
	if (summary && (nerrors || ctx->nwarnings)) {
		struct sbx_strbuf sb = SBX_STRBUF_INIT;
		bool color = o && o->color;
		paint(&sb, color, C_BOLD, "sbxc: ");
		if (nerrors)
			sbx_sb_addf(&sb, "%zu error%s", nerrors, nerrors == 1 ? "" : "s");
		if (nerrors && ctx->nwarnings)
			sbx_sb_adds(&sb, ", ");
		if (ctx->nwarnings)
			sbx_sb_addf(&sb, "%zu warning%s", ctx->nwarnings,
			            ctx->nwarnings == 1 ? "" : "s");
		sbx_sb_addc(&sb, '\n');
		fwrite(sb.buf, 1, sb.len, out);
		sbx_sb_release(&sb);
	}
}
