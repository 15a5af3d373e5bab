/*
** globwalk.c: expands a deny glob into the files and directories it matches
** on this machine (see globwalk.h). Used by the semantic pass (enforce.c),
** which exports the matches for the bubblewrap masks and refuses what cannot
** be expanded, and by the runtime to re-check the snapshot before `exec`.
**
** The walk is a plain depth-first readdir from the pattern's literal prefix
** with openat() on O_NOFOLLOW descriptors, so a symlinked directory is never
** entered (a symlink that matches is still masked: the mount follows it).
** Matching uses the semantic pass's glob matcher, so what is masked is what
** `sbxc explain` says is denied.
**
** The walk fails closed. A directory sbxc may not enter (EACCES, EPERM; sbxc
** runs as an ordinary user) is masked whole, as if it matched: what it holds
** cannot be known, and a sandbox running as the same user could chmod it
** open and read a match inside. Any other error (out of descriptors or
** memory, an I/O error) is E0713: a file left unmasked because the scan
** gave up early would be readable.
*/
/* realpath() is in POSIX.1-2008 with the XSI option (which macOS has) */
#define _XOPEN_SOURCE 700

#include "globwalk.h"
#include "path.h"
#include "pathglob.h"
#include "sbx_limits.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* d_type is not POSIX: without it every entry is looked at with fstatat */
#ifdef DT_UNKNOWN
#define ENTRY_TYPE(de) ((de)->d_type)
#else
#define DT_UNKNOWN 0
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10
#define ENTRY_TYPE(de) DT_UNKNOWN
#endif

struct walk {
	struct sbx_ctx *ctx;
	const char *pattern;
	uint32_t max_depth;  /* 0: unbounded */
	uint32_t comp_limit; /* deepest level a match can be at, 0: unbounded */
	struct sbx_glob_result *out;
	struct sbx_strbuf path, dest;
	struct sbx_span span;
	bool over;
	int err; /* the first error that stopped the scan (E0713), or 0 */
};

/* Levels below the literal prefix a match can be at: the number of pattern
** components after it, or 0 when a `**` component makes it unbounded. */
static uint32_t pattern_levels(const char *rest)
{
	uint32_t n = 0;
	const char *p = rest;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 2 && p[0] == '*' && p[1] == '*')
			return 0;
		n++;
		p += len;
	}
	return n;
}

static void add_hit(struct walk *w, bool dir)
{
	struct sbx_glob_result *o = w->out;
	if (o->n >= SBX_MAX_GLOB_MATCHES) {
		w->over = true;
		return;
	}
	o->hits = sbx_arena_grow(&w->ctx->arena, o->hits, &o->cap, o->n + 1, sizeof *o->hits);
	struct sbx_glob_hit *h = &o->hits[o->n++];
	h->path = sbx_arena_strndup(&w->ctx->arena, w->path.buf, w->path.len);
	h->dest = sbx_arena_strndup(&w->ctx->arena, w->dest.buf, w->dest.len);
	h->dir = dir;
}

static void visit(struct walk *w, int dirfd, uint32_t depth);

/* The entry is gone or became a symlink or a file since it was listed (a
** race with the sandbox): the walk never follows it, so nothing to do. */
static bool vanished(int err)
{
	return err == ENOENT || err == ENOTDIR || err == ELOOP;
}

/* A directory sbxc may not enter: masked whole (see above). */
static bool forbidden(int err)
{
	return err == EACCES || err == EPERM;
}

static void stop(struct walk *w, int err)
{
	if (!w->err)
		w->err = err;
}

