/*
** observe.c: what the places bubblewrap mounts are on this machine, looked
** at once by the semantic pass (opts.probe) and exported in the resolved
** policy, so that the bwrap emitter asks the policy (sbx_resolved_observed,
** a lookup by path) instead of probing the filesystem itself.
**
** For every path the emitter mounts (readable, platform, writable and
** unreadable roots, the read-only carve-outs and protected names of the
** writable roots) and every file a deny glob matched: its canonical place
** (the real path of its longest existing ancestor plus the missing rest)
** and what is there; for a missing one, the first missing component (the
** launcher makes the parents below it); whether it is an empty directory
** or file with the modes sbxc gives its own mount points (another run's
** synthetic target); and the symlinks on the way to it, which a sandbox
** that shows only some roots must recreate.
**
** Offline nothing is observed: the emitter falls back on the recorded facts
** (sbx_resolved_fact) and assumes the rest.
*/
/* realpath() is in POSIX.1-2008 with the XSI option (which macOS has) */
#define _XOPEN_SOURCE 700

#include "path.h"
#include "resolve_int.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct obs_index {
	uint32_t *slots; /* observation index + 1, open addressing; 0 = empty */
	size_t nslots;
	size_t cap;
};

static uint64_t obs_hash(const char *path)
{
	return sbx_path_hash(SBX_FLAVOR_POSIX, SBX_HASH_SEED, path, strlen(path));
}

const struct sbx_observation *sbx_resolved_observed(const struct sbx_resolved *r, const char *path)
{
	const struct obs_index *ix = r->obs_index;
	if (!ix || !ix->nslots)
		return NULL;
	size_t mask = ix->nslots - 1;
	for (size_t i = obs_hash(path) & mask;; i = (i + 1) & mask) {
		uint32_t v = ix->slots[i];
		if (!v)
			return NULL;
		if (strcmp(r->observations[v - 1].path, path) == 0)
			return &r->observations[v - 1];
	}
}

static void index_put(uint32_t *slots, size_t nslots, const char *path, uint32_t v)
{
	size_t i = obs_hash(path) & (nslots - 1);
	while (slots[i])
		i = (i + 1) & (nslots - 1);
	slots[i] = v;
}

/* ---- looking ---- */

static enum sbx_obs_kind kind_of_mode(mode_t m)
{
	return S_ISDIR(m) ? SBX_OBS_DIR : S_ISREG(m) ? SBX_OBS_FILE : SBX_OBS_OTHER;
}

const char *sbx_path_canonical(struct sbx_ctx *ctx, const char *path, enum sbx_obs_kind *kind)
{
	enum sbx_obs_kind ignored;
	if (!kind)
		kind = &ignored;
	sbx_fs_seen(ctx, path, SBX_FS_RESOLVE);
	char *rp = sbx_realpath(path);
	if (rp) {
		struct stat st;
		*kind = stat(rp, &st) == 0 ? kind_of_mode(st.st_mode) : SBX_OBS_OTHER;
		const char *d = sbx_arena_strdup(&ctx->arena, rp);
		free(rp);
		return d;
	}
	struct stat lst;
	sbx_fs_seen(ctx, path, SBX_FS_ENTRY);
	if (errno != ENOENT || lstat(path, &lst) == 0) {
		*kind = SBX_OBS_OTHER; /* unreachable for sbxc, or a dangling symlink */
		return path;
	}
	*kind = SBX_OBS_MISSING;
	const char *parent = sbx_path_parent(&ctx->arena, SBX_FLAVOR_POSIX, path);
	if (strcmp(parent, path) == 0)
		return path;
	enum sbx_obs_kind pk;
	const char *cp = sbx_path_canonical(ctx, parent, &pk);
	if (pk == SBX_OBS_OTHER)
		*kind = SBX_OBS_OTHER;
	return sbx_path_join(&ctx->arena, SBX_FLAVOR_POSIX, cp,
	                     sbx_path_basename(SBX_FLAVOR_POSIX, path));
}

/* ---- canonical places, one path at a time ---- */

