/*
** bwrap.c: the bubblewrap emitter. Resolved policy -> the bubblewrap
** argument list (bwrap.args, in the NUL-separated format of `bwrap --args
** FD`) and its description (bwrap.json).
**
** The sandbox's filesystem is built as layers of mounts. Every path the
** policy names (readable, writable and unreadable roots, the read-only
** carve-outs and protected names of the writable roots, platform roots, the
** files deny globs match) becomes a candidate with the access the semantic
** pass gives it (sbx_resolved_access). Candidates are placed in order of
** depth, so a deeper mount always lands on top of a shallower one, which is
** the policy's rule that the most specific path wins:
**
**   read   -> --ro-bind P P             write -> --bind P P
**   deny   -> a directory: --perms 0000 --tmpfs P ... --remount-ro P
**             a file:      --perms 0000 --ro-bind-data FD P (empty file)
**
** A candidate whose access equals what its nearest layer already shows is
** skipped. A path reopened below a masked directory gets its mount parents
** recreated with --dir, and the mask becomes 0111 so it can be traversed.
** A read-only or denied path that does not exist inside a writable layer
** must not become creatable: an empty read-only directory (for .git,
** .agents and .codex, so git discovery still works past it) or file is
** mounted there, and its missing parents are made as plain directories (the
** policy lets the sandbox make them anyway). These "synthetic targets" are
** listed in bwrap.json; the launcher creates them on the host, holds them
** under flock while the sandbox runs and removes them afterwards. Every
** directory between a writable root and a stricter path below it is bound
** onto itself, so that the sandbox cannot rename it away (gather_pins()).
** Paths are mounted at their canonical place; the symlinks on the way that
** a restricted-read root does not show are recreated with --symlink. Deny
** globs were expanded to files by the semantic pass (r->glob_matches): a
** snapshot.
**
** Pipeline position: resolved policy -> this emitter -> runtime/launch.c.
*/
#include "emit_int.h"
#include "path.h"
#include "sbx_limits.h"
#include "strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum kind { K_MISSING, K_DIR, K_FILE, K_OTHER };
enum view { V_NONE, V_RO, V_RW, V_MASK };

static const char *const kind_names[] = {"missing", "dir", "file", "other"};

struct cand {
	const char *path; /* as the policy names it */
	const char *dest; /* its canonical place (mount destination) */
	const char *role;
	const struct sbx_rpath *src; /* the policy's path, for diagnostics (or NULL) */
	enum sbx_access acc;
	enum kind kind;
	size_t depth;
	bool optional; /* offline readable root: bound with --ro-bind-try */
	bool pin;      /* a directory above a stricter path: bound onto itself */
};

struct layer {
	const char *path;
	enum view view;
	bool tmpfs;       /* a tmpfs bubblewrap made: mount parents need --dir */
	size_t perms_arg; /* argv index of a mask's --perms value, or 0 */
};

struct plan {
	struct sbx_ctx *ctx;
	const struct sbx_resolved *r;
	const struct sbx_emit_opts *o;
	struct cand *c;
	size_t nc, capc;
	const char **argv;
	size_t argc, capargv;
	struct layer *layers;
	size_t nlayers, caplayers;
	uint32_t *slots; /* path -> layer index + 1, open addressing */
	size_t nslots;
	const char **remount; /* tmpfs mounts to remount read-only at the end */
	size_t nremount, capremount;
	enum view base;
	unsigned ndata;
	json_t *synth, *observed, *globs, *watch;
	enum sbx_status status;
};

/* ---- small helpers ---- */

static void arg(struct plan *p, const char *s)
{
	p->argv =
	    sbx_arena_grow(&p->ctx->arena, p->argv, &p->capargv, p->argc + 1, sizeof *p->argv);
	p->argv[p->argc++] = s;
}

