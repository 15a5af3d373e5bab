/*
** targets.c: the per-target check of `sbxc lint` (target.h), run on each
** compiled profile after the schema pass. It resolves the profile once per
** target OS and asks the chooser of the target table (table.c) which
** backend would run it, as `compile`, `run` and `exec` do: its refusal when
** no backend of a target can enforce the profile exactly, otherwise a note
** naming the backend, plus notes on what an offline resolution had to
** assume.
*/
#include "strbuf.h"
#include "target.h"

#include <string.h>

static void scan_anchor(enum sbx_anchor a, bool *posix, bool *windows)
{
	*posix |= a == SBX_ANCHOR_POSIX;
	*windows |= a == SBX_ANCHOR_WINDOWS;
}

unsigned sbx_targets_default(const struct sbx_profile *p)
{
	bool posix = false, windows = false;
	for (size_t i = 0; i < p->nentries; i++)
		if (p->entries[i].kind != SBX_ENTRY_SPECIAL)
			scan_anchor(p->entries[i].anchor, &posix, &windows);
	for (size_t i = 0; i < p->nworkspace_roots; i++)
		scan_anchor(p->workspace_roots[i].anchor, &posix, &windows);
	if (!posix && !windows)
		return SBX_TARGETS_ALL;
	return (posix ? SBX_TARGET_BIT(SBX_OS_MACOS) | SBX_TARGET_BIT(SBX_OS_LINUX) : 0) |
	       (windows ? SBX_TARGET_BIT(SBX_OS_WINDOWS) : 0);
}

static const char *Q(struct sbx_ctx *ctx, const char *s)
{
	return sbx_diag_quote(ctx, s, strlen(s));
}

static const char *mask_words(struct sbx_ctx *ctx, unsigned mask)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	size_t n = 0, total = 0;
	for (int os = 0; os < SBX_OS_COUNT; os++)
		total += (mask & SBX_TARGET_BIT(os)) != 0;
	for (int os = 0; os < SBX_OS_COUNT; os++) {
		if (!(mask & SBX_TARGET_BIT(os)))
			continue;
		if (n)
			sbx_sb_adds(&sb, n + 1 == total ? " and " : ", ");
		sbx_sb_adds(&sb, sbx_target_os_name((enum sbx_target_os)os));
		n++;
	}
	const char *s = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return s;
}

static void chosen(struct sbx_ctx *ctx, const struct sbx_profile *p, const struct sbx_resolved *r,
                   const struct sbx_target *t, enum sbx_backend use)
{
	enum sbx_target_os os = t->os;
	if (r->disabled) {
		/* nothing enforces anything: say so, not that a backend will */
		sbx_diag_emit(ctx, SBX_N0601, SBX_NO_SPAN,
		              "profile `%s` on %s: no sandbox, the profile turns it off",
		              Q(ctx, p->name), sbx_target_os_name(os));
		return;
	}
	struct sbx_diag *d =
	    sbx_diag_emit(ctx, SBX_N0601, SBX_NO_SPAN, "profile `%s` on %s: `%s` will enforce it",
	                  Q(ctx, p->name), sbx_target_os_name(os), sbx_backend_name(use));
	const struct sbx_enforcement *e = &r->enforce[use];
	for (size_t i = 0; i < e->nnotes; i++)
		sbx_diag_note(ctx, d, SBX_NO_SPAN, "%s", e->notes[i]);
	if (use == SBX_BACKEND_WINDOWS_ELEVATED || use == SBX_BACKEND_WINDOWS_UNELEVATED)
		sbx_diag_note(ctx, d, SBX_NO_SPAN, "runs as the `%s` sandbox user",
		              sbx_win_identity_name(e->identity));
	/* why a more preferred backend was passed over */
	for (size_t i = 0; i < t->nbackends && t->backends[i].id != use; i++) {
		enum sbx_backend b = t->backends[i].id;
		const struct sbx_enforcement *o = &r->enforce[b];
		for (size_t k = 0; k < o->nreasons && k < 10; k++)
			sbx_diag_note(ctx, d, SBX_NO_SPAN, "[%s] %s",
			              sbx_diag_code_name(o->reasons[k]->code), o->reasons[k]->msg);
		if (o->nreasons + o->nmore > 10)
			sbx_diag_note(ctx, d, SBX_NO_SPAN, "`%s`: %zu more reasons",
			              sbx_backend_name(b), o->nreasons + o->nmore - 10);
	}
}

