/*
** glob.c: git-style glob matching for the deny-read globs of the semantic
** pass (see pathglob.h for the syntax).
**
** Matching runs in two levels. Inside one component, `*`, `?` and classes are
** matched with the usual single-backtrack-point algorithm (linear in
** practice, never exponential). Across components, a row-by-row reachability
** table handles `**`: row i says which path prefixes the first i pattern
** components can match, so the cost is O(pattern components x path
** components). Nothing here allocates from an arena or touches the
** filesystem.
*/
#include "pathglob.h"
#include "arena.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The next character of s[*i..n) as a code point, and advances *i past it.
** Matching is by character, not byte: `?` is one character and a class
** member may be any character, so `?` matches `é` and `[é]` does. Windows
** characters come folded the way NTFS compares names (path.h). A byte that
** starts no valid sequence is a character of its own. */
static uint32_t next_char(enum sbx_flavor f, const char *s, size_t n, size_t *i)
{
	const char *p = s + *i;
	uint32_t cp;
	if (f == SBX_FLAVOR_WINDOWS) {
		cp = sbx_path_fold_next(&p, s + n);
		*i = (size_t)(p - s);
		return cp;
	}
	size_t k = sbx_utf8_decode(p, n - *i, &cp);
	if (k == 0) {
		*i += 1;
		return 0x110000u + (unsigned char)*p;
	}
	*i += k;
	return cp;
}

/* Matches the class starting at pat[0] == '[' against the character c.
** Returns the length of the class text, or 0 if the bracket is not closed
** (then it is literal). */
static size_t match_class(enum sbx_flavor f, const char *pat, size_t plen, uint32_t c, bool *hit)
{
	size_t j = 1;
	bool neg = false;
	if (j < plen && (pat[j] == '!' || pat[j] == '^'))
		neg = true, j++;
	size_t first = j;
	bool in = false;
	while (j < plen && (pat[j] != ']' || j == first)) {
		uint32_t lo = next_char(f, pat, plen, &j), hi = lo;
		if (j + 1 < plen && pat[j] == '-' && pat[j + 1] != ']') {
			j++;
			hi = next_char(f, pat, plen, &j);
		}
		if (c >= lo && c <= hi)
			in = true;
	}
	if (j >= plen)
		return 0; /* unclosed: a literal '[' */
	*hit = in != neg;
	return j + 1;
}

/* One step of the component matcher: does the pattern token at *pi match the
** character c? Advances *pi past the token. The caller handles '*'. */
static bool match_one(enum sbx_flavor f, const char *pat, size_t plen, size_t *pi, uint32_t c)
{
	if (pat[*pi] == '?') {
		*pi += 1;
		return true;
	}
	if (pat[*pi] == '[') {
		bool hit = false;
		size_t n = match_class(f, pat + *pi, plen - *pi, c, &hit);
		if (n) {
			*pi += n;
			return hit;
		}
	}
	return next_char(f, pat, plen, pi) == c;
}

bool sbx_glob_component_match(enum sbx_flavor f, const char *pat, size_t plen, const char *s,
                              size_t slen)
{
	size_t pi = 0, si = 0;
	size_t star_p = (size_t)-1, star_s = 0;
	while (si < slen) {
		if (pi < plen && pat[pi] == '*') {
			while (pi < plen && pat[pi] == '*')
				pi++;
			star_p = pi, star_s = si;
			continue;
		}
		size_t next = pi, snext = si;
		uint32_t c = next_char(f, s, slen, &snext);
		if (pi < plen && match_one(f, pat, plen, &next, c)) {
			pi = next, si = snext;
			continue;
		}
		if (star_p == (size_t)-1)
			return false;
		/* let the last star absorb one more character */
		next_char(f, s, slen, &star_s);
		pi = star_p, si = star_s;
	}
	while (pi < plen && pat[pi] == '*')
		pi++;
	return pi == plen;
}

struct comps {
	const char **p;
	size_t *n;
	size_t count;
};

