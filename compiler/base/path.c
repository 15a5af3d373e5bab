/*
** path.c: see path.h. All functions are lexical; none touches the filesystem.
*/
#include "path.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

static bool is_sep(enum sbx_flavor f, char c)
{
	return c == '/' || (f == SBX_FLAVOR_WINDOWS && c == '\\');
}

static char sep_of(enum sbx_flavor f)
{
	return f == SBX_FLAVOR_WINDOWS ? '\\' : '/';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

enum sbx_path_form sbx_path_form(const char *s, size_t len)
{
	if (len == 0)
		return SBX_FORM_RELATIVE;
	if (s[0] == ':')
		return SBX_FORM_TOKEN;
	if (s[0] == '~' && (len == 1 || s[1] == '/' || s[1] == '\\'))
		return SBX_FORM_HOME;
	if (len >= 2 && s[0] == '\\' && s[1] == '\\')
		return SBX_FORM_WINDOWS;
	if (s[0] == '/')
		return SBX_FORM_POSIX;
	if (len >= 3 && is_alpha(s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/'))
		return SBX_FORM_WINDOWS;
	return SBX_FORM_RELATIVE;
}

/* Appends the normal components of s[0..len) to a stack of component spans,
** applying "." and "..". Returns false if ".." climbs above the start. The
** stack lives on the C stack for the usual depths (normalizing is done once
** per policy path, so it should not leave garbage in the arena). */
struct comp {
	const char *p;
	size_t n;
};

struct comps {
	struct comp *v;
	size_t n, cap;
	struct comp local[64];
};

static void comps_init(struct comps *c)
{
	c->v = c->local;
	c->n = 0;
	c->cap = sizeof c->local / sizeof c->local[0];
}

static void comps_release(struct comps *c)
{
	if (c->v != c->local)
		free(c->v);
}

static void comps_push(struct comps *c, const char *p, size_t n)
{
	if (c->n == c->cap) {
		struct comp *v = sbx_xreallocarray(NULL, c->cap * 2, sizeof *v);
		memcpy(v, c->v, c->n * sizeof *v);
		comps_release(c);
		c->v = v;
		c->cap *= 2;
	}
	c->v[c->n++] = (struct comp){p, n};
}

static bool push_components(enum sbx_flavor f, const char *s, size_t len, struct comps *st,
                            bool clamp)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && is_sep(f, s[i]))
			i++;
		size_t j = i;
		while (j < len && !is_sep(f, s[j]))
			j++;
		size_t n = j - i;
		if (n == 0)
			break;
		if (n == 1 && s[i] == '.') {
			/* nothing */
		} else if (n == 2 && s[i] == '.' && s[i + 1] == '.') {
			if (st->n == 0) {
				if (!clamp)
					return false; /* climbs above a relative start */
			} else {
				st->n--;
			}
		} else {
			comps_push(st, s + i, n);
		}
		i = j;
	}
	return true;
}

/* root, then the components joined by sep (after the root only when it does
** not end in one), as one arena string; releases the stack. */
static const char *build(struct sbx_arena *a, const char *root, size_t rootlen, struct comps *st,
                         char sep)
{
	bool first_sep = rootlen && root[rootlen - 1] != sep;
	size_t len = rootlen;
	for (size_t k = 0; k < st->n; k++)
		len += st->v[k].n + (k > 0 || first_sep);
	char *out = sbx_arena_alloc(a, len + 1);
	memcpy(out, root, rootlen);
	size_t o = rootlen;
	for (size_t k = 0; k < st->n; k++) {
		if (k > 0 || first_sep)
			out[o++] = sep;
		memcpy(out + o, st->v[k].p, st->v[k].n);
		o += st->v[k].n;
	}
	out[o] = '\0';
	comps_release(st);
	return out;
}