static void arg2(struct plan *p, const char *a, const char *b)
{
	arg(p, a);
	arg(p, b);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int32_t layer_find(const struct plan *p, const char *path)
{
	if (!p->nslots)
		return -1;
	for (size_t i = hash(path) & (p->nslots - 1);; i = (i + 1) & (p->nslots - 1)) {
		uint32_t v = p->slots[i];
		if (!v)
			return -1;
		if (strcmp(p->layers[v - 1].path, path) == 0)
			return (int32_t)(v - 1);
	}
}

static void slots_put(uint32_t *slots, size_t nslots, const char *path, uint32_t v)
{
	size_t i = hash(path) & (nslots - 1);
	while (slots[i])
		i = (i + 1) & (nslots - 1);
	slots[i] = v;
}

static struct layer *layer_add(struct plan *p, const char *path, enum view v, bool tmpfs)
{
	if ((p->nlayers + 1) * 2 > p->nslots) {
		size_t n = p->nslots ? p->nslots * 2 : 64;
		uint32_t *s = sbx_arena_alloc(&p->ctx->arena, n * sizeof *s);
		for (size_t i = 0; i < p->nlayers; i++)
			slots_put(s, n, p->layers[i].path, (uint32_t)i + 1);
		p->slots = s;
		p->nslots = n;
	}
	p->layers = sbx_arena_grow(&p->ctx->arena, p->layers, &p->caplayers, p->nlayers + 1,
	                           sizeof *p->layers);
	struct layer *l = &p->layers[p->nlayers++];
	*l = (struct layer){.path = path, .view = v, .tmpfs = tmpfs};
	slots_put(p->slots, p->nslots, path, (uint32_t)p->nlayers);
	return l;
}

/* The nearest layer strictly above path, or -1 for the base. */
static int32_t nearest_above(const struct plan *p, const char *path)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_adds(&sb, path);
	int32_t found = -1;
	while (sb.len > 1 && found < 0) {
		char *slash = strrchr(sb.buf, '/');
		sbx_sb_truncate(&sb, slash == sb.buf ? 1 : (size_t)(slash - sb.buf));
		if (sb.len > 1)
			found = layer_find(p, sb.buf);
	}
	sbx_sb_release(&sb);
	return found;
}

static enum view view_of(enum sbx_access a)
{
	return a == SBX_ACCESS_WRITE ? V_RW : a == SBX_ACCESS_READ ? V_RO : V_MASK;
}

enum sbx_access sbx_emit_access(const struct sbx_resolved *r, const char *path)
{
	return sbx_resolved_access(r, path, NULL);
}

static bool protected_name(const char *path)
{
	return sbx_protected_name(sbx_path_basename(SBX_FLAVOR_POSIX, path));
}

/* ---- what the paths are (the semantic pass looked: observe.c) ---- */

static enum kind kind_of_obs(enum sbx_obs_kind k)
{
	return k == SBX_OBS_MISSING ? K_MISSING
	       : k == SBX_OBS_DIR   ? K_DIR
	       : k == SBX_OBS_FILE  ? K_FILE
	                            : K_OTHER;
}

/* Offline: what the resolution recorded about path; else an existing dir. */
static enum kind assumed_kind(const struct sbx_resolved *r, const char *path)
{
	const struct sbx_fact *f = sbx_resolved_fact(r, path);
	if (f) {
		switch (f->kind) {
		case SBX_FACT_MISSING:
			return K_MISSING;
		case SBX_FACT_DIR:
			return K_DIR;
		case SBX_FACT_FILE:
		case SBX_FACT_GITDIR_POINTER:
			return K_FILE;
		case SBX_FACT_SYMLINK:
		case SBX_FACT_OTHER:
			return K_OTHER;
		case SBX_FACT_NOT_SYMLINK:
			break;
		}
	}
	return K_DIR;
}

