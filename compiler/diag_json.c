/*
** diag_json.c: see diag_json.h.
*/
#include "diag_json.h"
#include "ctx.h"

bool sbx_diag_span_loc(struct sbx_ctx *ctx, struct sbx_span span, struct sbx_diag_loc *loc)
{
	*loc = (struct sbx_diag_loc){0};
	struct sbx_source *src = sbx_ctx_source(ctx, span.file);
	if (!src)
		return false;
	struct sbx_linecol a = sbx_source_linecol(&ctx->arena, src, span.start);
	struct sbx_linecol b = sbx_source_linecol(&ctx->arena, src, span.end);
	loc->file = src->name;
	loc->line = a.line;
	loc->column = a.col;
	loc->end_line = b.line;
	loc->end_column = b.col;
	return true;
}

json_t *sbx_span_to_json(struct sbx_ctx *ctx, struct sbx_span span)
{
	struct sbx_diag_loc loc;
	if (!sbx_diag_span_loc(ctx, span, &loc))
		return json_null();
	json_t *o = json_object();
	json_object_set_new(o, "file", json_string(loc.file));
	json_object_set_new(o, "line", json_integer(loc.line));
	json_object_set_new(o, "column", json_integer(loc.column));
	return o;
}

static json_t *num_or_null(bool have, uint32_t n)
{
	return have ? json_integer(n) : json_null();
}

/* The file and position keys of a diagnostic or note, into o. */
static void set_loc(struct sbx_ctx *ctx, json_t *o, struct sbx_span span, const char *file)
{
	struct sbx_diag_loc loc;
	bool have = sbx_diag_span_loc(ctx, span, &loc);
	const char *name = have ? loc.file : file;
	json_object_set_new(o, "file", name ? json_string(name) : json_null());
	json_object_set_new(o, "line", num_or_null(have, loc.line));
	json_object_set_new(o, "column", num_or_null(have, loc.column));
	json_object_set_new(o, "end_line", num_or_null(have, loc.end_line));
	json_object_set_new(o, "end_column", num_or_null(have, loc.end_column));
}

json_t *sbx_diag_to_json(struct sbx_ctx *ctx, const struct sbx_diag *d, const char *file)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(sbx_diag_code_name(d->code)));
	json_object_set_new(o, "severity", json_string(sbx_severity_name(d->sev)));
	json_object_set_new(o, "message", json_string(d->msg));
	set_loc(ctx, o, d->span, file);
	json_t *notes = json_array(), *help = json_array();
	for (const struct sbx_diag_note *n = d->notes; n; n = n->next) {
		if (n->kind == SBX_NOTE_HELP) {
			json_array_append_new(help, json_string(n->msg));
			continue;
		}
		json_t *x = json_object();
		json_object_set_new(x, "message", json_string(n->msg));
		set_loc(ctx, x, n->span, NULL);
		json_array_append_new(notes, x);
	}
	if (d->promoted)
		json_array_append_new(
		    notes, json_pack("{s:s, s:n, s:n, s:n, s:n, s:n}", "message",
		                     "this warning is an error because of --strict", "file", "line",
		                     "column", "end_line", "end_column"));
	json_object_set_new(o, "notes", notes);
	json_object_set_new(o, "help", help);
	return o;
}
