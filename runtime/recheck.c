/*
** recheck.c: before `sbxc exec` runs compiled artifacts, re-observes every
** filesystem fact they were built on and refuses when one changed:
**
**   manifest.json facts   what the semantic pass observed or assumed (kinds
**                         of carve-outs, .git pointer targets, symlinks,
**                         "no symlink below this writable root")
**   bwrap.json observed   where each mounted path really is and its kind
**   bwrap.json deny_globs the files each deny glob matched (a snapshot)
**
** A symlink that appeared where a carve-out or mask must hold is E0708 (the
** mount would follow it and protect the wrong file); any other change is
** E0709. Any change is refused, not only the ones that would weaken the
** sandbox: deciding which changes are harmless would need the policy, and
** the runtime does not read it. Recompiling is cheap. The one exception are
** synthetic mount targets (bwrap.json), which concurrent runs create and
** remove: missing or empty, the artifacts mount over them the same way.
*/
#include "globwalk.h"
#include "path.h"
#include "resolve.h"
#include "rt_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GITFILE_MAX 8192

static const char *kind_now(struct sbx_ctx *ctx, const char *path, const char **link)
{
	struct stat st;
	*link = NULL;
	if (lstat(path, &st) != 0)
		return errno == ENOENT || errno == ENOTDIR ? "missing" : "other";
	if (S_ISLNK(st.st_mode)) {
		char buf[4097];
		ssize_t n = readlink(path, buf, sizeof buf - 1);
		*link = n >= 0 ? sbx_arena_strndup(&ctx->arena, buf, (size_t)n) : "";
		return "symlink";
	}
	return S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : "other";
}

/* The target a `gitdir:` file points at now, or NULL. */
static const char *gitdir_now(struct sbx_ctx *ctx, const char *file)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	char buf[GITFILE_MAX + 1];
	ssize_t n = read(fd, buf, GITFILE_MAX);
	close(fd);
	if (n <= 0)
		return NULL;
	size_t i = 0, len = (size_t)n;
	while (i < len && strchr(" \t\r\n", buf[i]))
		i++;
	while (len > i && strchr(" \t\r\n", buf[len - 1]))
		len--;
	if (len - i < 7 || memcmp(buf + i, "gitdir:", 7) != 0 || memchr(buf + i, 0, len - i))
		return NULL;
	for (i += 7; i < len && strchr(" \t", buf[i]); i++)
		;
	const char *text = sbx_arena_strndup(&ctx->arena, buf + i, len - i);
	if (text[0] == '/')
		return sbx_path_normalize(&ctx->arena, SBX_FLAVOR_POSIX, text, strlen(text));
	const char *dir = sbx_path_parent(&ctx->arena, SBX_FLAVOR_POSIX, file);
	return sbx_path_join(&ctx->arena, SBX_FLAVOR_POSIX, dir, text);
}

static enum sbx_status changed(struct sbx_ctx *ctx, const char *path, const char *was,
                               const char *now, const char *reason)
{
	struct sbx_diag *d =
	    sbx_diag_emit(ctx, SBX_E0709, SBX_NO_SPAN,
	                  "`%s` changed since the artifacts were compiled: it was %s, now it is %s",
	                  sbx_diag_quote(ctx, path, strlen(path)), was, now);
	if (reason && *reason)
		sbx_diag_note(ctx, d, SBX_NO_SPAN, "the artifacts depend on it: %s", reason);
	sbx_diag_help(ctx, d, "compile the artifacts again (`sbxc compile --target linux`)");
	return SBX_EUNSUPPORTED;
}

static enum sbx_status symlink_now(struct sbx_ctx *ctx, const char *path, const char *link,
                                   const char *reason)
{
	struct sbx_diag *d = sbx_diag_emit(
	    ctx, SBX_E0708, SBX_NO_SPAN,
	    "`%s` is now a symlink to `%s`: the sandbox would protect the wrong file",
	    sbx_diag_quote(ctx, path, strlen(path)), sbx_diag_quote(ctx, link, strlen(link)));
	if (reason && *reason)
		sbx_diag_note(ctx, d, SBX_NO_SPAN, "it must not be one: %s", reason);
	sbx_diag_help(ctx, d, "remove the symlink, or compile the artifacts again");
	return SBX_EUNSUPPORTED;
}