static void observe(struct plan *p, struct cand *c)
{
	const struct sbx_observation *ob = sbx_resolved_observed(p->r, c->path);
	if (!ob) {
		c->dest = c->path;
		c->kind = assumed_kind(p->r, c->path);
		return;
	}
	c->dest = ob->canonical;
	c->kind = kind_of_obs(ob->kind);
	if (p->o->no_recheck_data)
		return;
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(c->path));
	if (strcmp(c->dest, c->path) != 0)
		json_object_set_new(o, "canonical", json_string(c->dest));
	json_object_set_new(o, "kind", json_string(kind_names[c->kind]));
	json_object_set_new(o, "role", json_string(c->role));
	json_array_append_new(p->observed, o);
}

/* ---- candidates ---- */

static struct cand *cand_add(struct plan *p, const char *path, const char *role,
                             const struct sbx_rpath *src)
{
	p->c = sbx_arena_grow(&p->ctx->arena, p->c, &p->capc, p->nc + 1, sizeof *p->c);
	struct cand *c = &p->c[p->nc++];
	*c = (struct cand){.path = path, .role = role, .src = src};
	c->acc = sbx_emit_access(p->r, path);
	return c;
}

static void gather_globs(struct plan *p)
{
	const struct sbx_resolved *r = p->r;
	uint32_t depth = r->profile ? r->profile->glob_scan_max_depth : 0;
	for (size_t i = 0; i < r->nunreadable_globs; i++) {
		const struct sbx_rpath *g = &r->unreadable_globs[i];
		struct sbx_span span = g->src ? g->src->key_span : SBX_NO_SPAN;
		if (!r->glob_matches) {
			struct sbx_diag *d = sbx_diag_emit(
			    p->ctx, SBX_E0713, span, "deny glob `%s` cannot be expanded offline",
			    sbx_diag_quote(p->ctx, g->path, strlen(g->path)));
			sbx_diag_note(p->ctx, d, SBX_NO_SPAN,
			              "bubblewrap masks the files a deny glob matches, which only "
			              "this machine's filesystem can say");
			p->status = SBX_EUNSUPPORTED;
			continue;
		}
		/* expanded by the semantic pass, which refused what it could not */
		const struct sbx_glob_result *res = &r->glob_matches[i];
		json_t *o = json_object(), *m = json_array();
		json_object_set_new(o, "pattern", json_string(g->path));
		json_object_set_new(o, "walk_root", json_string(res->root));
		json_object_set_new(o, "max_depth", depth ? json_integer(depth) : json_null());
		for (size_t j = 0; j < res->n; j++) {
			struct cand *c = cand_add(p, res->hits[j].path, "deny glob match", g);
			c->acc = SBX_ACCESS_DENY;
			c->dest = res->hits[j].dest;
			c->kind = res->hits[j].dir ? K_DIR : K_FILE;
			json_array_append_new(m, json_string(res->hits[j].path));
		}
		json_object_set_new(o, "matches", m);
		json_array_append_new(p->globs, o);
	}
}

/* ---- rename-proofing ----
**
** A mount sits on a directory entry: where the sandbox may write the
** directory above a read-only or denied mount (or a protected name), it
** could rename that directory, with the mount, and put one of its own in
** its place, or rename a directory further up. A mount point cannot be
** renamed or removed (EBUSY), so every directory above such a path that
** lies in a writable host layer is bound onto itself ("pins"): then no
** directory between the writable root and the protected path can move.
** A writable root nested in another one is pinned the same way, for its
** protected names. Missing directories made for a mount point are pinned
** by synth_parents(). */

static int str_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static enum kind pin_kind(struct plan *p, const char *dir)
{
	struct stat st;
	if (!p->o->probe)
		return K_DIR;
	sbx_fs_seen(p->ctx, dir, SBX_FS_ENTRY);
	if (lstat(dir, &st) != 0)
		return errno == ENOENT ? K_MISSING : K_OTHER;
	return S_ISDIR(st.st_mode) ? K_DIR : K_OTHER;
}