/* One directory entry at `depth` (1 = directly below the walk root). */
static void entry(struct walk *w, int dirfd, const char *name, unsigned char type, uint32_t depth)
{
	if (type == DT_UNKNOWN) {
		struct stat st;
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (!vanished(errno))
				stop(w, errno);
			return;
		}
		type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
	}
	if (sbx_glob_match(SBX_FLAVOR_POSIX, w->pattern, w->path.buf)) {
		bool dir = type == DT_DIR;
		if (type == DT_LNK) {
			struct stat st;
			sbx_fs_seen(w->ctx, w->dest.buf, SBX_FS_RESOLVE);
			if (fstatat(dirfd, name, &st, 0) != 0) {
				if (!vanished(errno))
					stop(w, errno); /* where it leads cannot be told */
				return;                 /* dangling: nothing to hide */
			}
			dir = S_ISDIR(st.st_mode);
		}
		add_hit(w, dir);
		return; /* a masked directory hides everything below it */
	}
	if (type != DT_DIR)
		return;
	if ((w->max_depth && depth >= w->max_depth) || (w->comp_limit && depth >= w->comp_limit))
		return;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && forbidden(errno))
		add_hit(w, true);
	else if (fd < 0 && !vanished(errno))
		stop(w, errno);
	else if (fd >= 0)
		visit(w, fd, depth + 1);
}

static void visit(struct walk *w, int dirfd, uint32_t depth)
{
	sbx_fs_seen(w->ctx, w->dest.buf, SBX_FS_LIST);
	DIR *d = fdopendir(dirfd);
	if (!d) {
		stop(w, errno);
		close(dirfd);
		return;
	}
	struct dirent *de;
	for (;;) {
		if (w->over || w->err)
			break;
		errno = 0;
		if (!(de = readdir(d))) {
			if (errno)
				stop(w, errno);
			break;
		}
		const char *name = de->d_name;
		if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
			continue;
		size_t plen = w->path.len, dlen = w->dest.len;
		if (plen > 1)
			sbx_sb_addc(&w->path, '/');
		if (dlen > 1)
			sbx_sb_addc(&w->dest, '/');
		sbx_sb_adds(&w->path, name);
		sbx_sb_adds(&w->dest, name);
		entry(w, dirfd, name, ENTRY_TYPE(de), depth);
		sbx_sb_truncate(&w->path, plen);
		sbx_sb_truncate(&w->dest, dlen);
	}
	closedir(d);
}

static int hit_cmp(const void *a, const void *b)
{
	const struct sbx_glob_hit *x = a, *y = b;
	return sbx_path_cmp(SBX_FLAVOR_POSIX, x->path, y->path);
}

/* A diagnostic recorded in ctx, or made detached and kept in out->err. */
static struct sbx_diag *report(struct sbx_ctx *ctx, struct sbx_glob_result *out, bool detached,
                               enum sbx_diag_code code, struct sbx_span span, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static struct sbx_diag *report(struct sbx_ctx *ctx, struct sbx_glob_result *out, bool detached,
                               enum sbx_diag_code code, struct sbx_span span, const char *fmt, ...)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbx_sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	struct sbx_diag *d = detached ? sbx_diag_make(ctx, code, span, "%s", sb.buf)
	                              : sbx_diag_emit(ctx, code, span, "%s", sb.buf);
	sbx_sb_release(&sb);
	if (detached)
		out->err = d;
	return d;
}

static enum sbx_status scan_error(struct sbx_ctx *ctx, struct sbx_glob_result *out, bool detached,
                                  const char *pattern, const char *root, struct sbx_span span,
                                  int err)
{
	struct sbx_diag *d = report(ctx, out, detached, SBX_E0713, span,
	                            "deny glob `%s` cannot be expanded: scanning `%s` failed: %s",
	                            sbx_diag_quote(ctx, pattern, strlen(pattern)),
	                            sbx_diag_quote(ctx, root, strlen(root)), strerror(err));
	sbx_diag_note(ctx, d, SBX_NO_SPAN,
	              "a match the scan did not reach would not be masked, so nothing runs");
	return SBX_EUNSUPPORTED;
}

