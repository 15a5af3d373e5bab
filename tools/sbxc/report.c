/*
** report.c: the table of lint report formats, and the two that stream:
** text (the compiler's renderer, diag_text.c) and GitHub workflow commands.
*/
#include "ctx.h"
#include "diag_json.h"
#include "lint.h"
#include "sbx_limits.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static const struct sbx_renderer *const renderers[] = {
    &sbx_render_text, &sbx_render_json, &sbx_render_sarif, &sbx_render_junit, &sbx_render_github,
};

const struct sbx_renderer *sbx_renderer_find(const char *name)
{
	for (size_t i = 0; i < sizeof renderers / sizeof renderers[0]; i++)
		if (strcmp(renderers[i]->name, name) == 0)
			return renderers[i];
	return NULL;
}

const char *sbx_renderer_names(void)
{
	return "text, json, sarif, junit or github";
}

/* --- text ------------------------------------------------------------- */

static void *text_begin(const struct sbx_report_opts *o)
{
	return (void *)o;
}

static void plural(FILE *out, size_t n, const char *what)
{
	fprintf(out, "%zu %s%s", n, what, n == 1 ? "" : "s");
}

static void text_file(void *st, const struct sbx_lint_file *f)
{
	const struct sbx_report_opts *o = st;
	struct sbx_render_opts ro = {.color = o->color, .file = sbx_lint_display_name(f)};
	for (size_t i = 0; i < f->ndiags; i++) {
		/* one about a whole profile shows where the profile starts */
		ro.at = f->diag_at[i];
		sbx_diag_render(f->ctx, f->diags[i], o->diag_out, &ro);
	}
	ro.at = SBX_NO_SPAN;
	if (f->ctx->ndropped) {
		struct sbx_diag d = {.code = SBX_E0008, .sev = SBX_SEV_NOTE, .span = SBX_NO_SPAN};
		d.msg = sbx_arena_printf(&f->ctx->arena,
		                         "%zu more diagnostics were not shown "
		                         "(SBX_MAX_DIAGNOSTICS is %d)",
		                         f->ctx->ndropped, SBX_MAX_DIAGNOSTICS);
		sbx_diag_render(f->ctx, &d, o->diag_out, &ro);
	}
	if (o->quiet)
		return;
	fprintf(o->out, "%s: ", f->name);
	plural(o->out, f->profiles, "profile");
	fputs(" checked, ", o->out);
	plural(o->out, f->errors, "error");
	fputs(", ", o->out);
	plural(o->out, f->warnings, "warning");
	if (f->allowed)
		fprintf(o->out, " (%zu allowed)", f->allowed);
	fputc('\n', o->out);
}

static bool text_end(void *st, const struct sbx_lint_totals *t)
{
	const struct sbx_report_opts *o = st;
	if (o->many && !o->quiet) {
		fputs("total: ", o->out);
		plural(o->out, t->files, "file");
		fputs(", ", o->out);
		plural(o->out, t->profiles, "profile");
		fputs(" checked, ", o->out);
		plural(o->out, t->errors, "error");
		fputs(", ", o->out);
		plural(o->out, t->warnings, "warning");
		if (t->allowed)
			fprintf(o->out, " (%zu allowed)", t->allowed);
		fputc('\n', o->out);
	}
	return !ferror(o->out) && !ferror(o->diag_out);
}

const struct sbx_renderer sbx_render_text = {"text", text_begin, text_file, text_end};

/* --- github: ::error file=F,line=L,col=C,endLine=..,endColumn=..,title=CODE::msg */

/* Escapes a workflow command's data (and, with prop, a property value). */
static void gh_escape(struct sbx_strbuf *sb, const char *s, bool prop)
{
	for (; *s; s++) {
		switch (*s) {
		case '%':
			sbx_sb_adds(sb, "%25");
			break;
		case '\r':
			sbx_sb_adds(sb, "%0D");
			break;
		case '\n':
			sbx_sb_adds(sb, "%0A");
			break;
		case ':':
			sbx_sb_adds(sb, prop ? "%3A" : ":");
			break;
		case ',':
			sbx_sb_adds(sb, prop ? "%2C" : ",");
			break;
		default:
			sbx_sb_addc(sb, *s);
		}
	}
}

static void *gh_begin(const struct sbx_report_opts *o)
{
	return (void *)o;
}

static void gh_file(void *st, const struct sbx_lint_file *f)
{
	const struct sbx_report_opts *o = st;
	for (size_t i = 0; i < f->ndiags; i++) {
		struct sbx_diag scratch;
		const struct sbx_diag *d = sbx_lint_diag(f, i, &scratch);
		struct sbx_diag_loc loc;
		bool have = sbx_diag_span_loc(f->ctx, d->span, &loc);
		struct sbx_strbuf sb = SBX_STRBUF_INIT;
		sbx_sb_addf(&sb, "::%s file=",
		            d->sev == SBX_SEV_ERROR     ? "error"
		            : d->sev == SBX_SEV_WARNING ? "warning"
		                                        : "notice");
		gh_escape(&sb, have ? loc.file : sbx_lint_display_name(f), true);
		if (have) {
			/* GitHub's end column is the last character, inclusive */
			uint32_t ec = loc.end_column;
			if (loc.end_line == loc.line && ec > loc.column)
				ec--;
			sbx_sb_addf(&sb, ",line=%u,col=%u,endLine=%u,endColumn=%u", loc.line,
			            loc.column, loc.end_line, ec);
		}
		sbx_sb_addf(&sb, ",title=%s::", sbx_diag_code_name(d->code));
		struct sbx_strbuf msg = SBX_STRBUF_INIT;
		sbx_sb_adds(&msg, d->msg);
		for (const struct sbx_diag_note *n = d->notes; n; n = n->next) {
			struct sbx_diag_loc nl;
			sbx_sb_addf(&msg, "\n%s: ", n->kind == SBX_NOTE_HELP ? "help" : "note");
			if (sbx_diag_span_loc(f->ctx, n->span, &nl))
				sbx_sb_addf(&msg, "%s:%u:%u: ", nl.file, nl.line, nl.column);
			sbx_sb_adds(&msg, n->msg);
		}
		if (d->promoted)
			sbx_sb_adds(&msg, "\nnote: this warning is an error because of --strict");
		gh_escape(&sb, msg.buf, false);
		sbx_sb_addc(&sb, '\n');
		fwrite(sb.buf, 1, sb.len, o->out);
		sbx_sb_release(&msg);
		sbx_sb_release(&sb);
	}
}

static bool gh_end(void *st, const struct sbx_lint_totals *t)
{
	const struct sbx_report_opts *o = st;
	(void)t;
	return !ferror(o->out);
}

const struct sbx_renderer sbx_render_github = {"github", gh_begin, gh_file, gh_end};