/* A pin candidate for every directory above a path that is not writable. */
static void gather_pins(struct plan *p)
{
	struct sbx_arena *a = &p->ctx->arena;
	const char **v = NULL;
	size_t n = 0, cap = 0, nc = p->nc;
	for (size_t i = 0; i < nc; i++) {
		if (p->c[i].acc == SBX_ACCESS_WRITE)
			continue;
		for (const char *d = sbx_path_parent(a, SBX_FLAVOR_POSIX, p->c[i].dest);
		     strcmp(d, "/") != 0; d = sbx_path_parent(a, SBX_FLAVOR_POSIX, d)) {
			v = sbx_arena_grow(a, v, &cap, n + 1, sizeof *v);
			v[n++] = d;
		}
	}
	if (n > 1)
		qsort(v, n, sizeof *v, str_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(v[i], v[i - 1]) == 0)
			continue;
		p->c = sbx_arena_grow(a, p->c, &p->capc, p->nc + 1, sizeof *p->c);
		p->c[p->nc++] = (struct cand){.path = v[i],
		                              .dest = v[i],
		                              .role = "pin",
		                              .acc = SBX_ACCESS_WRITE,
		                              .kind = pin_kind(p, v[i]),
		                              .pin = true};
	}
}

static void gather(struct plan *p)
{
	const struct sbx_resolved *r = p->r;
	struct sbx_arena *a = &p->ctx->arena;
	for (size_t i = 0; i < r->nreadable_roots; i++)
		cand_add(p, r->readable_roots[i].path, "readable root", &r->readable_roots[i])
		    ->optional = !p->o->probe;
	if (r->include_platform_defaults)
		for (size_t i = 0; i < r->nplatform_read_roots; i++)
			cand_add(p, r->platform_read_roots[i], "platform root", NULL)->optional =
			    true;
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		const struct sbx_writable_root *w = &r->writable_roots[i];
		cand_add(p, w->root.path, "writable root", &w->root);
		for (size_t j = 0; j < w->nread_only; j++)
			cand_add(p, w->read_only[j].path, "read-only carve-out", &w->read_only[j]);
		for (size_t j = 0; j < w->nprotected; j++)
			cand_add(
			    p,
			    sbx_path_join(a, SBX_FLAVOR_POSIX, w->root.path, w->protected_names[j]),
			    "protected name", &w->root);
	}
	for (size_t i = 0; i < r->nunreadable_roots; i++)
		cand_add(p, r->unreadable_roots[i].path, "denied", &r->unreadable_roots[i]);
	size_t before_globs = p->nc;
	for (size_t i = 0; i < before_globs; i++)
		observe(p, &p->c[i]);
	gather_globs(p);
	gather_pins(p);
	for (size_t i = 0; i < p->nc; i++)
		p->c[i].depth = sbx_path_depth(SBX_FLAVOR_POSIX, p->c[i].dest);
}

/* Depth, then path; equal destinations keep the strictest access first. */
static int cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->depth != b->depth)
		return a->depth < b->depth ? -1 : 1;
	int c = sbx_path_cmp(SBX_FLAVOR_POSIX, a->dest, b->dest);
	if (c)
		return c;
	if (a->pin != b->pin)
		return a->pin ? 1 : -1; /* a path's own mount first */
	int sa = a->acc == SBX_ACCESS_DENY ? 0 : a->acc == SBX_ACCESS_READ ? 1 : 2;
	int sb = b->acc == SBX_ACCESS_DENY ? 0 : b->acc == SBX_ACCESS_READ ? 1 : 2;
	if (sa != sb)
		return sa - sb;
	if (a->optional != b->optional)
		return a->optional ? 1 : -1;
	return strcmp(a->path, b->path);
}

/* ---- placing mounts ---- */

static const char *fd_arg(struct plan *p)
{
	return sbx_arena_printf(&p->ctx->arena, "%u", SBX_BWRAP_DATA_FD_BASE + p->ndata++);
}