/* Splits a normalized absolute path into its root and its components. */
static void split(enum sbx_flavor f, const char *s, struct comps *c)
{
	size_t len = strlen(s), rl = sbx_path_root_len(f, s);
	char sep = f == SBX_FLAVOR_WINDOWS ? '\\' : '/';
	size_t max = 2;
	for (size_t i = rl; i < len; i++)
		max += s[i] == sep;
	c->p = sbx_xcalloc(max, sizeof *c->p);
	c->n = sbx_xcalloc(max, sizeof *c->n);
	c->count = 0;
	c->p[c->count] = s, c->n[c->count++] = rl;
	size_t i = rl;
	while (i < len) {
		while (i < len && s[i] == sep)
			i++;
		size_t j = i;
		while (j < len && s[j] != sep)
			j++;
		if (j > i)
			c->p[c->count] = s + i, c->n[c->count++] = j - i;
		i = j;
	}
}

static void comps_free(struct comps *c)
{
	free(c->p);
	free(c->n);
}

static bool roots_equal(enum sbx_flavor f, const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	while (i < an && j < bn)
		if (next_char(f, a, an, &i) != next_char(f, b, bn, &j))
			return false;
	return i == an && j == bn;
}

static bool is_globstar(const struct comps *c, size_t i)
{
	return c->n[i] == 2 && c->p[i][0] == '*' && c->p[i][1] == '*';
}

/* Fills `reach` (path->count + 1 entries): reach[j] is true when the whole
** pattern matches the first j components of the path (root included). */
static void reach_table(enum sbx_flavor f, const struct comps *pc, const struct comps *sc,
                        bool *reach)
{
	size_t ns = sc->count;
	bool *row = sbx_xcalloc(ns + 1, sizeof *row), *next = sbx_xcalloc(ns + 1, sizeof *next);
	row[1] = roots_equal(f, pc->p[0], pc->n[0], sc->p[0], sc->n[0]);
	for (size_t i = 1; i < pc->count; i++) {
		memset(next, 0, (ns + 1) * sizeof *next);
		if (is_globstar(pc, i)) {
			bool trailing = i + 1 == pc->count, any = false;
			for (size_t j = 0; j <= ns; j++) {
				/* zero or more components; one or more when trailing */
				if (any || (!trailing && row[j]))
					next[j] = true;
				any |= row[j];
			}
		} else {
			for (size_t j = 0; j < ns; j++)
				if (row[j] && sbx_glob_component_match(f, pc->p[i], pc->n[i],
				                                       sc->p[j], sc->n[j]))
					next[j + 1] = true;
		}
		bool *t = row;
		row = next, next = t;
	}
	memcpy(reach, row, (ns + 1) * sizeof *row);
	free(row);
	free(next);
}

/* reach[j] is a match of the first j components, the root included, i.e. a
** path j - 1 components deep; only those at most max_depth deep count. */
static bool match(enum sbx_flavor f, const char *pattern, const char *path, bool prefixes,
                  size_t max_depth)
{
	struct comps pc, sc;
	split(f, pattern, &pc);
	split(f, path, &sc);
	bool *reach = sbx_xcalloc(sc.count + 1, sizeof *reach);
	reach_table(f, &pc, &sc, reach);
	bool hit = reach[sc.count] && sc.count - 1 <= max_depth;
	for (size_t j = 1; prefixes && !hit && j < sc.count && j - 1 <= max_depth; j++)
		hit = reach[j];
	free(reach);
	comps_free(&pc);
	comps_free(&sc);
	return hit;
}

bool sbx_glob_match(enum sbx_flavor f, const char *pattern, const char *path)
{
	return match(f, pattern, path, false, SIZE_MAX);
}

bool sbx_glob_match_self_or_ancestor(enum sbx_flavor f, const char *pattern, const char *path)
{
	return match(f, pattern, path, true, SIZE_MAX);
}

bool sbx_glob_match_self_or_ancestor_within(enum sbx_flavor f, const char *pattern,
                                            const char *path, size_t max_depth)
{
	return match(f, pattern, path, true, max_depth);
}

size_t sbx_glob_literal_prefix(enum sbx_flavor f, const char *pattern)
{
	size_t rl = sbx_path_root_len(f, pattern), len = strlen(pattern), end = rl;
	char sep = f == SBX_FLAVOR_WINDOWS ? '\\' : '/';
	size_t i = rl;
	while (i < len) {
		size_t j = i;
		while (j < len && pattern[j] != sep)
			j++;
		if (sbx_path_has_glob(pattern + i, j - i))
			break;
		end = j;
		i = j + 1;
	}
	return end;
}