/* What one path is, found once per path from its parent's answer (one
** lstat, realpath() only for a symlink): the mounted paths share their
** ancestors, and sbx_path_canonical() on each walked the same directories
** again for every path and for each of its missing ancestors (a 10,000-entry
** profile made 300,000 stat and 255,000 readlink calls). */
struct pobs {
	const char *path; /* the key, normalized */
	uint64_t hash;
	const char *dest;
	enum sbx_obs_kind kind;
};

struct pcache {
	struct pobs *v;
	size_t n, cap;
	uint32_t *slots; /* index + 1, open addressing */
	size_t nslots;
};

static const struct pobs *pc_find(const struct pcache *pc, const char *path, uint64_t h)
{
	for (size_t i = pc->nslots ? h & (pc->nslots - 1) : 0; pc->nslots;
	     i = (i + 1) & (pc->nslots - 1)) {
		uint32_t v = pc->slots[i];
		if (!v)
			return NULL;
		if (pc->v[v - 1].hash == h && strcmp(pc->v[v - 1].path, path) == 0)
			return &pc->v[v - 1];
	}
	return NULL;
}

static void pc_slot(uint32_t *slots, size_t nslots, uint64_t h, uint32_t v)
{
	size_t i = h & (nslots - 1);
	while (slots[i])
		i = (i + 1) & (nslots - 1);
	slots[i] = v;
}

static const struct pobs *pc_add(struct sbx_arena *a, struct pcache *pc, struct pobs o)
{
	if ((pc->n + 1) * 2 > pc->nslots) {
		size_t n = pc->nslots ? pc->nslots * 2 : 256;
		uint32_t *sl = sbx_arena_alloc(a, n * sizeof *sl);
		for (size_t i = 0; i < pc->n; i++)
			pc_slot(sl, n, pc->v[i].hash, (uint32_t)i + 1);
		pc->slots = sl;
		pc->nslots = n;
	}
	pc->v = sbx_arena_grow(a, pc->v, &pc->cap, pc->n + 1, sizeof *pc->v);
	pc->v[pc->n] = o;
	pc_slot(pc->slots, pc->nslots, o.hash, (uint32_t)pc->n + 1);
	return &pc->v[pc->n++];
}

/* The same answer as sbx_path_canonical(path), from the parent's. */
static const struct pobs *pc_path(struct sbx_ctx *ctx, struct pcache *pc, const char *path)
{
	uint64_t h = obs_hash(path);
	const struct pobs *hit = pc_find(pc, path, h);
	if (hit)
		return hit;
	struct sbx_arena *a = &ctx->arena;
	struct pobs o = {.path = path, .hash = h, .dest = path, .kind = SBX_OBS_OTHER};
	const char *parent = sbx_path_parent(a, SBX_FLAVOR_POSIX, path);
	if (strcmp(parent, path) == 0) {
		o.dest = sbx_path_canonical(ctx, path, &o.kind); /* the root */
		return pc_add(a, pc, o);
	}
	const struct pobs *po = pc_path(ctx, pc, parent);
	const char *base = sbx_path_basename(SBX_FLAVOR_POSIX, path);
	if (po->kind == SBX_OBS_MISSING) {
		o.kind = SBX_OBS_MISSING; /* nothing below a missing directory exists */
		o.dest = sbx_path_join(a, SBX_FLAVOR_POSIX, po->dest, base);
	} else if (po->kind == SBX_OBS_DIR) {
		const char *here = sbx_path_join(a, SBX_FLAVOR_POSIX, po->dest, base);
		struct stat st;
		sbx_fs_seen(ctx, here, SBX_FS_ENTRY);
		if (lstat(here, &st) != 0) {
			/* missing below an existing directory; anything else (no
			** permission) is a path sbxc cannot reach */
			o.kind = errno == ENOENT ? SBX_OBS_MISSING : SBX_OBS_OTHER;
			o.dest = errno == ENOENT ? here : path;
		} else if (!S_ISLNK(st.st_mode)) {
			o.kind = kind_of_mode(st.st_mode);
			o.dest = here;
		} else {
			o.dest = sbx_path_canonical(ctx, here, &o.kind);
			if (o.kind == SBX_OBS_MISSING) /* a dangling symlink */
				o.kind = SBX_OBS_OTHER;
			if (o.kind == SBX_OBS_OTHER)
				o.dest = path;
		}
	}
	/* below a file, a dangling link or an unreachable path: OTHER, as given */
	return pc_add(a, pc, o);
}