/* Recreates the mount parents of dest below a tmpfs layer with --dir. */
static void make_parents(struct plan *p, int32_t li, const char *dest)
{
	if (li < 0 || !p->layers[li].tmpfs)
		return;
	struct layer *mask = &p->layers[li];
	if (mask->perms_arg)
		p->argv[mask->perms_arg] = "0111";
	const char *top = mask->path;
	enum view v = mask->view;
	const char *parent = sbx_path_parent(&p->ctx->arena, SBX_FLAVOR_POSIX, dest);
	if (strcmp(parent, top) == 0)
		return;
	make_parents(p, li, parent);
	if (layer_find(p, parent) >= 0)
		return;
	arg2(p, "--dir", parent);
	layer_add(p, parent, v, true);
}

static void tmpfs_layer(struct plan *p, const char *dest, enum view v, const char *perms)
{
	arg(p, "--perms");
	size_t at = p->argc;
	arg(p, perms);
	arg2(p, "--tmpfs", dest);
	struct layer *l = layer_add(p, dest, v, true);
	if (v == V_MASK)
		l->perms_arg = at;
	p->remount = sbx_arena_grow(&p->ctx->arena, p->remount, &p->capremount, p->nremount + 1,
	                            sizeof *p->remount);
	p->remount[p->nremount++] = dest;
}

static void empty_file(struct plan *p, const char *dest, enum view v, const char *perms)
{
	arg2(p, "--perms", perms);
	arg2(p, "--ro-bind-data", fd_arg(p));
	arg(p, dest);
	layer_add(p, dest, v, false);
}

/* The first component of the candidate's place that is missing (the
** launcher makes the parents below it); offline, the place itself. */
static const char *first_missing(struct plan *p, const struct cand *c)
{
	const struct sbx_observation *ob = sbx_resolved_observed(p->r, c->path);
	return ob ? ob->first_missing : c->dest;
}

static void synth_note(struct plan *p, const char *path, const char *kind, const char *for_)
{
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(path));
	json_object_set_new(o, "kind", json_string(kind));
	json_object_set_new(o, "for", json_string(for_));
	json_array_append_new(p->synth, o);
}

/* ---- host changes ----
**
** A mount sits on the directory entry it was made on. When something
** outside the sandbox replaces that entry (an editor's save: write a new
** file, rename it over the old one), or one of the directories above it up
** to the next mount, the mount stays with the old entry and the sandbox
** sees the new one with the access of the layer above: a denied file
** becomes readable, a read-only one writable. The same goes for a denied
** path that is missing where the layer above shows the host's files: once
** created there, it is readable. Every such mount (stricter than the host
** layer it sits in) and every such missing path is listed in bwrap.json
** `host_watch` with the layer it sits in; the launcher watches the
** entries from the path up to that layer and stops the sandbox when one
** changes (runtime/hostwatch.c). */

static bool host_layer(const struct plan *p, int32_t li)
{
	enum view v = li >= 0 ? p->layers[li].view : p->base;
	return (li < 0 || !p->layers[li].tmpfs) && (v == V_RO || v == V_RW);
}

static void watch_note(struct plan *p, const char *dest, int32_t li, bool missing)
{
	if (!host_layer(p, li))
		return;
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(dest));
	json_object_set_new(o, "up_to", json_string(li >= 0 ? p->layers[li].path : "/"));
	json_object_set_new(o, "missing", json_boolean(missing));
	json_array_append_new(p->watch, o);
}

/* Creates the missing parents of dest (the launcher makes them: the policy
** lets the sandbox create them anyway) down from `from`. */
static void synth_parents(struct plan *p, const char *from, const char *dest, const char *for_)
{
	const char *parent = sbx_path_parent(&p->ctx->arena, SBX_FLAVOR_POSIX, dest);
	if (strcmp(dest, from) == 0 || strcmp(parent, dest) == 0)
		return;
	synth_parents(p, from, parent, for_);
	if (layer_find(p, parent) >= 0)
		return; /* made for an earlier path */
	synth_note(p, parent, "parent", for_);
	watch_note(p, parent, nearest_above(p, parent), false);
	arg(p, "--bind"); /* pinned: see gather_pins() */
	arg2(p, parent, parent);
	layer_add(p, parent, V_RW, false);
}