/* "no_symlink": no component of path below root may be a symlink. */
static enum sbx_status check_no_symlink(struct sbx_ctx *ctx, const char *path, const char *root,
                                        const char *reason)
{
	size_t rl = root ? strlen(root) : 0;
	for (const char *p = path + rl; *p;) {
		const char *e = strchr(p + 1, '/');
		size_t end = e ? (size_t)(e - path) : strlen(path);
		const char *prefix = sbx_arena_strndup(&ctx->arena, path, end);
		const char *link;
		const char *k = kind_now(ctx, prefix, &link);
		if (strcmp(k, "symlink") == 0)
			return symlink_now(ctx, prefix, link, reason);
		if (strcmp(k, "missing") == 0)
			return SBX_OK;
		p = path + end;
	}
	return SBX_OK;
}

/* Is path a synthetic mount target of bwrap.json (its kind, else NULL)?
** `synth` is the index of them that rt_recheck() builds (NULL: none). */
static const char *synthetic_kind(json_t *synth, const char *path)
{
	return json_string_value(json_object_get(synth, path));
}

/* bwrap.json's synthetic targets as an object path -> kind (the first of
** equal paths), looked up once per fact instead of scanned. */
json_t *rt_synthetic_index(json_t *bwrap)
{
	json_t *idx = json_object(), *v;
	size_t i;
	json_array_foreach(json_object_get(bwrap, "synthetic_targets"), i, v)
	{
		const char *p = json_string_value(json_object_get(v, "path"));
		json_t *kind = json_object_get(v, "kind");
		if (p && json_is_string(kind) && !json_object_get(idx, p))
			json_object_set(idx, p, kind);
	}
	return idx;
}

/* A synthetic target may come and go with concurrent runs (they create and
** remove it under flock): missing, or empty with the mode sbxc gives its
** mount points, is the same to the artifacts, which mount over it. */
bool rt_synthetic_unchanged(const char *kind, const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT;
	mode_t mode = st.st_mode & 07777;
	if (strcmp(kind, "file") == 0)
		return S_ISREG(st.st_mode) && st.st_size == 0 && mode == SBX_SYNTH_FILE_MODE;
	if (!S_ISDIR(st.st_mode))
		return false;
	if (strcmp(kind, "parent") == 0)
		return true;
	if (mode != SBX_SYNTH_DIR_MODE)
		return false;
	return sbx_dir_is_empty(path);
}

static enum sbx_status check_fact(struct sbx_ctx *ctx, json_t *f, json_t *targets)
{
	const char *path = json_string_value(json_object_get(f, "path"));
	const char *kind = json_string_value(json_object_get(f, "kind"));
	const char *target = json_string_value(json_object_get(f, "target"));
	const char *reason = json_string_value(json_object_get(f, "reason"));
	if (!path || !kind)
		return SBX_EUNSUPPORTED;
	const char *synth = strcmp(kind, "no_symlink") ? synthetic_kind(targets, path) : NULL;
	if (synth && rt_synthetic_unchanged(synth, path))
		return SBX_OK;
	if (strcmp(kind, "no_symlink") == 0)
		return check_no_symlink(ctx, path, target, reason);
	const char *link, *now = kind_now(ctx, path, &link);
	if (strcmp(kind, "gitdir_pointer") == 0) {
		const char *t = strcmp(now, "file") == 0 ? gitdir_now(ctx, path) : NULL;
		if (t && target && strcmp(t, target) == 0)
			return SBX_OK;
		return changed(ctx, path,
		               sbx_arena_printf(&ctx->arena, "a .git file pointing to `%s`",
		                                target ? target : "?"),
		               t ? sbx_arena_printf(&ctx->arena, "one pointing to `%s`", t) : now,
		               reason);
	}
	if (strcmp(now, "symlink") == 0 && strcmp(kind, "symlink") != 0)
		return symlink_now(ctx, path, link, reason);
	if (strcmp(kind, now) != 0)
		return changed(ctx, path, kind, now, reason);
	if (strcmp(kind, "symlink") == 0 && target && strcmp(link, target) != 0)
		return changed(ctx, path,
		               sbx_arena_printf(&ctx->arena, "a symlink to `%s`", target),
		               sbx_arena_printf(&ctx->arena, "a symlink to `%s`", link), reason);
	return SBX_OK;
}

