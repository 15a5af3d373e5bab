/*
** pathglob.h: git-style glob matching of absolute paths (deny-read globs).
**
** A pattern is an absolute, normalized path of one flavour whose components
** may use glob syntax:
**   `*`      any run of characters inside one component
**   `?`      one character inside one component
**   `[...]`  a character class: ranges `a-z`, negation with a leading `!` or
**            `^`, a `]` right after the opening bracket (or the negation) is a
**            member; a `[` with no closing `]` in its component is literal
**   `**`     as a whole component: zero or more components (a trailing `**` at the
**            very end: one or more, everything below the parent); inside a
**            component it is the same as `*`
** Separators are never matched by a wildcard. Backslash is not an escape (it
** is the separator of Windows paths). Matching is by character: `?` and a
** class member stand for one UTF-8 character, not one byte. Windows patterns
** and paths compare case-insensitively the way NTFS does, like every Windows
** path in sbxc (path.h).
*/
#ifndef SBX_GLOB_H
#define SBX_GLOB_H

#include "path.h"

#include <stdbool.h>
#include <stddef.h>

/* Does the absolute path match the absolute pattern exactly? */
bool sbx_glob_match(enum sbx_flavor f, const char *pattern, const char *path);

/* Does the pattern match the path or one of its ancestors? A denied
** directory hides everything below it, so this is the deny-glob test. */
bool sbx_glob_match_self_or_ancestor(enum sbx_flavor f, const char *pattern, const char *path);
/* The same, counting only a match at most max_depth components below the
** root (SIZE_MAX: any): a scan limited by glob_scan_max_depth finds no
** deeper match. */
bool sbx_glob_match_self_or_ancestor_within(enum sbx_flavor f, const char *pattern,
                                            const char *path, size_t max_depth);

/* Length of the pattern's literal directory prefix: the leading components
** with no glob syntax (the root at least). A tree walk that expands the
** pattern starts there. */
size_t sbx_glob_literal_prefix(enum sbx_flavor f, const char *pattern);

/* Does one component match one component pattern (no separators)? */
bool sbx_glob_component_match(enum sbx_flavor f, const char *pat, size_t plen, const char *s,
                              size_t slen);

#endif
