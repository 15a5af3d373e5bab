/*
** property_resolve.c: the semantic pass against a deliberately simple
** reference evaluator, on random profiles and paths.
**
** The reference below shares no code with compiler/resolve*.c, access.c,
** carveouts.c, views.c or glob.c: it expands entries with plain string
** concatenation, decides a path by brute force over every rule (the max by
** (components, access) among the rules whose path is a component prefix),
** applies protected names, and matches deny globs with its own recursive
** matcher. Profiles are built directly as struct sbx_profile values (no
** parser). Both flavours are covered: POSIX, and Windows with drive roots,
** UNC roots and random letter case, non-ASCII letters included (compared
** here through the C library's towupper() in a UTF-8 locale, not sbxc's
** table). Globs match by character, not byte. Probing is off, so the
** filesystem facts are the documented assumptions (/tmp is a directory,
** metadata missing).
**
** Usage: property_resolve [PROFILES [QUERIES_PER_PROFILE]]; the seed comes
** from SBXC_PROPERTY_SEED (default fixed) and is printed. Exit 1 on the
** first disagreement, with the profile and the path.
*/
#include "sema_fixture.h"

#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#define MAXP 512
#define MAXC 32
#define MAXRULES 256

/* ---- random numbers (xorshift64*) ---- */

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ull) >> 33) % n;
}

static bool coin(int percent)
{
	return rnd(100) < (uint32_t)percent;
}

/* ---- the reference: paths as plain strings ---- */

struct world {
	bool win;
	char sep;
	char cwd[MAXP], home[MAXP], tmpdir[MAXP];
	bool has_tmpdir;
	char roots[8][MAXP]; /* workspace roots, cwd first, deduped */
	int nroots;
};

/* Text as characters (the locale is C.UTF-8), for case folding and globs. */
#define MAXW 128
static void wide(const char *s, wchar_t *out)
{
	size_t n = mbstowcs(out, s, MAXW - 1);
	if (n == (size_t)-1) {
		fprintf(stderr, "property_resolve: cannot decode %s\n", s);
		exit(2);
	}
	out[n] = 0;
}

