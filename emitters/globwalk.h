/*
** globwalk.h: expands a deny glob to the concrete paths it matches on this
** machine, for the bubblewrap masks (bwrap.c) and the exec-time re-check
** (runtime/recheck.c).
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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sbx_glob_hit {
	const char *path; /* as spelled by the pattern's prefix */
	const char *dest; /* the same file below the canonical walk root */
	bool dir;         /* a directory, or a symlink to one */
};

struct sbx_glob_result {
	const char *root;  /* the literal prefix the walk started at */
	const char *croot; /* its canonical location, NULL if it does not exist */
	struct sbx_glob_hit *hits;
	size_t n, cap;
};

/* Expands one absolute POSIX pattern. `span` locates the entry for
** diagnostics. Returns SBX_OK, SBX_ELIMIT (E0712) or SBX_EUNSUPPORTED
** (E0713). */
enum sbx_status sbx_glob_expand(struct sbx_ctx *ctx, const char *pattern, uint32_t max_depth,
                                struct sbx_span span, struct sbx_glob_result *out);

#endif
