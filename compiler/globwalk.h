/*
** globwalk.h: expands a deny glob to the concrete paths it matches on this
** machine: for the semantic pass (enforce.c), which exports the matches in
** the resolved policy for the bubblewrap masks, and for the exec-time
** re-check (runtime/recheck.c).
**
** The walk starts at the pattern's literal directory prefix, never follows a
** symlinked directory, goes at most `max_depth` levels below the start (0:
** no bound) and does not descend into a directory that matches (the mask of
** the directory hides it all). A pattern whose literal prefix is the
** filesystem root is refused (E0713): walking the whole machine at every
** start would be too slow and too broad. More than SBX_MAX_GLOB_MATCHES
** matches is E0712. A directory sbxc may not enter counts as a match (it is
** masked whole); a scan that fails otherwise is E0713. Matches are sorted
** with sbx_path_cmp.
*/
#ifndef SBX_GLOBWALK_H
#define SBX_GLOBWALK_H

#include "ctx.h"
#include "resolve.h" /* struct sbx_glob_result */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Expands one absolute POSIX pattern. `span` locates the entry for
** diagnostics. Returns SBX_OK, SBX_ELIMIT (E0712) or SBX_EUNSUPPORTED
** (E0713). */
enum sbx_status sbx_glob_expand(struct sbx_ctx *ctx, const char *pattern, uint32_t max_depth,
                                struct sbx_span span, struct sbx_glob_result *out);
/* The same, but the diagnostic is made detached (sbx_diag_make) and left in
** out->err instead of being recorded: the semantic pass keeps it as a
** backend's reason. */
enum sbx_status sbx_glob_expand_detached(struct sbx_ctx *ctx, const char *pattern,
                                         uint32_t max_depth, struct sbx_span span,
                                         struct sbx_glob_result *out);

#endif