/* A read-only or denied path that does not exist below a writable layer:
** an empty read-only directory (a protected name: git discovery still
** works past an empty .git directory) or file is mounted there so that the
** sandbox cannot create it. */
static void synthesize(struct plan *p, const struct cand *c, enum view want)
{
	if (c->kind == K_MISSING)
		synth_parents(p, first_missing(p, c), c->dest, c->path);
	bool dir =
	    c->kind == K_DIR || (c->kind == K_MISSING && want == V_RO && protected_name(c->dest));
	watch_note(p, c->dest, nearest_above(p, c->dest), false);
	if (dir)
		tmpfs_layer(p, c->dest, want, want == V_MASK ? "0000" : "0555");
	else
		empty_file(p, c->dest, want, want == V_MASK ? "0000" : "0444");
	synth_note(p, c->dest, dir ? "dir" : "file", c->path);
}

/* An empty directory or file with the mode sbxc gives its own mount points
** (0555, 0444) where a read-only or denied path must stay uncreatable is one
** another run made for its mask: as Codex does for metadata names, it is
** treated like a missing path, so both runs hold it as a synthetic target
** and neither removes it while the other has it mounted. One that is gone
** by now (seen when observed, removed since by the run that made it) is
** treated the same way: its mount point is made again, and nothing it was
** is used as a bind source, so no run depends on another's mount points. */
static bool left_empty(struct plan *p, const struct cand *c)
{
	const struct sbx_observation *ob = sbx_resolved_observed(p->r, c->path);
	if (!ob)
		ob = sbx_resolved_observed(p->r, c->dest); /* a deny glob's match */
	return ob && ob->left_empty;
}

static void place(struct plan *p, const struct cand *c)
{
	if (layer_find(p, c->dest) >= 0)
		return; /* /dev, /proc, or a mount parent made for a deeper path */
	int32_t li = nearest_above(p, c->dest);
	enum view inh = li >= 0 ? p->layers[li].view : p->base;
	enum view want = view_of(c->acc);
	if (want == inh || (want == V_MASK && inh == V_NONE))
		return;
	if (c->kind == K_MISSING) {
		if (inh == V_RW && want != V_RW)
			synthesize(p, c, want);
		else if (want == V_MASK && inh == V_RO)
			watch_note(p, c->dest, li, true); /* the host could create it */
		return; /* elsewhere the sandbox cannot create it */
	}
	/* a FIFO, socket or device (or a path sbxc cannot reach) is hidden when the
	** layer above does not show it, and bound read-only where the sandbox
	** could write it: left alone it could be removed or replaced there */
	if (c->kind == K_OTHER && want == V_RW)
		return;
	if (c->kind == K_OTHER && want == V_RO && inh != V_RW)
		return;
	if (inh == V_RW && want != V_RW && left_empty(p, c)) {
		synthesize(p, c, want); /* shared with the run that made it */
		return;
	}
	if (want == V_MASK || (want == V_RO && inh == V_RW))
		watch_note(p, c->dest, li, false);
	make_parents(p, li, c->dest);
	if (want == V_MASK && c->kind == K_DIR)
		tmpfs_layer(p, c->dest, V_MASK, "0000");
	else if (want == V_MASK)
		empty_file(p, c->dest, V_MASK, "0000");
	else {
		/* -try only where a missing path cannot be created instead */
		bool try_ = c->optional && inh != V_RW;
		arg(p, want == V_RW ? (try_ ? "--bind-try" : "--bind")
		                    : (try_ ? "--ro-bind-try" : "--ro-bind"));
		arg2(p, c->dest, c->dest);
		layer_add(p, c->dest, want, false);
	}
}