/* "no `.git` or `.agents` in `/ws`": the missing metadata of one parent. */
static void missing_names_note(struct sbx_ctx *ctx, struct sbx_diag *d,
                               const struct sbx_resolved *r, size_t first, bool *done)
{
	enum sbx_flavor f = r->opts.flavor;
	const char *parent = sbx_path_parent(&ctx->arena, f, r->facts[first].path);
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	const char *names[3];
	size_t n = 0;
	for (size_t i = first; i < r->nfacts && n < 3; i++) {
		const struct sbx_fact *x = &r->facts[i];
		if (done[i] || !x->assumed || x->kind != SBX_FACT_MISSING ||
		    !sbx_protected_name(sbx_path_basename(f, x->path)) ||
		    !sbx_path_eq(f, sbx_path_parent(&ctx->arena, f, x->path), parent))
			continue;
		done[i] = true;
		names[n++] = sbx_path_basename(f, x->path);
	}
	for (size_t k = 0; k < n; k++)
		sbx_sb_addf(&sb, "%s`%s`", k == 0 ? "" : k + 1 == n ? " or " : ", ", names[k]);
	sbx_diag_note(ctx, d, SBX_NO_SPAN, "no %s in `%s`", sb.buf, Q(ctx, parent));
	sbx_sb_release(&sb);
}

/* Assumption notes shown per target; the rest are counted (a profile with
** thousands of writable roots has thousands of them, all in `sbxc ir`). */
#define ASSUMPTION_NOTES 8

static void assumptions(struct sbx_ctx *ctx, const struct sbx_profile *p,
                        const struct sbx_resolved *r, enum sbx_target_os os,
                        const char *placeholders)
{
	size_t nassumed = 0, nsymlink = 0;
	for (size_t i = 0; i < r->nfacts; i++)
		if (r->facts[i].assumed) {
			nassumed++;
			nsymlink += r->facts[i].kind == SBX_FACT_NOT_SYMLINK;
		}
	if (!nassumed && !placeholders)
		return;
	struct sbx_diag *d = sbx_diag_emit(ctx, SBX_N0602, SBX_NO_SPAN,
	                                   "profile `%s` on %s: resolved without reading the "
	                                   "filesystem (not this machine), assuming:",
	                                   Q(ctx, p->name), sbx_target_os_name(os));
	if (placeholders)
		sbx_diag_note(ctx, d, SBX_NO_SPAN, "placeholders: %s", placeholders);
	bool *done = sbx_arena_alloc(&ctx->arena, (r->nfacts + 1) * sizeof *done);
	enum sbx_flavor f = r->opts.flavor;
	size_t shown = 0, more = 0;
	for (size_t i = 0; i < r->nfacts; i++) {
		const struct sbx_fact *x = &r->facts[i];
		if (done[i] || !x->assumed || x->kind == SBX_FACT_NOT_SYMLINK)
			continue;
		if (shown == ASSUMPTION_NOTES) {
			more++;
			continue;
		}
		shown++;
		if (x->kind == SBX_FACT_MISSING &&
		    sbx_protected_name(sbx_path_basename(f, x->path)))
			missing_names_note(ctx, d, r, i, done);
		else if (x->kind == SBX_FACT_DIR)
			sbx_diag_note(ctx, d, SBX_NO_SPAN, "`%s` is a directory (%s)",
			              Q(ctx, x->path), x->reason);
		else
			sbx_diag_note(ctx, d, SBX_NO_SPAN, "`%s` does not exist (%s)",
			              Q(ctx, x->path), x->reason);
	}
	if (more)
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "and %zu more assumed facts; `sbxc ir --target %s` lists them all",
		              more, sbx_target_os_name(os));
	if (nsymlink && os == SBX_OS_LINUX)
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "no symlink inside a writable root on the way to %zu read-only or "
		              "protected paths",
		              nsymlink);
}

