/*
** glob.c: git-style glob matching for the deny-read globs of the semantic
** pass (see glob.h for the syntax).
**
** Matching runs in two levels. Inside one component, `*`, `?` and classes are
** matched with the usual single-backtrack-point algorithm (linear in
** practice, never exponential). Across components, a row-by-row reachability
** table handles `**`: row i says which path prefixes the first i pattern
** components can match, so the cost is O(pattern components x path
** components). Nothing here allocates from an arena or touches the
** filesystem.
*/
#include "glob.h"
#include "arena.h"

#include <stdlib.h>
#include <string.h>

static char fold(enum sbx_flavor f, char c)
{
	if (f == SBX_FLAVOR_WINDOWS && c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

/* Matches the class starting at pat[0] == '[' against c. Returns the length
** of the class text, or 0 if the bracket is not closed (then it is literal). */
static size_t match_class(enum sbx_flavor f, const char *pat, size_t plen, char c, bool *hit)
{
	size_t j = 1;
	bool neg = false;
	if (j < plen && (pat[j] == '!' || pat[j] == '^'))
		neg = true, j++;
	size_t first = j;
	bool in = false;
	char fc = fold(f, c);
	while (j < plen && (pat[j] != ']' || j == first)) {
		char lo = pat[j], hi = pat[j];
		if (j + 2 < plen && pat[j + 1] == '-' && pat[j + 2] != ']') {
			hi = pat[j + 2];
			j += 3;
		} else {
			j += 1;
		}
		char flo = fold(f, lo), fhi = fold(f, hi);
		if ((unsigned char)fc >= (unsigned char)flo &&
		    (unsigned char)fc <= (unsigned char)fhi)
			in = true;
	}
	if (j >= plen)
		return 0; /* unclosed: a literal '[' */
	*hit = in != neg;
	return j + 1;
}

/* One step of the component matcher: does pat[*pi] match s[si]? Advances *pi
** past the token. The caller handles '*'. */
static bool match_one(enum sbx_flavor f, const char *pat, size_t plen, size_t *pi, char c)
{
	char p = pat[*pi];
	if (p == '?') {
		*pi += 1;
		return true;
	}
	if (p == '[') {
		bool hit = false;
		size_t n = match_class(f, pat + *pi, plen - *pi, c, &hit);
		if (n) {
			*pi += n;
			return hit;
		}
	}
	*pi += 1;
	return fold(f, p) == fold(f, c);
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
		size_t next = pi;
		if (pi < plen && match_one(f, pat, plen, &next, s[si])) {
			pi = next, si++;
			continue;
		}
		if (star_p == (size_t)-1)
			return false;
		pi = star_p, si = ++star_s; /* let the last star absorb one more byte */
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
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++)
		if (fold(f, a[i]) != fold(f, b[i]))
			return false;
	return true;
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

static bool match(enum sbx_flavor f, const char *pattern, const char *path, bool prefixes)
{
	struct comps pc, sc;
	split(f, pattern, &pc);
	split(f, path, &sc);
	bool *reach = sbx_xcalloc(sc.count + 1, sizeof *reach);
	reach_table(f, &pc, &sc, reach);
	bool hit = reach[sc.count];
	for (size_t j = 1; prefixes && !hit && j < sc.count; j++)
		hit = reach[j];
	free(reach);
	comps_free(&pc);
	comps_free(&sc);
	return hit;
}

bool sbx_glob_match(enum sbx_flavor f, const char *pattern, const char *path)
{
	return match(f, pattern, path, false);
}

bool sbx_glob_match_self_or_ancestor(enum sbx_flavor f, const char *pattern, const char *path)
{
	return match(f, pattern, path, true);
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
