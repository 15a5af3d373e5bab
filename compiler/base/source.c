/*
** source.c: line tables for diagnostics.
*/
#include "source.h"
#include "arena.h"
#include "utf8.h"

#include <string.h>

static void build_lines(struct sbx_arena *a, struct sbx_source *src)
{
	size_t n = 1;
	for (size_t i = 0; i < src->len; i++)
		n += src->text[i] == '\n';
	src->line_start = sbx_arena_alloc(a, n * sizeof *src->line_start);
	size_t k = 0;
	src->line_start[k++] = 0;
	for (size_t i = 0; i < src->len; i++)
		if (src->text[i] == '\n')
			src->line_start[k++] = (uint32_t)(i + 1);
	src->nlines = n;
}

struct sbx_linecol sbx_source_linecol(struct sbx_arena *a, struct sbx_source *src, uint32_t offset)
{
	if (!src->line_start)
		build_lines(a, src);
	if (offset > src->len)
		offset = (uint32_t)src->len;
	size_t lo = 0, hi = src->nlines; /* last line with start <= offset */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (src->line_start[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	uint32_t col = 1;
	for (size_t i = src->line_start[lo]; i < offset;) {
		uint32_t cp;
		size_t k = sbx_utf8_decode(src->text + i, src->len - i, &cp);
		i += k ? k : 1;
		col++;
	}
	return (struct sbx_linecol){(uint32_t)lo + 1, col};
}

const char *sbx_source_line(struct sbx_arena *a, struct sbx_source *src, uint32_t line, size_t *len)
{
	if (!src->line_start)
		build_lines(a, src);
	if (line == 0 || line > src->nlines) {
		*len = 0;
		return "";
	}
	size_t start = src->line_start[line - 1];
	size_t end = line < src->nlines ? src->line_start[line] - 1 : src->len;
	if (end > start && src->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return src->text + start;
}

struct sbx_span sbx_span_join(struct sbx_span a, struct sbx_span b)
{
	if (a.file == 0)
		return b;
	if (b.file != a.file)
		return a;
	struct sbx_span r = a;
	if (b.start < r.start)
		r.start = b.start;
	if (b.end > r.end)
		r.end = b.end;
	return r;
}
