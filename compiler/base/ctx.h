/*
** ctx.h: the compilation context.
**
** One struct sbx_ctx holds all state of one compilation: the arena, the loaded
** sources, the diagnostics and the options. There is no global state in
** sbxc's compiler: several contexts may live in one process (the runtime, the
** tests, the fuzzer). Create with sbx_ctx_new(), destroy with sbx_ctx_free().
*/
#ifndef SBX_CTX_H
#define SBX_CTX_H

#include "arena.h"
#include "diag.h"
#include "source.h"

#include <stdbool.h>
#include <stdio.h>

/* Error values of the API. Details are in the diagnostics; these say which
** kind of failure stopped a function. 0 is success. */
enum sbx_status {
	SBX_OK = 0,
	SBX_EIO,          /* a file or stream could not be read or written */
	SBX_ELIMIT,       /* a limit of sbx_limits.h was hit */
	SBX_ESYNTAX,      /* the input is not TOML */
	SBX_ESEMA,        /* the input is TOML but not a valid policy */
	SBX_EUNSUPPORTED, /* valid, but cannot be enforced exactly: fail closed */
	SBX_EINTERNAL,    /* a bug in sbxc */
};

/* How a pass looked at a path of this machine (sbx_fs_seen). */
enum sbx_fs_look {
	SBX_FS_ENTRY,   /* the entry itself, not followed: lstat, readlink */
	SBX_FS_RESOLVE, /* followed to what it leads to: stat, realpath, access */
	SBX_FS_CONTENT, /* a file's bytes were read */
	SBX_FS_LIST,    /* a directory's entries were read */
};

struct sbx_ctx {
	struct sbx_arena arena;
	struct sbx_source **sources; /* sources[id - 1] */
	size_t nsources, capsources;
	struct sbx_diag **diags; /* in emission order */
	size_t ndiags, capdiags;
	size_t nerrors;       /* errors, including warnings promoted by strict */
	size_t nwarnings;     /* warnings that stayed warnings */
	size_t ndropped;      /* diagnostics past SBX_MAX_DIAGNOSTICS */
	size_t ndropped_told; /* of those, how many an E0008 note has counted */
	/* errors that repeated one already recorded (same code, span and
	** message): counted in nerrors, so a pass still sees that it failed,
	** but neither shown nor counted by sbx_diag_errors_shown(); `lint`
	** compiles a parent's entries once per profile that extends it */
	size_t nrepeated;
	struct sbx_diag dropped; /* what sbx_diag_emit() returns past that limit:
	                            counted, never formatted or allocated */
	bool strict;             /* --strict: STRICT_WARNING diagnostics become errors */
	/* Told of every path the passes look at on this machine (sbx_fs_seen),
	** when set: `sbxc run` records them to know when a cached compile of
	** the same policy still holds (runtime/runcache.c). NULL otherwise. */
	void (*fs_seen)(void *arg, const char *path, enum sbx_fs_look how);
	void *fs_seen_arg;
};

/* Tells ctx->fs_seen, if any, that a pass looked at `path` (absolute). */
static inline void sbx_fs_seen(struct sbx_ctx *ctx, const char *path, enum sbx_fs_look how)
{
	if (ctx->fs_seen && path)
		ctx->fs_seen(ctx->fs_seen_arg, path, how);
}

struct sbx_ctx *sbx_ctx_new(void);
/* Frees everything the context owns and sets *ctx to NULL. */
void sbx_ctx_free(struct sbx_ctx **ctx);

/* Registers text as a source (the text is copied into the arena). Returns the
** file id (>= 1). */
uint32_t sbx_ctx_add_source(struct sbx_ctx *ctx, const char *name, const char *text, size_t len);
/* Reads a whole file ("-" is stdin) into a new source. On failure emits E0001
** or E0002 and returns SBX_EIO or SBX_ELIMIT. */
enum sbx_status sbx_ctx_load_file(struct sbx_ctx *ctx, const char *path, uint32_t *file);
/* Registers text held in memory, under the display name `name`, like a file:
** E0002 and SBX_ELIMIT past SBX_MAX_INPUT_BYTES. */
enum sbx_status sbx_ctx_load_text(struct sbx_ctx *ctx, const char *name, const char *text,
                                  size_t len, uint32_t *file);
enum sbx_status sbx_ctx_load_stream(struct sbx_ctx *ctx, const char *name, FILE *in,
                                    uint32_t *file);
/* A POSIX path made absolute against the current directory and normalized
** (arena-owned); NULL after E0717 when there is no current directory. */
const char *sbx_ctx_absolute(struct sbx_ctx *ctx, const char *path);
/* The source of a file id, or NULL for id 0 or an unknown id. */
struct sbx_source *sbx_ctx_source(const struct sbx_ctx *ctx, uint32_t file);

#endif