/* Binds a directory above a stricter path onto itself where it lies in a
** writable host layer (gather_pins()). Missing ones are made and pinned by
** synth_parents() when a path below them needs a mount point. */
static void place_pin(struct plan *p, const struct cand *c)
{
	if (c->kind != K_DIR || layer_find(p, c->dest) >= 0)
		return;
	int32_t li = nearest_above(p, c->dest);
	enum view inh = li >= 0 ? p->layers[li].view : p->base;
	if (inh != V_RW || (li >= 0 && p->layers[li].tmpfs))
		return;
	watch_note(p, c->dest, li, false);
	arg(p, "--bind");
	arg2(p, c->dest, c->dest);
	layer_add(p, c->dest, V_RW, false);
}

/* Recreates, with --symlink, the symlinks on the way to a candidate that
** nothing in the sandbox shows: with a restricted-read tmpfs root, /lib64 ->
** usr/lib64 must exist for the dynamic loader to be found, though its
** target is bound at its canonical place. The semantic pass recorded them
** (each component looked at where it really is). */
static void symlinks_for(struct plan *p, const struct cand *c)
{
	const struct sbx_observation *ob = sbx_resolved_observed(p->r, c->path);
	for (size_t i = 0; ob && i < ob->nlinks; i++) {
		const char *loc = ob->links[i].at;
		if (layer_find(p, loc) < 0 && nearest_above(p, loc) < 0 && p->base == V_NONE) {
			arg(p, "--symlink");
			arg2(p, ob->links[i].text, loc);
			layer_add(p, loc, V_NONE, false);
		}
	}
}

static void symlinks(struct plan *p)
{
	if (p->base != V_NONE)
		return;
	for (size_t i = 0; i < p->nc; i++)
		if (p->c[i].acc != SBX_ACCESS_DENY && strcmp(p->c[i].path, p->c[i].dest) != 0)
			symlinks_for(p, &p->c[i]);
}

static void base(struct plan *p)
{
	enum sbx_access a = sbx_emit_access(p->r, "/");
	p->base = view_of(a);
	if (p->base == V_RW)
		arg2(p, "--bind", "/"), arg(p, "/");
	else if (p->base == V_RO)
		arg2(p, "--ro-bind", "/"), arg(p, "/");
	else
		arg2(p, "--tmpfs", "/"), p->base = V_NONE;
	arg2(p, "--dev", "/dev");
	arg2(p, "--proc", "/proc");
	layer_add(p, "/dev", V_NONE, false);
	layer_add(p, "/proc", V_NONE, false);
}

static enum sbx_status build(struct plan *p)
{
	arg2(p, "--new-session", "--die-with-parent");
	base(p);
	gather(p);
	if (p->status != SBX_OK)
		return p->status;
	if (p->nc > 1)
		qsort(p->c, p->nc, sizeof *p->c, cand_cmp);
	for (size_t i = 0; i < p->nc; i++)
		if (p->c[i].pin)
			place_pin(p, &p->c[i]);
		else if (i == 0 || strcmp(p->c[i].dest, p->c[i - 1].dest) != 0)
			place(p, &p->c[i]); /* the first of equal destinations is the strictest */
	symlinks(p);
	for (size_t i = 0; i < p->nremount; i++)
		arg2(p, "--remount-ro", p->remount[i]);
	/* a private IPC namespace: System V IPC objects and POSIX message queues
	** of the host are not the sandbox's to read or change */
	arg2(p, "--unshare-user", "--unshare-pid");
	arg(p, "--unshare-ipc");
	/* proxy-only: a namespace whose loopback has only the bridged listeners */
	if (!p->r->network_enabled || p->r->proxy_enforced)
		arg(p, "--unshare-net");
	return SBX_OK;
}

/* ---- output ---- */

