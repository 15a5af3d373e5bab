/*
** path.h: lexical path handling for both path flavours.
**
** sbxc never canonicalizes here: paths are absolutized and normalized
** lexically (`.` and `..` collapsed, repeated separators dropped), as the
** policy language specifies. POSIX paths compare byte-wise; Windows paths
** compare with ASCII case folding, use `\` separators and are either
** drive-rooted (`C:\a`) or UNC (`\\server\share\a`), with the `\\?\` and
** `\\.\` prefixes normalized away.
**
** Results are arena strings.
*/
#ifndef SBX_PATH_H
#define SBX_PATH_H

#include "arena.h"
#include "hash.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sbx_flavor {
	SBX_FLAVOR_POSIX,
	SBX_FLAVOR_WINDOWS,
};

/* The syntactic form of a filesystem key as written in a policy. */
enum sbx_path_form {
	SBX_FORM_POSIX,    /* "/..." */
	SBX_FORM_WINDOWS,  /* "C:\...", "C:/...", "\\server\share...", "\\?\C:\..." */
	SBX_FORM_HOME,     /* "~", "~/...", "~\..." */
	SBX_FORM_TOKEN,    /* ":..." */
	SBX_FORM_RELATIVE, /* anything else, including "~user" and "C:rel" */
};

enum sbx_path_form sbx_path_form(const char *s, size_t len);

/* Normalizes an absolute path of the given flavour; NULL if s is not
** absolute in that flavour. Never climbs above the root (or drive, or share). */
const char *sbx_path_normalize(struct sbx_arena *a, enum sbx_flavor f, const char *s, size_t len);
/* Normalizes a relative path to '/'-separated normal components (`.` dropped,
** `..` applied); NULL if `..` would climb above the start. "" for an empty
** result. Both '/' and '\' separate when f is Windows. */
const char *sbx_path_normalize_rel(struct sbx_arena *a, enum sbx_flavor f, const char *s,
                                   size_t len);
/* Joins a normalized absolute base and a relative path and normalizes. */
const char *sbx_path_join(struct sbx_arena *a, enum sbx_flavor f, const char *base,
                          const char *rel);

/* Windows paths compare the way NTFS compares names: each character through
** the simple upper-case mapping of the Basic Multilingual Plane
** (casefold.c), so `C:\\Ärger` and `c:\\ärger` are one directory. */
uint32_t sbx_path_upcase(uint32_t cp);
/* The next character of a Windows path at *s (UTF-8, not past end), folded
** for comparison: upper-cased as above, then ASCII letters lower-cased (so
** that ASCII paths keep their order). Advances *s. A byte that starts no
** valid sequence is one character of its own, above every scalar value. */
uint32_t sbx_path_fold_next(const char **s, const char *end);

/* Is `prefix` equal to `path`, or one of its ancestors (component-wise)? */
bool sbx_path_is_prefix(enum sbx_flavor f, const char *prefix, const char *path);
/* Total order: by component, case-folded on Windows. */
int sbx_path_cmp(enum sbx_flavor f, const char *a, const char *b);
/* The same order on counted strings (components or whole paths). */
int sbx_path_cmpn(enum sbx_flavor f, const char *a, size_t an, const char *b, size_t bn);
/* A hash of s[0..n) (see hash.h), Windows text folded as sbx_path_cmp()
** compares it, so that paths that compare equal hash equal. */
uint64_t sbx_path_hash_folded(uint64_t seed, const char *s, size_t n);
static inline uint64_t sbx_path_hash(enum sbx_flavor f, uint64_t seed, const char *s, size_t n)
{
	return f == SBX_FLAVOR_POSIX ? sbx_hash_bytes(seed, s, n)
	                             : sbx_path_hash_folded(seed, s, n);
}
bool sbx_path_eq(enum sbx_flavor f, const char *a, const char *b);
/* Components below the root: "/" and "C:\" are 0, "/a/b" is 2. */
size_t sbx_path_depth(enum sbx_flavor f, const char *path);
/* Length of the root prefix of a normalized absolute path ("/" 1, "C:\" 3,
** "\\srv\share" its full length). */
size_t sbx_path_root_len(enum sbx_flavor f, const char *path);
/* The parent of a normalized absolute path; the root is its own parent. */
const char *sbx_path_parent(struct sbx_arena *a, enum sbx_flavor f, const char *path);
/* The last component ("" for a root). Points into path. */
const char *sbx_path_basename(enum sbx_flavor f, const char *path);

/* Length of a Windows `\\?\` or `\\.\` prefix at the start of s (4), or 0. */
size_t sbx_path_verbatim_prefix(const char *s, size_t len);

/* Does the text use glob syntax: `*`, `?`, or a closed `[...]`? */
bool sbx_path_has_glob(const char *s, size_t len);

/* A nested subpath must be non-empty, relative and made only of normal
** components (no "", ".", ".."), where both '/' and '\' separate
** components (a subpath is resolved for Windows too). "." alone is the base
** itself and returns true with *is_self set. */
bool sbx_subpath_valid(const char *s, size_t len, bool *is_self);

/* realpath(path, NULL) on this machine (malloc'd; NULL with errno set),
** with the kernel walking the path once instead of a readlink() per
** prefix (realpath.c). */
char *sbx_realpath(const char *path);
/* The same, and in *st what the walk reached (fstat of it: the name and the
** identity come from one walk). */
struct stat;
char *sbx_realpath_stat(const char *path, struct stat *st);

#endif