/* The first component of dest (below an existing ancestor) that is missing. */
static const char *first_missing(struct sbx_ctx *ctx, const char *dest)
{
	const char *cur = dest;
	for (;;) {
		const char *parent = sbx_path_parent(&ctx->arena, SBX_FLAVOR_POSIX, cur);
		struct stat st;
		sbx_fs_seen(ctx, parent, SBX_FS_ENTRY);
		if (strcmp(parent, cur) == 0 || lstat(parent, &st) == 0)
			return cur;
		cur = parent;
	}
}

const char *sbx_path_next_symlink(struct sbx_arena *a, const char *path, size_t *pos)
{
	while (path[*pos]) {
		const char *e = strchr(path + *pos + 1, '/');
		size_t end = e ? (size_t)(e - path) : strlen(path);
		*pos = end;
		if (end <= 1)
			continue;
		const char *prefix = sbx_arena_strndup(a, path, end);
		struct stat st;
		if (lstat(prefix, &st) != 0)
			return NULL;
		if (S_ISLNK(st.st_mode))
			return prefix;
	}
	return NULL;
}

/* The emptiness test left_empty() and runtime/recheck.c share (resolve.h). */
bool sbx_dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return false;
	struct dirent *de;
	bool empty = true;
	while (empty && (de = readdir(d)))
		empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
	closedir(d);
	return empty;
}

/* An empty directory or file with the mode sbxc gives its own mount points
** (SBX_SYNTH_DIR_MODE, SBX_SYNTH_FILE_MODE): one another run made. One that
** is gone by now (seen a moment ago, removed since by the run that made
** it) counts too: its mount point is made again and never used as a bind
** source, so no run depends on another's mount points (R-RT-5). */
static bool left_empty(struct sbx_ctx *ctx, const char *dest)
{
	struct stat st;
	sbx_fs_seen(ctx, dest, SBX_FS_ENTRY);
	if (lstat(dest, &st) != 0)
		return errno == ENOENT;
	if (S_ISREG(st.st_mode)) {
		sbx_fs_seen(ctx, dest, SBX_FS_CONTENT); /* its size */
		return st.st_size == 0 && (st.st_mode & 07777) == SBX_SYNTH_FILE_MODE;
	}
	if (!S_ISDIR(st.st_mode) || (st.st_mode & 07777) != SBX_SYNTH_DIR_MODE)
		return false;
	sbx_fs_seen(ctx, dest, SBX_FS_LIST);
	return sbx_dir_is_empty(dest);
}

/* The symlinks on the way to path, each component looked at where it really
** is (after the symlinks before it). */
static void links(struct sbx_ctx *ctx, struct sbx_observation *o)
{
	struct sbx_arena *a = &ctx->arena;
	size_t cap = 0;
	const char *cur = "/";
	const char *rest = o->path + 1;
	while (*rest) {
		const char *slash = strchr(rest, '/');
		size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
		const char *loc =
		    sbx_path_join(a, SBX_FLAVOR_POSIX, cur, sbx_arena_strndup(a, rest, n));
		rest += n + (slash ? 1 : 0);
		struct stat st;
		char target[4096];
		ssize_t len;
		sbx_fs_seen(ctx, loc, SBX_FS_ENTRY);
		if (lstat(loc, &st) != 0 || !S_ISLNK(st.st_mode) ||
		    (len = readlink(loc, target, sizeof target - 1)) <= 0) {
			cur = loc;
			continue;
		}
		o->links = sbx_arena_grow(a, o->links, &cap, o->nlinks + 1, sizeof *o->links);
		o->links[o->nlinks++] = (struct sbx_obs_link){
		    .at = loc, .text = sbx_arena_strndup(a, target, (size_t)len)};
		sbx_fs_seen(ctx, loc, SBX_FS_RESOLVE);
		char *real = sbx_realpath(loc);
		if (!real)
			return;
		cur = sbx_arena_strdup(a, real);
		free(real);
	}
}