const char *sbx_path_normalize(struct sbx_arena *a, enum sbx_flavor f, const char *s, size_t len)
{
	struct comps st;
	comps_init(&st);
	if (f == SBX_FLAVOR_POSIX) {
		if (len == 0 || s[0] != '/')
			return NULL;
		push_components(f, s, len, &st, true); /* "/.." is "/" */
		/* "/a/b": the root is "/", components joined by '/' */
		return build(a, "/", 1, &st, '/');
	}

	/* Windows: strip \\?\ and \\.\ (any separator spelling). */
	if (sbx_path_verbatim_prefix(s, len)) {
		s += 4, len -= 4;
		if (len >= 4 && fold(s[0]) == 'u' && fold(s[1]) == 'n' && fold(s[2]) == 'c' &&
		    is_sep(f, s[3])) {
			/* \\?\UNC\server\share -> \\server\share */
			struct sbx_strbuf sb = SBX_STRBUF_INIT;
			sbx_sb_adds(&sb, "\\\\");
			sbx_sb_add(&sb, s + 4, len - 4);
			const char *r = sbx_path_normalize(a, f, sb.buf, sb.len);
			sbx_sb_release(&sb);
			return r;
		}
	}
	if (len >= 3 && is_alpha(s[0]) && s[1] == ':' && is_sep(f, s[2])) {
		char root[3] = {(char)(s[0] >= 'a' ? s[0] - 'a' + 'A' : s[0]), ':', '\\'};
		push_components(f, s + 3, len - 3, &st, true);
		return build(a, root, 3, &st, '\\');
	}
	if (len == 2 && is_alpha(s[0]) && s[1] == ':')
		return NULL; /* "C:" is drive-relative */
	if (len >= 2 && is_sep(f, s[0]) && is_sep(f, s[1])) {
		/* UNC: \\server\share is the root */
		size_t i = 2, j;
		j = i;
		while (j < len && !is_sep(f, s[j]))
			j++;
		if (j == i)
			return NULL;
		size_t server_end = j;
		i = j;
		while (i < len && is_sep(f, s[i]))
			i++;
		j = i;
		while (j < len && !is_sep(f, s[j]))
			j++;
		if (j == i)
			return NULL;
		struct sbx_strbuf root = SBX_STRBUF_INIT;
		sbx_sb_adds(&root, "\\\\");
		sbx_sb_add(&root, s + 2, server_end - 2);
		sbx_sb_addc(&root, '\\');
		sbx_sb_add(&root, s + i, j - i);
		push_components(f, s + j, len - j, &st, true);
		const char *r = build(a, root.buf, root.len, &st, '\\');
		sbx_sb_release(&root);
		return r;
	}
	return NULL;
}

const char *sbx_path_normalize_rel(struct sbx_arena *a, enum sbx_flavor f, const char *s,
                                   size_t len)
{
	struct comps st;
	comps_init(&st);
	if (!push_components(f, s, len, &st, false)) {
		comps_release(&st);
		return NULL;
	}
	return build(a, "", 0, &st, '/');
}

const char *sbx_path_join(struct sbx_arena *a, enum sbx_flavor f, const char *base, const char *rel)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_adds(&sb, base);
	sbx_sb_addc(&sb, sep_of(f));
	sbx_sb_adds(&sb, rel);
	const char *r = sbx_path_normalize(a, f, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return r;
}

size_t sbx_path_root_len(enum sbx_flavor f, const char *p)
{
	if (f == SBX_FLAVOR_POSIX)
		return 1;
	if (p[0] && p[1] == ':')
		return 3;
	/* \\server\share */
	size_t i = 2;
	while (p[i] && p[i] != '\\')
		i++;
	if (p[i])
		i++;
	while (p[i] && p[i] != '\\')
		i++;
	return i;
}

uint32_t sbx_path_fold_next(const char **s, const char *end)
{
	const char *p = *s;
	uint32_t cp;
	size_t n = sbx_utf8_decode(p, (size_t)(end - p), &cp);
	if (n == 0) {
		*s = p + 1;
		return 0x110000u + (unsigned char)*p;
	}
	*s = p + n;
	cp = sbx_path_upcase(cp);
	return cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp;
}

/* Windows: is `prefix` an ancestor of (or equal to) `path`, comparing
** folded characters (whose encodings may differ in length). */
static bool win_is_prefix(const char *prefix, const char *path)
{
	const char *p = prefix, *pe = prefix + strlen(prefix);
	const char *q = path, *qe = path + strlen(path);
	while (p < pe) {
		if (q == qe || sbx_path_fold_next(&p, pe) != sbx_path_fold_next(&q, qe))
			return false;
	}
	if (q == qe)
		return true;
	if (pe > prefix && pe[-1] == '\\')
		return true; /* "C:\" ends with its separator */
	return *q == '\\';
}

bool sbx_path_is_prefix(enum sbx_flavor f, const char *prefix, const char *path)
{
	if (f == SBX_FLAVOR_WINDOWS)
		return win_is_prefix(prefix, path);
	size_t pl = strlen(prefix), ql = strlen(path);
	if (pl > ql || memcmp(prefix, path, pl) != 0)
		return false;
	if (pl == ql || pl == 1)
		return true; /* "/" ends with its separator */
	return path[pl] == '/';
}

