/*
** diag.c: the diagnostic table and the recording side of diagnostics.
*/
#include "diag.h"
#include "ctx.h"
#include "sbx_limits.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { SBX_DEF_ERROR, SBX_DEF_WARNING, SBX_DEF_NOTE, SBX_DEF_STRICT_WARNING };

static const struct {
	const char *name;
	int sev;
	const char *summary;
} diag_table[SBX_DIAG_COUNT] = {
#define DIAG(code, sev, summary) [SBX_##code] = {#code, SBX_DEF_##sev, summary},
#include "diag.def"
#undef DIAG
};

const char *sbx_diag_code_name(enum sbx_diag_code code)
{
	return code < SBX_DIAG_COUNT ? diag_table[code].name : "E????";
}

enum sbx_severity sbx_diag_code_severity(enum sbx_diag_code code)
{
	switch (diag_table[code].sev) {
	case SBX_DEF_ERROR:
		return SBX_SEV_ERROR;
	case SBX_DEF_NOTE:
		return SBX_SEV_NOTE;
	default:
		return SBX_SEV_WARNING;
	}
}

bool sbx_diag_code_strict(enum sbx_diag_code code)
{
	return diag_table[code].sev == SBX_DEF_STRICT_WARNING;
}

const char *sbx_diag_code_summary(enum sbx_diag_code code)
{
	return code < SBX_DIAG_COUNT ? diag_table[code].summary : "";
}

bool sbx_diag_code_lookup(const char *name, enum sbx_diag_code *out)
{
	for (size_t i = 0; i < SBX_DIAG_COUNT; i++) {
		if (strcmp(diag_table[i].name, name) == 0) {
			*out = (enum sbx_diag_code)i;
			return true;
		}
	}
	return false;
}

const char *sbx_severity_name(enum sbx_severity s)
{
	return s == SBX_SEV_ERROR ? "error" : s == SBX_SEV_WARNING ? "warning" : "note";
}

static const char *vformat(struct sbx_ctx *ctx, const char *fmt, va_list ap)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_vaddf(&sb, fmt, ap);
	const char *s = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return s;
}

static struct sbx_diag *vmake(struct sbx_ctx *ctx, enum sbx_diag_code code, struct sbx_span span,
                              const char *fmt, va_list ap)
{
	struct sbx_diag *d = sbx_arena_alloc(&ctx->arena, sizeof *d);
	d->code = code;
	d->sev = sbx_diag_code_severity(code);
	d->span = span;
	if (ctx->strict && sbx_diag_code_strict(code)) {
		d->sev = SBX_SEV_ERROR;
		d->promoted = true;
	}
	d->msg = vformat(ctx, fmt, ap);
	return d;
}

struct sbx_diag *sbx_diag_make(struct sbx_ctx *ctx, enum sbx_diag_code code, struct sbx_span span,
                               const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct sbx_diag *d = vmake(ctx, code, span, fmt, ap);
	va_end(ap);
	return d;
}

static bool same_span(struct sbx_span a, struct sbx_span b)
{
	return a.file == b.file && a.start == b.start && a.end == b.end;
}

/* Is d identical to a diagnostic already recorded? Only the kept ones
** (at most SBX_MAX_DIAGNOSTICS) are compared. */
static bool repeated(const struct sbx_ctx *ctx, const struct sbx_diag *d)
{
	for (size_t i = ctx->ndiags; i-- > 0;) {
		const struct sbx_diag *x = ctx->diags[i];
		if (x->code == d->code && x->sev == d->sev && same_span(x->span, d->span) &&
		    strcmp(x->msg, d->msg) == 0)
			return true;
	}
	return false;
}

/* Records a repeat: an error still counts for the pass that emitted it. */
static void add_repeat(struct sbx_ctx *ctx, const struct sbx_diag *d)
{
	if (d->sev == SBX_SEV_ERROR) {
		ctx->nerrors++;
		ctx->nrepeated++;
	}
}

void sbx_diag_add(struct sbx_ctx *ctx, struct sbx_diag *d)
{
	if (d != &ctx->dropped && repeated(ctx, d)) {
		add_repeat(ctx, d);
		return;
	}
	if (d->sev == SBX_SEV_ERROR)
		ctx->nerrors++;
	else if (d->sev == SBX_SEV_WARNING)
		ctx->nwarnings++;
	if (ctx->ndiags >= SBX_MAX_DIAGNOSTICS) {
		ctx->ndropped++;
		return; /* counted, not kept */
	}
	ctx->diags = sbx_arena_grow(&ctx->arena, ctx->diags, &ctx->capdiags, ctx->ndiags + 1,
	                            sizeof *ctx->diags);
	ctx->diags[ctx->ndiags++] = d;
}

