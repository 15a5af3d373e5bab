/*
** lint.h: what `sbxc lint` hands to its report formats.
**
** The checks run once per file into a context; a renderer (one per
** --format, in the table of report.c) sees each file's kept diagnostics
** while that context is alive, then the totals. Text streams as it goes;
** JSON, SARIF and JUnit build one document and write it at the end.
*/
#ifndef SBX_CLI_LINT_H
#define SBX_CLI_LINT_H

#include "ctx.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One JUnit test case: a profile checked for one target (target NULL: the
** profile itself, before any target), with the diagnostics [first, last)
** of the file's kept list. */
struct sbx_lint_case {
	const char *profile; /* NULL: the file (syntax, selection) */
	const char *target;
	size_t first, last;
	struct sbx_span span; /* where the profile starts (cmd_lint.c, profile_anchor):
	                         its [permissions.<name>] key, if known */
};

struct sbx_lint_file {
	const char *name;              /* as given; "-" shows as <stdin> */
	struct sbx_ctx *ctx;           /* owns the diagnostics and the sources */
	const struct sbx_diag **diags; /* kept: not allowed, not hidden by -q */
	const char **diag_profile;     /* per diagnostic: its profile, or NULL */
	const char **diag_target;      /* per diagnostic: its target, or NULL */
	struct sbx_span *diag_at;      /* per diagnostic: its span, or for one about
	                                  a whole profile, the profile's key */
	size_t ndiags;
	struct sbx_lint_case *cases;
	size_t ncases;
	size_t profiles, errors, warnings, notes, allowed;
};

struct sbx_lint_totals {
	size_t files, profiles, errors, warnings, notes, allowed;
	bool werror;
};

struct sbx_report_opts {
	FILE *out;      /* the report: stdout or -o FILE */
	FILE *diag_out; /* text diagnostics: stderr, or out with -o */
	bool color;     /* text only */
	bool quiet;     /* -q */
	bool werror;    /* --werror: warnings fail (JUnit) */
	bool many;      /* more than one file: print totals */
};

struct sbx_renderer {
	const char *name;
	void *(*begin)(const struct sbx_report_opts *o);
	void (*file)(void *st, const struct sbx_lint_file *f);
	/* writes what is left; returns false on a write error */
	bool (*end)(void *st, const struct sbx_lint_totals *t);
};

/* The renderer of a --format name, or NULL. */
const struct sbx_renderer *sbx_renderer_find(const char *name);
/* "text, json, sarif, junit, github" */
const char *sbx_renderer_names(void);

extern const struct sbx_renderer sbx_render_text, sbx_render_json, sbx_render_sarif,
    sbx_render_junit, sbx_render_github;

/* Diagnostic i of f as the machine-readable reports show it: with the
** position of its profile when it has none of its own (scratch holds the
** copy). */
const struct sbx_diag *sbx_lint_diag(const struct sbx_lint_file *f, size_t i,
                                     struct sbx_diag *scratch);

/* The file name a diagnostic of f is shown with when it has no span. */
const char *sbx_lint_display_name(const struct sbx_lint_file *f);

#endif