int sbx_path_cmpn(enum sbx_flavor f, const char *a, size_t an, const char *b, size_t bn)
{
	/* the separator sorts before every other character, and a path before
	** its extensions, so a parent and its subtree stay contiguous: "/a",
	** "/a/b", "/a-b" */
	const char *ae = a + an, *be = b + bn;
	uint32_t s = (unsigned char)sep_of(f);
	for (;;) {
		uint32_t x, y;
		if (f == SBX_FLAVOR_WINDOWS) {
			x = a < ae ? sbx_path_fold_next(&a, ae) : 0;
			y = b < be ? sbx_path_fold_next(&b, be) : 0;
		} else {
			x = a < ae ? (unsigned char)*a++ : 0;
			y = b < be ? (unsigned char)*b++ : 0;
		}
		if (x != y) {
			if (x == s)
				return y ? -1 : 1;
			if (y == s)
				return x ? 1 : -1;
			return x < y ? -1 : 1;
		}
		if (!x)
			return 0;
	}
}

int sbx_path_cmp(enum sbx_flavor f, const char *a, const char *b)
{
	return sbx_path_cmpn(f, a, strlen(a), b, strlen(b));
}

uint64_t sbx_path_hash_folded(uint64_t seed, const char *s, size_t n)
{
	/* folded characters, so that every spelling NTFS takes for one name
	** hashes alike */
	uint64_t h = seed;
	for (const char *p = s, *e = s + n; p < e;)
		h = (h ^ sbx_path_fold_next(&p, e)) * 1099511628211ull;
	return sbx_hash_mix(h);
}

bool sbx_path_eq(enum sbx_flavor f, const char *a, const char *b)
{
	return sbx_path_cmp(f, a, b) == 0;
}

size_t sbx_path_depth(enum sbx_flavor f, const char *p)
{
	size_t rl = sbx_path_root_len(f, p);
	if (!p[rl])
		return 0;
	size_t n = 1;
	char s = sep_of(f);
	for (const char *q = p + rl; *q; q++)
		n += *q == s && q != p + rl;
	return n;
}

const char *sbx_path_basename(enum sbx_flavor f, const char *p)
{
	size_t rl = sbx_path_root_len(f, p);
	const char *last = strrchr(p + rl, sep_of(f));
	if (!p[rl])
		return p + rl;
	return last ? last + 1 : p + rl;
}

const char *sbx_path_parent(struct sbx_arena *a, enum sbx_flavor f, const char *p)
{
	size_t rl = sbx_path_root_len(f, p);
	const char *base = sbx_path_basename(f, p);
	if (base == p + rl)
		return sbx_arena_strndup(a, p, rl);
	size_t n = (size_t)(base - p) - 1; /* drop the separator */
	if (n < rl)
		n = rl;
	return sbx_arena_strndup(a, p, n);
}

size_t sbx_path_verbatim_prefix(const char *s, size_t len)
{
	if (len >= 4 && is_sep(SBX_FLAVOR_WINDOWS, s[0]) && is_sep(SBX_FLAVOR_WINDOWS, s[1]) &&
	    (s[2] == '?' || s[2] == '.') && is_sep(SBX_FLAVOR_WINDOWS, s[3]))
		return 4;
	return 0;
}

bool sbx_path_has_glob(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '*' || s[i] == '?')
			return true;
		if (s[i] == '[' && memchr(s + i + 1, ']', len - i - 1))
			return true;
	}
	return false;
}

bool sbx_subpath_valid(const char *s, size_t len, bool *is_self)
{
	*is_self = false;
	if (len == 1 && s[0] == '.') {
		*is_self = true;
		return true;
	}
	if (len == 0 || s[0] == '/' || s[0] == '\\')
		return false;
	if (len >= 2 && is_alpha(s[0]) && s[1] == ':')
		return false;
	if (s[len - 1] == '/' || s[len - 1] == '\\')
		len--; /* "docs/" names docs */
	/* `\` separates too: a subpath is resolved for Windows as well, where
	** "..\\x" would climb out of its base */
	size_t i = 0;
	for (;;) {
		size_t j = i;
		while (j < len && s[j] != '/' && s[j] != '\\')
			j++;
		size_t n = j - i;
		if (n == 0)
			return false; /* "a//b" */
		if ((n == 1 && s[i] == '.') || (n == 2 && s[i] == '.' && s[i + 1] == '.'))
			return false;
		if (j == len)
			return true;
		i = j + 1;
	}
}