/* N0450: the network decision, once per distinct decision with the targets
** it holds for; not shown for a plain "none" (no network settings, no proxy
** variables), the default of every profile. */
static void network_notes(struct sbx_ctx *ctx, const struct sbx_profile *p,
                          struct sbx_resolved *const rs[SBX_OS_COUNT])
{
	const char *text[SBX_OS_COUNT] = {0};
	for (int os = 0; os < SBX_OS_COUNT; os++) {
		const struct sbx_resolved *r = rs[os];
		if (r && (r->net.by != SBX_NET_BY_DISABLED || p->network.ndomains ||
		          p->network.mode_set || r->net.env.configured))
			text[os] = sbx_net_decision_text(ctx, r);
	}
	for (int os = 0; os < SBX_OS_COUNT; os++) {
		if (!text[os])
			continue;
		unsigned same = 0;
		for (int o2 = os; o2 < SBX_OS_COUNT; o2++)
			if (text[o2] && strcmp(text[o2], text[os]) == 0)
				same |= SBX_TARGET_BIT(o2);
		for (int o2 = os + 1; o2 < SBX_OS_COUNT; o2++)
			if (same & SBX_TARGET_BIT(o2))
				text[o2] = NULL;
		sbx_diag_emit(ctx, SBX_N0450, SBX_NO_SPAN, "profile `%s` on %s: network %s",
		              Q(ctx, p->name), mask_words(ctx, same), text[os]);
	}
}

void sbx_targets_announce(struct sbx_ctx *ctx, const struct sbx_profile *p, unsigned mask,
                          bool mask_given)
{
	sbx_diag_emit(ctx, SBX_N0603, SBX_NO_SPAN, "profile `%s`: checked for %s%s",
	              Q(ctx, p->name), mask_words(ctx, mask),
	              mask_given ? "" : " (the targets its paths fit)");
}

struct sbx_resolved *sbx_target_check_one(struct sbx_ctx *ctx, const struct sbx_profile *p,
                                          enum sbx_target_os os, bool mask_given,
                                          const struct sbx_target_input *in, bool *failed)
{
	/* a target is only implied when the profile's paths fit every OS */
	bool implied = !mask_given && sbx_targets_default(p) == SBX_TARGETS_ALL;
	*failed = true;
	struct sbx_resolved *r = sbx_resolve(ctx, p, &in->opts);
	if (!r)
		return NULL;
	const struct sbx_target *t = sbx_target_get(os);
	struct sbx_choice c;
	sbx_choice_from_resolved(&c, t, r);
	c.implied = implied;
	enum sbx_backend use = sbx_target_choose(ctx, &c);
	*failed = use == SBX_BACKEND_COUNT && !implied;
	if (use != SBX_BACKEND_COUNT)
		chosen(ctx, p, r, t, use);
	if (!in->opts.probe)
		assumptions(ctx, p, r, os, in->placeholders);
	return r;
}

void sbx_targets_finish(struct sbx_ctx *ctx, const struct sbx_profile *p,
                        struct sbx_resolved *const rs[SBX_OS_COUNT])
{
	network_notes(ctx, p, rs);
}

size_t sbx_targets_check(struct sbx_ctx *ctx, const struct sbx_profile *p, unsigned mask,
                         bool mask_given, const struct sbx_target_input in[SBX_OS_COUNT])
{
	size_t failed = 0;
	sbx_targets_announce(ctx, p, mask, mask_given);
	struct sbx_resolved *rs[SBX_OS_COUNT] = {0};
	for (int i = 0; i < SBX_OS_COUNT; i++) {
		enum sbx_target_os os = (enum sbx_target_os)i;
		if (!(mask & SBX_TARGET_BIT(os)))
			continue;
		bool bad;
		rs[os] = sbx_target_check_one(ctx, p, os, mask_given, &in[os], &bad);
		failed += bad;
	}
	sbx_targets_finish(ctx, p, rs);
	return failed;
}