/* What bwrap.c's canonical() would say now: the real path and the kind of
** what it leads to. */
static enum sbx_status check_observed(struct sbx_ctx *ctx, json_t *o, json_t *targets)
{
	const char *path = json_string_value(json_object_get(o, "path"));
	const char *canon = json_string_value(json_object_get(o, "canonical"));
	const char *kind = json_string_value(json_object_get(o, "kind"));
	if (!path || !kind)
		return SBX_EUNSUPPORTED;
	const char *synth = synthetic_kind(targets, canon ? canon : path);
	if (synth && rt_synthetic_unchanged(synth, canon ? canon : path))
		return SBX_OK;
	if (!canon)
		canon = path;
	const char *link, *now = kind_now(ctx, path, &link);
	char *rp = sbx_realpath(path);
	if (rp) {
		const char *real = sbx_arena_strdup(&ctx->arena, rp);
		free(rp);
		if (strcmp(real, canon) != 0)
			return symlink_now(ctx, path, link ? link : real,
			                   "a mount was placed at where it led then");
		struct stat st;
		now = stat(real, &st) != 0  ? "other"
		      : S_ISDIR(st.st_mode) ? "dir"
		      : S_ISREG(st.st_mode) ? "file"
		                            : "other";
	} else if (strcmp(now, "missing") != 0) {
		now = "other";
	}
	if (strcmp(kind, now) != 0)
		return changed(ctx, path, kind, now, "a mount was chosen by its kind");
	return SBX_OK;
}

static enum sbx_status check_glob(struct sbx_ctx *ctx, json_t *g, json_t *targets)
{
	(void)targets;
	const char *pattern = json_string_value(json_object_get(g, "pattern"));
	json_t *depth = json_object_get(g, "max_depth"), *matches = json_object_get(g, "matches");
	if (!pattern || !json_is_array(matches))
		return SBX_EUNSUPPORTED;
	struct sbx_glob_result res;
	uint32_t max = json_is_integer(depth) ? (uint32_t)json_integer_value(depth) : 0;
	enum sbx_status st = sbx_glob_expand(ctx, pattern, max, SBX_NO_SPAN, &res);
	if (st != SBX_OK)
		return st;
	bool same = res.n == json_array_size(matches);
	for (size_t i = 0; same && i < res.n; i++)
		same = strcmp(res.hits[i].path,
		              json_string_value(json_array_get(matches, i)) ?: "") == 0;
	if (same)
		return SBX_OK;
	struct sbx_diag *d = sbx_diag_emit(
	    ctx, SBX_E0709, SBX_NO_SPAN,
	    "deny glob `%s` matches other files than when the artifacts were compiled",
	    sbx_diag_quote(ctx, pattern, strlen(pattern)));
	sbx_diag_note(ctx, d, SBX_NO_SPAN, "%zu match%s then, %zu now", json_array_size(matches),
	              json_array_size(matches) == 1 ? "" : "es", res.n);
	sbx_diag_help(ctx, d, "compile the artifacts again (`sbxc compile --target linux`)");
	return SBX_EUNSUPPORTED;
}

static enum sbx_status each(struct sbx_ctx *ctx, json_t *list, json_t *bwrap,
                            enum sbx_status (*fn)(struct sbx_ctx *, json_t *, json_t *))
{
	json_t *v;
	size_t i;
	json_array_foreach(list, i, v)
	{
		enum sbx_status st = fn(ctx, v, bwrap);
		if (st != SBX_OK) {
			if (!sbx_diag_errors(ctx))
				sbx_diag_emit(
				    ctx, SBX_E0710, SBX_NO_SPAN,
				    "invalid artifact file: a recorded fact is malformed");
			return st;
		}
	}
	return SBX_OK;
}

enum sbx_status rt_recheck(struct sbx_ctx *ctx, const struct rt_artifacts *a, bool bwrap)
{
	/* synthetic targets only matter to bwrap */
	json_t *synth = bwrap ? rt_synthetic_index(a->bwrap) : NULL;
	enum sbx_status st = each(ctx, json_object_get(a->manifest, "facts"), synth, check_fact);
	if (st == SBX_OK && bwrap) {
		st = each(ctx, json_object_get(a->bwrap, "observed"), synth, check_observed);
		if (st == SBX_OK)
			st = each(ctx, json_object_get(a->bwrap, "deny_globs"), synth, check_glob);
	}
	json_decref(synth);
	return st;
}
