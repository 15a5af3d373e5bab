/*
** explain.h: what decides the access of one path, in words: the query that
** `sbxc explain` prints and the library's sbx_policy_access() returns. The
** decision itself is the semantic pass's (sbx_resolved_access); these
** functions only name its parts.
*/
#ifndef SBX_EXPLAIN_H
#define SBX_EXPLAIN_H

#include "ctx.h"
#include "resolve.h"

/* A path as given (absolute, or relative to the cwd; on Windows `\x` is
** rooted on the cwd's drive) made absolute and normalized in r's flavour.
** NULL when it is not a path of that flavour, or is relative to a drive's own
** current directory (`C:x`), which sbxc cannot know. */
const char *sbx_explain_path(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *s);

/* Text from a policy or a command line as it is shown: control bytes, C1
** controls and bidirectional overrides escaped (utf8.h), so that a path
** cannot drive a terminal or pass for another; never shortened. */
const char *sbx_explain_shown(struct sbx_ctx *ctx, const char *s);

/* Where an entry is written: "file:line:col", or "built-in NAME". */
const char *sbx_explain_where(struct sbx_ctx *ctx, const struct sbx_fs_entry *e);

/* Why a carve-out refused a write (why->carveout is set), in words. */
const char *sbx_explain_carveout(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                 const struct sbx_decision *why);

#endif