/* ---- recording ---- */

static void add(struct sbx_ctx *ctx, struct sbx_resolved *r, struct obs_index *ix,
                struct pcache *pc, size_t *cap, const char *path, const char *dest,
                enum sbx_obs_kind kind)
{
	if (sbx_resolved_observed(r, path))
		return;
	if ((r->nobservations + 1) * 2 > ix->nslots) {
		size_t n = ix->nslots ? ix->nslots * 2 : 64;
		uint32_t *s = sbx_arena_alloc(&ctx->arena, n * sizeof *s);
		for (size_t i = 0; i < r->nobservations; i++)
			index_put(s, n, r->observations[i].path, (uint32_t)i + 1);
		ix->slots = s;
		ix->nslots = n;
	}
	r->observations = sbx_arena_grow(&ctx->arena, r->observations, cap, r->nobservations + 1,
	                                 sizeof *r->observations);
	struct sbx_observation *o = &r->observations[r->nobservations++];
	*o = (struct sbx_observation){.path = path};
	if (dest) {
		o->canonical = dest;
		o->kind = kind;
	} else {
		const struct pobs *po = pc_path(ctx, pc, path);
		o->canonical = po->dest;
		o->kind = po->kind;
		if (strcmp(o->canonical, path) != 0)
			links(ctx, o);
	}
	o->first_missing =
	    o->kind == SBX_OBS_MISSING ? first_missing(ctx, o->canonical) : o->canonical;
	o->left_empty = o->kind != SBX_OBS_MISSING && left_empty(ctx, o->canonical);
	index_put(ix->slots, ix->nslots, path, (uint32_t)r->nobservations);
}

void sbx_observe(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	if (!r->opts.probe || r->opts.flavor != SBX_FLAVOR_POSIX)
		return;
	struct obs_index *ix = sbx_arena_alloc(&ctx->arena, sizeof *ix);
	r->obs_index = ix;
	size_t cap = 0;
	struct sbx_arena *a = &ctx->arena;
	struct pcache *pc = sbx_arena_alloc(a, sizeof *pc);
	for (size_t i = 0; i < r->nreadable_roots; i++)
		add(ctx, r, ix, pc, &cap, r->readable_roots[i].path, NULL, 0);
	for (size_t i = 0; r->include_platform_defaults && i < r->nplatform_read_roots; i++)
		add(ctx, r, ix, pc, &cap, r->platform_read_roots[i], NULL, 0);
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[i];
		add(ctx, r, ix, pc, &cap, w->root.path, NULL, 0);
		for (size_t j = 0; j < w->nread_only; j++)
			add(ctx, r, ix, pc, &cap, w->read_only[j].path, NULL, 0);
		for (size_t j = 0; j < w->nprotected; j++)
			add(ctx, r, ix, pc, &cap,
			    sbx_path_join(a, SBX_FLAVOR_POSIX, w->root.path, w->protected_names[j]),
			    NULL, 0);
	}
	for (size_t i = 0; i < r->nunreadable_roots; i++)
		add(ctx, r, ix, pc, &cap, r->unreadable_roots[i].path, NULL, 0);
	/* the files deny globs matched: the walk saw them already */
	for (size_t i = 0; r->glob_matches && i < r->nunreadable_globs; i++)
		for (size_t j = 0; j < r->glob_matches[i].n; j++) {
			const struct sbx_glob_hit *h = &r->glob_matches[i].hits[j];
			add(ctx, r, ix, pc, &cap, h->dest, h->dest,
			    h->dir ? SBX_OBS_DIR : SBX_OBS_FILE);
		}
}
