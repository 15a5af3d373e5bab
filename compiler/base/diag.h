/*
** diag.h: structured diagnostics.
**
** A diagnostic is data: a stable code (diag.def), a severity, the primary span
** and a message, plus optional notes and help lines. Passes append them to the
** context (sbx_diag_emit) and continue, so one run reports every problem it
** can find; nothing is printed until a renderer (diag_text.c) runs.
**
** Message style: lowercase, no trailing full stop, say what is wrong first,
** quote user text with backquotes: "filesystem path `docs` must be absolute".
** Quote user text with sbx_diag_quote() so control bytes are escaped.
*/
#ifndef SBX_DIAG_H
#define SBX_DIAG_H

#include "source.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum sbx_diag_code {
#define DIAG(code, sev, summary) SBX_##code,
#include "diag.def"
#undef DIAG
	SBX_DIAG_COUNT
};

enum sbx_severity {
	SBX_SEV_NOTE,
	SBX_SEV_WARNING,
	SBX_SEV_ERROR,
};

enum sbx_note_kind {
	SBX_NOTE_NOTE, /* "= note: ..." or a secondary span with its label */
	SBX_NOTE_HELP, /* "= help: ..." */
};

struct sbx_diag_note {
	enum sbx_note_kind kind;
	struct sbx_span span; /* secondary location, or file 0 for a plain line */
	const char *msg;
	struct sbx_diag_note *next;
};

struct sbx_diag {
	enum sbx_diag_code code;
	enum sbx_severity sev;
	struct sbx_span span; /* primary location; file 0 when there is none */
	const char *msg;
	bool promoted;               /* a STRICT_WARNING made an error by --strict */
	struct sbx_diag_note *notes; /* in the order they were added */
};

struct sbx_ctx;

/* Code name ("E0301"), default severity and summary from diag.def. */
const char *sbx_diag_code_name(enum sbx_diag_code code);
enum sbx_severity sbx_diag_code_severity(enum sbx_diag_code code);
bool sbx_diag_code_strict(enum sbx_diag_code code);
const char *sbx_diag_code_summary(enum sbx_diag_code code);
/* Looks a code up by its name; returns false if there is no such code. */
bool sbx_diag_code_lookup(const char *name, enum sbx_diag_code *out);
/* "error", "warning" or "note". */
const char *sbx_severity_name(enum sbx_severity s);

/* Records a diagnostic in ctx. Returns it so notes can be attached; past
** SBX_MAX_DIAGNOSTICS it is counted and a scratch diagnostic is returned
** (still valid to pass to sbx_diag_note). The result is arena-owned. */
struct sbx_diag *sbx_diag_emit(struct sbx_ctx *ctx, enum sbx_diag_code code, struct sbx_span span,
                               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A detached diagnostic: built like sbx_diag_emit() but not recorded, for
** verdicts that are shown only on request (per-backend enforceability).
** sbx_diag_add() records it later (at most once). */
struct sbx_diag *sbx_diag_make(struct sbx_ctx *ctx, enum sbx_diag_code code, struct sbx_span span,
                               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void sbx_diag_add(struct sbx_ctx *ctx, struct sbx_diag *d);

void sbx_diag_note(struct sbx_ctx *ctx, struct sbx_diag *d, struct sbx_span span, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));
void sbx_diag_help(struct sbx_ctx *ctx, struct sbx_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* An arena copy of s[0..len) fit for a message: control and invalid bytes
** escaped as \xNN, backquotes escaped, long text cut in the middle with "...". */
const char *sbx_diag_quote(struct sbx_ctx *ctx, const char *s, size_t len);

/* Errors so far (including promoted warnings), and warnings. A diagnostic
** identical to one already recorded (code, span and message) is not recorded
** again; a repeated error still counts in sbx_diag_errors(), which passes use
** to tell whether they failed, but not in sbx_diag_errors_shown(), the count
** for summaries. Repeated warnings and notes are not counted at all. */
size_t sbx_diag_errors(const struct sbx_ctx *ctx);
size_t sbx_diag_errors_shown(const struct sbx_ctx *ctx);
size_t sbx_diag_warnings(const struct sbx_ctx *ctx);

/* Rendering (diag_text.c). Whether to colour is the caller's decision
** (the driver looks at the terminal and the environment). */
struct sbx_render_opts {
	bool color;
	const char *file;   /* shown for a diagnostic without a span: the file it
	                       concerns (lint's current file), or NULL */
	struct sbx_span at; /* for a diagnostic without a span: the position of
	                       what it concerns (lint: the profile's
	                       [permissions.<name>] key), shown as
	                       file:line:col with no snippet; file 0 if none */
};
/* Renders every diagnostic of ctx, in the order they were emitted, then the
** "N errors, M warnings" summary if `summary` is set. */
/* The E0008 note for the diagnostics dropped since the last such note (none
** when nothing more was dropped). */
void sbx_diag_render_dropped(struct sbx_ctx *ctx, FILE *out, const struct sbx_render_opts *o);
void sbx_diag_render_all(struct sbx_ctx *ctx, FILE *out, const struct sbx_render_opts *o,
                         bool summary);
void sbx_diag_render(struct sbx_ctx *ctx, const struct sbx_diag *d, FILE *out,
                     const struct sbx_render_opts *o);

#endif
