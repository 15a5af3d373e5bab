/*
** test_target.c: the table of targets and the one backend chooser
** (emitters/target.h, table.c), driven with hand-made verdicts and a fake
** host: the preference order, a named backend that cannot enforce the
** policy (E0707 with the reasons), no backend at all (E0640, or W0601 when
** implied), the fallback when the preferred backend cannot run here, and
** the host's own diagnostic when none can.
*/
#include "diag.h"
#include "target.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

struct host {
	bool runs[SBX_BACKEND_COUNT];
	int asked[SBX_BACKEND_COUNT], reported[SBX_BACKEND_COUNT];
};

static bool available(void *arg, struct sbx_ctx *ctx, const struct sbx_choice *c,
                      enum sbx_backend b, bool report)
{
	(void)c;
	struct host *h = arg;
	h->asked[b]++;
	if (!h->runs[b] && report) {
		h->reported[b]++;
		sbx_diag_emit(ctx, SBX_E0701, SBX_NO_SPAN, "host says no to `%s`",
		              sbx_backend_name(b));
	}
	return h->runs[b];
}

static void reasons(void *arg, struct sbx_ctx *ctx, enum sbx_backend b, struct sbx_diag *d)
{
	(void)arg;
	sbx_diag_note(ctx, d, SBX_NO_SPAN, "[E0610] `%s` reason", sbx_backend_name(b));
}

/* The i-th plain note of d (helps skipped), or NULL. */
static const char *note(const struct sbx_diag *d, size_t i)
{
	for (const struct sbx_diag_note *n = d->notes; n; n = n->next)
		if (n->kind == SBX_NOTE_NOTE && i-- == 0)
			return n->msg;
	return NULL;
}

static struct sbx_choice linux_choice(bool landlock, bool bwrap)
{
	struct sbx_choice c;
	memset(&c, 0, sizeof c);
	c.target = sbx_target_get(SBX_OS_LINUX);
	c.forced = SBX_BACKEND_AUTO;
	c.state[SBX_BACKEND_LINUX_LANDLOCK] = (struct sbx_backend_state){landlock, true, 3};
	c.state[SBX_BACKEND_LINUX_BWRAP] = (struct sbx_backend_state){bwrap, true, 0};
	c.reasons = reasons;
	c.profile = "p";
	return c;
}

Test(target, the_table_has_every_os_and_linux_prefers_landlock)
{
	for (int os = 0; os < SBX_OS_COUNT; os++) {
		const struct sbx_target *t = sbx_target_get((enum sbx_target_os)os);
		cr_assert_not_null(t);
		cr_assert_eq(t->os, (enum sbx_target_os)os);
		cr_assert_eq(sbx_target_lookup(t->name), t);
		for (size_t i = 0; i < t->nbackends; i++)
			cr_assert_eq(sbx_backend_os(t->backends[i].id), t->os);
	}
	const struct sbx_target *l = sbx_target_lookup("linux");
	cr_assert_eq(l->backends[0].id, SBX_BACKEND_LINUX_LANDLOCK);
	cr_assert_eq(l->backends[1].id, SBX_BACKEND_LINUX_BWRAP);
	cr_assert_str_eq(l->files[0].name, SBX_ART_MANIFEST);
	cr_assert_null(sbx_target_lookup("plan9"));
	cr_assert_not_null(sbx_target_get(SBX_OS_MACOS)->manifest);
	cr_assert_not_null(sbx_target_get(SBX_OS_WINDOWS)->manifest);
	enum sbx_backend b;
	cr_assert(sbx_target_parse_backend(l, "bwrap", &b));
	cr_assert_eq(b, SBX_BACKEND_LINUX_BWRAP);
	cr_assert(sbx_target_parse_backend(l, "auto", &b));
	cr_assert_eq(b, SBX_BACKEND_AUTO);
	cr_assert_not(sbx_target_parse_backend(l, "seatbelt", &b));
}

Test(target, auto_takes_the_first_backend_that_enforces)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	struct sbx_choice c = linux_choice(true, true);
	cr_assert_eq(sbx_target_choose(ctx, &c), SBX_BACKEND_LINUX_LANDLOCK);
	c = linux_choice(false, true);
	cr_assert_eq(sbx_target_choose(ctx, &c), SBX_BACKEND_LINUX_BWRAP);
	cr_assert_eq(sbx_target_preferred(&c), SBX_BACKEND_LINUX_BWRAP);
	cr_assert_eq(ctx->ndiags, 0);
	sbx_ctx_free(&ctx);
}

Test(target, no_backend_is_E0640_with_every_reason)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	struct sbx_choice c = linux_choice(false, false);
	cr_assert_eq(sbx_target_choose(ctx, &c), SBX_BACKEND_COUNT);
	cr_assert_eq(ctx->ndiags, 1);
	const struct sbx_diag *d = ctx->diags[0];
	cr_assert_eq(d->code, SBX_E0640);
	cr_assert_str_eq(d->msg, "no linux backend can enforce profile `p` exactly");
	/* bwrap's, then landlock's: enum order, as `sbxc ir` lists verdicts */
	cr_assert_str_eq(note(d, 0), "[E0610] `linux-bwrap` reason");
	cr_assert_str_eq(note(d, 1), "[E0610] `linux-landlock` reason");
	cr_assert_null(note(d, 2));
	c.implied = true;
	cr_assert_eq(sbx_target_choose(ctx, &c), SBX_BACKEND_COUNT);
	cr_assert_eq(ctx->diags[1]->code, SBX_W0601);
	sbx_ctx_free(&ctx);
}