struct sbx_diag *sbx_diag_emit(struct sbx_ctx *ctx, enum sbx_diag_code code, struct sbx_span span,
                               const char *fmt, ...)
{
	if (ctx->ndiags >= SBX_MAX_DIAGNOSTICS) {
		/* Past the limit a diagnostic is only counted: nothing is
		** formatted or allocated, so a file with millions of errors
		** costs no memory for them. */
		struct sbx_diag *d = &ctx->dropped;
		*d = (struct sbx_diag){
		    .code = code, .sev = sbx_diag_code_severity(code), .span = span, .msg = ""};
		if (ctx->strict && sbx_diag_code_strict(code)) {
			d->sev = SBX_SEV_ERROR;
			d->promoted = true;
		}
		sbx_diag_add(ctx, d);
		return d;
	}
	va_list ap;
	va_start(ap, fmt);
	struct sbx_diag *d = vmake(ctx, code, span, fmt, ap);
	va_end(ap);
	if (repeated(ctx, d)) {
		/* a scratch diagnostic takes (and drops) the notes of the repeat */
		add_repeat(ctx, d);
		ctx->dropped = *d;
		ctx->dropped.notes = NULL;
		return &ctx->dropped;
	}
	sbx_diag_add(ctx, d);
	return d;
}

static void add_note(struct sbx_ctx *ctx, struct sbx_diag *d, enum sbx_note_kind kind,
                     struct sbx_span span, const char *msg)
{
	struct sbx_diag_note *n = sbx_arena_alloc(&ctx->arena, sizeof *n);
	n->kind = kind;
	n->span = span;
	n->msg = msg;
	struct sbx_diag_note **p = &d->notes;
	while (*p)
		p = &(*p)->next;
	*p = n;
}

void sbx_diag_note(struct sbx_ctx *ctx, struct sbx_diag *d, struct sbx_span span, const char *fmt,
                   ...)
{
	if (d == &ctx->dropped)
		return;
	va_list ap;
	va_start(ap, fmt);
	add_note(ctx, d, SBX_NOTE_NOTE, span, vformat(ctx, fmt, ap));
	va_end(ap);
}

void sbx_diag_help(struct sbx_ctx *ctx, struct sbx_diag *d, const char *fmt, ...)
{
	if (d == &ctx->dropped)
		return;
	va_list ap;
	va_start(ap, fmt);
	add_note(ctx, d, SBX_NOTE_HELP, SBX_NO_SPAN, vformat(ctx, fmt, ap));
	va_end(ap);
}

/* Bytes of user text quoted in one message: enough for the paths people
** act on (a message is no use if the path in it is cut), short enough that
** a 4 KB key does not flood the terminal. */
#define SBX_QUOTE_MAX 240

const char *sbx_diag_quote(struct sbx_ctx *ctx, const char *s, size_t len)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	if (len > SBX_QUOTE_MAX) {
		/* cut at UTF-8 boundaries so the escaper sees whole characters */
		size_t head = SBX_QUOTE_MAX / 2, tail = len - SBX_QUOTE_MAX / 2 + 10;
		while (head > 0 && ((unsigned char)s[head] & 0xc0) == 0x80)
			head--;
		while (tail < len && ((unsigned char)s[tail] & 0xc0) == 0x80)
			tail++;
		sbx_sb_add_escaped(&sb, s, head, '`');
		sbx_sb_adds(&sb, "...");
		sbx_sb_add_escaped(&sb, s + tail, len - tail, '`');
	} else {
		sbx_sb_add_escaped(&sb, s, len, '`');
	}
	const char *r = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return r;
}

size_t sbx_diag_errors(const struct sbx_ctx *ctx)
{
	return ctx->nerrors;
}

size_t sbx_diag_errors_shown(const struct sbx_ctx *ctx)
{
	return ctx->nerrors - ctx->nrepeated;
}

size_t sbx_diag_warnings(const struct sbx_ctx *ctx)
{
	return ctx->nwarnings;
}
