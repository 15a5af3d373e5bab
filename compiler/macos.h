/*
** macos.h: what the semantic pass decides for the macos-seatbelt backend,
** once, for the SBPL emitter and `sbxc explain --target macos` alike.
**
** Three facts of macOS shape it:
**
**   Firmlinks. Seatbelt matches paths after resolution, so /tmp, /var and
**   /etc are seen as /private/tmp, /private/var and /private/etc. Every path
**   of the view is canonical in that sense (sbx_macos_canon), and a query
**   is canonicalized the same way before it is answered.
**
**   Case. macOS volumes are case-insensitive by default while Seatbelt
**   compares strings byte for byte. A grant matches byte for byte (stricter
**   than the volume: a different spelling is simply not granted), but every
**   exclusion (a denied or read-only path, a protected name, a deny glob, a
**   rename-protected parent) matches ASCII letters case-insensitively, so
**   `SECRETS/k` cannot slip past a deny of `secrets`. The part of an
**   exclusion inside its grant's root is spelled with the root's bytes (a
**   path that matched the grant has exactly those), the rest is compared
**   without case. Exclusions below a root and deny globs with non-ASCII
**   bytes cannot be matched that way and are refused (E0650); so are glob
**   wildcards that stand for one character (E0651), which a byte-wise
**   regex cannot express.
**
**   Last match wins. The view is a list of grants, each with the
**   exclusions beneath it (case-insensitively beneath, not only byte-wise),
**   and a list of denials that apply everywhere after them.
**
** The answer for a path and an operation (sbx_macos_ops) is the formula
** those rules give under Seatbelt's semantics; the SBPL emitter prints the
** same rules, and the tests evaluate the printed profile independently.
*/
#ifndef SBX_MACOS_H
#define SBX_MACOS_H

#include "resolve.h"

#include <stdbool.h>
#include <stddef.h>

/* The operations of a query (bits). */
enum {
	SBX_MAC_READ = 1,    /* file-read-data */
	SBX_MAC_WRITE = 2,   /* file-write-data */
	SBX_MAC_CREATE = 4,  /* file-write-create */
	SBX_MAC_UNLINK = 8,  /* file-write-unlink */
	SBX_MAC_RENAME = 16, /* rename the path away: file-write-unlink of it;
	                        both are refused for the parents of excluded paths */
	SBX_MAC_ALL = 31,
};

/* An exclusion under a grant: `path` (canonical) whose first `root_len`
** bytes are the grant root's, compared byte-wise; the rest case-insensitively. */
struct sbx_mac_excl {
	const char *path;
	size_t root_len;
	const struct sbx_rpath *why; /* the rule or carve-out it comes from */
};

struct sbx_mac_grant {
	const char *path; /* canonical root, matched byte-wise as a subpath */
	const struct sbx_rpath *src;
	struct sbx_mac_excl *excl; /* sorted by path */
	size_t nexcl;
	/* write grants: `<path>/<name>` for each protected name, case-insensitively */
	const char **names;
	size_t nnames;
};

/* A device node the base profile always allows (not policy paths). */
struct sbx_mac_device {
	const char *path; /* literal, or with `regex` an anchored ERE */
	bool regex;
	bool write; /* file-write-data too */
};

struct sbx_macos {
	bool unsandboxed; /* :danger-full-access: (allow default) */
	struct sbx_mac_grant *read;
	size_t nread;
	struct sbx_mac_grant *write;
	size_t nwrite;
	/* parents of excluded paths inside a writable root, and the literal
	** directories of deny globs there: renaming one away would move what it
	** protects out of reach; each is an exclusion (matched as a literal) */
	struct sbx_mac_excl *rename_protected;
	size_t nrename_protected;
	/* deny globs, canonical, each once: the pattern as written and (when it
	** differs) its canonical variant */
	const char **globs;
	const struct sbx_rpath **glob_src;
	size_t nglobs;
};

/* The canonical spelling Seatbelt sees: /tmp, /var and /etc (their first
** component in any case) become /private/tmp, /private/var, /private/etc.
** Other paths are returned as they are. Arena string. */
const char *sbx_macos_canon(struct sbx_arena *a, const char *path);

/* Builds the view of a resolved policy (resolve.c calls it for the macOS
** target). */
const struct sbx_macos *sbx_macos_build(struct sbx_ctx *ctx, const struct sbx_resolved *r);

/* The device nodes of the base profile. */
const struct sbx_mac_device *sbx_macos_devices(size_t *n);

/* The operations (SBX_MAC_* bits) a path is allowed, with the rule that
** decided if a grant was cut by an exclusion (*excluded_by, else NULL).
** The path is absolute and normalized; it is canonicalized here. */
unsigned sbx_macos_ops(struct sbx_ctx *ctx, const struct sbx_macos *m, const char *path,
                       const char **excluded_by);

/* ASCII case-insensitive comparisons of the view. */
bool sbx_macos_ci_eq(const char *a, size_t an, const char *b, size_t bn);
/* Is the exclusion e equal to path or an ancestor of it (first root_len bytes
** byte-wise, the rest without case)? */
bool sbx_macos_excl_covers(const struct sbx_mac_excl *e, const char *path);

#endif