static json_t *describe(struct plan *p)
{
	json_t *o = json_object(), *fds = json_object();
	json_object_set_new(o, "args_file", json_string(SBX_ART_BWRAP_ARGS));
	json_object_set_new(o, "argv", sbx_emit_json_strings(p->argv, p->argc));
	json_object_set_new(fds, "first", json_integer(SBX_BWRAP_DATA_FD_BASE));
	json_object_set_new(fds, "count", json_integer(p->ndata));
	json_object_set_new(fds, "open", json_string("/dev/null"));
	json_object_set_new(o, "data_fds", fds);
	json_object_set_new(o, "network",
	                    json_string(p->r->proxy_enforced    ? "proxy"
	                                : p->r->network_enabled ? "shared"
	                                                        : "isolated"));
	json_object_set_new(o, "probed", json_boolean(p->o->probe));
	json_object_set_new(o, "synthetic_targets", p->synth);
	json_object_set_new(o, "observed", p->observed);
	json_object_set_new(o, "deny_globs", p->globs);
	json_object_set_new(o, "host_watch", p->watch);
	json_object_set_new(o, "snapshot",
	                    json_string("deny globs were expanded to the files they matched when "
	                                "this artifact was built; files created later are not "
	                                "masked, and `sbxc exec` refuses to run when the matches "
	                                "changed"));
	p->synth = p->observed = p->globs = p->watch = NULL;
	return o;
}

static enum sbx_status bwrap_check(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	return sbx_emit_check_backend(ctx, r, SBX_BACKEND_LINUX_BWRAP);
}

static enum sbx_status bwrap_emit(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                  const struct sbx_emit_opts *o, struct sbx_sink *sink)
{
	if (!r->enforce[SBX_BACKEND_LINUX_BWRAP].ok)
		return SBX_EUNSUPPORTED;
	struct plan p = {.ctx = ctx, .r = r, .o = o};
	p.synth = json_array();
	p.observed = json_array();
	p.globs = json_array();
	p.watch = json_array();
	enum sbx_status st = build(&p);
	if (st == SBX_OK && p.argc > SBX_MAX_BWRAP_ARGS_FILE) {
		struct sbx_diag *d =
		    sbx_diag_emit(ctx, SBX_E0014, SBX_NO_SPAN,
		                  "the bubblewrap argument file would have %zu words, more than %u "
		                  "(SBX_MAX_BWRAP_ARGS_FILE)",
		                  p.argc, SBX_MAX_BWRAP_ARGS_FILE);
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "bubblewrap refuses to start with more than %u arguments in all "
		              "(SBX_MAX_BWRAP_WORDS), and each mount takes three",
		              SBX_MAX_BWRAP_WORDS);
		sbx_diag_help(ctx, d,
		              "name a common parent directory instead of many paths below it");
		st = SBX_EUNSUPPORTED;
	}
	if (st == SBX_OK) {
		struct sbx_strbuf sb = SBX_STRBUF_INIT;
		for (size_t i = 0; i < p.argc; i++)
			sbx_sb_add(&sb, p.argv[i], strlen(p.argv[i]) + 1);
		st = sbx_sink_put(ctx, sink, SBX_ART_BWRAP_ARGS, sb.buf, sb.len);
		sbx_sb_release(&sb);
	}
	if (st == SBX_OK)
		st = sbx_sink_put_json(ctx, sink, SBX_ART_BWRAP_JSON, describe(&p));
	if (st == SBX_OK && r->proxy_enforced) /* the bridge's files (proxy.c) */
		st = sbx_emit_proxy(ctx, r, sink);
	json_decref(p.synth);
	json_decref(p.observed);
	json_decref(p.globs);
	json_decref(p.watch);
	return st;
}

const struct sbx_emitter sbx_emitter_bwrap = {
    .name = "bwrap",
    .backend = SBX_BACKEND_LINUX_BWRAP,
    .check = bwrap_check,
    .emit = bwrap_emit,
};
