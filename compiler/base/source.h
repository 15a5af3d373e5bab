/*
** source.h: loaded source files and the byte-offset -> line:column map.
**
** Spans are byte offsets plus a file id; line and column are computed only
** when a diagnostic is rendered. File id 0 means "no source" (built-in
** profiles, command-line options).
*/
#ifndef SBX_SOURCE_H
#define SBX_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct sbx_span {
	uint32_t file;  /* 1-based id from sbx_ctx_add_source(); 0 = no source */
	uint32_t start; /* byte offset of the first byte */
	uint32_t end;   /* byte offset one past the last byte (end >= start) */
};

#define SBX_NO_SPAN ((struct sbx_span){0, 0, 0})

struct sbx_source {
	const char *name;     /* display name: the path as given, or "<stdin>" */
	const char *text;     /* contents; text[len] is '\0' (the text may hold NULs) */
	size_t len;           /* bytes of text */
	uint32_t *line_start; /* offset of each line's first byte; built on demand */
	size_t nlines;        /* entries in line_start */
};

struct sbx_linecol {
	uint32_t line; /* 1-based */
	uint32_t col;  /* 1-based, counted in Unicode scalar values */
};

struct sbx_arena;
/* Line and column of a byte offset (offsets past the end clamp to the end). */
struct sbx_linecol sbx_source_linecol(struct sbx_arena *a, struct sbx_source *src, uint32_t offset);
/* The bytes of 1-based line `line`, without its '\n' or '\r\n'. */
const char *sbx_source_line(struct sbx_arena *a, struct sbx_source *src, uint32_t line,
                            size_t *len);
/* Joins two spans of one file into the span covering both. */
struct sbx_span sbx_span_join(struct sbx_span a, struct sbx_span b);

#endif