/* Windows names compare upper-cased (NTFS); the fold keeps ASCII lower so
** that class ranges like [a-c] mean the same as in sbxc. */
static wint_t fold(const struct world *w, wint_t c)
{
	if (!w->win)
		return c;
	c = towupper(c);
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool str_eq(const struct world *w, const char *a, const char *b)
{
	if (!w->win)
		return strcmp(a, b) == 0;
	wchar_t x[MAXW], y[MAXW];
	wide(a, x);
	wide(b, y);
	size_t i = 0;
	for (; x[i] && y[i]; i++)
		if (fold(w, (wint_t)x[i]) != fold(w, (wint_t)y[i]))
			return false;
	return x[i] == y[i];
}

static size_t root_len(const struct world *w, const char *p)
{
	if (!w->win)
		return 1;
	if (p[0] == '\\')
		return strlen("\\\\srv\\share") <= strlen(p) ? strlen("\\\\srv\\share") : strlen(p);
	return 3;
}

struct comps {
	char c[MAXC][64];
	int n; /* c[0] is the root */
};

static void split(const struct world *w, const char *p, struct comps *out)
{
	size_t rl = root_len(w, p);
	memcpy(out->c[0], p, rl);
	out->c[0][rl] = 0;
	out->n = 1;
	const char *s = p + rl;
	while (*s) {
		while (*s == w->sep)
			s++;
		if (!*s)
			break;
		size_t k = 0;
		while (s[k] && s[k] != w->sep)
			k++;
		memcpy(out->c[out->n], s, k);
		out->c[out->n][k] = 0;
		out->n++;
		s += k;
	}
}

static bool is_prefix(const struct world *w, const char *a, const char *b)
{
	struct comps x, y;
	split(w, a, &x);
	split(w, b, &y);
	if (x.n > y.n)
		return false;
	for (int i = 0; i < x.n; i++)
		if (!str_eq(w, x.c[i], y.c[i]))
			return false;
	return true;
}

static int depth(const struct world *w, const char *p)
{
	struct comps x;
	split(w, p, &x);
	return x.n - 1;
}

/* A bounded copy into a MAXP buffer. */
static void copy(char *dst, const char *src)
{
	size_t n = strlen(src);
	if (n >= MAXP)
		n = MAXP - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* base + rel, rel '/'-separated */
static void join(const struct world *w, char *out, const char *base, const char *rel)
{
	size_t n = strlen(base);
	memcpy(out, base, n + 1);
	if (!rel || !*rel)
		return;
	if (out[n - 1] != w->sep)
		out[n++] = w->sep;
	for (const char *r = rel; *r; r++)
		out[n++] = *r == '/' ? w->sep : *r;
	out[n] = 0;
}

/* ---- the reference glob matcher (recursive, by components) ---- */

static bool wmatch(const struct world *w, const wchar_t *p, const wchar_t *s)
{
	if (!*p)
		return !*s;
	if (*p == '*')
		return wmatch(w, p + 1, s) || (*s && wmatch(w, p, s + 1));
	if (!*s)
		return false;
	if (*p == '?')
		return wmatch(w, p + 1, s + 1);
	if (*p == '[') {
		const wchar_t *q = p + 1;
		bool neg = *q == '!' || *q == '^';
		if (neg)
			q++;
		const wchar_t *end = q + (*q == ']');
		while (*end && *end != ']')
			end++;
		if (*end == ']') {
			bool in = false;
			wint_t c = fold(w, (wint_t)*s);
			for (const wchar_t *m = q; m < end; m++) {
				wint_t lo = (wint_t)*m, hi = (wint_t)*m;
				if (m + 2 < end && m[1] == '-')
					hi = (wint_t)m[2], m += 2;
				in |= c >= fold(w, lo) && c <= fold(w, hi);
			}
			return in != neg && wmatch(w, end + 1, s + 1);
		}
	}
	return fold(w, (wint_t)*p) == fold(w, (wint_t)*s) && wmatch(w, p + 1, s + 1);
}

static bool cmatch(const struct world *w, const char *p, const char *s)
{
	wchar_t wp[MAXW], ws[MAXW];
	wide(p, wp);
	wide(s, ws);
	return wmatch(w, wp, ws);
}

static bool gmatch(const struct world *w, const struct comps *pc, int i, const struct comps *sc,
                   int j, int ns)
{
	if (i == pc->n)
		return j == ns;
	if (strcmp(pc->c[i], "**") == 0) {
		if (i == pc->n - 1)
			return ns - j >= 1;
		for (int k = j; k <= ns; k++)
			if (gmatch(w, pc, i + 1, sc, k, ns))
				return true;
		return false;
	}
	if (j == ns)
		return false;
	return cmatch(w, pc->c[i], sc->c[j]) && gmatch(w, pc, i + 1, sc, j + 1, ns);
}

static bool glob_denies(const struct world *w, const char *pattern, const char *path)
{
	struct comps pc, sc;
	split(w, pattern, &pc);
	split(w, path, &sc);
	if (!str_eq(w, pc.c[0], sc.c[0]))
		return false;
	for (int ns = 1; ns <= sc.n; ns++)
		if (gmatch(w, &pc, 1, &sc, 1, ns))
			return true;
	return false;
}

/* ---- the reference policy ---- */

struct rrule {
	char path[MAXP];
	enum sbx_access access;
	int entry;
};

struct refpol {
	const struct world *w;
	struct rrule rules[MAXRULES];
	int nrules;
	struct rrule globs[MAXRULES];
	int nglobs;
	bool minimal, any_deny;
	bool full_read, full_write, platform;
	/* accepted writable roots */
	char wroots[MAXRULES][MAXP];
	int nwroots;
};

static const char *const linux_platform[] = {
    "/bin", "/etc", "/lib", "/lib64", "/nix/store", "/run/current-system/sw", "/sbin", "/usr"};
static const char *const windows_platform[] = {"C:\\Program Files", "C:\\Program Files (x86)",
                                               "C:\\ProgramData", "C:\\Windows"};
static const char *const names[3] = {".git", ".agents", ".codex"};

static void add_rule(struct refpol *R, const char *path, enum sbx_access a, int entry)
{
	if (R->nrules >= MAXRULES)
		return;
	struct rrule *r = &R->rules[R->nrules++];
	copy(r->path, path);
	r->access = a;
	r->entry = entry;
	R->any_deny |= a == SBX_ACCESS_DENY;
}

static void add_glob(struct refpol *R, const char *pattern, int entry)
{
	struct rrule *g = &R->globs[R->nglobs++];
	copy(g->path, pattern);
	g->access = SBX_ACCESS_DENY;
	g->entry = entry;
	R->any_deny = true;
}

static void fs_root(const struct world *w, char *out)
{
	size_t rl = root_len(w, w->cwd);
	memcpy(out, w->cwd, rl);
	out[rl] = 0;
}

static void expand(struct refpol *R, const struct sbx_profile *p)
{
	const struct world *w = R->w;
	char buf[MAXP];
	for (int i = 0; i < (int)p->nentries; i++) {
		const struct sbx_fs_entry *e = &p->entries[i];
		if (e->kind == SBX_ENTRY_GLOB) {
			if (e->anchor == SBX_ANCHOR_WORKSPACE) {
				for (int k = 0; k < w->nroots; k++) {
					join(w, buf, w->roots[k], e->path);
					add_glob(R, buf, i);
				}
			} else {
				add_glob(R, e->path, i);
			}
			continue;
		}
		if (e->kind == SBX_ENTRY_PATH) {
			if (e->anchor == SBX_ANCHOR_HOME)
				join(w, buf, w->home, e->path);
			else
				copy(buf, e->path);
			add_rule(R, buf, e->access, i);
			continue;
		}
		switch (e->special) {
		case SBX_SPECIAL_ROOT:
			fs_root(w, buf);
			add_rule(R, buf, e->access, i);
			break;
		case SBX_SPECIAL_MINIMAL:
			if (e->access == SBX_ACCESS_DENY)
				R->any_deny = true;
			else
				R->minimal = true;
			break;
		case SBX_SPECIAL_WORKSPACE_ROOTS:
			for (int k = 0; k < w->nroots; k++) {
				join(w, buf, w->roots[k], e->subpath);
				add_rule(R, buf, e->access, i);
			}
			break;
		case SBX_SPECIAL_TMPDIR:
			if (w->has_tmpdir)
				add_rule(R, w->tmpdir, e->access, i);
			break;
		case SBX_SPECIAL_SLASH_TMP:
			if (!w->win) /* offline: /tmp is assumed to be a directory */
				add_rule(R, "/tmp", e->access, i);
			break;
		default:
			break; /* unknown tokens bind nothing */
		}
	}
}

/* The max access of the rules on exactly this path, 0 if none. */
static int max_at(const struct refpol *R, const char *path)
{
	int m = 0;
	for (int i = 0; i < R->nrules; i++)
		if (str_eq(R->w, R->rules[i].path, path) && (int)R->rules[i].access > m)
			m = (int)R->rules[i].access;
	return m;
}

static bool glob_denied(const struct refpol *R, const char *path)
{
	for (int i = 0; i < R->nglobs; i++)
		if (glob_denies(R->w, R->globs[i].path, path))
			return true;
	return false;
}

static bool name_protected(const struct refpol *R, const char *root, const char *name)
{
	char p[MAXP];
	join(R->w, p, root, name);
	return max_at(R, p) != SBX_ACCESS_WRITE;
}

/* Is the accepted root number i the explicit write of a protected name of
** the accepted root right above it? Then it has no names of its own. */
static bool lifts(const struct refpol *R, int i)
{
	const struct world *w = R->w;
	struct comps c;
	split(w, R->wroots[i], &c);
	if (c.n < 2)
		return false;
	bool is_name = false;
	for (int k = 0; k < 3; k++)
		is_name |= str_eq(w, c.c[c.n - 1], names[k]);
	if (!is_name)
		return false;
	for (int j = 0; j < R->nwroots; j++) {
		char p[MAXP];
		join(w, p, R->wroots[j], c.c[c.n - 1]);
		if (j != i && str_eq(w, p, R->wroots[i]))
			return true;
	}
	return false;
}

/* Is path below a protected name of an accepted writable root? */
static bool under_protected(const struct refpol *R, const char *path, bool strictly_below_root)
{
	char p[MAXP];
	for (int i = 0; i < R->nwroots; i++)
		for (int k = 0; k < 3 && !lifts(R, i); k++) {
			join(R->w, p, R->wroots[i], names[k]);
			if (is_prefix(R->w, p, path) && name_protected(R, R->wroots[i], names[k]) &&
			    (!strictly_below_root || !str_eq(R->w, R->wroots[i], path)))
				return true;
		}
	return false;
}

static void flags(struct refpol *R)
{
	char root[MAXP];
	fs_root(R->w, root);
	int ra = max_at(R, root);
	R->full_read = (ra == SBX_ACCESS_READ || ra == SBX_ACCESS_WRITE) && !R->any_deny;
	bool narrowed = R->nglobs > 0;
	for (int i = 0; i < R->nrules; i++)
		narrowed |= max_at(R, R->rules[i].path) != SBX_ACCESS_WRITE;
	R->full_write = ra == SBX_ACCESS_WRITE && !narrowed;
	R->platform = !R->full_read && R->minimal;
}

static void writable_roots(struct refpol *R)
{
	if (R->full_write)
		return;
	for (int d = 0; d < MAXC; d++)
		for (int i = 0; i < R->nrules; i++) {
			const char *p = R->rules[i].path;
			if (depth(R->w, p) != d || max_at(R, p) != SBX_ACCESS_WRITE ||
			    glob_denied(R, p))
				continue;
			bool seen = false;
			for (int k = 0; k < R->nwroots; k++)
				seen |= str_eq(R->w, R->wroots[k], p);
			if (seen || under_protected(R, p, true))
				continue;
			copy(R->wroots[R->nwroots++], p);
		}
}

static enum sbx_access ref_access(const struct refpol *R, const char *q, int *decider,
                                  bool *platform)
{
	*decider = -1;
	*platform = false;
	for (int i = 0; i < R->nglobs; i++)
		if (glob_denies(R->w, R->globs[i].path, q)) {
			*decider = R->globs[i].entry;
			return SBX_ACCESS_DENY;
		}
	const struct rrule *best = NULL;
	int bestd = -1;
	for (int i = 0; i < R->nrules; i++) {
		const struct rrule *r = &R->rules[i];
		if (!is_prefix(R->w, r->path, q))
			continue;
		int d = depth(R->w, r->path);
		if (!best || d > bestd || (d == bestd && r->access > best->access))
			best = r, bestd = d;
	}
	if (R->platform) {
		const char *const *pl = R->w->win ? windows_platform : linux_platform;
		int n = R->w->win ? 4 : 8, pd = -1;
		for (int i = 0; i < n; i++)
			if (is_prefix(R->w, pl[i], q) && depth(R->w, pl[i]) > pd)
				pd = depth(R->w, pl[i]);
		if (pd >= 0 && (!best || (pd > bestd && best->access != SBX_ACCESS_WRITE))) {
			*platform = true;
			return SBX_ACCESS_READ;
		}
	}
	/* full-disk read is the whole machine: another drive or share too */
	if (!best)
		return R->full_read ? SBX_ACCESS_READ : SBX_ACCESS_DENY;
	*decider = best->entry;
	if (best->access == SBX_ACCESS_WRITE && under_protected(R, q, false))
		return SBX_ACCESS_READ;
	return best->access;
}

/* ---- random profiles ---- */

/* Letters beyond ASCII in pairs that one case folding joins (Ä/ä, Д/д,
** ı/I) and that it keeps apart (ß/ẞ has no simple upper-case mapping). */
static const char *const comps_posix[] = {"a",     "b",   "c",   ".git", ".agents", ".codex",
                                          "x.env", "usr", "tmp", "ab",   "\u00e4b", "\u00c4b"};
static const char *const comps_win[] = {
    "a", "B",       "c",       ".git",   ".AGENTS", ".codex",  "x.env", "Windows", "Ab",
    "A", "\u00c4b", "\u00e4B", "\u0414", "\u0434",  "\u0131x", "IX",    "\u00df",  "\u1e9e"};

static const char *comp(const struct world *w)
{
	return w->win ? comps_win[rnd(sizeof comps_win / sizeof *comps_win)]
	              : comps_posix[rnd(sizeof comps_posix / sizeof *comps_posix)];
}

static const char *pick_root(const struct world *w)
{
	static const char *const win_roots[] = {"C:\\", "C:\\", "D:\\", "\\\\srv\\share"};
	return w->win ? win_roots[rnd(4)] : "/";
}

/* A random relative path of 0..max components, '/'-separated. */
static void rel_path(const struct world *w, char *out, int max)
{
	int n = (int)rnd((uint32_t)max + 1);
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		const char *c = comp(w);
		if (i)
			out[len++] = '/';
		memcpy(out + len, c, strlen(c));
		len += strlen(c);
	}
	out[len] = 0;
}

static void abs_path(const struct world *w, char *out, const char *root, int max)
{
	char rel[MAXP];
	rel_path(w, rel, max);
	join(w, out, root, rel);
}

/* Flips the case of letters at random (Windows paths compare folded). */
static void shuffle_case(const struct world *w, char *s)
{
	if (!w->win)
		return;
	for (; *s; s++)
		if (((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) && coin(30))
			*s ^= 0x20;
}

static void add_ws_root(struct world *w, const char *p)
{
	for (int i = 0; i < w->nroots; i++)
		if (str_eq(w, w->roots[i], p))
			return;
	copy(w->roots[w->nroots++], p);
}

static char *dup(struct sbx_ctx *ctx, const char *s)
{
	return sbx_arena_strdup(&ctx->arena, s);
}

static const char *const glob_pats[] = {
    "**/*.env", "*.env",           "a/**",       "**/b",        "[ab]",      "[!a]*",
    "a/*/c",    "**/.git/**",      "?b",         "[a-c]/x*",    "[!.]*.env", "**/[^x]?",
    "**/?B",    "[\u00e4\u0434]*", "\u00c4*/**", "**/[!\u00df]"};

static void random_entry(struct pb *b, struct world *w)
{
	struct sbx_ctx *ctx = b->ctx;
	char buf[MAXP], rel[MAXP];
	enum sbx_access a = (enum sbx_access)(1 + rnd(3));
	switch (rnd(11)) {
	case 0:
	case 1:
	case 2: { /* absolute path, often near the cwd */
		abs_path(w, buf, coin(60) ? w->cwd : pick_root(w), 3);
		struct sbx_fs_entry *e = pb_add(b);
		e->kind = SBX_ENTRY_PATH;
		e->anchor = w->win ? SBX_ANCHOR_WINDOWS : SBX_ANCHOR_POSIX;
		shuffle_case(w, buf);
		e->path = dup(ctx, buf);
		e->access = a;
		break;
	}
	case 3: { /* ~/... */
		rel_path(w, rel, 2);
		struct sbx_fs_entry *e = pb_add(b);
		e->kind = SBX_ENTRY_PATH;
		e->anchor = SBX_ANCHOR_HOME;
		e->path = dup(ctx, rel);
		e->access = a;
		break;
	}
	case 4:
		pb_special(b, SBX_SPECIAL_ROOT, NULL, coin(70) ? SBX_ACCESS_READ : a);
		break;
	case 5:
		pb_special(b, SBX_SPECIAL_MINIMAL, NULL, a);
		break;
	case 6:
	case 7:
		rel_path(w, rel, 2);
		pb_special(b, SBX_SPECIAL_WORKSPACE_ROOTS, rel[0] ? dup(ctx, rel) : NULL, a);
		break;
	case 8:
		pb_special(b, coin(50) ? SBX_SPECIAL_TMPDIR : SBX_SPECIAL_SLASH_TMP, NULL, a);
		break;
	case 9:
		rel_path(w, rel, 1);
		pb_special(b, SBX_SPECIAL_UNKNOWN, rel[0] ? dup(ctx, rel) : NULL, a);
		break;
	default: { /* a deny glob, workspace-relative or absolute */
		const char *pat = glob_pats[rnd(sizeof glob_pats / sizeof *glob_pats)];
		if (coin(60)) {
			pb_glob(b, pat, true);
		} else {
			join(w, buf, coin(50) ? w->cwd : pick_root(w), pat);
			struct sbx_fs_entry *e = pb_glob(b, dup(ctx, buf), false);
			e->anchor = w->win ? SBX_ANCHOR_WINDOWS : SBX_ANCHOR_POSIX;
		}
		break;
	}
	}
}

static void random_world(struct world *w, struct pb *b)
{
	memset(w, 0, sizeof *w);
	w->win = coin(35);
	w->sep = w->win ? '\\' : '/';
	const char *root = w->win ? (coin(80) ? "C:\\" : "\\\\srv\\share") : "/";
	char rel[MAXP];
	do
		rel_path(w, rel, 2);
	while (!rel[0]);
	join(w, w->cwd, root, rel);
	join(w, w->home, root, "h");
	w->has_tmpdir = coin(70);
	if (w->has_tmpdir)
		abs_path(w, w->tmpdir, root, 2);
	add_ws_root(w, w->cwd);
	int nextra = (int)rnd(3);
	for (int i = 0; i < nextra; i++) {
		char p[MAXP];
		if (coin(50)) {
			rel_path(w, rel, 1);
			if (!rel[0])
				continue;
			pb_workspace_root(b, SBX_ANCHOR_CWD, dup(b->ctx, rel));
			join(w, p, w->cwd, rel);
		} else {
			abs_path(w, p, pick_root(w), 2);
			pb_workspace_root(b, w->win ? SBX_ANCHOR_WINDOWS : SBX_ANCHOR_POSIX,
			                  dup(b->ctx, p));
		}
		add_ws_root(w, p);
	}
}

static void random_query(const struct world *w, const struct refpol *R, char *out)
{
	char rel[MAXP];
	int how = (int)rnd(10);
	if (how < 5 && R->nrules) {
		rel_path(w, rel, 2);
		join(w, out, R->rules[rnd((uint32_t)R->nrules)].path, rel);
	} else if (how < 6 && R->platform) {
		const char *base = w->win ? "C:\\Windows" : "/usr";
		rel_path(w, rel, 2);
		join(w, out, base, rel);
	} else if (how < 8) {
		abs_path(w, out, w->roots[rnd((uint32_t)w->nroots)], 4);
	} else {
		abs_path(w, out, pick_root(w), 5);
	}
	shuffle_case(w, out);
}

/* ---- comparing ---- */

static int failures;

static void dump_profile(const struct world *w, const struct sbx_profile *p)
{
	fprintf(stderr, "  flavour %s, cwd %s, home %s, tmpdir %s\n", w->win ? "windows" : "posix",
	        w->cwd, w->home, w->has_tmpdir ? w->tmpdir : "(none)");
	for (int i = 0; i < w->nroots; i++)
		fprintf(stderr, "  workspace root %s\n", w->roots[i]);
	for (size_t i = 0; i < p->nentries; i++) {
		const struct sbx_fs_entry *e = &p->entries[i];
		fprintf(stderr, "  entry %zu: kind %d anchor %d %s%s%s = %d\n", i, e->kind,
		        e->anchor, e->kind == SBX_ENTRY_SPECIAL ? e->token : e->path,
		        e->subpath ? " / " : "", e->subpath ? e->subpath : "", e->access);
	}
}

static bool fail(const struct world *w, const struct sbx_profile *p, const char *what)
{
	fprintf(stderr, "property_resolve: MISMATCH: %s\n", what);
	dump_profile(w, p);
	failures++;
	return false;
}

static bool in_set(const struct world *w, const char *p, const char *const *v, int n)
{
	for (int i = 0; i < n; i++)
		if (str_eq(w, v[i], p))
			return true;
	return false;
}

/* Does the production list equal the reference set (as sets, folded)? */
static bool same_set(const struct world *w, const struct sbx_rpath *prod, size_t np,
                     const char *const *ref, int nr)
{
	const char *uniq[MAXRULES];
	int nu = 0;
	for (int i = 0; i < nr; i++)
		if (!in_set(w, ref[i], uniq, nu))
			uniq[nu++] = ref[i];
	if ((int)np != nu)
		return false;
	for (size_t i = 0; i < np; i++)
		if (!in_set(w, prod[i].path, uniq, nu))
			return false;
	return true;
}

static bool check_views(const struct world *w, const struct sbx_profile *p, const struct refpol *R,
                        const struct sbx_resolved *r)
{
	char msg[1024];
	if (r->full_read != R->full_read || r->full_write != R->full_write ||
	    r->include_platform_defaults != R->platform) {
		snprintf(msg, sizeof msg, "flags: full_read %d/%d full_write %d/%d platform %d/%d",
		         r->full_read, R->full_read, r->full_write, R->full_write,
		         r->include_platform_defaults, R->platform);
		return fail(w, p, msg);
	}
	const char *set[MAXRULES];
	int n = 0;
	if (!R->full_read)
		for (int i = 0; i < R->nrules; i++)
			if (max_at(R, R->rules[i].path) != SBX_ACCESS_DENY &&
			    !glob_denied(R, R->rules[i].path))
				set[n++] = R->rules[i].path;
	if (!same_set(w, r->readable_roots, r->nreadable_roots, set, n))
		return fail(w, p, "readable roots differ");
	n = 0;
	for (int i = 0; i < R->nrules; i++)
		if (max_at(R, R->rules[i].path) == SBX_ACCESS_DENY &&
		    depth(w, R->rules[i].path) > 0)
			set[n++] = R->rules[i].path;
	if (!same_set(w, r->unreadable_roots, r->nunreadable_roots, set, n))
		return fail(w, p, "unreadable roots differ");
	if ((int)r->nwritable_roots != R->nwroots)
		return fail(w, p, "writable root count differs");
	for (int k = 0; k < R->nwroots; k++) {
		const struct sbx_writable_root *pw = NULL;
		for (size_t i = 0; i < r->nwritable_roots; i++)
			if (str_eq(w, r->writable_roots[i].root.path, R->wroots[k]))
				pw = &r->writable_roots[i];
		if (!pw)
			return fail(w, p, "writable root missing");
		char codex[MAXP];
		join(w, codex, R->wroots[k], ".codex");
		n = 0;
		bool lift = lifts(R, k);
		if (str_eq(w, R->wroots[k], w->cwd) && max_at(R, codex) == 0 && !lift)
			set[n++] = codex;
		for (int i = 0; i < R->nrules; i++) {
			const char *q = R->rules[i].path;
			if (is_prefix(w, R->wroots[k], q) && !str_eq(w, R->wroots[k], q) &&
			    max_at(R, q) != SBX_ACCESS_WRITE)
				set[n++] = q;
		}
		if (!same_set(w, pw->read_only, pw->nread_only, set, n))
			return fail(w, p, "read-only subpaths differ");
		size_t np = 0;
		for (int j = 0; j < 3 && !lift; j++)
			if (name_protected(R, R->wroots[k], names[j])) {
				if (np >= pw->nprotected ||
				    strcmp(pw->protected_names[np], names[j]) != 0)
					return fail(w, p, "protected names differ");
				np++;
			}
		if (np != pw->nprotected)
			return fail(w, p, "protected name count differs");
	}
	return true;
}

static bool check_query(const struct world *w, const struct sbx_profile *p, const struct refpol *R,
                        const struct sbx_resolved *r, const char *q)
{
	int decider;
	bool platform;
	enum sbx_access want = ref_access(R, q, &decider, &platform);
	struct sbx_decision why;
	enum sbx_access got = sbx_resolved_access(r, q, &why);
	char msg[1024];
	if (got != want) {
		snprintf(msg, sizeof msg, "access of %s: sbxc %d, reference %d", q, got, want);
		return fail(w, p, msg);
	}
	if (platform != (why.origin == SBX_ORIGIN_PLATFORM)) {
		snprintf(msg, sizeof msg, "platform origin of %s", q);
		return fail(w, p, msg);
	}
	if (why.origin == SBX_ORIGIN_ENTRY && why.src != &p->entries[decider]) {
		snprintf(msg, sizeof msg, "deciding entry of %s: sbxc %td, reference %d", q,
		         why.src - p->entries, decider);
		return fail(w, p, msg);
	}
	if (why.origin == SBX_ORIGIN_NO_MATCH && decider != -1) {
		snprintf(msg, sizeof msg, "%s: sbxc found no rule, the reference did", q);
		return fail(w, p, msg);
	}
	return true;
}

int main(int argc, char **argv)
{
	long nprofiles = argc > 1 ? atol(argv[1]) : 10000;
	long nqueries = argc > 2 ? atol(argv[2]) : 12;
	const char *env = getenv("SBXC_PROPERTY_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : 0x5b7c2024u;
	rng = seed ? seed : 1;
	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		fprintf(stderr, "property_resolve: no C.UTF-8 locale for the reference\n");
		return 2;
	}
	printf("property_resolve: seed %#" PRIx64 ", %ld profiles x %ld paths\n", seed, nprofiles,
	       nqueries);
	long checked = 0, windows = 0, decided[4] = {0, 0, 0, 0};
	long by_glob = 0, by_name = 0, by_platform = 0, no_match = 0;
	for (long i = 0; i < nprofiles && failures == 0; i++) {
		struct sbx_ctx *ctx = sbx_ctx_new();
		struct pb b;
		struct world w;
		pb_init(&b, ctx, "prop");
		random_world(&w, &b);
		int nentries = 1 + (int)rnd(8);
		for (int k = 0; k < nentries; k++)
			random_entry(&b, &w);
		struct sbx_resolve_opts o = pb_opts(w.win ? SBX_FLAVOR_WINDOWS : SBX_FLAVOR_POSIX,
		                                    w.cwd, w.home, w.has_tmpdir ? w.tmpdir : NULL);
		struct sbx_resolved *r = sbx_resolve(ctx, b.p, &o);
		if (!r) {
			fail(&w, b.p, "sbx_resolve failed");
			sbx_ctx_free(&ctx);
			break;
		}
		static struct refpol R;
		memset(&R, 0, sizeof R);
		R.w = &w;
		expand(&R, b.p);
		flags(&R);
		writable_roots(&R);
		windows += w.win;
		if (check_views(&w, b.p, &R, r))
			for (long k = 0; k < nqueries; k++) {
				char q[MAXP];
				random_query(&w, &R, q);
				if (!check_query(&w, b.p, &R, r, q))
					break;
				struct sbx_decision why;
				decided[sbx_resolved_access(r, q, &why)]++;
				by_glob += why.src && why.src->kind == SBX_ENTRY_GLOB;
				by_name += why.write_blocked_by_name;
				by_platform += why.origin == SBX_ORIGIN_PLATFORM;
				no_match += why.origin == SBX_ORIGIN_NO_MATCH;
				checked++;
			}
		sbx_ctx_free(&ctx);
	}
	printf("property_resolve: %ld paths checked (%ld Windows profiles): %ld read, %ld write, "
	       "%ld deny; %d mismatches\n",
	       checked, windows, decided[SBX_ACCESS_READ], decided[SBX_ACCESS_WRITE],
	       decided[SBX_ACCESS_DENY], failures);
	printf("property_resolve: decided by a deny glob %ld, a protected name %ld, a platform "
	       "root %ld, no rule %ld\n",
	       by_glob, by_name, by_platform, no_match);
	return failures ? 1 : 0;
}