Test(target, a_named_backend_that_cannot_enforce_is_E0707)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	struct host h = {.runs = {[SBX_BACKEND_LINUX_LANDLOCK] = true}};
	struct sbx_host host = {available, &h};
	struct sbx_choice c = linux_choice(false, true);
	c.forced = SBX_BACKEND_LINUX_LANDLOCK;
	c.host = &host;
	cr_assert_eq(sbx_target_choose(ctx, &c), SBX_BACKEND_COUNT);
	cr_assert_eq(ctx->diags[0]->code, SBX_E0707);
	cr_assert_str_eq(ctx->diags[0]->msg,
	                 "the `landlock` backend cannot enforce this profile exactly");
	cr_assert_str_eq(note(ctx->diags[0], 0), "[E0610] `linux-landlock` reason");
	cr_assert_eq(h.asked[SBX_BACKEND_LINUX_LANDLOCK], 0); /* never asked to run */
	sbx_ctx_free(&ctx);
}

Test(target, the_host_decides_between_backends_that_enforce)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	/* Landlock is preferred but cannot run here: bubblewrap, silently */
	struct host h = {.runs = {[SBX_BACKEND_LINUX_BWRAP] = true}};
	struct sbx_host host = {available, &h};
	struct sbx_choice c = linux_choice(true, true);
	c.host = &host;
	cr_assert_eq(sbx_target_choose(ctx, &c), SBX_BACKEND_LINUX_BWRAP);
	cr_assert_eq(ctx->ndiags, 0);
	/* neither runs: the host says why the fallback (the last) cannot */
	h.runs[SBX_BACKEND_LINUX_BWRAP] = false;
	cr_assert_eq(sbx_target_choose(ctx, &c), SBX_BACKEND_COUNT);
	cr_assert_eq(ctx->ndiags, 1);
	cr_assert_str_eq(ctx->diags[0]->msg, "host says no to `linux-bwrap`");
	cr_assert_eq(h.reported[SBX_BACKEND_LINUX_LANDLOCK], 0);
	/* without a host (lint, compile) every backend is assumed to run */
	c.host = NULL;
	cr_assert_eq(sbx_target_choose(ctx, &c), SBX_BACKEND_LINUX_LANDLOCK);
	sbx_ctx_free(&ctx);
}

/* The semantic pass's reasons reach E0640 and E0707 whole: each reason with
** its span and code, then its own notes (secondary spans kept) and help
** lines, tagged with its code; a hint two backends share is said once. */
Test(target, reasons_keep_their_notes_and_help)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	struct sbx_resolved *r = calloc(1, sizeof *r);
	cr_assert_not_null(r);
	struct sbx_span at = {1, 4, 9}, other = {1, 20, 25};
	struct sbx_diag *why[SBX_BACKEND_COUNT] = {0};
	const enum sbx_backend linux_b[] = {SBX_BACKEND_LINUX_LANDLOCK, SBX_BACKEND_LINUX_BWRAP};
	for (size_t i = 0; i < 2; i++) {
		enum sbx_backend b = linux_b[i];
		why[b] = sbx_diag_make(ctx, SBX_E0713, at, "`%s` cannot mask `/**/*.pem`",
		                       sbx_backend_name(b));
		sbx_diag_note(ctx, why[b], other, "allowed here");
		sbx_diag_help(ctx, why[b], "anchor the pattern below a directory");
		r->enforce[b].reasons = &why[b];
		r->enforce[b].nreasons = 1;
	}
	struct sbx_choice c;
	sbx_choice_from_resolved(&c, sbx_target_get(SBX_OS_LINUX), r);
	cr_assert_eq(sbx_target_choose(ctx, &c), SBX_BACKEND_COUNT);
	cr_assert_eq(ctx->ndiags, 1);
	const struct sbx_diag_note *n = ctx->diags[0]->notes;
	const char *want[] = {
	    "N [E0713] `linux-bwrap` cannot mask `/**/*.pem`",
	    "N [E0713] allowed here",
	    "H [E0713] anchor the pattern below a directory",
	    "N [E0713] `linux-landlock` cannot mask `/**/*.pem`",
	    "H the command would not run: sbxc never falls back to a weaker sandbox",
	};
	struct sbx_span spans[] = {at, other, SBX_NO_SPAN, at, SBX_NO_SPAN};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++, n = n->next) {
		cr_assert_not_null(n, "note %zu missing", i);
		cr_assert_eq(n->kind == SBX_NOTE_HELP ? 'H' : 'N', want[i][0], "note %zu: %s", i,
		             n->msg);
		cr_assert_str_eq(n->msg, want[i] + 2);
		cr_assert(n->span.file == spans[i].file && n->span.start == spans[i].start &&
		          n->span.end == spans[i].end);
	}
	cr_assert_null(n);
	/* a named backend: its reason, notes and help, then E0707's own help */
	c.forced = SBX_BACKEND_LINUX_LANDLOCK;
	cr_assert_eq(sbx_target_choose(ctx, &c), SBX_BACKEND_COUNT);
	n = ctx->diags[1]->notes;
	cr_assert_str_eq(n->msg, "[E0713] `linux-landlock` cannot mask `/**/*.pem`");
	cr_assert_str_eq(n->next->msg, "[E0713] allowed here");
	cr_assert_eq(n->next->next->kind, SBX_NOTE_HELP);
	cr_assert_str_eq(n->next->next->msg, "[E0713] anchor the pattern below a directory");
	cr_assert_str_eq(n->next->next->next->msg,
	                 "leave out `--linux-backend` to let sbxc pick a backend that can");
	free(r);
	sbx_ctx_free(&ctx);
}
