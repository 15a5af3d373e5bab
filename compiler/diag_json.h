/*
** diag_json.h: where a diagnostic is, and its one JSON shape.
**
** Every output that carries a location or a diagnostic builds it here, so
** `sbxc ir`, `explain --format json`, the artifact manifest and the lint
** reports agree on the keys:
**
**   location    {"file", "line", "column"}
**   diagnostic  {"code", "severity", "message", "file", "line", "column",
**                "end_line", "end_column", "notes": [{"message", "file",
**                "line", "column", "end_line", "end_column"}], "help": [...]}
**
** Lines and columns are 1-based; columns count Unicode scalar values; the
** end is the position just past the last character of the span (an empty
** span ends where it starts). Without a source the position keys are null.
*/
#ifndef SBX_DIAG_JSON_H
#define SBX_DIAG_JSON_H

#include "diag.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct sbx_ctx;

/* The resolved position of a span. */
struct sbx_diag_loc {
	const char *file;              /* source name, or NULL when the span has no source */
	uint32_t line, column;         /* first character */
	uint32_t end_line, end_column; /* just past the last character */
};

/* Fills *loc for span; returns false (file NULL, numbers 0) when the span
** has no source. */
bool sbx_diag_span_loc(struct sbx_ctx *ctx, struct sbx_span span, struct sbx_diag_loc *loc);

/* {"file", "line", "column"} of span, or JSON null without a source. New
** reference. */
json_t *sbx_span_to_json(struct sbx_ctx *ctx, struct sbx_span span);

/* The diagnostic shape above; `file` names the file a span-less diagnostic
** concerns (the file being checked), or is NULL. New reference. */
json_t *sbx_diag_to_json(struct sbx_ctx *ctx, const struct sbx_diag *d, const char *file);

#endif