static enum sbx_status expand(struct sbx_ctx *ctx, const char *pattern, uint32_t max_depth,
                              struct sbx_span span, struct sbx_glob_result *out, bool detached)
{
	memset(out, 0, sizeof *out);
	size_t plen = sbx_glob_literal_prefix(SBX_FLAVOR_POSIX, pattern);
	out->root = sbx_arena_strndup(&ctx->arena, pattern, plen);
	if (plen <= 1) {
		struct sbx_diag *d = report(ctx, out, detached, SBX_E0713, span,
		                            "deny glob `%s` starts at the filesystem root",
		                            sbx_diag_quote(ctx, pattern, strlen(pattern)));
		sbx_diag_note(
		    ctx, d, SBX_NO_SPAN,
		    "on Linux a deny glob is expanded to files before the sandbox starts, "
		    "so its literal prefix must name a directory to walk");
		sbx_diag_help(ctx, d,
		              "anchor the pattern below a directory, e.g. under "
		              "`:workspace_roots` or `~/`");
		return SBX_EUNSUPPORTED;
	}
	sbx_fs_seen(ctx, out->root, SBX_FS_RESOLVE);
	char *canon = sbx_realpath(out->root);
	if (!canon && vanished(errno))
		return SBX_OK; /* the prefix does not exist: nothing to mask */
	if (!canon)
		return scan_error(ctx, out, detached, pattern, out->root, span, errno);
	out->croot = sbx_arena_strdup(&ctx->arena, canon);
	free(canon);
	int fd = open(out->croot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && forbidden(errno)) {
		/* the walk root itself cannot be entered: it is masked whole */
		out->hits = sbx_arena_grow(&ctx->arena, out->hits, &out->cap, 1, sizeof *out->hits);
		out->hits[out->n++] =
		    (struct sbx_glob_hit){.path = out->root, .dest = out->croot, .dir = true};
		return SBX_OK;
	}
	if (fd < 0 && vanished(errno))
		return SBX_OK; /* not a directory: nothing below it to match */
	if (fd < 0)
		return scan_error(ctx, out, detached, pattern, out->root, span, errno);

	struct walk w = {
	    .ctx = ctx,
	    .pattern = pattern,
	    .max_depth = max_depth,
	    .comp_limit = pattern_levels(pattern + plen),
	    .out = out,
	    .path = SBX_STRBUF_INIT,
	    .dest = SBX_STRBUF_INIT,
	    .span = span,
	};
	sbx_sb_adds(&w.path, out->root);
	sbx_sb_adds(&w.dest, out->croot);
	visit(&w, fd, 1);
	sbx_sb_release(&w.path);
	sbx_sb_release(&w.dest);
	if (w.err && !w.over)
		return scan_error(ctx, out, detached, pattern, out->root, span, w.err);
	if (w.over) {
		struct sbx_diag *d =
		    report(ctx, out, detached, SBX_E0712, span,
		           "deny glob `%s` matches more than %u files",
		           sbx_diag_quote(ctx, pattern, strlen(pattern)), SBX_MAX_GLOB_MATCHES);
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "bubblewrap masks every match separately (limit "
		              "SBX_MAX_GLOB_MATCHES)");
		sbx_diag_help(ctx, d,
		              "deny the directory that holds them, or narrow the pattern "
		              "or glob_scan_max_depth");
		return SBX_ELIMIT;
	}
	if (out->n > 1)
		qsort(out->hits, out->n, sizeof *out->hits, hit_cmp);
	return SBX_OK;
}

enum sbx_status sbx_glob_expand(struct sbx_ctx *ctx, const char *pattern, uint32_t max_depth,
                                struct sbx_span span, struct sbx_glob_result *out)
{
	return expand(ctx, pattern, max_depth, span, out, false);
}

enum sbx_status sbx_glob_expand_detached(struct sbx_ctx *ctx, const char *pattern,
                                         uint32_t max_depth, struct sbx_span span,
                                         struct sbx_glob_result *out)
{
	return expand(ctx, pattern, max_depth, span, out, true);
}
